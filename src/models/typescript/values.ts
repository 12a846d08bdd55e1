/**
 * Static evaluation of what decorators are given: literals, object and array literals (spreads
 * included), template literals, `+`, `??`, `||`, conditionals whose condition is known, constants,
 * enums and `as const` objects, static class members, imports across the project's files, and
 * calls of the project's own helper functions that return a TypeORM decorator or a value.
 * Anything that would need the code run is an error naming file:line and what to do.
 *
 * Works on the TypeScript syntax tree directly (ts-morph's `ts`): reading thousands of entities
 * through wrapper objects would cost more than parsing them.
 */
import type { ts } from 'ts-morph';
import { tsc } from './compiler-api.js';
import { MigratorError } from '../../errors.js';
import { SCHEMA_MODULE, where, type Binding, type Declaration, type SourceProject } from './project.js';

export { where };

type Node = ts.Node;

/** A value evaluated on first use (options with no schema meaning are never evaluated). */
export interface Lazy {
  node: Node;
  get(): Value;
}

/** A function or class as a value, with the scope its body sees. */
export type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

export type Value =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Value[]
  | ObjectValue
  | { kind: 'class'; node: ts.ClassLikeDeclaration; scope: Scope; name: string }
  | { kind: 'enum'; node: ts.EnumDeclaration; name: string; members: Map<string, string | number> }
  | { kind: 'function'; node: FunctionLike; scope: Scope; name?: string }
  /** Something exported by a module that is not read: TypeORM's decorators, a package's export. */
  | { kind: 'external'; module: string; name: string; node: Node }
  /** A call of a TypeORM decorator factory (`Column({ … })`), as yet unapplied. */
  | DecoratorValue
  | { kind: 'namespace'; file: ts.SourceFile; node: Node };

export interface ObjectValue {
  kind: 'object';
  props: Map<string, Lazy>;
  node: Node;
}

export interface DecoratorValue {
  kind: 'decorator';
  /** The module the factory comes from and its exported name (`typeorm`, `Column`). */
  module: string;
  name: string;
  args: Lazy[];
  /** The call as written, and the chain of helper calls that led to it (outermost last). */
  node: Node;
  via: Node[];
}

/** Names in scope: a function's parameters and locals, over the file's top-level names. */
export interface Scope {
  file: ts.SourceFile;
  bindings?: Map<string, Lazy>;
  parent?: Scope;
}

/** Globals a decorator argument may name. */
const GLOBALS = new Set(['String', 'Number', 'Boolean', 'Date', 'Buffer', 'Object', 'Array', 'JSON', 'Symbol', 'BigInt', 'Uint8Array', 'process']);

/** The source text of a node. */
export function text(node: Node): string {
  return node.getText(node.getSourceFile());
}

export class ModelError extends MigratorError {
  constructor(node: Node, message: string) {
    super(`${where(node)}: ${message}`);
    this.name = 'ModelError';
  }
}

/** Several classes the reader cannot take: one line each, as file:line and what to do. */
export class ModelErrors extends MigratorError {
  /** The lines shown; the rest are counted. */
  static readonly SHOWN = 20;

  constructor(readonly problems: readonly ModelError[]) {
    const shown = problems.slice(0, ModelErrors.SHOWN).map((p) => `  ${p.message}`);
    const more = problems.length > ModelErrors.SHOWN ? [`  … and ${problems.length - ModelErrors.SHOWN} more`] : [];
    super([`${problems.length} entity classes cannot be read:`, ...shown, ...more].join('\n'), { data: { problems: problems.map((p) => p.message) } });
    this.name = 'ModelErrors';
  }
}

/** What to do when a value cannot be read without running the code. */
export const RUN_IT =
  "use a literal or a constant, or let TypeORM itself read the entities: models: { typeorm: '<your DataSource file>' }";

const fixed = (node: Node, v: Value): Lazy => ({ node, get: () => v });

function memo(node: Node, compute: () => Value): Lazy {
  let done = false;
  let v: Value;
  return {
    node,
    get() {
      if (!done) {
        v = compute();
        done = true;
      }
      return v;
    },
  };
}

function propertyName(name: ts.PropertyName, scope: Scope, ev: Evaluator): string {
  if (tsc.isIdentifier(name) || tsc.isStringLiteral(name) || tsc.isNumericLiteral(name) || tsc.isPrivateIdentifier(name) || tsc.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (tsc.isComputedPropertyName(name)) {
    const k = ev.evaluate(name.expression, scope);
    if (typeof k === 'string' || typeof k === 'number') return String(k);
  }
  throw new ModelError(name, `cannot read the property name \`${text(name)}\` without running the code; ${RUN_IT}`);
}

export const isObject = (v: Value): v is ObjectValue => typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'object';
export const isDecorator = (v: Value): v is DecoratorValue => typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'decorator';
export const isKind = <K extends string>(v: Value, kind: K): v is Extract<Value, { kind: K }> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind: string }).kind === kind;

