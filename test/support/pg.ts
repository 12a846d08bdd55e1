/**
 * A fresh PostgreSQL database per test file, dropped afterwards. The server comes from
 * MIGRATOR_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). A server that
 * cannot be reached fails the test file: it is never skipped silently.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.MIGRATOR_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Ends the connection `query` opened, if any; the next query opens another. */
  close(): Promise<void>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(body: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (error) {
    throw new Error(`PostgreSQL for tests is not reachable at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}; start it or set MIGRATOR_TEST_PG_URL`);
  }
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database with a unique name. */
export async function createTestDatabase(prefix = 'migrator_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(PG_ADMIN_URL, name);
  let client: pg.Client | undefined;
  const connect = async (): Promise<pg.Client> => {
    if (!client) {
      client = new pg.Client({ connectionString: url });
      await client.connect();
    }
    return client;
  };
  const close = async (): Promise<void> => {
    const c = client;
    client = undefined;
    await c?.end();
  };
  return {
    name,
    url,
    async query<T>(sql: string, params: unknown[] = []) {
      const c = await connect();
      return (await c.query(sql, params)).rows as T[];
    },
    close,
    async drop() {
      await close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
