/**
 * The commands of the README's Commands table on MySQL/MariaDB, one test per command or group,
 * with a TypeORM-entities project through the built CLI, as users see them: exit codes, stdout
 * and stderr, the files written, the database (information_schema), and nothing touched on an
 * error. Renames, data loss, lint, history/checksums/repair and the revision graph commands run on
 * MySQL in their own suites (mysql-renames, data-loss, lint, history, graph-cli).
 *
 * Each group has a database of its own (test/support/mysql.ts), dropped afterwards; an unreachable
 * server fails the file. Needs `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { createMysqlTestDatabase, MYSQL_ADMIN_URL, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase } from '../support/pg.ts';
import { mysqlCatalogText, readMysqlCatalog } from '../support/mysql-catalog.ts';
import { assertUserError, explain, generatedFile, projects, sqlRevision, undated, type RunResult, type TempProject } from './helpers.ts';
import { A as SA, B as SB, C as SC, chain, D as SD, E as SE, S } from './squash-chain.ts';
import { generatedChain } from './verify-chain.ts';

const newProject = projects();

const made: TestMysqlDatabase[] = [];
after(async () => {
  for (const db of made) await db.drop();
});
async function database(prefix = 'migrator_cmds'): Promise<TestMysqlDatabase> {
  const db = await createMysqlTestDatabase(prefix);
  made.push(db);
  return db;
}

/** A URL as migrator prints it: the password masked. */
const masked = (url: string): string => url.replace(/^(mysql:\/\/[^:@/]*):[^@/]*@/, '$1:***@');

/** Non-empty lines of a command's stdout. */
const lines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.trim() !== '');

/** The one JSON document on stdout of a run that exited `status`. */
function doc(r: RunResult, status = 0): any {
  assert.equal(r.status, status, explain(r, `to exit ${status}`));
  try {
    return JSON.parse(r.stdout);
  } catch (error) {
    assert.fail(explain(r, `to print one JSON document on stdout (${(error as Error).message})`));
  }
}

/** The JSON error document on stderr of a run that failed (exit 2, nothing on stdout). */
function jsonError(r: RunResult): { code: string; message: string; data?: Record<string, unknown> } {
  assert.equal(r.status, 2, explain(r, 'to exit 2'));
  assert.equal(r.stdout, '', explain(r, 'to print nothing on stdout'));
  const all = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(all.length, 1, explain(r, 'to print one line on stderr'));
  return (JSON.parse(all[0]) as { error: { code: string; message: string; data?: Record<string, unknown> } }).error;
}

/** Base tables of the database, sorted (migrator's own included). */
async function tablesOf(db: TestMysqlDatabase): Promise<string[]> {
  const rows = await db.query<{ t: string }>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1");
  return rows.map((r) => r.t);
}

/** The version table's rows, sorted; none when it does not exist. */
async function versionsOf(db: TestMysqlDatabase): Promise<string[]> {
  if (!(await tablesOf(db)).includes('migrator_version')) return [];
  return (await db.query<{ v: string }>('SELECT version_num AS v FROM migrator_version ORDER BY 1')).map((r) => r.v);
}

/** Everything a failed command must leave as it was: the catalog, the version rows, the history. */
async function stateOf(db: TestMysqlDatabase): Promise<string> {
  const tables = await tablesOf(db);
  const history = tables.includes('migrator_history') ? await db.query('SELECT id, revision, direction FROM migrator_history ORDER BY id') : [];
  return JSON.stringify({ tables, catalog: mysqlCatalogText(await readMysqlCatalog(db)), versions: await versionsOf(db), history });
}

const CUSTOMER = (phone: boolean): string => `import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Order } from './order';

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Column({ length: 120 })
  email!: string;

  @Column({ type: 'enum', enum: ['bronze', 'silver'], default: 'bronze' })
  tier!: string;
${phone ? "\n  @Column({ type: 'varchar', length: 30, nullable: true })\n  phone!: string | null;\n" : ''}
  @OneToMany(() => Order, (order) => order.customer)
  orders!: Order[];
}
`;

const ORDER = `import { Column, CreateDateColumn, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Customer } from './customer';

@Entity()
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Customer, (customer) => customer.orders, { nullable: false, onDelete: 'CASCADE' })
  customer!: Customer;

  @Column({ type: 'decimal', precision: 10, scale: 2, default: 0 })
  total!: string;

  @CreateDateColumn()
  placedAt!: Date;
}
`;

/** A project from `migrator init`, its DATABASE_URL given in the environment, entities in src/entities. */
function initProject(url: string): { p: TempProject; ok: (...args: string[]) => RunResult; run: (...args: string[]) => RunResult } {
  const p = newProject('migrator-mysql-cmds-');
  const env = { DATABASE_URL: url };
  const run = (...args: string[]): RunResult => p.run(args, env);
  const ok = (...args: string[]): RunResult => p.ok(args, env);
  ok('init');
  p.write('src/entities/customer.ts', CUSTOMER(false));
  p.write('src/entities/order.ts', ORDER);
  return { p, ok, run };
}

const A = 'aaaa11110000';
const B = 'bbbb22220000';
const C = 'cccc33330000';

