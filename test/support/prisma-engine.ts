/**
 * Prisma's own schema engine (@prisma/schema-engine-wasm, WebAssembly, a pinned devDependency)
 * at test time, with no network and no database: `prismaMigrateSql` gives the SQL that
 * `prisma migrate diff --from-empty --to-schema <files> --script` writes, or Prisma's validation
 * error as a PrismaSchemaRejected.
 *
 * The package's entry imports its .wasm as an ES module (which Node 20 only does behind a flag),
 * so the module is instantiated by hand. The engine insists on a driver adapter and asks it one
 * question when it starts (PostgreSQL: does the schema exist, which server version); a diff from
 * empty to a schema takes the SQL dialect from the schema's datasource and touches the adapter no
 * more. The stub below answers that question and refuses anything else.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
type Engine = Awaited<ReturnType<Bindings['SchemaEngine']['new']>>;

/** Prisma rejected the schema: its error code (P1012) and message, as the CLI prints them. */
export class PrismaSchemaRejected extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PrismaSchemaRejected';
  }
}

let bindings: Promise<Bindings> | undefined;

async function load(): Promise<Bindings> {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasm = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  // Where the engine files a panic's message before it throws.
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: object }).PRISMA_WASM_PANIC_REGISTRY ??= { set_message() {} };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: { kind: 'GenericJs'; id: number; message: string } };
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const refuse = (what: string): Result<never> => ({ ok: false, error: { kind: 'GenericJs', id: 0, message: `the test stub adapter cannot ${what}` } });

/** A driver adapter factory (the engine's "error capturing" shape) that only answers the start-up query. */
function stubAdapterFactory(provider: 'postgres' | 'sqlite'): object {
  const adapter = {
    provider,
    adapterName: 'migrator-test-stub',
    getConnectionInfo: () => ok({ schemaName: undefined, supportsRelationJoins: true }),
    async queryRaw(query: { sql: string }) {
      if (/server_version_num/.test(query.sql)) {
        return ok({ columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0], rows: [[true, 'PostgreSQL 15.0 (stub)', 150000]] });
      }
      if (/sqlite_version/.test(query.sql)) return ok({ columnNames: ['version'], columnTypes: [7], rows: [['3.45.0']] });
      return refuse(`run ${query.sql}`);
    },
    executeRaw: async (query: { sql: string }) => refuse(`run ${query.sql}`),
    executeScript: async () => refuse('run scripts'),
    startTransaction: async () => refuse('open transactions'),
    dispose: async () => ok(undefined),
  };
  return { provider, adapterName: adapter.adapterName, connect: async () => ok(adapter), connectToShadowDb: async () => ok(adapter) };
}

const engines = new Map<string, Promise<Engine>>();

function engineFor(provider: 'postgres' | 'sqlite'): Promise<Engine> {
  let engine = engines.get(provider);
  if (!engine) {
    engine = (bindings ??= load()).then((bg) => bg.SchemaEngine.new({ datamodels: undefined }, () => undefined, stubAdapterFactory(provider)));
    engines.set(provider, engine);
  }
  return engine;
}

/** The engine's git hash, e.g. to name it in a message. */
export async function prismaEngineVersion(): Promise<string> {
  return (await (bindings ??= load())).version();
}

/**
 * The SQL Prisma Migrate writes to create the schema made of `files` (name → text) from an empty
 * database. Throws PrismaSchemaRejected when Prisma rejects the schema.
 */
export async function prismaMigrateSql(files: Record<string, string>): Promise<string> {
  const provider = Object.values(files).some((text) => /provider\s*=\s*"sqlite"/.test(text)) ? 'sqlite' : 'postgres';
  const engine = await engineFor(provider);
  try {
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: Object.entries(files).map(([path, content]) => ({ path, content })) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e?.code) throw new PrismaSchemaRejected(e.code, String(e.message));
    throw error;
  }
}
