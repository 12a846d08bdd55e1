/**
 * Reads a MySQL or MariaDB database into the neutral Schema from information_schema: tables,
 * columns, indexes, foreign keys and checks, one query each, for the connection's database.
 */
import { MigratorError } from '../../errors.js';
import { emptyTable, type ForeignKeyAction, type Index, type IndexKey, type Schema, type Table } from '../../schema/schema.js';
import { setKeyIndexes } from './table-record.js';
import { quoteMysqlLiteral } from './quote.js';

/** What the introspector needs of a connection. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** MariaDB and MySQL report defaults and checks differently. */
export type Flavor = 'mariadb' | 'mysql';

const TABLES = `
SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
ORDER BY TABLE_NAME`;

const COLUMNS = `
SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable,
       COLUMN_DEFAULT AS def, EXTRA AS extra, COLUMN_COMMENT AS comment, COLLATION_NAME AS collation,
       GENERATION_EXPRESSION AS generation
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, ORDINAL_POSITION`;

/** MySQL 8 keeps a functional key part's expression (its column is NULL); MariaDB has none. */
const INDEXES = (flavor: Flavor): string => `
SELECT TABLE_NAME AS tableName, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS columnName,
       SUB_PART AS subPart, INDEX_TYPE AS indexType, COLLATION AS collation, ${flavor === 'mysql' ? 'EXPRESSION' : 'NULL'} AS expression
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

const FOREIGN_KEYS = `
SELECT k.TABLE_NAME AS tableName, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS columnName,
       k.REFERENCED_TABLE_NAME AS refTable, k.REFERENCED_COLUMN_NAME AS refColumn,
       r.UPDATE_RULE AS onUpdate, r.DELETE_RULE AS onDelete
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

