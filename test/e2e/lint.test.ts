/**
 * `migrator lint` end to end through the built CLI, on SQLite, PostgreSQL and MySQL: hand-written
 * revisions calling each risky operation on tables that hold rows, the same operations on a
 * table the revision creates (no findings), the default range (what the database has not
 * applied), explicit ranges, --offline, --json, ignore comments, and makemigrations printing the
 * findings of the revision it wrote. Needs `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertUserError, explain, projects, type RunResult, type TempProject } from './helpers.ts';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

const newProject = projects();

const BASE = 'aaaa00000001';
const RISKY = 'bbbb00000002';
const FRESH = 'cccc00000003';

/** A revision file whose upgrade makes the given calls, one a line; `lines` gives each call's line. */
function revisionFile(id: string, down: string | null, calls: string[], options: { prelude?: string } = {}): { source: string; lines: number[] } {
  const head = [
    '/**',
    ` * ${id}`,
    ' */',
    "import type { Operations } from 'migrator';",
    '',
    `export const revision = '${id}';`,
    `export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};`,
    ...(options.prelude ? [options.prelude] : []),
    '',
    'export async function upgrade(op: Operations): Promise<void> {',
  ];
  const lines = calls.map((_, i) => head.length + i + 1);
  const source = [...head, ...calls.map((c) => `  ${c}`), '}', '', 'export async function downgrade(op: Operations): Promise<void> {}', ''].join('\n');
  return { source, lines };
}

const columns = (...extra: string[]): string =>
  [
    "{ name: 'id', type: 'integer', nullable: false }",
    "{ name: 'title', type: 'varchar(200)', nullable: true }",
    "{ name: 'body', type: 'text', nullable: true }",
    "{ name: 'views', type: 'integer', nullable: true }",
    "{ name: 'author_id', type: 'integer', nullable: true }",
    ...extra,
  ].join(', ');

const BASE_CALLS = [
  `await op.createTable('posts', { columns: [${columns()}], primaryKey: { columns: ['id'] } });`,
  "await op.createTable('authors', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'name', type: 'text', nullable: true }], primaryKey: { columns: ['id'] } });",
  "await op.createTable('tags', { columns: [{ name: 'id', type: 'integer', nullable: false }] });",
  "await op.createTable('users', { columns: [{ name: 'id', type: 'integer', nullable: false }] });",
];

type Expected = { sqlite: string[]; postgres: string[]; mysql: string[] };

/** Findings on every dialect. */
const all = (...f: string[]): Expected => ({ sqlite: f, postgres: f, mysql: f });

/** Risky calls on table `t`, with the findings expected on each dialect (`level code`). */
function riskyCalls(t: string): ({ call: string } & Expected)[] {
  return [
    { call: `await op.dropColumn('${t}', 'body');`, ...all('error drop-column') },
    { call: `await op.alterColumn('${t}', 'title', { type: 'varchar(100)' });`, sqlite: [], postgres: ['warning narrow-type', 'warning type-change-rewrite'], mysql: ['warning narrow-type', 'warning type-change-rewrite'] },
    { call: `await op.alterColumn('${t}', 'title', { nullable: false });`, ...all('error add-not-null'), postgres: ['error add-not-null', 'warning set-not-null-scan'] },
    { call: `await op.addColumn('${t}', { name: 'slug', type: 'varchar(50)', nullable: false });`, ...all('error add-not-null') },
    { call: `await op.createIndex('${t}', { name: '${t}_views_key', columns: ['views'], unique: true });`, ...all('warning add-unique'), postgres: ['warning add-unique', 'warning index-not-concurrent'] },
    {
      call: `await op.createForeignKey('${t}', { name: '${t}_author_fkey', columns: ['author_id'], referencedTable: 'authors', referencedColumns: ['id'] });`,
      ...all('warning add-foreign-key'),
      postgres: ['warning add-foreign-key', 'warning foreign-key-not-valid'],
    },
    { call: `await op.createCheckConstraint('${t}', { name: '${t}_views_check', expression: 'views >= 0' });`, ...all('warning add-check'), postgres: ['warning add-check', 'warning check-not-valid'] },
    { call: `await op.alterColumn('${t}', 'views', { type: 'bigint' });`, ...all(), postgres: ['warning type-change-rewrite'], mysql: ['warning type-change-rewrite'] },
    { call: `await op.addColumn('${t}', { name: 'token', type: 'uuid', nullable: true, default: 'gen_random_uuid()' });`, ...all(), postgres: ['warning volatile-default'] },
    { call: `await op.renameColumn('${t}', 'views', 'view_count');`, ...all('warning rename-column') },
  ];
}

