/**
 * Ignore comments in revision files:
 *   // migrator-lint-ignore <code>[, <code>]: <reason>
 * on the line above an `op.…(` call (further comment lines may sit between) or at the end of its
 * line, silencing those codes for the operations called on that line.
 */

export interface IgnoreComment {
  /** The comment's own line (1-based). */
  line: number;
  /** The line of the call it covers. */
  covers: number;
  codes: string[];
  /** Empty when the comment gives none. */
  reason: string;
}

const MARK = /\/\/\s*migrator-lint-ignore\b(.*)$/;
const COMMENT_LINE = /^\s*\/\//;

/** The ignore comments of a revision file's source. */
export function parseIgnores(source: string): IgnoreComment[] {
  const lines = source.split(/\r?\n/);
  const out: IgnoreComment[] = [];
  lines.forEach((text, i) => {
    const m = MARK.exec(text);
    if (!m) return;
    const rest = m[1];
    const colon = rest.indexOf(':');
    const codeText = colon < 0 ? rest : rest.slice(0, colon);
    const codes = codeText
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const reason = colon < 0 ? '' : rest.slice(colon + 1).trim();
    let covers = i + 1;
    if (COMMENT_LINE.test(text)) {
      // A comment on its own line covers the next line that is not a comment.
      let next = i + 1;
      while (next < lines.length && COMMENT_LINE.test(lines[next])) next++;
      covers = next + 1;
    }
    out.push({ line: i + 1, covers, codes, reason });
  });
  return out;
}
