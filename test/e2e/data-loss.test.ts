/**
 * makemigrations against a database with rows, on SQLite, PostgreSQL and MySQL: every operation
 * that would destroy data or fail on the rows is named with its count. Without a terminal the
 * revision is refused (exit 2, versions/ and the database untouched) unless --accept-data-loss,
 * which writes it with the data-dependent findings as comments above their operations — and
 * those operations do fail at migrate (on MySQL, after the statements before them, which stay). On a terminal (a pseudo-terminal from util-linux `script`) the
 * question is asked. Models that describe no table refuse to drop every table, unless --allow-empty.
 *
 * One PostgreSQL and one MySQL database per dialect run (test/support/pg.ts, mysql.ts). Check
 * expressions name columns unquoted, as every dialect reads them. Needs `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, CLI, explain, generatedFile, projects, type RunResult, type TempProject } from './helpers.ts';

const newProject = projects();

const FIRST = `import { Column, Entity, PrimaryColumn } from 'migrator/decorators';

@Entity('authors')
export class Author {
  @PrimaryColumn()
  id!: number;
}

@Entity('drafts')
export class Draft {
  @PrimaryColumn()
  id!: number;
}

@Entity('posts')
export class Post {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'varchar', length: 20 })
  title!: string;

  @Column({ type: 'text' })
  views!: string;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ type: 'text', nullable: true })
  status!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  email!: string | null;

  @Column({ type: 'integer', nullable: true })
  authorId!: number | null;

  @Column({ type: 'integer' })
  score!: number;
}
`;

/**
 * Every change at once: drafts and posts.body dropped, title narrowed, views to integer, summary
 * NOT NULL without a default, status NOT NULL with one (filled by the runner: no finding), a new
 * NOT NULL column without a default, a unique index, a foreign key and a check.
 */
const SECOND = `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'migrator/decorators';

@Entity('authors')
export class Author {
  @PrimaryColumn()
  id!: number;
}

@Entity('posts')
@Index('posts_email_key', ['email'], { unique: true })
@Check('posts_score_check', 'score >= 0')
export class Post {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'varchar', length: 5 })
  title!: string;

  @Column({ type: 'integer' })
  views!: number;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  email!: string | null;

  @Column({ type: 'integer', nullable: true })
  authorId!: number | null;

  @ManyToOne(() => Author)
  @JoinColumn({ name: 'authorId', foreignKeyConstraintName: 'posts_author_fkey' })
  author!: Author | null;

  @Column({ type: 'integer' })
  score!: number;
}
`;

const ROWS = [
  `INSERT INTO authors (id) VALUES (1)`,
  `INSERT INTO drafts (id) VALUES (1), (2)`,
  `INSERT INTO posts (id, body, title, views, summary, status, email, "authorId", score) VALUES
     (1, 'a', 'short', '10', 's', NULL, 'x@a', 1, 1),
     (2, 'b', 'a longer title', '20', NULL, 'ok', 'x@a', 9, -1),
     (3, 'c', 'another long', 'n/a', NULL, NULL, 'y@a', NULL, 2),
     (4, NULL, 'ok', ' 7 ', 's', NULL, NULL, 8, 3)`,
];

/**
 * The findings every dialect reports, in operation order, with `casts`: what a dialect that casts
 * values on a type change finds there (its entity types spelt as its catalog spells them). The
 * foreign key comes after every table's changes, but on SQLite (`keysWithTable`), which keeps a
 * table's keys with it.
 */
function expectedFindings(casts: readonly string[], keysWithTable: boolean): string[] {
  const key = '! data-dependent: add foreignKey constraint posts_author_fkey on posts (2 rows of posts point to no row of authors)';
  return [
    '! data-dependent: add column posts.slug NOT NULL (posts has 4 rows and the column has no default)',
    ...casts,
    '! data-dependent: alter column posts.summary to NOT NULL (2 rows hold NULL)',
    '! data-dependent: create unique index posts_email_key on posts (1 value of (email) occurs more than once)',
    ...(keysWithTable ? [key] : []),
    '! data-dependent: add check constraint posts_score_check on posts (1 row of posts breaks it)',
    '! destructive: drop column posts.body (3 rows hold a value)',
    ...(keysWithTable ? [] : [key]),
    '! destructive: drop table drafts (it holds 2 rows)',
  ];
}

