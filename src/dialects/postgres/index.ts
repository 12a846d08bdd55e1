/** The PostgreSQL dialect, on `pg`. */
import { postgresRewrites } from './rewrites.js';
import type pg from 'pg';
import { kindEntry } from '../../operations/kinds.js';
import type { Operation } from '../../operations/operation.js';
import type { ReprintRequest, ReprintResponse } from '../../diff/settle.js';
import type { Schema } from '../../schema/schema.js';
import { LockTimeoutError, LockWaitError, quoteIdentifier, quoteLiteral, StatementError, type Connection, type Dialect, type IntrospectOptions, type LockOptions, type StatementDiagnostics, type Timeouts, type TransactionOptions } from '../dialect.js';
import { MigratorError } from '../../errors.js';
import { compilePostgres, NEEDS_SCHEMA } from './compiler.js';
import { introspectPostgres } from './introspector.js';
import { normalizePgDefault, normalizePgOpclass, normalizePgType } from './types.js';
import { normalizePgExpression } from './expressions.js';
import { fitIdentifiers } from './identifiers.js';
import { reprintResponse, reprintSql, type ReprintRow } from './reprint.js';
import { plainlyOneCommand } from './one-command.js';
import { postgresUrls } from './url.js';
import { ADVISORY_LOCK_KEY, advisoryHolderSql, describeHolder, EXCLUSIVE_HOLDERS_SQL, schemaLockKey, LOCK_NOT_AVAILABLE, namesIn, TABLE_HOLDERS_SQL } from './locks.js';

export { ADVISORY_LOCK_KEY } from './locks.js';

/**
 * The error of a statement that failed. `sent` is the text the server got when it held more than
 * `sql` (a batch): a position is kept only where it falls in `sql`, counted from its start.
 */
function statementError(sql: string, error: unknown, sent: string = sql): StatementError {
  const diagnostics = diagnosticsOf(error, sql, sent);
  return (error as { code?: string }).code === LOCK_NOT_AVAILABLE ? new LockTimeoutError(sql, error, diagnostics) : new StatementError(sql, error, diagnostics);
}

/** The statement of a batch (`head` then `statements`, joined by `;\n`) that an error's position falls in. */
function statementAt(statements: readonly string[], head: readonly string[], error: unknown): string | undefined {
  const position = Number((error as { position?: unknown }).position);
  if (!Number.isInteger(position) || position < 1) return undefined;
  // Positions count code points from 1.
  let at = [...head.join(';\n')].length + (head.length ? 2 : 0);
  for (const sql of statements) {
    const end = at + [...sql].length;
    if (position > at && position <= end + 1) return sql;
    at = end + 2;
  }
  return undefined;
}

/** The fields of a server's error (pg's DatabaseError) that say more than its message. */
function diagnosticsOf(error: unknown, sql: string, sent: string): StatementDiagnostics {
  const e = (error ?? {}) as { detail?: unknown; hint?: unknown; position?: unknown; internalQuery?: unknown; internalPosition?: unknown; where?: unknown };
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
  const offset = (v: unknown): number | undefined => (/^\d+$/.test(String(v ?? '')) && Number(v) >= 1 ? Number(v) : undefined);
  const out: StatementDiagnostics = {};
  if (text(e.detail)) out.detail = text(e.detail);
  if (text(e.hint)) out.hint = text(e.hint);
  // Positions count characters (code points) of the text sent.
  let position = offset(e.position);
  if (position !== undefined && sent !== sql) {
    const start = sent.indexOf(sql);
    position = start < 0 ? undefined : position - [...sent.slice(0, start)].length;
  }
  if (position !== undefined && position >= 1 && position <= [...sql].length + 1) out.position = position;
  if (text(e.internalQuery)) {
    out.internalQuery = text(e.internalQuery);
    if (offset(e.internalPosition) !== undefined) out.internalPosition = offset(e.internalPosition);
  }
  if (text(e.where)) out.context = text(e.where);
  return out;
}

