/**
 * Helpers for the tests that run one body on SQLite, PostgreSQL and MySQL/MariaDB (graph-cli,
 * history, dialect-cycle, dialect-concurrency, dialect-typeorm-compat, dialect-faults): throw-away
 * projects with several version folders and hand-written revision files, run through the built
 * CLI, and each database read back — the version table, the tables, any SELECT, and the catalog.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { TestDatabase } from '../support/pg.ts';
import type { TestMysqlDatabase } from '../support/mysql.ts';
import { readMysqlCatalog, mysqlCatalogLines } from '../support/mysql-catalog.ts';
import { readPgCatalog } from '../support/pg-catalog.ts';
import { readSqliteShapes } from '../support/sqlite-catalog.ts';

// `node --test` run from a terminal sets FORCE_COLOR=1 for test files, and children inherit it;
// the tests read the CLI's output through pipes, where it has no colour unless forced.
delete process.env.FORCE_COLOR;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

if (!existsSync(CLI)) {
  throw new Error(`${CLI} does not exist; build first: cd ${ROOT} && npx tsc -p tsconfig.json`);
}

export interface Run {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}

export const explain = (r: Run, expectation: string): string =>
  `expected \`migrator ${r.args.join(' ')}\` ${expectation}; it exited ${r.status}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;

/** Where a project's database lives, and how to read it back. */
export interface Backend {
  name: 'sqlite' | 'postgres' | 'mysql';
  url(dir: string): string;
  /** Empties the database before a test. */
  reset(dir: string): Promise<void>;
  /** The version table's rows, sorted; none when the table does not exist. */
  rows(dir: string): Promise<string[]>;
  /** User tables, sorted, leaving out the version table. */
  tables(dir: string): Promise<string[]>;
  /** Runs one statement on the project's database (on SQLite with foreign keys enforced); its rows, if any. */
  query<T = Record<string, unknown>>(dir: string, sql: string): Promise<T[]>;
  /** An identifier quoted for the dialect: "name" on SQLite and PostgreSQL, `name` on MySQL. */
  quote(name: string): string;
  /**
   * The user tables (not migrator's own) as the database's catalog describes them, one sorted
   * line per table, column, index, key and check — on PostgreSQL also per enum type and sequence —
   * each starting with its table's name: two moments compare with deepEqual. Columns go by name,
   * not position: a column a downgrade gives back comes last, as in Alembic.
   */
  catalog(dir: string): Promise<string[]>;
}

const sortedLines = (xs: string[]): string[] => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function sqliteRead<T>(dir: string, body: (db: Database.Database) => T, empty: T): T {
  const file = path.join(dir, 'app.db');
  if (!existsSync(file)) return empty;
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    return body(db);
  } finally {
    db.close();
  }
}

export const sqlite: Backend = {
  name: 'sqlite',
  url: () => 'sqlite:./app.db',
  async reset(dir) {
    rmSync(path.join(dir, 'app.db'), { force: true });
  },
  async rows(dir) {
    return sqliteRead(
      dir,
      (db) => {
        const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrator_version'").get();
        if (!exists) return [];
        return (db.prepare('SELECT version_num FROM migrator_version ORDER BY version_num').all() as { version_num: string }[]).map((r) => r.version_num);
      },
      [],
    );
  },
  async tables(dir) {
    return sqliteRead(
      dir,
      (db) =>
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ('migrator_version', 'migrator_history') ORDER BY name").all() as { name: string }[]).map(
          (r) => r.name,
        ),
      [],
    );
  },
  async query<T>(dir: string, sql: string) {
    const db = new Database(path.join(dir, 'app.db'));
    try {
      db.pragma('foreign_keys = ON');
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all() as T[];
      statement.run();
      return [];
    } finally {
      db.close();
    }
  },
  quote: (name) => `"${name.replace(/"/g, '""')}"`,
  async catalog(dir) {
    const file = path.join(dir, 'app.db');
    if (!existsSync(file)) return [];
    const out: string[] = [];
    for (const [t, shape] of readSqliteShapes(file)) {
      out.push(`${t}: table${shape.autoincrement ? ' AUTOINCREMENT' : ''}`);
      for (const c of shape.columns) {
        out.push(`${t}: column ${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ''}${c.pk ? ` PRIMARY KEY ${c.pk}` : ''}`);
      }
      for (const f of shape.foreignKeys) out.push(`${t}: foreign key ${f.from} -> ${f.table}.${f.to} ON DELETE ${f.on_delete} ON UPDATE ${f.on_update}`);
      for (const i of shape.indexes) out.push(`${t}: index ${i.name}${i.unique ? ' UNIQUE' : ''} (${i.columns.join(', ')})${i.where !== null ? ` WHERE ${i.where}` : ''}`);
      for (const u of shape.uniques) out.push(`${t}: unique (${u.join(', ')})`);
      for (const k of shape.checks) out.push(`${t}: check ${k}`);
      for (const n of shape.constraintNames) out.push(`${t}: constraint ${n}`);
    }
    return sortedLines(out);
  },
};

