/**
 * Server URLs, `scheme://user:password@host:port/database?query`, as every server dialect reads
 * them (each dialect's `urls.parse` builds on these; `dialects/index.ts` picks the dialect).
 *
 * A URL is split into its parts once, and both what migrator connects with and what it prints
 * come from those parts: the password (and any credential in the query) is masked whatever
 * characters it holds, as SQLAlchemy masks a parsed URL rather than matching its text.
 */
import { MigratorError } from '../errors.js';
import { MASK, registerSafeText, registerSecret } from './secrets.js';

export interface DatabaseTarget {
  /** The dialect's name. */
  dialect: string;
  /** What the dialect connects to: a file path for SQLite, the URL for PostgreSQL. */
  location: string;
  /** The URL with any password masked, for messages. */
  display: string;
  /**
   * The schema the URL names for the project to work in (PostgreSQL's `?schema=`, as Prisma reads
   * it): the search_path, so that introspection, the version table and revisions are in it.
   */
  schema?: string;
}

/** A `scheme://user:password@host:port/database?query` URL's parts, as written. */
export interface UrlParts {
  scheme: string;
  /** Absent when the URL names no user (no `@`). */
  user?: string;
  /** Absent when the user has no `:password`. */
  password?: string;
  /** `host`, `host:port`, `[ipv6]:port`, or empty (a socket given in the query). */
  host: string;
  /** `/database`, or empty. */
  path: string;
  /** The query's `key=value` pairs, split on `&`, undecoded. */
  query: string[];
}

/**
 * Query parameters that carry credentials: libpq's `password`, `sslpassword` and
 * `oauth_client_secret`, and anything else named like one (`pg` hands every parameter on).
 */
const CREDENTIAL_PARAM = /password|secret|token/i;

// What may follow the `@` that ends the user info. A raw password may hold `@`, `/`, `?` or `#`;
// the `@` it ends at is the one whose remainder reads as a host: no `#` outside the query (a
// database URL has no fragment), a database name without `/`, and query pairs of key=value.
const HOST = String.raw`(?:\[[0-9A-Fa-f:.]*(?:%[\w.-]+)?\]|[^\s/?#@:[\]]*)`;
const PAIR = String.raw`(?:[\w.-]+=[^&]*)?`;
const HOST_PART = new RegExp(String.raw`^(${HOST}(?::\d*)?)(/[^/?#]*)?(?:\?(${PAIR}(?:&${PAIR})*))?$`);
/** A user name ends at the first `:`, and holds no `/`, `?` or `#`. */
const USER = /^[^:/?#]*$/;

/**
 * Splits `scheme://…` into its parts; undefined for other URLs. Throws a MigratorError, with the
 * URL masked after its user, when no split or more than one makes sense.
 */
export function splitUrl(url: string): UrlParts | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([\s\S]*)$/i.exec(url);
  if (!m) return undefined;
  const [, scheme, body] = m;
  // Every reading: no user info at all, or user info ending at one of the `@`s.
  const readings: UrlParts[] = [];
  const noUser = HOST_PART.exec(body);
  if (noUser) readings.push(parts(scheme, undefined, noUser));
  for (let at = body.indexOf('@'); at >= 0; at = body.indexOf('@', at + 1)) {
    const userinfo = body.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const rest = HOST_PART.exec(body.slice(at + 1));
    if (rest && USER.test(user)) readings.push(parts(scheme, { user, password: colon < 0 ? undefined : userinfo.slice(colon + 1) }, rest));
  }
  if (readings.length === 1) return readings[0];
  const shown = unreadable(scheme, body);
  if (readings.length === 0) {
    throw new MigratorError(
      `database URL "${shown}" cannot be read as ${scheme}://user:password@host:port/database?key=value; check the host, port and database name, and percent-encode special characters of the password (@ as %40, / as %2F, ? as %3F, # as %23)`,
    );
  }
  throw new MigratorError(
    `database URL "${shown}" is ambiguous: more than one "@" in it could end the password; percent-encode "@" in the password or the query as %40 (and / as %2F, ? as %3F, # as %23)`,
  );
}

