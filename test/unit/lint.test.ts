/**
 * The lint rules on minimal operation lists: each fires on a table the revision did not create,
 * and stays quiet when the revision created the table itself. Also the type judgments, the raw
 * SQL reader and ignore comments.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { dialectNamed } from '../../src/dialects/index.js';
import { narrows } from '../../src/sql/column-types.js';
import { pgTypeChangeRewrites } from '../../src/dialects/postgres/rewrites.js';
import { mysqlTypeChangeCopies } from '../../src/dialects/mysql/rewrites.js';
import { normalizeMysqlType } from '../../src/dialects/mysql/types.js';
import { parseIgnores } from '../../src/lint/ignores.js';
import { lintOperations, lintRevision, type OperationFinding } from '../../src/lint/lint.js';
import { scanSql } from '../../src/lint/raw-sql.js';
import { RULES } from '../../src/lint/rules.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Column, Schema, Table } from '../../src/schema/schema.js';
import { recordRevisionCalls } from '../../src/script/load.js';

const COLUMNS: Column[] = [
  { name: 'id', type: 'integer', nullable: false },
  { name: 'title', type: 'varchar(200)', nullable: true },
  { name: 'body', type: 'text', nullable: true },
  { name: 'views', type: 'integer', nullable: true },
  { name: 'author_id', type: 'integer', nullable: true },
];

function table(name: string): Table {
  return { name, columns: structuredClone(COLUMNS), primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] };
}

/** The database before the revision: `posts` and `authors` exist. */
const EXISTING: Schema = { tables: [table('posts'), table('authors')] };

const normalizeType = dialectNamed('postgres').compareOptions.normalizeType;

/** The codes found, in order; `dialect` null for a project with no database configured. */
function codes(ops: Operation[], dialect: string | null = 'postgres', schema: Schema = EXISTING): string[] {
  return lintOperations(ops, { dialect: dialect ?? undefined, schema, normalizeType }).map((f) => f.code);
}

/** The same operations on a table the revision creates first. */
function onNewTable(ops: (t: string) => Operation[]): Operation[] {
  return [{ kind: 'createTable', table: table('drafts') }, ...ops('drafts')];
}

const fk = (t: string): Operation => ({ kind: 'addConstraint', table: t, constraint: { type: 'foreignKey', name: `${t}_author_fkey`, columns: ['author_id'], referencedTable: 'authors', referencedColumns: ['id'] } });
const check = (t: string): Operation => ({ kind: 'addConstraint', table: t, constraint: { type: 'check', name: `${t}_views_check`, expression: 'views >= 0' } });

