/**
 * compare(from, to) → the operations that turn schema `from` (usually the database) into schema
 * `to` (usually the models). Pure: the dialect's notion of equal types and defaults comes in as
 * functions, so this module never imports a dialect.
 *
 * Order (as Alembic's autogenerate): new tables in foreign-key order, each followed by its
 * indexes; then the foreign keys that go from tables that stay; then, table by table, added
 * columns, altered columns, index and unique changes (drops first), check changes, dropped
 * columns last; then the foreign keys that come (a key may need what another table gets; SQLite
 * keeps each table's keys with it); then dropped tables, children before parents.
 */
import {
  cloneSchema,
  compareNames,
  extensionName,
  normalizeIndexKey,
  sortByDependencies,
  type CheckConstraint,
  type Column,
  type ForeignKey,
  type Index,
  type IndexKey,
  type Schema,
  type Table,
  type UniqueConstraint,
} from '../schema/schema.js';
import { applyOperation, dependentsOf } from '../operations/apply.js';
import type { OperationOf } from '../operations/kinds.js';
import type { ColumnChanges, Constraint, Operation } from '../operations/operation.js';
import { constraintRef } from '../operations/reverse.js';
import { collapseSpaces } from '../sql/text.js';

export interface CompareOptions {
  /** The type a dialect stores for a declared type (`int4` → `integer`), for comparison only. */
  normalizeType?: (type: string) => string;
  /** A default expression as the dialect reports it back, for comparison only. */
  normalizeDefault?: (expression: string | undefined, column: Column) => string | undefined;
  /** A check expression as the dialect reports it back, for comparison only. */
  normalizeExpression?: (expression: string) => string;
  /**
   * An index key's operator class as the dialect reports it back: undefined for the default one
   * of its index method (PostgreSQL shows only the others).
   */
  normalizeOpclass?: (method: string, opclass: string) => string | undefined;
  /**
   * An index as compared, on either side, given the database's table it is on (whose columns'
   * types and collations say what the server builds): what the server builds by itself for an
   * index stated plainly is that plain index (MariaDB's automatic prefix of a long column, the
   * HASH of a long unique index).
   */
  normalizeIndex?: (index: Index, table: Table) => Index;
  /**
   * A column's collation as compared, in the table that holds it: undefined for its type's
   * default; case folded where the dialect folds it (MySQL, SQLite); a column that names none has
   * its table's default (MySQL).
   */
  normalizeCollation?: (collation: string | undefined, table: Table) => string | undefined;
  /** Whether the dialect stores table and column comments (and so they are compared). */
  comments?: boolean;
  /** The dialect lets a foreign key's columns change type under it (SQLite): no drop and re-add around it. */
  typeChangesKeepForeignKeys?: boolean;
  /**
   * Table names are the same in any case (SQLite): a table dropped and one created under the same
   * name in another case are dropped first, the old one's indexes with it.
   */
  caseInsensitiveTables?: boolean;
  /**
   * The dialect takes a foreign key to a table that does not exist yet, and drops a table that
   * others still reference (SQLite): foreign keys of a cycle stay inside CREATE TABLE. Otherwise
   * the keys that close a cycle are added after the tables and dropped before them.
   */
  forwardForeignKeys?: boolean;
}

const identity = (s: string): string => s;

/** Types repeat across thousands of columns: normalise each spelling once. */
function memoize(fn: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      v = fn(s);
      cache.set(s, v);
    }
    return v;
  };
}

interface Resolved {
  type: (t: string) => string;
  default: (d: string | undefined, c: Column) => string | undefined;
  expression: (e: string) => string;
  opclass: (method: string, opclass: string) => string | undefined;
  index: (index: Index, table: Table) => Index;
  collation: (collation: string | undefined, table: Table) => string | undefined;
  comments: boolean;
}

const foreignKeyName = (f: ForeignKey): string => f.name ?? `(${f.columns.join(', ')})`;

/**
 * New tables in dependency order, with the foreign keys that point at a table created after
 * their own (the ones closing a cycle) split off, to be added once every table exists.
 */
function planCreates(tables: Table[], forward: boolean): { tables: Table[]; deferred: { table: string; fk: ForeignKey }[] } {
  const ordered = sortByDependencies(tables).map((t) => structuredClone(t));
  if (forward) return { tables: ordered, deferred: [] };
  const position = new Map(ordered.map((t, i) => [t.name, i]));
  const deferred: { table: string; fk: ForeignKey }[] = [];
  for (const [i, t] of ordered.entries()) {
    const later = (fk: ForeignKey): boolean => (position.get(fk.referencedTable) ?? -1) > i;
    deferred.push(...t.foreignKeys.filter(later).map((fk) => ({ table: t.name, fk })));
    t.foreignKeys = t.foreignKeys.filter((fk) => !later(fk));
  }
  return { tables: ordered, deferred };
}

/**
 * Dropped tables, children first, with the foreign keys that would still point at a table when
 * it is dropped (the ones closing a cycle) split off, to be dropped before any table.
 */
function planDrops(tables: Table[], forward: boolean): { tables: Table[]; deferred: { table: string; fk: ForeignKey }[] } {
  const ordered = sortByDependencies(tables).reverse().map((t) => structuredClone(t));
  if (forward) return { tables: ordered, deferred: [] };
  const position = new Map(ordered.map((t, i) => [t.name, i]));
  const deferred: { table: string; fk: ForeignKey }[] = [];
  for (const [i, t] of ordered.entries()) {
    const earlier = (fk: ForeignKey): boolean => (position.get(fk.referencedTable) ?? Infinity) < i;
    deferred.push(...t.foreignKeys.filter(earlier).map((fk) => ({ table: t.name, fk })));
    t.foreignKeys = t.foreignKeys.filter((fk) => !earlier(fk));
  }
  deferred.sort((a, b) => compareNames(a.table, b.table) || compareNames(foreignKeyName(a.fk), foreignKeyName(b.fk)));
  return { tables: ordered, deferred };
}

