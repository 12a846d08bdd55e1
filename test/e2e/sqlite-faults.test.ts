/**
 * Crash safety of SQLite rebuilds by fault injection: `migrate` is killed with SIGKILL at
 * pseudo-random moments while it rebuilds a 20,000-row parent table (type change + dropped column)
 * that a 40,000-row child table references with ON DELETE CASCADE, with an index, a trigger and a
 * view on it. After every kill the database must be at the old revision or the new one — schema
 * exactly that revision's, no `_migrator_tmp_` table, every parent and child row there — and the
 * next `migrate` must finish the job.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { it } from 'node:test';
import { CLI, prng, projects, type TempProject } from './helpers.ts';
import { BASE, cliOk, initProject, masterRows, openDb, REV2, writeRevision, type Row } from './rebuild-helpers.ts';

const newProject = projects();

const PARENTS = 20_000;
const CHILDREN = 40_000;
const ITERATIONS = 12;
const SEED = 0x5eed_2026;

const SETUP = [
  'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code varchar(16) NOT NULL, legacy TEXT, payload TEXT NOT NULL)',
  'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE, qty INTEGER NOT NULL)',
  'CREATE INDEX ix_parent_code ON parent (code)',
  'CREATE INDEX ix_child_parent ON child (parent_id)',
  'CREATE TABLE parent_log (id INTEGER PRIMARY KEY, parent_id INTEGER, what TEXT)',
  "CREATE TRIGGER parent_au AFTER UPDATE ON parent BEGIN INSERT INTO parent_log (parent_id, what) VALUES (new.id, 'update'); END",
  'CREATE VIEW parent_totals AS SELECT p.id, p.name, sum(c.qty) AS qty FROM parent p JOIN child c ON c.parent_id = p.id GROUP BY p.id',
  `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ${PARENTS})
   INSERT INTO parent SELECT k, 'parent ' || k, printf('P%06d', k), 'legacy ' || k, 'payload-' || k || '-' || hex(zeroblob(100)) FROM n`,
  `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ${CHILDREN})
   INSERT INTO child SELECT k, (k % ${PARENTS}) + 1, k % 97 FROM n`,
];
const CHANGE = "  await op.alterColumn('parent', 'code', { type: 'varchar(64)' });\n  await op.dropColumn('parent', 'legacy');";

interface State {
  versions: string[];
  master: Row[];
  tmpTables: number;
  parents: number;
  children: number;
  parentSum: string;
  childSum: string;
  integrity: unknown;
  fkViolations: number;
}

/** sha256 over the rows of a query, in order. */
function checksum(db: ReturnType<typeof openDb>, sql: string): string {
  const hash = createHash('sha256');
  for (const row of db.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row)).update('\n');
  return hash.digest('hex');
}

/** What the invariant looks at. Opening the file rolls back a hot journal, as any next user would. */
function readState(file: string): State {
  const db = openDb(file);
  try {
    return {
      versions: (db.prepare('SELECT version_num FROM migrator_version ORDER BY 1').all() as Row[]).map((r) => r.version_num as string),
      master: masterRows(db),
      tmpTables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '\\_migrator\\_tmp\\_%' ESCAPE '\\'").get() as Row).n as number,
      parents: (db.prepare('SELECT count(*) AS n FROM parent').get() as Row).n as number,
      children: (db.prepare('SELECT count(*) AS n FROM child').get() as Row).n as number,
      // Only the columns both revisions have; the type change keeps every value.
      parentSum: checksum(db, 'SELECT id, name, code, payload FROM parent ORDER BY id'),
      childSum: checksum(db, 'SELECT id, parent_id, qty FROM child ORDER BY id'),
      integrity: db.pragma('integrity_check', { simple: true }),
      fkViolations: (db.pragma('foreign_key_check') as unknown[]).length,
    };
  } finally {
    db.close();
  }
}

