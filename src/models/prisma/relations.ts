/**
 * Relations as Prisma Migrate builds them: a foreign key on the side that names `fields`, with
 * Prisma's default referential actions, and implicit many-to-many tables `_<A>To<B>` (or
 * `_<Name>`). With `relationMode = "prisma"` Prisma Client emulates relations and the database
 * gets no foreign key at all, nor does a relation to or from a view (Prisma Migrate leaves views
 * to the user's SQL); the scalar fields of a model's side keep their columns.
 */
import type { Field, Value } from '@mrleebo/prisma-ast';
import { emptyTable, keyColumn, type Column, type ForeignKey, type ForeignKeyAction, type Table } from '../../schema/schema.js';
import { dialectNamed } from '../../dialects/index.js';
import { constantArg, fieldList, readArgs, stringArg } from './args.js';
import { blockAttrsOf, fieldAttr, fieldsOf, typeName, type ModelBlock } from './ast.js';
import type { PrismaConfig } from './config.js';
import { fail, lineOf, type Where } from './errors.js';
import type { ModelContext } from './indexes.js';
import type { ConstraintNames, Namer } from './names.js';

export interface Located<T> {
  node: T;
  file: string;
}

const ACTIONS: Record<string, ForeignKeyAction> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', NoAction: 'NO ACTION', SetNull: 'SET NULL', SetDefault: 'SET DEFAULT' };

const RELATION_SPEC = { positional: 'name', names: ['name', 'fields', 'references', 'onDelete', 'onUpdate', 'map'] } as const;

/** The relation (name, fields, references, actions) a relation field declares. */
interface Relation {
  name?: string;
  fields: string[];
  references: string[];
  onDelete?: string;
  onUpdate?: string;
  map?: string;
  where: Where;
}

function relationOf(f: Field, file: string): Relation {
  const attr = fieldAttr(f, 'relation');
  const where = { file, line: lineOf(attr) ?? lineOf(f) };
  if (!attr) return { fields: [], references: [], where };
  const args = readArgs(attr.args, RELATION_SPEC, '@relation', where);
  const name = stringArg(args.get('name'), '@relation(name:)', where);
  return {
    ...(name !== undefined ? { name } : {}),
    fields: fieldList(args.get('fields'), '@relation(fields:)', where, false).map((r) => r.name),
    references: fieldList(args.get('references'), '@relation(references:)', where, false).map((r) => r.name),
    onDelete: constantArg(args.get('onDelete') as Value | undefined, '@relation(onDelete:)', 'Cascade', where),
    onUpdate: constantArg(args.get('onUpdate') as Value | undefined, '@relation(onUpdate:)', 'Cascade', where),
    map: stringArg(args.get('map'), '@relation(map:)', where),
    where,
  };
}

const ignored = (m: ModelBlock): boolean => blockAttrsOf(m).some((a) => a.name === 'ignore');

/**
 * Foreign keys on the side with `fields`, and implicit many-to-many tables. With
 * `relationMode = "prisma"` Prisma Client emulates relations: no foreign key reaches the database.
 * `models` holds the views too: a relation with a view on either side is checked as Prisma checks
 * it and makes no foreign key; an implicit many-to-many one is an error, as in Prisma.
 */
