/**
 * One history over a PostgreSQL fleet, through the built CLI: 10 databases and 40 schemas of one
 * more database (`schemasQuery`), five revisions.
 *
 *  (a) one schema made to fail at the last revision: the other targets complete, the failed one is
 *      at the revision before (its own version and history tables in its schema say so), the
 *      shared database's `public` schema is untouched, and a rerun after the fix completes it;
 *  (b) `status --all` groups targets that stand alike;
 *  (c) a canary that fails stops the rollout;
 *  (d) two `migrate --all` processes at once: every revision runs once per target (the history
 *      tables have one `up` row per revision), and neither fails;
 *  (e) a schema that does not exist is an error naming it.
 *
 * Databases made here are dropped afterwards. Needs `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

delete process.env.FORCE_COLOR;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');

const DATABASES = 10;
const SCHEMAS = 40;
const REVS = ['f1a', 'f2b', 'f3c', 'f4d', 'f5e'];
const UPGRADES = [
  'CREATE TABLE account (id integer PRIMARY KEY, name text NOT NULL)',
  'ALTER TABLE account ADD COLUMN email text',
  'CREATE INDEX account_email ON account (email)',
  "INSERT INTO account (id, name) VALUES (1, 'first')",
  'CREATE TABLE invoice (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES account (id))',
];
const DOWNGRADES = ['DROP TABLE account', 'ALTER TABLE account DROP COLUMN email', 'DROP INDEX account_email', 'DELETE FROM account WHERE id = 1', 'DROP TABLE invoice'];

const schemaName = (i: number): string => `tenant_${String(i).padStart(2, '0')}`;

let dbs: TestDatabase[] = [];
let shared: TestDatabase;
let dir: string;

interface Run {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}
const show = (r: Run): string => `migrator ${r.args.join(' ')}: exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function run(args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 });
  return { args, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ args, status, stdout, stderr }));
  });
}

/** Each target's database and schema, in the order of the config. */
const targets = (): { name: string; db: TestDatabase; schema: string }[] => [
  ...dbs.map((db, i) => ({ name: `db${i}`, db, schema: 'public' })),
  ...Array.from({ length: SCHEMAS }, (_, i) => ({ name: `shared/${schemaName(i)}`, db: shared, schema: schemaName(i) })),
];

async function versionOf(db: TestDatabase, schema: string): Promise<string[] | undefined> {
  const [exists] = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`"${schema}".migrator_version`]);
  if (!exists.t) return undefined;
  return (await db.query<{ v: string }>(`SELECT version_num AS v FROM "${schema}".migrator_version`)).map((r) => r.v);
}

/** Every target's version rows, by target name. */
async function versions(): Promise<Record<string, string[] | undefined>> {
  const out: Record<string, string[] | undefined> = {};
  for (const t of targets()) out[t.name] = await versionOf(t.db, t.schema);
  return out;
}

const everywhere = (v: string[] | undefined): Record<string, string[] | undefined> => Object.fromEntries(targets().map((t) => [t.name, v]));

