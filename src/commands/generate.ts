/** makemigrations, revision, merge, check, sqlmigrate: commands built on the differ. */
import path from 'node:path';
import { compareSchemas, leftToDatabase } from '../diff/compare.js';
import { settle, unsettled } from '../diff/settle.js';
import { activity } from '../activity.js';
import { MigratorError, messageOf } from '../errors.js';
import type { Operation, OperationKind } from '../operations/operation.js';
import { describeOperation, operationTable, summarizeOperation } from '../operations/operation.js';
import { reverseOperations } from '../operations/reverse.js';
import { onlineForms } from '../diff/online.js';
import type { Project } from '../project.js';
import { describeRevisions, REVISION_ID, REVISION_ID_RULE, type Revision, type RevisionGraph } from '../revisions/graph.js';
import { checksumError, checksumProblems, type HistoryRow } from '../runner/history.js';
import { ProgressTable, unfinishedAdvice, type Progress } from '../runner/progress.js';
import { withVersionsLock } from '../script/lock.js';
import { newRevisionId, writeRevision } from '../script/write.js';
import { runPostWrite } from '../script/post-write.js';
import { offlineSql } from './migrate.js';
import { answerRenames, type RenameAnswers } from './renames.js';
import { describeIndexKey, findTable, type Schema } from '../schema/schema.js';
import { formatFinding } from '../diff/data-loss.js';
import { reviewDataLoss, type DataLossOptions } from './data-loss-review.js';
import { leftAloneNotice, notManagedNotice, refuseEmptyModels, scopeSchemas } from './scope.js';
import { refuseUnknownRows } from './unknown-revisions.js';

export interface RevisionOptions {
  message?: string;
  revId?: string;
  /** Version folder to write into (default: the head's folder, else the first configured). */
  versionPath?: string;
  /** Clock for the Create Date line and the `{date}` of the file name. */
  now?: Date;
}

/** What autogenerate may do: rename answers, data loss consented to, an empty set of models. */
export interface AutogenerateOptions extends DataLossOptions {
  /** Answers to rename candidates: flags, and a terminal to ask on. */
  renames?: RenameAnswers;
  /** Generate even when the models describe no table and the revision drops every one (`--allow-empty`). */
  allowEmpty?: boolean;
}

export interface NewRevisionOptions extends RevisionOptions, AutogenerateOptions {
  autogenerate?: boolean;
  /** The revision to build on: a head, `label@head`, or `base` for a new root. */
  head?: string;
  /** Allow `head` to be a revision that is not a head, starting a new branch from it. */
  splice?: boolean;
  branchLabels?: string[];
  dependsOn?: string[];
}

export type GenerateResult = ({ written: true; path: string; id: string; operations: string[] } | { written: false; reason: string }) & {
  /** Lines to show: tables left alone, findings the user has not seen yet. */
  notices?: string[];
};

/**
 * The database's schema and the models', after checking the database is at head (`requireHead`:
 * at a revision the files define, and at their head) and, with `checksums`, that its applied revision files are the ones that ran — before any
 * error the models may hold.
 */
