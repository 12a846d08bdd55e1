/**
 * Prisma schemas → the neutral Schema, following Prisma Migrate's own mapping rules: table and
 * column names after @@map/@map, Prisma's default database types per provider, constraint and
 * index names (`<table>_pkey`, `<table>_<columns>_key`, `_idx`, `_fkey`), default referential
 * actions, and implicit many-to-many tables `_<A>To<B>`. Whatever Prisma accepts is built as
 * Prisma Migrate builds it or is an error naming file:line; nothing is passed over in silence.
 */
import type { Attribute, BlockAttribute, Block, Enum, Field, Model } from '@mrleebo/prisma-ast';
import { emptyTable, keyColumn, type Column, type EnumType, type Index, type Schema, type Table } from '../../schema/schema.js';
import { isKeyValue, readArgs, stringArg, stringLiteral } from './args.js';
import { blockAttrsOf, fieldAttr, fieldsOf, spelled, typeName, type ModelBlock } from './ast.js';
import { readConfig, type ConfigBlocks, type PrismaConfig } from './config.js';
import { applyDefault } from './defaults.js';
import { fail, lineOf, type Where } from './errors.js';
import { renamedFromHints } from './hints.js';
import { blockId, blockIndex, fieldId, fieldUnique, type ModelContext, type ScalarField } from './indexes.js';
import { ConstraintNames, namer } from './names.js';
import { relationsOf, type Located } from './relations.js';
import { parseSchemaFile } from './source.js';
import { SCALAR_TYPES } from './types.js';

interface ParsedFiles {
  /** Models and views, in the order the files give them. */
  models: Located<ModelBlock>[];
  enums: Located<Enum>[];
  config: ConfigBlocks;
  /** The old names `/// @renamedFrom` gives models. */
  renamedFrom: Map<ModelBlock, string>;
}

/** Reads Prisma schema files (one schema, possibly over several files) for `dialect`. */
export async function readPrismaFiles(files: readonly string[], dialect: string, database: string): Promise<Schema> {
  const parsed = await Promise.all(files.map(async (file) => ({ file, schema: await parseSchemaFile(file) })));
  const blocks: ParsedFiles = { models: [], enums: [], config: { datasources: [], generators: [] }, renamedFrom: new Map() };
  const later: Located<Block>[] = [];
  for (const { file, schema } of parsed) {
    for (const [model, old] of renamedFromHints(schema.list, file, (b) => b.type === 'model', 'a model or a field')) blocks.renamedFrom.set(model as Model, old);
    for (const block of schema.list) {
      if (block.type === 'model' || block.type === 'view') blocks.models.push({ node: block, file });
      else if (block.type === 'enum') blocks.enums.push({ node: block, file });
      else if (block.type === 'datasource') blocks.config.datasources.push({ block, file });
      else if (block.type === 'generator') blocks.config.generators.push({ block, file });
      if (block.type === 'view' || block.type === 'type') later.push({ node: block, file });
    }
  }
  const config = readConfig(blocks.config, files[0]);
  if (config.provider.dialect !== dialect) {
    fail(
      config.providerAt,
      `the datasource provider is "${config.provider.name}" but the database is ${database}; point migrator at a ${config.provider.urlStart} database or change the provider`,
    );
  }
  for (const { node, file } of later) {
    const where = { file, line: lineOf(node as { location?: { startLine?: number } }) };
    if (node.type === 'type') fail(where, `type ${node.name}: composite types are not supported on ${config.provider.title}; use a model or a Json field`);
    // Prisma Migrate creates no view (their SQL is the user's), nor a foreign key to or from one.
    if (node.type === 'view' && !config.previewFeatures.has('views')) fail(where, `view ${node.name}: view definitions are only available with the \`views\` preview feature; add "views" to previewFeatures in your generator block`);
  }
  return build(blocks, config);
}



const MAP_SPEC = { positional: 'name', names: ['name'] } as const;



