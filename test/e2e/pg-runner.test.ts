/**
 * The runner on PostgreSQL, end to end through the built CLI (`dist/cli/main.js`):
 *
 *  (a) the whole cycle and (b) concurrent `migrate` processes: in dialect-cycle.test.ts and
 *      dialect-concurrency.test.ts, one body for SQLite, PostgreSQL and MySQL;
 *  (c) a revision failing halfway is rolled back whole, exit 2, naming revision and statement;
 *  (d) identifiers that need quoting (`order`, `a"b`, `MixedCase`, `ünïcødé`, a column `select`);
 *  (e) offline SQL (`upgrade --sql`, `downgrade --sql`, `sqlmigrate`) with no database at all.
 *
 * One database for the file (test/support/pg.ts); every part starts from an empty `public`
 * schema. An unreachable PostgreSQL fails the file. Needs `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

// `node --test` run from a terminal sets FORCE_COLOR=1 for test files, and children inherit it;
// the tests read the CLI's output through pipes, where it has no colour unless forced.
delete process.env.FORCE_COLOR;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');

/** A URL nothing listens on, with a password that must never be printed. */
const SECRET = 'Sup3r-s3cret-pw';
const NOWHERE = `postgres://nobody:${SECRET}@127.0.0.1:1/none`;

interface Run {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}

const show = (r: Run): string => `migrator ${r.args.join(' ')}: exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A throw-away migrator project folder. */
class PgProject {
  readonly dir: string;

  constructor(
    label: string,
    readonly url: string,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `migrator-pg-${label}-`));
    this.write(
      'migrator.config.ts',
      `import { defineConfig } from 'migrator';

export default defineConfig({ database: ${JSON.stringify(url)}, models: ['entities/*.ts'], versions: 'versions' });
`,
    );
    fs.mkdirSync(path.join(this.dir, 'entities'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'versions'), { recursive: true });
  }

  write(rel: string, content: string): void {
    const file = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }

  run(...args: string[]): Run {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: this.dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 90_000 });
    if (r.error) throw r.error;
    return { args, status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  ok(...args: string[]): Run {
    const r = this.run(...args);
    assert.equal(r.status, 0, show(r));
    return r;
  }

  /** The `Generated versions/<file>` line of makemigrations: the revision id. */
  generated(r: Run): string {
    const m = /^Generated versions\/\d{8}_\d{6}_([0-9a-z_]+?)_\S*\.ts$/m.exec(r.stdout);
    assert.ok(m, `no "Generated versions/…" line\n${show(r)}`);
    return m[1];
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The catalog of the `public` schema, in a comparable form.

interface Catalog {
  tables: Record<
    string,
    {
      /** By name: a column re-added by a downgrade goes to the end, as in Alembic. */
      columns: { name: string; type: string; notnull: boolean; default: string | null; identity: string }[];
      constraints: { name: string; type: string; def: string }[];
      indexes: { name: string; def: string }[];
    }
  >;
  enums: Record<string, string[]>;
  sequences: string[];
}

async function catalog(db: TestDatabase): Promise<Catalog> {
  const out: Catalog = { tables: {}, enums: {}, sequences: [] };
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  for (const t of tables) out.tables[t.name] = { columns: [], constraints: [], indexes: [] };
  const columns = await db.query<{ table: string; name: string; type: string; notnull: boolean; default: string | null; identity: string }>(
    `SELECT c.relname::text AS table, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text AS identity
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY 1, 2`,
  );
  for (const { table, ...c } of columns) out.tables[table]?.columns.push(c);
  for (const t of Object.values(out.tables)) t.columns.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const constraints = await db.query<{ table: string; name: string; type: string; def: string }>(
    `SELECT c.relname::text AS table, con.conname::text AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' ORDER BY 1, 2`,
  );
  for (const { table, ...c } of constraints) out.tables[table]?.constraints.push(c);
  const indexes = await db.query<{ table: string; name: string; def: string }>(
    `SELECT tablename::text AS table, indexname::text AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
  );
  for (const { table, ...i } of indexes) out.tables[table]?.indexes.push(i);
  const enums = await db.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY 1 ORDER BY 1`,
  );
  for (const e of enums) out.enums[e.name] = e.labels;
  const sequences = await db.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY 1`,
  );
  out.sequences = sequences.map((s) => s.name);
  return out;
}

async function tableNames(db: TestDatabase): Promise<string[]> {
  return Object.keys((await catalog(db)).tables).sort();
}

async function versionRows(db: TestDatabase): Promise<string[]> {
  return (await db.query<{ version_num: string }>('SELECT version_num FROM migrator_version ORDER BY 1')).map((r) => r.version_num);
}

/** Back to an empty database: a fresh `public` schema, no enum types, no extensions. */
async function resetSchema(db: TestDatabase): Promise<void> {
  await db.query('DROP SCHEMA public CASCADE');
  await db.query('CREATE SCHEMA public');
  for (const e of await db.query<{ extname: string }>("SELECT extname::text AS extname FROM pg_extension WHERE extname <> 'plpgsql'")) {
    await db.query(`DROP EXTENSION IF EXISTS "${e.extname}" CASCADE`);
  }
}

// ---------------------------------------------------------------------------------------------

let db: TestDatabase;
const made: PgProject[] = [];
const project = (label: string, url = db.url): PgProject => {
  const p = new PgProject(label, url);
  made.push(p);
  return p;
};

before(async () => {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npx tsc -p tsconfig.json\` first`);
  db = await createTestDatabase('migrator_pg_runner');
});