async function schemas(
  project: Project,
  requireHead: boolean,
  options: { checksums?: boolean } = {},
): Promise<{ database: Schema; models: Schema; dbHeads: string[]; versionTable: boolean; history: HistoryRow[]; halfway: Progress[] }> {
  const graph = project.graph;
  const dialect = project.dialect;
  const versions = project.versionTable(dialect);
  return project.withConnection(async (conn) => {
    // A table another session holds exclusively (a long ALTER, another deploy) stalls a catalog
    // read as it stalls a migration: the read waits no longer than a statement of one would.
    await conn.setTimeouts?.({ lockTimeout: project.config.lockTimeout, statementTimeout: project.config.statementTimeout });
    // The database reads its catalog while the models are parsed.
    const progress = new ProgressTable(dialect, versions.progressName);
    const fromDatabase = activity(
      'reading the database',
      Promise.all([versions.heads(conn), conn.introspect({ exclude: versions.tables }), conn.tableExists(versions.name), versions.history.read(conn), progress.read(conn)]),
    );
    fromDatabase.catch(() => undefined);
    const fromModels = activity('reading models', project.models());
    fromModels.catch(() => undefined);
    const [dbHeads, database, versionTable, history, halfway] = await fromDatabase;
    // A database at a revision no file defines is at no place in the graph to build on; nor is
    // one holding part of a revision an earlier run left halfway.
    if (requireHead) refuseUnknownRows(project, dbHeads);
    if (requireHead && halfway.length) throw new MigratorError(unfinishedAdvice(halfway[0], dialect, graph, dbHeads));
    if (options.checksums) {
      const mismatches = checksumProblems(graph, dbHeads, history);
      if (mismatches.length) throw checksumError(mismatches, versions.historyName);
    }
    const models = await fromModels;
    dialect.fitModels?.(models, project.schema, conn);
    // Expressions the database re-prints its own way are asked of it, never taken for changes.
    const pending = conn.reprint ? unsettled(database, models, dialect.compareOptions) : [];
    if (pending.length) settle(pending, await conn.reprint!(pending.map((p) => p.request)), dialect.compareOptions);
    if (requireHead) {
      const heads = graph.headRows();
      if (graph.effectiveHeads(dbHeads).sort().join() !== heads.join()) {
        const at = dbHeads.length ? dbHeads.join(', ') : 'base (no revisions applied)';
        throw new MigratorError(`the database ${project.target.display} is at ${at}, not at the head revision ${heads.join(', ') || '(none)'}; run \`migrator migrate\` first`);
      }
    }
    return { database, models, dbHeads, versionTable, history, halfway };
  }, { readOnly: true });
}

function diff(database: Schema, models: Schema, project: Project): Operation[] {
  return compareSchemas(database, models, project.dialect.compareOptions);
}

/** Checks --rev-id and --branch-label before anything is written: they become file names and targets. */
export function checkRevId(id: string | undefined, branchLabels: readonly string[] = []): void {
  if (id !== undefined && !REVISION_ID.test(id)) throw new MigratorError(`--rev-id ${JSON.stringify(id)} is not a valid revision id: use ${REVISION_ID_RULE}`);
  for (const label of branchLabels) {
    if (!REVISION_ID.test(label)) throw new MigratorError(`--branch-label ${JSON.stringify(label)} is not a valid branch label: use ${REVISION_ID_RULE}`);
  }
}

/** The new revision's id: --rev-id if no revision has it yet, else a random one. */
export function newId(id: string | undefined, project: Project): string {
  if (id === undefined) return newRevisionId();
  if (!project.graph.get(id) && project.graph.replacedBy(id)) throw new MigratorError(`revision id ${id} is replaced by squash ${project.graph.replacedBy(id)!.id}; choose another --rev-id`);
  if (project.graph.get(id)) throw new MigratorError(`revision ${id} already exists (${project.graph.get(id)!.path}); choose another --rev-id`);
  return id;
}

/** Runs `body` holding the versions-folder lock, on the revision files as they are once it is held. */
export async function locked<T>(project: Project, body: () => Promise<T>): Promise<T> {
  return withVersionsLock(project.config.versions[0], async () => {
    // Another command may have written a revision while this one waited: its parent is the real head.
    project.refreshGraph();
    return body();
  });
}

/** The head a new revision builds on; several heads are an error naming them and what to do. */
function singleHead(graph: RevisionGraph, autogenerate: boolean): Revision | undefined {
  const heads = graph.heads;
  if (heads.length <= 1) return heads[0];
  throw new MigratorError(
    `the revision files have ${heads.length} heads (${describeRevisions(heads)}); a new revision needs one parent: run \`migrator merge heads -m "merge"\` to join them, or \`migrator revision ${autogenerate ? '--autogenerate ' : ''}--head <revision> -m "…"\` to build on one`,
    { code: 'MULTIPLE_HEADS', data: { heads: heads.map((h) => h.id) } },
  );
}