/**
 * The enum types the models have under another name: a type the database has and the models do
 * not, with the very values of one the models have and the database does not. Which is which is
 * told by the columns: the models' columns of the new type were (by name, or by the names their
 * table and column had, as a rename hint gives them) of the old one; where no column tells, by
 * the values, when no other type has them. Renamed (ALTER TYPE … RENAME TO), the columns keep
 * their values, indexes and checks, and need no rewrite: TypeORM names a type after its table and
 * column (`order_status_enum`), so renaming either renames it, as TypeORM's own query runner does.
 */
function enumRenames(from: Schema, to: Schema): OperationOf<'renameEnum'>[] {
  const fromNames = new Set((from.enums ?? []).map((e) => e.name));
  const toNames = new Set((to.enums ?? []).map((e) => e.name));
  const gone = new Map((from.enums ?? []).filter((e) => !toNames.has(e.name)).map((e) => [e.name, JSON.stringify(e.values)]));
  const come = (to.enums ?? []).filter((e) => !fromNames.has(e.name)).sort((a, b) => compareNames(a.name, b.name));
  if (!gone.size || !come.length) return [];
  const fromTables = new Map(from.tables.map((t) => [t.name, t]));
  /** The types the database's columns had that the models' columns of `name` were. */
  const sources = (name: string): Set<string> => {
    const out = new Set<string>();
    for (const t of to.tables) {
      for (const c of t.columns) {
        if (enumOf(c.type) !== name) continue;
        const was = [t.name, ...(t.renamedFrom ?? [])].map((n) => fromTables.get(n)).find((x) => x !== undefined);
        const column = was && [c.name, ...(c.renamedFrom ?? [])].map((n) => was.columns.find((x) => x.name === n)).find((x) => x !== undefined);
        if (column) out.add(enumOf(column.type));
      }
    }
    return out;
  };
  const out: OperationOf<'renameEnum'>[] = [];
  const taken = new Set<string>();
  for (const e of come) {
    const values = JSON.stringify(e.values);
    const told = [...sources(e.name)].filter((n) => gone.get(n) === values);
    const alike = [...gone].filter(([, v]) => v === values).map(([n]) => n);
    const source = told.length === 1 ? told[0] : told.length === 0 && alike.length === 1 && come.filter((x) => JSON.stringify(x.values) === values).length === 1 ? alike[0] : undefined;
    if (source !== undefined && !taken.has(source)) {
      taken.add(source);
      out.push({ kind: 'renameEnum', from: source, to: e.name });
    }
  }
  return out;
}

