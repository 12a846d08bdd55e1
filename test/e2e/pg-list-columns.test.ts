/**
 * A Prisma field made a list (`String` → `String[]`) and back, on PostgreSQL, with rows: each
 * value becomes a one-element list (NULL stays NULL) rather than a cast of its text, which fails
 * on any ordinary text; going back keeps each list's first element, and makemigrations names the
 * rows that hold more, whose other elements would be lost. One database for the file, dropped at
 * the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_list_columns');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const schema = (tags: string): string => `datasource db {
  provider = "postgresql"
}

model Note {
  id   Int ${tags === 'list' ? 'String[]' : 'String?'} @id
}
`.replace('Int String[] @id', 'Int @id\n  tag  String[]').replace('Int String? @id', 'Int @id\n  tag  String?');

describe('a field made a list and back, on PostgreSQL', () => {
  let p: TempProject;
  before(async () => {
    p = newProject('migrator-list-columns-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    p.write('schema.prisma', schema('value'));
    p.ok(['makemigrations', '-m', 'notes']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO "Note" (id, tag) VALUES (1, 'hello'), (2, NULL), (3, 'a,b {c}')`);
  });

  it('String → String[]: each value becomes a one-element list, NULL stays NULL', async () => {
    p.write('schema.prisma', schema('list'));
    p.ok(['makemigrations', '-m', 'tags', '--accept-data-loss']);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to apply'));
    const rows = await db.query<{ id: number; tag: string[] | null }>(`SELECT id, tag FROM "Note" ORDER BY id`);
    assert.deepEqual(rows, [{ id: 1, tag: ['hello'] }, { id: 2, tag: null }, { id: 3, tag: ['a,b {c}'] }]);
  });

  it('back to String: makemigrations names the lists that hold more than one element; the first is kept', async () => {
    await db.query(`UPDATE "Note" SET tag = ARRAY['first', 'second'] WHERE id = 1`);
    p.write('schema.prisma', schema('value'));
    const refused = p.run(['makemigrations', '-m', 'one tag']);
    assert.notEqual(refused.status, 0, explain(refused, 'to stop for the data loss'));
    assert.match(refused.stdout + refused.stderr, /1 value holds more than one element, all but the first of which would be lost/);
    p.ok(['makemigrations', '-m', 'one tag', '--accept-data-loss']);
    p.ok(['migrate']);
    const rows = await db.query<{ id: number; tag: string | null }>(`SELECT id, tag FROM "Note" ORDER BY id`);
    assert.deepEqual(rows, [{ id: 1, tag: 'first' }, { id: 2, tag: null }, { id: 3, tag: 'a,b {c}' }]);
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to find nothing'));
  });
});
