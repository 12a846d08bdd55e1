/**
 * A TypeORM project written the way real ones are (test/fixtures/typeorm-real: folders, `@app/*`
 * path aliases and `.js` imports, abstract bases two levels deep and a mixin, enums behind a
 * barrel, constants, helper decorators, class-validator, foreign-key cycles), end to end against
 * real TypeORM, on SQLite and PostgreSQL, with TypeORM's default naming and with
 * typeorm-naming-strategies' SnakeNamingStrategy.
 *
 * For each database and naming strategy:
 *  1. the project is compiled as its own build would (tsc, CommonJS, legacy decorators with
 *     metadata) and real TypeORM `synchronize` builds database A;
 *  2. a migrator project with the same files (tsconfig.json included) pointed at A: `check`
 *     exits 0 and `makemigrations` writes nothing;
 *  3. a migrator project on an empty database B: `makemigrations`, `migrate`, `check`, and the
 *     catalogs of A and B are the same (columns with types, NOT NULL, defaults as stored,
 *     identity/autoincrement; constraints with names and definitions; indexes; enum types;
 *     extensions);
 *  4. `downgrade base` leaves only the (empty) version table and no enum type; `migrate` again
 *     is clean, and a second `makemigrations` finds nothing to do.
 *
 * Needs the CLI built (`npx tsc -p tsconfig.json`), the dev dependencies typeorm,
 * reflect-metadata, class-validator and typeorm-naming-strategies, and PostgreSQL
 * (test/support/pg.ts: an unreachable server fails the file).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { explain, projects, ROOT, type RunResult, type TempProject } from './helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { differences, pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { readSqliteShapes, sqliteMaster } from '../support/sqlite-catalog.ts';
import { synchronizeWithTypeOrm } from '../support/typeorm.js';
import { compileProject } from '../support/typeorm-project.ts';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'typeorm-real');
const NODE_MODULES = path.join(ROOT, 'node_modules');

const TABLES = [
  'app_user', 'attachment', 'audit_log', 'comment', 'milestone', 'project', 'project_member', 'release', 'tag', 'task', 'task_tags_tag', 'team', 'user_profile', 'watcher',
];

/** What two databases are compared by: tables by name, and what lives beside them. */
interface Catalog {
  tables: Map<string, unknown>;
  /** Enum types and extensions (PostgreSQL). */
  types: { enums: { name: string; labels: string[] }[]; extensions: string[] };
  /** The whole catalog as text, for messages. */
  text: string;
}

/** A database of one kind: created empty, read back, dropped. */
interface Target {
  url: string;
  dataSource: Record<string, unknown>;
  read(): Promise<Catalog>;
  /** Every table, the version table included. */
  tableNames(): Promise<string[]>;
  versionRows(): Promise<string[]>;
  drop(): Promise<void>;
}

function sqliteTarget(file: string): Target {
  const query = <T>(sql: string): T[] => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  return {
    url: `sqlite:${file}`,
    dataSource: { type: 'better-sqlite3', database: file },
    read: async () => ({ tables: readSqliteShapes(file), types: { enums: [], extensions: [] }, text: sqliteMaster(file) }),
    tableNames: async () => query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").map((r) => r.name),
    versionRows: async () => query<{ version_num: string }>('SELECT version_num FROM migrator_version ORDER BY 1').map((r) => r.version_num),
    drop: async () => undefined,
  };
}

