/**
 * The history table: one row per step a run made — a revision applied (`up`) or reverted (`down`),
 * the version table set by `stamp`, a file's checksum accepted by `repair` — with the checksum of
 * the revision file, when the step started and finished, who ran it and which migrator. Each row
 * is written in its step's own transaction, so the table holds what the database went through: a
 * step rolled back leaves no row (its error is what the run printed).
 *
 * The checksums guard applied revisions: a file edited after it ran is found before the next run
 * does anything (see `checksumProblems`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { Connection, Dialect } from '../dialects/dialect.js';
import { MigratorError } from '../errors.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { packageVersion } from '../version.js';

export type HistoryDirection = 'up' | 'down' | 'stamp' | 'repair';

/** What a step tells the history table; the table adds the finish time, who and which migrator. */
export interface HistoryEntry {
  revision: string;
  direction: HistoryDirection;
  /** The revision file's checksum when the step ran; null when there was no file to read. */
  checksum: string | null;
  /** When the step started; left out in an offline script, whose rows the database times when it runs them. */
  startedAt?: Date;
}

export interface HistoryRow {
  id: number;
  revision: string;
  direction: HistoryDirection;
  checksum: string | null;
  /** ISO-8601, UTC. */
  startedAt: string;
  finishedAt: string;
  durationMs: number | null;
  /** The operating-system user that ran migrator (`sql script` for a row an offline script wrote). */
  appliedBy: string;
  host: string;
  migratorVersion: string;
}

let who: { user: string; host: string } | undefined;

/** Who runs this process, as the history records it: the OS user, else the environment's, else `unknown`. */
function whoRuns(): { user: string; host: string } {
  who ??= askWho();
  return who;
}

function askWho(): { user: string; host: string } {
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    // A container user with no passwd entry.
    user = process.env.USER ?? process.env.USERNAME;
  }
  return { user: (user || 'unknown').slice(0, 255), host: (os.hostname() || 'unknown').slice(0, 255) };
}

const COLUMNS = ['id', 'revision', 'direction', 'checksum', 'started_at', 'finished_at', 'duration_ms', 'applied_by', 'host', 'tool_version'] as const;

export class HistoryTable {
  constructor(
    readonly dialect: Dialect,
    readonly name: string,
  ) {}

  private q(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }

  createSql(): string {
    const q = (s: string): string => this.q(s);
    const time = this.dialect.clock.type;
    return (
      `CREATE TABLE IF NOT EXISTS ${q(this.name)} (${q('id')} integer NOT NULL, ${q('revision')} varchar(32) NOT NULL, ${q('direction')} varchar(6) NOT NULL, ` +
      `${q('checksum')} varchar(64), ${q('started_at')} ${time} NOT NULL, ${q('finished_at')} ${time} NOT NULL, ${q('duration_ms')} bigint, ` +
      `${q('applied_by')} varchar(255) NOT NULL, ${q('host')} varchar(255) NOT NULL, ${q('tool_version')} varchar(32) NOT NULL, ` +
      `CONSTRAINT ${q(`${this.name}_pkc`)} PRIMARY KEY (${q('id')}))`
    );
  }

  /**
   * The row of one step, finished when the statement runs: the next id (runs that write take the
   * run lock, or on SQLite the database's write lock), the database's clock for the finish time.
   */
  insertSql(entry: HistoryEntry): string {
    const lit = (v: string): string => this.dialect.quoteLiteral(v);
    const clock = this.dialect.clock;
    const started = entry.startedAt && lit(entry.startedAt.toISOString());
    // An offline script's row says so rather than naming whoever generated it: the script's SQL is
    // the same whoever prints it.
    const { user, host } = entry.startedAt ? whoRuns() : { user: 'sql script', host: '-' };
    const values = [
      `COALESCE(MAX(${this.q('id')}), 0) + 1`,
      lit(entry.revision),
      lit(entry.direction),
      entry.checksum === null ? 'NULL' : lit(entry.checksum),
      started ? clock.at(started) : clock.now,
      clock.now,
      started ? clock.millisecondsSince(started) : 'NULL',
      lit(user),
      lit(host),
      lit(packageVersion().slice(0, 32)),
    ];
    return `INSERT INTO ${this.q(this.name)} (${COLUMNS.map((c) => this.q(c)).join(', ')}) SELECT ${values.join(', ')} FROM ${this.q(this.name)}`;
  }

