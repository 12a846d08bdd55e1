/**
 * The dialects, and which one serves a database URL. A dialect is one folder under `dialects/`
 * and one entry in `DIALECTS`: it owns its URLs, quoting, capabilities, type rules,
 * introspection, compiler and connection.
 */
import { readServerUrl, schemeOf, type DatabaseTarget } from '../config/url.js';
import { MigratorError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { mysqlDialect } from './mysql/index.js';
import { postgresDialect } from './postgres/index.js';
import { sqliteDialect } from './sqlite/index.js';

const DIALECTS: readonly Dialect[] = [sqliteDialect, postgresDialect, mysqlDialect];

export function dialectNamed(name: string): Dialect {
  const dialect = DIALECTS.find((d) => d.name === name);
  if (!dialect) throw new MigratorError(`no dialect named "${name}"; ${supportedUrls()}`);
  return dialect;
}

/** The dialect serving URLs of `scheme` (any case); undefined when none does. */
function dialectForScheme(scheme: string | undefined): Dialect | undefined {
  return scheme === undefined ? undefined : DIALECTS.find((d) => d.urls.schemes.includes(scheme));
}

/** What URLs are supported, for messages: `use sqlite:<path>, … or postgres://…`. */
function supportedUrls(): string {
  const examples = DIALECTS.map((d) => d.urls.example);
  return `use ${examples.slice(0, -1).join(', ')} or ${examples[examples.length - 1]}`;
}

/** The dialect serving `url`, by its scheme; undefined when none does. */
export function dialectOfUrl(url: string): Dialect | undefined {
  return dialectForScheme(schemeOf(url));
}

/** The dialects whose fleet targets may name schemas, in prose: `PostgreSQL`. */
export function schemaTargetTitles(): string {
  return DIALECTS.filter((d) => d.capabilities.schemaTargets).map((d) => d.title).join(' or ');
}

/** Parses a database URL with the dialect its scheme names; relative file paths resolve from `baseDir`. */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget {
  const dialect = dialectForScheme(schemeOf(url));
  if (!dialect) throw new MigratorError(`database URL "${readServerUrl(url).display}" is not supported; ${supportedUrls()}`);
  return { dialect: dialect.name, ...dialect.urls.parse(url, baseDir) };
}

/** The URL with every credential masked (password, `?password=` and the like), safe to print. */
export function maskUrl(url: string): string {
  return dialectForScheme(schemeOf(url))?.urls.plain ? url : readServerUrl(url).display;
}
