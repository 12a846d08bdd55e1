/**
 * `check` on a database whose tables were made without migrator (by hand, by another tool, from a
 * dump): when they already match the models but no revision is recorded, check says to stamp,
 * not to migrate (which would create the tables again), and exits 1 as for any database that is
 * not up to date. SQLite, through the built CLI.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { explain, projects, type RunResult, type TempProject } from './helpers.ts';

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

/** What the first revision's upgrade creates, written by hand. */
const PRODUCT_TABLE = 'CREATE TABLE product (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, sku varchar(64) NOT NULL)';

const A = 'aaaa11110000';
const B = 'bbbb22220000';

/** A project with one generated revision creating `product`, and no database yet. */
function withFirstRevision(p: TempProject): void {
  p.writeConfig();
  p.writeEntity('product', PRODUCT);
  p.ok(['makemigrations', '-m', 'create product', '--rev-id', A]);
  p.remove('app.db');
}

/** Runs SQL on the project's database, creating the file when there is none yet. */
function byHand(p: TempProject, sql: string): void {
  const db = new Database(p.path('app.db'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

function check(p: TempProject): RunResult {
  return p.run(['check']);
}

/** The `! …` lines of check's output. */
const problems = (r: RunResult): string[] => r.stdout.split('\n').filter((l) => l.startsWith('! '));

function assertClean(p: TempProject): void {
  const r = check(p);
  assert.equal(r.status, 0, explain(r, 'to exit 0'));
  assert.match(r.stdout, /^No changes detected/m);
}

describe('check on a database whose tables were made without migrator', () => {
  it('no version table: one line saying to stamp head, exit 1; after `stamp head` check is clean', () => {
    const p = newProject();
    withFirstRevision(p);
    byHand(p, PRODUCT_TABLE);
    assert.deepEqual(p.tables(), ['product']);

    const r = check(p);
    assert.equal(r.status, 1, explain(r, 'to exit 1, as for any database that is not up to date'));
    assert.deepEqual(problems(r), [
      '! the database already matches the models, but no revision is recorded (no version table migrator_version): run `migrator stamp head` to record it as up to date without running any revision (migrate would try to create its tables again)',
    ]);
    assert.doesNotMatch(r.stdout, /migrator migrate`|differ/, explain(r, 'not to suggest migrate nor print a diff'));
    assert.deepEqual(p.tables(), ['product'], 'check changes nothing');

    const stamped = p.ok(['stamp', 'head']);
    assert.match(stamped.stdout, new RegExp(`Stamped base -> ${A}`));
    assert.deepEqual(p.versions(), [A]);
    assertClean(p);
  });

  it('an empty version table: the same advice, naming the table as empty', () => {
    const p = newProject();
    withFirstRevision(p);
    byHand(p, PRODUCT_TABLE);
    p.ok(['stamp', 'head']);
    p.exec('DELETE FROM migrator_version');

    const r = check(p);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.equal(problems(r).length, 1, r.stdout);
    assert.match(problems(r)[0], /no revision is recorded \(version table migrator_version is empty\): run `migrator stamp head`/);
    p.ok(['stamp', 'head']);
    assertClean(p);
  });

  it('tables that differ from the models, or no tables at all: check still says to migrate', () => {
    const p = newProject();
    withFirstRevision(p);
    byHand(p, 'CREATE TABLE product (id integer PRIMARY KEY AUTOINCREMENT NOT NULL)');
    let r = check(p);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.deepEqual(problems(r), [`! database is at base, the revision files' head is ${A}: run \`migrator migrate\``]);
    assert.match(r.stdout, /add column product\.sku/);

    p.exec('DROP TABLE product');
    r = check(p);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.deepEqual(problems(r), [`! database is at base, the revision files' head is ${A}: run \`migrator migrate\``]);
    p.ok(['migrate']);
    assertClean(p);
  });

  it('with a head another branch depends on: stamp heads, and check is clean at the rows migrate leaves', () => {
    const p = newProject();
    withFirstRevision(p);
    // A module of its own that depends on the first revision, the head of the main line: the
    // revision files have two heads, and the version table one row once both are applied.
    p.ok(['revision', '-m', 'reports', '--head', 'base', '--branch-label', 'reports', '--depends-on', A, '--rev-id', B]);
    byHand(p, PRODUCT_TABLE);

    const r = check(p);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.equal(problems(r).length, 1, r.stdout);
    assert.match(problems(r)[0], /run `migrator stamp heads` to record it as up to date/);
    p.ok(['stamp', 'heads']);
    assert.deepEqual(p.versions(), [B]);
    assertClean(p);

    // The same rows through migrate, from an empty database.
    p.remove('app.db');
    p.ok(['migrate']);
    assert.deepEqual(p.versions(), [B]);
    assertClean(p);
  });
});
