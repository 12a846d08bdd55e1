/**
 * Bad input and faults, table-driven: config, models, messages and ids, revision files, database
 * states, URLs. Every case runs the built CLI in a copy of a project at its head revision (with
 * rows) and must:
 *  - exit 2 with exactly one line on stderr, `error: …`, matching the case's expectation (which
 *    names the file, revision, table or URL concerned) — and under it, for a statement PostgreSQL
 *    refused, exactly the lines of what the server said about it;
 *  - print no stack trace;
 *  - print no password: every database URL carries a canary password, in every form;
 *  - leave the project's files byte for byte, and the database (the SQLite file byte for byte; the
 *    PostgreSQL catalog, version table and rows) exactly as they were.
 */
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { explain, projects, sqlRevision, TempProject, type RunResult } from './helpers.ts';

/** The password every URL carries; it must never be printed in any form. */
const CANARY = 'Kanary-9q7';
/** A password written raw into URLs, with the characters that end a URL's parts. */
const RAW_CANARY = 'R@w/Kan#ry?9';

const newProject = projects();

const ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('product')
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;
}
`;

const BASE = 'base00000001';

/** A config; `database` is a JavaScript expression (a literal, or `process.env.X`). */
function config(database: string, extra = ''): string {
  return `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: ${database}, models: ['entities/*.ts'], versions: 'versions'${extra ? `, ${extra}` : ''} });\n`;
}

/** Every file of a folder, by relative path, with its bytes. */
function files(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = path.join(prefix, name);
    if (statSync(full).isDirectory()) for (const [k, v] of files(full, rel)) out.set(k, v);
    else out.set(rel, readFileSync(full).toString('base64'));
  }
  return out;
}

interface Case {
  name: string;
  /** Files written into the project copy before the run (relative path → content). */
  write?: Record<string, string>;
  /** Database changes made before the run (SQL), part of the state that must stay. */
  sql?: string[];
  /** What puts a shared database back after the case. */
  undo?: string[];
  args: string[];
  env?: Record<string, string>;
  /** What the one stderr line must match. */
  error: RegExp;
  /** The lines under it: what PostgreSQL said about a statement it refused. */
  below?: string[];
}

/** Asserts the user-error contract on one run. */
function assertCleanFailure(c: Case, r: RunResult): void {
  assert.equal(r.status, 2, explain(r, 'to exit 2'));
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  const below = c.below ?? [];
  assert.equal(lines.length, 1 + below.length, explain(r, below.length ? `to print one line and the ${below.length} under it` : 'to print exactly one line on stderr'));
  assert.match(lines[0], /^error: \S/, explain(r, 'to start with `error: `'));
  assert.match(lines[0], c.error, explain(r, `to match ${c.error}`));
  assert.deepEqual(lines.slice(1), below, explain(r, 'to print what PostgreSQL said under the error'));
  assert.ok(!r.stderr.includes('    at '), explain(r, 'to print no stack trace'));
  for (const form of [CANARY, encodeURIComponent(CANARY), RAW_CANARY, encodeURIComponent(RAW_CANARY), 'Kan#ry']) {
    assert.ok(!r.stdout.includes(form) && !r.stderr.includes(form), explain(r, 'never to print the password'));
  }
}

const hostileMessage = 'x\r\nexport const revision = "pwn";\u2028*/ export const y = 1; /*';

/** Cases every dialect shares; `url` is the config's database expression. */
function commonCases(url: string): Case[] {
  return [
    { name: 'no config file', write: {}, args: ['--config', 'missing.config.ts', 'current'], error: /config file \S*missing\.config\.ts does not exist/ },
    { name: 'a config with a syntax error', write: { 'migrator.config.ts': 'export default {' }, args: ['current'], error: /cannot load config \S*migrator\.config\.ts/ },
    { name: 'an unknown config key', write: { 'migrator.config.ts': config(url, 'lockwait: "1s"') }, args: ['current'], error: /migrator\.config\.ts: unknown option "lockwait"; the options are .*lockWait/ },
    { name: 'a duration without a unit', write: { 'migrator.config.ts': config(url, 'lockWait: "60"') }, args: ['migrate'], error: /migrator\.config\.ts: "lockWait" must be a duration with a unit, like '5s'/ },
    { name: 'lockRetries that is not a whole number', write: { 'migrator.config.ts': config(url, 'lockRetries: -1') }, args: ['migrate'], error: /"lockRetries" must be a whole number/ },
    { name: 'models that are not globs', write: { 'migrator.config.ts': config(url).replace("models: ['entities/*.ts']", 'models: 42') }, args: ['makemigrations'], error: /"models" must be a glob/ },
    { name: '--lock-timeout without a unit', args: ['migrate', '--lock-timeout', '10'], error: /--lock-timeout must be a duration with a unit/ },
    { name: 'an unsupported URL scheme', args: ['--database', `mssql://root:${CANARY}@127.0.0.1:1/x`, 'current'], error: /database URL "mssql:\/\/root:\*\*\*@127\.0\.0\.1:1\/x" is not supported/ },
    { name: 'a SQLite URL naming no file', args: ['--database', 'sqlite:', 'current'], error: /database URL "sqlite:" names no file/ },
    {
      name: 'an entity file with a syntax error',
      write: { 'entities/broken.ts': "import { Entity } from 'migrator/decorators';\n\n@Entity()\nexport class Broken {\n  id!: number\n  }}\n" },
      args: ['makemigrations'],
      error: /entities\/broken\.ts:\d+/,
    },
    {
      name: 'an entity with a decorator migrator cannot read',
      write: { 'entities/odd.ts': "import { Entity, PrimaryColumn, Tree, TreeLevelColumn } from 'typeorm';\n\n@Entity()\n@Tree('closure-table')\nexport class OddOne {\n  @PrimaryColumn() id!: number;\n  @TreeLevelColumn() level!: number;\n}\n" },
      args: ['makemigrations'],
      error: /entities\/odd\.ts:7\b.*TreeLevelColumn/,
    },
    { name: 'a revision file with a syntax error', write: { 'versions/bad00000002_bad.ts': "export const revision = 'bad00000002';\nexport const downRevision = 'base00000001'\nexport async function upgrade( {\n" }, args: ['migrate'], error: /versions\/bad00000002_bad\.ts/ },
    {
      name: 'two revision files with one id',
      write: { 'versions/copy_of_base.ts': sqlRevision(BASE, null, 'copy', [], []) },
      args: ['heads'],
      error: new RegExp(`${BASE}.*(base00000001_init\\.ts.*copy_of_base\\.ts|copy_of_base\\.ts.*base00000001_init\\.ts)`),
    },
    { name: 'a revision whose parent does not exist', write: { 'versions/orph00000002_orphan.ts': sqlRevision('orph00000002', 'gone00000000', 'orphan', [], []) }, args: ['migrate'], error: /gone00000000.*orph00000002_orphan\.ts|orph00000002.*gone00000000/ },
    { name: 'upgrade to an unknown revision', args: ['upgrade', 'deadbeef0000'], error: /deadbeef0000/ },
    { name: 'downgrade --sql without a range', args: ['downgrade', '--sql', 'base'], error: /downgrade --sql needs a range start:end/ },
    { name: 'sqlmigrate of an unknown revision', args: ['sqlmigrate', 'zzzz'], error: /zzzz/ },
    {
      name: 'the database at a revision no file defines',
      sql: ["UPDATE migrator_version SET version_num = 'lost00000000'"],
      undo: [`UPDATE migrator_version SET version_num = '${BASE}'`],
      args: ['migrate'],
      error: /the database is at revision lost00000000, which no file in \S+versions defines; restore the file or `migrator stamp --purge <target>` the database/,
    },
    {
      name: 'stamp with the database at a revision no file defines',
      sql: ["UPDATE migrator_version SET version_num = 'lost00000000'"],
      undo: [`UPDATE migrator_version SET version_num = '${BASE}'`],
      args: ['stamp', BASE],
      error: /the database is at revision lost00000000, which no file in \S+versions defines; restore the file, or `migrator stamp --purge <target>` to replace every row/,
    },
    // The database upgraded to a revision of another branch, or of a copy of the project: commands
    // that must place it in the graph name it, the database (password masked) and what to do.
    ...['makemigrations', 'revision -m next --autogenerate', 'history -i', 'history --graph -i'].map(
      (command): Case => ({
        name: `${command} with the database at a revision no file defines`,
        sql: ["UPDATE migrator_version SET version_num = 'lost00000000'"],
        undo: [`UPDATE migrator_version SET version_num = '${BASE}'`],
        args: command.split(' '),
        error:
          /^error: the database (sqlite:\.\/app\.db|postgres:\/\/postgres:\*\*\*@\S+) is at revision lost00000000, which no file in \S+versions defines \(applied from another branch or copy of the project, or its file deleted since\); restore the file \(from version control, or the branch or copy of the project that has it\); or, if the database's schema is that of a revision the files define, record that revision with `migrator stamp --purge <revision>`$/,
      }),
    ),
    {
      name: 'repair of a revision the database is at that no file defines',
      sql: ["UPDATE migrator_version SET version_num = 'lost00000000'"],
      undo: [`UPDATE migrator_version SET version_num = '${BASE}'`],
      args: ['repair', 'lost0000'],
      error:
        /^error: revision lost00000000 is applied to (sqlite:\.\/app\.db|postgres:\/\/postgres:\*\*\*@\S+), but no file in \S+versions defines it: repair records the checksum of a revision file as it is, and there is none to record\. Restore the file .*`migrator stamp --purge <revision>`$/,
    },
    {
      name: 'makemigrations with the database behind the head',
      write: { 'versions/next00000002_next.ts': sqlRevision('next00000002', BASE, 'next', ['CREATE TABLE next_one (id integer)'], ['DROP TABLE next_one']) },
      args: ['makemigrations'],
      error: /is at base00000001, not at the head revision next00000002; run `migrator migrate` first/,
    },
    {
      name: 'a revision failing halfway',
      write: { 'versions/half00000002_half.ts': sqlRevision('half00000002', BASE, 'half', ['CREATE TABLE half_done (id integer)', 'INSERT INTO no_such_table VALUES (1)'], ['DROP TABLE half_done']) },
      args: ['migrate'],
      error: /upgrade base00000001 -> half00000002 failed; revision half00000002 \(\S+half00000002_half\.ts\) was rolled back: .*no_such_table.*\(in statement: INSERT INTO no_such_table VALUES \(1\)\)/,
    },
    { name: 'stamp of an unknown revision', args: ['stamp', 'deadbeef0000'], error: /deadbeef0000/ },
    { name: 'a message that would break the revision file is written safely, but an id with a path is refused', args: ['revision', '-m', hostileMessage, '--rev-id', '../../x'], error: /--rev-id "\.\.\/\.\.\/x" is not a valid revision id/ },
    { name: 'a revision id with a folder in it', args: ['revision', '-m', 'x', '--rev-id', 'sub/dir'], error: /--rev-id "sub\/dir" is not a valid revision id/ },
    { name: 'a revision id that would be a hidden file', args: ['revision', '-m', 'x', '--rev-id', '.hidden'], error: /--rev-id "\.hidden" is not a valid revision id/ },
    { name: 'a revision id climbing out of a folder name', args: ['revision', '-m', 'x', '--rev-id', 'ab/../../x'], error: /--rev-id "ab\/\.\.\/\.\.\/x" is not a valid revision id/ },
    {
      name: 'two heads nobody merged, under a plain migrate',
      write: {
        'versions/left00000002_left.ts': sqlRevision('left00000002', BASE, 'left', ['CREATE TABLE left_side (id integer)'], ['DROP TABLE left_side']),
        'versions/rght00000002_right.ts': sqlRevision('rght00000002', BASE, 'right', ['CREATE TABLE right_side (id integer)'], ['DROP TABLE right_side']),
      },
      args: ['migrate'],
      error: /the revision files have 2 heads \(left00000002 "left", rght00000002 "right"\) that no merge joins; run `migrator merge heads -m "merge"`/,
    },
    {
      name: 'a version table of another shape',
      sql: ['DROP TABLE migrator_version', 'CREATE TABLE migrator_version (id integer, applied text)'],
      undo: ['DROP TABLE migrator_version', `CREATE TABLE migrator_version (version_num varchar(32) NOT NULL, CONSTRAINT migrator_version_pkc PRIMARY KEY (version_num))`, `INSERT INTO migrator_version VALUES ('${BASE}')`],
      args: ['migrate'],
      error: /table migrator_version in \S+ is not migrator's version table \(it has columns id integer, applied text\); migrator needs/,
    },
    { name: 'a config whose default export is a function', write: { 'migrator.config.ts': `export default () => ({ database: ${url} });\n` }, args: ['current'], error: /migrator\.config\.ts: the default export is a function; export the config object instead/ },
    {
      name: 'an entity without a primary column',
      write: { 'entities/nokey.ts': "import { Column, Entity } from 'migrator/decorators';\n\n@Entity('nokey')\nexport class NoKey {\n  @Column() name!: string;\n}\n" },
      args: ['makemigrations'],
      error: /entities\/nokey\.ts:3: entity NoKey has no primary column/,
    },
    { name: 'a URL with a raw password that holds @ / # ?', args: ['--database', `postgres://app:${RAW_CANARY}@127.0.0.1:1/none`, 'current'], error: /postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/none/ },
  ];
}

