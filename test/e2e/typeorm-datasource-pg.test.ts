/**
 * `models: { typeorm: 'data-source.ts' }` on PostgreSQL, end to end through the CLI.
 *
 * The project in test/fixtures/typeorm-datasource (embedded columns, single-table inheritance,
 * @Generated('uuid') on a non-primary column, a closure-table tree, an EntitySchema object,
 * column types chosen by the environment) is built by migrator on one fresh database
 * (makemigrations, migrate, check, makemigrations again) and by real TypeORM `synchronize` from
 * the same DataSource on another; the two catalogs must match: per table the columns
 * (format_type, NOT NULL, default, identity, comment), the constraints (name, type,
 * pg_get_constraintdef), the indexes (pg_indexes), and the enum types and extensions.
 *
 * Needs the CLI built (`npx tsc -p tsconfig.json`), the dev dependencies typeorm and
 * reflect-metadata, and PostgreSQL (test/support/pg.ts); an unreachable server fails the file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { differences, pgCatalogText, readPgCatalog, type PgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertFirstRevisionSettles, copyProject, dataSourceConfig, migrator, removeTemp, ROOT, show, synchronizeDataSource, tempDir } from '../support/typeorm-datasource.ts';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'typeorm-datasource');
const ENV = { APP_DB: 'postgres' };

describe('TypeORM DataSource as the model source (PostgreSQL)', () => {
  let tmp: string;
  let project: string;
  let typeormDb: TestDatabase | undefined;
  let migratorDb: TestDatabase | undefined;
  let typeorm: PgCatalog;
  let built: PgCatalog | undefined;

  before(async () => {
    tmp = tempDir('migrator-datasource-pg-');
    typeormDb = await createTestDatabase('migrator_datasource_typeorm');
    migratorDb = await createTestDatabase('migrator_datasource');
    project = copyProject(FIXTURE, path.join(tmp, 'app'), { 'migrator.config.ts': dataSourceConfig(migratorDb.url, 'data-source.ts') });
    synchronizeDataSource(project, 'data-source.ts', { url: typeormDb.url }, ENV);
    typeorm = await readPgCatalog(typeormDb);
  });

  after(async () => {
    await typeormDb?.drop();
    await migratorDb?.drop();
    removeTemp(tmp);
  });

  test('TypeORM synchronize builds the entity, inheritance, closure and EntitySchema tables', () => {
    assert.deepEqual([...typeorm.tables.keys()].sort(), ['category', 'category_closure', 'customer', 'payment', 'tag'], pgCatalogText(typeorm));
    assert.deepEqual(typeorm.extensions, ['uuid-ossp'], pgCatalogText(typeorm));
  });

  test('makemigrations, migrate, check: a fresh database reaches the models', async () => {
    assertFirstRevisionSettles(project, ENV);
    built = await readPgCatalog(migratorDb!);
  });

  test('the revision reads the types the environment chose', () => {
    const [file] = fs.readdirSync(path.join(project, 'versions')).filter((f) => /^\d{8}_\d{6}_a1b2c3d4e5f6_initial_schema\.ts$/.test(f));
    assert.ok(file, 'the generated revision a1b2c3d4e5f6, named {date}_{rev}_{slug}.ts');
    const revision = fs.readFileSync(path.join(project, 'versions', file), 'utf8');
    assert.match(revision, /name: 'lastSeenAt', type: 'timestamp with time zone'/);
    assert.match(revision, /name: 'preferences', type: 'jsonb'/);
  });

  test('the database migrator built has the tables, enum types and extensions TypeORM built', () => {
    assert.ok(built, 'the fresh database was not built');
    const context = `\n--- TypeORM\n${pgCatalogText(typeorm)}\n--- migrator\n${pgCatalogText(built)}`;
    assert.deepEqual([...built.tables.keys()].sort(), [...typeorm.tables.keys()].sort(), `tables differ${context}`);
    assert.deepEqual(built.enums, typeorm.enums, `enum types differ\n${differences('enum types', typeorm.enums, built.enums)}`);
    assert.deepEqual(built.extensions, typeorm.extensions, `extensions differ\n${differences('extensions', typeorm.extensions, built.extensions)}`);
  });

  test('the database migrator built equals the one TypeORM synchronize built, table by table', async (t) => {
    assert.ok(built, 'the fresh database was not built');
    for (const [name, expected] of [...typeorm.tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await t.test(name, () => {
        const actual = built!.tables.get(name);
        assert.ok(actual, `migrator built no table "${name}"`);
        const check = <T>(what: string, e: T[], a: T[]): void => assert.deepEqual(a, e, `table ${name}: ${what} differ\n${differences(what, e, a)}`);
        const byName = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        check('columns', byName(expected.columns), byName(actual.columns));
        check('column order', expected.columns.map((c) => c.name), actual.columns.map((c) => c.name));
        assert.equal(actual.comment, expected.comment, `table ${name}: comment differs`);
        check('constraints', expected.constraints, actual.constraints);
        check('indexes', expected.indexes, actual.indexes);
      });
    }
  });

  test('pointed at the database TypeORM built, check finds nothing to do', () => {
    const other = copyProject(FIXTURE, path.join(tmp, 'on-typeorm-db'), { 'migrator.config.ts': dataSourceConfig(typeormDb!.url, 'data-source.ts') });
    const r = migrator(other, ENV, 'check');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
  });
});
