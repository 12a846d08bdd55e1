/** What summaries say an operation changes (summarizeOperation). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOperation, summarizeOperation, type Operation } from '../../src/operations/operation.js';

describe('summarizeOperation', () => {
  const cases: [string, Operation, string][] = [
    ['nullability', { kind: 'alterColumn', table: 'users', column: 'displayName', changes: { nullable: false }, existing: { nullable: true } }, 'alter column users.displayName: nullable → not null'],
    ['type and default', { kind: 'alterColumn', table: 'posts', column: 'views', changes: { type: 'bigint', default: '0' }, existing: { type: 'integer', default: null } }, 'alter column posts.views: type integer → bigint, default none → 0'],
    ['without the previous state', { kind: 'alterColumn', table: 'posts', column: 'views', changes: { nullable: true, type: 'bigint' } }, 'alter column posts.views: type → bigint, nullable'],
    ['a comment', { kind: 'setTableComment', table: 'posts', comment: 'Posts', existing: null }, 'set comment of table posts: none → "Posts"'],
    ['a primary key', { kind: 'alterPrimaryKey', table: 't', primaryKey: { columns: ['a', 'b'] }, existing: { columns: ['a'] } }, 'change the primary key of t from (a) to (a, b)'],
    ['anything else, as describeOperation', { kind: 'dropTable', table: 'old' }, 'drop table old'],
  ];
  for (const [name, op, expected] of cases) {
    it(name, () => assert.equal(summarizeOperation(op), expected));
  }

  it('describeOperation, for messages, is unchanged', () => {
    assert.equal(describeOperation(cases[0][1]), 'alter column users.displayName');
  });
});
