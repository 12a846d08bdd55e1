/**
 * Entity classes → entity descriptions: what each TypeORM-style decorator says, read from the
 * syntax tree. Nothing is compiled or run; TypeORM need not be installed.
 */
import { ts } from 'ts-morph';
import type { ForeignKeyAction } from '../../schema/schema.js';
import type { DesignType } from './typeorm-types.js';
import { classNameOf, evaluate, inversePropertyOf, isObject, ModelError, option, text, type ObjectValue, type Value } from './values.js';

type Node = ts.Node;
type ClassDeclaration = ts.ClassDeclaration;
type Decorator = ts.Decorator;
type PropertyDeclaration = ts.PropertyDeclaration;
type SourceFile = ts.SourceFile;

export type ColumnKind = 'column' | 'primary' | 'generated' | 'createDate' | 'updateDate' | 'deleteDate' | 'version';

export interface ColumnMeta {
  property: string;
  kind: ColumnKind;
  name?: string;
  type?: string;
  designType?: DesignType;
  length?: string | number;
  precision?: number;
  scale?: number;
  nullable?: boolean;
  default?: Value;
  unique?: boolean;
  enum?: string[];
  comment?: string;
  generation?: 'increment' | 'uuid' | 'identity' | 'rowid';
  generatedIdentity?: 'always' | 'by default';
  array?: boolean;
  enumName?: string;
  primaryKeyConstraintName?: string;
  node: Node;
}

export interface JoinColumnMeta {
  name?: string;
  referencedColumnName?: string;
  foreignKeyConstraintName?: string;
}

export interface RelationMeta {
  property: string;
  kind: 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many';
  target: string;
  inverse?: string;
  onDelete?: ForeignKeyAction;
  onUpdate?: ForeignKeyAction;
  nullable?: boolean;
  createForeignKeyConstraints: boolean;
  /** Present when the property has @JoinColumn (the owning side of a one-to-one). */
  joinColumns?: JoinColumnMeta[];
  /** Present when the property has @JoinTable (the owning side of a many-to-many). */
  joinTable?: { name?: string; joinColumn?: JoinColumnMeta; inverseJoinColumn?: JoinColumnMeta };
  node: Node;
}

export interface IndexMeta {
  name?: string;
  /** Property names (or column names) as given. */
  columns: string[];
  unique: boolean;
  where?: string;
  node: Node;
}

export interface EntityMeta {
  className: string;
  tableName?: string;
  comment?: string;
  columns: ColumnMeta[];
  relations: RelationMeta[];
  indexes: IndexMeta[];
  uniques: { name?: string; columns: string[]; node: Node }[];
  checks: { name?: string; expression: string; node: Node }[];
  node: ClassDeclaration;
  /** The class it extends, when that is another class of the model files. */
  extendsName?: string;
  isEntity: boolean;
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
/** Decorators with no schema meaning: entity listeners and computed relation ids. */
const NO_SCHEMA = new Set([
  'AfterLoad', 'BeforeInsert', 'AfterInsert', 'BeforeUpdate', 'AfterUpdate', 'BeforeRemove', 'AfterRemove', 'BeforeSoftRemove',
  'AfterSoftRemove', 'BeforeRecover', 'AfterRecover', 'RelationId', 'RelationCount', 'VirtualColumn',
]);
/** TypeORM decorators migrator knows but cannot model yet: an error, never silently skipped. */
const UNSUPPORTED = new Set([
  'ViewEntity', 'ViewColumn', 'ChildEntity', 'TableInheritance', 'Tree', 'TreeParent', 'TreeChildren', 'TreeLevelColumn',
  'ObjectIdColumn', 'Generated', 'Exclusion', 'ForeignKey', 'EntityRepository',
]);
const SCHEMA_MODULES = new Set(['typeorm', 'migrator', 'migrator/decorators']);

const COLUMN_OPTIONS = new Set([
  'type', 'name', 'length', 'precision', 'scale', 'nullable', 'default', 'unique', 'enum', 'enumName', 'comment', 'primary', 'array',
  'generatedIdentity', 'primaryKeyConstraintName',
]);
const RUNTIME_OPTIONS = new Set(['select', 'insert', 'update', 'transformer', 'readonly', 'eager', 'cascade', 'lazy', 'persistence', 'orphanedRowAction']);
const RELATION_OPTIONS = new Set(['onDelete', 'onUpdate', 'nullable', 'createForeignKeyConstraints']);
const FK_ACTIONS = new Set(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

const importsOf = new WeakMap<SourceFile, Map<string, string>>();

/** Where a decorator comes from: `typeorm`/`migrator` imports, or anything else. */
function decoratorModule(sf: SourceFile, name: string): string | undefined {
  let imports = importsOf.get(sf);
  if (!imports) {
    imports = new Map();
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const bindings = st.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) imports.set(el.name.text, st.moduleSpecifier.text);
    }
    importsOf.set(sf, imports);
  }
  return imports.get(name);
}

