/**
 * The TypeScript compiler API the entity reader parses with: the copy ts-morph carries
 * (@ts-morph/common's typescript.js), loaded on its own. The reader needs the parser alone, not
 * ts-morph's wrappers nor the library files @ts-morph/common embeds, and loading all of ts-morph
 * costs about half a second at every run, most of it V8 compiling 13 MB of JavaScript. So the
 * compiler is loaded by itself, with a V8 code cache kept in `node_modules/.cache/migrator/v8`
 * (one file per compiler file and Node version, written once, when it is missing or stale): a
 * run after the first does not compile it again. Where the file is not where ts-morph keeps it,
 * ts-morph's own `ts` is used.
 *
 * Types come from ts-morph (`import type { ts } from 'ts-morph'`); values from `tsc` here.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { ts } from 'ts-morph';
import { cacheDirOf, writeCacheFile } from '../../loader.js';

const require = createRequire(import.meta.url);

/**
 * A file's bytes as text. The compiler's 9 MB are plain ASCII, which reads as Latin-1 byte for
 * byte into a one-byte string, at about half the cost of decoding UTF-8; any other file is decoded
 * as UTF-8.
 */
function asText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Runs a CommonJS file through a V8 code cache; returns its exports. */
function requireCached(file: string): unknown {
  const source = asText(readFileSync(file));
  const { size, mtimeMs } = statSync(file);
  const dir = cacheDirOf(path.dirname(file), 'v8');
  const key = createHash('sha256').update(`${process.version}\n${process.versions.v8}\n${file}\n${size}\n${mtimeMs}`).digest('hex').slice(0, 32);
  const cacheFile = dir && path.join(dir, `${path.basename(file, '.js')}-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    // not cached yet
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  // Made at exit, when the functions this run used are compiled too and go into the cache.
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeCacheFile(cacheFile, script.createCachedData()));
  return module.exports;
}

function load(): typeof ts {
  const common = path.dirname(createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common'));
  const file = path.join(common, 'typescript.js');
  if (!existsSync(file)) return (require('ts-morph') as { ts: typeof ts }).ts;
  return requireCached(file) as typeof ts;
}

/** The TypeScript compiler API (values: `tsc.SyntaxKind`, `tsc.createSourceFile`). */
export const tsc: typeof ts = load();
