// Applying the table-creating revisions of pg-migrate.mjs and sqlite-migrate.mjs (2,000: a table
// and an index each) with `migrate`, against migrator's TypeScript peers applying the same, one
// transaction per migration:
//   PostgreSQL: TypeORM `migration:run --transaction each`, and node-pg-migrate
//               `up --no-single-transaction` (installed by this script outside the project);
//   SQLite:     TypeORM `migration:run --transaction each` with its better-sqlite3 driver.
// The peers' migrations (TypeORM: one .js class a file; node-pg-migrate: one .sql file each) run
// exactly the statements migrator's revisions run, taken from migrate's offline --sql mode; each
// tool keeps its own table of applied migrations. Every run starts from an empty database. Each
// tool prints what it does by default (TypeORM and node-pg-migrate every statement).
// BENCH_PEER_REVISIONS (default 2000) and BENCH_PEER_RUNS (default 3 rounds) set the size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  CLI,
  dropDatabase,
  freshDatabase,
  installPeer,
  measure,
  psql,
  removeDir,
  reportPairs,
  revisionStatements,
  ROOT,
  rounds,
  tempDir,
  writeTableChain,
} from './lib.mjs';

const REVISIONS = Number(process.env.BENCH_PEER_REVISIONS || 2000);
const RUNS = Number(process.env.BENCH_PEER_RUNS || 3);
const DB = { migrator: 'migrator_bench_peers_migrator', typeorm: 'migrator_bench_peers_typeorm', npm: 'migrator_bench_peers_node_pg_migrate' };

const require = createRequire(path.join(ROOT, 'package.json'));
const TYPEORM = require.resolve('typeorm');
const TYPEORM_CLI = path.join(path.dirname(TYPEORM), 'cli.js');
const TYPEORM_VERSION = JSON.parse(readFileSync(path.join(path.dirname(TYPEORM), 'package.json'), 'utf8')).version;

/** TypeORM's migrations, one CommonJS class a file, their names ending in the 13-digit timestamp TypeORM orders them by. */
function writeTypeormMigrations(dir, revisions) {
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  revisions.forEach((r, i) => {
    const ts = 1700000000000 + i;
    const name = `Create${r.id}_${ts}`;
    const calls = (list) => list.map((s) => `    await queryRunner.query(${JSON.stringify(s)});`).join('\n');
    writeFileSync(
      path.join(dir, 'migrations', `${ts}-${r.id}.js`),
      `'use strict';\n\nclass ${name} {\n  async up(queryRunner) {\n${calls(r.up)}\n  }\n\n  async down(queryRunner) {\n${calls(r.down)}\n  }\n}\n\nmodule.exports = { ${name} };\n`,
    );
  });
}

/** TypeORM's DataSource file for `options` (JSON), its migrations those of the folder. */
function writeTypeormDataSource(dir, options) {
  const file = path.join(dir, 'datasource.js');
  writeFileSync(
    file,
    `'use strict';\nconst { DataSource } = require(${JSON.stringify(TYPEORM)});\n\n` +
      `exports.dataSource = new DataSource({ ...${JSON.stringify(options)}, migrations: [${JSON.stringify(path.join(dir, 'migrations', '*.js'))}] });\n`,
  );
  return file;
}

const typeormRun = (dir, dataSource) => measure(process.execPath, [TYPEORM_CLI, 'migration:run', '-d', dataSource, '--transaction', 'each'], { cwd: dir });

/** node-pg-migrate's migrations: one .sql file each, its up and down parts marked as it reads them. */
function writeNodePgMigrateMigrations(dir, revisions) {
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  revisions.forEach((r, i) => {
    writeFileSync(path.join(dir, 'migrations', `${1700000000000 + i}_${r.id}.sql`), `-- Up Migration\n${r.up.join('\n')}\n\n-- Down Migration\n${r.down.join('\n')}\n`);
  });
}

/** Throws unless the database at `url` has all the revisions' tables. */
function checkPgTables(url, who) {
  const n = Number(psql(url, ['-At', '-c', "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'"]).trim());
  if (n !== REVISIONS) throw new Error(`${who} left ${n} of ${REVISIONS} tables`);
}

