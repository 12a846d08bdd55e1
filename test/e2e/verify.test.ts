/**
 * `migrator verify` on SQLite: each revision upgraded, downgraded and upgraded again on a
 * temporary file, the schema compared after each move; the models compared at the heads; the
 * configured database never opened.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { assertUserError, explain, projects, sqlRevision, type RunResult, type TempProject, undated } from './helpers.ts';
import { revisionSource } from './graph-helpers.ts';
import { CUSTOMER, generatedChain } from './verify-chain.ts';

const newProject = projects();

/** Non-empty lines of a command's stdout. */
const lines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.trim() !== '');

/** The scratch database's file, from the last line of the output. */
function scratchFile(r: RunResult): string {
  const m = / on scratch database sqlite:(\S+)\.$/m.exec(r.stdout);
  assert.ok(m, explain(r, 'to name the scratch database on its last line'));
  return m[1];
}

/** Asserts the command ran and found problems: exit 1, nothing on stderr. */
function finds(r: RunResult): RunResult {
  assert.equal(r.status, 1, explain(r, 'to exit 1'));
  assert.equal(r.stderr, '', explain(r, 'to print nothing on stderr'));
  return r;
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('verify: a good chain', () => {
  const p = newProject();
  let ids: string[] = [];

  it('passes: each revision ok, the models match, exit 0; the configured database is never created', () => {
    p.writeConfig();
    ids = generatedChain(p, ['--database', 'sqlite:./build.db']);
    const built = sha(p.path('build.db'));
    const r = p.ok(['verify']);
    assert.equal(r.stderr, '');
    const out = lines(r.stdout);
    assert.deepEqual(out.slice(0, ids.length), [
      'ok    c1create  create customer',
      'ok    c2email  add email',
      'ok    c3index  index email',
      'ok    c4order  create order',
      'ok    c5fk  order belongs to customer',
      'ok    c6rename  rename name to full_name',
    ]);
    assert.equal(out[ids.length], "The revisions build the models' schema.");
    assert.match(out[ids.length + 1], /^OK: 6 revisions verified on scratch database sqlite:\S+\.$/);
    assert.equal(out.length, ids.length + 2, explain(r, 'to print one line per revision and the summary'));
    assert.ok(!p.exists('app.db'), 'the configured database app.db is not created');
    assert.equal(sha(p.path('build.db')), built, 'a database verify was not told about is left alone');
    assert.ok(!existsSync(path.dirname(scratchFile(r))), 'the scratch file is removed');
  });

  it('--json: one document with every verdict, the heads and the models', () => {
    const r = p.ok(['verify', '--json']);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.match(doc.scratch as string, /^sqlite:.*scratch\.db$/);
    // makemigrations named the files {date}_{rev}_{slug}.ts: compared without the date.
    const revisions = (doc.revisions as { file: string }[]).map((v) => ({ ...v, file: undated(v.file) }));
    assert.deepEqual(
      { ...doc, revisions, scratch: '<scratch>' },
      {
        ok: true,
        scratch: '<scratch>',
        below: [],
        revisions: [
          { revision: 'c1create', message: 'create customer', file: 'versions/c1create_create_customer.ts', ok: true },
          { revision: 'c2email', message: 'add email', file: 'versions/c2email_add_email.ts', ok: true },
          { revision: 'c3index', message: 'index email', file: 'versions/c3index_index_email.ts', ok: true },
          { revision: 'c4order', message: 'create order', file: 'versions/c4order_create_order.ts', ok: true },
          { revision: 'c5fk', message: 'order belongs to customer', file: 'versions/c5fk_order_belongs_to_customer.ts', ok: true },
          { revision: 'c6rename', message: 'rename name to full_name', file: 'versions/c6rename_rename_name_to_full_name.ts', ok: true },
        ],
        notRun: [],
        heads: { checked: true, ok: true, unjoined: [] },
        models: { checked: true, ok: true, differences: [], notices: [] },
      },
    );
  });

  it('a range a: upgrades what is below it unverified, verifies the rest and still compares the models', () => {
    const r = p.ok(['verify', 'c4order:']);
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    c4order  create order',
      'ok    c5fk  order belongs to customer',
      'ok    c6rename  rename name to full_name',
      'Upgraded without verifying, below the range: c1create, c2email, c3index',
      "The revisions build the models' schema.",
    ]);
    assert.match(r.stdout, /^OK: 3 revisions verified \(range c4order:\) on scratch database /m);
  });

  it('a range a:b that ends below the heads leaves the heads and the models unchecked, and says so', () => {
    const r = p.ok(['verify', 'c2email:c3index']);
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    c2email  add email',
      'ok    c3index  index email',
      'Upgraded without verifying, below the range: c1create',
      'Heads and models not checked: the range ends below the heads, at c3index.',
    ]);
  });

  it('a range that names no revision is an error: exit 2, one line', () => {
    const line = assertUserError(p.run(['verify', 'nosuchrev:']));
    assert.match(line, /no revision "nosuchrev"/);
  });

  it('the configured database, when it exists, is left exactly as it was', () => {
    p.ok(['migrate', 'c2email']);
    const before = sha(p.path('app.db'));
    p.ok(['verify']);
    assert.equal(sha(p.path('app.db')), before, 'app.db is byte for byte the same');
    assert.deepEqual(p.versions(), ['c2email']);
    assert.deepEqual(p.tables(), ['customer', 'migrator_history', 'migrator_version']);
  });
});

