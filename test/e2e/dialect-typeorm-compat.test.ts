/**
 * TypeORM compatibility, end to end, one body on SQLite, PostgreSQL and MySQL/MariaDB: migrator
 * reads TypeORM entities as TypeORM `synchronize` builds them.
 *
 * Each dialect has its own entity fixtures (test/fixtures/typeorm, typeorm-pg, typeorm-mysql), as
 * what TypeORM supports differs by dialect. They are compiled with the TypeScript compiler (legacy
 * decorators + decorator metadata, CommonJS) and handed to a real TypeORM DataSource with
 * `synchronize: true` in a child process, on an empty database. Then:
 *
 *  1. a migrator project whose models are the very same .ts files, pointed at TypeORM's database,
 *     must see no difference (`check` exits 0, `makemigrations` writes nothing); so must a project
 *     whose models are a TypeORM DataSource file over those entities (`models: { typeorm }`);
 *  2. a migrator project on a second, empty database builds the schema itself (`makemigrations`,
 *     `migrate`, `check`), and the two catalogs must match, table by table, in everything the
 *     dialect's catalog says:
 *     - SQLite: the columns (PRAGMA table_info, COLLATE), AUTOINCREMENT, the foreign keys, the indexes with
 *       their WHERE, the unique constraints, the CHECK expressions and every constraint name of the
 *       CREATE TABLE statement;
 *     - PostgreSQL: the columns (format_type, NOT NULL, default, identity, comment, collation) and their order,
 *       the table comment, the constraints (name, type, pg_get_constraintdef) and the indexes
 *       (pg_indexes); and, for the database as a whole, the enum types and the extensions;
 *     - MySQL/MariaDB: the table comment, the columns (COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,
 *       EXTRA, COLUMN_COMMENT, COLLATION_NAME, in order), the indexes (name, uniqueness, kind, key parts), the
 *       foreign keys (name, columns, referenced table and columns, rules) and the checks.
 *
 * On MySQL/MariaDB TypeORM gives an @UpdateDateColumn `ON UPDATE CURRENT_TIMESTAMP(6)` (EXTRA),
 * and so does migrator: both databases are asserted to have it on exactly the update-date columns.
 *
 * The fixtures stay clear of what TypeORM itself gets wrong, or does in a way migrator cannot express:
 *  - on PostgreSQL, numeric with a scale but no precision, fractional numeric defaults, expression
 *    defaults, quotes in string defaults, names over 63 bytes, foreign keys to an enum key without
 *    enumName;
 *  - on MySQL/MariaDB, `@Check` (TypeORM's mysql query runner never creates checks; migrator would),
 *    a fulltext index's `parser`, `zerofill`, a `charset` without a
 *    `collation` (the readers refuse them), string defaults with quotes or backslashes
 *    (TypeORM writes them unescaped), and `type: 'mariadb'` against MariaDB 10.7 or later, where
 *    TypeORM makes uuid columns of MariaDB's own `uuid` type rather than varchar(36).
 *
 * PostgreSQL and MySQL/MariaDB: two databases each (test/support/pg.ts, mysql.ts), dropped at the
 * end; an unreachable server fails the file, never skips it. Needs the CLI built
 * (`npx tsc -p tsconfig.json`) and the dev dependencies typeorm, reflect-metadata, better-sqlite3,
 * pg and mysql2.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readMysqlCatalog, mysqlCatalogText } from '../support/mysql-catalog.ts';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { differences, pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { readSqliteShapes, sqliteMaster } from '../support/sqlite-catalog.ts';
import { dataSourceConfig } from '../support/typeorm-datasource.ts';
import { compileFixtures, copyFixtures, fixtureFiles, synchronizeWithTypeOrm } from '../support/typeorm.ts';
import { type Backend, mysql, postgres, sqlite } from './graph-helpers.ts';
import { explain, projects, ROOT, type TempProject } from './helpers.ts';

const newProject = projects();

/** What is compared of a table: lists of items by label (its columns, its indexes, …), each list compared as one. */
type Facets = Record<string, unknown[]>;

