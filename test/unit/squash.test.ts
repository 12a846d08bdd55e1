/**
 * Squashes: the collapser's rules (src/operations/collapse.ts), checked against the schema the
 * operations build, and the revision graph with `replaces` (src/revisions/graph.ts) for databases
 * before, inside, at the end of and after a squashed range, with the old files there and gone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOperations } from '../../src/operations/apply.js';
import { collapseOperations } from '../../src/operations/collapse.js';
import type { Operation } from '../../src/operations/operation.js';
import { RevisionError, RevisionGraph, type PlannedStep, type Revision } from '../../src/revisions/graph.js';
import type { Column, Schema, Table } from '../../src/schema/schema.js';

const col = (name: string, type = 'integer', extra: Partial<Column> = {}): Column => ({ name, type, nullable: false, ...extra });
const table = (name: string, columns: Column[], extra: Partial<Table> = {}): Table => ({ name, columns, indexes: [], uniques: [], checks: [], foreignKeys: [], ...extra });
const create = (t: Table): Operation => ({ kind: 'createTable', table: t });

/** The schema `ops` build from `start`. */
function built(ops: readonly Operation[], start: Schema = { tables: [] }): Schema {
  const schema = structuredClone(start);
  applyOperations(schema, ops);
  return schema;
}

/** Collapses `ops`, checks the result builds the same schema, and returns it. */
function collapsed(ops: Operation[], start?: Schema): Operation[] {
  const out = collapseOperations(ops);
  assert.deepEqual(built(out, start), built(ops, start), 'the collapsed operations build another schema');
  return out;
}

const kinds = (ops: readonly Operation[]): string[] => ops.map((o) => o.kind);
const users = (): Schema => ({ tables: [table('users', [col('id'), col('name', 'text')], { primaryKey: { columns: ['id'] } })] });

