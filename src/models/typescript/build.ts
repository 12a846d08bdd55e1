/**
 * Entity descriptions → the neutral Schema, the way TypeORM's metadata builder and the chosen
 * driver would lay the tables out: inherited columns, join columns, junction tables, and every
 * generated name asked of the naming strategy where TypeORM asks it.
 */
import { MigratorError } from '../../errors.js';
import { emptyTable, tableShape, type Column, type EnumType, type ForeignKey, type Schema, type Table } from '../../schema/schema.js';
import type { ts } from 'ts-morph';
import { TYPEORM_SOURCE, type ColumnMeta, type EmbeddedMeta, type EntityMeta, type JoinColumnMeta, type RelationMeta } from './entities.js';
import type { NamingStrategy } from './naming.js';
import { compositeNumbered, frozenTimeDefault, junctionTableName, SHARED_TABLE_ADVICE, typeOrmCollation, typeOrmGenerated, type ColumnTypeInput, type DefaultFunctionResult, type TypeOrmDriver } from './drivers/index.js';
import { called, isKind, ModelError, ModelErrors, plain, text, where, type Evaluator } from './values.js';
import { NEWEST_TYPEORM, type TypeOrmRules } from './typeorm-version.js';

/** A column as built, with what relations copy from it. */
interface BuiltColumn {
  property: string;
  column: Column;
  /** What the driver built the type from: join columns take the same, under their own name. */
  input: ColumnTypeInput;
  /** The values of an enum column that SQLite checks with CHECK (column IN (...)). */
  enumCheck?: string[];
  /** The enum type a PostgreSQL enum column uses. */
  enumType?: EnumType;
  /** A join column declared as a column of its own whose type comes from the referenced column. */
  pending?: { node: ColumnMeta['node']; message: string };
}

interface BuiltEntity {
  meta: EntityMeta;
  table: Table;
  columns: BuiltColumn[];
  /** What the columns were built from, in the table's order (join columns aside). */
  columnMetas: ColumnMeta[];
  relations: RelationMeta[];
  /** The classes whose decorators make the table: the class chain, root first, then any single-table child classes. */
  members: EntityMeta[];
}

export interface BuildContext {
  driver: TypeOrmDriver;
  naming: NamingStrategy;
  ev: Evaluator;
  /**
   * Where a class stands in the order TypeORM registers entities (the model files as Node would
   * load them): of two relations that name one junction table, the earlier one's makes it.
   */
  registered?: (node: ts.Node) => number;
  /** The rules of the project's TypeORM version; the newest's when not given. */
  rules?: TypeOrmRules;
}

function defaultOf(col: ColumnMeta, array: boolean, ctx: BuildContext, type: string): string | undefined {
  const v = col.default;
  if (v === undefined || v === null) return undefined;
  // A bigint (`default: 0n`): every TypeORM driver writes its digits as they are.
  if (typeof v === 'bigint') return String(v);
  const returned = isKind(v, 'function') ? called(v, ctx.ev, col.node) : undefined;
  if (isKind(v, 'function') && returned !== null && typeof returned === 'object') {
    throw new ModelError(col.node, "a default function must return an SQL expression string, e.g. () => 'CURRENT_TIMESTAMP'");
  }
  const frozen = isKind(v, 'function') ? undefined : frozenTimeDefault(plain(v), type);
  if (frozen) throw new ModelError(col.node, frozen);
  try {
    if (isKind(v, 'function')) return ctx.driver.defaultFunction(returned as DefaultFunctionResult, ctx.rules ?? NEWEST_TYPEORM);
    return ctx.driver.defaultValue(plain(v), { array, type, scale: col.scale });
  } catch (error) {
    // The driver's rules know no file: the message gets the column's place.
    if (error instanceof MigratorError && !(error instanceof ModelError)) throw new ModelError(col.node, error.message);
    throw error;
  }
}

/**
 * The database names a `@renamedFrom` hint may stand for: the old name through the naming rules
 * (a property or class name, as the new one is mapped), and the old name as written (a database
 * name given by hand).
 */
function hintNames(...names: string[]): { renamedFrom: string[] } {
  return { renamedFrom: [...new Set(names)] };
}

/**
 * The type a column is declared with (the special columns' from the driver), the default and
 * precision they bring, and whether it is nullable before its options are read.
 */
function declaredType(col: ColumnMeta, driver: BuildContext['driver']): { type: string | undefined; def?: string; nullable: boolean; precision?: number } {
  const nullable = col.nullable ?? false;
  const special = (s: { type: string; default?: string; precision?: number }): { type: string; def?: string; nullable: boolean; precision?: number } => ({
    type: col.type ?? s.type,
    ...(s.default !== undefined ? { def: s.default } : {}),
    nullable,
    precision: col.precision ?? s.precision,
  });
  switch (col.kind) {
    case 'generated':
      return { type: col.type ?? (col.generation === 'uuid' ? 'uuid' : col.generation === 'rowid' ? 'int' : 'Number'), nullable, precision: col.precision };
    case 'createDate':
      return special(driver.special.createDate);
    case 'updateDate':
      return special(driver.special.updateDate);
    case 'deleteDate':
      return { ...special(driver.special.deleteDate), nullable: col.nullable ?? true };
    case 'version':
      return { type: driver.special.version.type, nullable, precision: col.precision };
    default:
      return { type: col.type ?? col.designType, nullable, precision: col.precision };
  }
}

/**
 * A column whose type cannot be told from its declaration: a relation's join column declared as
 * a column takes the referenced column's type (settled later); any other is an error.
 */
function untypedColumn(col: ColumnMeta, owner: EntityMeta, name: string, table: string, ctx: BuildContext, joinNames: ReadonlySet<string>, hint: Partial<Column>): BuiltColumn {
  const typeText = col.typeNode ? text(col.typeNode) : undefined;
  const seen = typeText ? ` \`${typeText}\`${/\b(null|undefined)\b/.test(typeText) ? ' (Object to TypeORM under strictNullChecks)' : ''}` : '';
  const from = col.typeFrom ? ` (it comes from '${col.typeFrom}', whose declarations cannot be found from here: install or build the project's dependencies)` : '';
  const message = `cannot tell the column type of ${owner.className}.${col.property} from its TypeScript type${seen}${from}; give one, e.g. @Column('varchar')`;
  return joinColumnTyped(col, name, table, ctx, joinNames, hint, message);
}

/**
 * A column whose own type cannot be built: a relation's join column takes the type of the column
 * it references, whatever it declares (TypeORM's RelationJoinColumnBuilder overrides it before the
 * type is checked), so it waits for the relation; any other is an error saying `message`.
 */
/** What the driver's type rules are given for a column: its options, and where it is. */
function typeInput(col: ColumnMeta, type: string, precision: number | undefined, table: string, column: string, ctx: BuildContext): ColumnTypeInput {
  return {
    type,
    length: col.length,
    precision,
    scale: col.scale,
    array: col.array,
    enum: col.enum,
    enumName: col.enumName,
    table,
    column,
    ...(col.spatialFeatureType !== undefined ? { spatialFeatureType: col.spatialFeatureType } : {}),
    ...(col.srid !== undefined ? { srid: col.srid } : {}),
    // TypeORM 0.3 writes a width in the type (`tinyint(1)`); 1.x has none.
    ...(col.width && (ctx.rules ?? NEWEST_TYPEORM).displayWidth ? { width: col.width } : {}),
  };
}

