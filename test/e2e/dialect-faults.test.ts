/**
 * Crash safety of `migrate` by fault injection, one body on SQLite, PostgreSQL and MySQL/MariaDB:
 * `migrator migrate` is killed with SIGKILL at pseudo-random moments while it applies a history of
 * eight revisions from an empty database — tables created, columns and indexes added, a foreign key,
 * rows inserted and updated by `op.execute` (40,000 orders in one INSERT, slow enough to be killed
 * in), and a script of three statements in one `op.execute`. The moments come from a seeded PRNG:
 * each revision is aimed at once, in a shuffled order, a fraction of its length (measured in an
 * unkilled run) after the `Applied` line of the revision before it.
 *
 * After every kill, once what the killed run left going has ended (the server runs the statement
 * under way to its end, then rolls back what is not committed):
 *  - the version table names one revision or none, and every revision the run printed as
 *    `Applied` is in it;
 *  - SQLite and PostgreSQL (transactional DDL): the tables and rows are exactly that revision's;
 *  - MySQL/MariaDB (each DDL statement commits): they are that revision's plus the statements of
 *    the next one that migrator_version_progress records as done, or plus more — DDL statements
 *    from the one the progress table marks as started, the last of them perhaps completed by the
 *    server after the kill with no one left to record it; the next run asks the catalog about
 *    each whether it took effect. Never a statement that changes rows: those commit with their
 *    record;
 *  - `migrator status` says where the database stands: the current revision, on MySQL the
 *    revision stopped halfway and from which statement on nothing is recorded, the pending ones;
 *  - the next `migrator migrate` (not killed) exits 0, says it resumes a revision left halfway,
 *    and applies the rest: the database is then exactly the head's — catalog and every row, so
 *    each revision's effects happened once — with one `up` history row per revision and no
 *    progress table.
 * That head is clean: `check`, with the head's models, and `status` find nothing to do.
 *
 * The reference states come from the same calls run as one revision each (on MySQL one statement
 * each), the database read after each: the state after any revision, and on MySQL after any
 * statement of one. Each kill is a subtest of its own, so one that fails does not hide the others.
 *
 * PostgreSQL and MySQL: one database each for the file (test/support/pg.ts, mysql.ts), dropped at
 * the end; an unreachable server fails the file, never skips it. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commands, Project } from '../../dist/index.js';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, lines, mysql, postgres, revisionSource, sqlite } from './graph-helpers.ts';
import { CLI, configSource, explain, prng, projects, type RunResult, type TempProject } from './helpers.ts';

const SEED = 0xfa17_2026;
const KILLS = 8;
const CUSTOMERS = 1000;
const ORDERS = 40_000;

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_dialect_faults');
  my = await createMysqlTestDatabase('migrator_dialect_faults');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

const newProject = projects();

/** What the revisions' raw SQL says differently per dialect: a source of rows k = 1…n, and concatenation. */
interface Sql {
  numbers(n: number): string;
  concat(...parts: string[]): string;
}

