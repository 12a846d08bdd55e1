/**
 * Errors a user can act on. The CLI prints their message as one line (no stack trace unless
 * --verbose) and exits non-zero; every message names what it is about and what to do. When a
 * statement the database refused is behind it (a StatementError among its causes), what the
 * database said about it follows on lines of their own.
 */
export class MigratorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigratorError';
  }
}

/** The message of anything thrown, for wrapping into a MigratorError. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `body`, then `cleanup` (closing, unlocking) whatever happened. A cleanup that fails after
 * `body` failed never replaces the first error, which is the one the user must see; the cleanup's
 * is kept on it as `suppressed`, printed with --verbose.
 */
export async function withCleanup<T>(body: () => Promise<T>, cleanup: () => Promise<void>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    try {
      await cleanup();
    } catch (cleanupError) {
      if (error instanceof Error) (error as Error & { suppressed?: unknown[] }).suppressed = [...suppressedOf(error), cleanupError];
    }
    throw error;
  }
  await cleanup();
  return result;
}

/** Errors a cleanup raised after this one, for --verbose. */
export function suppressedOf(error: unknown): unknown[] {
  return (error as { suppressed?: unknown[] } | undefined)?.suppressed ?? [];
}
