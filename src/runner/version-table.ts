/**
 * The version table: one row per current head, `version_num varchar(32)` primary key. The same
 * statements serve online runs and offline (`--sql`) output.
 */
import type { Connection, Dialect } from '../dialects/dialect.js';
import type { HeadChange } from '../revisions/graph.js';
import { MigratorError } from '../errors.js';
import { HistoryTable } from './history.js';
import { findColumn, findTable, type Table } from '../schema/schema.js';

/** Column types that hold a revision id as written. */
const TEXT_TYPE = /char|text|clob|string/i;

/** Where a version table is, for messages: the database (password masked) and the config file. */
export interface VersionTablePlace {
  database?: string;
  configFile?: string;
}

/** The tables migrator keeps beside a version table of this name: never part of any model. */
export function migratorTables(versionTable: string, historyTable: string): string[] {
  return [versionTable, `${versionTable}_progress`, historyTable];
}

export class VersionTable {
  constructor(
    readonly dialect: Dialect,
    readonly name: string,
    readonly place: VersionTablePlace = {},
    readonly historyName: string = `${name.replace(/_version$/, '')}_history`,
  ) {}

  /** The table where a revision run in several phases records how far it got (see progress.ts). */
  get progressName(): string {
    return migratorTables(this.name, this.historyName)[1];
  }

  /** The table that logs every step (see history.ts). */
  get history(): HistoryTable {
    return new HistoryTable(this.dialect, this.historyName);
  }

  /** The tables migrator keeps in the database, never part of the models' schema. */
  get tables(): string[] {
    return migratorTables(this.name, this.historyName);
  }

  private get table(): string {
    return this.dialect.quoteIdentifier(this.name);
  }

  createSql(): string {
    const q = (s: string): string => this.dialect.quoteIdentifier(s);
    return `CREATE TABLE IF NOT EXISTS ${this.table} (${q('version_num')} varchar(32) NOT NULL, CONSTRAINT ${q(`${this.name}_pkc`)} PRIMARY KEY (${q('version_num')}))`;
  }

  /** The SQL of one version-table change, with literal values. */
  changeSql(change: HeadChange): string {
    const col = this.dialect.quoteIdentifier('version_num');
    const lit = (v: string): string => this.dialect.quoteLiteral(v);
    switch (change.kind) {
      case 'insert':
        return `INSERT INTO ${this.table} (${col}) VALUES (${lit(change.version)})`;
      case 'delete':
        return `DELETE FROM ${this.table} WHERE ${col} = ${lit(change.version)}`;
      case 'update':
        return `UPDATE ${this.table} SET ${col} = ${lit(change.to)} WHERE ${col} = ${lit(change.from)}`;
    }
  }

  async ensure(conn: Connection): Promise<void> {
    await conn.execute(this.createSql());
  }

  /**
   * The current heads, sorted; empty when the table does not exist yet. A table of that name
   * made by something else (no text `version_num`) is an error saying so. `known`: the caller
   * has seen the table on this connection, so the question whether it exists is not asked again.
   */
  async heads(conn: Connection, { known = false }: { known?: boolean } = {}): Promise<string[]> {
    if (!known && !(await conn.tableExists(this.name))) return [];
    let rows: { version_num: unknown }[];
    try {
      rows = await conn.query<{ version_num: unknown }>(this.headsSql());
    } catch (error) {
      await this.checkShape(conn);
      throw error;
    }
    // Rows that are not text, or none at all (nothing to judge by): the columns tell.
    if (rows.length === 0 || rows.some((r) => typeof r.version_num !== 'string')) await this.checkShape(conn);
    return rows.map((r) => r.version_num as string).sort();
  }

  /**
   * The query of the heads' rows (`version_num`). Compared with text, so that a column of another
   * type fails here (PostgreSQL), not at the first revision's insert; revision ids are never empty.
   */
  headsSql(): string {
    const col = this.dialect.quoteIdentifier('version_num');
    return `SELECT ${col} AS version_num FROM ${this.table} WHERE ${col} <> ''`;
  }

  /** Throws when the table is not one migrator made: no `version_num` of a text type, or other columns an insert must fill. */
  private async checkShape(conn: Connection): Promise<void> {
    let table: Table | undefined;
    try {
      table = findTable(await conn.introspect({ exclude: [] }), this.name);
    } catch {
      return; // the caller's own error says more than a failed look at the catalog
    }
    if (!table) return;
    const version = findColumn(table, 'version_num');
    const others = table.columns.filter((c) => c !== version);
    const fillable = others.every((c) => c.nullable || c.default !== undefined || c.autoincrement || c.identity);
    if (version && TEXT_TYPE.test(version.type) && fillable) return;
    const columns = table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    throw new MigratorError(
      `table ${this.name} in ${this.place.database ?? 'the database'} is not migrator's version table (it has columns ${columns}); migrator needs (version_num varchar(32) primary key): rename that table, or set "versionTable" in ${this.place.configFile ?? 'migrator.config.ts'} to another name`,
    );
  }

  /**
   * Checks that each version-table change touched exactly one row: anything else means another
   * process moved the table meanwhile, and the transaction must not commit.
   */
  checkCounts(changes: readonly HeadChange[], counts: readonly number[]): void {
    changes.forEach((change, i) => {
      if (counts[i] !== 1) {
        const expected = change.kind === 'update' ? change.from : change.version;
        throw new MigratorError(`version table ${this.name} does not hold ${expected} as expected; another process may have changed it. Run \`migrator current\` and try again`);
      }
    });
  }

  async replace(conn: Connection, heads: readonly string[]): Promise<void> {
    await conn.execute(`DELETE FROM ${this.table}`);
    for (const h of heads) await conn.execute(this.changeSql({ kind: 'insert', version: h }));
  }
}
