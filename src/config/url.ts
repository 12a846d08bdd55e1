/** Database URLs: `sqlite:<path>`, `sqlite::memory:`, `postgres://…`, `postgresql://…`. */
import path from 'node:path';
import { MigratorError } from '../errors.js';

export interface DatabaseTarget {
  /** The dialect's name. */
  dialect: 'sqlite' | 'postgres';
  /** What the dialect connects to: a file path for SQLite, the URL for PostgreSQL. */
  location: string;
  /** The URL with any password masked, for messages. */
  display: string;
}

/** The URL with the password replaced by `***`, safe to print. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@');
}

/** Parses a database URL; relative SQLite paths resolve from `baseDir`. */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget {
  const display = maskUrl(url);
  if (/^sqlite:/i.test(url)) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (!file) throw new MigratorError(`database URL "${display}" names no file; use sqlite:./app.db or sqlite::memory:`);
    const location = file === ':memory:' ? file : path.resolve(baseDir, file);
    return { dialect: 'sqlite', location, display };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', location: url, display };
  throw new MigratorError(`database URL "${display}" is not supported; use sqlite:<path>, sqlite::memory: or postgres://user@host:5432/db`);
}
