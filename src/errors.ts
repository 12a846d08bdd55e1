/**
 * Errors a user can act on. The CLI prints their message as one line (no stack trace unless
 * --verbose) and exits non-zero; every message names what it is about and what to do. When a
 * statement the database refused is behind it (a StatementError among its causes), what the
 * database said about it follows on lines of their own.
 */
export class MigratorError extends Error {
  /**
   * A stable name of the kind of error, for scripts (`--json` prints it): `CHECKSUM_MISMATCH`,
   * `MULTIPLE_HEADS`, `UNKNOWN_REVISION`, `LOCK_TIMEOUT`, `LOCK_WAIT`, `STATEMENT_FAILED`,
   * `CONFIG_INVALID`, `CONNECTION_FAILED`, `DATA_LOSS`, `UNSUPPORTED_OPERATION`; `ERROR` for
   * the others.
   */
  code: string;
  /**
   * What the error is about, as plain JSON-able fields, for scripts and tests to match on instead
   * of the message: `heads` (MULTIPLE_HEADS), `ref` (UNKNOWN_REVISION), `revisions`
   * (CHECKSUM_MISMATCH), `revision` and `direction` of a step that failed…
   */
  data?: Record<string, unknown>;

  constructor(message: string, options?: { cause?: unknown; code?: string; data?: Record<string, unknown> }) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'MigratorError';
    this.code = options?.code ?? ERROR;
    if (options?.data) this.data = options.data;
  }
}

/** The code of an error that says nothing more specific. */
export const ERROR = 'ERROR';

/** Gives `error` a code unless it already has a more specific one; returns it. */
export function withCode<E>(error: E, code: string): E {
  if (error instanceof MigratorError && error.code === ERROR) error.code = code;
  return error;
}

/**
 * The stable code of anything thrown: a MigratorError's own code, else the most specific one
 * among its causes (a refused statement, a lock that timed out), else `ERROR`.
 */
export function errorCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof MigratorError && e.code !== ERROR) return e.code;
    const byName = CODES_BY_NAME[e.name];
    if (byName) return byName;
  }
  return ERROR;
}

/** Codes of the error classes below migrator's own (their names, not to import the dialects here). */
const CODES_BY_NAME: Record<string, string> = {
  LockTimeoutError: 'LOCK_TIMEOUT',
  LockWaitError: 'LOCK_WAIT',
  StatementError: 'STATEMENT_FAILED',
  ForeignKeyViolationError: 'STATEMENT_FAILED',
  UnsupportedOperationError: 'UNSUPPORTED_OPERATION',
};

/**
 * The data of anything thrown: the fields of every error along its causes, an outer error's
 * winning (a failed step's `revision` with its refused statement's `statement` and `detail`);
 * undefined when none has any.
 */
export function errorData(error: unknown): Record<string, unknown> | undefined {
  const layers: Record<string, unknown>[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const data = e instanceof MigratorError ? e.data : (e as { data?: unknown }).data;
    if (data && typeof data === 'object') layers.push(data as Record<string, unknown>);
  }
  if (layers.length === 0) return undefined;
  return Object.assign({}, ...layers.reverse()) as Record<string, unknown>;
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
