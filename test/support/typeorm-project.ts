/**
 * Compiling a TypeORM project the way its own build does: the whole program of its
 * tsconfig.json, type-checked, emitted as CommonJS with legacy decorators and decorator metadata
 * (so `design:type` is what tsc says, imported enums included). tsc leaves `paths` aliases
 * (`@app/users/user.entity`) as they are in the emitted `require`s; they are rewritten to
 * relative paths, as tsc-alias or tsconfig-paths do for a real project.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Compiles the project of `tsconfigFile` into `outDir`; returns the emitted .js files, sorted. */
export function compileProject(tsconfigFile: string, outDir: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
  assert.ok(parsed, `cannot read ${tsconfigFile}`);
  const projectDir = path.dirname(tsconfigFile);
  const rootDir = parsed.options.rootDir ?? projectDir;
  const options: ts.CompilerOptions = { ...parsed.options, module: ts.ModuleKind.CommonJS, outDir, rootDir, noEmit: false, declaration: false, sourceMap: false };
  assert.ok(options.experimentalDecorators && options.emitDecoratorMetadata, `${tsconfigFile}: a TypeORM project needs experimentalDecorators and emitDecoratorMetadata`);
  const program = ts.createProgram(parsed.fileNames, options);
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => projectDir, getNewLine: () => '\n' };
  assert.equal(errors.length, 0, `the project does not compile:\n${ts.formatDiagnostics(errors, host)}`);

  // `paths` patterns ending in /* with one target each: '@app/*' → ['src/*'].
  const base = options.baseUrl ?? projectDir;
  const aliases = Object.entries(options.paths ?? {}).map(([pattern, [target]]) => ({
    prefix: pattern.replace(/\*$/, ''),
    dir: path.resolve(base, target.replace(/\*$/, '')),
  }));
  const emitted: string[] = [];
  const result = program.emit(undefined, (file, text) => {
    const out = text.replace(/\brequire\("([^"]+)"\)/g, (call, specifier: string) => {
      const alias = aliases.find((a) => specifier.startsWith(a.prefix));
      if (!alias) return call;
      const source = path.join(alias.dir, specifier.slice(alias.prefix.length));
      const target = path.join(outDir, path.relative(rootDir, source));
      const relative = path.relative(path.dirname(file), target).split(path.sep).join('/');
      return `require("${relative.startsWith('.') ? relative : `./${relative}`}")`;
    });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, out);
    emitted.push(file);
  });
  assert.equal(result.emitSkipped, false, `${tsconfigFile}: nothing emitted`);
  fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  return emitted.sort();
}