after(async () => {
  await db?.drop();
  if (!process.env.KEEP_TMP) for (const p of made) p.cleanup();
});

// ---------------------------------------------------------------------------------------------
// (c) A revision failing halfway.

const FAIL_1 = 'fa11ed000001';
const FAIL_2 = 'fa11ed000002';
const BAD_SQL = 'SELEC broken_on_purpose FROM nowhere';

describe('(c) a revision that fails halfway', () => {
  test('is rolled back whole: schema and version table stay at the previous revision, exit 2, message names revision and statement', async () => {
    await resetSchema(db);
    const p = project('failing');
    p.write(
      `versions/${FAIL_1}_accounts.ts`,
      `import type { Operations } from 'migrator';

export const revision = '${FAIL_1}';
export const downRevision: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('account', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'name', type: 'varchar(40)', nullable: false },
    ],
    primaryKey: { name: 'pk_account', columns: ['id'] },
  });
  await op.execute("INSERT INTO account (name) VALUES ('first')");
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('account');
}
`,
    );
    p.write(
      `versions/${FAIL_2}_ledger.ts`,
      `import type { Operations } from 'migrator';

export const revision = '${FAIL_2}';
export const downRevision: string | string[] | null = '${FAIL_1}';

export async function upgrade(op: Operations): Promise<void> {
  await op.createEnum('ledger_kind', ['debit', 'credit']);
  await op.createTable('ledger', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'kind', type: 'ledger_kind', nullable: false },
    ],
    primaryKey: { name: 'pk_ledger', columns: ['id'] },
  });
  await op.addColumn('account', { name: 'balance', type: 'numeric(12,2)', nullable: false, default: '0' });
  await op.execute("INSERT INTO account (name) VALUES ('second')");
  await op.execute(${JSON.stringify(BAD_SQL)});
  await op.createIndex('ledger', { name: 'ix_ledger_kind', columns: ['kind'] });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('ledger', 'ix_ledger_kind');
  await op.dropColumn('account', 'balance');
  await op.dropTable('ledger');
  await op.dropEnum('ledger_kind');
}
`,
    );
    const first = p.ok('upgrade', FAIL_1);
    assert.match(first.stdout, new RegExp(`Applied\\s+${FAIL_1}`), show(first));
    const before = await catalog(db);
    const rowsBefore = await db.query('SELECT * FROM account ORDER BY id');

    const r = p.run('migrate');
    assert.equal(r.status, 2, show(r));
    assert.doesNotMatch(r.stdout, new RegExp(`Applied\\s+${FAIL_2}`), show(r));
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    // The error in one line, and under it the statement's line with a caret where PostgreSQL
    // found the syntax error.
    assert.deepEqual(lines.slice(1), [`  line 1: ${BAD_SQL}`, `${' '.repeat(10)}^`], `the statement, pointed at\n${show(r)}`);
    assert.match(lines[0], /^error: /, show(r));
    assert.ok(lines[0].includes(FAIL_2), `the message names revision ${FAIL_2}\n${show(r)}`);
    assert.ok(lines[0].includes(BAD_SQL), `the message names the failing statement\n${show(r)}`);
    assert.match(lines[0], /rolled back/, show(r));
    assert.ok(!r.stderr.includes('    at '), `no stack trace\n${show(r)}`);

    assert.deepEqual(await versionRows(db), [FAIL_1]);
    assert.deepEqual(await catalog(db), before, 'the schema changed although the revision failed');
    assert.deepEqual(await db.query('SELECT * FROM account ORDER BY id'), rowsBefore);
    const cur = p.ok('current');
    assert.match(cur.stdout, new RegExp(`^${FAIL_1}`), show(cur));
  });

  test('when the first revision fails, nothing is left behind, not even the version table', async () => {
    await resetSchema(db);
    const p = project('failing-first');
    p.write(
      `versions/${FAIL_1}_broken.ts`,
      `import type { Operations } from 'migrator';

export const revision = '${FAIL_1}';
export const downRevision: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('account', { columns: [{ name: 'id', type: 'integer', nullable: false }] });
  await op.execute(${JSON.stringify(BAD_SQL)});
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('account');
}
`,
    );
    const r = p.run('migrate');
    assert.equal(r.status, 2, show(r));
    assert.ok(r.stderr.includes(FAIL_1) && r.stderr.includes(BAD_SQL), show(r));
    assert.deepEqual(await tableNames(db), []);
  });
});

