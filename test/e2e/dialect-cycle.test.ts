/**
 * The whole cycle as a user runs it, one body on SQLite, PostgreSQL and MySQL/MariaDB, with the
 * same entity files everywhere: entities → makemigrations → migrate → check → edited models →
 * makemigrations → migrate → check → rows kept → downgrade -1 gives back the first catalog →
 * downgrade base leaves no user table.
 *
 * The second models change each kind of thing once: an enum gains a value, a column gets an
 * index, a nullable column becomes NOT NULL with a default that fills its NULLs, a column is
 * added, two are widened (integer → bigint, varchar(100) → varchar(200)), one is dropped
 * (`--accept-data-loss`), a unique index is added, a foreign key ON DELETE SET NULL is added, and a
 * new table comes with a many-to-many join table. Where the dialects legitimately differ — the
 * enum (`simple-enum`, as TypeORM's SQLite driver refuses `enum`) is a named type on PostgreSQL,
 * an enum column type on MySQL and a CHECK on SQLite; SQLite binds neither a varchar's length nor
 * an integer's width — each one is asserted as it is.
 *
 * PostgreSQL and MySQL: one database each for the file (test/support/pg.ts, mysql.ts), dropped at
 * the end; an unreachable server fails the file, never skips it. Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMysqlTestDatabase, type TestMysqlDatabase } from '../support/mysql.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type Backend, mysql, postgres, sqlite } from './graph-helpers.ts';
import { configSource, downRevisionOf, explain, generatedFile, projects, revisionIdOf, type RunResult, type TempProject } from './helpers.ts';

let pg: TestDatabase | undefined;
let my: TestMysqlDatabase | undefined;
before(async () => {
  pg = await createTestDatabase('migrator_dialect_cycle');
  my = await createMysqlTestDatabase('migrator_dialect_cycle');
});
after(async () => {
  await pg?.drop();
  await my?.drop();
});

const newProject = projects();

const ENUMS = (v2: boolean): string => `export enum Tier {
  Bronze = 'bronze',
  Silver = 'silver',${v2 ? "\n  Gold = 'gold'," : ''}
}
`;

// v2: an index on name; nickname NOT NULL with a default (its NULLs filled); phone added.
const CUSTOMER = (v2: boolean): string => `import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Tier } from './enums';
import { Order } from './order';

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 120, unique: true })
  email!: string;
${v2 ? '\n  @Index()' : ''}
  @Column()
  name!: string;

  @Column(${v2 ? "{ default: 'anon' }" : '{ nullable: true }'})
  nickname!: string${v2 ? '' : ' | null'};

  @Column({ type: 'simple-enum', enum: Tier, default: Tier.Bronze })
  tier!: Tier;
${v2 ? "\n  @Column({ type: 'varchar', length: 30, nullable: true })\n  phone!: string | null;\n" : ''}
  @OneToMany(() => Order, (order) => order.customer)
  orders!: Order[];
}
`;

// v2: total integer → bigint; a foreign key to product, ON DELETE SET NULL.
const ORDER = (v2: boolean): string => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Customer } from './customer';${v2 ? "\nimport { Product } from './product';" : ''}

@Entity()
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Customer, (customer) => customer.orders, { nullable: false, onDelete: 'CASCADE' })
  customer!: Customer;

  @Column(${v2 ? "{ type: 'bigint', default: 0 }" : "{ type: 'integer', default: 0 }"})
  total!: ${v2 ? 'string' : 'number'};

  @Column({ type: 'text', nullable: true })
  note!: string | null;
${v2 ? "\n  @ManyToOne(() => Product, { nullable: true, onDelete: 'SET NULL' })\n  product!: Product | null;\n" : ''}}
`;

// v2: a unique index on sku; title varchar(100) → varchar(200); legacyCode dropped; tags (many-to-many).
const PRODUCT = (v2: boolean): string => `import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
${v2 ? "import { Tag } from './tag';\n" : ''}
@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;
${v2 ? '\n  @Index({ unique: true })' : ''}
  @Column({ length: 64 })
  sku!: string;

  @Column({ length: ${v2 ? 200 : 100} })
  title!: string;

  @Column({ default: true })
  active!: boolean;

  @Column({ nullable: true })
  releasedOn!: Date | null;
${v2 ? '' : "\n  @Column({ type: 'varchar', length: 20, nullable: true })\n  legacyCode!: string | null;\n"}
  @Column({ type: 'decimal', precision: 10, scale: 2, default: 0 })
  price!: string;
${v2 ? '\n  @ManyToMany(() => Tag, (tag) => tag.products)\n  @JoinTable()\n  tags!: Tag[];\n' : ''}}
`;

const TAG = `import { Column, Entity, ManyToMany, PrimaryGeneratedColumn } from 'migrator/decorators';
import { Product } from './product';

@Entity()
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40, unique: true })
  name!: string;

  @ManyToMany(() => Product, (product) => product.tags)
  products!: Product[];
}
`;

function models(p: TempProject, v2: boolean): void {
  p.writeEntity('enums', ENUMS(v2));
  p.writeEntity('customer', CUSTOMER(v2));
  p.writeEntity('order', ORDER(v2));
  p.writeEntity('product', PRODUCT(v2));
  if (v2) p.writeEntity('tag', TAG);
  else p.remove('entities/tag.ts');
}


/** What each dialect shows: the operations makemigrations lists, and how the catalog changes. */
interface Expected {
  /** The `  - ` lines of the first makemigrations. */
  ops1: string[];
  /** The `  - ` lines of the second. */
  ops2: string[];
  /** The kinds of its `  ! ` lines. */
  findings2: string[];
  /** Lines of the first catalog that show the dialect's own way: the enum, the boolean, the date, the unique email, the CASCADE key. */
  v1: string[];
  /** The catalog lines the second revision removes and adds. */
  removed: string[];
  added: string[];
}

