/**
 * Waits that end, and failures that say what happened, on PostgreSQL through the built CLI:
 *  - another session holds the run lock: `migrate` says once who holds it, waits `lockWait`, then
 *    exits 2 naming the holder; released meanwhile, the run goes on;
 *  - another session holds a table lock: the revision's statement gives up after `lockTimeout`,
 *    the revision is rolled back and retried `lockRetries` times, and the error names the holder;
 *    released during the retries, the run completes; `check` and `makemigrations` read the
 *    catalog no longer than `lockTimeout` either, and name the table and its holder;
 *  - the backend is terminated mid-revision: the error says the connection was lost while that
 *    revision ran, that a rerun is safe, and nothing from the cleanup replaces it;
 *  - a generated statement cannot carry a second command: a model type holding `; DROP TABLE …`
 *    fails alone and the table is still there, while a revision's own op.execute script of two
 *    statements runs whole.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { CLI, explain, itemEntity, projects, sqlRevision, type RunResult, type TempProject } from './helpers.ts';

const ADVISORY_LOCK_KEY = 0x6d6967726174;

let db: TestDatabase;
const newProject = projects();

before(async () => {
  db = await createTestDatabase('migrator_waits');
});
after(async () => {
  await db?.drop();
});

/** A project on the test database, with extra config keys. */
function project(extra: string): TempProject {
  const p = newProject('migrator-waits-');
  p.write(
    'migrator.config.ts',
    `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: ${JSON.stringify(db.url)}, models: ['entities/*.ts'], versions: 'versions', ${extra} });\n`,
  );
  return p;
}

/** Runs the CLI without blocking the event loop, so the test can act on the database meanwhile. */
function start(p: TempProject, args: string[], onStderr?: (text: string) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr, command: `migrator ${args.join(' ')}` }));
  });
}

