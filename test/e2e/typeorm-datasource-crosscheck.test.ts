/**
 * The two TypeORM model sources agree: for entity files the static reader can read, the schema
 * TypeORM's own metadata gives through a DataSource (`models: { typeorm: … }`) is deep-equal to
 * the one the static reader builds — the same tables and columns in the same order, the same type
 * and default spellings, the same constraint names, enum types and extensions.
 *
 * Checked on test/fixtures/typeorm (SQLite), test/fixtures/typeorm-pg (PostgreSQL) and the
 * realistic project test/fixtures/typeorm-real (both, with TypeORM's default naming and with
 * typeorm-naming-strategies' SnakeNamingStrategy — given by the DataSource itself, and by the
 * config, which replaces the DataSource's). No database is needed.
 *
 * Each source reads its own copy of the fixture: the DataSource's sees this repository's
 * node_modules (TypeORM must be installed for it); the static reader reads one copy with no
 * packages — as in a project where TypeORM is not installed, which it does not need — and one
 * with them (class-validator's declaration files in reach).
 *
 * Needs the dev dependencies typeorm, reflect-metadata and typeorm-naming-strategies.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { globSync } from 'tinyglobby';
import { DefaultNamingStrategy } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { readDataSource } from '../../src/models/typeorm/datasource.ts';
import { readEntityFiles } from '../../src/models/typescript/reader.ts';
import type { Schema } from '../../src/schema/schema.ts';
import { copyProject, removeTemp, ROOT, tempDir } from '../support/typeorm-datasource.ts';
import { copyFixtures } from '../support/typeorm.ts';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** A DataSource file for `type`, with entities by glob and optionally its own naming strategy. */
function dataSource(type: string, entities: string, naming = false): string {
  return `import 'reflect-metadata';
import { DataSource } from 'typeorm';
${naming ? "import { SnakeNamingStrategy } from 'typeorm-naming-strategies';\n" : ''}
export const AppDataSource = new DataSource({
  type: ${JSON.stringify(type)},
  ${type === 'postgres' ? "url: 'postgres://nowhere.invalid/app'" : "database: 'never-opened.db'"},
  entities: [\`\${__dirname}/${entities}\`],${naming ? '\n  namingStrategy: new SnakeNamingStrategy(),' : ''}
});
`;
}

/** The schemas as JSON lines, for a readable message when they differ. */
function explainDifference(fromStatic: Schema, fromDataSource: Schema): string {
  const lines = (s: Schema): string[] => [
    ...s.tables.flatMap((t) => [`table ${t.name}`, ...Object.entries(t).filter(([k]) => k !== 'name').map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)]),
    `enums: ${JSON.stringify(s.enums)}`,
    `extensions: ${JSON.stringify(s.extensions)}`,
  ];
  const [a, b] = [lines(fromStatic), lines(fromDataSource)];
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push(`- static:     ${a[i]}`, `+ DataSource: ${b[i]}`);
    if (out.length > 20) break;
  }
  return out.join('\n');
}

function assertSame(fromStatic: Schema, fromDataSource: Schema): void {
  assert.ok(fromStatic.tables.length > 0, 'the static reader found no tables');
  assert.deepEqual(fromDataSource, fromStatic, `the DataSource's schema differs from the static reader's:\n${explainDifference(fromStatic, fromDataSource)}`);
}

