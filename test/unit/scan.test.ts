import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MigratorError } from '../../src/errors.js';
import { parseHeaderLiteral, readRevisionHeader, revisionFiles, scanRevisions } from '../../src/script/scan.js';
import ts from 'typescript';
import { tsString } from '../../src/operations/render.js';
import { renderRevision } from '../../src/script/write.js';

describe('parseHeaderLiteral', () => {
  const cases: [string, string | string[] | null | undefined][] = [
    ["'x'", 'x'],
    ['"x"', 'x'],
    ["  'a1b2c3d4e5f6'  ", 'a1b2c3d4e5f6'],
    ["'it\\'s'", "it's"],
    [`"it's"`, "it's"],
    ["''", ''],
    ['null', null],
    ["['a', 'b']", ['a', 'b']],
    [`["a","b"]`, ['a', 'b']],
    ["[ 'a' , \"b\" ]", ['a', 'b']],
    ["['a', 'b',]", ['a', 'b']],
    ["['only']", ['only']],
    ['[]', []],
    // Not literals: anything that would need running the file.
    ['someVar', undefined],
    ["'a' + 'b'", undefined],
    ['`x`', undefined],
    ["['a', b]", undefined],
    ["['a' 'b']", undefined],
    ["'unterminated", undefined],
    ["'a', 'b'", undefined],
    ['undefined', undefined],
    ['42', undefined],
    ["String('x')", undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseHeaderLiteral(text), expected));
  }

  it('reads escapes as TypeScript does: every literal tsString writes comes back as its text', () => {
    const texts = ['a\rb\nc\r\n', 'x\u2028y\u2029z\u0085', '\t\v\f\b\0\x1b\x7f', "it's \"q\"", 'back\\slash \\n', 'rtl\u202e', 'lone \ud800', '\u{1F600}'];
    for (const text of texts) assert.equal(parseHeaderLiteral(tsString(text)), text, tsString(text));
    assert.equal(parseHeaderLiteral(String.raw`'\u{1F600}\x41\u0042'`), '\u{1F600}AB');
    assert.deepEqual(parseHeaderLiteral(`[${tsString('a\nb')}, ${tsString("c'd")}]`), ['a\nb', "c'd"]);
  });
});

describe('messages in the doc comment', () => {
  const render = (message: string): string =>
    renderRevision({ id: '0123456789ab', message, downRevisions: ['aaaa'], upgrade: [], downgrade: [], createDate: new Date('2024-05-06T07:08:09Z') });

  /** What TypeScript sees at the top level of a file: the kinds of its statements. */
  const statements = (source: string): string[] =>
    ts.createSourceFile('r.ts', source, ts.ScriptTarget.Latest, true).statements.map((st) => ts.SyntaxKind[st.kind]);
  const usual = statements(render('plain'));

  const cases: [string, string][] = [
    ['a\rexport const revision = 1', 'a'],
    ['a\u2028export const y = 2', 'a'],
    ['a\u2029export const y = 2', 'a'],
    ['a\u0085export const y = 2', 'a'],
    ['a\vb\fc', 'a'],
    ['a\r\nb', 'a'],
    ['end */ export const z = 3; /*', 'end */ export const z = 3; /*'],
    ['star *\\/ and **/ and */*/', 'star *\\/ and **/ and */*/'],
    ['back\\slash `tick` ${x}', 'back\\slash `tick` ${x}'],
    ['tab\tand\x1b[31m and \u202e', 'tab\\tand\\x1b[31m and \\u202e'],
  ];
  for (const [message, shown] of cases) {
    it(`${JSON.stringify(message)} stays in the comment and reads back as ${JSON.stringify(shown)}`, () => {
      const source = render(message);
      assert.deepEqual(statements(source), usual);
      const comment = /^\/\*\*[\s\S]*?\*\//.exec(source)![0];
      assert.ok(!/[\r\u2028\u2029\u0085\v\f\t\x1b\u202e]/.test(comment), JSON.stringify(comment));
      const r = readRevisionHeader('r.ts', source);
      assert.deepEqual({ id: r.id, downRevisions: r.downRevisions, message: r.message }, { id: '0123456789ab', downRevisions: ['aaaa'], message: shown });
    });
  }

  it("a template's messageLiteral is the exact message", () => {
    const templates = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-templates-'));
    try {
      fs.writeFileSync(path.join(templates, 'revision.ts.hbs'), '/**\n{{#each messageLines}}\n * {{this}}\n{{/each}}\n */\nexport const message = {{messageLiteral}};\n');
      for (const [message] of cases) {
        const source = renderRevision({ id: 'ab12', message, downRevisions: [], upgrade: [], downgrade: [], createDate: new Date(0) }, templates);
        const literal = /^export const message = (.*);$/m.exec(source)![1];
        assert.equal(new Function(`return ${literal};`)(), message);
        assert.deepEqual(statements(source), statements('export const message = 1;'));
      }
    } finally {
      fs.rmSync(templates, { recursive: true, force: true });
    }
  });

  it('each line of a message is a line of the comment', () => {
    const lines = render('first\rsecond\u2028third\r\nfourth\nfifth').split('\n').slice(1, 6);
    assert.deepEqual(lines, [' * first', ' * second', ' * third', ' * fourth', ' * fifth']);
  });
});

