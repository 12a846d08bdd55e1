/**
 * The tables makemigrations, revision --autogenerate and check compare: the config's `tables`
 * filter applied to the database and the models alike, and the database's tables that nothing
 * manages — no model describes them, no revision created them — left alone.
 */
import path from 'node:path';
import { counted } from '../diff/data-loss.js';
import { filterNamesSchemas, filterSchemas, tableMatcher, tablesCreatedBy, tablesOnlyInDatabase, withoutTables } from '../diff/tables.js';
import type { Connection } from '../dialects/dialect.js';
import { MigratorError, messageOf } from '../errors.js';
import type { Project } from '../project.js';
import { cachingRecorder } from '../runner/runner.js';
import { compareNames, type Schema } from '../schema/schema.js';

export interface ScopedSchemas {
  database: Schema;
  models: Schema;
  /** Tables in the database that nothing manages, left out of the comparison, sorted. */
  unmanaged: string[];
}

/** The schema unqualified table names live in, for `schema.name` globs. */
async function currentSchema(project: Project): Promise<string | undefined> {
  const how = project.dialect.currentSchema;
  if (!how) return undefined;
  if ('name' in how) return how.name;
  const rows = await project.withConnection((conn: Connection) => conn.query<{ name: string }>(how.query), { readOnly: true });
  return rows[0]?.name;
}

/**
 * The names of the tables revisions create, read from every revision's upgrade (each file loaded
 * once). Raw SQL is not read: a table made by `op.execute` counts as made by no revision.
 */
async function tablesRevisionsCreated(project: Project): Promise<Set<string>> {
  const record = cachingRecorder();
  try {
    return tablesCreatedBy(await Promise.all(project.graph.revisions.map((r) => record(r, 'up'))));
  } catch (error) {
    throw new MigratorError(`the database has tables no model describes, and telling which ones revisions created needs every revision: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Refuses models that put their tables in a schema other than the one migrator works in (an
 * entity's `schema`, a DataSource's): comparing them with another schema's tables would create
 * every table again in the wrong place.
 */
async function checkNamespace(project: Project, models: Schema): Promise<void> {
  const wanted = models.namespace;
  if (!wanted) return;
  const working = project.schema ?? (await currentSchema(project));
  if (working === wanted.name) return;
  throw new MigratorError(
    `${wanted.source}: the models put their tables in schema "${wanted.name}", but migrator works in schema "${working ?? '(none)'}" of ${project.target.display}; add ?schema=${encodeURIComponent(wanted.name)} to the database URL`,
    { code: 'CONFIG_INVALID' },
  );
}

/** Both schemas narrowed to the tables migrator manages. */
export async function scopeSchemas(project: Project, database: Schema, models: Schema): Promise<ScopedSchemas> {
  await checkNamespace(project, models);
  const filter = project.config.tables;
  const inScope = tableMatcher(filter, filterNamesSchemas(filter) ? await currentSchema(project) : undefined);
  const scoped = filterSchemas(database, models, inScope);
  const candidates = tablesOnlyInDatabase(scoped.database, scoped.models);
  // Revision files are only read when the database has tables the models do not.
  if (candidates.length === 0) return { ...scoped, unmanaged: [] };
  const created = await tablesRevisionsCreated(project);
  const unmanaged = candidates.filter((name) => !created.has(name)).sort(compareNames);
  return { database: withoutTables(scoped.database, scoped.models, unmanaged), models: scoped.models, unmanaged };
}

/** What makemigrations says about a table it leaves alone. */
export function leftAloneNotice(table: string): string {
  return `Left alone: table ${table} is in the database but in no model and no revision created it; add it to tables.exclude to silence this, or drop it in a revision`;
}

/** What check says about a table it does not manage. */
export function notManagedNotice(table: string): string {
  return `Not managed: table ${table} is in the database but in no model and no revision created it; add it to tables.exclude to silence this`;
}

/**
 * Refuses a revision that would drop every managed table because the models yield none (a glob
 * that matches the wrong files, a file that declares no entity), naming what the globs matched.
 */
export async function refuseEmptyModels(project: Project, scoped: ScopedSchemas): Promise<void> {
  if (scoped.models.tables.length > 0 || scoped.database.tables.length === 0) return;
  const { modelFiles, shownGlob } = await import('../models/index.js');
  const config = project.config;
  const rel = (f: string): string => path.relative(config.dir, f) || f;
  const matched = [
    ...config.models.map((g) => `${shownGlob(g)} matches ${counted(modelFiles([g]).length, 'file')}`),
    ...config.dataSources.map((f) => `the DataSource ${rel(f)} lists no entity`),
  ];
  const names = scoped.database.tables.map((t) => t.name).sort(compareNames);
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  throw new MigratorError(
    `the models describe no table, so this revision would drop every table of ${project.target.display} (${shown}); ` +
      `"models" in ${config.file ?? 'the config'}: ${matched.join(', ')}, and none declares a table. Check the globs and the files, or pass --allow-empty to generate it anyway`,
  );
}
