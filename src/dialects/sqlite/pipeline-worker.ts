/**
 * The thread of a SQLite pipeline (see `SqlitePipeline`): its own connection to the file, opened
 * as the run's is, running each transaction it is sent in turn and saying how it ended.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { PipelinedStep } from '../dialect.js';
import type { PipelineMessage, ThreadMessage, ThreadReply } from './pipeline.js';
import { isBusy, runStatement } from './statements.js';

const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3') as typeof Database;
const { file, busyTimeout, cancel } = workerData as { file: string; busyTimeout: number; cancel: Int32Array };
const db = new Sqlite(file, { timeout: busyTimeout });
db.pragma('foreign_keys = ON');
const totalChangesStmt = db.prepare('SELECT total_changes() AS n').pluck();
const totalChanges = (): number => totalChangesStmt.get() as number;
const expectStmts = new Map<string, Database.Statement>();
/** Set when a transaction did not commit: the ones queued after it are skipped. */
let stopped = false;

const failed = (error: unknown, statement?: string): ThreadReply => {
  const { message, code } = error as { message?: string; code?: string };
  return { ok: false, failed: { ...(statement !== undefined ? { statement } : {}), message: message ?? String(error), ...(code ? { code } : {}) } };
};

/** The version table's rows, sorted and joined as the run compares them. */
function rows(sql: string): string {
  let stmt = expectStmts.get(sql);
  if (!stmt) expectStmts.set(sql, (stmt = db.prepare(sql)));
  return (stmt.all() as { version_num: unknown }[]).map((r) => String(r.version_num)).sort().join('\n');
}

/** Runs the statements of a begun transaction; what ended it if not all went as expected. */
function body(step: PipelinedStep): ThreadReply | undefined {
  if (step.expect && rows(step.expect.sql) !== step.expect.rows) return { ok: false, diverged: true };
  const scripts = new Set(step.scripts);
  // Only the rows of the version table's changes are counted.
  const counted = new Set(step.expectOne);
  const counts: number[] = [];
  for (const [k, sql] of step.statements.entries()) {
    try {
      counts.push(runStatement(db, sql, scripts.has(sql), counted.has(k) ? totalChanges : undefined));
    } catch (error) {
      return failed(error, sql);
    }
  }
  if (step.expectOne.some((k) => counts[k] !== 1)) return { ok: false, counts: step.expectOne.map((k) => counts[k]) };
  return undefined;
}

function run(step: PipelinedStep): ThreadReply {
  if (stopped || Atomics.load(cancel, 0) !== 0) return { ok: false, skipped: true };
  const started = performance.now();
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    stopped = true;
    return isBusy(error) ? { ok: false, busy: 'begin' } : failed(error);
  }
  let ended: ThreadReply | undefined;
  try {
    ended = body(step);
    if (!ended) {
      try {
        db.exec('COMMIT');
        return { ok: true, ms: performance.now() - started };
      } catch (error) {
        ended = isBusy(error) ? { ok: false, busy: 'commit' } : failed(error);
      }
    }
  } catch (error) {
    ended = failed(error);
  }
  stopped = true;
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
  } catch {
    // the connection has rolled it back itself
  }
  return ended;
}

parentPort?.on('message', (message: PipelineMessage) => {
  if (message.kind === 'step') parentPort!.postMessage({ id: message.id, reply: run(message.step) } satisfies ThreadMessage);
  else if (message.kind === 'resume') stopped = false;
  else {
    db.close();
    process.exit(0);
  }
});
// The connection is open: the run hands its transactions over from now on.
parentPort?.postMessage({ ready: true } satisfies ThreadMessage);
