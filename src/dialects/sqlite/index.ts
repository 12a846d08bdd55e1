/** The SQLite dialect, on better-sqlite3. */
import type Database from 'better-sqlite3';
import type { Schema } from '../../schema/schema.js';
import { kindEntry, type KindTable } from '../../operations/kinds.js';
import type { Operation } from '../../operations/operation.js';
import { quoteIdentifier, quoteLiteral, StatementError, type Connection, type Dialect, type IntrospectOptions, type LockOptions, type StepPipeline, type TransactionOptions } from '../dialect.js';
import { compileSqlite } from './compiler.js';
import { sqliteCollation } from './rebuild.js';
import { introspectSqlite } from './introspector.js';
import { fileBusy, SqlitePipeline } from './pipeline.js';
import { isBusy, runStatement } from './statements.js';
import { normalizeSqliteDefault, normalizeSqliteType } from './types.js';
import { sqliteUrls } from './url.js';

export class ForeignKeyViolationError extends Error {
  constructor(readonly violations: { table: string; rowid: number | null; parent: string }[]) {
    const sample = violations.slice(0, 5).map((v) => `${v.table} rowid ${v.rowid} -> ${v.parent}`);
    super(`foreign key check failed: ${violations.length} row(s) reference missing parents (${sample.join('; ')}${violations.length > 5 ? '; …' : ''})`);
    this.name = 'ForeignKeyViolationError';
  }
}

const BUSY_TIMEOUT = 10_000;

/** Whether an operation of a kind may turn into a rebuild, and so needs the table's current shape. */
const REBUILD_CANDIDATES: KindTable<boolean> = {
  createTable: false,
  dropTable: false,
  renameTable: false,
  addColumn: true,
  dropColumn: true,
  alterColumn: true,
  renameColumn: false,
  alterPrimaryKey: true,
  createIndex: false,
  dropIndex: false,
  renameIndex: true,
  addConstraint: true,
  validateConstraint: false,
  dropConstraint: true,
  renameConstraint: true,
  setTableComment: false,
  createExtension: false,
  dropExtension: false,
  createEnum: false,
  dropEnum: false,
  addEnumValue: false,
  dropEnumValue: false,
  renameEnum: false,
  execute: false,
};

class SqliteConnection implements Connection {
  /** How long a write waits for another process's (ms): the run lock's wait, on SQLite. */
  private busyTimeout = BUSY_TIMEOUT;
  /**
   * Questions prepared once and kept: a statement prepared anew for each use costs more than a
   * small question, and a run asks the same few at every revision.
   */
  private readonly own = new Map<string, Database.Statement>();

  constructor(
    readonly dialect: Dialect,
    private readonly db: Database.Database,
    /** The file, for a pipeline's connection of its own; none for a database in memory. */
    private readonly file: string | undefined,
  ) {}

  pipeline(): StepPipeline | undefined {
    return this.file === undefined ? undefined : SqlitePipeline.start(this.file, this.busyTimeout);
  }

  private ownStatement(sql: string): Database.Statement {
    let stmt = this.own.get(sql);
    if (!stmt) {
      // A bound on what is kept: the questions a run repeats are few.
      if (this.own.size >= 64) this.own.clear();
      stmt = this.db.prepare(sql);
      this.own.set(sql, stmt);
    }
    return stmt;
  }

  private totalChanges(): number {
    return this.ownStatement('SELECT total_changes() AS n').pluck().get() as number;
  }

  async introspect(options: IntrospectOptions): Promise<Schema> {
    return introspectSqlite(this.db, options.exclude);
  }

  async tableExists(name: string): Promise<boolean> {
    return !!this.ownStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const stmt = this.ownStatement(sql);
    if (stmt.reader) return stmt.all(...params) as T[];
    stmt.run(...params);
    return [];
  }

  async execute(sql: string): Promise<void> {
    this.db.exec(sql);
  }

  async run(sql: string): Promise<number> {
    return this.db.prepare(sql).run().changes;
  }