/** For each rule: a minimal list of operations on table `t` that should make it fire. */
const CASES: { code: string; dialect: string; ops: (t: string) => Operation[] }[] = [
  { code: 'drop-table', dialect: 'sqlite', ops: (t) => [{ kind: 'dropTable', table: t }] },
  { code: 'drop-column', dialect: 'sqlite', ops: (t) => [{ kind: 'dropColumn', table: t, column: 'body' }] },
  { code: 'rename-table', dialect: 'sqlite', ops: (t) => [{ kind: 'renameTable', from: t, to: `${t}_old` }] },
  { code: 'rename-column', dialect: 'sqlite', ops: (t) => [{ kind: 'renameColumn', table: t, from: 'body', to: 'content' }] },
  { code: 'narrow-type', dialect: 'postgres', ops: (t) => [{ kind: 'alterColumn', table: t, column: 'title', changes: { type: 'varchar(100)' } }] },
  { code: 'add-not-null', dialect: 'sqlite', ops: (t) => [{ kind: 'alterColumn', table: t, column: 'title', changes: { nullable: false } }] },
  { code: 'add-not-null', dialect: 'sqlite', ops: (t) => [{ kind: 'addColumn', table: t, column: { name: 'slug', type: 'text', nullable: false } }] },
  { code: 'add-unique', dialect: 'sqlite', ops: (t) => [{ kind: 'createIndex', table: t, index: { name: `${t}_title_key`, columns: ['title'], unique: true } }] },
  { code: 'add-unique', dialect: 'sqlite', ops: (t) => [{ kind: 'addConstraint', table: t, constraint: { type: 'unique', name: `${t}_title_uq`, columns: ['title'] } }] },
  { code: 'add-unique', dialect: 'sqlite', ops: (t) => [{ kind: 'alterPrimaryKey', table: t, primaryKey: { columns: ['id', 'title'] } }] },
  { code: 'add-foreign-key', dialect: 'sqlite', ops: (t) => [fk(t)] },
  { code: 'add-check', dialect: 'sqlite', ops: (t) => [check(t)] },
  { code: 'index-not-concurrent', dialect: 'postgres', ops: (t) => [{ kind: 'createIndex', table: t, index: { name: `${t}_title_idx`, columns: ['title'], unique: false } }] },
  { code: 'index-not-concurrent', dialect: 'postgres', ops: (t) => [{ kind: 'execute', sql: `CREATE INDEX ${t}_body_idx ON ${t} (body)` }] },
  { code: 'foreign-key-not-valid', dialect: 'postgres', ops: (t) => [fk(t)] },
  { code: 'foreign-key-not-valid', dialect: 'postgres', ops: (t) => [{ kind: 'execute', sql: `ALTER TABLE "${t}" ADD CONSTRAINT fk FOREIGN KEY (author_id) REFERENCES authors (id)` }] },
  { code: 'check-not-valid', dialect: 'postgres', ops: (t) => [check(t)] },
  { code: 'type-change-rewrite', dialect: 'postgres', ops: (t) => [{ kind: 'alterColumn', table: t, column: 'views', changes: { type: 'bigint' } }] },
  { code: 'set-not-null-scan', dialect: 'postgres', ops: (t) => [{ kind: 'alterColumn', table: t, column: 'title', changes: { nullable: false, default: "''" } }] },
  { code: 'volatile-default', dialect: 'postgres', ops: (t) => [{ kind: 'addColumn', table: t, column: { name: 'token', type: 'uuid', nullable: true, default: 'gen_random_uuid()' } }] },
  { code: 'volatile-default', dialect: 'postgres', ops: (t) => [{ kind: 'addColumn', table: t, column: { name: 'seq', type: 'integer', nullable: false, autoincrement: true } }] },
  { code: 'drop-table', dialect: 'postgres', ops: (t) => [{ kind: 'execute', sql: `DROP TABLE IF EXISTS public.${t}` }] },
  { code: 'drop-column', dialect: 'postgres', ops: (t) => [{ kind: 'execute', sql: `ALTER TABLE ${t} DROP COLUMN IF EXISTS body` }] },
];

