/**
 * Operations → MySQL / MariaDB DDL. MySQL commits each DDL statement on its own, so every
 * statement of a revision is a phase of its own, recorded as it completes (see runner/progress.ts):
 * a revision that fails halfway is known to have run exactly the statements before the failed one.
 */
import { constraintNamed, dependentsOf, findConstraint, tryApplyOperation } from '../../operations/apply.js';
import { dispatch, kindEntry, type Handlers, type KindTable, type OperationOf } from '../../operations/kinds.js';
import { describeOperation, operationTable, type Operation } from '../../operations/operation.js';
import { cloneSchema, findColumn, findTable, keyColumn, normalizeIndexKey, type Column, type Index, type IndexKey, type Schema, type Table } from '../../schema/schema.js';
import { UnsupportedOperationError, type CompiledOperations } from '../dialect.js';
import { PhaseBuilder } from '../phases.js';
import { standardSql } from '../sql.js';
import { quoteMysqlIdentifier as q, quoteMysqlLiteral } from './quote.js';
import { followKeyIndexes, keyIndexesOf, leads, ownIndexes, served } from './table-record.js';
import { mysqlResume } from './resume.js';

const { columnList, constraintSql, indexKeySql, STANDARD_SQL } = standardSql(q);

const comment = (text: string | null | undefined): string => (text ? ` COMMENT ${quoteMysqlLiteral(text)}` : '');

/** A column's definition. */
export function columnSql(c: Column): string {
  let sql = `${q(c.name)} ${c.type}`;
  if (c.collation !== undefined) sql += ` COLLATE ${q(c.collation)}`;
  if (c.generated !== undefined) {
    // No NULL nor NOT NULL (MariaDB takes neither), no default: the expression gives the values.
    if (c.autoincrement || c.identity) throw new UnsupportedOperationError('mysql', `make column ${c.name} generated (AS ${c.generated}) and numbered too`);
    return `${sql} AS (${c.generated}) ${c.virtual ? 'VIRTUAL' : 'STORED'}${comment(c.comment)}`;
  }
  sql += c.nullable ? ' NULL' : ' NOT NULL';
  if (c.default !== undefined && !c.autoincrement) sql += ` DEFAULT ${c.default}`;
  if (c.onUpdate !== undefined) sql += ` ON UPDATE ${c.onUpdate}`;
  if (c.autoincrement) sql += ' AUTO_INCREMENT';
  if (c.identity) throw new UnsupportedOperationError('mysql', `make column ${c.name} an identity column (MySQL has AUTO_INCREMENT: autoincrement: true)`);
  return sql + comment(c.comment);
}

/** `indexes` are written inside the CREATE TABLE (see keyedAutoincrement). */
export function createTableSql(t: Table, indexes: readonly OperationOf<'createIndex'>[] = []): string {
  const parts = t.columns.map((c) => columnSql(c));
  if (t.primaryKey?.columns.length) parts.push(`PRIMARY KEY (${columnList(t.primaryKey.columns)})`);
  for (const op of indexes) parts.push(indexClause(op));
  for (const u of t.uniques) parts.push(constraintSql({ type: 'unique', ...u }));
  for (const c of t.checks) parts.push(constraintSql({ type: 'check', ...c }));
  for (const f of t.foreignKeys) parts.push(constraintSql({ type: 'foreignKey', ...f }));
  // A collation names its character set: the part before its first underscore.
  const collation = t.collation !== undefined ? ` DEFAULT CHARACTER SET ${q(t.collation.split('_')[0])} COLLATE ${q(t.collation)}` : '';
  return `CREATE TABLE ${q(t.name)} (${parts.join(', ')})${collation}${t.comment ? ` COMMENT=${quoteMysqlLiteral(t.comment)}` : ''}`;
}

