// Shared helpers for the benchmarks: timing a command with its peak memory, scratch databases.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

export function report(name, ours, reference, referenceName, target) {
  const ratio = ours.seconds / reference.seconds;
  const verdict = ratio <= target ? 'meets' : 'misses';
  console.log(
    `${name}: migrator ${ours.seconds.toFixed(2)} s (peak ${ours.peakMiB.toFixed(0)} MiB), ${referenceName} ${reference.seconds.toFixed(2)} s ` +
      `(peak ${reference.peakMiB.toFixed(0)} MiB) -> ratio ${ratio.toFixed(2)}x; target <= ${target}x: ${verdict}`,
  );
  return ratio;
}
