/**
 * Raw SQL (`op.execute`) read just far enough for the lint rules: the statements that drop,
 * rename, index, constrain or backfill a table, in the SQL of each dialect (MySQL's `RENAME
 * TABLE`, `CHANGE COLUMN` and `DROP INDEX` in ALTER TABLE too). Anything else is left alone,
 * never guessed at.
 */
import { splitTopLevel, tokenize, type Token } from '../sql/text.js';

/** A statement of raw SQL the rules can judge; table and column names as written, unquoted. */
export type RawStatement =
  | { kind: 'createTable'; table: string }
  | { kind: 'dropTable'; table: string }
  | { kind: 'renameTable'; table: string; to: string }
  | { kind: 'dropColumn'; table: string; column: string }
  | { kind: 'renameColumn'; table: string; column: string; to: string }
  | { kind: 'setNotNull'; table: string; column: string }
  | { kind: 'addConstraint'; table: string; constraint: 'foreignKey' | 'check' | 'unique' | 'primaryKey'; notValid: boolean }
  | { kind: 'createIndex'; table: string; unique: boolean; concurrently: boolean }
  /** DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY. */
  | { kind: 'concurrently'; statement: string }
  | { kind: 'update'; table: string };

/** The statements of `sql` the rules look at, in order. */
export function scanSql(sql: string): RawStatement[] {
  // Dollar-quoted bodies (functions, DO blocks) are data here, not statements.
  // Names in `…` and […] are read as SQLite reads them: the widest reading of a quoted name.
  const tokens = tokenize(sql.replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g, "''"), { extraIdentifierQuotes: true });
  const out: RawStatement[] = [];
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && !(tokens[i].kind === 'punct' && tokens[i].value === ';')) continue;
    if (i > start) out.push(...statement(tokens.slice(start, i)));
    start = i + 1;
  }
  return out;
}

/** A keyword's upper-case text, or '' for anything that is not a bare word. */
function word(t: Token | undefined): string {
  return t?.kind === 'word' ? t.value.toUpperCase() : '';
}

/** Reads a possibly schema-qualified name at `i`: its last part, and where it ends. */
function nameAt(tokens: Token[], i: number): { name: string; next: number } | undefined {
  let name: string | undefined;
  let at = i;
  for (;;) {
    const t = tokens[at];
    if (!t || (t.kind !== 'word' && t.kind !== 'ident')) break;
    name = t.value;
    at++;
    // The tokenizer reads a lone `.` as the start of a number.
    if (tokens[at]?.value === '.' && tokens[at].kind !== 'string') at++;
    else break;
  }
  return name === undefined ? undefined : { name, next: at };
}

/** Skips the listed words in order where present (`IF NOT EXISTS`, `ONLY`). */
function skip(tokens: Token[], i: number, ...words: string[][]): number {
  let at = i;
  for (const seq of words) {
    if (seq.every((w, k) => word(tokens[at + k]) === w)) at += seq.length;
  }
  return at;
}

function statement(t: Token[]): RawStatement[] {
  const [a, b, c] = [word(t[0]), word(t[1]), word(t[2])];
  if (a === 'CREATE') {
    const kinds = t.slice(1, 4).map(word);
    const tableAt = kinds.indexOf('TABLE');
    if (tableAt >= 0 && kinds.slice(0, tableAt).every((k) => ['TEMP', 'TEMPORARY', 'UNLOGGED'].includes(k))) {
      const n = nameAt(t, skip(t, tableAt + 2, ['IF', 'NOT', 'EXISTS']));
      return n ? [{ kind: 'createTable', table: n.name }] : [];
    }
    const unique = b === 'UNIQUE';
    if ((unique ? c : b) === 'INDEX') {
      const on = t.findIndex((x) => word(x) === 'ON');
      const n = on > 0 ? nameAt(t, skip(t, on + 1, ['ONLY'])) : undefined;
      const concurrently = t.slice(0, on > 0 ? on : t.length).some((x) => word(x) === 'CONCURRENTLY');
      return n ? [{ kind: 'createIndex', table: n.name, unique, concurrently }] : [];
    }
    return [];
  }
  if (a === 'DROP' && b === 'TABLE') {
    const tables: RawStatement[] = [];
    let at = skip(t, 2, ['IF', 'EXISTS']);
    for (let n = nameAt(t, at); n; n = nameAt(t, at)) {
      tables.push({ kind: 'dropTable', table: n.name });
      if (t[n.next]?.value !== ',') break;
      at = n.next + 1;
    }
    return tables;
  }
  if ((a === 'DROP' && b === 'INDEX' && c === 'CONCURRENTLY') || (a === 'REINDEX' && t.some((x) => word(x) === 'CONCURRENTLY'))) {
    return [{ kind: 'concurrently', statement: a === 'DROP' ? 'DROP INDEX CONCURRENTLY' : 'REINDEX CONCURRENTLY' }];
  }
  if (a === 'RENAME' && b === 'TABLE') {
    // MySQL: RENAME TABLE a TO b, c TO d.
    const renames: RawStatement[] = [];
    for (let at = 2; ; ) {
      const from = nameAt(t, at);
      const to = from && word(t[from.next]) === 'TO' ? nameAt(t, from.next + 1) : undefined;
      if (!from || !to) break;
      renames.push({ kind: 'renameTable', table: from.name, to: to.name });
      if (t[to.next]?.value !== ',') break;
      at = to.next + 1;
    }
    return renames;
  }
  if (a === 'UPDATE') {
    const n = nameAt(t, skip(t, 1, ['ONLY']));
    return n ? [{ kind: 'update', table: n.name }] : [];
  }
  if (a === 'ALTER' && b === 'TABLE') {
    const n = nameAt(t, skip(t, 2, ['IF', 'EXISTS'], ['ONLY']));
    if (!n) return [];
    // Its actions, comma-separated.
    return splitTopLevel(t, n.next, t.length).flatMap((action) => alterAction(n.name, action));
  }
  return [];
}

