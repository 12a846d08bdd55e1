import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as pgParse } from 'pg-connection-string';
import { redact } from '../../src/config/secrets.js';
import { splitUrl } from '../../src/config/url.js';
import { maskUrl, parseDatabaseUrl } from '../../src/dialects/index.js';
import { MigratorError } from '../../src/errors.js';

/** What `pg` connects with, given the URL migrator hands it. */
function pgSees(url: string): Record<string, unknown> {
  const c = pgParse(parseDatabaseUrl(url, '/tmp').location);
  return { user: c.user, password: c.password, host: c.host, port: c.port, database: c.database };
}

describe('database URLs: what is connected to', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['postgres://app:secret@db.example.com:5432/shop', { user: 'app', password: 'secret', host: 'db.example.com', port: '5432', database: 'shop' }],
    // Everything between the user's ":" and the last "@" that a host follows is the password.
    ['postgres://user:p@ss/w#rd@host/db', { user: 'user', password: 'p@ss/w#rd', host: 'host', port: '', database: 'db' }],
    ['postgres://u:Canary/P@ss#word?1@127.0.0.1:1/db', { user: 'u', password: 'Canary/P@ss#word?1', host: '127.0.0.1', port: '1', database: 'db' }],
    ['postgres://u:c%40nary@127.0.0.1:5432/db', { user: 'u', password: 'c@nary', host: '127.0.0.1', port: '5432', database: 'db' }],
    ['postgres://u@127.0.0.1:5432/db?password=Canary/P@ss#word?1', { user: 'u', password: 'Canary/P@ss#word?1', host: '127.0.0.1', port: '5432', database: 'db' }],
    ['postgresql://admin@server:pw@server.example.com:5432/postgres', { user: 'admin@server', password: 'pw', host: 'server.example.com', port: '5432', database: 'postgres' }],
    ['postgres://u:pw@[::1]:5432/db', { user: 'u', password: 'pw', host: '::1', port: '5432', database: 'db' }],
    ['postgres://u:pw@/db?host=/var/run/postgresql', { user: 'u', password: 'pw', host: '/var/run/postgresql', port: '', database: 'db' }],
    ['postgres://127.0.0.1/db', { user: '', password: '', host: '127.0.0.1', port: '', database: 'db' }],
  ];
  for (const [url, expected] of cases) {
    it(`pg reads ${url} as split`, () => {
      assert.deepEqual(pgSees(url), expected);
    });
  }

  it('keeps the other query parameters, decoded as pg decodes them', () => {
    const c = pgParse(parseDatabaseUrl('postgres://u@h/db?sslmode=disable&application_name=my%20app&password=a+b', '/tmp').location);
    assert.equal(c.sslmode, 'disable');
    assert.equal(c.application_name, 'my app');
    assert.equal(c.password, 'a b');
  });

  it("takes Prisma's ?schema= as the schema to work in, and leaves it out of what pg is given", () => {
    const t = parseDatabaseUrl('postgresql://u:pw@h:5432/db?schema=tenant%20one&sslmode=disable', '/tmp');
    assert.equal(t.schema, 'tenant one');
    const c = pgParse(t.location);
    assert.equal(c.sslmode, 'disable');
    assert.equal((c as Record<string, unknown>).schema, undefined);
    assert.equal(t.display, 'postgresql://u:***@h:5432/db?schema=tenant%20one&sslmode=disable');
    assert.equal(parseDatabaseUrl('postgres://h/db', '/tmp').schema, undefined);
    assert.throws(() => parseDatabaseUrl('postgres://h/db?schema=a&schema=b', '/tmp'), /names the schema 2 times; give \?schema= once/);
    assert.throws(() => parseDatabaseUrl('postgres://h/db?schema=', '/tmp'), /\?schema= must name a schema/);
  });

  it('a standard URL reaches pg as written', () => {
    assert.equal(parseDatabaseUrl('postgres://app:secret@db:5432/shop', '/tmp').location, 'postgres://app:secret@db:5432/shop');
  });
});