export function relationsOf(
  models: ReadonlyMap<string, Located<ModelBlock>>,
  tables: ReadonlyMap<string, Table>,
  contexts: ReadonlyMap<string, ModelContext>,
  config: PrismaConfig,
  names: Namer,
  constraintNames: ConstraintNames,
): Table[] {
  const { provider } = config;
  for (const { node: m, file } of models.values()) checkAmbiguity(m, file, models);
  const junctions = new Map<string, Table>();
  for (const { node: m, file } of models.values()) {
    const t = tables.get(m.name)!;
    for (const f of fieldsOf(m)) {
      const targetName = typeName(f);
      const target = models.get(targetName);
      if (!target) continue;
      const rel = relationOf(f, file);
      // Prisma Migrate writes no foreign key to or from a view, but checks the relation as a model's.
      const viewSide = m.type === 'view' || target.node.type === 'view';
      const back = fieldsOf(target.node).filter((g) => typeName(g) === m.name && !(g === f && target.node === m) && relationOf(g, target.file).name === rel.name);
      if (back.length === 0) {
        fail({ file, line: lineOf(f) }, `relation field ${m.name}.${f.name} has no opposite relation field on ${target.node.type} ${targetName}; add one (Prisma requires both sides)`);
      }
      for (const [key, v] of [['onDelete', rel.onDelete], ['onUpdate', rel.onUpdate]] as const) {
        if (v === undefined) continue;
        if (!Object.hasOwn(ACTIONS, v)) fail(rel.where, `${key}: ${v} is not a referential action; use ${Object.keys(ACTIONS).join(', ')}`);
        if (config.emulatedRelations && (v === 'SetDefault' || (v === 'NoAction' && provider.emulatedNoActionRefused))) {
          fail(rel.where, `${key}: ${v} is not implemented with relationMode = "prisma"${provider.emulatedNoActionRefused ? ` on ${dialectNamed(provider.dialect).title}` : ''}; use Cascade, Restrict or SetNull`);
        }
      }
      if (rel.fields.length === 0 && (rel.onDelete !== undefined || rel.onUpdate !== undefined)) {
        const defining = back.find((g) => relationOf(g, target.file).fields.length);
        if (defining) fail(rel.where, `${m.name}.${f.name}: onDelete and onUpdate belong on the side that names fields:, not here; move them to ${targetName}.${defining.name}`);
        if (f.array) fail(rel.where, `${m.name}.${f.name}: referential actions on implicit many-to-many relations are not supported; remove onDelete/onUpdate, or relate the models through an explicit join model that carries them`);
      }
      if (ignored(target.node) && !ignored(m) && !fieldAttr(f, 'ignore')) {
        fail({ file, line: lineOf(f) }, `${m.name}.${f.name}: the relation field must be marked @ignore, because the ${target.node.type} ${targetName} it points to is marked @@ignore`);
      }
      if (rel.map !== undefined && !provider.namedForeignKeys) fail(rel.where, `@relation(map:): the ${provider.name} provider does not support named foreign keys; remove map:`);
      if (rel.fields.length) {
        const own = contexts.get(m.name)!;
        const other = contexts.get(targetName)!;
        const columns = rel.fields.map((n) => own.scalars.get(n)?.column ?? fail(rel.where, `@relation fields names "${n}", which is not a scalar field of ${m.type} ${m.name}`));
        const referencedColumns = rel.references.map((n) => other.scalars.get(n)?.column ?? fail(rel.where, `@relation references names "${n}", which is not a scalar field of ${target.node.type} ${targetName}`));
        if (referencedColumns.length !== columns.length) fail(rel.where, `@relation of ${m.name}.${f.name}: fields and references must name as many fields each`);
        checkKeyFields(m, rel, target.node, back[0], { own: t, columns }, { table: tables.get(targetName)!, columns: referencedColumns });
        if (config.emulatedRelations || viewSide) continue;
        // Prisma counts a relation as required when any of its fields is.
        const required = columns.some((c) => !t.columns.find((x) => x.name === c)!.nullable);
        t.foreignKeys.push({
          name: constraintNames.claim(m.name, rel.map ?? names.foreignKey(t.name, columns), rel.where, 'foreignKey'),
          columns,
          referencedTable: tables.get(targetName)!.name,
          referencedColumns,
          onDelete: rel.onDelete ? ACTIONS[rel.onDelete] : required ? 'RESTRICT' : 'SET NULL',
          onUpdate: rel.onUpdate ? ACTIONS[rel.onUpdate] : 'CASCADE',
        });
        continue;
      }
      // Implicit many-to-many: both sides lists, no `fields` on either.
      const other = back.find((g) => g.array);
      if (!f.array || !other || relationOf(other, target.file).fields.length) continue;
      if (viewSide) {
        fail(
          { file, line: lineOf(f) },
          `Implicit many-to-many relations are not supported for views: ${m.name}.${f.name} and ${targetName}.${other.name} are lists on both sides with no @relation(fields:, references:); relate them through a model or view that has a relation to each`,
        );
      }
      const [a, b] = [m.name, targetName].sort();
      const name = rel.name ? `_${rel.name}` : `_${a}To${b}`;
      if (junctions.has(name)) continue;
      const keyOf = (model: string): Column => {
        const tt = tables.get(model)!;
        const pk = tt.primaryKey?.columns ?? [];
        if (pk.length !== 1) fail({ file, line: lineOf(f) }, `the implicit many-to-many relation ${name} needs a single-field @id on model ${model}`);
        return tt.columns.find((c) => c.name === pk[0])!;
      };
      const colA = keyOf(a);
      const colB = keyOf(b);
      const j = emptyTable(name);
      const plain = (c: Column, as: string): Column => ({ name: as, type: c.type, nullable: false });
      j.columns = [plain(colA, 'A'), plain(colB, 'B')];
      // Prisma 6 keys the pair with a primary key on PostgreSQL, a unique index on SQLite.
      if (provider.joinTablePrimaryKey) j.primaryKey = { name: names.joinTable(name, '_AB_pkey'), columns: ['A', 'B'] };
      else j.indexes.push({ name: names.joinTable(name, '_AB_unique'), columns: ['A', 'B'], unique: true });
      j.indexes.push({ name: names.joinTable(name, '_B_index'), columns: ['B'], unique: false });
      const fk = (side: 'A' | 'B', model: string, column: Column): ForeignKey => ({
        name: names.joinTable(name, `_${side}_fkey`),
        columns: [side],
        referencedTable: tables.get(model)!.name,
        referencedColumns: [column.name],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      });
      if (!config.emulatedRelations) j.foreignKeys = [fk('A', a, colA), fk('B', b, colB)];
      junctions.set(name, j);
    }
  }
  return [...junctions.values()];
}

