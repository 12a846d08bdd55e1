/**
 * Column types and defaults round-trip through migrator, one body for each dialect with groups
 * of its own: for each group of types (one entity file each, in a project of its own on an empty
 * database) makemigrations → migrate → check exits 0 → makemigrations says "No changes
 * detected". Then the catalog must hold exactly the types, NOT NULLs, defaults and generated keys
 * the entities declare, and a row inserted with nothing but defaults must get the declared ones.
 *
 * On PostgreSQL the catalog is read through format_type, pg_get_expr and attidentity; its enum
 * types and extensions are compared too.
 *
 * Last, `check` must notice a generated key that the database no longer generates (an identity
 * or a serial's sequence default dropped).
 *
 * PostgreSQL: one database for the file (test/support/pg.ts), dropped at the end; an unreachable
 * server fails the file, never skips it. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, postgres } from './graph-helpers.ts';
import { configSource, explain, projects } from './helpers.ts';

let pg: TestDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_dialect_types');
});
after(async () => {
  await pg?.drop();
});

const newProject = projects();

/**
 * A column as the catalog has it: [type, NOT NULL, default, what the dialect says of its
 * generation]. The type and default as the database reports them (PostgreSQL: format_type and
 * pg_get_expr). The fourth, left out when there is nothing: PostgreSQL's attidentity (`a` always,
 * `d` by default).
 */
type ColumnSpec = [type: string, notnull: boolean, def: string | null, generation?: string | number];

/** table → column → what the catalog must say. */
type Columns = Record<string, Record<string, ColumnSpec>>;

interface Group {
  name: string;
  source: string;
  columns: Columns;
  /** The other lines of the catalog (Backend.catalog) that the types make; see Dialect.others. */
  others?: string[];
  /** Rows inserted with nothing but defaults, and the columns of the row to compare. */
  inserts?: { table: string; select: string; expect: Record<string, unknown> }[];
}

const IMPORTS = `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'migrator/decorators';\n`;

