/** Prisma's scalar types, whatever the provider (each provider's types are in `providers/`). */

export const SCALAR_TYPES = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes']);

/** The serial type PostgreSQL uses for `@default(autoincrement())` on this column type. */
export function isIntegerType(type: string): boolean {
  return /^(integer|bigint|smallint|INTEGER|BIGINT)$/.test(type);
}
