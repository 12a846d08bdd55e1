/**
 * Shared helpers for the end-to-end CLI tests: throw-away project folders, running the built
 * CLI (`dist/cli/main.js`) in them, and reading their SQLite database directly.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

// `node --test` run from a terminal sets FORCE_COLOR=1 for test files, and children inherit it;
// the tests read the CLI's output through pipes, where it has no colour unless forced.
delete process.env.FORCE_COLOR;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

if (!existsSync(CLI)) {
  throw new Error(`${CLI} does not exist; build first: cd ${ROOT} && npx tsc -p tsconfig.json`);
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  /** `migrator <args>`, for assertion messages. */
  command: string;
}

export interface ConfigOptions {
  database?: string;
  models?: string[];
  versions?: string;
  templates?: string;
}

/** The usual config: `sqlite:./app.db`, models in entities/, revisions in versions/. */
export function configSource(options: ConfigOptions = {}): string {
  const o = { database: 'sqlite:./app.db', models: ['entities/*.ts'], versions: 'versions', ...options };
  const lines = [
    `  database: ${JSON.stringify(o.database)},`,
    `  models: ${JSON.stringify(o.models)},`,
    `  versions: ${JSON.stringify(o.versions)},`,
    ...(o.templates ? [`  templates: ${JSON.stringify(o.templates)},`] : []),
  ];
  return `import { defineConfig } from 'migrator';\n\nexport default defineConfig({\n${lines.join('\n')}\n});\n`;
}

/**
 * The `{date}_` that starts a generated revision file's name under the default fileTemplate
 * (`{date}_{rev}_{slug}`), as regular-expression source: `20261201_231736_`.
 */
/**
 * A small entity file (`Item`: an id and a name), for tests about anything but the models; its
 * decorators come from `<pkg>/decorators`.
 */
export const itemEntity = (pkg = 'migrator'): string => `import { Column, Entity, PrimaryGeneratedColumn } from '${pkg}/decorators';

@Entity()
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40 })
  name!: string;
}
`;

export const DATED = String.raw`\d{8}_\d{6}_`;

/** A generated revision file's path without the `{date}_` of its name, which it must have. */
export function undated(file: string): string {
  const m = new RegExp(`(^|[\\\\/])${DATED}([^\\\\/]+)$`).exec(file);
  assert.ok(m, `${file} should be named {date}_{rev}_{slug}.ts`);
  return `${file.slice(0, m.index)}${m[1]}${m[2]}`;
}

export type Row = Record<string, unknown>;

/** A description of a database's user tables through PRAGMAs, for before/after comparisons. */
export interface TableShape {
  columns: Row[];
  indexes: { name: string; unique: number; origin: string; partial: number; columns: string[] }[];
  foreignKeys: Row[];
}

export class TempProject {
  readonly dir: string;
  /** What cleanup removes: `dir`, or the temporary folder it was made in. */
  private readonly root: string;

