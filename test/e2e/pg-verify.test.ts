/**
 * `migrator verify` on PostgreSQL: the scratch database is created on the configured server and
 * dropped afterwards — after a failure too — or is the empty one `--scratch-url` names, emptied
 * again; the configured database keeps its tables and version rows; URLs are printed masked.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../support/pg.ts';
import { assertUserError, explain, projects, type RunResult, type TempProject } from './helpers.ts';
import { generatedChain } from './verify-chain.ts';

const newProject = projects();

/** Non-empty lines of a command's stdout. */
const lines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.trim() !== '');

/** Runs `body` on a connection to the test server's maintenance database. */
async function onServer<T>(body: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** The databases verify creates (named migrator_verify_…) that exist now, sorted. */
const scratchDatabases = (): Promise<string[]> =>
  onServer(async (c) => (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'migrator\\_verify\\_%' ORDER BY datname")).rows.map((r) => r.datname));

/** The scratch database's name, from the last line of the output. */
function scratchName(r: RunResult): string {
  const m = / on scratch database postgres:\/\/\S+\/(migrator_verify_\w+)\.$/m.exec(r.stdout);
  assert.ok(m, explain(r, 'to name the scratch database on its last line'));
  return m[1];
}

/** `url` with another user, password or database. */
function withUrl(url: string, change: { user?: string; password?: string; database?: string }): string {
  const u = new URL(url);
  if (change.user !== undefined) u.username = change.user;
  if (change.password !== undefined) u.password = change.password;
  if (change.database !== undefined) u.pathname = `/${change.database}`;
  return u.toString();
}

/** Tables of the public schema and the version table's rows: what must not change. */
async function stateOf(db: TestDatabase): Promise<{ tables: string[]; versions: string[] }> {
  const tables = (await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r.t);
  const versions = tables.includes('migrator_version') ? (await db.query<{ v: string }>('SELECT version_num AS v FROM migrator_version ORDER BY 1')).map((r) => r.v) : [];
  return { tables, versions };
}

/** A hand-written revision file calling the `op` API. */
function opRevision(id: string, down: string | null, message: string, up: string[], downgrade: string[]): string {
  const body = (calls: string[]): string => calls.map((c) => `  await op.${c};`).join('\n');
  return `/**
 * ${message}
 */
import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(op: Operations): Promise<void> {
${body(up)}
}

export async function downgrade(op: Operations): Promise<void> {
${body(downgrade)}
}
`;
}

/**
 * Revisions by hand: an enum, a table using it, a table with a foreign key to it, a column, an
 * index, a renamed column. `b4`'s downgrade is `downgradeB4`.
 */
function handChain(p: TempProject, database: string, downgradeB4: string[]): void {
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(database)}, versions: ['versions'] };\n`);
  p.write('versions/a1.ts', opRevision('a1', null, 'create status and users', [
    "createEnum('status', ['active', 'gone'])",
    "createTable('users', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'name', type: 'text', nullable: false }, { name: 'status', type: 'status', nullable: false, default: \"'active'\" }], primaryKey: { columns: ['id'] } })",
  ], ["dropTable('users')", "dropEnum('status')"]));
  p.write('versions/b2.ts', opRevision('b2', 'a1', 'create posts', [
    "createTable('posts', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'user_id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] }, foreignKeys: [{ name: 'posts_user_fk', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE' }] })",
  ], ["dropTable('posts')"]));
  p.write('versions/c3.ts', opRevision('c3', 'b2', 'index posts by user', ["createIndex('posts', { name: 'posts_user_ix', columns: ['user_id'] })"], ["dropIndex('posts', 'posts_user_ix')"]));
  p.write('versions/b4.ts', opRevision('b4', 'c3', 'add title', ["addColumn('posts', { name: 'title', type: 'varchar(200)', nullable: true })"], downgradeB4));
  p.write('versions/e5.ts', opRevision('e5', 'b4', 'rename name to full_name', ["renameColumn('users', 'name', 'full_name')"], ["renameColumn('users', 'full_name', 'name')"]));
}

let db: TestDatabase;
let existing: string[] = [];

before(async () => {
  db = await createTestDatabase('migrator_test_verify');
  existing = await scratchDatabases();
});

after(async () => {
  await db?.drop();
});

describe('verify on PostgreSQL', () => {
  it('a generated chain passes against the models; the configured database is unchanged; the scratch database is dropped', async () => {
    const p = newProject();
    p.writeConfig({ database: db.url });
    generatedChain(p, []);
    const before = await stateOf(db);
    assert.equal(before.versions.length, 1);
    const r = p.ok(['verify']);
    assert.equal(r.stderr, '');
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    c1create  create customer',
      'ok    c2email  add email',
      'ok    c3index  index email',
      'ok    c4order  create order',
      'ok    c5fk  order belongs to customer',
      'ok    c6rename  rename name to full_name',
      "The revisions build the models' schema.",
    ]);
    assert.match(lines(r.stdout).at(-1)!, /^OK: 6 revisions verified on scratch database postgres:\/\/\S+\/migrator_verify_\d+_[0-9a-f]{8}\.$/);
    assert.deepEqual(await stateOf(db), before, 'the configured database keeps its tables and version rows');
    assert.deepEqual(await scratchDatabases(), existing, `the scratch database ${scratchName(r)} is dropped`);
  });

  it('a downgrade that leaves a column: exit 1 naming it; the scratch database is dropped all the same', async () => {
    const p = newProject();
    handChain(p, db.url, []);
    const before = await stateOf(db);
    const r = p.run(['verify']);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    a1  create status and users',
      'ok    b2  create posts',
      'ok    c3  index posts by user',
      'FAIL  b4  add title',
      '  its downgrade (versions/b4.ts) does not restore the schema from before its upgrade; to restore it, the downgrade would also have to:',
      '    - drop column posts.title',
      'Not verified, after the failure: e5',
      'Heads and models not checked: verification stopped at revision b4.',
    ]);
    assert.deepEqual(await scratchDatabases(), existing, `the scratch database ${scratchName(r)} is dropped`);
    assert.deepEqual(await stateOf(db), before);
  });

  it('a downgrade that fails: exit 1 with what the server said; the scratch database is dropped', async () => {
    const p = newProject();
    handChain(p, db.url, ["dropColumn('posts', 'title')", "execute('DROP TABLE no_such_table')"]);
    const r = p.run(['verify', '--json']);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    const doc = JSON.parse(r.stdout) as { ok: boolean; revisions: { revision: string; ok: boolean; problem?: { direction: string; error: string } }[]; notRun: string[]; scratch: string };
    assert.equal(doc.ok, false);
    assert.deepEqual(doc.revisions.map((v) => [v.revision, v.ok]), [['a1', true], ['b2', true], ['c3', true], ['b4', false]]);
    assert.equal(doc.revisions[3].problem?.direction, 'downgrade');
    assert.match(doc.revisions[3].problem!.error, /^downgrade b4 -> c3 failed; revision b4 \(\S+versions\/b4\.ts\) was rolled back: table "no_such_table" does not exist/);
    assert.deepEqual(doc.notRun, ['e5']);
    assert.deepEqual(await scratchDatabases(), existing);
  });

  it('a good hand-written chain passes; a password in the URL is printed masked', async () => {
    const p = newProject();
    const secret = `pw${randomBytes(4).toString('hex')}`;
    handChain(p, withUrl(db.url, { password: secret }), ["dropColumn('posts', 'title')"]);
    const r = p.ok(['verify', '--json']);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), explain(r, 'to print no password'));
    const doc = JSON.parse(r.stdout) as { ok: boolean; scratch: string; revisions: unknown[]; models: unknown };
    assert.equal(doc.ok, true);
    assert.equal(doc.revisions.length, 5);
    assert.match(doc.scratch, /^postgres:\/\/postgres:\*\*\*@[^/]+\/migrator_verify_\d+_[0-9a-f]{8}$/);
    assert.deepEqual(doc.models, { checked: false, reason: `no models in ${p.path('migrator.config.ts')}` });
    assert.deepEqual(await scratchDatabases(), existing);
  });
});

describe('verify --scratch-url on PostgreSQL', () => {
  let scratch: TestDatabase;

  before(async () => {
    scratch = await createTestDatabase('migrator_test_verify_scratch');
  });

  after(async () => {
    await scratch?.drop();
  });

  it('uses the database given, creates none, and leaves it empty again', async () => {
    const p = newProject();
    handChain(p, db.url, ["dropColumn('posts', 'title')"]);
    const before = await stateOf(db);
    const r = p.ok(['verify', '--scratch-url', scratch.url]);
    assert.match(lines(r.stdout).at(-1)!, new RegExp(`^OK: 5 revisions verified on scratch database postgres://\\S+/${scratch.name}\\.$`));
    assert.deepEqual(await stateOf(scratch), { tables: [], versions: [] });
    assert.deepEqual(await scratch.query("SELECT typname FROM pg_type WHERE typname = 'status'"), [], 'the enum is dropped too');
    assert.deepEqual(await scratchDatabases(), existing);
    assert.deepEqual(await stateOf(db), before);
  });

  it('is emptied after a failure too', async () => {
    const p = newProject();
    handChain(p, db.url, []);
    const r = p.run(['verify', '--scratch-url', scratch.url]);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.deepEqual(await stateOf(scratch), { tables: [], versions: [] });
  });

  it('a database with tables is refused: exit 2, one line, left as it was', async () => {
    const p = newProject();
    handChain(p, db.url, []);
    await scratch.query('CREATE TABLE keep (id integer)');
    try {
      const line = assertUserError(p.run(['verify', '--scratch-url', scratch.url]));
      assert.match(line, /^error: --scratch-url postgres:\/\/\S+ is not empty \(table keep\); verify needs an empty database, which it leaves empty again$/);
      assert.deepEqual((await stateOf(scratch)).tables, ['keep']);
    } finally {
      await scratch.query('DROP TABLE keep');
    }
  });

  it('the configured database is refused', async () => {
    const p = newProject();
    handChain(p, db.url, []);
    const line = assertUserError(p.run(['verify', '--scratch-url', db.url]));
    assert.match(line, /is the configured database; verify never changes it/);
  });
});

describe('verify where the server refuses CREATE DATABASE', () => {
  const role = `migrator_test_nocreate_${randomBytes(4).toString('hex')}`;

  before(async () => {
    await onServer((c) => c.query(`CREATE ROLE "${role}" LOGIN NOCREATEDB`));
  });

  after(async () => {
    await onServer((c) => c.query(`DROP ROLE IF EXISTS "${role}"`));
  });

  it('exit 2, one line saying to pass --scratch-url', () => {
    const p = newProject();
    handChain(p, withUrl(db.url, { user: role }), []);
    const line = assertUserError(p.run(['verify']));
    assert.match(line, /^error: cannot create a scratch database on the server of postgres:\/\/\S+: permission denied to create database; pass --scratch-url <url> of an empty database verify may use instead$/);
  });
});
