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
  // Prisma's `schema` parameter is migrator's to read (the schema to work in), not the driver's.
  p = { ...p, query: p.query.filter((pair) => pairOf(pair)[0] !== 'schema') };
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
    const schemas = parts.query.map(pairOf).filter(([key]) => key === 'schema').map(([, value]) => value);
    if (schemas.length > 1) throw new MigratorError(`database URL "${display}" names the schema ${schemas.length} times; give ?schema= once`);
    const [schema] = schemas;
    if (schema !== undefined && (schema === '' || schema.length > 63)) throw new MigratorError(`database URL "${display}": ?schema= must name a schema (at most 63 characters)`);
    return { location: connectionUrlOf(parts), display, ...(schema !== undefined ? { schema } : {}) };
  },
};