const CONSTRAINT_KINDS: Record<string, 'foreignKey' | 'check' | 'unique' | 'primaryKey'> = { FOREIGN: 'foreignKey', CHECK: 'check', UNIQUE: 'unique', PRIMARY: 'primaryKey' };

/** What ALTER TABLE … DROP names besides a column: a CONSTRAINT, or MySQL's FOREIGN KEY, PRIMARY KEY and CHECK. */
const DROPS_NO_COLUMN = new Set(['CONSTRAINT', 'FOREIGN', 'PRIMARY', 'CHECK']);

function alterAction(table: string, x: Token[]): RawStatement[] {
  const first = word(x[0]);
  // DROP INDEX i and DROP KEY k (MySQL) drop an index; DROP index alone would be a column so named.
  const dropsIndex = ['INDEX', 'KEY'].includes(word(x[1])) && nameAt(x, 2) !== undefined;
  if (first === 'DROP' && !DROPS_NO_COLUMN.has(word(x[1])) && !dropsIndex) {
    const n = nameAt(x, skip(x, 1, ['COLUMN'], ['IF', 'EXISTS']));
    return n && n.name.toUpperCase() !== 'CONSTRAINT' ? [{ kind: 'dropColumn', table, column: n.name }] : [];
  }
  if (first === 'ADD') {
    const at = word(x[1]) === 'CONSTRAINT' ? 3 : 1;
    const constraint = CONSTRAINT_KINDS[word(x[at])];
    if (!constraint) return [];
    const notValid = x.some((y, i) => word(y) === 'NOT' && word(x[i + 1]) === 'VALID');
    return [{ kind: 'addConstraint', table, constraint, notValid }];
  }
  if (first === 'ALTER') {
    const n = nameAt(x, skip(x, 1, ['COLUMN']));
    if (n && word(x[n.next]) === 'SET' && word(x[n.next + 1]) === 'NOT' && word(x[n.next + 2]) === 'NULL') return [{ kind: 'setNotNull', table, column: n.name }];
    return [];
  }
  if (first === 'CHANGE') {
    // MySQL: CHANGE [COLUMN] old new definition — a rename when the names differ.
    const n = nameAt(x, skip(x, 1, ['COLUMN']));
    const to = n ? nameAt(x, n.next) : undefined;
    return n && to && n.name.toLowerCase() !== to.name.toLowerCase() ? [{ kind: 'renameColumn', table, column: n.name, to: to.name }] : [];
  }
  if (first === 'RENAME') {
    if (word(x[1]) === 'TO' || word(x[1]) === 'AS') {
      const to = nameAt(x, 2);
      return to ? [{ kind: 'renameTable', table, to: to.name }] : [];
    }
    if (word(x[1]) === 'CONSTRAINT') return [];
    const n = nameAt(x, skip(x, 1, ['COLUMN']));
    const to = n && word(x[n.next]) === 'TO' ? nameAt(x, n.next + 1) : undefined;
    return n && to ? [{ kind: 'renameColumn', table, column: n.name, to: to.name }] : [];
  }
  return [];
}
