/**
 * Whether PostgreSQL reads a text as exactly one command, decided on a plain subset of SQL: only
 * single-quoted strings and double-quoted identifiers, no semicolon outside them, no comment,
 * no dollar quote and no backslash anywhere. Within that subset PostgreSQL's lexer (with
 * standard_conforming_strings on, as migrator's sessions set it) ends a quoted run exactly where
 * this scan does, so a text that passes cannot hold a second command. Anything outside the subset
 * is answered no, and goes to the server alone.
 */
export function plainlyOneCommand(sql: string): boolean {
  if (sql.includes('\\') || sql.includes('$')) return false;
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote !== undefined) {
      // A doubled quote closes and reopens: the same run, as PostgreSQL reads it.
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === ';') return false;
    else if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) return false;
  }
  return quote === undefined;
}
