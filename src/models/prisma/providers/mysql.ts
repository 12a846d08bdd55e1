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
import { nativeTypeFrom, only, optionallySized, plain, sized, outOfRange, type NativeTypes, type NativeTypeSpec } from './native-types.js';
import type { NativeTypeResult, PrismaProvider } from './provider.js';

const range = (name: string, why: string) => (args: readonly number[]): string => outOfRange(name, args, 'MySQL', why);
// psl leaves fractional seconds unchecked on MySQL; MySQL refuses more than 6 digits.
const fraction = (name: string): NativeTypeSpec => ({
  scalars: ['DateTime'],
  args: 'optional',
  check: (args) => (args[0] > 6 ? range(name, 'M can range from 0 to 6 (MySQL keeps at most 6 fractional-second digits and refuses more).')(args) : undefined),
  sql: optionallySized(name.toLowerCase()),
});

/** psl's MySqlType: the Prisma scalars each native type fits, its arguments, and the ranges Prisma checks. */
const NATIVE: NativeTypes = {
  Int: only('Int', 'int'),
  UnsignedInt: only('Int', 'int unsigned'),
  SmallInt: only('Int', 'smallint'),
  UnsignedSmallInt: only('Int', 'smallint unsigned'),
  // Prisma writes BOOLEAN (tinyint(1)) for a Boolean field's TinyInt, TINYINT for an Int's.
  TinyInt: { scalars: ['Boolean', 'Int'], args: 'none', sql: (_, scalar) => (scalar === 'Boolean' ? 'tinyint(1)' : 'tinyint') },
  UnsignedTinyInt: { scalars: ['Boolean', 'Int'], args: 'none', sql: plain('tinyint unsigned') },
  MediumInt: only('Int', 'mediumint'),
  UnsignedMediumInt: only('Int', 'mediumint unsigned'),
  BigInt: only('BigInt', 'bigint'),
  UnsignedBigInt: only('BigInt', 'bigint unsigned'),
  Decimal: {
    scalars: ['Decimal'],
    args: 'pair',
    check: ([m, d]) => {
      if (m === undefined) return undefined;
      if (d > m) return 'the scale must not be larger than the precision';
      if (m > 65) return range('Decimal', 'Precision can range from 1 to 65.')([m, d]);
      if (d > 30) return range('Decimal', 'Scale can range from 0 to 30.')([m, d]);
      return undefined;
    },
    sql: ([m, d]) => (m === undefined ? 'decimal' : `decimal(${m},${d})`),
  },
  Float: only('Float', 'float'),
  Double: only('Float', 'double'),
  Bit: {
    scalars: ['Boolean', 'Bytes'],
    args: 'one',
    check: ([m], scalar) => {
      if (m === 0 || m > 64) return range('Bit', 'M can range from 1 to 64.')([m]);
      if (m > 1 && scalar === 'Boolean') return range('Bit', 'only Bit(1) can be used as Boolean.')([m]);
      return undefined;
    },
    sql: sized('bit'),
  },
  Char: { scalars: ['String'], args: 'one', check: ([m]) => (m > 255 ? range('Char', 'M can range from 0 to 255.')([m]) : undefined), sql: sized('char') },
  VarChar: { scalars: ['String'], args: 'one', check: ([m]) => (m > 65535 ? range('VarChar', 'M can range from 0 to 65,535.')([m]) : undefined), sql: sized('varchar') },
  Binary: { scalars: ['Bytes'], args: 'one', sql: sized('binary') },
  VarBinary: { scalars: ['Bytes'], args: 'one', sql: sized('varbinary') },
  TinyBlob: only('Bytes', 'tinyblob'),
  Blob: only('Bytes', 'blob'),
  MediumBlob: only('Bytes', 'mediumblob'),
  LongBlob: only('Bytes', 'longblob'),
  TinyText: only('String', 'tinytext'),
  Text: only('String', 'text'),
  MediumText: only('String', 'mediumtext'),
  LongText: only('String', 'longtext'),
  Date: only('DateTime', 'date'),
  Time: fraction('Time'),
  DateTime: fraction('DateTime'),
  Timestamp: fraction('Timestamp'),
  Year: only('Int', 'year'),
  Json: only('Json', 'json'),
};

/** Native types MySQL cannot index whole: a key or index on one needs a prefix length. */
const NEEDS_PREFIX = new Set(['TinyText', 'Text', 'MediumText', 'LongText', 'TinyBlob', 'Blob', 'MediumBlob', 'LongBlob']);

const WHAT: Record<'id' | 'unique' | 'index', string> = { id: 'a primary key', unique: 'a unique constraint', index: 'an index' };

/** `@db.X(args)` on a field of `scalar` → the column type, as Prisma's MySQL renderer writes it. */
export function mysqlNativeType(name: string, args: string[], scalar: string): NativeTypeResult {
  return nativeTypeFrom(NATIVE, name, args, scalar);
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
  // Prisma ends every CREATE TABLE with DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci.
  tableCollation: 'utf8mb4_unicode_ci',
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
