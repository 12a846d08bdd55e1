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
  /** `@db.X(args)` → the column type; undefined for one not known. Absent: no native types at all. */
  nativeType?(name: string, args: string[]): string | undefined;
  /** An enum field's column type, given the enum's database name. */
  enumColumn(name: string): string;
  /** Enums are database types, created for every enum of the schema (used or not). */
  readonly enumTypes: boolean;
  /** Scalar lists (`String[]`) are array columns. */
  readonly lists: boolean;
  /** The datasource may list `extensions` (with the postgresqlExtensions preview feature). */
  readonly extensions: boolean;
  /** The longest identifier Prisma's default names may take, in bytes. */
  readonly identifierLimit: number;
  /** Primary keys share the schema-wide namespace of index names. */
  readonly keysShareIndexNames: boolean;
  /** Primary keys and foreign keys can be given database names (`map:`). */
  readonly namedKeys: boolean;
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
  /** A partial index's predicate as Prisma writes it (PostgreSQL: in parentheses). */
  partialPredicate(predicate: string): string;
  /** A column name quoted as the database quotes it, in the expressions Prisma writes (partial-index predicates). */
  quoteIdentifier(name: string): string;
  /** A Bytes default, given as hex, as the text Prisma writes for it. */
  bytesText(hex: string): string;
}
