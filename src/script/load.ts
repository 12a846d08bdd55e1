/** Loading a revision file to run it: only the files a run needs are ever loaded. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importModule } from '../loader.js';
import { MigratorError, messageOf } from '../errors.js';
import { Operations } from '../operations/api.js';
import type { Operation } from '../operations/operation.js';
import type { Revision } from '../revisions/graph.js';
import { firstLine } from '../config/config.js';

type MigrationFunction = (op: Operations) => Promise<void> | void;

/** Runs a revision's `upgrade` or `downgrade` against a recording `op`; returns what it recorded. */
export async function recordRevision(revision: Revision, direction: 'up' | 'down'): Promise<Operation[]> {
  const { operations, source } = await record(revision, direction, false);
  recordedFrom.set(operations, source);
  return operations;
}

/** The text each recording was made from, so that what a run logs is the file it ran. */
const recordedFrom = new WeakMap<readonly Operation[], string>();

/** The revision file's text the operations were recorded from (when `recordRevision` made them). */
export function recordedSource(operations: readonly Operation[]): string | undefined {
  return recordedFrom.get(operations);
}

/** Operations `recordRevision` made elsewhere (on another thread), taken as its own, with their text. */
export function adoptRecording(operations: Operation[], source: string): Operation[] {
  recordedFrom.set(operations, source);
  return operations;
}

/** What a revision recorded, with the line of the revision file each operation was called from. */
export interface RecordedCalls {
  operations: Operation[];
  /** 1-based line of each operation's `op.<method>(` call; undefined where it could not be told. */
  lines: (number | undefined)[];
  /** The revision file's text. */
  source: string;
}

/** Like `recordRevision`, and also where in the file each operation was called. */
export async function recordRevisionCalls(revision: Revision, direction: 'up' | 'down'): Promise<RecordedCalls> {
  return record(revision, direction, true);
}

async function record(revision: Revision, direction: 'up' | 'down', withLines: boolean): Promise<RecordedCalls> {
  const file = revision.path ?? revision.id;
  let mod: Record<string, unknown>;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
    mod = await importModule(file, source);
  } catch (error) {
    throw new MigratorError(`cannot load revision ${revision.id} (${file}): ${firstLine(messageOf(error))}`, { cause: error });
  }
  const name = direction === 'up' ? 'upgrade' : 'downgrade';
  const fn = mod[name];
  if (typeof fn !== 'function') throw new MigratorError(`revision ${revision.id} (${file}) exports no ${name}() function`);
  const op = new Operations();
  const lines: (number | undefined)[] = [];
  if (withLines) {
    // Every recorded operation passes through `recorded.push`: the stack there holds the call.
    const sourceLines = source.split(/\r?\n/);
    const push = op.recorded.push;
    op.recorded.push = function (this: Operation[], ...items: Operation[]): number {
      const line = callLine(callSitesHere(), file, sourceLines);
      for (let i = 0; i < items.length; i++) lines.push(line);
      return push.apply(this, items);
    };
  }
  if (mod.transaction !== undefined && typeof mod.transaction !== 'boolean') {
    throw new MigratorError(`revision ${revision.id} (${file}) exports transaction = ${JSON.stringify(mod.transaction) ?? String(mod.transaction)}; it must be true or false`);
  }
  try {
    await (fn as MigrationFunction)(op);
  } catch (error) {
    throw new MigratorError(`revision ${revision.id} (${file}): ${name}() failed: ${firstLine(messageOf(error))}`, { cause: error });
  }
  // `export const transaction = false`: each operation apart, raw SQL outside any transaction.
  if (mod.transaction === false) for (const recorded of op.recorded) recorded.transaction = false;
  return { operations: op.recorded, lines, source };
}

/** The current call stack as V8's call sites (positions as evaluated, no source maps applied). */
function callSitesHere(): NodeJS.CallSite[] {
  const { stackTraceLimit, prepareStackTrace } = Error;
  // Deep enough for helpers and batchAlterTable callbacks between the revision and `op`.
  Error.stackTraceLimit = 64;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    return (new Error().stack as unknown as NodeJS.CallSite[]) ?? [];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
}

/**
 * The revision file's line in a stack: the first call site in `file`. The fast loader evaluates
 * the file's code as the body of `new Function`, whose header puts the first line on line 3; jiti
 * keeps lines as they are. The line found must hold the called method's name at the call site's
 * column (`dropTable` of `await op.dropTable(`), or none is claimed.
 */
function callLine(sites: readonly NodeJS.CallSite[], file: string, source: readonly string[]): number | undefined {
  const at = sites.findIndex((s) => sameFile(s.getScriptNameOrSourceURL() ?? s.getFileName() ?? '', file));
  if (at <= 0) return undefined;
  const site = sites[at];
  const method = sites[at - 1].getFunctionName() ?? sites[at - 1].getMethodName();
  const reported = site.getLineNumber();
  const column = (site.getColumnNumber() ?? 0) - 1;
  if (!method || reported === null) return undefined;
  const line = site.isEval() ? reported - 2 : reported;
  const text = source[line - 1];
  return text !== undefined && text.startsWith(method, column) && !/[\w$]/.test(text[column + method.length] ?? '') ? line : undefined;
}

function sameFile(location: string, file: string): boolean {
  if (location === file) return true;
  try {
    return (location.startsWith('file:') ? fileURLToPath(location) : decodeURI(location)) === file;
  } catch {
    return false;
  }
}
