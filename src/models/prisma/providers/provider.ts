import type { EnumType } from '../../../schema/schema.js';

/** The kinds of names Prisma keeps unique: primary keys, indexes (unique or not), foreign keys. */
export type ConstraintKind = 'key' | 'index' | 'foreignKey';

/** What a native type attribute gives: the column type, or Prisma's complaint about its arguments. */
export type NativeTypeResult = string | { problem: string } | undefined;

/**
 * What sets one Prisma provider apart, as Prisma Migrate builds its databases: the types it
 * writes, which attributes it takes, how it names and keys things. One file per provider in this
 * folder, registered in `index.ts`; the reader asks these, never a provider's name.
 */

export interface PrismaProvider {
  /** The name a datasource block gives (`provider = "postgresql"`). */
  readonly name: string;
  /** Other names Prisma accepts for it. */
  readonly aliases: readonly string[];
  /** The migrator dialect whose databases it serves. */
  readonly dialect: string;
  /** How Prisma's messages name the database (`Postgres`). */
  readonly title: string;
  /** How a URL of its databases starts, for messages (`postgres://`). */
  readonly urlStart: string;
  /** Scalar → column type when no `@db.*` attribute is given. */
  readonly scalars: Readonly<Record<string, string>>;
  /**
   * `@db.X(args)` on a field of the Prisma scalar `scalar` → the column type; undefined for one
   * not known, `{ problem }` for a scalar it does not fit or arguments Prisma refuses (each
   * provider's table of types, checked by `native-types.ts`). Absent: no native types at all.
   */
  nativeType?(name: string, args: string[], scalar: string): NativeTypeResult;
  /** An enum field's column type, given the enum (its database name and values). */
  enumColumn(e: EnumType): string;
  /** Enums are database types, created for every enum of the schema (used or not). */
  readonly enumTypes: boolean;
  /** Scalar lists (`String[]`) are array columns. */
  readonly lists: boolean;
  /** The datasource may list `extensions` (with the postgresqlExtensions preview feature). */
  readonly extensions: boolean;
  /** The longest identifier Prisma's default names may take, in bytes. */
  readonly identifierLimit: number;
  /** The default collation Prisma Migrate gives every table it creates (MySQL's utf8mb4_unicode_ci). */
  readonly tableCollation?: string;
  /**
   * Prisma's namespaces of constraint names (psl's constraint scopes): the kinds whose names are
   * unique over the whole schema, and those whose names are unique within a model.
   */
  readonly nameScopes: { readonly schema: readonly ConstraintKind[]; readonly model: readonly ConstraintKind[] };
  /** Primary keys can be given database names (`map:`). */
  readonly namedPrimaryKeys: boolean;
  /** Foreign keys can be given database names (`@relation(map:)`). */
  readonly namedForeignKeys: boolean;
  /**
   * `autoincrement()` needs the exact type INTEGER, and any single INTEGER key autoincrements
   * (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT).
   */
  readonly integerKeyAutoincrement: boolean;
  /** An implicit many-to-many table is keyed by a primary key (else by a unique index). */
  readonly joinTablePrimaryKey: boolean;
  /** `NoAction` is refused with relationMode = "prisma". */
  readonly emulatedNoActionRefused: boolean;
  /** Index types besides BTree, operator classes, and Prisma's checks of them. */
  readonly indexTypes: boolean;
  /** Keys and index keys may cover a prefix of a column (`length:`). */
  readonly indexPrefixes: boolean;
  /** `@@fulltext` indexes. */
  readonly fulltextIndexes: boolean;
  /** A partial index's predicate as Prisma writes it (PostgreSQL: in parentheses). Absent: no partial indexes. */
  partialPredicate?(predicate: string): string;
  /**
   * Prisma's complaint about a field used in a key or index (MySQL: a TEXT or BLOB column
   * without a prefix length); undefined when it has none.
   */
  keyFieldProblem?(field: { name: string; native?: string }, kind: 'id' | 'unique' | 'index' | 'fulltext', length: number | undefined): string | undefined;
  /** At most one autoincrement column per table, and it must lead the primary key or an index (MySQL's AUTO_INCREMENT). */
  readonly autoincrementKeyed?: boolean;
  /** Only a primary key of one column autoincrements (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT). */
  readonly autoincrementIdOnly?: boolean;
  /** A column name quoted as the database quotes it, in the expressions Prisma writes (partial-index predicates). */
  quoteIdentifier(name: string): string;
  /** A string literal as the database reads it, in the defaults Prisma writes. */
  quoteLiteral(value: string): string;
  /** A Bytes default, given as hex, as the text Prisma writes for it; undefined: Prisma writes no default. */
  bytesText(hex: string): string | undefined;
  /** Json fields take no literal default in the database (Prisma writes none). */
  readonly jsonDefaults: boolean;
  /** `@default(now())` on a column of this type; absent: `CURRENT_TIMESTAMP`. */
  nowDefault?(type: string): string;
  /**
   * A DateTime default (RFC 3339) on a column of this type, as the text to quote; absent:
   * Prisma's display of it (`2024-03-01 12:30:00 +00:00`). Undefined: not a date-time.
   */
  dateTimeText?(rfc3339: string, type: string): string | undefined;
}
