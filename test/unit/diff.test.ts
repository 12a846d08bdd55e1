import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSchemas } from '../../src/diff/compare.js';
import { reverseOperation, reverseOperations } from '../../src/operations/reverse.js';
import { applyOperations } from '../../src/operations/apply.js';
import { normalizeSqliteDefault, normalizeSqliteType } from '../../src/dialects/sqlite/types.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Column, ForeignKey, Index, Schema, Table } from '../../src/schema/schema.js';
import { normalizePgOpclass } from '../../src/dialects/postgres/types.js';
import { sqliteCollation } from '../../src/dialects/sqlite/rebuild.js';
import { mysqlCollation } from '../../src/dialects/mysql/native.js';

const sqliteOptions = { normalizeType: normalizeSqliteType, normalizeDefault: normalizeSqliteDefault };

function col(name: string, type = 'integer', extra: Partial<Column> = {}): Column {
  return { name, type, nullable: true, ...extra };
}
const id = (): Column => col('id', 'integer', { nullable: false, autoincrement: true });

function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns, primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [], ...extra };
}
function fk(column: string, referencedTable: string, extra: Partial<ForeignKey> = {}): ForeignKey {
  return { columns: [column], referencedTable, referencedColumns: ['id'], ...extra };
}
const schema = (...tables: Table[]): Schema => ({ tables });

/** One line per operation: kind plus what it is about. */
function summary(ops: Operation[]): string[] {
  return ops.map((op) => {
    switch (op.kind) {
      case 'createTable':
        return `createTable ${op.table.name}`;
      case 'dropTable':
        return `dropTable ${op.table}`;
      case 'addColumn':
        return `addColumn ${op.table}.${op.column.name}`;
      case 'dropColumn':
        return `dropColumn ${op.table}.${op.column}`;
      case 'alterColumn':
        return `alterColumn ${op.table}.${op.column}`;
      case 'createIndex':
        return `createIndex ${op.table}.${op.index.name}`;
      case 'dropIndex':
        return `dropIndex ${op.table}.${op.name}`;
      case 'addConstraint':
        return `addConstraint ${op.table} ${op.constraint.type} ${op.constraint.name ?? '(unnamed)'}`;
      case 'dropConstraint':
        return `dropConstraint ${op.table} ${op.ref.type} ${'name' in op.ref ? op.ref.name : '(unnamed)'}`;
      default:
        return op.kind;
    }
  });
}

// A small shop: order_item -> order -> customer, order_item -> product.
const customer = (): Table => table('customer', [id(), col('name', 'varchar')], { indexes: [{ name: 'IDX_customer_name', columns: ['name'], unique: false }] });
const product = (): Table => table('product', [id(), col('price', 'integer')]);
const order = (): Table =>
  table('order', [id(), col('customerId')], {
    foreignKeys: [fk('customerId', 'customer', { name: 'FK_order_customer' })],
    indexes: [{ name: 'IDX_order_customer', columns: ['customerId'], unique: false }],
  });
const orderItem = (): Table =>
  table('order_item', [id(), col('orderId'), col('productId')], {
    foreignKeys: [fk('orderId', 'order', { name: 'FK_item_order', onDelete: 'CASCADE' }), fk('productId', 'product', { name: 'FK_item_product' })],
  });
const shop = (): Schema => schema(orderItem(), product(), order(), customer());

describe('compareSchemas: tables', () => {
  it('identical schemas give no operations', () => {
    assert.deepEqual(compareSchemas(shop(), shop()), []);
    assert.deepEqual(compareSchemas(shop(), shop(), sqliteOptions), []);
  });

  it('table order in the schema does not matter', () => {
    const reversed = shop();
    reversed.tables.reverse();
    assert.deepEqual(compareSchemas(shop(), reversed), []);
  });

  it('creates new tables parents first, each followed by its indexes', () => {
    const ops = compareSchemas(schema(), shop());
    assert.deepEqual(summary(ops), [
      'createTable customer',
      'createIndex customer.IDX_customer_name',
      'createTable order',
      'createIndex order.IDX_order_customer',
      'createTable product',
      'createTable order_item',
    ]);
    const created = ops.filter((o) => o.kind === 'createTable').map((o) => (o.kind === 'createTable' ? o.table : undefined)!);
    // Every referenced table is created before the table that references it.
    for (const [i, t] of created.entries()) {
      for (const f of t.foreignKeys) {
        const at = created.findIndex((c) => c.name === f.referencedTable);
        assert.ok(at >= 0 && at < i, `${f.referencedTable} must be created before ${t.name}`);
      }
    }
    // Indexes are separate operations; the created table carries none but keeps its constraints.
    assert.ok(created.every((t) => t.indexes.length === 0));
    assert.deepEqual(created.find((t) => t.name === 'order_item')!.foreignKeys, orderItem().foreignKeys);
  });

  it('drops removed tables children first, each after its indexes, with their definitions', () => {
    const ops = compareSchemas(shop(), schema());
    assert.deepEqual(summary(ops), [
      'dropTable order_item',
      'dropTable product',
      'dropIndex order.IDX_order_customer',
      'dropTable order',
      'dropIndex customer.IDX_customer_name',
      'dropTable customer',
    ]);
    const dropOrder = ops.find((o) => o.kind === 'dropTable' && o.table === 'order');
    assert.ok(dropOrder?.kind === 'dropTable');
    assert.deepEqual(dropOrder.definition, { ...order(), indexes: [] });
    // The downgrade rebuilds every table with its indexes.
    const back = ops.map(reverseOperation).reverse();
    assert.deepEqual(summary(back), [
      'createTable customer',
      'createIndex customer.IDX_customer_name',
      'createTable order',
      'createIndex order.IDX_order_customer',
      'createTable product',
      'createTable order_item',
    ]);
  });

  it('creates before it drops, and only touches the tables that differ', () => {
    const from = schema(customer(), table('legacy', [id()]));
    const to = schema(customer(), product());
    assert.deepEqual(summary(compareSchemas(from, to)), ['createTable product', 'dropTable legacy']);
  });

  it('does not modify its inputs', () => {
    const from = shop();
    const to = schema(customer());
    const before = structuredClone([from, to]);
    compareSchemas(from, to);
    assert.deepEqual([from, to], before);
  });
});

