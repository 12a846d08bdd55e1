/**
 * One history over a PostgreSQL fleet at the size the fleet is specified for, through the built
 * CLI: 50 databases and 200 schemas of one more database (`schemasQuery`), 250 targets, a
 * ten-revision history (pg-fleet-project.ts).
 *
 *  (a) one schema made to fail halfway (at revision f05 of ten): the other 249 targets complete;
 *      the failed one is at f04 — its version table says so, its history has f01…f04 once each,
 *      and none of f05's tables exists (nothing half-applied); the shared database's `public`
 *      schema is untouched; `status --all` groups the targets; a rerun after the fix completes it;
 *  (b) `downgrade --all base` moves all 250 back; a canary that fails stops the rollout;
 *  (c) two `migrate --all` processes at once: neither fails, and every target's history has one
 *      `up` row per revision;
 *  (d) a schema that does not exist is an error naming it.
 *
 * Databases made here are dropped afterwards, also when a test or the setup fails. Needs
 * `npm run build` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { FAILING, F05_TABLES, FleetProject, HEAD_TABLES, inBatches, readAll, REVS, show, TENANT_SCHEMAS, tablesOf, upRowsOf, versionOf, type Target } from './pg-fleet-project.ts';

const DATABASES = 50;
const SCHEMAS = 200;
const TOTAL = DATABASES + SCHEMAS;
const HEAD = REVS[REVS.length - 1];
/** The revision before the failing one: where the failed target stays. */
const BEFORE_FAILING = REVS[REVS.indexOf(FAILING) - 1];

const dbName = (i: number): string => `db${String(i).padStart(2, '0')}`;
const schemaName = (i: number): string => `tenant_${String(i).padStart(3, '0')}`;
/** The target made to fail halfway. */
const BROKEN = `shared/${schemaName(137)}`;

/** Every database made, for `after` to drop whatever the setup got to. */
const made: TestDatabase[] = [];
let dbs: TestDatabase[] = [];
let shared: TestDatabase;
let project: FleetProject | undefined;

const make = async (prefix: string): Promise<TestDatabase> => {
  const db = await createTestDatabase(prefix);
  made.push(db);
  return db;
};

/** Each target's database and schema, in the order of the config. */
const targets = (): Target[] => [
  ...dbs.map((db, i) => ({ name: dbName(i), db, schema: 'public' })),
  ...Array.from({ length: SCHEMAS }, (_, i) => ({ name: `shared/${schemaName(i)}`, db: shared, schema: schemaName(i) })),
];
const target = (name: string): Target => targets().find((t) => t.name === name)!;

/** Every target's version rows, by target name. */
const versions = (): Promise<Record<string, string[] | undefined>> => readAll(targets(), versionOf, [shared]);
const everywhere = <T>(v: T): Record<string, T> => Object.fromEntries(targets().map((t) => [t.name, v]));

const p = (): FleetProject => project!;

before(async () => {
  // A few at a time: the server is shared, and so are its connections.
  dbs = await inBatches(DATABASES, 5, () => make('migrator_fleet'));
  shared = await make('migrator_fleet_shared');
  await shared.query(Array.from({ length: SCHEMAS }, (_, i) => `CREATE SCHEMA ${schemaName(i)};`).join('\n'));
  project = new FleetProject([...dbs.map((db, i) => ({ name: dbName(i), url: db.url })), { name: 'shared', url: shared.url, schemasQuery: TENANT_SCHEMAS }]);
});

after(async () => {
  const results = await Promise.allSettled(made.map((db) => db.drop()));
  project?.cleanup();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
});

