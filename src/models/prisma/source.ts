/**
 * A schema file's text made safe for @mrleebo/prisma-ast, which has no token for block comments
 * and silently drops characters it cannot lex (so the words of a `/* … *\/` comment would become
 * fields). Block comments Prisma accepts are blanked out, line breaks kept so that line numbers
 * stay right; the ones Prisma rejects, and any character outside a string or comment that no
 * Prisma token starts with, are errors naming the line. Blanks at the end of a line are dropped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Schema } from '@mrleebo/prisma-ast';
import { fail } from './errors.js';

type PrismaAst = typeof import('@mrleebo/prisma-ast');

let prismaAst: Promise<{ ast: PrismaAst; unicode: boolean }> | undefined;

/** prisma-ast's identifier token, ASCII only; Prisma's identifiers start with a letter of any script. */
const ASCII_IDENTIFIER = /pattern:\s*\/\[a-zA-Z\]\[\\w-\]\*\//;
/**
 * The same over every letter: code units from U+0080 on (not surrogates: prepareSource lets
 * through, outside strings, only letters, marks and digits of the Basic Multilingual Plane).
 */
const ANY_IDENTIFIER = 'pattern: /[a-zA-Z\\u0080-\\ud7ff\\ue000-\\uffff][\\w\\u0080-\\ud7ff\\ue000-\\uffff-]*/';

/**
 * @mrleebo/prisma-ast, with the parser library it requires (chevrotain) taken from that
 * library's own single-file build, which it publishes beside its modules: imported the usual way,
 * chevrotain is some 600 modules (lodash-es's among them) whose loading alone costs a third of a
 * second at every run. Where either package is not laid out as expected, the usual import.
 */
function loadPrismaAst(): Promise<{ ast: PrismaAst; unicode: boolean }> {
  prismaAst ??= (async () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@mrleebo/prisma-ast');
    const build = path.join(path.dirname(entry), process.env.NODE_ENV === 'production' ? 'prisma-ast.cjs.production.min.js' : 'prisma-ast.cjs.development.js');
    const requireFromBuild = createRequire(build);
    const bundle = path.resolve(path.dirname(requireFromBuild.resolve('chevrotain')), '..', 'chevrotain.mjs');
    if (!existsSync(build) || !existsSync(bundle)) return { ast: await import('@mrleebo/prisma-ast'), unicode: false };
    const chevrotain = await import(pathToFileURL(bundle).href);
    const module = { exports: {} as PrismaAst };
    const requireFn = (name: string): unknown => (name === 'chevrotain' ? chevrotain : requireFromBuild(name));
    // Its lexer would drop the letters of `model Café` it cannot lex: it is given Prisma's identifiers.
    const source = readFileSync(build, 'utf8');
    const unicode = ASCII_IDENTIFIER.test(source);
    new Function('exports', 'require', 'module', '__filename', '__dirname', source.replace(ASCII_IDENTIFIER, ANY_IDENTIFIER))(module.exports, requireFn, module, build, path.dirname(build));
    return { ast: module.exports, unicode };
  })();
  return prismaAst;
}

