/**
 * The data-loss probes: for each operation that can lose data or fail on the rows, the count
 * query and the words for its result; operations on rows that cannot exist yet (new tables, new
 * columns) and changes the runner fills in (NOT NULL with a default) give none. The queries are
 * run against real databases in test/e2e/data-loss.test.ts; here they are checked as text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataLossProbes, formatFinding, unevaluatedFinding, type Probe } from '../../src/diff/data-loss.js';
import { quoteIdentifier, quoteLiteral } from '../../src/dialects/dialect.js';
import { mysqlDialect } from '../../src/dialects/mysql/index.js';
import { normalizePgType } from '../../src/dialects/postgres/types.js';
import type { Operation } from '../../src/operations/operation.js';
import { renderRevision } from '../../src/script/write.js';
import type { Column, Schema, Table } from '../../src/schema/schema.js';

const col = (name: string, type: string, extra: Partial<Column> = {}): Column => ({ name, type, nullable: true, ...extra });
const table = (name: string, columns: Column[], extra: Partial<Table> = {}): Table => ({
  name,
  columns: [col('id', 'integer', { nullable: false }), ...columns],
  primaryKey: { columns: ['id'] },
  indexes: [],
  uniques: [],
  checks: [],
  foreignKeys: [],
  ...extra,
});

const DATABASE: Schema = {
  tables: [
    table('posts', [
      col('body', 'text'),
      col('title', 'character varying(20)'),
      col('views', 'text'),
      col('price', 'numeric(10,3)'),
      col('big', 'bigint'),
      col('status', 'text', { default: "'draft'" }),
      col('author_id', 'integer'),
      col('kind', '"Kind"'),
      col('tags', '"Kind"[]'),
    ]),
    table('users', [col('email', 'text')], { uniques: [{ name: 'users_email_key', columns: ['email'] }] }),
  ],
  enums: [{ name: 'Kind', values: ['a', 'b'] }],
};

const pg = { dialect: 'postgres', quoteIdentifier, quoteLiteral, normalizeType: normalizePgType };
const sqlite = { dialect: 'sqlite', quoteIdentifier, quoteLiteral };

/** PostgreSQL's probe for the views and triggers over what an operation changes (see its own test). */
const isDependents = (p: Probe): boolean => p.sql.includes('FROM pg_depend');

function probes(ops: Operation[], options = pg): Probe[] {
  return dataLossProbes(ops, DATABASE, options).filter((p) => !isDependents(p));
}

/** The probes' SQL, and each one's finding for `n`, as printed. */
function summary(ops: Operation[], n: number, options = pg): { sql: string; line: string; comment?: string }[] {
  return probes(ops, options).map((p) => {
    const f = p.finding(n);
    return { sql: p.sql, line: formatFinding(f), ...(f.comment ? { comment: f.comment } : {}) };
  });
}