/** The risky revision: table-level changes, then riskyCalls on posts, then raw SQL (PostgreSQL's and MySQL's). */
const RISKY_CALLS = [
  { call: "await op.dropTable('tags');", ...all('error drop-table') },
  { call: "await op.renameTable('users', 'members');", ...all('warning rename-table') },
  ...riskyCalls('posts'),
  { call: "await op.execute('CREATE INDEX CONCURRENTLY posts_title_idx ON posts (title)');", ...all(), postgres: ['error concurrently-in-transaction'] },
  // An index dropped in ALTER TABLE drops no column; CHANGE COLUMN renames one.
  { call: "await op.execute('ALTER TABLE authors DROP INDEX authors_name_idx, CHANGE COLUMN name full_name text');", ...all('warning rename-column') },
];

/** The same changes on a table the revision creates first: nothing to find. */
const FRESH_CALLS = [`await op.createTable('drafts', { columns: [${columns()}], primaryKey: { columns: ['id'] } });`, ...riskyCalls('drafts').map((c) => c.call), "await op.renameTable('drafts', 'notes');", "await op.dropTable('notes');"];

const RISKY_FILE = `versions/${RISKY}_risky.ts`;

interface Finding {
  revision: string;
  file: string;
  line: number | null;
  operation: string | null;
  code: string;
  level: string;
  message: string;
  rows?: number;
}

/** `file:line  level  code  message` lines of lint's output, as [file:line, 'level code', message]. */
function findingLines(stdout: string): [string, string, string][] {
  return stdout
    .split('\n')
    .map((l) => /^(\S+:\d+)  (error|warning)  (\S+)  (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], `${m[2]} ${m[3]}`, m[4]]);
}

function summaryOf(r: RunResult): string {
  const lines = r.stdout.trimEnd().split('\n');
  return lines[lines.length - 1];
}

function json(r: RunResult): Finding[] {
  try {
    return JSON.parse(r.stdout) as Finding[];
  } catch (error) {
    assert.fail(explain(r, `to print JSON (${(error as Error).message})`));
  }
}

interface Backend {
  name: 'sqlite' | 'postgres' | 'mysql';
  /** A database for one project (a fresh PostgreSQL database, or the project's SQLite file). */
  database(p: TempProject): Promise<{ url: string; exec(sql: string): Promise<void> }>;
}

const pgDatabases: TestDatabase[] = [];
const mysqlDatabases: TestMysqlDatabase[] = [];
after(async () => {
  for (const d of pgDatabases) await d.drop();
  for (const d of mysqlDatabases) await d.drop();
});

const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    async database(p) {
      return { url: 'sqlite:./app.db', exec: async (sql) => p.exec(sql) };
    },
  },
  {
    name: 'postgres',
    async database() {
      const db = await createTestDatabase('migrator_lint');
      pgDatabases.push(db);
      return {
        url: db.url,
        exec: async (sql) => {
          await db.query(sql);
        },
      };
    },
  },
  {
    name: 'mysql',
    async database() {
      const db = await createMysqlTestDatabase('migrator_lint');
      mysqlDatabases.push(db);
      return {
        url: db.url,
        exec: async (sql) => {
          await db.query(sql);
        },
      };
    },
  },
];

