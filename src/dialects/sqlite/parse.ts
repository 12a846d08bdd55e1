/**
 * A reader for the `CREATE TABLE` statements SQLite keeps in sqlite_master: what the PRAGMAs do
 * not tell (constraint names, check expressions, AUTOINCREMENT, the declared type as written).
 */

import { closingParen, isPunct, isWord, splitTopLevel, tokenize as tokenizeSql, type Token } from '../../sql/text.js';

/** SQLite's tokens: standard SQL, and `name` and [name] as quoted identifiers too. */
export function tokenize(sql: string): Token[] {
  return tokenizeSql(sql, { extraIdentifierQuotes: true });
}

export interface ParsedColumn {
  name: string;
  /** The declared type as written, e.g. `varchar(255)`; empty when none. */
  type: string;
  autoincrement: boolean;
  primaryKey: boolean;
  unique: boolean;
  checks: string[];
  /** The collation of `COLLATE x`, unquoted, if any. */
  collate?: string;
  /** A generated column (`GENERATED ALWAYS AS (…)` / `AS (…)`): it cannot be inserted into. */
  generated: boolean;
  /** The whole definition as written. */
  text: string;
}

export interface ParsedConstraint {
  kind: 'primaryKey' | 'unique' | 'check' | 'foreignKey';
  name?: string;
  columns: string[];
  expression?: string;
  /** The whole definition as written. */
  text: string;
}

export interface ParsedTable {
  columns: ParsedColumn[];
  constraints: ParsedConstraint[];
  strict: boolean;
  withoutRowid: boolean;
  /** What follows the closing parenthesis (`STRICT`, `WITHOUT ROWID`), as written. */
  options: string;
}

/** Index of the token closing the parenthesis opened at `open` (the last token when it is never closed). */
const closing = (tokens: Token[], open: number): number => Math.min(closingParen(tokens, open), tokens.length - 1);

function identList(sql: string, tokens: Token[], open: number): { names: string[]; next: number } {
  const close = closing(tokens, open);
  const names = splitTopLevel(tokens, open + 1, close).map((part) => (part.length === 1 ? part[0].value : sql.slice(part[0].start, part[part.length - 1].end)));
  return { names, next: close + 1 };
}

/** The text inside the parentheses opened at `open`, as written. */
function parenthesized(sql: string, tokens: Token[], open: number): { text: string; next: number } {
  const close = closing(tokens, open);
  return { text: sql.slice(tokens[open].end, tokens[close].start).trim(), next: close + 1 };
}

const CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  if (open < 0) return { columns: [], constraints: [], strict: false, withoutRowid: false, options: '' };
  const close = closing(tokens, open);
  const tail = tokens.slice(close + 1).map((t) => t.value.toUpperCase());
  const options = sql.slice(tokens[close].end).trim().replace(/;$/, '').trim();
  const result: ParsedTable = { columns: [], constraints: [], strict: tail.includes('STRICT'), withoutRowid: tail.includes('ROWID'), options };

  for (const part of splitTopLevel(tokens, open + 1, close)) {
    if (part.length === 0) continue;
    const first = part[0];
    const head = first.kind === 'word' ? first.value.toUpperCase() : '';
    if (['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'].includes(head)) {
      result.constraints.push(parseTableConstraint(sql, part));
    } else {
      result.columns.push(parseColumn(sql, part));
    }
  }
  return result;
}

function parseTableConstraint(sql: string, part: Token[]): ParsedConstraint {
  let i = 0;
  let name: string | undefined;
  if (isWord(part[0], 'CONSTRAINT')) {
    name = part[1]?.value;
    i = 2;
  }
  const kw = part[i]?.value.toUpperCase();
  const parenAt = part.findIndex((t, k) => k > i && isPunct(t, '('));
  const text = sql.slice(part[0].start, part[part.length - 1].end);
  if (kw === 'CHECK') return { kind: 'check', name, columns: [], expression: parenthesized(sql, part, parenAt).text, text };
  const cols = parenAt >= 0 ? identList(sql, part, parenAt).names : [];
  if (kw === 'PRIMARY') return { kind: 'primaryKey', name, columns: cols, text };
  if (kw === 'UNIQUE') return { kind: 'unique', name, columns: cols, text };
  return { kind: 'foreignKey', name, columns: cols, text };
}

function parseColumn(sql: string, part: Token[]): ParsedColumn {
  const col: ParsedColumn = {
    name: part[0].value,
    type: '',
    autoincrement: false,
    primaryKey: false,
    unique: false,
    checks: [],
    generated: false,
    text: sql.slice(part[0].start, part[part.length - 1].end),
  };
  let i = 1;
  const typeStart = i;
  while (i < part.length && !(part[i].kind === 'word' && CONSTRAINT_START.has(part[i].value.toUpperCase()))) {
    if (isPunct(part[i], '(')) i = closing(part, i) + 1;
    else i++;
  }
  if (i > typeStart) col.type = sql.slice(part[typeStart].start, part[i - 1].end);
  for (; i < part.length; i++) {
    const t = part[i];
    if (isWord(t, 'PRIMARY')) col.primaryKey = true;
    else if (isWord(t, 'AUTOINCREMENT')) col.autoincrement = true;
    else if (isWord(t, 'UNIQUE')) col.unique = true;
    else if (isWord(t, 'COLLATE') && part[i + 1]) col.collate = part[i + 1].value;
    else if ((isWord(t, 'GENERATED') || isWord(t, 'AS')) && (isWord(part[i + 1], 'ALWAYS') || isPunct(part[i + 1], '('))) col.generated = true;
    else if (isWord(t, 'CHECK') && isPunct(part[i + 1], '(')) {
      const { text, next } = parenthesized(sql, part, i + 1);
      col.checks.push(text);
      i = next - 1;
    } else if (isPunct(t, '(')) i = closing(part, i);
  }
  return col;
}

/** The WHERE clause of a `CREATE INDEX` statement, if it has one. */
export function parseIndexWhere(sql: string): string | undefined {
  const tokens = tokenize(sql);
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isWord(t, 'WHERE')) return sql.slice(t.end).trim().replace(/;$/, '').trim();
  }
  return undefined;
}

/** The column list of a `CREATE INDEX` statement: names unquoted, expressions as written. */
export function parseIndexColumns(sql: string): string[] {
  const tokens = tokenize(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  const open = tokens.findIndex((t, i) => i > on && isPunct(t, '('));
  if (on < 0 || open < 0) return [];
  const close = closing(tokens, open);
  return splitTopLevel(tokens, open + 1, close).map((part) => {
    const bare = part.filter((t) => !isWord(t, 'ASC') && !isWord(t, 'DESC'));
    return bare.length === 1 && (bare[0].kind === 'ident' || bare[0].kind === 'word') ? bare[0].value : sql.slice(bare[0].start, bare[bare.length - 1].end);
  });
}