function pgTarget(db: TestDatabase): Target {
  return {
    url: db.url,
    dataSource: { type: 'postgres', url: db.url },
    async read() {
      const c = await readPgCatalog(db);
      return { tables: c.tables, types: { enums: c.enums, extensions: c.extensions }, text: pgCatalogText(c) };
    },
    tableNames: async () =>
      (await db.query<{ name: string }>("SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")).map((r) => r.name),
    versionRows: async () => (await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version ORDER BY 1')).map((r) => r.version_num),
    drop: () => db.drop(),
  };
}

const DATABASES = [
  {
    name: 'SQLite',
    create: async (dir: string, label: string) => sqliteTarget(path.join(dir, `${label}.db`)),
    /** Enum types and extensions synchronize makes: none; SQLite checks enum values with CHECK. */
    types: { enums: [], extensions: [] },
    /** SQLite takes forward references: every key is created with its table. */
    cycleKeysAdded: false,
  },
  {
    name: 'PostgreSQL',
    create: async (_dir: string, label: string) => pgTarget(await createTestDatabase(`migrator_real_${label}`)),
    types: {
      enums: [
        { name: 'task_status_enum', labels: ['open', 'in_progress', 'done'] },
        { name: 'user_role', labels: ['owner', 'admin', 'member', 'guest'] },
      ],
      extensions: ['uuid-ossp'],
    },
    cycleKeysAdded: true,
  },
];

const NAMINGS = [
  { name: 'default naming', strategy: undefined },
  { name: 'SnakeNamingStrategy', strategy: { module: 'typeorm-naming-strategies', name: 'SnakeNamingStrategy' } },
];

const newProject = projects();
let compiled: { dir: string; entities: string[] } | undefined;

/** The fixture compiled once for the whole file, its node_modules those of this repository. */
function compiledFixture(): { dir: string; entities: string[] } {
  if (!compiled) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-real-build-'));
    const files = compileProject(path.join(FIXTURE, 'tsconfig.json'), dir);
    fs.symlinkSync(NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
    compiled = { dir, entities: files.filter((f) => f.endsWith('.entity.js')) };
  }
  return compiled;
}
after(() => {
  if (compiled) fs.rmSync(compiled.dir, { recursive: true, force: true });
});

/**
 * A migrator project made of the fixture's files — tsconfig.json and src/ — with its dependencies
 * installed (node_modules, as in any real project) and a config pointing at `url`.
 */
function migratorProject(url: string, strategy: { module: string; name: string } | undefined): TempProject {
  const p = newProject('migrator-real-');
  fs.cpSync(FIXTURE, p.dir, { recursive: true });
  fs.symlinkSync(NODE_MODULES, p.path('node_modules'), 'dir');
  const naming = strategy ? `import { ${strategy.name} } from '${strategy.module}';\n` : '';
  p.write(
    'migrator.config.ts',
    `import { defineConfig } from 'migrator';
${naming}
export default defineConfig({
  database: ${JSON.stringify(url)},
  models: ['src/**/*.entity.ts'],
  versions: 'versions',${strategy ? `\n  namingStrategy: new ${strategy.name}(),` : ''}
});
`,
  );
  return p;
}

const revisions = (p: TempProject): string[] => p.versionFiles().filter((f) => f.endsWith('.ts'));

function noChanges(r: RunResult): void {
  assert.equal(r.status, 0, explain(r, 'to exit 0'));
  assert.match(r.stdout, /No changes detected/, explain(r, 'to say "No changes detected"'));
}

/** A and B table by table, then their tables, enum types and extensions as wholes. */
async function assertSameCatalog(t: { test: (name: string, body: () => void) => Promise<void> }, expected: Catalog, actual: Catalog): Promise<void> {
  const context = `\n--- TypeORM synchronize\n${expected.text}\n--- migrator\n${actual.text}`;
  const names = (c: Catalog): string[] => [...c.tables.keys()].sort();
  assert.deepEqual(names(actual), names(expected), `tables differ\n${differences('tables', names(expected), names(actual))}${context}`);
  assert.deepEqual(actual.types, expected.types, `enum types or extensions differ${context}`);
  for (const name of names(expected)) {
    await t.test(name, () => {
      const [e, a] = [expected.tables.get(name), actual.tables.get(name)];
      const lines = (shape: unknown): unknown[] => Object.entries(shape as object).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => ({ [k]: x })) : [{ [k]: v }]));
      assert.deepEqual(a, e, `table ${name} differs\n${differences(name, lines(e), lines(a))}`);
    });
  }
}

