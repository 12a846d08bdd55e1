/**
 * Primary keys, unique indexes and indexes of a model as Prisma Migrate builds them: @id/@@id,
 * @unique/@@unique, @@index and (MySQL) @@fulltext with their arguments — `map:` (and @@index's
 * legacy `name:`), a field's `sort:`, `ops:` and (MySQL) `length:`, `type:`, `where:` (preview
 * `partialIndexes`) — and Prisma's refusals (`length:` where the provider has no prefixes,
 * `clustered:`, `sort:` on a key …), each an error naming the line.
 */
import type { Attribute, BlockAttribute, Func, KeyValue, Value } from '@mrleebo/prisma-ast';
import type { Index, IndexKey, PrimaryKey } from '../../schema/schema.js';
import { quoteLiteral } from '../../dialects/dialect.js';
import { booleanArg, constantArg, fieldList, isFunc, isKeyValue, readArgs, show, stringArg, stringLiteral, type FieldRef } from './args.js';
import { fail, lineOf, type Where } from './errors.js';
import { INDEX_TYPES, operatorClassProblem, operatorClassSql, type IndexedField, type IndexType } from './operator-classes.js';
import type { PrismaProvider } from './providers/index.js';

/** A scalar field of the model: what indexes refer to. */
export interface ScalarField extends IndexedField {
  column: string;
  line?: number;
}

/** What index attributes of one model are read against. */
export interface ModelContext {
  file: string;
  model: string;
  table: string;
  provider: PrismaProvider;
  previewFeatures: ReadonlySet<string>;
  scalars: ReadonlyMap<string, ScalarField>;
  relations: ReadonlySet<string>;
  /** The `name:` of each @@id and @@unique read so far: Prisma wants each once in a model. */
  clientNames: Map<string, string>;
  names: {
    primaryKey(table: string): string;
    unique(table: string, columns: string[]): string;
    index(table: string, columns: string[]): string;
  };
}

type Kind = 'id' | 'unique' | 'index' | 'fulltext';

const SPECS = {
  fieldId: { names: ['map', 'length', 'sort', 'clustered'] },
  fieldUnique: { names: ['map', 'length', 'sort', 'clustered', 'where'] },
  blockId: { positional: 'fields', names: ['fields', 'name', 'map', 'length', 'clustered'] },
  blockUnique: { positional: 'fields', names: ['fields', 'name', 'map', 'length', 'clustered', 'where'] },
  blockIndex: { positional: 'fields', names: ['fields', 'name', 'map', 'type', 'clustered', 'where'] },
  blockFulltext: { positional: 'fields', names: ['fields', 'name', 'map'] },
} as const;

/** The `@id` of `field`. */
export function fieldId(attr: Attribute, field: ScalarField, ctx: ModelContext): PrimaryKey {
  const where: Where = { file: ctx.file, line: lineOf(attr) ?? field.line };
  const args = readArgs(attr.args, SPECS.fieldId, '@id', where);
  refuseKeyArguments('@id', 'the primary key', args, where, ctx);
  if (field.list) fail(where, `@id on ${field.name}: fields that are marked as id must be required, and a list is not (Prisma: "Fields that are marked as id must be required")`);
  keyFieldProblem('@id', field, 'id', undefined, ctx, where);
  return { name: primaryKeyName(args, ctx, where), columns: [field.column] };
}

/** The `@@id([...])` of the model. */
export function blockId(attr: BlockAttribute, ctx: ModelContext): PrimaryKey {
  const where: Where = { file: ctx.file, line: lineOf(attr) };
  const args = readArgs(attr.args, SPECS.blockId, '@@id', where);
  refuseKeyArguments('@@id', 'the primary key', args, where, ctx);
  clientName(args, '@@id', ctx, where);
  const refs = fieldList(args.get('fields'), '@@id fields', where, true);
  // Prisma takes `ops:` on a key's fields and writes nothing of it.
  const fields = resolveFields(refs, 'id', ctx, where);
  for (const [i, ref] of refs.entries()) {
    refuseKeyArguments('@@id', 'the primary key', ref.args, where, ctx, fields[i].name);
    keyFieldProblem('@@id', fields[i], 'id', undefined, ctx, where);
  }
  return { name: primaryKeyName(args, ctx, where), columns: fields.map((f) => f.column) };
}

