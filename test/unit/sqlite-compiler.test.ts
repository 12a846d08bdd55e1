import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSqlite, defaultSql, REBUILD_PREFIX } from '../../src/dialects/sqlite/compiler.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Column, Schema, Table } from '../../src/schema/schema.js';

function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns, indexes: [], uniques: [], checks: [], foreignKeys: [], ...extra };
}
const idCol: Column = { name: 'id', type: 'integer', nullable: false, autoincrement: true };

/**
 * `order` (a keyword) with an indexed `qty`, a plain `note` and a column whose name has a quote.
 * Its key is a plain integer (no AUTOINCREMENT: that case has its own test).
 */
function orderSchema(): Schema {
  return {
    tables: [
      table(
        'order',
        [
          { name: 'id', type: 'integer', nullable: false },
          { name: 'qty', type: 'integer', nullable: true },
          { name: 'note', type: 'text', nullable: true },
          { name: 'a"b', type: 'varchar', nullable: true },
        ],
        { primaryKey: { columns: ['id'] }, indexes: [{ name: 'IDX_qty', columns: ['qty'], unique: false }] },
      ),
    ],
  };
}

const rebuildOf = (name: string, createTable: string, columns: string, select: string, indexes: string[] = []): string[] => [
  createTable,
  `INSERT INTO "_migrator_tmp_${name}" (${columns}) SELECT ${select} FROM "${name}"`,
  `DROP TABLE "${name}"`,
  ...swap(name),
  ...indexes,
];

/** The rename that puts the new table in place, with legacy_alter_table on around it. */
const swap = (name: string): string[] => ['PRAGMA legacy_alter_table = ON', `ALTER TABLE "_migrator_tmp_${name}" RENAME TO "${name}"`, 'PRAGMA legacy_alter_table = OFF'];

describe('compileSqlite: createTable', () => {
  const cases: { name: string; table: Table; sql: string }[] = [
    {
      name: 'quotes keywords and embedded quotes; AUTOINCREMENT inline with its key',
      table: table('order', [idCol, { name: 'a"b', type: 'varchar(20)', nullable: true }, { name: 'select', type: 'text', nullable: false, default: "'x'" }], {
        primaryKey: { columns: ['id'] },
      }),
      sql: 'CREATE TABLE "order" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "a""b" varchar(20), "select" text NOT NULL DEFAULT \'x\')',
    },
    {
      name: 'composite primary key as a table constraint',
      table: table(
        'post_tag',
        [
          { name: 'postId', type: 'integer', nullable: false },
          { name: 'tagId', type: 'integer', nullable: false },
        ],
        { primaryKey: { columns: ['postId', 'tagId'] } },
      ),
      sql: 'CREATE TABLE "post_tag" ("postId" integer NOT NULL, "tagId" integer NOT NULL, PRIMARY KEY ("postId", "tagId"))',
    },
    {
      name: 'single key without AUTOINCREMENT is a table constraint',
      table: table('t', [{ name: 'code', type: 'varchar', nullable: false }], { primaryKey: { columns: ['code'] } }),
      sql: 'CREATE TABLE "t" ("code" varchar NOT NULL, PRIMARY KEY ("code"))',
    },
    {
      name: 'constraints: unique, foreign key (actions default to NO ACTION), check; expression defaults in parentheses',
      table: table(
        'item',
        [idCol, { name: 'orderId', type: 'integer', nullable: true }, { name: 'at', type: 'datetime', nullable: false, default: "datetime('now')" }],
        {
          primaryKey: { columns: ['id'] },
          uniques: [{ name: 'UQ_item', columns: ['orderId', 'at'] }],
          foreignKeys: [{ name: 'FK_item_order', columns: ['orderId'], referencedTable: 'order', referencedColumns: ['id'], onDelete: 'CASCADE' }],
          checks: [{ expression: '"orderId" > 0' }],
        },
      ),
      sql:
        'CREATE TABLE "item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "orderId" integer, "at" datetime NOT NULL DEFAULT (datetime(\'now\')), ' +
        'CONSTRAINT "UQ_item" UNIQUE ("orderId", "at"), ' +
        'CONSTRAINT "FK_item_order" FOREIGN KEY ("orderId") REFERENCES "order" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, ' +
        'CHECK ("orderId" > 0))',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(compileSqlite([{ kind: 'createTable', table: c.table }], { tables: [] }), { statements: [c.sql], foreignKeysOff: false });
    });
  }

  const defaults: [string, string][] = [
    ["'draft'", "'draft'"],
    ['0', '0'],
    ['-1.5', '-1.5'],
    ['CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP'],
    ['NULL', 'NULL'],
    ["(datetime('now'))", "(datetime('now'))"],
    ["lower('A')", "(lower('A'))"],
    ['1 + 1', '(1 + 1)'],
  ];
  for (const [expression, sql] of defaults) {
    it(`default ${expression} is written as ${sql}`, () => assert.equal(defaultSql(expression), sql));
  }
});

