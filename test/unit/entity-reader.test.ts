/**
 * The static entity reader on models written the way real projects write them: base classes and
 * enums in other folders, path aliases, barrels, constants, helper decorators, mixins, NestJS's
 * applyDecorators, naming strategies — and the errors, with file:line, for what it cannot follow.
 * Each test writes a small project into a temporary folder and reads it (no database).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DefaultNamingStrategy, Table } from 'typeorm';
import { readEntityFiles } from '../../src/models/typescript/reader.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** Writes `files` (path → text) under a new temporary folder; returns its path. */
function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-entities-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function read(root: string, files: string[], dialect = 'postgres', namingStrategy?: object): Schema {
  return readEntityFiles(files.map((f) => path.join(root, f)), dialect, { namingStrategy });
}

function table(schema: Schema, name: string): Table {
  const t = schema.tables.find((x) => x.name === name);
  assert.ok(t, `no table ${name} in ${schema.tables.map((x) => x.name).join(', ')}`);
  return t;
}

const columns = (t: Table): Record<string, string> => Object.fromEntries(t.columns.map((c) => [c.name, `${c.type}${c.nullable ? '' : ' not null'}${c.default !== undefined ? ` default ${c.default}` : ''}`]));

/** The error `body` throws: its message must start with file:line and match `pattern`. */
function fails(body: () => unknown, file: string, line: number, pattern: RegExp): string {
  let message = '';
  assert.throws(body, (e: Error) => {
    message = e.message;
    return true;
  });
  assert.ok(message.startsWith(`${file}:${line}: `), `expected ${file}:${line}: …, got: ${message}`);
  assert.match(message, pattern);
  return message;
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, baseUrl: '.', paths: { '@app/*': ['src/*'] } },
});

describe('entity reader: what entities import', () => {
  it('follows base classes, enums and constants across folders, path aliases, barrels and .js suffixes', () => {
    const root = project({
      'tsconfig.json': TSCONFIG,
      'src/common/base.entity.ts': `import { CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
export abstract class BaseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
`,
      'src/common/constants.ts': `export const TITLE_LENGTH = 120;
export const PREFIX = 'app';
export const Tables = { project: \`\${PREFIX}_projects\` } as const;
`,
      'src/common/enums/status.ts': `export enum Status { Draft = 'draft', Live = 'live' }
export enum Priority { Low, High }
export const Visibility = { Private: 'private', Public: 'public' } as const;
`,
      'src/common/index.ts': `export * from './enums/status';
export { TITLE_LENGTH as MAX_TITLE, Tables } from './constants';
`,
      'src/projects/project.entity.ts': `import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../common/base.entity.js';
import { MAX_TITLE, Priority, Status, Tables, Visibility } from '@app/common';

@Entity(Tables.project)
export class Project extends BaseEntity {
  static readonly SLUG_LENGTH = 40;
  @Column({ length: MAX_TITLE }) title!: string;
  @Column({ length: Project.SLUG_LENGTH * 2, unique: true }) slug!: string;
  @Column({ type: 'enum', enum: Status, default: Status.Draft }) status!: Status;
  @Column({ type: 'enum', enum: Visibility, enumName: 'visibility' }) visibility!: string;
  @Column({ default: Priority.High }) priority!: Priority;
  @Column({ type: String, nullable: true }) note!: string | null;
}
`,
    });
    const s = read(root, ['src/projects/project.entity.ts']);
    const t = table(s, 'app_projects');
    assert.deepEqual(columns(t), {
      id: 'uuid not null default uuid_generate_v4()',
      createdAt: 'timestamp with time zone not null default now()',
      updatedAt: 'timestamp with time zone not null default now()',
      title: 'character varying(120) not null',
      slug: 'character varying(80) not null',
      status: "app_projects_status_enum not null default 'draft'",
      visibility: 'visibility not null',
      priority: "integer not null default '1'",
      note: 'character varying',
    });
    assert.deepEqual(s.enums, [
      { name: 'app_projects_status_enum', values: ['draft', 'live'] },
      { name: 'visibility', values: ['private', 'public'] },
    ]);
    assert.deepEqual(s.extensions, ['uuid-ossp']);
  });

  it('reads mixins, keeps the first declaration of an inherited column and takes the entity\'s own default', () => {
    const root = project({
      'lib/mixins.ts': `import { Column, DeleteDateColumn } from 'typeorm';
type Ctor<T = object> = abstract new (...args: any[]) => T;
export function SoftDeletable<TBase extends Ctor>(Base: TBase) {
  abstract class Mixed extends Base {
    @DeleteDateColumn() deletedAt?: Date;
  }
  return Mixed;
}
export abstract class Root {
  @Column({ primary: true, type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 20, default: 'root' }) kind!: string;
}
`,
      'entities/thing.ts': `import { Column, Entity } from 'typeorm';
import { Root, SoftDeletable } from '../lib/mixins';

@Entity()
export class Thing extends SoftDeletable(Root) {
  @Column({ type: 'text', default: 'thing' }) kind!: string;
  @Column() label!: string;
}
`,
    });
    const t = table(read(root, ['entities/thing.ts'], 'sqlite'), 'thing');
    assert.deepEqual(columns(t), {
      id: 'integer not null',
      kind: "varchar(20) not null default 'thing'",
      deletedAt: 'datetime',
      label: 'varchar not null',
    });
  });
});

