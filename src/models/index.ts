/** Model sources → the neutral Schema. */
import { globSync } from 'tinyglobby';
import { MigratorError } from '../errors.js';
import type { Schema } from '../schema/schema.js';
import { readEntityFiles } from './typescript/reader.js';

/** The model files the globs match, sorted, so the same project always reads the same way. */
export function modelFiles(globs: readonly string[]): string[] {
  const files = globSync([...globs], { absolute: true, onlyFiles: true, expandDirectories: false });
  return [...new Set(files)].filter((f) => !f.endsWith('.d.ts')).sort();
}

/** Reads the models of a project for `dialect`. */
export function readModels(globs: readonly string[], dialect: string, configFile = 'migrator.config.ts'): Schema {
  if (globs.length === 0) throw new MigratorError(`no "models" in ${configFile}; list your entity files, e.g. models: ['src/entities/**/*.ts']`);
  const files = modelFiles(globs);
  if (files.length === 0) throw new MigratorError(`no model files match ${globs.join(', ')} (from ${configFile})`);
  const prisma = files.find((f) => f.endsWith('.prisma'));
  if (prisma) throw new MigratorError(`${prisma}: Prisma schemas are not supported by this version of migrator yet`);
  return readEntityFiles(files.filter((f) => /\.(c|m)?tsx?$/.test(f)), dialect);
}
