/**
 * Constraint and index names as Prisma Migrate makes them: the defaults (`<table>_pkey`,
 * `<table>_<columns>_key` / `_idx` / `_fkey`, the implicit many-to-many table's), cut to the
 * provider's limit (PostgreSQL's 63 bytes, MySQL's 64) as Prisma cuts them, and the namespaces
 * Prisma keeps them unique in.
 */
import { fail, type Where } from './errors.js';
import { truncateBytes } from '../../dialects/postgres/identifiers.js';
import type { ConstraintKind, PrismaProvider } from './providers/index.js';

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

/** The kinds of a namespace as messages name them: `primary keys, indexes and unique constraints`. */
function kindsText(kinds: readonly ConstraintKind[], own: boolean): string {
  const words = kinds.flatMap((k) => (k === 'key' ? [own ? 'key' : 'primary keys'] : k === 'index' ? ['indexes', 'unique constraints'] : ['foreign keys']));
  return `${own ? 'its ' : ''}${words.slice(0, -1).join(', ')}${words.length > 1 ? ' and ' : ''}${words[words.length - 1]}`;
}

/**
 * Prisma's namespaces of constraint names, as the provider keeps them: on PostgreSQL primary
 * keys, indexes and unique indexes share one over the whole schema (SQLite: indexes and unique
 * indexes; MySQL: foreign keys), and within a model the kinds the provider says share one (on
 * PostgreSQL and SQLite all of them, on MySQL indexes and unique indexes). A name used twice is
 * an error at its second use.
 */
export class ConstraintNames {
  private readonly global = new Set<string>();
  private readonly perModel = new Map<string, Set<string>>();

  constructor(private readonly provider: PrismaProvider) {}

  claim<T extends string | { name: string }>(model: string, named: T, where: Where, kind: ConstraintKind): T {
    const name = typeof named === 'string' ? named : named.name;
    // Default names are cut to the limit; only a name given with map: can be longer.
    const bytes = Buffer.byteLength(name);
    if (bytes > this.provider.identifierLimit) {
      fail(where, `the constraint name "${name}" given with map: is ${bytes} bytes, too long for ${this.provider.title}: the maximum allowed length is ${this.provider.identifierLimit} bytes; give a shorter name`);
    }
    const { schema, model: ofModel } = this.provider.nameScopes;
    const local = this.perModel.get(model) ?? new Set<string>();
    this.perModel.set(model, local);
    const globalKind = schema.includes(kind);
    const localKind = ofModel.includes(kind);
    if (globalKind && this.global.has(name)) {
      fail(where, `the constraint name "${name}" is used twice; ${kindsText(schema, false)} share one namespace over the schema — give another name with map:`);
    }
    if (localKind && local.has(name)) fail(where, `the constraint name "${name}" is used twice on model ${model}; ${kindsText(ofModel, true)} share one namespace — give another name with map:`);
    if (globalKind) this.global.add(name);
    if (localKind) local.add(name);
    return named;
  }
}
