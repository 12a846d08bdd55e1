/**
 * A database whose version table holds revisions no file defines: applied from another branch or
 * another copy of the project, or whose file was deleted since. A command that must place the
 * database in the revision graph cannot, and says so naming the revisions, the database and what
 * to do.
 */
import { MigratorError } from '../errors.js';
import type { Project } from '../project.js';
import { goneAdvice } from '../runner/history.js';

/** The version-table rows no revision file defines (nor a squash's replaces list), in their order. */
export function unknownRows(project: Project, rows: readonly string[]): string[] {
  return rows.filter((h) => !project.graph.knows(h));
}

/** The error of a command that needs to know where the database is when rows `ids` are unknown. */
export function unknownRowsError(project: Project, ids: readonly string[]): MigratorError {
  const one = ids.length === 1;
  return new MigratorError(
    `the database ${project.target.display} is at ${one ? 'revision' : 'revisions'} ${ids.join(', ')}, which no file in ${project.config.versions.join(', ')} defines ` +
      `(applied from another branch or copy of the project, or ${one ? 'its file' : 'their files'} deleted since); ${goneAdvice(ids.length)}`,
    { code: 'UNKNOWN_REVISION', data: { ref: ids[0] } },
  );
}

/** Refuses to go on when the version-table rows `rows` hold revisions no file defines. */
export function refuseUnknownRows(project: Project, rows: readonly string[]): void {
  const unknown = unknownRows(project, rows);
  if (unknown.length) throw unknownRowsError(project, unknown);
}