describe('compareSchemas: foreign-key cycles', () => {
  // team.ownerId -> user, user.teamId -> team, and a three-table ring a -> b -> c -> a.
  const team = (): Table => table('team', [id(), col('ownerId')], { foreignKeys: [fk('ownerId', 'user', { name: 'FK_team_owner' })] });
  const user = (): Table => table('user', [id(), col('teamId')], { foreignKeys: [fk('teamId', 'team', { name: 'FK_user_team', onDelete: 'SET NULL' })] });
  const ring = (): Table[] => [
    table('a', [id(), col('bId')], { foreignKeys: [fk('bId', 'b', { name: 'FK_a_b' })] }),
    table('b', [id(), col('cId')], { foreignKeys: [fk('cId', 'c', { name: 'FK_b_c' })] }),
    table('c', [id(), col('aId'), col('parentId')], { foreignKeys: [fk('aId', 'a', { name: 'FK_c_a' }), fk('parentId', 'c', { name: 'FK_c_parent' })] }),
  ];

  it('creates the tables first and adds the key that closes a cycle afterwards', () => {
    const ops = compareSchemas(schema(), schema(user(), team()));
    assert.deepEqual(summary(ops), ['createTable user', 'createTable team', 'addConstraint user foreignKey FK_user_team']);
    const created = ops.flatMap((o) => (o.kind === 'createTable' ? [o.table] : []));
    // Every key inside a CREATE TABLE points at a table created before it.
    assert.deepEqual(created.map((t) => t.foreignKeys.map((f) => f.name)), [[], ['FK_team_owner']]);
    const added = ops[2];
    assert.ok(added.kind === 'addConstraint' && added.constraint.type === 'foreignKey');
    assert.equal(added.constraint.onDelete, 'SET NULL');
  });

  it('breaks a three-table ring once and keeps a self-reference inline', () => {
    const ops = compareSchemas(schema(), schema(...ring()));
    assert.deepEqual(summary(ops), ['createTable c', 'createTable b', 'createTable a', 'addConstraint c foreignKey FK_c_a']);
    const c = ops[0];
    assert.ok(c.kind === 'createTable');
    assert.deepEqual(c.table.foreignKeys.map((f) => f.name), ['FK_c_parent']);
  });

  it('drops the keys that close a cycle before the tables, and the downgrade rebuilds it', () => {
    const ops = compareSchemas(schema(...ring()), schema());
    assert.deepEqual(summary(ops), ['dropConstraint c foreignKey FK_c_a', 'dropTable a', 'dropTable b', 'dropTable c']);
    // Each dropped definition no longer holds the key dropped before it, so the reverse applies.
    const reversed = ops.map(reverseOperation).reverse();
    assert.deepEqual(summary(reversed), ['createTable c', 'createTable b', 'createTable a', 'addConstraint c foreignKey FK_c_a']);
  });

  it('keeps every key inline where the dialect takes forward references (SQLite)', () => {
    const options = { ...sqliteOptions, forwardForeignKeys: true };
    const ops = compareSchemas(schema(), schema(user(), team()), options);
    assert.deepEqual(summary(ops), ['createTable user', 'createTable team']);
    assert.deepEqual(summary(compareSchemas(schema(user(), team()), schema(), options)), ['dropTable team', 'dropTable user']);
  });

  it('is the same whatever order the models list the tables in', () => {
    const a = compareSchemas(schema(), schema(...ring()));
    const b = compareSchemas(schema(), schema(...ring().reverse()));
    assert.deepEqual(a, b);
  });
});

describe('compareSchemas: columns', () => {
  const base = (): Table => table('item', [id(), col('title', 'varchar(100)', { nullable: false }), col('status', 'varchar', { default: "'draft'" })]);

  it('adds a column with its full definition', () => {
    const to = base();
    to.columns.push(col('qty', 'integer', { nullable: false, default: '0' }));
    assert.deepEqual(compareSchemas(schema(base()), schema(to)), [
      { kind: 'addColumn', table: 'item', column: { name: 'qty', type: 'integer', nullable: false, default: '0' } },
    ]);
  });

  it('drops a column, keeping its definition for the downgrade', () => {
    const to = base();
    to.columns = to.columns.filter((c) => c.name !== 'status');
    assert.deepEqual(compareSchemas(schema(base()), schema(to)), [
      { kind: 'dropColumn', table: 'item', column: 'status', definition: { name: 'status', type: 'varchar', nullable: true, default: "'draft'" } },
    ]);
  });

  const alterations: { name: string; change: (c: Column) => void; changes: object; existing: object }[] = [
    { name: 'type', change: (c) => (c.type = 'text'), changes: { type: 'text' }, existing: { type: 'varchar(100)' } },
    { name: 'nullability', change: (c) => (c.nullable = true), changes: { nullable: true }, existing: { nullable: false } },
    { name: 'a new default', change: (c) => (c.default = "'untitled'"), changes: { default: "'untitled'" }, existing: { default: null } },
    {
      name: 'type, nullability and default together',
      change: (c) => Object.assign(c, { type: 'text', nullable: true, default: "''" }),
      changes: { type: 'text', nullable: true, default: "''" },
      existing: { type: 'varchar(100)', nullable: false, default: null },
    },
  ];
  for (const a of alterations) {
    it(`alters ${a.name}, recording the existing values`, () => {
      const to = base();
      a.change(to.columns.find((c) => c.name === 'title')!);
      assert.deepEqual(compareSchemas(schema(base()), schema(to)), [
        { kind: 'alterColumn', table: 'item', column: 'title', changes: a.changes, existing: a.existing },
      ]);
    });
  }

  it('removing a default is `default: null` with the old default as existing', () => {
    const to = base();
    delete to.columns.find((c) => c.name === 'status')!.default;
    assert.deepEqual(compareSchemas(schema(base()), schema(to)), [
      { kind: 'alterColumn', table: 'item', column: 'status', changes: { default: null }, existing: { default: "'draft'" } },
    ]);
  });

  it('orders added, altered, then dropped columns', () => {
    const to = base();
    to.columns = [id(), col('title', 'text', { nullable: false }), col('body', 'text')];
    assert.deepEqual(summary(compareSchemas(schema(base()), schema(to))), ['addColumn item.body', 'alterColumn item.title', 'dropColumn item.status']);
  });
});

