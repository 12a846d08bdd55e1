/**
 * How TypeORM's driver for a database turns a column's declared type and default into SQL, per
 * driver. A model read for SQLite describes what TypeORM's SQLite driver would create.
 */

/** A property's TypeScript type, as `emitDecoratorMetadata` would report it. */
export type DesignType = 'String' | 'Number' | 'Boolean' | 'Date' | 'Buffer';

export interface ColumnTypeInput {
  /** The `type` option, or the design type when none is given. */
  type: string | DesignType;
  designType?: DesignType;
  length?: string | number;
  precision?: number;
  scale?: number;
  enum?: string[];
}

export interface TypeOrmDriver {
  readonly name: string;
  /** The SQL type of a column. */
  columnType(input: ColumnTypeInput): string;
  /** A `default` option as TypeORM writes it, or undefined for none. */
  defaultValue(value: unknown): string | undefined;
  /** The type and default TypeORM gives special columns. */
  special: {
    createDate: { type: string; default: string };
    updateDate: { type: string; default: string };
    deleteDate: { type: string };
    version: { type: string };
  };
  /** Types the driver accepts (after normalisation); others are an error, as in TypeORM. */
  supportsType(type: string): boolean;
  /** Enum columns get a CHECK (column IN (...)) constraint. */
  enumCheck: boolean;
}

const SQLITE_TYPES = new Set([
  'int', 'integer', 'tinyint', 'smallint', 'mediumint', 'bigint', 'unsigned big int', 'int2', 'int8', 'character', 'varchar',
  'varying character', 'nchar', 'native character', 'nvarchar', 'text', 'clob', 'blob', 'real', 'double', 'double precision',
  'float', 'numeric', 'decimal', 'boolean', 'date', 'time', 'datetime', 'json', 'jsonb',
]);

function sqliteNormalize(type: string): string {
  switch (type) {
    case 'Number':
    case 'int':
      return 'integer';
    case 'String':
    case 'uuid':
    case 'simple-enum':
      return 'varchar';
    case 'Date':
      return 'datetime';
    case 'Boolean':
      return 'boolean';
    case 'Buffer':
      return 'blob';
    case 'simple-array':
    case 'simple-json':
      return 'text';
    default:
      return type;
  }
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export const sqliteTypeOrm: TypeOrmDriver = {
  name: 'sqlite',
  columnType(input) {
    if (input.enum) return 'varchar';
    let type = sqliteNormalize(input.type);
    if (input.length !== undefined && input.length !== '') type += `(${input.length})`;
    else if (input.precision !== undefined && input.scale !== undefined) type += `(${input.precision},${input.scale})`;
    else if (input.precision !== undefined) type += `(${input.precision})`;
    return type;
  },
  defaultValue(value) {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'string') return quote(value);
    if (Array.isArray(value)) return quote(value.join(','));
    return quote(JSON.stringify(value));
  },
  special: {
    createDate: { type: 'datetime', default: "datetime('now')" },
    updateDate: { type: 'datetime', default: "datetime('now')" },
    deleteDate: { type: 'datetime' },
    version: { type: 'integer' },
  },
  supportsType: (type) => SQLITE_TYPES.has(sqliteNormalize(type)),
  enumCheck: true,
};

export function typeOrmDriver(dialect: string): TypeOrmDriver {
  if (dialect === 'sqlite') return sqliteTypeOrm;
  throw new Error(`TypeORM entities are not supported on ${dialect} yet`);
}
