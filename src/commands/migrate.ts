/** upgrade, downgrade, migrate, stamp: commands that move the version table. */
import { MigratorError } from '../errors.js';
import type { Project } from '../project.js';
import { plan, renderSteps, runSteps, type StepResult } from '../runner/runner.js';

export interface MoveResult {
  direction: 'up' | 'down';
  from: string[];
  to: string[];
  steps: StepResult[];
}

export interface MoveOptions {
  /** Called after each applied revision, for progress output. */
  onStep?: (step: StepResult) => void;
  /** One transaction for the whole run (default: the config's `singleTransaction`, else one per revision). */
  singleTransaction?: boolean;
}

/** Applies revisions up to `target` (default: all heads). */
export async function upgrade(project: Project, target = 'heads', options: MoveOptions = {}): Promise<MoveResult> {
  return move(project, 'up', target, options);
}

/** Reverts revisions down to `target` (`-1`, a revision, `base`). */
export async function downgrade(project: Project, target: string, options: MoveOptions = {}): Promise<MoveResult> {
  return move(project, 'down', target, options);
}

async function move(project: Project, direction: 'up' | 'down', target: string, options: MoveOptions): Promise<MoveResult> {
  const graph = project.graph;
  const versions = project.versionTable();
  return project.withConnection(async (conn) => {
    await conn.lock();
    try {
      const from = await versions.heads(conn);
      for (const h of from) {
        if (!graph.get(h)) throw new MigratorError(`the database is at revision ${h}, which no file in ${project.config.versions.join(', ')} defines; restore the file or \`migrator stamp\` the database`);
      }
      const steps = plan(graph, direction, from, target);
      const results = await runSteps(conn, versions, steps, {
        onStep: options.onStep,
        singleTransaction: options.singleTransaction ?? project.config.singleTransaction,
      });
      return { direction, from, to: await versions.heads(conn), steps: results };
    } finally {
      await conn.unlock();
    }
  });
}

/**
 * Offline SQL for `upgrade --sql` / `downgrade --sql`: `start:end` or just `end` (from base for
 * an upgrade). Needs no database.
 */
export async function moveSql(project: Project, direction: 'up' | 'down', range: string, options: { singleTransaction?: boolean } = {}): Promise<string> {
  const graph = project.graph;
  const [start, end] = range.includes(':') ? (range.split(':', 2) as [string, string]) : [undefined, range];
  if (direction === 'down' && start === undefined) {
    throw new MigratorError('downgrade --sql needs a range start:end, since there is no database to read the current revision from');
  }
  const startHeads = start === undefined || start === 'base' ? [] : graph.resolveTarget(start, []);
  return offlineSql(project, direction, startHeads, graph.resolveTarget(end, startHeads), options);
}

/** Offline SQL that moves a database from `startHeads` to `targetHeads`. */
export async function offlineSql(
  project: Project,
  direction: 'up' | 'down',
  startHeads: string[],
  targetHeads: string[],
  options: { singleTransaction?: boolean } = {},
): Promise<string> {
  const graph = project.graph;
  const dialect = project.dialect;
  const steps = direction === 'up' ? graph.upgradePlan(startHeads, targetHeads) : graph.downgradePlan(startHeads, targetHeads);
  return renderSteps(dialect, project.versionTable(dialect), graph, steps, {
    startHeads,
    createVersionTable: direction === 'up' && startHeads.length === 0,
    singleTransaction: options.singleTransaction ?? project.config.singleTransaction ?? false,
  });
}

/** Sets the version table to `targets` without running any revision. */
export async function stamp(project: Project, targets: string[], options: { purge?: boolean } = {}): Promise<{ from: string[]; to: string[] }> {
  const graph = project.graph;
  const versions = project.versionTable();
  return project.withConnection(async (conn) => {
    await conn.lock();
    try {
      await versions.ensure(conn);
      const from = await versions.heads(conn);
      const wanted = targets.flatMap((t) => graph.resolveTarget(t, options.purge ? [] : from));
      // Heads of the stamped state: the targets, less any that another target already includes.
      const to = graph.headsAfter(wanted);
      await conn.transaction(async () => versions.replace(conn, to));
      return { from, to };
    } finally {
      await conn.unlock();
    }
  });
}