describe('TypeORM model sources agree: static reader ≡ DataSource', () => {
  let tmp: string;

  before(() => {
    tmp = tempDir('migrator-datasource-crosscheck-');
  });

  /** A project of the files given, with node_modules and a DataSource over its *.ts files. */
  const inlineProject = (name: string, type: string, files: Record<string, string>): string => {
    const empty = path.join(tmp, `${name}-empty`);
    fs.mkdirSync(empty, { recursive: true });
    return copyProject(empty, path.join(tmp, name), { 'data-source.cts': dataSource(type, '*.ts'), ...files });
  };

  /** Two copies of a fixture: one with no packages (the static reader's), one with node_modules. */
  const copies = (fixture: string): { plain: string; installed: string } => {
    const plain = path.join(tmp, 'plain', fixture);
    fs.cpSync(path.join(FIXTURES, fixture), plain, { recursive: true });
    copyFixtures(path.join(FIXTURES, fixture), plain);
    const installed = copyProject(path.join(FIXTURES, fixture), path.join(tmp, 'installed', fixture));
    copyFixtures(path.join(FIXTURES, fixture), installed);
    return { plain, installed };
  };

  after(() => removeTemp(tmp));

  for (const [fixture, dialect, type] of [
    ['typeorm', 'sqlite', 'better-sqlite3'],
    ['typeorm-pg', 'postgres', 'postgres'],
  ] as const) {
    test(`test/fixtures/${fixture} on ${dialect}`, async () => {
      const { plain, installed } = copies(fixture);
      const entities = fs.readdirSync(plain).filter((f) => f.endsWith('.ts')).map((f) => path.join(plain, f)).sort();
      // The DataSource file is no entity file: the glob (*.ts) must not pick it up, hence .cts.
      fs.writeFileSync(path.join(installed, 'data-source.cts'), dataSource(type, '*.ts'));
      assertSame(readEntityFiles(entities, dialect), await readDataSource(path.join(installed, 'data-source.cts'), dialect));
    });
  }

  // TypeORM shortens a junction table's name past 63 characters on PostgreSQL and MySQL (its
  // metadata builder, not the naming strategy), a name given with @JoinTable too; not on SQLite.
  for (const [dialect, type] of [
    ['postgres', 'postgres'],
    ['mysql', 'mysql'],
    ['sqlite', 'better-sqlite3'],
  ] as const) {
    test(`junction tables with long names, and MySQL generated columns, on ${dialect}`, async () => {
      const installed = inlineProject(`long-junctions-${dialect}`, type, {
        'invoice.ts': `import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class OrganizationSubscriptionInvoiceAdjustment {
  @PrimaryGeneratedColumn()
  id!: number;
}

@Entity()
export class OrganizationSubscriptionInvoiceLineItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToMany(() => OrganizationSubscriptionInvoiceAdjustment)
  @JoinTable()
  appliedAdjustmentsForThisLineItem!: OrganizationSubscriptionInvoiceAdjustment[];

  @ManyToMany(() => OrganizationSubscriptionInvoiceAdjustment)
  @JoinTable({ name: 'organization_subscription_invoice_line_item_reviewedAdjustmentsHistory' })
  reviewed!: OrganizationSubscriptionInvoiceAdjustment[];
${
  dialect === 'mysql'
    ? `
  @Column({ type: 'int', nullable: true })
  qty!: number | null;

  @Column({ type: 'int', asExpression: 'qty * 2' })
  doubled!: number;

  @Column({ type: 'int', asExpression: 'qty * 3', generatedType: 'STORED', nullable: true })
  tripled!: number;
`
    : ''
}}
`,
      });
      const fromStatic = readEntityFiles([path.join(installed, 'invoice.ts')], dialect);
      assertSame(fromStatic, await readDataSource(path.join(installed, 'data-source.cts'), dialect));
      const names = fromStatic.tables.map((t) => t.name).filter((n) => !n.startsWith('organization_subscription_invoice_') || n.length > 60);
      assert.deepEqual(
        names.sort(),
        dialect === 'sqlite'
          ? ['organization_subscription_invoice_line_item_applied_adjustments_for_this_line_item_organization_subscription_invoice_adjustment', 'organization_subscription_invoice_line_item_reviewedAdjustmentsHistory']
          : ['org_sub_inv_lin_ite_app_adj_for_thi_lin_ite_org_sub_inv_adj', 'org_sub_inv_lin_ite_reAdHi'],
      );
      if (dialect === 'mysql') {
        const item = fromStatic.tables.find((t) => t.name === 'organization_subscription_invoice_line_item')!;
        assert.deepEqual(
          item.columns.filter((c) => c.generated).map((c) => [c.name, c.generated, c.virtual ?? false, c.nullable]),
          [
            ['doubled', 'qty * 2', true, true],
            ['tripled', 'qty * 3', false, true],
          ],
        );
      }
    });
  }

  // PostGIS is not installed beside this machine's PostgreSQL, so spatial columns are judged here,
  // by TypeORM's own driver, rather than by synchronize.
  for (const [dialect, type] of [
    ['postgres', 'postgres'],
    ['mysql', 'mysql'],
  ] as const) {
    test(`spatial columns (spatialFeatureType, srid) on ${dialect}`, async () => {
      const geo = dialect === 'postgres' ? 'geography' : 'geometry';
      const installed = inlineProject(`spatial-${dialect}`, type, {
        'place.ts': `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Place {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ spatial: true })
  @Column({ type: '${geo}', spatialFeatureType: 'Point', srid: 4326 })
  location!: string;

  @Column({ type: 'geometry', spatialFeatureType: 'Polygon', nullable: true })
  area!: string | null;

  @Column({ type: 'geometry', srid: 3857, nullable: true })
  shape!: string | null;
}
`,
      });
      const fromStatic = readEntityFiles([path.join(installed, 'place.ts')], dialect);
      assertSame(fromStatic, await readDataSource(path.join(installed, 'data-source.cts'), dialect));
      const types = fromStatic.tables[0].columns.map((c) => c.type);
      assert.deepEqual(types.slice(1), dialect === 'postgres' ? ['geography(Point,4326)', 'geometry(Polygon)', 'geometry'] : ['geometry', 'geometry', 'geometry']);
    });
  }

  test('columns on accessors (a setter, a getter) are read as TypeORM registers them', async () => {
    const installed = inlineProject('accessors', 'postgres', {
      'conn.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Conn {
  @PrimaryGeneratedColumn()
  id!: number;

  private _port: number | null = null;
  private _kind = 'pg';

  // On the setter: the type is its parameter's.
  @Column({ type: 'int', nullable: true })
  public set port(value: number | null) {
    this._port = value;
  }
  public get port(): number | null {
    return this._port;
  }

  // On the getter, with the setter after it: the setter's parameter still gives the type.
  @Column({ name: 'connectionType' })
  public get kind(): string {
    return this._kind;
  }
  public set kind(value: string) {
    this._kind = value;
  }

  @Column({ default: false })
  get archived(): boolean {
    return false;
  }
}
`,
    });
    const fromStatic = readEntityFiles([path.join(installed, 'conn.ts')], 'postgres');
    assertSame(fromStatic, await readDataSource(path.join(installed, 'data-source.cts'), 'postgres'));
    assert.deepEqual(fromStatic.tables[0].columns.map((c) => `${c.name} ${c.type}`), ['id integer', 'port integer', 'connectionType character varying', 'archived boolean']);
  });

  test("a naming strategy's tree names (closure table, materialized path, nested set) are used as TypeORM uses them", async () => {
    const installed = inlineProject('trees', 'postgres', {
      'trees.ts': `import { Entity, PrimaryGeneratedColumn, Tree, TreeChildren, TreeParent } from 'typeorm';

@Entity()
@Tree('closure-table')
export class Category {
  @PrimaryGeneratedColumn()
  id!: number;

  @TreeParent()
  parent!: Category | null;

  @TreeChildren()
  children!: Category[];
}

@Entity()
@Tree('materialized-path')
export class Folder {
  @PrimaryGeneratedColumn()
  id!: number;

  @TreeParent()
  parent!: Folder | null;

  @TreeChildren()
  children!: Folder[];
}

@Entity()
@Tree('nested-set')
export class Section {
  @PrimaryGeneratedColumn()
  id!: number;

  @TreeParent()
  parent!: Section | null;

  @TreeChildren()
  children!: Section[];
}
`,
    });
    class TreeNames extends DefaultNamingStrategy {
      override closureJunctionTableName(name: string): string {
        return `${name}_paths`;
      }
    }
    const naming = Object.assign(new TreeNames(), { materializedPathColumnName: 'path_str', nestedSetColumnNames: { left: 'lft', right: 'rgt' } });
    const fromStatic = readEntityFiles([path.join(installed, 'trees.ts')], 'postgres', { namingStrategy: naming });
    assertSame(fromStatic, await readDataSource(path.join(installed, 'data-source.cts'), 'postgres', { namingStrategy: naming }));
    assert.deepEqual(fromStatic.tables.map((t) => `${t.name}: ${t.columns.map((c) => c.name).join(' ')}`).sort(), [
      'category: id parentId',
      'category_paths: id_ancestor id_descendant',
      'folder: id path_str parentId',
      'section: id lft rgt parentId',
    ]);
  });

  test('members named by a computed key take the key\'s value, as TypeORM registers them', async () => {
    const installed = inlineProject('computed', 'postgres', {
      'keys.ts': `export const KEY = 'viaConst';
export const Keys = { total: 'grandTotal' } as const;
`,
      'line.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { KEY, Keys } from './keys';

@Entity()
export class Line {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  ['computedKey']!: number;

  @Column()
  [KEY]!: number;

  @Column({ nullable: true })
  [Keys.total]!: string;
}
`,
    });
    const fromStatic = readEntityFiles([path.join(installed, 'line.ts')], 'postgres');
    assertSame(fromStatic, await readDataSource(path.join(installed, 'data-source.cts'), 'postgres'));
    assert.deepEqual(fromStatic.tables[0].columns.map((c) => c.name), ['id', 'computedKey', 'viaConst', 'grandTotal']);
  });

  test('a view TypeORM leaves alone (synchronize: false) is no table to either source', async () => {
    const installed = inlineProject('views', 'postgres', {
      'item.ts': `import { Column, Entity, PrimaryGeneratedColumn, ViewColumn, ViewEntity } from 'typeorm';

@Entity()
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  name!: string;
}

@ViewEntity('item_names', { synchronize: false, expression: 'SELECT name FROM item' })
export class ItemName {
  @ViewColumn()
  name!: string;
}

@ViewEntity({ name: 'item_count', synchronize: false })
export class ItemCount {
  @ViewColumn()
  total!: number;
}
`,
    });
    const fromStatic = readEntityFiles([path.join(installed, 'item.ts')], 'postgres');
    assertSame(fromStatic, await readDataSource(path.join(installed, 'data-source.cts'), 'postgres'));
    assert.deepEqual(fromStatic.tables.map((t) => t.name), ['item']);
  });

  describe('test/fixtures/typeorm-real', () => {
    let project: string;
    let entities: string[];

    before(() => {
      const { plain, installed } = copies('typeorm-real');
      project = installed;
      entities = globSync('src/**/*.entity.ts', { cwd: plain, absolute: true }).sort();
      for (const type of ['postgres', 'better-sqlite3']) {
        fs.writeFileSync(path.join(project, `${type}.data-source.ts`), dataSource(type, 'src/**/*.entity.ts'));
        fs.writeFileSync(path.join(project, `${type}.snake.data-source.ts`), dataSource(type, 'src/**/*.entity.ts', true));
      }
    });

    for (const [dialect, type] of [
      ['postgres', 'postgres'],
      ['sqlite', 'better-sqlite3'],
    ] as const) {
      test(`${dialect}, TypeORM's default naming`, async () => {
        const fromDataSource = await readDataSource(path.join(project, `${type}.data-source.ts`), dialect);
        assertSame(readEntityFiles(entities, dialect), fromDataSource);
        const withPackages = globSync('src/**/*.entity.ts', { cwd: project, absolute: true }).sort();
        assertSame(readEntityFiles(withPackages, dialect), fromDataSource);
      });

      test(`${dialect}, SnakeNamingStrategy given by the DataSource`, async () => {
        const fromStatic = readEntityFiles(entities, dialect, { namingStrategy: new SnakeNamingStrategy() });
        assertSame(fromStatic, await readDataSource(path.join(project, `${type}.snake.data-source.ts`), dialect));
      });

      test(`${dialect}, SnakeNamingStrategy given by the config, replacing the DataSource's`, async () => {
        const naming = new SnakeNamingStrategy();
        const fromStatic = readEntityFiles(entities, dialect, { namingStrategy: naming });
        assertSame(fromStatic, await readDataSource(path.join(project, `${type}.data-source.ts`), dialect, { namingStrategy: naming }));
      });
    }
  });
});
