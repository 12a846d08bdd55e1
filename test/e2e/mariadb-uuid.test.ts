/**
 * TypeORM's `uuid` columns under its `mariadb` driver, which makes them MariaDB's own `uuid` type
 * on a server of 10.7 or later, and `varchar(36)` / `varchar(255)` before (as its `mysql` driver
 * does on any server). With TypeORM's own metadata as the models (a DataSource of `type:
 * 'mariadb'`), `check` against the database TypeORM `synchronize` built finds nothing, and a fresh
 * database migrator builds has the same catalog; a DataSource of `type: 'mysql'` on the same server
 * keeps its varchar columns, and is clean on the database its own synchronize built. The server
 * is the one the tests run on (MariaDB 10.11 here: the test says so when it is another).
 *
 * Three databases, dropped at the end; an unreachable server fails the file. Needs the CLI built.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { readMysqlCatalog } from '../support/mysql-catalog.ts';
import { compileFixtures, synchronizeWithTypeOrm } from '../support/typeorm.ts';
import { dataSourceConfig } from '../support/typeorm-datasource.ts';
import { explain, projects, ROOT, type TempProject } from './helpers.ts';

const newProject = projects();
const dbs: TestMysqlDatabase[] = [];

before(async () => {
  for (const name of ['maria', 'fresh', 'mysql']) dbs.push(await createMysqlTestDatabase(`migrator_uuid_${name}`));
});
after(async () => {
  for (const db of dbs) await db.drop();
});

const ENTITIES: Record<string, string> = {
  'entities/account.ts': `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Session } from './session';

@Entity()
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { nullable: true })
  inviteToken!: string | null;

  @Column({ length: 40 })
  name!: string;

  @OneToMany(() => Session, (s) => s.account)
  sessions!: Session[];
}
`,
  'entities/session.ts': `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from './account';

@Entity()
export class Session {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  device!: string;

  @ManyToOne(() => Account, (a) => a.sessions, { onDelete: 'CASCADE' })
  account!: Account;
}
`,
};

/** A project whose models are TypeORM's metadata, from a DataSource of `type` over the entities. */
function dataSourceProject(type: 'mariadb' | 'mysql', database: string): TempProject {
  const p = newProject('migrator-uuid-');
  for (const [file, source] of Object.entries(ENTITIES)) p.write(file, source);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), p.path('node_modules'), 'dir');
  p.write(
    'data-source.ts',
    `import 'reflect-metadata';\nimport { DataSource } from 'typeorm';\nimport { Account } from './entities/account';\nimport { Session } from './entities/session';\nexport const AppDataSource = new DataSource({ type: '${type}', url: ${JSON.stringify(database)}, entities: [Account, Session] });\n`,
  );
  p.write('tsconfig.json', JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: false } }));
  p.write('migrator.config.ts', dataSourceConfig(database, 'data-source.ts'));
  return p;
}

function noChange(p: TempProject): void {
  const r = p.run(['check']);
  assert.equal(r.status, 0, explain(r, 'check to exit 0'));
  assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
}

/** Each column of the two tables with its type, as the server reports it. */
async function columnTypes(db: TestMysqlDatabase): Promise<string[]> {
  const rows = await db.query<{ c: string }>(
    "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE) AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('account', 'session') ORDER BY TABLE_NAME, ORDINAL_POSITION",
  );
  return rows.map((r) => r.c);
}

describe("TypeORM's uuid columns on MariaDB", () => {
  it("as the mariadb driver builds them on this server, and as the mysql driver does", async () => {
    const [maria, fresh, mysqlTyped] = dbs;
    const [{ version }] = await maria.query<{ version: string }>('SELECT VERSION() AS version');
    const m = /^(\d+)\.(\d+)\.\d+-MariaDB/i.exec(version);
    assert.ok(m && (Number(m[1]) > 10 || Number(m[2]) >= 7), `this test needs MariaDB 10.7 or later, which has a uuid type; the server is ${version}`);

    const app = newProject('migrator-uuid-typeorm-');
    for (const [file, source] of Object.entries(ENTITIES)) app.write(file.replace('entities/', 'src/'), source);
    const modules = compileFixtures(app.path('src'), app.path('build'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), app.path('node_modules'), 'dir');
    synchronizeWithTypeOrm(app.dir, modules, { type: 'mariadb', url: maria.url });
    assert.deepEqual(await columnTypes(maria), ['account.id uuid', 'account.inviteToken uuid', 'account.name varchar(40)', 'session.id int(11)', 'session.device varchar(255)', 'session.accountId uuid']);

    noChange(dataSourceProject('mariadb', maria.url));

    const p = dataSourceProject('mariadb', fresh.url);
    p.ok(['makemigrations', '-m', 'init']);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to build the tables'));
    noChange(p);
    const [ours, theirs] = [await readMysqlCatalog(fresh), await readMysqlCatalog(maria)];
    for (const table of ['account', 'session']) assert.deepEqual(ours.tables.get(table)?.columns, theirs.tables.get(table)?.columns, `the columns of ${table}`);
    await fresh.query("INSERT INTO account (id, name) VALUES ('8f1c6a52-3d0e-4b7a-9c1f-2e5d7b9a0c13', 'a')");
    await assert.rejects(fresh.query("INSERT INTO account (id, name) VALUES ('not a uuid', 'b')"), /uuid|Incorrect/i);

    // TypeORM's mysql driver keeps them varchar on the same server.
    synchronizeWithTypeOrm(app.dir, modules, { type: 'mysql', url: mysqlTyped.url });
    assert.deepEqual(await columnTypes(mysqlTyped), ['account.id varchar(36)', 'account.inviteToken varchar(255)', 'account.name varchar(40)', 'session.id int(11)', 'session.device varchar(255)', 'session.accountId varchar(36)']);
    noChange(dataSourceProject('mysql', mysqlTyped.url));
  });
});
