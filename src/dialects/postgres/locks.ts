/**
 * Who holds a lock another session waits for: the run lock (an advisory lock) or the locks on the
 * tables a statement names, described from pg_stat_activity for messages.
 */
import { createHash } from 'node:crypto';
import { collapseSpaces } from '../../sql/text.js';

/**
 * The advisory-lock key every migrator run takes on a database, so that concurrent deploys
 * serialise: the first applies the revisions, the others find nothing left to do. Advisory locks
 * belong to one database, so runs on other databases of the server never wait for each other.
 */
export const ADVISORY_LOCK_KEY = 0x6d6967726174; // "migrat"

/** SQLSTATE lock_not_available: a lock wait ended by lock_timeout. */
export const LOCK_NOT_AVAILABLE = '55P03';

interface Holder {
  pid: number;
  application_name: string | null;
  client: string | null;
  state: string | null;
  since: Date | null;
  query: string | null;
}

const ACTIVITY = `a.pid, a.application_name, coalesce(host(a.client_addr), 'local') AS client, a.state,
  coalesce(a.xact_start, a.backend_start) AS since, a.query`;

/**
 * The advisory-lock key of runs on one schema of a database (a fleet's schema per tenant): derived
 * from the schema's name, so that runs on different schemas of one database never wait for each
 * other, while two runs on the same schema do. A positive 48-bit number, as the fixed key is.
 */
export function schemaLockKey(schema: string): number {
  return parseInt(createHash('sha256').update(`migrator schema ${schema}`).digest('hex').slice(0, 12), 16);
}

/** The session holding the advisory lock `key` of migrator runs (a bigint key: classid high, objid low). */
export function advisoryHolderSql(key: number = ADVISORY_LOCK_KEY): string {
  return `SELECT ${ACTIVITY}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${Math.floor(key / 2 ** 32)} AND l.objid = ${key % 2 ** 32}
    AND a.pid <> pg_backend_pid()`;
}

/** The session holding the advisory lock of migrator runs on a database's default schema. */
export const ADVISORY_HOLDER_SQL = advisoryHolderSql();

/** Other sessions holding granted locks on any of the relations named by $1 (names in the current schema), or on the table of an index named. */
export const TABLE_HOLDERS_SQL = `SELECT DISTINCT ${ACTIVITY}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'relation' AND l.granted AND a.pid <> pg_backend_pid()
    AND l.relation IN (SELECT unnest(ARRAY[c.oid, i.indrelid]) FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[]))
  ORDER BY a.pid`;

/** Other sessions holding a table of the current schema exclusively (what stalls a catalog read), with the table. */
export const EXCLUSIVE_HOLDERS_SQL = `SELECT DISTINCT c.relname::text AS "table", ${ACTIVITY}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class c ON c.oid = l.relation
  WHERE l.locktype = 'relation' AND l.granted AND l.mode = 'AccessExclusiveLock' AND a.pid <> pg_backend_pid()
    AND c.relnamespace = current_schema()::regnamespace
  ORDER BY a.pid`;

/** `pid 123 (application "psql", from local, idle in transaction since 2026-…; last query: …)`. */
export function describeHolder(h: Holder): string {
  const parts = [
    h.application_name ? `application ${JSON.stringify(h.application_name)}` : undefined,
    h.client ? `from ${h.client}` : undefined,
    [h.state, h.since ? `since ${new Date(h.since).toISOString()}` : undefined].filter(Boolean).join(' ') || undefined,
    h.query ? `last query: ${oneLine(h.query)}` : undefined,
  ].filter(Boolean);
  return `pid ${h.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function oneLine(query: string): string {
  const flat = collapseSpaces(query);
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/**
 * The names a statement may mean tables by: its quoted identifiers, and its bare words folded to
 * lower case as PostgreSQL folds them (a user's own SQL); the catalog keeps the ones that are.
 */
export function namesIn(statement: string): string[] {
  const names = new Set<string>();
  for (const m of statement.matchAll(/"((?:[^"]|"")+)"/g)) names.add(m[1].replace(/""/g, '"'));
  for (const m of statement.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g, ' ').matchAll(/[A-Za-z_][A-Za-z0-9_$]*/g)) names.add(m[0].toLowerCase());
  return [...names];
}