/** A session of its own, named so that the messages can be checked for it. */
async function session(name: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url, application_name: name });
  await c.connect();
  return c;
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function resetSchema(): Promise<void> {
  await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

async function tables(): Promise<string[]> {
  const rows = await db.query<{ t: string }>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return rows.map((r) => r.t);
}

const createPosts = (id: string): string =>
  sqlRevision(id, null, 'posts', ['CREATE TABLE posts (id integer PRIMARY KEY, title text)', "INSERT INTO posts VALUES (1, 'kept')"], ['DROP TABLE posts']);

describe('the run lock', () => {
  test('held by a stuck session: one notice naming it, then exit 2 after lockWait, nothing applied', async () => {
    await resetSchema();
    const p = project("lockWait: '1s'");
    p.write('versions/a1_posts.ts', createPosts('a1'));
    const holder = await session('stuck-deploy');
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
      const [{ pid }] = (await holder.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      const r = await start(p, ['migrate']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 2, explain(r, 'to print a notice and an error'));
      assert.match(lines[0], new RegExp(`^Waiting for the migration lock on postgres://\\S+, held by pid ${pid} \\(application "stuck-deploy", from \\S+, idle since \\S+, last query: SELECT pg_backend_pid\\(\\) AS pid\\); giving up after 1 s$`));
      assert.match(lines[1], new RegExp(`^error: could not take the migration lock on postgres://\\S+ within lockWait \\(1 s\\): another migrator run holds it, pid ${pid} \\(application "stuck-deploy"`));
      assert.match(lines[1], /pg_terminate_backend/);
      assert.deepEqual(await tables(), []);
    } finally {
      await holder.end();
    }
  });

  test('released while the run waits: the run takes it and applies', async () => {
    await resetSchema();
    const p = project("lockWait: '60s'");
    p.write('versions/a1_posts.ts', createPosts('a1'));
    const holder = await session('slow-deploy');
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
      let told = false;
      const running = start(p, ['migrate'], (stderr) => (told = stderr.includes('Waiting for the migration lock')));
      // Released only once the run has found it taken, named its holder and waits (polling, so
      // that it holds no snapshot another run's CREATE INDEX CONCURRENTLY would wait for).
      await until(async () => told, 'the run to say it waits for the lock');
      assert.equal(
        (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'migrator' AND query LIKE 'SELECT pg_advisory_lock%'`)).length,
        0,
        'the run does not queue in pg_advisory_lock',
      );
      await holder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
      const r = await running;
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.match(r.stderr, /^Waiting for the migration lock on \S+, held by pid \d+ \(application "slow-deploy"/);
      assert.match(r.stdout, /^Applied {2}a1 {2}posts$/m);
      assert.deepEqual(await db.query('SELECT title FROM posts'), [{ title: 'kept' }]);
    } finally {
      await holder.end();
    }
  });
});

describe('table locks', () => {
  const addColumn = sqlRevision('b2', 'a1', 'add body', ['ALTER TABLE posts ADD COLUMN body text'], ['ALTER TABLE posts DROP COLUMN body']);

  test('held past lockTimeout on every try: rolled back, retried, and the holder named', async () => {
    await resetSchema();
    const p = project("lockTimeout: '200ms', lockRetries: 1");
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.ok(['migrate']);
    p.write('versions/b2_add_body.ts', addColumn);
    const holder = await session('long-report');
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM posts');
      const [{ pid }] = (await holder.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      const r = await start(p, ['migrate']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 2, explain(r, 'to print one retry notice and an error'));
      assert.match(lines[0], new RegExp(`^revision b2 waited too long for a table lock held by pid ${pid} \\(application "long-report".*; rolled back, trying again in 0\\.5 s \\(2 of 2\\)$`));
      assert.match(lines[1], /^error: upgrade a1 -> b2 failed; revision b2 \(.*b2_add_body\.ts\) was rolled back: a statement waited longer than the lock timeout \(200 ms\) for a table lock, 2 times \(in statement: ALTER TABLE posts ADD COLUMN body text\); held by pid \d+ \(application "long-report", from \S+, idle in transaction since /);
      assert.match(lines[1], /raise "lockTimeout"$/);
      assert.deepEqual(await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
      assert.deepEqual(await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'body'`), []);
    } finally {
      await holder.end();
    }
  });

  test('let go during the retries: the revision applies', async () => {
    await resetSchema();
    const p = project("lockTimeout: '200ms', lockRetries: 5");
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.ok(['migrate']);
    p.write('versions/b2_add_body.ts', addColumn);
    const holder = await session('short-report');
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM posts');
      const running = start(p, ['migrate']);
      await until(async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'migrator' AND wait_event_type = 'Lock'`)).length > 0, 'the run to wait');
      await holder.query('COMMIT');
      const r = await running;
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.match(r.stdout, /^Applied {2}b2 {2}add body$/m);
      assert.deepEqual(await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version'), [{ version_num: 'b2' }]);
    } finally {
      await holder.end();
    }
  });

  test('check and makemigrations read the catalog no longer than lockTimeout, and name the table held', async () => {
    await resetSchema();
    const p = project("lockTimeout: '300ms'");
    p.write('entities/item.ts', itemEntity());
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.ok(['migrate']);
    // A default is read with pg_get_expr, which waits for the table's lock.
    await db.query(`ALTER TABLE posts ALTER COLUMN title SET DEFAULT 'untitled'`);
    const holder = await session('vacuum-full');
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      const [{ pid }] = (await holder.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      for (const command of ['check', 'makemigrations']) {
        const r = await start(p, [command]);
        assert.equal(r.status, 2, explain(r, 'to exit 2'));
        assert.match(r.stderr, new RegExp(`^error: reading the database's catalog waited longer than the lock timeout for a table another session holds exclusively: table "posts" by pid ${pid} \\(application "vacuum-full".*raise "lockTimeout"\n$`), explain(r, 'to name the table and its holder'));
      }
      assert.deepEqual(p.versionFiles(), ['a1_posts.ts']);
    } finally {
      await holder.end();
    }
  });

  test('--lock-timeout must be a duration', async () => {
    const p = project('');
    const r = p.run(['migrate', '--lock-timeout', '5']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.equal(r.stderr, "error: --lock-timeout must be a duration with a unit, like '5s', '500ms' or '2min' (or 0), not \"5\"\n");
  });
});

describe('a connection lost mid-revision', () => {
  test('says which revision ran, that a rerun is safe; the rerun completes', async () => {
    await resetSchema();
    const p = project('');
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.write('versions/b2_slow.ts', sqlRevision('b2', 'a1', 'slow', ["INSERT INTO posts VALUES (2, 'new')", 'SELECT pg_sleep(20)'], ['DELETE FROM posts WHERE id = 2']));
    const running = start(p, ['migrate']);
    await until(async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'migrator' AND query LIKE '%pg_sleep(20)%'`)).length > 0, 'the slow revision');
    await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'migrator' AND query LIKE '%pg_sleep(20)%'`);
    const r = await running;
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, explain(r, 'to print one line'));
    assert.match(lines[0], /^error: upgrade a1 -> b2 failed: the connection to the database was lost while revision b2 \(\S*b2_slow\.ts\) was running \(terminating connection due to administrator command\); the database rolls back a transaction cut off before its commit, so a rerun of `migrator migrate` is safe/);
    assert.doesNotMatch(r.stderr, /not queryable|Connection terminated/);
    assert.deepEqual(await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    assert.deepEqual(await db.query('SELECT id FROM posts ORDER BY id'), [{ id: 1 }]);
  });
});

describe('one command per generated statement', () => {
  test('a column type that holds a second command fails alone; the table it names stays', async () => {
    await resetSchema();
    const p = project('');
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.write(
      'versions/b2_hostile.ts',
      `import type { Operations } from 'migrator';

export const revision = 'b2';
export const downRevision: string | string[] | null = 'a1';

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('posts', { name: 'n', type: 'integer; DROP TABLE keep; CREATE TABLE x (y integer)', nullable: true });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('posts', 'n');
}
`,
    );
    await db.query('CREATE TABLE keep (id integer)');
    const r = p.run(['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(r.stderr, /^error: upgrade a1 -> b2 failed; revision b2 \(.*\) was rolled back: cannot insert multiple commands into a prepared statement \(in statement: ALTER TABLE "posts" ADD "n" integer; DROP TABLE keep;/);
    assert.deepEqual(await tables(), ['keep', 'migrator_history', 'migrator_version', 'posts']);
    assert.deepEqual(await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
  });

  test('statements that share a round trip: a failure still names its own statement, and nothing of the revision stays', async () => {
    await resetSchema();
    const p = project('');
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.write(
      'versions/b2_batch.ts',
      `import type { Operations } from 'migrator';

export const revision = 'b2';
export const downRevision: string | string[] | null = 'a1';

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('tags', { columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] } });
  await op.addColumn('posts', { name: 'note', type: 'text', nullable: true });
  await op.addColumn('missing', { name: 'x', type: 'integer', nullable: true });
  await op.createIndex('posts', { name: 'posts_note_idx', columns: ['note'] });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('tags');
}
`,
    );
    const r = p.run(['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(r.stderr, /^error: upgrade a1 -> b2 failed; revision b2 \(.*\) was rolled back: relation "missing" does not exist \(in statement: ALTER TABLE "missing" ADD "x" integer\)\n$/);
    assert.deepEqual(await tables(), ['migrator_history', 'migrator_version', 'posts']);
    assert.deepEqual(await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version'), [{ version_num: 'a1' }]);
    assert.deepEqual(
      await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'posts' ORDER BY column_name`),
      [{ column_name: 'id' }, { column_name: 'title' }],
    );
  });

  test("a revision's own op.execute script of two statements runs whole", async () => {
    await resetSchema();
    const p = project('');
    p.write('versions/a1_posts.ts', createPosts('a1'));
    p.write(
      'versions/b2_script.ts',
      `import type { Operations } from 'migrator';

export const revision = 'b2';
export const downRevision: string | string[] | null = 'a1';

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("INSERT INTO posts VALUES (2, 'two'); INSERT INTO posts VALUES (3, 'three')");
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DELETE FROM posts WHERE id > 1');
}
`,
    );
    p.ok(['migrate']);
    assert.deepEqual(await db.query('SELECT id FROM posts ORDER BY id'), [{ id: 1 }, { id: 2 }, { id: 3 }]);
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await db.query('SELECT id FROM posts ORDER BY id'), [{ id: 1 }]);
  });
});
