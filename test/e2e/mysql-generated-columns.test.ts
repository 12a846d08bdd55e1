/**
 * Generated columns on MySQL/MariaDB, from TypeORM entities (`asExpression`, `generatedType`
 * VIRTUAL — TypeORM's default there — or STORED), as real projects write them: a soft-delete flag
 * `IF(deletedAt IS NULL, 1, NULL)` under a unique index, a stored total under an index.
 *
 *  - On the database TypeORM `synchronize` built (`type: 'mariadb'`), `check` finds nothing, with
 *    the entity files or TypeORM's own metadata as the models; a fresh database migrator builds
 *    has the same columns, expressions and indexes.
 *  - Given another expression (MODIFY, the index kept), made VIRTUAL (dropped and added in its
 *    place, the index built again), made plain (its computed values kept, then writable), made
 *    STORED again (a destructive change, counted, refused until accepted); then each step back
 *    down. `check` is clean after each step, though MariaDB prints expressions otherwise.
 *
 * Two databases, dropped at the end; an unreachable server fails the file. Needs the CLI built.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { readMysqlCatalog } from '../support/mysql-catalog.ts';
import { compileFixtures, synchronizeWithTypeOrm } from '../support/typeorm.ts';
import { dataSourceConfig } from '../support/typeorm-datasource.ts';
import { assertUserError, configSource, explain, generatedFile, projects, ROOT, type TempProject } from './helpers.ts';

const newProject = projects();
const dbs: TestMysqlDatabase[] = [];
let typeormDb: TestMysqlDatabase;
let fresh: TestMysqlDatabase;

before(async () => {
  typeormDb = await createMysqlTestDatabase('migrator_gen_typeorm');
  dbs.push(typeormDb);
  fresh = await createMysqlTestDatabase('migrator_gen_fresh');
  dbs.push(fresh);
});
after(async () => {
  for (const db of dbs) await db.drop();
});

const LIVE = `@Column({ asExpression: 'IF(deletedAt IS NULL, 1, NULL)', generatedType: 'VIRTUAL', nullable: true })`;
const STORED = (expression: string): string => `@Column({ type: 'int', asExpression: '${expression}', generatedType: 'STORED' })`;

const entity = (total: string): string => `import { Column, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
@Index('UQ_item_name_live', ['name', 'live'], { unique: true })
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 50 })
  name!: string;

  @Column({ type: 'int' })
  qty!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  meta!: string | null;

  @DeleteDateColumn()
  deletedAt!: Date | null;

  ${LIVE}
  live!: number | null;

  @Column({ type: 'varchar', length: 20, asExpression: "JSON_UNQUOTE(JSON_EXTRACT(meta, '$.colour'))", comment: 'from meta' })
  colour!: string | null;

  @Index('IDX_item_total')
  ${total}
  total!: number;
}
`;

interface Generation {
  name: string;
  extra: string;
  expression: string | null;
}

async function generations(db: TestMysqlDatabase): Promise<Generation[]> {
  return db.query<Generation>(
    `SELECT COLUMN_NAME AS name, EXTRA AS extra, GENERATION_EXPRESSION AS expression FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'item' AND EXTRA LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION`,
  );
}

const totals = async (db: TestMysqlDatabase): Promise<number[]> => (await db.query<{ total: number }>('SELECT total FROM item ORDER BY id')).map((r) => r.total);
const totalColumn = async (db: TestMysqlDatabase): Promise<string> =>
  (await db.query<{ d: string }>(`SELECT CONCAT(EXTRA, '|', COALESCE(GENERATION_EXPRESSION, '')) AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'item' AND COLUMN_NAME = 'total'`))[0].d;
const indexOnTotal = async (db: TestMysqlDatabase): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'item' AND INDEX_NAME = 'IDX_item_total'`))[0].n;

function noChange(p: TempProject): void {
  const r = p.run(['check']);
  assert.equal(r.status, 0, explain(r, 'check to exit 0'));
  assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
}

describe('generated columns on MySQL/MariaDB, from TypeORM entities', () => {
  it('as TypeORM synchronize builds them: check finds nothing, and a fresh database gets the same catalog', async () => {
    const app = newProject('migrator-gen-typeorm-');
    app.write('src/item.ts', entity(STORED('qty * 2')));
    const modules = compileFixtures(app.path('src'), app.path('build'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), app.path('node_modules'), 'dir');
    // MariaDB takes no NULL nor NOT NULL on a generated column: TypeORM's mariadb driver writes none.
    synchronizeWithTypeOrm(app.dir, modules, { type: 'mariadb', url: typeormDb.url });

    const onTypeOrm = newProject('migrator-gen-');
    onTypeOrm.write('entities/item.ts', entity(STORED('qty * 2')));
    onTypeOrm.write('migrator.config.ts', configSource({ database: typeormDb.url }));
    onTypeOrm.ok(['makemigrations', '-m', 'init']);
    onTypeOrm.ok(['stamp', 'head']);
    noChange(onTypeOrm);
    // So does a project whose models are TypeORM's own metadata (a DataSource over the entity).
    const viaDataSource = newProject('migrator-gen-ds-');
    viaDataSource.write('entities/item.ts', entity(STORED('qty * 2')));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), viaDataSource.path('node_modules'), 'dir');
    viaDataSource.write('data-source.ts', `import 'reflect-metadata';\nimport { DataSource } from 'typeorm';\nimport { Item } from './entities/item';\nexport const AppDataSource = new DataSource({ type: 'mariadb', url: ${JSON.stringify(typeormDb.url)}, entities: [Item] });\n`);
    viaDataSource.write('tsconfig.json', JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: false } }));
    viaDataSource.write('migrator.config.ts', dataSourceConfig(typeormDb.url, 'data-source.ts'));
    noChange(viaDataSource);

    const p = newProject('migrator-gen-');
    p.write('entities/item.ts', entity(STORED('qty * 2')));
    p.write('migrator.config.ts', configSource({ database: fresh.url }));
    const created = p.ok(['makemigrations', '-m', 'init']);
    const source = p.read(generatedFile(created));
    assert.match(source, /generated: 'IF\(deletedAt IS NULL, 1, NULL\)',\s*virtual: true/);
    assert.match(source, /generated: 'qty \* 2'/);
    p.ok(['migrate']);
    noChange(p);

    assert.deepEqual(await generations(fresh), await generations(typeormDb));
    assert.deepEqual(
      (await generations(fresh)).map((g) => `${g.name} ${g.extra} ${g.expression}`),
      ['live VIRTUAL GENERATED if(`deletedAt` is null,1,NULL)', "colour VIRTUAL GENERATED json_unquote(json_extract(`meta`,'$.colour'))", 'total STORED GENERATED `qty` * 2'],
    );
    const [ours, theirs] = [await readMysqlCatalog(fresh), await readMysqlCatalog(typeormDb)];
    const item = (c: typeof ours) => {
      const t = c.tables.get('item')!;
      return { columns: t.columns, indexes: t.indexes };
    };
    assert.deepEqual(item(ours), item(theirs));

    // The soft-delete flag keeps one live row per name, however many are deleted.
    await fresh.query(`INSERT INTO item (name, qty, deletedAt) VALUES ('a', 1, NOW()), ('a', 2, NOW()), ('a', 3, NULL)`);
    await assert.rejects(fresh.query(`INSERT INTO item (name, qty) VALUES ('a', 4)`), /Duplicate entry/);
    await fresh.query('DELETE FROM item');
  });

  it('given another expression, made VIRTUAL, made plain, made STORED again, and taken back down, with their rows and index', async () => {
    const db = await createMysqlTestDatabase('migrator_gen_steps');
    dbs.push(db);
    const p = newProject('migrator-gen-steps-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    const files: string[] = [];
    const step = (total: string, message: string, extra: string[] = []): string => {
      p.write('entities/item.ts', entity(total));
      const r = p.ok(['makemigrations', '-m', message, ...extra]);
      files.push(generatedFile(r));
      p.ok(['migrate']);
      noChange(p);
      return r.stdout;
    };
    step(STORED('qty * 2'), 'init');
    await db.query(`INSERT INTO item (name, qty) VALUES ('a', 2), ('b', 5)`);
    assert.deepEqual(await totals(db), [4, 10]);

    // Written otherwise than MariaDB prints it: the same expression.
    p.write('entities/item.ts', entity(STORED('`qty`*2')));
    noChange(p);

    const modified = step(STORED('qty * 3'), 'triple');
    assert.match(modified, /alter column item\.total: generated `qty` \* 2 → qty \* 3/);
    assert.deepEqual(await totals(db), [6, 15]);
    assert.equal(await indexOnTotal(db), 1);

    const virtual = step(`@Column({ type: 'int', asExpression: 'qty * 3', generatedType: 'VIRTUAL' })`, 'virtual');
    assert.match(virtual, /alter column item\.total: virtual/);
    assert.equal(await totalColumn(db), 'VIRTUAL GENERATED|`qty` * 3');
    assert.equal(await indexOnTotal(db), 1, 'the index on the column is built again');
    const columns = (await db.query<{ c: string }>(`SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'item' ORDER BY ORDINAL_POSITION`)).map((r) => r.c);
    assert.deepEqual(columns, ['id', 'name', 'qty', 'meta', 'deletedAt', 'live', 'colour', 'total'], 'the column keeps its place');

    const plain = step(`@Column({ type: 'int' })`, 'plain');
    assert.doesNotMatch(plain, /add-not-null/, 'the computed values fill the column');
    assert.equal(await totalColumn(db), '|');
    assert.deepEqual(await totals(db), [6, 15]);
    await db.query('UPDATE item SET total = 7 WHERE id = 1');
    assert.deepEqual(await totals(db), [7, 15]);

    // Made generated, the value written by hand gives way: counted, refused until accepted.
    p.write('entities/item.ts', entity(STORED('qty * 4')));
    const refused = assertUserError(p.run(['makemigrations', '-m', 'stored']));
    assert.match(refused, /destructive: alter column item\.total to GENERATED ALWAYS AS \(qty \* 4\) \(2 rows hold a value other than the expression gives, which would be replaced\)/);
    step(STORED('qty * 4'), 'stored', ['--accept-data-loss']);
    assert.deepEqual(await totals(db), [8, 20]);

    // Back down, step by step.
    p.ok(['downgrade', '-1']);
    assert.equal(await totalColumn(db), '|');
    assert.deepEqual(await totals(db), [8, 20], 'made plain again, the column keeps the values it held');
    p.ok(['downgrade', '-1']);
    assert.equal(await totalColumn(db), 'VIRTUAL GENERATED|`qty` * 3');
    assert.deepEqual(await totals(db), [6, 15]);
    p.ok(['downgrade', '-1']);
    assert.equal(await totalColumn(db), 'STORED GENERATED|`qty` * 3');
    p.ok(['downgrade', '-1']);
    assert.equal(await totalColumn(db), 'STORED GENERATED|`qty` * 2');
    assert.deepEqual(await totals(db), [4, 10]);
    assert.equal(await indexOnTotal(db), 1);
    p.ok(['migrate']);
    noChange(p);
    assert.equal(files.length, 5);
  });

  it('what migrator does not write is an error at the option', async () => {
    const db = await createMysqlTestDatabase('migrator_gen_bad');
    dbs.push(db);
    const p = newProject('migrator-gen-bad-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    p.write('entities/item.ts', entity(`@Column({ type: 'int', asExpression: 'qty * 2', generatedType: 'PERSISTENT' as any })`));
    assert.match(assertUserError(p.run(['makemigrations', '-m', 'x'])), /entities\/item\.ts:28: generatedType must be 'STORED' or 'VIRTUAL'/);
  });
});
