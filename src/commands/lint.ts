/** lint: the rules of src/lint over a range of revisions, with row counts from the database. */
import type { Connection } from '../dialects/dialect.js';
import { MigratorError } from '../errors.js';
import { lintRevisions, type LintFinding } from '../lint/lint.js';
import type { Project } from '../project.js';
import type { Revision } from '../revisions/graph.js';

export interface LintCommandOptions {
  /** `a:b` (both ends included, either may be left out) or one revision (`heads`, an id, a label). */
  range?: string;
  /** Leave the database alone even when one is configured. */
  offline?: boolean;
}

export interface LintResult {
  findings: LintFinding[];
  ignored: number;
  /** The revisions linted, oldest first. */
  revisions: string[];
  /** What was linted, for the summary: "not applied to <database>", "head revisions", "range a:b". */
  scope: string;
}

/** The revisions a range names, oldest first. */
function revisionsIn(project: Project, range: string): Revision[] {
  const graph = project.graph;
  if (range.includes(':')) return graph.inRange(range);
  const ids = graph.resolveTarget(range, []);
  if (ids.length === 0) throw new MigratorError(`"${range}" names no revision to lint; give a revision, heads, or a range a:b`);
  return graph.topological(new Set(ids));
}

/**
 * Lints revisions: those in `range`; else, with a database, those it has not applied; else the
 * heads. With a database, findings about rows say how many there are.
 */
export async function lint(project: Project, options: LintCommandOptions = {}): Promise<LintResult> {
  const graph = project.graph;
  const dialect = project.config.database === undefined ? undefined : project.dialect;
  const explicit = options.range !== undefined ? revisionsIn(project, options.range) : undefined;
  const run = async (conn?: Connection): Promise<LintResult> => {
    let revisions: Revision[];
    let scope: string;
    let applied = new Set<string>();
    if (conn) {
      const versions = project.versionTable();
      const dbHeads = await versions.heads(conn);
      for (const h of dbHeads) {
        if (!graph.knows(h)) throw new MigratorError(`the database ${project.target.display} is at revision ${h}, which no file in ${project.config.versions.join(', ')} defines; restore the file, or lint without the database: migrator lint --offline`, { code: 'UNKNOWN_REVISION', data: { ref: h } });
      }
      applied = graph.ancestors(dbHeads);
      // What migrate would run: for a database inside a squashed range, the rest of the old files.
      revisions = explicit ?? graph.plan('up', dbHeads, 'heads').filter((p) => !p.step.stampOnly).map((p) => p.step.revision);
      scope = explicit ? `range ${options.range}` : `not applied to ${project.target.display}`;
    } else {
      revisions = explicit ?? graph.topological(new Set(graph.heads.map((h) => h.id)));
      scope = explicit ? `range ${options.range}` : 'head revisions';
      if (!dialect) scope += '; no database configured, so only the rules common to all dialects ran';
    }
    const report = await lintRevisions(graph, revisions, {
      dialect,
      ...(conn ? { database: { conn, applied, exclude: project.versionTable().tables } } : {}),
    });
    return { ...report, revisions: revisions.map((r) => r.id), scope };
  };
  if (options.offline || !dialect) return run();
  let conn: Connection;
  try {
    conn = await project.connect({ readOnly: true });
  } catch (error) {
    if (!(error instanceof MigratorError)) throw error;
    throw new MigratorError(`${error.message}; to lint without the database: migrator lint --offline`, { cause: error });
  }
  try {
    return await run(conn);
  } finally {
    await conn.close();
  }
}
