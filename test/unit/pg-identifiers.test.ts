/**
 * Names as PostgreSQL keeps them: the first 63 UTF-8 bytes, never half a character; a models'
 * schema rewritten into those names with every reference following, and names that would become
 * one refused. (test/e2e/pg-long-names.test.ts holds the same cuts against a real server.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitIdentifiers, truncateIdentifier } from '../../src/dialects/postgres/identifiers.js';
import { MigratorError } from '../../src/errors.js';
import { emptyTable, type Schema, type Table } from '../../src/schema/schema.js';

const bytes = (s: string): number => Buffer.byteLength(s);

describe('truncateIdentifier', () => {
  const cases: [what: string, name: string, kept: string][] = [
    ['ASCII, 70 bytes: the first 63', 'a'.repeat(60) + 'bcdefghijk', 'a'.repeat(60) + 'bcd'],
    ['exactly 63 bytes: whole', 'x'.repeat(63), 'x'.repeat(63)],
    ['64 bytes of 2-byte characters: 31 of them (62 bytes)', 'é'.repeat(32), 'é'.repeat(31)],
    ['64 bytes, 3-byte characters after one ASCII: 20 of them (61 bytes)', `a${'日'.repeat(21)}`, `a${'日'.repeat(20)}`],
    ['63 bytes of 3-byte characters: whole', '日'.repeat(21), '日'.repeat(21)],
    ['emoji (4 bytes) across byte 63: cut before it (60 bytes)', `abcd${'😀'.repeat(15)}`, `abcd${'😀'.repeat(14)}`],
    ['emoji ending exactly at byte 63: kept', `abc${'😀'.repeat(15)}x`, `abc${'😀'.repeat(15)}`],
    ['mixed widths', `Überweisungsaufträge_für_die_vierteljährliche_Abstimmung_der_Kreditoren`, 'Überweisungsaufträge_für_die_vierteljährliche_Abstimmung_de'],
  ];
  for (const [what, name, kept] of cases) {
    it(what, () => {
      const cut = truncateIdentifier(name);
      assert.equal(cut, kept);
      assert.ok(bytes(cut) <= 63, `${bytes(cut)} bytes`);
      assert.ok(name.startsWith(cut));
      // The longest such prefix: one more character would not fit.
      if (cut !== name) assert.ok(bytes(name.slice(0, cut.length + (name.codePointAt(cut.length)! > 0xffff ? 2 : 1))) > 63);
    });
  }

  it('short names are returned as they are', () => {
    for (const name of ['', 'id', 'Straße', '振込先', '😀']) assert.equal(truncateIdentifier(name), name);
  });
});

const LONG_TABLE = 'ledger_entries_for_the_quarterly_reconciliation_of_accounts_payable'; // 67 bytes
const LONG_COLUMN = 'amount_in_the_currency_of_the_original_invoice_before_any_discount'; // 66 bytes
const LONG_ENUM = 'reconciliation_status_of_ledger_entries_for_the_quarterly_accounts'; // 66 bytes
const cut = truncateIdentifier;

let tables = 0;
/** A table with an `id` primary key (its constraint named apart from every other) and what `fill` adds. */
function table(name: string, fill: (t: Table) => void = () => undefined): Table {
  const t = emptyTable(name);
  t.columns.push({ name: 'id', type: 'integer', nullable: false });
  t.primaryKey = { name: `pk_${++tables}`, columns: ['id'] };
  fill(t);
  return t;
}

