/**
 * A DataSource whose metadata TypeORM has built → the tables its `synchronize` would create on an
 * empty database, in TypeORM's own terms: the entities RdbmsSchemaBuilder synchronises, each as
 * `Table.create(metadata, driver)` with the names its query runner adds (the primary key, the
 * unique constraint of a `unique` column), and `TableForeignKey.create` for the foreign keys.
 * Runs in the child process, against the project's TypeORM; only plain data leaves it.
 */
import type { DescribedColumn, DescribedTable, Description } from './description.js';

/* The parts of TypeORM's objects read here (TypeORM is the project's, not a dependency). */

export interface TypeOrmColumnMetadata {
  propertyPath: string;
  databaseName: string;
  type: unknown;
  default?: unknown;
  isVirtualProperty?: boolean;
  entityMetadata: TypeOrmEntityMetadata;
}

export interface TypeOrmEntityMetadata {
  name: string;
  target: unknown;
  tableName: string;
  tableType: string;
  synchronize: boolean;
  /** A many-to-many junction table's (exempt from needing a primary column of its own). */
  isJunction: boolean;
  primaryColumns: TypeOrmColumnMetadata[];
  schema?: string;
  database?: string;
  comment?: string;
  columns: TypeOrmColumnMetadata[];
  generatedColumns: { generationStrategy?: string }[];
  exclusions: unknown[];
  indices: { synchronize: boolean; name?: string; where?: string; columns: { databaseName: string }[] }[];
  foreignKeys: { referencedEntityMetadata: TypeOrmEntityMetadata }[];
  manyToManyRelations: { isOwning: boolean; junctionEntityMetadata?: TypeOrmEntityMetadata }[];
  closureJunctionTable?: TypeOrmEntityMetadata;
}

interface TableColumn {
  name: string;
  type: string;
  length?: string;
  /** TypeORM 0.3's; 1.x has none. */
  width?: number;
  precision?: number | null;
  scale?: number | null;
  isArray?: boolean;
  isNullable: boolean;
  default?: string;
  isGenerated?: boolean;
  generationStrategy?: string;
  generatedIdentity?: string;
  isPrimary: boolean;
  unsigned?: boolean;
  isUnique: boolean;
  primaryKeyConstraintName?: string;
  comment?: string;
  collation?: string;
  charset?: string;
  onUpdate?: string;
  enum?: string[];
  enumName?: string;
  asExpression?: string;
  generatedType?: string;
  spatialFeatureType?: string;
  srid?: number;
  zerofill?: boolean;
}

interface Table {
  name: string;
  comment?: string;
  withoutRowid?: boolean;
  engine?: string;
  columns: TableColumn[];
  uniques: { name?: string; columnNames: string[]; deferrable?: string }[];
  checks: { name?: string; expression: string }[];
  exclusions: { name?: string; expression: string }[];
  indices: { name?: string; columnNames: string[]; isUnique: boolean; where?: string; isSpatial: boolean; isFulltext: boolean; parser?: string; type?: string }[];
}

interface TableForeignKey {
  name?: string;
  columnNames: string[];
  referencedColumnNames: string[];
  onDelete?: string;
  onUpdate?: string;
  deferrable?: string;
}

interface NamingStrategy {
  primaryKeyName(table: Table, columns: string[]): string;
  uniqueConstraintName(table: Table, columns: string[]): string;
  checkConstraintName(table: Table, expression: string): string;
  exclusionConstraintName(table: Table, expression: string): string;
  indexName(table: Table, columns: string[], where?: string): string;
  foreignKeyName(table: Table, columns: string[], referencedTable?: string, referencedColumns?: string[]): string;
}

export interface TypeOrmDriver {
  createFullType(column: TableColumn): string;
  spatialTypes?: string[];
  uuidGenerator?: string;
}

export interface BuiltDataSource {
  options: { type: string; installExtensions?: boolean; uuidExtension?: string; extensions?: string[] };
  driver: TypeOrmDriver;
  namingStrategy: NamingStrategy;
  entityMetadatas: TypeOrmEntityMetadata[];
}