describe('entity reader: helper decorators', () => {
  const COLUMNS = `import { Column, ColumnOptions, Index } from 'typeorm';
import { applyDecorators } from '@nestjs/common';

export function DbAwareColumn(options: ColumnOptions) {
  return Column(options);
}
export const JsonColumn = (options: ColumnOptions = {}): PropertyDecorator => Column({ ...options, type: 'simple-json' });
export function MoneyColumn({ nullable = false, precision = 12 }: { nullable?: boolean; precision?: number } = {}) {
  const scale = 2;
  if (nullable) return Column('numeric', { precision, scale, nullable: true });
  return Column('numeric', { precision, scale, default: 0 });
}
export function IndexedColumn(length: number) {
  return applyDecorators(Column({ length }), Index());
}
export function Searchable(): PropertyDecorator {
  return (target, key) => {
    Column({ type: 'text', nullable: true })(target, key);
    Index()(target, key);
  };
}
/** A decorator of the project that never reaches TypeORM: left alone. */
export function Audited(): PropertyDecorator {
  return (target, key) => Reflect.defineMetadata('audited', true, target, key);
}
`;

  it('expands helpers that return TypeORM decorators, and leaves validation decorators and schema-free ones alone', () => {
    const root = project({
      'src/db/columns.ts': COLUMNS,
      'src/order.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IsEmail, Length } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import * as db from './db/columns';

@Entity()
export class Order {
  @PrimaryGeneratedColumn() id!: number;
  @db.DbAwareColumn({ type: 'varchar', length: 64 }) @IsEmail() @ApiProperty() email!: string;
  @db.JsonColumn({ nullable: true }) meta!: object;
  @db.MoneyColumn() total!: string;
  @db.MoneyColumn({ nullable: true, precision: 8 }) discount!: string | null;
  @db.IndexedColumn(30) @Length(1, 30) code!: string;
  @db.Searchable() @db.Audited() notes!: string;
}
`,
    });
    const t = table(read(root, ['src/order.ts']), 'order');
    assert.deepEqual(columns(t), {
      id: 'integer not null',
      email: 'character varying(64) not null',
      meta: 'text',
      total: "numeric(12,2) not null default '0'",
      discount: 'numeric(8,2)',
      code: 'character varying(30) not null',
      notes: 'text',
    });
    assert.deepEqual(t.indexes.map((i) => i.columns), [['code'], ['notes']]);
  });

  it('knows decorator libraries by name even when they are installed with their declarations', () => {
    const root = project({
      'node_modules/class-validator/package.json': JSON.stringify({ name: 'class-validator', types: 'types/index.d.ts' }),
      'node_modules/class-validator/types/index.d.ts': `export declare function IsNotEmpty(): PropertyDecorator;\n`,
      'node_modules/search-lib/package.json': JSON.stringify({ name: 'search-lib', types: 'index.d.ts' }),
      'node_modules/search-lib/index.d.ts': `export declare function Searchable(): PropertyDecorator;\n`,
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsNotEmpty } from 'class-validator';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column('text') @IsNotEmpty() body!: string;
}
`,
      'b.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Searchable } from 'search-lib';
@Entity()
export class B {
  @PrimaryColumn() id!: number;
  @Column('text') @Searchable() body!: string;
}
`,
    });
    assert.deepEqual(columns(table(read(root, ['a.ts']), 'a')), { id: 'integer not null', body: 'text not null' });
    fails(() => read(root, ['b.ts']), path.join(root, 'b.ts'), 6, /@Searchable comes from 'search-lib'/);
  });

  it('names the helper and where it is used when a helper cannot be followed', () => {
    const root = project({
      'src/db/columns.ts': `import { Column, ColumnOptions } from 'typeorm';
export function DbAwareColumn(options: ColumnOptions) {
  if (options.type === 'timestamptz' && process.env.DB === 'sqlite') options.type = 'datetime';
  return Column(options);
}
`,
      'src/event.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import { DbAwareColumn } from './db/columns';

@Entity()
export class Event {
  @PrimaryColumn() id!: number;

  @DbAwareColumn({ type: 'timestamptz' })
  at!: Date;
}
`,
    });
    const message = fails(() => read(root, ['src/event.ts']), path.join(root, 'src/db/columns.ts'), 3, /process|without running the code/);
    assert.match(message, new RegExp(`used at ${path.join(root, 'src/event.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8`));
    assert.match(message, /models: \{ typeorm:/);
  });

  it('refuses decorators of modules it does not know, and TypeORM features only TypeORM can read', () => {
    const root = project({
      'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import { Searchable } from 'some-search-lib';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Searchable() name!: string;
}
`,
      'b.ts': `import { ChildEntity, Column } from 'typeorm';
@ChildEntity()
export class B {
  @Column() name!: string;
}
`,
      'c.ts': `import { Column, Entity, ManyToOne, PrimaryColumn } from 'typeorm';
class Address {
  @Column() city!: string;
  @ManyToOne(() => C) resident!: C;
}
@Entity()
export class C {
  @PrimaryColumn() id!: number;
  @Column(() => Address) address!: Address;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 6, /'some-search-lib'/);
    fails(() => read(root, ['b.ts']), path.join(root, 'b.ts'), 2, /@ChildEntity B extends no entity with @TableInheritance; extend the entity whose table its rows go to, or make it an @Entity/);
    fails(() => read(root, ['c.ts']), path.join(root, 'c.ts'), 4, /a relation in Address, which C\.address embeds, is not read by migrator's static reader; move it to the entity, or .*models: \{ typeorm:/);
  });

  it('refuses a base class it cannot read, instead of losing its columns', () => {
    const root = project({
      'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import { AggregateRoot } from '@nestjs/cqrs';
@Entity()
export class A extends AggregateRoot {
  @PrimaryColumn() id!: number;
}
`,
      'b.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import { Base } from './missing/base';
@Entity()
export class B extends Base {
  @PrimaryColumn() id!: number;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 4, /base class `AggregateRoot`.*'@nestjs\/cqrs'/);
    fails(() => read(root, ['b.ts']), path.join(root, 'b.ts'), 4, /base class `Base`/);
  });

  it('reads a type from a constant only when it is a const known without running the code', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
const dbType = process.env.DB_TYPE;
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column({ type: dbType === 'postgres' ? 'timestamptz' : 'datetime' }) at!: Date;
}
`,
      'b.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
let size = 10;
@Entity()
export class B {
  @PrimaryColumn() id!: number;
  @Column({ length: size }) name!: string;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 2, /process\.env/);
    fails(() => read(root, ['b.ts']), path.join(root, 'b.ts'), 6, /`size` is not a const/);
  });
  it('follows a helper that applies the TypeORM decorators it is given, one by one, on a flag that is known; one it cannot follow is an error, never skipped', () => {
    const root = project({
      'src/flags.ts': `const FLAGS: Record<string, boolean> = { channels: true };
export function WhenEnabled(flag: string, decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    if (!FLAGS[flag]) return;
    decorators.forEach((d) => d(target, key));
  };
}
export function Together(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const d of decorators) d(target, key);
  };
}
export function Later(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    setImmediate(() => decorators.forEach((d) => d(target, key)));
  };
}
`,
      'src/cart.ts': `import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Together, WhenEnabled } from './flags';
@Entity()
export class Channel {
  @PrimaryColumn() id!: string;
}
@Entity()
export class Cart {
  @PrimaryColumn() id!: string;
  @WhenEnabled('channels', [ManyToOne(() => Channel), JoinColumn({ name: 'channel_id' })]) channel!: Channel;
  @WhenEnabled('legacy', [Column({ type: 'text' })]) legacy!: string;
  @Together(Column({ type: 'text', nullable: true }), Index()) note!: string;
}
`,
      'src/late.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Later } from './flags';
@Entity()
export class Late {
  @PrimaryColumn() id!: string;
  @Later([Column({ type: 'text' })]) note!: string;
}
`,
    });
    const cart = table(read(root, ['src/cart.ts']), 'cart');
    assert.deepEqual(columns(cart), { id: 'character varying not null', note: 'text', channel_id: 'character varying' });
    // Every decorator a rest parameter gathers, not only the first.
    assert.deepEqual(cart.indexes.map((i) => i.columns), [['note']]);
    assert.deepEqual(cart.foreignKeys.map((f) => `${f.columns.join()} -> ${f.referencedTable}(${f.referencedColumns.join()})`), ['channel_id -> channel(id)']);
    const message = fails(() => read(root, ['src/late.ts']), path.join(root, 'src/flags.ts'), 15, /`setImmediate` is a global of the JavaScript runtime, which migrator cannot follow without running the code; .*models: \{ typeorm:/);
    assert.match(message, /src\/late\.ts:6/);
  });

  it('compares an array, an object or a function strictly with a primitive as JavaScript does: never equal', () => {
    const root = project({
      'a.ts': `import { Column, ColumnOptions, Entity, PrimaryColumn } from 'typeorm';
function Flagged(flag: string | string[], options: ColumnOptions): PropertyDecorator {
  if (flag === 'off') return () => undefined;
  if (flag !== 'legacy' && typeof flag === 'object') return Column({ ...options, comment: 'several flags' });
  return Column(options);
}
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Flagged(['on', 'beta'], { type: 'text' }) note!: string;
  @Flagged('on', { type: 'text' }) body!: string;
}
`,
    });
    const a = table(read(root, ['a.ts']), 'a');
    assert.deepEqual(a.columns.map((c) => [c.name, c.comment ?? null]), [
      ['id', null],
      ['note', 'several flags'],
      ['body', null],
    ]);
  });

  it('reads a constant a destructuring declares, and says when its value is only known at run time', () => {
    const root = project({
      'src/config.ts': `const config = { database: { type: 'postgresdb', sizes: [40, 80] } } as const;
export const { type: dbType, sizes: [short, long = 200], missing = 'text' } = config.database as { type: string; sizes: readonly number[]; missing?: string };
declare const Container: { get(k: unknown): { database: { type: string } } };
export const { type: liveType } = Container.get('config').database;
`,
      'src/a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dbType, long, missing, short } from './config';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column({ type: dbType === 'sqlite' ? 'simple-json' : 'json' }) data!: unknown;
  @Column({ length: short }) code!: string;
  @Column({ length: long }) title!: string;
  @Column({ type: missing as 'text' }) body!: string;
}
`,
      'src/b.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { liveType } from './config';
@Entity()
export class B {
  @PrimaryColumn() id!: number;
  @Column({ type: liveType === 'sqlite' ? 'simple-json' : 'json' }) data!: unknown;
}
`,
    });
    assert.deepEqual(columns(table(read(root, ['src/a.ts']), 'a')), {
      id: 'integer not null',
      data: 'json not null',
      code: 'character varying(40) not null',
      title: 'character varying(80) not null',
      body: 'text not null',
    });
    const live = fails(() => read(root, ['src/b.ts']), path.join(root, 'src/config.ts'), 4, /`Container` has no value to read .*models: \{ typeorm:/);
    assert.match(live, /used at \S*src\/b\.ts:6/);
  });
});

describe('entity reader: helpers with statements', () => {
  it('runs a helper that reassigns and mutates its options on known conditions, as a wrapper does', () => {
    const root = project({
      'utils/db-aware-column.ts': `import { Column, ColumnOptions, ColumnType } from 'typeorm';
export function resolveDbType(type: ColumnType): ColumnType {
  return type;
}
export function DbAwareColumn(columnOptions: ColumnOptions): PropertyDecorator {
  const before = columnOptions.type;
  if (columnOptions.type) {
    columnOptions.type = resolveDbType(columnOptions.type);
  }
  let extra = {};
  if (before === 'jsonb' && typeof columnOptions.default !== 'undefined' && 'default' in columnOptions) {
    extra = { comment: 'json' };
    columnOptions.default = JSON.stringify(columnOptions.default);
  }
  return Column({ ...columnOptions, ...extra });
}
`,
      'models/cart.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import { DbAwareColumn } from '../utils/db-aware-column';
@Entity()
export class Cart {
  @PrimaryColumn() id!: string;
  @DbAwareColumn({ type: 'jsonb', default: { items: [] } }) context!: object;
  @DbAwareColumn({ type: 'timestamptz', nullable: true }) completedAt!: Date | null;
}
`,
    });
    const t = table(read(root, ['models/cart.ts']), 'cart');
    assert.deepEqual(columns(t), {
      id: 'character varying not null',
      // JSON.stringify ran: the default is the JSON text, as TypeORM writes a string default.
      context: `jsonb not null default '{"items":[]}'`,
      completedAt: 'timestamp with time zone',
    });
    assert.equal(t.columns[1].comment, 'json');
  });

  it('runs a switch on a known value in a helper: the matching case, falling through to a break, else default', () => {
    const root = project({
      'db/columns.ts': `import { Column, ColumnOptions } from 'typeorm';
export const ENGINE: string = 'postgres';
export function TextColumn(kind: 'short' | 'long' | 'code', options: ColumnOptions = {}): PropertyDecorator {
  let length: number | undefined;
  switch (kind) {
    case 'code':
      options = { ...options, comment: 'a code' };
    case 'short':
      length = 40;
      break;
    default:
      return Column({ type: 'text', ...options });
  }
  switch (ENGINE) {
    case 'mysql':
      return Column({ type: 'varchar', length: length! * 4, ...options });
  }
  return Column({ type: 'varchar', length, ...options });
}
`,
      'note.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn } from './db/columns';
@Entity()
export class Note {
  @PrimaryGeneratedColumn() id!: number;
  @TextColumn('short') title!: string;
  @TextColumn('code', { nullable: true }) code!: string | null;
  @TextColumn('long') body!: string;
}
`,
    });
    const t = table(read(root, ['note.ts']), 'note');
    assert.deepEqual(columns(t), { id: 'integer not null', title: 'character varying(40) not null', code: 'character varying(40)', body: 'text not null' });
    assert.equal(t.columns.find((c) => c.name === 'code')?.comment, 'a code');
  });

  it('two entities of one table: an error with what to do; with synchronize: false on one, the other says what the table is, and relations to either reach it', () => {
    const app = (name: string, sync: string, extra: string): string => `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity({ name: 'apps'${sync} })\nexport class ${name} {\n  @PrimaryGeneratedColumn('uuid') id!: string;\n  @Column({ unique: true }) slug!: string;\n${extra}}\n`;
    const files = {
      'app.ts': app('App', '', '  @Column({ nullable: true }) icon!: string;\n'),
      'app-base.ts': app('AppBase', '', ''),
      'version.ts': `import { Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';\nimport { AppBase } from './app-base';\n@Entity()\nexport class Version {\n  @PrimaryGeneratedColumn() id!: number;\n  @ManyToOne(() => AppBase) app!: AppBase;\n}\n`,
    };
    const both = project(files);
    fails(() => read(both, ['app.ts', 'app-base.ts', 'version.ts']), path.join(both, 'app-base.ts'), 2, /AppBase and App both map to table "apps"; if one of them only reads the table .*give it @Entity\(\{ name, synchronize: false \}\)/);
    const slim = project({ ...files, 'app-base.ts': app('AppBase', ', synchronize: false', '') });
    const s = read(slim, ['app.ts', 'app-base.ts', 'version.ts']);
    assert.deepEqual(table(s, 'apps').columns.map((c) => c.name), ['id', 'slug', 'icon']);
    assert.deepEqual(table(s, 'version').foreignKeys.map((f) => [f.columns, f.referencedTable, f.referencedColumns]), [[['appId'], 'apps', ['id']]]);
  });

  it('a string mapping (Lowercase<string>), a template literal type and keyof typeof a constant are strings, as TypeScript serialises them', () => {
    const root = project({
      'types.ts': "export type Username = Lowercase<string>;\nexport type Code = Uppercase<string>;\nexport type Slug = `${string}-${string}`;\nexport const LEVELS = { low: 1, high: 2 } as const;\nexport type LevelName = keyof typeof LEVELS;\n",
      'user.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Code, LevelName, Slug, Username } from './types';
@Entity()
export class User {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ unique: true }) username!: Username;
  @Column() code!: Code;
  @Column() slug!: Slug;
  @Column() level!: LevelName;
  @Column() title!: Capitalize<string>;
}
`,
    });
    assert.deepEqual(columns(table(read(root, ['user.ts']), 'user')), {
      id: 'integer not null',
      username: 'character varying not null',
      code: 'character varying not null',
      slug: 'character varying not null',
      level: 'character varying not null',
      title: 'character varying not null',
    });
    // A mapping over something else is no string TypeScript can tell.
    const odd = project({ 'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class A {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column() n!: Lowercase<any>;\n}\n` });
    fails(() => read(odd, ['a.ts']), path.join(odd, 'a.ts'), 5, /cannot tell the column type of A\.n/);
  });

  it('reads an as-const enum from a compiled package (its declaration file), and says so when the package is missing', () => {
    const root = project({
      'node_modules/@cloud/sdk/package.json': JSON.stringify({ name: '@cloud/sdk', types: './types/index.d.ts' }),
      'node_modules/@cloud/sdk/types/index.d.ts': `export * from './models';\n`,
      'node_modules/@cloud/sdk/types/models.d.ts': `export declare const KeyType: {\n  readonly ed25519: "ed25519";\n  readonly rsa: "rsa";\n};\nexport type KeyType = (typeof KeyType)[keyof typeof KeyType];\n`,
      'key.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { KeyType } from '@cloud/sdk';
import { Region } from '@cloud/missing';
@Entity()
export class Key {
  @PrimaryColumn() id!: string;
  @Column({ type: 'enum', enum: KeyType, nullable: true }) type!: KeyType;
}
@Entity()
export class Zone {
  @PrimaryColumn() id!: string;
  @Column({ type: 'enum', enum: Region }) region!: string;
}
`,
    });
    const message = fails(() => read(root, ['key.ts']), path.join(root, 'key.ts'), 12, /enum Region comes from '@cloud\/missing'.*npm install/);
    assert.ok(!message.includes('KeyType'));
    const keyOnly = project({ ...Object.fromEntries(['node_modules/@cloud/sdk/package.json', 'node_modules/@cloud/sdk/types/index.d.ts', 'node_modules/@cloud/sdk/types/models.d.ts'].map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')])), 'key.ts': fs.readFileSync(path.join(root, 'key.ts'), 'utf8').replace(/@Entity\(\)\nexport class Zone[\s\S]*$/, '').replace("import { Region } from '@cloud/missing';\n", '') });
    const s = read(keyOnly, ['key.ts']);
    assert.deepEqual(s.enums, [{ name: 'key_type_enum', values: ['ed25519', 'rsa'] }]);
  });
});

describe('entity reader: TypeScript types as emitDecoratorMetadata reports them', () => {
  const entity = `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column({ nullable: true }) name!: string | null;
}
`;
  it('string | null is String without strictNullChecks', () => {
    const root = project({ 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: false } }), 'a.ts': entity });
    assert.equal(columns(table(read(root, ['a.ts'], 'sqlite'), 'a')).name, 'varchar');
  });

  it('string | null is Object under strictNullChecks, which TypeORM refuses: an error asking for a type', () => {
    const root = project({ 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }), 'a.ts': entity });
    fails(() => read(root, ['a.ts'], 'sqlite'), path.join(root, 'a.ts'), 5, /`string \| null` \(Object to TypeORM under strictNullChecks\); give one/);
  });

  it("type: 'string' is refused, as TypeORM 1.x refuses it", () => {
    const root = project({ 'a.ts': entity.replace('@Column({ nullable: true })', "@Column({ type: 'string' })") });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 5, /"string" .* not supported on postgres/);
  });
});

describe('entity reader: what TypeORM\'s drivers do with a type', () => {
  const entity = (column: string): string => `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  ${column}
}
`;

  it("SQLite: type 'enum' is refused as TypeORM refuses it; simple-enum and enum values are CHECKed, arrays are not", () => {
    const root = project({
      'a.ts': entity("@Column({ type: 'enum', enum: ['a', 'b'] }) kind!: string;"),
      'b.ts': entity("@Column({ type: 'simple-enum', enum: ['a', 'b'] }) kind!: string;\n  @Column({ type: 'integer', array: true, enum: [1, 2] }) flags!: number[];").replace('class A', 'class B'),
    });
    fails(() => read(root, ['a.ts'], 'sqlite'), path.join(root, 'a.ts'), 5, /"enum" of A.kind is not supported on sqlite/);
    const b = table(read(root, ['b.ts'], 'sqlite'), 'b');
    assert.deepEqual(columns(b), { id: 'integer not null', kind: 'varchar not null', flags: 'integer array not null' });
    assert.deepEqual(b.checks, [{ expression: `"kind" IN ('a','b')` }]);
  });

  it('PostgreSQL: a column type that needs an extension brings it, as TypeORM installs it', () => {
    const root = project({ 'a.ts': entity("@Column({ type: 'citext' }) login!: string;\n  @Column({ type: 'hstore', nullable: true }) attrs!: string;") });
    assert.deepEqual(read(root, ['a.ts']).extensions, ['citext', 'hstore']);
  });
});

describe('entity reader: naming strategies', () => {
  /** A snake-case strategy of our own, shaped like typeorm-naming-strategies' one. */
  const snake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const strategy = {
    tableName: (className: string, custom?: string) => custom ?? `${snake(className)}s`,
    columnName: (property: string, custom: string | undefined, prefixes: string[]) => custom ?? snake([...prefixes, property].join('_')),
    joinColumnName: (relation: string, referenced: string) => snake(`${relation}_${referenced}`),
    joinTableName: (first: string, second: string, firstProperty: string) => snake(`${first}_${firstProperty}_${second}`),
    joinTableColumnName: (t: string, property: string, column?: string) => snake(`${t}_${column ?? property}`),
    primaryKeyName: (t: string | { name: string }, cols: string[]) => `pk_${typeof t === 'string' ? t : t.name}_${cols.join('_')}`,
  };

  it('is called where TypeORM calls it, with TypeORM\'s defaults for what it leaves out', () => {
    const root = project({
      'user.ts': `import { Column, Entity, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Team } from './team';
@Entity()
export class UserAccount {
  @PrimaryGeneratedColumn() id!: number;
  @Column() firstName!: string;
  @Column({ name: 'mail' }) emailAddress!: string;
  @ManyToOne(() => Team) homeTeam!: Team;
  @ManyToMany(() => Team) @JoinTable() followedTeams!: Team[];
}
`,
      'team.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Team {
  @PrimaryGeneratedColumn() teamId!: number;
}
`,
    });
    const s = read(root, ['user.ts', 'team.ts'], 'postgres', strategy);
    const user = table(s, 'user_accounts');
    assert.deepEqual(user.columns.map((c) => c.name), ['id', 'first_name', 'mail', 'home_team_team_id']);
    assert.equal(user.primaryKey?.name, 'pk_user_accounts_id');
    // foreignKeyName is not overridden: TypeORM's default, over the strategy's column names.
    assert.match(user.foreignKeys[0].name!, /^FK_[0-9a-f]{27}$/);
    const junction = table(s, 'user_accounts_followed_teams_teams');
    assert.deepEqual(junction.columns.map((c) => c.name), ['user_accounts_id', 'teams_team_id']);
  });

  it('primaryKeyName gets a TypeORM Table, as TypeORM passes it (a strategy copied from TypeORM asks `instanceof Table`)', () => {
    const root = project({ 'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';\n@Entity()\nexport class A { @PrimaryColumn() id!: number; }\n` });
    const copied = {
      primaryKeyName(tableOrName: Table | string, columns: string[]): string {
        const name = tableOrName instanceof Table ? tableOrName.name : tableOrName;
        return `pk_${name.split('.').pop()}_${columns.join('_')}`;
      },
    };
    assert.equal(table(read(root, ['a.ts'], 'postgres', copied), 'a').primaryKey?.name, 'pk_a_id');
  });

  it('a method that throws is an error naming it and its arguments', () => {
    const root = project({ 'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';\n@Entity()\nexport class A { @PrimaryColumn() id!: number; }\n` });
    const broken = { primaryKeyName: (): string => { throw new TypeError('tableOrName.split is not a function'); } };
    assert.throws(() => read(root, ['a.ts'], 'postgres', broken), { message: 'namingStrategy.primaryKeyName("a", ["id"]) failed: tableOrName.split is not a function' });
  });

  it('a method that returns no name is an error naming it', () => {
    const root = project({ 'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';\n@Entity()\nexport class A { @PrimaryColumn() id!: number; }\n` });
    assert.throws(() => read(root, ['a.ts'], 'sqlite', { ...strategy, tableName: () => undefined }), /namingStrategy\.tableName\("A", undefined\) returned undefined/);
  });
});

describe('entity reader: a primary column, as TypeORM requires', () => {
  it('an entity without one is an error naming the class and its file:line, as TypeORM refuses it', () => {
    const root = project({
      'note.ts': `import { Column, Entity } from 'typeorm';

/** A note. */
@Entity('notes')
export class Note {
  @Column() body!: string;
}
`,
    });
    const message = fails(() => read(root, ['note.ts']), path.join(root, 'note.ts'), 4, /entity Note has no primary column, which TypeORM refuses.*add one, e\.g\. @PrimaryGeneratedColumn\(\)/);
    assert.doesNotMatch(message, /of the project's own/);
  });

  it("names the project's own decorators that reach no TypeORM decorator, which may make the primary column when the app starts", () => {
    // A decorator that records the column for a start-up step instead of calling TypeORM.
    const root = project({
      'ids.ts': `const pending = new Map<object, string>();
export function PrimaryGeneratedId(): PropertyDecorator {
  return (target, key) => {
    pending.set(target, String(key));
  };
}
`,
      'base.ts': `import { CreateDateColumn } from 'typeorm';
import { PrimaryGeneratedId } from './ids';
export abstract class Base {
  @PrimaryGeneratedId()
  id!: number;
  @CreateDateColumn() createdAt!: Date;
}
`,
      'channel.ts': `import { Column, Entity } from 'typeorm';
import { Base } from './base';
@Entity()
export class Channel extends Base {
  @Column() code!: string;
}
`,
    });
    fails(
      () => read(root, ['channel.ts']),
      path.join(root, 'channel.ts'),
      3,
      new RegExp(`entity Channel has no primary column.*; @PrimaryGeneratedId \\(${path.join(root, 'base.ts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4\\) is a decorator of the project's own that reaches no TypeORM decorator migrator can see — if one makes the primary column when the app starts, declare the column with @PrimaryGeneratedColumn or @PrimaryColumn, or let TypeORM itself read the entities`),
    );
  });

  it('a primary column of a base class counts; a base class without one does not make one', () => {
    const root = project({
      'base.ts': `import { CreateDateColumn, PrimaryColumn } from 'typeorm';
export abstract class Keyed {
  @PrimaryColumn({ type: 'varchar', length: 20 }) code!: string;
}
export abstract class Stamped {
  @CreateDateColumn() createdAt!: Date;
}
`,
      'entities.ts': `import { Column, Entity } from 'typeorm';
import { Keyed, Stamped } from './base';
@Entity()
export class Country extends Keyed {
  @Column() name!: string;
}
@Entity()
export class Visit extends Stamped {
  @Column() country!: string;
}
`,
    });
    fails(() => read(root, ['entities.ts']), path.join(root, 'entities.ts'), 7, /entity Visit has no primary column/);
    const only = project({
      'base.ts': fs.readFileSync(path.join(root, 'base.ts'), 'utf8'),
      'country.ts': `import { Column, Entity } from 'typeorm';
import { Keyed } from './base';
@Entity()
export class Country extends Keyed {
  @Column() name!: string;
}
`,
    });
    assert.deepEqual(table(read(only, ['country.ts']), 'country').primaryKey?.columns, ['code']);
  });

  it('a column marked primary: true is one', () => {
    const root = project({ 'tag.ts': `import { Column, Entity } from 'typeorm';\n@Entity()\nexport class Tag {\n  @Column({ primary: true }) slug!: string;\n}\n` });
    assert.deepEqual(table(read(root, ['tag.ts'], 'sqlite'), 'tag').primaryKey?.columns, ['slug']);
  });
});

describe('entity reader: @Generated beside a column decorator', () => {
  const entity = (body: string): Record<string, string> => ({
    'a.ts': `import { Column, Entity, Generated, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class A {\n${body}\n}\n`,
  });

  it("'uuid' makes a uuid column whatever type it was given, with the driver's generated default unless it has its own", () => {
    const root = project(
      entity(`  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar' }) @Generated('uuid') ref!: string;
  @Column({ default: () => 'gen_random_uuid()' }) @Generated('uuid') alt!: string;`),
    );
    const pg = read(root, ['a.ts'], 'postgres');
    assert.deepEqual(columns(table(pg, 'a')), { id: 'integer not null', ref: 'uuid not null default uuid_generate_v4()', alt: 'uuid not null default gen_random_uuid()' });
    assert.deepEqual(pg.extensions, ['uuid-ossp']);
    // SQLite and MySQL have no uuid type, and TypeORM makes the value itself: no default; a length given stays.
    const sized = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @Column({ type: 'varchar', length: 40 }) @Generated('uuid') ref!: string;`));
    assert.deepEqual(columns(table(read(sized, ['a.ts'], 'sqlite'), 'a')), { id: 'integer not null', ref: 'varchar(40) not null' });
    assert.equal(columns(table(read(sized, ['a.ts'], 'mysql'), 'a')).ref, 'varchar(40) not null');
    assert.equal(columns(table(read(root, ['a.ts'], 'mysql'), 'a')).ref, 'varchar(36) not null');
  });

  it("'increment' numbers a primary column on every dialect, and another column where the database allows it", () => {
    const root = project(entity(`  @PrimaryColumn() @Generated() id!: number;\n  @Column() @Generated() seq!: number;`));
    const pg = table(read(root, ['a.ts'], 'postgres'), 'a');
    assert.deepEqual(
      pg.columns.map((c) => [c.name, c.autoincrement ?? false]),
      [
        ['id', true],
        ['seq', true],
      ],
    );
    assert.deepEqual(pg.primaryKey?.columns, ['id']);
    const file = path.join(root, 'a.ts');
    fails(() => read(root, ['a.ts'], 'sqlite'), file, 5, /@Generated\('increment'\) on A\.seq, which is not the primary key: SQLite numbers only the primary key, so TypeORM's CREATE TABLE would fail; make it the primary column, or use @Generated\('uuid'\)/);
    fails(() => read(root, ['a.ts'], 'mysql'), file, 5, /which is not a key: MySQL numbers only a key.*make it the primary column, unique, or the first column of an @Index/);
    const keyed = project(entity(`  @PrimaryColumn() code!: string;\n  @Column({ unique: true }) @Generated() seq!: number;`));
    assert.equal(table(read(keyed, ['a.ts'], 'mysql'), 'a').columns.find((c) => c.name === 'seq')?.autoincrement, true);
    // Any index the column leads is a key to MySQL, as TypeORM's CREATE TABLE writes it.
    const indexedBy = (index: string, property: string): Record<string, string> => ({
      'a.ts': `import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';\n@Entity()\n${index}export class A {\n  @PrimaryColumn() code!: string;\n  ${property}@Column() @Generated() seq!: number;\n}\n`,
    });
    const indexed = project(indexedBy('', '@Index() '));
    assert.equal(table(read(indexed, ['a.ts'], 'mysql'), 'a').columns.find((c) => c.name === 'seq')?.autoincrement, true);
    const leading = project(indexedBy("@Index(['seq', 'code'])\n", ''));
    assert.equal(table(read(leading, ['a.ts'], 'mysql'), 'a').columns.find((c) => c.name === 'seq')?.autoincrement, true);
    const second = project(indexedBy("@Index(['code', 'seq'])\n", ''));
    fails(() => read(second, ['a.ts'], 'mysql'), path.join(second, 'a.ts'), 6, /which is not a key: MySQL numbers only a key/);
  });

  it('is an error, with file:line, without a column, on a column TypeORM already generates, or with a strategy TypeORM has not', () => {
    const file = (root: string): string => path.join(root, 'a.ts');
    const alone = project(entity(`  @PrimaryColumn() id!: number;\n  @Generated('uuid') ref!: string;`));
    fails(() => read(alone, ['a.ts']), file(alone), 5, /@Generated needs a column decorator on the same property/);
    const twice = project(entity(`  @PrimaryGeneratedColumn() @Generated() id!: number;`));
    fails(() => read(twice, ['a.ts']), file(twice), 4, /@Generated on A\.id, whose values TypeORM already makes \(@PrimaryGeneratedColumn\); remove one of them/);
    const unknown = project(entity(`  @PrimaryColumn() id!: number;\n  @Column() @Generated('random') ref!: string;`));
    fails(() => read(unknown, ['a.ts']), file(unknown), 5, /unknown generation strategy "random"; use 'increment', 'uuid' or 'identity'/);
  });
  it("'increment' on a column of a type the database cannot number is an error on every dialect, as TypeORM's CREATE TABLE fails there", () => {
    const root = project(entity(`  @Generated() @PrimaryColumn() id!: string;\n  @Column() name!: string;`));
    const file = path.join(root, 'a.ts');
    fails(() => read(root, ['a.ts'], 'postgres'), file, 4, /A\.id is numbered by the database \(@Generated\('increment'\)\), but its type is character varying: PostgreSQL numbers only integer, smallint or bigint, so TypeORM's CREATE TABLE would fail; give it type: 'integer', or use @Generated\('uuid'\)/);
    fails(() => read(root, ['a.ts'], 'sqlite'), file, 4, /but its type is varchar: SQLite numbers only integer/);
    fails(() => read(root, ['a.ts'], 'mysql'), file, 4, /but its type is varchar\(255\): MySQL numbers only an integer or floating-point type.*give it type: 'int'/);
    const typed = project(entity(`  @Generated() @PrimaryColumn({ type: 'bigint' }) id!: string;`));
    assert.equal(table(read(typed, ['a.ts'], 'postgres'), 'a').columns[0].type, 'bigint');
    assert.equal(table(read(typed, ['a.ts'], 'mysql'), 'a').columns[0].autoincrement, true);
  });
  it('deferrable, which neither reader takes, is an error that says so rather than sending the user to the other reader', () => {
    const root = project({
      'a.ts': `import { Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class A {\n  @PrimaryGeneratedColumn() id!: number;\n  @ManyToOne(() => A, { deferrable: 'INITIALLY DEFERRED' }) parent!: A;\n}\n`,
    });
    const message = fails(() => read(root, ['a.ts'], 'postgres'), path.join(root, 'a.ts'), 5, /option "deferrable" of @ManyToOne makes the constraint DEFERRABLE, which migrator cannot describe \(nor does it when TypeORM itself reads the entities\); remove it, or make the constraint deferrable in a revision with op\.execute/);
    assert.doesNotMatch(message, /models: \{ typeorm:/);
  });

  it('MySQL: two numbered columns, or a numbered key column behind another leading no index, are errors, as TypeORM and MySQL refuse them', () => {
    const behind = project(entity(`  @PrimaryColumn({ type: 'varchar', length: 8 }) kind!: string;\n  @PrimaryGeneratedColumn() id!: number;`));
    fails(() => read(behind, ['a.ts'], 'mysql'), path.join(behind, 'a.ts'), 5, /A\.id is numbered by the database behind kind in the primary key \(kind, id\), and leads no index: MySQL numbers only a column that leads a key/);
    const first = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @PrimaryColumn({ type: 'varchar', length: 8 }) kind!: string;`));
    assert.deepEqual(table(read(first, ['a.ts'], 'mysql'), 'a').primaryKey?.columns, ['id', 'kind']);
    const indexed = project({ 'a.ts': `import { Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\n@Index(['id'])\nexport class A {\n  @PrimaryColumn({ type: 'varchar', length: 8 }) kind!: string;\n  @PrimaryGeneratedColumn() id!: number;\n}\n` });
    assert.equal(table(read(indexed, ['a.ts'], 'mysql'), 'a').columns[1].autoincrement, true);
    const two = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @Index({ unique: true }) @Column() @Generated('increment') seq!: number;`));
    fails(() => read(two, ['a.ts'], 'mysql'), path.join(two, 'a.ts'), 5, /A\.id and A\.seq are both numbered by the database: MySQL numbers one column per table/);
    assert.equal(table(read(two, ['a.ts'], 'postgres'), 'a').columns[1].autoincrement, true, 'PostgreSQL numbers both');
  });

  it('a length on a type that takes none is an error on every dialect, as TypeORM refuses it; on one that takes it, read', () => {
    for (const [option, dialect, shown] of [
      ["{ type: 'int', length: 11 }", 'postgres', 'integer'],
      ["{ type: 'uuid', length: 36 }", 'postgres', 'uuid'],
      ["{ type: 'text', length: 100 }", 'postgres', 'text'],
      ["{ type: 'int', length: 11 }", 'mysql', 'int'],
      ["{ type: 'text', length: 100 }", 'mysql', 'text'],
      ["{ type: 'integer', length: 4 }", 'sqlite', 'integer'],
    ] as const) {
      const root = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @Column(${option}) n!: number;`));
      fails(() => read(root, ['a.ts'], dialect), path.join(root, 'a.ts'), 5, new RegExp(`A\\.n has a length, which its type ${shown} does not take: TypeORM refuses it \\("does not support length property"\\)`));
    }
    const fine = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @Column({ type: 'varchar', length: 20, array: true }) tags!: string[];\n  @Column({ type: 'char', length: 2 }) code!: string;\n  @Column({ length: 30 }) name!: string;`));
    assert.deepEqual(table(read(fine, ['a.ts'], 'postgres'), 'a').columns.map((c) => c.type).slice(1), ['character varying(20)[]', 'character(2)', 'character varying(30)']);
    const text = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @Column({ type: 'text', length: 100 }) body!: string;`));
    assert.equal(table(read(text, ['a.ts'], 'sqlite'), 'a').columns[1].name, 'body', 'SQLite takes a length on text');
  });

  it('a numbered column in a primary key of more columns is an error on SQLite, as TypeORM refuses it; PostgreSQL and MySQL number it', () => {
    const root = project(entity(`  @PrimaryGeneratedColumn() id!: number;\n  @PrimaryColumn({ type: 'varchar', length: 8, default: 'main' }) kind!: string;`));
    fails(() => read(root, ['a.ts'], 'sqlite'), path.join(root, 'a.ts'), 4, /A\.id is numbered by the database, but the primary key has 2 columns \(id, kind\): SQLite numbers only a primary key of one column, and TypeORM refuses it \("does not support AUTOINCREMENT on composite primary key"\); make it the only primary column/);
    for (const dialect of ['postgres', 'mysql'] as const) {
      const t = table(read(root, ['a.ts'], dialect), 'a');
      assert.deepEqual([t.primaryKey?.columns, t.columns[0].autoincrement], [['id', 'kind'], true], dialect);
    }
  });
});

describe("entity reader: the project's TypeORM version", () => {
  const ENTITY = `import { Check, Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Tag {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToMany(() => Post, (post) => post.tags) posts!: Post[];
}
@Entity()
@Check('"views" >= 0')
export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @Column() views!: number;
  @ManyToMany(() => Tag, (tag) => tag.posts) @JoinTable() tags!: Tag[];
}
`;
  const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
  const V03 = `CHK_${sha1(encodeURIComponent('post_"views" >= 0')).slice(0, 26)}`;
  const V1 = `CHK_${sha1('post_"views" >= 0').slice(0, 26)}`;
  /** The check's name, and the actions of the junction table's foreign key to the inverse side. */
  const built = (files: Record<string, string>): { check: string | undefined; inverse: string } => {
    const root = project({ ...files, 'src/post.ts': ENTITY });
    const schema = read(root, ['src/post.ts']);
    const fk = table(schema, 'post_tags_tag').foreignKeys.find((f) => f.referencedTable === 'tag')!;
    return { check: table(schema, 'post').checks[0]?.name, inverse: `${fk.onDelete}/${fk.onUpdate}` };
  };

  it('follows the version installed: 0.3 hashes encodeURIComponent(key) and gives an inverse side without actions NO ACTION', () => {
    assert.deepEqual(built({ 'node_modules/typeorm/package.json': JSON.stringify({ name: 'typeorm', version: '0.3.20' }) }), { check: V03, inverse: 'NO ACTION/NO ACTION' });
    assert.deepEqual(built({ 'node_modules/typeorm/package.json': JSON.stringify({ name: 'typeorm', version: '1.1.0' }) }), { check: V1, inverse: 'NO ACTION/NO ACTION' });
    assert.deepEqual(built({ 'node_modules/typeorm/package.json': JSON.stringify({ name: 'typeorm', version: '1.1.1' }) }), { check: V1, inverse: 'CASCADE/CASCADE' });
    // n8n's fork keeps 0.3's rules.
    assert.deepEqual(built({ 'node_modules/@n8n/typeorm/package.json': JSON.stringify({ name: '@n8n/typeorm', version: '0.3.20-12' }) }), { check: V03, inverse: 'NO ACTION/NO ACTION' });
  });

  it('before 0.3.20, which has no comment option on @Entity, a table comment is not written; a range that reaches 0.3.20 writes it', () => {
    const commented = (files: Record<string, string>): string | undefined => {
      const root = project({ ...files, 'src/kitchen.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity({ comment: 'kitchens of the shop' } as any)\nexport class Kitchen {\n  @PrimaryGeneratedColumn() id!: number;\n}\n` });
      return table(read(root, ['src/kitchen.ts']), 'kitchen').comment;
    };
    const installed = (version: string): Record<string, string> => ({ 'node_modules/typeorm/package.json': JSON.stringify({ name: 'typeorm', version }) });
    assert.equal(commented(installed('0.3.17')), undefined);
    assert.equal(commented(installed('0.3.19')), undefined);
    assert.equal(commented(installed('0.3.20')), 'kitchens of the shop');
    assert.equal(commented({ 'package.json': JSON.stringify({ dependencies: { typeorm: '0.3.17' } }) }), undefined);
    assert.equal(commented({ 'package.json': JSON.stringify({ dependencies: { typeorm: '^0.3.17' } }) }), 'kitchens of the shop');
  });

  it("without an installed TypeORM, follows the range package.json asks for, else the newest", () => {
    assert.deepEqual(built({ 'package.json': JSON.stringify({ dependencies: { typeorm: '^0.3.17' } }) }), { check: V03, inverse: 'NO ACTION/NO ACTION' });
    assert.deepEqual(built({ 'package.json': JSON.stringify({ dependencies: { typeorm: '^1.1.1' } }) }), { check: V1, inverse: 'CASCADE/CASCADE' });
    assert.deepEqual(built({}), { check: V1, inverse: 'CASCADE/CASCADE' });
    // A pin, a tilde and a bounded range stand for the versions they allow.
    for (const range of ['1.1.0', '~1.0.0', '1.0.x']) assert.deepEqual(built({ 'package.json': JSON.stringify({ dependencies: { typeorm: range } }) }), { check: V1, inverse: 'NO ACTION/NO ACTION' }, range);
    assert.deepEqual(built({ 'package.json': JSON.stringify({ dependencies: { typeorm: '>=0.3.0 <0.4.0' } }) }), { check: V03, inverse: 'NO ACTION/NO ACTION' });
    assert.deepEqual(built({ 'package.json': JSON.stringify({ dependencies: { typeorm: '>=0.3.0' } }) }), { check: V1, inverse: 'CASCADE/CASCADE' });
  });

  it('with both TypeORM and n8n\'s fork installed, follows the one the entity files import', () => {
    const both = {
      'node_modules/typeorm/package.json': JSON.stringify({ name: 'typeorm', version: '1.1.1' }),
      'node_modules/@n8n/typeorm/package.json': JSON.stringify({ name: '@n8n/typeorm', version: '0.3.20-12' }),
    };
    assert.deepEqual(built(both), { check: V1, inverse: 'CASCADE/CASCADE' });
    const root = project({ ...both, 'src/post.ts': ENTITY.replace("from 'typeorm'", "from '@n8n/typeorm'") });
    assert.equal(table(read(root, ['src/post.ts']), 'post').checks[0]?.name, V03);
  });
});

describe('entity reader: embedded classes (@Column(() => Class))', () => {
  const files = {
    'values.ts': `import { Column } from 'typeorm';
export class Point {
  @Column('integer') x!: number;
}
export abstract class Named {
  @Column({ length: 40 }) label!: string;
}
export class Place extends Named {
  @Column({ name: 'zip_code', length: 10 }) zip!: string;
  @Column(() => Point) corner!: Point;
}
`,
    'site.ts': `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Place, Point } from './values';
@Entity()
export class Site {
  @PrimaryGeneratedColumn() id!: number;
  @Column(() => Place) home!: Place;
  @Column(() => Place, { prefix: 'alt' }) other!: Place;
  @Column(() => Point, { prefix: false }) origin!: Point;
  @Column() note!: string;
  @ManyToOne(() => Site) parent!: Site;
}
`,
  };

  it("names the columns with the prefixes, as TypeORM's naming strategies do, after the entity's own and its join columns", () => {
    const root = project(files);
    // TypeORM's default strategy: the prefixes camel-cased, then the name title-cased (the rest of it lowered).
    assert.deepEqual(
      table(read(root, ['site.ts'], 'sqlite'), 'site').columns.map((c) => c.name),
      ['id', 'note', 'parentId', 'homeLabel', 'homeZip_code', 'homeCornerX', 'altLabel', 'altZip_code', 'altCornerX', 'x'],
    );
    const snake = {
      columnName: (property: string, custom: string | undefined, prefixes: string[]) =>
        [...prefixes, custom ?? property].join('_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
    };
    assert.deepEqual(
      table(read(root, ['site.ts'], 'postgres', snake), 'site').columns.map((c) => `${c.name} ${c.type}`),
      ['id integer', 'note character varying', 'parent_id integer', 'home_label character varying(40)', 'home_zip_code character varying(10)', 'home_corner_x integer', 'alt_label character varying(40)', 'alt_zip_code character varying(10)', 'alt_corner_x integer', 'x integer'],
    );
  });

  it('is an error, with file:line, for what it cannot read in an embedded class and for a class that embeds itself', () => {
    const indexed = project({
      'a.ts': `import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
class Tagged {
  @Index() @Column() tag!: string;
}
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column(() => Tagged, { prefix: 't' }) tagged!: Tagged;
}
`,
    });
    fails(() => read(indexed, ['a.ts']), path.join(indexed, 'a.ts'), 3, /an index in Tagged, which A\.tagged embeds, is not read/);
    const loop = project({
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
class Node {
  @Column() label!: string;
  @Column(() => Node) next!: Node;
}
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column(() => Node) head!: Node;
}
`,
    });
    fails(() => read(loop, ['a.ts']), path.join(loop, 'a.ts'), 4, /Node\.next embeds Node within itself \(Node → Node\): its columns would never end/);
    const prefixed = project({
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
class P { @Column() v!: string; }
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column(() => P, { prefix: 3 }) p!: P;
}
`,
    });
    fails(() => read(prefixed, ['a.ts']), path.join(prefixed, 'a.ts'), 6, /the prefix of A\.p must be a string, true or false/);
    const primary = project({
      'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';
class P {}
@Entity()
export class A {
  @PrimaryColumn(() => P) id!: P;
}
`,
    });
    fails(() => read(primary, ['a.ts']), path.join(primary, 'a.ts'), 5, /@PrimaryColumn takes a type name and\/or an options object; embedded columns are @Column\(\(\) => P\)/);
  });
});

describe('entity reader: single-table inheritance (@TableInheritance, @ChildEntity)', () => {
  const base = `import { ChildEntity, Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, TableInheritance } from 'typeorm';
`;

  it("a discriminator named as a property is that column, indexed as declared; a child is a relation target in its entity's table", () => {
    const root = project({
      'a.ts': `${base}
@Entity()
@TableInheritance({ column: 'kind' })
export class Content {
  @PrimaryGeneratedColumn() id!: number;
  @Index() @Column({ type: 'varchar', length: 10 }) kind!: string;
}
@ChildEntity()
export class Video extends Content {
  @Column({ type: 'integer' }) seconds!: number;
}
@ChildEntity('podcast')
export class Podcast extends Content {
  @Column({ type: 'varchar', length: 40 }) host!: string;
}
@Entity()
export class Playlist {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToOne(() => Video) first!: Video;
  @ManyToOne('Podcast') latest!: Podcast;
}
`,
    });
    const schema = read(root, ['a.ts'], 'sqlite');
    const content = table(schema, 'content');
    assert.deepEqual(columns(content), { id: 'integer not null', kind: 'varchar(10) not null', seconds: 'integer', host: 'varchar(40)' });
    // The declared index of the column is TypeORM's only one on it.
    assert.deepEqual(content.indexes.map((i) => i.columns), [['kind']]);
    assert.deepEqual(schema.tables.map((t) => t.name).sort(), ['content', 'playlist']);
    assert.deepEqual(
      table(schema, 'playlist').foreignKeys.map((f) => `${f.columns.join()} -> ${f.referencedTable}`),
      ['firstId -> content', 'latestId -> content'],
    );
  });

  it('is an error, with file:line, for no discriminator or one with no type, two children with one value, a class between entity and child that is no child, and a class that is both', () => {
    const none = project({
      'a.ts': `${base}@Entity()
@TableInheritance()
export class A {
  @PrimaryGeneratedColumn() id!: number;
}
`,
    });
    fails(() => read(none, ['a.ts']), path.join(none, 'a.ts'), 3, /A uses single-table inheritance without a discriminator column, which TypeORM refuses/);
    const same = project({
      'a.ts': `${base}@Entity()
@TableInheritance({ column: { name: 'kind', type: 'varchar' } })
export class A {
  @PrimaryGeneratedColumn() id!: number;
}
@ChildEntity('x')
export class B extends A {}
@ChildEntity('x')
export class C extends A {}
`,
    });
    fails(() => read(same, ['a.ts']), path.join(same, 'a.ts'), 9, /C and B have the same discriminator value "x", which TypeORM refuses/);
    const untyped = project({
      'a.ts': `${base}@Entity()
@TableInheritance({ column: { name: 'kind' } })
export class A {
  @PrimaryGeneratedColumn() id!: number;
}
`,
    });
    fails(() => read(untyped, ['a.ts']), path.join(untyped, 'a.ts'), 3, /the discriminator column "kind" of A needs a type, e\.g\. column: \{ name: 'kind', type: 'varchar' \}/);
    const between = project({
      'a.ts': `${base}@Entity()
@TableInheritance({ column: { name: 'kind', type: 'varchar' } })
export class A {
  @PrimaryGeneratedColumn() id!: number;
}
export abstract class Middle extends A {
  @Column() note!: string;
}
@ChildEntity()
export class C extends Middle {}
`,
    });
    fails(() => read(between, ['a.ts']), path.join(between, 'a.ts'), 7, /Middle, between A \(@TableInheritance\) and its child C, is no @ChildEntity, and TypeORM leaves its columns out of the table/);
    const both = project({
      'a.ts': `${base}@Entity()
@TableInheritance({ column: { name: 'kind', type: 'varchar' } })
export class A {
  @PrimaryGeneratedColumn() id!: number;
}
@ChildEntity()
@Entity()
export class B extends A {}
`,
    });
    fails(() => read(both, ['a.ts']), path.join(both, 'a.ts'), 7, /B is both an @Entity and a @ChildEntity/);
  });
});

describe('entity reader: patterns of real projects', () => {
  it('types a column by a type parameter as its constraint, and a wrapper type (Boolean, String, Number) as the primitive, as decorator metadata does', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
export enum Size { S = 's', L = 'l' }
@Entity()
export class Box<K extends Size = Size> {
  @PrimaryGeneratedColumn() id!: number;
  @Column() size!: K;
  @Column({ nullable: true }) open?: Boolean;
  @Column() label!: String;
  @Column() weight!: Number;
}
`,
    });
    assert.deepEqual(columns(table(read(root, ['a.ts']), 'box')), {
      id: 'integer not null',
      size: 'character varying not null',
      open: 'boolean',
      label: 'character varying not null',
      weight: 'integer not null',
    });
  });

  it('an entity with synchronize: false has no table but can be referenced; a junction table with synchronize: false is left out', () => {
    const root = project({
      'a.ts': `import { Column, Entity, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity('legacy', { synchronize: false })
export class Legacy {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() label!: string;
}
@Entity()
export class Owner {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToOne(() => Legacy, { nullable: true }) legacy!: Legacy | null;
  @ManyToMany(() => Legacy) @JoinTable({ name: 'owner_legacy', synchronize: false }) others!: Legacy[];
}
`,
    });
    const schema = read(root, ['a.ts']);
    assert.deepEqual(schema.tables.map((t) => t.name), ['owner']);
    assert.deepEqual(columns(table(schema, 'owner')), { id: 'integer not null', legacyId: 'uuid' });
    assert.deepEqual(table(schema, 'owner').foreignKeys.map((f) => `${f.columns.join()} -> ${f.referencedTable}(${f.referencedColumns.join()})`), ['legacyId -> legacy(id)']);
  });

  it('an index with synchronize: false is left to the database by the name it is given; without one it leaves nothing, as in TypeORM', () => {
    const root = project({
      'a.ts': `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
@Index('asset_recent', ['title', 'id'], { synchronize: false })
@Index(['title', 'id'], { synchronize: false })
@Index('asset_by_hand', { synchronize: false })
export class Asset {
  @PrimaryGeneratedColumn() id!: number;
  @Index('asset_title_trgm', { synchronize: false })
  @Index()
  @Column() title!: string;
  @Index({ fulltext: true, synchronize: false })
  @Column() body!: string;
}
`,
    });
    const t = table(read(root, ['a.ts']), 'asset');
    // Only the plain @Index() is the models' own; the fulltext one is not refused, as TypeORM never builds it.
    assert.deepEqual(t.indexes.map((i) => `${i.name}(${i.columns.join()})`), [`${new DefaultNamingStrategy().indexName('asset', ['title'])}(title)`]);
    // In the order TypeORM's metadata has them: members' decorators run before the class's.
    assert.deepEqual(t.unmanaged?.indexes, ['asset_title_trgm', 'asset_by_hand', 'asset_recent']);
  });

  it("an index's type is its method where TypeORM's driver writes one, concurrent changes nothing, and a type or parser a database has not is an error with file:line", () => {
    const root = project({
      'a.ts': `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Doc {
  @PrimaryGeneratedColumn() id!: number;
  @Index('doc_slug', { type: 'hash', concurrent: true })
  @Column({ length: 80 }) slug!: string;
}
`,
    });
    const usingOf = (dialect: string): (string | undefined)[] => table(read(root, ['a.ts'], dialect), 'doc').indexes.map((i) => i.using);
    assert.deepEqual(usingOf('postgres'), ['hash']);
    // TypeORM's mysql query runner writes no index type.
    assert.deepEqual(usingOf('mysql'), [undefined]);
    fails(() => read(root, ['a.ts'], 'sqlite'), path.join(root, 'a.ts'), 5, /@Index doc_slug is a hash index, which SQLite does not have; remove the option/);
    const parsed = project({
      'a.ts': `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Doc {
  @PrimaryGeneratedColumn() id!: number;
  @Index({ fulltext: true, parser: 'ngram' })
  @Column('text') body!: string;
}
`,
    });
    fails(() => read(parsed, ['a.ts'], 'mysql'), path.join(parsed, 'a.ts'), 5, /is a fulltext index WITH PARSER ngram, which migrator's schema cannot describe; remove parser/);
  });

  it("TypeORM 0.3's width (a MySQL integer's display width) is written in the type as 0.3 writes it, and left out under 1.x, which has none; a width that is no number is an error", () => {
    const entity = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Counter {
  @PrimaryGeneratedColumn({ type: 'int', width: 11 }) id!: number;
  @Column({ type: 'tinyint', width: 1, default: 0 }) flag!: number;
  @Column({ type: 'int', width: 4, unsigned: true }) hits!: number;
  @Column({ type: 'varchar', width: 3 }) code!: string;
}
@Entity()
export class Tick {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToOne(() => Counter) counter!: Counter;
}
`;
    const v1 = project({ 'a.ts': entity, 'package.json': JSON.stringify({ dependencies: { typeorm: '^1.1.1' } }) });
    assert.deepEqual(columns(table(read(v1, ['a.ts'], 'mysql'), 'counter')), { id: 'int not null', flag: "tinyint not null default '0'", hits: 'int unsigned not null', code: 'varchar(255) not null' });
    assert.deepEqual(columns(table(read(v1, ['a.ts'], 'mysql'), 'tick')), { id: 'int not null', counterId: 'int' });
    // 0.3's createFullType: a length first (varchar's 255), else the width; a join column takes the width of the column it refers to.
    const v03 = project({ 'a.ts': entity, 'package.json': JSON.stringify({ dependencies: { typeorm: '^0.3.17' } }) });
    assert.deepEqual(columns(table(read(v03, ['a.ts'], 'mysql'), 'counter')), { id: 'int(11) not null', flag: "tinyint(1) not null default '0'", hits: 'int(4) unsigned not null', code: 'varchar(255) not null' });
    assert.deepEqual(columns(table(read(v03, ['a.ts'], 'mysql'), 'tick')), { id: 'int not null', counterId: 'int(11)' });
    const bad = project({ 'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class C {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column({ type: 'int', width: 'wide' }) n!: number;\n}\n` });
    fails(() => read(bad, ['a.ts'], 'mysql'), path.join(bad, 'a.ts'), 5, /width must be a number/);
  });

  it('entities naming one schema give the models that schema, with where it is said; two schemas, a named and an unnamed one, or a schema off PostgreSQL are errors with file:line', () => {
    const files = (b: string): Record<string, string> => ({
      'a.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity({ schema: 'lab' })\nexport class A {\n  @PrimaryGeneratedColumn() id!: number;\n}\n`,
      'b.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity(${b})\nexport class B {\n  @PrimaryGeneratedColumn() id!: number;\n}\n`,
    });
    const same = project(files("{ name: 'bees', schema: 'lab' }"));
    assert.deepEqual(read(same, ['a.ts', 'b.ts']).namespace, { name: 'lab', source: `${path.join(same, 'a.ts')}:2` });
    const two = project(files("{ schema: 'ops' }"));
    fails(() => read(two, ['a.ts', 'b.ts']), path.join(two, 'b.ts'), 2, /B is in schema "ops" and A in "lab" \(.*a\.ts:2\); migrator works in one schema of a database/);
    const unnamed = project(files("'bees'"));
    fails(() => read(unnamed, ['a.ts', 'b.ts']), path.join(unnamed, 'b.ts'), 2, /B names no schema, while A is in schema "lab" .*give every entity schema: 'lab', or none/);
    fails(() => read(same, ['a.ts', 'b.ts'], 'sqlite'), path.join(same, 'a.ts'), 2, /puts A in schema "lab", and migrator reads a schema on PostgreSQL only; remove schema/);
    assert.equal(read(project(files("'bees'")), ['b.ts']).namespace, undefined);
  });

  it('of two column decorators on one property the lower one is the column, and the upper one is not read, as in TypeORM', () => {
    const root = project({
      'a.ts': `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Event {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'string' })
  @CreateDateColumn()
  createdAt!: Date;
  @CreateDateColumn()
  @Column({ type: 'timestamptz', nullable: true })
  seenAt!: Date | null;
}
`,
    });
    const cols = columns(table(read(root, ['a.ts']), 'event'));
    assert.equal(cols.createdAt, 'timestamp without time zone not null default now()');
    assert.equal(cols.seenAt, 'timestamp with time zone');
  });

  it("reads enum members TypeScript folds (1 << 2, A | B, ~0), a bigint default (0n) as TypeORM's drivers write it, and a relation target loaded with require()", () => {
    const root = project({
      'perm.ts': `export enum Perm {
  None = 0,
  Read = 1 << 0,
  Write = 1 << 1,
  ReadWrite = Read | Write,
  All = ~None & 0xff,
  Half = 10 / 4,
}
`,
      'shelf.ts': `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { Note } from './note';
@Entity()
export class Shelf {
  @PrimaryGeneratedColumn() id!: number;
  @OneToMany(() => require('./note').Note, (n: Note) => n.shelf)
  notes!: Note[];
}
`,
      'note.ts': `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Perm } from './perm';
@Entity()
export class Note {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'int', default: Perm.ReadWrite }) perm!: Perm;
  @Column({ type: 'int', default: Perm.All }) all!: Perm;
  @Column({ type: 'float', default: Perm.Half }) half!: number;
  @Column({ type: 'bigint', default: 9007199254740993n }) seq!: string;
  @ManyToOne(() => require('./shelf').Shelf, { onDelete: 'CASCADE' })
  shelf!: import('./shelf').Shelf;
}
`,
    });
    for (const [dialect, perm, all, half] of [['postgres', "'3'", "'255'", "'2.5'"], ['sqlite', '3', '255', '2.5']]) {
      const note = table(read(root, ['shelf.ts', 'note.ts'], dialect), 'note');
      const cols = Object.fromEntries(note.columns.map((c) => [c.name, c.default]));
      assert.deepEqual([cols.perm, cols.all, cols.half, cols.seq], [perm, all, half, '9007199254740993'], dialect);
      assert.deepEqual(note.foreignKeys.map((f) => `${f.columns.join()} -> ${f.referencedTable} ${f.onDelete}`), ['shelfId -> shelf CASCADE'], dialect);
    }
    const missing = project({
      'a.ts': `import { Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class A {\n  @PrimaryGeneratedColumn() id!: number;\n  @ManyToOne(() => require('./gone').B) b!: unknown;\n}\n`,
    });
    fails(() => read(missing, ['a.ts']), path.join(missing, 'a.ts'), 5, /cannot find the module '\.\/gone' that `require\('\.\/gone'\)` loads/);
  });

  it("a column's foreignKeyConstraintName, utc and hstoreType are read and change nothing in the schema, as in TypeORM: the key takes @JoinColumn's name", () => {
    const root = project({
      'a.ts': `import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Guild {
  @PrimaryGeneratedColumn() id!: number;
}
@Entity()
export class Member {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ nullable: true, foreignKeyConstraintName: 'FK_member_guild_column' }) guild_id!: number;
  @JoinColumn({ name: 'guild_id', foreignKeyConstraintName: 'FK_member_guild' })
  @ManyToOne(() => Guild) guild!: Guild;
  @Column({ nullable: true, foreignKeyConstraintName: 'FK_unused' }) other_id!: number;
  // How values are converted, not what the database holds.
  @Column({ type: 'date', utc: true, nullable: true }) joinedOn!: string | null;
  @Column({ type: 'hstore', hstoreType: 'object', nullable: true }) flags!: Record<string, string> | null;
}
`,
    });
    const member = table(read(root, ['a.ts']), 'member');
    assert.deepEqual(member.foreignKeys.map((f) => `${f.name}: ${f.columns.join()}`), ['FK_member_guild: guild_id']);
    assert.equal(columns(member).joinedOn, 'date');
    assert.equal(columns(member).flags, 'hstore');
  });

  it('both sides of a many-to-many naming one @JoinTable make one junction table; two different tables under one name are an error with file:line', () => {
    const files = (inverse: string): Record<string, string> => ({
      'a.ts': `import { Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Course {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToMany(() => Student, (s) => s.courses) @JoinTable({ name: 'enrolment' }) students!: Student[];
}
@Entity()
export class Student {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToMany(() => Course, (c) => c.students) @JoinTable({ name: 'enrolment'${inverse} }) courses!: Course[];
}
`,
    });
    const schema = read(project(files('')), ['a.ts']);
    assert.deepEqual(schema.tables.map((t) => t.name), ['course', 'student', 'enrolment']);
    assert.deepEqual(table(schema, 'enrolment').columns.map((c) => c.name), ['courseId', 'studentId']);
    const clash = project(files(", joinColumn: { name: 'learner' }"));
    fails(() => read(clash, ['a.ts']), path.join(clash, 'a.ts'), 10, /the junction table "enrolment" of Student\.courses is also the junction table of another relation, with other columns or keys \(.*a\.ts:5\)/);
  });

  it('is an error with file:line, as TypeORM fails too, for two indexes of one name, a junction table that is an entity\'s table, and primary on a relation', () => {
    const twice = project({
      'a.ts': `import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Show {
  @PrimaryGeneratedColumn() id!: number;
}
@Entity()
export class Episode {
  @PrimaryGeneratedColumn() id!: number;
  @Index()
  @ManyToOne(() => Show) show!: Show;
  @Index()
  @Column() showId!: number;
}
`,
    });
    fails(() => read(twice, ['a.ts']), path.join(twice, 'a.ts'), 11, /@Index IDX_\w+ on Episode has the name of another index of the table \(.*a\.ts:9\), and TypeORM's synchronize fails on the second/);
    // On MySQL a unique column's index takes the name a plain @Index() on it would.
    const unique = project({
      'a.ts': `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class Feed {\n  @PrimaryGeneratedColumn() id!: number;\n  @Index()\n  @Column({ unique: true }) url!: string;\n}\n`,
    });
    fails(() => read(unique, ['a.ts'], 'mysql'), path.join(unique, 'a.ts'), 5, /@Index IDX_\w+ on Feed has the name of the table's unique index on \(url\)/);
    assert.deepEqual(table(read(unique, ['a.ts'], 'postgres'), 'feed').indexes.length, 1);
    const junction = project({
      'a.ts': `import { Entity, JoinTable, ManyToMany, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Label {
  @PrimaryGeneratedColumn() id!: number;
}
@Entity('item_labels')
export class ItemLabel {
  @PrimaryColumn() itemId!: number;
  @PrimaryColumn() labelId!: number;
}
@Entity()
export class Item {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToMany(() => Label) @JoinTable({ name: 'item_labels' }) labels!: Label[];
}
`,
    });
    fails(() => read(junction, ['a.ts']), path.join(junction, 'a.ts'), 14, /the junction table "item_labels" of this relation is also the table of entity ItemLabel \(.*a\.ts:6\); give the junction table another name \(@JoinTable\(\{ name \}\)\), leave the table to the entity with @JoinTable\(\{ synchronize: false \}\)/);
    const primary = project({
      'a.ts': `import { Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Owner {
  @PrimaryGeneratedColumn() id!: number;
}
@Entity()
export class Pet {
  @ManyToOne(() => Owner, { primary: true }) owner!: Owner;
}
`,
    });
    fails(() => read(primary, ['a.ts']), path.join(primary, 'a.ts'), 8, /option "primary" of @ManyToOne was removed in TypeORM 0\.3 .*@PrimaryColumn\(\) beside @JoinColumn\(\{ name \}\)/);
  });

  it('helpers test objects and functions for truth and against null, and spread false, as JavaScript does', () => {
    const root = project({
      'helpers.ts': `import { Column, ColumnOptions, Index } from 'typeorm';
const isOptions = (v: unknown): v is ColumnOptions => v !== null && v !== undefined && typeof v === 'object';
export function Text(typeOrOptions?: string | ColumnOptions): PropertyDecorator {
  let options: ColumnOptions = { type: 'varchar' };
  if (isOptions(typeOrOptions)) options = { type: 'varchar', ...typeOrOptions };
  else if (typeof typeOrOptions === 'string') options = { type: typeOrOptions as any };
  return Column(options);
}
export function Sized(options?: ColumnOptions): PropertyDecorator {
  if (!options) options = {};
  return Column({ type: 'varchar', length: 40, ...options });
}
export const legacy = (): boolean => false;
export const ByTime = (): ClassDecorator => Index(legacy ? ['kind', 'at'] : ['at']);
`,
      'a.ts': `import { Entity, PrimaryGeneratedColumn, Column } from 'typeorm';
import { ByTime, legacy, Sized, Text } from './helpers';
@Entity()
@ByTime()
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @Text({ nullable: true }) title!: string | null;
  @Text('text') body!: string;
  @Sized() name!: string;
  @Column({ type: 'varchar', ...(!legacy() && { length: 36 }), ...(legacy() && { length: 10 }) }) ref!: string;
  @Column() kind!: string;
  @Column() at!: Date;
}
`,
    });
    const a = table(read(root, ['a.ts']), 'a');
    assert.deepEqual(columns(a), {
      id: 'integer not null',
      title: 'character varying',
      body: 'text not null',
      name: 'character varying(40) not null',
      ref: 'character varying(36) not null',
      kind: 'character varying not null',
      at: 'timestamp without time zone not null',
    });
    assert.deepEqual(a.indexes.map((i) => i.columns), [['kind', 'at']]);
  });
});

describe('entity reader: a default function returning a value rather than SQL text', () => {
  it('is written as it is where TypeORM writes it so, and an error where TypeORM fails on it', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ default: () => false }) on!: boolean;
  @Column({ type: 'integer', default: () => 0 }) hits!: number;
  @Column({ nullable: true, default: () => null }) note!: string;
}
`,
    });
    assert.deepEqual(columns(table(read(root, ['a.ts'], 'sqlite'), 'a')), { id: 'integer not null', on: 'boolean not null default false', hits: 'integer not null default 0', note: 'varchar' });
    assert.deepEqual(columns(table(read(root, ['a.ts'], 'mysql'), 'a')), { id: 'int not null', on: 'tinyint not null default false', hits: 'int not null default 0', note: 'varchar(255)' });
    fails(() => read(root, ['a.ts'], 'postgres'), path.join(root, 'a.ts'), 5, /a default function returning false fails in TypeORM's postgres driver, which takes SQL text from it; return a string, e.g\. \(\) => 'false'/);
    const truthy = project({ 'b.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class B {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column({ type: 'integer', default: () => 1 }) hits!: number;\n}\n` });
    fails(() => read(truthy, ['b.ts'], 'mysql'), path.join(truthy, 'b.ts'), 5, /a default function returning 1 fails in TypeORM's mysql driver/);
  });
});