const DIGITS = `(${Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS d`).join(' UNION ALL ')})`;
const SQL: Record<Backend['name'], Sql> = {
  sqlite: {
    numbers: (n) => `(WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ${n}) SELECT k FROM n) AS n`,
    concat: (...parts) => parts.join(' || '),
  },
  postgres: {
    numbers: (n) => `generate_series(1, ${n}) AS n(k)`,
    concat: (...parts) => parts.join(' || '),
  },
  // MySQL caps recursive CTEs at 1000 rows (cte_max_recursion_depth, MariaDB's max_recursive_iterations): digits cross-joined.
  mysql: {
    numbers: (n) => {
      const places = Math.ceil(Math.log10(n + 1));
      const k = Array.from({ length: places }, (_, i) => `${10 ** i} * d${i}.d`).join(' + ');
      const from = Array.from({ length: places }, (_, i) => `${DIGITS} AS d${i}`).join(' CROSS JOIN ');
      return `(SELECT k FROM (SELECT 1 + ${k} AS k FROM ${from}) AS digits WHERE k <= ${n}) AS n`;
    },
    concat: (...parts) => `CONCAT(${parts.join(', ')})`,
  },
};

interface Revision {
  id: string;
  message: string;
  /** The upgrade's calls, in order; on MySQL each one statement. */
  calls: string[];
}

const column = (name: string, type: string, nullable = false, extra = ''): string => `{ name: '${name}', type: '${type}', nullable: ${nullable}${extra} }`;
const execute = (sql: string): string => `op.execute(${JSON.stringify(sql)})`;

/** The history under test, oldest first. */
function history(s: Sql): Revision[] {
  const rev = (n: number, message: string, calls: string[]): Revision => ({ id: `fa17000000${String(n).padStart(2, '0')}`, message, calls });
  return [
    rev(1, 'customers and orders', [
      `op.createTable('customers', { columns: [${column('id', 'integer')}, ${column('name', 'varchar(80)')}], primaryKey: { columns: ['id'] } })`,
      `op.createTable('orders', { columns: [${column('id', 'integer')}, ${column('customer_id', 'integer')}, ${column('amount', 'integer')}], primaryKey: { columns: ['id'] } })`,
    ]),
    rev(2, 'seed customers', [execute(`INSERT INTO customers (id, name) SELECT k, ${s.concat("'customer '", 'k')} FROM ${s.numbers(CUSTOMERS)}`)]),
    rev(3, 'emails, an index on orders, notes', [
      `op.addColumn('customers', ${column('email', 'varchar(120)', true)})`,
      `op.createIndex('orders', { name: 'ix_orders_customer', columns: ['customer_id'] })`,
      `op.addColumn('orders', ${column('note', 'varchar(40)', true)})`,
    ]),
    rev(4, 'many orders', [
      execute(`INSERT INTO orders (id, customer_id, amount) SELECT k, 1 + k % ${CUSTOMERS}, k % 997 FROM ${s.numbers(ORDERS)}`),
      execute(`UPDATE customers SET email = ${s.concat("'c'", 'id', "'@example.com'")}`),
    ]),
    rev(5, 'orders reference customers', [
      `op.createForeignKey('orders', { name: 'fk_orders_customer', columns: ['customer_id'], referencedTable: 'customers', referencedColumns: ['id'], onDelete: 'CASCADE' })`,
    ]),
    rev(6, 'a script of three statements, tiers', [
      execute(
        `UPDATE orders SET note = 'big' WHERE amount > 900; INSERT INTO customers (id, name, email) VALUES (${CUSTOMERS + 1}, 'late; comer', 'late@example.com'); DELETE FROM orders WHERE amount = 0`,
      ),
      `op.addColumn('customers', ${column('tier', 'integer', false, ", default: '0'")})`,
      execute('UPDATE customers SET tier = tier + 1 WHERE id % 3 = 0'),
    ]),
    rev(7, 'customer totals', [
      `op.createTable('customer_totals', { columns: [${column('customer_id', 'integer')}, ${column('orders', 'integer')}, ${column('amount', 'bigint')}], primaryKey: { columns: ['customer_id'] } })`,
      execute('INSERT INTO customer_totals (customer_id, orders, amount) SELECT customer_id, count(*), sum(amount) FROM orders GROUP BY customer_id'),
      `op.createIndex('customer_totals', { name: 'ix_totals_amount', columns: ['amount'] })`,
    ]),
    rev(8, 'unique emails, no notes', [
      `op.createIndex('customers', { name: 'ux_customers_email', columns: ['email'], unique: true })`,
      `op.dropColumn('orders', 'note')`,
    ]),
  ];
}

/** Models of the head's tables, for `check` once the kills are done. */
const ENTITIES: Record<string, string> = {
  customer: `import { Column, Entity, Index, PrimaryColumn } from 'migrator/decorators';

@Entity('customers')
export class Customer {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Index('ux_customers_email', { unique: true })
  @Column({ type: 'varchar', length: 120, nullable: true })
  email!: string | null;

  @Column({ type: 'integer', default: 0 })
  tier!: number;
}
`,
  order: `import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'migrator/decorators';
import { Customer } from './customer';

@Entity('orders')
export class Order {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Index('ix_orders_customer')
  @ManyToOne(() => Customer, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_orders_customer' })
  customer!: Customer;

  @Column({ type: 'integer' })
  amount!: number;
}
`,
  'customer-total': `import { Column, Entity, Index, PrimaryColumn } from 'migrator/decorators';

@Entity('customer_totals')
export class CustomerTotal {
  @PrimaryColumn({ type: 'integer', name: 'customer_id' })
  customerId!: number;

