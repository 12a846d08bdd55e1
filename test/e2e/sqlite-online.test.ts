/**
 * The online-DDL options on SQLite, through the built CLI: they compile to the plain forms (an
 * index built as usual, constraints added through the rebuild that checks every row, nothing to
 * validate, NOT NULL set by the rebuild), in the revision's one transaction; offline SQL shows no
 * phase, CONCURRENTLY, NOT VALID, VALIDATE or lock timeout. `export const transaction = false`
 * runs VACUUM, which SQLite refuses in a transaction.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explain, offlineHistory, projects, type TempProject } from './helpers.ts';
import { ONLINE, revisionFile, TABLES } from './online-revisions.ts';

const newProject = projects();

/** A project at a1 with `n` parents and `n` items that satisfy every constraint b2 adds. */
function atA1(n: number): TempProject {
  const p = newProject('migrator-sqlite-online-');
  p.writeConfig();
  p.write('versions/a1_tables.ts', TABLES);
  p.ok(['upgrade', 'a1']);
  p.exec(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${n})
    INSERT INTO parents SELECT i FROM g;
    WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${n})
    INSERT INTO items SELECT i, i, 1 + i % 7, 'c' || i FROM g;`);
  return p;
}

const itemsSql = (p: TempProject): string => p.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'")[0].sql as string;

describe('online operations on SQLite', () => {
  test('run in the revision’s transaction in their plain forms; downgrade undoes them', () => {
    const p = atA1(50);
    const before = p.schema();
    p.write('versions/b2_online.ts', ONLINE);
    const r = p.ok(['migrate']);
    assert.equal(r.stdout, 'Applied  b2  online\nDatabase is now at b2.\n');
    assert.equal(r.stderr, '');
    assert.deepEqual(p.versions(), ['b2']);
    // One transaction, no phase: no progress table.
    assert.deepEqual(p.tables(), ['items', 'migrator_history', 'migrator_version', 'parents']);
    assert.equal(
      itemsSql(p),
      'CREATE TABLE "items" ("id" integer NOT NULL, "parent_id" integer, "qty" integer, "code" text NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "items_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "parents" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION, CONSTRAINT "items_qty_positive" CHECK (qty > 0))',
    );
    assert.deepEqual(
      p.schema().items.indexes.map((i) => [i.name, i.columns]),
      [['items_qty_idx', ['qty']]],
    );
    assert.deepEqual(p.query('SELECT count(*) AS n FROM items'), [{ n: 50 }]);
    assert.throws(() => p.exec("INSERT INTO items VALUES (100, 1, 0, 'x')"), /CHECK constraint failed/);

    p.ok(['downgrade', 'a1']);
    assert.deepEqual(p.schema(), before);
    p.ok(['downgrade', 'base']);
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version']);
  });

  test('validate: false still checks the rows there: a row breaking the check rolls the revision back', () => {
    const p = atA1(10);
    p.exec('UPDATE items SET qty = 0 WHERE id = 3');
    p.write('versions/b2_online.ts', ONLINE);
    const r = p.run(['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(r.stderr, /^error: upgrade a1 -> b2 failed; revision b2 \(\S*b2_online\.ts\) was rolled back: CHECK constraint failed: items_qty_positive/);
    assert.deepEqual(p.versions(), ['a1']);
    assert.doesNotMatch(itemsSql(p), /CHECK|FOREIGN KEY|"code" text NOT NULL/);
    assert.deepEqual(p.schema().items.indexes, []);
  });

  test('upgrade --sql: one transaction per revision, no online forms, no lock timeout', () => {
    const history = offlineHistory('sqlite');
    const p = newProject('migrator-sqlite-online-');
    p.writeConfig();
    p.write('versions/a1_tables.ts', TABLES);
    p.write('versions/b2_online.ts', ONLINE);
    const r = p.ok(['upgrade', 'heads', '--sql', '--lock-timeout', '3s']);
    assert.equal(
      r.stdout,
      `CREATE TABLE IF NOT EXISTS "migrator_version" ("version_num" varchar(32) NOT NULL, CONSTRAINT "migrator_version_pkc" PRIMARY KEY ("version_num"));

