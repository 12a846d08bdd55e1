/**
 * Loading TypeScript modules (migrator.config.ts, revision files) with no build step.
 *
 * The fast path strips types with sucrase and evaluates the result as CommonJS: imports of
 * `ts-migrator` (and `migrator`, the name projects used before) resolve to this running
 * migrator, relative `.ts` imports load the same way, and packages come from the file's own
 * node_modules. What that cannot load (ES-only packages,
 * `import.meta`, dynamic `import()`) goes through jiti, which handles everything but costs far
 * more per file and at start-up.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { transform as Transform } from 'sucrase';

const here = path.dirname(fileURLToPath(import.meta.url));
const ownExt = path.extname(fileURLToPath(import.meta.url));

/**
 * The specifiers a config or revision file imports this migrator by: the package's name, and
 * `migrator`, which projects written before the package had its name still use.
 */
export const OWN_NAMES = ['ts-migrator', 'migrator'];

/** Module aliases, so a config or revision file imports this very migrator. */
export function selfAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of OWN_NAMES) {
    aliases[`${name}/decorators`] = path.join(here, `decorators${ownExt}`);
    aliases[name] = path.join(here, `index${ownExt}`);
  }
  return aliases;
}

/** `import … from 'ts-migrator'` or `'migrator/decorators'`, any of the own names. */
const OWN_IMPORT = /\bfrom\s+['"](?:ts-)?migrator(\/decorators)?['"]/;

class NeedsFullLoader extends Error {}

let transformCache: typeof Transform | undefined;

/** sucrase, loaded on first use: commands that load no TypeScript file never pay for it. */
function sucrase(): typeof Transform {
  transformCache ??= (createRequire(import.meta.url)('sucrase') as { transform: typeof Transform }).transform;
  return transformCache;
}

type Exports = Record<string, unknown>;

const TRANSFORM_OPTIONS = { transforms: ['typescript', 'imports'] as ('typescript' | 'imports')[], disableESTransforms: true };

/** The node_modules folder nearest above a folder, found once per folder; undefined when there is none. */
const modulesDirs = new Map<string, string | undefined>();
function modulesDirOf(dir: string): string | undefined {
  if (modulesDirs.has(dir)) return modulesDirs.get(dir);
  const modules = path.join(dir, 'node_modules');
  const parent = path.dirname(dir);
  const found = existsSync(modules) ? modules : parent === dir ? undefined : modulesDirOf(parent);
  modulesDirs.set(dir, found);
  return found;
}

/**
 * migrator's cache folder `name` in the node_modules folder nearest above `dir`
 * (`node_modules/.cache/migrator/<name>`); undefined when there is none.
 */
export function cacheDirOf(dir: string, name: string): string | undefined {
  const modules = modulesDirOf(dir);
  return modules && path.join(modules, '.cache', 'migrator', name);
}

/**
 * Writes a cache file whole under another name, then renames it: a concurrent run never reads
 * half a file. Returns false when it cannot be written (a read-only project): the caller goes on
 * without it.
 */
export function writeCacheFile(file: string, data: string | Uint8Array): boolean {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Named for the process and the thread: a run's files are also loaded on a thread of their own.
    const partial = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(partial, data);
    renameSync(partial, file);
    return true;
  } catch {
    return false;
  }
}

let transformKey: string | undefined;

/** What a cached transform depends on besides the source: sucrase's version and the options. */
function transformKeyOf(): string {
  if (transformKey === undefined) {
    const { version } = createRequire(import.meta.url)('sucrase/package.json') as { version: string };
    transformKey = `sucrase ${version} ${JSON.stringify(TRANSFORM_OPTIONS)}\n`;
  }
  return transformKey;
}

/**
 * A file's source with its types stripped and its imports made CommonJS. Kept by content in the
 * project's `node_modules/.cache/migrator`, so that a file is transformed once, not at every run:
 * an edited file has another key. Without a node_modules folder, or when the cache cannot be read
 * or written, the file is simply transformed.
 */