/** Every file of versions/ with its content, to show a refused run wrote nothing. */
function versionsContent(p: TempProject): Record<string, string> {
  const dir = p.path('versions');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')]));
}

/** The `! …` lines of a run's stdout. */
function findingLines(r: RunResult): string[] {
  return r.stdout.split('\n').filter((l) => l.startsWith('! '));
}

interface DialectCase {
  name: string;
  /** The findings of the two type changes (title narrowed, views to integer); none on SQLite. */
  casts: string[];
  /** posts.views' new type as the dialect spells it, where it casts values (the comment names it). */
  views?: string;
  /** A failing revision is rolled back whole; else the statements before the failing one stay. */
  transactionalDdl: boolean;
  /** A NOT NULL column added without a default fills the rows with its type's implicit value rather than failing. */
  implicitDefaults?: boolean;
  setup(p: TempProject): Promise<void>;
  exec(sql: string): Promise<void>;
  /** Everything in the database, as text, for "unchanged" checks. */
  dump(): Promise<string>;
  teardown(): Promise<void>;
}

function sqliteCase(): DialectCase {
  let p: TempProject;
  return {
    name: 'SQLite',
    casts: [],
    transactionalDdl: true,
    async setup(project) {
      p = project;
      p.writeConfig();
    },
    async exec(sql) {
      p.exec(sql);
    },
    async dump() {
      return p.dump();
    },
    async teardown() {},
  };
}

function postgresCase(): DialectCase {
  let db: TestDatabase;
  return {
    name: 'PostgreSQL',
    casts: [
      '! destructive: alter column posts.title to character varying(5) (2 values are longer than 5 characters and would be cut)',
      '! data-dependent: alter column posts.views to integer (1 value does not cast to integer)',
    ],
    views: 'integer',
    transactionalDdl: true,
    async setup(p) {
      db = await createTestDatabase('migrator_data_loss');
      p.writeConfig({ database: db.url });
    },
    async exec(sql) {
      await db.query(sql);
    },
    async dump() {
      const tables = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      const out: Record<string, unknown> = {};
      for (const { name } of tables) {
        out[name] = {
          columns: await db.query(`SELECT column_name, data_type, character_maximum_length, is_nullable, column_default FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`, [name]),
          constraints: await db.query(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY conname`, [`"${name}"`]),
          indexes: await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname`, [name]),
          rows: await db.query(`SELECT * FROM "${name}" ORDER BY 1`),
        };
      }
      return JSON.stringify(out);
    },
    async teardown() {
      await db?.drop();
    },
  };
}

