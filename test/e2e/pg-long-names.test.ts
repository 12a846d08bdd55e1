/**
 * Names longer than PostgreSQL keeps (63 bytes): the server's own cut (`SELECT $1::name`) is the
 * one migrator makes; entities with long and multibyte table, column, index, constraint, enum and
 * junction-table names, and a Prisma schema with long mapped names, go makemigrations → migrate →
 * check clean → downgrade base, the revision stating the names the database holds; two tables the
 * same in their first 63 bytes are refused before anything is written.
 *
 * One PostgreSQL database per test (test/support/pg.ts). Needs `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { truncateIdentifier } from '../../src/dialects/postgres/identifiers.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { assertUserError, explain, generatedFile, projects } from './helpers.ts';

const newProject = projects();
const databases: TestDatabase[] = [];
after(async () => {
  for (const db of databases) await db.drop();
});
async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase('migrator_long_names');
  databases.push(db);
  return db;
}

const LEDGER = 'ledger_entries_for_the_quarterly_reconciliation_of_accounts_payable'; // 67 bytes
const AMOUNT = 'amountInTheCurrencyOfTheOriginalInvoiceBeforeAnyDiscountsAreApplied'; // 67 bytes
const TRANSFERS = 'Überweisungsaufträge_für_die_vierteljährliche_Abstimmung_der_Kreditoren'; // 77 bytes
const ACCOUNT = 'a振込先の銀行口座番号と支店名と口座名義人の氏名を記録する列'; // 1 + 3 × 29 bytes: the cut falls inside a character
const ACCENTS = 'é'.repeat(32); // 64 bytes
const PARCELS = '📦'.repeat(17); // 68 bytes
const INDEX = 'index_on_ledger_entries_by_amount_before_discounts_and_booking_day';
const UNIQUE = 'unique_ledger_entry_per_booking_day_and_reference_in_the_bank_statement';
const CHECK = 'amount_in_the_currency_of_the_original_invoice_must_not_be_negative';
const ENUM = 'reconciliation_status_of_ledger_entries_for_the_quarterly_close_of_books';

const ENTITIES = `import { Check, Column, Entity, Index, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn, Unique } from 'migrator/decorators';

@Entity('${LEDGER}')
@Index('${INDEX}', ['${AMOUNT}', 'bookingDay'])
@Unique('${UNIQUE}', ['bookingDay', 'referenceInTheBankStatement'])
@Check('${CHECK}', '"${AMOUNT}" >= 0')
export class LedgerEntry {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'int' }) ${AMOUNT}!: number;
  @Column({ type: 'date' }) bookingDay!: string;
  @Column({ type: 'text' }) referenceInTheBankStatement!: string;
  @Column({ type: 'enum', enum: ['open', 'matched'], enumName: '${ENUM}', default: 'open' }) status!: string;
  @Column({ type: 'enum', enum: ['open', 'matched'], enumName: '${ENUM}', array: true, nullable: true }) history!: string[] | null;
}

@Entity('${TRANSFERS}')
export class Transfer {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToOne(() => LedgerEntry, { onDelete: 'CASCADE' }) ledgerEntry!: LedgerEntry;
  @Column({ type: 'text', name: '${ACCOUNT}' }) account!: string;
  @Column({ type: 'text', name: '${ACCENTS}', nullable: true }) accents!: string | null;
  @Column({ type: 'text', name: '${PARCELS}', nullable: true }) parcels!: string | null;
  @ManyToMany(() => LedgerEntry) @JoinTable() settlesTheFollowingLedgerEntries!: LedgerEntry[];
}
`;

const bytes = (s: string): number => Buffer.byteLength(s);

describe('names longer than PostgreSQL keeps', () => {
  it('are cut where the server cuts them, never inside a character', async () => {
    const db = await database();
    assert.deepEqual(await db.query(`SELECT current_setting('server_encoding') AS e`), [{ e: 'UTF8' }]);
    const names = [
      'a'.repeat(70),
      'x'.repeat(63),
      'y'.repeat(64),
      ACCENTS,
      `a${'日'.repeat(21)}`,
      '日'.repeat(21),
      `ab${'日'.repeat(21)}`,
      `abcd${'😀'.repeat(15)}`,
      `abc${'😀'.repeat(15)}x`,
      '👨‍👩‍👧'.repeat(4), // a ZWJ sequence is cut between its code points, as the server does
      'e\u0301'.repeat(32),
      LEDGER,
      AMOUNT,
      TRANSFERS,
      ACCOUNT,
      PARCELS,
      'Straße',
    ];
    for (const name of names) {
      const [row] = await db.query<{ n: string }>('SELECT $1::name AS n', [name]);
      assert.equal(truncateIdentifier(name), row.n, `${name} (${bytes(name)} bytes)`);
    }
  });

  it('makemigrations writes the names the database will hold; migrate, check clean, downgrade base leaves nothing', async () => {
    const db = await database();
    const p = newProject('migrator-long-names-');
    p.writeConfig({ database: db.url });
    p.writeEntity('ledger', ENTITIES);

    const made = p.ok(['makemigrations', '-m', 'ledger']);
    const source = p.read(generatedFile(made));
    for (const long of [LEDGER, TRANSFERS, ACCOUNT, ACCENTS, PARCELS, INDEX, UNIQUE, CHECK, ENUM]) {
      assert.ok(source.includes(`'${truncateIdentifier(long)}'`), `the revision names ${truncateIdentifier(long)}:\n${source}`);
      assert.ok(!source.includes(`'${long}'`), `the revision does not name ${long}:\n${source}`);
    }
    // A check's text is left as written: the server cuts the names in it as it parses it.
    assert.ok(source.includes(`"${AMOUNT}" >= 0`), source);

    p.ok(['migrate']);
    const check = p.ok(['check']);
    assert.match(check.stdout, /No changes detected/, explain(check, 'to find no changes'));
    assert.match(p.ok(['makemigrations']).stdout, /No changes detected/);

    const relations = (await db.query<{ n: string }>(`SELECT relname::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind IN ('r', 'i') ORDER BY 1`)).map((r) => r.n);
    for (const long of [LEDGER, TRANSFERS, INDEX, UNIQUE]) assert.ok(relations.includes(truncateIdentifier(long)), `${truncateIdentifier(long)} in ${relations.join(', ')}`);
    // The junction table's name, past 63 characters, is shortened as TypeORM shortens it, then cut.
    const junction = relations.find((n) => n.startsWith('übe_für_die_vie_abs_der_kre_set_the_fol_led_ent'));
    assert.ok(junction && bytes(junction) <= 63, `the junction table, shortened and cut: ${relations.join(', ')}`);
    const columns = (await db.query<{ n: string }>(`SELECT attname::text AS n FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum`, [`"${truncateIdentifier(TRANSFERS)}"`])).map((r) => r.n);
    assert.deepEqual(columns, ['id', truncateIdentifier(ACCOUNT), truncateIdentifier(ACCENTS), truncateIdentifier(PARCELS), 'ledgerEntryId']);
    assert.deepEqual(await db.query(`SELECT typname::text AS n FROM pg_type WHERE typtype = 'e'`), [{ n: truncateIdentifier(ENUM) }]);
    // The check holds against the column it names.
    await assert.rejects(db.query(`INSERT INTO "${truncateIdentifier(LEDGER)}" ("${AMOUNT}", "bookingDay", "referenceInTheBankStatement") VALUES (-1, '2026-01-01', 'r')`), /violates check constraint/);

    p.ok(['downgrade', 'base']);
    const left = await db.query<{ n: string }>(`SELECT relname::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' ORDER BY 1`);
    assert.deepEqual(left.map((r) => r.n), ['migrator_history', 'migrator_history_pkc', 'migrator_version', 'migrator_version_pkc']);
    assert.deepEqual(await db.query(`SELECT typname FROM pg_type t JOIN pg_namespace s ON s.oid = t.typnamespace WHERE s.nspname = 'public' AND t.typtype = 'e'`), []);
  });

  it('a Prisma schema with long @@map, @map and enum names (a quoted type): migrate, check clean, downgrade base', async () => {
    const db = await database();
    const p = newProject('migrator-long-names-prisma-');
    p.writeConfig({ database: db.url, models: ['schema.prisma'] });
    const status = 'ReconciliationStatusOfLedgerEntriesForTheQuarterlyCloseOfTheBooks';
    const amount = 'amount_in_the_currency_of_the_original_invoice_before_any_discounts';
    p.write(
      'schema.prisma',
      `datasource db {
  provider = "postgresql"
}

enum ${status} {
  OPEN
  MATCHED
}

model LedgerEntry {
  id        Int    @id @default(autoincrement())
  amount    Int    @map("${amount}")
  reference String @unique
  status    ${status} @default(OPEN)
  history   ${status}[]
  transfers Transfer[]

  @@index([amount])
  @@map("${LEDGER}")
}

model Transfer {
  id      Int         @id
  entryId Int
  entry   LedgerEntry @relation(fields: [entryId], references: [id])
}
`,
    );
    const source = p.read(generatedFile(p.ok(['makemigrations', '-m', 'ledger'])));
    assert.ok(source.includes(`'${truncateIdentifier(LEDGER)}'`) && source.includes(`'"${truncateIdentifier(status)}"[]'`), source);
    p.ok(['migrate']);
    assert.match(p.ok(['check']).stdout, /No changes detected/);
    p.ok(['downgrade', 'base']);
    const left = await db.query<{ n: string }>(`SELECT relname::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' ORDER BY 1`);
    assert.deepEqual(left.map((r) => r.n), ['migrator_history', 'migrator_history_pkc', 'migrator_version', 'migrator_version_pkc']);
    assert.deepEqual(await db.query(`SELECT typname FROM pg_type t JOIN pg_namespace s ON s.oid = t.typnamespace WHERE s.nspname = 'public' AND t.typtype = 'e'`), []);
  });

  it('two tables the same in their first 63 bytes: exit 2 naming both, no revision, the database untouched', async () => {
    const db = await database();
    const p = newProject('migrator-long-names-clash-');
    p.writeConfig({ database: db.url });
    const payments = LEDGER.replace(/payable$/, 'payments');
    p.writeEntity(
      'ledger',
      `import { Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('${LEDGER}')
export class Payable {
  @PrimaryGeneratedColumn() id!: number;
}

@Entity('${payments}')
export class Payment {
  @PrimaryGeneratedColumn() id!: number;
}
`,
    );
    p.ok(['migrate']);
    const before = await db.query(`SELECT relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' ORDER BY 1`);
    for (const command of [['makemigrations', '-m', 'ledger'], ['check']]) {
      const line = assertUserError(p.run(command));
      assert.equal(
        line,
        `error: tables "${LEDGER}" and "${payments}" are both "${truncateIdentifier(LEDGER)}" in PostgreSQL, which keeps the first 63 bytes of a name; shorten one (@Entity({ name }) / @@map)`,
      );
    }
    assert.deepEqual(p.versionFiles(), []);
    assert.deepEqual(await db.query(`SELECT relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' ORDER BY 1`), before);
  });
});
