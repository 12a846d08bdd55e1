import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCreateTable as parseFull, parseIndexWhere, type ParsedColumn, type ParsedTable } from '../../src/dialects/sqlite/parse.js';

type Shape = Omit<ParsedColumn, 'text' | 'generated' | 'collate'>;

const column = (name: string, type: string, extra: Partial<Shape> = {}): Shape => ({
  name,
  type,
  autoincrement: false,
  primaryKey: false,
  unique: false,
  checks: [],
  ...extra,
});

/** The parse without the as-written texts (asserted on their own below). */
function parseCreateTable(sql: string): { columns: Shape[]; constraints: Omit<ParsedTable['constraints'][number], 'text'>[]; strict: boolean; withoutRowid: boolean } {
  const t = parseFull(sql);
  return {
    columns: t.columns.map(({ text: _t, generated: _g, collate: _c, ...rest }) => rest),
    constraints: t.constraints.map(({ text: _t, ...rest }) => rest),
    strict: t.strict,
    withoutRowid: t.withoutRowid,
  };
}

describe('parseCreateTable', () => {
  const typeormStyle =
    'CREATE TABLE "order_item" (' +
    '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, ' +
    `"role" varchar CHECK( "role" IN ('admin','user') ) NOT NULL DEFAULT ('user'), ` +
    '"a" varchar(255) NOT NULL, "b" decimal(10, 2), "orderId" integer, "qty" integer, ' +
    'CONSTRAINT "UQ_x" UNIQUE ("a", "b"), ' +
    'CONSTRAINT "FK_y" FOREIGN KEY ("orderId") REFERENCES "order" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, ' +
    'CONSTRAINT "CHK_z" CHECK ("qty" >= 0), ' +
    'PRIMARY KEY ("a", "b"))';

  it('reads columns: names, declared types as written, AUTOINCREMENT, inline checks', () => {
    assert.deepEqual(parseCreateTable(typeormStyle).columns, [
      column('id', 'integer', { primaryKey: true, autoincrement: true }),
      column('role', 'varchar', { checks: [`"role" IN ('admin','user')`] }),
      column('a', 'varchar(255)'),
      column('b', 'decimal(10, 2)'),
      column('orderId', 'integer'),
      column('qty', 'integer'),
    ]);
  });

  it('reads table constraints with their names, columns and check expressions', () => {
    assert.deepEqual(parseCreateTable(typeormStyle).constraints, [
      { kind: 'unique', name: 'UQ_x', columns: ['a', 'b'] },
      { kind: 'foreignKey', name: 'FK_y', columns: ['orderId'] },
      { kind: 'check', name: 'CHK_z', columns: [], expression: '"qty" >= 0' },
      { kind: 'primaryKey', name: undefined, columns: ['a', 'b'] },
    ]);
  });

  it('is neither STRICT nor WITHOUT ROWID unless it says so', () => {
    const t = parseCreateTable(typeormStyle);
    assert.equal(t.strict, false);
    assert.equal(t.withoutRowid, false);
    const s = parseCreateTable('CREATE TABLE t (a INT PRIMARY KEY, b TEXT) STRICT, WITHOUT ROWID');
    assert.equal(s.strict, true);
    assert.equal(s.withoutRowid, true);
  });

  const columnCases: { name: string; sql: string; expected: ParsedColumn[] }[] = [
    {
      name: 'unquoted, backtick and bracket identifiers; multi-word types',
      sql: 'CREATE TABLE t (plain INTEGER, `tick` UNSIGNED BIG INT, [brack et] VARCHAR ( 20 ))',
      expected: [column('plain', 'INTEGER'), column('tick', 'UNSIGNED BIG INT'), column('brack et', 'VARCHAR ( 20 )')],
    },
    {
      name: 'doubled quotes inside an identifier',
      sql: 'CREATE TABLE "t" ("a""b" text, "order" integer)',
      expected: [column('a"b', 'text'), column('order', 'integer')],
    },
    {
      name: 'a column without a type',
      sql: 'CREATE TABLE t ("x" NOT NULL, "y")',
      expected: [column('x', ''), column('y', '')],
    },
    {
      name: 'column-level UNIQUE, named constraint, REFERENCES and DEFAULT expressions',
      sql: `CREATE TABLE t ("code" varchar CONSTRAINT "uq" UNIQUE NOT NULL, "p" integer REFERENCES "parent" ("id") ON DELETE SET NULL, "at" datetime DEFAULT (datetime('now')), "n" integer DEFAULT -1)`,
      expected: [column('code', 'varchar', { unique: true }), column('p', 'integer'), column('at', 'datetime'), column('n', 'integer')],
    },
    {
      name: 'several checks; commas, parentheses and keywords inside strings and checks',
      sql: `CREATE TABLE t ("s" text CHECK (length("s") > 0) CHECK ("s" <> 'a, b) CHECK'), "u" text DEFAULT 'x, (y' NOT NULL)`,
      expected: [column('s', 'text', { checks: ['length("s") > 0', `"s" <> 'a, b) CHECK'`] }), column('u', 'text')],
    },
    {
      name: 'comments are skipped',
      sql: 'CREATE TABLE t (\n  -- the key\n  "id" integer /* inline, comment */ PRIMARY KEY,\n  "v" text\n)',
      expected: [column('id', 'integer', { primaryKey: true }), column('v', 'text')],
    },
  ];
  for (const c of columnCases) {
    it(c.name, () => assert.deepEqual(parseCreateTable(c.sql).columns, c.expected));
  }

  it('unnamed table constraints, and a composite foreign key', () => {
    const t = parseCreateTable(
      'CREATE TABLE "t" ("a" int, "b" int, UNIQUE ("a"), CHECK ("a" < "b"), FOREIGN KEY ("a", "b") REFERENCES "p" ("x", "y"), CONSTRAINT "PK_t" PRIMARY KEY ("a"))',
    );
    assert.deepEqual(t.constraints, [
      { kind: 'unique', name: undefined, columns: ['a'] },
      { kind: 'check', name: undefined, columns: [], expression: '"a" < "b"' },
      { kind: 'foreignKey', name: undefined, columns: ['a', 'b'] },
      { kind: 'primaryKey', name: 'PK_t', columns: ['a'] },
    ]);
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['a', 'b'],
    );
  });

  it('a table name that looks like SQL does not confuse it', () => {
    const t = parseCreateTable('CREATE TABLE "we(ird, name" ("id" integer)');
    assert.deepEqual(t.columns, [column('id', 'integer')]);
  });

  it('no column list gives an empty result', () => {
    assert.deepEqual(parseCreateTable('CREATE TABLE t AS SELECT 1'), { columns: [], constraints: [], strict: false, withoutRowid: false });
  });
});