/** MySQL indexes take columns, prefixes of them and a sort order; FULLTEXT and SPATIAL are index kinds. */
function indexParts(op: OperationOf<'createIndex'>): { kind: string; keys: string[]; hash: boolean } {
  const i: Index = op.index;
  if (i.where !== undefined) throw new UnsupportedOperationError('mysql', `${describeOperation(op)} WHERE ${i.where}: MySQL has no partial indexes`);
  for (const key of i.columns) {
    const k = normalizeIndexKey(key);
    if (typeof k === 'string') continue;
    if (k.opclass) throw new UnsupportedOperationError('mysql', `${describeOperation(op)} with operator class ${k.opclass}`);
    if (k.nulls) throw new UnsupportedOperationError('mysql', `${describeOperation(op)} with NULLS ${k.nulls.toUpperCase()}`);
  }
  const method = (i.using ?? 'btree').toLowerCase();
  const kind = method === 'fulltext' ? 'FULLTEXT ' : method === 'spatial' ? 'SPATIAL ' : i.unique ? 'UNIQUE ' : '';
  if (!['btree', 'hash', 'fulltext', 'spatial'].includes(method)) throw new UnsupportedOperationError('mysql', `${describeOperation(op)} USING ${i.using}`);
  // Expressions go in a second pair of parentheses (MySQL 8.0.13's functional key parts).
  const keys = i.columns.map((k) => (typeof k !== 'string' && k.expression !== undefined ? `(${indexKeySql(k)})` : indexKeySql(k)));
  return { kind, keys, hash: method === 'hash' };
}

function createIndexSql(op: OperationOf<'createIndex'>, schema?: Schema): string {
  const spare = schema ? madeSpare(findTable(schema, op.table), op.index) : [];
  if (spare.length) return `ALTER TABLE ${q(op.table)} ADD ${indexClause(op)}${dropIndexes(spare)}`;
  const { kind, keys, hash } = indexParts(op);
  return `CREATE ${kind}INDEX ${q(op.index.name)} ON ${q(op.table)} (${keys.join(', ')})${hash ? ' USING HASH' : ''}`;
}

/** An index as CREATE TABLE and ALTER TABLE … ADD state it: `UNIQUE INDEX name (keys)`. */
function indexClause(op: OperationOf<'createIndex'>): string {
  const { kind, keys, hash } = indexParts(op);
  return `${kind}INDEX ${q(op.index.name)} (${keys.join(', ')})${hash ? ' USING HASH' : ''}`;
}

/** Names of the foreign keys' own indexes (table-record.ts) that an index on `keys` would serve instead. */
function madeSpare(table: Table | undefined, index: { columns: readonly IndexKey[]; using?: string }): string[] {
  if (!table || /fulltext|spatial/i.test(index.using ?? '')) return [];
  const own = keyIndexesOf(table);
  return table.foreignKeys.filter((f) => f.name !== undefined && own.includes(f.name) && leads(index.columns, f.columns)).map((f) => f.name!);
}

const dropIndexes = (names: readonly string[]): string => names.map((n) => `, DROP INDEX ${q(n)}`).join('');

