/** Loading a revision file to run it: only the files a run needs are ever loaded. */
import { importModule } from '../loader.js';
import { MigratorError, messageOf } from '../errors.js';
import { Operations } from '../operations/api.js';
import type { Operation } from '../operations/operation.js';
import type { Revision } from '../revisions/graph.js';
import { firstLine } from '../config/config.js';

type MigrationFunction = (op: Operations) => Promise<void> | void;

/** Runs a revision's `upgrade` or `downgrade` against a recording `op`; returns what it recorded. */
export async function recordRevision(revision: Revision, direction: 'up' | 'down'): Promise<Operation[]> {
  const file = revision.path ?? revision.id;
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (error) {
    throw new MigratorError(`cannot load revision ${revision.id} (${file}): ${firstLine(messageOf(error))}`, { cause: error });
  }
  const name = direction === 'up' ? 'upgrade' : 'downgrade';
  const fn = mod[name];
  if (typeof fn !== 'function') throw new MigratorError(`revision ${revision.id} (${file}) exports no ${name}() function`);
  const op = new Operations();
  try {
    await (fn as MigrationFunction)(op);
  } catch (error) {
    throw new MigratorError(`revision ${revision.id} (${file}): ${name}() failed: ${firstLine(messageOf(error))}`, { cause: error });
  }
  return op.recorded;
}

