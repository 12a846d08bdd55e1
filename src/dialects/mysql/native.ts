/**
 * Collations as MySQL compares them: a column that names none has its table's default; names fold
 * case. Read by the comparison of collations only.
 */
import type { Table } from '../../schema/schema.js';

/** The collation a column has, as compared: its own, else its table's default; case folded. */
export function mysqlCollation(collation: string | undefined, table: Table): string | undefined {
  return (collation ?? table.collation)?.toLowerCase();
}
