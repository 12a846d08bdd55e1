/**
 * log, repair, status: what the history table and the revision files say about a database —
 * what ran when and by whom, whether the applied files are still the ones that ran, and what is
 * pending or drifted.
 */
import { MigratorError } from '../errors.js';
import { dispatch, type Handlers } from '../operations/kinds.js';
import type { Operation } from '../operations/operation.js';
import { summarizeOperation } from '../operations/operation.js';
import type { Project } from '../project.js';
import { checksumProblems, fileChecksum, goneAdvice, recordedRows, type ChecksumProblem, type HistoryRow } from '../runner/history.js';
import { ProgressTable, unfinishedAdvice } from '../runner/progress.js';
import { underRunLock, type LockingOptions } from './migrate.js';
import { unknownRows } from './unknown-revisions.js';

/** The history, newest first (`limit`: only the newest rows). */
export async function log(project: Project, options: { limit?: number } = {}): Promise<HistoryRow[]> {
  const versions = project.versionTable();
  const rows = await project.withConnection((conn) => versions.history.read(conn), { readOnly: true });
  const newest = rows.reverse();
  return options.limit === undefined ? newest : newest.slice(0, options.limit);
}

export interface Repaired {
  revision: string;
  file: string;
  /** The checksum recorded before; null when none was (applied before the history table existed). */
  from: string | null;
  to: string;
}

/**
 * Records the current checksums of applied revision files after a deliberate edit: of `refs`,
 * or without any, of every applied revision whose file differs from its recorded checksum.
 */
export async function repair(project: Project, refs: readonly string[], options: LockingOptions = {}): Promise<Repaired[]> {
  const graph = project.graph;
  const versions = project.versionTable();
  return project.withConnection(
    (conn) =>
      underRunLock(project, conn, options, async () => {
        const heads = await versions.heads(conn);
        const rows = await versions.history.read(conn);
        const applied = graph.appliedBelow(heads);
        let chosen: { revision: string; file?: string; recorded: string | null; current?: string }[];
        if (refs.length) {
          const recorded = recordedRows(rows);
          chosen = refs.map((ref) => {
            // A revision the database is at whose file is gone has no checksum to record.
            const gone = goneRow(ref, unknownRows(project, heads));
            if (gone !== undefined) throw cannotRepair(project, [gone]);
            const rev = graph.lookup(ref);
            if (!applied.has(rev.id)) throw new MigratorError(`revision ${rev.id} (${rev.path}) is not applied to ${project.target.display}; repair records the checksums of applied revisions only`);
            return { revision: rev.id, file: rev.path, recorded: recorded.get(rev.id)?.checksum ?? null, current: fileChecksum(rev.path) };
          });
        } else {
          chosen = checksumProblems(graph, heads, rows);
        }
        const gone = chosen.filter((c) => c.current === undefined);
        if (gone.length) throw cannotRepair(project, gone.map((g) => g.revision));
        const changed = chosen.filter((c) => c.current !== c.recorded);
        if (changed.length) {
          const startedAt = new Date();
          await conn.transaction(async () => {
            await conn.execute(versions.history.createSql());
            for (const c of changed) await conn.execute(versions.history.insertSql({ revision: c.revision, direction: 'repair', checksum: c.current!, startedAt }));
          });
        }
        return changed.map((c) => ({ revision: c.revision, file: c.file!, from: c.recorded, to: c.current! }));
      }),
    { mustExist: true },
  );
}

/**
 * The version-table row `ref` names among `unknown` (rows no file defines): the row itself, or the
 * one it is a unique prefix of (4+ characters, as revision ids are named); undefined when none.
 */
function goneRow(ref: string, unknown: readonly string[]): string | undefined {
  if (unknown.includes(ref)) return ref;
  const matches = ref.length >= 4 ? unknown.filter((id) => id.startsWith(ref)) : [];
  return matches.length === 1 ? matches[0] : undefined;
}

/** Revisions applied to the database whose files are gone: repair records a file's checksum, and there is no file. */
function cannotRepair(project: Project, ids: readonly string[]): MigratorError {
  const one = ids.length === 1;
  return new MigratorError(
    `${one ? 'revision' : 'revisions'} ${ids.join(', ')} ${one ? 'is' : 'are'} applied to ${project.target.display}, but no file in ${project.config.versions.join(', ')} defines ${one ? 'it' : 'them'}: ` +
      `repair records the checksum of a revision file as it is, and there is none to record. ${goneAdvice(ids.length).replace(/^r/, 'R')}`,
    { code: 'UNKNOWN_REVISION', data: { ref: ids[0] } },
  );
}

/** What differs between the models and the database, by table. */
export interface Drift {
  /** In the models, not in the database. */
  missingTables: string[];
  /** In the database (and managed), in no model. */
  extraTables: string[];
  /** Tables in both whose columns, keys, indexes or checks differ: each change described. */
  changedTables: { table: string; changes: string[] }[];
}

export interface Status {
  /** The database, password masked. */
  database: string;
  /** The revisions the database is at (its version table's rows). */
  current: string[];
  /** The revisions the files lead to. */
  heads: string[];
  /** What `migrate` would apply, in order. */
  pending: { revision: string; message?: string; file?: string }[];
  /** Applied revision files that are not the ones that ran. */
  checksumMismatches: { revision: string; file?: string; recorded: string; current: string | null; appliedAt: string }[];
  /** Revisions the database is at that no file defines. */
  unknownRevisions: string[];
  /**
   * Revisions an earlier run left halfway (statements outside a transaction, or a dialect that
   * commits each DDL statement): where each stopped, counted from 1, and what finishes it.
   */
  halfway: { revision: string; direction: 'up' | 'down'; stoppedBefore: number; message: string }[];
  /** Models compared with the database; null when the config names no models. */
  drift: Drift | null;
  /** Something to apply. */
  needsMigration: boolean;
  /** Nothing pending, no drift, no mismatch, nothing unknown. */
  upToDate: boolean;
}

