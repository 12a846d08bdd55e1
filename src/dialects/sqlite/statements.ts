/** One statement of a run on a better-sqlite3 connection, the same on the run's thread and a pipeline's. */
import type Database from 'better-sqlite3';

/**
 * Runs one statement; returns the rows it changed (`totalChanges`: the connection's running count;
 * without it, rows changed by a script or a text without a semicolon are not counted: 0).
 * A user's own SQL (`script`, from op.execute) may hold several statements and runs as a script.
 * A text without a semicolon holds one statement at most, and runs the same way, which costs less
 * than a statement prepared for one use. Any other text goes through prepare(), which refuses a
 * second statement.
 */
export function runStatement(db: Database.Database, sql: string, script: boolean, totalChanges?: () => number): number {
  if (script || !sql.includes(';')) {
    const before = totalChanges?.() ?? 0;
    db.exec(sql);
    return (totalChanges?.() ?? 0) - before;
  }
  const stmt = db.prepare(sql);
  return stmt.reader ? (stmt.all(), 0) : stmt.run().changes;
}

/** Whether a user's SQL may change the connection's own state (pragmas, attached or temporary objects), which stays with the connection it ran on. */
export const SESSION_STATE = /\b(?:PRAGMA|ATTACH|DETACH|TEMP|TEMPORARY)\b/i;

/** Whether SQLite gave up waiting for another connection's lock (the busy timeout ran out). */
export const isBusy = (error: unknown): boolean => (error as { code?: string } | undefined)?.code === 'SQLITE_BUSY';