  /** A new empty folder; with `folder`, one of exactly that name inside a new temporary folder. */
  constructor(prefix = 'migrator-e2e-', folder?: string) {
    this.root = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dir = folder === undefined ? this.root : path.join(this.root, folder);
    mkdirSync(this.dir, { recursive: true });
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  write(rel: string, content: string): string {
    const file = this.path(rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }

  remove(rel: string): void {
    rmSync(this.path(rel), { force: true, recursive: true });
  }

  writeConfig(options: ConfigOptions = {}): void {
    this.write('migrator.config.ts', configSource(options));
  }

  /** Writes `entities/<name>.ts`. */
  writeEntity(name: string, source: string): void {
    this.write(path.join('entities', `${name}.ts`), source);
  }

  /** File names in versions/, sorted. */
  versionFiles(dir = 'versions'): string[] {
    const d = this.path(dir);
    return existsSync(d) ? readdirSync(d).filter((f) => !f.startsWith('.')).sort() : [];
  }

  /** Runs the CLI in the project folder, with DATABASE_URL cleared unless `env` sets it. */
  run(args: string[], env: Record<string, string> = {}): RunResult {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', ...env },
      timeout: 120_000,
    });
    if (r.error) throw r.error;
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, command: `migrator ${args.join(' ')}` };
  }

  /** Runs the CLI and asserts it exited 0. */
  ok(args: string[], env: Record<string, string> = {}): RunResult {
    const r = this.run(args, env);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    return r;
  }

  /** Opens the project's database (default app.db), runs `body`, closes it. */
  withDb<T>(body: (db: Database.Database) => T, file = 'app.db'): T {
    const f = this.path(file);
    assert.ok(existsSync(f), `database ${f} should exist`);
    const db = new Database(f, { fileMustExist: true });
    try {
      db.pragma('foreign_keys = ON');
      return body(db);
    } finally {
      db.close();
    }
  }

  query(sql: string, params: unknown[] = [], file = 'app.db'): Row[] {
    return this.withDb((db) => db.prepare(sql).all(...params) as Row[], file);
  }

  exec(sql: string, file = 'app.db'): void {
    this.withDb((db) => db.exec(sql), file);
  }

  /** User table names (no sqlite_* internals), sorted. */
  tables(file = 'app.db'): string[] {
    return this.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", [], file).map(
      (r) => r.name as string,
    );
  }

  /** The version table's rows, sorted. */
  versions(file = 'app.db'): string[] {
    return this.query('SELECT version_num FROM migrator_version ORDER BY version_num', [], file).map((r) => r.version_num as string);
  }

  /** Columns, indexes and foreign keys of every user table, by PRAGMA. */
  schema(file = 'app.db'): Record<string, TableShape> {
    return this.withDb((db) => {
      const out: Record<string, TableShape> = {};
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as Row[]).map(
        (r) => r.name as string,
      );
      for (const t of names) {
        const indexes = (db.prepare('SELECT * FROM pragma_index_list(?)').all(t) as Row[])
          .map((i) => ({
            name: i.name as string,
            unique: i.unique as number,
            origin: i.origin as string,
            partial: i.partial as number,
            columns: (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(i.name) as Row[]).map((c) => c.name as string),
          }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        out[t] = {
          columns: db.prepare('SELECT * FROM pragma_table_info(?)').all(t) as Row[],
          indexes,
          foreignKeys: db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(t) as Row[],
        };
      }
      return out;
    }, file);
  }

  /** Everything in the database: schema SQL and every row of every table, for "unchanged" checks. */
  dump(file = 'app.db'): string {
    return this.withDb((db) => {
      const master = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all() as Row[];
      const rows: Record<string, Row[]> = {};
      for (const m of master) {
        if (m.type !== 'table') continue;
        const name = m.name as string;
        rows[name] = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" ORDER BY rowid`).all() as Row[];
      }
      return JSON.stringify({ master, rows });
    }, file);
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A schema with each table's columns sorted by name and without `cid`: column position is not
 * part of the schema a migration restores (a re-added column goes to the end, as in Alembic).
 */
export function ignoringColumnOrder(schema: Record<string, TableShape>): Record<string, TableShape> {
  const out: Record<string, TableShape> = {};
  for (const [name, t] of Object.entries(schema)) {
    out[name] = {
      ...t,
      columns: t.columns
        .map(({ cid: _cid, ...rest }) => rest)
        .sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1)),
    };
  }
  return out;
}

/** A factory of temporary projects, all removed after the calling test file. */
export function projects(): (prefix?: string, folder?: string) => TempProject {
  const made: TempProject[] = [];
  after(() => {
    for (const p of made) p.cleanup();
  });
  return (prefix?: string, folder?: string) => {
    const p = new TempProject(prefix, folder);
    made.push(p);
    return p;
  };
}

/**
 * Revision `i` of a linear chain whose ids `id` gives: `body` as its upgrade, dropping table
 * `t<i>` as its downgrade.
 */
export function chainRevision(id: (i: number) => string, i: number, body: string): string {
  return `import type { Operations } from 'migrator';

export const revision = '${id(i)}';
export const downRevision: string | string[] | null = ${i === 0 ? 'null' : `'${id(i - 1)}'`};

export async function upgrade(op: Operations): Promise<void> {
${body}
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('t${i}');
}
`;
}

