/** The dialects, by the name a database URL gives. */
import { MigratorError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { sqliteDialect } from './sqlite/index.js';

export function dialectNamed(name: string): Dialect {
  if (name === 'sqlite') return sqliteDialect;
  throw new MigratorError(`the ${name} dialect is not available in this version of migrator; use a sqlite: URL`);
}
