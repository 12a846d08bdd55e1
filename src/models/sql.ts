/** Small SQL spellings the model readers share. */

/** A string as an SQL literal, quotes doubled. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A type name as PostgreSQL's format_type() prints it: quoted unless plain lower case. */
export function pgTypeName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