describe('readRevisionHeader / scanRevisions on files', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-scan-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, source: string): string => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, source);
    return file;
  };

  const first = `/**
 * Create the customer table
 *
 * Revision ID: 1a2b3c4d5e6f
 * Revises: <base>
 * Create Date: 2024-01-01T00:00:00.000Z
 */
import type { Operations } from 'migrator';

export const revision = '1a2b3c4d5e6f';
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  const revision = 'not a header';
}
`;

  it('reads a first revision: id, no parents, message from the doc comment, path', () => {
    const file = write('versions/1a2b3c4d5e6f_create_customer.ts', first);
    assert.deepEqual(readRevisionHeader(file), {
      id: '1a2b3c4d5e6f',
      downRevisions: [],
      branchLabels: [],
      dependsOn: [],
      path: file,
      message: 'Create the customer table',
    });
  });

  it('reads a merge revision: downRevision array, labels and dependencies', () => {
    const file = write(
      'merge.ts',
      `/** Merge the billing and shipping branches */
export const revision = "ffee00112233";
export const downRevision = ['aaaa00000001', "bbbb00000002"];
export const branchLabels = ['main'];
export const dependsOn: string[] | null = ['cccc00000003'];
`,
    );
    const r = readRevisionHeader(file);
    assert.equal(r.id, 'ffee00112233');
    assert.deepEqual(r.downRevisions, ['aaaa00000001', 'bbbb00000002']);
    assert.deepEqual(r.branchLabels, ['main']);
    assert.deepEqual(r.dependsOn, ['cccc00000003']);
    assert.equal(r.message, 'Merge the billing and shipping branches');
  });

  it('a single-parent downRevision string is a one-element list', () => {
    const r = readRevisionHeader('x.ts', "export const revision = 'b2';\nexport const downRevision = 'a1';\n");
    assert.deepEqual(r.downRevisions, ['a1']);
    assert.equal(r.message, undefined);
  });

  it('no message when the doc comment starts with the Revision ID line', () => {
    const r = readRevisionHeader('x.ts', "/**\n * Revision ID: b2\n */\nexport const revision = 'b2';\nexport const downRevision = null;\n");
    assert.equal(r.message, undefined);
  });

  it('reads what renderRevision writes', () => {
    const source = renderRevision({
      id: '0123456789ab',
      message: "Add the user's email\n\nSecond paragraph",
      downRevisions: ['aaaa', 'bbbb'],
      branchLabels: ['auth'],
      upgrade: [],
      downgrade: [],
      createDate: new Date('2024-05-06T07:08:09Z'),
    });
    const r = readRevisionHeader('rendered.ts', source);
    assert.deepEqual(
      { id: r.id, downRevisions: r.downRevisions, branchLabels: r.branchLabels, dependsOn: r.dependsOn, message: r.message },
      { id: '0123456789ab', downRevisions: ['aaaa', 'bbbb'], branchLabels: ['auth'], dependsOn: [], message: "Add the user's email" },
    );
  });

  const errors: { name: string; source: string; message: RegExp }[] = [
    {
      name: 'missing revision',
      source: 'export const downRevision = null;\n',
      message: /no `export const revision = '<id>'` header/,
    },
    {
      name: 'empty revision',
      source: "export const revision = '';\nexport const downRevision = null;\n",
      message: /no `export const revision = '<id>'` header/,
    },
    {
      name: 'missing downRevision',
      source: "export const revision = 'a1';\n",
      message: /no `export const downRevision = …` header \(use null for a first revision\)/,
    },
    {
      name: 'a header that is not a literal',
      source: "export const revision = 'a1';\nexport const downRevision = someVar;\n",
      message: /the header `downRevision` must be a literal .*not `someVar`/,
    },
    {
      name: 'a computed revision id',
      source: "export const revision = 'a' + '1';\nexport const downRevision = null;\n",
      message: /the header `revision` must be a literal/,
    },
    {
      name: 'a header declared twice',
      source: "export const revision = 'a1';\nexport const revision = 'a2';\nexport const downRevision = null;\n",
      message: /the header `revision` is declared twice/,
    },
  ];
  for (const c of errors) {
    it(`${c.name} is an error naming the file`, () => {
      const file = write(`bad_${c.name.replace(/\W+/g, '_')}.ts`, c.source);
      assert.throws(() => readRevisionHeader(file), (e: Error) => {
        assert.ok(e instanceof MigratorError, `expected MigratorError, got ${e}`);
        assert.ok(e.message.startsWith(`${file}: `), e.message);
        assert.match(e.message, c.message);
        return true;
      });
    });
  }

  it('a trailing comment after a literal header is still a literal', () => {
    const r = readRevisionHeader(
      'commented.ts',
      "export const revision = 'b2'; // the second revision\nexport const downRevision = 'a1'; // revises the first\n",
    );
    assert.equal(r.id, 'b2');
    assert.deepEqual(r.downRevisions, ['a1']);
  });

  it('revisionFiles lists script files by name, skipping declarations, dotfiles and other files; scanRevisions reads them', () => {
    const versions = path.join(dir, 'scan-versions');
    const other = path.join(dir, 'scan-other');
    fs.mkdirSync(versions);
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(versions, 'b_second.ts'), "export const revision = 'bbbb';\nexport const downRevision = 'aaaa';\n");
    fs.writeFileSync(path.join(versions, 'a_first.mjs'), "export const revision = 'aaaa';\nexport const downRevision = null;\n");
    fs.writeFileSync(path.join(versions, 'a_first.d.ts'), 'export declare const revision: string;\n');
    fs.writeFileSync(path.join(versions, '.hidden.ts'), "export const revision = 'hidden';\n");
    fs.writeFileSync(path.join(versions, 'notes.md'), '# notes\n');
    fs.writeFileSync(path.join(other, 'c_third.js'), "export const revision = 'cccc';\nexport const downRevision = 'bbbb';\n");
    const missing = path.join(dir, 'does-not-exist');
    assert.deepEqual(revisionFiles([versions, missing, other]), [
      path.join(versions, 'a_first.mjs'),
      path.join(versions, 'b_second.ts'),
      path.join(other, 'c_third.js'),
    ]);
    assert.deepEqual(
      scanRevisions([versions, other]).map((r) => [r.id, r.downRevisions]),
      [
        ['aaaa', []],
        ['bbbb', ['aaaa']],
        ['cccc', ['bbbb']],
      ],
    );
  });
});
