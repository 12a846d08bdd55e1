/**
 * Revision files that input could break, and heads nobody merged, through the built CLI on
 * SQLite: messages that look like code, revision ids and branch labels that would leave or hide
 * in the version folder, concurrent writers of one version folder, and a plain `migrate` facing
 * heads no merge joins.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, it } from 'node:test';
import { assertUserError, CLI, downRevisionOf, explain, generatedFile, projects, revisionIdOf, sqlRevision, undated, type RunResult, type TempProject } from './helpers.ts';

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

/** Every file and folder under the project, with file sizes: "nothing written anywhere" checks. */
function tree(p: TempProject): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(p.dir, full);
      if (e.isDirectory()) {
        out.push(`${rel}/`);
        walk(full);
      } else out.push(`${rel} ${statSync(full).size}`);
    }
  };
  walk(p.dir);
  return out.sort();
}

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

/** Runs the CLI in the project without waiting: resolves with its exit code and output. */
function start(p: TempProject, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr, command: `migrator ${args.join(' ')}` }));
  });
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

describe('revision ids and branch labels', () => {
  const p = newProject();
  before(() => {
    // Versions two folders deep: `../../x` from there is the project folder, inside the tree below.
    p.writeConfig({ versions: 'db/versions' });
    p.writeEntity('product', PRODUCT);
    p.ok(['makemigrations', '-m', 'create product', '--rev-id', 'base0001']);
    p.ok(['migrate']);
    // A pending model change: makemigrations would write a revision with a good id.
    p.writeEntity('product', PRODUCT_WITH_TITLE);
  });

  const badIds = ['../../x', 'sub/dir', '.hidden', 'a b', 'é', 'a\\b', 'x'.repeat(33), 'a\nexport const y = 1'];
  for (const id of badIds) {
    for (const command of [['makemigrations', '-m', 'add title'], ['revision', '-m', 'empty step']]) {
      it(`${command[0]} --rev-id ${JSON.stringify(id)} is refused, writing nothing`, () => {
        const files = tree(p);
        const db = p.dump();
        const line = assertUserError(p.run([...command, '--rev-id', id]));
        assert.ok(line.startsWith(`error: --rev-id ${JSON.stringify(id)} is not a valid revision id: use 1 to 32 printable ASCII characters`), line);
        assert.deepEqual(tree(p), files, 'no file or folder is written anywhere in the project');
        assert.equal(p.dump(), db, 'the database is unchanged');
      });
    }
  }

  for (const label of ['../x', '.x', 'a b', 'a@b']) {
    it(`revision --branch-label ${JSON.stringify(label)} is refused, writing nothing`, () => {
      const files = tree(p);
      const line = assertUserError(p.run(['revision', '-m', 'labelled', '--head', 'base', '--branch-label', label]));
      assert.ok(line.startsWith(`error: --branch-label ${JSON.stringify(label)} is not a valid branch label: use 1 to 32`), line);
      assert.deepEqual(tree(p), files);
    });
  }

  it('an id of 32 printable characters is taken', () => {
    const id = `v2.${'x'.repeat(29)}`;
    const r = p.ok(['makemigrations', '-m', 'add title', '--rev-id', id]);
    assert.equal(undated(generatedFile(r)), path.join('db', 'versions', `${id}_add_title.ts`));
    assert.deepEqual(lines(p.ok(['heads']).stdout), [`${id} (head)  add title`]);
  });

  it('a file whose id breaks the rule is an error naming the file', () => {
    p.write('db/versions/zz_hand_written.ts', sqlRevision('../up', 'base0001', 'hand written', [], []));
    try {
      const line = assertUserError(p.run(['heads']));
      assert.match(line, /revision id "\.\.\/up" \(.*zz_hand_written\.ts\) is not valid: use 1 to 32 printable ASCII characters/);
    } finally {
      p.remove('db/versions/zz_hand_written.ts');
    }
  });
});

