// All benchmarks, one after another; each prints its figures as a ratio against the reference
// tool it runs in the same script. Needs PostgreSQL (MIGRATOR_TEST_PG_URL), MySQL or MariaDB
// (MIGRATOR_TEST_MYSQL_URL) and the built CLI.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './lib.mjs';

const only = process.argv.slice(2);
const benches = ['pg-autogenerate.mjs', 'pg-migrate.mjs', 'sqlite-migrate.mjs', 'mysql-migrate.mjs', 'mysql-autogenerate.mjs', 'pg-online.mjs', 'graph.mjs', 'sqlite-rebuild.mjs', 'pg-fleet.mjs', 'peers-apply.mjs', 'peers-generate.mjs'].filter((b) => only.length === 0 || only.some((o) => b.includes(o)));
let failed = 0;
for (const bench of benches) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', bench)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
