/** migrator.config.ts: its shape, loading (no build step) and validation. */
import { dialectOfUrl, schemaTargetTitles } from '../dialects/index.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MigratorError, messageOf } from '../errors.js';
import { importModule } from '../loader.js';
import { loadEnvFile } from './env.js';
import { checkFileTemplate, DEFAULT_FILE_TEMPLATE } from '../script/names.js';
import type { TableFilter } from '../diff/tables.js';

export interface MigratorConfig {
  /** `sqlite:./dev.db`, `sqlite::memory:` or `postgres://user@host:5432/db`. */
  database?: string;
  /**
   * The models: globs of `.ts` entity files and `.prisma` schemas (or folders of them), and/or
   * `{ typeorm: 'src/data-source.ts' }` — a TypeORM DataSource file whose entities TypeORM itself
   * reads (nothing is connected to or synchronised).
   */
  models?: ModelEntry | ModelEntry[];
  /**
   * A TypeORM naming strategy (any object with TypeORM's NamingStrategyInterface methods, e.g.
   * `new SnakeNamingStrategy()`), used for entity classes as TypeORM would use it.
   */
  namingStrategy?: object;
  /** The folder of revision files, or several. Default `versions`. */
  versions?: string | string[];
  /** A folder whose templates (`revision.ts.hbs`) override the built-in ones. */
  templates?: string;
  /**
   * How revision files are named, without `.ts`: `{date}` (UTC, `20261201_231736`), `{rev}`
   * (required) and `{slug}` (the message). Default `{date}_{rev}_{slug}`.
   */
  fileTemplate?: string;
  /**
   * Commands run on each revision file written, with its path appended, e.g. `['prettier --write']`;
   * run without a shell from the config's folder. Default: none.
   */
  postWrite?: string[];
  /** The table that records the applied heads. Default `migrator_version`. */
  versionTable?: string;
  /**
   * The table that logs every step run (revision, direction, checksum, times, who). Default: the
   * version table's name with `_version` replaced by `_history` (`migrator_history`).
   */
  historyTable?: string;
  /** Run all revisions of a migrate in one transaction instead of one per revision. */
  singleTransaction?: boolean;
  /**
   * How long a run waits for another run's lock before giving up, naming the holder: `'60s'`
   * (the default), `'500ms'`, `'2min'`; `0` gives up at once.
   */
  lockWait?: Duration;
  /**
   * How long a statement may wait for a table lock (PostgreSQL `lock_timeout`) before its revision
   * is rolled back and retried: default `'5s'`; `0` waits without bound.
   */
  lockTimeout?: Duration;
  /** How long a statement may run (PostgreSQL `statement_timeout`); default `0`, no bound. */
  statementTimeout?: Duration;
  /** How many times a revision that timed out waiting for a lock is retried; default 3. */
  lockRetries?: number;
  /**
   * Whether autogenerate writes the online forms for tables that already exist, where the
   * database has them (PostgreSQL): indexes built and dropped CONCURRENTLY, foreign keys and
   * checks added NOT VALID and validated apart, NOT NULL set through a validated check. Default
   * true; new tables always get the plain forms.
   */
  onlineDdl?: boolean;
  /**
   * The tables migrator manages, as globs over table names (`audit_*`, or schema-qualified
   * `public.spatial_ref_sys`): a table not included, or excluded, is never created, altered,
   * dropped or reported by `check`.
   */
  tables?: TableFilter;
  /**
   * A fleet of databases that `--all` runs one history over, each target under its own lock:
   * URLs, `{ name?, url, schemas?, schemasQuery? }` (a PostgreSQL URL with `schemas` or
   * `schemasQuery` is one target per schema, each with its own version and history tables), or
   * an async function returning such a list.
   */
  targets?: TargetEntry[] | (() => TargetEntry[] | Promise<TargetEntry[]>);
}

/** One `targets` entry: a URL, or a URL with a name and, on PostgreSQL, the schemas in it. */
export type TargetEntry =
  | string
  | {
      /** What output calls the target (default: the URL, password masked; `/schema` added). */
      name?: string;
      url: string;
      /** Schemas in the database, one target each (schema per tenant). */
      schemas?: string[];
      /** A query whose rows' first column names the schemas, read when the run starts. */
      schemasQuery?: string;
    };

/** A length of time: a number with a unit (`'5s'`, `'500ms'`, `'2min'`, `'1h'`), or `0`. */
export type Duration = string | 0;

/** One `models` entry: a glob, or a TypeORM DataSource file. */
export type ModelEntry = string | { typeorm: string };

/**
 * A `models` glob as the config wrote it, and the folder it is matched from. The folder is a path,
 * never read as a glob: a project in `app (copy)` or `[v2]` finds its models as anywhere else.
 */
