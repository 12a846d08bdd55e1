/**
 * A database a Prisma project's migrations built, adopted by migrator: Prisma's own SQL (its
 * schema engine, `migrate diff --from-empty`) plus what real projects add by hand in a migration
 * because a Prisma schema cannot state it — CHECK constraints, comments, NOT NULL on a list column
 * — and defaults the database prints otherwise ('{}' for []). Prisma's diff leaves those alone,
 * and so must migrator: `check` is clean and `makemigrations` writes nothing, on
 * PostgreSQL and SQLite. One PostgreSQL database for the file, dropped at the end. Build first.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { prismaMigrateSql } from '../support/prisma-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { explain, projects, type TempProject } from './helpers.ts';

const MODELS = `
model Poll {
  id        String   @id @default(cuid())
  title     String
  votes     Int      @default(0)
  closesAt  DateTime?
  options   Option[]
}

model Option {
  id     Int    @id @default(autoincrement())
  label  String
  pollId String
  poll   Poll   @relation(fields: [pollId], references: [id], onDelete: Cascade)

  @@index([pollId])
}
`;

let pg: TestDatabase;
before(async () => {
  pg = await createTestDatabase('migrator_prisma_adopt');
});
after(async () => {
  await pg?.drop();
});

const newProject = projects();

/** A Prisma project on `url` whose database already holds what `sql` made. */
function prismaProject(provider: string, url: string): TempProject {
  const p = newProject();
  p.write('prisma/schema.prisma', `datasource db {\n  provider = "${provider}"\n}\n${MODELS}`);
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(url)}, models: ['prisma/schema.prisma'], versions: 'versions' };\n`);
  return p;
}

/** check is clean and makemigrations writes nothing. */
function assertAdopted(p: TempProject): void {
  const chk = p.ok(['check']);
  assert.match(chk.stdout, /No changes detected/, explain(chk, 'to leave the hand-made checks and comments alone'));
  const gen = p.ok(['makemigrations']);
  assert.match(gen.stdout, /No changes detected/, explain(gen, 'to leave the hand-made checks and comments alone'));
  assert.deepEqual(p.versionFiles(), []);
}

describe("a Prisma project's database with checks and comments added by hand", () => {
  it('PostgreSQL: Prisma\'s SQL, then CHECK constraints and COMMENT ON: nothing to change', async () => {
    const sql = await prismaMigrateSql({ 'schema.prisma': `datasource db {\n  provider = "postgresql"\n}\n${MODELS}` });
    await pg.query(sql);
    await pg.query(`ALTER TABLE "Poll" ADD CONSTRAINT "Poll_votes_check" CHECK ("votes" >= 0);
      ALTER TABLE "Option" ADD CONSTRAINT "Option_label_check" CHECK (length("label") > 0);
      COMMENT ON TABLE "Poll" IS 'A question with options';
      COMMENT ON COLUMN "Poll"."closesAt" IS 'NULL: open until closed by hand'`);
    assertAdopted(prismaProject('postgresql', pg.url));
  });

  it('PostgreSQL: dbgenerated() with no expression leaves the database its default, and its generated column; dbgenerated("…") of a generated column\'s own expression is what it says', async () => {
    const db = await createTestDatabase('migrator_prisma_adopt_generated');
    try {
      const models = `datasource db {\n  provider = "postgresql"\n}\n
