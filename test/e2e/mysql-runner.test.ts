/**
 * The runner on MySQL/MariaDB, end to end through the built CLI, on a fresh database
 * (test/support/mysql.ts; an unreachable server fails the file):
 *
 *  (a) migrate, history, downgrade one step and to base, with the database's own catalog checked;
 *  (b) a revision failing halfway: MySQL commits each statement, so the message says which ran;
 *      the version table stays, the progress row says where; a rerun resumes at the failed
 *      statement without running the first again; a file changed since is refused; `stamp`
 *      settles a revision finished by hand;
 *  (c) concurrent `migrate` processes: in dialect-concurrency.test.ts, one body for SQLite,
 *      PostgreSQL and MySQL;
 *  (d) a run lock held elsewhere: `lockWait` bounds the wait and the holder is named;
 *  (e) offline SQL with no server: backticks, the non-transactional warning, MODIFY COLUMN
 *      restating the column from the replayed history;
 *  (f) a server that cannot be reached: one line, the password masked;
 *  (g) MODIFY COLUMN restating a column's collation and ON UPDATE; index prefixes, DESC, FULLTEXT;
 *  (h) the connection killed mid-revision: the message says what is kept, a rerun resumes;
 *  (i) an index a foreign key uses, dropped: the key gets one of its own in the same statement;
 *  (k) a trigger created by op.execute, its body's semicolons and all, is one statement;
 *  (j) a statement behind another session's metadata lock: bounded by lockTimeout, retried, the
 *      holder named.
 *  (n) consecutive DDL statements under one mark: a rerun asks the catalog about each in turn.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { CLI, TempProject, explain, itemEntity, type RunResult } from './helpers.ts';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';

delete process.env.FORCE_COLOR;

let db: TestMysqlDatabase;
const projects: TempProject[] = [];

before(async () => {
  db = await createMysqlTestDatabase('migrator_runner');
});
after(async () => {
  for (const p of projects) p.remove('.');
  await db?.drop();
});

/** Drops every table, so that each part starts from an empty database. */
async function emptyDatabase(): Promise<void> {
  const tables = await db.query<{ name: string }>("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'");
  if (tables.length) await db.query(`SET FOREIGN_KEY_CHECKS = 0; DROP TABLE ${tables.map((t) => `\`${t.name}\``).join(', ')}; SET FOREIGN_KEY_CHECKS = 1`);
}

function project(url = db.url, extra = ''): TempProject {
  const p = new TempProject('migrator-mysql-');
  projects.push(p);
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(url)}, models: ['entities/*.ts'], versions: 'versions'${extra} };\n`);
  return p;
}

/** A project without models, where `status` tells only where the database stands. */
function modelless(extra = ''): TempProject {
  const p = project();
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, versions: 'versions'${extra} };\n`);
  return p;
}

/** A revision file whose upgrade and downgrade are the given `op` calls. */
function revision(id: string, down: string | null, up: string[], downgrade: string[]): string {
  return `import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | null = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(op: Operations): Promise<void> {
${up.map((s) => `  await op.${s};`).join('\n')}
}