/** The unique index of a field's `@unique`. */
export function fieldUnique(attr: Attribute, field: ScalarField, ctx: ModelContext): Index {
  const where: Where = { file: ctx.file, line: lineOf(attr) ?? field.line };
  const args = readArgs(attr.args, SPECS.fieldUnique, '@unique', where);
  // On a field, `length:` is the field's own prefix length (MySQL).
  refuseIndexArguments('@unique', ctx.provider.indexPrefixes ? new Map([...args].filter(([k]) => k !== 'length')) : args, where);
  refuseXml([field], ctx);
  const key = indexKey(field, { args }, 'BTree', ctx, where, '@unique');
  return {
    name: stringArg(args.get('map'), '@unique(map:)', where) ?? ctx.names.unique(ctx.table, [field.column]),
    columns: [key],
    unique: true,
    ...partialIndex(args.get('where'), '@unique', ctx, where),
  };
}

/** The index of a model's `@@unique`, `@@index` or `@@fulltext`. */
export function blockIndex(attr: BlockAttribute, ctx: ModelContext): Index {
  const kind: Kind = attr.name === 'unique' ? 'unique' : attr.name === 'fulltext' ? 'fulltext' : 'index';
  const attribute = `@@${attr.name}`;
  const where: Where = { file: ctx.file, line: lineOf(attr) };
  const args = readArgs(attr.args, kind === 'unique' ? SPECS.blockUnique : kind === 'fulltext' ? SPECS.blockFulltext : SPECS.blockIndex, attribute, where);
  refuseIndexArguments(attribute, args, where);
  const refs = fieldList(args.get('fields'), `${attribute} fields`, where, true);
  if (refs.length === 0) fail(where, `${attribute} names no fields; list them, e.g. ${attribute}([a, b])`);
  const fields = resolveFields(refs, kind, ctx, where);
  refuseXml(fields, ctx);

  const typeName = kind === 'index' ? constantArg(args.get('type'), `${attribute}(type:)`, 'Gin', where) : undefined;
  if (typeName !== undefined && !Object.hasOwn(INDEX_TYPES, typeName)) fail(where, `${attribute}: unknown index type ${typeName}; use one of ${Object.keys(INDEX_TYPES).join(', ')}`);
  const type = (typeName ?? 'BTree') as IndexType;
  if (type !== 'BTree' && !ctx.provider.indexTypes) fail(where, `${attribute}: type: ${type} is not supported with the current connector (${ctx.provider.name}); only BTree is`);
  if (ctx.provider.indexTypes) {
    if (type === 'SpGist' && fields.length > 1) fail(where, `${attribute}: SpGist does not support multi-column indices`);
    if (type === 'Hash' && refs.some((r) => r.args.has('sort'))) fail(where, `${attribute}: Hash type does not support sort option`);
  }
  const columns = fields.map((f, i) => indexKey(f, refs[i], type, ctx, where, attribute, kind));

  let name: string | undefined;
  const map = stringArg(args.get('map'), `${attribute}(map:)`, where);
  if (kind === 'index' || kind === 'fulltext') {
    // `name:` is the legacy spelling of `map:` on @@index; on @@unique it names the client's field.
    const legacy = stringArg(args.get('name'), `${attribute}(name:)`, where);
    if (legacy !== undefined && map !== undefined) {
      fail(where, '@@index takes `name` as an alias for `map` for legacy reasons, not both; use `map` for the database name of the index');
    }
    name = map ?? legacy;
  } else {
    clientName(args, attribute, ctx, where);
    name = map;
  }
  const cols = fields.map((f) => f.column);
  return {
    name: name ?? (kind === 'unique' ? ctx.names.unique(ctx.table, cols) : ctx.names.index(ctx.table, cols)),
    columns,
    unique: kind === 'unique',
    ...partialIndex(args.get('where'), attribute, ctx, where),
    ...(kind === 'fulltext' ? { using: 'fulltext' } : type !== 'BTree' ? { using: INDEX_TYPES[type] } : {}),
  };
}

