/**
 * MySQL's comparison of types: what a model writes and what information_schema.COLUMNS reports
 * back (COLUMN_TYPE, pairs observed on MariaDB 10.11) compare equal; types that differ stay
 * different.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeMysqlType } from '../../src/dialects/mysql/types.js';

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
