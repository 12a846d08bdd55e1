/**
 * TypeORM's mysql driver (DataSource types `mysql` and `mariadb`): its column types, lengths,
 * defaults and special columns, as MysqlDriver's normalizeType, getColumnLength, createFullType
 * and normalizeDefault write them.
 *
 * What the driver decides by the server's version is taken as on MySQL: `uuid` is varchar(36)
 * (TypeORM's `mariadb` type on MariaDB 10.7 and later makes MariaDB's own `uuid` type instead,
 * which the DataSource reader follows: see fitMysqlModels),
 * and `json` is json (MariaDB keeps it as longtext with a json_valid check, which the dialect
 * reads back as json).
 */
import { quoteMysqlIdentifier, quoteMysqlLiteral } from '../../../dialects/mysql/quote.js';
import { MigratorError, messageOf } from '../../../errors.js';
import { unwritableDefault, type ColumnTypeInput, type DescribedColumnInput, type DescribedColumnParts, type TypeOrmDriver } from './driver.js';

/** MysqlDriver.normalizeType: the type TypeORM writes for a declared one. */
const MYSQL_NORMAL: Record<string, string> = {
  Number: 'int',
  integer: 'int',
  String: 'varchar',
  Date: 'datetime',
  Buffer: 'blob',
  Boolean: 'tinyint',
  bool: 'tinyint',
  boolean: 'tinyint',
  uuid: 'varchar',
  'simple-array': 'text',
  'simple-json': 'text',
  'simple-enum': 'enum',
  'double precision': 'double',
  real: 'double',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  nvarchar: 'varchar',
  'national varchar': 'varchar',
  nchar: 'char',
  'national char': 'char',
};

/** MysqlDriver.supportedDataTypes, which the normalised type must be one of (EntityMetadataValidator). */
const MYSQL_SUPPORTED = new Set([
  'bit', 'int', 'integer', 'tinyint', 'smallint', 'mediumint', 'bigint', 'float', 'double', 'double precision', 'real', 'decimal',
  'dec', 'numeric', 'fixed', 'bool', 'boolean', 'date', 'datetime', 'timestamp', 'time', 'year', 'char', 'nchar', 'national char',
  'varchar', 'nvarchar', 'national varchar', 'blob', 'text', 'tinyblob', 'tinytext', 'mediumblob', 'mediumtext', 'longblob',
  'longtext', 'enum', 'set', 'binary', 'varbinary', 'json', 'geometry', 'point', 'linestring', 'polygon', 'multipoint',
  'multilinestring', 'multipolygon', 'geometrycollection', 'vector', 'inet4', 'inet6',
]);

/** MysqlDriver.withLengthColumnTypes: the only (normalised) types TypeORM lets have a `length`. */
const WITH_LENGTH = new Set(['char', 'varchar', 'nvarchar', 'binary', 'varbinary', 'vector']);

/** Types whose values the column lists: `enum('a','b')`, `set('a','b')`. */
const LISTED = new Set(['enum', 'set']);

/**
 * The length TypeORM gives a column that declares none (MysqlDriver.getColumnLength, applied to
 * the normalised column as createFullType sees it): 36 for a generated uuid key and for a column
 * that refers to a uuid column, 255 for varchar and varbinary.
 */
function defaultLength(type: string, input: ColumnTypeInput): string | undefined {
  if (input.generation === 'uuid' || (input.reference && input.type === 'uuid')) return '36';
  if (type === 'varchar' || type === 'varbinary') return '255';
  return undefined;
}

/**
 * MysqlDriver.createFullType: the type with its length, else (TypeORM 0.3) its width, else its
 * precision and scale (a scale alone is dropped).
 */
function fullType(type: string, input: ColumnTypeInput): string {
  const length = input.length !== undefined && input.length !== '' && input.length !== 0 ? String(input.length) : defaultLength(type, input);
  if (length) return `${type}(${length})`;
  if (input.width) return `${type}(${input.width})`;
  if (input.precision !== undefined && input.scale !== undefined) return `${type}(${input.precision},${input.scale})`;
  if (input.precision !== undefined) return `${type}(${input.precision})`;
  return type;
}

