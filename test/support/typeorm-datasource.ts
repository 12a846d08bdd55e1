/**
 * TypeORM projects with a DataSource file, for the tests of `models: { typeorm: … }`: copied into
 * a temporary folder that sees this repository's node_modules (typeorm, reflect-metadata), run
 * through the built CLI, and — for comparison — synchronised by real TypeORM from the very same
 * DataSource, compiled the way the project's own build would compile it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject } from './typeorm-project.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export const show = (r: CliResult): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** Runs the built CLI in `cwd`; DATABASE_URL is cleared so that only the config names a database. */
export function migrator(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): CliResult {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npx tsc -p tsconfig.json\` (npm run build) first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A new temporary folder (removed by `removeTemp`). */
/**
 * A fresh database reaches the models: makemigrations writes one revision, migrate applies it,
 * check exits 0 and a second makemigrations finds nothing to do.
 */
export function assertFirstRevisionSettles(project: string, env: NodeJS.ProcessEnv): void {
  const gen = migrator(project, env, 'makemigrations', '-m', 'initial schema', '--rev-id', 'a1b2c3d4e5f6');
  assert.equal(gen.status, 0, show(gen));
  assert.match(gen.stdout, /Generated /, show(gen));
  const up = migrator(project, env, 'migrate');
  assert.equal(up.status, 0, show(up));
  assert.match(up.stdout, /Database is now at a1b2c3d4e5f6/, show(up));
  const chk = migrator(project, env, 'check');
  assert.equal(chk.status, 0, show(chk));
  assert.match(chk.stdout, /No changes detected/, show(chk));
  const again = migrator(project, env, 'makemigrations');
  assert.equal(again.status, 0, show(again));
  assert.match(again.stdout, /No changes detected/, show(again));
  const files = fs.readdirSync(path.join(project, 'versions')).filter((f) => f.endsWith('.ts'));
  assert.equal(files.length, 1, files.join(', '));
  assert.match(files[0], /^\d{8}_\d{6}_a1b2c3d4e5f6_initial_schema\.ts$/);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTemp(dir: string | undefined): void {
  if (!dir) return;
  if (process.env.KEEP_TMP) console.log(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Copies the project folder `from` to `to` (new) and links this repository's node_modules into
 * it, so that its files resolve typeorm as an installed package. Extra files are written on top.
 */
export function copyProject(from: string, to: string, extra: Record<string, string> = {}): string {
  fs.cpSync(from, to, { recursive: true, filter: (f) => path.basename(f) !== 'node_modules' });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(to, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.writeFileSync(path.join(to, file), text);
  }
  return to;
}

/** A migrator.config.ts whose models are the DataSource in `dataSource`. */
export function dataSourceConfig(database: string, dataSource: string, extra = ''): string {
  return `import { defineConfig } from 'migrator';
${extra}
export default defineConfig({ database: ${JSON.stringify(database)}, models: { typeorm: ${JSON.stringify(dataSource)} }, versions: 'versions' });
`;
}

/**
 * Runs real TypeORM `synchronize` from the DataSource the project's `dataSource` file exports
 * (the project compiled by tsc into `<project>/.sync-build`), with its connection options replaced
 * by `connection` (`{ url }` or `{ database }`) and the given environment.
 */
export function synchronizeDataSource(project: string, dataSource: string, connection: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  const outDir = path.join(project, '.sync-build');
  compileProject(path.join(project, 'tsconfig.json'), outDir);
  const compiled = path.join(outDir, dataSource.replace(/\.ts$/, '.js'));
  assert.ok(fs.existsSync(compiled), `tsc did not emit ${compiled}`);
  const script = path.join(outDir, 'synchronize.js');
  fs.writeFileSync(
    script,
    `'use strict';
const { DataSource, InstanceChecker } = require('typeorm');
const exported = Object.values(require(${JSON.stringify(compiled)})).filter((v) => InstanceChecker.isDataSource(v));
if (exported.length !== 1) throw new Error('expected one exported DataSource, found ' + exported.length);
const ds = new DataSource({ ...exported[0].options, ...${JSON.stringify(connection)}, synchronize: true, logging: false });
ds.initialize()
  .then(() => ds.destroy())
  .then(() => console.log('synchronized ' + ds.entityMetadatas.map((m) => m.tableName).join(', ')))
  .catch((error) => { console.error(error && error.stack ? error.stack : error); process.exit(1); });
`,
  );
  // pg warns about TypeORM's concurrent introspection queries; that is TypeORM's business.
  const r = spawnSync(process.execPath, ['--no-deprecation', script], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 90_000 });
  assert.equal(r.status, 0, `TypeORM synchronize failed\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
