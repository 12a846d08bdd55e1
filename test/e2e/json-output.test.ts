/**
 * `--json` on SQLite, through the built CLI: each command prints one JSON document on stdout;
 * with --json an error is one JSON document `{"error": {"code", "message"}}` on stderr with a
 * stable code; exit codes 0 (done), 1 (differences, not up to date), 2 (error).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain, projects, sqlRevision, undated, type RunResult, type TempProject } from './helpers.ts';

/** The revision file of `id` in versions/, whether generated (`{date}_{rev}_{slug}.ts`) or written by hand. */
function fileOf(p: TempProject, id: string): string {
  const name = p.versionFiles().find((f) => f.startsWith(`${id}_`) || f.includes(`_${id}_`));
  assert.ok(name, `no revision file for ${id} in ${p.versionFiles().join(', ')}`);
  return `versions/${name}`;
}

const newProject = projects();

const PRODUCT = (note: 'nullable' | 'not null' | 'none') => `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;
${note === 'none' ? '' : `\n  @Column({ type: 'text', nullable: ${note === 'nullable'} })\n  note${note === 'nullable' ? '?' : '!'}: string;\n`}}
`;

const A = 'aaaa11110000';
const B = 'bbbb22220000';
const C = 'cccc33330000';

/** The one JSON document on stdout of a run that exited `status`. */
function doc(r: RunResult, status = 0): any {
  assert.equal(r.status, status, explain(r, `to exit ${status}`));
  try {
    return JSON.parse(r.stdout);
  } catch (error) {
    assert.fail(explain(r, `to print one JSON document on stdout (${(error as Error).message})`));
  }
}

/** The JSON error document on stderr of a run that failed; stdout is empty. */
function jsonError(r: RunResult): { code: string; message: string; data?: Record<string, unknown> } {
  assert.equal(r.status, 2, explain(r, 'to exit 2'));
  assert.equal(r.stdout, '', explain(r, 'to print nothing on stdout'));
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, explain(r, 'to print one line on stderr'));
  const parsed = JSON.parse(lines[0]) as { error: { code: string; message: string; data?: Record<string, unknown> } };
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.equal(typeof parsed.error.message, 'string');
  return parsed.error;
}

function setUp(p: TempProject, note: 'nullable' | 'not null' | 'none' = 'nullable'): void {
  p.writeConfig();
  p.writeEntity('product', PRODUCT(note));
}

