/**
 * PostgreSQL column types and defaults round-trip through migrator: for each group of types (one
 * entity file each, in a project of its own on an empty `public` schema) makemigrations →
 * migrate → check exits 0 → makemigrations says "No changes detected". Then the catalog must hold
 * exactly the types, NOT NULLs, defaults and identities the entities declare, and a row inserted
 * with DEFAULT VALUES must get the declared defaults.
 *
 * One database for the file (test/support/pg.ts); an unreachable PostgreSQL fails the file.
 * Needs `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

// `node --test` run from a terminal sets FORCE_COLOR=1 for test files, and children inherit it;
// the tests read the CLI's output through pipes, where it has no colour unless forced.
delete process.env.FORCE_COLOR;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');

interface Run {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}

const show = (r: Run): string => `migrator ${r.args.join(' ')}: exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function migrator(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 });
  if (r.error) throw r.error;
  return { args, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A column as the catalog has it: [format_type, NOT NULL, pg_get_expr of the default, attidentity]. */
type ColumnSpec = [type: string, notnull: boolean, def: string | null, identity?: 'a' | 'd'];

interface Group {
  name: string;
  source: string;
  /** table → column → what the catalog must say. */
  columns: Record<string, Record<string, ColumnSpec>>;
  enums?: Record<string, string[]>;
  extensions?: string[];
  /** Rows inserted with DEFAULT VALUES, and the columns of the returned row to compare. */
  inserts?: { table: string; returning: string; expect: Record<string, unknown> }[];
}

const IMPORTS = `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'migrator/decorators';\n`;

