/**
 * The MySQL dialect's pure parts: URLs, type/default/expression normalisation, script splitting,
 * fitting models, and the compiler's SQL (quoting, one phase per statement, what it refuses).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskUrl, parseDatabaseUrl } from '../../src/dialects/index.js';
import { compileMysql } from '../../src/dialects/mysql/compiler.js';
import { compilePostgres } from '../../src/dialects/postgres/compiler.js';
import { compileSqlite } from '../../src/dialects/sqlite/compiler.js';
import { fitMysqlModels, hasMariadbUuid } from '../../src/dialects/mysql/fit.js';
import { splitScript } from '../../src/dialects/mysql/script.js';
import { normalizeMysqlDefault, normalizeMysqlExpression, normalizeMysqlType } from '../../src/dialects/mysql/types.js';
import { quoteMysqlIdentifier, quoteMysqlLiteral } from '../../src/dialects/mysql/quote.js';
import { UnsupportedOperationError } from '../../src/dialects/dialect.js';
import { MigratorError } from '../../src/errors.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Schema, Table } from '../../src/schema/schema.js';
import { markMariadbUuid } from '../../src/dialects/mysql/table-record.js';
import type { Connection } from '../../src/dialects/dialect.js';

describe('MySQL URLs', () => {
  it('reads user, password, host, port and database, decoded', () => {
    const { location, display } = parseDatabaseUrl('mysql://app:p%40ss/w@db.example.com:3307/shop', '/tmp');
    assert.deepEqual(JSON.parse(location), { database: 'shop', host: 'db.example.com', port: 3307, user: 'app', password: 'p@ss/w' });
    assert.equal(display, 'mysql://app:***@db.example.com:3307/shop');
  });

  it('takes mariadb:// alike, a socket and ssl', () => {
    const { location } = parseDatabaseUrl('mariadb://root@/app?socket=/run/mysqld/mysqld.sock&ssl=true', '/tmp');
    assert.deepEqual(JSON.parse(location), { database: 'app', user: 'root', socketPath: '/run/mysqld/mysqld.sock', ssl: {} });
  });

  it('refuses a URL without a database or with an unknown parameter, the password masked', () => {
    assert.throws(() => parseDatabaseUrl('mysql://u:Secr3t@h:3306', '/tmp'), (e: unknown) => e instanceof MigratorError && /names no database/.test(e.message) && !e.message.includes('Secr3t'));
    assert.throws(() => parseDatabaseUrl('mysql://u:Secr3t@h/db?charset=latin1', '/tmp'), (e: unknown) => e instanceof MigratorError && /parameter "charset" is not known/.test(e.message) && !e.message.includes('Secr3t'));
    assert.equal(maskUrl('mysql://u:Secr3t@h/db'), 'mysql://u:***@h/db');
  });
});

describe('MySQL quoting', () => {
  it('doubles backticks in names, quotes and backslashes in literals', () => {
    assert.equal(quoteMysqlIdentifier('a`b'), '`a``b`');
    assert.equal(quoteMysqlLiteral("it's \\ back"), "'it''s \\\\ back'");
  });
});

describe('MySQL types and defaults compare as the server reports them', () => {
  const types: [string, string][] = [
    ['integer', 'int'],
    ['INT(11)', 'int'],
    ['int(10) unsigned', 'int unsigned'],
    ['bigint(20)', 'bigint'],
    ['boolean', 'tinyint(1)'],
    ['tinyint(1)', 'tinyint(1)'],
    ['tinyint(4)', 'tinyint'],
    ['VARCHAR( 255 )', 'varchar(255)'],
    ['character varying(20)', 'varchar(20)'],
    ['decimal', 'decimal(10,0)'],
    ['numeric(10, 2)', 'decimal(10,2)'],
    ['double precision', 'double'],
    ['char', 'char(1)'],
    ['datetime(0)', 'datetime'],
    ["enum('a', 'B c')", "enum('a','B c')"],
    // A quote inside doubled or escaped, a backslash escaped: one literal, written one way.
    ["enum('it\\'s','back\\\\slash', 'A, b')", "enum('it''s','back\\\\slash','A, b')"],
  ];
  for (const [declared, reported] of types) {
    it(`${declared} → ${reported}`, () => assert.equal(normalizeMysqlType(declared), reported));
  }

  it('defaults: the current time, numbers, booleans, NULL', () => {
    assert.equal(normalizeMysqlDefault('current_timestamp()', { type: 'datetime' }), 'CURRENT_TIMESTAMP');
    assert.equal(normalizeMysqlDefault('now(6)', { type: 'datetime(6)' }), 'CURRENT_TIMESTAMP(6)');
    assert.equal(normalizeMysqlDefault("'5'", { type: 'int' }), '5');
    assert.equal(normalizeMysqlDefault('1.50', { type: 'decimal(10,2)' }), '1.5');
    assert.equal(normalizeMysqlDefault('true', { type: 'tinyint(1)' }), '1');
    assert.equal(normalizeMysqlDefault('NULL', { type: 'int' }), undefined);
    assert.equal(normalizeMysqlDefault("'5'", { type: 'varchar(5)' }), "'5'");
    assert.equal(normalizeMysqlDefault("'It''s'", { type: 'text' }), "'It''s'");
    assert.equal(normalizeMysqlDefault("'It\\'s'", { type: 'text' }), "'It''s'");
    assert.equal(normalizeMysqlDefault("'a\\\\b'", { type: 'text' }), "'a\\\\b'");
    // A backslash before an ordinary character stands for the character.
    assert.equal(normalizeMysqlDefault("'a\\qb'", { type: 'text' }), "'aqb'");
    assert.notEqual(normalizeMysqlDefault("'a\\\\b'", { type: 'text' }), normalizeMysqlDefault("'ab'", { type: 'text' }));
  });

  it("defaults: the current time with the precision MariaDB stores on the column's type: the column's, unless the default's is coarser", () => {
    const stored = (type: string, model: string): string | undefined => normalizeMysqlDefault(model, { type });
    // As MariaDB 10.11 reports them: datetime(3) DEFAULT CURRENT_TIMESTAMP(6) is current_timestamp(3).
    assert.equal(stored('datetime(3)', 'CURRENT_TIMESTAMP(6)'), stored('datetime(3)', 'current_timestamp(3)'));
    assert.equal(stored('datetime(3)', 'CURRENT_TIMESTAMP'), stored('datetime(3)', 'current_timestamp(3)'));
    assert.equal(stored('timestamp(6)', 'CURRENT_TIMESTAMP(0)'), stored('timestamp(6)', 'current_timestamp(6)'));
    assert.equal(stored('datetime', 'NOW(6)'), stored('datetime', 'current_timestamp()'));
    assert.equal(stored('datetime(0)', 'CURRENT_TIMESTAMP(3)'), 'CURRENT_TIMESTAMP');
    // A coarser precision stays: datetime(6) DEFAULT CURRENT_TIMESTAMP(3) is current_timestamp(3).
    assert.equal(stored('datetime(6)', 'CURRENT_TIMESTAMP(3)'), 'CURRENT_TIMESTAMP(3)');
    assert.notEqual(stored('datetime(6)', 'CURRENT_TIMESTAMP(3)'), stored('datetime(6)', 'current_timestamp(6)'));
    // Not a datetime or timestamp: as written.
    assert.equal(stored('varchar(40)', 'CURRENT_TIMESTAMP(6)'), 'CURRENT_TIMESTAMP(6)');
    assert.equal(normalizeMysqlDefault('CURRENT_TIMESTAMP(6)'), 'CURRENT_TIMESTAMP(6)');
  });

  it('defaults: a year as a number; today and the time of day as MariaDB reports them; date and time literals as the server stores them', () => {
    assert.equal(normalizeMysqlDefault("'2024'", { type: 'year(4)' }), normalizeMysqlDefault('2024', { type: 'year' }));
    assert.equal(normalizeMysqlDefault('curdate()', { type: 'date' }), normalizeMysqlDefault('CURRENT_DATE', { type: 'date' }));
    assert.equal(normalizeMysqlDefault('curtime(3)', { type: 'time(3)' }), 'CURRENT_TIME(3)');
    const same = (type: string, model: string, server: string): void => assert.equal(normalizeMysqlDefault(model, { type }), normalizeMysqlDefault(server, { type }), `${model} on ${type}`);
    same('time', "'12:00'", "'12:00:00'");
    same('time(3)', "'12:00:00.5'", "'12:00:00.500'");
    same('time', "'7:5:3'", "'07:05:03'");
    same('datetime', "'2000-01-01'", "'2000-01-01 00:00:00'");
    same('datetime(6)', "'2000-01-01 10:30'", "'2000-01-01 10:30:00.000000'");
    same('timestamp', "'2000-1-2 3:04:05'", "'2000-01-02 03:04:05'");
    same('date', "'2000-1-2'", "'2000-01-02'");
    // More digits than the column keeps are rounded by the server: left as written, so they differ.
    assert.notEqual(normalizeMysqlDefault("'12:00:00.5'", { type: 'time' }), normalizeMysqlDefault("'12:00:01'", { type: 'time' }));
    assert.notEqual(normalizeMysqlDefault("'12:00'", { type: 'time' }), normalizeMysqlDefault("'12:01:00'", { type: 'time' }));
    assert.equal(normalizeMysqlDefault("'12:00'", { type: 'varchar(10)' }), "'12:00'");
  });

  it('checks: names unquoted, spacing and case outside literals ignored', () => {
    assert.equal(normalizeMysqlExpression('(`price` > 0)'), normalizeMysqlExpression('"price">0'));
    assert.equal(normalizeMysqlExpression("`status` IN ('A B', 'c')"), normalizeMysqlExpression("status in ('A B','c')"));
    assert.notEqual(normalizeMysqlExpression("`s` = 'A'"), normalizeMysqlExpression("`s` = 'a'"));
  });

  it("checks: a literal as MariaDB reports it (`\\'`, `\\\\`) equals the model's (`''`); a parenthesis inside one is no parenthesis", () => {
    assert.equal(normalizeMysqlExpression("`s` <> 'q\\\\r\\'s'"), normalizeMysqlExpression("(s <> 'q\\\\r''s')"));
    assert.equal(normalizeMysqlExpression("(`s` <> 'x\\')')"), normalizeMysqlExpression("s <> 'x'')'"));
    assert.notEqual(normalizeMysqlExpression("`s` <> 'q\\\\r'"), normalizeMysqlExpression("`s` <> 'qr'"));
  });
});

describe('MySQL scripts split into statements', () => {
  it('a stored program is one statement, the semicolons of its body included', () => {
    const body = 'CREATE DEFINER = CURRENT_USER PROCEDURE touch(IN n int)\nBEGIN\n  UPDATE t SET a = n;\n  SELECT 1;\nEND;\n';
    assert.deepEqual(splitScript(body), [body.trim().replace(/;$/, '')]);
    assert.deepEqual(splitScript('CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END'), ['CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END']);
  });

  it('at semicolons outside literals, names and comments', () => {
    assert.deepEqual(splitScript("INSERT INTO t VALUES ('a;b', \"c;\\\"d\"); -- x; y\nUPDATE `we;ird` SET a = 1; /* ; */ ;# z;\n"), [
      "INSERT INTO t VALUES ('a;b', \"c;\\\"d\")",
      '-- x; y\nUPDATE `we;ird` SET a = 1',
    ]);
  });
});