/**
 * Makes a session work in `schema`: new objects are created there and names are looked up there
 * first, then in public — where extensions' functions usually are (`uuid_generate_v4()` in a
 * default), as in the search_path Django's and Rails' schema-per-tenant setups use. Migrator's own
 * tables and the catalog it reads are always the schema's: both ask for current_schema().
 */
const useSchemaSql = (schema: string): string => `SET search_path TO ${quoteIdentifier(schema)}, public`;

const NO_SCRIPTS: ReadonlySet<string> = new Set();

class PostgresConnection implements Connection {
  private schemaName?: string;
  /** A transaction was asked for: BEGIN travels with the next statement, saving a round trip. */
  private beginPending = false;
  /** Inside `transaction()`: statements may share a round trip. */
  private inTransaction = false;

  /** Set when the server or the network ended the connection. */
  lost = false;
  private closing = false;
  /** The run lock's key: the fixed one, or one derived from the schema set by `useSchema`. */
  private lockKey = ADVISORY_LOCK_KEY;

  constructor(
    readonly dialect: Dialect,
    private readonly client: pg.Client,
  ) {
    // A dropped connection surfaces on the next query; `lost` tells the runner what happened.
    client.on('error', () => (this.lost = true));
    client.on('end', () => (this.lost ||= !this.closing));
  }

  private async currentSchema(): Promise<string> {
    if (!this.schemaName) {
      const rows = await this.query<{ s: string }>('SELECT current_schema() AS s');
      this.schemaName = rows[0]?.s ?? 'public';
    }
    return this.schemaName;
  }

  /** The last query sent: the next one starts after it. */
  private last: Promise<unknown> = Promise.resolve();

  /**
   * Sends one query after the ones before it. Callers may overlap (the version table is read
   * while the catalog is); the driver is handed one query at a time, as it asks to be.
   */
  private send(config: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    const run = (): Promise<pg.QueryResult> => (values === undefined ? this.client.query(config as pg.QueryConfig) : this.client.query(config as string, values));
    const result = this.last.then(run, run);
    this.last = result.catch(() => undefined);
    return result;
  }

  async introspect(options: IntrospectOptions): Promise<Schema> {
    try {
      return await introspectPostgres(this, await this.currentSchema(), options.exclude);
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
      const holders = (await this.send(EXCLUSIVE_HOLDERS_SQL).catch(() => undefined))?.rows ?? [];
      const held = holders.map((h) => `table ${JSON.stringify(h.table)} by ${describeHolder(h)}`).join('; ');
      throw new MigratorError(
        `reading the database's catalog waited longer than the lock timeout for a table another session holds exclusively${held ? `: ${held}` : ''}; end that session or wait for it, then rerun; or raise "lockTimeout"`,
        { cause: error },
      );
    }
  }

  /**
   * Works in `schema` from now on: it heads the search_path, so that unqualified names (the
   * version and history tables, a revision's tables) are in it and introspection reads it; the
   * run lock becomes the schema's own. A schema that does not exist is an error naming it.
   */
  async useSchema(schema: string): Promise<void> {
    const rows = await this.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (rows.length === 0) throw new MigratorError(`schema "${schema}" does not exist in this database; create it first (migrator runs revisions in a schema, it does not create it)`, { code: 'CONFIG_INVALID' });
    await this.send(useSchemaSql(schema));
    this.schemaName = schema;
    this.lockKey = schemaLockKey(schema);
  }

  async tableExists(name: string): Promise<boolean> {
    const rows = await this.query(
      "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p')",
      [name],
    );
    return rows.length > 0;
  }

