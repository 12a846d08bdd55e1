/**
 * A statement PostgreSQL refuses: the one-line error as always, then what the server said about
 * it, each on its own line — the statement's line with a caret under the position, `detail:`,
 * `hint:`, a function's query and `context:`. No stack trace without --verbose, no password, and
 * the revision rolled back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { explain, projects, sqlRevision, type RunResult, type TempProject } from './helpers.ts';

const newProject = projects();

const PASSWORD = 'Pg-Detail-Canary';
const BASE = 'base00000001';
const BAD = 'bad000000002';

/** A revision on BASE whose upgrade is `body`. */
function revision(body: string): string {
  return `/**
 * bad
 */
import type { Operations } from 'migrator';

export const revision = '${BAD}';
export const downRevision: string | string[] | null = '${BASE}';

export async function upgrade(op: Operations): Promise<void> {
${body}
}

export async function downgrade(op: Operations): Promise<void> {}
`;
}

describe('errors from PostgreSQL keep its DETAIL, HINT and position', () => {
  let db: TestDatabase;
  let p: TempProject;
  let env: Record<string, string>;
  before(async () => {
    db = await createTestDatabase('migrator_error_details');
    const url = new URL(db.url);
    url.password = PASSWORD;
    env = { ERROR_DETAILS_PG_URL: url.toString() };
    p = newProject('migrator-pg-details-');
    p.write('migrator.config.ts', "import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: process.env.ERROR_DETAILS_PG_URL, models: ['entities/*.ts'], versions: 'versions' });\n");
    p.write(`versions/${BASE}_base.ts`, sqlRevision(BASE, null, 'base', ['CREATE TABLE t (x integer)', 'INSERT INTO t VALUES (1), (1), (2)'], ['DROP TABLE t']));
    p.ok(['migrate'], env);
  });
  after(async () => {
    await db?.drop();
  });

  /** Runs `migrate` with the BAD revision upgrading by `body`; asserts it failed cleanly and changed nothing. */
  async function failing(body: string, args: string[] = []): Promise<RunResult> {
    const file = p.write(`versions/${BAD}_bad.ts`, revision(body));
    try {
      const r = p.run([...args, 'migrate'], env);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD), explain(r, 'never to print the password'));
      assert.deepEqual(
        (await db.query<{ v: string }>('SELECT version_num AS v FROM migrator_version')).map((row) => row.v),
        [BASE],
        'the database stays at the previous revision',
      );
      assert.equal(r.stderr.split('\n')[0], `error: upgrade ${BASE} -> ${BAD} failed; revision ${BAD} (${file}) was rolled back: ${firstLineOf(r)}`);
      return r;
    } finally {
      p.remove(`versions/${BAD}_bad.ts`);
    }
  }
  /** The message after "was rolled back: " (asserted by each case). */
  const firstLineOf = (r: RunResult): string => r.stderr.split('\n')[0].replace(/^.* was rolled back: /, '');
  /** stderr after the first line. */
  const under = (r: RunResult): string => r.stderr.slice(r.stderr.indexOf('\n') + 1);

  it('DETAIL: a unique index over duplicate rows names the duplicated key', async () => {
    const r = await failing("  await op.createIndex('t', { name: 't_x_key', columns: ['x'], unique: true });");
    assert.equal(firstLineOf(r), 'could not create unique index "t_x_key" (in statement: CREATE UNIQUE INDEX "t_x_key" ON "t" ("x"))');
    assert.equal(under(r), '  detail: Key (x)=(1) is duplicated.\n');
  });

  it('HINT and position: a function that does not exist', async () => {
    const r = await failing("  await op.execute('SELECT nosuchfunc(1)');");
    assert.equal(firstLineOf(r), 'function nosuchfunc(integer) does not exist (in statement: SELECT nosuchfunc(1))');
    assert.equal(
      under(r),
      [
        '  line 1: SELECT nosuchfunc(1)',
        '                 ^',
        '  hint: No function matches the given name and argument types. You might need to add explicit type casts.',
        '',
      ].join('\n'),
    );
  });

  it('position: a syntax error in a script of several lines points at its line and character', async () => {
    const r = await failing("  await op.execute('UPDATE t SET x = 3 WHERE x = 2;\\nSELECT x\\n  FORM t');");
    assert.equal(firstLineOf(r), 'syntax error at or near "t" (in statement: UPDATE t SET x = 3 WHERE x = 2; SELECT x FORM t)');
    assert.equal(under(r), ['  line 3:   FORM t', '                 ^', ''].join('\n'));
    assert.deepEqual(await db.query('SELECT x FROM t ORDER BY x'), [{ x: 1 }, { x: 1 }, { x: 2 }], 'the UPDATE before it was rolled back');
  });

  it('a syntax error in one of several statements sent together names that statement, not the first', async () => {
    const r = await failing("  await op.execute('CREATE TABLE good (a integer)');\n  await op.execute('CREATE TABLE bad (a integer(11), b uuid(36))');\n  await op.execute('CREATE TABLE other (a integer)');");
    assert.equal(firstLineOf(r), 'syntax error at or near "(" (in statement: CREATE TABLE bad (a integer(11), b uuid(36)))');
    assert.equal(under(r), ['  line 1: CREATE TABLE bad (a integer(11), b uuid(36))', `${' '.repeat('  line 1: CREATE TABLE bad (a integer'.length)}^`, ''].join('\n'));
    assert.deepEqual(await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('good', 'other')`), [{ n: 0 }], 'nothing of the revision stays');
  });

  it('a DO block: the query it ran, with a caret, and where in the block', async () => {
    const r = await failing('  await op.execute("DO $$ BEGIN EXECUTE \'SELECT * FROM no_such_table\'; END $$");');
    assert.match(firstLineOf(r), /^relation "no_such_table" does not exist \(in statement: DO \$\$/);
    assert.equal(
      under(r),
      ['  query line 1: SELECT * FROM no_such_table', '                              ^', '  context: PL/pgSQL function inline_code_block line 1 at EXECUTE', ''].join('\n'),
    );
  });

  it('a password in the statement is masked there too, and the caret still points at the error', async () => {
    const r = await failing(`  await op.execute("SELECT '${PASSWORD}' FROM FROM t");`);
    assert.equal(firstLineOf(r), `syntax error at or near "FROM" (in statement: SELECT '***' FROM FROM t)`);
    assert.equal(under(r), ["  line 1: SELECT '***' FROM FROM t", `${' '.repeat(28)}^`, ''].join('\n'));
  });

  it('--verbose adds the stack trace after them; without it there is none', async () => {
    const plain = await failing("  await op.execute('SELECT nosuchfunc(1)');");
    assert.ok(!plain.stderr.includes('    at '), explain(plain, 'to print no stack trace'));
    const verbose = await failing("  await op.execute('SELECT nosuchfunc(1)');", ['--verbose']);
    assert.ok(verbose.stderr.startsWith(plain.stderr), explain(verbose, 'to print the same lines first'));
    assert.match(verbose.stderr.slice(plain.stderr.length), /^MigratorError: .*\n {4}at /, explain(verbose, 'to print the stack trace after them'));
  });
});
