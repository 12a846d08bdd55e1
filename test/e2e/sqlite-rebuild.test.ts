/**
 * SQLite table rebuilds through the real CLI: what a copy-and-swap must keep (rows, column order,
 * indexes as written, constraints, foreign keys both ways, cascading children, triggers, views,
 * STRICT / WITHOUT ROWID, AUTOINCREMENT, collations, generated columns, awkward names), which
 * changes rebuild and which stay native, NOT NULL with and without a default, foreign-key checks
 * before commit, and offline SQL that gives the same database as an online run.
 *
 * Every test builds its schema with raw SQL in a base revision, brings the database there with
 * `upgrade`, then runs the revision under test; the database is read directly with better-sqlite3.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import Sqlite, { type Database } from 'better-sqlite3';
import { projects, type TempProject } from './helpers.ts';
import {
  BASE,
  cli,
  cliOk,
  copyDb,
  failedWith,
  initProject,
  openDb,
  REV2,
  REV3,
  REV4,
  rebuildCount,
  runSqlite3Script,
  snapshot,
  sqliteDump,
  tableRows,
  writeRevision,
  type Row,
  type Snapshot,
} from './rebuild-helpers.ts';

const newProject = projects();
/** Tests in a block run side by side: each has its own project folder and database file. */
const CONCURRENCY = { concurrency: 4 };

interface Rebuilt {
  p: TempProject;
  /** `sqlmigrate` of the revision under test. */
  sql: string;
  before: Snapshot;
  after: Snapshot;
}

/**
 * A project at the base revision built from `setup`, then the revision `change` applied by
 * `migrate`, with snapshots of the database on either side and the revision's SQL.
 */
async function rebuild(setup: readonly string[], change: string, options: { rebuilds?: number; migrateArgs?: string[] } = {}): Promise<Rebuilt> {
  const p = newProject('migrator-rebuild-');
  initProject(p, setup);
  writeRevision(p, REV2, BASE, 'change under test', change);
  await cliOk(p, ['upgrade', BASE]);
  const before = snapshot(p.path('app.db'));
  const sql = (await cliOk(p, ['sqlmigrate', REV2])).stdout;
  assert.equal(rebuildCount(sql), options.rebuilds ?? 1, `expected ${options.rebuilds ?? 1} rebuild(s) in:\n${sql}`);
  await cliOk(p, ['migrate', ...(options.migrateArgs ?? [])]);
  const after = snapshot(p.path('app.db'));
  assert.deepEqual(
    after.master.filter((m) => String(m.name).startsWith('_migrator_tmp_')),
    [],
    'no _migrator_tmp_ table may be left behind',
  );
  assert.deepEqual(versionsOf(p), [REV2]);
  return { p, sql, before, after };
}

function versionsOf(p: TempProject): string[] {
  return withDb(p, (db) => (db.prepare('SELECT version_num FROM migrator_version ORDER BY 1').all() as Row[]).map((r) => r.version_num as string));
}

/** Opens the project's database with foreign keys enforced, runs `body`, closes it. */
function withDb<T>(p: TempProject, body: (db: Database) => T, file = 'app.db'): T {
  const db = openDb(p.path(file));
  try {
    db.pragma('foreign_keys = ON');
    return body(db);
  } finally {
    db.close();
  }
}

function columnNames(db: Database, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_xinfo(?) ORDER BY cid').all(table) as Row[]).map((r) => r.name as string);
}

function columnInfo(db: Database, table: string, column: string): Row {
  const row = (db.prepare('SELECT * FROM pragma_table_xinfo(?) WHERE name = ?').get(table, column) as Row | undefined) ?? undefined;
  assert.ok(row, `column ${table}.${column} should exist`);
  return row;
}

function createSql(db: Database, table: string): string {
  return (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as Row).sql as string;
}

/** The first column of the first row of a query. */
function scalar<T = number>(db: Database, sql: string): T {
  return db.prepare(sql).pluck().get() as T;
}

function assertFails(db: Database, sql: string, pattern: RegExp): void {
  assert.throws(() => db.prepare(sql).run(), pattern, `expected \`${sql}\` to fail with ${pattern}`);
}

