/**
 * A SQLite schema read through its PRAGMAs, in a form two databases can be compared in: per
 * table the columns (PRAGMA table_info, the default as stored, the COLLATE of the definition), foreign keys, indexes with their
 * WHERE, unique constraints, CHECK expressions, constraint names and AUTOINCREMENT.
 */
import Database from 'better-sqlite3';

/** Tables that belong to SQLite or to migrator's bookkeeping, never to the models. */
const OWN_TABLES = /^(sqlite_|migrator_version$|migrator_history$)/;

export interface SqliteTableShape {
  columns: { name: string; type: string; notnull: number; dflt_value: string | null; pk: number; collation: string | null }[];
  foreignKeys: { table: string; from: string; to: string; on_update: string; on_delete: string }[];
  indexes: { name: string; columns: string[]; unique: boolean; partial: boolean; where: string | null }[];
  uniques: string[][];
  constraintNames: string[];
  checks: string[];
  autoincrement: boolean;
}

const byJson = <T>(xs: T[]): T[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The text inside each `CHECK (...)` of a CREATE TABLE, whitespace squashed. */
function checkExpressions(sql: string): string[] {
  const out: string[] = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    let depth = 1;
    let quote = '';
    let i = m.index + m[0].length;
    const start = i;
    for (; i < sql.length && depth > 0; i++) {
      const ch = sql[i];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    out.push(squash(sql.slice(start, i - 1)));
    re.lastIndex = i;
  }
  return out.sort();
}

/** Each column definition's COLLATE, upper-cased, by column name, from a CREATE TABLE's text. */
function collations(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const body = sql.slice(sql.indexOf('(') + 1);
  let depth = 0;
  let start = 0;
  const defs: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && depth-- === 0) {
      defs.push(body.slice(start, i));
      break;
    } else if (ch === ',' && depth === 0) {
      defs.push(body.slice(start, i));
      start = i + 1;
    }
  }
  for (const def of defs) {
    const name = /^\s*(?:"((?:[^"]|"")*)"|`([^`]*)`|\[([^\]]*)\]|(\w+))/.exec(def);
    const collate = /\bCOLLATE\s+(?:"((?:[^"]|"")*)"|(\w+))/i.exec(def);
    if (name && collate) out.set((name[1]?.replace(/""/g, '"') ?? name[2] ?? name[3] ?? name[4])!, (collate[1] ?? collate[2])!.toUpperCase());
  }
  return out;
}

/** Every model table of the database file (not sqlite_* nor migrator's version and history tables), by name. */
export function readSqliteShapes(file: string): Map<string, SqliteTableShape> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
    const indexSql = new Map(
      (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all() as { name: string; sql: string | null }[]).map((r) => [r.name, r.sql]),
    );
    const shapes = new Map<string, SqliteTableShape>();
    for (const { name, sql } of tables) {
      if (OWN_TABLES.test(name)) continue;
      const q = `"${name.replace(/"/g, '""')}"`;
      const collated = collations(sql);
      const columns = (db.prepare(`PRAGMA table_info(${q})`).all() as SqliteTableShape['columns']).map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        notnull: c.notnull,
        dflt_value: c.dflt_value,
        pk: c.pk,
        collation: collated.get(c.name) ?? null,
      }));
      const foreignKeys = byJson(
        (db.prepare(`PRAGMA foreign_key_list(${q})`).all() as SqliteTableShape['foreignKeys']).map((f) => ({
          table: f.table,
          from: f.from,
          to: f.to,
          on_update: f.on_update,
          on_delete: f.on_delete,
        })),
      );
      const indexes: SqliteTableShape['indexes'] = [];
      const uniques: string[][] = [];
      for (const ix of db.prepare(`PRAGMA index_list(${q})`).all() as { name: string; unique: number; origin: string; partial: number }[]) {
        const cols = (db.prepare(`PRAGMA index_info("${ix.name.replace(/"/g, '""')}")`).all() as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        if (ix.origin === 'pk') continue;
        if (ix.name.startsWith('sqlite_autoindex_')) {
          uniques.push(cols);
          continue;
        }
        const where = /\bWHERE\b([\s\S]*)$/i.exec(indexSql.get(ix.name) ?? '');
        indexes.push({ name: ix.name, columns: cols, unique: ix.unique === 1, partial: ix.partial === 1, where: where ? squash(where[1]) : null });
      }
      shapes.set(name, {
        columns,
        foreignKeys,
        indexes: indexes.sort((a, b) => (a.name < b.name ? -1 : 1)),
        uniques: byJson(uniques),
        constraintNames: [...sql.matchAll(/CONSTRAINT "([^"]+)"/g)].map((m) => m[1]).sort(),
        checks: checkExpressions(sql),
        autoincrement: /\bAUTOINCREMENT\b/i.test(sql),
      });
    }
    return shapes;
  } finally {
    db.close();
  }
}

/** The CREATE statements of a database file, for assertion messages. */
export function sqliteMaster(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY tbl_name, type DESC, name").all() as { type: string; name: string; sql: string }[])
      .map((r) => `${r.sql};`)
      .join('\n');
  } finally {
    db.close();
  }
}
