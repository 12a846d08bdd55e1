/**
 * A SQLite run of many revisions hands their transactions to a second connection on a thread of
 * its own, and prepares the next revisions while that one commits. What users see must not
 * change: the database, history and output of runs of a few revisions at a time (which run each
 * transaction themselves); a revision that needs the tables' shapes run in order with the others,
 * and one that changes its connection's own state run with every revision after it on the run's
 * own connection; a failing statement reported as it always was, with
 * nothing after it applied. (Concurrent runs: dialect-concurrency.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { chainRevision, CLI, explain, projects, type RunResult, type TempProject } from './helpers.ts';

const make = projects();
/** More revisions than a run needs before it hands its transactions to a thread. */
const COUNT = 40;
const id = (i: number): string => `k${String(i).padStart(11, '0')}`;

const revisionFile = (i: number, body: string): string => chainRevision(id, i, body);

const table = (i: number): string =>
  `  await op.createTable('t${i}', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'note', type: 'text', nullable: true }], primaryKey: { columns: ['id'] } });\n  await op.createIndex('t${i}', { name: 't${i}_note', columns: ['note'] });`;

/** Each revision makes its table; some do more. */
function mixed(i: number): string {
  // Rows, from a user's own SQL of two statements.
  if (i % 7 === 3) return `${table(i)}\n  await op.execute("INSERT INTO t${i} (id, note) VALUES (1, 'a'); INSERT INTO t${i - 1} (id, note) VALUES (${i}, 'from ${i}')");`;
  // A column added to an earlier table: compiled against the table's shape, read from the database.
  if (i === 12 || i === 33) return `${table(i)}\n  await op.addColumn('t${i - 2}', { name: 'extra', type: 'integer', nullable: false, default: '${i}' });`;
  // A pragma and a temporary table: state of the connection they run on, which a later revision
  // counts on.
  if (i === 36) return `${table(i)}\n  await op.execute('PRAGMA user_version = 7; CREATE TEMP TABLE scratch AS SELECT 5 AS id');`;
  if (i === 37) return `${table(i)}\n  await op.execute("INSERT INTO t37 (id, note) SELECT id, 'from scratch' FROM scratch");`;
  return table(i);
}

function chain(body: (i: number) => string, config = ''): TempProject {
  const p = make('migrator-pipeline-');
  if (config) p.write('migrator.config.ts', config);
  else p.writeConfig();
  for (let i = 0; i < COUNT; i++) p.write(`versions/${id(i)}_r${i}.ts`, revisionFile(i, body(i)));
  return p;
}

