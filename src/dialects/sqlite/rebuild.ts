/**
 * SQLite's copy-and-swap table rebuild, for what ALTER TABLE cannot do in place.
 *
 * The new table is written from the old CREATE TABLE text: every column and constraint the
 * revision leaves alone keeps its definition as written (collations, generated columns, inline
 * constraints, STRICT, WITHOUT ROWID — whatever the model does not describe); only what changes
 * is generated. Rows are copied, the old table is dropped, the new one renamed into place, and its
 * indexes and triggers recreated as they were written. The rename runs with legacy_alter_table on:
 * views and other tables' triggers that name the table are neither rewritten nor re-checked while
 * it is briefly missing, and read the new table once it is in place. The runner turns foreign-key
 * enforcement off outside the transaction and runs `PRAGMA foreign_key_check` before the commit,
 * so dropping the old table cascades into no child row.
 */
import { findColumn, type Column, type Table } from '../../schema/schema.js';
import { quoteIdentifier as q, quoteLiteral, refuseGenerated, refuseOnUpdate, UnsupportedOperationError } from '../dialect.js';
import { columnList, constraintSql, createIndexSql } from '../sql.js';
import { parseCreateTable, type ParsedColumn, type ParsedConstraint } from './parse.js';
import { sourceOf, type TableSource } from './source.js';
import { collapseSpaces } from '../../sql/text.js';

export { constraintSql, createIndexSql } from '../sql.js';

/** Prefix of the table a rebuild copies rows into; never left behind, since it lives in the transaction. */
export const REBUILD_PREFIX = '_migrator_tmp_';

const PLAIN_DEFAULT = /^(?:'(?:[^']|'')*'|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|NULL|TRUE|FALSE|X'[0-9A-Fa-f]*')$/i;
const KEYWORD_DEFAULT = /^(?:CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP)$/i;

/** A default as SQLite's column definition wants it: literals bare, expressions in parentheses. */
export function defaultSql(expression: string): string {
  const e = expression.trim();
  if (PLAIN_DEFAULT.test(e) || KEYWORD_DEFAULT.test(e) || (e.startsWith('(') && e.endsWith(')'))) return e;
  return `(${e})`;
}

export function isPlainDefault(expression: string): boolean {
  return PLAIN_DEFAULT.test(expression.trim());
}


export function columnSql(c: Column, inlinePrimaryKey: boolean): string {
  refuseOnUpdate('sqlite', 'SQLite', c.name, c.onUpdate);
  refuseGenerated('sqlite', 'SQLite', c.name, c.generated);
  let sql = `${q(c.name)}${c.type ? ` ${c.type}` : ''}`;
  if (inlinePrimaryKey) sql += ` PRIMARY KEY${c.autoincrement ? ' AUTOINCREMENT' : ''}`;
  if (!c.nullable) sql += ' NOT NULL';
  if (c.default !== undefined) sql += ` DEFAULT ${defaultSql(c.default)}`;
  if (c.collation !== undefined) sql += ` COLLATE ${q(c.collation)}`;
  return sql;
}

/** A collation as SQLite compares it: names fold case; BINARY is the default. */
export function sqliteCollation(collation: string | undefined): string | undefined {
  const c = collation?.toUpperCase();
  return c === 'BINARY' ? undefined : c;
}

/** The single AUTOINCREMENT column, which SQLite wants declared with its PRIMARY KEY inline. */
function inlineKey(t: Table): string | undefined {
  const pk = t.primaryKey?.columns ?? [];
  return pk.length === 1 && findColumn(t, pk[0])?.autoincrement ? pk[0] : undefined;
}

/** CREATE TABLE from the neutral model alone. */
export function createTableSql(t: Table, name = t.name): string {
  if (t.collation !== undefined) throw new UnsupportedOperationError('sqlite', `create table ${t.name} with the default collation ${t.collation}: SQLite tables have none (give each column its own)`);
  const pk = t.primaryKey?.columns ?? [];
  const inline = inlineKey(t);
  const parts = t.columns.map((c) => columnSql(c, c.name === inline));
  if (pk.length && !inline) parts.push(`PRIMARY KEY (${columnList(pk)})`);
  for (const u of t.uniques) parts.push(constraintSql({ type: 'unique', ...u }));
  for (const f of t.foreignKeys) parts.push(constraintSql({ type: 'foreignKey', ...f }));
  for (const c of t.checks) parts.push(constraintSql({ type: 'check', ...c }));
  return `CREATE TABLE ${q(name)} (${parts.join(', ')})`;
}