for (const database of DATABASES) {
  for (const naming of NAMINGS) {
    describe(`a real TypeORM project on ${database.name}, ${naming.name}`, () => {
      const label = naming.strategy ? 'snake' : 'default';
      let a: Target;
      let b: Target;
      let typeorm: Catalog;
      let onA: TempProject;
      let onB: TempProject;
      let dbDir: string;

      before(async () => {
        dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-real-db-'));
        const app = compiledFixture();
        a = await database.create(dbDir, `${label}_a`);
        b = await database.create(dbDir, `${label}_b`);
        synchronizeWithTypeOrm(app.dir, app.entities, a.dataSource, { namingStrategy: naming.strategy });
        typeorm = await a.read();
        onA = migratorProject(a.url, naming.strategy);
        onB = migratorProject(b.url, naming.strategy);
      });

      after(async () => {
        await a?.drop();
        await b?.drop();
        if (dbDir) fs.rmSync(dbDir, { recursive: true, force: true });
      });

      test('TypeORM synchronize builds every table of the fixture, the junction table included', () => {
        assert.deepEqual([...typeorm.tables.keys()].sort(), TABLES, typeorm.text);
        assert.deepEqual(typeorm.types, database.types, typeorm.text);
      });

      test('on the database TypeORM built, check exits 0', () => {
        noChanges(onA.run(['check']));
      });

      test('on the database TypeORM built, makemigrations writes nothing', () => {
        noChanges(onA.run(['makemigrations']));
        assert.deepEqual(revisions(onA), []);
      });

      test('on an empty database: makemigrations, migrate, then check exits 0', () => {
        const gen = onB.ok(['makemigrations', '-m', 'initial schema', '--rev-id', 'aa11bb22cc33']);
        assert.match(gen.stdout, /^Generated \S+aa11bb22cc33_initial_schema\.ts$/m, explain(gen, 'to write the revision'));
        const up = onB.ok(['migrate']);
        assert.match(up.stdout, /Database is now at aa11bb22cc33/, explain(up, 'to apply it'));
        noChanges(onB.run(['check']));
        if (database.cycleKeysAdded) {
          // Two cycles (app_user ⇄ team; project → milestone → release → project): every key
          // added with op.createForeignKey comes after the last table, one per cycle at least.
          const source = onB.read(path.join('versions', revisions(onB)[0]));
          const ops = [...source.matchAll(/await op\.(createTable|createForeignKey)\('(\w+)'/g)].map(([, op, table]) => ({ op, table }));
          const added = ops.filter((o) => o.op === 'createForeignKey');
          assert.ok(ops.findIndex((o) => o.op === 'createForeignKey') > ops.findLastIndex((o) => o.op === 'createTable'), source);
          assert.ok(added.some((o) => ['app_user', 'team'].includes(o.table)), source);
          assert.ok(added.some((o) => ['project', 'milestone', 'release'].includes(o.table)), source);
        }
      });

      test('the database migrator built equals the one TypeORM built', async (t) => {
        await assertSameCatalog(t, typeorm, await b.read());
      });

      test('downgrade base leaves only the empty version table and the history, and no enum type nor extension', async () => {
        onB.ok(['downgrade', 'base']);
        assert.deepEqual(await b.tableNames(), ['migrator_history', 'migrator_version']);
        assert.deepEqual(await b.versionRows(), []);
        assert.deepEqual((await b.read()).types, { enums: [], extensions: [] });
      });

      test('migrate again: check exits 0, the catalog is TypeORM\'s again, and makemigrations finds nothing', async () => {
        onB.ok(['migrate']);
        assert.deepEqual(await b.versionRows(), ['aa11bb22cc33']);
        noChanges(onB.run(['check']));
        noChanges(onB.run(['makemigrations']));
        assert.equal(revisions(onB).length, 1, revisions(onB).join(', '));
        const again = await b.read();
        assert.deepEqual(again.tables, typeorm.tables, `the catalog after downgrade and migrate differs\n${again.text}`);
        assert.deepEqual(again.types, typeorm.types);
      });
    });
  }
}
