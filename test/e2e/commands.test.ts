/**
 * The commands one by one: init, the inspection commands and their --json, show, stamp, the
 * offline SQL commands, templates, revision, merge, and identifiers that need quoting.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { assertUserError, DATED, downRevisionOf, explain, generatedFile, projects, revisionIdOf, ROOT, sqlRevision, type TempProject } from './helpers.ts';

const newProject = projects();

const PRODUCT = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;
}
`;

const A = 'aaaa11110000';
const B = 'bbbb22220000';

/** Non-empty lines of a command's stdout. */
function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.trim() !== '');
}

function parseJson(stdout: string, command: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch (error) {
    assert.fail(`\`${command}\` printed no valid JSON (${(error as Error).message}):\n${stdout}`);
  }
}

/** A project with a generated first revision A (create product) and an empty revision B on it. */
function twoRevisions(p: TempProject): void {
  p.writeConfig();
  p.writeEntity('product', PRODUCT);
  p.ok(['makemigrations', '-m', 'create product', '--rev-id', A]);
  p.ok(['revision', '-m', 'second step', '--rev-id', B]);
}

describe('init', () => {
  const p = newProject();

  it('creates migrator.config.ts, versions/ and templates/revision.ts.hbs', () => {
    const r = p.ok(['init']);
    assert.ok(p.exists('migrator.config.ts'));
    assert.ok(p.exists('versions'));
    assert.deepEqual(p.versionFiles(), []);
    assert.ok(p.exists('templates/revision.ts.hbs'));
    assert.match(r.stdout, /migrator\.config\.ts/);
    assert.match(r.stdout, /revision\.ts\.hbs/);
    const config = p.read('migrator.config.ts');
    assert.match(config, /import \{ defineConfig \} from 'ts-migrator'/);
    assert.match(config, /export default defineConfig\(/);
    assert.match(config, /database: process\.env\.DATABASE_URL \|\| 'sqlite:\.\/dev\.db'/);
    // The next steps, in order, after the files.
    const next = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('npx migrator'));
    assert.deepEqual(next, ['npx migrator makemigrations -m "create tables"', 'npx migrator migrate', 'npx migrator check']);
    assert.equal(p.read('templates/revision.ts.hbs'), readFileSync(path.join(ROOT, 'templates', 'revision.ts.hbs'), 'utf8'));
  });

  it('the project it sets up works: showmigrations lists no revisions', () => {
    const r = p.ok(['showmigrations']);
    assert.match(r.stdout, /no revisions/);
  });

  it('refuses to run a second time and overwrites nothing', () => {
    const edited = `${p.read('migrator.config.ts')}// edited by hand\n`;
    p.write('migrator.config.ts', edited);
    const template = p.read('templates/revision.ts.hbs');
    const line = assertUserError(p.run(['init']));
    assert.match(line, /migrator\.config\.ts/);
    assert.match(line, /exists/);
    assert.equal(p.read('migrator.config.ts'), edited);
    assert.equal(p.read('templates/revision.ts.hbs'), template);
  });
});

