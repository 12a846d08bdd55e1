/** How MySQL and MariaDB quote names and strings. */

/** An identifier in backticks, with embedded backticks doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * A string literal in single quotes, embedded quotes doubled and backslashes doubled (MySQL reads
 * a backslash in a literal as an escape; connections turn NO_BACKSLASH_ESCAPES off, so this
 * reads the same everywhere).
 */
export function quoteMysqlLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
