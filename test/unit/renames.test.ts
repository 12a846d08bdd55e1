/**
 * Rename detection without I/O: candidates among the differ's operations, the renames hints and
 * flags choose, and the operations a chosen rename gives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSchemas } from '../../src/diff/compare.js';
import { chooseRenames, hintedRenames, operationsWithRenames, parseRename, renameCandidates, type StatedRename } from '../../src/diff/renames.js';
import { normalizePgType } from '../../src/dialects/postgres/types.js';
import { normalizeSqliteDefault, normalizeSqliteType } from '../../src/dialects/sqlite/types.js';
import { renderOperation } from '../../src/operations/render.js';
import { reverseOperations } from '../../src/operations/reverse.js';
import type { Column, Schema, Table } from '../../src/schema/schema.js';

const sqlite = { normalizeType: normalizeSqliteType, normalizeDefault: normalizeSqliteDefault };
const pg = { normalizeType: normalizePgType };

function col(name: string, type = 'varchar(100)', extra: Partial<Column> = {}): Column {
  return { name, type, nullable: false, ...extra };
}
const id = (): Column => col('id', 'integer', { autoincrement: true });
function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns: [id(), ...columns], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [], ...extra };
}
const schema = (...tables: Table[]): Schema => ({ tables });

/** The candidates of the change from `database` to `models`, spelled `old → new`. */
function candidates(database: Schema, models: Schema, options = sqlite): string[] {
  return renameCandidates(compareSchemas(database, models, options), options).map((c) => (c.kind === 'table' ? `${c.from} → ${c.to}` : `${c.table}.${c.from} → ${c.table}.${c.to}`));
}

const flag = (text: string): StatedRename => ({ rename: parseRename(text), source: `--rename ${text}`, mustMatch: true });

describe('rename candidates', () => {
  it('a column dropped and one of the same type added in the same table', () => {
    assert.deepEqual(candidates(schema(table('posts', [col('authorName')])), schema(table('posts', [col('commenterName')]))), ['posts.authorName → posts.commenterName']);
  });

  it('the same type as the dialect normalises it, nullability and default aside', () => {
    const database = schema(table('posts', [col('authorName', 'character varying(100)')]));
    const models = schema(table('posts', [col('commenterName', 'varchar(100)', { nullable: true, default: "'anon'" })]));
    assert.deepEqual(candidates(database, models, pg), ['posts.authorName → posts.commenterName']);
  });

  it('no candidate when the types differ, nor across tables, nor when autoincrement differs', () => {
    assert.deepEqual(candidates(schema(table('posts', [col('authorName')])), schema(table('posts', [col('commenterName', 'varchar(200)')]))), []);
    assert.deepEqual(candidates(schema(table('posts', [col('views', 'integer')])), schema(table('posts', [col('likes', 'text')]))), []);
    assert.deepEqual(
      candidates(schema(table('posts', [col('authorName')]), table('users', [])), schema(table('posts', []), table('users', [col('commenterName')]))),
      [],
    );
    assert.deepEqual(candidates(schema(table('t', [col('a', 'integer', { autoincrement: true })], { primaryKey: undefined })), schema(table('t', [col('b', 'integer')], { primaryKey: undefined }))), []);
  });

  it('every compatible pair when two dropped columns fit one added: in table, old and new name order', () => {
    const database = schema(table('posts', [col('writer'), col('author')]));
    const models = schema(table('posts', [col('commenterName')]));
    assert.deepEqual(candidates(database, models), ['posts.author → posts.commenterName', 'posts.writer → posts.commenterName']);
  });

  it('a table dropped and one created with the same column names and types; tables come before columns', () => {
    const database = schema(table('posts', [col('title'), col('body', 'text')]), table('users', [col('name')]));
    const models = schema(table('articles', [col('body', 'text', { nullable: true }), col('title')]), table('users', [col('fullName')]));
    assert.deepEqual(candidates(database, models), ['posts → articles', 'users.name → users.fullName']);
  });

  it('no table candidate when a column is missing, added or of another type', () => {
    const database = schema(table('posts', [col('title'), col('body', 'text')]));
    assert.deepEqual(candidates(database, schema(table('articles', [col('title')]))), []);
    assert.deepEqual(candidates(database, schema(table('articles', [col('title'), col('body', 'text'), col('lead')]))), []);
    assert.deepEqual(candidates(database, schema(table('articles', [col('title'), col('body', 'varchar(10)')]))), []);
    assert.deepEqual(candidates(database, schema(table('articles', [col('title'), col('text', 'text')]))), []);
  });
});

