/**
 * Operations → SQLite SQL. What SQLite can do in place is an ALTER; the rest (type, nullability
 * and default changes, constraints, dropping a constrained column) is a copy-and-swap rebuild.
 * Adjacent changes to one table share one rebuild.
 */
import { applyOperation, findConstraint, SchemaApplyError } from '../../operations/apply.js';
import { describeOperation, operationTable, type Constraint, type Operation } from '../../operations/operation.js';
import { cloneSchema, findColumn, findTable, type Column, type Index, type Schema, type Table } from '../../schema/schema.js';
import { quoteIdentifier as q, quoteLiteral, UnsupportedOperationError, type CompiledOperations } from '../dialect.js';

/** Prefix of the table a rebuild copies rows into; never left behind by a finished run. */
export const REBUILD_PREFIX = '_migrator_tmp_';

const PLAIN_DEFAULT = /^(?:'(?:[^']|'')*'|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|NULL|TRUE|FALSE|X'[0-9A-Fa-f]*')$/i;
const KEYWORD_DEFAULT = /^(?:CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP)$/i;

/** A default as SQLite's column definition wants it: literals bare, expressions in parentheses. */
export function defaultSql(expression: string): string {
  const e = expression.trim();
  if (PLAIN_DEFAULT.test(e) || KEYWORD_DEFAULT.test(e) || (e.startsWith('(') && e.endsWith(')'))) return e;
  return `(${e})`;
}

const list = (names: readonly string[]): string => names.map(q).join(', ');

function columnSql(c: Column, inlinePrimaryKey: boolean): string {
  let sql = `${q(c.name)}${c.type ? ` ${c.type}` : ''}`;
  if (inlinePrimaryKey) sql += ` PRIMARY KEY${c.autoincrement ? ' AUTOINCREMENT' : ''}`;
  if (!c.nullable) sql += ' NOT NULL';
  if (c.default !== undefined) sql += ` DEFAULT ${defaultSql(c.default)}`;
  return sql;
}

export function constraintSql(c: Constraint): string {
  const named = c.name ? `CONSTRAINT ${q(c.name)} ` : '';
  switch (c.type) {
    case 'unique':
      return `${named}UNIQUE (${list(c.columns)})`;
    case 'check':
      return `${named}CHECK (${c.expression})`;
    case 'foreignKey':
      return (
        `${named}FOREIGN KEY (${list(c.columns)}) REFERENCES ${q(c.referencedTable)} (${list(c.referencedColumns)})` +
        ` ON DELETE ${c.onDelete ?? 'NO ACTION'} ON UPDATE ${c.onUpdate ?? 'NO ACTION'}`
      );
  }
}

export function createTableSql(t: Table, name = t.name): string {
  const pk = t.primaryKey?.columns ?? [];
  // An AUTOINCREMENT key must be declared on its column; other keys go in a table constraint.
  const inline = pk.length === 1 && findColumn(t, pk[0])?.autoincrement ? pk[0] : undefined;
  const parts = t.columns.map((c) => columnSql(c, c.name === inline));
  if (pk.length && !inline) parts.push(`PRIMARY KEY (${list(pk)})`);
  for (const u of t.uniques) parts.push(constraintSql({ type: 'unique', ...u }));
  for (const f of t.foreignKeys) parts.push(constraintSql({ type: 'foreignKey', ...f }));
  for (const c of t.checks) parts.push(constraintSql({ type: 'check', ...c }));
  return `CREATE TABLE ${q(name)} (${parts.join(', ')})`;
}

export function createIndexSql(table: string, i: Index): string {
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(table)} (${list(i.columns)})${i.where ? ` WHERE ${i.where}` : ''}`;
}

function canAddInPlace(c: Column, t: Table): boolean {
  if (c.autoincrement || t.primaryKey?.columns.includes(c.name)) return false;
  if (c.default === undefined) return c.nullable;
  const d = c.default.trim();
  return PLAIN_DEFAULT.test(d) && !/^NULL$/i.test(d);
}

function columnIsConstrained(schema: Schema, t: Table, column: string): boolean {
  const mentions = (expr: string): boolean => expr.includes(column);
  return (
    !!t.primaryKey?.columns.includes(column) ||
    t.indexes.some((i) => i.columns.includes(column) || (i.where !== undefined && mentions(i.where))) ||
    t.uniques.some((u) => u.columns.includes(column)) ||
    t.foreignKeys.some((f) => f.columns.includes(column)) ||
    t.checks.some((c) => mentions(c.expression)) ||
    schema.tables.some((o) => o.foreignKeys.some((f) => f.referencedTable === t.name && f.referencedColumns.includes(column)))
  );
}

function requireTable(schema: Schema, name: string, op: Operation): Table {
  const t = findTable(schema, name);
  if (!t) throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: table "${name}" does not exist`);
  return t;
}