describe('compileSqlite: in-place statements', () => {
  const cases: { name: string; op: Operation; sql: string }[] = [
    { name: 'drop table', op: { kind: 'dropTable', table: 'order' }, sql: 'DROP TABLE "order"' },
    { name: 'rename table', op: { kind: 'renameTable', from: 'order', to: 'purchase' }, sql: 'ALTER TABLE "order" RENAME TO "purchase"' },
    { name: 'rename column', op: { kind: 'renameColumn', table: 'order', from: 'a"b', to: 'ab' }, sql: 'ALTER TABLE "order" RENAME COLUMN "a""b" TO "ab"' },
    {
      name: 'add a nullable column',
      op: { kind: 'addColumn', table: 'order', column: { name: 'memo', type: 'text', nullable: true } },
      sql: 'ALTER TABLE "order" ADD COLUMN "memo" text',
    },
    {
      name: 'add a NOT NULL column with a literal default',
      op: { kind: 'addColumn', table: 'order', column: { name: 'status', type: 'varchar', nullable: false, default: "'new'" } },
      sql: 'ALTER TABLE "order" ADD COLUMN "status" varchar NOT NULL DEFAULT \'new\'',
    },
    { name: 'drop a column nothing refers to', op: { kind: 'dropColumn', table: 'order', column: 'note' }, sql: 'ALTER TABLE "order" DROP COLUMN "note"' },
    { name: 'drop a quoted column', op: { kind: 'dropColumn', table: 'order', column: 'a"b' }, sql: 'ALTER TABLE "order" DROP COLUMN "a""b"' },
    {
      name: 'create a partial unique index',
      op: { kind: 'createIndex', table: 'order', index: { name: 'IDX_note', columns: ['note', 'qty'], unique: true, where: '"qty" > 0' } },
      sql: 'CREATE UNIQUE INDEX "IDX_note" ON "order" ("note", "qty") WHERE "qty" > 0',
    },
    { name: 'drop an index', op: { kind: 'dropIndex', table: 'order', name: 'IDX_qty' }, sql: 'DROP INDEX "IDX_qty"' },
    { name: 'raw SQL', op: { kind: 'execute', sql: 'UPDATE "order" SET qty = 0' }, sql: 'UPDATE "order" SET qty = 0' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(compileSqlite([c.op], orderSchema()), { statements: [c.sql], foreignKeysOff: false });
    });
  }

  it('does not modify the schema it is given', () => {
    const schema = orderSchema();
    compileSqlite([{ kind: 'dropColumn', table: 'order', column: 'note' }, { kind: 'alterColumn', table: 'order', column: 'qty', changes: { type: 'bigint' } }], schema);
    assert.deepEqual(schema, orderSchema());
  });
});