function checkSqliteTables(file, who) {
  const r = spawnSync('sqlite3', [file, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't[0-9]*'"], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  if (n !== REVISIONS) throw new Error(`${who} left ${n} of ${REVISIONS} tables in ${file}: ${r.stderr}`);
}

const id = (i) => `p${String(i).padStart(11, '0')}`;

/**
 * A side's run, tried a second time (from a fresh database again) when it fails, with a note: the
 * server's lock table is shared with whatever else runs on it, and a neighbour holding thousands of
 * locks can make any tool's CREATE TABLE fail with "out of shared memory".
 */
const retried = (who, run) => (i) => {
  try {
    return run(i);
  } catch (e) {
    const lines = String(e.message).split('\n');
    const why = (lines.find((l) => /^\s*(error|Error):/.test(l)) ?? lines[0]).trim().slice(0, 200);
    console.log(`  note: ${who}, round ${i + 1}, failed (${why}); run again`);
    return run(i);
  }
};

async function postgres() {
  const dir = tempDir('peers-pg');
  try {
    // migrator's project, and the statements of its revisions.
    const project = path.join(dir, 'migrator');
    mkdirSync(project);
    writeTableChain(project, REVISIONS, id, 'character varying(50)');
    const config = (url) => writeFileSync(path.join(project, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, versions: 'versions' };\n`);
    config('postgres://offline@127.0.0.1:1/none');
    const revisions = revisionStatements(project);

    const typeorm = path.join(dir, 'typeorm');
    writeTypeormMigrations(typeorm, revisions);
    const typeormDataSource = writeTypeormDataSource(typeorm, { type: 'postgres', url: freshDatabase(DB.typeorm) });

    const references = [
      {
        name: `TypeORM ${TYPEORM_VERSION} migration:run --transaction each`,
        run: retried('TypeORM', () => {
          const url = freshDatabase(DB.typeorm);
          const m = typeormRun(typeorm, typeormDataSource);
          checkPgTables(url, 'TypeORM');
          return m;
        }),
      },
    ];

    const peer = installPeer('node-pg-migrate', '9');
    if (peer.skipped) {
      console.log(`node-pg-migrate (PostgreSQL): skipped, ${peer.skipped}`);
    } else {
      const npm = path.join(dir, 'node-pg-migrate');
      writeNodePgMigrateMigrations(npm, revisions);
      const bin = path.join(peer.dir, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
      references.push({
        name: `node-pg-migrate ${peer.version} up --no-single-transaction`,
        run: retried('node-pg-migrate', () => {
          const url = freshDatabase(DB.npm);
          const m = measure(process.execPath, [bin, 'up', '--migrations-dir', 'migrations', '--no-single-transaction'], { cwd: npm, env: { ...process.env, DATABASE_URL: url } });
          checkPgTables(url, 'node-pg-migrate');
          return m;
        }),
      });
    }

    const results = rounds(
      RUNS,
      retried('migrator', () => {
        const url = freshDatabase(DB.migrator);
        config(url);
        const m = measure(process.execPath, [CLI, 'migrate'], { cwd: project });
        checkPgTables(url, 'migrator');
        return m;
      }),
      references.map((r) => r.run),
    );
    references.forEach((r, k) => reportPairs(`migrate, ${REVISIONS} revisions (PostgreSQL) vs ${r.name}`, results[k], r.name.split(' ').slice(0, 2).join(' '), 1.0));
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else removeDir(dir);
    for (const name of Object.values(DB)) dropDatabase(name);
  }
}

async function sqlite() {
  const dir = tempDir('peers-sqlite');
  try {
    const project = path.join(dir, 'migrator');
    mkdirSync(project);
    writeTableChain(project, REVISIONS, id, 'varchar(50)');
    writeFileSync(path.join(project, 'migrator.config.ts'), `export default { database: 'sqlite:./bench.db', versions: 'versions' };\n`);
    const revisions = revisionStatements(project);

    const typeorm = path.join(dir, 'typeorm');
    writeTypeormMigrations(typeorm, revisions);
    const typeormDb = path.join(typeorm, 'bench.db');
    const typeormDataSource = writeTypeormDataSource(typeorm, { type: 'better-sqlite3', database: typeormDb });

    const fresh = (file) => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
    const [result] = rounds(
      RUNS,
      () => {
        const db = path.join(project, 'bench.db');
        fresh(db);
        const m = measure(process.execPath, [CLI, 'migrate'], { cwd: project });
        checkSqliteTables(db, 'migrator');
        return m;
      },
      [
        () => {
          fresh(typeormDb);
          const m = typeormRun(typeorm, typeormDataSource);
          checkSqliteTables(typeormDb, 'TypeORM');
          return m;
        },
      ],
    );
    reportPairs(`migrate, ${REVISIONS} revisions (SQLite) vs TypeORM ${TYPEORM_VERSION} migration:run --transaction each (better-sqlite3)`, result, 'TypeORM', 1.0);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else removeDir(dir);
  }
}

console.log(`peers-apply: ${REVISIONS} revisions, ${RUNS} interleaved round${RUNS === 1 ? '' : 's'}; ratio = migrator ÷ peer (below 1: migrator faster)`);
console.log('  (each tool runs the same statements from an empty database, one transaction a migration, recording each in its own table)');
await postgres();
await sqlite();
