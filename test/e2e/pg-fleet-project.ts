/**
 * The project the PostgreSQL fleet tests (pg-fleet*.test.ts) run: a ten-revision history written
 * with the operations API, entity models that the history builds exactly (so that `check` is clean
 * at the head), a config whose `targets` are databases and the schemas of a shared database, and
 * the built CLI run in it. Revision f05 creates three tables; a target that already has the third
 * (`invoice_note`) fails there, halfway through the history.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../support/pg.ts';

// `node --test` run from a terminal sets FORCE_COLOR=1, and children inherit it.
delete process.env.FORCE_COLOR;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');
if (!fs.existsSync(cli)) throw new Error(`${cli} does not exist; build first: cd ${root} && npm run build`);

/** The revisions, oldest first. */
export const REVS = ['f01', 'f02', 'f03', 'f04', 'f05', 'f06', 'f07', 'f08', 'f09', 'f10'];
/** The revision that fails on a target that already has its third table. */
export const FAILING = 'f05';
/** What f05 creates, in order; a target holding `invoice_note` beforehand fails at it. */
export const F05_TABLES = ['invoice', 'invoice_line', 'invoice_note'];

/** Primary-key names as the models derive them, so that `check` finds nothing to change. */
const PK: Record<string, string> = {
  account: 'PK_54115ee388cdb6d86bb4bf5b2ea',
  audit: 'PK_1d3d120ddaf7bc9b1ed68ed463a',
  invoice: 'PK_15d25c200d9bcd8a33f698daf18',
  invoice_line: 'PK_112d67e85951a56ee5123e9c803',
  invoice_note: 'PK_a3af0859d33a2426129612a170b',
  payment: 'PK_fcaec7df5adf9cac408c686b2ab',
};

const col = (name: string, type: string, nullable = false): string => JSON.stringify({ name, type, nullable });
/** [upgrade, downgrade] of one change. */
type Change = [string, string];
const table = (name: string, ...columns: string[]): Change => [
  `await op.createTable('${name}', { columns: [${[col('id', 'integer'), ...columns].join(', ')}], primaryKey: { name: '${PK[name]}', columns: ['id'] } });`,
  `await op.dropTable('${name}');`,
];

/** Each revision's changes, in REVS order. */
const CHANGES: Change[][] = [
  [table('account', col('name', 'character varying(100)'))],
  [[`await op.addColumn('account', ${col('email', 'character varying(200)', true)});`, `await op.dropColumn('account', 'email');`]],
  [[`await op.createIndex('account', { name: 'account_email_idx', columns: ['email'] });`, `await op.dropIndex('account', 'account_email_idx');`]],
  [[`await op.execute("INSERT INTO account (id, name) VALUES (1, 'first')");`, `await op.execute('DELETE FROM account WHERE id = 1');`]],
  F05_TABLES.map((t) => (t === 'invoice' ? table(t, col('accountId', 'integer')) : t === 'invoice_line' ? table(t, col('invoiceId', 'integer')) : table(t))),
  [[`await op.addColumn('invoice', ${col('total', 'integer', true)});`, `await op.dropColumn('invoice', 'total');`]],
  [table('payment', col('invoiceId', 'integer'))],
  [[`await op.createIndex('payment', { name: 'payment_invoice_idx', columns: ['invoiceId'] });`, `await op.dropIndex('payment', 'payment_invoice_idx');`]],
  [[`await op.addColumn('account', ${col('active', 'boolean', true)});`, `await op.dropColumn('account', 'active');`]],
  [table('audit', col('what', 'character varying(50)'))],
];

/** The tables at the head, sorted (besides the version and history tables). */
export const HEAD_TABLES = ['account', 'audit', 'invoice', 'invoice_line', 'invoice_note', 'payment'];

/** The models the ten revisions build. */
const MODELS = `import { Column, Entity, Index, PrimaryColumn } from 'migrator/decorators';

@Entity()
@Index('account_email_idx', ['email'])
export class Account {
  @PrimaryColumn()
  id!: number;

  @Column({ length: 100 })
  name!: string;

  @Column({ length: 200, nullable: true })
  email!: string | null;

  @Column({ nullable: true })
  active!: boolean | null;
}

@Entity()
export class Invoice {
  @PrimaryColumn()
  id!: number;

  @Column()
  accountId!: number;

  @Column({ nullable: true })
  total!: number | null;
}

@Entity()
export class InvoiceLine {
  @PrimaryColumn()
  id!: number;

  @Column()
  invoiceId!: number;
}

@Entity()
export class InvoiceNote {
  @PrimaryColumn()
  id!: number;
}

@Entity()
@Index('payment_invoice_idx', ['invoiceId'])
export class Payment {
  @PrimaryColumn()
  id!: number;

  @Column()
  invoiceId!: number;
}

@Entity()
export class Audit {
  @PrimaryColumn()
  id!: number;

  @Column({ length: 50 })
  what!: string;
}
`;