/**
 * The database name an `@map`/`@@map` gives, or `fallback`. Only an enum value may be mapped to
 * the empty string (a valid enum label, which Prisma writes as such).
 */
function mappedName(attrs: readonly (Attribute | BlockAttribute)[] | undefined, fallback: string, where: Where, block = false, empty = false): string {
  const map = attrs?.find((a) => a.name === 'map' && !a.group);
  if (!map) return fallback;
  const at = { ...where, line: lineOf(map) ?? where.line };
  const args = readArgs(map.args, MAP_SPEC, block ? '@@map' : '@map', at);
  return stringArg(args.get('name'), `${block ? '@@map' : '@map'}(name:)`, at, { empty }) ?? fail(at, `${block ? '@@map' : '@map'} names nothing; write ${block ? '@@map' : '@map'}("name")`);
}

/**
 * Names Prisma reserves for models and enums (psl's reserved model names: Prisma Client's and
 * JavaScript's keywords), and its scalar types.
 */
const RESERVED_NAMES = new Set(
  'PrismaClient async await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return super switch this throw true try typeof var void while with yield'.split(' '),
);

/** Prisma's rules for the name of a model, a view or an enum: not reserved, not a scalar type, no `-`. */
function checkBlockName(kind: 'model' | 'view' | 'enum', name: string, where: Where): void {
  const keep = kind === 'model' ? `keep its table with @@map("${name}")` : `keep its database name with @@map("${name}")`;
  if (SCALAR_TYPES.has(name)) fail(where, `"${name}" is a reserved scalar type name and cannot name a ${kind}; rename the ${kind} and ${keep}`);
  if (RESERVED_NAMES.has(name)) fail(where, `The ${kind} name \`${name}\` is invalid: it is a reserved name in Prisma; rename the ${kind} and ${keep}`);
  if (name.includes('-')) fail(where, `The character \`-\` is not allowed in ${kind[0].toUpperCase()}${kind.slice(1)} names (${name}); rename the ${kind} and ${keep}`);
}

/** Prisma's attributes of each kind of element; any other is an error, as in Prisma. */
const FIELD_ATTRIBUTES = new Set(['id', 'default', 'unique', 'map', 'updatedAt', 'ignore', 'relation']);
const MODEL_ATTRIBUTES = new Set(['id', 'unique', 'index', 'map', 'ignore']);
const MODEL_ATTRIBUTES_FULLTEXT = new Set([...MODEL_ATTRIBUTES, 'fulltext']);
const REPEATABLE = new Set(['unique', 'index', 'fulltext']);
const MAP_ONLY = new Set(['map']);
const RELATION_FIELD_ATTRIBUTES = new Set(['relation', 'ignore']);

function checkAttributes(attrs: readonly { name: string; group?: string; location?: { startLine?: number } }[], known: ReadonlySet<string>, where: Where, block: boolean, nativeGroup?: string): void {
  if (attrs.length === 0) return;
  const seen = new Set<string>();
  for (const a of attrs) {
    const at = { file: where.file, line: lineOf(a) ?? where.line };
    const name = spelled(a, block);
    if (a.name === 'schema' && !a.group && block) fail(at, 'multi-schema (`schemas = [...]`, `@@schema`) is not supported by migrator yet: its tables would all land in one schema; remove @@schema or keep this schema with Prisma Migrate');
    if (a.name === 'shardKey' && !a.group) fail(at, `${name}: shard keys are not supported for PostgreSQL or SQLite, and migrator does not read them for MySQL (PlanetScale's preview shardKeys)`);
    if (a.name === 'fulltext' && !a.group && block && !known.has('fulltext')) fail(at, `${name}: fulltext indexes are not supported with the current connector (MySQL and MongoDB only)`);
    const isNative = nativeGroup !== undefined && a.group === nativeGroup;
    if (!isNative && (a.group || !known.has(a.name))) fail(at, `attribute ${name} is not one Prisma knows here`);
    const key = isNative ? `@${a.group}` : name;
    if (seen.has(key) && !(block && REPEATABLE.has(a.name))) fail(at, `attribute ${key} can only be defined once`);
    seen.add(key);
  }
}

