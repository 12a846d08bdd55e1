/**
 * A timestamp made a timestamptz and back on PostgreSQL (Prisma models: `DateTime` ↔
 * `@db.Timestamptz(3)`), on a database whose time zone is not UTC: the values are read as UTC, as
 * Prisma writes them, so each keeps its instant; a plain cast would shift it by the session's
 * offset. One database for the file, dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, projects } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_timestamp_zones');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

describe('timestamps and time zones, on PostgreSQL', () => {
  it('a DateTime made @db.Timestamptz and back keeps each instant on a database in New York time', async () => {
    const [{ name }] = await db.query<{ name: string }>('SELECT current_database() AS name');
    await db.query(`ALTER DATABASE "${name}" SET timezone = 'America/New_York'`);
    const p = newProject('migrator-timestamp-zones-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    const schema = (type: string): string => `datasource db {\n  provider = "postgresql"\n}\nmodel Event {\n  id Int      @id\n  at DateTime ${type}\n}\n`;
    p.write('schema.prisma', schema(''));
    p.ok(['makemigrations', '-m', 'events']);
    p.ok(['migrate']);
    // Noon UTC, as Prisma Client writes a DateTime into a timestamp column.
    await db.query(`INSERT INTO "Event" VALUES (1, '2024-01-01 12:00:00')`);
    const utc = async (): Promise<string> => (await db.query<{ t: string }>(`SELECT to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS t FROM "Event"`))[0].t;
    const plain = async (): Promise<string> => (await db.query<{ t: string }>(`SELECT to_char("at", 'YYYY-MM-DD HH24:MI:SS') AS t FROM "Event"`))[0].t;

    p.write('schema.prisma', schema('@db.Timestamptz(3)'));
    p.ok(['makemigrations', '-m', 'with zone']);
    p.ok(['migrate']);
    assert.match(p.ok(['check']).stdout, /No changes detected/);
    assert.equal(await utc(), '2024-01-01 12:00:00', 'the instant is noon UTC, as written');

    p.ok(['downgrade', '-1']);
    assert.equal(await plain(), '2024-01-01 12:00:00', 'back to noon, as Prisma reads it');
  });
});