describe('init, makemigrations, migrate, check, status, log and the commands that read the revisions', () => {
  let db: TestMysqlDatabase;
  let project: ReturnType<typeof initProject>;
  before(async () => {
    db = await database();
    project = initProject(db.url);
  });

  it('makemigrations writes the revision (--json), migrate applies it (--json), check is clean', async () => {
    const { p, ok, run } = project;
    const made = doc(run('makemigrations', '-m', 'create tables', '--rev-id', A, '--json'));
    assert.equal(made.written, true);
    assert.equal(undated(made.path), `versions/${A}_create_tables.ts`);
    assert.deepEqual(made.operations, ['create table customer', 'create index IDX_fdb2f3ad8115da4c7718109a6e on customer', 'create table order']);
    const source = p.read(made.path);
    assert.match(source, /op\.createTable\('order', \{/);
    assert.match(source, /type: "enum\('bronze','silver'\)"/);
    assert.deepEqual(await tablesOf(db), [], 'makemigrations changes no table');

    const up = doc(run('migrate', '--json'));
    assert.deepEqual([up.direction, up.from, up.to], ['up', [], [A]]);
    assert.deepEqual(up.steps.map((s: { revision: string; statements: number }) => [s.revision, s.statements]), [[A, 3]]);
    assert.deepEqual(await tablesOf(db), ['customer', 'migrator_history', 'migrator_version', 'order'], 'no progress table left once the run is over');
    assert.deepEqual(await versionsOf(db), [A]);
    const order = await db.query<{ c: string; t: string; n: string; d: string | null }>(
      "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS n, COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'order' ORDER BY ORDINAL_POSITION",
    );
    assert.deepEqual(order.map((r) => r.c), ['id', 'total', 'placedAt', 'customerId']);
    assert.match(order.find((r) => r.c === 'placedAt')!.t, /^datetime\(6\)$/);

    const clean = ok('check');
    assert.equal(clean.stdout, 'No changes detected: models, database and revisions agree.\n');
    assert.deepEqual(doc(run('check', '--json')), { clean: true, problems: [], differences: [], notices: [], diff: '' });
    assert.match(ok('makemigrations').stdout, /^No changes detected/);
    assert.equal(p.versionFiles().length, 1);
  });

  it('current, heads, branches, history, show, showmigrations and graph, with their --json', () => {
    const { ok } = project;
    assert.equal(ok('current').stdout, `${A} (head, base)  create tables\n`);
    assert.deepEqual(doc(ok('current', '--json')), [A]);
    assert.equal(ok('heads').stdout, `${A} (head, base)  create tables\n`);
    assert.deepEqual(doc(ok('heads', '--json')).map((h: { id: string }) => h.id), [A]);
    assert.equal(ok('branches').stdout, '(no branch points)\n');
    assert.deepEqual(doc(ok('branches', '--json')), []);
    assert.deepEqual(doc(ok('history', '--json')).map((h: { id: string }) => h.id), [A]);
    assert.deepEqual(lines(ok('history').stdout), [`<base> -> ${A} (head, base), create tables`]);
    assert.deepEqual(lines(ok('history', '-i').stdout), [`<base> -> ${A} (head, base, current), create tables`]);
    assert.match(ok('show', A.slice(0, 6)).stdout, new RegExp(`^Rev: ${A} \\(head, base\\)$`, 'm'));
    assert.equal(doc(ok('show', A, '--json')).id, A);
    assert.match(ok('showmigrations').stdout, new RegExp(`^\\[X\\] ${A}\\b.*create tables$`, 'm'));
    assert.deepEqual(doc(ok('showmigrations', '--json')).map((m: { id: string; applied: boolean }) => [m.id, m.applied]), [[A, true]]);
    assert.match(ok('graph').stdout, /^flowchart /);
  });

  it('status and log: up to date, exit 0; then a revision pending, exit 1; JSON of both', () => {
    const { p, ok, run } = project;
    assert.deepEqual(lines(ok('status').stdout), [`Database: ${masked(db.url)}`, `Current: ${A}`, `Head: ${A}`, 'Up to date.']);
    const log = lines(ok('log').stdout);
    assert.equal(log.length, 1);
    assert.match(log[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC {2}up {6}${A} {2}\\d+\\.\\d{3} s {2}\\S+@\\S+ {2}checksum [0-9a-f]{12} {2}migrator \\S+$`));
    const [row] = doc(ok('log', '--json'));
    assert.deepEqual([row.id, row.revision, row.direction], [1, A, 'up']);
    assert.match(row.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    p.write('src/entities/customer.ts', CUSTOMER(true));
    const made = run('revision', '--autogenerate', '-m', 'phone', '--rev-id', B);
    assert.equal(made.status, 0, explain(made, 'to exit 0'));
    assert.match(p.read(generatedFile(made)), /await op\.addColumn\('customer', \{ name: 'phone', type: 'varchar\(30\)', nullable: true \}\);/);
    const pending = run('status');
    assert.equal(pending.status, 1, explain(pending, 'to exit 1'));
    assert.match(pending.stdout, new RegExp(`^Pending: 1 revision\\n {2}${B} {2}phone$`, 'm'));
    assert.match(pending.stdout, /^Needs migration: run `migrator migrate`\.$/m);
    const json = doc(run('status', '--json'), 1);
    assert.deepEqual([json.current, json.heads, json.pending.map((r: { revision: string }) => r.revision), json.needsMigration, json.upToDate], [[A], [B], [B], true, false]);
    assert.deepEqual(json.drift.changedTables, [{ table: 'customer', changes: ['add column customer.phone'] }]);
  });

  it('sqlmigrate and upgrade/downgrade --sql print MySQL SQL and need no database', () => {
    const { run } = project;
    const unreachable = { DATABASE_URL: 'mysql://nobody:s3cret@127.0.0.1:1/none' };
    const { p } = project;
    const q = p.run(['sqlmigrate', B], unreachable);
    assert.equal(q.status, 0, explain(q, 'to exit 0 without a database'));
    assert.match(q.stdout, /^ALTER TABLE `customer` ADD COLUMN `phone` varchar\(30\) NULL;$/m);
    const down = doc(p.run(['sqlmigrate', B, '--downgrade', '--json'], unreachable));
    assert.equal(down.direction, 'down');
    assert.match(down.sql, /^ALTER TABLE `customer` DROP COLUMN `phone`;$/m);
    const script = p.run(['upgrade', '--sql', `${A}:${B}`], unreachable);
    assert.equal(script.status, 0, explain(script, 'to exit 0'));
    assert.match(script.stdout, /^-- MySQL commits each statement as it runs/);
    assert.match(script.stdout, new RegExp(`^UPDATE \`migrator_version\` SET \`version_num\` = '${B}' WHERE \`version_num\` = '${A}';$`, 'm'));
    assert.doesNotMatch(script.stdout, /^(BEGIN|COMMIT);$/m, 'no transaction MySQL would not keep');
    const back = run('downgrade', '--sql', `${B}:${A}`);
    assert.match(back.stdout, /^ALTER TABLE `customer` DROP COLUMN `phone`;$/m);
  });

  it('upgrade +1, downgrade -1, upgrade head: the column comes and goes, the history says so', async () => {
    const { ok } = project;
    assert.match(ok('upgrade', '+1').stdout, new RegExp(`^Applied  ${B}  phone$`, 'm'));
    const col = "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer' AND COLUMN_NAME = 'phone'";
    assert.deepEqual(await db.query(col), [{ n: 1 }]);
    const down = doc(ok('downgrade', '-1', '--json'));
    assert.deepEqual([down.direction, down.from, down.to, down.steps.map((s: { revision: string; statements: number }) => [s.revision, s.statements])], ['down', [B], [A], [[B, 1]]]);
    assert.deepEqual(await db.query(col), [{ n: 0 }]);
    ok('upgrade', 'head');
    assert.deepEqual(await versionsOf(db), [B]);
    assert.deepEqual((await db.query<{ d: string }>('SELECT direction AS d FROM migrator_history ORDER BY id')).map((r) => r.d), ['up', 'up', 'down', 'up']);
    assert.equal(ok('check').status, 0);
  });

  it('stamp moves the version table only, stamp --sql prints it; downgrade base empties the database', async () => {
    const { ok } = project;
    assert.deepEqual(doc(ok('stamp', A, '--json')), { from: [B], to: [A] });
    assert.deepEqual(await versionsOf(db), [A]);
    assert.ok((await tablesOf(db)).includes('customer'));
    const sql = ok('stamp', B, '--sql').stdout;
    assert.match(sql, new RegExp(`^INSERT INTO \`migrator_version\` \\(\`version_num\`\\) VALUES \\('${B}'\\);$`, 'm'));
    assert.deepEqual(await versionsOf(db), [A], '--sql changes nothing');
    ok('stamp', B);
    ok('downgrade', 'base');
    assert.deepEqual(await tablesOf(db), ['migrator_history', 'migrator_version']);
    assert.deepEqual(await versionsOf(db), []);
  });
});

describe('check and status on drift; a revision that fails halfway; --single-transaction; errors as JSON', () => {
  let db: TestMysqlDatabase;
  let project: ReturnType<typeof initProject>;
  before(async () => {
    db = await database();
    project = initProject(db.url);
    project.ok('makemigrations', '-m', 'create tables', '--rev-id', A);
    project.ok('migrate');
  });

  it('a column added by hand: check exits 1 with the difference and a diff, status names the table; nothing is changed', async () => {
    const { run } = project;
    await db.query('ALTER TABLE customer ADD COLUMN note text NULL');
    const before = await stateOf(db);
    const r = run('check');
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.match(r.stdout, /^Models and database differ:\n {2}- drop column customer\.note\n/);
    assert.match(r.stdout, /^- {2}column note text$/m);
    const json = doc(run('check', '--json'), 1);
    assert.deepEqual(json.differences.map((d: { kind: string; summary: string }) => [d.kind, d.summary]), [['dropColumn', 'drop column customer.note']]);
    const status = doc(run('status', '--json'), 1);
    assert.deepEqual([status.needsMigration, status.drift.changedTables], [false, [{ table: 'customer', changes: ['drop column customer.note'] }]]);
    assert.equal(await stateOf(db), before);
    await db.query('ALTER TABLE customer DROP COLUMN note');
  });

  it('a revision failing at its second statement: the first is kept and said so; downgrade refuses; a fixed database resumes; stamp settles a revision finished by hand', async () => {
    const { p, ok, run } = project;
    p.write(`versions/${B}_seed.ts`, sqlRevision(B, A, 'seed', ["CREATE TABLE tier_names (tier varchar(10) PRIMARY KEY)", "INSERT INTO tier_names VALUES ('bronze'), ('bronze')"], ['DROP TABLE tier_names']));
    const r = run('migrate');
    const line = assertUserError(r);
    assert.match(
      line,
      new RegExp(
        `^error: upgrade ${A} -> ${B} failed; revision ${B} \\(\\S+\\) stopped at its statement 2 of 2: MySQL commits each statement as it runs, so its statement 1 ran and is kept ` +
          `\\(recorded in table migrator_version_progress; the version table is unchanged\\)\\. Fix the cause and rerun to resume at statement 2, or finish the revision by hand and run \`migrator stamp ${B}\`: ` +
          `Duplicate entry 'bronze' for key 'PRIMARY' \\(in statement: INSERT INTO tier_names VALUES \\('bronze'\\), \\('bronze'\\)\\)$`,
      ),
    );
    assert.deepEqual(await tablesOf(db), ['customer', 'migrator_history', 'migrator_version', 'migrator_version_progress', 'order', 'tier_names']);
    assert.deepEqual(await versionsOf(db), [A]);
    assert.match(ok('current').stdout, new RegExp(`^${A} `));
    // status says where the revision stopped and what finishes it.
    const told = `the upgrade to revision ${B} stopped halfway in an earlier run (before its statement 2); \`migrator upgrade ${B}\` resumes it where it stopped`;
    const status = run('status');
    assert.equal(status.status, 1, explain(status, 'to exit 1'));
    assert.ok(lines(status.stdout).includes(`! ${told}`), explain(status, 'to say the revision stopped halfway'));
    assert.deepEqual(doc(run('status', '--json'), 1).halfway, [{ revision: B, direction: 'up', stoppedBefore: 2, message: told }]);

    // Nothing else moves the database until the revision is finished.
    const down = assertUserError(run('downgrade', 'base'));
    assert.equal(down, `error: the upgrade to revision ${B} stopped halfway in an earlier run (before its statement 2); finish it first: \`migrator upgrade ${B}\` resumes it where it stopped`);
    assert.ok((await tablesOf(db)).includes('customer'));

    // The cause fixed (a row that makes the insert fit), the rerun runs statement 2 only.
    await db.query('DROP TABLE tier_names');
    await db.query('CREATE TABLE tier_names (tier varchar(10))');
    const resumed = ok('migrate');
    assert.match(resumed.stdout, new RegExp(`Applied  ${B}  seed`));
    assert.deepEqual(await db.query('SELECT tier FROM tier_names'), [{ tier: 'bronze' }, { tier: 'bronze' }]);
    assert.deepEqual(await versionsOf(db), [B]);
    assert.ok(!(await tablesOf(db)).includes('migrator_version_progress'));

    // Once more, finished by hand this time, and stamped.
    ok('downgrade', A);
    await db.query('CREATE TABLE tier_names (tier varchar(10) PRIMARY KEY)');
    assertUserError(run('migrate'));
    await db.query('TRUNCATE tier_names');
    await db.query("INSERT INTO tier_names VALUES ('bronze')");
    assert.match(ok('stamp', B).stdout, new RegExp(`Stamped ${A} -> ${B}`));
    assert.ok(!(await tablesOf(db)).includes('migrator_version_progress'), 'the stamp settles the revision left halfway');
    assert.deepEqual((await db.query<{ d: string }>('SELECT direction AS d FROM migrator_history ORDER BY id DESC LIMIT 1')).map((x) => x.d), ['stamp']);
    assert.equal(ok('check').status, 0);
  });

  it('--single-transaction is refused before anything runs, online, offline and from the config', async () => {
    const { p, run } = project;
    const before = await stateOf(db);
    const refused = /^error: (--single-transaction|"singleTransaction" in \S+migrator\.config\.ts) cannot be kept on MySQL: it commits each DDL statement as it runs, so no transaction can hold a run; nothing was run\. Leave it out: each statement is then recorded as it completes, and a revision that fails resumes where it stopped$/;
    assert.match(assertUserError(run('downgrade', A, '--single-transaction')), refused);
    assert.match(assertUserError(run('upgrade', '--sql', `${A}:${B}`, '--single-transaction')), refused);
    p.write('migrator.config.ts', p.read('migrator.config.ts').replace("versions: 'versions',", "versions: 'versions',\n  singleTransaction: true,"));
    const line = assertUserError(run('downgrade', A));
    assert.match(line, refused);
    assert.match(line, /"singleTransaction" in/);
    p.write('migrator.config.ts', p.read('migrator.config.ts').replace('\n  singleTransaction: true,', ''));
    assert.equal(await stateOf(db), before);
  });

  it('errors as JSON: STATEMENT_FAILED, UNSUPPORTED_OPERATION naming mysql, DATA_LOSS, CONNECTION_FAILED with the password masked', async () => {
    const { p, run } = project;
    const failing = `versions/${C}_bad.ts`;
    p.write(failing, sqlRevision(C, B, 'bad', ['INSERT INTO no_such_table VALUES (1)'], []));
    const failed = jsonError(run('migrate', '--json'));
    assert.equal(failed.code, 'STATEMENT_FAILED');
    assert.deepEqual(failed.data, { statement: 'INSERT INTO no_such_table VALUES (1)', revision: C, direction: 'up' });
    assert.match(failed.message, new RegExp(`^upgrade ${B} -> ${C} failed; revision ${C} \\(\\S+\\) was rolled back: Table '\\w+\\.no_such_table' doesn't exist`));

    p.write(failing, `import type { Operations } from 'migrator';\nexport const revision = '${C}';\nexport const downRevision = '${B}';\nexport async function upgrade(op: Operations) {\n  await op.createEnum('status', ['a', 'b']);\n}\nexport async function downgrade(op: Operations) {}\n`);
    const unsupported = jsonError(run('migrate', '--json'));
    assert.equal(unsupported.code, 'UNSUPPORTED_OPERATION');
    assert.equal(unsupported.data?.dialect, 'mysql');
    assert.match(String(unsupported.data?.operation), /^create enum status: MySQL has no enum types/);
    p.remove(failing);

    await db.query("INSERT INTO customer (email) VALUES ('ann@example.com')");
    const before = await stateOf(db);
    const files = p.versionFiles();
    p.write('src/entities/customer.ts', CUSTOMER(false).replace("  @Column({ type: 'enum', enum: ['bronze', 'silver'], default: 'bronze' })\n  tier!: string;\n", ''));
    const loss = jsonError(run('makemigrations', '-m', 'drop tier', '--json'));
    assert.equal(loss.code, 'DATA_LOSS');
    assert.match(loss.message, /destructive: drop column customer\.tier \(1 row holds a value\)/);
    assert.deepEqual(p.versionFiles(), files);
    assert.equal(await stateOf(db), before);
    p.write('src/entities/customer.ts', CUSTOMER(false));

    const unreachable = jsonError(p.run(['current', '--json'], { DATABASE_URL: 'mysql://someone:s3cret@127.0.0.1:1/nowhere' }));
    assert.equal(unreachable.code, 'CONNECTION_FAILED');
    assert.match(unreachable.message, /^cannot connect to mysql:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    assert.ok(!unreachable.message.includes('s3cret'));
  });
});

describe('makemigrations over rows: an enum value dropped, a column narrowed', () => {
  it('refused without --accept-data-loss, naming each count, nothing written; with it, the comments say what fails at migrate', async () => {
    const db = await database();
    const { p, ok, run } = initProject(db.url);
    ok('makemigrations', '-m', 'create tables', '--rev-id', A);
    ok('migrate');
    await db.query("INSERT INTO customer (email, tier) VALUES ('ann@example.com', 'silver'), ('bob@example.com', 'bronze'), ('a-long-address@example.com', 'silver')");
    p.write('src/entities/customer.ts', CUSTOMER(false).replace("enum: ['bronze', 'silver']", "enum: ['bronze', 'gold']").replace('length: 120', 'length: 20'));
    const before = await stateOf(db);
    const files = p.versionFiles();
    const line = assertUserError(run('makemigrations', '-m', 'tiers'));
    assert.equal(
      line,
      "error: this revision would lose data or fail at migrate: data-dependent: alter column customer.email to varchar(20) (1 value is longer than 20 characters, which varchar(20) refuses); " +
        "data-dependent: alter column customer.tier to enum('bronze','gold') (2 values are not among the values of enum('bronze','gold')); nothing was written. " +
        'Pass --accept-data-loss to generate it anyway (on a terminal you are asked instead)',
    );
    assert.deepEqual(p.versionFiles(), files);
    assert.equal(await stateOf(db), before);
    const source = p.read(generatedFile(ok('makemigrations', '-m', 'tiers', '--accept-data-loss')));
    assert.match(source, /\/\/ migrator: 2 values of customer\.tier are not among the values of enum\('bronze','gold'\); this fails at migrate unless they are changed first\n {2}await op\.alterColumn\('customer', 'tier'/);
  });
});

describe("a column's ON UPDATE (TypeORM's onUpdate and @UpdateDateColumn)", () => {
  const extraOf = async (db: TestMysqlDatabase, table: string): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await db.query<{ name: string; extra: string }>(`SELECT COLUMN_NAME AS name, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`)).map((r) => [r.name, r.extra]),
    );
  const NOTE = (onUpdate: string): string => `import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'migrator/decorators';

@Entity()
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'timestamp', default: () => 'CURRENT_TIMESTAMP'${onUpdate} })
  touchedAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
`;

  it('is built as the models say, added to a column that lacks it and taken back by the downgrade; a model that says nothing keeps what the database has', async () => {
    const db = await database();
    const { p, ok } = initProject(db.url);
    p.write('src/entities/note.ts', NOTE(''));
    const first = p.read(generatedFile(ok('makemigrations', '-m', 'notes', '--rev-id', A)));
    assert.match(first, /name: 'updatedAt',\s+type: 'datetime\(6\)',\s+nullable: false,\s+default: 'CURRENT_TIMESTAMP\(6\)',\s+onUpdate: 'CURRENT_TIMESTAMP\(6\)',?\s+\}/);
    ok('migrate');
    assert.deepEqual((await extraOf(db, 'note')), { id: 'auto_increment', touchedAt: '', updatedAt: 'on update current_timestamp(6)' });

    // The model gains an ON UPDATE: one change, and back again on downgrade.
    p.write('src/entities/note.ts', NOTE(", onUpdate: 'CURRENT_TIMESTAMP'"));
    const made = ok('makemigrations', '-m', 'touch on update', '--rev-id', B);
    assert.match(made.stdout, /^ {2}- alter column note\.touchedAt: on update none → CURRENT_TIMESTAMP$/m, explain(made, 'to list the change'));
    const second = p.read(generatedFile(made));
    assert.match(second, /upgrade[\s\S]*op\.alterColumn\('note', 'touchedAt', \{ onUpdate: 'CURRENT_TIMESTAMP' \}\)[\s\S]*downgrade[\s\S]*op\.alterColumn\('note', 'touchedAt', \{ onUpdate: null \}\)/);
    ok('migrate');
    assert.equal((await extraOf(db, 'note')).touchedAt, 'on update current_timestamp()');
    assert.equal(ok('check').status, 0);
    ok('downgrade', '-1');
    assert.equal((await extraOf(db, 'note')).touchedAt, '');
    ok('migrate');

    // A model that says nothing leaves the database's ON UPDATE alone, and a type change keeps it.
    p.write('src/entities/note.ts', NOTE('').replace("type: 'timestamp'", "type: 'datetime'"));
    const kept = ok('makemigrations', '-m', 'datetime', '--rev-id', C);
    assert.match(kept.stdout, /^ {2}- alter column note\.touchedAt: type timestamp → datetime$/m, explain(kept, 'to change the type alone'));
    ok('migrate');
    assert.equal((await extraOf(db, 'note')).touchedAt, 'on update current_timestamp()');
    assert.match(ok('makemigrations').stdout, /No changes detected/);
  });

  it('PostgreSQL refuses a revision that gives a column an ON UPDATE, naming the column; nothing is applied', async () => {
    const p = newProject('migrator-onupdate-pg-');
    const pg = await createTestDatabase('migrator_onupdate');
    try {
      p.writeConfig({ database: pg.url });
      const columns = "[{ name: 'id', type: 'integer', nullable: false }, { name: 'touched', type: 'timestamp', nullable: true, onUpdate: 'CURRENT_TIMESTAMP' }]";
      p.write('versions/a1_notes.ts', opRevision('a1', null, 'notes', [`createTable('note', { columns: ${columns} })`], ["dropTable('note')"]));
      const line = assertUserError(p.run(['migrate']));
      assert.match(line, /postgres cannot give column touched ON UPDATE CURRENT_TIMESTAMP: PostgreSQL columns have no ON UPDATE clause \(a trigger does that\)/);
      assert.deepEqual(await pg.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = 'note'"), []);
    } finally {
      await pg.drop();
    }
  });
});

describe('check on a database made without migrator (a dump): stamp head adopts it', () => {
  it('check says to stamp head (exit 1) and changes nothing; after stamp head check and status are clean', async () => {
    const source = await database();
    const dumped = await database();
    const { p, ok } = initProject(source.url);
    ok('makemigrations', '-m', 'create tables', '--rev-id', A);
    ok('migrate');
    // What mysqldump --no-data would carry over: the tables as MySQL prints them, not migrator's own.
    for (const t of ['customer', 'order']) {
      const [row] = await source.query<Record<string, string>>(`SHOW CREATE TABLE \`${t}\``);
      await dumped.query(row['Create Table']);
    }
    const on = (...args: string[]): RunResult => p.run(args, { DATABASE_URL: dumped.url });
    const before = await stateOf(dumped);
    const r = on('check');
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.equal(
      r.stdout,
      '! the database already matches the models, but no revision is recorded (no version table migrator_version): run `migrator stamp head` to record it as up to date without running any revision (migrate would try to create its tables again)\n',
    );
    assert.equal(await stateOf(dumped), before, 'check changes nothing');
    assert.match(on('stamp', 'head').stdout, new RegExp(`^Stamped base -> ${A}$`, 'm'));
    assert.deepEqual(await versionsOf(dumped), [A]);
    const clean = on('check');
    assert.equal(clean.status, 0, explain(clean, 'to exit 0'));
    assert.equal(on('status').status, 0);
  });
});

describe('squash', () => {
  it('databases inside, at the end of and after the range and a fresh one reach the same catalog, rows kept; downgrade below it; old files deleted', async () => {
    const dbs = Object.fromEntries(await Promise.all(['reference', 'below', 'inside', 'at', 'after', 'fresh', 'insideLater'].map(async (n) => [n, await database('migrator_squash')] as const)));
    const catalog = async (db: TestMysqlDatabase): Promise<string> => mysqlCatalogText(await readMysqlCatalog(db));
    const rows = async (db: TestMysqlDatabase): Promise<unknown> => [await db.query('SELECT id, name FROM users ORDER BY id'), await db.query('SELECT id, user_id FROM posts ORDER BY id')];
    const p = newProject('migrator-mysql-squash-');
    p.writeConfig({ database: dbs.reference.url });
    for (const [name, source] of Object.entries(chain({ bool: 'boolean', no: 'false', yes: 'true' }))) p.write(`versions/${name}`, source);
    const on = (db: TestMysqlDatabase, ...args: string[]): RunResult => p.ok(['--database', db.url, ...args]);
    p.ok(['migrate']);
    const reference = await catalog(dbs.reference);
    on(dbs.below, 'migrate', SA);
    const belowSquash = await catalog(dbs.below);
    for (const [db, target, title] of [[dbs.inside, SC, 'title'], [dbs.insideLater, SC, 'title'], [dbs.at, SD, 'headline'], [dbs.after, SE, 'headline']] as const) {
      on(db, 'migrate', target);
      await db.query("INSERT INTO users (id, name) VALUES (1, 'ada')");
      await db.query(`INSERT INTO posts (id, user_id, ${title}) VALUES (10, 1, 'hello')`);
    }
    const kept = await rows(dbs.inside);

    const squashed = doc(p.run(['squash', SB, SD, '-m', 'posts and user emails', '--rev-id', S, '--json']));
    assert.equal(undated(squashed.path), `versions/${S}_posts_and_user_emails.ts`);
    assert.deepEqual(squashed.replaces, [SB, SC, SD]);
    const source = p.read(squashed.path);
    assert.equal(source.match(/op\.createTable\('posts'/g)?.length, 1, source);

    assert.match(on(dbs.inside, 'migrate').stdout, new RegExp(`^Applied  ${SD}  headlines$\\nApplied  ${SE}`, 'm'));
    assert.match(on(dbs.at, 'migrate').stdout, new RegExp(`^Stamped  ${S} .*\\nApplied  ${SE}`, 'm'));
    assert.match(on(dbs.after, 'migrate').stdout, /^Nothing to do/m);
    assert.match(on(dbs.fresh, 'migrate').stdout, new RegExp(`^Applied  ${S}  posts and user emails$`, 'm'));
    for (const n of ['inside', 'at', 'after', 'fresh'] as const) {
      assert.equal(await catalog(dbs[n]), reference, `${n}: another catalog than the old files build`);
      assert.deepEqual(await versionsOf(dbs[n]), [SE], n);
      if (n !== 'fresh') assert.deepEqual(await rows(dbs[n]), kept, `${n} lost rows`);
    }
    assert.match(p.ok(['--database', dbs.at.url, 'current']).stdout, new RegExp(`^${SE} `));

    // Below the squash: its downgrade runs.
    on(dbs.fresh, 'downgrade', SA);
    assert.equal(await catalog(dbs.fresh), belowSquash);
    on(dbs.fresh, 'migrate');
    assert.equal(await catalog(dbs.fresh), reference);

    // The old files deleted: a database inside the range is refused, and left where it was.
    for (const f of p.versionFiles()) if ([SB, SC, SD].some((id) => f.startsWith(id))) p.remove(`versions/${f}`);
    const line = assertUserError(p.run(['--database', dbs.insideLater.url, 'migrate']));
    assert.match(line, new RegExp(`at revision ${SC}, inside the range that squash ${S} .* restore them .*migrator migrate`), line);
    assert.deepEqual(await versionsOf(dbs.insideLater), [SC]);
  });
});

/** The scratch databases verify makes (migrator_verify_…) that exist now, sorted. */
async function scratchDatabases(db: TestMysqlDatabase): Promise<string[]> {
  return (await db.query<{ d: string }>("SELECT SCHEMA_NAME AS d FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'migrator\\_verify\\_%' ORDER BY 1")).map((r) => r.d);
}

/** A hand-written revision file calling the `op` API. */
function opRevision(id: string, down: string | null, message: string, up: string[], downgrade: string[]): string {
  const body = (calls: string[]): string => calls.map((c) => `  await op.${c};`).join('\n');
  return `/**
 * ${message}
 */
import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(op: Operations): Promise<void> {
${body(up)}
}

export async function downgrade(op: Operations): Promise<void> {
${body(downgrade)}
}
`;
}

/** Revisions by hand: users with an enum column, posts with a foreign key, an index, a column, a rename. `b4`'s downgrade is `downgradeB4`. */
function handChain(p: TempProject, url: string, downgradeB4: string[]): void {
  p.write('migrator.config.ts', `export default { database: ${JSON.stringify(url)}, versions: ['versions'] };\n`);
  p.write('versions/a1.ts', opRevision('a1', null, 'create users', [
    "createTable('users', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'name', type: 'text', nullable: false }, { name: 'status', type: \"enum('active','gone')\", nullable: false, default: \"'active'\" }], primaryKey: { columns: ['id'] } })",
  ], ["dropTable('users')"]));
  p.write('versions/b2.ts', opRevision('b2', 'a1', 'create posts', [
    "createTable('posts', { columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'user_id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] }, foreignKeys: [{ name: 'posts_user_fk', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE' }] })",
  ], ["dropTable('posts')"]));
  p.write('versions/c3.ts', opRevision('c3', 'b2', 'index posts by user', ["createIndex('posts', { name: 'posts_user_ix', columns: ['user_id'] })"], ["dropIndex('posts', 'posts_user_ix')"]));
  p.write('versions/b4.ts', opRevision('b4', 'c3', 'add title', ["addColumn('posts', { name: 'title', type: 'varchar(200)', nullable: true })"], downgradeB4));
  p.write('versions/e5.ts', opRevision('e5', 'b4', 'rename name to full_name', ["renameColumn('users', 'name', 'full_name')"], ["renameColumn('users', 'full_name', 'name')"]));
}

describe('verify', () => {
  let db: TestMysqlDatabase;
  let existing: string[] = [];
  before(async () => {
    db = await database('migrator_verify_cfg');
    existing = await scratchDatabases(db);
  });
  const stateOfDb = (): Promise<string> => stateOf(db);

  it('a generated chain passes against the models; the configured database is unchanged; the scratch database is dropped', async () => {
    const p = newProject('migrator-mysql-verify-');
    p.writeConfig({ database: db.url });
    generatedChain(p, []);
    const before = await stateOfDb();
    const r = p.ok(['verify']);
    assert.equal(r.stderr, '');
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    c1create  create customer',
      'ok    c2email  add email',
      'ok    c3index  index email',
      'ok    c4order  create order',
      'ok    c5fk  order belongs to customer',
      'ok    c6rename  rename name to full_name',
      "The revisions build the models' schema.",
    ]);
    assert.match(lines(r.stdout).at(-1)!, new RegExp(`^OK: 6 revisions verified on scratch database mysql://\\S+/migrator_verify_\\d+_[0-9a-f]{8}\\.$`));
    assert.equal(await stateOfDb(), before, 'the configured database keeps its tables, rows and history');
    assert.deepEqual(await scratchDatabases(db), existing, 'the scratch database is dropped');
  });

  it('a downgrade that leaves a column: exit 1 naming it; a downgrade that fails halfway: exit 1 with what the server said; the scratch database is dropped', async () => {
    const p = newProject('migrator-mysql-verify-');
    handChain(p, db.url, []);
    const r = p.run(['verify']);
    assert.equal(r.status, 1, explain(r, 'to exit 1'));
    assert.deepEqual(lines(r.stdout).slice(0, -1), [
      'ok    a1  create users',
      'ok    b2  create posts',
      'ok    c3  index posts by user',
      'FAIL  b4  add title',
      '  its downgrade (versions/b4.ts) does not restore the schema from before its upgrade; to restore it, the downgrade would also have to:',
      '    - drop column posts.title',
      'Not verified, after the failure: e5',
      'Heads and models not checked: verification stopped at revision b4.',
    ]);
    assert.deepEqual(await scratchDatabases(db), existing);

    handChain(p, db.url, ["dropColumn('posts', 'title')", "execute('DROP TABLE no_such_table')"]);
    const failed = p.run(['verify', '--json']);
    assert.equal(failed.status, 1, explain(failed, 'to exit 1'));
    const d = JSON.parse(failed.stdout) as { ok: boolean; revisions: { revision: string; ok: boolean; problem?: { direction: string; error: string } }[]; notRun: string[] };
    assert.deepEqual(d.revisions.map((v) => [v.revision, v.ok]), [['a1', true], ['b2', true], ['c3', true], ['b4', false]]);
    assert.equal(d.revisions[3].problem?.direction, 'downgrade');
    assert.match(d.revisions[3].problem!.error, /^downgrade b4 -> c3 failed; revision b4 \(\S+versions\/b4\.ts\) stopped at its statement 2 of 2: MySQL commits each statement as it runs, so its statement 1 ran and is kept .*Unknown table '\w+\.no_such_table'/);
    assert.deepEqual(d.notRun, ['e5']);
    assert.deepEqual(await scratchDatabases(db), existing);
  });

  it('--scratch-url: used, left empty again; one with tables and the configured database are refused', async () => {
    const scratch = await database('migrator_verify_scratch');
    const p = newProject('migrator-mysql-verify-');
    handChain(p, db.url, ["dropColumn('posts', 'title')"]);
    const before = await stateOfDb();
    const r = p.ok(['verify', '--scratch-url', scratch.url]);
    assert.equal(lines(r.stdout).at(-1), `OK: 5 revisions verified on scratch database ${masked(scratch.url)}.`);
    assert.deepEqual(await tablesOf(scratch), [], 'the scratch database is emptied, foreign keys and all');
    assert.equal(await stateOfDb(), before);

    await scratch.query('CREATE TABLE keep (id integer)');
    const full = assertUserError(p.run(['verify', '--scratch-url', scratch.url]));
    assert.equal(full, `error: --scratch-url ${masked(scratch.url)} is not empty (table keep); verify needs an empty database, which it leaves empty again`);
    assert.deepEqual(await tablesOf(scratch), ['keep']);
    assert.match(assertUserError(p.run(['verify', '--scratch-url', db.url])), /is the configured database; verify never changes it/);
  });

  it('a user that may not create databases: exit 2, one line saying to pass --scratch-url, the password masked', async () => {
    const user = `migrator_nocreate_${process.pid}`;
    const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    try {
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 's3cret'`);
      await admin.query(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'%'`);
      const url = new URL(db.url);
      url.username = user;
      url.password = 's3cret';
      const p = newProject('migrator-mysql-verify-');
      handChain(p, url.toString(), []);
      const line = assertUserError(p.run(['verify']));
      assert.match(line, new RegExp(`^error: cannot create a scratch database on the server of mysql://${user}:\\*\\*\\*@\\S+: Access denied for user '${user}'@'%' to database 'migrator_verify_\\w+'; pass --scratch-url <url> of an empty database verify may use instead$`));
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.end();
    }
  });
});

