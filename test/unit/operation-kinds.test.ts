/**
 * Every operation kind is handled everywhere operations are told apart by kind: one sample of
 * each kind goes through describe, summarize, reverse, render, apply, collapse, the online forms,
 * the data-loss probes, the drift summary and both dialects' compilers. The compiler already
 * refuses a per-kind table that leaves a kind out (see the check at the end of
 * src/operations/kinds.ts); this is the same promise at run time, and a kind no table knows is
 * refused by name rather than skipped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { driftOf } from '../../src/commands/history.js';
import { quoteIdentifier, quoteLiteral, UnsupportedOperationError } from '../../src/dialects/dialect.js';
import { postgresDialect } from '../../src/dialects/postgres/index.js';
import { compilePostgres } from '../../src/dialects/postgres/compiler.js';
import { sqliteDialect } from '../../src/dialects/sqlite/index.js';
import { compileSqlite } from '../../src/dialects/sqlite/compiler.js';
import { dataLossProbes } from '../../src/diff/data-loss.js';
import { onlineForms } from '../../src/diff/online.js';
import { applyOperation } from '../../src/operations/apply.js';
import { collapseOperations } from '../../src/operations/collapse.js';
import { OPERATION_KINDS, UnknownOperationKindError } from '../../src/operations/kinds.js';
import { describeOperation, operationTable, summarizeOperation, type Operation, type OperationKind } from '../../src/operations/operation.js';
import { renderOperation } from '../../src/operations/render.js';
import { IrreversibleOperationError, reverseOperation } from '../../src/operations/reverse.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const audit: Table = { name: 'audit', columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] };

/** A schema every sample below applies to. */
function startSchema(): Schema {
  const users: Table = {
    name: 'users',
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'email', type: 'varchar(255)', nullable: false },
      { name: 'name', type: 'text', nullable: true },
      { name: 'bio', type: 'text', nullable: true },
      { name: 'mood', type: 'mood', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'ix_email', columns: ['email'], unique: false }],
    uniques: [{ name: 'uq_email', columns: ['email'] }],
    checks: [{ name: 'ck_email', expression: "email <> ''" }],
    foreignKeys: [],
  };
  const posts: Table = {
    name: 'posts',
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'userId', type: 'integer', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [],
    uniques: [],
    checks: [],
    foreignKeys: [{ name: 'fk_user', columns: ['userId'], referencedTable: 'users', referencedColumns: ['id'] }],
  };
  return { tables: [users, posts, structuredClone(audit)], enums: [{ name: 'mood', values: ['sad', 'ok', 'happy'] }], extensions: ['pgcrypto'] };
}

/** One operation of each kind, keyed by its kind. */
const SAMPLES: Record<OperationKind, Operation> = {
  createTable: {
    kind: 'createTable',
    table: { name: 'tags', columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] },
  },
  dropTable: { kind: 'dropTable', table: 'audit', definition: audit },
  renameTable: { kind: 'renameTable', from: 'posts', to: 'articles' },
  addColumn: { kind: 'addColumn', table: 'users', column: { name: 'nickname', type: 'text', nullable: true } },
  dropColumn: { kind: 'dropColumn', table: 'users', column: 'bio', definition: { name: 'bio', type: 'text', nullable: true } },
  alterColumn: { kind: 'alterColumn', table: 'users', column: 'name', changes: { nullable: false }, existing: { nullable: true } },
  renameColumn: { kind: 'renameColumn', table: 'users', from: 'email', to: 'mail' },
  alterPrimaryKey: { kind: 'alterPrimaryKey', table: 'users', primaryKey: { columns: ['id', 'email'] }, existing: { columns: ['id'] } },
  createIndex: { kind: 'createIndex', table: 'users', index: { name: 'ix_name', columns: ['name'], unique: false } },
  dropIndex: { kind: 'dropIndex', table: 'users', name: 'ix_email', definition: { name: 'ix_email', columns: ['email'], unique: false } },
  renameIndex: { kind: 'renameIndex', table: 'users', from: 'ix_email', to: 'ix_mail' },
  addConstraint: { kind: 'addConstraint', table: 'users', constraint: { type: 'check', name: 'ck_id', expression: 'id > 0' } },
  validateConstraint: { kind: 'validateConstraint', table: 'users', name: 'ck_email' },
  dropConstraint: { kind: 'dropConstraint', table: 'users', ref: { type: 'unique', name: 'uq_email' }, definition: { type: 'unique', name: 'uq_email', columns: ['email'] } },
  renameConstraint: { kind: 'renameConstraint', table: 'users', from: 'ck_email', to: 'ck_mail' },
  setTableComment: { kind: 'setTableComment', table: 'users', comment: 'people', existing: null },
  createExtension: { kind: 'createExtension', name: 'citext' },
  dropExtension: { kind: 'dropExtension', name: 'pgcrypto' },
  createEnum: { kind: 'createEnum', enum: { name: 'color', values: ['red', 'blue'] } },
  dropEnum: { kind: 'dropEnum', name: 'mood', definition: { name: 'mood', values: ['sad', 'ok', 'happy'] } },
  addEnumValue: { kind: 'addEnumValue', name: 'mood', value: 'meh' },
  dropEnumValue: { kind: 'dropEnumValue', name: 'mood', value: 'ok', definition: { name: 'mood', values: ['sad', 'ok', 'happy'] } },
  renameEnum: { kind: 'renameEnum', from: 'mood', to: 'feeling' },
  execute: { kind: 'execute', sql: 'SELECT 1' },
};

