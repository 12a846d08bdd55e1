/**
 * TypeORM compatibility on SQLite, end to end.
 *
 * The entity classes in test/fixtures/typeorm are compiled with the TypeScript compiler (legacy
 * decorators + decorator metadata, CommonJS) and handed to a real TypeORM DataSource with
 * `synchronize: true` in a child process. Then:
 *
 *  1. a migrator project whose models are the very same .ts files, pointed at TypeORM's database,
 *     must see no difference (`check` exits 0, `makemigrations` writes nothing);
 *  2. a migrator project on an empty database builds the schema itself (`makemigrations`,
 *     `migrate`, `check`), and that schema must equal TypeORM's: columns, foreign keys, indexes,
 *     unique constraints, checks and every generated constraint name.
 *
 * Needs `npm run build` first (the CLI under dist/) and the dev dependencies typeorm,
 * reflect-metadata and better-sqlite3.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileFixtures as compileFrom, fixtureFiles as fixtureFilesIn, synchronizeWithTypeOrm as synchronize } from '../support/typeorm.js';
import { readSqliteShapes as readShapes, sqliteMaster, type SqliteTableShape as TableShape } from '../support/sqlite-catalog.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'typeorm');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const nodeModules = path.join(root, 'node_modules');

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
function makeProject(dir: string, databaseFile: string): void {
  fs.mkdirSync(path.join(dir, 'entities'), { recursive: true });
  for (const file of fixtureFilesIn(fixtures)) fs.copyFileSync(path.join(fixtures, file), path.join(dir, 'entities', file));
  fs.writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `import { defineConfig } from 'migrator';

export default defineConfig({ database: ${JSON.stringify(`sqlite:${databaseFile}`)}, models: ['entities/*.ts'], versions: 'versions' });
`,
  );
}

// ---------------------------------------------------------------------------------------------

describe('TypeORM compatibility (SQLite): migrator reads TypeORM entities as TypeORM synchronize builds them', () => {
  let tmp: string;
  let typeormDb: string;
  let migratorDb: string;
  let againstTypeOrm: string;
  let fresh: string;
  let typeorm: Map<string, TableShape>;
  let built: Map<string, TableShape> | undefined;

  before(() => {
    assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npx tsc -p tsconfig.json\` (npm run build) first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-typeorm-'));
    const compiled = path.join(tmp, 'typeorm-app');
    const modules = compileFrom(fixtures, compiled);
    // The compiled entities require typeorm and reflect-metadata from this repository.
    fs.symlinkSync(nodeModules, path.join(compiled, 'node_modules'), 'dir');
    typeormDb = path.join(tmp, 'typeorm.db');
    migratorDb = path.join(tmp, 'migrator.db');
    synchronize(compiled, modules, { type: 'better-sqlite3', database: typeormDb });
    typeorm = readShapes(typeormDb);

    againstTypeOrm = path.join(tmp, 'project-on-typeorm-db');
    makeProject(againstTypeOrm, typeormDb);
    fresh = path.join(tmp, 'project-fresh');
    makeProject(fresh, migratorDb);
  });

  after(() => {
    if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`kept ${tmp}`);
  });

  test('TypeORM synchronize builds every fixture table, junction tables included', () => {
    assert.deepEqual([...typeorm.keys()].sort(), [
      'catalog_product',
      'catalog_product_categories_product_category',
      'customer',
      'customer_favorite_product',
      'customer_profile',
      'http_request_log',
      'order',
      'order_item',
      'product_category',
    ]);
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

  test('fresh database: makemigrations, migrate, then check is clean', () => {
    const gen = migrator(fresh, 'makemigrations', '-m', 'initial schema', '--rev-id', 'a1b2c3d4e5f6');
    assert.equal(gen.status, 0, show(gen));
    assert.match(gen.stdout, /Generated /, show(gen));
    const up = migrator(fresh, 'migrate');
    assert.equal(up.status, 0, show(up));
    assert.match(up.stdout, /Database is now at a1b2c3d4e5f6/, show(up));
    const chk = migrator(fresh, 'check');
    assert.equal(chk.status, 0, show(chk));
    assert.match(chk.stdout, /No changes detected/, show(chk));
    const again = migrator(fresh, 'makemigrations');
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, /No changes detected/, show(again));
    built = readShapes(migratorDb);
  });

  test('the schema migrator built has the same tables as the one TypeORM built', () => {
    assert.ok(built, 'the fresh database was not built');
    assert.deepEqual([...built.keys()].sort(), [...typeorm.keys()].sort());
  });

  test('the schema migrator built equals the one TypeORM built, table by table', async (t) => {
    assert.ok(built, 'the fresh database was not built');
    const context = (): string => `\n--- TypeORM\n${sqliteMaster(typeormDb)}\n--- migrator\n${sqliteMaster(migratorDb)}`;
    for (const [name, expected] of [...typeorm].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await t.test(name, async (tt) => {
        const actual = built!.get(name);
        assert.ok(actual, `migrator built no table "${name}"`);
        await tt.test('columns (PRAGMA table_info: name, type, notnull, dflt_value, pk)', () => {
          assert.deepEqual(actual.columns, expected.columns, context());
        });
        await tt.test('AUTOINCREMENT', () => {
          assert.equal(actual.autoincrement, expected.autoincrement, context());
        });
        await tt.test('foreign keys (PRAGMA foreign_key_list)', () => {
          assert.deepEqual(actual.foreignKeys, expected.foreignKeys, context());
        });
        await tt.test('indexes (names, columns, uniqueness, WHERE)', () => {
          assert.deepEqual(actual.indexes, expected.indexes, context());
        });
        await tt.test('unique constraints (by columns)', () => {
          assert.deepEqual(actual.uniques, expected.uniques, context());
        });
        await tt.test('CHECK expressions', () => {
          assert.deepEqual(actual.checks, expected.checks, context());
        });
        await tt.test('CONSTRAINT names in the CREATE TABLE statement', () => {
          assert.deepEqual(actual.constraintNames, expected.constraintNames, context());
        });
      });
    }
  });
});
