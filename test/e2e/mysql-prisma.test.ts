/**
 * Prisma schemas on MySQL/MariaDB, end to end through the built CLI: for each fixture in
 * test/fixtures/prisma/mysql/<name>/ (a schema.prisma written the way projects write one), the
 * SQL Prisma Migrate writes for it (`expected.sql`) builds one fresh database and migrator's
 * `makemigrations` + `migrate` another; the two information_schema catalogs must be the same —
 * each column's COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA and COLLATION_NAME in order, each index with its
 * kind and keys (prefix lengths, DESC), each foreign key with its actions, each check. Then
 * `check` against Prisma's database (stamped at migrator's head) must find no difference, a
 * second makemigrations must say "No changes detected", and downgrade base leaves nothing.
 *
 * expected.sql is written by hand, not by Prisma's engine. The engine the other Prisma tests run
 * (@prisma/schema-engine-wasm, test/support/prisma-engine.ts) has no MySQL connector: given a
 * driver adapter whose provider is "mysql" it panics ("Unsupported adapter provider: Mysql", at
 * schema-engine/connectors/sql-schema-connector/src/lib.rs), and given the PostgreSQL or SQLite
 * stub adapter, `diff` of a schema whose datasource provider is "mysql" fails with "`mysql` is
 * not a supported connector." (before validating the schema). The native engine, which has one,
 * is a binary downloaded at install time, which this project cannot fetch. So expected.sql
 * follows Prisma's rules for MySQL as its schema engine's MySQL renderer and psl's MySQL
 * connector state them — type spellings, the default native type of each scalar, ENUM columns,
 * `CURRENT_TIMESTAMP(p)`, no Json/Bytes/@updatedAt/uuid() defaults, index and key names, prefix
 * lengths and sort orders inside CREATE TABLE, foreign keys added last with their default
 * actions, implicit many-to-many tables with `_AB_unique` and `_B_index` — each line checked by
 * hand against those rules (the test's first assertions pin a few of them in Prisma's database).
 *
 * Each column's collation is compared too: Prisma creates every table with `DEFAULT CHARACTER SET
 * utf8mb4 COLLATE utf8mb4_unicode_ci`, and so does migrator, whatever the database's default.
 *
 * Needs `npx tsc -p tsconfig.json` first, and MySQL or MariaDB (test/support/mysql.ts, default
 * mysql://root@127.0.0.1:3306); an unreachable server fails the test.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mysqlCatalogLines, readMysqlCatalog } from '../support/mysql-catalog.ts';

type MysqlCatalog = ReturnType<typeof mysqlCatalogLines>;
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { explain, projects, ROOT, type RunResult } from './helpers.ts';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'prisma', 'mysql');

const newProject = projects();

/** The operations a `check` or `makemigrations` run lists (`  - alter column T.c`). */
function listedOperations(r: RunResult): string[] {
  return [...new Set([...r.stdout.matchAll(/^\s+- (.+)$/gm)].map((m) => m[1].trim()))].sort();
}

/** What each fixture must show in Prisma's database, so that the comparison is not of empty catalogs. */
const PINNED: Record<string, [table: string, pattern: RegExp][]> = {
  blog: [
    ['users', /^COLUMN role enum\('USER','ADMIN','mod'\) NOT NULL DEFAULT 'USER'(?: COLLATE \S+)?$/m],
    ['users', /^COLUMN created_at datetime\(3\) NOT NULL DEFAULT current_timestamp\(3\)(?: COLLATE \S+)?$/m],
    ['users', /^COLUMN updated_at datetime\(3\) NOT NULL(?: COLLATE \S+)?$/m],
    ['users', /^COLUMN email varchar\(191\) NOT NULL(?: COLLATE \S+)?$/m],
    ['users', /^COLUMN is_active tinyint\(1\) NOT NULL DEFAULT 1(?: COLLATE \S+)?$/m],
    ['users', /^COLUMN id int\(11\) NOT NULL \[auto_increment\](?: COLLATE \S+)?$/m],
    ['users', /^INDEX users_name_created_at_idx BTREE \(name\(10\), created_at DESC\)$/m],
    ['posts', /^INDEX posts_title_content_idx FULLTEXT \(title, content\)$/m],
    ['posts', /^FOREIGN KEY posts_author_id_fkey \(author_id\) -> users \(id\) ON DELETE RESTRICT ON UPDATE CASCADE$/m],
    ['orders', /^COLUMN meta longtext NOT NULL(?: COLLATE \S+)?$/m],
    ['order_items', /^INDEX PRIMARY UNIQUE BTREE \(order_id, product_id\)$/m],
    ['_PostToTag', /^INDEX _PostToTag_AB_unique UNIQUE BTREE \(A, B\)$/m],
    ['_PostCategories', /^COLUMN A varchar\(191\) NOT NULL(?: COLLATE \S+)?$/m],
    ['Comment', /^FOREIGN KEY Comment_authorId_fkey \(authorId\) -> users \(id\) ON DELETE SET NULL ON UPDATE CASCADE$/m],
  ],
  workspaces: [
    ['WorkspaceMembershipInvitation', /^INDEX WorkspaceMembershipInvitation_workspaceIdentifier_invitedEma_key UNIQUE BTREE /m],
    ['WorkspaceMembershipInvitation', /^COLUMN id int\(10\) unsigned NOT NULL \[auto_increment\](?: COLLATE \S+)?$/m],
    ['WorkspaceMembershipInvitation', /^COLUMN visibility enum\('PUBLIC','private','UNLISTED'\) DEFAULT 'PUBLIC'(?: COLLATE \S+)?$/m],
    ['Workspace', /^INDEX Workspace_readme_key UNIQUE BTREE \(readme\(100\)\)$/m],
    ['Workspace', /^COLUMN founded year\(4\) DEFAULT NULL(?: COLLATE \S+)?$/m],
    ['Workspace', /^COLUMN verified bit\(1\) NOT NULL DEFAULT b'0'(?: COLLATE \S+)?$/m],
    ['members', /^COLUMN public_id char\(36\) NOT NULL DEFAULT uuid\(\)(?: COLLATE \S+)?$/m],
    ['members', /^COLUMN serial bigint\(20\) unsigned NOT NULL \[auto_increment\](?: COLLATE \S+)?$/m],
    ['_GroupToMember', /^INDEX _GroupToMember_B_index BTREE \(B\)$/m],
    ['Project', /^COLUMN created datetime\(6\) NOT NULL DEFAULT current_timestamp\(6\)(?: COLLATE \S+)?$/m],
  ],
};

