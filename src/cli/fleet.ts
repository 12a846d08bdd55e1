/**
 * `--all` on migrate, upgrade, downgrade, stamp, status and check: the command run over the
 * config's `targets`, a line per target as each finishes (`[done/total]`), then a table (or with
 * --json one document). Exit 2 when any target failed.
 */
import type { Command } from 'commander';
import { redact } from '../config/secrets.js';
import { MigratorError } from '../errors.js';
import type { Project } from '../project.js';
import type { FleetRun, FleetTarget, TargetOutcome } from '../commands/fleet.js';
import type { BriefStatus } from '../commands/history.js';
import type { CheckResult } from '../commands/generate.js';
import { colours, shownDuration } from './output.js';

export interface FleetFlags {
  all?: boolean;
  parallel?: number;
  canary?: number;
  continueOnError?: boolean;
  json?: boolean;
}

const whole = (flag: string, min: number) => (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new MigratorError(`${flag} must be a whole number, ${min} or more, not ${JSON.stringify(value)}`);
  return Number(value);
};

/** Adds --all and the options of a fleet run to a command. */
export function fleetOptions(command: Command, what: 'run' | 'read'): Command {
  command
    .option('--all', "run on every database of the config's targets")
    .option('--parallel <n>', 'with --all: how many targets at once (default 4)', whole('--parallel', 1));
  if (what === 'run') {
    command
      .option('--canary <k>', 'with --all: run the first k targets, and stop if any of them fails', whole('--canary', 1))
      .option('--continue-on-error', 'with --all: go on with the other targets after one fails (default: start no new one)');
  }
  return command;
}

/** Refuses fleet options given without --all, and --all with what it cannot go with. */
export function checkFleetFlags(o: FleetFlags & { sql?: boolean }): void {
  if (!o.all) {
    const stray = [o.parallel !== undefined && '--parallel', o.canary !== undefined && '--canary', o.continueOnError && '--continue-on-error'].filter(Boolean);
    if (stray.length) throw new MigratorError(`${stray.join(', ')} ${stray.length === 1 ? 'goes' : 'go'} with --all`, { code: 'USAGE' });
    return;
  }
  if (o.sql) throw new MigratorError('--sql prints the SQL of one database; it does not go with --all', { code: 'USAGE' });
}

type Out = (line?: string) => void;
const c = colours.out;

/** What a fleet command prints of each target, and its table's columns. */
interface Row {
  target: string;
  from: string;
  to: string;
  steps: number;
  durationMs: number;
  status: string;
}

const revs = (ids: readonly string[] | undefined): string => (ids === undefined ? '-' : ids.join(', ') || 'base');

/** How far a moving command (migrate, upgrade, downgrade, stamp) got on one target. */
export interface MoveOutcome {
  /** The heads it started from, once read. */
  from?: string[];
  /** The heads it is at: after the run, or after a failure as read back. */
  to?: string[];
  /** Revisions completed. */
  steps: number;
  /** The revision under way (the one that failed, when the target failed). */
  revision?: string;
}

