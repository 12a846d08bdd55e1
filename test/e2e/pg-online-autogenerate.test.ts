/**
 * What autogenerate writes for tables in use on PostgreSQL, through the built CLI, from Prisma
 * models over tables with rows:
 *  - an index on an existing table is built CONCURRENTLY, a foreign key is added NOT VALID and
 *    validated apart, a column becomes NOT NULL through a validated check; a table the revision
 *    creates gets the plain forms; the downgrade drops the index concurrently;
 *  - the revision applies over the rows into the catalog a plain revision gives (index valid,
 *    constraint validated, no check left behind), `check` is clean, and `downgrade -1` brings the
 *    first catalog back;
 *  - with `onlineDdl: false` the same change is written in the plain forms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { explain, generatedFile, projects, type TempProject } from './helpers.ts';

const newProject = projects();
const HEAD = 'datasource db {\n  provider = "postgresql"\n}\n';
const FIRST = `${HEAD}model Author {\n  id Int @id\n}\nmodel Post {\n  id       Int     @id\n  title    String?\n  authorId Int?\n}\n`;
const SECOND =
  `${HEAD}model Author {\n  id    Int    @id\n  posts Post[]\n}\n` +
  `model Post {\n  id       Int    @id\n  title    String\n  authorId Int?\n  author   Author? @relation(fields: [authorId], references: [id])\n  @@index([title])\n}\n` +
  `model Tag {\n  id   Int    @id\n  name String\n  @@index([name])\n}\n`;
const ROWS = [`INSERT INTO "Author" VALUES (1), (2)`, `INSERT INTO "Post" VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', NULL)`];

function project(db: TestDatabase, extra: string): TempProject {
  const p = newProject('migrator-online-gen-');
  p.write('prisma/schema.prisma', FIRST);
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, models: ['prisma'], versions: 'versions'${extra} };\n`);
  return p;
}

/** The body of one function of a revision file. */
function body(source: string, name: 'upgrade' | 'downgrade'): string {
  const m = new RegExp(`export async function ${name}\\(op: Operations\\): Promise<void> \\{\\n([\\s\\S]*?)\\n\\}`).exec(source);
  assert.ok(m, source);
  return m[1];
}