const GROUPS: Group[] = [
  {
    name: 'integers: smallint, integer, bigint; positive, negative and zero defaults',
    source: `${IMPORTS}
@Entity()
export class IntegerTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'smallint', default: 7 })
  small!: number;

  @Column({ type: 'int2', nullable: true })
  smallAlias!: number | null;

  @Column({ default: -3 })
  plain!: number;

  @Column({ type: 'int', default: 42 })
  intAlias!: number;

  @Column({ type: 'integer', nullable: true })
  maybe!: number | null;

  @Column({ type: 'bigint', default: 0 })
  big!: string;

  @Column({ type: 'int8', default: -9000000000 })
  bigNegative!: string;
}
`,
    columns: {
      integer_types: {
        id: ['integer', true, "nextval('integer_types_id_seq'::regclass)"],
        small: ['smallint', true, "'7'::smallint"],
        smallAlias: ['smallint', false, null],
        plain: ['integer', true, "'-3'::integer"],
        intAlias: ['integer', true, '42'],
        maybe: ['integer', false, null],
        big: ['bigint', true, "'0'::bigint"],
        bigNegative: ['bigint', true, "'-9000000000'::bigint"],
      },
    },
    inserts: [
      {
        table: 'integer_types',
        returning: 'id, small, plain, "intAlias", big::text AS big, "bigNegative"::text AS "bigNegative"',
        expect: { id: 1, small: 7, plain: -3, intAlias: 42, big: '0', bigNegative: '-9000000000' },
      },
    ],
  },
  {
    name: 'generated keys: serial, bigserial, smallserial, identity (by default, always), uuid',
    source: `${IMPORTS}
@Entity()
export class SerialKey {
  @PrimaryGeneratedColumn()
  id!: number;
}

@Entity()
export class BigSerialKey {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;
}

@Entity()
export class SmallSerialKey {
  @PrimaryGeneratedColumn({ type: 'smallint' })
  id!: number;
}

@Entity()
export class IdentityKey {
  @PrimaryGeneratedColumn('identity')
  id!: number;
}

@Entity()
export class IdentityAlwaysKey {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;
}

@Entity()
export class UuidKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;
}
`,
    columns: {
      serial_key: { id: ['integer', true, "nextval('serial_key_id_seq'::regclass)"] },
      big_serial_key: { id: ['bigint', true, "nextval('big_serial_key_id_seq'::regclass)"] },
      small_serial_key: { id: ['smallint', true, "nextval('small_serial_key_id_seq'::regclass)"] },
      identity_key: { id: ['integer', true, null, 'd'] },
      identity_always_key: { id: ['bigint', true, null, 'a'] },
      uuid_key: { id: ['uuid', true, 'uuid_generate_v4()'] },
    },
    extensions: ['uuid-ossp'],
    inserts: [
      { table: 'serial_key', returning: 'id', expect: { id: 1 } },
      { table: 'big_serial_key', returning: 'id::text AS id', expect: { id: '1' } },
      { table: 'small_serial_key', returning: 'id', expect: { id: 1 } },
      { table: 'identity_key', returning: 'id', expect: { id: 1 } },
      { table: 'identity_always_key', returning: 'id::text AS id', expect: { id: '1' } },
      { table: 'uuid_key', returning: "id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4' AS v4", expect: { v4: true } },
    ],
  },
  {
    name: 'exact and floating numbers: numeric(p,s), numeric, real, double precision',
    source: `${IMPORTS}
@Entity()
export class NumberTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'numeric', precision: 10, scale: 2, default: 0 })
  amount!: string;

  @Column({ type: 'decimal', precision: 5, scale: 2, default: 1.25 })
  rate!: string;

  @Column({ type: 'numeric', precision: 6, scale: 3, default: -2.5 })
  delta!: string;

  @Column({ type: 'numeric', precision: 12, nullable: true })
  whole!: string | null;

  @Column({ type: 'numeric', nullable: true })
  anything!: string | null;

  @Column({ type: 'real', default: 1.5 })
  ratio!: number;

  @Column({ type: 'float4', nullable: true })
  ratioAlias!: number | null;

  @Column({ type: 'double precision', default: -1 })
  score!: number;

  @Column({ type: 'float', nullable: true })
  scoreAlias!: number | null;
}
`,
    columns: {
      number_types: {
        id: ['integer', true, "nextval('number_types_id_seq'::regclass)"],
        amount: ['numeric(10,2)', true, "'0'::numeric"],
        rate: ['numeric(5,2)', true, '1.25'],
        delta: ['numeric(6,3)', true, "'-2.5'::numeric"],
        whole: ['numeric(12,0)', false, null],
        anything: ['numeric', false, null],
        ratio: ['real', true, "'1.5'::real"],
        ratioAlias: ['real', false, null],
        score: ['double precision', true, "'-1'::double precision"],
        scoreAlias: ['double precision', false, null],
      },
    },
    inserts: [
      {
        table: 'number_types',
        returning: 'amount::text AS amount, rate::text AS rate, delta::text AS delta, ratio, score',
        expect: { amount: '0.00', rate: '1.25', delta: '-2.500', ratio: 1.5, score: -1 },
      },
    ],
  },
  {
    name: 'text and booleans: text, varchar(n), varchar, char(n), char, uuid, boolean; string defaults with quotes',
    source: `${IMPORTS}
@Entity()
export class TextTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text', default: 'hello' })
  greeting!: string;

  @Column({ type: 'varchar', length: 40, default: "it's" })
  quoted!: string;

  @Column({ length: 12, default: '' })
  empty!: string;

  @Column({ nullable: true })
  free!: string | null;

  @Column({ type: 'character varying', length: 255, nullable: true })
  spelledOut!: string | null;

  @Column({ type: 'char', length: 3, default: 'abc' })
  code!: string;

  @Column({ type: 'char', default: 'x' })
  flag!: string;

  @Column({ type: 'uuid', nullable: true })
  ref!: string | null;

  @Column({ default: true })
  active!: boolean;

  @Column({ type: 'boolean', default: false })
  archived!: boolean;

  @Column({ type: 'bool', nullable: true })
  maybe!: boolean | null;
}
`,
    columns: {
      text_types: {
        id: ['integer', true, "nextval('text_types_id_seq'::regclass)"],
        greeting: ['text', true, "'hello'::text"],
        quoted: ['character varying(40)', true, "'it''s'::character varying"],
        empty: ['character varying(12)', true, "''::character varying"],
        free: ['character varying', false, null],
        spelledOut: ['character varying(255)', false, null],
        code: ['character(3)', true, "'abc'::bpchar"],
        flag: ['character(1)', true, "'x'::bpchar"],
        ref: ['uuid', false, null],
        active: ['boolean', true, 'true'],
        archived: ['boolean', true, 'false'],
        maybe: ['boolean', false, null],
      },
    },
    inserts: [
      {
        table: 'text_types',
        returning: 'greeting, quoted, empty, code, flag, active, archived',
        expect: { greeting: 'hello', quoted: "it's", empty: '', code: 'abc', flag: 'x', active: true, archived: false },
      },
    ],
  },
  {
    name: "json, jsonb and bytea; '{}' jsonb default",
    source: `${IMPORTS}
@Entity()
export class DocumentTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'json', nullable: true })
  raw!: unknown;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  history!: unknown[];

  @Column({ type: 'jsonb', nullable: true })
  extra!: unknown;

  @Column({ type: 'bytea', nullable: true })
  blob!: Buffer | null;
}
`,
    columns: {
      document_types: {
        id: ['integer', true, "nextval('document_types_id_seq'::regclass)"],
        raw: ['json', false, null],
        settings: ['jsonb', true, "'{}'::jsonb"],
        history: ['jsonb', true, "'[]'::jsonb"],
        extra: ['jsonb', false, null],
        blob: ['bytea', false, null],
      },
    },
    inserts: [{ table: 'document_types', returning: 'settings, history', expect: { settings: {}, history: [] } }],
  },
  {
    name: 'dates and times: date, time, timetz, timestamp, timestamptz, timestamptz(3), interval; now() and CURRENT_TIMESTAMP',
    source: `${IMPORTS}
@Entity()
export class TimeTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'date', nullable: true })
  day!: string | null;

  @Column({ type: 'date', default: () => 'CURRENT_DATE' })
  today!: string;

  @Column({ type: 'time', nullable: true })
  at!: string | null;

  @Column({ type: 'time', precision: 0, nullable: true })
  atSecond!: string | null;

  @Column({ type: 'timetz', nullable: true })
  atZoned!: string | null;

  @Column({ type: 'timestamp', default: () => 'CURRENT_TIMESTAMP' })
  stamped!: Date;

  @Column({ nullable: true })
  inferred!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  zoned!: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'CURRENT_TIMESTAMP' })
  zonedMillis!: Date;

  @Column({ type: 'timestamp with time zone', nullable: true })
  spelledOut!: Date | null;

  @Column({ type: 'interval', nullable: true })
  duration!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
`,
    columns: {
      time_types: {
        id: ['integer', true, "nextval('time_types_id_seq'::regclass)"],
        day: ['date', false, null],
        today: ['date', true, "('now'::text)::date"],
        at: ['time without time zone', false, null],
        atSecond: ['time(0) without time zone', false, null],
        atZoned: ['time with time zone', false, null],
        stamped: ['timestamp without time zone', true, 'now()'],
        inferred: ['timestamp without time zone', false, null],
        zoned: ['timestamp with time zone', true, 'now()'],
        zonedMillis: ['timestamp(3) with time zone', true, 'now()'],
        spelledOut: ['timestamp with time zone', false, null],
        duration: ['interval', false, null],
        createdAt: ['timestamp without time zone', true, 'now()'],
        updatedAt: ['timestamp with time zone', true, 'now()'],
      },
    },
    inserts: [
      {
        table: 'time_types',
        returning: 'today = CURRENT_DATE AS today, zoned = now() AS zoned, stamped = now()::timestamp AS stamped',
        expect: { today: true, zoned: true, stamped: true },
      },
    ],
  },
  {
    name: "arrays: text[], integer[], varchar(n)[], numeric(p,s)[], enum[]; '{}' default",
    source: `${IMPORTS}
export enum Color {
  Red = 'red',
  Green = 'green',
}

@Entity()
export class ArrayTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text', array: true, nullable: true })
  words!: string[] | null;

  @Column({ type: 'integer', array: true, default: () => "'{}'" })
  numbers!: number[];

  @Column({ type: 'varchar', length: 20, array: true, nullable: true })
  codes!: string[] | null;

  @Column({ type: 'numeric', precision: 8, scale: 2, array: true, nullable: true })
  prices!: string[] | null;

  @Column({ type: 'enum', enum: Color, array: true, nullable: true })
  colors!: Color[] | null;
}
`,
    columns: {
      array_types: {
        id: ['integer', true, "nextval('array_types_id_seq'::regclass)"],
        words: ['text[]', false, null],
        numbers: ['integer[]', true, "'{}'::integer[]"],
        codes: ['character varying(20)[]', false, null],
        prices: ['numeric(8,2)[]', false, null],
        colors: ['array_types_colors_enum[]', false, null],
      },
    },
    enums: { array_types_colors_enum: ['red', 'green'] },
    inserts: [{ table: 'array_types', returning: 'numbers', expect: { numbers: [] } }],
  },
  {
    name: 'enums: TS enum with a default member, array of values with a default, simple-enum, nullable, shared enumName',
    source: `${IMPORTS}
export enum Mood {
  Happy = 'happy',
  Sad = 'sad',
  Meh = 'meh',
}

@Entity()
export class EnumTypes {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'enum', enum: Mood, default: Mood.Meh })
  mood!: Mood;

  @Column({ type: 'enum', enum: ['s', 'm', 'l'], default: 'm' })
  size!: string;

  @Column({ type: 'simple-enum', enum: ['on', 'off'], default: 'off' })
  power!: string;

  @Column({ type: 'enum', enum: Mood, nullable: true })
  previousMood!: Mood | null;

  @Column({ type: 'enum', enum: ['low', 'high'], enumName: 'level', default: 'low' })
  level!: string;
}

@Entity()
export class OtherEnumUser {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'enum', enum: ['low', 'high'], enumName: 'level', nullable: true })
  level!: string | null;
}
`,
    columns: {
      enum_types: {
        id: ['integer', true, "nextval('enum_types_id_seq'::regclass)"],
        mood: ['enum_types_mood_enum', true, "'meh'::enum_types_mood_enum"],
        size: ['enum_types_size_enum', true, "'m'::enum_types_size_enum"],
        power: ['enum_types_power_enum', true, "'off'::enum_types_power_enum"],
        previousMood: ['enum_types_previousmood_enum', false, null],
        level: ['level', true, "'low'::level"],
      },
      other_enum_user: {
        id: ['integer', true, "nextval('other_enum_user_id_seq'::regclass)"],
        level: ['level', false, null],
      },
    },
    enums: {
      enum_types_mood_enum: ['happy', 'sad', 'meh'],
      enum_types_previousmood_enum: ['happy', 'sad', 'meh'],
      enum_types_power_enum: ['on', 'off'],
      enum_types_size_enum: ['s', 'm', 'l'],
      level: ['low', 'high'],
    },
    inserts: [
      {
        table: 'enum_types',
        returning: 'mood::text AS mood, size::text AS size, power::text AS power, level::text AS level',
        expect: { mood: 'meh', size: 'm', power: 'off', level: 'low' },
      },
    ],
  },
  {
    name: "array defaults given as arrays: default [] and default ['a', 'b'] (TypeORM writes '{}' and '{a,b}')",
    source: `${IMPORTS}
@Entity()
export class ArrayDefaults {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', array: true, default: [] })
  numbers!: number[];

  @Column({ type: 'text', array: true, default: ['a', 'b'] })
  words!: string[];
}
`,
    columns: {
      array_defaults: {
        id: ['integer', true, "nextval('array_defaults_id_seq'::regclass)"],
        numbers: ['integer[]', true, "'{}'::integer[]"],
        words: ['text[]', true, "'{a,b}'::text[]"],
      },
    },
    inserts: [{ table: 'array_defaults', returning: 'numbers, words', expect: { numbers: [], words: ['a', 'b'] } }],
  },
];

