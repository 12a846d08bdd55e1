/**
 * Entity classes → entity descriptions: what each TypeORM-style decorator says, read from the
 * syntax tree. Decorators are recognised by where they come from — TypeORM's own, imported
 * directly or through the project's helpers and barrels — not by their names. Nothing is compiled
 * or run; TypeORM need not be installed.
 */
import type { ts } from 'ts-morph';
import { tsc } from './compiler-api.js';
import type { ForeignKeyAction } from '../../schema/schema.js';
import { UNDESCRIBED_OPTIONS, type DesignType } from './drivers/index.js';
import { packageName, SCHEMA_MODULE } from './project.js';
import {
  called,
  enumValuesOf,
  inversePropertyOf,
  isDecorator,
  isKind,
  isObject,
  ModelError,
  option,
  takenBranch,
  text,
  where,
  type DecoratorValue,
  type Evaluator,
  type Lazy,
  type ObjectValue,
  type Scope,
  type Value,
} from './values.js';

type Node = ts.Node;
type ClassLike = ts.ClassLikeDeclaration;
/** A member that holds a column or relation: a property, or an accessor (TypeORM registers both by name). */
type PropertyDeclaration = ts.PropertyDeclaration | ts.AccessorDeclaration;

/**
 * A member's type as `emitDecoratorMetadata` gives it: a property's; an accessor pair's, the
 * setter's parameter first, then the getter's return type, as TypeScript takes it.
 */
function memberTypeNode(member: PropertyDeclaration): ts.TypeNode | undefined {
  if (tsc.isPropertyDeclaration(member)) return member.type;
  const name = nameOf(member);
  const members: readonly ts.Node[] = tsc.isClassLike(member.parent) ? member.parent.members : [member];
  const pair = members.filter((m): m is ts.AccessorDeclaration => tsc.isAccessor(m) && nameOf(m) === name);
  return pair.find(tsc.isSetAccessorDeclaration)?.parameters[0]?.type ?? pair.find(tsc.isGetAccessorDeclaration)?.type;
}

export type ColumnKind = 'column' | 'primary' | 'generated' | 'createDate' | 'updateDate' | 'deleteDate' | 'version';

export interface ColumnMeta {
  property: string;
  kind: ColumnKind;
  name?: string;
  type?: string;
  designType?: DesignType;
  /** The property's TypeScript type as written, for messages. */
  typeNode?: ts.TypeNode;
  /** The package the property's type comes from, when its declarations cannot be found (for messages). */
  typeFrom?: string;
  length?: string | number;
  /** TypeORM 0.3's `width`: a MySQL integer's display width, which that version writes in the type. */
  width?: number;
  precision?: number;
  scale?: number;
  nullable?: boolean;
  /** The `default` option as evaluated (a function value for `() => 'now()'`); absent when not given. */
  default?: Value;
  hasDefault: boolean;
  unique?: boolean;
  enum?: string[];
  comment?: string;
  /** The `onUpdate` option (MySQL's ON UPDATE expression), and where it is written. */
  onUpdate?: { sql: string; node: Node };
  /** The `collation` and `charset` options, and where the options are written. */
  collation?: string;
  charset?: string;
  collationNode?: Node;
  generation?: 'increment' | 'uuid' | 'identity' | 'rowid';
  /** The `generated` option (`true`, or a strategy): as @Generated beside the decorator, and where it is written. */
  generatedOption?: { strategy: Value; node: Node };
  generatedIdentity?: 'always' | 'by default';
  /** PostGIS's `spatialFeatureType` (`Point`) and `srid` of a geometry or geography column. */
  spatialFeatureType?: string;
  srid?: number;
  /** `asExpression` (a generated column's expression), its `generatedType`, and where it is written. */
  asExpression?: { sql: string; type?: 'STORED' | 'VIRTUAL'; node: Node };
  array?: boolean;
  enumName?: string;
  /** `unsigned: true`: MySQL's UNSIGNED, which TypeORM's other drivers leave out. */
  unsigned?: boolean;
  primaryKeyConstraintName?: string;
  /** The old name a `@renamedFrom` JSDoc tag gives the property. */
  renamedFrom?: string;
  /**
   * For a column of an embedded class, as its entity holds it: the embedded properties' prefixes,
   * outermost first, which the naming strategy puts before its name (`property` is then the path,
   * `address.city`).
   */
  prefixes?: string[];
  node: Node;
}

/** A property whose columns are another class's: `@Column(() => Address, { prefix })`. */
export interface EmbeddedMeta {
  property: string;
  /** What the property puts before its columns' names: its name, the prefix given, or nothing. */
  prefix: string[];
  /** The embedded class, read as classes are: its columns, and the classes it extends and embeds. */
  meta: EntityMeta;
}

export interface JoinColumnMeta {
  name?: string;
  referencedColumnName?: string;
  foreignKeyConstraintName?: string;
}

/** The entity a relation points at: a class of the project, or a name given as a string. */
export interface RelationTarget {
  name: string;
  node?: ClassLike;
}

export interface RelationMeta {
  property: string;
  kind: 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many';
  target: RelationTarget;
  inverse?: string;
  onDelete?: ForeignKeyAction;
  onUpdate?: ForeignKeyAction;
  nullable?: boolean;
  createForeignKeyConstraints: boolean;
  /** The old name a `@renamedFrom` JSDoc tag gives the property: its join columns were named after it. */
  renamedFrom?: string;
  /** Present when the property has @JoinColumn (the owning side of a one-to-one). */
  joinColumns?: JoinColumnMeta[];
  /** Present when the property has @JoinTable (the owning side of a many-to-many). */
  joinTable?: { name?: string; joinColumn?: JoinColumnMeta; inverseJoinColumn?: JoinColumnMeta; /** false: TypeORM leaves the junction table alone. */ synchronize?: false };
  node: Node;
}

export interface CheckMeta {
  name?: string;
  expression: string;
  /** Declared with TypeORM's @Check (which TypeORM's MySQL driver never builds), not migrator's. */
  typeorm: boolean;
  node: Node;
}

export interface IndexMeta {
  /** Declared with TypeORM's @Index (whose `where` TypeORM's MySQL driver leaves out), not migrator's. */
  typeorm: boolean;
  name?: string;
  /** Property names (or column names) as given. */
  columns: string[];
  unique: boolean;
  where?: string;
  /** `fulltext: true` / `spatial: true`: the index kinds some databases have (MySQL). */
  fulltext?: boolean;
  spatial?: boolean;
  /** `type`: the index method (`gin`, `hash` …) on the databases whose TypeORM driver writes one. */
  type?: string;
  /** `parser`: a MySQL fulltext index's parser. */
  parser?: string;
  /** `synchronize: false`: TypeORM leaves an index of this name alone, and so does migrator. */
  synchronize?: false;
  node: Node;
}

export interface EntityMeta {
  className: string;
  tableName?: string;
  /** `@Entity({ schema })`: the database schema (PostgreSQL) the table is put in. */
  schema?: { name: string; node: Node };
  comment?: string;
  columns: ColumnMeta[];
  relations: RelationMeta[];
  embeddeds: EmbeddedMeta[];
  indexes: IndexMeta[];
  uniques: { name?: string; columns: string[]; node: Node }[];
  checks: CheckMeta[];
  node: ClassLike;
  /**
   * The project's own decorators on its properties that reach no TypeORM decorator, and so leave
   * the schema alone as far as can be seen: named when a column is found missing.
   */
  ownDecorators: { name: string; node: Node }[];
  /** The class it extends, read the same way; undefined at the root (or TypeORM's BaseEntity). */
  base?: EntityMeta;
  isEntity: boolean;
  /**
   * `@Entity({ synchronize: false })`: an entity whose table TypeORM leaves alone. It has no table
   * in the models, and relations may still point at it.
   */
  synchronize?: false;
  /**
   * `@TableInheritance`: the entity's table holds the columns of its @ChildEntity classes too
   * (single-table inheritance), and the discriminator column when one is given.
   */
  inheritance?: { discriminator?: ColumnMeta; node: Node };
  /**
   * `@ChildEntity(value?)`: a class whose rows live in the table of the @TableInheritance entity it
   * extends, told apart by the value in the discriminator column (the class name unless given).
   */
  child?: { value: string | number; node: Node };
  /** `@Tree(kind)`: the columns a materialized path or a nested set keeps in the entity's table. */
  tree?: { kind: 'materialized-path' | 'nested-set' | 'closure-table'; closureTableName?: string; node: Node };
  /** The old name a `@renamedFrom` JSDoc tag gives the class. */
  renamedFrom?: string;
}

const COLUMN_DECORATORS: Record<string, ColumnKind> = {
  Column: 'column',
  PrimaryColumn: 'primary',
  PrimaryGeneratedColumn: 'generated',
  CreateDateColumn: 'createDate',
  UpdateDateColumn: 'updateDate',
  DeleteDateColumn: 'deleteDate',
  VersionColumn: 'version',
};
const RELATION_DECORATORS: Record<string, RelationMeta['kind']> = {
  ManyToOne: 'many-to-one',
  OneToOne: 'one-to-one',
  OneToMany: 'one-to-many',
  ManyToMany: 'many-to-many',
};
/** Decorators with no schema meaning: entity listeners, computed relation ids, repositories (TypeORM 0.2's `@EntityRepository`). */
const NO_SCHEMA = new Set([
  'AfterLoad', 'BeforeInsert', 'AfterInsert', 'BeforeUpdate', 'AfterUpdate', 'BeforeRemove', 'AfterRemove', 'BeforeSoftRemove',
  'AfterSoftRemove', 'BeforeRecover', 'AfterRecover', 'RelationId', 'RelationCount', 'VirtualColumn', 'EventSubscriber', 'EntityRepository',
]);
/** TypeORM decorators the static reader leaves to TypeORM itself: an error, never silently skipped. */
const TYPEORM_ONLY = new Set([
  'ViewEntity', 'ViewColumn', 'TreeLevelColumn',
  'ObjectIdColumn', 'Exclusion', 'ForeignKey',
]);
const PLACE: Record<string, 'class' | 'property' | 'both'> = {
  Entity: 'class', Index: 'both', Unique: 'both', Check: 'both', JoinColumn: 'property', JoinTable: 'property', Generated: 'property',
  TableInheritance: 'class', ChildEntity: 'class', Tree: 'class', TreeParent: 'property', TreeChildren: 'property',
};


