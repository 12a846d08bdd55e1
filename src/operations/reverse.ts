import { dispatch, type Handlers, type OperationOf } from './kinds.js';
import type { Constraint, ConstraintRef, ColumnChanges, Operation } from './operation.js';

export class IrreversibleOperationError extends Error {
  constructor(readonly operation: Operation, reason: string) {
    super(reason);
    this.name = 'IrreversibleOperationError';
  }
}

/** The reference `dropConstraint` uses for a constraint: its name when it has one, else its shape. */
export function constraintRef(c: Constraint): ConstraintRef {
  if (c.name) return { type: c.type, name: c.name };
  if (c.type === 'check') return { type: 'check', expression: c.expression };
  return { type: c.type, columns: c.columns };
}

/**
 * The operation that undoes `op` (none for validating a constraint: the drop that undoes its
 * creation is enough). Drops carry the definition of what they drop, so that the
 * downgrade of a generated revision is derived from its upgrade, never diffed a second time.
 */
export function reverseOperation(op: Operation): Operation | undefined {
  return dispatch(REVERSE, op);
}

function reverseDropTable(op: OperationOf<'dropTable'>): Operation {
  if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping table ${op.table}: its definition is unknown`);
  return { kind: 'createTable', table: op.definition };
}

function reverseDropColumn(op: OperationOf<'dropColumn'>): Operation {
  if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping column ${op.table}.${op.column}: its definition is unknown`);
  return { kind: 'addColumn', table: op.table, column: op.definition };
}

function reverseAlterColumn(op: OperationOf<'alterColumn'>): Operation {
  if (!op.existing) throw new IrreversibleOperationError(op, `cannot reverse altering column ${op.table}.${op.column}: its previous state is unknown`);
  const back: ColumnChanges = {};
  for (const key of Object.keys(op.changes) as (keyof ColumnChanges)[]) {
    if (!(key in op.existing)) throw new IrreversibleOperationError(op, `cannot reverse altering ${key} of ${op.table}.${op.column}: its previous value is unknown`);
    (back as Record<string, unknown>)[key] = op.existing[key];
  }
  // Dropping NOT NULL takes no scan, so the way back never needs the check.
  return { kind: 'alterColumn', table: op.table, column: op.column, changes: back, existing: pick(op.changes, Object.keys(back)) };
}

function reverseAlterPrimaryKey(op: OperationOf<'alterPrimaryKey'>): Operation {
  if (op.existing === undefined) throw new IrreversibleOperationError(op, `cannot reverse changing the primary key of ${op.table}: the previous key is unknown`);
  return { kind: 'alterPrimaryKey', table: op.table, primaryKey: op.existing, existing: op.primaryKey };
}

function reverseDropIndex(op: OperationOf<'dropIndex'>): Operation {
  if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping index ${op.name}: its definition is unknown`);
  return { kind: 'createIndex', table: op.table, index: op.definition, ...(op.concurrently ? { concurrently: true } : {}) };
}

function reverseDropConstraint(op: OperationOf<'dropConstraint'>): Operation {
  if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping a ${op.ref.type} constraint on ${op.table}: its definition is unknown`);
  return { kind: 'addConstraint', table: op.table, constraint: op.definition };
}

function reverseTableComment(op: OperationOf<'setTableComment'>): Operation {
  if (op.existing === undefined) throw new IrreversibleOperationError(op, `cannot reverse the comment of table ${op.table}: its previous comment is unknown`);
  return { kind: 'setTableComment', table: op.table, comment: op.existing, existing: op.comment };
}

function reverseDropEnum(op: OperationOf<'dropEnum'>): Operation {
  if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping enum ${op.name}: its values are unknown`);
  return { kind: 'createEnum', enum: op.definition };
}

/** Adding the value back where it was: before the value that followed it. */
function reverseDropEnumValue(op: OperationOf<'dropEnumValue'>): Operation {
  if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping value '${op.value}' of enum ${op.name}: its position is unknown`);
  const at = op.definition.values.indexOf(op.value);
  const before = op.definition.values[at + 1];
  return { kind: 'addEnumValue', name: op.name, value: op.value, ...(before !== undefined ? { before } : {}) };
}

const REVERSE: Handlers<Operation | undefined> = {
  createTable: (op) => ({ kind: 'dropTable', table: op.table.name, definition: op.table }),
  dropTable: reverseDropTable,
  renameTable: (op) => ({ kind: 'renameTable', from: op.to, to: op.from }),
  addColumn: (op) => ({ kind: 'dropColumn', table: op.table, column: op.column.name, definition: op.column }),
  dropColumn: reverseDropColumn,
  alterColumn: reverseAlterColumn,
  renameColumn: (op) => ({ kind: 'renameColumn', table: op.table, from: op.to, to: op.from }),
  alterPrimaryKey: reverseAlterPrimaryKey,
  createIndex: (op) => ({ kind: 'dropIndex', table: op.table, name: op.index.name, definition: op.index, ...(op.concurrently ? { concurrently: true } : {}) }),
  dropIndex: reverseDropIndex,
  renameIndex: (op) => ({ kind: 'renameIndex', table: op.table, from: op.to, to: op.from }),
  addConstraint: (op) => ({ kind: 'dropConstraint', table: op.table, ref: constraintRef(op.constraint), definition: op.constraint }),
  dropConstraint: reverseDropConstraint,
  renameConstraint: (op) => ({ kind: 'renameConstraint', table: op.table, from: op.to, to: op.from }),
  validateConstraint: () => undefined,
  setTableComment: reverseTableComment,
  createExtension: (op) => ({ kind: 'dropExtension', name: op.name }),
  dropExtension: (op) => ({ kind: 'createExtension', name: op.name }),
  createEnum: (op) => ({ kind: 'dropEnum', name: op.enum.name, definition: op.enum }),
  dropEnum: reverseDropEnum,
  addEnumValue: (op) => ({ kind: 'dropEnumValue', name: op.name, value: op.value }),
  dropEnumValue: reverseDropEnumValue,
  renameEnum: (op) => ({ kind: 'renameEnum', from: op.to, to: op.from }),
  execute: (op) => {
    throw new IrreversibleOperationError(op, 'raw SQL cannot be reversed automatically; write its downgrade by hand');
  },
};

/** The operations that undo `ops`, in the order that undoes them. */
export function reverseOperations(ops: readonly Operation[]): Operation[] {
  return [...ops].reverse().flatMap((op) => reverseOperation(op) ?? []);
}

function pick(changes: ColumnChanges, keys: string[]): ColumnChanges {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (changes as Record<string, unknown>)[k];
  return out as ColumnChanges;
}
