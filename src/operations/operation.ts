/**
 * Operations: plain, `kind`-tagged data describing one schema change. The differ produces them,
 * revision files produce them through the `op` API, the renderer turns them into TypeScript and
 * each dialect's compiler turns them into SQL.
 */
import type { CheckConstraint, Column, EnumType, ForeignKey, Index, PrimaryKey, Table, UniqueConstraint } from '../schema/schema.js';
import { dispatch, type Handlers, type OperationOf } from './kinds.js';

export type Constraint =
  | ({ type: 'unique' } & UniqueConstraint)
  | ({ type: 'foreignKey' } & ForeignKey)
  | ({ type: 'check' } & CheckConstraint);

export type ConstraintType = Constraint['type'];

/** What `dropConstraint` needs to find a constraint: its name, or for an unnamed one its shape. */
export type ConstraintRef =
  | { type: ConstraintType; name: string }
  | { type: 'unique' | 'foreignKey'; columns: string[] }
  | { type: 'check'; expression: string };

/** The parts of a column `alterColumn` can change. `default: null` removes the default. */
export interface ColumnChanges {
  type?: string;
  nullable?: boolean;
  default?: string | null;
  /** An auto-incrementing key (SQLite AUTOINCREMENT, PostgreSQL serial) or not. */
  autoincrement?: boolean;
  /** A PostgreSQL identity column, or (null) not one. */
  identity?: 'always' | 'by default' | null;
  comment?: string | null;
  /** MySQL's ON UPDATE expression, or (null) none. */
  onUpdate?: string | null;
  /** The column's collation, or (null) its type's default. */
  collation?: string | null;
  /**
   * A stored generated column's expression, or (null) a plain column that keeps the values it
   * holds. A column made generated, or given another expression, is dropped and added again, as
   * TypeORM does: its values are computed anew.
   */
  generated?: string | null;
  /** MySQL: the generated column computed when read (VIRTUAL), or stored (false). */
  virtual?: boolean;
}

export type Operation = (
  | { kind: 'createTable'; table: Table }
  | { kind: 'dropTable'; table: string; definition?: Table }
  | { kind: 'renameTable'; from: string; to: string }
  | { kind: 'addColumn'; table: string; column: Column }
  | { kind: 'dropColumn'; table: string; column: string; definition?: Column }
  | { kind: 'alterColumn'; table: string; column: string; changes: ColumnChanges; existing?: ColumnChanges; throughCheck?: boolean }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'alterPrimaryKey'; table: string; primaryKey: PrimaryKey | null; existing?: PrimaryKey | null }
  | { kind: 'createIndex'; table: string; index: Index; concurrently?: boolean }
  | { kind: 'dropIndex'; table: string; name: string; definition?: Index; concurrently?: boolean }
  | { kind: 'renameIndex'; table: string; from: string; to: string }
  | { kind: 'addConstraint'; table: string; constraint: Constraint; validate?: false }
  | { kind: 'validateConstraint'; table: string; name: string }
  | { kind: 'dropConstraint'; table: string; ref: ConstraintRef; definition?: Constraint }
  | { kind: 'renameConstraint'; table: string; from: string; to: string }
  | { kind: 'setTableComment'; table: string; comment: string | null; existing?: string | null }
  | { kind: 'createExtension'; name: string; schema?: string; version?: string }
  | { kind: 'dropExtension'; name: string }
  | { kind: 'createEnum'; enum: EnumType }
  | { kind: 'dropEnum'; name: string; definition?: EnumType }
  | { kind: 'addEnumValue'; name: string; value: string; before?: string }
  | { kind: 'dropEnumValue'; name: string; value: string; definition?: EnumType }
  | { kind: 'renameEnum'; from: string; to: string }
  | { kind: 'execute'; sql: string; transaction?: false }
) & {
  /**
   * Not in the revision's one transaction: raw SQL runs outside any transaction, any other
   * operation in a transaction of its own. Set on every operation of a revision that says
   * `export const transaction = false`, and by `op.execute(sql, { transaction: false })`.
   */
  transaction?: false;
};