// ---------------------------------------------------------------------------------------------
// (d) Identifiers that need quoting.

const QUOTING_ENTITIES = `import { Column, Entity, Index, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('MixedCase')
export class MixedCase {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'CamelColumn', type: 'varchar', length: 20 })
  camel!: string;
}

@Entity('order')
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'select', type: 'varchar', length: 20, default: 'all' })
  choice!: string;

  @ManyToOne(() => MixedCase, { onDelete: 'CASCADE' })
  owner!: MixedCase;
}

@Entity('a"b')
export class Quoted {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'it"s', type: 'text', nullable: true })
  odd!: string | null;

  @ManyToOne(() => Order)
  order!: Order;
}

@Entity('ünïcødé')
export class Unicode {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  clé!: string;

  @Index({ unique: true })
  @Column({ name: 'naïve', type: 'varchar', length: 20, default: 'çà' })
  naive!: string;

  @ManyToOne(() => Quoted, { onDelete: 'SET NULL' })
  quoted!: Quoted | null;
}
`;

// An enum column on a table whose name needs quoting: its type is "MixedCase_kind_enum".
const QUOTED_ENUM_ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('MixedKind')
export class MixedKind {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'enum', enum: ['x', 'y'], default: 'x' })
  kind!: string;
}
`;

describe('(d) identifiers that need quoting', () => {
  test('tables order, a"b, MixedCase, ünïcødé and a column select: makemigrations → migrate → check → downgrade base', async () => {
    await resetSchema(db);
    const p = project('quoting');
    p.write('entities/quoting.ts', QUOTING_ENTITIES);
    const gen = p.ok('makemigrations', '-m', 'awkward names');
    const rev = p.generated(gen);
    const up = p.ok('migrate');
    assert.match(up.stdout, new RegExp(`Applied\\s+${rev}`), show(up));
    const chk = p.run('check');
    assert.equal(chk.status, 0, show(chk));
    assert.match(chk.stdout, /No changes detected/, show(chk));
    const again = p.ok('makemigrations');
    assert.match(again.stdout, /No changes detected/, show(again));

    const cat = await catalog(db);
    assert.deepEqual(Object.keys(cat.tables).sort(), ['MixedCase', 'a"b', 'migrator_history', 'migrator_version', 'order', 'ünïcødé'].sort());
    assert.deepEqual(cat.tables.order.columns.map((c) => c.name), ['id', 'ownerId', 'select']);
    assert.deepEqual(cat.tables['a"b'].columns.map((c) => c.name), ['id', 'it"s', 'orderId']);
    assert.deepEqual(cat.tables['ünïcødé'].columns.map((c) => c.name), ['clé', 'naïve', 'quotedId']);
    assert.deepEqual(cat.tables.MixedCase.columns.map((c) => c.name), ['CamelColumn', 'id']);
    const fks = Object.values(cat.tables).flatMap((t) => t.constraints.filter((k) => k.type === 'f').map((k) => k.def)).sort();
    assert.deepEqual(fks, [
      'FOREIGN KEY ("orderId") REFERENCES "order"(id)',
      'FOREIGN KEY ("ownerId") REFERENCES "MixedCase"(id) ON DELETE CASCADE',
      'FOREIGN KEY ("quotedId") REFERENCES "a""b"(id) ON DELETE SET NULL',
    ]);
    assert.ok(cat.tables.order.indexes.some((i) => /ON public\."order" USING btree \("select"\)$/.test(i.def)), JSON.stringify(cat.tables.order.indexes));
    assert.ok(cat.tables['a"b'].indexes.some((i) => /ON public\."a""b" USING btree \("it""s"\)$/.test(i.def)), JSON.stringify(cat.tables['a"b'].indexes));
    assert.deepEqual(cat.tables['ünïcødé'].columns.find((c) => c.name === 'naïve')?.default, "'çà'::character varying");

    // The tables work with their quoted names.
    await db.query(`INSERT INTO "MixedCase" ("CamelColumn") VALUES ('x')`);
    await db.query(`INSERT INTO "order" ("select", "ownerId") VALUES ('some', 1)`);
    await db.query(`INSERT INTO "a""b" ("it""s", "orderId") VALUES ('q', 1)`);
    await db.query(`INSERT INTO "ünïcødé" ("clé", "quotedId") VALUES ('k', 1)`);
    assert.deepEqual(await db.query(`SELECT "naïve" FROM "ünïcødé"`), [{ naïve: 'çà' }]);

    const down = p.ok('downgrade', 'base');
    assert.match(down.stdout, new RegExp(`Reverted\\s+${rev}`), show(down));
    assert.deepEqual(await tableNames(db), ['migrator_history', 'migrator_version']);
    assert.deepEqual(await versionRows(db), []);
  });

  test('an enum on a mixed-case table (type "MixedKind_kind_enum"): makemigrations → migrate → check → downgrade base', async () => {
    await resetSchema(db);
    const p = project('quoting-enum');
    p.write('entities/kind.ts', QUOTED_ENUM_ENTITY);
    const gen = p.ok('makemigrations', '-m', 'mixed-case enum');
    const rev = p.generated(gen);
    const up = p.run('migrate');
    assert.equal(up.status, 0, show(up));
    assert.deepEqual((await catalog(db)).enums, { MixedKind_kind_enum: ['x', 'y'] });
    assert.equal((await catalog(db)).tables.MixedKind.columns.find((c) => c.name === 'kind')?.type, '"MixedKind_kind_enum"');
    const chk = p.run('check');
    assert.equal(chk.status, 0, show(chk));
    const down = p.ok('downgrade', 'base');
    assert.match(down.stdout, new RegExp(`Reverted\\s+${rev}`), show(down));
    assert.deepEqual(await tableNames(db), ['migrator_history', 'migrator_version']);
    assert.deepEqual((await catalog(db)).enums, {});
  });
});

// ---------------------------------------------------------------------------------------------
// (e) Offline SQL needs no database.

const OFF_1 = '0ff1e0000001';
const OFF_2 = '0ff1e0000002';
const OFF_3 = '0ff1e0000003';

function offlineRevisions(p: PgProject): void {
  p.write(
    `versions/${OFF_1}_create_item.ts`,
    `import type { Operations } from 'migrator';

