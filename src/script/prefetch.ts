/**
 * Loading a run's revision files on a thread of their own, ahead of the run: reading,
 * transforming and recording a file is work of its own, and the run's thread spends most of its
 * time waiting on the database, so the two overlap. Each file is still read once, at the start of
 * the run, and recorded exactly as the run's own thread would; anything the thread cannot do —
 * a file that fails, operations that are not plain data, a thread that stops — is done by the run
 * itself, with the errors it has always given.
 */
import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../threads.js';
import type { Operation } from '../operations/operation.js';
import type { Revision } from '../revisions/graph.js';
import { adoptRecording, recordRevision } from './load.js';
import type { PrefetchJob, PrefetchReply } from './load-worker.js';

/** Below this many files a run loads them itself: starting a thread would cost about as much. */
const AT_LEAST = 32;

/** The built worker script beside this module; none when running from the TypeScript sources. */
const workerScript = builtWorkerScript(import.meta.url, 'load-worker.js');

const keyOf = (id: string, direction: 'up' | 'down'): string => `${direction}:${id}`;

export class RevisionPrefetch {
  private readonly jobs = new Map<string, number>();
  private readonly replies = new Map<number, PrefetchReply>();
  private readonly waiting = new Map<number, (reply: PrefetchReply | undefined) => void>();
  private stopped = false;
  /** Set once the thread has loaded a file: until then the run loads them itself rather than wait for it. */
  private started = false;
  /** The jobs the run loaded itself before the thread had started. */
  private readonly loadedHere = new Set<number>();

  private constructor(
    private readonly worker: Worker,
    jobs: readonly PrefetchJob[],
  ) {
    jobs.forEach((job, i) => this.jobs.set(keyOf(job.id, job.direction), i));
    worker.on('message', (reply: PrefetchReply) => {
      this.started = true;
      if (this.loadedHere.delete(reply.i)) return;
      const waiter = this.waiting.get(reply.i);
      if (waiter) {
        this.waiting.delete(reply.i);
        waiter(reply);
      } else this.replies.set(reply.i, reply);
    });
    const stop = (): void => {
      this.stopped = true;
      for (const waiter of this.waiting.values()) waiter(undefined);
      this.waiting.clear();
    };
    worker.on('error', stop);
    worker.on('exit', stop);
  }

  /** A thread loading `revisions` (in the direction each is taken), or none when it would not pay. */
  static start(revisions: readonly { revision: Revision; direction: 'up' | 'down' }[]): RevisionPrefetch | undefined {
    if (!workerScript || revisions.length < AT_LEAST) return undefined;
    const jobs: PrefetchJob[] = revisions.map(({ revision, direction }) => ({ id: revision.id, path: revision.path, direction }));
    try {
      return new RevisionPrefetch(new Worker(workerScript, { workerData: { jobs } }), jobs);
    } catch {
      return undefined;
    }
  }

  /** What `revision` records in `direction`: from the thread when it loaded it, else loaded here. */
  async record(revision: Revision, direction: 'up' | 'down'): Promise<Operation[]> {
    const i = this.jobs.get(keyOf(revision.id, direction));
    if (i === undefined) return recordRevision(revision, direction);
    // Each job is used once: a second recording of the same file is made here.
    this.jobs.delete(keyOf(revision.id, direction));
    let reply = this.replies.get(i);
    this.replies.delete(i);
    if (!reply && !this.started) {
      this.loadedHere.add(i);
      return recordRevision(revision, direction);
    }
    if (!reply && !this.stopped) reply = await new Promise<PrefetchReply | undefined>((resolve) => this.waiting.set(i, resolve));
    if (!reply || 'failed' in reply) return recordRevision(revision, direction);
    return adoptRecording(reply.operations as Operation[], reply.source);
  }

  /** Ends the thread; the run calls it however it ends. */
  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate().catch(() => undefined);
  }
}