describe(`a PostgreSQL fleet: ${DATABASES} databases and ${SCHEMAS} schemas of one more, ${REVS.length} revisions`, () => {
  test('(a) a target failing halfway: the other 249 complete, it stays at a revision boundary with nothing half-applied, a rerun completes it', async () => {
    // The broken schema already has f05's third table: f05 fails there after creating two.
    const broken = target(BROKEN);
    await shared.query(`CREATE TABLE "${broken.schema}".invoice_note (x integer)`);
    const r = p().run(['migrate', '--all', '--parallel', '8', '--continue-on-error']);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stdout, new RegExp(`^Migrating ${TOTAL} targets, 8 at a time$`, 'm'));
    assert.match(r.stdout, new RegExp(`^\\[\\s*\\d+/${TOTAL}\\] ${BROKEN}: FAILED at revision ${FAILING}: .*relation "invoice_note" already exists \\(in statement: CREATE TABLE "invoice_note"`, 'm'), show(r));
    assert.match(r.stdout, new RegExp(`^${BROKEN}\\s+base\\s+${BEFORE_FAILING}\\s+4\\s+.*failed$`, 'm'), show(r));
    assert.match(r.stdout, new RegExp(`^${TOTAL - 1} migrated, 1 failed \\(of ${TOTAL}\\)\\.$`, 'm'), show(r));
    assert.equal(r.stdout.match(/ migrated base -> f10 \(10 steps\)/g)?.length, TOTAL - 1, show(r));
    assert.doesNotMatch(r.stdout + r.stderr, /postgres:\/\/[^@\s]*:[^@\s]*@/, 'no URL with a password is printed');

    // Every other target is at the head with the head's tables.
    assert.deepEqual(await versions(), { ...everywhere([HEAD]), [BROKEN]: [BEFORE_FAILING] });
    const tables = await readAll(targets(), tablesOf, [shared]);
    assert.deepEqual(tables, { ...everywhere(HEAD_TABLES), [BROKEN]: ['account', 'invoice_note'] });
    // The failed revision left nothing behind: neither of the tables it created before failing,
    // nor a change to the table it failed on; its history has the four revisions once each.
    for (const t of F05_TABLES.slice(0, 2)) assert.deepEqual(await shared.query('SELECT to_regclass($1) AS t', [`"${broken.schema}".${t}`]), [{ t: null }], t);
    assert.deepEqual(await shared.query("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'invoice_note'", [broken.schema]), [{ column_name: 'x' }]);
    assert.deepEqual(await upRowsOf(broken), { f01: 1, f02: 1, f03: 1, f04: 1 });
    assert.deepEqual(await shared.query(`SELECT id, name FROM "${broken.schema}".account`), [{ id: 1, name: 'first' }]);
    // Each schema holds its own tables; the shared database's public schema has none of them.
    assert.deepEqual(await shared.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), []);

    // status --all: one line for the 249 alike, one for the one behind.
    const s = p().run(['status', '--all']);
    assert.equal(s.status, 1, show(s));
    assert.match(s.stdout, new RegExp(`^${TOTAL - 1} targets \\(db00, db01, db02, db03, db04, … ${TOTAL - 6} more\\) at ${HEAD} \\(head\\): nothing pending, checksums ok$`, 'm'), show(s));
    assert.match(s.stdout, new RegExp(`^${BROKEN} at ${BEFORE_FAILING}: 6 pending, checksums ok$`, 'm'), show(s));
    assert.match(s.stdout, new RegExp(`^${TOTAL - 1} of ${TOTAL} targets up to date; run \`migrator migrate --all\`\\.$`, 'm'), show(s));

    await shared.query(`DROP TABLE "${broken.schema}".invoice_note`);
    const again = p().run(['migrate', '--all']);
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, new RegExp(`${BROKEN}: migrated ${BEFORE_FAILING} -> ${HEAD} \\(6 steps\\)`));
    assert.match(again.stdout, new RegExp(`^1 migrated, ${TOTAL - 1} up to date \\(of ${TOTAL}\\)\\.$`, 'm'), show(again));
    assert.deepEqual(await versions(), everywhere([HEAD]));
    assert.deepEqual(await tablesOf(broken), HEAD_TABLES);
    assert.deepEqual(await upRowsOf(broken), Object.fromEntries(REVS.map((id) => [id, 1])));
    const ok = p().run(['status', '--all', '--json']);
    assert.equal(ok.status, 0, show(ok));
    assert.deepEqual(JSON.parse(ok.stdout).summary, { total: TOTAL, upToDate: TOTAL, behind: 0, failed: 0 });
  });

  test('(b) downgrade --all moves every target back; a failing canary stops the rollout', async () => {
    const down = p().run(['downgrade', '--all', 'base', '--parallel', '8']);
    assert.equal(down.status, 0, show(down));
    assert.match(down.stdout, new RegExp(`^${TOTAL} downgraded \\(of ${TOTAL}\\)\\.$`, 'm'), show(down));
    assert.deepEqual(await versions(), everywhere([]));
    assert.deepEqual(await readAll(targets(), tablesOf, [shared]), everywhere([]));

    await dbs[1].query('CREATE TABLE account (x integer)');
    const r = p().run(['migrate', '--all', '--canary', '3', '--json']);
    assert.equal(r.status, 2, show(r));
    const doc = JSON.parse(r.stdout) as { targets: { target: string; status: string; steps: number; error?: { revision?: string; message: string } }[]; stopped: string };
    assert.equal(doc.stopped, 'canary');
    assert.deepEqual(doc.targets.slice(0, 4).map((t) => [t.target, t.status, t.steps]), [
      ['db00', 'migrated', 10],
      ['db01', 'failed', 0],
      ['db02', 'migrated', 10],
      ['db03', 'not run', 0],
    ]);
    assert.equal(doc.targets.filter((t) => t.status === 'not run').length, TOTAL - 3);
    assert.equal(doc.targets[1].error?.revision, 'f01');
    assert.match(doc.targets[1].error!.message, /relation "account" already exists/);
    assert.deepEqual(await versions(), { ...everywhere([]), db00: [HEAD], db02: [HEAD] });
    assert.deepEqual(await tablesOf(target('db01')), ['account'], 'the failed canary is where it was');
    await dbs[1].query('DROP TABLE account');
  });

  test('(c) two migrate --all at once: every revision once per target', async () => {
    // Only the two canaries that completed have anything to undo.
    const down = p().run(['downgrade', '--all', 'base']);
    assert.equal(down.status, 0, show(down));
    assert.match(down.stdout, new RegExp(`^2 downgraded, ${TOTAL - 2} up to date \\(of ${TOTAL}\\)\\.$`, 'm'), show(down));
    // Histories start empty, so that each `up` row counted below is one of this run.
    await readAll(targets().filter((t) => t.db !== shared), (t) => t.db.query('DELETE FROM migrator_history'));
    await shared.query(Array.from({ length: SCHEMAS }, (_, i) => `DELETE FROM ${schemaName(i)}.migrator_history;`).join('\n'));

    const [a, b] = await Promise.all([p().runAsync(['migrate', '--all', '--parallel', '6', '--json']), p().runAsync(['migrate', '--all', '--parallel', '6', '--json'])]);
    assert.equal(a.status, 0, show(a));
    assert.equal(b.status, 0, show(b));
    // Between them, each target was migrated once and found up to date once — or, when the two
    // met on a target, one waited for the other's lock and then found nothing left to do.
    const steps = (r: typeof a): number => (JSON.parse(r.stdout) as { targets: { steps: number }[] }).targets.reduce((n, t) => n + t.steps, 0);
    assert.equal(steps(a) + steps(b), TOTAL * REVS.length, `${show(a)}\n${show(b)}`);
    assert.deepEqual(await versions(), everywhere([HEAD]));
    const once = Object.fromEntries(REVS.map((id) => [id, 1]));
    assert.deepEqual(await readAll(targets(), upRowsOf, [shared]), everywhere(once));
  });

  test('(d) a schema that does not exist is an error naming it', () => {
    const cfg = p().write('missing.config.ts', `export default { versions: 'versions', targets: [{ name: 'app', url: ${JSON.stringify(shared.url)}, schemas: ['${schemaName(0)}', 'no_such_tenant'] }] };\n`);
    const r = p().run(['--config', cfg, 'migrate', '--all', '--parallel', '1']);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stdout, /app\/no_such_tenant: FAILED: schema "no_such_tenant" does not exist in postgres:\/\/.*; create it first/, show(r));
    assert.match(r.stdout, new RegExp(`app/${schemaName(0)}: up to date at ${HEAD}`));
  });
});
