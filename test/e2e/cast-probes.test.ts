/**
 * Type changes that round or cut stored values — a timestamp made a date, a smaller precision
 * of a second, a decimal or double made a (single) float — are counted before the revision is
 * written, on real PostgreSQL and MySQL/MariaDB rows: each value the change would alter is
 * counted, and none it keeps (midnight made a date, a zero fraction, 1.5 or 0.1 made a float).
 * Then the change is made, and the values counted are the ones that changed. On MySQL, a set
 * made without a member counts the values holding it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataLossProbes as allProbes, formatFinding } from '../../src/diff/data-loss.js';
import { quoteIdentifier, quoteLiteral } from '../../src/dialects/dialect.js';
import { mysqlDialect } from '../../src/dialects/mysql/index.js';
import { normalizePgType } from '../../src/dialects/postgres/types.js';
import type { Operation } from '../../src/operations/operation.js';
import type { Schema } from '../../src/schema/schema.js';
import { createMysqlTestDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

/** The probes of values; PostgreSQL's probe for the views and triggers over a change has its own test (pg-dependent-objects). */
const dataLossProbes = (...args: Parameters<typeof allProbes>): ReturnType<typeof allProbes> => allProbes(...args).filter((p) => !p.sql.includes('FROM pg_depend'));

interface Case {
  column: string;
  to: string;
  /** How many of the rows the change alters. */
  count: number;
  finding: RegExp;
}

interface Dialect {
  name: string;
  create: () => Promise<TestDatabase>;
  options: Parameters<typeof allProbes>[2];
  q: (name: string) => string;
  columns: [string, string][];
  rows: string[][];
  cases: Case[];
  /** The statement that makes the change, for the after-the-fact check. */
  alter: (column: string, type: string) => string;
  /** How values are read and cast, as the probes read them. */
  values: { text(e: string): string; numeric(e: string): string; castTo(e: string, type: string): string };
}

const pgColumns: [string, string][] = [
  ['at', 'timestamp(3) without time zone'],
  ['atz', 'timestamp(3) with time zone'],
  ['clock', 'time(3) without time zone'],
  ['amount', 'numeric(30,12)'],
  ['ratio', 'double precision'],
  ['small', 'real'],
];
// Row 1 keeps everything; rows 2 and 3 lose something in each column (NULLs count nothing).
const pgRows = [
  ["'2024-05-06 00:00:00'", "'2024-05-06 10:00:00+00'", "'10:11:12'", '1.5', '0.1', '0.5'],
  ["'2024-05-06 17:45:12.345'", "'2024-05-06 10:00:00.5+00'", "'10:11:12.345'", '1234567890.123456789012', '3.14159265358979', '0.25'],
  ["'2024-05-07 00:00:00.001'", "'2024-05-06 10:00:00.001+00'", "'23:59:59.999'", '123456789012345678.5', '1234567.891', 'NULL'],
];

