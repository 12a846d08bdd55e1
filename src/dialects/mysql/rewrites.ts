/**
 * The changes InnoDB makes by copying a table (ALGORITHM=COPY), which blocks writes to it until
 * the copy ends: what lint warns about. Changing a column's type copies the table except where
 * InnoDB changes the definition alone — a VARCHAR made longer that keeps the same number of
 * length bytes, an ENUM given new values at the end — and adding an AUTO_INCREMENT column copies
 * it too. Adding other columns, defaults and nullability are done in place.
 */
import type { TableRewrites } from '../dialect.js';

/** An ENUM's members as written (each a quoted literal). */
function enumMembers(type: string): string[] | undefined {
  const m = /^enum\((.*)\)$/s.exec(type);
  return m ? (m[1].match(/'(?:[^'\\]|''|\\.)*'/g) ?? []) : undefined;
}

/**
 * A VARCHAR keeps its length in one byte up to 255 bytes, in two above. The bytes a character
 * takes depend on the column's character set (1 to 4), which the type does not say: the length
 * bytes surely stay the same only when the new length is at most 63 characters, or the old one
 * at least 256.
 */
function sameLengthBytes(from: number, to: number): boolean {
  return to <= 63 || from >= 256;
}

export function mysqlTypeChangeCopies(from: string, to: string): boolean {
  if (from === to) return false;
  const [a, b] = [/^varchar\((\d+)\)$/.exec(from), /^varchar\((\d+)\)$/.exec(to)];
  if (a && b) return !(Number(b[1]) >= Number(a[1]) && sameLengthBytes(Number(a[1]), Number(b[1])));
  const [x, y] = [enumMembers(from), enumMembers(to)];
  // An ENUM keeps its value in one byte up to 255 members.
  if (x && y) return !(y.length >= x.length && x.every((v, i) => v === y[i]) && (y.length <= 255 || x.length > 255));
  return true;
}

export const mysqlRewrites: TableRewrites = {
  blocks: 'writes',
  typeChange: mysqlTypeChangeCopies,
  addedColumn: (c) => (c.autoincrement ? 'numbers every row (AUTO_INCREMENT)' : undefined),
};
