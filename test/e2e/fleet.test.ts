/**
 * One history over a fleet of SQLite files (the config's `targets`), through the built CLI:
 * `migrate --all` with its progress lines and table, a target that fails halfway (the others
 * complete or are not started, the failed one stays at a revision boundary), the rerun that
 * resumes, `--canary`, `--continue-on-error`, `status --all`, `stamp --all`, `--json`, and
 * `targets` the config gets wrong.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { assertUserError, explain, projects, type TempProject } from './helpers.ts';

const project = projects();

/** A revision that creates `table`, and drops it on the way down. */
function revision(id: string, down: string | null, table: string): string {
  return `import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.execute('CREATE TABLE ${table} (id integer PRIMARY KEY)');
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE ${table}');
}
`;
}

const REVS = ['aaa111', 'bbb222', 'ccc333'];

/** A project whose targets are t1.db, tenant-2 (t2.db) and t3.db; three revisions. */
function fleetProject(targets = `['sqlite:./t1.db', { name: 'tenant-2', url: 'sqlite:./t2.db' }, 'sqlite:./t3.db']`): TempProject {
  const p = project('migrator-fleet-');
  p.write('migrator.config.ts', `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ versions: 'versions', targets: ${targets} });\n`);
  REVS.forEach((id, i) => p.write(`versions/${id}.ts`, revision(id, i ? REVS[i - 1] : null, `t_${i + 1}`)));
  return p;
}

