/**
 * How a rerun tells whether a MySQL DDL statement took effect. MySQL commits each DDL statement
 * as it runs, and the server finishes a statement whose client was killed: the record the runner
 * writes after a statement may be missing although the statement ran. Each statement is marked
 * as started before it runs; a rerun that finds the mark asks the catalog whether the change is
 * there (`done`: skipped) or not (`run`). Statements that can run twice to the same end (MODIFY
 * COLUMN, SET DEFAULT, a table comment) need no question, nor do a revision's own statements
 * (`op.execute`), whose rows commit together with their record.
 */
import { dispatch, type Handlers } from '../../operations/kinds.js';
import type { Operation } from '../../operations/operation.js';
import type { Resume } from '../phases.js';
import { quoteMysqlLiteral as lit } from './quote.js';

const here = (table: string): string => `TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${lit(table)}`;
const exists = (from: string, where: string): string => `EXISTS (SELECT 1 FROM information_schema.${from} WHERE ${where})`;
const table = (name: string): string => exists('TABLES', here(name));
const column = (t: string, c: string): string => exists('COLUMNS', `${here(t)} AND COLUMN_NAME = ${lit(c)}`);
const index = (t: string, i: string): string => exists('STATISTICS', `${here(t)} AND INDEX_NAME = ${lit(i)}`);
const constraint = (t: string, type: 'FOREIGN KEY' | 'CHECK', name: string): string =>
  exists('TABLE_CONSTRAINTS', `CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ${lit(t)} AND CONSTRAINT_TYPE = '${type}' AND CONSTRAINT_NAME = ${lit(name)}`);
/** A constraint of any type (a unique one, a foreign key, a check) of that name on the table. */
const namedConstraint = (t: string, name: string): string => exists('TABLE_CONSTRAINTS', `CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ${lit(t)} AND CONSTRAINT_NAME = ${lit(name)}`);
const not = (condition: string): string => `NOT ${condition}`;
/** The primary key's columns, comma-separated; NULL without one. */
const primaryKey = (t: string): string => `(SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ',') FROM information_schema.STATISTICS WHERE ${here(t)} AND INDEX_NAME = 'PRIMARY')`;

/** A constraint's condition: there (`present`) or gone. A unique constraint is an index in MySQL. */
function constraintThere(t: string, type: 'unique' | 'foreignKey' | 'check', name: string): string {
  return type === 'unique' ? index(t, name) : constraint(t, type === 'foreignKey' ? 'FOREIGN KEY' : 'CHECK', name);
}

const none = (): undefined => undefined;

/** Per kind: the condition that holds once the operation's DDL statement has taken effect. */
const DONE: Handlers<string | undefined, [constraintName: string | undefined]> = {
  createTable: (op) => table(op.table.name),
  dropTable: (op) => not(table(op.table)),
  renameTable: (op) => `${table(op.to)} AND ${not(table(op.from))}`,
  addColumn: (op) => column(op.table, op.column.name),
  dropColumn: (op) => not(column(op.table, op.column)),
  alterColumn: none,
  renameColumn: (op) => `${column(op.table, op.to)} AND ${not(column(op.table, op.from))}`,
  alterPrimaryKey: (op) => (op.primaryKey ? `${primaryKey(op.table)} <=> ${lit(op.primaryKey.columns.join(','))}` : `${primaryKey(op.table)} IS NULL`),
  createIndex: (op) => index(op.table, op.index.name),
  dropIndex: (op) => not(index(op.table, op.name)),
  renameIndex: (op) => `${index(op.table, op.to)} AND ${not(index(op.table, op.from))}`,
  addConstraint: (op) => (op.constraint.name ? constraintThere(op.table, op.constraint.type, op.constraint.name) : undefined),
  validateConstraint: none,
  dropConstraint: (op, name) => (name ? not(constraintThere(op.table, op.ref.type, name)) : undefined),
  renameConstraint: (op) => `${namedConstraint(op.table, op.to)} AND ${not(namedConstraint(op.table, op.from))}`,
  setTableComment: none,
  createExtension: none,
  dropExtension: none,
  createEnum: none,
  dropEnum: none,
  addEnumValue: none,
  dropEnumValue: none,
  renameEnum: none,
  execute: none,
};

/**
 * What a rerun asks before running the DDL statement of `op` again (`constraintName`: the name a
 * dropConstraint resolved to); undefined when nothing needs asking.
 */
export function mysqlResume(op: Operation, constraintName?: string): Resume | undefined {
  const condition = dispatch(DONE, op, constraintName);
  return condition ? { state: `SELECT CASE WHEN ${condition} THEN 'done' ELSE 'run' END AS state`, cleanup: [] } : undefined;
}
