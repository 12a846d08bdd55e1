/**
 * Keys on MySQL/MariaDB, with Prisma models. The index MySQL keeps for a foreign key under the
 * key's own name: the model's index on the key's column dropped (the key gets an index of its own in the
 * same statement), added back (the key's own index goes: it would be a second index on the same
 * column that no model names), dropped again, and then the relation itself dropped (its index goes
 * with the key). Each revision applies with rows in the tables, leaves `check` clean and the
 * server holding exactly the indexes the model names plus the one the key needs; each goes back
 * down to the indexes it came from; and the offline script (`upgrade head --sql`) builds the same
 * database. And an AUTO_INCREMENT column added as the first column of a key (the primary key
 * moved to it, or its unique index), which MySQL takes only in the statement that makes the key:
 * one ALTER TABLE, the rows numbered, and back down in one statement too. A database per suite,
 * dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { configSource, explain, projects } from './helpers.ts';

const newProject = projects();

const HEAD = 'datasource db {\n  provider = "mysql"\n}\n';
const USER_WITH_POSTS = 'model User {\n  id    Int    @id\n  posts Post[]\n}\n';
const USER = 'model User {\n  id Int @id\n}\n';
const post = (relation: boolean, index: boolean): string =>
  `model Post {\n  id       Int @id\n  authorId Int\n${relation ? '  author   User @relation(fields: [authorId], references: [id])\n' : ''}${index ? '  @@index([authorId])\n' : ''}}\n`;

/** The model at each step, and the indexes of Post the server must hold after it. */
const STEPS = [
  { message: 'posts', schema: USER_WITH_POSTS + post(true, true), indexes: ['Post_authorId_idx(authorId)'] },
  { message: 'index dropped', schema: USER_WITH_POSTS + post(true, false), indexes: ['Post_authorId_fkey(authorId)'] },
  { message: 'index back', schema: USER_WITH_POSTS + post(true, true), indexes: ['Post_authorId_idx(authorId)'] },
  { message: 'index dropped again', schema: USER_WITH_POSTS + post(true, false), indexes: ['Post_authorId_fkey(authorId)'] },
  { message: 'relation dropped', schema: USER + post(false, false), indexes: [] },
];

describe('a foreign key\'s own index on MySQL', () => {
  let db: TestMysqlDatabase;
  let offline: TestMysqlDatabase;
  before(async () => {
    db = await createMysqlTestDatabase('migrator_key_indexes');
    offline = await createMysqlTestDatabase('migrator_key_indexes_sql');
  });
  after(async () => {
    await db?.drop();
    await offline?.drop();
  });

  const indexesOf = async (on: TestMysqlDatabase): Promise<string[]> => {
    const rows = await on.query<{ name: string; cols: string }>(
      "SELECT INDEX_NAME AS name, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Post' AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME ORDER BY INDEX_NAME",
    );
    return rows.map((r) => `${r.name}(${r.cols})`);
  };
  const keys = async (on: TestMysqlDatabase): Promise<string[]> =>
    (await on.query<{ name: string }>("SELECT CONSTRAINT_NAME AS name FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'Post'")).map((r) => r.name);

  it('goes with the key, makes way for the model\'s index, and comes back when that index goes, up and down', async () => {
    const p = newProject('migrator-key-indexes-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    for (const [n, step] of STEPS.entries()) {
      p.write('schema.prisma', HEAD + step.schema);
      p.ok(['makemigrations', '-m', step.message]);
      const r = p.run(['migrate']);
      assert.equal(r.status, 0, explain(r, `to apply "${step.message}"`));
      if (n === 0) {
        await db.query('INSERT INTO `User` VALUES (1), (2); INSERT INTO `Post` VALUES (1, 1), (2, 2), (3, 1)');
      }
      assert.match(p.ok(['check']).stdout, /No changes detected/, `check after "${step.message}"`);
      assert.deepEqual(await indexesOf(db), step.indexes, `Post's indexes after "${step.message}"`);
      assert.deepEqual(await keys(db), n < STEPS.length - 1 ? ['Post_authorId_fkey'] : [], `Post's foreign keys after "${step.message}"`);
    }
    // Back down, one revision at a time, to the indexes each step had; the rows stay.
    for (let n = STEPS.length - 2; n >= 0; n--) {
      const r = p.run(['downgrade', '-1']);
      assert.equal(r.status, 0, explain(r, `to revert to "${STEPS[n].message}"`));
      assert.deepEqual(await indexesOf(db), STEPS[n].indexes, `Post's indexes back at "${STEPS[n].message}"`);
      assert.deepEqual(await keys(db), ['Post_authorId_fkey']);
    }
    assert.equal((await db.query<{ n: number }>('SELECT count(*) AS n FROM `Post`'))[0].n, 3);
    await assert.rejects(db.query('INSERT INTO `Post` VALUES (4, 99)'), /foreign key/i);

    // The offline script, which replays the revisions instead of reading a database, says the same.
    const script = p.ok(['upgrade', 'head', '--sql']).stdout;
    assert.match(script, /ALTER TABLE `Post` ADD INDEX `Post_authorId_idx` \(`authorId`\), DROP INDEX `Post_authorId_fkey`;/);
    assert.match(script, /ALTER TABLE `Post` DROP FOREIGN KEY `Post_authorId_fkey`, DROP INDEX `Post_authorId_fkey`;/);
    await offline.query(script);
    assert.deepEqual(await indexesOf(offline), []);
    assert.deepEqual(await keys(offline), []);
    p.write('migrator.config.ts', configSource({ database: offline.url, models: ['schema.prisma'] }));
    assert.match(p.ok(['check']).stdout, /No changes detected/);
  });
});

