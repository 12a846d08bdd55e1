import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'ts-migrator/decorators';
import { Order } from './order';
import { Product } from './product';

@Entity()
export class OrderItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Order, (order) => order.items, { nullable: false, onDelete: 'CASCADE' })
  order!: Order;

  @ManyToOne(() => Product, { nullable: false, onDelete: 'RESTRICT' })
  product!: Product;

  @Column({ default: 1 })
  quantity!: number;

  @Column({ type: 'decimal', precision: 10, scale: 2 })
  unitPrice!: string;
}
