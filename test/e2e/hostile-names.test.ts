/**
 * Hostile names, end to end through the built CLI, on SQLite and on PostgreSQL (one body, run for
 * each): TypeORM entity classes, and a Prisma schema, whose table, column, index, constraint,
 * primary-key, foreign-key, check, enum type and enum value names, string defaults, column
 * comments, a partial index's predicate and the revision message hold double and single quotes,
 * `;`, `--`, `/*`, parentheses, spaces, backslashes, `$1`, `$$`, é, 日本, emoji, reserved words
 * (`order`, `select`, `user`, `group`) and `id); DROP TABLE posts; --`. Tables `posts` and
 * `keep`, with rows, are in the database before the first revision and in the models: nothing may
 * touch them.
 *
 * Per dialect: makemigrations → the revision file (type-checked, imported and its op calls
 * recorded; `heads` reads it) → migrate → the exact catalog, written out below → posts/keep and
 * their rows → sqlmigrate → check → downgrade base → migrate again → offline `upgrade --sql` (each
 * name quoted, statement by statement; the script run by hand builds the same catalog) → a second
 * revision that alters what the first made, over rows (SQLite rebuilds the tables) → downgrade -1
 * restores the first catalog.
 *
 * Also: an enum whose type name needs quoting, changed to varchar, goes as a plain one does
 * (PostgreSQL); offline scripts keep a message and a name inside their comment lines; on SQLite,
 * a column dropped or renamed in place, then a rebuild of the same table in the same revision.
 *
 * One PostgreSQL database per suite (test/support/pg.ts); an unreachable server fails them.
 * Needs `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { readPgCatalog } from '../support/pg-catalog.ts';
import { explain, generatedFile, offlineHistory, projects, ROOT, type Row, type TempProject, undated } from './helpers.ts';

type Dialect = 'sqlite' | 'postgres';
const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

const newProject = projects();

/** A string as a TypeScript literal in the entity source. */
const L = (s: string): string => JSON.stringify(s);

/** The -m of the first revision, and how its file names it. */
const MESSAGE = `it's */ DROP TABLE posts; -- $1 $$ \\ "日本" 🚀`;
const SLUG = 'it_s_drop_table_posts_1';
const REV1 = 'a1b1c1d1e1f1';
const REV2 = 'a2b2c2d2e2f2';

/** A URL nothing listens on: offline SQL must not need the database. */
const NOWHERE = 'postgres://nobody@127.0.0.1:1/none';

const ENUM_V1 = ["it's", 'a"b', 'x); DROP TABLE posts; --', '$1 $$', 'back\\slash', '日本 🚀', 'order'];
const ENUM_V2 = ["it's", 'a"b', 'x); DROP TABLE posts; --', '$1 $$', 'back\\slash', '日本 🚀', "new'); DROP TABLE posts; --"];

/**
 * The entities, version 1 or 2. Version 2 changes a default and a comment, makes `a"b` NOT NULL
 * with a default, swaps an enum value, drops an index, adds a unique constraint, widens a column
 * and changes a foreign key's ON DELETE.
 */
function entities(dialect: Dialect, version: 1 | 2): string {
  const v2 = version === 2;
  // migrator's own decorators: its checks and partial indexes are built on every dialect (TypeORM's
  // mysql driver would build neither).
  return `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'migrator/decorators';

@Entity('posts')
export class Post {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'posts_pkey' })
  id!: number;

  @Column({ type: 'text' })
  title!: string;
}

@Entity('keep')
export class Keep {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'keep_pkey' })
  id!: number;

  @Column({ type: 'text' })
  note!: string;
}

@Entity('order')
@Unique(${L("uq 'user'; DROP TABLE posts; --")}, ['user'])
@Index(['group', 'user'], { unique: true })
export class Order {
  @PrimaryGeneratedColumn({ name: 'select', primaryKeyConstraintName: ${L('pk "order"; DROP TABLE keep; --')} })
  id!: number;

  @Column({ name: 'group', type: 'varchar', length: 60, default: ${v2 ? L("new'); DROP TABLE keep; --") : L("it's; DROP TABLE x; --")}, comment: ${v2 ? L('changed */ DROP TABLE posts; --') : L("it's; DROP TABLE keep; -- /* $1 $$ \\ 日本 🚀")} })
  group!: string;

  @Column({ name: 'user', type: 'varchar', length: 60 })
  user!: string;

  @Column({ name: ${L('a"b')}, type: 'text', ${v2 ? `default: ${L(`a"b'c`)}` : 'nullable: true'} })
  ab!: string | null;
}

@Entity(${L('id); DROP TABLE posts; --')})
${v2 ? `@Unique(${L('uq $$ (x)')}, ['d2', 'parens'])` : `@Index(${L('ix "classic"; DROP TABLE posts; --')}, ['backslash'])`}
@Index(['d1', 'd2'], { unique: true })
@Index(${L('ix (paren)')}, ['parens', 'order'])
@Index(${L("ix partial 'x'")}, ['comm'], { where: ${L('"$$" IS NOT NULL AND "x /* y */ -- z" <> \'it\'\'s\'')} })
@Check(${L('ck "$1"; DROP TABLE posts; --')}, ${L('"$1" >= 0')})
export class Classic {
  @PrimaryColumn({ name: ${L('id); DROP TABLE posts; --')}, type: 'integer', primaryKeyConstraintName: ${L("pk'); DROP TABLE keep; --")} })
  id!: number;

  @Column({ name: ${L("it's")}, type: 'text', default: ${L('C:\\dir\\$1 $$ /* -- */')}, comment: ${L('a "quoted" comment')} })
  its!: string;

  @Column({ name: ${L('back\\slash')}, type: 'varchar', length: ${v2 ? 40 : 20}, nullable: true })
  backslash!: string | null;

  @Column({ name: '$1', type: 'integer', default: 0 })
  d1!: number;

  @Column({ name: '$$', type: 'integer', nullable: true })
  d2!: number | null;

  @Column({ name: 'paren(s)', type: 'integer', nullable: true })
  parens!: number | null;

  @Column({ name: ${L('x /* y */ -- z')}, type: 'text', nullable: true })
  comm!: string | null;

  @Column({ name: 'mood', type: ${L(dialect === 'postgres' ? 'enum' : 'simple-enum')}, enum: ${JSON.stringify(v2 ? ENUM_V2 : ENUM_V1)}, enumName: ${L('mood"; DROP TYPE x; --')}, default: ${L("it's")} })
  mood!: string;

  @ManyToOne(() => Order, { onDelete: 'CASCADE' })
  @JoinColumn({ name: ${L('order"; --')}, foreignKeyConstraintName: ${L('fk "order"; DROP TABLE posts; --')} })
  order!: Order;
}

@Entity(${L('café "日本" 🚀')})
@Index(${L('ix 日本 🚀')}, ['naive', 'classic'])
export class Unicode {
  @PrimaryGeneratedColumn({ name: ${L('ïd 🔑')}, primaryKeyConstraintName: ${L('pk é 日本 🚀')} })
  id!: number;

  @Column({ name: ${L('naïve "é"')}, type: 'varchar', length: 40, default: ${L('çà 日本 🚀')} })
  naive!: string;

  @ManyToOne(() => Classic, { nullable: true, onDelete: ${L(v2 ? 'CASCADE' : 'SET NULL')} })
  @JoinColumn({ name: 'classic$1', foreignKeyConstraintName: ${L('fk /* 日本 */ $$')} })
  classic!: Classic | null;
}
`;
}

// ---------------------------------------------------------------------------------------------
// The database of a project, and its catalog.

interface Target {
  /** The `database` of the project's config. */
  url: string;
  /** Runs an SQL script (several statements). */
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<Row[]>;
  /** User tables, migrator's version table included, sorted by code unit. */
  tables(): Promise<string[]>;
  catalog(): Promise<Catalog>;
}

type Catalog = Record<string, unknown>;

/** Sorted by code unit, not by a database's collation. */
const byText = (a: unknown, b: unknown): number => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0);

function sqliteTarget(p: TempProject): Target {
  const file = p.path('app.db');
  const open = (): Database.Database => new Database(file);
  const withDb = <T>(body: (db: Database.Database) => T): T => {
    const db = open();
    try {
      return body(db);
    } finally {
      db.close();
    }
  };
  return {
    url: 'sqlite:./app.db',
    exec: async (sql) => withDb((db) => void db.exec(sql)),
    query: async (sql) => withDb((db) => db.prepare(sql).all() as Row[]),
    tables: async () =>
      withDb((db) =>
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as Row[]).map((r) => String(r.name)).sort(),
      ),
    catalog: async () => withDb(sqliteCatalog),
  };
}

/**
 * Per table: the CREATE TABLE as SQLite stores it, its columns ([name, type, NULL/NOT NULL,
 * default as stored, pk position]), indexes ([name, UNIQUE or '', origin, columns], sorted by
 * name) and foreign keys ([columns, table, referenced columns, ON DELETE]); then every CREATE
 * INDEX as stored.
 */
function sqliteCatalog(db: Database.Database): Catalog {
  const tables: Record<string, unknown> = {};
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT IN ('migrator_version', 'migrator_history') ORDER BY name").all() as {
    type: string;
    name: string;
    sql: string | null;
  }[];
  for (const t of rows.filter((r) => r.type === 'table')) {
    const columns = (db.prepare('SELECT * FROM pragma_table_info(?) ORDER BY cid').all(t.name) as Row[]).map((c) => [c.name, c.type, c.notnull ? 'NOT NULL' : 'NULL', c.dflt_value, c.pk]);
    const indexes = (db.prepare('SELECT * FROM pragma_index_list(?)').all(t.name) as Row[])
      .map((i) => [i.name, i.unique ? 'UNIQUE' : '', i.origin, (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(i.name) as Row[]).map((c) => c.name)])
      .sort(byText);
    const fks = new Map<number, Row[]>();
    for (const f of db.prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(t.name) as Row[]) fks.set(Number(f.id), [...(fks.get(Number(f.id)) ?? []), f]);
    const foreignKeys = [...fks.values()].map((parts) => [parts.map((f) => f.from), parts[0].table, parts.map((f) => f.to), `ON DELETE ${parts[0].on_delete}`]);
    tables[t.name] = { sql: t.sql, columns, indexes, foreignKeys };
  }
  const indexSql = rows.filter((r) => r.type === 'index' && r.sql !== null).map((r) => r.sql);
  return { tables, indexSql };
}