describe('compileSqlite: rebuilds', () => {
  const fullCreate = (tmpCols: string): string => `CREATE TABLE "${REBUILD_PREFIX}order" (${tmpCols})`;
  const idSql = '"id" integer NOT NULL';
  const pkSql = 'PRIMARY KEY ("id")';
  const allCols = '"id", "qty", "note", "a""b"';
  const indexSql = 'CREATE INDEX "IDX_qty" ON "order" ("qty")';

  const nonNullAdds: { name: string; column: Column }[] = [
    { name: 'NOT NULL without default', column: { name: 'n', type: 'integer', nullable: false } },
    { name: 'an expression default', column: { name: 'n', type: 'datetime', nullable: true, default: 'CURRENT_TIMESTAMP' } },
  ];
  for (const c of nonNullAdds) {
    it(`addColumn with ${c.name} rebuilds the table`, () => {
      const { statements, foreignKeysOff } = compileSqlite([{ kind: 'addColumn', table: 'order', column: c.column }], orderSchema());
      assert.equal(foreignKeysOff, true);
      assert.equal(statements.length, 7); // create, copy, drop, the rename between two pragmas, the index
      assert.ok(statements[0].startsWith(`CREATE TABLE "_migrator_tmp_order" (${idSql}, `), statements[0]);
      assert.ok(statements[0].endsWith(`, ${pkSql})`), statements[0]);
      assert.ok(statements[0].includes(`"n" ${c.column.type}`), statements[0]);
      // The new column is not copied: it has no values yet.
      assert.equal(statements[1], `INSERT INTO "_migrator_tmp_order" (${allCols}) SELECT ${allCols} FROM "order"`);
      assert.deepEqual(statements.slice(2), ['DROP TABLE "order"', ...swap('order'), indexSql]);
    });
  }

  it('alterColumn to NOT NULL with a default: rebuild that fills NULLs with the default', () => {
    const ops: Operation[] = [{ kind: 'alterColumn', table: 'order', column: 'qty', changes: { nullable: false, default: '0' }, existing: { nullable: true, default: null } }];
    assert.deepEqual(compileSqlite(ops, orderSchema()), {
      statements: rebuildOf(
        'order',
        fullCreate(`${idSql}, "qty" integer NOT NULL DEFAULT 0, "note" text, "a""b" varchar, ${pkSql}`),
        allCols,
        '"id", coalesce("qty", 0), "note", "a""b"',
        [indexSql],
      ),
      foreignKeysOff: true,
    });
  });

  it('alterColumn of the type only copies the column as it is', () => {
    const { statements } = compileSqlite([{ kind: 'alterColumn', table: 'order', column: 'note', changes: { type: 'varchar(50)' } }], orderSchema());
    assert.deepEqual(
      statements,
      rebuildOf('order', fullCreate(`${idSql}, "qty" integer, "note" varchar(50), "a""b" varchar, ${pkSql}`), allCols, allCols, [indexSql]),
    );
  });

  it('several changes to one table in a row share exactly one rebuild', () => {
    const ops: Operation[] = [
      { kind: 'alterColumn', table: 'order', column: 'qty', changes: { nullable: false, default: '1' } },
      { kind: 'alterColumn', table: 'order', column: 'note', changes: { type: 'varchar(50)' } },
      { kind: 'addColumn', table: 'order', column: { name: 'memo', type: 'text', nullable: true } },
      { kind: 'addConstraint', table: 'order', constraint: { type: 'check', name: 'CHK_qty', expression: '"qty" > 0' } },
      { kind: 'createIndex', table: 'order', index: { name: 'IDX_note', columns: ['note'], unique: false } },
    ];
    const { statements, foreignKeysOff } = compileSqlite(ops, orderSchema());
    assert.equal(foreignKeysOff, true);
    assert.equal(statements.filter((s) => s.startsWith('CREATE TABLE')).length, 1);
    assert.equal(statements.filter((s) => s.startsWith('DROP TABLE')).length, 1);
    assert.deepEqual(
      statements,
      rebuildOf(
        'order',
        fullCreate(`${idSql}, "qty" integer NOT NULL DEFAULT 1, "note" varchar(50), "a""b" varchar, "memo" text, ${pkSql}, CONSTRAINT "CHK_qty" CHECK ("qty" > 0)`),
        allCols,
        '"id", coalesce("qty", 1), "note", "a""b"',
        [indexSql, 'CREATE INDEX "IDX_note" ON "order" ("note")'],
      ),
    );
  });

  it('rebuilding an AUTOINCREMENT table keeps the inline key and carries its sequence over before the DROP', () => {
    const schema: Schema = {
      tables: [table('t', [idCol, { name: 'a', type: 'integer', nullable: true }], { primaryKey: { columns: ['id'] } })],
    };
    const { statements } = compileSqlite([{ kind: 'alterColumn', table: 't', column: 'a', changes: { nullable: false, default: '0' } }], schema);
    assert.equal(statements[0], 'CREATE TABLE "_migrator_tmp_t" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "a" integer NOT NULL DEFAULT 0)');
    assert.equal(statements[1], 'INSERT INTO "_migrator_tmp_t" ("id", "a") SELECT "id", coalesce("a", 0) FROM "t"');
    const drop = statements.indexOf('DROP TABLE "t"');
    const sequence = statements.filter((s) => s.includes('sqlite_sequence'));
    assert.ok(sequence.length > 0, 'the sequence is carried over');
    assert.ok(sequence.every((s) => statements.indexOf(s) > 1 && statements.indexOf(s) < drop), statements.join('\n'));
    assert.deepEqual(statements.slice(drop), ['DROP TABLE "t"', ...swap('t')]);
  });

  it('changes to another table in between end the rebuild', () => {
    const schema = orderSchema();
    schema.tables.push(table('other', [{ name: 'x', type: 'text', nullable: true }]));
    const ops: Operation[] = [
      { kind: 'alterColumn', table: 'order', column: 'note', changes: { nullable: false } },
      { kind: 'addColumn', table: 'other', column: { name: 'y', type: 'text', nullable: true } },
      { kind: 'alterColumn', table: 'order', column: 'note', changes: { type: 'varchar' } },
    ];
    const { statements } = compileSqlite(ops, schema);
    assert.equal(statements.filter((s) => s === 'DROP TABLE "order"').length, 2);
    assert.ok(statements.includes('ALTER TABLE "other" ADD COLUMN "y" text'));
    assert.ok(statements.indexOf('ALTER TABLE "other" ADD COLUMN "y" text') > statements.indexOf('DROP TABLE "order"'));
  });

  it('dropping an unnamed check constraint rebuilds without it', () => {
    const schema: Schema = { tables: [table('t', [{ name: 'a', type: 'integer', nullable: true }], { checks: [{ expression: 'a > 0' }] })] };
    const { statements, foreignKeysOff } = compileSqlite([{ kind: 'dropConstraint', table: 't', ref: { type: 'check', expression: 'a  >  0' } }], schema);
    assert.equal(foreignKeysOff, true);
    assert.deepEqual(statements, rebuildOf('t', 'CREATE TABLE "_migrator_tmp_t" ("a" integer)', '"a"', '"a"'));
  });

  it('dropping a constraint that is not there is an error', () => {
    assert.throws(() => compileSqlite([{ kind: 'dropConstraint', table: 'order', ref: { type: 'unique', name: 'UQ_none' } }], orderSchema()), /sqlite cannot drop unique constraint UQ_none on order: no such constraint/);
  });

  it('rebuilding a table that is not in the schema is an error', () => {
    assert.throws(() => compileSqlite([{ kind: 'alterColumn', table: 'ghost', column: 'a', changes: { nullable: false } }], orderSchema()), /table "ghost" does not exist/);
  });

  it('dropColumn of an indexed column rebuilds the table', () => {
    const { statements, foreignKeysOff } = compileSqlite([{ kind: 'dropColumn', table: 'order', column: 'qty' }], orderSchema());
    assert.equal(foreignKeysOff, true);
    assert.equal(statements[0], fullCreate(`${idSql}, "note" text, "a""b" varchar, ${pkSql}`));
    assert.equal(statements[1], 'INSERT INTO "_migrator_tmp_order" ("id", "note", "a""b") SELECT "id", "note", "a""b" FROM "order"');
    assert.ok(!statements.some((s) => s.startsWith('ALTER TABLE "order" DROP COLUMN')));
  });

  it('dropColumn of an indexed column does not recreate an index on the dropped column', () => {
    // The rebuilt table has no "qty"; `CREATE INDEX "IDX_qty" ON "order" ("qty")` would fail with
    // "no such column". The index goes with its column (as DROP COLUMN does on PostgreSQL).
    const { statements } = compileSqlite([{ kind: 'dropColumn', table: 'order', column: 'qty' }], orderSchema());
    const afterRebuild = statements.slice(statements.indexOf('PRAGMA legacy_alter_table = OFF') + 1);
    assert.deepEqual(
      afterRebuild.filter((s) => s.includes('"qty"')),
      [],
      `statements after the rebuild mention the dropped column:\n${afterRebuild.join('\n')}`,
    );
  });

  it('dropColumn of a column another table references rebuilds', () => {
    const schema = orderSchema();
    schema.tables.push(
      table('line', [{ name: 'orderNote', type: 'text', nullable: true }], {
        foreignKeys: [{ columns: ['orderNote'], referencedTable: 'order', referencedColumns: ['note'] }],
      }),
    );
    const { statements } = compileSqlite([{ kind: 'dropColumn', table: 'order', column: 'note' }], schema);
    assert.ok(statements[0].startsWith('CREATE TABLE "_migrator_tmp_order"'), statements[0]);
  });
});

