/**
 * An enum value dropped on PostgreSQL while partial indexes and checks read a column of the type
 * (TypeORM entities): PostgreSQL swaps the type under the columns, and has no operator between
 * the old type and the new, so the indexes and checks are made again around the swap — and one
 * the same revision changes goes before the value does, since its old text may name it. Each
 * revision applies, keeps the rows, leaves `check` clean and goes back down. One database for the
 * file, dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_enum_dependents');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const entity = (values: string[], where: string, check: string): string => `import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum Status {
${values.map((v) => `  ${v[0].toUpperCase()}${v.slice(1)} = '${v}',`).join('\n')}
}

@Entity()
@Check('CHK_ticket_title', \`${check}\`)
@Index('IDX_ticket_open_title', ['title'], { unique: true, where: \`${where}\` })
export class Ticket {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'enum', enum: Status, enumName: 'ticket_status' })
  status!: Status;

  @Column({ type: 'varchar', nullable: true })
  title!: string | null;
}
`;

function step(p: TempProject, source: string, message: string): void {
  p.write('entities/ticket.ts', source);
  p.ok(['makemigrations', '-m', message]);
  const r = p.run(['migrate']);
  assert.equal(r.status, 0, explain(r, 'to apply the revision'));
  assert.match(p.ok(['check']).stdout, /No changes detected/);
}

async function shape(): Promise<{ labels: string[]; index: string; check: string; rows: number }> {
  const labels = (await db.query<{ l: string }>(`SELECT e.enumlabel::text AS l FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'ticket_status' ORDER BY e.enumsortorder`)).map((r) => r.l);
  const [{ indexdef }] = await db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'IDX_ticket_open_title'`);
  const [{ def }] = await db.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'CHK_ticket_title'`);
  const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM ticket');
  return { labels, index: indexdef, check: def, rows: Number(n) };
}

describe('an enum value dropped while indexes and checks read its columns, on PostgreSQL', () => {
  it('the indexes and checks are made again around the swap, and one the revision changes goes first', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-enum-dependents-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    const where = `"status" = 'open'`;
    const check = `"status" <> 'closed' OR "title" IS NOT NULL`;
    step(p, entity(['open', 'closed', 'archived'], where, check), 'tickets');
    await db.query(`INSERT INTO ticket VALUES (1, 'open', 'a'), (2, 'closed', 'b'), (3, 'closed', 'b')`);

    // A value no index or check names goes; both are made again with the new type.
    step(p, entity(['open', 'closed'], where, check), 'no archived');
    const after = await shape();
    assert.deepEqual(after.labels, ['open', 'closed']);
    assert.match(after.index, /WHERE \(status = 'open'::ticket_status\)/);
    assert.match(after.check, /'closed'::ticket_status/);
    assert.equal(after.rows, 3);
    await assert.rejects(db.query(`INSERT INTO ticket VALUES (4, 'open', 'a')`), /IDX_ticket_open_title/);

    // The value the index and the check name goes, and they change with it in the same revision.
    await db.query(`DELETE FROM ticket WHERE status = 'closed'`);
    step(p, entity(['open'], `"status" = 'open' AND "title" IS NOT NULL`, `"title" IS NOT NULL OR "status" = 'open'`), 'only open');
    const last = await shape();
    assert.deepEqual(last.labels, ['open']);
    assert.match(last.index, /WHERE \(\(status = 'open'::ticket_status\) AND \(title IS NOT NULL\)\)/);
    assert.equal(last.rows, 1);

    // And back down, each step.
    p.ok(['downgrade', '-1']);
    assert.deepEqual((await shape()).labels, ['open', 'closed']);
    p.ok(['downgrade', '-1']);
    assert.deepEqual((await shape()).labels, ['open', 'closed', 'archived']);
    p.ok(['migrate']);
    assert.match(p.ok(['check']).stdout, /No changes detected/);
  });
});
