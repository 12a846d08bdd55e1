/**
 * What a revision's operations would destroy, or fail on, given the rows the database holds. For
 * each operation that loses values (a dropped table or column, a type change that cuts or rounds)
 * or depends on them (NOT NULL, UNIQUE, a foreign key, a CHECK, a cast), a query that counts the
 * rows in question, and the words for a count above zero. Pure: the caller runs the queries.
 *
 * Two kinds, as Atlas names them: destructive findings lose data when the revision runs;
 * data-dependent ones make it fail at migrate (rolled back, nothing lost) unless the rows change
 * first — those are also written above their operation in the revision file.
 */
import { dispatch, type Handlers, type OperationOf } from '../operations/kinds.js';
import { describeOperation, type Constraint, type Operation } from '../operations/operation.js';
import { describeIndexKey, findColumn, findTable, keyColumn, type Column, type IndexKey, type Schema, type Table } from '../schema/schema.js';
import { collapseSpaces } from '../sql/text.js';
import { pgCastless } from '../dialects/postgres/casts.js';

export type FindingKind = 'destructive' | 'data-dependent';

/** Something the user should know before the revision is written. */
export interface Finding {
  /** The operation's position in the list the probes were built from. */
  operation: number;
  /** `unevaluated`: the count could not be taken (the database refused the query, or it was not sent). */
  kind: FindingKind | 'unevaluated';
  /** `drop column posts.body (3 rows hold a value)`. */
  text: string;
  /** A line for the revision file, above the operation (data-dependent and unevaluated findings). */
  comment?: string;
}

/**
 * One count to take: a SELECT returning one row whose column `n` is the count, and, for some, a
 * column `detail` saying what was counted (`view order_totals`).
 */
export interface Probe {
  operation: number;
  kind: FindingKind;
  sql: string;
  /** What the operation does, for messages: `drop column posts.body`. */
  subject: string;
  /** The finding for a count above zero. */
  finding(count: number, detail?: string): Finding;
}

/**
 * How the counts taken before a column's type changes read its values in a dialect's SQL, and
 * what the change does to a text value longer than the new length.
 */
export interface ValueSql {
  /** The value of `expr` as text. */
  text(expr: string): string;
  /** The value of `expr` (a number, or text that reads as one) as an exact number. */
  numeric(expr: string): string;
  /** Whether text `expr` matches `pattern`, a POSIX regular expression as a quoted literal. */
  matches(expr: string, pattern: string): string;
  /** The number `expr` with its fraction cut off. */
  trunc(expr: string): string;
  /**
   * The value `expr` as a column of type `type` (a date, time or floating-point type, as the
   * dialect spells it) would hold it: what a type change makes of each value.
   */
  castTo(expr: string, type: string): string;
  /** The precision (digits of a second) a time type without one has: 6 on PostgreSQL, 0 on MySQL. */
  timePrecision: number;
  /** Whether a bare `float` is single precision (MySQL) rather than double (PostgreSQL), and `real` double. */
  singleFloat: boolean;
  /**
   * A text value longer than a column's new length is cut (PostgreSQL's explicit cast), or the
   * change fails over it (MySQL in strict mode, its default).
   */
  overlongText: 'cut' | 'refused';
  /** Text types that hold at most so many bytes (MySQL's `tinytext` 255, `text` 65,535 …), by name. */
  textBytes?: Readonly<Record<string, number>>;
  /** A value that is no date or time casts to NULL (MySQL's CAST), rather than failing the query. */
  badTimeIsNull?: boolean;
  /** Whether the database has no conversion from one type to the other: the column is then dropped and added again. */
  castless?(from: string, to: string): boolean;
}

export interface ProbeOptions {
  /** The dialect's name: what a type change does to values differs (see TYPE_CHANGES). */
  dialect: string;
  quoteIdentifier(name: string): string;
  quoteLiteral(value: string): string;
  /** The dialect's spelling of a type (`varchar(5)` → `character varying(5)`), for reading types. */
  normalizeType?(type: string): string;
  /** How values are read as text and numbers in counts (absent: PostgreSQL's casts). */
  valueSql?: ValueSql;
  /** A NOT NULL column added without a default fills existing rows with its type's implicit value instead of failing (MySQL). */
  implicitDefaults?: boolean;
}

/** PostgreSQL's casts: `col::text`, `~`, `col::numeric`; an explicit cast to varchar(n) cuts. */
const POSTGRES_VALUES: ValueSql = {
  text: (e) => `${e}::text`,
  numeric: (e) => `${e}::numeric`,
  matches: (e, pattern) => `${e} ~ ${pattern}`,
  trunc: (e) => `trunc(${e})`,
  castTo: (e, type) => `CAST(${e} AS ${type})`,
  timePrecision: 6,
  singleFloat: false,
  overlongText: 'cut',
  castless: pgCastless,
};

/**
 * How a dialect treats values when a column's type changes. PostgreSQL casts each value
 * (`USING col::type`): an explicit cast to varchar(n) cuts longer values, to a smaller scale
 * rounds, and a value that does not cast fails the revision; MySQL's MODIFY COLUMN converts
 * likewise (in a strict sql_mode it refuses a value too long rather than cutting it, see
 * ValueSql.overlongText), and so is any dialect not listed here taken to. SQLite's rebuild copies
 * values into the new column, where a declared length is never enforced and the column's affinity
 * converts a value only when the conversion keeps it (text '12' becomes 12, 'abc' stays text;
 * only the spelling of numeric text may change, '007' being stored as 7): no value is lost or
 * refused, so a type change there is not a finding. (A STRICT table refuses a value of the wrong type: that
 * fails the rebuild at migrate, rolled back, and is not counted here.)
 */
const TYPE_CHANGES: Record<string, 'cast' | 'affinity'> = { postgres: 'cast', sqlite: 'affinity' };