export function compareSchemas(database: Schema, to: Schema, options: CompareOptions = {}): Operation[] {
  // The database's schema with its enum types renamed as the models name them.
  const renamedEnums = enumRenames(database, to);
  const from = renamedEnums.length ? cloneSchema(database) : database;
  for (const op of renamedEnums) applyOperation(from, op);
  const o: Resolved = {
    type: memoize(options.normalizeType ?? identity),
    default: options.normalizeDefault ?? ((d) => d),
    expression: options.normalizeExpression ?? collapseSpaces,
    opclass: options.normalizeOpclass ?? ((_m, c) => c),
    index: options.normalizeIndex ?? ((i) => i),
    collation: options.normalizeCollation ?? ((c) => c),
    comments: options.comments ?? false,
  };
  const fromNames = new Set(from.tables.map((t) => t.name));
  const toNames = new Set(to.tables.map((t) => t.name));
  const ops: Operation[] = [];

  // Extensions the models need come first; ones they do not mention are left alone.
  const installed = new Set((from.extensions ?? []).map(extensionName));
  const wanted = new Map((to.extensions ?? []).map((e) => [extensionName(e), e]));
  for (const name of [...wanted.keys()].sort(compareNames)) {
    const e = wanted.get(name)!;
    if (!installed.has(name)) ops.push({ kind: 'createExtension', ...(typeof e === 'string' ? { name: e } : structuredClone(e)) });
  }

  ops.push(...renamedEnums);
  // Enum types next: new tables and altered columns may use them. Values are added first, then
  // the defaults of the type's columns that change move (to an added value, or off one about to
  // go), then values are dropped: so the upgrade and its reverse can both run.
  const fromEnums = new Map((from.enums ?? []).map((e) => [e.name, e]));
  const toEnums = new Map((to.enums ?? []).map((e) => [e.name, e]));
  const valueDrops: Operation[] = [];
  const changedEnums = new Set<string>();
  for (const e of [...toEnums.values()].sort((a, b) => compareNames(a.name, b.name))) {
    const was = fromEnums.get(e.name);
    if (!was) {
      ops.push({ kind: 'createEnum', enum: structuredClone(e) });
      continue;
    }
    const values = [...was.values];
    for (const [i, v] of e.values.entries()) {
      if (values.includes(v)) continue;
      const before = e.values.slice(i + 1).find((x) => values.includes(x));
      ops.push({ kind: 'addEnumValue', name: e.name, value: v, ...(before !== undefined ? { before } : {}) });
      values.splice(before !== undefined ? values.indexOf(before) : values.length, 0, v);
      changedEnums.add(e.name);
    }
    for (const v of was.values) {
      if (!e.values.includes(v)) {
        valueDrops.push({ kind: 'dropEnumValue', name: e.name, value: v, definition: { name: e.name, values: [...values] } });
        values.splice(values.indexOf(v), 1);
        changedEnums.add(e.name);
      }
    }
  }
  const movedDefaults = new Set<string>();
  if (valueDrops.length > 0) {
    for (const { op, key } of enumDefaultMoves(from, to, changedEnums, o)) {
      ops.push(op);
      movedDefaults.add(key);
    }
  }
  const valueDropsAt = ops.length;
  ops.push(...valueDrops);

  const forward = options.forwardForeignKeys ?? false;
  const creates = planCreates(to.tables.filter((t) => !fromNames.has(t.name)), forward);
  const fromByName = new Map(from.tables.map((t) => [t.name, t]));
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  // A new table's key to a table that stays, but whose referenced column or key this revision
  // adds, retypes or replaces, is added once the other table is changed; a dropped table's key
  // to such a table goes before the change.
  const moving = (fk: ForeignKey): boolean => fromNames.has(fk.referencedTable) && toNames.has(fk.referencedTable) && !keyStays(fromByName.get(fk.referencedTable)!, toByName.get(fk.referencedTable)!, fk.referencedColumns, o);
  const late: { table: string; fk: ForeignKey }[] = [];
  for (const t of creates.tables) {
    const { unmanaged: _, ...table } = t;
    if (!forward) late.push(...table.foreignKeys.filter(moving).map((fk) => ({ table: t.name, fk })));
    ops.push({ kind: 'createTable', table: { ...table, foreignKeys: forward ? table.foreignKeys : table.foreignKeys.filter((fk) => !moving(fk)), indexes: [] } });
    for (const index of sortIndexes(t.indexes)) ops.push({ kind: 'createIndex', table: t.name, index });
  }
  for (const { table, fk } of creates.deferred) ops.push({ kind: 'addConstraint', table, constraint: { type: 'foreignKey', ...fk } });
  const drops = planDrops(from.tables.filter((t) => !toNames.has(t.name)), forward);
  const early: { table: string; fk: ForeignKey }[] = [];
  if (!forward) {
    for (const t of drops.tables) {
      early.push(...t.foreignKeys.filter(moving).map((fk) => ({ table: t.name, fk })));
      t.foreignKeys = t.foreignKeys.filter((fk) => !moving(fk));
    }
  }

  const existing = to.tables.filter((t) => fromNames.has(t.name)).sort((a, b) => compareNames(a.name, b.name));
  // Foreign keys over columns whose type changes are dropped before and added back after
  // (PostgreSQL refuses a key between columns of different types, however briefly).
  const rebuilt = options.typeChangesKeepForeignKeys ? { drop: [], add: [] } : foreignKeysOverTypeChanges(to, fromByName, o);
  const aside = new Set<ForeignKey>([...rebuilt.drop, ...rebuilt.add].map((x) => x.fk));
  for (const { table, fk } of [...rebuilt.drop, ...early]) ops.push(dropConstraint(table, { type: 'foreignKey', ...fk }));
  // Foreign keys dropped before any table changes and added after all of them (SQLite, whose keys
  // live in CREATE TABLE and are checked after, keeps each table's with it: one rebuild a table):
  // a key may need a column, unique index or primary key that another table gets in this
  // revision, and a unique index a table drops may hold up another table's key until it goes.
  const keys = forward ? undefined : { drops: [] as Operation[], adds: [] as Operation[] };
  const changes = existing.flatMap((target) => compareTable(fromByName.get(target.name)!, target, o, aside, movedDefaults, keys));
  // A foreign key stands on the unique index or primary key it refers to: where the revision
  // replaces that key, the foreign key goes first and comes back last.
  if (keys) {
    const over = foreignKeysOverReplacedKeys(changes, fromByName, to, [...keys.drops, ...keys.adds], aside);
    keys.drops.push(...over.drops);
    keys.adds.push(...over.adds);
  }
  // An index or check going away that reads a column of a type losing a value goes before the
  // value does: made again with the new type, its old text may name the value.
  const beforeValues = valueDrops.length ? changes.filter((op) => readsChangedEnum(op, fromByName, changedEnums)) : [];
  ops.splice(valueDropsAt, 0, ...beforeValues);
  // An index or check going away over a column whose type changes goes before the change, which
  // would build it again for the new type (its operator class or expression may not take it).
  const retyped = new Set(changes.flatMap((op) => (op.kind === 'alterColumn' && op.changes.type !== undefined ? [`${op.table}\u0000${op.column}`] : [])));
  const before = retyped.size ? changes.filter((op) => !beforeValues.includes(op) && readsRetyped(op, fromByName, retyped)) : [];
  // One that stays is dropped before the change too, and made again after from the models' text:
  // PostgreSQL would build it again from its old text, which may compare the column with a value
  // of the old type (`status = 'pending'::status_enum` once status is text). A table rebuild
  // (SQLite) makes its indexes and checks anew anyway.
  const around = retyped.size && !options.typeChangesKeepForeignKeys ? keptOverRetyped(changes, fromByName, toByName, retyped) : { drops: [], adds: [] };
  ops.push(...(keys?.drops ?? []), ...before, ...around.drops, ...changes.filter((op) => !beforeValues.includes(op) && !before.includes(op)), ...around.adds, ...(keys?.adds ?? []));
  for (const { table, fk } of [...rebuilt.add, ...late]) ops.push({ kind: 'addConstraint', table, constraint: { type: 'foreignKey', ...structuredClone(fk) } });

  for (const { table, fk } of drops.deferred) ops.push(dropConstraint(table, { type: 'foreignKey', ...fk }));
  // A dropped table's indexes go first, each with its definition, so the downgrade rebuilds them.
  for (const t of drops.tables) {
    for (const index of sortIndexes(t.indexes)) ops.push({ kind: 'dropIndex', table: t.name, name: index.name, definition: index });
    ops.push({ kind: 'dropTable', table: t.name, definition: { ...t, indexes: [] } });
  }
  for (const e of [...fromEnums.values()].sort((a, b) => compareNames(a.name, b.name))) {
    if (!toEnums.has(e.name)) ops.push({ kind: 'dropEnum', name: e.name, definition: structuredClone(e) });
  }
  return options.caseInsensitiveTables ? dropsBeforeCreatesInOtherCase(ops) : ops;
}

/**
 * A table dropped and one created under its name in another case, where names are the same in
 * any case: the drop (with the old table's indexes) goes just before the create.
 */
function dropsBeforeCreatesInOtherCase(ops: Operation[]): Operation[] {
  const created = new Map(ops.flatMap((op) => (op.kind === 'createTable' ? [[op.table.name.toLowerCase(), op.table.name] as const] : [])));
  const moved = new Map<string, Operation[]>();
  for (const op of ops) {
    const table = op.kind === 'dropTable' || op.kind === 'dropIndex' ? op.table : undefined;
    const other = table !== undefined ? created.get(table.toLowerCase()) : undefined;
    if (table === undefined || other === undefined || other === table) continue;
    moved.set(other, [...(moved.get(other) ?? []), op]);
  }
  if (!moved.size) return ops;
  const goes = new Set([...moved.values()].flat());
  return ops.flatMap((op) => (goes.has(op) ? [] : op.kind === 'createTable' && moved.has(op.table.name) ? [...moved.get(op.table.name)!, op] : [op]));
}

