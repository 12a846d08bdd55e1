/**
 * Per-kind tables: every place that treats operations differently by kind does so through a
 * table with an entry for every kind, so that a kind added to `Operation` without an entry in one
 * of those places is a compile error there, never a case silently skipped.
 */
import type { Operation, OperationKind } from './operation.js';

/** The operation of one kind. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** A handler for every kind, each given an operation of its kind (and `Args`). */
export type Handlers<R, Args extends unknown[] = []> = {
  readonly [K in OperationKind]: (op: OperationOf<K>, ...args: Args) => R;
};

/** A value for every kind: what a place decides about each kind (`needs a rebuild`, …). */
export type KindTable<V> = { readonly [K in OperationKind]: V };

/** An operation whose kind no table knows (from code that is not TypeScript, or older). */
export class UnknownOperationKindError extends Error {
  constructor(readonly kind: unknown) {
    super(`unknown operation kind ${JSON.stringify(kind)}: not one of ${OPERATION_KINDS.join(', ')}`);
    this.name = 'UnknownOperationKindError';
  }
}

/** Calls the handler for `op`'s kind. */
export function dispatch<R, Args extends unknown[]>(table: Handlers<R, Args>, op: Operation, ...args: Args): R {
  return handlerOf(table, op.kind)(op, ...args);
}

/** What `table` says of `kind`. */
export function kindEntry<V>(table: KindTable<V>, kind: OperationKind): V {
  if (!Object.hasOwn(table, kind)) throw new UnknownOperationKindError(kind);
  return table[kind];
}

function handlerOf<R, Args extends unknown[]>(table: Handlers<R, Args>, kind: OperationKind): (op: Operation, ...args: Args) => R {
  // Each handler takes only its own kind; `op.kind` picked it, so `op` is of that kind.
  return kindEntry(table as KindTable<unknown>, kind) as (op: Operation, ...args: Args) => R;
}

const EVERY_KIND: KindTable<true> = {
  createTable: true,
  dropTable: true,
  renameTable: true,
  addColumn: true,
  dropColumn: true,
  alterColumn: true,
  renameColumn: true,
  alterPrimaryKey: true,
  createIndex: true,
  dropIndex: true,
  renameIndex: true,
  addConstraint: true,
  validateConstraint: true,
  dropConstraint: true,
  renameConstraint: true,
  setTableComment: true,
  createExtension: true,
  dropExtension: true,
  createEnum: true,
  dropEnum: true,
  addEnumValue: true,
  dropEnumValue: true,
  renameEnum: true,
  execute: true,
};

/** Every operation kind, in the order `Operation` lists them. */
export const OPERATION_KINDS: readonly OperationKind[] = Object.freeze(Object.keys(EVERY_KIND) as OperationKind[]);

// The compiler's own check of the above: a table that leaves a kind out does not compile.
// @ts-expect-error a table with a handler for one kind only
void ({ execute: () => 'sql' } satisfies Handlers<string>);
