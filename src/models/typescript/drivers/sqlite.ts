/** TypeORM's SQLite drivers (sqlite, better-sqlite3, sqljs…): their column types and defaults. */
import { quoteLiteral } from '../../../dialects/dialect.js';
import { json, standardEnumCheck, withSize, type TypeOrmDriver } from './driver.js';

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
    if (typeof value === 'string') return quoteLiteral(value);
    if (Array.isArray(value) && column.type === 'simple-enum') return quoteLiteral(value.join(','));
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
  enumCheck: standardEnumCheck,
};
