/**
 * Entities that name their database schema (`@Entity({ schema: 'lab' })`, as many PostgreSQL
 * projects keep their tables out of `public`), judged by real TypeORM: its `synchronize` builds
 * the entities in one database, migrator (its URL ending in `?schema=lab`) in another, and the two
 * schemas' catalogs must be equal; migrator's `check` on TypeORM's database finds nothing to do,
 * from the entity files and from a DataSource over them. Without `?schema=lab`, migrator refuses
 * rather than build the tables again in `public`. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { dataSourceConfig } from '../support/typeorm-datasource.ts';
import { compileFixtures, synchronizeWithTypeOrm } from '../support/typeorm.ts';
import { assertUserError, explain, projects, ROOT, type TempProject } from './helpers.ts';

const ENTITIES: Record<string, string> = {
  'member.ts': `import { Column, Entity, Index, ManyToMany, JoinTable, PrimaryGeneratedColumn } from 'typeorm';
import { Team } from './team';

@Entity({ name: 'members', schema: 'lab' })
export class Member {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ length: 120 })
  email: string;

  @ManyToMany(() => Team, (team) => team.members)
  @JoinTable()
  teams: Team[];
}
`,
  'team.ts': `import { Column, Entity, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from './member';

export enum Tier {
  Free = 'free',
  Paid = 'paid',
}

@Entity({ schema: 'lab' })
export class Team {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'enum', enum: Tier, default: Tier.Free })
  tier: Tier;

  @ManyToOne(() => Member, { onDelete: 'SET NULL', nullable: true })
  owner: Member | null;

  @ManyToMany(() => Member, (member) => member.teams)
  members: Member[];
}
`,
};

const newProject = projects();
let typeormDb: TestDatabase;
let freshDb: TestDatabase;
let entities: string;

before(async () => {
  typeormDb = await createTestDatabase('migrator_entity_schema');
  freshDb = await createTestDatabase('migrator_entity_schema_fresh');
  for (const db of [typeormDb, freshDb]) await db.query('CREATE SCHEMA lab');
  const app = newProject('migrator-entity-schema-');
  entities = app.path('src');
  for (const [file, text] of Object.entries(ENTITIES)) app.write(path.join('src', file), text);
  const modules = compileFixtures(entities, app.path('build'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), app.path('node_modules'), 'dir');
  synchronizeWithTypeOrm(app.dir, modules, { type: 'postgres', url: typeormDb.url });
});
after(async () => {
  await typeormDb?.drop();
  await freshDb?.drop();
});

/** A migrator project whose models are copies of the entity files. */
function entityProject(url: string): TempProject {
  const p = newProject();
  for (const [file, text] of Object.entries(ENTITIES)) p.write(path.join('entities', file), text);
  p.writeConfig({ database: url });
  return p;
}

/**
 * The catalog of schema lab, read with the search_path migrator works with there (lab, then
 * public, where TypeORM installed uuid-ossp): a default calls uuid_generate_v4() either way.
 */
async function labCatalog(db: TestDatabase): Promise<string> {
  await db.query('SET search_path TO lab, public');
  return pgCatalogText(await readPgCatalog(db));
}

describe("PostgreSQL: entities in a schema of their own (@Entity({ schema }))", () => {
  it('TypeORM built them in schema lab, and nothing in public', async () => {
    const rows = await typeormDb.query<{ t: string }>("SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('lab', 'public') ORDER BY 1");
    assert.deepEqual(rows.map((r) => r.t), ['lab.members', 'lab.members_teams_team', 'lab.team']);
  });

  it('migrator on ?schema=lab builds the same catalog as TypeORM in schema lab', async () => {
    const p = entityProject(`${freshDb.url}?schema=lab`);
    p.ok(['makemigrations', '-m', 'lab']);
    p.ok(['migrate']);
    assert.equal(await labCatalog(freshDb), await labCatalog(typeormDb));
    // uuid-ossp goes to public, where TypeORM put it and where every schema's search_path finds it.
    const where = async (db: TestDatabase): Promise<unknown[]> =>
      db.query("SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'uuid-ossp'");
    assert.deepEqual(await where(freshDb), [{ schema: 'public' }]);
    assert.deepEqual(await where(typeormDb), [{ schema: 'public' }]);
    const chk = p.ok(['check']);
    assert.match(chk.stdout, /No changes detected/, explain(chk, 'to find no change'));
  });

  it("check on TypeORM's database finds no change, from the entity files and from a DataSource over them", () => {
    const p = entityProject(`${typeormDb.url}?schema=lab`);
    const r = p.ok(['check']);
    assert.match(r.stdout, /No changes detected/, explain(r, 'to find no change'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), p.path('node_modules'), 'dir');
    p.write(
      'data-source.ts',
      `import 'reflect-metadata';\nimport { DataSource } from 'typeorm';\nimport { Member } from './entities/member';\nimport { Team } from './entities/team';\n\nexport const AppDataSource = new DataSource({ type: 'postgres', url: ${JSON.stringify(typeormDb.url)}, entities: [Member, Team] });\n`,
    );
    p.write('tsconfig.json', JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: false } }));
    p.write('migrator.config.ts', dataSourceConfig(`${typeormDb.url}?schema=lab`, 'data-source.ts'));
    const ds = p.ok(['check']);
    assert.match(ds.stdout, /No changes detected/, explain(ds, 'to find no change'));
  });

  it('without ?schema=lab, migrator refuses, naming the entity, the schema and what to add, and writes nothing', () => {
    const p = entityProject(freshDb.url);
    const r = p.run(['makemigrations']);
    const message = assertUserError(r, { oneLine: true });
    assert.match(message, /entities\/member\.ts:4: the models put their tables in schema "lab", but migrator works in schema "public" of postgres:\/\/\S+; add \?schema=lab to the database URL/, explain(r, 'to say what to add'));
    assert.deepEqual(p.versionFiles(), []);
  });

  it('entity files in schema lab beside a Prisma schema in the connection\'s own schema: refused, naming both, and nothing written', async () => {
    // A project of its own: the database is at no revision of it (one another project recorded
    // would be refused first, naming the revision).
    await freshDb.query('DELETE FROM lab.migrator_version');
    const p = newProject();
    for (const [file, text] of Object.entries(ENTITIES)) p.write(path.join('entities', file), text);
    p.write('schema.prisma', 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  body String\n}\n');
    p.writeConfig({ database: `${freshDb.url}?schema=lab`, models: ['entities/*.ts', 'schema.prisma'] });
    const before = p.run(['check']);
    const r = p.run(['makemigrations']);
    const message = assertUserError(r, { oneLine: true });
    assert.match(message, /the model sources put their tables in schema "lab" \(\S*\/entities\/member\.ts:4\) and the connection's own schema; migrator works in one schema of a database/, explain(r, 'to name both schemas'));
    assert.equal(before.status, r.status, explain(before, 'check to refuse as makemigrations does'));
    assert.deepEqual(p.versionFiles(), []);
  });
});