describe('compareSchemas: numbered columns', () => {
  const key = (extra: Partial<Column>): Schema => schema(table('t', [col('id', 'integer', { nullable: false, ...extra })]));
  it('a model asking only for numbering (serial) is served by an identity column already there', () => {
    assert.deepEqual(compareSchemas(key({ identity: 'by default' }), key({ autoincrement: true })), []);
    assert.deepEqual(compareSchemas(key({ identity: 'always' }), key({ autoincrement: true })), []);
  });
  it('a model asking for an identity column, or for none, is a change', () => {
    assert.deepEqual(summary(compareSchemas(key({ autoincrement: true }), key({ identity: 'always' }))), ['alterColumn t.id']);
    assert.deepEqual(summary(compareSchemas(key({ identity: 'by default' }), key({}))), ['alterColumn t.id']);
    assert.deepEqual(summary(compareSchemas(key({ identity: 'by default' }), key({ identity: 'always' }))), ['alterColumn t.id']);
  });
});

describe('compareSchemas: indexes', () => {
  const withIndexes = (...indexes: Table['indexes']): Table => table('t', [id(), col('a'), col('b')], { indexes });
  const ia = { name: 'IDX_a', columns: ['a'], unique: false };

  it('adds an index', () => {
    assert.deepEqual(compareSchemas(schema(withIndexes()), schema(withIndexes(ia))), [{ kind: 'createIndex', table: 't', index: ia }]);
  });

  it('removes an index, with its definition', () => {
    assert.deepEqual(compareSchemas(schema(withIndexes(ia)), schema(withIndexes())), [{ kind: 'dropIndex', table: 't', name: 'IDX_a', definition: ia }]);
  });

  it('a unique constraint and a plain unique index of one name over the same columns are no change, either way round', () => {
    const constraint = (columns: string[]): Table => ({ ...withIndexes(), uniques: [{ name: 'a_key', columns }] });
    const index = (columns: string[], extra: Partial<Table['indexes'][number]> = {}): Table => withIndexes({ name: 'a_key', columns, unique: true, ...extra });
    assert.deepEqual(compareSchemas(schema(constraint(['a'])), schema(index(['a']))), []);
    assert.deepEqual(compareSchemas(schema(index(['a'])), schema(constraint(['a']))), []);
    // Other columns, a predicate or another method are a real change.
    assert.deepEqual(summary(compareSchemas(schema(constraint(['a'])), schema(index(['a', 'b'])))), ['dropConstraint t unique a_key', 'createIndex t.a_key']);
    assert.deepEqual(summary(compareSchemas(schema(constraint(['a'])), schema(index(['a'], { where: '"a" > 0' })))), ['dropConstraint t unique a_key', 'createIndex t.a_key']);
    assert.deepEqual(summary(compareSchemas(schema(index(['a'], { using: 'hash' })), schema(constraint(['a'])))), ['dropIndex t.a_key', 'addConstraint t unique a_key']);
  });

  it('an index the models leave to the database is neither dropped, changed nor created, and a new table does not carry the list', () => {
    const ib = { name: 'IDX_b', columns: ['b'], unique: false };
    const leaving = (...indexes: Table['indexes']): Table => ({ ...withIndexes(...indexes), unmanaged: { indexes: ['IDX_a'] } });
    assert.deepEqual(compareSchemas(schema(withIndexes(ia, ib)), schema(leaving())), [{ kind: 'dropIndex', table: 't', name: 'IDX_b', definition: ib }]);
    assert.deepEqual(compareSchemas(schema(withIndexes(ia)), schema(leaving())), []);
    assert.deepEqual(compareSchemas(schema(withIndexes()), schema(leaving())), []);
    const ops = compareSchemas(schema(), schema(leaving(ib)));
    assert.deepEqual(summary(ops), ['createTable t', 'createIndex t.IDX_b']);
    assert.equal(ops[0].kind === 'createTable' && 'unmanaged' in ops[0].table, false);
  });

  it('a column whose nullability the models leave to the database keeps the database\'s, and the type and default are still compared', () => {
    const model = table('t', [id(), col('tags', 'text[]', { nullable: true })], { unmanaged: { nullability: ['tags'] } });
    assert.deepEqual(compareSchemas(schema(table('t', [id(), col('tags', 'text[]', { nullable: false })])), schema(model)), []);
    assert.deepEqual(summary(compareSchemas(schema(table('t', [id(), col('tags', 'integer[]', { nullable: false })])), schema(model))), ['alterColumn t.tags']);
    const ops = compareSchemas(schema(), schema(model));
    assert.equal(ops[0].kind === 'createTable' && ops[0].table.columns[1].nullable, true);
  });

  const changed: { name: string; to: Table['indexes'][number] }[] = [
    { name: 'columns', to: { ...ia, columns: ['a', 'b'] } },
    { name: 'uniqueness', to: { ...ia, unique: true } },
    { name: 'partial predicate', to: { ...ia, where: '"a" > 0' } },
  ];
  for (const c of changed) {
    it(`a changed ${c.name} is a drop and then a create under the same name`, () => {
      assert.deepEqual(compareSchemas(schema(withIndexes(ia)), schema(withIndexes(c.to))), [
        { kind: 'dropIndex', table: 't', name: 'IDX_a', definition: ia },
        { kind: 'createIndex', table: 't', index: c.to },
      ]);
    });
  }

  it('a predicate differing only in spacing is unchanged', () => {
    const from = withIndexes({ ...ia, where: '"a"  >   0' });
    const to = withIndexes({ ...ia, where: '"a" > 0' });
    assert.deepEqual(compareSchemas(schema(from), schema(to)), []);
  });
});

