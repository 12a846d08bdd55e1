import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { applyOperations, SchemaApplyError } from '../../src/operations/apply.js';
import { Operations } from '../../src/operations/api.js';
import type { Operation } from '../../src/operations/operation.js';
import { renderOperation, tsString } from '../../src/operations/render.js';
import { IrreversibleOperationError, reverseOperation, reverseOperations } from '../../src/operations/reverse.js';
import { compareSchemas } from '../../src/diff/compare.js';
import { cloneSchema, findTable, type Schema, type Table } from '../../src/schema/schema.js';

function startSchema(): Schema {
  const customer: Table = {
    name: 'customer',
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'email', type: 'varchar(255)', nullable: false },
      { name: 'nickname', type: 'varchar', nullable: true, default: "'anon'" },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'IDX_email', columns: ['email'], unique: false }],
    uniques: [{ name: 'UQ_email', columns: ['email'] }],
    checks: [{ name: 'CHK_email', expression: "email <> ''" }],
    foreignKeys: [],
  };
  const order: Table = {
    name: 'order',
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'customerId', type: 'integer', nullable: true },
      { name: 'qty', type: 'integer', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'IDX_order_customer', columns: ['customerId'], unique: false }],
    uniques: [],
    checks: [{ expression: 'qty >= 0' }],
    foreignKeys: [{ name: 'FK_order_customer', columns: ['customerId'], referencedTable: 'customer', referencedColumns: ['id'], onDelete: 'CASCADE' }],
  };
  const audit: Table = {
    name: 'audit',
    columns: [{ name: 'id', type: 'integer', nullable: false }],
    primaryKey: { columns: ['id'] },
    indexes: [],
    uniques: [],
    checks: [],
    foreignKeys: [],
  };
  return { tables: [customer, order, audit] };
}

/** Applies `ops` to a copy of `schema`; returns the result. */
function applied(schema: Schema, ops: readonly Operation[]): Schema {
  const s = cloneSchema(schema);
  applyOperations(s, ops);
  return s;
}

