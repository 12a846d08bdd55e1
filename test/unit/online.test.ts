/**
 * Online DDL without a database: how the op API records the online options, how revisions render
 * them, how PostgreSQL and SQLite compile them into phases, and the forms autogenerate writes for
 * tables in use (and the downgrade that mirrors them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePostgres } from '../../src/dialects/postgres/compiler.js';
import { compileSqlite } from '../../src/dialects/sqlite/compiler.js';
import { PhaseBuilder } from '../../src/dialects/phases.js';
import { onlineForms } from '../../src/diff/online.js';
import { Operations } from '../../src/operations/api.js';
import type { Operation } from '../../src/operations/operation.js';
import { renderOperation } from '../../src/operations/render.js';
import { reverseOperations } from '../../src/operations/reverse.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const items: Table = {
  name: 'items',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'parent_id', type: 'integer', nullable: true },
    { name: 'score', type: 'integer', nullable: true },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [],
  uniques: [],
  checks: [],
  foreignKeys: [],
};
const parents: Table = { name: 'parents', columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] };
const schema = (): Schema => ({ tables: [structuredClone(items), structuredClone(parents)] });
const fk = { name: 'items_parent_fk', columns: ['parent_id'], referencedTable: 'parents', referencedColumns: ['id'] };

async function recorded(body: (op: Operations) => Promise<void>): Promise<Operation[]> {
  const op = new Operations();
  await body(op);
  return op.recorded;
}

/** The phases as readable lines: `tx: …` or `none: …`, statements joined by ` | `. */
function phaseLines(c: { statements: string[]; phases?: { from: number; to: number; transaction: boolean }[] }): string[] {
  const phases = c.phases ?? [{ from: 0, to: c.statements.length, transaction: true }];
  return phases.map((p) => `${p.transaction ? 'tx' : 'none'}: ${c.statements.slice(p.from, p.to).join(' | ')}`);
}

describe('online options in the op API', () => {
  it('records concurrently, validate: false, validateConstraint, throughCheck and transaction: false', async () => {
    const ops = await recorded(async (op) => {
      await op.createIndex('items', { name: 'items_score_idx', columns: ['score'], concurrently: true });
      await op.dropIndex('items', 'old_idx', { concurrently: true });
      await op.createForeignKey('items', fk, { validate: false });
      await op.createCheckConstraint('items', { name: 'score_positive', expression: 'score > 0' }, { validate: false });
      await op.validateConstraint('items', 'items_parent_fk');
      await op.alterColumn('items', 'score', { nullable: false }, { throughCheck: true });
      await op.execute('VACUUM items', { transaction: false });
      await op.batchAlterTable('items', async (b) => {
        await b.createForeignKey(fk, { validate: false });
        await b.validateConstraint('items_parent_fk');
      });
    });
    assert.deepEqual(ops, [
      { kind: 'createIndex', table: 'items', index: { name: 'items_score_idx', columns: ['score'], unique: false }, concurrently: true },
      { kind: 'dropIndex', table: 'items', name: 'old_idx', concurrently: true },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk }, validate: false },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'check', name: 'score_positive', expression: 'score > 0' }, validate: false },
      { kind: 'validateConstraint', table: 'items', name: 'items_parent_fk' },
      { kind: 'alterColumn', table: 'items', column: 'score', changes: { nullable: false }, throughCheck: true },
      { kind: 'execute', sql: 'VACUUM items', transaction: false },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk }, validate: false },
      { kind: 'validateConstraint', table: 'items', name: 'items_parent_fk' },
    ]);
  });

  it('records nothing extra for the plain forms', async () => {
    const ops = await recorded(async (op) => {
      await op.createIndex('items', { name: 'i', columns: ['score'], concurrently: false });
      await op.createForeignKey('items', fk, {});
      await op.execute('SELECT 1', {});
    });
    assert.deepEqual(ops, [
      { kind: 'createIndex', table: 'items', index: { name: 'i', columns: ['score'], unique: false } },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk } },
      { kind: 'execute', sql: 'SELECT 1' },
    ]);
  });
});