function transformed(file: string, source: string): string {
  const dir = cacheDirOf(path.dirname(file), 'transform');
  const cached = dir && path.join(dir, `${createHash('sha256').update(transformKeyOf()).update(source).digest('hex')}.js`);
  if (cached) {
    try {
      return readFileSync(cached, 'utf8');
    } catch {
      // not transformed yet
    }
  }
  const { code } = sucrase()(source, { ...TRANSFORM_OPTIONS, filePath: file });
  // A read-only project: transformed again next time.
  if (cached) writeCacheFile(cached, code);
  return code;
}

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];

function resolveRelative(from: string, request: string): string | undefined {
  const base = path.resolve(path.dirname(from), request);
  const candidates = [base, ...TS_EXTENSIONS.map((e) => base + e), ...TS_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  // `./helpers.js` written for a `helpers.ts` file, as TypeScript's NodeNext style asks.
  if (/\.(m|c)?js$/.test(base)) candidates.push(...TS_EXTENSIONS.map((e) => base.replace(/\.(m|c)?js$/, e)));
  return candidates.find((c) => existsSync(c) && !c.endsWith(path.sep));
}

async function fastLoad(file: string, own: Record<string, Exports>, seen: Map<string, Exports>, text?: string): Promise<Exports> {
  const cached = seen.get(file);
  if (cached) return cached;
  const source = text ?? readFileSync(file, 'utf8');
  if (/\bimport\s*\(|\bimport\.meta\b/.test(source)) throw new NeedsFullLoader();
  const code = transformed(file, source);
  const module = { exports: {} as Exports };
  seen.set(file, module.exports);
  // Made on first use: a revision file that imports only types from migrator requires nothing.
  let nodeRequire: NodeJS.Require | undefined;
  const pending: string[] = [];
  // Relative TypeScript imports are loaded first (see below); everything else synchronously.
  for (const m of code.matchAll(/\brequire\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*\)/g)) pending.push(m[2]);
  const relative = new Map<string, Exports>();
  for (const request of pending) {
    const target = resolveRelative(file, request);
    if (target && TS_EXTENSIONS.includes(path.extname(target))) relative.set(request, await fastLoad(target, own, seen));
  }
  const requireFn = (request: string): unknown => {
    if (request in own) return own[request];
    const loaded = relative.get(request);
    if (loaded) return loaded;
    try {
      nodeRequire ??= createRequire(file);
      return nodeRequire(request);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_REQUIRE_ESM') throw new NeedsFullLoader();
      throw error;
    }
  };
  const fn = new Function('exports', 'require', 'module', '__filename', '__dirname', `${code}\n//# sourceURL=${encodeURI(file)}`);
  fn(module.exports, requireFn, module, file, path.dirname(file));
  seen.set(file, module.exports);
  return module.exports;
}

async function ownModules(source: string): Promise<Record<string, Exports>> {
  // Only what the file asks for is loaded: the decorators module is tiny, the index is not.
  const own: Record<string, Exports> = {};
  const js = ownExt === '.ts' ? '.js' : ownExt;
  if (/['"](?:ts-)?migrator['"]/.test(source)) {
    const index = { ...(await import(`./index${js}`)) } as Exports;
    for (const name of OWN_NAMES) own[name] = index;
  }
  if (/['"](?:ts-)?migrator\/decorators['"]/.test(source)) {
    const decorators = { ...(await import(`./decorators${js}`)) } as Exports;
    for (const name of OWN_NAMES) own[`${name}/decorators`] = decorators;
  }
  return own;
}

/**
 * Imports a TypeScript or JavaScript module without a build step; returns its exports. `source`
 * is the file's text when the caller has read it already.
 */
export async function importModule(file: string, source: string = readFileSync(file, 'utf8')): Promise<Exports> {
  // A file with only type imports (a generated revision) needs nothing of ours at all.
  const needsOwn = OWN_IMPORT.test(source.replace(/import\s+type\b[^;]*;/g, ''));
  try {
    return await fastLoad(file, needsOwn ? await ownModules(source) : {}, new Map(), source);
  } catch (error) {
    if (!(error instanceof NeedsFullLoader)) throw error;
  }
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { alias: selfAliases(), moduleCache: false, fsCache: false, interopDefault: false });
  return (await jiti.import(file)) as Exports;
}
