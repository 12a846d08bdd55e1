/**
 * What a database dialect provides. Behaviour differences are capability flags and per-dialect
 * files; the core never branches on a dialect's name.
 */
import type { CompareOptions } from '../diff/compare.js';
import type { ValueSql } from '../diff/data-loss.js';
import type { ReprintRequest, ReprintResponse } from '../diff/settle.js';
import type { Operation } from '../operations/operation.js';
import type { Column, Schema } from '../schema/schema.js';
import type { Phase } from './phases.js';

export interface DialectCapabilities {
  /** DDL takes part in transactions, so a failed revision rolls back whole. */
  transactionalDdl: boolean;
  /**
   * `lock()` holds a lock for the whole run (PostgreSQL's advisory lock). Without one, the runner
   * re-reads the version table inside each revision's transaction and skips what another run has
   * applied meanwhile.
   */
  runLock: boolean;
  /**
   * A scratch database this dialect can open anywhere (SQLite's `:memory:`): offline SQL replays
   * the history into it, so that what it prints is compiled against the real table shapes.
   */
  scratchDatabase?: string;
  /**
   * Online forms of DDL for tables in use: indexes built and dropped CONCURRENTLY, constraints
   * added NOT VALID and validated apart, NOT NULL set through a validated check. Autogenerate
   * writes them for existing tables; elsewhere the options compile to the plain statements.
   */
  onlineDdl?: boolean;
  /**
   * A database is a file at the URL's location: one that does not exist yet reads as empty and is
   * created by the first write (SQLite). Server dialects leave it out.
   */
  fileDatabase?: boolean;
  /**
   * Columns hold only what their declared type allows (lengths, integer widths): narrowing a type
   * can fail on stored values. SQLite leaves it out: it converts a value only when nothing is lost.
   */
  enforcedTypes?: boolean;
  /**
   * A NOT NULL column added without a default to a table that has rows gets its type's implicit
   * value in each row ('', 0, a zero date) instead of failing (MySQL).
   */
  implicitDefaults?: boolean;
  /**
   * A fleet target may name schemas of its database (`schemas`, `schemasQuery`), each a target of
   * its own (PostgreSQL, through `useSchema`).
   */
  schemaTargets?: boolean;
  /**
   * Some changes rebuild a table (copy-and-swap), with foreign-key enforcement off around the
   * transaction (`foreignKeysOffScript`): a run in one transaction turns it off for the whole run
   * when any revision may rebuild.
   */
  tableRebuilds?: boolean;
}

/** How a dialect reads the database URLs it serves. */
export interface DialectUrls {
  /** The URL schemes it serves, lower case (`postgres`, `postgresql`). */
  readonly schemes: readonly string[];
  /** An example URL, for messages that list what is supported. */
  readonly example: string;
  /**
   * The URL holds no credentials (a file path), so it is shown as written; otherwise it is split
   * as `scheme://user:password@host:port/database?query` and every credential masked.
   */
  readonly plain?: boolean;
  /**
   * What `connect()` is given for `url`, and the URL as shown in messages (credentials masked);
   * relative file paths resolve from `baseDir`. Throws MigratorError for a URL it cannot read.
   */
  parse(url: string, baseDir: string): { location: string; display: string; schema?: string };
}

/** SQL for one revision's operations. */
export interface CompiledOperations {
  statements: string[];
  /**
   * Foreign-key enforcement must be off around the transaction (SQLite table rebuilds: with it
   * on, dropping the old table would cascade into child rows).
   */
  foreignKeysOff: boolean;
  /**
   * Queries that must count 0 when statement `at` is reached (rows a change cannot take), with
   * the message (`%d` for the count) to fail with otherwise.
   */
  assertions?: Assertion[];
  /**
   * How the statements split into transactions and statements outside any, in order; absent
   * when they all share the revision's one transaction.
   */
  phases?: Phase[];
}

export interface Assertion {
  at: number;
  query: string;
  message: string;
}

export interface IntrospectOptions {
  /** Tables left out of the result (the version table). */
  exclude: string[];
}