/**
 * The foreign keys over columns whose type changes, in either schema: the database's are dropped
 * before any type changes and the models' added after all of them (the differ's table-by-table
 * pass leaves them aside).
 */
function foreignKeysOverTypeChanges(to: Schema, fromByName: Map<string, Table>, o: Resolved): { drop: { table: string; fk: ForeignKey }[]; add: { table: string; fk: ForeignKey }[] } {
  const changed = new Set<string>();
  for (const t of to.tables) {
    const was = fromByName.get(t.name);
    if (!was) continue;
    for (const c of t.columns) {
      const before = was.columns.find((x) => x.name === c.name);
      if (before && o.type(before.type) !== o.type(c.type)) changed.add(`${t.name}\u0000${c.name}`);
    }
  }
  const drop: { table: string; fk: ForeignKey }[] = [];
  const add: { table: string; fk: ForeignKey }[] = [];
  if (changed.size === 0) return { drop, add };
  const touches = (table: string, fk: ForeignKey): boolean =>
    fk.columns.some((c) => changed.has(`${table}\u0000${c}`)) || fk.referencedColumns.some((c) => changed.has(`${fk.referencedTable}\u0000${c}`));
  for (const t of [...to.tables].sort((a, b) => compareNames(a.name, b.name))) {
    const was = fromByName.get(t.name);
    if (!was) continue;
    for (const fk of was.foreignKeys) if (touches(t.name, fk)) drop.push({ table: t.name, fk });
    for (const fk of t.foreignKeys) if (touches(t.name, fk)) add.push({ table: t.name, fk });
  }
  return { drop, add };
}

