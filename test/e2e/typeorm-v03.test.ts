/**
 * A project on TypeORM 0.3, judged by TypeORM 0.3 itself (`typeorm-0.3` in devDependencies): its
 * `synchronize` builds the fixtures (`typeorm-v03`, with the shared ones) in one database, migrator
 * — finding typeorm 0.3.31 in the project's node_modules — builds them in another, and the two
 * catalogs must be equal; `check` on TypeORM's database finds nothing to do. 0.3 builds some
 * things otherwise than 1.x: names hashed from `encodeURIComponent` of their key (every CHK_, an
 * IDX_ with a where, a name with a space), a junction table's inverse foreign key without actions
 * of its own (NO ACTION), composite join columns in the order declared, and on MySQL a column's
 * `width` written in its type (`tinyint(1)`) and a raw default that mentions CURRENT_TIMESTAMP or
 * NOW written as CURRENT_TIMESTAMP alone, an ON UPDATE in it dropped (fixtures `typeorm-v03-mysql`). The same project read
 * with 1.x's rules is not clean on that database, which shows the rules are what decides.
 * Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mysqlCatalogText, readMysqlCatalog } from '../support/mysql-catalog.ts';
import { createMysqlTestDatabase } from '../support/mysql.ts';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase } from '../support/pg.ts';
import { readSqliteShapes } from '../support/sqlite-catalog.ts';
import { compileFixtures, copyFixtures, synchronizeWithTypeOrm } from '../support/typeorm.ts';
import { dataSourceConfig } from '../support/typeorm-datasource.ts';
import { explain, projects, ROOT, type TempProject } from './helpers.ts';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'typeorm-v03');
/** Fixtures of MySQL alone (column widths), beside the others there. */
const MYSQL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'typeorm-v03-mysql');
const TYPEORM_03 = path.join(ROOT, 'node_modules', 'typeorm-0.3');

interface Db {
  url: string;
  connection: Record<string, unknown>;
  catalog(): Promise<string>;
  drop(): Promise<void>;
}

const newProject = projects();

/** A node_modules folder whose `typeorm` is TypeORM 0.3, beside the drivers of the root one. */
function modulesWithTypeOrm(dir: string, typeorm: string): void {
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  fs.symlinkSync(typeorm, path.join(modules, 'typeorm'), 'dir');
  for (const pkg of ['reflect-metadata', 'pg', 'better-sqlite3', 'mysql2']) fs.symlinkSync(path.join(ROOT, 'node_modules', pkg), path.join(modules, pkg), 'dir');
}

const DIALECTS: { name: string; fixtures?: string[]; database(role: string): Promise<Db> }[] = [
  {
    name: 'postgres',
    async database(role) {
      const db = await createTestDatabase(`migrator_v03_${role}`);
      return { url: db.url, connection: { type: 'postgres', url: db.url }, catalog: async () => pgCatalogText(await readPgCatalog(db)), drop: () => db.drop() };
    },
  },
  {
    name: 'sqlite',
    async database(role) {
      const file = path.join(newProject(`migrator-v03-${role}-`).dir, 'app.db');
      const shapes = (): string => JSON.stringify(Object.fromEntries(readSqliteShapes(file)), null, 1);
      return { url: `sqlite:${file}`, connection: { type: 'better-sqlite3', database: file }, catalog: async () => shapes(), drop: async () => {} };
    },
  },
  {
    name: 'mysql',
    fixtures: [MYSQL_FIXTURES],
    async database(role) {
      const db = await createMysqlTestDatabase(`migrator_v03_${role}`);
      return { url: db.url, connection: { type: 'mysql', url: db.url }, catalog: async () => mysqlCatalogText(await readMysqlCatalog(db)), drop: () => db.drop() };
    },
  },
];

