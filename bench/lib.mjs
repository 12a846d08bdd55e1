// Shared helpers for the benchmarks: timing a command with its peak memory, scratch databases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const PG_ADMIN_URL = process.env.MIGRATOR_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs a command; returns wall time (s) and peak resident memory (MiB), failing loudly. */
export function measure(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const lines = r.stderr.trim().split('\n');
  const kb = Number(lines[lines.length - 1]);
  return { seconds, peakMiB: kb / 1024, stdout: r.stdout };
}

/** The median of `runs` measurements of `fn` (each returning { seconds, peakMiB }). */
export function median(runs, fn) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(fn(i));
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)];
}

/**
 * Runs the two sides interleaved — ours, reference, ours, reference … — `runs` pairs, so that
 * whatever else the machine does weighs on both alike. Returns the median of each side and of the
 * per-pair ratios, with the ratios' spread (lowest and highest).
 */
export function pairs(runs, ours, reference) {
  const a = [];
  const b = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const x = ours(i);
    const y = reference(i);
    a.push(x);
    b.push(y);
    ratios.push(x.seconds / y.seconds);
  }
  const mid = (list) => [...list].sort((p, q) => p.seconds - q.seconds)[Math.floor(list.length / 2)];
  const sorted = [...ratios].sort((p, q) => p - q);
  return { ours: mid(a), reference: mid(b), ratio: sorted[Math.floor(sorted.length / 2)], low: sorted[0], high: sorted[sorted.length - 1] };
}

/** Prints a pairs() result: both sides' medians, the median ratio with its spread, and the verdict. */
export function reportPairs(name, result, referenceName, target) {
  const { ours, reference, ratio, low, high } = result;
  const verdict = ratio <= target ? 'meets' : 'misses';
  console.log(
    `${name}: migrator ${ours.seconds.toFixed(2)} s (peak ${ours.peakMiB.toFixed(0)} MiB), ${referenceName} ${reference.seconds.toFixed(2)} s ` +
      `(peak ${reference.peakMiB.toFixed(0)} MiB) -> median ratio ${ratio.toFixed(2)}x (spread ${low.toFixed(2)}–${high.toFixed(2)}x over ` +
      `interleaved pairs); target <= ${target}x: ${verdict}`,
  );
  return ratio;
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), `migrator-bench-${prefix}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

function dbUrl(name) {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function psql(url, args, options = {}) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** A fresh, empty PostgreSQL database; returns its URL. */
export function freshDatabase(name) {
  psql(PG_ADMIN_URL, ['-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, '-c', `CREATE DATABASE "${name}"`]);
  return dbUrl(name);
}

export function dropDatabase(name) {
  psql(PG_ADMIN_URL, ['-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

/**
 * A project folder's revisions: `count` in a line, each creating table t<i> (an id and a name of
 * `nameType`) with an index, and dropping both on downgrade; ids from `id(i)`. The folder gets a
 * node_modules, as a real project has (where migrator caches transformed revision files).
 */
export function writeTableChain(dir, count, id, nameType) {
  mkdirSync(path.join(dir, 'versions'));
  mkdirSync(path.join(dir, 'node_modules'));
  for (let i = 0; i < count; i++) {
    const t = `t${i}`;
    writeFileSync(
      path.join(dir, 'versions', `${id(i)}_create_${t}.ts`),
      `/**
 * create ${t}
 */
import type { Operations } from 'migrator';

export const revision = '${id(i)}';
export const downRevision: string | string[] | null = ${i === 0 ? 'null' : `'${id(i - 1)}'`};

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('${t}', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'name', type: '${nameType}', nullable: false },
    ],
    primaryKey: { name: '${t}_pkey', columns: ['id'] },
  });
  await op.createIndex('${t}', { name: '${t}_name_idx', columns: ['name'] });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('${t}', '${t}_name_idx');
  await op.dropTable('${t}');
}
`,
    );
  }
}