/** Runs `work` over the fleet and prints it; returns whether any target failed. */
export async function fleetMove(
  project: Project,
  o: FleetFlags,
  verb: { doing: string; done: string },
  work: (target: Project, t: FleetTarget, progress: MoveOutcome) => Promise<void>,
  out: Out,
): Promise<boolean> {
  const fleet = await import('../commands/fleet.js');
  const { databaseHeads } = await import('../commands/inspect.js');
  const targets = await fleet.fleetTargets(project);
  const parallel = o.parallel ?? 4;
  if (!o.json) out(`${verb.doing} ${targets.length} target${targets.length === 1 ? '' : 's'}, ${Math.min(parallel, targets.length)} at a time${o.canary ? `, the first ${Math.min(o.canary, targets.length)} as a canary` : ''}`);
  const run: FleetRun<MoveOutcome> = await fleet.runFleet(
    project,
    targets,
    async (p, t) => {
      const progress: MoveOutcome = { steps: 0 };
      try {
        await work(p, t, progress);
      } catch (error) {
        // Where the failure left the target: read back, since each revision commits alone.
        if (progress.from) progress.to = await databaseHeads(p).catch(() => undefined);
        if (typeof error === 'object' && error !== null) Object.assign(error, { [PROGRESS]: progress });
        throw error;
      }
      return progress;
    },
    {
      parallel,
      canary: o.canary,
      continueOnError: o.continueOnError,
      onDone: (outcome, done, total) => {
        if (o.json) return;
        const place = c.dim(`[${String(done).padStart(String(total).length)}/${total}]`);
        out(`${place} ${progressLine(outcome, verb.done)}`);
      },
    },
  );
  const rows = run.outcomes.map((x) => rowOf(x, verb.done));
  const failures = run.outcomes.filter((x) => x.status === 'failed');
  if (o.json) {
    out(
      JSON.stringify(
        {
          targets: run.outcomes.map((x, i) => {
            const r = resultOf(x);
            return {
              target: x.target.name,
              ...schemaOf(x.target),
              from: r?.from ?? null,
              to: r?.to ?? null,
              steps: rows[i].steps,
              durationMs: Math.round(x.durationMs),
              status: rows[i].status,
              ...(x.status === 'failed' ? { error: { ...fleet.failureOf(x.error), ...(r?.revision ? { revision: r.revision } : {}) } } : {}),
            };
          }),
          summary: summaryOf(rows, verb.done),
          ...(run.stopped ? { stopped: run.stopped } : {}),
        },
        null,
        2,
      ),
    );
    return failures.length > 0;
  }
  out();
  for (const line of table(rows)) out(line);
  out();
  const s = summaryOf(rows, verb.done);
  out(`${Object.entries(s).filter(([k, n]) => k !== 'total' && n > 0).map(([k, n]) => `${n} ${k}`).join(', ')} (of ${s.total}).`);
  if (run.stopped === 'canary') out(c.red(`Stopped: a canary target failed; the other ${s['not run']} were not started. Fix it and rerun: targets already done are skipped.`));
  else if (run.stopped === 'failure') out(c.red(`Stopped after a failure: ${s['not run']} target${s['not run'] === 1 ? ' was' : 's were'} not started. Fix it and rerun to resume (--continue-on-error goes on past failures).`));
  else if (failures.length) out(c.red(`${failures.length} target${failures.length === 1 ? '' : 's'} failed, each at the last revision it completed. Fix and rerun to resume.`));
  return failures.length > 0;
}

/** Where a failed target's progress rides on its error. */
const PROGRESS = Symbol('progress');

/** What a target's run got done: its result, or the progress its error carries. */
function resultOf(x: TargetOutcome<MoveOutcome>): MoveOutcome | undefined {
  return x.result ?? ((x.error as Record<symbol, MoveOutcome> | undefined)?.[PROGRESS]);
}

function progressLine(x: TargetOutcome<MoveOutcome>, done: string): string {
  const took = c.dim(`(${shownDuration(x.durationMs)})`);
  const r = resultOf(x);
  if (x.status === 'failed') return `${x.target.name}: ${c.red('FAILED')}${r?.revision ? ` at revision ${r.revision}` : ''}: ${redact((x.error as Error)?.message ?? String(x.error)).split('\n')[0]} ${took}`;
  if (r!.steps === 0 && sameHeads(r!.from, r!.to)) return `${x.target.name}: up to date at ${revs(r!.to)} ${took}`;
  return `${x.target.name}: ${c.green(done)} ${revs(r!.from)} -> ${c.bold(revs(r!.to))}${r!.steps ? ` (${r!.steps} step${r!.steps === 1 ? '' : 's'})` : ''} ${took}`;
}

