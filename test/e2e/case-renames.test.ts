/**
 * Names changed only in letter case (Prisma models), where the database takes names in any case
 * as the same: a SQLite table (`AppAppearance` → `appAppearance`, which another table refers to)
 * and a MySQL/MariaDB column (`remotejid` → `remoteJid`). Answered as a rename, the rows stay;
 * answered "drop and create", the old one goes first. Each revision migrates, leaves `check`
 * clean, and goes back down. A SQLite file and a MariaDB database, dropped at the end.
 * Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';
import Database from 'better-sqlite3';

const newProject = projects();

const appearance = (name: string): string => `datasource db {
  provider = "sqlite"
}

model ${name} {
  id      String @id
  iconUrl String
  apps    App[]
}

model App {
  id              String @id
  appAppearanceId String
  appAppearance   ${name} @relation(fields: [appAppearanceId], references: [id])
}
`;

function migrates(p: TempProject, what: string): void {
  const r = p.run(['migrate']);
  assert.equal(r.status, 0, explain(r, what));
  assert.match(p.ok(['check']).stdout, /No changes detected/, `check after: ${what}`);
}

describe('a SQLite table renamed only in case', () => {
  for (const answer of ['--rename', '--no-rename'] as const) {
    it(`answered ${answer}`, () => {
      const p = newProject('migrator-case-table-');
      p.write('migrator.config.ts', configSource({ database: 'sqlite:./dev.db', models: ['schema.prisma'] }));
      p.write('schema.prisma', appearance('AppAppearance'));
      p.ok(['makemigrations', '-m', 'apps']);
      p.ok(['migrate']);
      const db = new Database(p.path('dev.db'));
      const tables = (): string[] => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%pp%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      try {
        if (answer === '--rename') {
          db.exec("INSERT INTO AppAppearance VALUES ('a', 'x.png'); INSERT INTO App VALUES ('app', 'a')");
        }
        p.write('schema.prisma', appearance('appAppearance'));
        p.ok(['makemigrations', '-m', 'lower', ...(answer === '--rename' ? ['--rename', 'AppAppearance=appAppearance'] : ['--no-rename'])]);
        migrates(p, `the ${answer} revision`);
        assert.deepEqual(tables(), ['App', 'appAppearance']);
        if (answer === '--rename') {
          assert.deepEqual(db.prepare('SELECT a.id, p.iconUrl FROM App a JOIN appAppearance p ON p.id = a.appAppearanceId').all(), [{ id: 'app', iconUrl: 'x.png' }]);
          assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
        }
        const down = p.run(['downgrade', '-1']);
        assert.equal(down.status, 0, explain(down, 'to go back down'));
        assert.deepEqual(tables(), ['App', 'AppAppearance']);
        if (answer === '--rename') assert.equal((db.prepare('SELECT count(*) AS n FROM AppAppearance').get() as { n: number }).n, 1);
        migrates(p, 'the revision again');
      } finally {
        db.close();
      }
    });
  }
});

describe('a MySQL column renamed only in case', () => {
  let db: TestMysqlDatabase;
  before(async () => {
    db = await createMysqlTestDatabase('migrator_case_columns');
  });
  after(async () => {
    await db?.drop();
  });
  const contact = (column: string): string => `datasource db {\n  provider = "mysql"\n}\n\nmodel Contact {\n  id Int @id\n  ${column} String @db.VarChar(100)\n}\n`;
  const columns = async (): Promise<string[]> =>
    (await db.query<{ c: string }>("SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Contact' ORDER BY ORDINAL_POSITION")).map((r) => r.c);

  for (const answer of ['--rename', '--no-rename'] as const) {
    it(`answered ${answer}`, async () => {
      await db.query('DROP TABLE IF EXISTS `Contact`, `migrator_version`, `migrator_history`');
      const p = newProject('migrator-case-column-');
      p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
      p.write('schema.prisma', contact('remotejid'));
      p.ok(['makemigrations', '-m', 'contacts']);
      p.ok(['migrate']);
      if (answer === '--rename') await db.query("INSERT INTO `Contact` VALUES (1, '123@s.whatsapp.net')");
      p.write('schema.prisma', contact('remoteJid'));
      const made = p.ok(['makemigrations', '-m', 'camel', ...(answer === '--rename' ? ['--rename', 'Contact.remotejid=remoteJid'] : ['--no-rename'])]);
      if (answer === '--no-rename') assert.match(p.ok(['sqlmigrate', 'head']).stdout, /ALTER TABLE `Contact` DROP COLUMN `remotejid`, ADD COLUMN `remoteJid` varchar\(100\) NOT NULL;/, made.stdout);
      migrates(p, `the ${answer} revision`);
      assert.deepEqual(await columns(), ['id', 'remoteJid']);
      if (answer === '--rename') assert.deepEqual(await db.query('SELECT remoteJid AS v FROM `Contact`'), [{ v: '123@s.whatsapp.net' }]);
      const down = p.run(['downgrade', '-1']);
      assert.equal(down.status, 0, explain(down, 'to go back down'));
      assert.deepEqual(await columns(), ['id', 'remotejid']);
      migrates(p, 'the revision again');
    });
  }
});
