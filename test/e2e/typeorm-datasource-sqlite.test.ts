/**
 * `models: { typeorm: 'data-source.ts' }` on SQLite, end to end through the CLI.
 *
 * The project in test/fixtures/typeorm-datasource uses what only TypeORM itself can read: embedded
 * columns, single-table inheritance, a closure-table tree, an EntitySchema object, and column types
 * chosen by the environment when the files load (and @Generated('uuid') on a non-primary column,
 * which the static reader reads too).
 * migrator builds the schema from the DataSource (makemigrations, migrate, check, makemigrations
 * again), and the result must equal what real TypeORM `synchronize` builds from the same
 * DataSource in another fresh database.
 *
 * Needs the CLI built (`npx tsc -p tsconfig.json`) and the dev dependencies typeorm,
 * reflect-metadata and better-sqlite3.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readSqliteShapes, sqliteMaster, type SqliteTableShape } from '../support/sqlite-catalog.ts';
import { assertFirstRevisionSettles, copyProject, dataSourceConfig, migrator, removeTemp, ROOT, show, synchronizeDataSource, tempDir } from '../support/typeorm-datasource.ts';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'typeorm-datasource');
const ENV = { APP_DB: 'sqlite' };

describe('TypeORM DataSource as the model source (SQLite)', () => {
  let tmp: string;
  let project: string;
  let migratorDb: string;
  let typeormDb: string;
  let typeorm: Map<string, SqliteTableShape>;
  let built: Map<string, SqliteTableShape> | undefined;

  before(() => {
    tmp = tempDir('migrator-datasource-sqlite-');
    migratorDb = path.join(tmp, 'migrator.db');
    typeormDb = path.join(tmp, 'typeorm.db');
    project = copyProject(FIXTURE, path.join(tmp, 'app'), { 'migrator.config.ts': dataSourceConfig(`sqlite:${migratorDb}`, 'data-source.ts') });
    synchronizeDataSource(project, 'data-source.ts', { database: typeormDb }, ENV);
    typeorm = readSqliteShapes(typeormDb);
  });

  after(() => removeTemp(tmp));

  test('TypeORM synchronize builds the entity, inheritance, closure and EntitySchema tables', () => {
    assert.deepEqual([...typeorm.keys()].sort(), ['category', 'category_closure', 'customer', 'payment', 'tag']);
  });

  test('makemigrations, migrate, check: a fresh database reaches the models', () => {
    assertFirstRevisionSettles(project, ENV);
    built = readSqliteShapes(migratorDb);
  });

  test('the revision reads the types the environment chose', () => {
    const [file] = fs.readdirSync(path.join(project, 'versions')).filter((f) => /^\d{8}_\d{6}_a1b2c3d4e5f6_initial_schema\.ts$/.test(f));
    assert.ok(file, 'the generated revision a1b2c3d4e5f6, named {date}_{rev}_{slug}.ts');
    const revision = fs.readFileSync(path.join(project, 'versions', file), 'utf8');
    assert.match(revision, /name: 'lastSeenAt', type: 'datetime'/);
    assert.match(revision, /name: 'preferences', type: 'text'/);
  });

  test('the database migrator built equals the one TypeORM synchronize built, table by table', async (t) => {
    assert.ok(built, 'the fresh database was not built');
    assert.deepEqual([...built.keys()].sort(), [...typeorm.keys()].sort());
    const context = (): string => `\n--- TypeORM\n${sqliteMaster(typeormDb)}\n--- migrator\n${sqliteMaster(migratorDb)}`;
    for (const [name, expected] of [...typeorm].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await t.test(name, () => {
        const actual = built!.get(name);
        assert.ok(actual, `migrator built no table "${name}"`);
        assert.deepEqual(actual.columns, expected.columns, `columns of ${name}${context()}`);
        assert.equal(actual.autoincrement, expected.autoincrement, `AUTOINCREMENT of ${name}${context()}`);
        assert.deepEqual(actual.foreignKeys, expected.foreignKeys, `foreign keys of ${name}${context()}`);
        assert.deepEqual(actual.indexes, expected.indexes, `indexes of ${name}${context()}`);
        assert.deepEqual(actual.uniques, expected.uniques, `unique constraints of ${name}${context()}`);
        assert.deepEqual(actual.checks, expected.checks, `checks of ${name}${context()}`);
        assert.deepEqual(actual.constraintNames, expected.constraintNames, `constraint names of ${name}${context()}`);
      });
    }
  });

  test('pointed at the database TypeORM built, check finds nothing to do', () => {
    const other = copyProject(FIXTURE, path.join(tmp, 'on-typeorm-db'), { 'migrator.config.ts': dataSourceConfig(`sqlite:${typeormDb}`, 'data-source.ts') });
    const r = migrator(other, ENV, 'check');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
  });
});
