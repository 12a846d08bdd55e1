/**
 * The MySQL compiler's handling of indexes of a table the same revision drops: a downgrade that
 * undoes createTable + createIndex drops the indexes first, and MySQL refuses to drop an index a
 * foreign key of the table needs ("Cannot drop index …: needed in a foreign key constraint");
 * dropping the table drops them, so those DROP INDEX statements are not written.
 * test/e2e/mysql-prisma.test.ts runs such a downgrade on MariaDB.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileMysql } from '../../src/dialects/mysql/compiler.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const users: Table = {
  name: 'users',
  columns: [{ name: 'id', type: 'int', nullable: false }],
  primaryKey: { columns: ['id'] },
  indexes: [],
  uniques: [],
  checks: [],
  foreignKeys: [],
};
const profiles: Table = {
  name: 'profiles',
  columns: [
    { name: 'id', type: 'int', nullable: false },
    { name: 'user_id', type: 'int', nullable: false },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [{ name: 'profiles_user_id_key', columns: ['user_id'], unique: true }],
  uniques: [],
  checks: [],
  foreignKeys: [{ name: 'profiles_user_id_fkey', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
};
const schema: Schema = { tables: [users, profiles] };

describe('MySQL compiler: DROP INDEX of a table the revision drops', () => {
  it('is not written when the table is dropped later in the same revision', () => {
    const ops: Operation[] = [
      { kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' },
      { kind: 'dropTable', table: 'profiles' },
      { kind: 'dropTable', table: 'users' },
    ];
    assert.deepEqual(compileMysql(ops, schema).statements, ['DROP TABLE `profiles`', 'DROP TABLE `users`']);
  });

  it('is written when the table stays, or is renamed or created again before a drop', () => {
    const alone: Operation[] = [{ kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' }];
    assert.deepEqual(compileMysql(alone, schema).statements, ['DROP INDEX `profiles_user_id_key` ON `profiles`']);
    const renamed: Operation[] = [
      { kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' },
      { kind: 'renameTable', from: 'profiles', to: 'old_profiles' },
      { kind: 'dropTable', table: 'old_profiles' },
    ];
    assert.equal(compileMysql(renamed, schema).statements[0], 'DROP INDEX `profiles_user_id_key` ON `profiles`');
    const otherTable: Operation[] = [
      { kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' },
      { kind: 'dropTable', table: 'users' },
    ];
    assert.equal(compileMysql(otherTable, schema).statements[0], 'DROP INDEX `profiles_user_id_key` ON `profiles`');
  });
});