function dump(p: TempProject): Record<string, unknown> {
  const db = new Database(p.path('app.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%' ORDER BY name").pluck().all() as string[];
    return {
      schema: db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'migrator%' ORDER BY name").all(),
      rows: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY id`).all()])),
      history: db.prepare('SELECT revision, direction, checksum FROM migrator_history ORDER BY id').all(),
      version: db.prepare('SELECT version_num FROM migrator_version').all(),
      userVersion: db.pragma('user_version', { simple: true }),
    };
  } finally {
    db.close();
  }
}

const applied = (stdout: string): string[] => [...stdout.matchAll(/^Applied\s+(\S+)/gm)].map((m) => m[1]);

describe('revisions committed on a thread of their own', () => {
  test('one run of all the revisions leaves the database, rows, history and output that runs of a few at a time leave', () => {
    const all = chain(mixed);
    const r = all.ok(['migrate']);
    assert.deepEqual(applied(r.stdout), Array.from({ length: COUNT }, (_, i) => id(i)), explain(r, `to apply the ${COUNT} revisions in order`));

    const few = chain(mixed);
    const lines: string[] = [];
    for (let done = 0; done < COUNT; done += 10) lines.push(...applied(few.ok(['upgrade', '+10']).stdout));
    assert.deepEqual(applied(r.stdout), lines);
    const d = dump(all);
    assert.deepEqual(d, dump(few));
    assert.equal(d.userVersion, 7);
    // t10's row (revision 10) and t9's (revision 10) are there, t10's with the column revision 12 added.
    assert.deepEqual((d.rows as Record<string, unknown[]>).t10, [{ id: 1, note: 'a', extra: 12 }]);
    assert.deepEqual((d.rows as Record<string, unknown[]>).t9, [{ id: 10, note: 'from 10' }]);
    // Revision 37 read the temporary table revision 36 made (and revision 38 added a row).
    assert.deepEqual((d.rows as Record<string, unknown[]>).t37, [
      { id: 5, note: 'from scratch' },
      { id: 38, note: 'from 38' },
    ]);

    // A run with nothing to do ends as it did, though it started its threads before it knew.
    assert.match(all.ok(['migrate']).stdout, /^Nothing to do: the database is at k00000000039\.$/m);

    // And back down in one run.
    all.ok(['downgrade', 'base']);
    assert.deepEqual(dump(all).schema, []);
  });

  test('a statement that fails stops the run there, reported as a run that commits its own transactions reports it', () => {
    const failing = (i: number): string => (i === 35 ? `${table(i)}\n  await op.execute('INSERT INTO nowhere (id) VALUES (1)');` : mixed(i));
    const piped = chain(failing);
    const r = piped.run(['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.deepEqual(applied(r.stdout), Array.from({ length: 35 }, (_, i) => id(i)), explain(r, 'to apply the revisions before the failing one, and no other'));

    // From revision 29, too few revisions are left for the thread: the run commits them itself.
    const itself = chain(failing);
    itself.ok(['upgrade', id(29)]);
    const again = itself.run(['migrate']);
    assert.equal(again.status, 2, explain(again, 'to exit 2'));
    assert.equal(r.stderr.replaceAll(piped.dir, '<dir>'), again.stderr.replaceAll(itself.dir, '<dir>'));
    assert.match(r.stderr, new RegExp(`revision ${id(35)} .* was rolled back: no such table: nowhere \\(in statement: INSERT INTO nowhere`));
    const d = dump(piped);
    assert.deepEqual(d, dump(itself));
    assert.deepEqual(d.version, [{ version_num: id(34) }]);
    assert.equal((d.history as unknown[]).length, 35);

    // Fixed, the next run goes on from there.
    piped.write(`versions/${id(35)}_r35.ts`, revisionFile(35, table(35)));
    const fixed = piped.ok(['migrate']);
    assert.deepEqual(applied(fixed.stdout), [id(35), id(36), id(37), id(38), id(39)]);
  });

  test('a reader holding the file past lockWait stops the run at the revision whose commit it held up, reported as the run reports it', async () => {
    // Revisions slow enough (a query of some 30 ms each) for the lock to be taken halfway.
    const slow = (i: number): string => `${table(i)}\n  await op.execute('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) FROM c');`;
    const p = chain(slow, `export default { database: 'sqlite:./app.db', versions: 'versions', lockWait: '300ms' };\n`);
    const run = new Promise<RunResult>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'migrate'], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr, command: 'migrator migrate' }));
    });
    // Once the run is past its first revisions (which it commits itself), a reader holds the file:
    // a commit waits for readers to finish.
    let holder: Database.Database | undefined;
    for (let tries = 0; tries < 3000 && !holder; tries++) {
      await sleep(5);
      try {
        const db = new Database(p.path('app.db'), { timeout: 5000 });
        const at = db.prepare("SELECT version_num FROM migrator_version WHERE version_num <> ''").pluck().get() as string | undefined;
        if (at && at >= id(3)) {
          db.exec('BEGIN');
          db.prepare('SELECT count(*) FROM migrator_version').get();
          holder = db;
        } else db.close();
      } catch {
        // the file or its tables are not there yet
      }
    }
    assert.ok(holder, 'the run reached revision 3');
    let r: RunResult;
    try {
      r = await run;
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    const done = applied(r.stdout);
    const stopped = done.length;
    assert.ok(stopped > 3 && stopped < COUNT, explain(r, 'to stop halfway'));
    assert.deepEqual(done, Array.from({ length: stopped }, (_, i) => id(i)));
    assert.equal(
      r.stderr.replace(/\(\S*_r\d+\.ts\)/, '(FILE)'),
      `error: upgrade ${id(stopped - 1)} -> ${id(stopped)} failed; revision ${id(stopped)} (FILE) was rolled back: the database stayed locked by another process reading the database file for longer than lockWait (0.3 s); rerun once it is free, or raise "lockWait"\n`,
    );
    const d = dump(p);
    assert.deepEqual(d.version, [{ version_num: id(stopped - 1) }]);
    assert.equal((d.history as unknown[]).length, stopped);

    // Free again, the next run goes on from there.
    const again = p.ok(['migrate']);
    assert.deepEqual(applied(again.stdout), Array.from({ length: COUNT - stopped }, (_, i) => id(stopped + i)));
  });
});
