/**
 * An entity renamed with a hint (`@renamedFrom User` on `class Member`) whose many-to-many
 * relation's junction table is named after it (`user_teams_team (userId, teamId)` →
 * `member_teams_team (memberId, teamId)`): the junction table and its column are renamed with the
 * entity, so every link is kept, on SQLite and PostgreSQL. `check` is clean afterwards; the
 * downgrade renames back, links and all. So is a closure table named after a tree entity renamed
 * (`category_closure` → `topic_closure`). Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

const newProject = projects();

const entities = (hinted: boolean): string => `import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Team {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  name!: string;
}

${hinted ? '/** @renamedFrom User */\n' : ''}@Entity()
export class ${hinted ? 'Member' : 'User'} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  name!: string;

  @ManyToMany(() => Team)
  @JoinTable()
  teams!: Team[];
}
`;

interface Target {
  name: string;
  setUp(): Promise<{ url: string; links(table: string, column: string): Promise<string[]> }>;
}

let pg: TestDatabase | undefined;
after(async () => {
  await pg?.drop();
});

const TARGETS: Target[] = [
  {
    name: 'SQLite',
    setUp: async () => ({ url: 'sqlite:./app.db', links: async () => [] }),
  },
  {
    name: 'PostgreSQL',
    setUp: async () => {
      pg = await createTestDatabase('migrator_junction_renames');
      const db = pg;
      return {
        url: db.url,
        links: async (table, column) => (await db.query<{ l: string }>(`SELECT "${column}" || '-' || "teamId" AS l FROM "${table}" ORDER BY 1`)).map((r) => r.l),
      };
    },
  },
];

for (const target of TARGETS) {
  describe(`a junction table named after an entity renamed, on ${target.name}`, () => {
    let p: TempProject;
    let links: (table: string, column: string) => Promise<string[]>;
    const exec = async (sql: string): Promise<void> => {
      if (target.name === 'SQLite') p.exec(sql);
      else await pg!.query(sql);
    };
    before(async () => {
      const db = await target.setUp();
      p = newProject('migrator-junction-renames-');
      p.write('migrator.config.ts', configSource({ database: db.url }));
      links = target.name === 'SQLite' ? async (table, column) => p.query(`SELECT "${column}" || '-' || "teamId" AS l FROM "${table}" ORDER BY 1`).map((r) => String(r.l)) : db.links;
    });

    it('is renamed with its column, keeping every link; and back down', async () => {
      p.write('entities/models.ts', entities(false));
      p.ok(['makemigrations', '-m', 'users']);
      p.ok(['migrate']);
      await exec(`INSERT INTO "team" ("name") VALUES ('red'), ('blue')`);
      await exec(`INSERT INTO "user" ("name") VALUES ('ann')`);
      await exec(`INSERT INTO "user_teams_team" VALUES (1, 1), (1, 2)`);

      p.write('entities/models.ts', entities(true));
      const r = p.ok(['makemigrations', '-m', 'members']);
      assert.match(r.stdout, /rename table user_teams_team to member_teams_team/, explain(r, 'to rename the junction table'));
      assert.match(r.stdout, /rename column member_teams_team\.userId to memberId/);
      assert.doesNotMatch(r.stdout, /drop table|create table/);
      p.ok(['migrate']);
      assert.deepEqual(await links('member_teams_team', 'memberId'), ['1-1', '1-2']);
      assert.match(p.ok(['check']).stdout, /No changes detected/);

      p.ok(['downgrade', '-1']);
      assert.deepEqual(await links('user_teams_team', 'userId'), ['1-1', '1-2']);
    });

    it('a closure table named after a tree entity renamed is renamed with it, keeping every path', async () => {
      p.ok(['migrate']);
      const tree = (name: string, hint: string): string =>
        `import { Column, Entity, PrimaryGeneratedColumn, Tree, TreeChildren, TreeParent } from 'typeorm';\n\n${hint}@Entity()\n@Tree('closure-table')\nexport class ${name} {\n  @PrimaryGeneratedColumn()\n  id!: number;\n\n  @Column()\n  name!: string;\n\n  @TreeChildren()\n  children!: ${name}[];\n\n  @TreeParent()\n  parent!: ${name} | null;\n}\n`;
      p.write('entities/tree.ts', tree('Category', ''));
      p.ok(['makemigrations', '-m', 'categories']);
      p.ok(['migrate']);
      await exec(`INSERT INTO "category" ("name") VALUES ('root'), ('leaf')`);
      await exec(`INSERT INTO "category_closure" VALUES (1, 1), (1, 2), (2, 2)`);
      const paths = async (table: string): Promise<string[]> => {
        const sql = `SELECT "id_ancestor" || '-' || "id_descendant" AS l FROM "${table}" ORDER BY 1`;
        return target.name === 'SQLite' ? p.query(sql).map((r) => String(r.l)) : (await pg!.query<{ l: string }>(sql)).map((r) => r.l);
      };

      p.write('entities/tree.ts', tree('Topic', '/** @renamedFrom Category */\n'));
      const r = p.ok(['makemigrations', '-m', 'topics']);
      assert.match(r.stdout, /rename table category to topic/, explain(r, 'to rename the entity'));
      assert.match(r.stdout, /rename table category_closure to topic_closure/, explain(r, 'to rename the closure table'));
      assert.doesNotMatch(r.stdout, /drop table|create table/);
      p.ok(['migrate']);
      assert.deepEqual(await paths('topic_closure'), ['1-1', '1-2', '2-2']);
      assert.match(p.ok(['check']).stdout, /No changes detected/);
      p.ok(['downgrade', '-1']);
      assert.deepEqual(await paths('category_closure'), ['1-1', '1-2', '2-2']);
    });
  });
}