describe('compareSchemas: unique constraints', () => {
  const withUniques = (...uniques: Table['uniques']): Table => table('t', [id(), col('a'), col('b')], { uniques });

  it('unchanged when matched by name', () => {
    assert.deepEqual(compareSchemas(schema(withUniques({ name: 'UQ_ab', columns: ['a', 'b'] })), schema(withUniques({ name: 'UQ_ab', columns: ['a', 'b'] }))), []);
  });

  it('an unnamed constraint matches by columns (named on the other side or not)', () => {
    assert.deepEqual(compareSchemas(schema(withUniques({ columns: ['a'] })), schema(withUniques({ name: 'UQ_a', columns: ['a'] }))), []);
    assert.deepEqual(compareSchemas(schema(withUniques({ name: 'UQ_a', columns: ['a'] })), schema(withUniques({ columns: ['a'] }))), []);
    assert.deepEqual(compareSchemas(schema(withUniques({ columns: ['a'] })), schema(withUniques({ columns: ['a'] }))), []);
  });

  it('same name, different columns: drop and add', () => {
    const ops = compareSchemas(schema(withUniques({ name: 'UQ_x', columns: ['a'] })), schema(withUniques({ name: 'UQ_x', columns: ['a', 'b'] })));
    assert.deepEqual(ops, [
      { kind: 'dropConstraint', table: 't', ref: { type: 'unique', name: 'UQ_x' }, definition: { type: 'unique', name: 'UQ_x', columns: ['a'] } },
      { kind: 'addConstraint', table: 't', constraint: { type: 'unique', name: 'UQ_x', columns: ['a', 'b'] } },
    ]);
  });

  it('an unnamed constraint that is gone is dropped by its columns', () => {
    assert.deepEqual(compareSchemas(schema(withUniques({ columns: ['b'] })), schema(withUniques())), [
      { kind: 'dropConstraint', table: 't', ref: { type: 'unique', columns: ['b'] }, definition: { type: 'unique', columns: ['b'] } },
    ]);
  });

  it('two different names on the same columns: the constraint is renamed, not dropped and added', () => {
    const ops = compareSchemas(schema(withUniques({ name: 'UQ_old', columns: ['a'] })), schema(withUniques({ name: 'UQ_new', columns: ['a'] })));
    assert.deepEqual(ops, [{ kind: 'renameConstraint', table: 't', from: 'UQ_old', to: 'UQ_new' }]);
  });

  it('a new name over other columns is a drop and an add', () => {
    const ops = compareSchemas(schema(withUniques({ name: 'UQ_old', columns: ['a'] })), schema(withUniques({ name: 'UQ_new', columns: ['b'] })));
    assert.deepEqual(summary(ops), ['dropConstraint t unique UQ_old', 'addConstraint t unique UQ_new']);
  });
});

describe('compareSchemas: renamed indexes and constraints', () => {
  const ix = (name: string, columns: string[], more: Partial<Index> = {}): Index => ({ name, columns, unique: false, ...more });
  const parent = (): Table => table('parent', [id()]);
  const child = (t: Partial<Table>): Table => table('child', [id(), col('a'), col('b'), col('parentId')], t);

  it('an index of the same definition under a new name is renamed', () => {
    const ops = compareSchemas(schema(child({ indexes: [ix('IDX_old', ['a', 'b'])] })), schema(child({ indexes: [ix('IDX_new', ['a', 'b'])] })));
    assert.deepEqual(ops, [{ kind: 'renameIndex', table: 'child', from: 'IDX_old', to: 'IDX_new' }]);
  });

  it('a new name with any other difference (uniqueness, order, WHERE, method) is a drop and a create', () => {
    const before = ix('IDX_old', ['a', 'b']);
    for (const after of [ix('IDX_new', ['a', 'b'], { unique: true }), ix('IDX_new', ['b', 'a']), ix('IDX_new', ['a', 'b'], { where: 'a > 0' }), ix('IDX_new', ['a', 'b'], { using: 'hash' })]) {
      const ops = compareSchemas(schema(child({ indexes: [before] })), schema(child({ indexes: [after] })));
      assert.deepEqual(summary(ops), ['dropIndex child.IDX_old', 'createIndex child.IDX_new'], JSON.stringify(after));
    }
  });

  it('an index kept under its name but changed is never taken for a rename of another', () => {
    // IDX_a changes to what IDX_b was; IDX_b goes. Renaming IDX_b to IDX_a would collide with IDX_a.
    const ops = compareSchemas(schema(child({ indexes: [ix('IDX_a', ['a']), ix('IDX_b', ['b'])] })), schema(child({ indexes: [ix('IDX_a', ['b'])] })));
    assert.deepEqual(summary(ops), ['dropIndex child.IDX_a', 'dropIndex child.IDX_b', 'createIndex child.IDX_a']);
  });

  it('several renamed at once pair by definition, whatever the order of the lists', () => {
    const before = [ix('IDX_1', ['a']), ix('IDX_2', ['b']), ix('IDX_3', ['a', 'b'])];
    const after = [ix('IDX_y', ['a', 'b']), ix('IDX_x', ['b']), ix('IDX_z', ['a'])];
    const expected = [
      { kind: 'renameIndex', table: 'child', from: 'IDX_1', to: 'IDX_z' },
      { kind: 'renameIndex', table: 'child', from: 'IDX_2', to: 'IDX_x' },
      { kind: 'renameIndex', table: 'child', from: 'IDX_3', to: 'IDX_y' },
    ];
    assert.deepEqual(compareSchemas(schema(child({ indexes: before })), schema(child({ indexes: after }))), expected);
    assert.deepEqual(compareSchemas(schema(child({ indexes: [...before].reverse() })), schema(child({ indexes: [...after].reverse() }))), expected);
  });

  it('two indexes of one definition renamed pair in name order, the rest created', () => {
    const ops = compareSchemas(schema(child({ indexes: [ix('IDX_b', ['a']), ix('IDX_a', ['a'])] })), schema(child({ indexes: [ix('IDX_n2', ['a']), ix('IDX_n1', ['a']), ix('IDX_n3', ['a'])] })));
    assert.deepEqual(summary(ops), ['renameIndex', 'renameIndex', 'createIndex child.IDX_n3']);
    assert.deepEqual(ops.slice(0, 2), [
      { kind: 'renameIndex', table: 'child', from: 'IDX_a', to: 'IDX_n1' },
      { kind: 'renameIndex', table: 'child', from: 'IDX_b', to: 'IDX_n2' },
    ]);
  });

  it('a foreign key of the same columns, target and actions under a new name is renamed; other actions are a drop and an add', () => {
    const from = schema(parent(), child({ foreignKeys: [fk('parentId', 'parent', { name: 'FK_old', onDelete: 'CASCADE' })] }));
    const renamed = schema(parent(), child({ foreignKeys: [fk('parentId', 'parent', { name: 'FK_new', onDelete: 'CASCADE' })] }));
    assert.deepEqual(compareSchemas(from, renamed), [{ kind: 'renameConstraint', table: 'child', from: 'FK_old', to: 'FK_new' }]);
    const changed = schema(parent(), child({ foreignKeys: [fk('parentId', 'parent', { name: 'FK_new', onDelete: 'SET NULL' })] }));
    assert.deepEqual(summary(compareSchemas(from, changed)), ['dropConstraint child foreignKey FK_old', 'addConstraint child foreignKey FK_new']);
  });

  it('a check of the same expression (spacing aside) under a new name is renamed', () => {
    const ops = compareSchemas(schema(child({ checks: [{ name: 'CHK_old', expression: 'a  >  0' }] })), schema(child({ checks: [{ name: 'CHK_new', expression: 'a > 0' }] })));
    assert.deepEqual(ops, [{ kind: 'renameConstraint', table: 'child', from: 'CHK_old', to: 'CHK_new' }]);
  });

  it('an unnamed constraint is matched by shape as before, never renamed', () => {
    const from = schema(parent(), child({ foreignKeys: [fk('parentId', 'parent')] }));
    const to = schema(parent(), child({ foreignKeys: [fk('parentId', 'parent', { name: 'FK_new' })] }));
    assert.deepEqual(compareSchemas(from, to), []);
  });

  it('a unique constraint on one side and a unique index on the other, same columns, other name: the one there is renamed', () => {
    const asConstraint = schema(child({ uniques: [{ name: 'UQ_old', columns: ['a', 'b'] }] }));
    const asIndex = schema(child({ indexes: [ix('ab_key', ['a', 'b'], { unique: true })] }));
    assert.deepEqual(compareSchemas(asConstraint, asIndex), [{ kind: 'renameIndex', table: 'child', from: 'UQ_old', to: 'ab_key' }]);
    assert.deepEqual(compareSchemas(asIndex, asConstraint), [{ kind: 'renameIndex', table: 'child', from: 'ab_key', to: 'UQ_old' }]);
    // Renamed, the two compare equal: the constraint under the index's name enforces the same.
    const up = structuredClone(asConstraint);
    applyOperations(up, compareSchemas(asConstraint, asIndex));
    assert.deepEqual(compareSchemas(up, asIndex), []);
    // A partial or non-unique index is something else: dropped and created.
    const partial = schema(child({ indexes: [ix('ab_key', ['a', 'b'], { unique: true, where: 'a > 0' })] }));
    assert.deepEqual(summary(compareSchemas(asConstraint, partial)), ['dropConstraint child unique UQ_old', 'createIndex child.ab_key']);
  });

  it('the upgrade and its reverse leave each side as the other', () => {
    const from = schema(parent(), child({ indexes: [ix('IDX_old', ['a'])], uniques: [{ name: 'UQ_old', columns: ['b'] }], foreignKeys: [fk('parentId', 'parent', { name: 'FK_old' })], checks: [{ name: 'CHK_old', expression: 'a > 0' }] }));
    const to = schema(parent(), child({ indexes: [ix('IDX_new', ['a'])], uniques: [{ name: 'UQ_new', columns: ['b'] }], foreignKeys: [fk('parentId', 'parent', { name: 'FK_new' })], checks: [{ name: 'CHK_new', expression: 'a > 0' }] }));
    const ops = compareSchemas(from, to);
    assert.deepEqual(ops.map((op) => op.kind), ['renameIndex', 'renameConstraint', 'renameConstraint', 'renameConstraint']);
    const up = structuredClone(from);
    applyOperations(up, ops);
    assert.deepEqual(compareSchemas(up, to), []);
    const down = structuredClone(up);
    applyOperations(down, reverseOperations(ops));
    assert.deepEqual(compareSchemas(down, from), []);
  });
});

