// makemigrations against a PostgreSQL database of 2,000 tables whose models match but for one new
// column, against `pg_dump --schema-only` of the same database: once with TypeScript entity
// files, once with a 2,000-model Prisma schema.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CLI,
  createAutogenerateTables,
  dropDatabase,
  freshDatabase,
  measure,
  pairs,
  removeDir,
  reportPairs,
  tempDir,
  writeAutogenerateEntities,
  writeAutogeneratePrismaSchema,
} from './lib.mjs';

const TABLES = Number(process.env.BENCH_TABLES || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const DB = 'migrator_bench_autogenerate';

const url = freshDatabase(DB);
try {
  createAutogenerateTables(url, TABLES);
  const pgDump = () => measure('pg_dump', ['--schema-only', '-f', '/dev/null', url]);

  for (const [name, write, expected] of [
    ['TypeScript entities', (dir) => writeAutogenerateEntities(dir, TABLES), 'add column t0000.extra'],
    ['a Prisma schema', (dir) => writeAutogeneratePrismaSchema(dir, TABLES), 'add column t0000.extra'],
  ]) {
    const dir = tempDir('autogenerate');
    try {
      const models = write(dir);
      writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, models: ${JSON.stringify(models)}, versions: 'versions' };\n`);
      const versions = path.join(dir, 'versions');
      const result = pairs(RUNS, () => {
        rmSync(versions, { recursive: true, force: true });
        const m = measure(process.execPath, [CLI, 'makemigrations', '-m', 'add extra', '--rev-id', 'bench00000001'], { cwd: dir });
        const written = readdirSync(versions);
        if (written.length !== 1 || !m.stdout.includes(expected) || m.stdout.split('\n').filter((l) => l.startsWith('  - ')).length !== 1) {
          throw new Error(`makemigrations (${name}) did not find exactly the new column:\n${m.stdout}`);
        }
        return m;
      }, pgDump);
      reportPairs(`makemigrations, ${TABLES} tables, ${name} (PostgreSQL)`, result, 'pg_dump --schema-only', 1.0);
    } finally {
      if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
      else removeDir(dir);
    }
  }
} finally {
  if (!process.env.BENCH_KEEP) dropDatabase(DB);
}