describe('parseIndexWhere', () => {
  const cases: [string, string | undefined][] = [
    ['CREATE INDEX "IDX_a" ON "t" ("a") WHERE "a" > 0', '"a" > 0'],
    ['CREATE UNIQUE INDEX "IDX_a" ON "t" ("a", "b") WHERE "deletedAt" IS NULL;', '"deletedAt" IS NULL'],
    ['create index i on t (a) where a in (1, 2) and b is not null', 'a in (1, 2) and b is not null'],
    ['CREATE INDEX "IDX_a" ON "t" ("a")', undefined],
    ['CREATE INDEX "where" ON "where" ("where")', undefined],
    [`CREATE INDEX i ON t (a) WHERE b = 'WHERE x'`, `b = 'WHERE x'`],
    ['CREATE INDEX i ON t (coalesce(a, b)) WHERE a > (SELECT 1)', 'a > (SELECT 1)'],
  ];
  for (const [sql, expected] of cases) {
    it(`${sql} → ${expected ?? 'undefined'}`, () => assert.equal(parseIndexWhere(sql), expected));
  }
});

describe('parseCreateTable: definitions as written', () => {
  const sql =
    'CREATE TABLE "t" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text COLLATE NOCASE NOT NULL, ' +
    '"full" text GENERATED ALWAYS AS (upper("name")) VIRTUAL, CONSTRAINT "UQ_n" UNIQUE ("name")) STRICT';

  it('keeps each column and constraint definition exactly as written', () => {
    const t = parseFull(sql);
    assert.deepEqual(
      t.columns.map((c) => c.text),
      ['"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL', '"name" text COLLATE NOCASE NOT NULL', '"full" text GENERATED ALWAYS AS (upper("name")) VIRTUAL'],
    );
    assert.deepEqual(t.constraints.map((c) => c.text), ['CONSTRAINT "UQ_n" UNIQUE ("name")']);
  });

  it('reads collations, generated columns and the table options', () => {
    const t = parseFull(sql);
    assert.equal(t.columns[1].collate, 'NOCASE');
    assert.deepEqual(t.columns.map((c) => c.generated), [false, false, true]);
    assert.equal(t.options, 'STRICT');
    assert.equal(t.strict, true);
  });
});