describe('destructive operations', () => {
  it('dropping a table counts its rows', () => {
    assert.deepEqual(summary([{ kind: 'dropTable', table: 'posts' }], 3), [
      { sql: 'SELECT count(*) AS n FROM "posts"', line: '! destructive: drop table posts (it holds 3 rows)' },
    ]);
  });

  it('dropping a column counts the values it holds, in the singular for one', () => {
    assert.deepEqual(summary([{ kind: 'dropColumn', table: 'posts', column: 'body' }], 1), [
      { sql: 'SELECT count("body") AS n FROM "posts"', line: '! destructive: drop column posts.body (1 row holds a value)' },
    ]);
    assert.equal(summary([{ kind: 'dropColumn', table: 'posts', column: 'body' }], 3)[0].line, '! destructive: drop column posts.body (3 rows hold a value)');
  });

  it('a varchar made shorter counts the longer values (PostgreSQL cuts them in the cast)', () => {
    const op: Operation = { kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'varchar(5)' }, existing: { type: 'character varying(20)' } };
    assert.deepEqual(summary([op], 2), [
      {
        sql: 'SELECT count(*) AS n FROM "posts" WHERE "title" IS NOT NULL AND char_length("title"::text) > 5',
        line: '! destructive: alter column posts.title to varchar(5) (2 values are longer than 5 characters and would be cut)',
      },
    ]);
  });

  it('a varchar made longer, or text made text, counts nothing', () => {
    const longer: Operation = { kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'varchar(40)' } };
    const text: Operation = { kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'text' } };
    assert.deepEqual(probes([longer, text]), []);
  });

  it('a smaller numeric scale counts rounded values, a smaller precision the ones that no longer fit', () => {
    const op: Operation = { kind: 'alterColumn', table: 'posts', column: 'price', changes: { type: 'numeric(5,1)' } };
    assert.deepEqual(summary([op], 2), [
      {
        sql: 'SELECT count(*) AS n FROM "posts" WHERE "price" IS NOT NULL AND "price"::numeric <> round("price"::numeric, 1)',
        line: '! destructive: alter column posts.price to numeric(5,1) (2 values have more than 1 decimal place and would be rounded)',
      },
      {
        sql: 'SELECT count(*) AS n FROM "posts" WHERE "price" IS NOT NULL AND abs(round("price"::numeric, 1)) >= 10000',
        line: '! data-dependent: alter column posts.price to numeric(5,1) (2 values do not fit numeric(5,1))',
        comment: 'migrator: 2 values of posts.price do not fit numeric(5,1); this fails at migrate unless they are changed first',
      },
    ]);
  });

  it('a wider numeric counts nothing', () => {
    assert.deepEqual(probes([{ kind: 'alterColumn', table: 'posts', column: 'price', changes: { type: 'numeric(12,3)' } }]), []);
  });
});