function primaryKeyName(args: Map<string, Value | Func>, ctx: ModelContext, where: Where): string {
  const map = stringArg(args.get('map'), 'the primary key’s map', where);
  if (map !== undefined && !ctx.provider.namedPrimaryKeys) fail(where, `model ${ctx.model}: a database name (map:) for the primary key is not supported by the ${ctx.provider.name} provider; remove it`);
  return map ?? ctx.names.primaryKey(ctx.table);
}

/** Prisma's refusals for a primary key (or a field of one); MySQL's prefix lengths, which Prisma takes, migrator cannot keep on a key. */
function refuseKeyArguments(attribute: string, what: string, args: Map<string, unknown>, where: Where, ctx: ModelContext, field?: string): void {
  const of = field ? ` (field ${field})` : '';
  if (args.has('sort')) fail(where, `${attribute}: the sort argument is not supported in ${what} with the current connector${of}; remove it`);
  if (args.has('length') && ctx.provider.indexPrefixes) fail(where, `${attribute}: migrator does not support a prefix length (length:) in ${what}${of} yet; index a column that needs no prefix, or keep this schema with Prisma Migrate`);
  if (args.has('length')) fail(where, `${attribute}: the length argument is not supported in ${what} with the current connector${of}; remove it`);
  if (args.has('clustered')) fail(where, `${attribute}: defining clustering is not supported with the current connector; remove clustered:`);
}

/** Prisma's refusals for an index (or unique) on PostgreSQL and SQLite. */
function refuseIndexArguments(attribute: string, args: Map<string, unknown>, where: Where): void {
  if (args.has('length')) fail(where, `${attribute}: the length argument is not supported in an index definition with the current connector; remove it`);
  if (args.has('clustered')) {
    booleanArg(args.get('clustered') as Value, `${attribute}(clustered:)`, where);
    fail(where, `${attribute}: defining clustering is not supported with the current connector; remove clustered:`);
  }
}

/** `name:` of @@id and @@unique names the client's compound field: Prisma checks its characters, the database never sees it. */
function clientName(args: Map<string, Value | Func>, attribute: string, ctx: ModelContext, where: Where): void {
  const name = stringArg(args.get('name'), `${attribute}(name:)`, where);
  if (name === undefined) return;
  if (!/^[_a-zA-Z0-9]+$/.test(name)) fail(where, `the \`name\` of ${attribute} only allows the characters _a-zA-Z0-9 (got "${name}")`);
  if (ctx.scalars.has(name) || ctx.relations.has(name)) fail(where, `the custom name \`${name}\` of ${attribute} is already the name of a field of ${ctx.model}; choose another name (Prisma Client names the compound field by it)`);
  const earlier = ctx.clientNames.get(name);
  if (earlier !== undefined) fail(where, `the custom name \`${name}\` of ${attribute} is already the name of ${earlier} on ${ctx.model}; give each a name of its own (Prisma Client names the compound field by it)`);
  ctx.clientNames.set(name, `${attribute} at line ${where.line}`);
}

/** The fields an index names, each once and each a scalar field of the model. */
function resolveFields(refs: FieldRef[], kind: Kind, ctx: ModelContext, where: Where): ScalarField[] {
  const what = kind === 'unique' ? 'unique index' : kind === 'id' ? 'primary key' : 'index';
  const relations = refs.filter((r) => ctx.relations.has(r.name)).map((r) => r.name);
  if (relations.length) fail(where, `the ${what} of model ${ctx.model} refers to the relation field(s) ${relations.join(', ')}; name scalar fields only`);
  const unknown = refs.filter((r) => !ctx.scalars.has(r.name)).map((r) => r.name);
  if (unknown.length) fail(where, `the ${what} of model ${ctx.model} names "${unknown.join('", "')}", which is not a scalar field of model ${ctx.model}`);
  const seen = new Set<string>();
  for (const r of refs) {
    if (seen.has(r.name)) fail(where, `the ${what} of model ${ctx.model} refers to the field ${r.name} multiple times`);
    seen.add(r.name);
  }
  return refs.map((r) => ctx.scalars.get(r.name)!);
}

