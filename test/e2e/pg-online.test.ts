/**
 * Online DDL on PostgreSQL, end to end through the built CLI (`dist/cli/main.js`):
 *  - every online operation leaves the catalog it promises (a valid index built CONCURRENTLY,
 *    NOT VALID constraints validated or left unvalidated, NOT NULL set through a check that is
 *    gone afterwards), `downgrade` undoes it, and no progress is left after success;
 *    `export const transaction = false` runs VACUUM, which no transaction can hold;
 *  - offline SQL prints each phase with its own BEGIN/COMMIT, the version UPDATE in the last
 *    transaction and the lock timeout to set; the script runs through `psql -v ON_ERROR_STOP=1`;
 *    `--single-transaction` is refused for a revision with a statement outside a transaction;
 *  - a session blocking `CREATE INDEX CONCURRENTLY` past lockTimeout: exit 2 naming it, saying a
 *    rerun resumes; the rerun completes and rebuilds the INVALID index the timeout left;
 *  - SIGKILL at seeded moments of a phased revision on a table of some 300k rows: the version
 *    table is always at the old or the new revision, a rerun finishes the revision and the
 *    catalog equals that of an uninterrupted run;
 *  - a revision stopped halfway is not resumed once its file's statements changed, and no other
 *    command runs before it is finished;
 *  - `migrate` over a downgrade stopped halfway refuses, saying how to finish it;
 *  - a run waiting for the run lock while another builds an index CONCURRENTLY: both complete (the
 *    wait polls, so it holds no snapshot for the build to wait for).
 *
 * One database for the file (test/support/pg.ts), plus one for the offline script; every test
 * starts from an empty `public` schema. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { CLI, explain, offlineHistory, projects, type RunResult, type TempProject } from './helpers.ts';
import { ONLINE, ONLINE_DOWN, ONLINE_PHASES, ONLINE_UP, revisionFile, TABLES } from './online-revisions.ts';

let db: TestDatabase;
const newProject = projects();

before(async () => {
  db = await createTestDatabase('migrator_online');
});
after(async () => {
  await db?.drop();
});

/** A project on the test database, with extra config keys. */
function project(extra = '', url = db.url): TempProject {
  const p = newProject('migrator-online-');
  p.write(
    'migrator.config.ts',
    `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: ${JSON.stringify(url)}, models: ['entities/*.ts'], versions: 'versions'${extra ? `, ${extra}` : ''} });\n`,
  );
  return p;
}

interface Running {
  child: ChildProcess;
  done: Promise<RunResult>;
  /** What it has written to stderr so far. */
  stderr: () => string;
}

/** Starts the CLI without blocking the event loop, so the test can act meanwhile. */
function start(p: TempProject, args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' } });
  let stderr = '';
  const done = new Promise<RunResult>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status: status ?? (signal ? -1 : -2), stdout, stderr, command: `migrator ${args.join(' ')}` }));
  });
  return { child, done, stderr: () => stderr };
}

const run = (p: TempProject, args: string[]): Promise<RunResult> => start(p, args).done;

async function ok(p: TempProject, args: string[]): Promise<RunResult> {
  const r = await run(p, args);
  assert.equal(r.status, 0, explain(r, 'to exit 0'));
  return r;
}

