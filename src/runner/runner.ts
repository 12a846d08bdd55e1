/**
 * Moving a database between revisions: online (each revision and its version-table change in one
 * transaction, under the dialect's lock) or offline (the same SQL as text, for `--sql`).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  LockTimeoutError,
  LockWaitError,
  StatementError,
  type Assertion,
  type CompiledOperations,
  type Connection,
  type Dialect,
  type PipelinedStep,
  type PipelineReply,
  type StepPipeline,
  type Timeouts,
} from '../dialects/dialect.js';
import { MigratorError, messageOf } from '../errors.js';
import { tryApplyOperation } from '../operations/apply.js';
import type { Operation } from '../operations/operation.js';
import type { HeadChange, PlannedStep, Revision, RevisionGraph, Step } from '../revisions/graph.js';
import type { Schema } from '../schema/schema.js';
import { sqlComment } from '../script/comment.js';
import { recordedSource, recordRevision } from '../script/load.js';
import { RevisionPrefetch } from '../script/prefetch.js';
import { checksumOf, fileChecksum } from './history.js';
import { phaseWord, planDigest, ProgressTable, unfinishedAdvice, unfinishedText, whereStopped, type Progress } from './progress.js';
import type { VersionTable } from './version-table.js';


export interface StepResult {
  direction: 'up' | 'down';
  revision: string;
  message?: string;
  statements: number;
  /** How long the step took, from loading its file to its commit (ms). */
  durationMs: number;
  /** Nothing ran: the row of the range a squash replaces was moved to the squash (or back). */
  stamped?: { from: string; to: string };
}

function stepLabel(step: Step): string {
  const r = step.revision;
  if (step.stampOnly) return `stamp ${r.id} in place of the revisions it replaces (nothing to run)`;
  const from = step.direction === 'up' ? r.downRevisions.join(', ') || '<base>' : r.id;
  const to = step.direction === 'up' ? r.id : r.downRevisions.join(', ') || '<base>';
  return `${step.direction === 'up' ? 'upgrade' : 'downgrade'} ${from} -> ${to}`;
}


export interface RunOptions {
  /** One transaction for the whole run instead of one per revision. */
  singleTransaction?: boolean;
  /**
   * The graph, so that on a dialect without a run-wide lock a revision another run applied (or
   * reverted) meanwhile is skipped rather than applied twice.
   */
  graph?: RevisionGraph;
  /** How revision files are loaded; a shared, caching one when several runs read the same files. */
  record?: Recorder;
  /** Called after each applied revision, for progress output. */
  onStep?: (r: StepResult) => void;
  /** Called as each revision starts (before its file is loaded), for progress output. */
  onStepStart?: (step: Step) => void;
  /**
   * How many times a revision (or, in one transaction, the run) whose statement timed out waiting
   * for a table lock is rolled back and tried again, after growing pauses. Default 0.
   */
  lockRetries?: number;
  /** The lock timeout in force (ms), for messages. */
  lockTimeout?: number;
  /** Called with a line worth telling while the run goes on (a retry). */
  onNotice?: (line: string) => void;
}

/**
 * Applies planned steps online: each revision with its version-table change in one
 * transaction, or (singleTransaction) the whole run in one.
 */
export async function runSteps(conn: Connection, versions: VersionTable, steps: readonly PlannedStep[], options: RunOptions = {}): Promise<StepResult[]> {
  // The files after the first are loaded on a thread of their own while the database works; the
  // first is loaded here at once. Not with a recorder of the caller's own.
  const prefetch = options.record ? undefined : RevisionPrefetch.start(steps.slice(1).flatMap(({ step }) => (step.stampOnly ? [] : [{ revision: step.revision, direction: step.direction }])));
  const run = new StepRun(conn, versions, prefetch ? { ...options, record: (revision, direction) => prefetch.record(revision, direction) } : options);
  // Started now, the pipeline's thread is ready by the time the first transaction is handed to it.
  const pipeline = !options.singleTransaction && steps.length >= PIPELINE_AT_LEAST ? conn.pipeline?.() : undefined;
  try {
    // A revision an earlier run left between phases is finished before anything else moves.
    // Read even when there is nothing to do: a downgrade halfway leaves the version table as it was.
    await run.readUnfinished(steps);
    return await (options.singleTransaction ? run.inOneTransaction(steps) : run.oneByOne(steps, pipeline));
  } finally {
    await pipeline?.close().catch(() => undefined);
    await prefetch?.close();
  }
}

/** A step ready to run: its statements (compiled against the live schema) and version changes. */
interface Prepared {
  statements: string[];
  /** A user's own SQL (op.execute), the only text that may hold several statements. */
  scripts: Set<string>;
  assertions: Assertion[];
  foreignKeysOff: boolean;
  /** How many statements the revision itself has, for the result. */
  count: number;
  compiled: CompiledOperations;
  checksum: string | null;
}