/** PostgreSQL cannot index xml; Prisma refuses such an index at the field. */
function refuseXml(fields: ScalarField[], ctx: ModelContext): void {
  if (!ctx.provider.indexTypes) return;
  const xml = fields.find((f) => f.native === 'Xml');
  if (xml) fail({ file: ctx.file, line: xml.line }, `field ${ctx.model}.${xml.name}: an index cannot be defined on fields with native type Xml of PostgreSQL`);
}

/** Prisma's complaint, through the provider, about a field of a key or index (MySQL: TEXT without a prefix length). */
function keyFieldProblem(attribute: string, field: ScalarField, kind: Kind, length: number | undefined, ctx: ModelContext, where: Where): void {
  const problem = ctx.provider.keyFieldProblem?.(field, kind, length);
  if (problem) fail(where, `${attribute}: ${problem}`);
}

/** A field's prefix length (`length:`, MySQL), checked as Prisma checks it; undefined when not given. */
function prefixLength(field: ScalarField, ref: Pick<FieldRef, 'args'>, ctx: ModelContext, where: Where, attribute: string, kind: Kind): number | undefined {
  const v = ref.args.get('length');
  if (v === undefined) return undefined;
  if (!ctx.provider.indexPrefixes) fail(where, `${attribute}: the length argument is not supported in an index definition with the current connector (field ${field.name}); remove it`);
  if (kind === 'fulltext') fail(where, `${attribute}: the length argument is not supported in a @@fulltext attribute (field ${field.name}); remove it`);
  if (field.scalar !== 'String' && field.scalar !== 'Bytes') fail(where, `${attribute}: the length argument is only allowed with field types \`String\` or \`Bytes\` (field ${field.name} is ${field.scalar})`);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n <= 0) fail(where, `${attribute}: the length of field ${field.name} must be a positive whole number, e.g. length: 10 (got ${show(v)})`);
  return n;
}

/** One key of an index: the column, its prefix length (MySQL), sort order, operator class (PostgreSQL). */
function indexKey(field: ScalarField, ref: Pick<FieldRef, 'args'>, type: IndexType, ctx: ModelContext, where: Where, attribute: string, kind: Kind = 'unique'): IndexKey {
  const length = prefixLength(field, ref, ctx, where, attribute, kind);
  keyFieldProblem(attribute, field, kind, length, ctx, where);
  const sort = constantArg(ref.args.get('sort') as Value | undefined, `${attribute}(sort:)`, 'Desc', where);
  if (sort !== undefined && sort !== 'Asc' && sort !== 'Desc') fail(where, `${attribute}: the sort argument can only be Asc or Desc (got ${sort})`);
  if (sort !== undefined && kind === 'fulltext') fail(where, `${attribute}: the sort argument is not supported in a @@fulltext attribute in the current connector (field ${field.name}); remove it`);
  const ops = ref.args.get('ops');
  let opclass: string | undefined;
  if (ops !== undefined) {
    if (kind !== 'index') fail(where, `${attribute}: operator classes (ops:) can only be given to fields of an @@index`);
    const raw = isFunc(ops) && ops.name === 'raw' ? rawText(ops, `${attribute}: ops: raw(…)`, where) : undefined;
    const named = raw === undefined ? constantArg(ops as Value, `${attribute}(ops:)`, 'JsonbPathOps', where) : undefined;
    if (named !== undefined && !operatorClassSql(named)) fail(where, `${attribute}: ${named} is not an operator class Prisma knows; name one (JsonbPathOps, InetOps …) or write ops: raw("the_ops")`);
    if (ctx.provider.indexTypes) opclass = raw ?? operatorClassSql(named!);
    // SQLite has no operator classes: Prisma accepts ops: there and writes nothing of it.
  }
  // Prisma checks named operator classes and fields without one; a raw one is the user's word.
  if (ctx.provider.indexTypes && !isFunc(ops)) {
    const problem = operatorClassProblem(type, field, ops === undefined ? undefined : String(ops));
    if (problem) fail(where, `${attribute}: ${problem}`);
  }
  if (sort !== 'Desc' && opclass === undefined && length === undefined) return field.column;
  return { column: field.column, ...(length !== undefined ? { length } : {}), ...(sort === 'Desc' ? { order: 'desc' as const } : {}), ...(opclass !== undefined ? { opclass } : {}) };
}

