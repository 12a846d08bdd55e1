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
  switch (op.kind) {
    case 'createTable':
      return { kind: 'dropTable', table: op.table.name, definition: op.table };
    case 'dropTable':
      if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping table ${op.table}: its definition is unknown`);
      return { kind: 'createTable', table: op.definition };
    case 'renameTable':
      return { kind: 'renameTable', from: op.to, to: op.from };
    case 'addColumn':
      return { kind: 'dropColumn', table: op.table, column: op.column.name, definition: op.column };
    case 'dropColumn':
      if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping column ${op.table}.${op.column}: its definition is unknown`);
      return { kind: 'addColumn', table: op.table, column: op.definition };
    case 'alterColumn': {
      if (!op.existing) throw new IrreversibleOperationError(op, `cannot reverse altering column ${op.table}.${op.column}: its previous state is unknown`);
      const back: ColumnChanges = {};
      for (const key of Object.keys(op.changes) as (keyof ColumnChanges)[]) {
        if (!(key in op.existing)) throw new IrreversibleOperationError(op, `cannot reverse altering ${key} of ${op.table}.${op.column}: its previous value is unknown`);
        (back as Record<string, unknown>)[key] = op.existing[key];
      }
      // Dropping NOT NULL takes no scan, so the way back never needs the check.
      return { kind: 'alterColumn', table: op.table, column: op.column, changes: back, existing: pick(op.changes, Object.keys(back)) };
    }
    case 'renameColumn':
      return { kind: 'renameColumn', table: op.table, from: op.to, to: op.from };
    case 'alterPrimaryKey':
      if (op.existing === undefined) throw new IrreversibleOperationError(op, `cannot reverse changing the primary key of ${op.table}: the previous key is unknown`);
      return { kind: 'alterPrimaryKey', table: op.table, primaryKey: op.existing, existing: op.primaryKey };
    case 'createIndex':
      return { kind: 'dropIndex', table: op.table, name: op.index.name, definition: op.index, ...(op.concurrently ? { concurrently: true } : {}) };
    case 'dropIndex':
      if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping index ${op.name}: its definition is unknown`);
      return { kind: 'createIndex', table: op.table, index: op.definition, ...(op.concurrently ? { concurrently: true } : {}) };
    case 'addConstraint':
      return { kind: 'dropConstraint', table: op.table, ref: constraintRef(op.constraint), definition: op.constraint };
    case 'dropConstraint':
      if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping a ${op.ref.type} constraint on ${op.table}: its definition is unknown`);
      return { kind: 'addConstraint', table: op.table, constraint: op.definition };
    case 'validateConstraint':
      return undefined;
    case 'setTableComment':
      if (op.existing === undefined) throw new IrreversibleOperationError(op, `cannot reverse the comment of table ${op.table}: its previous comment is unknown`);
      return { kind: 'setTableComment', table: op.table, comment: op.existing, existing: op.comment };
    case 'createExtension':
      return { kind: 'dropExtension', name: op.name };
    case 'dropExtension':
      return { kind: 'createExtension', name: op.name };
    case 'createEnum':
      return { kind: 'dropEnum', name: op.enum.name, definition: op.enum };
    case 'dropEnum':
      if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping enum ${op.name}: its values are unknown`);
      return { kind: 'createEnum', enum: op.definition };
    case 'addEnumValue':
      return { kind: 'dropEnumValue', name: op.name, value: op.value };
    case 'dropEnumValue': {
      if (!op.definition) throw new IrreversibleOperationError(op, `cannot reverse dropping value '${op.value}' of enum ${op.name}: its position is unknown`);
      const at = op.definition.values.indexOf(op.value);
      const before = op.definition.values[at + 1];
      return { kind: 'addEnumValue', name: op.name, value: op.value, ...(before !== undefined ? { before } : {}) };
    }
    case 'execute':
      throw new IrreversibleOperationError(op, 'raw SQL cannot be reversed automatically; write its downgrade by hand');
  }
}

/** The operations that undo `ops`, in the order that undoes them. */
export function reverseOperations(ops: readonly Operation[]): Operation[] {
  return [...ops].reverse().flatMap((op) => reverseOperation(op) ?? []);
}

function pick(changes: ColumnChanges, keys: string[]): ColumnChanges {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (changes as Record<string, unknown>)[k];
  return out as ColumnChanges;
}
