/**
 * Applying operations to a Schema in memory: how a dialect learns the shape a table will have
 * after a change (SQLite rebuilds), and how tests check that an upgrade and its downgrade cancel.
 */
import { extensionName, findColumn, findTable, renameIndexKey, type CheckConstraint, type EnumType, type ForeignKey, type Index, type IndexKey, type Schema, type Table, type UniqueConstraint } from '../schema/schema.js';
import { dispatch, type Handlers, type OperationOf } from './kinds.js';
import type { Constraint, ConstraintRef, Operation } from './operation.js';
import { collapseSpaces } from '../sql/text.js';

export class SchemaApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaApplyError';
  }
}

function requireTable(schema: Schema, name: string): Table {
  const t = findTable(schema, name);
  if (!t) throw new SchemaApplyError(`table "${name}" does not exist`);
  return t;
}

/** The constraints of a table as tagged values, in a fixed order. */
export function tableConstraints(table: Table): Constraint[] {
  return [
    ...table.uniques.map((u) => ({ type: 'unique' as const, ...u })),
    ...table.foreignKeys.map((f) => ({ type: 'foreignKey' as const, ...f })),
    ...table.checks.map((c) => ({ type: 'check' as const, ...c })),
  ];
}

/** Whether `c` is the constraint `ref` points at. */
export function matchesConstraint(c: Constraint, ref: ConstraintRef): boolean {
  if (c.type !== ref.type) return false;
  if ('name' in ref) return c.name === ref.name;
  if ('columns' in ref) return 'columns' in c && sameList(c.columns, ref.columns);
  return c.type === 'check' && collapseSpaces(c.expression) === collapseSpaces(ref.expression);
}

