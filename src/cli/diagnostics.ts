/**
 * What the database said about a statement it refused, printed under the one-line error as psql
 * prints it: the statement's line with a caret under the position, then `detail:`, `hint:`, the
 * query a function ran (with its own caret) and `context:`.
 */
import { redact } from '../config/secrets.js';
import { StatementError } from '../dialects/dialect.js';

/** Lines of a statement wider than this are cut around the position. */
const WIDTH = 100;
const CUT = '...';

/** The lines to print under `error`'s message; none when no failed statement is behind it. */
export function diagnosticLines(error: unknown): string[] {
  const failed = statementErrorIn(error);
  if (!failed) return [];
  const d = failed.diagnostics;
  const lines: string[] = [];
  if (d.position !== undefined) lines.push(...pointAt(failed.statement, d.position, 'line'));
  if (d.detail) lines.push(...labelled('detail', d.detail));
  if (d.hint) lines.push(...labelled('hint', d.hint));
  if (d.internalQuery) lines.push(...(d.internalPosition !== undefined ? pointAt(d.internalQuery, d.internalPosition, 'query line') : labelled('query', d.internalQuery)));
  if (d.context) lines.push(...labelled('context', d.context));
  return lines;
}

/** The failed statement behind an error: itself, or along its causes. */
function statementErrorIn(error: unknown): StatementError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof StatementError) return e;
  }
  return undefined;
}

/** `  label: text`, a text of several lines indented under it. */
function labelled(label: string, text: string): string[] {
  const [first, ...rest] = text.replace(/\s+$/, '').split(/\r?\n/);
  return [`  ${label}: ${first}`, ...rest.map((l) => `    ${l}`)];
}

/**
 * The line of `text` that holds character `position` (counted from 1, as PostgreSQL counts), and
 * a caret under that character: `  line 3: SELECT * FORM t` / `                   ^`.
 */
function pointAt(text: string, position: number, label: string): string[] {
  const chars = [...text];
  const at = Math.min(Math.max(position - 1, 0), chars.length);
  let start = at;
  while (start > 0 && chars[start - 1] !== '\n') start--;
  let end = at;
  while (end < chars.length && chars[end] !== '\n') end++;
  const lineNumber = 1 + chars.slice(0, start).filter((c) => c === '\n').length;
  // One column per character: tabs and carriage returns would move the caret.
  const line = chars.slice(start, end).map((c) => (c === '\t' || c === '\r' ? ' ' : c));
  const column = at - start;
  let from = 0;
  let to = line.length;
  if (line.length > WIDTH) {
    from = Math.max(0, Math.min(column - WIDTH / 2, line.length - WIDTH));
    to = from + WIDTH;
  }
  const lead = from > 0 ? CUT : '';
  const shown = `${lead}${line.slice(from, to).join('')}${to < line.length ? CUT : ''}`.trimEnd();
  const prefix = `  ${label} ${lineNumber}: `;
  // What the line shows goes through redaction as printed: the caret follows the masked text.
  const before = redact(`${lead}${line.slice(from, column).join('')}`);
  return [`${prefix}${shown}`, `${' '.repeat(prefix.length + [...before].length)}^`];
}
