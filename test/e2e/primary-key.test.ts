/**
 * Changing a table's primary key from the models, on SQLite (a rebuild) and PostgreSQL (drop and
 * add the constraint): makemigrations writes op.alterPrimaryKey, migrate applies it keeping every
 * row, check is clean, and downgrade -1 restores the old key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';
import { projects } from './helpers.js';

const ENTITY = (key: 'id' | 'composite'): string => `import { Column, Entity, PrimaryColumn } from 'migrator/decorators';

@Entity('membership')
export class Membership {
  @PrimaryColumn()
  userId!: number;

  @${key === 'composite' ? 'PrimaryColumn' : 'Column'}()
  groupId!: number;

  @Column({ nullable: true })
  role!: string;
}
`;

interface Dialect {
  name: string;
  url: () => string;
  /** The primary key columns of `membership`, in key order. */
  keyColumns: () => Promise<string[]>;
  rows: () => Promise<unknown[]>;
  insert: (sql: string) => Promise<void>;
}

const newProject = projects();
let db: TestDatabase | undefined;

before(async () => {
  db = await createTestDatabase('migrator_pk');
});
after(async () => {
  await db?.drop();
});

async function pgQuery<T>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: db!.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

function dialects(file: () => string): Dialect[] {
  const sqlite = <T>(body: (d: Database.Database) => T): T => {
    const d = new Database(file());
    try {
      return body(d);
    } finally {
      d.close();
    }
  };
  return [
    {
      name: 'SQLite',
      url: () => 'sqlite:./app.db',
      keyColumns: async () =>
        sqlite((d) => (d.prepare('PRAGMA table_info("membership")').all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)),
      rows: async () => sqlite((d) => d.prepare('SELECT "userId", "groupId", "role" FROM "membership" ORDER BY 1, 2').all()),
      insert: async (sql) => sqlite((d) => void d.exec(sql)),
    },
    {
      name: 'PostgreSQL',
      url: () => db!.url,
      keyColumns: async () =>
        (
          await pgQuery<{ name: string }>(
            `SELECT a.attname AS name FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
             WHERE c.conrelid = 'membership'::regclass AND c.contype = 'p' ORDER BY k.ord`,
          )
        ).map((r) => r.name),
      rows: async () => pgQuery('SELECT "userId", "groupId", "role" FROM "membership" ORDER BY 1, 2'),
      insert: async (sql) => void (await pgQuery(sql)),
    },
  ];
}

describe('changing a primary key', () => {
  let projectDir = '';
  for (const d of dialects(() => `${projectDir}/app.db`)) {
    it(`${d.name}: makemigrations writes alterPrimaryKey; migrate keeps the rows; downgrade restores the key`, async () => {
      const p = newProject();
      projectDir = p.dir;
      p.writeConfig({ database: d.url() });
      p.writeEntity('membership', ENTITY('id'));
      assert.equal(p.run(['makemigrations', '-m', 'memberships', '--rev-id', 'aaaa00000001']).status, 0);
      assert.equal(p.run(['migrate']).status, 0);
      assert.deepEqual(await d.keyColumns(), ['userId']);
      await d.insert(`INSERT INTO "membership" ("userId", "groupId", "role") VALUES (1, 10, 'owner'), (2, 10, NULL), (3, 20, 'member')`);
      const before = await d.rows();

      p.writeEntity('membership', ENTITY('composite'));
      const gen = p.run(['makemigrations', '-m', 'key on both ids', '--rev-id', 'bbbb00000002']);
      assert.equal(gen.status, 0, gen.stderr);
      const file = p.read(`versions/${p.versionFiles().find((f) => f.includes('_bbbb00000002_'))}`);
      // The new key (named as TypeORM names it) going up, the old one coming down.
      assert.match(file, /await op\.alterPrimaryKey\('membership', \{\s*name: 'PK_[0-9a-f]+',\s*columns: \['userId', 'groupId'\],?\s*\}\);/);
      assert.match(file, /await op\.alterPrimaryKey\('membership', \{\s*(name: '[^']+',\s*)?columns: \['userId'\],?\s*\}\);/);

      const up = p.run(['migrate']);
      assert.equal(up.status, 0, up.stderr);
      assert.deepEqual(await d.keyColumns(), ['userId', 'groupId']);
      assert.deepEqual(await d.rows(), before, 'every row kept');
      assert.equal(p.run(['check']).status, 0, p.run(['check']).stdout);

      const down = p.run(['downgrade', '-1']);
      assert.equal(down.status, 0, down.stderr);
      assert.deepEqual(await d.keyColumns(), ['userId']);
      assert.deepEqual(await d.rows(), before, 'every row kept on the way down');
      assert.equal(p.run(['downgrade', 'base']).status, 0);
    });
  }
});
