/**
 * The changes PostgreSQL makes by rewriting a table (and rebuilding its indexes) under an ACCESS
 * EXCLUSIVE lock, which blocks reads and writes until the rewrite ends: what lint warns about.
 */
import type { TableRewrites } from '../dialect.js';
import { shape, UNBOUNDED } from '../../sql/column-types.js';

/** A default PostgreSQL computes per row (PG 11+ stores a non-volatile one once, without a rewrite). */
const VOLATILE = /\b(random|random_normal|gen_random_uuid|gen_random_bytes|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|uuidv4|uuidv7|clock_timestamp|timeofday|nextval)\s*\(/i;

/**
 * Whether `ALTER COLUMN … TYPE` rewrites the table: all changes but those PostgreSQL makes in the
 * catalog alone — a varchar made longer or unbounded, a text made varchar, a numeric's precision
 * raised at the same scale or lifted, a timestamp's precision raised.
 */
export function pgTypeChangeRewrites(from: string, to: string): boolean {
  if (from === to) return false;
  const a = shape(from);
  const b = shape(to);
  if (a.family === 'string' && b.family === 'string') return a.fixed || b.fixed || b.length < a.length;
  if (a.family === 'numeric' && b.family === 'numeric') return !(b.precision === UNBOUNDED || (b.scale === a.scale && b.precision >= a.precision));
  if (a.family === 'timestamp' && b.family === 'timestamp') return a.zone !== b.zone || b.precision < a.precision;
  return true;
}

export const postgresRewrites: TableRewrites = {
  blocks: 'reads and writes',
  typeChange: pgTypeChangeRewrites,
  addedColumn(c) {
    if (c.autoincrement || c.identity) return `numbers every row (${c.identity ? 'identity' : 'serial'})`;
    if (c.generated !== undefined) return `computes GENERATED ALWAYS AS (${c.generated}) for every row`;
    if (c.default !== undefined && VOLATILE.test(c.default)) return `DEFAULT ${c.default}`;
    return undefined;
  },
};
