/**
 * SQL expressions (checks, partial-index predicates) as comparable text. PostgreSQL stores them
 * re-printed — `(price > (0)::numeric)` for `"price" > 0` — so both sides are reduced to a
 * common form: no quotes around plain identifiers, no casts of literals, no redundant parentheses.
 */
export function normalizePgExpression(expression: string): string {
  let s = expression
    .replace(/"([a-z_][a-z0-9_]*)"/g, '$1')
    // Casts PostgreSQL adds when it re-prints: after literals and after column references alike.
    .replace(/::(?:"[^"]*"|[a-z_][a-z0-9_.]*)(?:\(\d+(?:,\d+)?\))?(?: (?:varying|precision|with(?:out)? time zone))*(?:\[\])*/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Parentheses around single literals or identifiers, then around the whole expression.
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/\((-?\d+(?:\.\d+)?|'(?:[^']|'')*'|[a-z_][a-z0-9_]*)\)/gi, '$1');
  }
  while (s.startsWith('(') && s.endsWith(')') && wraps(s)) s = s.slice(1, -1).trim();
  return s.replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').toLowerCase();
}

function wraps(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return true;
}