// ---------------------------------------------------------------------------------------------

async function columnsOf(db: TestDatabase): Promise<Record<string, Record<string, ColumnSpec>>> {
  const rows = await db.query<{ table: string; name: string; type: string; notnull: boolean; default: string | null; identity: string }>(
    `SELECT c.relname::text AS table, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text AS identity
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('migrator_version', 'migrator_history') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const out: Record<string, Record<string, ColumnSpec>> = {};
  for (const r of rows) {
    const spec: ColumnSpec = [r.type, r.notnull, r.default];
    if (r.identity === 'a' || r.identity === 'd') spec.push(r.identity);
    (out[r.table] ??= {})[r.name] = spec;
  }
  return out;
}

async function resetSchema(db: TestDatabase): Promise<void> {
  await db.query('DROP SCHEMA public CASCADE');
  await db.query('CREATE SCHEMA public');
  for (const e of await db.query<{ extname: string }>("SELECT extname::text AS extname FROM pg_extension WHERE extname <> 'plpgsql'")) {
    await db.query(`DROP EXTENSION IF EXISTS "${e.extname}" CASCADE`);
  }
}

let db: TestDatabase;
const dirs: string[] = [];

before(async () => {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npx tsc -p tsconfig.json\` first`);
  db = await createTestDatabase('migrator_pg_types');
});