describe('entity reader: a package whose declarations cannot be found', () => {
  it('is named in the error for a value or a type taken from it', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Stage, Priority } from '@acme/shared';
@Entity()
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar', { default: Stage.Open }) stage!: string;
}
@Entity()
export class B {
  @PrimaryGeneratedColumn() id!: number;
  @Column() priority!: Priority;
}
`,
    });
    const file = path.join(root, 'a.ts');
    // Both classes, in one run.
    let error: Error | undefined;
    assert.throws(() => read(root, ['a.ts']), (e: Error) => ((error = e), true));
    const lines = error!.message.split('\n');
    assert.equal(lines[0], '2 entity classes cannot be read:', error!.message);
    assert.ok(lines[1].startsWith(`  ${file}:6: `), lines[1]);
    assert.match(lines[1], /`Stage\.Open` comes from '@acme\/shared', whose declarations cannot be found from here; install or build the project's dependencies/);
    assert.ok(lines[2].startsWith(`  ${file}:11: `), lines[2]);
    assert.match(lines[2], /cannot tell the column type of B\.priority/);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(", { default: Stage.Open }", ''));
    fails(() => read(root, ['a.ts']), file, 11, /cannot tell the column type of B\.priority from its TypeScript type `Priority` \(it comes from '@acme\/shared', whose declarations cannot be found from here/);
  });
});

describe('entity reader: trees', () => {
  it('a closure table named by the option; a level column, a closure over a composite key and a tree kind TypeORM has not are errors with file:line', () => {
    const root = project({
      'a.ts': `import { Entity, PrimaryColumn, Tree, TreeChildren, TreeParent } from 'typeorm';
@Entity()
@Tree('closure-table')
export class Node {
  @PrimaryColumn() a!: number;
  @PrimaryColumn() b!: number;
  @TreeParent() parent!: Node;
  @TreeChildren() children!: Node[];
}
`,
      'c.ts': `import { Entity, PrimaryGeneratedColumn, Tree, TreeLevelColumn } from 'typeorm';
@Entity()
@Tree('closure-table', { closureTableName: 'place_paths' })
export class Place {
  @PrimaryGeneratedColumn() id!: number;
}
@Entity()
@Tree('closure-table')
export class Leveled {
  @PrimaryGeneratedColumn() id!: number;
  @TreeLevelColumn() level!: number;
}
`,
      'b.ts': `import { Entity, PrimaryGeneratedColumn, Tree } from 'typeorm';
@Entity()
@Tree('adjacency-list' as any)
export class Leaf {
  @PrimaryGeneratedColumn() id!: number;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 3, /Node is a closure-table tree over a primary key of 2 columns/);
    fails(() => read(root, ['c.ts']), path.join(root, 'c.ts'), 11, /@TreeLevelColumn is not read by migrator's static reader; .*models: \{ typeorm:/);
    fs.writeFileSync(path.join(root, 'c.ts'), fs.readFileSync(path.join(root, 'c.ts'), 'utf8').replace(/@Entity\(\)\n@Tree\('closure-table'\)\nexport class Leveled[^}]*}\n/, ''));
    assert.deepEqual(table(read(root, ['c.ts']), 'place_paths_closure').columns.map((c) => c.name), ['id_ancestor', 'id_descendant']);
    fails(() => read(root, ['b.ts']), path.join(root, 'b.ts'), 3, /@Tree takes 'materialized-path', 'nested-set' or 'closure-table'/);
  });
});