describe('--json documents', () => {
  const p = newProject();
  setUp(p);

  it('makemigrations: the file written, its operations and warnings; nothing to write says why', () => {
    const d = doc(p.run(['makemigrations', '-m', 'create product', '--rev-id', A, '--json']));
    assert.equal(d.written, true);
    assert.equal(d.id, A);
    assert.equal(undated(d.path), `versions/${A}_create_product.ts`);
    assert.deepEqual(d.operations, ['create table product']);
    assert.deepEqual(d.notices, []);
    assert.deepEqual(d.warnings, []);
    assert.ok(p.exists(d.path));

    p.ok(['migrate']);
    const none = doc(p.run(['makemigrations', '-m', 'nothing', '--json']));
    assert.equal(none.written, false);
    assert.match(none.reason, /No changes/i);
  });

  it('revision and merge: the file written', () => {
    const r = doc(p.run(['revision', '-m', 'second', '--rev-id', B, '--json']));
    assert.deepEqual({ written: r.written, id: r.id, path: undated(r.path) }, { written: true, id: B, path: `versions/${B}_second.ts` });
    doc(p.run(['revision', '-m', 'beside', '--rev-id', C, '--head', A, '--splice', '--json']));
    const m = doc(p.run(['merge', 'heads', '-m', 'join', '--rev-id', 'dddd44440000', '--json']));
    assert.equal(m.written, true);
    assert.equal(m.id, 'dddd44440000');
    assert.equal(undated(m.path), 'versions/dddd44440000_join.ts');
  });

  it('migrate, downgrade, upgrade: steps with durations, heads before and after', () => {
    const up = doc(p.run(['migrate', '--json']));
    assert.equal(up.direction, 'up');
    assert.deepEqual(up.from, [A]);
    assert.deepEqual(up.to, ['dddd44440000']);
    assert.deepEqual(up.steps.map((s: { revision: string }) => s.revision).sort(), [B, C, 'dddd44440000']);
    for (const s of up.steps) {
      assert.equal(s.direction, 'up');
      assert.equal(typeof s.durationMs, 'number');
      assert.ok(s.durationMs >= 0);
      assert.equal(typeof s.statements, 'number');
    }
    const down = doc(p.run(['downgrade', A, '--json']));
    assert.equal(down.direction, 'down');
    assert.equal(down.steps[0].revision, 'dddd44440000');
    assert.deepEqual(down.steps.map((s: { revision: string }) => s.revision).sort(), [B, C, 'dddd44440000']);
    assert.deepEqual(down.to, [A]);
    const again = doc(p.run(['upgrade', 'heads', '--json']));
    assert.deepEqual(again.to, ['dddd44440000']);
    const nothing = doc(p.run(['upgrade', 'heads', '--json']));
    assert.deepEqual(nothing.steps, []);
    const sql = doc(p.run(['upgrade', `${A}:${B}`, '--sql', '--json']));
    assert.match(sql.sql, /UPDATE|INSERT/);
  });

  it('check: clean, then the differences as data (exit 1)', () => {
    const clean = doc(p.run(['check', '--json']));
    assert.deepEqual({ clean: clean.clean, problems: clean.problems, differences: clean.differences }, { clean: true, problems: [], differences: [] });
    p.writeEntity('product', PRODUCT('not null'));
    const d = doc(p.run(['check', '--json']), 1);
    assert.equal(d.clean, false);
    assert.equal(d.differences.length, 1);
    const [change] = d.differences;
    assert.equal(change.kind, 'alterColumn');
    assert.equal(change.table, 'product');
    assert.equal(change.summary, 'alter column product.note: nullable → not null');
    assert.equal(change.operation.kind, 'alterColumn');
    assert.match(d.diff, /^\+.*note/m);
    p.writeEntity('product', PRODUCT('nullable'));
  });

  it('stamp: the heads before and after', () => {
    const d = doc(p.run(['stamp', B, '--json']));
    assert.deepEqual(d, { from: ['dddd44440000'], to: [B] });
    doc(p.run(['stamp', 'heads', '--json']));
  });

  it('repair: the revisions whose checksum it recorded', () => {
    assert.deepEqual(doc(p.run(['repair', '--json'])), { repaired: [] });
    const file = fileOf(p, B);
    p.write(file, `${p.read(file)}\n// edited\n`);
    const d = doc(p.run(['repair', '--json']));
    assert.equal(d.repaired.length, 1);
    assert.equal(d.repaired[0].revision, B);
    assert.equal(d.repaired[0].file, file);
    assert.equal(typeof d.repaired[0].to, 'string');
  });

  it('show and sqlmigrate', () => {
    const s = doc(p.run(['show', A, '--json']));
    assert.equal(s.id, A);
    assert.equal(undated(s.path), `versions/${A}_create_product.ts`);
    const q = doc(p.run(['sqlmigrate', A, '--json']));
    assert.match(q.sql, /CREATE TABLE "product"/);
  });
});

describe('squash --json', () => {
  it('the squash written and the revisions it replaces', () => {
    const p = newProject();
    p.writeConfig();
    p.write(`versions/${A}_one.ts`, sqlRevision(A, null, 'one', ['CREATE TABLE one (id integer)'], ['DROP TABLE one']));
    p.write(`versions/${B}_two.ts`, sqlRevision(B, A, 'two', ['CREATE TABLE two (id integer)'], ['DROP TABLE two']));
    const d = doc(p.run(['squash', A, B, '-m', 'both', '--rev-id', C, '--json']));
    assert.equal(d.id, C);
    assert.deepEqual(d.replaces, [A, B]);
    assert.equal(undated(d.path), 'versions/cccc33330000_both.ts');
    assert.ok(Array.isArray(d.operations));
    assert.ok(Array.isArray(d.notices));
  });
});

