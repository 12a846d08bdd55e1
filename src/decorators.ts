/**
 * Decorators with TypeORM's names, for projects that describe their tables with entity classes
 * but do not use TypeORM. They do nothing at run time: migrator reads them from the source.
 */
/* eslint-disable @typescript-eslint/no-unused-vars */
type AnyDecorator = (target: object, propertyKey?: string | symbol) => void;

function noop(..._args: unknown[]): AnyDecorator {
  return () => undefined;
}

export const Entity = noop;
export const Column = noop;
export const PrimaryColumn = noop;
export const PrimaryGeneratedColumn = noop;
export const CreateDateColumn = noop;
export const UpdateDateColumn = noop;
export const DeleteDateColumn = noop;
export const VersionColumn = noop;
export const Index = noop;
export const Unique = noop;
export const Check = noop;
export const ManyToOne = noop;
export const OneToOne = noop;
export const OneToMany = noop;
export const ManyToMany = noop;
export const JoinColumn = noop;
export const JoinTable = noop;