const sameHeads = (a: readonly string[] = [], b: readonly string[] = []): boolean => a.length === b.length && a.every((x) => b.includes(x));

function rowOf(x: TargetOutcome<MoveOutcome>, done: string): Row {
  const r = resultOf(x);
  const status = x.status !== 'done' ? x.status : r!.steps === 0 && sameHeads(r!.from, r!.to) ? 'up to date' : done;
  return { target: x.target.name, from: revs(r?.from), to: revs(r?.to), steps: r?.steps ?? 0, durationMs: x.durationMs, status };
}

/** How many targets ended each way, in a fixed order. */
function summaryOf(rows: readonly Row[], done: string): Record<string, number> {
  const s: Record<string, number> = { total: rows.length, [done]: 0, 'up to date': 0, failed: 0, 'not run': 0 };
  for (const r of rows) s[r.status] += 1;
  return s;
}

/** The final table: target, from, to, steps, duration, status. */
function table(rows: readonly Row[]): string[] {
  const head = ['target', 'from', 'to', 'steps', 'duration', 'status'];
  const cells = rows.map((r) => [r.target, r.from, r.to, r.status === 'not run' ? '-' : String(r.steps), r.status === 'not run' ? '-' : shownDuration(r.durationMs), r.status]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]): string => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  const paint = (status: string, text: string): string => (status === 'failed' ? c.red(text) : status === 'not run' ? c.yellow(text) : text);
  return [c.bold(line(head)), ...cells.map((row) => paint(row[5], line(row)))];
}

/** The schema of a target that is one, for JSON output. */
function schemaOf(target: { schema?: string }): { schema?: string } {
  return target.schema !== undefined ? { schema: target.schema } : {};
}

/** `status --all`: targets grouped by where they stand. Returns [any failed to read, any not up to date]. */
export async function fleetStatus(project: Project, o: FleetFlags, out: Out): Promise<{ failed: boolean; behind: boolean }> {
  const fleet = await import('../commands/fleet.js');
  const { briefStatus } = await import('../commands/history.js');
  const targets = await fleet.fleetTargets(project);
  const run = await fleet.runFleet(project, targets, (p) => briefStatus(p), { parallel: o.parallel, continueOnError: true });
  const heads = project.graph.headRows();
  const failed = run.outcomes.some((x) => x.status === 'failed');
  const behind = run.outcomes.some((x) => x.status === 'done' && !x.result!.upToDate);
  if (o.json) {
    out(
      JSON.stringify(
        {
          heads,
          targets: run.outcomes.map((x) =>
            x.status === 'done'
              ? { target: x.target.name, ...schemaOf(x.target), ...x.result!, checksums: x.result!.checksumMismatches.length ? 'mismatch' : 'ok' }
              : { target: x.target.name, ...schemaOf(x.target), error: fleet.failureOf(x.error) },
          ),
          summary: { total: targets.length, upToDate: run.outcomes.filter((x) => x.result?.upToDate).length, behind: run.outcomes.filter((x) => x.status === 'done' && !x.result!.upToDate).length, failed: run.outcomes.filter((x) => x.status === 'failed').length },
        },
        null,
        2,
      ),
    );
    return { failed, behind };
  }
  out(`Head: ${heads.join(', ') || '(no revisions)'}`);
  // Targets that stand alike are one line.
  const groups = new Map<string, { line: string; names: string[]; bad: boolean }>();
  for (const x of run.outcomes) {
    let key: string;
    let line: string;
    let bad = true;
    if (x.status !== 'done') {
      const f = fleet.failureOf(x.error);
      key = `error ${f.message}`;
      line = `${c.red('cannot be read')}: ${f.message}`;
    } else {
      const s = x.result as BriefStatus;
      const at = `at ${revs(s.current)}${s.current.length && sameHeads(s.current, heads) ? ' (head)' : ''}`;
      const parts = [s.pending ? `${s.pending} pending` : 'nothing pending', s.checksumMismatches.length ? `checksums differ (${s.checksumMismatches.join(', ')})` : 'checksums ok'];
      if (s.unknownRevisions.length) parts.push(`unknown revision ${s.unknownRevisions.join(', ')}`);
      key = `${at} ${parts.join(' ')}`;
      line = `${at}: ${parts.join(', ')}`;
      bad = !s.upToDate;
    }
    const g = groups.get(key) ?? { line, names: [], bad };
    g.names.push(x.target.name);
    groups.set(key, g);
  }
  for (const g of [...groups.values()].sort((a, b) => b.names.length - a.names.length)) {
    const n = g.names.length;
    const who = n === 1 ? g.names[0] : `${n} targets (${g.names.slice(0, 5).join(', ')}${n > 5 ? `, … ${n - 5} more` : ''})`;
    out(`${g.bad ? c.yellow(who) : c.green(who)} ${g.line}`);
  }
  const ok = run.outcomes.filter((x) => x.result?.upToDate).length;
  // Migrating helps only targets with revisions pending: not a changed file nor an unknown row.
  const pending = run.outcomes.some((x) => x.status === 'done' && x.result!.pending > 0);
  out(ok === targets.length ? c.green(`All ${targets.length} targets up to date.`) : c.yellow(`${ok} of ${targets.length} targets up to date${pending ? '; run `migrator migrate --all`' : ''}.`));
  return { failed, behind };
}