/**
 * Validation, serialisation and API-description libraries: their decorators never change the
 * database, so they are left alone — the only decorators that are.
 */
export const LEFT_ALONE_MODULES = new Set([
  'class-validator', 'class-transformer', 'class-validator-jsonschema', '@nestjs/class-validator', '@nestjs/class-transformer',
  '@nestjs/swagger', '@nestjs/graphql', '@nestjs/mapped-types', 'type-graphql', '@ptc-org/nestjs-query-graphql',
  '@nestjs-query/query-graphql', 'tsoa', 'routing-controllers-openapi', 'joiful', 'serializr', 'typesense-decorators',
  // Another ORM's metadata, which TypeORM never reads (entities mapped for both, as Ever Gauzy's).
  '@mikro-orm/core', '@mikro-orm/decorators',
]);

/**
 * Whether a decorator of a package is one that never touches TypeORM's metadata: those of the
 * packages above, and NestJS's own but `applyDecorators` (its dependency-injection `@Optional`,
 * `@Inject` …), which the reader follows.
 */
function leftAlone(module: string, name: string): boolean {
  const pkg = packageName(module);
  return LEFT_ALONE_MODULES.has(pkg) || (pkg === '@nestjs/common' && name !== 'applyDecorators');
}

const COLUMN_OPTIONS = new Set([
  'type', 'name', 'length', 'precision', 'scale', 'nullable', 'default', 'unique', 'enum', 'enumName', 'comment', 'primary', 'array',
  'generatedIdentity', 'primaryKeyConstraintName', 'onUpdate', 'unsigned', 'width', 'foreignKeyConstraintName', 'collation', 'charset', 'generated',
  'asExpression', 'generatedType', 'spatialFeatureType', 'srid',
]);
// How values are read and written (`utc`: a date column's values in UTC; `hstoreType`: an hstore
// as an object or text), never what the database holds.
const RUNTIME_OPTIONS = new Set(['select', 'insert', 'update', 'transformer', 'readonly', 'eager', 'cascade', 'lazy', 'persistence', 'orphanedRowAction', 'utc', 'hstoreType']);
const RELATION_OPTIONS = new Set(['onDelete', 'onUpdate', 'nullable', 'createForeignKeyConstraints']);
const FK_ACTIONS = new Set(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);
const CONSTRUCTOR_TYPES = new Set(['String', 'Number', 'Boolean', 'Date', 'Buffer']);

export const TYPEORM_SOURCE = "let TypeORM itself read the entities: models: { typeorm: '<your DataSource file>' }";

/** One TypeORM decorator as applied to a class or property. */
interface DecoratorCall {
  name: string;
  args: Lazy[];
  /** Where the decorator is written on the entity, and the helper calls it came through. */
  node: Node;
  via: Node[];
  /** The module it comes from: TypeORM's (`typeorm`, `@n8n/typeorm`) or migrator's own decorators. */
  module: string;
}

/** Whether a decorator is TypeORM's, whose drivers' quirks the schema follows, rather than migrator's own. */
const byTypeOrm = (call: DecoratorCall): boolean => /^(typeorm|@n8n\/typeorm)(\/|$)/.test(call.module);

const moduleOf = (v: Value): string | undefined => (isKind(v, 'external') || isDecorator(v) ? v.module : undefined);

/** The names of members named by a computed key (`[KEY]`, `['total']`), as the reader evaluated them. */
const computedNames = new WeakMap<ts.Node, string>();

/** A property's or class's name as written (a computed key as it evaluates). */
export function nameOf(decl: ClassLike | PropertyDeclaration | ts.MethodDeclaration | ts.AccessorDeclaration): string {
  const n = decl.name;
  if (!n) return '';
  if (tsc.isComputedPropertyName(n)) {
    const e = n.expression;
    return computedNames.get(decl) ?? (tsc.isStringLiteralLike(e) || tsc.isNumericLiteral(e) ? e.text : text(n));
  }
  return tsc.isIdentifier(n) || tsc.isStringLiteral(n) || tsc.isPrivateIdentifier(n) || tsc.isNumericLiteral(n) ? n.text : text(n);
}

export function decoratorsOf(decl: ts.HasDecorators): readonly ts.Decorator[] {
  return tsc.getDecorators(decl) ?? [];
}

/**
 * The old name a `@renamedFrom <old name>` JSDoc tag gives a class or property: a hint for rename
 * detection, written in the same change as the rename.
 */
export function renamedFromTag(decl: Node): string | undefined {
  const tags = tsc.getJSDocTags(decl).filter((t) => t.tagName.text === 'renamedFrom');
  if (tags.length === 0) return undefined;
  if (tags.length > 1) throw new ModelError(tags[1], 'one @renamedFrom tag is enough: it names the old name');
  const name = (tsc.getTextOfJSDocComment(tags[0].comment) ?? '').trim().split(/\s+/)[0];
  if (!name) throw new ModelError(tags[0], '@renamedFrom needs the old name, e.g. @renamedFrom authorName');
  return name;
}

/**
 * Every option TypeORM's column decorators have, in 0.3 and 1.x: a key that is none of them is
 * one TypeORM ignores (a project's own flag, such as Ever Gauzy's `relationId`), and so does the reader.
 */
const TYPEORM_COLUMN_OPTIONS = new Set([
  ...COLUMN_OPTIONS, ...RUNTIME_OPTIONS, 'asExpression', 'generatedType', 'generated', 'query', 'prefix', 'spatialFeatureType', 'srid', 'zerofill', 'update', 'insert', 'select',
]);

/** The options TypeORM's @Entity and relation decorators have (0.3 and 1.x): others it ignores. */
const TYPEORM_ENTITY_OPTIONS = new Set(['name', 'database', 'schema', 'engine', 'synchronize', 'orderBy', 'withoutRowid', 'comment']);
const TYPEORM_RELATION_OPTIONS = new Set([
  'cascade', 'createForeignKeyConstraints', 'deferrable', 'eager', 'lazy', 'nullable', 'onDelete', 'onUpdate', 'orphanedRowAction', 'persistence',
]);

/**
 * Refuses an option the reader does not read, unless TypeORM has no such option (`known`: the
 * options TypeORM has for the decorator; without it, every key is one).
 */
function checkOptions(obj: ObjectValue | undefined, allowed: Set<string>, decorator: string, known?: Set<string>): void {
  if (!obj) return;
  for (const [key, lazy] of obj.props) {
    if (known && !known.has(key)) continue;
    if (!allowed.has(key) && !RUNTIME_OPTIONS.has(key)) {
      if (Object.hasOwn(UNDESCRIBED_OPTIONS, key)) throw new ModelError(lazy.node, `option "${key}" of @${decorator} ${UNDESCRIBED_OPTIONS[key as keyof typeof UNDESCRIBED_OPTIONS]}`);
      throw new ModelError(lazy.node, `option "${key}" of @${decorator} is not read by migrator's static reader (it would change the schema); ${TYPEORM_SOURCE}`);
    }
  }
}

function str(v: Value, node: Node, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ModelError(node, `${what} must be a string`);
  return v;
}

function num(v: Value, node: Node, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ModelError(node, `${what} must be a number`);
  return v;
}

function bool(v: Value, node: Node, what: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ModelError(node, `${what} must be true or false`);
  return v;
}

function strings(v: Value, node: Node, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    throw new ModelError(node, `${what} must be an array of names, e.g. ['firstName', 'lastName']`);
  }
  return v;
}

function action(v: Value, node: Node): ForeignKeyAction | undefined {
  const s = str(v, node, 'onDelete/onUpdate');
  if (s === undefined) return undefined;
  if (!FK_ACTIONS.has(s)) throw new ModelError(node, `"${s}" is not a foreign-key action; use ${[...FK_ACTIONS].join(', ')}`);
  return s as ForeignKeyAction;
}

/** The class a value names: `() => Customer`, `Customer`, or the string 'Customer'. */
function relationTarget(v: Value, ev: Evaluator, node: Node): RelationTarget {
  const target = called(v, ev, node);
  if (typeof target === 'string') return { name: target };
  if (isKind(target, 'class')) return { name: target.name, node: target.node };
  throw new ModelError(node, 'expected the related entity, e.g. () => Customer');
}

/**
 * The list a statement of a decorator's body applies one by one, each to the decorator's own
 * arguments: `list.forEach((d) => d(target, key))` or `for (const d of list) d(target, key)`;
 * undefined for any other statement.
 */
function appliedInTurn(st: ts.Node): ts.Expression | undefined {
  /** Whether `body` is nothing but a call of `name`. */
  const callsOnly = (body: ts.Node, name: string): boolean => {
    if (tsc.isBlock(body)) return body.statements.length === 1 && callsOnly(body.statements[0], name);
    const e = tsc.isExpressionStatement(body) ? body.expression : body;
    return tsc.isCallExpression(e) && tsc.isIdentifier(e.expression) && e.expression.text === name;
  };
  if (tsc.isForOfStatement(st) && tsc.isVariableDeclarationList(st.initializer) && st.initializer.declarations.length === 1) {
    const name = st.initializer.declarations[0].name;
    return tsc.isIdentifier(name) && callsOnly(st.statement, name.text) ? st.expression : undefined;
  }
  const e = tsc.isExpressionStatement(st) ? st.expression : st;
  if (!tsc.isCallExpression(e) || !tsc.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'forEach' || e.arguments.length !== 1) return undefined;
  const fn = e.arguments[0];
  if (!tsc.isArrowFunction(fn) && !tsc.isFunctionExpression(fn)) return undefined;
  const param = fn.parameters[0]?.name;
  return param && tsc.isIdentifier(param) && callsOnly(fn.body, param.text) ? e.expression.expression : undefined;
}

