/**
 * migrator squash on SQLite, through the built CLI: a chain with rows in its tables is squashed;
 * databases before, inside, at the end of and after the range, and a fresh one, all migrate to
 * the schema the old files build, rows kept; the squash's downgrade returns to the schema before
 * it; once the old files are deleted, databases at the end of the range and after it keep
 * working and one inside it is told what to do; ranges that are not one line are refused.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertUserError, explain, generatedFile, projects, type TempProject, undated } from './helpers.ts';
import { A, B, C, chain, D, E, S } from './squash-chain.ts';

const project = projects();
const url = (db: string): string => `sqlite:./${db}`;

function setUp(): TempProject {
  const p = project('migrator-squash-');
  p.writeConfig();
  for (const [name, source] of Object.entries(chain({ bool: 'boolean', no: '0', yes: '1' }))) p.write(`versions/${name}`, source);
  return p;
}

/** Migrates `db` to `target` and puts a user (and a post, once there is a posts table) in it. */
function databaseAt(p: TempProject, db: string, target: string): void {
  p.ok(['--database', url(db), 'migrate', target]);
  p.exec("INSERT INTO users (id, name) VALUES (1, 'ada')", db);
  if (p.tables(db).includes('posts')) p.exec(`INSERT INTO posts (id, user_id, ${target === C || target === B ? 'title' : 'headline'}) VALUES (10, 1, 'hello')`, db);
}

const rows = (p: TempProject, db: string): unknown[] => [
  p.query('SELECT id, name FROM users ORDER BY id', [], db),
  p.tables(db).includes('posts') ? p.query('SELECT id, user_id FROM posts ORDER BY id', [], db) : [],
];

