/**
 * MySQL's own record of a table (`native`), beyond the neutral model.
 *
 * The indexes MySQL keeps for foreign keys under the keys' own names. MySQL needs an index that
 * leads with a foreign key's columns: when none serves, it makes one named after the key (and
 * drops it by itself once another index serves); when migrator drops the only index that served
 * a key, it adds one of that name in the same statement (see the compiler's dropIndexSql), which
 * MySQL never drops by itself. Neither is the model's, so the introspector leaves them out of the
 * table, and keeps their names here: dropping the key must drop its index too (MySQL keeps it),
 * and an index that comes to serve the key makes it redundant.
 *
 * And, on a model's table, the columns TypeORM's `mariadb` driver makes MariaDB's own `uuid` type
 * on a server that has it (10.7 and later), which are `varchar` on any other (see fitMysqlModels).
 */
import { keyColumn, type ForeignKey, type IndexKey, type NativeTable, type Table } from '../../schema/schema.js';

export interface MysqlTableRecord extends NativeTable {
  readonly dialect: 'mysql';
  /** Foreign keys of the table with an index of their own name, read from the database or added by migrator: MySQL may never drop it by itself. */
  keyIndexes?: string[];
  /** Those whose index MySQL made in the statements compiled so far, which it drops by itself once another index serves the key. */
  implicit?: string[];
  /** A model's columns of TypeORM's `uuid` type under its `mariadb` driver. */
  mariadbUuid?: string[];
}

export function recordOf(table: Table | undefined): MysqlTableRecord | undefined {
  const native = table?.native;
  return native?.dialect === 'mysql' ? (native as MysqlTableRecord) : undefined;
}

/** Sets fields of the table's record (an empty list clears one); no record is left without a field. */
function updateRecord(table: Table, fields: Partial<Record<'keyIndexes' | 'implicit' | 'mariadbUuid', readonly string[]>>): void {
  const record: MysqlTableRecord = { ...recordOf(table), dialect: 'mysql' };
  for (const [key, names] of Object.entries(fields) as [keyof typeof fields, readonly string[]][]) {
    if (names.length) record[key] = [...new Set(names)].sort();
    else delete record[key];
  }
  if (Object.keys(record).length > 1) table.native = record;
  else if (recordOf(table)) delete table.native;
}

/** The foreign keys of the table whose own index MySQL may keep after another index serves them. */
export function keyIndexesOf(table: Table | undefined): readonly string[] {
  return recordOf(table)?.keyIndexes ?? [];
}

/** Every foreign key of the table known to have an index of its own name. */
export function ownIndexes(table: Table | undefined): readonly string[] {
  const record = recordOf(table);
  return [...(record?.keyIndexes ?? []), ...(record?.implicit ?? [])];
}

export function setKeyIndexes(table: Table, names: readonly string[], implicit: readonly string[] = []): void {
  updateRecord(table, { keyIndexes: names, implicit });
}

/** Marks a model's columns of TypeORM's `uuid` type under its `mariadb` driver. */
export function markMariadbUuid(table: Table, columns: readonly string[]): void {
  updateRecord(table, { mariadbUuid: columns });
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