/** A module variable a decorator records into, and the code that reads it (or its export). */
interface Recorded {
  state: ts.VariableDeclaration;
  reader: Node;
}

/** Reads entity classes: their decorators, resolved through the project's files. */
export class EntityReader {
  private readonly metas = new WeakMap<ClassLike, EntityMeta>();
  private readonly schemaFree = new WeakMap<Node, boolean>();
  private readonly recorded = new WeakMap<Node, Recorded | null>();

  /**
   * Class decorators a file applies by a call after the class (`Index(['a', 'b'])(Thing)`, as
   * n8n writes some), which TypeORM registers as it registers `@Index` on the class.
   */
  private readonly appliedAfter = new Map<ClassLike, DecoratorCall[]>();

  constructor(private readonly ev: Evaluator) {}

  /**
   * Entity classes the static reader cannot see: a class with TypeORM decorators declared inside
   * a function or written as an expression (a factory that makes one table per call). An error
   * for each, never a table silently missing.
   */
  checkNestedClasses(sf: ts.SourceFile, scope: Scope): void {
    // Most files hold top-level classes only: no more `class` words than those, nothing to walk.
    const topLevel = sf.statements.filter((st) => tsc.isClassDeclaration(st)).length;
    if ((sf.text.match(/\bclass\b/g) ?? []).length <= topLevel) return;
    const isTypeorm = (d: ts.Decorator): boolean => {
      const e = tsc.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      try {
        const v = this.ev.evaluate(e, scope);
        return isKind(v, 'external') && SCHEMA_MODULE.test(v.module);
      } catch {
        return false;
      }
    };
    const visit = (node: ts.Node): void => {
      if ((tsc.isClassDeclaration(node) || tsc.isClassExpression(node)) && node.parent !== sf) {
        const onClass = [...decoratorsOf(node)].some(isTypeorm);
        const onMembers = node.members.some((m) => tsc.canHaveDecorators(m) && [...decoratorsOf(m)].some(isTypeorm));
        // A mixin (a function returning a class of columns, which an entity extends) makes no
        // table itself: an entity that extends it is read through it.
        if (onClass || (onMembers && !returnedByItsFunction(node))) {
          throw new ModelError(
            node,
            `${node.name ? `class ${node.name.text}` : 'a class'} has TypeORM decorators but is made inside a function or an expression, where the static reader does not read classes (each call could make a table of its own); declare the entity at the top of its file, or ${TYPEORM_SOURCE}`,
          );
        }
      }
      tsc.forEachChild(node, visit);
    };
    tsc.forEachChild(sf, (n) => (tsc.isClassDeclaration(n) ? tsc.forEachChild(n, visit) : visit(n)));
  }

  /** The class decorators that can be applied by a call, and read as if written on the class. */
  private static readonly APPLIED_BY_CALL = new Set(['Index', 'Unique', 'Check']);

  /**
   * Reads the statements of a file that apply a TypeORM decorator by a call rather than with `@`:
   * an index, unique or check applied to a class is taken as written on it; anything else (a
   * column applied to `Thing.prototype`, …) is an error, never left out.
   */
  readAppliedDecorators(sf: ts.SourceFile, scope: Scope): void {
    for (const st of sf.statements) {
      if (!tsc.isExpressionStatement(st)) continue;
      let e: ts.Expression = st.expression;
      while (tsc.isParenthesizedExpression(e) || tsc.isVoidExpression(e) || tsc.isAwaitExpression(e)) e = e.expression;
      if (!tsc.isCallExpression(e) || !tsc.isCallExpression(e.expression)) continue;
      const factory = e.expression;
      let callee: Value;
      try {
        callee = this.ev.evaluate(factory.expression, scope);
      } catch {
        // Not something the reader can name (a global, code it cannot follow): not TypeORM's.
        continue;
      }
      if (!isKind(callee, 'external') || !SCHEMA_MODULE.test(callee.module)) continue;
      const name = callee.name.replace(/^.*\./, '');
      const target = e.arguments.length === 1 ? this.ev.evaluate(e.arguments[0], scope) : undefined;
      if (!EntityReader.APPLIED_BY_CALL.has(name) || !target || !isKind(target, 'class') || target.node.getSourceFile().isDeclarationFile) {
        throw new ModelError(
          st,
          `\`${text(st).split('\n')[0]}\` applies @${name} by a call, which migrator's static reader does not read there; write it as a decorator${name === 'Index' || name === 'Unique' || name === 'Check' ? ' on the class' : ' on the property'}, or ${TYPEORM_SOURCE}`,
        );
      }
      const calls = this.appliedAfter.get(target.node) ?? [];
      calls.push({ name, args: factory.arguments.map((a) => this.ev.lazy(a, scope)), node: factory, via: [], module: callee.module });
      this.appliedAfter.set(target.node, calls);
    }
  }

