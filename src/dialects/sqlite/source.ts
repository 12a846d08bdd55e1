/**
 * How SQLite wrote a table: its CREATE TABLE text, its indexes' CREATE INDEX texts and its
 * triggers, kept on the table read from the database as the dialect's own record (`native`).
 * A rebuild keeps from it what the neutral model does not describe (collations, STRICT,
 * expression indexes, triggers); nothing else reads it, and it is never compared.
 */
import type { NativeTable, Table } from '../../schema/schema.js';

export interface TableSource extends NativeTable {
  readonly dialect: 'sqlite';
  createSql: string;
  /** Index name → its CREATE INDEX statement. */
  indexSql: Record<string, string>;
  triggers: { name: string; sql: string }[];
}

/** The table's SQLite source, when it was read from a SQLite database (and still followed). */
export function sourceOf(table: Table | undefined): TableSource | undefined {
  const native = table?.native;
  return native?.dialect === 'sqlite' ? (native as TableSource) : undefined;
}

/** Records how SQLite wrote the table. */
export function recordSource(table: Table, source: Omit<TableSource, 'dialect'>): void {
  const record: TableSource = { dialect: 'sqlite', ...source };
  table.native = record;
}

/** Forgets the source of a table whose text can no longer be followed: a rebuild falls back to the model. */
export function forgetSource(table: Table): void {
  delete table.native;
}
