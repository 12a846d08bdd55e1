// Applying 2,000 revisions (a table and an index each) with `migrate`, against `psql -f` running
// the same statements and version-table updates, one transaction per revision.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropDatabase, freshDatabase, measure, median, pairs, removeDir, reportPairs, tempDir, writeTableChain } from './lib.mjs';

const REVISIONS = Number(process.env.BENCH_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const DB = 'migrator_bench_migrate';

const id = (i) => `b${String(i).padStart(11, '0')}`;
const dir = tempDir('migrate');
try {
  writeTableChain(dir, REVISIONS, id, 'character varying(50)');
  const config = (url) => writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, versions: 'versions' };\n`);

  // The reference script: exactly the SQL migrate runs, from migrate's own offline mode.
  config('postgres://offline@127.0.0.1:1/none');
  const script = measure(process.execPath, [CLI, 'upgrade', '--sql', 'base:heads'], { cwd: dir }).stdout;
  writeFileSync(path.join(dir, 'reference.sql'), script);

  const result = pairs(
    RUNS,
    () => {
      config(freshDatabase(DB));
      return measure(process.execPath, [CLI, 'migrate'], { cwd: dir });
    },
    () => {
      const url = freshDatabase(DB);
      return measure('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', path.join(dir, 'reference.sql')]);
    },
  );
  reportPairs(`migrate, ${REVISIONS} revisions (PostgreSQL)`, result, 'psql -f', 1.15);

  // Nothing to do: the graph read from headers, the version table read, no file loaded.
  config(freshDatabase(DB));
  measure(process.execPath, [CLI, 'migrate'], { cwd: dir });
  const noop = median(RUNS, () => measure(process.execPath, [CLI, 'migrate'], { cwd: dir }));
  console.log(`migrate with nothing to do, ${REVISIONS} revisions (PostgreSQL): ${noop.seconds.toFixed(2)} s (peak ${noop.peakMiB.toFixed(0)} MiB)`);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else removeDir(dir);
  if (!process.env.BENCH_KEEP) dropDatabase(DB);
}