function write(
  project: Project,
  ops: Operation[],
  options: RevisionOptions,
  message: string,
  downRevisions: string[],
  extra: { branchLabels?: string[]; dependsOn?: string[]; comments?: string[][] } = {},
): GenerateResult {
  const id = newId(options.revId, project);
  const graph = project.graph;
  // A new revision goes where its parent lives (a module's own folder), unless told otherwise.
  const parentDir = downRevisions.length === 1 && graph.get(downRevisions[0])?.path ? path.dirname(graph.get(downRevisions[0])!.path!) : undefined;
  const dir = options.versionPath ?? parentDir ?? project.config.versions[0];
  if (!project.config.versions.includes(path.resolve(dir))) {
    throw new MigratorError(`${dir} is not one of the version folders in ${project.config.file ?? 'the config'} (${project.config.versions.join(', ')}); add it to "versions"`);
  }
  for (const label of extra.branchLabels ?? []) {
    if (graph.get(label) || graph.revisions.some((r) => r.branchLabels.includes(label))) {
      throw new MigratorError(`branch label "${label}" is already in use; choose another`);
    }
  }
  // Tables in use get the online forms, both ways, where the database has them.
  const online = ops.length > 0 && project.config.onlineDdl && project.dialect.capabilities.onlineDdl;
  const upgrade = online ? onlineForms(ops, extra.comments) : { ops, comments: extra.comments };
  const downgrade = online ? onlineForms(reverseOperations(upgrade.ops)).ops : reverseOperations(ops);
  const file = writeRevision(
    dir,
    {
      id,
      message,
      downRevisions,
      branchLabels: extra.branchLabels,
      dependsOn: extra.dependsOn,
      upgrade: upgrade.ops,
      downgrade,
      createDate: options.now ?? new Date(),
      upgradeComments: upgrade.comments,
    },
    project.config.templates,
    project.config.fileTemplate,
  );
  project.refreshGraph();
  runPostWrite(project.config.postWrite, file, project.config.dir, project.config.file);
  return { written: true, path: file, id, operations: upgrade.ops.map(summarizeOperation) };
}

/**
 * The operations autogenerate writes, with the comments and notices that go with them: tables
 * left alone, an empty set of models refused, renames answered, and what the operations would do
 * to the rows consented to.
 */
async function autogenerate(project: Project, options: AutogenerateOptions) {
  const { database, models } = await schemas(project, true);
  const scoped = await scopeSchemas(project, database, models);
  if (!options.allowEmpty) await refuseEmptyModels(project, scoped);
  // Renames are settled first: a column renamed is not a column dropped.
  const ops = await answerRenames(diff(scoped.database, scoped.models, project), scoped.database, scoped.models, project.dialect.compareOptions, options.renames);
  const review = await reviewDataLoss(project, scoped.database, ops, options);
  const notices = [...scoped.unmanaged.map(leftAloneNotice), ...(review.asked ? [] : review.findings.map(formatFinding))];
  return { ops, comments: review.comments, notices };
}

/** Compares models and database; writes a revision of the difference, or nothing. */
export async function makemigrations(project: Project, options: RevisionOptions & AutogenerateOptions = {}): Promise<GenerateResult> {
  checkRevId(options.revId);
  return locked(project, async () => {
    const head = singleHead(project.graph, true);
    const { ops, comments, notices } = await autogenerate(project, options);
    if (ops.length === 0) return { written: false, reason: 'No changes detected', notices };
    return { ...write(project, ops, options, options.message ?? autoMessage(ops), head ? [head.id] : [], { comments }), notices };
  });
}

/** The parent(s) of a new revision: the single head, a named head, or a spliced-on revision. */
function parentsFor(project: Project, options: NewRevisionOptions): string[] {
  const graph = project.graph;
  if (options.head === undefined) {
    const head = singleHead(graph, options.autogenerate ?? false);
    return head ? [head.id] : [];
  }
  if (options.head === 'base') return [];
  const ids = graph.resolveTarget(options.head, []);
  if (ids.length !== 1) throw new MigratorError(`--head ${options.head} names ${ids.length ? ids.join(', ') : 'no revision'}; name exactly one`);
  if (!options.splice && graph.childrenOf(ids[0]).length > 0) {
    throw new MigratorError(`revision ${ids[0]} is not a head; pass --splice to start a new branch from it`);
  }
  return ids;
}

/** A new revision: empty, or autogenerated; on the head, or where --head says. */
export async function revision(project: Project, options: NewRevisionOptions): Promise<GenerateResult> {
  if (!options.message) throw new MigratorError('revision needs a message: -m "what it does"');
  const message = options.message;
  checkRevId(options.revId, options.branchLabels);
  if (!options.autogenerate && (options.renames?.rename?.length || options.renames?.noRename)) {
    throw new MigratorError('--rename and --no-rename answer the questions of --autogenerate; add --autogenerate, or leave them out');
  }
  return locked(project, async () => {
    const parents = parentsFor(project, options);
    // As Alembic: a branch label is written as given, anything else as the full id it names.
    const dependsOn = (options.dependsOn ?? []).map((d) => {
      const r = project.graph.lookup(d);
      return r.branchLabels.includes(d) ? d : r.id;
    });
    const generated = options.autogenerate ? await autogenerate(project, options) : { ops: [] as Operation[], comments: [], notices: [] };
    const written = write(project, generated.ops, options, message, parents, { branchLabels: options.branchLabels, dependsOn, comments: generated.comments });
    return { ...written, notices: generated.notices };
  });
}