/** `check --all`: each target compared with the models and revisions. */
export async function fleetCheck(project: Project, o: FleetFlags, out: Out): Promise<{ failed: boolean; differs: boolean }> {
  const fleet = await import('../commands/fleet.js');
  const { check } = await import('../commands/generate.js');
  const targets = await fleet.fleetTargets(project);
  const run = await fleet.runFleet<CheckResult>(project, targets, (p) => check(p), {
    parallel: o.parallel,
    continueOnError: true,
    onDone: (x, done, total) => {
      if (o.json) return;
      const place = c.dim(`[${String(done).padStart(String(total).length)}/${total}]`);
      if (x.status !== 'done') return out(`${place} ${x.target.name}: ${c.red('FAILED')}: ${fleet.failureOf(x.error).message}`);
      const r = x.result!;
      out(`${place} ${x.target.name}: ${r.clean ? c.green('clean') : c.yellow(`${r.problems.length + r.operations.length} difference${r.problems.length + r.operations.length === 1 ? '' : 's'}`)}`);
      if (!r.clean) for (const line of [...r.problems, ...r.operations]) out(`    - ${line}`);
      for (const line of r.notices) out(`    ${c.dim(line)}`);
    },
  });
  const failed = run.outcomes.some((x) => x.status === 'failed');
  const differs = run.outcomes.some((x) => x.status === 'done' && !x.result!.clean);
  if (o.json) {
    out(
      JSON.stringify(
        {
          targets: run.outcomes.map((x) =>
            x.status === 'done'
              ? { target: x.target.name, ...schemaOf(x.target), clean: x.result!.clean, problems: x.result!.problems, differences: x.result!.operations, notices: x.result!.notices }
              : { target: x.target.name, ...schemaOf(x.target), error: fleet.failureOf(x.error) },
          ),
          summary: { total: targets.length, clean: run.outcomes.filter((x) => x.result?.clean).length, differ: run.outcomes.filter((x) => x.status === 'done' && !x.result!.clean).length, failed: run.outcomes.filter((x) => x.status === 'failed').length },
        },
        null,
        2,
      ),
    );
  } else {
    const clean = run.outcomes.filter((x) => x.result?.clean).length;
    out(clean === targets.length ? c.green(`All ${targets.length} targets agree with the models and revisions.`) : c.yellow(`${clean} of ${targets.length} targets agree with the models and revisions.`));
  }
  return { failed, differs };
}