export interface TypeOrmModule {
  Table: { create(metadata: TypeOrmEntityMetadata, driver: TypeOrmDriver): Table };
  TableForeignKey: { create(fk: unknown, driver: TypeOrmDriver): TableForeignKey };
}

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined && (v as unknown) !== '';

/** A default as TypeORM writes it, as text; a string one with its quotes doubled: TypeORM's own would not parse. */
function defaultOf(tc: TableColumn, cm: TypeOrmColumnMetadata): string | undefined {
  if (typeof cm.default === 'string' && tc.default === `'${cm.default}'`) return `'${cm.default.replace(/'/g, "''")}'`;
  // What a default function returned, written after DEFAULT as it is (`() => false`): as text.
  return tc.default === undefined || tc.default === null ? undefined : String(tc.default);
}

function describeColumn(tc: TableColumn, cm: TypeOrmColumnMetadata, driver: TypeOrmDriver): DescribedColumn {
  const out: DescribedColumn = {
    name: tc.name,
    property: cm.propertyPath || tc.name,
    type: tc.type,
    fullType: driver.createFullType(tc),
    ...(cm.type === 'uuid' ? { uuid: true as const } : {}),
    array: !!tc.isArray,
    nullable: tc.isNullable === true,
    primary: !!tc.isPrimary,
  };
  if (given(tc.length)) out.length = String(tc.length);
  if (tc.width) out.width = tc.width;
  if (given(tc.precision)) out.precision = tc.precision;
  if (given(tc.scale)) out.scale = tc.scale;
  if (tc.unsigned) out.unsigned = true;
  const def = defaultOf(tc, cm);
  if (def !== undefined) out.default = def;
  if (typeof cm.default === 'number') out.defaultNumber = cm.default;
  if (tc.isGenerated) out.generated = tc.generationStrategy ?? 'increment';
  if (tc.isGenerated && tc.generationStrategy === 'identity') out.identity = tc.generatedIdentity ?? 'BY DEFAULT';
  if (given(tc.primaryKeyConstraintName)) out.primaryKeyConstraintName = tc.primaryKeyConstraintName;
  if (given(tc.comment)) out.comment = tc.comment;
  if (given(tc.collation)) out.collation = tc.collation;
  if (given(tc.charset)) out.charset = tc.charset;
  if (given(tc.onUpdate)) out.onUpdate = tc.onUpdate;
  if (tc.enum) out.enum = tc.enum;
  if (given(tc.enumName)) out.enumName = tc.enumName;
  if (given(tc.asExpression)) out.asExpression = tc.asExpression;
  if (given(tc.generatedType)) out.generatedType = tc.generatedType;
  if (given(tc.spatialFeatureType)) out.spatialFeatureType = tc.spatialFeatureType;
  if (given(tc.srid)) out.srid = tc.srid;
  if (tc.zerofill) out.zerofill = true;
  return out;
}

