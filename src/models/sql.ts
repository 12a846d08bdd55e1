/** Small SQL spellings the model readers share. */
import { quoteIdentifier } from '../dialects/dialect.js';

/** A type name as PostgreSQL's format_type() prints it: quoted unless plain lower case. */
export function pgTypeName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdentifier(name);
}
