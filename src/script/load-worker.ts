/**
 * The thread that loads a run's revision files ahead of it (see `RevisionPrefetch`): each file is
 * read, transformed and recorded here, in order, while the run's own thread waits on its
 * database, and what it recorded is sent back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recordRevision, recordedSource } from './load.js';

/** One revision to record: its id and file, and the direction the run takes it in. */
export interface PrefetchJob {
  id: string;
  path: string | undefined;
  direction: 'up' | 'down';
}

/** What comes back for job `i`: its operations and the text they were recorded from, or nothing. */
export type PrefetchReply = { i: number; operations: unknown[]; source: string } | { i: number; failed: true };

/**
 * Whether a value is plain data, which arrives as it was sent: what else a revision passed (a class
 * instance, a function, a date) is left to the run's own thread, which uses it as it is.
 */
function plain(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  if (type !== 'object') return false;
  if (Array.isArray(value)) return value.every(plain);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.getOwnPropertySymbols(value).length) return false;
  return Object.entries(Object.getOwnPropertyDescriptors(value)).every(([, d]) => 'value' in d && d.enumerable === true && plain(d.value));
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const jobs = (workerData as { jobs: PrefetchJob[] }).jobs;
  for (const [i, job] of jobs.entries()) {
    try {
      const operations = await recordRevision({ id: job.id, path: job.path, downRevisions: [], branchLabels: [], dependsOn: [] }, job.direction);
      if (!plain(operations)) throw new Error('not plain data');
      port.postMessage({ i, operations, source: recordedSource(operations) ?? '' } satisfies PrefetchReply);
    } catch {
      // A file that fails here (or records what cannot be sent) is loaded again by the run
      // itself, which reports its error as it always has.
      port.postMessage({ i, failed: true } satisfies PrefetchReply);
    }
  }
}

void main();