function joinColumnTyped(col: ColumnMeta, name: string, table: string, ctx: BuildContext, joinNames: ReadonlySet<string>, hint: Partial<Column>, message: string): BuiltColumn {
  if (!joinNames.has(name)) throw new ModelError(col.node, message);
  const input = typeInput(col, '', col.precision, table, name, ctx);
  const nullable = col.kind === 'primary' || col.kind === 'generated' ? false : col.default === null ? true : (col.nullable ?? false);
  const def = col.hasDefault ? defaultOf(col, !!col.array, ctx, '') : undefined;
  return {
    property: col.property,
    column: { name, type: '', nullable, ...(def !== undefined ? { default: def } : {}), ...(col.comment !== undefined ? { comment: col.comment } : {}), ...hint },
    input,
    pending: { node: col.node, message },
  };
}

/**
 * A column's ON UPDATE expression as TypeORM's driver writes it: the `onUpdate` option, which an
 * @UpdateDateColumn defaults to the update date's default. Drivers that leave it out of their SQL
 * refuse the option rather than drop it.
 */
function onUpdateOf(col: ColumnMeta, driver: BuildContext['driver'], owner: EntityMeta): string | undefined {
  if (!driver.onUpdate) {
    if (col.onUpdate) throw new ModelError(col.onUpdate.node, `onUpdate of ${owner.className}.${col.property} is MySQL's ON UPDATE clause, which TypeORM leaves out on ${driver.title}; remove it`);
    return undefined;
  }
  return col.onUpdate?.sql ?? (col.kind === 'updateDate' ? driver.special.updateDate.default : undefined);
}

/** A generated column (`asExpression`) as TypeORM's driver writes it (see typeOrmGenerated). */
function generatedOf(col: ColumnMeta, owner: EntityMeta, driver: BuildContext['driver'], nullable: boolean): { generated: string; virtual?: true; nullable: boolean } | undefined {
  const g = col.asExpression;
  if (!g) return undefined;
  const at = `${owner.className}.${col.property}`;
  const read = typeOrmGenerated(driver, g.sql, g.type, nullable);
  if ('problem' in read) throw new ModelError(g.node, `${at} ${read.problem}`);
  if (col.hasDefault || col.generation) throw new ModelError(g.node, `${at} is a generated column with a default or @Generated too; a generated column takes its values from asExpression alone`);
  return read;
}

/**
 * `@Generated('increment')` on a column that is not the primary key: a numbered column the
 * database must accept where it is. SQLite numbers only its primary key, MySQL only a key (a
 * column that is unique or leads an index); TypeORM's CREATE TABLE fails on any other, so the
 * model is refused.
 */
function numberedOutsideKey(col: ColumnMeta, owner: EntityMeta, driver: BuildContext['driver']): void {
  if (driver.increments === 'any column' || (driver.increments === 'a key' && (col.unique || leadsAnIndex(col, owner)))) return;
  const fix = driver.increments === 'a key' ? 'make it the primary column, unique, or the first column of an @Index' : 'make it the primary column';
  throw new ModelError(col.node, `@Generated('increment') on ${owner.className}.${col.property}, which is not ${driver.increments}: ${driver.title} numbers only ${driver.increments}, so TypeORM's CREATE TABLE would fail; ${fix}, or use @Generated('uuid')`);
}

/**
 * MySQL numbers one column per table, and only one that leads a key: TypeORM refuses a second
 * ("There can be only one auto-increment column in MySql table"), and its CREATE TABLE fails on a
 * numbered column behind another in the primary key that leads no index.
 */
function numberedKeys(meta: EntityMeta, columnMetas: readonly ColumnMeta[], columns: readonly BuiltColumn[], pk: readonly string[], title: string): void {
  const numbered = columnMetas.filter((c) => columns.find((b) => b.property === c.property)?.column.autoincrement);
  const shown = (c: ColumnMeta): string => `${meta.className}.${c.property}`;
  if (numbered.length > 1) throw new ModelError(numbered[1].node, `${shown(numbered[0])} and ${shown(numbered[1])} are both numbered by the database: ${title} numbers one column per table, and TypeORM refuses a second ("There can be only one auto-increment column"); keep one`);
  const [key] = numbered;
  if (!key || key.kind === 'column') return;
  const name = columns.find((b) => b.property === key.property)!.column.name;
  if (pk[0] === name || key.unique || leadsAnIndex(key, meta)) return;
  throw new ModelError(key.node, `${shown(key)} is numbered by the database behind ${pk[0]} in the primary key (${pk.join(', ')}), and leads no index: ${title} numbers only a column that leads a key, so the CREATE TABLE would fail (TypeORM's too); declare it first among the primary columns, or give it an @Index of its own`);
}

/** Whether an index or unique constraint of the entity (or a class it extends) starts with the column: a key to MySQL. */
function leadsAnIndex(col: ColumnMeta, owner: EntityMeta): boolean {
  const leads = (columns: readonly string[]): boolean => columns[0] === col.property || (col.name !== undefined && columns[0] === col.name);
  for (let m: EntityMeta | undefined = owner; m; m = m.base) {
    if (m.indexes.some((i) => i.synchronize !== false && leads(i.columns)) || m.uniques.some((u) => leads(u.columns))) return true;
  }
  return false;
}

