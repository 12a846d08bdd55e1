/**
 * `models: { typeorm: … }` when the DataSource cannot be read: each failure is exit 2 and one line
 * on stderr that names the DataSource file and says what to do — never a stack trace.
 *
 * Needs the CLI built (`npx tsc -p tsconfig.json`) and the dev dependency typeorm.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyProject, dataSourceConfig, migrator, removeTemp, ROOT, show, tempDir, type CliResult } from '../support/typeorm-datasource.ts';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'typeorm-datasource');

/** Exit 2, one line on stderr, naming `file` and matching `pattern`. */
function failsWith(r: CliResult, file: string, pattern: RegExp): void {
  assert.equal(r.status, 2, show(r));
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr\n${show(r)}`);
  assert.ok(lines[0].includes(file), `the message does not name ${file}\n${show(r)}`);
  assert.match(lines[0], pattern, show(r));
  assert.doesNotMatch(r.stderr, /^\s+at /m, show(r));
}

describe('TypeORM DataSource as the model source: errors', () => {
  let tmp: string;
  /** A copy of the fixture project with a data source file of one's own and a config pointing at it. */
  const project = (name: string, dataSource: string | undefined, options: { database?: string; config?: string } = {}): string => {
    const dir = path.join(tmp, name);
    const files: Record<string, string> = { 'migrator.config.ts': options.config ?? dataSourceConfig(options.database ?? 'sqlite:./app.db', 'src/data-source.ts') };
    if (dataSource !== undefined) files['src/data-source.ts'] = dataSource;
    return copyProject(FIXTURE, dir, files);
  };

  before(() => {
    tmp = tempDir('migrator-datasource-errors-');
  });

  after(() => removeTemp(tmp));

  test('a DataSource file that does not exist', () => {
    const dir = project('missing', undefined);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /does not exist/);
  });

  test('a file that exports no DataSource', () => {
    const dir = project('no-export', `import { DataSource } from 'typeorm';\nexport const options = { type: 'better-sqlite3', database: ':memory:' };\nexport function make() { return new DataSource(options as never); }\n`);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /exports no TypeORM DataSource \(it exports options, make\); export one/);
  });

  test('a file that exports two DataSources', () => {
    const dir = project(
      'two',
      `import { DataSource } from 'typeorm';\nexport const Main = new DataSource({ type: 'better-sqlite3', database: ':memory:' });\nexport const Reports = new DataSource({ type: 'better-sqlite3', database: ':memory:' });\nexport default Main;\n`,
    );
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /exports several DataSources \(Main = default, Reports\)/);
  });

  test('a DataSource whose type is not the database', () => {
    const dir = project('mismatch', `import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'postgres', url: 'postgres://nowhere.invalid/app', entities: [] });\n`);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /the DataSource's type is "postgres", but the database is SQLite/);
  });

  test('a DataSource of another database family', () => {
    const dir = project('mysql', `import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'mysql', database: 'app', entities: [] });\n`);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /the DataSource's type is "mysql", but the database is SQLite/);
  });

  test('a DataSource file that throws while loading', () => {
    const dir = project('throws', `import { DataSource } from 'typeorm';\nif (!process.env.APP_SECRET) throw new Error('APP_SECRET is not set\\nsee the docs');\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:' });\n`);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /cannot load the DataSource file: APP_SECRET is not set \(at .*data-source\.ts:2\)/);
  });

  test('an entity TypeORM refuses', () => {
    const dir = project(
      'bad-entity',
      `import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nclass Broken {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column() note!: string | null;\n}\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Broken] });\n`,
    );
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /TypeORM cannot build the entity metadata: Data type "Object" in "Broken.note" is not supported/);
  });

  test('an entity without a primary column: TypeORM\'s refusal, with the file and line of the class', () => {
    const dir = project('no-primary', `import { DataSource } from 'typeorm';\nimport { Note } from './note.entity';\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Note] });\n`);
    const entity = path.join(dir, 'src', 'note.entity.ts');
    fs.writeFileSync(entity, `import { Column, Entity } from 'typeorm';\n\n/** Free text. */\n@Entity()\nexport class Note {\n  @Column() body!: string;\n}\n`);
    const r = migrator(dir, {}, 'makemigrations', '-m', 'notes');
    failsWith(r, path.join(dir, 'src', 'data-source.ts'), /Entity "Note" does not have a primary column/);
    assert.ok(r.stderr.includes(`(at ${entity}:4)`), show(r));
    assert.ok(!fs.existsSync(path.join(dir, 'versions')) || fs.readdirSync(path.join(dir, 'versions')).every((f) => !f.endsWith('.ts')), show(r));
  });

  test('a project without TypeORM installed', () => {
    // No node_modules anywhere above it: typeorm cannot be resolved from the file's folder.
    const dir = path.join(tmp, 'no-typeorm');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'migrator.config.ts'), dataSourceConfig('sqlite:./app.db', 'data-source.ts'));
    fs.writeFileSync(path.join(dir, 'data-source.ts'), `import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:' });\n`);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'data-source.ts'), /TypeORM is not installed for this file/);
  });

  test('a project on TypeORM 0.2, which has no DataSource', () => {
    const dir = path.join(tmp, 'typeorm-0.2');
    fs.mkdirSync(path.join(dir, 'node_modules', 'typeorm'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'typeorm', 'package.json'), JSON.stringify({ name: 'typeorm', version: '0.2.45', main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'node_modules', 'typeorm', 'index.js'), 'exports.createConnection = () => undefined;\n');
    fs.writeFileSync(path.join(dir, 'migrator.config.ts'), dataSourceConfig('sqlite:./app.db', 'data-source.ts'));
    fs.writeFileSync(path.join(dir, 'data-source.ts'), `import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:' });\n`);
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'data-source.ts'), /TypeORM is 0\.2\.45, which has no DataSource.*models: \['src\/\*\*\/\*\.entity\.ts'\]/);
  });

  test("the config's naming strategy returning no name", () => {
    const naming = `const naming = { tableName: (target: string, given?: string) => given ?? (target === 'Customer' ? '' : target.toLowerCase()), columnName: (p: string, given?: string) => given ?? p };`;
    const dir = project('naming', undefined, { config: dataSourceConfig('sqlite:./app.db', 'data-source.ts', naming).replace(' versions:', ' namingStrategy: naming, versions:') });
    failsWith(migrator(dir, { APP_DB: 'sqlite' }, 'check'), path.join(dir, 'data-source.ts'), /namingStrategy\.tableName\("Customer", undefined\) returned ""; it must return a name/);
  });

  test('a DataSource with no entities is refused, rather than read as a schema without tables', () => {
    const dir = project('no-entities', `import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ['src/models/*.js'] });\n`);
    failsWith(migrator(dir, {}, 'makemigrations', '-m', 'x'), path.join(dir, 'src', 'data-source.ts'), /the DataSource has no entities \(its entities option, src\/models\/\*\.js, matches none\), so every table would be dropped; list the entity classes, or fix the globs/);
    assert.ok(!fs.existsSync(path.join(dir, 'versions')) || fs.readdirSync(path.join(dir, 'versions')).every((f) => !f.endsWith('.ts')));
  });

  test('a column whose decorator the project defers to the event loop is read, as TypeORM has it once it has connected', () => {
    const dir = project(
      'deferred',
      `import { Column, ColumnOptions, DataSource, Entity, PrimaryColumn } from 'typeorm';
const flags: Record<string, boolean> = { notes: true, legacy: false };
function FlagColumn(flag: string, options: ColumnOptions): PropertyDecorator {
  return (target, key) => {
    setImmediate(() => {
      if (flags[flag]) Column(options)(target, key);
    });
  };
}
@Entity()
class Memo {
  @PrimaryColumn() id!: string;
  @FlagColumn('notes', { type: 'text', nullable: true }) note!: string | null;
  @FlagColumn('legacy', { type: 'text', nullable: true }) old!: string | null;
}
export default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Memo] });
`,
    );
    const r = migrator(dir, {}, 'makemigrations', '-m', 'memo');
    assert.equal(r.status, 0, show(r));
    const [file] = fs.readdirSync(path.join(dir, 'versions')).filter((f) => f.endsWith('.ts'));
    const revision = fs.readFileSync(path.join(dir, 'versions', file), 'utf8');
    assert.match(revision, /\{ name: 'note', type: 'text', nullable: true \}/, revision);
    assert.doesNotMatch(revision, /'old'/, revision);
  });

  test("an ES-module DataSource that finds its own folder (const __dirname = …import.meta.url) is read, and its errors keep their lines", () => {
    const source = (extra: string): string => `import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';

const __filename = fileURLToPath(import.meta.url);
const __dirname = path.dirname(__filename);
${extra}
export default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [path.join(__dirname, '*.entity.{ts,js}')] });
`;
    const entity = `import { Column, Entity, PrimaryColumn } from 'typeorm';\n@Entity()\nexport class Memo {\n  @PrimaryColumn() id!: string;\n  @Column() note!: string;\n}\n`;
    const dir = project('esm-dirname', source(''));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    fs.writeFileSync(path.join(dir, 'src', 'memo.entity.ts'), entity);
    const r = migrator(dir, {}, 'makemigrations', '-m', 'memo');
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /create table memo/);

    // Line 7 of the file, as written.
    const broken = project('esm-dirname-throws', source("if (__dirname) throw new Error('no config here');"));
    fs.writeFileSync(path.join(broken, 'package.json'), JSON.stringify({ type: 'module' }));
    failsWith(migrator(broken, {}, 'makemigrations', '-m', 'memo'), 'data-source.ts', /no config here.*data-source\.ts:7\b/);
  });

  test('an enum a package exports is the type its values say, as the project\'s own build writes it', () => {
    const dir = project(
      'package-enum',
      `import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { Channel, LogType } from '@acme/contracts';
@Entity()
class Log {
  @PrimaryColumn() id!: string;
  @Column({ nullable: true }) type!: LogType;
  @Column({ nullable: true }) channel!: Channel;
}
export default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Log] });
`,
    );
    // A workspace package, compiled: its JavaScript and its declarations.
    const pkg = path.join(dir, 'src', 'node_modules', '@acme', 'contracts');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@acme/contracts', main: 'index.js', types: 'index.d.ts' }));
    fs.writeFileSync(
      path.join(pkg, 'index.js'),
      'var LogType; (function (t) { t[t["Collection"] = 0] = "Collection"; t[t["Media"] = 1] = "Media"; })(LogType || (exports.LogType = LogType = {}));\nexports.Channel = { Mail: "mail", Push: "push" };\n',
    );
    fs.writeFileSync(path.join(pkg, 'index.d.ts'), 'export declare enum LogType { Collection = 0, Media = 1 }\nexport declare enum Channel { Mail = "mail", Push = "push" }\n');
    const r = migrator(dir, {}, 'makemigrations', '-m', 'log');
    assert.equal(r.status, 0, show(r));
    const [file] = fs.readdirSync(path.join(dir, 'versions')).filter((f) => f.endsWith('.ts'));
    const revision = fs.readFileSync(path.join(dir, 'versions', file), 'utf8');
    assert.match(revision, /\{ name: 'type', type: 'integer', nullable: true \}/, revision);
    assert.match(revision, /\{ name: 'channel', type: 'varchar', nullable: true \}/, revision);
  });

  test("a junction table that is also an entity's table is refused, saying how to keep both", () => {
    const dir = project(
      'junction-entity',
      `import { DataSource, Entity, JoinTable, ManyToMany, PrimaryColumn } from 'typeorm';
@Entity()
class Label {
  @PrimaryColumn() id!: number;
}
@Entity()
class Item {
  @PrimaryColumn() id!: number;
  @ManyToMany(() => Label) @JoinTable({ name: 'item_label' }) labels!: Label[];
}
@Entity('item_label')
class ItemLabel {
  @PrimaryColumn() itemId!: number;
  @PrimaryColumn() labelId!: number;
}
export default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Label, Item, ItemLabel] });
`,
    );
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /both map to table "item_label"; the junction table of a many-to-many of Item is also an entity's table: give it another name \(@JoinTable\(\{ name \}\)\), or leave it to the entity with @JoinTable\(\{ synchronize: false \}\)/);
  });

  test('a view entity is refused, not dropped', () => {
    const dir = project(
      'view',
      `import { DataSource, ViewColumn, ViewEntity } from 'typeorm';\n@ViewEntity({ expression: 'SELECT 1 AS one' })\nclass One {\n  @ViewColumn() one!: number;\n}\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [One] });\n`,
    );
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /the view entities One would be created as views/);
  });

  test("a many-to-many a view left alone owns: its junction's key to the view is refused, as the entity reader refuses it", () => {
    const dir = project(
      'view-junction',
      `import { DataSource, Entity, JoinTable, ManyToMany, PrimaryColumn, PrimaryGeneratedColumn, ViewColumn, ViewEntity } from 'typeorm';\n@Entity()\nclass Organization {\n  @PrimaryGeneratedColumn() id!: number;\n}\n@ViewEntity('user_view', { synchronize: false })\nclass UserView {\n  @ViewColumn() @PrimaryColumn() id!: number;\n  @ManyToMany(() => Organization) @JoinTable() orgs!: Organization[];\n}\nexport default new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Organization, UserView] });\n`,
    );
    failsWith(migrator(dir, {}, 'check'), path.join(dir, 'src', 'data-source.ts'), /the junction table "user_view_orgs_organization" \(a many-to-many of UserView\) has a foreign key to the view "user_view", which the database refuses/);
  });
});