// PostgreSQL reports a type as format_type prints it and a default as pg_get_expr does, casts included.
const POSTGRES_GROUPS: Group[] = [
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
        select: 'id, small, plain, "intAlias", big::text AS big, "bigNegative"::text AS "bigNegative"',
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
    others: ['extension uuid-ossp'],
    inserts: [
      { table: 'serial_key', select: 'id', expect: { id: 1 } },
      { table: 'big_serial_key', select: 'id::text AS id', expect: { id: '1' } },
      { table: 'small_serial_key', select: 'id', expect: { id: 1 } },
      { table: 'identity_key', select: 'id', expect: { id: 1 } },
      { table: 'identity_always_key', select: 'id::text AS id', expect: { id: '1' } },
      { table: 'uuid_key', select: "id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4' AS v4", expect: { v4: true } },
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
        select: 'amount::text AS amount, rate::text AS rate, delta::text AS delta, ratio, score',
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
        select: 'greeting, quoted, empty, code, flag, active, archived',
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
    inserts: [{ table: 'document_types', select: 'settings, history', expect: { settings: {}, history: [] } }],
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
        select: 'today = CURRENT_DATE AS today, zoned = now() AS zoned, stamped = now()::timestamp AS stamped',
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
    others: ['enum array_types_colors_enum: red, green'],
    inserts: [{ table: 'array_types', select: 'numbers', expect: { numbers: [] } }],
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
    others: [
      'enum enum_types_mood_enum: happy, sad, meh',
      'enum enum_types_previousmood_enum: happy, sad, meh',
      'enum enum_types_power_enum: on, off',
      'enum enum_types_size_enum: s, m, l',
      'enum level: low, high',
    ],
    inserts: [
      {
        table: 'enum_types',
        select: 'mood::text AS mood, size::text AS size, power::text AS power, level::text AS level',
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
    inserts: [{ table: 'array_defaults', select: 'numbers, words', expect: { numbers: [], words: ['a', 'b'] } }],
  },
];

// ---------------------------------------------------------------------------------------------

/** A key generation removed by hand, which check must notice. */
interface BrokenKey {
  what: string;
  /** `table.column`, which check must name. */
  column: string;
  breaks: string;
  /** Gives the generation back, for the next case. */
  restores?: string;
}

/** How one dialect's catalog is read and its rows of defaults inserted, and what it must hold. */
interface Dialect {
  backend: Backend;
  groups: Group[];
  /** Empties the database, types and extensions included. */
  empty(dir: string): Promise<void>;
  /** The user tables' columns, as the catalog describes them. */
  columns(dir: string): Promise<Columns>;
  /**
   * The lines of Backend.catalog that come of the types but are not columns: PostgreSQL's enum
   * types and extensions.
   */
  others: RegExp;
  /** Inserts a row of defaults into `table`; its `select` columns. */
  insertDefaults(dir: string, table: string, select: string): Promise<Record<string, unknown>[]>;
  /** Entities with generated keys, and how each generation is removed by hand. */
  keys?: { source: string; broken: BrokenKey[] };
}

/** A column's spec, without the fourth part when the catalog reports nothing there ('' or 0). */
const spec = (type: string, notnull: boolean, def: string | null, generation: string | number): ColumnSpec =>
  generation ? [type, notnull, def, generation] : [type, notnull, def];

function byTable(columns: { table: string; name: string; spec: ColumnSpec }[]): Columns {
  const out: Columns = {};
  for (const c of columns) (out[c.table] ??= {})[c.name] = c.spec;
  return out;
}

const postgresBackend = postgres(() => pg!);
const postgresDialect: Dialect = {
  backend: postgresBackend,
  groups: POSTGRES_GROUPS,
  async empty() {
    await pg!.query('DROP SCHEMA public CASCADE');
    await pg!.query('CREATE SCHEMA public');
    for (const e of await pg!.query<{ extname: string }>("SELECT extname::text AS extname FROM pg_extension WHERE extname <> 'plpgsql'")) {
      await pg!.query(`DROP EXTENSION IF EXISTS "${e.extname}" CASCADE`);
    }
  },
  async columns() {
    const { tables } = await readPgCatalog(pg!);
    return byTable([...tables].flatMap(([table, t]) => t.columns.map((c) => ({ table, name: c.name, spec: spec(c.type, c.notnull, c.default, c.identity) }))));
  },
  others: /^(enum|extension) /,
  insertDefaults: (dir, table, select) => postgresBackend.query(dir, `INSERT INTO ${postgresBackend.quote(table)} DEFAULT VALUES RETURNING ${select}`),
  keys: {
    source: `${IMPORTS}
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
    broken: [
      {
        what: 'an identity column that lost its identity',
        column: 'identity_key.id',
        breaks: 'ALTER TABLE identity_key ALTER COLUMN id DROP IDENTITY',
        restores: 'ALTER TABLE identity_key ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY',
      },
      { what: 'a serial column that lost its sequence default', column: 'serial_key.id', breaks: 'ALTER TABLE serial_key ALTER COLUMN id DROP DEFAULT' },
    ],
  },
};

const DIALECTS: Dialect[] = [postgresDialect];

for (const dialect of DIALECTS) {
  const { backend } = dialect;
  for (const [index, group] of dialect.groups.entries()) {
    describe(`types round-trip on ${backend.name}: ${group.name}`, () => {
      const p = newProject(`migrator-types-${backend.name}-${index}-`);
      let migrated = false;

      before(async () => {
        await dialect.empty(p.dir);
        p.write('migrator.config.ts', configSource({ database: backend.url(p.dir) }));
        p.writeEntity(`group${index}`, group.source);
      });

      test('makemigrations → migrate', () => {
        const gen = p.ok(['makemigrations', '-m', `group ${index}`]);
        assert.match(gen.stdout, /^Generated versions\//m, explain(gen, 'to write a revision'));
        const up = p.ok(['migrate']);
        assert.match(up.stdout, /Database is now at /, explain(up, 'to apply it'));
        migrated = true;
      });

      test('check exits 0', () => {
        assert.ok(migrated, 'not migrated');
        const chk = p.run(['check']);
        assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
        assert.match(chk.stdout, /No changes detected/, explain(chk, 'to find no change'));
      });

      test('makemigrations again: No changes detected', () => {
        assert.ok(migrated, 'not migrated');
        const again = p.ok(['makemigrations']);
        assert.match(again.stdout, /No changes detected/, explain(again, 'to find no change'));
      });

      test('the catalog holds the declared types, NOT NULLs, defaults and generated keys', async () => {
        assert.ok(migrated, 'not migrated');
        assert.deepEqual(await dialect.columns(p.dir), group.columns);
        const others = (await backend.catalog(p.dir)).filter((line) => dialect.others.test(line));
        assert.deepEqual(others, [...(group.others ?? [])].sort());
      });

      test('a row inserted with nothing but defaults gets the declared defaults', async () => {
        assert.ok(migrated, 'not migrated');
        for (const insert of group.inserts ?? []) {
          const rows = await dialect.insertDefaults(p.dir, insert.table, insert.select).catch((error: Error) => {
            throw new Error(`a row of defaults into ${insert.table}: ${error.message}`);
          });
          assert.deepEqual(rows, [insert.expect], `a row of defaults into ${insert.table}: ${insert.select}`);
        }
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------

for (const dialect of DIALECTS) {
  const { backend, keys } = dialect;
  if (!keys) continue;
  describe(`check on ${backend.name} notices a generated key that the database does not generate`, () => {
    const p = newProject(`migrator-types-${backend.name}-keys-`);
    let migrated = false;

    before(async () => {
      await dialect.empty(p.dir);
      p.write('migrator.config.ts', configSource({ database: backend.url(p.dir) }));
      p.writeEntity('keys', keys.source);
      p.ok(['makemigrations', '-m', 'keys']);
      p.ok(['migrate']);
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to exit 0 with every key generated'));
      migrated = true;
    });

    for (const broken of keys.broken) {
      test(`${broken.what}: check exits 1 naming it`, async () => {
        assert.ok(migrated, 'not migrated');
        await backend.query(p.dir, broken.breaks);
        const chk = p.run(['check']);
        assert.equal(chk.status, 1, explain(chk, 'to exit 1'));
        assert.match(chk.stdout, new RegExp(broken.column.replace('.', '\\.')), explain(chk, `to name ${broken.column}`));
        if (broken.restores) await backend.query(p.dir, broken.restores);
      });
    }
  });
}
