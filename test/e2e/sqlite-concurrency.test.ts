/**
 * Concurrent deploys on SQLite: several `migrate` processes started at once against one database
 * file. Each revision must be applied exactly once and every process must exit 0 (those that find
 * the work done say so), as on PostgreSQL with its advisory lock.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CLI, projects, sqlRevision } from './helpers.js';

const PROCESSES = 8;
const REVISIONS = 12;
const newProject = projects();

function run(cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'migrate'], { cwd, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('SQLite: concurrent migrate runs', () => {
  after(() => undefined);

  it(`${PROCESSES} processes at once: every revision applied exactly once, all exit 0`, async () => {
    const p = newProject();
    p.writeConfig();
    const id = (i: number): string => `c${String(i).padStart(11, '0')}`;
    for (let i = 0; i < REVISIONS; i++) {
      const setup = i === 0 ? ['CREATE TABLE "applied_log" ("revision" text NOT NULL)'] : [];
      p.write(
        `versions/${id(i)}_step.ts`,
        sqlRevision(
          id(i),
          i === 0 ? null : id(i - 1),
          `step ${i}`,
          [...setup, `CREATE TABLE "t${i}" ("id" integer PRIMARY KEY)`, `INSERT INTO "applied_log" ("revision") VALUES ('${id(i)}')`],
          [`DROP TABLE "t${i}"`],
        ),
      );
    }
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => run(p.dir)));
    for (const r of results) assert.equal(r.status, 0, `a run failed:\n${r.stdout}\n${r.stderr}`);

    const db = new Database(p.path('app.db'), { readonly: true });
    try {
      const log = (db.prepare('SELECT "revision" AS r FROM "applied_log" ORDER BY rowid').all() as { r: string }[]).map((x) => x.r);
      assert.deepEqual(log, Array.from({ length: REVISIONS }, (_, i) => id(i)), 'each revision ran once, in order');
      const versions = (db.prepare('SELECT version_num AS v FROM migrator_version').all() as { v: string }[]).map((x) => x.v);
      assert.deepEqual(versions, [id(REVISIONS - 1)]);
    } finally {
      db.close();
    }
    // Across all outputs, every revision is reported applied exactly once.
    const applied = results.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('Applied')).map((l) => l.split(/\s+/)[1]));
    assert.deepEqual([...applied].sort(), Array.from({ length: REVISIONS }, (_, i) => id(i)));
  });
});