  /** Whether a helper function of the project never reaches TypeORM (a decorator of its own). */
  private isSchemaFree(fn: Node, seen = new Set<Node>()): boolean {
    const cached = this.schemaFree.get(fn);
    if (cached !== undefined) return cached;
    if (seen.has(fn)) return true;
    seen.add(fn);
    const sf = fn.getSourceFile();
    let free = true;
    const visit = (n: Node): void => {
      if (!free) return;
      // A type (`x as typeof BaseEntity`) is gone when the code runs: it reaches nothing.
      if (tsc.isTypeNode(n) && !tsc.isExpressionWithTypeArguments(n)) return;
      if (tsc.isIdentifier(n) && !(tsc.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
        const b = this.ev.project.lookup(sf, n.text);
        if (b?.kind === 'external' && SCHEMA_MODULE.test(b.module)) free = false;
        else if (b?.kind === 'namespace') free = false; // conservative: a namespace of the project
        else if (b?.kind === 'declaration' && b.node !== fn) {
          const d = b.node;
          const body = tsc.isFunctionDeclaration(d) ? d : tsc.isVariableDeclaration(d) && d.initializer ? d.initializer : undefined;
          if (body && !this.isSchemaFree(body, seen)) free = false;
        }
      }
      tsc.forEachChild(n, visit);
    };
    visit(fn);
    this.schemaFree.set(fn, free);
    return free;
  }

  /**
   * Where a decorator of the project's own records what it is given for later: a module variable
   * it adds to (`registry.push(…)`, `.set`, `.add`, an assignment) that is exported, or that
   * exported code or code of the project which reaches TypeORM reads — Vendure's `@Money()`, whose
   * column `setMoneyStrategy` makes when the application starts. Such a column cannot be seen
   * without running the code. Once per helper, however many properties use it.
   */
  private recordsFor(fn: Node): Recorded | undefined {
    const cached = this.recorded.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.findRecords(fn, new Set());
    this.recorded.set(fn, found ?? null);
    return found;
  }

  private findRecords(fn: Node, seen: Set<Node>): Recorded | undefined {
    if (seen.has(fn)) return undefined;
    seen.add(fn);
    const sf = fn.getSourceFile();
    let found: Recorded | undefined;
    const visit = (n: Node): void => {
      if (found) return;
      if (tsc.isIdentifier(n) && !(tsc.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !declaredIn(fn, n.text)) {
        const b = this.ev.project.lookup(sf, n.text);
        if (b?.kind === 'declaration' && b.node !== fn) {
          const d = b.node;
          if (tsc.isVariableDeclaration(d) && !isFunctionLike(d.initializer)) {
            const reader = writesTo(n) ? this.readerReachingTypeOrm(d, n) : undefined;
            if (reader) found = { state: d, reader };
          } else {
            const body = tsc.isFunctionDeclaration(d) ? d : tsc.isVariableDeclaration(d) && d.initializer ? d.initializer : undefined;
            if (body) found = this.findRecords(body, seen);
          }
        }
      }
      tsc.forEachChild(n, visit);
    };
    visit(fn);
    return found;
  }

  /**
   * A top-level function or statement of a module variable's file that reads it and either reaches
   * TypeORM or is exported (what it hands out may become a column elsewhere).
   */
  private readerReachingTypeOrm(state: ts.VariableDeclaration, writer: Node): Node | undefined {
    const sf = state.getSourceFile();
    const name = state.name.getText(sf);
    // Exported, it is read wherever it is imported.
    const declaration = state.parent.parent;
    if (tsc.isVariableStatement(declaration) && isExported(declaration, sf)) return declaration;
    for (const st of sf.statements) {
      // The code that records into it is not its reader.
      if (writer.getSourceFile() === sf && st.pos <= writer.pos && writer.end <= st.end) continue;
      const unit: Node = tsc.isVariableStatement(st) && st.declarationList.declarations.length === 1 && st.declarationList.declarations[0].initializer ? st.declarationList.declarations[0].initializer : st;
      let reads = false;
      const visit = (n: Node): void => {
        if (reads) return;
        if (tsc.isIdentifier(n) && n.text === name && n !== state.name && !(tsc.isPropertyAccessExpression(n.parent) && n.parent.name === n)) reads = true;
        else tsc.forEachChild(n, visit);
      };
      visit(st);
      if (reads && (isExported(st, sf) || !this.isSchemaFree(unit))) return unit;
    }
    return undefined;
  }

  /**
   * TypeORM decorators a value stands for (a decorator, a list, `applyDecorators(…)`, a decorator
   * function). `args`: what a function of the project is called with from a decorator's body
   * (`applyIndex(target, key, 'IDX_x')`), bound to its parameters.
   */
  private flatten(v: Value, site: Node, args?: Lazy[]): DecoratorValue[] {
    if (Array.isArray(v)) return v.flatMap((x) => this.flatten(x, site));
    if (isDecorator(v)) {
      if (SCHEMA_MODULE.test(v.module)) return [v];
      if (leftAlone(v.module, v.name)) return [];
      if (v.module === '@nestjs/common' && v.name === 'applyDecorators') return v.args.flatMap((a) => this.flatten(a.get(), a.node));
      throw new ModelError(v.node, `@${v.name} comes from '${v.module}', which migrator does not know to leave the schema alone; remove it from the entity, or ${TYPEORM_SOURCE}`);
    }
    if (isKind(v, 'function')) {
      // A decorator written out: (target, key) => { Column(...)(target, key); Index()(target, key); }
      const body = v.node.body;
      const bindings = new Map<string, Lazy>();
      v.node.parameters.forEach((p, i) => {
        if (args?.[i] && tsc.isIdentifier(p.name) && !p.dotDotDotToken) bindings.set(p.name.text, args[i]);
      });
      const scope: Scope = { file: v.node.getSourceFile(), bindings, parent: v.scope };
      return body ? this.applied(tsc.isBlock(body) ? body.statements : [body], scope, site).values : [];
    }
    throw new ModelError(site, `\`${text(site)}\` does not give a decorator migrator can read; ${TYPEORM_SOURCE}`);
  }

  /**
   * The TypeORM decorators the statements of a decorator's body apply: calls of decorators
   * (`Column(...)(target, key)`), lists applied in turn, `if` on a condition that is known, blocks,
   * and `return`. Anything else is an error.
   */
  private applied(statements: readonly ts.Node[], start: Scope, site: Node): { values: DecoratorValue[]; returned: boolean; scope: Scope } {
    const values: DecoratorValue[] = [];
    let scope = start;
    for (const st of statements) {
      if (tsc.isReturnStatement(st) && !st.expression) return { values, returned: true, scope };
      // A name given a new value (`options = {}`, also under an `if`): read so from here on.
      if (tsc.isExpressionStatement(st) && tsc.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === tsc.SyntaxKind.EqualsToken && tsc.isIdentifier(st.expression.left)) {
        scope = { file: scope.file, bindings: new Map([[st.expression.left.text, this.ev.lazy(st.expression.right, scope)]]), parent: scope };
        continue;
      }
      // A constant of the body (`const ormType = MultiORMEnum.TypeORM;`), read where it is used.
      if (tsc.isVariableStatement(st) && st.declarationList.declarations.every((d) => tsc.isIdentifier(d.name) && d.initializer)) {
        for (const d of st.declarationList.declarations) {
          scope = { file: scope.file, bindings: new Map([[(d.name as ts.Identifier).text, this.ev.lazy(d.initializer!, scope)]]), parent: scope };
        }
        continue;
      }
      if (tsc.isBlock(st) || tsc.isIfStatement(st)) {
        const inner = tsc.isBlock(st) ? st.statements : takenBranch(st, this.ev.evaluate(st.expression, scope), site, TYPEORM_SOURCE);
        const r = this.applied(inner, scope, site);
        values.push(...r.values);
        if (r.returned) return { values, returned: true, scope };
        scope = r.scope;
        continue;
      }
      // Each of a list applied in turn: `decorators.forEach((d) => d(target, key))`, `for (const d of decorators) d(target, key)`.
      const list = appliedInTurn(st);
      if (list) {
        values.push(...this.flatten(this.ev.evaluate(list, scope), site));
        continue;
      }
      const e = tsc.isExpressionStatement(st) ? st.expression : st;
      if (tsc.isCallExpression(e)) {
        const at = scope;
        values.push(...this.flatten(this.ev.evaluate(e.expression, scope), site, e.arguments.map((a) => this.ev.lazy(a, at))));
        continue;
      }
      throw new ModelError(st, `cannot follow \`${text(st).split('\n')[0]}\` in a decorator without running the code (used at ${where(site)}); ${TYPEORM_SOURCE}`);
    }
    return { values, returned: false, scope };
  }

  /** The TypeORM decorators on a class or member, in source order. */
  private decorators(decl: ts.HasDecorators, scope: Scope, own?: EntityMeta['ownDecorators']): DecoratorCall[] {
    const out: DecoratorCall[] = [];
    for (const d of decoratorsOf(decl)) {
      const expr = d.expression;
      const call = tsc.isCallExpression(expr) ? expr : undefined;
      const callee = this.ev.evaluate(call ? call.expression : expr, scope);
      let values: DecoratorValue[];
      const module = moduleOf(callee);
      if (isKind(callee, 'external')) {
        const schemaModule = SCHEMA_MODULE.test(callee.module);
        if (!schemaModule && leftAlone(callee.module, callee.name)) continue;
        if (!schemaModule) {
          const name = callee.module === 'global' ? callee.name : `@${callee.name} comes from '${callee.module}', which`;
          throw new ModelError(d, `${name} migrator does not know to leave the schema alone; remove it from the entity, or ${TYPEORM_SOURCE}`);
        }
        if (!call) throw new ModelError(d, `@${callee.name} must be called: @${callee.name}()`);
        values = [{ kind: 'decorator', module: callee.module, name: callee.name, args: call.arguments.map((a) => this.ev.lazy(a, scope)), node: call, via: [] }];
      } else if (isKind(callee, 'function')) {
        // A decorator of the project's own, unless it or what it is given reaches TypeORM (a
        // helper that applies the TypeORM decorators it is passed).
        if (this.isSchemaFree(callee.node) && (call?.arguments ?? []).every((a) => this.isSchemaFree(a))) {
          const recorded = this.recordsFor(callee.node);
          if (recorded) {
            const reader = recorded.reader;
            const readerName = (tsc.isFunctionDeclaration(reader) && reader.name?.text) || (tsc.isVariableDeclaration(reader.parent) ? reader.parent.name.getText() : 'code');
            const readBy = reader === recorded.state.parent.parent ? 'which its module exports' : `which ${readerName} (${where(reader)}) reads`;
            throw new ModelError(
              d,
              `@${text(expr).replace(/\(.*$/s, '')} records the property in \`${recorded.state.name.getText()}\` (${where(recorded.state)}), ${readBy} for the application to use when it runs; if that makes a column, migrator cannot see it without running the code; ${TYPEORM_SOURCE}`,
            );
          }
          own?.push({ name: text(expr).replace(/\(.*$/s, ''), node: d });
          continue;
        }
        try {
          values = this.flatten(call ? this.ev.apply(callee, call.arguments.map((a) => this.ev.lazy(a, scope)), call) : callee, d);
        } catch (error) {
          throw withSite(error, d);
        }
      } else {
        throw new ModelError(d, `\`@${text(expr)}\` is not a decorator migrator can read${module ? ` (from '${module}')` : ''}; ${TYPEORM_SOURCE}`);
      }
      for (const v of values) {
        const name = v.name.replace(/^.*\./, '');
        out.push({ name, args: v.args, node: v.via.length ? d : v.node, via: v.via, module: v.module });
      }
    }
    return out;
  }

  /** Reads one class and the classes it extends. */
  readClass(cls: ClassLike, scope: Scope): EntityMeta {
    const cached = this.metas.get(cls);
    if (cached && scope.bindings === undefined) return cached;
    const meta = this.read(cls, scope);
    if (scope.bindings === undefined) this.metas.set(cls, meta);
    return meta;
  }

  private base(cls: ClassLike, scope: Scope): EntityMeta | undefined {
    const heritage = cls.heritageClauses?.find((h) => h.token === tsc.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage) return undefined;
    const v = this.ev.evaluate(heritage.expression, scope);
    if (isKind(v, 'class')) {
      if (v.node.getSourceFile().isDeclarationFile) {
        throw new ModelError(heritage, `the base class ${v.name} is declared in ${v.node.getSourceFile().fileName}, which holds no decorators; point the import at its source, or ${TYPEORM_SOURCE}`);
      }
      return this.readClass(v.node, v.scope);
    }
    if (isKind(v, 'external') && SCHEMA_MODULE.test(v.module)) return undefined; // TypeORM's BaseEntity: no columns
    const from = isKind(v, 'external') ? ` (from '${v.module}', a package migrator cannot read)` : '';
    throw new ModelError(heritage, `cannot read the base class \`${text(heritage.expression)}\`${from}, so its columns would be lost; ${TYPEORM_SOURCE}`);
  }

  private read(cls: ClassLike, scope: Scope): EntityMeta {
    const className = cls.name?.text;
    if (!className) {
      // TypeORM walks an entity's classes up while each has a name: past a mixin's anonymous
      // `class extends Base { … }` it sees nothing, and its columns would silently not be the table's.
      throw new ModelError(
        cls,
        "TypeORM does not follow an entity's inheritance through a class without a name: its columns, and those of the classes it extends, would not be in the table; name the class (`class Revised extends Base { … }`)",
      );
    }
    const meta: EntityMeta = { className, columns: [], relations: [], embeddeds: [], indexes: [], uniques: [], checks: [], node: cls, isEntity: false, ownDecorators: [] };
    meta.base = this.base(cls, scope);
    const classHint = renamedFromTag(cls);
    if (classHint !== undefined) meta.renamedFrom = classHint;

    // Class decorators apply bottom-up, so TypeORM lists them in reverse source order; those a
    // call applies after the class come last.
    for (const call of [...this.decorators(cls, scope).reverse(), ...(this.appliedAfter.get(cls) ?? [])]) {
      if (call.name === 'ViewEntity' && byTypeOrm(call)) {
        // A view TypeORM leaves alone (made by hand, or another tool's) is no table: nothing to read.
        if (this.viewLeftAlone(call)) {
          this.refuseJunctionsOfView(cls, scope, className);
          return meta;
        }
        throw new ModelError(call.node, `@ViewEntity ${className} is a view TypeORM's synchronize would create, which migrator's schema cannot describe; give it synchronize: false and create the view with op.execute in a revision, or ${TYPEORM_SOURCE}`);
      }
      this.placed(call, 'class');
      switch (call.name) {
        case 'Entity': {
          meta.isEntity = true;
          const [a0, a1] = call.args.map((a) => a.get());
          const opts = isObject(a0) ? a0 : isObject(a1) ? a1 : undefined;
          checkOptions(opts, new Set(['name', 'comment', 'orderBy', 'synchronize', 'schema']), 'Entity', TYPEORM_ENTITY_OPTIONS);
          meta.tableName = typeof a0 === 'string' ? a0 : str(option(opts, 'name'), call.node, 'name');
          const schema = str(option(opts, 'schema'), opts?.props.get('schema')?.node ?? call.node, 'schema');
          if (schema !== undefined) meta.schema = { name: schema, node: opts?.props.get('schema')?.node ?? call.node };
          meta.comment = str(option(opts, 'comment'), call.node, 'comment');
          if (bool(option(opts, 'synchronize'), call.node, 'synchronize') === false) meta.synchronize = false;
          break;
        }
        case 'Index':
          meta.indexes.push(this.index(call, undefined));
          break;
        case 'Unique': {
          const [a0, a1] = call.args.map((a) => a.get());
          const name = typeof a0 === 'string' ? a0 : undefined;
          meta.uniques.push({ ...(name ? { name } : {}), columns: this.propertyNames(name ? a1 : a0, call.node, '@Unique columns'), node: call.node });
          break;
        }
        case 'Check':
          meta.checks.push(this.check(call));
          break;
        case 'TableInheritance':
          meta.inheritance = this.tableInheritance(call);
          break;
        case 'Tree': {
          const [kind, opts] = call.args.map((a) => a.get());
          if (kind !== 'materialized-path' && kind !== 'nested-set' && kind !== 'closure-table') throw new ModelError(call.node, "@Tree takes 'materialized-path', 'nested-set' or 'closure-table'");
          if (opts !== undefined && !isObject(opts)) throw new ModelError(call.node, '@Tree takes the kind of tree and an options object: { closureTableName }');
          checkOptions(opts, new Set(kind === 'closure-table' ? ['closureTableName'] : []), 'Tree');
          const closureTableName = str(option(opts, 'closureTableName'), call.node, 'closureTableName');
          meta.tree = { kind, ...(closureTableName !== undefined ? { closureTableName } : {}), node: call.node };
          break;
        }
        case 'ChildEntity': {
          const value = call.args[0]?.get();
          if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') throw new ModelError(call.node, '@ChildEntity takes the value of the discriminator column: a string or a number');
          meta.child = { value: value ?? className, node: call.node };
          break;
        }
      }
    }
    if (meta.child && meta.isEntity) throw new ModelError(meta.child.node, `${className} is both an @Entity and a @ChildEntity; a child entity lives in its parent's table: remove @Entity`);

    const propertyIndexes: IndexMeta[] = [];
    for (const member of cls.members) {
      if (!tsc.canHaveDecorators(member)) continue;
      if (!tsc.isPropertyDeclaration(member) && !tsc.isAccessor(member)) {
        // Methods: entity listeners only.
        for (const call of this.decorators(member, scope)) {
          if (!NO_SCHEMA.has(call.name)) throw new ModelError(call.node, `@${call.name} belongs on a property, not on a method`);
        }
        continue;
      }
      const prop = member;
      if (prop.name && tsc.isComputedPropertyName(prop.name) && !computedNames.has(prop) && decoratorsOf(prop).length) {
        // TypeORM registers the member by the key's value: a string or number the reader can tell.
        const key = this.ev.evaluate(prop.name.expression, scope);
        if (typeof key !== 'string' && typeof key !== 'number') throw new ModelError(prop.name, `the computed property name ${text(prop.name)} of ${className} has no value migrator can read; write the name`);
        computedNames.set(prop, String(key));
      }
      const calls = this.decorators(prop, scope, meta.ownDecorators);
      // Decorators apply bottom-up and TypeORM keeps the first column a property registers: of
      // two column decorators on one property (`@Column({ type: 'timestamp' }) @CreateDateColumn()`)
      // the lower one is the column, and the upper one is not read at all.
      const columnCall = calls.filter((c) => c.name in COLUMN_DECORATORS).at(-1);
      let relation: RelationMeta | undefined;
      for (const call of calls) {
        try {
          this.placed(call, 'property');
          if (call.name in COLUMN_DECORATORS && call !== columnCall) continue;
          if (call.name === 'Column' && isKind(call.args[0]?.get(), 'function')) meta.embeddeds.push(this.embedded(prop, call, className));
          else if (call.name in COLUMN_DECORATORS) meta.columns.push(this.column(prop, call, COLUMN_DECORATORS[call.name], scope));
          else if (call.name in RELATION_DECORATORS) {
            relation = this.relation(prop, call, RELATION_DECORATORS[call.name]);
            meta.relations.push(relation);
          } else if (call.name === 'TreeParent') {
            // A many-to-one to the class that declares it.
            const opts = call.args[0]?.get();
            if (opts !== undefined && !isObject(opts)) throw new ModelError(call.node, '@TreeParent takes an options object: { onDelete }');
            checkOptions(opts, new Set(['onDelete']), 'TreeParent');
            relation = { property: nameOf(prop), kind: 'many-to-one', target: { name: className, node: cls }, onDelete: action(option(opts, 'onDelete'), call.node), createForeignKeyConstraints: true, node: call.node };
            meta.relations.push(relation);
          } else if (call.name === 'Index') propertyIndexes.push(this.index(call, nameOf(prop)));
          else if (call.name === 'Unique') {
            const a0 = call.args[0]?.get();
            meta.uniques.push({ columns: [nameOf(prop)], node: call.node, ...(typeof a0 === 'string' ? { name: a0 } : {}) });
          } else if (call.name === 'Check') meta.checks.push(this.check(call));
        } catch (error) {
          throw withSite(error, call.node);
        }
      }
      const hint = renamedFromTag(prop);
      if (hint !== undefined) {
        const column = meta.columns.find((c) => c.property === nameOf(prop));
        if (column) column.renamedFrom = hint;
        else if (relation && (relation.kind === 'many-to-one' || relation.kind === 'one-to-one')) relation.renamedFrom = hint;
        else throw new ModelError(prop, `@renamedFrom on ${className}.${nameOf(prop)}, which has no column of its own to rename; put it on a column, a many-to-one or one-to-one relation, or the class`);
      }
      const generated = calls.find((c) => c.name === 'Generated');
      const column = meta.columns.find((c) => c.property === nameOf(prop));
      if (generated) this.generated(generated.node, generated.args[0]?.get(), generated.args[0]?.node, column, className);
      else if (column?.generatedOption) this.generated(column.generatedOption.node, column.generatedOption.strategy, column.generatedOption.node, column, className);
      const join = calls.find((c) => c.name === 'JoinColumn');
      const table = calls.find((c) => c.name === 'JoinTable');
      if ((join || table) && !relation) throw new ModelError((join ?? table)!.node, `@${(join ?? table)!.name} needs a relation decorator on the same property`);
      if (relation && join) {
        const a = join.args[0]?.get();
        relation.joinColumns = a === undefined ? [{}] : Array.isArray(a) ? a.map((x) => joinColumnMeta(x, join.node)) : [joinColumnMeta(a, join.node)];
      }
      if (relation && table) {
        const a = table.args[0]?.get();
        if (a !== undefined && !isObject(a)) throw new ModelError(table.node, '@JoinTable takes an options object');
        checkOptions(a, new Set(['name', 'joinColumn', 'inverseJoinColumn', 'synchronize']), 'JoinTable');
        const jc = option(a, 'joinColumn');
        const ijc = option(a, 'inverseJoinColumn');
        relation.joinTable = {
          name: str(option(a, 'name'), table.node, 'name'),
          ...(jc !== undefined ? { joinColumn: joinColumnMeta(jc, table.node) } : {}),
          ...(ijc !== undefined ? { inverseJoinColumn: joinColumnMeta(ijc, table.node) } : {}),
          ...(bool(option(a, 'synchronize'), table.node, 'synchronize') === false ? { synchronize: false as const } : {}),
        };
      }
    }
    // TypeORM lists property-level indexes first, in property order, then the class-level ones.
    meta.indexes = [...propertyIndexes, ...meta.indexes];
    return meta;
  }

  /** Whether a @ViewEntity(name?, options?) says `synchronize: false`: a view TypeORM never creates. */
  private viewLeftAlone(call: DecoratorCall): boolean {
    const [a0, a1] = call.args.map((a) => a.get());
    const opts = isObject(a0) ? a0 : isObject(a1) ? a1 : undefined;
    return bool(option(opts, 'synchronize'), call.node, 'synchronize') === false;
  }

  /**
   * A view left alone is no table, but TypeORM still builds the junction table of a many-to-many
   * it owns (`@JoinTable`), with a foreign key to the view, which no database takes: an error
   * unless the junction is left alone too (`@JoinTable({ synchronize: false })`).
   */
  private refuseJunctionsOfView(cls: ts.ClassLikeDeclaration, scope: Scope, className: string): void {
    for (const member of cls.members) {
      if (!tsc.canHaveDecorators(member) || !decoratorsOf(member).length) continue;
      for (const call of this.decorators(member, scope)) {
        if (call.name !== 'JoinTable' || !byTypeOrm(call)) continue;
        const opts = call.args[0]?.get();
        if (isObject(opts) && bool(option(opts, 'synchronize'), call.node, 'synchronize') === false) continue;
        throw new ModelError(
          call.node,
          `@JoinTable on the view entity ${className}: TypeORM builds a junction table for it with a foreign key to the view, which the database refuses; make the junction table by hand and give @JoinTable({ synchronize: false }), or move the relation to an entity`,
        );
      }
    }
  }

  /** Refuses decorators TypeORM would not take there, and those only TypeORM itself can read. */
  private placed(call: DecoratorCall, on: 'class' | 'property'): void {
    const known = call.name in COLUMN_DECORATORS || call.name in RELATION_DECORATORS || call.name in PLACE;
    if (TYPEORM_ONLY.has(call.name)) throw new ModelError(call.node, `@${call.name} is not read by migrator's static reader; ${TYPEORM_SOURCE}`);
    if (NO_SCHEMA.has(call.name)) return;
    if (!known) throw new ModelError(call.node, `@${call.name} is not a TypeORM decorator migrator knows; remove it, or ${TYPEORM_SOURCE}`);
    const place = PLACE[call.name] ?? 'property';
    if (place !== 'both' && place !== on) throw new ModelError(call.node, `@${call.name} does not belong on a ${on}`);
  }

  private propertyNames(v: Value, node: Node, what: string): string[] {
    // A function `(user) => [user.firstName, user.lastName]` names properties too.
    if (isKind(v, 'function')) {
      const f = v.node;
      const param = f.parameters[0];
      let body: Node | undefined = f.body;
      if (body && tsc.isBlock(body)) {
        const only = body.statements.length === 1 ? body.statements[0] : undefined;
        body = only && tsc.isReturnStatement(only) ? only.expression : undefined;
      }
      while (body && (tsc.isParenthesizedExpression(body) || tsc.isAsExpression(body))) body = body.expression;
      if (param && tsc.isIdentifier(param.name) && body && tsc.isArrayLiteralExpression(body)) {
        const p = param.name.text;
        const names = body.elements.map((e) => (tsc.isPropertyAccessExpression(e) && tsc.isIdentifier(e.expression) && e.expression.text === p ? e.name.text : undefined));
        if (names.every((n): n is string => n !== undefined)) return names;
      }
      throw new ModelError(node, `${what} must be an array of property names, or (entity) => [entity.a, entity.b]`);
    }
    return strings(v, node, what);
  }

  private check(call: DecoratorCall): CheckMeta {
    const [a0, a1] = call.args.map((a) => a.get());
    const expression = a1 === undefined ? a0 : a1;
    if (typeof expression !== 'string') throw new ModelError(call.node, '@Check takes an SQL expression string (and optionally a name first)');
    return { ...(a1 !== undefined ? { name: str(a0, call.node, 'name') } : {}), expression, typeorm: byTypeOrm(call), node: call.node };
  }

  private index(call: DecoratorCall, property: string | undefined): IndexMeta {
    let name: string | undefined;
    let columns: string[] | undefined;
    let opts: ObjectValue | undefined;
    for (const a of call.args.map((x) => x.get())) {
      if (typeof a === 'string') name = a;
      else if (Array.isArray(a) || isKind(a, 'function')) columns = this.propertyNames(a, call.node, '@Index columns');
      else if (isObject(a)) opts = a;
      else throw new ModelError(call.node, '@Index takes a name, an array of property names and an options object');
    }
    // `concurrent` says how TypeORM builds the index (CONCURRENTLY), not what it is.
    checkOptions(opts, new Set(['unique', 'where', 'synchronize', 'fulltext', 'spatial', 'type', 'parser', 'concurrent']), 'Index');
    bool(option(opts, 'concurrent'), call.node, 'concurrent');
    const unmanaged = bool(option(opts, 'synchronize'), call.node, 'synchronize') === false;
    if (!columns) {
      // TypeORM reads no columns of an index it leaves alone: a name is enough.
      if (!property && !unmanaged) throw new ModelError(call.node, "@Index on a class needs the property names, e.g. @Index(['firstName', 'lastName'])");
      columns = property ? [property] : [];
    }
    return {
      typeorm: byTypeOrm(call),
      ...(name ? { name } : {}),
      columns,
      unique: bool(option(opts, 'unique'), call.node, 'unique') ?? false,
      ...(opts?.props.has('where') ? { where: str(option(opts, 'where'), call.node, 'where') } : {}),
      ...(bool(option(opts, 'fulltext'), call.node, 'fulltext') ? { fulltext: true } : {}),
      ...(bool(option(opts, 'spatial'), call.node, 'spatial') ? { spatial: true } : {}),
      ...(opts?.props.has('type') ? { type: str(option(opts, 'type'), call.node, 'type') } : {}),
      ...(opts?.props.has('parser') ? { parser: str(option(opts, 'parser'), call.node, 'parser') } : {}),
      ...(unmanaged ? { synchronize: false as const } : {}),
      node: call.node,
    };
  }

  /**
   * `@Column(() => Address, { prefix })`: the columns of the Address class (and of the classes it
   * extends and embeds) become the entity's, named by the naming strategy with the property's
   * prefix before them — the property's name unless `prefix` gives another, or none (false, '').
   */
  private embedded(prop: PropertyDeclaration, call: DecoratorCall, className: string): EmbeddedMeta {
    const property = nameOf(prop);
    const [a0, a1] = call.args.map((a) => a.get());
    const target = called(a0, this.ev, call.node);
    if (!isKind(target, 'class')) throw new ModelError(call.node, 'expected the embedded class, e.g. @Column(() => Address)');
    if (target.node.getSourceFile().isDeclarationFile) {
      throw new ModelError(call.node, `the embedded class ${target.name} is declared in ${target.node.getSourceFile().fileName}, which holds no decorators; point the import at its source, or ${TYPEORM_SOURCE}`);
    }
    if (a1 !== undefined && !isObject(a1)) throw new ModelError(call.node, '@Column(() => Class, options) takes an options object: { prefix }');
    const opts = isObject(a1) ? a1 : undefined;
    // `array` says how values are kept in an entity (MongoDB's embedded arrays); the columns are the same.
    checkOptions(opts, new Set(['prefix', 'array']), 'Column');
    const given = option(opts, 'prefix');
    let prefix: string[];
    if (given === undefined || given === true) prefix = [property];
    else if (given === false || given === '') prefix = [];
    else if (typeof given === 'string') prefix = [given];
    else throw new ModelError(call.node, `the prefix of ${className}.${property} must be a string, true or false`);
    if (this.embedding.has(target.node)) {
      const chain = [...this.embedding].map((c) => c.name?.text ?? '(anonymous class)');
      throw new ModelError(call.node, `${className}.${property} embeds ${target.name} within itself (${[...chain, target.name].join(' → ')}): its columns would never end`);
    }
    this.embedding.add(target.node);
    try {
      return { property, prefix, meta: this.readClass(target.node, target.scope) };
    } finally {
      this.embedding.delete(target.node);
    }
  }

  /** The embedded classes being read, outermost first: a class that embeds itself is an error. */
  private readonly embedding = new Set<ClassLike>();

  /**
   * `@Generated(strategy)` beside a column decorator: the column's values are generated, as a
   * @PrimaryGeneratedColumn's are. As TypeORM's metadata builder does, 'uuid' makes the column a
   * uuid column and 'rowid' an int one, whatever type it was given; 'increment' and 'identity'
   * keep its type.
   */
  private generated(node: Node, a0: Value, a0Node: Node | undefined, column: ColumnMeta | undefined, className: string): void {
    if (!column) throw new ModelError(node, '@Generated needs a column decorator on the same property, e.g. @Column() @Generated(\'uuid\')');
    if (column.kind !== 'column' && column.kind !== 'primary') {
      throw new ModelError(node, `@Generated on ${className}.${column.property}, whose values TypeORM already makes (@${Object.keys(COLUMN_DECORATORS).find((k) => COLUMN_DECORATORS[k] === column.kind)}); remove one of them`);
    }
    // The `generated: true` option is 'increment', as a bare @Generated().
    const strategy = a0 === undefined || a0 === true ? 'increment' : a0;
    if (strategy !== 'increment' && strategy !== 'uuid' && strategy !== 'identity' && strategy !== 'rowid') {
      throw new ModelError(node, `unknown generation strategy ${typeof strategy === 'string' ? `"${strategy}"` : text(a0Node ?? node)}; use 'increment', 'uuid' or 'identity'`);
    }
    column.generation = strategy;
    if (strategy === 'uuid') column.type = 'uuid';
    else if (strategy === 'rowid') column.type = 'int';
  }

  private column(prop: PropertyDeclaration, call: DecoratorCall, kind: ColumnKind, scope: Scope): ColumnMeta {
    const meta: ColumnMeta = { property: nameOf(prop), kind, node: call.node, hasDefault: false };
    let opts: ObjectValue | undefined;
    const [a0, a1] = call.args.map((a) => a.get());
    if (kind === 'generated') {
      const strategy = typeof a0 === 'string' ? a0 : 'increment';
      if (!['increment', 'uuid', 'identity', 'rowid'].includes(strategy)) throw new ModelError(call.node, `unknown generation strategy "${strategy}"; use 'increment', 'uuid' or 'identity'`);
      meta.generation = strategy as ColumnMeta['generation'];
      opts = isObject(a0) ? a0 : isObject(a1) ? a1 : undefined;
    } else if (isKind(a0, 'function')) {
      throw new ModelError(call.node, `@${call.name} takes a type name and/or an options object; embedded columns are @Column(() => ${text(a0.node.body ?? a0.node)})`);
    } else if (typeName(a0) !== undefined) {
      meta.type = typeName(a0);
      opts = isObject(a1) ? a1 : undefined;
    } else if (isObject(a0)) {
      opts = a0;
    } else if (a0 !== undefined) {
      throw new ModelError(call.node, `@${call.name}() takes a type name and/or an options object`);
    }
    columnOptions(meta, opts, call.node, call.name);
    const typeNode = memberTypeNode(prop);
    meta.designType = designType(typeNode, scope, this.ev);
    if (typeNode) meta.typeNode = typeNode;
    if (!meta.designType && typeNode && tsc.isTypeReferenceNode(typeNode) && tsc.isIdentifier(typeNode.typeName)) {
      const b = this.ev.project.lookup(scope.file, typeNode.typeName.text);
      if (b?.kind === 'external' && !SCHEMA_MODULE.test(b.module)) meta.typeFrom = b.module;
    }
    return meta;
  }

  /**
   * `@TableInheritance({ column })`: single-table inheritance, with a discriminator column when
   * `column` names one (a name, or column options); TypeORM adds none without it.
   */
  private tableInheritance(call: DecoratorCall): EntityMeta['inheritance'] {
    const a0 = call.args[0]?.get();
    if (a0 !== undefined && !isObject(a0)) throw new ModelError(call.node, "@TableInheritance takes an options object, e.g. { column: { type: 'varchar', name: 'type' } }");
    checkOptions(a0, new Set(['pattern', 'column']), 'TableInheritance');
    const pattern = option(a0, 'pattern');
    if (pattern !== undefined && pattern !== 'STI') throw new ModelError(call.node, `pattern ${JSON.stringify(pattern)} is not one TypeORM has; single-table inheritance is 'STI'`);
    const column = option(a0, 'column');
    if (column === undefined) return { node: call.node };
    const discriminator: ColumnMeta = { property: 'type', kind: 'column', node: call.node, hasDefault: false };
    if (typeof column === 'string') discriminator.name = column;
    else if (isObject(column)) columnOptions(discriminator, column, call.node, 'TableInheritance column');
    else throw new ModelError(call.node, "the discriminator column is a name or column options, e.g. { type: 'varchar', name: 'type' }");
    // TypeORM names the column's property after the column.
    discriminator.property = discriminator.name ?? 'type';
    return { discriminator, node: call.node };
  }

  private relation(prop: PropertyDeclaration, call: DecoratorCall, kind: RelationMeta['kind']): RelationMeta {
    const [targetArg, secondArg, thirdArg] = call.args;
    const second = secondArg?.get();
    const third = thirdArg?.get();
    const opts = isObject(second) ? second : isObject(third) ? third : undefined;
    if (opts?.props.has('primary')) {
      throw new ModelError(opts.props.get('primary')!.node, `option "primary" of @${call.name} was removed in TypeORM 0.3 (TypeORM 1.x ignores it, and then finds no primary column); declare the join column as a column of its own, @PrimaryColumn() beside @JoinColumn({ name }) on the relation`);
    }
    checkOptions(opts, RELATION_OPTIONS, call.name, TYPEORM_RELATION_OPTIONS);
    const inverse = isObject(second) ? undefined : inversePropertyOf(second);
    const node = call.node;
    if (!targetArg) throw new ModelError(node, `@${call.name} needs the related entity, e.g. @${call.name}(() => Customer)`);
    return {
      property: nameOf(prop),
      kind,
      target: relationTarget(targetArg.get(), this.ev, targetArg.node),
      ...(inverse ? { inverse } : {}),
      onDelete: action(option(opts, 'onDelete'), node),
      onUpdate: action(option(opts, 'onUpdate'), node),
      nullable: bool(option(opts, 'nullable'), node, 'nullable'),
      createForeignKeyConstraints: bool(option(opts, 'createForeignKeyConstraints'), node, 'createForeignKeyConstraints') ?? true,
      node,
    };
  }
}

/** A column type as given: a name, or a constructor (String, Number, Boolean, Date, Buffer). */
const typeName = (v: Value): string | undefined =>
  typeof v === 'string' ? v : isKind(v, 'external') && v.module === 'global' && CONSTRUCTOR_TYPES.has(v.name) ? v.name : undefined;

/** A column decorator's options, read into `meta`. */
function columnOptions(meta: ColumnMeta, opts: ObjectValue | undefined, node: Node, decorator: string): void {
  checkOptions(opts, COLUMN_OPTIONS, decorator, TYPEORM_COLUMN_OPTIONS);
  const at = (key: string): Node => opts?.props.get(key)?.node ?? node;
  const type = option(opts, 'type');
  if (type !== undefined) {
    const t = typeName(type);
    if (t === undefined) throw new ModelError(at('type'), 'type must be a type name or String, Number, Boolean, Date or Buffer');
    meta.type = t;
  }
  meta.name = str(option(opts, 'name'), at('name'), 'name');
  const length = option(opts, 'length');
  if (length !== undefined && typeof length !== 'string' && typeof length !== 'number') throw new ModelError(at('length'), 'length must be a number');
  if (length !== undefined) meta.length = length;
  meta.precision = num(option(opts, 'precision'), at('precision'), 'precision');
  meta.scale = num(option(opts, 'scale'), at('scale'), 'scale');
  meta.nullable = bool(option(opts, 'nullable'), at('nullable'), 'nullable');
  meta.unique = bool(option(opts, 'unique'), at('unique'), 'unique');
  meta.comment = str(option(opts, 'comment'), at('comment'), 'comment');
  if (bool(option(opts, 'unsigned'), at('unsigned'), 'unsigned')) meta.unsigned = true;
  // TypeORM 0.3's `width`: MySQL's display width of an integer (`int(4)`), which 0.3 writes after
  // the type (`tinyint(1)`, a boolean to MySQL) and 1.x ignores; types are compared without it but
  // for tinyint(1).
  meta.width = num(option(opts, 'width'), at('width'), 'width');
  // TypeORM keeps a column's `foreignKeyConstraintName` and builds nothing from it: a foreign key is
  // named by its @JoinColumn's.
  str(option(opts, 'foreignKeyConstraintName'), at('foreignKeyConstraintName'), 'foreignKeyConstraintName');
  const onUpdate = str(option(opts, 'onUpdate'), at('onUpdate'), 'onUpdate');
  if (onUpdate !== undefined) meta.onUpdate = { sql: onUpdate, node: at('onUpdate') };
  meta.collation = str(option(opts, 'collation'), at('collation'), 'collation');
  meta.charset = str(option(opts, 'charset'), at('charset'), 'charset');
  meta.spatialFeatureType = str(option(opts, 'spatialFeatureType'), at('spatialFeatureType'), 'spatialFeatureType');
  meta.srid = num(option(opts, 'srid'), at('srid'), 'srid');
  const asExpression = str(option(opts, 'asExpression'), at('asExpression'), 'asExpression');
  const generatedType = str(option(opts, 'generatedType'), at('generatedType'), 'generatedType');
  if (generatedType !== undefined && generatedType !== 'STORED' && generatedType !== 'VIRTUAL') throw new ModelError(at('generatedType'), "generatedType must be 'STORED' or 'VIRTUAL'");
  if (asExpression !== undefined) meta.asExpression = { sql: asExpression, ...(generatedType ? { type: generatedType } : {}), node: at('asExpression') };
  // `generated: false` generates nothing; any other value is read as @Generated's strategy.
  const generated = option(opts, 'generated');
  if (generated !== undefined && generated !== false) meta.generatedOption = { strategy: generated, node: at('generated') };
  if (meta.collation !== undefined || meta.charset !== undefined) meta.collationNode = at(meta.collation !== undefined ? 'collation' : 'charset');
  const en = option(opts, 'enum');
  if (en !== undefined) {
    const values = enumValuesOf(en);
    if (!values && isKind(en, 'external')) {
      throw new ModelError(at('enum'), `enum ${en.name} comes from '${en.module}', whose declarations cannot be found from here; install the project's dependencies (npm install), or give the values as an array`);
    }
    if (!values) throw new ModelError(at('enum'), 'enum must be an array of values, a TypeScript enum or an object of values');
    meta.enum = values.map(String);
  }
  if (opts?.props.has('default')) {
    meta.hasDefault = true;
    try {
      meta.default = option(opts, 'default');
    } catch (error) {
      // A value only running the code gives (`generateShortId()`): each start of the application
      // gives another, and TypeORM's own metadata would write the one that run computed.
      if (!(error instanceof ModelError) || !error.message.includes('without running the code')) throw error;
      const why = error.message.replace(/;.*$/s, '');
      throw new ModelError(
        at('default'),
        `the default is computed when the code runs (${why}), so it would be another value at each start of the application, and no revision could follow it: give a literal or a constant, or an expression the database computes (default: () => 'gen_random_uuid()'), or leave the value to the application (@BeforeInsert) and remove the default`,
      );
    }
  }
  if (bool(option(opts, 'primary'), at('primary'), 'primary')) meta.kind = 'primary';
  meta.array = bool(option(opts, 'array'), at('array'), 'array');
  meta.enumName = str(option(opts, 'enumName'), at('enumName'), 'enumName');
  meta.primaryKeyConstraintName = str(option(opts, 'primaryKeyConstraintName'), at('primaryKeyConstraintName'), 'primaryKeyConstraintName');
  const identity = str(option(opts, 'generatedIdentity'), at('generatedIdentity'), 'generatedIdentity');
  if (identity !== undefined) {
    if (identity !== 'ALWAYS' && identity !== 'BY DEFAULT') throw new ModelError(at('generatedIdentity'), "generatedIdentity must be 'ALWAYS' or 'BY DEFAULT'");
    meta.generatedIdentity = identity === 'ALWAYS' ? 'always' : 'by default';
  }
}


/** An error in another file (a helper, a constant), with the place on the entity where it is used. */
function withSite(error: unknown, site: Node): unknown {
  if (error instanceof ModelError && !error.message.startsWith(`${site.getSourceFile().fileName}:`) && !error.message.includes(where(site))) {
    error.message = `${error.message} (used at ${where(site)})`;
  }
  return error;
}

function joinColumnMeta(v: Value, node: Node): JoinColumnMeta {
  if (!isObject(v)) throw new ModelError(node, '@JoinColumn takes an options object');
  checkOptions(v, new Set(['name', 'referencedColumnName', 'foreignKeyConstraintName']), 'JoinColumn');
  return {
    name: str(option(v, 'name'), node, 'name'),
    referencedColumnName: str(option(v, 'referencedColumnName'), node, 'referencedColumnName'),
    foreignKeyConstraintName: str(option(v, 'foreignKeyConstraintName'), node, 'foreignKeyConstraintName'),
  };
}

/**
 * The TypeScript type of a property as `emitDecoratorMetadata` reports it (`design:type`):
 * enums and type aliases followed through imports; undefined where TypeScript would say Object.
 */
const GLOBAL_DESIGN_TYPES = new Set(['Date', 'Buffer', 'String', 'Number', 'Boolean']);
const STRING_MAPPINGS = new Set(['Lowercase', 'Uppercase', 'Capitalize', 'Uncapitalize']);

/** The type parameter `name` of a declaration around `node`, the nearest first. */
function typeParameterNamed(node: ts.Node, name: string): ts.TypeParameterDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    const found = (n as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters?.find((p) => p.name.text === name);
    if (found) return found;
  }
  return undefined;
}

export function designType(typeNode: ts.TypeNode | undefined, scope: Scope, ev: Evaluator, depth = 0): DesignType | undefined {
  if (!typeNode || depth > 16) return undefined;
  switch (typeNode.kind) {
    case tsc.SyntaxKind.StringKeyword:
      return 'String';
    case tsc.SyntaxKind.NumberKeyword:
      return 'Number';
    case tsc.SyntaxKind.BooleanKeyword:
      return 'Boolean';
  }
  if (tsc.isParenthesizedTypeNode(typeNode)) return designType(typeNode.type, scope, ev, depth + 1);
  // `${string}-${string}`: a string, as TypeScript serialises it.
  if (tsc.isTemplateLiteralTypeNode(typeNode)) return 'String';
  // `keyof typeof LEVELS` of a constant object: the union of its keys, strings.
  if (tsc.isTypeOperatorNode(typeNode) && typeNode.operator === tsc.SyntaxKind.KeyOfKeyword && tsc.isTypeQueryNode(typeNode.type) && tsc.isIdentifier(typeNode.type.exprName)) {
    let value: Value;
    try {
      value = ev.evaluate(typeNode.type.exprName, scope);
    } catch {
      return undefined;
    }
    const keys = isObject(value) ? [...value.props.keys()] : [];
    return keys.length && keys.every((k) => !/^\d+$/.test(k)) ? 'String' : undefined;
  }
  if (tsc.isLiteralTypeNode(typeNode)) {
    const l = typeNode.literal;
    if (tsc.isStringLiteral(l) || tsc.isNoSubstitutionTemplateLiteral(l)) return 'String';
    if (tsc.isNumericLiteral(l) || tsc.isPrefixUnaryExpression(l)) return 'Number';
    if (l.kind === tsc.SyntaxKind.TrueKeyword || l.kind === tsc.SyntaxKind.FalseKeyword) return 'Boolean';
    return undefined;
  }
  if (tsc.isUnionTypeNode(typeNode)) {
    // As TypeScript serialises a union: null and undefined drop out unless strictNullChecks is
    // on, and then the union is Object (which TypeORM refuses).
    const nullish = (t: ts.TypeNode): boolean => t.kind === tsc.SyntaxKind.UndefinedKeyword || (tsc.isLiteralTypeNode(t) && t.literal.kind === tsc.SyntaxKind.NullKeyword);
    if (typeNode.types.some(nullish) && ev.project.strictNullChecks(typeNode.getSourceFile())) return undefined;
    const parts = typeNode.types.filter((t) => !nullish(t));
    const kinds = new Set(parts.map((t) => designType(t, scope, ev, depth + 1)));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  if (tsc.isTypeReferenceNode(typeNode) && tsc.isIdentifier(typeNode.typeName)) {
    const name = typeNode.typeName.text;
    // A type parameter (`kind: K` in `class Box<K extends Kind>`) is serialised as its constraint.
    const parameter = typeParameterNamed(typeNode, name);
    if (parameter) return parameter.constraint ? designType(parameter.constraint, scope, ev, depth + 1) : undefined;
    const b = ev.project.lookup(scope.file, name);
    // TypeScript's string mappings (`Lowercase<string>`) are strings.
    if (!b && STRING_MAPPINGS.has(name) && typeNode.typeArguments?.length === 1) return designType(typeNode.typeArguments[0], scope, ev, depth + 1) === 'String' ? 'String' : undefined;
    // The global constructors, the wrapper types among them (`enabled: Boolean`).
    if (!b) return GLOBAL_DESIGN_TYPES.has(name) ? (name as DesignType) : undefined;
    if (b.kind !== 'declaration') return undefined;
    // A constant and a type of one name (`const Role = {…} as const; type Role = …`): the type.
    const d = tsc.isVariableDeclaration(b.node) ? (typeAliasBeside(b.node, name) ?? b.node) : b.node;
    if (tsc.isEnumDeclaration(d)) {
      const v = ev.binding(b, typeNode, name);
      if (!isKind(v, 'enum')) return undefined;
      const values = [...v.members.values()];
      return values.every((x) => typeof x === 'number') ? 'Number' : values.every((x) => typeof x === 'string') ? 'String' : undefined;
    }
    if (tsc.isTypeAliasDeclaration(d)) {
      const aliasScope = ev.fileScope(d.getSourceFile());
      return designType(d.type, aliasScope, ev, depth + 1) ?? constantValuesType(d.type, aliasScope, ev);
    }
  }
  return undefined;
}

/** The type alias named `name` in the file declaring `node`, at its top level. */
function typeAliasBeside(node: ts.Node, name: string): ts.TypeAliasDeclaration | undefined {
  return node.getSourceFile().statements.find((st): st is ts.TypeAliasDeclaration => tsc.isTypeAliasDeclaration(st) && st.name.text === name);
}

/**
 * The design type of an alias that lists a constant's values — `(typeof LEVELS)[number]` of an
 * array `as const`, `(typeof Role)[keyof typeof Role]` of an object `as const` — as TypeScript
 * serialises the union of literals it stands for: String or Number when all are one kind.
 */
function constantValuesType(node: ts.TypeNode, scope: Scope, ev: Evaluator): DesignType | undefined {
  if (!tsc.isIndexedAccessTypeNode(node)) return undefined;
  let target: ts.TypeNode = node.objectType;
  while (tsc.isParenthesizedTypeNode(target)) target = target.type;
  if (!tsc.isTypeQueryNode(target) || !tsc.isIdentifier(target.exprName)) return undefined;
  const name = target.exprName.text;
  let index: ts.TypeNode = node.indexType;
  while (tsc.isParenthesizedTypeNode(index)) index = index.type;
  let value: Value;
  try {
    value = ev.evaluate(target.exprName, scope);
  } catch {
    return undefined;
  }
  let values: Value[] | undefined;
  if (index.kind === tsc.SyntaxKind.NumberKeyword && Array.isArray(value)) values = value;
  const keyOfSame = tsc.isTypeOperatorNode(index) && index.operator === tsc.SyntaxKind.KeyOfKeyword && tsc.isTypeQueryNode(index.type) && tsc.isIdentifier(index.type.exprName) && index.type.exprName.text === name;
  if (keyOfSame && isObject(value)) values = [...value.props.values()].map((lazy) => lazy.get());
  if (!values || values.length === 0) return undefined;
  return values.every((v) => typeof v === 'string') ? 'String' : values.every((v) => typeof v === 'number') ? 'Number' : undefined;
}

/** Whether `name` is declared inside `fn` (a parameter or a local), shadowing a module's own. */
function declaredIn(fn: Node, name: string): boolean {
  let found = false;
  const visit = (n: Node): void => {
    if (found) return;
    if ((tsc.isParameter(n) || tsc.isVariableDeclaration(n) || tsc.isBindingElement(n)) && tsc.isIdentifier(n.name) && n.name.text === name) found = true;
    else if ((tsc.isFunctionDeclaration(n) || tsc.isClassDeclaration(n)) && n !== fn && n.name?.text === name) found = true;
    else tsc.forEachChild(n, visit);
  };
  tsc.forEachChild(fn, visit);
  return found;
}

/** Whether a top-level statement is exported, by a modifier or by an `export { … }` of its name. */
function isExported(st: ts.Statement, sf: ts.SourceFile): boolean {
  if (tsc.canHaveModifiers(st) && tsc.getModifiers(st)?.some((m) => m.kind === tsc.SyntaxKind.ExportKeyword)) return true;
  const names = tsc.isFunctionDeclaration(st) && st.name ? [st.name.text] : tsc.isVariableStatement(st) ? st.declarationList.declarations.map((d) => d.name.getText(sf)) : [];
  return sf.statements.some(
    (e) => tsc.isExportDeclaration(e) && !e.moduleSpecifier && e.exportClause && tsc.isNamedExports(e.exportClause) && e.exportClause.elements.some((x) => names.includes((x.propertyName ?? x.name).text)),
  );
}

function isFunctionLike(n: Node | undefined): boolean {
  return !!n && (tsc.isArrowFunction(n) || tsc.isFunctionExpression(n));
}

const ADDERS = new Set(['push', 'unshift', 'set', 'add', 'splice']);

/** Whether a name is written to where it stands: `x.push(…)`, `x.set(…)`, `x = …`, `x[k] = …`, `x.k = …`. */
function writesTo(n: ts.Identifier): boolean {
  const p = n.parent;
  if (tsc.isPropertyAccessExpression(p) && p.expression === n) {
    if (tsc.isCallExpression(p.parent) && p.parent.expression === p && ADDERS.has(p.name.text)) return true;
    return isAssigned(p);
  }
  if (tsc.isElementAccessExpression(p) && p.expression === n) return isAssigned(p);
  return isAssigned(n);
}

function isAssigned(n: Node): boolean {
  const p = n.parent;
  return tsc.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= tsc.SyntaxKind.FirstAssignment && p.operatorToken.kind <= tsc.SyntaxKind.LastAssignment;
}

/**
 * Whether a class declared inside a function is what the function returns, by name: a mixin's
 * shape. (A class expression cannot carry TypeScript's legacy decorators, which TypeORM uses.)
 */
function returnedByItsFunction(node: ts.ClassDeclaration | ts.ClassExpression): boolean {
  const name = node.name?.text;
  if (!tsc.isClassDeclaration(node) || !name || !tsc.isBlock(node.parent) || !tsc.isFunctionLike(node.parent.parent)) return false;
  return node.parent.statements.some((st) => {
    if (!tsc.isReturnStatement(st) || !st.expression) return false;
    let e = st.expression;
    while (tsc.isParenthesizedExpression(e) || tsc.isAsExpression(e)) e = e.expression;
    return tsc.isIdentifier(e) && e.text === name;
  });
}
