/**
 * Reads a SQLite database into the neutral Schema: PRAGMAs for columns, indexes and foreign keys,
 * the stored CREATE statements for what the PRAGMAs leave out (names, checks, AUTOINCREMENT).
 */
import type Database from 'better-sqlite3';
import { emptyTable, normalizeIndexKey, type ForeignKeyAction, type IndexKey, type Schema, type Table } from '../../schema/schema.js';
import { quoteIdentifier } from '../dialect.js';
import { parseCreateTable, parseIndexColumns, parseIndexWhere, type ParsedConstraint } from './parse.js';
import { recordSource } from './source.js';

interface ColumnInfo {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}
interface IndexListRow {
  name: string;
  unique: number;
  origin: 'c' | 'u' | 'pk';
  partial: number;
}
interface IndexInfoRow {
  seqno: number;
  cid: number;
  name: string | null;
  desc: number;
  key: number;
}
interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

/** Tables SQLite and migrator keep for themselves; never part of a user's schema. */
export const INTERNAL_TABLE = /^(sqlite_|_migrator_tmp_)/;

const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function introspectSqlite(db: Database.Database, exclude: readonly string[]): Schema {
  // sqlite_master in its own (creation) order, which recreating triggers must keep.
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid').all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  const indexSql = new Map(rows.filter((r) => r.type === 'index').map((r) => [r.name, r.sql]));
  const tableRows = rows.filter((r) => r.type === 'table' && !INTERNAL_TABLE.test(r.name) && !exclude.includes(r.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tables = tableRows.map((r) => {
    const table = readTable(db, r.name, r.sql ?? '', indexSql);
    recordSource(table, {
      createSql: r.sql ?? '',
      indexSql: Object.fromEntries(rows.filter((x) => x.type === 'index' && x.tbl_name === r.name && x.sql).map((x) => [x.name, x.sql as string])),
      triggers: rows.filter((x) => x.type === 'trigger' && x.tbl_name === r.name && x.sql).map((x) => ({ name: x.name, sql: x.sql as string })),
    });
    return table;
  });

  // A foreign key may leave out the referenced columns: it then means the parent's primary key.
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      if (fk.referencedColumns.length === 0) fk.referencedColumns = [...(byName.get(fk.referencedTable)?.primaryKey?.columns ?? [])];
    }
  }
  return { tables };
}

function readTable(db: Database.Database, name: string, sql: string, indexSql: Map<string, string | null>): Table {
  const q = quoteIdentifier(name);
  const parsed = parseCreateTable(sql);
  const parsedCols = new Map(parsed.columns.map((c) => [c.name, c]));
  const named = (kind: ParsedConstraint['kind'], columns: string[]): string | undefined =>
    parsed.constraints.find((c) => c.kind === kind && c.name && sameColumns(c.columns, columns))?.name;

  const table = emptyTable(name);
  const info = db.prepare(`PRAGMA table_xinfo(${q})`).all() as ColumnInfo[];
  for (const c of info) {
    if (c.hidden === 1) continue; // columns of virtual tables
    const p = parsedCols.get(c.name);
    table.columns.push({
      name: c.name,
      type: p?.type || c.type,
      nullable: c.notnull === 0 && c.pk === 0,
      ...(c.dflt_value !== null ? { default: c.dflt_value } : {}),
      ...(p?.autoincrement ? { autoincrement: true } : {}),
      ...(p?.collate !== undefined ? { collation: p.collate } : {}),
    });
  }
  const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  if (pk.length) {
    const pkName = named('primaryKey', pk);
    table.primaryKey = { ...(pkName ? { name: pkName } : {}), columns: pk };
  }

  const indexes = db.prepare(`PRAGMA index_list(${q})`).all() as IndexListRow[];
  for (const ix of [...indexes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (ix.origin === 'pk') continue;
    const info = (db.prepare(`PRAGMA index_xinfo(${quoteIdentifier(ix.name)})`).all() as IndexInfoRow[]).filter((r) => r.key === 1).sort((a, b) => a.seqno - b.seqno);
    // An expression column has no name: its text comes from the CREATE INDEX statement.
    const expressions = info.some((r) => r.name === null) ? parseIndexColumns(indexSql.get(ix.name) ?? '') : [];
    const keys: IndexKey[] = info.map((r, n) =>
      normalizeIndexKey({ ...(r.name !== null ? { column: r.name } : { expression: expressions[n] ?? '' }), ...(r.desc ? { order: 'desc' as const } : {}) }),
    );
    const cols = info.map((r) => r.name ?? '');
    if (ix.origin === 'u') {
      const uqName = named('unique', cols);
      table.uniques.push({ ...(uqName ? { name: uqName } : {}), columns: cols });
      continue;
    }
    const createSql = indexSql.get(ix.name);
    const where = ix.partial && createSql ? parseIndexWhere(createSql) : undefined;
    table.indexes.push({ name: ix.name, columns: keys, unique: ix.unique === 1, ...(where ? { where } : {}) });
  }

  const fkRows = db.prepare(`PRAGMA foreign_key_list(${q})`).all() as ForeignKeyRow[];
  const groups = new Map<number, ForeignKeyRow[]>();
  for (const r of fkRows) groups.set(r.id, [...(groups.get(r.id) ?? []), r]);
  // PRAGMA lists foreign keys last-declared first; keep declaration order.
  for (const id of [...groups.keys()].sort((a, b) => b - a)) {
    const g = groups.get(id)!.sort((a, b) => a.seq - b.seq);
    const columns = g.map((r) => r.from);
    const fkName = named('foreignKey', columns);
    table.foreignKeys.push({
      ...(fkName ? { name: fkName } : {}),
      columns,
      referencedTable: g[0].table,
      referencedColumns: g.every((r) => r.to !== null) ? g.map((r) => r.to as string) : [],
      onDelete: g[0].on_delete as ForeignKeyAction,
      onUpdate: g[0].on_update as ForeignKeyAction,
    });
  }

  for (const c of parsed.columns) for (const expression of c.checks) table.checks.push({ expression });
  for (const c of parsed.constraints) {
    if (c.kind === 'check' && c.expression !== undefined) table.checks.push({ ...(c.name ? { name: c.name } : {}), expression: c.expression });
  }
  return table;
}
