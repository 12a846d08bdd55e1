/**
 * The `op` object handed to a revision's `upgrade` and `downgrade`. Each call records an
 * Operation; the runner compiles the recorded list for the dialect and runs it (or prints it, with
 * `--sql`) in the revision's transaction. Calls are awaited only so that revision files read like
 * ordinary async code.
 */
import type { CheckConstraint, Column, ForeignKey, Index, PrimaryKey, UniqueConstraint } from '../schema/schema.js';
import type { ColumnChanges, ConstraintRef, ConstraintType, Operation } from './operation.js';

/** The definition `op.createTable` takes: a table without its name and indexes. */
export interface TableDefinition {
  columns: Column[];
  primaryKey?: PrimaryKey;
  uniques?: UniqueConstraint[];
  checks?: CheckConstraint[];
  foreignKeys?: ForeignKey[];
  comment?: string;
  /** The table's default collation (MySQL). */
  collation?: string;
}

/**
 * An index as `op.createIndex` takes it. `concurrently` (PostgreSQL) builds it without blocking
 * writes, outside the revision's transaction; other dialects build it as usual.
 */
export type IndexDefinition = Omit<Index, 'unique'> & { unique?: boolean; concurrently?: boolean };

/**
 * `validate: false` adds a foreign key or check without checking the rows already there
 * (PostgreSQL `NOT VALID`: new and changed rows are checked); `op.validateConstraint` checks them
 * later without blocking writes. Dialects without it add the constraint checked.
 */
export interface ConstraintOptions {
  validate?: false;
}

/**
 * `throughCheck` (PostgreSQL) sets NOT NULL without a scan under a write-blocking lock: a
 * `CHECK (column IS NOT NULL) NOT VALID` is added, validated in a transaction of its own, then
 * NOT NULL is set (PostgreSQL 12+ trusts the check and skips the scan) and the check dropped.
 */
export interface AlterColumnOptions {
  throughCheck?: boolean;
}

/** `transaction: false` runs the SQL outside any transaction (CREATE INDEX CONCURRENTLY, VACUUM …). */
export interface ExecuteOptions {
  transaction?: false;
}

/** Operations on one table, as `op.batchAlterTable` hands them out. */
export interface BatchOperations {
  addColumn(column: Column): Promise<void>;
  dropColumn(column: string): Promise<void>;
  alterColumn(column: string, changes: ColumnChanges, options?: AlterColumnOptions): Promise<void>;
  renameColumn(from: string, to: string): Promise<void>;
  alterPrimaryKey(primaryKey: PrimaryKey | null): Promise<void>;
  createIndex(index: IndexDefinition): Promise<void>;
  dropIndex(name: string, options?: { concurrently?: boolean }): Promise<void>;
  renameIndex(from: string, to: string): Promise<void>;
  createUniqueConstraint(unique: UniqueConstraint): Promise<void>;
  createForeignKey(foreignKey: ForeignKey, options?: ConstraintOptions): Promise<void>;
  createCheckConstraint(check: CheckConstraint, options?: ConstraintOptions): Promise<void>;
  validateConstraint(name: string): Promise<void>;
  dropConstraint(name: string, type: ConstraintType): Promise<void>;
  dropConstraint(ref: ConstraintRef): Promise<void>;
  renameConstraint(from: string, to: string): Promise<void>;
}

export class Operations {
  /** The operations recorded so far, in call order. */
  readonly recorded: Operation[] = [];

  private record(op: Operation): Promise<void> {
    this.recorded.push(op);
    return Promise.resolve();
  }

  /** Creates a table with its columns and constraints; indexes are created with `createIndex`. */
  createTable(name: string, definition: TableDefinition): Promise<void> {
    return this.record({
      kind: 'createTable',
      table: {
        name,
        columns: definition.columns.map((c) => ({ ...c })),
        ...(definition.primaryKey ? { primaryKey: definition.primaryKey } : {}),
        indexes: [],
        uniques: definition.uniques ?? [],
        checks: definition.checks ?? [],
        foreignKeys: definition.foreignKeys ?? [],
        ...(definition.comment !== undefined ? { comment: definition.comment } : {}),
        ...(definition.collation !== undefined ? { collation: definition.collation } : {}),
      },
    });
  }