describe('choosing renames', () => {
  const database = schema(table('posts', [col('writer'), col('author')]));
  const models = schema(table('posts', [col('commenterName')]));
  const ops = compareSchemas(database, models, sqlite);
  const all = renameCandidates(ops, sqlite);

  it('a flag chooses its candidate and rules out the others sharing a side', () => {
    const { chosen, open } = chooseRenames(all, [flag('posts.writer=commenterName')]);
    assert.deepEqual(chosen.map((r) => `${r.from}=${r.to}`), ['writer=commenterName']);
    assert.deepEqual(open, []);
  });

  it('nothing stated leaves every candidate open', () => {
    assert.equal(chooseRenames(all, []).open.length, 2);
  });

  it('a flag that names no candidate is an error listing the candidates', () => {
    assert.throws(() => chooseRenames(all, [flag('posts.title=headline')]), /--rename posts\.title=headline names no rename candidate.*the candidates are posts\.author → posts\.commenterName, posts\.writer → posts\.commenterName/);
    assert.throws(() => chooseRenames([], [flag('posts=articles')]), /--rename posts=articles names no rename candidate.*this change has none/);
  });

  it('two flags renaming to the same column are an error', () => {
    assert.throws(() => chooseRenames(all, [flag('posts.writer=commenterName'), flag('posts.author=commenterName')]), /both rename to posts\.commenterName; keep one/);
  });

  it('flags are read as table.old=new for a column and old=new for a table', () => {
    assert.deepEqual(parseRename('posts.authorName=commenterName'), { kind: 'column', table: 'posts', from: 'authorName', to: 'commenterName' });
    assert.deepEqual(parseRename('posts.authorName=posts.commenterName'), { kind: 'column', table: 'posts', from: 'authorName', to: 'commenterName' });
    assert.deepEqual(parseRename('posts=articles'), { kind: 'table', from: 'posts', to: 'articles' });
    for (const bad of ['posts', 'posts.a=', '=b', 'a=b=c', 'posts=other.b', 'posts.a=other.b']) assert.throws(() => parseRename(bad), /is not old=new/, bad);
  });
});

describe('hints', () => {
  it('a hint on the added column chooses its candidate', () => {
    const ops = compareSchemas(schema(table('posts', [col('writer'), col('author')])), schema(table('posts', [col('commenterName', 'varchar(100)', { renamedFrom: ['author'] })])), sqlite);
    const stated = hintedRenames(ops, renameCandidates(ops, sqlite));
    assert.deepEqual(stated.map((s) => s.source), ['@renamedFrom author on posts.commenterName']);
    assert.deepEqual(chooseRenames(renameCandidates(ops, sqlite), stated).open, []);
  });

  it('a hint on a created table chooses its candidate, by any of its names', () => {
    const ops = compareSchemas(schema(table('posts', [col('title')])), schema(table('articles', [col('title')], { renamedFrom: ['post', 'posts'] })), sqlite);
    assert.deepEqual(hintedRenames(ops, renameCandidates(ops, sqlite)).map((s) => s.rename), [{ kind: 'table', from: 'posts', to: 'articles' }]);
  });

  it('a hint whose old name the database no longer has is inert', () => {
    const ops = compareSchemas(schema(table('posts', [col('commenterName')])), schema(table('posts', [col('commenterName', 'varchar(100)', { renamedFrom: ['author'] })])), sqlite);
    assert.deepEqual(ops, []);
    const added = compareSchemas(schema(table('posts', [])), schema(table('posts', [col('commenterName', 'varchar(100)', { renamedFrom: ['author'] })])), sqlite);
    assert.deepEqual(hintedRenames(added, renameCandidates(added, sqlite)), []);
  });

  it('a hint naming a dropped column of another type is an error naming both', () => {
    const ops = compareSchemas(schema(table('posts', [col('author', 'integer')])), schema(table('posts', [col('commenterName', 'varchar(100)', { renamedFrom: ['author'] })])), sqlite);
    assert.throws(() => hintedRenames(ops, renameCandidates(ops, sqlite)), /posts\.commenterName is marked @renamedFrom author, but posts\.author is integer and posts\.commenterName varchar\(100\)/);
  });

  it('a hint naming a dropped table of other columns is an error', () => {
    const ops = compareSchemas(schema(table('posts', [col('title')])), schema(table('articles', [col('headline')], { renamedFrom: ['posts'] })), sqlite);
    assert.throws(() => hintedRenames(ops, renameCandidates(ops, sqlite)), /table articles is marked @renamedFrom posts, but their columns differ/);
  });

  it('a flag agreeing with a hint is no conflict; one disagreeing is', () => {
    const ops = compareSchemas(schema(table('posts', [col('writer'), col('author')])), schema(table('posts', [col('commenterName', 'varchar(100)', { renamedFrom: ['author'] })])), sqlite);
    const all = renameCandidates(ops, sqlite);
    const hints = hintedRenames(ops, all);
    assert.equal(chooseRenames(all, [...hints, flag('posts.author=commenterName')]).chosen.length, 1);
    assert.throws(() => chooseRenames(all, [...hints, flag('posts.writer=commenterName')]), /@renamedFrom author on posts\.commenterName and --rename posts\.writer=commenterName both rename to posts\.commenterName/);
  });
});

