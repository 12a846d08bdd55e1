/** Writing revision files from the Handlebars template. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type HandlebarsType from 'handlebars';
import { MigratorError } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import { renderComments, renderOperation, tsString } from '../operations/render.js';
import { commentLines } from './comment.js';
import { DEFAULT_FILE_TEMPLATE, revisionFileName } from './names.js';

export const TEMPLATE_NAME = 'revision.ts.hbs';

/** The built-in templates folder, shipped with the package. */
export const BUILTIN_TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

/** A new revision id: 12 lowercase hex characters. */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

export { slugify } from './names.js';

export interface RevisionSource {
  id: string;
  message: string;
  downRevisions: string[];
  branchLabels?: string[];
  dependsOn?: string[];
  /** For a squash: the revisions it replaces, oldest first. */
  replaces?: string[];
  upgrade: readonly Operation[];
  downgrade: readonly Operation[];
  createDate: Date;
  /** Comment lines to write above upgrade operations, by the operation's position. */
  upgradeComments?: readonly (readonly string[] | undefined)[];
}

function literalList(xs: readonly string[] | undefined): string {
  if (!xs || xs.length === 0) return 'null';
  return `[${xs.map(tsString).join(', ')}]`;
}

const compiled = new Map<string, HandlebarsType.TemplateDelegate>();

function template(templatesDir: string | undefined): HandlebarsType.TemplateDelegate {
  const own = templatesDir ? path.join(templatesDir, TEMPLATE_NAME) : undefined;
  const file = own && existsSync(own) ? own : path.join(BUILTIN_TEMPLATES, TEMPLATE_NAME);
  let t = compiled.get(file);
  if (!t) {
    // Loaded on first use: only commands that write revision files need it.
    const Handlebars = createRequire(import.meta.url)('handlebars') as typeof HandlebarsType;
    t = Handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: false });
    compiled.set(file, t);
  }
  return t;
}

/**
 * The source text of a revision file. Templates get the message three ways: `messageLines` for
 * the doc comment, `messageLiteral` as a string literal of the exact text, and `message` as given.
 */
export function renderRevision(source: RevisionSource, templatesDir?: string): string {
  const down = source.downRevisions;
  const replaces = source.replaces ?? [];
  const text = template(templatesDir)({
    message: source.message,
    messageLines: commentLines(source.message),
    messageLiteral: tsString(source.message),
    revision: source.id,
    revises: down.length ? down.join(', ') : '<base>',
    createDate: source.createDate.toISOString(),
    revisionLiteral: tsString(source.id),
    downRevisionLiteral: down.length === 0 ? 'null' : down.length === 1 ? tsString(down[0]) : literalList(down),
    branchLabelsLiteral: literalList(source.branchLabels),
    dependsOnLiteral: literalList(source.dependsOn),
    replaces: replaces.length > 0,
    replacesLiteral: literalList(replaces),
    upgrade: source.upgrade.map((op, i) => `  ${renderComments(source.upgradeComments?.[i], '  ')}${renderOperation(op, '  ')}`).join('\n'),
    downgrade: source.downgrade.map((op) => `  ${renderOperation(op, '  ')}`).join('\n'),
  });
  if (replaces.length === 0 || /^export\s+const\s+replaces\b/m.test(text)) return text;
  // A project's own template written before squashes existed: the header goes after downRevision.
  const header = `export const replaces: string[] = ${literalList(replaces)};`;
  const at = /^export\s+const\s+downRevision\b.*$/m.exec(text);
  if (!at) throw new MigratorError(`the revision template in ${templatesDir ?? BUILTIN_TEMPLATES} writes no \`export const downRevision\` line; a squash needs one, and \`export const replaces = {{replacesLiteral}};\``);
  return `${text.slice(0, at.index + at[0].length)}\n${header}${text.slice(at.index + at[0].length)}`;
}

/**
 * Writes a revision file into `dir`, named by `fileTemplate` (the config's); returns its path.
 * Never overwrites a file.
 */
export function writeRevision(dir: string, source: RevisionSource, templatesDir?: string, fileTemplate = DEFAULT_FILE_TEMPLATE): string {
  const file = path.join(dir, revisionFileName(fileTemplate, source));
  const text = renderRevision(source, templatesDir);
  mkdirSync(dir, { recursive: true });
  try {
    // `wx`: a file that appeared since the graph was read is never overwritten.
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new MigratorError(`${file} already exists; choose another --rev-id`, { cause: error });
    throw error;
  }
  return file;
}