describe('lint rules', () => {
  it('every rule has a case here', () => {
    const covered = new Set(CASES.map((c) => c.code));
    assert.deepEqual(
      RULES.map((r) => r.code).filter((c) => !covered.has(c) && c !== 'concurrently-in-transaction'),
      [],
    );
  });

  for (const c of CASES) {
    const sample = describeOps(c.ops('posts'));
    it(`${c.code} fires on an existing table (${c.dialect}: ${sample})`, () => {
      assert.ok(codes(c.ops('posts'), c.dialect).includes(c.code), `${c.code} among ${codes(c.ops('posts'), c.dialect).join(', ')}`);
    });
    it(`${c.code} stays quiet on a table created in the same revision (${sample})`, () => {
      assert.deepEqual(codes(onNewTable(c.ops), c.dialect), []);
    });
  }

  it('concurrently-in-transaction fires even on a new table: CONCURRENTLY fails in any transaction', () => {
    assert.deepEqual(codes([{ kind: 'execute', sql: 'CREATE INDEX CONCURRENTLY i ON posts (title)' }]), ['concurrently-in-transaction']);
    assert.deepEqual(codes(onNewTable((t) => [{ kind: 'execute', sql: `CREATE INDEX CONCURRENTLY i ON ${t} (title)` }])), ['concurrently-in-transaction']);
    assert.deepEqual(codes([{ kind: 'execute', sql: 'DROP INDEX CONCURRENTLY i' }]), ['concurrently-in-transaction']);
  });

  it('a table created by raw SQL in the same revision is new as well', () => {
    assert.deepEqual(codes([{ kind: 'execute', sql: 'CREATE TABLE drafts (id int)' }, { kind: 'createIndex', table: 'drafts', index: { name: 'i', columns: ['id'], unique: false } }]), []);
  });

  it('the online-DDL rules run on PostgreSQL only, the rewrite rules where a change copies a table under a lock; none run on SQLite or without a dialect', () => {
    const ops: Operation[] = [
      { kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'varchar(100)' } },
      { kind: 'createIndex', table: 'posts', index: { name: 'i', columns: ['title'], unique: false } },
      { kind: 'addColumn', table: 'posts', column: { name: 'token', type: 'uuid', nullable: true, default: 'gen_random_uuid()' } },
    ];
    assert.deepEqual(codes(ops, 'sqlite'), []);
    assert.deepEqual(codes(ops, null), []);
    assert.deepEqual(codes(ops, 'postgres'), ['narrow-type', 'type-change-rewrite', 'index-not-concurrent', 'volatile-default']);
    assert.deepEqual(codes(ops, 'mysql'), ['narrow-type', 'type-change-rewrite']);
  });

  it('on MySQL, which enforces types, copies tables for type changes but has no online forms: narrow-type and the rewrite rules run', () => {
    const mysqlCodes = (ops: Operation[]): string[] =>
      lintOperations(ops, { dialect: 'mysql', schema: EXISTING, normalizeType: dialectNamed('mysql').compareOptions.normalizeType }).map((f) => f.code);
    const alter = (column: string, type: string): Operation => ({ kind: 'alterColumn', table: 'posts', column, changes: { type } });
    assert.deepEqual(mysqlCodes([alter('title', 'varchar(100)'), { kind: 'createIndex', table: 'posts', index: { name: 'i', columns: ['title'], unique: false } }]), ['narrow-type', 'type-change-rewrite']);
    assert.deepEqual(mysqlCodes([alter('views', 'tinyint')]), ['narrow-type', 'type-change-rewrite']);
    assert.deepEqual(mysqlCodes([alter('views', 'bigint')]), ['type-change-rewrite']);
    assert.deepEqual(mysqlCodes([alter('views', 'double')]), ['type-change-rewrite']);
    const added = (column: Operation & { kind: 'addColumn' }): OperationFinding[] => lintOperations([column], { dialect: 'mysql', schema: EXISTING });
    const numbered = added({ kind: 'addColumn', table: 'posts', column: { name: 'seq', type: 'int', nullable: false, autoincrement: true } });
    assert.deepEqual(numbered.map((f) => [f.code, f.detail]), [['volatile-default', 'new column posts.seq numbers every row (AUTO_INCREMENT); writes blocked']]);
    assert.deepEqual(added({ kind: 'addColumn', table: 'posts', column: { name: 'token', type: 'varchar(36)', nullable: true, default: '(uuid())' } }), []);
  });

  it('add-not-null: a default or an earlier UPDATE fills the NULLs; a nullable column or one already NOT NULL is no change', () => {
    const setNotNull = (changes: object = {}): Operation => ({ kind: 'alterColumn', table: 'posts', column: 'title', changes: { nullable: false, ...changes } });
    assert.deepEqual(codes([setNotNull({ default: "''" })], 'sqlite'), []);
    assert.deepEqual(codes([{ kind: 'execute', sql: "UPDATE posts SET title = '' WHERE title IS NULL" }, setNotNull()], 'sqlite'), []);
    assert.deepEqual(codes([{ kind: 'execute', sql: "UPDATE authors SET title = ''" }, setNotNull()], 'sqlite'), ['add-not-null']);
    assert.deepEqual(codes([{ kind: 'alterColumn', table: 'posts', column: 'id', changes: { nullable: false } }], 'postgres'), []);
    assert.deepEqual(codes([{ kind: 'addColumn', table: 'posts', column: { name: 'slug', type: 'text', nullable: false, default: "''" } }], 'sqlite'), []);
    assert.deepEqual(codes([{ kind: 'addColumn', table: 'posts', column: { name: 'slug', type: 'text', nullable: true } }], 'sqlite'), []);
    // A column this revision added to an existing table is NULL in every existing row.
    assert.deepEqual(codes([{ kind: 'addColumn', table: 'posts', column: { name: 'slug', type: 'text', nullable: true } }, { kind: 'alterColumn', table: 'posts', column: 'slug', changes: { nullable: false } }], 'sqlite'), ['add-not-null']);
  });

  it('add-foreign-key: not over a column this revision adds, nullable and with no default, whose every row is NULL', () => {
    const key = (columns: string[]): Operation => ({ kind: 'addConstraint', table: 'posts', constraint: { type: 'foreignKey', name: 'posts_editor_fkey', columns, referencedTable: 'authors', referencedColumns: ['id'] } });
    // The rule alone (PostgreSQL's locking rules have their own say on the same operation).
    const fkCodes = (ops: Operation[]): string[] => codes(ops, 'postgres').filter((c) => c === 'add-foreign-key');
    const add = (column: Partial<Column> = {}): Operation => ({ kind: 'addColumn', table: 'posts', column: { name: 'editor_id', type: 'integer', nullable: true, ...column } });
    assert.deepEqual(fkCodes([add(), key(['editor_id'])]), []);
    // A default, a backfill, or a column there before: rows may reference nothing.
    assert.deepEqual(fkCodes([add({ default: '1' }), key(['editor_id'])]), ['add-foreign-key']);
    assert.deepEqual(fkCodes([add(), { kind: 'execute', sql: 'UPDATE posts SET editor_id = author_id' }, key(['editor_id'])]), ['add-foreign-key']);
    assert.deepEqual(fkCodes([add(), key(['editor_id', 'author_id'])]), ['add-foreign-key']);
  });

  it('add-not-null counts the NULL rows of the column; destructive rules count the table', () => {
    const [notNull] = lintOperations([{ kind: 'alterColumn', table: 'posts', column: 'title', changes: { nullable: false } }], { dialect: 'sqlite', schema: EXISTING });
    assert.deepEqual(notNull.count, { table: 'posts', nullIn: 'title' });
    const [drop] = lintOperations([{ kind: 'dropColumn', table: 'posts', column: 'body' }], { dialect: 'sqlite', schema: EXISTING });
    assert.deepEqual(drop.count, { table: 'posts' });
    const [rename] = lintOperations([{ kind: 'renameColumn', table: 'posts', from: 'body', to: 'text' }], { dialect: 'sqlite', schema: EXISTING });
    assert.equal(rename.count, undefined);
  });

  it('set-not-null-scan: a check proving the column NOT NULL spares the scan (PostgreSQL 12+)', () => {
    const proven: Schema = structuredClone(EXISTING);
    proven.tables[0].checks.push({ name: 'title_not_null', expression: '"title" IS NOT NULL' });
    assert.deepEqual(codes([{ kind: 'alterColumn', table: 'posts', column: 'title', changes: { nullable: false, default: "''" } }], 'postgres', proven), []);
  });

  it('volatile-default: now() and constants are not volatile', () => {
    for (const d of ['now()', 'CURRENT_TIMESTAMP', "'x'", '0']) {
      assert.deepEqual(codes([{ kind: 'addColumn', table: 'posts', column: { name: 'c', type: 'text', nullable: true, default: d } }]), [], d);
    }
    for (const d of ['random()', 'clock_timestamp()', 'uuid_generate_v4()', "nextval('s'::regclass)"]) {
      assert.deepEqual(codes([{ kind: 'addColumn', table: 'posts', column: { name: 'c', type: 'text', nullable: true, default: d } }]), ['volatile-default'], d);
    }
  });

  it('type changes PostgreSQL makes in its catalog alone are not rewrites; widening is not narrowing', () => {
    const alter = (column: string, type: string): Operation => ({ kind: 'alterColumn', table: 'posts', column, changes: { type } });
    assert.deepEqual(codes([alter('title', 'varchar(300)')]), []);
    assert.deepEqual(codes([alter('title', 'text')]), []);
    assert.deepEqual(codes([alter('title', 'character varying(200)')]), []);
    assert.deepEqual(codes([alter('body', 'varchar(10)')]), ['narrow-type', 'type-change-rewrite']);
    assert.deepEqual(codes([alter('views', 'smallint')]), ['narrow-type', 'type-change-rewrite']);
  });

  it('raw SQL: NOT VALID, CONCURRENTLY-free statements on new tables and other statements stay quiet', () => {
    assert.deepEqual(codes([{ kind: 'execute', sql: 'ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (author_id) REFERENCES authors (id) NOT VALID' }]), []);
    assert.deepEqual(codes([{ kind: 'execute', sql: "ALTER TABLE posts DROP CONSTRAINT fk; SELECT 'DROP TABLE posts'; -- DROP TABLE posts" }]), []);
    assert.deepEqual(codes([{ kind: 'execute', sql: 'CREATE FUNCTION f() RETURNS void AS $$ BEGIN DROP TABLE posts; END $$ LANGUAGE plpgsql' }]), []);
  });
});