/** A config target entry: a database, or a database whose schemas a query lists. */
export type TargetEntry = { name: string; url: string } | { name: string; url: string; schemasQuery: string } | { name: string; url: string; schemas: string[] };

/** The query listing a shared database's tenant schemas. */
export const TENANT_SCHEMAS = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1";

export interface Run {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}

export const show = (r: Run): string => `migrator ${r.args.join(' ')}: exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

export class FleetProject {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-pg-fleet-'));

  /** Writes the config (targets, models, versions) and the ten revision files. */
  constructor(targets: readonly TargetEntry[]) {
    fs.writeFileSync(
      path.join(this.dir, 'migrator.config.ts'),
      `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ versions: 'versions', models: ['entities/*.ts'], lockWait: '60s', targets: ${JSON.stringify(targets, null, 2)} });\n`,
    );
    fs.mkdirSync(path.join(this.dir, 'entities'));
    fs.writeFileSync(path.join(this.dir, 'entities', 'models.ts'), MODELS);
    fs.mkdirSync(path.join(this.dir, 'versions'));
    REVS.forEach((id, i) =>
      fs.writeFileSync(
        path.join(this.dir, 'versions', `${id}.ts`),
        `import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | null = ${i ? `'${REVS[i - 1]}'` : 'null'};
export const branchLabels = null;
export const dependsOn = null;

export async function upgrade(op: Operations): Promise<void> {
${CHANGES[i].map(([up]) => `  ${up}`).join('\n')}
}

export async function downgrade(op: Operations): Promise<void> {
${[...CHANGES[i]].reverse().map(([, down]) => `  ${down}`).join('\n')}
}
`,
      ),
    );
  }

  /** Writes a file of the project (another config, say); returns its path. */
  write(rel: string, content: string): string {
    const file = path.join(this.dir, rel);
    fs.writeFileSync(file, content);
    return file;
  }

  run(args: string[]): Run {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: this.dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 300_000 });
    if (r.error) throw r.error;
    return { args, status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  runAsync(args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd: this.dir, env: { ...process.env, DATABASE_URL: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ args, status, stdout, stderr }));
    });
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A target as the tests read it back: its name in output, its database, its schema. */
export interface Target {
  name: string;
  db: TestDatabase;
  schema: string;
}

/** A target's version-table rows; undefined when it has no version table. */
export async function versionOf(t: Target): Promise<string[] | undefined> {
  const [exists] = await t.db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`"${t.schema}".migrator_version`]);
  if (!exists.t) return undefined;
  return (await t.db.query<{ v: string }>(`SELECT version_num AS v FROM "${t.schema}".migrator_version ORDER BY 1`)).map((r) => r.v);
}

/** A target's tables, sorted, besides the version and history tables. */
export async function tablesOf(t: Target): Promise<string[]> {
  const rows = await t.db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename NOT LIKE 'migrator\\_%' ORDER BY 1", [t.schema]);
  return rows.map((r) => r.name);
}

/** How many `up` rows a target's history table has for each revision, by revision. */
export async function upRowsOf(t: Target): Promise<Record<string, number>> {
  const rows = await t.db.query<{ revision: string; n: string }>(`SELECT revision, count(*) AS n FROM "${t.schema}".migrator_history WHERE direction = 'up' GROUP BY revision ORDER BY revision`);
  return Object.fromEntries(rows.map((r) => [r.revision, Number(r.n)]));
}

/**
 * Reads every target with `read`, one after another, and returns the answers by target name, in
 * the targets' order. A database target's connection is closed once read, unless it is one of
 * `shared`: a fleet of databases would otherwise keep one open each.
 */
export async function readAll<T>(targets: readonly Target[], read: (t: Target) => Promise<T>, shared: readonly TestDatabase[] = []): Promise<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const t of targets) {
    out[t.name] = await read(t);
    if (!shared.includes(t.db)) await t.db.close();
  }
  return out;
}

/**
 * Runs `make` for 0 … count-1, `at` at a time; the results in that order. Every call has ended
 * when it returns or throws (the first error), so that what was made can be cleaned up.
 */
export async function inBatches<T>(count: number, at: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < count && !failed) {
      const i = next++;
      try {
        out[i] = await make(i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(at, count) }, worker));
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return out;
}