/** A revision joining several heads. */
export async function merge(project: Project, revisions: string[], options: RevisionOptions): Promise<GenerateResult> {
  if (!options.message) throw new MigratorError('merge needs a message: -m "merge branches"');
  const message = options.message;
  checkRevId(options.revId);
  return locked(project, async () => {
    const graph = project.graph;
    // "heads" means the real heads: a head another revision depends on is merged through that one.
    const ids = [...new Set(revisions.flatMap((r) => (r === 'heads' ? graph.resolvedHeads.map((h) => h.id) : graph.resolveTarget(r, []))))];
    if (ids.length < 2) throw new MigratorError(`merge needs at least two revisions to join; ${revisions.join(' ')} gives ${ids.length}`);
    return write(project, [], options, message, ids);
  });
}

function autoMessage(ops: Operation[]): string {
  const first = describeOperation(ops[0]);
  return ops.length === 1 ? first : `${first} and ${ops.length - 1} more`;
}

export interface CheckResult {
  clean: boolean;
  /** Problems found: pending revisions, heads mismatch, a database to adopt with `stamp`. */
  problems: string[];
  operations: string[];
  /** The same differences as data: each operation that would make the database match the models. */
  differences: { kind: OperationKind; table: string | null; summary: string; operation: Operation }[];
  /** A unified diff of the database schema against the models' schema. */
  diff: string;
  /** Lines about tables left out of the comparison because nothing manages them. */
  notices: string[];
}

/**
 * The database's heads and history, and the operations that would turn its managed tables into
 * the models (for `status`).
 */
export async function modelsAndDatabase(project: Project): Promise<{ dbHeads: string[]; history: HistoryRow[]; operations: Operation[] }> {
  const all = await schemas(project, false);
  const { database, models } = await scopeSchemas(project, all.database, all.models);
  return { dbHeads: all.dbHeads, history: all.history, operations: diff(database, models, project) };
}

/** Whether models, database and version files agree. */
export async function check(project: Project): Promise<CheckResult> {
  const graph = project.graph;
  const all = await schemas(project, false, { checksums: true });
  const { database, models, unmanaged } = await scopeSchemas(project, all.database, all.models);
  const dbHeads = all.dbHeads;
  // A revision left halfway: the database holds part of it, which no file may describe.
  const problems: string[] = all.halfway.map((p) => unfinishedAdvice(p, project.dialect, graph, dbHeads));
  const heads = graph.headRows();
  const ops = diff(database, models, project);
  if (dbHeads.length === 0 && heads.length > 0 && ops.length === 0 && database.tables.length > 0) {
    // Tables made some other way (by hand, by another tool, by a restored dump): migrating would
    // create them again. Stamping records where they already are.
    const table = project.versionTable().name;
    const why = all.versionTable ? `version table ${table} is empty` : `no version table ${table}`;
    const target = graph.heads.length > 1 ? 'heads' : 'head';
    problems.push(`the database already matches the models, but no revision is recorded (${why}): run \`migrator stamp ${target}\` to record it as up to date without running any revision (migrate would try to create its tables again)`);
  } else if (graph.effectiveHeads(dbHeads.filter((h) => graph.knows(h))).sort().join() !== heads.join() || dbHeads.some((h) => !graph.knows(h))) {
    problems.push(`database is at ${dbHeads.join(', ') || 'base'}, the revision files' head is ${heads.join(', ') || 'base'}: run \`migrator migrate\``);
  }
  const { createTwoFilesPatch } = await import('diff');
  // What the models leave to the database is no difference, and is not shown as one.
  const shown = { ...database, tables: database.tables.map((t) => leftToDatabase(t, findTable(models, t.name))) };
  const text = ops.length ? createTwoFilesPatch('database', 'models', schemaText(shown, project), schemaText(models, project), '', '', { context: 3 }) : '';
  return { clean: problems.length === 0 && ops.length === 0, problems, operations: ops.map(summarizeOperation), differences: ops.map((op) => ({ kind: op.kind, table: operationTable(op) ?? null, summary: summarizeOperation(op), operation: op })), diff: text, notices: unmanaged.map(notManagedNotice) };
}

