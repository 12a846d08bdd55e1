/**
 * MySQL and MariaDB URLs: `mysql://user:password@host:3306/db` and `mariadb://…`, read into the
 * options `mysql2` is given. The location handed to `connect()` is that options object as JSON.
 */
import { decode, pairOf, readServerUrl, type UrlParts } from '../../config/url.js';
import { MigratorError } from '../../errors.js';
import type { DialectUrls } from '../dialect.js';

/** What `mysql2` connects with. */
export interface MysqlLocation {
  host?: string;
  port?: number;
  socketPath?: string;
  user?: string;
  password?: string;
  database: string;
  ssl?: Record<string, never> | { rejectUnauthorized: false };
}

/** The query parameters a URL may carry, and what each sets. */
const PARAMS: Record<string, (value: string, out: MysqlLocation) => void> = {
  socket: (v, out) => (out.socketPath = v),
  socketPath: (v, out) => (out.socketPath = v),
  ssl: (v, out) => {
    if (/^(true|1|required)$/i.test(v)) out.ssl = {};
    else if (/^(insecure|no-verify)$/i.test(v)) out.ssl = { rejectUnauthorized: false };
    else if (!/^(false|0|disabled)$/i.test(v)) throw new Error(`ssl=${v} (write ssl=true, ssl=insecure or ssl=false)`);
  },
};

function locationOf(p: UrlParts, display: string): MysqlLocation {
  const database = decode(p.path.replace(/^\//, ''));
  if (!database) throw new MigratorError(`database URL "${display}" names no database; write it as mysql://user:password@host:3306/db`);
  const out: MysqlLocation = { database };
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(p.host);
  if (hostPort?.[1]) out.host = hostPort[1].replace(/^\[|\]$/g, '');
  if (hostPort?.[2]) out.port = Number(hostPort[2]);
  if (p.user !== undefined) out.user = decode(p.user);
  if (p.password !== undefined) out.password = decode(p.password);
  for (const pair of p.query) {
    const [key, value] = pairOf(pair);
    const set = PARAMS[key];
    if (!set) throw new MigratorError(`database URL "${display}": parameter "${key}" is not known; use ${Object.keys(PARAMS).join(', ')}`);
    try {
      set(value, out);
    } catch (error) {
      throw new MigratorError(`database URL "${display}": ${(error as Error).message}`);
    }
  }
  if (!out.host && !out.socketPath) out.host = 'localhost';
  return out;
}

export const mysqlUrls: DialectUrls = {
  schemes: ['mysql', 'mariadb'],
  example: 'mysql://user@host:3306/db',
  parse(url) {
    const { parts, display } = readServerUrl(url);
    if (!parts) throw new MigratorError(`database URL "${display}" is not supported; write it as mysql://user:password@host:3306/db`);
    return { location: JSON.stringify(locationOf(parts, display)), display };
  },
};

/** The location `connect()` was given, read back. */
export function readLocation(location: string): MysqlLocation {
  return JSON.parse(location) as MysqlLocation;
}