/**
 * A SQLite catalog with each stored CREATE TABLE as its head and its definitions (columns and
 * table constraints, as written) in sorted order: the same table, whatever order a rebuild wrote
 * its constraints in.
 */
function definitionsSorted(catalog: Catalog): Catalog {
  const split = (sql: string): { head: string; definitions: string[] } => {
    const parts: string[] = [];
    let depth = 0;
    let quote = '';
    let open = -1;
    let start = 0;
    for (let i = 0; i < sql.length; i++) {
      const ch = sql[i];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(' && open < 0) {
        open = i;
        start = i + 1;
      } else if (ch === '(') depth++;
      else if (ch === ')' && depth-- === 0) {
        parts.push(sql.slice(start, i).trim());
        break;
      } else if (ch === ',' && depth === 0 && open >= 0) {
        parts.push(sql.slice(start, i).trim());
        start = i + 1;
      }
    }
    return { head: sql.slice(0, open).trim(), definitions: parts.sort() };
  };
  const tables = catalog.tables as Record<string, { sql: string }>;
  return { ...catalog, tables: Object.fromEntries(Object.entries(tables).map(([name, t]) => [name, { ...t, sql: split(t.sql) }])) };
}

function pgTarget(db: TestDatabase): Target {
  return {
    url: db.url,
    exec: async (sql) => void (await db.query(sql)),
    query: (sql) => db.query(sql),
    tables: async () => (await db.query<{ name: string }>('SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema()')).map((r) => r.name).sort(),
    catalog: async () => pgCatalog(db),
  };
}

/**
 * Per table (not the version table): its columns ([name, format_type, NULL/NOT NULL, default as
 * pg_get_expr prints it, comment]), constraints ([contype, name, pg_get_constraintdef]) and
 * indexes (pg_indexes.indexdef); then the enum types with their labels.
 */
async function pgCatalog(db: TestDatabase): Promise<Catalog> {
  const c = await readPgCatalog(db);
  const tables: Record<string, unknown> = {};
  for (const [name, t] of c.tables) {
    tables[name] = {
      comment: t.comment,
      columns: t.columns.map((col) => [col.name, col.type, col.notnull ? 'NOT NULL' : 'NULL', col.default, col.comment]),
      constraints: t.constraints.map((k) => [k.type, k.name, k.def]).sort(byText),
      indexes: t.indexes.map((i) => i.def).sort(byText),
    };
  }
  return { tables, enums: Object.fromEntries(c.enums.map((e) => [e.name, e.labels])) };
}

/** `posts` and `keep` as they are before the first revision: what their models describe. */
const KEEP_TABLES: Record<Dialect, string> = {
  sqlite: `CREATE TABLE "posts" ("id" integer NOT NULL, "title" text NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE "keep" ("id" integer NOT NULL, "note" text NOT NULL, PRIMARY KEY ("id"));`,
  postgres: `CREATE TABLE posts (id integer NOT NULL, title text NOT NULL, CONSTRAINT posts_pkey PRIMARY KEY (id));
CREATE TABLE keep (id integer NOT NULL, note text NOT NULL, CONSTRAINT keep_pkey PRIMARY KEY (id));`,
};
const KEEP_ROWS = `INSERT INTO posts (id, title) VALUES (1, 'first'), (2, 'second');
INSERT INTO keep (id, note) VALUES (7, 'kept');`;

/** Asserts posts and keep are there with exactly their rows. */
async function assertKept(target: Target): Promise<void> {
  assert.deepEqual(await target.query('SELECT id, title FROM posts ORDER BY id'), [
    { id: 1, title: 'first' },
    { id: 2, title: 'second' },
  ]);
  assert.deepEqual(await target.query('SELECT id, note FROM keep ORDER BY id'), [{ id: 7, note: 'kept' }]);
}

/** The op calls a revision file's upgrade() or downgrade() makes, each as [method, ...arguments]. */
async function recordedCalls(file: string, fn: 'upgrade' | 'downgrade'): Promise<unknown[][]> {
  const mod = (await import(`${pathToFileURL(file).href}?at=${Date.now()}`)) as Record<string, (op: unknown) => Promise<void>>;
  const calls: unknown[][] = [];
  const op = new Proxy({}, { get: (_t, method) => async (...args: unknown[]) => void calls.push([String(method), ...args]) });
  await mod[fn](op);
  return calls;
}

/** tsc's errors for a revision file, strict, with `migrator` the built package's types. */
let lastProgram: ts.Program | undefined;
function typeErrors(file: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    paths: { 'ts-migrator': [path.join(ROOT, 'dist', 'index.d.ts')], migrator: [path.join(ROOT, 'dist', 'index.d.ts')] },
  };
  // The previous program's files (the package's types, lib.d.ts) are parsed once.
  lastProgram = ts.createProgram([file], options, undefined, lastProgram);
  return ts.getPreEmitDiagnostics(lastProgram).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** The statements between BEGIN; and COMMIT; of each transaction of an offline script. */
function transactions(sql: string): string[][] {
  const out: string[][] = [];
  let current: string[] | undefined;
  for (const line of sql.split('\n')) {
    if (line === 'BEGIN;') current = [];
    else if (line === 'COMMIT;') {
      assert.ok(current, `COMMIT; without BEGIN;\n${sql}`);
      out.push(current);
      current = undefined;
    } else if (current && line !== '') current.push(line);
  }
  assert.equal(current, undefined, `BEGIN; without COMMIT;\n${sql}`);
  return out;
}

const dump = (x: unknown): string => JSON.stringify(x, null, 2);

/** A revision file written by hand: its upgrade() runs `body`; its downgrade() does nothing. */
const handWritten = (id: string, down: string | null, body: string): string => `import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(op: Operations): Promise<void> {
  ${body}
}

export async function downgrade(op: Operations): Promise<void> {}
`;

/** Every string the first revision's op calls carry, at any depth. */
function strings(x: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof x === 'string') out.add(x);
  else if (Array.isArray(x)) for (const v of x) strings(v, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) strings(v, out);
  return out;
}

const R = String.raw;

/** The names, defaults (as SQL) and comments of the entities: the revision must give each back exactly. */
const NAMED = [
  'order', 'select', 'group', 'user', 'a"b', 'pk "order"; DROP TABLE keep; --', "uq 'user'; DROP TABLE posts; --", "'it''s; DROP TABLE x; --'",
  R`it's; DROP TABLE keep; -- /* $1 $$ \ 日本 🚀`, 'IDX_fb1dd57d8b9cd993643076b70c', 'id); DROP TABLE posts; --', "it's", R`'C:\dir\$1 $$ /* -- */'`,
  'a "quoted" comment', R`back\slash`, '$1', '$$', 'paren(s)', 'x /* y */ -- z', 'mood', "'it''s'", 'order"; --', "pk'); DROP TABLE keep; --",
  'fk "order"; DROP TABLE posts; --', 'IDX_a6c2d1fd766fa4d96bed2a576a', 'ix "classic"; DROP TABLE posts; --', 'ix (paren)', 'café "日本" 🚀', 'ïd 🔑',
  'naïve "é"', "'çà 日本 🚀'", 'classic$1', 'pk é 日本 🚀', 'fk /* 日本 */ $$', 'ix 日本 🚀', 'ck "$1"; DROP TABLE posts; --', '"$1" >= 0',
  "ix partial 'x'", `"$$" IS NOT NULL AND "x /* y */ -- z" <> 'it''s'`,
];
/** …and the enum: PostgreSQL's type and its labels, SQLite's CHECK. */
const REVISION_STRINGS: Record<Dialect, string[]> = {
  sqlite: [...NAMED, R`"mood" IN ('it''s','a"b','x); DROP TABLE posts; --','$1 $$','back\slash','日本 🚀','order')`],
  postgres: [...NAMED, 'mood"; DROP TYPE x; --', ...ENUM_V1],
};

// ---------------------------------------------------------------------------------------------
// What the models say, as each database stores it. On SQLite, as TypeORM lays tables out there:
// no primary-key names and no comments, and the enum a varchar with a CHECK of its values.

