/**
 * A column's collation through the whole cycle, one body on SQLite, PostgreSQL and MySQL/MariaDB:
 * entities with a collated column → makemigrations → migrate; the entity names another collation
 * → makemigrations writes one alterColumn of it alone → migrate → the database has it, the rows
 * are kept, check is clean → downgrade -1 gives the first collation back. A collation the
 * database has and the entity does not name is left as it is.
 *
 * PostgreSQL and MySQL: one database each for the file, dropped at the end; an unreachable server
 * fails the file. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, mysql, postgres, sqlite } from './graph-helpers.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_collations');
  my = await createMysqlTestDatabase('migrator_collations');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

const newProject = projects();

interface Case {
  backend: Backend;
  /** The two collations the column takes, as the entity names them. */
  first: string;
  second: string;
  /** A collation the database is given by hand, for a column whose entity names none. */
  byHand: { sql: string; collation: string };
  /** The collation of word.<column> as the catalog reports it (undefined: the type's default). */
  collationOf(p: TempProject, column: string): Promise<string | undefined>;
}

const CASES: Case[] = [
  {
    backend: sqlite,
    first: 'NOCASE',
    second: 'RTRIM',
    byHand: { sql: '', collation: '' },
    async collationOf(p, column) {
      const [row] = await sqlite.query<{ sql: string }>(p.dir, `SELECT sql FROM sqlite_master WHERE name = 'word'`);
      return new RegExp(`"${column}" [^,]*COLLATE "?(\\w+)"?`, 'i').exec(row.sql)?.[1].toUpperCase();
    },
  },
  {
    backend: postgres(() => pg!),
    first: 'C',
    second: 'POSIX',
    byHand: { sql: 'ALTER TABLE word ALTER COLUMN note TYPE varchar(80) COLLATE "C"', collation: 'C' },
    async collationOf(_p, column) {
      const [row] = await pg!.query<{ c: string | null }>(
        `SELECT co.collname::text AS c FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation WHERE a.attrelid = 'word'::regclass AND a.attname = $1`,
        [column],
      );
      return row?.c ?? undefined;
    },
  },
  {
    backend: mysql(() => my!),
    first: 'utf8mb4_bin',
    second: 'utf8mb4_unicode_ci',
    byHand: { sql: 'ALTER TABLE word MODIFY COLUMN note varchar(80) COLLATE utf8mb4_bin NOT NULL', collation: 'utf8mb4_bin' },
    async collationOf(_p, column) {
      const [row] = await my!.query<{ c: string | null }>(`SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'word' AND COLUMN_NAME = ?`, [column]);
      return row?.c ?? undefined;
    },
  },
];

const entity = (collation: string): string => `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Word {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 80, collation: '${collation}' })
  text!: string;

  @Column({ type: 'varchar', length: 80 })
  note!: string;
}
`;

for (const c of CASES) {
  describe(`collations on ${c.backend.name}`, () => {
    let p: TempProject;
    before(async () => {
      p = newProject(`migrator-collations-${c.backend.name}-`);
      await c.backend.reset(p.dir);
      p.write('migrator.config.ts', configSource({ database: c.backend.url(p.dir) }));
      p.write('entities/word.ts', entity(c.first));
    });

    it('the first revision creates the column with its collation', async () => {
      p.ok(['makemigrations', '-m', 'words']);
      p.ok(['migrate']);
      assert.equal(await c.collationOf(p, 'text'), c.first);
      // A column that names none has its type's (PostgreSQL, SQLite) or its table's (MySQL).
      if (c.backend.name !== 'mysql') assert.equal(await c.collationOf(p, 'note'), undefined);
      await c.backend.query(p.dir, `INSERT INTO word (${c.backend.quote('text')}, note) VALUES ('Apple', 'a'), ('banana', 'b')`);
    });

    it('another collation: one alterColumn of it alone; migrate gives the column it, keeps the rows, and check is clean', async () => {
      p.write('entities/word.ts', entity(c.second));
      const r = p.ok(['makemigrations', '-m', 'recollate']);
      assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('  - ')), [`  - alter column word.text: collation ${c.first} → ${c.second}`], explain(r, 'to change the collation alone'));
      p.ok(['migrate']);
      assert.equal(await c.collationOf(p, 'text'), c.second);
      assert.deepEqual((await c.backend.query<{ text: string }>(p.dir, `SELECT ${c.backend.quote('text')} AS text FROM word ORDER BY id`)).map((x) => x.text), ['Apple', 'banana']);
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
    });

    it('downgrade -1 gives the first collation back', async () => {
      p.ok(['downgrade', '-1']);
      assert.equal(await c.collationOf(p, 'text'), c.first);
      p.ok(['migrate']);
    });

    if (c.byHand.sql) {
      it('a collation given by hand to a column whose entity names none is left as it is', async () => {
        await c.backend.query(p.dir, c.byHand.sql);
        const chk = p.run(['check']);
        assert.equal(chk.status, 0, explain(chk, 'to leave the collation alone'));
        assert.equal(await c.collationOf(p, 'note'), c.byHand.collation);
      });
    }
  });
}
