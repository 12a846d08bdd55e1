/**
 * Revision files are transformed (types stripped) once and kept by content under the project's
 * node_modules/.cache/migrator: a second run reads the cache, an edited file is read as edited,
 * and a project without node_modules (or a cache it cannot write) still runs. SQLite, through
 * the built CLI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { projects, sqlRevision } from './helpers.ts';

const project = projects();
const CACHE = ['node_modules', '.cache', 'migrator', 'transform'];

describe('the transform cache', () => {
  test('one entry per file content; an edited file runs as edited', () => {
    const p = project();
    mkdirSync(p.path('node_modules'));
    p.write('migrator.config.ts', `export default { database: 'sqlite:./app.db', versions: 'versions' };\n`);
    p.write('versions/a1_first.ts', sqlRevision('a1', null, 'first', ['CREATE TABLE first (id integer)'], ['DROP TABLE first']));
    p.write('versions/b2_second.ts', sqlRevision('b2', 'a1', 'second', ['CREATE TABLE second (id integer)'], ['DROP TABLE second']));
    p.ok(['migrate']);
    const entries = (): string[] => readdirSync(p.path(...CACHE)).sort();
    // The config and both revisions, each once, none left half written.
    assert.equal(entries().length, 3, entries().join('\n'));
    assert.ok(entries().every((e) => /^[0-9a-f]{64}\.js$/.test(e)), entries().join('\n'));
    p.ok(['downgrade', 'a1']);
    assert.equal(entries().length, 3, 'the downgrade read the cached transform');
    p.write('versions/b2_second.ts', sqlRevision('b2', 'a1', 'second', ['CREATE TABLE second_edited (id integer)'], ['DROP TABLE second_edited']));
    p.ok(['migrate']);
    assert.deepEqual(p.tables(), ['first', 'migrator_history', 'migrator_version', 'second_edited']);
    assert.equal(entries().length, 4);
  });

  test('without node_modules, or with a cache folder it cannot write, revisions still run', () => {
    const p = project();
    p.write('migrator.config.ts', `export default { database: 'sqlite:./app.db', versions: 'versions' };\n`);
    p.write('versions/a1_first.ts', sqlRevision('a1', null, 'first', ['CREATE TABLE first (id integer)'], ['DROP TABLE first']));
    p.ok(['migrate']);
    assert.ok(!p.exists('node_modules'));
    const q = project();
    // A file where the cache folder would go: no folder can be made there, whoever runs this.
    q.write('node_modules/.cache', 'not a folder');
    q.write('migrator.config.ts', `export default { database: 'sqlite:./app.db', versions: 'versions' };\n`);
    q.write('versions/a1_first.ts', sqlRevision('a1', null, 'first', ['CREATE TABLE first (id integer)'], ['DROP TABLE first']));
    q.ok(['migrate']);
    assert.deepEqual(q.tables(), ['first', 'migrator_history', 'migrator_version']);
    assert.equal(q.read('node_modules/.cache'), 'not a folder');
  });
});
