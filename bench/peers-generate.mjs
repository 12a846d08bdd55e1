// Autogenerating a migration for the workload of pg-autogenerate.mjs (a PostgreSQL database of
// 2,000 tables, models that match it but for one new column, t0000.extra) with `makemigrations`,
// against migrator's TypeScript peers doing the same from their own model files:
//   TypeORM `migration:generate` with the models as EntitySchema definitions in .js files, against
//     makemigrations with the same models as entity classes (.ts, decorators);
//   Prisma's schema engine (@prisma/schema-engine-wasm, driven by prisma-diff.mjs) diffing the
//     live database against a 2,000-model Prisma schema, as `prisma migrate diff
//     --from-config-datasource --to-schema schema.prisma --script` does, against makemigrations
//     with the same Prisma schema.
// Every side reads the live database, compares it with the models and writes (or prints) the one
// change; each run is checked to have found exactly that change.
// BENCH_PEER_TABLES (default BENCH_PEER_REVISIONS, else 2000) and BENCH_PEER_RUNS (default 3
// pairs) set the size. TypeORM takes the better part of a minute a run on 2,000 tables, so from
// 1,000 tables on it gets one pair unless BENCH_PEER_TYPEORM_RUNS says more.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  ROOT,
  tempDir,
  writeAutogenerateEntities,
  writeAutogeneratePrismaSchema,
} from './lib.mjs';

const TABLES = Number(process.env.BENCH_PEER_TABLES || process.env.BENCH_PEER_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_PEER_RUNS || 3);
const TYPEORM_RUNS = Number(process.env.BENCH_PEER_TYPEORM_RUNS || (TABLES >= 1000 ? 1 : RUNS));
const DB = 'migrator_bench_peers_generate';

const require = createRequire(path.join(ROOT, 'package.json'));
const TYPEORM = require.resolve('typeorm');
const TYPEORM_CLI = path.join(path.dirname(TYPEORM), 'cli.js');
const TYPEORM_VERSION = JSON.parse(readFileSync(path.join(path.dirname(TYPEORM), 'package.json'), 'utf8')).version;
const PRISMA_ENGINE = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
const PRISMA_ENGINE_VERSION = JSON.parse(readFileSync(path.join(PRISMA_ENGINE, 'package.json'), 'utf8')).version;
const pad = (i) => String(i).padStart(4, '0');