/** A revision that creates `table` with a column, in two statements (so that it can fail halfway), and drops it. */
function fleetRevision(id: string, down: string | null, table: string): string {
  return opRevision(id, down, `table ${table}`, [`createTable('${table}', { columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] } })`, `addColumn('${table}', { name: 'x', type: 'integer', nullable: true })`], [`dropTable('${table}')`]);
}

const FLEET_ENTITIES = ['t_1', 't_2', 't_3'].map(
  (t) => `import { Column, Entity, PrimaryColumn } from 'migrator/decorators';

@Entity('${t}')
export class T${t.slice(2)} {
  @PrimaryColumn()
  id!: number;

  @Column({ type: 'int', nullable: true })
  x!: number | null;
}
`,
);

describe('--all over MySQL targets', () => {
  it('migrate --all with a target failing halfway; status --all, check --all; the rerun resumes; stamp --all, downgrade --all; --json', async () => {
    const [d1, d2, d3] = [await database('migrator_fleet'), await database('migrator_fleet'), await database('migrator_fleet')];
    const p = newProject('migrator-mysql-fleet-');
    const mariadb = d3.url.replace(/^mysql:/, 'mariadb:');
    p.write('migrator.config.ts', `export default { versions: 'versions', models: ['entities/*.ts'], targets: [${JSON.stringify(d1.url)}, { name: 'tenant-2', url: ${JSON.stringify(d2.url)} }, ${JSON.stringify(mariadb)}] };\n`);
    ['r1', 'r2', 'r3'].forEach((id, i) => p.write(`versions/${id}.ts`, fleetRevision(id, i ? `r${i}` : null, `t_${i + 1}`)));
    FLEET_ENTITIES.forEach((source, i) => p.writeEntity(`t${i + 1}`, source));
    await d2.query('CREATE TABLE t_3 (x integer)');

    const r = p.run(['migrate', '--all', '--parallel', '1']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(r.stdout, new RegExp(`^\\[1/3\\] ${masked(d1.url)}: migrated base -> r3 \\(3 steps\\)`, 'm'));
    assert.match(r.stdout, /^\[2\/3\] tenant-2: FAILED at revision r3: upgrade r2 -> r3 failed; revision r3 \(\S+\) failed at its statement 1 of 2: nothing before it ran, and the version table is unchanged; fix the cause and rerun: Table 't_3' already exists/m);
    assert.match(r.stdout, /^tenant-2\s+base\s+r2\s+2\s+\S+ m?s\s+failed$/m);
    assert.match(r.stdout, new RegExp(`^${mariadb.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+-\\s+-\\s+-\\s+-\\s+not run$`, 'm'));
    assert.match(r.stdout, /^1 migrated, 1 failed, 1 not run \(of 3\)\.$/m);
    assert.deepEqual([await versionsOf(d1), await versionsOf(d2), await versionsOf(d3)], [['r3'], ['r2'], []]);
    assert.deepEqual(await tablesOf(d3), [], 'a target not started is untouched');
    assert.deepEqual(await tablesOf(d2), ['migrator_history', 'migrator_version', 't_1', 't_2', 't_3'], 'nothing is left halfway: no progress table');

    const s = p.run(['status', '--all']);
    assert.equal(s.status, 1, explain(s, 'to exit 1'));
    assert.match(s.stdout, /^tenant-2 at r2: 1 pending, checksums ok$/m);
    assert.match(s.stdout, /^1 of 3 targets up to date; run `migrator migrate --all`\.$/m);
    const c = doc(p.run(['check', '--all', '--json']), 1);
    assert.deepEqual(c.targets.map((t: { target: string; clean: boolean }) => [t.target, t.clean]), [[masked(d1.url), true], ['tenant-2', false], [masked(mariadb), false]]);

    await d2.query('DROP TABLE t_3');
    const fixed = doc(p.run(['migrate', '--all', '--json']));
    assert.deepEqual(fixed.targets.map((t: { target: string; from: string[]; to: string[]; steps: number; status: string }) => [t.target, t.from, t.to, t.steps, t.status]), [
      [masked(d1.url), ['r3'], ['r3'], 0, 'up to date'],
      ['tenant-2', ['r2'], ['r3'], 1, 'migrated'],
      [masked(mariadb), [], ['r3'], 3, 'migrated'],
    ]);
    assert.match(p.ok(['check', '--all']).stdout, /^All 3 targets agree with the models and revisions\.$/m);
    assert.match(p.ok(['status', '--all']).stdout, /^All 3 targets up to date\.$/m);

    assert.match(p.ok(['stamp', '--all', 'r2']).stdout, /^3 stamped \(of 3\)\.$/m);
    assert.deepEqual([await versionsOf(d1), await versionsOf(d2), await versionsOf(d3)], [['r2'], ['r2'], ['r2']]);
    assert.match(p.ok(['downgrade', '--all', 'base']).stdout, /^3 downgraded \(of 3\)\.$/m);
    for (const d of [d1, d2, d3]) assert.deepEqual(await tablesOf(d), ['migrator_history', 'migrator_version', 't_3'], 'stamped at r2, the downgrade reverted r2 and r1 only');
  });
});

const HOSTILE = `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity(${JSON.stringify("we`ird 'ta\"ble")})
@Index(${JSON.stringify("idx`it's")}, ['select'])
@Check(${JSON.stringify('chk`q')}, ${JSON.stringify("`select` <> 'x''y\\\\z'")})
export class Weird {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'select', length: 50, default: ${JSON.stringify('it\'s \\ back"slash; --')}, comment: ${JSON.stringify("a `tick` 'quote' \\ back")} })
  select!: string;

  @Column({ name: ${JSON.stringify('col`umn')}, type: 'enum', enum: ${JSON.stringify(["it's", 'a"b', 'back\\slash', '日本'])}, default: 'back\\\\slash' })
  kind!: string;
}