describe('column type judgments', () => {
  const t = (type: string): string => normalizeType!(type);
  it('narrows', () => {
    const cases: [string, string, boolean | undefined][] = [
      ['varchar(200)', 'varchar(100)', true],
      ['varchar(100)', 'varchar(200)', false],
      ['text', 'varchar(255)', true],
      ['varchar(20)', 'text', false],
      ['integer', 'text', false],
      ['bigint', 'integer', true],
      ['smallint', 'bigint', false],
      ['numeric(10,2)', 'numeric(8,2)', true],
      ['numeric(10,2)', 'numeric(12,4)', false],
      ['numeric(10,2)', 'numeric(12,1)', true],
      ['numeric', 'numeric(10,2)', true],
      ['integer', 'numeric(12,0)', false],
      ['numeric(4,0)', 'smallint', false],
      ['numeric(10,2)', 'integer', true],
      ['double precision', 'real', true],
      ['text', 'integer', true],
      ['integer', 'varchar(5)', true],
      ['smallint', 'varchar(6)', false],
      ['timestamp(6)', 'timestamp(3)', true],
      ['boolean', 'integer', undefined],
      // MySQL's text types: tinytext holds 255 bytes, the others more than text.
      ['text', 'mediumtext', false],
      ['tinytext', 'longtext', false],
      ['text', 'tinytext', true],
      ['varchar(300)', 'tinytext', true],
    ];
    for (const [from, to, expected] of cases) assert.equal(narrows(t(from), t(to)), expected, `${from} -> ${to}`);
  });

  it('PostgreSQL rewrites', () => {
    const cases: [string, string, boolean][] = [
      ['varchar(10)', 'varchar(20)', false],
      ['varchar(10)', 'text', false],
      ['varchar(10)', 'varchar', false],
      ['text', 'varchar(10)', true],
      ['char(5)', 'char(10)', true],
      ['numeric(10,2)', 'numeric(12,2)', false],
      ['numeric(10,2)', 'numeric', false],
      ['numeric(10,2)', 'numeric(12,3)', true],
      ['integer', 'bigint', true],
      ['timestamp(3)', 'timestamp(6)', false],
      ['timestamp', 'timestamptz', true],
    ];
    for (const [from, to, expected] of cases) assert.equal(pgTypeChangeRewrites(t(from), t(to)), expected, `${from} -> ${to}`);
  });

  it('MySQL copies: all type changes but a longer VARCHAR with as many length bytes and an ENUM given values at its end', () => {
    const many = (n: number, extra = ''): string => `enum(${Array.from({ length: n }, (_, i) => `'v${i}'`).join(',')}${extra})`;
    const cases: [string, string, boolean][] = [
      ['varchar(10)', 'varchar(63)', false],
      ['varchar(300)', 'VARCHAR(1000)', false],
      // 64–255 characters may take more than 255 bytes (utf8mb4), or not (latin1).
      ['varchar(10)', 'varchar(64)', true],
      ['varchar(100)', 'varchar(200)', true],
      ['varchar(255)', 'varchar(256)', true],
      ['varchar(20)', 'varchar(10)', true],
      ['varchar(20)', 'text', true],
      ['char(5)', 'char(10)', true],
      ['int', 'bigint', true],
      ['INT(11)', 'int', false],
      ['decimal(10,2)', 'decimal(12,2)', true],
      ["enum('a','b')", "enum('a','b','c')", false],
      ["enum('a','b')", "enum('a','c','b')", true],
      ["enum('a','b','c')", "enum('a','b')", true],
      ["enum('it''s','b')", "enum('it''s','b','c')", false],
      [many(255), many(255, ",'x'"), true],
    ];
    for (const [from, to, expected] of cases) assert.equal(mysqlTypeChangeCopies(normalizeMysqlType(from), normalizeMysqlType(to)), expected, `${from} -> ${to}`);
  });
});