describe('MySQL models fitted as the server keeps them', () => {
  it('folds unique constraints into unique indexes and drops the primary key name', () => {
    const t: Table = {
      name: 'users',
      columns: [{ name: 'email', type: 'varchar(255)', nullable: false }],
      primaryKey: { name: 'PK_users', columns: ['email'] },
      indexes: [],
      uniques: [{ name: 'UQ_x', columns: ['email'] }, { columns: ['email', 'id'] }],
      checks: [],
      foreignKeys: [],
    };
    const schema: Schema = { tables: [t] };
    fitMysqlModels(schema);
    assert.deepEqual(t.primaryKey, { columns: ['email'] });
    assert.deepEqual(t.uniques, []);
    assert.deepEqual(t.indexes, [
      { name: 'UQ_x', columns: ['email'], unique: true },
      { name: 'email', columns: ['email', 'id'], unique: true },
    ]);
  });

  it('refuses names over 64 characters, naming them', () => {
    const long = 'x'.repeat(65);
    assert.throws(() => fitMysqlModels({ tables: [{ name: long, columns: [], indexes: [], uniques: [], checks: [], foreignKeys: [] }] }), /at most 64 characters.*table "x{65}" \(65 characters\)/);
  });
});

describe('MySQL compiler', () => {
  const users: Table = {
    name: 'users',
    columns: [
      { name: 'id', type: 'int', nullable: false, autoincrement: true },
      { name: 'na`me', type: 'varchar(20)', nullable: true, default: "'x'", comment: "it's", collation: 'utf8mb4_bin' },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [],
    uniques: [],
    checks: [],
    foreignKeys: [],
  };

  it('quotes every name in backticks and makes each statement a phase outside a transaction', () => {
    const ops: Operation[] = [
      { kind: 'createTable', table: users },
      { kind: 'createIndex', table: 'users', index: { name: 'by`name', columns: [{ column: 'na`me', length: 10 }, { column: 'id', order: 'desc' }], unique: false } },
    ];
    const out = compileMysql(ops, { tables: [] });
    assert.deepEqual(out.statements, [
      "CREATE TABLE `users` (`id` int NOT NULL AUTO_INCREMENT, `na``me` varchar(20) COLLATE `utf8mb4_bin` NULL DEFAULT 'x' COMMENT 'it''s', PRIMARY KEY (`id`))",
      'CREATE INDEX `by``name` ON `users` (`na``me`(10), `id` DESC)',
    ]);
    assert.deepEqual(
      out.phases?.map(({ resume, ...p }) => ({ ...p, asks: resume?.state.match(/information_schema\.(\w+) WHERE .* AND (?:TABLE|INDEX)_NAME = ('[^']*(?:''[^']*)*')\) THEN/)?.slice(1) })),
      [
        { from: 0, to: 1, transaction: false, asks: ['TABLES', "'users'"] },
        { from: 1, to: 2, transaction: false, asks: ['STATISTICS', "'by`name'"] },
      ],
    );
  });

  it('restates the whole column on MODIFY, collation kept, NULLs filled first', () => {
    const out = compileMysql([{ kind: 'alterColumn', table: 'users', column: 'na`me', changes: { nullable: false } }], { tables: [users] });
    assert.deepEqual(out.statements, [
      "UPDATE `users` SET `na``me` = 'x' WHERE `na``me` IS NULL",
      "ALTER TABLE `users` MODIFY COLUMN `na``me` varchar(20) COLLATE `utf8mb4_bin` NOT NULL DEFAULT 'x' COMMENT 'it''s'",
    ]);
    assert.deepEqual(compileMysql([{ kind: 'alterColumn', table: 'users', column: 'id', changes: { default: '5' } }], { tables: [users] }).statements, ['ALTER TABLE `users` ALTER COLUMN `id` SET DEFAULT 5']);
  });

  it('drops each kind of constraint and index in its own words', () => {
    const ops: Operation[] = [
      { kind: 'dropConstraint', table: 'users', ref: { type: 'foreignKey', name: 'fk' } },
      { kind: 'dropConstraint', table: 'users', ref: { type: 'unique', name: 'uq' } },
      { kind: 'dropConstraint', table: 'users', ref: { type: 'check', name: 'ck' } },
      { kind: 'dropIndex', table: 'users', name: 'ix' },
    ];
    assert.deepEqual(compileMysql(ops, { tables: [] }).statements, [
      'ALTER TABLE `users` DROP FOREIGN KEY `fk`',
      'ALTER TABLE `users` DROP INDEX `uq`',
      'ALTER TABLE `users` DROP CONSTRAINT `ck`',
      'DROP INDEX `ix` ON `users`',
    ]);
  });

  it('a revision of one statement needs no phases, unless a rerun must ask whether it ran', () => {
    assert.equal(compileMysql([{ kind: 'setTableComment', table: 'users', comment: 'x' }], { tables: [] }).phases, undefined);
    assert.equal(compileMysql([{ kind: 'dropTable', table: 'users' }], { tables: [] }).phases?.length, 1);
  });

  it('refuses what MySQL does not have', () => {
    const refused = (op: Operation, pattern: RegExp): void => assert.throws(() => compileMysql([op], { tables: [users] }), (e: unknown) => e instanceof UnsupportedOperationError && pattern.test(e.message));
    refused({ kind: 'createExtension', name: 'citext' }, /MySQL has no extensions/);
    refused({ kind: 'createEnum', enum: { name: 'mood', values: ['a'] } }, /MySQL has no enum types/);
    refused({ kind: 'createIndex', table: 'users', index: { name: 'p', columns: ['id'], unique: false, where: 'id > 0' } }, /no partial indexes/);
    refused({ kind: 'createIndex', table: 'users', index: { name: 'g', columns: ['id'], unique: false, using: 'gin' } }, /USING gin/);
    refused({ kind: 'alterColumn', table: 'missing', column: 'x', changes: { nullable: false } }, /current definition is not known/);
  });
});

describe('MySQL compiler: an index a foreign key needs', () => {
  const orders: Table = {
    name: 'orders',
    columns: [
      { name: 'id', type: 'int', nullable: false },
      { name: 'customerId', type: 'int', nullable: false },
      { name: 'placed', type: 'datetime', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [
      { name: 'by_customer', columns: ['customerId', 'placed'], unique: false },
      { name: 'by_placed', columns: ['placed'], unique: false },
    ],
    uniques: [],
    checks: [],
    foreignKeys: [{ name: 'FK_customer', columns: ['customerId'], referencedTable: 'customers', referencedColumns: ['id'] }],
  };

  it('is replaced in the same statement by one of the key\'s own', () => {
    assert.deepEqual(compileMysql([{ kind: 'dropIndex', table: 'orders', name: 'by_customer' }], { tables: [orders] }).statements, [
      'ALTER TABLE `orders` DROP INDEX `by_customer`, ADD INDEX `FK_customer` (`customerId`)',
    ]);
  });

  it('is dropped as usual when another index serves the key, or the key does not need it', () => {
    const served: Table = { ...orders, indexes: [...orders.indexes, { name: 'by_customer_only', columns: ['customerId'], unique: true }] };
    assert.deepEqual(compileMysql([{ kind: 'dropIndex', table: 'orders', name: 'by_customer' }], { tables: [served] }).statements, ['DROP INDEX `by_customer` ON `orders`']);
    assert.deepEqual(compileMysql([{ kind: 'dropIndex', table: 'orders', name: 'by_placed' }], { tables: [orders] }).statements, ['DROP INDEX `by_placed` ON `orders`']);
  });
});

describe('MySQL compiler: a table default collation', () => {
  it('is written with the character set it names, after the columns; PostgreSQL and SQLite refuse one', () => {
    const t: Table = { name: 'tag', columns: [{ name: 'label', type: 'varchar(20)', nullable: false }], indexes: [], uniques: [], checks: [], foreignKeys: [], collation: 'utf8mb4_unicode_ci' };
    assert.deepEqual(compileMysql([{ kind: 'createTable', table: t }], { tables: [] }).statements, [
      'CREATE TABLE `tag` (`label` varchar(20) NOT NULL) DEFAULT CHARACTER SET `utf8mb4` COLLATE `utf8mb4_unicode_ci`',
    ]);
    assert.throws(() => compilePostgres([{ kind: 'createTable', table: t }], { tables: [] }), /create table tag with the default collation utf8mb4_unicode_ci: PostgreSQL tables have none/);
    assert.throws(() => compileSqlite([{ kind: 'createTable', table: t }], { tables: [] }), /create table tag with the default collation utf8mb4_unicode_ci: SQLite tables have none/);
  });
});

describe("MySQL models: TypeORM's uuid columns under its mariadb driver", () => {
  it('are uuid on MariaDB 10.7 and later only, by the version the server reports', () => {
    assert.deepEqual(
      ['10.11.19-MariaDB-0+deb12u1', '11.4.2-MariaDB', '10.7.0-MariaDB', '10.6.18-MariaDB-log', '8.0.36', '8.4.0-commercial', undefined].map(hasMariadbUuid),
      [true, true, true, false, false, false, false],
    );
  });

  it('makes the marked columns uuid on such a server, leaves them as read elsewhere, and drops the mark', () => {
    const models = (): Schema => {
      const t: Table = { name: 'account', columns: [{ name: 'id', type: 'varchar(36)', nullable: false }, { name: 'name', type: 'varchar(40)', nullable: false }], indexes: [], uniques: [], checks: [], foreignKeys: [] };
      markMariadbUuid(t, ['id']);
      return { tables: [t] };
    };
    const on = (version: string): Schema => {
      const s = models();
      fitMysqlModels(s, undefined, { serverVersion: version } as Connection);
      return s;
    };
    assert.deepEqual(on('10.11.6-MariaDB').tables[0].columns.map((c) => c.type), ['uuid', 'varchar(40)']);
    assert.deepEqual(on('10.6.18-MariaDB').tables[0].columns.map((c) => c.type), ['varchar(36)', 'varchar(40)']);
    assert.equal(on('8.0.36').tables[0].native, undefined);
  });
});
