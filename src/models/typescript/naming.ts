/**
 * Naming strategies: TypeORM's DefaultNamingStrategy reproduced byte for byte (so names migrator
 * generates match the ones TypeORM's `synchronize` gives the same entities), and the project's own
 * strategy (`namingStrategy` in the config, e.g. `new SnakeNamingStrategy()`), called with the
 * arguments TypeORM calls it with.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MigratorError } from '../../errors.js';
import type { TypeOrmRules } from './typeorm-version.js';

/** `OrderItem` → `order_item`, `HTTPRequestLog` → `http_request_log`. */
export function snakeCase(s: string): string {
  return s
    .replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** `customer_id` → `customerId`; only a leading ASCII capital is lowered. */
export function camelCase(s: string): string {
  return s.replace(/^([A-Z])|[\s\-_](\w)/g, (_m, p1: string | undefined, p2: string | undefined) => (p2 ? p2.toUpperCase() : (p1 as string).toLowerCase()));
}

/** `address` → `Address`, each word capitalised (TypeORM's titleCase). */
function titleCase(s: string): string {
  return s.replace(/\w\S*/g, (t) => t.charAt(0).toUpperCase() + t.substring(1).toLowerCase());
}

function sha1(input: string): string {
  return createHash('sha1').update(input, 'utf8').digest('hex');
}

/** A table name, or the table TypeORM passes where it has one. */
export type TableOrName = string | { name: string };

/** The methods of TypeORM's NamingStrategyInterface that decide table, column and constraint names. */
export interface NamingStrategy {
  tableName(targetName: string, userSpecifiedName: string | undefined): string;
  columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string;
  joinColumnName(relationName: string, referencedColumnName: string): string;
  joinTableName(firstTableName: string, secondTableName: string, firstPropertyName: string, secondPropertyName: string): string;
  joinTableColumnName(tableName: string, propertyName: string, columnName?: string): string;
  joinTableInverseColumnName(tableName: string, propertyName: string, columnName?: string): string;
  joinTableColumnDuplicationPrefix(columnName: string, index: number): string;
  primaryKeyName(tableOrName: TableOrName, columnNames: string[]): string;
  uniqueConstraintName(tableOrName: TableOrName, columnNames: string[]): string;
  relationConstraintName(tableOrName: TableOrName, columnNames: string[], where?: string): string;
  foreignKeyName(tableOrName: TableOrName, columnNames: string[], referencedTablePath?: string, referencedColumnNames?: string[]): string;
  indexName(tableOrName: TableOrName, columnNames: string[], where?: string): string;
  checkConstraintName(tableOrName: TableOrName, expression: string, isEnum?: boolean): string;
  /** A closure-table tree's closure table, from the tree's table (or its `closureTableName`). */
  closureJunctionTableName(originalClosureTableName: string): string;
  /** The column a materialized-path tree keeps its paths in. */
  materializedPathColumnName: string;
  /** The columns a nested-set tree keeps its bounds in. */
  nestedSetColumnNames: { left: string; right: string };
}

export const NAMING_METHODS = [
  'tableName', 'columnName', 'joinColumnName', 'joinTableName', 'joinTableColumnName', 'joinTableInverseColumnName',
  'joinTableColumnDuplicationPrefix', 'primaryKeyName', 'uniqueConstraintName', 'relationConstraintName', 'foreignKeyName',
  'indexName', 'checkConstraintName', 'closureJunctionTableName',
] as const satisfies readonly (keyof NamingStrategy)[];

/** TypeORM's DefaultNamingStrategy. */
export class DefaultNamingStrategy implements NamingStrategy {
  /** What a constraint or index name is hashed from its key with (TypeORM 1.x's `hash`). */
  hash(input: string): string {
    return sha1(input);
  }

  tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? snakeCase(targetName);
  }

  columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    const name = customName || propertyName;
    if (embeddedPrefixes.length) return camelCase(embeddedPrefixes.join('_')) + titleCase(name);
    return name;
  }

  joinColumnName(relationName: string, referencedColumnName: string): string {
    return camelCase(`${relationName}_${referencedColumnName}`);
  }

  joinTableName(firstTableName: string, secondTableName: string, firstPropertyName: string): string {
    return snakeCase(`${firstTableName}_${firstPropertyName.replace(/\./g, '_')}_${secondTableName}`);
  }

  joinTableColumnName(tableName: string, propertyName: string, columnName?: string): string {
    return camelCase(`${tableName}_${columnName ?? propertyName}`);
  }

  joinTableInverseColumnName(tableName: string, propertyName: string, columnName?: string): string {
    return this.joinTableColumnName(tableName, propertyName, columnName);
  }

  joinTableColumnDuplicationPrefix(columnName: string, index: number): string {
    return `${columnName}_${index}`;
  }

  primaryKeyName(tableOrName: TableOrName, columnNames: string[]): string {
    return `PK_${this.hash(key(tableOrName, columnNames)).slice(0, 27)}`;
  }

  uniqueConstraintName(tableOrName: TableOrName, columnNames: string[]): string {
    return `UQ_${this.hash(key(tableOrName, columnNames)).slice(0, 27)}`;
  }

  relationConstraintName(tableOrName: TableOrName, columnNames: string[], where?: string): string {
    return `REL_${this.hash(where ? `${key(tableOrName, columnNames)}_${where}` : key(tableOrName, columnNames)).slice(0, 26)}`;
  }

  foreignKeyName(tableOrName: TableOrName, columnNames: string[]): string {
    return `FK_${this.hash(key(tableOrName, columnNames)).slice(0, 27)}`;
  }

  indexName(tableOrName: TableOrName, columnNames: string[], where?: string): string {
    return `IDX_${this.hash(where ? `${key(tableOrName, columnNames)}_${where}` : key(tableOrName, columnNames)).slice(0, 26)}`;
  }

  checkConstraintName(tableOrName: TableOrName, expression: string, isEnum?: boolean): string {
    const name = `CHK_${this.hash(`${tableName(tableOrName).replace('.', '_')}_${expression}`).slice(0, 26)}`;
    return isEnum ? `${name}_ENUM` : name;
  }

  closureJunctionTableName(originalClosureTableName: string): string {
    return `${originalClosureTableName}_closure`;
  }

  materializedPathColumnName = 'mpath';
  nestedSetColumnNames = { left: 'nsleft', right: 'nsright' };
}

