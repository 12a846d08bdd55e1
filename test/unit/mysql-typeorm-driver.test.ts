/**
 * TypeORM's mysql driver rules as migrator's static reader applies them: column types (MysqlDriver
 * normalizeType, getColumnLength, createFullType), defaults (normalizeDefault,
 * normalizeDatetimeFunction), special columns (mappedDataTypes), uuid keys and the columns that
 * refer to them, and unique constraints kept as unique indexes named as indexes. No database.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { mysqlColumnType, mysqlDatetimeFunction, mysqlDefaultValue, mysqlTypeOrm } from '../../src/models/typescript/drivers/mysql.js';
import type { ColumnTypeInput } from '../../src/models/typescript/drivers/index.js';
import { driverOfType, typeOrmDriver } from '../../src/models/typescript/drivers/index.js';
import { typeormNames } from '../../src/models/typescript/naming.js';
import { readEntityFiles } from '../../src/models/typescript/reader.js';
import { typeOrmRules } from '../../src/models/typescript/typeorm-version.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const type = (t: string, more: Partial<ColumnTypeInput> = {}): string | undefined => mysqlColumnType({ type: t, table: 't', column: 'c', ...more });

describe('TypeORM mysql driver: column types', () => {
  it('is registered for the mysql dialect and the DataSource types mysql and mariadb', () => {
    assert.equal(typeOrmDriver('mysql'), mysqlTypeOrm);
    assert.equal(driverOfType('mysql'), mysqlTypeOrm);
    assert.equal(driverOfType('mariadb'), mysqlTypeOrm);
    assert.equal(mysqlTypeOrm.title, 'MySQL');
  });

  it('design types: Number int, String varchar(255), Boolean tinyint, Date datetime, Buffer blob', () => {
    assert.equal(type('Number'), 'int');
    assert.equal(type('String'), 'varchar(255)');
    assert.equal(type('Boolean'), 'tinyint');
    assert.equal(type('Date'), 'datetime');
    assert.equal(type('Buffer'), 'blob');
  });

  it('aliases as normalizeType writes them', () => {
    assert.equal(type('integer'), 'int');
    assert.equal(type('boolean'), 'tinyint');
    assert.equal(type('bool'), 'tinyint');
    assert.equal(type('numeric', { precision: 10, scale: 2 }), 'decimal(10,2)');
    assert.equal(type('double precision'), 'double');
    assert.equal(type('real'), 'double');
    assert.equal(type('nvarchar'), 'varchar(255)');
    assert.equal(type('nchar', { length: 3 }), 'char(3)');
    assert.equal(type('simple-array'), 'text');
    assert.equal(type('simple-json'), 'text');
    assert.equal(type('json'), 'json');
  });

  it('lengths: the given one, else 255 for varchar and varbinary; none for char', () => {
    assert.equal(type('varchar', { length: 80 }), 'varchar(80)');
    assert.equal(type('varchar', { length: '80' }), 'varchar(80)');
    assert.equal(type('varchar'), 'varchar(255)');
    assert.equal(type('varbinary'), 'varbinary(255)');
    assert.equal(type('char'), 'char');
    assert.equal(type('binary', { length: 16 }), 'binary(16)');
  });

  it('precision and scale; a scale without precision is dropped, as createFullType drops it', () => {
    assert.equal(type('decimal', { precision: 5, scale: 2 }), 'decimal(5,2)');
    assert.equal(type('decimal', { scale: 2 }), 'decimal');
    assert.equal(type('decimal'), 'decimal');
    assert.equal(type('datetime', { precision: 3 }), 'datetime(3)');
    assert.equal(type('float', { precision: 6 }), 'float(6)');
  });

  it("TypeORM 0.3's width, where the reader gives it: after a type without a length, before precision and scale, as 0.3's createFullType writes it", () => {
    assert.equal(type('tinyint', { width: 1 }), 'tinyint(1)');
    assert.equal(type('boolean', { width: 1 }), 'tinyint(1)');
    assert.equal(type('int', { width: 4, unsigned: true }), 'int(4) unsigned');
    assert.equal(type('varchar', { width: 3 }), 'varchar(255)');
    assert.equal(type('decimal', { width: 5, precision: 10, scale: 2 }), 'decimal(5)');
    assert.equal(type('tinyint', { width: 0 }), 'tinyint');
  });

  it("uuid: varchar(36) for a generated key and a column referring to a uuid column, varchar(255) for @Column('uuid')", () => {
    assert.equal(type('uuid', { generation: 'uuid' }), 'varchar(36)');
    assert.equal(type('uuid'), 'varchar(255)');
    assert.equal(type('uuid', { reference: true }), 'varchar(36)');
    assert.equal(type('uuid', { generation: 'uuid', reference: true }), 'varchar(36)');
    assert.equal(type('uuid', { reference: true, length: 64 }), 'varchar(64)');
    // A reference to an int key is an int.
    assert.equal(type('Number', { generation: 'increment', reference: true }), 'int');
  });

  it('enum, simple-enum and set list their values, quotes and backslashes doubled', () => {
    assert.equal(type('enum', { enum: ['a', "it's"] }), "enum('a','it''s')");
    assert.equal(type('enum', { enum: ['back\\slash'] }), "enum('back\\\\slash')");
    assert.equal(type('simple-enum', { enum: ['1', '2'] }), "enum('1','2')");
    assert.equal(type('set', { enum: ['red', 'green'] }), "set('red','green')");
  });

  it('what TypeORM refuses or MySQL cannot parse is no type', () => {
    assert.equal(type('enum'), undefined, 'enum without values');
    assert.equal(type('text', { length: 100 }), undefined, 'length on a type without one');
    assert.equal(type('int', { length: 11 }), undefined, 'length on int');
    assert.equal(type('varchar', { enum: ['a'] }), undefined, 'values on a varchar');
    assert.equal(type('text', { array: true }), undefined, 'array');
    assert.equal(type('jsonb'), undefined);
    assert.equal(type('timestamptz'), undefined);
    assert.equal(type('citext'), undefined);
  });
});

describe('TypeORM mysql driver: defaults', () => {
  it('strings quoted, their quotes doubled; numbers quoted and written with the scale (a fraction on a column without one refused); booleans 1 and 0', () => {
    assert.equal(mysqlDefaultValue('web', { type: 'varchar' }), "'web'");
    assert.equal(mysqlDefaultValue("it's", { type: 'varchar' }), "'it''s'");
    // MySQL reads a backslash in a literal as an escape: doubled, the default is the string given.
    assert.equal(mysqlDefaultValue('C:\\temp', { type: 'varchar' }), "'C:\\\\temp'");
    assert.equal(mysqlDefaultValue(0, { type: 'int' }), "'0'");
    assert.equal(mysqlDefaultValue(-1, { type: 'int' }), "'-1'");
    assert.equal(mysqlDefaultValue(0, { type: 'decimal', scale: 2 }), "'0.00'");
    assert.equal(mysqlDefaultValue(1.5, { type: 'decimal', scale: 2 }), "'1.50'");
    // toFixed(undefined): no decimals, as TypeORM writes it; a fraction it would round away is refused.
    assert.equal(mysqlDefaultValue(2, { type: 'float' }), "'2'");
    assert.throws(
      () => mysqlDefaultValue(1.5, { type: 'double' }),
      (e: Error) => e.message === "default 1.5: TypeORM's mysql driver writes a number to the column's scale, and this column has none, so the default would be '2'; give the column a scale, or the default as a string ('1.5')",
    );
    assert.equal(mysqlDefaultValue(true, { type: 'boolean' }), '1');
    assert.equal(mysqlDefaultValue(false, { type: 'Boolean' }), '0');
    assert.equal(mysqlDefaultValue(null, { type: 'varchar' }), undefined);
  });

  it("an enum's default quoted whatever its kind; a set's values joined by commas", () => {
    assert.equal(mysqlDefaultValue(2, { type: 'enum' }), "'2'");
    assert.equal(mysqlDefaultValue('draft', { type: 'simple-enum' }), "'draft'");
    assert.equal(mysqlDefaultValue(['red', 'blue'], { type: 'set' }), "'red,blue'");
    assert.equal(mysqlDefaultValue('red', { type: 'set' }), "'red'");
  });

  it('an object default is an error: TypeORM would write [object Object]', () => {
    assert.throws(() => mysqlDefaultValue({ a: 1 }, { type: 'json' }), /\[object Object\].*MySQL does not take/);
  });

  it('datetime functions: NOW() and CURRENT_TIMESTAMP() are CURRENT_TIMESTAMP, a precision stays, others as written', () => {
    assert.equal(mysqlDatetimeFunction('NOW()'), 'CURRENT_TIMESTAMP');
    assert.equal(mysqlDatetimeFunction('now()'), 'CURRENT_TIMESTAMP');
    assert.equal(mysqlDatetimeFunction('CURRENT_TIMESTAMP'), 'CURRENT_TIMESTAMP');
    assert.equal(mysqlDatetimeFunction('CURRENT_TIMESTAMP(6)'), 'CURRENT_TIMESTAMP(6)');
    assert.equal(mysqlDatetimeFunction('now(3)'), 'CURRENT_TIMESTAMP(3)');
    assert.equal(mysqlDatetimeFunction('(UUID())'), '(UUID())');
    // 1.x keeps any other text, an ON UPDATE written into the default too.
    assert.equal(mysqlDatetimeFunction('CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)'), 'CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)');
  });

  it('datetime functions before TypeORM 1.0: any text mentioning CURRENT_TIMESTAMP or NOW is CURRENT_TIMESTAMP with its first precision', () => {
    const v03 = (value: string): string => mysqlDatetimeFunction(value, true);
    assert.equal(v03('CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)'), 'CURRENT_TIMESTAMP(6)');
    assert.equal(v03('CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP'), 'CURRENT_TIMESTAMP');
    assert.equal(v03('now()'), 'CURRENT_TIMESTAMP');
    assert.equal(v03('NOW(3)'), 'CURRENT_TIMESTAMP(3)');
    assert.equal(v03('current_timestamp(3) + INTERVAL 1 DAY'), 'CURRENT_TIMESTAMP(3)');
    // Anywhere, as 0.3's indexOf finds it: `'unknown'` holds NOW.
    assert.equal(v03("'unknown'"), 'CURRENT_TIMESTAMP');
    assert.equal(v03('(UUID())'), '(UUID())');
    assert.equal(mysqlTypeOrm.defaultFunction('CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)', typeOrmRules('0.3.31')), 'CURRENT_TIMESTAMP(6)');
    assert.equal(mysqlTypeOrm.defaultFunction('CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)', typeOrmRules('1.1.1')), 'CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)');
  });
});

// ---------------------------------------------------------------------------------------------

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** Reads entity files (path → text) written into a new temporary folder, for the mysql dialect. */
function read(files: Record<string, string>): Schema {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-mysql-entities-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(root, file), text);
  return readEntityFiles(Object.keys(files).map((f) => path.join(root, f)), 'mysql', {});
}