  @Column({ type: 'integer' })
  orders!: number;

  @Index('ix_totals_amount')
  @Column({ type: 'bigint' })
  amount!: string;
}
`,
};

/** The config: without models, `status` tells only where the database stands; with them, it and `check` compare the head's models too. */
function writeConfig(p: TempProject, backend: Backend, models: boolean): void {
  const database = backend.url(p.dir);
  p.write('migrator.config.ts', models ? configSource({ database }) : `export default { database: ${JSON.stringify(database)}, versions: 'versions' };\n`);
}

/** A project on `backend` whose versions/ holds `revisions`, each revising the one before, with the head's models (not in the config). */
function writeProject(p: TempProject, backend: Backend, revisions: readonly Revision[]): void {
  writeConfig(p, backend, false);
  for (const [name, source] of Object.entries(ENTITIES)) p.writeEntity(name, source);
  revisions.forEach((r, i) => p.write(`versions/${r.id}_${r.message.replace(/\W+/g, '_')}.ts`, revisionSource({ id: r.id, down: revisions[i - 1]?.id ?? null, message: r.message, upgrade: r.calls })));
}

/** The database as the test compares it: the catalog of the user tables, and a digest of each one's rows. */
interface State {
  catalog: string[];
  rows: Record<string, { count: number; sha256: string }>;
}

async function readState(backend: Backend, dir: string): Promise<State> {
  const rows: State['rows'] = {};
  for (const table of await backend.tables(dir)) {
    if (table.startsWith('migrator_')) continue;
    const all = await backend.query(dir, `SELECT * FROM ${backend.quote(table)} ORDER BY 1`);
    rows[table] = { count: all.length, sha256: createHash('sha256').update(JSON.stringify(all)).digest('hex') };
  }
  return { catalog: await backend.catalog(dir), rows };
}

const sameState = (a: State, b: State): boolean => JSON.stringify(a) === JSON.stringify(b);

/** What differs between two states, for a failure message. */
function stateDiff(actual: State, expected: State): string {
  const only = (a: string[], b: string[]): string[] => a.filter((x) => !b.includes(x));
  const out = [...only(expected.catalog, actual.catalog).map((l) => `  missing: ${l}`), ...only(actual.catalog, expected.catalog).map((l) => `  extra:   ${l}`)];
  for (const t of new Set([...Object.keys(actual.rows), ...Object.keys(expected.rows)])) {
    const a = actual.rows[t];
    const e = expected.rows[t];
    if (a?.sha256 !== e?.sha256) out.push(`  rows of ${t}: ${a ? `${a.count} rows` : 'no table'}, expected ${e ? `${e.count} rows` : 'no table'}${a && e && a.count === e.count ? ' (other values)' : ''}`);
  }
  return out.join('\n');
}

/** A run of `migrator migrate`, with when (ms after the spawn) each `Applied` line came. */
interface TimedRun extends RunResult {
  applied: { id: string; at: number }[];
  /** When it was killed (ms after the spawn); undefined when it ended first. */
  killedAt?: number;
}

/** When to kill: `delay` ms after the `Applied` line of `after` (null: after the spawn). */
interface KillPlan {
  after: string | null;
  delay: number;
}

/** Runs `migrator migrate` in `dir`; with a plan, SIGKILLs it then. */
function migrate(dir: string, plan?: KillPlan): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: dir, env: { ...process.env, DATABASE_URL: '' } });
    const applied: TimedRun['applied'] = [];
    let stdout = '';
    let stderr = '';
    let killedAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      timer = setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.kill('SIGKILL')) killedAt = performance.now() - started;
      }, plan!.delay);
    };
    if (plan?.after === null) arm();
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const at = performance.now() - started;
      // Whole lines only: a line may come in two chunks.
      const from = stdout.lastIndexOf('\n') + 1;
      stdout += d;
      for (const line of stdout.slice(from, stdout.lastIndexOf('\n') + 1).split('\n')) {
        const id = /^Applied\s+(\S+)/.exec(line)?.[1];
        if (id === undefined) continue;
        applied.push({ id, at });
        if (id === plan?.after) arm();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      clearTimeout(limit);
      resolve({ status: status ?? -1, stdout, stderr, command: 'migrator migrate', applied, killedAt });
    });
  });
}

/**
 * Waits for what a killed run leaves going to end. PostgreSQL and MySQL: its session, which runs
 * the statement under way to its end, then rolls back what is not committed — no other session
 * may be left on the database. SQLite: the next user's first read rolls back what the run left
 * in its rollback journal.
 */
async function killedRunGone(backend: Backend, dir: string): Promise<void> {
  if (backend.name === 'sqlite') {
    if (existsSync(path.join(dir, 'app.db'))) await backend.query(dir, 'SELECT count(*) AS n FROM sqlite_master');
    return;
  }
  const others =
    backend.name === 'postgres'
      ? "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
      : 'SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()';
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [{ n }] = await backend.query<{ n: number | string }>(dir, others);
    if (Number(n) === 0) return;
    assert.ok(Date.now() < deadline, 'the killed run\'s session is still there after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The progress table's rows (MySQL's record of the statements done of a revision halfway); null when there is no table. */
async function progressRows(backend: Backend, dir: string): Promise<{ version_num: string; direction: string; phase: number; started: number }[] | null> {
  if (!(await backend.tables(dir)).includes('migrator_version_progress')) return null;
  return (await backend.query<{ version_num: string; direction: string; phase: number | string; started: number | string }>(dir, 'SELECT version_num, direction, phase, started FROM migrator_version_progress')).map(
    (r) => ({ ...r, phase: Number(r.phase), started: Number(r.started) }),
  );
}

/** The kill plans: each revision aimed at once, in a shuffled order, a fraction of its length into it (a little past its end for some). */
function killPlans(ids: readonly string[], lengths: readonly number[], count: number): KillPlan[] {
  const random = prng(SEED);
  const order: number[] = [];
  while (order.length < count) {
    const round = ids.map((_, i) => i);
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [round[i], round[j]] = [round[j], round[i]];
    }
    order.push(...round);
  }
  return order.slice(0, count).map((target) => ({ after: target === 0 ? null : ids[target - 1], delay: random() * 1.1 * lengths[target] }));
}

for (const backend of [sqlite, postgres(() => pg!), mysql(() => my!)]) {
  describe(`migrate killed at pseudo-random moments on ${backend.name}`, () => {
    it(`${KILLS} kills during a history of 8 revisions: each leaves a state the next migrate finishes, every revision applied once`, { timeout: 120_000 }, async (t) => {
      const revisions = history(SQL[backend.name]);
      const ids = revisions.map((r) => r.id);
      const HEAD = ids[ids.length - 1];
      const transactional = backend.name !== 'mysql';

      // The reference states: the same calls, one revision each, the database read after each
      // (on SQLite and PostgreSQL only where a revision of the history ends).
      const split = newProject(`migrator-faults-split-${backend.name}-`);
      await backend.reset(split.dir);
      const steps = revisions.flatMap((r) => r.calls.map((call, k) => ({ id: `${r.id}s${k + 1}`, message: `${r.message} ${k + 1}`, calls: [call], last: k === r.calls.length - 1 })));
      writeProject(split, backend, steps);
      const reference: (State | undefined)[] = [await readState(backend, split.dir)];
      const project = await Project.load({ cwd: split.dir });
      for (const step of steps) {
        await commands.upgrade(project, step.id);
        reference.push(step.last || !transactional ? await readState(backend, split.dir) : undefined);
      }
      // How many calls (statements on MySQL) the first i revisions make.
      const callsBefore = revisions.reduce((n, r) => [...n, n[n.length - 1] + r.calls.length], [0]);
      /** The state after revision index `r` (-1: none) and `k` calls of the next. */
      const stateAt = (r: number, k: number): State => reference[callsBefore[r + 1] + k]!;
      const headState = stateAt(revisions.length - 1, 0);

      // The project under test, and one unkilled run to time each revision.
      const p = newProject(`migrator-faults-${backend.name}-`);
      writeProject(p, backend, revisions);
      await backend.reset(p.dir);
      const full = await migrate(p.dir);
      assert.equal(full.status, 0, explain(full, 'to exit 0'));
      assert.deepEqual(full.applied.map((a) => a.id), ids, explain(full, 'to apply every revision'));
      const unkilled = await readState(backend, p.dir);
      assert.ok(sameState(unkilled, headState), `an unkilled run gives the head's state:\n${stateDiff(unkilled, headState)}`);
      const lengths = full.applied.map((a, i) => a.at - (full.applied[i - 1]?.at ?? 0));
      t.diagnostic(`unkilled run, each Applied line in ms after the spawn: ${full.applied.map((a) => `${a.id}@${a.at.toFixed(0)}`).join(' ')}`);
      // The head every next run must reach is clean: check, with the head's models, and status find nothing to do.
      writeConfig(p, backend, true);
      const check = p.run(['check']);
      assert.equal(check.status, 0, explain(check, 'to exit 0'));
      assert.equal(check.stdout, 'No changes detected: models, database and revisions agree.\n', explain(check, 'to find no change'));
      writeConfig(p, backend, false);
      const clean = p.run(['status']);
      assert.deepEqual(lines(clean.stdout).slice(1), [`Current: ${HEAD}`, `Head: ${HEAD}`, 'Up to date.'], explain(clean, 'to find the database up to date'));
      assert.equal(clean.status, 0, explain(clean, 'to exit 0'));