const DIALECTS: Dialect[] = [
  {
    name: 'PostgreSQL',
    create: () => createTestDatabase('migrator_casts'),
    options: { dialect: 'postgres', quoteIdentifier, quoteLiteral, normalizeType: normalizePgType },
    q: quoteIdentifier,
    columns: pgColumns,
    rows: pgRows,
    cases: [
      { column: 'at', to: 'date', count: 2, finding: /destructive: alter column m\.at to date \(2 values have a time of day, which would be lost\)/ },
      { column: 'at', to: 'timestamp(0) without time zone', count: 2, finding: /2 values have a fraction of a second, which would be rounded/ },
      { column: 'at', to: 'timestamp(1) without time zone', count: 2, finding: /2 values have more than 1 digit of a second, which would be rounded/ },
      { column: 'atz', to: 'timestamp(0) with time zone', count: 2, finding: /2 values have a fraction of a second/ },
      { column: 'clock', to: 'time(0) without time zone', count: 2, finding: /2 values have a fraction of a second/ },
      { column: 'amount', to: 'double precision', count: 2, finding: /2 values have more digits than double precision keeps and would be rounded/ },
      { column: 'ratio', to: 'real', count: 2, finding: /2 values have more digits than real keeps/ },
    ],
    alter: (c, type) => `ALTER TABLE "m" ALTER COLUMN "${c}" TYPE ${type} USING "${c}"::${type}`,
    values: { text: (e) => `${e}::text`, numeric: (e) => `${e}::numeric`, castTo: (e, type) => `CAST(${e} AS ${type})` },
  },
  {
    name: 'MySQL',
    create: () => createMysqlTestDatabase('migrator_casts'),
    options: { dialect: 'mysql', quoteIdentifier: mysqlDialect.quoteIdentifier, quoteLiteral: mysqlDialect.quoteLiteral, normalizeType: mysqlDialect.compareOptions.normalizeType, valueSql: mysqlDialect.valueSql },
    q: mysqlDialect.quoteIdentifier,
    columns: [
      ['at', 'datetime(3)'],
      ['atz', 'timestamp(3)'],
      ['clock', 'time(3)'],
      ['amount', 'decimal(30,12)'],
      ['ratio', 'double'],
      ['small', 'float'],
    ],
    rows: pgRows.map((r) => r.map((v) => v.replace(/\+00'$/, "'"))),
    cases: [
      { column: 'at', to: 'date', count: 2, finding: /destructive: alter column m\.at to date \(2 values have a time of day, which would be lost\)/ },
      { column: 'at', to: 'datetime', count: 2, finding: /2 values have a fraction of a second, which would be rounded/ },
      { column: 'atz', to: 'timestamp', count: 2, finding: /2 values have a fraction of a second/ },
      { column: 'clock', to: 'time(1)', count: 2, finding: /2 values have more than 1 digit of a second/ },
      { column: 'amount', to: 'double', count: 2, finding: /2 values have more digits than double keeps/ },
      { column: 'ratio', to: 'float', count: 2, finding: /2 values have more digits than float keeps/ },
    ],
    alter: (c, type) => `ALTER TABLE \`m\` MODIFY \`${c}\` ${type} NULL`,
    values: mysqlDialect.valueSql!,
  },
];

for (const d of DIALECTS) {
  describe(`type changes that round or cut values, counted on ${d.name}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await d.create();
    });
    after(async () => {
      await db?.drop();
    });

    const schema = (): Schema => ({
      tables: [{ name: 'm', columns: [{ name: 'id', type: 'integer', nullable: false }, ...d.columns.map(([name, type]) => ({ name, type, nullable: true }))], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] }],
    });

    const fill = async (): Promise<void> => {
      await db.query(`DROP TABLE IF EXISTS ${d.q('m')}`);
      await db.query(`CREATE TABLE ${d.q('m')} (${d.q('id')} integer PRIMARY KEY, ${d.columns.map(([n, t]) => `${d.q(n)} ${t}`).join(', ')})`);
      for (const [i, row] of d.rows.entries()) await db.query(`INSERT INTO ${d.q('m')} VALUES (${i + 1}, ${row.join(', ')})`);
    };

    for (const c of d.cases) {
      it(`${c.column} to ${c.to}: the values it changes, and only those`, async () => {
        await fill();
        const op: Operation = { kind: 'alterColumn', table: 'm', column: c.column, changes: { type: c.to } };
        const probes = dataLossProbes([op], schema(), d.options);
        assert.equal(probes.length, 1, probes.map((p) => p.sql).join('\n'));
        const [{ n }] = await db.query<{ n: number | string }>(probes[0].sql);
        assert.equal(Number(n), c.count, probes[0].sql);
        assert.match(formatFinding(probes[0].finding(Number(n))), c.finding);

        // What the change does: the rows whose value differs afterwards — a time read back in
        // the old type, a number as its text reads.
        await db.query(`DROP TABLE IF EXISTS ${d.q('m0')}`);
        await db.query(`CREATE TABLE ${d.q('m0')} AS SELECT * FROM ${d.q('m')}`);
        await db.query(d.alter(c.column, c.to));
        const was = `${d.q('m0')}.${d.q(c.column)}`;
        const is = `${d.q('m')}.${d.q(c.column)}`;
        const oldType = d.columns.find(([name]) => name === c.column)![1];
        const v = d.values;
        const differs = /double|float|real/.test(c.to) ? `${v.numeric(v.text(is))} <> ${v.numeric(v.text(was))}` : `${was} <> ${v.castTo(is, oldType)}`;
        const [{ n: changed }] = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${d.q('m0')} JOIN ${d.q('m')} ON ${d.q('m0')}.${d.q('id')} = ${d.q('m')}.${d.q('id')} WHERE ${differs}`);
        assert.equal(Number(changed), c.count);
      });
    }

    if (d.name === 'MySQL') {
      it('a set made without a member counts the values holding it; the change fails over them, and goes through once they are gone', async () => {
        await db.query('DROP TABLE IF EXISTS `s`');
        await db.query("CREATE TABLE `s` (`id` integer PRIMARY KEY, `tags` set('news','te''ch','sport'))");
        await db.query("INSERT INTO `s` VALUES (1, 'news,te''ch'), (2, 'news'), (3, NULL), (4, '')");
        const schema: Schema = { tables: [{ name: 's', columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'tags', type: "set('news','te''ch','sport')", nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] }] };
        const op: Operation = { kind: 'alterColumn', table: 's', column: 'tags', changes: { type: "set('news','sport')" } };
        const [probe, ...more] = dataLossProbes([op], schema, d.options);
        assert.equal(more.length, 0);
        const count = async (): Promise<number> => Number((await db.query<{ n: number }>(probe.sql))[0].n);
        assert.equal(await count(), 1, probe.sql);
        assert.equal(formatFinding(probe.finding(1)), "! data-dependent: alter column s.tags to set('news','sport') (1 value holds a member set('news','sport') does not have)");
        await assert.rejects(db.query("ALTER TABLE `s` MODIFY `tags` set('news','sport')"), /truncated/i);
        await db.query("UPDATE `s` SET `tags` = 'news' WHERE `id` = 1");
        assert.equal(await count(), 0);
        await db.query("ALTER TABLE `s` MODIFY `tags` set('news','sport')");
        // Adding a member counts nothing.
        assert.deepEqual(dataLossProbes([{ kind: 'alterColumn', table: 's', column: 'tags', changes: { type: "set('news','te''ch','sport','x')" } }], schema, d.options), []);
      });
    }

    if (d.name === 'MySQL') {
      it('an integer made narrower (tinyint, mediumint, unsigned) counts the values outside its range; the change fails over them', async () => {
        await db.query('DROP TABLE IF EXISTS `n`');
        await db.query('CREATE TABLE `n` (`id` integer PRIMARY KEY, `qty` int(11))');
        await db.query('INSERT INTO `n` VALUES (1, 1), (2, 300), (3, -5), (4, 17000000), (5, NULL)');
        const schema: Schema = { tables: [{ name: 'n', columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'qty', type: 'int(11)', nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] }] };
        for (const [to, expected] of [['tinyint', 2], ['mediumint', 1], ['int unsigned', 1], ['tinyint(3) unsigned', 3], ['smallint', 1], ['bigint unsigned', 1]] as const) {
          const [probe, ...more] = dataLossProbes([{ kind: 'alterColumn', table: 'n', column: 'qty', changes: { type: to } }], schema, d.options);
          assert.ok(probe, `a probe for int to ${to}`);
          assert.equal(more.length, 0);
          assert.equal(Number((await db.query<{ n: number }>(probe.sql))[0].n), expected, `int to ${to}: ${probe.sql}`);
          assert.match(formatFinding(probe.finding(expected)), new RegExp(`data-dependent: alter column n\\.qty to ${to.replace(/[()]/g, '\\$&')} \\(${expected} values? do(es)? not fit`));
          await assert.rejects(db.query(`ALTER TABLE \`n\` MODIFY \`qty\` ${to}`), /out of range/i, `int to ${to} fails over those values`);
        }
        // A type that takes every value counts nothing.
        for (const to of ['bigint', 'int', 'int(10)']) {
          assert.deepEqual(dataLossProbes([{ kind: 'alterColumn', table: 'n', column: 'qty', changes: { type: to } }], schema, d.options), [], to);
        }
      });
    }

    if (d.name === 'MySQL') {
      it('a number or text made a date or time counts the values that make none; the change fails over them, and goes through once they are gone', async () => {
        await db.query('DROP TABLE IF EXISTS `d`');
        await db.query('CREATE TABLE `d` (`id` integer PRIMARY KEY, `n` int, `s` varchar(30))');
        await db.query(`INSERT INTO \`d\` VALUES (1, 20240101, '2024-02-03 10:00'), (2, 3, 'nope'), (3, NULL, NULL)`);
        const schema: Schema = { tables: [{ name: 'd', columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'n', type: 'int', nullable: true }, { name: 's', type: 'varchar(30)', nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] }] };
        for (const column of ['n', 's']) {
          const [probe, ...more] = dataLossProbes([{ kind: 'alterColumn', table: 'd', column, changes: { type: 'datetime(3)' } }], schema, d.options);
          assert.ok(probe, `a probe for ${column}`);
          assert.equal(more.length, 0);
          assert.equal(Number((await db.query<{ n: number }>(probe.sql))[0].n), 1, probe.sql);
          assert.match(formatFinding(probe.finding(1)), new RegExp(`data-dependent: alter column d\\.${column} to datetime\\(3\\) \\(1 value does not cast to datetime\\(3\\)\\)`));
          await assert.rejects(db.query(`ALTER TABLE \`d\` MODIFY \`${column}\` datetime(3)`), /Incorrect datetime value|truncated/i);
        }
        await db.query('DELETE FROM `d` WHERE `id` = 2');
        for (const column of ['n', 's']) await db.query(`ALTER TABLE \`d\` MODIFY \`${column}\` datetime(3)`);
      });

      it('text made tinytext counts the values over 255 bytes, multibyte ones included; wider text types count nothing', async () => {
        await db.query('DROP TABLE IF EXISTS `x`');
        await db.query('CREATE TABLE `x` (`id` integer PRIMARY KEY, `body` text, `name` varchar(100)) DEFAULT CHARSET utf8mb4');
        await db.query(`INSERT INTO \`x\` VALUES (1, 'short', 'a'), (2, REPEAT('a', 300), 'b'), (3, REPEAT('\u{1F600}', 100), 'c'), (4, NULL, NULL)`);
        const schema: Schema = { tables: [{ name: 'x', columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'body', type: 'text', nullable: true }, { name: 'name', type: 'varchar(100)', nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], uniques: [], checks: [], foreignKeys: [] }] };
        const probe = (column: string, type: string) => dataLossProbes([{ kind: 'alterColumn', table: 'x', column, changes: { type } }], schema, d.options);
        const [tiny, ...more] = probe('body', 'tinytext');
        assert.equal(more.length, 0);
        assert.equal(Number((await db.query<{ n: number }>(tiny.sql))[0].n), 2, tiny.sql);
        assert.match(formatFinding(tiny.finding(2)), /data-dependent: alter column x\.body to tinytext \(2 values are longer than 255 bytes, which tinytext refuses\)/);
        await assert.rejects(db.query('ALTER TABLE `x` MODIFY `body` tinytext'), /too long|truncated/i);
        for (const [column, type] of [['body', 'mediumtext'], ['body', 'longtext'], ['name', 'text'], ['name', 'tinytext']] as const) {
          assert.deepEqual(probe(column, type).filter((p) => type !== 'tinytext'), [], `${column} to ${type}`);
        }
      });
    }

    it('a wider or equal type counts nothing', () => {
      const ops: Operation[] = [
        { kind: 'alterColumn', table: 'm', column: 'small', changes: { type: d.name === 'MySQL' ? 'double' : 'double precision' } },
        { kind: 'alterColumn', table: 'm', column: 'clock', changes: { type: d.name === 'MySQL' ? 'time(6)' : 'time(6) without time zone' } },
      ];
      assert.deepEqual(dataLossProbes(ops, schema(), d.options), []);
    });
  });
}