/** The values of an enum or set column: `('a','b')`, each a MySQL literal (a backslash doubled, as MySQL reads one). */
const valueList = (values: readonly string[]): string => `(${values.map(quoteMysqlLiteral).join(',')})`;

/**
 * MysqlDriver.normalizeDatetimeFunction (as the `mysql` type writes it): NOW() and
 * CURRENT_TIMESTAMP() are CURRENT_TIMESTAMP, a precision stays; anything else is as written.
 * `anywhere` (TypeORM before 1.0): any text that mentions CURRENT_TIMESTAMP or NOW, in any case
 * and anywhere, is CURRENT_TIMESTAMP with the first precision in it — so
 * `CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)` is `CURRENT_TIMESTAMP(6)`, its ON UPDATE
 * dropped (the `mariadb` type writes `CURRENT_TIMESTAMP()` for none, which the server stores alike).
 */
export function mysqlDatetimeFunction(value: string, anywhere = false): string {
  if (anywhere) {
    if (!value) return value;
    const upper = value.toUpperCase();
    if (!upper.includes('CURRENT_TIMESTAMP') && !upper.includes('NOW')) return value;
    const precision = /\(\d+\)/.exec(value);
    return precision ? `CURRENT_TIMESTAMP${precision[0]}` : 'CURRENT_TIMESTAMP';
  }
  const m = /^(CURRENT_TIMESTAMP|NOW)(\(\d*\))?$/.exec(value.trim().toUpperCase());
  if (!m) return value;
  const precision = m[2] ?? '';
  return precision === '()' ? 'CURRENT_TIMESTAMP' : `CURRENT_TIMESTAMP${precision}`;
}

/**
 * MysqlDriver.normalizeDefault: strings (and any value of an enum column) quoted, numbers quoted
 * and written with the column's scale (`toFixed(scale)`; a fraction on a column without a scale,
 * which TypeORM would round to an integer, is refused), booleans 1 and 0, a set's values joined by commas. TypeORM puts a string
 * between quotes as it is; here it is a MySQL literal — quotes and backslashes doubled — so that
 * it parses and the default is the string the entity gives.
 */
export function mysqlDefaultValue(value: unknown, column: { type: string; scale?: number }): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (column.type === 'set' && Array.isArray(value)) return quoteMysqlLiteral(value.map(String).join(','));
  if (typeof value === 'string' || column.type === 'enum' || column.type === 'simple-enum') return quoteMysqlLiteral(String(value));
  if (typeof value === 'number') {
    if (column.scale === undefined && !Number.isInteger(value)) {
      throw new MigratorError(
        `default ${value}: TypeORM's mysql driver writes a number to the column's scale, and this column has none, so the default would be '${value.toFixed()}'; give the column a scale, or the default as a string ('${value}')`,
      );
    }
    return quoteMysqlLiteral(value.toFixed(column.scale));
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new MigratorError(
    `default ${JSON.stringify(value)}: TypeORM's mysql driver writes a default that is not a string, number or boolean as \`${String(value)}\`, which MySQL does not take; give an SQL expression, e.g. default: () => "('[]')"`,
  );
}

/** The SQL type of a column on TypeORM's mysql driver; undefined where TypeORM refuses it. */
export function mysqlColumnType(input: ColumnTypeInput): string | undefined {
  // MySQL has no array columns: TypeORM would write `… array`, which MySQL does not parse.
  if (input.array) return undefined;
  const type = MYSQL_NORMAL[input.type] ?? input.type;
  if (!MYSQL_SUPPORTED.has(type)) return undefined;
  const hasLength = input.length !== undefined && input.length !== '' && input.length !== 0;
  if (hasLength && !WITH_LENGTH.has(type)) return undefined;
  if (LISTED.has(type)) {
    // TypeORM writes the type, then the values; a column without values is refused.
    return input.enum?.length ? `${type}${valueList(input.enum)}` : undefined;
  }
  // Values on a column of another type: TypeORM writes `varchar(255) ('a', 'b')`, which MySQL refuses.
  if (input.enum) return undefined;
  // TypeORM's mysql driver writes UNSIGNED after the type.
  return `${fullType(type, input)}${input.unsigned ? ' unsigned' : ''}`;
}