describe('raw SQL reader', () => {
  it('reads the statements the rules judge, names unquoted', () => {
    assert.deepEqual(
      scanSql(`
        create table if not exists "Drafts" (id int);
        DROP TABLE a, public."B";
        ALTER TABLE ONLY posts DROP COLUMN "old", ALTER COLUMN title SET NOT NULL, ADD CONSTRAINT c CHECK (x > 0) NOT VALID, RENAME COLUMN a TO b;
        ALTER TABLE posts RENAME TO articles;
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY posts USING btree (title);
        UPDATE posts SET title = '' WHERE title IS NULL;
        REINDEX INDEX CONCURRENTLY i;
      `),
      [
        { kind: 'createTable', table: 'Drafts' },
        { kind: 'dropTable', table: 'a' },
        { kind: 'dropTable', table: 'B' },
        { kind: 'dropColumn', table: 'posts', column: 'old' },
        { kind: 'setNotNull', table: 'posts', column: 'title' },
        { kind: 'addConstraint', table: 'posts', constraint: 'check', notValid: true },
        { kind: 'renameColumn', table: 'posts', column: 'a', to: 'b' },
        { kind: 'renameTable', table: 'posts', to: 'articles' },
        { kind: 'createIndex', table: 'posts', unique: true, concurrently: true },
        { kind: 'update', table: 'posts' },
        { kind: 'concurrently', statement: 'REINDEX CONCURRENTLY' },
      ],
    );
  });

  it("reads MySQL's forms: RENAME TABLE, CHANGE COLUMN, RENAME AS; DROP INDEX, KEY, FOREIGN KEY, PRIMARY KEY and CHECK drop no column", () => {
    assert.deepEqual(
      scanSql(`
        RENAME TABLE users TO members, \`old tags\` TO tags;
        ALTER TABLE posts CHANGE COLUMN body content text NULL, CHANGE title title varchar(300), MODIFY views bigint;
        ALTER TABLE posts DROP INDEX posts_views_key, DROP KEY k2, DROP FOREIGN KEY posts_author_fk, DROP PRIMARY KEY, DROP CHECK posts_views_check, DROP INDEX IF EXISTS k3;
        ALTER TABLE posts DROP index, DROP COLUMN \`key\`;
        ALTER TABLE drafts RENAME AS notes;
        DROP INDEX posts_title_idx ON posts;
      `),
      [
        { kind: 'renameTable', table: 'users', to: 'members' },
        { kind: 'renameTable', table: 'old tags', to: 'tags' },
        { kind: 'renameColumn', table: 'posts', column: 'body', to: 'content' },
        { kind: 'dropColumn', table: 'posts', column: 'index' },
        { kind: 'dropColumn', table: 'posts', column: 'key' },
        { kind: 'renameTable', table: 'drafts', to: 'notes' },
      ],
    );
  });
});