/** After the first revision. */
const EXPECTED_V1: Record<Dialect, Catalog> = {
  sqlite: {
    tables: {
      'café "日本" 🚀': {
        sql: R`CREATE TABLE "café ""日本"" 🚀" ("ïd 🔑" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "naïve ""é""" varchar(40) NOT NULL DEFAULT 'çà 日本 🚀', "classic$1" integer, CONSTRAINT "fk /* 日本 */ $$" FOREIGN KEY ("classic$1") REFERENCES "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --") ON DELETE SET NULL ON UPDATE NO ACTION)`,
        columns: [
          ['ïd 🔑', 'INTEGER', 'NOT NULL', null, 1],
          ['naïve "é"', 'varchar(40)', 'NOT NULL', "'çà 日本 🚀'", 0],
          ['classic$1', 'INTEGER', 'NULL', null, 0],
        ],
        indexes: [['ix 日本 🚀', '', 'c', ['naïve "é"', 'classic$1']]],
        foreignKeys: [[['classic$1'], 'id); DROP TABLE posts; --', ['id); DROP TABLE posts; --'], 'ON DELETE SET NULL']],
      },
      'id); DROP TABLE posts; --': {
        sql: R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" integer NOT NULL, "it's" text NOT NULL DEFAULT 'C:\dir\$1 $$ /* -- */', "back\slash" varchar(20), "$1" integer NOT NULL DEFAULT 0, "$$" integer, "paren(s)" integer, "x /* y */ -- z" text, "mood" varchar NOT NULL DEFAULT 'it''s', "order""; --" integer, PRIMARY KEY ("id); DROP TABLE posts; --"), CONSTRAINT "fk ""order""; DROP TABLE posts; --" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE NO ACTION, CHECK ("mood" IN ('it''s','a"b','x); DROP TABLE posts; --','$1 $$','back\slash','日本 🚀','order')), CONSTRAINT "ck ""$1""; DROP TABLE posts; --" CHECK ("$1" >= 0))`,
        columns: [
          ['id); DROP TABLE posts; --', 'INTEGER', 'NOT NULL', null, 1],
          ["it's", 'TEXT', 'NOT NULL', R`'C:\dir\$1 $$ /* -- */'`, 0],
          [R`back\slash`, 'varchar(20)', 'NULL', null, 0],
          ['$1', 'INTEGER', 'NOT NULL', '0', 0],
          ['$$', 'INTEGER', 'NULL', null, 0],
          ['paren(s)', 'INTEGER', 'NULL', null, 0],
          ['x /* y */ -- z', 'TEXT', 'NULL', null, 0],
          ['mood', 'varchar', 'NOT NULL', "'it''s'", 0],
          ['order"; --', 'INTEGER', 'NULL', null, 0],
        ],
        indexes: [
          ['IDX_a6c2d1fd766fa4d96bed2a576a', 'UNIQUE', 'c', ['$1', '$$']],
          ['ix (paren)', '', 'c', ['paren(s)', 'order"; --']],
          ['ix "classic"; DROP TABLE posts; --', '', 'c', [R`back\slash`]],
          ["ix partial 'x'", '', 'c', ['x /* y */ -- z']],
        ],
        foreignKeys: [[['order"; --'], 'order', ['select'], 'ON DELETE CASCADE']],
      },
      keep: {
        sql: 'CREATE TABLE "keep" ("id" integer NOT NULL, "note" text NOT NULL, PRIMARY KEY ("id"))',
        columns: [['id', 'INTEGER', 'NOT NULL', null, 1], ['note', 'TEXT', 'NOT NULL', null, 0]],
        indexes: [],
        foreignKeys: [],
      },
      order: {
        sql: R`CREATE TABLE "order" ("select" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "group" varchar(60) NOT NULL DEFAULT 'it''s; DROP TABLE x; --', "user" varchar(60) NOT NULL, "a""b" text, CONSTRAINT "uq 'user'; DROP TABLE posts; --" UNIQUE ("user"))`,
        columns: [
          ['select', 'INTEGER', 'NOT NULL', null, 1],
          ['group', 'varchar(60)', 'NOT NULL', "'it''s; DROP TABLE x; --'", 0],
          ['user', 'varchar(60)', 'NOT NULL', null, 0],
          ['a"b', 'TEXT', 'NULL', null, 0],
        ],
        indexes: [['IDX_fb1dd57d8b9cd993643076b70c', 'UNIQUE', 'c', ['group', 'user']], ['sqlite_autoindex_order_1', 'UNIQUE', 'u', ['user']]],
        foreignKeys: [],
      },
      posts: {
        sql: 'CREATE TABLE "posts" ("id" integer NOT NULL, "title" text NOT NULL, PRIMARY KEY ("id"))',
        columns: [['id', 'INTEGER', 'NOT NULL', null, 1], ['title', 'TEXT', 'NOT NULL', null, 0]],
        indexes: [],
        foreignKeys: [],
      },
    },
    indexSql: [
      'CREATE UNIQUE INDEX "IDX_a6c2d1fd766fa4d96bed2a576a" ON "id); DROP TABLE posts; --" ("$1", "$$")',
      'CREATE UNIQUE INDEX "IDX_fb1dd57d8b9cd993643076b70c" ON "order" ("group", "user")',
      R`CREATE INDEX "ix ""classic""; DROP TABLE posts; --" ON "id); DROP TABLE posts; --" ("back\slash")`,
      'CREATE INDEX "ix (paren)" ON "id); DROP TABLE posts; --" ("paren(s)", "order""; --")',
      R`CREATE INDEX "ix partial 'x'" ON "id); DROP TABLE posts; --" ("x /* y */ -- z") WHERE "$$" IS NOT NULL AND "x /* y */ -- z" <> 'it''s'`,
      'CREATE INDEX "ix 日本 🚀" ON "café ""日本"" 🚀" ("naïve ""é""", "classic$1")',
    ],
  },
  postgres: {
    tables: {
      'café "日本" 🚀': {
        comment: null,
        columns: [
          ['ïd 🔑', 'integer', 'NOT NULL', R`nextval('"café ""日本"" 🚀_ïd 🔑_seq"'::regclass)`, null],
          ['naïve "é"', 'character varying(40)', 'NOT NULL', "'çà 日本 🚀'::character varying", null],
          ['classic$1', 'integer', 'NULL', null, null],
        ],
        constraints: [
          ['f', 'fk /* 日本 */ $$', 'FOREIGN KEY ("classic$1") REFERENCES "id); DROP TABLE posts; --"("id); DROP TABLE posts; --") ON DELETE SET NULL'],
          ['p', 'pk é 日本 🚀', 'PRIMARY KEY ("ïd 🔑")'],
        ],
        indexes: [
          'CREATE INDEX "ix 日本 🚀" ON public."café ""日本"" 🚀" USING btree ("naïve ""é""", "classic$1")',
          'CREATE UNIQUE INDEX "pk é 日本 🚀" ON public."café ""日本"" 🚀" USING btree ("ïd 🔑")',
        ],
      },
      'id); DROP TABLE posts; --': {
        comment: null,
        columns: [
          ['id); DROP TABLE posts; --', 'integer', 'NOT NULL', null, null],
          ["it's", 'text', 'NOT NULL', R`'C:\dir\$1 $$ /* -- */'::text`, 'a "quoted" comment'],
          [R`back\slash`, 'character varying(20)', 'NULL', null, null],
          ['$1', 'integer', 'NOT NULL', '0', null],
          ['$$', 'integer', 'NULL', null, null],
          ['paren(s)', 'integer', 'NULL', null, null],
          ['x /* y */ -- z', 'text', 'NULL', null, null],
          ['mood', '"mood""; DROP TYPE x; --"', 'NOT NULL', R`'it''s'::"mood""; DROP TYPE x; --"`, null],
          ['order"; --', 'integer', 'NULL', null, null],
        ],
        constraints: [
          ['c', 'ck "$1"; DROP TABLE posts; --', 'CHECK (("$1" >= 0))'],
          ['f', 'fk "order"; DROP TABLE posts; --', 'FOREIGN KEY ("order""; --") REFERENCES "order"("select") ON DELETE CASCADE'],
          ['p', "pk'); DROP TABLE keep; --", 'PRIMARY KEY ("id); DROP TABLE posts; --")'],
        ],
        indexes: [
          'CREATE INDEX "ix (paren)" ON public."id); DROP TABLE posts; --" USING btree ("paren(s)", "order""; --")',
          R`CREATE INDEX "ix ""classic""; DROP TABLE posts; --" ON public."id); DROP TABLE posts; --" USING btree ("back\slash")`,
          R`CREATE INDEX "ix partial 'x'" ON public."id); DROP TABLE posts; --" USING btree ("x /* y */ -- z") WHERE (("$$" IS NOT NULL) AND ("x /* y */ -- z" <> 'it''s'::text))`,
          'CREATE UNIQUE INDEX "IDX_a6c2d1fd766fa4d96bed2a576a" ON public."id); DROP TABLE posts; --" USING btree ("$1", "$$")',
          R`CREATE UNIQUE INDEX "pk'); DROP TABLE keep; --" ON public."id); DROP TABLE posts; --" USING btree ("id); DROP TABLE posts; --")`,
        ],
      },
      keep: {
        comment: null,
        columns: [['id', 'integer', 'NOT NULL', null, null], ['note', 'text', 'NOT NULL', null, null]],
        constraints: [['p', 'keep_pkey', 'PRIMARY KEY (id)']],
        indexes: ['CREATE UNIQUE INDEX keep_pkey ON public.keep USING btree (id)'],
      },
      order: {
        comment: null,
        columns: [
          ['select', 'integer', 'NOT NULL', "nextval('order_select_seq'::regclass)", null],
          [
            'group',
            'character varying(60)',
            'NOT NULL',
            "'it''s; DROP TABLE x; --'::character varying",
            R`it's; DROP TABLE keep; -- /* $1 $$ \ 日本 🚀`,
          ],
          ['user', 'character varying(60)', 'NOT NULL', null, null],
          ['a"b', 'text', 'NULL', null, null],
        ],
        constraints: [['p', 'pk "order"; DROP TABLE keep; --', 'PRIMARY KEY ("select")'], ['u', "uq 'user'; DROP TABLE posts; --", 'UNIQUE ("user")']],
        indexes: [
          'CREATE UNIQUE INDEX "IDX_fb1dd57d8b9cd993643076b70c" ON public."order" USING btree ("group", "user")',
          'CREATE UNIQUE INDEX "pk ""order""; DROP TABLE keep; --" ON public."order" USING btree ("select")',
          R`CREATE UNIQUE INDEX "uq 'user'; DROP TABLE posts; --" ON public."order" USING btree ("user")`,
        ],
      },
      posts: {
        comment: null,
        columns: [['id', 'integer', 'NOT NULL', null, null], ['title', 'text', 'NOT NULL', null, null]],
        constraints: [['p', 'posts_pkey', 'PRIMARY KEY (id)']],
        indexes: ['CREATE UNIQUE INDEX posts_pkey ON public.posts USING btree (id)'],
      },
    },
    enums: {
      'mood"; DROP TYPE x; --': ["it's", 'a"b', 'x); DROP TABLE posts; --', '$1 $$', R`back\slash`, '日本 🚀', 'order'],
    },
  },
};

/**
 * After the second: `group`'s default and comment, `a"b` NOT NULL with a default, the enum value
 * 'order' swapped for another, index `ix "classic"; …` gone, unique `uq $$ (x)` added,
 * `back\slash` widened to 40, `fk /* 日本 *\/ $$` ON DELETE CASCADE.
 */
