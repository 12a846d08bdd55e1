/**
 * Static evaluation of decorator arguments: literals, object and array literals, arrow functions
 * returning a literal or a class (`() => Customer`, `() => 'CURRENT_TIMESTAMP'`), and references
 * to enums and their members. Anything else is an error naming file:line; no code is run.
 *
 * Works on the TypeScript syntax tree directly (ts-morph's `ts`): reading thousands of entities
 * through wrapper objects would cost more than parsing them.
 */
import { ts } from 'ts-morph';
import { MigratorError } from '../../errors.js';

type Node = ts.Node;

export type Value =
  | string
  | number
  | boolean
  | null
  | undefined
  | Value[]
  | { kind: 'object'; props: Map<string, Node>; node: Node }
  | { kind: 'ref'; name: string; node: Node }
  | { kind: 'member'; object: string; member: string; node: Node }
  | { kind: 'fn'; returns: Value; param?: string; node: Node };

export type ObjectValue = Extract<Value, { kind: 'object' }>;

/** `file:line` of a node. */
export function where(node: Node): string {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${sf.fileName}:${line + 1}`;
}

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

function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return text(name);
}

export function evaluate(node: Node): Value {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node) && node.text === 'undefined') return undefined;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const v = evaluate(node.operand);
    if (typeof v === 'number') return -v;
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return evaluate(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(evaluate);
  if (ts.isObjectLiteralExpression(node)) {
    // Properties are evaluated when read, so options with no schema meaning (a transformer
    // object, say) are never evaluated.
    const props = new Map<string, Node>();
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p)) props.set(propertyName(p.name), p.initializer);
      else if (ts.isShorthandPropertyAssignment(p)) props.set(p.name.text, p.name);
      else throw new ModelError(p, `cannot read \`${text(p)}\` without running the code; use a plain property`);
    }
    return { kind: 'object', props, node };
  }
  if (ts.isIdentifier(node)) return { kind: 'ref', name: node.text, node };
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    return { kind: 'member', object: node.expression.text, member: node.name.text, node };
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const body = node.body;
    let returned: Node | undefined;
    if (ts.isBlock(body)) {
      const only = body.statements.length === 1 ? body.statements[0] : undefined;
      returned = only && ts.isReturnStatement(only) ? only.expression : undefined;
    } else returned = body;
    if (!returned) throw new ModelError(node, 'a function in a decorator must return a single value, e.g. () => Customer');
    const first = node.parameters[0];
    const param = first && ts.isIdentifier(first.name) ? first.name.text : undefined;
    return { kind: 'fn', returns: evaluate(returned), node, ...(param ? { param } : {}) };
  }
  throw new ModelError(node, `cannot read \`${text(node)}\` without running the code; use a literal`);
}

/** The evaluated value of an option, or undefined when it is not given. */
export function option(obj: ObjectValue | undefined, key: string): Value {
  const node = obj?.props.get(key);
  return node ? evaluate(node) : undefined;
}

export function isObject(v: Value): v is ObjectValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'object';
}

/** A class named by `() => Customer` (or a bare `Customer`, or a string naming it). */
export function classNameOf(v: Value, node: Node): string {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    if (v.kind === 'fn') return classNameOf(v.returns, node);
    if (v.kind === 'ref') return v.name;
  }
  if (typeof v === 'string') return v;
  throw new ModelError(node, 'expected the related entity, e.g. () => Customer');
}

/** The property named by an inverse-side function `(tag) => tag.posts` or a string `'posts'`. */
export function inversePropertyOf(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'fn') {
    const r = v.returns;
    if (typeof r === 'object' && r !== null && !Array.isArray(r) && r.kind === 'member' && r.object === v.param) return r.member;
  }
  return undefined;
}
