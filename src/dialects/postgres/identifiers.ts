/**
 * Names as PostgreSQL keeps them: the first 63 bytes (NAMEDATALEN - 1) of a name, cut on a
 * character boundary (`truncate_identifier`, `pg_mbcliplen`). A model's longer name is written
 * into revisions as the database will hold it, so that `check` compares like with like and a
 * downgrade drops what the upgrade made; two names that would become one are refused.
 */
import { MigratorError } from '../../errors.js';
import { pgTypeName } from '../../models/sql.js';
import { keyColumn, renameIndexKey, type IndexKey, type Schema, type Table } from '../../schema/schema.js';

/** The bytes of a name PostgreSQL keeps (NAMEDATALEN - 1 in a default build). */
export const MAX_IDENTIFIER_BYTES = 63;

/** The UTF-8 length of a code point (a lone surrogate is written as U+FFFD, 3 bytes). */
const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/** `s` cut to at most `bytes` UTF-8 bytes, never inside a character. */
export function truncateBytes(s: string, bytes: number): string {
  // Every UTF-16 code unit is at most 3 UTF-8 bytes: short strings need no counting.
  if (s.length * 3 <= bytes) return s;
  let used = 0;
  let end = 0;
  for (const ch of s) {
    used += utf8Length(ch.codePointAt(0)!);
    if (used > bytes) return s.slice(0, end);
    end += ch.length;
  }
  return s;
}

/**
 * A name as PostgreSQL stores it: its first 63 UTF-8 bytes, cut on a character boundary (a
 * server whose encoding is UTF-8, as `initdb` makes it by default).
 */
export function truncateIdentifier(name: string): string {
  return truncateBytes(name, MAX_IDENTIFIER_BYTES);
}

type Kind = 'table' | 'column' | 'index' | 'primary key' | 'unique constraint' | 'foreign key' | 'check constraint' | 'enum type';

/** Where the model gives each kind of name, for the message that asks to shorten one. */
const WHERE_NAMED: Record<Kind, string> = {
  table: '@Entity({ name }) / @@map',
  column: '@Column({ name }) / @map',
  index: "@Index('name', …) / map:",
  'primary key': 'primaryKeyConstraintName / map:',
  'unique constraint': "@Unique('name', …) / map:",
  'foreign key': '@JoinColumn({ foreignKeyConstraintName }) / map:',
  'check constraint': "@Check('name', …)",
  'enum type': 'enumName / @@map on the enum',
};

interface Claim {
  full: string;
  kind: Kind;
  /** The table the name belongs to, for names that are not tables' or types'. */
  table?: string;
}

/**
 * Names that PostgreSQL keeps apart only while they differ in their first 63 bytes: the first
 * two full names that become one are an error naming both.
 */
class Namespace {
  private readonly claims = new Map<string, Claim>();

  claim(claim: Claim): void {
    const short = truncateIdentifier(claim.full);
    const seen = this.claims.get(short);
    // The same full name twice is not a truncation's doing; the model readers judge it.
    if (seen && seen.full !== claim.full) throw collision(seen, claim, short);
    if (!seen) this.claims.set(short, claim);
  }
}

function collision(a: Claim, b: Claim, short: string): MigratorError {
  const of = (c: Claim): string => (c.table !== undefined ? ` of table "${c.table}"` : '');
  const both =
    a.kind === b.kind && a.table === b.table
      ? `${a.kind}s "${a.full}" and "${b.full}"${of(a)}`
      : `${a.kind} "${a.full}"${of(a)} and ${b.kind} "${b.full}"${of(b)}`;
  const hints = [...new Set([WHERE_NAMED[a.kind], WHERE_NAMED[b.kind]])].join('; ');
  return new MigratorError(
    `${both} are both "${short}" in PostgreSQL, which keeps the first ${MAX_IDENTIFIER_BYTES} bytes of a name; shorten one (${hints})`,
  );
}

const keyTruncated = (k: IndexKey): IndexKey => {
  const column = keyColumn(k);
  return column === undefined ? k : renameIndexKey(k, column, truncateIdentifier(column));
};

/** A column's type naming one of `enums` (or an array of it) with the name PostgreSQL keeps. */
function enumTypeTruncated(type: string, enums: ReadonlySet<string>): string {
  const m = /^("(?:[^"]|"")+"|[^"[\]]+)((?:\[\])*)$/.exec(type);
  if (!m) return type;
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
  if (!enums.has(name)) return type;
  // Spelled again as format_type() prints it: a cut name may no longer need its quotes.
  return `${pgTypeName(truncateIdentifier(name))}${m[2]}`;
}

