/**
 * A chain of revisions for the `verify` tests, written by makemigrations from models that change
 * step by step, and the models at each step.
 */
import type { TempProject } from './helpers.ts';

/** entities/customer.ts at a step of the chain. */
export const CUSTOMER = (v: { email?: boolean; index?: boolean; renamed?: boolean }) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('customer')
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column(${v.renamed ? "{ name: 'full_name', length: 100 }" : '{ length: 100 }'})
  name!: string;
${v.email ? `\n${v.index ? '  @Index()\n' : ''}  @Column({ nullable: true })\n  email!: string;\n` : ''}}
`;

/** entities/order.ts at a step of the chain. */
export const ORDER = (v: { customer?: boolean }) => `import { Column, Entity, ${v.customer ? 'ManyToOne, ' : ''}PrimaryGeneratedColumn } from 'migrator/decorators';
${v.customer ? "import { Customer } from './customer';\n" : ''}
@Entity('order')
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  total!: number;
${v.customer ? "\n  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })\n  customer!: Customer;\n" : ''}}
`;

/**
 * Revisions makemigrations writes step by step, each migrated before the next: create table, add
 * column, index, a second table, a foreign key (a table rebuild on SQLite), a column rename.
 * `build`: the options that name the database they are built on. Returns the revision ids.
 */
export function generatedChain(p: TempProject, build: string[]): string[] {
  const ids: string[] = [];
  const step = (message: string, id: string, extra: string[] = []): void => {
    p.ok([...build, 'makemigrations', '-m', message, '--rev-id', id, ...extra]);
    p.ok([...build, 'migrate']);
    ids.push(id);
  };
  p.writeEntity('customer', CUSTOMER({}));
  step('create customer', 'c1create');
  p.writeEntity('customer', CUSTOMER({ email: true }));
  step('add email', 'c2email');
  p.writeEntity('customer', CUSTOMER({ email: true, index: true }));
  step('index email', 'c3index');
  p.writeEntity('order', ORDER({}));
  step('create order', 'c4order');
  p.writeEntity('order', ORDER({ customer: true }));
  step('order belongs to customer', 'c5fk');
  p.writeEntity('customer', CUSTOMER({ email: true, index: true, renamed: true }));
  step('rename name to full_name', 'c6rename', ['--rename', 'customer.name=full_name']);
  return ids;
}
