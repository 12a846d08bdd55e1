import { Column, CreateDateColumn, Entity, Index, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'ts-migrator/decorators';
import { Customer } from './customer';
import { OrderItem } from './order-item';

export enum OrderStatus {
  Pending = 'pending',
  Paid = 'paid',
  Shipped = 'shipped',
}

@Entity()
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @ManyToOne(() => Customer, (customer) => customer.orders, { nullable: false, onDelete: 'CASCADE' })
  customer!: Customer;

  @Column({ type: 'simple-enum', enum: OrderStatus, default: OrderStatus.Pending })
  status!: OrderStatus;

  @CreateDateColumn()
  placedAt!: Date;

  @OneToMany(() => OrderItem, (item) => item.order)
  items!: OrderItem[];
}