/** What may stand outside strings and comments: identifiers, numbers, punctuation, blanks. */
const CODE_CHAR = /[A-Za-z0-9_\-@.?{}()[\],:="\s]/;

/** Character codes that may stand outside strings and comments, for the scan's fast path. */
const CODE = new Uint8Array(128);
for (let c = 0; c < 128; c++) CODE[c] = CODE_CHAR.test(String.fromCharCode(c)) ? 1 : 0;

/** What may continue a name: ASCII letters, digits, `_` and `-`, and (read by the lexer as such) other letters. */
const NAME_CHAR = /[\w\-\p{L}\p{M}\p{Nd}]/u;
/** Characters beyond ASCII that Prisma takes in names: letters, their marks, digits. */
const NAME_LETTER = /[\p{L}\p{M}\p{Nd}]/u;

/**
 * Prisma accepts a block comment when nothing but blanks (or earlier block comments) precede it
 * on its first line, or nothing but blanks follow it on its last line; anywhere else — between a
 * field's name, type and attributes, inside arguments — it rejects the line. A line comment
 * right after a block's `{` (which prisma-ast cannot parse there) is blanked out. `unicode`: the
 * lexer reads names in any script (see loadPrismaAst); else a letter beyond ASCII is an error.
 */
export function prepareSource(text: string, file: string, unicode = false): string {
  const lineAt = (i: number): number => text.slice(0, i).split('\n').length;
  const lineStart = (i: number): number => text.lastIndexOf('\n', i - 1) + 1;
  const lineEnd = (i: number): number => {
    const n = text.indexOf('\n', i);
    return n === -1 ? text.length : n;
  };
  // Block comments to blank out, as [start, end) ranges; the text is rebuilt once at the end.
  const blanks: [number, number][] = [];
  const blanked = (from: number, to: number): string => {
    let out = text.slice(from, to);
    for (const [a, b] of blanks) if (b > from && a < to) out = out.slice(0, Math.max(a, from) - from) + ' '.repeat(Math.min(b, to) - Math.max(a, from)) + out.slice(Math.min(b, to) - from);
    return out;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // A string: to its closing quote, escapes skipped; strings never span lines.
      for (i++; i < n && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
      i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      // `model A { // …`: Prisma reads the comment, prisma-ast wants the line to end at `{`.
      if (/\{\s*$/.test(blanked(lineStart(i), i))) blanks.push([i, lineEnd(i)]);
      i = lineEnd(i);
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) fail({ file, line: lineAt(i) }, 'this block comment /* … is never closed; end it with */');
      const end = close + 2;
      const before = blanked(lineStart(i), i);
      const after = text.slice(end, lineEnd(end));
      if (!/^\s*$/.test(before) && !/^\s*$/.test(after)) {
        fail(
          { file, line: lineAt(i) },
          'Prisma does not accept a block comment /* … */ between the parts of a line (a field’s name, type and attributes, or inside arguments); move it to the start or the end of the line',
        );
      }
      blanks.push([i, end]);
      i = end;
    } else if (c === 42 && text.charCodeAt(i + 1) === 47) {
      fail({ file, line: lineAt(i) }, 'a */ that closes no block comment; remove it');
    } else {
      if (c >= 128) {
        // Blanks beyond ASCII become spaces: the lexer would take them into a name.
        if (/\s/.test(text[i])) blanks.push([i, i + 1]);
        else if (!unicode || !NAME_LETTER.test(text[i])) fail({ file, line: lineAt(i) }, `unexpected character ${JSON.stringify(text[i])} outside a string or comment; Prisma does not accept it here`);
      } else if (CODE[c] === 0) fail({ file, line: lineAt(i) }, `unexpected character ${JSON.stringify(text[i])} outside a string or comment; Prisma does not accept it here`);
      else if ((c === 95 /* _ */ || c === 45) /* - */ && !(i > 0 && NAME_CHAR.test(text[i - 1])) && !(c === 45 && /[0-9]/.test(text[i + 1] ?? ''))) {
        // The lexer would drop it silently and read `_A` as `A`.
        const word = /^[\w\-\p{L}\p{M}\p{Nd}]+/u.exec(text.slice(i, lineEnd(i)))![0];
        fail(
          { file, line: lineAt(i) },
          c === 95
            ? `"${word}": a name in a Prisma schema starts with a letter, not "_" (Prisma rejects this line); rename it, and keep the database name with @map("${word}") or @@map("${word}")`
            : `unexpected "${word}": a "-" outside a string starts nothing in a Prisma schema but a negative number; Prisma rejects this line`,
        );
      }
      i++;
    }
  }
  let out = text;
  if (blanks.length) {
    const parts: string[] = [];
    let at = 0;
    for (const [a, b] of blanks) {
      parts.push(text.slice(at, a), text.slice(a, b).replace(/[^\r\n]/g, ' '));
      at = b;
    }
    parts.push(text.slice(at));
    out = parts.join('');
  }
  // prisma-ast lexes the blanks before a line break as whitespace together with the break, and
  // then misses the break it needs after `{`: trailing blanks go (strings never span lines).
  return out.replace(/[ \t]+(?=\r?\n|$)/g, '');
}

/** The words a top-level block of a schema starts with. */
const BLOCK_START = /^(?:model|enum|datasource|generator|view|type)\s/;

/**
 * The top-level blocks of a prepared schema text, each with the number of lines before it: the
 * text is cut where a line starting a block begins outside every brace, string and comment.
 * Undefined when the braces do not balance, where the whole text is parsed as one.
 */
export function splitBlocks(text: string): { text: string; at: number; lines: number }[] | undefined {
  const cuts: number[] = [0];
  let depth = 0;
  let lines = 0;
  const linesAt: number[] = [0];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      lines++;
      if (depth === 0 && i + 1 < n && BLOCK_START.test(text.slice(i + 1, i + 12))) {
        cuts.push(i + 1);
        linesAt.push(lines);
      }
    } else if (c === 34 /* " */) {
      // Strings never span lines (prepareSource leaves no other kind).
      for (i++; i < n && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
      if (text.charCodeAt(i) === 10) i--;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? n : end) - 1;
    } else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */ && --depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  return cuts.map((at, k) => ({ text: text.slice(at, cuts[k + 1] ?? n), at, lines: linesAt[k] }));
}

