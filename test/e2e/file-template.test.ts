/**
 * Revision file names (`fileTemplate`, default `{date}_{rev}_{slug}`) and the commands run on a
 * revision file once written (`postWrite`), through the built CLI and, for a fixed clock, the API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands, Project } from '../../src/index.ts';
import { assertUserError, configSource, DATED, generatedFile, itemEntity, projects, sqlRevision, type TempProject } from './helpers.ts';

const newProject = projects();

const ITEM = itemEntity('ts-migrator');

/** A project whose config adds `extra` (source text of more options) to the usual one. */
function project(extra = ''): TempProject {
  const p = newProject('migrator-names-');
  p.write('migrator.config.ts', configSource().replace(/\n\}\);\n$/, `\n${extra}\n});\n`));
  p.writeEntity('item', ITEM);
  return p;
}

/** A stand-in formatter: records its arguments and marks the file it is given, as `--write` would. */
const FORMATTER = `import { appendFileSync } from 'node:fs';
const file = process.argv.at(-1);
appendFileSync(file, '// formatted by ' + JSON.stringify(process.argv.slice(2, -1)) + '\\n');
`;

describe('fileTemplate', () => {
  it('by default a revision file is named {date}_{rev}_{slug}.ts, the date in UTC from the clock', async () => {
    const p = project();
    const config = { cwd: p.dir, env: { DATABASE_URL: '' } };
    const first = await commands.revision(await Project.load(config), { message: 'First step', revId: 'ffff00000001', now: new Date('2026-12-01T23:17:36.250Z') });
    const second = await commands.revision(await Project.load(config), { message: 'second', revId: 'aaaa00000002', now: new Date('2026-12-02T00:00:05Z') });
    assert.ok(first.written && second.written);
    // Listed by name, the files come in the order they were made, whatever their ids.
    assert.deepEqual(p.versionFiles(), ['20261201_231736_ffff00000001_first_step.ts', '20261202_000005_aaaa00000002_second.ts']);
    assert.match(p.read('versions/20261201_231736_ffff00000001_first_step.ts'), /^ \* Create Date: 2026-12-01T23:17:36\.250Z$/m);
  });

  it('files named {rev}_{slug}.ts before read as ever; new ones follow the template', () => {
    const p = project();
    p.write('versions/0ld000000001_item.ts', sqlRevision('0ld000000001', null, 'item', ['CREATE TABLE "item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL)'], ['DROP TABLE "item"']));
    p.ok(['migrate']);
    const file = generatedFile(p.ok(['revision', '-m', 'next', '--rev-id', 'new000000002']));
    assert.match(file, new RegExp(`^versions/${DATED}new000000002_next\\.ts$`));
    assert.deepEqual(p.ok(['history']).stdout.trim().split('\n'), ['0ld000000001 -> new000000002 (head), next', '<base> -> 0ld000000001 (base), item']);
  });

  it("fileTemplate: '{rev}_{slug}' names files as before", () => {
    const p = project("  fileTemplate: '{rev}_{slug}',");
    assert.equal(generatedFile(p.ok(['makemigrations', '-m', 'create item', '--rev-id', 'abc000000001'])), 'versions/abc000000001_create_item.ts');
  });

  for (const [template, said] of [
    ['{date}_{slug}', /"fileTemplate" must contain \{rev\}/],
    ['{date}_{rev}_{title}', /"fileTemplate" has the unknown field \{title\}; the fields are \{date\}, \{rev\}, \{slug\}/],
    ['sub/{rev}', /"fileTemplate" must be a file name, without folders/],
  ] as const) {
    it(`fileTemplate '${template}' is refused, naming the config, and nothing is written`, () => {
      const p = project(`  fileTemplate: '${template}',`);
      const line = assertUserError(p.run(['makemigrations', '-m', 'create item']));
      assert.match(line, /migrator\.config\.ts: /);
      assert.match(line, said);
      assert.deepEqual(p.versionFiles(), []);
    });
  }
});

describe('postWrite', () => {
  it('runs each command on the revision file written, its path appended, without a shell', () => {
    const p = project(`  postWrite: ['node "format it.mjs" --write', "node 'format it.mjs' --second 'two words' $HOME;"],`);
    p.write('format it.mjs', FORMATTER);
    const file = generatedFile(p.ok(['makemigrations', '-m', 'create item']));
    const tail = p.read(file).trimEnd().split('\n').slice(-2);
    assert.deepEqual(tail, ['// formatted by ["--write"]', '// formatted by ["--second","two words","$HOME;"]']);
    p.ok(['migrate']);
  });

  it('squash runs the commands on the file it writes', () => {
    const p = project("  postWrite: ['node format.mjs'],");
    p.write('format.mjs', FORMATTER);
    p.ok(['revision', '-m', 'one', '--rev-id', 'aaaa00000001']);
    p.ok(['revision', '-m', 'two', '--rev-id', 'bbbb00000002']);
    const file = generatedFile(p.ok(['squash', 'aaaa00000001', 'bbbb00000002', '-m', 'both', '--rev-id', 'cccc00000003']));
    assert.match(p.read(file), /\/\/ formatted by \[\]\n$/);
  });

  it('a failing command is an error naming it and what it printed; the revision file stays written', () => {
    const p = project("  postWrite: ['node fail.mjs --check'],");
    p.write('fail.mjs', "console.error('fail.mjs: cannot format ' + process.argv.at(-1).split(/[\\\\/]/).pop()); process.exit(3);\n");
    const r = p.run(['makemigrations', '-m', 'create item', '--rev-id', 'abc000000001']);
    assert.equal(r.status, 2, r.stderr);
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    const name = p.versionFiles()[0];
    assert.match(name, new RegExp(`^${DATED}abc000000001_create_item\\.ts$`));
    assert.equal(first, `error: postWrite command \`node fail.mjs --check\` failed on versions/${name}: exit 3; the revision file is written as generated — fix the command in ${p.path('migrator.config.ts')}, or run it on the file yourself`);
    assert.deepEqual(rest, [`  fail.mjs: cannot format ${name}`]);
    // The file is a good revision: it runs.
    p.ok(['migrate']);
    p.ok(['check']);
  });

  it('a command that is not installed is an error saying so', () => {
    const p = project("  postWrite: ['no-such-formatter-3f9a --write'],");
    const line = assertUserError(p.run(['makemigrations', '-m', 'create item']));
    assert.match(line, /^error: postWrite command `no-such-formatter-3f9a --write` failed on versions\/\S+\.ts: no-such-formatter-3f9a was not found \(install it, or fix "postWrite" in \S+migrator\.config\.ts\)/);
    assert.equal(p.versionFiles().length, 1);
  });

  it('postWrite must be a list of commands', () => {
    const p = project('  postWrite: [42],');
    assert.match(assertUserError(p.run(['makemigrations', '-m', 'x'])), /"postWrite" must be an array of commands, e\.g\. \['prettier --write'\]/);
  });
});
