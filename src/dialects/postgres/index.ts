/** The PostgreSQL dialect, on `pg`. */
import type pg from 'pg';
import type { Operation } from '../../operations/operation.js';
import type { ReprintRequest, ReprintResponse } from '../../diff/settle.js';
import type { Schema } from '../../schema/schema.js';
import { quoteIdentifier, quoteLiteral, StatementError, type Connection, type Dialect, type IntrospectOptions } from '../dialect.js';
import { compilePostgres, NEEDS_SCHEMA } from './compiler.js';
import { introspectPostgres } from './introspector.js';
import { normalizePgDefault, normalizePgOpclass, normalizePgType } from './types.js';
import { normalizePgExpression } from './expressions.js';
import { fitIdentifiers } from './identifiers.js';
import { reprintResponse, reprintSql, type ReprintRow } from './reprint.js';

/**
 * The advisory-lock key every migrator run takes on a database, so that concurrent deploys
 * serialise: the first applies the revisions, the others find nothing left to do.
 */
export const ADVISORY_LOCK_KEY = 0x6d6967726174; // "migrat"

class PostgresConnection implements Connection {
  private schemaName?: string;
  /** A transaction was asked for: BEGIN travels with the next statement, saving a round trip. */
  private beginPending = false;

  constructor(
    readonly dialect: Dialect,
    private readonly client: pg.Client,
  ) {}

  private async currentSchema(): Promise<string> {
    if (!this.schemaName) {
      const rows = await this.query<{ s: string }>('SELECT current_schema() AS s');
      this.schemaName = rows[0]?.s ?? 'public';
    }
    return this.schemaName;
  }

  async introspect(options: IntrospectOptions): Promise<Schema> {
    return introspectPostgres(this, await this.currentSchema(), options.exclude);
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
    const result = (await this.client.query(text)) as pg.QueryResult | pg.QueryResult[];
    const all = Array.isArray(result) ? result : [result];
    return text === sql ? all : all.slice(1);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.beginPending) await this.simple('SELECT 1');
    const result = await this.client.query(sql, params);
    return result.rows as T[];
  }

  async execute(sql: string): Promise<void> {
    await this.simple(sql);
  }

  async run(sql: string): Promise<number> {
    const results = await this.simple(sql);
    return results[results.length - 1]?.rowCount ?? 0;
  }

  async runAll(statements: readonly string[]): Promise<number[]> {
    if (statements.length === 0) return [];
    try {
      const results = await this.simple(statements.map((s) => s.trimEnd().replace(/;$/, '')).join(';\n'));
      return results.map((r) => r.rowCount ?? 0);
    } catch (error) {
      throw new StatementError(statements.length === 1 ? statements[0] : undefined, error);
    }
  }

  async transaction<T>(body: () => Promise<T>): Promise<T> {
    this.beginPending = true;
    try {
      const result = await body();
      if (this.beginPending) this.beginPending = false;
      else await this.client.query('COMMIT');
      return result;
    } catch (error) {
      if (this.beginPending) this.beginPending = false;
      else await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
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
        await this.client.query('BEGIN');
        let last: pg.QueryResult | undefined;
        for (const statement of sql) last = await this.client.query({ text: statement, queryMode: 'extended' } as pg.QueryConfig);
        await this.client.query('ROLLBACK');
        const row = last?.rows[0] as { r: ReprintRow } | undefined;
        out.push(row ? reprintResponse(request, row.r, table) : undefined);
      } catch {
        // A type the database does not have yet, a text it cannot parse: left to the differ.
        await this.client.query('ROLLBACK').catch(() => undefined);
        out.push(undefined);
      }
    }
    return out;
  }

  async lock(): Promise<void> {
    await this.client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  }

  async unlock(): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
  }

  async close(): Promise<void> {
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

export const postgresDialect: Dialect = {
  name: 'postgres',
  capabilities: { transactionalDdl: true, runLock: true },
  compareOptions: {
    normalizeType: normalizePgType,
    normalizeDefault: memoizedDefault,
    normalizeExpression: normalizePgExpression,
    normalizeOpclass: normalizePgOpclass,
    comments: true,
  },
  quoteIdentifier,
  quoteLiteral,
  fitModels: fitIdentifiers,
  foreignKeysOffScript: { before: [], beforeCommit: [], after: [] },
  compile(operations: readonly Operation[], schema: Schema) {
    return compilePostgres(operations, schema);
  },
  needsSchema(operations: readonly Operation[]) {
    return operations.some((op) => NEEDS_SCHEMA.has(op.kind));
  },
  async connect(location: string): Promise<Connection> {
    const { default: pgModule } = await import('pg');
    const client = new pgModule.Client({ connectionString: location, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined); // a dropped connection surfaces on the next query
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    await client.query("SET client_min_messages = 'warning'");
    return new PostgresConnection(postgresDialect, client);
  },
};