export function findConstraint(table: Table, ref: ConstraintRef): Constraint | undefined {
  return tableConstraints(table).find((c) => matchesConstraint(c, ref));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function removeConstraint(table: Table, ref: ConstraintRef): void {
  const found = findConstraint(table, ref);
  if (!found) {
    const label = 'name' in ref ? ref.name : 'columns' in ref ? `(${ref.columns.join(', ')})` : `(${ref.expression})`;
    throw new SchemaApplyError(`${ref.type} constraint ${label} does not exist on table "${table.name}"`);
  }
  if (found.type === 'unique') table.uniques = table.uniques.filter((u) => !matchesConstraint({ type: 'unique', ...u }, ref));
  if (found.type === 'foreignKey') table.foreignKeys = table.foreignKeys.filter((f) => !matchesConstraint({ type: 'foreignKey', ...f }, ref));
  if (found.type === 'check') table.checks = table.checks.filter((c) => !matchesConstraint({ type: 'check', ...c }, ref));
}

function addConstraint(table: Table, c: Constraint): void {
  const { type, ...rest } = c;
  if (type === 'unique') table.uniques.push(rest as Table['uniques'][number]);
  else if (type === 'foreignKey') table.foreignKeys.push(rest as Table['foreignKeys'][number]);
  else table.checks.push(rest as Table['checks'][number]);
}

function renameInList(list: string[], from: string, to: string): string[] {
  return list.map((x) => (x === from ? to : x));
}

/** Applies one operation to `schema` in place. Raw SQL leaves the schema as it is. */
export function applyOperation(schema: Schema, op: Operation): void {
  dispatch(APPLY, op, schema);
}

function createTable(op: OperationOf<'createTable'>, schema: Schema): void {
  if (findTable(schema, op.table.name)) throw new SchemaApplyError(`table "${op.table.name}" already exists`);
  schema.tables.push(structuredClone(op.table));
}

function dropTable(op: OperationOf<'dropTable'>, schema: Schema): void {
  requireTable(schema, op.table);
  schema.tables = schema.tables.filter((t) => t.name !== op.table);
}

/** The table under its new name, and the foreign keys that point at it. */
function renameTable(op: OperationOf<'renameTable'>, schema: Schema): void {
  const t = requireTable(schema, op.from);
  t.name = op.to;
  for (const other of schema.tables) {
    for (const fk of other.foreignKeys) if (fk.referencedTable === op.from) fk.referencedTable = op.to;
  }
}

function addColumn(op: OperationOf<'addColumn'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  if (findColumn(t, op.column.name)) throw new SchemaApplyError(`column "${op.column.name}" already exists on table "${op.table}"`);
  t.columns.push(structuredClone(op.column));
}

function dropColumn(op: OperationOf<'dropColumn'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  if (!findColumn(t, op.column)) throw new SchemaApplyError(`column "${op.column}" does not exist on table "${op.table}"`);
  t.columns = t.columns.filter((c) => c.name !== op.column);
  // As in PostgreSQL, the indexes and constraints that use the column go with it.
  const gone = dependentsOf(t, op.column);
  t.indexes = t.indexes.filter((i) => !gone.indexes.includes(i));
  t.uniques = t.uniques.filter((u) => !gone.uniques.includes(u));
  t.foreignKeys = t.foreignKeys.filter((f) => !gone.foreignKeys.includes(f));
  t.checks = t.checks.filter((c) => !gone.checks.includes(c));
  if (gone.primaryKey) delete t.primaryKey;
}

/** The indexes, constraints and key of `t` that use `column`: what goes with it when it is dropped. */
export function dependentsOf(t: Table, column: string): { indexes: Index[]; uniques: UniqueConstraint[]; foreignKeys: ForeignKey[]; checks: CheckConstraint[]; primaryKey: boolean } {
  const uses = (cols: string[]): boolean => cols.includes(column);
  const mentions = new RegExp(`(^|[^A-Za-z0-9_$])"?${column.replace(/[.*+?^${}()|[\]\\"]/g, '\\$&')}"?($|[^A-Za-z0-9_$])`);
  const keyUses = (k: IndexKey): boolean => (typeof k === 'string' ? k === column : k.column === column || (k.expression !== undefined && mentions.test(k.expression)));
  return {
    indexes: t.indexes.filter((i) => i.columns.some(keyUses) || (i.where !== undefined && mentions.test(i.where))),
    uniques: t.uniques.filter((u) => uses(u.columns)),
    foreignKeys: t.foreignKeys.filter((f) => uses(f.columns)),
    checks: t.checks.filter((c) => mentions.test(c.expression)),
    primaryKey: !!t.primaryKey && uses(t.primaryKey.columns),
  };
}

function alterColumn(op: OperationOf<'alterColumn'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  const c = findColumn(t, op.column);
  if (!c) throw new SchemaApplyError(`column "${op.column}" does not exist on table "${op.table}"`);
  if (op.changes.type !== undefined) c.type = op.changes.type;
  if (op.changes.nullable !== undefined) c.nullable = op.changes.nullable;
  if (op.changes.default !== undefined) {
    if (op.changes.default === null) delete c.default;
    else c.default = op.changes.default;
  }
  if (op.changes.comment !== undefined) {
    if (op.changes.comment === null) delete c.comment;
    else c.comment = op.changes.comment;
  }
  if (op.changes.onUpdate !== undefined) {
    if (op.changes.onUpdate === null) delete c.onUpdate;
    else c.onUpdate = op.changes.onUpdate;
  }
  if (op.changes.collation !== undefined) {
    if (op.changes.collation === null) delete c.collation;
    else c.collation = op.changes.collation;
  }
  if (op.changes.virtual !== undefined) {
    if (op.changes.virtual) c.virtual = true;
    else delete c.virtual;
  }
  if (op.changes.generated !== undefined) {
    if (op.changes.generated === null) {
      delete c.generated;
      delete c.virtual;
    } else {
      c.generated = op.changes.generated;
      delete c.default;
    }
  }
  if (op.changes.autoincrement !== undefined) {
    if (op.changes.autoincrement) c.autoincrement = true;
    else delete c.autoincrement;
  }
  if (op.changes.identity !== undefined) {
    if (op.changes.identity === null) delete c.identity;
    else c.identity = op.changes.identity;
  }
}

/** The column under its new name, in its table's keys and in the foreign keys that point at it. */
function renameColumn(op: OperationOf<'renameColumn'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  const c = findColumn(t, op.from);
  if (!c) throw new SchemaApplyError(`column "${op.from}" does not exist on table "${op.table}"`);
  c.name = op.to;
  if (t.primaryKey) t.primaryKey.columns = renameInList(t.primaryKey.columns, op.from, op.to);
  for (const i of t.indexes) i.columns = i.columns.map((k) => renameIndexKey(k, op.from, op.to));
  for (const u of t.uniques) u.columns = renameInList(u.columns, op.from, op.to);
  for (const f of t.foreignKeys) f.columns = renameInList(f.columns, op.from, op.to);
  for (const other of schema.tables) {
    for (const f of other.foreignKeys) {
      if (f.referencedTable === op.table) f.referencedColumns = renameInList(f.referencedColumns, op.from, op.to);
    }
  }
}

function alterPrimaryKey(op: OperationOf<'alterPrimaryKey'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  for (const c of op.primaryKey?.columns ?? []) {
    if (!findColumn(t, c)) throw new SchemaApplyError(`column "${c}" of the new primary key does not exist on table "${op.table}"`);
  }
  if (op.primaryKey) t.primaryKey = structuredClone(op.primaryKey);
  else delete t.primaryKey;
}

function createIndex(op: OperationOf<'createIndex'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  if (t.indexes.some((i) => i.name === op.index.name)) throw new SchemaApplyError(`index "${op.index.name}" already exists on table "${op.table}"`);
  t.indexes.push(structuredClone(op.index));
}

function dropIndex(op: OperationOf<'dropIndex'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  if (!t.indexes.some((i) => i.name === op.name)) throw new SchemaApplyError(`index "${op.name}" does not exist on table "${op.table}"`);
  t.indexes = t.indexes.filter((i) => i.name !== op.name);
}

/** An index by its new name; a unique constraint's too (renaming its index renames it, on PostgreSQL and MySQL alike). */
function renameIndex(op: OperationOf<'renameIndex'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  const index = t.indexes.find((i) => i.name === op.from) ?? t.uniques.find((u) => u.name === op.from);
  if (!index) throw new SchemaApplyError(`index "${op.from}" does not exist on table "${op.table}"`);
  if (op.to !== op.from && (t.indexes.some((i) => i.name === op.to) || t.uniques.some((u) => u.name === op.to))) {
    throw new SchemaApplyError(`index "${op.to}" already exists on table "${op.table}"`);
  }
  index.name = op.to;
}

/** The constraint of that name on the table, whatever its type. */
export function constraintNamed(table: Table, name: string): Constraint | undefined {
  return tableConstraints(table).find((c) => c.name === name);
}

/** A foreign key, unique or check constraint, or the primary key, by its new name. */
function renameConstraint(op: OperationOf<'renameConstraint'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  const found = [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques, ...t.foreignKeys, ...t.checks].find((c) => c.name === op.from);
  if (!found) throw new SchemaApplyError(`constraint "${op.from}" does not exist on table "${op.table}"`);
  if (op.to !== op.from && (constraintNamed(t, op.to) || t.primaryKey?.name === op.to)) throw new SchemaApplyError(`constraint "${op.to}" already exists on table "${op.table}"`);
  found.name = op.to;
}

/** Validating changes nothing; the constraint must be there to validate, and not a unique one. */
function validateConstraint(op: OperationOf<'validateConstraint'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  if (!tableConstraints(t).some((c) => c.name === op.name && c.type !== 'unique')) {
    throw new SchemaApplyError(`no foreign key or check constraint "${op.name}" on table "${op.table}" to validate`);
  }
}

function setTableComment(op: OperationOf<'setTableComment'>, schema: Schema): void {
  const t = requireTable(schema, op.table);
  if (op.comment === null) delete t.comment;
  else t.comment = op.comment;
}

function createExtension(op: OperationOf<'createExtension'>, schema: Schema): void {
  if (!(schema.extensions ?? []).some((e) => extensionName(e) === op.name)) schema.extensions = [...(schema.extensions ?? []), op.name];
}

function dropExtension(op: OperationOf<'dropExtension'>, schema: Schema): void {
  schema.extensions = (schema.extensions ?? []).filter((e) => extensionName(e) !== op.name);
}

function createEnum(op: OperationOf<'createEnum'>, schema: Schema): void {
  const enums = (schema.enums ??= []);
  if (enums.some((e) => e.name === op.enum.name)) throw new SchemaApplyError(`enum "${op.enum.name}" already exists`);
  enums.push(structuredClone(op.enum));
}

function dropEnum(op: OperationOf<'dropEnum'>, schema: Schema): void {
  requireEnum(schema, op.name);
  schema.enums = schema.enums!.filter((e) => e.name !== op.name);
}

function addEnumValue(op: OperationOf<'addEnumValue'>, schema: Schema): void {
  const e = requireEnum(schema, op.name);
  if (e.values.includes(op.value)) throw new SchemaApplyError(`enum "${op.name}" already has the value '${op.value}'`);
  const at = op.before !== undefined ? e.values.indexOf(op.before) : -1;
  if (at < 0) e.values.push(op.value);
  else e.values.splice(at, 0, op.value);
}

function dropEnumValue(op: OperationOf<'dropEnumValue'>, schema: Schema): void {
  const e = requireEnum(schema, op.name);
  if (!e.values.includes(op.value)) throw new SchemaApplyError(`enum "${op.name}" has no value '${op.value}'`);
  e.values = e.values.filter((v) => v !== op.value);
}

/** A type that names the enum `from` (quoted or not, an array of it or not) made to name `to`; undefined for any other. */
function renamedEnumType(type: string, from: string, to: string): string | undefined {
  const [, base, dims] = /^(.*?)((?:\s*\[\s*\d*\s*\])*)$/s.exec(type.trim())!;
  const quoted = base.startsWith('"') && base.endsWith('"');
  if ((quoted ? base.slice(1, -1).replace(/""/g, '"') : base) !== from) return undefined;
  return `${quoted || !/^[a-z_][a-z0-9_$]*$/.test(to) ? `"${to.replace(/"/g, '""')}"` : to}${dims}`;
}

