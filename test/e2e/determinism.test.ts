/**
 * Generated revision files are deterministic: the same models and `--rev-id` give the same file,
 * byte for byte apart from its Create Date line. (The migration cycle this file used to run on
 * SQLite is in dialect-cycle.test.ts, on every dialect.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatedFile, projects, revisionIdOf } from './helpers.ts';

const newProject = projects();

const CUSTOMER = `import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
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

const ORDER = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
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

describe('determinism', () => {
  it('the same models and --rev-id give byte-identical files apart from Create Date', () => {
    const sources = [newProject(), newProject()].map((p) => {
      p.writeConfig();
      p.writeEntity('customer', CUSTOMER);
      p.writeEntity('order', ORDER);
      p.writeEntity('product', PRODUCT);
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
