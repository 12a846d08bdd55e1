// How long a live table's writers stall while `migrate` changes it: an index, a foreign key and a
// NOT NULL added to a 1,000,000-row PostgreSQL table, once in the plain form (one transaction that
// holds its locks while it builds and scans) and once in the online-safe form (CREATE INDEX
// CONCURRENTLY, the foreign key added NOT VALID and validated apart, NOT NULL proved by a validated
// CHECK first). A writer process does single-row INSERTs and UPDATEs on the table throughout and
// records each write's latency; its longest stall is the figure.
//
// The same file is the writer: `node pg-online.mjs writer <url> <rows> <parents>` (forked below).
import { fork, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, dropDatabase, freshDatabase, psql, removeDir, tempDir } from './lib.mjs';

const ROWS = Number(process.env.BENCH_ROWS || 1_000_000);
const PARENTS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS || 3);
const LOCK_TIMEOUT = '2s';
const LOCK_TIMEOUT_MS = 2000;
/** Pause between two writes (ms): a steady stream rather than a tight loop that starves the machine. */
const WRITE_INTERVAL_MS = Number(process.env.BENCH_WRITE_INTERVAL_MS ?? 5);
/** Bounds, so that the bench never hangs: one migrate run, a writer's answer, a writer's whole life. */
const MIGRATE_TIMEOUT_MS = 10 * 60_000;
const WRITER_TIMEOUT_MS = 70_000;
const WRITER_LIFETIME_MS = 20 * 60_000;
const DB = 'migrator_bench_online';

