/** How SQLite types and defaults compare: as declared, ignoring case and spacing. */
import { mapOutsideStrings, stripOuterParens } from '../../sql/text.js';

/** `VARCHAR (255)` and `varchar(255)` are the same declared type. */
export function normalizeSqliteType(type: string): string {
  return type.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')').trim();
}

/**
 * A default as SQLite reports it (`PRAGMA table_info` drops one pair of outer parentheses):
 * outer parentheses removed, keywords and function names lower-cased outside string literals.
 */
export function normalizeSqliteDefault(expression: string | undefined): string | undefined {
  if (expression === undefined) return undefined;
  const s = stripOuterParens(expression);
  if (/^null$/i.test(s)) return undefined;
  return mapOutsideStrings(s, (other) => other.toLowerCase().replace(/\s+/g, ' '));
}