describe('a numbered column added as the key it leads, on MySQL', () => {
  let db: TestMysqlDatabase;
  before(async () => {
    db = await createMysqlTestDatabase('migrator_numbered_keys');
  });
  after(async () => {
    await db?.drop();
  });

  const tag = (body: string): string => `${HEAD}model Tag {\n${body}}\n`;
  const rows = async (): Promise<string[]> => (await db.query<Record<string, unknown>>('SELECT * FROM `Tag` ORDER BY a')).map((r) => JSON.stringify(r));
  const key = async (): Promise<string> =>
    (await db.query<{ cols: string }>("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Tag' AND INDEX_NAME = 'PRIMARY'"))[0].cols;

  for (const [what, numbered, sql] of [
    ['the primary key moved to a new numbered column', '  id Int @id @default(autoincrement())\n  a  Int\n  b  String @db.VarChar(20)\n  @@unique([a, b])\n', /ALTER TABLE `Tag` ADD COLUMN `id` int NOT NULL AUTO_INCREMENT, DROP PRIMARY KEY, ADD PRIMARY KEY \(`id`\);/],
    ['a numbered column added with its unique index', '  a   Int\n  b   String @db.VarChar(20)\n  seq Int @unique @default(autoincrement())\n  @@id([a, b])\n', /ALTER TABLE `Tag` ADD COLUMN `seq` int NOT NULL AUTO_INCREMENT, ADD UNIQUE INDEX `Tag_seq_key` \(`seq`\);/],
  ] as const) {
    it(`${what}: one statement, the rows numbered, and back down`, async () => {
      await db.query('DROP TABLE IF EXISTS `Tag`, `migrator_version`, `migrator_history`');
      const p = newProject('migrator-numbered-keys-');
      p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
      p.write('schema.prisma', tag('  a Int\n  b String @db.VarChar(20)\n  @@id([a, b])\n'));
      p.ok(['makemigrations', '-m', 'tags']);
      p.ok(['migrate']);
      await db.query("INSERT INTO `Tag` VALUES (1, 'x'), (2, 'y'), (3, 'z')");
      const before = await rows();
      p.write('schema.prisma', tag(numbered));
      p.ok(['makemigrations', '-m', 'numbered']);
      assert.match(p.ok(['sqlmigrate', 'head']).stdout, sql);
      const r = p.run(['migrate']);
      assert.equal(r.status, 0, explain(r, 'to add the numbered column'));
      assert.match(p.ok(['check']).stdout, /No changes detected/);
      const numberedRows = await db.query<Record<string, number>>('SELECT * FROM `Tag` ORDER BY a');
      assert.deepEqual(numberedRows.map((row) => row.id ?? row.seq).sort(), [1, 2, 3]);
      // A new row gets the next number.
      await db.query("INSERT INTO `Tag` (a, b) VALUES (4, 'w')");
      await db.query('DELETE FROM `Tag` WHERE a = 4');
      const down = p.run(['downgrade', '-1']);
      assert.equal(down.status, 0, explain(down, 'to drop the numbered column again'));
      assert.deepEqual(await rows(), before);
      assert.equal(await key(), 'a,b');
      p.ok(['migrate']);
      assert.match(p.ok(['check']).stdout, /No changes detected/);
    });
  }
});