export interface ModelGlob {
  /** As written (relative to `dir`, or absolute): what messages show. */
  glob: string;
  /** The config file's folder. */
  dir: string;
}

/** Declares a config with type checking; returns it unchanged. */
export function defineConfig(config: MigratorConfig): MigratorConfig {
  return config;
}

export interface ResolvedConfig {
  /** The config file, when there is one. */
  file?: string;
  /** The folder relative paths resolve from. */
  dir: string;
  /** The database URL: `--database`, else the config's `database`, else DATABASE_URL. */
  database?: string;
  /** The folder a relative SQLite path in `database` resolves from. */
  databaseBase: string;
  /** The model globs, each with the folder it is matched from. */
  models: ModelGlob[];
  /** Absolute paths of TypeORM DataSource files whose entities TypeORM reads. */
  dataSources: string[];
  namingStrategy?: object;
  /** Absolute version folders; the first is where new revisions go by default. */
  versions: string[];
  /** Absolute templates folder, when configured. */
  templates?: string;
  /** How revision files are named; see MigratorConfig. */
  fileTemplate: string;
  /** Commands run on each revision file written. */
  postWrite: string[];
  versionTable: string;
  historyTable: string;
  singleTransaction?: boolean;
  /** Milliseconds; see MigratorConfig. */
  lockWait: number;
  lockTimeout: number;
  statementTimeout: number;
  lockRetries: number;
  onlineDdl: boolean;
  /** The `tables` filter, when configured. */
  tables?: TableFilter;
  /** The `targets` of `--all`, as validated (a function is called when a run asks for them). */
  targets?: TargetEntry[] | (() => TargetEntry[] | Promise<TargetEntry[]>);
  /**
   * The PostgreSQL schema this project's database is used in (a fleet target): set as the
   * search_path right after connecting, and the run lock's key is derived from it.
   */
  schema?: string;
}

export const CONFIG_NAMES = ['migrator.config.ts', 'migrator.config.mts', 'migrator.config.js', 'migrator.config.mjs'];

export interface LoadConfigOptions {
  cwd: string;
  /** `--config`: a config file, relative to cwd. */
  config?: string;
  /** `--database`: overrides the config's database. */
  database?: string;
  env?: NodeJS.ProcessEnv;
}

function findConfig(cwd: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function stringList(value: unknown, key: string, file: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  throw new MigratorError(`${file}: "${key}" must be a string or a non-empty array of strings`);
}

function optionalString(value: unknown, key: string, file: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.length > 0) return value;
  throw new MigratorError(`${file}: "${key}" must be a non-empty string`);
}

/** `postWrite`: a command, or a list of them (empty for none). */
function commandList(value: unknown, file: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v.trim().length > 0)) {
    throw new MigratorError(`${file}: "postWrite" must be an array of commands, e.g. ['prettier --write']; each is run with the revision file's path appended`);
  }
  return list as string[];
}

const KNOWN_KEYS = new Set(['database', 'models', 'versions', 'templates', 'fileTemplate', 'postWrite', 'versionTable', 'historyTable', 'singleTransaction', 'namingStrategy', 'lockWait', 'lockTimeout', 'statementTimeout', 'lockRetries', 'onlineDdl', 'tables', 'targets']);

const MODELS_SHAPE = "a glob, { typeorm: '<DataSource file>' }, or a non-empty array of them";

/** `models`: globs and DataSource files, in the order given. */
function modelEntries(value: unknown, file: string): { globs: string[]; dataSources: string[] } {
  const out = { globs: [] as string[], dataSources: [] as string[] };
  if (value === undefined) return out;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new MigratorError(`${file}: "models" must be ${MODELS_SHAPE}`);
  for (const entry of list) {
    if (typeof entry === 'string' && entry.length > 0) out.globs.push(entry);
    else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const keys = Object.keys(entry);
      const ds = (entry as Record<string, unknown>).typeorm;
      if (keys.length !== 1 || typeof ds !== 'string' || ds.length === 0) {
        throw new MigratorError(`${file}: a "models" entry ${JSON.stringify(entry)} must be a glob or { typeorm: '<DataSource file>' }`);
      }
      out.dataSources.push(ds);
    } else throw new MigratorError(`${file}: "models" must be ${MODELS_SHAPE}`);
  }
  return out;
}

const TABLES_SHAPE = "{ include?: ['<table glob>', …], exclude?: ['<table glob>', …] }";