const EXPECTED: Record<Backend['name'], Expected> = {
  sqlite: {
    ops1: ['create table customer', 'create table order', 'create table product'],
    ops2: [
      'create table tag',
      'create table product_tags_tag',
      'create index IDX_0de90b04710a86601acdff88c2 on product_tags_tag',
      'create index IDX_208235f4a5c925f11171252b76 on product_tags_tag',
      'add column customer.phone',
      "alter column customer.nickname: nullable → not null, default none → 'anon'",
      'create index IDX_ac1455877a69957f7466d5dc78 on customer',
      // The enum is a CHECK on SQLite: a new value is a new CHECK.
      "drop check constraint (\"tier\" IN ('bronze','silver')) on customer",
      "add check constraint (\"tier\" IN ('bronze','silver','gold')) on customer",
      'add column order.productId',
      'alter column order.total: type integer → bigint',
      'add foreignKey constraint FK_88991860e839c6153a7ec878d39 on order',
      'alter column product.title: type varchar(100) → varchar(200)',
      'create index IDX_34f6ca1cd897cc926bdcca1ca3 on product',
      'drop column product.legacyCode',
    ],
    findings2: ['warning add-check', 'warning add-unique', 'error drop-column'],
    v1: [
      "customer: check \"tier\" IN ('bronze','silver')",
      "customer: column tier varchar NOT NULL DEFAULT 'bronze'",
      'customer: unique (email)',
      'product: column active boolean NOT NULL DEFAULT 1',
      'product: column releasedOn datetime',
      'order: foreign key customerId -> customer.id ON DELETE CASCADE ON UPDATE NO ACTION',
    ],
    removed: [
      "customer: check \"tier\" IN ('bronze','silver')",
      'customer: column nickname varchar',
      'order: column total integer NOT NULL DEFAULT 0',
      'product: column legacyCode varchar(20)',
      'product: column title varchar(100) NOT NULL',
    ],
    added: [
      "customer: check \"tier\" IN ('bronze','silver','gold')",
      "customer: column nickname varchar NOT NULL DEFAULT 'anon'",
      'customer: column phone varchar(30)',
      'customer: index IDX_ac1455877a69957f7466d5dc78 (name)',
      'order: column productId integer',
      'order: column total bigint NOT NULL DEFAULT 0',
      'order: constraint FK_88991860e839c6153a7ec878d39',
      'order: foreign key productId -> product.id ON DELETE SET NULL ON UPDATE NO ACTION',
      'product: column title varchar(200) NOT NULL',
      'product: index IDX_34f6ca1cd897cc926bdcca1ca3 UNIQUE (sku)',
      'product_tags_tag: column productId integer NOT NULL PRIMARY KEY 1',
      'product_tags_tag: column tagId integer NOT NULL PRIMARY KEY 2',
      'product_tags_tag: constraint FK_0de90b04710a86601acdff88c21',
      'product_tags_tag: constraint FK_208235f4a5c925f11171252b760',
      'product_tags_tag: foreign key productId -> product.id ON DELETE CASCADE ON UPDATE CASCADE',
      'product_tags_tag: foreign key tagId -> tag.id ON DELETE CASCADE ON UPDATE CASCADE',
      'product_tags_tag: index IDX_0de90b04710a86601acdff88c2 (tagId)',
      'product_tags_tag: index IDX_208235f4a5c925f11171252b76 (productId)',
      'product_tags_tag: table',
      'tag: column id integer NOT NULL PRIMARY KEY 1',
      'tag: column name varchar(40) NOT NULL',
      'tag: constraint UQ_6a9775008add570dc3e5a0bab7b',
      'tag: table AUTOINCREMENT',
      'tag: unique (name)',
    ],
  },
  postgres: {
    // The enum is a type of its own on PostgreSQL, made before the table that uses it.
    ops1: ['create enum customer_tier_enum', 'create table customer', 'create table order', 'create table product'],
    ops2: [
      "add value 'gold' to enum customer_tier_enum",
      'create table tag',
      'create table product_tags_tag',
      'create index IDX_0de90b04710a86601acdff88c2 on product_tags_tag',
      'create index IDX_208235f4a5c925f11171252b76 on product_tags_tag',
      'add column customer.phone',
      "alter column customer.nickname: nullable → not null, default none → 'anon'",
      'create index IDX_ac1455877a69957f7466d5dc78 on customer',
      'add column order.productId',
      'alter column order.total: type integer → bigint',
      'alter column product.title: type character varying(100) → character varying(200)',
      'create index IDX_34f6ca1cd897cc926bdcca1ca3 on product',
      'drop column product.legacyCode',
      // After every table's changes; added NOT VALID, then validated.
      'add foreignKey constraint FK_88991860e839c6153a7ec878d39 on order',
      'validate constraint FK_88991860e839c6153a7ec878d39 on order',
    ],
    findings2: ['warning type-change-rewrite', 'warning add-unique', 'error drop-column'],
    v1: [
      'enum customer_tier_enum: bronze, silver',
      "customer: column tier customer_tier_enum NOT NULL DEFAULT 'bronze'::customer_tier_enum",
      'customer: constraint u UQ_fdb2f3ad8115da4c7718109a6eb: UNIQUE (email)',
      'product: column active boolean NOT NULL DEFAULT true',
      'product: column releasedOn timestamp without time zone',
      'order: constraint f FK_124456e637cca7a415897dce659: FOREIGN KEY ("customerId") REFERENCES customer(id) ON DELETE CASCADE',
    ],
    removed: [
      'customer: column nickname character varying',
      'enum customer_tier_enum: bronze, silver',
      'order: column total integer NOT NULL DEFAULT 0',
      'product: column legacyCode character varying(20)',
      'product: column title character varying(100) NOT NULL',
    ],
    added: [
      "customer: column nickname character varying NOT NULL DEFAULT 'anon'::character varying",
      'customer: column phone character varying(30)',
      'customer: index CREATE INDEX "IDX_ac1455877a69957f7466d5dc78" ON public.customer USING btree (name)',
      'enum customer_tier_enum: bronze, silver, gold',
      'order: column productId integer',
      'order: column total bigint NOT NULL DEFAULT 0',
      'order: constraint f FK_88991860e839c6153a7ec878d39: FOREIGN KEY ("productId") REFERENCES product(id) ON DELETE SET NULL',
      'product: column title character varying(200) NOT NULL',
      'product: index CREATE UNIQUE INDEX "IDX_34f6ca1cd897cc926bdcca1ca3" ON public.product USING btree (sku)',
      'product_tags_tag: column productId integer NOT NULL',
      'product_tags_tag: column tagId integer NOT NULL',
      'product_tags_tag: constraint f FK_0de90b04710a86601acdff88c21: FOREIGN KEY ("tagId") REFERENCES tag(id) ON UPDATE CASCADE ON DELETE CASCADE',
      'product_tags_tag: constraint f FK_208235f4a5c925f11171252b760: FOREIGN KEY ("productId") REFERENCES product(id) ON UPDATE CASCADE ON DELETE CASCADE',
      'product_tags_tag: constraint p PK_8da52c0bc9255c6cb07af25ac73: PRIMARY KEY ("productId", "tagId")',
      'product_tags_tag: index CREATE INDEX "IDX_0de90b04710a86601acdff88c2" ON public.product_tags_tag USING btree ("tagId")',
      'product_tags_tag: index CREATE INDEX "IDX_208235f4a5c925f11171252b76" ON public.product_tags_tag USING btree ("productId")',
      'product_tags_tag: index CREATE UNIQUE INDEX "PK_8da52c0bc9255c6cb07af25ac73" ON public.product_tags_tag USING btree ("productId", "tagId")',
      'product_tags_tag: table',
      'sequence tag_id_seq',
      "tag: column id integer NOT NULL DEFAULT nextval('tag_id_seq'::regclass)",
      'tag: column name character varying(40) NOT NULL',
      'tag: constraint p PK_8e4052373c579afc1471f526760: PRIMARY KEY (id)',
      'tag: constraint u UQ_6a9775008add570dc3e5a0bab7b: UNIQUE (name)',
      'tag: index CREATE UNIQUE INDEX "PK_8e4052373c579afc1471f526760" ON public.tag USING btree (id)',
      'tag: index CREATE UNIQUE INDEX "UQ_6a9775008add570dc3e5a0bab7b" ON public.tag USING btree (name)',
      'tag: table',
    ],
  },
  mysql: {
    // A unique column is a unique index on MySQL, listed as one.
    ops1: ['create table customer', 'create index IDX_fdb2f3ad8115da4c7718109a6e on customer', 'create table order', 'create table product'],
    ops2: [
      'create table tag',
      'create index IDX_6a9775008add570dc3e5a0bab7 on tag',
      'create table product_tags_tag',
      'create index IDX_0de90b04710a86601acdff88c2 on product_tags_tag',
      'create index IDX_208235f4a5c925f11171252b76 on product_tags_tag',
      'add column customer.phone',
      "alter column customer.nickname: nullable → not null, default none → 'anon'",
      // The enum is the column's type on MySQL: a new value is a new type.
      "alter column customer.tier: type enum('bronze','silver') → enum('bronze','silver','gold')",
      'create index IDX_ac1455877a69957f7466d5dc78 on customer',
      'add column order.productId',
      'alter column order.total: type int(11) → bigint',
      'alter column product.title: type varchar(100) → varchar(200)',
      'create index IDX_34f6ca1cd897cc926bdcca1ca3 on product',
      'drop column product.legacyCode',
      // After every table's changes.
      'add foreignKey constraint FK_88991860e839c6153a7ec878d39 on order',
    ],
    // Both type changes copy their table (the enum's new value at its end does not).
    findings2: ['warning type-change-rewrite', 'warning type-change-rewrite', 'warning add-unique', 'error drop-column'],
    v1: [
      "customer: COLUMN tier enum('bronze','silver') NOT NULL DEFAULT 'bronze'",
      'customer: INDEX IDX_fdb2f3ad8115da4c7718109a6e UNIQUE BTREE (email)',
      'product: COLUMN active tinyint(4) NOT NULL DEFAULT 1',
      'product: COLUMN releasedOn datetime DEFAULT NULL',
      'order: FOREIGN KEY FK_124456e637cca7a415897dce659 (customerId) -> customer (id) ON DELETE CASCADE ON UPDATE NO ACTION',
    ],
    removed: [
      'customer: COLUMN nickname varchar(255) DEFAULT NULL',
      "customer: COLUMN tier enum('bronze','silver') NOT NULL DEFAULT 'bronze'",
      'order: COLUMN total int(11) NOT NULL DEFAULT 0',
      'product: COLUMN legacyCode varchar(20) DEFAULT NULL',
      'product: COLUMN title varchar(100) NOT NULL',
    ],
    added: [
      "customer: COLUMN nickname varchar(255) NOT NULL DEFAULT 'anon'",
      'customer: COLUMN phone varchar(30) DEFAULT NULL',
      "customer: COLUMN tier enum('bronze','silver','gold') NOT NULL DEFAULT 'bronze'",
      'customer: INDEX IDX_ac1455877a69957f7466d5dc78 BTREE (name)',
      'order: COLUMN productId int(11) DEFAULT NULL',
      'order: COLUMN total bigint(20) NOT NULL DEFAULT 0',
      'order: FOREIGN KEY FK_88991860e839c6153a7ec878d39 (productId) -> product (id) ON DELETE SET NULL ON UPDATE NO ACTION',
      'order: INDEX FK_88991860e839c6153a7ec878d39 BTREE (productId)',
      'product: COLUMN title varchar(200) NOT NULL',
      'product: INDEX IDX_34f6ca1cd897cc926bdcca1ca3 UNIQUE BTREE (sku)',
      'product_tags_tag: COLUMN productId int(11) NOT NULL',
      'product_tags_tag: COLUMN tagId int(11) NOT NULL',
      'product_tags_tag: FOREIGN KEY FK_0de90b04710a86601acdff88c21 (tagId) -> tag (id) ON DELETE CASCADE ON UPDATE CASCADE',
      'product_tags_tag: FOREIGN KEY FK_208235f4a5c925f11171252b760 (productId) -> product (id) ON DELETE CASCADE ON UPDATE CASCADE',
      'product_tags_tag: INDEX IDX_0de90b04710a86601acdff88c2 BTREE (tagId)',
      'product_tags_tag: INDEX IDX_208235f4a5c925f11171252b76 BTREE (productId)',
      'product_tags_tag: INDEX PRIMARY UNIQUE BTREE (productId, tagId)',
      'product_tags_tag: table',
      'tag: COLUMN id int(11) NOT NULL [auto_increment]',
      'tag: COLUMN name varchar(40) NOT NULL',
      'tag: INDEX IDX_6a9775008add570dc3e5a0bab7 UNIQUE BTREE (name)',
      'tag: INDEX PRIMARY UNIQUE BTREE (id)',
      'tag: table',
    ],
  },
};