/** A column's new definition: MODIFY restates the whole column, so what does not change is taken from the table. */
function alterColumnSql(op: OperationOf<'alterColumn'>, schema: Schema): string[] {
  const t = q(op.table);
  const c = q(op.column);
  const ch = op.changes;
  const table = findTable(schema, op.table);
  const current = table && findColumn(table, op.column);
  const defaultOnly = Object.keys(ch).every((k) => k === 'default');
  if (defaultOnly) return [`ALTER TABLE ${t} ALTER COLUMN ${c} ${ch.default === null || ch.default === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${ch.default}`}`];
  if (!current || !table) throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: the table's current definition is not known (MODIFY COLUMN restates the whole column)`);
  if (ch.identity) throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: MySQL has no identity columns (use autoincrement)`);
  const next: Column = { ...current };
  if (ch.type !== undefined) next.type = ch.type;
  if (ch.nullable !== undefined) next.nullable = ch.nullable;
  if (ch.default !== undefined) {
    if (ch.default === null) delete next.default;
    else next.default = ch.default;
  }
  if (ch.autoincrement !== undefined) next.autoincrement = ch.autoincrement;
  if (ch.comment !== undefined) {
    if (ch.comment === null) delete next.comment;
    else next.comment = ch.comment;
  }
  if (ch.onUpdate !== undefined) {
    if (ch.onUpdate === null) delete next.onUpdate;
    else next.onUpdate = ch.onUpdate;
  }
  if (ch.generated !== undefined || ch.virtual !== undefined) return generationChangeSql(op, table, current, withGeneration(next, ch));
  if (ch.collation !== undefined) {
    if (ch.collation === null) delete next.collation;
    else next.collation = ch.collation;
  } else if (ch.type !== undefined && !/char|text|enum|\bset\b/i.test(ch.type)) {
    // A collation goes with character types only.
    delete next.collation;
  }
  const out: string[] = [];
  const fill = next.default;
  if (ch.nullable === false && fill !== undefined) out.push(`UPDATE ${t} SET ${c} = ${fill} WHERE ${c} IS NULL`);
  out.push(`ALTER TABLE ${t} MODIFY COLUMN ${columnSql(next)}`);
  return out;
}

function withGeneration(next: Column, ch: OperationOf<'alterColumn'>['changes']): Column {
  if (ch.generated === null) {
    delete next.generated;
    delete next.virtual;
  } else if (ch.generated !== undefined) {
    next.generated = ch.generated;
    delete next.default;
  }
  if (ch.virtual !== undefined) {
    if (ch.virtual && next.generated !== undefined) next.virtual = true;
    else delete next.virtual;
  }
  if (ch.collation !== undefined) {
    if (ch.collation === null) delete next.collation;
    else next.collation = ch.collation;
  }
  return next;
}

/**
 * A column made generated, plain, or given another expression or storage. MODIFY does it where
 * MySQL and MariaDB can: a new expression of the same storage, a plain column made STORED (its
 * values computed), a STORED one made plain (its values kept). A VIRTUAL column cannot be made
 * anything but VIRTUAL, nor anything made VIRTUAL: the column is dropped and added again in one
 * statement, in its place, with the indexes and constraints that use it; made plain, it is given
 * the values it computed.
 */
function generationChangeSql(op: OperationOf<'alterColumn'>, table: Table, current: Column, next: Column): string[] {
  const t = q(op.table);
  const c = q(op.column);
  const wasVirtual = current.generated !== undefined && !!current.virtual;
  const isVirtual = next.generated !== undefined && !!next.virtual;
  if (wasVirtual === isVirtual) return [`ALTER TABLE ${t} MODIFY COLUMN ${columnSql(next)}`];
  const uses = dependentsOf(table, op.column);
  if (uses.primaryKey || uses.foreignKeys.length) throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: a ${uses.primaryKey ? 'primary' : 'foreign'} key uses the column, which is dropped and added again to change a VIRTUAL column`);
  const named = (k: { name?: string }): string => q(k.name ?? failUnnamed(op));
  const at = table.columns.findIndex((x) => x.name === op.column);
  const place = at > 0 ? ` AFTER ${q(table.columns[at - 1].name)}` : ' FIRST';
  const plain = next.generated === undefined;
  const added: Column = plain ? { ...next, nullable: true } : next;
  delete added.default;
  const parts = [
    ...uses.indexes.map((i) => `DROP INDEX ${q(i.name)}`),
    ...uses.uniques.map((u) => `DROP INDEX ${named(u)}`),
    ...uses.checks.map((k) => `DROP CONSTRAINT ${named(k)}`),
    `DROP COLUMN ${c}`,
    `ADD COLUMN ${columnSql(added)}${place}`,
  ];
  const out = [`ALTER TABLE ${t} ${parts.join(', ')}`];
  if (plain) {
    out.push(`UPDATE ${t} SET ${c} = (${current.generated})`);
    if (!next.nullable || next.default !== undefined) out.push(`ALTER TABLE ${t} MODIFY COLUMN ${columnSql(next)}`);
  }
  const restored: string[] = [
    ...uses.indexes.map((i) => createIndexSql({ kind: 'createIndex', table: op.table, index: i })),
    ...uses.uniques.map((u) => `ALTER TABLE ${t} ADD ${constraintSql({ type: 'unique', ...u })}`),
    ...uses.checks.map((k) => `ALTER TABLE ${t} ADD ${constraintSql({ type: 'check', ...k })}`),
  ];
  return [...out, ...restored];
}