/** A scalar field as read, with its node. */
type ReadField = ScalarField & { node: Field };

function build(files: ParsedFiles, config: PrismaConfig): Schema {
  const { provider } = config;
  const names = namer(provider);
  const { models, enums } = blocksByName(files);
  const { enumDb, enumValues } = enumsOf(enums, provider.enumTypes);

  const tables = new Map<string, Table>();
  const contexts = new Map<string, ModelContext>();
  const constraintNames = new ConstraintNames(provider);
  // @ignore and @@ignore hide things from Prisma Client only: Prisma Migrate still creates them.
  for (const { node: m, file } of models.values()) {
    const { table: t, scalars, relations } = tableOf(m, file, files.renamedFrom.get(m), models, config, enumDb);
    const ctx: ModelContext = { file, model: m.name, table: t.name, provider, previewFeatures: config.previewFeatures, scalars, relations, clientNames: new Map(), names };
    contexts.set(m.name, ctx);
    // Defaults, once every column is known.
    applyDefaults(t, scalars, m, file, enums, enumValues, provider);
    keysOf(t, scalars, m, ctx, constraintNames);
    tables.set(m.name, t);
  }

  viewNamesFree(models, tables);
  const junctions = relationsOf(models, tables, contexts, config, names, constraintNames);
  // A view's fields are read as a model's, for the relations that name them; the view itself is
  // the user's SQL, which Prisma Migrate leaves alone.
  const modelTables = [...models.values()].filter(({ node }) => node.type === 'model').map(({ node }) => tables.get(node.name)!);
  const collation = provider.tableCollation;
  if (collation) for (const t of [...modelTables, ...junctions]) t.collation = collation;
  return {
    tables: [...modelTables, ...junctions],
    // Prisma Migrate creates every enum of the schema, used or not.
    ...(provider.enumTypes && enumDb.size ? { enums: [...enumDb.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) } : {}),
    ...(config.extensions.length ? { extensions: config.extensions } : {}),
  };
}

/**
 * Prisma's rule that a view's database name is not a model's table name, whichever comes first
 * (its message names the view's @@map, or the view).
 */
function viewNamesFree(models: ReadonlyMap<string, Located<ModelBlock>>, tables: ReadonlyMap<string, Table>): void {
  const modelOf = new Map([...models.values()].filter(({ node }) => node.type === 'model').map(({ node }) => [tables.get(node.name)!.name, node.name]));
  for (const { node: v, file } of models.values()) {
    const name = tables.get(v.name)!.name;
    const model = v.type === 'view' ? modelOf.get(name) : undefined;
    if (model === undefined) continue;
    const map = blockAttrsOf(v).find((a) => a.name === 'map' && !a.group);
    fail(
      { file, line: lineOf(map ?? v) },
      `view ${v.name}: its database name "${name}" is the table of model ${model} (Prisma: "could not be defined because another model or view with this name exists"); give the view another @@map`,
    );
  }
}

/** Models (and views) and enums by name; a name given twice is an error. */
function blocksByName(files: ParsedFiles): { models: Map<string, Located<ModelBlock>>; enums: Map<string, Located<Enum>> } {
  const models = new Map<string, Located<ModelBlock>>();
  const enums = new Map<string, Located<Enum>>();
  for (const m of files.models) {
    checkBlockName(m.node.type, m.node.name, { file: m.file, line: lineOf(m.node) });
    if (models.has(m.node.name) || enums.has(m.node.name)) fail({ file: m.file, line: lineOf(m.node) }, `${m.node.type} ${m.node.name} is defined twice`);
    models.set(m.node.name, m);
  }
  for (const e of files.enums) {
    checkBlockName('enum', e.node.name, { file: e.file, line: lineOf(e.node) });
    if (models.has(e.node.name) || enums.has(e.node.name)) fail({ file: e.file, line: lineOf(e.node) }, `enum ${e.node.name} is defined twice`);
    enums.set(e.node.name, e);
  }
  return { models, enums };
}