const same = <T>(a: T, b: T): boolean => JSON.stringify(a) === JSON.stringify(b);

function sameColumn(a: Column, b: Column): boolean {
  return a.name === b.name && a.type.toLowerCase() === b.type.toLowerCase() && a.nullable === b.nullable && a.default === b.default && !!a.autoincrement === !!b.autoincrement && sqliteCollation(a.collation) === sqliteCollation(b.collation);
}

/**
 * CREATE TABLE for the rebuilt table: the original text where the revision leaves a column or
 * constraint alone, generated definitions where it changes one.
 */
function rebuiltCreateSql(before: Table, after: Table, name: string): string {
  const source = sourceOf(before)?.createSql;
  if (!source) return createTableSql(after, name);
  const parsed = parseCreateTable(source);
  const parsedCols = new Map(parsed.columns.map((c) => [c.name, c]));
  const pkSame = same(before.primaryKey?.columns ?? [], after.primaryKey?.columns ?? []);

  // Which of the new table's constraints an original definition already states.
  const covered = { pk: false, uniques: new Set<number>(), checks: new Set<number>(), fks: new Set<number>() };
  const uniqueIndex = (cols: string[], cname?: string): number =>
    after.uniques.findIndex((u, i) => !covered.uniques.has(i) && (cname === undefined || u.name === cname) && same(u.columns, cols));
  const checkIndex = (expr: string, cname?: string): number =>
    after.checks.findIndex((c, i) => !covered.checks.has(i) && (cname === undefined || c.name === cname) && collapseSpaces(c.expression) === collapseSpaces(expr));
  const fkIndex = (cols: string[], cname?: string): number =>
    after.foreignKeys.findIndex((f, i) => {
      if (covered.fks.has(i) || !same(f.columns, cols) || (cname !== undefined && f.name !== cname)) return false;
      const was = before.foreignKeys.find((b) => same(b.columns, cols) && (cname === undefined || b.name === cname));
      return !!was && same(was, f);
    });

  /** An original column definition can stay when nothing it states has changed. */
  const keepColumn = (c: Column, p: ParsedColumn | undefined): boolean => {
    const was = findColumn(before, c.name);
    if (!p || !was || !sameColumn(was, c)) return false;
    if (p.primaryKey && !pkSame) return false;
    if (p.unique && uniqueIndex([c.name]) < 0) return false;
    if (p.checks.some((e) => checkIndex(e) < 0)) return false;
    if (/\bREFERENCES\b/i.test(p.text) && fkIndex([c.name]) < 0) return false;
    return true;
  };

  const inline = inlineKey(after);
  const parts: string[] = [];
  for (const c of after.columns) {
    const p = parsedCols.get(c.name);
    if (keepColumn(c, p)) {
      parts.push(p!.text);
      if (p!.primaryKey) covered.pk = true;
      if (p!.unique) covered.uniques.add(uniqueIndex([c.name]));
      for (const e of p!.checks) covered.checks.add(checkIndex(e));
      if (/\bREFERENCES\b/i.test(p!.text)) covered.fks.add(fkIndex([c.name]));
    } else {
      parts.push(columnSql(c, c.name === inline));
      if (c.name === inline) covered.pk = true;
    }
  }
  const stillThere = (cols: string[]): boolean => cols.every((c) => findColumn(after, c));
  for (const k of parsed.constraints) {
    const keep = ((): boolean => {
      if (!stillThere(k.columns)) return false;
      if (k.kind === 'primaryKey') return pkSame && !covered.pk && same(k.columns, after.primaryKey?.columns ?? []);
      if (k.kind === 'unique') {
        const i = uniqueIndex(k.columns, k.name);
        return i >= 0 && (covered.uniques.add(i), true);
      }
      if (k.kind === 'check') {
        const i = checkIndex(k.expression ?? '', k.name);
        return i >= 0 && (covered.checks.add(i), true);
      }
      const i = fkIndex(k.columns, k.name);
      return i >= 0 && (covered.fks.add(i), true);
    })();
    if (keep) {
      parts.push((k as ParsedConstraint).text);
      if (k.kind === 'primaryKey') covered.pk = true;
    }
  }
  const pk = after.primaryKey?.columns ?? [];
  if (pk.length && !covered.pk) parts.push(`PRIMARY KEY (${columnList(pk)})`);
  after.uniques.forEach((u, i) => covered.uniques.has(i) || parts.push(constraintSql({ type: 'unique', ...u })));
  after.foreignKeys.forEach((f, i) => covered.fks.has(i) || parts.push(constraintSql({ type: 'foreignKey', ...f })));
  after.checks.forEach((c, i) => covered.checks.has(i) || parts.push(constraintSql({ type: 'check', ...c })));
  return `CREATE TABLE ${q(name)} (${parts.join(', ')})${parsed.options ? ` ${parsed.options}` : ''}`;
}

