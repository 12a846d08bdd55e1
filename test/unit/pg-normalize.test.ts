/**
 * PostgreSQL's comparison of defaults and expressions: what a model writes and what the catalog
 * reports back after storing it (pairs observed on PostgreSQL 15, as test/e2e/prisma-syntax and
 * the TypeORM compatibility tests produce them) compare equal; values that differ stay different.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePgExpression } from '../../src/dialects/postgres/expressions.js';
import { normalizePgDefault, normalizePgType } from '../../src/dialects/postgres/types.js';

const sameDefault = (type: string, written: string, reported: string): void =>
  assert.equal(normalizePgDefault(written, { type }), normalizePgDefault(reported, { type }), `${written} ≡ ${reported} (${type})`);
const otherDefault = (type: string, a: string, b: string): void =>
  assert.notEqual(normalizePgDefault(a, { type }), normalizePgDefault(b, { type }), `${a} ≠ ${b} (${type})`);

describe('PostgreSQL defaults compare by meaning', () => {
  it('arrays: the constructor cast, quoted negative numbers, spacing', () => {
    sameDefault('"Role"[]', `ARRAY['USER', 'ADMIN']::"Role"[]`, `ARRAY['USER'::"Role", 'ADMIN'::"Role"]`);
    sameDefault('integer[]', 'ARRAY[1, -2]::INTEGER[]', "ARRAY[1, '-2'::integer]");
    sameDefault('text[]', 'ARRAY[]::TEXT[]', 'ARRAY[]::text[]');
    otherDefault('text[]', "ARRAY['a']::text[]", "ARRAY['A']::text[]");
  });

  it('arrays: an array literal (a hand-written DEFAULT \'{}\') is the ARRAY constructor of its elements', () => {
    sameDefault('text[]', 'ARRAY[]::text[]', "'{}'::text[]");
    sameDefault('integer[]', 'ARRAY[]::integer[]', "'{}'::integer[]");
    sameDefault('text[]', "ARRAY['a']::text[]", "'{a}'::text[]");
    sameDefault('text[]', "ARRAY['NEW', 'a b', 'it''s', 'x\\y', '1']::text[]", `'{NEW,"a b",it''s,"x\\\\y",1}'::text[]`);
    sameDefault('integer[]', 'ARRAY[1, -2]::integer[]', "'{1,-2}'::integer[]");
    sameDefault('boolean[]', 'ARRAY[true, false]::boolean[]', "'{t,f}'::boolean[]");
    sameDefault('"Role"[]', `ARRAY['USER']::"Role"[]`, `'{USER}'::"Role"[]`);
    sameDefault('character varying(10)[]', "ARRAY['a']::VARCHAR(10)[]", "'{a}'::character varying[]");
    otherDefault('text[]', "ARRAY['a']::text[]", "'{A}'::text[]");
    otherDefault('text[]', "ARRAY['a', 'b']::text[]", "'{\"a,b\"}'::text[]");
    otherDefault('text[]', 'ARRAY[]::text[]', "'{\"\"}'::text[]");
    otherDefault('text[]', "ARRAY['NULL']::text[]", "'{NULL}'::text[]");
    // A string column whose default merely looks like an array literal is compared as text.
    otherDefault('text', "'{}'", 'ARRAY[]::text[]');
  });

  it('numbers exactly: quoted, cast, trailing zeros — and integers beyond 2^53 stay apart', () => {
    sameDefault('bigint', '0', "'0'::bigint");
    sameDefault('bigint', '9007199254740993', "'9007199254740993'::bigint");
    sameDefault('numeric(10,2)', "'1.5'", '1.50');
    sameDefault('double precision', '-2', "'-2'::integer");
    otherDefault('bigint', '9007199254740993', '9007199254740992');
  });

  it('JSON of json/jsonb columns by value, strings of other columns by their text', () => {
    sameDefault('jsonb', `'{"b":1,"a":[1,2]}'`, `'{"a": [1, 2], "b": 1}'::jsonb`);
    otherDefault('text', `'{"a":1}'`, `'{"a": 1}'`);
    otherDefault('text', "'a 007'", "'a 7'");
  });

  it('date and time literals by the value the column stores', () => {
    sameDefault('date', "'2024-01-01 00:00:00 +00:00'", "'2024-01-01'::date");
    sameDefault('timestamp(3) without time zone', "'2024-01-01 12:34:56.789 +02:00'", "'2024-01-01 12:34:56.789'::timestamp without time zone");
    sameDefault('timestamp(6) with time zone', "'2024-01-01 02:00:00 +02:00'", "'2024-01-01 00:00:00+00'::timestamp with time zone");
    sameDefault('time(3) without time zone', "'2024-01-01 10:20:30 +00:00'", "'10:20:30'::time without time zone");
    otherDefault('timestamp(6) with time zone', "'2024-01-01 00:00:00 +02:00'", "'2024-01-01 00:00:00+00'::timestamp with time zone");
  });

  it('casts to a quoted type name with doubled quotes inside it, as format_type prints an enum named mood"; DROP TYPE x; --', () => {
    sameDefault('"mood""; DROP TYPE x; --"', "'it''s'", `'it''s'::"mood""; DROP TYPE x; --"`);
    sameDefault('"a""b"[]', `ARRAY['x', 'y']::"a""b"[]`, `ARRAY['x'::"a""b", 'y'::"a""b"]`);
    otherDefault('"mood""; DROP TYPE x; --"', "'it''s'", `'its'::"mood""; DROP TYPE x; --"`);
  });

  it('parentheses inside a quoted name do not count when the outer ones are taken off', () => {
    sameDefault('integer', `"f)"() + 1`, `("f)"() + 1)`);
    otherDefault('integer', `("f(" + 1) + (2)`, `"f(" + 1) + (2`);
  });
});

describe('PostgreSQL expressions compare by meaning', () => {
  const same = (written: string, reported: string): void => assert.equal(normalizePgExpression(written), normalizePgExpression(reported), `${written} ≡ ${reported}`);

  it('the parentheses, casts and operator spellings PostgreSQL re-prints with', () => {
    same(`("status" = 'published' AND "score" = -1)`, `((status = 'published'::text) AND (score = '-1'::integer))`);
    same(`"status" != 'archived' AND "editorId" IS NOT NULL`, `((status <> 'archived'::text) AND ("editorId" IS NOT NULL))`);
    same(`"price" > 0`, '(price > (0)::numeric)');
    same(`lower("email") = 'x'`, `(lower((email)::text) = 'x'::text)`);
  });

  it('string literals keep their case, arithmetic its parentheses', () => {
    assert.notEqual(normalizePgExpression("status = 'Active'"), normalizePgExpression("status = 'active'"));
    assert.notEqual(normalizePgExpression('(a + b) * 2 > 1'), normalizePgExpression('a + b * 2 > 1'));
    assert.notEqual(normalizePgExpression('(a = 1 OR b = 2) AND c = 3'), normalizePgExpression('a = 1 OR b = 2 AND c = 3'));
  });
});

describe('PostgreSQL types compare by meaning', () => {
  it('a time or timestamp of precision 6 is one without a precision, as PostgreSQL and Prisma read it', () => {
    assert.equal(normalizePgType('timestamptz(6)'), normalizePgType('timestamp with time zone'));
    assert.equal(normalizePgType('timestamp(6) without time zone'), normalizePgType('timestamp'));
    assert.equal(normalizePgType('time(6)'), normalizePgType('time without time zone'));
    assert.equal(normalizePgType('timetz(6)[]'), normalizePgType('time with time zone[]'));
    assert.notEqual(normalizePgType('timestamptz(3)'), normalizePgType('timestamptz'));
  });
});