/** The database enum of each Prisma enum, and each enum's values as the database spells them. */
function enumsOf(enums: ReadonlyMap<string, Located<Enum>>, types: boolean): { enumDb: Map<string, EnumType>; enumValues: Map<string, Map<string, string>> } {
  const enumDb = new Map<string, EnumType>();
  const enumValues = new Map<string, Map<string, string>>();
  // Where an enum is a type of its own (PostgreSQL), two enums of one database name would be one.
  const byDbName = new Map<string, string>();
  for (const { node: e, file } of enums.values()) {
    const where = { file, line: lineOf(e) };
    const values = new Map<string, string>();
    // prisma-ast gives an enum with nothing between its braces no list at all.
    const enumerators = e.enumerators ?? [];
    for (const x of enumerators) {
      if (x.type !== 'enumerator') continue;
      const at = { file, line: lineOf(x as { location?: { startLine?: number } }) ?? where.line };
      if (x.name.includes('-')) fail(at, `The character \`-\` is not allowed in Enum Value names (${x.name}); rename the value and keep its database name with @map("${x.name}")`);
      checkAttributes(x.attributes ?? [], MAP_ONLY, at, false);
      values.set(x.name, mappedName(x.attributes, x.name, at, false, true));
    }
    const blockAttrs = enumerators.filter((x): x is BlockAttribute => x.type === 'attribute');
    checkAttributes(blockAttrs, MAP_ONLY, where, true);
    if (values.size === 0) fail(where, `enum ${e.name} has no values; an enum must have at least one value`);
    enumValues.set(e.name, values);
    const dbName = mappedName(blockAttrs, e.name, where, true);
    const other = byDbName.get(dbName);
    if (types && other !== undefined) fail(where, `An enum with the same database name is already defined: enum ${e.name} and enum ${other} are both the type "${dbName}"; give one of them another name or @@map`);
    byDbName.set(dbName, e.name);
    enumDb.set(e.name, { name: dbName, values: [...values.values()] });
  }
  return { enumDb, enumValues };
}

/**
 * A model's table with its columns (keys, indexes and defaults come after), its scalar fields
 * and the names of its relation fields, which hold no column.
 */
