/** PostgreSQL URLs: `postgres://…` and `postgresql://…`, read into what `pg` is given. */
import { decode, pairOf, readServerUrl, type UrlParts } from '../../config/url.js';
import { MigratorError } from '../../errors.js';
import type { DialectUrls } from '../dialect.js';

/**
 * The URL `pg` is given: user and password percent-encoded and the query re-encoded, so that
 * `pg` (which reads URLs by the WHATWG rules, ending the user info at the first `/`, `?` or `#`)
 * reads the same user, password, host and database as were split here.
 */
function connectionUrlOf(p: UrlParts): string {
  const userinfo = p.user === undefined ? '' : `${encodeURIComponent(decode(p.user))}${p.password !== undefined ? `:${encodeURIComponent(decode(p.password))}` : ''}@`;
  // pg re-encodes a URL holding a space or a stray `%` as a whole, which would garble the
  // encoded password: the database name is given with neither.
  const database = p.path.replace(/%(?![0-9a-f]{2})/gi, '%25').replace(/ /g, '%20');
  const query = new URLSearchParams(p.query.map(pairOf)).toString();
  return `${p.scheme}://${userinfo}${p.host}${database}${query ? `?${query}` : ''}`;
}

export const postgresUrls: DialectUrls = {
  schemes: ['postgres', 'postgresql'],
  example: 'postgres://user@host:5432/db',
  parse(url) {
    const { parts, display } = readServerUrl(url);
    if (!parts) throw new MigratorError(`database URL "${display}" is not supported; write it as postgres://user:password@host:5432/db`);
    return { location: connectionUrlOf(parts), display };
  },
};
