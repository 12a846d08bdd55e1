/**
 * The history table and checksums, end to end through the built CLI on SQLite, PostgreSQL and MySQL:
 * a row per step (up, down, stamp, repair) with the file's checksum, times, who and which
 * migrator; no row for a revision that failed and was rolled back; an applied revision file
 * edited (or gone) stops migrate, downgrade and check before anything runs, until restored or
 * `repair`ed; line endings alone are no edit; revisions applied before the history table existed
 * are not judged; offline SQL writes the same rows; `status` reports each state with its exit code.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, GraphProject, lines, mysql, postgres, revisionSource, sqlite } from './graph-helpers.ts';
import { ROOT, projects } from './helpers.ts';

interface LogRow {
  id: number;
  revision: string;
  direction: string;
  checksum: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number | null;
  appliedBy: string;
  host: string;
  migratorVersion: string;
}

interface StatusJson {
  database: string;
  current: string[];
  heads: string[];
  pending: { revision: string; message?: string; file?: string }[];
  checksumMismatches: { revision: string; file?: string; recorded: string; current: string | null; appliedAt: string }[];
  unknownRevisions: string[];
  drift: { missingTables: string[]; extraTables: string[]; changedTables: { table: string; changes: string[] }[] } | null;
  needsMigration: boolean;
  upToDate: boolean;
}

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const sha256 = (text: string): string => createHash('sha256').update(text.replace(/\r\n?/g, '\n')).digest('hex');

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_history');
  my = await createMysqlTestDatabase('migrator_history');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

/** Rows of the history table read straight from the database, oldest first. */
async function historyRows(backend: Backend, dir: string): Promise<{ revision: string; direction: string; checksum: string | null }[]> {
  return backend.query(dir, 'SELECT revision, direction, checksum FROM migrator_history ORDER BY id');
}

