/**
 * On SQLite the run lock is the database file's write lock: a run waits `lockWait` for another
 * writer (and its commit for readers), then exits 2 saying so, with nothing applied. Generated statements run one command
 * each; a revision's own op.execute script may hold several.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { explain, projects, sqlRevision } from './helpers.ts';

const newProject = projects();

describe('SQLite waits and statements', () => {
  // A writer holds the file's write lock, which BEGIN IMMEDIATE waits for; a reader holds a read
  // transaction, which lets a writer begin but makes its commit wait.
  const holders = [
    { who: 'writer', at: 'the run waits to begin', doing: 'writing to', hold: (db: Database.Database) => db.exec('BEGIN IMMEDIATE') },
    {
      who: 'reader',
      at: 'the commit gives up',
      doing: 'reading',
      hold: (db: Database.Database) => {
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM other').get();
      },
    },
  ];
  for (const { who, at, doing, hold } of holders) {
    test(`another ${who} holds the file past lockWait: ${at}, exit 2, nothing applied`, () => {
      const p = newProject();
      p.write('migrator.config.ts', `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: 'sqlite:./app.db', models: ['entities/*.ts'], lockWait: '300ms' });\n`);
      p.write('versions/a1_posts.ts', sqlRevision('a1', null, 'posts', ['CREATE TABLE posts (id integer PRIMARY KEY)'], ['DROP TABLE posts']));
      const holder = new Database(p.path('app.db'));
      try {
        holder.exec('CREATE TABLE other (id integer)');
        hold(holder);
        const r = p.run(['migrate']);
        assert.equal(r.status, 2, explain(r, 'to exit 2'));
        assert.equal(
          r.stderr.replace(/\(\S*a1_posts\.ts\)/, '(FILE)'),
          `error: upgrade <base> -> a1 failed; revision a1 (FILE) was rolled back: the database stayed locked by another process ${doing} the database file for longer than lockWait (0.3 s); rerun once it is free, or raise "lockWait"\n`,
        );
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
      assert.deepEqual(p.tables(), ['other']);
      p.ok(['migrate']);
      assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version', 'other', 'posts']);
    });
  }

  test('a column type that holds a second statement fails alone; a script of two runs whole', () => {
    const p = newProject();
    p.writeConfig();
    p.write('versions/a1_posts.ts', sqlRevision('a1', null, 'posts', ['CREATE TABLE posts (id integer PRIMARY KEY)', 'CREATE TABLE keep (id integer); INSERT INTO keep VALUES (1)'], ['DROP TABLE keep', 'DROP TABLE posts']));
    p.ok(['migrate']);
    assert.deepEqual(p.query('SELECT id FROM keep'), [{ id: 1 }]);
    p.write(
      'versions/b2_hostile.ts',
      `import type { Operations } from 'migrator';

export const revision = 'b2';
export const downRevision: string | string[] | null = 'a1';

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('posts', { name: 'n', type: 'integer; DROP TABLE keep', nullable: true });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('posts', 'n');
}
`,
    );
    const r = p.run(['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(r.stderr, /was rolled back: The supplied SQL string contains more than one statement \(in statement: ALTER TABLE "posts" ADD COLUMN "n" integer; DROP TABLE keep\)/);
    assert.deepEqual(p.tables(), ['keep', 'migrator_history', 'migrator_version', 'posts']);
    assert.deepEqual(p.versions(), ['a1']);
  });
});
