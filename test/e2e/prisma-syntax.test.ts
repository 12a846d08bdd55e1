/**
 * Prisma's syntax, end to end, against Prisma's own schema engine. test/fixtures/prisma/syntax
 * holds a schema (PostgreSQL and SQLite variants) with every construct the Prisma reader reads:
 * block comments, named arguments, `provider = "postgres"`, sort orders, index types, operator
 * classes, partial indexes, extensions, Unsupported types, relationMode, views, defaults.
 *
 * On each database the SQL the engine writes for the fixture (test/support/prisma-engine.ts, no
 * network) builds one database, migrator's makemigrations + migrate another; their catalogs must
 * be the same — columns, types, NOT NULL, defaults, keys, indexes with their definitions (sort
 * order, operator class, method, predicate), foreign keys, enums, extensions. Then `check` on
 * both (Prisma's stamped at migrator's head) must exit 0, a second makemigrations must say "No
 * changes detected" (defaults and predicates the database re-prints — dates, negative numbers in
 * arrays, `!=`, parentheses — compare by meaning), and downgrade base leaves nothing.
 *
 * Needs `npx tsc -p tsconfig.json` first, and PostgreSQL (test/support/pg.ts) with the citext,
 * hstore, pg_trgm and uuid-ossp extensions available.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { prismaMigrateSql } from '../support/prisma-engine.ts';
import { readSqliteShapes } from '../support/sqlite-catalog.ts';
import { explain, projects, ROOT, type RunResult, type TempProject } from './helpers.ts';

type Provider = 'postgresql' | 'sqlite';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'prisma', 'syntax');

const newProject = projects();

/** The fixture's files for `provider`, by name. */
function fixture(provider: Provider): Record<string, string> {
  const dir = path.join(FIXTURES, provider);
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.prisma')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** The operations a `check` or `makemigrations` run lists (`  - alter column T.c`). */
function listedOperations(r: RunResult): string[] {
  const ops = [...r.stdout.matchAll(/^\s+- (.+)$/gm)].map((m) => m[1].trim());
  return [...new Set(ops)].sort();
}

/** One database: a catalog of it in a form two databases can be compared in, aspect by aspect. */
interface Side {
  url: string;
  catalog(): Promise<Record<string, string>>;
}

interface Target {
  migrator: Side;
  prisma: Side;
  /** Builds Prisma's database from the engine's SQL. */
  build(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL: two databases, since extensions belong to a database. */
async function pgTarget(): Promise<Target> {
  const [mine, theirs] = await Promise.all([createTestDatabase('migrator_prisma_syntax'), createTestDatabase('migrator_prisma_syntax_ref')]);
  const side = (db: TestDatabase): Side => ({
    url: db.url,
    catalog: async () => {
      const c = await readPgCatalog(db);
      const extensions = await db.query<{ name: string; schema: string; version: string }>(
        `SELECT e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version
           FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1`,
      );
      const text = pgCatalogText(c);
      return {
        tables: [...c.tables.keys()].join(', '),
        enums: text.split('\n').filter((l) => l.startsWith('ENUM ')).join('\n'),
        extensions: extensions.map((e) => `${e.name} in ${e.schema} version ${e.version}`).join('\n'),
        ...Object.fromEntries([...c.tables.keys()].map((t) => [`table ${t}`, pgCatalogText({ tables: new Map([[t, c.tables.get(t)!]]), enums: [], extensions: [] })])),
      };
    },
  });
  return {
    migrator: side(mine),
    prisma: side(theirs),
    build: async (sql) => {
      await theirs.query(sql);
    },
    close: async () => {
      await Promise.all([mine.drop(), theirs.drop()]);
    },
  };
}

/** The key columns of each index with their sort order (PRAGMA index_xinfo), which the shapes leave out. */
function sqliteIndexKeys(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(
      indexes.map(({ name }) => {
        const keys = (db.prepare(`PRAGMA index_xinfo("${name.replace(/"/g, '""')}")`).all() as { name: string | null; desc: number; key: number }[]).filter((k) => k.key === 1);
        return [name, keys.map((k) => `${k.name}${k.desc ? ' DESC' : ''}`).join(', ')];
      }),
    );
  } finally {
    db.close();
  }
}

/** SQLite: migrator's app.db and Prisma's prisma.db in the project folder. */
function sqliteTarget(p: TempProject): Target {
  const side = (file: string): Side => ({
    url: `sqlite:./${file}`,
    catalog: async () => {
      const shapes = readSqliteShapes(p.path(file));
      return {
        tables: [...shapes.keys()].join(', '),
        indexKeys: JSON.stringify(sqliteIndexKeys(p.path(file)), null, 1),
        ...Object.fromEntries([...shapes].map(([t, shape]) => [`table ${t}`, JSON.stringify(shape, null, 1)])),
      };
    },
  });
  return {
    migrator: side('app.db'),
    prisma: side('prisma.db'),
    build: async (sql) => {
      const db = new Database(p.path('prisma.db'));
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

for (const provider of ['postgresql', 'sqlite'] as const) {
  describe(`the Prisma syntax fixture on ${provider}: migrator builds the database Prisma’s schema engine builds`, () => {
    const p = newProject(`migrator-prisma-syntax-${provider}-`);
    let target: Target | undefined;
    let migrated = false;

    before(async () => {
      target = provider === 'postgresql' ? await pgTarget() : sqliteTarget(p);
      const files = fixture(provider);
      for (const [name, text] of Object.entries(files)) p.write(path.join('prisma', name), text);
      p.writeConfig({ database: target.migrator.url, models: ['prisma'] });
      await target.build(await prismaMigrateSql(files));
    });
    after(async () => {
      await target?.close();
    });

    it('makemigrations writes one revision and migrate applies it', () => {
      const r = p.ok(['makemigrations', '-m', 'prisma syntax']);
      assert.match(r.stdout, /create table Post\b/);
      assert.doesNotMatch(r.stdout, /Ghost|PersonView/, 'no table from a block comment or a view');
      p.ok(['migrate']);
      migrated = true;
    });

    describe('the two databases are the same', () => {
      let mine: Record<string, string> = {};
      let theirs: Record<string, string> = {};
      before(async () => {
        assert.ok(migrated, 'not migrated');
        [mine, theirs] = await Promise.all([target!.migrator.catalog(), target!.prisma.catalog()]);
      });
      it('tables', () => {
        assert.equal(mine.tables, theirs.tables, 'migrator, then Prisma');
        assert.ok(!/Ghost|PersonView/.test(mine.tables));
      });
      it('what the fixture exercises reached Prisma’s database (the comparison is not of empty catalogs)', () => {
        const expected: [string, RegExp][] =
          provider === 'postgresql'
            ? [
                ['table Post', /USING gin \(title gin_trgm_ops\)/],
                ['table Post', /\(author_id, score DESC\) WHERE \(status <> 'archived'::text\)/],
                ['table Doc', /USING brin \(at timestamptz_minmax_multi_ops\)/],
                ['table Doc', /btree \(label text_pattern_ops DESC, n\)/],
                ['table people', /WHERE \(deleted_at IS NULL\)/],
                ['table Post', /post_author_fk: FOREIGN KEY \(author_id\) REFERENCES people\(id\) ON UPDATE CASCADE ON DELETE CASCADE/],
              ]
            : [
                ['indexKeys', /"person_handle_key": "handle DESC"/],
                ['table Post', /"where": "\\"status\\" != 'archived' AND \\"flag\\" = true"/],
              ];
        for (const [key, pattern] of expected) assert.match(theirs[key] ?? '', pattern, key);
      });
      it('each table: columns, types, NOT NULL, defaults, keys, indexes with their definitions, foreign keys', () => {
        for (const key of Object.keys(theirs).filter((k) => k.startsWith('table ') || k === 'indexKeys')) assert.equal(mine[key], theirs[key], `${key}: migrator, then Prisma`);
      });
      if (provider === 'postgresql') {
        it('enums and extensions (with their schema and version)', () => {
          assert.equal(mine.enums, theirs.enums);
          assert.equal(mine.extensions, theirs.extensions);
          assert.match(mine.extensions, /^citext in public version .*\nhstore in public version 1\.8\npg_trgm in public version .*\nuuid-ossp in public version/);
        });
      }
    });

    it('check exits 0 on migrator’s database, and on Prisma’s stamped at migrator’s head', () => {
      assert.ok(migrated, 'not migrated');
      p.ok(['stamp', 'head', '--database', target!.prisma.url]);
      for (const database of [target!.migrator.url, target!.prisma.url]) {
        const r = p.run(['check', '--database', database]);
        assert.deepEqual(listedOperations(r), [], explain(r, 'to list no difference'));
        assert.equal(r.status, 0, explain(r, 'to exit 0'));
      }
    });

    it('a second makemigrations says "No changes detected" and writes nothing', () => {
      assert.ok(migrated, 'not migrated');
      const before = p.versionFiles();
      assert.match(p.ok(['makemigrations', '-m', 'again']).stdout, /No changes detected/);
      assert.deepEqual(p.versionFiles(), before);
    });

    it('downgrade base leaves nothing behind', async () => {
      assert.ok(migrated, 'not migrated');
      p.ok(['downgrade', 'base']);
      const c = await target!.migrator.catalog();
      assert.equal(c.tables, '');
      if (provider === 'postgresql') {
        assert.equal(c.enums, '');
        assert.equal(c.extensions, '');
      }
    });
  });
}