describe('database URLs: what is printed', () => {
  const cases: [string, string][] = [
    ['postgres://app:secret@db.example.com:5432/shop', 'postgres://app:***@db.example.com:5432/shop'],
    ['postgres://user:p@ss/w#rd@host/db', 'postgres://user:***@host/db'],
    ['postgres://u:Canary/P@ss#word?1@127.0.0.1:1/db', 'postgres://u:***@127.0.0.1:1/db'],
    ['postgres://u:c%40nary@127.0.0.1:5432/db', 'postgres://u:***@127.0.0.1:5432/db'],
    ['postgres://u@h:5432/db?sslmode=disable&password=Canary/P@ss#word?1', 'postgres://u@h:5432/db?sslmode=disable&password=***'],
    ['postgres://u@h/db?sslpassword=k3y&sslkey=/etc/client.key', 'postgres://u@h/db?sslpassword=***&sslkey=/etc/client.key'],
    ['postgres://u@h/db?oauth_client_secret=s3cr3t', 'postgres://u@h/db?oauth_client_secret=***'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['postgres://u:@h/db', 'postgres://u@h/db'],
    ['mysql://u:pw@h/db', 'mysql://u:***@h/db'],
    ['sqlite:./app.db', 'sqlite:./app.db'],
  ];
  for (const [url, shown] of cases) {
    it(`masks ${url}`, () => {
      assert.equal(maskUrl(url), shown);
    });
  }

  it('redacts the password in every spelling once the URL is read', () => {
    parseDatabaseUrl('postgres://u:Unit/P@ss#word?9@127.0.0.1:1/db', '/tmp');
    parseDatabaseUrl('postgres://u:unit%40encoded@127.0.0.1:1/db', '/tmp');
    const text = 'a Unit/P@ss#word?9 b Unit%2FP%40ss%23word%3F9 c unit@encoded d unit%40encoded e';
    assert.equal(redact(text), 'a *** b *** c *** d *** e');
  });

  it('leaves a masked URL whole where the password also spells its user', () => {
    const t = parseDatabaseUrl('postgres://postgres:postgres@localhost:5432/app', '/tmp');
    assert.equal(t.display, 'postgres://postgres:***@localhost:5432/app');
    assert.equal(redact(`cannot connect to ${t.display}: role "postgres"`), 'cannot connect to postgres://postgres:***@localhost:5432/app: role "***"');
  });
});

describe('database URLs: what cannot be read', () => {
  function refusal(url: string): string {
    try {
      splitUrl(url);
    } catch (error) {
      assert.ok(error instanceof MigratorError);
      return error.message;
    }
    assert.fail(`${url} should be refused`);
  }

  it('refuses a URL where two "@" could end the password, masking all after the user', () => {
    const message = refusal('postgres://u:pa55@host/db?application_name=a@b');
    assert.match(message, /^database URL "postgres:\/\/u:\*\*\*" is ambiguous: .* percent-encode "@" in the password or the query as %40/);
    assert.ok(!message.includes('pa55') && !message.includes('host'), message);
    assert.equal(redact('x pa55@host/db?application_name=a@b y'), 'x *** y');
  });

  it('refuses a port that is not a number, without printing the password', () => {
    const message = refusal('postgres://u:hunter2@host:abc/db');
    assert.match(message, /^database URL "postgres:\/\/u:\*\*\*" cannot be read as postgres:\/\/user:password@host:port\/database/);
    assert.ok(!message.includes('hunter2'), message);
  });

  it('a URL with no scheme:// shows its scheme only', () => {
    assert.equal(maskUrl('postgres:u:pw@h/db'), 'postgres:***');
    assert.equal(redact('u:pw@h/db'), '***');
  });

  it('is not a scheme:// URL: no parts', () => {
    assert.equal(splitUrl('sqlite:./app.db'), undefined);
  });
});
