/**
 * Concurrent deploys, one body on SQLite, PostgreSQL and MySQL/MariaDB: 8 `migrate` processes
 * started at once on 40 revisions, each of which creates a table and logs itself in a table of
 * its own. Every revision must be applied exactly once — one log row, one `up` history row, one
 * `Applied` line across all the processes — the version table must end at the head, and every
 * process must exit 0, those that find the work done saying so.
 *
 * How the runs are kept apart differs, and what each leaves behind is checked per dialect:
 * PostgreSQL serialises them with an advisory lock and MySQL with GET_LOCK, neither of which may
 * be left held; SQLite takes no run-wide lock but runs each revision under BEGIN IMMEDIATE, and
 * must leave no rollback journal behind.
 *
 * PostgreSQL and MySQL: one database each for the file (test/support/pg.ts, mysql.ts), dropped at
 * the end; an unreachable server fails the file, never skips it. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { mysql, postgres, sqlite } from './graph-helpers.ts';
import { CLI, configSource, projects, type RunResult } from './helpers.ts';

const PROCESSES = 8;
const REVISIONS = 40;

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_dialect_concurrency');
  my = await createMysqlTestDatabase('migrator_dialect_concurrency');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

const newProject = projects();

/** Revision i of 1…REVISIONS, as ids sort: `c0c0a0000001`… */
const revId = (i: number): string => `c0c0a0${String(i).padStart(6, '0')}`;
const tableOf = (i: number): string => `conc_${String(i).padStart(2, '0')}`;
const ALL = Array.from({ length: REVISIONS }, (_, i) => revId(i + 1));
const HEAD = revId(REVISIONS);

/** Revision i: creates its table (the first also the log table) and logs itself. */
function revisionSource(i: number): string {
  const t = tableOf(i);
  const log = `  await op.createTable('applied_log', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'revision', type: 'varchar(32)', nullable: false },
    ],
    primaryKey: { name: 'pk_applied_log', columns: ['id'] },
  });
`;
  return `/**
 * create ${t}
 *
 * Revision ID: ${revId(i)}
 * Revises: ${i === 1 ? '<base>' : revId(i - 1)}
 */
import type { Operations } from 'migrator';

export const revision = '${revId(i)}';
export const downRevision: string | null = ${i === 1 ? 'null' : `'${revId(i - 1)}'`};

export async function upgrade(op: Operations): Promise<void> {
${i === 1 ? log : ''}  await op.createTable('${t}', {
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'label', type: 'varchar(40)', nullable: true },
    ],
    primaryKey: { name: 'pk_${t}', columns: ['id'] },
  });
  await op.createIndex('${t}', { name: 'ix_${t}_label', columns: ['label'] });
  await op.execute("INSERT INTO applied_log (revision) VALUES ('${revId(i)}')");
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('${t}');${i === 1 ? "\n  await op.dropTable('applied_log');" : ''}
}
`;
}

/** Starts `migrator migrate` in `dir` without waiting for it. */
function migrate(dir: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: dir, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: status ?? -1, stdout, stderr, command: 'migrator migrate' });
    });
  });
}

const show = (runs: RunResult[]): string => runs.map((r, i) => `#${i}: exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`).join('\n');

for (const backend of [sqlite, postgres(() => pg!), mysql(() => my!)]) {
  describe(`concurrent migrate processes on ${backend.name}`, () => {
    it(`${PROCESSES} processes at once on ${REVISIONS} revisions: each revision applied exactly once, all exit 0`, async (t) => {
      const p = newProject(`migrator-concurrency-${backend.name}-`);
      await backend.reset(p.dir);
      p.write('migrator.config.ts', configSource({ database: backend.url(p.dir) }));
      for (let i = 1; i <= REVISIONS; i++) p.write(`versions/${revId(i)}_create_${tableOf(i)}.ts`, revisionSource(i));
      const query = <T = Record<string, unknown>>(sql: string): Promise<T[]> => backend.query<T>(p.dir, sql);

      const runs = await Promise.all(Array.from({ length: PROCESSES }, () => migrate(p.dir)));
      const report = show(runs);
      for (const r of runs) assert.equal(r.status, 0, `a migrate exited ${r.status}\n${report}`);

      // Across all the outputs, every revision is reported applied exactly once, in order within a run.
      const applied = runs.map((r) => [...r.stdout.matchAll(/^Applied\s+(\S+)/gm)].map((m) => m[1]));
      assert.equal(applied.flat().length, REVISIONS, `the Applied lines add up to ${REVISIONS}\n${report}`);
      assert.deepEqual([...applied.flat()].sort(), ALL, report);
      for (const a of applied) assert.deepEqual(a, [...a].sort(), `one run applied revisions out of order\n${report}`);
      t.diagnostic(`revisions applied per process: ${applied.map((a) => a.length).join(', ')}`);
      // Each run either found nothing to do or brought the database to the head.
      for (const r of runs) {
        const nothing = r.stdout === `Nothing to do: the database is at ${HEAD}.\n`;
        const reached = new RegExp(`^Database is now at ${HEAD}\\.\\n$`, 'm').test(r.stdout) && /^Applied/.test(r.stdout);
        assert.ok(nothing !== reached, `each run either does nothing or brings the database to ${HEAD}\n${report}`);
      }
      // On stderr, at most the notice of a wait for the run lock, which SQLite does not have.
      const waited = runs.filter((r) => r.stderr !== '').length;
      if (backend.name === 'sqlite') assert.equal(waited, 0, `no run lock to wait for on SQLite\n${report}`);
      for (const r of runs) {
        for (const line of r.stderr.split('\n').filter((l) => l !== '')) {
          assert.match(line, /^Waiting for the migration lock on \S+, held by .*; giving up after 60 s$/, `unexpected output on stderr\n${report}`);
        }
      }
      if (backend.name !== 'sqlite') t.diagnostic(`${waited} of ${PROCESSES} processes waited for the run lock`);

      // The database agrees: one log row and one history row per revision, the version table at the head.
      assert.deepEqual((await query<{ revision: string }>('SELECT revision FROM applied_log ORDER BY id')).map((r) => r.revision), ALL, 'each revision ran once, in order');
      const history = await query<{ revision: string; direction: string }>('SELECT revision, direction FROM migrator_history ORDER BY id');
      assert.deepEqual(history.map((h) => `${h.revision} ${h.direction}`), ALL.map((id) => `${id} up`));
      assert.deepEqual(await backend.rows(p.dir), [HEAD]);
      assert.deepEqual(await backend.tables(p.dir), ['applied_log', ...ALL.map((_, i) => tableOf(i + 1))]);
      const catalog = await backend.catalog(p.dir);
      for (let i = 1; i <= REVISIONS; i++) {
        const t = tableOf(i);
        assert.equal(catalog.filter((l) => l.startsWith(`${t}: `) && l.includes(`ix_${t}_label`)).length, 1, `the index of ${t}\n${catalog.join('\n')}`);
      }

      // Nothing left held.
      if (backend.name === 'postgres') {
        const locks = await query("SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        assert.deepEqual(locks, [], 'an advisory lock left held');
      } else if (backend.name === 'mysql') {
        // The lock's name is migrator:<database> (the database's name is short enough not to be hashed).
        const [{ holder }] = await query<{ holder: number | null }>(`SELECT IS_USED_LOCK('migrator:${my!.name}') AS holder`);
        assert.equal(holder, null, 'the GET_LOCK lock left held');
      } else {
        assert.equal(existsSync(path.join(p.dir, 'app.db-journal')), false, 'a rollback journal left behind');
      }
    });
  });
}
