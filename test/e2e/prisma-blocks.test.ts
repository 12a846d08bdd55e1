/**
 * A Prisma schema file is parsed one top-level block at a time. What the reader gets must be
 * exactly what one parse of the whole file gives — every block, comment and blank line, in order,
 * with the same line and offset on every node — whatever the file holds between and inside its
 * blocks; a file whose blocks cannot be told apart is parsed whole, and a syntax error is
 * reported at the line the whole file gives it.
 *
 * Run on the built modules in a child process: prisma-ast cannot be loaded under this runner's
 * TypeScript hooks (see prisma-reader.test.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-prisma-blocks-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** For each file: the blocks parse and the whole parse, as JSON, or the error each gives. */
function parseBoth(files: Record<string, string>): Record<string, { blocks: string; whole: string; cuts: number | null }> {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const source = pathToFileURL(path.join(ROOT, 'dist', 'models', 'prisma', 'source.js')).href;
  const script = `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    import { parseSchemaFile, prepareSource, splitBlocks } from ${JSON.stringify(source)};
    const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
    const { getSchema, PrismaParser, VisitorClassFactory } = await import(require.resolve('@mrleebo/prisma-ast'));
    const out = {};
    for (const file of ${JSON.stringify(Object.keys(files).map((f) => path.join(dir, f)))}) {
      const settle = async (f) => { try { return JSON.stringify(await f()); } catch (e) { return 'error: ' + e.message.split('\\n')[0]; } };
      const text = prepareSource(readFileSync(file, 'utf8'), file);
      const parser = new PrismaParser({ nodeLocationTracking: 'full' });
      const whole = await settle(() => getSchema(text, { parser, visitor: new (VisitorClassFactory(parser))(parser) }));
      out[file.split('/').pop()] = { blocks: await settle(() => parseSchemaFile(file)), whole, cuts: splitBlocks(text)?.length ?? null };
    }
    console.log(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';

describe('Prisma schema parsed block by block', () => {
  it('gives what one parse of the whole file gives, locations included', () => {
    const files: Record<string, string> = {
      // Doc comments and rename hints right above blocks, blank lines and none between blocks.
      'hints.prisma': `${DATASOURCE}
generator client {
  provider = "prisma-client-js"
}
/// a user
/// @renamedFrom Person
model User {
  id    Int    @id
  /// @renamedFrom mail
  email String @unique
}
model Post {
  id Int @id
}


// a comment between blocks

enum Role {
  ADMIN // inline
  USER
}
`,
      // Braces, block words and comment marks inside strings and comments; a field named like a
      // block word at the start of its line; a block comment (blanked before parsing).
      'tricky.prisma': `${DATASOURCE}
model A {
model String @default("} model B {")
enum  String @default("// not a comment")
  id Int @id
  // } model C {
  /* a block comment
     model D { */
  note String? @map("n{o}te")

  @@map("a_{table}")
}
view V {
  id Int @unique
}
type T {
  x Int
}
`,
      // Many blocks, as a large schema has.
      'many.prisma': `${DATASOURCE}\n${Array.from({ length: 60 }, (_, i) => `model M${i} {\n  id   Int    @id\n  name String @db.VarChar(${i + 1})\n\n  @@index([name], map: "m${i}_name")\n}\n`).join('\n')}`,
    };
    const got = parseBoth(files);
    assert.equal(got['hints.prisma'].cuts, 5);
    assert.equal(got['tricky.prisma'].cuts, 4, 'a block word inside a block, a string or a comment starts no block');
    assert.equal(got['many.prisma'].cuts, 61);
    for (const [name, { blocks, whole }] of Object.entries(got)) {
      assert.ok(!whole.startsWith('error'), `${name}: ${whole}`);
      assert.equal(blocks, whole, name);
    }
    // The locations are the file's: the last model of many.prisma starts where the file has it.
    const many = JSON.parse(got['many.prisma'].blocks) as { list: { type: string; name?: string; location?: { startLine: number; startOffset: number } }[] };
    const last = many.list.find((b) => b.name === 'M59')!;
    const lines = files['many.prisma'].split('\n');
    assert.equal(lines[last.location!.startLine - 1], 'model M59 {');
    assert.equal(files['many.prisma'].slice(last.location!.startOffset, last.location!.startOffset + 9), 'model M59');
  });

  it('parses whole a file whose braces do not balance, and reports a syntax error at its line in the file', () => {
    const got = parseBoth({
      'open.prisma': `${DATASOURCE}\nmodel A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n`,
      'bad.prisma': `${DATASOURCE}\nmodel A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n  name String @default(\n}\n`,
    });
    assert.equal(got['open.prisma'].cuts, null);
    // model B opens (line 9) where model A's closing brace is missing.
    assert.match(got['open.prisma'].blocks, /^error: .*open\.prisma:9: syntax error: Expecting --> '\}' <-- but found --> '\{' <--; fix the schema and run again$/);
    assert.equal(got['bad.prisma'].cuts, 3);
    for (const name of ['open.prisma', 'bad.prisma']) {
      const { blocks, whole } = got[name];
      assert.ok(whole.startsWith('error: ') && blocks.includes(`syntax error: ${whole.slice('error: '.length)};`), `${name}: ${blocks} / ${whole}`);
    }
    assert.match(got['bad.prisma'].blocks, /^error: .*bad\.prisma:12: syntax error: /);
  });
});
