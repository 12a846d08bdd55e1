/**
 * create shop tables
 *
 * Revision ID: 5a6b7c8d9e0f
 * Revises: <base>
 * Create Date: 2026-11-21T06:24:06.368Z
 */
import type { Operations } from 'ts-migrator';

export const revision = '5a6b7c8d9e0f';
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('products', {
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'sku', type: 'TEXT', nullable: false },
      { name: 'title', type: 'TEXT', nullable: false },
      { name: 'price', type: 'DECIMAL', nullable: false },
      { name: 'active', type: 'BOOLEAN', nullable: false, default: 'true' },
    ],
    primaryKey: { name: 'products_pkey', columns: ['id'] },
  });
  await op.createIndex('products', { name: 'products_sku_key', columns: ['sku'], unique: true });
  await op.createTable('tags', {
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'name', type: 'TEXT', nullable: false },
    ],
    primaryKey: { name: 'tags_pkey', columns: ['id'] },
  });
  await op.createIndex('tags', { name: 'tags_name_key', columns: ['name'], unique: true });
  await op.createTable('_ProductToTag', {
    columns: [
      { name: 'A', type: 'INTEGER', nullable: false },
      { name: 'B', type: 'INTEGER', nullable: false },
    ],
    foreignKeys: [
      {
        name: '_ProductToTag_A_fkey',
        columns: ['A'],
        referencedTable: 'products',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      {
        name: '_ProductToTag_B_fkey',
        columns: ['B'],
        referencedTable: 'tags',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    ],
  });
  await op.createIndex('_ProductToTag', {
    name: '_ProductToTag_AB_unique',
    columns: ['A', 'B'],
    unique: true,
  });
  await op.createIndex('_ProductToTag', { name: '_ProductToTag_B_index', columns: ['B'] });
  await op.createTable('customers', {
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'email', type: 'TEXT', nullable: false },
      { name: 'name', type: 'TEXT', nullable: false },
      { name: 'created_at', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
    ],
    primaryKey: { name: 'customers_pkey', columns: ['id'] },
  });
  await op.createIndex('customers', {
    name: 'customers_email_key',
    columns: ['email'],
    unique: true,
  });
  await op.createTable('orders', {
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'customer_id', type: 'INTEGER', nullable: false },
      { name: 'status', type: 'TEXT', nullable: false, default: "'PENDING'" },
      { name: 'placed_at', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
    ],
    primaryKey: { name: 'orders_pkey', columns: ['id'] },
    foreignKeys: [
      {
        name: 'orders_customer_id_fkey',
        columns: ['customer_id'],
        referencedTable: 'customers',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    ],
  });
  await op.createIndex('orders', { name: 'orders_customer_id_idx', columns: ['customer_id'] });
  await op.createTable('order_items', {
    columns: [
      { name: 'order_id', type: 'INTEGER', nullable: false },
      { name: 'product_id', type: 'INTEGER', nullable: false },
      { name: 'quantity', type: 'INTEGER', nullable: false, default: '1' },
      { name: 'unit_price', type: 'DECIMAL', nullable: false },
    ],
    primaryKey: { name: 'order_items_pkey', columns: ['order_id', 'product_id'] },
    foreignKeys: [
      {
        name: 'order_items_order_id_fkey',
        columns: ['order_id'],
        referencedTable: 'orders',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      {
        name: 'order_items_product_id_fkey',
        columns: ['product_id'],
        referencedTable: 'products',
        referencedColumns: ['id'],
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
    ],
  });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('order_items');
  await op.dropIndex('orders', 'orders_customer_id_idx');
  await op.dropTable('orders');
  await op.dropIndex('customers', 'customers_email_key');
  await op.dropTable('customers');
  await op.dropIndex('_ProductToTag', '_ProductToTag_B_index');
  await op.dropIndex('_ProductToTag', '_ProductToTag_AB_unique');
  await op.dropTable('_ProductToTag');
  await op.dropIndex('tags', 'tags_name_key');
  await op.dropTable('tags');
  await op.dropIndex('products', 'products_sku_key');
  await op.dropTable('products');
}
