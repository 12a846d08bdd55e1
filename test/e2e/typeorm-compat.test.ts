/**
 * TypeORM compatibility on SQLite, end to end.
 *
 * The entity classes in test/fixtures/typeorm are compiled with the TypeScript compiler (legacy
 * decorators + decorator metadata, CommonJS) and handed to a real TypeORM DataSource with
 * `synchronize: true` in a child process. Then:
 *
 *  1. a migrator project whose models are the very same .ts files, pointed at TypeORM's database,
 *     must see no difference (`check` exits 0, `makemigrations` writes nothing);
 *  2. a migrator project on an empty database builds the schema itself (`makemigrations`,
 *     `migrate`, `check`), and that schema must equal TypeORM's: columns, foreign keys, indexes,
 *     unique constraints, checks and every generated constraint name.
 *
 * Needs `npm run build` first (the CLI under dist/) and the dev dependencies typeorm,
 * reflect-metadata and better-sqlite3.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileFixtures as compileFrom, fixtureFiles as fixtureFilesIn, synchronizeWithTypeOrm as synchronize } from '../support/typeorm.js';
import Database from 'better-sqlite3';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'typeorm');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const nodeModules = path.join(root, 'node_modules');

/** Tables that belong to SQLite or to migrator's bookkeeping, never to the models. */
const OWN_TABLES = /^(sqlite_|migrator_version$)/;

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function migrator(cwd: string, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: CliResult): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A migrator project whose models are copies of the fixture files. */
function makeProject(dir: string, databaseFile: string): void {
  fs.mkdirSync(path.join(dir, 'entities'), { recursive: true });
  for (const file of fixtureFilesIn(fixtures)) fs.copyFileSync(path.join(fixtures, file), path.join(dir, 'entities', file));
  fs.writeFileSync(
    path.join(dir, 'migrator.config.ts'),
    `import { defineConfig } from 'migrator';

export default defineConfig({ database: ${JSON.stringify(`sqlite:${databaseFile}`)}, models: ['entities/*.ts'], versions: 'versions' });
`,
  );
}

// ---------------------------------------------------------------------------------------------
// Reading a SQLite schema through its PRAGMAs, in a form two databases can be compared in.

interface TableShape {
  columns: { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
  foreignKeys: { table: string; from: string; to: string; on_update: string; on_delete: string }[];
  indexes: { name: string; columns: string[]; unique: boolean; partial: boolean; where: string | null }[];
  uniques: string[][];
  constraintNames: string[];
  checks: string[];
  autoincrement: boolean;
}

const byJson = <T>(xs: T[]): T[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The text inside each `CHECK (...)` of a CREATE TABLE, whitespace squashed. */
function checkExpressions(sql: string): string[] {
  const out: string[] = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    let depth = 1;
    let quote = '';
    let i = m.index + m[0].length;
    const start = i;
    for (; i < sql.length && depth > 0; i++) {
      const ch = sql[i];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    out.push(squash(sql.slice(start, i - 1)));
    re.lastIndex = i;
  }
  return out.sort();
}

function readShapes(file: string): Map<string, TableShape> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
    const indexSql = new Map(
      (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all() as { name: string; sql: string | null }[]).map((r) => [r.name, r.sql]),
    );
    const shapes = new Map<string, TableShape>();
    for (const { name, sql } of tables) {
      if (OWN_TABLES.test(name)) continue;
      const q = `"${name.replace(/"/g, '""')}"`;
      const columns = (db.prepare(`PRAGMA table_info(${q})`).all() as TableShape['columns']).map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        notnull: c.notnull,
        dflt_value: c.dflt_value,
        pk: c.pk,
      }));
      const foreignKeys = byJson(
        (db.prepare(`PRAGMA foreign_key_list(${q})`).all() as TableShape['foreignKeys']).map((f) => ({
          table: f.table,
          from: f.from,
          to: f.to,
          on_update: f.on_update,
          on_delete: f.on_delete,
        })),
      );
      const indexes: TableShape['indexes'] = [];
      const uniques: string[][] = [];
      for (const ix of db.prepare(`PRAGMA index_list(${q})`).all() as { name: string; unique: number; origin: string; partial: number }[]) {
        const cols = (db.prepare(`PRAGMA index_info("${ix.name.replace(/"/g, '""')}")`).all() as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        if (ix.origin === 'pk') continue;
        if (ix.name.startsWith('sqlite_autoindex_')) {
          uniques.push(cols);
          continue;
        }
        const where = /\bWHERE\b([\s\S]*)$/i.exec(indexSql.get(ix.name) ?? '');
        indexes.push({ name: ix.name, columns: cols, unique: ix.unique === 1, partial: ix.partial === 1, where: where ? squash(where[1]) : null });
      }
      shapes.set(name, {
        columns,
        foreignKeys,
        indexes: indexes.sort((a, b) => (a.name < b.name ? -1 : 1)),
        uniques: byJson(uniques),
        constraintNames: [...sql.matchAll(/CONSTRAINT "([^"]+)"/g)].map((m) => m[1]).sort(),
        checks: checkExpressions(sql),
        autoincrement: /\bAUTOINCREMENT\b/i.test(sql),
      });
    }
    return shapes;
  } finally {
    db.close();
  }
}

