/**
 * How TypeORM's driver for a database turns a column's declared type and default into SQL. A
 * model read for SQLite describes what TypeORM's SQLite driver would create; one read for
 * PostgreSQL, what its postgres driver would. One file per dialect in this folder.
 */
import type { EnumType } from '../../../schema/schema.js';
import type { DescribedColumn, DescribedIndex, DescribedTable } from '../../typeorm/description.js';
import { quoteIdentifier, quoteLiteral } from '../../../dialects/dialect.js';
import { MigratorError } from '../../../errors.js';
import type { TypeOrmRules } from '../typeorm-version.js';

/** A property's TypeScript type, as `emitDecoratorMetadata` would report it. */
export type DesignType = 'String' | 'Number' | 'Boolean' | 'Date' | 'Buffer';

/** What a default function may return: SQL text, or a value TypeORM's drivers write as it is. */
export type DefaultFunctionResult = string | number | boolean | null | undefined;

/** The error for a default function's value that TypeORM's `driver` fails on. */
export function unwritableDefault(value: DefaultFunctionResult, driver: string): MigratorError {
  return new MigratorError(`a default function returning ${JSON.stringify(value) ?? 'undefined'} fails in TypeORM's ${driver} driver, which takes SQL text from it; return a string, e.g. () => '${String(value)}'`);
}

export interface ColumnTypeInput {
  /** The `type` option, or the design type when none is given. */
  type: string | DesignType;
  length?: string | number;
  /**
   * TypeORM 0.3's `width` (a MySQL integer's display width), given only where the project's
   * TypeORM writes it; a join or junction column takes it from the column it refers to.
   */
  width?: number;
  precision?: number;
  scale?: number;
  array?: boolean;
  enum?: string[];
  enumName?: string;
  /** Table and column name: PostgreSQL names enum types after them. */
  table: string;
  column: string;
  /** MySQL's UNSIGNED (a join column takes it from the column it refers to, as in TypeORM). */
  unsigned?: boolean;
  /** PostGIS's feature type and SRID of a geometry or geography column (`geography(Point,4326)`); other drivers ignore them. */
  spatialFeatureType?: string;
  srid?: number;
  /** How the column is generated (@PrimaryGeneratedColumn); MySQL's uuid keys are varchar(36). */
  generation?: 'increment' | 'uuid' | 'identity' | 'rowid';
  /**
   * A join or junction column, typed after the column it refers to: on MySQL one that refers to
   * a uuid column is varchar(36).
   */
  reference?: boolean;
}

export interface ColumnTypeResult {
  type: string;
  /** An enum type the column needs (PostgreSQL). */
  enumType?: EnumType;
  /** A CHECK (column IN (...)) the column needs (SQLite's enums). */
  enumCheck?: string[];
}

export interface TypeOrmDriver {
  /** The dialect's name. */
  readonly name: string;
  /** The database's name in prose (`PostgreSQL`). */
  readonly title: string;
  /** The SQL type of a column; undefined when TypeORM rejects the type on this driver. */
  columnType(input: ColumnTypeInput): ColumnTypeResult | undefined;
  /** A `default` option as TypeORM's driver writes it (`normalizeDefault`), or undefined for none. */
  defaultValue(value: unknown, column: { array: boolean; type: string; scale?: number }): string | undefined;
  /**
   * A default given as a function (`() => 'CURRENT_TIMESTAMP'`), as TypeORM writes what it returns;
   * undefined for none. A MigratorError where TypeORM's driver fails on the value (a number where
   * it expects SQL text). `rules`: the project's TypeORM version's (the newest's when not given).
   */
  defaultFunction(value: DefaultFunctionResult, rules?: TypeOrmRules): string | undefined;
  /** The type, default and precision (when none is given) TypeORM gives special columns. */
  special: {
    createDate: { type: string; default: string; precision?: number };
    updateDate: { type: string; default: string; precision?: number };
    deleteDate: { type: string; precision?: number };
    version: { type: string };
  };
  /**
   * The driver writes a column's `onUpdate` (MySQL's ON UPDATE clause); an @UpdateDateColumn gets
   * the update date's default there. TypeORM's other drivers leave the option out of their SQL.
   */
  readonly onUpdate?: boolean;
  /**
   * What a column's `charset` option makes, which TypeORM writes as CHARACTER SET or leaves out:
   * nothing (`ignored`: PostgreSQL takes the clause and ignores it, SQLite's driver leaves it out),
   * or the column's collation (`collation`: MySQL gives the column the character set's default
   * collation, which a `collation` option states exactly).
   */
  readonly charset: 'ignored' | 'collation';
  /**
   * The generated columns (`asExpression`) the driver writes: PostgreSQL's are all stored (TypeORM
   * writes a plain column without `generatedType: 'STORED'`); MySQL's are VIRTUAL unless STORED,
   * and keep no NULL or NOT NULL (MariaDB takes neither, so TypeORM writes none there): they are
   * read as nullable. None: migrator does not write them on that database.
   */
  readonly generatedColumns: 'stored' | 'virtual or stored' | 'none';
  /** The types TypeORM's driver takes a `length` for (`withLengthColumnTypes`), as the column's SQL type names them. */
  readonly lengthTypes: ReadonlySet<string>;
  /** TypeORM's `maxAliasLength`: a junction table's name longer than it is shortened (see junctionTableName). */
  readonly maxAliasLength?: number;
  /** The extension TypeORM's driver installs for a column of this type (PostgreSQL `citext`). */
  extensionOf(type: string): string | undefined;
  /** The default of `@PrimaryGeneratedColumn('uuid')`, and the extension it needs. */
  uuid: { default?: string; extension?: string };
  /** How `@PrimaryGeneratedColumn('identity')` is built. */
  identity: 'autoincrement' | 'identity';
  /**
   * Which columns the database numbers, where TypeORM's CREATE TABLE writes `@Generated('increment')`
   * as it stands: any column (PostgreSQL's SERIAL), a key (MySQL's AUTO_INCREMENT), or the primary
   * key alone (SQLite's AUTOINCREMENT).
   */
  increments: 'any column' | 'a key' | 'the primary key';
  /**
   * The column types (as the driver spells them) the database numbers: serial's on PostgreSQL,
   * MySQL's integers and floats, SQLite's INTEGER; on any other, TypeORM's CREATE TABLE fails.
   */
  numbers: RegExp;
  /** `numbers` in words, for messages. */
  numbersTitle: string;
  /** TypeORM builds @Check constraints (its MySQL driver never does). */
  checks: boolean;
  /** TypeORM builds an index's `where` (its MySQL driver leaves it out, though the name is hashed with it). */
  partialIndexes: boolean;
  /**
   * TypeORM's driver keeps unique constraints (`unique: true`, @Unique) as unique indexes, named
   * by the naming strategy's indexName (MySQL).
   */
  uniqueIndexes?: boolean;
  /**
   * The CHECK expression of a column limited to enum values (`enumCheck` of columnType), the
   * column's name quoted as the database quotes it.
   */
  enumCheck(column: string, values: readonly string[]): string;
  /** How a TypeORM DataSource of this database is read (models: { typeorm }). */
  readonly dataSource: DataSourceRules;
}

