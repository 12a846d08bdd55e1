/**
 * Renames over TypeORM's enum columns on PostgreSQL. Without `enumName`, TypeORM names a column's
 * enum type after its table and column (`account_main_enum`), so renaming the column or the
 * entity renames the type too: the rename goes through (the hint, or `--rename`), and so does the
 * type's (ALTER TYPE … RENAME TO, as TypeORM's query runner does it): the same type under its new
 * name, every value kept, no column rewritten; and back down.
 * One database for the file, dropped at the end. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, projects, type TempProject } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_enum_renames');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const entity = (hint: string, className: string, column: string, columnHint = ''): string => `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum Role {
  Owner = 'owner',
  Member = 'member',
}

${hint}@Entity()
export class ${className} {
  @PrimaryGeneratedColumn()
  id!: number;

  ${columnHint}@Column({ type: 'enum', enum: Role, default: Role.Member })
  ${column}!: Role;

  @Column({ type: 'enum', enum: Role, array: true, default: '{}' })
  past!: Role[];
}
`;

const enums = async (): Promise<string[]> =>
  (await db.query<{ e: string }>(`SELECT t.typname || ':' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS e FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1`)).map((r) => r.e);

function noChange(p: TempProject): void {
  const r = p.run(['check']);
  assert.equal(r.status, 0, explain(r, 'check to exit 0'));
}

describe('renames over TypeORM enum columns, on PostgreSQL', () => {
  it('a column, then its entity, renamed with the hint: the enum types follow, every value kept; and back down', async () => {
    const p = newProject('migrator-enum-renames-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    p.write('entities/account.ts', entity('', 'Account', 'main'));
    p.ok(['makemigrations', '-m', 'accounts']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO account (main, past) VALUES ('owner', '{member}'), ('member', '{owner,member}')`);
    const rows = async (table: string, column: string): Promise<string[]> => (await db.query<{ r: string }>(`SELECT ${column} || ' ' || past::text AS r FROM ${table} ORDER BY id`)).map((x) => x.r);

    const typeOid = async (name: string): Promise<string | undefined> => (await db.query<{ oid: string }>(`SELECT oid::text FROM pg_type WHERE typname = $1`, [name]))[0]?.oid;
    const mainOid = await typeOid('account_main_enum');
    p.write('entities/account.ts', entity('', 'Account', 'primaryRole', '/** @renamedFrom main */\n  '));
    const renamed = p.ok(['makemigrations', '-m', 'primary role']);
    assert.match(renamed.stdout, /rename column account\.main to primaryRole/);
    assert.match(renamed.stdout, /rename enum account_main_enum to account_primaryrole_enum/);
    assert.doesNotMatch(renamed.stdout, /drop column|add column|alter column|create enum|drop enum/);
    p.ok(['migrate']);
    noChange(p);
    assert.deepEqual(await rows('account', '"primaryRole"'), ['owner {member}', 'member {owner,member}']);
    assert.deepEqual(await enums(), ['account_past_enum:owner,member', 'account_primaryrole_enum:owner,member']);
    assert.equal(await typeOid('account_primaryrole_enum'), mainOid, 'the same type, renamed');

    // The entity renamed: every enum type named after its table follows it.
    p.remove('entities/account.ts');
    p.write('entities/member.ts', entity('/** @renamedFrom Account */\n', 'Member', 'primaryRole'));
    const moved = p.ok(['makemigrations', '-m', 'members']);
    assert.match(moved.stdout, /rename table account to member/);
    // Two types of the same values: each told by the column it is the type of.
    assert.match(moved.stdout, /rename enum account_past_enum to member_past_enum/);
    assert.match(moved.stdout, /rename enum account_primaryrole_enum to member_primaryrole_enum/);
    assert.doesNotMatch(moved.stdout, /drop table|create table|alter column|create enum|drop enum/);
    p.ok(['migrate']);
    noChange(p);
    assert.deepEqual(await rows('member', '"primaryRole"'), ['owner {member}', 'member {owner,member}']);
    assert.deepEqual(await enums(), ['member_past_enum:owner,member', 'member_primaryrole_enum:owner,member']);
    assert.equal(await typeOid('member_primaryrole_enum'), mainOid);

    p.ok(['downgrade', '-1']);
    assert.deepEqual(await rows('account', '"primaryRole"'), ['owner {member}', 'member {owner,member}']);
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await rows('account', 'main'), ['owner {member}', 'member {owner,member}']);
    assert.deepEqual(await enums(), ['account_main_enum:owner,member', 'account_past_enum:owner,member']);
  });

  it('with --rename instead of the hint; an enum of other values is no rename candidate', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-enum-renames-flag-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    p.write('entities/account.ts', entity('', 'Account', 'main'));
    p.ok(['makemigrations', '-m', 'accounts']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO account (main) VALUES ('owner')`);
    p.write('entities/account.ts', entity('', 'Account', 'primaryRole'));
    const asked = p.run(['makemigrations', '-m', 'x']);
    assert.equal(asked.status, 2, explain(asked, 'to exit 2 and ask'));
    assert.match(asked.stderr, /account\.main → account\.primaryRole may be a rename; answer with --rename account\.main=primaryRole/);
    p.ok(['makemigrations', '-m', 'primary role', '--rename', 'account.main=primaryRole']);
    p.ok(['migrate']);
    assert.deepEqual((await db.query<{ r: string }>(`SELECT "primaryRole"::text AS r FROM account`)).map((x) => x.r), ['owner']);

    // Another set of values: a column of another type, as before.
    p.write('entities/account.ts', entity('', 'Account', 'mainRole').replace("Member = 'member',", "Member = 'member',\n  Guest = 'guest',"));
    const other = p.run(['makemigrations', '-m', 'y']);
    assert.doesNotMatch(other.stderr + other.stdout, /may be a rename/, explain(other, 'no rename candidate'));
  });

  it('a status enum under a partial index and a check: the entity renamed, then the column made text; each migrates with its rows, and back down', async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const p = newProject('migrator-enum-partial-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    const donation = (hint: string, name: string, status: string): string => `import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum Status {
  Pending = 'pending',
  Matched = 'matched',
  Failed = 'failed',
}

${hint}@Entity('${name}')
@Check(\`"status" <> 'failed' OR "userId" IS NULL\`)
export class Donation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ where: "status = 'pending'" })
  @Column({ nullable: true })
  userId!: number;

  ${status}
  status!: string;
}
`;
    const asEnum = "@Column({ type: 'enum', enum: Status, default: Status.Pending })";
    p.write('entities/donation.ts', donation('', 'draft_donation', asEnum));
    p.ok(['makemigrations', '-m', 'donations']);
    p.ok(['migrate']);
    await db.query(`INSERT INTO draft_donation ("userId", status) VALUES (1, 'pending'), (2, 'matched'), (NULL, 'failed')`);
    const rows = async (table: string): Promise<string[]> => (await db.query<{ r: string }>(`SELECT coalesce("userId"::text, '-') || ' ' || status::text AS r FROM ${table} ORDER BY id`)).map((x) => x.r);
    const before = await rows('draft_donation');

    // The entity renamed: its type follows by name; the partial index and the check stay as they are.
    p.write('entities/donation.ts', donation("/** @renamedFrom draft_donation */\n", 'draft_donations', asEnum));
    const renamed = p.ok(['makemigrations', '-m', 'renamed']);
    assert.match(renamed.stdout, /rename enum draft_donation_status_enum to draft_donations_status_enum/);
    assert.doesNotMatch(renamed.stdout, /alter column|drop index|create index/);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to rename the table and its type'));
    noChange(p);
    assert.deepEqual(await rows('draft_donations'), before);

    // The column made text: the index and the check, which compare it with the type's values, are
    // made again after the change from the models' text.
    p.write('entities/donation.ts', donation("", 'draft_donations', "@Column({ type: 'text', default: 'pending' })"));
    const text = p.ok(['makemigrations', '-m', 'text']);
    const listed = [...text.stdout.matchAll(/^\s+- (.+)$/gm)].map((m) => m[1].replace(/ (IDX|CHK)_\w+/, ' $1'));
    assert.deepEqual(listed, [
      'drop index IDX on draft_donations',
      'drop check constraint CHK on draft_donations',
      'alter column draft_donations.status: type draft_donations_status_enum → text',
      'create index IDX on draft_donations',
      'add check constraint CHK on draft_donations',
      'validate constraint CHK on draft_donations',
      'drop enum draft_donations_status_enum',
    ]);
    const t = p.run(['migrate']);
    assert.equal(t.status, 0, explain(t, 'to make the column text'));
    noChange(p);
    assert.deepEqual(await rows('draft_donations'), before);
    await assert.rejects(db.query(`INSERT INTO draft_donations ("userId", status) VALUES (5, 'failed')`), /check constraint/);
    const predicate = (await db.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE tablename = 'draft_donations' AND indexdef LIKE '%WHERE%'`))[0].d;
    assert.match(predicate, /WHERE \(status = 'pending'::text\)/);

    p.ok(['downgrade', '-1']);
    assert.deepEqual(await rows('draft_donations'), before);
    p.ok(['downgrade', '-1']);
    assert.deepEqual(await rows('draft_donation'), before);
    assert.deepEqual(await enums(), ['draft_donation_status_enum:pending,matched,failed']);
  });
});