describe('rendering the online options', () => {
  it('writes each option after the call it belongs to, and reads back as the same operation', async () => {
    const ops: Operation[] = [
      { kind: 'createIndex', table: 'items', index: { name: 'score_idx', columns: ['score'], unique: false }, concurrently: true },
      { kind: 'dropIndex', table: 'items', name: 'score_idx', concurrently: true },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk }, validate: false },
      { kind: 'validateConstraint', table: 'items', name: 'items_parent_fk' },
      { kind: 'alterColumn', table: 'items', column: 'score', changes: { nullable: false }, throughCheck: true },
      { kind: 'execute', sql: 'VACUUM items', transaction: false },
    ];
    const rendered = ops.map((o) => renderOperation(o));
    assert.deepEqual([...rendered.slice(0, 2), ...rendered.slice(3)], [
      "await op.createIndex('items', { name: 'score_idx', columns: ['score'], concurrently: true });",
      "await op.dropIndex('items', 'score_idx', { concurrently: true });",
      "await op.validateConstraint('items', 'items_parent_fk');",
      "await op.alterColumn('items', 'score', { nullable: false }, { throughCheck: true });",
      "await op.execute('VACUUM items', { transaction: false });",
    ]);
    // A long call breaks its object argument and keeps the options after it.
    assert.match(rendered[2], /^await op\.createForeignKey\('items', \{\n[\s\S]*\n {2}\}, \{ validate: false \}\);$/);
    // What is rendered records the same operations again.
    const back = await recorded(async (op) => {
      const run = new Function('op', `return (async () => {\n${rendered.join('\n')}\n})();`) as (o: Operations) => Promise<void>;
      await run(op);
    });
    assert.deepEqual(back, ops);
  });
});

describe('PostgreSQL phases', () => {
  it('runs CONCURRENTLY alone outside a transaction, VALIDATE in a transaction of its own, the rest together', () => {
    const ops: Operation[] = [
      { kind: 'addColumn', table: 'items', column: { name: 'note', type: 'text', nullable: true } },
      { kind: 'createIndex', table: 'items', index: { name: 'items_score_idx', columns: ['score'], unique: true }, concurrently: true },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk }, validate: false },
      { kind: 'validateConstraint', table: 'items', name: 'items_parent_fk' },
      { kind: 'alterColumn', table: 'items', column: 'score', changes: { nullable: false }, throughCheck: true },
      { kind: 'setTableComment', table: 'items', comment: 'scored' },
      { kind: 'dropIndex', table: 'items', name: 'items_score_idx', concurrently: true },
    ];
    assert.deepEqual(phaseLines(compilePostgres(ops, schema())), [
      'tx: ALTER TABLE "items" ADD "note" text',
      'none: CREATE UNIQUE INDEX CONCURRENTLY "items_score_idx" ON "items" ("score")',
      'tx: ALTER TABLE "items" ADD CONSTRAINT "items_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "parents" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID',
      'tx: ALTER TABLE "items" VALIDATE CONSTRAINT "items_parent_fk"',
      'tx: ALTER TABLE "items" ADD CONSTRAINT "items_score_not_null" CHECK ("score" IS NOT NULL) NOT VALID',
      'tx: ALTER TABLE "items" VALIDATE CONSTRAINT "items_score_not_null"',
      'tx: ALTER TABLE "items" ALTER COLUMN "score" SET NOT NULL | ALTER TABLE "items" DROP CONSTRAINT "items_score_not_null" | COMMENT ON TABLE "items" IS \'scored\'',
      'none: DROP INDEX CONCURRENTLY "items_score_idx"',
    ]);
  });

  it('tells a rerun how to find out how far a statement outside a transaction got', () => {
    const c = compilePostgres(
      [
        { kind: 'createIndex', table: 'items', index: { name: 'items_score_idx', columns: ['score'], unique: false }, concurrently: true },
        { kind: 'dropIndex', table: 'items', name: 'gone_idx', concurrently: true },
        { kind: 'execute', sql: 'VACUUM items', transaction: false },
      ],
      schema(),
    );
    const [create, drop, vacuum] = c.phases!;
    assert.deepEqual(create.resume?.cleanup, ['DROP INDEX CONCURRENTLY IF EXISTS "items_score_idx"']);
    assert.match(create.resume!.state, /indisvalid THEN 'done' ELSE 'redo' END .*relname = 'items_score_idx'\), 'run'\)/);
    assert.match(drop.resume!.state, /THEN 'run' ELSE 'run' END .*relname = 'gone_idx'\), 'done'\)/);
    assert.deepEqual(drop.resume!.cleanup, []);
    assert.equal(vacuum.resume, undefined);
    assert.equal(vacuum.transaction, false);
  });

  it('keeps one transaction (no phases) for a revision without online forms, and NOT VALID alone needs none', () => {
    const c = compilePostgres(
      [
        { kind: 'createIndex', table: 'items', index: { name: 'i', columns: ['score'], unique: false } },
        { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk }, validate: false },
      ],
      schema(),
    );
    assert.equal(c.phases, undefined);
    assert.match(c.statements[1], / NOT VALID$/);
  });

  it('puts each operation of a revision with transaction = false in a transaction of its own', () => {
    const ops: Operation[] = [
      { kind: 'addColumn', table: 'items', column: { name: 'a', type: 'text', nullable: true }, transaction: false },
      { kind: 'addColumn', table: 'items', column: { name: 'b', type: 'text', nullable: true }, transaction: false },
      { kind: 'execute', sql: 'VACUUM items', transaction: false },
    ];
    assert.deepEqual(phaseLines(compilePostgres(ops, schema())), ['tx: ALTER TABLE "items" ADD "a" text', 'tx: ALTER TABLE "items" ADD "b" text', 'none: VACUUM items']);
  });

  it('fits the NOT NULL check name to 63 bytes', () => {
    const long = 'x'.repeat(60);
    const table: Table = { ...structuredClone(items), name: long };
    const c = compilePostgres([{ kind: 'alterColumn', table: long, column: 'score', changes: { nullable: false }, throughCheck: true }], { tables: [table] });
    const name = /ADD CONSTRAINT "([^"]+)"/.exec(c.statements[0])![1];
    assert.equal(Buffer.byteLength(name), 63);
    assert.ok(c.statements.some((s) => s.endsWith(`DROP CONSTRAINT "${name}"`)));
  });
});

