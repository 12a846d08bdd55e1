/**
 * A project works from any folder name: the folder of the config (and of its versions and
 * templates) is a path, never read as a glob, so `app (copy)`, `[v2]`, `we{ir}d*` find their
 * models, revisions and templates as any other folder does. Only what `models` itself says is a glob.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertUserError, configSource, explain, projects, revisionIdOf, ROOT, type TempProject } from './helpers.ts';

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

const WITH_PRICE = PRODUCT.replace('  sku!: string;\n', '  sku!: string;\n\n  @Column({ default: 0 })\n  price!: number;\n');

/** The built-in template with a line of the project's own, to see which one wrote a revision. */
const TEMPLATE = readFileSync(path.join(ROOT, 'templates', 'revision.ts.hbs'), 'utf8').replace(/import type \{ Operations \} from '[^']+';\n/, "$&// written from this project's own template\n");

interface Case {
  /** The project folder's name. */
  folder: string;
  versions: string;
  templates: string;
}

const CASES: Case[] = [
  { folder: 'app (copy)', versions: 'versions', templates: 'templates' },
  { folder: '[v2]', versions: 'versions', templates: 'templates' },
  { folder: 'we{ir}d*', versions: 'versions', templates: 'templates' },
  { folder: '{x,y} a*b?c #1 !', versions: 'versions (main) [1]', templates: 'templates {ours}' },
];

/** Runs makemigrations, migrate and check; returns the revision file written, relative to the project. */
function round(p: TempProject, c: Case, message: string, operation: RegExp): string {
  const made = p.ok(['makemigrations', '-m', message]);
  const file = /^Generated (.+\.ts)$/m.exec(made.stdout)?.[1];
  assert.ok(file, explain(made, 'to print `Generated <file>`'));
  assert.equal(path.dirname(file), c.versions, explain(made, `to write into ${c.versions}/`));
  assert.match(made.stdout, operation, explain(made, `to list ${operation}`));
  const source = p.read(file);
  assert.match(source, /^\/\/ written from this project's own template$/m, `${file} comes from ${c.templates}/revision.ts.hbs`);
  const id = revisionIdOf(source);
  const migrated = p.ok(['migrate']);
  assert.match(migrated.stdout, new RegExp(`^Applied\\s+${id}\\s+${message}$`, 'm'), explain(migrated, `to apply ${id}`));
  assert.match(migrated.stdout, new RegExp(`^Database is now at ${id}\\.$`, 'm'));
  const checked = p.ok(['check']);
  assert.equal(checked.stdout, 'No changes detected: models, database and revisions agree.\n');
  return file;
}

describe('a project in a folder whose name has glob characters', () => {
  for (const c of CASES) {
    it(`${c.folder}: makemigrations, migrate and check, twice`, () => {
      const p = newProject('migrator-paths-', c.folder);
      assert.equal(path.basename(p.dir), c.folder);
      p.writeConfig({ models: ['entities/*.ts'], versions: c.versions, templates: c.templates });
      p.write(path.join(c.templates, 'revision.ts.hbs'), TEMPLATE);
      p.writeEntity('product', PRODUCT);

      const first = round(p, c, 'init', /^ {2}- create table product$/m);
      assert.match(p.read(first), /await op\.createTable\('product'/);
      p.writeEntity('product', WITH_PRICE);
      const second = round(p, c, 'price', /^ {2}- add column product\.price$/m);
      assert.match(p.read(second), new RegExp(`export const downRevision: string \\| string\\[\\] \\| null = '${revisionIdOf(p.read(first))}';`));

      assert.deepEqual(p.versionFiles(c.versions), [path.basename(first), path.basename(second)].sort());
      assert.deepEqual(
        p.query('SELECT name FROM pragma_table_info(?) ORDER BY cid', ['product']).map((r) => r.name),
        ['id', 'sku', 'price'],
      );
    });
  }

  it('[v2]: a folder of .prisma files named in "models" is read, whatever its name', () => {
    const p = newProject('migrator-paths-', '[v2]');
    p.writeConfig({ models: ['schema (old) [1]'] });
    p.write('schema (old) [1]/base.prisma', 'datasource db {\n  provider = "sqlite"\n}\n');
    p.write('schema (old) [1]/models/account.prisma', 'model Account {\n  id   Int    @id @default(autoincrement())\n  name String\n}\n');
    const made = p.ok(['makemigrations', '-m', 'init']);
    assert.match(made.stdout, /^ {2}- create table Account$/m);
    p.ok(['migrate']);
    assert.equal(p.ok(['check']).stdout, 'No changes detected: models, database and revisions agree.\n');
    assert.deepEqual(p.tables(), ['Account', 'migrator_history', 'migrator_version']);
  });

  it('[v2]: a glob that matches nothing is named as the config wrote it', () => {
    const p = newProject('migrator-paths-', '[v2]');
    p.writeConfig({ models: ['models/*.ts'] });
    p.writeEntity('product', PRODUCT);
    const line = assertUserError(p.run(['makemigrations']));
    assert.equal(line, `error: no model files match models/*.ts (from ${p.path('migrator.config.ts')})`);
  });

  it('a file the models glob matches that no model source reads is named, not passed over', () => {
    const p = newProject('migrator-paths-');
    p.writeConfig({ models: ['entities/*'] });
    p.writeEntity('product', PRODUCT);
    p.write('entities/product.js', 'module.exports = {};\n');
    const line = assertUserError(p.run(['makemigrations']));
    assert.equal(
      line,
      `error: ${p.path('entities/product.js')} matches "models" (entities/*, from ${p.path('migrator.config.ts')}), but migrator reads TypeScript entity files (.ts, .tsx, .mts, .cts) and Prisma schemas (.prisma), not this file; narrow the glob`,
    );
    assert.deepEqual(p.versionFiles(), []);
  });

  it('the glob in "models" stays a glob: brackets in it are a set of characters', () => {
    const p = newProject('migrator-paths-', 'app (copy)');
    p.write('migrator.config.ts', configSource({ models: ['entities/[p]roduct.ts'] }));
    p.writeEntity('product', PRODUCT);
    p.ok(['makemigrations', '-m', 'init']);
    p.ok(['migrate']);
    assert.deepEqual(p.tables(), ['migrator_history', 'migrator_version', 'product']);
  });
});