function buildColumn(col: ColumnMeta, owner: EntityMeta, table: string, ctx: BuildContext, joinNames: ReadonlySet<string>): BuiltColumn {
  const { driver, naming } = ctx;
  const prefixes = col.prefixes ?? [];
  const name = naming.columnName(leafOf(col.property), col.name, prefixes);
  const hint = col.renamedFrom !== undefined ? hintNames(naming.columnName(col.renamedFrom, undefined, prefixes), col.renamedFrom) : {};
  const declared = declaredType(col, driver);
  const { type, precision } = declared;
  let { def, nullable } = declared;
  if (!type) return untypedColumn(col, owner, name, table, ctx, joinNames, hint);
  const input: ColumnTypeInput = {
    ...typeInput(col, type, precision, table, name, ctx),
    ...(col.generation ? { generation: col.generation } : {}),
    ...(col.unsigned ? { unsigned: true } : {}),
  };
  if (col.length !== undefined && col.length !== '' && col.length !== 0) {
    // As TypeORM's metadata validator: the type the column has, but for the length.
    const plain = driver.columnType({ ...input, length: undefined });
    const base = plain?.type.replace(/(\[\])+$/, '').replace(/\(.*$/, '').trim().toLowerCase();
    if (base !== undefined && !driver.lengthTypes.has(base)) throw new ModelError(col.node, `${owner.className}.${col.property} has a length, which its type ${base} does not take: TypeORM refuses it ("does not support length property"); remove length, or give a type that takes one (varchar)`);
  }
  const built = driver.columnType(input);
  if (!built) {
    const shown = ['Number', 'String', 'Boolean', 'Date', 'Buffer'].includes(type) ? `${type} (from the TypeScript type)` : `"${type}"`;
    return joinColumnTyped(col, name, table, ctx, joinNames, hint, `column type ${shown} of ${owner.className}.${col.property} is not supported on ${driver.name}`);
  }
  if (col.hasDefault) {
    if (col.default === null) nullable = true;
    def = defaultOf(col, !!col.array, ctx, type) ?? def;
  }
  // An explicit default stays, as TypeORM's driver writes it instead of the generated one.
  if (col.generation === 'uuid' && driver.uuid.default && def === undefined) def = driver.uuid.default;
  if (col.generation === 'increment' && col.kind === 'column') numberedOutsideKey(col, owner, driver);
  if ((col.generation === 'increment' || (col.generation === 'rowid' && driver.identity === 'identity')) && !driver.numbers.test(built.type)) {
    throw new ModelError(col.node, `${owner.className}.${col.property} is numbered by the database (@Generated('increment')), but its type is ${built.type}: ${driver.title} numbers only ${driver.numbersTitle}, so TypeORM's CREATE TABLE would fail; give it type: '${driver.name === 'mysql' ? 'int' : 'integer'}', or use @Generated('uuid')`);
  }
  if (col.kind === 'primary' || col.kind === 'generated') nullable = false;
  const identity = col.generation === 'identity' && driver.identity === 'identity';
  const onUpdate = onUpdateOf(col, driver, owner);
  const generation = generatedOf(col, owner, driver, nullable);
  const generated = generation?.generated;
  if (generation) nullable = generation.nullable;
  const collation = typeOrmCollation(driver, col.collation, col.charset);
  if ('problem' in collation) throw new ModelError(col.collationNode ?? col.node, `${owner.className}.${col.property} ${collation.problem}`);
  const column: Column = {
    name,
    type: built.type,
    nullable,
    ...(def !== undefined && generated === undefined ? { default: def } : {}),
    ...(generated !== undefined ? { generated } : {}),
    ...(generation?.virtual ? { virtual: true as const } : {}),
    ...(col.generation === 'increment' || (col.generation === 'rowid' && driver.identity === 'identity') ? { autoincrement: true } : {}),
    ...(identity ? { identity: col.generatedIdentity ?? 'by default' } : {}),
    ...(col.comment !== undefined ? { comment: col.comment } : {}),
    ...(onUpdate !== undefined ? { onUpdate } : {}),
    ...collation,
    ...hint,
  };
  return {
    property: col.property,
    column,
    input,
    ...(built.enumCheck ? { enumCheck: built.enumCheck } : {}),
    ...(built.enumType ? { enumType: built.enumType } : {}),
  };
}

/** The class chain of an entity, root first. */
function chainOf(meta: EntityMeta): EntityMeta[] {
  const out: EntityMeta[] = [];
  for (let m: EntityMeta | undefined = meta; m && out.length < 64; m = m.base) out.unshift(m);
  return out;
}

/**
 * The columns of an entity and the classes it extends, as TypeORM collects them: in declaration
 * order, root class first; a property declared again further down keeps the first declaration,
 * except that the entity's own truthy `default` replaces the inherited one.
 */
function inheritedColumns(chain: EntityMeta[], children: readonly EntityMeta[] = [], naming?: NamingStrategy): ColumnMeta[] {
  const own = chain[chain.length - 1];
  const out: ColumnMeta[] = [];
  for (const m of chain) {
    for (const c of m.columns) {
      if (out.some((x) => x.property === c.property)) continue;
      const override = m !== own ? own.columns.find((x) => x.property === c.property) : undefined;
      out.push(override?.default ? { ...c, default: override.default, hasDefault: true } : c);
    }
  }
  // Single-table inheritance: the child classes' columns, which other children's rows leave
  // empty, so nullable; then the discriminator column, unless a property already is it.
  for (const m of children) for (const c of m.columns) if (!out.some((x) => x.property === c.property)) out.push({ ...c, nullable: true });
  const discriminator = own.inheritance?.discriminator;
  if (discriminator && !out.some((x) => x.property === discriminator.property)) out.push(discriminator);
  if (naming) out.push(...treeColumns(chain, naming));
  // Then, as TypeORM lists them, the columns of each embedded property (the first declaration of
  // each), each class's before those it embeds in turn; in a single-table hierarchy the embedded
  // class's own columns are nullable, not those of the classes it embeds in turn (TypeORM marks
  // the embedded's columns alone).
  const embedded: EmbeddedMeta[] = [];
  for (const m of [...chain, ...children]) for (const e of m.embeddeds) if (!embedded.some((x) => x.property === e.property)) embedded.push(e);
  for (const e of embedded) {
    const inner = chainOf(e.meta);
    refuseInEmbedded(inner, `${own.className}.${e.property}`);
    for (const c of inheritedColumns(inner)) {
      out.push({ ...c, property: `${e.property}.${c.property}`, prefixes: [...e.prefix, ...(c.prefixes ?? [])], ...(own.inheritance && !c.prefixes?.length ? { nullable: true } : {}) });
    }
  }
  return out;
}

/**
 * What an embedded class may hold besides columns — relations, indexes, unique constraints,
 * checks — TypeORM names through the embedding; the static reader does not, and says so.
 */
function refuseInEmbedded(chain: EntityMeta[], embedding: string): void {
  for (const m of chain) {
    const what: [string, { node: ts.Node } | undefined][] = [
      ['a relation', m.relations[0]],
      ['an index', m.indexes[0]],
      ['a unique constraint', m.uniques[0]],
      ['a check', m.checks[0]],
    ];
    for (const [kind, found] of what) {
      if (found) throw new ModelError(found.node, `${kind} in ${m.className}, which ${embedding} embeds, is not read by migrator's static reader; move it to the entity, or let TypeORM itself read the entities: models: { typeorm: '<your DataSource file>' }`);
    }
  }
}

/**
 * The columns TypeORM adds for a tree declared on the entity itself, named by the naming
 * strategy's `materializedPathColumnName` (`mpath`) or `nestedSetColumnNames` (`nsleft`, `nsright`).
 */
function treeColumns(chain: EntityMeta[], naming: NamingStrategy): ColumnMeta[] {
  const tree = chain[chain.length - 1].tree;
  if (!tree || tree.kind === 'closure-table') return [];
  const column = (property: string, name: string, designType: 'String' | 'Number', nullable: boolean, value: string | number): ColumnMeta => ({
    property, name, kind: 'column', designType, nullable, hasDefault: true, default: value, node: tree.node,
  });
  const { left, right } = naming.nestedSetColumnNames;
  return tree.kind === 'materialized-path'
    ? [column('mpath', naming.materializedPathColumnName, 'String', true, '')]
    : [column(left, left, 'Number', false, 1), column(right, right, 'Number', false, 2)];
}

/** A property's own name: the last part of an embedded column's path (`address.city` → `city`). */
const leafOf = (property: string): string => property.slice(property.lastIndexOf('.') + 1);

/** Relations likewise: the first declaration of a property, pointing where the lowest one points. */
function inheritedRelations(chain: EntityMeta[]): RelationMeta[] {
  const out: RelationMeta[] = [];
  for (const m of chain) {
    for (const r of m.relations) {
      const i = out.findIndex((x) => x.property === r.property);
      if (i === -1) out.push(r);
      else out[i] = { ...out[i], target: r.target };
    }
  }
  return out;
}

/** Builds the schema TypeORM would build for these classes on `ctx.driver`. */
export function buildSchema(classes: EntityMeta[], ctx: BuildContext): Schema {
  const b = new SchemaBuilder(classes, ctx);
  b.entityTables();
  b.retypeJoinColumns();
  const joinColumnsOf = b.joinColumns();
  const junctions = new Map<string, { table: Table; site: RelationMeta; owner: ts.Node }>();
  for (const e of b.entities.values()) {
    const joins = joinColumnsOf.get(e)!;
    b.constraints(e, joins);
    for (const j of b.junctionTables(e)) {
      // Both sides of a many-to-many may name one @JoinTable: TypeORM creates the table once.
      const first = junctions.get(j.table.name);
      if (!first) junctions.set(j.table.name, { ...j, owner: e.meta.node });
      else if (tableShape(first.table) !== tableShape(j.table)) {
        throw new ModelError(j.site.node, `the junction table "${j.table.name}" of ${e.meta.className}.${j.site.property} is also the junction table of another relation, with other columns or keys (${where(first.site.node)}); give one of them another name, or @JoinTable on one side only`);
      } else if (ctx.registered && ctx.registered(e.meta.node) < ctx.registered(first.owner)) {
        // The same table with its columns in another order, or other actions on its foreign keys:
        // TypeORM creates it from the entity it registers first.
        junctions.set(j.table.name, { ...j, owner: e.meta.node });
      }
    }
  }
  // A junction table that is also an entity's table: TypeORM lists it twice and keeps one, whichever comes first.
  for (const e of b.entities.values()) {
    const j = e.meta.synchronize !== false ? junctions.get(e.table.name) : undefined;
    if (j) {
      throw new ModelError(j.site.node, `the junction table "${e.table.name}" of this relation is also the table of entity ${e.meta.className} (${where(e.meta.node)}); give the junction table another name (@JoinTable({ name })), leave the table to the entity with @JoinTable({ synchronize: false }), or drop @ManyToMany for two many-to-one relations through ${e.meta.className}`);
    }
  }
  const closures: Table[] = [];
  for (const e of b.entities.values()) {
    const closure = b.closureTable(e);
    if (!closure) continue;
    if (junctions.has(closure.name)) throw new ModelError(e.meta.tree!.node, `the closure table "${closure.name}" of ${e.meta.className} is also a junction table (${where(junctions.get(closure.name)!.site.node)}); give one of them another name`);
    closures.push(closure);
  }
  const extensions = b.extensions();
  const enumTypes = b.enumTypes();
  const namespace = namespaceOf([...b.entities.values()].map((e) => e.meta).filter((m) => m.synchronize !== false), ctx.driver);
  return {
    // An entity TypeORM does not synchronise has no table here (relations to it keep their keys).
    tables: [...[...b.entities.values()].filter((e) => e.meta.synchronize !== false).map((e) => e.table), ...[...junctions.values()].map((j) => j.table), ...closures],
    ...(enumTypes.length ? { enums: enumTypes } : {}),
    ...(extensions.length ? { extensions } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

/**
 * The one database schema the entities name (`@Entity({ schema })`), for migrator to check it
 * works in: every entity names it, or none does. Entities in several schemas, or some in a named
 * one and some in the connection's own (where TypeORM would put them), are an error.
 */
function namespaceOf(entities: EntityMeta[], driver: TypeOrmDriver): Schema['namespace'] {
  const named = entities.filter((m) => m.schema);
  if (named.length === 0) return undefined;
  const first = named[0];
  const { name, node } = first.schema!;
  if (!driver.dataSource.searchSchema) throw new ModelError(node, `@Entity({ schema }) puts ${first.className} in schema "${name}", and migrator reads a schema on PostgreSQL only; remove schema`);
  const other = named.find((m) => m.schema!.name !== name);
  if (other) {
    throw new ModelError(other.schema!.node, `${other.className} is in schema "${other.schema!.name}" and ${first.className} in "${name}" (${where(node)}); migrator works in one schema of a database — give the entities one schema, or keep each schema's entities in a project of its own (a config whose database URL ends in ?schema=<schema>)`);
  }
  const unnamed = entities.find((m) => !m.schema);
  if (unnamed) {
    throw new ModelError(unnamed.node, `${unnamed.className} names no schema, while ${first.className} is in schema "${name}" (${where(node)}); TypeORM would put them in two schemas — give every entity schema: '${name}', or none`);
  }
  return { name, source: where(node) };
}

/** The tables of entity classes, built in steps: tables and columns, join columns and keys, constraints, junction tables. */
class SchemaBuilder {
  readonly entities = new Map<ts.ClassLikeDeclaration, BuiltEntity>();
  /** Every column built, junction columns included: their types name extensions and enum types. */
  private readonly built: BuiltColumn[] = [];
  /** Extensions the columns' defaults need (uuid generation). */
  private readonly defaultExtensions = new Set<string>();
  /** Where each foreign key of a table (`table\u0000name`) is declared: two of one name are an error. */
  private readonly foreignKeyAt = new Map<string, ts.Node>();
  private readonly driver: TypeOrmDriver;
  private readonly naming: NamingStrategy;

  constructor(
    private readonly classes: EntityMeta[],
    private readonly ctx: BuildContext,
  ) {
    this.driver = ctx.driver;
    this.naming = ctx.naming;
  }

  /**
   * The @ChildEntity classes of each @TableInheritance entity, in the order the model files
   * declare them, each after the child classes it extends; every child class has its entity.
   */
  private readonly childrenOf = new Map<EntityMeta['node'], EntityMeta[]>();
  /** Where a child class's rows live: its @TableInheritance entity. */
  private readonly rootOf = new Map<EntityMeta['node'], EntityMeta>();

  private findChildren(): void {
    for (const c of this.classes) {
      if (!c.child) continue;
      const chain = chainOf(c);
      const at = chain.findLastIndex((m) => m.isEntity && m.inheritance);
      if (at === -1) throw new ModelError(c.child.node, `@ChildEntity ${c.className} extends no entity with @TableInheritance; extend the entity whose table its rows go to, or make it an @Entity`);
      const root = chain[at];
      const list = this.childrenOf.get(root.node) ?? [];
      for (const m of chain.slice(at + 1)) {
        if (!m.child) {
          if (m.columns.length || m.relations.length || m.embeddeds.length) {
            throw new ModelError(m.node, `${m.className}, between ${root.className} (@TableInheritance) and its child ${c.className}, is no @ChildEntity, and TypeORM leaves its columns out of the table; make it a @ChildEntity, or move its columns`);
          }
          continue;
        }
        if (!list.includes(m)) list.push(m);
        this.rootOf.set(m.node, root);
      }
      this.childrenOf.set(root.node, list);
    }
    // As TypeORM's validator: the rows of each class of one table are told apart by their value.
    for (const [node, children] of this.childrenOf) {
      const root = this.classes.find((c) => c.node === node)!;
      const seen = new Map<string | number, string>([[root.className, root.className]]);
      for (const c of children) {
        const other = seen.get(c.child!.value);
        if (other !== undefined) throw new ModelError(c.child!.node, `${c.className} and ${other} have the same discriminator value ${JSON.stringify(c.child!.value)}, which TypeORM refuses; give each @ChildEntity a value of its own`);
        seen.set(c.child!.value, c.className);
      }
    }
  }

  /** The classes whose decorators make an entity's table: its chain, then its child classes. */
  private membersOf(meta: EntityMeta): { chain: EntityMeta[]; children: EntityMeta[] } {
    return { chain: chainOf(meta), children: this.childrenOf.get(meta.node) ?? [] };
  }

  private metaOf(r: RelationMeta): EntityMeta | undefined {
    const { classes } = this;
    return r.target.node ? classes.find((c) => c.node === r.target.node) : classes.find((c) => c.isEntity && c.className === r.target.name);
  }

  /** The names of the join columns an entity's owning relations will have. */
  private joinNames(meta: EntityMeta): Set<string> {
    const { naming } = this;
    const out = new Set<string>();
    const { chain, children } = this.membersOf(meta);
    for (const r of inheritedRelations([...chain, ...children])) {
      if (!(r.kind === 'many-to-one' || (r.kind === 'one-to-one' && r.joinColumns))) continue;
      const specs = r.joinColumns ?? [];
      for (const s of specs) if (s.name) out.add(s.name);
      const target = this.metaOf(r);
      if (!target || specs.some((s) => s.name)) continue;
      const refs = specs.some((s) => s.referencedColumnName)
        ? specs.map((s) => s.referencedColumnName!)
        : inheritedColumns(chainOf(target)).filter((c) => c.kind === 'primary' || c.kind === 'generated').map((c) => leafOf(c.property));
      for (const p of refs) out.add(naming.joinColumnName(r.property, p));
    }
    return out;
  }

  /** A table per entity class, with its columns (inherited ones too) and primary key. */
  entityTables(): void {
    const { classes, ctx, driver, naming, entities, built } = this;
    const tableNames = new Map<string, EntityMeta>();
    this.findChildren();
    // Each entity whose columns cannot be built is named in one run, by its first such column.
    const problems: ModelError[] = [];
    for (const meta of classes.filter((c) => c.isEntity)) {
      if (entities.has(meta.node)) continue;
      const table = emptyTable(naming.tableName(meta.className, meta.tableName));
      // An entity with synchronize: false says nothing of its table: another may.
      const other = meta.synchronize !== false ? tableNames.get(table.name) : undefined;
      if (other) throw new ModelError(meta.node, `${meta.className} and ${other.className} both map to table "${table.name}"${SHARED_TABLE_ADVICE}`);
      if (meta.synchronize !== false) tableNames.set(table.name, meta);
      if (meta.comment !== undefined && (ctx.rules ?? NEWEST_TYPEORM).tableComments) table.comment = meta.comment;
      if (meta.renamedFrom !== undefined) Object.assign(table, hintNames(naming.tableName(meta.renamedFrom, undefined), meta.renamedFrom));
      const { chain, children } = this.membersOf(meta);
      const columnMetas = inheritedColumns(chain, children, naming);
      const discriminator = meta.inheritance?.discriminator;
      if (meta.inheritance && !discriminator) {
        throw new ModelError(meta.inheritance.node, `${meta.className} uses single-table inheritance without a discriminator column, which TypeORM refuses; name one, e.g. @TableInheritance({ column: { name: 'type', type: 'varchar' } })`);
      }
      if (discriminator && !discriminator.type && columnMetas.includes(discriminator)) {
        throw new ModelError(discriminator.node, `the discriminator column "${discriminator.property}" of ${meta.className} needs a type, e.g. column: { name: '${discriminator.property}', type: 'varchar' }`);
      }
      const joins = this.joinNames(meta);
      let columns: BuiltColumn[];
      try {
        columns = columnMetas.map((c) => buildColumn(c, meta, table.name, ctx, joins));
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        if (!problems.some((p) => p.message === e.message)) problems.push(e);
        continue;
      }
      const seen = new Map<string, string>();
      for (const c of columns) {
        const prev = seen.get(c.column.name);
        if (prev !== undefined) throw new ModelError(meta.node, `${meta.className}.${prev} and ${meta.className}.${c.property} both map to column "${c.column.name}"`);
        seen.set(c.column.name, c.property);
      }
      table.columns = columns.map((c) => c.column);
      built.push(...columns);
      const pkColumns = columnMetas.filter((c) => c.kind === 'primary' || c.kind === 'generated');
      // TypeORM's metadata validator throws MissingPrimaryColumnError for such an entity (a base
      // class's primary column counts): the table would serve no application.
      if (!pkColumns.length) {
        // A decorator of the project's own may make one when the app starts (Vendure's @PrimaryGeneratedId).
        const own = chain.flatMap((m) => m.ownDecorators).map((d) => `@${d.name} (${where(d.node)})`);
        const hint = own.length
          ? `; ${own.join(', ')} ${own.length > 1 ? 'are decorators' : 'is a decorator'} of the project's own that reach${own.length > 1 ? '' : 'es'} no TypeORM decorator migrator can see — if one makes the primary column when the app starts, declare the column with @PrimaryGeneratedColumn or @PrimaryColumn, or ${TYPEORM_SOURCE}`
          : '';
        throw new ModelError(meta.node, `entity ${meta.className} has no primary column, which TypeORM refuses ("does not have a primary column"); add one, e.g. @PrimaryGeneratedColumn() id: number, or @PrimaryColumn() on a column that identifies a row${hint}`);
      }
      const pk = pkColumns.map((c) => columns.find((b) => b.property === c.property)!.column.name);
      const pkName = pkColumns.find((c) => c.primaryKeyConstraintName)?.primaryKeyConstraintName;
      if (pk.length) table.primaryKey = { name: pkName ?? naming.primaryKeyName({ name: table.name }, pk), columns: pk };
      const numbered = pk.length > 1 && driver.increments === 'the primary key' ? columnMetas.find((c) => columns.find((b) => b.property === c.property)?.column.autoincrement) : undefined;
      if (numbered) throw new ModelError(numbered.node, compositeNumbered(`${meta.className}.${numbered.property}`, pk, driver.title));
      if (driver.increments === 'a key') numberedKeys(meta, columnMetas, columns, pk, driver.title);
      for (const c of columnMetas) {
        if (c.generation === 'uuid' && driver.uuid.extension) this.defaultExtensions.add(driver.uuid.extension);
      }
      entities.set(meta.node, { meta, table, columns, columnMetas, relations: inheritedRelations([...chain, ...children]), members: [...chain, ...children] });
    }
    if (problems.length === 1) throw problems[0];
    if (problems.length > 1) throw new ModelErrors(problems);
  }

  /** The entity a relation points to; an error when it is no entity of the model files. */
  private target(r: RelationMeta, owner: BuiltEntity): BuiltEntity {
    const { entities } = this;
    const root = r.target.node ? this.rootOf.get(r.target.node) : undefined;
    const byNode = r.target.node ? entities.get(root?.node ?? r.target.node) : undefined;
    if (byNode) return byNode;
    // A name given as a string may be a child class's, whose rows are in its entity's table.
    const childNamed = this.classes.find((c) => c.child && c.className === r.target.name);
    const byName = childNamed ? this.rootOf.get(childNamed.node)?.className : r.target.name;
    const named = [...entities.values()].filter((e) => e.meta.className === byName);
    if (named.length === 1 && !r.target.node) return named[0];
    const where = r.target.node ? ` (${r.target.node.getSourceFile().fileName})` : '';
    throw new ModelError(r.node, `${owner.meta.className}.${r.property} refers to ${r.target.name}${where}, which is not an @Entity class of the model files; add its file to "models"`);
  }

  /** The columns a relation references: the named one, or the primary key. */
  private referenced(t: BuiltEntity, refProperty: string | undefined, node: RelationMeta['node']): BuiltColumn[] {
    if (refProperty) {
      const c = t.columns.find((x) => x.property === refProperty) ?? t.columns.find((x) => x.column.name === refProperty);
      if (!c) throw new ModelError(node, `${t.meta.className} has no column "${refProperty}" to reference`);
      return [c];
    }
    const pk = t.table.primaryKey?.columns ?? [];
    if (!pk.length) throw new ModelError(node, `${t.meta.className} has no primary key to reference`);
    return pk.map((n) => t.columns.find((c) => c.column.name === n)!);
  }

  /** A column that takes the type of `from` (join columns, junction columns), as TypeORM builds it. */
  private copyColumn(from: BuiltColumn, table: string, name: string, nullable: boolean): BuiltColumn {
    const { driver } = this;
    const input = { ...from.input, table, column: name, reference: true };
    const result = driver.columnType(input)!;
    // TypeORM gives a join or junction column the referenced column's comment and collation.
    const column: Column = {
      name,
      type: result.type,
      nullable,
      ...(from.column.comment !== undefined ? { comment: from.column.comment } : {}),
      ...(from.column.collation !== undefined ? { collation: from.column.collation } : {}),
    };
    const out: BuiltColumn = { property: name, column, input };
    if (result.enumCheck) out.enumCheck = result.enumCheck;
    if (result.enumType) out.enumType = result.enumType;
    this.built.push(out);
    return out;
  }

  /** The referenced columns of an owning relation, and the join column name for each. */
  private joinPlan(e: BuiltEntity, r: RelationMeta): { t: BuiltEntity; specs: JoinColumnMeta[]; refs: BuiltColumn[]; names: string[] } {
    const { naming } = this;
    const t = this.target(r, e);
    const specs: JoinColumnMeta[] = r.joinColumns ?? [];
    let refs = !specs.some((s) => s.referencedColumnName) ? this.referenced(t, undefined, r.node) : specs.map((s) => this.referenced(t, s.referencedColumnName, r.node)[0]);
    // TypeORM 1.x orders composite join columns as the primary key they reference; 0.3 as declared.
    if (refs.length > 1 && !(this.ctx.rules ?? NEWEST_TYPEORM).joinColumnsAsDeclared) {
      const pk = t.table.primaryKey?.columns ?? [];
      const at = (c: BuiltColumn): number => (pk.includes(c.column.name) ? pk.indexOf(c.column.name) : Infinity);
      refs = [...refs].sort((a, b) => at(a) - at(b));
    }
    const names = refs.map((ref) => specs.find((s) => (!s.referencedColumnName || s.referencedColumnName === ref.property) && !!s.name)?.name ?? naming.joinColumnName(r.property, leafOf(ref.property)));
    return { t, specs, refs, names };
  }

  /** An entity's relations that hold the join columns: many-to-one, and one-to-one with @JoinColumn. */
  private owningRelations(e: BuiltEntity): RelationMeta[] {
    return e.relations.filter((r) => r.kind === 'many-to-one' || (r.kind === 'one-to-one' && r.joinColumns));
  }

  /**
   * A column declared under a join column's name takes the referenced column's type, as TypeORM
   * overrides it (its own length, precision and the rest stay). Repeated until settled, since a
   * referenced column may itself be such a column of another entity.
   */
  retypeJoinColumns(): void {
    const { driver, entities } = this;
    const retyped = new Set<BuiltColumn>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of entities.values()) {
        for (const r of this.owningRelations(e)) {
          const { refs, names } = this.joinPlan(e, r);
          refs.forEach((ref, i) => {
            const existing = e.columns.find((c) => c.column.name === names[i]);
            if (!existing || retyped.has(existing) || ref.pending) return;
            const input = { ...existing.input, type: ref.input.type };
            const result = driver.columnType(input);
            if (!result) throw new ModelError(existing.pending?.node ?? r.node, `column type "${ref.input.type}" of ${e.meta.className}.${existing.property} (from ${ref.property}, the column it joins) is not supported on ${driver.name}`);
            existing.input = input;
            existing.column.type = result.type;
            delete existing.enumCheck;
            delete existing.enumType;
            if (result.enumCheck) existing.enumCheck = result.enumCheck;
            if (result.enumType) existing.enumType = result.enumType;
            delete existing.pending;
            retyped.add(existing);
            changed = true;
          });
        }
      }
    }
    for (const e of entities.values()) {
      const left = e.columns.find((c) => c.pending);
      if (left?.pending) throw new ModelError(left.pending.node, left.pending.message);
    }
  }

  /**
   * The join columns of owning many-to-one / one-to-one sides, with their foreign keys; per
   * entity, the columns of each relation.
   */
  joinColumns(): Map<BuiltEntity, Map<string, string[]>> {
    const { naming, entities } = this;
    const joinColumnsOf = new Map<BuiltEntity, Map<string, string[]>>();
    for (const e of entities.values()) {
      const joins = new Map<string, string[]>();
      joinColumnsOf.set(e, joins);
      for (const r of this.owningRelations(e)) {
        const { t, specs, refs, names } = this.joinPlan(e, r);
        const cols: string[] = [];
        for (const [i, ref] of refs.entries()) {
          const joinName = names[i];
          // A column of the entity already named so is the join column (`@Column() customerId`).
          const existing = e.columns.find((c) => c.column.name === joinName);
          if (existing) {
            cols.push(existing.column.name);
            continue;
          }
          const name = naming.columnName(r.property, joinName, []);
          const column = this.copyColumn(ref, e.table.name, name, r.nullable !== false);
          // A join column named after its relation was named after the relation's old name.
          if (r.renamedFrom !== undefined && !specs.some((s) => s.name)) {
            Object.assign(column.column, hintNames(naming.columnName(r.property, naming.joinColumnName(r.renamedFrom, leafOf(ref.property)), [])));
          }
          // After the entity's own columns, before its embedded classes', where TypeORM lists them.
          const at = e.columns.findIndex((c) => c.property.includes('.'));
          e.columns.splice(at === -1 ? e.columns.length : at, 0, column);
          e.table.columns.splice(at === -1 ? e.table.columns.length : at, 0, column.column);
          cols.push(name);
        }
        joins.set(r.property, cols);
        if (r.createForeignKeyConstraints) {
          const refColumns = refs.map((x) => x.column.name);
          const fk: ForeignKey = {
            name: specs[0]?.foreignKeyConstraintName ?? naming.foreignKeyName(e.table.name, cols, t.table.name, refColumns),
            columns: cols,
            referencedTable: t.table.name,
            referencedColumns: refColumns,
            onDelete: r.onDelete ?? 'NO ACTION',
            onUpdate: r.onUpdate ?? 'NO ACTION',
          };
          // Two of one name (two relations through one join column, whose name hashes the table
          // and columns alone): TypeORM's CREATE TABLE fails on the second.
          const key = `${e.table.name}\u0000${fk.name}`;
          const other = this.foreignKeyAt.get(key);
          if (other) {
            throw new ModelError(
              r.node,
              `the foreign key ${fk.name} of ${e.meta.className}.${r.property} has the name of another foreign key of table "${e.table.name}" (${where(other)}), and TypeORM's synchronize fails on the second; give one of them @JoinColumn({ foreignKeyConstraintName }), or createForeignKeyConstraints: false`,
            );
          }
          this.foreignKeyAt.set(key, r.node);
          e.table.foreignKeys.push(fk);
        }
      }
    }
    return joinColumnsOf;
  }

  /** An entity's uniques (column `unique: true`, then @Unique, then one-to-one), checks and indexes. */
  constraints(e: BuiltEntity, joins: ReadonlyMap<string, string[]>): void {
    const { ctx, naming } = this;
    const columnsOf = (list: string[], node: EntityMeta['node'] | RelationMeta['node'], what: string): string[] =>
      list.flatMap((p) => {
        const col = e.columns.find((c) => c.property === p) ?? e.columns.find((c) => c.column.name === p);
        if (col) return [col.column.name];
        const join = joins.get(p);
        if (join) return join;
        throw new ModelError(node, `${what} names "${p}", which is not a column of ${e.meta.className}`);
      });
    const columnName = (c: ColumnMeta): string => e.columns.find((b) => b.property === c.property)!.column.name;
    // On MySQL TypeORM keeps a unique constraint as a unique index, named as an index.
    const uniqueName = (cols: string[]): string => (ctx.driver.uniqueIndexes ? naming.indexName(e.table.name, cols) : naming.uniqueConstraintName(e.table.name, cols));

    // Uniques: column `unique: true` first, then @Unique (reverse source order), then one-to-one,
    // then those of embedded classes.
    const uniqueColumns = e.columnMetas.filter((c) => c.unique);
    for (const c of uniqueColumns) {
      if (c.prefixes) continue;
      const cols = [columnName(c)];
      e.table.uniques.push({ name: uniqueName(cols), columns: cols });
    }
    for (const m of e.members) {
      for (const u of m.uniques) {
        const cols = columnsOf(u.columns, u.node, '@Unique');
        e.table.uniques.push({ name: u.name ?? uniqueName(cols), columns: cols });
      }
    }
    for (const r of e.relations) {
      if (r.kind !== 'one-to-one' || !r.joinColumns || !r.createForeignKeyConstraints) continue;
      const cols = joins.get(r.property)!;
      if (cols.every((c) => e.table.primaryKey?.columns.includes(c))) continue;
      e.table.uniques.push({ name: naming.relationConstraintName(e.table.name, cols), columns: cols });
    }
    // Last, an embedded class's unique columns: unique constraints of the embedding, which TypeORM
    // names as such on every driver (on MySQL too, where the entity's own become indexes).
    for (const c of uniqueColumns) {
      if (!c.prefixes) continue;
      const cols = [columnName(c)];
      e.table.uniques.push({ name: naming.uniqueConstraintName(e.table.name, cols), columns: cols });
    }
    for (const c of e.columns) {
      if (c.enumCheck) e.table.checks.push({ expression: ctx.driver.enumCheck(c.column.name, c.enumCheck) });
    }
    const indexAt = new Map<string, ts.Node>();
    for (const m of e.members) {
      for (const ch of m.checks) {
        // TypeORM's MySQL driver builds no @Check of TypeORM's.
        if (ch.typeorm && !ctx.driver.checks) continue;
        e.table.checks.push({ name: ch.name ?? naming.checkConstraintName(e.table.name, ch.expression), expression: ch.expression });
      }
      for (const i of m.indexes) {
        if (i.synchronize === false) {
          // TypeORM neither creates nor drops an index of this name; one without a name (which
          // TypeORM does not make up for it) leaves nothing alone.
          if (i.name) ((e.table.unmanaged ??= {}).indexes ??= []).push(i.name);
          continue;
        }
        const cols = columnsOf(i.columns, i.node, '@Index');
        const name = i.name ?? naming.indexName(e.table.name, cols, i.where);
        // A fulltext or spatial index is the driver's to write, or to refuse.
        const method = ctx.driver.dataSource.indexMethod({ name, columns: cols, unique: i.unique, spatial: !!i.spatial, fulltext: !!i.fulltext, type: i.type, parser: i.parser, synchronize: true });
        if ('problem' in method) throw new ModelError(i.node, `@Index ${name} ${method.problem}`);
        // Two of one name (an @Index on a relation and another on its column, say): TypeORM's CREATE INDEX fails on the second.
        const other = indexAt.get(name);
        if (other) throw new ModelError(i.node, `@Index ${name} on ${e.meta.className} has the name of another index of the table (${where(other)}), and TypeORM's synchronize fails on the second; remove one, or give it another name`);
        // On MySQL a unique column's index is named as an index: the same name as a plain @Index() on it.
        const unique = e.table.uniques.find((u) => u.name === name);
        if (unique) throw new ModelError(i.node, `@Index ${name} on ${e.meta.className} has the name of the table's unique index on (${unique.columns.join(', ')}), and TypeORM's synchronize fails on the second; remove the @Index (the unique one indexes the column already), or give it another name`);
        indexAt.set(name, i.node);
        const using = method.using && method.using !== 'btree' ? method.using : undefined;
        e.table.indexes.push({ name, columns: cols, unique: i.unique, ...(i.where && (ctx.driver.partialIndexes || !i.typeorm) ? { where: i.where } : {}), ...(using ? { using } : {}) });
      }
    }
    // Single-table inheritance: TypeORM indexes the discriminator column, unless an index of
    // that one column is declared — or it loses the index: with an embedded class anywhere in the
    // hierarchy (the root's chain or a child's), its list of indexes is a copy, which a generated
    // column has it compute again from the declared ones after the discriminator's was added
    // (0.3 and 1.x alike).
    const discriminator = e.meta.inheritance?.discriminator;
    const lost = e.members.some((m) => m.embeddeds.length > 0) && e.columnMetas.some((c) => c.generation !== undefined);
    if (discriminator && !lost) {
      const col = columnName(e.columnMetas.find((c) => c.property === discriminator.property)!);
      const declared = e.members.some((m) => m.indexes.some((i) => i.columns.length === 1 && i.columns[0] === col));
      if (!declared) e.table.indexes.push({ name: naming.indexName(e.table.name, [col]), columns: [col], unique: false });
    }
  }

  /**
   * A closure-table tree's closure table, as TypeORM's closure-junction builder makes it: the
   * ancestor and descendant of each pair, typed as the entity's primary key, each indexed and
   * referring to the entity with ON DELETE CASCADE.
   */
  closureTable(e: BuiltEntity): Table | undefined {
    const { naming } = this;
    const tree = e.meta.tree;
    if (tree?.kind !== 'closure-table') return undefined;
    const pk = e.columnMetas.filter((c) => c.kind === 'primary' || c.kind === 'generated');
    if (pk.length !== 1) throw new ModelError(tree.node, `${e.meta.className} is a closure-table tree over a primary key of ${pk.length} columns, which TypeORM's closure table does not refer to whole; give it a single primary column`);
    const ref = e.columns.find((b) => b.property === pk[0].property)!;
    const name = naming.closureJunctionTableName(tree.closureTableName ?? e.table.name);
    const [ancestor, descendant] = ['ancestor', 'descendant'].map((end) => this.copyColumn(ref, name, naming.columnName(`${leafOf(ref.property)}_${end}`, undefined, []), false));
    const table = emptyTable(name);
    // Named after an entity renamed by a hint, it had the name the old one gave: renamed with it.
    const olds = tree.closureTableName === undefined ? (e.table.renamedFrom ?? []).map((old) => naming.closureJunctionTableName(old)).filter((old) => old !== name) : [];
    if (olds.length) table.renamedFrom = olds;
    table.columns = [ancestor.column, descendant.column];
    const cols = table.columns.map((c) => c.name);
    table.primaryKey = { name: naming.primaryKeyName({ name }, cols), columns: cols };
    table.indexes = cols.map((c) => ({ name: naming.indexName(name, [c]), columns: [c], unique: false }));
    table.foreignKeys = cols.map((c) => ({
      name: naming.foreignKeyName(name, [c], e.table.name, [ref.column.name]),
      columns: [c],
      referencedTable: e.table.name,
      referencedColumns: [ref.column.name],
      onDelete: 'CASCADE',
      onUpdate: 'NO ACTION',
    }));
    return table;
  }

  /** The junction tables of an entity's owning many-to-many relations. */
  junctionTables(e: BuiltEntity): { table: Table; site: RelationMeta }[] {
    const { ctx, naming } = this;
    const junctions: { table: Table; site: RelationMeta }[] = [];
    for (const r of e.relations) {
      // A junction table with synchronize: false is TypeORM's to leave alone, and so migrator's.
      if (r.kind !== 'many-to-many' || !r.joinTable || r.joinTable.synchronize === false) continue;
      const t = this.target(r, e);
      const inverse = r.inverse ? t.relations.find((x) => x.property === r.inverse) : undefined;
      const inverseDefault = (ctx.rules ?? NEWEST_TYPEORM).inverseJunctionDefault;
      const jt = r.joinTable;
      const name = junctionTableName(ctx.driver, naming.tableName('', jt.name ?? naming.joinTableName(e.table.name, t.table.name, r.property, inverse?.property ?? '')));
      const ownerRefs = this.referenced(e, jt.joinColumn?.referencedColumnName, r.node);
      const inverseRefs = this.referenced(t, jt.inverseJoinColumn?.referencedColumnName, r.node);
      let ownerCols = ownerRefs.map((ref) => jt.joinColumn?.name ?? naming.joinTableColumnName(e.table.name, leafOf(ref.property), ref.column.name));
      let inverseCols = inverseRefs.map((ref) => jt.inverseJoinColumn?.name ?? naming.joinTableInverseColumnName(t.table.name, leafOf(ref.property), ref.column.name));
      if (ownerCols.some((c) => inverseCols.includes(c))) {
        ownerCols = ownerCols.map((c) => naming.joinTableColumnDuplicationPrefix(c, 1));
        inverseCols = inverseCols.map((c) => naming.joinTableColumnDuplicationPrefix(c, 2));
      }
      ownerCols = ownerCols.map((c) => naming.columnName(c, c, []));
      inverseCols = inverseCols.map((c) => naming.columnName(c, c, []));
      const columns = [...ownerRefs.map((ref, i) => this.copyColumn(ref, name, ownerCols[i], false)), ...inverseRefs.map((ref, i) => this.copyColumn(ref, name, inverseCols[i], false))];
      const junction = emptyTable(name);
      junction.columns = columns.map((b) => b.column);
      junction.primaryKey = { name: naming.primaryKeyName({ name }, [...ownerCols, ...inverseCols]), columns: [...ownerCols, ...inverseCols] };
      junction.indexes = [
        { name: naming.indexName(name, ownerCols), columns: ownerCols, unique: false },
        { name: naming.indexName(name, inverseCols), columns: inverseCols, unique: false },
      ];
      if (r.createForeignKeyConstraints) {
        junction.foreignKeys = [
          {
            name: jt.joinColumn?.foreignKeyConstraintName ?? naming.foreignKeyName(name, ownerCols, e.table.name, ownerRefs.map((x) => x.column.name)),
            columns: ownerCols,
            referencedTable: e.table.name,
            referencedColumns: ownerRefs.map((x) => x.column.name),
            onDelete: r.onDelete ?? 'CASCADE',
            onUpdate: r.onUpdate ?? 'CASCADE',
          },
          {
            name: jt.inverseJoinColumn?.foreignKeyConstraintName ?? naming.foreignKeyName(name, inverseCols, t.table.name, inverseRefs.map((x) => x.column.name)),
            columns: inverseCols,
            referencedTable: t.table.name,
            referencedColumns: inverseRefs.map((x) => x.column.name),
            // The inverse relation's actions; without them TypeORM 1.1.1 cascades, older versions do not.
            onDelete: inverse ? (inverse.onDelete ?? inverseDefault) : 'CASCADE',
            onUpdate: inverse ? (inverse.onUpdate ?? inverseDefault) : 'CASCADE',
          },
        ];
      }
      for (const b of columns) if (b.enumCheck) junction.checks.push({ expression: ctx.driver.enumCheck(b.column.name, b.enumCheck) });
      if (!jt.name) this.junctionHints(junction, e, t, r, inverse, ownerRefs, inverseRefs, jt);
      junctions.push({ table: junction, site: r });
    }
    return junctions;
  }

  /**
   * A junction table named after an entity renamed by a hint (`@renamedFrom`) had the name and
   * columns the old name gave: those are its hints, so the rename keeps its rows.
   */
  private junctionHints(
    junction: Table,
    e: BuiltEntity,
    t: BuiltEntity,
    r: RelationMeta,
    inverse: RelationMeta | undefined,
    ownerRefs: BuiltColumn[],
    inverseRefs: BuiltColumn[],
    jt: NonNullable<RelationMeta['joinTable']>,
  ): void {
    const { naming } = this;
    const [owner, target] = [e.table, t.table];
    if (!owner.renamedFrom?.length && !target.renamedFrom?.length) return;
    const names = new Set<string>();
    const columns = new Map<string, Set<string>>();
    const hint = (column: string, old: string): void => {
      if (old !== column) columns.set(column, (columns.get(column) ?? new Set()).add(old));
    };
    for (const ownerName of [owner.name, ...(owner.renamedFrom ?? [])]) {
      for (const targetName of [target.name, ...(target.renamedFrom ?? [])]) {
        if (ownerName === owner.name && targetName === target.name) continue;
        const old = junctionTableName(this.ctx.driver, naming.tableName('', naming.joinTableName(ownerName, targetName, r.property, inverse?.property ?? '')));
        if (old !== junction.name) names.add(old);
        const ownerCols = ownerRefs.map((ref) => jt.joinColumn?.name ?? naming.joinTableColumnName(ownerName, leafOf(ref.property), ref.column.name));
        const inverseCols = inverseRefs.map((ref) => jt.inverseJoinColumn?.name ?? naming.joinTableInverseColumnName(targetName, leafOf(ref.property), ref.column.name));
        if (ownerCols.some((c) => inverseCols.includes(c))) continue;
        [...ownerCols, ...inverseCols].forEach((c, i) => hint(junction.columns[i].name, naming.columnName(c, c, [])));
      }
    }
    if (names.size) junction.renamedFrom = [...names];
    for (const c of junction.columns) {
      const olds = columns.get(c.name);
      if (olds) c.renamedFrom = [...olds];
    }
  }

  /** The extensions the columns need, sorted. */
  extensions(): string[] {
    const { driver } = this;
    const extensions = new Set(this.defaultExtensions);
    for (const c of this.built) {
      const extension = driver.extensionOf(c.input.type);
      if (extension) extensions.add(extension);
    }
    return [...extensions].sort();
  }

  /** The enum types the columns use, sorted; one name declared with different values is an error. */
  enumTypes(): EnumType[] {
    const enumTypes = new Map<string, { type: EnumType; column: string }>();
    for (const c of this.built) {
      if (!c.enumType) continue;
      const column = `${c.input.table}.${c.input.column}`;
      const seen = enumTypes.get(c.enumType.name);
      if (seen && seen.type.values.join('\u0000') !== c.enumType.values.join('\u0000')) {
        throw new MigratorError(`enum type "${c.enumType.name}" of columns ${seen.column} and ${column} is declared twice with different values; give one of the columns another enumName`);
      }
      enumTypes.set(c.enumType.name, { type: c.enumType, column });
    }
    return [...enumTypes.values()].map((x) => x.type).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
