/**
 * Entity descriptions → the neutral Schema, the way TypeORM's metadata builder and the chosen
 * driver would lay the tables out: join columns, junction tables, generated constraint names.
 */
import { emptyTable, type Column, type EnumType, type ForeignKey, type Schema, type Table } from '../../schema/schema.js';
import type { ColumnMeta, EntityMeta, EnumLookup, JoinColumnMeta, RelationMeta } from './entities.js';
import { typeormNames as names } from './naming.js';
import type { TypeOrmDriver } from './typeorm-types.js';
import { sqlString } from '../sql.js';
import { ModelError, text, type Value } from './values.js';

/** A column as built, with what relations copy from it. */
interface BuiltColumn {
  property: string;
  column: Column;
  /** The values of an enum column that SQLite checks with CHECK (column IN (...)). */
  enumCheck?: string[];
  /** The enum type a PostgreSQL enum column uses. */
  enumType?: EnumType;
}

interface BuiltEntity {
  meta: EntityMeta;
  table: Table;
  columns: BuiltColumn[];
  relations: RelationMeta[];
}

function enumCheck(column: string, values: string[]): string {
  return `"${column}" IN (${values.map(sqlString).join(',')})`;
}

function defaultOf(v: Value, col: ColumnMeta, driver: TypeOrmDriver, enums: EnumLookup): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return driver.defaultValue(v);
  if (Array.isArray(v)) return driver.defaultValue(v.map(String));
  if (v.kind === 'fn') {
    if (typeof v.returns !== 'string') throw new ModelError(col.node, 'a default function must return an SQL expression string, e.g. () => \'CURRENT_TIMESTAMP\'');
    return driver.defaultFunction(v.returns);
  }
  if (v.kind === 'member') {
    const value = enums(v.object)?.get(v.member);
    if (value === undefined) throw new ModelError(col.node, `cannot find ${v.object}.${v.member} among the enums of the model files`);
    return driver.defaultValue(value);
  }
  throw new ModelError(col.node, `cannot read the default \`${text(v.node)}\` without running the code; use a literal`);
}

function buildColumn(col: ColumnMeta, owner: EntityMeta, table: string, driver: TypeOrmDriver, enums: EnumLookup): BuiltColumn {
  const name = col.name ?? col.property;
  let type: string | undefined = col.type;
  let def: string | undefined;
  let nullable = col.nullable ?? false;
  switch (col.kind) {
    case 'generated':
      type ??= col.generation === 'uuid' ? 'uuid' : col.generation === 'rowid' ? 'int' : 'Number';
      break;
    case 'createDate':
      type ??= driver.special.createDate.type;
      def = driver.special.createDate.default;
      break;
    case 'updateDate':
      type ??= driver.special.updateDate.type;
      def = driver.special.updateDate.default;
      break;
    case 'deleteDate':
      type ??= driver.special.deleteDate.type;
      nullable = col.nullable ?? true;
      break;
    case 'version':
      type = driver.special.version.type;
      break;
    default:
      type ??= col.designType;
  }
  if (!type) {
    throw new ModelError(col.node, `cannot tell the column type of ${owner.className}.${col.property} from its TypeScript type; give one, e.g. @Column('varchar')`);
  }
  const built = driver.columnType({
    type,
    length: col.length,
    precision: col.precision,
    scale: col.scale,
    array: col.array,
    enum: col.enum,
    enumName: col.enumName,
    table,
    column: name,
  });
  if (!built) {
    const shown = ['Number', 'String', 'Boolean', 'Date', 'Buffer'].includes(type) ? `${type} (from the TypeScript type)` : `"${type}"`;
    throw new ModelError(col.node, `column type ${shown} of ${owner.className}.${col.property} is not supported on ${driver.name}`);
  }
  if (col.default !== undefined) {
    if (col.default === null) nullable = true;
    def = defaultOf(col.default, col, driver, enums) ?? def;
  }
  if (col.generation === 'uuid' && driver.uuid.default) def = driver.uuid.default;
  if (col.kind === 'primary' || col.kind === 'generated') nullable = false;
  const identity = col.generation === 'identity' && driver.identity === 'identity';
  const column: Column = {
    name,
    type: built.type,
    nullable,
    ...(def !== undefined ? { default: def } : {}),
    ...(col.generation === 'increment' || col.generation === 'rowid' && driver.identity === 'identity' ? { autoincrement: true } : {}),
    ...(identity ? { identity: col.generatedIdentity ?? 'by default' } : {}),
    ...(col.comment !== undefined ? { comment: col.comment } : {}),
  };
  return {
    property: col.property,
    column,
    ...(built.enumCheck ? { enumCheck: built.enumCheck } : {}),
    ...(built.enumType ? { enumType: built.enumType } : {}),
  };
}

