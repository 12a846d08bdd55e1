/**
 * TypeORM compatibility on MySQL/MariaDB, end to end.
 *
 * The entity classes in test/fixtures/typeorm-mysql are compiled with the TypeScript compiler
 * (legacy decorators + decorator metadata, CommonJS) and handed to a real TypeORM DataSource
 * (`type: 'mysql'`, driver mysql2) with `synchronize: true` in a child process, on a fresh
 * database (db1). Then:
 *
 *  1. a migrator project whose models are the very same .ts files, pointed at db1, must see no
 *     difference (`check` exits 0, `makemigrations` writes nothing); so must a project whose
 *     models are a TypeORM DataSource file over those entities (`models: { typeorm }`);
 *  2. a migrator project on a second fresh database (db2) builds the schema itself
 *     (`makemigrations`, `migrate`, `check`), and the two catalogs must match: per table the
 *     comment, the columns (COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, in
 *     order), the indexes (name, uniqueness, kind, key parts), the foreign keys (name, columns,
 *     referenced table and columns, rules) and the checks (name, level, clause).
 *
 * One difference is expected and asserted as such: TypeORM gives an @UpdateDateColumn
 * `ON UPDATE CURRENT_TIMESTAMP(6)` (EXTRA), which migrator's neutral schema has no place for; it
 * is neither compared by `check` nor built by migrator.
 *
 * The fixtures stay clear of what TypeORM does on MySQL that migrator cannot express or does
 * otherwise: `@Check` (TypeORM's mysql query runner never creates checks; migrator would),
 * spatial indexes and a fulltext index's `parser`, `unsigned`, `zerofill`, `width`, `charset` and
 * `collation` (the static reader refuses them), string defaults with quotes or backslashes (TypeORM writes them
 * unescaped), and `type: 'mariadb'` against MariaDB 10.7 or later, where TypeORM makes uuid
 * columns of MariaDB's own `uuid` type rather than varchar(36).
 *
 * Needs the CLI built (`npx tsc -p tsconfig.json`), the dev dependencies typeorm, mysql2 and
 * reflect-metadata, and MySQL or MariaDB (test/support/mysql.ts); an unreachable server fails the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileFixtures, fixtureFiles, synchronizeWithTypeOrm } from '../support/typeorm.js';
import { mysqlCatalogText as catalogText, readMysqlCatalog as readCatalog, type MysqlCatalog as Catalog, type MysqlTableShape } from '../support/mysql-catalog.ts';
import { differences } from '../support/pg-catalog.ts';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'typeorm-mysql');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const nodeModules = path.join(root, 'node_modules');

/** migrator's bookkeeping, never part of the models. */
const VERSION_TABLE = 'migrator_version';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function migrator(cwd: string, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: CliResult): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A migrator project whose models are copies of the fixture files. */
function makeProject(dir: string, url: string): void {
  fs.mkdirSync(path.join(dir, 'entities'), { recursive: true });
  for (const file of fixtureFiles(fixtures)) fs.copyFileSync(path.join(fixtures, file), path.join(dir, 'entities', file));
  fs.writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `import { defineConfig } from 'migrator';

export default defineConfig({ database: ${JSON.stringify(url)}, models: ['entities/*.ts'], versions: 'versions' });
`,
  );
}

/** A migrator project whose models are a TypeORM DataSource over copies of the fixture files. */
function makeDataSourceProject(dir: string, url: string): void {
  makeProject(dir, url);
  fs.symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
  const entities = fixtureFiles(fixtures).map((f) => `./entities/${f.replace(/\.ts$/, '')}`);
  fs.writeFileSync(
    path.join(dir, 'data-source.ts'),
    `import 'reflect-metadata';
import { DataSource } from 'typeorm';
${entities.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}

const entities = [${entities.map((_e, i) => `m${i}`).join(', ')}].flatMap((m) => Object.values(m)).filter((x) => typeof x === 'function');

export const AppDataSource = new DataSource({ type: 'mysql', host: '127.0.0.1', port: 3306, username: 'app', database: 'app', entities });
`,
  );
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: false } }));
  fs.writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `import { defineConfig } from 'migrator';

export default defineConfig({ database: ${JSON.stringify(url)}, models: { typeorm: 'data-source.ts' }, versions: 'versions' });
`,
  );
}

