/**
 * Prisma schemas as the models of a project, end to end through the built CLI, on SQLite,
 * PostgreSQL and MySQL/MariaDB (one body, run for each): the shop fixture
 * (test/fixtures/prisma/shop, 39 models in several files, adapted to each provider as its
 * base.prisma says) → makemigrations → migrate → check → edit the schema → makemigrations →
 * migrate → downgrade -1 → downgrade base, with the database read directly after each step: its
 * catalog (columns, types, NOT NULL, defaults, keys, indexes, foreign keys, enums), rows written
 * and read back through the join tables, the rows kept by each upgrade and downgrade.
 *
 * What migrator builds is compared with what Prisma Migrate builds. On SQLite and PostgreSQL,
 * test/fixtures/prisma/expected holds the SQL Prisma's own schema engine writes for the same
 * schema (before and after the edits); it is run into a scratch database (SQLite) or schema
 * (PostgreSQL), and the two catalogs must be the same, as must what the edits change in each.
 *
 * On MySQL there is no such SQL: Prisma's schema engine the tests run (@prisma/schema-engine-wasm,
 * test/support/prisma-engine.ts) has no MySQL connector (test/e2e/mysql-prisma.test.ts says how
 * it fails, and compares hand-derived SQL for its own MySQL fixtures instead). So the section
 * "the database is the one Prisma Migrate builds" is listed as skipped on MySQL, with that
 * reason. Compared on MySQL instead, with expectations stated from Prisma's rules for its mysql
 * provider (psl's MySQL connector, the schema engine's MySQL renderer) as MariaDB's
 * information_schema shows them: the names and types the first revision builds (those the test
 * "names and types follow Prisma's conventions" pins, as on the other providers) and everything
 * the second revision changes; the rest of the body runs as on the other providers. Not compared
 * on MySQL: collations (Prisma creates each table with utf8mb4_unicode_ci; migrator's tables take
 * the database's default).
 *
 * Also: a .prisma file next to a TypeScript entity, a models entry that is a folder, the error
 * for a datasource provider that does not match the database.
 *
 * One PostgreSQL database (test/support/pg.ts) and one MySQL database (test/support/mysql.ts) for
 * the file; an unreachable server fails that provider's tests. Needs `npx tsc -p tsconfig.json`
 * first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { readMysqlCatalog } from '../support/mysql-catalog.ts';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, downRevisionOf, explain, generatedFile, projects, revisionIdOf, ROOT, type Row, type TempProject } from './helpers.ts';

type Provider = 'sqlite' | 'postgresql' | 'mysql';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'prisma', 'shop');
const EXPECTED = path.join(ROOT, 'test', 'fixtures', 'prisma', 'expected');

const newProject = projects();

/** A database of the file's, made when a test first needs it, dropped at the end. */
function shared<T extends { drop(): Promise<void> }>(create: () => Promise<T>): () => Promise<T> {
  let db: Promise<T> | undefined;
  after(async () => {
    await (await db?.catch(() => undefined))?.drop();
  });
  return () => (db ??= create());
}

const pgDatabase = shared(() => createTestDatabase('migrator_prisma'));
const mysqlDatabase = shared(() => createMysqlTestDatabase('migrator_prisma'));

// ---------------------------------------------------------------------------------------------
// The schema: the fixture as written for PostgreSQL; for SQLite and MySQL without what they cannot do.

/** The native types (`@db.X`) of Prisma's mysql provider, as psl's MySqlType lists them. */
const MYSQL_NATIVE_TYPES = new Set([
  ...['Int', 'UnsignedInt', 'SmallInt', 'UnsignedSmallInt', 'TinyInt', 'UnsignedTinyInt', 'MediumInt', 'UnsignedMediumInt', 'BigInt', 'Decimal', 'UnsignedBigInt'],
  ...['Float', 'Double', 'Bit', 'Char', 'VarChar', 'Binary', 'VarBinary', 'TinyBlob', 'Blob', 'MediumBlob', 'LongBlob'],
  ...['TinyText', 'Text', 'MediumText', 'LongText', 'Date', 'Time', 'DateTime', 'Timestamp', 'Year', 'Json'],
]);

/** The fixture's text for `provider` (the rules are in shop/base.prisma). */
function forProvider(text: string, provider: Provider): string {
  text = text.replace(/provider\s*=\s*"postgresql"/, `provider = "${provider}"`);
  if (provider === 'postgresql') return text;
  return text
    .split('\n')
    .flatMap((line) => {
      if (/^\s*\/\//.test(line)) return [line];
      if (/\/\/ postgresql only\s*$/.test(line)) return [];
      if (provider === 'mysql') return [line.replace(/\s*@db\.(\w+)(\([^)]*\))?/g, (native, name: string) => (MYSQL_NATIVE_TYPES.has(name) ? native : ''))];
      const swap = /^(\s*).*\/\/ sqlite: (.*)$/.exec(line);
      return [(swap ? swap[1] + swap[2] : line).replace(/\s*@db\.\w+(\([^)]*\))?/g, '')];
    })
    .join('\n');
}

/**
 * The second revision's edits: User.nickname optional → required with a default, a new
 * User.phone, a new @@index on Address, a new OrderStatus value, and a new model Promotion with
 * an implicit many-to-many to Product. (test/fixtures/prisma/expected/shop-v2.* were generated
 * from the fixture with exactly these edits.)
 */
const V2_EDITS: [file: string, from: string, to: string][] = [
  ['users.prisma', '  nickname    String?\n', '  nickname    String        @default("anon")\n  phone       String?       @db.VarChar(32)\n'],
  ['users.prisma', '  @@index([userId, isDefault], map: "addresses_user_default_idx")\n', '  @@index([userId, isDefault], map: "addresses_user_default_idx")\n  @@index([city, country])\n'],
  ['orders.prisma', '  CANCELLED\n}', '  CANCELLED\n  REFUNDED\n}'],
  ['catalog.prisma', '  wishlists    Wishlist[]\n', '  wishlists    Wishlist[]\n  promotions   Promotion[]\n'],
];

const V2_FILES: Record<string, string> = {
  'promotions.prisma': `/// Added by the second revision: a model with an implicit many-to-many to Product.
model Promotion {
  id       Int       @id @default(autoincrement())
  code     String    @unique @db.VarChar(24)
  title    String
  startsAt DateTime  @map("starts_at")
  endsAt   DateTime? @map("ends_at")
  active   Boolean   @default(true)
  products Product[]

  @@index([startsAt, endsAt])
  @@map("promotions")
}
`,
};