interface DecoratorCall {
  name: string;
  args: Value[];
  node: Decorator;
}

/** A property's or class's name as written. */
export function nameOf(decl: ClassDeclaration | PropertyDeclaration): string {
  const n = decl.name;
  if (!n) return '';
  return ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n) ? n.text : text(n);
}

export function decoratorsOf(decl: ClassDeclaration | PropertyDeclaration): readonly Decorator[] {
  return ts.getDecorators(decl) ?? [];
}

function schemaDecorators(decl: ClassDeclaration | PropertyDeclaration): DecoratorCall[] {
  const sf = decl.getSourceFile();
  const out: DecoratorCall[] = [];
  for (const d of decoratorsOf(decl)) {
    const expr = d.expression;
    // Namespace style (`@typeorm.Column()`) reads like the named one.
    const callee = ts.isCallExpression(expr) ? expr.expression : expr;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : text(callee);
    const from = decoratorModule(sf, name);
    const known = name in COLUMN_DECORATORS || name in RELATION_DECORATORS || NO_SCHEMA.has(name) || UNSUPPORTED.has(name) ||
      ['Entity', 'Index', 'Unique', 'Check', 'JoinColumn', 'JoinTable'].includes(name);
    const fromSchemaModule = from !== undefined && SCHEMA_MODULES.has(from);
    if (!known && !fromSchemaModule) continue; // e.g. class-validator's @IsEmail(): no schema meaning
    if (UNSUPPORTED.has(name) || !known) throw new ModelError(d, `@${name} is not supported by migrator; remove it or write this table's revisions by hand`);
    if (NO_SCHEMA.has(name)) continue;
    const args = ts.isCallExpression(expr) ? expr.arguments.map(evaluate) : [];
    out.push({ name, args, node: d });
  }
  return out;
}