describe('operations with renames', () => {
  it('a column rename, then the nullability that changed with it, and the index named after it renamed too', () => {
    const database = schema(table('posts', [col('authorName')], { indexes: [{ name: 'posts_authorName_idx', columns: ['authorName'], unique: false }] }));
    const models = schema(table('posts', [col('commenterName', 'varchar(100)', { nullable: true })], { indexes: [{ name: 'posts_commenterName_idx', columns: ['commenterName'], unique: false }] }));
    const ops = operationsWithRenames(database, models, [{ kind: 'column', table: 'posts', from: 'authorName', to: 'commenterName' }], sqlite);
    assert.deepEqual(ops.map((op) => renderOperation(op, '')), [
      "await op.renameColumn('posts', 'authorName', 'commenterName');",
      "await op.alterColumn('posts', 'commenterName', { nullable: true });",
      "await op.renameIndex('posts', 'posts_authorName_idx', 'posts_commenterName_idx');",
    ]);
    assert.deepEqual(reverseOperations(ops).map((op) => renderOperation(op, '')), [
      "await op.renameIndex('posts', 'posts_commenterName_idx', 'posts_authorName_idx');",
      "await op.alterColumn('posts', 'commenterName', { nullable: false });",
      "await op.renameColumn('posts', 'commenterName', 'authorName');",
    ]);
  });

  it("Prisma's implicit many-to-many table whose ends swap when a model is renamed is no rename candidate, and stated as one is an error", () => {
    // _CategoryToPost (A → Category, B → Post) becomes _PostToTopic (A → Post, B → Topic).
    const fk = (column: string, to: string) => ({ name: `_${column}_fkey`, columns: [column], referencedTable: to, referencedColumns: ['id'] });
    const join = (name: string, a: string, b: string): Table => table(name, [col('A', 'integer'), col('B', 'integer')], { foreignKeys: [fk('A', a), fk('B', b)] });
    const database = schema(table('Category', [col('name')]), table('Post', [col('title')]), join('_CategoryToPost', 'Category', 'Post'));
    const models = schema(table('Topic', [col('name')]), table('Post', [col('title')]), join('_PostToTopic', 'Post', 'Topic'));
    const ops = compareSchemas(database, models, sqlite);
    assert.deepEqual(renameCandidates(ops, sqlite).map((c) => `${c.kind} ${c.from}→${c.to}`), ['table Category→Topic']);
    assert.throws(
      () => operationsWithRenames(database, models, [{ kind: 'table', from: 'Category', to: 'Topic' }, { kind: 'table', from: '_CategoryToPost', to: '_PostToTopic' }], sqlite),
      /_CategoryToPost → _PostToTopic cannot be a rename: its column A points to Category \(Topic after the renames chosen\) and would point to Post/,
    );
    // The same ends in the same columns (a model renamed that keeps its place in the name) stay a candidate.
    const kept = schema(table('Category', [col('name')]), table('Post', [col('title')]), join('_CategoryToPost', 'Category', 'Post'));
    const renamed = schema(table('Category', [col('name')]), table('Story', [col('title')]), join('_CategoryToStory', 'Category', 'Story'));
    assert.deepEqual(renameCandidates(compareSchemas(kept, renamed, sqlite), sqlite).map((c) => `${c.from}→${c.to}`), ['Post→Story', '_CategoryToPost→_CategoryToStory']);
  });

  it('a table rename keeps the foreign keys that point at it, and nothing else changes', () => {
    const comments = table('comments', [col('postId', 'integer')], { foreignKeys: [{ name: 'comments_postId_fkey', columns: ['postId'], referencedTable: 'posts', referencedColumns: ['id'] }] });
    const database = schema(table('posts', [col('title')]), comments);
    const models = schema(table('articles', [col('title')]), { ...structuredClone(comments), foreignKeys: [{ ...comments.foreignKeys[0], referencedTable: 'articles' }] });
    const ops = operationsWithRenames(database, models, [{ kind: 'table', from: 'posts', to: 'articles' }], sqlite);
    assert.deepEqual(ops, [{ kind: 'renameTable', from: 'posts', to: 'articles' }]);
  });

  it('renames come first, tables before columns, whatever order they were chosen in', () => {
    const database = schema(table('posts', [col('title')]), table('users', [col('name')]));
    const models = schema(table('articles', [col('title')]), table('users', [col('fullName')]));
    const ops = operationsWithRenames(database, models, [{ kind: 'column', table: 'users', from: 'name', to: 'fullName' }, { kind: 'table', from: 'posts', to: 'articles' }], sqlite);
    assert.deepEqual(ops.map((op) => op.kind), ['renameTable', 'renameColumn']);
  });

  it('candidates come in name order, whatever order the columns and tables are in', () => {
    const database = schema(table('users', [col('name')]), table('posts', [col('writer'), col('author')]));
    const models = schema(table('users', [col('fullName')]), table('posts', [col('commenterName'), col('byline')]));
    const expected = [
      'posts.author → posts.byline',
      'posts.author → posts.commenterName',
      'posts.writer → posts.byline',
      'posts.writer → posts.commenterName',
      'users.name → users.fullName',
    ];
    assert.deepEqual(candidates(database, models), expected);
    const reversed = (s: Schema): Schema => ({ tables: [...s.tables].reverse().map((t) => ({ ...t, columns: [...t.columns].reverse() })) });
    assert.deepEqual(candidates(reversed(database), reversed(models)), expected);
  });
});