function failUnnamed(op: OperationOf<'alterColumn'>): never {
  throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: a constraint without a name uses the column, which is dropped and added again to change a VIRTUAL column`);
}

/**
 * DROP INDEX; an index a foreign key needs (MySQL refuses to drop it) is replaced in the same
 * statement by one of the key's own, named after it, as MySQL would have made for the key.
 */
function dropIndexSql(op: OperationOf<'dropIndex'>, schema: Schema): string[] {
  const table = findTable(schema, op.table);
  const index = table?.indexes.find((i) => i.name === op.name);
  const keep = table && index ? table.foreignKeys.filter((f) => leads(index.columns, f.columns) && !served(table, f, index) && !ownIndexes(table).includes(f.name ?? '')) : [];
  const adds = keep.map((f) => `, ADD INDEX ${q(f.name ?? f.columns.join('_'))} (${columnList(f.columns)})`);
  return adds.length ? [`ALTER TABLE ${q(op.table)} DROP INDEX ${q(op.name)}${adds.join('')}`] : [`DROP INDEX ${q(op.name)} ON ${q(op.table)}`];
}

function alterPrimaryKeySql(op: OperationOf<'alterPrimaryKey'>, schema: Schema): string[] {
  const had = findTable(schema, op.table)?.primaryKey?.columns.length;
  const parts = [...(had ? ['DROP PRIMARY KEY'] : []), ...(op.primaryKey ? [`ADD PRIMARY KEY (${columnList(op.primaryKey.columns)})`] : [])];
  return parts.length ? [`ALTER TABLE ${q(op.table)} ${parts.join(', ')}`] : [];
}

/** The name of the constraint a dropConstraint drops: given, or found in the table's definition. */
function constraintNameOf(op: OperationOf<'dropConstraint'>, schema: Schema): string {
  let name = 'name' in op.ref ? op.ref.name : undefined;
  if (name === undefined) {
    const table = findTable(schema, op.table);
    const found = table && findConstraint(table, op.ref);
    name = found?.name;
    // A unique constraint is read back as a unique index: found by its columns.
    if (!name && table && op.ref.type === 'unique' && 'columns' in op.ref) {
      const cols = JSON.stringify(op.ref.columns);
      name = table.indexes.find((i) => i.unique && JSON.stringify(i.columns) === cols)?.name;
    }
    if (!name) throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: name the constraint to drop (it is not in the table's current definition)`);
  }
  return name;
}

/** A unique constraint is an index in MySQL; a foreign key and a check are dropped by their own words. */
function dropConstraintSql(op: OperationOf<'dropConstraint'>, schema: Schema): string[] {
  const name = constraintNameOf(op, schema);
  const t = q(op.table);
  switch (op.ref.type) {
    case 'unique':
      return [`ALTER TABLE ${t} DROP INDEX ${q(name)}`];
    case 'foreignKey':
      // MySQL keeps the key's own index: it goes with the key.
      return [`ALTER TABLE ${t} DROP FOREIGN KEY ${q(name)}${dropIndexes(ownIndexes(findTable(schema, op.table)).filter((n) => n === name))}`];
    case 'check':
      return [`ALTER TABLE ${t} DROP CONSTRAINT ${q(name)}`];
  }
}

/**
 * A constraint under a new name: a unique constraint is an index, renamed in place; a foreign key
 * or a check, which MySQL cannot rename, is dropped and added again in one statement.
 */