export type OperationKind = Operation['kind'];

/** The table an operation works on (the new name for a rename); undefined for raw SQL. */
export function operationTable(op: Operation): string | undefined {
  return dispatch(TABLE_OF, op);
}

const itsTable = (op: { table: string }): string => op.table;
const noTable = (): undefined => undefined;

const TABLE_OF: Handlers<string | undefined> = {
  createTable: (op) => op.table.name,
  dropTable: itsTable,
  renameTable: (op) => op.to,
  addColumn: itsTable,
  dropColumn: itsTable,
  alterColumn: itsTable,
  renameColumn: itsTable,
  alterPrimaryKey: itsTable,
  createIndex: itsTable,
  dropIndex: itsTable,
  renameIndex: itsTable,
  addConstraint: itsTable,
  validateConstraint: itsTable,
  dropConstraint: itsTable,
  renameConstraint: itsTable,
  setTableComment: itsTable,
  createExtension: noTable,
  dropExtension: noTable,
  createEnum: noTable,
  dropEnum: noTable,
  addEnumValue: noTable,
  dropEnumValue: noTable,
  renameEnum: noTable,
  execute: noTable,
};

/** A short human description, used in error messages and comments. */
export function describeOperation(op: Operation): string {
  return dispatch(DESCRIPTION, op);
}

const DESCRIPTION: Handlers<string> = {
  createTable: (op) => `create table ${op.table.name}`,
  dropTable: (op) => `drop table ${op.table}`,
  renameTable: (op) => `rename table ${op.from} to ${op.to}`,
  addColumn: (op) => `add column ${op.table}.${op.column.name}`,
  dropColumn: (op) => `drop column ${op.table}.${op.column}`,
  alterColumn: (op) => `alter column ${op.table}.${op.column}`,
  renameColumn: (op) => `rename column ${op.table}.${op.from} to ${op.to}`,
  alterPrimaryKey: (op) => `change the primary key of ${op.table} to (${op.primaryKey?.columns.join(', ') ?? ''})`,
  createIndex: (op) => `create index ${op.index.name} on ${op.table}`,
  dropIndex: (op) => `drop index ${op.name} on ${op.table}`,
  renameIndex: (op) => `rename index ${op.from} on ${op.table} to ${op.to}`,
  validateConstraint: (op) => `validate constraint ${op.name} on ${op.table}`,
  addConstraint: (op) => `add ${op.constraint.type} constraint ${constraintLabel(op.constraint)} on ${op.table}`,
  dropConstraint: (op) => `drop ${op.ref.type} constraint ${constraintLabel(op.ref)} on ${op.table}`,
  renameConstraint: (op) => `rename constraint ${op.from} on ${op.table} to ${op.to}`,
  setTableComment: (op) => `set comment of table ${op.table}`,
  createExtension: (op) => `create extension ${op.name}`,
  dropExtension: (op) => `drop extension ${op.name}`,
  createEnum: (op) => `create enum ${op.enum.name}`,
  dropEnum: (op) => `drop enum ${op.name}`,
  addEnumValue: (op) => `add value '${op.value}' to enum ${op.name}`,
  dropEnumValue: (op) => `drop value '${op.value}' from enum ${op.name}`,
  renameEnum: (op) => `rename enum ${op.from} to ${op.to}`,
  execute: (op) => `execute ${op.sql.length > 60 ? `${op.sql.slice(0, 57)}...` : op.sql}`,
};

function constraintLabel(c: Constraint | ConstraintRef): string {
  if ('name' in c && c.name) return c.name;
  if ('columns' in c && c.columns) return `(${c.columns.join(', ')})`;
  if ('expression' in c) return `(${c.expression})`;
  return '(unnamed)';
}

/**
 * What an operation changes, for the summaries commands print: as describeOperation, and for a
 * change to a column or a table's comment, from what to what
 * (`alter column users.displayName: nullable → not null`).
 */