/** A config without models: verify then checks the revisions alone. */
function configWithoutModels(p: TempProject): void {
  p.write('migrator.config.ts', "export default { database: 'sqlite:./app.db', versions: ['versions'] };\n");
}

describe('verify: a downgrade that does not restore the schema', () => {
  const p = newProject();

  it('exit 1 naming the revision and what its downgrade leaves; the revisions after it are not run', () => {
    configWithoutModels(p);
    p.write('versions/a1_users.ts', sqlRevision('a1', null, 'create users', ['CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL)'], ['DROP TABLE users']));
    p.write('versions/b2_nickname.ts', sqlRevision('b2', 'a1', 'add nickname', ['ALTER TABLE users ADD COLUMN nickname text'], []));
    p.write('versions/c3_posts.ts', sqlRevision('c3', 'b2', 'create posts', ['CREATE TABLE posts (id integer PRIMARY KEY)'], ['DROP TABLE posts']));
    const r = finds(p.run(['verify']));
    const out = lines(r.stdout);
    assert.deepEqual(out.slice(0, -1), [
      'ok    a1  create users',
      'FAIL  b2  add nickname',
      '  its downgrade (versions/b2_nickname.ts) does not restore the schema from before its upgrade; to restore it, the downgrade would also have to:',
      '    - drop column users.nickname',
      'Not verified, after the failure: c3',
      'Heads and models not checked: verification stopped at revision b2.',
    ]);
    assert.match(out.at(-1)!, /^FAILED at revision b2 \(its downgrade\); 1 revision verified on scratch database sqlite:\S+\.$/);
    assert.ok(!existsSync(path.dirname(scratchFile(r))), 'the scratch file is removed after a failure too');
    assert.ok(!p.exists('app.db'), 'the configured database is not created');
  });

  it('--json names the direction and the differences', () => {
    const doc = JSON.parse(finds(p.run(['verify', '--json'])).stdout) as Record<string, unknown>;
    assert.deepEqual(
      { ...doc, scratch: '<scratch>' },
      {
        ok: false,
        scratch: '<scratch>',
        below: [],
        revisions: [
          { revision: 'a1', message: 'create users', file: 'versions/a1_users.ts', ok: true },
          { revision: 'b2', message: 'add nickname', file: 'versions/b2_nickname.ts', ok: false, problem: { direction: 'downgrade', differences: ['drop column users.nickname'] } },
        ],
        notRun: ['c3'],
        heads: { checked: false, reason: 'verification stopped at revision b2' },
        models: { checked: false, reason: 'verification stopped at revision b2' },
      },
    );
  });
});