const EXPECTED_V2: Record<Dialect, Catalog> = {
  sqlite: {
    tables: {
      'café "日本" 🚀': {
        sql: R`CREATE TABLE "café ""日本"" 🚀" ("ïd 🔑" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "naïve ""é""" varchar(40) NOT NULL DEFAULT 'çà 日本 🚀', "classic$1" integer, CONSTRAINT "fk /* 日本 */ $$" FOREIGN KEY ("classic$1") REFERENCES "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --") ON DELETE CASCADE ON UPDATE NO ACTION)`,
        columns: [
          ['ïd 🔑', 'INTEGER', 'NOT NULL', null, 1],
          ['naïve "é"', 'varchar(40)', 'NOT NULL', "'çà 日本 🚀'", 0],
          ['classic$1', 'INTEGER', 'NULL', null, 0],
        ],
        indexes: [['ix 日本 🚀', '', 'c', ['naïve "é"', 'classic$1']]],
        foreignKeys: [[['classic$1'], 'id); DROP TABLE posts; --', ['id); DROP TABLE posts; --'], 'ON DELETE CASCADE']],
      },
      'id); DROP TABLE posts; --': {
        sql: R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" integer NOT NULL, "it's" text NOT NULL DEFAULT 'C:\dir\$1 $$ /* -- */', "back\slash" varchar(40), "$1" integer NOT NULL DEFAULT 0, "$$" integer, "paren(s)" integer, "x /* y */ -- z" text, "mood" varchar NOT NULL DEFAULT 'it''s', "order""; --" integer, PRIMARY KEY ("id); DROP TABLE posts; --"), CONSTRAINT "fk ""order""; DROP TABLE posts; --" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "ck ""$1""; DROP TABLE posts; --" CHECK ("$1" >= 0), CONSTRAINT "uq $$ (x)" UNIQUE ("$$", "paren(s)"), CHECK ("mood" IN ('it''s','a"b','x); DROP TABLE posts; --','$1 $$','back\slash','日本 🚀','new''); DROP TABLE posts; --')))`,
        columns: [
          ['id); DROP TABLE posts; --', 'INTEGER', 'NOT NULL', null, 1],
          ["it's", 'TEXT', 'NOT NULL', R`'C:\dir\$1 $$ /* -- */'`, 0],
          [R`back\slash`, 'varchar(40)', 'NULL', null, 0],
          ['$1', 'INTEGER', 'NOT NULL', '0', 0],
          ['$$', 'INTEGER', 'NULL', null, 0],
          ['paren(s)', 'INTEGER', 'NULL', null, 0],
          ['x /* y */ -- z', 'TEXT', 'NULL', null, 0],
          ['mood', 'varchar', 'NOT NULL', "'it''s'", 0],
          ['order"; --', 'INTEGER', 'NULL', null, 0],
        ],
        indexes: [
          ['IDX_a6c2d1fd766fa4d96bed2a576a', 'UNIQUE', 'c', ['$1', '$$']],
          ['ix (paren)', '', 'c', ['paren(s)', 'order"; --']],
          ["ix partial 'x'", '', 'c', ['x /* y */ -- z']],
          ['sqlite_autoindex_id); DROP TABLE posts; --_1', 'UNIQUE', 'u', ['$$', 'paren(s)']],
        ],
        foreignKeys: [[['order"; --'], 'order', ['select'], 'ON DELETE CASCADE']],
      },
      keep: {
        sql: 'CREATE TABLE "keep" ("id" integer NOT NULL, "note" text NOT NULL, PRIMARY KEY ("id"))',
        columns: [['id', 'INTEGER', 'NOT NULL', null, 1], ['note', 'TEXT', 'NOT NULL', null, 0]],
        indexes: [],
        foreignKeys: [],
      },
      order: {
        sql: R`CREATE TABLE "order" ("select" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "group" varchar(60) NOT NULL DEFAULT 'new''); DROP TABLE keep; --', "user" varchar(60) NOT NULL, "a""b" text NOT NULL DEFAULT 'a"b''c', CONSTRAINT "uq 'user'; DROP TABLE posts; --" UNIQUE ("user"))`,
        columns: [
          ['select', 'INTEGER', 'NOT NULL', null, 1],
          ['group', 'varchar(60)', 'NOT NULL', "'new''); DROP TABLE keep; --'", 0],
          ['user', 'varchar(60)', 'NOT NULL', null, 0],
          ['a"b', 'TEXT', 'NOT NULL', R`'a"b''c'`, 0],
        ],
        indexes: [['IDX_fb1dd57d8b9cd993643076b70c', 'UNIQUE', 'c', ['group', 'user']], ['sqlite_autoindex_order_1', 'UNIQUE', 'u', ['user']]],
        foreignKeys: [],
      },
      posts: {
        sql: 'CREATE TABLE "posts" ("id" integer NOT NULL, "title" text NOT NULL, PRIMARY KEY ("id"))',
        columns: [['id', 'INTEGER', 'NOT NULL', null, 1], ['title', 'TEXT', 'NOT NULL', null, 0]],
        indexes: [],
        foreignKeys: [],
      },
    },
    indexSql: [
      'CREATE UNIQUE INDEX "IDX_a6c2d1fd766fa4d96bed2a576a" ON "id); DROP TABLE posts; --" ("$1", "$$")',
      'CREATE UNIQUE INDEX "IDX_fb1dd57d8b9cd993643076b70c" ON "order" ("group", "user")',
      'CREATE INDEX "ix (paren)" ON "id); DROP TABLE posts; --" ("paren(s)", "order""; --")',
      R`CREATE INDEX "ix partial 'x'" ON "id); DROP TABLE posts; --" ("x /* y */ -- z") WHERE "$$" IS NOT NULL AND "x /* y */ -- z" <> 'it''s'`,
      'CREATE INDEX "ix 日本 🚀" ON "café ""日本"" 🚀" ("naïve ""é""", "classic$1")',
    ],
  },
  postgres: {
    tables: {
      'café "日本" 🚀': {
        comment: null,
        columns: [
          ['ïd 🔑', 'integer', 'NOT NULL', R`nextval('"café ""日本"" 🚀_ïd 🔑_seq"'::regclass)`, null],
          ['naïve "é"', 'character varying(40)', 'NOT NULL', "'çà 日本 🚀'::character varying", null],
          ['classic$1', 'integer', 'NULL', null, null],
        ],
        constraints: [
          ['f', 'fk /* 日本 */ $$', 'FOREIGN KEY ("classic$1") REFERENCES "id); DROP TABLE posts; --"("id); DROP TABLE posts; --") ON DELETE CASCADE'],
          ['p', 'pk é 日本 🚀', 'PRIMARY KEY ("ïd 🔑")'],
        ],
        indexes: [
          'CREATE INDEX "ix 日本 🚀" ON public."café ""日本"" 🚀" USING btree ("naïve ""é""", "classic$1")',
          'CREATE UNIQUE INDEX "pk é 日本 🚀" ON public."café ""日本"" 🚀" USING btree ("ïd 🔑")',
        ],
      },
      'id); DROP TABLE posts; --': {
        comment: null,
        columns: [
          ['id); DROP TABLE posts; --', 'integer', 'NOT NULL', null, null],
          ["it's", 'text', 'NOT NULL', R`'C:\dir\$1 $$ /* -- */'::text`, 'a "quoted" comment'],
          [R`back\slash`, 'character varying(40)', 'NULL', null, null],
          ['$1', 'integer', 'NOT NULL', '0', null],
          ['$$', 'integer', 'NULL', null, null],
          ['paren(s)', 'integer', 'NULL', null, null],
          ['x /* y */ -- z', 'text', 'NULL', null, null],
          ['mood', '"mood""; DROP TYPE x; --"', 'NOT NULL', R`'it''s'::"mood""; DROP TYPE x; --"`, null],
          ['order"; --', 'integer', 'NULL', null, null],
        ],
        constraints: [
          ['c', 'ck "$1"; DROP TABLE posts; --', 'CHECK (("$1" >= 0))'],
          ['f', 'fk "order"; DROP TABLE posts; --', 'FOREIGN KEY ("order""; --") REFERENCES "order"("select") ON DELETE CASCADE'],
          ['p', "pk'); DROP TABLE keep; --", 'PRIMARY KEY ("id); DROP TABLE posts; --")'],
          ['u', 'uq $$ (x)', 'UNIQUE ("$$", "paren(s)")'],
        ],
        indexes: [
          'CREATE INDEX "ix (paren)" ON public."id); DROP TABLE posts; --" USING btree ("paren(s)", "order""; --")',
          R`CREATE INDEX "ix partial 'x'" ON public."id); DROP TABLE posts; --" USING btree ("x /* y */ -- z") WHERE (("$$" IS NOT NULL) AND ("x /* y */ -- z" <> 'it''s'::text))`,
          'CREATE UNIQUE INDEX "IDX_a6c2d1fd766fa4d96bed2a576a" ON public."id); DROP TABLE posts; --" USING btree ("$1", "$$")',
          R`CREATE UNIQUE INDEX "pk'); DROP TABLE keep; --" ON public."id); DROP TABLE posts; --" USING btree ("id); DROP TABLE posts; --")`,
          'CREATE UNIQUE INDEX "uq $$ (x)" ON public."id); DROP TABLE posts; --" USING btree ("$$", "paren(s)")',
        ],
      },
      keep: {
        comment: null,
        columns: [['id', 'integer', 'NOT NULL', null, null], ['note', 'text', 'NOT NULL', null, null]],
        constraints: [['p', 'keep_pkey', 'PRIMARY KEY (id)']],
        indexes: ['CREATE UNIQUE INDEX keep_pkey ON public.keep USING btree (id)'],
      },
      order: {
        comment: null,
        columns: [
          ['select', 'integer', 'NOT NULL', "nextval('order_select_seq'::regclass)", null],
          ['group', 'character varying(60)', 'NOT NULL', "'new''); DROP TABLE keep; --'::character varying", 'changed */ DROP TABLE posts; --'],
          ['user', 'character varying(60)', 'NOT NULL', null, null],
          ['a"b', 'text', 'NOT NULL', R`'a"b''c'::text`, null],
        ],
        constraints: [['p', 'pk "order"; DROP TABLE keep; --', 'PRIMARY KEY ("select")'], ['u', "uq 'user'; DROP TABLE posts; --", 'UNIQUE ("user")']],
        indexes: [
          'CREATE UNIQUE INDEX "IDX_fb1dd57d8b9cd993643076b70c" ON public."order" USING btree ("group", "user")',
          'CREATE UNIQUE INDEX "pk ""order""; DROP TABLE keep; --" ON public."order" USING btree ("select")',
          R`CREATE UNIQUE INDEX "uq 'user'; DROP TABLE posts; --" ON public."order" USING btree ("user")`,
        ],
      },
      posts: {
        comment: null,
        columns: [['id', 'integer', 'NOT NULL', null, null], ['title', 'text', 'NOT NULL', null, null]],
        constraints: [['p', 'posts_pkey', 'PRIMARY KEY (id)']],
        indexes: ['CREATE UNIQUE INDEX posts_pkey ON public.posts USING btree (id)'],
      },
    },
    enums: {
      'mood"; DROP TYPE x; --': ["it's", 'a"b', 'x); DROP TABLE posts; --', '$1 $$', R`back\slash`, '日本 🚀', "new'); DROP TABLE posts; --"],
    },
  },
};