  /** Every row, oldest first; none when the table does not exist yet. */
  async read(conn: Connection): Promise<HistoryRow[]> {
    if (!(await conn.tableExists(this.name))) return [];
    const rows = await conn.query<Record<(typeof COLUMNS)[number], unknown>>(
      `SELECT ${COLUMNS.map((c) => this.q(c)).join(', ')} FROM ${this.q(this.name)} ORDER BY ${this.q('id')}`,
    );
    const time = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
    return rows.map((r) => ({
      id: Number(r.id),
      revision: String(r.revision),
      direction: String(r.direction) as HistoryDirection,
      checksum: r.checksum === null || r.checksum === undefined ? null : String(r.checksum),
      startedAt: time(r.started_at),
      finishedAt: time(r.finished_at),
      durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
      appliedBy: String(r.applied_by),
      host: String(r.host),
      migratorVersion: String(r.tool_version),
    }));
  }
}

/** SHA-256 of a revision file's text, line endings normalised (CRLF and CR read as LF) and a leading BOM dropped. */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')).digest('hex');
}

/** The checksum of a revision file as it is now; undefined when it is gone. */
export function fileChecksum(file: string | undefined): string | undefined {
  if (!file || !existsSync(file)) return undefined;
  return checksumOf(readFileSync(file, 'utf8'));
}

/**
 * The row each revision is judged by: its latest, unless that row reverted it or holds no
 * checksum (a revision applied before the history table existed is not judged).
 */
export function recordedRows(rows: readonly HistoryRow[]): Map<string, HistoryRow> {
  const latest = new Map<string, HistoryRow>();
  for (const row of rows) latest.set(row.revision, row);
  for (const [id, row] of latest) if (row.direction === 'down' || row.checksum === null) latest.delete(id);
  return latest;
}

/** An applied revision whose file is not the one recorded: changed since, or gone. */
export interface ChecksumProblem {
  revision: string;
  file?: string;
  recorded: string;
  /** The file's checksum now; undefined when the file is gone. */
  current?: string;
  /** The row that recorded the checksum. */
  row: HistoryRow;
}

/**
 * The revisions applied to a database whose version table holds `rows`: the rows and everything
 * below them, with what a squash stands for — a squash applied counts its replaced revisions
 * as applied (they were, if the database ran them before the squash existed), and a row inside
 * a squashed range counts the range up to it.
 */
function appliedRevisions(graph: RevisionGraph, rows: readonly string[]): Set<string> {
  const known = rows.filter((h) => graph.knows(h));
  const applied = graph.ancestors(graph.effectiveHeads(known));
  for (const h of known) {
    const squash = graph.replacedBy(h);
    if (squash) for (const id of squash.replaces!.slice(0, squash.replaces!.indexOf(h) + 1)) applied.add(id);
  }
  for (const id of [...applied]) for (const replaced of graph.get(id)?.replaces ?? []) applied.add(replaced);
  return applied;
}

/**
 * The applied revisions (the rows and everything below them) whose files differ from the
 * checksum the history recorded, in the order they were applied. A replaced revision whose file
 * was deleted after its squash is not judged: that is what a squash is for.
 */
export function checksumProblems(graph: RevisionGraph, rows: readonly string[], history: readonly HistoryRow[], checksum = fileChecksum): ChecksumProblem[] {
  if (history.length === 0) return [];
  const recorded = recordedRows(history);
  const applied = appliedRevisions(graph, rows);
  const problems: ChecksumProblem[] = [];
  for (const row of [...recorded.values()].sort((a, b) => a.id - b.id)) {
    // A row no file knows at all is judged too: its file is gone.
    if (!applied.has(row.revision) && !(rows.includes(row.revision) && !graph.knows(row.revision))) continue;
    const file = graph.get(row.revision)?.path ?? graph.replacedRevision(row.revision)?.path;
    if (file === undefined && graph.replacedBy(row.revision)) continue;
    const current = checksum(file);
    if (current !== row.checksum) problems.push({ revision: row.revision, file, recorded: row.checksum!, current, row });
  }
  return problems;
}

