/**
 * Type changes PostgreSQL has no cast for (jsonb → bytea, boolean → bigint …): as Prisma Migrate
 * does, the column is dropped and added again, its values lost — asked about as data loss, with
 * the count of values — instead of a revision that fails at migrate whatever the rows hold.
 * migrator's table of such pairs is judged by the server itself: for every pair of the types
 * below, `pgCastless` holds exactly when PostgreSQL refuses `ALTER COLUMN … TYPE … USING c::type`.
 * An index or check the revision drops over a column whose type changes goes first. One database
 * for the file, dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pgCastless } from '../../src/dialects/postgres/casts.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, configSource, projects } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_castless');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const TYPES = [
  'text', 'character varying(20)', 'smallint', 'integer', 'bigint', 'numeric(10,2)', 'double precision', 'real', 'money', 'boolean',
  'date', 'timestamp(3) without time zone', 'timestamp with time zone', 'time without time zone', 'time with time zone', 'interval',
  'json', 'jsonb', 'bytea', 'uuid', 'inet', 'cidr', 'bit(8)', 'bit varying(8)', 'xml', 'integer[]', 'text[]',
];

describe('type changes PostgreSQL has no cast for', () => {
  it('are the pairs the server refuses to convert, and no other', async () => {
    await db.query(`CREATE TABLE probe (${TYPES.map((t, i) => `c${i} ${t}`).join(', ')})`);
    const wrong: string[] = [];
    for (const [i, from] of TYPES.entries()) {
      for (const to of TYPES) {
        // A value made a list or a list a value is converted element-wise by the compiler (ARRAY[c], c[1]).
        if (from === to || from.endsWith('[]') !== to.endsWith('[]')) continue;
        let refused = false;
        try {
          await db.query(`BEGIN; ALTER TABLE probe ALTER COLUMN c${i} TYPE ${to} USING c${i}::${to}; ROLLBACK`);
        } catch (error) {
          await db.query('ROLLBACK');
          refused = /cannot cast|cannot be cast/.test((error as Error).message);
          if (!refused) throw error;
        }
        if (pgCastless(from, to) !== refused) wrong.push(`${from} → ${to}: ${refused ? 'refused' : 'converted'} by PostgreSQL, ${pgCastless(from, to) ? 'no cast' : 'a cast'} to migrator`);
      }
    }
    assert.deepEqual(wrong, []);
    await db.query('DROP TABLE probe');
  });

  it('drop and add the column behind the data-loss question, the indexes over it built again or dropped first; and back down', async () => {
    const p = newProject('migrator-castless-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    const schema = (details: string, flag: string, index: string): string =>
      `datasource db {\n  provider = "postgresql"\n}\n\nmodel Connection {\n  id          Int @id @default(autoincrement())\n  typeDetails ${details}\n  flag        ${flag}\n${index}}\n`;
    p.write('schema.prisma', schema('Json?', 'Boolean @default(false)', '  @@index([typeDetails(ops: JsonbPathOps)], type: Gin)\n  @@index([flag])\n'));
    p.ok(['makemigrations', '-m', 'connections']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO "Connection" ("typeDetails", flag) VALUES ('{"a": 1}', true), (NULL, false)`);

    p.write('schema.prisma', schema('Bytes?', 'BigInt @default(0)', '  @@index([flag])\n'));
    const refused = assertUserError(p.run(['makemigrations', '-m', 'bytes']));
    assert.match(refused, /destructive: alter column Connection\.typeDetails to bytea \(1 value would be lost: the database has no conversion from jsonb to bytea, so the column is dropped and added again\)/);
    assert.match(refused, /alter column Connection\.flag to bigint \(2 values would be lost: the database has no conversion from boolean to bigint/);
    assert.equal(p.versionFiles().length, 1, 'nothing written');

    const accepted = p.ok(['makemigrations', '-m', 'bytes', '--accept-data-loss']);
    const file = p.read(`versions/${p.versionFiles()[1]}`);
    assert.ok(file.indexOf("op.dropIndex('Connection', 'Connection_typeDetails_idx'") < file.indexOf("op.alterColumn('Connection', 'typeDetails'"), 'the index goes before the type change');
    assert.match(accepted.stdout, /alter column Connection\.typeDetails: type jsonb → bytea/);
    p.ok(['migrate']);
    assert.match(p.ok(['check']).stdout, /No changes detected/);
    assert.deepEqual(await db.query(`SELECT "typeDetails", flag::text AS flag FROM "Connection" ORDER BY id`), [
      { typeDetails: null, flag: '0' },
      { typeDetails: null, flag: '0' },
    ]);
    const indexes = (await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'Connection' ORDER BY 1`)).map((r) => r.indexname);
    assert.deepEqual(indexes, ['Connection_flag_idx', 'Connection_pkey'], 'the index on flag is built again');

    p.ok(['downgrade', '-1']);
    const types = await db.query<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'Connection' ORDER BY column_name`);
    assert.deepEqual(types.map((r) => `${r.column_name} ${r.data_type}`), ['flag boolean', 'id integer', 'typeDetails jsonb']);
  });
});