export async function downgrade(op: Operations): Promise<void> {
${downgrade.map((s) => `  await op.${s};`).join('\n')}
}
`;
}

const columnsOf = async (table: string): Promise<string[]> =>
  (
    await db.query<{ c: string }>(
      "SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', COALESCE(COLUMN_DEFAULT, '-'), ' ', EXTRA) AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
      [table],
    )
  ).map((r) => r.c.trim());

const tablesNow = async (): Promise<string[]> =>
  (await db.query<{ name: string }>("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")).map((r) => r.name);

const USERS = `createTable('users', { columns: [
    { name: 'id', type: 'int', nullable: false, autoincrement: true },
    { name: 'email', type: 'varchar(255)', nullable: false },
    { name: 'name', type: 'varchar(100)', nullable: true, default: "'anon'" },
    { name: 'created', type: 'datetime(6)', nullable: false, default: 'CURRENT_TIMESTAMP(6)' },
  ], primaryKey: { columns: ['id'] } })`;
const POSTS = `createTable('posts', { columns: [
    { name: 'id', type: 'int', nullable: false, autoincrement: true },
    { name: 'user_id', type: 'int', nullable: false },
    { name: 'body', type: 'text', nullable: true },
  ], primaryKey: { columns: ['id'] },
  foreignKeys: [{ name: 'posts_user', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE' }] })`;

describe('MySQL runner', () => {
  test('(a) migrate, history and downgrade move the catalog and the version table', async () => {
    await emptyDatabase();
    const p = project();
    p.write('versions/a1_first.ts', revision('a1', null, [USERS, "createIndex('users', { name: 'users_email', columns: ['email'], unique: true })", POSTS], ["dropTable('posts')", "dropTable('users')"]));
    p.write(
      'versions/b2_second.ts',
      revision(
        'b2',
        'a1',
        [
          "addColumn('users', { name: 'age', type: 'int', nullable: true })",
          `execute("INSERT INTO users (email, name) VALUES ('a@b.c', NULL), ('semi;colon', 'it''s'); UPDATE users SET age = 3")`,
          "alterColumn('users', 'name', { nullable: false })",
        ],
        ["alterColumn('users', 'name', { nullable: true })", "dropColumn('users', 'age')"],
      ),
    );
    const up = p.ok(['migrate']);
    assert.equal(up.stdout, 'Applied  a1\nApplied  b2\nDatabase is now at b2.\n');
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'posts', 'users']);
    assert.deepEqual(await columnsOf('users'), [
      'id int(11) NO - auto_increment',
      'email varchar(255) NO -',
      "name varchar(100) NO 'anon'",
      'created datetime(6) NO current_timestamp(6)',
      'age int(11) YES NULL',
    ]);
    // The NULL was filled with the default before NOT NULL was set; the script's `;` inside a literal stayed in it.
    assert.deepEqual(await db.query('SELECT email, name, age FROM users ORDER BY id'), [
      { email: 'a@b.c', name: 'anon', age: 3 },
      { email: 'semi;colon', name: "it's", age: 3 },
    ]);
    const history = await db.query<{ revision: string; direction: string; duration_ms: number }>('SELECT revision, direction, duration_ms FROM migrator_history ORDER BY id');
    assert.deepEqual(history.map((h) => `${h.revision} ${h.direction}`), ['a1 up', 'b2 up']);
    assert.ok(history.every((h) => Number(h.duration_ms) >= 0));
    assert.equal(p.ok(['current']).stdout, 'b2 (head)\n');

    p.ok(['downgrade', '-1']);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    assert.deepEqual(await columnsOf('users'), ['id int(11) NO - auto_increment', 'email varchar(255) NO -', "name varchar(100) YES 'anon'", 'created datetime(6) NO current_timestamp(6)']);
    p.ok(['downgrade', 'base']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), []);
  });

  test('(b) a revision failing halfway says which statements ran, resumes where it stopped, and stamp settles it', async () => {
    await emptyDatabase();
    const p = project();
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write(
      'versions/c3_third.ts',
      revision(
        'c3',
        'a1',
        ["addColumn('users', { name: 'nick', type: 'varchar(20)', nullable: true })", "createIndex('users', { name: 'users_email', columns: ['email'], unique: true })", "addColumn('users', { name: 'zzz', type: 'int', nullable: true })"],
        ["dropColumn('users', 'zzz')", "dropIndex('users', 'users_email')", "dropColumn('users', 'nick')"],
      ),
    );
    p.ok(['upgrade', 'a1']);
    await db.query("INSERT INTO users (email) VALUES ('dup@x'), ('dup@x')");

    const failed = p.run(['migrate']);
    assert.equal(failed.status, 2, explain(failed, 'to exit 2'));
    assert.match(
      failed.stderr,
      /^error: upgrade a1 -> c3 failed; revision c3 \(\S+c3_third\.ts\) stopped at its statement 2 of 3: MySQL commits each statement as it runs, so its statement 1 ran and is kept \(recorded in table migrator_version_progress; the version table is unchanged\)\. Fix the cause and rerun to resume at statement 2, or finish the revision by hand and run `migrator stamp c3`: Duplicate entry 'dup@x' for key 'users_email' \(in statement: CREATE UNIQUE INDEX `users_email` ON `users` \(`email`\)\)\n/,
    );
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    assert.deepEqual(await db.query('SELECT version_num, direction, phase, started FROM migrator_version_progress'), [{ version_num: 'c3', direction: 'up', phase: 1, started: 0 }]);
    assert.ok((await columnsOf('users')).some((c) => c.startsWith('nick ')));

    // The cause fixed, a rerun resumes at statement 2: statement 1 (ADD COLUMN nick) is not run again.
    await db.query("DELETE FROM users WHERE email = 'dup@x' LIMIT 1");
    const resumed = p.ok(['migrate']);
    assert.match(resumed.stderr, /revision c3 resumes at statement 2 of 3, where an earlier run stopped/);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'c3' }]);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'users']);
    assert.deepEqual((await db.query<{ r: string }>("SELECT CONCAT(revision, ' ', direction) AS r FROM migrator_history ORDER BY id")).map((x) => x.r), ['a1 up', 'c3 up']);

    // Down halfway, then the file edited: refused; finished by hand, then stamped.
    p.ok(['downgrade', 'a1']);
    p.ok(['upgrade', 'c3']);
    await db.query('ALTER TABLE users DROP INDEX users_email');
    await db.query("INSERT INTO users (email) VALUES ('twice'), ('twice')");
    await db.query('ALTER TABLE users DROP COLUMN zzz, DROP COLUMN nick');
    await db.query('UPDATE migrator_version SET version_num = ?', ['a1']);
    assert.equal(p.run(['upgrade', 'c3']).status, 2);
    p.write('versions/c3_third.ts', p.read('versions/c3_third.ts').replace("nullable: true })\", \"createIndex", 'nullable: true })", "createIndex').replace("name: 'zzz', type: 'int'", "name: 'zzz', type: 'bigint'"));
    const changed = p.run(['upgrade', 'c3']);
    assert.equal(changed.status, 2, explain(changed, 'to exit 2'));
    assert.match(changed.stderr, /^error: revision c3 \(\S+\) stopped halfway in an earlier run \(before its statement 2\), and its statements have changed since; restore the file as it was and rerun, or finish the revision by hand and run `migrator stamp c3`\n$/);
    await db.query("DELETE FROM users WHERE email = 'twice' LIMIT 1");
    await db.query('ALTER TABLE users ADD UNIQUE INDEX users_email (email), ADD COLUMN zzz bigint NULL');
    p.ok(['stamp', 'c3']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'users']);
    assert.equal(p.ok(['migrate']).stdout, 'Nothing to do: the database is at c3.\n');
  });

  test('(o) a revision left halfway whose file is then deleted: check is not clean, and migrate and makemigrations say the ways out', async () => {
    await emptyDatabase();
    const p = project();
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write(
      'versions/c3_third.ts',
      revision('c3', 'a1', ["addColumn('users', { name: 'nick', type: 'varchar(20)', nullable: true })", "createIndex('users', { name: 'users_email', columns: ['email'], unique: true })"], ["dropIndex('users', 'users_email')", "dropColumn('users', 'nick')"]),
    );
    p.write('entities/item.ts', itemEntity());
    p.ok(['upgrade', 'a1']);
    await db.query("INSERT INTO users (email) VALUES ('dup@x'), ('dup@x')");
    assert.equal(p.run(['migrate']).status, 2);
    p.remove('versions/c3_third.ts');
    const advice = /the upgrade to revision c3 stopped halfway in an earlier run \(before its statement 2\), and no revision file defines it any more: restore its file \(from version control\) and rerun to resume it; or undo by hand what of it ran, then `migrator stamp a1` clears the record/;

    const check = p.run(['check']);
    assert.equal(check.status, 1, explain(check, 'to exit 1'));
    assert.match(check.stdout, advice);
    for (const args of [['migrate'], ['makemigrations', '-m', 'x']]) {
      const r = p.run(args);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.match(r.stderr, advice);
    }
    assert.deepEqual(p.versionFiles(), ['a1_first.ts']);

    // Undone by hand and stamped: the record is gone, and the database is as its revision says.
    await db.query('ALTER TABLE users DROP COLUMN nick');
    p.ok(['stamp', 'a1']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'users']);
    assert.equal(p.ok(['migrate']).stdout, 'Nothing to do: the database is at a1.\n');
  });

  test('(d) a run lock held elsewhere: the wait is bounded and the holder named', async () => {
    await emptyDatabase();
    const p = project(db.url, ", lockWait: '1s'");
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    const holder = await mysql.createConnection({ uri: db.url });
    try {
      const [[{ id }]] = (await holder.query('SELECT CONNECTION_ID() AS id')) as unknown as [{ id: number }[]];
      await holder.query('SELECT GET_LOCK(?, 0)', [`migrator:${db.name}`]);
      const r = p.run(['migrate']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.match(r.stderr, new RegExp(`^Waiting for the migration lock on mysql://root@[^ ]+/${db.name}, held by connection ${id} \\(root@`));
      assert.match(r.stderr, new RegExp(`\nerror: could not take the migration lock on mysql://root@[^ ]+/${db.name} within lockWait \\(1 s\\): another migrator run holds it, connection ${id} \\(root@[^)]*\\)\\. If that run is stuck, end it \\(KILL <connection id>\\), or raise "lockWait" in the config\n$`));
      assert.deepEqual(await tablesNow(), []);
    } finally {
      await holder.end();
    }
    p.ok(['migrate']);
  });

  test('(e) offline SQL needs no server and says what MySQL does not do', () => {
    const p = project('mysql://app:Sup3r-s3cret@127.0.0.1:1/nowhere');
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write('versions/b2_second.ts', revision('b2', 'a1', ["alterColumn('users', 'name', { nullable: false })"], ["alterColumn('users', 'name', { nullable: true })"]));
    const r = p.ok(['upgrade', 'head', '--sql']);
    assert.match(r.stdout, /^-- MySQL commits each statement as it runs: if one fails, the statements before it stay applied and the version table is not moved\.\n/);
    assert.match(r.stdout, /\nCREATE TABLE `users` \(`id` int NOT NULL AUTO_INCREMENT, `email` varchar\(255\) NOT NULL, `name` varchar\(100\) NULL DEFAULT 'anon', `created` datetime\(6\) NOT NULL DEFAULT CURRENT_TIMESTAMP\(6\), PRIMARY KEY \(`id`\)\);\n/);
    assert.match(r.stdout, /\nUPDATE `users` SET `name` = 'anon' WHERE `name` IS NULL;\nALTER TABLE `users` MODIFY COLUMN `name` varchar\(100\) NOT NULL DEFAULT 'anon';\nUPDATE `migrator_version` SET `version_num` = 'b2' WHERE `version_num` = 'a1';\n/);
    assert.doesNotMatch(r.stdout, /BEGIN|COMMIT|"/);
    assert.doesNotMatch(r.stdout + r.stderr, /Sup3r-s3cret/);
  });

  test('(g) MODIFY COLUMN keeps a column\'s collation and ON UPDATE; prefix, DESC and FULLTEXT indexes are made as written', async () => {
    await emptyDatabase();
    const p = project();
    await db.query(
      'CREATE TABLE docs (id int NOT NULL PRIMARY KEY, code varchar(20) COLLATE utf8mb4_bin NULL, title varchar(200) NOT NULL, body text NULL, ' +
        'touched datetime(6) NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))',
    );
    p.write(
      'versions/a1_first.ts',
      revision(
        'a1',
        null,
        [
          "alterColumn('docs', 'code', { type: 'varchar(40)', nullable: false, default: \"'none'\" })",
          "alterColumn('docs', 'touched', { nullable: false })",
          "createIndex('docs', { name: 'docs_title', columns: [{ column: 'title', length: 12 }, { column: 'id', order: 'desc' }], unique: false })",
          "createIndex('docs', { name: 'docs_body', columns: ['body'], unique: false, using: 'fulltext' })",
        ],
        ["dropIndex('docs', 'docs_body')", "dropIndex('docs', 'docs_title')", "alterColumn('docs', 'touched', { nullable: true })", "alterColumn('docs', 'code', { type: 'varchar(20)', nullable: true, default: null })"],
      ),
    );
    p.ok(['migrate']);
    const columns = await db.query<{ name: string; type: string; nullable: string; collation: string | null; extra: string }>(
      "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLLATION_NAME AS collation, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'docs' AND COLUMN_NAME IN ('code', 'touched') ORDER BY COLUMN_NAME",
    );
    assert.deepEqual(columns, [
      { name: 'code', type: 'varchar(40)', nullable: 'NO', collation: 'utf8mb4_bin', extra: '' },
      { name: 'touched', type: 'datetime(6)', nullable: 'NO', collation: null, extra: 'on update current_timestamp(6)' },
    ]);
    const indexes = await db.query<{ name: string; col: string; sub: number | null; coll: string | null; kind: string }>(
      "SELECT INDEX_NAME AS name, COLUMN_NAME AS col, SUB_PART AS sub, COLLATION AS coll, INDEX_TYPE AS kind FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'docs' AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    );
    assert.deepEqual(indexes, [
      { name: 'docs_body', col: 'body', sub: null, coll: null, kind: 'FULLTEXT' },
      { name: 'docs_title', col: 'title', sub: 12, coll: 'A', kind: 'BTREE' },
      { name: 'docs_title', col: 'id', sub: null, coll: 'D', kind: 'BTREE' },
    ]);
    p.ok(['downgrade', 'base']);
    assert.deepEqual(
      (await db.query<{ c: string }>("SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', COALESCE(COLLATION_NAME, '-'), ' ', EXTRA) AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'docs' AND COLUMN_NAME IN ('code', 'touched') ORDER BY COLUMN_NAME")).map((r) => r.c.trim()),
      ['code varchar(20) YES utf8mb4_bin', 'touched datetime(6) YES - on update current_timestamp(6)'],
    );
  });

  test('(h) a connection lost mid-revision: what ran is kept, and a rerun resumes after it', async () => {
    await emptyDatabase();
    const p = project();
    await db.query('CREATE TABLE slow (n int)');
    await db.query('INSERT INTO slow VALUES (1)');
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write(
      'versions/b2_second.ts',
      revision(
        'b2',
        'a1',
        ["addColumn('users', { name: 'x', type: 'int', nullable: true })", 'execute("SELECT SLEEP(IF((SELECT count(*) FROM slow) > 0, 30, 0))")', "addColumn('users', { name: 'y', type: 'int', nullable: true })"],
        ["dropColumn('users', 'y')", "dropColumn('users', 'x')"],
      ),
    );
    const running = new Promise<RunResult>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr, command: 'migrator migrate' }));
    });
    let victim: number | undefined;
    for (let i = 0; i < 300 && victim === undefined; i++) {
      const rows = await db.query<{ id: number }>("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(IF(%'");
      victim = rows[0]?.id;
      if (victim === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(victim !== undefined, 'the revision never reached its slow statement');
    await db.query(`KILL CONNECTION ${victim}`);
    const r = await running;
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(
      r.stderr,
      /error: upgrade a1 -> b2 failed: the connection to the database was lost while revision b2 \(\S+\) was running \([^)]*\)\. MySQL commits each statement as it runs: the statements recorded as done \(table migrator_version_progress\) are kept, and a rerun of `migrator migrate` resumes after them/,
    );
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    assert.deepEqual(await db.query('SELECT version_num, phase FROM migrator_version_progress'), [{ version_num: 'b2', phase: 1 }]);
    await db.query('DELETE FROM slow');
    const rerun = p.ok(['migrate']);
    assert.match(rerun.stderr, /revision b2 resumes at statement 2 of 3/);
    assert.deepEqual((await columnsOf('users')).slice(-2), ['x int(11) YES NULL', 'y int(11) YES NULL']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'slow', 'users']);
  });

  test('(i) dropping the index a foreign key uses leaves the key one of its own', async () => {
    await emptyDatabase();
    const p = project();
    p.write(
      'versions/a1_first.ts',
      revision('a1', null, [USERS, "createIndex('users', { name: 'users_email', columns: ['email'], unique: true })", POSTS, "createIndex('posts', { name: 'posts_by_user', columns: ['user_id', 'id'], unique: false })"], ["dropTable('posts')", "dropTable('users')"]),
    );
    p.write('versions/b2_second.ts', revision('b2', 'a1', ["dropIndex('posts', 'posts_by_user')"], ["createIndex('posts', { name: 'posts_by_user', columns: ['user_id', 'id'], unique: false })"]));
    p.ok(['migrate']);
    const indexes = async (): Promise<string[]> =>
      (await db.query<{ i: string }>("SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'posts' ORDER BY 1")).map((r) => r.i);
    assert.deepEqual(await indexes(), ['posts_user', 'PRIMARY']);
    p.ok(['downgrade', 'base']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version']);
  });

  test('(j) a statement waiting for a table lock gives up after lockTimeout, is retried, and names the holder', async () => {
    await emptyDatabase();
    const p = project(db.url, ", lockTimeout: '1s', lockRetries: 1");
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write('versions/b2_second.ts', revision('b2', 'a1', ["addColumn('users', { name: 'age', type: 'int', nullable: true })"], ["dropColumn('users', 'age')"]));
    p.ok(['upgrade', 'a1']);
    // An open transaction that has read the table holds its metadata lock until it ends.
    const reader = await mysql.createConnection({ uri: db.url });
    try {
      const [[{ id }]] = (await reader.query('SELECT CONNECTION_ID() AS id')) as unknown as [{ id: number }[]];
      await reader.query('START TRANSACTION');
      await reader.query('SELECT * FROM users');
      const r = p.run(['migrate']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.match(r.stderr, /revision b2 waited too long for a table lock held by connection \d+ .*; rolled back, trying again in 0\.5 s \(2 of 2\)/);
      assert.match(r.stderr, new RegExp(`error: upgrade a1 -> b2 failed; revision b2 \\(\\S+\\) failed at its statement 1 of 1: nothing before it ran, and the version table is unchanged; fix the cause and rerun: a statement waited longer than the lock timeout \\(1000 ms\\) for a table lock, 2 times \\(in statement: ALTER TABLE \`users\` ADD COLUMN \`age\` int NULL\\); held by connection ${id} \\(root@`));
      assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    } finally {
      await reader.end();
    }
    p.ok(['migrate']);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'b2' }]);
  });

  test('(k) a trigger whose body holds semicolons, from op.execute, is one statement', async () => {
    await emptyDatabase();
    const p = project();
    p.write(
      'versions/a1_first.ts',
      revision(
        'a1',
        null,
        [USERS, 'execute("CREATE TRIGGER users_name BEFORE INSERT ON users FOR EACH ROW BEGIN SET NEW.name = UPPER(NEW.email); SET NEW.email = LOWER(NEW.email); END;")'],
        ['execute("DROP TRIGGER users_name")', "dropTable('users')"],
      ),
    );
    p.ok(['migrate']);
    await db.query("INSERT INTO users (email) VALUES ('Ann@X')");
    assert.deepEqual(await db.query('SELECT email, name FROM users'), [{ email: 'ann@x', name: 'ANN@X' }]);
    p.ok(['downgrade', 'base']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version']);
  });

  test('(l) a DDL statement the server refused leaves no mark: the rerun runs it again rather than take a same-named object for its work', async () => {
    await emptyDatabase();
    const p = project();
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write('versions/b2_second.ts', revision('b2', 'a1', ["createIndex('users', { name: 'users_email', columns: ['email'], unique: true })"], ["dropIndex('users', 'users_email')"]));
    p.ok(['upgrade', 'a1']);
    // An index of the same name, on another column, made by hand: the server refuses the revision's.
    await db.query('CREATE INDEX users_email ON users (name)');
    const refused = p.run(['migrate']);
    assert.equal(refused.status, 2, explain(refused, 'to exit 2'));
    assert.match(refused.stderr, /Duplicate key name 'users_email'/);
    // Nothing of the revision ran: nothing is left halfway.
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'users']);
    // Not taken for the revision's work: the rerun runs the statement again, and is refused again.
    const again = p.run(['migrate']);
    assert.equal(again.status, 2, explain(again, 'to exit 2 again'));
    assert.match(again.stderr, /Duplicate key name 'users_email'/);
    await db.query('DROP INDEX users_email ON users');
    p.ok(['migrate']);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'b2' }]);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'users']);
    assert.deepEqual(
      await db.query("SELECT COLUMN_NAME AS col, NON_UNIQUE AS nonUnique FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND INDEX_NAME = 'users_email'"),
      [{ col: 'email', nonUnique: 0 }],
    );
  });


  test('(m) in one run, the next revision\'s first statement, marked as started with the revision before, is refused: no mark is left, and the rerun runs it again', async () => {
    await emptyDatabase();
    const p = modelless();
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write('versions/b2_second.ts', revision('b2', 'a1', ["createTable('extra', { columns: [{ name: 'id', type: 'integer', nullable: false }] })"], ["dropTable('extra')"]));
    // A table of the same name made by hand: the server refuses the revision's.
    await db.query('CREATE TABLE extra (other integer)');
    const refused = p.run(['migrate']);
    assert.equal(refused.status, 2, explain(refused, 'to exit 2'));
    assert.match(refused.stdout, /Applied\s+a1/);
    assert.match(refused.stderr, /Table 'extra' already exists/);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    // Nothing of b2 ran, and nothing says it did.
    assert.deepEqual(await tablesNow(), ['extra', 'migrator_history', 'migrator_version', 'users']);
    const status = p.run(['status']);
    assert.equal(status.status, 1, explain(status, 'to exit 1: b2 is pending'));
    assert.match(status.stdout, /Current: a1\n/, explain(status, 'to say the database is at a1'));
    assert.doesNotMatch(status.stdout, /halfway/, explain(status, 'no revision halfway'));
    const again = p.run(['migrate']);
    assert.equal(again.status, 2, explain(again, 'to exit 2 again'));
    assert.match(again.stderr, /Table 'extra' already exists/);
    await db.query('DROP TABLE extra');
    p.ok(['migrate']);
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'b2' }]);
    assert.deepEqual(await db.query("SELECT COLUMN_NAME AS col FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'extra'"), [{ col: 'id' }]);
  });
  test('(n) DDL statements under one mark: killed at the third, the rerun asks about each, skips the two that ran, and runs the third', async () => {
    await emptyDatabase();
    const p = modelless(", lockTimeout: '60s'");
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    p.write(
      'versions/b2_second.ts',
      revision(
        'b2',
        'a1',
        ["createTable('one', { columns: [{ name: 'id', type: 'int', nullable: false }] })", "createTable('two', { columns: [{ name: 'id', type: 'int', nullable: false }] })", "addColumn('users', { name: 'age', type: 'int', nullable: true })"],
        ["dropColumn('users', 'age')", "dropTable('two')", "dropTable('one')"],
      ),
    );
    p.ok(['upgrade', 'a1']);
    // An open transaction that has read users holds its metadata lock: the third statement waits for it.
    const reader = await mysql.createConnection({ uri: db.url });
    try {
      await reader.query('START TRANSACTION');
      await reader.query('SELECT * FROM users');
      const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('close', resolve));
      let waiting: number | undefined;
      for (let i = 0; i < 300 && waiting === undefined; i++) {
        const rows = await db.query<{ id: number }>("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE `users` ADD COLUMN `age`%'");
        waiting = rows[0]?.id;
        if (waiting === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(waiting !== undefined, 'the run never reached its third statement');
      child.kill('SIGKILL');
      await exited;
      // The server would run the statement once the lock is free: it is stopped first, as if the kill had come before it was sent.
      await db.query(`KILL CONNECTION ${waiting}`);
    } finally {
      await reader.end();
    }
    // Two statements ran, none is recorded as done: one mark, made before the first, stands for all three.
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'migrator_version_progress', 'one', 'two', 'users']);
    assert.deepEqual(await db.query('SELECT version_num, phase, started FROM migrator_version_progress'), [{ version_num: 'b2', phase: 0, started: 1 }]);
    const status = p.run(['status']);
    assert.match(status.stdout, /! the upgrade to revision b2 stopped halfway in an earlier run \(its statements from 1 on not recorded as done\); `migrator upgrade b2` resumes it where it stopped/, explain(status, 'to say where b2 stands'));
    const rerun = p.ok(['migrate']);
    assert.equal(rerun.stderr, 'revision b2 resumes at statement 1 of 3, where an earlier run stopped\n');
    assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'b2' }]);
    assert.deepEqual((await columnsOf('users')).slice(-1), ['age int(11) YES NULL']);
    assert.deepEqual(await tablesNow(), ['migrator_history', 'migrator_version', 'one', 'two', 'users']);
  });

  test('(f) a server that cannot be reached: one line, the password masked', () => {
    const p = project('mysql://app:Sup3r-s3cret@127.0.0.1:1/nowhere');
    p.write('versions/a1_first.ts', revision('a1', null, [USERS], ["dropTable('users')"]));
    const r = p.run(['migrate']);
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, explain(r, 'one line'));
    assert.match(r.stderr, /mysql:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere/);
    assert.doesNotMatch(r.stderr, /Sup3r-s3cret/);
  });
});
