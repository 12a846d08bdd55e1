/**
 * Rename hints in a Prisma schema: `/// @renamedFrom <old name>` among the doc comments right
 * above a model or a field (no blank line between), written in the same change as the rename.
 */
import { fail, lineOf } from './errors.js';

type Entry = { type: string; text?: string; location?: { startLine?: number } };

const HINT = /^\/\/\/\s*@renamedFrom\b(.*)$/;

/**
 * The old name each element of a block list (a schema's blocks, a model's properties) is given by
 * the `///` comments right above it. A hint above anything but `what` is an error naming the line.
 */
export function renamedFromHints<T extends Entry>(list: readonly T[], file: string, takes: (element: T) => boolean, what: string): Map<T, string> {
  const out = new Map<T, string>();
  // The old names of the hints read since the last element; a blank line lets them go.
  let names: string[] = [];
  for (const element of list) {
    if (element.type === 'comment') {
      const m = HINT.exec((element.text ?? '').trim());
      if (m) names.push(m[1].trim().split(/\s+/)[0]);
      continue;
    }
    if (names.length && element.type !== 'break') {
      // Comments carry no line of their own: the element they stand above names it.
      const where = { file, line: lineOf(element) };
      if (names.includes('')) fail(where, '/// @renamedFrom above this line needs the old name, e.g. /// @renamedFrom authorName');
      if (names.length > 1) fail(where, 'one /// @renamedFrom above this line is enough: it names the old name');
      if (!takes(element)) fail(where, `/// @renamedFrom above this line has nothing to rename: put it above ${what}`);
      out.set(element, names[0]);
    }
    names = [];
  }
  return out;
}