describe('data-dependent operations', () => {
  it('text to integer counts the values that do not cast, guarding the cast with CASE', () => {
    const op: Operation = { kind: 'alterColumn', table: 'posts', column: 'views', changes: { type: 'integer' } };
    assert.deepEqual(summary([op], 1), [
      {
        sql:
          'SELECT count(*) AS n FROM "posts" WHERE "views" IS NOT NULL AND CASE WHEN "views"::text ~ \'^[[:space:]]*[+-]?[0-9]+[[:space:]]*$\' ' +
          'THEN "views"::text::numeric NOT BETWEEN -2147483648 AND 2147483647 ELSE true END',
        line: '! data-dependent: alter column posts.views to integer (1 value does not cast to integer)',
        comment: 'migrator: 1 value of posts.views does not cast to integer; this fails at migrate unless it is changed first',
      },
    ]);
  });

  it('bigint to integer counts the values out of range', () => {
    const [p] = probes([{ kind: 'alterColumn', table: 'posts', column: 'big', changes: { type: 'int4' } }]);
    assert.equal(p.sql, 'SELECT count(*) AS n FROM "posts" WHERE "big" IS NOT NULL AND "big" NOT BETWEEN -2147483648 AND 2147483647');
  });

  it("on MySQL the counts are written in MySQL's SQL; a value too long is refused, not cut; an enum counts the values its list lacks", () => {
    const my = { dialect: 'mysql', quoteIdentifier: mysqlDialect.quoteIdentifier, quoteLiteral: mysqlDialect.quoteLiteral, normalizeType: mysqlDialect.compareOptions.normalizeType, valueSql: mysqlDialect.valueSql };
    const database: Schema = { tables: [table('posts', [col('title', 'varchar(20)'), col('views', 'text'), col('kind', "enum('a','b','it''s')")])] };
    const ops: Operation[] = [
      { kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'varchar(5)' } },
      { kind: 'alterColumn', table: 'posts', column: 'views', changes: { type: 'int' } },
      { kind: 'alterColumn', table: 'posts', column: 'kind', changes: { type: "enum('a','it''s')" } },
      { kind: 'alterColumn', table: 'posts', column: 'kind', changes: { type: "ENUM('a', 'b', 'it\\'s')" } },
    ];
    assert.deepEqual(
      dataLossProbes(ops, database, my).map((p) => [p.sql, formatFinding(p.finding(2))]),
      [
        ['SELECT count(*) AS n FROM `posts` WHERE `title` IS NOT NULL AND char_length(CAST(`title` AS CHAR)) > 5', '! data-dependent: alter column posts.title to varchar(5) (2 values are longer than 5 characters, which varchar(5) refuses)'],
        [
          "SELECT count(*) AS n FROM `posts` WHERE `views` IS NOT NULL AND CASE WHEN CAST(`views` AS CHAR) REGEXP '^[[:space:]]*[+-]?[0-9]+[[:space:]]*$' THEN CAST(CAST(`views` AS CHAR) AS DECIMAL(65,30)) NOT BETWEEN -2147483648 AND 2147483647 ELSE true END",
          '! data-dependent: alter column posts.views to int (2 values do not cast to int)',
        ],
        ["SELECT count(*) AS n FROM `posts` WHERE `kind` IS NOT NULL AND `kind` NOT IN ('a','it''s')", "! data-dependent: alter column posts.kind to enum('a','it''s') (2 values are not among the values of enum('a','it''s'))"],
      ],
    );
  });

  it('on SQLite a type change counts nothing: values are kept, whatever the declared type', () => {
    const ops: Operation[] = [
      { kind: 'alterColumn', table: 'posts', column: 'views', changes: { type: 'integer' } },
      { kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'varchar(5)' } },
    ];
    assert.deepEqual(probes(ops, sqlite), []);
  });

  it('NOT NULL counts the NULLs, with the comment for the revision file', () => {
    const op: Operation = { kind: 'alterColumn', table: 'posts', column: 'body', changes: { nullable: false }, existing: { nullable: true } };
    assert.deepEqual(summary([op], 2), [
      {
        sql: 'SELECT count(*) AS n FROM "posts" WHERE "body" IS NULL',
        line: '! data-dependent: alter column posts.body to NOT NULL (2 rows hold NULL)',
        comment: 'migrator: 2 rows of posts hold NULL in body; this fails at migrate unless they are filled first',
      },
    ]);
  });

  it('NOT NULL on a column with a default, or given one, counts nothing: the runner fills the NULLs', () => {
    const kept: Operation = { kind: 'alterColumn', table: 'posts', column: 'status', changes: { nullable: false } };
    const given: Operation = { kind: 'alterColumn', table: 'posts', column: 'body', changes: { nullable: false, default: "''" } };
    assert.deepEqual(probes([kept, given]), []);
    const removed: Operation = { kind: 'alterColumn', table: 'posts', column: 'status', changes: { nullable: false, default: null } };
    assert.equal(probes([removed]).length, 1, 'a default removed at the same time fills nothing');
  });

  it('a new NOT NULL column without a default counts the rows; with a default, or nullable, nothing', () => {
    const ops: Operation[] = [
      { kind: 'addColumn', table: 'posts', column: col('slug', 'text', { nullable: false }) },
      { kind: 'addColumn', table: 'posts', column: col('rank', 'integer', { nullable: false, default: '0' }) },
      { kind: 'addColumn', table: 'posts', column: col('note', 'text') },
    ];
    assert.deepEqual(summary(ops, 3), [
      {
        sql: 'SELECT count(*) AS n FROM "posts"',
        line: '! data-dependent: add column posts.slug NOT NULL (posts has 3 rows and the column has no default)',
        comment: 'migrator: posts has 3 rows and slug is NOT NULL without a default; this fails at migrate unless it gets a default or the rows are removed first',
      },
    ]);
  });

  it('a unique index counts duplicated values among non-NULL keys, within its predicate', () => {
    const op: Operation = { kind: 'createIndex', table: 'posts', index: { name: 'posts_title_key', columns: ['title', { expression: 'lower(body)' }], unique: true, where: 'views IS NOT NULL' } };
    assert.deepEqual(summary([op], 2), [
      {
        sql:
          'SELECT count(*) AS n FROM (SELECT 1 AS d FROM "posts" WHERE "title" IS NOT NULL AND (lower(body)) IS NOT NULL AND (views IS NOT NULL) ' +
          'GROUP BY "title", (lower(body)) HAVING count(*) > 1) dup',
        line: '! data-dependent: create unique index posts_title_key on posts (2 values of (title, (lower(body))) occur more than once)',
        comment: 'migrator: 2 values of (title, (lower(body))) in posts occur more than once; this fails at migrate unless the duplicates are removed first',
      },
    ]);
  });

  it('a unique constraint counts duplicates, except over columns already unique or just added', () => {
    const ops: Operation[] = [
      { kind: 'addConstraint', table: 'posts', constraint: { type: 'unique', name: 'posts_body_key', columns: ['body'] } },
      { kind: 'addConstraint', table: 'users', constraint: { type: 'unique', name: 'users_email_key2', columns: ['email'] } },
      { kind: 'addColumn', table: 'posts', column: col('code', 'text') },
      { kind: 'createIndex', table: 'posts', index: { name: 'posts_code_key', columns: ['code'], unique: true } },
    ];
    assert.deepEqual(
      probes(ops).map((p) => [p.operation, p.subject]),
      [[0, 'add unique constraint posts_body_key on posts']],
    );
  });

  it('a foreign key counts orphans: rows whose non-NULL key matches no parent row', () => {
    const op: Operation = {
      kind: 'addConstraint',
      table: 'posts',
      constraint: { type: 'foreignKey', name: 'posts_author_fkey', columns: ['author_id'], referencedTable: 'users', referencedColumns: ['id'] },
    };
    assert.deepEqual(summary([op], 3), [
      {
        sql: 'SELECT count(*) AS n FROM "posts" c WHERE c."author_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" p WHERE p."id" = c."author_id")',
        line: '! data-dependent: add foreignKey constraint posts_author_fkey on posts (3 rows of posts point to no row of users)',
        comment: 'migrator: 3 rows of posts point to no row of users through (author_id); this fails at migrate unless they are fixed first',
      },
    ]);
  });

  it('a foreign key to a table the revision creates counts every row with a key', () => {
    const ops: Operation[] = [
      { kind: 'createTable', table: table('authors', []) },
      { kind: 'addConstraint', table: 'posts', constraint: { type: 'foreignKey', columns: ['author_id'], referencedTable: 'authors', referencedColumns: ['id'] } },
    ];
    assert.deepEqual(probes(ops).map((p) => p.sql), ['SELECT count(*) AS n FROM "posts" c WHERE c."author_id" IS NOT NULL']);
  });

  it('a CHECK counts the rows it rejects, with the model text inside NOT (…)', () => {
    const op: Operation = { kind: 'addConstraint', table: 'posts', constraint: { type: 'check', name: 'posts_views', expression: "views <> ''" } };
    assert.deepEqual(summary([op], 1), [
      {
        sql: 'SELECT count(*) AS n FROM "posts" WHERE NOT (views <> \'\')',
        line: '! data-dependent: add check constraint posts_views on posts (1 row of posts breaks it)',
        comment: "migrator: 1 row of posts breaks the check (views <> ''); this fails at migrate unless it is changed first",
      },
    ]);
  });

  it('dropping an enum value counts the rows holding it, in plain and array columns', () => {
    const op: Operation = { kind: 'dropEnumValue', name: 'Kind', value: 'b' };
    assert.deepEqual(probes([op]).map((p) => p.sql), [
      `SELECT count(*) AS n FROM "posts" WHERE "kind"::text = 'b'`,
      `SELECT count(*) AS n FROM "posts" WHERE 'b' = ANY("tags"::text[])`,
    ]);
  });

  it('a column moved to another enum type (a type renamed with a value gone) counts the rows holding a value it lacks', () => {
    const ops: Operation[] = [
      { kind: 'createEnum', enum: { name: 'Sort', values: ['a'] } },
      { kind: 'alterColumn', table: 'posts', column: 'kind', changes: { type: '"Sort"' } },
      { kind: 'alterColumn', table: 'posts', column: 'tags', changes: { type: '"Sort"[]' } },
    ];
    assert.deepEqual(summary(ops, 2).map((x) => [x.sql, x.line]), [
      [`SELECT count(*) AS n FROM "posts" WHERE "kind" IS NOT NULL AND "kind"::text NOT IN ('a')`, '! data-dependent: alter column posts.kind to "Sort" (2 rows hold a value Sort does not have)'],
      [`SELECT count(*) AS n FROM "posts" WHERE "tags" IS NOT NULL AND EXISTS (SELECT 1 FROM unnest("tags") AS v WHERE v::text NOT IN ('a'))`, '! data-dependent: alter column posts.tags to "Sort"[] (2 rows hold a value Sort does not have)'],
    ]);
    // To the same type, or to a type no enum names: nothing of the kind.
    assert.deepEqual(probes([{ kind: 'alterColumn', table: 'posts', column: 'kind', changes: { type: '"Kind"' } }]).map((p) => p.sql), []);
  });

  it('a query the database refused is a finding that says so, and does not block', () => {
    const [p] = probes([{ kind: 'addConstraint', table: 'posts', constraint: { type: 'check', name: 'c', expression: 'nope > 0' } }]);
    const f = unevaluatedFinding(p, 'column "nope" does not exist\nmore detail');
    assert.deepEqual(f, {
      operation: 0,
      kind: 'unevaluated',
      text: 'add check constraint c on posts (could not count the rows it affects: column "nope" does not exist)',
      comment: 'migrator: could not count the rows this affects (column "nope" does not exist); check them before migrating',
    });
    assert.equal(formatFinding(f), '! not evaluated: add check constraint c on posts (could not count the rows it affects: column "nope" does not exist)');
  });
});