/** mulberry32: a tiny deterministic PRNG (numbers in [0, 1)), so that every run of a test kills at the same moments. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A readable description of a run, for assertion messages. */
export function explain(r: RunResult, expectation: string): string {
  return `expected \`${r.command}\` ${expectation}; it exited ${r.status}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

/**
 * Asserts the CLI failed the way a user error should: exit 2, stderr starting with `error: `, and
 * no stack trace. With `oneLine`, stderr must be exactly that one line.
 */
export function assertUserError(r: RunResult, options: { oneLine?: boolean } = {}): string {
  assert.equal(r.status, 2, explain(r, 'to exit 2'));
  assert.match(r.stderr, /^error: \S/, explain(r, 'to print `error: …` on stderr'));
  assert.ok(!r.stderr.includes('    at '), explain(r, 'to print no stack trace'));
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  if (options.oneLine ?? true) {
    assert.equal(lines.length, 1, explain(r, 'to print exactly one line on stderr'));
  }
  return lines[0];
}

/** The revision id in the `Generated versions/<id>_<slug>.ts` line of makemigrations/revision/merge. */
export function generatedFile(r: RunResult): string {
  const m = /^Generated (\S+\.ts)$/m.exec(r.stdout);
  assert.ok(m, explain(r, 'to print `Generated <file>`'));
  return m[1];
}

/** `export const revision = '…'` of a revision file's source. */
export function revisionIdOf(source: string): string {
  const m = /^export const revision = '([^']+)';$/m.exec(source);
  assert.ok(m, `no \`export const revision = '…';\` line in:\n${source}`);
  return m[1];
}

/** The right-hand side of `export const downRevision… = …;` in a revision file's source. */
export function downRevisionOf(source: string): string {
  const m = /^export const downRevision\b[^=]*=\s*(.*?);$/m.exec(source);
  assert.ok(m, `no \`export const downRevision … = …;\` line in:\n${source}`);
  return m[1];
}

/** A hand-written revision file running raw SQL up and down. */
export function sqlRevision(id: string, down: string | string[] | null, message: string, up: string[], downSql: string[]): string {
  const lit = down === null ? 'null' : Array.isArray(down) ? `[${down.map((d) => `'${d}'`).join(', ')}]` : `'${down}'`;
  const body = (sqls: string[]): string => sqls.map((s) => `  await op.execute(${JSON.stringify(s)});`).join('\n');
  return `/**
 * ${message}
 */
import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${lit};

export async function upgrade(op: Operations): Promise<void> {
${body(up)}
}

export async function downgrade(op: Operations): Promise<void> {
${body(downSql)}
}
`;
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * What offline SQL writes for the history table on each dialect: the table, and the row of a
 * step whose revision file holds `source` (timed by the database when the script runs).
 */
export function offlineHistory(dialect: 'sqlite' | 'postgres'): { create: string; row(revision: string, source: string, direction?: string): string } {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const now = dialect === 'postgres' ? 'clock_timestamp()' : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  return {
    create:
      `CREATE TABLE IF NOT EXISTS "migrator_history" ("id" integer NOT NULL, "revision" varchar(32) NOT NULL, "direction" varchar(6) NOT NULL, "checksum" varchar(64), ` +
      `"started_at" ${time} NOT NULL, "finished_at" ${time} NOT NULL, "duration_ms" bigint, "applied_by" varchar(255) NOT NULL, "host" varchar(255) NOT NULL, ` +
      `"tool_version" varchar(32) NOT NULL, CONSTRAINT "migrator_history_pkc" PRIMARY KEY ("id"));`,
    row: (revision, source, direction = 'up') =>
      'INSERT INTO "migrator_history" ("id", "revision", "direction", "checksum", "started_at", "finished_at", "duration_ms", "applied_by", "host", "tool_version") ' +
      `SELECT COALESCE(MAX("id"), 0) + 1, '${revision}', '${direction}', '${createHash('sha256').update(source.replace(/\r\n?/g, '\n')).digest('hex')}', ${now}, ${now}, NULL, 'sql script', '-', '${PACKAGE_VERSION}' FROM "migrator_history";`,
  };
}
