/** Worker threads of migrator's own: where their scripts are, and starting them ahead of need. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * The built worker script `name` (`pipeline-worker.js`) beside the module at `moduleUrl`; none
 * when running from the TypeScript sources, where no built script is: the work is then done on
 * the calling thread.
 */
export function builtWorkerScript(moduleUrl: string, name: string): string | undefined {
  const self = fileURLToPath(moduleUrl);
  return path.extname(self) === '.js' ? path.join(path.dirname(self), name) : undefined;
}

/** What a thread is sent first: what it works on. */
export interface ThreadStart<T> {
  kind: 'start';
  data: T;
}

/** Threads started ahead of need, idle until taken, by script. */
const spares = new Map<string, Worker>();

/**
 * Starts a thread for `script` now, so that it is up by the time a run hands it work: a thread
 * takes its own time to start (its runtime, its modules), which otherwise comes before the run's
 * first transaction. Until taken it waits and keeps nothing alive; a run that never takes it
 * leaves it to end with the process.
 */
export function warmThread(script: string | undefined): void {
  if (!script || spares.has(script)) return;
  try {
    const worker = new Worker(script);
    worker.unref();
    const forget = (): void => void (spares.get(script) === worker && spares.delete(script));
    worker.on('error', forget);
    worker.on('exit', forget);
    spares.set(script, worker);
  } catch {
    // Taken later, it is started then.
  }
}

/** A thread running `script`, sent `data` first: the one `warmThread` started if there is one. */
export function startThread<T>(script: string, data: T): Worker {
  let worker = spares.get(script);
  spares.delete(script);
  if (worker) worker.ref();
  else worker = new Worker(script);
  worker.postMessage({ kind: 'start', data } satisfies ThreadStart<T>);
  return worker;
}

/**
 * In a thread: calls `start` with what it is sent first, then `each` with every later message.
 * The thread stays up until it exits or is ended.
 */
export function onThreadMessages<T, M>(start: (data: T) => void, each: (message: M) => void): void {
  let started = false;
  parentPort?.on('message', (message: ThreadStart<T> | M) => {
    if (started) return each(message as M);
    started = true;
    start((message as ThreadStart<T>).data);
  });
}