describe('what has no rows yet', () => {
  it('operations on a table the revision creates, or on one it dropped, count nothing', () => {
    const ops: Operation[] = [
      { kind: 'createTable', table: table('fresh', [col('x', 'text')]) },
      { kind: 'createIndex', table: 'fresh', index: { name: 'fresh_x', columns: ['x'], unique: true } },
      { kind: 'addColumn', table: 'fresh', column: col('y', 'text', { nullable: false }) },
      { kind: 'renameTable', from: 'users', to: 'members' },
      { kind: 'renameTable', from: 'fresh', to: 'users' },
      { kind: 'addColumn', table: 'users', column: col('y', 'text', { nullable: false }) },
    ];
    assert.deepEqual(probes(ops), []);
  });

  it('each probe names its operation by position', () => {
    const ops: Operation[] = [
      { kind: 'createTable', table: table('fresh', []) },
      { kind: 'dropColumn', table: 'posts', column: 'body' },
      { kind: 'dropTable', table: 'users' },
    ];
    assert.deepEqual(probes(ops).map((p) => p.operation), [1, 2]);
  });
});

describe('renames earlier in the revision', () => {
  it('counts run on the database\'s names, messages speak of the new ones', () => {
    const ops: Operation[] = [
      { kind: 'renameTable', from: 'posts', to: 'articles' },
      { kind: 'renameColumn', table: 'articles', from: 'body', to: 'text' },
      { kind: 'alterColumn', table: 'articles', column: 'text', changes: { nullable: false } },
      { kind: 'dropColumn', table: 'articles', column: 'summary_never_there' },
      { kind: 'dropColumn', table: 'articles', column: 'views' },
    ];
    assert.deepEqual(summary(ops, 2).map(({ sql, line }) => ({ sql, line })), [
      { sql: 'SELECT count(*) AS n FROM "posts" WHERE "body" IS NULL', line: '! data-dependent: alter column articles.text to NOT NULL (2 rows hold NULL)' },
      { sql: 'SELECT count("views") AS n FROM "posts"', line: '! destructive: drop column articles.views (2 rows hold a value)' },
    ]);
  });

  it('a column renamed away, or a table dropped, is not counted again', () => {
    const ops: Operation[] = [
      { kind: 'renameColumn', table: 'posts', from: 'body', to: 'text' },
      { kind: 'addColumn', table: 'posts', column: col('body', 'text') },
      { kind: 'dropColumn', table: 'posts', column: 'body' },
      { kind: 'dropTable', table: 'users' },
      { kind: 'dropTable', table: 'users' },
    ];
    assert.deepEqual(probes(ops).map((p) => p.sql), ['SELECT count(*) AS n FROM "users"']);
  });
});

