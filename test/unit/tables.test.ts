/**
 * Which tables autogenerate compares: the `tables` include/exclude globs (bare or
 * schema-qualified names), the tables revisions create, the database's tables left alone with
 * the enum types only they use, and the config key's validation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { filterSchemas, globToRegExp, tableMatcher, tablesCreatedBy, tablesOnlyInDatabase, withoutTables } from '../../src/diff/tables.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Schema, Table } from '../../src/schema/schema.js';

const table = (name: string, type = 'integer'): Table => ({ name, columns: [{ name: 'x', type, nullable: true }], indexes: [], uniques: [], checks: [], foreignKeys: [] });
const names = (s: Schema): string[] => s.tables.map((t) => t.name);

describe('table globs', () => {
  it('* is any run of characters, ? one, [..] a set, [!..] its complement; the rest is literal', () => {
    assert.ok(globToRegExp('audit_*').test('audit_log'));
    assert.ok(!globToRegExp('audit_*').test('my_audit_log'));
    assert.ok(globToRegExp('t?').test('t1') && !globToRegExp('t?').test('t12'));
    assert.ok(globToRegExp('t[12]').test('t2') && !globToRegExp('t[12]').test('t3'));
    assert.ok(globToRegExp('t[!12]').test('t3') && !globToRegExp('t[!12]').test('t1'));
    assert.ok(globToRegExp('a.b+c').test('a.b+c') && !globToRegExp('a.b+c').test('axbbc'));
  });

  it('exclude leaves matching tables out; include keeps only matching ones', () => {
    const keep = tableMatcher({ include: ['app_*', 'users'], exclude: ['app_tmp*'] });
    assert.deepEqual(['users', 'app_orders', 'app_tmp1', 'other'].filter(keep), ['users', 'app_orders']);
    assert.deepEqual(['a', 'b'].filter(tableMatcher(undefined)), ['a', 'b']);
    assert.deepEqual(['a', 'b'].filter(tableMatcher({ exclude: [] })), ['a', 'b']);
  });

  it('a schema-qualified glob matches tables of the current schema only', () => {
    assert.deepEqual(['spatial_ref_sys', 'users'].filter(tableMatcher({ exclude: ['public.spatial_ref_sys'] }, 'public')), ['users']);
    assert.deepEqual(['spatial_ref_sys'].filter(tableMatcher({ exclude: ['gis.spatial_ref_sys'] }, 'public')), ['spatial_ref_sys']);
    assert.deepEqual(['a', 'b'].filter(tableMatcher({ exclude: ['public.*'] }, 'public')), []);
  });
});

describe('scoping schemas', () => {
  it('filters the database and the models alike', () => {
    const database: Schema = { tables: [table('users'), table('audit_log')] };
    const models: Schema = { tables: [table('users'), table('audit_log'), table('audit_new')] };
    const scoped = filterSchemas(database, models, tableMatcher({ exclude: ['audit_*'] }));
    assert.deepEqual([names(scoped.database), names(scoped.models)], [['users'], ['users']]);
  });

  it('the tables only the database has', () => {
    assert.deepEqual(tablesOnlyInDatabase({ tables: [table('a'), table('legacy')] }, { tables: [table('a')] }), ['legacy']);
  });

  it('tables a revision creates or renames into count as created; raw SQL does not', () => {
    const revisions: Operation[][] = [
      [{ kind: 'createTable', table: table('posts') }, { kind: 'execute', sql: 'CREATE TABLE by_hand (id int)' }],
      [{ kind: 'renameTable', from: 'posts', to: 'articles' }, { kind: 'dropTable', table: 'old' }],
    ];
    assert.deepEqual([...tablesCreatedBy(revisions)].sort(), ['articles', 'posts']);
  });

  it('a table left alone keeps the enum types only it uses', () => {
    const database: Schema = {
      tables: [table('mine', '"Mood"'), table('theirs', '"Kind"[]'), table('both', 'public."Shared"'), table('other', '"Shared"')],
      enums: [{ name: 'Mood', values: ['a'] }, { name: 'Kind', values: ['b'] }, { name: 'Shared', values: ['c'] }],
    };
    const models: Schema = { tables: [table('mine', '"Mood"')], enums: [{ name: 'Mood', values: ['a'] }] };
    const out = withoutTables(database, models, ['theirs', 'both']);
    assert.deepEqual(names(out), ['mine', 'other']);
    assert.deepEqual(out.enums?.map((e) => e.name), ['Mood', 'Shared'], 'Kind goes with its table; Shared is still used by "other"');
  });
});

describe('the "tables" config key', () => {
  const resolve = (tables: unknown) => resolveConfig({ models: ['m/*.ts'], tables }, '/p', '/p/migrator.config.ts', { cwd: '/p', env: {} });

  it('takes include and exclude lists of globs (or one glob)', () => {
    assert.deepEqual(resolve({ include: ['app_*'], exclude: 'public.spatial_ref_sys' }).tables, { include: ['app_*'], exclude: ['public.spatial_ref_sys'] });
    assert.equal(resolve(undefined).tables, undefined);
  });

  it('names a wrong shape, an unknown key and an empty include', () => {
    assert.throws(() => resolve(['a']), /^MigratorError: \/p\/migrator\.config\.ts: "tables" must be \{ include\?: /);
    assert.throws(() => resolve({ exclude: ['a'], skip: ['b'] }), /unknown key "skip" in "tables"; the keys are include and exclude/);
    assert.throws(() => resolve({ exclude: [1] }), /"tables\.exclude" must be an array of table-name globs/);
    assert.throws(() => resolve({ include: [] }), /"tables\.include" is empty, which would include no table/);
  });
});