function tableName(tableOrName: TableOrName): string {
  return (typeof tableOrName === 'string' ? tableOrName : tableOrName.name).split('.').pop()!;
}

/** `<table>_<columns sorted by code unit, joined by _>`, the key TypeORM hashes. */
function key(tableOrName: TableOrName, columns: readonly string[]): string {
  return `${tableName(tableOrName).replace('.', '_')}_${[...columns].sort().join('_')}`;
}

/**
 * TypeORM 0.3's DefaultNamingStrategy: its names hash `encodeURIComponent(key)` (RandomGenerator.sha1),
 * which differs from 1.x's wherever the key holds a space, a quote or an operator — every CHK_ name,
 * every IDX_ with a `where` — as `NamingStrategyV03` of @typeorm/legacy-naming-strategies keeps it.
 */
export class NamingStrategyV03 extends DefaultNamingStrategy {
  override hash(input: string): string {
    return sha1(encodeURIComponent(input));
  }
}

const DEFAULT = new DefaultNamingStrategy();
const DEFAULT_V03 = new NamingStrategyV03();

/**
 * The strategy to name by: the project's (any object with TypeORM's naming methods; a method it
 * lacks is TypeORM's default), else TypeORM's default. A method that returns anything but a
 * non-empty string is an error naming it.
 */
