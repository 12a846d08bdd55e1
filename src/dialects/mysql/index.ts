/**
 * The MySQL and MariaDB dialect, on `mysql2`. MySQL commits each DDL statement as it runs: a
 * revision is not one transaction, and the runner records each statement as it completes (the
 * compiler makes each a phase of its own). Concurrent runs are serialised with GET_LOCK.
 */
import { mysqlRewrites } from './rewrites.js';
import { createHash } from 'node:crypto';
import type * as mysql from 'mysql2/promise';
import type { Operation } from '../../operations/operation.js';
import type { Schema } from '../../schema/schema.js';
import { LockTimeoutError, LockWaitError, StatementError, type Connection, type Dialect, type IntrospectOptions, type LockOptions, type Timeouts, type TransactionOptions } from '../dialect.js';
import { compileMysql, mysqlNeedsSchema, replayMysql } from './compiler.js';
import { introspectMysql, type Flavor } from './introspector.js';
import { fitMysqlModels } from './fit.js';
import { normalizeMysqlIndex } from './indexes.js';
import { quoteMysqlIdentifier, quoteMysqlLiteral } from './quote.js';
import { normalizeMysqlDefault, normalizeMysqlExpression, normalizeMysqlType } from './types.js';
import { splitScript } from './script.js';
import { mysqlCollation } from './native.js';
import { mysqlUrls, readLocation, type MysqlLocation } from './url.js';

/** The error of a statement that waited longer than lock_wait_timeout (a metadata lock) or innodb_lock_wait_timeout (a row lock). */
const LOCK_WAIT_TIMEOUT = new Set(['ER_LOCK_WAIT_TIMEOUT']);

/** The flag of a statement's status saying that a transaction is open after it (SERVER_STATUS_IN_TRANS). */
const IN_TRANSACTION = 1;

/** The name GET_LOCK takes for runs on one database (at most 64 characters). */
function lockName(database: string): string {
  const name = `migrator:${database}`;
  return name.length <= 64 ? name : `migrator:${createHash('sha256').update(database).digest('hex').slice(0, 48)}`;
}

class MysqlConnection implements Connection {
  lost = false;
  private closing = false;
  private readonly lockKey: string;
  /** Inside transaction(): see statement(). */
  private inTransaction = false;

  constructor(
    readonly dialect: Dialect,
    private readonly conn: mysql.Connection,
    private readonly flavor: Flavor,
    database: string,
    readonly serverVersion: string,
  ) {
    this.lockKey = lockName(database);
    conn.on('error', () => (this.lost = true));
    conn.on('end', () => (this.lost ||= !this.closing));
  }

  async introspect(options: IntrospectOptions): Promise<Schema> {
    return introspectMysql(this, this.flavor, options.exclude);
  }

  async tableExists(name: string): Promise<boolean> {
    const rows = await this.query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'", [name]);
    return rows.length > 0;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.conn.query(sql, params);
    return (Array.isArray(rows) ? rows : []) as T[];
  }

  async execute(sql: string): Promise<void> {
    for (const part of splitScript(sql)) await this.statement(part);
  }

  async run(sql: string): Promise<number> {
    return this.statement(sql);
  }

  /**
   * Runs one statement; the rows it changed. A DDL statement commits what came before it and
   * itself, ending the transaction: inside transaction(), the next one starts at once, so that the
   * statements after it are committed together at the end (a revision's version-table change, its
   * progress record and its history row), not one by one.
   */
  private async statement(sql: string): Promise<number> {
    const [result] = await this.conn.query(sql);
    const status = result as { affectedRows?: number; serverStatus?: number };
    if (this.inTransaction && status.serverStatus !== undefined && !(status.serverStatus & IN_TRANSACTION)) await this.conn.query('START TRANSACTION');
    return status.affectedRows ?? 0;
  }

  async runAll(statements: readonly string[], scripts?: ReadonlySet<string>): Promise<number[]> {
    const counts: number[] = [];
    for (const sql of statements) {
      try {
        // The connection takes one statement per query: a user's script is split into its own.
        if (scripts?.has(sql)) {
          let n = 0;
          for (const part of splitScript(sql)) n += await this.run(part);
          counts.push(n);
        } else counts.push(await this.run(sql));
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        throw LOCK_WAIT_TIMEOUT.has(code) ? new LockTimeoutError(sql, error) : new StatementError(sql, error);
      }
    }
    return counts;
  }