function tableOf(
  m: ModelBlock,
  file: string,
  tableHint: string | undefined,
  models: ReadonlyMap<string, Located<ModelBlock>>,
  config: PrismaConfig,
  enumDb: ReadonlyMap<string, EnumType>,
): { table: Table; scalars: Map<string, ReadField>; relations: Set<string> } {
  const modelWhere = { file, line: lineOf(m) };
  if (m.type === 'view') checkView(m, file);
  checkAttributes(blockAttrsOf(m), config.provider.fulltextIndexes ? MODEL_ATTRIBUTES_FULLTEXT : MODEL_ATTRIBUTES, modelWhere, true);
  for (const a of blockAttrsOf(m)) if (a.name === 'ignore') readArgs(a.args, { names: [] }, '@@ignore', { file, line: lineOf(a) });
  const t = emptyTable(mappedName(blockAttrsOf(m), m.name, modelWhere, true));
  // A Prisma schema states no CHECK constraint, no comment, no index on an expression, and no
  // partial index without the partialIndexes preview feature: those a migration added by hand
  // stay, as Prisma's own diff leaves them.
  const partial = config.previewFeatures.has('partialindexes') ? {} : { partial: true as const };
  t.unmanaged = { checks: true, comments: true, generation: true, indexShapes: { expression: true, ...partial } };
  if (tableHint !== undefined) t.renamedFrom = [tableHint];
  const fieldHints = renamedFromHints(m.properties ?? [], file, (p) => p.type === 'field' && !models.has(typeName(p as Field)), 'a scalar field (a relation field holds no column) or the model');
  const scalars = new Map<string, ReadField>();
  const relations = new Set<string>();
  const ignoredModel = blockAttrsOf(m).some((a) => a.name === 'ignore');
  for (const f of fieldsOf(m)) {
    const where = { file, line: lineOf(f) };
    if (f.name.includes('-')) fail(where, `The character \`-\` is not allowed in Field names (${m.name}.${f.name}); rename the field and keep its column with @map("${f.name}")`);
    if (models.has(typeName(f))) {
      relations.add(f.name);
      const other = f.attributes?.find((a) => a.group || (a.name !== 'relation' && a.name !== 'ignore'));
      if (other) fail({ file, line: lineOf(other) ?? where.line }, `${m.name}.${f.name} is a relation field: it takes @relation and @ignore only, not ${spelled(other)} (put keys, defaults and names on the scalar fields of the relation)`);
      checkAttributes(f.attributes ?? [], RELATION_FIELD_ATTRIBUTES, where, false);
      continue; // relation fields hold no column
    }
    // Prisma takes @ignore on a relation field of an ignored model, not on a scalar one.
    const ignore = fieldAttr(f, 'ignore');
    if (ignore && ignoredModel) fail({ file, line: lineOf(ignore) ?? where.line }, `${m.name}.${f.name}: fields on an already ignored model do not need an \`@ignore\` annotation; remove it (the model's @@ignore covers them)`);
    checkAttributes(f.attributes ?? [], FIELD_ATTRIBUTES, where, false, config.datasourceName);
    if (fieldAttr(f, 'relation')) fail(where, `${m.name}.${f.name}: @relation on a field that is not a relation (its type ${typeName(f)} is neither a model nor a view)`);
    for (const name of ['ignore', 'updatedAt']) {
      const a = fieldAttr(f, name);
      if (a) readArgs(a.args, { names: [] }, `@${name}`, { file, line: lineOf(a) ?? where.line });
    }
    if (fieldAttr(f, 'updatedAt') && (typeName(f) !== 'DateTime' || f.array)) fail(where, `${m.name}.${f.name}: fields marked @updatedAt must be of type DateTime (not a list)`);
    const column = columnOf(f, m, file, config, enumDb);
    const hint = fieldHints.get(f);
    if (hint !== undefined) column.column.renamedFrom = [hint];
    const taken = t.columns.find((c) => c.name === column.column.name);
    if (taken) duplicateColumn(m, file, f, [...scalars.values()].find((x) => x.column === taken.name)!.node, taken.name);
    scalars.set(f.name, { ...column.field, node: f });
    t.columns.push(column.column);
    // Prisma's schema cannot say NOT NULL of a list, and its diff reads every array column as a
    // list whatever its nullability: a NOT NULL a migration added by hand stays.
    if (f.array) ((t.unmanaged ??= {}).nullability ??= []).push(column.column.name);
  }
  return { table: t, scalars, relations };
}

/**
 * Two fields of one model with one column: Prisma names the field whose @map takes another's
 * name (the later one when both are mapped) — "Field "y" is already defined on model "A"".
 */
function duplicateColumn(m: ModelBlock, file: string, later: Field, earlier: Field, column: string): never {
  const mapped = (f: Field): boolean => !!f.attributes?.some((a) => a.name === 'map' && !a.group);
  const [at, other] = mapped(later) || !mapped(earlier) ? [later, earlier] : [earlier, later];
  return fail(
    { file, line: lineOf(at) },
    `Field "${at.name}" is already defined on ${m.type} "${m.name}": its column "${column}" is the column of field ${other.name} too; give one of them another @map`,
  );
}

