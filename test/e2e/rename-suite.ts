/**
 * Rename detection end to end, one suite body for each database (renames.test.ts for SQLite,
 * pg-renames.test.ts for PostgreSQL, mysql-renames.test.ts for MySQL/MariaDB). Every way of answering a candidate runs over tables with
 * rows: a question answered on a terminal, `--rename` for a column and a table, `@renamedFrom` in
 * entity classes (property, relation, class) and in a Prisma schema (field, model). Each time the
 * revision renames (no drop), `migrate` keeps the values under the new name, `check` is clean,
 * `downgrade -1` brings back the first schema with the values under the old name, and a hint left
 * in the models is inert afterwards. Then the ways of not renaming — `n`, `--no-rename` — and of
 * refusing: no terminal and no answer, an input closed, a flag or a hint naming no candidate; a
 * refusal writes nothing and leaves the database as it was.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runInTerminal } from '../support/terminal.ts';
import { assertUserError, CLI, explain, generatedFile, projects, type Row, type RunResult, type TempProject } from './helpers.ts';

/** A database for one case: its URL, queries, and its schema as text for before/after comparisons. */
export interface CaseDatabase {
  url: string;
  query(sql: string): Promise<Row[]>;
  shape(): Promise<string>;
  drop(): Promise<void>;
}

/** What the suite needs of a database kind. */
export interface Backend {
  /** `sqlite`, `postgresql` or `mysql`, as a Prisma datasource names it. */
  provider: 'sqlite' | 'postgresql' | 'mysql';
  /** Prisma schemas are read for this database (migrator reads them for SQLite and PostgreSQL). */
  prisma: boolean;
  open(p: TempProject): Promise<CaseDatabase>;
}

const POST = (body: string, entity = "@Entity('posts')", cls = 'Post'): string => `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'migrator/decorators';

${entity}
export class ${cls} {
  @PrimaryGeneratedColumn()
  id!: number;
${body}
  @Column({ type: 'text', nullable: true })
  body!: string;
}
`;
const AUTHOR = `
  @Index()
  @Column({ length: 100 })
  authorName!: string;
`;
const COMMENTER = AUTHOR.replace('authorName', 'commenterName');

const COMMENT = (target = 'Post', file = './post', property = 'post', doc = ''): string => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
import { ${target} } from '${file}';

@Entity('comments')
export class Comment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 100 })
  text!: string;
${doc}
  @ManyToOne(() => ${target}, { onDelete: 'CASCADE' })
  ${property}!: ${target};
}
`;

const ROWS = [`INSERT INTO posts ("authorName", body) VALUES ('ann', 'hello'), ('bob', NULL)`, `INSERT INTO comments (text, "postId") VALUES ('nice', 1), ('meh', 2), ('more', 1)`];

const prismaHead = (provider: string): string => `datasource db {\n  provider = "${provider}"\n}\n`;
const PRISMA_V1 = `
model Post {
  id    Int    @id @default(autoincrement())
  title String
  @@index([title])
}

model User {
  id   Int    @id @default(autoincrement())
  name String
}
`;
const PRISMA_V2 = `
/// Posts are articles now.
/// @renamedFrom Post
model Article {
  id    Int    @id @default(autoincrement())
  title String
  @@index([title])
}