if (process.argv[2] === 'writer') await writer(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else await main();

// ---------------------------------------------------------------------------------------------

async function main() {
  const dir = tempDir('online');
  let url;
  try {
    mkdirSync(path.join(dir, 'versions'));
    const results = { plain: [], safe: [] };
    let safeAvailable = true;
    for (let i = 0; i < RUNS; i++) {
      for (const form of ['plain', 'safe']) {
        if (form === 'safe' && !safeAvailable) continue;
        url = build(dir, form);
        let r;
        try {
          r = await run(dir, url);
        } catch (error) {
          if (form === 'safe' && safeMissing(error)) {
            safeAvailable = false;
            console.log('safe form: not available in this build');
            continue;
          }
          throw error;
        }
        await check(url, form);
        results[form].push(r);
        console.log(`  run ${i + 1} ${form.padEnd(5)} ${line(r)}`);
      }
    }

    const rows = ROWS.toLocaleString('en-US');
    console.log(`online migrate, ${rows}-row table under a steady writer (PostgreSQL, lockTimeout ${LOCK_TIMEOUT}), median of ${RUNS} run(s):`);
    const plain = medians(results.plain);
    console.log(`  plain: ${line(plain)}`);
    if (!safeAvailable) return;
    const safe = medians(results.safe);
    console.log(`  safe:  ${line(safe)}`);
    const lower = safe.maxMs > 0 ? plain.maxMs / safe.maxMs : Infinity;
    const verdict = safe.maxMs <= LOCK_TIMEOUT_MS && safe.maxMs < plain.maxMs ? 'meets' : 'misses';
    console.log(
      `online migrate: safe longest stall ${safe.maxMs.toFixed(0)} ms vs plain ${plain.maxMs.toFixed(0)} ms ` +
        `(${lower.toFixed(1)}× lower); target <= ${LOCK_TIMEOUT_MS} ms: ${verdict}`,
    );
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else {
      removeDir(dir);
      dropDatabase(DB);
    }
  }
}

function line(r) {
  return (
    `migrate ${r.seconds.toFixed(2)} s; writes stalled at most ${r.maxMs.toFixed(0)} ms ` +
    `(p99 ${r.p99Ms.toFixed(1)} ms, p50 ${r.p50Ms.toFixed(1)} ms, ${r.count} writes)`
  );
}

/** Each figure's median over the runs, taken apart. */
function medians(list) {
  const mid = (key) => {
    const sorted = list.map((r) => r[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  return { seconds: mid('seconds'), maxMs: mid('maxMs'), p99Ms: mid('p99Ms'), p50Ms: mid('p50Ms'), count: mid('count') };
}

/** A build without the online-safe operations fails on the first one it does not know. */
function safeMissing(error) {
  return /op\.validateConstraint is not a function|unknown (option|key|property)/i.test(String(error.message));
}

/** A fresh database with the two tables filled, and the form's revision as the only one. */
function build(dir, form) {
  const url = freshDatabase(DB);
  psql(url, [
    '-c', 'CREATE TABLE parents (id bigint PRIMARY KEY)',
    '-c', 'CREATE TABLE items (id bigserial PRIMARY KEY, parent_id bigint, score integer, note text)',
    '-c', `INSERT INTO parents SELECT g FROM generate_series(1, ${PARENTS}) g`,
    '-c', `INSERT INTO items (parent_id, score, note) SELECT g % ${PARENTS} + 1, g % 1000, 'note ' || g FROM generate_series(1, ${ROWS}) g`,
    '-c', 'VACUUM ANALYZE parents, items',
  ]);
  writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `export default { database: ${JSON.stringify(url)}, versions: 'versions', lockTimeout: '${LOCK_TIMEOUT}' };\n`,
  );
  writeFileSync(path.join(dir, 'versions', 'a00000000001_constrain_items.ts'), revision(form));
  return url;
}

function revision(form) {
  const safe = form === 'safe';
  const upgrade = safe
    ? `  await op.createIndex('items', { name: 'items_score_idx', columns: ['score'], concurrently: true });
  await op.createForeignKey('items', { name: 'items_parent_fk', columns: ['parent_id'], referencedTable: 'parents', referencedColumns: ['id'] }, { validate: false });
  await op.validateConstraint('items', 'items_parent_fk');
  await op.alterColumn('items', 'score', { nullable: false }, { throughCheck: true });`
    : `  await op.createIndex('items', { name: 'items_score_idx', columns: ['score'] });
  await op.createForeignKey('items', { name: 'items_parent_fk', columns: ['parent_id'], referencedTable: 'parents', referencedColumns: ['id'] });
  await op.alterColumn('items', 'score', { nullable: false });`;
  return `/**
 * constrain items (${form} form)
 */
import type { Operations } from 'migrator';

export const revision = 'a00000000001';
export const downRevision: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
${upgrade}
}

export async function downgrade(op: Operations): Promise<void> {
  await op.alterColumn('items', 'score', { nullable: true });
  await op.dropConstraint('items', 'items_parent_fk', 'foreignKey');
  await op.dropIndex('items', 'items_score_idx');
}
`;
}

/** What the revision must have left: a valid index, a validated foreign key, score NOT NULL. */
async function check(url, form) {
  const out = psql(url, [
    '-A', '-t', '-c',
    `SELECT (SELECT count(*) FROM pg_index WHERE indexrelid = 'items_score_idx'::regclass AND indisvalid)
       || ',' || (SELECT count(*) FROM pg_constraint WHERE conname = 'items_parent_fk' AND convalidated)
       || ',' || (SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'score' AND attnotnull)
       || ',' || (SELECT count(*) FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'c')`,
  ]).trim();
  if (out !== '1,1,1,0') throw new Error(`${form} form left items unlike the revision says (index, foreign key, not null, checks = ${out})`);
}

/** One migrate run with the writer going: the writer starts first and stops once migrate has exited. */
async function run(dir, url) {
  const w = startWriter(url);
  try {
    await w.ready;
    const seconds = await migrate(dir);
    const stats = await w.stop();
    return { seconds, ...stats };
  } finally {
    w.kill();
  }
}

function migrate(dir) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), MIGRATE_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolve(seconds);
      else reject(new Error(`migrator migrate exited ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

function startWriter(url) {
  const self = fileURLToPath(import.meta.url);
  const child = fork(self, ['writer', url, String(ROWS), String(PARENTS)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const bounded = (promise, ms, what) => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the writer did not ${what} within ${ms / 1000} s`));
      }, ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  const ready = bounded(
    new Promise((resolve, reject) => {
      child.on('message', (m) => m === 'ready' && resolve());
      exited.then((code) => reject(new Error(`the writer exited ${code} before it was writing`)));
    }),
    30_000,
    'start writing',
  );
  return {
    ready,
    async stop() {
      if (child.connected) child.send('stop');
      const code = await bounded(exited, WRITER_TIMEOUT_MS, 'stop');
      if (code !== 0) throw new Error(`the writer exited ${code}`);
      return JSON.parse(stdout);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The writer: one connection, one write at a time, alternately an INSERT of a new row and an UPDATE
 * of a random existing row's note, each timed. Says 'ready' once it is writing; on 'stop' (or
 * SIGTERM) finishes the write in flight and prints { count, maxMs, p99Ms, p50Ms }.
 */
async function writer(url, rows, parents) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, statement_timeout: 60_000, application_name: 'migrator-bench-writer' });
  await client.connect();
  let stopping = false;
  const stop = () => (stopping = true);
  process.on('message', (m) => m === 'stop' && stop());
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  const deadline = Date.now() + WRITER_LIFETIME_MS;

  // A fixed seed: the same rows are chosen on every run (mulberry32).
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (n) => 1 + Math.floor(random() * n);

  const latencies = [];
  for (let i = 0; !stopping; i++) {
    if (Date.now() > deadline) throw new Error(`writer: not told to stop within ${WRITER_LIFETIME_MS / 1000} s`);
    const start = process.hrtime.bigint();
    if (i % 2 === 0) {
      await client.query({ name: 'insert', text: 'INSERT INTO items (parent_id, score, note) VALUES ($1, $2, $3)', values: [pick(parents), pick(1000) - 1, `written ${i}`] });
    } else {
      await client.query({ name: 'update', text: 'UPDATE items SET note = $2 WHERE id = $1', values: [pick(rows), `updated ${i}`] });
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    latencies.push(ms);
    if (i === 20) process.send?.('ready');
    const pause = WRITE_INTERVAL_MS - ms;
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
  await client.end();

  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  process.stdout.write(JSON.stringify({ count: latencies.length, maxMs: latencies[latencies.length - 1], p99Ms: at(0.99), p50Ms: at(0.5) }) + '\n');
  process.disconnect?.();
}