before(async () => {
  dbs = await Promise.all(Array.from({ length: DATABASES }, () => createTestDatabase('migrator_fleet')));
  shared = await createTestDatabase('migrator_fleet_shared');
  for (let i = 0; i < SCHEMAS; i++) await shared.query(`CREATE SCHEMA ${schemaName(i)}`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-pg-fleet-'));
  const list = [...dbs.map((db, i) => ({ name: `db${i}`, url: db.url })), { name: 'shared', url: shared.url, schemasQuery: "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1" }];
  fs.writeFileSync(path.join(dir, 'migrator.config.ts'), `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ versions: 'versions', lockWait: '60s', targets: ${JSON.stringify(list, null, 2)} });\n`);
  fs.mkdirSync(path.join(dir, 'versions'));
  REVS.forEach((id, i) =>
    fs.writeFileSync(
      path.join(dir, 'versions', `${id}.ts`),
      `import type { Operations } from 'migrator';
export const revision = '${id}';
export const downRevision: string | null = ${i ? `'${REVS[i - 1]}'` : 'null'};
export const branchLabels = null;
export const dependsOn = null;
export async function upgrade(op: Operations): Promise<void> {
  await op.execute(${JSON.stringify(UPGRADES[i])});
}
export async function downgrade(op: Operations): Promise<void> {
  await op.execute(${JSON.stringify(DOWNGRADES[i])});
}
`,
    ),
  );
});

after(async () => {
  await Promise.all([...dbs, shared].filter(Boolean).map((db) => db.drop()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a PostgreSQL fleet: 10 databases and 40 schemas of one more', () => {
  test('(a) a target failing halfway: the others complete, it stays at a revision boundary, a rerun completes it', async () => {
    // tenant_07 already has an `invoice`: the last revision fails there.
    await shared.query('CREATE TABLE tenant_07.invoice (x integer)');
    const r = run(['migrate', '--all', '--parallel', '8', '--continue-on-error']);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stdout, /^Migrating 50 targets, 8 at a time$/m);
    assert.match(r.stdout, /^\[\s*\d+\/50\] shared\/tenant_07: FAILED at revision f5e: .*relation "invoice" already exists \(in statement: CREATE TABLE invoice/m, show(r));
    assert.match(r.stdout, /^shared\/tenant_07\s+base\s+f4d\s+4\s+.*failed$/m, show(r));
    assert.match(r.stdout, /^49 migrated, 1 failed \(of 50\)\.$/m, show(r));
    assert.doesNotMatch(r.stdout + r.stderr, /postgres:\/\/[^@\s]*:[^@\s]*@/, 'no URL with a password is printed');
    assert.deepEqual(await versions(), { ...everywhere(['f5e']), 'shared/tenant_07': ['f4d'] });
    // Each schema holds its own tables; the shared database's public schema has none of them.
    const [{ n }] = await shared.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'account'");
    assert.equal(Number(n), SCHEMAS);
    assert.deepEqual(await shared.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), []);
    const rows = await shared.query<{ name: string }>('SELECT name FROM tenant_03.account');
    assert.deepEqual(rows, [{ name: 'first' }]);

    // (b) status --all: one line for the 49 alike, one for the one behind.
    const s = run(['status', '--all']);
    assert.equal(s.status, 1, show(s));
    assert.match(s.stdout, /^49 targets \(db0, db1, db2, db3, db4, … 44 more\) at f5e \(head\): nothing pending, checksums ok$/m, show(s));
    assert.match(s.stdout, /^shared\/tenant_07 at f4d: 1 pending, checksums ok$/m, show(s));

    await shared.query('DROP TABLE tenant_07.invoice');
    const again = run(['migrate', '--all']);
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, /shared\/tenant_07: migrated f4d -> f5e \(1 step\)/);
    assert.match(again.stdout, /^1 migrated, 49 up to date \(of 50\)\.$/m, show(again));
    assert.deepEqual(await versions(), everywhere(['f5e']));
    const ok = run(['status', '--all', '--json']);
    assert.equal(ok.status, 0, show(ok));
    assert.equal(JSON.parse(ok.stdout).summary.upToDate, 50);
  });

  test('(c) a failing canary stops the rollout', async () => {
    const down = run(['downgrade', '--all', 'base', '--parallel', '8']);
    assert.equal(down.status, 0, show(down));
    assert.deepEqual(await versions(), everywhere([]));
    await dbs[1].query('CREATE TABLE account (x integer)');
    const r = run(['migrate', '--all', '--canary', '3', '--json']);
    assert.equal(r.status, 2, show(r));
    const doc = JSON.parse(r.stdout) as { targets: { target: string; status: string; error?: { revision?: string; message: string } }[]; stopped: string };
    assert.equal(doc.stopped, 'canary');
    assert.deepEqual(doc.targets.slice(0, 4).map((t) => t.status), ['migrated', 'failed', 'migrated', 'not run']);
    assert.equal(doc.targets.filter((t) => t.status === 'not run').length, 47);
    assert.equal(doc.targets[1].error?.revision, 'f1a');
    assert.match(doc.targets[1].error!.message, /relation "account" already exists/);
    assert.deepEqual(await versionOf(dbs[1], 'public'), []);
    assert.deepEqual(await versionOf(shared, 'tenant_00'), []);
    await dbs[1].query('DROP TABLE account');
  });

  test('(d) two migrate --all at once: every revision once per target', async () => {
    const down = run(['downgrade', '--all', 'base']);
    assert.equal(down.status, 0, show(down));
    for (const t of targets()) await t.db.query(`DELETE FROM "${t.schema}".migrator_history`);
    const [a, b] = await Promise.all([runAsync(['migrate', '--all', '--parallel', '6']), runAsync(['migrate', '--all', '--parallel', '6'])]);
    assert.equal(a.status, 0, show(a));
    assert.equal(b.status, 0, show(b));
    assert.deepEqual(await versions(), everywhere(['f5e']));
    for (const t of targets()) {
      const ups = await t.db.query<{ revision: string; n: string }>(`SELECT revision, count(*) AS n FROM "${t.schema}".migrator_history WHERE direction = 'up' GROUP BY revision ORDER BY revision`);
      assert.deepEqual(ups.map((u) => [u.revision, Number(u.n)]), REVS.map((id) => [id, 1]), `${t.name}: each revision once`);
    }
  });

  test('(e) a schema that does not exist is an error naming it', async () => {
    const cfg = path.join(dir, 'missing.config.ts');
    fs.writeFileSync(cfg, `export default { versions: 'versions', targets: [{ name: 'app', url: ${JSON.stringify(shared.url)}, schemas: ['tenant_00', 'no_such_tenant'] }] };\n`);
    const r = run(['--config', cfg, 'migrate', '--all', '--parallel', '1']);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stdout, /app\/no_such_tenant: FAILED: schema "no_such_tenant" does not exist in postgres:\/\/.*; create it first/, show(r));
    assert.match(r.stdout, /app\/tenant_00: up to date at f5e/);
  });
});
