/**
 * Errors a user can act on. The CLI prints their message as one line (no stack trace unless
 * --verbose) and exits non-zero; every message names what it is about and what to do.
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