/** Sets the column default of each field with @default. */
function applyDefaults(
  t: Table,
  scalars: ReadonlyMap<string, ReadField>,
  m: ModelBlock,
  file: string,
  enums: ReadonlyMap<string, Located<Enum>>,
  enumValues: ReadonlyMap<string, Map<string, string>>,
  provider: PrismaConfig['provider'],
): void {
  for (const field of scalars.values()) {
    const def = fieldAttr(field.node, 'default');
    if (!def) continue;
    const en = field.scalar === 'Enum' ? enums.get(typeName(field.node))?.node : undefined;
    const owner = applyDefault(t.columns.find((c) => c.name === field.column)!, def, {
      file,
      field: `${m.name}.${field.name}`,
      scalar: field.scalar,
      list: field.list,
      enumNode: en,
      enumValues: en ? enumValues.get(en.name) : undefined,
      provider,
    });
    if (owner === 'database') ((t.unmanaged ??= {}).defaults ??= []).push(field.column);
  }
}

/**
 * A model's primary key (@id or @@id), unique and plain indexes (@unique, @@unique, @@index), each
 * name claimed; and the unique criterion Prisma requires of a model that is not @@ignore'd.
 */
function keysOf(t: Table, scalars: ReadonlyMap<string, ReadField>, m: ModelBlock, ctx: ModelContext, constraintNames: ConstraintNames): void {
  const { file, provider } = ctx;
  if (m.type === 'view') {
    // A view has no key nor index (checkView) and needs no unique criterion. Its @unique and
    // @@unique say what relations may reference; no index backs them, and Prisma lets them repeat.
    // @id and @@id (Prisma 5 and 6) are unique criteria too.
    const asUnique = (key: { name?: string; columns: string[] }): Index => ({ name: key.name ?? '', columns: key.columns, unique: true });
    for (const field of scalars.values()) {
      const u = fieldAttr(field.node, 'unique');
      if (u) t.indexes.push(fieldUnique(u, field, ctx));
      const id = fieldAttr(field.node, 'id');
      if (id) t.indexes.push(asUnique(fieldId(id, field, ctx)));
    }
    for (const a of blockAttrsOf(m)) {
      if (a.name === 'unique') t.indexes.push(blockIndex(a, ctx));
      if (a.name === 'id' && !a.group) t.indexes.push(asUnique(blockId(a, ctx)));
    }
    return;
  }
  // Primary key: @id or @@id.
  const idFields = [...scalars.values()].filter((f) => fieldAttr(f.node, 'id'));
  const blockIdAttr = blockAttrsOf(m).find((a) => a.name === 'id');
  if (idFields.length > 1) fail({ file, line: lineOf(idFields[1].node) }, `model ${m.name}: at most one field can be marked @id; use @@id([...]) for a compound key`);
  if (idFields.length && blockIdAttr) fail({ file, line: lineOf(blockIdAttr) }, `model ${m.name}: @id and @@id cannot both be given; keep one`);
  if (idFields.length) {
    const [field] = idFields;
    t.primaryKey = fieldId(fieldAttr(field.node, 'id')!, field, ctx);
    // On SQLite any single Int key is INTEGER PRIMARY KEY AUTOINCREMENT, default or not.
    const key = t.columns.find((c) => c.name === field.column)!;
    if (provider.integerKeyAutoincrement && key.type === 'INTEGER') key.autoincrement = true;
  } else if (blockIdAttr) {
    t.primaryKey = blockId(blockIdAttr, ctx);
  }

  if (t.primaryKey) constraintNames.claim(m.name, t.primaryKey.name!, { file, line: lineOf(idFields.length ? fieldAttr(idFields[0].node, 'id') : blockIdAttr) }, 'key');
  for (const field of scalars.values()) {
    const u = fieldAttr(field.node, 'unique');
    if (u) t.indexes.push(constraintNames.claim(m.name, fieldUnique(u, field, ctx), { file, line: lineOf(u) ?? field.line }, 'index'));
  }
  for (const a of blockAttrsOf(m)) {
    if (a.name === 'index' || a.name === 'unique' || a.name === 'fulltext') t.indexes.push(constraintNames.claim(m.name, blockIndex(a, ctx), { file, line: lineOf(a) }, 'index'));
  }
  if (provider.autoincrementKeyed) autoincrementKeyed(t, m, ctx);
  if (provider.autoincrementIdOnly) {
    // Prisma Client leaves such a field out of its inserts: without a number from the database, each would fail.
    const single = t.primaryKey?.columns.length === 1 ? t.primaryKey.columns[0] : undefined;
    for (const f of scalars.values()) {
      const column = t.columns.find((c) => c.name === f.column);
      if (column?.autoincrement && column.name !== single) {
        fail({ file, line: f.line }, `${m.name}.${f.name}: the \`autoincrement()\` default value is used on a non-id field even though the datasource does not support this (SQLite numbers only a primary key of one column); remove it, or make the field the model's @id`);
      }
    }
  }
  if (!blockAttrsOf(m).some((a) => a.name === 'ignore') && !hasStrictCriterion(t, scalars)) {
    fail(
      { file, line: lineOf(m) },
      `model ${m.name} has no unique criterion over required fields, which Prisma refuses ("Each model must have at least one unique criteria that has only required fields"); mark a required field @id or @unique, or add @@id([...]) or @@unique([...])`,
    );
  }
}