describe('verify: revisions that raise errors', () => {
  const p = newProject();

  it('a downgrade that fails: exit 1 naming the revision, its file, the direction and the error', () => {
    configWithoutModels(p);
    p.write('versions/a1_users.ts', sqlRevision('a1', null, 'create users', ['CREATE TABLE users (id integer PRIMARY KEY)'], ['DROP TABLE users']));
    p.write('versions/b2_tags.ts', sqlRevision('b2', 'a1', 'create tags', ['CREATE TABLE tags (id integer PRIMARY KEY)'], ['DROP TABLE tag']));
    const r = finds(p.run(['verify']));
    const out = lines(r.stdout);
    assert.equal(out[0], 'ok    a1  create users');
    assert.equal(out[1], 'FAIL  b2  create tags');
    assert.match(out[2], /^ {2}downgrade b2 -> a1 failed; revision b2 \(\S*versions\/b2_tags\.ts\) was rolled back: no such table: tag \(in statement: DROP TABLE tag\)$/);
    assert.match(out.at(-1)!, /^FAILED at revision b2 \(its downgrade\);/);
    const doc = JSON.parse(finds(p.run(['verify', '--json'])).stdout) as { revisions: { problem?: { direction: string; error: string } }[] };
    assert.equal(doc.revisions[1].problem?.direction, 'downgrade');
    assert.match(doc.revisions[1].problem!.error, /no such table: tag/);
  });

  it('an upgrade that fails: exit 1, direction upgrade', () => {
    p.write('versions/b2_tags.ts', sqlRevision('b2', 'a1', 'create tags', ['CREATE TABLE tags (id integer PRIMARY KEY, user_id integer REFERENCES nosuch)', 'INSERT INTO nope VALUES (1)'], ['DROP TABLE tags']));
    const r = finds(p.run(['verify']));
    assert.match(r.stdout, /^FAIL {2}b2 {2}create tags\n {2}upgrade a1 -> b2 failed; revision b2 \(\S+\) was rolled back: no such table: nope/m);
    assert.match(r.stdout, /^FAILED at revision b2 \(its upgrade\);/m);
  });

  it('a revision below the range whose upgrade fails stops the run before the range', () => {
    p.write('versions/c3_posts.ts', sqlRevision('c3', 'b2', 'create posts', ['CREATE TABLE posts (id integer PRIMARY KEY)'], ['DROP TABLE posts']));
    const r = finds(p.run(['verify', 'c3:']));
    const out = lines(r.stdout);
    assert.deepEqual(out.slice(0, -1).filter((l) => !l.startsWith('  ')), [
      'FAIL  b2  create tags',
      'Upgraded without verifying, below the range: a1',
      'Not verified, after the failure: c3',
      'Heads and models not checked: verification stopped at revision b2.',
    ]);
    assert.match(out.at(-1)!, /^FAILED at revision b2 \(its upgrade\); 0 revisions verified \(range c3:\) on scratch database /);
    p.remove('versions/c3_posts.ts');
  });

  it('what the schema does not show, the second upgrade finds: a view the downgrade leaves behind', () => {
    p.write('versions/b2_tags.ts', sqlRevision('b2', 'a1', 'user names view', ['CREATE VIEW user_ids AS SELECT id FROM users'], []));
    const r = finds(p.run(['verify']));
    assert.match(r.stdout, /^FAIL {2}b2 {2}user names view\n {2}upgrading it again after its downgrade: upgrade a1 -> b2 failed; .*view user_ids already exists/m);
    assert.match(r.stdout, /^FAILED at revision b2 \(its upgrade after its downgrade\);/m);
  });
});

