/**
 * The progress table: where a revision that runs in several phases (statements outside a
 * transaction, constraints validated apart) stands between them. It exists only while such a
 * revision is under way: created with its first phase, written with each, and dropped in the
 * transaction that moves the version table, so a run stopped halfway is resumed by the next one
 * where it stopped.
 */
import { createHash } from 'node:crypto';
import type { Connection, Dialect } from '../dialects/dialect.js';

export interface Progress {
  revision: string;
  direction: 'up' | 'down';
  /** The phase to run next. */
  phase: number;
  /** Whether that phase (outside a transaction) was started, so may be half done. */
  started: boolean;
  /** A digest of the revision's statements, so that a file changed since is not resumed. */
  plan: string;
}

export class ProgressTable {
  constructor(
    readonly dialect: Dialect,
    readonly name: string,
  ) {}

  private q(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }

  createSql(): string {
    const q = (s: string): string => this.q(s);
    return (
      `CREATE TABLE IF NOT EXISTS ${q(this.name)} (${q('version_num')} varchar(32) NOT NULL, ${q('direction')} varchar(4) NOT NULL, ` +
      `${q('phase')} integer NOT NULL, ${q('started')} integer NOT NULL, ${q('plan')} varchar(64) NOT NULL, ` +
      `CONSTRAINT ${q(`${this.name}_pkc`)} PRIMARY KEY (${q('version_num')}, ${q('direction')}))`
    );
  }

  /** Records that `revision` runs `phase` next (started: it has begun). */
  setSql(p: Progress): string {
    const q = (s: string): string => this.q(s);
    const lit = (v: string): string => this.dialect.quoteLiteral(v);
    return (
      `INSERT INTO ${q(this.name)} (${q('version_num')}, ${q('direction')}, ${q('phase')}, ${q('started')}, ${q('plan')}) ` +
      `VALUES (${lit(p.revision)}, ${lit(p.direction)}, ${p.phase}, ${p.started ? 1 : 0}, ${lit(p.plan)}) ` +
      upsertClause(this.dialect, [q('version_num'), q('direction')], [`${q('phase')} = ${p.phase}`, `${q('started')} = ${p.started ? 1 : 0}`, `${q('plan')} = ${lit(p.plan)}`])
    );
  }

  clearSql(revision: string, direction: 'up' | 'down'): string {
    const lit = (v: string): string => this.dialect.quoteLiteral(v);
    return `DELETE FROM ${this.q(this.name)} WHERE ${this.q('version_num')} = ${lit(revision)} AND ${this.q('direction')} = ${lit(direction)}`;
  }

  /** `DROP TABLE` when no revision is halfway any more; nothing otherwise. */
  async dropIfEmptySql(conn: Connection): Promise<string[]> {
    const [row] = await conn.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${this.q(this.name)}`);
    return Number(row?.n ?? 0) === 0 ? [`DROP TABLE ${this.q(this.name)}`] : [];
  }

  /** The revisions an earlier run left between phases; none when the table does not exist. */
  async read(conn: Connection): Promise<Progress[]> {
    if (!(await conn.tableExists(this.name))) return [];
    const rows = await conn.query<{ version_num: string; direction: string; phase: number | string; started: number | string; plan: string }>(
      `SELECT ${this.q('version_num')} AS version_num, ${this.q('direction')} AS direction, ${this.q('phase')} AS phase, ${this.q('started')} AS started, ${this.q('plan')} AS plan FROM ${this.q(this.name)}`,
    );
    return rows.map((r) => ({ revision: r.version_num, direction: r.direction === 'down' ? 'down' : 'up', phase: Number(r.phase), started: Number(r.started) === 1, plan: r.plan }));
  }
}

/** What a revision's phases are to a user: statements, where each DDL statement commits alone. */
export function phaseWord(dialect: Dialect): string {
  return dialect.capabilities.transactionalDdl ? 'phase' : 'statement';
}

/**
 * A revision an earlier run left halfway, told: where it stopped, and the command that finishes
 * it (`parents`: the revision's parents, where a downgrade goes).
 */
export function unfinishedText(p: Progress, dialect: Dialect, parents: readonly string[]): { stopped: string; finish: string } {
  const stopped = `the ${p.direction === 'up' ? 'upgrade to' : 'downgrade of'} revision ${p.revision} stopped halfway in an earlier run (${whereStopped(p, dialect)})`;
  const finish =
    p.direction === 'up' ? `\`migrator upgrade ${p.revision}\`` : parents.length > 1 ? 'the `migrator downgrade` that started it' : `\`migrator downgrade ${parents[0] ?? 'base'}\``;
  return { stopped, finish };
}

/**
 * What to do about a revision an earlier run left halfway, in one sentence: the command that
 * finishes it; or, where no file defines the revision any more, the ways out (`heads`: where the
 * version table has the database).
 */
export function unfinishedAdvice(p: Progress, dialect: Dialect, graph: { get(id: string): { downRevisions: readonly string[] } | undefined } | undefined, heads: readonly string[]): string {
  const revision = graph?.get(p.revision);
  const { stopped, finish } = unfinishedText(p, dialect, revision?.downRevisions ?? []);
  if (revision || !graph) return `${stopped}; ${finish} resumes it where it stopped`;
  return `${stopped}, and no revision file defines it any more: restore its file (from version control) and rerun to resume it; or undo by hand what of it ran, then \`migrator stamp ${heads.join(' ') || 'base'}\` clears the record`;
}

/**
 * Where a revision left halfway stands, by its progress row. Where DDL is not transactional, a
 * statement marked as started may have run, and so may the ones after it under the same mark (a
 * rerun asks the catalog about each): the row says only that none of them is recorded as done.
 */
export function whereStopped(p: Progress, dialect: Dialect): string {
  if (p.started && !dialect.capabilities.transactionalDdl) return `its statements from ${p.phase + 1} on not recorded as done`;
  return `before its ${phaseWord(dialect)} ${p.phase + 1}`;
}

/** The digest that ties a progress row to the statements it was written for. */
export function planDigest(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join('\u0000')).digest('hex').slice(0, 32);
}

/** The dialect's clause that turns an INSERT into an update of the row under the same key. */
function upsertClause(dialect: Dialect, keys: readonly string[], assignments: readonly string[]): string {
  return dialect.upsert ? dialect.upsert(keys, assignments) : `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${assignments.join(', ')}`;
}