export interface Connection {
  readonly dialect: Dialect;
  /** The server's version (`SELECT VERSION()`), where the dialect reads one when it connects. */
  readonly serverVersion?: string;
  introspect(options: IntrospectOptions): Promise<Schema>;
  tableExists(name: string): Promise<boolean>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs one statement (or a script of several, for `op.execute`). */
  execute(sql: string): Promise<void>;
  /** Runs one statement; returns the number of rows it changed. */
  run(sql: string): Promise<number>;
  /**
   * Runs statements in order, each alone (one command per statement, so that no text can carry a
   * second command); returns the rows each changed. Statements in `scripts` are a user's own SQL
   * (`op.execute`), the only ones that may hold several commands. A failure throws
   * StatementError naming the statement (LockTimeoutError when it could not get a lock in time).
   */
  runAll(statements: readonly string[], scripts?: ReadonlySet<string>): Promise<number[]>;
  /**
   * Runs `body` in one transaction: committed when it resolves, rolled back when it throws.
   * With `foreignKeysOff`, enforcement is turned off before and restored after, and foreign keys
   * are checked before the commit. With `readOnly`, the database refuses any write in it (SQLite,
   * whose queries are prepared one statement at a time, needs no such guard for a SELECT).
   */
  transaction<T>(body: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Checks foreign keys now (while enforcement is off) and throws on a violation, naming the
   * table and rows. Dialects that never switch enforcement off leave it out.
   */
  checkForeignKeys?(): Promise<void>;
  /**
   * Re-prints models' defaults, checks and partial-index predicates the way the database stores
   * them (in a transaction that is rolled back), so that a spelling is never taken for a change.
   * Dialects that store expressions as written leave it out.
   */
  reprint?(requests: readonly ReprintRequest[]): Promise<(ReprintResponse | undefined)[]>;
  /**
   * Holds a lock that serialises concurrent runs against the same database, waiting at most
   * `options.wait` ms for another run's (then LockWaitError, naming the holder).
   */
  lock(options?: LockOptions): Promise<void>;
  unlock(): Promise<void>;
  /**
   * Works in one schema of the database from now on (PostgreSQL: the search_path; the run lock
   * is that schema's own). Dialects without schemas leave it out.
   */
  useSchema?(schema: string): Promise<void>;
  /**
   * Bounds how long each statement may wait for a table lock and run (ms; 0 or undefined: no
   * bound). Dialects whose statements never queue behind other sessions' locks leave it out.
   */
  setTimeouts?(timeouts: Timeouts): Promise<void>;
  /** The other sessions holding locks on the tables a statement names, described for a message. */
  lockHolders?(statement: string): Promise<string[]>;
  /** Whether the connection was lost (the server ended it, the network dropped). */
  readonly lost?: boolean;
  /**
   * A second connection to the same database, on a thread of its own, that runs revisions'
   * transactions one after another while the run prepares the next: the database's own work
   * (writing each commit to disk) overlaps the run's. Undefined where the database cannot be
   * opened twice (SQLite in memory) or its work already overlaps the run's (a server).
   */
  pipeline?(): StepPipeline | undefined;
  close(): Promise<void>;
}

/** One revision's transaction, as a pipeline runs it. */
export interface PipelinedStep {
  /**
   * The version table's rows the transaction must find, sorted and joined by line breaks, and
   * the query that reads them; when they differ, another run has moved the table, and nothing
   * is done. Absent: not checked.
   */
  expect?: { sql: string; rows: string };
  statements: string[];
  /** Statements that are a user's own SQL (`op.execute`), the only ones that may hold several commands. */
  scripts: string[];
  /** Statements that must change exactly one row each (the version table's changes), or nothing commits. */
  expectOne: number[];
}

/**
 * How a pipelined transaction ended: committed (`ms`: from its BEGIN to its COMMIT), or rolled
 * back — on an error (a StatementError naming the statement, or LockWaitError), on the rows the
 * version-table changes found (`counts`, one each expected), or on a version table another run
 * had moved (`diverged`) — or, after one that did not commit, never begun (`skipped`).
 */
export type PipelineReply =
  | { ok: true; ms: number }
  | { ok: false; error: Error }
  | { ok: false; counts: number[] }
  | { ok: false; diverged: true }
  | { ok: false; skipped: true };

export interface StepPipeline {
  /** Whether the thread is up and its connection open: until then the run commits steps itself. */
  readonly ready: boolean;
  /** Whether the pipeline's connection can run the step as the run's own would (a user's SQL that changes the connection's own state must run on the run's). */
  takes(step: PipelinedStep): boolean;
  /** Queues a transaction after those already queued; resolves once it has ended. */
  submit(step: PipelinedStep): Promise<PipelineReply>;
  /** Takes transactions again after one that did not commit (they are skipped until then). */
  resume(): void;
  /** Ends the thread and its connection; a transaction still queued is not begun. */
  close(): Promise<void>;
}

export interface TransactionOptions {
  foreignKeysOff?: boolean;
  readOnly?: boolean;
}

export interface LockOptions {
  /** How long to wait for another run's lock, in ms. */
  wait: number;
  /** Called once, when another run holds the lock and this one starts waiting. */
  onWait?: (holder: string) => void;
}

export interface Timeouts {
  lockTimeout?: number;
  statementTimeout?: number;
}

/**
 * The changes a dialect makes by rewriting a table under a lock held until the rewrite ends
 * (PostgreSQL's ACCESS EXCLUSIVE, MySQL's ALGORITHM=COPY), which lint warns about.
 */
export interface TableRewrites {
  /** What the lock blocks, for messages (`reads and writes`). */
  readonly blocks: string;
  /** Whether changing a column's type rewrites the table; both types spelled as `compareOptions.normalizeType` spells them. */
  typeChange(from: string, to: string): boolean;
  /** Why adding this column to a table rewrites it (`numbers every row (serial)`); undefined when it does not. */
  addedColumn(column: Column): string | undefined;
}

export interface Dialect {
  readonly name: string;
  /** The dialect's name in prose (`PostgreSQL`). */
  readonly title: string;
  readonly capabilities: DialectCapabilities;
  readonly urls: DialectUrls;
  /**
   * The schema unqualified table names live in (for `schema.name` globs in the `tables` filter):
   * a fixed name, or a query returning one row with a `name` column. Absent: no schemas.
   */
  readonly currentSchema?: { name: string } | { query: string };
  /** How the differ compares types, defaults and expressions on this dialect. */
  readonly compareOptions: CompareOptions;
  /** The changes that rewrite a table under a lock; absent when lint has none to warn about. */
  readonly tableRewrites?: TableRewrites;
  quoteIdentifier(name: string): string;
  quoteLiteral(value: string): string;
  /**
   * Rewrites the models' schema, in place, into what the database will hold (PostgreSQL keeps
   * the first 63 bytes of a name; in a schema of its own, extensions go to public), so that it
   * compares with what the database reports; throws MigratorError where two names would become
   * one. `workSchema`: the schema the project works in, when one is named; `conn`: the database
   * compared with, where what it holds depends on its server's version. Dialects that keep names
   * whole leave it out.
   */
  fitModels?(schema: Schema, workSchema?: string, conn?: Connection): void;
  /**
   * Compiles operations to SQL, given the schema before them (needed where a change is a table
   * rebuild). `schema` is not modified.
   */
  compile(operations: readonly Operation[], schema: Schema): CompiledOperations;
  /**
   * Applies an operation to a schema as the database would, the dialect's own record of the
   * table (`native`) included, for offline SQL that replays revisions instead of reading a
   * database. Absent: the neutral `tryApplyOperation`.
   */
  replay?(schema: Schema, op: Operation): void;
  /**
   * The clause that makes an INSERT update the row already there under the same key instead
   * (`assignments`: `"col" = value`). Absent: the standard `ON CONFLICT (keys) DO UPDATE SET …`.
   */
  upsert?(keyColumns: readonly string[], assignments: readonly string[]): string;
  /** The statement that ends another session, for messages about a stuck holder (`KILL <id>`). */
  readonly endSession?: string;
  /** How value counts before a type change are written; absent: PostgreSQL's `::text`, `~` and casts. */
  readonly valueSql?: ValueSql;
  /**
   * Offline-script statements that make the session read the script as a run's own connection
   * reads its statements (MySQL: the character set, and backslashes in literals as escapes).
   */
  readonly sessionScript?: readonly string[];
  /**
   * The statement that makes a session work in one schema of the database (PostgreSQL's `SET
   * search_path`), as `Connection.useSchema` does; absent where a database has no schemas.
   */
  useSchemaSql?(schema: string): string;
  /** Offline-script statements that set the timeouts a run would set (PostgreSQL's `SET lock_timeout`). */
  timeoutsScript?(timeouts: Timeouts): string[];
  /** Offline-script statements that stand for `foreignKeysOff` around one revision's transaction. */
  readonly foreignKeysOffScript: { before: string[]; beforeCommit: string[]; after: string[] };
  /** Whether compiling `operations` needs the current schema (else an empty one will do). */
  needsSchema(operations: readonly Operation[]): boolean;
  /** Opens a connection; `location` is the dialect-specific part of the database URL. */
  connect(location: string): Promise<Connection>;
  /** How the history table keeps times (see runner/history.ts). */
  readonly clock: Clock;
  /**
   * Creates an empty database called `name` on the server of the database at `location`,
   * connecting there only to do so (to the server's maintenance database when that one does not
   * exist yet). Dialects whose databases are files leave it out: a new file is an empty database.
   */
  createDatabase?(location: string, name: string): Promise<void>;
  /** Drops the database `createDatabase` made, even while sessions are still connected to it. */
  dropDatabase?(location: string, name: string): Promise<void>;
}

/** SQL for the history table's times: a column type, the database's clock, and a duration up to it. */
export interface Clock {
  /** The column type of a point in time. */
  readonly type: string;
  /** An expression for the current time, read when the statement runs (not when its transaction began). */
  readonly now: string;
  /** An expression for a point in time given as an ISO-8601 UTC text (already a quoted literal). */
  at(literal: string): string;
  /** An expression for the whole milliseconds from `literal` (a quoted ISO-8601 UTC literal) to now. */
  millisecondsSince(literal: string): string;
}

export class UnsupportedOperationError extends Error {
  /** The fields `--json` prints with the error's code (UNSUPPORTED_OPERATION). */
  readonly data: { dialect: string; operation: string };

