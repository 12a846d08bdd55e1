/**
 * A PostgreSQL schema read from its catalogs, in a form two databases can be compared in: per
 * table the columns (format_type, NOT NULL, the default as pg_get_expr prints it, identity,
 * comment), the constraints (name, type, pg_get_constraintdef) and the indexes (pg_indexes), and
 * the enum types and extensions of the database.
 */
import { createTwoFilesPatch } from 'diff';
import type { TestDatabase } from './pg.ts';

/** migrator's bookkeeping and TypeORM's (its generated columns' expressions), never part of the models. */
const OWN_TABLES = ['migrator_version', 'migrator_history', 'typeorm_metadata'];

export interface PgColumnShape {
  name: string;
  type: string;
  notnull: boolean;
  default: string | null;
  identity: string;
  comment: string | null;
  /** The column's collation where it is not its type's. */
  collation: string | null;
  /** `s` for a stored generated column (its expression is then `default`), else empty. */
  generated: string;
}

export interface PgTableShape {
  comment: string | null;
  columns: PgColumnShape[];
  constraints: { name: string; type: string; def: string }[];
  indexes: { name: string; def: string }[];
}

export interface PgCatalog {
  tables: Map<string, PgTableShape>;
  enums: { name: string; labels: string[] }[];
  extensions: string[];
}

/** The tables (all but migrator's version and history tables), enum types and extensions of the current schema. */
export async function readPgCatalog(db: TestDatabase): Promise<PgCatalog> {
  const tableRows = await db.query<{ name: string; comment: string | null }>(
    `SELECT c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> ALL($1)
      ORDER BY c.relname`,
    [OWN_TABLES],
  );
  const columns = await db.query<PgColumnShape & { table: string }>(
    `SELECT c.relname::text AS table, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text AS identity,
            a.attgenerated::text AS generated, col_description(a.attrelid, a.attnum) AS comment, co.collname::text AS collation
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       JOIN pg_type ty ON ty.oid = a.atttypid
       LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> ty.typcollation
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const constraints = await db.query<{ table: string; name: string; type: string; def: string }>(
    `SELECT c.relname::text AS table, con.conname::text AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema()
      ORDER BY c.relname, con.conname`,
  );
  const indexes = await db.query<{ table: string; name: string; def: string }>(
    `SELECT tablename::text AS table, indexname::text AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = current_schema() ORDER BY tablename, indexname`,
  );
  const enums = await db.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() GROUP BY t.typname ORDER BY t.typname`,
  );
  const extensions = await db.query<{ name: string }>(`SELECT extname::text AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`);

  const tables = new Map<string, PgTableShape>();
  for (const t of tableRows) tables.set(t.name, { comment: t.comment, columns: [], constraints: [], indexes: [] });
  for (const { table, ...c } of columns) tables.get(table)?.columns.push({ ...c, default: c.default });
  for (const { table, ...c } of constraints) tables.get(table)?.constraints.push(c);
  for (const { table, ...i } of indexes) tables.get(table)?.indexes.push(i);
  return { tables, enums, extensions: extensions.map((e) => e.name) };
}

/** The catalog as text, for assertion messages. */
export function pgCatalogText(c: PgCatalog): string {
  const lines: string[] = [];
  for (const e of c.enums) lines.push(`ENUM ${e.name}: ${JSON.stringify(e.labels)}`);
  for (const e of c.extensions) lines.push(`EXTENSION ${e}`);
  for (const [name, t] of c.tables) {
    lines.push(`TABLE ${name}${t.comment !== null ? ` -- ${JSON.stringify(t.comment)}` : ''}`);
    for (const col of t.columns) {
      lines.push(
        `  col ${col.name}: ${col.type}${col.notnull ? ' NOT NULL' : ''}${col.default !== null ? (col.generated === 's' ? ` GENERATED ALWAYS AS ${col.default} STORED` : ` DEFAULT ${col.default}`) : ''}` +
          `${col.identity ? ` IDENTITY(${col.identity})` : ''}${col.comment !== null ? ` -- ${JSON.stringify(col.comment)}` : ''}`,
      );
    }
    for (const k of t.constraints) lines.push(`  con ${k.type} ${k.name}: ${k.def}`);
    for (const i of t.indexes) lines.push(`  idx ${i.def}`);
  }
  return lines.join('\n');
}

/**
 * A unified diff of two lists, one JSON line per item, TypeORM's side first: names exactly
 * what differs, for the assertion message.
 */
export function differences(what: string, expected: unknown[], actual: unknown[]): string {
  const lines = (xs: unknown[]): string => `${xs.map((x) => JSON.stringify(x)).join('\n')}\n`;
  const patch = createTwoFilesPatch(`${what} (TypeORM synchronize)`, `${what} (migrator)`, lines(expected), lines(actual), '', '', { context: 1 });
  return patch.split('\n').slice(1).join('\n');
}
