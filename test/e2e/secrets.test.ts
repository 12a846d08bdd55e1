/**
 * Passwords in database URLs are never printed: on stdout or stderr, with or without --verbose,
 * whatever characters they hold and however the URL is given (config `database`, --database,
 * DATABASE_URL). The masked URL still names host, port and database.
 *
 * Canary passwords all hold "anary", so that any piece of one (as a mis-read URL would print,
 * e.g. its tail taken for a host) is caught, as well as the password whole in each spelling.
 * PostgreSQL runs with trust authentication: a canary password connects to the real server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../support/pg.ts';
import { explain, itemEntity, projects, type RunResult, sqlRevision, type TempProject } from './helpers.ts';

const newProject = projects();

/** A raw password with every character that ends a URL part early. */
const RAW = 'Canary/P@ss#word?1';
/** A percent-encoded password: c@nary/#x once decoded. */
const ENCODED = 'Canary%40enc%2F%23x';
/** A password given as a query parameter, raw. */
const QUERY = 'canaryQuery/P@ss#2';

const server = new URL(PG_ADMIN_URL);
const HOST = `${server.hostname}:${server.port || '5432'}`;
const USER = decodeURIComponent(server.username) || 'postgres';

/** The canary URLs, on a host:port/database. */
function canaryUrls(hostPort: string, database: string): { name: string; url: string; shown: string }[] {
  return [
    { name: 'raw password', url: `postgres://${USER}:${RAW}@${hostPort}/${database}`, shown: `postgres://${USER}:***@${hostPort}/${database}` },
    { name: 'encoded password', url: `postgres://${USER}:${ENCODED}@${hostPort}/${database}`, shown: `postgres://${USER}:***@${hostPort}/${database}` },
    {
      name: '?password=',
      url: `postgres://${USER}@${hostPort}/${database}?sslmode=disable&password=${QUERY}`,
      shown: `postgres://${USER}@${hostPort}/${database}?sslmode=disable&password=***`,
    },
  ];
}

/** Every spelling of a canary: as written, decoded, and percent-encoded. */
function spellings(secret: string): string[] {
  const decoded = decodeURIComponent(secret);
  return [secret, decoded, encodeURIComponent(decoded), encodeURIComponent(secret)];
}

/** Asserts no canary, nor any piece of one, is on stdout or stderr. */
function assertNoCanary(r: RunResult): void {
  const printed = `${r.stdout}\n${r.stderr}`;
  for (const s of [RAW, ENCODED, QUERY].flatMap(spellings)) {
    assert.ok(!printed.includes(s), explain(r, `not to print the password ${JSON.stringify(s)}`));
  }
  assert.doesNotMatch(printed, /anary/i, explain(r, 'not to print any piece of a password'));
}

/** The three ways of giving a URL, each run in a project whose config has (or lacks) it. */
const SOURCES: { name: string; run: (p: TempProject, url: string, args: string[]) => RunResult }[] = [
  {
    name: 'config database',
    run: (p, url, args) => {
      p.writeConfig({ database: url });
      return p.run(args);
    },
  },
  {
    name: '--database',
    run: (p, url, args) => {
      p.writeConfig();
      return p.run(['--database', url, ...args]);
    },
  },
  {
    name: 'DATABASE_URL',
    run: (p, url, args) => {
      p.write('migrator.config.ts', "import { defineConfig } from 'migrator';\n\nexport default defineConfig({ models: ['entities/*.ts'], versions: 'versions' });\n");
      return p.run(args, { DATABASE_URL: url });
    },
  },
];

const ITEM = itemEntity();

const HEAD = 'head00000001';

/** A project with one revision that is not applied anywhere yet. */
function projectWithRevision(): TempProject {
  const p = newProject('migrator-secrets-');
  p.writeEntity('item', ITEM);
  p.write(`versions/${HEAD}_item.ts`, sqlRevision(HEAD, null, 'item', ['CREATE TABLE "item" ("id" serial PRIMARY KEY, "name" varchar(40) NOT NULL)'], ['DROP TABLE "item"']));
  return p;
}

