/**
 * What the MySQL introspector keeps of a table beyond the neutral model (`Table.native`): each
 * column's collation where it is not the table's default. Never compared; a MODIFY COLUMN
 * restates it, so that changing a column's type or nullability keeps its collation.
 */
import type { NativeTable, Table } from '../../schema/schema.js';

export interface ColumnExtras {
  collation?: string;
}

export interface MysqlTable extends NativeTable {
  readonly dialect: 'mysql';
  columns: Record<string, ColumnExtras>;
}

export function columnExtrasOf(table: Table, column: string): ColumnExtras | undefined {
  const native = table.native as MysqlTable | undefined;
  return native?.dialect === 'mysql' ? native.columns[column] : undefined;
}