describe('reverseOperations: an upgrade followed by its reverse gives the original schema', () => {
  const cases: { name: string; ops: Operation[]; check?: (after: Schema) => void }[] = [
    {
      name: 'create table',
      ops: [
        {
          kind: 'createTable',
          table: { name: 'tag', columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] },
        },
      ],
      check: (s) => assert.ok(findTable(s, 'tag')),
    },
    {
      name: 'drop table (with definition)',
      ops: [{ kind: 'dropTable', table: 'audit', definition: startSchema().tables[2] }],
      check: (s) => assert.equal(findTable(s, 'audit'), undefined),
    },
    {
      name: 'rename table (foreign keys follow)',
      ops: [{ kind: 'renameTable', from: 'customer', to: 'client' }],
      check: (s) => assert.equal(findTable(s, 'order')!.foreignKeys[0].referencedTable, 'client'),
    },
    {
      name: 'add column',
      ops: [{ kind: 'addColumn', table: 'order', column: { name: 'note', type: 'text', nullable: true, default: "''" } }],
      check: (s) => assert.equal(findTable(s, 'order')!.columns.length, 4),
    },
    {
      // As the differ emits it: the check on the column is dropped first, then the column.
      name: 'drop column (with definition)',
      ops: [
        { kind: 'dropConstraint', table: 'order', ref: { type: 'check', expression: 'qty >= 0' }, definition: { type: 'check', expression: 'qty >= 0' } },
        { kind: 'dropColumn', table: 'order', column: 'qty', definition: { name: 'qty', type: 'integer', nullable: true } },
      ],
      check: (s) => assert.equal(findTable(s, 'order')!.columns.length, 2),
    },
    {
      name: 'alter column type, nullability and default',
      ops: [
        {
          kind: 'alterColumn',
          table: 'order',
          column: 'qty',
          changes: { type: 'bigint', nullable: false, default: '0' },
          existing: { type: 'integer', nullable: true, default: null },
        },
      ],
      check: (s) => assert.deepEqual(findTable(s, 'order')!.columns[2], { name: 'qty', type: 'bigint', nullable: false, default: '0' }),
    },
    {
      name: 'alter column: remove a default',
      ops: [{ kind: 'alterColumn', table: 'customer', column: 'nickname', changes: { default: null }, existing: { default: "'anon'" } }],
      check: (s) => assert.equal(findTable(s, 'customer')!.columns[2].default, undefined),
    },
    {
      name: 'rename column (keys, indexes and references follow)',
      ops: [{ kind: 'renameColumn', table: 'customer', from: 'id', to: 'customer_id' }],
      check: (s) => {
        assert.deepEqual(findTable(s, 'customer')!.primaryKey, { columns: ['customer_id'] });
        assert.deepEqual(findTable(s, 'order')!.foreignKeys[0].referencedColumns, ['customer_id']);
      },
    },
    {
      name: 'create and drop indexes',
      ops: [
        { kind: 'createIndex', table: 'order', index: { name: 'IDX_qty', columns: ['qty'], unique: true, where: 'qty > 0' } },
        { kind: 'dropIndex', table: 'customer', name: 'IDX_email', definition: { name: 'IDX_email', columns: ['email'], unique: false } },
      ],
      check: (s) => assert.deepEqual(findTable(s, 'customer')!.indexes, []),
    },
    {
      name: 'add constraints of every type',
      ops: [
        { kind: 'addConstraint', table: 'order', constraint: { type: 'unique', columns: ['customerId', 'qty'] } },
        { kind: 'addConstraint', table: 'order', constraint: { type: 'check', name: 'CHK_qty', expression: 'qty < 1000' } },
        {
          kind: 'addConstraint',
          table: 'audit',
          constraint: { type: 'foreignKey', name: 'FK_audit', columns: ['id'], referencedTable: 'order', referencedColumns: ['id'], onDelete: 'SET NULL' },
        },
      ],
      check: (s) => assert.equal(findTable(s, 'audit')!.foreignKeys.length, 1),
    },
    {
      name: 'drop constraints by name and by shape (with definitions)',
      ops: [
        { kind: 'dropConstraint', table: 'customer', ref: { type: 'unique', name: 'UQ_email' }, definition: { type: 'unique', name: 'UQ_email', columns: ['email'] } },
        { kind: 'dropConstraint', table: 'order', ref: { type: 'check', expression: 'qty >= 0' }, definition: { type: 'check', expression: 'qty >= 0' } },
        {
          kind: 'dropConstraint',
          table: 'order',
          ref: { type: 'foreignKey', name: 'FK_order_customer' },
          definition: { type: 'foreignKey', ...startSchema().tables[1].foreignKeys[0] },
        },
      ],
      check: (s) => {
        assert.deepEqual(findTable(s, 'customer')!.uniques, []);
        assert.deepEqual(findTable(s, 'order')!.checks, []);
        assert.deepEqual(findTable(s, 'order')!.foreignKeys, []);
      },
    },
    {
      name: 'a mixed revision',
      ops: [
        { kind: 'addColumn', table: 'order', column: { name: 'status', type: 'varchar', nullable: false, default: "'new'" } },
        { kind: 'createIndex', table: 'order', index: { name: 'IDX_status', columns: ['status'], unique: false } },
        { kind: 'renameColumn', table: 'order', from: 'status', to: 'state' },
        { kind: 'alterColumn', table: 'order', column: 'state', changes: { nullable: true }, existing: { nullable: false } },
        { kind: 'renameTable', from: 'order', to: 'purchase' },
        { kind: 'dropTable', table: 'audit', definition: startSchema().tables[2] },
      ],
      check: (s) => assert.deepEqual(findTable(s, 'purchase')!.indexes[1].columns, ['state']),
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const original = startSchema();
      const upgraded = applied(original, c.ops);
      assert.notDeepEqual(upgraded, original, 'the upgrade changes the schema');
      c.check?.(upgraded);
      const downgraded = applied(upgraded, reverseOperations(c.ops));
      assert.deepEqual(downgraded, original);
    });
  }

  it('the differ\'s own operations reverse back to the starting schema', () => {
    const from = startSchema();
    const to = startSchema();
    const order = findTable(to, 'order')!;
    order.columns[2] = { name: 'qty', type: 'integer', nullable: false, default: '1' };
    order.columns.push({ name: 'note', type: 'text', nullable: true });
    order.foreignKeys[0].onDelete = 'RESTRICT';
    order.checks = [{ name: 'CHK_qty', expression: 'qty > 0' }];
    to.tables = to.tables.filter((t) => t.name !== 'audit');
    const ops = compareSchemas(from, to);
    assert.ok(ops.length >= 5);
    // Equal up to order within lists: re-added items go last, as in a database.
    const sorted = (s: Schema): Schema => {
      const c = cloneSchema(s);
      c.tables.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const t of c.tables) for (const list of [t.columns, t.indexes, t.uniques, t.checks, t.foreignKeys] as { name?: string; expression?: string }[][])
        list.sort((a, b) => ((a.name ?? a.expression ?? '') < (b.name ?? b.expression ?? '') ? -1 : 1));
      return c;
    };
    assert.deepEqual(sorted(applied(from, ops)), sorted(to));
    assert.deepEqual(sorted(applied(to, reverseOperations(ops))), sorted(from));
  });
});