describe('index keys', () => {
  const create = (columns: Operation & { kind: 'createIndex' } extends { index: infer I } ? I extends { columns: infer C } ? C : never : never): string[] =>
    compileSqlite([{ kind: 'createIndex', table: 'order', index: { name: 'ix', columns, unique: false } }], orderSchema()).statements;

  it('a column name is always quoted, whatever it holds; an expression is one only when said so', () => {
    assert.deepEqual(create(['id); DROP TABLE "order"; --']), ['CREATE INDEX "ix" ON "order" ("id); DROP TABLE ""order""; --")']);
    assert.deepEqual(create(['first name', 'lower(x)']), ['CREATE INDEX "ix" ON "order" ("first name", "lower(x)")']);
    assert.deepEqual(create([{ expression: 'lower("note")' }]), ['CREATE INDEX "ix" ON "order" ((lower("note")))']);
  });

  it('DESC is written; ASC and the default NULLS order are not', () => {
    assert.deepEqual(create([{ column: 'qty', order: 'desc' }, { column: 'note', nulls: 'last' }]), ['CREATE INDEX "ix" ON "order" ("qty" DESC, "note")']);
  });

  it('an operator class, a NULLS order SQLite lacks, or another method is an error, never dropped', () => {
    assert.throws(() => create([{ column: 'note', opclass: 'text_pattern_ops' }]), /sqlite cannot create index ix with operator class text_pattern_ops/);
    assert.throws(() => create([{ column: 'note', nulls: 'first' }]), /sqlite cannot create index ix with NULLS FIRST/);
    assert.throws(
      () => compileSqlite([{ kind: 'createIndex', table: 'order', index: { name: 'ix', columns: ['note'], unique: false, using: 'gin' } }], orderSchema()),
      /sqlite cannot create index ix USING gin/,
    );
  });
});

