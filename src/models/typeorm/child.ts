/**
 * The child process: loads a project's DataSource file with the project's own TypeORM and
 * reports TypeORM's metadata to migrator (see describe.ts). It is a process of its own because
 * building metadata changes the entity classes, and because a project's files are run here.
 *
 * Nothing is connected to: TypeORM's driver factory gets an empty driver module for every
 * DataSource, so neither `pg` nor `better-sqlite3` is loaded, and `initialize()` does nothing.
 * Started by datasource.ts with the request as its one argument; answers on descriptor 3.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsc } from '../typescript/compiler-api.js';
import { bridgedStrategy, NamingFailed, send } from './bridge.js';
import { ProjectCompiler } from './compile.js';
import { describeDataSource, type BuiltDataSource, type TypeOrmModule } from './describe.js';
import { driverOfType } from '../typescript/drivers/index.js';
import type { ChildFailure, ChildRequest } from './description.js';
import { currentFile, installHooks } from './hooks.js';

interface TypeOrm extends TypeOrmModule {
  DataSource: { prototype: { initialize(): Promise<unknown> } };
  DefaultNamingStrategy: new () => object;
  InstanceChecker?: { isDataSource?(v: unknown): boolean };
  getMetadataArgsStorage(): { tables: unknown[] };
}

interface DataSourceOptions {
  type: string;
  driver?: unknown;
  nativeDriver?: unknown;
  database?: unknown;
}

interface ConstructedDataSource extends BuiltDataSource {
  options: BuiltDataSource['options'] & DataSourceOptions;
  driver: BuiltDataSource['driver'] & { schema?: string; searchSchema?: string };
  buildMetadatas(): Promise<void>;
}

class Failure extends Error {
  constructor(readonly failure: ChildFailure) {
    super(failure.reason);
  }
}

const firstLine = (s: string): string => s.split('\n').find((l) => l.trim())?.trim() ?? s;
const messageOf = (e: unknown): string => firstLine(e instanceof Error ? e.message : String(e));

const ownDir = path.dirname(fileURLToPath(import.meta.url));

/** Where in the project's files an error was thrown: the innermost frame outside packages and migrator. */
function siteOf(error: unknown): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const m of stack.matchAll(/(?:\(|at )((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/gm)) {
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    // A package's source map may point at sources it does not ship: only files on disk count.
    if (!file.split(path.sep).includes('node_modules') && !file.startsWith(ownDir) && existsSync(file)) return `${file}:${m[2]}`;
  }
  return undefined;
}

/**
 * Where the entity TypeORM refused for having no primary column is declared, as `file:line` of its
 * class: TypeORM's error names the class only. The entity is the first one TypeORM's validator
 * finds so (views and junction tables are exempt); undefined when its file is unknown (an
 * EntitySchema).
 */
function missingPrimarySite(ds: ConstructedDataSource, origin: (target: unknown) => [string, number] | undefined): string | undefined {
  const m = (ds.entityMetadatas ?? []).find((x) => x.tableType !== 'view' && !x.isJunction && !x.primaryColumns.length);
  const file = m ? origin(m.target)?.[0] : undefined;
  if (!m || !file) return undefined;
  const sf = tsc.createSourceFile(file, readFileSync(file, 'utf8'), tsc.ScriptTarget.Latest, true);
  const cls = sf.statements.find((st) => tsc.isClassDeclaration(st) && st.name?.text === (m.target as { name?: string }).name);
  // The line of its first decorator, as the entity reader names a class.
  return cls ? `${file}:${sf.getLineAndCharacterOfPosition(cls.getStart(sf)).line + 1}` : file;
}

/**
 * Makes every DataSource the project constructs connection-free: the driver gets an empty module
 * for its database package, and the SQLite family is built as better-sqlite3 (one driver, the
 * same types). `initialize()` resolves without connecting.
 */
function neutralise(typeorm: TypeOrm, root: string, declaredTypes: WeakMap<object, string>): void {
  const { DriverFactory } = createRequire(path.join(root, 'index.js'))('./driver/DriverFactory.js') as {
    DriverFactory: { prototype: { create(ds: { options: DataSourceOptions }): unknown } };
  };
  const create = DriverFactory.prototype.create;
  DriverFactory.prototype.create = function (ds) {
    const family = driverOfType(ds.options.type);
    declaredTypes.set(ds, ds.options.type);
    // Another database's DataSource gets no driver at all: migrator refuses it once it is exported.
    if (!family) return { options: ds.options };
    ds.options = { ...ds.options, driver: {}, ...family.dataSource.buildOptions } as DataSourceOptions;
    return create.call(this, ds);
  };
  typeorm.DataSource.prototype.initialize = function () {
    return Promise.resolve(this);
  };
  // TypeORM loads entity globs with import() in an ES-module package; TypeScript files go
  // through require (and so through the compiler hook) instead.
  try {
    const utils = createRequire(path.join(root, 'index.js'))('./util/ImportUtils.js') as { importOrRequireFile?: (file: string) => Promise<[unknown, string]> };
    const importOrRequire = utils.importOrRequireFile;
    if (importOrRequire) {
      utils.importOrRequireFile = async (file) => (/\.(c|m)?tsx?$/.test(file) ? [createRequire(file)(file), 'commonjs'] : importOrRequire(file));
    }
  } catch {
    // An older TypeORM without ImportUtils requires every file anyway.
  }
}

/** Records which file declares each entity class, and in what order (a decorator runs as its file evaluates). */
function traceOrigins(typeorm: TypeOrm): (target: unknown) => [string, number] | undefined {
  const origins = new Map<unknown, [string, number]>();
  const tables = typeorm.getMetadataArgsStorage().tables;
  let seq = 0;
  const push = tables.push;
  tables.push = function (...items: unknown[]) {
    const file = currentFile();
    for (const item of items) {
      const target = (item as { target?: unknown }).target;
      if (file && target && !origins.has(target)) origins.set(target, [file, seq++]);
    }
    return push.apply(this, items);
  };
  return (target) => origins.get(target);
}

async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (file.endsWith('.mjs')) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  try {
    return createRequire(file)(file) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw error;
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
}

/** The one DataSource the module exports (named or default). */
function exportedDataSource(mod: Record<string, unknown>, typeorm: TypeOrm): ConstructedDataSource {
  const isDataSource = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && (typeorm.InstanceChecker?.isDataSource?.(v) ?? v instanceof (typeorm.DataSource as unknown as new () => object));
  const found = new Map<unknown, string[]>();
  if (isDataSource(mod)) found.set(mod, ['module.exports']);
  else {
    for (const [name, value] of Object.entries(mod)) {
      if (!isDataSource(value)) continue;
      found.set(value, [...(found.get(value) ?? []), name]);
    }
  }
  if (found.size === 0) throw new Failure({ reason: 'no-datasource', exports: Object.keys(mod).filter((k) => k !== '__esModule') });
  if (found.size > 1) throw new Failure({ reason: 'several', exports: [...found.values()].map((names) => names.join(' = ')) });
  return [...found.keys()][0] as ConstructedDataSource;
}

async function run(request: ChildRequest): Promise<void> {
  process.setSourceMapsEnabled(true);
  const compiler = new ProjectCompiler();
  installHooks(compiler);
  const typeorm = createRequire(request.file)(request.typeorm) as TypeOrm;
  const declaredTypes = new WeakMap<object, string>();
  neutralise(typeorm, path.dirname(request.typeorm), declaredTypes);
  const origin = traceOrigins(typeorm);

  let mod: Record<string, unknown>;
  try {
    mod = await loadModule(request.file);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new Failure({ reason: 'load', message: "it uses top-level await, which migrator cannot load (it compiles the project's files to CommonJS); move the await into a function" });
    }
    throw new Failure({ reason: 'load', message: messageOf(error), ...(siteOf(error) ? { at: siteOf(error) } : {}) });
  }
  // Decorators the project defers to the event loop (a feature flag read when the app starts,
  // `setImmediate(() => Column(o)(target, key))`) have run by the time initialize() has connected.
  for (let turn = 0; turn < 2; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ds = exportedDataSource(mod, typeorm);
  const type = declaredTypes.get(ds) ?? ds.options.type;
  const family = driverOfType(type);
  if (family?.name !== request.dialect) throw new Failure({ reason: 'type', type: String(type) });

  if (request.naming) ds.namingStrategy = bridgedStrategy(typeorm.DefaultNamingStrategy, request.naming.methods, request.naming.properties) as ConstructedDataSource['namingStrategy'];
  if (family.dataSource.searchSchema) {
    // What connecting would read from current_schema(); only SQL builders use it.
    ds.driver.searchSchema ??= (ds.options as { schema?: string }).schema ?? 'public';
    ds.driver.schema ??= ds.driver.searchSchema;
  }
  try {
    // What initialize() does after connecting: ConnectionMetadataBuilder + EntityMetadataValidator.
    await ds.buildMetadatas();
  } catch (error) {
    if (error instanceof NamingFailed) throw new Failure({ reason: 'naming' });
    const at = siteOf(error) ?? ((error as Error).name === 'MissingPrimaryColumnError' ? missingPrimarySite(ds, origin) : undefined);
    throw new Failure({ reason: 'build', message: messageOf(error), ...(at ? { at } : {}) });
  }
  if (!ds.entityMetadatas?.length) {
    const given = (ds.options as { entities?: unknown }).entities;
    const globs = Array.isArray(given) ? given.filter((e): e is string => typeof e === 'string') : given && typeof given === 'object' ? Object.values(given).filter((e): e is string => typeof e === 'string') : [];
    throw new Failure({ reason: 'no-entities', entities: globs });
  }
  let description;
  try {
    description = describeDataSource(ds, typeorm, String(type), origin);
  } catch (error) {
    if (error instanceof NamingFailed) throw new Failure({ reason: 'naming' });
    throw error;
  }
  send({ t: 'done', description });
}

function fail(error: unknown): never {
  const failure: ChildFailure = error instanceof Failure ? error.failure : { reason: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  try {
    send({ t: 'fail', failure });
  } finally {
    process.exit(1);
  }
}

// A promise the project's files leave rejected is a load failure, not a crash without a message.
process.on('unhandledRejection', (reason) => fail(new Failure({ reason: 'load', message: messageOf(reason) })));

run(JSON.parse(process.argv[2] ?? '{}') as ChildRequest).then(
  () => process.exit(0),
  (error: unknown) => fail(error),
);