function mysqlCase(): DialectCase {
  let db: TestMysqlDatabase;
  return {
    name: 'MySQL',
    // A strict sql_mode (the default) refuses a value too long for the new length.
    casts: [
      '! data-dependent: alter column posts.title to varchar(5) (2 values are longer than 5 characters, which varchar(5) refuses)',
      '! data-dependent: alter column posts.views to int (1 value does not cast to int)',
    ],
    views: 'int',
    transactionalDdl: false,
    implicitDefaults: true,
    async setup(p) {
      db = await createMysqlTestDatabase('migrator_data_loss');
      p.writeConfig({ database: db.url });
    },
    async exec(sql) {
      // The SQL here quotes names in double quotes.
      await db.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
      await db.query(sql);
    },
    async dump() {
      const tables = await db.query<{ name: string }>("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1");
      const out: Record<string, unknown> = {};
      for (const { name } of tables) {
        const [create] = await db.query<Record<string, string>>(`SHOW CREATE TABLE \`${name}\``);
        // The next AUTO_INCREMENT value is no part of the schema.
        out[name] = { create: create['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''), rows: await db.query(`SELECT * FROM \`${name}\` ORDER BY 1`) };
      }
      return JSON.stringify(out);
    },
    async teardown() {
      await db?.drop();
    },
  };
}

for (const dialect of [sqliteCase(), postgresCase(), mysqlCase()]) {
  describe(`data-loss findings on ${dialect.name}`, () => {
    const p = newProject('migrator-data-loss-');
    let expected: string[] = [];
    before(async () => {
      await dialect.setup(p);
      p.writeEntity('models', FIRST);
      p.ok(['makemigrations', '-m', 'first']);
      p.ok(['migrate']);
      for (const sql of ROWS) await dialect.exec(sql);
      p.writeEntity('models', SECOND);
      expected = expectedFindings(dialect.casts, dialect.name === 'SQLite');
    });
    after(() => dialect.teardown());

    it('without a terminal, refuses: exit 2, one line naming each finding with its count and the flag; nothing written', async () => {
      const versions = versionsContent(p);
      const database = await dialect.dump();
      const r = p.run(['makemigrations', '-m', 'second', '--no-rename']);
      const line = assertUserError(r);
      assert.match(line, /^error: this revision would lose data or fail at migrate: /);
      for (const finding of expected) assert.ok(line.includes(finding.replace(/^! /, '')), explain(r, `to name "${finding}"`));
      assert.match(line, /pass --accept-data-loss to generate it anyway/i);
      assert.deepEqual(versionsContent(p), versions, 'versions/ is byte-identical');
      assert.equal(await dialect.dump(), database, 'the database is unchanged');
    });

    it('revision --autogenerate refuses the same way', () => {
      const versions = versionsContent(p);
      const line = assertUserError(p.run(['revision', '--autogenerate', '-m', 'second', '--no-rename']));
      assert.ok(line.includes('drop table drafts (it holds 2 rows)'), line);
      assert.deepEqual(versionsContent(p), versions);
    });

    let file = '';
    it('--accept-data-loss writes it, listing the findings, with the data-dependent ones above their operations', () => {
      const r = p.ok(['makemigrations', '-m', 'second', '--accept-data-loss', '--no-rename']);
      file = generatedFile(r);
      assert.deepEqual(findingLines(r), expected, explain(r, 'to list every finding'));
      const source = p.read(file);
      const above = (comment: string, statement: string): void => {
        assert.ok(source.includes(`  // ${comment}\n  await op.${statement}`), `expected\n  // ${comment}\nright above\n  await op.${statement}\nin:\n${source}`);
      };
      above(
        `migrator: posts has 4 rows and slug is NOT NULL without a default; ${
          dialect.implicitDefaults
            ? "each of them gets the type's implicit value ('' or 0) at migrate unless the column gets a default or a backfill"
            : 'this fails at migrate unless it gets a default or the rows are removed first'
        }`,
        "addColumn('posts', { name: 'slug'",
      );
      above('migrator: 2 rows of posts hold NULL in summary; this fails at migrate unless they are filled first', "alterColumn('posts', 'summary'");
      above('migrator: 1 value of (email) in posts occurs more than once; this fails at migrate unless the duplicates are removed first', 'createIndex(');
      above('migrator: 2 rows of posts point to no row of authors through (authorId); this fails at migrate unless they are fixed first', "createForeignKey('posts'");
      above('migrator: 1 row of posts breaks the check (score >= 0); this fails at migrate unless it is changed first', "createCheckConstraint('posts'");
      if (dialect.views) above(`migrator: 1 value of posts.views does not cast to ${dialect.views}; this fails at migrate unless it is changed first`, "alterColumn('posts', 'views'");
      // Destructive findings are consented to once; the file does not repeat them.
      assert.doesNotMatch(source, /migrator: .*(drop|hold a value)/);
      assert.doesNotMatch(source, /migrator: .*status/, 'NOT NULL with a default is filled by the runner: no finding');
    });

    const stays = dialect.transactionalDdl ? 'the database stays where it was' : 'what ran before stays, said so, until finished by hand and stamped';
    it(`the data-dependent operations do fail at migrate; ${stays}`, async () => {
      assert.match(file, /^versions\/\S+\.ts$/, 'the revision was written');
      const database = await dialect.dump();
      const at = p.ok(['current']).stdout.split(/\s/)[0];
      const r = p.run(['migrate']);
      const line = assertUserError(r);
      if (!dialect.transactionalDdl) {
        // Its first statement adds slug (MySQL fills the rows with ''); the second, title narrowed, fails.
        assert.match(line, new RegExp(`stopped at its statement 2 of \\d+: ${dialect.name} commits each statement as it runs, so its statement 1 ran and is kept .*Data truncated for column 'title'`));
        assert.notEqual(await dialect.dump(), database);
        await dialect.exec('ALTER TABLE posts DROP COLUMN slug');
        p.ok(['stamp', at]);
      }
      const userTables = (dump: string): unknown => ({ ...JSON.parse(dump), migrator_history: undefined, migrator_version_progress: undefined });
      assert.deepEqual(userTables(await dialect.dump()), userTables(database));
      p.remove(file);
    });

    it('once the rows are fixed, only the destructive findings remain', async () => {
      await dialect.exec(`UPDATE posts SET summary = 'filled' WHERE summary IS NULL`);
      await dialect.exec(`UPDATE posts SET email = 'z@a' WHERE id = 2`);
      await dialect.exec(`UPDATE posts SET "authorId" = 1 WHERE id IN (2, 4)`);
      await dialect.exec(`UPDATE posts SET score = 0 WHERE score < 0`);
      await dialect.exec(`UPDATE posts SET views = '30' WHERE views = 'n/a'`);
      await dialect.exec(`DELETE FROM posts WHERE id > 1`);
      const line = assertUserError(p.run(['makemigrations', '-m', 'second', '--no-rename']));
      const kinds = [...line.matchAll(/(destructive|data-dependent): ([^;]+)/g)].map((m) => `${m[1]}: ${m[2]}`);
      assert.deepEqual(kinds, [
        'data-dependent: add column posts.slug NOT NULL (posts has 1 row and the column has no default)',
        'destructive: drop column posts.body (1 row holds a value)',
        'destructive: drop table drafts (it holds 2 rows)',
      ]);
    });
  });
}

describe('the question on a terminal', () => {
  const p = newProject('migrator-data-loss-tty-');
  before(() => {
    p.writeConfig();
    p.writeEntity('models', FIRST);
    p.ok(['makemigrations', '-m', 'first']);
    p.ok(['migrate']);
    p.exec(`INSERT INTO drafts (id) VALUES (1), (2), (3)`);
    p.writeEntity('models', FIRST.replace(/@Entity\('drafts'\)\nexport class Draft \{\n {2}@PrimaryColumn\(\)\n {2}id!: number;\n\}\n/, ''));
  });

  /** makemigrations on a pseudo-terminal (util-linux `script`), typing `answer`. */
  function onTerminal(answer: string): RunResult {
    assert.ok(existsSync('/usr/bin/script'), 'util-linux script is needed for a pseudo-terminal');
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} makemigrations -m 'drop drafts'`;
    const r = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: p.dir, input: answer, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 });
    if (r.error) throw r.error;
    // On a terminal the output has colour: the assertions read its text.
    // eslint-disable-next-line no-control-regex
    const text = r.stdout.replace(/\r\n/g, '\n').replace(/\x1b\[[0-9;]*m/g, '');
    return { status: r.status ?? -1, stdout: text, stderr: r.stderr, command: 'migrator makemigrations (on a terminal)' };
  }

  it('lists the findings and asks; "n" writes nothing (exit 2)', () => {
    const r = onTerminal('n\n');
    assert.match(r.stdout, /^! destructive: drop table drafts \(it holds 3 rows\)$/m, explain(r, 'to list the finding'));
    assert.match(r.stdout, /Generate it anyway\? \[y\/N\] /, explain(r, 'to ask'));
    assert.match(r.stdout, /error: not generated: the answer was no; nothing was written/);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.deepEqual(p.versionFiles().length, 1);
  });

  it('"y" writes the revision', () => {
    const r = onTerminal('y\n');
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.match(r.stdout, /^Generated versions\/\S+_drop_drafts\.ts$/m);
    assert.equal(p.versionFiles().length, 2);
  });
});

describe('models that describe no table', () => {
  const p = newProject('migrator-empty-models-');
  before(() => {
    p.writeConfig();
    p.writeEntity('models', FIRST);
    p.ok(['makemigrations', '-m', 'first']);
    p.ok(['migrate']);
    // The entity file replaced by one that declares no entity.
    p.writeEntity('models', 'export const nothing = 1;\n');
  });

  it('refuses to drop every table, naming the globs and what they matched', () => {
    const versions = versionsContent(p);
    const line = assertUserError(p.run(['makemigrations']));
    assert.equal(
      line,
      `error: the models describe no table, so this revision would drop every table of sqlite:./app.db (authors, drafts, posts); "models" in ${p.path('migrator.config.ts')}: ` +
        'entities/*.ts matches 1 file, and none declares a table. Check the globs and the files, or pass --allow-empty to generate it anyway',
    );
    assert.deepEqual(versionsContent(p), versions);
    assertUserError(p.run(['revision', '--autogenerate', '-m', 'x']));
    assert.deepEqual(versionsContent(p), versions);
  });

  it('--allow-empty generates the drops, and empty tables need no consent', () => {
    const r = p.ok(['makemigrations', '--allow-empty']);
    assert.deepEqual(findingLines(r), []);
    const source = p.read(generatedFile(r));
    for (const t of ['authors', 'drafts', 'posts']) assert.match(source, new RegExp(`await op\\.dropTable\\('${t}'\\);`));
  });
});

const ITEMS = (checks: string, extra = ''): string => `import { Check, Column, Entity, PrimaryColumn } from 'migrator/decorators';

@Entity('items')
${checks}export class Item {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'integer' })
  score!: number;
${extra}}
`;

for (const dialect of [sqliteCase(), postgresCase(), mysqlCase()]) {
  describe(`counts that cannot be taken, on ${dialect.name}`, () => {
    const p = newProject('migrator-data-loss-unevaluated-');
    before(async () => {
      await dialect.setup(p);
      p.writeEntity('models', ITEMS(''));
      p.ok(['makemigrations', '-m', 'first']);
      p.ok(['migrate']);
      await dialect.exec('INSERT INTO items (id, score) VALUES (1, 5), (2, 7)');
    });
    after(() => dialect.teardown());

    it('a check over a new column, or whose text holds a semicolon, is "not evaluated": said, commented, not blocking, never run', async () => {
      const database = await dialect.dump();
      p.writeEntity(
        'models',
        ITEMS(
          `@Check('items_grade_check', 'grade > 0')\n@Check('items_sneaky', 'score > 0; DROP TABLE items')\n`,
          "\n  @Column({ type: 'integer', default: 1 })\n  grade!: number;\n",
        ),
      );
      const r = p.ok(['makemigrations', '-m', 'checks']);
      const found = findingLines(r).sort();
      assert.equal(found.length, 2, explain(r, 'to list two findings'));
      assert.match(found[0], /^! not evaluated: add check constraint items_grade_check on items \(could not count the rows it affects: .*grade.*\)$/);
      assert.equal(found[1], '! not evaluated: add check constraint items_sneaky on items (could not count the rows it affects: the text holds a semicolon, which is never sent to the database)');
      const source = p.read(generatedFile(r));
      assert.match(source, /\/\/ migrator: could not count the rows this affects \(the text holds a semicolon, which is never sent to the database\); check them before migrating\n {2}await op\.createCheckConstraint\('items', \{\s*name: 'items_sneaky'/);
      assert.equal(await dialect.dump(), database, 'the table and its rows are untouched');
    });
  });
}
