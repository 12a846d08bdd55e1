/**
 * Operations → SQLite SQL. What SQLite can do in place is an ALTER; the rest (type, nullability
 * and default changes, constraints, dropping a constrained column) is a copy-and-swap rebuild.
 * Adjacent changes to one table share one rebuild.
 */
import { applyOperation, findConstraint, tryApplyOperation } from '../../operations/apply.js';
import { dispatch, kindEntry, type Handlers, type KindTable, type OperationOf } from '../../operations/kinds.js';
import { describeOperation, operationTable, type Operation } from '../../operations/operation.js';
import { cloneSchema, findTable, keyColumn, normalizeIndexKey, type Column, type Index, type Schema, type Table } from '../../schema/schema.js';
import { quoteIdentifier as q, UnsupportedOperationError, type CompiledOperations } from '../dialect.js';
import { createIndexSql, STANDARD_SQL } from '../sql.js';
import { PhaseBuilder, placementOf, type Placement } from '../phases.js';
import { closingParen, isName, isPunct, isWord, splitTopLevel, type Token } from '../../sql/text.js';
import { tokenize } from './parse.js';
import { columnSql, createTableSql, isPlainDefault, rebuildSql } from './rebuild.js';
import { forgetSource, recordSource, sourceOf, type TableSource } from './source.js';

export { REBUILD_PREFIX, columnSql, constraintSql, createIndexSql, createTableSql, defaultSql, rebuildSql } from './rebuild.js';

function canAddInPlace(c: Column, t: Table): boolean {
  if (c.autoincrement || t.primaryKey?.columns.includes(c.name)) return false;
  if (c.default === undefined) return c.nullable;
  const d = c.default.trim();
  return isPlainDefault(d) && !/^NULL$/i.test(d);
}

function columnIsConstrained(schema: Schema, t: Table, column: string): boolean {
  const mentions = (expr: string): boolean => mentionsIdentifier(expr, column);
  return (
    !!t.primaryKey?.columns.includes(column) ||
    t.indexes.some((i) => i.columns.some((k) => keyColumn(k) === column || (typeof k !== 'string' && k.expression !== undefined && mentions(k.expression))) || (i.where !== undefined && mentions(i.where))) ||
    t.uniques.some((u) => u.columns.includes(column)) ||
    t.foreignKeys.some((f) => f.columns.includes(column)) ||
    t.checks.some((c) => mentions(c.expression)) ||
    schema.tables.some((o) => o.foreignKeys.some((f) => f.referencedTable === t.name && f.referencedColumns.includes(column)))
  );
}

/** SQLite indexes take columns and expressions with ASC/DESC, nothing more. */
function checkIndex(name: string, index: Index): void {
  if (index.using && index.using !== 'btree') throw new UnsupportedOperationError('sqlite', `create index ${name} USING ${index.using}`);
  for (const key of index.columns) {
    const k = normalizeIndexKey(key);
    if (typeof k === 'string') continue;
    if (k.opclass) throw new UnsupportedOperationError('sqlite', `create index ${name} with operator class ${k.opclass}`);
    if (k.nulls) throw new UnsupportedOperationError('sqlite', `create index ${name} with NULLS ${k.nulls.toUpperCase()}`);
    if (k.length !== undefined) throw new UnsupportedOperationError('sqlite', `create index ${name} on a prefix of column ${k.column} (${k.length})`);
  }
}

