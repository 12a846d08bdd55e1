/**
 * The `.env` file beside the config, as Prisma and drizzle users expect: its variables are set
 * before the config is loaded (a config may read `process.env.DATABASE_URL`), and a variable the
 * environment already has — even empty — is kept, so the shell and CI always win.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { MigratorError, messageOf } from '../errors.js';

export const ENV_FILE = '.env';

/**
 * Sets into each of `envs` the variables of `<dir>/.env` it does not have; returns the file's
 * path when there is one. Parsed by Node's own `util.parseEnv` (Node 20.12+), dotenv's syntax.
 */
export function loadEnvFile(dir: string, envs: readonly NodeJS.ProcessEnv[]): string | undefined {
  const file = path.join(dir, ENV_FILE);
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MigratorError(`cannot read ${file}: ${messageOf(error)}; fix its permissions or remove it`, { cause: error });
  }
  const values = parseEnv(text);
  for (const env of new Set(envs)) {
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && !Object.prototype.hasOwnProperty.call(env, key)) env[key] = value;
    }
  }
  return file;
}