export interface Rebuild {
  statements: string[];
  /** Queries that must count 0 before the rebuild may start, with what to say when they do not. */
  preconditions: { query: string; message: string }[];
  /** The rebuilt table's new source, for later rebuilds in the same revision. */
  source: Omit<TableSource, 'dialect'>;
}

/** The statements that rebuild `before` into `after`. */
export function rebuildSql(before: Table, after: Table): Rebuild {
  const tmp = `${REBUILD_PREFIX}${after.name}`;
  const beforeSql = sourceOf(before)?.createSql;
  const parsed = beforeSql ? new Map(parseCreateTable(beforeSql).columns.map((c) => [c.name, c])) : new Map<string, ParsedColumn>();
  const generated = (name: string): boolean => !!parsed.get(name)?.generated;
  const copied = after.columns.filter((c) => findColumn(before, c.name) && !generated(c.name));
  const preconditions: Rebuild['preconditions'] = [];
  const source = copied.map((c) => {
    const was = findColumn(before, c.name)!;
    if (!c.nullable && was.nullable) {
      if (c.default !== undefined) return `coalesce(${q(c.name)}, ${c.default})`;
      preconditions.push({
        query: `SELECT count(*) FROM ${q(before.name)} WHERE ${q(c.name)} IS NULL`,
        message: `column ${after.name}.${c.name} becomes NOT NULL with no default, but %d row(s) hold NULL there; fill them first (op.execute('UPDATE …')) or give the column a default`,
      });
    }
    return q(c.name);
  });
  for (const c of after.columns) {
    if (!findColumn(before, c.name) && !c.nullable && c.default === undefined && !c.autoincrement) {
      preconditions.push({
        query: `SELECT count(*) FROM ${q(before.name)}`,
        message: `new column ${after.name}.${c.name} is NOT NULL with no default, and the table has %d row(s); give it a default`,
      });
    }
  }
  const sequence =
    after.columns.some((c) => c.autoincrement) && before.columns.some((c) => c.autoincrement)
      ? [
          // AUTOINCREMENT never reuses an id: the new table continues the old sequence.
          `DELETE FROM sqlite_sequence WHERE name = ${quoteLiteral(tmp)}`,
          `INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteLiteral(tmp)}, seq FROM sqlite_sequence WHERE name = ${quoteLiteral(before.name)}`,
        ]
      : [];
  const create = rebuiltCreateSql(before, after, tmp);
  const indexSql = after.indexes.map((i) => {
    const was = before.indexes.find((b) => b.name === i.name);
    const original = sourceOf(before)?.indexSql[i.name];
    return original && was && same(was, i) ? original : createIndexSql(after.name, i);
  });
  const triggers = (sourceOf(before)?.triggers ?? []).map((t) => t.sql);
  return {
    statements: [
      create,
      `INSERT INTO ${q(tmp)} (${columnList(copied.map((c) => c.name))}) SELECT ${source.join(', ')} FROM ${q(before.name)}`,
      ...sequence,
      `DROP TABLE ${q(before.name)}`,
      'PRAGMA legacy_alter_table = ON',
      `ALTER TABLE ${q(tmp)} RENAME TO ${q(after.name)}`,
      'PRAGMA legacy_alter_table = OFF',
      ...indexSql,
      ...triggers,
    ],
    preconditions,
    source: {
      createSql: create.replace(`CREATE TABLE ${q(tmp)}`, `CREATE TABLE ${q(after.name)}`),
      indexSql: Object.fromEntries(after.indexes.map((i, n) => [i.name, indexSql[n]])),
      triggers: sourceOf(before)?.triggers ?? [],
    },
  };
}