function checkOptions(obj: ObjectValue | undefined, allowed: Set<string>, decorator: string): void {
  if (!obj) return;
  for (const key of obj.props.keys()) {
    if (!allowed.has(key) && !RUNTIME_OPTIONS.has(key)) {
      throw new ModelError(obj.props.get(key)!, `option "${key}" of @${decorator} is not supported by migrator`);
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

/** The TypeScript type of a property, as `emitDecoratorMetadata` would report it. */
function designType(prop: PropertyDeclaration, enums: EnumLookup): DesignType | undefined {
  const typeNode = prop.type;
  if (!typeNode) return undefined;
  const parts = text(typeNode).split('|').map((p) => p.trim()).filter((p) => p !== 'null' && p !== 'undefined');
  if (parts.length !== 1) return undefined;
  const t = parts[0];
  if (t === 'string') return 'String';
  if (t === 'number') return 'Number';
  if (t === 'boolean') return 'Boolean';
  if (t === 'Date') return 'Date';
  if (t === 'Buffer') return 'Buffer';
  const members = enums(t);
  if (members) return [...members.values()].every((m) => typeof m === 'number') ? 'Number' : 'String';
  return undefined;
}

/** Looks up a TypeScript enum of the model files by name: its members and their values. */
export type EnumLookup = (name: string) => Map<string, string | number> | undefined;

function enumValues(v: Value, node: Node, enums: EnumLookup): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'ref') {
    const members = enums(v.name);
    if (!members) throw new ModelError(node, `enum ${v.name} is not declared in the model files; declare it there or give an array of values`);
    return [...members.values()].map((x) => String(x));
  }
  throw new ModelError(node, 'enum must be an array of values or a TypeScript enum');
}

function readColumn(prop: PropertyDeclaration, call: DecoratorCall, kind: ColumnKind, enums: EnumLookup): ColumnMeta {
  const meta: ColumnMeta = { property: nameOf(prop), kind, node: call.node };
  let opts: ObjectValue | undefined;
  const [a0, a1] = call.args;
  if (kind === 'generated') {
    const strategy = typeof a0 === 'string' ? a0 : 'increment';
    if (!['increment', 'uuid', 'identity', 'rowid'].includes(strategy)) throw new ModelError(call.node, `unknown generation strategy "${strategy}"; use 'increment', 'uuid' or 'identity'`);
    meta.generation = strategy as ColumnMeta['generation'];
    opts = isObject(a0) ? a0 : isObject(a1) ? a1 : undefined;
  } else if (typeof a0 === 'string') {
    meta.type = a0;
    opts = isObject(a1) ? a1 : undefined;
  } else if (isObject(a0)) {
    opts = a0;
  } else if (a0 !== undefined) {
    throw new ModelError(call.node, `@${call.name}() takes a type name and/or an options object`);
  }
  checkOptions(opts, COLUMN_OPTIONS, call.name);
  const at = (key: string): Node => opts?.props.get(key) ?? call.node;
  meta.type = str(option(opts, 'type'), at('type'), 'type') ?? meta.type;
  meta.name = str(option(opts, 'name'), at('name'), 'name');
  const length = option(opts, 'length');
  if (length !== undefined && typeof length !== 'string' && typeof length !== 'number') throw new ModelError(at('length'), 'length must be a number');
  if (length !== undefined) meta.length = length as string | number;
  meta.precision = num(option(opts, 'precision'), at('precision'), 'precision');
  meta.scale = num(option(opts, 'scale'), at('scale'), 'scale');
  meta.nullable = bool(option(opts, 'nullable'), at('nullable'), 'nullable');
  meta.unique = bool(option(opts, 'unique'), at('unique'), 'unique');
  meta.comment = str(option(opts, 'comment'), at('comment'), 'comment');
  meta.enum = enumValues(option(opts, 'enum'), at('enum'), enums);
  if (opts?.props.has('default')) meta.default = option(opts, 'default');
  if (bool(option(opts, 'primary'), at('primary'), 'primary')) meta.kind = 'primary';
  meta.array = bool(option(opts, 'array'), at('array'), 'array');
  meta.enumName = str(option(opts, 'enumName'), at('enumName'), 'enumName');
  meta.primaryKeyConstraintName = str(option(opts, 'primaryKeyConstraintName'), at('primaryKeyConstraintName'), 'primaryKeyConstraintName');
  const identity = str(option(opts, 'generatedIdentity'), at('generatedIdentity'), 'generatedIdentity');
  if (identity !== undefined) {
    if (identity !== 'ALWAYS' && identity !== 'BY DEFAULT') throw new ModelError(at('generatedIdentity'), "generatedIdentity must be 'ALWAYS' or 'BY DEFAULT'");
    meta.generatedIdentity = identity === 'ALWAYS' ? 'always' : 'by default';
  }
  meta.designType = designType(prop, enums);
  return meta;
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

function readRelation(prop: PropertyDeclaration, call: DecoratorCall, kind: RelationMeta['kind']): RelationMeta {
  const [target, second, third] = call.args;
  const opts = isObject(second) ? second : isObject(third) ? third : undefined;
  checkOptions(opts, RELATION_OPTIONS, call.name);
  const inverse = isObject(second) ? undefined : inversePropertyOf(second);
  const node = call.node;
  return {
    property: nameOf(prop),
    kind,
    target: classNameOf(target, node),
    ...(inverse ? { inverse } : {}),
    onDelete: action(option(opts, 'onDelete'), node),
    onUpdate: action(option(opts, 'onUpdate'), node),
    nullable: bool(option(opts, 'nullable'), node, 'nullable'),
    createForeignKeyConstraints: bool(option(opts, 'createForeignKeyConstraints'), node, 'createForeignKeyConstraints') ?? true,
    node,
  };
}

function readIndex(call: DecoratorCall, property: string | undefined): IndexMeta {
  let name: string | undefined;
  let columns: string[] | undefined;
  let opts: ObjectValue | undefined;
  for (const a of call.args) {
    if (typeof a === 'string') name = a;
    else if (Array.isArray(a)) columns = strings(a, call.node, '@Index columns');
    else if (isObject(a)) opts = a;
    else throw new ModelError(call.node, '@Index takes a name, an array of property names and an options object');
  }
  checkOptions(opts, new Set(['unique', 'where']), 'Index');
  if (!columns) {
    if (!property) throw new ModelError(call.node, '@Index on a class needs the property names, e.g. @Index([\'firstName\', \'lastName\'])');
    columns = [property];
  }
  return {
    ...(name ? { name } : {}),
    columns,
    unique: bool(option(opts, 'unique'), call.node, 'unique') ?? false,
    ...(opts?.props.has('where') ? { where: str(option(opts, 'where'), call.node, 'where') } : {}),
    node: call.node,
  };
}

/** Reads one class: its entity options, columns, relations, indexes and constraints. */
export function readClass(cls: ClassDeclaration, enums: EnumLookup): EntityMeta {
  const className = nameOf(cls);
  if (!className) throw new ModelError(cls, 'an entity class needs a name');
  const meta: EntityMeta = {
    className,
    columns: [],
    relations: [],
    indexes: [],
    uniques: [],
    checks: [],
    node: cls,
    isEntity: false,
  };
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (base) meta.extendsName = text(base.expression);

  // Class decorators apply bottom-up, so TypeORM lists them in reverse source order.
  for (const call of schemaDecorators(cls).reverse()) {
    switch (call.name) {
      case 'Entity': {
        meta.isEntity = true;
        const [a0, a1] = call.args;
        const opts = isObject(a0) ? a0 : isObject(a1) ? a1 : undefined;
        checkOptions(opts, new Set(['name', 'comment', 'orderBy', 'synchronize']), 'Entity');
        meta.tableName = typeof a0 === 'string' ? a0 : str(option(opts, 'name'), call.node, 'name');
        meta.comment = str(option(opts, 'comment'), call.node, 'comment');
        if (option(opts, 'synchronize') === false) meta.isEntity = false;
        break;
      }
      case 'Index':
        meta.indexes.push(readIndex(call, undefined));
        break;
      case 'Unique': {
        const [a0, a1] = call.args;
        const name = typeof a0 === 'string' ? a0 : undefined;
        meta.uniques.push({ ...(name ? { name } : {}), columns: strings(name ? a1 : a0, call.node, '@Unique columns'), node: call.node });
        break;
      }
      case 'Check': {
        const [a0, a1] = call.args;
        const expression = a1 === undefined ? a0 : a1;
        if (typeof expression !== 'string') throw new ModelError(call.node, '@Check takes an SQL expression string (and optionally a name first)');
        meta.checks.push({ ...(a1 !== undefined ? { name: str(a0, call.node, 'name') } : {}), expression, node: call.node });
        break;
      }
      default:
        throw new ModelError(call.node, `@${call.name} does not belong on a class`);
    }
  }

  const propertyIndexes: IndexMeta[] = [];
  for (const prop of cls.members) {
    if (!ts.isPropertyDeclaration(prop)) continue;
    const calls = schemaDecorators(prop);
    const relation = calls.find((c) => c.name in RELATION_DECORATORS);
    for (const call of calls) {
      if (call.name in COLUMN_DECORATORS) meta.columns.push(readColumn(prop, call, COLUMN_DECORATORS[call.name], enums));
      else if (call.name in RELATION_DECORATORS) meta.relations.push(readRelation(prop, call, RELATION_DECORATORS[call.name]));
      else if (call.name === 'Index') propertyIndexes.push(readIndex(call, nameOf(prop)));
      else if (call.name === 'Unique') meta.uniques.push({ columns: [nameOf(prop)], node: call.node, ...(typeof call.args[0] === 'string' ? { name: call.args[0] } : {}) });
      else if (call.name === 'Check') {
        const expression = call.args.length > 1 ? call.args[1] : call.args[0];
        if (typeof expression !== 'string') throw new ModelError(call.node, '@Check takes an SQL expression string');
        meta.checks.push({ ...(call.args.length > 1 ? { name: String(call.args[0]) } : {}), expression, node: call.node });
      } else if (call.name !== 'JoinColumn' && call.name !== 'JoinTable') {
        throw new ModelError(call.node, `@${call.name} does not belong on a property`);
      }
    }
    const join = calls.find((c) => c.name === 'JoinColumn');
    const table = calls.find((c) => c.name === 'JoinTable');
    if ((join || table) && !relation) throw new ModelError((join ?? table)!.node, `@${(join ?? table)!.name} needs a relation decorator on the same property`);
    if (relation && join) {
      const r = meta.relations[meta.relations.length - 1];
      const a = join.args[0];
      r.joinColumns = a === undefined ? [{}] : Array.isArray(a) ? a.map((x) => joinColumnMeta(x, join.node)) : [joinColumnMeta(a, join.node)];
    }
    if (relation && table) {
      const r = meta.relations[meta.relations.length - 1];
      const a = table.args[0];
      if (a !== undefined && !isObject(a)) throw new ModelError(table.node, '@JoinTable takes an options object');
      checkOptions(a, new Set(['name', 'joinColumn', 'inverseJoinColumn', 'synchronize']), 'JoinTable');
      const jc = option(a, 'joinColumn');
      const ijc = option(a, 'inverseJoinColumn');
      r.joinTable = {
        name: str(option(a, 'name'), table.node, 'name'),
        ...(jc !== undefined ? { joinColumn: joinColumnMeta(jc, table.node) } : {}),
        ...(ijc !== undefined ? { inverseJoinColumn: joinColumnMeta(ijc, table.node) } : {}),
      };
    }
  }
  // TypeORM lists property-level indexes first, in property order, then the class-level ones.
  meta.indexes = [...propertyIndexes, ...meta.indexes];
  return meta;
}