/** The @UpdateDateColumn columns of the fixtures: TypeORM gives them ON UPDATE, migrator cannot. */
const ON_UPDATE_COLUMNS = ['category.updatedAt', 'post.updatedAt', 'users.updatedAt'];
const ON_UPDATE = /^on update current_timestamp\(6\)$/i;

/**
 * The catalog with the ON UPDATE of the update-date columns taken out of EXTRA; the columns that
 * had one are returned, to be asserted.
 */
function withoutOnUpdate(c: Catalog): { catalog: Catalog; onUpdate: string[] } {
  const onUpdate: string[] = [];
  const tables = new Map<string, MysqlTableShape>();
  for (const [name, t] of c.tables) {
    const columns = t.columns.map((col) => {
      if (!ON_UPDATE.test(col.extra)) return col;
      onUpdate.push(`${name}.${col.name}`);
      return { ...col, extra: '' };
    });
    tables.set(name, { ...t, columns });
  }
  return { catalog: { tables }, onUpdate: onUpdate.sort() };
}

// ---------------------------------------------------------------------------------------------

const EXPECTED_TABLES = [
  'category',
  'comment',
  'order',
  'order_item',
  'post',
  'post_categories',
  'post_tags_tag',
  'product',
  'profile',
  'tag',
  'user_favorite_products',
  'users',
];

