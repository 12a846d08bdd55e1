/** Prisma's postgresql provider. */
import { pgTypeName } from '../../sql.js';
import { quoteIdentifier, quoteLiteral } from '../../../dialects/dialect.js';
import { nativeTypeFrom, only, optionallySized, outOfRange, type NativeTypes, type NativeTypeSpec } from './native-types.js';
import type { PrismaProvider } from './provider.js';

const range = (name: string, args: readonly number[], why: string): string => outOfRange(name, args, 'Postgres', why);
/** A date-time type with an optional precision, 0 to 6 (PostgreSQL would cut more to 6, a diff that never settles). */
const fraction = (name: string, base: string, zone: string): NativeTypeSpec => ({
  scalars: ['DateTime'],
  args: 'optional',
  check: (args) => (args[0] > 6 ? range(name, args, 'M can range from 0 to 6.') : undefined),
  sql: ([p]) => `${base}${p === undefined ? '' : `(${p})`} ${zone}`,
});
/** A bit string type with an optional length, which must be positive. */
const bits = (name: string, base: string): NativeTypeSpec => ({
  scalars: ['String'],
  args: 'optional',
  check: (args) => (args[0] === 0 ? range(name, args, 'M must be a positive integer.') : undefined),
  sql: optionallySized(base),
});

/** psl's PostgresType: the Prisma scalars each native type fits, its arguments, and the ranges Prisma checks. */
const NATIVE: NativeTypes = {
  Text: only('String', 'text'),
  VarChar: { scalars: ['String'], args: 'optional', sql: optionallySized('character varying') },
  Char: { scalars: ['String'], args: 'optional', sql: optionallySized('character', 'character(1)') },
  Uuid: only('String', 'uuid'),
  Xml: only('String', 'xml'),
  Inet: only('String', 'inet'),
  Citext: only('String', 'citext'),
  Bit: bits('Bit', 'bit'),
  VarBit: bits('VarBit', 'bit varying'),
  SmallInt: only('Int', 'smallint'),
  Integer: only('Int', 'integer'),
  Oid: only('Int', 'oid'),
  BigInt: only('BigInt', 'bigint'),
  Decimal: {
    scalars: ['Decimal'],
    args: 'pair',
    check: (args) => {
      const [p, s] = args;
      if (p === undefined) return undefined;
      if (s > p) return `the scale must not be larger than the precision for the Decimal(${p},${s}) native type in Postgres`;
      if (p === 0 || p > 1000) return range('Decimal', args, 'Precision must be positive with a maximum value of 1000.');
      return undefined;
    },
    sql: ([p, s]) => (p === undefined ? 'numeric' : `numeric(${p},${s})`),
  },
  Money: only('Decimal', 'money'),
  Real: only('Float', 'real'),
  DoublePrecision: only('Float', 'double precision'),
  Boolean: only('Boolean', 'boolean'),
  Timestamp: fraction('Timestamp', 'timestamp', 'without time zone'),
  Timestamptz: fraction('Timestamptz', 'timestamp', 'with time zone'),
  Time: fraction('Time', 'time', 'without time zone'),
  Timetz: fraction('Timetz', 'time', 'with time zone'),
  Date: only('DateTime', 'date'),
  Json: only('Json', 'json'),
  JsonB: only('Json', 'jsonb'),
  ByteA: only('Bytes', 'bytea'),
};

export const postgresqlProvider: PrismaProvider = {
  name: 'postgresql',
  aliases: ['postgres'],
  dialect: 'postgres',
  title: 'Postgres',
  urlStart: 'postgres://',
  scalars: {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
    Boolean: 'boolean',
    DateTime: 'timestamp(3) without time zone',
    Json: 'jsonb',
    Bytes: 'bytea',
  },
  nativeType: (name, args, scalar) => nativeTypeFrom(NATIVE, name, args, scalar),
  enumColumn: (e) => pgTypeName(e.name),
  enumTypes: true,
  lists: true,
  extensions: true,
  identifierLimit: 63,
  nameScopes: { schema: ['key', 'index'], model: ['key', 'index', 'foreignKey'] },
  namedPrimaryKeys: true,
  namedForeignKeys: true,
  integerKeyAutoincrement: false,
  joinTablePrimaryKey: true,
  emulatedNoActionRefused: true,
  indexTypes: true,
  indexPrefixes: false,
  fulltextIndexes: false,
  partialPredicate: (predicate) => `(${predicate})`,
  quoteIdentifier,
  quoteLiteral,
  bytesText: (hex) => `\\x${hex}`,
  jsonDefaults: true,
};