/** The version table's rows of a target file; undefined when the file does not exist. */
function at(p: TempProject, file: string): string[] | undefined {
  if (!existsSync(p.path(file))) return undefined;
  const db = new Database(p.path(file), { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'migrator_version'").get();
    return has ? (db.prepare('SELECT version_num FROM migrator_version').all() as { version_num: string }[]).map((r) => r.version_num) : [];
  } finally {
    db.close();
  }
}

/** A table the third revision creates, made beforehand in `file`: that revision fails there. */
function blockThirdRevision(p: TempProject, file: string): void {
  const db = new Database(p.path(file));
  db.exec('CREATE TABLE t_3 (x integer)');
  db.close();
}

describe('migrate --all over SQLite files', () => {
  test('runs every target, prints [done/total] and a table, and a rerun skips them all', () => {
    const p = fleetProject();
    const r = p.ok(['migrate', '--all']);
    assert.match(r.stdout, /^Migrating 3 targets, 3 at a time$/m);
    for (const n of [1, 2, 3]) assert.match(r.stdout, new RegExp(`^\\[${n}/3\\] `, 'm'), explain(r, 'to count each target'));
    assert.match(r.stdout, /tenant-2: migrated base -> ccc333 \(3 steps\)/);
    assert.match(r.stdout, /^target\s+from\s+to\s+steps\s+duration\s+status$/m);
    assert.match(r.stdout, /^sqlite:\.\/t1\.db\s+base\s+ccc333\s+3\s+\S+ m?s\s+migrated$/m);
    assert.match(r.stdout, /^3 migrated \(of 3\)\.$/m);
    for (const f of ['t1.db', 't2.db', 't3.db']) assert.deepEqual(at(p, f), ['ccc333']);

    const again = p.ok(['migrate', '--all', '--parallel', '1']);
    assert.match(again.stdout, /^Migrating 3 targets, 1 at a time$/m);
    assert.match(again.stdout, /^\[2\/3\] tenant-2: up to date at ccc333/m);
    assert.match(again.stdout, /^3 up to date \(of 3\)\.$/m);
  });

  test('a failing target is named with its revision and statement, left at a revision boundary; the rest are not started; a rerun resumes', () => {
    const p = fleetProject();
    blockThirdRevision(p, 't2.db');
    const r = p.run(['migrate', '--all', '--parallel', '1']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    assert.match(r.stdout, /^\[2\/3\] tenant-2: FAILED at revision ccc333: .*ccc333.*CREATE TABLE t_3/m, explain(r, 'to name target, revision and statement'));
    assert.match(r.stdout, /^tenant-2\s+base\s+bbb222\s+2\s+\S+ m?s\s+failed$/m, explain(r, 'to show where the failed target stopped'));
    assert.match(r.stdout, /^sqlite:\.\/t3\.db\s+-\s+-\s+-\s+-\s+not run$/m);
    assert.match(r.stdout, /^1 migrated, 1 failed, 1 not run \(of 3\)\.$/m);
    assert.match(r.stdout, /Stopped after a failure: 1 target was not started/);
    assert.deepEqual(at(p, 't1.db'), ['ccc333']);
    assert.deepEqual(at(p, 't2.db'), ['bbb222'], 'the failed target is at the last revision it completed');
    assert.equal(at(p, 't3.db'), undefined, 'a target not started is untouched');

    // status --all groups targets that stand alike.
    const s = p.run(['status', '--all']);
    assert.equal(s.status, 1, explain(s, 'to exit 1: not every target is up to date'));
    assert.match(s.stdout, /^Head: ccc333$/m);
    assert.match(s.stdout, /^sqlite:\.\/t1\.db at ccc333 \(head\): nothing pending, checksums ok$/m);
    assert.match(s.stdout, /^tenant-2 at bbb222: 1 pending, checksums ok$/m);
    assert.match(s.stdout, /^sqlite:\.\/t3\.db at base: 3 pending, checksums ok$/m);
    assert.equal(at(p, 't3.db'), undefined, 'status leaves no file behind');

    // --continue-on-error goes past the failure.
    const on = p.run(['migrate', '--all', '--parallel', '1', '--continue-on-error']);
    assert.equal(on.status, 2, explain(on, 'to exit 2'));
    assert.match(on.stdout, /^1 migrated, 1 up to date, 1 failed \(of 3\)\.$/m);
    assert.deepEqual(at(p, 't3.db'), ['ccc333']);

    // Fixed, the rerun completes the failed target and skips the others.
    const db = new Database(p.path('t2.db'));
    db.exec('DROP TABLE t_3');
    db.close();
    const fixed = p.ok(['migrate', '--all', '--json']);
    const doc = JSON.parse(fixed.stdout) as { targets: { target: string; from: string[]; to: string[]; steps: number; status: string; durationMs: number }[]; summary: Record<string, number> };
    assert.deepEqual(
      doc.targets.map((t) => [t.target, t.from, t.to, t.steps, t.status]),
      [
        ['sqlite:./t1.db', ['ccc333'], ['ccc333'], 0, 'up to date'],
        ['tenant-2', ['bbb222'], ['ccc333'], 1, 'migrated'],
        ['sqlite:./t3.db', ['ccc333'], ['ccc333'], 0, 'up to date'],
      ],
    );
    assert.deepEqual(doc.summary, { total: 3, 'up to date': 2, migrated: 1, failed: 0, 'not run': 0 });
    const st = p.ok(['status', '--all']);
    assert.match(st.stdout, /^3 targets \(sqlite:\.\/t1\.db, tenant-2, sqlite:\.\/t3\.db\) at ccc333 \(head\): nothing pending, checksums ok$/m);
    assert.match(st.stdout, /^All 3 targets up to date\.$/m);
  });

  test('--json reports a failure with its code and revision; --canary stops the rollout when a canary fails', () => {
    const p = fleetProject();
    blockThirdRevision(p, 't1.db');
    const r = p.run(['migrate', '--all', '--canary', '1', '--json']);
    assert.equal(r.status, 2, explain(r, 'to exit 2'));
    const doc = JSON.parse(r.stdout) as { targets: { target: string; status: string; error?: { code: string; message: string; revision?: string } }[]; stopped?: string };
    assert.equal(doc.stopped, 'canary');
    assert.deepEqual(doc.targets.map((t) => t.status), ['failed', 'not run', 'not run']);
    assert.equal(doc.targets[0].error?.code, 'STATEMENT_FAILED');
    assert.equal(doc.targets[0].error?.revision, 'ccc333');
    assert.match(doc.targets[0].error!.message, /CREATE TABLE t_3/);
    assert.deepEqual(at(p, 't1.db'), ['bbb222']);
    assert.equal(at(p, 't2.db'), undefined);

    const text = p.run(['migrate', '--all', '--canary', '1']);
    assert.match(text.stdout, /Migrating 3 targets, 3 at a time, the first 1 as a canary/);
    assert.match(text.stdout, /Stopped: a canary target failed; the other 2 were not started/);
  });

  test('downgrade --all and stamp --all move every target; status --all --json', () => {
    const p = fleetProject();
    p.ok(['migrate', '--all']);
    const down = p.ok(['downgrade', '--all', 'aaa111']);
    assert.match(down.stdout, /tenant-2: downgraded ccc333 -> aaa111 \(2 steps\)/);
    for (const f of ['t1.db', 't2.db', 't3.db']) assert.deepEqual(at(p, f), ['aaa111']);
    const st = p.ok(['stamp', '--all', 'bbb222']);
    assert.match(st.stdout, /^3 stamped \(of 3\)\.$/m);
    const s = p.run(['status', '--all', '--json']);
    assert.equal(s.status, 1);
    const doc = JSON.parse(s.stdout) as { heads: string[]; targets: { target: string; current: string[]; pending: number; checksums: string }[]; summary: Record<string, number> };
    assert.deepEqual(doc.heads, ['ccc333']);
    assert.deepEqual(doc.targets.map((t) => [t.target, t.current, t.pending, t.checksums]), [
      ['sqlite:./t1.db', ['bbb222'], 1, 'ok'],
      ['tenant-2', ['bbb222'], 1, 'ok'],
      ['sqlite:./t3.db', ['bbb222'], 1, 'ok'],
    ]);
    assert.deepEqual(doc.summary, { total: 3, upToDate: 0, behind: 3, failed: 0 });
  });

  test('targets from an async function', () => {
    const p = fleetProject(`async () => ['a', 'b'].map((t) => ({ name: t, url: \`sqlite:./\${t}.db\` }))`);
    const r = p.ok(['migrate', '--all']);
    assert.match(r.stdout, /^2 migrated \(of 2\)\.$/m);
    assert.deepEqual(at(p, 'a.db'), ['ccc333']);
  });

  test('targets the config gets wrong, and fleet options without --all, are one-line errors', () => {
    const cases: [string, RegExp][] = [
      [`'sqlite:./a.db'`, /migrator\.config\.ts: "targets" must be an array/],
      [`[{ url: 'sqlite:./a.db', schemas: ['x'] }]`, /migrator\.config\.ts: "targets\[0\]": "schemas" and "schemasQuery" are for PostgreSQL URLs/],
      [`[{ url: 'mysql://app@db/shop', schemas: ['x'] }]`, /migrator\.config\.ts: "targets\[0\]": "schemas" and "schemasQuery" are for PostgreSQL URLs/],
      [`[{ name: 'a', urll: 'x' }]`, /migrator\.config\.ts: "targets\[0\]" has an unknown key "urll"/],
      [`['sqlite:./a.db', 'sqlite:./a.db']`, /migrator\.config\.ts: "targets" names sqlite:\.\/a\.db twice/],
      [`async () => { throw new Error('directory down'); }`, /migrator\.config\.ts: the "targets" function failed: directory down/],
    ];
    for (const [targets, message] of cases) {
      const p = fleetProject(targets);
      const r = p.run(['migrate', '--all']);
      assert.match(assertUserError(r, { oneLine: true }), message);
    }
    const none = project('migrator-fleet-');
    none.write('migrator.config.ts', `export default { database: 'sqlite:./app.db' };\n`);
    assert.match(assertUserError(none.run(['migrate', '--all']), { oneLine: true }), /--all runs over the config's "targets", and .*migrator\.config\.ts has none/);
    assert.match(assertUserError(none.run(['migrate', '--parallel', '2']), { oneLine: true }), /--parallel goes with --all/);
    assert.match(assertUserError(none.run(['migrate', '--all', '--sql']), { oneLine: true }), /--sql .* does not go with --all/);
  });
});