/** `3 rows`, `1 row`. */
export function counted(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** The verb agreeing with a count: `holds` for 1, `hold` otherwise. */
function verb(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** `it is` for one thing, `they are` for several. */
function theyAre(n: number): string {
  return n === 1 ? 'it is' : 'they are';
}

/** A finding's line as printed: `! destructive: drop column posts.body (3 rows hold a value)`. */
export function formatFinding(f: Finding): string {
  return `! ${f.kind === 'unevaluated' ? 'not evaluated' : f.kind}: ${f.text}`;
}

/** What is said when a probe's query failed (an expression the database cannot run yet). */
export function unevaluatedFinding(probe: Probe, reason: string): Finding {
  const why = reason.split('\n')[0].trim();
  return {
    operation: probe.operation,
    kind: 'unevaluated',
    text: `${probe.subject} (could not count the rows it affects: ${why})`,
    comment: `migrator: could not count the rows this affects (${why}); check them before migrating`,
  };
}

type Shape =
  | { family: 'text'; length?: number; bytes?: true }
  | { family: 'integer'; digits: number; min: string; max: string }
  | { family: 'numeric'; precision?: number; scale?: number }
  /** Floating point: single (24 bits of mantissa) or double (53). */
  | { family: 'float'; bits: 24 | 53 }
  /** A date, a time of day, or both, with its precision (digits of a second). */
  | { family: 'datetime'; part: 'date' | 'time' | 'timestamp'; precision: number }
  /** A type that lists its values (MySQL's `enum('a','b')`): the list as SQL, `('a','b')`. */
  | { family: 'enum'; values: string }
  /** MySQL's `set('a','b')`: each member as its SQL literal, `'a'`. */
  | { family: 'set'; members: string[] }
  | { family: 'other' };

const INTEGERS: Record<string, Shape> = {
  tinyint: { family: 'integer', digits: 3, min: '-128', max: '127' },
  'tinyint unsigned': { family: 'integer', digits: 3, min: '0', max: '255' },
  smallint: { family: 'integer', digits: 5, min: '-32768', max: '32767' },
  'smallint unsigned': { family: 'integer', digits: 5, min: '0', max: '65535' },
  mediumint: { family: 'integer', digits: 7, min: '-8388608', max: '8388607' },
  'mediumint unsigned': { family: 'integer', digits: 8, min: '0', max: '16777215' },
  integer: { family: 'integer', digits: 10, min: '-2147483648', max: '2147483647' },
  'integer unsigned': { family: 'integer', digits: 10, min: '0', max: '4294967295' },
  bigint: { family: 'integer', digits: 19, min: '-9223372036854775808', max: '9223372036854775807' },
  'bigint unsigned': { family: 'integer', digits: 20, min: '0', max: '18446744073709551615' },
};
const INTEGER_ALIASES: Record<string, string> = {
  int2: 'smallint', smallint: 'smallint', smallserial: 'smallint', serial2: 'smallint',
  int: 'integer', int4: 'integer', integer: 'integer', serial: 'integer', serial4: 'integer',
  int8: 'bigint', bigint: 'bigint', bigserial: 'bigint', serial8: 'bigint',
  // MySQL's, with a display width (`int(11)`, `tinyint(1)`), UNSIGNED or ZEROFILL.
  tinyint: 'tinyint', int1: 'tinyint', mediumint: 'mediumint', int3: 'mediumint', middleint: 'mediumint',
};
/** An integer type as MySQL writes one: `int(11) unsigned zerofill`. */
const MYSQL_INTEGER = /^([a-z0-9]+)(?:\(\d+\))? ?(unsigned)?(?: ?zerofill)?$/;

function integerShape(t: string): Shape | undefined {
  const m = MYSQL_INTEGER.exec(t);
  const base = m && INTEGER_ALIASES[m[1]];
  return base ? INTEGERS[`${base}${m[2] ? ' unsigned' : ''}`] : undefined;
}

/** What a type says about the values it takes, as far as data loss is concerned. */
function shapeOf(type: string, normalize: (t: string) => string, values: ValueSql): Shape {
  const listed = /^enum\s*(\(.*\))$/is.exec(normalize(type).trim());
  if (listed) return { family: 'enum', values: listed[1] };
  const set = /^set\s*\((.*)\)$/is.exec(normalize(type).trim());
  if (set) return { family: 'set', members: [...set[1].matchAll(/'(?:[^'\\]|''|\\.)*'/g)].map((m) => m[0]) };
  const t = normalize(type).toLowerCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').trim();
  if (/\]$/.test(t) || t.includes('"')) return { family: 'other' };
  const text = /^(character varying|varchar|character|char|bpchar)(?:\((\d+)\))?$/.exec(t);
  if (text) return { family: 'text', length: text[2] ? Number(text[2]) : /^(character|char|bpchar)$/.test(text[1]) ? 1 : undefined };
  const bytes = values.textBytes?.[t];
  if (bytes !== undefined) return { family: 'text', length: bytes, bytes: true };
  if (t === 'text' || t === 'citext') return { family: 'text' };
  const integer = integerShape(t);
  if (integer) return integer;
  const num = /^(numeric|decimal)(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
  if (num) return { family: 'numeric', precision: num[2] ? Number(num[2]) : undefined, scale: num[2] ? Number(num[3] ?? 0) : undefined };
  const float = /^(?:(real|float4)|(float8|double precision|double)|float(?:\((\d+)\))?)$/.exec(t);
  if (float) {
    const single = float[1] ? !values.singleFloat || float[1] === 'float4' : float[2] ? false : float[3] ? Number(float[3]) <= 24 : values.singleFloat;
    return { family: 'float', bits: single ? 24 : 53 };
  }
  const time = /^(date|time|timetz|timestamp|timestamptz|datetime)(?:\((\d)\))?(?: ?with(?:out)? time zone)?$/.exec(t);
  if (time) {
    const part = time[1] === 'date' ? 'date' : time[1].startsWith('timestamp') || time[1] === 'datetime' ? 'timestamp' : 'time';
    return { family: 'datetime', part, precision: part === 'date' ? 0 : time[2] !== undefined ? Number(time[2]) : values.timePrecision };
  }
  return { family: 'other' };
}

// POSIX patterns (no backslashes, whatever standard_conforming_strings says) for text that
// PostgreSQL's integer and numeric input functions accept.
const INTEGER_TEXT = '^[[:space:]]*[+-]?[0-9]+[[:space:]]*$';
const NUMERIC_TEXT = '^[[:space:]]*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[[:space:]]*$';

/** A type as the casts in counts take it: words, and a precision and scale (`timestamp(3) with time zone`). */
const PLAIN_TYPE = /^[a-z][a-z0-9_ ]*(?:\(\s*\d+\s*(?:,\s*\d+\s*)?\))?[a-z ]*$/i;

/** Where a name the operations use stands in the database: a table or column there, or one not there yet. */
type Origin = { db: string } | 'new' | 'gone';

/**
 * What probing an operation needs to know: the database, and what earlier operations of the
 * revision did to names. Counts run before the revision, so they name tables and columns as the
 * database has them (before a rename), and skip what holds no rows yet (a new table or column).
 */
class Context {
  private readonly tables = new Map<string, Origin>();
  private readonly columns = new Map<string, Map<string, Origin>>();

  /** The enum types' values as they stand at the operation probed (the revision's own included). */
  readonly enums: Map<string, string[]>;

  constructor(
    readonly database: Schema,
    readonly options: ProbeOptions,
  ) {
    this.enums = new Map((database.enums ?? []).map((e) => [e.name, [...e.values]]));
  }

  /** The database table a name stands for, if the table holds rows to judge. */
  table(name: string): Table | undefined {
    const origin = this.tables.get(name) ?? (findTable(this.database, name) ? { db: name } : undefined);
    return origin && typeof origin === 'object' ? findTable(this.database, origin.db) : undefined;
  }

  /** The database column a name of `table` stands for, if it holds values to judge. */
  column(table: Table, name: string): Column | undefined {
    const origin = this.columns.get(table.name)?.get(name) ?? (findColumn(table, name) ? { db: name } : undefined);
    return origin && typeof origin === 'object' ? findColumn(table, origin.db) : undefined;
  }

  /** Follows an operation's effect on names. */
  follow(op: Operation): void {
    dispatch(FOLLOW_NAMES, op, this);
    if (op.kind === 'createEnum') this.enums.set(op.enum.name, [...op.enum.values]);
    else if (op.kind === 'dropEnum') this.enums.delete(op.name);
    else if (op.kind === 'addEnumValue') this.enums.get(op.name)?.push(op.value);
    else if (op.kind === 'dropEnumValue') this.enums.set(op.name, (this.enums.get(op.name) ?? []).filter((v) => v !== op.value));
    else if (op.kind === 'renameEnum') {
      this.enums.set(op.to, this.enums.get(op.from) ?? []);
      this.enums.delete(op.from);
    }
  }

  /** Says what a table name stands for from here on. */
  nameTable(name: string, origin: Origin): void {
    this.tables.set(name, origin);
  }

  /** Says what a column name of `table` stands for from here on (for a table that holds rows). */
  nameColumn(table: string, name: string, origin: Origin): void {
    const t = this.table(table);
    if (!t) return;
    if (!this.columns.has(t.name)) this.columns.set(t.name, new Map());
    this.columns.get(t.name)!.set(name, origin);
  }
}

function followRenameTable(op: OperationOf<'renameTable'>, ctx: Context): void {
  const t = ctx.table(op.from);
  ctx.nameTable(op.to, t ? { db: t.name } : 'new');
  ctx.nameTable(op.from, 'gone');
}

function followRenameColumn(op: OperationOf<'renameColumn'>, ctx: Context): void {
  const t = ctx.table(op.table);
  const c = t && ctx.column(t, op.from);
  ctx.nameColumn(op.table, op.to, c ? { db: c.name } : 'new');
  ctx.nameColumn(op.table, op.from, 'gone');
}

/** The kind changes no table's or column's name. */
const namesUnchanged = (): void => undefined;

/** What each kind does to the names later operations use. */
const FOLLOW_NAMES: Handlers<void, [ctx: Context]> = {
  createTable: (op, ctx) => ctx.nameTable(op.table.name, 'new'),
  dropTable: (op, ctx) => ctx.nameTable(op.table, 'gone'),
  renameTable: followRenameTable,
  addColumn: (op, ctx) => ctx.nameColumn(op.table, op.column.name, 'new'),
  dropColumn: (op, ctx) => ctx.nameColumn(op.table, op.column, 'gone'),
  alterColumn: namesUnchanged,
  renameColumn: followRenameColumn,
  alterPrimaryKey: namesUnchanged,
  createIndex: namesUnchanged,
  dropIndex: namesUnchanged,
  renameIndex: namesUnchanged,
  addConstraint: namesUnchanged,
  validateConstraint: namesUnchanged,
  dropConstraint: namesUnchanged,
  renameConstraint: namesUnchanged,
  setTableComment: namesUnchanged,
  createExtension: namesUnchanged,
  dropExtension: namesUnchanged,
  createEnum: namesUnchanged,
  dropEnum: namesUnchanged,
  addEnumValue: namesUnchanged,
  dropEnumValue: namesUnchanged,
  renameEnum: namesUnchanged,
  execute: namesUnchanged,
};

/** The probes for a revision's operations against the database's schema, in operation order. */
export function dataLossProbes(ops: readonly Operation[], database: Schema, options: ProbeOptions): Probe[] {
  const ctx = new Context(database, options);
  return ops.flatMap((op, index) => {
    const probes = probeOperation(op, index, ctx);
    ctx.follow(op);
    return probes;
  });
}

type Add = (kind: FindingKind, about: string, sql: string, words: (n: number, detail?: string) => { text: string; comment?: string }) => void;

/** A probe builder bound to one operation: `add(kind, about, sql, words)`. */
function collector(index: number, out: Probe[]): Add {
  return (kind, about, sql, words) => {
    out.push({
      operation: index,
      kind,
      sql,
      subject: about,
      finding: (n, detail) => {
        const w = words(n, detail);
        return { operation: index, kind, text: `${about} (${w.text})`, ...(w.comment ? { comment: w.comment } : {}) };
      },
    });
  };
}

/** What probing one operation knows: the context, where probes go, and what the operation does. */
interface Probing {
  ctx: Context;
  add: Add;
  /** What the operation does, for messages: `drop column posts.body`. */
  subject: string;
}

/** Probing an operation on a table that holds rows: the table, by the operation's name and the database's. */
interface TableProbing extends Probing {
  /** The table's name in the operation. */
  name: string;
  table: Table;
  /** The table's name in the database, quoted. */
  t: string;
  /** The database column a name of the table stands for, if it holds values to judge. */
  column(name: string): Column | undefined;
}

/**
 * The probes of one operation. Messages use the operation's names; queries the database's. A
 * CHECK or index expression is the model's text, over the model's names: after a rename in the
 * same revision its count may fail, and is then reported as not evaluated.
 */
function probeOperation(op: Operation, index: number, ctx: Context): Probe[] {
  const out: Probe[] = [];
  dispatch(PROBES, op, { ctx, add: collector(index, out), subject: describeOperation(op) });
  return out;
}

/** `probe`, for an operation on a table that holds rows; nothing for a new or dropped table. */
function onTableWithRows<O extends { table: string }>(probe: (op: O, at: TableProbing) => void): (op: O, p: Probing) => void {
  return (op, p) => {
    const table = p.ctx.table(op.table);
    if (!table) return;
    const column = (c: string): Column | undefined => p.ctx.column(table, c);
    probe(op, { ...p, name: op.table, table, t: p.ctx.options.quoteIdentifier(table.name), column });
  };
}

function dropTableProbes(_op: OperationOf<'dropTable'>, at: TableProbing): void {
  at.add('destructive', at.subject, `SELECT count(*) AS n FROM ${at.t}`, (n) => ({ text: `it holds ${counted(n, 'row')}` }));
  dependentObjects(at, at.subject, at.table.name, undefined);
}

function dropColumnProbes(op: OperationOf<'dropColumn'>, at: TableProbing): void {
  const q = at.ctx.options.quoteIdentifier;
  const c = at.column(op.column);
  if (c) at.add('destructive', at.subject, `SELECT count(${q(c.name)}) AS n FROM ${at.t}`, (n) => ({ text: `${counted(n, 'row')} ${verb(n, 'holds', 'hold')} a value` }));
  if (c) dependentObjects(at, at.subject, at.table.name, c.name);
}

/**
 * PostgreSQL: the views (plain and materialized) and triggers that depend on a table's column, or
 * on the table, which make dropping it or changing its type fail at migrate ("cannot alter type of
 * a column used by a view or rule"): a revision's own SQL made them, and no model states them, so
 * the revision cannot make them again. A trigger of a table that is dropped goes with it.
 */
function dependentObjects({ ctx, add }: Probing, subject: string, table: string, column: string | undefined): void {
  if (ctx.options.dialect !== 'postgres') return;
  const lit = ctx.options.quoteLiteral;
  const rel = `to_regclass(${lit(ctx.options.quoteIdentifier(table))})`;
  const at = column === undefined ? 'true' : `d.refobjsubid = (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = ${rel} AND a.attname = ${lit(column)})`;
  const sql =
    `SELECT count(*) AS n, string_agg(what, ', ' ORDER BY what) AS detail FROM (SELECT DISTINCT CASE WHEN d.classid = 'pg_rewrite'::regclass ` +
    `THEN (SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || c.relname FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE r.oid = d.objid AND r.ev_class <> ${rel}) ` +
    `ELSE (SELECT 'trigger ' || t.tgname || ' on ' || c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.oid = d.objid AND (${column === undefined ? `t.tgrelid <> ${rel}` : 'true'})) END AS what ` +
    `FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = ${rel} AND d.classid IN ('pg_rewrite'::regclass, 'pg_trigger'::regclass) AND ${at}) x WHERE what IS NOT NULL`;
  add('data-dependent', subject, sql, (n, detail) => {
    const them = n === 1 ? 'it' : 'them';
    const what = detail || counted(n, 'view or trigger', 'views or triggers');
    return {
      text: `${what} ${verb(n, 'depends', 'depend')} on ${column === undefined ? 'the table' : `column ${column}`}, which PostgreSQL refuses to change under ${them}`,
      comment: `migrator: ${what} ${verb(n, 'depends', 'depend')} on ${column === undefined ? table : `${table}.${column}`}; this fails at migrate unless ${theyAre(n)} dropped before (op.execute) and made again after`,
    };
  });
}

function addColumnProbes(op: OperationOf<'addColumn'>, at: TableProbing): void {
  const { name } = at;
  const c = op.column;
  if (c.nullable || c.default !== undefined || c.autoincrement || c.identity) return;
  // MySQL does not fail: each row gets the type's implicit value, which no one chose.
  const outcome = at.ctx.options.implicitDefaults
    ? `each of them gets the type's implicit value ('' or 0) at migrate unless the column gets a default or a backfill`
    : 'this fails at migrate unless it gets a default or the rows are removed first';
  at.add('data-dependent', `add column ${name}.${c.name} NOT NULL`, `SELECT count(*) AS n FROM ${at.t}`, (n) => ({
    text: `${name} has ${counted(n, 'row')} and the column has no default`,
    comment: `migrator: ${name} has ${counted(n, 'row')} and ${c.name} is NOT NULL without a default; ${outcome}`,
  }));
}

function alterColumnProbes(op: OperationOf<'alterColumn'>, at: TableProbing): void {
  const { ctx, name } = at;
  const q = ctx.options.quoteIdentifier;
  const c = at.column(op.column);
  if (!c) return;
  const ch = op.changes;
  if (ch.type !== undefined) dependentObjects(at, `alter column ${name}.${op.column} to ${ch.type}`, at.table.name, c.name);
  // The runner fills NULLs with the column's default before SET NOT NULL (PostgreSQL's
  // UPDATE, SQLite's coalesce in the copy): only a column left without one fails.
  const fill = ch.default !== undefined ? ch.default : c.default;
  if (ch.nullable === false && c.nullable && (fill === null || fill === undefined)) {
    at.add('data-dependent', `alter column ${name}.${op.column} to NOT NULL`, `SELECT count(*) AS n FROM ${at.t} WHERE ${q(c.name)} IS NULL`, (n) => ({
      text: `${counted(n, 'row')} ${verb(n, 'holds', 'hold')} NULL`,
      comment: `migrator: ${counted(n, 'row')} of ${name} ${verb(n, 'holds', 'hold')} NULL in ${op.column}; this fails at migrate unless ${theyAre(n)} filled first`,
    }));
  }
  // A column moved to another enum type (a type renamed, say) holds only the values it lists.
  const target = ch.type !== undefined && ctx.options.dialect === 'postgres' ? enumTypeOf(ch.type) : undefined;
  const values = target && ctx.enums.get(target.name);
  if (ch.type !== undefined && target && values && enumTypeOf(c.type)?.name !== target.name) {
    const list = values.map(ctx.options.quoteLiteral).join(', ');
    const outside = target.array ? `EXISTS (SELECT 1 FROM unnest(${q(c.name)}) AS v WHERE v::text NOT IN (${list}))` : `${q(c.name)}::text NOT IN (${list})`;
    at.add('data-dependent', `alter column ${name}.${op.column} to ${ch.type}`, `SELECT count(*) AS n FROM ${at.t} WHERE ${q(c.name)} IS NOT NULL AND ${outside}`, (n) => ({
      text: `${counted(n, 'row')} ${verb(n, 'holds', 'hold')} a value ${target.name} does not have`,
      comment: `migrator: ${counted(n, 'row')} of ${name} ${verb(n, 'holds', 'hold')} in ${op.column} a value ${target.name} does not have; this fails at migrate unless ${theyAre(n)} changed first`,
    }));
  }
  // A list made a single value keeps its first element (PostgreSQL's USING c[1]).
  if (ch.type !== undefined && ctx.options.dialect === 'postgres' && /\]\s*$/.test(c.type) && !/\]\s*$/.test(ch.type)) {
    at.add('destructive', `alter column ${name}.${op.column} to ${ch.type}`, `SELECT count(*) AS n FROM ${at.t} WHERE cardinality(${q(c.name)}) > 1`, (n) => ({
      text: `${counted(n, 'value')} ${verb(n, 'holds', 'hold')} more than one element, all but the first of which would be lost`,
    }));
  }
  // A plain column made generated: what its rows hold gives way to what the expression computes.
  if (typeof ch.generated === 'string' && c.generated === undefined) {
    const type = ch.type ?? c.type;
    const mysql = ctx.options.dialect === 'mysql';
    const castTo = ctx.options.valueSql?.castTo;
    const computed = mysql && castTo ? castTo(`(${ch.generated})`, type) : PLAIN_TYPE.test(type) ? `CAST((${ch.generated}) AS ${type})` : `(${ch.generated})`;
    const differs = mysql ? `NOT (${q(c.name)} <=> ${computed})` : `${q(c.name)} IS DISTINCT FROM ${computed}`;
    at.add('destructive', `alter column ${name}.${op.column} to GENERATED ALWAYS AS (${ch.generated})`, `SELECT count(*) AS n FROM ${at.t} WHERE ${differs}`, (n) => ({
      text: `${counted(n, 'row')} ${verb(n, 'holds', 'hold')} a value other than the expression gives, which would be replaced`,
    }));
  }
  if (ch.type !== undefined && (TYPE_CHANGES[ctx.options.dialect] ?? 'cast') === 'cast') {
    const normalize = ctx.options.normalizeType ?? ((x: string) => x);
    const about = `alter column ${name}.${op.column} to ${ch.type}`;
    const values = ctx.options.valueSql ?? POSTGRES_VALUES;
    const [from, to] = [normalize(c.type), normalize(ch.type)];
    if (values.castless?.(from, to)) {
      // No conversion: the column is dropped and added again (see the compiler), every value lost.
      at.add('destructive', about, `SELECT count(*) AS n FROM ${at.t} WHERE ${q(c.name)} IS NOT NULL`, (n) => ({
        text: `${counted(n, 'value')} would be lost: the database has no conversion from ${from} to ${to}, so the column is dropped and added again`,
      }));
      // Added again NOT NULL with nothing to fill it: every row fails it.
      const fill = ch.default !== undefined ? ch.default : c.default;
      const generated = typeof ch.generated === 'string' || (ch.generated === undefined && c.generated !== undefined);
      if (!(ch.nullable ?? c.nullable) && (fill === null || fill === undefined) && !generated) {
        at.add('data-dependent', `${about}, added again NOT NULL`, `SELECT count(*) AS n FROM ${at.t}`, (n) => ({
          text: `${name} has ${counted(n, 'row')} and the column has no default`,
          comment: `migrator: ${op.column} is dropped and added again NOT NULL without a default over ${counted(n, 'row')} of ${name}; this fails at migrate unless it gets a default, is made nullable, or the rows are removed first`,
        }));
      }
      return;
    }
    const probes = castProbes({ table: at.table.name, column: c.name, label: `${name}.${op.column}` }, ch.type, shapeOf(c.type, normalize, values), shapeOf(ch.type, normalize, values), ctx.options);
    for (const p of probes) at.add(p.kind, about, p.sql, p.words);
  }
}

function addConstraintProbes(op: OperationOf<'addConstraint'>, at: TableProbing): void {
  const k = op.constraint;
  if (k.type === 'unique') duplicates(at, k.columns, undefined, at.subject);
  else if (k.type === 'check') {
    const { name } = at;
    at.add('data-dependent', at.subject, `SELECT count(*) AS n FROM ${at.t} WHERE NOT (${k.expression})`, (n) => ({
      text: `${counted(n, 'row')} of ${name} ${verb(n, 'breaks', 'break')} it`,
      comment: `migrator: ${counted(n, 'row')} of ${name} ${verb(n, 'breaks', 'break')} the check (${collapseSpaces(k.expression)}); this fails at migrate unless ${theyAre(n)} changed first`,
    }));
  } else foreignKeyProbes(k, at);
}

/** Rows whose key points to no row of the parent table. */
function foreignKeyProbes(k: Extract<Constraint, { type: 'foreignKey' }>, at: TableProbing): void {
  const { ctx, name, table } = at;
  const q = ctx.options.quoteIdentifier;
  // New columns hold no value to point anywhere yet.
  const cols = k.columns.map(at.column);
  if (!cols.every((c): c is Column => c !== undefined)) return;
  const parent = ctx.table(k.referencedTable);
  const refs = parent ? k.referencedColumns.map((c) => ctx.column(parent, c)) : [];
  const known = parent !== undefined && refs.every((c): c is Column => c !== undefined);
  // Parent columns this revision adds hold nothing to compare with yet: not judged.
  if (parent && !known) return;
  // A key the table has already (put back around a type change) holds already.
  if (known && table.foreignKeys.some((f) => f.referencedTable === parent.name && sameList(f.columns, cols.map((c) => c.name)) && sameList(f.referencedColumns, refs.map((c) => c!.name)))) return;
  const set = cols.map((c) => `c.${q(c.name)} IS NOT NULL`).join(' AND ');
  // A parent the revision creates has no rows: every row with a key is an orphan.
  const orphan = known ? `${set} AND NOT EXISTS (SELECT 1 FROM ${q(parent.name)} p WHERE ${cols.map((c, i) => `p.${q(refs[i]!.name)} = c.${q(c.name)}`).join(' AND ')})` : set;
  at.add('data-dependent', at.subject, `SELECT count(*) AS n FROM ${at.t} c WHERE ${orphan}`, (n) => ({
    text: `${counted(n, 'row')} of ${name} ${verb(n, 'points', 'point')} to no row of ${k.referencedTable}`,
    comment: `migrator: ${counted(n, 'row')} of ${name} ${verb(n, 'points', 'point')} to no row of ${k.referencedTable} through (${k.columns.join(', ')}); this fails at migrate unless ${theyAre(n)} fixed first`,
  }));
}

/** Duplicate groups over `keys`: the rows a new unique index, constraint or primary key refuses. */
function duplicates(at: TableProbing, keys: readonly IndexKey[], where: string | undefined, about: string): void {
  const { name, table } = at;
  const q = at.ctx.options.quoteIdentifier;
  // Columns this revision adds start out NULL (never duplicates) or all with one default,
  // which is not counted here.
  const cols = keys.map((k) => (keyColumn(k) !== undefined ? at.column(keyColumn(k)!) : null));
  if (cols.some((c) => c === undefined)) return;
  if (cols.every((c) => c !== null)) {
    const names = cols.map((c) => c!.name);
    const held = [...(table.primaryKey ? [table.primaryKey.columns] : []), ...table.uniques.map((u) => u.columns), ...table.indexes.filter((i) => i.unique && !i.where && !i.invalid).map((i) => i.columns)];
    if (held.some((h) => sameList(h as string[], names))) return;
  }
  const exprs = keys.map((k, i) => (cols[i] ? q(cols[i]!.name) : `(${(k as { expression: string }).expression})`));
  const filters = [...exprs.map((e) => `${e} IS NOT NULL`), ...(where ? [`(${where})`] : [])];
  const label = `(${keys.map(describeIndexKey).join(', ')})`;
  at.add('data-dependent', about, `SELECT count(*) AS n FROM (SELECT 1 AS d FROM ${at.t} WHERE ${filters.join(' AND ')} GROUP BY ${exprs.join(', ')} HAVING count(*) > 1) dup`, (n) => ({
    text: `${counted(n, 'value')} of ${label} ${verb(n, 'occurs', 'occur')} more than once`,
    comment: `migrator: ${counted(n, 'value')} of ${label} in ${name} ${verb(n, 'occurs', 'occur')} more than once; this fails at migrate unless the duplicates are removed first`,
  }));
}

/** Rows that hold the value to drop, in the columns of the enum's type. */
function dropEnumValueProbes(op: OperationOf<'dropEnumValue'>, { ctx, add, subject }: Probing): void {
  const q = ctx.options.quoteIdentifier;
  const value = ctx.options.quoteLiteral(op.value);
  for (const { table, column, array } of enumColumns(ctx.database, op.name)) {
    // The type is made again without the value, and each column of it moved to that one.
    dependentObjects({ ctx, add, subject }, subject, table.name, column.name);
    const c = q(column.name);
    add('data-dependent', subject, `SELECT count(*) AS n FROM ${q(table.name)} WHERE ${array ? `${value} = ANY(${c}::text[])` : `${c}::text = ${value}`}`, (n) => ({
      text: `${counted(n, 'row')} of ${table.name} ${verb(n, 'holds', 'hold')} it in ${column.name}`,
      comment: `migrator: ${counted(n, 'row')} of ${table.name} ${verb(n, 'holds', 'hold')} '${op.value}' in ${column.name}; this fails at migrate unless ${n === 1 ? 'it changes' : 'they change'} first`,
    }));
  }
}

/** The kind loses no value and depends on none. */
const noProbes = (): void => undefined;

const PROBES: Handlers<void, [p: Probing]> = {
  createTable: noProbes,
  dropTable: onTableWithRows(dropTableProbes),
  renameTable: noProbes,
  addColumn: onTableWithRows(addColumnProbes),
  dropColumn: onTableWithRows(dropColumnProbes),
  alterColumn: onTableWithRows(alterColumnProbes),
  renameColumn: noProbes,
  alterPrimaryKey: onTableWithRows((op, at) => {
    if (op.primaryKey) duplicates(at, op.primaryKey.columns, undefined, `set the primary key of ${at.name} to (${op.primaryKey.columns.join(', ')})`);
  }),
  createIndex: onTableWithRows((op, at) => {
    if (op.index.unique) duplicates(at, op.index.columns, op.index.where, `create unique index ${op.index.name} on ${at.name}`);
  }),
  dropIndex: noProbes,
  renameIndex: noProbes,
  addConstraint: onTableWithRows(addConstraintProbes),
  validateConstraint: noProbes,
  dropConstraint: noProbes,
  renameConstraint: noProbes,
  setTableComment: noProbes,
  createExtension: noProbes,
  dropExtension: noProbes,
  createEnum: noProbes,
  dropEnum: noProbes,
  addEnumValue: noProbes,
  dropEnumValue: dropEnumValueProbes,
  renameEnum: noProbes,
  execute: noProbes,
};

interface CastProbe {
  kind: FindingKind;
  sql: string;
  words: (n: number) => { text: string; comment?: string };
}

/**
 * Counts for a cast between types (PostgreSQL, MySQL): values cut, rounded, out of range, not
 * castable, or not among the values an enum column type lists.
 */
function castProbes(at: { table: string; column: string; label: string }, toType: string, from: Shape, to: Shape, options: ProbeOptions): CastProbe[] {
  const q = options.quoteIdentifier;
  const v = options.valueSql ?? POSTGRES_VALUES;
  const c = q(at.column);
  const asText = v.text(c);
  const count = (where: string): string => `SELECT count(*) AS n FROM ${q(at.table)} WHERE ${c} IS NOT NULL AND ${where}`;
  const lost = (phrase: (n: number) => string): CastProbe['words'] => (n) => ({ text: `${counted(n, 'value')} ${phrase(n)}` });
  const fails = (phrase: (n: number) => string): CastProbe['words'] => (n) => ({
    text: `${counted(n, 'value')} ${phrase(n)}`,
    comment: `migrator: ${counted(n, 'value')} of ${at.label} ${phrase(n)}; this fails at migrate unless ${theyAre(n)} changed first`,
  });
  const notCastable = fails((n) => `${verb(n, 'does', 'do')} not cast to ${toType}`);
  const notFitting = fails((n) => `${verb(n, 'does', 'do')} not fit ${toType}`);
  const out: CastProbe[] = [];
  if (to.family === 'enum') {
    // Values the new list does not have (the list as the dialect spells it, quotes and all).
    if (from.family !== 'enum' || from.values !== to.values) {
      out.push({ kind: 'data-dependent', sql: count(`${c} NOT IN ${to.values}`), words: fails((n) => `${verb(n, 'is', 'are')} not among the values of ${toType}`) });
    }
  } else if (to.family === 'set' && from.family === 'set') {
    // Members the new list lacks, held by rows: MySQL refuses the change (or, not strict, drops them).
    const gone = from.members.filter((m) => !to.members.includes(m));
    if (gone.length) {
      out.push({ kind: 'data-dependent', sql: count(`(${gone.map((m) => `FIND_IN_SET(${m}, ${c}) > 0`).join(' OR ')})`), words: fails((n) => `${verb(n, 'holds', 'hold')} a member ${toType} does not have`) });
    }
  } else if (to.family === 'text' && to.length !== undefined) {
    if (from.family === 'text' && from.length !== undefined && (from.bytes === to.bytes || (to.bytes && from.length * 4 <= to.length)) && from.length <= to.length) return out;
    // A limit in bytes (MySQL's text types) counts each character's bytes.
    const longer = count(`${to.bytes ? 'octet_length' : 'char_length'}(${asText}) > ${to.length}`);
    const limit = counted(to.length!, to.bytes ? 'byte' : 'character');
    if (v.overlongText === 'refused') out.push({ kind: 'data-dependent', sql: longer, words: fails((n) => `${verb(n, 'is', 'are')} longer than ${limit}, which ${toType} refuses`) });
    else out.push({ kind: 'destructive', sql: longer, words: lost((n) => `${verb(n, 'is', 'are')} longer than ${limit} and would be cut`) });
  } else if (to.family === 'integer') {
    const outside = `NOT BETWEEN ${to.min} AND ${to.max}`;
    if (from.family === 'text') {
      // CASE keeps the numeric cast away from text that is not a number.
      out.push({ kind: 'data-dependent', sql: count(`CASE WHEN ${v.matches(asText, options.quoteLiteral(INTEGER_TEXT))} THEN ${v.numeric(asText)} ${outside} ELSE true END`), words: notCastable });
    } else if (from.family === 'numeric' || from.family === 'float') {
      if (from.family === 'float' || from.scale === undefined || from.scale > 0) {
        out.push({ kind: 'destructive', sql: count(`${c} <> ${v.trunc(c)}`), words: lost((n) => `${verb(n, 'has', 'have')} a fraction and would be rounded`) });
      }
      if (from.family === 'float' || from.precision === undefined || from.precision - (from.scale ?? 0) >= to.digits) {
        out.push({ kind: 'data-dependent', sql: count(`round(${v.numeric(c)}) ${outside}`), words: notFitting });
      }
    } else if (from.family === 'integer' && (BigInt(from.min) < BigInt(to.min) || BigInt(from.max) > BigInt(to.max))) {
      out.push({ kind: 'data-dependent', sql: count(`${c} ${outside}`), words: notFitting });
    }
  } else if (to.family === 'numeric') {
    const scale = to.scale ?? 0;
    const limit = to.precision !== undefined ? `1${'0'.repeat(to.precision - scale)}` : undefined;
    if (from.family === 'text') {
      const tooLarge = limit ? `abs(round(${v.numeric(asText)}, ${scale})) >= ${limit}` : 'false';
      out.push({ kind: 'data-dependent', sql: count(`CASE WHEN ${v.matches(asText, options.quoteLiteral(NUMERIC_TEXT))} THEN ${tooLarge} ELSE true END`), words: notCastable });
    } else if (limit !== undefined && from.family !== 'other') {
      const fromScale = from.family === 'integer' ? 0 : from.family === 'numeric' ? from.scale : undefined;
      if (fromScale === undefined || fromScale > scale) {
        out.push({
          kind: 'destructive',
          sql: count(`${v.numeric(c)} <> round(${v.numeric(c)}, ${scale})`),
          words: lost((n) => `${verb(n, 'has', 'have')} more than ${counted(scale, 'decimal place')} and would be rounded`),
        });
      }
      const fromDigits = from.family === 'integer' ? from.digits : from.family === 'numeric' && from.precision !== undefined ? from.precision - (from.scale ?? 0) : undefined;
      if (fromDigits === undefined || fromDigits > to.precision! - scale) {
        out.push({ kind: 'data-dependent', sql: count(`abs(round(${v.numeric(c)}, ${scale})) >= ${limit}`), words: notFitting });
      }
    }
  } else if (!PLAIN_TYPE.test(toType)) {
    // Not a type name as written by hand or by a model source: nothing is put into a count.
  } else if (to.family === 'float') {
    // Digits a float keeps: 6 single, 15 double (what its text shows of a value).
    const kept = to.bits === 24 ? 6 : 15;
    const lossy = from.family === 'numeric' || (from.family === 'float' && from.bits > to.bits) || (from.family === 'integer' && from.digits > kept);
    if (lossy) {
      // Compared as the values read: the number the new type's text shows against the old one's.
      out.push({
        kind: 'destructive',
        sql: count(`${v.numeric(v.text(v.castTo(c, toType)))} <> ${v.numeric(v.text(c))}`),
        words: lost((n) => `${verb(n, 'has', 'have')} more digits than ${toType} keeps and would be rounded`),
      });
    }
  } else if (to.family === 'datetime' && from.family !== 'datetime' && from.family !== 'other' && v.badTimeIsNull) {
    // A number or text that makes no date or time: MySQL's CAST gives NULL, its MODIFY refuses it.
    out.push({ kind: 'data-dependent', sql: count(`${v.castTo(c, toType)} IS NULL`), words: notCastable });
  } else if (to.family === 'datetime' && from.family === 'datetime') {
    const changed = count(`${c} <> ${v.castTo(c, toType)}`);
    if (to.part === 'date' && from.part === 'timestamp') {
      out.push({ kind: 'destructive', sql: changed, words: lost((n) => `${verb(n, 'has', 'have')} a time of day, which would be lost`) });
    } else if (to.part === 'time' && from.part === 'timestamp') {
      out.push({ kind: 'destructive', sql: count('true'), words: lost((n) => `${verb(n, 'has', 'have')} a date, which would be lost`) });
    } else if (to.part === from.part && to.precision < from.precision) {
      const digits = to.precision === 0 ? 'a fraction of a second' : `more than ${counted(to.precision, 'digit')} of a second`;
      out.push({ kind: 'destructive', sql: changed, words: lost((n) => `${verb(n, 'has', 'have')} ${digits}, which would be rounded`) });
    }
  }
  return out;
}

/** The enum a type names (`"Status"`, `doc_status[]`), without quotes, schema or brackets. */
function enumTypeOf(type: string): { name: string; array: boolean } {
  const m = /^(.*?)((?:\s*\[\s*\d*\s*\])*)$/s.exec(type.trim())!;
  const base = m[1].replace(/^.*\.(?=[^.]+$)/, '');
  return { name: base.startsWith('"') && base.endsWith('"') ? base.slice(1, -1).replace(/""/g, '"') : base, array: m[2] !== '' };
}

/** Columns of the database whose type is the enum `name` (plain, or an array of it). */
function enumColumns(database: Schema, name: string): { table: Table; column: Column; array: boolean }[] {
  const out: { table: Table; column: Column; array: boolean }[] = [];
  for (const table of database.tables) {
    for (const column of table.columns) {
      const m = /^(.*?)((?:\s*\[\s*\d*\s*\])*)$/s.exec(column.type.trim())!;
      const base = m[1].replace(/^.*\.(?=[^.]+$)/, '');
      if (base === name || base === `"${name.replace(/"/g, '""')}"`) out.push({ table, column, array: m[2] !== '' });
    }
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