/** A database's schema as this file compares it. */
interface Catalog {
  /** Per table, its facets: the columns, keys, indexes, … as the dialect's catalog gives them. */
  tables: Map<string, Facets>;
  /** What the database holds besides tables (PostgreSQL's enum types and extensions), by kind. */
  objects: Record<string, { name: string }[]>;
  /** The columns (`table.column`) whose EXTRA holds ON UPDATE CURRENT_TIMESTAMP(6) (MySQL). */
  onUpdate: string[];
  /** The whole catalog as text, for assertion messages. */
  text: string;
}

/** One database of the file: TypeORM's, or the empty one migrator builds the schema on. */
interface TestDb {
  /** Its URL, for a migrator config. */
  url: string;
  /** The connection options of a TypeORM DataSource on it. */
  connection: Record<string, string>;
  /** Its version table's rows, sorted. */
  versions(): Promise<string[]>;
  catalog(): Promise<Catalog>;
  /** Runs one statement on it. */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

/** A dialect under test: its fixtures, what TypeORM builds from them, and its databases. */
interface Dialect {
  name: Backend['name'];
  /** The fixture folder under test/fixtures. */
  fixtures: string;
  /**
   * What TypeORM synchronize builds from the fixtures: the tables, junction tables included, and
   * the names of the other objects of the database by kind (as in `Catalog.objects`).
   */
  builds: { tables: string[] } & Record<string, string[]>;
  /**
   * The index of the fixtures with `synchronize: false`, which TypeORM neither creates nor drops:
   * its name, and the statement a hand-written revision would make it with.
   */
  handMadeIndex: { name: string; sql: string };
  /** The columns TypeORM gives ON UPDATE CURRENT_TIMESTAMP(6) (MySQL's update dates). */
  onUpdate?: string[];
  /** The default TypeORM's driver writes for `default: 1.5` on a double column without a scale, where it rounds it. */
  roundsFraction?: string;
  /** A new empty database, dropped by `drop`. */
  database(role: 'typeorm' | 'fresh'): Promise<TestDb>;
}

const byName = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function sqliteCatalog(file: string): Catalog {
  const tables = new Map<string, Facets>();
  for (const [name, s] of readSqliteShapes(file)) {
    tables.set(name, {
      'columns (PRAGMA table_info: name, type, notnull, dflt_value, pk)': s.columns,
      AUTOINCREMENT: [s.autoincrement],
      'foreign keys (PRAGMA foreign_key_list)': s.foreignKeys,
      'indexes (names, columns, uniqueness, WHERE)': s.indexes,
      'unique constraints (by columns)': s.uniques,
      'CHECK expressions': s.checks,
      'CONSTRAINT names in the CREATE TABLE statement': s.constraintNames,
    });
  }
  return { tables, objects: {}, onUpdate: [], text: sqliteMaster(file) };
}

async function pgCatalog(db: TestDatabase): Promise<Catalog> {
  const c = await readPgCatalog(db);
  const tables = new Map<string, Facets>();
  for (const [name, t] of c.tables) {
    tables.set(name, {
      'columns (name, format_type, attnotnull, default, identity, comment)': byName(t.columns),
      'column order': t.columns.map((col) => col.name),
      'table comment': [t.comment],
      'constraints (conname, contype, pg_get_constraintdef)': t.constraints,
      'indexes (pg_indexes.indexname, indexdef)': t.indexes,
    });
  }
  return { tables, objects: { 'enum types': c.enums, extensions: c.extensions.map((name) => ({ name })) }, onUpdate: [], text: pgCatalogText(c) };
}

/** What TypeORM gives an @UpdateDateColumn on MySQL in EXTRA. */
const ON_UPDATE = /^on update current_timestamp\(6\)$/i;

async function mysqlCatalog(db: TestMysqlDatabase): Promise<Catalog> {
  const c = await readMysqlCatalog(db);
  const tables = new Map<string, Facets>();
  const onUpdate: string[] = [];
  for (const [name, t] of c.tables) {
    for (const col of t.columns) if (ON_UPDATE.test(col.extra)) onUpdate.push(`${name}.${col.name}`);
    tables.set(name, {
      'columns (name, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT), in order': t.columns,
      'table comment': [t.comment],
      'indexes (name, uniqueness, kind, key parts)': byName(t.indexes),
      'foreign keys (name, columns, referenced table and columns, rules)': byName(t.foreignKeys),
      'checks (name, level, clause)': byName(t.checks),
    });
  }
  return { tables, objects: {}, onUpdate: onUpdate.sort(), text: mysqlCatalogText(c) };
}

const DIALECTS: Dialect[] = [
  {
    name: 'sqlite',
    fixtures: 'typeorm',
    handMadeIndex: { name: 'IDX_http_request_log_recent', sql: 'CREATE INDEX "IDX_http_request_log_recent" ON "http_request_log" ("createdAt" DESC)' },
    builds: {
      tables: [
        'api_key',
        'badge',
        'basket',
        'bin',
        'catalog_product',
        'catalog_product_categories_product_category',
        'channel',
        'city',
        'city_twinned_with_country',
        'country',
        'crew',
        'crew_duty',
        'customer',
        'customer_favorite_product',
        'customer_profile',
        'duty',
        'folder',
        'gadget',
        'http_request_log',
        'ledger',
        'lodger',
        'memo',
        'order',
        'order_item',
        'panel',
        'panel_pin',
        'payment_method',
        'pin',
        'product_category',
        'region',
        'region_closure',
        'roster',
        'shelf',
        'topic',
      ],
    },
    async database(role) {
      // The app.db of a folder of its own, where graph-helpers' sqlite backend reads it.
      const dir = newProject(`migrator-typeorm-sqlite-${role}-`).dir;
      const file = path.join(dir, 'app.db');
      return {
        url: `sqlite:${file}`,
        connection: { type: 'better-sqlite3', database: file },
        versions: () => sqlite.rows(dir),
        catalog: async () => sqliteCatalog(file),
        exec: async (sql) => void (await sqlite.query(dir, sql)),
        drop: async () => {},
      };
    },
  },
  {
    name: 'postgres',
    fixtures: 'typeorm-pg',
    handMadeIndex: { name: 'IDX_http_request_log_recent', sql: 'CREATE INDEX "IDX_http_request_log_recent" ON "http_request_log" USING brin ("createdAt")' },
    builds: {
      tables: [
        'badge',
        'basket',
        'bin',
        'catalog_product',
        'catalog_product_categories_product_category',
        'channel',
        'city',
        'city_twinned_with_country',
        'country',
        'crew',
        'crew_duty',
        'customer',
        'customer_favorite_product',
        'customer_profile',
        'duty',
        'folder',
        'gadget',
        'http_request_log',
        'ledger',
        'lodger',
        'memo',
        'order',
        'order_item',
        'panel',
        'panel_pin',
        'payment_method',
        'pin',
        'product_category',
        'region',
        'region_closure',
        'roster',
        'shelf',
        'shipment',
        'topic',
      ],
      'enum types': ['customer_tier_enum', 'order_priority_enum', 'order_status_enum'],
      extensions: ['citext', 'uuid-ossp'],
    },
    async database(role) {
      const db = await createTestDatabase(role === 'typeorm' ? 'migrator_typeorm_pg' : 'migrator_typeorm_pg_fresh');
      const backend = postgres(() => db);
      return {
        url: db.url,
        connection: { type: 'postgres', url: db.url },
        versions: () => backend.rows(''),
        catalog: () => pgCatalog(db),
        exec: async (sql) => void (await db.query(sql)),
        drop: () => db.drop(),
      };
    },
  },
  {
    name: 'mysql',
    fixtures: 'typeorm-mysql',
    handMadeIndex: { name: 'IDX_comment_body_words', sql: 'CREATE FULLTEXT INDEX `IDX_comment_body_words` ON `comment` (`body`)' },
    builds: {
      tables: ['badge', 'basket', 'bin', 'category', 'channel', 'city', 'city_twinned_with_country', 'comment', 'country', 'crew', 'crew_duty', 'duty', 'folder', 'gadget', 'ledger', 'lodger', 'memo', 'order', 'order_item', 'panel', 'panel_pin', 'payment_method', 'pin', 'post', 'post_categories', 'post_tags_tag', 'product', 'profile', 'region', 'region_closure', 'roster', 'shelf', 'stamp', 'tag', 'topic', 'user_favorite_products', 'users'],
    },
    onUpdate: ['category.updatedAt', 'post.updatedAt', 'users.updatedAt'],
    roundsFraction: "'2'",
    async database(role) {
      const db = await createMysqlTestDatabase(role === 'typeorm' ? 'migrator_typeorm_mysql' : 'migrator_typeorm_mysql_fresh');
      const backend = mysql(() => db);
      return {
        url: db.url,
        connection: { type: 'mysql', url: db.url },
        versions: () => backend.rows(''),
        catalog: () => mysqlCatalog(db),
        exec: async (sql) => void (await db.query(sql)),
        drop: () => db.drop(),
      };
    },
  },
];

/** A migrator project on `url` whose models are copies of the fixture files. */
function entityProject(fixtures: string, url: string): TempProject {
  const p = newProject('migrator-typeorm-project-');
  copyFixtures(fixtures, p.path('entities'));
  p.writeConfig({ database: url });
  return p;
}

/** A migrator project on `db` whose models are a TypeORM DataSource (on `db` too) over copies of the fixture files. */
function dataSourceProject(fixtures: string, db: TestDb): TempProject {
  const p = entityProject(fixtures, db.url);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), p.path('node_modules'), 'dir');
  const entities = fixtureFiles(fixtures).map((f) => `./entities/${f.replace(/\.ts$/, '')}`);
  const connection = Object.entries(db.connection).map(([key, value]) => `${key}: ${JSON.stringify(value)}, `);
  p.write(
    'data-source.ts',
    `import 'reflect-metadata';
import { DataSource } from 'typeorm';
${entities.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}

const entities = [${entities.map((_e, i) => `m${i}`).join(', ')}].flatMap((m) => Object.values(m)).filter((x) => typeof x === 'function');

export const AppDataSource = new DataSource({ ${connection.join('')}entities });
`,
  );
  p.write('tsconfig.json', JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: false } }));
  p.write('migrator.config.ts', dataSourceConfig(db.url, 'data-source.ts'));
  return p;
}