model User {
  id       Int    @id @default(autoincrement())
  /// @renamedFrom name
  fullName String
}
`;

interface RenameCase {
  name: string;
  /** Model files of the first revision and of the change, by path; `{provider}` is the Prisma provider. */
  first: Record<string, string>;
  second: Record<string, string>;
  models: string[];
  rows: string[];
  /** How the change is answered: CLI arguments, and the answers typed on a terminal if any. */
  answer: { args?: string[]; terminal?: string[] };
  /** Generate with `revision --autogenerate` rather than makemigrations. */
  revision?: boolean;
  /** What the revision's upgrade must do, in order. */
  upgrade: string[];
  /** The same values read under the old names and under the new ones. */
  kept: { before: string; after: string }[];
  /** The models keep a hint: the next makemigrations must find nothing to do. */
  hint?: boolean;
  /** Run after the rename is applied again at the end. */
  finally?: (db: CaseDatabase) => Promise<void>;
}

const ENTITIES = ['entities/*.ts'];

const RENAMES: RenameCase[] = [
  {
    name: 'a column, answered yes on a terminal',
    first: { 'entities/post.ts': POST(AUTHOR), 'entities/comment.ts': COMMENT() },
    second: { 'entities/post.ts': POST(COMMENTER) },
    models: ENTITIES,
    rows: ROWS,
    answer: { terminal: ['y'] },
    upgrade: ["op.renameColumn('posts', 'authorName', 'commenterName')", "op.renameIndex('posts', 'IDX_"],
    kept: [{ before: 'SELECT id, "authorName" AS v FROM posts ORDER BY id', after: 'SELECT id, "commenterName" AS v FROM posts ORDER BY id' }],
  },
  {
    name: 'a column, with --rename',
    first: { 'entities/post.ts': POST(AUTHOR), 'entities/comment.ts': COMMENT() },
    second: { 'entities/post.ts': POST(COMMENTER) },
    models: ENTITIES,
    rows: ROWS,
    answer: { args: ['--rename', 'posts.authorName=commenterName'] },
    upgrade: ["op.renameColumn('posts', 'authorName', 'commenterName')", "op.renameIndex('posts', 'IDX_"],
    kept: [{ before: 'SELECT id, "authorName" AS v FROM posts ORDER BY id', after: 'SELECT id, "commenterName" AS v FROM posts ORDER BY id' }],
  },
  {
    name: 'a referenced table, with --rename on revision --autogenerate',
    first: { 'entities/post.ts': POST(AUTHOR), 'entities/comment.ts': COMMENT() },
    second: { 'entities/post.ts': POST(AUTHOR, "@Entity('articles')") },
    models: ENTITIES,
    rows: ROWS,
    answer: { args: ['--rename', 'posts=articles'] },
    revision: true,
    upgrade: ["op.renameTable('posts', 'articles')", "op.renameIndex('articles', 'IDX_"],
    kept: [
      { before: 'SELECT id, "authorName" AS v FROM posts ORDER BY id', after: 'SELECT id, "authorName" AS v FROM articles ORDER BY id' },
      { before: 'SELECT c.id, p."authorName" AS v FROM comments c JOIN posts p ON p.id = c."postId" ORDER BY c.id', after: 'SELECT c.id, p."authorName" AS v FROM comments c JOIN articles p ON p.id = c."postId" ORDER BY c.id' },
    ],
    async finally(db) {
      // The key's sequence (PostgreSQL) or AUTOINCREMENT counter (SQLite) went with the table.
      await db.query(`INSERT INTO articles ("authorName") VALUES ('cy')`);
      assert.deepEqual(await db.query(`SELECT id FROM articles WHERE "authorName" = 'cy'`), [{ id: 3 }]);
      // The comments' foreign key follows the table: deleting an article deletes its comments.
      await db.query('DELETE FROM articles WHERE id = 1');
      assert.deepEqual(await db.query('SELECT id FROM comments ORDER BY id'), [{ id: 2 }]);
    },
  },
  {
    name: 'a column and a relation, with @renamedFrom on the properties',
    first: { 'entities/post.ts': POST(AUTHOR), 'entities/comment.ts': COMMENT() },
    second: {
      'entities/post.ts': POST(`\n  /** Who wrote it. @renamedFrom authorName */${COMMENTER}`),
      'entities/comment.ts': COMMENT('Post', './post', 'article', '\n  /**\n   * @renamedFrom post\n   */'),
    },
    models: ENTITIES,
    rows: ROWS,
    answer: {},
    upgrade: [
      "op.renameColumn('comments', 'postId', 'articleId')",
      "op.renameColumn('posts', 'authorName', 'commenterName')",
      "op.renameConstraint('comments', 'FK_",
      "op.renameIndex('posts', 'IDX_",
    ],
    kept: [
      { before: 'SELECT id, "authorName" AS v FROM posts ORDER BY id', after: 'SELECT id, "commenterName" AS v FROM posts ORDER BY id' },
      { before: 'SELECT id, "postId" AS v FROM comments ORDER BY id', after: 'SELECT id, "articleId" AS v FROM comments ORDER BY id' },
    ],
    hint: true,
  },
  {
    name: 'a referenced table, with @renamedFrom on the class (its old class name)',
    first: { 'entities/post.ts': POST(AUTHOR, '@Entity()', 'BlogPost'), 'entities/comment.ts': COMMENT('BlogPost') },
    second: { 'entities/post.ts': POST(AUTHOR, '/** @renamedFrom BlogPost */\n@Entity()', 'Article'), 'entities/comment.ts': COMMENT('Article') },
    models: ENTITIES,
    rows: [`INSERT INTO blog_post ("authorName", body) VALUES ('ann', 'hello'), ('bob', NULL)`, `INSERT INTO comments (text, "postId") VALUES ('nice', 1), ('meh', 2), ('more', 1)`],
    answer: {},
    upgrade: ["op.renameTable('blog_post', 'article')", "op.renameIndex('article', 'IDX_"],
    kept: [
      { before: 'SELECT id, "authorName" AS v FROM blog_post ORDER BY id', after: 'SELECT id, "authorName" AS v FROM article ORDER BY id' },
      { before: 'SELECT c.id, p.body AS v FROM comments c JOIN blog_post p ON p.id = c."postId" ORDER BY c.id', after: 'SELECT c.id, p.body AS v FROM comments c JOIN article p ON p.id = c."postId" ORDER BY c.id' },
    ],
    hint: true,
  },
  {
    name: 'a Prisma model and field, with /// @renamedFrom',
    first: { 'prisma/schema.prisma': `{head}${PRISMA_V1}` },
    second: { 'prisma/schema.prisma': `{head}${PRISMA_V2}` },
    models: ['prisma'],
    rows: [`INSERT INTO "Post" (title) VALUES ('one'), ('two')`, `INSERT INTO "User" (name) VALUES ('Ann'), ('Bob')`],
    answer: {},
    upgrade: ["op.renameTable('Post', 'Article')", "op.renameColumn('User', 'name', 'fullName')", "op.renameIndex('Article', 'Post_title_idx', 'Article_title_idx')"],
    kept: [
      { before: 'SELECT id, title AS v FROM "Post" ORDER BY id', after: 'SELECT id, title AS v FROM "Article" ORDER BY id' },
      { before: 'SELECT id, name AS v FROM "User" ORDER BY id', after: 'SELECT id, "fullName" AS v FROM "User" ORDER BY id' },
    ],
    hint: true,
  },
];

/** The suite, on one kind of database. */
export function renameSuite(backend: Backend): void {
  const newProject = projects();
  const fill = (text: string): string => text.replace('{head}', prismaHead(backend.provider));
  const writeAll = (p: TempProject, files: Record<string, string>): void => {
    for (const [file, text] of Object.entries(files)) p.write(file, fill(text));
  };

  /** A project whose first revision is applied, with rows. */
  async function applied(c: Pick<RenameCase, 'first' | 'models' | 'rows'>): Promise<{ p: TempProject; db: CaseDatabase }> {
    const p = newProject('migrator-renames-');
    const db = await backend.open(p);
    p.writeConfig({ database: db.url, models: c.models });
    writeAll(p, c.first);
    p.ok(['makemigrations', '-m', 'first']);
    p.ok(['migrate']);
    for (const sql of c.rows) await db.query(sql);
    return { p, db };
  }

  for (const c of RENAMES.filter((r) => backend.prisma || !r.models.includes('prisma'))) {
    describe(`rename: ${c.name}`, () => {
      let p: TempProject;
      let db: CaseDatabase;
      let shape = '';
      let values: Row[][] = [];
      before(async () => {
        ({ p, db } = await applied(c));
        shape = await db.shape();
        values = await Promise.all(c.kept.map((k) => db.query(k.before)));
        assert.ok(values.every((v) => v.length > 0), 'the rows to keep are there');
      });
      after(async () => {
        await db?.drop();
      });

      it('the revision renames, and drops nothing', () => {
        writeAll(p, c.second);
        const command = c.revision ? ['revision', '--autogenerate', '-m', 'rename'] : ['makemigrations', '-m', 'rename'];
        const args = [...command, ...(c.answer.args ?? [])];
        let r: RunResult;
        if (c.answer.terminal) {
          const t = runInTerminal([process.execPath, CLI, ...args], p.dir, c.answer.terminal, { DATABASE_URL: '' });
          assert.equal(t.asked, c.answer.terminal.length, t.output);
          assert.match(t.output, /Was posts\.authorName renamed to posts\.commenterName \(a (varchar|character varying)\(100\) column\)\? \[y\/N\] y/);
          r = { status: t.status, stdout: t.output, stderr: '', command: `migrator ${args.join(' ')} (on a terminal)` };
        } else {
          r = p.run(args);
        }
        assert.equal(r.status, 0, explain(r, 'to exit 0'));
        const source = p.read(generatedFile(r));
        const upgrade = source.slice(source.indexOf('upgrade('), source.indexOf('downgrade('));
        let at = 0;
        for (const step of c.upgrade) {
          const found = upgrade.indexOf(step, at);
          assert.ok(found >= 0, `expected ${step} after position ${at} in the upgrade:\n${upgrade}`);
          at = found + step.length;
        }
        // Nor are the indexes and keys named after the old names built again: they are renamed.
        assert.doesNotMatch(upgrade, /op\.(dropColumn|dropTable|addColumn|createTable|dropIndex|createIndex|dropConstraint|createForeignKey|createUniqueConstraint)\(/, upgrade);
      });

      it('migrate keeps the values under the new names, and check is clean', async () => {
        p.ok(['migrate']);
        for (const [i, k] of c.kept.entries()) assert.deepEqual(await db.query(k.after), values[i], k.after);
        const r = p.run(['check']);
        assert.equal(r.status, 0, explain(r, 'to exit 0 (models, database and revisions agree)'));
      });

      it('downgrade -1 brings back the first schema, with the values under the old names', async () => {
        p.ok(['downgrade', '-1']);
        assert.equal(await db.shape(), shape);
        for (const [i, k] of c.kept.entries()) assert.deepEqual(await db.query(k.before), values[i], k.before);
      });

      it(c.hint ? 'applied again, the hint left in the models is inert: no changes detected' : 'applied again, nothing is left to do', async () => {
        p.ok(['migrate']);
        const files = p.versionFiles();
        const r = p.ok(['makemigrations']);
        assert.match(r.stdout, /No changes detected/, explain(r, 'to find no changes'));
        assert.deepEqual(p.versionFiles(), files);
        await c.finally?.(db);
      });
    });
  }

  describe('not renaming: answered no on a terminal, or --no-rename', () => {
    for (const [label, run] of [
      // The drop loses the column's values: the data-loss question follows, answered yes.
      ['n on a terminal', (p: TempProject) => runInTerminal([process.execPath, CLI, 'makemigrations', '-m', 'swap'], p.dir, ['n', 'y'], { DATABASE_URL: '' })],
      ['--no-rename', (p: TempProject) => ({ ...p.run(['makemigrations', '-m', 'swap', '--no-rename', '--accept-data-loss']), asked: 0 })],
    ] as const) {
      it(`${label}: the column is dropped and the new one added`, async () => {
        const { p, db } = await applied({ first: { 'entities/post.ts': POST(AUTHOR), 'entities/comment.ts': COMMENT() }, models: ENTITIES, rows: ROWS });
        try {
          p.write('entities/post.ts', POST(AUTHOR.replace('authorName', 'commenterName').replace('length: 100', 'length: 100, nullable: true')));
          const r = run(p);
          assert.equal(r.status, 0, JSON.stringify(r));
          // Said on stdout, or (on the terminal) in the data-loss question.
          assert.match('output' in r ? r.output : r.stdout, /! destructive: drop column posts\.authorName \(2 rows hold a value\)/, JSON.stringify(r));
          const source = p.read(`versions/${p.versionFiles().find((f) => f.includes('swap'))}`);
          assert.match(source, /op\.addColumn\('posts', \{\s*name: 'commenterName'/);
          assert.match(source, /op\.dropColumn\('posts', 'authorName'\)/);
          assert.doesNotMatch(source, /renameColumn/);
        } finally {
          await db.drop();
        }
      });
    }
  });

  describe('refusals write nothing and leave the database as it was', () => {
    let p: TempProject;
    let db: CaseDatabase;
    let shape = '';
    let versions: string[] = [];
    before(async () => {
      ({ p, db } = await applied({ first: { 'entities/post.ts': POST(AUTHOR), 'entities/comment.ts': COMMENT() }, models: ENTITIES, rows: ROWS }));
      shape = await db.shape();
      versions = p.versionFiles().map((f) => readFileSync(p.path('versions', f), 'utf8'));
      // Two candidates: the author column and the body column, each renamed.
      p.write('entities/post.ts', POST(COMMENTER).replace('body!: string', 'summary!: string'));
    });
    after(async () => {
      await db?.drop();
    });
    const unchanged = async (): Promise<void> => {
      assert.deepEqual(p.versionFiles().map((f) => readFileSync(p.path('versions', f), 'utf8')), versions);
      assert.equal(await db.shape(), shape);
    };

    it('without a terminal: exit 2, every candidate named with both ways to answer, on one line', async () => {
      const line = assertUserError(p.run(['makemigrations', '-m', 'rename']));
      assert.equal(
        line,
        "error: posts.authorName → posts.commenterName may be a rename; answer with --rename posts.authorName=commenterName, or --no-rename to drop and add (the column's data is lost); " +
          "posts.body → posts.summary may be a rename; answer with --rename posts.body=summary, or --no-rename to drop and add (the column's data is lost)",
      );
      await unchanged();
    });

    it('revision --autogenerate without a terminal refuses the same way; an answered candidate is no longer named', async () => {
      const line = assertUserError(p.run(['revision', '--autogenerate', '-m', 'rename', '--rename', 'posts.body=summary']));
      assert.match(line, /^error: posts\.authorName → posts\.commenterName may be a rename; answer with --rename posts\.authorName=commenterName/);
      assert.doesNotMatch(line, /posts\.body/);
      await unchanged();
    });

    it('the input closed at the question (Ctrl-D): no answer is no consent', async () => {
      const t = runInTerminal([process.execPath, CLI, 'makemigrations', '-m', 'rename'], p.dir, [], { DATABASE_URL: '' });
      assert.equal(t.status, 2, t.output);
      assert.equal(t.asked, 1, t.output);
      assert.match(t.output, /error: no answer whether posts\.authorName → posts\.commenterName is a rename \(the input was closed or interrupted\); answer with --rename posts\.authorName=commenterName/);
      await unchanged();
    });

    it('check never asks, even on a terminal: it reports the drop and the add, exit 1', async () => {
      const t = runInTerminal([process.execPath, CLI, 'check'], p.dir, [], { DATABASE_URL: '' });
      assert.equal(t.asked, 0, t.output);
      assert.equal(t.status, 1, t.output);
      assert.match(t.output, /add column posts\.commenterName/);
      assert.match(t.output, /drop column posts\.authorName/);
      await unchanged();
    });

    it('a --rename that names no candidate: exit 2, naming it and the candidates', async () => {
      const line = assertUserError(p.run(['makemigrations', '--rename', 'posts.title=headline', '--no-rename']));
      assert.equal(
        line,
        'error: --rename posts.title=headline names no rename candidate (a column dropped and one of the same definition added); the candidates are posts.authorName → posts.commenterName, posts.body → posts.summary',
      );
      await unchanged();
    });

    it('a hint naming a dropped column of another type: exit 2, naming both', async () => {
      p.write('entities/post.ts', POST(COMMENTER).replace('body!: string', 'summary!: string').replace("type: 'text'", "type: 'integer'").replace('  @Column({ type', '  /** @renamedFrom body */\n  @Column({ type'));
      const line = assertUserError(p.run(['makemigrations', '--rename', 'posts.authorName=commenterName']));
      assert.match(line, /^error: posts\.summary is marked @renamedFrom body, but posts\.body is text and posts\.summary (integer|int); rename the column in a revision of its own/);
      await unchanged();
    });
  });

  describe('a hint that cannot be read is an error naming its place', () => {
    const fresh = async (files: Record<string, string>, models: string[], body: (p: TempProject) => void): Promise<void> => {
      const p = newProject('migrator-renames-');
      const db = await backend.open(p);
      try {
        p.writeConfig({ database: db.url, models });
        writeAll(p, files);
        body(p);
        assert.deepEqual(p.versionFiles(), []);
      } finally {
        await db.drop();
      }
    };

    it('an entity property with @renamedFrom and no old name', async () => {
      await fresh({ 'entities/post.ts': POST(`\n  /** @renamedFrom */${AUTHOR}`) }, ENTITIES, (p) => {
        const line = assertUserError(p.run(['makemigrations']));
        assert.match(line, /entities\/post\.ts:\d+.*@renamedFrom needs the old name, e\.g\. @renamedFrom authorName/);
      });
    });

    if (backend.prisma) {
      it('a Prisma hint above a relation field', async () => {
        const schema = `{head}model User {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int\n  /// @renamedFrom writer\n  author   User @relation(fields: [authorId], references: [id])\n}\n`;
        await fresh({ 'prisma/schema.prisma': schema }, ['prisma'], (p) => {
          const line = assertUserError(p.run(['makemigrations']));
          assert.match(line, /schema\.prisma:13: \/\/\/ @renamedFrom above this line has nothing to rename: put it above a scalar field \(a relation field holds no column\) or the model/);
        });
      });
    }
  });
}
