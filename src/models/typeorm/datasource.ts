/**
 * A TypeORM DataSource file as a model source: the tables the project's own TypeORM would create
 * with `synchronize`, read from TypeORM's metadata — nothing is connected to or synchronised.
 *
 * The file is loaded in a child process (child.ts), with the TypeORM installed where the
 * file is: building metadata changes the entity classes, and the project's code runs there.
 * When the config has a `namingStrategy`, it replaces the DataSource's; TypeORM calls it back
 * here, through a pipe, with the arguments it gives any naming strategy.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigratorError } from '../../errors.js';
import type { Schema } from '../../schema/schema.js';
import { decodeArg, FROM_PARENT_FD, TO_PARENT_FD, type Description, type ChildFailure, type ChildMessage, type ChildRequest, type NamingReply, type WireValue } from './description.js';
import { describedSchema } from './to-schema.js';
import { driverTitles, hasTypeOrmDriver, typeOrmDriver } from '../typescript/drivers/index.js';

export interface DataSourceReadOptions {
  /** The config's naming strategy: replaces the DataSource's own. */
  namingStrategy?: object;
}

/** How long loading a DataSource file may take before it is given up. */
const TIMEOUT_MS = 120_000;
/** How much of the child's stderr is kept for a message. */
const STDERR_LIMIT = 64 * 1024;

const here = fileURLToPath(import.meta.url);

const firstLine = (s: string): string => s.split('\n').find((l) => l.trim())?.trim() ?? s;

/** The methods and plain data of the config's naming strategy, for the child to call back. */
function strategyShape(strategy: object): NonNullable<ChildRequest['naming']> {
  const methods = new Set<string>();
  for (let p: object | null = strategy; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, key)?.value === 'function') methods.add(key);
    }
  }
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(strategy)) {
    if (typeof value === 'function' || value === undefined) continue;
    try {
      properties[key] = JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
      // Not plain data: the child's strategy keeps TypeORM's default for it.
    }
  }
  return { methods: [...methods].sort(), properties };
}

/** The naming-strategy methods that give a name; each must return a non-empty string. */
const NAME_METHODS = new Set([
  'tableName', 'closureJunctionTableName', 'columnName', 'relationName', 'primaryKeyName', 'uniqueConstraintName', 'relationConstraintName',
  'defaultConstraintName', 'foreignKeyName', 'indexName', 'checkConstraintName', 'exclusionConstraintName', 'joinColumnName', 'joinTableName',
  'joinTableColumnDuplicationPrefix', 'joinTableColumnName', 'joinTableInverseColumnName', 'prefixTableName', 'eagerJoinRelationAlias',
]);

/** Answers the child's calls to the config's naming strategy; keeps the first failure to report. */
class NamingAnswerer {
  failure?: string;

  constructor(private readonly strategy: object) {}

  answer(method: string, wire: WireValue[]): NamingReply {
    const args = wire.map(decodeArg);
    const shown = args.map((a) => (a === undefined ? 'undefined' : JSON.stringify(typeof a === 'object' && a && 'name' in a ? a.name : a))).join(', ');
    const call = `namingStrategy.${method}(${shown})`;
    try {
      const fn = (this.strategy as Record<string, unknown>)[method] as (...a: unknown[]) => unknown;
      const value = fn.apply(this.strategy, args);
      if (NAME_METHODS.has(method) && (typeof value !== 'string' || value === '')) {
        this.failure ??= `${call} returned ${value === undefined ? 'undefined' : JSON.stringify(value)}; it must return a name`;
        return { ok: false };
      }
      return { ok: true, value };
    } catch (error) {
      this.failure ??= `${call} failed: ${firstLine(error instanceof Error ? error.message : String(error))}`;
      return { ok: false };
    }
  }
}

/** The message for what stopped the child process. */
function failureMessage(file: string, f: ChildFailure, dialect: string): string {
  const db = typeOrmDriver(dialect);
  switch (f.reason) {
    case 'load':
      return `${file}: cannot load the DataSource file: ${f.message}${f.at ? ` (at ${f.at})` : ''}`;
    case 'no-datasource':
      return `${file} exports no TypeORM DataSource${f.exports.length ? ` (it exports ${f.exports.join(', ')})` : ''}; export one, e.g. export const AppDataSource = new DataSource({ … })`;
    case 'several':
      return `${file} exports several DataSources (${f.exports.join(', ')}); point models: { typeorm } at a file that exports the one to read`;
    case 'no-entities':
      return `${file}: the DataSource has no entities${f.entities.length ? ` (its entities option, ${f.entities.join(', ')}, matches none)` : ''}, so every table would be dropped; list the entity classes, or fix the globs (they are matched from the folder migrator runs in, against .ts files as well as .js)`;
    case 'type':
      return `${file}: the DataSource's type is "${f.type}", but the database is ${db.title}; use a DataSource for ${db.title} (${db.dataSource.typeOption})`;
    case 'build':
      return `${file}: TypeORM cannot build the entity metadata: ${f.message}${f.at ? ` (at ${f.at})` : ''}`;
    case 'naming':
      return `${file}: the naming strategy failed`;
    case 'internal':
      return `${file}: reading the DataSource failed: ${firstLine(f.message)}`;
  }
}

