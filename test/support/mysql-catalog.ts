/**
 * A MySQL/MariaDB database as information_schema describes it, one line per thing, so that two
 * databases can be compared table by table: each column (in order) with COLUMN_TYPE,
 * IS_NULLABLE, COLUMN_DEFAULT and EXTRA; each index with its kind, keys (prefix length, DESC);
 * each foreign key with its columns, target and actions; each check. migrator's own tables
 * (`migrator_*`) are left out.
 */
import type { TestMysqlDatabase } from './mysql.ts';

export interface MysqlCatalog {
  /** The user tables, sorted. */
  tables: string[];
  /** Per table: its description, one line per column, index, foreign key and check. */
  byTable: Map<string, string>;
}

const OWN = "TABLE_NAME NOT LIKE 'migrator\\_%'";

export async function readMysqlCatalog(db: TestMysqlDatabase): Promise<MysqlCatalog> {
  const [tables, columns, indexes, fks, checks] = await Promise.all([
    db.query<{ t: string }>(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND ${OWN} ORDER BY 1`),
    db.query<{ t: string; c: string; type: string; nullable: string; def: string | null; extra: string }>(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND ${OWN} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    ),
    db.query<{ t: string; name: string; nonUnique: number; c: string | null; sub: number | null; collation: string | null; type: string }>(
      `SELECT TABLE_NAME AS t, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS c, SUB_PART AS sub, COLLATION AS collation, INDEX_TYPE AS type
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND ${OWN} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    ),
    db.query<{ t: string; name: string; c: string; rt: string; rc: string; upd: string; del: string }>(
      `SELECT k.TABLE_NAME AS t, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS c, k.REFERENCED_TABLE_NAME AS rt, k.REFERENCED_COLUMN_NAME AS rc,
              r.UPDATE_RULE AS upd, r.DELETE_RULE AS del
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL AND k.${OWN}
        ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    ),
    db.query<{ t: string; name: string; clause: string }>(
      `SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = DATABASE() AND ${OWN} ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
    ),
  ]);
  const lines = new Map<string, string[]>(tables.map((r) => [r.t, []]));
  const add = (t: string, line: string): void => lines.get(t)?.push(line);
  for (const c of columns) add(c.t, `COLUMN ${c.c} ${c.type}${c.nullable === 'NO' ? ' NOT NULL' : ''}${c.def !== null ? ` DEFAULT ${c.def}` : ''}${c.extra ? ` [${c.extra}]` : ''}`);
  const idx = new Map<string, { t: string; head: string; keys: string[] }>();
  for (const i of indexes) {
    const key = `${i.t}\u0000${i.name}`;
    const entry = idx.get(key) ?? { t: i.t, head: `INDEX ${i.name}${Number(i.nonUnique) === 0 ? ' UNIQUE' : ''} ${i.type}`, keys: [] };
    entry.keys.push(`${i.c ?? '(expression)'}${i.sub !== null ? `(${i.sub})` : ''}${i.collation === 'D' ? ' DESC' : ''}`);
    idx.set(key, entry);
  }
  for (const { t, head, keys } of [...idx.values()].sort((a, b) => (a.head < b.head ? -1 : a.head > b.head ? 1 : 0))) add(t, `${head} (${keys.join(', ')})`);
  const fk = new Map<string, { t: string; name: string; cols: string[]; rt: string; rcols: string[]; upd: string; del: string }>();
  for (const f of fks) {
    const key = `${f.t}\u0000${f.name}`;
    const entry = fk.get(key) ?? { t: f.t, name: f.name, cols: [], rt: f.rt, rcols: [], upd: f.upd, del: f.del };
    entry.cols.push(f.c);
    entry.rcols.push(f.rc);
    fk.set(key, entry);
  }
  for (const f of fk.values()) add(f.t, `FOREIGN KEY ${f.name} (${f.cols.join(', ')}) -> ${f.rt} (${f.rcols.join(', ')}) ON DELETE ${f.del} ON UPDATE ${f.upd}`);
  for (const c of checks) add(c.t, `CHECK ${c.name} ${c.clause}`);
  return { tables: tables.map((r) => r.t), byTable: new Map([...lines].map(([t, l]) => [t, l.join('\n')])) };
}