describe('one writer at a time in a version folder', () => {
  const LOCK = path.join('versions', '.migrator.lock');

  /** A project with one revision; its id. */
  function project(): { p: TempProject; first: string } {
    const p = newProject();
    p.writeConfig();
    p.writeEntity('product', PRODUCT);
    const first = revisionIdOf(p.read(generatedFile(p.ok(['revision', '-m', 'first']))));
    return { p, first };
  }

  it('revisions written at the same time form one line', async () => {
    const { p, first } = project();
    const runs = await Promise.all(['second', 'third', 'fourth'].map((m) => start(p, ['revision', '-m', m])));
    for (const r of runs) assert.equal(r.status, 0, explain(r, 'to exit 0'));
    const heads = lines(p.ok(['heads']).stdout);
    assert.equal(heads.length, 1, `one head: ${heads.join(' | ')}`);
    // Each revision has its own parent: the chain from the first one covers all four.
    const parents = p.versionFiles().map((f) => downRevisionOf(p.read(path.join('versions', f))));
    assert.deepEqual(parents.filter((d) => d === 'null'), ['null']);
    assert.equal(new Set(parents).size, 4, parents.join(', '));
    assert.equal(lines(p.ok(['history', '-r', `${first}:heads`]).stdout).length, 4);
    assert.ok(!p.exists(LOCK), 'the lock file is removed');
  });

  it('a lock file left by a process that is gone is taken over', () => {
    const { p, first } = project();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    p.write(LOCK, `${gone}\n`);
    const r = p.ok(['revision', '-m', 'after a crash']);
    assert.equal(downRevisionOf(p.read(generatedFile(r))), `'${first}'`);
    assert.ok(!p.exists(LOCK), 'the lock file is removed');
  });

  it('a lock held by a running process makes a writer wait, then give up naming the lock', () => {
    const { p } = project();
    // This test's own process holds the lock.
    p.write(LOCK, `${process.pid}\n`);
    try {
      const files = p.versionFiles();
      const line = assertUserError(p.run(['revision', '-m', 'blocked']));
      assert.ok(line.includes(`${p.path(LOCK)} is held by process ${process.pid}`), line);
      assert.match(line, /wait for it to finish .*delete the lock file if no migrator command is running/);
      assert.deepEqual(p.versionFiles(), files, 'no revision is written');
      assert.equal(p.read(LOCK), `${process.pid}\n`, 'the lock file is left to its holder');
      // Readers take no lock, and the scan passes over the lock file.
      assert.equal(lines(p.ok(['heads']).stdout).length, 1);
    } finally {
      p.remove(LOCK);
    }
  });

  it('a writer that waits goes on once the lock is released', async () => {
    const { p, first } = project();
    p.write(LOCK, `${process.pid}\n`);
    const run = start(p, ['revision', '-m', 'after the wait']);
    await sleep(1500);
    p.remove(LOCK);
    const r = await run;
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.equal(downRevisionOf(p.read(generatedFile(r))), `'${first}'`);
  });
});

describe('heads nobody merged', () => {
  const BASE = 'base00000001';
  const X = 'aaaa00000002';
  const Y = 'bbbb00000003';

  /** base, and two revisions on it that no merge joins; the database at base. */
  function siblings(): TempProject {
    const p = newProject();
    p.writeConfig();
    p.writeEntity('product', PRODUCT);
    p.write(`versions/${BASE}_base.ts`, sqlRevision(BASE, null, 'base', ['CREATE TABLE "t0" ("id" integer)'], ['DROP TABLE "t0"']));
    p.write(`versions/${X}_add_x.ts`, sqlRevision(X, BASE, 'add x', ['CREATE TABLE "x" ("id" integer)'], ['DROP TABLE "x"']));
    p.write(`versions/${Y}_add_y.ts`, sqlRevision(Y, BASE, 'add y', ['CREATE TABLE "y" ("id" integer)'], ['DROP TABLE "y"']));
    p.ok(['upgrade', BASE]);
    return p;
  }

  it('a plain migrate refuses them, naming both and the ways on; the database stays as it was', () => {
    const p = siblings();
    const db = p.dump();
    const line = assertUserError(p.run(['migrate']));
    assert.equal(
      line,
      `error: the revision files have 2 heads (${X} "add x", ${Y} "add y") that no merge joins; run \`migrator merge heads -m "merge"\` to join them, or \`migrator migrate heads\` to apply both as they are`,
    );
    assert.equal(p.dump(), db);
    assert.deepEqual(p.versions(), [BASE]);
  });

  it('migrate heads applies both on purpose', () => {
    const p = siblings();
    const r = p.ok(['migrate', 'heads']);
    assert.match(r.stdout, new RegExp(`Database is now at ${X}, ${Y}\\.`));
    assert.deepEqual(p.versions(), [X, Y]);
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version', 't0', 'x', 'y']);
  });

  it('makemigrations and revision name the heads and suggest the merge; after it, migrate goes on', () => {
    const p = siblings();
    const files = p.versionFiles();
    const made = assertUserError(p.run(['makemigrations']));
    assert.equal(
      made,
      `error: the revision files have 2 heads (${X} "add x", ${Y} "add y"); a new revision needs one parent: run \`migrator merge heads -m "merge"\` to join them, or \`migrator revision --autogenerate --head <revision> -m "…"\` to build on one`,
    );
    const rev = assertUserError(p.run(['revision', '-m', 'next']));
    assert.match(rev, /2 heads .* run `migrator merge heads -m "merge"` to join them, or `migrator revision --head <revision> -m "…"` to build on one$/);
    assert.deepEqual(p.versionFiles(), files);

    const merge = revisionIdOf(p.read(generatedFile(p.ok(['merge', 'heads', '-m', 'merge']))));
    p.ok(['migrate']);
    assert.deepEqual(p.versions(), [merge]);
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version', 't0', 'x', 'y']);
  });

  it('a branch with a label of its own still migrates with a plain migrate', () => {
    const p = newProject();
    p.writeConfig();
    p.writeEntity('product', PRODUCT);
    const main = revisionIdOf(p.read(generatedFile(p.ok(['revision', '-m', 'main line']))));
    const lab = revisionIdOf(p.read(generatedFile(p.ok(['revision', '-m', 'module', '--head', 'base', '--branch-label', 'x']))));
    assert.equal(lines(p.ok(['heads']).stdout).length, 2);
    p.ok(['migrate']);
    assert.deepEqual(p.versions(), [main, lab].sort());
  });
});
