/**
 * Operations rendered as TypeScript source: the `await op.…(…)` statements of a revision file.
 * Output is deterministic (fixed key order, single quotes) and wrapped like hand-written code.
 */
import { normalizeIndexKey, type Column } from '../schema/schema.js';
import { dispatch, type Handlers, type OperationOf } from './kinds.js';
import type { Constraint, Operation } from './operation.js';

const MAX_LINE = 100;

// Control characters, line and paragraph separators, bidirectional controls (which can make code
// read differently from how it runs) and lone surrogates (which UTF-8 cannot hold) are escaped, so
// that a literal stays on its line and reads back as exactly the text it was given.
const UNSAFE = String.raw`\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069`;
const LONE_SURROGATE = String.raw`[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;
const UNSAFE_SINGLE = new RegExp(`[${UNSAFE}']|${LONE_SURROGATE}`, 'g');
const UNSAFE_DOUBLE = new RegExp(`[${UNSAFE}"]|${LONE_SURROGATE}`, 'g');
const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

/** A string as a TypeScript literal: single-quoted, or double-quoted when that avoids escapes. */
export function tsString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return `${q}${s.replace(q === "'" ? UNSAFE_SINGLE : UNSAFE_DOUBLE, escapeChar)}${q}`;
}

function escapeChar(c: string): string {
  const named = NAMED_ESCAPES[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

type Literal = string | number | boolean | null | undefined | Literal[] | { [key: string]: Literal };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function inline(v: Literal): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return tsString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  const entries = Object.entries(v as Record<string, Literal>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, x]) => `${IDENTIFIER.test(k) ? k : tsString(k)}: ${inline(x)}`).join(', ')} }`;
}

/** A value as source, broken over lines (objects and arrays one entry a line) when too long. */
function render(v: Literal, indent: string, used: number): string {
  const flat = inline(v);
  if (indent.length + used + flat.length <= MAX_LINE || v === null || typeof v !== 'object') return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    return `[\n${v.map((x) => `${inner}${render(x, inner, 1)},\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  return `{\n${entries
    .map(([k, x]) => {
      const key = IDENTIFIER.test(k) ? k : tsString(k);
      return `${inner}${key}: ${render(x, inner, key.length + 3)},\n`;
    })
    .join('')}${indent}}`;
}

/**
 * An `await op.method(…);` statement. When too long, the last argument before `options` (an
 * object) is broken over lines; leading scalars stay on the first line, options after it.
 */
function call(method: string, args: Literal[], indent: string, options: Record<string, Literal> = {}): string {
  const head = `await op.${method}(`;
  const tail = Object.values(options).some((v) => v !== undefined) ? [options as Literal] : [];
  const flat = `${head}${[...args, ...tail].map(inline).join(', ')});`;
  if (indent.length + flat.length <= MAX_LINE) return flat;
  const lead = args.slice(0, -1).map(inline);
  const last = args[args.length - 1];
  const prefix = `${head}${lead.map((a) => `${a}, `).join('')}`;
  return `${prefix}${render(last as Literal, indent, prefix.length + 2)}${tail.map((t) => `, ${inline(t)}`).join('')});`;
}

function columnLiteral(c: Column): Literal {
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    default: c.default,
    autoincrement: c.autoincrement || undefined,
    identity: c.identity,
    comment: c.comment,
    onUpdate: c.onUpdate,
    collation: c.collation,
    generated: c.generated,
    virtual: c.virtual,
  };
}

function constraintLiteral(c: Constraint): Literal {
  switch (c.type) {
    case 'unique':
      return { name: c.name, columns: c.columns };
    case 'check':
      return { name: c.name, expression: c.expression };
    case 'foreignKey':
      return {
        name: c.name,
        columns: c.columns,
        referencedTable: c.referencedTable,
        referencedColumns: c.referencedColumns,
        onDelete: c.onDelete,
        onUpdate: c.onUpdate,
      };
  }
}

const CONSTRAINT_METHOD = { unique: 'createUniqueConstraint', foreignKey: 'createForeignKey', check: 'createCheckConstraint' } as const;

/**
 * Line comments to go before a statement indented by `indent`, ending with that indent; empty
 * without comments. Line breaks inside a comment become spaces, so each stays one line.
 */
export function renderComments(comments: readonly string[] | undefined, indent = '  '): string {
  return (comments ?? []).map((c) => `// ${c.replace(/[\r\n\u2028\u2029]+/g, ' ')}\n${indent}`).join('');
}

/** One operation as an `await op.…;` statement (possibly spanning lines), indented by `indent`. */
export function renderOperation(op: Operation, indent = '  '): string {
  return dispatch(RENDER, op, indent);
}

function renderCreateTable(op: OperationOf<'createTable'>, indent: string): string {
  const t = op.table;
  const nonEmpty = <T>(xs: T[]): T[] | undefined => (xs.length ? xs : undefined);
  return call(
    'createTable',
    [
      t.name,
      {
        columns: t.columns.map(columnLiteral),
        primaryKey: t.primaryKey ? { name: t.primaryKey.name, columns: t.primaryKey.columns } : undefined,
        uniques: nonEmpty(t.uniques.map((u) => constraintLiteral({ type: 'unique', ...u }))),
        checks: nonEmpty(t.checks.map((c) => constraintLiteral({ type: 'check', ...c }))),
        foreignKeys: nonEmpty(t.foreignKeys.map((f) => constraintLiteral({ type: 'foreignKey', ...f }))),
        comment: t.comment,
        collation: t.collation,
      } as Literal,
    ],
    indent,
  );
}

function renderAlterColumn(op: OperationOf<'alterColumn'>, indent: string): string {
  return call(
    'alterColumn',
    [
      op.table,
      op.column,
      {
        type: op.changes.type,
        nullable: op.changes.nullable,
        default: op.changes.default,
        autoincrement: op.changes.autoincrement,
        identity: op.changes.identity,
        comment: op.changes.comment,
        onUpdate: op.changes.onUpdate,
        collation: op.changes.collation,
        generated: op.changes.generated,
        virtual: op.changes.virtual,
      },
    ],
    indent,
    { throughCheck: op.throughCheck || undefined },
  );
}

function renderCreateIndex(op: OperationOf<'createIndex'>, indent: string): string {
  return call(
    'createIndex',
    [
      op.table,
      {
        name: op.index.name,
        columns: op.index.columns.map(normalizeIndexKey) as Literal,
        unique: op.index.unique || undefined,
        where: op.index.where,
        using: op.index.using,
        concurrently: op.concurrently || undefined,
      },
    ],
    indent,
  );
}

/** By name and type when the constraint has a name, else by its shape. */
function renderDropConstraint(op: OperationOf<'dropConstraint'>, indent: string): string {
  const ref = op.ref;
  if ('name' in ref) return call('dropConstraint', [op.table, ref.name, ref.type], indent);
  return call('dropConstraint', [op.table, ref as unknown as Literal], indent);
}

const RENDER: Handlers<string, [indent: string]> = {
  createTable: renderCreateTable,
  dropTable: (op, indent) => call('dropTable', [op.table], indent),
  renameTable: (op, indent) => call('renameTable', [op.from, op.to], indent),
  addColumn: (op, indent) => call('addColumn', [op.table, columnLiteral(op.column)], indent),
  dropColumn: (op, indent) => call('dropColumn', [op.table, op.column], indent),
  alterColumn: renderAlterColumn,
  renameColumn: (op, indent) => call('renameColumn', [op.table, op.from, op.to], indent),
  alterPrimaryKey: (op, indent) =>
    call('alterPrimaryKey', [op.table, op.primaryKey ? { name: op.primaryKey.name, columns: op.primaryKey.columns } : null], indent),
  createIndex: renderCreateIndex,
  dropIndex: (op, indent) => call('dropIndex', [op.table, op.name], indent, { concurrently: op.concurrently || undefined }),
  renameIndex: (op, indent) => call('renameIndex', [op.table, op.from, op.to], indent),
  addConstraint: (op, indent) => call(CONSTRAINT_METHOD[op.constraint.type], [op.table, constraintLiteral(op.constraint)], indent, { validate: op.validate }),
  validateConstraint: (op, indent) => call('validateConstraint', [op.table, op.name], indent),
  dropConstraint: renderDropConstraint,
  renameConstraint: (op, indent) => call('renameConstraint', [op.table, op.from, op.to], indent),
  setTableComment: (op, indent) => call('setTableComment', [op.table, op.comment], indent),
  createExtension: (op, indent) =>
    call('createExtension', op.schema !== undefined || op.version !== undefined ? [op.name, { schema: op.schema, version: op.version }] : [op.name], indent),
  dropExtension: (op, indent) => call('dropExtension', [op.name], indent),
  createEnum: (op, indent) => call('createEnum', [op.enum.name, op.enum.values], indent),
  dropEnum: (op, indent) => call('dropEnum', [op.name], indent),
  addEnumValue: (op, indent) => call('addEnumValue', op.before !== undefined ? [op.name, op.value, { before: op.before }] : [op.name, op.value], indent),
  dropEnumValue: (op, indent) => call('dropEnumValue', [op.name, op.value], indent),
  renameEnum: (op, indent) => call('renameEnum', [op.from, op.to], indent),
  execute: (op, indent) => call('execute', [op.sql], indent, { transaction: op.transaction }),
};