describe('entity reader: validation decorators of the project', () => {
  it('a decorator whose code names TypeORM only in a type (`as typeof BaseEntity`) is the project\'s own, and left alone', () => {
    const root = project({
      'validator.ts': `import { registerDecorator, ValidationArguments } from 'class-validator';
import { BaseEntity } from 'typeorm';
export function PreventLoop(object: object, propertyName: string) {
  registerDecorator({
    name: 'preventLoop', async: true, target: object.constructor, propertyName,
    validator: {
      async validate(value: unknown, args: ValidationArguments) {
        const repo = ((args.object as any).constructor as typeof BaseEntity).getRepository();
        return (await repo.query('SELECT 1', [value])).length === 0;
      },
    },
  });
}
`,
      'folder.ts': `import { BaseEntity, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PreventLoop } from './validator';
@Entity()
export class Folder extends BaseEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer', nullable: true })
  @PreventLoop
  parentId!: number | null;
}
`,
    });
    assert.deepEqual(table(read(root, ['folder.ts']), 'folder').columns.map((c) => c.name), ['id', 'parentId']);
  });
});

describe('entity reader: repositories', () => {
  it("TypeORM 0.2's @EntityRepository class beside an entity is no table, and no error", () => {
    const root = project({
      'a.ts': `import { Column, Entity, EntityRepository, PrimaryGeneratedColumn, Repository } from 'typeorm';
@Entity()
export class User {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}
@EntityRepository(User)
export class UserRepository extends Repository<User> {}
`,
    });
    assert.deepEqual(read(root, ['a.ts']).tables.map((t) => t.name), ['user']);
  });
});