for (const backend of BACKENDS) {
  describe(`lint on ${backend.name}`, () => {
    const p = newProject(`migrator-lint-${backend.name}-`);
    const risky = revisionFile(RISKY, BASE, RISKY_CALLS.map((c) => c.call));
    /** The findings expected in the risky revision, in output order. */
    const expected = RISKY_CALLS.flatMap((c, i) => c[backend.name].map((f) => [`${RISKY_FILE}:${risky.lines[i]}`, f] as [string, string]));
    const lineOf = (call: string): string => `${RISKY_FILE}:${risky.lines[RISKY_CALLS.findIndex((c) => c.call === call)]}`;
    /** `migrator lint` with the database at the base revision, run once. */
    let defaultRun: RunResult | undefined;
    const lintDefault = (): RunResult => (defaultRun ??= p.run(['lint']));

    before(async () => {
      const db = await backend.database(p);
      p.writeConfig({ database: db.url });
      p.write(`versions/${BASE}_base.ts`, revisionFile(BASE, null, BASE_CALLS).source);
      p.write(RISKY_FILE, risky.source);
      p.write(`versions/${FRESH}_fresh.ts`, revisionFile(FRESH, RISKY, FRESH_CALLS).source);
      p.ok(['migrate', BASE]);
      // Three posts, two of them without a title; one tag.
      await db.exec("INSERT INTO posts (id, title) VALUES (1, 'first'), (2, NULL), (3, NULL)");
      await db.exec('INSERT INTO tags (id) VALUES (1)');
    });

    it('lints the revisions the database has not applied: each rule on its line, none on the new table, exit 1', () => {
      const r = lintDefault();
      assert.equal(r.status, 1, explain(r, 'to exit 1'));
      assert.equal(r.stderr, '');
      assert.deepEqual(
        findingLines(r.stdout).map(([at, what]) => [at, what]),
        expected,
      );
      const errors = expected.filter(([, f]) => f.startsWith('error')).length;
      assert.match(summaryOf(r), new RegExp(`^${errors} errors, ${expected.length - errors} warnings in 2 revisions \\(not applied to ${{ sqlite: 'sqlite:\\./app\\.db', postgres: 'postgres://', mysql: 'mysql://' }[backend.name]}.*\\)\\.$`));
    });

    it('says how many rows a destructive or data-dependent change meets', () => {
      const found = findingLines(lintDefault().stdout);
      const message = (call: string, code: string): string | undefined => found.find(([at, what]) => at === lineOf(call) && what.endsWith(` ${code}`))?.[2];
      assert.equal(message("await op.dropTable('tags');", 'drop-table'), 'dropping a table destroys its rows (drop table tags; table tags holds 1 row)');
      assert.match(message("await op.dropColumn('posts', 'body');", 'drop-column')!, /\(drop column posts\.body; table posts holds 3 rows\)$/);
      assert.match(message("await op.alterColumn('posts', 'title', { nullable: false });", 'add-not-null')!, /\(posts\.title becomes NOT NULL with no default; posts\.title is NULL in 2 rows\)$/);
      const filled = backend.name === 'mysql' ? ", which MySQL fills with the type's implicit value \\('' or 0\\) in every row instead" : '';
      assert.match(message("await op.addColumn('posts', { name: 'slug', type: 'varchar(50)', nullable: false });", 'add-not-null')!, new RegExp(`\\(new column posts\\.slug is NOT NULL with no default${filled}; table posts holds 3 rows\\)$`));
      assert.equal(message("await op.renameTable('users', 'members');", 'rename-table'), 'running code that uses the old table name fails until the new code is deployed (rename table users to members)');
    });

    it('--json prints every finding with its revision, file, line, operation, code, level, message and rows', () => {
      const r = p.run(['lint', '--json']);
      assert.equal(r.status, 1, explain(r, 'to exit 1'));
      const findings = json(r);
      assert.deepEqual(
        findings.map((f) => [`${f.file}:${f.line}`, `${f.level} ${f.code}`]),
        expected,
      );
      for (const f of findings) {
        assert.deepEqual(Object.keys(f), ['revision', 'file', 'line', 'operation', 'code', 'level', 'message', ...(f.rows !== undefined ? ['rows'] : [])]);
        assert.equal(f.revision, RISKY);
      }
      const nulls = findings.find((f) => f.code === 'add-not-null' && f.operation === 'alter column posts.title');
      assert.equal(nulls?.rows, 2);
      assert.equal(findings.find((f) => f.code === 'drop-table')?.rows, 1);
      assert.equal(findings.find((f) => f.code === 'rename-column')?.rows, undefined);
    });

    it('an explicit range: one revision, or a:b with both ends', () => {
      const fresh = p.run(['lint', FRESH]);
      assert.equal(fresh.status, 0, explain(fresh, 'to exit 0'));
      assert.equal(fresh.stdout, `No findings in 1 revision (range ${FRESH}).\n`);
      const both = p.run(['lint', `${BASE}:${RISKY}`]);
      assert.equal(both.status, 1, explain(both, 'to exit 1'));
      assert.deepEqual(findingLines(both.stdout).map(([at, what]) => [at, what]), expected);
      assert.match(summaryOf(both), new RegExp(` in 2 revisions \\(range ${BASE}:${RISKY}\\)\\.$`));
    });

    it('--offline lints the heads and counts no rows', () => {
      const r = p.run(['lint', '--offline']);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.equal(r.stdout, 'No findings in 1 revision (head revisions).\n');
      const risky = p.run(['lint', RISKY, '--offline', '--json']);
      assert.deepEqual(
        json(risky).map((f) => `${f.file}:${f.line} ${f.level} ${f.code}`),
        expected.map(([at, f]) => `${at} ${f}`),
      );
      assert.ok(json(risky).every((f) => f.rows === undefined && !/; table \S+ holds \d|is NULL in \d/.test(f.message)));
    });

    it('a range naming no revision is an error (exit 2, one line)', () => {
      const line = assertUserError(p.run(['lint', 'nope']));
      assert.match(line, /no revision "nope"/);
    });

    it('once the database has the risky revision, the default range is what is left', () => {
      p.ok(['stamp', RISKY]);
      const r = p.run(['lint']);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.match(r.stdout, /^No findings in 1 revision \(not applied to .*\)\.\n$/);
      p.ok(['stamp', FRESH]);
      assert.match(p.ok(['lint']).stdout, /^No revisions to lint \(not applied to .*\)\.\n$/);
    });
  });

  describe(`lint ignore comments on ${backend.name}`, () => {
    const p = newProject(`migrator-lint-ignore-${backend.name}-`);
    const id = 'dddd00000004';
    const file = `versions/${id}_ignores.ts`;
    const calls = [
      '// migrator-lint-ignore drop-table: nothing has read tags since 2023',
      "await op.dropTable('tags');",
      "await op.dropColumn('posts', 'body'); // migrator-lint-ignore drop-column",
      '// migrator-lint-ignore rename-tabel: members is the new name',
      "await op.renameTable('users', 'members');",
      "await op.renameColumn('authors', 'name', 'full_name'); // migrator-lint-ignore rename-column, add-check: the app reads both",
    ];
    // import.meta makes the loader take its slower path (jiti), whose lines must agree too.
    const rev = revisionFile(id, BASE, calls, { prelude: 'export const here = import.meta.url;' });
    const at = (i: number): string => `${file}:${rev.lines[i]}`;

    before(async () => {
      const db = await backend.database(p);
      p.writeConfig({ database: db.url });
      p.write(`versions/${BASE}_base.ts`, revisionFile(BASE, null, BASE_CALLS).source);
      p.write(file, rev.source);
    });

    it('silences the finding of the operation it sits on; without a reason it silences nothing and is an error', () => {
      const r = p.run(['lint', '--offline']);
      assert.equal(r.status, 1, explain(r, 'to exit 1'));
      assert.deepEqual(
        findingLines(r.stdout).map(([where, what]) => [where, what]),
        [
          [at(2), 'error ignore-without-reason'],
          [at(2), 'error drop-column'],
          [at(3), 'warning ignore-unknown-code'],
          [at(4), 'warning rename-table'],
        ],
      );
      assert.match(r.stdout, /ignore-unknown-code {2}an ignore comment names a code no rule has \(rename-tabel\)\n/);
      assert.equal(summaryOf(r), '2 errors, 2 warnings in 1 revision (head revisions); 2 ignored by comments.');
    });

    it('with the reason given, only warnings remain: exit 0', () => {
      p.write(file, rev.source.replace('// migrator-lint-ignore drop-column', '// migrator-lint-ignore drop-column: body moved to post_bodies in aaaa'));
      const r = p.run(['lint', '--offline']);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.deepEqual(
        findingLines(r.stdout).map(([, what]) => what),
        ['warning ignore-unknown-code', 'warning rename-table'],
      );
      assert.equal(summaryOf(r), '2 warnings in 1 revision (head revisions); 3 ignored by comments.');
    });
  });

  describe(`makemigrations prints the findings of the revision it wrote on ${backend.name}`, () => {
    const p = newProject(`migrator-lint-make-${backend.name}-`);
    const entity = (withNote: boolean): string => `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;
${withNote ? '\n  @Column({ type: \'text\', nullable: true })\n  note!: string;\n' : ''}}
`;

    it('a dropped column: the finding with its row count, and exit 0', async () => {
      const db = await backend.database(p);
      p.writeConfig({ database: db.url });
      p.writeEntity('product', entity(true));
      const first = p.ok(['makemigrations', '-m', 'products']);
      assert.doesNotMatch(first.stdout, /!/, 'creating a table finds nothing');
      p.ok(['migrate']);
      await db.exec("INSERT INTO product (sku, note) VALUES ('a', 'x'), ('b', NULL)");
      p.writeEntity('product', entity(false));
      const r = p.ok(['makemigrations', '-m', 'drop note', '--accept-data-loss']);
      assert.match(
        r.stdout,
        /^! destructive: drop column product\.note \(1 row holds a value\)\nGenerated versions\/\w+_drop_note\.ts\n {2}- drop column product\.note\n {2}! error drop-column: dropping a column destroys its values, and running code that reads it fails \(drop column product\.note; table product holds 2 rows\)\n$/,
      );
    });
  });
}

