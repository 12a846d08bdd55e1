/**
 * The indexes MySQL keeps for foreign keys under the keys' own names. MySQL needs an index that
 * leads with a foreign key's columns: when none serves, it makes one named after the key (and
 * drops it by itself once another index serves); when migrator drops the only index that served
 * a key, it adds one of that name in the same statement (see the compiler's dropIndexSql), which
 * MySQL never drops by itself. Neither is the model's, so the introspector leaves them out of the
 * table, and keeps their names here, the dialect's own record of the table: dropping the key must
 * drop its index too (MySQL keeps it), and an index that comes to serve the key makes it
 * redundant.
 */
import { keyColumn, type ForeignKey, type IndexKey, type NativeTable, type Table } from '../../schema/schema.js';

export interface KeyIndexes extends NativeTable {
  readonly dialect: 'mysql';
  /** Foreign keys of the table with an index of their own name, read from the database or added by migrator: MySQL may never drop it by itself. */
  keyIndexes: string[];
  /** Those whose index MySQL made in the statements compiled so far, which it drops by itself once another index serves the key. */
  implicit?: string[];
}

function recordOf(table: Table | undefined): KeyIndexes | undefined {
  const native = table?.native;
  return native?.dialect === 'mysql' ? (native as KeyIndexes) : undefined;
}

/** The foreign keys of the table whose own index MySQL may keep after another index serves them. */
export function keyIndexesOf(table: Table | undefined): readonly string[] {
  return recordOf(table)?.keyIndexes ?? [];
}

/** Every foreign key of the table known to have an index of its own name. */
export function ownIndexes(table: Table | undefined): readonly string[] {
  const record = recordOf(table);
  return record ? [...record.keyIndexes, ...(record.implicit ?? [])] : [];
}

export function setKeyIndexes(table: Table, names: readonly string[], implicit: readonly string[] = []): void {
  if (!names.length && !implicit.length) {
    if (table.native?.dialect === 'mysql') delete table.native;
    return;
  }
  const sorted = (xs: readonly string[]): string[] => [...new Set(xs)].sort();
  const record: KeyIndexes = { dialect: 'mysql', keyIndexes: sorted(names), ...(implicit.length ? { implicit: sorted(implicit) } : {}) };
  table.native = record;
}

/**
 * The table's own indexes after an operation of `kind` on it, as MySQL keeps them: the index of a
 * key that is gone goes (the compiler drops it with the key); an index MySQL made goes once another
 * serves the key, one of any origin once an index added by `createIndex` or `addConstraint` serves
 * it (the compiler drops it in the same statement); a key that nothing serves has its own, made
 * by migrator's `dropIndex` (see the compiler) or else by MySQL.
 */
export function followKeyIndexes(table: Table, kind: string): void {
  const record = recordOf(table);
  const unserved = new Set(table.foreignKeys.filter((f) => f.name !== undefined && !served(table, f)).map((f) => f.name!));
  const keys = new Set(table.foreignKeys.map((f) => f.name));
  const adding = kind === 'createIndex' || kind === 'addConstraint';
  const explicit = (record?.keyIndexes ?? []).filter((n) => keys.has(n) && (!adding || unserved.has(n)));
  const implicit = (record?.implicit ?? []).filter((n) => unserved.has(n));
  for (const name of unserved) if (!explicit.includes(name) && !implicit.includes(name)) (kind === 'dropIndex' ? explicit : implicit).push(name);
  setKeyIndexes(table, explicit, implicit);
}

/** Whether `keys` can serve a foreign key on `columns`: whole columns, in order, leading. */
export function leads(keys: readonly IndexKey[], columns: readonly string[]): boolean {
  return columns.every((c, k) => {
    const key = keys[k];
    return key !== undefined && (typeof key === 'string' || (key.length === undefined && key.expression === undefined)) && keyColumn(key) === c;
  });
}

/** Whether an index of the table other than `except` (or its primary key) serves the key. */
export function served(table: Table, fk: ForeignKey, except?: { name?: string }): boolean {
  return (
    (table.primaryKey !== undefined && leads(table.primaryKey.columns, fk.columns)) ||
    table.indexes.some((i) => i !== except && !i.using?.match(/fulltext|spatial/i) && leads(i.columns, fk.columns)) ||
    table.uniques.some((u) => u !== except && leads(u.columns, fk.columns))
  );
}
