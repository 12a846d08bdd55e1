/** upgrade, downgrade, migrate, stamp: commands that move the version table. */
import { LockWaitError, type Connection } from '../dialects/dialect.js';
import { MigratorError, withCleanup } from '../errors.js';
import type { Project } from '../project.js';
import { describeRevisions, type PlannedStep, type RevisionGraph, type Step } from '../revisions/graph.js';
import { fileChecksum, verifyChecksums } from '../runner/history.js';
import { renderSteps, runSteps, type StepResult } from '../runner/runner.js';

export interface MoveResult {
  direction: 'up' | 'down';
  from: string[];
  to: string[];
  steps: StepResult[];
}

export interface MoveOptions extends LockingOptions {
  /** Called after each applied revision, for progress output. */
  onStep?: (step: StepResult) => void;
  /** Called with the steps planned, before any runs (nothing when there is nothing to do). */
  onPlan?: (steps: readonly Step[]) => void;
  /** Called as each revision starts. */
  onStepStart?: (step: Step) => void;
  /** Called with the heads the database is at, once read under the lock. */
  onStart?: (from: readonly string[]) => void;
  /** One transaction for the whole run (default: the config's `singleTransaction`, else one per revision). */
  singleTransaction?: boolean;
  /** The lock timeout for this run (ms), instead of the config's `lockTimeout`. */
  lockTimeout?: number;
}

export interface LockingOptions {
  /** Called with a line worth telling while the command goes on (waiting for a lock, a retry). */
  onNotice?: (line: string) => void;
}

/**
 * Runs `body` holding the run lock, waiting at most the config's `lockWait` for another run's;
 * a wait that ends names the holder. Unlocking never hides an error of `body`.
 */
export async function underRunLock<T>(project: Project, conn: Connection, options: LockingOptions, body: () => Promise<T>): Promise<T> {
  const wait = project.config.lockWait;
  try {
    await conn.lock({
      wait,
      onWait: (holder) => options.onNotice?.(`Waiting for the migration lock on ${project.displayName}, held by ${holder}; giving up after ${wait / 1000} s`),
    });
  } catch (error) {
    if (!(error instanceof LockWaitError)) throw error;
    throw new MigratorError(
      `could not take the migration lock on ${project.displayName} within lockWait (${wait / 1000} s): another migrator run holds it, ${error.holder}. ` +
        `If that run is stuck, end it${conn.dialect.endSession ? ` (${conn.dialect.endSession})` : ''}, or raise "lockWait" in the config`,
      { cause: error, code: 'LOCK_WAIT' },
    );
  }
  // Once lost, the connection took its locks with it.
  return withCleanup(body, () => (conn.lost ? Promise.resolve() : conn.unlock()));
}

/**
 * Applies revisions up to `target`. Without one, up to all heads — refused while heads that no
 * merge joins are present; `heads` named on purpose applies them all.
 */
export async function upgrade(project: Project, target?: string, options: MoveOptions = {}): Promise<MoveResult> {
  if (target === undefined) refuseUnjoinedHeads(project.graph);
  return move(project, 'up', target ?? 'heads', options);
}

/** Parallel lines nobody reconciled are not applied by default (as Django and Alembic refuse). */
export function refuseUnjoinedHeads(graph: RevisionGraph): void {
  const heads = graph.unjoinedHeads();
  if (heads.length === 0) return;
  throw new MigratorError(
    `the revision files have ${heads.length} heads (${describeRevisions(heads)}) that no merge joins; run \`migrator merge heads -m "merge"\` to join them, or \`migrator migrate heads\` to apply ${heads.length === 2 ? 'both' : 'all'} as they are`,
    { code: 'MULTIPLE_HEADS', data: { heads: heads.map((h) => h.id) } },
  );
}

/** Reverts revisions down to `target` (`-1`, a revision, `base`). */
export async function downgrade(project: Project, target: string, options: MoveOptions = {}): Promise<MoveResult> {
  return move(project, 'down', target, options);
}

/**
 * Whether the run is one transaction: asked for on the command line, else by the config. Refused,
 * before anything runs, where the database commits each DDL statement as it runs (MySQL): no
 * transaction could hold the run, and a failure would leave what ran before it applied.
 */
function oneTransaction(project: Project, asked: boolean | undefined): boolean {
  const on = asked ?? project.config.singleTransaction ?? false;
  const dialect = project.dialect;
  if (on && !dialect.capabilities.transactionalDdl) {
    const where = asked === undefined ? `"singleTransaction" in ${project.config.file ?? 'the config'}` : '--single-transaction';
    throw new MigratorError(
      `${where} cannot be kept on ${dialect.title}: it commits each DDL statement as it runs, so no transaction can hold a run; nothing was run. ` +
        'Leave it out: each statement is then recorded as it completes, and a revision that fails resumes where it stopped',
    );
  }
  return on;
}

