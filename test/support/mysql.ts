/**
 * A fresh MySQL/MariaDB database per test file, dropped afterwards. The server comes from
 * MIGRATOR_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test). A server that cannot be
 * reached fails the test file: it is never skipped silently.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

export const MYSQL_ADMIN_URL = process.env.MIGRATOR_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';

export interface TestMysqlDatabase {
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

async function admin<T>(body: (c: mysql.Connection) => Promise<T>): Promise<T> {
  let c: mysql.Connection;
  try {
    c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 10_000 });
  } catch (error) {
    throw new Error(`MySQL for tests is not reachable at ${MYSQL_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}; start it or set MIGRATOR_TEST_MYSQL_URL`);
  }
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database with a unique name. */
export async function createMysqlTestDatabase(prefix = 'migrator_test'): Promise<TestMysqlDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE \`${name}\``));
  const url = withDatabase(MYSQL_ADMIN_URL, name);
  // The connection being opened, shared: queries started together must not each open one (the
  // others would never be ended, and would keep the test process alive).
  let client: Promise<mysql.Connection> | undefined;
  const connect = (): Promise<mysql.Connection> => (client ??= mysql.createConnection({ uri: url, timezone: 'Z', multipleStatements: true }));
  const close = async (): Promise<void> => {
    const c = client;
    client = undefined;
    await (await c?.catch(() => undefined))?.end();
  };
  return {
    name,
    url,
    async query<T>(sql: string, params: unknown[] = []) {
      const [rows] = await (await connect()).query(sql, params);
      return (Array.isArray(rows) ? rows : []) as T[];
    },
    close,
    async drop() {
      await close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
    },
  };
}
