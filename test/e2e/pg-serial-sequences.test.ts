/**
 * The sequences of serial (autoincrement) columns on PostgreSQL, changed by later revisions
 * (Prisma models): a column made autoincrement gets a sequence of its own, never the one a table
 * renamed away still uses under the name it would take; an integer key made bigint has its
 * sequence made bigint too, so it goes past 2^31 - 1, and back. Rows and both tables' inserts
 * keep working; `check` is clean after each; each revision goes back down. One database for the
 * file, dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, projects, type TempProject } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_serials');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();
const HEADER = 'datasource db {\n  provider = "postgresql"\n}\n';

/** Each column default that draws from a sequence, and each sequence with its owner and type. */
async function sequences(): Promise<{ defaults: string[]; owned: string[] }> {
  const defaults = await db.query<{ d: string }>(
    `SELECT table_name || '.' || column_name || ' ' || column_default AS d FROM information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval%' ORDER BY 1`,
  );
  const owned = await db.query<{ o: string }>(
    `SELECT s.relname || ' ' || t.relname || '.' || a.attname || ' ' || format_type(q.seqtypid, NULL) AS o
       FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid
       JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a'
       JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      ORDER BY 1`,
  );
  return { defaults: defaults.map((r) => r.d), owned: owned.map((r) => r.o) };
}

function step(p: TempProject, schema: string, message: string, extra: string[] = []): void {
  p.write('schema.prisma', HEADER + schema);
  p.ok(['makemigrations', '-m', message, ...extra]);
  p.ok(['migrate']);
  assert.match(p.ok(['check']).stdout, /No changes detected/);
}

describe('sequences of serial columns, on PostgreSQL', () => {
  it("a column made autoincrement gets its own sequence, not the one a renamed table still uses under that name", async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-serials-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    step(p, 'model Ticket {\n  id Int @id @default(autoincrement())\n  title String\n}\n', 'tickets');
    await db.query(`INSERT INTO "Ticket" (title) VALUES ('a'), ('b'), ('c')`);
    step(p, '/// @renamedFrom Ticket\nmodel Issue {\n  id Int @id @default(autoincrement())\n  title String\n}\n', 'issues');
    step(p, '/// @renamedFrom Ticket\nmodel Issue {\n  id Int @id @default(autoincrement())\n  title String\n}\nmodel Ticket {\n  id Int @id\n}\n', 'new tickets');
    await db.query('INSERT INTO "Ticket" (id) VALUES (10)');
    step(p, '/// @renamedFrom Ticket\nmodel Issue {\n  id Int @id @default(autoincrement())\n  title String\n}\nmodel Ticket {\n  id Int @id @default(autoincrement())\n}\n', 'ticket ids');

    assert.deepEqual(await sequences(), {
      defaults: [`Issue.id nextval('"Ticket_id_seq"'::regclass)`, `Ticket.id nextval('"Ticket_id_seq1"'::regclass)`],
      owned: ['Ticket_id_seq Issue.id integer', 'Ticket_id_seq1 Ticket.id integer'],
    });
    // Each table goes on from its own rows.
    const [issue] = await db.query<{ id: number }>(`INSERT INTO "Issue" (title) VALUES ('d') RETURNING id`);
    const [ticket] = await db.query<{ id: number }>('INSERT INTO "Ticket" DEFAULT VALUES RETURNING id');
    assert.deepEqual([issue.id, ticket.id], [4, 11]);

    // Down and up again: the default goes with its sequence (as Prisma drops it), while the one
    // Issue still draws from stays; up again, a sequence is made anew, past the rows there are.
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await sequences(), { defaults: [`Issue.id nextval('"Ticket_id_seq"'::regclass)`], owned: ['Ticket_id_seq Issue.id integer'] });
    p.ok(['migrate']);
    assert.deepEqual((await sequences()).owned, ['Ticket_id_seq Issue.id integer', 'Ticket_id_seq1 Ticket.id integer']);
    const [again] = await db.query<{ id: number }>('INSERT INTO "Ticket" DEFAULT VALUES RETURNING id');
    assert.equal(again.id, 12);
  });

  it('an integer key made bigint has its sequence made bigint: it goes past 2^31 - 1, and back down', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-serials-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    step(p, 'model Ticket {\n  id Int @id @default(autoincrement())\n}\n', 'tickets');
    step(p, 'model Ticket {\n  id BigInt @id @default(autoincrement())\n}\n', 'bigint ids');
    assert.deepEqual((await sequences()).owned, ['Ticket_id_seq Ticket.id bigint']);
    await db.query(`SELECT setval('"Ticket_id_seq"', 2147483647)`);
    const [row] = await db.query<{ id: string }>('INSERT INTO "Ticket" DEFAULT VALUES RETURNING id');
    assert.equal(row.id, '2147483648');

    await db.query('DELETE FROM "Ticket"');
    await db.query(`SELECT setval('"Ticket_id_seq"', 1, false)`);
    p.ok(['downgrade', '-1']);
    assert.deepEqual((await sequences()).owned, ['Ticket_id_seq Ticket.id integer']);
  });
});

describe('a serial key made an identity, on PostgreSQL', () => {
  it('takes the identity in place of its sequence and goes on past its rows; and back down', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-serials-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    const entity = (strategy: string): string =>
      `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class Ticket {\n  @PrimaryGeneratedColumn(${strategy})\n  id!: number;\n\n  @Column()\n  title!: string;\n}\n`;
    const next = async (): Promise<number> => (await db.query<{ id: number }>(`INSERT INTO ticket (title) VALUES ('t') RETURNING id`))[0].id;
    p.write('entities/ticket.ts', entity(''));
    p.ok(['makemigrations', '-m', 'tickets']);
    p.ok(['migrate']);
    assert.deepEqual([await next(), await next()], [1, 2]);

    p.write('entities/ticket.ts', entity("'identity'"));
    p.ok(['makemigrations', '-m', 'identity']);
    p.ok(['migrate']);
    assert.match(p.ok(['check']).stdout, /No changes detected/);
    assert.equal(await next(), 3);
    const [{ identity }] = await db.query<{ identity: string }>(`SELECT attidentity::text AS identity FROM pg_attribute WHERE attrelid = 'ticket'::regclass AND attname = 'id'`);
    assert.equal(identity, 'd');
    assert.deepEqual((await sequences()).defaults, []);

    p.ok(['downgrade', '-1']);
    assert.equal(await next(), 4);
    assert.deepEqual((await sequences()).owned, ['ticket_id_seq ticket.id integer']);
  });
});