export function summarizeOperation(op: Operation): string {
  return dispatch(SUMMARY, op);
}

/** A change to a column, with each part from what to what. */
function summarizeAlterColumn(op: OperationOf<'alterColumn'>): string {
  const parts = columnChanges(op.changes, op.existing);
  return parts.length ? `${describeOperation(op)}: ${parts.join(', ')}` : describeOperation(op);
}

function summarizeTableComment(op: OperationOf<'setTableComment'>): string {
  return `${describeOperation(op)}: ${op.existing === undefined ? '' : `${shownComment(op.existing)} → `}${shownComment(op.comment)}`;
}

function summarizePrimaryKey(op: OperationOf<'alterPrimaryKey'>): string {
  if (op.existing === undefined) return describeOperation(op);
  return `change the primary key of ${op.table} from ${shownKey(op.existing)} to ${shownKey(op.primaryKey)}`;
}

/** Kinds whose description says all there is: their summary is it. */
const described = (op: Operation): string => describeOperation(op);

const SUMMARY: Handlers<string> = {
  createTable: described,
  dropTable: described,
  renameTable: described,
  addColumn: described,
  dropColumn: described,
  alterColumn: summarizeAlterColumn,
  renameColumn: described,
  alterPrimaryKey: summarizePrimaryKey,
  createIndex: described,
  dropIndex: described,
  renameIndex: described,
  addConstraint: described,
  validateConstraint: described,
  dropConstraint: described,
  renameConstraint: described,
  setTableComment: summarizeTableComment,
  createExtension: described,
  dropExtension: described,
  createEnum: described,
  dropEnum: described,
  addEnumValue: described,
  dropEnumValue: described,
  renameEnum: described,
  execute: described,
};

/** `type integer → bigint`, `nullable → not null`, `default none → 0`: one part per change. */
function columnChanges(changes: ColumnChanges, existing: ColumnChanges | undefined): string[] {
  const parts: string[] = [];
  const was = <K extends keyof ColumnChanges>(key: K, show: (v: ColumnChanges[K]) => string): string =>
    existing && key in existing ? `${show(existing[key])} → ` : '→ ';
  if (changes.type !== undefined) parts.push(`type ${was('type', (t) => t ?? '?')}${changes.type}`);
  if (changes.nullable !== undefined) {
    const show = (n: boolean | undefined): string => (n ? 'nullable' : 'not null');
    parts.push(existing && existing.nullable !== undefined ? `${show(existing.nullable)} → ${show(changes.nullable)}` : show(changes.nullable));
  }
  if ('default' in changes) parts.push(`default ${was('default', shownDefault)}${shownDefault(changes.default)}`);
  if (changes.autoincrement !== undefined) parts.push(changes.autoincrement ? 'autoincrement' : 'no autoincrement');
  if ('identity' in changes) parts.push(`identity ${was('identity', (i) => i ?? 'none')}${changes.identity ?? 'none'}`);
  if ('comment' in changes) parts.push(`comment ${was('comment', shownComment)}${shownComment(changes.comment)}`);
  if ('onUpdate' in changes) parts.push(`on update ${was('onUpdate', shownDefault)}${shownDefault(changes.onUpdate)}`);
  if ('collation' in changes) parts.push(`collation ${was('collation', shownDefault)}${shownDefault(changes.collation)}`);
  if ('generated' in changes) parts.push(`generated ${was('generated', shownDefault)}${shownDefault(changes.generated)}`);
  if (changes.virtual !== undefined && changes.generated !== null) parts.push(changes.virtual ? 'virtual' : 'stored');
  return parts;
}

function shownDefault(value: string | null | undefined): string {
  return value === null || value === undefined ? 'none' : value;
}

function shownComment(value: string | null | undefined): string {
  return value === null || value === undefined ? 'none' : JSON.stringify(value);
}

function shownKey(key: PrimaryKey | null | undefined): string {
  return key ? `(${key.columns.join(', ')})` : 'none';
}
