/**
 * The models' schema as MySQL will hold it: a unique constraint is a unique index (MySQL keeps no
 * other kind, and names an unnamed one after its first column), and the primary key is always
 * called PRIMARY. Names longer than MySQL's 64 characters are an error naming them.
 */
import { MigratorError } from '../../errors.js';
import type { Schema, Table } from '../../schema/schema.js';
import type { Connection } from '../dialect.js';
import { recordOf } from './table-record.js';

const MAX_NAME = 64;

/** MySQL's name for an unnamed unique key: its first column, then `_2`, `_3` … while taken. */
function freeName(table: Table, column: string): string {
  const taken = new Set(table.indexes.map((i) => i.name));
  if (!taken.has(column)) return column;
  for (let n = 2; ; n++) if (!taken.has(`${column}_${n}`)) return `${column}_${n}`;
}

/** Whether the server has MariaDB's own `uuid` type (10.7 and later). */
export function hasMariadbUuid(version: string | undefined): boolean {
  const m = version && /^(\d+)\.(\d+)\.\d+-MariaDB/i.exec(version);
  return !!m && (Number(m[1]) > 10 || (Number(m[1]) === 10 && Number(m[2]) >= 7));
}

/**
 * The models' schema as MySQL will hold it, and as TypeORM's `mariadb` driver builds it on the
 * server compared with: `uuid` columns of MariaDB's own type from 10.7 on (table-record.ts).
 */
export function fitMysqlModels(schema: Schema, _workSchema?: string, conn?: Connection): void {
  const uuid = hasMariadbUuid(conn?.serverVersion);
  const long: string[] = [];
  const check = (what: string, name: string | undefined): void => {
    if (name !== undefined && name.length > MAX_NAME) long.push(`${what} "${name}" (${name.length} characters)`);
  };
  for (const table of schema.tables) {
    check('table', table.name);
    const marked = recordOf(table)?.mariadbUuid;
    if (marked) {
      if (uuid) for (const c of table.columns) if (marked.includes(c.name)) c.type = 'uuid';
      delete table.native;
    }
    for (const c of table.columns) check(`column ${table.name}.`, c.name);
    if (table.primaryKey) delete table.primaryKey.name;
    for (const u of table.uniques) {
      const covered = table.indexes.some((i) => i.unique && JSON.stringify(i.columns) === JSON.stringify(u.columns));
      if (!covered) table.indexes.push({ name: u.name ?? freeName(table, u.columns[0]), columns: [...u.columns], unique: true });
    }
    table.uniques = [];
    for (const i of table.indexes) check(`index ${table.name}.`, i.name);
    for (const f of table.foreignKeys) check(`foreign key ${table.name}.`, f.name);
    for (const c of table.checks) check(`check ${table.name}.`, c.name);
  }
  if (long.length) {
    throw new MigratorError(`MySQL names are at most ${MAX_NAME} characters; the models have longer ones: ${long.join(', ')}. Give them shorter names`);
  }
}