function sqliteMaster(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY tbl_name, type DESC, name").all() as { type: string; name: string; sql: string }[])
      .map((r) => `${r.sql};`)
      .join('\n');
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------

describe('TypeORM compatibility (SQLite): migrator reads TypeORM entities as TypeORM synchronize builds them', () => {
  let tmp: string;
  let typeormDb: string;
  let migratorDb: string;
  let againstTypeOrm: string;
  let fresh: string;
  let typeorm: Map<string, TableShape>;
  let built: Map<string, TableShape> | undefined;

  before(() => {
    assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npx tsc -p tsconfig.json\` (npm run build) first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-typeorm-'));
    const compiled = path.join(tmp, 'typeorm-app');
    const modules = compileFrom(fixtures, compiled);
    // The compiled entities require typeorm and reflect-metadata from this repository.
    fs.symlinkSync(nodeModules, path.join(compiled, 'node_modules'), 'dir');
    typeormDb = path.join(tmp, 'typeorm.db');
    migratorDb = path.join(tmp, 'migrator.db');
    synchronize(compiled, modules, { type: 'better-sqlite3', database: typeormDb });
    typeorm = readShapes(typeormDb);

    againstTypeOrm = path.join(tmp, 'project-on-typeorm-db');
    makeProject(againstTypeOrm, typeormDb);
    fresh = path.join(tmp, 'project-fresh');
    makeProject(fresh, migratorDb);
  });

  after(() => {
    if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`kept ${tmp}`);
  });

  test('TypeORM synchronize builds every fixture table, junction tables included', () => {
    assert.deepEqual([...typeorm.keys()].sort(), [
      'catalog_product',
      'catalog_product_categories_product_category',
      'customer',
      'customer_favorite_product',
      'customer_profile',
      'http_request_log',
      'order',
      'order_item',
      'product_category',
    ]);
  });

  test('check against the database TypeORM built: exit 0, no changes', () => {
    const r = migrator(againstTypeOrm, 'check');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
    assert.doesNotMatch(r.stdout, /differ/, show(r));
  });

  test('makemigrations against the database TypeORM built: No changes detected, nothing written', () => {
    const r = migrator(againstTypeOrm, 'makemigrations');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /No changes detected/, show(r));
    const versions = path.join(againstTypeOrm, 'versions');
    const written = fs.existsSync(versions) ? fs.readdirSync(versions).filter((f) => f.endsWith('.ts')) : [];
    assert.deepEqual(written, [], `makemigrations wrote ${written.join(', ')}`);
  });

  test('fresh database: makemigrations, migrate, then check is clean', () => {
    const gen = migrator(fresh, 'makemigrations', '-m', 'initial schema', '--rev-id', 'a1b2c3d4e5f6');
    assert.equal(gen.status, 0, show(gen));
    assert.match(gen.stdout, /Generated /, show(gen));
    const up = migrator(fresh, 'migrate');
    assert.equal(up.status, 0, show(up));
    assert.match(up.stdout, /Database is now at a1b2c3d4e5f6/, show(up));
    const chk = migrator(fresh, 'check');
    assert.equal(chk.status, 0, show(chk));
    assert.match(chk.stdout, /No changes detected/, show(chk));
    const again = migrator(fresh, 'makemigrations');
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, /No changes detected/, show(again));
    built = readShapes(migratorDb);
  });

  test('the schema migrator built has the same tables as the one TypeORM built', () => {
    assert.ok(built, 'the fresh database was not built');
    assert.deepEqual([...built.keys()].sort(), [...typeorm.keys()].sort());
  });

  test('the schema migrator built equals the one TypeORM built, table by table', async (t) => {
    assert.ok(built, 'the fresh database was not built');
    const context = (): string => `\n--- TypeORM\n${sqliteMaster(typeormDb)}\n--- migrator\n${sqliteMaster(migratorDb)}`;
    for (const [name, expected] of [...typeorm].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await t.test(name, async (tt) => {
        const actual = built!.get(name);
        assert.ok(actual, `migrator built no table "${name}"`);
        await tt.test('columns (PRAGMA table_info: name, type, notnull, dflt_value, pk)', () => {
          assert.deepEqual(actual.columns, expected.columns, context());
        });
        await tt.test('AUTOINCREMENT', () => {
          assert.equal(actual.autoincrement, expected.autoincrement, context());
        });
        await tt.test('foreign keys (PRAGMA foreign_key_list)', () => {
          assert.deepEqual(actual.foreignKeys, expected.foreignKeys, context());
        });
        await tt.test('indexes (names, columns, uniqueness, WHERE)', () => {
          assert.deepEqual(actual.indexes, expected.indexes, context());
        });
        await tt.test('unique constraints (by columns)', () => {
          assert.deepEqual(actual.uniques, expected.uniques, context());
        });
        await tt.test('CHECK expressions', () => {
          assert.deepEqual(actual.checks, expected.checks, context());
        });
        await tt.test('CONSTRAINT names in the CREATE TABLE statement', () => {
          assert.deepEqual(actual.constraintNames, expected.constraintNames, context());
        });
      });
    }
  });
});
