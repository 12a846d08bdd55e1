/**
 * Reads the revision graph from the headers of the files in the version folders, without running
 * any file: `revision`, `downRevision`, `branchLabels`, `dependsOn` and a squash's `replaces`
 * must be literals.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { MigratorError } from '../errors.js';
import type { Revision } from '../revisions/graph.js';
import { commentText, LINE_BREAK } from './comment.js';
import { HeaderCache } from './header-cache.js';

const HEADER = /^export\s+const\s+(revision|downRevision|branchLabels|dependsOn|replaces)\b\s*(?::[^=\n]*)?=\s*(.*?)\s*;?\s*$/gm;
const REVISION_FILE = /\.(?:ts|mts|js|mjs)$/;

/** Parses a header value: a string literal, null, or an array of string literals. */
export function parseHeaderLiteral(text: string): string | string[] | null | undefined {
  const s = text.trim();
  if (s === 'null') return null;
  const str = /^(['"])((?:\\.|(?!\1)[^\\])*)\1$/.exec(s);
  if (str) return unescape(str[2]);
  if (s.startsWith('[') && s.endsWith(']')) {
    const inner = s.slice(1, -1).trim();
    if (!inner) return [];
    const items: string[] = [];
    const item = /\s*(['"])((?:\\.|(?!\1)[^\\])*)\1\s*(,|$)/y;
    let m: RegExpExecArray | null;
    let at = 0;
    while (at < inner.length && (item.lastIndex = at, (m = item.exec(inner)))) {
      items.push(unescape(m[2]));
      at = item.lastIndex;
      if (m[3] === '') break;
    }
    return at >= inner.trimEnd().length ? items : undefined;
  }
  return undefined;
}

const ESCAPE = /\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|([\s\S]))/g;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The text of a string literal's body, escapes read as TypeScript reads them. */
function unescape(s: string): string {
  return s.replace(ESCAPE, (_, hex: string | undefined, point: string | undefined, unit: string | undefined, c: string | undefined) => {
    if (hex ?? unit) return String.fromCharCode(parseInt((hex ?? unit)!, 16));
    if (point) return String.fromCodePoint(parseInt(point, 16));
    return SIMPLE_ESCAPES[c!] ?? c!;
  });
}

function list(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first line of the leading doc comment: the revision's message. */
function docMessage(source: string): string | undefined {
  const doc = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!doc) return undefined;
  const line = doc[1].split(LINE_BREAK).map((l) => l.replace(/^\s*\*\s?/, '').trim()).find((l) => l.length > 0);
  return line && !/^Revision ID:/.test(line) ? commentText(line) : undefined;
}

/** Reads one revision file's header. */
export function readRevisionHeader(file: string, source = readFileSync(file, 'utf8')): Revision {
  const values = new Map<string, string | string[] | null>();
  for (const m of source.matchAll(HEADER)) {
    // A trailing comment after the literal is fine: `export const revision = 'ab12'; // first`.
    const value = parseHeaderLiteral(m[2]) ?? parseHeaderLiteral(m[2].replace(/;?\s*(?:\/\/.*|\/\*.*\*\/)\s*$/, ''));
    if (value === undefined) {
      throw new MigratorError(`${file}: the header \`${m[1]}\` must be a literal (a string, an array of strings, or null), not \`${m[2]}\``);
    }
    if (values.has(m[1])) throw new MigratorError(`${file}: the header \`${m[1]}\` is declared twice`);
    values.set(m[1], value);
  }
  const id = values.get('revision');
  if (typeof id !== 'string' || !id) throw new MigratorError(`${file}: no \`export const revision = '<id>'\` header; every revision file needs one`);
  if (!values.has('downRevision')) throw new MigratorError(`${file}: no \`export const downRevision = …\` header (use null for a first revision)`);
  return {
    id,
    downRevisions: list(values.get('downRevision')),
    branchLabels: list(values.get('branchLabels')),
    dependsOn: list(values.get('dependsOn')),
    path: file,
    message: docMessage(source),
    // Only a squash has the header.
    ...(values.has('replaces') ? { replaces: list(values.get('replaces')) } : {}),
  };
}

/** The revision files' names in a version folder, by name; none when the folder is missing. */
function revisionNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  // Dot files are never revisions: editors' temporary files, the lock file (`.migrator.lock`).
  return readdirSync(dir)
    .filter((n) => REVISION_FILE.test(n) && !n.endsWith('.d.ts') && !n.startsWith('.'))
    .sort();
}

/** Revision files of the version folders, folders in order, files by name. */
export function revisionFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => revisionNames(dir).map((n) => path.join(dir, n)));
}

const CHUNK = 64 * 1024;

/** A file's text through one reused buffer: cheaper than readFileSync over thousands of files. */
function readSmallFile(file: string, buffer: Buffer): string {
  const fd = openSync(file, 'r');
  try {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return length < buffer.length ? buffer.toString('utf8', 0, length) : readFileSync(file, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The headers of the version folders' files, folders in order, files by name; unchanged files' headers come from the cache (see HeaderCache). */
export function scanRevisions(dirs: readonly string[]): Revision[] {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const read = (file: string): Revision => readRevisionHeader(file, readSmallFile(file, buffer));
  return dirs.flatMap((dir) => {
    const names = revisionNames(dir);
    if (names.length === 0) return [];
    const cache = HeaderCache.of(dir);
    const revisions = names.map((name) => cache.header(path.join(dir, name), name, read));
    cache.save();
    return revisions;
  });
}
