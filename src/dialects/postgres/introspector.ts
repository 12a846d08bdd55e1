/**
 * Reads a PostgreSQL schema into the neutral Schema with six bulk catalog queries — tables,
 * columns, constraints, indexes, enums, extensions — sent as one statement, however many tables
 * there are.
 */
import { emptyTable, normalizeIndexKey, type ForeignKeyAction, type IndexKey, type Schema, type Table } from '../../schema/schema.js';

/** What the introspector needs of a connection. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

const TABLES = `
SELECT c.oid::int AS oid, c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;

const COLUMNS = `
SELECT a.attrelid::int AS oid, a.attnum::int AS num, a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
       pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity::text AS identity,
       a.attgenerated::text AS generated, col_description(a.attrelid, a.attnum) AS comment,
       co.collname::text AS collation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
JOIN pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> ty.typcollation
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS = `
SELECT con.conrelid::int AS oid, con.conname::text AS name, con.contype::text AS type,
       con.conkey::int[] AS keys, con.confkey::int[] AS fkeys, con.confrelid::int AS foid,
       fc.relname::text AS ref_table, con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete,
       pg_get_constraintdef(con.oid) AS def
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'f', 'c')
ORDER BY con.conrelid, con.conname`;

const INDEXES = `
SELECT i.indrelid::int AS oid, ic.relname::text AS name, i.indisunique AS "unique",
       (SELECT json_agg(json_build_object(
                 'column', CASE WHEN k.attnum <> 0 THEN a.attname::text END,
                 'expression', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) END,
                 'desc', (i.indoption[k.ord - 1] & 1) <> 0,
                 'nullsFirst', (i.indoption[k.ord - 1] & 2) <> 0,
                 'opclass', CASE WHEN opc.opcdefault THEN NULL ELSE opc.opcname::text END) ORDER BY k.ord)
          FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
          LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.ord - 1]
         WHERE k.ord <= i.indnkeyatts) AS columns,
       pg_get_expr(i.indpred, i.indrelid) AS "where", am.amname::text AS method, i.indisvalid AS valid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN (SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) backing ON backing.conindid = i.indexrelid
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND backing.conindid IS NULL
ORDER BY ic.relname`;

const ENUMS = `
SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1
GROUP BY t.typname ORDER BY t.typname`;

const EXTENSIONS = `SELECT extname::text AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`;

const asJson = (sql: string): string => `(SELECT coalesce(json_agg(x), '[]'::json) FROM (${sql}) x)`;

/** The six queries as one. */
const CATALOG = `SELECT ${asJson(TABLES)} AS tables, ${asJson(COLUMNS)} AS columns, ${asJson(CONSTRAINTS)} AS constraints,
  ${asJson(INDEXES)} AS indexes, ${asJson(ENUMS)} AS enums, ${asJson(EXTENSIONS)} AS extensions`;

interface CatalogRow {
  tables: { oid: number; name: string; comment: string | null }[];
  columns: ColumnRow[];
  constraints: { oid: number; name: string; type: string; keys: number[]; fkeys: number[] | null; foid: number; ref_table: string | null; on_update: string; on_delete: string; def: string }[];
  indexes: { oid: number; name: string; unique: boolean; columns: IndexKeyRow[]; where: string | null; method: string; valid: boolean }[];
  enums: { name: string; values: string[] }[];
  extensions: { name: string }[];
}

interface IndexKeyRow {
  column: string | null;
  expression: string | null;
  desc: boolean;
  nullsFirst: boolean;
  opclass: string | null;
}

/** One key of an index as the catalog describes it. */
function indexKey(k: IndexKeyRow): IndexKey {
  return normalizeIndexKey({
    ...(k.column !== null ? { column: k.column } : { expression: k.expression ?? '' }),
    ...(k.desc ? { order: 'desc' as const } : {}),
    nulls: k.nullsFirst ? 'first' : 'last',
    ...(k.opclass !== null ? { opclass: k.opclass } : {}),
  });
}

const ACTIONS: Record<string, ForeignKeyAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

