// Prisma's schema engine (@prisma/schema-engine-wasm) doing what `prisma migrate diff
// --from-config-datasource --to-schema <schema> --script` does: read the live PostgreSQL database,
// compare it with a Prisma schema and print the SQL of the difference. Run as its own process by
// peers-generate.mjs, so that it is timed as a command, like migrator's CLI.
//
//   node bench/prisma-diff.mjs <schema.prisma> <database url>
//
// The schema's datasource block must have no url (Prisma 7 refuses one).
// The wasm engine talks to the database only through a driver adapter; the one below is a small
// adapter over `pg` (a dependency of migrator) in the engine's "error capturing" shape: each call
// answers { ok: true, value } or { ok: false, error }. PRISMA_DIFF_DEBUG=1 prints each query.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const debug = !!process.env.PRISMA_DIFF_DEBUG;

async function loadEngine() {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasm = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  // Where the engine files a panic's message before it throws.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { set_message() {} };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg;
}

// The driver adapters' column types (ColumnTypeEnum of @prisma/driver-adapter-utils).
const T = { Int32: 0, Int64: 1, Float: 2, Double: 3, Numeric: 4, Boolean: 5, Character: 6, Text: 7, Date: 8, Time: 9, DateTime: 10, Json: 11, Bytes: 13, Uuid: 15 };
const A = { Int32Array: 64, Int64Array: 65, FloatArray: 66, DoubleArray: 67, NumericArray: 68, BooleanArray: 69, CharacterArray: 70, TextArray: 71 };

// PostgreSQL type oid -> [column type, how to turn the text value into what the engine reads].
const asText = (s) => s;
const asInt = (s) => Number.parseInt(s, 10);
const asFloat = (s) => Number.parseFloat(s);
const asBool = (s) => s === 't';
/** A one-dimensional array literal ({a,"b c",NULL}) into its elements. */
function parseArray(text, element) {
  const out = [];
  let i = 1;
  while (i < text.length - 1) {
    let value;
    if (text[i] === '"') {
      let s = '';
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') i++;
        s += text[i++];
      }
      i++;
      value = element(s);
    } else {
      let j = i;
      while (j < text.length - 1 && text[j] !== ',') j++;
      const raw = text.slice(i, j);
      value = raw === 'NULL' ? null : element(raw);
      i = j;
    }
    out.push(value);
    if (text[i] === ',') i++;
  }
  return out;
}
const arrayOf = (element) => (s) => parseArray(s, element);
const vector = (s) => (s === '' ? [] : s.split(' ').map(asInt)); // int2vector, oidvector
const TYPES = new Map([
  [16, [T.Boolean, asBool]],
  [17, [T.Bytes, asText]],
  [18, [T.Character, asText]],
  [19, [T.Text, asText]],
  [20, [T.Int64, asText]],
  [21, [T.Int32, asInt]],
  [22, [A.Int32Array, vector]],
  [23, [T.Int32, asInt]],
  [26, [T.Int64, asText]],
  [30, [A.Int64Array, (s) => (s === '' ? [] : s.split(' '))]],
  [114, [T.Json, asText]],
  [700, [T.Float, asFloat]],
  [701, [T.Double, asFloat]],
  [1000, [A.BooleanArray, arrayOf(asBool)]],
  [1002, [A.CharacterArray, arrayOf(asText)]],
  [1003, [A.TextArray, arrayOf(asText)]],
  [1005, [A.Int32Array, arrayOf(asInt)]],
  [1007, [A.Int32Array, arrayOf(asInt)]],
  [1009, [A.TextArray, arrayOf(asText)]],
  [1014, [A.TextArray, arrayOf(asText)]],
  [1015, [A.TextArray, arrayOf(asText)]],
  [1016, [A.Int64Array, arrayOf(asText)]],
  [1021, [A.FloatArray, arrayOf(asFloat)]],
  [1022, [A.DoubleArray, arrayOf(asFloat)]],
  [1028, [A.Int64Array, arrayOf(asText)]],
  [1082, [T.Date, asText]],
  [1083, [T.Time, asText]],
  [1114, [T.DateTime, asText]],
  [1184, [T.DateTime, asText]],
  [1231, [A.NumericArray, arrayOf(asText)]],
  [1700, [T.Numeric, asText]],
  [2950, [T.Uuid, asText]],
  [3802, [T.Json, asText]],
]);

const ok = (value) => ({ ok: true, value });
const failure = (e) => ({ ok: false, error: { kind: 'postgres', code: e.code ?? '', severity: e.severity ?? 'ERROR', message: e.message, detail: e.detail, column: e.column, hint: e.hint } });

/** Every value comes back as its text; the adapter converts it by the column's type. */
const rawTypes = { getTypeParser: () => (s) => s };

function queryable(client, provider) {
  const run = async (query) => {
    if (debug) console.error(`-- query: ${query.sql.replace(/\s+/g, ' ').slice(0, 300)} ${JSON.stringify(query.args)}`);
    return client.query({ text: query.sql, values: query.args, types: rawTypes, rowMode: 'array' });
  };
  return {
    provider,
    adapterName: 'migrator-bench-pg',
    async queryRaw(query) {
      try {
        const r = await run(query);
        const types = r.fields.map((f) => TYPES.get(f.dataTypeID) ?? [T.Text, asText]);
        if (debug) console.error(`   columns: ${r.fields.map((f) => `${f.name}:${f.dataTypeID}`).join(', ')}; ${r.rows.length} rows`);
        return ok({
          columnNames: r.fields.map((f) => f.name),
          columnTypes: types.map(([t]) => t),
          rows: r.rows.map((row) => row.map((v, i) => (v === null ? null : types[i][1](v)))),
          lastInsertId: undefined,
        });
      } catch (e) {
        return failure(e);
      }
    },
    async executeRaw(query) {
      try {
        return ok((await run(query)).rowCount ?? 0);
      } catch (e) {
        return failure(e);
      }
    },
  };
}

function adapterFactory(url) {
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const q = queryable(client, 'postgres');
    return ok({
      ...q,
      getConnectionInfo: () => ok({ schemaName: undefined, supportsRelationJoins: true }),
      async executeScript(script) {
        try {
          await client.query(script);
          return ok(undefined);
        } catch (e) {
          return failure(e);
        }
      },
      async startTransaction() {
        try {
          await client.query('BEGIN');
        } catch (e) {
          return failure(e);
        }
        const end = (sql) => async () => {
          try {
            await client.query(sql);
            return ok(undefined);
          } catch (e) {
            return failure(e);
          }
        };
        return ok({ ...q, options: { usePhantomQuery: false }, commit: end('COMMIT'), rollback: end('ROLLBACK') });
      },
      async dispose() {
        await client.end();
        return ok(undefined);
      },
    });
  };
  return { provider: 'postgres', adapterName: 'migrator-bench-pg', connect, connectToShadowDb: connect };
}

const [schemaPath, url] = process.argv.slice(2);
const files = [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }];
const bg = await loadEngine();
const engine = await bg.SchemaEngine.new({ datamodels: undefined }, () => undefined, adapterFactory(url));
try {
  // From the database the schema's datasource names (here: the adapter's), to the schema's models.
  const result = await engine.diff({
    from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  process.stdout.write(result.stdout ?? '');
} catch (e) {
  console.error(`prisma diff failed: ${e?.code ?? ''} ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  engine.free?.();
}
// The engine keeps its connection until the process ends.
process.exit(process.exitCode ?? 0);