after(async () => {
  await db?.drop();
  if (!process.env.KEEP_TMP) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

for (const [index, group] of GROUPS.entries()) {
  describe(`types round-trip: ${group.name}`, () => {
    let dir: string;
    let migrated = false;

    before(async () => {
      await resetSchema(db);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `migrator-pg-types-${index}-`));
      dirs.push(dir);
      fs.mkdirSync(path.join(dir, 'entities'));
      fs.writeFileSync(path.join(dir, 'entities', `group${index}.ts`), group.source);
      fs.writeFileSync(
        path.join(dir, 'migrator.config.ts'),
        `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: ${JSON.stringify(db.url)}, models: ['entities/*.ts'], versions: 'versions' });\n`,
      );
    });

    test('makemigrations → migrate', () => {
      const gen = migrator(dir, 'makemigrations', '-m', `group ${index}`);
      assert.equal(gen.status, 0, show(gen));
      assert.match(gen.stdout, /^Generated versions\//m, show(gen));
      const up = migrator(dir, 'migrate');
      assert.equal(up.status, 0, show(up));
      assert.match(up.stdout, /Database is now at /, show(up));
      migrated = true;
    });

    test('check exits 0', () => {
      assert.ok(migrated, 'not migrated');
      const chk = migrator(dir, 'check');
      assert.equal(chk.status, 0, show(chk));
      assert.match(chk.stdout, /No changes detected/, show(chk));
    });

    test('makemigrations again: No changes detected', () => {
      assert.ok(migrated, 'not migrated');
      const again = migrator(dir, 'makemigrations');
      assert.equal(again.status, 0, show(again));
      assert.match(again.stdout, /No changes detected/, show(again));
    });

    test('the catalog holds the declared types, NOT NULLs, defaults and identities', async () => {
      assert.ok(migrated, 'not migrated');
      assert.deepEqual(await columnsOf(db), group.columns);
      const enums = await db.query<{ name: string; labels: string[] }>(
        `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = 'public' GROUP BY 1 ORDER BY 1`,
      );
      assert.deepEqual(Object.fromEntries(enums.map((e) => [e.name, e.labels])), group.enums ?? {});
      const extensions = await db.query<{ name: string }>("SELECT extname::text AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1");
      assert.deepEqual(
        extensions.map((e) => e.name),
        group.extensions ?? [],
      );
    });

    test('a row inserted with DEFAULT VALUES gets the declared defaults', async () => {
      assert.ok(migrated, 'not migrated');
      for (const insert of group.inserts ?? []) {
        const sql = `INSERT INTO "${insert.table}" DEFAULT VALUES RETURNING ${insert.returning}`;
        const rows = await db.query(sql).catch((error: Error) => {
          throw new Error(`${sql}: ${error.message}`);
        });
        assert.deepEqual(rows, [insert.expect], sql);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe('check notices a generated key that the database does not generate', () => {
  let dir: string;
  let migrated = false;

  before(async () => {
    await resetSchema(db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-pg-types-keys-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'entities'));
    fs.writeFileSync(
      path.join(dir, 'entities', 'keys.ts'),
      `${IMPORTS}
@Entity()
export class SerialKey {
  @PrimaryGeneratedColumn()
  id!: number;
}

@Entity()
export class IdentityKey {
  @PrimaryGeneratedColumn('identity')
  id!: number;
}
`,
    );
    fs.writeFileSync(
      path.join(dir, 'migrator.config.ts'),
      `import { defineConfig } from 'migrator';\n\nexport default defineConfig({ database: ${JSON.stringify(db.url)}, models: ['entities/*.ts'], versions: 'versions' });\n`,
    );
    const gen = migrator(dir, 'makemigrations', '-m', 'keys');
    assert.equal(gen.status, 0, show(gen));
    const up = migrator(dir, 'migrate');
    assert.equal(up.status, 0, show(up));
    // The database as the models describe it, whatever the generated revision did with the identity.
    const [{ identity }] = await db.query<{ identity: string }>(
      "SELECT attidentity::text AS identity FROM pg_attribute WHERE attrelid = 'identity_key'::regclass AND attname = 'id'",
    );
    if (identity !== 'd') await db.query('ALTER TABLE identity_key ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY');
    const chk = migrator(dir, 'check');
    assert.equal(chk.status, 0, `with the identity in place, check is clean\n${show(chk)}`);
    migrated = true;
  });

  test('an identity column that lost its identity: check exits 1 naming it', async () => {
    assert.ok(migrated, 'not migrated');
    await db.query('ALTER TABLE identity_key ALTER COLUMN id DROP IDENTITY');
    const chk = migrator(dir, 'check');
    assert.equal(chk.status, 1, show(chk));
    assert.match(chk.stdout, /identity_key\.id/, show(chk));
    await db.query('ALTER TABLE identity_key ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY');
  });

  test('a serial column that lost its sequence default: check exits 1 naming it', async () => {
    assert.ok(migrated, 'not migrated');
    await db.query('ALTER TABLE serial_key ALTER COLUMN id DROP DEFAULT');
    const chk = migrator(dir, 'check');
    assert.equal(chk.status, 1, show(chk));
    assert.match(chk.stdout, /serial_key\.id/, show(chk));
  });
});