describe('reverseOperation', () => {
  it('reverseOperations undoes in the opposite order', () => {
    const ops: Operation[] = [
      { kind: 'renameTable', from: 'a', to: 'b' },
      { kind: 'renameColumn', table: 'b', from: 'x', to: 'y' },
    ];
    assert.deepEqual(reverseOperations(ops), [
      { kind: 'renameColumn', table: 'b', from: 'y', to: 'x' },
      { kind: 'renameTable', from: 'b', to: 'a' },
    ]);
  });

  it('alterColumn swaps changes and existing for the changed keys only', () => {
    assert.deepEqual(
      reverseOperation({ kind: 'alterColumn', table: 't', column: 'c', changes: { default: "'x'" }, existing: { default: null, type: 'text', nullable: true } }),
      { kind: 'alterColumn', table: 't', column: 'c', changes: { default: null }, existing: { default: "'x'" } },
    );
  });

  it('constraints are dropped by name when named, by shape when not', () => {
    assert.deepEqual(reverseOperation({ kind: 'addConstraint', table: 't', constraint: { type: 'check', expression: 'a > 0' } }), {
      kind: 'dropConstraint',
      table: 't',
      ref: { type: 'check', expression: 'a > 0' },
      definition: { type: 'check', expression: 'a > 0' },
    });
    const named = reverseOperation({ kind: 'addConstraint', table: 't', constraint: { type: 'unique', name: 'UQ_a', columns: ['a'] } });
    assert.ok(named.kind === 'dropConstraint');
    assert.deepEqual(named.ref, { type: 'unique', name: 'UQ_a' });
  });

  const irreversible: { name: string; op: Operation; message: RegExp }[] = [
    { name: 'raw SQL', op: { kind: 'execute', sql: 'UPDATE t SET a = 1' }, message: /raw SQL cannot be reversed/ },
    { name: 'drop table without definition', op: { kind: 'dropTable', table: 'users' }, message: /dropping table users: its definition is unknown/ },
    { name: 'drop column without definition', op: { kind: 'dropColumn', table: 'users', column: 'age' }, message: /dropping column users\.age/ },
    { name: 'drop index without definition', op: { kind: 'dropIndex', table: 'users', name: 'IDX_age' }, message: /dropping index IDX_age/ },
    {
      name: 'drop constraint without definition',
      op: { kind: 'dropConstraint', table: 'users', ref: { type: 'foreignKey', name: 'FK_x' } },
      message: /dropping a foreignKey constraint on users/,
    },
    { name: 'alter column without existing', op: { kind: 'alterColumn', table: 'users', column: 'age', changes: { nullable: false } }, message: /previous state is unknown/ },
    {
      name: 'alter column with existing missing a changed key',
      op: { kind: 'alterColumn', table: 'users', column: 'age', changes: { nullable: false, type: 'bigint' }, existing: { nullable: true } },
      message: /altering type of users\.age: its previous value is unknown/,
    },
  ];
  for (const c of irreversible) {
    it(`${c.name} is irreversible`, () => {
      assert.throws(() => reverseOperation(c.op), (e: Error) => {
        assert.ok(e instanceof IrreversibleOperationError);
        assert.equal(e.operation, c.op);
        assert.match(e.message, c.message);
        return true;
      });
      assert.throws(() => reverseOperations([{ kind: 'renameTable', from: 'a', to: 'b' }, c.op]), IrreversibleOperationError);
    });
  }

  it('applying to a missing table is a SchemaApplyError', () => {
    assert.throws(() => applied(startSchema(), [{ kind: 'dropColumn', table: 'nope', column: 'x' }]), SchemaApplyError);
  });
});

