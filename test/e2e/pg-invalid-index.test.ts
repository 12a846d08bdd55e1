/**
 * An index PostgreSQL holds as INVALID — left by a CREATE INDEX CONCURRENTLY that failed — serves
 * and enforces nothing, so it is not the index the models state: `check` reports it, and
 * makemigrations builds it again (dropped, then created), counting the duplicates a unique one
 * would fail on first. One database for the file, dropped at the end. Build first:
 * `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, projects } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_invalid_index');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const SCHEMA = `datasource db {
  provider = "postgresql"
}

model Tag {
  id   Int    @id
  org  String
  name String

  @@unique([org, name], map: "Tag_org_name_key")
}
`;

const valid = async (): Promise<boolean[]> =>
  (await db.query<{ v: boolean }>(`SELECT i.indisvalid AS v FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'Tag_org_name_key'`)).map((r) => r.v);

describe('an INVALID index on PostgreSQL', () => {
  it('is drift for check, and makemigrations builds it again once its duplicates are gone', async () => {
    const p = newProject('migrator-invalid-index-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    p.write('schema.prisma', SCHEMA);
    p.ok(['makemigrations', '-m', 'tags']);
    p.ok(['migrate']);
    // Rebuilt by hand over duplicates: the build fails and leaves the index INVALID.
    await db.query('DROP INDEX "Tag_org_name_key"');
    await db.query(`INSERT INTO "Tag" VALUES (1, 'a', 'x'), (2, 'a', 'x')`);
    await assert.rejects(db.query('CREATE UNIQUE INDEX CONCURRENTLY "Tag_org_name_key" ON "Tag" (org, name)'), /could not create unique index/);
    assert.deepEqual(await valid(), [false]);

    const chk = p.run(['check']);
    assert.equal(chk.status, 1, explain(chk, 'to report the invalid index'));
    assert.match(chk.stdout, /^- {2}unique index Tag_org_name_key \(org, name\) invalid \(a failed build: it serves and enforces nothing\)$/m);
    assert.match(chk.stdout, /^\+ {2}unique index Tag_org_name_key \(org, name\)$/m);

    const refused = p.run(['makemigrations', '-m', 'rebuild']);
    assert.equal(refused.status, 2, explain(refused, 'to refuse over the duplicates'));
    assert.match(refused.stderr, /data-dependent: create unique index Tag_org_name_key on Tag \(1 value of \(org, name\) occurs more than once\)/);

    await db.query('DELETE FROM "Tag" WHERE id = 2');
    const made = p.ok(['makemigrations', '-m', 'rebuild']);
    assert.match(made.stdout, /- drop index Tag_org_name_key on Tag\n {2}- create index Tag_org_name_key on Tag/);
    p.ok(['migrate']);
    assert.deepEqual(await valid(), [true]);
    assert.equal(p.run(['check']).status, 0);
    await assert.rejects(db.query(`INSERT INTO "Tag" VALUES (3, 'a', 'x')`), /duplicate key/);

    // Down, the index is the models' again, valid.
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await valid(), [true]);
  });
});

describe("check's diff text on PostgreSQL", () => {
  it('shows no index or check as changed that is the same but spelled otherwise (a default operator class, a quoted or bracketed predicate)', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-diff-text-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    const schema = (extra: string): string => `datasource db {
  provider = "postgresql"
}

generator client {
  provider        = "prisma-client"
  previewFeatures = ["partialIndexes"]
}

model Event {
  id        Int       @id
  at        DateTime  @db.Timestamptz(3)
  deletedAt DateTime?
  label     String
${extra}
  @@index([at(ops: TimestampTzMinMaxOps)], type: Brin)
  @@unique([label], where: { deletedAt: null })
}
`;
    p.write('schema.prisma', schema(''));
    p.ok(['makemigrations', '-m', 'events']);
    p.ok(['migrate']);
    p.write('schema.prisma', schema('  note      String?\n'));
    const r = p.run(['check']);
    assert.equal(r.status, 1, explain(r, 'to find the new column'));
    assert.match(r.stdout, /^\+ {2}column note text$/m);
    const changed = r.stdout.split('\n').filter((l) => /^[-+] {2}(unique )?index /.test(l));
    assert.deepEqual(changed, [], explain(r, 'to show no index as changed'));
  });
});
