/**
 * squash: one revision in place of a linear range, after Django's squashmigrations. The range's
 * upgrades are replayed in order and collapsed (a table created and later altered becomes one
 * createTable), its downgrades in reverse revision order, collapsed the same way; the new
 * revision revises the range's parent and says `replaces = [...]`. What that means for databases
 * at each point of the range is described at the top of src/revisions/graph.ts.
 */
import path from 'node:path';
import { unlinkSync } from 'node:fs';
import { MigratorError } from '../errors.js';
import { collapseOperations } from '../operations/collapse.js';
import { describeOperation, summarizeOperation, type Operation } from '../operations/operation.js';
import type { Project } from '../project.js';
import { linearRange, type Revision } from '../revisions/graph.js';
import { recordRevision } from '../script/load.js';
import { writeRevision } from '../script/write.js';
import { runPostWrite } from '../script/post-write.js';
import { checkRevId, locked, newId } from './generate.js';

export interface SquashOptions {
  message: string;
  revId?: string;
  /** Clock for the Create Date line. */
  now?: Date;
}

export interface SquashResult {
  path: string;
  id: string;
  replaces: string[];
  /** The squashed upgrade, described. */
  operations: string[];
  /** Lines to show: raw SQL kept as it was. */
  notices: string[];
}

/** Writes one revision that replaces the revisions from `from` to `to`, both included. */
export async function squash(project: Project, from: string, to: string, options: SquashOptions): Promise<SquashResult> {
  if (!options.message) throw new MigratorError('squash needs a message: -m "what the squashed revisions do"');
  checkRevId(options.revId);
  return locked(project, async () => {
    const graph = project.graph;
    const range = linearRange(graph, graph.lookup(from), graph.lookup(to));
    const ids = range.map((r) => r.id);
    const up: Operation[] = [];
    const down: Operation[] = [];
    for (const r of range) up.push(...(await recorded(r, 'up')));
    for (const r of [...range].reverse()) down.push(...(await recorded(r, 'down')));
    const upgrade = collapseOperations(up);
    const downgrade = collapseOperations(down);
    const notices = [
      ...upgrade.filter((op) => op.kind === 'execute').map((op) => `raw SQL kept as is in upgrade(): review it: ${describeOperation(op)}`),
      ...downgrade.filter((op) => op.kind === 'execute').map((op) => `raw SQL kept as is in downgrade(): review it: ${describeOperation(op)}`),
    ];
    const first = range[0];
    const last = range[range.length - 1];
    const inRange = new Set(ids);
    const id = newId(options.revId, project);
    const file = writeRevision(
      last.path ? path.dirname(last.path) : project.config.versions[0],
      {
        id,
        message: options.message,
        downRevisions: first.downRevisions,
        branchLabels: [...new Set(range.flatMap((r) => r.branchLabels))],
        dependsOn: [...new Set(range.flatMap((r) => r.dependsOn.filter((d) => !inRange.has(graph.lookup(d).id))))],
        replaces: ids,
        upgrade,
        downgrade,
        createDate: options.now ?? new Date(),
      },
      project.config.templates,
      project.config.fileTemplate,
    );
    project.refreshGraph();
    try {
      void project.graph;
    } catch (error) {
      // Never leave a file behind that makes the revision files unreadable.
      unlinkSync(file);
      project.refreshGraph();
      throw error;
    }
    runPostWrite(project.config.postWrite, file, project.config.dir, project.config.file);
    return { path: file, id, replaces: ids, operations: upgrade.map(summarizeOperation), notices };
  });
}

/** What a revision records one way; a revision that runs outside a transaction cannot be squashed. */
async function recorded(r: Revision, direction: 'up' | 'down'): Promise<Operation[]> {
  const ops = await recordRevision(r, direction);
  if (ops.some((op) => op.transaction === false && op.kind !== 'execute')) {
    throw new MigratorError(
      `revision ${r.id} (${r.path ?? 'unknown file'}) runs outside a transaction (export const transaction = false), which a squashed revision cannot keep; squash the revisions before or after it`,
    );
  }
  return ops;
}