function describeTable(metadata: TypeOrmEntityMetadata, owner: TypeOrmEntityMetadata, ds: BuiltDataSource, typeorm: TypeOrmModule): DescribedTable {
  const { driver, namingStrategy: ns } = ds;
  const table = typeorm.Table.create(metadata, driver);
  const columnMetadatas = metadata.columns.filter((c) => c && !c.isVirtualProperty); // as Table.create filters them
  const columns = table.columns.map((tc, i) => describeColumn(tc, columnMetadatas[i], driver));

  // What the query runner's createTableSql adds: a unique constraint for a `unique` column that
  // has none of its own, and the primary key's name.
  for (const tc of table.columns.filter((c) => c.isUnique)) {
    if (!table.uniques.some((u) => u.columnNames.length === 1 && u.columnNames[0] === tc.name)) {
      table.uniques.push({ name: ns.uniqueConstraintName(table, [tc.name]), columnNames: [tc.name] });
    }
  }
  const primary = table.columns.filter((c) => c.isPrimary);
  const pkColumns = primary.map((c) => c.name);

  const out: DescribedTable = {
    name: metadata.tableName,
    entity: owner.name,
    kind: metadata.tableType,
    withoutRowid: !!table.withoutRowid,
    ...(given(table.engine) ? { engine: table.engine } : {}),
    columns,
    uniques: table.uniques.map((u) => ({ name: u.name ?? ns.uniqueConstraintName(table, u.columnNames), columns: u.columnNames, ...(u.deferrable ? { deferrable: u.deferrable } : {}) })),
    checks: table.checks.map((c) => ({ name: c.name ?? ns.checkConstraintName(table, c.expression), expression: c.expression })),
    exclusions: table.exclusions.map((x) => ({ name: x.name ?? ns.exclusionConstraintName(table, x.expression), expression: x.expression })),
    indexes: [
      ...table.indices.map((ix) => ({
        name: ix.name ?? ns.indexName(table, ix.columnNames, ix.where),
        columns: ix.columnNames,
        unique: !!ix.isUnique,
        ...(ix.where ? { where: ix.where } : {}),
        spatial: !!ix.isSpatial,
        fulltext: !!ix.isFulltext,
        ...(typeof ix.parser === 'string' && ix.parser ? { parser: ix.parser } : {}),
        ...(typeof ix.type === 'string' ? { type: ix.type } : {}),
        synchronize: true,
      })),
      // TypeORM names such an index only by the name it was given, and leaves its columns unread.
      ...metadata.indices
        .filter((ix) => ix.synchronize === false && ix.name)
        .map((ix) => ({ name: ix.name!, columns: [], unique: false, spatial: false, fulltext: false, synchronize: false })),
    ],
    foreignKeys: metadata.foreignKeys.map((fk) => {
      const t = typeorm.TableForeignKey.create(fk, driver);
      return {
        name: t.name ?? ns.foreignKeyName(table, t.columnNames),
        columns: t.columnNames,
        referencedTable: fk.referencedEntityMetadata.tableName,
        referencedColumns: t.referencedColumnNames,
        ...(t.onDelete ? { onDelete: t.onDelete } : {}),
        ...(t.onUpdate ? { onUpdate: t.onUpdate } : {}),
        ...(t.deferrable ? { deferrable: t.deferrable } : {}),
      };
    }),
  };
  if (pkColumns.length) out.primaryKey = { name: primary[0].primaryKeyConstraintName ?? ns.primaryKeyName(table, pkColumns), columns: pkColumns };
  if (table.name !== metadata.tableName) out.namespace = table.name.slice(0, table.name.length - metadata.tableName.length - 1) || table.name;
  if (given(table.comment)) out.comment = table.comment;
  return out;
}

/**
 * The extensions a driver that installs them (PostgreSQL's checkMetadataForExtensions) would
 * install for these entities; whether the database has extensions at all is the driver rules'
 * call (`DataSourceRules.extensions`), made where the description becomes a schema.
 */
function extensionsOf(ds: BuiltDataSource): string[] {
  if (ds.options.installExtensions === false) return [];
  const all = ds.entityMetadatas;
  const hasType = (test: (type: unknown) => boolean): boolean => all.some((m) => m.columns.some((c) => test(c.type)));
  const out: string[] = [];
  if (all.some((m) => m.generatedColumns.some((c) => c.generationStrategy === 'uuid'))) out.push(ds.options.uuidExtension ?? 'uuid-ossp');
  if (hasType((t) => t === 'citext')) out.push('citext');
  if (hasType((t) => t === 'hstore')) out.push('hstore');
  if (hasType((t) => typeof t === 'string' && (ds.driver.spatialTypes ?? []).includes(t))) out.push('postgis');
  if (hasType((t) => t === 'cube')) out.push('cube');
  if (hasType((t) => t === 'ltree')) out.push('ltree');
  if (hasType((t) => t === 'vector' || t === 'halfvec')) out.push('vector');
  if (all.some((m) => m.exclusions.length > 0)) out.push('btree_gist');
  for (const e of ds.options.extensions ?? []) if (!out.includes(e)) out.push(e);
  return out;
}

