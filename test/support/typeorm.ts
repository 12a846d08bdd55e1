/**
 * Running real TypeORM against fixture entities, for the compatibility tests: the fixtures are
 * compiled the way a TypeORM project is (legacy decorators with metadata, CommonJS) and handed to
 * a DataSource with `synchronize: true` in a child process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Entity files the three dialects' compatibility fixtures share, kept once. */
const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'typeorm-shared');
/** The fixture folders that take the shared files in. */
const SHARING = new Set(['typeorm', 'typeorm-pg', 'typeorm-mysql', 'typeorm-v03']);

const tsFiles = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** A fixture folder's entity files by name, each with the path it is read from (the shared ones included where the folder takes them). */
export function fixtureSources(fixtures: string): Map<string, string> {
  const shared = SHARING.has(path.basename(fixtures)) ? tsFiles(SHARED).map((f): [string, string] => [f, path.join(SHARED, f)]) : [];
  const own = tsFiles(fixtures).map((f): [string, string] => [f, path.join(fixtures, f)]);
  return new Map([...shared, ...own].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function fixtureFiles(fixtures: string): string[] {
  return [...fixtureSources(fixtures).keys()];
}

/** Copies a fixture folder's entity files, the shared ones included, into `dest`. */
export function copyFixtures(fixtures: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const [file, from] of fixtureSources(fixtures)) fs.copyFileSync(from, path.join(dest, file));
}

/** Compiles the fixtures with tsc's legacy decorators into `outDir`; returns the .js files. */
export function compileFixtures(fixtures: string, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  const compiled: string[] = [];
  for (const [file, from] of fixtureSources(fixtures)) {
    const source = fs.readFileSync(from, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        useDefineForClassFields: false,
        esModuleInterop: true,
        strict: false,
      },
    });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    assert.equal(errors.length, 0, `${file}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
    const js = path.join(outDir, file.replace(/\.ts$/, '.js'));
    fs.writeFileSync(js, out.outputText);
    compiled.push(js);
  }
  return compiled;
}

/**
 * Runs TypeORM's `synchronize` with the compiled entities and these DataSource options
 * (`{ type: 'better-sqlite3', database }`, `{ type: 'postgres', url }` or `{ type: 'mysql', url }`);
 * returns its output.
 * `setup.namingStrategy` names a class (`{ module: 'typeorm-naming-strategies', name:
 * 'SnakeNamingStrategy' }`) whose instance becomes the DataSource's `namingStrategy`.
 */
export function synchronizeWithTypeOrm(
  dir: string,
  modules: string[],
  dataSource: Record<string, unknown>,
  setup: { namingStrategy?: { module: string; name: string } } = {},
): string {
  const naming = setup.namingStrategy;
  const script = path.join(dir, 'synchronize.js');
  fs.writeFileSync(
    script,
    `'use strict';
require('reflect-metadata');
const { DataSource } = require('typeorm');
const modules = ${JSON.stringify(modules)};
const entities = modules.flatMap((m) => Object.values(require(m)).filter((x) => typeof x === 'function'));
const ds = new DataSource({ ...${JSON.stringify(dataSource)}, entities, synchronize: true, logging: false${
      naming ? `, namingStrategy: new (require(${JSON.stringify(naming.module)})[${JSON.stringify(naming.name)}])()` : ''
    } });
ds.initialize()
  .then(() => ds.destroy())
  .then(() => console.log('synchronized ' + ds.entityMetadatas.map((m) => m.tableName).join(', ')))
  .catch((error) => { console.error(error && error.stack ? error.stack : error); process.exit(1); });
`,
  );
  // pg warns about TypeORM's concurrent introspection queries; that is TypeORM's business.
  const r = spawnSync(process.execPath, ['--no-deprecation', script], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
  assert.equal(r.status, 0, `TypeORM synchronize failed\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