export function namingStrategy(project?: object, source = 'namingStrategy', rules?: Pick<TypeOrmRules, 'uriEncodedHash'>): NamingStrategy {
  const base = rules?.uriEncodedHash ? DEFAULT_V03 : DEFAULT;
  if (!project) return base;
  const out = {} as Record<string, (...args: unknown[]) => string>;
  // The hash the defaults name by: the project's own (a 1.x strategy's), else the version's.
  const hash = (project as Record<string, unknown>).hash;
  out.hash = (typeof hash === 'function' ? hash.bind(project) : base.hash.bind(base)) as (...args: unknown[]) => string;
  const shown = (a: unknown): string => (a === undefined ? 'undefined' : JSON.stringify(typeof a === 'object' && a && 'name' in a ? a.name : a));
  for (const method of NAMING_METHODS) {
    const own = (project as Record<string, unknown>)[method];
    // A method the project lacks is TypeORM's default, which sees the project's others through `this`.
    const fn = typeof own === 'function' ? (own as (...a: unknown[]) => unknown).bind(project) : (base[method] as (...a: unknown[]) => unknown).bind(out);
    out[method] = (...args: unknown[]) => {
      let name: unknown;
      try {
        // Where TypeORM passes a Table (primaryKeyName), the project's strategy gets one of its own
        // TypeORM's, as a strategy that asks `tableOrName instanceof Table` expects.
        name = fn(...(typeof own === 'function' ? args.map(asTypeOrmTable) : args));
      } catch (error) {
        if (error instanceof MigratorError) throw error;
        throw new MigratorError(`${source}.${method}(${args.map(shown).join(', ')}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (typeof name !== 'string' || name === '') {
        throw new MigratorError(`${source}.${method}(${args.map(shown).join(', ')}) returned ${shown(name)}; it must return a name`);
      }
      return name;
    };
  }
  // The tree columns' names are properties, not methods (TypeORM reads them so).
  const own = project as Partial<Pick<NamingStrategy, 'materializedPathColumnName' | 'nestedSetColumnNames'>>;
  const named = (value: unknown, what: string): string => {
    if (typeof value !== 'string' || value === '') throw new MigratorError(`${source}.${what} is ${shown(value)}; it must be a name`);
    return value;
  };
  const path = own.materializedPathColumnName ?? base.materializedPathColumnName;
  const bounds = own.nestedSetColumnNames ?? base.nestedSetColumnNames;
  Object.assign(out, {
    materializedPathColumnName: named(path, 'materializedPathColumnName'),
    nestedSetColumnNames: { left: named(bounds?.left, 'nestedSetColumnNames.left'), right: named(bounds?.right, 'nestedSetColumnNames.right') },
  });
  return out as unknown as NamingStrategy;
}

let tableClass: (new (options: { name: string }) => object) | null | undefined;

/** TypeORM's `Table` of the project (from the folder migrator runs in); null where it cannot be loaded. */
function projectTable(): (new (options: { name: string }) => object) | null {
  if (tableClass === undefined) {
    try {
      const loaded = createRequire(path.join(process.cwd(), 'package.json'))('typeorm') as { Table?: new (options: { name: string }) => object };
      tableClass = typeof loaded.Table === 'function' ? loaded.Table : null;
    } catch {
      tableClass = null;
    }
  }
  return tableClass;
}

/** A `{ name }` table argument as a TypeORM Table where the project has TypeORM; anything else as it is. */
function asTypeOrmTable(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || !('name' in arg) || Object.keys(arg).length !== 1) return arg;
  const Table = projectTable();
  return Table ? new Table({ name: (arg as { name: string }).name }) : arg;
}

/** TypeORM's default names, as plain functions. */
export const typeormNames = {
  table: (className: string, given?: string): string => DEFAULT.tableName(className, given),
  joinColumn: (relationProperty: string, referencedProperty: string): string => DEFAULT.joinColumnName(relationProperty, referencedProperty),
  joinTable: (firstTable: string, secondTable: string, firstProperty: string): string => DEFAULT.joinTableName(firstTable, secondTable, firstProperty),
  joinTableColumn: (table: string, column: string): string => DEFAULT.joinTableColumnName(table, column),
  primaryKey: (table: string, columns: readonly string[]): string => DEFAULT.primaryKeyName(table, [...columns]),
  unique: (table: string, columns: readonly string[]): string => DEFAULT.uniqueConstraintName(table, [...columns]),
  relationUnique: (table: string, columns: readonly string[]): string => DEFAULT.relationConstraintName(table, [...columns]),
  foreignKey: (table: string, columns: readonly string[]): string => DEFAULT.foreignKeyName(table, [...columns]),
  index: (table: string, columns: readonly string[], where?: string): string => DEFAULT.indexName(table, [...columns], where),
  check: (table: string, expression: string): string => DEFAULT.checkConstraintName(table, expression),
};
