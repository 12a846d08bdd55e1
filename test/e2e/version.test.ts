/**
 * `migrator --version` and `-V`: the version of the package.json installed next to the CLI, read
 * when the command runs, printed alone on stdout; exit 0, with or without a project.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, explain, projects, ROOT, type RunResult } from './helpers.ts';

const newProject = projects();

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(cli: string, args: string[], cwd: string): RunResult {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, command: `migrator ${args.join(' ')}` };
}

describe('--version', () => {
  for (const flag of ['--version', '-V']) {
    it(`${flag} prints the package version and exits 0, in a folder without a config`, () => {
      const p = newProject('migrator-version-');
      const r = run(CLI, [flag], p.dir);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.equal(r.stdout, `${VERSION}\n`);
      assert.equal(r.stderr, '');
    });
  }

  it('the version is the one in package.json beside the installed CLI, read at run time', () => {
    // A copy of the built package whose package.json says another version.
    const p = newProject('migrator-version-copy-');
    cpSync(path.join(ROOT, 'dist'), p.path('dist'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), p.path('node_modules'), 'dir');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(p.path('package.json'), JSON.stringify({ ...pkg, version: '7.8.9-test.1' }, null, 2));
    const r = run(p.path('dist', 'cli', 'main.js'), ['--version'], p.dir);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.equal(r.stdout, '7.8.9-test.1\n');
  });

  it('is listed in --help', () => {
    const p = newProject('migrator-version-');
    const r = run(CLI, ['--help'], p.dir);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.match(r.stdout, /^\s+-V, --version\s+print the version/m);
  });
});