  constructor(dialect: string, what: string) {
    super(`${dialect} cannot ${what}`);
    this.name = 'UnsupportedOperationError';
    this.data = { dialect, operation: what };
  }
}

/**
 * Refuses a column's ON UPDATE clause (MySQL's) on a dialect that has none, naming the column:
 * `onUpdate` is the column's, or a change's (null: removing one).
 */
export function refuseOnUpdate(dialect: string, title: string, column: string, onUpdate: string | null | undefined): void {
  if (onUpdate === undefined) return;
  throw new UnsupportedOperationError(dialect, `give column ${column} ON UPDATE ${onUpdate ?? '(none)'}: ${title} columns have no ON UPDATE clause (a trigger does that)`);
}

/** Refuses a generated column (or a change of one) on a dialect whose compiler does not write them. */
export function refuseGenerated(dialect: string, title: string, column: string, generated: string | null | undefined): void {
  if (generated === undefined) return;
  throw new UnsupportedOperationError(dialect, `make column ${column} ${generated === null ? 'a plain column' : `generated (AS ${generated})`}: migrator writes generated columns on PostgreSQL and MySQL, not on ${title} (add it with op.execute)`);
}

/** An identifier in double quotes, with embedded quotes doubled (SQL standard; SQLite, PostgreSQL). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal in single quotes, with embedded quotes doubled. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * What the database said about a statement it refused, besides the message (PostgreSQL's DETAIL,
 * HINT, position and CONTEXT); the CLI prints it under the error.
 */
export interface StatementDiagnostics {
  detail?: string;
  hint?: string;
  /** Where in `statement` the error is: a character offset, counted from 1. */
  position?: number;
  /** A query the statement ran in turn (a function body, a DO block's EXECUTE), where the error is… */
  internalQuery?: string;
  /** …at this character of it, counted from 1. */
  internalPosition?: number;
  /** Where the error happened: the functions and PL/pgSQL lines it came through. */
  context?: string;
}

/** A statement that failed. */
export class StatementError extends Error {
  constructor(
    readonly statement: string,
    cause: unknown,
    readonly diagnostics: StatementDiagnostics = {},
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'StatementError';
  }

  /** The fields `--json` prints with the error's code (STATEMENT_FAILED). */
  get data(): { statement: string; detail?: string; hint?: string } {
    const { detail, hint } = this.diagnostics;
    return { statement: this.statement, ...(detail ? { detail } : {}), ...(hint ? { hint } : {}) };
  }
}

/** A statement that waited for a table lock longer than the lock timeout. */
export class LockTimeoutError extends StatementError {
  override name = 'LockTimeoutError';
}

/** Another run held the run lock longer than the run would wait. */
export class LockWaitError extends Error {
  constructor(
    readonly holder: string,
    readonly waited: number,
  ) {
    super(`another run holds the migration lock: ${holder}`);
    this.name = 'LockWaitError';
  }
}
