/**
 * verify: every revision upgraded, downgraded and upgraded again on a scratch database, the
 * schema compared after each move; then the revisions' schema compared with the models. The
 * configured database is never changed: on SQLite a temporary file stands in for it, on a server
 * a database created beside it and dropped afterwards, or the empty one `--scratch-url` names.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redact } from '../config/secrets.js';
import { withDatabaseName } from '../config/url.js';
import type { Connection } from '../dialects/dialect.js';
import { compareSchemas } from '../diff/compare.js';
import { MigratorError, messageOf, withCleanup } from '../errors.js';
import { summarizeOperation } from '../operations/operation.js';
import type { Project } from '../project.js';
import type { PlannedStep, Revision } from '../revisions/graph.js';
import { cachingRecorder, runSteps, type Recorder } from '../runner/runner.js';
import type { VersionTable } from '../runner/version-table.js';
import type { Schema } from '../schema/schema.js';
import { check } from './generate.js';
import { history } from './inspect.js';

/** The move of a revision that went wrong: its upgrade, its downgrade, or its upgrade after that. */
export type VerifyDirection = 'upgrade' | 'downgrade' | 'upgrade-again';

/**
 * What went wrong: the move raised an error, or it left a schema other than the one expected —
 * `differences` are the operations that would turn what it left into what was expected.
 */
export type VerifyProblem = { direction: VerifyDirection; differences: string[] } | { direction: VerifyDirection; error: string };

export interface RevisionVerdict {
  revision: string;
  message?: string;
  /** The revision file. */
  file?: string;
  ok: boolean;
  problem?: VerifyProblem;
}

export interface VerifyOptions {
  /** `a:b`, `a:` or `:b`, both ends included, as `history -r`; default every revision. */
  range?: string;
  /** An empty database to use instead of a temporary one. */
  scratchUrl?: string;
  /** Where a relative SQLite path in `scratchUrl` resolves from (default: the current folder). */
  cwd?: string;
  /** Called as each revision is verified, for progress output. */
  onRevision?: (verdict: RevisionVerdict) => void;
}

export interface VerifyResult {
  /** Every revision verified, and the heads and models as they should be (where checked). */
  ok: boolean;
  /** The scratch database, password masked. */
  scratch: string;
  range?: string;
  /** Revisions below the range, upgraded without being verified. */
  below: string[];
  /** The revisions verified, oldest first, up to the first that failed. */
  revisions: RevisionVerdict[];
  /** Revisions of the range not verified, because one before them failed. */
  notRun: string[];
  /** Heads that no merge joins (none without labels to set them apart), or why not checked. */
  heads: { checked: true; ok: boolean; unjoined: string[] } | { checked: false; reason: string };
  /**
   * What `check` finds between the models and the scratch database at the heads (the operations
   * autogenerate would write), or why not checked.
   */
  models: { checked: true; ok: boolean; differences: string[]; notices: string[] } | { checked: false; reason: string };
}

/** A database to verify on, and how to leave it. */
interface Scratch {
  project: Project;
  /** Removes the database, or empties it when it was given. */
  release(): Promise<void>;
}

/**
 * Proves the revisions on a scratch database: from base (or the range's start), each revision is
 * upgraded, downgraded — the schema must be the one before — and upgraded again — the schema must
 * be the one after its first upgrade. Once at the heads, there must be one head (or labelled
 * branches) and the models must match. Stops at the first revision that fails.
 */
export async function verify(project: Project, options: VerifyOptions = {}): Promise<VerifyResult> {
  const graph = project.graph;
  const ids = new Set(history(project, options.range).map((r) => r.id));
  if (options.range !== undefined && ids.size === 0) {
    throw new MigratorError(`range ${options.range} holds no revision; see \`migrator history\` for the revisions there are`);
  }
  const reached = graph.ancestors(ids);
  const below = graph.topological(new Set([...reached].filter((id) => !ids.has(id))));
  const revisions = graph.topological(ids);
  const atHeads = reached.size === graph.revisions.length;
  const scratch = await openScratch(project, options);
  const result: VerifyResult = {
    ok: false,
    scratch: scratch.project.target.display,
    ...(options.range !== undefined ? { range: options.range } : {}),
    below: below.map((r) => r.id),
    revisions: [],
    notRun: [],
    heads: { checked: false, reason: '' },
    models: { checked: false, reason: '' },
  };
  return withCleanup(async () => {
    const verdicts = await scratch.project.withConnection((conn) => walk(scratch.project, conn, below, revisions, options.onRevision));
    result.revisions = verdicts;
    const failed = verdicts.find((v) => !v.ok);
    // A revision below the range whose upgrade failed stopped the run before the range began.
    const stoppedBelow = result.below.indexOf(failed?.revision ?? '');
    if (stoppedBelow >= 0) result.below = result.below.slice(0, stoppedBelow);
    const done = new Set(verdicts.map((v) => v.revision));
    result.notRun = revisions.filter((r) => !done.has(r.id)).map((r) => r.id);
    if (failed) {
      const reason = `verification stopped at revision ${failed.revision}`;
      result.heads = result.models = { checked: false, reason };
    } else if (!atHeads) {
      const reason = `the range ends below the heads, at ${graph.headsOf(reached).join(', ') || 'base'}`;
      result.heads = result.models = { checked: false, reason };
    } else {
      const unjoined = graph.unjoinedHeads().map((r) => r.id);
      result.heads = { checked: true, ok: unjoined.length === 0, unjoined };
      result.models = await compareModels(scratch.project);
    }
    result.ok = !failed && (!result.heads.checked || result.heads.ok) && (!result.models.checked || result.models.ok);
    return result;
  }, scratch.release);
}