describe('compareSchemas: foreign keys and checks', () => {
  const child = (foreignKeys: ForeignKey[], checks: Table['checks'] = []): Schema =>
    schema(table('parent', [id()]), table('child', [id(), col('parentId')], { foreignKeys, checks }));

  it('a changed ON DELETE action is a drop and then an add', () => {
    const before = fk('parentId', 'parent', { name: 'FK_p', onDelete: 'NO ACTION' });
    const after = fk('parentId', 'parent', { name: 'FK_p', onDelete: 'CASCADE' });
    assert.deepEqual(compareSchemas(child([before]), child([after])), [
      { kind: 'dropConstraint', table: 'child', ref: { type: 'foreignKey', name: 'FK_p' }, definition: { type: 'foreignKey', ...before } },
      { kind: 'addConstraint', table: 'child', constraint: { type: 'foreignKey', ...after } },
    ]);
  });

  it('a changed ON UPDATE action on an unnamed key is a drop (by columns) and an add', () => {
    const ops = compareSchemas(child([fk('parentId', 'parent')]), child([fk('parentId', 'parent', { onUpdate: 'CASCADE' })]));
    assert.deepEqual(summary(ops), ['dropConstraint child foreignKey (unnamed)', 'addConstraint child foreignKey (unnamed)']);
    assert.ok(ops[0].kind === 'dropConstraint');
    assert.deepEqual(ops[0].ref, { type: 'foreignKey', columns: ['parentId'] });
  });

  it('a missing action equals NO ACTION', () => {
    assert.deepEqual(
      compareSchemas(child([fk('parentId', 'parent', { onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })]), child([fk('parentId', 'parent')])),
      [],
    );
  });

  it('adds and drops foreign keys', () => {
    assert.deepEqual(summary(compareSchemas(child([]), child([fk('parentId', 'parent', { name: 'FK_p' })]))), ['addConstraint child foreignKey FK_p']);
    assert.deepEqual(summary(compareSchemas(child([fk('parentId', 'parent', { name: 'FK_p' })]), child([]))), ['dropConstraint child foreignKey FK_p']);
  });

  it('check constraints: added, dropped, changed, and spacing ignored', () => {
    const chk = (expression: string, name: string | undefined = 'CHK_p'): Table['checks'][number] => (name ? { name, expression } : { expression });
    assert.deepEqual(summary(compareSchemas(child([]), child([], [chk('"parentId" > 0')]))), ['addConstraint child check CHK_p']);
    assert.deepEqual(summary(compareSchemas(child([], [chk('"parentId" > 0')]), child([]))), ['dropConstraint child check CHK_p']);
    assert.deepEqual(compareSchemas(child([], [chk('"parentId" > 0')]), child([], [chk('"parentId" >= 0')])), [
      { kind: 'dropConstraint', table: 'child', ref: { type: 'check', name: 'CHK_p' }, definition: { type: 'check', name: 'CHK_p', expression: '"parentId" > 0' } },
      { kind: 'addConstraint', table: 'child', constraint: { type: 'check', name: 'CHK_p', expression: '"parentId" >= 0' } },
    ]);
    assert.deepEqual(compareSchemas(child([], [chk('"parentId"  >\n 0', undefined)]), child([], [chk('"parentId" > 0', undefined)])), []);
  });
});

