// Applying 2,000 revisions (a table and an index each) with `migrate` on SQLite, against the
// `sqlite3` command-line shell running the same statements and version-table and history rows,
// one transaction per revision, on a file in the same folder.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, measure, pairs, removeDir, reportPairs, tempDir } from './lib.mjs';

const REVISIONS = Number(process.env.BENCH_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);

const id = (i) => `q${String(i).padStart(11, '0')}`;
const dir = tempDir('sqlite-migrate');
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
      { name: 'name', type: 'varchar(50)', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
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
