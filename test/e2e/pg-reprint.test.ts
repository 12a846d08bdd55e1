/**
 * Expressions PostgreSQL stores re-printed in a way no text rule foresees — a default
 * `floor(random() * 10)::int` read back as `(floor((random() * (10)::double precision)))::integer`,
 * a check `status IN ('a', 'b')` as `status = ANY (ARRAY[…])`, a partial-index predicate likewise —
 * settle: migrator asks the database to re-print the model's text (in a rolled-back transaction)
 * and compares the two prints. After makemigrations + migrate, check exits 0 and a second
 * makemigrations says "No changes detected"; a real change is still found; a model text cannot smuggle
 * a second command into the asking.
 *
 * One PostgreSQL database for the file (test/support/pg.ts). Needs `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { explain, projects } from './helpers.ts';

const newProject = projects();

const ENTITY = (pick = 'floor(random() * 10)::int') => `import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
@Check('CHK_ticket_status', \`"status" IN ('open', 'closed') AND "priority" BETWEEN 1 AND 5\`)
@Index('IDX_ticket_open', ['priority'], { where: \`"status" IN ('open', 'waiting')\` })
export class Ticket {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 10, default: 'open' }) status!: string;
  @Column({ type: 'int', default: () => ${JSON.stringify(pick)} }) priority!: number;
  @Column({ type: 'timestamptz', default: () => "now() + interval '7 days'" }) due!: Date;
}
`;

describe('expressions PostgreSQL re-prints settle by asking it', () => {
  const p = newProject('migrator-reprint-');
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('migrator_reprint');
    p.writeEntity('ticket.ts', ENTITY());
    p.writeConfig({ database: db.url, models: ['entities/*.ts'] });
  });
  after(async () => {
    await db?.drop();
  });

  it('makemigrations and migrate build the table', () => {
    p.ok(['makemigrations', '-m', 'tickets']);
    p.ok(['migrate']);
  });

  it('the database holds its own prints, unlike what the model wrote', async () => {
    const [row] = await db.query<{ d: string; c: string; w: string }>(
      `SELECT (SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'ticket'::regclass AND a.attname = 'priority') AS d,
              (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'CHK_ticket_status') AS c,
              (SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = '"IDX_ticket_open"'::regclass) AS w`,
    );
    assert.match(row.d, /double precision/);
    assert.match(row.c, /ANY \(+ARRAY/);
    assert.match(row.w, /ANY \(+ARRAY/);
  });

  it('check exits 0 and a second makemigrations says "No changes detected"', () => {
    const r = p.run(['check']);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    const before = p.versionFiles();
    assert.match(p.ok(['makemigrations']).stdout, /No changes detected/);
    assert.deepEqual(p.versionFiles(), before);
  });

  it('a real change to such an expression is still found, and nothing is left in the database by the asking', async () => {
    p.writeEntity('ticket.ts', ENTITY('floor(random() * 20)::int'));
    const r = p.run(['check']);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.match(r.stdout, /alter column ticket\.priority/);
    const temp = await db.query(`SELECT 1 FROM pg_class WHERE relname LIKE '_migrator_reprint%'`);
    assert.deepEqual(temp, []);
  });

  it('a model text carrying a second command cannot run it while check asks: nothing is created or committed', async () => {
    p.writeEntity('ticket.ts', ENTITY('floor(random() * 10)::int; COMMIT; CREATE TABLE smuggled (x int)'));
    const r = p.run(['check']);
    assert.equal(r.status, 1, explain(r, 'to exit 1: the default differs'));
    assert.deepEqual(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'smuggled'`), []);
  });
});
