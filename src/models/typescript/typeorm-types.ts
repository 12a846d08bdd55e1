/**
 * How TypeORM's driver for a database turns a column's declared type and default into SQL, per
 * driver. A model read for SQLite describes what TypeORM's SQLite driver would create; one read
 * for PostgreSQL, what its postgres driver would.
 */
import type { EnumType } from '../../schema/schema.js';
import { pgTypeName, sqlString } from '../sql.js';

/** A property's TypeScript type, as `emitDecoratorMetadata` would report it. */
export type DesignType = 'String' | 'Number' | 'Boolean' | 'Date' | 'Buffer';

export interface ColumnTypeInput {
  /** The `type` option, or the design type when none is given. */
  type: string | DesignType;
  length?: string | number;
  precision?: number;
  scale?: number;
  array?: boolean;
  enum?: string[];
  enumName?: string;
  /** Table and column name: PostgreSQL names enum types after them. */
  table: string;
  column: string;
}

export interface ColumnTypeResult {
  type: string;
  /** An enum type the column needs (PostgreSQL). */
  enumType?: EnumType;
  /** A CHECK (column IN (...)) the column needs (SQLite's enums). */
  enumCheck?: string[];
}

export interface TypeOrmDriver {
  readonly name: string;
  /** The SQL type of a column; undefined when TypeORM rejects the type on this driver. */
  columnType(input: ColumnTypeInput): ColumnTypeResult | undefined;
  /** A `default` option as TypeORM's driver writes it (`normalizeDefault`), or undefined for none. */
  defaultValue(value: unknown, column: { array: boolean; type: string }): string | undefined;
  /** A default given as a function (`() => 'CURRENT_TIMESTAMP'`), as TypeORM writes it. */
  defaultFunction(expression: string): string;
  /** The type and default TypeORM gives special columns. */
  special: {
    createDate: { type: string; default: string };
    updateDate: { type: string; default: string };
    deleteDate: { type: string };
    version: { type: string };
  };
  /** The extension TypeORM's driver installs for a column of this type (PostgreSQL `citext`). */
  extensionOf(type: string): string | undefined;
  /** The default of `@PrimaryGeneratedColumn('uuid')`, and the extension it needs. */
  uuid: { default?: string; extension?: string };
  /** How `@PrimaryGeneratedColumn('identity')` is built. */
  identity: 'autoincrement' | 'identity';
}

function withSize(type: string, input: ColumnTypeInput): string {
  if (input.length !== undefined && input.length !== '') return `${type}(${input.length})`;
  if (input.precision !== undefined && input.scale !== undefined) return `${type}(${input.precision},${input.scale})`;
  if (input.precision !== undefined) return `${type}(${input.precision})`;
  return type;
}

const SQLITE_TYPES = new Set([
  'int', 'integer', 'tinyint', 'smallint', 'mediumint', 'bigint', 'unsigned big int', 'int2', 'int8', 'character', 'varchar',
  'varying character', 'nchar', 'native character', 'nvarchar', 'text', 'clob', 'blob', 'real', 'double', 'double precision',
  'float', 'numeric', 'decimal', 'boolean', 'date', 'time', 'datetime', 'json', 'jsonb',
]);

const SQLITE_NORMAL: Record<string, string> = {
  Number: 'integer',
  int: 'integer',
  String: 'varchar',
  uuid: 'varchar',
  'simple-enum': 'varchar',
  Date: 'datetime',
  Boolean: 'boolean',
  Buffer: 'blob',
  'simple-array': 'text',
  'simple-json': 'text',
};

/** JSON text of an object default, as TypeORM's drivers write it. */
const json = (value: unknown): string => sqlString(JSON.stringify(value));

export const sqliteTypeOrm: TypeOrmDriver = {
  name: 'sqlite',
  columnType(input) {
    // TypeORM's SQLite drivers refuse 'enum' (the type is 'simple-enum'); any column with enum
    // values is checked with CHECK (… IN (…)), but an array column ("integer array") is not.
    if (input.type === 'enum') return undefined;
    const type = SQLITE_NORMAL[input.type] ?? input.type;
    if (!SQLITE_TYPES.has(type)) return undefined;
    return { type: `${withSize(type, input)}${input.array ? ' array' : ''}`, ...(input.enum && !input.array ? { enumCheck: input.enum } : {}) };
  },
  extensionOf: () => undefined,
  defaultValue(value, column) {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'string') return sqlString(value);
    if (Array.isArray(value) && column.type === 'simple-enum') return sqlString(value.join(','));
    return column.type === 'jsonb' ? `jsonb(${json(value)})` : json(value);
  },
  defaultFunction: (expression) => expression,
  special: {
    createDate: { type: 'datetime', default: "datetime('now')" },
    updateDate: { type: 'datetime', default: "datetime('now')" },
    deleteDate: { type: 'datetime' },
    version: { type: 'integer' },
  },
  uuid: {},
  identity: 'autoincrement',
};