const isPrimitive = (v: Value): v is string | number | bigint | boolean | null | undefined => v === null || v === undefined || typeof v !== 'object';

/**
 * Whether a value is truthy, when that is known: a primitive's own truthiness; an object, array,
 * function, class or enum is always truthy. What a module that is not read exports is unknown.
 */
function truthy(v: Value): boolean | undefined {
  if (isPrimitive(v)) return Boolean(v);
  return isKind(v, 'external') ? undefined : true;
}

const NUMBER_OPERATORS = new Map<ts.SyntaxKind, (a: number, b: number) => number>([
  [tsc.SyntaxKind.SlashToken, (a, b) => a / b],
  [tsc.SyntaxKind.PercentToken, (a, b) => a % b],
  [tsc.SyntaxKind.AsteriskAsteriskToken, (a, b) => a ** b],
  [tsc.SyntaxKind.LessThanLessThanToken, (a, b) => a << b],
  [tsc.SyntaxKind.GreaterThanGreaterThanToken, (a, b) => a >> b],
  [tsc.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, (a, b) => a >>> b],
  [tsc.SyntaxKind.BarToken, (a, b) => a | b],
  [tsc.SyntaxKind.AmpersandToken, (a, b) => a & b],
  [tsc.SyntaxKind.CaretToken, (a, b) => a ^ b],
]);

/** The members of an enum declaration, with TypeScript's numbering. */
function enumMembers(e: ts.EnumDeclaration, ev: Evaluator, scope: Scope): Map<string, string | number> {
  const members = new Map<string, string | number>();
  let next = 0;
  const own: Scope = { file: scope.file, bindings: new Map(), parent: scope };
  for (const m of e.members) {
    const name = tsc.isIdentifier(m.name) || tsc.isStringLiteral(m.name) ? m.name.text : text(m.name);
    let value: string | number;
    if (!m.initializer) value = next;
    else {
      const v = ev.evaluate(m.initializer, own);
      if (typeof v !== 'string' && typeof v !== 'number') throw new ModelError(m, `enum member ${e.name.text}.${name} must have a literal value`);
      value = v;
    }
    if (typeof value === 'number') next = value + 1;
    members.set(name, value);
    own.bindings!.set(name, fixed(m, value));
  }
  return members;
}

export class Evaluator {
  private readonly enums = new WeakMap<ts.EnumDeclaration, Value>();
  private readonly constants = new WeakMap<ts.VariableDeclaration, Lazy>();
  private depth = 0;

  constructor(readonly project: SourceProject) {}

  /** The scope of a file's top level. */
  fileScope(sf: ts.SourceFile): Scope {
    return { file: sf };
  }

  /** A value read lazily in `scope`. */
  lazy(node: Node, scope: Scope): Lazy {
    return memo(node, () => this.evaluate(node, scope));
  }

