/** Errors in a Prisma schema: one line, naming `file:line`. */
import { MigratorError } from '../../errors.js';

export class PrismaError extends MigratorError {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'PrismaError';
  }
}

/** The first line of a prisma-ast node, when it has a location. */
export const lineOf = (node: { location?: { startLine?: number } } | undefined): number | undefined => node?.location?.startLine;

/** Where something is in a schema: the file, and the line to name in a message. */
export interface Where {
  file: string;
  line?: number;
}

/** Throws a PrismaError at `where`. */
export function fail(where: Where, message: string): never {
  throw new PrismaError(where.file, where.line, message);
}