  /** Sends simple-protocol SQL (one or several statements); returns one result per statement. */
  private async simple(sql: string): Promise<pg.QueryResult[]> {
    const text = this.beginPending ? `BEGIN;\n${sql}` : sql;
    this.beginPending = false;
    const result = (await this.send(text)) as pg.QueryResult | pg.QueryResult[];
    const all = Array.isArray(result) ? result : [result];
    return text === sql ? all : all.slice(1);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.beginPending) await this.simple('SELECT 1');
    // One command, whatever the text: the extended protocol refuses a second.
    const result = await this.send({ text: sql, values: params, queryMode: 'extended' } as pg.QueryConfig);
    return result.rows as T[];
  }

  async execute(sql: string): Promise<void> {
    await this.simple(sql);
  }

  async run(sql: string): Promise<number> {
    const results = await this.simple(sql);
    return results[results.length - 1]?.rowCount ?? 0;
  }

  async runAll(statements: readonly string[], scripts: ReadonlySet<string> = NO_SCRIPTS): Promise<number[]> {
    const counts: number[] = [];
    for (let i = 0; i < statements.length; ) {
      // In a transaction, a run of statements that are each plainly one command goes to the
      // server in one round trip; anything else goes alone.
      let end = i;
      while (this.inTransaction && end < statements.length && !scripts.has(statements[end]) && plainlyOneCommand(statements[end])) end++;
      if (end - i >= 2 || (end > i && this.beginPending)) {
        counts.push(...(await this.batch(statements.slice(i, end))));
        i = end;
        continue;
      }
      counts.push(await this.alone(statements[i], scripts.has(statements[i])));
      i++;
    }
    return counts;
  }

  /** One statement: a user's script through the simple protocol, anything else as one command. */
  private async alone(sql: string, script: boolean): Promise<number> {
    if (this.beginPending) {
      this.beginPending = false;
      await this.send('BEGIN');
    }
    try {
      if (script) {
        const results = await this.simple(sql);
        return results[results.length - 1]?.rowCount ?? 0;
      }
      // The extended protocol takes exactly one command: nothing in a generated statement can
      // start a second one.
      const result = await this.send({ text: sql, queryMode: 'extended' } as pg.QueryConfig);
      return result.rowCount ?? 0;
    } catch (error) {
      throw statementError(sql, error);
    }
  }

  /**
   * Statements that are each plainly one command, in one round trip, behind a savepoint: when one
   * fails, the batch is undone to the savepoint and run again one statement at a time, so that
   * the error names its statement. A lock timeout is not waited for twice: it names the batch.
   */
  private async batch(statements: readonly string[]): Promise<number[]> {
    const begin = this.beginPending ? ['BEGIN'] : [];
    this.beginPending = false;
    const head = [...begin, 'SAVEPOINT migrator_batch'];
    let results: pg.QueryResult[];
    const sent = [...head, ...statements, 'RELEASE SAVEPOINT migrator_batch'].join(';\n');
    try {
      const result = (await this.send(sent)) as pg.QueryResult | pg.QueryResult[];
      results = Array.isArray(result) ? result : [result];
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE || this.lost) throw statementError(statements.join(';\n'), error, sent);
      try {
        await this.send('ROLLBACK TO SAVEPOINT migrator_batch');
      } catch {
        // Nothing of the batch ran (a syntax error refuses the whole text): its position names the statement.
        throw statementError(statementAt(statements, head, error) ?? statements.join(';\n'), error, sent);
      }
      const counts: number[] = [];
      for (const sql of statements) counts.push(await this.alone(sql, false));
      await this.send('RELEASE SAVEPOINT migrator_batch');
      return counts;
    }
    return results.slice(head.length, head.length + statements.length).map((r) => r.rowCount ?? 0);
  }

  async setTimeouts(timeouts: Timeouts): Promise<void> {
    await this.send(timeoutsSql(timeouts).join('; '));
  }

  async lockHolders(statement: string): Promise<string[]> {
    const rows = await this.send(TABLE_HOLDERS_SQL, [namesIn(statement)]);
    return rows.rows.map(describeHolder);
  }

  async transaction<T>(body: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    this.beginPending = true;
    this.inTransaction = true;
    try {
      if (options.readOnly) await this.simple('SET TRANSACTION READ ONLY');
      const result = await body();
      if (this.beginPending) this.beginPending = false;
      else await this.send('COMMIT');
      return result;
    } catch (error) {
      if (this.beginPending) this.beginPending = false;
      else await this.send('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  async reprint(requests: readonly ReprintRequest[]): Promise<(ReprintResponse | undefined)[]> {
    const out: (ReprintResponse | undefined)[] = [];
    for (const [i, request] of requests.entries()) {
      const table = `_migrator_reprint_${i}`;
      const sql = reprintSql(request, table);
      try {
        // A scratch table in a transaction that is always rolled back. Each statement goes alone
        // through the extended protocol, which takes one command: a model's text cannot carry a
        // second one (a COMMIT, say) into a command that only reads.
        await this.send('BEGIN');
        let last: pg.QueryResult | undefined;
        for (const statement of sql) last = await this.send({ text: statement, queryMode: 'extended' } as pg.QueryConfig);
        await this.send('ROLLBACK');
        const row = last?.rows[0] as { r: ReprintRow } | undefined;
        out.push(row ? reprintResponse(request, row.r, table) : undefined);
      } catch {
        // A type the database does not have yet, a text it cannot parse: left to the differ.
        await this.send('ROLLBACK').catch(() => undefined);
        out.push(undefined);
      }
    }
    return out;
  }

  async lock(options: LockOptions = { wait: Infinity }): Promise<void> {
    const [{ ok }] = (await this.send('SELECT pg_try_advisory_lock($1) AS ok', [this.lockKey])).rows as { ok: boolean }[];
    if (ok) return;
    const holder = async (): Promise<string> => {
      const rows = (await this.send(advisoryHolderSql(this.lockKey))).rows;
      return rows.length ? describeHolder(rows[0]) : 'a session that has just released it';
    };
    options.onWait?.(await holder());
    // Polled rather than queued in the server: a session waiting in pg_advisory_lock holds a
    // snapshot, which the holder's CREATE INDEX CONCURRENTLY would wait for — a deadlock.
    const deadline = Date.now() + options.wait;
    for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new LockWaitError(await holder(), options.wait);
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      const [{ ok: got }] = (await this.send('SELECT pg_try_advisory_lock($1) AS ok', [this.lockKey])).rows as { ok: boolean }[];
      if (got) return;
    }
  }

  async unlock(): Promise<void> {
    await this.send('SELECT pg_advisory_unlock($1)', [this.lockKey]);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.end();
  }
}