for (const fixture of fs.readdirSync(FIXTURES).sort()) {
  describe(`the Prisma fixture mysql/${fixture}: migrator builds the database Prisma Migrate builds`, () => {
    const p = newProject(`migrator-mysql-prisma-${fixture}-`);
    let mine: TestMysqlDatabase | undefined;
    let theirs: TestMysqlDatabase | undefined;
    let migrated = false;

    before(async () => {
      [mine, theirs] = await Promise.all([createMysqlTestDatabase('migrator_prisma'), createMysqlTestDatabase('migrator_prisma_ref')]);
      p.write(path.join('prisma', 'schema.prisma'), fs.readFileSync(path.join(FIXTURES, fixture, 'schema.prisma'), 'utf8'));
      p.writeConfig({ database: mine.url, models: ['prisma'] });
      await theirs.query(fs.readFileSync(path.join(FIXTURES, fixture, 'expected.sql'), 'utf8'));
    });
    after(async () => {
      await Promise.all([mine?.drop(), theirs?.drop()]);
    });

    it('makemigrations writes one revision and migrate applies it', () => {
      const r = p.ok(['makemigrations', '-m', `prisma ${fixture}`]);
      assert.match(r.stdout, /create table/);
      assert.equal(p.versionFiles().length, 1);
      p.ok(['migrate']);
      migrated = true;
    });

    describe('the two databases are the same', () => {
      let a: MysqlCatalog;
      let b: MysqlCatalog;
      before(async () => {
        assert.ok(migrated, 'not migrated');
        [a, b] = (await Promise.all([readMysqlCatalog(mine!), readMysqlCatalog(theirs!)])).map((c) => mysqlCatalogLines(c, { collations: true }));
      });
      it('tables', () => {
        assert.deepEqual(a.tables, b.tables, 'migrator, then Prisma');
      });
      it('what the fixture exercises reached Prisma’s database (the comparison is not of empty catalogs)', () => {
        for (const [table, pattern] of PINNED[fixture] ?? []) assert.match(b.byTable.get(table) ?? '', pattern, table);
      });
      it('each table: columns in order with type, NOT NULL, default and extra; indexes with their keys; foreign keys; checks', () => {
        for (const t of b.tables) assert.equal(a.byTable.get(t), b.byTable.get(t), `${t}: migrator, then Prisma`);
      });
    });

    it('check finds no difference on migrator’s database, nor on Prisma’s stamped at migrator’s head', () => {
      assert.ok(migrated, 'not migrated');
      p.ok(['stamp', 'head', '--database', theirs!.url]);
      for (const database of [mine!.url, theirs!.url]) {
        const r = p.run(['check', '--database', database]);
        assert.deepEqual(listedOperations(r), [], explain(r, 'to list no difference'));
        assert.equal(r.status, 0, explain(r, 'to exit 0'));
      }
    });

    it('a second makemigrations says "No changes detected" and writes nothing', () => {
      assert.ok(migrated, 'not migrated');
      const files = p.versionFiles();
      assert.match(p.ok(['makemigrations', '-m', 'again']).stdout, /No changes detected/);
      assert.deepEqual(p.versionFiles(), files);
    });

    it('downgrade base leaves no table behind', async () => {
      assert.ok(migrated, 'not migrated');
      p.ok(['downgrade', 'base']);
      assert.deepEqual(mysqlCatalogLines(await readMysqlCatalog(mine!)).tables, []);
    });
  });
}
