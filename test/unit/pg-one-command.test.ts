/**
 * Which statements may share a round trip on PostgreSQL: only texts that are plainly one command
 * (quotes balanced, no semicolon, comment, dollar quote or backslash outside or inside them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plainlyOneCommand } from '../../src/dialects/postgres/one-command.js';

describe('plainlyOneCommand', () => {
  it('takes generated DDL, with semicolons and doubled quotes inside quotes', () => {
    for (const sql of [
      'CREATE TABLE "t" ("id" integer NOT NULL, PRIMARY KEY ("id"))',
      `ALTER TABLE "t" ALTER COLUMN "c" SET DEFAULT 'a;b'`,
      `COMMENT ON TABLE "t" IS 'it''s; fine -- really /* yes */'`,
      'CREATE INDEX "a;b""c" ON "we""ird" ("x")',
      `INSERT INTO "migrator_version" ("version_num") VALUES ('4f2a9c1e7b3d')`,
      `CHECK ("a" <> '"')`,
    ]) {
      assert.equal(plainlyOneCommand(sql), true, sql);
    }
  });

  it('refuses anything that could hold or hide a second command', () => {
    for (const sql of [
      'CREATE TABLE "t" ("id" integer; DROP TABLE keep; --)',
      'SELECT 1;',
      `SELECT 'unterminated`,
      'SELECT "unterminated',
      `SELECT 1 -- it's\n; DROP TABLE t; --'`,
      `SELECT 1 /* it's */; DROP TABLE t`,
      `SELECT $$;$$`,
      `SELECT $1`,
      `SELECT E'\\'; DROP TABLE t; --'`,
      `SELECT 'a\\'; DROP TABLE t; --'`,
      `SELECT '' ; DROP TABLE t`,
    ]) {
      assert.equal(plainlyOneCommand(sql), false, sql);
    }
  });
});