function requireTable(schema: Schema, name: string, op: Operation): Table {
  const t = findTable(schema, name);
  if (!t) throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: table "${name}" does not exist`);
  return t;
}

/** Whether SQLite must rebuild the table for `op`, given the schema before it. */
function needsRebuild(op: Operation, schema: Schema): boolean {
  return dispatch(NEEDS_REBUILD, op, schema);
}

const always = (): boolean => true;
const never = (): boolean => false;

const NEEDS_REBUILD: Handlers<boolean, [schema: Schema]> = {
  createTable: never,
  dropTable: never,
  renameTable: never,
  addColumn: (op, schema) => !canAddInPlace(op.column, requireTable(schema, op.table, op)),
  dropColumn: (op, schema) => columnIsConstrained(schema, requireTable(schema, op.table, op), op.column),
  alterColumn: always,
  renameColumn: never,
  alterPrimaryKey: always,
  createIndex: never,
  dropIndex: never,
  // A unique constraint's index is part of the table: renamed by a rebuild.
  renameIndex: (op, schema) => !requireTable(schema, op.table, op).indexes.some((i) => i.name === op.from),
  addConstraint: always,
  validateConstraint: never,
  dropConstraint: always,
  renameConstraint: always,
  setTableComment: never,
  createExtension: never,
  dropExtension: never,
  createEnum: never,
  dropEnum: never,
  addEnumValue: never,
  dropEnumValue: never,
  renameEnum: never,
  execute: never,
};

function inPlaceSql(op: Operation, schema: Schema): string[] {
  return dispatch(IN_PLACE, op, schema);
}

/** SQLite cannot rename an index: it is dropped and created again under the new name. */
function renameIndexSql(op: OperationOf<'renameIndex'>, schema: Schema): string[] {
  const index = requireTable(schema, op.table, op).indexes.find((i) => i.name === op.from);
  if (!index) throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: no such index on table "${op.table}"`);
  return [`DROP INDEX ${q(op.from)}`, createIndexSql(op.table, { ...index, name: op.to })];
}

/** A change SQLite makes only by rebuilding the table. */
function onlyByRebuild(op: Operation): never {
  throw new UnsupportedOperationError('sqlite', `${describeOperation(op)} without rebuilding the table`);
}

