/**
 * Settling expressions the database re-prints: which model texts are put to the database, and
 * what is taken back. The re-printing itself is the database's (test/e2e/pg-reprint); here it is
 * given as data, so the pure part is checked alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSchemas } from '../../src/diff/compare.js';
import { settle, unsettled } from '../../src/diff/settle.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const table = (def: string, check: string, where: string): Table => ({
  name: 'ticket',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'priority', type: 'integer', nullable: false, default: def },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [{ name: 'ix', columns: ['priority'], unique: false, where }],
  uniques: [],
  checks: [{ name: 'ck', expression: check }],
  foreignKeys: [],
});
const schema = (t: Table): Schema => ({ tables: [t] });

describe('settling re-printed expressions', () => {
  const database = schema(table('(floor((random() * (10)::double precision)))::integer', 'priority = ANY (ARRAY[1, 2])', 'priority = ANY (ARRAY[3])'));

  it('asks only about the texts that differ, with the table\'s columns to build them on', () => {
    const models = schema(table('floor(random() * 10)::int', 'priority IN (1, 2)', 'priority IN (3)'));
    const pending = unsettled(database, models, {});
    assert.equal(pending.length, 1);
    assert.deepEqual(pending[0].request, {
      table: 'ticket',
      columns: [{ name: 'id', type: 'integer' }, { name: 'priority', type: 'integer', default: 'floor(random() * 10)::int' }],
      checks: ['priority IN (1, 2)'],
      predicates: [{ column: 'priority', where: 'priority IN (3)' }],
    });
    assert.deepEqual(unsettled(database, structuredClone(database), {}), []);
  });

  it('takes the database\'s spelling where it prints the model\'s text alike, and leaves real changes to the differ', () => {
    const models = schema(table('floor(random() * 10)::int', 'priority IN (1, 2)', 'priority IN (4)'));
    const pending = unsettled(database, models, {});
    settle(pending, [{ defaults: { priority: database.tables[0].columns[1].default }, checks: ['priority = ANY (ARRAY[1, 2])'], predicates: ['priority = ANY (ARRAY[4])'] }], {});
    const ops = compareSchemas(database, models);
    assert.deepEqual(ops.map((o) => o.kind), ['dropIndex', 'createIndex']);
  });

  it('without an answer (the database could not build it) everything stays for the differ', () => {
    const models = schema(table('floor(random() * 10)::int', 'priority IN (1, 2)', 'priority IN (3)'));
    settle(unsettled(database, models, {}), [undefined], {});
    assert.equal(compareSchemas(database, models).length, 5);
  });
});
