/**
 * Prisma's mysql provider (MySQL and MariaDB), as Prisma's schema engine builds its databases:
 * psl's MySQL connector (default and native types, the arguments it refuses, the namespaces of
 * constraint names, prefix lengths and @@fulltext) and the schema engine's MySQL renderer (enum
 * columns `ENUM('A', 'B')`, `CURRENT_TIMESTAMP(precision)`, no Json or Bytes literal defaults).
 *
 * Types are written as information_schema's COLUMN_TYPE spells them, display widths left out
 * (`int`, `varchar(191)`, `tinyint(1)`), which is what the mysql dialect compares. Where Prisma
 * writes a default the database keeps in another form, the form the database keeps is written:
 * `CURRENT_TIMESTAMP(3)` on a column without fractional seconds is kept as `CURRENT_TIMESTAMP`,
 * and a DateTime literal is written as the UTC date-time the column holds
 * (`'2024-01-01 00:00:00.000'`) — Prisma's RFC 3339 text (`'2024-01-01T00:00:00+00:00'`) MySQL
 * 8 reads as that value and MariaDB refuses.
 */
import { quoteMysqlIdentifier, quoteMysqlLiteral } from '../../../dialects/mysql/quote.js';
import type { NativeTypeResult, PrismaProvider } from './provider.js';

/** The Prisma scalars each native type fits (psl's MySqlType), and whether it takes arguments. */
const NATIVE: Record<string, { scalars: readonly string[]; args: 'none' | 'one' | 'optional' | 'decimal' }> = {
  Int: { scalars: ['Int'], args: 'none' },
  UnsignedInt: { scalars: ['Int'], args: 'none' },
  SmallInt: { scalars: ['Int'], args: 'none' },
  UnsignedSmallInt: { scalars: ['Int'], args: 'none' },
  TinyInt: { scalars: ['Boolean', 'Int'], args: 'none' },
  UnsignedTinyInt: { scalars: ['Boolean', 'Int'], args: 'none' },
  MediumInt: { scalars: ['Int'], args: 'none' },
  UnsignedMediumInt: { scalars: ['Int'], args: 'none' },
  BigInt: { scalars: ['BigInt'], args: 'none' },
  UnsignedBigInt: { scalars: ['BigInt'], args: 'none' },
  Decimal: { scalars: ['Decimal'], args: 'decimal' },
  Float: { scalars: ['Float'], args: 'none' },
  Double: { scalars: ['Float'], args: 'none' },
  Bit: { scalars: ['Boolean', 'Bytes'], args: 'one' },
  Char: { scalars: ['String'], args: 'one' },
  VarChar: { scalars: ['String'], args: 'one' },
  Binary: { scalars: ['Bytes'], args: 'one' },
  VarBinary: { scalars: ['Bytes'], args: 'one' },
  TinyBlob: { scalars: ['Bytes'], args: 'none' },
  Blob: { scalars: ['Bytes'], args: 'none' },
  MediumBlob: { scalars: ['Bytes'], args: 'none' },
  LongBlob: { scalars: ['Bytes'], args: 'none' },
  TinyText: { scalars: ['String'], args: 'none' },
  Text: { scalars: ['String'], args: 'none' },
  MediumText: { scalars: ['String'], args: 'none' },
  LongText: { scalars: ['String'], args: 'none' },
  Date: { scalars: ['DateTime'], args: 'none' },
  Time: { scalars: ['DateTime'], args: 'optional' },
  DateTime: { scalars: ['DateTime'], args: 'optional' },
  Timestamp: { scalars: ['DateTime'], args: 'optional' },
  Year: { scalars: ['Int'], args: 'none' },
  Json: { scalars: ['Json'], args: 'none' },
};

/** Native types MySQL cannot index whole: a key or index on one needs a prefix length. */
const NEEDS_PREFIX = new Set(['TinyText', 'Text', 'MediumText', 'LongText', 'TinyBlob', 'Blob', 'MediumBlob', 'LongBlob']);

const WHAT: Record<'id' | 'unique' | 'index', string> = { id: 'a primary key', unique: 'a unique constraint', index: 'an index' };

/** `UnsignedSmallInt` → `smallint unsigned`; `MediumText` → `mediumtext`. */
const sqlName = (name: string): string => (name.startsWith('Unsigned') ? `${name.slice('Unsigned'.length).toLowerCase()} unsigned` : name.toLowerCase());