function table(schema: Schema, name: string): Table {
  const t = schema.tables.find((x) => x.name === name);
  assert.ok(t, `no table ${name} in ${schema.tables.map((x) => x.name).join(', ')}`);
  return t;
}

const column = (t: Table, name: string) => {
  const c = t.columns.find((x) => x.name === name);
  assert.ok(c, `no column ${name} in ${t.name}`);
  return c;
};

describe('TypeORM mysql driver: entities read for MySQL', () => {
  it('special columns: datetime(6) with CURRENT_TIMESTAMP(6) unless a precision or default is given, the update date ON UPDATE CURRENT_TIMESTAMP(6); the delete date nullable', () => {
    const s = read({
      'a.ts': `import { CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
@Entity()
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
  @DeleteDateColumn() deletedAt!: Date;
  @CreateDateColumn({ type: 'timestamp', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' }) seenAt!: Date;
  @VersionColumn() version!: number;
}
`,
    });
    const a = table(s, 'a');
    assert.deepEqual(column(a, 'id'), { name: 'id', type: 'int', nullable: false, autoincrement: true });
    assert.deepEqual(column(a, 'createdAt'), { name: 'createdAt', type: 'datetime(6)', nullable: false, default: 'CURRENT_TIMESTAMP(6)' });
    assert.deepEqual(column(a, 'updatedAt'), { name: 'updatedAt', type: 'datetime(6)', nullable: false, default: 'CURRENT_TIMESTAMP(6)', onUpdate: 'CURRENT_TIMESTAMP(6)' });
    assert.deepEqual(column(a, 'deletedAt'), { name: 'deletedAt', type: 'datetime(6)', nullable: true });
    assert.deepEqual(column(a, 'seenAt'), { name: 'seenAt', type: 'timestamp(3)', nullable: false, default: 'CURRENT_TIMESTAMP(3)' });
    assert.deepEqual(column(a, 'version'), { name: 'version', type: 'int', nullable: false });
  });

  it('the onUpdate option is the column\'s ON UPDATE, and an update date\'s own; other dialects refuse it, naming where it is written', () => {
    const source = `import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
@Entity()
export class B {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'timestamp', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', onUpdate: 'CURRENT_TIMESTAMP(3)' }) touchedAt!: Date;
  @UpdateDateColumn({ onUpdate: 'CURRENT_TIMESTAMP(6)' }) updatedAt!: Date;
}
`;
    const b = table(read({ 'b.ts': source }), 'b');
    assert.equal(column(b, 'touchedAt').onUpdate, 'CURRENT_TIMESTAMP(3)');
    assert.equal(column(b, 'updatedAt').onUpdate, 'CURRENT_TIMESTAMP(6)');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-pg-entities-'));
    roots.push(root);
    fs.writeFileSync(path.join(root, 'b.ts'), source);
    assert.throws(
      () => readEntityFiles([path.join(root, 'b.ts')], 'postgres', {}),
      (e: Error) => e.message === `${path.join(root, 'b.ts')}:5: onUpdate of B.touchedAt is MySQL's ON UPDATE clause, which TypeORM leaves out on PostgreSQL; remove it`,
    );
    // An update date on PostgreSQL has none: TypeORM's postgres driver writes no ON UPDATE.
    fs.writeFileSync(path.join(root, 'c.ts'), source.replace("@Column({ type: 'timestamp', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', onUpdate: 'CURRENT_TIMESTAMP(3)' }) touchedAt!: Date;\n", '').replace('({ onUpdate: \'CURRENT_TIMESTAMP(6)\' })', '()'));
    const c = readEntityFiles([path.join(root, 'c.ts')], 'postgres', {}).tables.find((t) => t.name === 'b')!;
    assert.equal(column(c, 'updatedAt').onUpdate, undefined);
  });

  it('a default the driver refuses is an error at its column: a fraction TypeORM would round away, an object', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-mysql-entities-'));
    roots.push(root);
    const file = path.join(root, 'd.ts');
    fs.writeFileSync(
      file,
      `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class D {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'double', default: 1.5 }) half!: number;
}
`,
    );
    assert.throws(() => readEntityFiles([file], 'mysql', {}), (e: Error) => e.message.startsWith(`${file}:5: default 1.5: TypeORM's mysql driver writes a number to the column's scale`));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("type: 'double', default: 1.5", "type: 'json', default: { a: 1 }"));
    assert.throws(() => readEntityFiles([file], 'mysql', {}), (e: Error) => e.message.startsWith(`${file}:5: default {"a":1}: TypeORM's mysql driver writes`));
  });

  it('uuid keys: varchar(36) without a default, and so are the join and junction columns that refer to them', () => {
    const s = read({
      'user.ts': `import { Column, Entity, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Group } from './group';
@Entity()
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') externalId!: string;
  @ManyToOne(() => User) manager!: User;
  @ManyToMany(() => Group) @JoinTable() groups!: Group[];
}
`,
      'group.ts': `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class Group {
  @PrimaryColumn('uuid') id!: string;
  @Column() name!: string;
}
`,
    });
    const user = table(s, 'user');
    assert.deepEqual(column(user, 'id'), { name: 'id', type: 'varchar(36)', nullable: false });
    assert.equal(column(user, 'externalId').type, 'varchar(255)');
    assert.equal(column(user, 'managerId').type, 'varchar(36)');
    assert.equal(column(table(s, 'group'), 'id').type, 'varchar(255)');
    const junction = table(s, 'user_groups_group');
    assert.deepEqual(
      junction.columns.map((c) => `${c.name} ${c.type}`),
      ['userId varchar(36)', 'groupId varchar(36)'],
    );
  });

  it("'increment' is AUTO_INCREMENT; 'identity' and 'rowid' are plain columns, as TypeORM's mysql driver builds them", () => {
    const s = read({
      'a.ts': `import { Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity() export class A { @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string; }
@Entity() export class B { @PrimaryGeneratedColumn('identity') id!: number; }
`,
    });
    assert.deepEqual(column(table(s, 'a'), 'id'), { name: 'id', type: 'bigint', nullable: false, autoincrement: true });
    assert.deepEqual(column(table(s, 'b'), 'id'), { name: 'id', type: 'int', nullable: false });
  });

  it('unique columns and @Unique are unique indexes named by indexName (IDX_…); a named @Unique keeps its name; one-to-one is REL_…', () => {
    const s = read({
      'a.ts': `import { Column, Entity, JoinColumn, OneToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
@Entity()
@Unique(['first', 'last'])
@Unique('UQ_a_code', ['code'])
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ unique: true }) email!: string;
  @Column() first!: string;
  @Column() last!: string;
  @Column() code!: string;
  @OneToOne(() => A) @JoinColumn() twin!: A;
}
`,
    });
    const a = table(s, 'a');
    assert.deepEqual(
      a.uniques.map((u) => [u.name, u.columns]),
      [
        [typeormNames.index('a', ['email']), ['email']],
        ['UQ_a_code', ['code']],
        [typeormNames.index('a', ['first', 'last']), ['first', 'last']],
        [typeormNames.relationUnique('a', ['twinId']), ['twinId']],
      ],
    );
    assert.match(a.uniques[0].name ?? '', /^IDX_/);
  });

  it('enums are column types with their values; defaults as TypeORM writes them', () => {
    const s = read({
      'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
export enum Status { Draft = 'draft', Done = 'done' }
export enum Level { Low = 1, High = 2 }
@Entity()
export class A {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'enum', enum: Status, default: Status.Draft }) status!: Status;
  @Column({ type: 'enum', enum: Level, default: Level.High }) level!: Level;
  @Column({ default: true }) active!: boolean;
  @Column({ type: 'decimal', precision: 8, scale: 2, default: 0 }) total!: string;
  @Column({ length: 10, default: 'web' }) channel!: string;
}
`,
    });
    const a = table(s, 'a');
    assert.deepEqual(column(a, 'status'), { name: 'status', type: "enum('draft','done')", nullable: false, default: "'draft'" });
    assert.deepEqual(column(a, 'level'), { name: 'level', type: "enum('1','2')", nullable: false, default: "'2'" });
    assert.deepEqual(column(a, 'active'), { name: 'active', type: 'tinyint', nullable: false, default: '1' });
    assert.deepEqual(column(a, 'total'), { name: 'total', type: 'decimal(8,2)', nullable: false, default: "'0.00'" });
    assert.deepEqual(column(a, 'channel'), { name: 'channel', type: 'varchar(10)', nullable: false, default: "'web'" });
    assert.equal(s.enums, undefined, 'no enum types');
    assert.deepEqual(a.checks, [], 'no enum checks');
  });

  it('a type TypeORM refuses on MySQL is an error naming the column', () => {
    assert.throws(
      () =>
        read({
          'a.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
@Entity() export class A { @PrimaryGeneratedColumn() id!: number; @Column('jsonb') data!: object; }
`,
        }),
      /column type "jsonb" of A\.data is not supported on mysql/,
    );
  });
});