function sortIndexes(indexes: Index[]): Index[] {
  return [...indexes].sort((a, b) => compareNames(a.name, b.name));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The database's table with what the models leave to the database (`target.unmanaged`) taken as
 * the models have it: the indexes named or of a shape the models cannot state, every check, the
 * defaults and nullability of the columns named, the comments. What is left differs only where
 * the models and the database really do.
 */
export function leftToDatabase(current: Table, target: Table | undefined): Table {
  const u = target?.unmanaged;
  // The primary key's name alone (TypeORM's models) is the differ's to skip: nothing to take here.
  if (!target || !u || !(u.indexes?.length || u.indexShapes || u.defaults?.length || u.nullability?.length || u.checks || u.comments)) return current;
  const modelIndexes = new Set(target.indexes.map((i) => i.name));
  const shapes = u.indexShapes ?? {};
  const leftAlone = (i: Index): boolean =>
    (u.indexes ?? []).includes(i.name) ||
    (!modelIndexes.has(i.name) && ((shapes.expression === true && i.columns.some((k) => typeof k !== 'string' && k.expression !== undefined)) || (shapes.partial === true && i.where !== undefined)));
  const defaults = new Set(u.defaults);
  const nullability = new Set(u.nullability);
  // An index the models name without a WHERE, which the database has with one (Prisma without its
  // partialIndexes preview feature cannot state it): its WHERE is the database's, as Prisma's own
  // diff leaves it — when the rest of it is what the models say.
  const keepsWhere = (i: Index): boolean => {
    if (shapes.partial !== true || i.where === undefined) return false;
    const model = target.indexes.find((m) => m.name === i.name);
    return !!model && model.where === undefined && model.unique === i.unique && (model.using ?? 'btree') === (i.using ?? 'btree') && JSON.stringify(model.columns) === JSON.stringify(i.columns);
  };
  const withoutWhere = ({ where: _where, ...rest }: Index): Index => rest;
  const indexes = current.indexes.filter((i) => !leftAlone(i)).map((i) => (keepsWhere(i) ? withoutWhere(i) : i));
  const out: Table = { ...current, indexes, checks: u.checks ? target.checks : current.checks };
  if (u.comments) takeFrom(out, target, 'comment');
  out.columns = current.columns.map((c) => {
    const model = target.columns.find((x) => x.name === c.name);
    if (!model) return c;
    const column = { ...c };
    if (defaults.has(c.name)) takeFrom(column, model, 'default');
    if (nullability.has(c.name)) column.nullable = model.nullable;
    if (u.comments) takeFrom(column, model, 'comment');
    return column;
  });
  return out;
}

/** Sets `to[key]` to `from[key]`, leaving it out where `from` has none. */
function takeFrom<T extends object, K extends keyof T>(to: T, from: T, key: K): void {
  if (from[key] === undefined) delete to[key];
  else to[key] = from[key];
}

/** The enum type a column's type names, without quotes or array brackets. */
export function enumOf(type: string): string {
  const base = type.trim().replace(/(\s*\[\s*\d*\s*\])+$/, '');
  return base.startsWith('"') && base.endsWith('"') ? base.slice(1, -1).replace(/""/g, '"') : base;
}

/**
 * The default changes of the columns of `enums` whose type stays (the rest is compareTable's),
 * each with its `table\0column` key: made between the values added and those dropped.
 */
function enumDefaultMoves(from: Schema, to: Schema, enums: ReadonlySet<string>, o: Resolved): { op: Operation; key: string }[] {
  const out: { op: Operation; key: string }[] = [];
  const fromByName = new Map(from.tables.map((t) => [t.name, t]));
  for (const t of [...to.tables].sort((a, b) => compareNames(a.name, b.name))) {
    const db = fromByName.get(t.name);
    if (!db) continue;
    const current = leftToDatabase(db, t);
    for (const c of t.columns) {
      const was = current.columns.find((x) => x.name === c.name);
      if (!was || !enums.has(enumOf(c.type)) || o.type(was.type) !== o.type(c.type)) continue;
      if (was.default === c.default || o.default(was.default, was) === o.default(c.default, c)) continue;
      out.push({
        op: { kind: 'alterColumn', table: t.name, column: c.name, changes: { default: c.default ?? null }, existing: { default: was.default ?? null } },
        key: `${t.name}\u0000${c.name}`,
      });
    }
  }
  return out;
}

function compareTable(
  database: Table,
  target: Table,
  o: Resolved,
  aside: ReadonlySet<ForeignKey> = new Set(),
  movedDefaults: ReadonlySet<string> = new Set(),
  keys?: { drops: Operation[]; adds: Operation[] },
): Operation[] {
  const ops: Operation[] = [];
  const table = target.name;
  const current = leftToDatabase(database, target);
  const currentCols = new Map(current.columns.map((c) => [c.name, c]));
  const targetCols = new Map(target.columns.map((c) => [c.name, c]));

  if (o.comments && (current.comment ?? null) !== (target.comment ?? null)) {
    ops.push({ kind: 'setTableComment', table, comment: target.comment ?? null, existing: current.comment ?? null });
  }
  for (const c of target.columns) {
    if (!currentCols.has(c.name)) ops.push({ kind: 'addColumn', table, column: structuredClone(c) });
  }
  for (const c of target.columns) {
    const was = currentCols.get(c.name);
    if (!was) continue;
    const changes: ColumnChanges = {};
    const existing: ColumnChanges = {};
    if (o.type(was.type) !== o.type(c.type)) {
      changes.type = c.type;
      existing.type = was.type;
    }
    if (was.nullable !== c.nullable) {
      changes.nullable = c.nullable;
      existing.nullable = was.nullable;
    }
    // A generated column whose expression is the default the models give (Prisma states one so,
    // as dbgenerated("…")) is what they say, as Prisma's own diff takes it.
    const generatedAsSaid = was.generated !== undefined && c.default !== undefined && o.default(was.generated, was) === o.default(c.default, c);
    if (was.default !== c.default && o.default(was.default, was) !== o.default(c.default, c) && !movedDefaults.has(`${table}\u0000${c.name}`) && !generatedAsSaid) {
      changes.default = c.default ?? null;
      existing.default = was.default ?? null;
    }
    // A model that asks only that the column be numbered (serial) is served by an identity column
    // already there, as TypeORM's and Prisma's own diffs take it: no rewrite.
    const numbered = c.autoincrement && !c.identity && was.identity && !was.autoincrement;
    if (!numbered && !!was.autoincrement !== !!c.autoincrement) {
      changes.autoincrement = !!c.autoincrement;
      existing.autoincrement = !!was.autoincrement;
    }
    if (!numbered && (was.identity ?? null) !== (c.identity ?? null)) {
      changes.identity = c.identity ?? null;
      existing.identity = was.identity ?? null;
    }
    if (o.comments && (was.comment ?? null) !== (c.comment ?? null)) {
      changes.comment = c.comment ?? null;
      existing.comment = was.comment ?? null;
    }
    // Compared only where the target states one (see Column.onUpdate).
    if (c.onUpdate !== undefined && o.default(was.onUpdate, was) !== o.default(c.onUpdate, c)) {
      changes.onUpdate = c.onUpdate;
      existing.onUpdate = was.onUpdate ?? null;
    }
    // Compared only where the target states one, as onUpdate.
    if (c.collation !== undefined && o.collation(was.collation, current) !== o.collation(c.collation, target)) {
      changes.collation = c.collation;
      existing.collation = was.collation ?? null;
    }
    // Whether the column is generated, and by what, where the models can say (TypeORM's can;
    // Prisma's say it as a default, taken above).
    if (!target.unmanaged?.generation && (was.generated ?? null) !== (c.generated ?? null) && !(was.generated !== undefined && c.generated !== undefined && o.expression(was.generated) === o.expression(c.generated))) {
      changes.generated = c.generated ?? null;
      existing.generated = was.generated ?? null;
    }
    const [wasVirtual, isVirtual] = [was.generated !== undefined && !!was.virtual, c.generated !== undefined && !!c.virtual];
    if (!target.unmanaged?.generation && wasVirtual !== isVirtual) {
      changes.virtual = isVirtual;
      existing.virtual = wasVirtual;
    }
    if (Object.keys(changes).length) ops.push({ kind: 'alterColumn', table, column: c.name, changes, existing });
  }

  // The primary key, once new columns exist and before old ones go.
  if (!sameList(current.primaryKey?.columns ?? [], target.primaryKey?.columns ?? [])) {
    ops.push({
      kind: 'alterPrimaryKey',
      table,
      primaryKey: target.primaryKey ? structuredClone(target.primaryKey) : null,
      existing: current.primaryKey ? structuredClone(current.primaryKey) : null,
    });
  } else if (current.primaryKey?.name && target.primaryKey?.name && current.primaryKey.name !== target.primaryKey.name && !target.unmanaged?.primaryKeyName) {
    // The same key under another name (its table renamed, say): renamed, where both sides name it
    // (MySQL's is always PRIMARY; SQLite names only a key written as a table constraint) and the
    // models' source compares it (Prisma's does; TypeORM's leaves it to the database).
    ops.push({ kind: 'renameConstraint', table, from: current.primaryKey.name, to: target.primaryKey.name });
  }

  // Indexes: by name; a changed definition is a drop and a create.
  const indexKey = (index: Index): string => {
    const i = o.index(index, database);
    const method = i.using ?? 'btree';
    const plainKeys = i.columns.every((k) => typeof k === 'string');
    const keys = plainKeys ? i.columns : i.columns.map((k) => {
      const n = normalizeIndexKey(k);
      if (typeof n === 'string') return n;
      return normalizeIndexKey({
        ...n,
        ...(n.expression !== undefined ? { expression: o.expression(n.expression) } : {}),
        opclass: n.opclass ? o.opclass(method, n.opclass) : undefined,
      });
    });
    return JSON.stringify([keys, i.unique, i.where ? o.expression(i.where) : null, method, i.invalid ?? false]);
  };
  // A unique constraint and a plain unique index of one name over the same columns enforce the
  // same thing (a database made by another tool may hold one where the models say the other).
  const currentUniques = current.uniques.filter((u) => !target.indexes.some((i) => sameUnique(i, u)));
  const targetUniques = keptUniques(target).filter((u) => !current.indexes.some((i) => sameUnique(i, u)));
  const currentIndexes = current.indexes.filter((i) => !target.uniques.some((u) => sameUnique(i, u)));
  const targetIndexes = target.indexes.filter((i) => !current.uniques.some((u) => sameUnique(i, u)));
  const curIdx = new Map(currentIndexes.map((i) => [i.name, i]));
  const tgtIdx = new Map(targetIndexes.map((i) => [i.name, i]));
  // An index only the name of which changes (its table or column was renamed, say) is renamed,
  // not built again; as are the constraints below.
  const indexes = renamedByDefinition(
    currentIndexes.filter((i) => !tgtIdx.has(i.name) || indexKey(tgtIdx.get(i.name)!) !== indexKey(i)),
    targetIndexes.filter((i) => !curIdx.has(i.name) || indexKey(curIdx.get(i.name)!) !== indexKey(i)),
    (i) => (curIdx.has(i.name) && tgtIdx.has(i.name) ? undefined : indexKey(i)),
  );
  const uniqueShape = (u: UniqueConstraint): string => JSON.stringify(u.columns);
  const uniques = renamedConstraints(matchConstraints(currentUniques, targetUniques, uniqueShape, () => ''), uniqueShape);
  // A unique constraint on one side and a plain unique index on the other, over the same columns
  // under another name, enforce the same: the one there is renamed (its index, which renames the
  // constraint with it), and the two compare equal from then on.
  const uniqueIndexShape = (i: Index): string | undefined => (sameUnique(i, { name: i.name, columns: i.columns.map((k) => (typeof k === 'string' ? k : '')) }) ? JSON.stringify(i.columns) : undefined);
  const constraintToIndex = renamedAcross(uniques.dropped, indexes.added, uniqueShape, uniqueIndexShape);
  const indexToConstraint = renamedAcross(indexes.dropped, uniques.added, uniqueIndexShape, uniqueShape);
  // What the downgrade builds again is the index as it should have been: not its invalid state.
  for (const i of sortIndexes(indexToConstraint.left)) ops.push({ kind: 'dropIndex', table, name: i.name, definition: structuredClone(validIndex(i)) });
  for (const r of [...indexes.renamed, ...indexToConstraint.renamed]) ops.push({ kind: 'renameIndex', table, from: r.from, to: r.to });
  for (const u of constraintToIndex.left) ops.push(dropConstraint(table, { type: 'unique', ...u }));
  for (const r of uniques.renamed) ops.push({ kind: 'renameConstraint', table, from: r.from, to: r.to });
  for (const r of constraintToIndex.renamed) ops.push({ kind: 'renameIndex', table, from: r.from, to: r.to });
  for (const i of sortIndexes(constraintToIndex.unpaired)) ops.push({ kind: 'createIndex', table, index: structuredClone(i) });
  for (const u of indexToConstraint.unpaired) ops.push({ kind: 'addConstraint', table, constraint: { type: 'unique', ...structuredClone(u) } });

  const fkShape = (f: ForeignKey): string => JSON.stringify([f.columns, f.referencedTable, f.referencedColumns]);
  const fkActions = (f: ForeignKey): string => JSON.stringify([f.onDelete ?? 'NO ACTION', f.onUpdate ?? 'NO ACTION']);
  const fks = renamedConstraints(
    matchConstraints(current.foreignKeys.filter((f) => !aside.has(f)), target.foreignKeys.filter((f) => !aside.has(f)), fkShape, fkActions),
    (f) => fkShape(f) + fkActions(f),
  );
  for (const f of fks.dropped) (keys?.drops ?? ops).push(dropConstraint(table, { type: 'foreignKey', ...f }));
  for (const r of fks.renamed) ops.push({ kind: 'renameConstraint', table, from: r.from, to: r.to });
  for (const f of fks.added) (keys?.adds ?? ops).push({ kind: 'addConstraint', table, constraint: { type: 'foreignKey', ...structuredClone(f) } });

  const checkShape = (c: CheckConstraint): string => o.expression(c.expression);
  const checks = renamedConstraints(matchConstraints(current.checks, target.checks, checkShape, () => ''), checkShape);
  for (const c of checks.dropped) ops.push(dropConstraint(table, { type: 'check', ...c }));
  for (const r of checks.renamed) ops.push({ kind: 'renameConstraint', table, from: r.from, to: r.to });
  for (const c of checks.added) ops.push({ kind: 'addConstraint', table, constraint: { type: 'check', ...structuredClone(c) } });

  for (const c of current.columns) {
    if (!targetCols.has(c.name)) ops.push({ kind: 'dropColumn', table, column: c.name, definition: structuredClone(c) });
  }
  return ops;
}

/**
 * The unique constraints a database keeps of a table created with them: one on the same columns
 * as the primary key, or as an earlier unique constraint, is dropped by PostgreSQL and SQLite alike
 * (TypeORM's `@Column({ unique: true })` beside a `@Unique` on the same column, say), so it is
 * never looked for.
 */
/** A unique index that enforces just what the unique constraint does: same name, same plain columns, whole table. */
function validIndex({ invalid: _, ...index }: Index): Index {
  return index;
}

function sameUnique(i: Index, u: UniqueConstraint): boolean {
  return i.unique && !i.invalid && i.name === u.name && !i.where && (i.using ?? 'btree') === 'btree' && sameList(i.columns.map((k) => (typeof k === 'string' ? k : '')), u.columns);
}

function keptUniques(t: Table): UniqueConstraint[] {
  const seen = new Set<string>(t.primaryKey ? [JSON.stringify(t.primaryKey.columns)] : []);
  return t.uniques.filter((u) => {
    const key = JSON.stringify(u.columns);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The foreign keys of the database that refer to a unique index, unique constraint or primary key
 * `changes` drop (to build again, or for good), and are not dropped already: each dropped, and
 * added back where the models keep it.
 */
function foreignKeysOverReplacedKeys(
  changes: readonly Operation[],
  fromByName: ReadonlyMap<string, Table>,
  to: Schema,
  planned: readonly Operation[],
  aside: ReadonlySet<ForeignKey>,
): { drops: Operation[]; adds: Operation[] } {
  const keyOf = (table: string, columns: readonly IndexKey[]): string | undefined =>
    columns.every((k) => typeof k === 'string' || (k.column !== undefined && k.expression === undefined))
      ? `${table}\u0000${columns.map((k) => (typeof k === 'string' ? k : k.column!)).sort().join('\u0000')}`
      : undefined;
  const replaced = new Set<string | undefined>();
  for (const op of changes) {
    if (op.kind === 'dropIndex' && op.definition?.unique && op.definition.where === undefined) replaced.add(keyOf(op.table, op.definition.columns));
    else if (op.kind === 'dropConstraint' && op.definition?.type === 'unique') replaced.add(keyOf(op.table, op.definition.columns));
    else if (op.kind === 'alterPrimaryKey' && op.existing) replaced.add(keyOf(op.table, op.existing.columns));
  }
  replaced.delete(undefined);
  const drops: Operation[] = [];
  const adds: Operation[] = [];
  if (replaced.size === 0) return { drops, adds };
  const dropped = new Set(planned.flatMap((op) => (op.kind === 'dropConstraint' && op.definition?.type === 'foreignKey' && op.definition.name ? [`${op.table}\u0000${op.definition.name}`] : [])));
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  // A table the revision drops takes its foreign keys with it (and its downgrade brings them back).
  for (const was of [...fromByName.values()].filter((t) => toByName.has(t.name)).sort((a, b) => compareNames(a.name, b.name))) {
    for (const fk of was.foreignKeys) {
      if (aside.has(fk) || !fk.name || dropped.has(`${was.name}\u0000${fk.name}`) || !replaced.has(keyOf(fk.referencedTable, fk.referencedColumns))) continue;
      drops.push(dropConstraint(was.name, { type: 'foreignKey', ...fk }));
      const kept = toByName.get(was.name)?.foreignKeys.find((f) => f.name === fk.name);
      if (kept) adds.push({ kind: 'addConstraint', table: was.name, constraint: { type: 'foreignKey', ...structuredClone(kept) } });
    }
  }
  return { drops, adds };
}

/**
 * Whether the key `columns` of a table that stays is the same before and after: the columns there
 * with their types, and the primary key or a unique index or constraint on exactly them, unchanged.
 */
function keyStays(from: Table, to: Table, columns: readonly string[], o: Resolved): boolean {
  for (const name of columns) {
    const [a, b] = [from.columns.find((c) => c.name === name), to.columns.find((c) => c.name === name)];
    if (!a || !b || o.type(a.type) !== o.type(b.type)) return false;
  }
  const same = (xs: readonly unknown[] | undefined): boolean => !!xs && xs.length === columns.length && columns.every((c) => xs.includes(c));
  const keys = (t: Table): string[] => [
    // A primary key by its columns (MySQL names every one PRIMARY); a unique index by all it is.
    ...(same(t.primaryKey?.columns) ? ['pk'] : []),
    ...t.uniques.filter((u) => same(u.columns)).map((u) => `unique ${u.name ?? ''}`),
    ...t.indexes.filter((i) => i.unique && i.where === undefined && same(i.columns.map((k) => (typeof k === 'string' ? k : k.column)))).map((i) => `index ${JSON.stringify(o.index(i, t))}`),
  ];
  const [was, now] = [keys(from), keys(to)];
  return was.length > 0 && was.some((k) => now.includes(k));
}

/** A dropped index or check that uses a column of `retyped` (`table\0column`). */
function readsRetyped(op: Operation, tables: ReadonlyMap<string, Table>, retyped: ReadonlySet<string>): boolean {
  if (op.kind !== 'dropIndex' && !(op.kind === 'dropConstraint' && op.ref.type === 'check')) return false;
  const t = tables.get(op.table);
  if (!t) return false;
  return t.columns.some((c) => {
    if (!retyped.has(`${op.table}\u0000${c.name}`)) return false;
    const uses = dependentsOf(t, c.name);
    if (op.kind === 'dropIndex') return uses.indexes.some((i) => i.name === op.name);
    const ref = op.ref;
    return uses.checks.some((k) => ('name' in ref ? k.name === ref.name : 'expression' in ref && k.expression === ref.expression));
  });
}

/**
 * The partial and expression indexes and the checks that read a column whose type changes and
 * that the revision otherwise leaves alone, as the models state them: dropped before the change,
 * made again after. Those the models leave to the database stay as they are.
 */
function keptOverRetyped(changes: readonly Operation[], was: ReadonlyMap<string, Table>, now: ReadonlyMap<string, Table>, retyped: ReadonlySet<string>): { drops: Operation[]; adds: Operation[] } {
  const drops: Operation[] = [];
  const adds: Operation[] = [];
  // What the revision changes of them already: `table\0i\0index`, `table\0c\0constraint`.
  const touches = (op: Operation): string[] => {
    switch (op.kind) {
      case 'dropIndex':
        return [`${op.table}\u0000i\u0000${op.name}`];
      case 'createIndex':
        return [`${op.table}\u0000i\u0000${op.index.name}`];
      case 'renameIndex':
        return [`${op.table}\u0000i\u0000${op.from}`];
      case 'dropConstraint':
        return 'name' in op.ref ? [`${op.table}\u0000c\u0000${op.ref.name}`] : [];
      case 'addConstraint':
        return op.constraint.name !== undefined ? [`${op.table}\u0000c\u0000${op.constraint.name}`] : [];
      case 'renameConstraint':
        return [`${op.table}\u0000c\u0000${op.from}`];
      default:
        return [];
    }
  };
  const touched = new Set(changes.flatMap(touches));
  const seen = new Set<string>();
  for (const key of [...retyped].sort(compareNames)) {
    const [table, column] = key.split('\u0000');
    const before = was.get(table);
    const after = now.get(table);
    if (!before || !after) continue;
    const uses = dependentsOf(before, column);
    for (const index of uses.indexes) {
      const id = `${table}\u0000i\u0000${index.name}`;
      const shaped = index.where !== undefined || index.columns.some((k) => typeof k !== 'string' && k.expression !== undefined);
      const model = after.indexes.find((i) => i.name === index.name);
      if (!shaped || !model || touched.has(id) || seen.has(id) || after.unmanaged?.indexes?.includes(index.name)) continue;
      seen.add(id);
      drops.push({ kind: 'dropIndex', table, name: index.name, definition: structuredClone(index) });
      adds.push({ kind: 'createIndex', table, index: structuredClone(model) });
    }
    if (after.unmanaged?.checks) continue;
    for (const check of uses.checks) {
      const id = `${table}\u0000c\u0000${check.name}`;
      const model = check.name !== undefined ? after.checks.find((k) => k.name === check.name) : undefined;
      if (!model || touched.has(id) || seen.has(id)) continue;
      seen.add(id);
      drops.push(dropConstraint(table, { type: 'check', ...check }));
      adds.push({ kind: 'addConstraint', table, constraint: { type: 'check', ...structuredClone(model) } });
    }
  }
  return { drops, adds };
}

/** A dropped partial or expression index, or check, on a table with a column of one of `enums`. */
function readsChangedEnum(op: Operation, tables: ReadonlyMap<string, Table>, enums: ReadonlySet<string>): boolean {
  const shape = op.kind === 'dropIndex' ? op.definition : op.kind === 'dropConstraint' && op.definition?.type === 'check' ? op.definition : undefined;
  if (!shape || (op.kind !== 'dropIndex' && op.kind !== 'dropConstraint')) return false;
  if ('columns' in shape && shape.where === undefined && !shape.columns.some((k) => typeof k !== 'string' && k.expression !== undefined)) return false;
  const base = (type: string): string => type.trim().replace(/(\[\])+$/, '').replace(/^"(.*)"$/, '$1').replace(/""/g, '"');
  return !!tables.get(op.table)?.columns.some((c) => enums.has(base(c.type)));
}

function dropConstraint(table: string, c: Constraint): Operation {
  return { kind: 'dropConstraint', table, ref: constraintRef(c), definition: structuredClone(c) };
}

/** A name that changes, and nothing else. */
interface Renamed {
  from: string;
  to: string;
}

/**
 * Of what is dropped and what is added, the pairs that differ only in name: renamed instead.
 * `definition` is what must be the same (undefined: never renamed); each dropped one pairs with
 * the first added one of its definition, in name order, so the outcome does not depend on order.
 */
function renamedByDefinition<T extends { name?: string }>(
  dropped: T[],
  added: T[],
  definition: (x: T) => string | undefined,
): { dropped: T[]; added: T[]; renamed: Renamed[] } {
  // Nothing to pair (the common case, table after table): nothing to sort.
  if (dropped.length === 0 || added.length === 0) return { dropped, added, renamed: [] };
  const byName = (a: T, b: T): number => compareNames(a.name ?? '', b.name ?? '');
  const waiting = [...added].sort(byName);
  const renamed: Renamed[] = [];
  const kept: T[] = [];
  for (const d of [...dropped].sort(byName)) {
    const key = d.name ? definition(d) : undefined;
    const at = key === undefined ? -1 : waiting.findIndex((a) => a.name && a.name !== d.name && definition(a) === key);
    if (at < 0) {
      kept.push(d);
      continue;
    }
    renamed.push({ from: d.name!, to: waiting[at].name! });
    waiting.splice(at, 1);
  }
  const left = new Set(waiting);
  return { dropped: dropped.filter((d) => kept.includes(d)), added: added.filter((a) => left.has(a)), renamed };
}

/**
 * Of what is dropped of one kind and added of another, the pairs of one definition (`dropShape`,
 * `addShape`; undefined: never paired): `left` of the dropped, `unpaired` of the added.
 */
function renamedAcross<D extends { name?: string }, A extends { name?: string }>(
  dropped: D[],
  added: A[],
  dropShape: (d: D) => string | undefined,
  addShape: (a: A) => string | undefined,
): { left: D[]; unpaired: A[]; renamed: Renamed[] } {
  if (dropped.length === 0 || added.length === 0) return { left: dropped, unpaired: added, renamed: [] };
  type Tagged = { name?: string; x: D | A; drop: boolean };
  const tagged: Tagged[] = [...dropped.map((x) => ({ name: x.name, x, drop: true })), ...added.map((x) => ({ name: x.name, x, drop: false }))];
  const shape = (t: Tagged): string | undefined => (t.drop ? dropShape(t.x as D) : addShape(t.x as A));
  const r = renamedByDefinition(tagged.filter((t) => t.drop), tagged.filter((t) => !t.drop), shape);
  return { left: r.dropped.map((t) => t.x as D), unpaired: r.added.map((t) => t.x as A), renamed: r.renamed };
}

/** Constraints matched by `matchConstraints`, with those only renamed taken out. */
function renamedConstraints<T extends UniqueConstraint | ForeignKey | CheckConstraint>(
  matched: { dropped: T[]; added: T[] },
  definition: (c: T) => string,
): { dropped: T[]; added: T[]; renamed: Renamed[] } {
  if (matched.dropped.length === 0 || matched.added.length === 0) return { ...matched, renamed: [] };
  // A pair matched by name but changed is a real change, not a rename: only names on one side count.
  const droppedNames = new Set(matched.dropped.map((c) => c.name));
  const addedNames = new Set(matched.added.map((c) => c.name));
  return renamedByDefinition(matched.dropped, matched.added, (c) => (addedNames.has(c.name) && droppedNames.has(c.name) ? undefined : definition(c)));
}

/**
 * Pairs constraints of two tables: by name where both sides have one, else by shape. A pair whose
 * shape or details differ is a drop and an add; the rest are unchanged.
 */
function matchConstraints<T extends UniqueConstraint | ForeignKey | CheckConstraint>(
  current: T[],
  target: T[],
  shape: (c: T) => string,
  details: (c: T) => string,
): { dropped: T[]; added: T[] } {
  const unmatchedTarget = new Set(target);
  const dropped: T[] = [];
  const added: T[] = [];
  const pending: T[] = [];
  for (const c of current) {
    const byName = c.name ? target.find((t) => t.name === c.name && unmatchedTarget.has(t)) : undefined;
    if (byName) {
      unmatchedTarget.delete(byName);
      if (shape(byName) !== shape(c) || details(byName) !== details(c)) {
        dropped.push(c);
        added.push(byName);
      }
    } else pending.push(c);
  }
  for (const c of pending) {
    // An unnamed constraint on either side matches by shape; two different names never match.
    const byShape = [...unmatchedTarget].find((t) => (!t.name || !c.name) && shape(t) === shape(c));
    if (byShape) {
      unmatchedTarget.delete(byShape);
      if (details(byShape) !== details(c)) {
        dropped.push(c);
        added.push(byShape);
      }
    } else dropped.push(c);
  }
  added.push(...target.filter((t) => unmatchedTarget.has(t)));
  return { dropped, added };
}
