/**
 * Indexes and constraints whose name alone changes, one body on SQLite, PostgreSQL and
 * MySQL/MariaDB: entities with a named index, unique constraint, check and foreign key →
 * migrate, rows in; the entities give each a new name → makemigrations writes renames and
 * nothing dropped → migrate: the database has the new names, the rows, and (PostgreSQL) the very
 * same index, not one built again → check is clean → downgrade -1 gives the old names back.
 * Where the database cannot rename (SQLite: anything; MySQL: a foreign key or a check), the SQL
 * drops and adds it again, which `--sql` shows.
 *
 * PostgreSQL and MySQL: one database each for the file, dropped at the end; an unreachable server
 * fails the file. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, mysql, postgres, sqlite } from './graph-helpers.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_renamed_keys');
  my = await createMysqlTestDatabase('migrator_renamed_keys');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

const newProject = projects();

interface Names {
  index: string;
  unique: string;
  check: string;
  foreignKey: string;
}

const OLD: Names = { index: 'IDX_book_title', unique: 'UQ_book_isbn', check: 'CHK_book_pages', foreignKey: 'FK_book_author' };
const NEW: Names = { index: 'IDX_book_heading', unique: 'UQ_book_code', check: 'CHK_book_length', foreignKey: 'FK_book_writer' };
/**
 * Author's primary key, named in the entity (kept by PostgreSQL only: MySQL's is PRIMARY, SQLite's
 * is on the column). TypeORM's synchronize never compares a primary key's name, and neither does
 * migrator for TypeORM's models: the new name is not a change (Prisma's models are: see below).
 */
const PRIMARY_KEY = { old: 'PK_author_old', new: 'PK_author_new' };

interface Case {
  backend: Backend;
  /** The names of book's indexes and constraints, as the catalog has them, sorted. */
  namesOf(p: TempProject): Promise<string[]>;
  /** The SQL `upgrade --sql` must show for the renames (a line each, as a regular expression). */
  sql: RegExp[];
  /** The index's identity in the catalog, where the database gives one (PostgreSQL's OID). */
  indexId?(): Promise<string>;
  /** TypeORM makes no check constraints on MySQL (it leaves `@Check` out there), so neither does migrator. */
  noChecks?: boolean;
  /** A unique constraint is a unique index (MySQL): renamed as one. */
  uniqueIsIndex?: boolean;
  /** The primary key's name as the catalog has it, where the database keeps one for it (PostgreSQL). */
  primaryKeyName?(): Promise<string>;
}

