/**
 * A project's TypeScript compiled for its DataSource as its own build compiles it: the compiler
 * migrator carries (TypeScript 6, which checks strictly unless told not to) must write the
 * `design:type` the project's own TypeScript writes when its tsconfig says nothing of `strict` —
 * `String` for a `string | null` property under TypeScript 5, `Object` under 6 — as the static
 * reader takes it. Each test writes a small project into a temporary folder.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ProjectCompiler } from '../../src/models/typeorm/compile.js';
import { SourceProject } from '../../src/models/typescript/project.js';
import { tsc } from '../../src/models/typescript/compiler-api.js';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const ENTITY = `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class Term {
  @PrimaryColumn() id!: string;
  @Column({ nullable: true }) context!: string | null;
}
`;

/** A project with `tsconfig` and, if given, the TypeScript version its node_modules holds. */
function project(compilerOptions: Record<string, unknown>, typescript?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-compile-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, ...compilerOptions } }));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'term.ts'), ENTITY);
  if (typescript) {
    fs.mkdirSync(path.join(root, 'node_modules', 'typescript'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'typescript', 'package.json'), JSON.stringify({ name: 'typescript', version: typescript }));
  }
  return root;
}

/** The design:type the compiled file gives `context`, and whether the static reader takes nulls as their own type there. */
function contextType(root: string): { emitted: string; staticStrict: boolean } {
  const file = path.join(root, 'src', 'term.ts');
  const code = new ProjectCompiler().compile(file);
  const types = [...code.matchAll(/__metadata\("design:type", (\w+)\)/g)].map((m) => m[1]);
  const sf = tsc.createSourceFile(file, ENTITY, tsc.ScriptTarget.Latest, true);
  return { emitted: types[1], staticStrict: new SourceProject(() => false).strictNullChecks(sf) };
}

describe('compiling a DataSource project: strictness as the project\'s TypeScript has it', () => {
  it('TypeScript 5, tsconfig silent: not strict, String (as tsc 5 writes it)', () => {
    assert.deepEqual(contextType(project({}, '5.4.5')), { emitted: 'String', staticStrict: false });
  });

  it('no TypeScript installed: taken as 5', () => {
    assert.deepEqual(contextType(project({})), { emitted: 'String', staticStrict: false });
  });

  it('TypeScript 6, tsconfig silent: strict, Object', () => {
    assert.deepEqual(contextType(project({}, '6.0.2')), { emitted: 'Object', staticStrict: true });
  });

  it('what the tsconfig says wins either way', () => {
    assert.deepEqual(contextType(project({ strict: true }, '5.4.5')), { emitted: 'Object', staticStrict: true });
    assert.deepEqual(contextType(project({ strict: false }, '6.0.2')), { emitted: 'String', staticStrict: false });
    assert.deepEqual(contextType(project({ strictNullChecks: false, strict: true }, '5.4.5')), { emitted: 'String', staticStrict: false });
  });
});

describe('compiling a DataSource project: the standard library', () => {
  it("a property typed with an imported alias of a library type (Record<…>) is Object, as the project's build writes it", () => {
    const root = project({});
    fs.writeFileSync(path.join(root, 'src', 'types.ts'), 'export type Flags = Record<string, boolean>;\nexport type Part = Partial<{ a: number }>;\n');
    const file = path.join(root, 'src', 'account.ts');
    fs.writeFileSync(
      file,
      `import { Column, Entity, PrimaryColumn } from 'typeorm';\nimport { Flags, Part } from './types';\n@Entity()\nexport class Account {\n  @PrimaryColumn() id!: string;\n  @Column('simple-json') flags!: Flags;\n  @Column('simple-json') part!: Part;\n}\n`,
    );
    // No TypeScript with its library up this folder: the one migrator carries serves.
    assert.ok(!fs.existsSync(path.join(root, 'node_modules', 'typescript', 'lib')));
    const code = new ProjectCompiler().compile(file);
    assert.deepEqual([...code.matchAll(/__metadata\("design:type", ([^)]*)\)/g)].map((m) => m[1]), ['String', 'Object', 'Object']);
    assert.doesNotMatch(code, /types_1/);
  });
});
