/**
 * A routine, trigger or event whose body may hold semicolons of its own: sent whole, as a client
 * sends it once DELIMITER is set.
 */
const STORED_PROGRAM = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:(?:NOT\s+)?DETERMINISTIC\s+|AGGREGATE\s+)?(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/i;

/**
 * A user's SQL script (`op.execute`) split into its statements at the semicolons outside string
 * literals, quoted names and comments: the connection takes one statement per query. A script
 * that creates a stored program is one statement, its body's semicolons included.
 */
export function splitScript(sql: string): string[] {
  if (STORED_PROGRAM.test(sql)) return [sql.trim().replace(/;\s*$/, '')];
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    const part = sql.slice(start, end).trim();
    if (part && !/^(?:--[^\n]*\n?|#[^\n]*\n?|\/\*[\s\S]*?\*\/|\s)*$/.test(part)) out.push(part);
  };
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      // To the closing quote; a doubled quote, or (in a string) a backslash, escapes one.
      for (i++; i < sql.length; i++) {
        if (ch !== '`' && sql[i] === '\\') i++;
        else if (sql[i] === ch) {
          if (sql[i + 1] === ch) i++;
          else break;
        }
      }
      i++;
    } else if ((ch === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' ')) || ch === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === ';') {
      push(i);
      start = ++i;
    } else i++;
  }
  push(sql.length);
  return out;
}
