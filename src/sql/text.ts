/**
 * SQL text as the dialects, the differ and the lint read it: tokens, parentheses, string
 * literals and spacing. Dialect-neutral — standard SQL string literals ('…', a quote inside
 * doubled) and quoted identifiers ("…", likewise), `--` and `/* … *\/` comments. What a dialect
 * adds (SQLite's `…` and […] names, PostgreSQL's E'' strings and dollar quotes) stays with the
 * dialect: the first is an option of the tokenizer, the others are read in dialects/postgres.
 */

export interface Token {
  kind: 'word' | 'ident' | 'string' | 'number' | 'punct';
  /** Unquoted value for identifiers; the raw text otherwise (a string with its quotes). */
  value: string;
  /** Where the token stands in the text: text.slice(start, end) is the token as written. */
  start: number;
  end: number;
}

export interface TokenizeOptions {
  /**
   * Also read `name` and [name] as quoted identifiers, as SQLite does (after MySQL and SQL
   * Server); otherwise a backtick and brackets are punctuation.
   */
  extraIdentifierQuotes?: boolean;
}

/**
 * The tokens of `sql`, comments and white space left out. Never fails: an unterminated quote
 * or comment runs to the end of the text; any other character is a `punct` token of its own.
 * Words are letters (any beyond ASCII too), digits, `_` and `$`; a number is digits, `.`, `e`.
 */
export function tokenize(sql: string, options: TokenizeOptions = {}): Token[] {
  const extra = options.extraIdentifierQuotes === true;
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === '"' || ch === "'" || (extra && ch === '`')) {
      let j = i + 1;
      let value = '';
      while (j < sql.length) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) {
            value += ch;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j++];
      }
      tokens.push({ kind: ch === "'" ? 'string' : 'ident', value: ch === "'" ? sql.slice(i, j + 1) : value, start: i, end: j + 1 });
      i = j + 1;
    } else if (extra && ch === '[') {
      const end = sql.indexOf(']', i);
      const j = end < 0 ? sql.length : end;
      tokens.push({ kind: 'ident', value: sql.slice(i + 1, j), start: i, end: j + 1 });
      i = j + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j])) j++;
      tokens.push({ kind: 'word', value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9.]/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /[0-9.eE]/.test(sql[j])) j++;
      tokens.push({ kind: 'number', value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', value: ch, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** A bare word, compared upper-case: isWord(t, 'CHECK'). */
export const isWord = (t: Token | undefined, upper: string): boolean => t?.kind === 'word' && t.value.toUpperCase() === upper;

/** A punctuation character: isPunct(t, '('). A quoted name that reads `(` is not one. */
export const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === 'punct' && t.value === p;

/** A name, quoted or bare. */
export const isName = (t: Token | undefined): t is Token => t?.kind === 'ident' || t?.kind === 'word';

/** The index of the `)` closing the `(` at `open`; tokens.length when it is never closed. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length;
}

/** tokens[from, to) split at its top-level commas (none inside parentheses); empty parts left out. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isPunct(t, ',')) {
      parts.push([]);
      continue;
    }
    parts[parts.length - 1].push(t);
  }
  return parts.filter((part) => part.length > 0);
}

/** Every run of white space as one space, none at either end — inside string literals too. */
export function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * `s` with `outside` applied to each run of text between single-quoted string literals, and
 * `literal` to each literal (quotes included; by default kept as it is). Double-quoted
 * identifiers count as outside. A quote that is never closed is kept, and what follows it is
 * outside.
 */
export function mapOutsideStrings(s: string, outside: (text: string) => string, literal: (text: string) => string = (l) => l): string {
  return s.replace(/('(?:[^']|'')*')|([^']+)/g, (_m, lit: string | undefined, other: string | undefined) => (lit !== undefined ? literal(lit) : outside(other ?? '')));
}

/**
 * `e` trimmed and without the parentheses around the whole of it, however many pairs:
 * `((a + b))` → `a + b`, but `(a) + (b)` stays. Parentheses inside string literals and quoted
 * identifiers do not count.
 */
export function stripOuterParens(e: string): string {
  let s = e.trim();
  while (s.startsWith('(') && s.endsWith(')') && wrapsWhole(s)) s = s.slice(1, -1).trim();
  return s;
}

/** Whether the `(` that starts `s` is closed by the `)` that ends it. */
function wrapsWhole(s: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      // A doubled quote closes and reopens: the same literal.
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return true;
}