const CASES: Case[] = [
  {
    backend: sqlite,
    async namesOf(p) {
      const [row] = await sqlite.query<{ sql: string }>(p.dir, `SELECT sql FROM sqlite_master WHERE name = 'book'`);
      const constraints = [...row.sql.matchAll(/CONSTRAINT "(\w+)"/g)].map((m) => m[1]);
      const indexes = (await sqlite.query<{ name: string }>(p.dir, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'book' AND sql IS NOT NULL`)).map((r) => r.name);
      return [...constraints, ...indexes].sort();
    },
    sql: [/^DROP INDEX "IDX_book_title";$/m, /^CREATE INDEX "IDX_book_heading" ON "book" \("title"\);$/m, /^CREATE TABLE "_migrator_tmp_book" .*CONSTRAINT "UQ_book_code" UNIQUE .*CONSTRAINT "FK_book_writer" FOREIGN KEY .*CONSTRAINT "CHK_book_length" CHECK/m],
  },
  {
    backend: postgres(() => pg!),
    async namesOf() {
      const rows = await pg!.query<{ name: string }>(
        `SELECT conname::text AS name FROM pg_constraint WHERE conrelid = 'book'::regclass AND contype <> 'p' UNION SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'book'::regclass AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      );
      return rows.map((r) => r.name).sort();
    },
    sql: [
      /^ALTER INDEX "IDX_book_title" RENAME TO "IDX_book_heading";$/m,
      /^ALTER TABLE "book" RENAME CONSTRAINT "UQ_book_isbn" TO "UQ_book_code";$/m,
      /^ALTER TABLE "book" RENAME CONSTRAINT "FK_book_author" TO "FK_book_writer";$/m,
      /^ALTER TABLE "book" RENAME CONSTRAINT "CHK_book_pages" TO "CHK_book_length";$/m,
    ],
    async primaryKeyName() {
      const [row] = await pg!.query<{ name: string }>(`SELECT conname::text AS name FROM pg_constraint WHERE conrelid = 'author'::regclass AND contype = 'p'`);
      return row.name;
    },
    async indexId() {
      const [row] = await pg!.query<{ oid: string }>(`SELECT i.indexrelid::text AS oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'book'::regclass AND c.relname LIKE 'IDX_%'`);
      return row.oid;
    },
  },
  {
    backend: mysql(() => my!),
    async namesOf() {
      const rows = await my!.query<{ name: string }>(
        `SELECT CONSTRAINT_NAME AS name FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'book' AND CONSTRAINT_TYPE <> 'PRIMARY KEY'
         UNION SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'book' AND INDEX_NAME LIKE 'IDX_%'`,
      );
      return rows.map((r) => r.name).sort();
    },
    sql: [
      /^ALTER TABLE `book` RENAME INDEX `IDX_book_title` TO `IDX_book_heading`;$/m,
      /^ALTER TABLE `book` RENAME INDEX `UQ_book_isbn` TO `UQ_book_code`;$/m,
      // The index MySQL made for the old key goes with it; the new key gets its own.
      /^ALTER TABLE `book` DROP FOREIGN KEY `FK_book_author`, DROP INDEX `FK_book_author`, ADD CONSTRAINT `FK_book_writer` FOREIGN KEY \(`authorId`\) REFERENCES `author` \(`id`\)/m,
    ],
    noChecks: true,
    uniqueIsIndex: true,
  },
];

const entities = (n: Names, pk: string, uniqueIndex?: string): string => `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity()
export class Author {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: '${pk}' })
  id!: number;
}

@Entity()
@Index('${n.index}', ['title'])
${uniqueIndex ? `@Index('${uniqueIndex}', ['isbn'], { unique: true })` : `@Unique('${n.unique}', ['isbn'])`}
@Check('${n.check}', 'pages > 0')
export class Book {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 80 })
  title!: string;

  @Column({ type: 'varchar', length: 20 })
  isbn!: string;

  @Column({ type: 'integer' })
  pages!: number;

  @ManyToOne(() => Author, { nullable: true })
  @JoinColumn({ name: 'authorId', foreignKeyConstraintName: '${n.foreignKey}' })
  author?: Author;
}
`;

const sorted = (n: Names, c: Case): string[] => Object.entries(n).filter(([k]) => k !== 'check' || !c.noChecks).map(([, v]) => v).sort();

for (const c of CASES) {
  describe(`renamed indexes and constraints on ${c.backend.name}`, () => {
    let p: TempProject;
    let indexBefore: string | undefined;
    before(async () => {
      p = newProject(`migrator-renamed-keys-${c.backend.name}-`);
      await c.backend.reset(p.dir);
      p.write('migrator.config.ts', configSource({ database: c.backend.url(p.dir) }));
      p.write('entities/book.ts', entities(OLD, PRIMARY_KEY.old));
      p.ok(['makemigrations', '-m', 'books']);
      p.ok(['migrate']);
      const q = c.backend.quote;
      await c.backend.query(p.dir, `INSERT INTO author (id) VALUES (1)`);
      await c.backend.query(p.dir, `INSERT INTO book (title, isbn, pages, ${q('authorId')}) VALUES ('Emma', '111', 474, 1), ('Ulysses', '222', 730, NULL)`);
      indexBefore = await c.indexId?.();
    });

    it('the first revision has the old names', async () => {
      assert.deepEqual(await c.namesOf(p), sorted(OLD, c));
      if (c.primaryKeyName) assert.equal(await c.primaryKeyName(), PRIMARY_KEY.old);
    });

    it('new names only: makemigrations writes a rename of each and drops nothing', () => {
      p.write('entities/book.ts', entities(NEW, PRIMARY_KEY.new));
      const r = p.ok(['makemigrations', '-m', 'rename keys']);
      assert.deepEqual(
        r.stdout.split('\n').filter((l) => l.startsWith('  - ')).sort(),
        [
          ...(c.noChecks ? [] : ['  - rename constraint CHK_book_pages on book to CHK_book_length']),
          '  - rename constraint FK_book_author on book to FK_book_writer',
          `  - rename ${c.uniqueIsIndex ? 'index' : 'constraint'} UQ_book_isbn on book to UQ_book_code`,
          '  - rename index IDX_book_title on book to IDX_book_heading',
        ].sort(),
        explain(r, 'to rename each'),
      );
      const file = fs.readdirSync(path.join(p.dir, 'versions')).find((f) => f.includes('rename_keys'))!;
      const source = fs.readFileSync(path.join(p.dir, 'versions', file), 'utf8');
      assert.match(source, /await op\.renameIndex\('book', 'IDX_book_title', 'IDX_book_heading'\);/);
      assert.match(source, /await op\.renameConstraint\('book', 'FK_book_author', 'FK_book_writer'\);/);
      assert.match(source, /await op\.renameIndex\('book', 'IDX_book_heading', 'IDX_book_title'\);/, 'the downgrade renames back');
      assert.doesNotMatch(source, /op\.(drop|create|add)/);
    });

    it('the SQL renames where the database can, and drops and adds where it cannot', () => {
      const r = p.ok(['upgrade', 'head', '--sql']);
      for (const re of c.sql) assert.match(r.stdout, re, explain(r, `to show ${re}`));
    });

    it('migrate: the new names, the rows kept, the same index, check clean', async () => {
      p.ok(['migrate']);
      assert.deepEqual(await c.namesOf(p), sorted(NEW, c));
      const rows = await c.backend.query<{ title: string }>(p.dir, `SELECT title FROM book ORDER BY id`);
      assert.deepEqual(rows.map((x) => x.title), ['Emma', 'Ulysses']);
      if (c.indexId) assert.equal(await c.indexId(), indexBefore, 'the index is renamed, not built again');
      if (c.primaryKeyName) assert.equal(await c.primaryKeyName(), PRIMARY_KEY.old, 'the primary key keeps the name the database has, as under TypeORM');
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
    });

    it('the constraints hold under their new names', async () => {
      const q = c.backend.quote;
      await assert.rejects(c.backend.query(p.dir, `INSERT INTO book (title, isbn, pages) VALUES ('Copy', '111', 10)`), /UQ_book_code|UNIQUE|Duplicate/i);
      if (!c.noChecks) await assert.rejects(c.backend.query(p.dir, `INSERT INTO book (title, isbn, pages) VALUES ('Empty', '333', 0)`), /CHK_book_length|CHECK/i);
      await assert.rejects(c.backend.query(p.dir, `INSERT INTO book (title, isbn, pages, ${q('authorId')}) VALUES ('Orphan', '444', 5, 99)`), /FK_book_writer|FOREIGN KEY/i);
    });

    it('downgrade -1 gives the old names back, with the rows', async () => {
      p.ok(['downgrade', '-1']);
      assert.deepEqual(await c.namesOf(p), sorted(OLD, c));
      assert.equal((await c.backend.query(p.dir, `SELECT id FROM book`)).length, 2);
      if (c.indexId) assert.equal(await c.indexId(), indexBefore);
      if (c.primaryKeyName) assert.equal(await c.primaryKeyName(), PRIMARY_KEY.old);
    });

    it('the unique constraint written as a unique index of another name: renamed, and check is clean', async () => {
      p.ok(['migrate']);
      p.write('entities/book.ts', entities(NEW, PRIMARY_KEY.new, 'book_isbn_key'));
      const r = p.ok(['makemigrations', '-m', 'unique as index']);
      assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('  - ')), ['  - rename index UQ_book_code on book to book_isbn_key'], explain(r, 'to rename it'));
      p.ok(['migrate']);
      assert.ok((await c.namesOf(p)).includes('book_isbn_key'));
      assert.equal((await c.backend.query(p.dir, `SELECT id FROM book`)).length, 2);
      await assert.rejects(c.backend.query(p.dir, `INSERT INTO book (title, isbn, pages) VALUES ('Copy', '111', 10)`), /book_isbn_key|UNIQUE|Duplicate/i);
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
    });
  });
}