const PG_NORMAL: Record<string, string> = {
  Number: 'integer',
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  String: 'character varying',
  varchar: 'character varying',
  Date: 'timestamp without time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  Boolean: 'boolean',
  bool: 'boolean',
  'simple-array': 'text',
  'simple-json': 'text',
  int2: 'smallint',
  int8: 'bigint',
  decimal: 'numeric',
  float: 'double precision',
  float8: 'double precision',
  float4: 'real',
  char: 'character',
  varbit: 'bit varying',
};

/** The types TypeORM's postgres driver takes (its supportedDataTypes), besides its simple-* types. */
const PG_SUPPORTED = new Set([
  'int', 'int2', 'int4', 'int8', 'smallint', 'integer', 'bigint', 'decimal', 'numeric', 'real', 'float', 'float4', 'float8',
  'double precision', 'money', 'character varying', 'varchar', 'character', 'char', 'text', 'citext', 'hstore', 'bytea', 'bit',
  'varbit', 'bit varying', 'timetz', 'timestamptz', 'timestamp', 'timestamp without time zone', 'timestamp with time zone', 'date',
  'time', 'time without time zone', 'time with time zone', 'interval', 'bool', 'boolean', 'point', 'line', 'lseg', 'box', 'path',
  'polygon', 'circle', 'cidr', 'inet', 'macaddr', 'macaddr8', 'tsvector', 'tsquery', 'uuid', 'xml', 'json', 'jsonb', 'jsonpath',
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'int4multirange', 'int8multirange', 'nummultirange',
  'tsmultirange', 'tstzmultirange', 'datemultirange', 'geometry', 'geography', 'cube', 'ltree', 'vector', 'halfvec',
  'simple-array', 'simple-json', 'Number', 'String', 'Date', 'Boolean',
]);

/** TypeORM's postgres driver's normalizeDatetimeFunction: CURRENT_TIMESTAMP → now(), and so on. */
function pgDatetimeFunction(value: string): string {
  const m = /^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME)(\(\d+\))?$/.exec(value.trim().toUpperCase());
  if (!m) return value;
  const [, fn, precision = ''] = m;
  const prefix = "('now'::text)";
  switch (fn) {
    case 'CURRENT_TIMESTAMP':
      return precision ? `${prefix}::timestamp${precision} with time zone` : 'now()';
    case 'CURRENT_DATE':
      return `${prefix}::date`;
    case 'CURRENT_TIME':
      return `${prefix}::time${precision} with time zone`;
    case 'LOCALTIMESTAMP':
      return `${prefix}::timestamp${precision} without time zone`;
    default:
      return `${prefix}::time${precision} without time zone`;
  }
}

/** Extensions TypeORM's postgres driver installs by column type (checkMetadataForExtensions). */
const PG_EXTENSIONS: Record<string, string> = {
  citext: 'citext',
  hstore: 'hstore',
  cube: 'cube',
  geometry: 'postgis',
  geography: 'postgis',
  ltree: 'ltree',
  vector: 'vector',
  halfvec: 'vector',
};

export const postgresTypeOrm: TypeOrmDriver = {
  name: 'postgres',
  columnType(input) {
    if (input.enum && (input.type === 'enum' || input.type === 'simple-enum')) {
      const name = input.enumName ?? `${input.table}_${input.column.toLowerCase()}_enum`;
      return { type: `${pgTypeName(name)}${input.array ? '[]' : ''}`, enumType: { name, values: input.enum } };
    }
    if (!PG_SUPPORTED.has(input.type)) return undefined;
    const type = PG_NORMAL[input.type] ?? input.type;
    let full: string;
    const zone = /^(timestamp|time) (with(?:out)? time zone)$/.exec(type);
    if (zone) full = input.precision !== undefined ? `${zone[1]}(${input.precision}) ${zone[2]}` : type;
    else if (type === 'numeric' && input.precision === undefined) full = type; // TypeORM drops a scale without precision
    else full = withSize(type, input);
    return { type: `${full}${input.array ? '[]' : ''}` };
  },
  defaultValue(value, column) {
    if (value === null || value === undefined) return undefined;
    if (column.array && Array.isArray(value)) return sqlString(`{${value.map(String).join(',')}}`);
    // Numbers too are quoted, as TypeORM writes them: a bigint default of 0 is stored as '0'::bigint.
    if (typeof value === 'number' || typeof value === 'string') return sqlString(String(value));
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    return json(value);
  },
  defaultFunction: pgDatetimeFunction,
  special: {
    createDate: { type: 'timestamp without time zone', default: 'now()' },
    updateDate: { type: 'timestamp without time zone', default: 'now()' },
    deleteDate: { type: 'timestamp without time zone' },
    version: { type: 'integer' },
  },
  extensionOf: (type) => PG_EXTENSIONS[type],
  uuid: { default: 'uuid_generate_v4()', extension: 'uuid-ossp' },
  identity: 'identity',
};

export function typeOrmDriver(dialect: string): TypeOrmDriver {
  if (dialect === 'sqlite') return sqliteTypeOrm;
  if (dialect === 'postgres') return postgresTypeOrm;
  throw new Error(`TypeORM entities are not supported on ${dialect}`);
}
