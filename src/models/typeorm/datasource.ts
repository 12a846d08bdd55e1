/** A TypeORM DataSource file as a model source: TypeORM's own metadata, read without connecting. */
import { MigratorError } from '../../errors.js';
import type { Schema } from '../../schema/schema.js';

export interface DataSourceReadOptions {
  namingStrategy?: object;
}

export async function readDataSource(file: string, _dialect: string, _options: DataSourceReadOptions = {}): Promise<Schema> {
  throw new MigratorError(`${file}: reading a TypeORM DataSource is not available yet`);
}