describe('a Prisma primary key under another name (map:), on PostgreSQL', () => {
  let p: TempProject;
  const models = (map: string): string => `datasource db {
  provider = "postgresql"
}

model Seat {
  row    Int
  number Int
  label  String

  @@id([row, number]${map})
}
`;
  const keyName = async (): Promise<string> => (await pg!.query<{ name: string }>(`SELECT conname::text AS name FROM pg_constraint WHERE conrelid = '"Seat"'::regclass AND contype = 'p'`))[0].name;

  before(async () => {
    await pg!.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    p = newProject('migrator-renamed-pk-');
    p.write('migrator.config.ts', configSource({ database: pg!.url, models: ['schema.prisma'] }));
    p.write('schema.prisma', models(''));
    p.ok(['makemigrations', '-m', 'seats']);
    p.ok(['migrate']);
    await pg!.query(`INSERT INTO "Seat" ("row", "number", label) VALUES (1, 1, 'A1')`);
  });

  it('is renamed, as Prisma Migrate renames it, and back down', async () => {
    assert.equal(await keyName(), 'Seat_pkey');
    p.write('schema.prisma', models(', map: "seat_primary"'));
    const r = p.ok(['makemigrations', '-m', 'key name']);
    assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('  - ')), ['  - rename constraint Seat_pkey on Seat to seat_primary'], explain(r, 'to rename the key'));
    p.ok(['migrate']);
    assert.equal(await keyName(), 'seat_primary');
    assert.equal(p.run(['check']).status, 0);
    p.ok(['downgrade', '-1']);
    assert.equal(await keyName(), 'Seat_pkey');
    assert.deepEqual(await pg!.query(`SELECT label FROM "Seat"`), [{ label: 'A1' }]);
  });
});