interface Timing {
  /** Milliseconds from spawn to exit. */
  duration: number;
  /** When the rollback journal was first and last seen: the rebuild's write transaction. */
  journalFrom?: number;
  journalTo?: number;
}

/** Runs `migrate` to completion, watching for the rollback journal to time the transaction. */
function timedMigrate(p: TempProject): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const journal = p.path('app.db-journal');
    const started = performance.now();
    const timing: Partial<Timing> = {};
    const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = setInterval(() => {
      if (existsSync(journal)) {
        const at = performance.now() - started;
        timing.journalFrom ??= at;
        timing.journalTo = at;
      }
    }, 1);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`migrate exited ${code}: ${stderr}`));
      else resolve({ ...timing, duration: performance.now() - started } as Timing);
    });
  });
}

/**
 * Spawns `migrate` and SIGKILLs it: `delay` ms after the spawn, or (with `afterJournal`) that many
 * ms after its rollback journal appears, i.e. into the rebuild's write transaction. Reports when
 * the kill came, in ms from the spawn.
 */
function killedMigrate(
  p: TempProject,
  when: { delay: number } | { afterJournal: number },
): Promise<{ killed: boolean; killedAt?: number; code: number | null; hotJournal: boolean }> {
  return new Promise((resolve, reject) => {
    const journal = p.path('app.db-journal');
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' }, stdio: 'ignore' });
    let killed = false;
    let killedAt: number | undefined;
    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = child.kill('SIGKILL');
      killedAt = performance.now() - started;
    };
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if ('delay' in when) timer = setTimeout(kill, when.delay);
    else {
      poll = setInterval(() => {
        if (!existsSync(journal)) return;
        clearInterval(poll);
        timer = setTimeout(kill, when.afterJournal);
      }, 1);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      // A journal left with content means the process died inside its write transaction.
      resolve({ killed, killedAt, code, hotJournal: existsSync(journal) && statSync(journal).size > 0 });
    });
  });
}

function resetDatabase(p: TempProject): void {
  for (const f of ['app.db', 'app.db-journal', 'app.db-wal', 'app.db-shm']) rmSync(p.path(f), { force: true });
  copyFileSync(p.path('pristine.db'), p.path('app.db'));
}

