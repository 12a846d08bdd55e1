/**
 * The models' schema as MySQL will hold it: a unique constraint is a unique index (MySQL keeps no
 * other kind, and names an unnamed one after its first column), and the primary key is always
 * called PRIMARY. Names longer than MySQL's 64 characters are an error naming them.
 */
import { MigratorError } from '../../errors.js';
import type { Schema, Table } from '../../schema/schema.js';

const MAX_NAME = 64;

/** MySQL's name for an unnamed unique key: its first column, then `_2`, `_3` … while taken. */
function freeName(table: Table, column: string): string {
  const taken = new Set(table.indexes.map((i) => i.name));
  if (!taken.has(column)) return column;
  for (let n = 2; ; n++) if (!taken.has(`${column}_${n}`)) return `${column}_${n}`;
}

export function fitMysqlModels(schema: Schema): void {
  const long: string[] = [];
  const check = (what: string, name: string | undefined): void => {
    if (name !== undefined && name.length > MAX_NAME) long.push(`${what} "${name}" (${name.length} characters)`);
  };
  for (const table of schema.tables) {
    check('table', table.name);
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
