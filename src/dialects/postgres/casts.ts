/**
 * Which type changes PostgreSQL has no cast for (`pg_cast`, plus the conversion through text every
 * type has): `ALTER COLUMN … TYPE bytea USING c::bytea` of a jsonb column fails whatever the rows
 * hold, even with none. Such a column is dropped and added again, as Prisma Migrate does, its
 * values lost (asked about as data loss). Only the built-in types named here are judged; any other
 * (an enum, a domain, an extension's type) is taken to cast.
 */

type Family =
  | 'text' | 'int2' | 'int4' | 'int8' | 'numeric' | 'float' | 'money' | 'bool'
  | 'date' | 'timestamp' | 'timestamptz' | 'time' | 'timetz' | 'interval'
  | 'json' | 'jsonb' | 'bytea' | 'uuid' | 'inet' | 'cidr' | 'bit' | 'varbit' | 'xml';

const FAMILIES: [RegExp, Family][] = [
  [/^(?:text|character varying|varchar|character|char|bpchar|citext|name)$/, 'text'],
  [/^(?:smallint|int2)$/, 'int2'],
  [/^(?:integer|int|int4)$/, 'int4'],
  [/^(?:bigint|int8)$/, 'int8'],
  [/^(?:numeric|decimal)$/, 'numeric'],
  [/^(?:real|float4|double precision|float8|float)$/, 'float'],
  [/^money$/, 'money'],
  [/^(?:boolean|bool)$/, 'bool'],
  [/^date$/, 'date'],
  [/^timestamp(?: without time zone)?$/, 'timestamp'],
  [/^(?:timestamp with time zone|timestamptz)$/, 'timestamptz'],
  [/^time(?: without time zone)?$/, 'time'],
  [/^(?:time with time zone|timetz)$/, 'timetz'],
  [/^interval(?: .*)?$/, 'interval'],
  [/^json$/, 'json'],
  [/^jsonb$/, 'jsonb'],
  [/^bytea$/, 'bytea'],
  [/^uuid$/, 'uuid'],
  [/^inet$/, 'inet'],
  [/^cidr$/, 'cidr'],
  [/^bit$/, 'bit'],
  [/^(?:bit varying|varbit)$/, 'varbit'],
  [/^xml$/, 'xml'],
];

/** The casts between families other than through text (PostgreSQL 12 and later). */
const CASTS: Record<Family, readonly Family[]> = {
  text: [],
  int2: ['int4', 'int8', 'numeric', 'float'],
  int4: ['int2', 'int8', 'numeric', 'float', 'bool', 'money', 'bit'],
  int8: ['int2', 'int4', 'numeric', 'float', 'money', 'bit'],
  numeric: ['int2', 'int4', 'int8', 'float', 'money'],
  float: ['int2', 'int4', 'int8', 'numeric'],
  money: ['numeric'],
  bool: ['int4'],
  date: ['timestamp', 'timestamptz'],
  timestamp: ['date', 'time', 'timestamptz'],
  timestamptz: ['date', 'time', 'timetz', 'timestamp'],
  time: ['interval', 'timetz'],
  timetz: ['time'],
  interval: ['time'],
  json: ['jsonb'],
  jsonb: ['json', 'bool', 'int2', 'int4', 'int8', 'numeric', 'float'],
  bytea: [],
  uuid: [],
  inet: ['cidr'],
  cidr: ['inet'],
  bit: ['int4', 'int8', 'varbit'],
  varbit: ['bit'],
  xml: [],
};

/** How many array dimensions a type has (`text[]` 1, `int[][]` 2, `text` 0). */
export const dimensions = (type: string): number => (/((?:\s*\[\s*\d*\s*\])*)\s*$/.exec(type)![1].match(/\[/g) ?? []).length;

function familyOf(type: string): Family | undefined {
  const base = type
    .trim()
    .replace(/(\s*\[\s*\d*\s*\])+$/, '')
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return FAMILIES.find(([pattern]) => pattern.test(base))?.[1];
}

/** Whether PostgreSQL has no cast from `from` to `to` (both as the database spells them). */
export function pgCastless(from: string, to: string): boolean {
  // A value made a list, or a list a value, is converted element-wise (see the compiler's USING).
  if (dimensions(from) !== dimensions(to)) return false;
  const [a, b] = [familyOf(from), familyOf(to)];
  if (a === undefined || b === undefined || a === b || a === 'text' || b === 'text') return false;
  return !CASTS[a].includes(b);
}