it(`SIGKILL at ${ITERATIONS} pseudo-random moments of a parent-table rebuild never loses a row or leaves a half-done schema`, { timeout: 120_000 }, async (t) => {
  const p = newProject('migrator-faults-');
  initProject(p, SETUP);
  writeRevision(p, REV2, BASE, 'rebuild parent', CHANGE);
  await cliOk(p, ['upgrade', BASE]);
  copyFileSync(p.path('app.db'), p.path('pristine.db'));

  // Reference states, made once: the pristine database, and a full run of the rebuild.
  const oldState = readState(p.path('pristine.db'));
  assert.deepEqual(oldState.versions, [BASE]);
  assert.equal(oldState.parents, PARENTS);
  assert.equal(oldState.children, CHILDREN);
  const runs: Timing[] = [];
  for (let i = 0; i < 2; i++) {
    resetDatabase(p);
    runs.push(await timedMigrate(p));
  }
  const newState = readState(p.path('app.db'));
  assert.deepEqual(newState.versions, [REV2]);
  assert.notDeepEqual(newState.master, oldState.master, 'the revision changes the schema');
  assert.equal(newState.parentSum, oldState.parentSum, 'a full run keeps every parent value');
  assert.equal(newState.childSum, oldState.childSum, 'a full run keeps every child row');
  assert.equal(newState.integrity, 'ok');
  assert.equal(newState.fkViolations, 0);
  const parentSql = (s: State): string => String(s.master.find((m) => m.name === 'parent')?.sql);
  assert.match(parentSql(newState), /varchar\(64\)/);
  assert.doesNotMatch(parentSql(newState), /legacy/);

  const duration = Math.max(...runs.map((r) => r.duration));
  const windows = runs.filter((r) => r.journalFrom !== undefined);
  assert.ok(windows.length > 0, 'the rollback journal was seen during a full run');
  const from = Math.min(...windows.map((r) => r.journalFrom!));
  const to = Math.max(...windows.map((r) => r.journalTo!));
  t.diagnostic(`one full migrate: ${duration.toFixed(0)} ms; rebuild transaction seen from ${from.toFixed(0)} to ${to.toFixed(0)} ms`);

  // Even iterations: a delay anywhere in [0, duration] after the spawn. Odd ones: a delay into
  // the rebuild's transaction (from its journal appearing, up to a little past its measured
  // length, so that some land just after the commit): kills that surely land mid-rebuild.
  const random = prng(SEED);
  const outcomes: { killedAt?: number; killed: boolean; hotJournal: boolean; at: 'old' | 'new' }[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const u = random();
    const when: { delay: number } | { afterJournal: number } = i % 2 === 0 ? { delay: u * duration } : { afterJournal: u * 1.2 * Math.max(1, to - from) };
    resetDatabase(p);
    const run = await killedMigrate(p, when);
    const plan = 'delay' in when ? `${when.delay.toFixed(1)} ms after spawn` : `${when.afterJournal.toFixed(1)} ms into the transaction`;
    if (!run.killed) assert.equal(run.code, 0, `iteration ${i}: migrate not killed (${plan}), and did not succeed`);

    const state = readState(p.path('app.db'));
    const label = `iteration ${i} (kill ${plan}${run.killed ? ` at ${run.killedAt!.toFixed(1)} ms` : ', after the run ended'}${run.hotJournal ? ', mid-transaction' : ''})`;
    const at = state.versions.length === 1 && state.versions[0] === REV2 ? 'new' : 'old';
    assert.deepEqual(state.versions, at === 'new' ? [REV2] : [BASE], `${label}: the version table is at the old or the new revision`);
    assert.deepEqual(state.master, (at === 'new' ? newState : oldState).master, `${label}: the schema is exactly the ${at} revision's`);
    assert.equal(state.tmpTables, 0, `${label}: no _migrator_tmp_ table`);
    assert.equal(state.parents, PARENTS, `${label}: every parent row`);
    assert.equal(state.children, CHILDREN, `${label}: every child row`);
    assert.equal(state.parentSum, oldState.parentSum, `${label}: parent values`);
    assert.equal(state.childSum, oldState.childSum, `${label}: child values`);
    assert.equal(state.integrity, 'ok', `${label}: integrity_check`);
    assert.equal(state.fkViolations, 0, `${label}: foreign_key_check`);
    if (run.hotJournal) assert.equal(at, 'old', `${label}: a transaction cut short is rolled back`);
    outcomes.push({ killedAt: run.killedAt, killed: run.killed, hotJournal: run.hotJournal, at });

    // The next run finishes the job.
    await cliOk(p, ['migrate']);
    const finished = readState(p.path('app.db'));
    assert.deepEqual(
      { ...finished, master: undefined },
      { ...newState, master: undefined },
      `${label}: the next migrate reaches the new revision with every row`,
    );
    assert.deepEqual(finished.master, newState.master, `${label}: the next migrate gives the new schema`);
  }

  const midRebuild = outcomes.filter((o) => o.hotJournal).length;
  const atOld = outcomes.filter((o) => o.at === 'old').length;
  const atNew = outcomes.filter((o) => o.at === 'new').length;
  t.diagnostic(`kills: ${outcomes.filter((o) => o.killed).length}/${ITERATIONS}; mid-rebuild (hot journal): ${midRebuild}; ended at old: ${atOld}, at new: ${atNew}`);
  t.diagnostic(`kill times in ms after spawn (* mid-transaction, - not killed): ${outcomes.map((o) => `${o.killed ? o.killedAt!.toFixed(0) : '-'}${o.hotJournal ? '*' : ''}→${o.at}`).join(', ')}`);
  assert.ok(midRebuild > 0, 'at least one kill landed inside the rebuild transaction');
});