/** Defaults repeat across thousands of columns: each spelling, for each type, is normalised once. */
const defaults = new Map<string, string | undefined>();
function memoizedDefault(expression: string | undefined, column?: { type: string }): string | undefined {
  if (expression === undefined) return undefined;
  const key = `${column?.type ?? ''}\u0000${expression}`;
  if (!defaults.has(key)) defaults.set(key, normalizePgDefault(expression, column));
  return defaults.get(key);
}

/** The statements that bound how long each statement may wait for a lock and run (0: no bound). */
function timeoutsSql(timeouts: Timeouts): string[] {
  const ms = (v: number | undefined): string => `'${Math.max(0, Math.round(v ?? 0))}ms'`;
  return [`SET lock_timeout = ${ms(timeouts.lockTimeout)}`, `SET statement_timeout = ${ms(timeouts.statementTimeout)}`];
}

let pgLoaded: Promise<typeof pg> | undefined;

/**
 * The `pg` driver, loaded once. On loading it asks whether it runs in a Cloudflare Worker: with
 * no global `navigator` (Node 20) it builds a fetch `Response` to find out, which loads Node's
 * whole HTTP client (a tenth of a second). A `navigator` that says Node.js answers it; it is
 * there only while the module loads.
 */
function loadPg(): Promise<typeof pg> {
  pgLoaded ??= (async () => {
    const g = globalThis as { navigator?: unknown };
    const lend = !('navigator' in g);
    if (lend) Object.defineProperty(g, 'navigator', { value: { userAgent: `Node.js/${process.version}` }, configurable: true, writable: true });
    try {
      return (await import('pg')).default;
    } finally {
      if (lend) delete g.navigator;
    }
  })();
  return pgLoaded;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  title: 'PostgreSQL',
  capabilities: { transactionalDdl: true, runLock: true, onlineDdl: true, schemaTargets: true, enforcedTypes: true },
  tableRewrites: postgresRewrites,
  urls: postgresUrls,
  currentSchema: { query: 'SELECT current_schema() AS name' },
  compareOptions: {
    normalizeType: normalizePgType,
    normalizeDefault: memoizedDefault,
    normalizeExpression: normalizePgExpression,
    normalizeOpclass: normalizePgOpclass,
    // `COLLATE "default"` is the type's own.
    normalizeCollation: (c) => (c === 'default' ? undefined : c),
    comments: true,
  },
  quoteIdentifier,
  useSchemaSql,
  quoteLiteral,
  fitModels(schema: Schema, workSchema?: string) {
    fitIdentifiers(schema);
    // A project working in a schema of its own (a tenant's, `?schema=`) installs extensions in
    // public, which every such schema's search_path reads — as TypeORM, connected as usual, does.
    if (workSchema !== undefined && schema.extensions) {
      schema.extensions = schema.extensions.map((e) => (typeof e === 'string' ? { name: e, schema: 'public' } : e.schema === undefined ? { ...e, schema: 'public' } : e));
    }
  },
  foreignKeysOffScript: { before: [], beforeCommit: [], after: [] },
  timeoutsScript: timeoutsSql,
  endSession: 'SELECT pg_terminate_backend(<pid>)',
  clock: {
    type: 'timestamptz',
    now: 'clock_timestamp()',
    at: (literal) => `${literal}::timestamptz`,
    millisecondsSince: (literal) => `greatest(0, round(extract(epoch FROM clock_timestamp() - ${literal}::timestamptz) * 1000))::bigint`,
  },
  compile(operations: readonly Operation[], schema: Schema) {
    return compilePostgres(operations, schema);
  },
  needsSchema(operations: readonly Operation[]) {
    return operations.some((op) => kindEntry(NEEDS_SCHEMA, op.kind));
  },
  async connect(location: string): Promise<Connection> {
    const pgModule = await loadPg();
    // Named, so that a run that holds or waits for a lock is recognisable in pg_stat_activity
    // (a URL's own application_name wins).
    const client = new pgModule.Client({ connectionString: location, connectionTimeoutMillis: 10_000, application_name: 'migrator' });
    client.on('error', () => undefined); // a dropped connection surfaces on the next query
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // Literals are written with backslashes as plain characters: a server configured otherwise
    // would read them as escapes.
    await client.query("SET client_min_messages = 'warning'; SET standard_conforming_strings = on");
    return new PostgresConnection(postgresDialect, client);
  },
  async createDatabase(location: string, name: string): Promise<void> {
    await onServer(location, (conn) => conn.run(`CREATE DATABASE ${quoteIdentifier(name)}`));
  },
  async dropDatabase(location: string, name: string): Promise<void> {
    await onServer(location, async (conn) => {
      const [row] = await conn.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
      // Sessions still connected would make a plain DROP fail; FORCE ends them (PostgreSQL 13+).
      const force = Number(row?.version) >= 130000 ? ' WITH (FORCE)' : '';
      await conn.run(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}${force}`);
    });
  },
};

/** The SQLSTATE of a connection to a database that does not exist. */
const INVALID_CATALOG_NAME = '3D000';

/**
 * Runs `body` on a connection to the server of the database at `location`, used only for
 * statements about other databases: to that database, or, when it does not exist yet, to the
 * server's `postgres` database.
 */
async function onServer<T>(location: string, body: (conn: Connection) => Promise<T>): Promise<T> {
  let conn: Connection;
  try {
    conn = await postgresDialect.connect(location);
  } catch (error) {
    if ((error as { code?: string }).code !== INVALID_CATALOG_NAME) throw error;
    const maintenance = new URL(location);
    maintenance.pathname = '/postgres';
    conn = await postgresDialect.connect(maintenance.toString());
  }
  try {
    return await body(conn);
  } finally {
    await conn.close();
  }
}