  /** What an identifier names in `scope`: a binding, a top-level declaration, an import, a global. */
  private identifier(node: ts.Identifier, scope: Scope): Value {
    const name = node.text;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const b = s.bindings?.get(name);
      if (b) return b.get();
    }
    if (name === 'undefined') return undefined;
    if (name === 'NaN') return NaN;
    if (name === 'Infinity') return Infinity;
    const binding = this.project.lookup(scope.file, name);
    if (binding) return this.binding(binding, node, name);
    if (GLOBALS.has(name)) return { kind: 'external', module: 'global', name, node };
    // setImmediate, Reflect, globalThis …: what they do is only known when the code runs.
    if (name in globalThis) throw new ModelError(node, `\`${name}\` is a global of the JavaScript runtime, which migrator cannot follow without running the code; ${RUN_IT}`);
    throw new ModelError(node, `cannot find \`${name}\`: it is neither declared in this file nor imported`);
  }

  /**
   * A name a destructuring declaration gives: the part of the value it destructures that the
   * element names (`const { type: dbType } = config.database`, `const [first] = list`), or the
   * element's default where that part is undefined.
   */
  private destructured(el: ts.BindingElement, node: Node, name: string): Value {
    const holder = el.parent.parent;
    if (!tsc.isVariableDeclaration(holder) && !tsc.isBindingElement(holder)) throw new ModelError(node, `cannot read \`${name}\` (${where(el)}) without running the code; ${RUN_IT}`);
    const whole = tsc.isVariableDeclaration(holder) ? this.declaration(holder, node, name) : this.destructured(holder, node, name);
    let part: Value;
    if (el.dotDotDotToken) throw new ModelError(node, `\`${name}\` is the rest of a destructuring (${where(el)}); ${RUN_IT}`);
    if (tsc.isObjectBindingPattern(el.parent)) {
      const key = el.propertyName ? propertyName(el.propertyName, this.fileScope(el.getSourceFile()), this) : tsc.isIdentifier(el.name) ? el.name.text : undefined;
      if (!isObject(whole) || key === undefined) throw new ModelError(node, `cannot read \`${name}\` from \`${text(el.parent.parent)}\` (${where(el)}) without running the code; ${RUN_IT}`);
      part = whole.props.get(key)?.get();
    } else {
      if (!Array.isArray(whole)) throw new ModelError(node, `cannot read \`${name}\` from \`${text(el.parent.parent)}\` (${where(el)}) without running the code; ${RUN_IT}`);
      part = whole[el.parent.elements.indexOf(el)];
    }
    return part === undefined && el.initializer ? this.evaluate(el.initializer, this.fileScope(el.getSourceFile())) : part;
  }

  /** The value a binding of the project stands for. */
  binding(b: Binding, node: Node, name: string): Value {
    switch (b.kind) {
      case 'external':
        return { kind: 'external', module: b.module, name: b.name, node };
      case 'namespace':
        return { kind: 'namespace', file: b.file, node };
      case 'expression':
        return this.evaluate(b.node, this.fileScope(b.node.getSourceFile()));
      case 'declaration':
        return this.declaration(b.node, node, name);
    }
  }

  private declaration(d: Declaration, node: Node, name: string): Value {
    const scope = this.fileScope(d.getSourceFile());
    if (tsc.isClassDeclaration(d)) return { kind: 'class', node: d, scope, name: d.name?.text ?? name };
    if (tsc.isFunctionDeclaration(d)) {
      if (!d.body) throw new ModelError(node, `\`${name}\` is declared without a body (${where(d)}); its source is needed to follow it, or ${RUN_IT}`);
      return { kind: 'function', node: d, scope, name: d.name?.text ?? name };
    }
    if (tsc.isEnumDeclaration(d)) {
      let v = this.enums.get(d);
      if (!v) {
        v = { kind: 'enum', node: d, name: d.name.text, members: enumMembers(d, this, scope) };
        this.enums.set(d, v);
      }
      return v;
    }
    if (tsc.isBindingElement(d)) return this.destructured(d, node, name);
    if (tsc.isVariableDeclaration(d)) {
      let lazy = this.constants.get(d);
      if (!lazy) {
        const list = d.parent;
        const isConst = tsc.isVariableDeclarationList(list) && (list.flags & tsc.NodeFlags.Const) !== 0;
        const declared = !d.initializer && d.getSourceFile().isDeclarationFile && d.type ? this.declaredObject(d.type) : undefined;
        if (declared) return declared;
        if (!d.initializer) throw new ModelError(node, `\`${name}\` has no value to read (${where(d)}${d.getSourceFile().isDeclarationFile ? ', a declaration file' : ''}); ${RUN_IT}`);
        if (!isConst) throw new ModelError(node, `\`${name}\` is not a const (${where(d)}), so its value is only known when the code runs; make it a const, or ${RUN_IT}`);
        lazy = this.lazy(d.initializer, scope);
        this.constants.set(d, lazy);
      }
      return lazy.get();
    }
    throw new ModelError(node, `\`${name}\` is a type (${where(d)}), not a value`);
  }

  /**
   * An `as const` object as a declaration file has it: `declare const Role: { readonly Admin: "admin" }`
   * (how a compiled package ships its enums); undefined for any other type.
   */
  private declaredObject(type: ts.TypeNode): ObjectValue | undefined {
    if (!tsc.isTypeLiteralNode(type)) return undefined;
    const props = new Map<string, Lazy>();
    for (const m of type.members) {
      if (!tsc.isPropertySignature(m) || !m.type || !tsc.isLiteralTypeNode(m.type)) return undefined;
      const l = m.type.literal;
      const v = tsc.isStringLiteral(l) ? l.text : tsc.isNumericLiteral(l) ? Number(l.text) : tsc.isPrefixUnaryExpression(l) && tsc.isNumericLiteral(l.operand) ? -Number(l.operand.text) : undefined;
      if (v === undefined) return undefined;
      props.set(propertyName(m.name, this.fileScope(type.getSourceFile()), this), fixed(m, v));
    }
    return { kind: 'object', props, node: type };
  }

  /** The value of an expression in `scope`. */
  evaluate(node: Node, scope: Scope): Value {
    if (++this.depth > 200) {
      this.depth = 0;
      throw new ModelError(node, `\`${text(node)}\` refers to itself; ${RUN_IT}`);
    }
    try {
      return this.evaluateInner(node, scope);
    } finally {
      this.depth--;
    }
  }

  private evaluateInner(node: Node, scope: Scope): Value {
    if (tsc.isStringLiteral(node) || tsc.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (tsc.isNumericLiteral(node)) return Number(node.text);
    if (tsc.isBigIntLiteral(node)) return BigInt(node.text.slice(0, -1));
    if (node.kind === tsc.SyntaxKind.TrueKeyword) return true;
    if (node.kind === tsc.SyntaxKind.FalseKeyword) return false;
    if (node.kind === tsc.SyntaxKind.NullKeyword) return null;
    if (tsc.isIdentifier(node)) return this.identifier(node, scope);
    if (tsc.isParenthesizedExpression(node) || tsc.isAsExpression(node) || tsc.isSatisfiesExpression(node) || tsc.isNonNullExpression(node) || tsc.isTypeAssertionExpression(node)) {
      return this.evaluate(node.expression, scope);
    }
    if (tsc.isPrefixUnaryExpression(node)) {
      const v = this.evaluate(node.operand, scope);
      if (node.operator === tsc.SyntaxKind.MinusToken && typeof v === 'number') return -v;
      if (node.operator === tsc.SyntaxKind.PlusToken && typeof v === 'number') return v;
      if (node.operator === tsc.SyntaxKind.TildeToken && typeof v === 'number') return ~v;
      if (node.operator === tsc.SyntaxKind.ExclamationToken && truthy(v) !== undefined) return !truthy(v);
    }
    if (tsc.isTypeOfExpression(node)) {
      const v = this.evaluate(node.expression, scope);
      if (v === null) return 'object';
      if (typeof v !== 'object') return typeof v;
      if (isKind(v, 'function') || isKind(v, 'class')) return 'function';
      if (Array.isArray(v) || isObject(v) || isKind(v, 'enum')) return 'object';
    }
    if (tsc.isTemplateExpression(node)) {
      let s = node.head.text;
      for (const span of node.templateSpans) {
        const v = this.evaluate(span.expression, scope);
        if (!isPrimitive(v)) throw new ModelError(span.expression, `cannot put \`${text(span.expression)}\` into a string without running the code; ${RUN_IT}`);
        s += String(v) + span.literal.text;
      }
      return s;
    }
    if (tsc.isArrayLiteralExpression(node)) {
      const out: Value[] = [];
      for (const el of node.elements) {
        if (tsc.isSpreadElement(el)) {
          const v = this.evaluate(el.expression, scope);
          if (!Array.isArray(v)) throw new ModelError(el, `cannot spread \`${text(el.expression)}\` without running the code; ${RUN_IT}`);
          out.push(...v);
        } else out.push(this.evaluate(el, scope));
      }
      return out;
    }
    if (tsc.isObjectLiteralExpression(node)) return this.objectLiteral(node, scope);
    if (tsc.isPropertyAccessExpression(node) || tsc.isElementAccessExpression(node)) return this.member(node, scope);
    if (tsc.isBinaryExpression(node)) return this.binary(node, scope);
    if (tsc.isConditionalExpression(node)) {
      const c = truthy(this.evaluate(node.condition, scope));
      if (c === undefined) throw new ModelError(node.condition, `cannot decide \`${text(node.condition)}\` without running the code; ${RUN_IT}`);
      return this.evaluate(c ? node.whenTrue : node.whenFalse, scope);
    }
    if (tsc.isArrowFunction(node) || tsc.isFunctionExpression(node)) return { kind: 'function', node, scope };
    if (tsc.isClassExpression(node)) return { kind: 'class', node, scope, name: node.name?.text ?? '(anonymous class)' };
    if (tsc.isCallExpression(node)) return this.call(node, scope);
    throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; ${RUN_IT}`);
  }

  private objectLiteral(node: ts.ObjectLiteralExpression, scope: Scope): ObjectValue {
    // Properties are evaluated when read, so options with no schema meaning (a transformer
    // object, say) are never evaluated.
    const props = new Map<string, Lazy>();
    for (const p of node.properties) {
      if (tsc.isPropertyAssignment(p)) props.set(propertyName(p.name, scope, this), this.lazy(p.initializer, scope));
      else if (tsc.isShorthandPropertyAssignment(p)) props.set(p.name.text, this.lazy(p.name, scope));
      else if (tsc.isSpreadAssignment(p)) {
        const v = this.evaluate(p.expression, scope);
        // Spreading null, undefined, a boolean or a number adds nothing (`...(cond && { … })`).
        if (v === undefined || v === null || typeof v === 'boolean' || typeof v === 'number') continue;
        if (!isObject(v)) throw new ModelError(p, `cannot spread \`${text(p.expression)}\` without running the code; ${RUN_IT}`);
        for (const [k, lazy] of v.props) props.set(k, lazy);
      } else if (tsc.isMethodDeclaration(p)) props.set(propertyName(p.name, scope, this), fixed(p, { kind: 'function', node: p, scope }));
      else throw new ModelError(p, `cannot read \`${text(p)}\` without running the code; ${RUN_IT}`);
    }
    return { kind: 'object', props, node };
  }

  /** `a.b`, `a?.b`, `a['b']`: enum members, object properties, static class members, namespace exports. */
  private member(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, scope: Scope): Value {
    const object = this.evaluate(node.expression, scope);
    let key: string;
    if (tsc.isPropertyAccessExpression(node)) key = node.name.text;
    else {
      const k = this.evaluate(node.argumentExpression, scope);
      if (typeof k !== 'string' && typeof k !== 'number') throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; ${RUN_IT}`);
      key = String(k);
    }
    const optional = node.questionDotToken !== undefined;
    if ((object === undefined || object === null) && optional) return undefined;
    if (isObject(object)) return object.props.get(key)?.get();
    if (Array.isArray(object)) {
      if (key === 'length') return object.length;
      if (/^\d+$/.test(key)) return object[Number(key)];
    }
    if (typeof object === 'string' && key === 'length') return object.length;
    if (isKind(object, 'enum')) {
      if (!object.members.has(key)) throw new ModelError(node, `enum ${object.name} has no member ${key}`);
      return object.members.get(key);
    }
    if (isKind(object, 'class')) return this.staticMember(object, key, node);
    if (isKind(object, 'namespace')) {
      const b = this.project.exportOf(object.file, key);
      if (!b) throw new ModelError(node, `${object.file.fileName} exports no \`${key}\``);
      return this.binding(b, node, key);
    }
    if (isKind(object, 'external')) {
      if (object.module === 'global' && object.name === 'process') {
        throw new ModelError(node, `\`${text(node)}\` is only known when the code runs (the environment of one machine); ${RUN_IT}`);
      }
      // A namespace import of a module that is not read: `typeorm.Column`.
      if (object.name === '*') return { kind: 'external', module: object.module, name: key, node };
      return { kind: 'external', module: object.module, name: `${object.name}.${key}`, node };
    }
    throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; ${RUN_IT}`);
  }

  private staticMember(cls: Extract<Value, { kind: 'class' }>, key: string, node: Node): Value {
    for (const m of cls.node.members) {
      if (!(tsc.isPropertyDeclaration(m) || tsc.isMethodDeclaration(m)) || !m.name || propertyName(m.name, cls.scope, this) !== key) continue;
      const isStatic = tsc.getModifiers(m)?.some((x) => x.kind === tsc.SyntaxKind.StaticKeyword);
      if (!isStatic) continue;
      // A static method: a helper called as `@Db.json()`, read as any function of the project.
      if (tsc.isMethodDeclaration(m)) {
        if (!m.body) throw new ModelError(node, `${cls.name}.${key} has no body to read (${where(m)}); ${RUN_IT}`);
        return { kind: 'function', node: m, scope: cls.scope, name: `${cls.name}.${key}` };
      }
      if (!m.initializer) throw new ModelError(node, `${cls.name}.${key} has no value to read (${where(m)}); ${RUN_IT}`);
      return this.evaluate(m.initializer, cls.scope);
    }
    throw new ModelError(node, `class ${cls.name} has no static ${key} to read (a static property with a value, or a static method); ${RUN_IT}`);
  }

  private binary(node: ts.BinaryExpression, scope: Scope): Value {
    const op = node.operatorToken.kind;
    const left = this.evaluate(node.left, scope);
    if (op === tsc.SyntaxKind.QuestionQuestionToken) return left ?? this.evaluate(node.right, scope);
    const known = truthy(left);
    if (op === tsc.SyntaxKind.BarBarToken && known !== undefined) return known ? left : this.evaluate(node.right, scope);
    if (op === tsc.SyntaxKind.AmpersandAmpersandToken && known !== undefined) return known ? this.evaluate(node.right, scope) : left;
    const right = this.evaluate(node.right, scope);
    // An object, array or function of the project is never strictly equal to a primitive
    // (`flag === 'on'` with an array for flag), nor loosely to null or undefined (`v != null`).
    const nullish = (v: Value): boolean => v === null || v === undefined;
    const object = (v: Value): boolean => !isPrimitive(v) && truthy(v) === true;
    const mixed = (isPrimitive(left) && object(right)) || (object(left) && isPrimitive(right));
    if (mixed && (op === tsc.SyntaxKind.EqualsEqualsEqualsToken || (op === tsc.SyntaxKind.EqualsEqualsToken && (nullish(left) || nullish(right))))) return false;
    if (mixed && (op === tsc.SyntaxKind.ExclamationEqualsEqualsToken || (op === tsc.SyntaxKind.ExclamationEqualsToken && (nullish(left) || nullish(right))))) return true;
    if (op === tsc.SyntaxKind.InKeyword && (typeof left === 'string' || typeof left === 'number')) {
      if (isObject(right)) return right.props.has(String(left));
      if (isKind(right, 'enum')) return right.members.has(String(left));
    }
    if (isPrimitive(left) && isPrimitive(right)) {
      switch (op) {
        case tsc.SyntaxKind.PlusToken:
          if (typeof left === 'number' && typeof right === 'number') return left + right;
          if (typeof left === 'string' || typeof right === 'string') return String(left) + String(right);
          break;
        case tsc.SyntaxKind.MinusToken:
          if (typeof left === 'number' && typeof right === 'number') return left - right;
          break;
        case tsc.SyntaxKind.AsteriskToken:
          if (typeof left === 'number' && typeof right === 'number') return left * right;
          break;
        default: {
          // The rest of the arithmetic and bitwise operators TypeScript folds in constant enum
          // members (`A = 1 << 0`, `AB = A | B`).
          const arithmetic = typeof left === 'number' && typeof right === 'number' ? NUMBER_OPERATORS.get(op) : undefined;
          if (arithmetic) return arithmetic(left as number, right as number);
          break;
        }
        case tsc.SyntaxKind.EqualsEqualsEqualsToken:
          return left === right;
        case tsc.SyntaxKind.ExclamationEqualsEqualsToken:
          return left !== right;
        case tsc.SyntaxKind.EqualsEqualsToken:
          return left == right; // eslint-disable-line eqeqeq
        case tsc.SyntaxKind.ExclamationEqualsToken:
          return left != right; // eslint-disable-line eqeqeq
      }
    }
    throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; ${RUN_IT}`);
  }

  /** A call: a TypeORM decorator factory, `Object.values`, or a helper function of the project. */
  private call(node: ts.CallExpression, scope: Scope): Value {
    const required = this.required(node, scope);
    if (required) return required;
    const callee = this.evaluate(node.expression, scope);
    const args = node.arguments.map((a) => this.lazy(a, scope));
    if (node.arguments.some(tsc.isSpreadElement)) throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; ${RUN_IT}`);
    if (isKind(callee, 'external')) {
      if (callee.module === 'global' && callee.name === 'JSON.stringify' && args.length === 1) return JSON.stringify(plain(args[0].get()));
      if (callee.module === 'global' && callee.name.startsWith('Object.') && args.length === 1) {
        const v = args[0].get();
        const entries = isKind(v, 'enum') ? enumEntries(v) : isObject(v) ? [...v.props].map(([k, lazy]) => [k, lazy.get()] as [string, Value]) : undefined;
        if (entries) {
          if (callee.name === 'Object.values') return entries.map(([, x]) => x);
          if (callee.name === 'Object.keys') return entries.map(([k]) => k);
        }
      }
      return { kind: 'decorator', module: callee.module, name: callee.name, args, node, via: [] };
    }
    if (isKind(callee, 'function')) return this.apply(callee, args, node);
    throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; ${RUN_IT}`);
  }

  /**
   * `require('./user.entity')` (how a relation target breaks an import cycle: `() =>
   * require('./user.entity').User`): the module, as `import * as` would give it. Undefined for any
   * other call, or where `require` is a name of the project's own.
   */
  private required(node: ts.CallExpression, scope: Scope): Value | undefined {
    const callee = node.expression;
    if (!tsc.isIdentifier(callee) || callee.text !== 'require' || node.arguments.length !== 1) return undefined;
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.bindings?.has('require')) return undefined;
    if (this.project.lookup(node.getSourceFile(), 'require')) return undefined;
    const [arg] = node.arguments;
    if (!tsc.isStringLiteralLike(arg)) throw new ModelError(node, `cannot tell which module \`${text(node)}\` loads without running the code; ${RUN_IT}`);
    const file = this.project.resolve(arg.text, node.getSourceFile());
    if (!file) throw new ModelError(node, `cannot find the module '${arg.text}' that \`${text(node)}\` loads from ${node.getSourceFile().fileName}; ${RUN_IT}`);
    return { kind: 'namespace', file: this.project.file(file), node };
  }

  /**
   * Calls a function of the project with `args`: its body may declare constants, return early on
   * a condition that is known, and must end in a `return`. Decorators it returns remember the call.
   */
  apply(fn: Extract<Value, { kind: 'function' }>, args: Lazy[], site: Node): Value {
    const f = fn.node;
    const bindings = new Map<string, Lazy>();
    const scope: Scope = { file: fn.node.getSourceFile(), bindings, parent: fn.scope };
    f.parameters.forEach((p, i) => {
      // `...decorators`: the rest of the arguments, as an array.
      if (p.dotDotDotToken) {
        if (!tsc.isIdentifier(p.name)) throw new ModelError(p, `cannot follow \`${text(p)}\` without running the code; ${RUN_IT}`);
        const rest = args.slice(i);
        bindings.set(p.name.text, memo(p, () => rest.map((a) => a.get())));
        return;
      }
      const given = args[i];
      const init = p.initializer;
      // A parameter's default applies when the argument is missing or undefined.
      const arg = !init ? (given ?? fixed(p, undefined)) : memo(given?.node ?? p, () => {
        const v = given?.get();
        return v === undefined ? this.evaluate(init, scope) : v;
      });
      if (tsc.isIdentifier(p.name)) bindings.set(p.name.text, arg);
      else if (tsc.isObjectBindingPattern(p.name)) {
        for (const el of p.name.elements) {
          if (!tsc.isIdentifier(el.name) || el.dotDotDotToken) throw new ModelError(el, `cannot follow \`${text(el)}\` without running the code; ${RUN_IT}`);
          const key = el.propertyName ? propertyName(el.propertyName, scope, this) : el.name.text;
          const init = el.initializer;
          bindings.set(el.name.text, memo(el, () => {
            const o = arg.get();
            const v = isObject(o) ? o.props.get(key)?.get() : undefined;
            return v === undefined && init ? this.evaluate(init, scope) : v;
          }));
        }
      } else throw new ModelError(p, `cannot follow \`${text(p)}\` without running the code; ${RUN_IT}`);
    });
    if (!f.body) throw new ModelError(site, `\`${text(site)}\` calls a function without a body; ${RUN_IT}`);
    const result = tsc.isBlock(f.body) ? this.block(f.body.statements, scope, site).value : this.evaluate(f.body, scope);
    return withCallSite(result, site);
  }

  /**
   * Runs the statements of a helper's body: constants and variables, assignments to them and to
   * properties of objects they hold, `if`/`else` on conditions that are known, nested blocks, local
   * classes and functions, `return`. Each statement binds in a new scope over the last, so a value
   * read later sees the state at the point it was written. Anything else is an error.
   */
  private block(statements: readonly ts.Statement[], start: Scope, site: Node, fnScope = start): { returned: boolean; value: Value; scope: Scope } {
    let scope = start;
    const bind = (name: string, lazy: Lazy): void => {
      scope = { file: scope.file, bindings: new Map([[name, lazy]]), parent: scope };
    };
    const cannot = (st: ts.Node): never => {
      const shown = text(st).split('\n')[0].replace(/\s*\{$/, ' { …');
      throw new ModelError(st, `cannot follow \`${shown}\` without running the code (used at ${where(site)}); ${RUN_IT}`);
    };
    for (const st of statements) {
      if (tsc.isReturnStatement(st)) return { returned: true, value: st.expression ? this.evaluate(st.expression, scope) : undefined, scope };
      if (tsc.isEmptyStatement(st) || tsc.isTypeAliasDeclaration(st) || tsc.isInterfaceDeclaration(st)) continue;
      if (tsc.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!tsc.isIdentifier(d.name)) cannot(d);
          bind((d.name as ts.Identifier).text, d.initializer ? this.lazy(d.initializer, scope) : fixed(d, undefined));
        }
        continue;
      }
      if (tsc.isClassDeclaration(st) && st.name) {
        const at = scope;
        bind(st.name.text, memo(st, () => ({ kind: 'class', node: st, scope: at, name: st.name!.text })));
        continue;
      }
      if (tsc.isFunctionDeclaration(st) && st.name && st.body) {
        const at = scope;
        bind(st.name.text, memo(st, () => ({ kind: 'function', node: st, scope: at, name: st.name!.text })));
        continue;
      }
      if (tsc.isExpressionStatement(st) && tsc.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === tsc.SyntaxKind.EqualsToken) {
        const { left, right } = st.expression;
        const value = this.lazy(right, scope);
        if (tsc.isIdentifier(left) && this.isLocal(left.text, scope, fnScope)) {
          bind(left.text, value);
          continue;
        }
        if ((tsc.isPropertyAccessExpression(left) || tsc.isElementAccessExpression(left)) && tsc.isIdentifier(left.expression) && this.isLocal(left.expression.text, scope, fnScope)) {
          const object = this.evaluate(left.expression, scope);
          const key = tsc.isPropertyAccessExpression(left) ? left.name.text : this.evaluate(left.argumentExpression, scope);
          if (isObject(object) && (typeof key === 'string' || typeof key === 'number')) {
            const props = new Map(object.props);
            props.set(String(key), value);
            bind(left.expression.text, fixed(left, { kind: 'object', props, node: object.node }));
            continue;
          }
        }
        cannot(st);
      }
      if (tsc.isIfStatement(st) || tsc.isBlock(st)) {
        const inner = tsc.isBlock(st) ? st.statements : takenBranch(st, this.evaluate(st.expression, scope), site, RUN_IT);
        const r = this.block(inner, scope, site, fnScope);
        if (r.returned) return r;
        scope = r.scope;
        continue;
      }
      if (tsc.isSwitchStatement(st)) {
        const r = this.block(this.switchTaken(st, scope, site), scope, site, fnScope);
        if (r.returned) return r;
        scope = r.scope;
        continue;
      }
      cannot(st);
    }
    return { returned: false, value: undefined, scope };
  }

  /**
   * The statements a `switch` on a known value runs: from the clause whose case equals it (else
   * `default`) on through the clauses after it, up to the first `break` among them.
   */
  private switchTaken(st: ts.SwitchStatement, scope: Scope, site: Node): ts.Statement[] {
    const value = this.evaluate(st.expression, scope);
    if (!isPrimitive(value)) throw new ModelError(st.expression, `cannot decide \`switch (${text(st.expression)})\` without running the code (used at ${where(site)}); ${RUN_IT}`);
    const clauses = st.caseBlock.clauses;
    let start = clauses.findIndex((c) => tsc.isCaseClause(c) && this.evaluate(c.expression, scope) === value);
    if (start === -1) start = clauses.findIndex((c) => tsc.isDefaultClause(c));
    if (start === -1) return [];
    const taken: ts.Statement[] = [];
    for (const clause of clauses.slice(start)) {
      for (const statement of clause.statements) {
        if (tsc.isBreakStatement(statement) && !statement.label) return taken;
        taken.push(statement);
      }
    }
    return taken;
  }

  /** Whether `name` is bound inside the function being run (a parameter or a local), not outside it. */
  private isLocal(name: string, scope: Scope, functionScope: Scope): boolean {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.bindings?.has(name)) return true;
      if (s === functionScope.parent) return false;
    }
    return false;
  }
}