/**
 * Upgrades the revisions below the range, then verifies each revision of it in turn; the verdicts
 * of those verified, up to the first that fails (a revision below the range whose upgrade fails
 * is that one).
 */
async function walk(project: Project, conn: Connection, below: readonly Revision[], revisions: readonly Revision[], onRevision?: (v: RevisionVerdict) => void): Promise<RevisionVerdict[]> {
  const mover = new Mover(project, conn);
  for (const r of below) {
    const error = await mover.upgrade(r);
    if (error) {
      const verdict = { ...about(r), ok: false, problem: { direction: 'upgrade' as const, error } };
      onRevision?.(verdict);
      return [verdict];
    }
  }
  const verdicts: RevisionVerdict[] = [];
  for (const r of revisions) {
    const problem = await verifyRevision(mover, r);
    const verdict = { ...about(r), ok: !problem, ...(problem ? { problem } : {}) };
    verdicts.push(verdict);
    onRevision?.(verdict);
    if (problem) break;
  }
  return verdicts;
}

function about(r: Revision): Pick<RevisionVerdict, 'revision' | 'message' | 'file'> {
  return { revision: r.id, ...(r.message ? { message: r.message } : {}), ...(r.path ? { file: r.path } : {}) };
}

/** Upgrade, downgrade, upgrade again, each compared with the schema it must leave. */
async function verifyRevision(mover: Mover, r: Revision): Promise<VerifyProblem | undefined> {
  const before = await mover.snapshot();
  let error = await mover.upgrade(r);
  if (error) return { direction: 'upgrade', error };
  const upgraded = await mover.snapshot();
  error = await mover.downgrade(r);
  if (error) return { direction: 'downgrade', error };
  let differences = mover.differences(await mover.snapshot(), before);
  if (differences.length) return { direction: 'downgrade', differences };
  error = await mover.upgrade(r);
  if (error) return { direction: 'upgrade-again', error };
  differences = mover.differences(await mover.snapshot(), upgraded);
  if (differences.length) return { direction: 'upgrade-again', differences };
  return undefined;
}

/** Moves the scratch database one revision at a time, and reads its schema. */
class Mover {
  private readonly versions: VersionTable;
  private readonly record: Recorder = cachingRecorder();

  constructor(
    private readonly project: Project,
    private readonly conn: Connection,
  ) {
    this.versions = project.versionTable();
  }

  /** The schema, without migrator's own tables. */
  snapshot(): Promise<Schema> {
    return this.conn.introspect({ exclude: this.versions.tables });
  }

  /** What would turn `actual` into `expected`, as people read it; column order left aside. */
  differences(actual: Schema, expected: Schema): string[] {
    return compareSchemas(actual, expected, this.project.dialect.compareOptions).map(summarizeOperation);
  }

  /** Applies exactly `r` (everything below it is applied); the error it raised, if any. */
  async upgrade(r: Revision): Promise<string | undefined> {
    return this.run(this.project.graph.upgradePlan(await this.versions.heads(this.conn), [r.id]));
  }

  /** Reverts exactly `r` (nothing above it is applied); the error it raised, if any. */
  async downgrade(r: Revision): Promise<string | undefined> {
    return this.run(this.project.graph.downgradePlan(await this.versions.heads(this.conn), { targets: r.downRevisions, roots: [r.id] }));
  }

  private async run(steps: readonly PlannedStep[]): Promise<string | undefined> {
    try {
      await runSteps(this.conn, this.versions, steps, { graph: this.project.graph, record: this.record });
      return undefined;
    } catch (error) {
      // A lost connection is no finding about the revision.
      if (this.conn.lost) throw error;
      return redact(messageOf(error));
    }
  }
}

/** The comparison `check` makes, between the models and the scratch database at the heads. */
async function compareModels(project: Project): Promise<VerifyResult['models']> {
  const { models, dataSources, file } = project.config;
  if (models.length === 0 && dataSources.length === 0) return { checked: false, reason: `no models in ${file ?? 'the config'}` };
  const r = await check(project);
  return { checked: true, ok: r.clean, differences: [...r.problems, ...r.operations], notices: r.notices };
}

