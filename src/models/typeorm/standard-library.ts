/**
 * TypeScript's standard library declarations (`lib.es2020.d.ts` …) for compiling a project's files:
 * the project's own TypeScript's, on disk, else the ones @ts-morph/common carries in memory (the
 * compiler migrator carries has none beside it).
 */
import { existsSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import type { ts } from 'ts-morph';
import { tsc } from '../typescript/compiler-api.js';

export interface StandardLibrary {
  /** The folder the declarations are in, as the compiler host reports it. */
  folder: string;
  /** The files by path, when they are held in memory; absent when they are on disk. */
  files?: ReadonlyMap<string, string>;
}

let carried: StandardLibrary | undefined;

/** The library of the TypeScript installed for the project in `dir`, else the carried one. */
export function standardLibrary(dir: string): StandardLibrary {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const folder = path.join(d, 'node_modules', 'typescript', 'lib');
    if (existsSync(path.join(folder, 'lib.d.ts'))) return { folder };
    if (path.dirname(d) === d) break;
  }
  carried ??= carriedLibrary();
  return carried;
}

/** @ts-morph/common's copy, its module loaded with the compiler already loaded rather than a second one. */
function carriedLibrary(): StandardLibrary {
  const require = createRequire(import.meta.url);
  const common = createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common');
  const own = createRequire(common);
  const compiler = own.resolve('./typescript');
  if (!own.cache[compiler]) {
    const m = new Module(compiler);
    m.filename = compiler;
    m.exports = tsc;
    m.loaded = true;
    own.cache[compiler] = m;
  }
  const { getLibFiles, libFolderInMemoryPath } = own(common) as { getLibFiles(): { fileName: string; text: string }[]; libFolderInMemoryPath: string };
  return { folder: libFolderInMemoryPath, files: new Map(getLibFiles().map((f) => [path.posix.join(libFolderInMemoryPath, f.fileName), f.text])) };
}

/** `host` reading the standard library from `library`. */
export function withStandardLibrary(host: ts.CompilerHost, library: StandardLibrary): ts.CompilerHost {
  host.getDefaultLibLocation = () => library.folder;
  host.getDefaultLibFileName = (options) => path.join(library.folder, tsc.getDefaultLibFileName(options));
  const files = library.files;
  if (!files) return host;
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, onError, create) => {
    const text = files.get(f);
    return text !== undefined ? tsc.createSourceFile(f, text, language) : getSourceFile.call(host, f, language, onError, create);
  };
  return host;
}