/**
 * The statements an `if` runs, on a condition whose value is known without running anything;
 * an error naming `site` (where the helper is used) and `advice` where it is not.
 */
export function takenBranch(st: ts.IfStatement, condition: Value, site: Node, advice: string): readonly ts.Statement[] {
  const taken = truthy(condition);
  if (taken === undefined) throw new ModelError(st.expression, `cannot decide \`${text(st.expression)}\` without running the code (used at ${where(site)}); ${advice}`);
  const branch = taken ? st.thenStatement : st.elseStatement;
  return !branch ? [] : tsc.isBlock(branch) ? branch.statements : [branch];
}

function withCallSite(v: Value, site: Node): Value {
  if (isDecorator(v)) return { ...v, via: [...v.via, site] };
  if (Array.isArray(v) && v.some(isDecorator)) return v.map((x) => withCallSite(x, site));
  return v;
}

/** An enum's members as TypeScript's runtime object has them (numeric members map both ways). */
function enumEntries(e: Extract<Value, { kind: 'enum' }>): [string, Value][] {
  const out: [string, Value][] = [];
  for (const [k, v] of e.members) if (typeof v === 'number') out.push([String(v), k]);
  for (const [k, v] of e.members) out.push([k, v]);
  return out;
}

/** An evaluated value as plain data (JSON defaults, JSON.stringify); an error where it is not plain. */
export function plain(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  if (isObject(v)) return Object.fromEntries([...v.props].map(([k, lazy]) => [k, plain(lazy.get())]));
  if (isKind(v, 'external') && v.module !== 'global' && !SCHEMA_MODULE.test(v.module)) {
    throw new ModelError(v.node, `\`${text(v.node)}\` comes from '${v.module}', whose declarations cannot be found from here; install or build the project's dependencies (npm install), or write the value itself`);
  }
  throw new ModelError(v.node, `cannot read \`${text(v.node)}\` as plain data without running the code; ${RUN_IT}`);
}