describe('comments in the revision file', () => {
  const base = {
    id: 'abc123abc123',
    message: 'm',
    downRevisions: [],
    downgrade: [],
    createDate: new Date('2026-01-01T00:00:00.000Z'),
  };
  const upgrade: Operation[] = [
    { kind: 'dropColumn', table: 'posts', column: 'body' },
    { kind: 'alterColumn', table: 'posts', column: 'title', changes: { nullable: false } },
  ];

  it('go above their operation, one line each, and change nothing where there are none', () => {
    const plain = renderRevision({ ...base, upgrade });
    const commented = renderRevision({ ...base, upgrade, upgradeComments: [[], ['migrator: first', 'migrator: second\nline']] });
    assert.equal(
      commented,
      plain.replace("  await op.alterColumn(", "  // migrator: first\n  // migrator: second line\n  await op.alterColumn("),
    );
    assert.equal(renderRevision({ ...base, upgrade, upgradeComments: [] }), plain);
  });
});

describe('views and triggers over what an operation changes (PostgreSQL)', () => {
  const dependents = (ops: Operation[], options: typeof pg | typeof sqlite = pg): Probe[] => dataLossProbes(ops, DATABASE, options).filter(isDependents);

  it('are asked of the catalog for a column dropped or retyped, and for a table dropped, by name and not by the model', () => {
    const [column] = dependents([{ kind: 'dropColumn', table: 'posts', column: 'body' }]);
    assert.match(column.sql, /^SELECT count\(\*\) AS n, string_agg\(what, ', ' ORDER BY what\) AS detail FROM /);
    assert.match(column.sql, /to_regclass\('"posts"'\)/);
    assert.match(column.sql, /a\.attname = 'body'/);
    assert.equal(column.kind, 'data-dependent');
    const f = column.finding(2, 'materialized view totals, view recent');
    assert.equal(formatFinding(f), '! data-dependent: drop column posts.body (materialized view totals, view recent depend on column body, which PostgreSQL refuses to change under them)');
    assert.equal(f.comment, 'migrator: materialized view totals, view recent depend on posts.body; this fails at migrate unless they are dropped before (op.execute) and made again after');
    const [retyped] = dependents([{ kind: 'alterColumn', table: 'posts', column: 'title', changes: { type: 'text' } }]);
    assert.match(retyped.subject, /^alter column posts\.title to text$/);
    const [table] = dependents([{ kind: 'dropTable', table: 'posts' }]);
    assert.doesNotMatch(table.sql, /attname/);
    assert.match(table.sql, /t\.tgrelid <> to_regclass/);
    assert.equal(formatFinding(table.finding(1, 'view recent')), '! data-dependent: drop table posts (view recent depends on the table, which PostgreSQL refuses to change under it)');
  });

  it('are not asked elsewhere: a change that keeps the type, or another database', () => {
    assert.deepEqual(dependents([{ kind: 'alterColumn', table: 'posts', column: 'title', changes: { nullable: true } }]), []);
    assert.deepEqual(dependents([{ kind: 'dropColumn', table: 'posts', column: 'body' }], sqlite), []);
  });
});

describe('a type with no conversion (PostgreSQL): the column dropped and added again', () => {
  it('counts the values lost, and, added again NOT NULL with no default, the rows that fail it', () => {
    const op: Operation = { kind: 'alterColumn', table: 'posts', column: 'id', changes: { type: 'uuid' } };
    assert.deepEqual(
      summary([op], 2).map((s) => s.line),
      [
        '! destructive: alter column posts.id to uuid (2 values would be lost: the database has no conversion from integer to uuid, so the column is dropped and added again)',
        '! data-dependent: alter column posts.id to uuid, added again NOT NULL (posts has 2 rows and the column has no default)',
      ],
    );
    const withDefault: Operation = { kind: 'alterColumn', table: 'posts', column: 'id', changes: { type: 'uuid', default: 'gen_random_uuid()' } };
    assert.deepEqual(summary([withDefault], 2).map((s) => s.line.split(' (')[0]), ['! destructive: alter column posts.id to uuid']);
    const nullable: Operation = { kind: 'alterColumn', table: 'posts', column: 'author_id', changes: { type: 'uuid' } };
    assert.deepEqual(summary([nullable], 2).map((s) => s.line.split(' (')[0]), ['! destructive: alter column posts.author_id to uuid']);
  });
});