  dropTable(name: string): Promise<void> {
    return this.record({ kind: 'dropTable', table: name });
  }

  renameTable(from: string, to: string): Promise<void> {
    return this.record({ kind: 'renameTable', from, to });
  }

  addColumn(table: string, column: Column): Promise<void> {
    return this.record({ kind: 'addColumn', table, column });
  }

  dropColumn(table: string, column: string): Promise<void> {
    return this.record({ kind: 'dropColumn', table, column });
  }

  /** Changes a column's type, nullability or default (`default: null` removes it). */
  alterColumn(table: string, column: string, changes: ColumnChanges, options: AlterColumnOptions = {}): Promise<void> {
    return this.record({ kind: 'alterColumn', table, column, changes, ...(options.throughCheck ? { throughCheck: true } : {}) });
  }

  renameColumn(table: string, from: string, to: string): Promise<void> {
    return this.record({ kind: 'renameColumn', table, from, to });
  }

  /** Replaces a table's primary key (`null` removes it). */
  alterPrimaryKey(table: string, primaryKey: PrimaryKey | null): Promise<void> {
    return this.record({ kind: 'alterPrimaryKey', table, primaryKey });
  }

  createIndex(table: string, index: IndexDefinition): Promise<void> {
    const { concurrently, ...rest } = index;
    return this.record({ kind: 'createIndex', table, index: { ...rest, unique: rest.unique ?? false }, ...(concurrently ? { concurrently: true } : {}) });
  }

  /** Drops an index; `concurrently` (PostgreSQL) without blocking writes, outside the transaction. */
  dropIndex(table: string, name: string, options: { concurrently?: boolean } = {}): Promise<void> {
    return this.record({ kind: 'dropIndex', table, name, ...(options.concurrently ? { concurrently: true } : {}) });
  }

  createUniqueConstraint(table: string, unique: UniqueConstraint): Promise<void> {
    return this.record({ kind: 'addConstraint', table, constraint: { type: 'unique', ...unique } });
  }

  createForeignKey(table: string, foreignKey: ForeignKey, options: ConstraintOptions = {}): Promise<void> {
    return this.record({ kind: 'addConstraint', table, constraint: { type: 'foreignKey', ...foreignKey }, ...notValid(options) });
  }

  createCheckConstraint(table: string, check: CheckConstraint, options: ConstraintOptions = {}): Promise<void> {
    return this.record({ kind: 'addConstraint', table, constraint: { type: 'check', ...check }, ...notValid(options) });
  }

  /**
   * Checks the rows already there against a constraint added with `validate: false`, in a
   * transaction of its own (PostgreSQL: without blocking writes). Nothing elsewhere.
   */
  validateConstraint(table: string, name: string): Promise<void> {
    return this.record({ kind: 'validateConstraint', table, name });
  }

  /** Drops a constraint by name (`'FK_…', 'foreignKey'`), or an unnamed one by its shape. */
  dropConstraint(table: string, name: string, type: ConstraintType): Promise<void>;
  dropConstraint(table: string, ref: ConstraintRef): Promise<void>;
  dropConstraint(table: string, nameOrRef: string | ConstraintRef, type?: ConstraintType): Promise<void> {
    if (typeof nameOrRef === 'string') {
      if (!type) throw new TypeError(`dropConstraint("${table}", "${nameOrRef}") needs the constraint type: 'unique', 'foreignKey' or 'check'`);
      return this.record({ kind: 'dropConstraint', table, ref: { type, name: nameOrRef } });
    }
    return this.record({ kind: 'dropConstraint', table, ref: nameOrRef });
  }

  /** Sets (or with null removes) a table's comment. */
  setTableComment(table: string, comment: string | null): Promise<void> {
    return this.record({ kind: 'setTableComment', table, comment });
  }

  /** Creates a database extension if it is not there yet (PostgreSQL), optionally in a schema or at a version. */
  createExtension(name: string, options: { schema?: string; version?: string } = {}): Promise<void> {
    return this.record({ kind: 'createExtension', name, ...options });
  }

