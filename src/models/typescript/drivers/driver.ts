/**
 * How TypeORM's driver for a database turns a column's declared type and default into SQL. A
 * model read for SQLite describes what TypeORM's SQLite driver would create; one read for
 * PostgreSQL, what its postgres driver would. One file per dialect in this folder.
 */
import type { EnumType } from '../../../schema/schema.js';
import { quoteIdentifier, quoteLiteral } from '../../../dialects/dialect.js';

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
  /**
   * The CHECK expression of a column limited to enum values (`enumCheck` of columnType), the
   * column's name quoted as the database quotes it.
   */
  enumCheck(column: string, values: readonly string[]): string;
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