@Entity('order')
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Weird, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group', foreignKeyConstraintName: ${JSON.stringify("fk`x'y")} })
  weird!: Weird;
}
`;

describe('names, defaults, enum values and checks that need quoting', () => {
  it('makemigrations, migrate and check agree; the values are the ones the entities give; the offline script builds the same catalog', async () => {
    const db = await database();
    const { p, ok } = initProject(db.url);
    p.remove('src/entities/customer.ts');
    p.remove('src/entities/order.ts');
    p.write('src/entities/hostile.ts', HOSTILE);
    ok('makemigrations', '-m', `it's */ DROP TABLE posts; -- \\ "日本"`, '--rev-id', A);
    ok('migrate');
    const clean = ok('check');
    assert.equal(clean.stdout, 'No changes detected: models, database and revisions agree.\n');

    await db.query("INSERT INTO `we``ird 'ta\"ble` () VALUES ()");
    assert.deepEqual(await db.query("SELECT `select` AS s, `col``umn` AS k FROM `we``ird 'ta\"ble`"), [{ s: 'it\'s \\ back"slash; --', k: 'back\\slash' }]);
    const [column] = await db.query<{ comment: string; type: string }>("SELECT COLUMN_COMMENT AS comment, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN ('select', 'col`umn') ORDER BY COLUMN_NAME DESC");
    assert.deepEqual(column, { comment: "a `tick` 'quote' \\ back", type: 'varchar(50)' });
    await assert.rejects(db.query("INSERT INTO `we``ird 'ta\"ble` (`select`) VALUES ('x''y\\\\z')"), /CONSTRAINT `chk``q` failed|Check constraint 'chk`q' is violated/);

    // The offline script, run as a DBA would (one session, statement after statement).
    const offline = await database();
    const script = p.run(['upgrade', '--sql', `base:${A}`], { DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none' });
    assert.equal(script.status, 0, explain(script, 'to exit 0 without a database'));
    assert.match(script.stdout, /^SET NAMES utf8mb4;\nSET SESSION sql_mode = REPLACE\(@@SESSION\.sql_mode, 'NO_BACKSLASH_ESCAPES', ''\);$/m);
    await offline.query(script.stdout);
    assert.equal(mysqlCatalogText(await readMysqlCatalog(offline)), mysqlCatalogText(await readMysqlCatalog(db)));
    assert.equal(p.run(['check'], { DATABASE_URL: offline.url }).status, 0);

    ok('downgrade', 'base');
    assert.deepEqual(await tablesOf(db), ['migrator_history', 'migrator_version']);
  });
});