/** Rows projected onto some columns, as a sorted multiset. */
function project(rows: readonly Row[], columns: readonly string[]): string[] {
  return rows
    .map((r) => JSON.stringify(columns.map((c) => r[c]), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
    .sort();
}

const userTables = (s: Snapshot): string[] =>
  s.master.filter((m) => m.type === 'table' && !/^(sqlite_|migrator_version$|migrator_history$)/.test(String(m.name))).map((m) => m.name as string);

/** Row count of every user table, from a snapshot. */
const counts = (s: Snapshot): Record<string, number> => Object.fromEntries(userTables(s).map((t) => [t, s.rows[t].length]));

// ---------------------------------------------------------------------------------------------
// What a rebuild keeps
// ---------------------------------------------------------------------------------------------

describe('SQLite rebuild keeps', CONCURRENCY, () => {
  it('every row, value for value and storage class for storage class', async () => {
    const { after, before, sql } = await rebuild(
      [
        'CREATE TABLE sample (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, anyv, code varchar(20) NOT NULL DEFAULT \'x\')',
        `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 3000)
         INSERT INTO sample (id, i, r, t, b, n, anyv, code)
         SELECT k * 3, k * k - 1000000, k / 7.0, 'row ' || k || char(10) || 'ünï "q" ''s''', randomblob(k % 17),
                CASE WHEN k % 2 THEN k ELSE k || '.5' END,
                CASE k % 4 WHEN 0 THEN 1 WHEN 1 THEN 'one' WHEN 2 THEN 1.5 ELSE x'01ff' END,
                'c' || k FROM n`,
        "INSERT INTO sample VALUES (-1, 9223372036854775807, 1e308, '', x'', NULL, NULL, '')",
        "INSERT INTO sample VALUES (-2, -9223372036854775808, -1e-300, NULL, NULL, 'abc', 'text in any', 'y')",
        "INSERT INTO sample VALUES (9223372036854775807, 0, 0.1, 'largest rowid', zeroblob(3), 1e20, 42, 'z')",
        // A table with no INTEGER PRIMARY KEY, duplicate rows and holes in its rowids.
        'CREATE TABLE loose (a TEXT, b INTEGER, c varchar(5))',
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 500) INSERT INTO loose SELECT 'v' || (k % 50), k % 7, NULL FROM n",
        'DELETE FROM loose WHERE rowid % 5 = 0',
      ],
      "  await op.alterColumn('sample', 'code', { type: 'varchar(40)' });\n  await op.alterColumn('loose', 'c', { type: 'varchar(10)' });",
      { rebuilds: 2 },
    );
    assert.equal(before.rows.sample.length, 3003);
    assert.equal(before.rows.loose.length, 400);
    assert.deepEqual(after.rows.sample, before.rows.sample, 'sample: every row and value kept');
    assert.deepEqual(after.rows.loose, before.rows.loose, 'loose: every row kept, duplicates included');
    assert.match(sql, /"code" varchar\(40\)/);
  });

  it('the order of the columns (a column added in the same rebuild goes last)', async () => {
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE wide (zeta TEXT, alpha INTEGER, id INTEGER PRIMARY KEY, mid REAL, beta TEXT, omega BLOB)',
        "INSERT INTO wide VALUES ('z', NULL, 1, 1.5, 'b', x'00'), ('y', 2, 2, NULL, NULL, NULL)",
      ],
      [
        "  await op.alterColumn('wide', 'beta', { type: 'varchar(9)' });",
        "  await op.alterColumn('wide', 'alpha', { nullable: false, default: '0' });",
        "  await op.addColumn('wide', { name: 'added', type: 'text', nullable: true, default: \"lower('X')\" });",
      ].join('\n'),
    );
    withDb(p, (db) => assert.deepEqual(columnNames(db, 'wide'), ['zeta', 'alpha', 'id', 'mid', 'beta', 'omega', 'added']));
    assert.deepEqual(project(after.rows.wide, ['zeta', 'id', 'mid', 'beta', 'omega']), project(before.rows.wide, ['zeta', 'id', 'mid', 'beta', 'omega']));
    assert.deepEqual(project(after.rows.wide, ['id', 'alpha', 'added']), project([{ id: 1n, alpha: 0n, added: 'x' }, { id: 2n, alpha: 2n, added: 'x' }], ['id', 'alpha', 'added']));
  });

  it('indexes exactly as written: plain, unique, partial, expression, DESC and COLLATE', async () => {
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE people (id INTEGER PRIMARY KEY, email varchar(100) NOT NULL, first TEXT, last TEXT, age INTEGER, active INTEGER NOT NULL DEFAULT 1, note TEXT, badge TEXT UNIQUE)',
        'CREATE INDEX ix_people_lower_email ON people (lower(email))',
        'CREATE UNIQUE INDEX "ix_people_active_email" ON people (email) WHERE active = 1',
        'CREATE INDEX ix_people_name ON people (last DESC, first COLLATE NOCASE ASC)',
        'create   index ix_people_age on people ( age )  where age is not null',
        "CREATE INDEX ix_people_expr ON people (age * 2 + 1, substr(last, 1, 2))",
        "INSERT INTO people (email, first, last, age, active, badge) VALUES ('A@x.org', 'ann', 'Lee', 30, 1, 'b1'), ('a@x.org', 'Bob', 'lee', NULL, 0, NULL), ('c@x.org', 'cy', 'Ng', 41, 1, 'b3')",
      ],
      // One change to an indexed column, one to a column no index uses.
      "  await op.alterColumn('people', 'email', { type: 'varchar(200)' });\n  await op.alterColumn('people', 'note', { type: 'varchar(50)' });",
    );
    const indexesBefore = before.master.filter((m) => m.type === 'index' && m.tbl_name === 'people');
    assert.equal(indexesBefore.length, 6, 'five CREATE INDEX plus the UNIQUE column autoindex');
    assert.deepEqual(after.master.filter((m) => m.type === 'index' && m.tbl_name === 'people'), indexesBefore, 'sqlite_master SQL of every index identical');
    assert.deepEqual(after.rows.people, before.rows.people);
    withDb(p, (db) => {
      // The partial unique index still applies to active rows only.
      assertFails(db, "INSERT INTO people (email, active) VALUES ('c@x.org', 1)", /UNIQUE constraint failed/);
      db.prepare("INSERT INTO people (email, active) VALUES ('c@x.org', 0)").run();
      assertFails(db, "INSERT INTO people (email, badge) VALUES ('d@x.org', 'b1')", /UNIQUE constraint failed/);
      // The expression index is used again.
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM people WHERE lower(email) = 'a@x.org'").all() as Row[];
      assert.ok(plan.some((r) => String(r.detail).includes('ix_people_lower_email')), JSON.stringify(plan));
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    });
  });

  it('unique and check constraints, inline and named', async () => {
    const { p, before, after } = await rebuild(
      [
        `CREATE TABLE acct (
           id INTEGER PRIMARY KEY,
           email TEXT NOT NULL UNIQUE,
           handle TEXT,
           balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
           lo INTEGER, hi INTEGER,
           note TEXT,
           CONSTRAINT uq_acct_handle UNIQUE (handle),
           CONSTRAINT ck_acct_range CHECK (lo <= hi),
           UNIQUE (lo, hi)
         )`,
        "INSERT INTO acct (email, handle, balance, lo, hi) VALUES ('a@x', 'a', 5, 1, 2), ('b@x', 'b', 0, 3, 3), ('c@x', NULL, 1, NULL, NULL)",
      ],
      "  await op.alterColumn('acct', 'note', { type: 'varchar(80)' });",
    );
    assert.deepEqual(after.rows.acct, before.rows.acct);
    withDb(p, (db) => {
      const sql = createSql(db, 'acct');
      for (const part of ['email TEXT NOT NULL UNIQUE', 'CHECK (balance >= 0)', 'CONSTRAINT uq_acct_handle UNIQUE (handle)', 'CONSTRAINT ck_acct_range CHECK (lo <= hi)', 'UNIQUE (lo, hi)']) {
        assert.ok(sql.includes(part), `${part} kept in ${sql}`);
      }
      assertFails(db, "INSERT INTO acct (email) VALUES ('a@x')", /UNIQUE constraint failed: acct\.email/);
      assertFails(db, "INSERT INTO acct (email, handle) VALUES ('d@x', 'b')", /UNIQUE constraint failed: acct\.handle/);
      assertFails(db, "INSERT INTO acct (email, lo, hi) VALUES ('d@x', 1, 2)", /UNIQUE constraint failed: acct\.lo, acct\.hi/);
      assertFails(db, "INSERT INTO acct (email, balance) VALUES ('d@x', -1)", /CHECK constraint failed/);
      assertFails(db, "INSERT INTO acct (email, lo, hi) VALUES ('d@x', 5, 4)", /CHECK constraint failed: ck_acct_range/);
      db.prepare("INSERT INTO acct (email, handle, lo, hi) VALUES ('d@x', 'd', 4, 5)").run();
    });
  });

  it('foreign keys from the table and to it', async () => {
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE grand (id INTEGER PRIMARY KEY, name TEXT)',
        `CREATE TABLE mid (
           id INTEGER PRIMARY KEY,
           grand_id INTEGER NOT NULL REFERENCES grand (id) ON DELETE CASCADE ON UPDATE CASCADE,
           owner INTEGER,
           note TEXT,
           CONSTRAINT fk_mid_owner FOREIGN KEY (owner) REFERENCES grand (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
         )`,
        'CREATE TABLE leaf (id INTEGER PRIMARY KEY, mid_id INTEGER REFERENCES mid (id) ON DELETE SET NULL)',
        "INSERT INTO grand VALUES (1, 'g1'), (2, 'g2'), (3, 'g3')",
        'INSERT INTO mid VALUES (10, 1, 2, NULL), (11, 2, NULL, NULL), (12, 3, NULL, NULL)',
        'INSERT INTO leaf VALUES (100, 10), (101, 11), (102, 12), (103, NULL)',
      ],
      "  await op.alterColumn('mid', 'note', { type: 'varchar(50)' });",
    );
    assert.deepEqual(counts(after), counts(before));
    for (const t of ['grand', 'mid', 'leaf']) assert.deepEqual(after.rows[t], before.rows[t], `${t} rows kept`);
    withDb(p, (db) => {
      assert.match(createSql(db, 'mid'), /CONSTRAINT fk_mid_owner FOREIGN KEY \(owner\) REFERENCES grand \(id\) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED/);
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      assertFails(db, 'INSERT INTO mid (grand_id) VALUES (99)', /FOREIGN KEY constraint failed/);
      assertFails(db, 'INSERT INTO leaf (mid_id) VALUES (99)', /FOREIGN KEY constraint failed/);
      db.prepare('UPDATE grand SET id = 30 WHERE id = 3').run();
      assert.deepEqual(db.prepare('SELECT grand_id FROM mid WHERE id = 12').get(), { grand_id: 30 }, 'ON UPDATE CASCADE from grand into mid');
      db.prepare('DELETE FROM grand WHERE id = 2').run();
      assert.deepEqual(db.prepare('SELECT id, grand_id, owner FROM mid ORDER BY id').all(), [{ id: 10, grand_id: 1, owner: null }, { id: 12, grand_id: 30, owner: null }], 'ON DELETE CASCADE and SET NULL from grand into mid');
      assert.deepEqual(db.prepare('SELECT id, mid_id FROM leaf ORDER BY id').all(), [{ id: 100, mid_id: 10 }, { id: 101, mid_id: null }, { id: 102, mid_id: 12 }, { id: 103, mid_id: null }], 'ON DELETE SET NULL from mid into leaf');
    });
    const fks = (s: string): Row[] => withDb(p, (db) => db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(s) as Row[]);
    assert.equal(fks('mid').length, 2);
    assert.equal(fks('leaf').length, 1);
  });

  const CASCADE_SETUP = [
    'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code varchar(10), legacy TEXT)',
    'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE ON UPDATE CASCADE, v TEXT)',
    'CREATE TABLE grandchild (id INTEGER PRIMARY KEY, child_id INTEGER NOT NULL REFERENCES child (id) ON DELETE CASCADE)',
    'CREATE TABLE nullable_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE SET NULL)',
    'CREATE TABLE default_child (id INTEGER PRIMARY KEY, parent_id INTEGER DEFAULT 1 REFERENCES parent (id) ON DELETE SET DEFAULT)',
    'CREATE TABLE restrict_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE RESTRICT)',
    "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 300) INSERT INTO parent SELECT k, 'p' || k, 'c' || k, 'old' FROM n",
    "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 900) INSERT INTO child SELECT k, (k % 300) + 1, 'v' || k FROM n",
    'WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 900) INSERT INTO grandchild SELECT k, k FROM n',
    'WITH RECURSIVE n(k) AS (SELECT 2 UNION ALL SELECT k + 1 FROM n WHERE k < 300) INSERT INTO nullable_child SELECT k, k FROM n',
    'WITH RECURSIVE n(k) AS (SELECT 2 UNION ALL SELECT k + 1 FROM n WHERE k < 300) INSERT INTO default_child SELECT k, k FROM n',
    'WITH RECURSIVE n(k) AS (SELECT 100 UNION ALL SELECT k + 1 FROM n WHERE k < 300) INSERT INTO restrict_child SELECT k, k FROM n',
  ];
  const CASCADE_CHANGE = "  await op.alterColumn('parent', 'code', { type: 'varchar(40)' });\n  await op.dropColumn('parent', 'legacy');";
  const CHILDREN = ['child', 'grandchild', 'nullable_child', 'default_child', 'restrict_child'];

  for (const mode of [{ label: 'one transaction per revision', args: [] }, { label: '--single-transaction', args: ['--single-transaction'] }]) {
    it(`the child rows of ON DELETE CASCADE / SET NULL / SET DEFAULT foreign keys when the parent is rebuilt (${mode.label})`, async () => {
      const { p, before, after } = await rebuild(CASCADE_SETUP, CASCADE_CHANGE, { migrateArgs: mode.args });
      for (const t of CHILDREN) {
        assert.ok(before.rows[t].length > 0);
        assert.deepEqual(after.rows[t], before.rows[t], `every row of ${t} survives the parent's rebuild`);
      }
      assert.deepEqual(project(after.rows.parent, ['id', 'name', 'code']), project(before.rows.parent, ['id', 'name', 'code']));
      withDb(p, (db) => {
        assert.deepEqual(db.pragma('foreign_key_check'), []);
        // The foreign keys still act.
        db.prepare('DELETE FROM parent WHERE id = 7').run();
        assert.equal(scalar(db, 'SELECT count(*) AS n FROM child WHERE parent_id = 7'), 0);
        assert.equal(scalar(db, 'SELECT count(*) AS n FROM grandchild WHERE child_id IN (6, 306, 606)'), 0, 'cascade reaches the grandchildren');
        assert.deepEqual(db.prepare('SELECT parent_id FROM nullable_child WHERE id = 7').get(), { parent_id: null });
        assert.deepEqual(db.prepare('SELECT parent_id FROM default_child WHERE id = 7').get(), { parent_id: 1 });
        assertFails(db, 'DELETE FROM parent WHERE id = 150', /FOREIGN KEY constraint failed/);
      });
    });
  }

  it('triggers on the table, which still fire', async () => {
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE stock (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL DEFAULT 0, note TEXT)',
        'CREATE TABLE stock_log (id INTEGER PRIMARY KEY, stock_id INTEGER, what TEXT)',
        "CREATE TRIGGER stock_ai AFTER INSERT ON stock BEGIN INSERT INTO stock_log (stock_id, what) VALUES (new.id, 'insert ' || new.sku); END",
        "CREATE TRIGGER stock_au_qty AFTER UPDATE OF qty ON stock WHEN new.qty < 0 BEGIN SELECT RAISE(ABORT, 'negative stock'); END",
        "CREATE TRIGGER \"stock bd\" BEFORE DELETE ON stock BEGIN INSERT INTO stock_log (stock_id, what) VALUES (old.id, 'delete ' || old.sku); END",
        "INSERT INTO stock (sku, qty) VALUES ('a', 1), ('b', 2)",
      ],
      "  await op.alterColumn('stock', 'note', { type: 'varchar(200)' });\n  await op.alterColumn('stock', 'qty', { default: '5' });",
    );
    assert.deepEqual(after.master.filter((m) => m.type === 'trigger'), before.master.filter((m) => m.type === 'trigger'), 'trigger SQL identical');
    assert.equal(before.master.filter((m) => m.type === 'trigger').length, 3);
    assert.deepEqual(after.rows.stock_log, before.rows.stock_log, 'the rebuild itself fires no trigger');
    withDb(p, (db) => {
      db.prepare("INSERT INTO stock (sku) VALUES ('c')").run();
      assertFails(db, 'UPDATE stock SET qty = -1 WHERE id = 1', /negative stock/);
      db.prepare('DELETE FROM stock WHERE id = 2').run();
      assert.deepEqual(db.prepare('SELECT what FROM stock_log ORDER BY id').all(), [{ what: 'insert a' }, { what: 'insert b' }, { what: 'insert c' }, { what: 'delete b' }]);
      assert.deepEqual(db.prepare("SELECT qty FROM stock WHERE sku = 'c'").get(), { qty: 5 });
    });
  });

  it('triggers on other tables that write to the rebuilt table', async () => {
    // SQLite checks every trigger when the new table is renamed into place: a trigger on another
    // table that mentions the rebuilt one sees "no such table" unless the rebuild handles it.
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE stock (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, note TEXT)',
        'CREATE TABLE orders (id INTEGER PRIMARY KEY, stock_id INTEGER NOT NULL, qty INTEGER NOT NULL)',
        'CREATE TRIGGER orders_ai AFTER INSERT ON orders BEGIN UPDATE stock SET qty = qty - new.qty WHERE id = new.stock_id; END',
        'INSERT INTO stock VALUES (1, 10, NULL)',
      ],
      "  await op.alterColumn('stock', 'note', { type: 'varchar(20)' });",
    );
    assert.deepEqual(after.master.filter((m) => m.type === 'trigger'), before.master.filter((m) => m.type === 'trigger'));
    withDb(p, (db) => {
      db.prepare('INSERT INTO orders VALUES (1, 1, 3)').run();
      assert.deepEqual(db.prepare('SELECT qty FROM stock WHERE id = 1').get(), { qty: 7 });
    });
  });

  it('views that read the table, and views that read those views', async () => {
    const setup = [
      'CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT NOT NULL, dept TEXT, salary INTEGER, note TEXT)',
      'CREATE TABLE dept (code TEXT PRIMARY KEY, title TEXT NOT NULL)',
      'CREATE VIEW emp_public AS SELECT id, name, dept FROM emp',
      'CREATE VIEW dept_sizes AS SELECT d.code, d.title, count(e.id) AS n FROM dept d LEFT JOIN emp_public e ON e.dept = d.code GROUP BY d.code',
      'CREATE VIEW big_depts AS SELECT title FROM dept_sizes WHERE n >= 2',
      'CREATE VIEW "payroll view" AS SELECT dept, sum(salary) AS total FROM emp GROUP BY dept',
      'CREATE VIEW dept_only AS SELECT * FROM dept',
      "INSERT INTO dept VALUES ('eng', 'Engineering'), ('ops', 'Operations'), ('hr', 'People')",
      "INSERT INTO emp (name, dept, salary) VALUES ('a', 'eng', 10), ('b', 'eng', 20), ('c', 'ops', 30), ('d', NULL, 5)",
    ];
    const VIEWS = ['emp_public', 'dept_sizes', 'big_depts', 'payroll view', 'dept_only'];
    const read = (p: TempProject): Record<string, Row[]> => withDb(p, (db) => Object.fromEntries(VIEWS.map((v) => [v, tableRows(db, v)])));
    const p0 = newProject('migrator-rebuild-views-');
    initProject(p0, setup);
    await cliOk(p0, ['upgrade', BASE]);
    const viewRows = read(p0);
    assert.deepEqual(viewRows.big_depts, [{ title: 'Engineering' }]);

    const { p, before, after, sql } = await rebuild(setup, "  await op.alterColumn('emp', 'salary', { type: 'bigint' });\n  await op.dropColumn('emp', 'note');");
    assert.doesNotMatch(sql, /DROP VIEW "dept_only"/, 'a view that does not read the table is left alone');
    assert.deepEqual(after.master.filter((m) => m.type === 'view'), before.master.filter((m) => m.type === 'view'), 'view SQL identical');
    assert.deepEqual(read(p), viewRows, 'every view returns what it returned before');
  });

  it('STRICT and WITHOUT ROWID tables stay so', async () => {
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE s (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, note TEXT) STRICT',
        'CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER, note TEXT) WITHOUT ROWID',
        'CREATE TABLE sw (k TEXT PRIMARY KEY, v INTEGER, note TEXT) STRICT, WITHOUT ROWID',
        "INSERT INTO s VALUES (1, 5, NULL), (2, 6, 'n')",
        "INSERT INTO w VALUES ('a', 1, NULL), ('b', 2, 'n')",
        "INSERT INTO sw VALUES ('a', 1, NULL), ('b', 2, 'n')",
      ],
      ['s', 'w', 'sw'].map((t) => `  await op.alterColumn('${t}', 'note', { nullable: false, default: "''" });`).join('\n'),
      { rebuilds: 3 },
    );
    withDb(p, (db) => {
      const flags = db.prepare("SELECT name, strict, wr FROM pragma_table_list WHERE name IN ('s', 'w', 'sw') ORDER BY name").all();
      assert.deepEqual(flags, [
        { name: 's', strict: 1, wr: 0 },
        { name: 'sw', strict: 1, wr: 1 },
        { name: 'w', strict: 0, wr: 1 },
      ]);
      assert.match(createSql(db, 's'), /\)\s*STRICT$/);
      assert.match(createSql(db, 'w'), /\)\s*WITHOUT ROWID$/);
      assert.match(createSql(db, 'sw'), /\)\s*STRICT, WITHOUT ROWID$/);
      assertFails(db, "INSERT INTO s (id, qty) VALUES (3, 'many')", /cannot store TEXT value in INTEGER column/);
      assertFails(db, "INSERT INTO sw (k, v) VALUES ('c', 'x')", /cannot store TEXT value in INTEGER column/);
    });
    for (const t of ['s', 'w', 'sw']) {
      const keep = t === 's' ? ['id', 'qty'] : ['k', 'v'];
      assert.deepEqual(project(after.rows[t], keep), project(before.rows[t], keep));
      assert.deepEqual(after.rows[t].map((r) => r.note).sort(), ['', 'n'], `${t}: the NULL note takes the default`);
    }
  });

  it('the AUTOINCREMENT sequence: the ids of deleted last rows are not reused', async () => {
    const { p, before, after, sql } = await rebuild(
      [
        'CREATE TABLE ticket (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT)',
        'CREATE TABLE other (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT)',
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10) INSERT INTO ticket (title) SELECT 't' || k FROM n",
        "INSERT INTO other (x) VALUES ('a'), ('b'), ('c')",
        'DELETE FROM ticket WHERE id > 7',
        'DELETE FROM other',
      ],
      "  await op.alterColumn('ticket', 'title', { type: 'varchar(50)' });",
    );
    assert.match(sql, /AUTOINCREMENT/);
    assert.deepEqual(after.rows.sqlite_sequence, before.rows.sqlite_sequence, 'sqlite_sequence unchanged');
    assert.deepEqual(after.rows.ticket, before.rows.ticket);
    withDb(p, (db) => {
      assert.match(createSql(db, 'ticket'), /id INTEGER PRIMARY KEY AUTOINCREMENT/);
      assert.equal(db.prepare("INSERT INTO ticket (title) VALUES ('next')").run().lastInsertRowid, 11);
      assert.equal(db.prepare("INSERT INTO other (x) VALUES ('d')").run().lastInsertRowid, 4);
    });
  });

  it('COLLATE NOCASE and generated columns', async () => {
    const { p, before, after } = await rebuild(
      [
        `CREATE TABLE person (
           id INTEGER PRIMARY KEY,
           name TEXT COLLATE NOCASE NOT NULL UNIQUE,
           email varchar(50) COLLATE NOCASE,
           qty INTEGER NOT NULL DEFAULT 1,
           price REAL,
           total REAL GENERATED ALWAYS AS (qty * price) STORED,
           label TEXT AS (upper(name) || '#' || id) VIRTUAL,
           note TEXT
         )`,
        'CREATE INDEX ix_person_email ON person (email)',
        "INSERT INTO person (name, email, qty, price) VALUES ('alice', 'Alice@Example.org', 2, 1.25), ('Bob', 'bob@example.org', 3, NULL)",
      ],
      // The collated column's own type changes: its COLLATE must come along.
      "  await op.alterColumn('person', 'email', { type: 'varchar(100)' });\n  await op.alterColumn('person', 'note', { type: 'varchar(10)' });",
    );
    assert.deepEqual(after.rows.person, before.rows.person);
    withDb(p, (db) => {
      const sql = createSql(db, 'person');
      assert.match(sql, /"?email"? varchar\(100\) COLLATE "NOCASE"/i);
      assert.ok(sql.includes('name TEXT COLLATE NOCASE NOT NULL UNIQUE'), sql);
      assert.ok(sql.includes('total REAL GENERATED ALWAYS AS (qty * price) STORED'), sql);
      assert.ok(sql.includes("label TEXT AS (upper(name) || '#' || id) VIRTUAL"), sql);
      assert.deepEqual(
        (db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?) ORDER BY cid').all('person') as Row[]).map((r) => [r.name, r.hidden]),
        [['id', 0], ['name', 0], ['email', 0], ['qty', 0], ['price', 0], ['total', 3], ['label', 2], ['note', 0]],
      );
      assert.deepEqual(db.prepare("SELECT id FROM person WHERE email = 'ALICE@EXAMPLE.ORG'").all(), [{ id: 1 }], 'email compares NOCASE');
      assertFails(db, "INSERT INTO person (name) VALUES ('ALICE')", /UNIQUE constraint failed: person\.name/);
      db.prepare("UPDATE person SET qty = 4, price = 2 WHERE id = 2").run();
      assert.deepEqual(db.prepare('SELECT total, label FROM person ORDER BY id').all(), [{ total: 2.5, label: 'ALICE#1' }, { total: 8, label: 'BOB#2' }]);
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    });
  });

  it('quoted and unicode names: "order", a"b and ünïcødé.sélect', async () => {
    const { p, before, after, sql } = await rebuild(
      [
        'CREATE TABLE "order" ("id" INTEGER PRIMARY KEY, "group" TEXT, "select" INTEGER)',
        'CREATE TABLE "a""b" ("id" INTEGER PRIMARY KEY, "c""d" TEXT, "e f" INTEGER)',
        'CREATE TABLE "ünïcødé" ("id" INTEGER PRIMARY KEY, "sélect" TEXT, "order_id" INTEGER REFERENCES "order" ("id") ON DELETE CASCADE)',
        'CREATE INDEX "ix_order_group" ON "order" ("group")',
        'CREATE INDEX "ix_a""b" ON "a""b" ("c""d")',
        'CREATE UNIQUE INDEX "ïx_sélect" ON "ünïcødé" ("sélect")',
        'CREATE VIEW "vüe" AS SELECT u."sélect", o."group" FROM "ünïcødé" u JOIN "order" o ON o."id" = u."order_id"',
        "INSERT INTO \"order\" VALUES (1, 'g1', 10), (2, 'g2', NULL)",
        "INSERT INTO \"a\"\"b\" VALUES (1, 'x''y\"z', NULL), (2, NULL, 3)",
        "INSERT INTO \"ünïcødé\" VALUES (1, 'ß', 1), (2, '日本', 2), (3, NULL, NULL)",
      ],
      [
        "  await op.alterColumn('order', 'select', { type: 'bigint' });",
        "  await op.alterColumn('a\"b', 'e f', { nullable: false, default: '0' });",
        "  await op.alterColumn('ünïcødé', 'sélect', { type: 'varchar(100)' });",
      ].join('\n'),
      { rebuilds: 3 },
    );
    assert.ok(sql.includes('CREATE TABLE "_migrator_tmp_a""b"'), sql);
    assert.ok(sql.includes('CREATE TABLE "_migrator_tmp_ünïcødé"'), sql);
    assert.deepEqual(after.rows.order, before.rows.order);
    assert.deepEqual(after.rows['ünïcødé'], before.rows['ünïcødé']);
    assert.deepEqual(project(after.rows['a"b'], ['id', 'c"d', 'e f']), project([{ id: 1n, 'c"d': 'x\'y"z', 'e f': 0n }, { id: 2n, 'c"d': null, 'e f': 3n }], ['id', 'c"d', 'e f']));
    const kept = (s: Snapshot): Row[] => s.master.filter((m) => m.type === 'index' || m.type === 'view');
    assert.deepEqual(kept(after), kept(before), 'indexes and the view as written');
    withDb(p, (db) => {
      assert.deepEqual(columnNames(db, 'ünïcødé'), ['id', 'sélect', 'order_id']);
      assert.equal(columnInfo(db, 'ünïcødé', 'sélect').type, 'varchar(100)');
      assert.deepEqual(columnNames(db, 'a"b'), ['id', 'c"d', 'e f']);
      assert.deepEqual(tableRows(db, 'vüe'), [{ 'sélect': 'ß', group: 'g1' }, { 'sélect': '日本', group: 'g2' }]);
      assertFails(db, 'INSERT INTO "ünïcødé" ("sélect") VALUES (\'ß\')', /UNIQUE constraint failed/);
      db.prepare('DELETE FROM "order" WHERE "id" = 1').run();
      assert.equal(scalar(db, 'SELECT count(*) AS n FROM "ünïcødé"'), 2, 'the foreign key into "order" still cascades');
      assert.deepEqual(db.pragma('foreign_key_check'), []);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// What rebuilds, and what stays native
// ---------------------------------------------------------------------------------------------

const THING_SETUP = [
  'CREATE TABLE owner (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)',
  `CREATE TABLE thing (
     id INTEGER PRIMARY KEY,
     name varchar(20) NOT NULL,
     qty INTEGER DEFAULT 1,
     tag TEXT,
     owner_id INTEGER REFERENCES owner (id),
     other_owner INTEGER,
     score INTEGER,
     ref TEXT,
     CONSTRAINT uq_ref UNIQUE (ref),
     CONSTRAINT ck_score CHECK (score >= 0)
   )`,
  'CREATE TABLE holder (id INTEGER PRIMARY KEY, owner_code TEXT, CONSTRAINT fk_holder_owner FOREIGN KEY (owner_code) REFERENCES owner (code))',
  'CREATE INDEX ix_thing_tag ON thing (tag)',
  "INSERT INTO owner VALUES (1, 'o1'), (2, 'o2')",
  "INSERT INTO thing VALUES (1, 'a', 5, 't1', 1, 2, 3, 'r1'), (2, 'b', NULL, 't2', 2, NULL, 0, NULL), (3, 'c', 2, NULL, NULL, 1, NULL, 'r3')",
  "INSERT INTO holder VALUES (1, 'o1'), (2, NULL)",
];

interface RebuildCase {
  name: string;
  change: string;
  rebuilds?: number;
  /** Columns whose values the change may alter (compared nowhere else). */
  changed?: string[];
  verify: (db: Database) => void;
}

const REBUILD_CASES: RebuildCase[] = [
  {
    name: 'a type change',
    change: "  await op.alterColumn('thing', 'name', { type: 'varchar(80)' });",
    verify: (db) => assert.equal(columnInfo(db, 'thing', 'name').type, 'varchar(80)'),
  },
  {
    name: 'NOT NULL → NULL',
    change: "  await op.alterColumn('thing', 'name', { nullable: true });",
    verify: (db) => {
      assert.equal(columnInfo(db, 'thing', 'name').notnull, 0);
      db.prepare('INSERT INTO thing (id, name) VALUES (10, NULL)').run();
    },
  },
  {
    name: 'NULL → NOT NULL with a default',
    change: "  await op.alterColumn('thing', 'tag', { nullable: false, default: \"'none'\" });",
    changed: ['tag'],
    verify: (db) => {
      assert.equal(columnInfo(db, 'thing', 'tag').notnull, 1);
      assert.deepEqual(db.prepare('SELECT tag FROM thing ORDER BY id').all(), [{ tag: 't1' }, { tag: 't2' }, { tag: 'none' }]);
    },
  },
  {
    name: 'a new default',
    change: "  await op.alterColumn('thing', 'qty', { default: '7' });",
    verify: (db) => {
      assert.equal(columnInfo(db, 'thing', 'qty').dflt_value, '7');
      db.prepare("INSERT INTO thing (id, name) VALUES (10, 'x')").run();
      assert.deepEqual(db.prepare('SELECT qty FROM thing WHERE id = 10').get(), { qty: 7 });
    },
  },
  {
    name: 'a dropped default',
    change: "  await op.alterColumn('thing', 'qty', { default: null });",
    verify: (db) => {
      assert.equal(columnInfo(db, 'thing', 'qty').dflt_value, null);
      db.prepare("INSERT INTO thing (id, name) VALUES (10, 'x')").run();
      assert.deepEqual(db.prepare('SELECT qty FROM thing WHERE id = 10').get(), { qty: null });
    },
  },
  {
    name: 'dropping an indexed column',
    change: "  await op.dropColumn('thing', 'tag');",
    verify: (db) => {
      assert.ok(!columnNames(db, 'thing').includes('tag'));
      assert.equal(scalar(db, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'ix_thing_tag'"), 0);
    },
  },
  {
    name: 'dropping a column a check constraint uses',
    change: "  await op.dropColumn('thing', 'score');",
    verify: (db) => {
      assert.ok(!columnNames(db, 'thing').includes('score'));
      assert.doesNotMatch(createSql(db, 'thing'), /ck_score/);
    },
  },
  {
    name: 'dropping a column in a unique constraint',
    change: "  await op.dropColumn('thing', 'ref');",
    verify: (db) => {
      assert.ok(!columnNames(db, 'thing').includes('ref'));
      assert.doesNotMatch(createSql(db, 'thing'), /uq_ref/);
    },
  },
  {
    name: 'dropping a foreign-key column',
    change: "  await op.dropColumn('thing', 'owner_id');",
    verify: (db) => {
      assert.ok(!columnNames(db, 'thing').includes('owner_id'));
      assert.deepEqual(db.prepare("SELECT * FROM pragma_foreign_key_list('thing')").all(), []);
    },
  },
  {
    name: "dropping a column another table's foreign key references (that foreign key dropped first)",
    change: "  await op.dropConstraint('holder', 'fk_holder_owner', 'foreignKey');\n  await op.dropColumn('owner', 'code');",
    rebuilds: 2,
    verify: (db) => {
      assert.deepEqual(columnNames(db, 'owner'), ['id']);
      assert.deepEqual(db.prepare("SELECT * FROM pragma_foreign_key_list('holder')").all(), []);
      assert.deepEqual(db.pragma('foreign_key_check'), []);
    },
  },
  {
    name: 'adding a foreign key',
    change: "  await op.createForeignKey('thing', { name: 'fk_thing_other', columns: ['other_owner'], referencedTable: 'owner', referencedColumns: ['id'], onDelete: 'SET NULL' });",
    verify: (db) => {
      const fks = db.prepare("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('thing') ORDER BY \"from\"").all();
      assert.deepEqual(fks, [
        { from: 'other_owner', table: 'owner', to: 'id', on_delete: 'SET NULL' },
        { from: 'owner_id', table: 'owner', to: 'id', on_delete: 'NO ACTION' },
      ]);
      assertFails(db, "INSERT INTO thing (id, name, other_owner) VALUES (10, 'x', 99)", /FOREIGN KEY constraint failed/);
    },
  },
  {
    name: 'dropping a foreign key',
    change: "  await op.dropConstraint('thing', { type: 'foreignKey', columns: ['owner_id'] });",
    verify: (db) => {
      assert.deepEqual(db.prepare("SELECT * FROM pragma_foreign_key_list('thing')").all(), []);
      db.prepare("INSERT INTO thing (id, name, owner_id) VALUES (10, 'x', 99)").run();
    },
  },
  {
    name: 'adding a unique constraint',
    change: "  await op.createUniqueConstraint('thing', { name: 'uq_thing_name', columns: ['name'] });",
    verify: (db) => assertFails(db, "INSERT INTO thing (id, name) VALUES (10, 'a')", /UNIQUE constraint failed: thing\.name/),
  },
  {
    name: 'dropping a unique constraint',
    change: "  await op.dropConstraint('thing', 'uq_ref', 'unique');",
    verify: (db) => {
      assert.doesNotMatch(createSql(db, 'thing'), /uq_ref/);
      db.prepare("INSERT INTO thing (id, name, ref) VALUES (10, 'x', 'r1')").run();
    },
  },
  {
    name: 'adding a check constraint',
    change: "  await op.createCheckConstraint('thing', { name: 'ck_qty', expression: 'qty > 0' });",
    verify: (db) => assertFails(db, "INSERT INTO thing (id, name, qty) VALUES (10, 'x', 0)", /CHECK constraint failed: ck_qty/),
  },
  {
    name: 'dropping a check constraint',
    change: "  await op.dropConstraint('thing', 'ck_score', 'check');",
    verify: (db) => {
      assert.doesNotMatch(createSql(db, 'thing'), /ck_score/);
      db.prepare("INSERT INTO thing (id, name, score) VALUES (10, 'x', -1)").run();
    },
  },
  {
    name: 'adding a column whose default is an expression',
    change: "  await op.addColumn('thing', { name: 'created', type: 'text', nullable: false, default: \"datetime('now')\" });",
    verify: (db) => {
      assert.equal(columnNames(db, 'thing').at(-1), 'created');
      assert.equal(scalar(db, 'SELECT count(*) AS n FROM thing WHERE created IS NULL'), 0);
    },
  },
];

describe('SQLite changes that rebuild the table', CONCURRENCY, () => {
  for (const c of REBUILD_CASES) {
    it(`${c.name}: ${c.rebuilds ?? 1} rebuild(s), no in-place ALTER, every other value kept`, async () => {
      const { p, sql, before, after } = await rebuild(THING_SETUP, c.change, { rebuilds: c.rebuilds ?? 1 });
      assert.doesNotMatch(sql, /ALTER TABLE \S+ (ADD|DROP) COLUMN/, sql);
      for (const t of userTables(before)) {
        assert.equal(after.rows[t].length, before.rows[t].length, `${t}: row count`);
        const afterCols = Object.keys(after.rows[t][0] ?? {});
        const common = Object.keys(before.rows[t][0] ?? {}).filter((k) => afterCols.includes(k) && !(c.changed ?? []).includes(k));
        assert.deepEqual(project(after.rows[t], common), project(before.rows[t], common), `${t}: values of ${common.join(', ')} kept`);
      }
      withDb(p, (db) => {
        c.verify(db);
        assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      });
    });
  }

  // A rename runs natively, and SQLite rewrites the views that read the table; a rebuild later in
  // the same revision drops and recreates those views, and must recreate them as they are then.
  const VIEW_SETUP = [
    'CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT, salary INTEGER)',
    'CREATE VIEW emp_names AS SELECT name, salary FROM emp',
    "INSERT INTO emp VALUES (1, 'a', 5), (2, 'b', 7)",
  ];
  for (const r of [
    { what: 'a column', rename: "await op.renameColumn('emp', 'name', 'full_name');", table: 'emp', native: 'ALTER TABLE "emp" RENAME COLUMN "name" TO "full_name"' },
    { what: 'the table', rename: "await op.renameTable('emp', 'staff');", table: 'staff', native: 'ALTER TABLE "emp" RENAME TO "staff"' },
  ]) {
    it(`renaming ${r.what}, then rebuilding the table in the same revision: the views over it still work`, async () => {
      const { p } = await rebuild(VIEW_SETUP, `  ${r.rename}\n  await op.alterColumn('${r.table}', 'salary', { type: 'bigint' });`);
      // What SQLite itself makes of the view when the rename (as migrator issues it) runs alone.
      const scratch = new Sqlite(':memory:');
      scratch.exec(VIEW_SETUP.join(';\n'));
      scratch.exec(r.native);
      const nativeView = scalar<string>(scratch, "SELECT sql FROM sqlite_master WHERE name = 'emp_names'");
      scratch.close();
      withDb(p, (db) => {
        assert.deepEqual(
          (db.prepare('SELECT * FROM emp_names').raw().all() as unknown[][]).map((row) => row.map(String)),
          [['a', '5'], ['b', '7']],
          'the view can be read',
        );
        assert.equal(scalar<string>(db, "SELECT sql FROM sqlite_master WHERE name = 'emp_names'"), nativeView, 'the view as the rename left it');
      });
    });
  }

  it('dropping a column that only an expression index uses: a rebuild, and the index goes with the column', async () => {
    const { p, before, after } = await rebuild(
      [
        'CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, note TEXT)',
        'CREATE INDEX ix_t_lower_email ON t (lower(email))',
        'CREATE INDEX ix_t_note ON t (note)',
        "INSERT INTO t VALUES (1, 'A@x', 'n1'), (2, NULL, 'n2')",
      ],
      "  await op.dropColumn('t', 'email');",
    );
    assert.deepEqual(project(after.rows.t, ['id', 'note']), project(before.rows.t, ['id', 'note']));
    withDb(p, (db) => {
      assert.deepEqual(columnNames(db, 't'), ['id', 'note']);
      assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 't'").all(), [{ name: 'ix_t_note' }]);
    });
  });

  const SEVERAL = [
    "await $.alterColumn('name', { type: 'varchar(80)' });",
    "await $.alterColumn('qty', { nullable: false, default: '0' });",
    "await $.addColumn({ name: 'created', type: 'text', nullable: false, default: \"datetime('now')\" });",
    "await $.dropColumn('tag');",
    "await $.createIndex({ name: 'ix_thing_name', columns: ['name'] });",
    "await $.createCheckConstraint({ name: 'ck_qty', expression: 'qty >= 0' });",
    "await $.createUniqueConstraint({ name: 'uq_thing_name', columns: ['name'] });",
    "await $.dropConstraint({ type: 'foreignKey', columns: ['owner_id'] });",
  ];
  const verifySeveral = (db: Database): void => {
    assert.deepEqual(columnNames(db, 'thing'), ['id', 'name', 'qty', 'owner_id', 'other_owner', 'score', 'ref', 'created']);
    assert.equal(columnInfo(db, 'thing', 'name').type, 'varchar(80)');
    assert.deepEqual(db.prepare('SELECT id, qty FROM thing ORDER BY id').all(), [{ id: 1, qty: 5 }, { id: 2, qty: 0 }, { id: 3, qty: 2 }]);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'thing' AND sql IS NOT NULL").all(), [{ name: 'ix_thing_name' }]);
    assert.deepEqual(db.prepare("SELECT * FROM pragma_foreign_key_list('thing')").all(), []);
    assertFails(db, "INSERT INTO thing (id, name, qty) VALUES (10, 'x', -1)", /CHECK constraint failed: ck_qty/);
    assertFails(db, "INSERT INTO thing (id, name) VALUES (10, 'a')", /UNIQUE constraint failed: thing\.name/);
  };

  it('several changes to one table in one revision share exactly one rebuild', async () => {
    const change = SEVERAL.map((l) => `  ${l.replace(/\$\.(\w+)\(/, (_m, f: string) => `op.${f}('thing', `)}`).join('\n');
    const { p } = await rebuild(THING_SETUP, change, { rebuilds: 1 });
    withDb(p, verifySeveral);
  });

  it('batchAlterTable: the same changes, one rebuild', async () => {
    const change = `  await op.batchAlterTable('thing', async (batch) => {\n${SEVERAL.map((l) => `    ${l.replace('$.', 'batch.')}`).join('\n')}\n  });`;
    const { p } = await rebuild(THING_SETUP, change, { rebuilds: 1 });
    withDb(p, verifySeveral);
  });

  it('renames stay native: ALTER TABLE … RENAME, no rebuild', async () => {
    const { p, sql, before, after } = await rebuild(THING_SETUP, "  await op.renameColumn('thing', 'tag', 'label');\n  await op.renameTable('thing', 'stuff');", { rebuilds: 0 });
    assert.match(sql, /ALTER TABLE "thing" RENAME COLUMN "tag" TO "label"/);
    assert.match(sql, /ALTER TABLE "thing" RENAME TO "stuff"/);
    assert.doesNotMatch(sql, /DROP TABLE|INSERT INTO "(?!migrator_history")/);
    assert.deepEqual(project(after.rows.stuff, ['id', 'name', 'label']), project(before.rows.thing, ['id', 'name', 'tag']));
    withDb(p, (db) => {
      assert.match(scalar(db, "SELECT sql FROM sqlite_master WHERE name = 'ix_thing_tag'"), /ON "stuff" \("label"\)/);
    });
  });

  it('a rename and a rebuild of the same table in one revision: the rename native, one rebuild, the index follows', async () => {
    const { p, sql, before, after } = await rebuild(THING_SETUP, "  await op.renameColumn('thing', 'tag', 'label');\n  await op.alterColumn('thing', 'label', { type: 'varchar(30)' });", { rebuilds: 1 });
    assert.match(sql, /ALTER TABLE "thing" RENAME COLUMN "tag" TO "label"/);
    assert.deepEqual(project(after.rows.thing, ['id', 'label']), project(before.rows.thing, ['id', 'tag']));
    withDb(p, (db) => {
      assert.equal(columnInfo(db, 'thing', 'label').type, 'varchar(30)');
      assert.deepEqual(db.prepare("SELECT * FROM pragma_index_info('ix_thing_tag')").all(), [{ seqno: 0, cid: 3, name: 'label' }]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// NOT NULL
// ---------------------------------------------------------------------------------------------

describe('SQLite rebuild: a column becoming NOT NULL', CONCURRENCY, () => {
  it('existing NULLs take the new default', async () => {
    const { after } = await rebuild(
      THING_SETUP.concat(["INSERT INTO thing (id, name, tag) VALUES (4, 'd', NULL), (5, 'e', '')"]),
      "  await op.alterColumn('thing', 'tag', { nullable: false, default: \"'n/a'\" });\n  await op.alterColumn('thing', 'qty', { nullable: false, default: '42' });",
    );
    assert.deepEqual(
      after.rows.thing.map((r) => [r.id, r.tag, r.qty]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [1n, 't1', 5n],
        [2n, 't2', 42n],
        [3n, 'n/a', 2n],
        [4n, 'n/a', 1n],
        [5n, '', 1n],
      ],
    );
  });

  it('with no default, the revision fails before changing anything and says how many rows are NULL', async () => {
    const p = newProject('migrator-rebuild-notnull-');
    initProject(p, THING_SETUP.concat(["INSERT INTO thing (id, name, tag) VALUES (4, 'd', NULL), (5, 'e', NULL)"]));
    writeRevision(p, REV2, BASE, 'tag not null', "  await op.alterColumn('thing', 'name', { type: 'varchar(99)' });\n  await op.alterColumn('thing', 'tag', { nullable: false });");
    await cliOk(p, ['upgrade', BASE]);
    const dump = sqliteDump(p.path('app.db'));
    const r = await cli(p, ['migrate']);
    const line = failedWith(r);
    assert.match(line, /thing\.tag/, line);
    assert.match(line, /\b3 row\(s\)/, line);
    assert.match(line, new RegExp(REV2), line);
    assert.equal(sqliteDump(p.path('app.db')), dump, 'the database is unchanged');
    assert.deepEqual(versionsOf(p), [BASE]);
    assert.ok(!existsSync(p.path('app.db-journal')), 'no journal left behind');
  });

  it('a new NOT NULL column with no default on a table with rows fails the same way, counting the rows', async () => {
    const p = newProject('migrator-rebuild-notnull-');
    initProject(p, THING_SETUP);
    writeRevision(p, REV2, BASE, 'new not null column', "  await op.addColumn('thing', { name: 'sku', type: 'text', nullable: false });");
    await cliOk(p, ['upgrade', BASE]);
    const dump = sqliteDump(p.path('app.db'));
    const line = failedWith(await cli(p, ['migrate']));
    assert.match(line, /thing\.sku/, line);
    assert.match(line, /\b3 row\(s\)/, line);
    assert.equal(sqliteDump(p.path('app.db')), dump, 'the database is unchanged');
    assert.deepEqual(versionsOf(p), [BASE]);
  });

  it('an op.execute UPDATE filling the NULLs first, in the same revision, lets it pass', async () => {
    const { after, sql } = await rebuild(
      THING_SETUP,
      "  await op.execute(\"UPDATE thing SET tag = 'filled' WHERE tag IS NULL\");\n  await op.alterColumn('thing', 'tag', { nullable: false });",
    );
    assert.match(sql, /UPDATE thing SET tag = 'filled'[\s\S]*CREATE TABLE "_migrator_tmp_thing"/);
    assert.deepEqual(after.rows.thing.map((r) => r.tag).sort(), ['filled', 't1', 't2']);
  });
});

// ---------------------------------------------------------------------------------------------
// Foreign keys checked before commit
// ---------------------------------------------------------------------------------------------

describe('SQLite rebuild: foreign-key violations', CONCURRENCY, () => {
  const SETUP = [
    'CREATE TABLE owner (id INTEGER PRIMARY KEY, name TEXT)',
    'CREATE TABLE thing (id INTEGER PRIMARY KEY, owner_id INTEGER, label TEXT)',
    "INSERT INTO owner VALUES (1, 'a'), (2, 'b')",
    "INSERT INTO thing VALUES (1, 1, 'ok'), (2, 2, 'ok'), (3, 99, 'orphan'), (4, NULL, 'none'), (5, 98, 'orphan')",
  ];
  const ADD_FK = "  await op.createForeignKey('thing', { name: 'fk_thing_owner', columns: ['owner_id'], referencedTable: 'owner', referencedColumns: ['id'], onDelete: 'CASCADE' });";

  it('adding a foreign key over orphan rows aborts, names the table and rows, leaves the database untouched; enforcement is back on afterwards', async () => {
    const p = newProject('migrator-rebuild-fk-');
    initProject(p, SETUP);
    writeRevision(p, REV2, BASE, 'add fk', ADD_FK);
    await cliOk(p, ['upgrade', BASE]);
    const dump = sqliteDump(p.path('app.db'));

    const line = failedWith(await cli(p, ['migrate']));
    assert.match(line, /foreign key/i, line);
    assert.match(line, /\b2 row\(s\)/, line);
    assert.match(line, /thing rowid 3 -> owner/, line);
    assert.match(line, /thing rowid 5 -> owner/, line);
    assert.equal(sqliteDump(p.path('app.db')), dump, 'the database is unchanged');
    assert.deepEqual(versionsOf(p), [BASE]);

    // The orphans removed first: the rebuild passes, and the next revision of the same run finds
    // foreign keys enforced again.
    writeRevision(p, REV2, BASE, 'add fk', `  await op.execute('DELETE FROM thing WHERE owner_id NOT IN (SELECT id FROM owner)');\n${ADD_FK}`);
    writeRevision(p, REV3, REV2, 'insert an orphan', "  await op.execute(\"INSERT INTO thing VALUES (10, 12345, 'orphan')\");");
    const again = failedWith(await cli(p, ['migrate']));
    assert.match(again, new RegExp(`${REV3}[\\s\\S]*FOREIGN KEY constraint failed`), again);
    assert.deepEqual(versionsOf(p), [REV2]);
    withDb(p, (db) => {
      assert.deepEqual(db.prepare('SELECT id FROM thing ORDER BY id').all(), [{ id: 1 }, { id: 2 }, { id: 4 }]);
      assert.equal(scalar(db, "SELECT count(*) AS n FROM pragma_foreign_key_list('thing')"), 1);
    });

    // A new run (a new connection) enforces them too: a cascade happens, an orphan is refused.
    writeRevision(p, REV3, REV2, 'delete an owner', "  await op.execute('DELETE FROM owner WHERE id = 1');");
    writeRevision(p, REV4, REV3, 'insert an orphan', "  await op.execute(\"INSERT INTO thing VALUES (11, 777, 'orphan')\");");
    const third = failedWith(await cli(p, ['migrate']));
    assert.match(third, new RegExp(`${REV4}[\\s\\S]*FOREIGN KEY constraint failed`), third);
    assert.deepEqual(versionsOf(p), [REV3]);
    withDb(p, (db) => assert.deepEqual(db.prepare('SELECT id FROM thing ORDER BY id').all(), [{ id: 2 }, { id: 4 }], 'ON DELETE CASCADE acted'));
  });

  it('with --single-transaction, the run is rolled back whole and the message blames the revision that added the foreign key', async () => {
    const p = newProject('migrator-rebuild-fk-');
    initProject(p, SETUP);
    writeRevision(p, REV2, BASE, 'add fk', ADD_FK);
    writeRevision(p, REV3, REV2, 'innocent', "  await op.execute('CREATE TABLE unrelated (a INTEGER)');");
    await cliOk(p, ['upgrade', BASE]);
    const dump = sqliteDump(p.path('app.db'));
    const line = failedWith(await cli(p, ['migrate', '--single-transaction']));
    assert.match(line, /thing rowid 3 -> owner/, line);
    assert.equal(sqliteDump(p.path('app.db')), dump, 'the database is unchanged');
    assert.match(line, new RegExp(`revision ${REV2}`), `the revision that adds the foreign key is named: ${line}`);
    assert.doesNotMatch(line, new RegExp(`revision ${REV3}`), `the innocent revision after it is not blamed: ${line}`);
  });

  it('dropping a column another table still references aborts and leaves the database untouched', async () => {
    const p = newProject('migrator-rebuild-fk-');
    initProject(p, THING_SETUP);
    writeRevision(p, REV2, BASE, 'drop referenced column', "  await op.dropColumn('owner', 'code');");
    await cliOk(p, ['upgrade', BASE]);
    const dump = sqliteDump(p.path('app.db'));
    const line = failedWith(await cli(p, ['migrate']));
    assert.match(line, /holder/, line);
    assert.equal(sqliteDump(p.path('app.db')), dump);
    assert.deepEqual(versionsOf(p), [BASE]);
  });
});

// ---------------------------------------------------------------------------------------------
// Offline SQL
// ---------------------------------------------------------------------------------------------

describe('SQLite rebuild: offline SQL', CONCURRENCY, () => {
  const SETUP = [
    'CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT COLLATE NOCASE NOT NULL, code varchar(10), legacy TEXT, score INTEGER)',
    'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE, note TEXT)',
    'CREATE INDEX ix_parent_code ON parent (code) WHERE code IS NOT NULL',
    'CREATE INDEX ix_parent_lower ON parent (lower(name))',
    'CREATE TABLE audit (msg TEXT)',
    "CREATE TRIGGER parent_au AFTER UPDATE ON parent BEGIN INSERT INTO audit VALUES ('updated ' || new.id); END",
    'CREATE VIEW parent_stats AS SELECT p.id, p.name, count(c.id) AS children FROM parent p LEFT JOIN child c ON c.parent_id = p.id GROUP BY p.id',
    'CREATE VIEW busy_parents AS SELECT * FROM parent_stats WHERE children > 1',
    "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 200) INSERT INTO parent (name, code, legacy, score) SELECT 'p' || k, CASE WHEN k % 3 THEN 'c' || k END, 'old', CASE WHEN k % 4 THEN k END FROM n",
    "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 500) INSERT INTO child (parent_id, note) SELECT (k % 200) + 1, 'n' || k FROM n",
    'DELETE FROM parent WHERE id > 195',
  ];
  const setupProject = (): TempProject => {
    const p = newProject('migrator-rebuild-offline-');
    initProject(p, SETUP);
    writeRevision(p, REV2, BASE, 'retype code, drop legacy', "  await op.alterColumn('parent', 'code', { type: 'varchar(40)' });\n  await op.dropColumn('parent', 'legacy');");
    writeRevision(p, REV3, REV2, 'score not null', "  await op.alterColumn('parent', 'score', { nullable: false, default: '0' });");
    return p;
  };

  it('sqlmigrate and upgrade --sql print the rebuild with no database, and create none', async () => {
    const p = setupProject();
    const one = (await cliOk(p, ['sqlmigrate', REV2])).stdout;
    assert.equal(rebuildCount(one), 1, one);
    assert.match(one, /PRAGMA foreign_keys=OFF;[\s\S]*BEGIN;[\s\S]*DROP TABLE "parent";[\s\S]*PRAGMA foreign_key_check;\s*COMMIT;\s*PRAGMA foreign_keys=ON;/);
    for (const kept of ['CREATE INDEX ix_parent_lower ON parent (lower(name));', 'CREATE TRIGGER parent_au']) assert.ok(one.includes(kept), `${kept} in:\n${one}`);
    // Views are left alone: the swap's rename runs with legacy_alter_table on, so they are
    // neither rewritten nor re-checked, and read the new table once it is in place.
    assert.ok(!one.includes('DROP VIEW'), one);
    assert.match(one, /PRAGMA legacy_alter_table = ON;\s*ALTER TABLE "_migrator_tmp_parent" RENAME TO "parent";\s*PRAGMA legacy_alter_table = OFF;/);
    const range = (await cliOk(p, ['upgrade', '--sql', `${BASE}:${REV3}`])).stdout;
    assert.equal(rebuildCount(range), 2, range);
    assert.match(range, /coalesce\("score", 0\)/);
    assert.ok(!existsSync(p.path('app.db')), 'no database file was created');
    assert.deepEqual(readdirSync(p.dir).filter((f) => f.startsWith('app.db')), []);
  });

  it('the printed SQL, run by sqlite3 and by better-sqlite3 on a copy at the previous revision, gives the same schema and rows as the online run', async () => {
    const p = setupProject();
    const script = (await cliOk(p, ['upgrade', '--sql', `${BASE}:${REV3}`])).stdout;
    const perRevision = [(await cliOk(p, ['sqlmigrate', REV2])).stdout, (await cliOk(p, ['sqlmigrate', REV3])).stdout];
    assert.ok(!existsSync(p.path('app.db')));

    await cliOk(p, ['upgrade', BASE]);
    copyDb(p, 'app.db', 'by-sqlite3.db');
    copyDb(p, 'app.db', 'by-better-sqlite3.db');
    await cliOk(p, ['migrate']);
    const online = snapshot(p.path('app.db'));
    assert.deepEqual(versionsOf(p), [REV3]);

    const shell = runSqlite3Script(p.path('by-sqlite3.db'), script);
    assert.equal(shell.status, 0, `sqlite3 failed:\n${shell.stderr}`);
    assert.equal(shell.stdout.trim(), '', `PRAGMA foreign_key_check reported violations:\n${shell.stdout}`);
    assert.deepEqual(snapshot(p.path('by-sqlite3.db')), online, 'upgrade --sql via sqlite3 == online migrate');

    const db = openDb(p.path('by-better-sqlite3.db'));
    try {
      for (const sql of perRevision) db.exec(sql);
    } finally {
      db.close();
    }
    assert.deepEqual(snapshot(p.path('by-better-sqlite3.db')), online, 'sqlmigrate of each revision via better-sqlite3 == online migrate');
    assert.equal(online.rows.child.length, 490, 'no child row lost (the base revision deleted 5 parents with 2 children each)');
  });
});