describe('entity reader: a default only running the code gives', () => {
  it('is an error at the option that says why no revision could follow it, not advice to let TypeORM read it', () => {
    const root = project({
      'id.ts': `import { randomBytes } from 'crypto';\nexport const shortId = (): string => randomBytes(7).toString('hex');\n`,
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { shortId } from './id';
@Entity('playlists')
export class Playlist {
  @PrimaryColumn('varchar', { length: 14, default: shortId() })
  id!: string;
  @Column() title!: string;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 5, /the default is computed when the code runs \(.*cannot read .* without running the code\), so it would be another value at each start of the application, and no revision could follow it: give a literal or a constant, or an expression the database computes/);
    assert.throws(() => read(root, ['a.ts']), (e: Error) => !e.message.includes('models: { typeorm'));
  });
});

describe('entity reader: views', () => {
  it('a view TypeORM leaves alone is no table; one its synchronize would create is an error with file:line', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryGeneratedColumn, ViewColumn, ViewEntity } from 'typeorm';
@Entity()
export class Item {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}
@ViewEntity({ name: 'item_names', synchronize: false })
export class ItemName {
  @ViewColumn() name!: string;
}
`,
      'b.ts': `import { ViewColumn, ViewEntity } from 'typeorm';
@ViewEntity({ expression: 'SELECT 1 AS one' })
export class One {
  @ViewColumn() one!: number;
}
`,
    });
    assert.deepEqual(read(root, ['a.ts']).tables.map((t) => t.name), ['item']);
    fails(() => read(root, ['b.ts']), path.join(root, 'b.ts'), 2, /@ViewEntity One is a view TypeORM's synchronize would create, which migrator's schema cannot describe; give it synchronize: false and create the view with op\.execute in a revision/);
  });

  it('a many-to-many a view left alone owns is an error at its @JoinTable, unless the junction is left alone too', () => {
    const view = (joinTable: string): string => `import { Column, Entity, JoinTable, ManyToMany, PrimaryColumn, PrimaryGeneratedColumn, ViewColumn, ViewEntity } from 'typeorm';
@Entity()
export class Organization {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text') label!: string;
}
@ViewEntity('user_view', { synchronize: false })
export class UserView {
  @ViewColumn()
  @PrimaryColumn()
  id!: number;

  @ManyToMany(() => Organization)
  ${joinTable}
  orgs!: Organization[];
}
`;
    const root = project({ 'a.ts': view('@JoinTable()'), 'b.ts': view('@JoinTable({ synchronize: false })') });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 14, /@JoinTable on the view entity UserView: TypeORM builds a junction table for it with a foreign key to the view, which the database refuses; make the junction table by hand and give @JoinTable\(\{ synchronize: false \}\)/);
    assert.deepEqual(read(root, ['b.ts']).tables.map((t) => t.name), ['organization']);
  });
});

describe('entity reader: collations', () => {
  const entity = (column: string): string => `import { Column, Entity, ManyToOne, PrimaryColumn } from 'typeorm';
@Entity()
export class Country {
  @PrimaryColumn({ type: 'varchar', length: 2, collation: 'C' }) code!: string;
  ${column}
}
@Entity()
export class City {
  @PrimaryColumn() id!: number;
  @ManyToOne(() => Country) country!: Country;
}
`;

  it("a column's collation, and the join column that takes it from the column it references", () => {
    const root = project({ 'a.ts': entity("@Column({ collation: 'POSIX', charset: 'utf8' }) name!: string;") });
    const schema = read(root, ['a.ts']);
    assert.deepEqual(table(schema, 'country').columns.map((c) => [c.name, c.collation]), [['code', 'C'], ['name', 'POSIX']]);
    assert.deepEqual(table(schema, 'city').columns.map((c) => [c.name, c.collation]), [['id', undefined], ['countryCode', 'C']]);
  });

  it('MySQL: a charset beside its collation is read; alone, or with a collation of another, it is an error', () => {
    const ok = project({ 'a.ts': entity("@Column({ charset: 'utf8', collation: 'utf8_unicode_ci' }) name!: string;").replace("collation: 'C'", "collation: 'utf8mb4_bin'") });
    assert.equal(table(read(ok, ['a.ts'], 'mysql'), 'country').columns[1].collation, 'utf8_unicode_ci');
    const alone = project({ 'a.ts': entity("@Column({ charset: 'latin1' }) name!: string;") });
    fails(() => read(alone, ['a.ts'], 'mysql'), path.join(alone, 'a.ts'), 5, /Country\.name has charset "latin1" without a collation: .*give the collation too/);
    const other = project({ 'a.ts': entity("@Column({ charset: 'latin1', collation: 'utf8mb4_bin' }) name!: string;") });
    fails(() => read(other, ['a.ts'], 'mysql'), path.join(other, 'a.ts'), 5, /collation "utf8mb4_bin", which is not one of that character set's/);
  });
});

describe('entity reader: decorators of the project that record a property for later', () => {
  const entity = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Audited, Money } from './money';
@Entity()
export class Line {
  @PrimaryGeneratedColumn() id!: number;
  @Column() quantity!: number;
  @Money() listPrice!: number;
  @Audited() note!: string;
}
`;
  const money = (rest: string): string => `import { Column } from 'typeorm';
const registry = new Map<object, { name: string }[]>();
export function Money() {
  return (entity: object, propertyName: string) => {
    const list = registry.get(entity) ?? [];
    list.push({ name: propertyName });
    registry.set(entity, list);
  };
}
const seen = new Set<string>();
export function Audited() {
  return (_entity: object, propertyName: string) => {
    seen.add(propertyName);
  };
}
${rest}`;

  it('a registry the application reads when it runs is an error naming the decorator, the registry and its reader', () => {
    const exported = project({ 'line.ts': entity, 'money.ts': money('export function columnsOf(entity: object) {\n  return registry.get(entity) ?? [];\n}\n') });
    fails(() => read(exported, ['line.ts']), path.join(exported, 'line.ts'), 7, /@Money records the property in `registry` \(.*money\.ts:2\), which columnsOf \(.*money\.ts:16\) reads for the application to use when it runs; if that makes a column, migrator cannot see it without running the code; let TypeORM itself read the entities/);
    const applied = project({ 'line.ts': entity, 'money.ts': money("function applyMoney() {\n  for (const [entity, list] of registry) for (const r of list) Column({ type: 'integer' })(entity, r.name);\n}\nvoid applyMoney;\n") });
    fails(() => read(applied, ['line.ts']), path.join(applied, 'line.ts'), 7, /which applyMoney \(.*money\.ts:16\) reads/);
    const exportedRegistry = project({ 'line.ts': entity, 'money.ts': money('').replace('const registry', 'export const registry') });
    fails(() => read(exportedRegistry, ['line.ts']), path.join(exportedRegistry, 'line.ts'), 7, /@Money records the property in `registry` \(.*money\.ts:2\), which its module exports for the application to use when it runs/);
  });

  it('a decorator that keeps what it records to itself is its own, and left alone', () => {
    const root = project({ 'line.ts': entity.replace('@Money() listPrice!: number;', ''), 'money.ts': money('') });
    assert.deepEqual(Object.keys(columns(table(read(root, ['line.ts']), 'line'))), ['id', 'quantity']);
  });
});

describe('entity reader: decorators written out, as multi-ORM projects write them', () => {
  it("reads constants of the body and names it gives a value, functions it calls with more than (target, key), and leaves alone options TypeORM does not have, MikroORM's decorators and NestJS's own", () => {
    const root = project({
      'src/orm.ts': `import { Column, ColumnOptions, Index, ManyToOne, RelationOptions } from 'typeorm';
export enum Orm { TypeORM = 'typeorm', Mikro = 'mikro-orm' }
export function MultiColumn(options: ColumnOptions & { relationId?: boolean } = {}): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    const orm = Orm.TypeORM;
    const typed = { ...options, relationId: undefined };
    if (orm === Orm.TypeORM) Column(typed)(target, key as string);
  };
}
function applyIndex(target: object, key: string, name: string, unique: boolean): void {
  Index(name, { unique })(target, key);
}
export function Owned(type: () => object, options?: RelationOptions & { owner?: boolean }): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    if (!options) options = { nullable: false, owner: true };
    ManyToOne(type, options)(target, key as string);
  };
}
export function NamedIndex(name: string): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    applyIndex(target, key as string, name, false);
  };
}
`,
      'src/a.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Property } from '@mikro-orm/core';
import { Optional } from '@nestjs/common';
import { MultiColumn, NamedIndex, Owned } from './orm';
@Entity()
export class B {
  @PrimaryGeneratedColumn() id!: number;
}
@Entity({ name: 'a', mikroOrmRepository: 'ARepository' } as object)
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @Owned(() => B) b!: B;
  @NamedIndex('IDX_a_name')
  @MultiColumn({ type: 'varchar', nullable: true, relationId: true })
  @Property()
  @Optional()
  name!: string;
}
`,
    });
    const a = table(read(root, ['src/a.ts']), 'a');
    assert.deepEqual(columns(a), { id: 'integer not null', name: 'character varying', bId: 'integer not null' });
    assert.deepEqual(a.indexes, [{ name: 'IDX_a_name', columns: ['name'], unique: false }]);
  });
});

describe('entity reader: every class it cannot read, named in one run', () => {
  it('each class with a problem is one line with its file:line; a base class shared by two is named once; the classes it reads say nothing', () => {
    const root = project({
      'src/base.ts': `import { Column } from 'typeorm';
import { Helper } from 'some-orm-helpers';
export abstract class Stamped extends Helper {
  @Column() createdAt!: Date;
}
`,
      'src/entities.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Stamped } from './base';

@Entity()
export class Good {
  @PrimaryColumn() id!: number;
}

@Entity()
export class Odd {
  @PrimaryColumn() id!: number;
  @Column({ type: 'varchar', length: Math.random() }) name!: string;
}

@Entity()
export class First extends Stamped {
  @PrimaryColumn() id!: number;
}

@Entity()
export class Second extends Stamped {
  @PrimaryColumn() id!: number;
}

@Entity()
export class Bad {
  @PrimaryColumn() id!: number;
  @Column({ type: 'varchar', length: Math.floor(9.5) }) mood!: string;
}
`,
    });
    let error: (Error & { code?: string; data?: { problems?: string[] } }) | undefined;
    assert.throws(() => read(root, ['src/entities.ts', 'src/base.ts']), (e: Error) => ((error = e), true));
    const lines = error!.message.split('\n');
    assert.equal(lines[0], '3 entity classes cannot be read:');
    assert.equal(lines.length, 4, error!.message);
    const file = path.join(root, 'src', 'entities.ts');
    const base = path.join(root, 'src', 'base.ts');
    assert.ok(lines[1].startsWith(`  ${file}:12: `), lines[1]);
    assert.ok(lines[2].startsWith(`  ${base}:3: `), lines[2]);
    assert.match(lines[2], /base class `Helper`/);
    assert.ok(lines[3].startsWith(`  ${file}:28: `), lines[3]);
    assert.deepEqual(error!.data?.problems, lines.slice(1).map((l) => l.slice(2)));
  });

  it('each entity with a column whose type cannot be told is named in one run', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
abstract class Base {
  @Column() shared!: string | Date;
}
@Entity()
export class A extends Base {
  @PrimaryColumn() id!: number;
}
@Entity()
export class B extends Base {
  @PrimaryColumn() id!: number;
}
@Entity()
export class C {
  @PrimaryColumn() id!: number;
  @Column() when!: string | number;
}
@Entity()
export class D {
  @PrimaryColumn() id!: number;
  @Column() what!: { a: number };
}
`,
    });
    let error: Error | undefined;
    assert.throws(() => read(root, ['a.ts']), (e: Error) => ((error = e), true));
    const lines = error!.message.split('\n');
    assert.equal(lines[0], '4 entity classes cannot be read:', error!.message);
    assert.deepEqual(
      lines.slice(1).map((l) => /cannot tell the column type of (\S+) /.exec(l)?.[1]),
      ['A.shared', 'B.shared', 'C.when', 'D.what'],
      error!.message,
    );
  });

  it('one class with a problem is that one error, as before', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @Column({ type: 'varchar', length: Math.random() }) name!: string;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 5, /`Math` is a global/);
  });
});

describe('entity reader: decorators applied by a call after the class', () => {
  it('an index, unique or check applied to the class is read as if written on it', () => {
    const root = project({
      'a.ts': `import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
@Entity()
export class Thing {
  @PrimaryColumn() id!: number;
  @Column() sourceType!: string;
  @Column() sourceId!: string;
}
Index(['sourceType', 'sourceId'])(Thing);
Unique('UQ_thing_source', ['sourceId'])(Thing);
`,
    });
    const t = table(read(root, ['a.ts']), 'thing');
    assert.deepEqual(t.indexes.map((i) => [i.name, i.columns]), [['IDX_aed2312cbdd9a6420e90fb89f9', ['sourceType', 'sourceId']]]);
    assert.deepEqual(t.uniques, [{ name: 'UQ_thing_source', columns: ['sourceId'] }]);
  });

  it('other calls of a call at the top of a file (a logger set up, a global) are not TypeORM and are left alone', () => {
    const root = project({
      'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import debug from 'debug';
@Entity()
export class Thing {
  @PrimaryColumn() id!: number;
}
debug('entities')('loaded');
globalThis.setup?.()('x');
`,
    });
    assert.deepEqual(read(root, ['a.ts']).tables.map((t) => t.name), ['thing']);
  });

  it('a column applied to the prototype, or a decorator applied to something else, is an error at its line', () => {
    const root = project({
      'a.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class Thing {
  @PrimaryColumn() id!: number;
}
Column({ type: 'int', nullable: true })(Thing.prototype, 'extra');
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 6, /applies @Column by a call, which migrator's static reader does not read there; write it as a decorator on the property/);
  });
});