/** The lines only in `a`, sorted. */
const minus = (a: string[], b: string[]): string[] => a.filter((x) => !b.includes(x)).sort();
const operations = (r: RunResult): string[] => r.stdout.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4));
const findings = (r: RunResult): string[] => r.stdout.split('\n').flatMap((l) => /^ {2}! (\w+ [\w-]+):/.exec(l)?.[1] ?? []);
/** Numbers as numbers: bigint and decimal come back as strings from PostgreSQL and MySQL, a boolean as true from PostgreSQL. */
const numbers = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]): T[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, keys.includes(k) && v !== null ? Number(v) : v])) as T);
const rejects = async (what: Promise<unknown>, pattern: RegExp, message: string): Promise<void> => {
  await assert.rejects(what, (error: Error) => {
    assert.match(error.message, pattern, message);
    return true;
  });
};

for (const backend of [sqlite, postgres(() => pg!), mysql(() => my!)]) {
  describe(`the whole cycle on ${backend.name}`, () => {
    const expected = EXPECTED[backend.name];
    const p = newProject(`migrator-cycle-${backend.name}-`);
    const q = backend.quote;
    const query = <T = Record<string, unknown>>(sql: string): Promise<T[]> => backend.query<T>(p.dir, sql);
    const noChanges = (): void => {
      const chk = p.run(['check']);
      assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
      assert.equal(chk.stdout, 'No changes detected: models, database and revisions agree.\n', explain(chk, 'to find no change'));
      const before = p.versionFiles();
      const again = p.ok(['makemigrations']);
      assert.match(again.stdout, /^No changes detected/, explain(again, 'to find no change'));
      assert.doesNotMatch(again.stdout, /Generated/, explain(again, 'to write nothing'));
      assert.deepEqual(p.versionFiles(), before);
    };
    /** Keys are enforced, and nothing in the database breaks one. */
    const keysHold = async (): Promise<void> => {
      await rejects(query(`INSERT INTO ${q('order')} (${q('customerId')}, total) VALUES (999, 1)`), /foreign key/i, 'an order of no customer is refused');
      if (backend.name === 'sqlite') assert.deepEqual(await query('PRAGMA foreign_key_check'), [], 'PRAGMA foreign_key_check');
      if (backend.name === 'postgres') assert.deepEqual(await query('SELECT conname FROM pg_constraint WHERE NOT convalidated'), [], 'no constraint left NOT VALID');
      if (backend.name === 'mysql') {
        // Keys made while FOREIGN_KEY_CHECKS is off are not checked against the rows: look for orphans.
        assert.deepEqual(await query(`SELECT o.id FROM ${q('order')} o LEFT JOIN customer c ON c.id = o.${q('customerId')} WHERE c.id IS NULL`), [], 'orders of no customer');
      }
    };
    let rev1 = '';
    let rev2 = '';
    let file1 = '';
    let source1 = '';
    let v1: string[] = [];

    before(async () => {
      await backend.reset(p.dir);
      p.write('migrator.config.ts', configSource({ database: backend.url(p.dir) }));
      models(p, false);
    });

    it('makemigrations lists the operations and writes the first revision into versions/', () => {
      assert.deepEqual(p.versionFiles(), [], 'versions/ starts empty');
      const r = p.ok(['makemigrations', '-m', 'create shop']);
      assert.deepEqual(operations(r), expected.ops1, explain(r, 'to list the operations'));
      file1 = generatedFile(r);
      assert.match(file1, /^versions[\\/]\d{8}_\d{6}_[0-9a-f]{12}_create_shop\.ts$/);
      source1 = p.read(file1);
      rev1 = revisionIdOf(source1);
      assert.ok(file1.includes(rev1), `file name ${file1} carries the id ${rev1}`);
      assert.equal(downRevisionOf(source1), 'null');
      for (const table of ['customer', 'order', 'product']) {
        assert.match(source1, new RegExp(`op\\.createTable\\('${table}'`));
        assert.match(source1, new RegExp(`op\\.dropTable\\('${table}'\\)`));
      }
    });

    it('migrate creates the tables; check and makemigrations find nothing left to do', async () => {
      assert.ok(rev1, 'the first revision was not generated');
      const r = p.ok(['migrate']);
      assert.equal(r.stdout, `Applied  ${rev1}  create shop\nDatabase is now at ${rev1}.\n`, explain(r, 'to apply the first revision'));
      assert.deepEqual(await backend.tables(p.dir), ['customer', 'order', 'product']);
      assert.deepEqual(await backend.rows(p.dir), [rev1]);
      noChanges();
      v1 = await backend.catalog(p.dir);
      assert.deepEqual(minus(expected.v1, v1), [], `lines missing from the catalog:\n${v1.join('\n')}`);
    });

    it('rows go in; the enum refuses a value it does not have yet, and PostgreSQL and MySQL the values the widenings are for', async () => {
      assert.ok(v1.length, 'the first revision was not applied');
      await query(`INSERT INTO customer (email, name, nickname) VALUES ('ann@example.com', 'Ann', NULL)`);
      await query(`INSERT INTO customer (email, name, nickname, tier) VALUES ('bob@example.com', 'Bob', 'bobby', 'silver')`);
      await query(`INSERT INTO product (sku, title, ${q('legacyCode')}, price) VALUES ('P-1', 'Pen', 'L-1', 1.50), ('P-2', 'Pad', NULL, 2.25)`);
      await query(`INSERT INTO ${q('order')} (${q('customerId')}, total, note) VALUES (1, 10, 'first'), (2, 20, NULL)`);
      await rejects(query(`INSERT INTO customer (email, name, tier) VALUES ('gil@example.com', 'Gil', 'gold')`), /tier|enum|check/i, "'gold' is not a tier yet");
      assert.deepEqual(await query(`SELECT id, tier FROM customer ORDER BY id`), [
        { id: 1, tier: 'bronze' },
        { id: 2, tier: 'silver' },
      ]);
      // What the widenings are for: PostgreSQL and MySQL refuse these now; SQLite takes both.
      const tooLong = `UPDATE product SET title = '${'t'.repeat(200)}' WHERE id = 2`;
      const tooBig = `UPDATE ${q('order')} SET total = 5000000000 WHERE id = 2`;
      if (backend.name === 'sqlite') {
        await query(tooLong);
        await query(tooBig);
        await query(`UPDATE product SET title = 'Pad' WHERE id = 2`);
        await query(`UPDATE ${q('order')} SET total = 20 WHERE id = 2`);
      } else {
        await rejects(query(tooLong), /too long/i, 'product.title is varchar(100)');
        await rejects(query(tooBig), /out of range/i, 'order.total is an integer');
      }
      await keysHold();
    });

    it('edited models: makemigrations lists each change and writes a second revision on top of the first', () => {
      assert.ok(v1.length, 'the first revision was not applied');
      models(p, true);
      // product.legacyCode goes with its value: consented to here.
      const r = p.ok(['makemigrations', '-m', 'phase two', '--accept-data-loss']);
      assert.deepEqual(operations(r), expected.ops2, explain(r, 'to list the operations'));
      assert.deepEqual(findings(r), expected.findings2, explain(r, 'to list the findings'));
      assert.match(r.stdout, /^ {2}! error drop-column: .*\(drop column product\.legacyCode; table product holds 2 rows\)$/m, explain(r, 'to name the values the drop destroys'));
      const file2 = generatedFile(r);
      assert.notEqual(file2, file1);
      assert.equal(p.versionFiles().length, 2);
      const source2 = p.read(file2);
      rev2 = revisionIdOf(source2);
      assert.notEqual(rev2, rev1);
      assert.equal(downRevisionOf(source2), `'${rev1}'`);
      assert.equal(p.read(file1), source1, 'the first revision file is left alone');
    });

    it('migrate applies only the second revision; check and makemigrations find nothing left to do', async () => {
      assert.ok(rev2, 'the second revision was not generated');
      const r = p.ok(['migrate']);
      assert.equal(r.stdout, `Applied  ${rev2}  phase two\nDatabase is now at ${rev2}.\n`, explain(r, 'to apply the second revision only'));
      assert.deepEqual(await backend.rows(p.dir), [rev2]);
      assert.deepEqual(await backend.tables(p.dir), ['customer', 'order', 'product', 'product_tags_tag', 'tag']);
      noChanges();
    });

    it('the catalog changed by exactly the edits', async () => {
      assert.deepEqual(await backend.rows(p.dir), [rev2], 'the second revision was not applied');
      const v2 = await backend.catalog(p.dir);
      assert.deepEqual({ removed: minus(v1, v2), added: minus(v2, v1) }, { removed: [...expected.removed].sort(), added: [...expected.added].sort() });
    });

    it('the rows are kept, NULLs filled by the new default; the new schema takes rows and holds its rules', async () => {
      assert.deepEqual(await backend.rows(p.dir), [rev2], 'the second revision was not applied');
      assert.deepEqual(await query(`SELECT id, email, name, nickname, tier, phone FROM customer ORDER BY id`), [
        { id: 1, email: 'ann@example.com', name: 'Ann', nickname: 'anon', tier: 'bronze', phone: null },
        { id: 2, email: 'bob@example.com', name: 'Bob', nickname: 'bobby', tier: 'silver', phone: null },
      ]);
      // On SQLite customer is rebuilt: the parent of an ON DELETE CASCADE key, its orders must stay.
      assert.deepEqual(numbers(await query(`SELECT id, ${q('customerId')}, total, note, ${q('productId')} FROM ${q('order')} ORDER BY id`), 'total'), [
        { id: 1, customerId: 1, total: 10, note: 'first', productId: null },
        { id: 2, customerId: 2, total: 20, note: null, productId: null },
      ]);
      assert.deepEqual(numbers(await query(`SELECT id, sku, title, active, price FROM product ORDER BY id`), 'active', 'price'), [
        { id: 1, sku: 'P-1', title: 'Pen', active: 1, price: 1.5 },
        { id: 2, sku: 'P-2', title: 'Pad', active: 1, price: 2.25 },
      ]);
      await keysHold();

      // The widened columns take what PostgreSQL and MySQL refused before; the enum takes its new value.
      await query(`UPDATE ${q('order')} SET total = 5000000000, ${q('productId')} = 2 WHERE id = 2`);
      await query(`UPDATE product SET title = '${'t'.repeat(200)}' WHERE id = 2`);
      await query(`INSERT INTO customer (email, name, tier) VALUES ('gil@example.com', 'Gil', 'gold')`);
      assert.deepEqual(numbers(await query(`SELECT c.tier, o.total, p.title FROM customer c, ${q('order')} o, product p WHERE c.email = 'gil@example.com' AND o.id = 2 AND p.id = 2`), 'total'), [
        { tier: 'gold', total: 5000000000, title: 't'.repeat(200) },
      ]);
      await rejects(query(`INSERT INTO customer (email, name, nickname) VALUES ('cy@example.com', 'Cy', NULL)`), /null/i, 'customer.nickname is NOT NULL now');
      await rejects(query(`INSERT INTO product (sku, title) VALUES ('P-1', 'Copy')`), /unique|duplicate/i, 'product.sku is unique now');
      await rejects(query(`INSERT INTO customer (email, name) VALUES ('ann@example.com', 'Ann again')`), /unique|duplicate/i, 'customer.email is still unique');

      // The many-to-many, and ON DELETE SET NULL: a product deleted clears its orders and tags.
      await query(`INSERT INTO tag (name) VALUES ('office')`);
      await query(`INSERT INTO product (sku, title) VALUES ('P-3', 'Clip')`);
      // Not 3 on PostgreSQL and MySQL: the refused insert above used up an id.
      const [{ id: clip }] = await query<{ id: number }>(`SELECT id FROM product WHERE sku = 'P-3'`);
      await query(`INSERT INTO product_tags_tag (${q('productId')}, ${q('tagId')}) VALUES (1, 1), (${clip}, 1)`);
      await query(`UPDATE ${q('order')} SET ${q('productId')} = ${clip} WHERE id = 1`);
      await query(`DELETE FROM product WHERE id = ${clip}`);
      assert.deepEqual(await query(`SELECT id, ${q('productId')} FROM ${q('order')} ORDER BY id`), [
        { id: 1, productId: null },
        { id: 2, productId: 2 },
      ]);
      assert.deepEqual(await query(`SELECT ${q('productId')}, ${q('tagId')} FROM product_tags_tag`), [{ productId: 1, tagId: 1 }]);

      // Back to what the first models can hold, for the downgrade.
      await query(`DELETE FROM customer WHERE email = 'gil@example.com'`);
      await query(`UPDATE ${q('order')} SET total = 20 WHERE id = 2`);
      await query(`UPDATE product SET title = 'Pad' WHERE id = 2`);
    });

    it('downgrade -1 gives back exactly the first catalog and keeps the rows', async () => {
      assert.deepEqual(await backend.rows(p.dir), [rev2], 'the second revision was not applied');
      const r = p.ok(['downgrade', '-1']);
      assert.equal(r.stdout, `Reverted ${rev2}  phase two\nDatabase is now at ${rev1}.\n`, explain(r, 'to revert the second revision'));
      assert.deepEqual(await backend.rows(p.dir), [rev1]);
      assert.deepEqual(await backend.tables(p.dir), ['customer', 'order', 'product']);
      assert.deepEqual(await backend.catalog(p.dir), v1);

      assert.deepEqual(await query(`SELECT id, email, name, nickname, tier FROM customer ORDER BY id`), [
        { id: 1, email: 'ann@example.com', name: 'Ann', nickname: 'anon', tier: 'bronze' },
        { id: 2, email: 'bob@example.com', name: 'Bob', nickname: 'bobby', tier: 'silver' },
      ]);
      // customer is rebuilt again on SQLite on the way down: its CASCADE children must survive.
      assert.deepEqual(await query(`SELECT id, ${q('customerId')}, total, note FROM ${q('order')} ORDER BY id`), [
        { id: 1, customerId: 1, total: 10, note: 'first' },
        { id: 2, customerId: 2, total: 20, note: null },
      ]);
      // legacyCode comes back empty: its values went with the column.
      assert.deepEqual(await query(`SELECT id, sku, title, ${q('legacyCode')} FROM product ORDER BY id`), [
        { id: 1, sku: 'P-1', title: 'Pen', legacyCode: null },
        { id: 2, sku: 'P-2', title: 'Pad', legacyCode: null },
      ]);
      await keysHold();
    });

    it('with the first models back, models, database and revisions agree; the restored key still cascades', async () => {
      assert.deepEqual(await backend.rows(p.dir), [rev1], 'the second revision was not reverted');
      models(p, false);
      p.remove(p.versionFiles().map((f) => `versions/${f}`).find((f) => f.includes(`_${rev2}_`))!);
      noChanges();
      await query('DELETE FROM customer WHERE id = 2');
      assert.deepEqual(await query(`SELECT id FROM ${q('order')} ORDER BY id`), [{ id: 1 }]);
    });

    it('downgrade base leaves no user table', async () => {
      assert.ok(rev1, 'the first revision was not generated');
      const r = p.ok(['downgrade', 'base']);
      assert.equal(r.stdout, `Reverted ${rev1}  create shop\nDatabase is now at base.\n`, explain(r, 'to revert the first revision'));
      assert.deepEqual(await backend.tables(p.dir), []);
      // On PostgreSQL this also means no enum type and no sequence left behind.
      assert.deepEqual(await backend.catalog(p.dir), []);
      // The version table stays, empty, and the history keeps every step.
      assert.deepEqual(numbers(await query('SELECT count(*) AS n FROM migrator_version'), 'n'), [{ n: 0 }]);
      assert.deepEqual(await query('SELECT revision, direction FROM migrator_history ORDER BY id'), [
        { revision: rev1, direction: 'up' },
        { revision: rev2, direction: 'up' },
        { revision: rev2, direction: 'down' },
        { revision: rev1, direction: 'down' },
      ]);
      assert.equal(p.ok(['current']).stdout, '(base): no revisions applied\n');
    });
  });
}
