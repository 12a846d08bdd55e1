/**
 * The neutral schema model: what model sources produce, what introspectors produce, and what the
 * differ compares. Plain data, no behaviour; it imports nothing else of ours.
 */

export type ForeignKeyAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface Column {
  name: string;
  /** The SQL type as the target database spells it, e.g. `varchar(255)`, `integer`. */
  type: string;
  nullable: boolean;
  /** A SQL expression (`'draft'`, `0`, `CURRENT_TIMESTAMP`); undefined when there is none. */
  default?: string;
  /** An auto-incrementing integer primary key (SQLite AUTOINCREMENT, PostgreSQL serial/identity). */
  autoincrement?: boolean;
  comment?: string;
}

export interface PrimaryKey {
  name?: string;
  columns: string[];
}

export interface Index {
  name: string;
  columns: string[];
  unique: boolean;
  /** Partial index predicate, without the `WHERE` keyword. */
  where?: string;
}

export interface UniqueConstraint {
  name?: string;
  columns: string[];
}

export interface CheckConstraint {
  name?: string;
  /** The boolean expression, without the `CHECK (...)` wrapper. */
  expression: string;
}

export interface ForeignKey {
  name?: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete?: ForeignKeyAction;
  onUpdate?: ForeignKeyAction;
}

export interface Table {
  name: string;
  columns: Column[];
  primaryKey?: PrimaryKey;
  indexes: Index[];
  uniques: UniqueConstraint[];
  checks: CheckConstraint[];
  foreignKeys: ForeignKey[];
  comment?: string;
}

export interface Schema {
  tables: Table[];
}

/** A table with every list present, for building tables field by field. */
export function emptyTable(name: string): Table {
  return { name, columns: [], indexes: [], uniques: [], checks: [], foreignKeys: [] };
}

export function findTable(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name === name);
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** A deep copy, so that callers can edit a schema without touching the original. */
export function cloneSchema(schema: Schema): Schema {
  return structuredClone(schema);
}

/** The names of the tables a table's foreign keys point at, itself excluded. */
export function referencedTables(table: Table): string[] {
  return [...new Set(table.foreignKeys.map((fk) => fk.referencedTable))].filter((n) => n !== table.name);
}

/**
 * Tables in foreign-key dependency order: every table after the tables it references (where the
 * references allow it; a cycle keeps the remaining tables in name order). Deterministic.
 */
export function sortByDependencies(tables: Table[]): Table[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Table[] = [];
  const visit = (t: Table): void => {
    if (done.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const dep of referencedTables(t).sort()) {
      const d = byName.get(dep);
      if (d) visit(d);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => compareNames(a.name, b.name))) visit(t);
  return out;
}

/** Code-unit order, independent of locale, so output is the same everywhere. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
