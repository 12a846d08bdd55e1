/**
 * What the MySQL introspector keeps of a table beyond the neutral model (`Table.native`): the
 * table's default collation, which a column that names none has. Read by the comparison of
 * collations only.
 */
import type { NativeTable, Table } from '../../schema/schema.js';

export interface MysqlTable extends NativeTable {
  readonly dialect: 'mysql';
  /** The table's default collation (`utf8mb4_general_ci`). */
  collation?: string;
}

/** The collation a column has, as compared: its own, else its table's default; case folded. */
export function mysqlCollation(collation: string | undefined, table: Table): string | undefined {
  const native = table.native as MysqlTable | undefined;
  return (collation ?? (native?.dialect === 'mysql' ? native.collation : undefined))?.toLowerCase();
}
