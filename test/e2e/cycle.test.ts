/**
 * The whole cycle as a new user runs it: entities → makemigrations → migrate → check → change the
 * models → makemigrations → migrate → downgrade -1 → downgrade base, on a SQLite file, with the
 * database checked directly after every step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downRevisionOf, explain, generatedFile, ignoringColumnOrder, projects, revisionIdOf, type Row, type TableShape, TempProject } from './helpers.ts';

const newProject = projects();

const CUSTOMER_V1 = `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Order } from './order';

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 120, unique: true })
  email!: string;

  @Column()
  name!: string;

  @Column({ nullable: true })
  nickname!: string | null;

  @OneToMany(() => Order, (order) => order.customer)
  orders!: Order[];
}
`;

const ORDER_V1 = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Customer } from './customer';

@Entity()
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Customer, (customer) => customer.orders, { nullable: false, onDelete: 'CASCADE' })
  customer!: Customer;

  @Column({ default: 0 })
  total!: number;

  @Column({ nullable: true })
  note!: string | null;
}
`;

const PRODUCT = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;

  @Column()
  title!: string;

  @Column({ default: true })
  active!: boolean;

  @Column()
  createdOn!: Date;
}
`;

// Version 2: customer gets a new column, an index, and nickname becomes NOT NULL DEFAULT 'anon'.
const CUSTOMER_V2 = `import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Order } from './order';

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 120, unique: true })
  email!: string;

  @Index()
  @Column()
  name!: string;

  @Column({ default: 'anon' })
  nickname!: string;

  @Column({ nullable: true })
  phone!: string | null;

  @OneToMany(() => Order, (order) => order.customer)
  orders!: Order[];
}
`;

// Version 2: order loses "note" and gains a many-to-one to product.
const ORDER_V2 = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Customer } from './customer';
import { Product } from './product';

@Entity()
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Customer, (customer) => customer.orders, { nullable: false, onDelete: 'CASCADE' })
  customer!: Customer;

  @Column({ default: 0 })
  total!: number;

  @ManyToOne(() => Product, { nullable: true, onDelete: 'SET NULL' })
  product!: Product | null;
}
`;

// Version 2: a new table owning a many-to-many to product.
const TAG = `import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Product } from './product';

@Entity()
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40, unique: true })
  label!: string;

  @ManyToMany(() => Product)
  @JoinTable()
  products!: Product[];
}
`;

function column(shape: TableShape | undefined, name: string): Row | undefined {
  return shape?.columns.find((c) => c.name === name);
}

function setupV1(p: TempProject): void {
  p.writeConfig();
  p.writeEntity('customer', CUSTOMER_V1);
  p.writeEntity('order', ORDER_V1);
  p.writeEntity('product', PRODUCT);
}

describe('the migration cycle', () => {
  const p = newProject();
  setupV1(p);
  let first = '';
  let second = '';
  let firstFile = '';
  let schemaV1: Record<string, TableShape> = {};

  it('makemigrations writes the first revision into versions/', () => {
    assert.deepEqual(p.versionFiles(), [], 'versions/ starts empty');
    const r = p.ok(['makemigrations', '-m', 'create shop']);
    firstFile = generatedFile(r);
    assert.match(firstFile, /^versions[\\/][^\\/]+_create_shop\.ts$/);
    assert.deepEqual(p.versionFiles(), [firstFile.replace(/^versions[\\/]/, '')]);
    for (const table of ['customer', 'order', 'product']) assert.match(r.stdout, new RegExp(`create table ${table}\\b`), r.stdout);
    const source = p.read(firstFile);
    first = revisionIdOf(source);
    assert.ok(firstFile.includes(first), `file name ${firstFile} carries the id ${first}`);
    assert.equal(downRevisionOf(source), 'null');
    assert.match(source, /export async function upgrade\(/);
    assert.match(source, /export async function downgrade\(/);
    assert.match(source, /op\.createTable\('customer'/);
    assert.match(source, /op\.createTable\('order'/);
    assert.match(source, /op\.createTable\('product'/);
    assert.match(source, /op\.dropTable\('customer'\)/);
  });

  it('migrate creates the tables and records the revision', () => {
    const r = p.ok(['migrate']);
    assert.match(r.stdout, new RegExp(`Applied\\s+${first}`));
    assert.deepEqual(p.tables(), ['customer', 'migrator_history', 'migrator_version', 'order', 'product']);
    assert.deepEqual(p.versions(), [first]);
    const schema = p.schema();
    assert.equal(column(schema.customer, 'nickname')?.notnull, 0, 'customer.nickname starts nullable');
    assert.equal(column(schema.product, 'createdOn')?.type, 'datetime');
    assert.equal(column(schema.product, 'active')?.type, 'boolean');
    assert.equal(column(schema.product, 'sku')?.type, 'varchar(64)');
    assert.deepEqual(
      schema.order.foreignKeys.map((f) => [f.from, f.table, f.to, f.on_delete]),
      [['customerId', 'customer', 'id', 'CASCADE']],
    );
    assert.ok(
      schema.customer.indexes.some((i) => i.unique === 1 && i.columns.join() === 'email'),
      `customer.email is unique: ${JSON.stringify(schema.customer.indexes)}`,
    );
    schemaV1 = schema;
  });

  it('check exits 0 when models and database agree', () => {
    const r = p.run(['check']);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.match(r.stdout, /No changes detected/);
  });

  it('makemigrations twice with no model change says "No changes detected" and writes nothing', () => {
    const before = p.versionFiles();
    for (let i = 0; i < 2; i++) {
      const r = p.ok(['makemigrations']);
      assert.match(r.stdout, /No changes detected/);
      assert.doesNotMatch(r.stdout, /Generated/);
      assert.deepEqual(p.versionFiles(), before);
    }
  });

  it('rows go in', () => {
    p.exec(`
      INSERT INTO customer (id, email, name, nickname) VALUES (1, 'ann@example.com', 'Ann', NULL), (2, 'bob@example.com', 'Bob', 'bobby');
      INSERT INTO "order" (id, customerId, total, note) VALUES (1, 1, 10, 'first'), (2, 1, 20, NULL), (3, 2, 30, 'gift');
      INSERT INTO product (id, sku, title, active, createdOn) VALUES (1, 'P-1', 'Pen', 1, '2024-01-01 00:00:00'), (2, 'P-2', 'Ink', 0, '2024-02-01 00:00:00');
    `);
    assert.equal(p.query('SELECT count(*) AS n FROM "order"')[0].n, 3);
  });

  it('makemigrations after model changes writes a second revision on top of the first', () => {
    p.writeEntity('customer', CUSTOMER_V2);
    p.writeEntity('order', ORDER_V2);
    p.writeEntity('tag', TAG);
    // order.note goes with its two values: consented to here.
    const r = p.ok(['makemigrations', '-m', 'phase two', '--accept-data-loss']);
    const file = generatedFile(r);
    assert.notEqual(file, firstFile);
    assert.equal(p.versionFiles().length, 2);
    const source = p.read(file);
    second = revisionIdOf(source);
    assert.notEqual(second, first);
    assert.equal(downRevisionOf(source), `'${first}'`);
    for (const expected of [
      /create table tag\b/,
      /create table tag_products_product\b/,
      /add column customer\.phone/,
      /alter column customer\.nickname/,
      /create index \S+ on customer/,
      /drop column order\.note/,
      /add column order\.productId/,
      /add foreignKey constraint \S+ on order/,
    ]) {
      assert.match(r.stdout, expected);
    }
    // The first revision file is left alone.
    assert.equal(revisionIdOf(p.read(firstFile)), first);
  });

  it('migrate applies it, keeps the rows and fills NULLs with the new default', () => {
    const r = p.ok(['migrate']);
    assert.match(r.stdout, new RegExp(`Applied\\s+${second}`));
    assert.doesNotMatch(r.stdout, new RegExp(`Applied\\s+${first}`), 'the first revision is not applied again');
    assert.deepEqual(p.versions(), [second]);
    assert.deepEqual(p.tables(), ['customer', 'migrator_history', 'migrator_version', 'order', 'product', 'tag', 'tag_products_product']);

    const schema = p.schema();
    const nickname = column(schema.customer, 'nickname');
    assert.equal(nickname?.notnull, 1, 'customer.nickname is NOT NULL now');
    assert.equal(nickname?.dflt_value, "'anon'");
    assert.ok(column(schema.customer, 'phone'), 'customer.phone was added');
    assert.equal(column(schema.order, 'note'), undefined, 'order.note was dropped');
    assert.ok(column(schema.order, 'productId'), 'order.productId was added');
    assert.ok(
      schema.customer.indexes.some((i) => i.origin === 'c' && i.unique === 0 && i.columns.join() === 'name'),
      `an index on customer(name): ${JSON.stringify(schema.customer.indexes)}`,
    );
    assert.ok(schema.customer.indexes.some((i) => i.unique === 1 && i.columns.join() === 'email'), 'customer.email is still unique');
    assert.deepEqual(
      schema.order.foreignKeys.map((f) => [f.from, f.table, f.to, f.on_delete]).sort(),
      [
        ['customerId', 'customer', 'id', 'CASCADE'],
        ['productId', 'product', 'id', 'SET NULL'],
      ],
    );
    assert.deepEqual(
      schema.tag_products_product.foreignKeys.map((f) => [f.from, f.table, f.to, f.on_delete]).sort(),
      [
        ['productId', 'product', 'id', 'CASCADE'],
        ['tagId', 'tag', 'id', 'CASCADE'],
      ],
    );
    assert.deepEqual(schema.tag_products_product.columns.filter((c) => Number(c.pk) > 0).map((c) => c.name).sort(), ['productId', 'tagId']);

    assert.deepEqual(p.query('SELECT id, email, name, nickname, phone FROM customer ORDER BY id'), [
      { id: 1, email: 'ann@example.com', name: 'Ann', nickname: 'anon', phone: null },
      { id: 2, email: 'bob@example.com', name: 'Bob', nickname: 'bobby', phone: null },
    ]);
    // Rebuilding customer (the parent of an ON DELETE CASCADE key) must not delete its orders.
    assert.deepEqual(p.query('SELECT id, customerId, total, productId FROM "order" ORDER BY id'), [
      { id: 1, customerId: 1, total: 10, productId: null },
      { id: 2, customerId: 1, total: 20, productId: null },
      { id: 3, customerId: 2, total: 30, productId: null },
    ]);
    assert.deepEqual(p.query('SELECT id, sku FROM product ORDER BY id'), [
      { id: 1, sku: 'P-1' },
      { id: 2, sku: 'P-2' },
    ]);
    assert.deepEqual(p.query('PRAGMA foreign_key_check'), []);
    assert.deepEqual(p.query("SELECT name FROM sqlite_master WHERE name LIKE '%tmp%'"), [], 'no temporary tables left behind');
  });

  it('check exits 0 after the second migrate', () => {
    const r = p.run(['check']);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.match(r.stdout, /No changes detected/);
  });

  it('the new schema takes rows', () => {
    p.exec(`
      UPDATE "order" SET productId = 1 WHERE id = 3;
      INSERT INTO tag (id, label) VALUES (1, 'office');
      INSERT INTO tag_products_product (tagId, productId) VALUES (1, 1), (1, 2);
    `);
    assert.throws(() => p.exec('INSERT INTO customer (email, name, nickname) VALUES (\'c@example.com\', \'C\', NULL)'), /NOT NULL/);
  });

  it('downgrade -1 restores the earlier schema and keeps the rows', () => {
    const r = p.ok(['downgrade', '-1']);
    assert.match(r.stdout, new RegExp(`Reverted\\s+${second}`));
    assert.deepEqual(p.versions(), [first]);
    assert.deepEqual(p.tables(), ['customer', 'migrator_history', 'migrator_version', 'order', 'product']);
    // Same columns (name, type, NOT NULL, default, key), indexes and foreign keys as after the first migrate.
    assert.deepEqual(ignoringColumnOrder(p.schema()), ignoringColumnOrder(schemaV1), 'PRAGMA table_info / index_list / foreign_key_list as after the first migrate');

    assert.deepEqual(p.query('SELECT id, email, name, nickname FROM customer ORDER BY id'), [
      { id: 1, email: 'ann@example.com', name: 'Ann', nickname: 'anon' },
      { id: 2, email: 'bob@example.com', name: 'Bob', nickname: 'bobby' },
    ]);
    // customer is rebuilt again on the way down: its CASCADE children must survive.
    assert.deepEqual(p.query('SELECT id, customerId, total FROM "order" ORDER BY id'), [
      { id: 1, customerId: 1, total: 10 },
      { id: 2, customerId: 1, total: 20 },
      { id: 3, customerId: 2, total: 30 },
    ]);
    assert.equal(p.query('SELECT count(*) AS n FROM product')[0].n, 2);
    assert.deepEqual(p.query('PRAGMA foreign_key_check'), []);
  });

  it('the restored foreign key still cascades', () => {
    p.exec('DELETE FROM customer WHERE id = 2');
    assert.deepEqual(
      p.query('SELECT id FROM "order" ORDER BY id').map((r) => r.id),
      [1, 2],
    );
  });

  it('downgrade base leaves only an empty migrator_version', () => {
    const r = p.ok(['downgrade', 'base']);
    assert.match(r.stdout, new RegExp(`Reverted\\s+${first}`));
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(p.versions(), []);
    const current = p.ok(['current']);
    assert.match(current.stdout, /base/);
  });
});

describe('determinism', () => {
  it('the same models and --rev-id give byte-identical files apart from Create Date', () => {
    const sources = [newProject(), newProject()].map((p) => {
      setupV1(p);
      p.writeEntity('customer', CUSTOMER_V2);
      p.writeEntity('order', ORDER_V2);
      p.writeEntity('tag', TAG);
      const r = p.ok(['makemigrations', '-m', 'Initial schema', '--rev-id', 'feedc0ffee01']);
      const file = generatedFile(r);
      assert.match(file, /feedc0ffee01_initial_schema\.ts$/);
      return p.read(file);
    });
    const [a, b] = sources.map((s) => s.split('\n'));
    assert.equal(a.filter((l) => /Create Date:/.test(l)).length, 1, 'one Create Date line');
    assert.equal(a.length, b.length);
    const strip = (lines: string[]): string => lines.filter((l) => !/Create Date:/.test(l)).join('\n');
    assert.equal(strip(a), strip(b));
    assert.equal(revisionIdOf(sources[0]), 'feedc0ffee01');
    assert.match(sources[0], /op\.createTable\('tag_products_product'/);
  });
});