/** The statements of the first revision's transaction, as offline SQL prints them. */
const OFFLINE_V1: Record<Dialect, string[]> = {
  sqlite: [
    R`CREATE TABLE "order" ("select" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "group" varchar(60) NOT NULL DEFAULT 'it''s; DROP TABLE x; --', "user" varchar(60) NOT NULL, "a""b" text, CONSTRAINT "uq 'user'; DROP TABLE posts; --" UNIQUE ("user"));`,
    'CREATE UNIQUE INDEX "IDX_fb1dd57d8b9cd993643076b70c" ON "order" ("group", "user");',
    R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" integer NOT NULL, "it's" text NOT NULL DEFAULT 'C:\dir\$1 $$ /* -- */', "back\slash" varchar(20), "$1" integer NOT NULL DEFAULT 0, "$$" integer, "paren(s)" integer, "x /* y */ -- z" text, "mood" varchar NOT NULL DEFAULT 'it''s', "order""; --" integer, PRIMARY KEY ("id); DROP TABLE posts; --"), CONSTRAINT "fk ""order""; DROP TABLE posts; --" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE NO ACTION, CHECK ("mood" IN ('it''s','a"b','x); DROP TABLE posts; --','$1 $$','back\slash','日本 🚀','order')), CONSTRAINT "ck ""$1""; DROP TABLE posts; --" CHECK ("$1" >= 0));`,
    'CREATE UNIQUE INDEX "IDX_a6c2d1fd766fa4d96bed2a576a" ON "id); DROP TABLE posts; --" ("$1", "$$");',
    R`CREATE INDEX "ix ""classic""; DROP TABLE posts; --" ON "id); DROP TABLE posts; --" ("back\slash");`,
    'CREATE INDEX "ix (paren)" ON "id); DROP TABLE posts; --" ("paren(s)", "order""; --");',
    R`CREATE INDEX "ix partial 'x'" ON "id); DROP TABLE posts; --" ("x /* y */ -- z") WHERE "$$" IS NOT NULL AND "x /* y */ -- z" <> 'it''s';`,
    R`CREATE TABLE "café ""日本"" 🚀" ("ïd 🔑" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "naïve ""é""" varchar(40) NOT NULL DEFAULT 'çà 日本 🚀', "classic$1" integer, CONSTRAINT "fk /* 日本 */ $$" FOREIGN KEY ("classic$1") REFERENCES "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --") ON DELETE SET NULL ON UPDATE NO ACTION);`,
    'CREATE INDEX "ix 日本 🚀" ON "café ""日本"" 🚀" ("naïve ""é""", "classic$1");',
    R`INSERT INTO "migrator_version" ("version_num") VALUES ('a1b1c1d1e1f1');`,
  ],
  postgres: [
    R`CREATE TYPE "mood""; DROP TYPE x; --" AS ENUM ('it''s', 'a"b', 'x); DROP TABLE posts; --', '$1 $$', 'back\slash', '日本 🚀', 'order');`,
    R`CREATE TABLE "order" ("select" serial NOT NULL, "group" character varying(60) NOT NULL DEFAULT 'it''s; DROP TABLE x; --', "user" character varying(60) NOT NULL, "a""b" text, CONSTRAINT "pk ""order""; DROP TABLE keep; --" PRIMARY KEY ("select"), CONSTRAINT "uq 'user'; DROP TABLE posts; --" UNIQUE ("user"));`,
    R`COMMENT ON COLUMN "order"."group" IS 'it''s; DROP TABLE keep; -- /* $1 $$ \ 日本 🚀';`,
    'CREATE UNIQUE INDEX "IDX_fb1dd57d8b9cd993643076b70c" ON "order" ("group", "user");',
    R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" integer NOT NULL, "it's" text NOT NULL DEFAULT 'C:\dir\$1 $$ /* -- */', "back\slash" character varying(20), "$1" integer NOT NULL DEFAULT '0', "$$" integer, "paren(s)" integer, "x /* y */ -- z" text, "mood" "mood""; DROP TYPE x; --" NOT NULL DEFAULT 'it''s', "order""; --" integer, CONSTRAINT "pk'); DROP TABLE keep; --" PRIMARY KEY ("id); DROP TABLE posts; --"), CONSTRAINT "ck ""$1""; DROP TABLE posts; --" CHECK ("$1" >= 0), CONSTRAINT "fk ""order""; DROP TABLE posts; --" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE NO ACTION);`,
    R`COMMENT ON COLUMN "id); DROP TABLE posts; --"."it's" IS 'a "quoted" comment';`,
    'CREATE UNIQUE INDEX "IDX_a6c2d1fd766fa4d96bed2a576a" ON "id); DROP TABLE posts; --" ("$1", "$$");',
    R`CREATE INDEX "ix ""classic""; DROP TABLE posts; --" ON "id); DROP TABLE posts; --" ("back\slash");`,
    'CREATE INDEX "ix (paren)" ON "id); DROP TABLE posts; --" ("paren(s)", "order""; --");',
    R`CREATE INDEX "ix partial 'x'" ON "id); DROP TABLE posts; --" ("x /* y */ -- z") WHERE "$$" IS NOT NULL AND "x /* y */ -- z" <> 'it''s';`,
    R`CREATE TABLE "café ""日本"" 🚀" ("ïd 🔑" serial NOT NULL, "naïve ""é""" character varying(40) NOT NULL DEFAULT 'çà 日本 🚀', "classic$1" integer, CONSTRAINT "pk é 日本 🚀" PRIMARY KEY ("ïd 🔑"), CONSTRAINT "fk /* 日本 */ $$" FOREIGN KEY ("classic$1") REFERENCES "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --") ON DELETE SET NULL ON UPDATE NO ACTION);`,
    'CREATE INDEX "ix 日本 🚀" ON "café ""日本"" 🚀" ("naïve ""é""", "classic$1");',
    R`INSERT INTO "migrator_version" ("version_num") VALUES ('a1b1c1d1e1f1');`,
  ],
};

