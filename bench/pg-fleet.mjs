// `migrate --all` over N schemas of one PostgreSQL database (schema per tenant), M revisions
// each, with --parallel 1, 4 and 8: wall time, speed-up against one at a time, and peak memory;
// and each target's own duration in the --parallel 4 and 8 runs (from `--json`) against one
// target migrated alone, the same revisions — warm (the median target of the --parallel 1 run)
// and in a run of its own — as the median and the worst per-target ratio (the spec: no target
// slower than alone by more than 1.5×). Beside them, the same SQL run by `psql` (one psql a schema,
// the loop a fleet's users write themselves), one and 4 at a time; and the most any run of this
// work can gain from parallelism on this machine: the CPU time a run used, in migrator and in
// the server (read from /proc, the server being on this machine), spread over its cores.
// A fresh set of schemas for each run. BENCH_SCHEMAS and BENCH_FLEET_REVISIONS set the size
// (default 100 × 10, about two minutes; the specified 200 × 20 takes several); BENCH_RUNS the
// rounds (default 3); BENCH_ALONE_RUNS how many runs of the lone target its median is taken over
// (default 5).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { CLI, dropDatabase, freshDatabase, measure, psql, removeDir, tempDir, writeTableChain } from './lib.mjs';

const SCHEMAS = Number(process.env.BENCH_SCHEMAS || 100);
const REVISIONS = Number(process.env.BENCH_FLEET_REVISIONS || 10);
const ALONE_RUNS = Number(process.env.BENCH_ALONE_RUNS || 5);
const ROUNDS = Number(process.env.BENCH_RUNS || 3);
const PARALLEL = [1, 4, 8];
/** How much slower than alone a target may be inside a fleet run. */
const PER_TARGET_LIMIT = 1.5;
const DB = 'migrator_bench_fleet';

const id = (i) => `f${String(i).padStart(11, '0')}`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * CPU seconds PostgreSQL's processes have used so far, the ended backends the postmaster has
 * reaped included (utime, stime, cutime, cstime of /proc/<pid>/stat); undefined without /proc.
 */
function serverCpuSeconds() {
  try {
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
    return ticks / hz;
  } catch {
    return undefined;
  }
}

