/**
 * A table named like the version table that another tool made (no `version_num`, or one that is
 * an integer): current, migrate and makemigrations refuse, naming the table, its columns, the
 * database (password masked) and the config file, and leave the database and versions/ alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, itemEntity, projects, sqlRevision, type TempProject } from './helpers.ts';

const newProject = projects();

const HEAD = 'head00000001';
const COMMANDS = [['current'], ['migrate'], ['makemigrations', '-m', 'more']];

/** A project with one revision, whose config names `database`. */
function project(database: string): TempProject {
  const p = newProject('migrator-foreign-version-');
  p.writeConfig({ database });
  p.writeEntity('item', itemEntity());
  p.write(`versions/${HEAD}_item.ts`, sqlRevision(HEAD, null, 'item', ['CREATE TABLE "item" ("id" integer PRIMARY KEY, "name" varchar(40) NOT NULL)'], ['DROP TABLE "item"']));
  return p;
}

/** The refusal, for a table with `columns` in `database`. */
function refusal(p: TempProject, database: string, columns: string): string {
  return `error: table migrator_version in ${database} is not migrator's version table (it has columns ${columns}); migrator needs (version_num varchar(32) primary key): rename that table, or set "versionTable" in ${p.path('migrator.config.ts')} to another name`;
}

interface Shape {
  name: string;
  create: string;
  rows: string[];
  /** The columns as the message lists them, per database. */
  sqlite: string;
  postgres: string;
}

const SHAPES: Shape[] = [
  {
    name: 'a table of another tool (no version_num)',
    create: 'CREATE TABLE migrator_version (id integer PRIMARY KEY, name varchar(255) NOT NULL, applied_at varchar(40))',
    rows: ["INSERT INTO migrator_version VALUES (1, 'init', '2024-01-01')"],
    sqlite: 'id integer, name varchar(255), applied_at varchar(40)',
    postgres: 'id integer, name character varying(255), applied_at character varying(40)',
  },
  {
    name: 'version_num as an integer, with rows',
    create: 'CREATE TABLE migrator_version (version_num integer PRIMARY KEY)',
    rows: ['INSERT INTO migrator_version VALUES (20240101), (20240102)'],
    sqlite: 'version_num integer',
    postgres: 'version_num integer',
  },
  {
    name: 'version_num as an integer, empty',
    create: 'CREATE TABLE migrator_version (version_num integer PRIMARY KEY)',
    rows: [],
    sqlite: 'version_num integer',
    postgres: 'version_num integer',
  },
];

describe('a version table of another shape', () => {
  describe('SQLite', () => {
    for (const shape of SHAPES) {
      it(`${shape.name}: current, migrate and makemigrations refuse and change nothing`, () => {
        const p = project('sqlite:./app.db');
        const made = new Database(p.path('app.db'));
        made.exec([shape.create, ...shape.rows].join(';\n'));
        made.close();
        const before = p.dump();
        for (const args of COMMANDS) {
          const line = assertUserError(p.run(args));
          assert.equal(line, refusal(p, 'sqlite:./app.db', shape.sqlite));
        }
        assert.equal(p.dump(), before, 'the database is unchanged');
        assert.deepEqual(p.versionFiles(), [`${HEAD}_item.ts`], 'versions/ is unchanged');
      });
    }

    it('migrator\'s own table, emptied by a downgrade to base, still reads', () => {
      const p = project('sqlite:./app.db');
      p.ok(['migrate']);
      p.ok(['downgrade', 'base']);
      assert.deepEqual(p.versions(), []);
      assert.equal(p.ok(['current']).stdout, '(base): no revisions applied\n');
      p.ok(['migrate']);
      assert.deepEqual(p.versions(), [HEAD]);
    });
  });

  describe('PostgreSQL', () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase('migrator_foreign_version');
    });
    after(async () => {
      await db?.drop();
    });

    /** Everything in the current schema, the version table's columns and rows included. */
    async function snapshot(): Promise<string> {
      const columns = await db.query(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'migrator_version' ORDER BY ordinal_position",
      );
      const rows = await db.query('SELECT * FROM migrator_version ORDER BY 1');
      return JSON.stringify({ catalog: pgCatalogText(await readPgCatalog(db)), columns, rows });
    }

    for (const shape of SHAPES) {
      it(`${shape.name}: current, migrate and makemigrations refuse and change nothing`, async () => {
        await db.query('DROP TABLE IF EXISTS migrator_version, item');
        await db.query(shape.create);
        for (const row of shape.rows) await db.query(row);
        // A password, so that the message is seen to name the database masked.
        const withPassword = new URL(db.url);
        withPassword.password = 'Canary-pw';
        const url = withPassword.toString();
        const shown = url.replace(':Canary-pw@', ':***@');
        const p = project(url);
        const before = await snapshot();
        for (const args of COMMANDS) {
          const r = p.run(args);
          const line = assertUserError(r);
          assert.equal(line, refusal(p, shown, shape.postgres));
          assert.ok(!r.stderr.includes('Canary'), r.stderr);
        }
        assert.equal(await snapshot(), before, 'the database is unchanged');
        assert.deepEqual(p.versionFiles(), [`${HEAD}_item.ts`], 'versions/ is unchanged');
      });
    }
  });
});