/** Runs the child process for `request`; resolves with TypeORM's description of the tables. */
function runChild(request: ChildRequest, strategy: object | undefined): Promise<Description> {
  const file = request.file;
  const script = path.join(path.dirname(here), `child${path.extname(here)}`);
  // Running from the sources (tests), the child is TypeScript too.
  const execArgv = script.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const child = spawn(process.execPath, [...execArgv, script, JSON.stringify(request)], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: process.env,
    windowsHide: true,
  });
  const naming = strategy ? new NamingAnswerer(strategy) : undefined;
  const fromChild = child.stdio[TO_PARENT_FD] as NodeJS.ReadableStream;
  const toChild = child.stdio[FROM_PARENT_FD] as NodeJS.WritableStream;
  toChild.on('error', () => undefined); // the child may exit without reading its replies

  return new Promise<Description>((resolve, reject) => {
    let stderr = '';
    let buffered = '';
    let result: { description: Description } | { failure: ChildFailure } | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += s;
    });
    fromChild.setEncoding('utf8');
    fromChild.on('data', (s: string) => {
      buffered += s;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, nl)) as ChildMessage;
        buffered = buffered.slice(nl + 1);
        if (message.t === 'name') {
          const reply: NamingReply = naming ? naming.answer(message.method, message.args) : { ok: false };
          toChild.write(`${JSON.stringify(reply)}\n`);
        } else if (message.t === 'done') result = { description: message.description };
        else result = { failure: message.failure };
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new MigratorError(`${file}: cannot start the process that reads the DataSource: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (result && 'description' in result) return resolve(result.description);
      if (result) {
        // The config's naming strategy failing is the cause, however TypeORM reported it.
        if (naming?.failure) return reject(new MigratorError(`${file}: ${naming.failure}`));
        return reject(new MigratorError(failureMessage(file, result.failure, request.dialect)));
      }
      if (timedOut) {
        return reject(new MigratorError(`${file}: loading the DataSource did not finish within ${TIMEOUT_MS / 1000} s; does the file (or an entity file) connect to something or wait at load time?`));
      }
      const said = stderr.trim() ? `: ${firstLine(stderr)}` : '';
      reject(new MigratorError(`${file}: loading the DataSource stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${said}; does the file call process.exit()?`));
    });
  });
}

/**
 * The TypeORM package the DataSource file's folder resolves: `typeorm`, or n8n's fork
 * `@n8n/typeorm` when the file imports that one.
 */
function typeOrmOf(file: string): string | undefined {
  const fork = /['"]@n8n\/typeorm['"]/.test(readFileSync(file, 'utf8'));
  for (const name of fork ? ['@n8n/typeorm', 'typeorm'] : ['typeorm', '@n8n/typeorm']) {
    try {
      return createRequire(file).resolve(name);
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

/** The version in the package.json of the TypeORM `entry` belongs to; undefined if it cannot be read. */
function typeOrmVersion(entry: string): string | undefined {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (!existsSync(pkg)) continue;
    try {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'typeorm' || json.name === '@n8n/typeorm') return json.version;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The schema TypeORM's `synchronize` would build from the DataSource in `file`, on `dialect`. */
export async function readDataSource(file: string, dialect: string, options: DataSourceReadOptions = {}): Promise<Schema> {
  if (!hasTypeOrmDriver(dialect)) throw new MigratorError(`${file}: TypeORM DataSources are read for ${driverTitles()} only, not ${dialect}`);
  if (!existsSync(file)) throw new MigratorError(`the DataSource file ${file} (models: { typeorm } in the config) does not exist`);
  if (!statSync(file).isFile()) throw new MigratorError(`${file} is not a file; models: { typeorm } names the file that exports the project's DataSource`);
  const typeorm = typeOrmOf(file);
  if (!typeorm) {
    throw new MigratorError(
      `${file}: TypeORM is not installed for this file (cannot resolve 'typeorm' from ${path.dirname(file)}); install it in the project, or let migrator read the entity files itself: models: ['src/**/*.entity.ts']`,
    );
  }
  const version = typeOrmVersion(typeorm);
  if (version && /^0\.[0-2]\./.test(version)) {
    throw new MigratorError(
      `${file}: the project's TypeORM is ${version}, which has no DataSource (0.3 brought it); let migrator read the entity files itself: models: ['src/**/*.entity.ts'], or upgrade TypeORM`,
    );
  }
  const request: ChildRequest = {
    file,
    typeorm,
    dialect,
    ...(options.namingStrategy ? { naming: strategyShape(options.namingStrategy) } : {}),
  };
  const description = await runChild(request, options.namingStrategy);
  return describedSchema(description, file, dialect);
}
