/**
 * `@default(…)` as Prisma Migrate writes it: literals checked against the field's type as Prisma
 * checks them, lists as `ARRAY[…]::type[]`, `now()` → CURRENT_TIMESTAMP (MySQL: with the column's
 * precision), `autoincrement()` → serial / AUTOINCREMENT / AUTO_INCREMENT, `dbgenerated("…")`
 * verbatim; the generators Prisma Client runs (`uuid()`, `cuid()`, `nanoid()`, `ulid()`) put
 * nothing in the database, nor do Json and Bytes literals on MySQL.
 */
import type { Attribute, Enum, Func, Value } from '@mrleebo/prisma-ast';
import type { Column } from '../../schema/schema.js';
import { isFunc, readArgs, show, stringLiteral } from './args.js';
import { fail, lineOf, type Where } from './errors.js';
import type { PrismaProvider } from './providers/index.js';
import { isIntegerType } from './types.js';

export interface DefaultContext {
  file: string;
  /** `Model.field`, for messages. */
  field: string;
  /** The Prisma scalar (`String` …), `Enum` or `Unsupported`. */
  scalar: string;
  list: boolean;
  /** The enum of an enum field, and its database values by Prisma name. */
  enumNode?: Enum;
  enumValues?: ReadonlyMap<string, string>;
  provider: PrismaProvider;
}

/** Prisma Client's generators, and the argument each takes. */
const CLIENT_GENERATORS = new Map<string, { accepts(n: number): boolean; shown: string }>([
  ['uuid', { accepts: (n) => n === 4 || n === 7, shown: 'no argument, 4 or 7' }],
  ['cuid', { accepts: (n) => n === 1 || n === 2, shown: 'no argument, 1 or 2' }],
  ['nanoid', { accepts: (n) => n >= 2 && n <= 255, shown: 'no argument, or a length from 2 to 255' }],
  ['ulid', { accepts: () => false, shown: 'no argument' }],
]);

/** The range of Prisma's integer literals (a 64-bit integer). */
const INTEGER_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Sets `column`'s default (or autoincrement) from the field's `@default` attribute. Returns
 * 'database' for `dbgenerated()` with no expression: the database's own default or generation,
 * which Prisma never compares.
 */
export function applyDefault(column: Column, attr: Attribute, ctx: DefaultContext): 'database' | undefined {
  const where: Where = { file: ctx.file, line: lineOf(attr) };
  const args = readArgs(attr.args, { positional: 'value', names: ['value', 'map'] }, '@default', where);
  if (args.has('map')) fail(where, `@default of ${ctx.field}: a database name (map:) for a default value is not supported by the ${ctx.provider.name} provider; remove it`);
  const value = args.get('value');
  if (value === undefined) fail(where, `@default of ${ctx.field} names no value, e.g. @default(0)`);
  if (isFunc(value)) return applyFunction(column, value, ctx, where);
  if (ctx.scalar === 'Unsupported') fail(where, `@default of ${ctx.field}: only @default(dbgenerated("…")) can be used for Unsupported types`);
  const list = typeof value === 'object' && value !== null && !Array.isArray(value) && value.type === 'array' ? (value.args ?? []) : Array.isArray(value) ? value : undefined;
  if (ctx.list !== (list !== undefined)) fail(where, `@default of ${ctx.field}: ${ctx.list ? 'the default value of a list field must be a list' : `a list (${show(value)}) is no default for a field that is not a list`}`);
  if (list) {
    // Prisma writes a list default as an ARRAY literal cast to the column's type.
    column.default = `ARRAY[${list.map((x) => literal(x as Value, ctx, where, column.type)!).join(', ')}]::${column.type}`;
    return;
  }
  const sql = literal(value as Value, ctx, where, column.type);
  if (sql !== undefined) column.default = sql;
  return undefined;
}

