/** The PostgreSQL compiler's collations: COLLATE in a column, set and kept by ALTER COLUMN … TYPE. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePostgres } from '../../src/dialects/postgres/compiler.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const word = (): Table => ({
  name: 'word',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'text', type: 'character varying(40)', nullable: false, collation: 'C', default: "''::character varying" },
    { name: 'n', type: 'integer', nullable: true },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [],
  uniques: [],
  checks: [],
  foreignKeys: [],
});
const schema = (): Schema => ({ tables: [word()] });
const sql = (ops: Operation[]): string[] => compilePostgres(ops, schema()).statements;

describe('PostgreSQL compiler: collations', () => {
  it('writes COLLATE after the type, the name quoted', () => {
    assert.equal(sql([{ kind: 'createTable', table: { ...word(), name: 'w"2' } }])[0], `CREATE TABLE "w""2" ("id" integer NOT NULL, "text" character varying(40) COLLATE "C" NOT NULL DEFAULT ''::character varying, "n" integer, PRIMARY KEY ("id"))`);
  });

  it('sets a collation with ALTER COLUMN … TYPE of the type the column has; null is the default', () => {
    assert.deepEqual(sql([{ kind: 'alterColumn', table: 'word', column: 'text', changes: { collation: 'POSIX' } }]), ['ALTER TABLE "word" ALTER COLUMN "text" TYPE character varying(40) COLLATE "POSIX"']);
    assert.deepEqual(sql([{ kind: 'alterColumn', table: 'word', column: 'text', changes: { collation: null } }]), ['ALTER TABLE "word" ALTER COLUMN "text" TYPE character varying(40) COLLATE "default"']);
  });

  it('a collation alone on a column whose type is not known is an error naming the operation', () => {
    assert.throws(() => sql([{ kind: 'alterColumn', table: 'word', column: 'gone', changes: { collation: 'C' } }]), /alter column word\.gone: .*the column's type is not known/);
  });

  it('keeps the collation across a change to another character type, and drops it for a type that has none', () => {
    const longer = sql([{ kind: 'alterColumn', table: 'word', column: 'text', changes: { type: 'varchar(80)' } }]);
    assert.ok(longer.includes('ALTER TABLE "word" ALTER COLUMN "text" TYPE varchar(80) COLLATE "C" USING "text"::varchar(80)'), longer.join('\n'));
    const numeric = sql([{ kind: 'alterColumn', table: 'word', column: 'text', changes: { type: 'integer' } }]);
    assert.ok(numeric.includes('ALTER TABLE "word" ALTER COLUMN "text" TYPE integer USING "text"::integer'), numeric.join('\n'));
  });
});

describe('PostgreSQL compiler: a value made a list, and a list made a value', () => {
  it('a value becomes a one-element list (NULL stays NULL); a list keeps its first element', () => {
    assert.ok(sql([{ kind: 'alterColumn', table: 'word', column: 'n', changes: { type: 'integer[]' } }]).includes('ALTER TABLE "word" ALTER COLUMN "n" TYPE integer[] USING CASE WHEN "n" IS NULL THEN NULL ELSE ARRAY["n"]::integer[] END'));
    const s: Schema = { tables: [{ ...word(), columns: [...word().columns, { name: 'tags', type: 'text[]', nullable: true }] }] };
    assert.ok(compilePostgres([{ kind: 'alterColumn', table: 'word', column: 'tags', changes: { type: 'text' } }], s).statements.includes('ALTER TABLE "word" ALTER COLUMN "tags" TYPE text USING ("tags")[1]::text'));
  });
});
