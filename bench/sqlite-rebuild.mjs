// The rebuild of a 1,000,000-row SQLite table (a type change and a dropped column, one index, a
// child table under ON DELETE CASCADE) via `migrate`, against the sqlite3 CLI running the same
// SQL by hand (migrator's own offline SQL for that revision) on a copy of the same database.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CLI, ROOT, measure, pairs, removeDir, reportPairs, tempDir } from './lib.mjs';

const ROWS = Number(process.env.BENCH_ROWS || 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const Database = createRequire(path.join(ROOT, 'package.json'))('better-sqlite3');

const dir = tempDir('rebuild');
try {
  mkdirSync(path.join(dir, 'versions'));
  writeFileSync(
    path.join(dir, 'versions', 'r0000000001_tables.ts'),
    `export const revision = 'r0000000001';
export const downRevision = null;
export async function upgrade(op) {
  await op.execute('CREATE TABLE "item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "price" integer NOT NULL, "obsolete" text, "created" datetime NOT NULL DEFAULT (datetime(\\'now\\')))');
  await op.execute('CREATE INDEX "item_name" ON "item" ("name")');
  await op.execute('CREATE TABLE "item_note" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "itemId" integer NOT NULL, "note" text, CONSTRAINT "fk_item" FOREIGN KEY ("itemId") REFERENCES "item" ("id") ON DELETE CASCADE)');
}
export async function downgrade(op) {}
`,
  );
  writeFileSync(
    path.join(dir, 'versions', 'r0000000002_reprice.ts'),
    `export const revision = 'r0000000002';
export const downRevision = 'r0000000001';
export async function upgrade(op) {
  await op.alterColumn('item', 'price', { type: 'real' });
  await op.dropColumn('item', 'obsolete');
}
export async function downgrade(op) {}
`,
  );
  const pristine = path.join(dir, 'pristine.db');
  writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: 'sqlite:./pristine.db', versions: 'versions' };\n`);
  measure(process.execPath, [CLI, 'upgrade', 'r0000000001'], { cwd: dir });
  const db = new Database(pristine);
  db.exec('BEGIN');
  const item = db.prepare('INSERT INTO "item" ("name", "price", "obsolete") VALUES (?, ?, ?)');
  for (let i = 0; i < ROWS; i++) item.run(`item ${i}`, i % 1000, i % 3 ? null : 'x');
  const note = db.prepare('INSERT INTO "item_note" ("itemId", "note") VALUES (?, ?)');
  for (let i = 1; i <= ROWS; i += 10) note.run(i, `note ${i}`);
  db.exec('COMMIT');
  db.close();

  // The reference script: what migrate runs for the revision, from its offline mode.
  const script = measure(process.execPath, [CLI, 'sqlmigrate', 'r0000000002'], { cwd: dir }).stdout;
  writeFileSync(path.join(dir, 'rebuild.sql'), script);

  const work = path.join(dir, 'work.db');
  writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: 'sqlite:./work.db', versions: 'versions' };\n`);
  const result = pairs(RUNS, () => {
    copyFileSync(pristine, work);
    const m = measure(process.execPath, [CLI, 'migrate'], { cwd: dir });
    const check = new Database(work, { readonly: true });
    const counts = check.prepare('SELECT (SELECT count(*) FROM item) AS items, (SELECT count(*) FROM item_note) AS notes').get();
    check.close();
    if (counts.items !== ROWS || counts.notes !== Math.ceil(ROWS / 10)) throw new Error(`rows lost: ${JSON.stringify(counts)}`);
    return m;
  }, () => {
    copyFileSync(pristine, work);
    return measure('sh', ['-c', `sqlite3 -bail ${JSON.stringify(work)} < ${JSON.stringify(path.join(dir, 'rebuild.sql'))}`]);
  });
  const cliVersion = measure('sqlite3', ['--version']).stdout.split(' ')[0];
  const probe = new Database(':memory:');
  const ownVersion = probe.prepare('SELECT sqlite_version() AS v').get().v;
  probe.close();
  console.log(`(engines: the sqlite3 CLI is SQLite ${cliVersion}; better-sqlite3 bundles SQLite ${ownVersion})`);
  reportPairs(`rebuild of a ${ROWS}-row table (SQLite)`, result, 'sqlite3 CLI', 1.1);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else removeDir(dir);
}
