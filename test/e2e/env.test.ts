/**
 * Which database a command uses: `--database`, else the config's `database`, else DATABASE_URL —
 * from the environment, or from a `.env` file beside the config that never overrides it. The
 * config `init` writes reads DATABASE_URL itself, with a SQLite file as fallback.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI, configSource, explain, projects, type RunResult, type TempProject } from './helpers.ts';

const newProject = projects();

/** Runs the CLI with DATABASE_URL unset unless `env` sets it (TempProject.run sets it empty). */
function run(p: TempProject, args: string[], env: Record<string, string> = {}): RunResult {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: p.dir, encoding: 'utf8', env: { ...base, ...env }, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, command: `migrator ${args.join(' ')}` };
}

function ok(p: TempProject, args: string[], env: Record<string, string> = {}): RunResult {
  const r = run(p, args, env);
  assert.equal(r.status, 0, explain(r, 'to exit 0'));
  return r;
}

/** The SQLite files in the project folder: which database `migrate` created. */
function databases(p: TempProject): string[] {
  return ['dev.db', 'dotenv.db', 'shell.db', 'flag.db', 'config.db'].filter((f) => p.exists(f));
}

/** A project set up by `init`, with its folder of models made (empty). */
function initialised(): TempProject {
  const p = newProject('migrator-env-');
  ok(p, ['init']);
  p.write('src/entities/.keep', '');
  return p;
}

describe('DATABASE_URL and .env', () => {
  it("init's config uses a SQLite file when DATABASE_URL is set nowhere", () => {
    const p = initialised();
    ok(p, ['migrate']);
    assert.deepEqual(databases(p), ['dev.db']);
  });

  it('a .env beside the config sets DATABASE_URL before the config reads it', () => {
    const p = initialised();
    p.write('.env', '# the local database\nDATABASE_URL="sqlite:./dotenv.db"\n');
    ok(p, ['migrate']);
    assert.deepEqual(databases(p), ['dotenv.db']);
  });

  it('.env never overrides a DATABASE_URL the environment has', () => {
    const p = initialised();
    p.write('.env', 'DATABASE_URL=sqlite:./dotenv.db\n');
    ok(p, ['migrate'], { DATABASE_URL: 'sqlite:./shell.db' });
    assert.deepEqual(databases(p), ['shell.db']);
  });

  it('--database wins over the environment and .env', () => {
    const p = initialised();
    p.write('.env', 'DATABASE_URL=sqlite:./dotenv.db\n');
    ok(p, ['--database', 'sqlite:./flag.db', 'migrate'], { DATABASE_URL: 'sqlite:./shell.db' });
    assert.deepEqual(databases(p), ['flag.db']);
  });

  it("a config's own database wins over DATABASE_URL; DATABASE_URL serves a config that names none", () => {
    const p = newProject('migrator-env-');
    p.write('migrator.config.ts', configSource({ database: 'sqlite:./config.db' }));
    p.write('entities/.keep', '');
    p.write('.env', 'DATABASE_URL=sqlite:./dotenv.db\n');
    ok(p, ['migrate'], { DATABASE_URL: 'sqlite:./shell.db' });
    assert.deepEqual(databases(p), ['config.db']);
    p.write('migrator.config.ts', configSource().replace(/^\s*database: .*\n/m, ''));
    ok(p, ['migrate']);
    assert.deepEqual(databases(p), ['dotenv.db', 'config.db']);
  });

  it('.env is read beside the config --config names, not in the current folder', () => {
    const p = initialised();
    p.write('.env', 'DATABASE_URL=sqlite:./dotenv.db\n');
    p.write('app/migrator.config.ts', p.read('migrator.config.ts'));
    p.write('app/src/entities/.keep', '');
    p.write('app/.env', 'DATABASE_URL=sqlite:./shell.db\n');
    ok(p, ['--config', 'app/migrator.config.ts', 'migrate']);
    // The config's database, as the config read it: relative to the config's folder.
    assert.ok(p.exists('app/shell.db'), 'the database of app/.env');
    assert.deepEqual(databases(p), []);
  });
});