/** One run of `runSteps`: what it has done so far, and how it runs, records and reports a step. */
class StepRun {
  private readonly dialect: Dialect;
  private readonly history: VersionTable['history'];
  private readonly progress: ProgressTable;
  private readonly results: StepResult[] = [];
  private versionTableReady = false;
  /** When the step under way started, for its duration. */
  private stepStart = performance.now();
  // Revision files are loaded once each; the next one while the database works on the current.
  private readonly recorded = new Map<PlannedStep, Promise<Operation[]>>();
  /**
   * The version table's rows as this run's last step left them. While they are still so, no
   * other run has moved the table since, and the plan's next step is still to be made: the
   * common case costs one read, not a walk of the whole graph per step.
   */
  private rowsLeft: string | undefined;
  /** The rows read by the last check, with the step's changes to come. */
  private rowsRead: string[] = [];
  /** What earlier runs left halfway (revisions stopped between phases). */
  private unfinished: Progress[] = [];
  /** The progress table was left in place for the rest of the run (see runPhased). */
  private progressLeft = false;
  /** Where a phased revision stands, for the message when it fails. */
  private phaseAt: { at: number; of: number; outside: boolean } | undefined;
  /** The next step, prepared while the one before it finished (see `markAhead`). */
  private ahead: { planned: PlannedStep; prepared: Prepared } | undefined;
  /** The step whose first statement the finished step before it marked as started, with its plan. */
  private premarked: { planned: PlannedStep; plan: string } | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly versions: VersionTable,
    private readonly options: RunOptions,
  ) {
    this.dialect = conn.dialect;
    this.history = versions.history;
    this.progress = new ProgressTable(this.dialect, versions.progressName);
  }

  private begin(planned: PlannedStep): void {
    this.stepStart = performance.now();
    this.options.onStepStart?.(planned.step);
  }

  private took(): number {
    return Math.round(performance.now() - this.stepStart);
  }

  /** The statements of one step: its SQL (compiled against the live schema) and version changes. */
  private async prepare({ step, changes }: PlannedStep, ops: Operation[]): Promise<Prepared> {
    const { conn, dialect, versions } = this;
    const schema: Schema = dialect.needsSchema(ops) ? await conn.introspect({ exclude: versions.tables }) : { tables: [] };
    const compiled = compileFor(dialect, ops, schema, step);
    // The version and history tables are created with the first revision, so a failed run leaves nothing behind.
    const head = this.versionTableReady ? [] : [versions.createSql(), this.history.createSql()];
    const statements = [...head, ...compiled.statements, ...changes.map((c) => versions.changeSql(c))];
    const assertions = (compiled.assertions ?? []).map((a) => ({ ...a, at: a.at + head.length }));
    // A user's own SQL (op.execute) is the only text that may hold several statements.
    const scripts = new Set(ops.flatMap((op) => (op.kind === 'execute' ? [op.sql] : [])));
    // The checksum of the text that ran, read once with it.
    const source = recordedSource(ops);
    const checksum = (source !== undefined ? checksumOf(source) : fileChecksum(step.revision.path)) ?? null;
    return { statements, scripts, assertions, foreignKeysOff: compiled.foreignKeysOff, count: compiled.statements.length, compiled, checksum };
  }

  /** The history row of a step that started at `startedAt`, written with its last statements. */
  private logged({ step }: PlannedStep, prepared: { checksum: string | null }, startedAt: Date): string {
    return this.history.insertSql({ revision: step.revision.id, direction: step.stampOnly ? 'stamp' : step.direction, checksum: prepared.checksum, startedAt });
  }

  /** The operations of a step's revision file, loaded once. */
  private record(planned: PlannedStep): Promise<Operation[]> {
    let ops = this.recorded.get(planned);
    if (!ops) {
      ops = planned.step.stampOnly ? Promise.resolve([]) : (this.options.record ?? recordRevision)(planned.step.revision, planned.step.direction);
      ops.catch(() => undefined); // reported when awaited
      this.recorded.set(planned, ops);
    }
    return ops;
  }

  /** Whether another run has already made this step, judged under the transaction's lock. */
  private async doneElsewhere(step: Step, changes: readonly HeadChange[]): Promise<boolean> {
    const { graph } = this.options;
    if (this.dialect.capabilities.runLock || !graph) return false;
    // No version table yet reads as no rows; once this run has seen it, it is not looked for again.
    const rows = await this.versions.heads(this.conn, { known: this.versionTableReady });
    this.rowsRead = rows;
    if (this.rowsLeft !== undefined && rows.join('\n') === this.rowsLeft) return false;
    // A row moved to a squash: done when the row it moves is gone.
    if (step.stampOnly) return changes.every((c) => c.kind === 'update' && !rows.includes(c.from));
    const applied = graph.ancestors(rows);
    return step.direction === 'up' ? applied.has(step.revision.id) : !applied.has(step.revision.id);
  }

  /** Records the rows a step leaves, once its changes were made. */
  private leftBy(changes: readonly HeadChange[]): void {
    if (this.dialect.capabilities.runLock || !this.options.graph) return;
    const rows = new Set(this.rowsRead);
    for (const c of changes) {
      if (c.kind === 'insert') rows.add(c.version);
      else if (c.kind === 'delete') rows.delete(c.version);
      else {
        rows.delete(c.from);
        rows.add(c.to);
      }
    }
    this.rowsLeft = [...rows].sort().join('\n');
  }

  /**
   * Runs statements in batches between the points where an assertion must hold (`at`: the index
   * of the statement before which it is checked); returns the rows each changed.
   */
  private async runChecked(statements: readonly string[], scripts: ReadonlySet<string>, assertions: readonly Assertion[], oneByOne: boolean, next?: PlannedStep): Promise<number[]> {
    const { conn } = this;
    const counts: number[] = [];
    const cuts = [...new Set(assertions.map((a) => a.at))].sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...cuts, statements.length]) {
      const batch = statements.slice(from, cut);
      if (oneByOne) for (const sql of batch) counts.push(...(await conn.runAll([sql], scripts)));
      else {
        const running = conn.runAll(batch, scripts);
        if (next) void this.record(next);
        counts.push(...(await running));
      }
      for (const a of assertions.filter((x) => x.at === cut)) {
        const [row] = await conn.query<Record<string, unknown>>(a.query);
        const n = Number(Object.values(row ?? {})[0] ?? 0);
        if (n !== 0) throw new MigratorError(a.message.replace('%d', String(n)));
      }
      from = cut;
    }
    return counts;
  }

  /** Runs a prepared step inside an open transaction; `next` is loaded while the database works. */
  private async execute({ step, changes }: PlannedStep, prepared: Prepared, oneByOne: boolean, next?: PlannedStep): Promise<void> {
    if (await this.doneElsewhere(step, changes)) {
      this.versionTableReady = true;
      if (next) void this.record(next);
      return;
    }
    const statements = [...prepared.statements, this.logged({ step, changes }, prepared, new Date())];
    const counts = await this.runChecked(statements, prepared.scripts, prepared.assertions, oneByOne, next);
    this.versions.checkCounts(changes, counts.slice(counts.length - changes.length - 1, counts.length - 1));
    this.leftBy(changes);
    this.versionTableReady = true;
    const stamped = step.stampOnly && changes[0]?.kind === 'update' ? { from: changes[0].from, to: changes[0].to } : undefined;
    const result: StepResult = { direction: step.direction, revision: step.revision.id, message: step.revision.message, statements: prepared.count, durationMs: this.took(), ...(stamped ? { stamped } : {}) };
    // Reported by the caller once committed: after the revision (alone), or after the whole run.
    this.results.push(result);
  }

  /** The error a failed step is reported with: what failed, what was rolled back, and why. */
  private async failure({ step }: PlannedStep, error: unknown, rolledBack: string): Promise<MigratorError> {
    const { conn, options } = this;
    const where = `revision ${step.revision.id} (${step.revision.path ?? 'unknown file'})`;
    if (conn.lost && !this.dialect.capabilities.transactionalDdl) {
      return new MigratorError(
        `${stepLabel(step)} failed: the connection to the database was lost while ${where} was running (${messageOf(error)}). ` +
          `${this.dialect.title} commits each statement as it runs: the statements recorded as done (table ${this.progress.name}) are kept, and a rerun of \`migrator migrate\` resumes after them; ` +
          `a DDL statement that completed as the connection dropped is not recorded: a rerun asks the catalog whether it took effect, but runs one of the revision's own SQL (\`op.execute\`) again — if that then fails, finish the revision by hand and run \`migrator stamp ${stampTarget(step)}\``,
        { cause: error, data: { revision: step.revision.id, direction: step.direction } },
      );
    }
    if (conn.lost) {
      // Nothing more can be asked of a connection the server ended; what is known is said.
      return new MigratorError(
        `${stepLabel(step)} failed: the connection to the database was lost while ${where} was running (${messageOf(error)}); ` +
          'the database rolls back a transaction cut off before its commit, so a rerun of `migrator migrate` is safe (`migrator current` shows where it stands)',
        { cause: error },
      );
    }
    let detail = error instanceof StatementError ? `${error.message} (in statement: ${abbreviate(error.statement)})` : messageOf(error);
    if (error instanceof LockWaitError) {
      detail = `the database stayed locked by ${error.holder} for longer than lockWait (${error.waited / 1000} s); rerun once it is free, or raise "lockWait"`;
    }
    if (error instanceof LockTimeoutError) {
      const holders = await conn.lockHolders?.(error.statement).catch(() => []) ?? [];
      const tries = (options.lockRetries ?? 0) + 1;
      detail = `a statement waited longer than the lock timeout${options.lockTimeout ? ` (${options.lockTimeout} ms)` : ''} for a table lock, ${tries === 1 ? 'once' : `${tries} times`} (in statement: ${abbreviate(error.statement)}); ${holders.length ? `held by ${holders.join('; ')}` : 'its holder has let go since'}. End that session or wait for it, then rerun; or raise "lockTimeout"`;
    }
    return new MigratorError(`${stepLabel(step)} failed; ${rolledBack.replace('%s', where)}: ${detail}`, { cause: error, data: { revision: step.revision.id, direction: step.direction } });
  }

  /** Runs a transaction, again after a pause when a statement timed out waiting for a lock. */
  private async retrying(what: string, attempt: () => Promise<void>): Promise<void> {
    const { conn, options } = this;
    for (let tried = 0; ; tried++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof LockTimeoutError) || tried >= (options.lockRetries ?? 0) || conn.lost) throw error;
        const pause = 500 * 2 ** tried;
        const holders = await conn.lockHolders?.(error.statement).catch(() => []) ?? [];
        options.onNotice?.(`${what} waited too long for a table lock${holders.length ? ` held by ${holders.join('; ')}` : ''}; rolled back, trying again in ${pause / 1000} s (${tried + 2} of ${(options.lockRetries ?? 0) + 1})`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /**
   * Reads what earlier runs left halfway; refuses to start when that is not the first of `steps`,
   * saying which command finishes it.
   */
  async readUnfinished(steps: readonly PlannedStep[]): Promise<void> {
    const unfinished = await this.progress.read(this.conn);
    this.unfinished = unfinished;
    // Where the table is kept for a run (see runPhased), one that a run killed before its end left
    // behind with nothing halfway goes when this run ends, whatever it has to do.
    if (!unfinished.length && !this.dialect.capabilities.transactionalDdl && (await this.conn.tableExists(this.progress.name))) this.progressLeft = true;
    const stray = unfinished.find((p) => !steps.length || p.revision !== steps[0].step.revision.id || p.direction !== steps[0].step.direction);
    if (stray) {
      const graph = this.options.graph;
      if (graph && !graph.get(stray.revision)) throw new MigratorError(unfinishedAdvice(stray, this.dialect, graph, await this.versions.heads(this.conn)));
      const { stopped, finish } = unfinishedText(stray, this.dialect, graph?.get(stray.revision)?.downRevisions ?? []);
      throw new MigratorError(`${stopped}; finish it first: ${finish} resumes it where it stopped`);
    }
  }

  /** The progress an earlier run recorded for this step, checked against what the file says now. */
  private resumeOf({ step }: PlannedStep, prepared: Prepared): Progress | undefined {
    const found = this.unfinished.find((p) => p.revision === step.revision.id && p.direction === step.direction);
    if (found && (!prepared.compiled.phases || found.plan !== planDigest(prepared.compiled.statements))) {
      throw new MigratorError(
        `revision ${step.revision.id} (${step.revision.path ?? 'unknown file'}) stopped halfway in an earlier run (${whereStopped(found, this.dialect)}), and its statements have changed since; ` +
          `restore the file as it was and rerun, or finish the revision by hand and run \`migrator stamp ${stampTarget(step)}\``,
      );
    }
    return found;
  }

  /**
   * Runs a revision whose statements split into phases: each transaction commits with a record
   * of the next phase; a statement outside a transaction is recorded as started before it runs,
   * so that a rerun knows to look at how far it got. The version table moves with the last phase.
   */
  private async runPhased(planned: PlannedStep, prepared: Prepared, resumeFrom: Progress | undefined, next: PlannedStep | undefined): Promise<void> {
    const { conn, versions, history, progress, options } = this;
    const { step, changes } = planned;
    const { phases = [], statements, assertions = [] } = prepared.compiled;
    const revision = step.revision.id;
    const plan = planDigest(statements);
    const premarked = this.premarked?.planned === planned && this.premarked.plan === plan;
    this.premarked = undefined;
    /** The mark the last phase's transaction writes for the next step, set once it has committed. */
    let markingAhead: { planned: PlannedStep; plan: string } | undefined;
    const mark = (phase: number, started: boolean): string => progress.setSql({ revision, direction: step.direction, phase, started, plan });
    if (await this.doneElsewhere(step, changes)) return;
    // The version and progress tables come with the first phase, so that a revision whose first
    // phase fails leaves nothing behind.
    let tables = this.progressLeft ? [] : [versions.createSql(), history.createSql(), progress.createSql()];
    let halfDone = resumeFrom?.started ?? false;
    if (resumeFrom) options.onNotice?.(`revision ${revision} resumes at ${phaseWord(this.dialect)} ${resumeFrom.phase + 1} of ${phases.length}, where an earlier run stopped`);
    const startedAt = new Date();
    const finish = async (): Promise<void> => {
      const ahead = await this.markAhead(next);
      markingAhead = ahead?.marked;
      const counts = await conn.runAll([...changes.map((c) => versions.changeSql(c)), progress.clearSql(revision, step.direction), ...(ahead?.sql ?? []), this.logged(planned, prepared, startedAt)]);
      versions.checkCounts(changes, counts.slice(0, changes.length));
      this.leftBy(changes);
      // The table is there only while a revision is halfway. Where DDL is not transactional every
      // revision of several statements is phased, and creating and dropping the table around each
      // would cost two more DDL statements a revision: it goes when the run ends.
      if (this.dialect.capabilities.transactionalDdl) await conn.runAll(await progress.dropIfEmptySql(conn));
      else this.progressLeft = true;
    };
    // Where DDL is not transactional (MySQL), the record of a statement also marks the next one as
    // started when a rerun would have a question for it: the catalog answers the question, so a
    // mark written a moment early costs nothing, and it saves a statement each.
    const markedEarly = (k: number): boolean => !this.dialect.capabilities.transactionalDdl && !!phases[k]?.resume;
    // Consecutive statements of that kind go further: the mark of the first also stands for those
    // after it, with no record between them. A rerun asks about each in turn, skipping those done,
    // until one is not; statements run in order, so none after that one ran.
    const covered = (k: number): boolean => markedEarly(k) && markedEarly(k + 1);
    /** Whether a mark that a statement has started stands for this one (see the mark below). */
    let marked = (resumeFrom?.started ?? false) || premarked;
    /** The statement was found done by a rerun's question. */
    let foundDone = false;
    for (let k = resumeFrom?.phase ?? 0; k < phases.length; k++) {
      const phase = phases[k];
      this.phaseAt = { at: k, of: phases.length, outside: !phase.transaction };
      const last = k === phases.length - 1;
      const sql = statements.slice(phase.from, phase.to);
      const checks = assertions.filter((a) => a.at >= phase.from && (a.at < phase.to || (last && a.at === phase.to))).map((a) => ({ ...a, at: a.at - phase.from }));
      const then = (): Promise<unknown> => (last ? finish() : conn.runAll([mark(k + 1, markedEarly(k + 1))]));
      const ensured = tables;
      tables = [];
      if (phase.transaction) {
        await this.retrying(`revision ${revision}`, () =>
          conn.transaction(
            async () => {
              await conn.runAll(ensured);
              await this.runChecked(sql, prepared.scripts, checks, false);
              await then();
            },
            { foreignKeysOff: prepared.foreignKeysOff },
          ),
        );
        this.versionTableReady = true;
        continue;
      }
      if (ensured.length) await conn.transaction(async () => void (await conn.runAll(ensured)));
      // Made for the run, the progress table goes when the run ends if nothing is left halfway.
      if (ensured.length && !this.dialect.capabilities.transactionalDdl) this.progressLeft = true;
      this.versionTableReady = true;
      // Where every DDL statement is atomic and there is nothing to ask (MySQL), the statement runs
      // in one transaction with its record: the rows a DML statement changes commit with the record
      // or not at all — the server runs a killed client's statement to its end, then rolls back
      // what was not committed — while a DDL statement commits by itself, its record just after.
      const withRecord = !this.dialect.capabilities.transactionalDdl && !phase.resume;
      await this.retrying(`revision ${revision}`, async () => {
        // Recorded before it starts: a rerun then knows the statement may be half done, and asks
        // how far it got. Where every DDL statement is atomic and there is nothing to ask, a rerun
        // runs it again either way: the record after it is enough.
        if ((phase.resume || this.dialect.capabilities.transactionalDdl) && !(marked && markedEarly(k))) await conn.runAll([mark(k, true)]);
        foundDone = false;
        if (halfDone && phase.resume) {
          const [row] = await conn.query<{ state: string }>(phase.resume.state);
          if (row?.state === 'done') {
            foundDone = true;
            return;
          }
          if (row?.state === 'redo') await conn.runAll(phase.resume.cleanup);
        }
        halfDone = true;
        if (withRecord) {
          await conn.transaction(async () => {
            await this.runChecked(sql, prepared.scripts, checks, false);
            await then();
          });
          return;
        }
        try {
          await this.runChecked(sql, prepared.scripts, checks, false);
        } catch (error) {
          // Refused by the server, an atomic DDL statement left nothing (MySQL): the mark goes, so
          // that a rerun runs it again rather than take a same-named object made since for its
          // work; with it the record, when nothing of the revision has run.
          if (phase.resume && !this.dialect.capabilities.transactionalDdl && !conn.lost) {
            await conn.runAll([k === 0 ? progress.clearSql(revision, step.direction) : mark(k, false)]).catch(() => undefined);
            halfDone = false;
            marked = false;
          }
          throw error;
        }
      });
      // Found done, the statement may have been followed by the next one under the same mark: that one is asked about too.
      halfDone = foundDone && covered(k);
      // One statement needs no transaction of its own; the last phase's several do.
      if (!withRecord && !covered(k)) await (last ? conn.transaction(then) : then());
      marked = markedEarly(k + 1);
    }
    this.phaseAt = undefined;
    this.premarked = markingAhead;
    const result = { direction: step.direction, revision, message: step.revision.message, statements: prepared.count, durationMs: this.took() };
    this.results.push(result);
    options.onStep?.(result);
  }

  /**
   * Where DDL is not transactional (MySQL), the next step is prepared while this one finishes, and
   * when its first statement has a question for a rerun, the mark that it has started is written
   * with this step's last record rather than as a statement of its own. As with a mark written
   * early within a revision (see runPhased), a rerun asks the catalog. Nothing when the next step
   * cannot be prepared yet: it is prepared again, and its error reported, when its turn comes.
   */
  private async markAhead(next: PlannedStep | undefined): Promise<{ sql: string[]; marked: { planned: PlannedStep; plan: string } } | undefined> {
    if (!next || next.step.stampOnly || this.dialect.capabilities.transactionalDdl) return undefined;
    const { revision, direction } = next.step;
    // A step an earlier run left halfway carries its own record.
    if (this.unfinished.some((p) => p.revision === revision.id && p.direction === direction)) return undefined;
    let prepared: Prepared;
    try {
      prepared = this.ahead?.planned === next ? this.ahead.prepared : await this.prepare(next, await this.record(next));
    } catch {
      return undefined;
    }
    this.ahead = { planned: next, prepared };
    if (!prepared.compiled.phases?.[0]?.resume) return undefined;
    const plan = planDigest(prepared.compiled.statements);
    return { sql: [this.progress.setSql({ revision: revision.id, direction, phase: 0, started: true, plan })], marked: { planned: next, plan } };
  }

  /**
   * Runs every step in one transaction, the files loaded first; a failure rolls the whole run
   * back and names the step it failed in. Steps are reported once the run has committed.
   */
  async inOneTransaction(steps: readonly PlannedStep[]): Promise<StepResult[]> {
    const { conn, dialect, results } = this;
    const all: { planned: PlannedStep; ops: Operation[] }[] = [];
    const runStart = performance.now();
    for (const planned of steps) all.push({ planned, ops: await this.record(planned) });
    // Foreign-key enforcement can only be switched outside the transaction: off for the whole
    // run when any revision may rebuild a table.
    const foreignKeysOff = !!dialect.capabilities.tableRebuilds && all.some((r) => dialect.needsSchema(r.ops));
    let current: PlannedStep | undefined;
    const ready = this.versionTableReady;
    try {
      await this.retrying('the run', async () => {
        results.length = 0;
        this.versionTableReady = ready;
        await conn.transaction(async () => {
          for (const r of all) {
            current = r.planned;
            this.begin(r.planned);
            // The files were loaded before the transaction: the first step's time includes that.
            if (r === all[0]) this.stepStart = runStart;
            await this.inRunTransaction(r.planned, r.ops);
          }
        }, { foreignKeysOff });
      });
    } catch (error) {
      if (!current) throw error;
      throw await this.failure(current, error, 'the whole run was rolled back (%s failed)');
    }
    for (const r of results) this.options.onStep?.(r);
    return results;
  }

  /** Runs one step inside the run's one transaction; refuses a step that needs transactions of its own. */
  private async inRunTransaction(planned: PlannedStep, ops: Operation[]): Promise<void> {
    // One statement at a time, so that a failure names its statement; foreign keys checked
    // after each revision that rebuilt a table, so that a violation names its revision.
    const prepared = await this.prepare(planned, ops);
    if (this.resumeOf(planned, prepared)) {
      throw new MigratorError('it stopped halfway in an earlier run, and one transaction for the whole run cannot resume it; run without --single-transaction');
    }
    if (prepared.compiled.phases?.some((p) => !p.transaction)) {
      throw new MigratorError(
        `it runs statements outside a transaction (${abbreviate(prepared.compiled.statements[prepared.compiled.phases.find((p) => !p.transaction)!.from])}), which one transaction for the whole run cannot hold; run without --single-transaction`,
      );
    }
    await this.execute(planned, prepared, true);
    if (prepared.foreignKeysOff) await this.conn.checkForeignKeys?.();
  }

  /** What a phased step that failed at `at` leaves behind, for its message (`%s`: the revision). */
  private stoppedAt(step: Step, at: { at: number; of: number; outside: boolean } | undefined): string {
    if (!at || (at.at === 0 && !at.outside)) return '%s was rolled back';
    if (this.dialect.capabilities.transactionalDdl) {
      return `%s stopped in its phase ${at.at + 1} of ${at.of}${at.outside ? ' (outside a transaction)' : ''}; what ran before it is kept and recorded, and a rerun resumes there`;
    }
    if (at.at === 0) return `%s failed at its statement 1 of ${at.of}: nothing before it ran, and the version table is unchanged; fix the cause and rerun`;
    const ran = at.at === 1 ? 'its statement 1 ran and is kept' : `its statements 1-${at.at} ran and are kept`;
    return (
      `%s stopped at its statement ${at.at + 1} of ${at.of}: ${this.dialect.title} commits each statement as it runs, so ${ran} (recorded in table ${this.progress.name}; the version table is unchanged). ` +
      `Fix the cause and rerun to resume at statement ${at.at + 1}, or finish the revision by hand and run \`migrator stamp ${stampTarget(step)}\``
    );
  }

  /**
   * Runs the steps one after another, each committed (and reported) before the next starts; with
   * a pipeline, each transaction it can take is committed on its thread while the next is prepared.
   */
  async oneByOne(steps: readonly PlannedStep[], pipeline?: StepPipeline): Promise<StepResult[]> {
    try {
      if (pipeline) await this.pipelined(steps, pipeline);
      else for (const [i, planned] of steps.entries()) await this.alone(planned, steps[i + 1]);
    } finally {
      // The progress table kept through the run (see runPhased) goes once no revision is halfway.
      if (this.progressLeft && !this.conn.lost) await this.conn.runAll(await this.progress.dropIfEmptySql(this.conn)).catch(() => undefined);
    }
    return this.results;
  }

  /**
   * The transaction a step can hand to a pipeline, or none: one transaction of statements alone
   * (no phases, no checks between statements, foreign keys left on), after the version table is
   * there, nothing halfway from an earlier run, no table shape to read first (which must see the
   * steps before committed), and the rows it must find known.
   */
  private pipelinedStep(planned: PlannedStep, prepared: Prepared): PipelinedStep | undefined {
    const { graph } = this.options;
    const checked = !!graph && !this.dialect.capabilities.runLock;
    if (planned.step.stampOnly || !this.versionTableReady || this.unfinished.length || (checked && this.rowsLeft === undefined)) return undefined;
    if (prepared.compiled.phases || prepared.assertions.length || prepared.foreignKeysOff) return undefined;
    const statements = [...prepared.statements, this.logged(planned, prepared, new Date())];
    const { changes } = planned;
    return {
      ...(checked ? { expect: { sql: this.versions.headsSql(), rows: this.rowsLeft! } } : {}),
      statements,
      scripts: [...prepared.scripts],
      // The version-table changes come just before the history row.
      expectOne: changes.map((_, k) => statements.length - 1 - changes.length + k),
    };
  }

  /**
   * Runs the steps as oneByOne does, handing each transaction it can to `pipeline` and preparing
   * the next while the pipeline commits the ones before; each is reported once committed, in
   * order. A step the pipeline cannot take runs here, once those before it have ended (and,
   * when it changes the connection's own state, so does every step after it). A
   * transaction that failed is reported as the run's own would be; one that found the version
   * table moved by another run is run again here, which judges it against the graph.
   */
  private async pipelined(steps: readonly PlannedStep[], pipeline: StepPipeline): Promise<void> {
    interface Queued {
      index: number;
      planned: PlannedStep;
      prepared: Prepared;
      reply: Promise<PipelineReply>;
      /** The rows the run expected before the step, to go back to when it did not commit. */
      rows: { left: string | undefined; read: string[] };
      /** The time it took to prepare (ms). */
      took: number;
    }
    const queued: Queued[] = [];
    /**
     * Ends the oldest queued transaction. Committed: reported. Found the version table moved:
     * its index, once those queued after it (skipped) have ended. Otherwise its failure.
     */
    const settle = async (): Promise<number | undefined> => {
      const q = queued.shift()!;
      let reply: PipelineReply;
      try {
        reply = await q.reply;
      } catch {
        // The thread ended (it could not open the file, say). Its connection went with it, and
        // SQLite rolls back what it had not committed: the run goes on by itself from this step,
        // which the version table, read here, shows done or not.
        allHere = true;
        reply = { ok: false, diverged: true };
      }
      if (reply.ok) {
        const { step } = q.planned;
        const result: StepResult = { direction: step.direction, revision: step.revision.id, message: step.revision.message, statements: q.prepared.count, durationMs: Math.round(q.took + reply.ms) };
        this.results.push(result);
        this.options.onStep?.(result);
        if (queued.length) this.options.onStepStart?.(queued[0].planned.step);
        return undefined;
      }
      await Promise.allSettled(queued.map((x) => x.reply));
      queued.length = 0;
      pipeline.resume();
      this.rowsLeft = q.rows.left;
      this.rowsRead = q.rows.read;
      if ('diverged' in reply) return q.index;
      let error: unknown;
      if ('counts' in reply) {
        try {
          this.versions.checkCounts(q.planned.changes, reply.counts);
        } catch (e) {
          error = e;
        }
      }
      error ??= 'error' in reply ? reply.error : new MigratorError('the transaction was not run');
      throw await this.failure(q.planned, error, '%s was rolled back');
    };
    /** Ends every queued transaction; the index to go back to when one found the version table moved. */
    const drain = async (): Promise<number | undefined> => {
      while (queued.length) {
        const again = await settle();
        if (again !== undefined) return again;
      }
      return undefined;
    };
    /** A step to run here whatever it is: one whose transaction found the version table moved. */
    let here = -1;
    /**
     * Every step from here on runs here: the pipeline's thread has ended, or a revision changed
     * the connection's own state (a pragma, a temporary table), which the ones after it may count on.
     */
    let allHere = false;
    let i = 0;
    while (i < steps.length || queued.length) {
      if (i >= steps.length) {
        const again = await drain();
        if (again !== undefined) i = here = again;
        continue;
      }
      const planned = steps[i];
      let prepared: Prepared | undefined;
      // The run's own work never waits on an event: the threads' word that they are up is
      // taken in between steps.
      if (!pipeline.ready) await nextTurn();
      if (i !== here && !allHere) {
        const started = performance.now();
        let step: PipelinedStep | undefined;
        try {
          const ops = await this.record(planned);
          if (!this.dialect.needsSchema(ops)) {
            prepared = await this.prepare(planned, ops);
            step = this.pipelinedStep(planned, prepared);
          }
        } catch (error) {
          // What failed before it is reported first, as a run one step at a time would.
          const again = await drain();
          if (again !== undefined) {
            i = here = again;
            continue;
          }
          throw error;
        }
        if (step && !pipeline.takes(step)) allHere = true;
        // Until the thread is up, the run commits steps itself rather than wait for it.
        else if (step && (pipeline.ready || queued.length)) {
          const rows = { left: this.rowsLeft, read: this.rowsRead };
          const reply = pipeline.submit(step);
          reply.catch(() => undefined); // settled in order
          // The rows it leaves are the next step's to find.
          if (this.rowsLeft !== undefined) this.rowsRead = this.rowsLeft === '' ? [] : this.rowsLeft.split('\n');
          this.leftBy(planned.changes);
          // A step is under way once the ones before it have committed.
          if (!queued.length) this.options.onStepStart?.(planned.step);
          queued.push({ index: i, planned, prepared: prepared!, reply, rows, took: performance.now() - started });
          i++;
          while (queued.length >= PIPELINE_AHEAD) {
            const again = await settle();
            if (again !== undefined) {
              i = here = again;
              break;
            }
          }
          continue;
        }
      }
      // Here: once what is queued has committed.
      const again = await drain();
      if (again !== undefined) {
        i = here = again;
        continue;
      }
      if (prepared) this.ahead = { planned, prepared };
      await this.alone(planned, steps[i + 1]);
      i++;
    }
  }

  /**
   * Runs one step in its own transaction (or, phased, in its phases'); `next` is loaded while the
   * database works. A failure is reported with what was rolled back and what was kept.
   */
  private async alone(planned: PlannedStep, next: PlannedStep | undefined): Promise<void> {
    this.begin(planned);
    const ops = await this.record(planned);
    const prepared = this.ahead?.planned === planned ? this.ahead.prepared : await this.prepare(planned, ops);
    this.ahead = undefined;
    const ready = this.versionTableReady;
    if (prepared.compiled.phases) {
      try {
        await this.runPhased(planned, prepared, this.resumeOf(planned, prepared), next);
      } catch (error) {
        if (error instanceof MigratorError && !this.phaseAt) throw error;
        const at = this.phaseAt;
        this.phaseAt = undefined;
        throw await this.failure(planned, error, this.stoppedAt(planned.step, at));
      }
      return;
    }
    this.resumeOf(planned, prepared);
    const reported = this.results.length;
    try {
      await this.retrying(`revision ${planned.step.revision.id}`, () => {
        this.versionTableReady = ready;
        this.results.length = reported;
        return this.conn.transaction(() => this.execute(planned, prepared, false, next), { foreignKeysOff: prepared.foreignKeysOff });
      });
    } catch (error) {
      throw await this.failure(planned, error, '%s was rolled back');
    }
    // Only now committed: a run killed before the commit has not said the revision was applied.
    for (const result of this.results.slice(reported)) this.options.onStep?.(result);
  }
}