export const revision = '${OFF_1}';
export const downRevision: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createEnum('item_state', ['new', 'old']);
  await op.createTable('item', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'state', type: 'item_state', nullable: false, default: "'new'" },
      { name: 'title', type: 'varchar(40)', nullable: true },
    ],
    primaryKey: { name: 'pk_item', columns: ['id'] },
  });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('item');
  await op.dropEnum('item_state');
}
`,
  );
  p.write(
    `versions/${OFF_2}_item_title.ts`,
    `import type { Operations } from 'migrator';

export const revision = '${OFF_2}';
export const downRevision: string | string[] | null = '${OFF_1}';

export async function upgrade(op: Operations): Promise<void> {
  await op.alterColumn('item', 'title', { type: 'varchar(80)', nullable: false, default: "'untitled'" });
  await op.addColumn('item', { name: 'price', type: 'numeric(10,2)', nullable: true });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('item', 'price');
  await op.alterColumn('item', 'title', { type: 'varchar(40)', nullable: true, default: null });
}
`,
  );
  p.write(
    `versions/${OFF_3}_item_index.ts`,
    `import type { Operations } from 'migrator';

export const revision = '${OFF_3}';
export const downRevision: string | string[] | null = '${OFF_2}';

export async function upgrade(op: Operations): Promise<void> {
  await op.createIndex('item', { name: 'ix_item_title', columns: ['title'], unique: true, where: 'price IS NOT NULL' });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('item', 'ix_item_title');
}
`,
  );
}

describe('(e) offline SQL with no database', () => {
  let p: PgProject;

  before(() => {
    p = project('offline', NOWHERE);
    offlineRevisions(p);
  });

  const offline = (...args: string[]): Run => {
    const r = p.run('--database', NOWHERE, ...args);
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stderr, '', show(r));
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), `the password was printed\n${show(r)}`);
    return r;
  };

  /** The statements between each BEGIN; and COMMIT; of a script. */
  const transactions = (sql: string): string[][] => {
    const out: string[][] = [];
    let current: string[] | undefined;
    for (const line of sql.split('\n')) {
      if (line === 'BEGIN;') current = [];
      else if (line === 'COMMIT;') {
        assert.ok(current, `COMMIT; without BEGIN;\n${sql}`);
        out.push(current);
        current = undefined;
      } else if (current && line.trim() && !line.startsWith('--')) current.push(line);
    }
    assert.equal(current, undefined, `BEGIN; without COMMIT;\n${sql}`);
    return out;
  };

  test('upgrade --sql base:head: the version table, then BEGIN; … version-table change; COMMIT; per revision', () => {
    const r = offline('upgrade', '--sql', 'base:head');
    const sql = r.stdout;
    assert.match(sql, /^CREATE TABLE IF NOT EXISTS "migrator_version" \("version_num" varchar\(32\) NOT NULL, CONSTRAINT "migrator_version_pkc" PRIMARY KEY \("version_num"\)\);$/m, sql);
    assert.ok(sql.indexOf('CREATE TABLE IF NOT EXISTS "migrator_version"') < sql.indexOf('BEGIN;'), sql);
    const tx = transactions(sql);
    assert.equal(tx.length, 3, sql);
    assert.match(tx[0].join('\n'), /^CREATE TYPE "item_state" AS ENUM \('new', 'old'\);$/m, sql);
    assert.match(tx[0].join('\n'), /^CREATE TABLE "item" \(/m, sql);
    assert.equal(tx[0].at(-2), `INSERT INTO "migrator_version" ("version_num") VALUES ('${OFF_1}');`, sql);
    // The history row comes last, in the same transaction.
    assert.match(tx[0].at(-1)!, new RegExp(`^INSERT INTO "migrator_history" .* SELECT COALESCE\\(MAX\\("id"\\), 0\\) \\+ 1, '${OFF_1}', 'up', '[0-9a-f]{64}', clock_timestamp\\(\\), clock_timestamp\\(\\), NULL, 'sql script', '-', '[^']+' FROM "migrator_history";$`), sql);
    assert.match(tx[1].join('\n'), /ALTER TABLE "item" ALTER COLUMN "title" TYPE varchar\(80\)/, sql);
    assert.match(tx[1].join('\n'), /UPDATE "item" SET "title" = 'untitled' WHERE "title" IS NULL;/, sql);
    assert.match(tx[1].join('\n'), /ALTER TABLE "item" ALTER COLUMN "title" SET NOT NULL;/, sql);
    assert.equal(tx[1].at(-2), `UPDATE "migrator_version" SET "version_num" = '${OFF_2}' WHERE "version_num" = '${OFF_1}';`, sql);
    assert.deepEqual(tx[2].slice(0, -1), [
      `CREATE UNIQUE INDEX "ix_item_title" ON "item" ("title") WHERE price IS NOT NULL;`,
      `UPDATE "migrator_version" SET "version_num" = '${OFF_3}' WHERE "version_num" = '${OFF_2}';`,
    ]);
    assert.match(tx[2].at(-1)!, new RegExp(`^INSERT INTO "migrator_history" .*, '${OFF_3}', 'up', `), sql);
  });

  test('downgrade --sql head:base: BEGIN; … COMMIT; per revision, ending with the DELETE of the last version', () => {
    const r = offline('downgrade', '--sql', 'head:base');
    const tx = transactions(r.stdout);
    assert.equal(tx.length, 3, r.stdout);
    assert.equal(tx[0].at(-2), `UPDATE "migrator_version" SET "version_num" = '${OFF_2}' WHERE "version_num" = '${OFF_3}';`, r.stdout);
    assert.equal(tx[1].at(-2), `UPDATE "migrator_version" SET "version_num" = '${OFF_1}' WHERE "version_num" = '${OFF_2}';`, r.stdout);
    assert.equal(tx[2].at(-2), `DELETE FROM "migrator_version" WHERE "version_num" = '${OFF_1}';`, r.stdout);
    assert.match(tx[2].join('\n'), /^DROP TABLE "item";\nDROP TYPE "item_state";/m, r.stdout);
  });

  test('sqlmigrate <rev> (and --downgrade): one BEGIN; … COMMIT; with its version-table change', () => {
    const first = offline('sqlmigrate', OFF_1);
    const tx1 = transactions(first.stdout);
    assert.equal(tx1.length, 1, first.stdout);
    assert.equal(tx1[0].at(-2), `INSERT INTO "migrator_version" ("version_num") VALUES ('${OFF_1}');`, first.stdout);

    const second = offline('sqlmigrate', OFF_2);
    const tx2 = transactions(second.stdout);
    assert.equal(tx2.length, 1, second.stdout);
    assert.match(tx2[0].join('\n'), /ALTER TABLE "item" ADD "price" numeric\(10,2\);/, second.stdout);
    assert.equal(tx2[0].at(-2), `UPDATE "migrator_version" SET "version_num" = '${OFF_2}' WHERE "version_num" = '${OFF_1}';`, second.stdout);
    assert.doesNotMatch(second.stdout, /CREATE TABLE "item"/, 'sqlmigrate prints only the one revision');

    const back = offline('sqlmigrate', OFF_2, '--downgrade');
    const tx3 = transactions(back.stdout);
    assert.equal(tx3.length, 1, back.stdout);
    assert.match(tx3[0].join('\n'), /ALTER TABLE "item" DROP COLUMN "price";/, back.stdout);
    assert.equal(tx3[0].at(-2), `UPDATE "migrator_version" SET "version_num" = '${OFF_1}' WHERE "version_num" = '${OFF_2}';`, back.stdout);

    const backFirst = offline('sqlmigrate', OFF_1, '--downgrade');
    assert.equal(transactions(backFirst.stdout)[0].at(-2), `DELETE FROM "migrator_version" WHERE "version_num" = '${OFF_1}';`, backFirst.stdout);
  });

  test('an online command on the same URL fails with exit 2, naming the URL without its password', () => {
    const r = p.run('--database', NOWHERE, 'migrate');
    assert.equal(r.status, 2, show(r));
    assert.match(r.stderr, /^error: /, show(r));
    assert.ok(r.stderr.includes('postgres://nobody:***@127.0.0.1:1/none'), show(r));
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), `the password was printed\n${show(r)}`);
  });
});
