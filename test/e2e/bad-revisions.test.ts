/**
 * Revision files that input could break, through the built CLI on SQLite: messages that look like
 * code.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { explain, projects, type RunResult } from './helpers.ts';

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

const PRODUCT_WITH_TITLE = PRODUCT.replace('  sku!: string;\n', '  sku!: string;\n\n  @Column({ nullable: true })\n  title!: string | null;\n');

/** Non-empty lines of a command's stdout. */
function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.trim() !== '');
}

/** The message `show` prints: the indented line after the blank one. */
function shownMessage(r: RunResult): string {
  const m = /\n\n {4}(.*)\n$/.exec(r.stdout);
  assert.ok(m, explain(r, 'to print the message'));
  return m[1];
}

describe('messages that look like code', () => {
  const p = newProject();
  // Line breaks of every kind, a comment end, and what a template literal would run.
  const M1 = 'a\rexport const x = 1';
  const M2 = 'b\u0085export const w = 4\u2029export const v = 5';
  const M3 = 'a\u2028export const y = 2';
  const M4 = 'end */ export const z = 3; /*';
  const M5 = 'back\\slash \\n `tick` ${process.exit(3)} *\\/';
  const ids = { m1: '0001_create', m2: '0002_title', m3: '0003', m4: '0004', m5: '0005' };

  before(() => {
    p.writeConfig();
    p.writeEntity('product', PRODUCT);
    p.ok(['makemigrations', '-m', M1, '--rev-id', ids.m1]);
    p.ok(['migrate']);
    p.writeEntity('product', PRODUCT_WITH_TITLE);
    p.ok(['makemigrations', '-m', M2, '--rev-id', ids.m2]);
    p.ok(['revision', '-m', M3, '--rev-id', ids.m3]);
    p.ok(['revision', '-m', M4, '--rev-id', ids.m4]);
    p.ok(['revision', '-m', M5, '--rev-id', ids.m5]);
  });

  it('writes each line of a message as a comment line, and nothing outside the comment', () => {
    const files = p.versionFiles();
    assert.equal(files.length, 5, files.join(', '));
    const first = p.read(path.join('versions', files[0]));
    assert.ok(first.startsWith('/**\n * a\n * export const x = 1\n *\n * Revision ID: 0001_create\n'), first);
    const second = p.read(path.join('versions', files[1]));
    assert.ok(second.startsWith('/**\n * b\n * export const w = 4\n * export const v = 5\n *\n'), second);
    for (const f of files) {
      const source = p.read(path.join('versions', f));
      assert.ok(!/[\r\u2028\u2029\u0085]/.test(source), `${f} has only \\n line breaks`);
      assert.equal(source.match(/^export const /gm)?.length, 4, `${f} declares the four headers and nothing else:\n${source}`);
    }
  });

  it('heads and history read the files', () => {
    assert.deepEqual(lines(p.ok(['heads']).stdout), [`${ids.m5} (head)  ${M5}`]);
    assert.deepEqual(lines(p.ok(['history']).stdout), [
      `${ids.m4} -> ${ids.m5} (head), ${M5}`,
      `${ids.m3} -> ${ids.m4}, ${M4}`,
      `${ids.m2} -> ${ids.m3}, a`,
      `${ids.m1} -> ${ids.m2}, b`,
      `<base> -> ${ids.m1} (base), a`,
    ]);
  });

  it('show prints the message back: the first line of one that has several', () => {
    assert.equal(shownMessage(p.ok(['show', ids.m1])), 'a');
    assert.equal(shownMessage(p.ok(['show', ids.m2])), 'b');
    assert.equal(shownMessage(p.ok(['show', ids.m3])), 'a');
    assert.equal(shownMessage(p.ok(['show', ids.m4])), M4);
    assert.equal(shownMessage(p.ok(['show', ids.m5])), M5);
  });

  it('sqlmigrate prints the SQL of a revision', () => {
    assert.match(p.ok(['sqlmigrate', ids.m2]).stdout, /ALTER TABLE "product" ADD COLUMN "title"/);
  });

  it('migrate applies them all', () => {
    const r = p.ok(['migrate']);
    assert.match(r.stdout, new RegExp(`Database is now at ${ids.m5}\\.`));
    assert.deepEqual(p.versions(), [ids.m5]);
    assert.ok(p.schema().product.columns.some((c) => c.name === 'title'), 'the title column was added');
  });
});
