/**
 * Tables that are not the project's, on SQLite and PostgreSQL. A table in the database that no
 * model describes and no revision created (made by hand, by raw SQL in a revision, by TypeORM or
 * Prisma for themselves) is left alone: makemigrations says so and drops nothing, check lists it
 * without failing. A table a revision created and the models no longer have is dropped. The
 * config's `tables` include/exclude globs (bare or schema-qualified) keep tables out entirely:
 * never created, altered, dropped or reported.
 *
 * One PostgreSQL database per dialect run (test/support/pg.ts). Needs `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, explain, generatedFile, projects, undated, type RunResult, type TempProject } from './helpers.ts';

const newProject = projects();

const entity = (cls: string, table: string): string => `import { Column, Entity, PrimaryColumn } from 'migrator/decorators';

@Entity('${table}')
export class ${cls} {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
`;

const leftAlone = (t: string): string =>
  `Left alone: table ${t} is in the database but in no model and no revision created it; add it to tables.exclude to silence this, or drop it in a revision`;
const notManaged = (t: string): string => `Not managed: table ${t} is in the database but in no model and no revision created it; add it to tables.exclude to silence this`;

function config(database: string, tables?: string): string {
  return `export default {\n  database: ${JSON.stringify(database)},\n  models: ['entities/*.ts'],\n  versions: 'versions',\n${tables ? `  tables: ${tables},\n` : ''}};\n`;
}

/** Non-empty stdout lines. */
function lines(r: RunResult): string[] {
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** A revision file that creates a table with raw SQL only. */
function rawSqlRevision(id: string, down: string, table: string): string {
  return `import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = '${down}';

export async function upgrade(op: Operations): Promise<void> {
  await op.execute('CREATE TABLE ${table} (id integer PRIMARY KEY)');
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE ${table}');
}
`;
}

interface DialectCase {
  name: string;
  url(p: TempProject): Promise<string>;
  exec(p: TempProject, sql: string): Promise<void>;
  tables(p: TempProject): Promise<string[]>;
  teardown(): Promise<void>;
}

const sqlite: DialectCase = {
  name: 'SQLite',
  async url() {
    return 'sqlite:./app.db';
  },
  async exec(p, sql) {
    p.exec(sql);
  },
  async tables(p) {
    return p.tables();
  },
  async teardown() {},
};

function postgres(): DialectCase & { db(): TestDatabase } {
  let db: TestDatabase | undefined;
  return {
    name: 'PostgreSQL',
    db: () => db!,
    async url() {
      db = await createTestDatabase('migrator_unmanaged');
      return db.url;
    },
    async exec(_p, sql) {
      await db!.query(sql);
    },
    async tables() {
      return (await db!.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r.name);
    },
    async teardown() {
      await db?.drop();
    },
  };
}

for (const dialect of [sqlite, postgres()]) {
  describe(`tables nothing manages, on ${dialect.name}`, () => {
    const p = newProject('migrator-unmanaged-');
    let url = '';
    let first = '';
    before(async () => {
      url = await dialect.url(p);
      p.write('migrator.config.ts', config(url));
      p.writeEntity('post', entity('Post', 'posts'));
      p.writeEntity('comment', entity('Comment', 'comments'));
      first = generatedFile(p.ok(['makemigrations', '-m', 'first']));
      p.ok(['migrate']);
      // Made by hand, by TypeORM and Prisma for themselves, and by raw SQL in a revision.
      await dialect.exec(p, 'CREATE TABLE legacy_audit (id integer, what text)');
      await dialect.exec(p, `INSERT INTO legacy_audit VALUES (1, 'kept')`);
      await dialect.exec(p, 'CREATE TABLE typeorm_metadata ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)');
      await dialect.exec(p, 'CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL)');
      p.write('versions/5a1500000001_raw.ts', rawSqlRevision('5a1500000001', /versions\/([0-9a-f]{12})_/.exec(undated(first))![1], 'by_sql'));
      p.ok(['migrate']);
    });
    after(() => dialect.teardown());

    it('makemigrations leaves them alone and says so once each; nothing is written', async () => {
      const before = p.versionFiles();
      const r = p.ok(['makemigrations']);
      assert.deepEqual(lines(r), [leftAlone('_prisma_migrations'), leftAlone('by_sql'), leftAlone('legacy_audit'), leftAlone('typeorm_metadata'), 'No changes detected']);
      assert.deepEqual(p.versionFiles(), before);
      assert.deepEqual(await dialect.tables(p), ['_prisma_migrations', 'by_sql', 'comments', 'legacy_audit', 'migrator_history', 'migrator_version', 'posts', 'typeorm_metadata']);
    });

    it('check lists them as not managed and does not fail for them', () => {
      const r = p.run(['check']);
      assert.equal(r.status, 0, explain(r, 'to exit 0'));
      assert.deepEqual(lines(r), [
        notManaged('_prisma_migrations'),
        notManaged('by_sql'),
        notManaged('legacy_audit'),
        notManaged('typeorm_metadata'),
        'No changes detected: models, database and revisions agree.',
      ]);
    });

    it('a table a revision created and the models dropped is dropped; the others stay alone', () => {
      p.remove('entities/comment.ts');
      const r = p.ok(['makemigrations', '-m', 'drop comments']);
      assert.ok(lines(r).includes(leftAlone('legacy_audit')), explain(r, 'to leave legacy_audit alone'));
      const source = p.read(generatedFile(r));
      assert.match(source, /await op\.dropTable\('comments'\);/);
      assert.doesNotMatch(source, /legacy_audit|typeorm_metadata|_prisma_migrations|by_sql/);
      p.ok(['migrate']);
    });

    it('tables.exclude keeps a table out: a model\'s is never created, the database\'s never reported', async () => {
      p.write('migrator.config.ts', config(url, "{ exclude: ['legacy_*', 'typeorm_metadata', '_prisma_migrations', 'by_sql', 'audit_log'] }"));
      p.writeEntity('audit', entity('AuditLog', 'audit_log'));
      const r = p.ok(['makemigrations']);
      assert.deepEqual(lines(r), ['No changes detected']);
      const c = p.run(['check']);
      assert.equal(c.status, 0, explain(c, 'to exit 0'));
      assert.deepEqual(lines(c), ['No changes detected: models, database and revisions agree.']);
      assert.ok(!(await dialect.tables(p)).includes('audit_log'));
    });

    it('an excluded table that a revision created is not dropped when its model goes', async () => {
      p.write('migrator.config.ts', config(url, "{ exclude: ['legacy_*', 'typeorm_metadata', '_prisma_migrations', 'by_sql', 'posts'] }"));
      p.remove('entities/audit.ts');
      p.remove('entities/post.ts');
      p.writeEntity('other', entity('Other', 'other'));
      const r = p.ok(['makemigrations', '-m', 'other']);
      const source = p.read(generatedFile(r));
      assert.match(source, /await op\.createTable\('other'/);
      assert.doesNotMatch(source, /posts/);
      p.ok(['migrate']);
      assert.ok((await dialect.tables(p)).includes('posts'));
    });

    it('tables.include keeps only the tables it names', () => {
      p.write('migrator.config.ts', config(url, "{ include: ['other', 'nothing_*'] }"));
      const withExtra = (source: string): string => source.replace('  note!: string | null;', "  note!: string | null;\n\n  @Column({ type: 'text', nullable: true })\n  extra!: string | null;");
      p.writeEntity('post', withExtra(entity('Post', 'posts')));
      p.writeEntity('other', withExtra(entity('Other', 'other')));
      const c = p.run(['check']);
      assert.equal(c.status, 1, explain(c, 'to exit 1'));
      assert.deepEqual(lines(c).slice(0, 2), ['Models and database differ:', '  - add column other.extra']);
      assert.doesNotMatch(c.stdout, /posts|legacy_audit|Not managed/);
    });
  });
}

describe('schema-qualified globs and enum types of tables left alone, on PostgreSQL', () => {
  const p = newProject('migrator-unmanaged-pg-');
  const pg = postgres();
  let url = '';
  before(async () => {
    url = await pg.url(p);
    p.write('migrator.config.ts', config(url));
    p.writeEntity('post', entity('Post', 'posts'));
    p.ok(['makemigrations', '-m', 'first']);
    p.ok(['migrate']);
    // What PostGIS puts in public, and another application's table with its own enum type.
    await pg.exec(p, 'CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY, auth_name varchar(256))');
    await pg.exec(p, "CREATE TYPE mood AS ENUM ('ok', 'sad')");
    await pg.exec(p, 'CREATE TABLE their_moods (id integer, m mood)');
  });
  after(() => pg.teardown());

  it('by default both tables are left alone, and so is the enum type only they use', () => {
    const r = p.ok(['makemigrations']);
    assert.deepEqual(lines(r), [leftAlone('spatial_ref_sys'), leftAlone('their_moods'), 'No changes detected']);
  });

  it('public.spatial_ref_sys in tables.exclude silences it; a glob for another schema does not', () => {
    p.write('migrator.config.ts', config(url, "{ exclude: ['public.spatial_ref_sys', 'other.their_moods'] }"));
    const r = p.ok(['makemigrations']);
    assert.deepEqual(lines(r), [leftAlone('their_moods'), 'No changes detected']);
  });

  it('a wrong "tables" shape is an error naming the key', () => {
    p.write('migrator.config.ts', config(url, "{ exclude: ['x'], skip: ['y'] }"));
    const line = assertUserError(p.run(['check']));
    assert.equal(line, `error: ${p.path('migrator.config.ts')}: unknown key "skip" in "tables"; the keys are include and exclude`);
  });
});
