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

/** Operations that no other operation moves across: raw SQL, enums, extensions, and anything not on one table. */
function isBarrier(op: Operation): boolean {
  switch (op.kind) {
    case 'execute':
    case 'createEnum':
    case 'dropEnum':
    case 'addEnumValue':
    case 'dropEnumValue':
    case 'createExtension':
    case 'dropExtension':
      return true;
    default:
      // Outside the revision's transaction (`export const transaction = false`): kept where it is.
      return op.transaction === false;
  }
}

/** The tables an operation changes (both names of a rename). */
function tablesOf(op: Operation): string[] {
  switch (op.kind) {
    case 'createTable':
      return [op.table.name];
    case 'renameTable':
      return [op.from, op.to];
    case 'execute':
    case 'createEnum':
    case 'dropEnum':
    case 'addEnumValue':
    case 'dropEnumValue':
    case 'createExtension':
    case 'dropExtension':
      return [];
    default:
      return [op.table];
  }
}

/** The tables (and columns) an operation's foreign keys point at. */
function referencesOf(op: Operation): { table: string; columns: string[] }[] {
  if (op.kind === 'createTable') return op.table.foreignKeys.map((f) => ({ table: f.referencedTable, columns: f.referencedColumns }));
  if (op.kind === 'addConstraint' && op.constraint.type === 'foreignKey') return [{ table: op.constraint.referencedTable, columns: op.constraint.referencedColumns }];
  return [];
}

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
    const cols = ref.columns;
    switch (op.kind) {
      case 'addColumn':
        if (cols.includes(op.column.name)) return false;
        break;
      case 'alterColumn':
      case 'dropColumn':
        if (cols.includes(op.column)) return false;
        break;
      case 'renameColumn':
        if (cols.includes(op.from) || cols.includes(op.to)) return false;
        break;
      case 'createIndex':
        if (op.index.unique) return false;
        break;
      case 'addConstraint':
        if (op.constraint.type === 'unique') return false;
        break;
      case 'dropConstraint':
        if (op.ref.type === 'unique') return false;
        break;
      case 'setTableComment':
      case 'validateConstraint':
        break;
      default:
        return false;
    }
  }
  return true;
}

const TABLE_LEVEL = new Set<Operation['kind']>([
  'addColumn',
  'dropColumn',
  'alterColumn',
  'renameColumn',
  'alterPrimaryKey',
  'createIndex',
  'dropIndex',
  'addConstraint',
  'dropConstraint',
  'validateConstraint',
  'setTableComment',
]);

/** What `a` then `b` reduce to, or undefined when no rule applies. */
function reduce(a: Operation, b: Operation): Operation[] | undefined {
  if (a.kind === 'createTable') {
    const name = a.table.name;
    if (b.kind === 'dropTable' && b.table === name) return [];
    if ((b.kind === 'renameTable' && b.from === name) || (TABLE_LEVEL.has(b.kind) && tablesOf(b)[0] === name)) {
      const table = onTable(a.table, b);
      return table ? [{ ...a, table }] : undefined;
    }
    return undefined;
  }
  if (b.kind === 'dropTable') {
    if (TABLE_LEVEL.has(a.kind) && tablesOf(a)[0] === b.table) return [b];
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