/** A readable, normalised listing of a schema, one table after another, for diffs. */
export function schemaText(schema: Schema, project: Project): string {
  const o = project.dialect.compareOptions;
  const type = o.normalizeType ?? ((t: string) => t);
  const lines: string[] = [];
  const tables = [...schema.tables].sort((a, b) => (a.name < b.name ? -1 : 1));
  const sorted = <T>(xs: T[], key: (x: T) => string): T[] => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  for (const t of tables) {
    lines.push(`table ${t.name}`);
    for (const c of sorted(t.columns, (c) => c.name)) {
      const def = o.normalizeDefault ? o.normalizeDefault(c.default, c) : c.default;
      const generated = c.generated !== undefined ? ` generated always as (${o.normalizeDefault ? o.normalizeDefault(c.generated, c) : c.generated}) stored` : '';
      lines.push(`  column ${c.name} ${type(c.type)}${c.nullable ? '' : ' not null'}${def !== undefined ? ` default ${def}` : ''}${generated}`);
    }
    if (t.primaryKey) lines.push(`  primary key (${t.primaryKey.columns.join(', ')})`);
    // Expressions and operator classes as the comparison takes them: spelled alike on both sides
    // where they are the same (`"b" IS NOT NULL` and `(b IS NOT NULL)`; an index type's default class).
    const expression = o.normalizeExpression ?? ((e: string) => e.replace(/\s+/g, ' '));
    for (const i of sorted(t.indexes, (i) => i.name)) {
      const method = i.using ?? 'btree';
      const using = method !== 'btree' ? ` using ${method}` : '';
      const keys = i.columns.map((k) => (typeof k !== 'string' && k.opclass && o.normalizeOpclass && o.normalizeOpclass(method, k.opclass) === undefined ? { ...k, opclass: undefined } : k));
      lines.push(`  ${i.unique ? 'unique ' : ''}index ${i.name}${using} (${keys.map(describeIndexKey).join(', ')})${i.where ? ` where ${expression(i.where)}` : ''}${i.invalid ? ' invalid (a failed build: it serves and enforces nothing)' : ''}`);
    }
    for (const u of sorted(t.uniques, (u) => u.name ?? u.columns.join())) lines.push(`  unique ${u.name ?? ''} (${u.columns.join(', ')})`);
    for (const f of sorted(t.foreignKeys, (f) => f.name ?? f.columns.join())) {
      lines.push(`  foreign key ${f.name ?? ''} (${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')}) on delete ${f.onDelete ?? 'NO ACTION'} on update ${f.onUpdate ?? 'NO ACTION'}`);
    }
    for (const c of sorted(t.checks, (c) => c.name ?? c.expression)) lines.push(`  check ${c.name ?? ''} (${expression(c.expression)})`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The SQL of one revision, upgrade or its downgrade, without connecting to the database: its
 * URL says which dialect's SQL to write.
 */
export async function sqlmigrate(project: Project, ref: string, options: { downgrade?: boolean } = {}): Promise<string> {
  if (!project.config.database) {
    throw new MigratorError(
      `sqlmigrate writes the SQL of the database's dialect, so it needs the database URL (it never connects): set "database" in ${project.config.file ?? 'migrator.config.ts'}, pass --database <url>, or set DATABASE_URL`,
      { code: 'CONFIG_INVALID' },
    );
  }
  const graph = project.graph;
  const ids = graph.resolveTarget(ref, []);
  if (ids.length !== 1) throw new MigratorError(`sqlmigrate needs exactly one revision; "${ref}" names ${ids.length ? ids.join(', ') : 'none'}`);
  const rev = graph.get(ids[0])!;
  try {
    if (options.downgrade) return await offlineSql(project, graph.downgradePlan([rev.id], { targets: rev.downRevisions, roots: [rev.id] }), [rev.id]);
    return await offlineSql(project, graph.upgradePlan(rev.downRevisions, [rev.id]), rev.downRevisions);
  } catch (error) {
    if (error instanceof MigratorError) throw error;
    throw new MigratorError(`sqlmigrate ${ref}: ${messageOf(error)}`, { cause: error });
  }
}

