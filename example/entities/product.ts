import { Check, Column, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'ts-migrator/decorators';
import { Tag } from './tag';

@Entity()
@Check('"price" >= 0')
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Column({ length: 64 })
  sku!: string;

  @Column()
  title!: string;

  @Column({ type: 'decimal', precision: 10, scale: 2 })
  price!: string;

  @Column({ default: true })
  active!: boolean;

  @ManyToMany(() => Tag, (tag) => tag.products)
  @JoinTable()
  tags!: Tag[];
}
