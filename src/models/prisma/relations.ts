/**
 * Relations as Prisma Migrate builds them: a foreign key on the side that names `fields`, with
 * Prisma's default referential actions, and implicit many-to-many tables `_<A>To<B>` (or
 * `_<Name>`). With `relationMode = "prisma"` Prisma Client emulates relations and the database
 * gets no foreign key at all.
 */
import type { Field, Model, Value } from '@mrleebo/prisma-ast';
import { emptyTable, type Column, type ForeignKey, type ForeignKeyAction, type Table } from '../../schema/schema.js';
import { dialectNamed } from '../../dialects/index.js';
import { constantArg, fieldList, readArgs, stringArg } from './args.js';
import { fieldAttr, fieldsOf, typeName } from './ast.js';
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

/**
 * Foreign keys on the side with `fields`, and implicit many-to-many tables. With
 * `relationMode = "prisma"` Prisma Client emulates relations: no foreign key reaches the database.
 */
export function relationsOf(
  models: ReadonlyMap<string, Located<Model>>,
  tables: ReadonlyMap<string, Table>,
  contexts: ReadonlyMap<string, ModelContext>,
  config: PrismaConfig,
  names: Namer,
  constraintNames: ConstraintNames,
): Table[] {
  const { provider } = config;
  const junctions = new Map<string, Table>();
  for (const { node: m, file } of models.values()) {
    const t = tables.get(m.name)!;
    for (const f of fieldsOf(m)) {
      const targetName = typeName(f);
      const target = models.get(targetName);
      if (!target) continue;
      const rel = relationOf(f, file);
      const back = fieldsOf(target.node).filter((g) => typeName(g) === m.name && !(g === f && target.node === m) && relationOf(g, target.file).name === rel.name);
      if (back.length === 0) {
        fail({ file, line: lineOf(f) }, `relation field ${m.name}.${f.name} has no opposite relation field on model ${targetName}; add one (Prisma requires both sides)`);
      }
      for (const [key, v] of [['onDelete', rel.onDelete], ['onUpdate', rel.onUpdate]] as const) {
        if (v === undefined) continue;
        if (!Object.hasOwn(ACTIONS, v)) fail(rel.where, `${key}: ${v} is not a referential action; use ${Object.keys(ACTIONS).join(', ')}`);
        if (config.emulatedRelations && (v === 'SetDefault' || (v === 'NoAction' && provider.emulatedNoActionRefused))) {
          fail(rel.where, `${key}: ${v} is not implemented with relationMode = "prisma"${provider.emulatedNoActionRefused ? ` on ${dialectNamed(provider.dialect).title}` : ''}; use Cascade, Restrict or SetNull`);
        }
      }
      if (rel.map !== undefined && !provider.namedForeignKeys) fail(rel.where, `@relation(map:): the ${provider.name} provider does not support named foreign keys; remove map:`);
      if (rel.fields.length) {
        const own = contexts.get(m.name)!;
        const other = contexts.get(targetName)!;
        const columns = rel.fields.map((n) => own.scalars.get(n)?.column ?? fail(rel.where, `@relation fields names "${n}", which is not a scalar field of model ${m.name}`));
        const referencedColumns = rel.references.map((n) => other.scalars.get(n)?.column ?? fail(rel.where, `@relation references names "${n}", which is not a scalar field of model ${targetName}`));
        if (referencedColumns.length !== columns.length) fail(rel.where, `@relation of ${m.name}.${f.name}: fields and references must name as many fields each`);
        if (config.emulatedRelations) continue;
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