describe('fitIdentifiers', () => {
  it('cuts every name and every reference: keys, index keys, foreign keys, enum types of columns', () => {
    const ledger = table(LONG_TABLE, (t) => {
      t.primaryKey = { name: `pk_${LONG_COLUMN}`, columns: ['id'] };
      t.columns.push(
        { name: LONG_COLUMN, type: 'integer', nullable: false },
        { name: 'status', type: LONG_ENUM, nullable: false, default: "'open'" },
        { name: 'history', type: `${LONG_ENUM}[]`, nullable: true },
      );
      t.indexes.push({ name: `index_on_${LONG_TABLE}`, columns: [LONG_COLUMN, { column: 'status', order: 'desc' }, { expression: `abs("${LONG_COLUMN}")` }], unique: false, where: `"${LONG_COLUMN}" > 0` });
      t.uniques.push({ name: `unique_${LONG_COLUMN}`, columns: [LONG_COLUMN, 'id'] });
      t.checks.push({ name: `check_${LONG_COLUMN}`, expression: `"${LONG_COLUMN}" >= 0` });
    });
    const transfer = table('transfers', (t) => {
      t.columns.push({ name: 'ledger_amount', type: 'integer', nullable: false });
      t.foreignKeys.push({ name: 'FK_transfers_ledger', columns: ['ledger_amount', 'id'], referencedTable: LONG_TABLE, referencedColumns: [LONG_COLUMN, 'id'], onDelete: 'CASCADE' });
    });
    const schema: Schema = { tables: [ledger, transfer], enums: [{ name: LONG_ENUM, values: ['open', 'closed'] }] };
    fitIdentifiers(schema);

    const [l, t] = schema.tables;
    assert.equal(l.name, cut(LONG_TABLE));
    assert.deepEqual(l.columns.map((c) => [c.name, c.type]), [
      ['id', 'integer'],
      [cut(LONG_COLUMN), 'integer'],
      ['status', cut(LONG_ENUM)],
      ['history', `${cut(LONG_ENUM)}[]`],
    ]);
    assert.deepEqual(l.primaryKey, { name: cut(`pk_${LONG_COLUMN}`), columns: ['id'] });
    // Expressions stay as written: PostgreSQL cuts the names in them as it parses them.
    assert.deepEqual(l.indexes, [
      { name: cut(`index_on_${LONG_TABLE}`), columns: [cut(LONG_COLUMN), { column: 'status', order: 'desc' }, { expression: `abs("${LONG_COLUMN}")` }], unique: false, where: `"${LONG_COLUMN}" > 0` },
    ]);
    assert.deepEqual(l.uniques, [{ name: cut(`unique_${LONG_COLUMN}`), columns: [cut(LONG_COLUMN), 'id'] }]);
    assert.deepEqual(l.checks, [{ name: cut(`check_${LONG_COLUMN}`), expression: `"${LONG_COLUMN}" >= 0` }]);
    assert.deepEqual(t.foreignKeys, [{ name: 'FK_transfers_ledger', columns: ['ledger_amount', 'id'], referencedTable: cut(LONG_TABLE), referencedColumns: [cut(LONG_COLUMN), 'id'], onDelete: 'CASCADE' }]);
    assert.deepEqual(schema.enums, [{ name: cut(LONG_ENUM), values: ['open', 'closed'] }]);
  });

  it('a quoted enum type name loses its quotes when the cut leaves a plain lower-case name, as format_type prints it', () => {
    const quotedOnlyAfterByte63 = `${'e'.repeat(63)}Kind`;
    const stillQuoted = `Kind_${'e'.repeat(63)}`;
    const schema: Schema = {
      tables: [table('things', (t) => t.columns.push({ name: 'a', type: `"${quotedOnlyAfterByte63}"`, nullable: true }, { name: 'b', type: `"${stillQuoted}"[]`, nullable: true }))],
      enums: [
        { name: quotedOnlyAfterByte63, values: ['x'] },
        { name: stillQuoted, values: ['y'] },
      ],
    };
    fitIdentifiers(schema);
    assert.deepEqual(schema.tables[0].columns.map((c) => c.type), ['integer', 'e'.repeat(63), `"${cut(stillQuoted)}"[]`]);
  });

  it('a schema with no long name is left exactly as it was', () => {
    const schema: Schema = { tables: [table('users', (t) => t.indexes.push({ name: 'IDX_users_id', columns: ['id'], unique: true }))], enums: [{ name: 'Mood', values: ['ok'] }] };
    const before = structuredClone(schema);
    fitIdentifiers(schema);
    assert.deepEqual(schema, before);
  });

  /** The MigratorError `schema` is refused with. */
  const refusal = (schema: Schema): string => {
    let message = '';
    assert.throws(
      () => fitIdentifiers(schema),
      (e: Error) => {
        assert.ok(e instanceof MigratorError, `${e.name}: ${e.message}`);
        message = e.message;
        return true;
      },
    );
    assert.ok(!message.includes('\n'), message);
    return message;
  };
  const A = `${'a'.repeat(63)}_one`;
  const B = `${'a'.repeat(63)}_two`;

  it('two tables the same in their first 63 bytes: both full names, the kept one, and what to change', () => {
    const message = refusal({ tables: [table(A), table(B)] });
    assert.equal(
      message,
      `tables "${A}" and "${B}" are both "${'a'.repeat(63)}" in PostgreSQL, which keeps the first 63 bytes of a name; shorten one (@Entity({ name }) / @@map)`,
    );
  });

  it('two columns of one table; a column name may repeat in another table', () => {
    const message = refusal({ tables: [table('t', (t) => t.columns.push({ name: A, type: 'text', nullable: true }, { name: B, type: 'text', nullable: true }))] });
    assert.match(message, new RegExp(`^columns "${A}" and "${B}" of table "t" are both "a{63}" .*\\(@Column\\(\\{ name \\}\\) / @map\\)$`));
    const apart: Schema = { tables: [table('t', (t) => t.columns.push({ name: A, type: 'text', nullable: true })), table('u', (t) => t.columns.push({ name: B, type: 'text', nullable: true }))] };
    fitIdentifiers(apart);
    assert.deepEqual(apart.tables.map((t) => t.columns[1].name), ['a'.repeat(63), 'a'.repeat(63)]);
  });

  it('an index and a table share a namespace; so do a table and an enum type; constraints of one table share one', () => {
    assert.match(refusal({ tables: [table(A), table('t', (t) => t.indexes.push({ name: B, columns: ['id'], unique: false }))] }), new RegExp(`^table "${A}" and index "${B}" of table "t" are both`));
    assert.match(refusal({ tables: [table(A)], enums: [{ name: B, values: ['x'] }] }), new RegExp(`^enum type "${B}" and table "${A}" are both`));
    assert.match(
      refusal({
        tables: [
          table('t', (t) => {
            t.columns.push({ name: 'n', type: 'integer', nullable: true });
            t.checks.push({ name: A, expression: 'n > 0' }, { name: B, expression: 'n < 9' });
          }),
        ],
      }),
      new RegExp(`^check constraints "${A}" and "${B}" of table "t" are both .*\\(@Check\\('name', …\\)\\)$`),
    );
    // Foreign keys of two tables may share a name; their primary keys' indexes may not.
    const fk = (name: string) => (t: Table) => t.foreignKeys.push({ name, columns: ['id'], referencedTable: 'p', referencedColumns: ['id'] });
    fitIdentifiers({ tables: [table('p'), table('t', fk(A)), table('u', fk(B))] });
    const pk = (name: string) => (t: Table) => (t.primaryKey = { name, columns: ['id'] });
    assert.match(refusal({ tables: [table('t', pk(A)), table('u', pk(B))] }), new RegExp(`^primary key "${A}" of table "t" and primary key "${B}" of table "u" are both`));
  });
});