function parts(scheme: string, userinfo: { user: string; password?: string } | undefined, rest: RegExpExecArray): UrlParts {
  return {
    scheme,
    ...(userinfo ? { user: userinfo.user } : {}),
    ...(userinfo?.password !== undefined ? { password: userinfo.password } : {}),
    host: rest[1],
    path: rest[2] ?? '',
    query: rest[3] ? rest[3].split('&').filter(Boolean) : [],
  };
}

/**
 * A URL that cannot be split, shown up to its user name at most: all after it counts as secret,
 * since nothing tells where its password ends.
 */
function unreadable(scheme: string, body: string): string {
  const colon = body.indexOf(':');
  const user = colon < 0 ? undefined : body.slice(0, colon);
  if (user !== undefined && /^[^@/?#]*$/.test(user)) {
    registerSecret(body.slice(colon + 1));
    return `${scheme}://${user}:${MASK}`;
  }
  registerSecret(body);
  return `${scheme}://${MASK}`;
}

/** Percent-decodes valid `%XX` runs and keeps anything else as written, as `pg` reads a URL. */
export function decode(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** A query pair's key and value, decoded as `pg` decodes them (URLSearchParams). */
export function pairOf(pair: string): [string, string] {
  const [entry] = [...new URLSearchParams(pair)];
  return entry ?? ['', ''];
}

/** Registers the credentials of split URL parts in every spelling a message could hold. */
function registerCredentials(p: UrlParts): void {
  if (p.password) {
    const decoded = decode(p.password);
    registerSecret(p.password, decoded, encodeURIComponent(decoded));
  }
  for (const pair of p.query) {
    const [key, value] = pairOf(pair);
    if (!CREDENTIAL_PARAM.test(key) || !value) continue;
    registerSecret(pair.slice(pair.indexOf('=') + 1), value, encodeURIComponent(value), new URLSearchParams([['', value]]).toString().slice(1));
  }
}

/** Split URL parts printed with every credential masked. */
function displayOf(p: UrlParts): string {
  const userinfo = p.user === undefined ? '' : `${p.user}${p.password ? `:${MASK}` : ''}@`;
  const query = p.query.map((pair) => (CREDENTIAL_PARAM.test(pairOf(pair)[0]) ? `${pair.slice(0, pair.indexOf('='))}=${MASK}` : pair));
  return `${p.scheme}://${userinfo}${p.host}${p.path}${query.length ? `?${query.join('&')}` : ''}`;
}

/**
 * A `scheme://…` URL's parts and its masked form (every credential masked); registers its
 * credentials, and the masked form as safe to print. A URL that is not `scheme://…` has no parts,
 * and shows only a scheme-like start, since nothing tells a password apart in it.
 */
export function readServerUrl(url: string): { parts?: UrlParts; display: string } {
  const parts = splitUrl(url);
  if (parts) {
    registerCredentials(parts);
    const display = displayOf(parts);
    registerSafeText(display);
    return { parts, display };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!scheme) return { display: url };
  registerSecret(url.slice(scheme[0].length));
  return { display: `${scheme[0]}${MASK}` };
}

/** The scheme a database URL starts with, lower case; undefined when it has none. */
export function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
}

/**
 * The URL of another database on the same server: `url` with its database name replaced by
 * `name` (user, password, host and query as written). Only for `scheme://…` URLs.
 */
export function withDatabaseName(url: string, name: string): string {
  const p = splitUrl(url);
  if (!p) throw new MigratorError(`database URL "${readServerUrl(url).display}" names no server to create a database on`);
  const userinfo = p.user === undefined ? '' : `${p.user}${p.password !== undefined ? `:${p.password}` : ''}@`;
  return `${p.scheme}://${userinfo}${p.host}/${encodeURIComponent(name)}${p.query.length ? `?${p.query.join('&')}` : ''}`;
}
