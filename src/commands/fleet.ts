/**
 * One migration history over a fleet of databases: the config's `targets` (databases, and on
 * PostgreSQL schemas of a database, one per tenant), each run on its own connection under its own
 * lock, a bounded number at a time. A run that stops (a failure, a canary) leaves every target at
 * a revision boundary: a rerun is the resume, and targets already at the heads cost a query.
 */
import { checkTargets, firstLine, type TargetEntry } from '../config/config.js';
import { redact } from '../config/secrets.js';
import type { DatabaseTarget } from '../config/url.js';
import { dialectNamed, parseDatabaseUrl } from '../dialects/index.js';
import { errorCode, MigratorError, messageOf } from '../errors.js';
import type { Connection } from '../dialects/dialect.js';
import type { ConnectionPool, Project } from '../project.js';
import { cachingRecorder } from '../runner/runner.js';

/** One target of the fleet: a database, perhaps one schema of it. */
export interface FleetTarget {
  /** What output calls it: the config's name, else the URL with its password masked (`/schema` added). */
  name: string;
  url: string;
  schema?: string;
}

/** The fleet the config's `targets` name, in order; schemas of a `schemasQuery` are read now. */
export async function fleetTargets(project: Project): Promise<FleetTarget[]> {
  const { targets, file = 'migrator.config.ts' } = project.config;
  if (targets === undefined) {
    throw new MigratorError(`--all runs over the config's "targets", and ${file} has none; list the databases there, e.g. targets: ['postgres://…/tenant_a', { url: 'postgres://…/app', schemas: ['t1', 't2'] }]`, { code: 'CONFIG_INVALID' });
  }
  let entries: TargetEntry[];
  if (typeof targets === 'function') {
    let listed: unknown;
    try {
      listed = await targets();
    } catch (error) {
      throw new MigratorError(`${file}: the "targets" function failed: ${firstLine(messageOf(error))}`, { cause: error, code: 'CONFIG_INVALID' });
    }
    entries = checkTargets(listed, `${file} (the list the "targets" function returned)`);
  } else entries = targets;

  const out: FleetTarget[] = [];
  for (const [i, entry] of entries.entries()) {
    const url = typeof entry === 'string' ? entry : entry.url;
    let base: string;
    let target: DatabaseTarget;
    try {
      // Read now, so that a URL that cannot be read fails before any target runs.
      target = parseDatabaseUrl(url, project.config.dir);
      base = typeof entry !== 'string' && entry.name ? entry.name : target.display;
    } catch (error) {
      throw new MigratorError(`${file}: "targets[${i}]": ${messageOf(error)}`, { cause: error, code: 'CONFIG_INVALID' });
    }
    if (typeof entry === 'string' || (entry.schemas === undefined && entry.schemasQuery === undefined)) {
      out.push({ name: base, url });
      continue;
    }
    if (target.schema !== undefined) {
      throw new MigratorError(`${file}: "targets[${i}]" names its schemas twice, in the URL (?schema=${target.schema}) and in ${entry.schemas ? '"schemas"' : '"schemasQuery"'}; remove ?schema= from the URL`, { code: 'CONFIG_INVALID' });
    }
    const schemas = entry.schemas ?? (await schemasOf(url, entry.schemasQuery!, base, project));
    for (const schema of schemas) out.push({ name: `${base}/${schema}`, url, schema });
  }
  const seen = new Set<string>();
  for (const t of out) {
    if (seen.has(t.name)) throw new MigratorError(`${file}: "targets" names ${t.name} twice; give each target its own name (or its own schema)`, { code: 'CONFIG_INVALID' });
    seen.add(t.name);
  }
  if (out.length === 0) throw new MigratorError(`${file}: "targets" lists no target`, { code: 'CONFIG_INVALID' });
  return out;
}