/** PostgreSQL: one test database for the file; every test starts from an empty `public` schema. */
export function postgres(database: () => TestDatabase): Backend {
  return {
    name: 'postgres',
    url: () => database().url,
    async reset() {
      const tables = await database().query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      for (const t of tables) await database().query(`DROP TABLE IF EXISTS public."${t.tablename.replace(/"/g, '""')}" CASCADE`);
    },
    async rows() {
      const [{ exists }] = await database().query<{ exists: string | null }>("SELECT to_regclass('public.migrator_version')::text AS exists");
      if (!exists) return [];
      return (await database().query<{ version_num: string }>('SELECT version_num FROM migrator_version ORDER BY version_num')).map((r) => r.version_num);
    },
    async tables() {
      const rows = await database().query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrator_version', 'migrator_history') ORDER BY tablename",
      );
      return rows.map((r) => r.tablename);
    },
    query: (_dir, sql) => database().query(sql),
    quote: (name) => `"${name.replace(/"/g, '""')}"`,
    async catalog() {
      const c = await readPgCatalog(database());
      const out: string[] = [];
      for (const e of c.enums) out.push(`enum ${e.name}: ${e.labels.join(', ')}`);
      for (const e of c.extensions) out.push(`extension ${e}`);
      for (const [t, shape] of c.tables) {
        out.push(`${t}: table${shape.comment !== null ? ` -- ${shape.comment}` : ''}`);
        for (const col of shape.columns) {
          out.push(`${t}: column ${col.name} ${col.type}${col.notnull ? ' NOT NULL' : ''}${col.default !== null ? ` DEFAULT ${col.default}` : ''}${col.identity ? ` IDENTITY(${col.identity})` : ''}`);
        }
        for (const k of shape.constraints) out.push(`${t}: constraint ${k.type} ${k.name}: ${k.def}`);
        for (const i of shape.indexes) out.push(`${t}: index ${i.def}`);
      }
      const sequences = await database().query<{ name: string }>(
        "SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'S' AND c.relname NOT LIKE 'migrator\\_%'",
      );
      for (const q of sequences) out.push(`sequence ${q.name}`);
      return sortedLines(out);
    },
  };
}

/** MySQL/MariaDB: one test database for the file; every test starts from an empty database. */
export function mysql(database: () => TestMysqlDatabase): Backend {
  const userTables = "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";
  return {
    name: 'mysql',
    url: () => database().url,
    async reset() {
      const tables = await database().query<{ name: string }>(userTables);
      if (tables.length) await database().query(`SET FOREIGN_KEY_CHECKS = 0; DROP TABLE ${tables.map((t) => `\`${t.name.replace(/`/g, '``')}\``).join(', ')}; SET FOREIGN_KEY_CHECKS = 1`);
    },
    async rows() {
      const exists = await database().query(`${userTables} AND TABLE_NAME = 'migrator_version'`);
      if (!exists.length) return [];
      return (await database().query<{ version_num: string }>('SELECT version_num FROM migrator_version ORDER BY version_num')).map((r) => r.version_num);
    },
    async tables() {
      const rows = await database().query<{ name: string }>(`${userTables} AND TABLE_NAME NOT IN ('migrator_version', 'migrator_history') ORDER BY TABLE_NAME`);
      return rows.map((r) => r.name);
    },
    query: (_dir, sql) => database().query(sql),
    quote: (name) => `\`${name.replace(/`/g, '``')}\``,
    async catalog() {
      const { byTable } = mysqlCatalogLines(await readMysqlCatalog(database()));
      const out: string[] = [];
      for (const [t, text] of byTable) out.push(`${t}: table`, ...text.split('\n').filter((l) => l !== '').map((l) => `${t}: ${l}`));
      return sortedLines(out);
    },
  };
}

export interface RevisionSpec {
  id: string;
  down?: string | string[] | null;
  labels?: string[];
  dependsOn?: string[];
  message: string;
  /** A table the revision creates (and its downgrade drops). */
  table?: string;
  /** Calls the upgrade makes after that, each awaited in turn: `op.addColumn('t', { … })`. */
  upgrade?: string[];
}

const literal = (v: string | string[] | null | undefined): string =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? 'null' : Array.isArray(v) ? `[${v.map((x) => `'${x}'`).join(', ')}]` : `'${v}'`;

