/** current, heads, history, showmigrations, show: commands that only read. */
import type { Project } from '../project.js';
import type { Revision } from '../revisions/graph.js';

export interface RevisionInfo {
  id: string;
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  message?: string;
  path?: string;
  isHead: boolean;
  isBase: boolean;
  isMerge: boolean;
}

function info(project: Project, r: Revision): RevisionInfo {
  const graph = project.graph;
  return {
    id: r.id,
    downRevisions: r.downRevisions,
    branchLabels: r.branchLabels,
    dependsOn: r.dependsOn,
    message: r.message,
    path: r.path,
    isHead: graph.childrenOf(r.id).length === 0,
    isBase: r.downRevisions.length === 0,
    isMerge: r.downRevisions.length > 1,
  };
}

/** The revisions the database is at (the version table's rows). */
export async function current(project: Project): Promise<RevisionInfo[]> {
  const versions = project.versionTable();
  const heads = await project.withConnection((conn) => versions.heads(conn), { mustExist: true });
  return heads.map((h) => {
    const r = project.graph.get(h);
    return r ? info(project, r) : { id: h, downRevisions: [], branchLabels: [], dependsOn: [], isHead: false, isBase: false, isMerge: false };
  });
}

export function heads(project: Project): RevisionInfo[] {
  return project.graph.heads.map((r) => info(project, r));
}

/** Revisions newest first; `range` is `a:b` (either side may be left out). */
export function history(project: Project, range?: string): RevisionInfo[] {
  const graph = project.graph;
  let ids = new Set(graph.revisions.map((r) => r.id));
  if (range) {
    const [lower, upper] = range.includes(':') ? range.split(':', 2) : [range, ''];
    if (upper) ids = graph.ancestors(graph.resolveTarget(upper, []));
    if (lower && lower !== 'base') {
      const below = graph.ancestors(graph.resolveTarget(lower, []));
      const keep = graph.descendants(graph.resolveTarget(lower, []));
      ids = new Set([...ids].filter((id) => keep.has(id) || (below.has(id) && graph.resolveTarget(lower, []).includes(id))));
    }
  }
  return graph.topological(ids).reverse().map((r) => info(project, r));
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
  const versions = project.versionTable();
  const dbHeads = await project.withConnection((conn) => versions.heads(conn), { readOnly: true });
  const applied = graph.ancestors(dbHeads.filter((h) => graph.get(h)));
  return graph.topological(new Set(graph.revisions.map((r) => r.id))).map((r) => ({ ...info(project, r), applied: applied.has(r.id) }));
}
