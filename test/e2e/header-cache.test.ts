/**
 * Revision headers are kept between runs under the project's node_modules/.cache/migrator/headers:
 * an unchanged file's header comes from there, and any change to a file — an edit, even one that
 * keeps its size and modification time, or one made within moments of the cache — is read as it
 * is. A project without node_modules reads every file. SQLite, through the built CLI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { assertUserError, projects, sqlRevision, type TempProject } from './helpers.ts';

const project = projects();
const CACHE = ['node_modules', '.cache', 'migrator', 'headers'];

interface CacheFile {
  written: number;
  entries: Record<string, [number, number, number, number, { message?: string }]>;
}

function cacheFile(p: TempProject): string {
  const files = readdirSync(p.path(...CACHE));
  assert.equal(files.length, 1, `one cache file for the one version folder: ${files.join(', ')}`);
  return p.path(...CACHE, files[0]);
}

/** Rewrites the cache as a run long after the files were written would have left it. */
function ageCache(p: TempProject, edit: (c: CacheFile) => void = () => undefined): void {
  const file = cacheFile(p);
  const cache = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  cache.written += 60_000;
  edit(cache);
  writeFileSync(file, JSON.stringify(cache));
}

function twoRevisions(p: TempProject): void {
  p.write('migrator.config.ts', `export default { database: 'sqlite:./app.db', versions: 'versions' };\n`);
  p.write('versions/a1_first.ts', sqlRevision('a1', null, 'first', ['CREATE TABLE first (id integer)'], ['DROP TABLE first']));
  p.write('versions/b2_second.ts', sqlRevision('b2', 'a1', 'second', ['CREATE TABLE second (id integer)'], ['DROP TABLE second']));
}

describe('the header cache', () => {
  test('an unchanged file is not read again; an edit is, even one that keeps its size and modification time', () => {
    const p = project();
    mkdirSync(p.path('node_modules'));
    twoRevisions(p);
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+second$/m);
    const cache = JSON.parse(readFileSync(cacheFile(p), 'utf8')) as CacheFile;
    assert.deepEqual(Object.keys(cache.entries).sort(), ['a1_first.ts', 'b2_second.ts']);

    // The kept header serves: what the cache says is what heads shows.
    ageCache(p, (c) => void (c.entries['b2_second.ts'][4].message = 'as kept'));
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+as kept$/m);

    // The same size and modification time, other text: the file is read again.
    const file = p.path('versions', 'b2_second.ts');
    const before = statSync(file);
    const edited = readFileSync(file, 'utf8').replace('second', 'sekond');
    assert.equal(edited.length, readFileSync(file, 'utf8').length);
    writeFileSync(file, edited);
    utimesSync(file, before.atime, before.mtime);
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+sekond$/m);
  });

  test('a file changed just before the cache was written is read again at the next run', () => {
    const p = project();
    mkdirSync(p.path('node_modules'));
    twoRevisions(p);
    p.ok(['heads']);
    // As written, the cache is too close to the files' changes to vouch for them.
    const cache = JSON.parse(readFileSync(cacheFile(p), 'utf8')) as CacheFile;
    cache.entries['b2_second.ts'][4].message = 'stale';
    writeFileSync(cacheFile(p), JSON.stringify(cache));
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+second$/m);
  });

  test('a new, removed or broken file is seen at once; a broken cache is rebuilt', () => {
    const p = project();
    mkdirSync(p.path('node_modules'));
    twoRevisions(p);
    p.ok(['heads']);
    ageCache(p);
    p.write('versions/c3_third.ts', sqlRevision('c3', 'b2', 'third', ['SELECT 1'], ['SELECT 1']));
    assert.match(p.ok(['heads']).stdout, /^c3 \(head\)\s+third$/m);
    p.remove('versions/c3_third.ts');
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+second$/m);
    assert.deepEqual(Object.keys((JSON.parse(readFileSync(cacheFile(p), 'utf8')) as CacheFile).entries).sort(), ['a1_first.ts', 'b2_second.ts']);
    writeFileSync(cacheFile(p), '{ not json');
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+second$/m);
    assert.ok(JSON.parse(readFileSync(cacheFile(p), 'utf8')), 'rewritten whole');
    p.write('versions/b2_second.ts', readFileSync(p.path('versions', 'b2_second.ts'), 'utf8').replace("export const revision = 'b2';", 'export const revision = b2;'));
    assert.match(assertUserError(p.run(['heads'])), /b2_second\.ts: the header `revision` must be a literal/);
  });

  test('without node_modules, every file is read and nothing is written', () => {
    const p = project();
    twoRevisions(p);
    assert.match(p.ok(['heads']).stdout, /^b2 \(head\)\s+second$/m);
    assert.deepEqual(readdirSync(p.path()).sort(), ['migrator.config.ts', 'versions']);
  });
});
