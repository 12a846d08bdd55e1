/**
 * Indexes on columns too long for a key, on MariaDB, through the built CLI. MariaDB builds a plain
 * index on a TEXT column on the longest prefix that fits a key (`KEY … (datasetId(768))` for
 * utf8mb4) and a unique index on one as a hash (`UNIQUE KEY … (tempToken) USING HASH`), where
 * the statement named the whole column: Flowise's `@Column({ type: 'text' }) @Index()` and
 * `@Column({ type: 'text', nullable: true, unique: true })`. `check` must find nothing to do on
 * the database migrator built from such entities and on the one TypeORM's synchronize built; and
 * an index prefix a Prisma schema states is still compared — one of the length MariaDB would
 * pick is the same index, another length is not.
 *
 * The server is the tests' (test/support/mysql.ts); what the file is about is MariaDB's: on a
 * server that is not MariaDB the tests are skipped, saying so. Needs `npx tsc -p tsconfig.json`
 * first, and the dev dependencies typeorm and reflect-metadata.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { compileFixtures, synchronizeWithTypeOrm } from '../support/typeorm.ts';
import { explain, projects, ROOT, type RunResult } from './helpers.ts';

const newProject = projects();

const FLOWISE_ROW = `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Row {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'text' })
  @Index()
  datasetId: string;

  @Column({ type: 'text', nullable: true, unique: true })
  tempToken?: string | null;
}
`;

/** The operations a `check` run lists (`  - drop index … on row`). */
const listed = (r: RunResult): string[] => [...r.stdout.matchAll(/^\s+- (.+)$/gm)].map((m) => m[1].trim());

/** The keys of a table as SHOW CREATE TABLE writes them. */
async function keysOf(db: TestMysqlDatabase, table: string): Promise<string[]> {
  const [row] = await db.query<Record<string, string>>(`SHOW CREATE TABLE \`${table}\``);
  return row['Create Table']
    .split('\n')
    .map((l) => l.trim().replace(/,$/, ''))
    .filter((l) => /^(UNIQUE )?KEY /.test(l))
    .sort();
}

const made: TestMysqlDatabase[] = [];
let mariadb = false;
before(async () => {
  const db = await createMysqlTestDatabase('migrator_long_keys');
  made.push(db);
  const [row] = await db.query<{ v: string }>('SELECT VERSION() AS v');
  mariadb = /mariadb/i.test(row.v);
});
after(async () => {
  for (const db of made) await db.drop();
});
const database = async (): Promise<TestMysqlDatabase> => {
  const db = await createMysqlTestDatabase('migrator_long_keys');
  made.push(db);
  return db;
};
const ONLY_MARIADB = 'the server is not MariaDB: the automatic prefix and the long unique HASH are MariaDB’s';

describe('MariaDB: an index and a unique on TEXT columns (Flowise) compare clean', () => {
  it('on the database migrator built: check and makemigrations find nothing after migrate', async (t) => {
    if (!mariadb) return t.skip(ONLY_MARIADB);
    const db = await database();
    const p = newProject('migrator-long-keys-');
    p.writeEntity('row', FLOWISE_ROW);
    p.writeConfig({ database: db.url });
    p.ok(['makemigrations', '-m', 'init']);
    p.ok(['migrate']);
    // What the test is about: MariaDB stored the prefix and the HASH itself.
    assert.deepEqual(await keysOf(db, 'row'), [
      'KEY `IDX_01a9e26246ed69cd73aa2dd736` (`datasetId`(768))',
      'UNIQUE KEY `IDX_be9bb6c5559d7f4d831bea9ea5` (`tempToken`) USING HASH',
    ]);
    const r = p.run(['check']);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
    const again = p.ok(['makemigrations', '-m', 'again']);
    assert.match(again.stdout, /No changes detected/, explain(again, 'to write nothing'));
    assert.equal(p.versionFiles().filter((f) => f.endsWith('.ts')).length, 1);
  });

  it('on the database TypeORM synchronize built: check finds nothing (stamped at head)', async (t) => {
    if (!mariadb) return t.skip(ONLY_MARIADB);
    const db = await database();
    const app = newProject('migrator-long-keys-typeorm-');
    app.write('src/row.ts', FLOWISE_ROW);
    const modules = compileFixtures(app.path('src'), app.path('build'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), app.path('node_modules'), 'dir');
    synchronizeWithTypeOrm(app.dir, modules, { type: 'mysql', url: db.url });
    assert.deepEqual(await keysOf(db, 'row'), [
      'KEY `IDX_01a9e26246ed69cd73aa2dd736` (`datasetId`(768))',
      'UNIQUE KEY `IDX_be9bb6c5559d7f4d831bea9ea5` (`tempToken`) USING HASH',
    ]);
    const p = newProject('migrator-long-keys-');
    p.writeEntity('row', FLOWISE_ROW);
    p.writeConfig({ database: db.url });
    p.ok(['makemigrations', '-m', 'init']);
    p.ok(['stamp', 'head']);
    const r = p.run(['check']);
    assert.deepEqual(listed(r), [], explain(r, 'to list no difference'));
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
  });
});

describe('MariaDB: an index prefix a Prisma schema states is compared', () => {
  const schema = (titleLength: number): string => `datasource db {
  provider = "mysql"
  url      = env("DATABASE_URL")
}

model Post {
  id    Int    @id @default(autoincrement())
  title String @db.Text
  body  String @db.Text
  token String @db.Text

  @@index([title(length: ${titleLength})])
  @@index([body(length: 768)])
  @@unique([token(length: 768)])
}
`;

  it('a prefix of the length MariaDB would pick is the same index; another length is a change', async (t) => {
    if (!mariadb) return t.skip(ONLY_MARIADB);
    const db = await database();
    const p = newProject('migrator-long-keys-prisma-');
    p.write('prisma/schema.prisma', schema(10));
    p.writeConfig({ database: db.url, models: ['prisma'] });
    p.ok(['makemigrations', '-m', 'init']);
    p.ok(['migrate']);
    assert.deepEqual(await keysOf(db, 'Post'), [
      'KEY `Post_body_idx` (`body`(768))',
      'KEY `Post_title_idx` (`title`(10))',
      'UNIQUE KEY `Post_token_key` (`token`(768))',
    ]);
    const clean = p.run(['check']);
    assert.equal(clean.status, 0, explain(clean, 'to exit 0'));
    assert.match(clean.stdout, /No changes detected/, explain(clean, 'to find no change'));

    p.write('prisma/schema.prisma', schema(20));
    const changed = p.run(['check']);
    assert.equal(changed.status, 1, explain(changed, 'to exit 1'));
    assert.deepEqual(listed(changed), ['drop index Post_title_idx on Post', 'create index Post_title_idx on Post'], explain(changed, 'to rebuild the index'));
    assert.match(changed.stdout, /-\s+index Post_title_idx \(title\(10\)\)\n\+\s+index Post_title_idx \(title\(20\)\)/, explain(changed, 'to show the two prefixes'));
  });
});