/** A kind about something SQLite does not have (`comments`, `extensions`, `enum types`). */
const hasNo =
  (what: string) =>
  (op: Operation): never => {
    throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: SQLite has no ${what}`);
  };

/** Each kind's statements without a rebuild, given the schema before them. */
const IN_PLACE: Handlers<string[], [schema: Schema]> = {
  createTable: (op) => [createTableSql(op.table)],
  dropTable: STANDARD_SQL.dropTable,
  renameTable: (op) =>
    // SQLite's names are the same in any case: a name that changes only in case goes through another.
    op.from.toLowerCase() === op.to.toLowerCase()
      ? [`ALTER TABLE ${q(op.from)} RENAME TO ${q(`${op.to}__migrator_case`)}`, `ALTER TABLE ${q(`${op.to}__migrator_case`)} RENAME TO ${q(op.to)}`]
      : STANDARD_SQL.renameTable(op),
  addColumn: (op) => [`ALTER TABLE ${q(op.table)} ADD COLUMN ${columnSql(op.column, false)}`],
  dropColumn: STANDARD_SQL.dropColumn,
  alterColumn: onlyByRebuild,
  renameColumn: STANDARD_SQL.renameColumn,
  alterPrimaryKey: onlyByRebuild,
  createIndex: (op) => {
    checkIndex(op.index.name, op.index);
    return STANDARD_SQL.createIndex(op);
  },
  dropIndex: STANDARD_SQL.dropIndex,
  renameIndex: renameIndexSql,
  addConstraint: onlyByRebuild,
  // Nothing to run: SQLite checks a constraint when it is made (compileSqlite passes over this kind).
  validateConstraint: () => [],
  dropConstraint: onlyByRebuild,
  renameConstraint: onlyByRebuild,
  setTableComment: hasNo('comments'),
  createExtension: hasNo('extensions'),
  dropExtension: hasNo('extensions'),
  createEnum: hasNo('enum types'),
  dropEnum: hasNo('enum types'),
  addEnumValue: hasNo('enum types'),
  dropEnumValue: hasNo('enum types'),
  renameEnum: hasNo('enum types'),
  execute: STANDARD_SQL.execute,
};

/**
 * The definitions (columns and table constraints) of a CREATE TABLE, each as its tokens, from
 * the first parenthesis at or after token `from`; empty when there is no column list.
 */
function definitions(tokens: Token[], from = 0): Token[][] {
  const open = tokens.findIndex((t, i) => i >= from && isPunct(t, '('));
  return open < 0 ? [] : splitTopLevel(tokens, open + 1, closingParen(tokens, open));
}

/** A column definition, not a table constraint (which starts with one of these words). */
const isColumnDefinition = (part: Token[]): boolean => !(part[0].kind === 'word' && ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'].includes(part[0].value.toUpperCase()));

/** Words that end a column's type and start its constraints. */
const COLUMN_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

/**
 * The identifiers of a stored CREATE TABLE or CREATE INDEX that name the statement's table (after
 * TABLE and ON, or a REFERENCES to itself) and those that name one of its columns (a column's
 * name, key lists, expressions, the list after a REFERENCES to itself) — not types, collations,
 * functions, constraint and index names, nor other tables and their columns.
 */
function namedIdentifiers(sql: string): { table: Token[]; columns: Token[] } {
  const tokens = tokenize(sql);
  const table: Token[] = [];
  const columns: Token[] = [];
  /** The column references among tokens[from, to): names, not functions (a name before `(`) nor collations. */
  const expression = (ts: Token[], from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (isName(ts[k]) && !isPunct(ts[k + 1], '(') && !isPunct(ts[k + 1], '.') && !isWord(ts[k - 1], 'COLLATE')) columns.push(ts[k]);
    }
  };
  /** The name at `i`, past a schema (`main."t"`): its index. */
  const qualified = (ts: Token[], i: number): number => (isPunct(ts[i + 1], '.') ? i + 2 : i);
  const kind = tokens.findIndex((t) => isWord(t, 'TABLE') || isWord(t, 'INDEX'));
  if (kind < 0 || !isWord(tokens[0], 'CREATE')) return { table, columns };
  let i = kind + 1;
  if (isWord(tokens[i], 'IF')) i += 3;
  if (isWord(tokens[kind], 'INDEX')) {
    while (i < tokens.length && !isWord(tokens[i], 'ON')) i++;
    i = qualified(tokens, i + 1);
    if (isName(tokens[i])) table.push(tokens[i]);
    expression(tokens, i + 1, tokens.length);
    return { table, columns };
  }
  i = qualified(tokens, i);
  if (!isName(tokens[i])) return { table, columns };
  const own = tokens[i].value.toLowerCase();
  table.push(tokens[i]);
  for (const part of definitions(tokens, i + 1)) {
    let k = 0;
    if (isColumnDefinition(part)) {
      columns.push(part[0]);
      for (k = 1; k < part.length && !(part[k].kind === 'word' && COLUMN_CONSTRAINT.has(part[k].value.toUpperCase())); k++);
    }
    for (; k < part.length; k++) {
      const t = part[k];
      if (isWord(t, 'CONSTRAINT') || isWord(t, 'COLLATE')) {
        k++;
      } else if (isWord(t, 'REFERENCES')) {
        const r = qualified(part, k + 1);
        const self = isName(part[r]) && part[r].value.toLowerCase() === own;
        if (self) table.push(part[r]);
        k = r;
        if (isPunct(part[r + 1], '(')) {
          const end = closingParen(part, r + 1);
          if (self) expression(part, r + 2, end);
          k = end;
        }
      } else if (isPunct(t, '(')) {
        const end = closingParen(part, k);
        expression(part, k + 1, end);
        k = end;
      }
    }
  }
  return { table, columns };
}

/** `sql` with the tokens among `names` that read `from` (case-insensitively, as SQLite reads names) renamed to `to`. */
function renameTokens(sql: string, names: Token[], from: string, to: string): string {
  let out = '';
  let at = 0;
  for (const t of [...names].sort((a, b) => a.start - b.start)) {
    if (t.value.toLowerCase() !== from.toLowerCase()) continue;
    out += sql.slice(at, t.start) + q(to);
    at = t.end;
  }
  return out + sql.slice(at);
}

/** Whether an expression names `column` (as an identifier, quoted or not; case-insensitively, as SQLite reads names). */
function mentionsIdentifier(expression: string, column: string): boolean {
  return tokenize(expression).some((t) => isName(t) && t.value.toLowerCase() === column.toLowerCase());
}

/** Every name in `sql` that reads `from` (case-insensitively, as SQLite does), renamed to `to`. */
function renameIdentifier(sql: string, from: string, to: string): string {
  return renameTokens(sql, tokenize(sql).filter(isName), from, to);
}

/**
 * Keeps a table's recorded source in step with an in-place change, as SQLite rewrites its stored
 * SQL, so that a rebuild later in the same revision starts from the right text. What cannot be
 * followed drops the source, and the rebuild falls back to the model.
 */
function followSource(schema: Schema, op: Operation): void {
  const table = operationTable(op) ? findTable(schema, operationTable(op)!) : undefined;
  const source = sourceOf(table);
  if (!table || !source) return;
  dispatch(FOLLOW_SOURCE, op, table, source);
}

/** Rewrites the table's statements with `f`, and its triggers with `trigger`. */
function patchSource(source: TableSource, f: (sql: string) => string, trigger: (sql: string) => string = f): void {
  source.createSql = f(source.createSql);
  for (const k of Object.keys(source.indexSql)) source.indexSql[k] = f(source.indexSql[k]);
  for (const t of source.triggers) t.sql = trigger(t.sql);
}

function followAddColumn(op: OperationOf<'addColumn'>, table: Table, source: TableSource): void {
  const m = /\)\s*((?:STRICT|WITHOUT\s+ROWID|,|\s)*)$/i.exec(source.createSql);
  if (!m) forgetSource(table);
  else source.createSql = `${source.createSql.slice(0, m.index)}, ${columnSql(op.column, false)})${m[1] ? ` ${m[1].trim()}` : ''}`;
}

function followDropColumn(op: OperationOf<'dropColumn'>, table: Table, source: TableSource): void {
  // The definition goes with the comma before it (after it, for the first): found by its
  // tokens, not its text, which may also end another definition (`"x""a" text` ends in `"a" text`).
  const parts = definitions(tokenize(source.createSql));
  const i = parts.findIndex((part) => isColumnDefinition(part) && part[0].value === op.column);
  if (i < 0 || parts.length < 2) {
    forgetSource(table);
    return;
  }
  const [from, to] = i > 0 ? [parts[i - 1].at(-1)!.end, parts[i].at(-1)!.end] : [parts[0][0].start, parts[1][0].start];
  source.createSql = source.createSql.slice(0, from) + source.createSql.slice(to);
}

function followRenameColumn(op: OperationOf<'renameColumn'>, _table: Table, source: TableSource): void {
  // In the table's own statements, only where they name its column (not a type, another
  // table or that table's columns); triggers, whose SQL is not read here, by every name.
  patchSource(
    source,
    (sql) => renameTokens(sql, namedIdentifiers(sql).columns, op.from, op.to),
    (sql) => renameIdentifier(sql, op.from, op.to),
  );
}

function followRenameTable(op: OperationOf<'renameTable'>, _table: Table, source: TableSource): void {
  patchSource(
    source,
    (sql) => renameTokens(sql, namedIdentifiers(sql).table, op.from, op.to),
    (sql) => renameIdentifier(sql, op.from, op.to),
  );
}

function followCreateIndex(op: OperationOf<'createIndex'>, table: Table, source: TableSource): void {
  checkIndex(op.index.name, op.index);
  source.indexSql[op.index.name] = createIndexSql(table.name, op.index);
}

/** The kind leaves the table's statements as they are (or is never made in place). */
const sourceUnchanged = (): void => undefined;

const FOLLOW_SOURCE: Handlers<void, [table: Table, source: TableSource]> = {
  createTable: sourceUnchanged,
  dropTable: sourceUnchanged,
  renameTable: followRenameTable,
  addColumn: followAddColumn,
  dropColumn: followDropColumn,
  alterColumn: sourceUnchanged,
  renameColumn: followRenameColumn,
  alterPrimaryKey: sourceUnchanged,
  createIndex: followCreateIndex,
  dropIndex: (op, _table, source) => {
    delete source.indexSql[op.name];
  },
  renameIndex: (op, table, source) => {
    delete source.indexSql[op.from];
    const index = table.indexes.find((i) => i.name === op.to);
    if (index) source.indexSql[op.to] = createIndexSql(table.name, index);
  },
  addConstraint: sourceUnchanged,
  validateConstraint: sourceUnchanged,
  dropConstraint: sourceUnchanged,
  renameConstraint: sourceUnchanged,
  setTableComment: sourceUnchanged,
  createExtension: sourceUnchanged,
  dropExtension: sourceUnchanged,
  createEnum: sourceUnchanged,
  dropEnum: sourceUnchanged,
  addEnumValue: sourceUnchanged,
  dropEnumValue: sourceUnchanged,
  renameEnum: sourceUnchanged,
  execute: sourceUnchanged,
};

/**
 * Whether an operation on the table a rebuild is pending for joins that rebuild. Renames and
 * drops end it, as does anything not on a table.
 */
const JOINS_REBUILD: KindTable<boolean> = {
  createTable: true,
  dropTable: false,
  renameTable: false,
  addColumn: true,
  dropColumn: true,
  alterColumn: true,
  renameColumn: false,
  alterPrimaryKey: true,
  createIndex: true,
  dropIndex: true,
  renameIndex: true,
  addConstraint: true,
  validateConstraint: true,
  dropConstraint: true,
  renameConstraint: true,
  setTableComment: true,
  createExtension: false,
  dropExtension: false,
  createEnum: false,
  dropEnum: false,
  addEnumValue: false,
  dropEnumValue: false,
  renameEnum: false,
  execute: false,
};

export function compileSqlite(operations: readonly Operation[], schema: Schema): CompiledOperations {
  const state = cloneSchema(schema);
  const out = new PhaseBuilder();
  const assertions: NonNullable<CompiledOperations['assertions']> = [];
  let pending: { table: string; before: Table; placement: Placement } | undefined;
  let foreignKeysOff = false;

  const flush = (): void => {
    if (!pending) return;
    const after = findTable(state, pending.table)!;
    const rebuild = rebuildSql(pending.before, after);
    // Checked where the rebuild starts, so earlier statements of the revision (an UPDATE that
    // fills NULLs, say) count.
    assertions.push(...rebuild.preconditions.map((p) => ({ at: out.statements.length, ...p })));
    out.add(rebuild.statements, pending.placement);
    recordSource(after, rebuild.source);
    pending = undefined;
    foreignKeysOff = true;
  };

  for (const op of operations) {
    const table = operationTable(op);
    const placement = placementOf(op);
    // Constraints are always checked here (a rebuild copies every row through them): nothing is
    // left to validate.
    if (op.kind === 'validateConstraint') {
      tryApplyOperation(state, op);
      continue;
    }
    const joinsPending = pending && table === pending.table && placement === 'inline' && kindEntry(JOINS_REBUILD, op.kind);
    if (!joinsPending) flush();
    if (op.kind === 'dropConstraint' && table) {
      const t = requireTable(state, table, op);
      if (!findConstraint(t, op.ref)) throw new UnsupportedOperationError('sqlite', `${describeOperation(op)}: no such constraint on table "${table}"`);
    }
    if (!pending && table && needsRebuild(op, state)) {
      pending = { table, before: structuredClone(requireTable(state, table, op)), placement };
    }
    if (pending) {
      applyOperation(state, op);
    } else {
      out.add(inPlaceSql(op, state), placement);
      // In-place statements need no knowledge of the table; when the caller passed no schema
      // (nothing here rebuilds) the shape is unknown, and SQLite itself reports what is missing.
      if (tryApplyOperation(state, op)) followSource(state, op);
    }
  }
  flush();
  const phases = out.result();
  return { statements: out.statements, foreignKeysOff, ...(assertions.length ? { assertions } : {}), ...(phases ? { phases } : {}) };
}