describe('compareSchemas: order of operations within a table', () => {
  it('adds columns, alters, drops then creates indexes/uniques, checks, drops columns last; foreign keys added after every table', () => {
    const from = table('t', [id(), col('a'), col('b'), col('gone')], {
      indexes: [{ name: 'IDX_old', columns: ['a'], unique: false }],
      uniques: [{ name: 'UQ_old', columns: ['a'] }],
      foreignKeys: [fk('a', 'p', { name: 'FK_old' })],
      checks: [{ name: 'CHK_old', expression: 'a > 0' }],
    });
    const to = table('t', [id(), col('a', 'text'), col('b'), col('added')], {
      indexes: [{ name: 'IDX_new', columns: ['b'], unique: false }],
      uniques: [{ name: 'UQ_new', columns: ['b'] }],
      foreignKeys: [fk('b', 'p', { name: 'FK_new' })],
      checks: [{ name: 'CHK_new', expression: 'b > 0' }],
    });
    const p = table('p', [id()]);
    // FK_old is over column a, whose type changes: it goes before any type changes. So do the
    // index and check over a that go (PostgreSQL would build them again for text: `a > 0` fails).
    assert.deepEqual(summary(compareSchemas(schema(p, from), schema(p, to))), [
      'dropConstraint t foreignKey FK_old',
      'dropIndex t.IDX_old',
      'dropConstraint t check CHK_old',
      'addColumn t.added',
      'alterColumn t.a',
      'dropConstraint t unique UQ_old',
      'createIndex t.IDX_new',
      'addConstraint t unique UQ_new',
      'addConstraint t check CHK_new',
      'dropColumn t.gone',
      'addConstraint t foreignKey FK_new',
    ]);
  });

  it("a key to a column, unique index or key another table gets is added after it; one a table's unique index holds up is dropped before it", () => {
    // Post (sorts before User) moves its key to User.code, a new unique column: the key comes last.
    const user = (extra: boolean): Table => table('User', [id(), ...(extra ? [col('code')] : [])], extra ? { uniques: [{ name: 'User_code_key', columns: ['code'] }] } : {});
    const post = (toCode: boolean): Table =>
      table('Post', [id(), col('authorId'), col('authorCode')], { foreignKeys: [toCode ? fk('authorCode', 'User', { name: 'Post_code_fkey', referencedColumns: ['code'] }) : fk('authorId', 'User', { name: 'Post_author_fkey' })] });
    const up = compareSchemas(schema(user(false), post(false)), schema(user(true), post(true)));
    assert.deepEqual(summary(up), ['dropConstraint Post foreignKey Post_author_fkey', 'addColumn User.code', 'addConstraint User unique User_code_key', 'addConstraint Post foreignKey Post_code_fkey']);
    // And back: the key that needs the unique index goes before the index does.
    const down = compareSchemas(schema(user(true), post(true)), schema(user(false), post(false)));
    assert.deepEqual(summary(down), ['dropConstraint Post foreignKey Post_code_fkey', 'dropConstraint User unique User_code_key', 'dropColumn User.code', 'addConstraint Post foreignKey Post_author_fkey']);
  });
});

describe('compareSchemas: dialect normalization', () => {
  // What SQLite reports back (left) against what the models declare (right).
  const noise: { name: string; db: Partial<Column>; model: Partial<Column> }[] = [
    { name: 'type case and spacing', db: { type: 'VARCHAR (255)' }, model: { type: 'varchar(255)' } },
    { name: 'decimal spacing', db: { type: 'DECIMAL(10, 2)' }, model: { type: 'decimal(10,2)' } },
    { name: 'parenthesized default', db: { default: "('user')" }, model: { default: "'user'" } },
    { name: 'keyword default case', db: { default: 'current_timestamp' }, model: { default: 'CURRENT_TIMESTAMP' } },
    { name: 'function default', db: { default: "(datetime('now'))" }, model: { default: "DATETIME('now')" } },
    { name: 'NULL default is no default', db: { default: 'NULL' }, model: {} },
  ];
  for (const n of noise) {
    it(`ignores ${n.name} with the SQLite options, not without them`, () => {
      const from = schema(table('t', [id(), col('c', 'varchar(255)', n.db)]));
      const to = schema(table('t', [id(), col('c', 'varchar(255)', n.model)]));
      assert.deepEqual(compareSchemas(from, to, sqliteOptions), []);
      assert.deepEqual(summary(compareSchemas(from, to)), ['alterColumn t.c']);
    });
  }

  it('still reports real differences with the SQLite options', () => {
    const from = schema(table('t', [id(), col('c', 'VARCHAR(255)', { default: "('user')" })]));
    const to = schema(table('t', [id(), col('c', 'varchar(100)', { default: "'admin'" })]));
    assert.deepEqual(compareSchemas(from, to, sqliteOptions), [
      {
        kind: 'alterColumn',
        table: 't',
        column: 'c',
        changes: { type: 'varchar(100)', default: "'admin'" },
        existing: { type: 'VARCHAR(255)', default: "('user')" },
      },
    ]);
  });

  it('does not lower-case string literals in defaults', () => {
    const from = schema(table('t', [id(), col('c', 'text', { default: "'User'" })]));
    const to = schema(table('t', [id(), col('c', 'text', { default: "'user'" })]));
    assert.equal(compareSchemas(from, to, sqliteOptions).length, 1);
  });
});