/** MariaDB names a check per table (and keeps the table's name with it); MySQL per database. */
const CHECKS: Record<Flavor, string> = {
  mariadb: `
SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause, LEVEL AS level
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
  mysql: `
SELECT tc.TABLE_NAME AS tableName, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause, 'Table' AS level
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'
ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME`,
};

interface ColumnRow {
  tableName: string;
  name: string;
  type: string;
  nullable: string;
  def: string | null;
  extra: string;
  comment: string;
  collation: string | null;
  generation: string | null;
}

const ACTIONS: Record<string, ForeignKeyAction> = {
  'NO ACTION': 'NO ACTION',
  RESTRICT: 'RESTRICT',
  CASCADE: 'CASCADE',
  'SET NULL': 'SET NULL',
  'SET DEFAULT': 'SET DEFAULT',
};

/** Numeric column types, whose defaults MySQL reports without quotes. */
const NUMERIC = /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit|bool)/i;

/**
 * A column's default as SQL: MariaDB reports it as SQL already (`'text'`, `NULL` for none,
 * `current_timestamp()`); MySQL reports a literal's value bare and marks an expression
 * DEFAULT_GENERATED.
 */
function defaultOf(row: ColumnRow, flavor: Flavor): string | undefined {
  if (row.def === null) return undefined;
  if (flavor === 'mariadb') return row.def === 'NULL' ? undefined : row.def;
  if (/DEFAULT_GENERATED/i.test(row.extra)) return /^current_timestamp/i.test(row.def) ? row.def : `(${row.def})`;
  if (NUMERIC.test(row.type) && /^-?[\d.]+(e[-+]?\d+)?$/i.test(row.def)) return row.def;
  return quoteMysqlLiteral(row.def);
}

/**
 * A generated column's expression as the server reports it. MySQL 8 escapes the quotes of its
 * string literals and marks each with its character set (`_utf8mb4\\'x\\'`); MariaDB reports SQL.
 */
function generationOf(text: string, flavor: Flavor): string {
  if (flavor === 'mariadb') return text;
  return text.replace(/_[a-z0-9]+\\'((?:[^\\]|\\[^'])*)\\'/g, (_m, body: string) => `'${body}'`);
}

/** The ON UPDATE clause EXTRA reports (`on update current_timestamp()`), if any. */
function onUpdateOf(extra: string): string | undefined {
  const m = /on update (\S+(?:\(\d*\))?)/i.exec(extra);
  return m ? m[1].toUpperCase() : undefined;
}

export async function introspectMysql(conn: Queryable, flavor: Flavor, exclude: readonly string[]): Promise<Schema> {
  const [tables, columns, indexes, fks, checks] = await Promise.all([
    conn.query<{ name: string; comment: string; collation: string | null }>(TABLES),
    conn.query<ColumnRow>(COLUMNS),
    conn.query<{ tableName: string; name: string; nonUnique: number | string; columnName: string | null; subPart: number | null; indexType: string; collation: string | null; expression: string | null }>(INDEXES(flavor)),
    conn.query<{ tableName: string; name: string; columnName: string; refTable: string; refColumn: string; onUpdate: string; onDelete: string }>(FOREIGN_KEYS),
    conn.query<{ tableName: string; name: string; clause: string; level: string }>(CHECKS[flavor]),
  ]);
  const skip = new Set(exclude);
  const byName = new Map<string, Table>();
  const collations = new Map<string, string | null>();
  for (const t of tables) {
    if (skip.has(t.name)) continue;
    const table = emptyTable(t.name);
    if (t.comment) table.comment = t.comment;
    if (t.collation) table.collation = t.collation;
    byName.set(t.name, table);
    collations.set(t.name, t.collation);
  }
  for (const row of columns) {
    const table = byName.get(row.tableName);
    if (!table) continue;
    // A generated column: VIRTUAL or STORED GENERATED in EXTRA. Its NULL or NOT NULL is not
    // managed (MariaDB takes neither): it reads as nullable.
    const generated = /\b(virtual|stored|persistent) generated\b/i.exec(row.extra);
    const def = generated ? undefined : defaultOf(row, flavor);
    const onUpdate = onUpdateOf(row.extra);
    table.columns.push({
      name: row.name,
      type: row.type,
      nullable: row.nullable === 'YES' || !!generated,
      ...(def !== undefined ? { default: def } : {}),
      ...(generated && row.generation ? { generated: generationOf(row.generation, flavor), ...(/^virtual$/i.test(generated[1]) ? { virtual: true as const } : {}) } : {}),
      ...(/auto_increment/i.test(row.extra) ? { autoincrement: true } : {}),
      ...(row.comment ? { comment: row.comment } : {}),
      ...(onUpdate ? { onUpdate } : {}),
      // Only where it is not the table's: a column that names none has the table's.
      ...(row.collation && row.collation !== collations.get(row.tableName) ? { collation: row.collation } : {}),
    });
  }
  // Foreign keys first: MySQL makes an index of a foreign key's name for it when none serves.
  for (const row of fks) {
    const table = byName.get(row.tableName);
    if (!table) continue;
    let fk = table.foreignKeys.find((f) => f.name === row.name);
    if (!fk) {
      fk = { name: row.name, columns: [], referencedTable: row.refTable, referencedColumns: [], onDelete: ACTIONS[row.onDelete] ?? 'NO ACTION', onUpdate: ACTIONS[row.onUpdate] ?? 'NO ACTION' };
      table.foreignKeys.push(fk);
    }
    fk.columns.push(row.columnName);
    fk.referencedColumns.push(row.refColumn);
  }
  for (const row of indexes) {
    const table = byName.get(row.tableName);
    if (!table) continue;
    if (row.columnName === null && !row.expression) {
      throw new MigratorError(`table ${row.tableName}: index ${row.name} has a key part that is neither a column nor an expression the server reports; migrator cannot read it`);
    }
    // MariaDB reports 32 as the SUB_PART of a SPATIAL index's key (its bounding box), which no DDL
    // can state: a spatial key takes no prefix.
    const subPart = row.indexType.toUpperCase() === 'SPATIAL' ? null : row.subPart;
    const key: IndexKey =
      row.columnName === null
        ? { expression: row.expression!, ...(row.collation === 'D' ? { order: 'desc' as const } : {}) }
        : subPart !== null || row.collation === 'D'
          ? { column: row.columnName, ...(subPart !== null ? { length: Number(subPart) } : {}), ...(row.collation === 'D' ? { order: 'desc' as const } : {}) }
          : row.columnName;
    if (row.name === 'PRIMARY') {
      table.primaryKey ??= { columns: [] };
      table.primaryKey.columns.push(row.columnName ?? '');
      continue;
    }
    let index = table.indexes.find((i) => i.name === row.name);
    if (!index) {
      const type = row.indexType.toLowerCase();
      index = { name: row.name, columns: [], unique: Number(row.nonUnique) === 0, ...(type !== 'btree' ? { using: type } : {}) };
      table.indexes.push(index);
    }
    index.columns.push(key);
  }
  for (const table of byName.values()) {
    // The index MySQL made for a foreign key is the key's own, not the model's (table-record.ts).
    const own = (i: Index): boolean => table.foreignKeys.some((f) => f.name === i.name && !i.unique && JSON.stringify(f.columns) === JSON.stringify(i.columns));
    setKeyIndexes(table, table.indexes.filter(own).map((i) => i.name));
    table.indexes = table.indexes.filter((i) => !own(i));
  }
  for (const row of checks) {
    const table = byName.get(row.tableName);
    if (!table) continue;
    // MariaDB's JSON is LONGTEXT with a column check json_valid(`column`) named after it.
    const json = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(row.clause.trim());
    if (json && row.level === 'Column' && json[1].replace(/``/g, '`') === row.name) {
      const column = table.columns.find((c) => c.name === row.name);
      if (column && /^longtext$/i.test(column.type)) {
        column.type = 'json';
        delete column.collation;
        continue;
      }
    }
    table.checks.push({ name: row.name, expression: row.clause });
  }
  return { tables: [...byName.values()] };
}