/** A hand-written revision file in the README's format. */
export function revisionSource(spec: RevisionSpec): string {
  const up =
    (spec.table ? `  await op.execute('CREATE TABLE ${spec.table} (id integer PRIMARY KEY)');\n` : '') + (spec.upgrade ?? []).map((call) => `  await ${call};\n`).join('');
  const down = spec.table ? `  await op.execute('DROP TABLE ${spec.table}');\n` : '';
  return `/**
 * ${spec.message}
 *
 * Revision ID: ${spec.id}
 */
import type { Operations } from 'migrator';

export const revision = '${spec.id}';
export const downRevision: string | string[] | null = ${literal(spec.down)};
export const branchLabels: string[] | null = ${literal(spec.labels)};
export const dependsOn: string[] | null = ${literal(spec.dependsOn)};

export async function upgrade(op: Operations): Promise<void> {
${up}}

export async function downgrade(op: Operations): Promise<void> {
${down}}
`;
}

/** A throw-away project: `migrator.config.ts` with versions ['core', 'crm'], on a backend. */
export class GraphProject {
  readonly dir: string;

  constructor(readonly backend: Backend) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `migrator-graph-${backend.name}-`));
    mkdirSync(path.join(this.dir, 'core'));
    mkdirSync(path.join(this.dir, 'crm'));
    this.write('migrator.config.ts', `export default { database: ${JSON.stringify(backend.url(this.dir))}, versions: ['core', 'crm'] };\n`);
  }

  write(rel: string, content: string): string {
    const file = path.join(this.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  remove(rel: string): void {
    rmSync(path.join(this.dir, rel), { force: true });
  }

  read(rel: string): string {
    return readFileSync(path.join(this.dir, rel), 'utf8');
  }

  /** Writes `<folder>/<id>_<table or message>.ts`. */
  revision(folder: 'core' | 'crm', spec: RevisionSpec): string {
    return this.write(path.join(folder, `${spec.id}_${(spec.table ?? spec.message).replace(/\W+/g, '_')}.ts`), revisionSource(spec));
  }

  files(folder: string): string[] {
    const d = path.join(this.dir, folder);
    return existsSync(d) ? readdirSync(d).sort() : [];
  }

  run(...args: string[]): Run {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: this.dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 });
    if (r.error) throw r.error;
    return { args, status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  ok(...args: string[]): Run {
    const r = this.run(...args);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    return r;
  }

  /** Runs a command that must fail as a user error: exit 2, one line `error: …`, no stack trace. */
  fails(...args: string[]): string {
    const r = this.run(...args);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 1, explain(r, 'to print exactly one line on stderr'));
    assert.match(lines[0], /^error: \S/, explain(r, 'to print `error: …`'));
    return lines[0];
  }

  json<T = unknown>(...args: string[]): T {
    const r = this.ok(...args);
    try {
      return JSON.parse(r.stdout) as T;
    } catch (error) {
      assert.fail(`\`migrator ${args.join(' ')}\` printed no valid JSON (${(error as Error).message}):\n${r.stdout}`);
    }
  }

  rows(): Promise<string[]> {
    return this.backend.rows(this.dir);
  }

  tables(): Promise<string[]> {
    return this.backend.tables(this.dir);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Non-empty lines of a command's output. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/**
 * The version-table statements of offline SQL, replayed on a set of rows starting at `start`:
 * each UPDATE and DELETE must match exactly one row and each INSERT a new one, as online.
 */
export function replayVersionSql(sql: string, start: readonly string[]): string[] {
  const rows = new Set(start);
  const q = '["`]?';
  const table = `${q}migrator_version${q}`;
  for (const line of lines(sql)) {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^INSERT INTO ${table} \\(${q}version_num${q}\\) VALUES \\('([^']+)'\\)`).exec(line))) {
      assert.ok(!rows.has(m[1]), `offline SQL inserts ${m[1]} twice:\n${sql}`);
      rows.add(m[1]);
    } else if ((m = new RegExp(`^DELETE FROM ${table} WHERE ${q}version_num${q} = '([^']+)'`).exec(line))) {
      assert.ok(rows.delete(m[1]), `offline SQL deletes ${m[1]}, which is not a row then:\n${sql}`);
    } else if ((m = new RegExp(`^UPDATE ${table} SET ${q}version_num${q} = '([^']+)' WHERE ${q}version_num${q} = '([^']+)'`).exec(line))) {
      assert.ok(rows.delete(m[2]), `offline SQL updates ${m[2]}, which is not a row then:\n${sql}`);
      assert.ok(!rows.has(m[1]), `offline SQL updates to ${m[1]}, which is already a row:\n${sql}`);
      rows.add(m[1]);
    } else if (/migrator_version/.test(line) && !/^CREATE TABLE/.test(line) && !/^DELETE FROM ["`]?migrator_version["`]?;?$/.test(line)) {
      assert.fail(`a version-table statement the test does not understand: ${line}`);
    }
  }
  return [...rows].sort();
}
