/** TypeORM's driver rules for each dialect, by the dialect's name. */
import type { TypeOrmDriver } from './driver.js';
import { mysqlTypeOrm } from './mysql.js';
import { postgresTypeOrm } from './postgres.js';
import { sqliteTypeOrm } from './sqlite.js';

export type { ColumnTypeInput, ColumnTypeResult, DefaultFunctionResult, DesignType, TypeOrmDriver } from './driver.js';

const DRIVERS: readonly TypeOrmDriver[] = [sqliteTypeOrm, postgresTypeOrm, mysqlTypeOrm];

export function typeOrmDriver(dialect: string): TypeOrmDriver {
  const driver = DRIVERS.find((d) => d.name === dialect);
  if (!driver) throw new Error(`TypeORM entities are not supported on ${dialect}`);
  return driver;
}

/** Whether TypeORM entities are read for the dialect. */
export function hasTypeOrmDriver(dialect: string): boolean {
  return DRIVERS.some((d) => d.name === dialect);
}

/** The driver whose database a DataSource of this TypeORM `type` describes; undefined for other databases. */
export function driverOfType(type: unknown): TypeOrmDriver | undefined {
  return typeof type === 'string' ? DRIVERS.find((d) => d.dataSource.types.includes(type)) : undefined;
}

/** The databases DataSources are read for, in prose: `SQLite and PostgreSQL`. */
export function driverTitles(): string {
  const titles = DRIVERS.map((d) => d.title);
  return `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}

/**
 * The error for an option migrator's schema cannot describe, whichever entity reader meets it:
 * remove it from the entity and state it in a revision; the comparison leaves a column's
 * collation and character set to the database.
 */
export function undescribedOption(what: string): string {
  return `${what}, which migrator's schema cannot describe yet (by either entity reader); remove the option, and set it in a revision with op.execute — migrator leaves what the database has of it alone`;
}
