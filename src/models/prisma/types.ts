/**
 * Prisma's scalar and native types as Prisma Migrate writes them, per provider, spelled as each
 * database reports them back (so that a migrated database compares clean).
 */

export type Provider = 'postgresql' | 'sqlite';

/** Scalar → column type when no `@db.*` attribute is given. */
const SCALARS: Record<Provider, Record<string, string>> = {
  postgresql: {
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
  sqlite: {
    String: 'TEXT',
    Int: 'INTEGER',
    BigInt: 'BIGINT',
    Float: 'REAL',
    Decimal: 'DECIMAL',
    Boolean: 'BOOLEAN',
    DateTime: 'DATETIME',
    Json: 'JSONB',
    Bytes: 'BLOB',
  },
};

export const SCALAR_TYPES = new Set(Object.keys(SCALARS.postgresql));

export function scalarType(provider: Provider, scalar: string): string | undefined {
  return SCALARS[provider][scalar];
}

/** `@db.X(args)` on PostgreSQL → the type; undefined for one this reader does not know. */
export function nativeType(name: string, args: string[]): string | undefined {
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

/** The serial type PostgreSQL uses for `@default(autoincrement())` on this column type. */
export function isIntegerType(type: string): boolean {
  return /^(integer|bigint|smallint|INTEGER|BIGINT)$/.test(type);
}

/** The longest identifier Prisma's default names may take on a provider, in bytes. */
export function identifierLimit(provider: Provider): number {
  return provider === 'postgresql' ? 63 : 10000;
}
