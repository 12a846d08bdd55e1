// Applying 2,000 revisions (a table and an index each) with `migrate`, against `psql -f` running
// the same statements and version-table updates, one transaction per revision.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropDatabase, freshDatabase, measure, median, pairs, removeDir, reportPairs, tempDir } from './lib.mjs';

const REVISIONS = Number(process.env.BENCH_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const DB = 'migrator_bench_migrate';

const id = (i) => `b${String(i).padStart(11, '0')}`;
const dir = tempDir('migrate');
try {
  mkdirSync(path.join(dir, 'versions'));
  // A project has its node_modules (where migrator keeps its cache of transformed revision files).
  mkdirSync(path.join(dir, 'node_modules'));
  for (let i = 0; i < REVISIONS; i++) {
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
      { name: 'name', type: 'character varying(50)', nullable: false },
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
