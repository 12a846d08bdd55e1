/**
 * A PostgreSQL URL naming a schema (`?schema=app`, as Prisma's URLs do): migrator works in that
 * schema — it reads its tables, keeps its version table there and runs the revisions there — and
 * leaves the other schemas alone; a schema that does not exist is an error naming it, with nothing
 * made. One database for the file (test/support/pg.ts), dropped at the end. Build first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, explain, itemEntity, projects } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_url_schema');
  // A table of the default schema that the project, working in "app", must neither see nor touch.
  await db.query('CREATE SCHEMA app; CREATE TABLE public.legacy (id integer PRIMARY KEY)');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

/** The tables of each schema but the catalog's, as \`schema.table\`, sorted. */
async function tables(): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

describe('PostgreSQL: the schema a URL names (?schema=)', () => {
  it('is where makemigrations looks, where migrate records and creates, and what check compares; the other schemas are left alone', async () => {
    const p = newProject();
    p.writeConfig({ database: `${db.url}?schema=app` });
    p.writeEntity('item', itemEntity());
    const gen = p.ok(['makemigrations', '-m', 'items']);
    // public.legacy is not the project's: no drop of it is proposed.
    assert.match(gen.stdout, /create table item/, explain(gen, 'to create item'));
    assert.doesNotMatch(gen.stdout, /legacy/, explain(gen, 'to leave public.legacy alone'));
    const up = p.ok(['migrate']);
    assert.match(up.stdout, /Database is now at/, explain(up, 'to apply the revision'));
    assert.deepEqual(await tables(), ['app.item', 'app.migrator_history', 'app.migrator_version', 'public.legacy']);
    const chk = p.ok(['check']);
    assert.match(chk.stdout, /No changes detected/, explain(chk, 'to find no change'));
    // Offline SQL sets the schema first, so that psql runs the script where migrate would.
    const offline = p.ok(['migrate', '--sql', 'base:head']);
    const statements = offline.stdout.split('\n').filter((l) => l && !l.startsWith('--'));
    assert.equal(statements[0], 'SET search_path TO "app", public;', explain(offline, 'to start in schema app'));
    // The same project without the schema works in public, where nothing is recorded yet.
    const plain = newProject();
    plain.writeConfig({ database: db.url });
    plain.writeEntity('item', itemEntity());
    const current = plain.ok(['current']);
    assert.doesNotMatch(current.stdout, /[0-9a-f]{12}/, explain(current, 'to find no revision recorded in public'));
  });

  it('that does not exist is an error naming it and the URL, and nothing is made', async () => {
    const p = newProject();
    p.writeConfig({ database: `${db.url}?schema=nowhere` });
    p.writeEntity('item', itemEntity());
    const before = await tables();
    for (const command of [['migrate'], ['makemigrations']]) {
      const r = p.run(command);
      const message = assertUserError(r, { oneLine: true });
      assert.match(message, /schema "nowhere" does not exist in postgres:\/\/\S+\?schema=nowhere; create it first/, explain(r, 'to name the schema and the URL'));
    }
    assert.deepEqual(await tables(), before);
    assert.deepEqual(p.versionFiles(), []);
  });

  it('is refused in a fleet target that lists its schemas as well', () => {
    const p = newProject();
    p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, models: ['entities/*.ts'], versions: 'versions', targets: [{ url: ${JSON.stringify(`${db.url}?schema=app`)}, schemas: ['app'] }] };\n`);
    p.writeEntity('item', itemEntity());
    const r = p.run(['migrate', '--all']);
    const message = assertUserError(r, { oneLine: true });
    assert.match(message, /"targets\[0\]" names its schemas twice, in the URL \(\?schema=app\) and in "schemas"; remove \?schema= from the URL/, explain(r, 'to say what to remove'));
  });
});