describe('errors as JSON, with a stable code', () => {
  it('UNKNOWN_REVISION, MULTIPLE_HEADS, CHECKSUM_MISMATCH, CONFIG_INVALID, CONNECTION_FAILED, USAGE', () => {
    const p = newProject();
    setUp(p);
    p.ok(['makemigrations', '-m', 'create product', '--rev-id', A]);

    const unknown = jsonError(p.run(['upgrade', 'ffff99990000', '--json']));
    assert.equal(unknown.code, 'UNKNOWN_REVISION');
    assert.match(unknown.message, /no revision "ffff99990000"/);
    assert.deepEqual(unknown.data, { ref: 'ffff99990000' });
    // The same message as without --json.
    assert.equal(p.run(['upgrade', 'ffff99990000']).stderr, `error: ${unknown.message}\n`);

    p.ok(['revision', '-m', 'b', '--rev-id', B]);
    p.ok(['revision', '-m', 'c', '--rev-id', C, '--head', A, '--splice']);
    const heads = jsonError(p.run(['migrate', '--json']));
    assert.equal(heads.code, 'MULTIPLE_HEADS');
    assert.deepEqual(heads.data, { heads: [B, C] });
    assert.deepEqual(jsonError(p.run(['revision', '-m', 'd', '--json'])).data, { heads: [B, C] });

    p.ok(['migrate', 'heads']);
    const file = fileOf(p, B);
    p.write(file, `${p.read(file)}\n// edited\n`);
    const changed = jsonError(p.run(['downgrade', A, '--json']));
    assert.equal(changed.code, 'CHECKSUM_MISMATCH');
    assert.deepEqual(changed.data, { revisions: [B] });

    assert.equal(jsonError(p.run(['current', '--json', '--config', 'missing.config.ts'])).code, 'CONFIG_INVALID');
    assert.equal(jsonError(p.run(['current', '--json', '--database', 'mssql://x/y'])).code, 'CONFIG_INVALID');
    const unreachable = jsonError(p.run(['current', '--json', '--database', 'postgres://someone:secret@127.0.0.1:1/nowhere']));
    assert.equal(unreachable.code, 'CONNECTION_FAILED');
    assert.ok(!unreachable.message.includes('secret'), 'the password is masked');

    const usage = jsonError(p.run(['migrate', '--json', '--no-such-option']));
    assert.equal(usage.code, 'USAGE');
    assert.match(usage.message, /unknown option/);
  });

  it('STATEMENT_FAILED with the revision, its direction and the statement the database refused', () => {
    const p = newProject();
    p.writeConfig();
    p.write(`versions/${A}_broken.ts`, sqlRevision(A, null, 'broken', ['CREATE TABLE t (id integer)', 'INSERT INTO no_such_table VALUES (1)'], ['DROP TABLE t']));
    const failed = jsonError(p.run(['migrate', '--json']));
    assert.equal(failed.code, 'STATEMENT_FAILED');
    assert.deepEqual(failed.data, { revision: A, direction: 'up', statement: 'INSERT INTO no_such_table VALUES (1)' });
  });

  it('UNSUPPORTED_OPERATION naming the dialect and the operation', () => {
    const p = newProject();
    p.writeConfig();
    p.write(
      `versions/${A}_comment.ts`,
      `import type { Operations } from 'migrator';\nexport const revision = '${A}';\nexport const downRevision = null;\nexport async function upgrade(op: Operations) {\n  await op.createTable('t', { columns: [{ name: 'id', type: 'integer', nullable: false }] });\n  await op.setTableComment('t', 'people');\n}\nexport async function downgrade(op: Operations) {\n  await op.dropTable('t');\n}\n`,
    );
    const unsupported = jsonError(p.run(['migrate', '--json']));
    assert.equal(unsupported.code, 'UNSUPPORTED_OPERATION');
    assert.equal(unsupported.data?.dialect, 'sqlite');
    assert.match(String(unsupported.data?.operation), /comment/);
    assert.equal(unsupported.data?.revision, A);
  });

  it('DATA_LOSS when a revision would drop a column with data', () => {
    const p = newProject();
    setUp(p);
    p.ok(['makemigrations', '-m', 'create product', '--rev-id', A]);
    p.ok(['migrate']);
    p.exec("INSERT INTO product (sku, note) VALUES ('x', 'kept')");
    p.writeEntity('product', PRODUCT('none'));
    assert.equal(jsonError(p.run(['makemigrations', '-m', 'drop note', '--json'])).code, 'DATA_LOSS');
  });
});

describe('exit codes', () => {
  it('0 done, 1 differences or not up to date, 2 error', () => {
    const p = newProject();
    setUp(p);
    p.ok(['makemigrations', '-m', 'create product', '--rev-id', A]);
    assert.equal(p.run(['status', '--json']).status, 1);
    assert.equal(p.run(['check']).status, 1);
    assert.equal(p.run(['migrate']).status, 0);
    assert.equal(p.run(['status', '--json']).status, 0);
    assert.equal(p.run(['check']).status, 0);
    assert.equal(p.run(['upgrade', 'nope']).status, 2);
  });
});