/** `a`, `a` and `b`, `a`, `b` and `c`, each in backquotes, as Prisma lists fields. */
function fieldNames(fields: readonly Field[]): string {
  const names = fields.map((f) => `\`${f.name}\``);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
}

/**
 * Prisma's rules for telling relations apart: a model's relation fields to one other model need
 * a relation name each; of a self-relation, exactly the two sides share one (psl's ambiguity
 * check; the messages start as Prisma's, at the group's first field).
 */
function checkAmbiguity(m: ModelBlock, file: string, models: ReadonlyMap<string, Located<ModelBlock>>): void {
  const groups = new Map<string, { target: string; name?: string; fields: Field[] }>();
  for (const f of fieldsOf(m)) {
    const target = typeName(f);
    if (!models.has(target)) continue;
    const name = relationOf(f, file).name;
    const key = `${target}\u0000${name ?? ''}\u0000${name === undefined ? 'unnamed' : 'named'}`;
    const group = groups.get(key) ?? { target, ...(name !== undefined ? { name } : {}), fields: [] };
    group.fields.push(f);
    groups.set(key, group);
  }
  for (const { target, name, fields } of groups.values()) {
    const self = target === m.name;
    const where = { file, line: lineOf(fields[0]) };
    const listed = `the fields ${fieldNames(fields)} in model \`${m.name}\``;
    if (self && name === undefined && fields.length > 1) {
      fail(where, `Ambiguous self relation detected: ${listed} both refer to \`${m.name}\`; if they are the two sides of one relation give both the same name, @relation("name"), else give each relation a name of its own`);
    }
    if (self && fields.length > 2) {
      fail(where, `Wrongly named self relation detected: ${listed} have the same relation name "${name}", and at most two fields can belong to one relation; give one of them another name with @relation("name")`);
    }
    if (!self && fields.length > 1) {
      fail(
        where,
        name === undefined
          ? `Ambiguous relation detected: ${listed} both refer to \`${target}\`; give them different relation names with @relation("name")`
          : `Wrongly named relation detected: ${listed} both use the relation name "${name}"; give them different relation names with @relation("name")`,
      );
    }
  }
}

/** Whether `columns` are, as a set, the primary key or the columns of a unique index of `t`. */
function isUniqueCriterion(t: Table, columns: readonly string[]): boolean {
  const same = (key: readonly string[]): boolean => key.length === columns.length && key.every((c) => columns.includes(c));
  return (!!t.primaryKey && same(t.primaryKey.columns)) || t.indexes.some((i) => i.unique && !i.where && same(i.columns.map((k) => keyColumn(k) ?? '')));
}

/** What to add to make `fields` of `model` unique, as Prisma suggests it. */
const uniqueHint = (fields: readonly string[], model: string): string =>
  fields.length === 1 ? `an \`@unique\` attribute to the field \`${fields[0]}\` in the model \`${model}\`` : `an \`@@unique([${fields.join(', ')}])\` attribute to the model \`${model}\``;

/**
 * Prisma's rules for a relation's `fields` and `references` (psl's relation field checks): each
 * field of the scalar type of the field it references, the references a unique criterion of the
 * referenced model, and the fields one of their own model when the relation is one-to-one.
 */
function checkKeyFields(
  m: ModelBlock,
  rel: Relation,
  target: ModelBlock,
  opposite: Field,
  from: { own: Table; columns: readonly string[] },
  to: { table: Table; columns: readonly string[] },
): void {
  const fieldOf = (model: ModelBlock, name: string): Field => fieldsOf(model).find((g) => g.name === name)!;
  for (const [i, name] of rel.fields.entries()) {
    const field = fieldOf(m, name);
    const referenced = fieldOf(target, rel.references[i]);
    if (typeName(field) !== typeName(referenced) || !!field.array !== !!referenced.array) {
      fail(rel.where, `The type of the field \`${name}\` in the model \`${m.name}\` is not matching the type of the referenced field \`${referenced.name}\` in model \`${target.name}\` (${typeName(field)}${field.array ? '[]' : ''} and ${typeName(referenced)}${referenced.array ? '[]' : ''}); declare ${name} as ${typeName(referenced)}${referenced.array ? '[]' : ''}`);
    }
  }
  if (!isUniqueCriterion(to.table, to.columns)) {
    fail(rel.where, `The argument \`references\` must refer to a unique criterion in the related model; add ${uniqueHint(rel.references, target.name)}, or reference its @id`);
  }
  if (!opposite.array && !isUniqueCriterion(from.own, from.columns)) {
    fail(rel.where, `A one-to-one relation must use unique fields on the defining side; add ${uniqueHint(rel.fields, m.name)}, or change the relation to one-to-many (make ${opposite.name} on ${target.name} a list)`);
  }
}