const UNIQUE_MAP = 'a unique criterion of a view is not backed by a unique index in the database and cannot take a database name (Prisma: "@@unique annotations on views are not backed by unique indexes in the database and cannot specify a mapped database name"); remove map:';

/**
 * What Prisma refuses in a view that a model may have: indexes (@@index, @@fulltext) and a
 * database name for a unique criterion (`@unique(map:)`). A primary key (@id, @@id), which
 * Prisma 7 refuses in a view, is taken as a unique criterion, as Prisma 5 and 6 take it: a
 * view builds nothing either way, and projects on those versions have them.
 */
function checkView(v: ModelBlock, file: string): void {
  const refuse = (a: { location?: { startLine?: number } }, what: string): never =>
    fail({ file, line: lineOf(a) }, `view ${v.name}: ${what}`);
  for (const a of blockAttrsOf(v)) {
    if (a.group) continue;
    if (a.name === 'index' || a.name === 'fulltext') refuse(a, `Views cannot have indexes, and Prisma rejects @@${a.name} in a view; remove it (an index belongs on the tables the view reads)`);
    if (a.name === 'unique' && a.args?.some((x) => isKeyValue(x.value) && x.value.key === 'map')) refuse(a, UNIQUE_MAP);
  }
  for (const f of fieldsOf(v)) {
    const u = fieldAttr(f, 'unique');
    if (u?.args?.some((x) => isKeyValue(x.value) && x.value.key === 'map')) refuse(u, UNIQUE_MAP);
  }
}

/**
 * MySQL's rules for AUTO_INCREMENT, which Prisma checks: one such column per table, and it leads
 * the primary key or an index (psl's validate_auto_increment; the messages are Prisma's).
 */
function autoincrementKeyed(t: Table, m: ModelBlock, ctx: ModelContext): void {
  const columns = t.columns.filter((c) => c.autoincrement);
  const fieldLine = (column: string): number | undefined => [...ctx.scalars.values()].find((f) => f.column === column)?.line;
  if (columns.length > 1) {
    fail({ file: ctx.file, line: lineOf(m) }, `model ${m.name}: the \`autoincrement()\` default value is used multiple times on this model even though the underlying datasource only supports one instance per table`);
  }
  for (const c of columns) {
    const leads = t.primaryKey?.columns[0] === c.name || t.indexes.some((i) => keyColumn(i.columns[0]) === c.name);
    if (!leads) fail({ file: ctx.file, line: fieldLine(c.name) }, `${m.name}: the \`autoincrement()\` default value is used on a non-indexed field even though the datasource does not support this; make it the @id or index it (@unique, @@index([${[...ctx.scalars.values()].find((f) => f.column === c.name)?.name ?? c.name}]))`);
  }
}

/**
 * Whether the primary key or a unique index covers required, supported fields only: Prisma's
 * "strict unique criteria", by which Prisma Client finds one row; every model not @@ignore'd needs one.
 */
