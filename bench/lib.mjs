// Shared helpers for the benchmarks: timing a command with its peak memory, scratch databases.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const PG_ADMIN_URL = process.env.MIGRATOR_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs a command; returns wall time (s), peak resident memory (MiB) and CPU time (s, user + system), failing loudly. */
export function measure(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const lines = r.stderr.trim().split('\n');
  const [kb, user, system] = lines[lines.length - 1].split(' ').map(Number);
  return { seconds, peakMiB: kb / 1024, cpuSeconds: user + system, stdout: r.stdout };
}

/** The median of `runs` measurements of `fn` (each returning { seconds, peakMiB }). */
export function median(runs, fn) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(fn(i));
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)];
}

/**
 * Runs the two sides interleaved — ours, reference, ours, reference … — `runs` pairs, so that
 * whatever else the machine does weighs on both alike. Returns the median of each side and of the
 * per-pair ratios, with the ratios' spread (lowest and highest).
 */
export function pairs(runs, ours, reference) {
  return rounds(runs, ours, [reference])[0];
}

/**
 * pairs() with several references: each round runs ours, then each reference in turn (A B C, A B
 * C …), and each reference's ratios are taken against ours of the same round. Returns one pairs()
 * result a reference, in their order.
 */
export function rounds(runs, ours, references) {
  const a = [];
  const b = references.map(() => []);
  const ratios = references.map(() => []);
  for (let i = 0; i < runs; i++) {
    const x = ours(i);
    a.push(x);
    references.forEach((reference, k) => {
      const y = reference(i);
      b[k].push(y);
      ratios[k].push(x.seconds / y.seconds);
    });
  }
  const mid = (list) => [...list].sort((p, q) => p.seconds - q.seconds)[Math.floor(list.length / 2)];
  return references.map((_, k) => {
    const sorted = [...ratios[k]].sort((p, q) => p - q);
    return { ours: mid(a), reference: mid(b[k]), ratio: sorted[Math.floor(sorted.length / 2)], low: sorted[0], high: sorted[sorted.length - 1], runs };
  });
}

/**
 * Prints a pairs() result: both sides' medians, the median ratio with its spread, and the verdict
 * against `target` (none when no target is given).
 */
export function reportPairs(name, result, referenceName, target) {
  const { ours, reference, ratio, low, high } = result;
  const verdict = target === undefined ? '' : `; target <= ${target}x: ${ratio <= target ? 'meets' : 'misses'}`;
  const count = result.runs === undefined ? '' : ` ${result.runs}`;
  const plural = result.runs === 1 ? '' : 's';
  console.log(
    `${name}: migrator ${ours.seconds.toFixed(2)} s (peak ${ours.peakMiB.toFixed(0)} MiB), ${referenceName} ${reference.seconds.toFixed(2)} s ` +
      `(peak ${reference.peakMiB.toFixed(0)} MiB) -> median ratio ${ratio.toFixed(2)}x (spread ${low.toFixed(2)}–${high.toFixed(2)}x over${count} ` +
      `interleaved pair${plural})${verdict}`,
  );
  return ratio;
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), `migrator-bench-${prefix}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

function dbUrl(name) {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function psql(url, args, options = {}) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** A fresh, empty PostgreSQL database; returns its URL. */
export function freshDatabase(name) {
  psql(PG_ADMIN_URL, ['-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, '-c', `CREATE DATABASE "${name}"`]);
  return dbUrl(name);
}

export function dropDatabase(name) {
  psql(PG_ADMIN_URL, ['-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

/**
 * A project folder's revisions: `count` in a line, each creating table t<i> (an id and a name of
 * `nameType`) with an index, and dropping both on downgrade; ids from `id(i)`. The folder gets a
 * node_modules, as a real project has (where migrator caches transformed revision files).
 */
export function writeTableChain(dir, count, id, nameType) {
  mkdirSync(path.join(dir, 'versions'));
  mkdirSync(path.join(dir, 'node_modules'));
  for (let i = 0; i < count; i++) {
    const t = `t${i}`;
    writeFileSync(
      path.join(dir, 'versions', `${id(i)}_create_${t}.ts`),
      `/**
 * create ${t}
 */