  async runAll(statements: readonly string[], scripts?: ReadonlySet<string>): Promise<number[]> {
    const counts: number[] = [];
    const totalChanges = (): number => this.totalChanges();
    for (const sql of statements) {
      try {
        counts.push(runStatement(this.db, sql, !!scripts?.has(sql), totalChanges));
      } catch (error) {
        throw new StatementError(sql, error);
      }
    }
    return counts;
  }

  async transaction<T>(body: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    // PRAGMA foreign_keys is a no-op inside a transaction: it must be switched outside it.
    const previous = options.foreignKeysOff ? (this.db.pragma('foreign_keys', { simple: true }) as number) : undefined;
    if (options.foreignKeysOff) this.db.pragma('foreign_keys = OFF');
    try {
      try {
        // A read takes no write lock: only a reader's transaction, which waits for no writer.
        this.db.exec(options.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
      } catch (error) {
        // Another process writes to the file for longer than the busy timeout (lockWait).
        throw isBusy(error) ? fileBusy('begin', this.busyTimeout) : error;
      }
      try {
        const result = await body();
        if (options.foreignKeysOff) await this.checkForeignKeys();
        try {
          this.db.exec('COMMIT');
        } catch (error) {
          // Another process reads the file for longer than the busy timeout: the commit waits
          // for readers to finish.
          throw isBusy(error) ? fileBusy('commit', this.busyTimeout) : error;
        }
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      if (options.foreignKeysOff) this.db.pragma(`foreign_keys = ${previous ? 'ON' : 'OFF'}`);
    }
  }

  async checkForeignKeys(): Promise<void> {
    const violations = this.db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
    if (violations.length) throw new ForeignKeyViolationError(violations);
  }

  // No run-wide lock: each revision runs under BEGIN IMMEDIATE, which serialises writers on one
  // file, and the runner checks the version table under it (see `runLock`).
  async lock(options?: LockOptions): Promise<void> {
    if (options && Number.isFinite(options.wait)) {
      this.busyTimeout = Math.max(0, Math.round(options.wait));
      this.db.pragma(`busy_timeout = ${this.busyTimeout}`);
    }
  }
  async unlock(): Promise<void> {}

  async close(): Promise<void> {
    this.db.close();
  }
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  title: 'SQLite',
  capabilities: { transactionalDdl: true, runLock: false, scratchDatabase: ':memory:', fileDatabase: true, tableRebuilds: true },
  urls: sqliteUrls,
  currentSchema: { name: 'main' },
  compareOptions: { normalizeType: normalizeSqliteType, normalizeDefault: normalizeSqliteDefault, normalizeCollation: sqliteCollation, forwardForeignKeys: true, typeChangesKeepForeignKeys: true, caseInsensitiveTables: true },
  quoteIdentifier,
  quoteLiteral,
  foreignKeysOffScript: { before: ['PRAGMA foreign_keys=OFF'], beforeCommit: ['PRAGMA foreign_key_check'], after: ['PRAGMA foreign_keys=ON'] },
  // Times as ISO-8601 UTC text, which sorts and compares as time and reads back as written.
  clock: {
    type: 'text',
    now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    at: (literal) => literal,
    millisecondsSince: (literal) => `max(0, CAST(round((julianday('now') - julianday(${literal})) * 86400000) AS INTEGER))`,
  },
  compile(operations: readonly Operation[], schema: Schema) {
    return compileSqlite(operations, schema);
  },
  needsSchema(operations: readonly Operation[]) {
    return operations.some((op) => kindEntry(REBUILD_CANDIDATES, op.kind));
  },
  async connect(location: string): Promise<Connection> {
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(location, { timeout: BUSY_TIMEOUT });
    db.pragma('foreign_keys = ON');
    // A database in memory (or a temporary one, of an empty name) is this connection's alone.
    return new SqliteConnection(sqliteDialect, db, db.memory || location === '' ? undefined : location);
  },
};
