/**
 * Stored generated columns on PostgreSQL, from TypeORM entities (`asExpression` with
 * `generatedType: 'STORED'`): created with an index on them, given another expression (dropped
 * and added again, the index built again, the values computed anew), made a plain column (the
 * values kept), and each step back down. `check` is clean after each step, though PostgreSQL
 * prints the expression otherwise than the entity writes it. A Prisma schema, which cannot state
 * a generated column, leaves one made by hand alone. What migrator does not write is an error
 * at the option's line. One database for the file, dropped at the end. Build first:
 * `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, configSource, explain, generatedFile, projects, type TempProject } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_generated');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const entity = (total: string): string => `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Line {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer' })
  qty!: number;

  @Column({ type: 'numeric', precision: 10, scale: 2 })
  price!: string;

  @Index('IDX_line_total')
  ${total}
  total!: string;
}
`;

const STORED = (expression: string): string => `@Column({ type: 'numeric', precision: 12, scale: 2, generatedType: 'STORED', asExpression: '${expression}' })`;

interface TotalColumn {
  generated: string;
  expression: string | null;
}

/** How PostgreSQL holds line.total: generated or not, and its expression or default. */
async function totalColumn(): Promise<TotalColumn> {
  const [row] = await db.query<TotalColumn>(
    `SELECT a.attgenerated::text AS generated, pg_get_expr(d.adbin, d.adrelid) AS expression
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = 'line'::regclass AND a.attname = 'total'`,
  );
  return row;
}

async function totals(): Promise<string[]> {
  return (await db.query<{ total: string }>('SELECT total FROM line ORDER BY id')).map((r) => r.total);
}

async function indexOnTotal(): Promise<string[]> {
  return (await db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'line' AND indexname = 'IDX_line_total'`)).map((r) => r.indexdef);
}

function step(p: TempProject, total: string, message: string, extra: string[] = []): { stdout: string; file: string } {
  p.write('entities/line.ts', entity(total));
  const r = p.ok(['makemigrations', '-m', message, ...extra]);
  const file = generatedFile(r);
  p.ok(['migrate']);
  const check = p.ok(['check']);
  assert.match(check.stdout, /No changes detected/, explain(check, 'to find no change after migrate'));
  return { stdout: r.stdout, file: readFileSync(path.join(p.dir, file), 'utf8') };
}

describe('stored generated columns, on PostgreSQL', () => {
  it('are created, given another expression, made plain, and taken back down, with their rows and index', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-generated-');
    p.write('migrator.config.ts', configSource({ database: db.url }));

    const created = step(p, STORED('qty * price'), 'lines');
    assert.match(created.file, /generated: 'qty \* price'/);
    assert.deepEqual(await totalColumn(), { generated: 's', expression: '((qty)::numeric * price)' });
    await db.query(`INSERT INTO line (qty, price) VALUES (2, 1.50), (3, 10.00)`);
    assert.deepEqual(await totals(), ['3.00', '30.00']);

    // Written otherwise than PostgreSQL prints it: the same expression, so nothing to do.
    p.write('entities/line.ts', entity(STORED('"qty"*"price"')));
    assert.match(p.ok(['check']).stdout, /No changes detected/);

    // Another expression: the column is added again with it, the values computed anew, the index built again.
    const doubled = step(p, STORED('qty * price * 2'), 'double');
    assert.match(doubled.stdout, /generated qty \* price → qty \* price \* 2|generated \(\(qty\)::numeric \* price\) → qty \* price \* 2/);
    assert.match(doubled.stdout, /volatile-default/, 'the rewrite is warned of');
    assert.deepEqual(await totals(), ['6.00', '60.00']);
    assert.equal((await indexOnTotal()).length, 1, 'the index on the column is built again');

    // Made plain: the values stay, and can now be written.
    step(p, `@Column({ type: 'numeric', precision: 12, scale: 2 })`, 'plain');
    assert.deepEqual(await totalColumn(), { generated: '', expression: null });
    assert.deepEqual(await totals(), ['6.00', '60.00']);
    await db.query('UPDATE line SET total = 1 WHERE id = 1');
    assert.deepEqual(await totals(), ['1.00', '60.00']);

    // Back down: generated again, with the values its expression gives; then the first expression.
    p.ok(['downgrade', '-1']);
    assert.equal((await totalColumn()).generated, 's');
    assert.deepEqual(await totals(), ['6.00', '60.00']);
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await totalColumn(), { generated: 's', expression: '((qty)::numeric * price)' });
    assert.deepEqual(await totals(), ['3.00', '30.00']);
    assert.equal((await indexOnTotal()).length, 1);
    p.ok(['migrate']);
    assert.deepEqual(await totals(), ['6.00', '60.00']);
  });

  it('a plain column made generated takes the values its expression gives', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-generated-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    step(p, `@Column({ type: 'numeric', precision: 12, scale: 2, default: 0 })`, 'lines');
    await db.query(`INSERT INTO line (qty, price, total) VALUES (2, 1.50, 99), (1, 2.00, 2)`);
    // What the rows hold gives way to what the expression computes: asked, as data loss.
    p.write('entities/line.ts', entity(STORED('qty * price')));
    const refused = p.run(['makemigrations', '-m', 'computed']);
    assert.notEqual(refused.status, 0, explain(refused, 'to refuse without --accept-data-loss'));
    assert.match(refused.stdout + refused.stderr, /1 row holds a value other than the expression gives, which would be replaced/);
    const made = step(p, STORED('qty * price'), 'computed', ['--accept-data-loss']);
    assert.match(made.stdout, /generated none → qty \* price/);
    assert.deepEqual(await totals(), ['3.00', '2.00']);
    assert.equal((await indexOnTotal()).length, 1);
    // Back down: a plain column again, with its default, keeping what the expression gave.
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await totalColumn(), { generated: '', expression: "'0'::numeric" });
    assert.deepEqual(await totals(), ['3.00', '2.00']);
  });

  it('a Prisma schema leaves a generated column made by hand as it is', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-generated-');
    p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
    p.write('schema.prisma', 'datasource db {\n  provider = "postgresql"\n}\nmodel Line {\n  id Int @id @default(autoincrement())\n  qty Int\n  total Int?\n}\n');
    p.ok(['makemigrations', '-m', 'lines']);
    p.ok(['migrate']);
    await db.query('ALTER TABLE "Line" DROP COLUMN total; ALTER TABLE "Line" ADD COLUMN total integer GENERATED ALWAYS AS (qty * 2) STORED');
    assert.match(p.ok(['check']).stdout, /No changes detected/);
  });

  it('what TypeORM does not make a generated column, or migrator does not write, is an error at its line', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-generated-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    p.write('entities/line.ts', entity(`@Column({ type: 'numeric', asExpression: 'qty * price' })`));
    assert.match(assertUserError(p.run(['makemigrations', '-m', 'x'])), /entities\/line\.ts:15\b.*Line\.total has asExpression without generatedType: 'STORED'.*add generatedType: 'STORED'/);

    const q = newProject('migrator-generated-');
    q.write('migrator.config.ts', configSource());
    q.write('entities/line.ts', entity(STORED('qty * price')));
    assert.match(assertUserError(q.run(['makemigrations', '-m', 'x'])), /entities\/line\.ts:15\b.*Line\.total is a generated column \(asExpression\), which migrator writes on PostgreSQL and MySQL, not on SQLite/);
  });
});