/** Refuses two names of the models that PostgreSQL would keep as one, in each of its namespaces. */
function checkCollisions(schema: Schema): void {
  // Tables, indexes, and the indexes of primary keys and unique constraints are relations.
  const relations = new Namespace();
  // A table's row type shares the type namespace with enums.
  const types = new Namespace();
  for (const e of schema.enums ?? []) types.claim({ full: e.name, kind: 'enum type' });
  for (const t of schema.tables) {
    relations.claim({ full: t.name, kind: 'table' });
    types.claim({ full: t.name, kind: 'table' });
  }
  for (const t of schema.tables) {
    const table = t.name;
    const columns = new Namespace();
    for (const c of t.columns) columns.claim({ full: c.name, kind: 'column', table });
    // Constraint names are unique per table.
    const constraints = new Namespace();
    const named: { name?: string; kind: Kind; relation: boolean }[] = [
      { name: t.primaryKey?.name, kind: 'primary key', relation: true },
      ...t.uniques.map((u) => ({ name: u.name, kind: 'unique constraint' as const, relation: true })),
      ...t.foreignKeys.map((f) => ({ name: f.name, kind: 'foreign key' as const, relation: false })),
      ...t.checks.map((c) => ({ name: c.name, kind: 'check constraint' as const, relation: false })),
    ];
    for (const n of named) {
      if (n.name === undefined) continue;
      constraints.claim({ full: n.name, kind: n.kind, table });
      if (n.relation) relations.claim({ full: n.name, kind: n.kind, table });
    }
    for (const i of t.indexes) relations.claim({ full: i.name, kind: 'index', table });
  }
}

/** The table with every name in it, and every name it refers to, as PostgreSQL keeps them. */
function tableTruncated(t: Table, enums: ReadonlySet<string>): Table {
  const cut = truncateIdentifier;
  const cutAll = (names: string[]): string[] => names.map(cut);
  const named = <T extends { name?: string }>(x: T): T => (x.name === undefined ? x : { ...x, name: cut(x.name) });
  return {
    ...t,
    name: cut(t.name),
    columns: t.columns.map((c) => ({ ...named(c), type: enums.size ? enumTypeTruncated(c.type, enums) : c.type })),
    ...(t.primaryKey ? { primaryKey: { ...named(t.primaryKey), columns: cutAll(t.primaryKey.columns) } } : {}),
    indexes: t.indexes.map((i) => ({ ...named(i), columns: i.columns.map(keyTruncated) })),
    uniques: t.uniques.map((u) => ({ ...named(u), columns: cutAll(u.columns) })),
    // Check expressions stay as written: PostgreSQL cuts the names in them as it parses them.
    checks: t.checks.map(named),
    foreignKeys: t.foreignKeys.map((f) => ({
      ...named(f),
      columns: cutAll(f.columns),
      referencedTable: cut(f.referencedTable),
      referencedColumns: cutAll(f.referencedColumns),
    })),
  };
}

/** Whether any name of the schema, or any name it refers to, is longer than PostgreSQL keeps. */
function longNameIn(schema: Schema): boolean {
  const long = (name: string | undefined): boolean => name !== undefined && truncateIdentifier(name) !== name;
  const anyLong = (names: readonly (string | undefined)[]): boolean => names.some(long);
  return (
    anyLong((schema.enums ?? []).map((e) => e.name)) ||
    schema.tables.some(
      (t) =>
        long(t.name) ||
        anyLong(t.columns.map((c) => c.name)) ||
        (!!t.primaryKey && (long(t.primaryKey.name) || anyLong(t.primaryKey.columns))) ||
        t.indexes.some((i) => long(i.name) || anyLong(i.columns.map(keyColumn))) ||
        t.uniques.some((u) => long(u.name) || anyLong(u.columns)) ||
        t.checks.some((c) => long(c.name)) ||
        t.foreignKeys.some((f) => long(f.name) || long(f.referencedTable) || anyLong(f.columns) || anyLong(f.referencedColumns)),
    )
  );
}

/**
 * Rewrites the models' schema, in place, into the names PostgreSQL will hold: tables, columns,
 * indexes, constraints and enum types cut to 63 bytes, and every reference to them likewise.
 * Throws MigratorError when two names would become one.
 */
export function fitIdentifiers(schema: Schema): void {
  if (!longNameIn(schema)) return;
  checkCollisions(schema);
  const enums = new Set((schema.enums ?? []).map((e) => e.name).filter((n) => truncateIdentifier(n) !== n));
  schema.tables = schema.tables.map((t) => tableTruncated(t, enums));
  if (schema.enums) schema.enums = schema.enums.map((e) => ({ ...e, name: truncateIdentifier(e.name) }));
}
