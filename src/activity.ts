/**
 * Phases worth showing while they last (reading models, reading the database): a command marks
 * them, and whoever listens (the CLI's spinner on a terminal) is told as each starts and ends.
 * Nobody listens when migrator is used as a library: marking a phase then costs nothing.
 */
export interface ActivityListener {
  start(label: string): void;
  end(label: string): void;
}

let listener: ActivityListener | undefined;

/** Sets (or, with undefined, removes) the one listener. */
export function listenToActivity(l: ActivityListener | undefined): void {
  listener = l;
}

/** Marks `work` as the phase `label` until it settles; returns it. */
export function activity<T>(label: string, work: Promise<T>): Promise<T> {
  const l = listener;
  if (!l) return work;
  l.start(label);
  const done = (): void => l.end(label);
  work.then(done, done);
  return work;
}