/** A session of its own, named so that the messages can be checked for it. */
async function session(name: string, url = db.url): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: name });
  await c.connect();
  return c;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => Promise<boolean>, what: string, tries = 1200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function resetSchema(on: TestDatabase = db): Promise<void> {
  // A killed run's backend may still be finishing its statement: it goes first.
  await until(async () => (await migratorSessions(on)) === 0, 'earlier runs to end');
  await on.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

/** Backends of migrator runs on the database (application_name 'migrator'). */
async function migratorSessions(on: TestDatabase = db): Promise<number> {
  const [{ n }] = await on.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'migrator'`);
  return n;
}

/** `parents` parents and `n` items that satisfy every constraint b2 adds, spread over the parents. */
async function fill(n: number, parents = 100): Promise<void> {
  await db.query(`INSERT INTO parents SELECT g FROM generate_series(1, ${parents}) g`);
  await db.query(`INSERT INTO items SELECT g, 1 + (g::bigint * 7919) % ${parents}, 1 + g % 97, 'c' || g FROM generate_series(1, ${n}) g`);
  // Hint bits set and statistics taken now, not by whichever run scans the table first.
  await db.query('VACUUM (ANALYZE) parents');
  await db.query('VACUUM (ANALYZE) items');
}

// ---------------------------------------------------------------------------------------------
// The catalog

interface Catalog {
  indexes: { name: string; valid: boolean; def: string }[];
  constraints: { name: string; type: string; validated: boolean; def: string }[];
  columns: { name: string; notNull: boolean }[];
}

async function catalog(table: string, on: TestDatabase = db): Promise<Catalog> {
  const indexes = await on.query<Catalog['indexes'][number]>(
    `SELECT c.relname::text AS name, i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass ORDER BY 1`,
    [table],
  );
  const constraints = await on.query<Catalog['constraints'][number]>(
    `SELECT conname::text AS name, contype::text AS type, convalidated AS validated, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY 1`,
    [table],
  );
  const columns = await on.query<Catalog['columns'][number]>(
    `SELECT attname::text AS name, attnotnull AS "notNull" FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return { indexes, constraints, columns };
}

async function versions(on: TestDatabase = db): Promise<string[]> {
  return (await on.query<{ v: string }>('SELECT version_num AS v FROM migrator_version ORDER BY 1')).map((r) => r.v);
}

interface ProgressRow {
  version_num: string;
  direction: string;
  phase: number;
  started: number;
}

async function progressRows(on: TestDatabase = db): Promise<ProgressRow[]> {
  const [{ exists }] = await on.query<{ exists: boolean }>(`SELECT to_regclass('migrator_version_progress') IS NOT NULL AS exists`);
  if (!exists) return [];
  return on.query<ProgressRow>('SELECT version_num, direction, phase, started FROM migrator_version_progress ORDER BY 1, 2');
}

async function tables(on: TestDatabase = db): Promise<string[]> {
  const rows = await on.query<{ t: string }>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return rows.map((r) => r.t);
}

async function invalidIndexes(table: string, on: TestDatabase = db): Promise<number> {
  const [{ n }] = await on.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_index WHERE indrelid = $1::regclass AND NOT indisvalid', [table]);
  return n;
}

/** items after a1: no index but the key, no constraint but the key, every column but id nullable. */
const ITEMS_AT_A1: Catalog = {
  indexes: [{ name: 'items_pkey', valid: true, def: 'CREATE UNIQUE INDEX items_pkey ON public.items USING btree (id)' }],
  constraints: [{ name: 'items_pkey', type: 'p', validated: true, def: 'PRIMARY KEY (id)' }],
  columns: [
    { name: 'id', notNull: true },
    { name: 'parent_id', notNull: false },
    { name: 'qty', notNull: false },
    { name: 'code', notNull: false },
  ],
};

/** items after b2. */
const ITEMS_AT_B2: Catalog = {
  indexes: [
    { name: 'items_pkey', valid: true, def: 'CREATE UNIQUE INDEX items_pkey ON public.items USING btree (id)' },
    { name: 'items_qty_idx', valid: true, def: 'CREATE INDEX items_qty_idx ON public.items USING btree (qty)' },
  ],
  constraints: [
    { name: 'items_parent_fk', type: 'f', validated: true, def: 'FOREIGN KEY (parent_id) REFERENCES parents(id)' },
    { name: 'items_pkey', type: 'p', validated: true, def: 'PRIMARY KEY (id)' },
    { name: 'items_qty_positive', type: 'c', validated: true, def: 'CHECK ((qty > 0))' },
  ],
  columns: [
    { name: 'id', notNull: true },
    { name: 'parent_id', notNull: false },
    { name: 'qty', notNull: false },
    { name: 'code', notNull: true },
  ],
};

// ---------------------------------------------------------------------------------------------

describe('online operations, run', () => {
  test('each one leaves the catalog it promises; downgrade undoes them; no progress is left', async () => {
    await resetSchema();
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    p.write(
      'versions/b2_online.ts',
      revisionFile(
        'b2',
        'a1',
        'online',
        [
          ...ONLINE_UP,
          "await op.createIndex('items', { name: 'items_code_key', columns: ['code'], unique: true, concurrently: true });",
          "await op.createCheckConstraint('items', { name: 'items_code_short', expression: 'length(code) < 100' }, { validate: false });",
          "await op.createForeignKey('items', { name: 'items_parent_nv_fk', columns: ['parent_id'], referencedTable: 'parents', referencedColumns: ['id'] }, { validate: false });",
          "await op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS items_parent_idx ON items (parent_id)', { transaction: false });",
        ],
        [
          "await op.execute('DROP INDEX CONCURRENTLY IF EXISTS items_parent_idx', { transaction: false });",
          "await op.dropConstraint('items', 'items_parent_nv_fk', 'foreignKey');",
          "await op.dropConstraint('items', 'items_code_short', 'check');",
          "await op.dropIndex('items', 'items_code_key', { concurrently: true });",
          ...ONLINE_DOWN,
        ],
      ),
    );
    await ok(p, ['upgrade', 'a1']);
    await fill(2000);

    const r = await ok(p, ['migrate']);
    assert.equal(r.stdout, 'Applied  b2  online\nDatabase is now at b2.\n');
    assert.equal(r.stderr, '');
    assert.deepEqual(await versions(), ['b2']);
    const c = await catalog('items');
    assert.deepEqual(c.indexes, [
      { name: 'items_code_key', valid: true, def: 'CREATE UNIQUE INDEX items_code_key ON public.items USING btree (code)' },
      { name: 'items_parent_idx', valid: true, def: 'CREATE INDEX items_parent_idx ON public.items USING btree (parent_id)' },
      ...ITEMS_AT_B2.indexes,
    ]);
    assert.deepEqual(c.constraints, [
      { name: 'items_code_short', type: 'c', validated: false, def: 'CHECK ((length(code) < 100)) NOT VALID' },
      { name: 'items_parent_fk', type: 'f', validated: true, def: 'FOREIGN KEY (parent_id) REFERENCES parents(id)' },
      { name: 'items_parent_nv_fk', type: 'f', validated: false, def: 'FOREIGN KEY (parent_id) REFERENCES parents(id) NOT VALID' },
      { name: 'items_pkey', type: 'p', validated: true, def: 'PRIMARY KEY (id)' },
      { name: 'items_qty_positive', type: 'c', validated: true, def: 'CHECK ((qty > 0))' },
    ]);
    assert.ok(!c.constraints.some((k) => k.name === 'items_code_not_null'), 'the check that proved NOT NULL is dropped');
    assert.deepEqual(c.columns, ITEMS_AT_B2.columns);
    assert.deepEqual(await tables(), ['items', 'migrator_history', 'migrator_version', 'parents']);
    assert.deepEqual(await progressRows(), []);
    // An unvalidated constraint still checks new rows.
    await assert.rejects(db.query("INSERT INTO items VALUES (999999, 1, 1, repeat('x', 200))"), /items_code_short/);
    await assert.rejects(db.query("INSERT INTO items VALUES (999999, 1, 1, NULL)"), /null value in column "code"/);

    await ok(p, ['downgrade', 'a1']);
    assert.deepEqual(await catalog('items'), ITEMS_AT_A1);
    assert.deepEqual(await versions(), ['a1']);
    assert.deepEqual(await progressRows(), []);

    const down = await ok(p, ['downgrade', 'base']);
    assert.match(down.stdout, /^Reverted a1 {2}tables$/m);
    assert.deepEqual(await tables(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(await versions(), []);
    assert.deepEqual(await progressRows(), []);
  });

  test('`export const transaction = false` runs VACUUM, which fails in the revision’s transaction', async () => {
    await resetSchema();
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    await ok(p, ['upgrade', 'a1']);
    await fill(100);

    // In the revision's one transaction, VACUUM cannot run: the revision is rolled back.
    p.write(
      'versions/b2_vacuum.ts',
      revisionFile('b2', 'a1', 'vacuum', ["await op.addColumn('items', { name: 'note', type: 'text', nullable: true });", "await op.execute('VACUUM (ANALYZE) items');"], [
        "await op.dropColumn('items', 'note');",
      ]),
    );
    const refused = await run(p, ['migrate']);
    assert.equal(refused.status, 2, explain(refused, 'to exit 2'));
    assert.match(refused.stderr, /^error: upgrade a1 -> b2 failed; revision b2 \(\S*b2_vacuum\.ts\) was rolled back: VACUUM cannot run inside a transaction block \(in statement: VACUUM \(ANALYZE\) items\)/);
    assert.deepEqual(await versions(), ['a1']);
    assert.ok(!(await catalog('items')).columns.some((c) => c.name === 'note'));

    // Each operation on its own, VACUUM outside any transaction.
    p.write(
      'versions/b2_vacuum.ts',
      revisionFile(
        'b2',
        'a1',
        'vacuum',
        [
          "await op.addColumn('items', { name: 'note', type: 'text', nullable: true });",
          "await op.execute(\"UPDATE items SET note = 'n' || id\");",
          "await op.execute('VACUUM (ANALYZE) items');",
          "await op.createIndex('items', { name: 'items_note_idx', columns: ['note'] });",
        ],
        ["await op.dropIndex('items', 'items_note_idx');", "await op.execute('VACUUM items');", "await op.dropColumn('items', 'note');"],
        '\nexport const transaction = false;\n',
      ),
    );
    const r = await ok(p, ['migrate']);
    assert.match(r.stdout, /^Applied {2}b2 {2}vacuum$/m);
    assert.deepEqual(await versions(), ['b2']);
    assert.deepEqual(await progressRows(), []);
    const [{ vacuumed }] = await db.query<{ vacuumed: boolean }>("SELECT last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'items'");
    assert.equal(vacuumed, true, 'VACUUM ran on items');
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM items WHERE note = 'n' || id");
    assert.equal(n, 100);
    assert.deepEqual(
      (await catalog('items')).indexes.map((i) => [i.name, i.valid]),
      [
        ['items_note_idx', true],
        ['items_pkey', true],
      ],
    );

    await ok(p, ['downgrade', 'base']);
    assert.deepEqual(await tables(), ['migrator_history', 'migrator_version']);
  });
});

// ---------------------------------------------------------------------------------------------

const history = offlineHistory('postgres');

/** The offline script of a1 and b2, with the lock timeout it sets. */
const offlineScript = (lockTimeout: string): string => `SET lock_timeout = '${lockTimeout}';
SET statement_timeout = '0ms';

CREATE TABLE IF NOT EXISTS "migrator_version" ("version_num" varchar(32) NOT NULL, CONSTRAINT "migrator_version_pkc" PRIMARY KEY ("version_num"));

${history.create}

-- Running upgrade <base> -> a1
-- tables
BEGIN;
CREATE TABLE "parents" ("id" integer NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE "items" ("id" integer NOT NULL, "parent_id" integer, "qty" integer, "code" text, PRIMARY KEY ("id"));
INSERT INTO "migrator_version" ("version_num") VALUES ('a1');
${history.row('a1', TABLES)}
COMMIT;

-- Running upgrade a1 -> b2
-- online
-- phase 1 of 8, outside a transaction
CREATE INDEX CONCURRENTLY "items_qty_idx" ON "items" ("qty");
-- phase 2 of 8
BEGIN;
ALTER TABLE "items" ADD CONSTRAINT "items_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "parents" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID;
COMMIT;
-- phase 3 of 8
BEGIN;
ALTER TABLE "items" VALIDATE CONSTRAINT "items_parent_fk";
COMMIT;
-- phase 4 of 8
BEGIN;
ALTER TABLE "items" ADD CONSTRAINT "items_qty_positive" CHECK (qty > 0) NOT VALID;
COMMIT;
-- phase 5 of 8
BEGIN;
ALTER TABLE "items" VALIDATE CONSTRAINT "items_qty_positive";
COMMIT;
-- phase 6 of 8
BEGIN;
ALTER TABLE "items" ADD CONSTRAINT "items_code_not_null" CHECK ("code" IS NOT NULL) NOT VALID;
COMMIT;
-- phase 7 of 8
BEGIN;
ALTER TABLE "items" VALIDATE CONSTRAINT "items_code_not_null";
COMMIT;
-- phase 8 of 8
BEGIN;
ALTER TABLE "items" ALTER COLUMN "code" SET NOT NULL;
ALTER TABLE "items" DROP CONSTRAINT "items_code_not_null";
UPDATE "migrator_version" SET "version_num" = 'b2' WHERE "version_num" = 'a1';
${history.row('b2', ONLINE)}
COMMIT;
`;

describe('online operations, offline', () => {
  test('upgrade --sql prints each phase in its transaction, the version UPDATE in the last; psql runs it', async () => {
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    p.write('versions/b2_online.ts', ONLINE);
    const r = await ok(p, ['upgrade', 'heads', '--sql']);
    assert.equal(r.stdout, offlineScript('5000ms'));
    assert.equal(r.stderr, '');

    const script = p.write('upgrade.sql', r.stdout);
    const target = await createTestDatabase('migrator_online_sql');
    try {
      const psql = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', script, target.url], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(psql.status, 0, `psql failed:\n${psql.stdout}\n${psql.stderr}`);
      assert.equal(psql.stderr, '');
      assert.deepEqual(await versions(target), ['b2']);
      assert.deepEqual(await catalog('items', target), ITEMS_AT_B2);
      assert.equal(await invalidIndexes('items', target), 0);
    } finally {
      await target.drop();
    }
  });

  test('--lock-timeout 3s sets it in the script', async () => {
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    p.write('versions/b2_online.ts', ONLINE);
    const r = await ok(p, ['upgrade', 'heads', '--sql', '--lock-timeout', '3s']);
    assert.equal(r.stdout, offlineScript('3000ms'));
    // Started from a1, the script holds b2 alone.
    const b2 = await ok(p, ['upgrade', 'a1:b2', '--sql', '--lock-timeout', '3s']);
    assert.match(b2.stdout, /^SET lock_timeout = '3000ms';\nSET statement_timeout = '0ms';\n\nCREATE TABLE IF NOT EXISTS "migrator_history" \([^\n]*\);\n\n-- Running upgrade a1 -> b2\n/);
  });

  test('--single-transaction is refused for a statement outside a transaction, offline and online', async () => {
    await resetSchema();
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    p.write('versions/b2_online.ts', ONLINE);
    const r = await run(p, ['upgrade', 'heads', '--sql', '--single-transaction']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^error: revision b2 \(\S*b2_online\.ts\) runs statements outside a transaction \(CREATE INDEX CONCURRENTLY "items_qty_idx" ON "items" \("qty"\)\), which one transaction for the whole script cannot hold; leave out --single-transaction\n$/,
    );

    await ok(p, ['upgrade', 'a1']);
    const online = await run(p, ['migrate', '--single-transaction']);
    assert.equal(online.status, 2, explain(online, 'to exit 2'));
    assert.match(online.stderr, /CREATE INDEX CONCURRENTLY "items_qty_idx" ON "items" \("qty"\)/);
    assert.match(online.stderr, /run without --single-transaction/);
    assert.deepEqual(await versions(), ['a1']);
    assert.deepEqual(await catalog('items'), ITEMS_AT_A1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('a lock timeout in a phased revision', () => {
  test('CREATE INDEX CONCURRENTLY blocked by an open transaction: exit 2 naming it; the rerun resumes and leaves no INVALID index', async () => {
    await resetSchema();
    const p = project("lockTimeout: '300ms', lockRetries: 1, lockWait: '30s'");
    p.write('versions/a1_tables.ts', TABLES);
    await ok(p, ['upgrade', 'a1']);
    await fill(1000);
    p.write('versions/b2_online.ts', ONLINE);

    // CONCURRENTLY waits for every transaction holding a lock that conflicts with SHARE.
    const blocker = await session('nightly-report');
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE items IN ROW EXCLUSIVE MODE');
      const [{ pid }] = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      const r = await run(p, ['migrate']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 2, explain(r, 'to print one retry notice and an error'));
      assert.match(lines[0], new RegExp(`^revision b2 waited too long for a table lock held by pid ${pid} \\(application "nightly-report".*; rolled back, trying again in 0\\.5 s \\(2 of 2\\)$`));
      assert.match(
        lines[1],
        new RegExp(
          `^error: upgrade a1 -> b2 failed; revision b2 \\(\\S*b2_online\\.ts\\) stopped in its phase 1 of ${ONLINE_PHASES} \\(outside a transaction\\); what ran before it is kept and recorded, and a rerun resumes there: a statement waited longer than the lock timeout \\(300 ms\\) for a table lock, 2 times \\(in statement: .*\\)`,
        ),
      );
      assert.match(lines[1], new RegExp(`held by pid ${pid} \\(application "nightly-report"`), explain(r, 'to name the blocking session in the error'));
      assert.deepEqual(await versions(), ['a1']);
      assert.deepEqual(
        (await progressRows()).map((row) => [row.version_num, row.direction, row.phase, row.started]),
        [['b2', 'up', 0, 1]],
      );
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }

    const again = await ok(p, ['migrate']);
    assert.equal(again.stderr, `revision b2 resumes at phase 1 of ${ONLINE_PHASES}, where an earlier run stopped\n`);
    assert.match(again.stdout, /^Applied {2}b2 {2}online$/m);
    assert.equal(await invalidIndexes('items'), 0);
    assert.deepEqual(await catalog('items'), ITEMS_AT_B2);
    assert.deepEqual(await versions(), ['b2']);
    assert.deepEqual(await progressRows(), []);
  });
});

// ---------------------------------------------------------------------------------------------

/** A small linear congruential generator: the same kill moments on every run of the test. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ROWS = 300_000;
const KILLS = 8;

describe('SIGKILL during a phased revision', () => {
  test(`${KILLS} kills at seeded moments: the version is old or new, a rerun finishes, the catalog is the uninterrupted one`, { timeout: 240_000 }, async (t) => {
    await resetSchema();
    const p = project("lockWait: '30s'");
    p.write('versions/a1_tables.ts', TABLES);
    await ok(p, ['upgrade', 'a1']);
    // As many parents as items: validating the foreign key takes about as long as the index.
    await fill(ROWS, ROWS);
    p.write('versions/b2_online.ts', ONLINE);

    // One uninterrupted run: its end state, and how long its phases take (from the moment the
    // progress row appears to the end). Each kill is aimed at a seeded moment of that window,
    // counted from when the killed run's progress row appears: before it, nothing has happened.
    const phasesStart = async (exited: () => boolean): Promise<number | undefined> => {
      while (!exited()) {
        if ((await progressRows()).length > 0) return performance.now();
        await sleep(5);
      }
      return undefined;
    };
    const first = start(p, ['migrate']);
    let finished = false;
    void first.done.then(() => (finished = true));
    const phased = await phasesStart(() => finished);
    const r = await first.done;
    const window = performance.now() - (phased ?? performance.now());
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.ok(phased !== undefined, 'the uninterrupted run was seen between phases');
    const expected = await catalog('items');
    assert.deepEqual(expected, ITEMS_AT_B2);
    assert.deepEqual(await progressRows(), []);
    await ok(p, ['downgrade', 'a1']);
    assert.deepEqual(await catalog('items'), ITEMS_AT_A1);
    t.diagnostic(`uninterrupted migrate of ${ROWS} rows: its phases took ${window.toFixed(0)} ms`);

    const random = lcg(0x5eed);
    const landed = new Map<string, number>();
    let resumed = 0;
    let waitedForLock = 0;
    for (let round = 0; round < KILLS; round++) {
      const delay = random() * window;
      const running = start(p, ['migrate']);
      let exited = false;
      void running.done.then(() => (exited = true));
      await phasesStart(() => exited);
      await sleep(delay);
      if (!exited) running.child.kill('SIGKILL');
      const killed = await running.done;

      // At any moment the version table holds one revision or the other, never both or none.
      const at = await versions();
      assert.ok(at.length === 1 && ['a1', 'b2'].includes(at[0]), `round ${round}: version table holds ${JSON.stringify(at)} after a kill ${delay.toFixed(0)} ms into the phases`);
      const rows = await progressRows();
      assert.ok(rows.length <= 1, `round ${round}: progress rows ${JSON.stringify(rows)}`);
      for (const row of rows) {
        assert.deepEqual([row.version_num, row.direction], ['b2', 'up'], `round ${round}: progress row ${JSON.stringify(row)}`);
        assert.deepEqual(at, ['a1'], `round ${round}: a progress row while the version table moved`);
      }
      const where =
        killed.status === 0
          ? 'finished before the kill'
          : rows.length
            ? `between phases: in phase ${rows[0].phase + 1} of ${ONLINE_PHASES}${rows[0].started ? ', outside a transaction, started' : ''}`
            : at[0] === 'b2'
              ? 'after the last commit'
              : 'before the first phase';
      landed.set(where, (landed.get(where) ?? 0) + 1);
      t.diagnostic(`round ${round + 1}: killed ${delay.toFixed(0)} ms into the phases, ${where}`);

      // Rerun without killing: at most two reruns to finish.
      let done: RunResult | undefined;
      for (let attempt = 0; attempt < 2 && !done; attempt++) {
        const again = await run(p, ['migrate']);
        if (/resumes at phase \d+ of \d+/.test(again.stderr)) resumed++;
        if (/^Waiting for the migration lock/m.test(again.stderr)) waitedForLock++;
        if (again.status === 0) done = again;
        else t.diagnostic(`round ${round + 1}: rerun ${attempt + 1} failed: ${again.stderr.trim().replace(/\n/g, ' | ')}`);
      }
      assert.ok(done, `round ${round}: migrate did not complete in two reruns`);
      // Seen halfway and applied by the rerun: resumed. (A rerun with nothing to do means the
      // killed run's last COMMIT was already on its way.)
      if (rows.length && /^Applied {2}b2/m.test(done.stdout)) {
        assert.match(done.stderr, new RegExp(`revision b2 resumes at phase \\d+ of ${ONLINE_PHASES}, where an earlier run stopped`), explain(done, 'to resume the revision'));
      }
      assert.deepEqual(await versions(), ['b2']);
      assert.deepEqual(await catalog('items'), expected, `round ${round}: the catalog after the rerun`);
      assert.equal(await invalidIndexes('items'), 0);
      assert.deepEqual(await progressRows(), []);

      await ok(p, ['downgrade', 'a1']);
      assert.deepEqual(await catalog('items'), ITEMS_AT_A1, `round ${round}: the catalog after downgrade`);
      assert.deepEqual(await progressRows(), []);
    }
    t.diagnostic(`kills by where they landed: ${[...landed].map(([k, v]) => `${v}× ${k}`).join('; ')}`);
    t.diagnostic(`reruns that resumed: ${resumed}; reruns that waited for a killed run's lock: ${waitedForLock}`);
    const between = [...landed].filter(([k]) => k.startsWith('between phases')).reduce((n, [, v]) => n + v, 0);
    assert.ok(between > 0, `no kill landed between phases: ${JSON.stringify([...landed])}`);
    assert.ok(resumed > 0, 'no rerun resumed a revision');
  });
});

// ---------------------------------------------------------------------------------------------

describe('a revision stopped halfway', () => {
  test('is not resumed once its statements changed, and no other command moves before it is finished', async () => {
    await resetSchema();
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    await ok(p, ['upgrade', 'a1']);
    await fill(500);
    // One row breaks the check: its validation (phase 5) fails after phases 1-4 are committed.
    await db.query('UPDATE items SET qty = 0 WHERE id = 7');
    const file = p.write('versions/b2_online.ts', ONLINE);

    const failed = await run(p, ['migrate']);
    assert.equal(failed.status, 2, explain(failed, 'to exit 2'));
    assert.match(
      failed.stderr,
      new RegExp(
        `^error: upgrade a1 -> b2 failed; revision b2 \\(\\S*b2_online\\.ts\\) stopped in its phase 5 of ${ONLINE_PHASES}; what ran before it is kept and recorded, and a rerun resumes there: check constraint "items_qty_positive" of relation "items" is violated by some row \\(in statement: ALTER TABLE "items" VALIDATE CONSTRAINT "items_qty_positive"\\)\\n$`,
      ),
    );
    assert.deepEqual(await versions(), ['a1']);
    assert.deepEqual(
      (await progressRows()).map((row) => [row.version_num, row.direction, row.phase, row.started]),
      [['b2', 'up', 4, 0]],
    );
    const halfway = await catalog('items');
    assert.deepEqual(
      halfway.constraints.map((c) => [c.name, c.validated]),
      [
        ['items_parent_fk', true],
        ['items_pkey', true],
        ['items_qty_positive', false],
      ],
    );

    // Another command first: refused, nothing moves.
    for (const args of [['downgrade', 'base'], ['downgrade', '-1']]) {
      const other = await run(p, args);
      assert.equal(other.status, 2, explain(other, 'to exit 2'));
      assert.equal(
        other.stderr,
        `error: the upgrade to revision b2 stopped halfway in an earlier run (before its phase 5); finish it first: \`migrator upgrade b2\` resumes it where it stopped\n`,
      );
      assert.deepEqual(await versions(), ['a1']);
      assert.deepEqual(await catalog('items'), halfway);
    }

    // The file edited meanwhile: refused, naming the file and the progress table.
    p.write('versions/b2_online.ts', ONLINE.replace("expression: 'qty > 0'", "expression: 'qty >= 0'"));
    const edited = await run(p, ['migrate']);
    assert.equal(edited.status, 2, explain(edited, 'to exit 2'));
    assert.equal(
      edited.stderr,
      `error: revision b2 (${file}) stopped halfway in an earlier run (before its phase 5), and its statements have changed since; restore the file as it was and rerun, or finish the revision by hand and run \`migrator stamp b2\`\n`,
    );
    assert.deepEqual(await versions(), ['a1']);
    assert.deepEqual(await catalog('items'), halfway);

    // A change that leaves the statements as they were (a comment) does not stop the resume.
    p.write('versions/b2_online.ts', ONLINE.replace(' * online\n', ' * online, with a note\n'));
    await db.query('UPDATE items SET qty = 1 WHERE id = 7');
    const resumed = await ok(p, ['upgrade', 'b2']);
    assert.equal(resumed.stderr, `revision b2 resumes at phase 5 of ${ONLINE_PHASES}, where an earlier run stopped\n`);
    assert.match(resumed.stdout, /^Applied {2}b2 {2}online, with a note$/m);
    assert.deepEqual(await versions(), ['b2']);
    assert.deepEqual(await catalog('items'), ITEMS_AT_B2);
    assert.deepEqual(await progressRows(), []);
  });

  test('a progress row written by hand with another plan is refused the same way', async () => {
    await resetSchema();
    const p = project();
    p.write('versions/a1_tables.ts', TABLES);
    const file = p.write('versions/b2_online.ts', ONLINE);
    await ok(p, ['upgrade', 'a1']);
    await db.query(
      `CREATE TABLE migrator_version_progress (version_num varchar(32) NOT NULL, direction varchar(4) NOT NULL, phase integer NOT NULL, started integer NOT NULL, plan varchar(64) NOT NULL, PRIMARY KEY (version_num, direction))`,
    );
    await db.query(`INSERT INTO migrator_version_progress VALUES ('b2', 'up', 2, 0, 'not-this-plan')`);
    const r = await run(p, ['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.equal(
      r.stderr,
      `error: revision b2 (${file}) stopped halfway in an earlier run (before its phase 3), and its statements have changed since; restore the file as it was and rerun, or finish the revision by hand and run \`migrator stamp b2\`\n`,
    );
    const other = await run(p, ['downgrade', 'base']);
    assert.equal(other.status, 2, explain(other, 'to exit 2'));
    assert.match(other.stderr, /^error: the upgrade to revision b2 stopped halfway in an earlier run \(before its phase 3\); finish it first: `migrator upgrade b2` resumes it where it stopped\n$/);
    assert.deepEqual(await versions(), ['a1']);
    assert.deepEqual(await catalog('items'), ITEMS_AT_A1);
  });
});

describe('a downgrade stopped halfway', () => {
  test(
    'migrate does not report "nothing to do" over it',
    async () => {
      await resetSchema();
      const p = project();
      p.write('versions/a1_tables.ts', TABLES);
      p.write('versions/b2_online.ts', ONLINE);
      await ok(p, ['migrate']);
      // As a downgrade of b2 killed in its second phase leaves it: the version table still at b2.
      await db.query(
        `CREATE TABLE migrator_version_progress (version_num varchar(32) NOT NULL, direction varchar(4) NOT NULL, phase integer NOT NULL, started integer NOT NULL, plan varchar(64) NOT NULL, PRIMARY KEY (version_num, direction))`,
      );
      await db.query(`INSERT INTO migrator_version_progress VALUES ('b2', 'down', 1, 1, 'plan')`);
      const r = await run(p, ['migrate']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.match(r.stderr, /^error: the downgrade of revision b2 stopped halfway in an earlier run \(before its phase 2\); finish it first: `migrator downgrade a1` resumes it where it stopped\n$/);
    },
  );
});

describe('two runs at once', () => {
  test(
    'a run waiting for the run lock while the other builds an index CONCURRENTLY: both complete',
    async () => {
      await resetSchema();
      const p = project("lockTimeout: '30s', lockWait: '30s'");
      p.write('versions/a1_tables.ts', TABLES);
      await ok(p, ['upgrade', 'a1']);
      await fill(20_000);
      p.write('versions/b2_online.ts', ONLINE);
      // The first run's CONCURRENTLY build waits for this transaction; the second run queues for the run lock meanwhile.
      const blocker = await session('nightly-report');
      let first: Running | undefined;
      let second: Running | undefined;
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE items IN ROW EXCLUSIVE MODE');
        first = start(p, ['migrate']);
        await until(async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'migrator' AND wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY%'`)).length > 0, 'the first run to build');
        second = start(p, ['migrate']);
        await until(async () => /Waiting for the migration lock/.test(second!.stderr()), 'the second run to wait for the run lock');
        // Longer than deadlock_timeout (1 s): the second run's wait alone deadlocks nothing.
        await sleep(1500);
      } finally {
        await blocker.query('COMMIT').catch(() => undefined);
        await blocker.end();
      }
      const [a, b] = await Promise.all([first!.done, second!.done]);
      assert.equal(a.status, 0, explain(a, 'to exit 0'));
      assert.equal(b.status, 0, explain(b, 'to exit 0'));
      assert.match(b.stdout, /^Nothing to do: the database is at b2\.$/m);
      assert.deepEqual(await versions(), ['b2']);
      assert.deepEqual(await catalog('items'), ITEMS_AT_B2);
    },
  );
});