describe('compareSchemas: primary keys', () => {
  it('a changed primary key is an alterPrimaryKey with the previous key, after added columns and before dropped ones', () => {
    const from = schema(table('t', [id(), col('old')]));
    const to = schema(table('t', [id(), col('code')], { primaryKey: { columns: ['id', 'code'] } }));
    const ops = compareSchemas(from, to);
    assert.deepEqual(
      ops.map((o) => o.kind),
      ['addColumn', 'alterPrimaryKey', 'dropColumn'],
    );
    assert.deepEqual(ops[1], { kind: 'alterPrimaryKey', table: 't', primaryKey: { columns: ['id', 'code'] }, existing: { columns: ['id'] } });
  });

  it('a removed primary key is an alterPrimaryKey to null, and reverses to the old key', () => {
    const to = table('t', [id()]);
    delete to.primaryKey;
    const ops = compareSchemas(schema(table('t', [id()])), schema(to));
    assert.deepEqual(ops, [{ kind: 'alterPrimaryKey', table: 't', primaryKey: null, existing: { columns: ['id'] } }]);
    assert.deepEqual(reverseOperation(ops[0]), { kind: 'alterPrimaryKey', table: 't', primaryKey: { columns: ['id'] }, existing: null });
  });

  it('a name on one side only is not a change (MySQL names none, SQLite none on a column key)', () => {
    const to = table('t', [id()], { primaryKey: { name: 'PK_t', columns: ['id'] } });
    assert.deepEqual(compareSchemas(schema(table('t', [id()])), schema(to)), []);
    assert.deepEqual(compareSchemas(schema(to), schema(table('t', [id()]))), []);
  });

  it("a key name the models leave to the database (TypeORM's) is never compared", () => {
    const from = schema(table('t', [id()], { primaryKey: { name: 't_pkey', columns: ['id'] } }));
    const to = schema(table('t', [id()], { primaryKey: { name: 'PK_abc', columns: ['id'] }, unmanaged: { primaryKeyName: true } }));
    assert.deepEqual(compareSchemas(from, to), []);
  });

  it('the same key under another name on both sides is renamed, and renamed back', () => {
    const from = schema(table('t', [id()], { primaryKey: { name: 'Post_pkey', columns: ['id'] } }));
    const to = schema(table('t', [id()], { primaryKey: { name: 'Article_pkey', columns: ['id'] } }));
    const ops = compareSchemas(from, to);
    assert.deepEqual(ops, [{ kind: 'renameConstraint', table: 't', from: 'Post_pkey', to: 'Article_pkey' }]);
    const up = structuredClone(from);
    applyOperations(up, ops);
    assert.equal(up.tables[0].primaryKey?.name, 'Article_pkey');
    applyOperations(up, reverseOperations(ops));
    assert.deepEqual(up, from);
  });
});

describe('compareSchemas: type changes under foreign keys', () => {
  // post.siteId -> site.id, both turning from text to integer.
  const site = (type: string): Table => table('site', [col('id', type, { nullable: false })]);
  const post = (type: string): Table => table('post', [id(), col('siteId', type)], { foreignKeys: [fk('siteId', 'site', { name: 'post_site_fkey' })] });

  it('drops the key before the types change and adds it back after (PostgreSQL)', () => {
    const ops = compareSchemas(schema(site('text'), post('text')), schema(site('integer'), post('integer')));
    assert.deepEqual(summary(ops), ['dropConstraint post foreignKey post_site_fkey', 'alterColumn post.siteId', 'alterColumn site.id', 'addConstraint post foreignKey post_site_fkey']);
  });

  it('a key over such columns that changes or goes is dropped before the types change, once', () => {
    const changedKey = (type: string): Table => table('post', [id(), col('siteId', type)], { foreignKeys: [fk('siteId', 'site', { name: 'post_site_fkey', onDelete: 'CASCADE' })] });
    const ops = compareSchemas(schema(site('text'), post('text')), schema(site('integer'), changedKey('integer')));
    assert.deepEqual(summary(ops), ['dropConstraint post foreignKey post_site_fkey', 'alterColumn post.siteId', 'alterColumn site.id', 'addConstraint post foreignKey post_site_fkey']);
    const added = ops[3];
    assert.ok(added.kind === 'addConstraint' && added.constraint.type === 'foreignKey' && added.constraint.onDelete === 'CASCADE');
    const gone = compareSchemas(schema(site('text'), post('text')), schema(site('integer'), table('post', [id(), col('siteId', 'integer')])));
    assert.deepEqual(summary(gone), ['dropConstraint post foreignKey post_site_fkey', 'alterColumn post.siteId', 'alterColumn site.id']);
  });

  it('leaves the key alone where the dialect lets types change under it (SQLite), and when no type changes', () => {
    const ops = compareSchemas(schema(site('text'), post('text')), schema(site('integer'), post('integer')), { typeChangesKeepForeignKeys: true });
    assert.deepEqual(summary(ops), ['alterColumn post.siteId', 'alterColumn site.id']);
    assert.deepEqual(compareSchemas(schema(site('text'), post('text')), schema(site('text'), post('text'))), []);
  });
});

describe('compareSchemas: index keys', () => {
  const withIndex = (index: Index): Schema => schema(table('doc', [id(), col('title', 'text'), col('body', 'jsonb')], { indexes: [index] }));
  const pg = { normalizeOpclass: normalizePgOpclass };

  it('a sort order or an operator class is part of the index: a change is a drop and a create', () => {
    const from = withIndex({ name: 'ix', columns: ['title'], unique: false });
    assert.deepEqual(summary(compareSchemas(from, withIndex({ name: 'ix', columns: [{ column: 'title', order: 'desc' }], unique: false }))), ['dropIndex doc.ix', 'createIndex doc.ix']);
    assert.deepEqual(summary(compareSchemas(from, withIndex({ name: 'ix', columns: [{ column: 'title', opclass: 'text_pattern_ops' }], unique: false }), pg)), [
      'dropIndex doc.ix',
      'createIndex doc.ix',
    ]);
  });

  it('spellings that mean the same compare equal: ASC, the default NULLS order, a default operator class', () => {
    const plain = withIndex({ name: 'ix', columns: ['title'], unique: false });
    assert.deepEqual(compareSchemas(plain, withIndex({ name: 'ix', columns: [{ column: 'title', nulls: 'last' }], unique: false })), []);
    const gin = (opclass?: string): Schema => withIndex({ name: 'ix', columns: [opclass ? { column: 'body', opclass } : 'body'], unique: false, using: 'gin' });
    assert.deepEqual(compareSchemas(gin(), gin('jsonb_ops'), pg), []);
    assert.notDeepEqual(compareSchemas(gin(), gin('jsonb_path_ops'), pg), []);
  });
});