describe('a password in a database URL is never printed', () => {
  describe('connection refused (nothing listens on the port)', () => {
    for (const source of SOURCES) {
      it(`${source.name}: migrate fails naming the masked URL, in one line`, () => {
        const p = projectWithRevision();
        for (const c of canaryUrls('127.0.0.1:1', 'app')) {
          const r = source.run(p, c.url, ['migrate']);
          assert.equal(r.status, 2, explain(r, 'to exit 2'));
          assert.ok(r.stderr.startsWith(`error: cannot connect to ${c.shown}: `), explain(r, `to name ${c.shown}`));
          assert.match(r.stderr, /ECONNREFUSED/, explain(r, 'to say the connection was refused'));
          assert.equal(r.stderr.trim().split('\n').length, 1, explain(r, 'to print one line'));
          assertNoCanary(r);
        }
      });
    }

    it('--verbose: the stack trace holds no password either', () => {
      const p = projectWithRevision();
      p.writeConfig();
      for (const c of canaryUrls('127.0.0.1:1', 'app')) {
        const r = p.run(['--verbose', '--database', c.url, 'current']);
        assert.equal(r.status, 2, explain(r, 'to exit 2'));
        assert.ok(r.stderr.startsWith(`error: cannot connect to ${c.shown}: `), explain(r, `to name ${c.shown}`));
        assert.match(r.stderr, /\n {4}at /, explain(r, 'to print a stack trace'));
        assertNoCanary(r);
      }
    });
  });

  describe('the real server', () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase('migrator_secrets');
    });
    after(async () => {
      await db?.drop();
    });

    for (const source of SOURCES) {
      it(`${source.name}: a database that does not exist is named, the password is not`, () => {
        const p = projectWithRevision();
        for (const c of canaryUrls(HOST, 'no_such_database_for_secrets')) {
          const r = source.run(p, c.url, ['current']);
          assert.equal(r.status, 2, explain(r, 'to exit 2'));
          assert.ok(r.stderr.startsWith(`error: cannot connect to ${c.shown}: `), explain(r, `to name ${c.shown}`));
          assert.match(r.stderr, /database "no_such_database_for_secrets" does not exist/, explain(r, 'to pass on the server message'));
          assertNoCanary(r);
        }
      });
    }

    for (const source of SOURCES) {
      it(`${source.name}: connects with the password as split; makemigrations off head names the masked URL`, async () => {
        for (const c of canaryUrls(HOST, db.name)) {
          await db.query('DROP TABLE IF EXISTS "item", "migrator_version"');
          const p = projectWithRevision();
          const refused = source.run(p, c.url, ['makemigrations', '-m', 'more']);
          assert.equal(refused.status, 2, explain(refused, 'to exit 2'));
          assert.ok(
            refused.stderr.startsWith(`error: the database ${c.shown} is at base (no revisions applied), not at the head revision ${HEAD}; run \`migrator migrate\` first`),
            explain(refused, 'to refuse naming the masked URL'),
          );
          assertNoCanary(refused);
          assert.deepEqual(p.versionFiles(), [`${HEAD}_item.ts`], 'no revision written');

          // The same URL works: what is connected to is what was masked.
          for (const args of [['migrate'], ['current']]) {
            const r = source.run(p, c.url, args);
            assert.equal(r.status, 0, explain(r, 'to exit 0'));
            assertNoCanary(r);
          }
          assert.deepEqual(await db.query('SELECT version_num FROM migrator_version'), [{ version_num: HEAD }]);
        }
      });
    }

    it('--verbose: the stack trace of the off-head refusal holds no password', async () => {
      await db.query('DROP TABLE IF EXISTS "item", "migrator_version"');
      const p = projectWithRevision();
      p.writeConfig();
      const [c] = canaryUrls(HOST, db.name);
      const r = p.run(['--verbose', '--database', c.url, 'makemigrations', '-m', 'more']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.ok(r.stderr.startsWith(`error: the database ${c.shown} is at base`), explain(r, 'to refuse naming the masked URL'));
      assert.match(r.stderr, /\n {4}at /, explain(r, 'to print a stack trace'));
      assertNoCanary(r);
    });
  });

  describe('URLs that cannot be read', () => {
    it('two "@" that could each end the password: refused, masked after the user, nothing connected', () => {
      const p = projectWithRevision();
      for (const source of SOURCES) {
        const r = source.run(p, `postgres://${USER}:CanaryAmb@${HOST}/db?application_name=me@work`, ['migrate']);
        assert.equal(r.status, 2, explain(r, 'to exit 2'));
        assert.match(r.stderr, new RegExp(`^error: database URL "postgres://${USER}:\\*\\*\\*" is ambiguous: .*%40`), explain(r, 'to say the URL is ambiguous'));
        assert.equal(r.stderr.trim().split('\n').length, 1, explain(r, 'to print one line'));
        assertNoCanary(r);
      }
    });

    it('a port that is not a number: refused, masked', () => {
      const p = projectWithRevision();
      p.writeConfig();
      const r = p.run(['--database', `postgres://${USER}:Canary123@localhost:db/x`, '--verbose', 'current']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.match(r.stderr, new RegExp(`^error: database URL "postgres://${USER}:\\*\\*\\*" cannot be read as postgres://user:password@host:port/database`), explain(r, 'to say so'));
      assertNoCanary(r);
    });
  });

  describe('SQLite', () => {
    it('a SQLite URL is printed as written; a PostgreSQL URL it overrides is never read or printed', () => {
      const p = projectWithRevision();
      p.remove(`versions/${HEAD}_item.ts`);
      p.writeConfig({ database: `postgres://${USER}:${RAW}@127.0.0.1:1/app` });
      const env = { DATABASE_URL: `postgres://${USER}@127.0.0.1:1/app?password=${QUERY}` };
      const missing = p.run(['--database', 'sqlite:./app.db', 'current'], env);
      assert.equal(missing.status, 2, explain(missing, 'to exit 2'));
      assert.equal(missing.stderr, 'error: database sqlite:./app.db does not exist yet; run `migrator migrate` to create it\n');
      assertNoCanary(missing);
      for (const args of [['makemigrations', '-m', 'item'], ['migrate'], ['--verbose', 'current']]) {
        const r = p.run(['--database', 'sqlite:./app.db', ...args], env);
        assert.equal(r.status, 0, explain(r, 'to exit 0'));
        assertNoCanary(r);
      }
      assert.deepEqual(p.tables(), ['item', 'migrator_history', 'migrator_version']);
    });
  });
});
