/**
 * A MySQL/MariaDB schema read from information_schema, in a form two databases can be compared
 * in: per table the comment, the columns (COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
 * COLUMN_COMMENT, COLLATION_NAME, in ORDINAL_POSITION order), the indexes (STATISTICS: name, uniqueness, kind,
 * key parts in order), the foreign keys (KEY_COLUMN_USAGE with REFERENTIAL_CONSTRAINTS) and the
 * checks (CHECK_CONSTRAINTS, as MariaDB reports them).
 */
import type { TestMysqlDatabase } from './mysql.ts';

export interface MysqlColumnShape {
  name: string;
  type: string;
  nullable: string;
  default: string | null;
  extra: string;
  comment: string;
  collation: string | null;
}

export interface MysqlIndexShape {
  name: string;
  unique: boolean;
  kind: string;
  columns: string[];
}

export interface MysqlForeignKeyShape {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onUpdate: string;
  onDelete: string;
}

export interface MysqlTableShape {
  comment: string;
  /** The table's default collation. */
  collation: string | null;
  columns: MysqlColumnShape[];
  indexes: MysqlIndexShape[];
  foreignKeys: MysqlForeignKeyShape[];
  checks: { name: string; level: string; clause: string }[];
}

export interface MysqlCatalog {
  tables: Map<string, MysqlTableShape>;
}

/** The base tables of the current database but migrator's own. */
export async function readMysqlCatalog(db: TestMysqlDatabase): Promise<MysqlCatalog> {
  const tableRows = await db.query<{ name: string; comment: string; collation: string | null }>(
    `SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
  );
  const columns = await db.query<MysqlColumnShape & { table: string }>(
    `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS \`default\`, EXTRA AS extra, COLUMN_COMMENT AS comment, COLLATION_NAME AS collation
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const indexRows = await db.query<{ table: string; name: string; nonUnique: number; kind: string; columnName: string | null; subPart: number | null; collation: string | null }>(
    `SELECT TABLE_NAME AS \`table\`, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, INDEX_TYPE AS kind, COLUMN_NAME AS columnName, SUB_PART AS subPart, COLLATION AS collation
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const fkRows = await db.query<{ table: string; name: string; columnName: string; refTable: string; refColumn: string; onUpdate: string; onDelete: string }>(
    `SELECT k.TABLE_NAME AS \`table\`, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS columnName,
            k.REFERENCED_TABLE_NAME AS refTable, k.REFERENCED_COLUMN_NAME AS refColumn, r.UPDATE_RULE AS onUpdate, r.DELETE_RULE AS onDelete
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
  );
  const checks = await db.query<{ table: string; name: string; level: string; clause: string }>(
    `SELECT TABLE_NAME AS \`table\`, CONSTRAINT_NAME AS name, LEVEL AS level, CHECK_CLAUSE AS clause
       FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
  );
  await db.close();

  const tables = new Map<string, MysqlTableShape>();
  for (const t of tableRows) {
    if (t.name.startsWith('migrator_')) continue;
    tables.set(t.name, { comment: t.comment, collation: t.collation, columns: [], indexes: [], foreignKeys: [], checks: [] });
  }
  for (const { table, ...c } of columns) tables.get(table)?.columns.push(c);
  for (const r of indexRows) {
    const t = tables.get(r.table);
    if (!t) continue;
    let ix = t.indexes.find((i) => i.name === r.name);
    if (!ix) {
      ix = { name: r.name, unique: Number(r.nonUnique) === 0, kind: r.kind, columns: [] };
      t.indexes.push(ix);
    }
    ix.columns.push(`${r.columnName ?? '(expression)'}${r.subPart !== null ? `(${r.subPart})` : ''}${r.collation === 'D' ? ' DESC' : ''}`);
  }
  for (const r of fkRows) {
    const t = tables.get(r.table);
    if (!t) continue;
    let fk = t.foreignKeys.find((f) => f.name === r.name);
    if (!fk) {
      fk = { name: r.name, columns: [], referencedTable: r.refTable, referencedColumns: [], onUpdate: r.onUpdate, onDelete: r.onDelete };
      t.foreignKeys.push(fk);
    }
    fk.columns.push(r.columnName);
    fk.referencedColumns.push(r.refColumn);
  }
  for (const { table, ...c } of checks) tables.get(table)?.checks.push(c);
  return { tables };
}

/** The catalog as text, for assertion messages. */
export function mysqlCatalogText(c: MysqlCatalog): string {
  const lines: string[] = [];
  for (const [name, t] of c.tables) {
    lines.push(`TABLE ${name}${t.comment ? ` -- ${JSON.stringify(t.comment)}` : ''}`);
    for (const col of t.columns) {
      lines.push(
        `  col ${col.name}: ${col.type}${col.nullable === 'NO' ? ' NOT NULL' : ''}${col.default !== null ? ` DEFAULT ${col.default}` : ''}` +
          `${col.extra ? ` ${col.extra}` : ''}${col.comment ? ` -- ${JSON.stringify(col.comment)}` : ''}`,
      );
    }
    for (const i of t.indexes) lines.push(`  idx ${i.unique ? 'UNIQUE ' : ''}${i.kind} ${i.name} (${i.columns.join(', ')})`);
    for (const f of t.foreignKeys) {
      lines.push(`  fk ${f.name} (${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`);
    }
    for (const k of t.checks) lines.push(`  check ${k.name} [${k.level}]: ${k.clause}`);
  }
  return lines.join('\n');
}

/**
 * The catalog one line per thing, by table, for comparing two databases table by table: each
 * column in order (type, NOT NULL, default, [extra]), each index (uniqueness, kind, keys with
 * prefix length and DESC), each foreign key, each check.
 */
export function mysqlCatalogLines(c: MysqlCatalog, options: { collations?: boolean } = {}): { tables: string[]; byTable: Map<string, string> } {
  const byTable = new Map<string, string>();
  for (const [name, t] of c.tables) {
    // Collations only when asked for: which a table takes by default is the server's choice.
    const collate = (collation: string | null): string => (options.collations && collation !== null ? ` COLLATE ${collation}` : '');
    const lines = t.columns.map((col) => `COLUMN ${col.name} ${col.type}${col.nullable === 'NO' ? ' NOT NULL' : ''}${col.default !== null ? ` DEFAULT ${col.default}` : ''}${col.extra ? ` [${col.extra}]` : ''}${collate(col.collation)}`);
    if (options.collations) lines.unshift(`TABLE${collate(t.collation)}`);
    const indexes = t.indexes.map((i) => `INDEX ${i.name}${i.unique ? ' UNIQUE' : ''} ${i.kind} (${i.columns.join(', ')})`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    lines.push(...indexes);
    for (const f of t.foreignKeys) lines.push(`FOREIGN KEY ${f.name} (${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`);
    for (const k of t.checks) lines.push(`CHECK ${k.name} ${k.clause}`);
    byTable.set(name, lines.join('\n'));
  }
  return { tables: [...c.tables.keys()].sort(), byTable };
}