describe('collapseOperations', () => {
  it('folds what follows a createTable into it, its indexes right after it', () => {
    const out = collapsed([
      create(table('posts', [col('id'), col('title', 'text')])),
      { kind: 'addColumn', table: 'posts', column: col('draft', 'boolean') },
      { kind: 'alterColumn', table: 'posts', column: 'draft', changes: { default: '0' } },
      { kind: 'renameColumn', table: 'posts', from: 'title', to: 'headline' },
      { kind: 'createIndex', table: 'posts', index: { name: 'ix_headline', columns: ['headline'], unique: false } },
    ]);
    assert.deepEqual(kinds(out), ['createTable', 'createIndex']);
    const t = (out[0] as Extract<Operation, { kind: 'createTable' }>).table;
    assert.deepEqual(t.columns, [col('id'), col('headline', 'text'), col('draft', 'boolean', { default: '0' })]);
    assert.deepEqual(t.indexes, []);
    assert.deepEqual((out[1] as Extract<Operation, { kind: 'createIndex' }>).index, { name: 'ix_headline', columns: ['headline'], unique: false });
  });

  it('a createTable later dropped leaves nothing; so do addColumn + dropColumn, createIndex + dropIndex', () => {
    assert.deepEqual(collapsed([create(table('tmp', [col('id')])), { kind: 'addColumn', table: 'tmp', column: col('x') }, { kind: 'dropTable', table: 'tmp' }]), []);
    assert.deepEqual(collapsed([{ kind: 'addColumn', table: 'users', column: col('x') }, { kind: 'dropColumn', table: 'users', column: 'x' }], users()), []);
    assert.deepEqual(
      collapsed([{ kind: 'createIndex', table: 'users', index: { name: 'ix', columns: ['name'], unique: false } }, { kind: 'dropIndex', table: 'users', name: 'ix' }], users()),
      [],
    );
  });

  it('addColumn + alterColumn + renameColumn: one addColumn with the final name and properties', () => {
    const out = collapsed(
      [
        { kind: 'addColumn', table: 'users', column: col('mail', 'text', { nullable: true }) },
        { kind: 'alterColumn', table: 'users', column: 'mail', changes: { nullable: false, default: "''" } },
        { kind: 'renameColumn', table: 'users', from: 'mail', to: 'email' },
      ],
      users(),
    );
    assert.deepEqual(out, [{ kind: 'addColumn', table: 'users', column: col('email', 'text', { default: "''" }) }]);
  });

  it('renames chain, and a rename back is nothing; alterColumn twice is one', () => {
    assert.deepEqual(collapsed([{ kind: 'renameColumn', table: 'users', from: 'name', to: 'n' }, { kind: 'renameColumn', table: 'users', from: 'n', to: 'full_name' }], users()), [
      { kind: 'renameColumn', table: 'users', from: 'name', to: 'full_name' },
    ]);
    assert.deepEqual(collapsed([{ kind: 'renameTable', from: 'users', to: 'u' }, { kind: 'renameTable', from: 'u', to: 'users' }], users()), []);
    assert.deepEqual(
      collapsed([{ kind: 'alterColumn', table: 'users', column: 'name', changes: { type: 'varchar(10)' } }, { kind: 'alterColumn', table: 'users', column: 'name', changes: { nullable: true } }], users()),
      [{ kind: 'alterColumn', table: 'users', column: 'name', changes: { type: 'varchar(10)', nullable: true } }],
    );
  });

  it('anything on a table later dropped goes with it', () => {
    const out = collapsed([{ kind: 'addColumn', table: 'users', column: col('x') }, { kind: 'dropColumn', table: 'users', column: 'name' }, { kind: 'dropTable', table: 'users' }], users());
    assert.deepEqual(out, [{ kind: 'dropTable', table: 'users' }]);
  });

  it('raw SQL is a barrier: nothing moves across it, and it stays in place', () => {
    const ops: Operation[] = [
      create(table('posts', [col('id')])),
      { kind: 'execute', sql: "INSERT INTO posts (id) VALUES (1)" },
      { kind: 'addColumn', table: 'posts', column: col('title', 'text', { default: "'x'" }) },
    ];
    assert.deepEqual(collapsed(ops), ops);
  });

  it('operations on other tables in between do not stop a fold; one that points at the table does', () => {
    const other = create(table('tags', [col('id')]));
    const out = collapsed([create(table('posts', [col('id')])), other, { kind: 'addColumn', table: 'posts', column: col('n') }]);
    assert.deepEqual(kinds(out), ['createTable', 'createTable']);
    assert.equal((out[0] as Extract<Operation, { kind: 'createTable' }>).table.columns.length, 2);
    // comments references posts.id: renaming posts.id cannot move before it.
    const ref = create(table('comments', [col('id'), col('post_id')], { foreignKeys: [{ columns: ['post_id'], referencedTable: 'posts', referencedColumns: ['id'] }] }));
    const ops: Operation[] = [create(table('posts', [col('id')])), ref, { kind: 'renameColumn', table: 'posts', from: 'id', to: 'post_id' }];
    assert.deepEqual(collapseOperations(ops), ops);
    // …while a column it does not use folds.
    assert.deepEqual(kinds(collapsed([create(table('posts', [col('id')])), ref, { kind: 'addColumn', table: 'posts', column: col('n') }])), ['createTable', 'createTable']);
  });

  it('keeps what it does not understand, and is deterministic', () => {
    const ops: Operation[] = [
      { kind: 'createEnum', enum: { name: 'mood', values: ['ok'] } },
      { kind: 'addEnumValue', name: 'mood', value: 'sad' },
      { kind: 'alterColumn', table: 'users', column: 'nope', changes: { nullable: true } },
    ];
    assert.deepEqual(collapseOperations(ops), ops);
    const input: Operation[] = [create(table('a', [col('id')])), create(table('b', [col('id')])), { kind: 'addColumn', table: 'b', column: col('x') }, { kind: 'addColumn', table: 'a', column: col('y') }];
    assert.deepEqual(collapseOperations(input), collapseOperations(structuredClone(input)));
    assert.deepEqual(input[0], create(table('a', [col('id')])), 'the input is left as it is');
  });
});

