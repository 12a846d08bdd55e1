/**
 * The datasource and generator blocks of a Prisma schema (over all its files): the provider, the
 * name native types are prefixed with (`@db.`), relationMode, PostgreSQL extensions, and the
 * preview features the generators enable. What migrator cannot build (multi-schema) is an error.
 */
import type { Assignment, Block, Func, Value } from '@mrleebo/prisma-ast';
import type { Extension } from '../../schema/schema.js';
import { isFunc, readArgs, show, stringArg, stringLiteral } from './args.js';
import { fail, lineOf, type Where } from './errors.js';
import { providerNamed, providerNames, type PrismaProvider } from './providers/index.js';

export interface PrismaConfig {
  provider: PrismaProvider;
  /** The datasource block that declares the provider, for messages about it. */
  providerAt: Where;
  /** The datasource block's name: native type attributes are `@<name>.VarChar(…)`. */
  datasourceName: string;
  /** `relationMode = "prisma"`: Prisma Client emulates relations, the database gets no foreign keys. */
  emulatedRelations: boolean;
  extensions: Extension[];
  /** Preview features of all generators, lower-cased (Prisma matches them so). */
  previewFeatures: Set<string>;
}

/** The blocks of every file that configure the schema, with the file each is in. */
export interface ConfigBlocks {
  datasources: { block: Extract<Block, { type: 'datasource' }>; file: string }[];
  generators: { block: Extract<Block, { type: 'generator' }>; file: string }[];
}

function assignments(block: { assignments: unknown[] }): Assignment[] {
  return block.assignments.filter((a): a is Assignment => (a as Assignment).type === 'assignment');
}

/** prisma-ast records a location on assignments too, though its types do not say so. */
const at = (file: string, node: object): Where => ({ file, line: lineOf(node as { location?: { startLine?: number } }) });

/** Reads the configuration; `firstFile` is named when there is no datasource at all. */
export function readConfig(blocks: ConfigBlocks, firstFile: string): PrismaConfig {
  if (blocks.datasources.length === 0) fail({ file: firstFile }, 'no datasource block with a provider; add `datasource db { provider = "postgresql" }` (or "sqlite", "mysql")');
  if (blocks.datasources.length > 1) {
    const second = blocks.datasources[1];
    fail(at(second.file, second.block), `a second datasource block "${second.block.name}"; Prisma allows one datasource per schema`);
  }
  const { block: ds, file } = blocks.datasources[0];
  const values = new Map(assignments(ds).map((a) => [a.key, a]));
  const providerAssignment = values.get('provider');
  const providerAt: Where = at(file, ds);
  if (!providerAssignment) fail(providerAt, `the datasource "${ds.name}" has no provider; add provider = "postgresql" (or "sqlite", "mysql")`);
  const providerText = stringLiteral(providerAssignment.value);
  if (providerText === undefined) fail(providerAt, `the provider of datasource "${ds.name}" must be a string such as "postgresql" (got ${show(providerAssignment.value)})`);
  const provider = providerNamed(providerText);
  if (!provider) fail(providerAt, `datasource provider "${providerText}" is not supported; use ${providerNames()}`);

  const previewFeatures = new Set<string>();
  for (const { block, file: gFile } of blocks.generators) {
    const features = assignments(block).find((a) => a.key === 'previewFeatures');
    if (!features) continue;
    for (const f of stringList(features.value, at(gFile, features))) previewFeatures.add(f.toLowerCase());
  }

  // Multi-schema places tables in named schemas; migrator's neutral model has none yet.
  const schemas = values.get('schemas');
  if (schemas) {
    const where = at(file, schemas);
    const names = stringList(schemas.value, where);
    // One schema named: what it asks for is where the URL puts the tables.
    if (names.length === 1) {
      fail(where, `multi-schema (\`schemas = [...]\`, \`@@schema\`) is not supported by migrator yet; for the one schema "${names[0]}", remove \`schemas\` and each \`@@schema\`, and name the schema in the database URL (\`?schema=${names[0]}\`): migrator creates the tables in the URL's schema`);
    }
    fail(where, 'multi-schema (`schemas = [...]`, `@@schema`) is not supported by migrator yet: its tables would all land in one schema; remove it or keep this schema with Prisma Migrate');
  }

  const mode = values.get('relationMode') ?? values.get('referentialIntegrity');
  let emulatedRelations = false;
  if (mode) {
    const value = stringLiteral(mode.value);
    if (value !== 'prisma' && value !== 'foreignKeys') fail(at(file, mode), `relationMode ${show(mode.value)} is not one Prisma knows; use "prisma" or "foreignKeys"`);
    emulatedRelations = value === 'prisma';
  }

  const extensions: Extension[] = [];
  const ext = values.get('extensions');
  if (ext) {
    const where = at(file, ext);
    if (!provider.extensions) fail(where, `the \`extensions\` property is PostgreSQL’s; Prisma does not know it for ${provider.name} — remove it`);
    if (!previewFeatures.has('postgresqlextensions')) {
      fail(where, 'the `extensions` property is only available with the `postgresqlExtensions` preview feature; add previewFeatures = ["postgresqlExtensions"] to a generator block');
    }
    extensions.push(...readExtensions(ext.value, where));
  }
  return { provider, providerAt, datasourceName: ds.name, emulatedRelations, extensions, previewFeatures };
}

function stringList(v: Value, where: Where): string[] {
  const items = typeof v === 'object' && v !== null && !Array.isArray(v) && v.type === 'array' ? (v.args ?? []) : [v];
  return items.map((x) => {
    const s = stringLiteral(x);
    if (s === undefined) fail(where, `previewFeatures must list strings, e.g. ["views"] (got ${show(x)})`);
    return s;
  });
}

/** `[pg_trgm, citext(schema: "public"), uuid_ossp(map: "uuid-ossp")]` → extensions by their database name. */
function readExtensions(v: Value, where: Where): Extension[] {
  const byPrismaName = new Map<string, Extension>();
  const items = typeof v === 'object' && v !== null && !Array.isArray(v) && v.type === 'array' ? (v.args ?? []) : [v];
  for (const item of items) {
    const prismaName = isFunc(item) ? item.name : String(item);
    if (prismaName.includes('-')) fail(where, `extension ${prismaName}: Prisma does not allow - in extension names; write ${prismaName.replace(/-/g, '_')}(map: "${prismaName}")`);
    if (isFunc(item)) {
      const args = readArgs((item as Func).params, { names: ['map', 'schema', 'version'] }, `extension ${item.name}`, where);
      const name = stringArg(args.get('map'), `the map of extension ${item.name}`, where) ?? item.name;
      const schema = stringArg(args.get('schema'), `the schema of extension ${item.name}`, where);
      const version = stringArg(args.get('version'), `the version of extension ${item.name}`, where);
      // A later entry for the same extension replaces an earlier one, as in Prisma.
      byPrismaName.set(item.name, schema === undefined && version === undefined ? name : { name, ...(schema !== undefined ? { schema } : {}), ...(version !== undefined ? { version } : {}) });
    } else {
      if (typeof item !== 'string' || !/^[A-Za-z][\w-]*$/.test(item)) fail(where, `extensions must list names, e.g. [pg_trgm, citext(schema: "public")] (got ${show(item)})`);
      byPrismaName.set(item, item);
    }
  }
  return [...byPrismaName.values()];
}