/** The drift summary of the operations that would turn the database into the models. */
export function driftOf(ops: readonly Operation[]): Drift {
  const found: DriftFound = { missing: new Set(), extra: new Set(), changed: new Map() };
  for (const op of ops) dispatch(DRIFT, op, found);
  const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
  return {
    missingTables: sorted(found.missing),
    extraTables: sorted(found.extra),
    changedTables: sorted(found.changed.keys()).map((table) => ({ table, changes: found.changed.get(table)! })),
  };
}

interface DriftFound {
  missing: Set<string>;
  extra: Set<string>;
  /** Table → summaries of its changes. */
  changed: Map<string, string[]>;
}

/** A change to a table both sides have: one of its changes (a table missing or extra says it all). */
function tableChanged(op: Operation & { table: string }, found: DriftFound): void {
  if (found.missing.has(op.table) || found.extra.has(op.table)) return;
  found.changed.set(op.table, [...(found.changed.get(op.table) ?? []), summarizeOperation(op)]);
}

/** Not a change to one table's shape that the summary lists. */
const notListed = (): void => undefined;

const DRIFT: Handlers<void, [found: DriftFound]> = {
  createTable: (op, found) => {
    found.missing.add(op.table.name);
  },
  dropTable: (op, found) => {
    found.extra.add(op.table);
  },
  renameTable: notListed,
  addColumn: tableChanged,
  dropColumn: tableChanged,
  alterColumn: tableChanged,
  renameColumn: tableChanged,
  alterPrimaryKey: tableChanged,
  createIndex: tableChanged,
  dropIndex: tableChanged,
  renameIndex: tableChanged,
  addConstraint: tableChanged,
  validateConstraint: tableChanged,
  dropConstraint: tableChanged,
  renameConstraint: tableChanged,
  setTableComment: tableChanged,
  createExtension: notListed,
  dropExtension: notListed,
  createEnum: notListed,
  dropEnum: notListed,
  addEnumValue: notListed,
  dropEnumValue: notListed,
  renameEnum: notListed,
  execute: notListed,
};

/** What an operator or a health endpoint asks: where the database is, what is pending, what drifted. */
export async function status(project: Project): Promise<Status> {
  const graph = project.graph;
  const { modelsAndDatabase } = await import('./generate.js');
  const hasModels = project.config.models.length > 0 || project.config.dataSources.length > 0;
  const versions = project.versionTable();
  const read = hasModels
    ? await modelsAndDatabase(project)
    : await project.withConnection(async (conn) => ({ dbHeads: await versions.heads(conn), history: await versions.history.read(conn), operations: undefined }), { readOnly: true });
  const current = read.dbHeads;
  const unknownRevisions = current.filter((h) => !graph.knows(h));
  const heads = graph.headRows();
  // A row moved to its squash runs nothing: it is not pending.
  const pending = unknownRevisions.length || heads.length === 0 ? [] : graph.pending(current);
  const mismatches = checksumProblems(graph, current, read.history);
  const drift = read.operations ? driftOf(read.operations) : null;
  const drifted = !!drift && (drift.missingTables.length > 0 || drift.extraTables.length > 0 || drift.changedTables.length > 0);
  const progress = new ProgressTable(project.dialect, versions.progressName);
  const halfway = (await project.withConnection((conn) => progress.read(conn), { readOnly: true })).map((p) => {
    return { revision: p.revision, direction: p.direction, stoppedBefore: p.phase + 1, message: unfinishedAdvice(p, project.dialect, graph, current) };
  });
  return {
    database: project.target.display,
    current,
    heads,
    pending: pending.map(({ step: { revision: r } }) => ({ revision: r.id, ...(r.message ? { message: r.message } : {}), ...(r.path ? { file: r.path } : {}) })),
    checksumMismatches: mismatches.map((m: ChecksumProblem) => ({ revision: m.revision, file: m.file, recorded: m.recorded, current: m.current ?? null, appliedAt: m.row.finishedAt })),
    unknownRevisions,
    halfway,
    drift,
    needsMigration: pending.length > 0,
    upToDate: pending.length === 0 && !drifted && mismatches.length === 0 && unknownRevisions.length === 0 && halfway.length === 0,
  };
}

/** Where one database of a fleet stands, without comparing models: what `status --all` shows. */
export interface BriefStatus {
  current: string[];
  /** How many revisions `migrate` would apply. */
  pending: number;
  /** Applied revisions whose file is not the one that ran (changed or gone). */
  checksumMismatches: string[];
  unknownRevisions: string[];
  upToDate: boolean;
}

/** The version table and history of one database against the revision files. */
export async function briefStatus(project: Project): Promise<BriefStatus> {
  const graph = project.graph;
  const versions = project.versionTable();
  const { current, history } = await project.withConnection(async (conn) => ({ current: await versions.heads(conn), history: await versions.history.read(conn) }), { readOnly: true });
  const unknownRevisions = current.filter((h) => !graph.knows(h));
  const pending = unknownRevisions.length || graph.heads.length === 0 ? 0 : graph.pending(current).length;
  const checksumMismatches = checksumProblems(graph, current, history).map((m) => m.revision);
  return { current, pending, checksumMismatches, unknownRevisions, upToDate: pending === 0 && checksumMismatches.length === 0 && unknownRevisions.length === 0 };
}