/**
 * A run of at least this many steps hands its transactions to a pipeline (see
 * `Connection.pipeline`): a thread and a second connection cost about what a few revisions do.
 */
const PIPELINE_AT_LEAST = 32;
/** How many transactions the run queues ahead of the one committing, at most. */
const PIPELINE_AHEAD = 16;

/** Where `migrator stamp` puts a database whose step was finished by hand. */
function stampTarget(step: Step): string {
  return step.direction === 'up' ? step.revision.id : step.revision.downRevisions.join(' ') || 'base';
}

function abbreviate(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

function compileFor(dialect: Dialect, ops: readonly Operation[], schema: Schema, step: Step) {
  try {
    return dialect.compile(ops, schema);
  } catch (error) {
    throw new MigratorError(`revision ${step.revision.id} (${step.revision.path ?? 'unknown file'}): ${messageOf(error)}`, {
      cause: error,
      data: { revision: step.revision.id, direction: step.direction },
    });
  }
}

/** Loads a revision's operations in one direction. */
export type Recorder = (revision: Revision, direction: 'up' | 'down') => Promise<Operation[]>;

/** A recorder that loads each revision file once per direction. */
export function cachingRecorder(): Recorder {
  const cache = new Map<string, Promise<Operation[]>>();
  return (revision, direction) => {
    const key = `${direction}:${revision.id}`;
    let ops = cache.get(key);
    if (!ops) {
      ops = recordRevision(revision, direction);
      cache.set(key, ops);
    }
    return ops;
  };
}

/**
 * The schema the revisions below `heads` build, replayed in memory from their operations (for
 * offline SQL that needs a table's shape). Raw SQL (`op.execute`) is not replayed, and an
 * operation on what no revision made (a table the database had before migrator) is passed over:
 * the compiler says so where it needs that shape.
 */
export async function replaySchema(dialect: Dialect, graph: RevisionGraph, heads: readonly string[], record: Recorder = recordRevision): Promise<Schema> {
  const schema: Schema = { tables: [] };
  for (const { step } of graph.stepsFromBase(heads)) {
    if (!step.stampOnly) replayOperations(dialect, schema, await record(step.revision, 'up'));
  }
  return schema;
}

function replayOperations(dialect: Dialect, schema: Schema, ops: readonly Operation[]): void {
  for (const op of ops) {
    if (dialect.replay) dialect.replay(schema, op);
    else tryApplyOperation(schema, op);
  }
}

/**
 * A scratch database at `startHeads`, when the dialect has one and some step needs table shapes:
 * the revisions below are run into it, raw SQL included. Undefined when that cannot be done; the
 * shapes are then replayed from the revisions' operations alone.
 */
async function openReplica(
  dialect: Dialect,
  versions: VersionTable,
  graph: RevisionGraph,
  steps: readonly PlannedStep[],
  startHeads: readonly string[],
  record: Recorder,
): Promise<Connection | undefined> {
  if (!dialect.capabilities.scratchDatabase) return undefined;
  let needed = false;
  for (const { step } of steps) if (!step.stampOnly) needed ||= dialect.needsSchema(await record(step.revision, step.direction));
  if (!needed) return undefined;
  const replica = await dialect.connect(dialect.capabilities.scratchDatabase);
  try {
    await runSteps(replica, versions, graph.stepsFromBase(startHeads), { record });
    return replica;
  } catch {
    await replica.close();
    return undefined;
  }
}

/** Options of an offline script. */
export interface RenderOptions {
  startHeads: readonly string[];
  createVersionTable: boolean;
  singleTransaction: boolean;
  timeouts?: Timeouts;
  /** The schema the script runs in (a URL's `?schema=`), set first. */
  schema?: string;
}

/** Offline SQL for planned steps: what an online run would execute, as a script. */
export async function renderSteps(dialect: Dialect, versions: VersionTable, graph: RevisionGraph, steps: readonly PlannedStep[], options: RenderOptions): Promise<string> {
  return new OfflineScript(dialect, versions, graph, steps, options).render();
}

const NO_FOREIGN_KEYS_OFF = { before: [], beforeCommit: [], after: [] };

/** A statement of the script, ending in one semicolon. */
const terminated = (sql: string): string => `${sql.trimEnd().replace(/;$/, '')};`;

/** One render of `renderSteps`: the schema each step is compiled against, each step's lines, the frame. */
class OfflineScript {
  private readonly transactional: boolean;
  /** Every revision file is loaded once, however many times the render reads it. */
  private readonly record = cachingRecorder();
  /** The schema before the step being rendered, once a step needed it (replayed, or the replica's). */
  private schema: Schema | undefined;
  private replica: Connection | undefined;
  private anyForeignKeysOff = false;

  constructor(
    private readonly dialect: Dialect,
    private readonly versions: VersionTable,
    private readonly graph: RevisionGraph,
    private readonly steps: readonly PlannedStep[],
    private readonly options: RenderOptions,
  ) {
    this.transactional = dialect.capabilities.transactionalDdl;
  }

  async render(): Promise<string> {
    const { dialect, versions, graph, steps, options, record } = this;
    const body: string[] = [];
    this.replica = await openReplica(dialect, versions, graph, steps, options.startHeads, record);
    try {
      for (const planned of steps) {
        const ops = planned.step.stampOnly ? [] : await record(planned.step.revision, planned.step.direction);
        const compiled = compileFor(dialect, ops, (await this.schemaBefore(planned, ops)) ?? { tables: [] }, planned.step);
        if (this.replica) await runSteps(this.replica, versions, [planned], { record });
        body.push(...this.stepLines(planned, compiled), '');
        if (this.schema && !this.replica) replayOperations(dialect, this.schema, ops);
      }
    } finally {
      await this.replica?.close();
    }
    return this.frame(body);
  }

  /** The schema a step's operations compile against, when they need one. */
  private async schemaBefore(planned: PlannedStep, ops: readonly Operation[]): Promise<Schema | undefined> {
    const { dialect, versions, graph, steps, options, record } = this;
    if (!dialect.needsSchema(ops)) return this.schema;
    if (this.replica) {
      this.schema = await this.replica.introspect({ exclude: versions.tables });
    } else if (!this.schema) {
      // The schema just before this step: replayed from the start heads, then the steps so far.
      this.schema = await replaySchema(dialect, graph, options.startHeads, record);
      for (const prior of steps) {
        if (prior === planned) break;
        if (!prior.step.stampOnly) replayOperations(dialect, this.schema, await record(prior.step.revision, prior.step.direction));
      }
    }
    return this.schema;
  }

  /** One step: its comments, each phase in the transaction it runs in, the version table moved with the last. */
  private stepLines({ step, changes }: PlannedStep, compiled: CompiledOperations): string[] {
    const { dialect, versions, options, transactional } = this;
    const lines: string[] = [];
    this.anyForeignKeysOff ||= compiled.foreignKeysOff;
    const fk = compiled.foreignKeysOff && !options.singleTransaction ? dialect.foreignKeysOffScript : NO_FOREIGN_KEYS_OFF;
    lines.push(...sqlComment(`Running ${stepLabel(step)}`));
    if (step.revision.message) lines.push(...sqlComment(step.revision.message));
    const outside = compiled.phases?.find((p) => !p.transaction);
    if (outside && options.singleTransaction) {
      throw new MigratorError(
        `revision ${step.revision.id} (${step.revision.path ?? 'unknown file'}) runs statements outside a transaction (${abbreviate(compiled.statements[outside.from])}), which one transaction for the whole script cannot hold; leave out --single-transaction`,
      );
    }
    const phases = options.singleTransaction ? undefined : compiled.phases;
    const groups = phases ?? [{ from: 0, to: compiled.statements.length, transaction: true }];
    const changeSql = [
      ...changes.map((change) => terminated(versions.changeSql(change))),
      // The history row, timed by the database when the script runs it.
      terminated(versions.history.insertSql({ revision: step.revision.id, direction: step.stampOnly ? 'stamp' : step.direction, checksum: fileChecksum(step.revision.path) ?? null })),
    ];
    lines.push(...fk.before.map(terminated));
    const inTransactions = transactional && !options.singleTransaction;
    groups.forEach((phase, k) => {
      const last = k === groups.length - 1;
      // Without transactional DDL every statement stands alone: the phases say nothing more.
      if (phases && transactional) lines.push(...sqlComment(`phase ${k + 1} of ${phases.length}${phase.transaction ? '' : ', outside a transaction'}`));
      if (inTransactions && phase.transaction) lines.push('BEGIN;');
      for (let i = phase.from; i < phase.to; i++) {
        for (const a of compiled.assertions ?? []) if (a.at === i) lines.push(...sqlComment(`must count 0, or the run stops here: ${a.query}`));
        lines.push(terminated(compiled.statements[i]));
      }
      if (last && !phase.transaction && inTransactions) lines.push('BEGIN;');
      if (last) lines.push(...changeSql, ...fk.beforeCommit.map(terminated));
      if (inTransactions && (phase.transaction || last)) lines.push('COMMIT;');
    });
    lines.push(...fk.after.map(terminated));
    return lines;
  }

  /** The script around the steps: what a failure leaves, timeouts, the run's transaction, the version and history tables. */
  private frame(body: readonly string[]): string {
    const { dialect, versions, steps, options, transactional } = this;
    const out: string[] = [];
    if (!transactional) {
      out.push(
        ...sqlComment(
          `${dialect.title} commits each statement as it runs: if one fails, the statements before it stay applied and the version table is not moved.\n` +
            'Fix the cause and run the rest of that revision by hand, then its last statements, which move the version table.',
        ),
        '',
      );
    }
    // The session as a run's connection sets it, then the bounds it sets on each statement's wait
    // for a lock and its run.
    const session = [
      ...(options.schema !== undefined && dialect.useSchemaSql ? [dialect.useSchemaSql(options.schema)] : []),
      ...(dialect.sessionScript ?? []),
      ...(options.timeouts && dialect.timeoutsScript ? dialect.timeoutsScript(options.timeouts) : []),
    ];
    if (session.length) out.push(...session.map(terminated), '');
    const fk = options.singleTransaction && this.anyForeignKeysOff ? dialect.foreignKeysOffScript : NO_FOREIGN_KEYS_OFF;
    out.push(...fk.before.map(terminated));
    if (transactional && options.singleTransaction) out.push('BEGIN;', '');
    if (options.createVersionTable) out.push(terminated(versions.createSql()), '');
    // A database older than the history table gets it with the first revision the script runs.
    if (steps.length) out.push(terminated(versions.history.createSql()), '');
    out.push(...body);
    out.push(...fk.beforeCommit.map(terminated));
    if (transactional && options.singleTransaction) out.push('COMMIT;');
    out.push(...fk.after.map(terminated));
    return `${out.join('\n').trimEnd()}\n`;
  }
}
