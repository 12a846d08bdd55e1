/**
 * `@db.X(args)` checked as psl checks native types, whatever the provider: the Prisma scalars
 * each type fits, how many arguments it takes, that they are whole numbers, then the provider's
 * own ranges. Each provider keeps its table of types (`NativeTypes`) in its own file.
 */
import type { NativeTypeResult } from './provider.js';

/** How many arguments a native type takes: none, exactly one, at most one, none or two. */
export type NativeArity = 'none' | 'one' | 'optional' | 'pair';

/** One native type of a provider. */
export interface NativeTypeSpec {
  /** The Prisma scalars it can be declared on. */
  readonly scalars: readonly string[];
  readonly args: NativeArity;
  /** The complaint about these (whole, nonnegative) arguments, when Prisma or the database refuses them. */
  readonly check?: (args: readonly number[], scalar: string) => string | undefined;
  /** The column type, as the provider's database spells it. */
  readonly sql: (args: readonly number[], scalar: string) => string;
}

export type NativeTypes = Readonly<Record<string, NativeTypeSpec>>;

const COUNTS: Record<NativeArity, readonly number[]> = { none: [0], one: [1], optional: [0, 1], pair: [0, 2] };
const TAKES: Record<NativeArity, string> = {
  none: 'no arguments',
  one: 'one argument',
  optional: 'at most one argument',
  pair: 'no arguments or two (precision, scale)',
};

/**
 * `@db.name(args)` on a field of `scalar`, by the provider's table: the column type, a problem,
 * or undefined for a type the provider does not have.
 */
export function nativeTypeFrom(types: NativeTypes, name: string, args: readonly string[], scalar: string): NativeTypeResult {
  if (!Object.hasOwn(types, name)) return undefined;
  const spec = types[name];
  if (!spec.scalars.includes(scalar)) return { problem: `native type ${name} is not compatible with declared field type ${scalar}, expected field type ${spec.scalars.join(' or ')}` };
  if (!COUNTS[spec.args].includes(args.length)) return { problem: `native type ${name} takes ${TAKES[spec.args]}, but ${args.length} were given` };
  const numbers = args.map((a) => (/^\d+$/.test(a.trim()) ? Number(a) : NaN));
  if (numbers.some((n) => Number.isNaN(n))) return { problem: `the arguments of native type ${name} are nonnegative whole numbers (got ${args.join(', ')})` };
  const problem = spec.check?.(numbers, scalar);
  return problem ? { problem } : spec.sql(numbers, scalar);
}

/** Prisma's complaint about an argument out of range: "argument M is out of range for native type `Bit(0)` of Postgres: …". */
export const outOfRange = (name: string, args: readonly number[], title: string, why: string): string =>
  `argument M is out of range for native type \`${name}(${args.join(',')})\` of ${title}: ${why}`;

/** A type that takes no arguments and is always spelled `sql`. */
export const plain = (sql: string): NativeTypeSpec['sql'] => () => sql;
/** A type spelled `base(n)` with its one argument. */
export const sized = (base: string): NativeTypeSpec['sql'] => ([m]) => `${base}(${m})`;
/** A type spelled `base(n)`, or `fallback` (default `base`) without an argument. */
export const optionallySized = (base: string, fallback = base): NativeTypeSpec['sql'] => ([m]) => (m === undefined ? fallback : `${base}(${m})`);
/** A type without arguments for fields of one scalar. */
export const only = (scalar: string, sql: string): NativeTypeSpec => ({ scalars: [scalar], args: 'none', sql: plain(sql) });