function renameConstraintSql(op: OperationOf<'renameConstraint'>, schema: Schema): string[] {
  const table = findTable(schema, op.table);
  const found = table && constraintNamed(table, op.from);
  const t = q(op.table);
  if (!found) {
    // Read back from MySQL, a unique constraint is a unique index.
    if (table?.indexes.some((i) => i.name === op.from && i.unique)) return [`ALTER TABLE ${t} RENAME INDEX ${q(op.from)} TO ${q(op.to)}`];
    throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: no such constraint in the table's current definition`);
  }
  if (found.type === 'unique') return [`ALTER TABLE ${t} RENAME INDEX ${q(op.from)} TO ${q(op.to)}`];
  const drop = found.type === 'foreignKey' ? `DROP FOREIGN KEY ${q(op.from)}${dropIndexes(ownIndexes(table).filter((n) => n === op.from))}` : `DROP CONSTRAINT ${q(op.from)}`;
  return [`ALTER TABLE ${t} ${drop}, ADD ${constraintSql({ ...found, name: op.to })}`];
}

/** A kind about something MySQL does not have. */
const hasNo =
  (what: string) =>
  (op: Operation): never => {
    throw new UnsupportedOperationError('mysql', `${describeOperation(op)}: MySQL has no ${what}`);
  };

const STATEMENTS: Handlers<string[], [schema: Schema]> = {
  createTable: (op) => [createTableSql(op.table)],
  dropTable: STANDARD_SQL.dropTable,
  renameTable: STANDARD_SQL.renameTable,
  addColumn: (op) => [`ALTER TABLE ${q(op.table)} ADD COLUMN ${columnSql(op.column)}`],
  dropColumn: STANDARD_SQL.dropColumn,
  alterColumn: alterColumnSql,
  renameColumn: STANDARD_SQL.renameColumn,
  alterPrimaryKey: alterPrimaryKeySql,
  createIndex: (op, schema) => [createIndexSql(op, schema)],
  dropIndex: dropIndexSql,
  renameIndex: (op) => [`ALTER TABLE ${q(op.table)} RENAME INDEX ${q(op.from)} TO ${q(op.to)}`],
  addConstraint: (op, schema) => {
    const spare = op.constraint.type === 'unique' ? madeSpare(findTable(schema, op.table), op.constraint) : [];
    return [`ALTER TABLE ${q(op.table)} ADD ${constraintSql(op.constraint)}${dropIndexes(spare)}`];
  },
  // MySQL checks a constraint when it is added: there is nothing left to validate.
  validateConstraint: () => [],
  dropConstraint: dropConstraintSql,
  renameConstraint: renameConstraintSql,
  setTableComment: (op) => [`ALTER TABLE ${q(op.table)} COMMENT = ${quoteMysqlLiteral(op.comment ?? '')}`],
  createExtension: hasNo('extensions'),
  dropExtension: hasNo('extensions'),
  createEnum: hasNo('enum types (an enum is a column type: enum(\'a\',\'b\'))'),
  dropEnum: hasNo('enum types'),
  addEnumValue: hasNo('enum types (change the column type instead)'),
  dropEnumValue: hasNo('enum types (change the column type instead)'),
  renameEnum: hasNo('enum types'),
  execute: STANDARD_SQL.execute,
};

/**
 * Whether the operations' SQL depends on the current schema. An index or unique constraint added
 * to a table that is there before them may make a foreign key's own index spare (table-record.ts).
 */
export function mysqlNeedsSchema(operations: readonly Operation[]): boolean {
  return operations.some(
    (op, i) =>
      kindEntry(NEEDS_SCHEMA, op.kind) ||
      ((op.kind === 'createIndex' || (op.kind === 'addConstraint' && op.constraint.type === 'unique')) &&
        !operations.slice(0, i).some((o) => o.kind === 'createTable' && o.table.name === op.table)),
  );
}

