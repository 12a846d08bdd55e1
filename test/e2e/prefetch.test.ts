/**
 * A run of many revisions loads their files on a thread of its own, ahead of the database work.
 * What users see must not change: the same database, history and checksums as a run that loads
 * each file itself (a run of fewer revisions does), the same message for a file that fails, and
 * a revision whose operations are not plain data still applied as written.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { chainRevision, explain, projects, type TempProject } from './helpers.ts';

const make = projects();
/** Enough revisions for the thread; fewer than half of them run without it. */
const COUNT = 40;
const id = (i: number): string => `p${String(i).padStart(11, '0')}`;

const revisionFile = (i: number, body: string): string => chainRevision(id, i, body);

const plainTable = (i: number): string =>
  `  await op.createTable('t${i}', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'note', type: 'text', nullable: true, default: "'r${i}'" }], primaryKey: { columns: ['id'] } });\n  await op.createIndex('t${i}', { name: 't${i}_note', columns: ['note'] });`;

/** A project of COUNT revisions, each creating a table; `body` may replace some of them. */
function chain(body: (i: number) => string = plainTable): TempProject {
  const p = make('migrator-prefetch-');
  p.writeConfig();
  for (let i = 0; i < COUNT; i++) p.write(`versions/${id(i)}_r${i}.ts`, revisionFile(i, body(i)));
  return p;
}

function dump(p: TempProject): { schema: unknown[]; history: unknown[]; version: unknown[] } {
  const db = new Database(p.path('app.db'), { readonly: true });
  try {
    return {
      schema: db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'migrator%' ORDER BY name").all(),
      history: db.prepare('SELECT revision, direction, checksum FROM migrator_history ORDER BY id').all(),
      version: db.prepare('SELECT version_num FROM migrator_version').all(),
    };
  } finally {
    db.close();
  }
}

describe('revision files loaded ahead of a run', () => {
  test('one run of all the revisions leaves the database, history and checksums that runs of a few at a time leave', () => {
    const all = chain();
    const r = all.ok(['migrate']);
    assert.equal(r.stdout.match(/^Applied /gm)?.length, COUNT, explain(r, `to apply ${COUNT} revisions`));

    const steps = chain();
    for (let done = 0; done < COUNT; done += 10) steps.ok(['upgrade', '+10']);
    assert.deepEqual(dump(all), dump(steps));
    assert.equal(dump(all).history.length, COUNT);

    // And back down in one run: each downgrade recorded from its file.
    all.ok(['downgrade', 'base']);
    assert.deepEqual(dump(all).schema, []);
  });

  test('a file that fails to load or to record gives the message a run that loads it itself gives', () => {
    const failing = (i: number): string => (i === 30 ? "  throw new Error('no such thing');" : plainTable(i));
    const ahead = chain(failing);
    const r = ahead.run(['migrate']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.deepEqual(dump(ahead).version, [{ version_num: id(29) }]);

    // From revision 29 the one failing revision is among too few to load ahead: loaded by the run itself.
    const itself = chain(failing);
    itself.ok(['upgrade', id(29)]);
    const again = itself.run(['migrate']);
    assert.equal(again.status, 2, explain(again, 'to exit 2'));
    assert.equal(r.stderr.replaceAll(ahead.dir, '<dir>'), again.stderr.replaceAll(itself.dir, '<dir>'));
    assert.match(r.stderr, new RegExp(`revision ${id(30)} \\(.*${id(30)}_r30\\.ts\\): upgrade\\(\\) failed: no such thing`));

    // A file that cannot be read as TypeScript: the same.
    const broken = (i: number): string => (i === 35 ? '  await op.createTable(' : plainTable(i));
    const syntax = chain(broken);
    const s = syntax.run(['migrate']);
    assert.equal(s.status, 2, explain(s, 'to exit 2'));
    assert.match(s.stderr, new RegExp(`cannot load revision ${id(35)}`));
    assert.deepEqual(dump(syntax).version, [{ version_num: id(34) }]);
  });

  test('operations that are not plain data (a getter, a class instance) are applied as written', () => {
    const unusual = (i: number): string => {
      // The primary key is recorded as passed: with its getter, or as the class instance it is.
      if (i === 12) return `  const key = { get columns() { return ['id']; } };\n  await op.createTable('t12', { columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: key });`;
      if (i === 20) return `  class Key { constructor(readonly columns: string[]) {} }\n  await op.createTable('t20', { columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: new Key(['id']) });`;
      return plainTable(i);
    };
    const p = chain(unusual);
    p.ok(['migrate']);
    const { schema } = dump(p);
    const sqlOf = (name: string): string => String((schema as { name: string; sql: string }[]).find((t) => t.name === name)?.sql);
    assert.match(sqlOf('t12'), /PRIMARY KEY \("id"\)|"id" integer PRIMARY KEY/);
    assert.match(sqlOf('t20'), /PRIMARY KEY \("id"\)|"id" integer PRIMARY KEY/);
    assert.equal(dump(p).version.length, 1);
  });
});
