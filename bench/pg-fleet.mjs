// `migrate --all` over N schemas of one PostgreSQL database (schema per tenant), M revisions
// each, with --parallel 1, 4 and 8: wall time, speed-up against one at a time, and peak memory.
// A fresh set of schemas for each run. BENCH_SCHEMAS and BENCH_FLEET_REVISIONS set the size
// (default 100 × 10, about a minute; the 200 × 20 takes a few).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropDatabase, freshDatabase, measure, psql, removeDir, tempDir, writeTableChain } from './lib.mjs';

const SCHEMAS = Number(process.env.BENCH_SCHEMAS || 100);
const REVISIONS = Number(process.env.BENCH_FLEET_REVISIONS || 10);
const PARALLEL = [1, 4, 8];
const DB = 'migrator_bench_fleet';

const id = (i) => `f${String(i).padStart(11, '0')}`;
const dir = tempDir('fleet');
try {
  writeTableChain(dir, REVISIONS, id, 'character varying(50)');
  const url = freshDatabase(DB);
  writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `export default { versions: 'versions', targets: [{ name: 'bench', url: ${JSON.stringify(url)}, schemasQuery: "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%' ORDER BY 1" }] };\n`,
  );
  const schemas = Array.from({ length: SCHEMAS }, (_, i) => `tenant_${String(i).padStart(4, '0')}`);
  const freshSchemas = () => {
    const sql = schemas.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE; CREATE SCHEMA ${s};`).join('\n');
    psql(url, ['-c', `SET client_min_messages = warning; ${sql}`]);
  };
  console.log(`pg-fleet: migrate --all over ${SCHEMAS} schemas × ${REVISIONS} revisions`);
  const results = [];
  for (const n of PARALLEL) {
    freshSchemas();
    const r = measure(process.execPath, [CLI, 'migrate', '--all', '--parallel', String(n), '--json'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    if (doc.summary.migrated !== SCHEMAS) throw new Error(`--parallel ${n}: ${doc.summary.migrated} of ${SCHEMAS} schemas migrated`);
    results.push({ n, ...r });
  }
  // The rerun that finds every schema at the heads.
  const again = measure(process.execPath, [CLI, 'migrate', '--all', '--parallel', '8', '--json'], { cwd: dir });
  const base = results[0].seconds;
  for (const r of results) {
    console.log(`  --parallel ${r.n}: ${r.seconds.toFixed(2)} s, ${(SCHEMAS / r.seconds).toFixed(1)} schemas/s, speed-up ${(base / r.seconds).toFixed(2)}x, peak ${r.peakMiB.toFixed(0)} MiB`);
  }
  console.log(`  rerun, all at the heads (--parallel 8): ${again.seconds.toFixed(2)} s (${((again.seconds / SCHEMAS) * 1000).toFixed(1)} ms a schema), peak ${again.peakMiB.toFixed(0)} MiB`);
} finally {
  dropDatabase(DB);
  removeDir(dir);
}
