/**
 * A foreign-key cycle of three tables on PostgreSQL, with rows in it, up and down: A → B → C → A,
 * every key nullable. The generated revision creates the three tables first and adds the key that
 * closes the cycle with op.createForeignKey after them; its downgrade drops that key before any
 * table. Rows that reference each other round the cycle go away with the tables on
 * `downgrade base`, and `migrate` builds it all again.
 *
 * Needs the CLI built and PostgreSQL (test/support/pg.ts: an unreachable server fails the file).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { explain, generatedFile, projects, type TempProject } from './helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

/** `@Entity('<table>')` with a key and a nullable many-to-one to the next table of the cycle. */
const entity = (cls: string, table: string, next: string): string => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ${next} } from './${next.toLowerCase()}';

@Entity('${table}')
export class ${cls} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  label!: string;

  @ManyToOne(() => ${next}, { nullable: true, onDelete: 'SET NULL' })
  next!: ${next} | null;
}
`;

const TABLES = ['cycle_a', 'cycle_b', 'cycle_c'];

/** The `await op.…(…)` calls of one function of a revision file, in order. */
function calls(source: string, fn: 'upgrade' | 'downgrade'): string[] {
  const body = new RegExp(`export async function ${fn}\\(op: Operations\\): Promise<void> \\{\\n([\\s\\S]*?)\\n\\}`).exec(source);
  assert.ok(body, `no ${fn}() in:\n${source}`);
  return [...body[1].matchAll(/^ {2}await op\.(\w+)\(([\s\S]*?)\);$/gm)].map((m) => `${m[1]}(${m[2]})`);
}

describe('PostgreSQL: a foreign-key cycle of three tables, with rows, up and down', () => {
  const newProject = projects();
  let db: TestDatabase | undefined;
  let p: TempProject;
  let source = '';

  before(async () => {
    db = await createTestDatabase('migrator_fk_cycle');
    p = newProject('migrator-fk-cycle-');
    p.writeConfig({ database: db.url });
    p.writeEntity('a', entity('A', 'cycle_a', 'B'));
    p.writeEntity('b', entity('B', 'cycle_b', 'C'));
    p.writeEntity('c', entity('C', 'cycle_c', 'A'));
  });

  after(async () => {
    await db?.drop();
  });

  const tables = async (): Promise<string[]> =>
    (await db!.query<{ name: string }>('SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1')).map((r) => r.name);
  const foreignKeys = async (): Promise<string[]> =>
    (
      await db!.query<{ fk: string }>(
        `SELECT c.relname || ' ' || pg_get_constraintdef(con.oid) AS fk FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
          WHERE con.contype = 'f' AND c.relname LIKE 'cycle\\_%' ORDER BY 1`,
      )
    ).map((r) => r.fk);

  test('makemigrations: the tables first, then the key that closes the cycle; the downgrade drops that key first', () => {
    const r = p.ok(['makemigrations', '-m', 'cycle', '--rev-id', 'c1c2c3c4c5c6']);
    source = p.read(generatedFile(r));
    const up = calls(source, 'upgrade');
    const down = calls(source, 'downgrade');
    const created = up.filter((c) => c.startsWith('createTable('));
    assert.deepEqual(created.map((c) => /^createTable\('(\w+)'/.exec(c)?.[1]).sort(), TABLES, source);
    const addKeys = up.filter((c) => c.startsWith('createForeignKey('));
    assert.equal(addKeys.length, 1, `one key added after the tables\n${source}`);
    assert.deepEqual(up.slice(-1), addKeys, `the key is added after every table\n${source}`);
    assert.deepEqual(up.slice(0, 3), created, `the tables come first\n${source}`);
    assert.equal(created.filter((c) => c.includes('foreignKeys: [')).length, 2, `the two other keys are created with their tables\n${source}`);
    // The key added is the one dropped first, by its name, before any table goes.
    const [, table, name] = /^createForeignKey\('(\w+)', \{\s*name: '(FK_[0-9a-f]{27})'/.exec(addKeys[0]) ?? [];
    assert.ok(table && name, `createForeignKey names its table and key\n${source}`);
    assert.equal(down[0], `dropConstraint('${table}', '${name}', 'foreignKey')`, source);
    assert.deepEqual(down.slice(1).map((c) => c.replace(/\(.*/, '')), ['dropTable', 'dropTable', 'dropTable'], source);
  });

  test('migrate creates the three tables and the three keys', async () => {
    const r = p.ok(['migrate']);
    assert.match(r.stdout, /Database is now at c1c2c3c4c5c6/, explain(r, 'to apply the revision'));
    assert.deepEqual(await tables(), [...TABLES, 'migrator_history', 'migrator_version']);
    assert.deepEqual(await foreignKeys(), [
      'cycle_a FOREIGN KEY ("nextId") REFERENCES cycle_b(id) ON DELETE SET NULL',
      'cycle_b FOREIGN KEY ("nextId") REFERENCES cycle_c(id) ON DELETE SET NULL',
      'cycle_c FOREIGN KEY ("nextId") REFERENCES cycle_a(id) ON DELETE SET NULL',
    ]);
    assert.equal(p.run(['check']).status, 0);
  });

  test('rows that reference each other round the cycle', async () => {
    await db!.query(`INSERT INTO cycle_a (id, label) VALUES (1, 'a'); INSERT INTO cycle_b (id, label) VALUES (1, 'b'); INSERT INTO cycle_c (id, label) VALUES (1, 'c')`);
    await db!.query(`UPDATE cycle_a SET "nextId" = 1; UPDATE cycle_b SET "nextId" = 1; UPDATE cycle_c SET "nextId" = 1`);
    const round = await db!.query<{ labels: string }>(
      `SELECT a.label || b.label || c.label || a2.label AS labels FROM cycle_a a
         JOIN cycle_b b ON b.id = a."nextId" JOIN cycle_c c ON c.id = b."nextId" JOIN cycle_a a2 ON a2.id = c."nextId"`,
    );
    assert.deepEqual(round, [{ labels: 'abca' }]);
  });

  test('downgrade base: the rows go with the tables, and only the empty version table is left', async () => {
    const r = p.ok(['downgrade', 'base']);
    assert.doesNotMatch(r.stderr, /error/i, explain(r, 'to print no error'));
    assert.deepEqual(await tables(), ['migrator_history', 'migrator_version']);
    assert.deepEqual(await db!.query('SELECT version_num FROM migrator_version'), []);
    assert.deepEqual(await foreignKeys(), []);
  });

  test('migrate again builds the cycle again, empty, and check exits 0', async () => {
    p.ok(['migrate']);
    assert.deepEqual(await tables(), [...TABLES, 'migrator_history', 'migrator_version']);
    assert.equal((await foreignKeys()).length, 3);
    assert.deepEqual(await db!.query('SELECT id FROM cycle_a UNION ALL SELECT id FROM cycle_b UNION ALL SELECT id FROM cycle_c'), []);
    const chk = p.run(['check']);
    assert.equal(chk.status, 0, explain(chk, 'to exit 0'));
    assert.match(chk.stdout, /No changes detected/);
  });
});