/** Whether SQLite must rebuild the table for `op`, given the schema before it. */
function needsRebuild(op: Operation, schema: Schema): boolean {
  switch (op.kind) {
    case 'alterColumn':
    case 'addConstraint':
    case 'dropConstraint':
      return true;
    case 'addColumn':
      return !canAddInPlace(op.column, requireTable(schema, op.table, op));
    case 'dropColumn':
      return columnIsConstrained(schema, requireTable(schema, op.table, op), op.column);
    default:
      return false;
  }
}

function inPlaceSql(op: Operation): string[] {
  switch (op.kind) {
    case 'createTable':
      return [createTableSql(op.table)];
    case 'dropTable':
      return [`DROP TABLE ${q(op.table)}`];
    case 'renameTable':
      return [`ALTER TABLE ${q(op.from)} RENAME TO ${q(op.to)}`];
    case 'addColumn':
      return [`ALTER TABLE ${q(op.table)} ADD COLUMN ${columnSql(op.column, false)}`];
    case 'dropColumn':
      return [`ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column)}`];
    case 'renameColumn':
      return [`ALTER TABLE ${q(op.table)} RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`];
    case 'createIndex':
      return [createIndexSql(op.table, op.index)];
    case 'dropIndex':
      return [`DROP INDEX ${q(op.name)}`];
    case 'execute':
      return [op.sql];
    case 'alterColumn':
    case 'addConstraint':
    case 'dropConstraint':
      throw new UnsupportedOperationError('sqlite', `${describeOperation(op)} without rebuilding the table`);
    case 'setTableComment':
    case 'createExtension':
    case 'dropExtension':
    case 'createEnum':
    case 'dropEnum':
    case 'addEnumValue':
    case 'dropEnumValue':
      throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: SQLite has no ${op.kind === 'setTableComment' ? 'comments' : op.kind.endsWith('Extension') ? 'extensions' : 'enum types'}`);
  }
}

/**
 * Copy-and-swap: create the new shape under a temporary name, copy every row, drop the old
 * table, rename the new one into place, recreate the indexes. Runs with foreign keys off (set
 * outside the transaction by the runner) so that dropping the old table cascades nowhere.
 */
export function rebuildSql(before: Table, after: Table): string[] {
  const tmp = `${REBUILD_PREFIX}${after.name}`;
  const copied = after.columns.filter((c) => findColumn(before, c.name));
  const source = copied.map((c) => {
    const was = findColumn(before, c.name)!;
    if (!c.nullable && c.default !== undefined && was.nullable) return `coalesce(${q(c.name)}, ${c.default})`;
    return q(c.name);
  });
  // AUTOINCREMENT never reuses an id: carry the old table's sequence over to the new one.
  const sequence = after.columns.some((c) => c.autoincrement) && before.columns.some((c) => c.autoincrement)
    ? [
        `DELETE FROM sqlite_sequence WHERE name = ${quoteLiteral(tmp)}`,
        `INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteLiteral(tmp)}, seq FROM sqlite_sequence WHERE name = ${quoteLiteral(before.name)}`,
      ]
    : [];
  return [
    createTableSql(after, tmp),
    `INSERT INTO ${q(tmp)} (${list(copied.map((c) => c.name))}) SELECT ${source.join(', ')} FROM ${q(before.name)}`,
    ...sequence,
    `DROP TABLE ${q(before.name)}`,
    `ALTER TABLE ${q(tmp)} RENAME TO ${q(after.name)}`,
    ...after.indexes.map((i) => createIndexSql(after.name, i)),
  ];
}

export function compileSqlite(operations: readonly Operation[], schema: Schema): CompiledOperations {
  const state = cloneSchema(schema);
  const statements: string[] = [];
  let pending: { table: string; before: Table } | undefined;
  let foreignKeysOff = false;

  const flush = (): void => {
    if (!pending) return;
    statements.push(...rebuildSql(pending.before, findTable(state, pending.table)!));
    pending = undefined;
    foreignKeysOff = true;
  };

  for (const op of operations) {
    const table = operationTable(op);
    const joinsPending = pending && table === pending.table && !['renameTable', 'renameColumn', 'dropTable', 'execute'].includes(op.kind);
    if (!joinsPending) flush();
    if (op.kind === 'dropConstraint' && table) {
      const t = requireTable(state, table, op);
      if (!findConstraint(t, op.ref)) throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: no such constraint on table "${table}"`);
    }
    if (!pending && table && needsRebuild(op, state)) {
      pending = { table, before: structuredClone(requireTable(state, table, op)) };
    }
    if (pending) {
      applyOperation(state, op);
    } else {
      statements.push(...inPlaceSql(op));
      // In-place statements need no knowledge of the table; when the caller passed no schema
      // (nothing here rebuilds) the shape is unknown, and SQLite itself reports what is missing.
      try {
        applyOperation(state, op);
      } catch (error) {
        if (!(error instanceof SchemaApplyError)) throw error;
      }
    }
  }
  flush();
  return { statements, foreignKeysOff };
}