// p1 <- r1 <- r2 <- r3 <- c1 (c1 written before the squash); S replaces r1..r3; c2 revises S.
const rev = (id: string, down: string[] = [], extra: Partial<Revision> = {}): Revision => ({ id, downRevisions: down, branchLabels: [], dependsOn: [], path: `versions/${id}.ts`, ...extra });
const P1 = 'p1p1p1p1';
const R1 = 'r1r1r1r1';
const R2 = 'r2r2r2r2';
const R3 = 'r3r3r3r3';
const S = 'ssssssss';
const C1 = 'c1c1c1c1';
const oldFiles = (): Revision[] => [rev(P1), rev(R1, [P1]), rev(R2, [R1]), rev(R3, [R2]), rev(C1, [R3])];
const squashed = (withOld = true): RevisionGraph =>
  new RevisionGraph([...(withOld ? oldFiles() : oldFiles().filter((r) => ![R1, R2, R3].includes(r.id))), rev(S, [P1], { replaces: [R1, R2, R3] })]);
const steps = (plan: PlannedStep[]): string[] => plan.map((p) => `${p.step.stampOnly ? 'stamp' : p.step.direction}:${p.step.revision.id}`);
const rowsAfter = (start: string[], plan: PlannedStep[]): string[] => {
  const rows = new Set(start);
  for (const { changes } of plan) {
    for (const c of changes) {
      if (c.kind === 'insert') rows.add(c.version);
      else if (c.kind === 'delete') assert.ok(rows.delete(c.version));
      else {
        assert.ok(rows.delete(c.from), `no row ${c.from} to update`);
        rows.add(c.to);
      }
    }
  }
  return [...rows].sort();
};

