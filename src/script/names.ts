/**
 * Revision file names, from the config's `fileTemplate` (Alembic's `file_template`). The graph
 * reads revision ids from file headers, never from names, so any template reads back the same,
 * and so do files named by an older template.
 */
import { MigratorError } from '../errors.js';

/** Creation order in `ls versions/`: a sortable UTC date first, then the id and the message. */
export const DEFAULT_FILE_TEMPLATE = '{date}_{rev}_{slug}';

const FIELDS = ['date', 'rev', 'slug'] as const;
const FIELD = /\{([^{}]*)\}/g;

/** The values a file template may use. */
export interface FileNameFields {
  id: string;
  message: string;
  createDate: Date;
}

/** `20261201_231736`: the UTC date and time, sortable as text. */
export function sortableDate(date: Date): string {
  const iso = date.toISOString(); // 2026-12-01T23:17:36.000Z
  return `${iso.slice(0, 10).replace(/-/g, '')}_${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** A file-name slug of a message: lower case, words joined by underscores, at most 40 characters. */
export function slugify(message: string): string {
  const slug = message
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug || 'revision';
}

/**
 * Checks a `fileTemplate` from the config (`where` names it): only known fields, `{rev}` among
 * them so every revision's file has a name of its own, and no folders.
 */
export function checkFileTemplate(template: string, where: string): void {
  const known = `the fields are ${FIELDS.map((f) => `{${f}}`).join(', ')}, e.g. '${DEFAULT_FILE_TEMPLATE}'`;
  for (const m of template.matchAll(FIELD)) {
    if (!(FIELDS as readonly string[]).includes(m[1])) throw new MigratorError(`${where} has the unknown field {${m[1]}}; ${known}`);
  }
  if (!template.includes('{rev}')) throw new MigratorError(`${where} must contain {rev}, so that every revision file has a name of its own; ${known}`);
  if (/[\\/]/.test(template)) throw new MigratorError(`${where} must be a file name, without folders (choose the folder with "versions" or --version-path); ${known}`);
  if (/\.(?:ts|mts|js|mjs)$/.test(template)) throw new MigratorError(`${where} must leave out the extension: .ts is added`);
}

/** The file name (with `.ts`) of a revision under `template`. */
export function revisionFileName(template: string, fields: FileNameFields): string {
  const values: Record<(typeof FIELDS)[number], string> = {
    date: sortableDate(fields.createDate),
    rev: fields.id,
    slug: slugify(fields.message),
  };
  return `${template.replace(FIELD, (_, name: (typeof FIELDS)[number]) => values[name])}.ts`;
}