for (const dialect of DIALECTS) {
  describe(`TypeORM 0.3 on ${dialect.name}: migrator builds what TypeORM 0.3's synchronize builds`, () => {
    let typeorm: Db;
    let fresh: Db;
    /** A migrator project on `url` over copies of the fixtures, with `typeorm` as its installed TypeORM. */
    const fixtures = [FIXTURES, ...(dialect.fixtures ?? [])];
    const migratorProject = (url: string, typeormDir = TYPEORM_03): TempProject => {
      const p = newProject('migrator-v03-project-');
      for (const f of fixtures) copyFixtures(f, p.path('entities'));
      modulesWithTypeOrm(p.dir, typeormDir);
      p.writeConfig({ database: url });
      return p;
    };

    before(async () => {
      typeorm = await dialect.database('typeorm');
      fresh = await dialect.database('fresh');
      const app = newProject('migrator-v03-app-');
      modulesWithTypeOrm(app.dir, TYPEORM_03);
      const modules = fixtures.flatMap((f) => compileFixtures(f, app.path('build')));
      const out = synchronizeWithTypeOrm(app.dir, modules, typeorm.connection);
      assert.match(out, /synchronized .*\bentry\b/, out);
      assert.equal(JSON.parse(fs.readFileSync(path.join(app.dir, 'node_modules', 'typeorm', 'package.json'), 'utf8')).version, '0.3.31');
    });
    after(async () => {
      await typeorm?.drop();
      await fresh?.drop();
    });

    it('migrator on a fresh database builds the catalog TypeORM 0.3 built, with 0.3\'s names', async () => {
      const p = migratorProject(fresh.url);
      const made = p.run(['makemigrations', '-m', 'initial']);
      assert.equal(made.status, 0, explain(made, 'to write the first revision'));
      const applied = p.run(['migrate']);
      assert.equal(applied.status, 0, explain(applied, 'to apply it'));
      assert.equal(await fresh.catalog(), await typeorm.catalog());
      if (dialect.name !== 'mysql') {
        // 0.3 hashes encodeURIComponent(key): the check's name is not 1.x's.
        const [revision] = p.versionFiles();
        const text = fs.readFileSync(p.path(path.join('versions', revision)), 'utf8');
        const v03 = `CHK_${createHash('sha1').update(encodeURIComponent('entry_"amount" > 0')).digest('hex').slice(0, 26)}`;
        const v1 = `CHK_${createHash('sha1').update('entry_"amount" > 0').digest('hex').slice(0, 26)}`;
        assert.notEqual(v03, v1);
        assert.ok(text.includes(v03) && !text.includes(v1), text);
      }
    });

    it("check on TypeORM 0.3's database finds nothing to do; with 1.x's rules it would", () => {
      const r = migratorProject(typeorm.url).run(['check']);
      assert.equal(r.status, 0, explain(r, 'to find nothing to do'));
      const newer = migratorProject(typeorm.url, path.join(ROOT, 'node_modules', 'typeorm')).run(['check']);
      assert.equal(newer.status, 1, explain(newer, 'to find the differences 1.x names and links make'));
    });

    if (dialect.name === 'mysql') {
      it("widths: 0.3 wrote them in the types, migrator too; with 1.x's rules, which have none, tinyint(1) would become tinyint", async () => {
        const catalog = await typeorm.catalog();
        for (const column of [
          /^\s*col readonlyAccess: tinyint\(1\) NOT NULL DEFAULT 0$/m,
          /^\s*col trusted: tinyint\(1\) NOT NULL DEFAULT 0$/m,
          /^\s*col small: int\(4\) DEFAULT NULL$/m,
          // A length before the width, the width before precision and scale.
          /^\s*col code: varchar\(255\) DEFAULT NULL$/m,
          /^\s*col amount: decimal\(5,0\) DEFAULT NULL$/m,
          /^\s*col deviceId: int\(8\) unsigned DEFAULT NULL$/m,
        ]) {
          assert.match(catalog, column, catalog);
        }
        const newer = migratorProject(typeorm.url, path.join(ROOT, 'node_modules', 'typeorm')).run(['check']);
        assert.match(newer.stdout, /alter column session\.readonlyAccess: type tinyint\(1\) → tinyint/, explain(newer, 'to read the flag as 1.x builds it'));
      });

      it("an ON UPDATE written into a raw default: 0.3 dropped it, migrator too; with 1.x's rules, which keep it, it would be added", async () => {
        const catalog = await typeorm.catalog();
        assert.match(catalog, /^\s*col lastUpdateTime: timestamp\(6\) NOT NULL DEFAULT current_timestamp\(6\)$/m, catalog);
        assert.match(catalog, /^\s*col touchedAt: datetime NOT NULL DEFAULT current_timestamp\(\)$/m, catalog);
        const newer = migratorProject(typeorm.url, path.join(ROOT, 'node_modules', 'typeorm')).run(['check']);
        assert.match(newer.stdout, /alter column installation\.lastUpdateTime: .*CURRENT_TIMESTAMP\(6\) ON UPDATE CURRENT_TIMESTAMP\(6\)/, explain(newer, 'to read the default as 1.x writes it'));
      });

      it("models: { typeorm } — a DataSource over the same entities, built by the project's TypeORM 0.3 — finds nothing to do on 0.3's database", () => {
        const p = migratorProject(typeorm.url);
        const entities = fs.readdirSync(p.path('entities')).filter((f) => f.endsWith('.ts')).sort().map((f) => `./entities/${f.replace(/\.ts$/, '')}`);
        p.write(
          'data-source.ts',
          `import 'reflect-metadata';\nimport { DataSource } from 'typeorm';\n${entities.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}\n\n` +
            `const entities = [${entities.map((_e, i) => `m${i}`).join(', ')}].flatMap((m) => Object.values(m)).filter((x) => typeof x === 'function');\n\n` +
            `export const AppDataSource = new DataSource({ type: 'mysql', url: ${JSON.stringify(typeorm.url)}, entities });\n`,
        );
        p.write('tsconfig.json', JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: false } }));
        p.write('migrator.config.ts', dataSourceConfig(typeorm.url, 'data-source.ts'));
        const r = p.run(['check']);
        assert.equal(r.status, 0, explain(r, 'to find nothing to do'));
      });
    }
  });
}
