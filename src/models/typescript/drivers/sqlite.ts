/** TypeORM's SQLite drivers (sqlite, better-sqlite3, sqljs…): their column types and defaults. */
import { quoteLiteral } from '../../../dialects/dialect.js';
import { json, standardEnumCheck, withSize, type DescribedColumnInput, type DescribedColumnParts, type TypeOrmDriver } from './driver.js';

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

/** A DataSource column on TypeORM's SQLite drivers: enums as checked varchar, AUTOINCREMENT keys. */
function describedColumn({ column: c, where, primaryKey, spelled, fail }: DescribedColumnInput): DescribedColumnParts {
  const parts: DescribedColumnParts = { type: '' };
  if (c.enum) {
    // AbstractSqliteDriver.createFullType: any enum is varchar, checked inline unless an array.
    parts.type = 'varchar';
    if (!c.array) parts.enumCheck = c.enum;
  } else {
    parts.type = spelled();
    if (c.array) parts.type += ' array';
  }
  if (c.generated === 'increment') {
    if (!c.primary || primaryKey.length !== 1) fail(`${where} is generated ("increment") but is not the table's one primary key column, which SQLite's AUTOINCREMENT needs`);
    parts.autoincrement = true;
  }
  return parts;
}

export const sqliteTypeOrm: TypeOrmDriver = {
  name: 'sqlite',
  title: 'SQLite',
  charset: 'ignored',
  generatedColumns: 'none',
  lengthTypes: new Set(['character', 'varchar', 'varying character', 'nchar', 'native character', 'nvarchar', 'text', 'blob', 'clob']),
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
  // TypeORM's SQLite driver writes what the function returns as it is.
  defaultFunction: (value) => (value === null || value === undefined ? undefined : String(value)),
  special: {
    createDate: { type: 'datetime', default: "datetime('now')" },
    updateDate: { type: 'datetime', default: "datetime('now')" },
    deleteDate: { type: 'datetime' },
    version: { type: 'integer' },
  },
  uuid: {},
  identity: 'autoincrement',
  increments: 'the primary key',
  numbers: /^integer$/i,
  numbersTitle: 'integer',
  checks: true,
  partialIndexes: true,
  enumCheck: standardEnumCheck,
  dataSource: {
    // TypeORM 1.x has no driver named `sqlite`: the family is built as better-sqlite3 (the same types).
    types: ['better-sqlite3', 'sqlite', 'capacitor', 'cordova', 'expo', 'nativescript', 'react-native', 'sqljs'],
    typeOption: "type: 'better-sqlite3'",
    buildOptions: { type: 'better-sqlite3', database: ':memory:' },
    searchSchema: false,
    extensions: false,
    fullType: (fullType) => fullType,
    column: describedColumn,
    tableProblem: (t, entity) => (t.withoutRowid ? `${entity} is a WITHOUT ROWID table, which migrator's schema cannot describe; remove withoutRowid` : undefined),
    indexMethod: (ix) =>
      ix.spatial || ix.fulltext || ix.type ? { problem: `is a ${ix.spatial ? 'spatial' : ix.fulltext ? 'fulltext' : ix.type} index, which SQLite does not have; remove the option` } : { using: undefined },
  },
};
