/**
 * TypeORM's description of a DataSource's tables → the neutral Schema, spelled exactly as the
 * static entity reader spells the same entities (types through the same per-driver tables,
 * defaults as TypeORM's driver writes them), so that the two model sources agree to the byte.
 * What TypeORM can build but the neutral Schema cannot describe is an error, never dropped.
 */
import { MigratorError } from '../../errors.js';
import { markMariadbUuid } from '../../dialects/mysql/table-record.js';
import { emptyTable, tableShape, type Column, type EnumType, type ForeignKeyAction, type Index, type Schema, type Table } from '../../schema/schema.js';
import { frozenTimeDefault, UNDESCRIBED_OPTIONS, SHARED_TABLE_ADVICE, typeOrmCollation, typeOrmDriver, typeOrmGenerated, type TypeOrmDriver } from '../typescript/drivers/index.js';
import type { DescribedColumn, DescribedTable, Description } from './description.js';


const FK_ACTIONS = new Set<string>(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

class Converter {
  private readonly driver: TypeOrmDriver;
  private readonly enums = new Map<string, { type: EnumType; column: string }>();

  constructor(
    private readonly file: string,
    dialect: string,
    private readonly description: Description,
  ) {
    this.driver = typeOrmDriver(dialect);
  }

  private fail(message: string): never {
    throw new MigratorError(`${this.file}: ${message}`);
  }

  /** The type as the static reader spells it; TypeORM's own spelling where that has none. */
  private spelled(c: DescribedColumn, t: DescribedTable, withSize = true): string {
    if (c.spatialFeatureType !== undefined || c.srid !== undefined) return c.fullType;
    const built = this.driver.columnType({
      type: c.type,
      ...(withSize ? { length: c.length, precision: c.precision, scale: c.scale, ...(c.width ? { width: c.width } : {}) } : {}),
      array: c.array,
      table: t.name,
      column: c.name,
    });
    if (built) return built.type;
    return this.driver.dataSource.fullType(c.fullType);
  }

  private column(c: DescribedColumn, t: DescribedTable, pkColumns: string[]): { column: Column; enumCheck?: string[] } {
    const where = `${t.entity}.${c.property}`;
    const generation = c.asExpression !== undefined ? typeOrmGenerated(this.driver, c.asExpression, c.generatedType, c.primary ? false : c.nullable) : undefined;
    if (generation && 'problem' in generation) this.fail(`${where} ${generation.problem}`);
    const generated = generation && !('problem' in generation) ? generation : undefined;
    const collation = typeOrmCollation(this.driver, c.collation, c.charset);
    if ('problem' in collation) this.fail(`${where} ${collation.problem}`);
    const parts = this.driver.dataSource.column({
      column: c,
      table: t,
      where,
      primaryKey: pkColumns,
      spelled: (withSize = true) => this.spelled(c, t, withSize),
      enumType: (type) => this.enumType(type, `${t.name}.${c.name}`),
      ...(this.description.uuidGenerator !== undefined ? { uuidGenerator: this.description.uuidGenerator } : {}),
      fail: (message) => this.fail(message),
    });
    const def = parts.default ?? c.default;
    const { type, autoincrement, identity, enumCheck } = parts;
    // A quoted literal TypeORM wrote for a string default (`'now()'`), read back as the string.
    const literal = def !== undefined && /^'(?:[^']|'')*'$/.test(def) ? def.slice(1, -1).replace(/''/g, "'") : undefined;
    const frozen = frozenTimeDefault(literal, type);
    if (frozen) this.fail(`${where}: ${frozen}`);
    const column: Column = {
      name: c.name,
      type,
      nullable: generated ? generated.nullable : c.primary ? false : c.nullable,
      ...(def !== undefined && c.asExpression === undefined ? { default: def } : {}),
      ...(generated ? { generated: generated.generated, ...(generated.virtual ? { virtual: true as const } : {}) } : {}),
      ...(autoincrement ? { autoincrement: true } : {}),
      ...(identity ? { identity } : {}),
      ...(c.comment !== undefined ? { comment: c.comment } : {}),
      // Only the drivers that write ON UPDATE (MySQL's) have it; the others leave it out of their SQL.
      ...(c.onUpdate !== undefined && this.driver.onUpdate ? { onUpdate: c.onUpdate } : {}),
      ...('problem' in collation ? {} : collation),
    };
    return { column, ...(enumCheck ? { enumCheck } : {}) };
  }

  private enumType(type: EnumType, column: string): void {
    const seen = this.enums.get(type.name);
    if (seen && seen.type.values.join('\u0000') !== type.values.join('\u0000')) {
      this.fail(`enum type "${type.name}" of columns ${seen.column} and ${column} is declared twice with different values; give one of the columns another enumName`);
    }
    if (!seen) this.enums.set(type.name, { type, column });
  }

  private action(value: string | undefined, what: string): ForeignKeyAction {
    const a = value ?? 'NO ACTION';
    if (!FK_ACTIONS.has(a)) this.fail(`${what} has ${a}, which is not a foreign-key action; use ${[...FK_ACTIONS].join(', ')}`);
    return a as ForeignKeyAction;
  }

  table(t: DescribedTable): Table {
    const entity = t.kind === 'regular' ? `entity ${t.entity}` : `the ${t.kind} table "${t.name}" of entity ${t.entity}`;
    const problem = this.driver.dataSource.tableProblem(t, entity);
    if (problem) this.fail(problem);
    if (t.engine !== undefined && this.driver.name === 'mysql') this.fail(`${entity} ${UNDESCRIBED_OPTIONS.engine} (engine "${t.engine}")`);
    const zerofill = t.columns.find((c) => c.zerofill);
    if (zerofill) this.fail(`${entity}.${zerofill.property} ${UNDESCRIBED_OPTIONS.zerofill}`);
    const table = emptyTable(t.name);
    const pkColumns = t.primaryKey?.columns ?? [];
    const built = t.columns.map((c) => this.column(c, t, pkColumns));
    table.columns = built.map((b) => b.column);
    // TypeORM's `mariadb` driver decides `uuid` columns by the server it connects to (fitMysqlModels).
    if (this.description.type === 'mariadb') markMariadbUuid(table, t.columns.filter((c) => c.uuid).map((c) => c.name));
    if (t.primaryKey) table.primaryKey = { name: t.primaryKey.name, columns: t.primaryKey.columns };
    if (t.comment !== undefined) table.comment = t.comment;
    table.uniques = t.uniques.map((u) => {
      if (u.deferrable) this.fail(`${entity} has the DEFERRABLE unique constraint "${u.name}", which migrator's schema cannot describe; remove deferrable`);
      return { name: u.name, columns: u.columns };
    });
    for (const b of built) {
      if (b.enumCheck) table.checks.push({ expression: this.driver.enumCheck(b.column.name, b.enumCheck) });
    }
    // TypeORM's MySQL driver builds no @Check.
    if (this.driver.checks) for (const c of t.checks) table.checks.push({ name: c.name, expression: c.expression });
    // An index with synchronize: false is TypeORM's to leave alone, and so migrator's.
    const unmanaged = t.indexes.filter((ix) => !ix.synchronize).map((ix) => ix.name);
    if (unmanaged.length) table.unmanaged = { indexes: unmanaged };
    table.indexes = t.indexes.filter((ix) => ix.synchronize).map((ix): Index => {
      const what = `the index "${ix.name}" of ${entity}`;
      const method = this.driver.dataSource.indexMethod(ix);
      if ('problem' in method) this.fail(`${what} ${method.problem}`);
      const using = method.using;
      return { name: ix.name, columns: ix.columns, unique: ix.unique, ...(ix.where && this.driver.partialIndexes ? { where: ix.where } : {}), ...(using && using !== 'btree' ? { using } : {}) };
    });
    table.foreignKeys = t.foreignKeys.map((fk) => {
      const what = `the foreign key "${fk.name}" of ${entity}`;
      if (fk.deferrable) this.fail(`${what} is DEFERRABLE, which migrator's schema cannot describe; remove deferrable`);
      return {
        name: fk.name,
        columns: fk.columns,
        referencedTable: fk.referencedTable,
        referencedColumns: fk.referencedColumns,
        onDelete: this.action(fk.onDelete, `${what}: onDelete`),
        onUpdate: this.action(fk.onUpdate, `${what}: onUpdate`),
      };
    });
    // Two indexes or two foreign keys of one name (two single-table-inheritance children's
    // @Index, two relations through one join column): TypeORM's synchronize fails on the second.
    for (const [kind, names] of [['index', table.indexes.map((i) => i.name)], ['foreign key', table.foreignKeys.map((f) => f.name!)]] as const) {
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice !== undefined) this.fail(`${entity} has two ${kind === 'index' ? 'indexes' : 'foreign keys'} named "${twice}", and TypeORM's synchronize fails on the second; give one another name, or remove it`);
    }
    return table;
  }

  /**
   * The one database schema the tables are in, where the DataSource or its entities name one: a
   * table's own schema (an entity's `schema`), else the DataSource's. Tables in several schemas,
   * or in a named one and the connection's own, are an error.
   */
  private namespace(): Schema['namespace'] {
    const d = this.description;
    const placed = d.tables.map((t) => ({ t, schema: t.namespace ?? d.schema }));
    const named = placed.find((p) => p.schema !== undefined);
    if (!named) return undefined;
    const what = (t: DescribedTable): string => (t.kind === 'regular' ? `entity ${t.entity}` : `the ${t.kind} table "${t.name}" of entity ${t.entity}`);
    if (!this.driver.dataSource.searchSchema) this.fail(`${what(named.t)} is put in ${named.schema}, and migrator reads a schema on PostgreSQL only; remove the schema or database option`);
    const other = placed.find((p) => p.schema !== named.schema);
    if (other) {
      const where = (p: typeof named): string => (p.schema === undefined ? "the connection's own schema" : `schema "${p.schema}"`);
      this.fail(`${what(other.t)} is in ${where(other)} and ${what(named.t)} in ${where(named)}; migrator works in one schema of a database — give the entities one schema, or keep each schema's entities in a project of its own (a config whose database URL ends in ?schema=<schema>)`);
    }
    return { name: named.schema!, source: this.file };
  }

  schema(): Schema {
    const d = this.description;
    if (d.views.length) {
      this.fail(`the view entities ${d.views.join(', ')} would be created as views, which migrator's schema cannot describe; give them @ViewEntity({ synchronize: false }) and create the views with op.execute in a revision`);
    }
    const seen = new Map<string, { entity: string; junction: boolean; table: Table }>();
    const tables: Table[] = [];
    for (const t of d.tables) {
      const table = this.table(t);
      const other = seen.get(t.name);
      // Both sides of a many-to-many may name one @JoinTable: TypeORM creates the table once.
      if (other?.junction && t.kind === 'junction' && tableShape(other.table) === tableShape(table)) continue;
      if (other !== undefined) {
        const junction = other.junction ? other.entity : t.kind === 'junction' ? t.entity : undefined;
        const advice = junction ? `; the junction table of a many-to-many of ${junction} is also an entity's table: give it another name (@JoinTable({ name })), or leave it to the entity with @JoinTable({ synchronize: false })` : SHARED_TABLE_ADVICE;
        this.fail(`entities ${other.entity} and ${t.entity} both map to table "${t.name}"${advice}`);
      }
      // A many-to-many a view left alone owns: TypeORM builds its junction with a key to the view.
      const view = table.foreignKeys.find((fk) => d.viewTables?.includes(fk.referencedTable));
      if (view && t.kind === 'junction') {
        this.fail(`the junction table "${t.name}" (a many-to-many of ${t.entity}) has a foreign key to the view "${view.referencedTable}", which the database refuses; make the junction table by hand and give @JoinTable({ synchronize: false }), or move the relation to an entity`);
      }
      seen.set(t.name, { entity: t.entity, junction: t.kind === 'junction', table });
      tables.push(table);
    }
    const extensions = this.driver.dataSource.extensions ? [...new Set(d.extensions)].sort() : [];
    const namespace = this.namespace();
    return {
      ...(namespace ? { namespace } : {}),
      tables,
      ...(this.enums.size ? { enums: [...this.enums.values()].map((x) => x.type).sort((a, b) => (a.name < b.name ? -1 : 1)) } : {}),
      ...(extensions.length ? { extensions } : {}),
    };
  }
}

/** The neutral Schema of what TypeORM described for `file`, on `dialect`. */
export function describedSchema(description: Description, file: string, dialect: string): Schema {
  return new Converter(file, dialect, description).schema();
}