function renameEnum(op: OperationOf<'renameEnum'>, schema: Schema): void {
  const e = requireEnum(schema, op.from);
  if (schema.enums!.some((x) => x.name === op.to)) throw new SchemaApplyError(`enum "${op.to}" already exists`);
  e.name = op.to;
  for (const table of schema.tables) {
    for (const c of table.columns) {
      const type = renamedEnumType(c.type, op.from, op.to);
      if (type === undefined) continue;
      c.type = type;
      // A default cast to the type names it too.
      if (c.default !== undefined) {
        c.default = c.default.replace(/::("(?:[^"]|"")*"|[A-Za-z_][\w$]*)((?:\[\])*)$/, (whole, name: string, dims: string) => {
          const renamed = renamedEnumType(name, op.from, op.to);
          return renamed === undefined ? whole : `::${renamed}${dims}`;
        });
      }
    }
  }
}

const APPLY: Handlers<void, [schema: Schema]> = {
  createTable,
  dropTable,
  renameTable,
  addColumn,
  dropColumn,
  alterColumn,
  renameColumn,
  alterPrimaryKey,
  createIndex,
  dropIndex,
  renameIndex,
  addConstraint: (op, schema) => addConstraint(requireTable(schema, op.table), structuredClone(op.constraint)),
  validateConstraint,
  dropConstraint: (op, schema) => removeConstraint(requireTable(schema, op.table), op.ref),
  renameConstraint,
  setTableComment,
  createExtension,
  dropExtension,
  createEnum,
  dropEnum,
  addEnumValue,
  dropEnumValue,
  renameEnum,
  // What raw SQL does is not known here.
  execute: () => undefined,
};

function requireEnum(schema: Schema, name: string): EnumType {
  const e = schema.enums?.find((x) => x.name === name);
  if (!e) throw new SchemaApplyError(`enum "${name}" does not exist`);
  return e;
}

export function applyOperations(schema: Schema, ops: readonly Operation[]): void {
  for (const op of ops) applyOperation(schema, op);
}

/**
 * Applies `op` to a schema that may not hold what it names (a table the database had before any
 * revision made it); false when it did not, leaving the schema as it was for that operation.
 */
export function tryApplyOperation(schema: Schema, op: Operation): boolean {
  try {
    applyOperation(schema, op);
    return true;
  } catch (error) {
    if (!(error instanceof SchemaApplyError)) throw error;
    return false;
  }
}