/** `tables`: include and exclude globs over table names. */
function tableFilter(value: unknown, file: string): TableFilter | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MigratorError(`${file}: "tables" must be ${TABLES_SHAPE}`);
  const out: TableFilter = {};
  for (const [key, globs] of Object.entries(value)) {
    if (key !== 'include' && key !== 'exclude') throw new MigratorError(`${file}: unknown key "${key}" in "tables"; the keys are include and exclude`);
    if (globs === undefined) continue;
    const list = typeof globs === 'string' ? [globs] : globs;
    if (!Array.isArray(list) || !list.every((g) => typeof g === 'string' && g.length > 0)) {
      throw new MigratorError(`${file}: "tables.${key}" must be an array of table-name globs, e.g. ['audit_*', 'public.spatial_ref_sys']`);
    }
    // An empty include list would leave no table at all: surely not meant.
    if (key === 'include' && list.length === 0) throw new MigratorError(`${file}: "tables.include" is empty, which would include no table; list globs, or leave it out to include every table`);
    out[key] = list as string[];
  }
  return out;
}

const TARGET_SHAPE = "a URL, or { name?, url, schemas?: ['<schema>', …], schemasQuery?: 'select …' }";

/** `targets`: a list checked here, or a function whose list is checked when called. */
function targetList(value: unknown, file: string): ResolvedConfig['targets'] {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as () => Promise<TargetEntry[]>;
  return checkTargets(value, file);
}

