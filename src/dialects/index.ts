/** The dialects, by the name a database URL gives. */
import { MigratorError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './postgres/index.js';
import { sqliteDialect } from './sqlite/index.js';

const DIALECTS: Record<string, Dialect> = { sqlite: sqliteDialect, postgres: postgresDialect };

export function dialectNamed(name: string): Dialect {
  const dialect = DIALECTS[name];
  if (!dialect) throw new MigratorError(`no dialect named "${name}"; use a sqlite: or postgres:// URL`);
  return dialect;
}