function applyFunction(column: Column, f: Func, ctx: DefaultContext, where: Where): 'database' | undefined {
  const cannot = (): never => fail(where, `@default of ${ctx.field}: the function ${f.name}() cannot be used on fields of type ${ctx.scalar}${ctx.list ? '[]' : ''}`);
  if (ctx.scalar === 'Unsupported' && f.name !== 'dbgenerated') fail(where, `@default of ${ctx.field}: only @default(dbgenerated("…")) can be used for Unsupported types`);
  switch (f.name) {
    case 'dbgenerated': {
      const params = f.params ?? [];
      const expr = params.length ? stringLiteral(params[0]) : undefined;
      if (params.length > 1 || (params.length === 1 && !expr)) fail(where, `@default of ${ctx.field}: dbgenerated() takes either no argument or one non-empty string, e.g. dbgenerated("gen_random_uuid()")`);
      if (!expr) return 'database';
      column.default = expr;
      return;
    }
    case 'autoincrement':
      if (ctx.list || !isIntegerType(column.type)) cannot();
      // SQLite's AUTOINCREMENT needs INTEGER: a BigInt key there is a plain BIGINT PRIMARY KEY.
      if (ctx.provider.integerKeyAutoincrement && column.type !== 'INTEGER') return;
      column.autoincrement = true;
      return;
    case 'now':
      if (ctx.scalar !== 'DateTime' || ctx.list) cannot();
      column.default = ctx.provider.nowDefault?.(column.type) ?? 'CURRENT_TIMESTAMP';
      return;
    default: {
      const versions = CLIENT_GENERATORS.get(f.name);
      if (!versions) fail(where, `@default of ${ctx.field}: ${f.name}() is not a default function Prisma knows for ${ctx.provider.name}`);
      if (ctx.scalar !== 'String' || ctx.list) cannot();
      // Prisma checks the argument: uuid(4 | 7), cuid(1 | 2), nanoid(2 … 255), ulid().
      const params = f.params ?? [];
      const arg = params.length === 1 && (typeof params[0] === 'number' || (typeof params[0] === 'string' && /^\d+$/.test(params[0]))) ? Number(params[0]) : undefined;
      if (params.length > 1 || (params.length === 1 && (arg === undefined || !versions.accepts(arg)))) {
        fail(where, `@default of ${ctx.field}: ${f.name}() takes ${versions.shown}, not ${params.map(show).join(', ')}`);
      }
      return; // generated by Prisma Client, not the database
    }
  }
}

/** One literal of the field's type, as Prisma writes it in SQL; undefined for one Prisma checks but does not write. */
function literal(v: Value, ctx: DefaultContext, where: Where, type: string): string | undefined {
  const quoteLiteral = ctx.provider.quoteLiteral;
  const wrong = (expected: string): never => fail(where, `@default of ${ctx.field}: expected ${expected}, but found ${show(v)}`);
  const str = stringLiteral(v);
  const num = typeof v === 'number' ? String(v) : typeof v === 'string' && NUMBER.test(v) ? v : undefined;
  switch (ctx.scalar) {
    case 'Enum': {
      if (typeof v !== 'string' || str !== undefined) return wrong(`a value of enum ${ctx.enumNode?.name}`);
      const db = ctx.enumValues?.get(v);
      if (db === undefined) fail(where, `@default of ${ctx.field}: ${v} is not a value of enum ${ctx.enumNode?.name}`);
      return quoteLiteral(db);
    }
    case 'String':
      return str !== undefined ? quoteLiteral(str) : wrong('a String value');
    case 'Boolean':
      return v === 'true' || v === 'false' || typeof v === 'boolean' ? String(v) : wrong('a Boolean value');
    case 'Int':
    case 'BigInt': {
      if (num === undefined || /[.eE]/.test(num)) return wrong(`an ${ctx.scalar} value`);
      const n = BigInt(num);
      if (n < INTEGER_RANGE[0] || n > INTEGER_RANGE[1]) fail(where, `@default of ${ctx.field}: ${num} is not a valid integer (number too large to fit in a 64-bit integer)`);
      return number(num);
    }
    case 'Float':
      return num !== undefined ? number(num) : wrong('a Float value');
    case 'Decimal': {
      const text = num ?? (str !== undefined && NUMBER.test(str) ? str : undefined);
      return text !== undefined ? number(text) : wrong('a Decimal value');
    }
    case 'DateTime': {
      const at = str === undefined ? undefined : ctx.provider.dateTimeText ? ctx.provider.dateTimeText(str, type) : prismaDateTime(str);
      return at !== undefined ? quoteLiteral(at) : wrong('an RFC 3339 date-time string such as "2024-01-01T00:00:00Z"');
    }
    case 'Json':
      if (str === undefined) return wrong('a JSON string such as "{}"');
      try {
        JSON.parse(str);
      } catch {
        fail(where, `@default of ${ctx.field}: ${show(v)} is not valid JSON`);
      }
      return ctx.provider.jsonDefaults ? quoteLiteral(str) : undefined;
    case 'Bytes': {
      if (str === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(str) || str.length % 4 !== 0) return wrong('a base64 string');
      const text = ctx.provider.bytesText(Buffer.from(str, 'base64').toString('hex'));
      return text === undefined ? undefined : quoteLiteral(text);
    }
    default:
      return wrong(`no literal for type ${ctx.scalar}`);
  }
}

/** A number as Prisma writes it: as given, but never a negative zero. */
function number(text: string): string {
  return /^-0+(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/**
 * A DateTime literal (RFC 3339) as Prisma writes it, chrono's display: `2024-03-01 12:30:00 +00:00`,
 * fractional seconds as milli-, micro- or nanoseconds, none when zero.
 */
export function prismaDateTime(s: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const ns = `${m[3] ?? ''}000000000`.slice(0, 9);
  const fraction = /^0+$/.test(ns) ? '' : `.${ns.endsWith('000000') ? ns.slice(0, 3) : ns.endsWith('000') ? ns.slice(0, 6) : ns}`;
  return `${m[1]} ${m[2]}${fraction} ${/^[Zz]$/.test(m[4]) ? '+00:00' : m[4]}`;
}
