/**
 * migrator squash on PostgreSQL, through the built CLI: the chain of squash-chain.ts with rows in
 * its tables; after the squash, databases inside, at the end of and after the range and a fresh
 * one migrate to the catalog the old files build (columns, constraints, indexes as PostgreSQL
 * prints them), rows kept; the squash's downgrade returns to the catalog before it; with the old
 * files deleted, a database at the end of the range still migrates and one inside is refused.
 *
 * One PostgreSQL database per state (test/support/pg.ts), dropped at the end; an unreachable
 * server fails the file, never skips it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readPgCatalog, pgCatalogText } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, generatedFile, projects, undated } from './helpers.ts';
import { A, B, C, chain, D, E, S } from './squash-chain.ts';

const NAMES = ['reference', 'below', 'inside', 'at', 'after', 'fresh', 'atLater', 'insideLater'] as const;
const dbs = {} as Record<(typeof NAMES)[number], TestDatabase>;
before(async () => {
  for (const n of NAMES) dbs[n] = await createTestDatabase('migrator_squash');
});
after(async () => {
  for (const n of NAMES) await dbs[n]?.drop();
});

const project = projects();
const catalog = async (db: TestDatabase): Promise<string> => pgCatalogText(await readPgCatalog(db));
const versions = async (db: TestDatabase): Promise<string[]> => (await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version ORDER BY 1')).map((r) => r.version_num);
const rows = async (db: TestDatabase): Promise<unknown> => [await db.query('SELECT id, name FROM users ORDER BY id'), await db.query('SELECT id, user_id FROM posts ORDER BY id')];

describe('migrator squash (PostgreSQL)', () => {
  it('databases inside, at the end of and after the range and a fresh one reach the same catalog; downgrade; old files deleted', async () => {
    const p = project('migrator-pg-squash-');
    p.writeConfig({ database: dbs.reference.url });
    for (const [name, source] of Object.entries(chain({ bool: 'boolean', no: 'false', yes: 'true' }))) p.write(`versions/${name}`, source);
    const at = (db: TestDatabase, target: string) => p.ok(['--database', db.url, 'migrate', target]);
    p.ok(['migrate']);
    const reference = await catalog(dbs.reference);
    at(dbs.below, A);
    const belowSquash = await catalog(dbs.below);
    for (const [db, target, title] of [[dbs.inside, C, 'title'], [dbs.insideLater, C, 'title'], [dbs.at, D, 'headline'], [dbs.atLater, D, 'headline'], [dbs.after, E, 'headline']] as const) {
      at(db, target);
      await db.query("INSERT INTO users (id, name) VALUES (1, 'ada')");
      await db.query(`INSERT INTO posts (id, user_id, ${title}) VALUES (10, 1, 'hello')`);
    }
    const kept = await rows(dbs.inside);

    const squashed = generatedFile(p.ok(['squash', B, D, '-m', 'posts and user emails', '--rev-id', S]));
    assert.equal(undated(squashed), `versions/${S}_posts_and_user_emails.ts`);
    const source = p.read(squashed);
    assert.match(source, new RegExp(`^export const replaces: string\\[\\] = \\['${B}', '${C}', '${D}'\\];$`, 'm'));
    assert.equal(source.match(/op\.createTable\('posts'/g)?.length, 1, source);
    assert.match(source, /\{ name: 'published', type: 'boolean', nullable: false, default: 'true' \}/);

    assert.match(p.ok(['--database', dbs.inside.url, 'migrate']).stdout, new RegExp(`^Applied  ${D}  headlines$\\nApplied  ${E}`, 'm'));
    assert.match(p.ok(['--database', dbs.at.url, 'migrate']).stdout, new RegExp(`^Stamped  ${S} .*\\nApplied  ${E}`, 'm'));
    assert.match(p.ok(['--database', dbs.after.url, 'migrate']).stdout, /^Nothing to do/m);
    assert.match(p.ok(['--database', dbs.fresh.url, 'migrate']).stdout, new RegExp(`^Applied  ${S}  posts and user emails$`, 'm'));
    for (const n of ['inside', 'at', 'after', 'fresh'] as const) {
      assert.equal(await catalog(dbs[n]), reference, `${n}: another catalog than the old files build`);
      assert.deepEqual(await versions(dbs[n]), [E], n);
      if (n !== 'fresh') assert.deepEqual(await rows(dbs[n]), kept, `${n} lost rows`);
    }

    // Below the squash: its downgrade runs.
    p.ok(['--database', dbs.fresh.url, 'downgrade', A]);
    assert.equal(await catalog(dbs.fresh), belowSquash);
    assert.deepEqual(await versions(dbs.fresh), [A]);
    p.ok(['--database', dbs.fresh.url, 'migrate']);
    assert.equal(await catalog(dbs.fresh), reference);

    // The old files deleted.
    for (const f of p.versionFiles()) if ([B, C, D].some((id) => f.startsWith(id))) p.remove(`versions/${f}`);
    p.ok(['--database', dbs.atLater.url, 'migrate']);
    assert.equal(await catalog(dbs.atLater), reference);
    assert.deepEqual(await versions(dbs.atLater), [E]);
    const line = assertUserError(p.run(['--database', dbs.insideLater.url, 'migrate']));
    assert.match(line, new RegExp(`at revision ${C}, inside the range that squash ${S} .* restore them .*migrator migrate`), line);
    assert.deepEqual(await versions(dbs.insideLater), [C]);
  });
});