/** Builds the schema TypeORM would build for these classes on `driver`. */
export function buildSchema(classes: EntityMeta[], driver: TypeOrmDriver, enums: EnumLookup): Schema {
  const byClass = new Map(classes.map((c) => [c.className, c]));

  /** Columns, relations and constraints of a class and the classes it extends, base first. */
  const chain = (meta: EntityMeta): EntityMeta[] => {
    const out: EntityMeta[] = [];
    for (let m: EntityMeta | undefined = meta, depth = 0; m && depth < 32; depth++) {
      out.unshift(m);
      m = m.extendsName ? byClass.get(m.extendsName) : undefined;
    }
    return out;
  };

  const entities = new Map<string, BuiltEntity>();
  const extensions = new Set<string>();
  for (const meta of classes.filter((c) => c.isEntity)) {
    const table = emptyTable(names.table(meta.className, meta.tableName));
    if (meta.comment !== undefined) table.comment = meta.comment;
    const all = chain(meta);
    const columns = all.flatMap((m) => m.columns).map((c) => buildColumn(c, meta, table.name, driver, enums));
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.column.name)) throw new ModelError(meta.node, `${meta.className} has two columns named "${c.column.name}"`);
      seen.add(c.column.name);
    }
    table.columns = columns.map((c) => c.column);
    const pkColumns = all.flatMap((m) => m.columns).filter((c) => c.kind === 'primary' || c.kind === 'generated');
    const pk = pkColumns.map((c) => c.name ?? c.property);
    const pkName = pkColumns.find((c) => c.primaryKeyConstraintName)?.primaryKeyConstraintName;
    if (pk.length) table.primaryKey = { name: pkName ?? names.primaryKey(table.name, pk), columns: pk };
    for (const c of all.flatMap((m) => m.columns)) {
      if (c.generation === 'uuid' && driver.uuid.extension) extensions.add(driver.uuid.extension);
    }
    const existing = entities.get(meta.className);
    if (existing) throw new ModelError(meta.node, `two entity classes are named ${meta.className}`);
    entities.set(meta.className, { meta, table, columns, relations: all.flatMap((m) => m.relations) });
  }
  const tableNames = new Map<string, string>();
  for (const e of entities.values()) {
    const other = tableNames.get(e.table.name);
    if (other) throw new ModelError(e.meta.node, `${e.meta.className} and ${other} both map to table "${e.table.name}"`);
    tableNames.set(e.table.name, e.meta.className);
  }

  const target = (r: RelationMeta, owner: BuiltEntity): BuiltEntity => {
    const t = entities.get(r.target);
    if (!t) throw new ModelError(r.node, `${owner.meta.className}.${r.property} refers to ${r.target}, which is not an @Entity class of the model files`);
    return t;
  };
  const referenced = (t: BuiltEntity, refProperty: string | undefined, node: RelationMeta['node']): BuiltColumn[] => {
    if (refProperty) {
      const c = t.columns.find((x) => x.property === refProperty) ?? t.columns.find((x) => x.column.name === refProperty);
      if (!c) throw new ModelError(node, `${t.meta.className} has no column "${refProperty}" to reference`);
      return [c];
    }
    const pk = t.table.primaryKey?.columns ?? [];
    if (!pk.length) throw new ModelError(node, `${t.meta.className} has no primary key to reference`);
    return pk.map((n) => t.columns.find((c) => c.column.name === n)!);
  };
  const copyColumn = (from: BuiltColumn, name: string, nullable: boolean): BuiltColumn => ({
    property: name,
    column: { name, type: from.column.type, nullable },
    ...(from.enumCheck ? { enumCheck: from.enumCheck } : {}),
  });

  // Join columns of owning many-to-one / one-to-one sides.
  const joinColumnsOf = new Map<string, Map<string, string[]>>();
  for (const e of entities.values()) {
    const joins = new Map<string, string[]>();
    joinColumnsOf.set(e.meta.className, joins);
    for (const r of e.relations) {
      const owning = r.kind === 'many-to-one' || (r.kind === 'one-to-one' && r.joinColumns);
      if (!owning) continue;
      const t = target(r, e);
      const specs: JoinColumnMeta[] = r.joinColumns ?? [{}];
      const refs = specs.length === 1 && !specs[0].referencedColumnName ? referenced(t, undefined, r.node) : specs.map((s) => referenced(t, s.referencedColumnName, r.node)[0]);
      const cols: string[] = [];
      refs.forEach((ref, i) => {
        const spec = specs[i] ?? {};
        const name = spec.name ?? names.joinColumn(r.property, ref.property);
        cols.push(name);
        if (!e.columns.some((c) => c.column.name === name)) {
          const built = copyColumn(ref, name, r.nullable !== false);
          e.columns.push(built);
          e.table.columns.push(built.column);
        }
      });
      joins.set(r.property, cols);
      if (r.createForeignKeyConstraints) {
        const fk: ForeignKey = {
          name: specs[0]?.foreignKeyConstraintName ?? names.foreignKey(e.table.name, cols),
          columns: cols,
          referencedTable: t.table.name,
          referencedColumns: refs.map((x) => x.column.name),
          onDelete: r.onDelete ?? 'NO ACTION',
          onUpdate: r.onUpdate ?? 'NO ACTION',
        };
        e.table.foreignKeys.push(fk);
      }
    }
  }

  const junctions: Table[] = [];
  for (const e of entities.values()) {
    const joins = joinColumnsOf.get(e.meta.className)!;
    const columnsOf = (list: string[], node: EntityMeta['node'] | RelationMeta['node'], what: string): string[] =>
      list.flatMap((p) => {
        const col = e.columns.find((c) => c.property === p) ?? e.columns.find((c) => c.column.name === p);
        if (col) return [col.column.name];
        const join = joins.get(p);
        if (join) return join;
        throw new ModelError(node, `${what} names "${p}", which is not a column of ${e.meta.className}`);
      });

    // Uniques: column `unique: true` first, then @Unique (reverse source order), then one-to-one.
    for (const c of chain(e.meta).flatMap((m) => m.columns)) {
      if (c.unique) {
        const cols = [c.name ?? c.property];
        e.table.uniques.push({ name: names.unique(e.table.name, cols), columns: cols });
      }
    }
    for (const m of chain(e.meta)) {
      for (const u of m.uniques) {
        const cols = columnsOf(u.columns, u.node, '@Unique');
        e.table.uniques.push({ name: u.name ?? names.unique(e.table.name, cols), columns: cols });
      }
    }
    for (const r of e.relations) {
      if (r.kind !== 'one-to-one' || !r.joinColumns) continue;
      const cols = joins.get(r.property)!;
      if (cols.every((c) => e.table.primaryKey?.columns.includes(c))) continue;
      e.table.uniques.push({ name: names.relationUnique(e.table.name, cols), columns: cols });
    }
    for (const c of e.columns) {
      if (c.enumCheck) e.table.checks.push({ expression: enumCheck(c.column.name, c.enumCheck) });
    }
    for (const m of chain(e.meta)) {
      for (const ch of m.checks) e.table.checks.push({ name: ch.name ?? names.check(e.table.name, ch.expression), expression: ch.expression });
      for (const i of m.indexes) {
        const cols = columnsOf(i.columns, i.node, '@Index');
        e.table.indexes.push({ name: i.name ?? names.index(e.table.name, cols, i.where), columns: cols, unique: i.unique, ...(i.where ? { where: i.where } : {}) });
      }
    }

    for (const r of e.relations) {
      if (r.kind !== 'many-to-many' || !r.joinTable) continue;
      const t = target(r, e);
      const inverse = r.inverse ? t.relations.find((x) => x.property === r.inverse) : undefined;
      const jt = r.joinTable;
      const name = jt.name ?? names.joinTable(e.table.name, t.table.name, r.property);
      const ownerRefs = referenced(e, jt.joinColumn?.referencedColumnName, r.node);
      const inverseRefs = referenced(t, jt.inverseJoinColumn?.referencedColumnName, r.node);
      let ownerCols = ownerRefs.map((ref) => jt.joinColumn?.name ?? names.joinTableColumn(e.table.name, ref.column.name));
      let inverseCols = inverseRefs.map((ref) => jt.inverseJoinColumn?.name ?? names.joinTableColumn(t.table.name, ref.column.name));
      if (ownerCols.some((c) => inverseCols.includes(c))) {
        ownerCols = ownerCols.map((c) => `${c}_1`);
        inverseCols = inverseCols.map((c) => `${c}_2`);
      }
      const built = [...ownerRefs.map((ref, i) => copyColumn(ref, ownerCols[i], false)), ...inverseRefs.map((ref, i) => copyColumn(ref, inverseCols[i], false))];
      const junction = emptyTable(name);
      junction.columns = built.map((b) => b.column);
      junction.primaryKey = { name: names.primaryKey(name, [...ownerCols, ...inverseCols]), columns: [...ownerCols, ...inverseCols] };
      junction.indexes = [
        { name: names.index(name, ownerCols), columns: ownerCols, unique: false },
        { name: names.index(name, inverseCols), columns: inverseCols, unique: false },
      ];
      junction.foreignKeys = [
        {
          name: names.foreignKey(name, ownerCols),
          columns: ownerCols,
          referencedTable: e.table.name,
          referencedColumns: ownerRefs.map((x) => x.column.name),
          onDelete: r.onDelete ?? 'CASCADE',
          onUpdate: r.onUpdate ?? 'CASCADE',
        },
        {
          name: names.foreignKey(name, inverseCols),
          columns: inverseCols,
          referencedTable: t.table.name,
          referencedColumns: inverseRefs.map((x) => x.column.name),
          onDelete: inverse?.onDelete ?? 'CASCADE',
          onUpdate: inverse?.onUpdate ?? 'CASCADE',
        },
      ];
      for (const b of built) if (b.enumCheck) junction.checks.push({ expression: enumCheck(b.column.name, b.enumCheck) });
      junctions.push(junction);
    }
  }
  const enumTypes = new Map<string, EnumType>();
  for (const e of entities.values()) {
    for (const c of e.columns) {
      if (!c.enumType) continue;
      const seen = enumTypes.get(c.enumType.name);
      if (seen && seen.values.join('\u0000') !== c.enumType.values.join('\u0000')) {
        throw new ModelError(e.meta.node, `enum type "${c.enumType.name}" is declared twice with different values; give one of the columns another enumName`);
      }
      enumTypes.set(c.enumType.name, c.enumType);
    }
  }
  return {
    tables: [...[...entities.values()].map((e) => e.table), ...junctions],
    ...(enumTypes.size ? { enums: [...enumTypes.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) } : {}),
    ...(extensions.size ? { extensions: [...extensions].sort() } : {}),
  };
}