/** Whether a kind's SQL depends on the current schema. */
const NEEDS_SCHEMA: KindTable<boolean> = {
  createTable: false,
  dropTable: false,
  renameTable: false,
  addColumn: false,
  dropColumn: false,
  alterColumn: true,
  renameColumn: false,
  alterPrimaryKey: true,
  createIndex: false,
  dropIndex: true,
  renameIndex: false,
  addConstraint: false,
  validateConstraint: false,
  dropConstraint: true,
  renameConstraint: true,
  setTableComment: false,
  createExtension: false,
  dropExtension: false,
  createEnum: false,
  dropEnum: false,
  addEnumValue: false,
  dropEnumValue: false,
  renameEnum: false,
  execute: false,
};

/**
 * Whether the table of the index `operations[i]` drops is dropped later in the same list (not
 * renamed or created again first): dropping the table drops its indexes, and MySQL refuses to
 * drop alone an index a foreign key of the table needs ("needed in a foreign key constraint"),
 * as a downgrade that undoes createTable + createIndex would.
 */
function droppedWithItsTable(operations: readonly Operation[], i: number): boolean {
  const op = operations[i];
  if (op.kind !== 'dropIndex') return false;
  for (const later of operations.slice(i + 1)) {
    if (later.kind === 'dropTable' && later.table === op.table) return true;
    if ((later.kind === 'renameTable' && (later.from === op.table || later.to === op.table)) || (later.kind === 'createTable' && later.table.name === op.table)) return false;
  }
  return false;
}

/**
 * For `operations[i]`, a createTable with an AUTO_INCREMENT column that does not lead its
 * primary key: the positions of the later createIndex operations on the table that the column
 * leads. MySQL takes such a column only with a key in the same CREATE TABLE ("there can be only
 * one auto column and it must be defined as a key"), so the first such index is written there
 * (as Prisma Migrate writes every index) instead of in a CREATE INDEX of its own.
 */
function keyedAutoincrement(operations: readonly Operation[], i: number): number[] {
  const op = operations[i];
  if (op.kind !== 'createTable') return [];
  const out: number[] = [];
  for (const c of op.table.columns) {
    if (!c.autoincrement || op.table.primaryKey?.columns[0] === c.name) continue;
    const j = operations.findIndex((later, k) => k > i && later.kind === 'createIndex' && later.table === op.table.name && keyColumn(later.index.columns[0]) === c.name);
    if (j >= 0 && !out.includes(j)) out.push(j);
  }
  return out;
}

/** An operation applied to a schema as MySQL applies it, with the foreign keys' own indexes (table-record.ts). */
export function replayMysql(schema: Schema, op: Operation): void {
  tryApplyOperation(schema, op);
  const table = op.kind === 'dropTable' ? undefined : findTable(schema, operationTable(op) ?? '');
  if (table) followKeyIndexes(table, op.kind);
}

/**
 * The later operation that must share `operations[i]`'s ALTER TABLE, the next on the same table.
 * MySQL takes an AUTO_INCREMENT column only as the first column of a key ("there can be only one
 * auto column and it must be defined as a key"): a numbered column added, with the primary key or
 * index that it leads (a primary key moved to a new numbered column); and a key that a numbered
 * column leads dropped or changed, with the drop of that column (going back down). And MySQL's
 * column names are the same in any case: a column added under the name of one dropped next in
 * another case (`remotejid` → `remoteJid`, not taken as a rename) is added as the other goes.
 */
function partnerOf(operations: readonly Operation[], i: number, state: Schema): number | undefined {
  const op = operations[i];
  const table = operationTable(op);
  const j = operations.findIndex((later, k) => k > i && operationTable(later) === table);
  if (j < 0) return undefined;
  const next = operations[j];
  const first = (keys: readonly IndexKey[] | undefined, column: string): boolean => !!keys?.length && keyColumn(keys[0]) === column;
  if (op.kind === 'addColumn' && next.kind === 'dropColumn' && next.column !== op.column.name && next.column.toLowerCase() === op.column.name.toLowerCase()) return j;
  if (op.kind === 'addColumn' && op.column.autoincrement) {
    const keyed = (next.kind === 'alterPrimaryKey' && first(next.primaryKey?.columns, op.column.name)) || (next.kind === 'createIndex' && first(next.index.columns, op.column.name));
    return keyed ? j : undefined;
  }
  if ((op.kind === 'alterPrimaryKey' || op.kind === 'dropIndex') && next.kind === 'dropColumn') {
    const t = findTable(state, op.table);
    const unkeyed = op.kind === 'alterPrimaryKey' ? t?.primaryKey?.columns : t?.indexes.find((x) => x.name === op.name)?.columns;
    return t && findColumn(t, next.column)?.autoincrement && first(unkeyed, next.column) ? j : undefined;
  }
  return undefined;
}

