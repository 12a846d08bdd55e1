/**
 * The child process's require hooks: TypeScript files compile through ProjectCompiler, imports
 * resolve through the project's tsconfig (path aliases, `.js` suffixes on .ts files) before
 * Node's own resolution, and the module being evaluated is tracked, so that each entity class can
 * be traced to the file that declares it.
 */
import Module, { builtinModules } from 'node:module';
import path from 'node:path';
import { isTypeScript, type ProjectCompiler } from './compile.js';

interface NodeModule {
  filename: string;
  _compile(code: string, filename: string): unknown;
}

/** The parts of Node's CommonJS loader the hooks wrap (not in its typings). */
interface ModuleInternals {
  _extensions: Record<string, (module: NodeModule, filename: string) => void>;
  _resolveFilename(request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown): string;
  prototype: NodeModule;
}

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const builtins = new Set(builtinModules);
const inPackage = (file: string): boolean => file.split(path.sep).includes('node_modules');

/** The files being evaluated, innermost last. */
const evaluating: string[] = [];

/** The file whose top-level code is running now (a class decorator runs while its file evaluates). */
export function currentFile(): string | undefined {
  return evaluating[evaluating.length - 1];
}

/** Installs the hooks for this process. */
export function installHooks(compiler: ProjectCompiler): void {
  const loader = Module as unknown as ModuleInternals;
  for (const ext of TS_EXTENSIONS) {
    loader._extensions[ext] = (module, filename) => {
      module._compile(compiler.compile(filename), filename);
    };
  }

  const compile = loader.prototype._compile;
  loader.prototype._compile = function (this: NodeModule, code: string, filename: string) {
    evaluating.push(filename);
    try {
      return compile.call(this, code, filename);
    } finally {
      evaluating.pop();
    }
  };

  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, isMain, options) {
    const from = parent?.filename;
    if (!from || inPackage(from) || builtins.has(request) || request.startsWith('node:') || path.isAbsolute(request)) {
      return resolve.call(this, request, parent, isMain, options);
    }
    // A TypeScript file's imports resolve as tsc resolves them (aliases first, .ts before .js).
    if (isTypeScript(from)) {
      const found = compiler.resolve(request, from);
      if (found) return found;
    }
    try {
      return resolve.call(this, request, parent, isMain, options);
    } catch (error) {
      const found = (error as { code?: string }).code === 'MODULE_NOT_FOUND' ? compiler.resolve(request, from) : undefined;
      if (found) return found;
      throw error;
    }
  };
}
