/**
 * Enum values and the column defaults that use them, changed in one revision, on PostgreSQL
 * (Prisma models): a value added and made the default; a value removed whose default moves to
 * another; a value's @map changed under a default. Each revision must apply (PostgreSQL refuses a
 * value used in the transaction that added it, and a rebuilt type whose default names a value it
 * no longer has), leave the database as the models say (check clean), keep the rows, and go back
 * down. One database for the file, dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_enum_defaults');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const schema = (values: string[], fallback: string): string => `datasource db {
  provider = "postgresql"
}

enum Status {
${values.map((v) => `  ${v}`).join('\n')}
}

model Ticket {
  id     Int    @id
  status Status @default(${fallback})
}
`;

async function defaultOf(): Promise<string | null> {
  const [row] = await db.query<{ d: string | null }>(`SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'Ticket' AND column_name = 'status'`);
  return row.d;
}

async function labels(): Promise<string[]> {
  const rows = await db.query<{ l: string }>(`SELECT e.enumlabel::text AS l FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'Status' ORDER BY e.enumsortorder`);
  return rows.map((r) => r.l);
}

describe('enum values and the defaults that use them, on PostgreSQL', () => {
  let p: TempProject;
  before(async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    p = newProject('migrator-enum-defaults-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    p.write('schema.prisma', schema(['ACTIVE', 'LEGACY'], 'LEGACY'));
    p.ok(['makemigrations', '-m', 'tickets']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO "Ticket" (id, status) VALUES (1, 'ACTIVE'), (2, 'ACTIVE')`);
  });

  it('a value added and made the default in one revision applies', async () => {
    p.write('schema.prisma', schema(['ACTIVE', 'LEGACY', 'PAUSED'], 'PAUSED'));
    p.ok(['makemigrations', '-m', 'paused']);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to apply'));
    assert.deepEqual(await labels(), ['ACTIVE', 'LEGACY', 'PAUSED']);
    assert.equal(await defaultOf(), `'PAUSED'::"Status"`);
    await db.query(`INSERT INTO "Ticket" (id) VALUES (3)`);
    assert.deepEqual(await db.query(`SELECT status::text AS s FROM "Ticket" WHERE id = 3`), [{ s: 'PAUSED' }]);
    await db.query(`DELETE FROM "Ticket" WHERE id = 3`);
    assert.equal(p.run(['check']).status, 0);
  });

  it('a value removed while the default moves off it applies, keeping the rows', async () => {
    p.write('schema.prisma', schema(['ACTIVE', 'PAUSED'], 'ACTIVE'));
    p.ok(['makemigrations', '-m', 'no legacy', '--accept-data-loss']);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to apply'));
    assert.deepEqual(await labels(), ['ACTIVE', 'PAUSED']);
    assert.equal(await defaultOf(), `'ACTIVE'::"Status"`);
    assert.deepEqual(await db.query(`SELECT id FROM "Ticket" ORDER BY id`), [{ id: 1 }, { id: 2 }]);
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
  });

  it("a value's database name changed under the default (@map) applies", async () => {
    p.write('schema.prisma', schema(['ACTIVE @map("active")', 'PAUSED'], 'ACTIVE'));
    p.ok(['makemigrations', '-m', 'lower active', '--accept-data-loss']);
    await db.query(`UPDATE "Ticket" SET status = 'PAUSED'`);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to apply'));
    assert.deepEqual(await labels(), ['active', 'PAUSED']);
    assert.equal(await defaultOf(), `'active'::"Status"`);
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
  });

  it('each goes back down in turn, to the first schema; a value rows still hold stops its drop, rolled back', async () => {
    for (let i = 0; i < 2; i++) {
      const r = p.run(['downgrade', '-1']);
      assert.equal(r.status, 0, explain(r, `to go down step ${i + 1}`));
    }
    // The rows hold PAUSED, which the last step down drops: it fails and changes nothing.
    const held = p.run(['downgrade', '-1']);
    assert.equal(held.status, 2, explain(held, 'to fail'));
    assert.match(held.stderr, /rolled back: invalid input value for enum "Status": "PAUSED"/);
    assert.deepEqual(await labels(), ['ACTIVE', 'LEGACY', 'PAUSED']);
    await db.query(`UPDATE "Ticket" SET status = 'ACTIVE'`);
    const r = p.run(['downgrade', '-1']);
    assert.equal(r.status, 0, explain(r, 'to go down the last step'));
    assert.deepEqual(await labels(), ['ACTIVE', 'LEGACY']);
    assert.equal(await defaultOf(), `'LEGACY'::"Status"`);
    assert.equal((await db.query(`SELECT id FROM "Ticket"`)).length, 2);
  });
});

describe('a list column with a default, its type changed, on PostgreSQL', () => {
  const listSchema = (type: string, enums: string[]): string =>
    `datasource db {\n  provider = "postgresql"\n}\n\n${enums.map((e) => `enum ${e} {\n  ASSET\n  KIT\n}\n`).join('\n')}\nmodel Tag {\n  id     Int    @id\n  useFor ${type}[] @default([${type === 'String' ? '"ASSET"' : 'ASSET'}])\n}\n`;
  const listDefault = async (): Promise<string | null> =>
    (await db.query<{ d: string | null }>(`SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'Tag' AND column_name = 'useFor'`))[0].d;

  it('text made an enum list, then the enum renamed: each applies with the default on the new type, keeps the rows, and goes back down', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-enum-lists-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    p.write('schema.prisma', listSchema('String', []));
    p.ok(['makemigrations', '-m', 'tags']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO "Tag" (id, "useFor") VALUES (1, '{KIT}')`);
    for (const [type, enums, expected] of [
      ['TagUseFor', ['TagUseFor'], `ARRAY['ASSET'::"TagUseFor"]`],
      ['TagUsage', ['TagUsage'], `ARRAY['ASSET'::"TagUsage"]`],
    ] as const) {
      p.write('schema.prisma', listSchema(type, [...enums]));
      p.ok(['makemigrations', '-m', type]);
      const r = p.run(['migrate']);
      assert.equal(r.status, 0, explain(r, `to apply the change to ${type}[]`));
      assert.equal(await listDefault(), expected);
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
    }
    await db.query(`INSERT INTO "Tag" (id) VALUES (2)`);
    assert.deepEqual(await db.query(`SELECT id, "useFor"::text AS u FROM "Tag" ORDER BY id`), [
      { id: 1, u: '{KIT}' },
      { id: 2, u: '{ASSET}' },
    ]);
    for (const expected of [`ARRAY['ASSET'::"TagUseFor"]`, `ARRAY['ASSET'::text]`]) {
      const r = p.run(['downgrade', '-1']);
      assert.equal(r.status, 0, explain(r, 'to go down'));
      assert.equal(await listDefault(), expected);
    }
  });
});
