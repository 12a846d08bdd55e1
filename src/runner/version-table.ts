/**
 * The version table: one row per current head, `version_num varchar(32)` primary key. The same
 * statements serve online runs and offline (`--sql`) output.
 */
import type { Connection, Dialect } from '../dialects/dialect.js';
import type { HeadChange } from '../revisions/graph.js';
import { MigratorError } from '../errors.js';

export class VersionTable {
  constructor(
    readonly dialect: Dialect,
    readonly name: string,
  ) {}

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

  /** The current heads, sorted; empty when the table does not exist yet. */
  async heads(conn: Connection): Promise<string[]> {
    if (!(await conn.tableExists(this.name))) return [];
    const rows = await conn.query<{ version_num: string }>(`SELECT ${this.dialect.quoteIdentifier('version_num')} AS version_num FROM ${this.table}`);
    return rows.map((r) => r.version_num).sort();
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