${history.create}

-- Running upgrade <base> -> a1
-- tables
BEGIN;
CREATE TABLE "parents" ("id" integer NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE "items" ("id" integer NOT NULL, "parent_id" integer, "qty" integer, "code" text, PRIMARY KEY ("id"));
INSERT INTO "migrator_version" ("version_num") VALUES ('a1');
${history.row('a1', TABLES)}
COMMIT;

-- Running upgrade a1 -> b2
-- online
PRAGMA foreign_keys=OFF;
BEGIN;
CREATE INDEX "items_qty_idx" ON "items" ("qty");
-- must count 0, or the run stops here: SELECT count(*) FROM "items" WHERE "code" IS NULL
CREATE TABLE "_migrator_tmp_items" ("id" integer NOT NULL, "parent_id" integer, "qty" integer, "code" text NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "items_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "parents" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION, CONSTRAINT "items_qty_positive" CHECK (qty > 0));
INSERT INTO "_migrator_tmp_items" ("id", "parent_id", "qty", "code") SELECT "id", "parent_id", "qty", "code" FROM "items";
DROP TABLE "items";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "_migrator_tmp_items" RENAME TO "items";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "items_qty_idx" ON "items" ("qty");
UPDATE "migrator_version" SET "version_num" = 'b2' WHERE "version_num" = 'a1';
${history.row('b2', ONLINE)}
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys=ON;
`,
    );
    // The same script in one transaction: nothing here runs outside one.
    const single = p.ok(['upgrade', 'heads', '--sql', '--single-transaction']);
    assert.doesNotMatch(single.stdout, /CONCURRENTLY|NOT VALID|VALIDATE|lock_timeout|phase/);
  });

  test('`export const transaction = false` runs VACUUM, which fails in the revision’s transaction', () => {
    const p = atA1(20);
    p.write(
      'versions/b2_vacuum.ts',
      revisionFile('b2', 'a1', 'vacuum', ["await op.addColumn('items', { name: 'note', type: 'text', nullable: true });", "await op.execute('VACUUM');"], ["await op.dropColumn('items', 'note');"]),
    );
    const refused = p.run(['migrate']);
    assert.equal(refused.status, 2, explain(refused, 'to exit 2'));
    assert.match(refused.stderr, /^error: upgrade a1 -> b2 failed; revision b2 \(\S*b2_vacuum\.ts\) was rolled back: cannot VACUUM from within a transaction/);
    assert.deepEqual(p.versions(), ['a1']);
    assert.ok(!p.schema().items.columns.some((c) => c.name === 'note'));

    p.write(
      'versions/b2_vacuum.ts',
      revisionFile(
        'b2',
        'a1',
        'vacuum',
        ["await op.addColumn('items', { name: 'note', type: 'text', nullable: true });", "await op.execute(\"UPDATE items SET note = 'n' || id\");", "await op.execute('VACUUM');"],
        ["await op.execute('VACUUM');", "await op.dropColumn('items', 'note');"],
        '\nexport const transaction = false;\n',
      ),
    );
    const r = p.ok(['migrate']);
    assert.match(r.stdout, /^Applied {2}b2 {2}vacuum$/m);
    assert.deepEqual(p.versions(), ['b2']);
    assert.deepEqual(p.query("SELECT count(*) AS n FROM items WHERE note = 'n' || id"), [{ n: 20 }]);
    assert.ok(!p.tables().includes('migrator_version_progress'), 'the progress table is gone once the revision is done');
    p.ok(['downgrade', 'a1']);
    assert.deepEqual(p.versions(), ['a1']);
    assert.ok(!p.schema().items.columns.some((c) => c.name === 'note'));
  });
});
