// `migrate --all` over N schemas of one PostgreSQL database (schema per tenant), M revisions
// each, with --parallel 1, 4 and 8: wall time, speed-up against one at a time, and peak memory;
// and each target's own duration in the --parallel 4 and 8 runs (from `--json`) against one
// target migrated alone, the same revisions — warm (the median target of the --parallel 1 run)
// and in a run of its own — as the median and the worst per-target ratio (the spec: no target
// slower than alone by more than 1.5×).
// A fresh set of schemas for each run. BENCH_SCHEMAS and BENCH_FLEET_REVISIONS set the size
// (default 100 × 10, about a minute and a half; the specified 200 × 20 takes a few minutes);
// BENCH_ALONE_RUNS how many runs of the lone target its median is taken over (default 5).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropDatabase, freshDatabase, measure, psql, removeDir, tempDir, writeTableChain } from './lib.mjs';

const SCHEMAS = Number(process.env.BENCH_SCHEMAS || 100);
const REVISIONS = Number(process.env.BENCH_FLEET_REVISIONS || 10);
const ALONE_RUNS = Number(process.env.BENCH_ALONE_RUNS || 5);
const PARALLEL = [1, 4, 8];
/** How much slower than alone a target may be inside a fleet run. */
const PER_TARGET_LIMIT = 1.5;
const DB = 'migrator_bench_fleet';

const id = (i) => `f${String(i).padStart(11, '0')}`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const dir = tempDir('fleet');
try {
  writeTableChain(dir, REVISIONS, id, 'character varying(50)');
  const url = freshDatabase(DB);
  writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `export default { versions: 'versions', targets: [{ name: 'bench', url: ${JSON.stringify(url)}, schemasQuery: "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%' ORDER BY 1" }] };\n`,
  );
  // The lone target: a schema of the same database, in a run of its own.
  writeFileSync(path.join(dir, 'alone.config.ts'), `export default { versions: 'versions', targets: [{ name: 'alone', url: ${JSON.stringify(url)}, schemas: ['alone'] }] };\n`);
  const schemas = Array.from({ length: SCHEMAS }, (_, i) => `tenant_${String(i).padStart(4, '0')}`);
  // Statement by statement (a script, not one -c): dropping every schema in one transaction
  // would take a lock per table, index and sequence of them all — past max_locks_per_transaction
  // at 200 × 20.
  const freshSchemas = (list) => {
    const sql = list.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE; CREATE SCHEMA ${s};`).join('\n');
    psql(url, ['-f', '-'], { input: `SET client_min_messages = warning;\n${sql}\n` });
  };
  /** Each target's own duration (ms) in a `migrate --all --json` run, after checking all migrated. */
  const durations = (stdout, expected, what) => {
    const doc = JSON.parse(stdout);
    if (doc.summary.migrated !== expected) throw new Error(`${what}: ${doc.summary.migrated} of ${expected} targets migrated`);
    return doc.targets.map((t) => t.durationMs);
  };
  console.log(`pg-fleet: migrate --all over ${SCHEMAS} schemas × ${REVISIONS} revisions`);

  // One target alone, several times over: the median of its durations is the reference.
  const aloneRuns = [];
  for (let i = 0; i < ALONE_RUNS; i++) {
    freshSchemas(['alone']);
    const r = measure(process.execPath, [CLI, '--config', 'alone.config.ts', 'migrate', '--all', '--json'], { cwd: dir });
    aloneRuns.push({ ms: durations(r.stdout, 1, 'alone')[0], seconds: r.seconds });
  }
  const alone = median(aloneRuns.map((r) => r.ms));

  const results = [];
  for (const n of PARALLEL) {
    freshSchemas(schemas);
    const r = measure(process.execPath, [CLI, 'migrate', '--all', '--parallel', String(n), '--json'], { cwd: dir });
    results.push({ n, ...r, durations: durations(r.stdout, SCHEMAS, `--parallel ${n}`) });
  }
  // The rerun that finds every schema at the heads.
  const again = measure(process.execPath, [CLI, 'migrate', '--all', '--parallel', '8', '--json'], { cwd: dir });
  const base = results[0].seconds;
  for (const r of results) {
    console.log(`  --parallel ${r.n}: ${r.seconds.toFixed(2)} s, ${(SCHEMAS / r.seconds).toFixed(1)} schemas/s, speed-up ${(base / r.seconds).toFixed(2)}x, peak ${r.peakMiB.toFixed(0)} MiB`);
  }
  console.log(`  rerun, all at the heads (--parallel 8): ${again.seconds.toFixed(2)} s (${((again.seconds / SCHEMAS) * 1000).toFixed(1)} ms a schema), peak ${again.peakMiB.toFixed(0)} MiB`);
  // Alone, two ways: in a run of its own (what `migrate` on that one target costs, with the
  // process's first connection and first load of the revision files), and warm — the median
  // target of the --parallel 1 run, where each runs with nothing else under way. Fleet targets
  // after the first few are warm: the warm figure is the stricter reference.
  const warm = median(results[0].durations);
  console.log(
    `  one target alone: ${warm.toFixed(0)} ms warm (median target at --parallel 1); ${alone.toFixed(0)} ms in a run of its own ` +
      `(median of ${ALONE_RUNS}: ${aloneRuns.map((r) => r.ms.toFixed(0)).join(', ')} ms; the process ${median(aloneRuns.map((r) => r.seconds)).toFixed(2)} s)`,
  );
  for (const r of results.slice(1)) {
    const mid = median(r.durations);
    const worst = Math.max(...r.durations);
    const within = (ref) => (worst / ref <= PER_TARGET_LIMIT ? 'meets' : 'misses');
    console.log(
      `  per target at --parallel ${r.n}: median ${mid.toFixed(0)} ms, worst ${worst.toFixed(0)} ms (target ${r.durations.indexOf(worst) + 1} of ${SCHEMAS}) = ${(mid / warm).toFixed(2)}x, ${(worst / warm).toFixed(2)}x warm alone ` +
        `(${(mid / alone).toFixed(2)}x, ${(worst / alone).toFixed(2)}x a run of its own); worst within ${PER_TARGET_LIMIT}x: ${within(warm)} (warm), ${within(alone)} (own run)`,
    );
  }
} finally {
  dropDatabase(DB);
  removeDir(dir);
}