describe('ignore comments', () => {
  it('cover the next code line, or their own line when trailing', () => {
    const source = [
      '// migrator-lint-ignore drop-table: unused since 2023', // 1
      '// a note of its own', // 2
      "await op.dropTable('tags');", // 3
      "await op.dropColumn('posts', 'x'); // migrator-lint-ignore drop-column, rename-column:  moved  ", // 4
      '  // migrator-lint-ignore drop-column', // 5
      "await op.dropColumn('posts', 'y');", // 6
    ].join('\n');
    assert.deepEqual(parseIgnores(source), [
      { line: 1, covers: 3, codes: ['drop-table'], reason: 'unused since 2023' },
      { line: 4, covers: 4, codes: ['drop-column', 'rename-column'], reason: 'moved' },
      { line: 5, covers: 6, codes: ['drop-column'], reason: '' },
    ]);
  });

  it('silence their codes on their operation only; without a reason they silence nothing and are a finding', () => {
    const source = [
      'export async function upgrade(op) {', // 1
      '  // migrator-lint-ignore drop-table: archived elsewhere', // 2
      "  await op.dropTable('posts');", // 3
      "  await op.dropTable('authors');", // 4
      "  await op.dropColumn('posts', 'body'); // migrator-lint-ignore drop-column", // 5
      '  // migrator-lint-ignore drop-tabel: typo', // 6
      "  await op.renameColumn('posts', 'title', 'name');", // 7
      '}', // 8
    ].join('\n');
    const operations: Operation[] = [
      { kind: 'dropTable', table: 'posts' },
      { kind: 'dropTable', table: 'authors' },
      { kind: 'dropColumn', table: 'posts', column: 'body' },
      { kind: 'renameColumn', table: 'posts', from: 'title', to: 'name' },
    ];
    const revision = { id: 'abc', path: '/p/versions/abc_x.ts', downRevisions: [], branchLabels: [], dependsOn: [] };
    const { findings, ignored } = lintRevision({ revision, recorded: { operations, lines: [3, 4, 5, 7], source }, schema: EXISTING }, { dialect: 'sqlite' });
    assert.equal(ignored, 1);
    assert.deepEqual(
      findings.map((f) => [f.line, f.code, f.operation]),
      [
        [4, 'drop-table', 'drop table authors'],
        [5, 'ignore-without-reason', 'drop column posts.body'],
        [5, 'drop-column', 'drop column posts.body'],
        [6, 'ignore-unknown-code', 'rename column posts.title to name'],
        [7, 'rename-column', 'rename column posts.title to name'],
      ],
    );
  });
});

