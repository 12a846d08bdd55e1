/**
 * What the child process reports about a DataSource, and the messages it exchanges with
 * migrator: TypeORM's own view of the tables `synchronize` would create (its `Table.create` and
 * `TableForeignKey.create`, its driver's type and default spellings), as plain JSON.
 */

/** A column as TypeORM's `Table.create` builds it, with where it comes from for messages. */
export interface DescribedColumn {
  name: string;
  /** The entity property (`address.city` for an embedded column); the column name when it has none. */
  property: string;
  /** `driver.normalizeType(column)`: `integer`, `character varying`, `enum`, `varchar` … */
  type: string;
  /** `driver.createFullType(column)`, the type as TypeORM writes it in CREATE TABLE. */
  fullType: string;
  /** Declared `uuid` (a uuid key, or a column referring to one), which some drivers decide by the server's version. */
  uuid?: true;
  length?: string;
  /** TypeORM 0.3's `width` (a MySQL integer's display width); 1.x has none. */
  width?: number;
  precision?: number;
  scale?: number;
  array: boolean;
  nullable: boolean;
  /** The default as TypeORM writes it after DEFAULT (string defaults with their quotes doubled). */
  default?: string;
  /** The default as the entity gives it, where that is a number: some drivers round it as they write it. */
  defaultNumber?: number;
  generated?: string;
  /** `generatedIdentity` of an identity column: `ALWAYS` or `BY DEFAULT`. */
  identity?: string;
  primary: boolean;
  /** MySQL's UNSIGNED. */
  unsigned?: boolean;
  primaryKeyConstraintName?: string;
  comment?: string;
  collation?: string;
  charset?: string;
  /** `onUpdate` (an @UpdateDateColumn's is the update date's default, on every driver). */
  onUpdate?: string;
  enum?: string[];
  enumName?: string;
  /** A generated (computed) column's expression. */
  asExpression?: string;
  /** `STORED` or `VIRTUAL`, with asExpression. */
  generatedType?: string;
  /** MySQL's ZEROFILL. */
  zerofill?: boolean;
  spatialFeatureType?: string;
  srid?: number;
}

export interface DescribedIndex {
  name: string;
  columns: string[];
  unique: boolean;
  where?: string;
  spatial: boolean;
  fulltext: boolean;
  /** A fulltext index's parser (MySQL `WITH PARSER ngram`). */
  parser?: string;
  /** The index method (`USING …`) where one is given. */
  type?: string;
  /** false for `@Index({ synchronize: false })`: TypeORM leaves such an index alone. */
  synchronize: boolean;
}

export interface DescribedForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete?: string;
  onUpdate?: string;
  deferrable?: string;
}

export interface DescribedTable {
  name: string;
  /** The entity (class or EntitySchema name) the table is for; for junction tables, the owner's. */
  entity: string;
  /** TypeORM's tableType: `regular`, `junction`, `closure-junction` … */
  kind: string;
  /** The schema or database the table is put in when it is not the connection's own. */
  namespace?: string;
  comment?: string;
  withoutRowid: boolean;
  /** MySQL's storage engine (`@Entity({ engine })`), where the entity names one. */
  engine?: string;
  columns: DescribedColumn[];
  primaryKey?: { name: string; columns: string[] };
  uniques: { name: string; columns: string[]; deferrable?: string }[];
  checks: { name: string; expression: string }[];
  exclusions: { name: string; expression: string }[];
  indexes: DescribedIndex[];
  foreignKeys: DescribedForeignKey[];
}

export interface Description {
  /** The DataSource's `type` as written in the file. */
  type: string;
  /** The DataSource's own `schema` option (PostgreSQL), where the tables without a namespace go. */
  schema?: string;
  typeormVersion?: string;
  tables: DescribedTable[];
  /** @ViewEntity classes TypeORM would create views for. */
  views: string[];
  /** The names of the views of every @ViewEntity, those TypeORM leaves alone included. */
  viewTables?: string[];
  /** PostgreSQL extensions TypeORM installs on connecting (uuid-ossp, citext …), in its order. */
  extensions: string[];
  /** PostgreSQL: the default TypeORM gives a generated uuid column (`uuid_generate_v4()`, `gen_random_uuid()`). */
  uuidGenerator?: string;
}

/** What the child is asked to do (its one command-line argument, as JSON). */
export interface ChildRequest {
  /** The DataSource file, absolute. */
  file: string;
  /** The project's typeorm package entry (`…/node_modules/typeorm/index.js`). */
  typeorm: string;
  /** The target database's dialect: the DataSource's type must belong to it. */
  dialect: string;
  /** The config's naming strategy, when it has one: called back through the bridge. */
  naming?: { methods: string[]; properties: Record<string, unknown> };
}

/** Why the child could not describe the DataSource. */
export type ChildFailure =
  | { reason: 'load'; message: string; at?: string }
  | { reason: 'no-datasource'; exports: string[] }
  | { reason: 'several'; exports: string[] }
  | { reason: 'no-entities'; entities: string[] }
  | { reason: 'type'; type: string }
  | { reason: 'build'; message: string; at?: string }
  | { reason: 'naming' }
  | { reason: 'internal'; message: string };

/** A naming-strategy argument on the wire: undefined survives, a table travels as its name. */
export type WireValue = { u: 1 } | { v: unknown } | { table: string };

/** Child → migrator, one JSON object per line on file descriptor 3. */
export type ChildMessage =
  | { t: 'name'; method: string; args: WireValue[] }
  | { t: 'done'; description: Description }
  | { t: 'fail'; failure: ChildFailure };

/** A naming-strategy argument for the wire: TypeORM passes table names, column lists and Table objects. */
export function encodeArg(v: unknown): WireValue {
  if (v === undefined) return { u: 1 };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const name = (v as { name?: unknown }).name;
    return { table: typeof name === 'string' ? name : String(name) };
  }
  return { v };
}

/** The argument again; a table becomes `{ name }`, as the static reader passes it. */
export function decodeArg(w: WireValue): unknown {
  if ('u' in w) return undefined;
  if ('table' in w) return { name: w.table };
  return w.v;
}

/** migrator → child, one per `name` request, on file descriptor 4. */
export type NamingReply = { ok: true; value: unknown } | { ok: false };

/** File descriptors of the two channels in the child process. */
export const TO_PARENT_FD = 3;
export const FROM_PARENT_FD = 4;
