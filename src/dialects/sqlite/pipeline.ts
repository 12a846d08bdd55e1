/**
 * Revisions' transactions run on a thread of their own, on a second connection to the same file:
 * SQLite does a commit's work — its writes and fsyncs — inside the call that commits, so on one
 * thread nothing else happens meanwhile. Here the run prepares the next revisions (compiles them,
 * renders their version-table and history rows) while the thread commits the ones before, each in
 * its own transaction, in order, with the same checks as the run's own: BEGIN IMMEDIATE, the
 * version table's rows read under it and compared with what the run expects, each version-table
 * change made exactly once. A transaction that does not commit stops the thread's work: those
 * queued after it are skipped until the run has dealt with it (`resume`).
 */
import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../../threads.js';
import { LockWaitError, StatementError, type PipelinedStep, type PipelineReply, type StepPipeline } from '../dialect.js';
import { SESSION_STATE } from './statements.js';

/** The built worker script beside this module; none when running from the TypeScript sources. */
const workerScript = builtWorkerScript(import.meta.url, 'pipeline-worker.js');

/**
 * A write that waited longer than the busy timeout (ms), as the run reports it: for another
 * process writing to the file (BEGIN IMMEDIATE waits for writers) or reading it (COMMIT waits for
 * readers to finish).
 */
export const fileBusy = (at: 'begin' | 'commit', waited: number): LockWaitError =>
  new LockWaitError(`another process ${at === 'begin' ? 'writing to' : 'reading'} the database file`, waited);

/** What the thread is sent: a transaction to run, or word to take transactions again, or to end. */
export type PipelineMessage = { kind: 'step'; id: number; step: PipelinedStep } | { kind: 'resume' } | { kind: 'close' };

/** How the thread says a transaction ended: errors as their message and code, made into errors here. */
export type ThreadReply =
  | Exclude<PipelineReply, { error: Error }>
  | { ok: false; failed: { statement?: string; message: string; code?: string } }
  | { ok: false; busy: 'begin' | 'commit' };

/** What the thread says: that its connection is open, or how a transaction ended. */
export type ThreadMessage = { ready: true } | { id: number; reply: ThreadReply };

export class SqlitePipeline implements StepPipeline {
  ready = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (reply: PipelineReply) => void; reject: (error: Error) => void }>();
  private ended: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly busyTimeout: number,
    /** Set when the pipeline closes: transactions still queued are skipped, not committed unreported. */
    private readonly cancel: Int32Array,
  ) {
    worker.on('message', (message: ThreadMessage) => {
      if ('ready' in message) return void (this.ready = true);
      const { id, reply } = message;
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      waiter?.resolve(this.replyOf(reply));
    });
    const end = (error: Error): void => {
      this.ended ??= error;
      for (const w of this.waiting.values()) w.reject(this.ended);
      this.waiting.clear();
    };
    worker.on('error', end);
    worker.on('exit', (code) => end(new Error(`the thread running the revisions' transactions ended (exit code ${code})`)));
  }

  /** A pipeline on `file`, whose writes wait `busyTimeout` ms for another process's; none from the TypeScript sources. */
  static start(file: string, busyTimeout: number): SqlitePipeline | undefined {
    if (!workerScript) return undefined;
    try {
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      return new SqlitePipeline(new Worker(workerScript, { workerData: { file, busyTimeout, cancel } }), busyTimeout, cancel);
    } catch {
      return undefined;
    }
  }

  /** The errors the run's own connection would have thrown (see SqliteConnection). */
  private replyOf(reply: ThreadReply): PipelineReply {
    if ('busy' in reply) return { ok: false, error: fileBusy(reply.busy, this.busyTimeout) };
    if (!('failed' in reply)) return reply;
    const { statement, message, code } = reply.failed;
    const cause = Object.assign(new Error(message), code ? { code } : {});
    return { ok: false, error: statement === undefined ? cause : new StatementError(statement, cause) };
  }

  takes(step: PipelinedStep): boolean {
    return !step.scripts.some((sql) => SESSION_STATE.test(sql));
  }

  submit(step: PipelinedStep): Promise<PipelineReply> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise<PipelineReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'step', id, step } satisfies PipelineMessage);
    });
  }

  resume(): void {
    if (!this.ended) this.worker.postMessage({ kind: 'resume' } satisfies PipelineMessage);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    Atomics.store(this.cancel, 0, 1);
    this.worker.postMessage({ kind: 'close' } satisfies PipelineMessage);
    await exited;
  }
}
