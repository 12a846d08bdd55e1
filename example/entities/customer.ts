import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'ts-migrator/decorators';
import { Order } from './order';

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 255, unique: true })
  email!: string;

  @Column()
  name!: string;

  @CreateDateColumn()
  createdAt!: Date;

  @OneToMany(() => Order, (order) => order.customer)
  orders!: Order[];
}
