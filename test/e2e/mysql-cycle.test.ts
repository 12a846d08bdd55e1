/**
 * The whole cycle on MySQL/MariaDB, from the CLI, as on PostgreSQL (pg-runner.test.ts (a)):
 * entities → makemigrations → migrate → check → edited models (a column NOT NULL with a default
 * filling NULLs, one added, one dropped, one widened, a type change, an index, a unique index, a
 * foreign key, a new table and a many-to-many, an enum value added) → makemigrations → migrate →
 * check → rows kept → downgrade -1 gives back the first catalog → downgrade base.
 *
 * One database for the file (test/support/mysql.ts); an unreachable server fails the file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TempProject, explain, type RunResult } from './helpers.ts';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { mysqlCatalogText, readMysqlCatalog } from '../support/mysql-catalog.ts';

delete process.env.FORCE_COLOR;

let db: TestMysqlDatabase;
let p: TempProject;
before(async () => {
  db = await createMysqlTestDatabase('migrator_cycle');
  p = new TempProject('migrator-mysql-cycle-');
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(db.url)}, models: ['entities/*.ts'], versions: 'versions' };\n`);
});
after(async () => {
  p?.remove('.');
  await db?.drop();
});

const CUSTOMER = (v2: boolean): string => `import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Order } from './order';

export enum Tier {
  Bronze = 'bronze',
  Silver = 'silver',${v2 ? "\n  Gold = 'gold'," : ''}
}

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 120, unique: true })
  email!: string;
${v2 ? '\n  @Index()' : ''}
  @Column()
  name!: string;

  @Column(${v2 ? "{ default: 'anon' }" : '{ nullable: true }'})
  nickname!: string${v2 ? '' : ' | null'};

  @Column({ type: 'enum', enum: Tier, default: Tier.Bronze })
  tier!: Tier;
${v2 ? "\n  @Column({ type: 'varchar', length: 30, nullable: true })\n  phone!: string | null;\n" : ''}
  @OneToMany(() => Order, (order) => order.customer)
  orders!: Order[];
}
`;

const ORDER = (v2: boolean): string => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Customer } from './customer';${v2 ? "\nimport { Product } from './product';" : ''}

@Entity()
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Customer, (customer) => customer.orders, { nullable: false, onDelete: 'CASCADE' })
  customer!: Customer;

  @Column(${v2 ? "{ type: 'bigint', default: 0 }" : '{ default: 0 }'})
  total!: ${v2 ? 'string' : 'number'};

  @Column({ type: 'text', nullable: true })
  note!: string | null;
${v2 ? "\n  @ManyToOne(() => Product, { onDelete: 'SET NULL' })\n  product!: Product | null;\n" : ''}}
`;

const PRODUCT = (v2: boolean): string => `import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
${v2 ? "import { Tag } from './tag';\n" : ''}
@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;
${v2 ? '\n  @Index({ unique: true })' : ''}
  @Column({ length: 64 })
  sku!: string;

  @Column(${v2 ? '{ length: 200 }' : ''})
  title!: string;

  @Column({ default: true })
  active!: boolean;
${v2 ? '' : "\n  @Column({ type: 'varchar', nullable: true })\n  legacyCode!: string | null;\n"}
  @Column({ type: 'decimal', precision: 10, scale: 2, default: 0 })
  price!: string;
${v2 ? '\n  @ManyToMany(() => Tag, (tag) => tag.products)\n  @JoinTable()\n  tags!: Tag[];\n' : ''}}
`;

const TAG = `import { Column, Entity, ManyToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Product } from './product';

@Entity()
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40, unique: true })
  name!: string;

  @ManyToMany(() => Product, (product) => product.tags)
  products!: Product[];
}
`;

function models(v2: boolean): void {
  p.write('entities/customer.ts', CUSTOMER(v2));
  p.write('entities/order.ts', ORDER(v2));
  p.write('entities/product.ts', PRODUCT(v2));
  if (v2) p.write('entities/tag.ts', TAG);
  else p.remove('entities/tag.ts');
}

const ok = (...args: string[]): RunResult => p.ok(args);
const generated = (r: RunResult): string => {
  const m = /^Generated versions\/\d{8}_\d{6}_([0-9a-z_]+?)_\S*\.ts$/m.exec(r.stdout);
  assert.ok(m, explain(r, 'to say which file it generated'));
  return m[1];
};
const versionRows = async (): Promise<string[]> => (await db.query<{ v: string }>('SELECT version_num AS v FROM migrator_version ORDER BY 1')).map((r) => r.v);

describe('the whole cycle on MySQL, from the CLI', () => {
  let rev1 = '';
  let rev2 = '';
  let v1 = '';

  test('makemigrations → migrate → check on an empty database', async () => {
    models(false);
    rev1 = generated(ok('makemigrations', '-m', 'initial'));
    const up = ok('migrate');
    assert.match(up.stdout, new RegExp(`Applied\\s+${rev1}\\b`));
    assert.match(ok('check').stdout, /No changes detected/);
    const cat = await readMysqlCatalog(db);
    assert.deepEqual([...cat.tables.keys()].sort(), ['customer', 'order', 'product']);
    assert.equal(cat.tables.get('customer')!.columns.find((c) => c.name === 'tier')?.type, "enum('bronze','silver')");
    await db.query("INSERT INTO customer (email, name, nickname) VALUES ('ann@example.com', 'Ann', NULL), ('bob@example.com', 'Bob', 'bobby')");
    await db.query("INSERT INTO product (sku, title, legacyCode, price) VALUES ('P-1', 'Pen', 'L-1', 1.50), ('P-2', 'Pad', NULL, 2.25)");
    await db.query("INSERT INTO `order` (customerId, total, note) VALUES (1, 10, 'first'), (2, 20, NULL)");
    v1 = mysqlCatalogText(await readMysqlCatalog(db));
  });

  test('edited models → makemigrations → migrate → check; rows kept, NULLs filled by the default', async () => {
    assert.ok(v1, 'the first revision was not applied');
    models(true);
    const gen = ok('makemigrations', '-m', 'second', '--accept-data-loss');
    rev2 = generated(gen);
    for (const op of ['create table tag', 'create table product_tags_tag', 'add column customer.phone', 'alter column customer.nickname', 'alter column customer.tier', 'alter column order.total', 'add column order.productId', 'alter column product.title', 'drop column product.legacyCode']) {
      assert.ok(gen.stdout.includes(op), explain(gen, `to list "${op}"`));
    }
    ok('migrate');
    assert.match(ok('check').stdout, /No changes detected/);
    assert.match(ok('makemigrations').stdout, /No changes detected/);
    assert.deepEqual(await versionRows(), [rev2]);

    const cat = await readMysqlCatalog(db);
    const col = (t: string, c: string) => cat.tables.get(t)!.columns.find((x) => x.name === c);
    assert.equal(col('customer', 'tier')?.type, "enum('bronze','silver','gold')");
    assert.deepEqual([col('customer', 'nickname')?.nullable, col('customer', 'nickname')?.default], ['NO', "'anon'"]);
    assert.equal(col('order', 'total')?.type, 'bigint(20)');
    assert.equal(col('product', 'title')?.type, 'varchar(200)');
    assert.equal(col('product', 'legacyCode'), undefined);
    assert.ok(cat.tables.get('order')!.foreignKeys.some((f) => f.columns.join() === 'productId' && f.referencedTable === 'product' && f.onDelete === 'SET NULL'), mysqlCatalogText(cat));
    assert.ok(cat.tables.get('customer')!.indexes.some((i) => /^IDX_/.test(i.name) && !i.unique && i.columns.join() === 'name'), mysqlCatalogText(cat));
    assert.ok(cat.tables.get('product')!.indexes.some((i) => /^IDX_/.test(i.name) && i.unique && i.columns.join() === 'sku'), mysqlCatalogText(cat));

    assert.deepEqual(await db.query('SELECT id, email, nickname, tier FROM customer ORDER BY id'), [
      { id: 1, email: 'ann@example.com', nickname: 'anon', tier: 'bronze' },
      { id: 2, email: 'bob@example.com', nickname: 'bobby', tier: 'bronze' },
    ]);
    assert.deepEqual(await db.query('SELECT id, sku, title, price FROM product ORDER BY id'), [
      { id: 1, sku: 'P-1', title: 'Pen', price: '1.50' },
      { id: 2, sku: 'P-2', title: 'Pad', price: '2.25' },
    ]);
    await db.query("INSERT INTO tag (name) VALUES ('office')");
    await db.query('INSERT INTO product_tags_tag (productId, tagId) VALUES (1, 1)');
    await db.query('UPDATE `order` SET productId = 2 WHERE id = 2');
  });

  test('downgrade -1 gives back the first catalog and keeps the rows; downgrade base empties it', async () => {
    assert.ok(rev2, 'the second revision was not applied');
    const down = ok('downgrade', '-1');
    assert.match(down.stdout, new RegExp(`Database is now at ${rev1}\\.`));
    assert.deepEqual(await versionRows(), [rev1]);
    // A column given back by a downgrade comes back last, as in Alembic; the rest is as it was.
    const sortColumns = (text: string): string => text.split('\n').sort().join('\n');
    assert.equal(sortColumns(mysqlCatalogText(await readMysqlCatalog(db))), sortColumns(v1));
    assert.deepEqual(await db.query('SELECT id, nickname FROM customer ORDER BY id'), [
      { id: 1, nickname: 'anon' },
      { id: 2, nickname: 'bobby' },
    ]);
    assert.deepEqual(await db.query('SELECT id, customerId, total, note FROM `order` ORDER BY id'), [
      { id: 1, customerId: 1, total: 10, note: 'first' },
      { id: 2, customerId: 2, total: 20, note: null },
    ]);
    ok('downgrade', 'base');
    assert.deepEqual([...(await readMysqlCatalog(db)).tables.keys()], []);
  });
});