  async transaction<T>(body: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    await this.conn.query(options.readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
    const outer = this.inTransaction;
    this.inTransaction = true;
    try {
      const result = await body();
      await this.conn.query('COMMIT');
      return result;
    } catch (error) {
      await this.conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.inTransaction = outer;
    }
  }

  async setTimeouts(timeouts: Timeouts): Promise<void> {
    for (const sql of timeoutsSql(timeouts, this.flavor)) await this.conn.query(sql);
  }

  /**
   * The other sessions on this database that may hold the table locks a statement waits for:
   * those running a statement, and those idle in an open transaction (which keep the metadata
   * locks of every table they have read until it ends), longest first.
   */
  async lockHolders(): Promise<string[]> {
    const rows = await this.query<Session>(
      'SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.TIME AS time, p.INFO AS info, ' +
        'TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS inTransaction ' +
        'FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID ' +
        "WHERE p.ID <> CONNECTION_ID() AND p.DB = DATABASE() AND (p.COMMAND <> 'Sleep' OR t.trx_id IS NOT NULL) " +
        "AND COALESCE(p.STATE, '') NOT LIKE 'Waiting for%lock%' ORDER BY COALESCE(TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), p.TIME) DESC LIMIT 5",
    );
    return rows.map(describeSession);
  }

  private async holder(): Promise<string> {
    const rows = await this.query<Session>(
      'SELECT ID AS id, USER AS user, HOST AS host, TIME AS time, INFO AS info FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(?)',
      [this.lockKey],
    );
    return rows.length ? describeSession(rows[0]) : 'a session that has just released it';
  }

  async lock(options: LockOptions = { wait: Infinity }): Promise<void> {
    const tryLock = async (seconds: number): Promise<boolean> => {
      const [row] = await this.query<{ ok: number | null }>('SELECT GET_LOCK(?, ?) AS ok', [this.lockKey, seconds]);
      return Number(row?.ok) === 1;
    };
    if (await tryLock(0)) return;
    options.onWait?.(await this.holder());
    const deadline = Date.now() + options.wait;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new LockWaitError(await this.holder(), options.wait);
      if (await tryLock(Math.min(1, left / 1000))) return;
    }
  }

  async unlock(): Promise<void> {
    await this.query('SELECT RELEASE_LOCK(?)', [this.lockKey]);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.conn.end().catch(() => this.conn.destroy());
  }
}

interface Session {
  id: number;
  user: string;
  host: string;
  time: number;
  info: string | null;
  /** Seconds since its open transaction began, if it has one. */
  inTransaction?: number | null;
}

function describeSession(r: Session): string {
  const doing = r.info
    ? `running for ${r.time} s: ${r.info.replace(/\s+/g, ' ').slice(0, 120)}`
    : r.inTransaction != null
      ? `idle in a transaction open for ${r.inTransaction} s`
      : `idle for ${r.time} s`;
  return `connection ${r.id} (${r.user}@${r.host}, ${doing})`;
}

/** The statements that bound how long each statement may wait for a lock and run (0: no bound). */
function timeoutsSql(timeouts: Timeouts, flavor: Flavor): string[] {
  const out: string[] = [];
  if (timeouts.lockTimeout) {
    // Whole seconds, at least one: what lock_wait_timeout takes (metadata locks: DDL waiting behind a query).
    const s = Math.max(1, Math.ceil(timeouts.lockTimeout / 1000));
    out.push(`SET SESSION lock_wait_timeout = ${s}`, `SET SESSION innodb_lock_wait_timeout = ${s}`);
  }
  // MariaDB bounds every statement; MySQL only SELECTs (max_execution_time). None: the server's own.
  if (timeouts.statementTimeout) {
    const ms = Math.max(0, Math.round(timeouts.statementTimeout));
    out.push(flavor === 'mariadb' ? `SET SESSION max_statement_time = ${ms / 1000}` : `SET SESSION max_execution_time = ${ms}`);
  }
  return out;
}

/** Opens a `mysql2` connection; `database: null` connects to the server alone. */
async function open(location: MysqlLocation, database: string | null): Promise<{ conn: mysql.Connection; flavor: Flavor; version: string }> {
  const driver = await import('mysql2/promise');
  const conn = await driver.createConnection({
    host: location.host,
    port: location.port,
    socketPath: location.socketPath,
    user: location.user,
    password: location.password,
    ...(database !== null ? { database } : {}),
    ...(location.ssl ? { ssl: location.ssl } : {}),
    connectTimeout: 10_000,
    timezone: 'Z',
    supportBigNumbers: true,
    charset: 'utf8mb4_general_ci',
    multipleStatements: false,
  });
  conn.on('error', () => undefined); // a dropped connection surfaces on the next query
  const [[row]] = (await conn.query('SELECT VERSION() AS version, @@SESSION.sql_mode AS mode')) as unknown as [{ version: string; mode: string }[]];
  // Literals are written with backslashes escaped and names in backticks: a server configured
  // otherwise would read them differently. UTC, so that times read back as written.
  const mode = row.mode
    .split(',')
    .filter((m) => m && m !== 'NO_BACKSLASH_ESCAPES')
    .join(',');
  await conn.query(`SET SESSION sql_mode = ${quoteMysqlLiteral(mode)}, time_zone = '+00:00'`);
  return { conn, flavor: /mariadb/i.test(row.version) ? 'mariadb' : 'mysql', version: row.version };
}