/** Moves the locations prisma-ast recorded in a block parsed alone to where the block stands in its file. */
function shiftLocations(node: object, block: { at: number; lines: number }): void {
  if (Array.isArray(node)) {
    for (const item of node) if (item !== null && typeof item === 'object') shiftLocations(item as object, block);
    return;
  }
  for (const key in node) {
    const value = (node as Record<string, unknown>)[key];
    if (value === null || typeof value !== 'object') continue;
    if (key === 'location') {
      const loc = value as Record<string, unknown>;
      for (const k of ['startLine', 'endLine'] as const) if (typeof loc[k] === 'number') loc[k] += block.lines;
      for (const k of ['startOffset', 'endOffset'] as const) if (typeof loc[k] === 'number') loc[k] += block.at;
    } else shiftLocations(value, block);
  }
}

/**
 * Parses one schema file with prisma-ast, locations on; a syntax error names the line. Each
 * top-level block is parsed on its own: the parser's tree of a block is dropped as soon as the
 * block is read, where a whole large schema's would be held (and copied by the collector) to the
 * end. The blocks' lists, put together, are the list of the whole file; a block that does not
 * parse has the whole file parsed again, so that an error is reported as the file gives it.
 */
export async function parseSchemaFile(file: string): Promise<Schema> {
  const { ast, unicode } = await loadPrismaAst();
  const { getSchema, PrismaParser, VisitorClassFactory } = ast;
  const source = prepareSource(readFileSync(file, 'utf8'), file, unicode);
  const parser = new PrismaParser({ nodeLocationTracking: 'full' });
  const visitor = new (VisitorClassFactory(parser))(parser);
  const parse = (text: string): Schema => getSchema(text, { parser, visitor });
  const blocks = splitBlocks(source);
  if (blocks && blocks.length > 1) {
    try {
      const list: Schema['list'] = [];
      for (const block of blocks) {
        const parsed = parse(block.text);
        if (block.at > 0) shiftLocations(parsed.list, block);
        for (const item of parsed.list) list.push(item);
      }
      return { type: 'schema', list };
    } catch {
      // parsed again whole below, for the error as the whole file gives it
    }
  }
  try {
    return parse(source);
  } catch (error) {
    const token = (error as { token?: { startLine?: number } }).token;
    const message = (error as Error).message.split('\n')[0];
    return fail({ file, line: token?.startLine }, `syntax error: ${message}; fix the schema and run again`);
  }
}