/** Transpiles `code` inside an async function; returns syntax errors (none for valid TypeScript). */
function syntaxErrors(code: string): string[] {
  const source = `export async function upgrade(op: any): Promise<void> {\n${code}\n}\n`;
  const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Runs rendered statements against a real `Operations` recorder; returns what it recorded. */
async function runRendered(code: string): Promise<Operation[]> {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const op = new Operations();
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (op: Operations) => Promise<void>;
  await new AsyncFunction('op', js)(op);
  return op.recorded;
}

/** The first line is written after `indent` by the caller, so it counts. */
function lineLengths(rendered: string, indent: string): number[] {
  return rendered.split('\n').map((l, i) => (i === 0 ? indent.length : 0) + l.length);
}

describe('renderOperation', () => {
  const exact: { op: Operation; expected: string }[] = [
    { op: { kind: 'dropTable', table: 'order' }, expected: "await op.dropTable('order');" },
    { op: { kind: 'renameTable', from: 'a', to: 'b' }, expected: "await op.renameTable('a', 'b');" },
    { op: { kind: 'dropColumn', table: 'order', column: 'qty', definition: { name: 'qty', type: 'integer', nullable: true } }, expected: "await op.dropColumn('order', 'qty');" },
    { op: { kind: 'renameColumn', table: 't', from: 'a', to: 'b' }, expected: "await op.renameColumn('t', 'a', 'b');" },
    {
      op: { kind: 'addColumn', table: 'order', column: { name: 'qty', type: 'integer', nullable: false, default: '0' } },
      expected: "await op.addColumn('order', { name: 'qty', type: 'integer', nullable: false, default: '0' });",
    },
    {
      op: { kind: 'alterColumn', table: 't', column: 'c', changes: { default: null }, existing: { default: "'x'" } },
      expected: "await op.alterColumn('t', 'c', { default: null });",
    },
    {
      op: { kind: 'createIndex', table: 't', index: { name: 'IDX_a', columns: ['a', 'b'], unique: true } },
      expected: "await op.createIndex('t', { name: 'IDX_a', columns: ['a', 'b'], unique: true });",
    },
    {
      op: { kind: 'createIndex', table: 't', index: { name: 'IDX_a', columns: ['a'], unique: false } },
      expected: "await op.createIndex('t', { name: 'IDX_a', columns: ['a'] });",
    },
    { op: { kind: 'dropIndex', table: 't', name: 'IDX_a' }, expected: "await op.dropIndex('t', 'IDX_a');" },
    {
      op: { kind: 'dropConstraint', table: 'order', ref: { type: 'foreignKey', name: 'FK_x' } },
      expected: "await op.dropConstraint('order', 'FK_x', 'foreignKey');",
    },
    {
      op: { kind: 'dropConstraint', table: 't', ref: { type: 'unique', columns: ['a', 'b'] } },
      expected: "await op.dropConstraint('t', { type: 'unique', columns: ['a', 'b'] });",
    },
    {
      op: { kind: 'addConstraint', table: 't', constraint: { type: 'check', name: 'CHK_a', expression: "a <> 'x'" } },
      expected: `await op.createCheckConstraint('t', { name: 'CHK_a', expression: "a <> 'x'" });`,
    },
    { op: { kind: 'execute', sql: "UPDATE t SET a = 'b'" }, expected: `await op.execute("UPDATE t SET a = 'b'");` },
  ];
  for (const c of exact) {
    it(`renders ${c.op.kind} exactly: ${c.expected}`, () => {
      assert.equal(renderOperation(c.op), c.expected);
    });
  }

  const longTable: Operation = {
    kind: 'createTable',
    table: {
      name: 'order_item',
      columns: [
        { name: 'id', type: 'integer', nullable: false, autoincrement: true },
        { name: 'orderId', type: 'integer', nullable: false },
        { name: 'note', type: 'varchar(255)', nullable: true, default: "'none'", comment: 'memo' },
      ],
      primaryKey: { columns: ['id'] },
      indexes: [],
      uniques: [{ name: 'UQ_order_item', columns: ['orderId', 'note'] }],
      checks: [],
      foreignKeys: [
        { name: 'FK_order_item_order_0123456789abcdef', columns: ['orderId'], referencedTable: 'order', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
      ],
    },
  };

  it('wraps a long createTable over lines, one entry a line', () => {
    assert.equal(
      renderOperation(longTable, '  '),
      [
        "await op.createTable('order_item', {",
        '    columns: [',
        "      { name: 'id', type: 'integer', nullable: false, autoincrement: true },",
        "      { name: 'orderId', type: 'integer', nullable: false },",
        "      { name: 'note', type: 'varchar(255)', nullable: true, default: \"'none'\", comment: 'memo' },",
        '    ],',
        "    primaryKey: { columns: ['id'] },",
        "    uniques: [{ name: 'UQ_order_item', columns: ['orderId', 'note'] }],",
        '    foreignKeys: [',
        '      {',
        "        name: 'FK_order_item_order_0123456789abcdef',",
        "        columns: ['orderId'],",
        "        referencedTable: 'order',",
        "        referencedColumns: ['id'],",
        "        onDelete: 'CASCADE',",
        "        onUpdate: 'NO ACTION',",
        '      },',
        '    ],',
        '  });',
      ].join('\n'),
    );
  });

  it('is deterministic', () => {
    assert.equal(renderOperation(structuredClone(longTable), '  '), renderOperation(longTable, '  '));
  });

  it('rendered statements are valid TypeScript that records the same operations', async () => {
    const ops: Operation[] = [longTable, ...exact.map((c) => c.op).filter((op) => op.kind !== 'dropColumn' && op.kind !== 'alterColumn')];
    const code = ops.map((op) => `  ${renderOperation(op, '  ')}`).join('\n');
    assert.deepEqual(syntaxErrors(code), []);
    const recorded = await runRendered(code);
    assert.deepEqual(recorded, ops);
  });

  it('every line of long statements stays within 100 characters', () => {
    const from: Schema = { tables: [] };
    const to = startSchema();
    to.tables.push(longTable.kind === 'createTable' ? longTable.table : (undefined as never));
    const ops = [...compareSchemas(from, to), ...reverseOperations(compareSchemas(from, to))];
    for (const indent of ['', '  ', '    ']) {
      for (const op of ops) {
        const rendered = renderOperation(op, indent);
        assert.deepEqual(syntaxErrors(rendered), [], rendered);
        for (const n of lineLengths(rendered, indent)) assert.ok(n <= 100, `line of ${n} characters in:\n${rendered}`);
      }
    }
  });

  it('wraps a statement that is just over 100 characters (101-102 with the indent)', () => {
    // 100 characters on its own; 102 once written after the two-space indent it is rendered for.
    const op: Operation = { kind: 'addColumn', table: 'order', column: { name: 'x', type: 'varchar(255)', nullable: false, default: "'abc'" } };
    const rendered = renderOperation(op, '  ');
    const lengths = lineLengths(rendered, '  ');
    assert.ok(
      lengths.every((n) => n <= 100),
      `lines of ${lengths.join(', ')} characters:\n  ${rendered}`,
    );
  });
});

describe('tsString', () => {
  const cases: [string, string][] = [
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`both ' and "`, `'both \\' and "'`],
    ['back\\slash', "'back\\\\slash'"],
    ["it's a\\b", `"it's a\\\\b"`],
    ['line\nbreak\r\n', "'line\\nbreak\\r\\n'"],
    ['', "''"],
    ['a\u2028b\u2029c\u0085d', "'a\\u2028b\\u2029c\\x85d'"],
    ['\t\v\f\b\0\x1b\x7f', "'\\t\\v\\f\\b\\x00\\x1b\\x7f'"],
    ['rtl\u202eltr', "'rtl\\u202eltr'"],
    ['lone \ud800', "'lone \\ud800'"],
    ['pair \ud83d\ude00', "'pair \ud83d\ude00'"],
  ];
  for (const [input, expected] of cases) {
    it(`quotes ${JSON.stringify(input)} as ${expected}`, () => assert.equal(tsString(input), expected));
  }

  it('every literal evaluates back to the original string', () => {
    for (const s of [...cases.map(([i]) => i), 'a\u2028b\u2029c', "'\"\\'\\\"", 'tab\there', '${not.a.template}', '\0' + '1', '`x`', 'a\rexport const x = 1']) {
      const literal = tsString(s);
      assert.ok(!/[\n\r\u2028\u2029]/.test(literal), 'a literal is one line');
      assert.equal(new Function(`return ${literal};`)(), s);
    }
  });
});