model Doc {
  id     Int                      @id @default(autoincrement())
  title  String
  tag    String?
  slug   String                   @default(dbgenerated())
  search Unsupported("tsvector")? @default(dbgenerated())
  words  Unsupported("tsvector")? @default(dbgenerated("to_tsvector('english'::regconfig, title)"))
}
`;
      // A default naming a column is no default to PostgreSQL: the project's migration makes the
      // generated column by hand, as here.
      await db.query(await prismaMigrateSql({ 'schema.prisma': models.replace(/^ {2}words .*\n/m, '') }));
      await db.query(`ALTER TABLE "Doc" ALTER COLUMN "slug" SET DEFAULT md5(random()::text);
        ALTER TABLE "Doc" DROP COLUMN "search";
        ALTER TABLE "Doc" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "title")) STORED;
        ALTER TABLE "Doc" ADD COLUMN "words" tsvector GENERATED ALWAYS AS (to_tsvector('english', "title")) STORED`);
      const p = newProject();
      p.write('prisma/schema.prisma', models);
      p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, models: ['prisma/schema.prisma'], versions: 'versions' };\n`);
      assertAdopted(p);
      // A new column beside them is the only change, and the database's own stay as they are.
      p.write('prisma/schema.prisma', models.replace('  tag    String?\n', '  tag    String?                  @db.VarChar(200)\n  body   String?\n'));
      const gen = p.ok(['makemigrations', '-m', 'body']);
      assert.deepEqual(gen.stdout.split('\n').filter((l) => l.startsWith('  - ')), ['  - add column Doc.body', '  - alter column Doc.tag: type text → character varying(200)'], explain(gen, 'to add body and narrow tag alone'));
      // Offline SQL of a revision over a table no revision made (the database had it before).
      const offline = p.ok(['sqlmigrate', 'head']);
      assert.match(offline.stdout, /ALTER TABLE "Doc" ADD "body" text/, explain(offline, 'to print the revision'));
      assert.match(offline.stdout, /ALTER TABLE "Doc" ALTER COLUMN "tag" TYPE character varying\(200\)/, explain(offline, 'to print the revision'));
      p.ok(['migrate']);
      const [row] = await db.query<{ slug: string; search: string }>(`INSERT INTO "Doc" ("title") VALUES ('hello world') RETURNING "slug", "search"::text AS search`);
      assert.match(row.slug, /^[0-9a-f]{32}$/);
      assert.equal(row.search, "'hello':1 'world':2");
    } finally {
      await db.drop();
    }
  });

  it('PostgreSQL: list columns made by hand — array literal defaults (\'{}\', \'{a}\') and NOT NULL — are what the schema says', async () => {
    const db = await createTestDatabase('migrator_prisma_adopt_lists');
    try {
      const models = `datasource db {\n  provider = "postgresql"\n}\n
enum Role {
  USER
  ADMIN
}

model Comment {
  id    Int      @id
  path  String[] @default([])
  nums  Int[]    @default([])
  tags  String[] @default(["a", "b c"])
  flags Boolean[] @default([true, false])
  roles Role[]   @default([USER])
  plain String[]
}
`;
      // As the migrations of projects adopting Prisma lists write them (langfuse, inbox-zero).
      await db.query(`CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
        CREATE TABLE "Comment" (
          "id" integer NOT NULL, "path" text[] NOT NULL DEFAULT '{}', "nums" integer[] DEFAULT '{}'::integer[],
          "tags" text[] DEFAULT '{a,"b c"}', "flags" boolean[] NOT NULL DEFAULT '{t,f}', "roles" "Role"[] DEFAULT '{USER}',
          "plain" text[] NOT NULL,
          CONSTRAINT "Comment_pkey" PRIMARY KEY ("id"))`);
      const p = newProject();
      p.write('prisma/schema.prisma', models);
      p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, models: ['prisma/schema.prisma'], versions: 'versions' };\n`);
      assertAdopted(p);
      // Another default is still a change, and the NOT NULL made by hand is left as it is.
      p.write('prisma/schema.prisma', models.replace('@default(["a", "b c"])', '@default(["a"])'));
      const gen = p.ok(['makemigrations', '-m', 'tags']);
      assert.deepEqual(gen.stdout.split('\n').filter((l) => l.startsWith('  - ')), ["  - alter column Comment.tags: default '{a,\"b c\"}'::text[] → ARRAY['a']::text[]"], explain(gen, 'to change the default of tags alone'));
      p.ok(['migrate']);
      const [row] = await db.query<{ notnull: boolean }>(`SELECT attnotnull AS notnull FROM pg_attribute WHERE attrelid = '"Comment"'::regclass AND attname = 'path'`);
      assert.equal(row.notnull, true);
    } finally {
      await db.drop();
    }
  });

  it('PostgreSQL: indexes on an expression, and partial ones without the partialIndexes preview feature, made by hand are left alone — a WHERE added to an index the schema names too; with the feature they are compared', async () => {
    const db = await createTestDatabase('migrator_prisma_adopt_indexes');
    try {
      const models = (features: string): string => `datasource db {\n  provider = "postgresql"\n}\n${features}
model Member {
  id      Int       @id @default(autoincrement())
  email   String
  team    String
  removed DateTime?

  @@index([team])
  @@unique([email, team])
}
`;
      await db.query(await prismaMigrateSql({ 'schema.prisma': models('') }));
      // As projects' migrations add them (langfuse, inbox-zero, AFFiNE): a unique lower(email), partial uniques;
      // and a WHERE given by hand to the unique index the schema states (trigger.dev, civitai).
      await db.query(`CREATE UNIQUE INDEX "Member_email_lower_key" ON "Member" (lower("email"));
        CREATE UNIQUE INDEX "Member_team_email_active_key" ON "Member" ("team", "email") WHERE "removed" IS NULL;
        DROP INDEX "Member_email_team_key";
        CREATE UNIQUE INDEX "Member_email_team_key" ON "Member" ("email", "team") WHERE "removed" IS NULL`);
      const p = newProject();
      p.write('prisma/schema.prisma', models(''));
      p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, models: ['prisma/schema.prisma'], versions: 'versions' };\n`);
      assertAdopted(p);
      // With partialIndexes the schema states its partial indexes: one it does not state is dropped,
      // as Prisma's diff drops it; the expression index stays.
      p.write('prisma/schema.prisma', models('generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["partialIndexes"]\n}\n'));
      const chk = p.run(['check']);
      assert.equal(chk.status, 1, explain(chk, 'to find the partial index the schema does not state'));
      assert.deepEqual(
        chk.stdout.split('\n').filter((l) => l.startsWith('  - ')),
        ['  - drop index Member_email_team_key on Member', '  - drop index Member_team_email_active_key on Member', '  - create index Member_email_team_key on Member'],
        explain(chk, 'to drop the partial index the schema does not state, and make the one it states without a WHERE'),
      );
    } finally {
      await db.drop();
    }
  });

  it('SQLite: Prisma\'s SQL with a CHECK in a table rebuilt by hand: nothing to change', async () => {
    const p = prismaProject('sqlite', 'sqlite:./dev.db');
    const sql = await prismaMigrateSql({ 'schema.prisma': `datasource db {\n  provider = "sqlite"\n}\n${MODELS}` });
    new Database(p.path('dev.db')).exec(sql.replace('"votes" INTEGER NOT NULL DEFAULT 0', '"votes" INTEGER NOT NULL DEFAULT 0 CHECK ("votes" >= 0)'), 'dev.db');
    const made = p.query("SELECT sql FROM sqlite_master WHERE name = 'Poll'", [], 'dev.db');
    assert.match(String(made[0]?.sql), /CHECK \("votes" >= 0\)/);
    assertAdopted(p);
  });
});