describe('lint without a database', () => {
  const p = newProject('migrator-lint-nodb-');

  before(() => {
    p.write('migrator.config.ts', "export default { models: ['entities/*.ts'], versions: 'versions' };\n");
    p.write(`versions/${BASE}_base.ts`, revisionFile(BASE, null, BASE_CALLS).source);
    p.write(RISKY_FILE, revisionFile(RISKY, BASE, RISKY_CALLS.map((c) => c.call)).source);
  });

  it('lints the heads with the rules common to all dialects, and says so', () => {
    const r = p.run(['lint', '--json']);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    const common = RISKY_CALLS.flatMap((c) => c.sqlite.filter((f) => c.postgres.includes(f)));
    assert.deepEqual(json(r).map((f) => `${f.level} ${f.code}`), common);
    assert.match(summaryOf(p.run(['lint'])), /in 1 revision \(head revisions; no database configured, so only the rules common to all dialects ran\)\.$/);
  });

  it('an unreachable database is an error that points to --offline', () => {
    const line = assertUserError(p.run(['lint', '--database', 'postgres://nobody:s3cret@127.0.0.1:1/none']));
    assert.match(line, /cannot connect to postgres:\/\/nobody:\*+@127\.0\.0\.1:1\/none.*; to lint without the database: migrator lint --offline$/);
    assert.doesNotMatch(line, /s3cret/);
  });
});