async function move(project: Project, direction: 'up' | 'down', target: string, options: MoveOptions): Promise<MoveResult> {
  const graph = project.graph;
  const versions = project.versionTable();
  const singleTransaction = oneTransaction(project, options.singleTransaction);
  return project.withConnection((conn) =>
    underRunLock(project, conn, options, async () => {
      const lockTimeout = options.lockTimeout ?? project.config.lockTimeout;
      await conn.setTimeouts?.({ lockTimeout, statementTimeout: project.config.statementTimeout });
      const from = await versions.heads(conn);
      options.onStart?.(from);
      // Before anything moves: the applied revision files are the ones the database ran.
      await verifyChecksums(conn, graph, from, versions.history);
      for (const h of from) {
        if (!graph.knows(h)) throw unknownRevision(project, h, 'restore the file or `migrator stamp --purge <target>` the database');
      }
      const steps = graph.plan(direction, from, target);
      options.onPlan?.(steps.map((s) => s.step));
      const results = await runSteps(conn, versions, steps, {
        graph,
        ...(project.recorder ? { record: project.recorder } : {}),
        onStep: options.onStep,
        onStepStart: options.onStepStart,
        singleTransaction,
        lockRetries: project.config.lockRetries,
        lockTimeout,
        onNotice: options.onNotice,
      });
      return { direction, from, to: await versions.heads(conn), steps: results };
    }),
  );
}

/**
 * Offline SQL for `upgrade --sql` / `downgrade --sql`: `start:end` or just `end` (from base for
 * an upgrade). Needs no database.
 */
export async function moveSql(project: Project, direction: 'up' | 'down', range: string, options: OfflineOptions = {}): Promise<string> {
  const graph = project.graph;
  const [start, end] = range.includes(':') ? (range.split(':', 2) as [string, string]) : [undefined, range];
  if (direction === 'down' && start === undefined) {
    throw new MigratorError('downgrade --sql needs a range start:end, since there is no database to read the current revision from');
  }
  // A start that a squash replaces is taken as the version-table row it is, as online.
  const startHeads = graph.rowsAt(start);
  return offlineSql(project, graph.plan(direction, startHeads, end), startHeads, options);
}

export interface OfflineOptions {
  singleTransaction?: boolean;
  /** The lock timeout the script sets (ms), instead of the config's `lockTimeout`. */
  lockTimeout?: number;
}

/** Offline SQL of planned steps that start from `startHeads`. */
export async function offlineSql(project: Project, steps: readonly PlannedStep[], startHeads: readonly string[], options: OfflineOptions = {}): Promise<string> {
  const dialect = project.dialect;
  return renderSteps(dialect, project.versionTable(dialect), project.graph, steps, {
    startHeads,
    createVersionTable: steps[0]?.step.direction === 'up' && startHeads.length === 0,
    singleTransaction: oneTransaction(project, options.singleTransaction),
    timeouts: { lockTimeout: options.lockTimeout ?? project.config.lockTimeout, statementTimeout: project.config.statementTimeout },
    ...(project.schema !== undefined ? { schema: project.schema } : {}),
  });
}

/**
 * The heads after stamping `targets` onto `current`, branch by branch as Alembic does (see
 * `RevisionGraph.stampedHeads`).
 */
export function stampedHeads(project: Project, current: readonly string[], targets: readonly string[]): string[] {
  return project.graph.stampedHeads(current, targets);
}

function unknownRevision(project: Project, id: string, what: string): MigratorError {
  return new MigratorError(`the database is at revision ${id}, which no file in ${project.config.versions.join(', ')} defines; ${what}`, { code: 'UNKNOWN_REVISION' });
}

/** Sets the version table to `targets` without running any revision. */
export async function stamp(project: Project, targets: string[], options: { purge?: boolean } & LockingOptions = {}): Promise<{ from: string[]; to: string[] }> {
  const versions = project.versionTable();
  return project.withConnection((conn) =>
    underRunLock(project, conn, options, async () => {
      const from = await versions.heads(conn);
      const unknown = options.purge ? undefined : from.find((h) => !project.graph.knows(h));
      // Stamping branch by branch needs to know where each current head sits in the graph.
      if (unknown) throw unknownRevision(project, unknown, 'restore the file, or `migrator stamp --purge <target>` to replace every row');
      const to = stampedHeads(project, options.purge ? [] : from, targets);
      const startedAt = new Date();
      await conn.transaction(async () => {
        await versions.ensure(conn);
        await versions.replace(conn, to);
        // A stamp says where the database is: a revision an earlier run left halfway is settled by it.
        await conn.execute(`DROP TABLE IF EXISTS ${conn.dialect.quoteIdentifier(versions.progressName)}`);
        // A row for each revision the stamp makes a head, with the checksum of its file.
        await conn.execute(versions.history.createSql());
        for (const id of to.filter((h) => !from.includes(h))) {
          await conn.execute(versions.history.insertSql({ revision: id, direction: 'stamp', checksum: fileChecksum(project.graph.get(id)?.path) ?? null, startedAt }));
        }
      });
      return { from, to };
    }),
  );
}

/** Offline SQL for a stamp: the version table as it would be, from an empty one (or --purge). */
export function stampSql(project: Project, targets: string[], options: { purge?: boolean } = {}): string {
  const dialect = project.dialect;
  const versions = project.versionTable(dialect);
  const to = stampedHeads(project, [], targets);
  const statement = (sql: string): string => `${sql};`;
  return `${[
    statement(versions.createSql()),
    ...(options.purge ? [statement(`DELETE FROM ${dialect.quoteIdentifier(versions.name)}`)] : []),
    ...to.map((v) => statement(versions.changeSql({ kind: 'insert', version: v }))),
    statement(versions.history.createSql()),
    ...to.map((v) => statement(versions.history.insertSql({ revision: v, direction: 'stamp', checksum: fileChecksum(project.graph.get(v)?.path) ?? null }))),
  ].join('\n')}\n`;
}
