/** MySQL type normalisation: what a model declares and what information_schema reports compare equal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeMysqlType } from '../../src/dialects/mysql/types.js';

describe('normalizeMysqlType', () => {
  it('YEAR: MariaDB reports year(4) for the year a model declares', () => {
    assert.equal(normalizeMysqlType('year(4)'), normalizeMysqlType('year'));
    assert.equal(normalizeMysqlType('YEAR'), 'year');
  });
});