describe('RevisionGraph with a squash', () => {
  for (const withOld of [true, false]) {
    const files = withOld ? 'old files there' : 'old files deleted';
    it(`${files}: replaced revisions are neither heads nor bases; ${R3} names the squash; a child of ${R3} is built on it`, () => {
      const g = squashed(withOld);
      assert.deepEqual(g.heads.map((r) => r.id), [C1]);
      assert.deepEqual(g.bases.map((r) => r.id), [P1]);
      assert.deepEqual(g.branchPoints, []);
      assert.deepEqual(g.get(C1)!.downRevisions, [S]);
      assert.equal(g.lookup(R3).id, S);
      assert.equal(g.replacedBy(R2)?.id, S);
      assert.equal(g.replacedBy(S), undefined);
      assert.throws(() => g.lookup(R2), /R2|r2r2r2r2.*squash ssssssss/);
    });

    it(`${files}: a fresh database and one before the range run the squash`, () => {
      const g = squashed(withOld);
      assert.deepEqual(steps(g.plan('up', [], 'heads')), [`up:${P1}`, `up:${S}`, `up:${C1}`]);
      const plan = g.plan('up', [P1], 'heads');
      assert.deepEqual(steps(plan), [`up:${S}`, `up:${C1}`]);
      assert.deepEqual(rowsAfter([P1], plan), [C1]);
    });

    it(`${files}: a database at the range's last revision counts as at the squash`, () => {
      const g = squashed(withOld);
      const plan = g.plan('up', [R3], 'heads');
      assert.deepEqual(steps(plan), [`stamp:${S}`, `up:${C1}`]);
      assert.deepEqual(rowsAfter([R3], plan), [C1]);
      // Nothing else to do: the row is moved all the same.
      assert.deepEqual(rowsAfter([R3], g.plan('up', [R3], S)), [S]);
      // Down below the squash: its downgrade runs.
      const down = g.plan('down', [R3], P1);
      assert.deepEqual(steps(down), [`stamp:${S}`, `down:${S}`]);
      assert.deepEqual(rowsAfter([R3], down), [P1]);
      assert.deepEqual(g.effectiveHeads([R3]), [S]);
    });

    it(`${files}: a database after the range is an ordinary one`, () => {
      const g = squashed(withOld);
      assert.deepEqual(g.plan('up', [C1], 'heads'), []);
      assert.deepEqual(steps(g.plan('down', [C1], 'base')), [`down:${C1}`, `down:${S}`, `down:${P1}`]);
      assert.deepEqual(steps(g.plan('down', [C1], '-1')), [`down:${C1}`]);
    });
  }

  it('old files there: a database inside the range runs the rest of the old files, then goes on', () => {
    const g = squashed(true);
    const plan = g.plan('up', [R1], 'heads');
    assert.deepEqual(steps(plan), [`up:${R2}`, `up:${R3}`, `up:${C1}`]);
    assert.deepEqual(rowsAfter([R1], plan), [C1]);
    // Stopping at the squash: the row ends as the squash, not the range's last.
    const toS = g.plan('up', [R1], S);
    assert.deepEqual(steps(toS), [`up:${R2}`, `up:${R3}`, `stamp:${S}`]);
    assert.deepEqual(rowsAfter([R1], toS), [S]);
    // Down from inside: the old downgrades.
    assert.deepEqual(steps(g.plan('down', [R2], 'base')), [`down:${R2}`, `down:${R1}`, `down:${P1}`]);
    assert.deepEqual(steps(g.plan('down', [R2], '-1')), [`down:${R2}`]);
    // What a scratch database is built with to stand at R2.
    assert.deepEqual(rowsAfter([], g.stepsFromBase([R2])), [R2]);
    assert.deepEqual(rowsAfter([], g.stepsFromBase([R3])), [R3]);
  });

  it('old files deleted: a database inside the range is an error naming it and what to do', () => {
    const g = squashed(false);
    assert.throws(
      () => g.plan('up', [R2], 'heads'),
      (e: Error) => e instanceof RevisionError && e.message.includes(R2) && /restore/.test(e.message) && /migrator migrate/.test(e.message) && e.message.includes(`versions/${S}.ts`),
    );
  });

  it('a squash at the head: new revisions revise it', () => {
    const g = new RevisionGraph([rev(P1), rev(R1, [P1]), rev(R2, [R1]), rev(S, [P1], { replaces: [R1, R2] })]);
    assert.deepEqual(g.heads.map((r) => r.id), [S]);
    assert.deepEqual(steps(g.plan('up', [R1], 'heads')), [`up:${R2}`, `stamp:${S}`]);
  });

  it('integrity errors name the files', () => {
    const bad = (revs: Revision[], pattern: RegExp): void => assert.throws(() => new RevisionGraph(revs), (e: Error) => e instanceof RevisionError && pattern.test(e.message));
    // Not one line: r2 revises p1.
    bad([rev(P1), rev(R1, [P1]), rev(R2, [P1]), rev(S, [P1], { replaces: [R1, R2] })], /not one line: r2r2r2r2 \(versions\/r2r2r2r2\.ts\) revises p1p1p1p1/);
    // The squash's parent differs from the range start's.
    bad([rev(P1), rev(R1, [P1]), rev(R2, [R1]), rev(S, [], { replaces: [R1, R2] })], /squash ssssssss \(versions\/ssssssss\.ts\) revises nothing, but .*r1r1r1r1 \(versions\/r1r1r1r1\.ts\)/);
    // Replaced by two squashes.
    bad([rev(P1), rev(R1, [P1]), rev(R2, [R1]), rev(S, [P1], { replaces: [R1, R2] }), rev('tttttttt', [P1], { replaces: [R1] })], /replaced by two squashes, ssssssss \(versions\/ssssssss\.ts\) and tttttttt \(versions\/tttttttt\.ts\)/);
    // Building on the middle of a range.
    bad([...oldFiles(), rev('xxxxxxxx', [R2]), rev(S, [P1], { replaces: [R1, R2, R3] })], /xxxxxxxx \(versions\/xxxxxxxx\.ts\) revises r2r2r2r2, which squash ssssssss .* in the middle/);
  });
});
