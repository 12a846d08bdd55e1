/**
 * Collapsing a list of operations into fewer that leave the same schema, after Django's migration
 * optimizer: an operation folds into an earlier (or later) one on the same table when every
 * operation between them could have run in either order with it.
 *
 *   - createTable T, then anything on T (addColumn, alterColumn, dropColumn, renameColumn,
 *     alterPrimaryKey, createIndex, dropIndex, constraints, comment, renameTable): one createTable,
 *     its indexes created right after it; createTable T, then dropTable T: nothing;
 *   - addColumn, then alterColumn of that column: addColumn with the final properties; then
 *     renameColumn: addColumn under the new name; then dropColumn: nothing;
 *   - alterColumn twice: one with both changes; renameColumn a→b then b→c: a→c (a→a: nothing);
 *     renameColumn a→b then dropColumn b: dropColumn a; renameTable twice: one;
 *   - createIndex then dropIndex, addConstraint then dropConstraint of the same: nothing;
 *   - anything on T, then dropTable T: dropTable T.
 *
 * Raw SQL (`op.execute`), enum and extension operations are barriers: nothing moves across them
 * and they stay where they are. An operation no rule folds is kept as is, never dropped. The
 * result depends only on the input: the same operations collapse the same way.
 */
import type { Schema, Table } from '../schema/schema.js';
import { applyOperation, matchesConstraint } from './apply.js';
import { dispatch, kindEntry, type Handlers, type KindTable } from './kinds.js';
import type { Operation } from './operation.js';

/** The collapsed form of `ops` (which are left as they are). */
export function collapseOperations(ops: readonly Operation[]): Operation[] {
  const list = structuredClone([...ops]) as Operation[];
  while (collapseOnce(list));
  return list.flatMap(expandIndexes);
}

/** Makes the first reduction there is; false when there is none. */
function collapseOnce(list: Operation[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (isBarrier(a)) continue;
    // Whether `a` could run just before list[j]: it commutes with everything between.
    let aMoves = true;
    for (let j = i + 1; j < list.length; j++) {
      const b = list[j];
      if (isBarrier(b)) break;
      const reduced = reduce(a, b);
      if (reduced) {
        const between = list.slice(i + 1, j);
        const bMoves = between.every((k) => commute(b, k));
        if (aMoves || bMoves) {
          // The result takes the place of the one that did not move: the earlier one's when it can.
          if (bMoves) {
            list.splice(j, 1);
            list.splice(i, 1, ...reduced);
          } else {
            list.splice(j, 1, ...reduced);
            list.splice(i, 1);
          }
          return true;
        }
      }
      aMoves &&= commute(a, b);
    }
  }
  return false;
}

/**
 * How collapsing sees a kind: a barrier nothing moves across, a whole table's life (created,
 * dropped, renamed), or a change on one table, which may fold into the table's creation or drop.
 */
type Scope = 'barrier' | 'table' | 'onTable';

const SCOPE: KindTable<Scope> = {
  createTable: 'table',
  dropTable: 'table',
  renameTable: 'table',
  addColumn: 'onTable',
  dropColumn: 'onTable',
  alterColumn: 'onTable',
  renameColumn: 'onTable',
  alterPrimaryKey: 'onTable',
  createIndex: 'onTable',
  dropIndex: 'onTable',
  renameIndex: 'onTable',
  addConstraint: 'onTable',
  validateConstraint: 'onTable',
  dropConstraint: 'onTable',
  renameConstraint: 'onTable',
  setTableComment: 'onTable',
  createExtension: 'barrier',
  dropExtension: 'barrier',
  createEnum: 'barrier',
  dropEnum: 'barrier',
  addEnumValue: 'barrier',
  dropEnumValue: 'barrier',
  renameEnum: 'barrier',
  execute: 'barrier',
};

/** Operations that no other operation moves across: raw SQL, enums, extensions, and anything not on one table. */
function isBarrier(op: Operation): boolean {
  // Outside the revision's transaction (`export const transaction = false`): kept where it is.
  return kindEntry(SCOPE, op.kind) === 'barrier' || op.transaction === false;
}

