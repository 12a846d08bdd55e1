import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DefaultNamingStrategy } from 'typeorm';
import { camelCase, snakeCase, typeormNames } from '../../src/models/typescript/naming.js';

describe('snakeCase (table names from class names)', () => {
  const cases: [string, string][] = [
    ['OrderItem', 'order_item'],
    ['HTTPRequestLog', 'http_request_log'],
    ['ABCDef', 'abc_def'],
    ['OAuth2Token', 'o_auth2_token'],
    ['User2FA', 'user2_fa'],
    ['User', 'user'],
    ['order', 'order'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => {
      assert.equal(snakeCase(input), expected);
      assert.equal(typeormNames.table(input), expected);
    });
  }

  it('an explicit table name wins', () => {
    assert.equal(typeormNames.table('OrderItem', 'line_items'), 'line_items');
  });
});

describe('camelCase (join column names)', () => {
  const cases: [string, string][] = [
    ['customer_id', 'customerId'],
    ['x__y_id', 'x_yId'],
    ['HTTP_request_log_id', 'hTTPRequestLogId'],
    ['Customer_id', 'customerId'],
    ['post-tag id', 'postTagId'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(camelCase(input), expected));
  }

  it('joinColumn and joinTableColumn join with _ and camel-case', () => {
    assert.equal(typeormNames.joinColumn('customer', 'id'), 'customerId');
    assert.equal(typeormNames.joinTableColumn('post', 'id'), 'postId');
    assert.equal(typeormNames.joinTable('post', 'tag', 'tags'), 'post_tags_tag');
  });
});

describe('constraint and index names (as TypeORM 1.1.1 names them)', () => {
  const cases: [string, () => string, string][] = [
    ["unique('customer', ['code'])", () => typeormNames.unique('customer', ['code']), 'UQ_68db634015cb7defd6b98f910f4'],
    ["foreignKey('order', ['customerId'])", () => typeormNames.foreignKey('order', ['customerId']), 'FK_124456e637cca7a415897dce659'],
    ["index('order_item', ['buyerId'])", () => typeormNames.index('order_item', ['buyerId']), 'IDX_797bfef9ba4d8ebe6144854ceb'],
    ["relationUnique('user_account', ['profileId'])", () => typeormNames.relationUnique('user_account', ['profileId']), 'REL_fd25d74f39306aae2b90a1ec17'],
    ["foreignKey('order_item', ['buyerId'])", () => typeormNames.foreignKey('order_item', ['buyerId']), 'FK_797bfef9ba4d8ebe6144854cebb'],
    [`index('product', ['qty'], '"qty" > 0')`, () => typeormNames.index('product', ['qty'], '"qty" > 0'), 'IDX_b067dab1235aa868eaa0c3b1a7'],
    [`check('product', '"price" > 0')`, () => typeormNames.check('product', '"price" > 0'), 'CHK_4e9e576e162ecfc8a82fcd95a1'],
    ["unique('product', ['b', 'a'])", () => typeormNames.unique('product', ['b', 'a']), 'UQ_e197f904d2d6982b90d1df15d4b'],
    ["index('post_tags_tag', ['postId'])", () => typeormNames.index('post_tags_tag', ['postId']), 'IDX_b651178cc41334544a7a9601c4'],
    ["foreignKey('post_tags_tag', ['tagId'])", () => typeormNames.foreignKey('post_tags_tag', ['tagId']), 'FK_41e7626b9cc03c5c65812ae55e8'],
  ];
  for (const [call, name, expected] of cases) {
    it(`${call} = ${expected}`, () => assert.equal(name(), expected));
  }

  it('prefix lengths: PK/UQ/FK keep 27 hex characters, IDX/CHK/REL 26', () => {
    assert.match(typeormNames.primaryKey('t', ['id']), /^PK_[0-9a-f]{27}$/);
    assert.match(typeormNames.unique('t', ['a']), /^UQ_[0-9a-f]{27}$/);
    assert.match(typeormNames.foreignKey('t', ['a']), /^FK_[0-9a-f]{27}$/);
    assert.match(typeormNames.index('t', ['a']), /^IDX_[0-9a-f]{26}$/);
    assert.match(typeormNames.check('t', 'a > 0'), /^CHK_[0-9a-f]{26}$/);
    assert.match(typeormNames.relationUnique('t', ['a']), /^REL_[0-9a-f]{26}$/);
  });

  it('column order does not matter; the table, the columns and the predicate do', () => {
    assert.equal(typeormNames.unique('product', ['a', 'b']), typeormNames.unique('product', ['b', 'a']));
    assert.notEqual(typeormNames.unique('product', ['a']), typeormNames.unique('products', ['a']));
    assert.notEqual(typeormNames.index('product', ['qty']), typeormNames.index('product', ['qty'], '"qty" > 0'));
    assert.notEqual(typeormNames.index('order_item', ['buyerId']), typeormNames.index('order_item', ['sellerId']));
  });
});

describe('naming matches TypeORM\'s DefaultNamingStrategy', () => {
  const typeorm = new DefaultNamingStrategy();
  const tables: [string, string[]][] = [
    ['customer', ['code']],
    ['order_item', ['orderId', 'productId']],
    ['post_tags_tag', ['tagId', 'postId']],
    ['user', ['Email', 'email', '_id']],
    ['schema.table', ['a']],
  ];
  for (const [t, cols] of tables) {
    it(`${t} (${cols.join(', ')})`, () => {
      assert.equal(typeormNames.primaryKey(t, cols), typeorm.primaryKeyName(t, cols));
      assert.equal(typeormNames.unique(t, cols), typeorm.uniqueConstraintName(t, cols));
      assert.equal(typeormNames.relationUnique(t, cols), typeorm.relationConstraintName(t, cols));
      assert.equal(typeormNames.foreignKey(t, cols), typeorm.foreignKeyName(t, cols));
      assert.equal(typeormNames.index(t, cols), typeorm.indexName(t, cols));
      assert.equal(typeormNames.index(t, cols, `"${cols[0]}" IS NOT NULL`), typeorm.indexName(t, cols, `"${cols[0]}" IS NOT NULL`));
      assert.equal(typeormNames.check(t, `"${cols[0]}" > 0`), typeorm.checkConstraintName(t, `"${cols[0]}" > 0`));
    });
  }

  for (const className of ['OrderItem', 'HTTPRequestLog', 'ABCDef', 'OAuth2Token', 'User2FA', 'XMLHttpRequest2Go']) {
    it(`table name of class ${className}`, () => assert.equal(typeormNames.table(className), typeorm.tableName(className, undefined as unknown as string)));
  }

  for (const [relation, column] of [['customer', 'id'], ['x_', 'y_id'], ['HTTP', 'request_log_id'], ['buyer', 'userId']]) {
    it(`join column ${relation} + ${column}`, () => assert.equal(typeormNames.joinColumn(relation, column), typeorm.joinColumnName(relation, column)));
  }

  it('join table and its columns', () => {
    assert.equal(typeormNames.joinTable('post', 'tag', 'tags'), typeorm.joinTableName('post', 'tag', 'tags', 'posts'));
    assert.equal(typeormNames.joinTable('user_profile', 'role', 'extra.roles'), typeorm.joinTableName('user_profile', 'role', 'extra.roles', ''));
    assert.equal(typeormNames.joinTableColumn('post', 'id'), typeorm.joinTableColumnName('post', 'id'));
  });
});
