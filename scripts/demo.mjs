// An example project end to end: a fresh example.db, migrate, inspect, check, one step down and
// up. The repository root by default (TypeScript entities); `node scripts/demo.mjs examples/prisma`
// for the Prisma variant.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist', 'cli', 'main.js');
const root = path.resolve(repo, process.argv[2] ?? '.');

function run(...args) {
  process.stdout.write(`\n$ migrator ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`migrator ${args.join(' ')} exited with ${r.status}\n`);
    process.exit(r.status ?? 1);
  }
}

for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path.join(root, `example.db${suffix}`), { force: true });
run('history');
run('migrate');
run('showmigrations');
run('current');
run('sqlmigrate', 'head');
run('check');
run('downgrade', '-1');
run('migrate');
run('check');