  dropExtension(name: string): Promise<void> {
    return this.record({ kind: 'dropExtension', name });
  }

  /** Creates an enumerated type (PostgreSQL). */
  createEnum(name: string, values: string[]): Promise<void> {
    return this.record({ kind: 'createEnum', enum: { name, values } });
  }

  dropEnum(name: string): Promise<void> {
    return this.record({ kind: 'dropEnum', name });
  }

  /** Adds a value to an enumerated type, at the end or before another value. */
  addEnumValue(name: string, value: string, options: { before?: string } = {}): Promise<void> {
    return this.record({ kind: 'addEnumValue', name, value, ...(options.before !== undefined ? { before: options.before } : {}) });
  }

  /** Removes a value from an enumerated type; rows holding it make this fail. */
  dropEnumValue(name: string, value: string): Promise<void> {
    return this.record({ kind: 'dropEnumValue', name, value });
  }

  /** Renames an enumerated type; the columns of the type keep their values (PostgreSQL's ALTER TYPE … RENAME TO). */
  renameEnum(from: string, to: string): Promise<void> {
    return this.record({ kind: 'renameEnum', from, to });
  }

  /**
   * Renames an index (a unique constraint's too, on MySQL). SQLite, which cannot rename one,
   * drops it and creates it again under the new name.
   */
  renameIndex(table: string, from: string, to: string): Promise<void> {
    return this.record({ kind: 'renameIndex', table, from, to });
  }

  /**
   * Renames a constraint: a foreign key, unique or check constraint. Where the database cannot
   * rename one (MySQL's foreign keys and checks, everything on SQLite) it is dropped and added
   * again under the new name (on SQLite, in a rebuild).
   */
  renameConstraint(table: string, from: string, to: string): Promise<void> {
    return this.record({ kind: 'renameConstraint', table, from, to });
  }

  /**
   * Runs raw SQL, online and offline, on every dialect; with `transaction: false`, outside any
   * transaction (a rerun after a crash may run it again: make it safe to repeat).
   */
  execute(sql: string, options: ExecuteOptions = {}): Promise<void> {
    return this.record({ kind: 'execute', sql, ...(options.transaction === false ? { transaction: false as const } : {}) });
  }

  /**
   * Groups changes to one table. On SQLite the changes that need a rebuild share one
   * copy-and-swap; elsewhere they run as ordinary ALTER statements.
   */
  async batchAlterTable(table: string, body: (batch: BatchOperations) => Promise<void> | void): Promise<void> {
    const batch: BatchOperations = {
      addColumn: (column) => this.addColumn(table, column),
      dropColumn: (column) => this.dropColumn(table, column),
      alterColumn: (column, changes, options) => this.alterColumn(table, column, changes, options),
      renameColumn: (from, to) => this.renameColumn(table, from, to),
      alterPrimaryKey: (primaryKey) => this.alterPrimaryKey(table, primaryKey),
      createIndex: (index) => this.createIndex(table, index),
      dropIndex: (name, options) => this.dropIndex(table, name, options),
      renameIndex: (from, to) => this.renameIndex(table, from, to),
      createUniqueConstraint: (unique) => this.createUniqueConstraint(table, unique),
      createForeignKey: (fk, options) => this.createForeignKey(table, fk, options),
      createCheckConstraint: (check, options) => this.createCheckConstraint(table, check, options),
      validateConstraint: (name) => this.validateConstraint(table, name),
      dropConstraint: ((nameOrRef: string | ConstraintRef, type?: ConstraintType) =>
        typeof nameOrRef === 'string' ? this.dropConstraint(table, nameOrRef, type as ConstraintType) : this.dropConstraint(table, nameOrRef)) as BatchOperations['dropConstraint'],
      renameConstraint: (from, to) => this.renameConstraint(table, from, to),
    };
    await body(batch);
  }
}

function notValid(options: ConstraintOptions): { validate?: false } {
  return options.validate === false ? { validate: false } : {};
}