/**
 * Runs each case in a copy of `base`; `state` reads the database state that must not change and
 * `sql` runs statements on the project's database.
 */
function runCases(cases: Case[], base: () => TempProject, env: () => Record<string, string>, state: (p: TempProject) => Promise<string>, sql: (p: TempProject, statements: string[]) => Promise<void>): void {
  for (const c of cases) {
    test(c.name, async () => {
      const p = newProject('migrator-bad-');
      cpSync(base().dir, p.dir, { recursive: true });
      for (const [rel, content] of Object.entries(c.write ?? {})) p.write(rel, content);
      if (c.sql) await sql(p, c.sql);
      try {
        const beforeFiles = files(p.dir);
        const beforeState = await state(p);
        const r = p.run(c.args, { ...env(), ...c.env });
        assertCleanFailure(c, r);
        assert.deepEqual(files(p.dir), beforeFiles, 'the project files are byte for byte as they were');
        assert.equal(await state(p), beforeState, 'the database is as it was');
      } finally {
        if (c.undo) await sql(p, c.undo);
      }
    });
  }
}

describe('bad input on SQLite', () => {
  let base: TempProject;
  before(() => {
    base = newProject('migrator-bad-base-');
    base.write('migrator.config.ts', config("'sqlite:./app.db'"));
    base.writeEntity('product', ENTITY);
    base.ok(['makemigrations', '-m', 'init', '--rev-id', BASE]);
    base.ok(['migrate']);
    base.exec("INSERT INTO product (sku) VALUES ('P-1'), ('P-2')");
  });
  // The SQLite file is one of the project's files: compared byte for byte with them.
  runCases(
    commonCases("'sqlite:./app.db'"),
    () => base,
    () => ({}),
    async () => '',
    async (p, statements) => p.exec(statements.join(';\n')),
  );
});

