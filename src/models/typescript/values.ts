/**
 * Static evaluation of decorator arguments: literals, object and array literals, arrow functions
 * returning a literal or a class (`() => Customer`, `() => 'CURRENT_TIMESTAMP'`), and references
 * to enums and their members. Anything else is an error naming file:line; no code is run.
 */
import { Node, SyntaxKind } from 'ts-morph';
import { MigratorError } from '../../errors.js';

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

export function where(node: Node): string {
  return `${node.getSourceFile().getFilePath()}:${node.getStartLineNumber()}`;
}

export class ModelError extends MigratorError {
  constructor(node: Node, message: string) {
    super(`${where(node)}: ${message}`);
    this.name = 'ModelError';
  }
}

export function evaluate(node: Node): Value {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (Node.isTrueLiteral(node)) return true;
  if (Node.isFalseLiteral(node)) return false;
  if (node.getKind() === SyntaxKind.NullKeyword) return null;
  if (Node.isIdentifier(node) && node.getText() === 'undefined') return undefined;
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken) {
    const v = evaluate(node.getOperand());
    if (typeof v === 'number') return -v;
  }
  if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) return evaluate(node.getExpression());
  if (Node.isArrayLiteralExpression(node)) return node.getElements().map(evaluate);
  if (Node.isObjectLiteralExpression(node)) {
    // Properties are evaluated when read, so options with no schema meaning (a transformer
    // object, say) are never evaluated.
    const props = new Map<string, Node>();
    for (const p of node.getProperties()) {
      if (Node.isPropertyAssignment(p)) {
        const nameNode = p.getNameNode();
        const name = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
        props.set(name, p.getInitializerOrThrow());
      } else if (Node.isShorthandPropertyAssignment(p)) {
        props.set(p.getName(), p.getNameNode());
      } else {
        throw new ModelError(p, `cannot read \`${p.getText()}\` without running the code; use a plain property`);
      }
    }
    return { kind: 'object', props, node };
  }
  if (Node.isIdentifier(node)) return { kind: 'ref', name: node.getText(), node };
  if (Node.isPropertyAccessExpression(node)) {
    const obj = node.getExpression();
    if (Node.isIdentifier(obj)) return { kind: 'member', object: obj.getText(), member: node.getName(), node };
  }
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) {
    const body = node.getBody();
    let returned: Node | undefined;
    if (Node.isBlock(body)) {
      const statements = body.getStatements();
      const ret = statements.length === 1 && Node.isReturnStatement(statements[0]) ? statements[0].getExpression() : undefined;
      returned = ret;
    } else returned = body;
    if (!returned) throw new ModelError(node, 'a function in a decorator must return a single value, e.g. () => Customer');
    const param = node.getParameters()[0]?.getName();
    return { kind: 'fn', returns: evaluate(returned), node, ...(param ? { param } : {}) };
  }
  throw new ModelError(node, `cannot read \`${node.getText()}\` without running the code; use a literal`);
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
