/**
 * Constraint and index names as Prisma Migrate makes them: the defaults (`<table>_pkey`,
 * `<table>_<columns>_key` / `_idx` / `_fkey`, the implicit many-to-many table's), cut to
 * PostgreSQL's 63 bytes as Prisma cuts them, and the namespaces Prisma keeps them unique in.
 */
import { fail, type Where } from './errors.js';
import { truncateBytes } from '../../dialects/postgres/identifiers.js';
import type { PrismaProvider } from './providers/index.js';

/** Prisma's default constraint and index names, cut to the provider's identifier limit as Prisma cuts them. */
export function namer(provider: PrismaProvider) {
  const limit = provider.identifierLimit;
  const cut = (s: string, room: number): string => (Buffer.byteLength(s) >= limit - room ? truncateBytes(s, limit - room) : s);
  return {
    primaryKey: (table: string): string => `${cut(table, 5)}_pkey`,
    unique: (table: string, cols: string[]): string => `${cut(`${table}_${cols.join('_')}`, 4)}_key`,
    index: (table: string, cols: string[]): string => `${cut(`${table}_${cols.join('_')}`, 4)}_idx`,
    foreignKey: (table: string, cols: string[]): string => `${cut(`${table}_${cols.join('_')}`, 5)}_fkey`,
    /** Names of an implicit many-to-many table's key, index and foreign keys. */
    joinTable: (table: string, suffix: string): string => `${[...table].slice(0, limit - suffix.length).join('')}${suffix}`,
  };
}

export type Namer = ReturnType<typeof namer>;

/**
 * Prisma's namespaces of constraint names: on PostgreSQL primary keys, indexes and unique
 * indexes share one over the whole schema (SQLite: indexes and unique indexes), and within a
 * model foreign keys share one with them. A name used twice is an error at its second use.
 */
export class ConstraintNames {
  private readonly global = new Set<string>();
  private readonly perModel = new Map<string, Set<string>>();

  constructor(private readonly provider: PrismaProvider) {}

  claim<T extends string | { name: string }>(model: string, named: T, where: Where, kind: 'key' | 'index' | 'foreignKey'): T {
    const name = typeof named === 'string' ? named : named.name;
    const local = this.perModel.get(model) ?? new Set<string>();
    this.perModel.set(model, local);
    const globalKind = kind === 'index' || (kind === 'key' && this.provider.keysShareIndexNames);
    if (globalKind && this.global.has(name)) {
      fail(where, `the constraint name "${name}" is used twice; ${this.provider.keysShareIndexNames ? 'primary keys, indexes and unique constraints' : 'indexes and unique constraints'} share one namespace over the schema — give another name with map:`);
    }
    if (local.has(name)) fail(where, `the constraint name "${name}" is used twice on model ${model}; its key, indexes, unique constraints and foreign keys share one namespace — give another name with map:`);
    if (globalKind) this.global.add(name);
    local.add(name);
    return named;
  }
}