import type { Operations } from 'migrator';

export const revision = '${id(i)}';
export const downRevision: string | string[] | null = ${i === 0 ? 'null' : `'${id(i - 1)}'`};

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('${t}', {
    columns: [
      { name: 'id', type: 'integer', nullable: false, autoincrement: true },
      { name: 'name', type: '${nameType}', nullable: false },
    ],
    primaryKey: { name: '${t}_pkey', columns: ['id'] },
  });
  await op.createIndex('${t}', { name: '${t}_name_idx', columns: ['name'] });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('${t}', '${t}_name_idx');
  await op.dropTable('${t}');
}
`,
    );
  }
}

// The autogenerate workload: a database of `tables` tables t0000 … (four columns and an index
// each), and models that match it but for one new nullable column, t0000.extra.
const pad4 = (i) => String(i).padStart(4, '0');

/** Creates the workload's tables in the (empty) database at `url`. */
export function createAutogenerateTables(url, tables) {
  const setup = tempDir('autogenerate-db');
  try {
    const ddl = [];
    for (let i = 0; i < tables; i++) {
      const t = `t${pad4(i)}`;
      ddl.push(
        `CREATE TABLE "${t}" ("id" SERIAL NOT NULL, "name" character varying(100) NOT NULL, "qty" integer NOT NULL DEFAULT 0, ` +
          `"created" TIMESTAMP(3) WITH TIME ZONE DEFAULT now(), CONSTRAINT "${t}_pkey" PRIMARY KEY ("id"));`,
        `CREATE INDEX "${t}_name_idx" ON "${t}" ("name");`,
      );
    }
    writeFileSync(path.join(setup, 'schema.sql'), ddl.join('\n'));
    psql(url, ['-f', path.join(setup, 'schema.sql')]);
  } finally {
    removeDir(setup);
  }
}

/** The workload's models as migrator entity classes, 100 to a file; returns the models globs. */
export function writeAutogenerateEntities(dir, tables) {
  mkdirSync(path.join(dir, 'entities'));
  for (let f = 0; f < tables / 100; f++) {
    const classes = [];
    for (let i = f * 100; i < Math.min((f + 1) * 100, tables); i++) {
      classes.push(`@Entity('t${pad4(i)}')