/** `2026-12-01 23:17:36 UTC`. */
export function shownTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** When and by whom a row's step ran, for messages. */
function ranAt(row: HistoryRow): string {
  const how = row.direction === 'stamp' ? 'stamped' : row.direction === 'repair' ? 'repaired' : 'applied';
  return `${how} on ${shownTime(row.finishedAt)} by ${row.appliedBy}@${row.host}`;
}

/**
 * What to do about revisions the database has applied whose files are gone: bring the files back,
 * or record where the database is among the revisions the files define. `repair` cannot help: it
 * records the checksum of a file that is there.
 */
export function goneAdvice(count: number): string {
  const it = count === 1 ? 'it' : 'them';
  return (
    `restore ${count === 1 ? 'the file' : 'the files'} (from version control, or the branch or copy of the project that has ${it}); ` +
    "or, if the database's schema is that of a revision the files define, record that revision with `migrator stamp --purge <revision>`"
  );
}

/**
 * The error that stops a run when applied revision files are not the ones recorded. A changed file
 * can be restored or, the edit being deliberate, recorded with `repair`; a file that is gone has
 * nothing to record: it is restored, or the database is stamped at a revision the files define.
 */
export function checksumError(problems: readonly ChecksumProblem[], table: string): MigratorError {
  const one = (p: ChecksumProblem): string =>
    p.current === undefined
      ? `revision ${p.revision} (${p.file ?? 'no file'}) is gone: it was ${ranAt(p.row)}, and no file defines it now`
      : `revision ${p.revision} (${p.file}) was changed after it was ${ranAt(p.row)}: its checksum was ${p.recorded.slice(0, 12)}, the file's is now ${p.current.slice(0, 12)}`;
  const what =
    problems.length === 1 ? one(problems[0]) : `${problems.length} applied revision files are not the ones the database ran (history table ${table}): ${problems.map(one).join('; ')}`;
  const changed = problems.filter((p) => p.current !== undefined).map((p) => p.revision);
  const gone = problems.filter((p) => p.current === undefined).map((p) => p.revision);
  let advice: string;
  if (gone.length === 0) {
    advice = `Restore the file${changed.length === 1 ? '' : 's'} as ${changed.length === 1 ? 'it was' : 'they were'} when applied; or, if the edit is deliberate and the database already matches it, record ${changed.length === 1 ? 'the file as it is' : 'the files as they are'} with \`migrator repair ${changed.join(' ')}\``;
  } else if (changed.length === 0) {
    advice = `${goneAdvice(gone.length).replace(/^r/, 'R')}`;
  } else {
    advice =
      `Restore the files as they were when applied; or, if the edit${changed.length === 1 ? ' is' : 's are'} deliberate and the database already matches ${changed.length === 1 ? 'it' : 'them'}, record ${changed.join(', ')} as ${changed.length === 1 ? 'it is' : 'they are'} with \`migrator repair ${changed.join(' ')}\`; ` +
      `${gone.join(', ')} ${gone.length === 1 ? 'has' : 'have'} no file to record: ${goneAdvice(gone.length)}`;
  }
  return new MigratorError(`${what}. ${advice}`, { code: 'CHECKSUM_MISMATCH', data: { revisions: problems.map((p) => p.revision) } });
}

/** Refuses to go on when applied revision files are not the ones the database ran; returns the history read. */
export async function verifyChecksums(conn: Connection, graph: RevisionGraph, heads: readonly string[], history: HistoryTable): Promise<HistoryRow[]> {
  const rows = await history.read(conn);
  const problems = checksumProblems(graph, heads, rows);
  if (problems.length) throw checksumError(problems, history.name);
  return rows;
}