/** Writes the shop schema, version 1 or 2, into `dir` of the project (replacing what is there). */
function writeShop(p: TempProject, dir: string, provider: Provider, version: 1 | 2): void {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(FIXTURE).filter((f) => f.endsWith('.prisma'))) files[name] = fs.readFileSync(path.join(FIXTURE, name), 'utf8');
  if (version === 2) {
    for (const [name, from, to] of V2_EDITS) {
      assert.ok(files[name].includes(from), `${name} contains ${JSON.stringify(from)}`);
      files[name] = files[name].replace(from, to);
    }
    Object.assign(files, V2_FILES);
  }
  p.remove(dir);
  for (const [name, text] of Object.entries(files)) p.write(path.join(dir, name), forProvider(text, provider));
}

// ---------------------------------------------------------------------------------------------
// Catalogs: the same description of a database from PRAGMAs (SQLite), pg_catalog (PostgreSQL) or
// information_schema (MySQL).

/** Each aspect maps a name (`table.column`, an index name, …) to a one-line description. */
interface Catalog {
  tables: string[];
  columns: Record<string, string>;
  keys: Record<string, string>;
  indexes: Record<string, string>;
  foreignKeys: Record<string, string>;
  enums: Record<string, string>;
}

const ASPECTS = ['tables', 'columns', 'keys', 'indexes', 'foreignKeys', 'enums'] as const;
type Aspect = (typeof ASPECTS)[number];

/** What changed in one aspect, per key: [before, after] (null where absent). */
type Changes = Record<string, [string | null, string | null]>;

const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function sqliteCatalog(file: string): Catalog {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const out: Catalog = { tables: [], columns: {}, keys: {}, indexes: {}, foreignKeys: {}, enums: {} };
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ('migrator_version', 'migrator_history') ORDER BY name")
      .all() as { name: string; sql: string }[];
    for (const { name: t, sql } of tables) {
      out.tables.push(t);
      const cols = db.prepare('SELECT * FROM pragma_table_info(?) ORDER BY cid').all(t) as Row[];
      for (const c of cols) {
        out.columns[`${t}.${c.name}`] = `${String(c.type).toUpperCase()}${c.notnull ? ' NOT NULL' : ''}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ''}`;
      }
      const pk = cols.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
      if (pk.length) out.keys[t] = `PRIMARY KEY (${pk.map((c) => c.name).join(', ')})${/\bAUTOINCREMENT\b/i.test(sql) ? ' AUTOINCREMENT' : ''}`;
      for (const i of db.prepare('SELECT * FROM pragma_index_list(?)').all(t) as Row[]) {
        const ic = (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(i.name) as Row[]).map((r) => r.name);
        out.indexes[String(i.name)] = `ON ${t}${i.unique ? ' UNIQUE' : ''} (${ic.join(', ')}) origin ${i.origin}${i.partial ? ' partial' : ''}`;
      }
      // Constraint names are only in the CREATE TABLE text.
      const fkNames = new Map<string, string>();
      for (const m of sql.matchAll(/CONSTRAINT\s+"((?:[^"]|"")+)"\s+FOREIGN\s+KEY\s*\(([^)]*)\)/gi)) {
        fkNames.set(m[2].replace(/["\s]/g, ''), m[1].replace(/""/g, '"'));
      }
      const fks = new Map<number, Row[]>();
      for (const f of db.prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(t) as Row[]) fks.set(Number(f.id), [...(fks.get(Number(f.id)) ?? []), f]);
      for (const parts of fks.values()) {
        const from = parts.map((f) => f.from).join(',');
        const key = fkNames.get(from) ?? `${t}(${from}) [unnamed]`;
        out.foreignKeys[key] = `${t} (${parts.map((f) => f.from).join(', ')}) -> ${parts[0].table} (${parts.map((f) => f.to).join(', ')}) ON DELETE ${parts[0].on_delete} ON UPDATE ${parts[0].on_update}`;
      }
    }
    return { ...out, columns: sorted(out.columns), keys: sorted(out.keys), indexes: sorted(out.indexes), foreignKeys: sorted(out.foreignKeys) };
  } finally {
    db.close();
  }
}

const ACTION: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** The catalog of one schema of the test database (format_type and pg_get_expr as seen from it). */
async function pgCatalog(db: TestDatabase, schema: string): Promise<Catalog> {
  await db.query(`SET search_path TO "${schema}"`);
  try {
    const out: Catalog = { tables: [], columns: {}, keys: {}, indexes: {}, foreignKeys: {}, enums: {} };
    const tables = await db.query<{ t: string }>(
      "SELECT c.relname::text AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT IN ('migrator_version', 'migrator_history') ORDER BY 1",
    );
    out.tables = tables.map((r) => r.t);
    const columns = await db.query<{ t: string; c: string; type: string; nn: boolean; def: string | null; ident: string }>(
      `SELECT c.relname::text AS t, a.attname::text AS c, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS nn,
              pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS ident
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname NOT IN ('migrator_version', 'migrator_history')`,
    );
    for (const c of columns) {
      out.columns[`${c.t}.${c.c}`] = `${c.type}${c.nn ? ' NOT NULL' : ''}${c.def !== null ? ` DEFAULT ${c.def}` : ''}${c.ident ? ` IDENTITY ${c.ident}` : ''}`;
    }
    const constraints = await db.query<{ name: string; type: string; t: string; cols: string[]; ref: string | null; refcols: string[]; del: string; upd: string }>(
      `SELECT con.conname::text AS name, con.contype::text AS type, c.relname::text AS t,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
              f.relname::text AS ref,
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS refcols,
              con.confdeltype::text AS del, con.confupdtype::text AS upd
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class f ON f.oid = con.confrelid
        WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f', 'c') AND c.relname NOT IN ('migrator_version', 'migrator_history')`,
    );
    for (const k of constraints) {
      if (k.type === 'f') out.foreignKeys[k.name] = `${k.t} (${k.cols.join(', ')}) -> ${k.ref} (${k.refcols.join(', ')}) ON DELETE ${ACTION[k.del]} ON UPDATE ${ACTION[k.upd]}`;
      else out.keys[k.name] = `${k.t} ${{ p: 'PRIMARY KEY', u: 'UNIQUE', c: 'CHECK' }[k.type]} (${k.cols.join(', ')})`;
    }
    const indexes = await db.query<{ name: string; t: string; u: boolean; p: boolean; am: string; cols: string[]; pred: string | null }>(
      `SELECT i.relname::text AS name, t.relname::text AS t, ix.indisunique AS u, ix.indisprimary AS p, am.amname::text AS am,
              ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) AS cols,
              pg_get_expr(ix.indpred, ix.indrelid) AS pred
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
        WHERE n.nspname = current_schema() AND t.relname NOT IN ('migrator_version', 'migrator_history')`,
    );
    for (const i of indexes) {
      out.indexes[i.name] = `ON ${i.t}${i.p ? ' PRIMARY' : i.u ? ' UNIQUE' : ''} USING ${i.am} (${i.cols.join(', ')})${i.pred ? ` WHERE ${i.pred}` : ''}`;
    }
    const enums = await db.query<{ name: string; labels: string[] }>(
      `SELECT t.typname::text AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() AND t.typtype = 'e'`,
    );
    for (const e of enums) out.enums[e.name] = e.labels.join(', ');
    return { ...out, columns: sorted(out.columns), keys: sorted(out.keys), indexes: sorted(out.indexes), foreignKeys: sorted(out.foreignKeys), enums: sorted(out.enums) };
  } finally {
    await db.query('SET search_path TO public');
  }
}