describe('migrator squash (SQLite)', () => {
  it('squashes a range: every database migrates to the same schema with its rows; downgrade below the squash; old files deleted', () => {
    const p = setUp();
    p.ok(['--database', url('reference.db'), 'migrate']);
    const reference = p.schema('reference.db');
    databaseAt(p, 'below.db', A);
    const belowSquash = p.schema('below.db');
    databaseAt(p, 'before.db', A);
    databaseAt(p, 'inside.db', C);
    databaseAt(p, 'at.db', D);
    databaseAt(p, 'after.db', E);
    for (const db of ['inside', 'at', 'after']) copyFileSync(p.path(`${db}.db`), p.path(`${db}-later.db`));
    const kept = Object.fromEntries(['before', 'inside', 'at', 'after'].map((db) => [db, rows(p, `${db}.db`)]));

    // Partial ids, like any revision reference.
    const r = p.ok(['squash', 'b2b2', 'd4d4', '-m', 'posts and user emails', '--rev-id', S]);
    assert.match(r.stdout, /^! raw SQL kept as is in upgrade\(\): review it: execute UPDATE posts SET published = 1$/m);
    assert.equal(undated(generatedFile(r)), `versions/${S}_posts_and_user_emails.ts`);
    assert.match(r.stdout, new RegExp(`^  replaces ${B}, ${C}, ${D}$`, 'm'));
    const source = p.read(generatedFile(r));
    assert.match(source, new RegExp(`^export const replaces: string\\[\\] = \\['${B}', '${C}', '${D}'\\];$`, 'm'));
    assert.match(source, new RegExp(`^export const downRevision: string \\| string\\[\\] \\| null = '${A}';$`, 'm'));
    // posts, created in B and altered in C and D, is one createTable with its final columns.
    assert.equal(source.match(/op\.createTable\('posts'/g)?.length, 1, source);
    assert.doesNotMatch(source, /renameColumn|addColumn\('posts'|alterColumn\('posts'/, source);
    assert.match(source, /\{ name: 'headline', type: 'varchar\(100\)', nullable: false \}/);
    assert.match(source, /\{ name: 'published', type: 'boolean', nullable: false, default: '1' \}/);
    assert.match(source, /await op\.execute\('UPDATE posts SET published = 1'\);/);
    // E still says it revises D, and is read as built on the squash.
    assert.deepEqual(p.ok(['heads']).stdout.trim(), `${E} (head)  post bodies`);
    const history = p.ok(['history']).stdout;
    assert.deepEqual(history.trim().split('\n'), [`${S} -> ${E} (head), post bodies`, `${A} -> ${S}, posts and user emails`, `<base> -> ${A} (base), users`]);
    assert.match(p.ok(['--database', url('at.db'), 'current']).stdout, new RegExp(`^${D} \\(replaced by squash ${S}\\)  headlines$`, 'm'));

    // Offline SQL from inside the range runs the rest of the old files, as online.
    const sql = p.ok(['migrate', '--sql', `${C}:head`]).stdout;
    assert.match(sql, new RegExp(`UPDATE "migrator_version" SET "version_num" = '${D}' WHERE "version_num" = '${C}'`));
    assert.match(sql, /RENAME COLUMN "title" TO "headline"/);

    const inside = p.ok(['--database', url('inside.db'), 'migrate']).stdout;
    assert.match(inside, new RegExp(`^Applied  ${D}  headlines$`, 'm'), inside);
    const at = p.ok(['--database', url('at.db'), 'migrate']).stdout;
    assert.match(at, new RegExp(`^Stamped  ${S}  posts and user emails \\(in place of ${D}: nothing to run\\)$\\nApplied  ${E}`, 'm'), at);
    const before = p.ok(['--database', url('before.db'), 'migrate']).stdout;
    assert.match(before, new RegExp(`^Applied  ${S}  posts and user emails$`, 'm'));
    p.ok(['--database', url('after.db'), 'migrate']);
    const fresh = p.ok(['--database', url('fresh.db'), 'migrate']).stdout;
    assert.deepEqual(fresh.trim().split('\n').slice(0, 3), [`Applied  ${A}  users`, `Applied  ${S}  posts and user emails`, `Applied  ${E}  post bodies`]);
    for (const db of ['before', 'inside', 'at', 'after', 'fresh']) {
      assert.deepEqual(p.schema(`${db}.db`), reference, `${db}.db has another schema than the old files build`);
      assert.deepEqual(p.versions(`${db}.db`), [E], db);
      if (db !== 'fresh') assert.deepEqual(rows(p, `${db}.db`), kept[db], `${db}.db lost rows`);
    }

    // Below the squash: its downgrade runs, and the schema is the one before it.
    const down = p.ok(['--database', url('after.db'), 'downgrade', A]).stdout;
    assert.match(down, new RegExp(`^Reverted ${E}[^\\n]*\\nReverted ${S}`, 'm'), down);
    assert.deepEqual(p.schema('after.db'), belowSquash);
    assert.deepEqual(p.versions('after.db'), [A]);
    assert.deepEqual(p.query('SELECT id, name FROM users', [], 'after.db'), [{ id: 1, name: 'ada' }]);

    // The old files deleted: the end of the range and after it keep working; inside is told.
    for (const id of [B, C, D]) for (const f of p.versionFiles()) if (f.startsWith(id)) p.remove(`versions/${f}`);
    assert.deepEqual(p.ok(['heads']).stdout.trim(), `${E} (head)  post bodies`);
    p.ok(['--database', url('at-later.db'), 'migrate']);
    assert.deepEqual(p.schema('at-later.db'), reference);
    assert.deepEqual(p.versions('at-later.db'), [E]);
    assert.match(p.ok(['--database', url('after-later.db'), 'migrate']).stdout, /^Nothing to do/m);
    const refused = p.run(['--database', url('inside-later.db'), 'migrate']);
    const line = assertUserError(refused);
    assert.match(line, new RegExp(`the database is at revision ${C}, inside the range that squash ${S} \\(.*${S}_posts_and_user_emails\\.ts\\) replaces, and the files of ${B}, ${C}, ${D} are gone: restore them`), line);
    assert.match(line, /must stay until every database is past/);
    assert.deepEqual(p.versions('inside-later.db'), [C], 'a refused migrate changes nothing');
  });

  it('refuses a range that is not one line, naming why', () => {
    const p = setUp();
    p.write('versions/f6f6f6f6f6f6_side.ts', chain({ bool: 'boolean', no: '0', yes: '1' })[`${E}_body.ts`].replaceAll(E, 'f6f6f6f6f6f6').replace(`'${D}'`, `'${C}'`));
    const branch = assertUserError(p.run(['squash', B, D, '-m', 'x']));
    assert.match(branch, new RegExp(`the range is not one line: revision ${C} \\(.*${C}_published\\.ts\\) is a branch point, f6f6f6f6f6f6 \\(.*\\) also revises it`), branch);
    const order = assertUserError(p.run(['squash', D, B, '-m', 'x']));
    assert.match(order, new RegExp(`${D} is not below ${B}`), order);
    const one = assertUserError(p.run(['squash', B, B, '-m', 'x']));
    assert.match(one, /two different revisions/);
    assert.equal(p.versionFiles().length, 6, 'nothing was written');
    const r = p.run(['squash', B, D, '-m', 'x']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
  });
});
