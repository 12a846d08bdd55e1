/**
 * MySQL's comparison of types: what a model writes and what information_schema.COLUMNS reports
 * back (COLUMN_TYPE, pairs observed on MariaDB 10.11) compare equal; types that differ stay
 * different. And of indexes: what MariaDB 10.11 stores for a plain index or unique index on a
 * column too long for a key (an automatic prefix, a HASH) compares as the index the model states.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mysqlDialect } from '../../src/dialects/mysql/index.js';
import { normalizeMysqlType } from '../../src/dialects/mysql/types.js';
import { compareSchemas } from '../../src/diff/compare.js';
import { emptyTable, type Column, type Index, type IndexKey, type Table } from '../../src/schema/schema.js';

const sameType = (written: string, reported: string): void => assert.equal(normalizeMysqlType(written), normalizeMysqlType(reported), `${written} ≡ ${reported}`);
const otherType = (a: string, b: string): void => assert.notEqual(normalizeMysqlType(a), normalizeMysqlType(b), `${a} ≠ ${b}`);

describe('MySQL types compare by meaning', () => {
  it('FLOAT(p) is FLOAT up to 24 bits of precision and DOUBLE from 25; FLOAT(M,D) stays', () => {
    sameType('float(6)', 'float');
    sameType('FLOAT(24)', 'float');
    sameType('float(25)', 'double');
    sameType('float(53)', 'double');
    otherType('float(7,2)', 'float');
    otherType('float(24)', 'double');
  });

  it('YEAR is four digits, as MariaDB (year(4)) and MySQL 8 (year) report it', () => {
    sameType('year', 'year(4)');
    sameType('YEAR', 'year');
  });

  it('integer display widths drop; a boolean is tinyint(1), a plain tinyint reported as tinyint(4) is tinyint', () => {
    sameType('tinyint', 'tinyint(4)');
    sameType('int', 'int(11)');
    sameType('smallint', 'smallint(6)');
    sameType('boolean', 'tinyint(1)');
    otherType('tinyint', 'tinyint(1)');
  });
});

/** A table as the MySQL introspector reads one: utf8mb4 by default, its columns and one index. */
function tableWith(index: Index, columns: Column[] = [], collation = 'utf8mb4_general_ci'): Table {
  return { ...emptyTable('t'), collation, columns: [{ name: 'id', type: 'int(11)', nullable: false }, ...columns], primaryKey: { columns: ['id'] }, indexes: [index] };
}

/** What comparing `database` with `models` (each a table holding one index) finds to do, by kind. */
function indexOps(database: Table, models: Table): string[] {
  return compareSchemas({ tables: [database] }, { tables: [models] }, mysqlDialect.compareOptions).map((op) => op.kind);
}

describe('MariaDB builds a plain index on a column too long for a key: it compares as the index stated', () => {
  const text = (name: string, type = 'text', collation?: string): Column => ({ name, type, nullable: true, ...(collation ? { collation } : {}) });
  const plain = (key: IndexKey, unique = false): Index => ({ name: 'IDX_a', columns: [key], unique });

  it('a plain index on a TEXT column, stored with the prefix MariaDB gives it (3072 bytes / 4 for utf8mb4), is the whole-column index', () => {
    const stored = tableWith(plain({ column: 'a', length: 768 }), [text('a')]);
    assert.deepEqual(indexOps(stored, tableWith(plain('a'), [text('a')])), []);
    // A model that states the same prefix says the same.
    assert.deepEqual(indexOps(stored, tableWith(plain({ column: 'a', length: 768 }), [text('a')])), []);
    assert.deepEqual(indexOps(tableWith(plain('a'), [text('a')]), tableWith(plain({ column: 'a', length: 768 }), [text('a')])), []);
  });

  it('the automatic prefix follows the character set and the type, as MariaDB 10.11 stores them', () => {
    const cases: [Column, number][] = [
      [text('a', 'mediumtext'), 768],
      [text('a', 'longtext'), 768],
      [text('a', 'tinytext'), 255],
      [text('a', 'blob'), 3072],
      [text('a', 'longblob'), 3072],
      [text('a', 'text', 'latin1_swedish_ci'), 3072],
      [text('a', 'text', 'utf8mb3_general_ci'), 1024],
      [text('a', 'text', 'ucs2_general_ci'), 1536],
      [text('a', 'varchar(1000)'), 768],
      [text('a', 'varbinary(4000)'), 3072],
    ];
    for (const [column, length] of cases) {
      const what = `${column.type} ${column.collation ?? 'utf8mb4'}`;
      assert.deepEqual(indexOps(tableWith(plain({ column: 'a', length }), [column]), tableWith(plain('a'), [column])), [], `${what}: (${length}) is the whole column`);
      assert.deepEqual(indexOps(tableWith(plain({ column: 'a', length: length - 1 }), [column]), tableWith(plain('a'), [column])), ['dropIndex', 'createIndex'], `${what}: (${length - 1}) is a prefix`);
    }
  });

  it('a prefix the model states is compared: another length, a column a key holds whole, a unique index', () => {
    const a = [text('a')];
    assert.deepEqual(indexOps(tableWith(plain({ column: 'a', length: 768 }), a), tableWith(plain({ column: 'a', length: 10 }), a)), ['dropIndex', 'createIndex']);
    assert.deepEqual(indexOps(tableWith(plain({ column: 'a', length: 10 }), a), tableWith(plain('a'), a)), ['dropIndex', 'createIndex']);
    // varchar(768) in utf8mb4 is 3072 bytes, which a key holds whole: a prefix of 768 would be a model's own.
    const v = [text('a', 'varchar(768)')];
    assert.deepEqual(indexOps(tableWith(plain({ column: 'a', length: 700 }), v), tableWith(plain('a'), v)), ['dropIndex', 'createIndex']);
    // A unique index on a prefix enforces uniqueness of the prefix alone: MariaDB makes a whole-column unique a HASH instead.
    assert.deepEqual(indexOps(tableWith(plain({ column: 'a', length: 768 }, true), a), tableWith(plain('a', true), a)), ['dropIndex', 'createIndex']);
  });

  it('a unique index on a long column, which MariaDB keeps USING HASH, is the unique index', () => {
    const hashed: Index = { name: 'IDX_u', columns: ['a'], unique: true, using: 'hash' };
    const unique: Index = { name: 'IDX_u', columns: ['a'], unique: true };
    assert.deepEqual(indexOps(tableWith(hashed, [text('a')]), tableWith(unique, [text('a')])), []);
    assert.deepEqual(indexOps(tableWith({ ...hashed, columns: ['v', 'a'] }, [text('v', 'varchar(10)'), text('a')]), tableWith({ ...unique, columns: ['v', 'a'] }, [text('v', 'varchar(10)'), text('a')])), []);
    // A plain index is compared with its method as before.
    assert.deepEqual(indexOps(tableWith({ ...hashed, unique: false }, [text('a')]), tableWith({ ...unique, unique: false }, [text('a')])), ['dropIndex', 'createIndex']);
  });
});
