/**
 * Which tables autogenerate and `check` look at: the config's `tables` include/exclude globs, and
 * the database's tables that nothing manages (no model describes them, no revision created them),
 * which are left alone. Pure: the caller brings the schemas and the names revisions created.
 */
import type { Operation } from '../operations/operation.js';
import type { Schema, Table } from '../schema/schema.js';

/** The config's `tables`: globs over table names, bare (`audit_*`) or schema-qualified (`public.spatial_ref_sys`). */
export interface TableFilter {
  include?: string[];
  exclude?: string[];
}

/** A glob as a whole-name RegExp: `*` any run of characters, `?` one character, `[…]` one of a set. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[' && glob.indexOf(']', i + 2) > 0) {
      const end = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, end);
      // `[!abc]` negates, as in shell globs; everything else in the set is literal.
      const negated = body.startsWith('!') || body.startsWith('^');
      const chars = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
      out += `[${negated ? '^' : ''}${chars}]`;
      i = end;
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/**
 * Whether a table is in scope: matched by an `include` glob (or there is no include list) and by
 * no `exclude` glob. A glob matches the bare name or, when `schemaName` is known, `schema.name`.
 */
export function tableMatcher(filter: TableFilter | undefined, schemaName?: string): (name: string) => boolean {
  if (!filter || (!filter.include && !filter.exclude?.length)) return () => true;
  const compile = (globs: string[] | undefined): RegExp[] | undefined => globs?.map(globToRegExp);
  const include = compile(filter.include);
  const exclude = compile(filter.exclude) ?? [];
  const matches = (res: RegExp[], name: string): boolean => res.some((re) => re.test(name) || (schemaName !== undefined && re.test(`${schemaName}.${name}`)));
  return (name) => (!include || matches(include, name)) && !matches(exclude, name);
}

/** Whether any glob names a schema (`schema.name`), so the current schema's name is needed. */
export function filterNamesSchemas(filter: TableFilter | undefined): boolean {
  return [...(filter?.include ?? []), ...(filter?.exclude ?? [])].some((g) => g.includes('.'));
}

/** The tables of the database that no model describes, by name. */
export function tablesOnlyInDatabase(database: Schema, models: Schema): string[] {
  const modelled = new Set(models.tables.map((t) => t.name));
  return database.tables.filter((t) => !modelled.has(t.name)).map((t) => t.name);
}

/**
 * The names of the tables that revisions' operations create (or rename into). Raw SQL
 * (`op.execute`) is not read: a table it creates counts as made by no revision.
 */
export function tablesCreatedBy(revisions: Iterable<readonly Operation[]>): Set<string> {
  const names = new Set<string>();
  for (const ops of revisions) {
    for (const op of ops) {
      if (op.kind === 'createTable') names.add(op.table.name);
      else if (op.kind === 'renameTable') names.add(op.to);
    }
  }
  return names;
}

/** The enum type a column's type names, without quotes, schema or array brackets. */
function enumNameOf(type: string): string {
  const base = type.trim().replace(/(\s*\[\s*\d*\s*\])+$/, '');
  const last = /(?:^|\.)("(?:[^"]|"")*"|[^."]+)$/.exec(base)?.[1] ?? base;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last;
}

/**
 * The database's schema without `names`: those tables, and the enum types only they use unless
 * the models declare them too (another application's type is left alone with its table).
 */
export function withoutTables(database: Schema, models: Schema, names: Iterable<string>): Schema {
  const gone = new Set(names);
  if (gone.size === 0) return database;
  const kept: Table[] = [];
  const usedByGone = new Set<string>();
  for (const t of database.tables) {
    if (gone.has(t.name)) for (const c of t.columns) usedByGone.add(enumNameOf(c.type));
    else kept.push(t);
  }
  const usedByKept = new Set(kept.flatMap((t) => t.columns.map((c) => enumNameOf(c.type))));
  const declared = new Set((models.enums ?? []).map((e) => e.name));
  const enums = database.enums?.filter((e) => !usedByGone.has(e.name) || usedByKept.has(e.name) || declared.has(e.name));
  return { ...database, tables: kept, ...(enums ? { enums } : {}) };
}

/** Both schemas with only the tables `inScope` accepts. */
export function filterSchemas(database: Schema, models: Schema, inScope: (name: string) => boolean): { database: Schema; models: Schema } {
  const out = database.tables.filter((t) => !inScope(t.name)).map((t) => t.name);
  const modelTables = models.tables.filter((t) => inScope(t.name));
  return {
    database: withoutTables(database, models, out),
    models: modelTables.length === models.tables.length ? models : { ...models, tables: modelTables },
  };
}
