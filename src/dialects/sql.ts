/**
 * SQL that reads the same in every dialect here but for how identifiers are quoted (standard DDL):
 * constraint definitions, indexes, and the statements whose text does not depend on the dialect.
 * `standardSql(quote)` gives them for one way of quoting; each dialect's compiler handles the rest.
 */
import type { Handlers } from '../operations/kinds.js';
import type { Constraint } from '../operations/operation.js';
import { normalizeIndexKey, type Index, type IndexKey } from '../schema/schema.js';
import { quoteIdentifier } from './dialect.js';

/** The shared SQL, for a dialect that quotes identifiers with `q`. */
export function standardSql(q: (name: string) => string) {
  const columnList = (names: readonly string[]): string => names.map(q).join(', ');

  /** An operator class name, quoted (a schema-qualified one part by part). */
  const opclassSql = (name: string): string => name.split('.').map(q).join('.');

  /**
   * An index key: a column name, always quoted (never taken for an expression), or an expression
   * in parentheses; then its operator class, DESC and NULLS order.
   */
  function indexKeySql(key: IndexKey): string {
    const k = normalizeIndexKey(key);
    if (typeof k === 'string') return q(k);
    const base = k.column !== undefined ? `${q(k.column)}${k.length !== undefined ? `(${k.length})` : ''}` : `(${k.expression})`;
    return `${base}${k.opclass ? ` ${opclassSql(k.opclass)}` : ''}${k.order === 'desc' ? ' DESC' : ''}${k.nulls ? ` NULLS ${k.nulls === 'first' ? 'FIRST' : 'LAST'}` : ''}`;
  }

  function constraintSql(c: Constraint): string {
    const named = c.name ? `CONSTRAINT ${q(c.name)} ` : '';
    switch (c.type) {
      case 'unique':
        return `${named}UNIQUE (${columnList(c.columns)})`;
      case 'check':
        return `${named}CHECK (${c.expression})`;
      case 'foreignKey':
        return (
          `${named}FOREIGN KEY (${columnList(c.columns)}) REFERENCES ${q(c.referencedTable)} (${columnList(c.referencedColumns)})` +
          ` ON DELETE ${c.onDelete ?? 'NO ACTION'} ON UPDATE ${c.onUpdate ?? 'NO ACTION'}`
        );
    }
  }

  function createIndexSql(table: string, i: Index): string {
    const using = i.using && i.using !== 'btree' ? ` USING ${i.using}` : '';
    return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(table)}${using} (${i.columns.map(indexKeySql).join(', ')})${i.where ? ` WHERE ${i.where}` : ''}`;
  }

  /** The statements of the kinds whose SQL is the same in every dialect, for each dialect's per-kind table to take. */
  const STANDARD_SQL = {
    dropTable: (op) => [`DROP TABLE ${q(op.table)}`],
    renameTable: (op) => [`ALTER TABLE ${q(op.from)} RENAME TO ${q(op.to)}`],
    dropColumn: (op) => [`ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column)}`],
    renameColumn: (op) => [`ALTER TABLE ${q(op.table)} RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`],
    createIndex: (op) => [createIndexSql(op.table, op.index)],
    dropIndex: (op) => [`DROP INDEX ${q(op.name)}`],
    execute: (op) => [op.sql],
  } satisfies Partial<Handlers<string[]>>;

  return { columnList, indexKeySql, constraintSql, createIndexSql, STANDARD_SQL };
}

/** The shared SQL with identifiers in double quotes (SQLite, PostgreSQL). */
export const { columnList, indexKeySql, constraintSql, createIndexSql, STANDARD_SQL } = standardSql(quoteIdentifier);