/** The workload's models as TypeORM EntitySchema definitions, 100 to a CommonJS file, and the DataSource. */
function writeTypeormProject(dir, url) {
  mkdirSync(path.join(dir, 'entities'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  for (let f = 0; f < TABLES / 100; f++) {
    const schemas = [];
    for (let i = f * 100; i < Math.min((f + 1) * 100, TABLES); i++) {
      const t = `t${pad(i)}`;
      schemas.push(`  new EntitySchema({
    name: 'T${pad(i)}',
    tableName: '${t}',
    columns: {
      id: { type: 'int', primary: true, generated: 'increment', primaryKeyConstraintName: '${t}_pkey' },
      name: { type: 'varchar', length: 100 },
      qty: { type: 'int', default: 0 },
      created: { type: 'timestamptz', precision: 3, nullable: true, default: () => 'now()' },${i === 0 ? "\n      extra: { type: 'varchar', nullable: true }," : ''}
    },
    indices: [{ name: '${t}_name_idx', columns: ['name'] }],
  }),`);
    }
    writeFileSync(
      path.join(dir, 'entities', `group${pad(f)}.js`),
      `'use strict';\nconst { EntitySchema } = require(${JSON.stringify(TYPEORM)});\n\nmodule.exports = [\n${schemas.join('\n')}\n];\n`,
    );
  }
  const file = path.join(dir, 'datasource.js');
  writeFileSync(
    file,
    `'use strict';\nconst { DataSource } = require(${JSON.stringify(TYPEORM)});\n\n` +
      `exports.dataSource = new DataSource({ type: 'postgres', url: ${JSON.stringify(url)}, entities: [${JSON.stringify(path.join(dir, 'entities', '*.js'))}] });\n`,
  );
  return file;
}

/** makemigrations in a project of the workload's models; checks it wrote the one new column. */
function makemigrations(dir, what) {
  const versions = path.join(dir, 'versions');
  rmSync(versions, { recursive: true, force: true });
  const m = measure(process.execPath, [CLI, 'makemigrations', '-m', 'add extra', '--rev-id', 'bench00000001'], { cwd: dir });
  if (readdirSync(versions).length !== 1 || !m.stdout.includes('add column t0000.extra') || m.stdout.split('\n').filter((l) => l.startsWith('  - ')).length !== 1) {
    throw new Error(`makemigrations (${what}) did not find exactly the new column:\n${m.stdout}`);
  }
  return m;
}

function migratorProject(url, write) {
  const dir = tempDir('peers-generate');
  const models = write(dir);
  writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, models: ${JSON.stringify(models)}, versions: 'versions' };\n`);
  return dir;
}

const dirs = [];
try {
  const url = freshDatabase(DB);
  createAutogenerateTables(url, TABLES);
  console.log(`peers-generate: ${TABLES} tables, models adding one column; ratio = migrator ÷ peer (below 1: migrator faster)`);

  // TypeORM migration:generate against makemigrations with entity classes.
  {
    const ours = migratorProject(url, (dir) => writeAutogenerateEntities(dir, TABLES));
    const typeorm = tempDir('peers-typeorm-generate');
    dirs.push(ours, typeorm);
    const dataSource = writeTypeormProject(typeorm, url);
    const out = path.join(typeorm, 'migrations');
    const result = pairs(
      TYPEORM_RUNS,
      () => makemigrations(ours, 'TypeScript entities'),
      () => {
        rmSync(out, { recursive: true, force: true });
        const m = measure(process.execPath, [TYPEORM_CLI, 'migration:generate', path.join(out, 'AddExtra'), '-d', dataSource, '--outputJs', '--timestamp', '1700000000000'], { cwd: typeorm });
        const written = readdirSync(out);
        const up = written.length === 1 ? readFileSync(path.join(out, written[0]), 'utf8').split('async down')[0] : '';
        const queries = up.match(/queryRunner\.query\(/g) ?? [];
        if (queries.length !== 1 || !/ALTER TABLE "t0000" ADD "extra"/.test(up)) throw new Error(`TypeORM migration:generate did not find exactly the new column:\n${m.stdout}\n${up}`);
        return m;
      },
    );
    reportPairs(`makemigrations, ${TABLES} tables, entity classes (.ts) vs TypeORM ${TYPEORM_VERSION} migration:generate, EntitySchema (.js)`, result, 'TypeORM', 1.0);
    console.log(
      `  (both read the database and write one migration file; migrator transforms its .ts entity files, TypeORM loads plain .js${
        TYPEORM_RUNS < RUNS ? `; ${TYPEORM_RUNS} pair only, as a TypeORM run is slow: BENCH_PEER_TYPEORM_RUNS=${RUNS} for more` : ''
      })`,
    );
  }

  // Prisma's schema engine against makemigrations with the same Prisma schema. Prisma 7 wants no
  // url in the datasource block; migrator reads the database URL from its config either way.
  {
    const ours = migratorProject(url, (dir) => writeAutogeneratePrismaSchema(dir, TABLES, { url: false }));
    dirs.push(ours);
    const schema = path.join(ours, 'schema.prisma');
    const result = pairs(
      RUNS,
      () => makemigrations(ours, 'a Prisma schema'),
      () => {
        const m = measure(process.execPath, [path.join(ROOT, 'bench', 'prisma-diff.mjs'), schema, url]);
        const statements = m.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('--'));
        if (statements.length !== 1 || !/ALTER TABLE "t0000" ADD COLUMN\s+"extra" TEXT;/.test(statements[0])) {
          throw new Error(`Prisma's schema engine did not find exactly the new column:\n${m.stdout}`);
        }
        return m;
      },
    );
    reportPairs(`makemigrations, ${TABLES} tables, Prisma schema vs Prisma schema engine ${PRISMA_ENGINE_VERSION} diff`, result, 'Prisma engine', 1.0);
    console.log(
      '  (both read the live database and compare it with the same schema.prisma; migrator writes a revision file, the engine ' +
        'prints the SQL script of `prisma migrate diff --from-config-datasource --to-schema`: the wasm engine through a small pg ' +
        "driver adapter of this benchmark's own, without the Prisma CLI's start-up around it)",
    );
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dirs.join(', ')}`);
  else for (const dir of dirs) removeDir(dir);
  if (!process.env.BENCH_KEEP) dropDatabase(DB);
}
