/**
 * What `status --all` and `check --all` show of a PostgreSQL fleet, through the built CLI: three
 * databases and nine schemas of one more (12 targets), the ten-revision history and the models it
 * builds (pg-fleet-project.ts).
 *
 *  (a) after a rollout stopped by a failure (six targets at the head, one at f04, five never
 *      started): `status --all` groups them with their revision, what is pending and the checksum
 *      state, in text and JSON, and exits 1; `check --all` says which targets differ and how, and
 *      exits 1;
 *  (b) everything at the head: both exit 0; a history row whose checksum differs and a version row
 *      no file defines are told apart from pending revisions (no advice to migrate), and `check
 *      --all` fails (exit 2) on the target whose applied file changed;
 *  (c) a target that cannot be read: exit 2 from both, the others still reported.
 *
 * Databases made here are dropped afterwards. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { FleetProject, inBatches, show, TENANT_SCHEMAS, type Run } from './pg-fleet-project.ts';

const DATABASES = 3;
const SCHEMAS = 9;
const TOTAL = DATABASES + SCHEMAS;

const made: TestDatabase[] = [];
let dbs: TestDatabase[] = [];
let shared: TestDatabase;
let project: FleetProject | undefined;
const p = (): FleetProject => project!;

const make = async (prefix: string): Promise<TestDatabase> => {
  const db = await createTestDatabase(prefix);
  made.push(db);
  return db;
};

const names = [...Array.from({ length: DATABASES }, (_, i) => `db${i}`), ...Array.from({ length: SCHEMAS }, (_, i) => `shared/tenant_${i}`)];

/** The lines check --all prints under a target's `[k/n] name: …` line. */
function checkBlock(r: Run, name: string, total = TOTAL): { head: string; lines: string[] } {
  const m = new RegExp(`^\\[\\s*\\d+/${total}\\] ${name}: (.*)\\n((?:    - .*\\n)*)`, 'm').exec(r.stdout);
  assert.ok(m, `no line for ${name}\n${show(r)}`);
  return { head: m[1], lines: m[2].split('\n').filter(Boolean).map((l) => l.slice('    - '.length)) };
}

interface StatusDoc {
  heads: string[];
  targets: { target: string; current?: string[]; pending?: number; checksumMismatches?: string[]; unknownRevisions?: string[]; upToDate?: boolean; checksums?: string; error?: { code: string; message: string } }[];
  summary: Record<string, number>;
}
interface CheckDoc {
  targets: { target: string; clean?: boolean; problems?: string[]; differences?: string[]; error?: { code: string; message: string } }[];
  summary: Record<string, number>;
}

const AT_BASE = [
  'create table account',
  'create index account_email_idx on account',
  'create table audit',
  'create table invoice',
  'create table invoice_line',
  'create table invoice_note',
  'create table payment',
  'create index payment_invoice_idx on payment',
];

before(async () => {
  dbs = await inBatches(DATABASES, 3, () => make('migrator_fleet_status'));
  shared = await make('migrator_fleet_status_shared');
  await shared.query(Array.from({ length: SCHEMAS }, (_, i) => `CREATE SCHEMA tenant_${i};`).join('\n'));
  project = new FleetProject([...dbs.map((db, i) => ({ name: `db${i}`, url: db.url })), { name: 'shared', url: shared.url, schemasQuery: TENANT_SCHEMAS }]);
});

after(async () => {
  const results = await Promise.allSettled(made.map((db) => db.drop()));
  project?.cleanup();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
});