/** A DataSource's column, as TypeORM described it, and what converting it may call on. */
export interface DescribedColumnInput {
  column: DescribedColumn;
  table: DescribedTable;
  /** `Entity.property`, for messages. */
  where: string;
  /** The table's primary-key columns. */
  primaryKey: readonly string[];
  /** The type as the static entity reader spells it (without length, precision and scale when `withSize` is false). */
  spelled(withSize?: boolean): string;
  /** Records an enum type the column needs; an error when one of that name differs. */
  enumType(type: EnumType): void;
  /** The UUID generator TypeORM's driver would use (`uuid_generate_v4()`, `gen_random_uuid()`). */
  uuidGenerator?: string;
  fail(message: string): never;
}

/** The parts of a neutral column that depend on the database. */
export interface DescribedColumnParts {
  type: string;
  default?: string;
  autoincrement?: boolean;
  identity?: 'always' | 'by default';
  /** Values a CHECK (column IN (…)) limits the column to. */
  enumCheck?: string[];
}

/** What sets a database apart when a DataSource's metadata, as TypeORM built it, is read. */
export interface DataSourceRules {
  /** TypeORM's `type`s of DataSources whose tables live in this database. */
  readonly types: readonly string[];
  /** An example `type` option, for messages (`type: 'postgres'`). */
  readonly typeOption: string;
  /**
   * The options every DataSource of these types is built with instead of its own connection
   * options: one driver of the family, and nothing that would connect.
   */
  readonly buildOptions: Readonly<Record<string, unknown>>;
  /** The driver reads a schema from the connection (PostgreSQL's current_schema): it is set instead. */
  readonly searchSchema: boolean;
  /** TypeORM's driver installs extensions, which the models then hold. */
  readonly extensions: boolean;
  /** A type TypeORM's driver spells itself (`fullType`), as the database reports it. */
  fullType(fullType: string): string;
  /** The column's type, default and generation, as TypeORM's driver would build it. */
  column(input: DescribedColumnInput): DescribedColumnParts;
  /** Why a table cannot be described on this database; undefined when it can. */
  tableProblem(table: DescribedTable, entity: string): string | undefined;
  /** An index's method (`gist`), or why the database cannot have it. */
  indexMethod(index: DescribedIndex): { using?: string } | { problem: string };
}

/** A type with its length, or precision and scale, as TypeORM's drivers write it. */
export function withSize(type: string, input: ColumnTypeInput): string {
  if (input.length !== undefined && input.length !== '') return `${type}(${input.length})`;
  if (input.precision !== undefined && input.scale !== undefined) return `${type}(${input.precision},${input.scale})`;
  if (input.precision !== undefined) return `${type}(${input.precision})`;
  return type;
}

/** `"column" IN ('a','b')`, the name quoted as standard SQL quotes it. */
export function standardEnumCheck(column: string, values: readonly string[]): string {
  return `${quoteIdentifier(column)} IN (${values.map(quoteLiteral).join(',')})`;
}

/** JSON text of an object default, as TypeORM's drivers write it. */
export const json = (value: unknown): string => quoteLiteral(JSON.stringify(value));

/**
 * A string default of a date or time column that names the current time (`'now()'`,
 * `'CURRENT_TIMESTAMP'`, `'today'`): TypeORM writes it as a quoted literal, which PostgreSQL reads
 * once, when the column is made (every row then gets that moment, and the stored default never
 * compares with the model's again), and MySQL refuses. The message for it, or undefined.
 */
export function frozenTimeDefault(value: unknown, type: string): string | undefined {
  if (typeof value !== 'string' || !/date|time/i.test(type)) return undefined;
  if (!/^\s*(now|current_timestamp|current_date|current_time|localtimestamp|localtime|today|tomorrow|yesterday)\s*(\(\s*\d*\s*\))?\s*$/i.test(value)) return undefined;
  return `default '${value}' is a string, not the current time: the database reads it once, when the column is made, and gives every row that moment (PostgreSQL) or refuses it (MySQL); write default: () => '${value.trim()}' for the time of each insert`;
}