/** A change on one table (not its creation, drop or rename). */
function isOnTable(op: Operation): boolean {
  return kindEntry(SCOPE, op.kind) === 'onTable';
}

/** The tables an operation changes (both names of a rename). */
function tablesOf(op: Operation): string[] {
  return dispatch(TABLES, op);
}

const itsTable = (op: { table: string }): string[] => [op.table];
const noTables = (): string[] => [];

const TABLES: Handlers<string[]> = {
  createTable: (op) => [op.table.name],
  dropTable: itsTable,
  renameTable: (op) => [op.from, op.to],
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
  createExtension: noTables,
  dropExtension: noTables,
  createEnum: noTables,
  dropEnum: noTables,
  addEnumValue: noTables,
  dropEnumValue: noTables,
  renameEnum: noTables,
  execute: noTables,
};

interface Reference {
  table: string;
  columns: string[];
}

/** The tables (and columns) an operation's foreign keys point at. */
function referencesOf(op: Operation): Reference[] {
  return dispatch(REFERENCES, op);
}

const noReferences = (): Reference[] => [];

const REFERENCES: Handlers<Reference[]> = {
  createTable: (op) => op.table.foreignKeys.map((f) => ({ table: f.referencedTable, columns: f.referencedColumns })),
  dropTable: noReferences,
  renameTable: noReferences,
  addColumn: noReferences,
  dropColumn: noReferences,
  alterColumn: noReferences,
  renameColumn: noReferences,
  alterPrimaryKey: noReferences,
  createIndex: noReferences,
  dropIndex: noReferences,
  renameIndex: noReferences,
  addConstraint: (op) => (op.constraint.type === 'foreignKey' ? [{ table: op.constraint.referencedTable, columns: op.constraint.referencedColumns }] : []),
  validateConstraint: noReferences,
  dropConstraint: noReferences,
  renameConstraint: noReferences,
  setTableComment: noReferences,
  createExtension: noReferences,
  dropExtension: noReferences,
  createEnum: noReferences,
  dropEnum: noReferences,
  addEnumValue: noReferences,
  dropEnumValue: noReferences,
  renameEnum: noReferences,
  execute: noReferences,
};

/** Whether `x; y` leaves the same schema as `y; x` (the same answer either way round). */
function commute(x: Operation, y: Operation): boolean {
  if (isBarrier(x) || isBarrier(y)) return false;
  const tx = tablesOf(x);
  const ty = tablesOf(y);
  if (tx.some((t) => ty.includes(t))) return false;
  // Dropping a table may drop what points at it, or be refused while something does.
  if (x.kind === 'dropTable' || y.kind === 'dropTable') return false;
  return referencesAllow(x, y) && referencesAllow(y, x);
}

/** Whether `op`, on a table that `other`'s foreign keys point at, leaves alone what they need. */
function referencesAllow(other: Operation, op: Operation): boolean {
  const tables = tablesOf(op);
  for (const ref of referencesOf(other)) {
    if (!tables.includes(ref.table)) continue;
    if (!dispatch(LEAVES_REFERENCED, op, ref.columns)) return false;
  }
  return true;
}

const leavesThemAlone = (): boolean => true;
const mayChangeThem = (): boolean => false;

/** Whether an operation on a table that foreign keys point at leaves their `columns` (and a unique key over them) alone. */
const LEAVES_REFERENCED: Handlers<boolean, [columns: string[]]> = {
  createTable: mayChangeThem,
  dropTable: mayChangeThem,
  renameTable: mayChangeThem,
  addColumn: (op, cols) => !cols.includes(op.column.name),
  dropColumn: (op, cols) => !cols.includes(op.column),
  alterColumn: (op, cols) => !cols.includes(op.column),
  renameColumn: (op, cols) => !cols.includes(op.from) && !cols.includes(op.to),
  alterPrimaryKey: mayChangeThem,
  createIndex: (op) => !op.index.unique,
  dropIndex: mayChangeThem,
  renameIndex: leavesThemAlone,
  addConstraint: (op) => op.constraint.type !== 'unique',
  validateConstraint: leavesThemAlone,
  dropConstraint: (op) => op.ref.type !== 'unique',
  renameConstraint: leavesThemAlone,
  setTableComment: leavesThemAlone,
  createExtension: mayChangeThem,
  dropExtension: mayChangeThem,
  createEnum: mayChangeThem,
  dropEnum: mayChangeThem,
  addEnumValue: mayChangeThem,
  dropEnumValue: mayChangeThem,
  renameEnum: mayChangeThem,
  execute: mayChangeThem,
};

