/**
 * create shop tables
 *
 * Revision ID: 1a2b3c4d5e6f
 * Revises: <base>
 * Create Date: 2026-11-21T05:13:29.890Z
 */
import type { Operations } from 'ts-migrator';

export const revision = '1a2b3c4d5e6f';
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('customer', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'email', type: 'varchar(255)', nullable: false },
      { name: 'name', type: 'varchar', nullable: false },
      { name: 'createdAt', type: 'datetime', nullable: false, default: "datetime('now')" },
    ],
    primaryKey: { name: 'PK_a7a13f4cacb744524e44dfdad32', columns: ['id'] },
    uniques: [{ name: 'UQ_fdb2f3ad8115da4c7718109a6eb', columns: ['email'] }],
  });
  await op.createTable('order', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'status', type: 'varchar', nullable: false, default: "'pending'" },
      { name: 'placedAt', type: 'datetime', nullable: false, default: "datetime('now')" },
      { name: 'customerId', type: 'integer', nullable: false },
    ],
    primaryKey: { name: 'PK_1031171c13130102495201e3e20', columns: ['id'] },
    checks: [{ expression: '"status" IN (\'pending\',\'paid\',\'shipped\')' }],
    foreignKeys: [
      {
        name: 'FK_124456e637cca7a415897dce659',
        columns: ['customerId'],
        referencedTable: 'customer',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'NO ACTION',
      },
    ],
  });
  await op.createIndex('order', { name: 'IDX_124456e637cca7a415897dce65', columns: ['customerId'] });
  await op.createTable('product', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'sku', type: 'varchar(64)', nullable: false },
      { name: 'title', type: 'varchar', nullable: false },
      { name: 'price', type: 'decimal(10,2)', nullable: false },
      { name: 'active', type: 'boolean', nullable: false, default: '1' },
    ],
    primaryKey: { name: 'PK_bebc9158e480b949565b4dc7a82', columns: ['id'] },
    checks: [{ name: 'CHK_21dbbf9a0e4b5794cf952ea4b7', expression: '"price" >= 0' }],
  });
  await op.createIndex('product', {
    name: 'IDX_34f6ca1cd897cc926bdcca1ca3',
    columns: ['sku'],
    unique: true,
  });
  await op.createTable('order_item', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'quantity', type: 'integer', nullable: false, default: '1' },
      { name: 'unitPrice', type: 'decimal(10,2)', nullable: false },
      { name: 'orderId', type: 'integer', nullable: false },
      { name: 'productId', type: 'integer', nullable: false },
    ],
    primaryKey: { name: 'PK_d01158fe15b1ead5c26fd7f4e90', columns: ['id'] },
    foreignKeys: [
      {
        name: 'FK_646bf9ece6f45dbe41c203e06e0',
        columns: ['orderId'],
        referencedTable: 'order',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'NO ACTION',
      },
      {
        name: 'FK_904370c093ceea4369659a3c810',
        columns: ['productId'],
        referencedTable: 'product',
        referencedColumns: ['id'],
        onDelete: 'RESTRICT',
        onUpdate: 'NO ACTION',
      },
    ],
  });
  await op.createTable('tag', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'name', type: 'varchar(40)', nullable: false },
    ],
    primaryKey: { name: 'PK_8e4052373c579afc1471f526760', columns: ['id'] },
    uniques: [{ name: 'UQ_6a9775008add570dc3e5a0bab7b', columns: ['name'] }],
  });
  await op.createTable('product_tags_tag', {
    columns: [
      { name: 'productId', type: 'integer', nullable: false },
      { name: 'tagId', type: 'integer', nullable: false },
    ],
    primaryKey: { name: 'PK_8da52c0bc9255c6cb07af25ac73', columns: ['productId', 'tagId'] },
    foreignKeys: [
      {
        name: 'FK_208235f4a5c925f11171252b760',
        columns: ['productId'],
        referencedTable: 'product',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      {
        name: 'FK_0de90b04710a86601acdff88c21',
        columns: ['tagId'],
        referencedTable: 'tag',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    ],
  });
  await op.createIndex('product_tags_tag', {
    name: 'IDX_0de90b04710a86601acdff88c2',
    columns: ['tagId'],
  });
  await op.createIndex('product_tags_tag', {
    name: 'IDX_208235f4a5c925f11171252b76',
    columns: ['productId'],
  });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('product_tags_tag', 'IDX_208235f4a5c925f11171252b76');
  await op.dropIndex('product_tags_tag', 'IDX_0de90b04710a86601acdff88c2');
  await op.dropTable('product_tags_tag');
  await op.dropTable('tag');
  await op.dropTable('order_item');
  await op.dropIndex('product', 'IDX_34f6ca1cd897cc926bdcca1ca3');
  await op.dropTable('product');
  await op.dropIndex('order', 'IDX_124456e637cca7a415897dce65');
  await op.dropTable('order');
  await op.dropTable('customer');
}