/** An operation's part of one ALTER TABLE that does several things. */
function alterClause(op: Operation, state: Schema): string {
  if (op.kind === 'createIndex') return `ADD ${indexClause(op)}`;
  if (op.kind === 'dropIndex') {
    const [sql] = dropIndexSql(op, state);
    return sql.startsWith('ALTER TABLE ') ? sql.slice(`ALTER TABLE ${q(op.table)} `.length) : `DROP INDEX ${q(op.name)}`;
  }
  const statements = dispatch(STATEMENTS, op, state);
  const prefix = `ALTER TABLE ${q(operationTable(op) ?? '')} `;
  if (statements.length !== 1 || !statements[0].startsWith(prefix)) throw new UnsupportedOperationError('mysql', `${describeOperation(op)} in the same statement as another change of the table`);
  return statements[0].slice(prefix.length);
}

/**
 * Every statement in a phase of its own outside any transaction: MySQL commits DDL as it runs,
 * so a statement is either done or not, and the runner records each as it completes. A DDL
 * statement comes with the question a rerun asks when it finds the statement started but not
 * recorded (resume.ts). A revision of one statement with nothing to ask (an `op.execute`, a
 * MODIFY COLUMN) needs no record, and runs as usual.
 */
export function compileMysql(operations: readonly Operation[], schema: Schema): CompiledOperations {
  const state = cloneSchema(schema);
  const out = new PhaseBuilder();
  // An index of a table dropped later in the revision goes with it: dropped first, it may be
  // the one a foreign key of the table needs, which MySQL refuses to drop.
  const inline = new Set<number>();
  for (const [i, op] of operations.entries()) {
    const keyed = keyedAutoincrement(operations, i);
    for (const j of keyed) inline.add(j);
    const partner = inline.has(i) ? undefined : partnerOf(operations, i, state);
    if (op.kind === 'createTable' && keyed.length) out.add([createTableSql(op.table, keyed.map((j) => operations[j] as OperationOf<'createIndex'>))], 'none', mysqlResume(op));
    else if (partner !== undefined) {
      // The partner is compiled against the schema after this operation, as it would be on its own.
      const after = cloneSchema(state);
      replayMysql(after, op);
      const table = q(operationTable(op) ?? '');
      const clauses = [alterClause(op, state), alterClause(operations[partner], after)];
      // A column's drop before the add of its name in another case; a rerun cannot tell from the
      // catalog, which compares names in any case, whether that ran: it asks no question of it.
      const recased = operations[partner].kind === 'dropColumn' && op.kind === 'addColumn';
      if (recased) clauses.reverse();
      out.add([`ALTER TABLE ${table} ${clauses.join(', ')}`], 'none', recased ? undefined : mysqlResume(op));
      inline.add(partner);
    } else if (!droppedWithItsTable(operations, i) && !inline.has(i)) {
      const statements = dispatch(STATEMENTS, op, state);
      // The one DDL statement of an operation gets its question (an alterColumn's UPDATE and MODIFY can run again).
      const resume = statements.length === 1 ? mysqlResume(op, op.kind === 'dropConstraint' ? constraintNameOf(op, state) : undefined) : undefined;
      for (const sql of statements) out.add([sql], 'none', resume);
    }
    replayMysql(state, op);
  }
  // One statement needs no record between statements, unless a rerun must ask whether it ran.
  const phases = out.statements.length > 1 || out.asks() ? out.result() : undefined;
  return { statements: out.statements, foreignKeysOff: false, ...(phases ? { phases } : {}) };
}