/** What `a` then `b` reduce to, or undefined when no rule applies. */
function reduce(a: Operation, b: Operation): Operation[] | undefined {
  if (a.kind === 'createTable') {
    const name = a.table.name;
    if (b.kind === 'dropTable' && b.table === name) return [];
    if ((b.kind === 'renameTable' && b.from === name) || (isOnTable(b) && tablesOf(b)[0] === name)) {
      const table = onTable(a.table, b);
      return table ? [{ ...a, table }] : undefined;
    }
    return undefined;
  }
  if (b.kind === 'dropTable') {
    if (isOnTable(a) && tablesOf(a)[0] === b.table) return [b];
    if (a.kind === 'renameTable' && a.to === b.table) return [{ ...b, table: a.from }];
    return undefined;
  }
  if (a.kind === 'addColumn' && 'table' in b && b.table === a.table) {
    const name = a.column.name;
    if (b.kind === 'dropColumn' && b.column === name) return [];
    if (b.kind === 'renameColumn' && b.from === name) return [{ ...a, column: { ...a.column, name: b.to } }];
    if (b.kind === 'alterColumn' && b.column === name) {
      const table = onTable({ name: a.table, columns: [a.column], indexes: [], uniques: [], checks: [], foreignKeys: [] }, b);
      return table ? [{ ...a, column: table.columns[0] }] : undefined;
    }
    return undefined;
  }
  if (a.kind === 'alterColumn' && b.kind === 'alterColumn' && a.table === b.table && a.column === b.column) {
    const changes = { ...a.changes, ...b.changes };
    const existing = a.existing && b.existing ? { ...b.existing, ...a.existing } : undefined;
    const throughCheck = (a.throughCheck || b.throughCheck) && changes.nullable === false;
    return [{ kind: 'alterColumn', table: a.table, column: a.column, changes, ...(existing ? { existing } : {}), ...(throughCheck ? { throughCheck: true } : {}) }];
  }
  if (a.kind === 'renameColumn' && 'table' in b && b.table === a.table) {
    if (b.kind === 'renameColumn' && b.from === a.to) return a.from === b.to ? [] : [{ ...a, to: b.to }];
    if (b.kind === 'dropColumn' && b.column === a.to) return [{ kind: 'dropColumn', table: a.table, column: a.from }];
    return undefined;
  }
  if (a.kind === 'renameTable' && b.kind === 'renameTable' && b.from === a.to) return a.from === b.to ? [] : [{ ...a, to: b.to }];
  if (a.kind === 'createIndex' && b.kind === 'dropIndex' && a.table === b.table && a.index.name === b.name) return [];
  if (a.kind === 'addConstraint' && b.kind === 'dropConstraint' && a.table === b.table && matchesConstraint(a.constraint, b.ref)) return [];
  return undefined;
}

/** `table` with `op` applied, or undefined when `op` does not apply to it as it is. */
function onTable(table: Table, op: Operation): Table | undefined {
  const schema: Schema = { tables: [structuredClone(table)] };
  try {
    applyOperation(schema, op);
  } catch {
    return undefined;
  }
  return schema.tables[0];
}

/** A created table's indexes as createIndex operations right after it: createTable writes none. */
function expandIndexes(op: Operation): Operation[] {
  if (op.kind !== 'createTable' || op.table.indexes.length === 0) return [op];
  const { indexes, ...rest } = op.table;
  return [{ ...op, table: { ...rest, indexes: [] } }, ...indexes.map((index) => ({ kind: 'createIndex' as const, table: op.table.name, index }))];
}
