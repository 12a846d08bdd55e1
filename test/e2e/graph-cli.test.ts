/**
 * The revision graph through the built CLI (`dist/cli/main.js`), on SQLite, PostgreSQL and
 * MySQL/MariaDB: the same test bodies run on each. Build first: `npx tsc -p tsconfig.json`.
 *
 * The project has two version folders, two modules:
 *
 *   core/  c01e00000001 (branch label core, creates core_users) <- c01e00000002 (core_orgs)
 *   crm/   c2f000000001 (branch label crm, a base of its own, creates crm_contacts)
 *          <- c2f000000002 (crm_deals), which also depends on c01e00000002
 *
 * Every expected version table, heads list and generated header below was recorded by running
 * Alembic 1.20 on the same graph (the same revisions as Python files in core/ and crm/, two
 * version_locations, SQLite); the version table is read back with
 * `SELECT version_num FROM migrator_version` after each command, and the tables the revisions
 * create show that each revision really ran (or was really reverted).
 *
 * PostgreSQL and MySQL: one database each for the file (test/support/pg.ts, mysql.ts), emptied
 * before each test, dropped at the end; an unreachable server fails the file, never skips it.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, GraphProject, lines, mysql, postgres, replayVersionSql, revisionSource, sqlite } from './graph-helpers.ts';
import { undated } from './helpers.ts';

const C1 = 'c01e00000001';
const C2 = 'c01e00000002';
const R1 = 'c2f000000001';
const R2 = 'c2f000000002';
const R3 = 'c2f000000003';
const B1 = 'c1b000000001';
const B2 = 'c1b000000002';
const D1 = 'c2b000000001';
const D2 = 'c2b000000002';
const ALL_TABLES = ['core_orgs', 'core_users', 'crm_contacts', 'crm_deals'];
const CORE_TABLES = ['core_orgs', 'core_users'];

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_graph');
  my = await createMysqlTestDatabase('migrator_graph');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

const made: GraphProject[] = [];
after(() => {
  for (const p of made) p.cleanup();
});

/** The module project described at the top. */
function modules(backend: Backend): GraphProject {
  const p = new GraphProject(backend);
  made.push(p);
  p.revision('core', { id: C1, down: null, labels: ['core'], message: 'create core_users', table: 'core_users' });
  p.revision('core', { id: C2, down: C1, message: 'create core_orgs', table: 'core_orgs' });
  p.revision('crm', { id: R1, down: null, labels: ['crm'], message: 'create crm_contacts', table: 'crm_contacts' });
  p.revision('crm', { id: R2, down: R1, dependsOn: [C2], message: 'create crm_deals', table: 'crm_deals' });
  return p;
}

interface Info {
  id: string;
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  path?: string;
  isHead: boolean;
}

const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id);
const sorted = (xs: string[]): string[] => [...xs].sort();

