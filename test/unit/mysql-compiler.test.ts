/**
 * The MySQL compiler's handling of indexes next to createTable and dropTable, where MySQL needs
 * them otherwise than in statements of their own:
 * - a downgrade that undoes createTable + createIndex drops the indexes first, and MySQL refuses
 *   to drop an index a foreign key of the table needs ("Cannot drop index …: needed in a foreign
 *   key constraint"); dropping the table drops them, so those DROP INDEX statements are not
 *   written;
 * - an AUTO_INCREMENT column that does not lead the primary key must lead a key in the CREATE
 *   TABLE itself ("there can be only one auto column and it must be defined as a key"), so the
 *   index the revision creates for it next is written inside the CREATE TABLE.
 * test/e2e/mysql-prisma.test.ts runs both on MariaDB.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileMysql } from '../../src/dialects/mysql/compiler.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Index, Schema, Table } from '../../src/schema/schema.js';

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
    // The table's foreign key needs the index: it gets one of its own in the same statement.
    const keyed = 'ALTER TABLE `profiles` DROP INDEX `profiles_user_id_key`, ADD INDEX `profiles_user_id_fkey` (`user_id`)';
    const alone: Operation[] = [{ kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' }];
    assert.deepEqual(compileMysql(alone, schema).statements, [keyed]);
    const renamed: Operation[] = [
      { kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' },
      { kind: 'renameTable', from: 'profiles', to: 'old_profiles' },
      { kind: 'dropTable', table: 'old_profiles' },
    ];
    assert.equal(compileMysql(renamed, schema).statements[0], keyed);
    const otherTable: Operation[] = [
      { kind: 'dropIndex', table: 'profiles', name: 'profiles_user_id_key' },
      { kind: 'dropTable', table: 'users' },
    ];
    assert.equal(compileMysql(otherTable, schema).statements[0], keyed);
  });
});

describe('MySQL compiler: an AUTO_INCREMENT column that is not the primary key', () => {
  const members: Table = {
    name: 'members',
    columns: [
      { name: 'id', type: 'varchar(191)', nullable: false },
      { name: 'serial', type: 'bigint unsigned', nullable: false, autoincrement: true },
      { name: 'handle', type: 'varchar(255)', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [],
    uniques: [],
    checks: [],
    foreignKeys: [],
  };
  const handle: Index = { name: 'members_handle_key', columns: [{ column: 'handle', length: 20 }], unique: true };
  const serial: Index = { name: 'members_serial_key', columns: ['serial'], unique: true };

  it('gets the index it leads inside its CREATE TABLE; the other indexes stay CREATE INDEX statements', () => {
    const ops: Operation[] = [
      { kind: 'createTable', table: members },
      { kind: 'createIndex', table: 'members', index: handle },
      { kind: 'createIndex', table: 'members', index: serial },
    ];
    assert.deepEqual(compileMysql(ops, { tables: [] }).statements, [
      'CREATE TABLE `members` (`id` varchar(191) NOT NULL, `serial` bigint unsigned NOT NULL AUTO_INCREMENT, `handle` varchar(255) NOT NULL, PRIMARY KEY (`id`), UNIQUE INDEX `members_serial_key` (`serial`))',
      'CREATE UNIQUE INDEX `members_handle_key` ON `members` (`handle`(20))',
    ]);
  });

  it('leading the primary key, it needs nothing more', () => {
    const keyed: Table = { ...members, primaryKey: { columns: ['serial'] } };
    const ops: Operation[] = [
      { kind: 'createTable', table: keyed },
      { kind: 'createIndex', table: 'members', index: serial },
    ];
    assert.equal(compileMysql(ops, { tables: [] }).statements.length, 2);
  });
});

describe('MySQL compiler: what a rerun asks of a DDL statement an earlier run started', () => {
  const users: Table = {
    name: 'users',
    columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'email', type: 'varchar(100)', nullable: true }],
    primaryKey: { columns: ['id'] },
    indexes: [],
    uniques: [],
    checks: [{ name: 'users_email_check', expression: "email <> ''" }],
    foreignKeys: [],
  };
  const schema: Schema = { tables: [users] };
  const compiled = (ops: Operation[]) => compileMysql(ops, schema);

  it('each DDL statement is a phase with a question of the catalog: done once its change is there', () => {
    const c = compiled([
      { kind: 'addColumn', table: 'users', column: { name: 'nick', type: 'varchar(20)', nullable: true } },
      { kind: 'createIndex', table: 'users', index: { name: "o'k", columns: ['email'], unique: false } },
      { kind: 'dropConstraint', table: 'users', ref: { type: 'check', name: 'users_email_check' } },
    ]);
    assert.equal(c.phases?.length, 3);
    const [add, index, drop] = c.phases!.map((p) => p.resume?.state);
    assert.equal(
      add,
      "SELECT CASE WHEN EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'nick') THEN 'done' ELSE 'run' END AS state",
    );
    // Literals escaped: a name cannot leave its place.
    assert.match(index!, /INDEX_NAME = 'o''k'\) THEN 'done'/);
    assert.match(drop!, /WHEN NOT EXISTS \(SELECT 1 FROM information_schema\.TABLE_CONSTRAINTS WHERE .*CONSTRAINT_TYPE = 'CHECK' AND CONSTRAINT_NAME = 'users_email_check'\) THEN 'done'/);
  });

  it('a revision of one DDL statement is phased, to carry its question; one that can run twice is not', () => {
    const one = compiled([{ kind: 'createTable', table: { ...users, name: 'tags', checks: [] } }]);
    assert.equal(one.phases?.length, 1);
    assert.match(one.phases![0].resume!.state, /information_schema\.TABLES WHERE TABLE_SCHEMA = DATABASE\(\) AND TABLE_NAME = 'tags'/);
    const pk = compiled([{ kind: 'alterPrimaryKey', table: 'users', primaryKey: { columns: ['id', 'email'] } }]);
    assert.match(pk.phases![0].resume!.state, /SEPARATOR ','\) FROM information_schema\.STATISTICS WHERE .* INDEX_NAME = 'PRIMARY'\) <=> 'id,email' THEN 'done'/);
    assert.equal(compiled([{ kind: 'alterColumn', table: 'users', column: 'email', changes: { type: 'varchar(200)' } }]).phases, undefined);
    assert.equal(compiled([{ kind: 'execute', sql: "INSERT INTO users (id) VALUES (1)" }]).phases, undefined);
  });
});