describe('bad input on PostgreSQL', () => {
  let db: TestDatabase;
  let base: TempProject;
  let url = '';
  const env = (): Record<string, string> => ({ BAD_INPUT_PG_URL: url });
  before(async () => {
    db = await createTestDatabase('migrator_bad_input');
    const u = new URL(db.url);
    u.password = CANARY;
    url = u.toString();
    base = newProject('migrator-bad-pg-');
    base.write('migrator.config.ts', config('process.env.BAD_INPUT_PG_URL'));
    base.writeEntity('product', ENTITY);
    base.ok(['makemigrations', '-m', 'init', '--rev-id', BASE], env());
    base.ok(['migrate'], env());
    await db.query("INSERT INTO product (sku) VALUES ('P-1'), ('P-2')");
  });
  after(async () => {
    await db?.drop();
  });
  const state = async (): Promise<string> =>
    `${pgCatalogText(await readPgCatalog(db))}\n${JSON.stringify(await db.query('SELECT * FROM migrator_version ORDER BY 1'))}\n${JSON.stringify(await db.query('SELECT * FROM product ORDER BY id'))}`;
  // PostgreSQL says where in the statement the table it does not know is named.
  const pointed: Record<string, string[]> = { 'a revision failing halfway': ['  line 1: INSERT INTO no_such_table VALUES (1)', `${' '.repeat(22)}^`] };
  runCases(
    [
      ...commonCases('process.env.BAD_INPUT_PG_URL').map((c) => (pointed[c.name] ? { ...c, below: pointed[c.name] } : c)),
      { name: 'an unreachable server', args: ['--database', `postgres://app:${CANARY}@127.0.0.1:1/none`, 'current'], error: /cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/none/ },
      {
        name: 'two table names that PostgreSQL would cut to one',
        write: {
          'entities/long.ts': `import { Entity, PrimaryColumn } from 'migrator/decorators';\n\n@Entity('${'a'.repeat(63)}_one')\nexport class LongOne {\n  @PrimaryColumn() id!: number;\n}\n\n@Entity('${'a'.repeat(63)}_two')\nexport class LongTwo {\n  @PrimaryColumn() id!: number;\n}\n`,
        },
        args: ['makemigrations'],
        error: /tables "a{63}_one" and "a{63}_two" are both "a{63}" in PostgreSQL, which keeps the first 63 bytes of a name/,
      },
      {
        name: 'a database that does not exist',
        args: ['--database', `postgres://postgres:${CANARY}@127.0.0.1:5432/no_such_db_here`, 'current'],
        error: /cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/no_such_db_here: database "no_such_db_here" does not exist/,
      },
    ],
    () => base,
    env,
    state,
    async (_p, statements) => {
      for (const s of statements) await db.query(s);
    },
  );
});