      const landed: string[] = [];
      for (const [i, plan] of killPlans(ids, lengths, KILLS).entries()) {
        const aim = `kill ${i}: ${plan.delay.toFixed(0)} ms after ${plan.after === null ? 'the spawn' : `Applied ${plan.after}`}`;
        await t.test(aim, async () => {
          await backend.reset(p.dir);
          const run = await migrate(p.dir, plan);
          await killedRunGone(backend, p.dir);
          const label = `${aim} (${run.killedAt === undefined ? 'after the run ended' : `at ${run.killedAt.toFixed(0)} ms`})`;
          if (run.killedAt === undefined) assert.equal(run.status, 0, explain(run, `${label}: to exit 0, not killed`));

          // Where the version table says the database is, and what the run said it applied.
          const versions = await backend.rows(p.dir);
          assert.ok(versions.length <= 1 && versions.every((v) => ids.includes(v)), `${label}: the version table holds one known revision or none: ${versions.join(', ')}`);
          const at = versions.length ? ids.indexOf(versions[0]) : -1;
          for (const a of run.applied) assert.ok(ids.indexOf(a.id) <= at, `${label}: the killed run printed "Applied ${a.id}", but the version table is at ${versions[0] ?? 'base'}`);
          const next = revisions[at + 1];

          // What the tables hold: a revision's state; on MySQL, with the statements of the next recorded as done, or one more.
          const state = await readState(backend, p.dir);
          const progress = await progressRows(backend, p.dir);
          let halfway: { revision: string; before: number; started: boolean } | undefined;
          let unrecorded: string | undefined;
          if (transactional) {
            assert.equal(progress, null, `${label}: no progress table`);
            assert.ok(sameState(state, stateAt(at, 0)), `${label}: the database is exactly at ${versions[0] ?? 'base'}:\n${stateDiff(state, stateAt(at, 0))}`);
            landed.push(`${at + 1}`);
          } else {
            assert.ok(progress === null || progress.length <= 1, `${label}: at most one revision halfway: ${JSON.stringify(progress)}`);
            const row = progress?.[0];
            if (row) {
              assert.deepEqual({ revision: row.version_num, direction: row.direction }, { revision: next?.id, direction: 'up' }, `${label}: the revision halfway is the one after ${versions[0] ?? 'base'}`);
              // A DDL statement is marked as started before it runs: a row may name the first.
              assert.ok(row.phase >= 0 && row.phase < next.calls.length, `${label}: the progress row's statement is within ${next.id}: ${row.phase}`);
              halfway = { revision: next.id, before: row.phase + 1, started: row.started === 1 };
            }
            const done = row?.phase ?? 0;
            if (sameState(state, stateAt(at, done))) landed.push(`${at + 1}${done ? `+${done}` : ''}`);
            else {
              // How many statements past the recorded ones ran: DDL statements the run sent under the mark, the last perhaps completed by the server after the kill.
              const extra = next ? next.calls.slice(done).findIndex((_, n) => sameState(state, stateAt(at, done + n + 1))) + 1 : 0;
              assert.ok(
                extra > 0,
                `${label}: the database is at ${versions[0] ?? 'base'} with ${done} statement(s) of the next revision recorded as done, or more (under the mark of the first):\n${stateDiff(state, stateAt(at, done))}`,
              );
              const calls = next.calls.slice(done, done + extra);
              // Never rows changed without their record.
              for (const call of calls) assert.ok(!call.startsWith('op.execute('), `${label}: the rows a statement of ${next.id} changed are not there without its record: ${call}`);
              // …and marked as started, so that the next run asks whether each took effect rather than fail on running it again.
              assert.deepEqual({ phase: row?.phase, started: row?.started }, { phase: done, started: 1 }, `${label}: statement ${done + 1} of ${next.id} marked as started before it ran`);
              unrecorded = `statements ${done + 1}–${done + extra} of ${next.id} (${calls.map((c) => c.slice(0, c.indexOf('('))).join(', ')}) ran, not recorded as done`;
              landed.push(`${at + 1}+${done}+${extra} unrecorded`);
            }
          }

          // status says where it stands.
          const pending = revisions.slice(at + 1);
          const status = p.run(['status']);
          assert.deepEqual(
            lines(status.stdout).slice(1),
            [
              `Current: ${versions[0] ?? 'base (no revisions applied)'}`,
              `Head: ${HEAD}`,
              ...(halfway
                ? [
                    `! the upgrade to revision ${halfway.revision} stopped halfway in an earlier run (${halfway.started ? `its statements from ${halfway.before} on not recorded as done` : `before its statement ${halfway.before}`}); \`migrator upgrade ${halfway.revision}\` resumes it where it stopped`,
                  ]
                : []),
              ...(pending.length ? [`Pending: ${pending.length} revision${pending.length === 1 ? '' : 's'}`, ...pending.map((r) => `  ${r.id}  ${r.message}`)] : []),
              pending.length ? 'Needs migration: run `migrator migrate`.' : 'Up to date.',
            ],
            explain(status, `${label}: to tell where the database stands`),
          );
          assert.equal(status.status, pending.length ? 1 : 0, explain(status, `${label}: to exit ${pending.length ? 1 : 0}`));

          // The next run finishes the job.
          const rerun = p.run(['migrate']);
          assert.equal(rerun.status, 0, explain(rerun, `${label}: the next migrate to exit 0${unrecorded ? ` (${unrecorded})` : ''}`));
          assert.equal(
            rerun.stdout,
            pending.length ? `${pending.map((r) => `Applied  ${r.id}  ${r.message}\n`).join('')}Database is now at ${HEAD}.\n` : `Nothing to do: the database is at ${HEAD}.\n`,
            explain(rerun, `${label}: the next migrate to apply the rest`),
          );
          assert.equal(rerun.stderr, halfway ? `revision ${halfway.revision} resumes at statement ${halfway.before} of ${next.calls.length}, where an earlier run stopped\n` : '', explain(rerun, `${label}: to say only that it resumes`));
          const finished = await readState(backend, p.dir);
          assert.ok(sameState(finished, headState), `${label}: after the next migrate the database is exactly the head's:\n${stateDiff(finished, headState)}`);
          assert.deepEqual(await backend.rows(p.dir), [HEAD], `${label}: the version table at the head`);
          assert.deepEqual(await backend.tables(p.dir), Object.keys(headState.rows), `${label}: no progress table left`);
          const log = await backend.query<{ revision: string; direction: string }>(p.dir, 'SELECT revision, direction FROM migrator_history ORDER BY id');
          assert.deepEqual(log.map((h) => `${h.revision} ${h.direction}`), ids.map((id) => `${id} up`), `${label}: one history row per revision`);
        });
      }
      t.diagnostic(`kills landed at (revisions applied [+ statements of the next recorded as done]): ${landed.join(', ')}`);
      assert.ok(new Set(landed).size >= KILLS / 2, `the kills landed at ${new Set(landed).size} different places only: ${landed.join(', ')}`);

    });
  });
}
