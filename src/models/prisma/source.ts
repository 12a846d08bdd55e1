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

let prismaAst: Promise<PrismaAst> | undefined;

/**
 * @mrleebo/prisma-ast, with the parser library it requires (chevrotain) taken from that
 * library's own single-file build, which it publishes beside its modules: imported the usual way,
 * chevrotain is some 600 modules (lodash-es's among them) whose loading alone costs a third of a
 * second at every run. Where either package is not laid out as expected, the usual import.
 */
function loadPrismaAst(): Promise<PrismaAst> {
  prismaAst ??= (async () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@mrleebo/prisma-ast');
    const build = path.join(path.dirname(entry), process.env.NODE_ENV === 'production' ? 'prisma-ast.cjs.production.min.js' : 'prisma-ast.cjs.development.js');
    const requireFromBuild = createRequire(build);
    const bundle = path.resolve(path.dirname(requireFromBuild.resolve('chevrotain')), '..', 'chevrotain.mjs');
    if (!existsSync(build) || !existsSync(bundle)) return import('@mrleebo/prisma-ast');
    const chevrotain = await import(pathToFileURL(bundle).href);
    const module = { exports: {} as PrismaAst };
    const requireFn = (name: string): unknown => (name === 'chevrotain' ? chevrotain : requireFromBuild(name));
    new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(build, 'utf8'))(module.exports, requireFn, module, build, path.dirname(build));
    return module.exports;
  })();
  return prismaAst;
}

/** What may stand outside strings and comments: identifiers, numbers, punctuation, blanks. */
const CODE_CHAR = /[A-Za-z0-9_\-@.?{}()[\],:="\s]/;

/** Character codes that may stand outside strings and comments, for the scan's fast path. */
const CODE = new Uint8Array(128);
for (let c = 0; c < 128; c++) CODE[c] = CODE_CHAR.test(String.fromCharCode(c)) ? 1 : 0;

/**
 * Prisma accepts a block comment when nothing but blanks (or earlier block comments) precede it
 * on its first line, or nothing but blanks follow it on its last line; anywhere else — between a
 * field's name, type and attributes, inside arguments — it rejects the line.
 */
export function prepareSource(text: string, file: string): string {
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
      if (c >= 128 ? !/\s/.test(text[i]) : CODE[c] === 0) fail({ file, line: lineAt(i) }, `unexpected character ${JSON.stringify(text[i])} outside a string or comment; Prisma does not accept it here`);
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

/** Parses one schema file with prisma-ast, locations on; a syntax error names the line. */
export async function parseSchemaFile(file: string): Promise<Schema> {
  const { getSchema, PrismaParser, VisitorClassFactory } = await loadPrismaAst();
  const source = prepareSource(readFileSync(file, 'utf8'), file);
  const parser = new PrismaParser({ nodeLocationTracking: 'full' });
  const Visitor = VisitorClassFactory(parser);
  try {
    return getSchema(source, { parser, visitor: new Visitor(parser) });
  } catch (error) {
    const token = (error as { token?: { startLine?: number } }).token;
    const message = (error as Error).message.split('\n')[0];
    return fail({ file, line: token?.startLine }, `syntax error: ${message}; fix the schema and run again`);
  }
}