function hasStrictCriterion(t: Table, scalars: ReadonlyMap<string, ReadField>): boolean {
  const byColumn = new Map([...scalars.values()].map((f) => [f.column, f]));
  const strict = (columns: readonly (string | undefined)[]): boolean =>
    columns.every((c) => {
      const f = c === undefined ? undefined : byColumn.get(c);
      return !!f && !f.node.optional && f.scalar !== 'Unsupported';
    });
  return (!!t.primaryKey && strict(t.primaryKey.columns)) || t.indexes.some((i) => i.unique && strict(i.columns.map(keyColumn)));
}

/** A scalar field's column: the type per provider (native, enum, Unsupported, list), nullability. */
function columnOf(f: Field, m: ModelBlock, file: string, config: PrismaConfig, enumDb: ReadonlyMap<string, EnumType>): { column: Column; field: ScalarField } {
  const where = { file, line: lineOf(f) };
  const { provider } = config;
  const type = typeName(f);
  const native = f.attributes?.find((a) => a.group === config.datasourceName);
  let scalar: string;
  let sqlType: string;
  if (typeof f.fieldType !== 'string') {
    if (f.fieldType.name !== 'Unsupported') fail(where, `type ${type}(…) of ${m.name}.${f.name} is not a type Prisma knows; only Unsupported("…") takes an argument`);
    const given = f.fieldType.params?.length === 1 ? stringLiteral(f.fieldType.params[0]) : undefined;
    if (!given) fail(where, `${m.name}.${f.name}: Unsupported takes the database type as one string, e.g. Unsupported("tsvector")`);
    if (native) fail({ file, line: lineOf(native) ?? where.line }, `${m.name}.${f.name}: a native type attribute cannot be used on an Unsupported field`);
    if (fieldAttr(f, 'ignore')) fail(where, `${m.name}.${f.name}: fields of type Unsupported cannot take @ignore (Prisma Client ignores them already)`);
    scalar = 'Unsupported';
    // Prisma writes the type as given; PostgreSQL reports it back in its own spelling.
    sqlType = given;
  } else if (enumDb.has(type)) {
    if (native) fail({ file, line: lineOf(native) ?? where.line }, `${m.name}.${f.name}: a native type attribute cannot be used on an enum field`);
    scalar = 'Enum';
    sqlType = provider.enumColumn(enumDb.get(type)!);
  } else if (SCALAR_TYPES.has(type)) {
    scalar = type;
    if (native && !provider.nativeType) fail({ file, line: lineOf(native) ?? where.line }, `native type ${spelled(native)} is not available on ${provider.name}`);
    if (native) {
      const args = (native.args ?? []).map((a) => String(stringLiteral(a.value) ?? a.value));
      const nt = provider.nativeType?.(native.name, args, type);
      if (!nt) fail({ file, line: lineOf(native) ?? where.line }, `native type ${spelled(native)} of ${m.name}.${f.name} is not supported`);
      if (typeof nt === 'object') fail({ file, line: lineOf(native) ?? where.line }, `native type ${spelled(native)} of ${m.name}.${f.name}: ${nt.problem}`);
      sqlType = nt;
    } else sqlType = provider.scalars[type];
  } else {
    return fail(where, `type "${type}" of ${m.name}.${f.name} is neither a scalar type, an enum, a model nor a view`);
  }
  if (f.array) {
    if (!provider.lists) fail(where, `${m.name}.${f.name}: scalar lists need PostgreSQL; the ${provider.name} connector does not support lists`);
    sqlType = `${sqlType}[]`;
  }
  // Prisma writes NOT NULL for required fields only: optional ones and lists are nullable.
  const column: Column = { name: mappedName(f.attributes, f.name, where), type: sqlType, nullable: !!f.optional || !!f.array };
  return { column, field: { name: f.name, column: column.name, scalar, ...(native ? { native: native.name } : {}), list: !!f.array, line: where.line } };
}