describe('entity reader: entity classes made inside a function', () => {
  it('a class with TypeORM decorators in a factory is an error at its line, never a table left out', () => {
    const root = project({
      'audit.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export function auditTable(name: string) {
  @Entity(name)
  class Audit {
    @PrimaryGeneratedColumn()
    id!: number;
  }
  return Audit;
}

export const UserAudit = auditTable('user_audit');
`,
    });
    fails(() => read(root, ['audit.ts']), path.join(root, 'audit.ts'), 4, /class Audit has TypeORM decorators but is made inside a function or an expression/);
  });

  it("a mixin (a function returning a class of columns) matched by the models glob is read through the entity that extends it; a class applied by a call, or a base class without a name, is an error", () => {
    const root = project({
      'timestamped.ts': `import { CreateDateColumn } from 'typeorm';
type Ctor = new (...args: any[]) => object;
export function Timestamped<T extends Ctor>(Base: T) {
  abstract class Mixed extends Base {
    @CreateDateColumn() createdAt!: Date;
  }
  return Mixed;
}
`,
      'team.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from './timestamped';
class Root {}
@Entity()
export class Team extends Timestamped(Root) {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}
`,
      'applied.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
export function table(name: string) {
  return Entity(name)(
    class {
      @PrimaryColumn() id!: number;
    },
  );
}
`,
      'anonymous.ts': `import { Column } from 'typeorm';
export default class extends Object {
  @Column() note!: string;
}
`,
      'loose.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import Anonymous from './anonymous';
@Entity()
export class Loose extends Anonymous {
  @PrimaryGeneratedColumn() id!: number;
}
`,
    });
    assert.deepEqual(
      read(root, ['team.ts', 'timestamped.ts']).tables.map((t) => [t.name, t.columns.map((c) => c.name)]),
      [['team', ['createdAt', 'id', 'name']]],
    );
    fails(() => read(root, ['applied.ts']), path.join(root, 'applied.ts'), 4, /a class has TypeORM decorators but is made inside a function or an expression/);
    // TypeORM stops at a class without a name, losing its columns: said, at the class.
    fails(() => read(root, ['loose.ts', 'anonymous.ts']), path.join(root, 'anonymous.ts'), 2, /TypeORM does not follow an entity's inheritance through a class without a name.*name the class/);
  });

  it('a class in a function with no TypeORM decorator (a DTO, a test double) is left alone', () => {
    const root = project({
      'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  static make() {
    return class Copy { id = 1; };
  }
}
`,
    });
    assert.deepEqual(read(root, ['a.ts']).tables.map((t) => t.name), ['a']);
  });
});

describe('entity reader: helper decorators as static methods', () => {
  it('@Db.json() and @Db.money() read as the functions they are', () => {
    const root = project({
      'helpers.ts': `import { Column, ColumnOptions } from 'typeorm';
export class Db {
  static json(options: ColumnOptions = {}) {
    return Column({ type: 'json', ...options });
  }
  static money() {
    return Column({ type: 'decimal', precision: 12, scale: 2, default: '0.00' });
  }
}
`,
      'invoice.ts': `import { Entity, PrimaryColumn } from 'typeorm';
import { Db } from './helpers';
@Entity()
export class Invoice {
  @PrimaryColumn() id!: number;
  @Db.json({ nullable: true }) lines!: object;
  @Db.money() total!: string;
}
`,
    });
    assert.deepEqual(columns(table(read(root, ['invoice.ts']), 'invoice')), { id: 'integer not null', lines: 'json', total: "numeric(12,2) not null default '0.00'" });
  });

  it('a static member that is not there is named', () => {
    const root = project({
      'a.ts': `import { Entity, PrimaryColumn } from 'typeorm';
class Db { static other = 1; }
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  // @ts-expect-error there is none
  @Db.json() x!: string;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 7, /class Db has no static json to read \(a static property with a value, or a static method\)/);
  });
});

