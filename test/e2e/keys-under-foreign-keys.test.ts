/**
 * A unique index or primary key that a foreign key refers to, built again by a revision (Prisma
 * models, PostgreSQL and MySQL/MariaDB): the database refuses to drop it while the foreign key
 * stands, so the foreign key goes first and comes back last. Each revision applies, keeps the
 * rows and the links, leaves `check` clean, and goes back down. So does a new model whose foreign
 * key refers to a column or key the same revision adds or retypes (the key comes after the change),
 * and, going back down, the dropped model's key (it goes before). One database per dialect, dropped
 * at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase } from '../support/mysql.ts';
import { createTestDatabase } from '../support/pg.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

const newProject = projects();

interface Db {
  url: string;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

const DIALECTS = [
  { name: 'PostgreSQL', provider: 'postgresql', create: (): Promise<Db> => createTestDatabase('migrator_keys_under_fks'), q: (n: string) => `"${n}"` },
  { name: 'MySQL', provider: 'mysql', create: (): Promise<Db> => createMysqlTestDatabase('migrator_keys_under_fks'), q: (n: string) => `\`${n}\`` },
] as const;

for (const d of DIALECTS) {
  describe(`keys a foreign key refers to, built again, on ${d.name}`, () => {
    let db: Db;
    before(async () => {
      db = await d.create();
    });
    after(async () => {
      await db?.drop();
    });

    const step = (p: TempProject, body: string, message: string): void => {
      p.write('schema.prisma', `datasource db {\n  provider = "${d.provider}"\n}\n${body}`);
      p.ok(['makemigrations', '-m', message]);
      const r = p.run(['migrate']);
      assert.equal(r.status, 0, explain(r, 'to apply the revision'));
      assert.match(p.ok(['check']).stdout, /No changes detected/);
    };
    const count = async (table: string): Promise<number> => Number((await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${d.q(table)}`))[0].n);

    it('a unique index referred to, given another sort order', async () => {
      const p = newProject('migrator-keys-fks-');
      p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
      const users = (attr: string): string => `model User {\n  id    Int       @id\n  email String    ${attr}\n  links Profile[]\n}\nmodel Profile {\n  id        Int    @id\n  userEmail String\n  user      User   @relation(fields: [userEmail], references: [email])\n}\n`;
      step(p, users('@unique'), 'users');
      await db.query(`INSERT INTO ${d.q('User')} VALUES (1, 'a@x'), (2, 'b@x')`);
      await db.query(`INSERT INTO ${d.q('Profile')} VALUES (1, 'a@x'), (2, 'b@x')`);
      step(p, users('@unique(sort: Desc)'), 'descending');
      assert.deepEqual([await count('User'), await count('Profile')], [2, 2]);
      // The foreign key is there again: an unknown email is refused.
      await assert.rejects(db.query(`INSERT INTO ${d.q('Profile')} VALUES (3, 'nobody')`), /foreign key/i);
      p.ok(['downgrade', '-1']);
      await assert.rejects(db.query(`INSERT INTO ${d.q('Profile')} VALUES (3, 'nobody')`), /foreign key/i);
      p.ok(['migrate']);
      assert.match(p.ok(['check']).stdout, /No changes detected/);
    });

    it('a new model referring to a key the revision adds or retypes: its foreign key comes after; a dropped one referring to a key that goes, before', async () => {
      const fresh = async (): Promise<TempProject> => {
        for (const t of ['Invoice', 'B', 'Account', 'A']) await db.query(`DROP TABLE IF EXISTS ${d.q(t)}`);
        await db.query(`DROP TABLE IF EXISTS ${d.q('migrator_version')}`);
        await db.query(`DROP TABLE IF EXISTS ${d.q('migrator_history')}`).catch(() => undefined);
        const p = newProject('migrator-keys-fks-new-');
        p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
        return p;
      };
      // A column and its unique index added, and a new model referring to them.
      let p = await fresh();
      step(p, 'model Account {\n  id Int @id\n}\n', 'accounts');
      const invoices = 'model Account {\n  id       Int       @id\n  code     String    @unique\n  invoices Invoice[]\n}\nmodel Invoice {\n  id          Int     @id\n  accountCode String\n  account     Account @relation(fields: [accountCode], references: [code])\n}\n';
      step(p, invoices, 'invoices');
      await db.query(`INSERT INTO ${d.q('Account')} VALUES (1, 'a')`);
      await db.query(`INSERT INTO ${d.q('Invoice')} VALUES (1, 'a')`);
      await assert.rejects(db.query(`INSERT INTO ${d.q('Invoice')} VALUES (2, 'nobody')`), /foreign key/i);
      // Back down: the key goes before the column and its index do.
      await db.query(`DELETE FROM ${d.q('Invoice')}`);
      p.ok(['downgrade', '-1']);
      assert.equal(await count('Account'), 1);
      await db.query(`DELETE FROM ${d.q('Account')}`);
      p.ok(['migrate']);
      assert.match(p.ok(['check']).stdout, /No changes detected/);

      // A key retyped (Int → String), and a new model referring to it.
      p = await fresh();
      step(p, 'model A {\n  id Int @id\n}\n', 'a');
      step(p, 'model A {\n  id String @id\n  bs B[]\n}\nmodel B {\n  id  Int    @id\n  aId String\n  a   A      @relation(fields: [aId], references: [id])\n}\n', 'retyped');
      p.ok(['downgrade', '-1']);
      p.ok(['migrate']);
      assert.match(p.ok(['check']).stdout, /No changes detected/);
    });

    if (d.provider === 'postgresql') {
      it('a primary key referred to, made compound', async () => {
        const p = newProject('migrator-keys-fks-');
        p.write('migrator.config.ts', configSource({ database: db.url, models: ['schema.prisma'] }));
        await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
        const team = 'model Team {\n  id    Int @id\n  orgId Int\n  org   Org @relation(fields: [orgId], references: [id])\n}\n';
        step(p, `model Org {\n  id     Int    @id\n  tenant String @default("t")\n  teams  Team[]\n}\n${team}`, 'orgs');
        await db.query(`INSERT INTO "Org" VALUES (1, 't'), (2, 't')`);
        await db.query(`INSERT INTO "Team" VALUES (1, 1), (2, 2)`);
        step(p, `model Org {\n  id     Int    @unique\n  tenant String @default("t")\n  teams  Team[]\n  @@id([tenant, id])\n}\n${team}`, 'compound');
        assert.deepEqual([await count('Org'), await count('Team')], [2, 2]);
        await assert.rejects(db.query(`INSERT INTO "Team" VALUES (3, 99)`), /foreign key/i);
        p.ok(['downgrade', '-1']);
        await assert.rejects(db.query(`INSERT INTO "Team" VALUES (3, 99)`), /foreign key/i);
      });
    }
  });
}