/** The database to verify on: the one `--scratch-url` names, else a new one. */
async function openScratch(project: Project, options: VerifyOptions): Promise<Scratch> {
  if (options.scratchUrl !== undefined) return givenScratch(project, options.scratchUrl, options.cwd ?? process.cwd());
  const target = project.target;
  const dialect = project.dialect;
  if (dialect.createDatabase && dialect.dropDatabase) {
    const name = `migrator_verify_${process.pid}_${randomBytes(4).toString('hex')}`;
    const scratch = project.onDatabase(withDatabaseName(project.config.database!, name), project.config.databaseBase);
    try {
      await dialect.createDatabase(target.location, name);
    } catch (error) {
      throw new MigratorError(
        `cannot create a scratch database on the server of ${target.display}: ${redact(messageOf(error))}; pass --scratch-url <url> of an empty database verify may use instead`,
        { cause: error },
      );
    }
    const release = async (): Promise<void> => {
      try {
        await dialect.dropDatabase!(target.location, name);
      } catch (error) {
        throw new MigratorError(`cannot drop the scratch database ${scratch.target.display}: ${redact(messageOf(error))}; drop it by hand`, { cause: error });
      }
    };
    // The schema the URL names, which the new database does not have yet.
    if (target.schema !== undefined) {
      try {
        const conn = await dialect.connect(scratch.target.location);
        await conn.execute(`CREATE SCHEMA ${dialect.quoteIdentifier(target.schema)}`).finally(() => conn.close());
      } catch (error) {
        await release().catch(() => undefined);
        throw new MigratorError(`cannot create the schema "${target.schema}" in the scratch database ${scratch.target.display}: ${redact(messageOf(error))}`, { cause: error });
      }
    }
    return { project: scratch, release };
  }
  if (!dialect.capabilities.fileDatabase) {
    throw new MigratorError(`verify cannot make a scratch database for ${target.display}; pass --scratch-url <url> of an empty database verify may use`);
  }
  // A dialect whose databases are files (SQLite): a new file in a folder of its own.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-verify-'));
  const scratch = project.onDatabase(`${dialect.urls.schemes[0]}:${path.join(dir, 'scratch.db')}`, dir);
  return { project: scratch, release: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The database `--scratch-url` names: of the configured dialect, not the configured database,
 * and empty (no table, no type). Afterwards, what verify made there is dropped again; a SQLite
 * file that was not there before is removed.
 */
async function givenScratch(project: Project, url: string, cwd: string): Promise<Scratch> {
  const scratch = project.onDatabase(url, cwd);
  const target = scratch.target;
  const configured = project.config.database ? project.target : undefined;
  if (configured && configured.dialect !== target.dialect) {
    throw new MigratorError(`--scratch-url ${target.display} is a ${target.dialect} database, and the configured one ${configured.display} is ${configured.dialect}; verify needs one of the same kind`);
  }
  if (configured && sameDatabase(configured.location, target.location)) {
    throw new MigratorError(`--scratch-url ${target.display} is the configured database; verify never changes it: give another, empty database`);
  }
  const file = scratch.dialect.capabilities.fileDatabase ? target.location : undefined;
  if (file !== undefined && file === scratch.dialect.capabilities.scratchDatabase) {
    throw new MigratorError(`--scratch-url ${target.display} cannot be used: verify opens the scratch database more than once; give a file, or leave the option out`);
  }
  const created = file !== undefined && !existsSync(file);
  const schema = await scratch.withConnection((conn) => conn.introspect({ exclude: [] }));
  const found = [...schema.tables.map((t) => `table ${t.name}`), ...(schema.enums ?? []).map((e) => `type ${e.name}`)];
  if (found.length) {
    if (created) rmSync(file!, { force: true });
    const shown = found.length > 5 ? `${found.slice(0, 5).join(', ')} and ${found.length - 5} more` : found.join(', ');
    throw new MigratorError(`--scratch-url ${target.display} is not empty (${shown}); verify needs an empty database, which it leaves empty again`);
  }
  const release = async (): Promise<void> => {
    if (created) return rmSync(file!, { force: true });
    await scratch.withConnection(empty);
  };
  return { project: scratch, release };
}

/** Drops every table and type in the database (migrator's own tables too), dependents first. */
async function empty(conn: Connection): Promise<void> {
  const schema = await conn.introspect({ exclude: [] });
  const ops = compareSchemas(schema, { tables: [] }, conn.dialect.compareOptions);
  if (ops.length === 0) return;
  const compiled = conn.dialect.compile(ops, schema);
  await conn.transaction(async () => void (await conn.runAll(compiled.statements)), { foreignKeysOff: compiled.foreignKeysOff });
}

/** Whether two locations name the same database: the same file, or the same server and database name. */
function sameDatabase(a: string, b: string): boolean {
  if (a === b) return true;
  const server = (location: string): string | undefined => {
    try {
      const u = new URL(location);
      return `${u.hostname}:${u.port}${u.pathname}`;
    } catch {
      return undefined;
    }
  };
  const [sa, sb] = [server(a), server(b)];
  return sa !== undefined && sa === sb;
}
