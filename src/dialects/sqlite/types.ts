/** How SQLite types and defaults compare: as declared, ignoring case and spacing. */

/** `VARCHAR (255)` and `varchar(255)` are the same declared type. */
export function normalizeSqliteType(type: string): string {
  return type.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')').trim();
}

function stripOuterParens(e: string): string {
  let s = e.trim();
  while (s.startsWith('(') && s.endsWith(')') && wrapsWhole(s)) s = s.slice(1, -1).trim();
  return s;
}

function wrapsWhole(s: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return true;
}

/**
 * A default as SQLite reports it (`PRAGMA table_info` drops one pair of outer parentheses):
 * outer parentheses removed, keywords and function names lower-cased outside string literals.
 */
export function normalizeSqliteDefault(expression: string | undefined): string | undefined {
  if (expression === undefined) return undefined;
  const s = stripOuterParens(expression);
  if (/^null$/i.test(s)) return undefined;
  return s.replace(/('(?:[^']|'')*')|([^']+)/g, (_m, lit: string | undefined, other: string | undefined) => lit ?? (other ?? '').toLowerCase().replace(/\s+/g, ' '));
}