/** `a`, `a and b`, `a, b and c`. */
const listed = (xs: string[]): string => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : xs.join(''));

/** The names of what a catalog holds, by kind: the form of `Dialect.builds`. */
const inventory = (c: Catalog): Record<string, string[]> => ({
  tables: [...c.tables.keys()].sort(),
  ...Object.fromEntries(Object.entries(c.objects).map(([kind, xs]) => [kind, xs.map((x) => x.name)])),
});

for (const dialect of DIALECTS) {
  describe(`TypeORM compatibility on ${dialect.name}: migrator reads TypeORM entities as TypeORM synchronize builds them`, () => {
    const fixtures = path.join(ROOT, 'test', 'fixtures', dialect.fixtures);
    const databases: TestDb[] = [];
    let onTypeOrm: TempProject;
    let dataSourceOnTypeOrm: TempProject;
    let fresh: TempProject;
    let freshDb: TestDb;
    let typeorm: Catalog;
    let built: Catalog | undefined;
    let synchronizeAgain: () => void;

    before(async () => {
      const typeormDb = await dialect.database('typeorm');
      databases.push(typeormDb);
      freshDb = await dialect.database('fresh');
      databases.push(freshDb);

      const app = newProject(`migrator-typeorm-${dialect.name}-app-`);
      const modules = compileFixtures(fixtures, app.dir);
      // The compiled entities require typeorm, its drivers and reflect-metadata from this repository.
      fs.symlinkSync(path.join(ROOT, 'node_modules'), app.path('node_modules'), 'dir');
      synchronizeAgain = () => synchronizeWithTypeOrm(app.dir, modules, typeormDb.connection);
      synchronizeAgain();
      typeorm = await typeormDb.catalog();

      onTypeOrm = entityProject(fixtures, typeormDb.url);
      dataSourceOnTypeOrm = dataSourceProject(fixtures, typeormDb);
      fresh = entityProject(fixtures, freshDb.url);
    });

    after(async () => {
      for (const db of databases) await db.drop();
    });

    test('TypeORM synchronize builds every fixture table, junction tables included', () => {
      assert.deepEqual(inventory(typeorm), dialect.builds, typeorm.text);
    });

    test('check against the database TypeORM built: exit 0, no changes', () => {
      const r = onTypeOrm.ok(['check']);
      assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
      assert.doesNotMatch(r.stdout, /differ/, explain(r, 'to find no difference'));
    });

    test('makemigrations against the database TypeORM built: No changes detected, nothing written', () => {
      const r = onTypeOrm.ok(['makemigrations']);
      assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
      const written = onTypeOrm.versionFiles().filter((f) => f.endsWith('.ts'));
      assert.deepEqual(written, [], `makemigrations wrote ${written.join(', ')}`);
    });

    test('models: { typeorm } (a DataSource over the same entities) against the database TypeORM built: exit 0, no changes', () => {
      const r = dataSourceOnTypeOrm.ok(['check']);
      assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
    });

    test('fresh database: makemigrations writes one revision, migrate applies it', async () => {
      const gen = fresh.ok(['makemigrations', '-m', 'initial schema', '--rev-id', 'a1b2c3d4e5f6']);
      assert.match(gen.stdout, /Generated /, explain(gen, 'to write a revision'));
      const up = fresh.ok(['migrate']);
      assert.match(up.stdout, /Applied\s+a1b2c3d4e5f6/, explain(up, 'to apply the revision'));
      assert.match(up.stdout, /Database is now at a1b2c3d4e5f6/, explain(up, 'to say where the database is'));
      assert.deepEqual(await freshDb.versions(), ['a1b2c3d4e5f6']);
      built = await freshDb.catalog();
    });

    test('fresh database: check is clean after migrate', () => {
      assert.ok(built, 'the fresh database was not built');
      const chk = fresh.ok(['check']);
      assert.match(chk.stdout, /No changes detected/, explain(chk, 'to find no change'));
    });

    test('fresh database: makemigrations again says No changes detected', () => {
      assert.ok(built, 'the fresh database was not built');
      const again = fresh.ok(['makemigrations']);
      assert.match(again.stdout, /No changes detected/, explain(again, 'to find no change'));
      const files = fresh.versionFiles().filter((f) => f.endsWith('.ts'));
      assert.equal(files.length, 1, files.join(', '));
      assert.match(files[0], /^\d{8}_\d{6}_a1b2c3d4e5f6_initial_schema\.ts$/);
    });

    const onUpdate = dialect.onUpdate;
    if (onUpdate) {
      test('the update-date columns, and they alone, have ON UPDATE CURRENT_TIMESTAMP(6) in both databases', () => {
        assert.ok(built, 'the fresh database was not built');
        assert.deepEqual(typeorm.onUpdate, onUpdate, typeorm.text);
        assert.deepEqual(built.onUpdate, onUpdate, built.text);
      });
    }

    const rounded = dialect.roundsFraction;
    if (rounded) {
      test(`a fractional default on a column without a scale, which TypeORM writes as ${rounded}, is refused by both readers at the entity`, (t) => {
        const ratio = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-typeorm-ratio-'));
        t.after(() => fs.rmSync(ratio, { recursive: true, force: true }));
        fs.writeFileSync(
          path.join(ratio, 'ratio.ts'),
          `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity()\nexport class Ratio {\n  @PrimaryGeneratedColumn() id: number;\n\n  @Column({ type: 'double', default: 1.5 })\n  share: number;\n}\n`,
        );
        // On the database TypeORM built, which has no migrator history to check first: the models are read.
        const [typeormDb] = databases;
        const message = new RegExp(`default 1\\.5: TypeORM's \\w+ driver writes a number to the column's scale, and this column has none, so the default would be ${rounded}; give the column a scale, or the default as a string \\('1\\.5'\\)`);
        for (const p of [entityProject(ratio, typeormDb.url), dataSourceProject(ratio, typeormDb)]) {
          const r = p.run(['check']);
          assert.equal(r.status, 2, explain(r, 'to exit 2'));
          const lines = r.stderr.trim().split('\n');
          assert.equal(lines.length, 1, explain(r, 'one line'));
          assert.match(lines[0], message, explain(r, 'to say what TypeORM would write, and what to do'));
        }
        // Where: the static reader names the line of the column; the DataSource reader, the DataSource file and the property.
        assert.match(entityProject(ratio, typeormDb.url).run(['check']).stderr, /entities\/ratio\.ts:7\b/);
        assert.match(dataSourceProject(ratio, typeormDb).run(['check']).stderr, /data-source\.ts: Ratio\.share: default 1\.5/);
      });
    }

    test(`the schema migrator built has the same ${listed(Object.keys(dialect.builds))} as the one TypeORM built`, () => {
      assert.ok(built, 'the fresh database was not built');
      const expected = [...typeorm.tables.keys()].sort();
      const actual = [...built.tables.keys()].sort();
      assert.deepEqual(actual, expected, `tables differ\n${differences('tables', expected, actual)}\n--- TypeORM\n${typeorm.text}\n--- migrator\n${built.text}`);
      for (const [kind, items] of Object.entries(typeorm.objects)) {
        const got: Catalog['objects'][string] = built.objects[kind] ?? [];
        assert.deepEqual(got, items, `${kind} differ\n${differences(kind, items, got)}`);
      }
    });

    test('the schema migrator built equals the one TypeORM built, table by table', async (t) => {
      assert.ok(built, 'the fresh database was not built');
      for (const [name, expected] of [...typeorm.tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
        await t.test(name, async (tt) => {
          const actual = built!.tables.get(name);
          assert.ok(actual, `migrator built no table "${name}"`);
          for (const [facet, items] of Object.entries(expected)) {
            await tt.test(facet, () => {
              assert.deepEqual(actual[facet], items, `table ${name}: ${facet} differ\n${differences(facet, items, actual[facet])}`);
            });
          }
        });
      }
    });

    test('an index the models leave to the database (@Index({ synchronize: false })), made by hand: TypeORM synchronize keeps it, and migrator neither drops nor builds it', async () => {
      const [typeormDb] = databases;
      const { name, sql } = dialect.handMadeIndex;
      assert.ok(!typeorm.text.includes(name), `TypeORM built the index ${name}:\n${typeorm.text}`);
      await typeormDb.exec(sql);
      for (const p of [onTypeOrm, dataSourceOnTypeOrm]) {
        const r = p.ok(['check']);
        assert.match(r.stdout, /No changes detected/, explain(r, `to leave ${name} alone`));
      }
      const again = onTypeOrm.ok(['makemigrations']);
      assert.match(again.stdout, /No changes detected/, explain(again, `to leave ${name} alone`));
      // What migrator follows: TypeORM's synchronize, run again, keeps the index too.
      synchronizeAgain();
      const kept = await typeormDb.catalog();
      assert.ok(kept.text.includes(name), `TypeORM dropped the index ${name}:\n${kept.text}`);
    });
  });
}
