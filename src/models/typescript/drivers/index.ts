/** TypeORM's driver rules for each dialect, by the dialect's name. */
import type { TypeOrmDriver } from './driver.js';
import { mysqlTypeOrm } from './mysql.js';
import { postgresTypeOrm } from './postgres.js';
import { sqliteTypeOrm } from './sqlite.js';

export type { ColumnTypeInput, ColumnTypeResult, DefaultFunctionResult, DesignType, TypeOrmDriver } from './driver.js';
export { frozenTimeDefault } from './driver.js';

const DRIVERS: readonly TypeOrmDriver[] = [sqliteTypeOrm, postgresTypeOrm, mysqlTypeOrm];

export function typeOrmDriver(dialect: string): TypeOrmDriver {
  const driver = DRIVERS.find((d) => d.name === dialect);
  if (!driver) throw new Error(`TypeORM entities are not supported on ${dialect}`);
  return driver;
}

/** Whether TypeORM entities are read for the dialect. */
export function hasTypeOrmDriver(dialect: string): boolean {
  return DRIVERS.some((d) => d.name === dialect);
}

/** The driver whose database a DataSource of this TypeORM `type` describes; undefined for other databases. */
export function driverOfType(type: unknown): TypeOrmDriver | undefined {
  return typeof type === 'string' ? DRIVERS.find((d) => d.dataSource.types.includes(type)) : undefined;
}

/** The databases DataSources are read for, in prose: `SQLite and PostgreSQL`. */
export function driverTitles(): string {
  const titles = DRIVERS.map((d) => d.title);
  return `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}

/** What to do about two entities of one table. */
export const SHARED_TABLE_ADVICE = '; if one of them only reads the table (a slimmer or older view of its rows), give it @Entity({ name, synchronize: false }) so the other alone says what the table is, or leave its file out of the models';

/** TypeORM's refusal ("Sqlite does not support AUTOINCREMENT on composite primary key"), which its CREATE TABLE meets. */
export function compositeNumbered(column: string, key: readonly string[], title: string): string {
  return `${column} is numbered by the database, but the primary key has ${key.length} columns (${key.join(', ')}): ${title} numbers only a primary key of one column, and TypeORM refuses it ("does not support AUTOINCREMENT on composite primary key"); make it the only primary column (a unique index can hold the others), or give it values of the application's (@PrimaryColumn, or @PrimaryGeneratedColumn('uuid'))`;
}

/** Options neither TypeORM reader can take: what they do, and what to do instead. */
export const UNDESCRIBED_OPTIONS = {
  deferrable: 'makes the constraint DEFERRABLE, which migrator cannot describe (nor does it when TypeORM itself reads the entities); remove it, or make the constraint deferrable in a revision with op.execute and leave the option out',
  engine: "sets the table's storage engine, which migrator cannot describe (every table it creates takes the server's default engine, nor does it read one when TypeORM itself reads the entities); remove it, or set the engine in a revision with op.execute (ALTER TABLE … ENGINE=…) and leave the option out",
  zerofill: 'pads the numbers with zeros (ZEROFILL), which migrator cannot describe (nor when TypeORM itself reads the entities); remove it and pad the numbers where they are shown',
  withoutRowid: 'makes a WITHOUT ROWID table, which migrator cannot describe (nor when TypeORM itself reads the entities); remove it',
} as const;

/**
 * A junction table's name as TypeORM's metadata builds it: one longer than the driver's
 * `maxAliasLength` is shortened, each `_`-separated part to its first three letters, or to the
 * first two of each word of a camel-cased part (`OrderItemList` → `OrItLi`), a name given with
 * `@JoinTable({ name })` too.
 */
export function junctionTableName(driver: TypeOrmDriver, name: string): string {
  if (!driver.maxAliasLength || name.length <= driver.maxAliasLength) return name;
  return name
    .split('_')
    .map((part) => {
      const terms = part
        .replace(/([a-z\xE0-\xFF])([A-Z\xC0-\xDF])/g, '$1 $2')
        .replace(/(_)([a-z])/g, ' $2')
        .split(' ');
      const length = terms.length > 1 ? 2 : 3;
      return terms.map((t) => t.slice(0, length)).join('');
    })
    .join('_');
}

/**
 * A generated column (`asExpression`, `generatedType`) as the driver writes it, or why migrator
 * cannot take it; `nullable` as the database keeps it.
 */
export function typeOrmGenerated(driver: TypeOrmDriver, expression: string, generatedType: string | undefined, nullable: boolean): { generated: string; virtual?: true; nullable: boolean } | { problem: string } {
  if (driver.generatedColumns === 'none') {
    return { problem: `is a generated column (asExpression), which migrator writes on PostgreSQL and MySQL, not on ${driver.title}; compute it in the application, or add it with op.execute in a revision` };
  }
  if (driver.generatedColumns === 'stored') {
    if (generatedType !== 'STORED') return { problem: `has asExpression without generatedType: 'STORED', for which TypeORM writes a plain column on ${driver.title} (its generated columns are all stored); add generatedType: 'STORED'` };
    return { generated: expression, nullable };
  }
  const type = generatedType ?? 'VIRTUAL';
  if (type !== 'VIRTUAL' && type !== 'STORED') return { problem: `has generatedType: '${type}'; use 'VIRTUAL' or 'STORED'` };
  return { generated: expression, ...(type === 'VIRTUAL' ? { virtual: true as const } : {}), nullable: true };
}

/**
 * A column's collation from TypeORM's `collation` and `charset` options, or why they cannot be
 * read. A MySQL collation names its character set (`utf8mb4_unicode_ci` is utf8mb4's), so a
 * `charset` beside one only has to agree with it; a `charset` alone gives the column the
 * character set's default collation, which the server decides.
 */
export function typeOrmCollation(driver: TypeOrmDriver, collation: string | undefined, charset: string | undefined): { collation?: string } | { problem: string } {
  if (charset === undefined || driver.charset === 'ignored') return collation === undefined ? {} : { collation };
  if (collation === undefined) {
    return { problem: `has charset "${charset}" without a collation: on ${driver.title} the column takes the character set's default collation, which the server decides; give the collation too (collation: '${charset}_…'), which names its character set` };
  }
  const named = collation.toLowerCase().replace(/^utf8_/, 'utf8mb3_');
  const set = charset.toLowerCase().replace(/^utf8$/, 'utf8mb3');
  if (named !== set && !named.startsWith(`${set}_`)) return { problem: `has charset "${charset}" and collation "${collation}", which is not one of that character set's; give a collation of ${charset}` };
  return { collation };
}
