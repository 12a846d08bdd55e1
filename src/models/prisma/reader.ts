/**
 * Prisma schemas → the neutral Schema, following Prisma Migrate's own mapping rules: table and
 * column names after @@map/@map, Prisma's default database types per provider, constraint and
 * index names (`<table>_pkey`, `<table>_<columns>_key`, `_idx`, `_fkey`), default referential
 * actions, and implicit many-to-many tables `_<A>To<B>`.
 */
import { readFileSync } from 'node:fs';
import type { Attribute, AttributeArgument, BlockAttribute, Enum, Field, Func, KeyValue, Model, Value } from '@mrleebo/prisma-ast';
import { MigratorError } from '../../errors.js';
import { emptyTable, type Column, type EnumType, type ForeignKeyAction, type Schema, type Table } from '../../schema/schema.js';
import { pgTypeName, sqlString } from '../sql.js';
import { identifierLimit, isIntegerType, nativeType, scalarType, SCALAR_TYPES, truncateBytes, type Provider } from './types.js';

interface Located<T> {
  node: T;
  file: string;
}

class PrismaError extends MigratorError {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'PrismaError';
  }
}

const lineOf = (node: { location?: { startLine?: number } }): number | undefined => node.location?.startLine;

/** A string literal's text (`"x"` → x); other values as written. */
function text(v: Value | undefined): string | undefined {
  if (typeof v === 'string') return /^"(.*)"$/s.test(v) ? JSON.parse(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function args(a: { args?: AttributeArgument[] }): AttributeArgument[] {
  return a.args ?? [];
}

/** The positional (first unnamed) argument of an attribute. */
function positional(a: { args?: AttributeArgument[] }): Value | Func | undefined {
  const first = args(a).find((x) => !isKeyValue(x.value));
  return first?.value as Value | Func | undefined;
}

function isKeyValue(v: unknown): v is KeyValue {
  return typeof v === 'object' && v !== null && (v as KeyValue).type === 'keyValue';
}

function named(a: { args?: AttributeArgument[] }, key: string): Value | undefined {
  for (const x of args(a)) if (isKeyValue(x.value) && x.value.key === key) return x.value.value;
  return undefined;
}

/** `[a, b]` (a Prisma array) as names; `at(sort: Desc)` names its field. */
function names(v: Value | undefined): string[] {
  const name = (x: Value): string => (typeof x === 'object' && x !== null && !Array.isArray(x) && x.type === 'function' ? x.name : String(text(x) ?? x));
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && v.type === 'array') return (v.args ?? []).map(name);
  if (Array.isArray(v)) return v.map(name);
  return [];
}

function fieldAttr(f: Field, name: string, group?: string): Attribute | undefined {
  return f.attributes?.find((a) => a.name === name && (a.group ?? undefined) === group);
}

const ACTIONS: Record<string, ForeignKeyAction> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', NoAction: 'NO ACTION', SetNull: 'SET NULL', SetDefault: 'SET DEFAULT' };


interface ParsedFile {
  file: string;
  models: Model[];
  enums: Enum[];
  provider?: { value: string; line?: number };
}

async function parse(file: string): Promise<ParsedFile> {
  const { getSchema, PrismaParser, VisitorClassFactory } = await import('@mrleebo/prisma-ast');
  const source = readFileSync(file, 'utf8');
  const parser = new PrismaParser({ nodeLocationTracking: 'full' });
  const Visitor = VisitorClassFactory(parser);
  let schema;
  try {
    schema = getSchema(source, { parser, visitor: new Visitor(parser) });
  } catch (error) {
    const token = (error as { token?: { startLine?: number } }).token;
    const message = (error as Error).message.split('\n')[0];
    throw new PrismaError(file, token?.startLine, `syntax error: ${message}; fix the schema and run again`);
  }
  const out: ParsedFile = { file, models: [], enums: [] };
  for (const block of schema.list) {
    if (block.type === 'model') out.models.push(block);
    else if (block.type === 'enum') out.enums.push(block);
    else if (block.type === 'datasource') {
      const provider = block.assignments.find((a) => a.type === 'assignment' && a.key === 'provider');
      if (provider && provider.type === 'assignment') out.provider = { value: String(text(provider.value)), line: lineOf(block) };
    }
  }
  return out;
}

/** The database name of a field (`@map`) or model (`@@map`). */
const mapped = (f: { attributes?: Attribute[] }, fallback: string): string => {
  const m = f.attributes?.find((a) => a.name === 'map' && !a.group);
  return (m && text(positional(m) as Value)) || fallback;
};

function blockAttrs(m: Model): BlockAttribute[] {
  return m.properties.filter((p): p is BlockAttribute => p.type === 'attribute');
}

function fields(m: Model): Field[] {
  return m.properties.filter((p): p is Field => p.type === 'field');
}

/** Reads Prisma schema files (one schema, possibly over several files) for `dialect`. */
export async function readPrismaFiles(files: readonly string[], dialect: string, database: string): Promise<Schema> {
  const parsed = await Promise.all(files.map(parse));
  const providers = parsed.filter((p) => p.provider);
  const provider = providers[0]?.provider?.value;
  if (!provider) throw new PrismaError(files[0], undefined, 'no datasource block with a provider; add `datasource db { provider = "postgresql" }` (or "sqlite")');
  const where = providers[0];
  if (provider !== 'postgresql' && provider !== 'sqlite') throw new PrismaError(where.file, where.provider?.line, `datasource provider "${provider}" is not supported; use "postgresql" or "sqlite"`);
  const expected = dialect === 'postgres' ? 'postgresql' : dialect;
  if (provider !== expected) {
    throw new PrismaError(where.file, where.provider?.line, `the datasource provider is "${provider}" but the database is ${database}; point migrator at a ${provider === 'sqlite' ? 'sqlite:' : 'postgres://'} database or change the provider`);
  }
  return build(parsed, provider);
}

/** Prisma's default constraint and index names, cut to the provider's identifier limit as Prisma cuts them. */
function namer(provider: Provider) {
  const limit = identifierLimit(provider);
  const cut = (s: string, room: number): string => (Buffer.byteLength(s) >= limit - room ? truncateBytes(s, limit - room) : s);
  return {
    primaryKey: (table: string): string => `${cut(table, 5)}_pkey`,
    unique: (table: string, cols: string[]): string => `${cut(`${table}_${cols.join('_')}`, 4)}_key`,
    index: (table: string, cols: string[]): string => `${cut(`${table}_${cols.join('_')}`, 4)}_idx`,
    foreignKey: (table: string, cols: string[]): string => `${cut(`${table}_${cols.join('_')}`, 5)}_fkey`,
    /** Names of an implicit many-to-many table's key, index and foreign keys. */
    joinTable: (table: string, suffix: string): string => `${[...table].slice(0, limit - suffix.length).join('')}${suffix}`,
  };
}

function build(parsed: ParsedFile[], provider: Provider): Schema {
  const names_ = namer(provider);
  const models = new Map<string, Located<Model>>();
  const enums = new Map<string, Located<Enum>>();
  for (const p of parsed) {
    for (const m of p.models) {
      if (models.has(m.name) || enums.has(m.name)) throw new PrismaError(p.file, lineOf(m), `model ${m.name} is defined twice`);
      models.set(m.name, { node: m, file: p.file });
    }
    for (const e of p.enums) {
      if (models.has(e.name) || enums.has(e.name)) throw new PrismaError(p.file, lineOf(e), `enum ${e.name} is defined twice`);
      enums.set(e.name, { node: e, file: p.file });
    }
  }
  // @ignore and @@ignore hide things from Prisma Client only: Prisma Migrate still creates them.
  const active = [...models.values()];

  const enumDb = new Map<string, EnumType>();
  for (const { node: e } of enums.values()) {
    const values = e.enumerators.filter((x): x is Extract<typeof x, { type: 'enumerator' }> => x.type === 'enumerator').map((x) => mapped(x, x.name));
    const nameAttr = e.enumerators.find((x) => x.type === 'attribute' && x.name === 'map') as BlockAttribute | undefined;
    enumDb.set(e.name, { name: (nameAttr && text(positional(nameAttr) as Value)) || e.name, values });
  }
  const tableName = (m: Model): string => {
    const map = blockAttrs(m).find((a) => a.name === 'map');
    return (map && text(positional(map) as Value)) || m.name;
  };

  const tables = new Map<string, Table>();
  const columnOf = new Map<string, Map<string, Column>>(); // model → field → column

  // Columns, keys, uniques and indexes.
  for (const { node: m, file } of active) {
    const t = emptyTable(tableName(m));
    const cols = new Map<string, Column>();
    for (const f of fields(m)) {
      const type = typeof f.fieldType === 'string' ? f.fieldType : f.fieldType.name;
      if (models.has(type)) continue; // relation fields hold no column
      const en = enums.get(type);
      if (!SCALAR_TYPES.has(type) && !en) {
        throw new PrismaError(file, lineOf(f), `type "${type}" of ${m.name}.${f.name} is neither a scalar type, an enum nor a model`);
      }
      let sqlType: string;
      const native = f.attributes?.find((a) => a.group === 'db');
      if (en) {
        const e = enumDb.get(type)!;
        sqlType = provider === 'postgresql' ? pgTypeName(e.name) : 'TEXT';
      } else if (native && provider === 'postgresql') {
        const nt = nativeType(native.name, args(native).map((a) => String(text(a.value as Value) ?? a.value)));
        if (!nt) throw new PrismaError(file, lineOf(native), `native type @db.${native.name} of ${m.name}.${f.name} is not supported`);
        sqlType = nt;
      } else {
        if (native && provider === 'sqlite') throw new PrismaError(file, lineOf(native), `native type @db.${native.name} is not available on sqlite`);
        sqlType = scalarType(provider, type)!;
      }
      if (f.array) {
        if (provider !== 'postgresql') throw new PrismaError(file, lineOf(f), `${m.name}.${f.name}: scalar lists need PostgreSQL`);
        sqlType = `${sqlType}[]`;
      }
      // Prisma writes NOT NULL for required fields only: optional ones and lists are nullable.
      const column: Column = { name: mapped(f, f.name), type: sqlType, nullable: !!f.optional || !!f.array };
      const def = fieldAttr(f, 'default');
      if (def) applyDefault(column, positional(def), { file, field: f, model: m, enumType: en ? enumDb.get(type) : undefined, enumNode: en?.node, provider });
      cols.set(f.name, column);
      t.columns.push(column);
    }
    columnOf.set(m.name, cols);
    const col = (field: string, line: number | undefined, what: string): string => {
      const c = cols.get(field);
      if (!c) throw new PrismaError(file, line, `${what} names "${field}", which is not a scalar field of model ${m.name}`);
      return c.name;
    };

    // Primary key: @id or @@id.
    const idField = fields(m).find((f) => fieldAttr(f, 'id'));
    const blockId = blockAttrs(m).find((a) => a.name === 'id');
    if (idField) {
      const idAttr = fieldAttr(idField, 'id')!;
      t.primaryKey = { name: text(named(idAttr, 'map')) ?? names_.primaryKey(t.name), columns: [col(idField.name, lineOf(idField), '@id')] };
      // On SQLite any single Int key is INTEGER PRIMARY KEY AUTOINCREMENT, default or not.
      const key = cols.get(idField.name)!;
      if (provider === 'sqlite' && key.type === 'INTEGER') key.autoincrement = true;
    } else if (blockId) {
      const cs = names(positional(blockId) as Value).map((n) => col(n, lineOf(blockId), '@@id'));
      t.primaryKey = { name: text(named(blockId, 'map')) ?? names_.primaryKey(t.name), columns: cs };
    }
    for (const f of fields(m)) {
      const u = fieldAttr(f, 'unique');
      if (u) {
        const c = col(f.name, lineOf(f), '@unique');
        t.indexes.push({ name: text(named(u, 'map')) ?? names_.unique(t.name, [c]), columns: [c], unique: true });
      }
    }
    for (const a of blockAttrs(m)) {
      if (a.name !== 'unique' && a.name !== 'index') continue;
      const cs = names((named(a, 'fields') ?? positional(a)) as Value).map((n) => col(n.replace(/\(.*$/, ''), lineOf(a), `@@${a.name}`));
      const map = text(named(a, 'map')) ?? (a.name === 'index' ? text(named(a, 'name')) : undefined);
      const method = text(named(a, 'type'));
      t.indexes.push({
        name: map ?? (a.name === 'unique' ? names_.unique(t.name, cs) : names_.index(t.name, cs)),
        columns: cs,
        unique: a.name === 'unique',
        ...(method && method !== 'BTree' ? { using: method.toLowerCase() } : {}),
      });
    }
    tables.set(m.name, t);
  }

  // Relations: foreign keys on the side with `fields`, implicit many-to-many tables.
  const junctions = new Map<string, Table>();
  for (const { node: m, file } of active) {
    const t = tables.get(m.name)!;
    for (const f of fields(m)) {
      const targetName = typeof f.fieldType === 'string' ? f.fieldType : f.fieldType.name;
      const target = models.get(targetName);
      if (!target) continue;
      const rel = fieldAttr(f, 'relation');
      const relName = rel ? text(positional(rel) as Value) ?? text(named(rel, 'name')) : undefined;
      const back = fields(target.node).filter((g) => {
        const gt = typeof g.fieldType === 'string' ? g.fieldType : g.fieldType.name;
        if (gt !== m.name || (g === f && target.node === m)) return false;
        const gr = fieldAttr(g, 'relation');
        const gName = gr ? text(positional(gr) as Value) ?? text(named(gr, 'name')) : undefined;
        return gName === relName;
      });
      if (back.length === 0) {
        throw new PrismaError(file, lineOf(f), `relation field ${m.name}.${f.name} has no opposite relation field on model ${targetName}; add one (Prisma requires both sides)`);
      }
      const fkFields = rel ? names(named(rel, 'fields')) : [];
      if (fkFields.length) {
        const refs = names(named(rel!, 'references'));
        const cols = columnOf.get(m.name)!;
        const targetCols = columnOf.get(targetName)!;
        const columns = fkFields.map((n) => {
          const c = cols.get(n);
          if (!c) throw new PrismaError(file, lineOf(rel!), `@relation fields names "${n}", which is not a scalar field of model ${m.name}`);
          return c;
        });
        const referencedColumns = refs.map((n) => {
          const c = targetCols.get(n);
          if (!c) throw new PrismaError(file, lineOf(rel!), `@relation references names "${n}", which is not a scalar field of model ${targetName}`);
          return c.name;
        });
        // Prisma counts a relation as required when any of its fields is.
        const required = columns.some((c) => !c.nullable);
        const onDelete = text(named(rel!, 'onDelete'));
        const onUpdate = text(named(rel!, 'onUpdate'));
        for (const [key, v] of [['onDelete', onDelete], ['onUpdate', onUpdate]] as const) {
          if (v !== undefined && !ACTIONS[v]) throw new PrismaError(file, lineOf(rel!), `${key}: ${v} is not a referential action; use ${Object.keys(ACTIONS).join(', ')}`);
        }
        t.foreignKeys.push({
          name: text(named(rel!, 'map')) ?? names_.foreignKey(t.name, columns.map((c) => c.name)),
          columns: columns.map((c) => c.name),
          referencedTable: tables.get(targetName)!.name,
          referencedColumns,
          onDelete: onDelete ? ACTIONS[onDelete] : required ? 'RESTRICT' : 'SET NULL',
          onUpdate: onUpdate ? ACTIONS[onUpdate] : 'CASCADE',
        });
        continue;
      }
      // Implicit many-to-many: both sides lists, no `fields` on either.
      const other = back.find((g) => g.array);
      if (f.array && other && !fieldAttr(other, 'relation')?.args?.some((x) => isKeyValue(x.value) && x.value.key === 'fields')) {
        const [a, b] = [m.name, targetName].sort();
        const name = relName ? `_${relName}` : `_${a}To${b}`;
        if (junctions.has(name)) continue;
        const keyOf = (model: string): Column => {
          const tt = tables.get(model)!;
          const pk = tt.primaryKey?.columns ?? [];
          if (pk.length !== 1) throw new PrismaError(file, lineOf(f), `the implicit many-to-many relation ${name} needs a single-field @id on model ${model}`);
          return tt.columns.find((c) => c.name === pk[0])!;
        };
        const colA = keyOf(a);
        const colB = keyOf(b);
        const j = emptyTable(name);
        const plain = (c: Column, as: string): Column => ({ name: as, type: c.type, nullable: false });
        j.columns = [plain(colA, 'A'), plain(colB, 'B')];
        // Prisma 6 keys the pair with a primary key on PostgreSQL, a unique index on SQLite.
        if (provider === 'postgresql') j.primaryKey = { name: names_.joinTable(name, '_AB_pkey'), columns: ['A', 'B'] };
        else j.indexes.push({ name: names_.joinTable(name, '_AB_unique'), columns: ['A', 'B'], unique: true });
        j.indexes.push({ name: names_.joinTable(name, '_B_index'), columns: ['B'], unique: false });
        const fk = (side: 'A' | 'B', model: string, column: Column) => ({
          name: names_.joinTable(name, `_${side}_fkey`),
          columns: [side],
          referencedTable: tables.get(model)!.name,
          referencedColumns: [column.name],
          onDelete: 'CASCADE' as const,
          onUpdate: 'CASCADE' as const,
        });
        j.foreignKeys = [fk('A', a, colA), fk('B', b, colB)];
        junctions.set(name, j);
      }
    }
  }

  return {
    tables: [...tables.values(), ...junctions.values()],
    // Prisma Migrate creates every enum of the schema, used or not.
    ...(provider === 'postgresql' && enumDb.size ? { enums: [...enumDb.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) } : {}),
  };
}

interface DefaultContext {
  file: string;
  field: Field;
  model: Model;
  enumType?: EnumType;
  enumNode?: Enum;
  provider: Provider;
}

/** `@default(...)` as Prisma Migrate writes it; application-side generators write nothing. */
function applyDefault(column: Column, value: Value | Func | undefined, ctx: DefaultContext): void {
  const where = (): never => {
    throw new PrismaError(ctx.file, lineOf(ctx.field), `@default of ${ctx.model.name}.${ctx.field.name} is not supported`);
  };
  if (value === undefined) return where();
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.type === 'function') {
    switch (value.name) {
      case 'autoincrement':
        if (!isIntegerType(column.type)) return where();
        // SQLite's AUTOINCREMENT needs INTEGER: a BigInt key there is a plain BIGINT PRIMARY KEY.
        if (ctx.provider === 'sqlite' && column.type !== 'INTEGER') return;
        column.autoincrement = true;
        return;
      case 'now':
        column.default = 'CURRENT_TIMESTAMP';
        return;
      case 'dbgenerated': {
        const expr = text(value.params?.[0]);
        if (expr) column.default = expr;
        return;
      }
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return; // generated by Prisma Client, not the database
      default:
        return where();
    }
  }
  const scalar = typeof ctx.field.fieldType === 'string' ? ctx.field.fieldType : ctx.field.fieldType.name;
  const literal = (v: Value): string | undefined => {
    if (ctx.enumType && ctx.enumNode) {
      const enumerator = ctx.enumNode.enumerators.find((x) => x.type === 'enumerator' && x.name === String(v));
      return enumerator && enumerator.type === 'enumerator' ? sqlString(mapped(enumerator, enumerator.name)) : undefined;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') return undefined;
    if (/^-?\d+(\.\d+)?$/.test(v) || v === 'true' || v === 'false') return v;
    if (!/^".*"$/s.test(v)) return undefined;
    const str = JSON.parse(v) as string;
    if (scalar === 'DateTime') return sqlString(prismaDateTime(str) ?? str);
    if (scalar === 'Bytes') {
      const hex = Buffer.from(str, 'base64').toString('hex');
      return sqlString(ctx.provider === 'postgresql' ? `\\x${hex}` : hex);
    }
    return sqlString(str);
  };
  const list = typeof value === 'object' && value !== null && !Array.isArray(value) && value.type === 'array' ? (value.args ?? []) : Array.isArray(value) ? value : undefined;
  if (list) {
    // A list default is an ARRAY literal cast to the column's type, as Prisma writes it.
    if (!ctx.field.array) return where();
    const items = list.map((x) => literal(x as Value));
    if (items.some((x) => x === undefined)) return where();
    column.default = `ARRAY[${items.join(', ')}]::${column.type}`;
    return;
  }
  if (ctx.enumType && ctx.enumNode && literal(value as Value) === undefined) {
    throw new PrismaError(ctx.file, lineOf(ctx.field), `@default(${String(value)}) is not a value of enum ${ctx.enumNode.name}`);
  }
  const d = literal(value as Value);
  if (d === undefined) return where();
  column.default = d;
}

/** A DateTime literal as Prisma writes it (chrono's display): `2024-03-01 12:30:00 +00:00`. */
function prismaDateTime(s: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const zone = m[4] === 'Z' ? '+00:00' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  return `${m[1]} ${m[2]}${m[3] ?? ''} ${zone}`;
}
