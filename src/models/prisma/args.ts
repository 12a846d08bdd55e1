/**
 * Attribute arguments as Prisma reads them: each attribute names the arguments it takes, one of
 * which may be given unnamed (`@map("x")` ≡ `@map(name: "x")`, `@@index([a])` ≡
 * `@@index(fields: [a])`, `@default(5)` ≡ `@default(value: 5)`); anything else is Prisma's error.
 * Also the value coercions Prisma applies (a string, a constant, a list of fields).
 */
import type { AttributeArgument, Func, KeyValue, Value } from '@mrleebo/prisma-ast';
import { fail, type Where } from './errors.js';

/** The arguments an attribute takes: the one that may be given unnamed, and all names. */
export interface ArgSpec {
  positional?: string;
  names: readonly string[];
}

/** The spelled name of an attribute, for messages: `@map`, `@@index`, `@db.VarChar`. */
export type AttributeName = string;

export function isKeyValue(v: unknown): v is KeyValue {
  return typeof v === 'object' && v !== null && (v as KeyValue).type === 'keyValue';
}

export function isFunc(v: unknown): v is Func {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Func).type === 'function';
}

/** A Prisma string literal (`"x"` → x, escapes read as Prisma reads them); undefined otherwise. */
export function stringLiteral(v: unknown): string | undefined {
  return typeof v === 'string' && /^"(.*)"$/s.test(v) ? (JSON.parse(v) as string) : undefined;
}

/** A value as written, for messages. */
export function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isFunc(v)) return `${v.name}(${(v.params ?? []).map(show).join(', ')})`;
  if (isKeyValue(v)) return `${v.key}: ${show(v.value)}`;
  if (typeof v === 'object' && v !== null && (v as { type?: string }).type === 'array') return `[${((v as { args?: Value[] }).args ?? []).map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null && (v as { type?: string }).type === 'object') return `{ ${((v as { properties: KeyValue[] }).properties ?? []).map(show).join(', ')} }`;
  return String(v);
}

/**
 * The arguments of `attr` by name, the unnamed one under `spec.positional`. Prisma's errors for
 * an argument it does not know, one given twice, or several unnamed ones.
 */
export function readArgs(args: readonly (AttributeArgument | KeyValue | Value)[] | undefined, spec: ArgSpec, attribute: AttributeName, where: Where): Map<string, Value | Func> {
  const out = new Map<string, Value | Func>();
  let unnamed = false;
  for (const raw of args ?? []) {
    const a = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as AttributeArgument).type === 'attributeArgument' ? (raw as AttributeArgument).value : (raw as KeyValue | Value);
    if (isKeyValue(a)) {
      if (!spec.names.includes(a.key)) fail(where, `${attribute}: Prisma knows no argument "${a.key}" here${expected(spec)}`);
      if (out.has(a.key)) {
        fail(where, `${attribute}: argument "${a.key}" is already specified${unnamed && a.key === spec.positional ? ' as the unnamed argument' : ''}; give it once`);
      }
      out.set(a.key, a.value);
      continue;
    }
    if (!spec.positional) fail(where, `${attribute} takes no unnamed argument (got ${show(a)})${expected(spec)}`);
    if (unnamed) fail(where, `${attribute}: several unnamed arguments; give one (a list is written [a, b])`);
    if (out.has(spec.positional)) fail(where, `${attribute}: argument "${spec.positional}" is already specified; give it once`);
    unnamed = true;
    out.set(spec.positional, a as Value | Func);
  }
  return out;
}

/** A name as the lexer reads one (Prisma's names start with a letter of any script). */
const NAME = /^\p{L}[\p{L}\p{M}\p{Nd}_-]*$/u;

const expected = (spec: ArgSpec): string => (spec.names.length ? `; it takes ${spec.names.join(', ')}` : '; it takes no arguments');

/** A string argument (Prisma's "Expected a string value"); undefined when absent. */
export function stringArg(v: Value | Func | undefined, what: string, where: Where, options: { empty?: boolean } = {}): string | undefined {
  if (v === undefined) return undefined;
  const s = stringLiteral(v);
  if (s === undefined) fail(where, `${what} must be a string, e.g. "name" (got ${show(v)})`);
  if (s === '' && !options.empty) fail(where, `${what} cannot be an empty string`);
  return s;
}

/** A constant (an identifier such as `Desc`, `Cascade`, `Gin`, given as `example`); undefined when absent. */
export function constantArg(v: Value | Func | undefined, what: string, example: string, where: Where): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !NAME.test(v)) fail(where, `${what} must be a name such as ${example} (got ${show(v)})`);
  return v;
}

/** A boolean argument. */
export function booleanArg(v: Value | Func | undefined, what: string, where: Where): boolean | undefined {
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false' && v !== true && v !== false) fail(where, `${what} must be true or false (got ${show(v)})`);
  return v === 'true' || v === true;
}

/** A field in a list, with its arguments (`at(sort: Desc)`). */
export interface FieldRef {
  name: string;
  args: Map<string, Value | Func>;
}

/**
 * A list of fields (`[a, b(sort: Desc)]`; one field alone counts as a list of one, as Prisma
 * reads it). Arguments of each field are kept by name; `withArgs: false` refuses them.
 */
export function fieldList(v: Value | Func | undefined, what: string, where: Where, withArgs: boolean): FieldRef[] {
  if (v === undefined) return [];
  const items: unknown[] = typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: string }).type === 'array' ? ((v as { args?: Value[] }).args ?? []) : Array.isArray(v) ? v : [v];
  return items.map((x) => {
    if (typeof x === 'string' && NAME.test(x)) return { name: x, args: new Map() };
    if (withArgs && isFunc(x)) {
      const args = new Map<string, Value | Func>();
      for (const p of x.params ?? []) {
        if (!isKeyValue(p)) fail(where, `${what}: ${show(x)} — a field’s arguments are named, e.g. ${x.name}(sort: Desc)`);
        if (args.has(p.key)) fail(where, `${what}: argument "${p.key}" of ${x.name} is already specified; give it once`);
        args.set(p.key, p.value);
      }
      return { name: x.name, args };
    }
    return fail(where, `${what} must list field names, e.g. [a, b] (got ${show(x)})`);
  });
}
