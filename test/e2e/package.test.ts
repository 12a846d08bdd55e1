/**
 * The package as users get it: `npm pack`, installed into a new project (ES modules, then
 * CommonJS), and `npx migrator` run there on SQLite — --version, init, makemigrations, migrate.
 *
 * Speed: dist/ is built already (npm test builds first), so pack skips prepack; the install
 * prefers npm's cache and skips install scripts, and better-sqlite3's native binary is copied
 * from this checkout's (the same Node), which saves compiling it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { itemEntity, ROOT } from './helpers.ts';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };

const ITEM = itemEntity(pkg.name);

function sh(cmd: string, args: string[], cwd: string): string {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, timeout: 600_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} in ${cwd} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('the packed package', () => {
  let dir: string;
  let tarball: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-pack-'));
    sh(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT);
    tarball = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds dist/ and templates/, and prepack builds', () => {
    const files = sh('tar', ['tzf', tarball], dir).split('\n');
    for (const f of ['package/dist/cli/main.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/decorators.js', 'package/templates/revision.ts.hbs']) assert.ok(files.includes(f), f);
    assert.ok(!files.some((f) => f.startsWith('package/test/') || f.startsWith('package/src/')));
    assert.equal(pkg.scripts.prepack, 'npm run build');
  });

  for (const type of ['module', 'commonjs']) {
    it(`installed into a ${type} project: npx migrator --version, init, makemigrations, migrate`, () => {
      const app = path.join(dir, type);
      mkdirSync(app);
      writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `app-${type}`, private: true, type }));
      sh(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--save-dev', tarball], app);
      const native = path.join('node_modules', 'better-sqlite3', 'build');
      cpSync(path.join(ROOT, native), path.join(app, native), { recursive: true });

      assert.equal(sh(NPX, ['--no-install', 'migrator', '--version'], app).trim(), pkg.version);
      const init = sh(NPX, ['--no-install', 'migrator', 'init'], app);
      assert.match(init, /npx migrator makemigrations/);
      assert.match(readFileSync(path.join(app, 'migrator.config.ts'), 'utf8'), new RegExp(`from '${pkg.name}'`));
      mkdirSync(path.join(app, 'src', 'entities'), { recursive: true });
      writeFileSync(path.join(app, 'src', 'entities', 'item.ts'), ITEM);
      const made = sh(NPX, ['--no-install', 'migrator', 'makemigrations', '-m', 'create item'], app);
      assert.match(made, /^Generated versions\/\d{8}_\d{6}_[0-9a-f]{12}_create_item\.ts$/m);
      assert.match(sh(NPX, ['--no-install', 'migrator', 'migrate'], app), /Database is now at/);
      assert.match(sh(NPX, ['--no-install', 'migrator', 'check'], app), /No changes detected/);
      assert.ok(readdirSync(app).includes('dev.db'));
    });
  }
});