describe('TypeORM compatibility (MySQL/MariaDB): migrator reads TypeORM entities as TypeORM synchronize builds them', () => {
  let tmp: string;
  let db1: TestMysqlDatabase | undefined;
  let db2: TestMysqlDatabase | undefined;
  let againstTypeOrm: string;
  let dataSourceProject: string;
  let fresh: string;
  let typeorm: Catalog;
  let built: Catalog | undefined;

  before(async () => {
    assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npx tsc -p tsconfig.json\` (npm run build) first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-typeorm-mysql-'));
    db1 = await createMysqlTestDatabase('migrator_typeorm_mysql');
    db2 = await createMysqlTestDatabase('migrator_typeorm_mysql_fresh');
    const compiled = path.join(tmp, 'typeorm-app');
    const modules = compileFixtures(fixtures, compiled);
    // The compiled entities require typeorm, mysql2 and reflect-metadata from this repository.
    fs.symlinkSync(nodeModules, path.join(compiled, 'node_modules'), 'dir');
    synchronizeWithTypeOrm(compiled, modules, { type: 'mysql', url: db1.url });
    typeorm = await readCatalog(db1);

    againstTypeOrm = path.join(tmp, 'project-on-typeorm-db');
    makeProject(againstTypeOrm, db1.url);
    dataSourceProject = path.join(tmp, 'datasource-project-on-typeorm-db');
    makeDataSourceProject(dataSourceProject, db1.url);
    fresh = path.join(tmp, 'project-fresh');
    makeProject(fresh, db2.url);
  });

  after(async () => {
    await db1?.drop();
    await db2?.drop();
    if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`kept ${tmp}`);
  });

  test('TypeORM synchronize builds every fixture table, junction tables included', () => {
    assert.deepEqual([...typeorm.tables.keys()].sort(), EXPECTED_TABLES, catalogText(typeorm));
  });

  test('check against the database TypeORM built: exit 0, no changes', () => {
    const r = migrator(againstTypeOrm, 'check');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
    assert.doesNotMatch(r.stdout, /differ/, show(r));
  });

  test('makemigrations against the database TypeORM built: No changes detected, nothing written', () => {
    const r = migrator(againstTypeOrm, 'makemigrations');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
    const versions = path.join(againstTypeOrm, 'versions');
    const written = fs.existsSync(versions) ? fs.readdirSync(versions).filter((f) => f.endsWith('.ts')) : [];
    assert.deepEqual(written, [], `makemigrations wrote ${written.join(', ')}`);
  });

  test('models: { typeorm } (a DataSource over the same entities) against the database TypeORM built: exit 0, no changes', () => {
    const r = migrator(dataSourceProject, 'check');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
  });

  test('fresh database: makemigrations writes one revision, migrate applies it', async () => {
    const gen = migrator(fresh, 'makemigrations', '-m', 'initial schema', '--rev-id', 'a1b2c3d4e5f6');
    assert.equal(gen.status, 0, show(gen));
    assert.match(gen.stdout, /Generated /, show(gen));
    const up = migrator(fresh, 'migrate');
    assert.equal(up.status, 0, show(up));
    assert.match(up.stdout, /Applied\s+a1b2c3d4e5f6/, show(up));
    assert.match(up.stdout, /Database is now at a1b2c3d4e5f6/, show(up));
    const rows = await db2!.query<{ version_num: string }>(`SELECT version_num FROM ${VERSION_TABLE}`);
    assert.deepEqual(rows, [{ version_num: 'a1b2c3d4e5f6' }]);
    built = await readCatalog(db2!);
  });

  test('fresh database: check is clean after migrate', () => {
    assert.ok(built, 'the fresh database was not built');
    const chk = migrator(fresh, 'check');
    assert.equal(chk.status, 0, show(chk));
    assert.match(chk.stdout, /No changes detected/, show(chk));
  });

  test('fresh database: makemigrations again says No changes detected', () => {
    assert.ok(built, 'the fresh database was not built');
    const again = migrator(fresh, 'makemigrations');
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, /No changes detected/, show(again));
    const files = fs.readdirSync(path.join(fresh, 'versions')).filter((f) => f.endsWith('.ts'));
    assert.equal(files.length, 1, files.join(', '));
    assert.match(files[0], /^\d{8}_\d{6}_a1b2c3d4e5f6_initial_schema\.ts$/);
  });

  test('only the update-date columns differ in EXTRA: TypeORM adds ON UPDATE CURRENT_TIMESTAMP(6), migrator does not', () => {
    assert.ok(built, 'the fresh database was not built');
    assert.deepEqual(withoutOnUpdate(typeorm).onUpdate, ON_UPDATE_COLUMNS, catalogText(typeorm));
    assert.deepEqual(withoutOnUpdate(built).onUpdate, [], catalogText(built));
  });

  test('the schema migrator built has the same tables as the one TypeORM built', () => {
    assert.ok(built, 'the fresh database was not built');
    const context = `\n--- TypeORM\n${catalogText(typeorm)}\n--- migrator\n${catalogText(built)}`;
    assert.deepEqual([...built.tables.keys()].sort(), [...typeorm.tables.keys()].sort(), `tables differ\n${differences('tables', [...typeorm.tables.keys()].sort(), [...built.tables.keys()].sort())}${context}`);
  });

  test('the schema migrator built equals the one TypeORM built, table by table', async (t) => {
    assert.ok(built, 'the fresh database was not built');
    const expectedCatalog = withoutOnUpdate(typeorm).catalog;
    for (const [name, expected] of [...expectedCatalog.tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await t.test(name, async (tt) => {
        const actual = built!.tables.get(name);
        assert.ok(actual, `migrator built no table "${name}"`);
        const byName = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const check = <T>(what: string, e: T[], a: T[]): void => assert.deepEqual(a, e, `table ${name}: ${what} differ\n${differences(what, e, a)}`);
        await tt.test('columns (name, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT), in order', () => {
          check('columns', expected.columns, actual.columns);
        });
        await tt.test('table comment', () => {
          assert.equal(actual.comment, expected.comment, `table ${name}: comment differs`);
        });
        await tt.test('indexes (name, uniqueness, kind, key parts)', () => {
          check('indexes', byName(expected.indexes), byName(actual.indexes));
        });
        await tt.test('foreign keys (name, columns, referenced table and columns, rules)', () => {
          check('foreign keys', byName(expected.foreignKeys), byName(actual.foreignKeys));
        });
        await tt.test('checks (name, level, clause)', () => {
          check('checks', byName(expected.checks), byName(actual.checks));
        });
      });
    }
  });
});
