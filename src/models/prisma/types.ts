/** Prisma's scalar types, whatever the provider (each provider's types are in `providers/`). */

export const SCALAR_TYPES = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes']);

/**
 * Whether `@default(autoincrement())` can be given to a column of this type: PostgreSQL's serial
 * types, SQLite's INTEGER and BIGINT, MySQL's integer types (signed or not).
 */
export function isIntegerType(type: string): boolean {
  return /^(integer|bigint|smallint|INTEGER|BIGINT)$/.test(type) || /^(tinyint|smallint|mediumint|int|bigint)( unsigned)?$/.test(type);
}