/**
 * The tables of a DataSource whose metadata is built, in a stable order: entity tables by the
 * file that declares them (`origin`: file and position), EntitySchemas after them, then junction
 * and closure tables in their owners' order — the order the static reader gives the same files.
 */
export function describeDataSource(ds: BuiltDataSource, typeorm: TypeOrmModule, type: string, origin: (target: unknown) => [string, number] | undefined): Description {
  // RdbmsSchemaBuilder.entityToSyncMetadatas: single-table children live in their parent's table.
  const synced = ds.entityMetadatas.filter((m) => m.synchronize && m.tableType !== 'entity-child' && m.tableType !== 'view');
  const ownerOf = new Map<TypeOrmEntityMetadata, TypeOrmEntityMetadata>();
  for (const m of ds.entityMetadatas) {
    for (const r of m.manyToManyRelations) if (r.isOwning && r.junctionEntityMetadata) ownerOf.set(r.junctionEntityMetadata, m);
    if (m.closureJunctionTable) ownerOf.set(m.closureJunctionTable, m);
  }
  // When both sides of a many-to-many have a @JoinTable, the side TypeORM registers last points
  // both relations at its junction: the other's junction is owned by the entity its first
  // foreign key refers to.
  for (const m of ds.entityMetadatas) {
    const owner = m.tableType === 'junction' && !ownerOf.has(m) ? m.foreignKeys[0]?.referencedEntityMetadata : undefined;
    if (owner) ownerOf.set(m, owner);
  }
  const entities = synced.filter((m) => !ownerOf.has(m));
  const position = new Map(entities.map((m, i) => [m, i]));
  const key = (m: TypeOrmEntityMetadata): [number, string, number, number] => {
    const o = origin(m.target);
    return o ? [0, o[0], o[1], 0] : [1, '', 0, position.get(m)!];
  };
  const compare = (a: TypeOrmEntityMetadata, b: TypeOrmEntityMetadata): number => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  };
  entities.sort(compare);
  const order = new Map(entities.map((m, i) => [m, i]));
  const secondary = synced.filter((m) => ownerOf.has(m)).map((m, i) => ({ m, i, owner: order.get(ownerOf.get(m)!) ?? entities.length }));
  secondary.sort((a, b) => a.owner - b.owner || a.i - b.i);
  // Of two junction tables of one name (both sides of a many-to-many name it), TypeORM builds the
  // one it registered first, which is the first of them here too.
  const registered = new Map(ds.entityMetadatas.map((m, i) => [m, i]));
  const places = new Map<string, number[]>();
  secondary.forEach(({ m }, i) => places.set(m.tableName, [...(places.get(m.tableName) ?? []), i]));
  for (const at of places.values()) {
    const inTypeOrmOrder = at.map((i) => secondary[i]).sort((a, b) => registered.get(a.m)! - registered.get(b.m)!);
    at.forEach((i, k) => (secondary[i] = inTypeOrmOrder[k]));
  }

  const schema = (ds.options as { schema?: unknown }).schema;
  return {
    type,
    ...(typeof schema === 'string' && schema ? { schema } : {}),
    tables: [...entities.map((m) => describeTable(m, m, ds, typeorm)), ...secondary.map(({ m }) => describeTable(m, ownerOf.get(m)!, ds, typeorm))],
    views: ds.entityMetadatas.filter((m) => m.tableType === 'view' && m.synchronize).map((m) => m.name),
    viewTables: ds.entityMetadatas.filter((m) => m.tableType === 'view').map((m) => m.tableName),
    extensions: extensionsOf(ds),
    // The database function a driver generates uuid keys with (PostgreSQL's); others make them in JavaScript.
    ...(typeof ds.driver.uuidGenerator === 'string' && ds.driver.uuidGenerator ? { uuidGenerator: ds.driver.uuidGenerator } : {}),
  };
}