describe('SQLite compiles the online options to the plain forms', () => {
  it('builds indexes in the transaction, checks constraints in the rebuild and validates nothing', () => {
    const ops: Operation[] = [
      { kind: 'createIndex', table: 'items', index: { name: 'items_score_idx', columns: ['score'], unique: false }, concurrently: true },
      { kind: 'addConstraint', table: 'items', constraint: { type: 'check', name: 'pos', expression: 'score > 0' }, validate: false },
      { kind: 'validateConstraint', table: 'items', name: 'pos' },
      { kind: 'dropIndex', table: 'items', name: 'items_score_idx', concurrently: true },
    ];
    const c = compileSqlite(ops, schema());
    assert.equal(c.phases, undefined);
    assert.equal(c.statements[0], 'CREATE INDEX "items_score_idx" ON "items" ("score")');
    assert.ok(!c.statements.some((s) => /CONCURRENTLY|NOT VALID|VALIDATE/.test(s)));
    const drop = compileSqlite([{ kind: 'dropIndex', table: 'items', name: 'i', concurrently: true }], schema());
    assert.deepEqual(drop.statements, ['DROP INDEX "i"']);
    assert.equal(drop.phases, undefined);
  });

  it('runs op.execute(sql, { transaction: false }) outside the transaction', () => {
    const c = compileSqlite([{ kind: 'createIndex', table: 'items', index: { name: 'i', columns: ['score'], unique: false } }, { kind: 'execute', sql: 'VACUUM', transaction: false }], schema());
    assert.deepEqual(phaseLines(c), ['tx: CREATE INDEX "i" ON "items" ("score")', 'none: VACUUM']);
  });
});

