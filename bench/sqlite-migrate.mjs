// Applying 2,000 revisions (a table and an index each) with `migrate` on SQLite, against the
// `sqlite3` command-line shell running the same statements and version-table and history rows,
// one transaction per revision, on a file in the same folder.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, measure, pairs, removeDir, reportPairs, tempDir, writeTableChain } from './lib.mjs';

const REVISIONS = Number(process.env.BENCH_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);

const id = (i) => `q${String(i).padStart(11, '0')}`;
const dir = tempDir('sqlite-migrate');
try {
  writeTableChain(dir, REVISIONS, id, 'varchar(50)');
  writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: 'sqlite:./bench.db', versions: 'versions' };\n`);
  // The reference script: exactly the SQL migrate runs, from migrate's own offline mode.
  const script = measure(process.execPath, [CLI, 'upgrade', '--sql', 'base:heads'], { cwd: dir }).stdout;
  writeFileSync(path.join(dir, 'reference.sql'), script);
  const fresh = (name) => {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path.join(dir, `${name}${suffix}`), { force: true });
  };
  const result = pairs(
    RUNS,
    () => {
      fresh('bench.db');
      return measure(process.execPath, [CLI, 'migrate'], { cwd: dir });
    },
    () => {
      fresh('reference.db');
      return measure('sqlite3', ['-bail', path.join(dir, 'reference.db'), `.read ${path.join(dir, 'reference.sql')}`]);
    },
  );
  reportPairs(`migrate, ${REVISIONS} revisions (SQLite)`, result, 'sqlite3 .read', 1.15);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else removeDir(dir);
}
