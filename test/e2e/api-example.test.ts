/**
 * The README's programmatic API, as a user's TypeScript file importing 'ts-migrator': it
 * type-checks against the package's declarations (dist/index.d.ts), and it runs on SQLite —
 * migrate at start-up, check in a test, status for a health endpoint.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { importModule } from '../../src/loader.ts';
import { configSource, itemEntity, projects } from './helpers.ts';

const newProject = projects();

const EXAMPLE = `import { commands, MigratorError, Project, type CheckResult, type MoveResult, type Status, type StepResult } from 'ts-migrator';

export async function startUp(cwd: string): Promise<{ applied: string[]; check: CheckResult; health: number; status: Status }> {
  const project = await Project.load({ cwd });
  const applied: string[] = [];
  const result: MoveResult = await commands.upgrade(project, 'heads', { onStep: (s: StepResult) => void applied.push(s.revision) });
  if (result.to.length !== 1) throw new MigratorError('expected one head');
  const check = await commands.check(project);
  const status = await commands.status(project);
  return { applied, check, health: status.upToDate ? 200 : 503, status };
}
`;

const ITEM = itemEntity('ts-migrator');

describe('the programmatic API, as the README shows it', () => {
  it('type-checks against the published declarations and runs on SQLite', async () => {
    const p = newProject('migrator-api-');
    p.writeConfig();
    p.writeEntity('item', ITEM);
    const file = p.write('start-up.ts', EXAMPLE);
    const dts = path.resolve(import.meta.dirname, '..', '..', 'dist', 'index.d.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [path.resolve(import.meta.dirname, '..', '..', 'node_modules', '@types')],
      paths: { 'ts-migrator': [dts] },
    });
    assert.deepEqual(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);

    p.ok(['makemigrations', '-m', 'create item', '--rev-id', 'abc000000001']);
    assert.equal(configSource().includes("from 'migrator'"), true, 'the config still imports the old specifier');
    const { startUp } = (await importModule(file)) as { startUp: (cwd: string) => Promise<{ applied: string[]; check: { clean: boolean }; health: number }> };
    const first = await startUp(p.dir);
    assert.deepEqual(first.applied, ['abc000000001']);
    assert.equal(first.check.clean, true);
    assert.equal(first.health, 200);
    // Started again: nothing to apply.
    assert.deepEqual((await startUp(p.dir)).applied, []);
  });
});