/** Wall time (s) of running `script` in each schema, one psql each, `parallel` at a time. */
async function psqlFleet(url, list, parallel, script) {
  const start = process.hrtime.bigint();
  let next = 0;
  const one = (schema) =>
    new Promise((resolve, reject) => {
      const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql in schema ${schema} exited ${code}: ${stderr.slice(-2000)}`))));
      child.stdin.end(`SET search_path TO "${schema}";\n${script}`);
    });
  const lane = async () => {
    while (next < list.length) await one(list[next++]);
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

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

  // Rounds: each runs migrate --all at --parallel 1, 4 and 8, then psql 1 and 4 at a time, each
  // on fresh schemas, so that whatever else the machine does weighs on all alike. Ratios are
  // taken within a round; their median and spread are reported.
  // The reference: the SQL a migrate of one schema runs, from migrate's own offline mode (the
  // version and history rows included), run by psql in each schema.
  const script = measure(process.execPath, [CLI, '--config', 'alone.config.ts', 'upgrade', '--sql', 'base:heads', '--database', url], { cwd: dir }).stdout;
  const rounds = [];
  for (let k = 0; k < ROUNDS; k++) {
    const ours = new Map();
    for (const n of PARALLEL) {
      freshSchemas(schemas);
      const before = serverCpuSeconds();
      const r = measure(process.execPath, [CLI, 'migrate', '--all', '--parallel', String(n), '--json'], { cwd: dir });
      const after = serverCpuSeconds();
      ours.set(n, { ...r, serverCpu: before === undefined || after === undefined ? undefined : after - before, durations: durations(r.stdout, SCHEMAS, `--parallel ${n}`) });
    }
    const reference = new Map();
    for (const n of [1, 4]) {
      freshSchemas(schemas);
      reference.set(n, await psqlFleet(url, schemas, n, script));
    }
    rounds.push({ ours, reference });
  }
  // The rerun that finds every schema at the heads.
  const again = measure(process.execPath, [CLI, 'migrate', '--all', '--parallel', '8', '--json'], { cwd: dir });
  const spread = (xs) => `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}x)`;
  const speedups = (n) => rounds.map((r) => r.ours.get(1).seconds / r.ours.get(n).seconds);
  console.log(`  ${ROUNDS} rounds, each: --parallel ${PARALLEL.join(', ')}, then psql 1 and 4 at a time; medians, and ratios within a round with their spread`);
  for (const n of PARALLEL) {
    const runs = rounds.map((r) => r.ours.get(n));
    const seconds = median(runs.map((r) => r.seconds));
    console.log(`  --parallel ${n}: ${seconds.toFixed(2)} s, ${(SCHEMAS / seconds).toFixed(1)} schemas/s, speed-up ${spread(speedups(n))}, peak ${Math.max(...runs.map((r) => r.peakMiB)).toFixed(0)} MiB`);
  }
  console.log(`  rerun, all at the heads (--parallel 8): ${again.seconds.toFixed(2)} s (${((again.seconds / SCHEMAS) * 1000).toFixed(1)} ms a schema), peak ${again.peakMiB.toFixed(0)} MiB`);
  console.log(
    `  reference, the same SQL by psql (one a schema): 1 at a time ${median(rounds.map((r) => r.reference.get(1))).toFixed(2)} s, 4 at a time ${median(rounds.map((r) => r.reference.get(4))).toFixed(2)} s, ` +
      `speed-up ${spread(rounds.map((r) => r.reference.get(1) / r.reference.get(4)))}; migrator ÷ psql: --parallel 1 ${spread(rounds.map((r) => r.ours.get(1).seconds / r.reference.get(1)))}, ` +
      `--parallel 4 ${spread(rounds.map((r) => r.ours.get(4).seconds / r.reference.get(4)))}`,
  );
  // The most a round could gain: its work's CPU time — the least any of its runs used, since the
  // server's background work (the autovacuum of its catalogs after a thousand tables) falls on one
  // run or another — spread over the cores, against its --parallel 1 time.
  const cores = availableParallelism();
  if (rounds.every((r) => [...r.ours.values()].every((o) => o.serverCpu !== undefined))) {
    const cpu = rounds.map((r) => Math.min(...[...r.ours.values()].map((o) => o.cpuSeconds + o.serverCpu)));
    const p1 = rounds.map((r) => r.ours.get(1));
    console.log(
      `  CPU time of --parallel 1, migrator + server: ${median(p1.map((o) => o.cpuSeconds)).toFixed(2)} + ${median(p1.map((o) => o.serverCpu)).toFixed(2)} s; the least of a round's runs on ${cores} cores ` +
        `takes at least ${median(cpu.map((c) => c / cores)).toFixed(2)} s: a speed-up of at most ${spread(rounds.map((r, k) => r.ours.get(1).seconds / (cpu[k] / cores)))} over --parallel 1 on this machine ` +
        `(--parallel 4 reached ${spread(speedups(4))}; target 2.5x: ${median(speedups(4)) >= 2.5 ? 'meets' : 'misses'})`,
    );
  }
  // Alone, two ways: in a run of its own (what `migrate` on that one target costs, with the
  // process's first connection and first load of the revision files), and warm — a target of a
  // --parallel 1 run, where each runs with nothing else under way (the median over its rounds'
  // targets). Fleet targets after the first few are warm: the warm figure is the stricter reference.
  const warm = median(rounds.flatMap((r) => r.ours.get(1).durations));
  console.log(
    `  one target alone: ${warm.toFixed(0)} ms warm (median target at --parallel 1); ${alone.toFixed(0)} ms in a run of its own ` +
      `(median of ${ALONE_RUNS}: ${aloneRuns.map((r) => r.ms.toFixed(0)).join(', ')} ms; the process ${median(aloneRuns.map((r) => r.seconds)).toFixed(2)} s)`,
  );
  for (const n of PARALLEL.slice(1)) {
    const mid = median(rounds.flatMap((r) => r.ours.get(n).durations));
    // Each round's slowest target; the median round's.
    const worst = median(rounds.map((r) => Math.max(...r.ours.get(n).durations)));
    const within = (ref) => (worst / ref <= PER_TARGET_LIMIT ? 'meets' : 'misses');
    console.log(
      `  per target at --parallel ${n}: median ${mid.toFixed(0)} ms, slowest ${worst.toFixed(0)} ms (median over rounds) = ${(mid / warm).toFixed(2)}x, ${(worst / warm).toFixed(2)}x warm alone ` +
        `(${(mid / alone).toFixed(2)}x, ${(worst / alone).toFixed(2)}x a run of its own); slowest within ${PER_TARGET_LIMIT}x: ${within(warm)} (warm), ${within(alone)} (own run)`,
    );
  }
} finally {
  dropDatabase(DB);
  removeDir(dir);
}
