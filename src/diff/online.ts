/**
 * The online forms autogenerate writes for tables in use, so that a revision never holds a
 * write-blocking lock for longer than a statement's wait for it: an index built (or dropped)
 * CONCURRENTLY, a foreign key or check added NOT VALID and validated in a transaction of its own,
 * NOT NULL set through a validated check. A table the operations create, or drop later on, has
 * no rows to protect and keeps the plain forms.
 */
import { dispatch, type Handlers, type OperationOf } from '../operations/kinds.js';
import { operationTable, type Operation } from '../operations/operation.js';

/**
 * `ops` with the online forms for tables that exist before them, and `comments` (one entry per
 * operation) kept beside the operations they belong to.
 */
export function onlineForms<C>(ops: readonly Operation[], comments: readonly C[] = []): { ops: Operation[]; comments: (C | undefined)[] } {
  const fresh = new Set<string>();
  const droppedAt = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.kind === 'dropTable') droppedAt.set(op.table, i);
  });
  const out: Operation[] = [];
  const outComments: (C | undefined)[] = [];
  ops.forEach((op, i) => {
    const table = operationTable(op);
    if (op.kind === 'createTable') fresh.add(op.table.name);
    if (op.kind === 'renameTable' && fresh.has(op.from)) fresh.add(op.to);
    const inUse = table !== undefined && !fresh.has(table) && !((droppedAt.get(table) ?? -1) > i) && op.transaction !== false;
    const forms = inUse ? online(op) : [op];
    out.push(...forms);
    outComments.push(comments[i], ...forms.slice(1).map(() => undefined));
  });
  return { ops: out, comments: outComments };
}

function online(op: Operation): Operation[] {
  return dispatch(ONLINE, op);
}

/** No online form: the operation as it is. */
const asIs = (op: Operation): Operation[] => [op];

/** Validated in a transaction of its own, after being added NOT VALID. */
function addThenValidate(op: OperationOf<'addConstraint'>): Operation[] {
  // A constraint PostgreSQL would name itself cannot be named to validate: the plain form.
  if (op.constraint.type === 'unique' || !op.constraint.name || op.validate === false) return [op];
  return [
    { ...op, validate: false },
    { kind: 'validateConstraint', table: op.table, name: op.constraint.name },
  ];
}

const ONLINE: Handlers<Operation[]> = {
  createTable: asIs,
  dropTable: asIs,
  renameTable: asIs,
  addColumn: asIs,
  dropColumn: asIs,
  alterColumn: (op) => (op.changes.nullable === false ? [{ ...op, throughCheck: true }] : [op]),
  renameColumn: asIs,
  alterPrimaryKey: asIs,
  createIndex: (op) => [{ ...op, concurrently: true }],
  dropIndex: (op) => [{ ...op, concurrently: true }],
  renameIndex: asIs,
  addConstraint: addThenValidate,
  validateConstraint: asIs,
  dropConstraint: asIs,
  renameConstraint: asIs,
  setTableComment: asIs,
  createExtension: asIs,
  dropExtension: asIs,
  createEnum: asIs,
  dropEnum: asIs,
  addEnumValue: asIs,
  dropEnumValue: asIs,
  renameEnum: asIs,
  execute: asIs,
};
