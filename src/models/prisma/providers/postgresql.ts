/** Prisma's postgresql provider. */
import { pgTypeName } from '../../sql.js';
import { quoteIdentifier, quoteLiteral } from '../../../dialects/dialect.js';
import type { PrismaProvider } from './provider.js';

/** `@db.X(args)` on PostgreSQL → the type; undefined for one this reader does not know. */
function nativeType(name: string, args: string[]): string | undefined {
  const a = args.join(',');
  const withArgs = (base: string): string => (args.length ? `${base}(${a})` : base);
  switch (name) {
    case 'Text':
      return 'text';
    case 'VarChar':
      return withArgs('character varying');
    case 'Char':
      return args.length ? `character(${a})` : 'character(1)';
    case 'Uuid':
      return 'uuid';
    case 'SmallInt':
      return 'smallint';
    case 'Integer':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Decimal':
      return args.length === 1 ? `numeric(${a},0)` : withArgs('numeric');
    case 'Money':
      return 'money';
    case 'Real':
      return 'real';
    case 'DoublePrecision':
      return 'double precision';
    case 'Boolean':
      return 'boolean';
    case 'Timestamp':
      return args.length ? `timestamp(${a}) without time zone` : 'timestamp without time zone';
    case 'Timestamptz':
      return args.length ? `timestamp(${a}) with time zone` : 'timestamp with time zone';
    case 'Date':
      return 'date';
    case 'Time':
      return args.length ? `time(${a}) without time zone` : 'time without time zone';
    case 'Timetz':
      return args.length ? `time(${a}) with time zone` : 'time with time zone';
    case 'Json':
      return 'json';
    case 'JsonB':
      return 'jsonb';
    case 'ByteA':
      return 'bytea';
    case 'Xml':
      return 'xml';
    case 'Inet':
      return 'inet';
    case 'Citext':
      return 'citext';
    case 'Oid':
      return 'oid';
    case 'Bit':
      return withArgs('bit');
    case 'VarBit':
      return withArgs('bit varying');
    default:
      return undefined;
  }
}

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
  nativeType,
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
