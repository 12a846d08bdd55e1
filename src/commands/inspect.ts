/** current, heads, history, showmigrations, show: commands that only read. */
import type { Project } from '../project.js';
import type { Revision } from '../revisions/graph.js';
import { refuseUnknownRows } from './unknown-revisions.js';

export interface RevisionInfo {
  id: string;
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  message?: string;
  path?: string;
  /** For a squash: the revisions it replaces. */
  replaces: string[];
  /** For a version-table row that a squash replaces: that squash. */
  replacedBy?: string;
  isHead: boolean;
  isBase: boolean;
  isMerge: boolean;
  isBranchPoint: boolean;
}

function info(project: Project, r: Revision): RevisionInfo {
  const graph = project.graph;
  const children = graph.childrenOf(r.id).length;
  return {
    id: r.id,
    downRevisions: r.downRevisions,
    branchLabels: r.branchLabels,
    dependsOn: r.dependsOn,
    message: r.message,
    path: r.path,
    replaces: r.replaces ?? [],
    isHead: children === 0,
    isBase: r.downRevisions.length === 0,
    isMerge: r.downRevisions.length > 1,
    isBranchPoint: children > 1,
  };
}

/** The version table's rows, or none when the database has no version table yet. */
export async function databaseHeads(project: Project): Promise<string[]> {
  const versions = project.versionTable();
  return project.withConnection((conn) => versions.heads(conn), { readOnly: true });
}

/**
 * The version table's rows, to mark the revisions applied (`history -i`): an error naming the
 * database and the rows no file defines, whose place in the graph is not known.
 */
export async function appliedHeads(project: Project): Promise<string[]> {
  const rows = await databaseHeads(project);
  refuseUnknownRows(project, rows);
  return rows;
}

/** The revisions the database is at (the version table's rows). */
export async function current(project: Project): Promise<RevisionInfo[]> {
  const versions = project.versionTable();
  const heads = await project.withConnection((conn) => versions.heads(conn), { mustExist: true });
  const graph = project.graph;
  return heads.map((h) => {
    const r = graph.get(h);
    if (r) return info(project, r);
    // A row a squash replaces is shown as it is, with the squash that stands for it.
    const file = graph.replacedRevision(h);
    const squash = graph.replacedBy(h);
    return {
      id: h,
      downRevisions: file?.downRevisions ?? [],
      branchLabels: [],
      dependsOn: [],
      message: file?.message,
      path: file?.path,
      replaces: [],
      ...(squash ? { replacedBy: squash.id } : {}),
      isHead: false,
      isBase: false,
      isMerge: false,
      isBranchPoint: false,
    };
  });
}

/** The heads of the revision files; with `resolveDependencies`, less those another revision depends on. */
export function heads(project: Project, options: { resolveDependencies?: boolean } = {}): RevisionInfo[] {
  const graph = project.graph;
  return (options.resolveDependencies ? graph.resolvedHeads : graph.heads).map((r) => info(project, r));
}

export interface BranchInfo extends RevisionInfo {
  children: RevisionInfo[];
}

/** Branch points: revisions with more than one child, and those children. */
export function branches(project: Project): BranchInfo[] {
  const graph = project.graph;
  return graph.branchPoints.map((r) => ({ ...info(project, r), children: graph.childrenOf(r.id).map((c) => info(project, c)) }));
}

/** Revisions newest first; `range` is `a:b`, both ends included (either may be left out). */
export function history(project: Project, range?: string): RevisionInfo[] {
  return project.graph.inRange(range).reverse().map((r) => info(project, r));
}

export function show(project: Project, ref: string): RevisionInfo {
  const graph = project.graph;
  const ids = graph.resolveTarget(ref, []);
  return info(project, graph.get(ids[0] ?? ref) ?? graph.lookup(ref));
}

export interface MigrationStatus extends RevisionInfo {
  applied: boolean;
}

/** Every revision, oldest first, with whether the database has it applied. */
export async function showmigrations(project: Project): Promise<MigrationStatus[]> {
  const graph = project.graph;
  const dbHeads = await databaseHeads(project);
  const applied = graph.appliedBelow(dbHeads);
  return graph.topological(new Set(graph.revisions.map((r) => r.id))).map((r) => ({ ...info(project, r), applied: applied.has(r.id) }));
}
