/**
 * TypeORM compatibility on PostgreSQL, end to end.
 *
 * The entity classes in test/fixtures/typeorm-pg are compiled with the TypeScript compiler (legacy
 * decorators + decorator metadata, CommonJS) and handed to a real TypeORM DataSource with
 * `synchronize: true` in a child process, on a fresh database (db1). Then:
 *
 *  1. a migrator project whose models are the very same .ts files, pointed at db1, must see no
 *     difference (`check` exits 0, `makemigrations` writes nothing);
 *  2. a migrator project on a second fresh database (db2) builds the schema itself
 *     (`makemigrations`, `migrate`, `check`), and the two catalogs must match: per table the
 *     columns (format_type, NOT NULL, default, identity, comment), the constraints (name, type,
 *     pg_get_constraintdef), the indexes (pg_indexes), and the enum types and extensions.
 *
 * The fixtures stay clear of what TypeORM itself gets wrong on PostgreSQL (numeric with a scale but
 * no precision, fractional numeric defaults, expression defaults, quotes in string defaults,
 * names over 63 bytes, foreign keys to an enum key without enumName).
 *
 * Needs the CLI built (`npx tsc -p tsconfig.json`), the dev dependencies typeorm and
 * reflect-metadata, and PostgreSQL (test/support/pg.ts); an unreachable server fails the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileFixtures as compileFrom, fixtureFiles as fixtureFilesIn, synchronizeWithTypeOrm as synchronize } from '../support/typeorm.js';
import { differences, pgCatalogText as catalogText, readPgCatalog as readCatalog, type PgCatalog as Catalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'typeorm-pg');
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
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: CliResult): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A migrator project whose models are copies of the fixture files. */
function makeProject(dir: string, url: string): void {
  fs.mkdirSync(path.join(dir, 'entities'), { recursive: true });
  for (const file of fixtureFilesIn(fixtures)) fs.copyFileSync(path.join(fixtures, file), path.join(dir, 'entities', file));
  fs.writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `import { defineConfig } from 'migrator';

export default defineConfig({ database: ${JSON.stringify(url)}, models: ['entities/*.ts'], versions: 'versions' });
`,
  );
}

// ---------------------------------------------------------------------------------------------

const EXPECTED_TABLES = [
  'catalog_product',
  'catalog_product_categories_product_category',
  'customer',
  'customer_favorite_product',
  'customer_profile',
  'http_request_log',
  'order',
  'order_item',
  'product_category',
  'shipment',
];

describe('TypeORM compatibility (PostgreSQL): migrator reads TypeORM entities as TypeORM synchronize builds them', () => {
  let tmp: string;
  let db1: TestDatabase | undefined;
  let db2: TestDatabase | undefined;
  let againstTypeOrm: string;
  let fresh: string;
  let typeorm: Catalog;
  let built: Catalog | undefined;

  before(async () => {
    assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npx tsc -p tsconfig.json\` (npm run build) first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-typeorm-pg-'));
    db1 = await createTestDatabase('migrator_typeorm_pg');
    db2 = await createTestDatabase('migrator_typeorm_pg_fresh');
    const compiled = path.join(tmp, 'typeorm-app');
    const modules = compileFrom(fixtures, compiled);
    // The compiled entities require typeorm and reflect-metadata from this repository.
    fs.symlinkSync(nodeModules, path.join(compiled, 'node_modules'), 'dir');
    synchronize(compiled, modules, { type: 'postgres', url: db1.url });
    typeorm = await readCatalog(db1);

    againstTypeOrm = path.join(tmp, 'project-on-typeorm-db');
    makeProject(againstTypeOrm, db1.url);
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
    assert.deepEqual(
      typeorm.enums.map((e) => e.name),
      ['customer_tier_enum', 'order_priority_enum', 'order_status_enum'],
      catalogText(typeorm),
    );
    assert.deepEqual(typeorm.extensions, ['citext', 'uuid-ossp'], catalogText(typeorm));
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

  test('the schema migrator built has the same tables, enum types and extensions as the one TypeORM built', () => {
    assert.ok(built, 'the fresh database was not built');
    const context = `\n--- TypeORM\n${catalogText(typeorm)}\n--- migrator\n${catalogText(built)}`;
    assert.deepEqual([...built.tables.keys()].sort(), [...typeorm.tables.keys()].sort(), `tables differ\n${differences('tables', [...typeorm.tables.keys()].sort(), [...built.tables.keys()].sort())}${context}`);
    assert.deepEqual(built.enums, typeorm.enums, `enum types (name, labels in order) differ\n${differences('enum types', typeorm.enums, built.enums)}`);
    assert.deepEqual(built.extensions, typeorm.extensions, `extensions differ\n${differences('extensions', typeorm.extensions, built.extensions)}`);
  });

  test('the schema migrator built equals the one TypeORM built, table by table', async (t) => {
    assert.ok(built, 'the fresh database was not built');
    for (const [name, expected] of [...typeorm.tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await t.test(name, async (tt) => {
        const actual = built!.tables.get(name);
        assert.ok(actual, `migrator built no table "${name}"`);
        const byName = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const check = <T>(what: string, e: T[], a: T[]): void => assert.deepEqual(a, e, `table ${name}: ${what} differ\n${differences(what, e, a)}`);
        await tt.test('columns (name, format_type, attnotnull, normalised default, identity, comment)', () => {
          check('columns', byName(expected.columns), byName(actual.columns));
        });
        await tt.test('column order', () => {
          check(
            'column order',
            expected.columns.map((c) => c.name),
            actual.columns.map((c) => c.name),
          );
        });
        await tt.test('table comment', () => {
          assert.equal(actual.comment, expected.comment, `table ${name}: comment differs`);
        });
        await tt.test('constraints (conname, contype, pg_get_constraintdef)', () => {
          check('constraints', expected.constraints, actual.constraints);
        });
        await tt.test('indexes (pg_indexes.indexname, indexdef)', () => {
          check('indexes', expected.indexes, actual.indexes);
        });
      });
    }
  });
});
