/** migrator's own version, as the installed package.json says. */
import { readFileSync } from 'node:fs';
import { MigratorError } from './errors.js';

let cached: string | undefined;

/**
 * The version in the package.json of the installed package (`dist/version.js` → `../package.json`),
 * read once when first asked for, so that it is always the one installed.
 */
export function packageVersion(): string {
  if (cached) return cached;
  const file = new URL('../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || !version) throw new MigratorError(`${file.pathname} names no "version"`);
  return (cached = version);
}