interface ColumnRow {
  oid: number;
  num: number;
  name: string;
  type: string;
  notnull: boolean;
  default: string | null;
  identity: string;
  generated: string;
  comment: string | null;
  /** The column's collation where it is not its type's. */
  collation: string | null;
}

/** `nextval('…_seq'::regclass)`: the default of a serial column. */
const SERIAL_DEFAULT = /^nextval\('.*'::regclass\)$/;

/** A CHECK constraint's expression from `pg_get_constraintdef`: `CHECK ((price > 0))` → `price > 0`. */
export function checkExpression(def: string): string {
  const m = /^CHECK \((.*)\)( NOT VALID)?$/s.exec(def);
  let e = m ? m[1] : def;
  while (e.startsWith('(') && e.endsWith(')') && balanced(e.slice(1, -1))) e = e.slice(1, -1);
  return e;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

export async function introspectPostgres(db: Queryable, schemaName: string, exclude: readonly string[]): Promise<Schema> {
  // All six catalog queries travel as one statement: one round trip, whatever the table count.
  const [row] = await db.query<CatalogRow>(CATALOG, [schemaName]);
  const { tables, columns, constraints, indexes, enums, extensions } = row;

  const byOid = new Map<number, Table>();
  const attnames = new Map<number, Map<number, string>>();
  const out: Table[] = [];
  for (const t of tables) {
    if (exclude.includes(t.name)) continue;
    const table = emptyTable(t.name);
    if (t.comment !== null) table.comment = t.comment;
    byOid.set(t.oid, table);
    out.push(table);
  }
  for (const c of columns) {
    const names = attnames.get(c.oid) ?? new Map<number, string>();
    names.set(c.num, c.name);
    attnames.set(c.oid, names);
    const table = byOid.get(c.oid);
    if (!table) continue;
    const serial = c.default !== null && SERIAL_DEFAULT.test(c.default);
    // A stored generated column's expression is no default: ALTER … SET/DROP DEFAULT refuses it.
    const def = c.generated === 's' ? null : c.default;
    table.columns.push({
      name: c.name,
      type: c.type,
      nullable: !c.notnull,
      ...(def !== null && !serial ? { default: def } : {}),
      ...(c.generated === 's' && c.default !== null ? { generated: c.default } : {}),
      ...(serial ? { autoincrement: true } : {}),
      ...(c.identity === 'a' ? { identity: 'always' as const } : c.identity === 'd' ? { identity: 'by default' as const } : {}),
      ...(c.comment !== null ? { comment: c.comment } : {}),
      ...(c.collation !== null ? { collation: c.collation } : {}),
    });
  }
  const colName = (oid: number, num: number): string => attnames.get(oid)?.get(num) ?? `#${num}`;
  for (const k of constraints) {
    const table = byOid.get(k.oid);
    if (!table) continue;
    const cols = (k.keys ?? []).map((n) => colName(k.oid, n));
    if (k.type === 'p') table.primaryKey = { name: k.name, columns: cols };
    else if (k.type === 'u') table.uniques.push({ name: k.name, columns: cols });
    else if (k.type === 'c') table.checks.push({ name: k.name, expression: checkExpression(k.def) });
    else if (k.type === 'f') {
      table.foreignKeys.push({
        name: k.name,
        columns: cols,
        referencedTable: k.ref_table ?? '',
        referencedColumns: (k.fkeys ?? []).map((n) => colName(k.foid, n)),
        onDelete: ACTIONS[k.on_delete] ?? 'NO ACTION',
        onUpdate: ACTIONS[k.on_update] ?? 'NO ACTION',
      });
    }
  }
  for (const i of indexes) {
    const table = byOid.get(i.oid);
    if (!table) continue;
    table.indexes.push({
      name: i.name,
      columns: i.columns.map(indexKey),
      unique: i.unique,
      ...(i.where !== null ? { where: i.where } : {}),
      ...(i.method !== 'btree' ? { using: i.method } : {}),
      ...(!i.valid ? { invalid: true as const } : {}),
    });
  }
  return {
    tables: out,
    ...(enums.length ? { enums: enums.map((e) => ({ name: e.name, values: e.values })) } : {}),
    ...(extensions.length ? { extensions: extensions.map((e) => e.name) } : {}),
  };
}
