/**
 * A revision's message as the lines of its doc comment, and back. Whatever the message holds, the
 * comment stays a comment: no line break the scanner or TypeScript would see, no `*` `/` pair.
 */

/** Every kind of line break a message may carry: each starts a new comment line. */
export const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

// Characters with no place in a comment line: the other control characters, bidirectional
// controls (they can make the code after a comment read differently from how it runs) and lone
// surrogates. They are shown as escapes.
const HIDDEN = /[\x00-\x09\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeHidden(c: string): string {
  if (c === '\t') return '\\t';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The lines of a message for a block comment. `*` `/` would end the comment: a backslash goes
 * between them (one more where backslashes already stand there), which `commentText` takes away.
 */
export function commentLines(message: string): string[] {
  return message.split(LINE_BREAK).map((line) => line.replace(HIDDEN, escapeHidden).replace(/\*(\\*)\//g, '*\\$1/').trimEnd());
}

/** A comment line written by `commentLines` as the message text it came from. */
export function commentText(line: string): string {
  return line.replace(/\*\\(\\*)\//g, '*$1/');
}

/**
 * Text as SQL line comments (`-- …`), one per line of it: a line break of any kind (PostgreSQL
 * ends a `--` comment at a carriage return too) starts a new comment, never a statement.
 */
export function sqlComment(text: string): string[] {
  return text.split(LINE_BREAK).map((line) => `-- ${line.replace(HIDDEN, escapeHidden)}`.trimEnd());
}
