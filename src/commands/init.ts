/** init: a config, a versions folder and the templates, in a project folder. */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_NAMES } from '../config/config.js';
import { MigratorError } from '../errors.js';
import { BUILTIN_TEMPLATES, TEMPLATE_NAME } from '../script/write.js';

const CONFIG = `import { defineConfig } from 'ts-migrator';

export default defineConfig({
  // DATABASE_URL from the environment or a .env file beside this config; else a SQLite file.
  database: process.env.DATABASE_URL || 'sqlite:./dev.db',
  models: ['src/entities/**/*.ts'],
  versions: 'versions',
  templates: 'templates',
});
`;

/** The commands to run next, once a project is set up: what `init` prints after the files. */
export const NEXT_STEPS = [
  'npx migrator makemigrations -m "create tables"',
  'npx migrator migrate',
  'npx migrator check',
];

/** Writes migrator.config.ts, versions/ and templates/ into `dir`; never overwrites. */
export function init(dir: string): string[] {
  const existing = CONFIG_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f));
  if (existing) throw new MigratorError(`${existing} already exists; this project is set up`);
  const created: string[] = [];
  const config = path.join(dir, 'migrator.config.ts');
  writeFileSync(config, CONFIG);
  created.push(config);
  for (const sub of ['versions', 'templates']) {
    const d = path.join(dir, sub);
    if (!existsSync(d)) {
      mkdirSync(d, { recursive: true });
      created.push(`${d}${path.sep}`);
    }
  }
  const template = path.join(dir, 'templates', TEMPLATE_NAME);
  if (!existsSync(template)) {
    copyFileSync(path.join(BUILTIN_TEMPLATES, TEMPLATE_NAME), template);
    created.push(template);
  }
  return created;
}