/** The kinds SQLite has no statement for: comments, extensions and enum types. */
const SQLITE_UNSUPPORTED = ['setTableComment', 'createExtension', 'dropExtension', 'createEnum', 'dropEnum', 'addEnumValue', 'dropEnumValue', 'renameEnum'];

/** The kinds whose reverse is not derived: raw SQL. */
const IRREVERSIBLE = ['execute'];

/** An operation of a kind that no table knows, as code that is not TypeScript could pass. */
const UNKNOWN = { kind: 'createView', table: 'users' } as unknown as Operation;

const probeOptions = { dialect: 'postgres', quoteIdentifier, quoteLiteral };

describe('operation kinds: the list of kinds', () => {
  it('has one sample here for every kind, and every sample is of the kind it is listed under', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), [...OPERATION_KINDS].sort());
    for (const [kind, op] of Object.entries(SAMPLES)) assert.equal(op.kind, kind);
  });

  it('lists each kind once', () => {
    assert.equal(new Set(OPERATION_KINDS).size, OPERATION_KINDS.length);
    assert.equal(OPERATION_KINDS.length, 24);
  });
});

describe('operation kinds: every place handles every kind', () => {
  for (const kind of OPERATION_KINDS) {
    const op = SAMPLES[kind];
    it(`${kind}: describe, summarize, its table`, () => {
      assert.match(describeOperation(op), /\S/);
      assert.match(summarizeOperation(op), /\S/);
      const table = operationTable(op);
      assert.ok(table === undefined || typeof table === 'string');
    });

    it(`${kind}: reverse`, () => {
      if (IRREVERSIBLE.includes(kind)) assert.throws(() => reverseOperation(op), IrreversibleOperationError);
      else assert.doesNotThrow(() => reverseOperation(op));
    });

    it(`${kind}: render`, () => {
      assert.match(renderOperation(op), /^await op\.\w+\(.*\);$/s);
    });

    it(`${kind}: apply, and collapse alone`, () => {
      applyOperation(startSchema(), op);
      assert.deepEqual(collapseOperations([op]), [op]);
    });

    it(`${kind}: online forms, data-loss probes, drift`, () => {
      assert.ok(onlineForms([op]).ops.length >= 1);
      assert.ok(Array.isArray(dataLossProbes([op], startSchema(), probeOptions)));
      assert.doesNotThrow(() => driftOf([op]));
    });

    it(`${kind}: compiled for PostgreSQL`, () => {
      assert.equal(typeof postgresDialect.needsSchema([op]), 'boolean');
      assert.ok(compilePostgres([op], startSchema()).statements.length > 0);
    });

    it(`${kind}: compiled for SQLite${SQLITE_UNSUPPORTED.includes(kind) ? ', which has no such thing' : ''}`, () => {
      assert.equal(typeof sqliteDialect.needsSchema([op]), 'boolean');
      if (SQLITE_UNSUPPORTED.includes(kind)) assert.throws(() => compileSqlite([op], startSchema()), UnsupportedOperationError);
      else assert.ok(Array.isArray(compileSqlite([op], startSchema()).statements));
    });
  }
});

describe('operation kinds: a kind no table knows', () => {
  const refused = (f: () => unknown): void => {
    assert.throws(f, (e: unknown) => e instanceof UnknownOperationKindError && e.kind === 'createView' && /unknown operation kind "createView"/.test(e.message));
  };

  it('is refused by name, never skipped', () => {
    refused(() => describeOperation(UNKNOWN));
    refused(() => reverseOperation(UNKNOWN));
    refused(() => renderOperation(UNKNOWN));
    refused(() => applyOperation(startSchema(), UNKNOWN));
    refused(() => collapseOperations([UNKNOWN]));
    refused(() => onlineForms([UNKNOWN]));
    refused(() => dataLossProbes([UNKNOWN], startSchema(), probeOptions));
    refused(() => driftOf([UNKNOWN]));
    refused(() => compilePostgres([UNKNOWN], startSchema()));
    refused(() => compileSqlite([UNKNOWN], startSchema()));
    refused(() => postgresDialect.needsSchema([UNKNOWN]));
    refused(() => sqliteDialect.needsSchema([UNKNOWN]));
  });
});