describe('compileSqlite: collations', () => {
  it('writes a collation quoted, and a rebuild that changes one writes the column anew', () => {
    const t = table('word', [{ name: 'id', type: 'integer', nullable: false }, { name: 'text', type: 'varchar(40)', nullable: false, collation: 'NOCASE' }], { primaryKey: { columns: ['id'] } });
    assert.deepEqual(compileSqlite([{ kind: 'createTable', table: t }], { tables: [] }).statements, [
      'CREATE TABLE "word" ("id" integer NOT NULL, "text" varchar(40) NOT NULL COLLATE "NOCASE", PRIMARY KEY ("id"))',
    ]);
    const { statements } = compileSqlite([{ kind: 'alterColumn', table: 'word', column: 'text', changes: { collation: 'RTRIM' } }], { tables: [t] });
    assert.equal(statements[0], 'CREATE TABLE "_migrator_tmp_word" ("id" integer NOT NULL, "text" varchar(40) NOT NULL COLLATE "RTRIM", PRIMARY KEY ("id"))');
    const typeOnly = compileSqlite([{ kind: 'alterColumn', table: 'word', column: 'text', changes: { type: 'varchar(80)' } }], { tables: [t] }).statements;
    assert.equal(typeOnly[0], 'CREATE TABLE "_migrator_tmp_word" ("id" integer NOT NULL, "text" varchar(80) NOT NULL COLLATE "NOCASE", PRIMARY KEY ("id"))');
  });
});