describe('entity reader: a string default that names the current time', () => {
  it("default: 'now()' on a date column is an error at its line saying what to write; on a text column it is the text", () => {
    const root = project({
      'a.ts': `import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryColumn() id!: number;
  @CreateDateColumn({ type: 'timestamp', default: 'now()' })
  createdAt!: Date;
}
`,
      'b.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class B {
  @PrimaryColumn() id!: number;
  @Column({ type: 'varchar', default: 'today' })
  period!: string;
}
`,
    });
    fails(() => read(root, ['a.ts']), path.join(root, 'a.ts'), 5, /default 'now\(\)' is a string, not the current time: .*write default: \(\) => 'now\(\)' for the time of each insert/);
    assert.equal(table(read(root, ['b.ts']), 'b').columns[1].default, "'today'");
  });
});

describe('entity reader: two foreign keys of one name', () => {
  it('two relations through one join column (a polymorphic location) are an error at the second, naming the first, as TypeORM fails on them', () => {
    const root = project({
      'loc.ts': `import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity() export class Space { @PrimaryGeneratedColumn() id!: number; }
@Entity() export class List { @PrimaryGeneratedColumn() id!: number; }
@Entity()
export class Location {
  @PrimaryGeneratedColumn() id!: number;
  @Column() locationId!: number;
  @ManyToOne(() => Space, { nullable: true }) @JoinColumn({ name: 'locationId' }) space!: Space;
  @ManyToOne(() => List, { nullable: true }) @JoinColumn({ name: 'locationId' }) list!: List;
}
`,
    });
    const file = path.join(root, 'loc.ts');
    fails(() => read(root, ['loc.ts']), file, 9, new RegExp(`the foreign key FK_\\w+ of Location\\.list has the name of another foreign key of table "location" \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8\\), and TypeORM's synchronize fails on the second`));
  });
});