/** Checks a `targets` list: each entry a URL, or an object of the known keys. */
export function checkTargets(value: unknown, file: string): TargetEntry[] {
  if (!Array.isArray(value)) throw new MigratorError(`${file}: "targets" must be an array (each entry ${TARGET_SHAPE}) or an async function returning one`);
  return value.map((entry, i) => {
    const where = `${file}: "targets[${i}]"`;
    if (typeof entry === 'string') {
      if (!entry) throw new MigratorError(`${where} is an empty URL`);
      return entry;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new MigratorError(`${where} must be ${TARGET_SHAPE}`);
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!['name', 'url', 'schemas', 'schemasQuery'].includes(key)) throw new MigratorError(`${where} has an unknown key "${key}"; the keys are name, url, schemas and schemasQuery`);
    }
    if (typeof e.url !== 'string' || !e.url) throw new MigratorError(`${where} must have a "url"`);
    if (e.name !== undefined && (typeof e.name !== 'string' || !e.name.trim())) throw new MigratorError(`${where}: "name" must be a non-empty string`);
    if (e.schemas !== undefined && !(Array.isArray(e.schemas) && e.schemas.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 63))) {
      throw new MigratorError(`${where}: "schemas" must be an array of schema names (at most 63 characters each)`);
    }
    if (e.schemasQuery !== undefined && (typeof e.schemasQuery !== 'string' || !e.schemasQuery.trim())) throw new MigratorError(`${where}: "schemasQuery" must be a query, e.g. 'select nspname from pg_namespace where nspname like \'tenant_%\''`);
    if (e.schemas !== undefined && e.schemasQuery !== undefined) throw new MigratorError(`${where} has both "schemas" and "schemasQuery"; give one`);
    if ((e.schemas !== undefined || e.schemasQuery !== undefined) && !dialectOfUrl(e.url)?.capabilities.schemaTargets) {
      throw new MigratorError(`${where}: "schemas" and "schemasQuery" are for ${schemaTargetTitles()} URLs`);
    }
    return entry as TargetEntry;
  });
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** A duration in milliseconds, from `'5s'`-style text (or `0`); `where` names it in errors. */
export function parseDuration(value: unknown, where: string): number {
  if (value === 0 || value === '0') return 0;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)\s*$/i.exec(value) : null;
  if (!m) throw new MigratorError(`${where} must be a duration with a unit, like '5s', '500ms' or '2min' (or 0), not ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * UNITS[m[2].toLowerCase()]);
}

function duration(value: unknown, key: string, file: string, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value, `${file}: "${key}"`);
}

/** A naming strategy: an object whose TypeORM naming methods are functions. */
function namingStrategyOf(value: unknown, file: string): object | undefined {
  if (value === undefined) return undefined;
  const methods = ['tableName', 'columnName'];
  if (typeof value !== 'object' || value === null || !methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')) {
    throw new MigratorError(`${file}: "namingStrategy" must be a TypeORM naming strategy object, e.g. new SnakeNamingStrategy() from typeorm-naming-strategies`);
  }
  return value;
}

/** Validates a config object and resolves its paths from `dir`. */
export function resolveConfig(raw: unknown, dir: string, file: string, options: LoadConfigOptions): ResolvedConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MigratorError(`${file}: the default export must be a config object (export default defineConfig({ … }))`);
  }
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!KNOWN_KEYS.has(key)) throw new MigratorError(`${file}: unknown option "${key}"; the options are ${[...KNOWN_KEYS].join(', ')}`);
  }
  const database = optionalString(c.database, 'database', file);
  const versionTable = optionalString(c.versionTable, 'versionTable', file) ?? 'migrator_version';
  if (versionTable.length > 63) throw new MigratorError(`${file}: "versionTable" is longer than 63 characters`);
  const historyTable = optionalString(c.historyTable, 'historyTable', file) ?? `${versionTable.replace(/_version$/, '')}_history`;
  if (historyTable.length > 63) throw new MigratorError(`${file}: "historyTable" is longer than 63 characters`);
  if (historyTable === versionTable) throw new MigratorError(`${file}: "historyTable" and "versionTable" name the same table; give them different names`);
  const env = options.env ?? process.env;
  const fromCli = options.database;
  const url = fromCli ?? database ?? (env.DATABASE_URL || undefined);
  const templates = optionalString(c.templates, 'templates', file);
  const fileTemplate = optionalString(c.fileTemplate, 'fileTemplate', file) ?? DEFAULT_FILE_TEMPLATE;
  checkFileTemplate(fileTemplate, `${file}: "fileTemplate"`);
  const postWrite = commandList(c.postWrite, file);
  const models = modelEntries(c.models, file);
  const naming = namingStrategyOf(c.namingStrategy, file);
  if (c.singleTransaction !== undefined && typeof c.singleTransaction !== 'boolean') throw new MigratorError(`${file}: "singleTransaction" must be true or false`);
  const tables = tableFilter(c.tables, file);
  if (c.onlineDdl !== undefined && typeof c.onlineDdl !== 'boolean') throw new MigratorError(`${file}: "onlineDdl" must be true or false`);
  const lockRetries = c.lockRetries ?? 3;
  if (!Number.isInteger(lockRetries) || (lockRetries as number) < 0) throw new MigratorError(`${file}: "lockRetries" must be a whole number, 0 or more`);
  return {
    file,
    dir,
    database: url,
    // --database and DATABASE_URL are relative to where the command runs; the config's to its folder.
    databaseBase: fromCli !== undefined || database === undefined ? options.cwd : dir,
    models: models.globs.map((glob) => ({ glob, dir })),
    dataSources: models.dataSources.map((f) => path.resolve(dir, f)),
    ...(naming ? { namingStrategy: naming } : {}),
    versions: (stringList(c.versions, 'versions', file) ?? ['versions']).map((v) => path.resolve(dir, v)),
    ...(templates ? { templates: path.resolve(dir, templates) } : {}),
    fileTemplate,
    postWrite,
    versionTable,
    historyTable,
    ...(c.singleTransaction !== undefined ? { singleTransaction: c.singleTransaction as boolean } : {}),
    lockWait: duration(c.lockWait, 'lockWait', file, 60_000),
    lockTimeout: duration(c.lockTimeout, 'lockTimeout', file, 5_000),
    statementTimeout: duration(c.statementTimeout, 'statementTimeout', file, 0),
    lockRetries: lockRetries as number,
    onlineDdl: (c.onlineDdl as boolean | undefined) ?? true,
    ...(tables ? { tables } : {}),
    ...(c.targets !== undefined ? { targets: targetList(c.targets, file) } : {}),
  };
}

/** Finds and loads the config (`--config`, else migrator.config.* in cwd). */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const file = options.config ? path.resolve(options.cwd, options.config) : findConfig(options.cwd);
  if (!file) throw new MigratorError(`no migrator.config.ts in ${options.cwd}; run \`migrator init\` or pass --config <file>`);
  if (!existsSync(file)) throw new MigratorError(`config file ${file} does not exist`);
  // Before the config is loaded: it may read process.env.DATABASE_URL, which .env may set.
  loadEnvFile(path.dirname(file), [process.env, options.env ?? process.env]);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (error) {
    throw new MigratorError(`cannot load config ${file}: ${firstLine(messageOf(error))}`, { cause: error });
  }
  return resolveConfig(await defaultExport(mod, file), path.dirname(file), file, options);
}

/**
 * The config a module exports: a Promise of one is awaited (an async config, as Vite accepts);
 * a function is refused rather than guessed at, since calling it could mean anything.
 */
async function defaultExport(mod: Record<string, unknown>, file: string): Promise<unknown> {
  const raw = 'default' in mod ? mod.default : mod;
  if (typeof raw === 'function') {
    throw new MigratorError(`${file}: the default export is a function; export the config object instead (export default defineConfig({ … })), or call the function (export default makeConfig())`);
  }
  if (!isPromiseLike(raw)) return raw;
  try {
    return await raw;
  } catch (error) {
    throw new MigratorError(`${file}: the Promise of the default export was rejected: ${firstLine(messageOf(error))}`, { cause: error });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim())?.trim() ?? s;
}