describe('PhaseBuilder', () => {
  it('joins inline statements, closes after a phase of its own, splits statements outside a transaction one by one', () => {
    const b = new PhaseBuilder();
    b.add(['a', 'b']);
    b.add(['c'], 'own');
    b.add(['d']);
    b.add(['e', 'f'], 'none');
    b.add([], 'own');
    b.add(['g']);
    assert.deepEqual(b.result(), [
      { from: 0, to: 2, transaction: true },
      { from: 2, to: 3, transaction: true },
      { from: 3, to: 4, transaction: true },
      { from: 4, to: 5, transaction: false },
      { from: 5, to: 6, transaction: false },
      { from: 6, to: 7, transaction: true },
    ]);
  });

  it('gives no phases for one transaction', () => {
    const b = new PhaseBuilder();
    b.add(['a']);
    b.add(['b']);
    assert.equal(b.result(), undefined);
    const own = new PhaseBuilder();
    own.add(['a'], 'own');
    assert.equal(own.result(), undefined);
  });
});

describe('the online forms autogenerate writes', () => {
  const newTable: Table = { ...structuredClone(items), name: 'fresh' };
  const upgrade: Operation[] = [
    { kind: 'createTable', table: newTable },
    { kind: 'createIndex', table: 'fresh', index: { name: 'fresh_score_idx', columns: ['score'], unique: false } },
    { kind: 'addConstraint', table: 'fresh', constraint: { type: 'foreignKey', ...fk, name: 'fresh_parent_fk' } },
    { kind: 'createIndex', table: 'items', index: { name: 'items_score_idx', columns: ['score'], unique: false } },
    { kind: 'addConstraint', table: 'items', constraint: { type: 'foreignKey', ...fk } },
    { kind: 'addConstraint', table: 'items', constraint: { type: 'check', expression: 'score > 0' } },
    { kind: 'addConstraint', table: 'items', constraint: { type: 'unique', name: 'items_score_key', columns: ['score'] } },
    { kind: 'alterColumn', table: 'items', column: 'score', changes: { nullable: false }, existing: { nullable: true } },
    { kind: 'alterColumn', table: 'items', column: 'parent_id', changes: { nullable: true }, existing: { nullable: false } },
    { kind: 'dropIndex', table: 'parents', name: 'parents_old_idx', definition: { name: 'parents_old_idx', columns: ['id'], unique: false } },
    { kind: 'dropConstraint', table: 'parents', ref: { type: 'check', name: 'parents_id_check' }, definition: { type: 'check', name: 'parents_id_check', expression: 'id > 0' } },
  ];

  it('leaves a new table plain, and uses the online forms on tables in use', () => {
    const comments = upgrade.map((_, i) => [`c${i}`]);
    const { ops, comments: kept } = onlineForms(upgrade, comments);
    assert.deepEqual(ops.slice(0, 3), upgrade.slice(0, 3));
    assert.deepEqual(ops.slice(3), [
      { ...upgrade[3], concurrently: true },
      { ...upgrade[4], validate: false },
      { kind: 'validateConstraint', table: 'items', name: 'items_parent_fk' },
      // PostgreSQL would name it: nothing to validate by, so the plain form.
      upgrade[5],
      upgrade[6],
      { ...upgrade[7], throughCheck: true },
      upgrade[8],
      { ...upgrade[9], concurrently: true },
      upgrade[10],
    ]);
    // Comments stay with their operations; the added validate step has none.
    assert.deepEqual(kept, [...comments.slice(0, 5), undefined, ...comments.slice(5)]);
  });

  it('mirrors them in the downgrade: drops concurrently, re-adds a dropped check NOT VALID, and a table dropped later stays plain', () => {
    const { ops } = onlineForms(upgrade);
    const down = onlineForms(reverseOperations(ops)).ops;
    assert.deepEqual(
      down.map((o) => `${o.kind} ${'table' in o && typeof o.table === 'string' ? o.table : ''}${'concurrently' in o && o.concurrently ? ' concurrently' : ''}${'validate' in o && o.validate === false ? ' not valid' : ''}${'throughCheck' in o && o.throughCheck ? ' through check' : ''}`),
      [
        'addConstraint parents not valid',
        'validateConstraint parents',
        'createIndex parents concurrently',
        'alterColumn items through check',
        'alterColumn items',
        'dropConstraint items',
        'dropConstraint items',
        'dropConstraint items',
        'dropIndex items concurrently',
        'dropConstraint fresh',
        'dropIndex fresh',
        'dropTable fresh',
      ],
    );
  });
});
