/** Model sources → the neutral Schema: TypeScript entity files and Prisma schemas, mixed freely. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { ModelGlob } from '../config/config.js';
import { MigratorError } from '../errors.js';
import { compareNames, extensionName, type Extension, type Schema } from '../schema/schema.js';

/**
 * The model files the globs match (a folder stands for its .prisma files), sorted. A config's
 * glob is matched from the config's folder, given to the matcher as the folder to start from
 * rather than written into the pattern: the folder's path is never read as a glob, whatever its
 * name (`app (copy)`, `[v2]`, `{a,b}`) and whatever the platform's separator. A plain string is a
 * glob as it stands (absolute, or from the current folder).
 */
export function modelFiles(globs: readonly (string | ModelGlob)[]): string[] {
  const files: string[] = [];
  for (const entry of globs) {
    const { glob, dir } = typeof entry === 'string' ? { glob: entry, dir: process.cwd() } : entry;
    // A folder named as it is (on disk, not as a glob) stands for the .prisma files under it.
    const literal = path.resolve(dir, glob);
    const folder = existsSync(literal) && statSync(literal).isDirectory();
    files.push(...globSync(folder ? '**/*.prisma' : glob, { cwd: folder ? literal : dir, absolute: true, onlyFiles: true, expandDirectories: false }));
  }
  return [...new Set(files)].filter((f) => !f.endsWith('.d.ts')).sort();
}

/** A glob as the config wrote it, for messages. */
export function shownGlob(entry: string | ModelGlob): string {
  return typeof entry === 'string' ? entry : entry.glob;
}

/** Extensions of several sources, once each (the one with details wins), by name. */
function mergeExtensions(list: Extension[]): Extension[] {
  const byName = new Map<string, Extension>();
  for (const e of list) if (!byName.has(extensionName(e)) || typeof e !== 'string') byName.set(extensionName(e), e);
  return [...byName.values()].sort((x, y) => compareNames(extensionName(x), extensionName(y)));
}

function merge(a: Schema, b: Schema): Schema {
  // Every source's tables in one schema: the one they all name, or none.
  const [x, y] = [a, b].map((s) => (s.tables.length ? s.namespace : undefined));
  if (x?.name !== y?.name && a.tables.length && b.tables.length) {
    const said = (n: Schema['namespace']): string => (n ? `schema "${n.name}" (${n.source})` : "the connection's own schema");
    throw new MigratorError(`the model sources put their tables in ${said(x)} and ${said(y)}; migrator works in one schema of a database — give them one schema`);
  }
  const namespace = x ?? y;
  return {
    ...(namespace ? { namespace } : {}),
    tables: [...a.tables, ...b.tables],
    ...(a.enums || b.enums ? { enums: [...(a.enums ?? []), ...(b.enums ?? [])] } : {}),
    ...(a.extensions || b.extensions ? { extensions: mergeExtensions([...(a.extensions ?? []), ...(b.extensions ?? [])]) } : {}),
  };
}

export interface ReadModelsOptions {
  /** The project's TypeORM naming strategy, for entity classes. */
  namingStrategy?: object;
  /** TypeORM DataSource files whose entities TypeORM itself reads. */
  dataSources?: readonly string[];
}

interface SourceRead {
  dialect: string;
  /** The database, as messages name it. */
  database: string;
  options: ReadModelsOptions;
}

/**
 * A kind of model file: which files it claims (by name), and how it reads them. Every file the
 * globs match is claimed by one source; a file none claims is an error, never passed over.
 */
interface ModelSource {
  /** What it reads, for messages. */
  readonly what: string;
  claims(file: string): boolean;
  read(files: string[], how: SourceRead): Promise<Schema>;
}

const MODEL_SOURCES: readonly ModelSource[] = [
  {
    what: 'TypeScript entity files (.ts, .tsx, .mts, .cts)',
    claims: (file) => /\.(c|m)?tsx?$/.test(file),
    async read(files, { dialect, options }) {
      const { readEntityFiles } = await import('./typescript/reader.js');
      // Models that describe no table at all are refused where a revision would drop every
      // table (makemigrations names the globs and what they matched; --allow-empty goes on).
      return keyNamesLeftToDatabase(readEntityFiles(files, dialect, { namingStrategy: options.namingStrategy }));
    },
  },
  {
    what: 'Prisma schemas (.prisma)',
    claims: (file) => file.endsWith('.prisma'),
    async read(files, { dialect, database }) {
      const { readPrismaFiles } = await import('./prisma/reader.js');
      return readPrismaFiles(files, dialect, database);
    },
  },
];

/**
 * TypeORM's models: their primary keys' names are the database's. TypeORM names a key when it
 * creates the table and never compares the name after (a table made by hand, `users_pkey`, stays
 * as it is under synchronize), so neither does migrator.
 */
function keyNamesLeftToDatabase(schema: Schema): Schema {
  for (const t of schema.tables) (t.unmanaged ??= {}).primaryKeyName = true;
  return schema;
}

/** Reads the models of a project for `dialect` (`database` names it in messages). */
export async function readModels(
  globs: readonly (string | ModelGlob)[],
  dialect: string,
  configFile = 'migrator.config.ts',
  database = dialect,
  options: ReadModelsOptions = {},
): Promise<Schema> {
  const dataSources = options.dataSources ?? [];
  if (globs.length === 0 && dataSources.length === 0) {
    throw new MigratorError(`no "models" in ${configFile}; list your entity files, e.g. models: ['src/entities/**/*.ts']`);
  }
  const files = globs.length ? modelFiles(globs) : [];
  if (globs.length && files.length === 0) throw new MigratorError(`no model files match ${globs.map(shownGlob).join(', ')} (from ${configFile})`);
  const unclaimed = files.find((f) => !MODEL_SOURCES.some((source) => source.claims(f)));
  if (unclaimed !== undefined) {
    throw new MigratorError(
      `${unclaimed} matches "models" (${globs.map(shownGlob).join(', ')}, from ${configFile}), but migrator reads ${MODEL_SOURCES.map((s) => s.what).join(' and ')}, not this file; narrow the glob`,
    );
  }
  let schema: Schema = { tables: [] };
  for (const source of MODEL_SOURCES) {
    const claimed = files.filter((f) => source.claims(f));
    if (claimed.length) schema = merge(schema, await source.read(claimed, { dialect, database, options }));
  }
  for (const file of dataSources) {
    const { readDataSource } = await import('./typeorm/datasource.js');
    schema = merge(schema, keyNamesLeftToDatabase(await readDataSource(file, dialect, { namingStrategy: options.namingStrategy })));
  }
  const seen = new Set<string>();
  for (const t of schema.tables) {
    if (seen.has(t.name)) throw new MigratorError(`table "${t.name}" is defined by more than one model (from ${configFile})`);
    seen.add(t.name);
  }
  return schema;
}