describe('revision, inspection commands and show', () => {
  const p = newProject();
  before(() => {
    twoRevisions(p);
    p.ok(['upgrade', A]);
  });

  it('revision -m writes an empty revision on top of the head', () => {
    const files = p.versionFiles();
    assert.equal(files.length, 2);
    const file = files.find((f) => f.includes(`_${B}_`));
    assert.match(file ?? '', new RegExp(`^${DATED}${B}_second_step\\.ts$`));
    const source = p.read(`versions/${file}`);
    assert.equal(revisionIdOf(source), B);
    assert.equal(downRevisionOf(source), `'${A}'`);
    assert.match(source, /second step/);
    assert.doesNotMatch(source, /\bop\.\w+\(/, 'no operations in an empty revision');
    assert.match(source, /export async function upgrade\(/);
    assert.match(source, /export async function downgrade\(/);
  });

  it('current shows the revision the database is at', () => {
    const r = p.ok(['current']);
    assert.deepEqual(lines(r.stdout).map((l) => l.split(/\s/)[0]), [A]);
    assert.match(r.stdout, /create product/);
    assert.deepEqual(parseJson(p.ok(['current', '--json']).stdout, 'current --json'), [A]);
  });

  it('heads shows the head revision', () => {
    const r = p.ok(['heads']);
    assert.equal(lines(r.stdout).length, 1);
    assert.match(r.stdout, new RegExp(`^${B} \\(head\\)\\s+second step$`, 'm'));
    const json = parseJson(p.ok(['heads', '--json']).stdout, 'heads --json') as { id: string; downRevisions: string[] }[];
    assert.deepEqual(
      json.map((h) => [h.id, h.downRevisions]),
      [[B, [A]]],
    );
  });

  it('history lists revisions newest first with their parents', () => {
    const r = p.ok(['history']);
    const out = lines(r.stdout);
    assert.equal(out.length, 2);
    assert.match(out[0], new RegExp(`^${A} -> ${B} \\(head\\), second step$`));
    assert.match(out[1], new RegExp(`^<base> -> ${A} \\(base\\), create product$`));
    const json = parseJson(p.ok(['history', '--json']).stdout, 'history --json') as { id: string }[];
    assert.deepEqual(
      json.map((h) => h.id),
      [B, A],
    );
  });

  it('showmigrations marks applied revisions [X], oldest first', () => {
    const r = p.ok(['showmigrations']);
    const out = lines(r.stdout);
    assert.equal(out.length, 2);
    assert.match(out[0], new RegExp(`^\\[X\\] ${A}\\b.*create product`));
    assert.match(out[1], new RegExp(`^\\[ \\] ${B}\\b.*second step`));
    const json = parseJson(p.ok(['showmigrations', '--json']).stdout, 'showmigrations --json') as { id: string; applied: boolean }[];
    assert.deepEqual(
      json.map((m) => [m.id, m.applied]),
      [
        [A, true],
        [B, false],
      ],
    );
  });

  it('after migrate every revision is [X] and current is the head', () => {
    const m = p.ok(['migrate']);
    assert.match(m.stdout, new RegExp(`Applied\\s+${B}`));
    assert.deepEqual(p.versions(), [B]);
    assert.ok(lines(p.ok(['showmigrations']).stdout).every((l) => l.startsWith('[X] ')));
    assert.deepEqual(parseJson(p.ok(['current', '--json']).stdout, 'current --json'), [B]);
  });

  it('show <prefix> shows one revision', () => {
    const a = p.ok(['show', 'aaaa']);
    assert.match(a.stdout, new RegExp(`^Rev: ${A}\\b`, 'm'));
    assert.match(a.stdout, /^Parent: <base>$/m);
    assert.match(a.stdout, new RegExp(`^Path: versions[\\\\/]${DATED}${A}_create_product\\.ts$`, 'm'));
    assert.match(a.stdout, /create product/);
    const b = p.ok(['show', 'bbbb2']);
    assert.match(b.stdout, new RegExp(`^Rev: ${B} \\(head\\)`, 'm'));
    assert.match(b.stdout, new RegExp(`^Parent: ${A}$`, 'm'));
  });
});

describe('stamp', () => {
  const p = newProject();
  before(() => {
    twoRevisions(p);
    p.remove('app.db');
  });

  it('stamp <rev> sets the version table without creating tables', () => {
    const r = p.ok(['stamp', A]);
    assert.match(r.stdout, new RegExp(`base -> ${A}`));
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(p.versions(), [A]);
    assert.match(p.ok(['current']).stdout, new RegExp(`^${A}\\b`, 'm'));
  });

  it('stamp moves between revisions', () => {
    p.ok(['stamp', B]);
    assert.deepEqual(p.versions(), [B]);
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version']);
  });

  it('stamp base empties the version table', () => {
    const r = p.ok(['stamp', 'base']);
    assert.match(r.stdout, new RegExp(`${B} -> base`));
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(p.versions(), []);
  });
});

describe('offline SQL', () => {
  const p = newProject();
  before(() => {
    twoRevisions(p);
    p.remove('app.db');
  });

  it('sqlmigrate <rev> prints CREATE TABLE and needs no database', () => {
    const r = p.ok(['sqlmigrate', A]);
    assert.match(r.stdout, /CREATE TABLE "product" \(/);
    assert.match(r.stdout, /"sku" varchar\(64\) NOT NULL/);
    assert.ok(!p.exists('app.db'), 'sqlmigrate created no database file');
  });

  it('sqlmigrate with no database URL anywhere: one line saying it needs the URL for its dialect, and where to set it; --database is enough', () => {
    const q = newProject();
    twoRevisions(q);
    q.remove('app.db');
    q.write('migrator.config.ts', "export default { models: ['entities/*.ts'], versions: 'versions' };\n");
    const line = assertUserError(q.run(['sqlmigrate', A]));
    assert.match(line, /sqlmigrate writes the SQL of the database's dialect, so it needs the database URL \(it never connects\): set "database" in \S*migrator\.config\.ts, pass --database <url>, or set DATABASE_URL/);
    const r = q.ok(['sqlmigrate', A, '--database', 'sqlite:./app.db']);
    assert.match(r.stdout, /CREATE TABLE "product" \(/);
    assert.ok(!q.exists('app.db'), 'sqlmigrate created no database file');
    assert.match(q.ok(['sqlmigrate', '--help']).stdout.replace(/\s+/g, ' '), /never connects \(the database URL picks the dialect\)/);
  });

  it('sqlmigrate <prefix> --downgrade prints DROP TABLE', () => {
    const r = p.ok(['sqlmigrate', 'aaaa', '--downgrade']);
    assert.match(r.stdout, /DROP TABLE "product"/);
    assert.doesNotMatch(r.stdout, /CREATE TABLE "product"/);
    assert.match(r.stdout, new RegExp(`DELETE FROM "migrator_version" WHERE "version_num" = '${A}'`));
    assert.ok(!p.exists('app.db'), 'sqlmigrate created no database file');
  });

  it('upgrade --sql base:<rev> prints a transaction with the version-table INSERT', () => {
    const r = p.ok(['upgrade', '--sql', `base:${A}`]);
    const sql = r.stdout;
    const begin = sql.indexOf('BEGIN;');
    const create = sql.indexOf('CREATE TABLE "product"');
    const insert = sql.indexOf(`INSERT INTO "migrator_version" ("version_num") VALUES ('${A}');`);
    const commit = sql.indexOf('COMMIT;');
    assert.ok(begin >= 0 && create > begin && insert > create && commit > insert, `BEGIN, CREATE TABLE, INSERT, COMMIT in order:\n${sql}`);
    assert.match(sql, /CREATE TABLE IF NOT EXISTS "migrator_version"/);
    assert.doesNotMatch(sql, new RegExp(B), 'stops at the target revision');
    assert.ok(!p.exists('app.db'), 'upgrade --sql created no database file');
  });

  it('the printed script builds a database at that revision', () => {
    const script = p.ok(['upgrade', '--sql', `base:${A}`]).stdout;
    const db = new Database(p.path('offline.db'));
    try {
      db.exec(script);
    } finally {
      db.close();
    }
    const r = p.ok(['--database', 'sqlite:./offline.db', 'current']);
    assert.match(r.stdout, new RegExp(`^${A}\\b`, 'm'));
    assert.deepEqual(p.tables('offline.db'), ['migrator_history', 'migrator_version', 'product']);
  });

  it('downgrade --sql <rev>:base prints the DROP and the version-table DELETE', () => {
    const r = p.ok(['downgrade', '--sql', `${A}:base`]);
    assert.match(r.stdout, /DROP TABLE "product"/);
    assert.match(r.stdout, new RegExp(`DELETE FROM "migrator_version" WHERE "version_num" = '${A}'`));
    assert.ok(!p.exists('app.db'));
  });
});

describe('templates', () => {
  it('a project template overrides the built-in one', () => {
    const p = newProject();
    p.ok(['init']);
    const builtin = p.read('templates/revision.ts.hbs');
    const custom = builtin.replace('import type { Operations }', '// House style: revision {{revision}} of {{revises}}.\nimport type { Operations }');
    assert.notEqual(custom, builtin, 'the template was changed');
    p.write('templates/revision.ts.hbs', custom);
    const r = p.ok(['revision', '-m', 'custom', '--rev-id', 'cafe00000001']);
    const source = p.read(generatedFile(r));
    assert.match(source, /^\/\/ House style: revision cafe00000001 of <base>\.$/m);
    assert.equal(revisionIdOf(source), 'cafe00000001');
    // The file it makes is a working revision.
    const m = p.ok(['migrate']);
    assert.match(m.stdout, /Applied\s+cafe00000001/);
    assert.deepEqual(p.versions('dev.db'), ['cafe00000001']);
  });
});

describe('merge', () => {
  const p = newProject();
  const BASE = 'base00000000';
  const LEFT = 'left00000001';
  const RIGHT = 'right0000001';
  let mergeFile = '';

  before(() => {
    p.writeConfig();
    p.write(`versions/${BASE}_base.ts`, sqlRevision(BASE, null, 'base', ['CREATE TABLE t_base (id integer PRIMARY KEY)'], ['DROP TABLE t_base']));
    p.write(`versions/${LEFT}_left.ts`, sqlRevision(LEFT, BASE, 'left', ['CREATE TABLE t_left (id integer PRIMARY KEY)'], ['DROP TABLE t_left']));
    p.write(`versions/${RIGHT}_right.ts`, sqlRevision(RIGHT, BASE, 'right', ['CREATE TABLE t_right (id integer PRIMARY KEY)'], ['DROP TABLE t_right']));
  });

  it('two revisions on one parent are two heads', () => {
    const r = p.ok(['heads']);
    assert.deepEqual(lines(r.stdout).map((l) => l.split(' ')[0]).sort(), [LEFT, RIGHT]);
  });

  it('merge writes a revision whose downRevision lists both heads', () => {
    const r = p.ok(['merge', LEFT, RIGHT, '-m', 'join branches', '--rev-id', 'merge0000001']);
    mergeFile = generatedFile(r);
    const source = p.read(mergeFile);
    assert.equal(revisionIdOf(source), 'merge0000001');
    assert.equal(downRevisionOf(source), `['${LEFT}', '${RIGHT}']`);
    const heads = p.ok(['heads']);
    assert.equal(lines(heads.stdout).length, 1);
    assert.match(heads.stdout, /^merge0000001 \(head, mergepoint\)/m);
  });

  it('migrate applies every revision', () => {
    const r = p.ok(['migrate']);
    for (const id of [BASE, LEFT, RIGHT, 'merge0000001']) assert.match(r.stdout, new RegExp(`Applied\\s+${id}`));
    assert.ok(r.stdout.indexOf(`Applied  ${BASE}`) < r.stdout.indexOf('merge0000001'), 'the merge comes last');
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version', 't_base', 't_left', 't_right']);
    assert.deepEqual(p.versions(), ['merge0000001']);
    assert.ok(lines(p.ok(['showmigrations']).stdout).every((l) => l.startsWith('[X] ')));
  });
});

describe('identifiers that need quoting', () => {
  const p = newProject();
  const ENTITIES = `import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('order')
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ nullable: true })
  select!: string;

  @Column({ name: 'group', default: "it's" })
  group!: string;
}

@Entity('a"b')
export class Weird {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'c"d' })
  cd!: string;

  @ManyToOne(() => Order, { onDelete: 'CASCADE' })
  order!: Order;
}
`;

  before(() => {
    p.writeConfig();
    p.writeEntity('quoted', ENTITIES);
  });

  it('makemigrations, migrate and check handle keywords and quotes in names', () => {
    p.ok(['makemigrations', '-m', 'quoted names', '--rev-id', 'quote0000001']);
    p.ok(['migrate']);
    assert.deepEqual(p.tables(), ['a"b', 'migrator_history', 'migrator_version', 'order']);
    const schema = p.schema();
    assert.deepEqual(
      schema.order.columns.map((c) => c.name),
      ['id', 'select', 'group'],
    );
    assert.equal(schema.order.columns.find((c) => c.name === 'group')?.dflt_value, "'it''s'");
    assert.ok(schema.order.indexes.some((i) => i.columns.join() === 'select'), 'an index on order(select)');
    assert.deepEqual(
      schema['a"b'].columns.map((c) => c.name),
      ['id', 'c"d', 'orderId'],
    );
    assert.deepEqual(
      schema['a"b'].foreignKeys.map((f) => [f.from, f.table, f.to]),
      [['orderId', 'order', 'id']],
    );
    const check = p.run(['check']);
    assert.equal(check.status, 0, explain(check, 'to exit 0'));
  });

  it('a rebuild of a quoted table keeps its rows and checks clean', () => {
    p.exec(`INSERT INTO "order" ("select") VALUES ('x'); INSERT INTO "a""b" ("c""d", "orderId") VALUES ('v', 1);`);
    assert.deepEqual(p.query('SELECT "group" FROM "order"'), [{ group: "it's" }]);
    p.writeEntity('quoted', ENTITIES.replace("@Column({ name: 'c\"d' })", "@Column({ name: 'c\"d', nullable: true })"));
    const r = p.ok(['makemigrations', '-m', 'relax c"d', '--rev-id', 'quote0000002']);
    assert.match(r.stdout, /alter column a"b\.c"d/);
    p.ok(['migrate']);
    assert.equal(p.schema()['a"b'].columns.find((c) => c.name === 'c"d')?.notnull, 0);
    assert.deepEqual(p.query('SELECT "c""d" AS cd, "orderId" FROM "a""b"'), [{ cd: 'v', orderId: 1 }]);
    const check = p.run(['check']);
    assert.equal(check.status, 0, explain(check, 'to exit 0'));
  });

  it('downgrade base removes them again', () => {
    p.ok(['downgrade', 'base']);
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(p.versions(), []);
  });
});