describe('autogenerate on PostgreSQL writes the online forms for tables in use', () => {
  let db: TestDatabase;
  let p: TempProject;
  let firstCatalog = '';
  let file = '';
  before(async () => {
    db = await createTestDatabase('migrator_online_gen');
    p = project(db, '');
  });
  after(async () => {
    await db?.drop();
  });

  it('writes them, and the plain forms for the new table', async () => {
    p.ok(['makemigrations', '-m', 'first']);
    p.ok(['migrate']);
    for (const sql of ROWS) await db.query(sql);
    firstCatalog = pgCatalogText(await readPgCatalog(db));
    p.write('prisma/schema.prisma', SECOND);
    const r = p.ok(['makemigrations', '-m', 'second']);
    file = generatedFile(r);
    const source = p.read(file);
    assert.equal(
      body(source, 'upgrade'),
      [
        "  await op.createTable('Tag', {",
        '    columns: [',
        "      { name: 'id', type: 'integer', nullable: false },",
        "      { name: 'name', type: 'text', nullable: false },",
        '    ],',
        "    primaryKey: { name: 'Tag_pkey', columns: ['id'] },",
        '  });',
        "  await op.createIndex('Tag', { name: 'Tag_name_idx', columns: ['name'] });",
        "  await op.alterColumn('Post', 'title', { nullable: false }, { throughCheck: true });",
        "  await op.createIndex('Post', { name: 'Post_title_idx', columns: ['title'], concurrently: true });",
        "  await op.createForeignKey('Post', {",
        "    name: 'Post_authorId_fkey',",
        "    columns: ['authorId'],",
        "    referencedTable: 'Author',",
        "    referencedColumns: ['id'],",
        "    onDelete: 'SET NULL',",
        "    onUpdate: 'CASCADE',",
        '  }, { validate: false });',
        "  await op.validateConstraint('Post', 'Post_authorId_fkey');",
      ].join('\n'),
      source,
    );
    const down = body(source, 'downgrade');
    assert.match(down, /await op\.dropIndex\('Post', 'Post_title_idx', \{ concurrently: true \}\);/);
    assert.match(down, /await op\.dropIndex\('Tag', 'Tag_name_idx'\);/);
    assert.match(down, /await op\.alterColumn\('Post', 'title', \{ nullable: true \}\);/);
    assert.doesNotMatch(down, /validateConstraint|throughCheck/);
  });

  it('prints the phases offline', () => {
    const sql = p.ok(['sqlmigrate', revisionOf(p.read(file))]).stdout;
    assert.match(sql, /^SET lock_timeout = '5000ms';\nSET statement_timeout = '0ms';\n/);
    assert.match(sql, /-- phase 2 of \d+\nBEGIN;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_title_not_null";\nCOMMIT;/);
    assert.match(sql, /-- phase \d+ of \d+, outside a transaction\nCREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post" \("title"\);/);
    assert.match(sql, /ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY .* NOT VALID;\n/);
    assert.match(sql, /ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\nUPDATE "migrator_version" SET "version_num" = '\w+' WHERE "version_num" = '\w+';\nINSERT INTO "migrator_history" .* FROM "migrator_history";\nCOMMIT;\n$/);
  });

  it('applies over the rows into the catalog the plain form gives, and checks clean', async () => {
    p.ok(['migrate']);
    const catalog = await db.query<{ invalid: number; unvalidated: number; notnull: boolean; checks: number; progress: number }>(
      `SELECT (SELECT count(*)::int FROM pg_index WHERE NOT indisvalid) AS invalid,
              (SELECT count(*)::int FROM pg_constraint WHERE NOT convalidated) AS unvalidated,
              (SELECT attnotnull FROM pg_attribute WHERE attrelid = '"Post"'::regclass AND attname = 'title') AS notnull,
              (SELECT count(*)::int FROM pg_constraint WHERE contype = 'c' AND conrelid = '"Post"'::regclass) AS checks,
              (SELECT count(*)::int FROM pg_class WHERE relname = 'migrator_version_progress') AS progress`,
    );
    assert.deepEqual(catalog[0], { invalid: 0, unvalidated: 0, notnull: true, checks: 0, progress: 0 });
    const r = p.run(['check']);
    assert.equal(r.status, 0, explain(r, 'to compare clean'));
    assert.deepEqual(await db.query(`SELECT id, title, "authorId" FROM "Post" ORDER BY id`), [
      { id: 1, title: 'a', authorId: 1 },
      { id: 2, title: 'b', authorId: 2 },
      { id: 3, title: 'c', authorId: null },
    ]);
  });

  it('downgrade -1 brings the first catalog back', async () => {
    p.ok(['downgrade', '-1']);
    assert.equal(pgCatalogText(await readPgCatalog(db)), firstCatalog);
  });
});

describe('with onlineDdl: false', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('migrator_online_off');
  });
  after(async () => {
    await db?.drop();
  });

  it('writes the plain forms', async () => {
    const p = project(db, ', onlineDdl: false');
    p.ok(['makemigrations', '-m', 'first']);
    p.ok(['migrate']);
    for (const sql of ROWS) await db.query(sql);
    p.write('prisma/schema.prisma', SECOND);
    const source = p.read(generatedFile(p.ok(['makemigrations', '-m', 'second'])));
    assert.match(source, /await op\.alterColumn\('Post', 'title', \{ nullable: false \}\);/);
    assert.match(source, /await op\.createIndex\('Post', \{ name: 'Post_title_idx', columns: \['title'\] \}\);/);
    assert.doesNotMatch(source, /concurrently|validate|throughCheck/);
    p.ok(['migrate']);
    assert.equal(p.run(['check']).status, 0);
  });
});

function revisionOf(source: string): string {
  return /export const revision = '([^']+)'/.exec(source)![1];
}
