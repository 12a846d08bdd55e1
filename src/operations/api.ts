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
}

export type IndexDefinition = Omit<Index, 'unique'> & { unique?: boolean };

/** Operations on one table, as `op.batchAlterTable` hands them out. */
export interface BatchOperations {
  addColumn(column: Column): Promise<void>;
  dropColumn(column: string): Promise<void>;
  alterColumn(column: string, changes: ColumnChanges): Promise<void>;
  renameColumn(from: string, to: string): Promise<void>;
  alterPrimaryKey(primaryKey: PrimaryKey | null): Promise<void>;
  createIndex(index: IndexDefinition): Promise<void>;
  dropIndex(name: string): Promise<void>;
  createUniqueConstraint(unique: UniqueConstraint): Promise<void>;
  createForeignKey(foreignKey: ForeignKey): Promise<void>;
  createCheckConstraint(check: CheckConstraint): Promise<void>;
  dropConstraint(name: string, type: ConstraintType): Promise<void>;
  dropConstraint(ref: ConstraintRef): Promise<void>;
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
  alterColumn(table: string, column: string, changes: ColumnChanges): Promise<void> {
    return this.record({ kind: 'alterColumn', table, column, changes });
  }

  renameColumn(table: string, from: string, to: string): Promise<void> {
    return this.record({ kind: 'renameColumn', table, from, to });
  }

  /** Replaces a table's primary key (`null` removes it). */
  alterPrimaryKey(table: string, primaryKey: PrimaryKey | null): Promise<void> {
    return this.record({ kind: 'alterPrimaryKey', table, primaryKey });
  }

  createIndex(table: string, index: IndexDefinition): Promise<void> {
    return this.record({ kind: 'createIndex', table, index: { ...index, unique: index.unique ?? false } });
  }

  dropIndex(table: string, name: string): Promise<void> {
    return this.record({ kind: 'dropIndex', table, name });
  }

  createUniqueConstraint(table: string, unique: UniqueConstraint): Promise<void> {
    return this.record({ kind: 'addConstraint', table, constraint: { type: 'unique', ...unique } });
  }

  createForeignKey(table: string, foreignKey: ForeignKey): Promise<void> {
    return this.record({ kind: 'addConstraint', table, constraint: { type: 'foreignKey', ...foreignKey } });
  }

  createCheckConstraint(table: string, check: CheckConstraint): Promise<void> {
    return this.record({ kind: 'addConstraint', table, constraint: { type: 'check', ...check } });
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

  /** Runs raw SQL, online and offline, on every dialect. */
  execute(sql: string): Promise<void> {
    return this.record({ kind: 'execute', sql });
  }

  /**
   * Groups changes to one table. On SQLite the changes that need a rebuild share one
   * copy-and-swap; elsewhere they run as ordinary ALTER statements.
   */
  async batchAlterTable(table: string, body: (batch: BatchOperations) => Promise<void> | void): Promise<void> {
    const batch: BatchOperations = {
      addColumn: (column) => this.addColumn(table, column),
      dropColumn: (column) => this.dropColumn(table, column),
      alterColumn: (column, changes) => this.alterColumn(table, column, changes),
      renameColumn: (from, to) => this.renameColumn(table, from, to),
      alterPrimaryKey: (primaryKey) => this.alterPrimaryKey(table, primaryKey),
      createIndex: (index) => this.createIndex(table, index),
      dropIndex: (name) => this.dropIndex(table, name),
      createUniqueConstraint: (unique) => this.createUniqueConstraint(table, unique),
      createForeignKey: (fk) => this.createForeignKey(table, fk),
      createCheckConstraint: (check) => this.createCheckConstraint(table, check),
      dropConstraint: ((nameOrRef: string | ConstraintRef, type?: ConstraintType) =>
        typeof nameOrRef === 'string' ? this.dropConstraint(table, nameOrRef, type as ConstraintType) : this.dropConstraint(table, nameOrRef)) as BatchOperations['dropConstraint'],
    };
    await body(batch);
  }
}
