/**
 * Second revisions, as projects evolve, on PostgreSQL with rows in the tables: each case goes
 * from a first schema to a second and back — makemigrations, migrate (rows kept), check clean,
 * downgrade -1 back to a catalog equal to the first one's (indexes and keys included), and with
 * the first models and revision alone, check clean again.
 *  - a table with indexes is dropped: its downgrade rebuilds the indexes too;
 *  - a primary key referenced by a foreign key changes type (text → integer): the key is dropped
 *    while both columns change and added back;
 *  - an enum is replaced by another of the same values (a rename): the type is renamed, the
 *    column untouched;
 *  - an enum loses a value: plain and array columns of it move to the new type;
 *  - a text column with a default becomes an enum: the default goes back without its text cast.
 *
 * One PostgreSQL database per case (test/support/pg.ts). Needs `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { explain, projects } from './helpers.ts';

const newProject = projects();
const HEAD = 'datasource db {\n  provider = "postgresql"\n}\n';

interface Case {
  name: string;
  first: string;
  second: string;
  rows: string[];
  /** A query whose result must be the same after the second revision and after its downgrade. */
  kept: string;
  /** What the second revision must do, as `check` lists it. */
  operations: RegExp[];
}

const CASES: Case[] = [
  {
    name: 'a table with indexes is dropped, and comes back with them',
    first: `${HEAD}model Note {\n  id    Int    @id\n  email String @unique\n  title String\n  @@index([title(sort: Desc)])\n}\nmodel Keep {\n  id Int @id\n}\n`,
    second: `${HEAD}model Keep {\n  id Int @id\n}\n`,
    rows: [`INSERT INTO "Keep" VALUES (1), (2)`, `INSERT INTO "Note" VALUES (1, 'a@x', 'A')`],
    kept: `SELECT count(*)::int AS n FROM "Keep"`,
    operations: [/drop index Note_email_key/, /drop index Note_title_idx/, /drop table Note/],
  },
  {
    name: 'a referenced primary key changes type',
    first: `${HEAD}model Site {\n  id    String @id\n  posts Post[]\n}\nmodel Post {\n  id     Int    @id\n  siteId String\n  site   Site   @relation(fields: [siteId], references: [id])\n}\n`,
    second: `${HEAD}model Site {\n  id    Int    @id\n  posts Post[]\n}\nmodel Post {\n  id     Int    @id\n  siteId Int\n  site   Site   @relation(fields: [siteId], references: [id])\n}\n`,
    rows: [`INSERT INTO "Site" VALUES ('7'), ('8')`, `INSERT INTO "Post" VALUES (1, '7'), (2, '8')`],
    kept: `SELECT string_agg("siteId"::text, ',' ORDER BY id) AS s FROM "Post"`,
    operations: [/drop foreignKey constraint Post_siteId_fkey/, /alter column Post\.siteId/, /alter column Site\.id/, /add foreignKey constraint Post_siteId_fkey/],
  },
  {
    name: 'an enum is replaced by another of the same values',
    first: `${HEAD}enum MemberRole {\n  OWNER\n  VIEWER\n}\nmodel Member {\n  id   Int        @id\n  role MemberRole\n}\n`,
    second: `${HEAD}enum AccessRole {\n  OWNER\n  VIEWER\n}\nmodel Member {\n  id   Int        @id\n  role AccessRole\n}\n`,
    rows: [`INSERT INTO "Member" VALUES (1, 'OWNER'), (2, 'VIEWER')`],
    kept: `SELECT string_agg(role::text, ',' ORDER BY id) AS s FROM "Member"`,
    operations: [/^  - rename enum MemberRole to AccessRole$/m],
  },
  {
    name: 'an enum loses a value used by a plain and an array column',
    first: `${HEAD}enum Tag {\n  RED\n  GREEN\n  BLUE\n}\nmodel Item {\n  id   Int   @id\n  main Tag   @default(RED)\n  tags Tag[] @default([RED])\n}\n`,
    second: `${HEAD}enum Tag {\n  RED\n  GREEN\n}\nmodel Item {\n  id   Int   @id\n  main Tag   @default(RED)\n  tags Tag[] @default([RED])\n}\n`,
    rows: [`INSERT INTO "Item" VALUES (1, 'GREEN', '{RED,GREEN}'), (2, 'RED', '{}')`],
    kept: `SELECT string_agg(main::text || ':' || tags::text, ',' ORDER BY id) AS s FROM "Item"`,
    operations: [/drop value 'BLUE' from enum Tag/],
  },
  {
    name: 'a text column with a default becomes an enum',
    first: `${HEAD}model Ticket {\n  id     Int    @id\n  status String @default("open")\n}\n`,
    second: `${HEAD}enum Status {\n  open\n  closed\n}\nmodel Ticket {\n  id     Int    @id\n  status Status @default(open)\n}\n`,
    rows: [`INSERT INTO "Ticket" VALUES (1, 'open'), (2, 'closed')`],
    kept: `SELECT string_agg(status::text, ',' ORDER BY id) AS s FROM "Ticket"`,
    operations: [/create enum Status/, /alter column Ticket\.status/],
  },
];

for (const c of CASES) {
  describe(`evolution on PostgreSQL: ${c.name}`, () => {
    const p = newProject('migrator-evolution-');
    let db: TestDatabase;
    let firstCatalog = '';
    let kept: unknown;
    before(async () => {
      db = await createTestDatabase('migrator_evolution');
      p.write('prisma/schema.prisma', c.first);
      p.writeConfig({ database: db.url, models: ['prisma'] });
    });
    after(async () => {
      await db?.drop();
    });

    it('the first revision applies, with rows', async () => {
      p.ok(['makemigrations', '-m', 'first']);
      p.ok(['migrate']);
      for (const sql of c.rows) await db.query(sql);
      firstCatalog = pgCatalogText(await readPgCatalog(db));
      kept = (await db.query(c.kept))[0];
    });

    it('the second revision does what the change needs, applies over the rows and checks clean', async () => {
      p.write('prisma/schema.prisma', c.second);
      const planned = p.run(['check']);
      for (const pattern of c.operations) assert.match(planned.stdout, pattern, explain(planned, `to plan ${pattern}`));
      // Dropping Note and its row is the change under test: consented to.
      p.ok(['makemigrations', '-m', 'second', '--accept-data-loss']);
      p.ok(['migrate']);
      const r = p.run(['check']);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      if (!c.rows.some((sql) => sql.includes('"Note"'))) assert.deepEqual((await db.query(c.kept))[0], kept);
    });

    it('downgrade -1 brings back the first catalog, and the first models check clean', async () => {
      p.ok(['downgrade', '-1']);
      assert.equal(pgCatalogText(await readPgCatalog(db)), firstCatalog);
      assert.deepEqual((await db.query(c.kept))[0], kept);
      // Back to the first models and the first revision alone: nothing to do.
      p.write('prisma/schema.prisma', c.first);
      const second = p.versionFiles().find((f) => f.includes('second'));
      assert.ok(second, p.versionFiles().join(', '));
      p.remove(`versions/${second}`);
      const r = p.run(['check']);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
    });
  });
}