describe('verify: branches, merges and dependencies', () => {
  const p = newProject();

  it('a branched and merged graph, with a labelled branch that depends on it, passes in order', () => {
    configWithoutModels(p);
    p.write('versions/a1.ts', revisionSource({ id: 'a1', message: 'root', table: 'root_t' }));
    p.write('versions/b2.ts', revisionSource({ id: 'b2', down: 'a1', message: 'left', table: 'left_t' }));
    p.write('versions/c3.ts', revisionSource({ id: 'c3', down: 'a1', message: 'right', table: 'right_t' }));
    p.write('versions/m4.ts', revisionSource({ id: 'm4', down: ['b2', 'c3'], message: 'merge' }));
    p.write('versions/x1.ts', revisionSource({ id: 'x1', labels: ['crm'], dependsOn: ['b2'], message: 'crm root', table: 'crm_t' }));
    p.write('versions/x2.ts', revisionSource({ id: 'x2', down: 'x1', message: 'crm next', table: 'crm_next' }));
    const r = p.ok(['verify']);
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    a1  root',
      'ok    b2  left',
      'ok    c3  right',
      'ok    m4  merge',
      'ok    x1  crm root',
      'ok    x2  crm next',
      'Models not compared: no models in ' + p.path('migrator.config.ts') + '.',
    ]);
    assert.match(r.stdout, /^OK: 6 revisions verified on scratch database /m);
  });

  it('heads that no merge joins: every revision verified, then exit 1 saying to merge', () => {
    for (const f of ['m4', 'x1', 'x2']) p.remove(`versions/${f}.ts`);
    const r = finds(p.run(['verify']));
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    a1  root',
      'ok    b2  left',
      'ok    c3  right',
      '! the revision files have 2 heads (b2, c3) that no merge joins; run `migrator merge heads -m "merge"`',
      'Models not compared: no models in ' + p.path('migrator.config.ts') + '.',
    ]);
    assert.match(r.stdout, /^FAILED: 3 revisions verified on scratch database \S+, with heads no merge joins\.$/m);
  });
});

describe('verify: revisions that do not build the models', () => {
  const p = newProject();

  it('exit 1 listing what autogenerate would still write', () => {
    p.writeConfig();
    p.writeEntity('customer', CUSTOMER({ email: true }));
    p.write('versions/a1.ts', sqlRevision('a1', null, 'create customer', ['CREATE TABLE customer (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar(100) NOT NULL)'], ['DROP TABLE customer']));
    const r = finds(p.run(['verify']));
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    a1  create customer',
      "! the revisions do not produce the models' schema; run `migrator makemigrations`:",
      '  - add column customer.email',
    ]);
    assert.match(r.stdout, /^FAILED: 1 revision verified on scratch database \S+, with revisions that do not build the models' schema\.$/m);
    const doc = JSON.parse(finds(p.run(['verify', '--json'])).stdout) as { models: unknown };
    assert.deepEqual(doc.models, { checked: true, ok: false, differences: ['add column customer.email'], notices: [] });
  });
});

describe('verify --scratch-url on SQLite', () => {
  const p = newProject();

  it('a file that is not there yet is used and removed afterwards', () => {
    configWithoutModels(p);
    p.write('versions/a1.ts', sqlRevision('a1', null, 'create users', ['CREATE TABLE users (id integer PRIMARY KEY)'], ['DROP TABLE users']));
    const r = p.ok(['verify', '--scratch-url', 'sqlite:./scratch.db']);
    assert.match(r.stdout, /^OK: 1 revision verified on scratch database sqlite:\.\/scratch\.db\.$/m);
    assert.ok(!p.exists('scratch.db'));
    assert.ok(!p.exists('app.db'));
  });

  it('an empty file is left empty', () => {
    new Database(p.path('scratch.db')).close();
    p.ok(['verify', '--scratch-url', 'sqlite:./scratch.db']);
    assert.deepEqual(p.tables('scratch.db'), []);
  });

  it('a database with tables is refused: exit 2, one line, left as it was', () => {
    p.exec('CREATE TABLE keep (id integer)', 'scratch.db');
    const line = assertUserError(p.run(['verify', '--scratch-url', 'sqlite:./scratch.db']));
    assert.equal(line, 'error: --scratch-url sqlite:./scratch.db is not empty (table keep); verify needs an empty database, which it leaves empty again');
    assert.deepEqual(p.tables('scratch.db'), ['keep']);
  });

  it('the configured database is refused', () => {
    const line = assertUserError(p.run(['verify', '--scratch-url', 'sqlite:./app.db']));
    assert.match(line, /is the configured database; verify never changes it/);
    assert.ok(!p.exists('app.db'));
  });
});