describe('status --all and check --all on a PostgreSQL fleet of 3 databases and 9 schemas', () => {
  test('(a) after a rollout that stopped at a failure: targets grouped by where they stand; check names what differs; exit 1', async () => {
    // tenant_3 already has f05's third table: one at a time, the rollout stops there.
    await shared.query('CREATE TABLE tenant_3.invoice_note (x integer)');
    const m = p().run(['migrate', '--all', '--parallel', '1']);
    assert.equal(m.status, 2, show(m));
    assert.match(m.stdout, /^6 migrated, 1 failed, 5 not run \(of 12\)\.$/m, show(m));

    const s = p().run(['status', '--all', '--parallel', '2']);
    assert.equal(s.status, 1, show(s));
    assert.equal(
      s.stdout,
      [
        'Head: f10',
        '6 targets (db0, db1, db2, shared/tenant_0, shared/tenant_1, … 1 more) at f10 (head): nothing pending, checksums ok',
        '5 targets (shared/tenant_4, shared/tenant_5, shared/tenant_6, shared/tenant_7, shared/tenant_8) at base: 10 pending, checksums ok',
        'shared/tenant_3 at f04: 6 pending, checksums ok',
        '6 of 12 targets up to date; run `migrator migrate --all`.',
        '',
      ].join('\n'),
    );
    assert.equal(s.stderr, '');
    // Reading leaves the targets never started as they were: no version table.
    assert.deepEqual(await shared.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'migrator_version' AND schemaname IN ('tenant_4', 'tenant_8')"), [{ n: 0 }]);

    const sj = p().run(['status', '--all', '--json']);
    assert.equal(sj.status, 1, show(sj));
    const sdoc = JSON.parse(sj.stdout) as StatusDoc;
    assert.deepEqual(sdoc.heads, ['f10']);
    assert.deepEqual(
      sdoc.targets.map((t) => [t.target, t.current, t.pending, t.checksums, t.upToDate]),
      names.map((n, i) => (i < 6 ? [n, ['f10'], 0, 'ok', true] : n === 'shared/tenant_3' ? [n, ['f04'], 6, 'ok', false] : [n, [], 10, 'ok', false])),
    );
    assert.deepEqual(sdoc.targets[0], { target: 'db0', current: ['f10'], pending: 0, checksumMismatches: [], unknownRevisions: [], upToDate: true, checksums: 'ok' });
    assert.deepEqual(sdoc.summary, { total: 12, upToDate: 6, behind: 6, failed: 0 });

    const c = p().run(['check', '--all']);
    assert.equal(c.status, 1, show(c));
    for (const n of names.slice(0, 6)) assert.deepEqual(checkBlock(c, n), { head: 'clean', lines: [] }, n);
    assert.deepEqual(checkBlock(c, 'shared/tenant_3'), {
      head: '10 differences',
      lines: [
        "database is at f04, the revision files' head is f10: run `migrator migrate`",
        'create table audit',
        'create table invoice',
        'create table invoice_line',
        'create table payment',
        'create index payment_invoice_idx on payment',
        'add column account.active',
        'add column invoice_note.id',
        'change the primary key of invoice_note from none to (id)',
        'drop column invoice_note.x',
      ],
    });
    for (const n of names.slice(7)) {
      assert.deepEqual(checkBlock(c, n), { head: '9 differences', lines: ["database is at base, the revision files' head is f10: run `migrator migrate`", ...AT_BASE] }, n);
    }
    assert.match(c.stdout, /\n6 of 12 targets agree with the models and revisions\.\n$/, show(c));
    assert.equal(c.stderr, '');

    const cj = p().run(['check', '--all', '--json']);
    assert.equal(cj.status, 1, show(cj));
    const cdoc = JSON.parse(cj.stdout) as CheckDoc;
    assert.deepEqual(cdoc.targets.map((t) => [t.target, t.clean]), names.map((n, i) => [n, i < 6]));
    assert.deepEqual(cdoc.targets[11], {
      target: 'shared/tenant_8',
      schema: 'tenant_8',
      clean: false,
      problems: ["database is at base, the revision files' head is f10: run `migrator migrate`"],
      differences: AT_BASE,
      notices: [],
    });
    assert.deepEqual(cdoc.summary, { total: 12, clean: 6, differ: 6, failed: 0 });
  });

  test('(b) all at the head: exit 0; a changed checksum and an unknown revision are no reason to migrate, and check fails on the changed file', async () => {
    await shared.query('DROP TABLE tenant_3.invoice_note');
    const m = p().run(['migrate', '--all']);
    assert.equal(m.status, 0, show(m));
    assert.match(m.stdout, /^6 migrated, 6 up to date \(of 12\)\.$/m, show(m));

    const s = p().run(['status', '--all']);
    assert.equal(s.status, 0, show(s));
    assert.equal(s.stdout, 'Head: f10\n12 targets (db0, db1, db2, shared/tenant_0, shared/tenant_1, … 7 more) at f10 (head): nothing pending, checksums ok\nAll 12 targets up to date.\n');
    assert.deepEqual((JSON.parse(p().run(['status', '--all', '--json']).stdout) as StatusDoc).summary, { total: 12, upToDate: 12, behind: 0, failed: 0 });
    const c = p().run(['check', '--all']);
    assert.equal(c.status, 0, show(c));
    for (const n of names) assert.deepEqual(checkBlock(c, n), { head: 'clean', lines: [] }, n);
    assert.match(c.stdout, /\nAll 12 targets agree with the models and revisions\.\n$/);
    const cj = p().run(['check', '--all', '--json']);
    assert.equal(cj.status, 0, show(cj));
    assert.deepEqual((JSON.parse(cj.stdout) as CheckDoc).summary, { total: 12, clean: 12, differ: 0, failed: 0 });

    // A table nothing manages is left out of the comparison, and the target says so.
    await shared.query('CREATE TABLE tenant_2.legacy_import (id integer)');
    try {
      const notice = 'Not managed: table legacy_import is in the database but in no model and no revision created it; add it to tables.exclude to silence this';
      const withTable = p().run(['check', '--all']);
      assert.equal(withTable.status, 0, show(withTable));
      assert.match(withTable.stdout, new RegExp(`\\] shared/tenant_2: clean\\n    ${notice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), show(withTable));
      const doc = JSON.parse(p().run(['check', '--all', '--json']).stdout) as CheckDoc & { targets: { notices?: string[]; schema?: string }[] };
      const t2 = doc.targets.find((t) => t.target === 'shared/tenant_2')!;
      assert.deepEqual([t2.schema, t2.clean, t2.notices], ['tenant_2', true, [notice]]);
      assert.deepEqual(doc.targets.find((t) => t.target === 'db0')!.notices, []);
    } finally {
      await shared.query('DROP TABLE tenant_2.legacy_import');
    }

    // db1's history says f03 ran with other text; tenant_5's version table holds a revision no file defines.
    const [{ checksum }] = await dbs[1].query<{ checksum: string }>("SELECT checksum FROM migrator_history WHERE revision = 'f03' AND direction = 'up'");
    await dbs[1].query("UPDATE migrator_history SET checksum = repeat('0', 64) WHERE revision = 'f03'");
    await shared.query("UPDATE tenant_5.migrator_version SET version_num = 'zzz'");
    try {
      const bad = p().run(['status', '--all']);
      assert.equal(bad.status, 1, show(bad));
      assert.equal(
        bad.stdout,
        [
          'Head: f10',
          '10 targets (db0, db2, shared/tenant_0, shared/tenant_1, shared/tenant_2, … 5 more) at f10 (head): nothing pending, checksums ok',
          'db1 at f10 (head): nothing pending, checksums differ (f03)',
          'shared/tenant_5 at zzz: nothing pending, checksums ok, unknown revision zzz',
          // Migrating would apply nothing, and refuse both: no advice to migrate.
          '10 of 12 targets up to date.',
          '',
        ].join('\n'),
      );
      const bj = JSON.parse(p().run(['status', '--all', '--json']).stdout) as StatusDoc;
      assert.deepEqual(bj.targets[1], { target: 'db1', current: ['f10'], pending: 0, checksumMismatches: ['f03'], unknownRevisions: [], upToDate: false, checksums: 'mismatch' });
      assert.deepEqual(bj.targets[8], { target: 'shared/tenant_5', schema: 'tenant_5', current: ['zzz'], pending: 0, checksumMismatches: [], unknownRevisions: ['zzz'], upToDate: false, checksums: 'ok' });
      assert.deepEqual(bj.summary, { total: 12, upToDate: 10, behind: 2, failed: 0 });

      // check refuses a target whose applied file changed (exit 2), and names the unknown revision.
      const cc = p().run(['check', '--all']);
      assert.equal(cc.status, 2, show(cc));
      assert.match(cc.stdout, /^\[\s*\d+\/12\] db1: FAILED: revision f03 \(.*f03\.ts\) was changed after it was applied on .*: its checksum was 000000000000, .*`migrator repair f03`$/m, show(cc));
      assert.deepEqual(checkBlock(cc, 'shared/tenant_5'), { head: '1 difference', lines: ["database is at zzz, the revision files' head is f10: run `migrator migrate`"] });
      assert.match(cc.stdout, /\n10 of 12 targets agree with the models and revisions\.\n$/, show(cc));
      const ccj = JSON.parse(p().run(['check', '--all', '--json']).stdout) as CheckDoc;
      assert.equal(ccj.targets[1].error?.code, 'CHECKSUM_MISMATCH');
      assert.deepEqual(ccj.summary, { total: 12, clean: 10, differ: 1, failed: 1 });

      // With a revision pending somewhere too, migrating is the advice again.
      await dbs[2].query("UPDATE migrator_version SET version_num = 'f09'");
      const mixed = p().run(['status', '--all']);
      assert.equal(mixed.status, 1, show(mixed));
      assert.match(mixed.stdout, /^db2 at f09: 1 pending, checksums ok$/m, show(mixed));
      assert.match(mixed.stdout, /^9 of 12 targets up to date; run `migrator migrate --all`\.$/m, show(mixed));
    } finally {
      await dbs[1].query('UPDATE migrator_history SET checksum = $1 WHERE revision = $2', [checksum, 'f03']);
      await shared.query("UPDATE tenant_5.migrator_version SET version_num = 'f10'");
      await dbs[2].query("UPDATE migrator_version SET version_num = 'f10'");
    }
    assert.equal(p().run(['status', '--all']).status, 0);
  });

  test('(c) a target that cannot be read: exit 2, the others reported', () => {
    const cfg = p().write(
      'unreadable.config.ts',
      `export default { versions: 'versions', models: ['entities/*.ts'], targets: [{ name: 'db0', url: ${JSON.stringify(dbs[0].url)} }, { name: 'app', url: ${JSON.stringify(shared.url)}, schemas: ['tenant_0', 'no_such_tenant'] }] };\n`,
    );
    const s = p().run(['--config', cfg, 'status', '--all']);
    assert.equal(s.status, 2, show(s));
    assert.match(s.stdout, /^2 targets \(db0, app\/tenant_0\) at f10 \(head\): nothing pending, checksums ok$/m, show(s));
    assert.match(s.stdout, /^app\/no_such_tenant cannot be read: schema "no_such_tenant" does not exist in postgres:\/\/\S+; create it first/m, show(s));
    assert.match(s.stdout, /^2 of 3 targets up to date\.$/m, show(s));
    const sj = JSON.parse(p().run(['--config', cfg, 'status', '--all', '--json']).stdout) as StatusDoc;
    assert.deepEqual(sj.targets[2].error?.code, 'CONFIG_INVALID');
    assert.deepEqual(sj.summary, { total: 3, upToDate: 2, behind: 0, failed: 1 });

    const c = p().run(['--config', cfg, 'check', '--all']);
    assert.equal(c.status, 2, show(c));
    assert.deepEqual(checkBlock(c, 'db0', 3), { head: 'clean', lines: [] });
    assert.deepEqual(checkBlock(c, 'app/tenant_0', 3), { head: 'clean', lines: [] });
    assert.match(c.stdout, /^\[\s*\d+\/3\] app\/no_such_tenant: FAILED: schema "no_such_tenant" does not exist/m, show(c));
    assert.match(c.stdout, /\n2 of 3 targets agree with the models and revisions\.\n$/);
  });
});
