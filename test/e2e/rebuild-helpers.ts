/**
 * Helpers for the SQLite rebuild tests (sqlite-rebuild.test.ts, sqlite-faults.test.ts): projects
 * whose first revision builds a schema with raw SQL, hand-written revisions using the `op` API, and
 * snapshots of a database (schema text and every row) to compare before and after a rebuild.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CLI, explain, type RunResult, type TempProject } from './helpers.ts';

export const SQLITE3 = '/usr/bin/sqlite3';

/** Revision ids: the base revision that builds the schema, then the ones under test. */
export const BASE = 'a00000000001';
export const REV2 = 'b00000000002';
export const REV3 = 'c00000000003';
export const REV4 = 'd00000000004';

/** A hand-written revision file; `up` and `down` are the bodies of `upgrade` and `downgrade`. */
export function revisionSource(id: string, down: string | null, message: string, up: string, downBody = ''): string {
  return `/**
 * ${message}
 *
 * Revision ID: ${id}
 * Revises: ${down ?? ''}
 */
import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
${up}
}

export async function downgrade(op: Operations): Promise<void> {
${downBody}
}
`;
}

/** `await op.execute(…)` lines for each statement. */
export function executeLines(statements: readonly string[]): string {
  return statements.map((s) => `  await op.execute(${JSON.stringify(s)});`).join('\n');
}

/** Writes the config (sqlite:./app.db) and the base revision running `setup` as raw SQL. */
export function initProject(p: TempProject, setup: readonly string[]): void {
  p.writeConfig();
  p.write('entities/.keep', '');
  writeRevision(p, BASE, null, 'schema under test', executeLines(setup));
}

/** Writes `versions/<id>_<slug>.ts`, replacing any earlier file of that revision. */
export function writeRevision(p: TempProject, id: string, down: string | null, message: string, up: string, downBody = ''): void {
  if (existsSync(p.path('versions'))) for (const f of readdirSync(p.path('versions'))) if (f.startsWith(`${id}_`)) p.remove(`versions/${f}`);
  p.write(`versions/${id}_${message.replace(/\W+/g, '_').toLowerCase()}.ts`, revisionSource(id, down, message, up, downBody));
}

/** The number of copy-and-swap rebuilds in a piece of SQL. */
export function rebuildCount(sql: string): number {
  return (sql.match(/CREATE TABLE "_migrator_tmp_/g) ?? []).length;
}

export function openDb(file: string, readonly = false): Database.Database {
  assert.ok(existsSync(file), `database ${file} should exist`);
  return new Database(file, { fileMustExist: true, readonly });
}

export type Row = Record<string, unknown>;

/** sqlite_master without SQLite's own bookkeeping order: (type, name, tbl_name, sql), sorted. */
export function masterRows(db: Database.Database, options: { type?: string; table?: string } = {}): Row[] {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all() as Row[];
  return rows.filter((r) => (!options.type || r.type === options.type) && (!options.table || r.tbl_name === options.table));
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Every row of a table, 64-bit integers exact, sorted (as a multiset: a rebuild may renumber hidden rowids). */
export function tableRows(db: Database.Database, table: string, columns = '*'): Row[] {
  const stmt = db.prepare(`SELECT ${columns} FROM ${quote(table)}`);
  stmt.safeIntegers(true);
  const rows = stmt.all() as Row[];
  const key = (r: Row): string => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Buffer.isBuffer(v) ? `x${v.toString('hex')}` : v));
  return rows.map((r) => [key(r), r] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
}

export interface Snapshot {
  master: Row[];
  rows: Record<string, Row[]>;
}

/**
 * The whole database: sqlite_master and every row of every table (sqlite_sequence included),
 * but the history table, whose rows say when and by whom each step ran and so differ from one
 * run to the next.
 */
export function snapshot(file: string): Snapshot {
  const db = openDb(file, true);
  try {
    const master = masterRows(db).filter((m) => m.tbl_name !== 'migrator_history');
    const rows: Record<string, Row[]> = {};
    for (const m of master) if (m.type === 'table' && !(m.sql as string).startsWith('CREATE VIRTUAL')) rows[m.name as string] = tableRows(db, m.name as string);
    return { master, rows };
  } finally {
    db.close();
  }
}

/** `sqlite3 <file> .dump`: text of everything in the file, for byte-for-byte "unchanged" checks. */
export function sqliteDump(file: string): string {
  const r = spawnSync(SQLITE3, [file, '.dump'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3 .dump failed: ${r.stderr}`);
  return r.stdout;
}

/** Runs a SQL script with the sqlite3 shell, stopping at the first error. */
export function runSqlite3Script(file: string, script: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(SQLITE3, ['-bail', file], { input: script, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function copyDb(p: TempProject, from: string, to: string): void {
  copyFileSync(p.path(from), p.path(to));
}

/** Asserts a CLI run failed (exit 2, one `error:` line) and returns that line. */
export function failedWith(r: RunResult): string {
  assert.equal(r.status, 2, explain(r, 'to exit 2'));
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, explain(r, 'to print exactly one line on stderr'));
  assert.match(lines[0], /^error: \S/, explain(r, 'to print `error: …`'));
  return lines[0];
}

/** Runs the CLI in the project folder without blocking, so that tests can run side by side. */
export function cli(p: TempProject, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: p.dir, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr, command: `migrator ${args.join(' ')}` }));
  });
}

/** Runs the CLI and asserts it exited 0. */
export async function cliOk(p: TempProject, args: string[]): Promise<RunResult> {
  const r = await cli(p, args);
  assert.equal(r.status, 0, explain(r, 'to exit 0'));
  return r;
}