/** The schemas a `schemasQuery` lists: the first column of each row. */
async function schemasOf(url: string, query: string, name: string, project: Project): Promise<string[]> {
  const target = parseDatabaseUrl(url, project.config.dir);
  let conn;
  try {
    conn = await dialectNamed(target.dialect).connect(target.location);
  } catch (error) {
    throw new MigratorError(`cannot connect to ${target.display} to read the schemas of target ${name}: ${redact(messageOf(error).split(target.location).join(target.display))}`, { cause: error, code: 'CONNECTION_FAILED' });
  }
  try {
    const rows = await conn.query<Record<string, unknown>>(query);
    return rows.map((row) => {
      const value = Object.values(row)[0];
      if (typeof value !== 'string' || !value) throw new MigratorError(`the schemasQuery of target ${name} returned a row whose first column is not a schema name: ${JSON.stringify(value)}`, { code: 'CONFIG_INVALID' });
      return value;
    });
  } catch (error) {
    if (error instanceof MigratorError) throw error;
    throw new MigratorError(`the schemasQuery of target ${name} failed: ${firstLine(messageOf(error))}`, { cause: error, code: 'CONFIG_INVALID' });
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** How one target's part of a fleet run went. */
export interface TargetOutcome<R> {
  target: FleetTarget;
  /** `done`: the work ran; `failed`: it threw; `not run`: the fleet stopped before it started. */
  status: 'done' | 'failed' | 'not run';
  result?: R;
  error?: unknown;
  durationMs: number;
}

export interface FleetOptions<R> {
  /** How many targets run at once (default 4). */
  parallel?: number;
  /** Run this many targets first; any failure among them stops the rollout. */
  canary?: number;
  /** Go on starting targets after one failed (default: stop starting new ones). */
  continueOnError?: boolean;
  /** Called as each target finishes, with how many have finished. */
  onDone?: (outcome: TargetOutcome<R>, done: number, total: number) => void;
}

export interface FleetRun<R> {
  outcomes: TargetOutcome<R>[];
  /** Why targets were left unstarted, when some were: `canary` or `failure`. */
  stopped?: 'canary' | 'failure';
}

/**
 * Runs `work` on each target, `parallel` at a time, each on a project of its own (its own
 * connection and lock). Every target ends done, failed or not run; `work` is never cut off.
 */
export async function runFleet<R>(project: Project, targets: readonly FleetTarget[], work: (target: Project, t: FleetTarget) => Promise<R>, options: FleetOptions<R> = {}): Promise<FleetRun<R>> {
  const parallel = Math.max(1, options.parallel ?? 4);
  void project.graph; // read once, shared by every target
  const pool = new IdleConnections();
  const shared = { models: new Map(), record: cachingRecorder() };
  const outcomes: TargetOutcome<R>[] = targets.map((target) => ({ target, status: 'not run', durationMs: 0 }));
  let done = 0;
  let failed = false;
  const runOne = async (i: number): Promise<void> => {
    const t = targets[i];
    const started = performance.now();
    const outcome = outcomes[i];
    try {
      outcome.result = await work(project.onTarget(t, project.config.dir, pool, shared), t);
      outcome.status = 'done';
    } catch (error) {
      outcome.status = 'failed';
      outcome.error = error;
      failed = true;
    }
    outcome.durationMs = performance.now() - started;
    done += 1;
    options.onDone?.(outcome, done, targets.length);
  };
  const run = async (indexes: number[], mayStart: () => boolean): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < indexes.length && mayStart()) await runOne(indexes[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, indexes.length) }, worker));
  };
  const all = targets.map((_, i) => i);
  const canary = Math.min(Math.max(0, options.canary ?? 0), targets.length);
  const keepGoing = (): boolean => options.continueOnError === true || !failed;
  try {
    if (canary > 0) {
      await run(all.slice(0, canary), keepGoing);
      if (failed) return { outcomes, ...(canary < targets.length ? { stopped: 'canary' as const } : {}) };
    }
    await run(all.slice(canary), keepGoing);
  } finally {
    await pool.closeAll();
  }
  return { outcomes, ...(outcomes.some((o) => o.status === 'not run') ? { stopped: 'failure' as const } : {}) };
}

/** The idle connections of a fleet run, by what they connect to; all closed when it ends. */
class IdleConnections implements ConnectionPool {
  private readonly idle = new Map<string, Connection[]>();

  take(location: string): Connection | undefined {
    return this.idle.get(location)?.pop();
  }

  give(location: string, conn: Connection): void {
    const list = this.idle.get(location) ?? [];
    list.push(conn);
    this.idle.set(location, list);
  }

  async closeAll(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((conn) => conn.close().catch(() => undefined)));
  }
}

/** A failure as output shows it: the error's code and its message on one line. */
export function failureOf(error: unknown): { code: string; message: string } {
  return { code: errorCode(error), message: redact(messageOf(error)).split('\n')[0] };
}