/** The values a TypeORM `enum:` option stands for: an array, a TypeScript enum, or an `as const` object. */
export function enumValuesOf(v: Value): (string | number)[] | undefined {
  if (Array.isArray(v)) return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
  if (isKind(v, 'enum')) {
    // TypeORM: Object.keys(enum).filter(key => isNaN(+key)).map(key => enum[key]).
    return enumEntries(v).filter(([k]) => isNaN(+k)).map(([, x]) => x as string | number);
  }
  if (isObject(v)) {
    const out: (string | number)[] = [];
    for (const [k, lazy] of v.props) {
      if (!isNaN(+k)) continue;
      const x = lazy.get();
      if (typeof x === 'string' || typeof x === 'number') out.push(x);
    }
    return out;
  }
  return undefined;
}

/** The evaluated value of an option, or undefined when it is not given. */
export function option(obj: ObjectValue | undefined, key: string): Value {
  return obj?.props.get(key)?.get();
}

/** The property named by an inverse-side function `(tag) => tag.posts` or a string `'posts'`. */
export function inversePropertyOf(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (isKind(v, 'function')) {
    const f = v.node;
    const param = f.parameters[0];
    let body: ts.Node | undefined = f.body;
    if (body && tsc.isBlock(body)) {
      const only = body.statements.length === 1 ? body.statements[0] : undefined;
      body = only && tsc.isReturnStatement(only) ? only.expression : undefined;
    }
    while (body && (tsc.isParenthesizedExpression(body) || tsc.isNonNullExpression(body) || tsc.isAsExpression(body))) body = body.expression;
    if (param && tsc.isIdentifier(param.name) && body && tsc.isPropertyAccessExpression(body) && tsc.isIdentifier(body.expression) && body.expression.text === param.name.text) {
      return body.name.text;
    }
  }
  return undefined;
}

/** Calls a zero-argument function value (`() => Customer`, `() => 'now()'`); other values as they are. */
export function called(v: Value, ev: Evaluator, site: Node): Value {
  if (!isKind(v, 'function')) return v;
  // `() => 'now()'`, `() => Customer`: the body is all there is to run.
  const body = v.node.body;
  if (v.node.parameters.length === 0 && body && !tsc.isBlock(body)) return ev.evaluate(body, v.scope);
  return ev.apply(v, [], site);
}