export class T${pad4(i)} {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 't${pad4(i)}_pkey' }) id!: number;
  @Index('t${pad4(i)}_name_idx') @Column({ length: 100 }) name!: string;
  @Column({ default: 0 }) qty!: number;
  @Column({ type: 'timestamptz', precision: 3, nullable: true, default: () => 'now()' }) created!: Date;${i === 0 ? '\n  @Column({ nullable: true }) extra!: string;' : ''}
}
`);
    }
    writeFileSync(path.join(dir, 'entities', `group${pad4(f)}.ts`), `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'migrator/decorators';\n\n${classes.join('\n')}`);
  }
  return ['entities/*.ts'];
}

/**
 * The workload's models as one Prisma schema (schema.prisma in `dir`); returns the models globs.
 * `url: false` leaves the datasource's url out, as Prisma 7 wants it.
 */
export function writeAutogeneratePrismaSchema(dir, tables, { url = true } = {}) {
  const models = [];
  for (let i = 0; i < tables; i++) {
    models.push(`model t${pad4(i)} {
  id      Int       @id @default(autoincrement())
  name    String    @db.VarChar(100)
  qty     Int       @default(0)
  created DateTime? @default(now()) @db.Timestamptz(3)${i === 0 ? '\n  extra   String?' : ''}

  @@index([name], map: "t${pad4(i)}_name_idx")
}
`);
  }
  const datasource = `datasource db {\n  provider = "postgresql"${url ? '\n  url      = env("DATABASE_URL")' : ''}\n}\n`;
  writeFileSync(path.join(dir, 'schema.prisma'), `${datasource}\n${models.join('\n')}`);
  return ['schema.prisma'];
}

/**
 * The SQL each revision of the project in `dir` runs, from migrate's own offline mode (upgrade
 * --sql base:heads, downgrade --sql heads:base), without the version-table and history rows: in
 * upgrade order, [{ id, up: [statement …], down: [statement …] }]. For other tools' migrations to
 * run exactly the statements migrator's revisions run.
 */
export function revisionStatements(dir) {
  const blocks = (direction, range) => {
    const script = measure(process.execPath, [CLI, direction, '--sql', range], { cwd: dir }).stdout;
    const out = new Map();
    for (const part of script.split(/^-- Running /m).slice(1)) {
      const [, from, to] = /^(?:upgrade|downgrade) (\S+) -> (\S+)/.exec(part);
      const body = part.slice(part.indexOf('\nBEGIN;\n') + 8, part.indexOf('\nCOMMIT;'));
      const statements = body.split('\n').filter((line) => line.trim() && !line.startsWith('--') && !/"migrator_(version|history)"/.test(line));
      for (const s of statements) if (!s.endsWith(';')) throw new Error(`a statement of ${direction} ${to} spans lines: ${s}`);
      out.set(direction === 'upgrade' ? to : from, statements);
    }
    return out;
  };
  const up = blocks('upgrade', 'base:heads');
  const down = blocks('downgrade', 'heads:base');
  return [...up].map(([id, statements]) => ({ id, up: statements, down: down.get(id) ?? [] }));
}

/**
 * Another tool from the npm registry, installed for a benchmark into a folder outside the project
 * (os.tmpdir(), one folder a name and version range, kept for the next run). Returns { dir,
 * version }, or { skipped: why } when npm could not install it (no network, say).
 */
export function installPeer(name, range) {
  const cache = path.join(os.tmpdir(), `migrator-bench-peer-${name}@${range}`);
  const manifest = path.join(cache, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) {
    const staging = mkdtempSync(path.join(os.tmpdir(), `migrator-bench-peer-${name}-`));
    try {
      const r = spawnSync('npm', ['install', '--prefix', staging, `${name}@${range}`, '--no-audit', '--no-fund', '--no-update-notifier'], {
        cwd: os.tmpdir(),
        encoding: 'utf8',
        timeout: 300_000,
      });
      if (r.error || r.status !== 0) {
        const why = r.error?.message ?? (r.stderr.trim().split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' / ') || `npm exited ${r.status}`);
        return { skipped: `npm install ${name}@${range} failed: ${why}` };
      }
      rmSync(cache, { recursive: true, force: true });
      renameSync(staging, cache);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { dir: cache, version: JSON.parse(readFileSync(manifest, 'utf8')).version };
}

// MySQL/MariaDB: the server of MIGRATOR_TEST_MYSQL_URL, driven with the `mysql` client.
export const MYSQL_ADMIN_URL = process.env.MIGRATOR_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';

/** The `mysql` client's connection options for the admin URL, with `database` (or none). */
export function mysqlArgs(database) {
  const u = new URL(MYSQL_ADMIN_URL);
  return [
    '-h',
    u.hostname,
    '-P',
    u.port || '3306',
    '-u',
    decodeURIComponent(u.username || 'root'),
    ...(u.password ? [`-p${decodeURIComponent(u.password)}`] : []),
    ...(database ? [database] : []),
  ];
}

export function mysqlClient(database, args, options = {}) {
  const r = spawnSync('mysql', [...mysqlArgs(database), ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`mysql ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** A fresh, empty MySQL database; returns its URL. */
export function freshMysqlDatabase(name) {
  mysqlClient(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\`; CREATE DATABASE \`${name}\``]);
  const u = new URL(MYSQL_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function dropMysqlDatabase(name) {
  mysqlClient(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]);
}