/**
 * The catalog of the MySQL test database (test/support/mysql-catalog.ts). A primary key is keyed
 * by its table, as MySQL names them all PRIMARY; a check (MariaDB's json_valid() on a JSON
 * column) by `table.name`. An enum is the type of its column: there are no enum types.
 */
async function mysqlCatalog(db: TestMysqlDatabase): Promise<Catalog> {
  const out: Catalog = { tables: [], columns: {}, keys: {}, indexes: {}, foreignKeys: {}, enums: {} };
  for (const [t, shape] of (await readMysqlCatalog(db)).tables) {
    out.tables.push(t);
    for (const c of shape.columns) {
      out.columns[`${t}.${c.name}`] = `${c.type}${c.nullable === 'NO' ? ' NOT NULL' : ''}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${c.extra ? ` ${c.extra}` : ''}`;
    }
    for (const i of shape.indexes) {
      if (i.name === 'PRIMARY') {
        out.keys[t] = `PRIMARY KEY (${i.columns.join(', ')})`;
        continue;
      }
      assert.equal(out.indexes[i.name], undefined, `index ${i.name} on ${t}: the name is taken`);
      out.indexes[i.name] = `ON ${t}${i.unique ? ' UNIQUE' : ''} USING ${i.kind} (${i.columns.join(', ')})`;
    }
    for (const f of shape.foreignKeys) {
      out.foreignKeys[f.name] = `${t} (${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;
    }
    for (const k of shape.checks) out.keys[`${t}.${k.name}`] = `${t} CHECK (${k.clause})`;
  }
  return { ...out, tables: out.tables.sort(), columns: sorted(out.columns), keys: sorted(out.keys), indexes: sorted(out.indexes), foreignKeys: sorted(out.foreignKeys) };
}

/** What changed from `a` to `b`, per key: [before, after] (null where absent). */
function changes(a: Record<string, string> | string[], b: Record<string, string> | string[]): Changes {
  const asRecord = (x: Record<string, string> | string[]): Record<string, string> => (Array.isArray(x) ? Object.fromEntries(x.map((n) => [n, n])) : x);
  const [ra, rb] = [asRecord(a), asRecord(b)];
  const out: Changes = {};
  for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) if (ra[k] !== rb[k]) out[k] = [ra[k] ?? null, rb[k] ?? null];
  return out;
}

/** The table an entry of a catalog aspect belongs to. */
function tableOf(aspect: Aspect, key: string, value: string): string {
  switch (aspect) {
    case 'columns':
      return key.slice(0, key.indexOf('.'));
    case 'keys':
      return value.startsWith('PRIMARY KEY') ? key : value.split(' ')[0];
    case 'indexes':
      return value.split(' ')[1];
    case 'foreignKeys':
      return value.split(' ')[0];
    default:
      return key;
  }
}

/**
 * Where `mine` differs from Prisma's `theirs` in `aspect`. A table only one side has is reported
 * once, under `tables`, not again for each of its columns, keys and indexes.
 */
function differences(theirs: Catalog, mine: Catalog, aspect: Aspect): Changes {
  const found = changes(theirs[aspect], mine[aspect]);
  if (aspect === 'tables' || aspect === 'enums') return found;
  const oneSided = new Set(Object.keys(changes(theirs.tables, mine.tables)));
  return Object.fromEntries(Object.entries(found).filter(([key, [a, b]]) => !oneSided.has(tableOf(aspect, key, (a ?? b)!))));
}

// ---------------------------------------------------------------------------------------------
// One database per provider: migrator's, and Prisma's reference built from the expected SQL.

/**
 * Prisma Migrate's own database for the shop: built from the SQL Prisma's schema engine writes for
 * it (test/fixtures/prisma/expected), version 1 or 2; or, where the tests cannot have that SQL,
 * why not, and what the second revision changes in it, stated from Prisma's rules for the provider.
 */
type PrismaDatabase = { catalog(version: 1 | 2): Promise<Catalog> } | { notBuilt: string; v2Changes: Record<Aspect, Changes> };

interface Target {
  provider: Provider;
  /** migrator's database (made when first needed): its URL. */
  url(): Promise<string>;
  /** Runs SQL written with "double-quoted" identifiers, spelled as the database takes it. */
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<Row[]>;
  /** migrator's database. */
  catalog(): Promise<Catalog>;
  /** Whether the database holds an enum's values (PostgreSQL's enum types, MySQL's ENUM columns); SQLite's are TEXT. */
  enums: boolean;
  prisma: PrismaDatabase;
}

function sqliteTarget(p: TempProject): Target {
  return {
    provider: 'sqlite',
    url: async () => 'sqlite:./app.db',
    exec: async (sql) => p.exec(sql),
    query: async (sql) => p.query(sql),
    catalog: async () => sqliteCatalog(p.path('app.db')),
    enums: false,
    prisma: {
      catalog: async (version) => {
        const file = p.path(`prisma-v${version}.db`);
        if (!fs.existsSync(file)) {
          const db = new Database(file);
          try {
            db.exec(fs.readFileSync(path.join(EXPECTED, `shop-v${version}.sqlite.sql`), 'utf8'));
          } finally {
            db.close();
          }
        }
        return sqliteCatalog(file);
      },
    },
  };
}

function pgTarget(): Target {
  const built = new Set<number>();
  return {
    provider: 'postgresql',
    url: async () => (await pgDatabase()).url,
    exec: async (sql) => {
      await (await pgDatabase()).query(sql);
    },
    query: async (sql) => (await pgDatabase()).query(sql),
    catalog: async () => pgCatalog(await pgDatabase(), 'public'),
    enums: true,
    prisma: {
      catalog: async (version) => {
        const db = await pgDatabase();
        const schema = `prisma_v${version}`;
        if (!built.has(version)) {
          await db.query(`CREATE SCHEMA "${schema}"`);
          await db.query(`SET search_path TO "${schema}"`);
          try {
            await db.query(fs.readFileSync(path.join(EXPECTED, `shop-v${version}.postgresql.sql`), 'utf8'));
          } finally {
            await db.query('SET search_path TO public');
          }
          built.add(version);
        }
        return pgCatalog(db, schema);
      },
    },
  };
}

/** What the second revision changes in Prisma's database, aspect by aspect. */
async function prismaV2Changes(reference: PrismaDatabase): Promise<Record<Aspect, Changes>> {
  if ('notBuilt' in reference) return reference.v2Changes;
  const [v1, v2] = [await reference.catalog(1), await reference.catalog(2)];
  return Object.fromEntries(ASPECTS.map((aspect) => [aspect, changes(v1[aspect], v2[aspect])])) as Record<Aspect, Changes>;
}

const ORDER_STATUS_V1 = "enum('PENDING','PAID','SHIPPED','DELIVERED','CANCELLED')";
const ORDER_STATUS_V2 = "enum('PENDING','PAID','SHIPPED','DELIVERED','CANCELLED','REFUNDED')";

/**
 * What the second revision (V2_EDITS, V2_FILES) changes in the database Prisma Migrate builds on
 * MySQL, from Prisma's rules for its mysql provider (psl's MySQL connector, the schema engine's
 * MySQL renderer), as MariaDB's information_schema shows it: Int @id @default(autoincrement()) is
 * INTEGER AUTO_INCREMENT, String VARCHAR(191), DateTime DATETIME(3), Boolean BOOLEAN
 * (tinyint(1)); @unique is a unique index `<table>_<columns>_key`, @@index an index
 * `<table>_<columns>_idx`; an enum is the ENUM type of its column, a new value a MODIFY of it; the
 * implicit many-to-many `_ProductToPromotion` (A: Product, B: Promotion, as the models sort) has
 * INTEGER columns A and B, no primary key, a unique index `_AB_unique`, an index `_B_index`
 * and foreign keys `_A_fkey`, `_B_fkey` ON DELETE CASCADE ON UPDATE CASCADE.
 */
const MYSQL_V2_CHANGES: Record<Aspect, Changes> = {
  tables: { _ProductToPromotion: [null, '_ProductToPromotion'], promotions: [null, 'promotions'] },
  columns: {
    '_ProductToPromotion.A': [null, 'int(11) NOT NULL'],
    '_ProductToPromotion.B': [null, 'int(11) NOT NULL'],
    'orders.status': [`${ORDER_STATUS_V1} NOT NULL DEFAULT 'PENDING'`, `${ORDER_STATUS_V2} NOT NULL DEFAULT 'PENDING'`],
    'promotions.active': [null, 'tinyint(1) NOT NULL DEFAULT 1'],
    'promotions.code': [null, 'varchar(24) NOT NULL'],
    'promotions.ends_at': [null, 'datetime(3) DEFAULT NULL'],
    'promotions.id': [null, 'int(11) NOT NULL auto_increment'],
    'promotions.starts_at': [null, 'datetime(3) NOT NULL'],
    'promotions.title': [null, 'varchar(191) NOT NULL'],
    'users.nickname': ['varchar(191) DEFAULT NULL', "varchar(191) NOT NULL DEFAULT 'anon'"],
    'users.phone': [null, 'varchar(32) DEFAULT NULL'],
  },
  keys: { promotions: [null, 'PRIMARY KEY (id)'] },
  indexes: {
    _ProductToPromotion_AB_unique: [null, 'ON _ProductToPromotion UNIQUE USING BTREE (A, B)'],
    _ProductToPromotion_B_index: [null, 'ON _ProductToPromotion USING BTREE (B)'],
    addresses_city_country_idx: [null, 'ON addresses USING BTREE (city, country)'],
    promotions_code_key: [null, 'ON promotions UNIQUE USING BTREE (code)'],
    promotions_starts_at_ends_at_idx: [null, 'ON promotions USING BTREE (starts_at, ends_at)'],
  },
  foreignKeys: {
    _ProductToPromotion_A_fkey: [null, '_ProductToPromotion (A) -> products (id) ON DELETE CASCADE ON UPDATE CASCADE'],
    _ProductToPromotion_B_fkey: [null, '_ProductToPromotion (B) -> promotions (id) ON DELETE CASCADE ON UPDATE CASCADE'],
  },
  enums: {},
};

/** `sql` with its "double-quoted" identifiers in backticks, as MySQL reads them (ANSI_QUOTES off); 'literals' left alone. */
const mysqlSpelling = (sql: string): string => sql.replace(/'(?:[^']|'')*'|"([^"]*)"/g, (text, name?: string) => (name === undefined ? text : `\`${name}\``));

function mysqlTarget(): Target {
  return {
    provider: 'mysql',
    url: async () => (await mysqlDatabase()).url,
    exec: async (sql) => {
      await (await mysqlDatabase()).query(mysqlSpelling(sql));
    },
    query: async (sql) => (await mysqlDatabase()).query(mysqlSpelling(sql)),
    catalog: async () => mysqlCatalog(await mysqlDatabase()),
    enums: true,
    prisma: {
      notBuilt:
        'not compared on MySQL: Prisma’s schema engine the tests run (@prisma/schema-engine-wasm, test/support/prisma-engine.ts) has no MySQL connector, ' +
        'so there is no Prisma-written SQL for the shop; test/e2e/mysql-prisma.test.ts compares hand-derived SQL for its own MySQL fixtures instead',
      v2Changes: MYSQL_V2_CHANGES,
    },
  };
}

// ---------------------------------------------------------------------------------------------

const ROWS_V1 = `
INSERT INTO "users" ("id", "email", "display_name", "nickname", "updated_at") VALUES (1, 'ann@example.com', 'Ann', NULL, '2024-01-01 00:00:00'), (2, 'bob@example.com', 'Bob', 'bobby', '2024-01-01 00:00:00');
INSERT INTO "users" ("id", "email", "display_name", "referrer_id", "updated_at") VALUES (3, 'cy@example.com', 'Cy', 1, '2024-01-02 00:00:00');
INSERT INTO "categories" ("id", "name", "slug") VALUES (1, 'Office', 'office');
INSERT INTO "categories" ("id", "name", "slug", "parent_id") VALUES (2, 'Pens', 'pens', 1);
INSERT INTO "Brand" ("id", "name") VALUES (1, 'Acme');
INSERT INTO "products" ("id", "sku", "name", "price", "brand_id", "updated_at") VALUES (1, 'P-1', 'Pen', 2.50, 1, '2024-01-01 00:00:00'), (2, 'P-2', 'Ink', 9.99, NULL, '2024-01-01 00:00:00');
INSERT INTO "_CategoryToProduct" ("A", "B") VALUES (2, 1), (2, 2);
INSERT INTO "Tag" ("id", "label") VALUES (1, 'sale');
INSERT INTO "_ProductTags" ("A", "B") VALUES (1, 1);
INSERT INTO "_Follows" ("A", "B") VALUES (1, 2), (2, 1);
INSERT INTO "orders" ("id", "number", "user_id", "subtotal", "total") VALUES (1, 'A-1', 1, 5.00, 5.00);
`;

const USERS = 'SELECT "id", "email", "nickname" FROM "users" ORDER BY "id"';
const USERS_V1 = [
  { id: 1, email: 'ann@example.com', nickname: null },
  { id: 2, email: 'bob@example.com', nickname: 'bobby' },
  { id: 3, email: 'cy@example.com', nickname: null },
];
const LINKS = 'SELECT \'cp\' AS "t", "A", "B" FROM "_CategoryToProduct" UNION ALL SELECT \'pt\', "A", "B" FROM "_ProductTags" UNION ALL SELECT \'f\', "A", "B" FROM "_Follows" ORDER BY 1, 2, 3';
const LINKS_V1 = [
  { t: 'cp', A: 2, B: 1 },
  { t: 'cp', A: 2, B: 2 },
  { t: 'f', A: 1, B: 2 },
  { t: 'f', A: 2, B: 1 },
  { t: 'pt', A: 1, B: 1 },
];

for (const provider of ['sqlite', 'postgresql', 'mysql'] as const) {
  describe(`the Prisma shop on ${provider}: makemigrations → migrate → check → edit → upgrade → downgrade`, () => {
    const p = newProject(`migrator-prisma-${provider}-`);
    const target = { sqlite: () => sqliteTarget(p), postgresql: pgTarget, mysql: mysqlTarget }[provider]();
    let first = '';
    let second = '';
    let firstFile = '';
    let catalogV1: Catalog | undefined;
    let migrated = false;

    before(async () => {
      p.writeConfig({ database: await target.url(), models: ['prisma/shop/*.prisma'] });
      writeShop(p, 'prisma/shop', provider, 1);
    });

    it('makemigrations writes the first revision: every model, the join tables', () => {
      const r = p.ok(['makemigrations', '-m', 'prisma shop']);
      firstFile = generatedFile(r);
      first = revisionIdOf(p.read(firstFile));
      assert.equal(downRevisionOf(p.read(firstFile)), 'null');
      for (const t of ['users', 'products', 'orders', 'inventory', '_CategoryToProduct', '_ProductTags', '_Follows']) {
        assert.match(r.stdout, new RegExp(`create table ${t}\\b`), r.stdout);
      }
    });

    it('migrate creates them; check exits 0; makemigrations again says "No changes detected"', async () => {
      assert.ok(first, 'no first revision');
      const up = p.ok(['migrate']);
      assert.match(up.stdout, new RegExp(`Applied\\s+${first}`));
      migrated = true;
      catalogV1 = await target.catalog();
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
      assert.match(chk.stdout, /No changes detected/);
      const again = p.ok(['makemigrations']);
      assert.match(again.stdout, /No changes detected/);
      assert.equal(p.versionFiles().length, 1);
    });

    describe('the database is the one Prisma Migrate builds from the same schema', () => {
      const reference = target.prisma;
      if ('notBuilt' in reference) {
        for (const aspect of ASPECTS) it(aspect, { skip: reference.notBuilt });
        return;
      }
      let prisma: Catalog;
      before(async () => {
        assert.ok(catalogV1, 'not migrated');
        prisma = await reference.catalog(1);
      });
      for (const aspect of ASPECTS) {
        it(aspect, () => {
          assert.deepEqual(differences(prisma, catalogV1!, aspect), {}, `${aspect}: [Prisma, migrator] where they differ`);
        });
      }
    });

    it('names and types follow Prisma’s conventions (read from the database)', async () => {
      const c = await target.catalog();
      if (provider === 'postgresql') {
        assert.equal(c.columns['users.id'], "integer NOT NULL DEFAULT nextval('users_id_seq'::regclass)", 'autoincrement() is a serial');
        assert.equal(c.columns['PriceHistory.id'], `bigint NOT NULL DEFAULT nextval('"PriceHistory_id_seq"'::regclass)`, 'a BigInt one a bigserial');
        assert.equal(c.columns['users.email'], 'character varying(255) NOT NULL');
        assert.equal(c.columns['users.role'], "user_role NOT NULL DEFAULT 'CUSTOMER'::user_role");
        assert.equal(c.columns['users.created_at'], 'timestamp(6) with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP');
        assert.equal(c.columns['users.updated_at'], 'timestamp(3) without time zone NOT NULL');
        assert.equal(c.columns['products.price'], 'numeric(10,2) NOT NULL');
        assert.equal(c.columns['products.compare_at_price'], 'numeric(65,30)');
        assert.equal(c.columns['products.keywords'], 'text[]');
        assert.equal(c.columns['products.status'], "product_status NOT NULL DEFAULT 'draft'::product_status");
        assert.equal(c.columns['ApiKey.secret'], 'uuid NOT NULL DEFAULT gen_random_uuid()');
        assert.equal(c.columns['Warehouse.opens_at'], 'time(0) without time zone');
        assert.equal(c.columns['_CategoryToProduct.A'], 'integer NOT NULL');
        assert.equal(c.keys.users_pkey, 'users PRIMARY KEY (id)');
        assert.equal(c.keys.inventory_pkey, 'inventory PRIMARY KEY (warehouse_id, variant_id)');
        assert.equal(c.keys._CategoryToProduct_AB_pkey, '_CategoryToProduct PRIMARY KEY (A, B)');
        assert.equal(c.indexes.users_email_key, 'ON users UNIQUE USING btree (email)');
        assert.equal(c.indexes._CategoryToProduct_B_index, 'ON _CategoryToProduct USING btree (B)');
        assert.equal(c.enums.user_role, 'CUSTOMER, staff_member, ADMIN');
        assert.equal(c.enums.OrderStatus, 'PENDING, PAID, SHIPPED, DELIVERED, CANCELLED');
      } else if (provider === 'mysql') {
        // psl's MySQL connector and the schema engine's MySQL renderer, as MariaDB reports the columns.
        assert.equal(c.columns['users.id'], 'int(11) NOT NULL auto_increment', 'Int with autoincrement() is INTEGER AUTO_INCREMENT');
        assert.equal(c.columns['PriceHistory.id'], 'bigint(20) NOT NULL auto_increment', 'a BigInt one BIGINT AUTO_INCREMENT');
        assert.equal(c.columns['users.email'], 'varchar(255) NOT NULL');
        assert.equal(c.columns['users.nickname'], 'varchar(191) DEFAULT NULL', 'String is VARCHAR(191)');
        assert.equal(c.columns['users.role'], "enum('CUSTOMER','staff_member','ADMIN') NOT NULL DEFAULT 'CUSTOMER'", 'an enum is an ENUM column of its mapped values');
        assert.equal(c.columns['users.created_at'], 'datetime(3) NOT NULL DEFAULT current_timestamp(3)', 'DateTime is DATETIME(3) (@db.Timestamptz is PostgreSQL’s), now() CURRENT_TIMESTAMP(3)');
        assert.equal(c.columns['users.updated_at'], 'datetime(3) NOT NULL', '@updatedAt has no default');
        assert.equal(c.columns['categories.visible'], 'tinyint(1) NOT NULL DEFAULT 1', 'Boolean is BOOLEAN');
        assert.equal(c.columns['categories.position'], 'smallint(6) NOT NULL DEFAULT 0');
        assert.equal(c.columns['products.price'], 'decimal(10,2) NOT NULL');
        assert.equal(c.columns['products.compare_at_price'], 'decimal(65,30) DEFAULT NULL', 'Decimal is DECIMAL(65,30)');
        assert.equal(c.columns['products.rating'], 'double NOT NULL DEFAULT 0', 'Float is DOUBLE');
        assert.equal(c.columns['products.keywords'], undefined, 'no scalar lists on MySQL');
        assert.equal(c.columns['products.status'], "enum('draft','active','archived') NOT NULL DEFAULT 'draft'");
        assert.equal(c.columns['products.attributes'], 'longtext DEFAULT NULL', 'Json is JSON, which MariaDB keeps as longtext with a check');
        assert.equal(c.keys['products.attributes'], 'products CHECK (json_valid(`attributes`))');
        assert.equal(c.columns['audit_log.data'], 'longtext NOT NULL', 'Prisma writes no default for a Json field on MySQL');
        assert.equal(c.columns['Invoice.pdf'], 'longblob DEFAULT NULL', 'Bytes is LONGBLOB');
        assert.equal(c.columns['Invoice.issuedOn'], 'date NOT NULL DEFAULT current_timestamp(3)', 'now() on a DATE is CURRENT_TIMESTAMP(3)');
        assert.equal(c.columns['Cart.id'], 'varchar(191) NOT NULL', 'uuid() is Prisma Client’s, no default; @db.Uuid is PostgreSQL’s');
        assert.equal(c.columns['Session.expiresAt'], 'timestamp NOT NULL');
        assert.equal(c.columns['Shipment.shipped_at'], 'timestamp DEFAULT NULL');
        assert.equal(c.columns['ApiKey.secret'], undefined, 'gen_random_uuid() on a @db.Uuid is PostgreSQL’s');
        assert.equal(c.columns['Warehouse.opens_at'], 'time DEFAULT NULL');
        assert.equal(c.columns['_CategoryToProduct.A'], 'int(11) NOT NULL');
        assert.equal(c.keys.users, 'PRIMARY KEY (id)');
        assert.equal(c.keys.inventory, 'PRIMARY KEY (warehouse_id, variant_id)');
        assert.equal(c.keys._CategoryToProduct, undefined, 'no primary key on a MySQL join table');
        assert.equal(c.indexes._CategoryToProduct_AB_unique, 'ON _CategoryToProduct UNIQUE USING BTREE (A, B)');
        assert.equal(c.indexes.users_email_key, 'ON users UNIQUE USING BTREE (email)');
        assert.equal(c.indexes._CategoryToProduct_B_index, 'ON _CategoryToProduct USING BTREE (B)');
        assert.equal(c.indexes.reviews_userId_fkey, 'ON reviews USING BTREE (userId)', 'the index MySQL adds for a foreign key no index serves');
        assert.deepEqual(c.enums, {});
      } else {
        assert.equal(c.columns['users.email'], 'TEXT NOT NULL');
        assert.equal(c.columns['users.role'], "TEXT NOT NULL DEFAULT 'CUSTOMER'");
        assert.equal(c.columns['users.created_at'], 'DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP');
        assert.equal(c.columns['products.price'], 'DECIMAL NOT NULL');
        assert.equal(c.columns['products.status'], "TEXT NOT NULL DEFAULT 'draft'");
        assert.equal(c.keys.users, 'PRIMARY KEY (id) AUTOINCREMENT');
        assert.equal(c.keys.inventory, 'PRIMARY KEY (warehouse_id, variant_id)');
        assert.equal(c.keys._CategoryToProduct, undefined, 'no primary key on a SQLite join table');
        assert.equal(c.indexes._CategoryToProduct_AB_unique, 'ON _CategoryToProduct UNIQUE (A, B) origin c');
        assert.equal(c.indexes.users_email_key, 'ON users UNIQUE (email) origin c');
        assert.equal(c.indexes._CategoryToProduct_B_index, 'ON _CategoryToProduct (B) origin c');
        assert.deepEqual(c.enums, {});
      }
      assert.equal(
        c.indexes.addresses_user_default_idx,
        { postgresql: 'ON addresses USING btree (user_id, is_default)', mysql: 'ON addresses USING BTREE (user_id, is_default)', sqlite: 'ON addresses (user_id, is_default) origin c' }[provider],
      );
      assert.equal(c.foreignKeys.orders_user_id_fkey, 'orders (user_id) -> users (id) ON DELETE RESTRICT ON UPDATE CASCADE');
      assert.equal(c.foreignKeys.reviews_userId_fkey, 'reviews (userId) -> users (id) ON DELETE SET NULL ON UPDATE CASCADE');
      assert.equal(c.foreignKeys.categories_parent_id_fkey, 'categories (parent_id) -> categories (id) ON DELETE CASCADE ON UPDATE CASCADE');
      assert.equal(c.foreignKeys.users_referrer_id_fkey, 'users (referrer_id) -> users (id) ON DELETE SET NULL ON UPDATE CASCADE');
      assert.equal(c.foreignKeys.StockMovement_warehouseId_variantId_fkey, 'StockMovement (warehouseId, variantId) -> inventory (warehouse_id, variant_id) ON DELETE CASCADE ON UPDATE CASCADE');
      assert.equal(c.foreignKeys._CategoryToProduct_A_fkey, '_CategoryToProduct (A) -> categories (id) ON DELETE CASCADE ON UPDATE CASCADE');
      assert.equal(c.foreignKeys._CategoryToProduct_B_fkey, '_CategoryToProduct (B) -> products (id) ON DELETE CASCADE ON UPDATE CASCADE');
      assert.equal(c.foreignKeys._Follows_A_fkey, '_Follows (A) -> users (id) ON DELETE CASCADE ON UPDATE CASCADE');
      if (provider !== 'sqlite') {
        assert.equal(c.foreignKeys.addresses_owner_fkey, 'addresses (user_id) -> users (id) ON DELETE CASCADE ON UPDATE CASCADE');
        assert.equal(c.foreignKeys.comment_parent_fk, 'Comment (parentId) -> Comment (id) ON DELETE SET NULL ON UPDATE CASCADE');
      }
    });

    it('rows go in, join tables included', async () => {
      assert.ok(migrated, 'not migrated');
      await target.exec(ROWS_V1);
      assert.deepEqual(await target.query(USERS), USERS_V1);
      assert.deepEqual(await target.query(LINKS), LINKS_V1);
    });

    it('after editing the schema, makemigrations writes a second revision on top of the first', () => {
      assert.ok(migrated, 'not migrated');
      writeShop(p, 'prisma/shop', provider, 2);
      const r = p.ok(['makemigrations', '-m', 'promotions']);
      const file = generatedFile(r);
      assert.notEqual(file, firstFile);
      second = revisionIdOf(p.read(file));
      assert.equal(downRevisionOf(p.read(file)), `'${first}'`);
      for (const expected of [/create table promotions\b/, /create table _ProductToPromotion\b/, /add column users\.phone\b/, /alter column users\.nickname\b/, /create index addresses_city_country_idx\b/]) {
        assert.match(r.stdout, expected);
      }
    });

    it('migrate applies it and keeps the rows, filling the NULL nicknames with the new default; check exits 0', async () => {
      assert.ok(second, 'no second revision');
      const up = p.ok(['migrate']);
      assert.match(up.stdout, new RegExp(`Applied\\s+${second}`));
      assert.deepEqual(await target.query('SELECT "id", "email", "nickname", "phone" FROM "users" ORDER BY "id"'), [
        { id: 1, email: 'ann@example.com', nickname: 'anon', phone: null },
        { id: 2, email: 'bob@example.com', nickname: 'bobby', phone: null },
        { id: 3, email: 'cy@example.com', nickname: 'anon', phone: null },
      ]);
      assert.deepEqual(await target.query(LINKS), LINKS_V1);
      assert.deepEqual(await target.query('SELECT "id", "sku" FROM "products" ORDER BY "id"'), [
        { id: 1, sku: 'P-1' },
        { id: 2, sku: 'P-2' },
      ]);
      if (provider === 'sqlite') assert.deepEqual(await target.query('PRAGMA foreign_key_check'), []);
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
      assert.match(p.ok(['makemigrations']).stdout, /No changes detected/);
    });

    const byHand = 'notBuilt' in target.prisma ? ' (Prisma’s changes stated from its rules for the provider)' : '';
    it(`the second revision changed the database as it changes Prisma’s${byHand}`, async () => {
      assert.ok(catalogV1, 'no catalog of the first revision');
      const mine = await target.catalog();
      const prisma = await prismaV2Changes(target.prisma);
      for (const aspect of ASPECTS) {
        assert.deepEqual(changes(catalogV1[aspect], mine[aspect]), prisma[aspect], `${aspect}: what changed (migrator, then Prisma)`);
      }
      const nickname = { postgresql: "text NOT NULL DEFAULT 'anon'::text", mysql: "varchar(191) NOT NULL DEFAULT 'anon'", sqlite: "TEXT NOT NULL DEFAULT 'anon'" };
      assert.equal(mine.columns['users.nickname'], nickname[provider]);
      if (provider === 'postgresql') assert.equal(mine.enums.OrderStatus, 'PENDING, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED');
      if (provider === 'mysql') assert.equal(mine.columns['orders.status'], `${ORDER_STATUS_V2} NOT NULL DEFAULT 'PENDING'`);
    });

    it(`the new schema takes rows: a promotion on a product${target.enums ? ', a refunded order' : ''}`, async () => {
      assert.ok(second, 'no second revision');
      await target.exec(`INSERT INTO "promotions" ("id", "code", "title", "starts_at") VALUES (1, 'SPRING', 'Spring sale', '2024-03-01 00:00:00');
INSERT INTO "_ProductToPromotion" ("A", "B") VALUES (1, 1);`);
      assert.deepEqual(await target.query('SELECT "A", "B" FROM "_ProductToPromotion"'), [{ A: 1, B: 1 }]);
      if (target.enums) {
        await target.exec(`INSERT INTO "orders" ("id", "number", "user_id", "status", "subtotal", "total") VALUES (2, 'A-2', 2, 'REFUNDED', 1, 1)`);
        assert.deepEqual(await target.query(`SELECT "status" FROM "orders" WHERE "id" = 2`), [{ status: 'REFUNDED' }]);
        // A row with the value would keep downgrade from removing it.
        await target.exec(`DELETE FROM "orders" WHERE "id" = 2`);
      }
    });

    it('downgrade -1 restores the first revision’s schema (the new enum value removed) and keeps the rows', async () => {
      assert.ok(catalogV1 && second, 'not upgraded');
      const r = p.ok(['downgrade', '-1']);
      assert.match(r.stdout, new RegExp(`Reverted\\s+${second}`));
      const mine = await target.catalog();
      for (const aspect of ASPECTS) {
        // Column order is not part of the comparison: the catalogs are keyed by name.
        assert.deepEqual(changes(catalogV1[aspect], mine[aspect]), {}, `${aspect}: [after the first migrate, after downgrade -1]`);
      }
      if (provider === 'postgresql') assert.equal(mine.enums.OrderStatus, 'PENDING, PAID, SHIPPED, DELIVERED, CANCELLED');
      if (provider === 'mysql') assert.equal(mine.columns['orders.status'], `${ORDER_STATUS_V1} NOT NULL DEFAULT 'PENDING'`);
      assert.deepEqual(await target.query(USERS), USERS_V1.map((u) => ({ ...u, nickname: u.nickname ?? 'anon' })));
      assert.deepEqual(await target.query(LINKS), LINKS_V1);
      if (provider === 'sqlite') assert.deepEqual(await target.query('PRAGMA foreign_key_check'), []);
    });

    it('downgrade base leaves only the version table', async () => {
      assert.ok(catalogV1, 'not migrated');
      const r = p.ok(['downgrade', 'base']);
      assert.match(r.stdout, new RegExp(`Reverted\\s+${first}`));
      const mine = await target.catalog();
      assert.deepEqual(mine.tables, []);
      assert.deepEqual(mine.enums, {});
      assert.match(p.ok(['current']).stdout, /base/);
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe('Prisma models next to TypeScript entities, and as a folder (SQLite)', () => {
  it('a .prisma file and a TypeScript entity file in one project', async () => {
    const p = newProject('migrator-prisma-mixed-');
    p.writeConfig({ models: ['prisma/schema.prisma', 'entities/*.ts'] });
    p.write(
      'prisma/schema.prisma',
      `datasource db {
  provider = "sqlite"
}

model Customer {
  id       Int       @id @default(autoincrement())
  email    String    @unique
  contacts Contact[]

  @@map("customers")
}

model Contact {
  id         Int      @id @default(autoincrement())
  customerId Int      @map("customer_id")
  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)
}
`,
    );
    p.writeEntity(
      'invoice',
      `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Invoice {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 20, unique: true })
  number!: string;
}
`,
    );
    const r = p.ok(['makemigrations', '-m', 'mixed']);
    for (const t of ['customers', 'Contact', 'invoice']) assert.match(r.stdout, new RegExp(`create table ${t}\\b`), r.stdout);
    p.ok(['migrate']);
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
    const c = sqliteCatalog(p.path('app.db'));
    assert.deepEqual(c.tables, ['Contact', 'customers', 'invoice']);
    assert.equal(c.indexes.customers_email_key, 'ON customers UNIQUE (email) origin c');
    assert.equal(c.foreignKeys.Contact_customer_id_fkey, 'Contact (customer_id) -> customers (id) ON DELETE CASCADE ON UPDATE CASCADE');
    assert.equal(c.columns['invoice.number'], 'VARCHAR(20) NOT NULL');
  });

  it('a models entry that is a folder reads every .prisma file under it, and nothing else', () => {
    const p = newProject('migrator-prisma-folder-');
    p.writeConfig({ models: ['schema'] });
    p.write('schema/base.prisma', 'datasource db {\n  provider = "sqlite"\n}\n');
    p.write('schema/enums.prisma', 'enum Plan {\n  FREE\n  PRO @map("pro")\n}\n');
    p.write('schema/models/account.prisma', 'model Account {\n  id    Int    @id @default(autoincrement())\n  plan  Plan   @default(PRO)\n  seats Seat[]\n}\n');
    p.write('schema/models/seat.prisma', 'model Seat {\n  id        Int     @id @default(autoincrement())\n  accountId Int\n  account   Account @relation(fields: [accountId], references: [id])\n\n  @@index([accountId])\n}\n');
    p.write('schema/README.md', '# not a schema\n');
    p.write('schema/notes.txt', 'model Nope {\n}\n');
    const r = p.ok(['makemigrations', '-m', 'folder']);
    assert.match(r.stdout, /create table Account\b/);
    assert.match(r.stdout, /create table Seat\b/);
    p.ok(['migrate']);
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
    const c = sqliteCatalog(p.path('app.db'));
    assert.deepEqual(c.tables, ['Account', 'Seat']);
    assert.equal(c.columns['Account.plan'], "TEXT NOT NULL DEFAULT 'pro'");
    assert.equal(c.indexes.Seat_accountId_idx, 'ON Seat (accountId) origin c');
    assert.equal(c.foreignKeys.Seat_accountId_fkey, 'Seat (accountId) -> Account (id) ON DELETE RESTRICT ON UPDATE CASCADE');
  });

  it('a BigInt id with autoincrement() migrates as Prisma writes it on SQLite: BIGINT NOT NULL PRIMARY KEY', () => {
    const p = newProject('migrator-prisma-bigint-');
    p.writeConfig({ models: ['schema.prisma'] });
    p.write('schema.prisma', 'datasource db {\n  provider = "sqlite"\n}\n\nmodel Event {\n  id   BigInt @id @default(autoincrement())\n  name String\n}\n');
    p.ok(['makemigrations', '-m', 'events']);
    p.ok(['migrate']);
    const c = sqliteCatalog(p.path('app.db'));
    assert.equal(c.columns['Event.id'], 'BIGINT NOT NULL');
    assert.equal(c.keys.Event, 'PRIMARY KEY (id)', 'no AUTOINCREMENT: SQLite allows it on INTEGER PRIMARY KEY only');
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
  });
});

describe('a datasource provider that does not match the database', () => {
  for (const [provider, database] of [
    ['sqlite', 'postgresql'],
    ['postgresql', 'sqlite'],
  ] as const) {
    it(`provider "${provider}" against a ${database} database: exit 2, one line naming the file and line`, async () => {
      const p = newProject('migrator-prisma-mismatch-');
      const url = database === 'postgresql' ? (await pgDatabase()).url : 'sqlite:./app.db';
      p.writeConfig({ database: url, models: ['prisma/*.prisma'] });
      p.write('prisma/models.prisma', 'model User {\n  id Int @id\n}\n');
      p.write('prisma/base.prisma', `// The datasource.\n\ndatasource db {\n  provider = "${provider}"\n}\n`);
      for (const command of [['makemigrations', '-m', 'x'], ['check']]) {
        const r = p.run(command);
        const line = assertUserError(r);
        assert.ok(line.includes(`${p.path('prisma', 'base.prisma')}:3`) || line.includes('prisma/base.prisma:3'), `names prisma/base.prisma:3: ${line}`);
        assert.match(line, new RegExp(`"${provider}"`));
        assert.match(line, database === 'postgresql' ? /postgres/ : /sqlite/);
      }
      assert.deepEqual(p.versionFiles(), [], 'no revision written');
    });
  }
});