/** `@db.X(args)` on a field of `scalar` → the column type, as Prisma's MySQL renderer writes it. */
export function mysqlNativeType(name: string, args: string[], scalar: string): NativeTypeResult {
  if (!Object.hasOwn(NATIVE, name)) return undefined;
  const spec = NATIVE[name];
  if (!spec.scalars.includes(scalar)) return { problem: `native type ${name} is not compatible with declared field type ${scalar}, expected field type ${spec.scalars.join(' or ')}` };
  const numbers = args.map((a) => (/^\d+$/.test(a.trim()) ? Number(a) : NaN));
  if (numbers.some((n) => Number.isNaN(n))) return { problem: `the arguments of native type ${name} are whole numbers (got ${args.join(', ')})` };
  const arity: Record<typeof spec.args, number[]> = { none: [0], one: [1], optional: [0, 1], decimal: [0, 2] };
  if (!arity[spec.args].includes(args.length)) {
    return { problem: `native type ${name} takes ${spec.args === 'none' ? 'no arguments' : spec.args === 'one' ? 'one argument' : spec.args === 'optional' ? 'at most one argument' : 'no arguments or two (precision, scale)'}, but ${args.length} were given` };
  }
  const [m, d] = numbers;
  switch (name) {
    case 'Decimal':
      if (args.length === 0) return 'decimal';
      if (d > m) return { problem: 'the scale must not be larger than the precision' };
      if (m > 65) return { problem: 'argument M is out of range for native type `Decimal(' + args.join(',') + ')` of MySQL: Precision can range from 1 to 65.' };
      if (d > 30) return { problem: 'argument M is out of range for native type `Decimal(' + args.join(',') + ')` of MySQL: Scale can range from 0 to 30.' };
      return `decimal(${m},${d})`;
    case 'Bit':
      if (m === 0 || m > 64) return { problem: `argument M is out of range for native type \`Bit(${m})\` of MySQL: M can range from 1 to 64.` };
      if (m > 1 && scalar === 'Boolean') return { problem: `argument M is out of range for native type \`Bit(${m})\` of MySQL: only Bit(1) can be used as Boolean.` };
      return `bit(${m})`;
    case 'Char':
      if (m > 255) return { problem: `argument M is out of range for native type \`Char(${m})\` of MySQL: M can range from 0 to 255.` };
      return `char(${m})`;
    case 'VarChar':
      if (m > 65535) return { problem: `argument M is out of range for native type \`VarChar(${m})\` of MySQL: M can range from 0 to 65,535.` };
      return `varchar(${m})`;
    case 'Binary':
    case 'VarBinary':
      return `${name.toLowerCase()}(${m})`;
    case 'Time':
    case 'DateTime':
    case 'Timestamp':
      return args.length ? `${name.toLowerCase()}(${m})` : name.toLowerCase();
    // Prisma writes BOOLEAN (tinyint(1)) for a Boolean field's TinyInt, TINYINT for an Int's.
    case 'TinyInt':
      return scalar === 'Boolean' ? 'tinyint(1)' : 'tinyint';
    default:
      return sqlName(name);
  }
}

/** The fractional-second digits of a date-time type (`datetime(3)` → 3; `datetime`, `date` → 0). */
function precisionOf(type: string): { base: string; digits: number } | undefined {
  const m = /^(date|datetime|timestamp|time)(?:\((\d)\))?$/.exec(type.trim().toLowerCase());
  return m ? { base: m[1], digits: m[2] ? Number(m[2]) : 0 } : undefined;
}

/**
 * `now()` → Prisma writes `CURRENT_TIMESTAMP(p)` with the native type's precision, 3 without one;
 * a DATETIME, TIMESTAMP or TIME without fractional seconds keeps it as `CURRENT_TIMESTAMP`.
 */
export function mysqlNowDefault(type: string): string {
  const p = precisionOf(type);
  if (p && p.base !== 'date') return p.digits ? `CURRENT_TIMESTAMP(${p.digits})` : 'CURRENT_TIMESTAMP';
  return 'CURRENT_TIMESTAMP(3)';
}

/**
 * A DateTime literal (RFC 3339) as the UTC value a column of `type` holds: `2024-01-01`,
 * `12:30:00.000`, `2024-01-01 12:30:00.000` (fractional digits as the column keeps them).
 */
export function mysqlDateTimeText(rfc3339: string, type: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(rfc3339);
  if (!m) return undefined;
  const offsetMinutes = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMinutes * 60_000);
  if (Number.isNaN(at.getTime())) return undefined;
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${String(at.getUTCFullYear()).padStart(4, '0')}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())}`;
  const p = precisionOf(type) ?? { base: 'datetime', digits: 0 };
  const fraction = p.digits ? `.${`${m[7] ?? ''}000000`.slice(0, p.digits)}` : '';
  const time = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}${fraction}`;
  return p.base === 'date' ? date : p.base === 'time' ? time : `${date} ${time}`;
}

export const mysqlProvider: PrismaProvider = {
  name: 'mysql',
  aliases: [],
  dialect: 'mysql',
  title: 'MySQL',
  urlStart: 'mysql://',
  scalars: {
    String: 'varchar(191)',
    Int: 'int',
    BigInt: 'bigint',
    Float: 'double',
    Decimal: 'decimal(65,30)',
    Boolean: 'tinyint(1)',
    DateTime: 'datetime(3)',
    Json: 'json',
    Bytes: 'longblob',
  },
  nativeType: mysqlNativeType,
  // An enum is a column type of its own values; Prisma creates no named type.
  enumColumn: (e) => `enum(${e.values.map(quoteMysqlLiteral).join(',')})`,
  enumTypes: false,
  lists: false,
  extensions: false,
  identifierLimit: 64,
  // psl's scopes for MySQL: foreign key names are unique in the database, index names in a table.
  nameScopes: { schema: ['foreignKey'], model: ['index'] },
  namedPrimaryKeys: false,
  namedForeignKeys: true,
  integerKeyAutoincrement: false,
  // Implicit many-to-many tables are keyed by a unique index `_AB_unique`, as before Prisma 6 everywhere.
  joinTablePrimaryKey: false,
  emulatedNoActionRefused: false,
  indexTypes: false,
  indexPrefixes: true,
  fulltextIndexes: true,
  keyFieldProblem(field, kind, length) {
    if (kind === 'fulltext' || length !== undefined || !field.native || !NEEDS_PREFIX.has(field.native)) return undefined;
    return `you cannot define ${WHAT[kind]} on fields with native type \`${field.native}\` of MySQL (field ${field.name}); use the \`length\` argument to the field in the index definition, e.g. ${field.name}(length: 100)`;
  },
  autoincrementKeyed: true,
  quoteIdentifier: quoteMysqlIdentifier,
  quoteLiteral: quoteMysqlLiteral,
  // MySQL takes no literal default for BLOB and JSON columns: Prisma writes none.
  bytesText: () => undefined,
  jsonDefaults: false,
  nowDefault: mysqlNowDefault,
  dateTimeText: mysqlDateTimeText,
};