/** The history row offline SQL writes with a revision: timed by the database when the script runs. */
function offlineHistoryRow(dialect: Dialect, p: TempProject, revision: string): string {
  // Named `{date}_{rev}_{slug}.ts` when generated, `{rev}_{slug}.ts` when written by hand.
  const file = p.versionFiles().find((f) => f.startsWith(`${revision}_`) || f.includes(`_${revision}_`))!;
  return offlineHistory(dialect).row(revision, readFileSync(p.path('versions', file), 'utf8'));
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: hostile names in TypeORM entities`, () => {
    let p: TempProject;
    let target: Target;
    let db: TestDatabase | undefined;

    before(async () => {
      p = newProject(`migrator-hostile-${dialect}-`);
      if (dialect === 'postgres') {
        db = await createTestDatabase('migrator_hostile');
        target = pgTarget(db);
      } else {
        target = sqliteTarget(p);
      }
      p.writeConfig({ database: target.url });
      p.writeEntity('hostile', entities(dialect, 1));
      await target.exec(`${KEEP_TABLES[dialect]}\n${KEEP_ROWS}`);
    });

    after(async () => {
      await db?.drop();
    });

    const atBase = async (): Promise<void> => {
      assert.deepEqual(await target.tables(), ['keep', 'migrator_history', 'migrator_version', 'posts']);
      assert.deepEqual(await target.query('SELECT version_num FROM migrator_version'), []);
      await assertKept(target);
    };
    /** At the first revision; `rebuilt`: SQLite has rebuilt tables since, which may list their constraints in another order. */
    const atFirst = async (rebuilt = false): Promise<void> => {
      assert.deepEqual(await target.tables(), ['café "日本" 🚀', 'id); DROP TABLE posts; --', 'keep', 'migrator_history', 'migrator_version', 'order', 'posts']);
      const catalog = await target.catalog();
      if (rebuilt) assert.deepEqual(definitionsSorted(catalog), definitionsSorted(EXPECTED_V1[dialect]), dump(catalog));
      else assert.deepEqual(catalog, EXPECTED_V1[dialect], dump(catalog));
      assert.deepEqual(await target.query('SELECT version_num FROM migrator_version'), [{ version_num: REV1 }]);
      await assertKept(target);
    };
    const checkClean = (): void => {
      const check = p.run(['check']);
      assert.equal(check.status, 0, explain(check, 'to exit 0'));
      assert.match(check.stdout, /^No changes detected/m, explain(check, 'to find no changes'));
    };

    test('makemigrations writes a revision file that gives back every name as the models give it; heads reads it', async () => {
      const r = p.ok(['makemigrations', '-m', MESSAGE, '--rev-id', REV1]);
      const file = generatedFile(r);
      assert.equal(undated(file), `versions/${REV1}_${SLUG}.ts`);
      const source = p.read(file);
      assert.ok(source.startsWith(`/**\n * it's *\\/ DROP TABLE posts; -- $1 $$ \\ "日本" 🚀\n *\n * Revision ID: ${REV1}\n`), source);
      assert.deepEqual(typeErrors(p.path(file)), [], source);
      const up = await recordedCalls(p.path(file), 'upgrade');
      const down = await recordedCalls(p.path(file), 'downgrade');
      assert.deepEqual(
        up.map((c) => c.slice(0, 2)),
        [
          ...(dialect === 'postgres' ? [['createEnum', 'mood"; DROP TYPE x; --']] : []),
          ['createTable', 'order'],
          ['createIndex', 'order'],
          ['createTable', 'id); DROP TABLE posts; --'],
          ['createIndex', 'id); DROP TABLE posts; --'],
          ['createIndex', 'id); DROP TABLE posts; --'],
          ['createIndex', 'id); DROP TABLE posts; --'],
          ['createIndex', 'id); DROP TABLE posts; --'],
          ['createTable', 'café "日本" 🚀'],
          ['createIndex', 'café "日本" 🚀'],
        ],
      );
      const carried = strings(up);
      assert.deepEqual(REVISION_STRINGS[dialect].filter((s) => !carried.has(s)), [], 'strings the revision does not give back');
      assert.deepEqual(down, [
        ['dropIndex', 'café "日本" 🚀', 'ix 日本 🚀'],
        ['dropTable', 'café "日本" 🚀'],
        ['dropIndex', 'id); DROP TABLE posts; --', "ix partial 'x'"],
        ['dropIndex', 'id); DROP TABLE posts; --', 'ix (paren)'],
        ['dropIndex', 'id); DROP TABLE posts; --', 'ix "classic"; DROP TABLE posts; --'],
        ['dropIndex', 'id); DROP TABLE posts; --', 'IDX_a6c2d1fd766fa4d96bed2a576a'],
        ['dropTable', 'id); DROP TABLE posts; --'],
        ['dropIndex', 'order', 'IDX_fb1dd57d8b9cd993643076b70c'],
        ['dropTable', 'order'],
        ...(dialect === 'postgres' ? [['dropEnum', 'mood"; DROP TYPE x; --']] : []),
      ]);
      const heads = p.ok(['heads']);
      assert.equal(heads.stdout, `${REV1} (head, base)  it's */ DROP TABLE posts; -- $1 $$ \\ "日本" 🚀\n`);
    });

    test('migrate builds exactly what the models say; posts and keep keep their rows', async () => {
      p.ok(['migrate']);
      await atFirst();
    });

    test('sqlmigrate prints the revision with every name quoted; check finds nothing to do', () => {
      const sql = p.ok(['sqlmigrate', REV1]).stdout;
      assert.deepEqual(transactions(sql), [[...OFFLINE_V1[dialect], offlineHistoryRow(dialect, p, REV1)]], sql);
      checkClean();
    });

    test('downgrade base leaves posts and keep alone; migrate again builds the same catalog', async () => {
      p.ok(['downgrade', 'base']);
      await atBase();
      p.ok(['migrate']);
      await atFirst();
      checkClean();
    });

    test('upgrade --sql, with no database, prints every name quoted; the script run by hand builds the same catalog', async () => {
      const r = p.ok(['upgrade', '--sql', `base:${REV1}`, ...(dialect === 'postgres' ? ['--database', NOWHERE] : [])]);
      assert.equal(r.stderr, '', explain(r, 'to print nothing on stderr'));
      assert.ok(r.stdout.includes(`\n-- it's */ DROP TABLE posts; -- $1 $$ \\ "日本" 🚀\nBEGIN;\n`), r.stdout);
      assert.deepEqual(transactions(r.stdout), [[...OFFLINE_V1[dialect], offlineHistoryRow(dialect, p, REV1)]], r.stdout);
      p.ok(['downgrade', 'base']);
      await atBase();
      await target.exec(r.stdout);
      await atFirst();
      checkClean();
    });

    test('a second revision alters defaults, a comment, enum values, constraints, an index and a type over rows; downgrade -1 restores the first catalog', async () => {
      await target.exec(R`INSERT INTO "order" ("user", "a""b") VALUES ('u1', NULL);
INSERT INTO "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --", "order""; --", "mood") VALUES (5, 1, 'x); DROP TABLE posts; --');
INSERT INTO "café ""日本"" 🚀" ("classic$1") VALUES (5);`);
      const rows = async (ab: string | null): Promise<void> => {
        assert.deepEqual(await target.query(R`SELECT "select", "group", "user", "a""b" AS ab FROM "order"`), [{ select: 1, group: "it's; DROP TABLE x; --", user: 'u1', ab }]);
        assert.deepEqual(await target.query(R`SELECT "id); DROP TABLE posts; --" AS id, "it's" AS its, "$1" AS d1, "mood", "order""; --" AS o FROM "id); DROP TABLE posts; --"`), [
          { id: 5, its: R`C:\dir\$1 $$ /* -- */`, d1: 0, mood: 'x); DROP TABLE posts; --', o: 1 },
        ]);
        assert.deepEqual(await target.query(R`SELECT "ïd 🔑" AS id, "naïve ""é""" AS naive, "classic$1" AS c FROM "café ""日本"" 🚀"`), [{ id: 1, naive: 'çà 日本 🚀', c: 5 }]);
        await assertKept(target);
      };
      await rows(null);

      p.writeEntity('hostile', entities(dialect, 2));
      p.ok(['makemigrations', '-m', 'second', '--rev-id', REV2]);
      p.ok(['migrate']);
      const v2 = await target.catalog();
      assert.deepEqual(v2, EXPECTED_V2[dialect], dump(v2));
      await rows(`a"b'c`);
      checkClean();

      p.ok(['downgrade', '-1']);
      await atFirst(dialect === 'sqlite');
      await rows(`a"b'c`);
      p.ok(['downgrade', 'base']);
      await atBase();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The same kind of names in a Prisma schema: @@map and @map, map: of keys, uniques, indexes and
// foreign keys, enum values and the enum type's @@map, string defaults.

/** SQLite takes no map: for primary keys and foreign keys (Prisma's rule): there they are left out. */
function prismaSchema(dialect: Dialect): string {
  const pg = dialect === 'postgres';
  return `datasource db {
  provider = "${pg ? 'postgresql' : 'sqlite'}"
}

enum Mood {
  happy @map("it's; DROP TYPE x; --")
  sad   @map("a\\"b")
  odd   @map("日本 🚀 $$ \\\\")

  @@map("mood \\"p\\"; DROP TYPE x; --")
}

model Post {
  id    Int    @id
  title String

  @@map("posts")
}

model Keep {
  id   Int    @id
  note String

  @@map("keep")
}

model Order {
  id    Int    @id @default(autoincrement()) @map("select")
  group String @default("it's; DROP TABLE x; --") @map("group")
  user  String @unique(map: "uq 'user'; DROP TABLE posts; --") @map("user")
  mood  Mood   @default(happy)
  items Item[]

  @@unique([group, user], map: "uq (group, user) /* x */")
  @@map("order")
}

model Item {
  id      Int     @id${pg ? `(map: "pk'); DROP TABLE keep; --")` : ''} @map("id); DROP TABLE posts; --")
  orderId Int     @map("order\\"; --")
  note    String? @map("back\\\\slash $1 $$")
  label   String  @default("C:\\\\dir\\\\ $1 $$ /* -- */") @map("日本 🚀")
  order   Order   @relation(fields: [orderId], references: [id]${pg ? ', map: "fk \\"order\\"; DROP TABLE posts; --"' : ''}, onDelete: Cascade)

  @@index([note, orderId], map: "ix \\"item\\"; DROP TABLE posts; --")
  @@index([label])
  @@map("id); DROP TABLE posts; --")
}
`;
}

/** posts and keep as Prisma lays them out (on SQLite an Int @id is INTEGER PRIMARY KEY AUTOINCREMENT). */
const PRISMA_KEEP_TABLES: Record<Dialect, string> = {
  sqlite: `CREATE TABLE "posts" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL);
CREATE TABLE "keep" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "note" TEXT NOT NULL);`,
  postgres: KEEP_TABLES.postgres,
};

const PRISMA_EXPECTED: Record<Dialect, Catalog> = {
  sqlite: {
    tables: {
      'id); DROP TABLE posts; --': {
        sql: R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "order""; --" INTEGER NOT NULL, "back\slash $1 $$" TEXT, "日本 🚀" TEXT NOT NULL DEFAULT 'C:\dir\ $1 $$ /* -- */', CONSTRAINT "id); DROP TABLE posts; --_order""; --_fkey" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE CASCADE)`,
        columns: [
          ['id); DROP TABLE posts; --', 'INTEGER', 'NOT NULL', null, 1],
          ['order"; --', 'INTEGER', 'NOT NULL', null, 0],
          [R`back\slash $1 $$`, 'TEXT', 'NULL', null, 0],
          ['日本 🚀', 'TEXT', 'NOT NULL', R`'C:\dir\ $1 $$ /* -- */'`, 0],
        ],
        indexes: [
          ['id); DROP TABLE posts; --_日本 🚀_idx', '', 'c', ['日本 🚀']],
          ['ix "item"; DROP TABLE posts; --', '', 'c', [R`back\slash $1 $$`, 'order"; --']],
        ],
        foreignKeys: [[['order"; --'], 'order', ['select'], 'ON DELETE CASCADE']],
      },
      keep: {
        sql: 'CREATE TABLE "keep" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "note" TEXT NOT NULL)',
        columns: [['id', 'INTEGER', 'NOT NULL', null, 1], ['note', 'TEXT', 'NOT NULL', null, 0]],
        indexes: [],
        foreignKeys: [],
      },
      order: {
        sql: R`CREATE TABLE "order" ("select" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "group" TEXT NOT NULL DEFAULT 'it''s; DROP TABLE x; --', "user" TEXT NOT NULL, "mood" TEXT NOT NULL DEFAULT 'it''s; DROP TYPE x; --')`,
        columns: [
          ['select', 'INTEGER', 'NOT NULL', null, 1],
          ['group', 'TEXT', 'NOT NULL', "'it''s; DROP TABLE x; --'", 0],
          ['user', 'TEXT', 'NOT NULL', null, 0],
          ['mood', 'TEXT', 'NOT NULL', "'it''s; DROP TYPE x; --'", 0],
        ],
        indexes: [["uq 'user'; DROP TABLE posts; --", 'UNIQUE', 'c', ['user']], ['uq (group, user) /* x */', 'UNIQUE', 'c', ['group', 'user']]],
        foreignKeys: [],
      },
      posts: {
        sql: 'CREATE TABLE "posts" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL)',
        columns: [['id', 'INTEGER', 'NOT NULL', null, 1], ['title', 'TEXT', 'NOT NULL', null, 0]],
        indexes: [],
        foreignKeys: [],
      },
    },
    indexSql: [
      'CREATE INDEX "id); DROP TABLE posts; --_日本 🚀_idx" ON "id); DROP TABLE posts; --" ("日本 🚀")',
      R`CREATE INDEX "ix ""item""; DROP TABLE posts; --" ON "id); DROP TABLE posts; --" ("back\slash $1 $$", "order""; --")`,
      R`CREATE UNIQUE INDEX "uq 'user'; DROP TABLE posts; --" ON "order" ("user")`,
      'CREATE UNIQUE INDEX "uq (group, user) /* x */" ON "order" ("group", "user")',
    ],
  },
  postgres: {
    tables: {
      'id); DROP TABLE posts; --': {
        comment: null,
        columns: [
          ['id); DROP TABLE posts; --', 'integer', 'NOT NULL', null, null],
          ['order"; --', 'integer', 'NOT NULL', null, null],
          [R`back\slash $1 $$`, 'text', 'NULL', null, null],
          ['日本 🚀', 'text', 'NOT NULL', R`'C:\dir\ $1 $$ /* -- */'::text`, null],
        ],
        constraints: [
          ['f', 'fk "order"; DROP TABLE posts; --', 'FOREIGN KEY ("order""; --") REFERENCES "order"("select") ON UPDATE CASCADE ON DELETE CASCADE'],
          ['p', "pk'); DROP TABLE keep; --", 'PRIMARY KEY ("id); DROP TABLE posts; --")'],
        ],
        indexes: [
          'CREATE INDEX "id); DROP TABLE posts; --_日本 🚀_idx" ON public."id); DROP TABLE posts; --" USING btree ("日本 🚀")',
          R`CREATE INDEX "ix ""item""; DROP TABLE posts; --" ON public."id); DROP TABLE posts; --" USING btree ("back\slash $1 $$", "order""; --")`,
          R`CREATE UNIQUE INDEX "pk'); DROP TABLE keep; --" ON public."id); DROP TABLE posts; --" USING btree ("id); DROP TABLE posts; --")`,
        ],
      },
      keep: {
        comment: null,
        columns: [['id', 'integer', 'NOT NULL', null, null], ['note', 'text', 'NOT NULL', null, null]],
        constraints: [['p', 'keep_pkey', 'PRIMARY KEY (id)']],
        indexes: ['CREATE UNIQUE INDEX keep_pkey ON public.keep USING btree (id)'],
      },
      order: {
        comment: null,
        columns: [
          ['select', 'integer', 'NOT NULL', "nextval('order_select_seq'::regclass)", null],
          ['group', 'text', 'NOT NULL', "'it''s; DROP TABLE x; --'::text", null],
          ['user', 'text', 'NOT NULL', null, null],
          ['mood', '"mood ""p""; DROP TYPE x; --"', 'NOT NULL', R`'it''s; DROP TYPE x; --'::"mood ""p""; DROP TYPE x; --"`, null],
        ],
        constraints: [['p', 'order_pkey', 'PRIMARY KEY ("select")']],
        indexes: [
          R`CREATE UNIQUE INDEX "uq 'user'; DROP TABLE posts; --" ON public."order" USING btree ("user")`,
          'CREATE UNIQUE INDEX "uq (group, user) /* x */" ON public."order" USING btree ("group", "user")',
          'CREATE UNIQUE INDEX order_pkey ON public."order" USING btree ("select")',
        ],
      },
      posts: {
        comment: null,
        columns: [['id', 'integer', 'NOT NULL', null, null], ['title', 'text', 'NOT NULL', null, null]],
        constraints: [['p', 'posts_pkey', 'PRIMARY KEY (id)']],
        indexes: ['CREATE UNIQUE INDEX posts_pkey ON public.posts USING btree (id)'],
      },
    },
    enums: {
      'mood "p"; DROP TYPE x; --': ["it's; DROP TYPE x; --", 'a"b', '日本 🚀 $$ \\'],
    },
  },
};

const PRISMA_OFFLINE: Record<Dialect, string[]> = {
  sqlite: [
    R`CREATE TABLE "order" ("select" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "group" TEXT NOT NULL DEFAULT 'it''s; DROP TABLE x; --', "user" TEXT NOT NULL, "mood" TEXT NOT NULL DEFAULT 'it''s; DROP TYPE x; --');`,
    R`CREATE UNIQUE INDEX "uq 'user'; DROP TABLE posts; --" ON "order" ("user");`,
    'CREATE UNIQUE INDEX "uq (group, user) /* x */" ON "order" ("group", "user");',
    R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "order""; --" INTEGER NOT NULL, "back\slash $1 $$" TEXT, "日本 🚀" TEXT NOT NULL DEFAULT 'C:\dir\ $1 $$ /* -- */', CONSTRAINT "id); DROP TABLE posts; --_order""; --_fkey" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE CASCADE);`,
    'CREATE INDEX "id); DROP TABLE posts; --_日本 🚀_idx" ON "id); DROP TABLE posts; --" ("日本 🚀");',
    R`CREATE INDEX "ix ""item""; DROP TABLE posts; --" ON "id); DROP TABLE posts; --" ("back\slash $1 $$", "order""; --");`,
    R`INSERT INTO "migrator_version" ("version_num") VALUES ('b1c1d1e1f1a1');`,
  ],
  postgres: [
    R`CREATE TYPE "mood ""p""; DROP TYPE x; --" AS ENUM ('it''s; DROP TYPE x; --', 'a"b', '日本 🚀 $$ \');`,
    R`CREATE TABLE "order" ("select" serial NOT NULL, "group" text NOT NULL DEFAULT 'it''s; DROP TABLE x; --', "user" text NOT NULL, "mood" "mood ""p""; DROP TYPE x; --" NOT NULL DEFAULT 'it''s; DROP TYPE x; --', CONSTRAINT "order_pkey" PRIMARY KEY ("select"));`,
    R`CREATE UNIQUE INDEX "uq 'user'; DROP TABLE posts; --" ON "order" ("user");`,
    'CREATE UNIQUE INDEX "uq (group, user) /* x */" ON "order" ("group", "user");',
    R`CREATE TABLE "id); DROP TABLE posts; --" ("id); DROP TABLE posts; --" integer NOT NULL, "order""; --" integer NOT NULL, "back\slash $1 $$" text, "日本 🚀" text NOT NULL DEFAULT 'C:\dir\ $1 $$ /* -- */', CONSTRAINT "pk'); DROP TABLE keep; --" PRIMARY KEY ("id); DROP TABLE posts; --"), CONSTRAINT "fk ""order""; DROP TABLE posts; --" FOREIGN KEY ("order""; --") REFERENCES "order" ("select") ON DELETE CASCADE ON UPDATE CASCADE);`,
    'CREATE INDEX "id); DROP TABLE posts; --_日本 🚀_idx" ON "id); DROP TABLE posts; --" ("日本 🚀");',
    R`CREATE INDEX "ix ""item""; DROP TABLE posts; --" ON "id); DROP TABLE posts; --" ("back\slash $1 $$", "order""; --");`,
    R`INSERT INTO "migrator_version" ("version_num") VALUES ('b1c1d1e1f1a1');`,
  ],
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: hostile names in a Prisma schema`, () => {
    let p: TempProject;
    let target: Target;
    let db: TestDatabase | undefined;
    const REV = 'b1c1d1e1f1a1';

    before(async () => {
      p = newProject(`migrator-hostile-prisma-${dialect}-`);
      if (dialect === 'postgres') {
        db = await createTestDatabase('migrator_hostile_prisma');
        target = pgTarget(db);
      } else {
        target = sqliteTarget(p);
      }
      p.writeConfig({ database: target.url, models: ['prisma/*.prisma'] });
      p.write('prisma/schema.prisma', prismaSchema(dialect));
      await target.exec(`${PRISMA_KEEP_TABLES[dialect]}\n${KEEP_ROWS}`);
    });

    after(async () => {
      await db?.drop();
    });

    const atFirst = async (): Promise<void> => {
      assert.deepEqual(await target.tables(), ['id); DROP TABLE posts; --', 'keep', 'migrator_history', 'migrator_version', 'order', 'posts']);
      const catalog = await target.catalog();
      assert.deepEqual(catalog, PRISMA_EXPECTED[dialect], dump(catalog));
      await assertKept(target);
    };

    test('makemigrations → migrate: exactly what the schema says; the revision file reads back; check finds nothing to do', async () => {
      const file = generatedFile(p.ok(['makemigrations', '-m', MESSAGE, '--rev-id', REV]));
      const up = await recordedCalls(p.path(file), 'upgrade');
      assert.deepEqual(
        up.map((c) => c.slice(0, 2)),
        [
          ...(dialect === 'postgres' ? [['createEnum', 'mood "p"; DROP TYPE x; --']] : []),
          ['createTable', 'order'],
          ['createIndex', 'order'],
          ['createIndex', 'order'],
          ['createTable', 'id); DROP TABLE posts; --'],
          ['createIndex', 'id); DROP TABLE posts; --'],
          ['createIndex', 'id); DROP TABLE posts; --'],
        ],
      );
      p.ok(['migrate']);
      await atFirst();
      const check = p.run(['check']);
      assert.equal(check.status, 0, explain(check, 'to exit 0'));
      assert.match(check.stdout, /^No changes detected/m, explain(check, 'to find no changes'));
    });

    test('sqlmigrate prints every name quoted; downgrade base leaves posts and keep; migrate again', async () => {
      const sql = p.ok(['sqlmigrate', REV]).stdout;
      assert.deepEqual(transactions(sql), [[...PRISMA_OFFLINE[dialect], offlineHistoryRow(dialect, p, REV)]], sql);
      p.ok(['downgrade', 'base']);
      assert.deepEqual(await target.tables(), ['keep', 'migrator_history', 'migrator_version', 'posts']);
      await assertKept(target);
      p.ok(['migrate']);
      await atFirst();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// An enum whose type name needs quoting goes to varchar as one with a plain name does.

const MOODS = (version: 1 | 2): string => `import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('moods')
export class Moods {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column(${version === 1 ? `{ type: 'enum', enum: ["it's", 'b'], enumName: 'plain_mood', default: "it's" }` : `{ type: 'varchar', length: 60, default: "it's" }`})
  plain!: string;

  @Column(${version === 1 ? `{ type: 'enum', enum: ["it's", 'b'], enumName: ${L('mood"; DROP TYPE x; --')}, default: "it's" }` : `{ type: 'varchar', length: 60, default: "it's" }`})
  odd!: string;
}
`;

describe('postgres: an enum column whose type name needs quoting becomes varchar, keeping its default', () => {
  let p: TempProject;
  let db: TestDatabase;
  const FIRST = 'c1d1e1f1a1b1';
  const SECOND = 'c2d2e2f2a2b2';

  before(async () => {
    db = await createTestDatabase('migrator_hostile_enum');
    p = newProject('migrator-hostile-enum-');
    p.writeConfig({ database: db.url });
    p.writeEntity('moods', MOODS(1));
  });

  after(async () => {
    await db?.drop();
  });

  const columns = async (): Promise<unknown> => ((await pgCatalog(db)).tables as Record<string, { columns: unknown }>).moods.columns;
  const enums = async (): Promise<unknown> => (await pgCatalog(db)).enums;

  test('makemigrations writes the same change for both columns; migrate, check and downgrade -1 work', async () => {
    p.ok(['makemigrations', '-m', 'moods', '--rev-id', FIRST]);
    p.ok(['migrate']);
    await db.query(`INSERT INTO moods (id, plain, odd) VALUES (1, 'b', 'b'), (2, DEFAULT, DEFAULT)`);
    const enumColumns = [
      ['id', 'integer', 'NOT NULL', null, null],
      ['plain', 'plain_mood', 'NOT NULL', "'it''s'::plain_mood", null],
      ['odd', '"mood""; DROP TYPE x; --"', 'NOT NULL', R`'it''s'::"mood""; DROP TYPE x; --"`, null],
    ];
    assert.deepEqual(await columns(), enumColumns);

    p.writeEntity('moods', MOODS(2));
    const file = generatedFile(p.ok(['makemigrations', '-m', 'moods as text', '--rev-id', SECOND]));
    assert.deepEqual(await recordedCalls(p.path(file), 'upgrade'), [
      ['alterColumn', 'moods', 'plain', { type: 'character varying(60)' }],
      ['alterColumn', 'moods', 'odd', { type: 'character varying(60)' }],
      ['dropEnum', 'mood"; DROP TYPE x; --'],
      ['dropEnum', 'plain_mood'],
    ]);
    const up = p.run(['migrate']);
    assert.equal(up.status, 0, explain(up, 'to exit 0'));
    assert.deepEqual(await columns(), [
      ['id', 'integer', 'NOT NULL', null, null],
      ['plain', 'character varying(60)', 'NOT NULL', "'it''s'::character varying", null],
      ['odd', 'character varying(60)', 'NOT NULL', "'it''s'::character varying", null],
    ]);
    assert.deepEqual(await enums(), {});
    assert.deepEqual(await db.query('SELECT id, plain, odd FROM moods ORDER BY id'), [
      { id: 1, plain: 'b', odd: 'b' },
      { id: 2, plain: "it's", odd: "it's" },
    ]);
    const check = p.run(['check']);
    assert.equal(check.status, 0, explain(check, 'to exit 0'));

    const down = p.run(['downgrade', '-1']);
    assert.equal(down.status, 0, explain(down, 'to exit 0'));
    assert.deepEqual(await columns(), enumColumns);
    assert.deepEqual(await enums(), { 'mood"; DROP TYPE x; --': ["it's", 'b'], plain_mood: ["it's", 'b'] });
  });
});

// ---------------------------------------------------------------------------------------------
// Offline scripts print a revision's message, and on SQLite the check before a rebuild, as `--`
// comment lines: what ends such a line in the database's own reading must not end it early.

describe('offline scripts keep a message and a name inside their comment lines', () => {
  test('postgres: a message holding a carriage return (PostgreSQL ends a -- comment there)', async () => {
    const db = await createTestDatabase('migrator_hostile_message');
    try {
      const p = newProject('migrator-hostile-message-');
      p.writeConfig({ database: db.url });
      p.writeEntity('none', `export const nothing = 0;\n`);
      await db.query(`${KEEP_TABLES.postgres}\n${KEEP_ROWS}`);
      p.ok(['revision', '-m', 'note\rDROP TABLE posts; --', '--rev-id', 'd1e1f1a1b1c1']);
      const script = p.ok(['upgrade', '--sql', 'base:head', '--database', NOWHERE]).stdout;
      await db.query(script);
      await assertKept(pgTarget(db));
      assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: 'd1e1f1a1b1c1' }]);
    } finally {
      await db.drop();
    }
  });

  test('sqlite: a column name holding a line break, in the check before a rebuild', async () => {
    const p = newProject('migrator-hostile-newline-');
    p.writeConfig();
    const target = sqliteTarget(p);
    await target.exec(`${KEEP_TABLES.sqlite}\n${KEEP_ROWS}`);
    p.write('versions/e1f1a1b1c1d1_t.ts', handWritten('e1f1a1b1c1d1', null, `await op.createTable('t', { columns: [{ name: ${L('x\nDROP TABLE posts; --')}, type: 'text', nullable: true }] });`));
    p.write('versions/e2f2a2b2c2d2_t.ts', handWritten('e2f2a2b2c2d2', 'e1f1a1b1c1d1', `await op.alterColumn('t', ${L('x\nDROP TABLE posts; --')}, { nullable: false });`));
    const script = p.ok(['upgrade', '--sql', 'base:head']).stdout;
    await target.exec(script);
    await assertKept(target);
    assert.deepEqual(await target.query('SELECT version_num FROM migrator_version'), [{ version_num: 'e2f2a2b2c2d2' }]);
  });
});

// ---------------------------------------------------------------------------------------------
// SQLite: a change made in place, then a rebuild of the same table in one revision. The rebuild
// starts from the table's CREATE TABLE as the change left it: what the revision did not touch
// stays as written.

describe('sqlite: a change in place, then a rebuild of the same table in the same revision', () => {
  const setUp = async (create: string, rows: string, body: string): Promise<{ p: TempProject; target: Target }> => {
    const p = newProject('migrator-hostile-follow-');
    p.writeConfig();
    const target = sqliteTarget(p);
    p.write('versions/f1a1b1c1d1e1_create.ts', handWritten('f1a1b1c1d1e1', null, `await op.execute(${L(create)});`));
    p.write('versions/f2a2b2c2d2e2_change.ts', handWritten('f2a2b2c2d2e2', 'f1a1b1c1d1e1', body));
    p.ok(['upgrade', 'f1a1b1c1d1e1']);
    await target.exec(rows);
    p.ok(['migrate']);
    return { p, target };
  };
  const stored = async (target: Target, table: string): Promise<unknown> => (await target.query(`SELECT sql FROM sqlite_master WHERE name = '${table}'`))[0]?.sql;

  test('dropping "a" beside a column "x""a" of the same type leaves "x" as written', async () => {
    const { target } = await setUp(
      R`CREATE TABLE "t" ("id" integer PRIMARY KEY, "x" integer CHECK ("x" > 0), "x""a" text, "a" text, "c" text)`,
      R`INSERT INTO "t" VALUES (1, 5, 'xa', 'a', NULL)`,
      `await op.dropColumn('t', 'a');\n  await op.alterColumn('t', 'c', { nullable: false, default: "'c'" });`,
    );
    assert.equal(await stored(target, 't'), R`CREATE TABLE "t" ("id" integer PRIMARY KEY, "x" integer CHECK ("x" > 0), "x""a" text, "c" text NOT NULL DEFAULT 'c')`);
    assert.deepEqual(await target.query(R`SELECT "id", "x", "x""a" AS xa, "c", typeof("x") AS tx FROM "t"`), [{ id: 1, x: 5, xa: 'xa', c: 'c', tx: 'integer' }]);
  });

  test('renaming columns "text" (also a type), "order" (also a table it references) and "id" (referenced by itself), then a rebuild', async () => {
    const { target } = await setUp(
      R`CREATE TABLE "order" ("id" integer PRIMARY KEY);
CREATE TABLE "user" ("id" integer PRIMARY KEY, "user" text COLLATE NOCASE, "text" text, "order" integer REFERENCES "order" ("id"), "boss" integer REFERENCES "user" ("id"), "c" text);
CREATE INDEX "ix_user" ON "user" ("user", "text") WHERE "text" IS NOT NULL`,
      R`INSERT INTO "order" VALUES (3); INSERT INTO "user" VALUES (1, 'U', 'hello', 3, NULL, NULL), (2, 'V', 'w', 3, 1, 'c')`,
      `await op.renameColumn('user', 'text', 'body');\n  await op.renameColumn('user', 'order', 'order_id');\n  await op.renameColumn('user', 'id', 'key');\n  await op.alterColumn('user', 'c', { nullable: false, default: "'x'" });`,
    );
    assert.equal(
      await stored(target, 'user'),
      R`CREATE TABLE "user" ("key" integer PRIMARY KEY, "user" text COLLATE NOCASE, "body" text, "order_id" integer REFERENCES "order" ("id"), "boss" integer REFERENCES "user" ("key"), "c" text NOT NULL DEFAULT 'x')`,
    );
    assert.equal(await stored(target, 'ix_user'), R`CREATE INDEX "ix_user" ON "user" ("user", "body") WHERE "body" IS NOT NULL`);
    assert.deepEqual(await target.query(R`SELECT "key", "user", "body", typeof("body") AS t, "order_id", "boss", "c" FROM "user" ORDER BY "key"`), [
      { key: 1, user: 'U', body: 'hello', t: 'text', order_id: 3, boss: null, c: 'x' },
      { key: 2, user: 'V', body: 'w', t: 'text', order_id: 3, boss: 1, c: 'c' },
    ]);
    assert.deepEqual(await target.query('PRAGMA foreign_key_check'), []);
  });

  test('renaming table "user", which has an indexed column "user", then a rebuild', async () => {
    const { target } = await setUp(
      R`CREATE TABLE "user" ("id" integer PRIMARY KEY, "user" text, "c" text);
CREATE INDEX "ix_user" ON "user" ("user")`,
      R`INSERT INTO "user" VALUES (1, 'U', NULL)`,
      `await op.renameTable('user', 'users');\n  await op.alterColumn('users', 'c', { nullable: false, default: "'x'" });`,
    );
    assert.equal(await stored(target, 'users'), R`CREATE TABLE "users" ("id" integer PRIMARY KEY, "user" text, "c" text NOT NULL DEFAULT 'x')`);
    assert.equal(await stored(target, 'ix_user'), R`CREATE INDEX "ix_user" ON "users" ("user")`);
    assert.deepEqual(await target.query(R`SELECT "id", "user", "c" FROM "users"`), [{ id: 1, user: 'U', c: 'x' }]);
  });
});