describe('compareSchemas: collations', () => {
  const withCollation = (collation?: string, extra: Partial<Table> = {}): Schema =>
    schema(table('t', [id(), col('name', 'varchar(40)', collation === undefined ? {} : { collation })], extra));

  it('a collation the model states is compared, and reversed to what the database had', () => {
    const ops = compareSchemas(withCollation(), withCollation('C'));
    assert.deepEqual(ops, [{ kind: 'alterColumn', table: 't', column: 'name', changes: { collation: 'C' }, existing: { collation: null } }]);
    assert.deepEqual(reverseOperation(ops[0]), { kind: 'alterColumn', table: 't', column: 'name', changes: { collation: null }, existing: { collation: 'C' } });
  });

  it("a model that states none keeps the database's", () => {
    assert.deepEqual(compareSchemas(withCollation('C'), withCollation()), []);
  });

  it('SQLite folds case and reads BINARY as the default', () => {
    const sqlite = { ...sqliteOptions, normalizeCollation: sqliteCollation };
    assert.deepEqual(compareSchemas(withCollation('nocase'), withCollation('NOCASE'), sqlite), []);
    assert.deepEqual(compareSchemas(withCollation(), withCollation('BINARY'), sqlite), []);
    assert.deepEqual(summary(compareSchemas(withCollation('NOCASE'), withCollation('RTRIM'), sqlite)), ['alterColumn t.name']);
  });

  it("MySQL: a column that names none has its table's default collation", () => {
    const database = withCollation(undefined, { collation: 'utf8mb4_general_ci' });
    const options = { normalizeCollation: mysqlCollation };
    assert.deepEqual(compareSchemas(database, withCollation('UTF8MB4_GENERAL_CI'), options), []);
    assert.deepEqual(summary(compareSchemas(database, withCollation('utf8mb4_bin'), options)), ['alterColumn t.name']);
  });
});

describe('compareSchemas: enum values and the defaults that use them', () => {
  const withEnum = (values: string[], fallback: string): Schema => ({
    tables: [table('ticket', [id(), col('status', '"Status"', { nullable: false, default: `'${fallback}'::"Status"` })])],
    enums: [{ name: 'Status', values }],
  });

  it('values are added, then the default moves, then values are dropped: both ways round', () => {
    const from = withEnum(['ACTIVE', 'LEGACY'], 'LEGACY');
    const to = withEnum(['ACTIVE', 'PAUSED'], 'PAUSED');
    const ops = compareSchemas(from, to);
    assert.deepEqual(
      ops.map((op) => op.kind),
      ['addEnumValue', 'alterColumn', 'dropEnumValue'],
    );
    assert.deepEqual(ops[1], { kind: 'alterColumn', table: 'ticket', column: 'status', changes: { default: `'PAUSED'::"Status"` }, existing: { default: `'LEGACY'::"Status"` } });
    assert.deepEqual(reverseOperations(ops).map((op) => op.kind), ['addEnumValue', 'alterColumn', 'dropEnumValue']);
    const up = structuredClone(from);
    applyOperations(up, ops);
    assert.deepEqual(compareSchemas(up, to), []);
  });

  it('a column whose other parts change too keeps them in its own alterColumn, the default moved apart', () => {
    const from = withEnum(['ACTIVE', 'LEGACY'], 'LEGACY');
    const to = withEnum(['ACTIVE'], 'ACTIVE');
    to.tables[0].columns[1].nullable = true;
    const ops = compareSchemas(from, to);
    assert.deepEqual(
      ops.map((op) => (op.kind === 'alterColumn' ? `alterColumn ${Object.keys(op.changes).join(',')}` : op.kind)),
      ['alterColumn default', 'dropEnumValue', 'alterColumn nullable'],
    );
  });
});

describe('compareSchemas: an enum type under another name', () => {
  const roles = ['owner', 'member'];
  const withEnums = (enums: Schema['enums'], ...tables: Table[]): Schema => ({ tables, enums });

  it('is renamed, told by the column of it (TypeORM: an enumName given); the column is not retyped, its default follows', () => {
    const from = withEnums([{ name: 'account_main_enum', values: roles }, { name: 'account_past_enum', values: roles }], table('account', [id(), col('main', 'account_main_enum'), col('past', 'account_past_enum[]')]));
    const to = withEnums(
      [{ name: 'account_primaryrole_enum', values: roles }, { name: 'account_past_enum', values: roles }],
      table('account', [id(), col('main', 'account_primaryrole_enum', { default: "'member'::account_primaryrole_enum" }), col('past', 'account_past_enum[]')]),
    );
    from.tables[0].columns[1].default = "'member'::account_main_enum";
    const ops = compareSchemas(from, to);
    assert.deepEqual(ops.map((op) => op.kind), ['renameEnum']);
    assert.deepEqual(ops[0], { kind: 'renameEnum', from: 'account_main_enum', to: 'account_primaryrole_enum' });
    const after = structuredClone(from);
    applyOperations(after, ops);
    assert.deepEqual(compareSchemas(after, to), []);
    assert.deepEqual(reverseOperations(ops), [{ kind: 'renameEnum', from: 'account_primaryrole_enum', to: 'account_main_enum' }]);
  });

  it('is renamed by its values alone when no column tells and no other type has them; not when two do', () => {
    const from = withEnums([{ name: 'mood', values: ['sad', 'ok'] }]);
    assert.deepEqual(compareSchemas(from, withEnums([{ name: 'feeling', values: ['sad', 'ok'] }])), [{ kind: 'renameEnum', from: 'mood', to: 'feeling' }]);
    assert.deepEqual(
      compareSchemas(from, withEnums([{ name: 'feeling', values: ['sad', 'ok'] }, { name: 'humour', values: ['sad', 'ok'] }])).map((op) => op.kind),
      ['createEnum', 'createEnum', 'dropEnum'],
    );
    assert.deepEqual(compareSchemas(from, withEnums([{ name: 'feeling', values: ['ok', 'sad'] }])).map((op) => op.kind), ['createEnum', 'dropEnum']);
  });
});
