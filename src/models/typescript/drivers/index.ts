/** TypeORM's driver rules for each dialect, by the dialect's name. */
import type { TypeOrmDriver } from './driver.js';
import { postgresTypeOrm } from './postgres.js';
import { sqliteTypeOrm } from './sqlite.js';

export type { ColumnTypeInput, ColumnTypeResult, DesignType, TypeOrmDriver } from './driver.js';

const DRIVERS: readonly TypeOrmDriver[] = [sqliteTypeOrm, postgresTypeOrm];

export function typeOrmDriver(dialect: string): TypeOrmDriver {
  const driver = DRIVERS.find((d) => d.name === dialect);
  if (!driver) throw new Error(`TypeORM entities are not supported on ${dialect}`);
  return driver;
}