/** A DataSource column on TypeORM's mysql driver: enum and set values in the type, AUTO_INCREMENT keys. */
function describedColumn({ column: c, where, spelled, fail }: DescribedColumnInput): DescribedColumnParts {
  if (c.array) fail(`${where} is an array column, which MySQL does not have; remove array`);
  const parts: DescribedColumnParts = { type: '' };
  if (LISTED.has(c.type)) {
    const values = c.enum ?? [];
    if (!values.length) fail(`${where} is ${c.type} without values; give them (enum: [...])`);
    parts.type = `${c.type}${valueList(values)}`;
  } else parts.type = `${spelled()}${c.unsigned ? ' unsigned' : ''}`;
  // TypeORM's mysql driver makes only 'increment' AUTO_INCREMENT; 'identity' and 'rowid' are plain columns.
  if (c.generated === 'increment') parts.autoincrement = true;
  // TypeORM writes a number to the column's scale: a fraction it would round away is refused, as the static reader refuses it.
  if (c.defaultNumber !== undefined) {
    try {
      mysqlDefaultValue(c.defaultNumber, { type: c.type, ...(c.scale !== undefined ? { scale: c.scale } : {}) });
    } catch (error) {
      fail(`${where}: ${messageOf(error)}`);
    }
  }
  return parts;
}

export const mysqlTypeOrm: TypeOrmDriver = {
  name: 'mysql',
  title: 'MySQL',
  charset: 'collation',
  generatedColumns: 'virtual or stored',
  maxAliasLength: 63,
  lengthTypes: new Set(['char', 'varchar', 'nvarchar', 'binary', 'varbinary', 'vector']),
  columnType(input) {
    const type = mysqlColumnType(input);
    return type === undefined ? undefined : { type };
  },
  defaultValue: (value, column) => mysqlDefaultValue(value, column),
  // TypeORM's mysql driver writes a falsy value as it is, and reads any other as SQL text.
  defaultFunction: (value, rules) => {
    if (typeof value === 'string') return mysqlDatetimeFunction(value, rules?.datetimeFunctionAnywhere ?? false);
    if (value === null || value === undefined) return undefined;
    if (!value) return String(value);
    throw unwritableDefault(value, 'mysql');
  },
  // mappedDataTypes: datetime with precision 6 (unless given), CURRENT_TIMESTAMP(6), which is also
  // the update date's ON UPDATE.
  onUpdate: true,
  special: {
    createDate: { type: 'datetime', default: 'CURRENT_TIMESTAMP(6)', precision: 6 },
    updateDate: { type: 'datetime', default: 'CURRENT_TIMESTAMP(6)', precision: 6 },
    deleteDate: { type: 'datetime', precision: 6 },
    version: { type: 'int' },
  },
  extensionOf: () => undefined,
  // TypeORM generates uuid keys in the application: the column has no default.
  uuid: {},
  identity: 'autoincrement',
  increments: 'a key',
  numbers: /^(?:tinyint|smallint|mediumint|int|integer|bigint|float|double|real)\b/,
  numbersTitle: 'an integer or floating-point type',
  checks: false,
  partialIndexes: false,
  uniqueIndexes: true,
  enumCheck: (column, values) => `${quoteMysqlIdentifier(column)} IN (${values.map(quoteMysqlLiteral).join(',')})`,
  dataSource: {
    types: ['mysql', 'mariadb'],
    typeOption: "type: 'mysql'",
    // As `mysql`: a `mariadb` DataSource not connected reads no server version, and would make json longtext.
    buildOptions: { type: 'mysql' },
    searchSchema: false,
    extensions: false,
    fullType: (full) => full,
    column: describedColumn,
    tableProblem: () => undefined,
    // TypeORM's mysql query runner writes SPATIAL and FULLTEXT and ignores an index `type`.
    indexMethod: (ix) =>
      ix.parser !== undefined
        ? { problem: `is a fulltext index WITH PARSER ${ix.parser}, which migrator's schema cannot describe; remove parser` }
        : { using: ix.spatial ? 'spatial' : ix.fulltext ? 'fulltext' : undefined },
  },
};
