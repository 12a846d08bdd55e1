/**
 * What a config file's default export may be: the config object, or a Promise of it (awaited, as
 * an async config in Vite); a function is refused with a message saying what to export.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertUserError, explain, itemEntity, projects, type TempProject } from './helpers.ts';

const newProject = projects();

/** A project whose config file is `source`, with one entity. */
function projectWithConfig(source: string): TempProject {
  const p = newProject('migrator-config-export-');
  p.writeEntity('item', itemEntity());
  p.write('migrator.config.ts', source);
  return p;
}

/** The config's options, for a file to build in its own way. */
const OPTIONS = `{ database: 'sqlite:./from-async.db', models: ['entities/*.ts'], versions: 'versions', versionTable: 'async_version' }`;

describe('a config whose default export is a Promise', () => {
  const cases: [string, string][] = [
    [
      'an async function called in place',
      `import { defineConfig } from 'migrator';\n\nexport default (async () => defineConfig(${OPTIONS}))();\n`,
    ],
    [
      'a loader that awaits before it returns',
      `import { defineConfig } from 'migrator';

async function loadConfigAsync() {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return defineConfig(${OPTIONS});
}

export default loadConfigAsync();
`,
    ],
  ];
  for (const [name, source] of cases) {
    it(`${name}: is awaited, and its options are the ones used`, () => {
      const p = projectWithConfig(source);
      const made = p.ok(['makemigrations', '-m', 'item', '--rev-id', 'item00000001']);
      assert.match(made.stdout, /^Generated versions\/\d{8}_\d{6}_item00000001_item\.ts$/m, explain(made, 'to write into the configured versions/'));
      p.ok(['migrate']);
      assert.deepEqual(p.tables('from-async.db'), ['async_history', 'async_version', 'item']);
      assert.deepEqual(p.query('SELECT version_num FROM async_version', [], 'from-async.db'), [{ version_num: 'item00000001' }]);
      assert.ok(!p.exists('app.db'), 'no other database was made');
    });
  }

  it('a rejected Promise is an error naming the file and the reason', () => {
    const p = projectWithConfig(`export default (async () => {\n  throw new Error('the vault is sealed');\n})();\n`);
    const r = p.run(['migrate']);
    const line = assertUserError(r);
    assert.equal(line, `error: ${p.path('migrator.config.ts')}: the Promise of the default export was rejected: the vault is sealed`);
    assert.deepEqual(p.versionFiles(), []);
    assert.ok(!p.exists('from-async.db') && !p.exists('app.db'), 'no database was made');
  });
});

describe('a config whose default export is a function', () => {
  for (const [name, source] of [
    ['an arrow function', `import { defineConfig } from 'migrator';\n\nexport default () => defineConfig(${OPTIONS});\n`],
    ['an async function', `import { defineConfig } from 'migrator';\n\nexport default async function config() {\n  return defineConfig(${OPTIONS});\n}\n`],
  ]) {
    it(`${name}: is refused, saying to export the object or call the function`, () => {
      const p = projectWithConfig(source);
      for (const args of [['migrate'], ['makemigrations', '-m', 'item']]) {
        const r = p.run(args);
        const line = assertUserError(r);
        assert.equal(
          line,
          `error: ${p.path('migrator.config.ts')}: the default export is a function; export the config object instead (export default defineConfig({ … })), or call the function (export default makeConfig())`,
        );
      }
      assert.deepEqual(p.versionFiles(), []);
      assert.ok(!p.exists('from-async.db'), 'no database was made');
    });
  }
});