/** The text of `raw("…")`. */
function rawText(f: Func, what: string, where: Where): string {
  const text = f.params?.length === 1 ? stringLiteral(f.params[0]) : undefined;
  if (text === undefined || text === '') fail(where, `${what} takes one non-empty string, e.g. raw("text_pattern_ops")`);
  return text;
}

/**
 * `where:` of a partial index, written as Prisma's engine writes it: `raw("…")` verbatim, or an
 * object `{ field: value }` / `{ field: { not: value } }` with the mapped column names quoted,
 * `= value`, `IS NULL`, `!=`, `IS NOT NULL`, joined with AND; PostgreSQL in parentheses.
 */
function partialIndex(v: Value | Func | undefined, attribute: string, ctx: ModelContext, where: Where): { where?: string } {
  if (v === undefined) return {};
  if (!ctx.previewFeatures.has('partialindexes')) {
    fail(where, `${attribute}: partial indexes (where:) are a preview feature; add "partialIndexes" to previewFeatures in your generator block`);
  }
  const written = ctx.provider.partialPredicate;
  if (!written) fail(where, `${attribute}: partial indexes (with a \`where\` clause) are not supported by the current connector (${ctx.provider.name}); remove where:`);
  let predicate: string;
  if (isFunc(v) && v.name === 'raw') predicate = rawText(v, `${attribute}: where: raw(…)`, where);
  else if (isObject(v)) {
    if (v.properties.length === 0) fail(where, `${attribute}: the where argument cannot be an empty object`);
    predicate = v.properties.map((p) => condition(p, attribute, ctx, where)).join(' AND ');
  } else {
    return fail(where, `${attribute}: the where argument must be a raw() call or an object literal, e.g. where: raw("status = 'active'") or where: { active: true } (got ${show(v)})`);
  }
  return { where: written(predicate) };
}

function isObject(v: unknown): v is { type: 'object'; properties: KeyValue[] } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: string }).type === 'object';
}

/** One `field: value` of a where object. */
function condition(p: KeyValue, attribute: string, ctx: ModelContext, where: Where): string {
  if (!isKeyValue(p)) fail(where, `${attribute}: the where object holds field: value pairs (got ${show(p)})`);
  if (ctx.relations.has(p.key)) fail(where, `${attribute}: field ${p.key} is a relation field; only scalar fields can be used in the where clause`);
  const field = ctx.scalars.get(p.key);
  if (!field) fail(where, `${attribute}: field '${p.key}' of the where clause does not exist in model ${ctx.model}`);
  const column = ctx.provider.quoteIdentifier(field.column);
  let value = p.value;
  let negated = false;
  if (isObject(value)) {
    const [first, ...rest] = value.properties;
    const unknown = value.properties.find((x) => !isKeyValue(x) || x.key !== 'not');
    if (unknown) fail(where, `${attribute}: unknown key '${isKeyValue(unknown) ? unknown.key : show(unknown)}' in a nested where object; only 'not' is supported`);
    if (!first || rest.length) fail(where, `${attribute}: a nested where object holds exactly one 'not', e.g. { ${p.key}: { not: null } }`);
    value = first.value;
    negated = true;
  }
  if (value === 'null' || value === null) return `${column} IS ${negated ? 'NOT ' : ''}NULL`;
  const op = negated ? '!=' : '=';
  if (value === 'true' || value === 'false' || value === true || value === false) return `${column} ${op} ${String(value)}`;
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) return `${column} ${op} ${String(value)}`;
  const s = stringLiteral(value);
  if (s !== undefined) return `${column} ${op} ${quoteLiteral(s)}`;
  return fail(where, `${attribute}: invalid value ${show(value)} for ${p.key} in the where clause; expected true, false, null, a string, a number, or an object like { not: null }`);
}