/**
 * What CAST takes for a column type of the date, time and floating-point families: a TIMESTAMP
 * column's values are DATETIMEs, `real` and `float(p)` past 24 bits are DOUBLE.
 */
function castTarget(type: string): string {
  const t = type.toLowerCase().replace(/\s+/g, ' ').trim();
  const time = /^(date|datetime|timestamp|time)\s*(?:\(\s*(\d)\s*\))?$/.exec(t);
  if (time) return time[1] === 'date' ? 'DATE' : `${time[1] === 'time' ? 'TIME' : 'DATETIME'}${time[2] !== undefined ? `(${time[2]})` : ''}`;
  const float = /^float\s*(?:\(\s*(\d+)\s*(?:,\s*\d+\s*)?\))?$/.exec(t);
  if (float && (float[1] === undefined || Number(float[1]) <= 24)) return 'FLOAT';
  return 'DOUBLE';
}

export const mysqlDialect: Dialect = {
  name: 'mysql',
  title: 'MySQL',
  capabilities: { transactionalDdl: false, runLock: true, enforcedTypes: true, implicitDefaults: true },
  tableRewrites: mysqlRewrites,
  urls: mysqlUrls,
  currentSchema: { query: 'SELECT DATABASE() AS name' },
  compareOptions: {
    normalizeType: normalizeMysqlType,
    normalizeDefault: normalizeMysqlDefault,
    normalizeExpression: normalizeMysqlExpression,
    normalizeCollation: mysqlCollation,
    normalizeIndex: normalizeMysqlIndex,
    comments: true,
  },
  quoteIdentifier: quoteMysqlIdentifier,
  quoteLiteral: quoteMysqlLiteral,
  fitModels: fitMysqlModels,
  // Counts before a type change. MySQL's REGEXP takes POSIX classes; a strict sql_mode (the
  // default) refuses a value too long for the new length rather than cutting it.
  valueSql: {
    text: (e) => `CAST(${e} AS CHAR)`,
    numeric: (e) => `CAST(${e} AS DECIMAL(65,30))`,
    matches: (e, pattern) => `${e} REGEXP ${pattern}`,
    trunc: (e) => `TRUNCATE(${e}, 0)`,
    castTo: (e, type) => `CAST(${e} AS ${castTarget(type)})`,
    timePrecision: 0,
    singleFloat: true,
    overlongText: 'refused',
    textBytes: { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 },
    badTimeIsNull: true,
  },
  upsert: (_keys, assignments) => `ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`,
  foreignKeysOffScript: { before: [], beforeCommit: [], after: [] },
  // As open() sets up each connection: utf8mb4, backslashes read as escapes, UTC.
  sessionScript: ["SET NAMES utf8mb4", "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')", "SET SESSION time_zone = '+00:00'"],
  timeoutsScript: (timeouts) => timeoutsSql(timeouts, 'mariadb'),
  endSession: 'KILL <connection id>',
  // Times as DATETIME(3) in UTC (every connection sets its time zone to UTC).
  clock: {
    type: 'datetime(3)',
    now: 'UTC_TIMESTAMP(3)',
    at: (literal) => `STR_TO_DATE(${literal}, '%Y-%m-%dT%H:%i:%s.%fZ')`,
    millisecondsSince: (literal) => `GREATEST(0, TIMESTAMPDIFF(MICROSECOND, STR_TO_DATE(${literal}, '%Y-%m-%dT%H:%i:%s.%fZ'), UTC_TIMESTAMP(6)) DIV 1000)`,
  },
  compile(operations: readonly Operation[], schema: Schema) {
    return compileMysql(operations, schema);
  },
  replay: replayMysql,
  needsSchema(operations: readonly Operation[]) {
    return mysqlNeedsSchema(operations);
  },
  async connect(location: string): Promise<Connection> {
    const where = readLocation(location);
    const { conn, flavor, version } = await open(where, where.database);
    return new MysqlConnection(mysqlDialect, conn, flavor, where.database, version);
  },
  async createDatabase(location: string, name: string): Promise<void> {
    const { conn } = await open(readLocation(location), null);
    try {
      await conn.query(`CREATE DATABASE ${quoteMysqlIdentifier(name)}`);
    } finally {
      await conn.end();
    }
  },
  async dropDatabase(location: string, name: string): Promise<void> {
    const { conn } = await open(readLocation(location), null);
    try {
      await conn.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(name)}`);
    } finally {
      await conn.end();
    }
  },
};