/** `Applied <id>` / `Reverted <id>` lines of upgrade/downgrade output, in order. */
function stepsOf(stdout: string): string[] {
  return lines(stdout)
    .map((l) => /^(Applied|Reverted)\s+(\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1] === 'Applied' ? 'up' : 'down'}:${m[2]}`);
}

/** Asserts a list of revisions is newest first: no revision before one of its descendants. */
function assertNewestFirst(list: Info[]): void {
  const seen = new Set<string>();
  for (const r of list) {
    for (const parent of [...r.downRevisions, ...r.dependsOn]) assert.ok(!seen.has(parent), `${parent} is listed before ${r.id}, which builds on it`);
    seen.add(r.id);
  }
}

for (const backend of [sqlite, postgres(() => pg!), mysql(() => my!)]) {
  describe(`revision graph commands on ${backend.name}`, () => {
    let p: GraphProject;
    beforeEach(async () => {
      p = modules(backend);
      await backend.reset(p.dir);
    });

    /** Runs a command (exit 0) and asserts the version table and the tables afterwards. */
    async function step(args: string[], rows: string[], tables?: string[]): Promise<string> {
      const r = p.ok(...args);
      assert.deepEqual(await p.rows(), rows, `version table after \`migrator ${args.join(' ')}\`\n${r.stdout}`);
      if (tables) assert.deepEqual(await p.tables(), tables, `tables after \`migrator ${args.join(' ')}\``);
      return r.stdout;
    }

    it('heads, heads --resolve-dependencies, branches, history and show read the graph', async () => {
      // Alembic: `heads` lists c01e00000002 as an "effective head" (crm depends on it);
      // `heads --resolve-dependencies` leaves it out.
      const heads = p.json<Info[]>('heads', '--json');
      assert.deepEqual(sorted(ids(heads)), [C2, R2]);
      assert.ok(heads.every((h) => h.isHead));
      assert.deepEqual(sorted(lines(p.ok('heads').stdout).map((l) => l.split(' ')[0])), [C2, R2]);
      assert.deepEqual(ids(p.json<Info[]>('heads', '--resolve-dependencies', '--json')), [R2]);
      assert.deepEqual(lines(p.ok('heads', '--resolve-dependencies').stdout).map((l) => l.split(' ')[0]), [R2]);

      assert.deepEqual(p.json('branches', '--json'), []);
      assert.match(p.ok('branches').stdout, /no branch points/);

      const history = p.json<Info[]>('history', '--json');
      assert.deepEqual(sorted(ids(history)), [C1, C2, R1, R2]);
      assertNewestFirst(history);
      const text = lines(p.ok('history').stdout);
      assert.equal(text.length, 4);
      assert.ok(text.some((l) => l.startsWith(`${R1} -> ${R2}`)), text.join('\n'));
      assert.ok(text.some((l) => l.startsWith(`<base> -> ${C1}`)), text.join('\n'));
      assert.deepEqual(ids(p.json<Info[]>('history', '-r', `${C1}:${C2}`, '--json')), [C2, C1]);

      const crm = lines(p.ok('show', 'crm').stdout); // a branch label names its revision
      assert.equal(crm[0].split(' ').slice(0, 2).join(' '), `Rev: ${R1}`);
      assert.ok(crm.includes('Parent: <base>'), crm.join('\n'));
      assert.ok(crm.includes('Branch names: crm'), crm.join('\n'));
      assert.ok(crm.some((l) => l.startsWith('Path: ') && l.includes(`crm/${R1}_`)), crm.join('\n'));
      const deals = lines(p.ok('show', 'c2f000000002').stdout);
      assert.ok(deals.includes(`Parent: ${R1}`), deals.join('\n'));
      assert.ok(deals.includes(`Also depends on: ${C2}`), deals.join('\n'));
      assert.match(p.fails('show', 'c2f0'), /c2f000000001.*c2f000000002|ambiguous/i);

      assert.deepEqual(await p.rows(), [], 'reading the graph leaves the database alone');
      assert.deepEqual(await p.tables(), []);
    });

    it('upgrade crm@head installs crm and the core revisions it depends on; current, showmigrations, history -i', async () => {
      const out = await step(['upgrade', 'crm@head'], [R2], ALL_TABLES);
      const applied = stepsOf(out);
      assert.deepEqual(sorted(applied), [`up:${C1}`, `up:${C2}`, `up:${R1}`, `up:${R2}`]);
      assert.ok(applied.indexOf(`up:${C2}`) < applied.indexOf(`up:${R2}`) && applied.indexOf(`up:${R1}`) < applied.indexOf(`up:${R2}`), applied.join(', '));

      assert.deepEqual(p.json('current', '--json'), [R2]);
      assert.deepEqual(lines(p.ok('current').stdout).map((l) => l.split(' ')[0]), [R2]);

      const status = p.json<(Info & { applied: boolean })[]>('showmigrations', '--json');
      assert.deepEqual(sorted(ids(status)), [C1, C2, R1, R2]);
      assert.ok(status.every((s) => s.applied), JSON.stringify(status));
      const text = lines(p.ok('showmigrations').stdout);
      assert.equal(text.length, 4);
      assert.ok(text.every((l) => l.startsWith('[X] ')), text.join('\n'));

      const history = p.json<(Info & { isCurrent: boolean })[]>('history', '-i', '--json');
      assert.deepEqual(history.filter((h) => h.isCurrent).map((h) => h.id), [R2]);
      assert.match(p.ok('history', '-i').stdout, new RegExp(`${R2} \\([^)]*current`));

      assert.match(await step(['upgrade', 'heads'], [R2], ALL_TABLES), /Nothing to do/);
    });

    it('modules install and uninstall on their own: crm@+1, core@head, crm@-1, then downgrade crm@base keeps core', async () => {
      await step(['upgrade', 'crm@+1'], [R1], ['crm_contacts']);
      await step(['upgrade', 'core@head'], [C2, R1], ['core_orgs', 'core_users', 'crm_contacts']);
      await step(['downgrade', 'crm@-1'], [C2], CORE_TABLES);
      await step(['upgrade', 'crm@+1'], [C2, R1], ['core_orgs', 'core_users', 'crm_contacts']);
      await step(['upgrade', 'crm@head'], [R2], ALL_TABLES);
      // Alembic: the roots of crm@base narrow to crm's own base; its descendants go, and the
      // row passes back to the core revision crm depended on.
      const out = await step(['downgrade', 'crm@base'], [C2], CORE_TABLES);
      assert.deepEqual(stepsOf(out), [`down:${R2}`, `down:${R1}`]);
    });

    it('downgrade core@base uninstalls core and what depends on it; crm\'s own base stays', async () => {
      await step(['upgrade', 'crm@+1'], [R1], ['crm_contacts']);
      await step(['upgrade', 'core@head'], [C2, R1], ['core_orgs', 'core_users', 'crm_contacts']);
      await step(['downgrade', 'core@base'], [R1], ['crm_contacts']);
      await step(['upgrade', 'heads'], [R2], ALL_TABLES);
      const out = await step(['downgrade', 'core@base'], [R1], ['crm_contacts']);
      assert.deepEqual(sorted(stepsOf(out)), [`down:${C1}`, `down:${C2}`, `down:${R2}`]);
    });

    it('downgrade label@<rev> takes only that branch down; a branch beside it keeps its head', async () => {
      // Two labelled branches grow from core's head:
      //   c01e00000002 <- c1b000000001 (c1branch) <- c1b000000002
      //   c01e00000002 <- c2b000000001 (c2branch) <- c2b000000002
      p.revision('core', { id: B1, down: C2, labels: ['c1branch'], message: 'create c1_items', table: 'c1_items' });
      p.revision('core', { id: B2, down: B1, message: 'create c1_more', table: 'c1_more' });
      p.revision('core', { id: D1, down: C2, labels: ['c2branch'], message: 'create c2_items', table: 'c2_items' });
      p.revision('core', { id: D2, down: D1, message: 'create c2_more', table: 'c2_more' });
      const everything = sorted([...ALL_TABLES, 'c1_items', 'c1_more', 'c2_items', 'c2_more']);
      await step(['upgrade', 'heads'], [B2, D2, R2], everything);

      let out = await step(['downgrade', `c2branch@${C2}`], [B2, R2], sorted([...ALL_TABLES, 'c1_items', 'c1_more']));
      assert.deepEqual(stepsOf(out), [`down:${D2}`, `down:${D1}`]);
      // Nothing of c2branch is left above c01e00000002: refused, as Alembic refuses it.
      assert.match(p.fails('downgrade', `c2branch@${C2}`), /nothing above c01e00000002 is applied on branch "c2branch"/);
      assert.match(p.fails('downgrade', `c2branch@${B1}`), /c1b000000001 is not on branch "c2branch"/);

      await step(['upgrade', 'c2branch@head'], [B2, D2, R2], everything);
      out = await step(['downgrade', `c1branch@${C2}`], [D2, R2], sorted([...ALL_TABLES, 'c2_items', 'c2_more']));
      assert.deepEqual(stepsOf(out), [`down:${B2}`, `down:${B1}`]);

      // Offline, from the rows a start names: the same steps and version-table statements.
      await step(['upgrade', 'heads'], [B2, D2, R2], everything);
      const sql = p.ok('downgrade', '--sql', `heads:c2branch@${C2}`).stdout;
      assert.equal((sql.match(/^-- Running downgrade /gm) ?? []).length, 2, sql);
      assert.deepEqual(replayVersionSql(sql, [B2, D2, R2]), [B2, R2]);

      // Without a label, both branches go down to c01e00000002; crm stays.
      out = await step(['downgrade', C2], [R2], ALL_TABLES);
      assert.deepEqual(sorted(stepsOf(out)), sorted([`down:${B1}`, `down:${B2}`, `down:${D1}`, `down:${D2}`]));
    });

    it('dependsOn may name a branch label: the revision that carries it, not its branch\'s head', async () => {
      p.revision('core', { id: B1, down: C2, labels: ['c1branch'], message: 'create c1_items', table: 'c1_items' });
      p.revision('core', { id: B2, down: B1, message: 'create c1_more', table: 'c1_more' });
      p.revision('crm', { id: R3, down: R2, dependsOn: ['c1branch'], message: 'create crm_items', table: 'crm_items' });

      // c1b000000001 comes before c2f000000003; c1branch's head c1b000000002 does not come along.
      const out = await step(['upgrade', 'crm@head'], [R3], sorted([...ALL_TABLES, 'c1_items', 'crm_items']));
      const applied = stepsOf(out);
      assert.deepEqual(sorted(applied), sorted([`up:${C1}`, `up:${C2}`, `up:${B1}`, `up:${R1}`, `up:${R2}`, `up:${R3}`]));
      assert.ok(applied.indexOf(`up:${B1}`) < applied.indexOf(`up:${R3}`), applied.join(', '));
      await step(['upgrade', 'c1branch@head'], [B2, R3]);
      // Down to the labelled revision: c2f000000003, which only depends on it, stays.
      await step(['downgrade', B1], [R3], sorted([...ALL_TABLES, 'c1_items', 'crm_items']));
      await step(['downgrade', 'crm@-1'], [B1, R2], sorted([...ALL_TABLES, 'c1_items']));

      // show prints dependsOn as written; heads are unchanged by the dependency.
      const show = lines(p.ok('show', R3).stdout);
      assert.ok(show.includes('Also depends on: c1branch'), show.join('\n'));
      assert.deepEqual(sorted(ids(p.json<Info[]>('heads', '--json'))), [B2, R3]);

      // revision --depends-on keeps a branch label as written, as Alembic does, and an id as the full id.
      const gen = p.ok('revision', '-m', 'crm extra', '--head', 'crm@head', '--depends-on', 'c1branch', '--depends-on', 'c01e00000001', '--rev-id', 'c2f000000004').stdout;
      const extra = /^Generated (\S+)$/m.exec(gen)?.[1] ?? '';
      assert.equal(undated(extra), 'crm/c2f000000004_crm_extra.ts', gen);
      assert.match(p.read(extra), /^export const dependsOn\b[^=]*= \['c1branch', 'c01e00000001'\];$/m);

      // A name that is neither a revision id nor a branch label.
      p.revision('crm', { id: R3, down: R2, dependsOn: ['nosuchlabel'], message: 'create crm_items', table: 'crm_items' });
      assert.match(p.fails('heads'), /c2f000000003 .*depends on nosuchlabel, which is neither a revision id nor a branch label/);
    });

    it('stamp [--purge] moves only the version table; stamp --sql prints it', async () => {
      await step(['stamp', C2, R1], [C2, R1], []);
      await step(['stamp', '--purge', C1], [C1], []);
      await step(['stamp', 'crm@head'], [R2], []);
      // Stamping an ancestor of the crm head (through its dependency) moves that row down.
      await step(['stamp', C1], [C1], []);
      await step(['stamp', R1], [C1, R1], []);
      await step(['stamp', '--purge', C2, R1], [C2, R1], []);
      assert.match(p.fails('stamp', 'c01e'), /ambiguous|c01e00000001/i);
      assert.deepEqual(await p.rows(), [C2, R1]);
      await step(['stamp', 'heads'], [R2], []);
      // core@base removes the rows of core's lineage, the dependent crm head included.
      await step(['stamp', 'core@base'], [], []);
      await step(['stamp', R1], [R1], []);
      await step(['stamp', 'crm@base'], [], []);
      await step(['stamp', 'heads'], [R2], []);
      await step(['stamp', 'base'], [], []);

      const sql = p.ok('stamp', '--sql', 'crm@head').stdout;
      assert.match(sql, /CREATE TABLE (IF NOT EXISTS )?["`]?migrator_version["`]?/);
      assert.deepEqual(replayVersionSql(sql, []), [R2]);
      assert.deepEqual(await p.rows(), [], 'stamp --sql leaves the database alone');
    });

    it('upgrade --sql start:end and downgrade --sql start:end need no database', async () => {
      const up = p.ok('upgrade', '--sql', 'base:crm@head').stdout;
      assert.equal((up.match(/CREATE TABLE (IF NOT EXISTS )?["`]?migrator_version["`]?/g) ?? []).length, 1, up);
      assert.equal((up.match(/^-- Running upgrade /gm) ?? []).length, 4, up);
      for (const t of ALL_TABLES) assert.match(up, new RegExp(`CREATE TABLE ${t}\\b`));
      assert.deepEqual(replayVersionSql(up, []), [R2]);
      if (backend.name === 'postgres') assert.equal((up.match(/^BEGIN;$/gm) ?? []).length, 4, up);

      const fromCore = p.ok('upgrade', '--sql', `${C2}:crm@head`).stdout;
      assert.doesNotMatch(fromCore, /CREATE TABLE (IF NOT EXISTS )?["`]?migrator_version["`]?/);
      assert.deepEqual(replayVersionSql(fromCore, [C2]), [R2]);

      const down = p.ok('downgrade', '--sql', `${R2}:base`).stdout;
      assert.equal((down.match(/^-- Running downgrade /gm) ?? []).length, 4, down);
      for (const t of ALL_TABLES) assert.match(down, new RegExp(`DROP TABLE ${t}\\b`));
      assert.deepEqual(replayVersionSql(down, [R2]), []);

      assert.match(p.fails('downgrade', '--sql', 'base'), /start:end|range/);
      assert.deepEqual(await p.rows(), [], 'offline SQL leaves the database alone');
      assert.deepEqual(await p.tables(), []);

      // Alembic: crm@base reverts crm's two revisions; core stays (the row goes back to c01e00000002).
      const crmOnly = p.ok('downgrade', '--sql', `${R2}:crm@base`).stdout;
      assert.equal((crmOnly.match(/^-- Running downgrade /gm) ?? []).length, 2, crmOnly);
      assert.deepEqual(replayVersionSql(crmOnly, [R2]), [C2]);
    });

    it('revision --head/--splice/--branch-label/--depends-on/--version-path/--rev-id and merge heads write where Alembic does', async () => {
      const gen = (out: string): string => {
        const m = /^Generated (\S+\.ts)$/m.exec(out);
        assert.ok(m, `no "Generated <file>" in:\n${out}`);
        return m[1];
      };
      const header = (rel: string, name: string): string => {
        const m = new RegExp(`^export const ${name}\\b[^=]*=\\s*(.*?);$`, 'm').exec(p.read(rel));
        assert.ok(m, `no ${name} header in ${rel}:\n${p.read(rel)}`);
        return m[1];
      };
      const list = (literal: string): string[] => {
        if (literal === 'null') return [];
        const value = JSON.parse(literal.replace(/'/g, '"')) as string | string[];
        return Array.isArray(value) ? value : [value];
      };

      // On crm's head: into crm/, the head's folder.
      const step1 = gen(p.ok('revision', '-m', 'crm step', '--head', 'crm@head', '--rev-id', 'c2f000000003').stdout);
      assert.equal(undated(step1), 'crm/c2f000000003_crm_step.ts');
      assert.equal(header(step1, 'downRevision'), `'${R2}'`);

      // Not a head without --splice; with it, a new branch in core/.
      assert.match(p.fails('revision', '-m', 'audit', '--head', C1, '--rev-id', 'a0d100000001'), /not a head.*--splice/);
      const audit = gen(p.ok('revision', '-m', 'audit', '--head', C1, '--splice', '--branch-label', 'audit', '--rev-id', 'a0d100000001').stdout);
      assert.equal(undated(audit), 'core/a0d100000001_audit.ts');
      assert.equal(header(audit, 'downRevision'), `'${C1}'`);
      assert.deepEqual(list(header(audit, 'branchLabels')), ['audit']);
      const branches = p.json<(Info & { children: Info[] })[]>('branches', '--json');
      assert.deepEqual(ids(branches), [C1]);
      assert.deepEqual(sorted(ids(branches[0].children)), ['a0d100000001', C2]);
      const branchText = lines(p.ok('branches').stdout);
      assert.ok(branchText[0].startsWith(C1), branchText.join('\n'));
      assert.equal(branchText.filter((l) => l.includes('-> ')).length, 2, branchText.join('\n'));

      // A new base in crm/, depending on core's base.
      const reports = gen(
        p.ok('revision', '-m', 'reports', '--head', 'base', '--branch-label', 'reports', '--depends-on', C1, '--version-path', 'crm', '--rev-id', 'b0b000000001').stdout,
      );
      assert.equal(undated(reports), 'crm/b0b000000001_reports.ts');
      assert.equal(header(reports, 'downRevision'), 'null');
      assert.deepEqual(list(header(reports, 'dependsOn')), [C1]);
      assert.deepEqual(list(header(reports, 'branchLabels')), ['reports']);

      assert.match(p.fails('revision', '-m', 'again', '--head', 'base', '--branch-label', 'crm', '--version-path', 'crm'), /crm/);
      assert.match(p.fails('revision', '-m', 'elsewhere', '--head', 'base', '--version-path', 'elsewhere'), /elsewhere/);
      assert.match(p.fails('revision', '-m', 'taken', '--head', 'crm@head', '--rev-id', R1), new RegExp(R1));

      assert.deepEqual(sorted(ids(p.json<Info[]>('heads', '--json'))), ['a0d100000001', 'b0b000000001', C2, 'c2f000000003']);
      assert.deepEqual(sorted(ids(p.json<Info[]>('heads', '--resolve-dependencies', '--json'))), ['a0d100000001', 'b0b000000001', 'c2f000000003']);

      await step(['upgrade', 'heads'], ['a0d100000001', 'b0b000000001', 'c2f000000003'], ALL_TABLES);
      await step(['downgrade', 'base'], [], []);

      // Alembic: `merge heads` joins the heads that "heads" resolves to — the real heads, so not
      // c01e00000002, which crm depends on. The merge goes into core/ (the first version folder).
      const merge = gen(p.ok('merge', 'heads', '-m', 'join all', '--rev-id', 'e0e000000001').stdout);
      assert.equal(undated(merge), 'core/e0e000000001_join_all.ts');
      assert.deepEqual(ids(p.json<Info[]>('heads', '--resolve-dependencies', '--json')), ['e0e000000001']);
      await step(['upgrade', 'heads'], ['e0e000000001'], ALL_TABLES);
      await step(['downgrade', 'base'], [], []);
      assert.deepEqual(sorted(list(header(merge, 'downRevision'))), ['a0d100000001', 'b0b000000001', 'c2f000000003']);
      assert.deepEqual(sorted(ids(p.json<Info[]>('heads', '--json'))), [C2, 'e0e000000001']);
    });

    it('integrity errors exit 2 with one line naming the files, and touch nothing', async () => {
      // The same id in two folders.
      p.revision('crm', { id: C1, down: null, message: 'copy', table: 'crm_copy' });
      let line = p.fails('upgrade', 'heads');
      assert.match(line, new RegExp(C1));
      assert.ok(line.includes(`core/${C1}_core_users.ts`) && line.includes(`crm/${C1}_crm_copy.ts`), line);
      assert.ok(p.fails('heads').includes(`crm/${C1}_crm_copy.ts`));
      p.remove(`crm/${C1}_crm_copy.ts`);

      // A header that is not a literal.
      const bad = `crm/c2f000000009_computed.ts`;
      p.write(bad, revisionSource({ id: 'c2f000000009', down: R2, message: 'computed' }).replace(`= '${R2}';`, `= PARENT;`));
      line = p.fails('heads');
      assert.ok(line.includes(bad), line);
      assert.match(line, /downRevision/);
      assert.match(line, /literal/);
      p.write(bad, revisionSource({ id: 'c2f000000009', down: 'c2f0000000ff', message: 'orphan' }));

      // A parent no file defines.
      line = p.fails('heads');
      assert.ok(line.includes('c2f0000000ff') && line.includes('c2f000000009'), line);

      // A cycle.
      p.write(bad, revisionSource({ id: 'c2f000000009', down: R2, message: 'loop' }));
      p.revision('crm', { id: R1, down: 'c2f000000009', labels: ['crm'], message: 'create crm_contacts', table: 'crm_contacts' });
      line = p.fails('upgrade', 'heads');
      assert.match(line, /cycle/i);
      assert.match(line, /c2f000000009/);

      // A branch label used twice.
      p.revision('crm', { id: R1, down: null, labels: ['core'], message: 'create crm_contacts', table: 'crm_contacts' });
      line = p.fails('heads');
      assert.match(line, /"?core"?/);
      assert.ok(line.includes(C1) && line.includes(R1), line);

      assert.deepEqual(await p.rows(), []);
      assert.deepEqual(await p.tables(), []);
    });
  });
}
