// Applying 2,000 revisions (a table and an index each) with `migrate` on MySQL/MariaDB, against
// the `mysql` client running the same statements and version-table updates from migrate's own
// offline mode. MySQL commits each DDL statement: migrator records each statement as it completes,
// which the client's script does not; the ratio says what that costs.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropMysqlDatabase, freshMysqlDatabase, measure, median, mysqlArgs, pairs, removeDir, reportPairs, tempDir, writeTableChain } from './lib.mjs';

const REVISIONS = Number(process.env.BENCH_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const DB = 'migrator_bench_migrate';

const id = (i) => `b${String(i).padStart(11, '0')}`;
const dir = tempDir('mysql-migrate');
try {
  writeTableChain(dir, REVISIONS, id, 'varchar(50)');
  const config = (url) => writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, versions: 'versions' };\n`);

  config('mysql://offline@127.0.0.1:1/none');
  const script = measure(process.execPath, [CLI, 'upgrade', '--sql', 'base:heads'], { cwd: dir }).stdout;
  writeFileSync(path.join(dir, 'reference.sql'), script);

  const result = pairs(
    RUNS,
    () => {
      config(freshMysqlDatabase(DB));
      return measure(process.execPath, [CLI, 'migrate'], { cwd: dir });
    },
    () => {
      freshMysqlDatabase(DB);
      return measure('sh', ['-c', `exec mysql ${mysqlArgs(DB).map((a) => `'${a}'`).join(' ')} < '${path.join(dir, 'reference.sql')}'`]);
    },
  );
  reportPairs(`migrate, ${REVISIONS} revisions (MySQL)`, result, 'mysql < script', 1.15);

  config(freshMysqlDatabase(DB));
  measure(process.execPath, [CLI, 'migrate'], { cwd: dir });
  const noop = median(RUNS, () => measure(process.execPath, [CLI, 'migrate'], { cwd: dir }));
  console.log(`migrate with nothing to do, ${REVISIONS} revisions (MySQL): ${noop.seconds.toFixed(2)} s (peak ${noop.peakMiB.toFixed(0)} MiB)`);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else removeDir(dir);
  if (!process.env.BENCH_KEEP) dropMysqlDatabase(DB);
}