/** Runs a script of several statements (an offline script, a DROP). */
async function exec(backend: Backend, dir: string, sql: string): Promise<void> {
  if (backend.name !== 'sqlite') {
    await backend.query(dir, sql);
    return;
  }
  const db = new Database(path.join(dir, 'app.db'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

for (const backend of [sqlite, postgres(() => pg!), mysql(() => my!)]) {
  describe(`history and checksums on ${backend.name}`, () => {
    let p: GraphProject;
    const made: GraphProject[] = [];
    after(() => made.forEach((m) => m.cleanup()));
    beforeEach(async () => {
      p = new GraphProject(backend);
      made.push(p);
      await backend.reset(p.dir);
      p.revision('core', { id: 'a1', down: null, message: 'create accounts', table: 'accounts' });
      p.revision('core', { id: 'b2', down: 'a1', message: 'create invoices', table: 'invoices' });
    });

    test('a row per step — up, down, stamp — with the checksum of the file, times, who and which migrator', async () => {
      const started = Date.now();
      p.ok('migrate');
      p.ok('downgrade', '-1');
      p.ok('stamp', 'b2');
      const rows = p.json<LogRow[]>('log', '--json');
      assert.deepEqual(
        rows.map((r) => [r.revision, r.direction]),
        [
          ['b2', 'stamp'],
          ['b2', 'down'],
          ['b2', 'up'],
          ['a1', 'up'],
        ],
        'newest first',
      );
      const b2 = sha256(p.read(path.join('core', 'b2_invoices.ts')));
      assert.deepEqual(
        rows.map((r) => r.checksum),
        [b2, b2, b2, sha256(p.read(path.join('core', 'a1_accounts.ts')))],
      );
      const user = os.userInfo().username;
      for (const r of rows) {
        assert.equal(r.appliedBy, user);
        assert.equal(r.host, os.hostname());
        assert.equal(r.migratorVersion, VERSION);
        const [s, f] = [Date.parse(r.startedAt), Date.parse(r.finishedAt)];
        assert.ok(s >= started - 2000 && s <= Date.now(), `startedAt ${r.startedAt} is during the test`);
        assert.ok(f >= s - 5, `finishedAt ${r.finishedAt} is not before startedAt ${r.startedAt}`);
        assert.ok(r.durationMs !== null && r.durationMs >= 0 && r.durationMs < 60_000, `durationMs ${r.durationMs}`);
      }
      assert.deepEqual(
        rows.map((r) => r.id),
        [4, 3, 2, 1],
      );
      const text = lines(p.ok('log', '-n', '2').stdout);
      assert.equal(text.length, 2);
      assert.match(text[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC  stamp   b2  \\d+\\.\\d{3} s  ${user}@`));
      assert.match(text[1], /  down    b2  \d+\.\d{3} s  /);
    });

    test('a revision that fails is rolled back and leaves no row', async () => {
      p.revision('core', { id: 'c3', down: 'b2', message: 'broken', table: 'no_such_syntax (' });
      const r = p.run('migrate');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /revision c3/);
      assert.deepEqual(
        (await historyRows(backend, p.dir)).map((x) => `${x.revision} ${x.direction}`),
        ['a1 up', 'b2 up'],
      );
    });

    test('an applied file edited afterwards stops migrate, downgrade and check until restored or repaired', async () => {
      p.ok('migrate', 'a1');
      const file = path.join('core', 'a1_accounts.ts');
      const original = p.read(file);
      p.write(file, original.replace('CREATE TABLE accounts (id integer PRIMARY KEY)', 'CREATE TABLE accounts (id integer PRIMARY KEY, name text)'));
      for (const args of [['migrate'], ['downgrade', 'base'], ['check']]) {
        const line = p.fails(...args);
        assert.match(line, /revision a1 \(.*a1_accounts\.ts\) was changed after it was applied on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by /, line);
        assert.match(line, /`migrator repair a1`/);
      }
      assert.deepEqual(await p.rows(), ['a1'], 'nothing ran');
      assert.deepEqual(await p.tables(), ['accounts']);
      // Line endings alone are not an edit.
      p.write(file, original.replace(/\n/g, '\r\n'));
      p.ok('migrate');
      assert.deepEqual(await p.rows(), ['b2']);
      p.write(file, `${original}// reviewed\n`);
      p.fails('migrate');
      const repaired = p.ok('repair');
      assert.match(repaired.stdout, /^Recorded a1 \(core\/a1_accounts\.ts\): checksum [0-9a-f]{12} -> [0-9a-f]{12}$/m);
      assert.match(p.ok('repair').stdout, /^Nothing to repair/m);
      p.ok('downgrade', 'base');
      const rows = await historyRows(backend, p.dir);
      assert.deepEqual(
        rows.map((x) => `${x.revision} ${x.direction}`),
        ['a1 up', 'b2 up', 'a1 repair', 'b2 down', 'a1 down'],
      );
      assert.equal(rows[2].checksum, sha256(`${original}// reviewed\n`));
    });

    test('the file of an applied revision gone: named with when it was applied', async () => {
      p.ok('migrate');
      p.remove(path.join('core', 'b2_invoices.ts'));
      const line = p.fails('migrate');
      assert.match(line, /revision b2 \(no file\) is gone: it was applied on .* UTC by .*, and no file defines it now/, line);
    });

    test('revisions applied before the history table existed are not judged; the next migrate creates it', async () => {
      p.ok('migrate', 'a1');
      await exec(backend, p.dir, 'DROP TABLE migrator_history');
      p.write(path.join('core', 'a1_accounts.ts'), `${p.read(path.join('core', 'a1_accounts.ts'))}// edited\n`);
      p.ok('migrate');
      assert.deepEqual(
        (await historyRows(backend, p.dir)).map((x) => `${x.revision} ${x.direction}`),
        ['b2 up'],
      );
      // Recorded on request: from then on it is judged.
      assert.match(p.ok('repair', 'a1').stdout, /^Recorded a1 .*: checksum \(none\) -> /m);
      p.write(path.join('core', 'a1_accounts.ts'), `${p.read(path.join('core', 'a1_accounts.ts'))}// again\n`);
      p.fails('check');
      const refused = p.fails('repair', 'zz');
      assert.match(refused, /zz/);
    });

    test('status: JSON and exit codes for pending, up to date and changed', async () => {
      let r = p.run('status', '--json');
      assert.equal(r.status, 1, r.stderr);
      let s = JSON.parse(r.stdout) as StatusJson;
      assert.deepEqual(s.current, []);
      assert.deepEqual(s.heads, ['b2']);
      assert.deepEqual(
        s.pending.map((x) => [x.revision, x.message, x.file]),
        [
          ['a1', 'create accounts', path.join('core', 'a1_accounts.ts')],
          ['b2', 'create invoices', path.join('core', 'b2_invoices.ts')],
        ],
      );
      assert.equal(s.needsMigration, true);
      assert.equal(s.upToDate, false);
      assert.equal(s.drift, null, 'no models configured');
      p.ok('migrate');
      r = p.run('status', '--json');
      assert.equal(r.status, 0, r.stderr);
      s = JSON.parse(r.stdout) as StatusJson;
      assert.deepEqual([s.current, s.pending, s.checksumMismatches, s.needsMigration, s.upToDate], [['b2'], [], [], false, true]);
      assert.match(p.ok('status').stdout, /^Current: b2\nHead: b2\nUp to date\.$/m);
      p.write(path.join('core', 'b2_invoices.ts'), `${p.read(path.join('core', 'b2_invoices.ts'))}// edited\n`);
      r = p.run('status', '--json');
      assert.equal(r.status, 1);
      s = JSON.parse(r.stdout) as StatusJson;
      assert.deepEqual(
        s.checksumMismatches.map((m) => [m.revision, m.recorded.length, m.current?.length]),
        [['b2', 64, 64]],
      );
      assert.equal(s.upToDate, false);
      assert.equal(s.needsMigration, false);
    });

    test('offline SQL writes the history rows; the database judges the files after it ran', async () => {
      if (backend.name === 'postgres') {
        const sql = p.ok('upgrade', '--sql', 'heads').stdout;
        assert.match(sql, /CREATE TABLE IF NOT EXISTS "migrator_history"/);
        assert.equal(sql.match(/INSERT INTO "migrator_history"/g)?.length, 2);
        await pg!.query(sql);
      } else {
        const sql = p.ok('upgrade', '--sql', 'heads').stdout;
        await exec(backend, p.dir, sql);
      }
      const rows = await historyRows(backend, p.dir);
      assert.deepEqual(
        rows.map((x) => `${x.revision} ${x.direction} ${x.checksum?.length}`),
        ['a1 up 64', 'b2 up 64'],
      );
      p.ok('migrate');
      p.write(path.join('core', 'a1_accounts.ts'), `${p.read(path.join('core', 'a1_accounts.ts'))}// edited\n`);
      p.fails('migrate');
    });
  });
}

describe('status with models on SQLite', () => {
  const project = projects();

  test('drift: a table only in the models, one only in the database, a changed column', () => {
    const p = project();
    p.writeConfig();
    const entity = (name: string, table: string, nullable: boolean): string => `
@Entity('${table}')
export class ${name} {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text', nullable: ${nullable} }) name!: string;
}
`;
    const header = "import { Entity, PrimaryGeneratedColumn, Column } from 'migrator/decorators';\n";
    p.writeEntity('models', header + entity('User', 'users', false) + entity('Post', 'posts', false));
    p.ok(['makemigrations', '-m', 'users and posts']);
    p.ok(['migrate']);
    let r = p.run(['status', '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as StatusJson).drift, { missingTables: [], extraTables: [], changedTables: [] });
    // users.name made nullable, posts gone from the models, teams new.
    p.writeEntity('models', header + entity('User', 'users', true) + entity('Team', 'teams', false));
    r = p.run(['status', '--json']);
    assert.equal(r.status, 1);
    const s = JSON.parse(r.stdout) as StatusJson;
    assert.deepEqual(s.drift?.missingTables, ['teams']);
    assert.deepEqual(s.drift?.extraTables, ['posts']);
    assert.deepEqual(
      s.drift?.changedTables.map((t) => t.table),
      ['users'],
    );
    assert.match(s.drift!.changedTables[0].changes.join('\n'), /users\.name/);
    assert.equal(s.needsMigration, false);
    assert.equal(s.upToDate, false);
    const text = p.run(['status']).stdout;
    assert.match(text, /^! table teams is in the models, not in the database$/m);
    assert.match(text, /^! table posts is in the database, in no model$/m);
    assert.match(text, /^Not up to date\.$/m);
  });

  test('historyTable names the table', () => {
    const p = project();
    p.write('migrator.config.ts', `export default { database: 'sqlite:./app.db', versions: 'versions', versionTable: 'app_version', historyTable: 'app_log' };\n`);
    p.write('versions/x1_first.ts', revisionSource({ id: 'x1', down: null, message: 'first', table: 'things' }));
    p.ok(['migrate']);
    assert.deepEqual(p.tables(), ['app_log', 'app_version', 'things']);
    assert.equal(p.query('SELECT revision FROM app_log')[0].revision, 'x1');
  });
});
