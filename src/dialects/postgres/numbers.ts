/** Numbers in PostgreSQL's text, compared exactly. */

/**
 * A number literal as comparable text, exactly (no floating point: 9007199254740993 stays
 * itself): no leading zeros, no trailing zeros after the point, no `-0`.
 */
export function canonicalNumber(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const int = m[2].replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return /^0(\.0*)?$/.test(body) ? '0' : `${m[1]}${body}`;
}