describe('call lines of recorded operations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-lint-lines-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const body = [
    "import type { Operations } from 'migrator';", // 1
    '', // 2
    "export const revision = 'abc';", // 3
    'PRELUDE', // 4
    '', // 5
    'async function dropBoth(op: Operations, t: string): Promise<void> {', // 6
    "  await op.dropColumn(t, 'a');", // 7
    "  await op.dropColumn(t, 'b');", // 8
    '}', // 9
    '', // 10
    'export async function upgrade(op: Operations): Promise<void> {', // 11
    "  await op.dropTable('x');", // 12
    "  for (const t of ['p', 'q']) await op.dropTable(t);", // 13
    '  await op.createIndex(', // 14
    "    'p',", // 15
    "    { name: 'i', columns: ['a'] },", // 16
    '  );', // 17
    "  await op.batchAlterTable('p', async (batch) => {", // 18
    "    await batch.dropColumn('c');", // 19
    '  });', // 20
    "  await dropBoth(op, 'r');", // 21
    '}', // 22
  ];
  // A helper's calls are found where `op.` is called: inside the helper.
  const expected = [12, 13, 13, 14, 19, 7, 8];

  for (const [loader, prelude] of [
    ['the fast loader', '// nothing'],
    ['jiti', 'export const here = import.meta.url;'],
  ]) {
    it(`are the lines of the op calls in the revision file (${loader})`, async () => {
      const file = path.join(dir, `${loader.replace(/\W/g, '_')}.ts`);
      fs.writeFileSync(file, body.join('\n').replace('PRELUDE', prelude));
      const r = await recordRevisionCalls({ id: 'abc', path: file, downRevisions: [], branchLabels: [], dependsOn: [] }, 'up');
      assert.deepEqual(r.operations.map((o) => o.kind), ['dropTable', 'dropTable', 'dropTable', 'createIndex', 'dropColumn', 'dropColumn', 'dropColumn']);
      assert.deepEqual(r.lines, expected);
    });
  }
});

function describeOps(ops: Operation[]): string {
  return ops.map((o) => (o.kind === 'execute' ? `execute ${o.sql}` : o.kind)).join(', ');
}
