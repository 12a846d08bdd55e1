import { Column, Entity, ManyToMany, PrimaryGeneratedColumn } from 'ts-migrator/decorators';
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
