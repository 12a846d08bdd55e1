// makemigrations against a PostgreSQL database of 2,000 tables whose models match but for one new
// column, against `pg_dump --schema-only` of the same database: once with TypeScript entity
// files, once with a 2,000-model Prisma schema.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropDatabase, freshDatabase, measure, pairs, psql, removeDir, reportPairs, tempDir } from './lib.mjs';

const TABLES = Number(process.env.BENCH_TABLES || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const DB = 'migrator_bench_autogenerate';
const pad = (i) => String(i).padStart(4, '0');

/** Entity classes, 100 to a file; the first table gains a column. */
function typescriptModels(dir) {
  mkdirSync(path.join(dir, 'entities'));
  for (let f = 0; f < TABLES / 100; f++) {
    const classes = [];
    for (let i = f * 100; i < (f + 1) * 100; i++) {
      classes.push(`@Entity('t${pad(i)}')
export class T${pad(i)} {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 't${pad(i)}_pkey' }) id!: number;
  @Index('t${pad(i)}_name_idx') @Column({ length: 100 }) name!: string;
  @Column({ default: 0 }) qty!: number;
  @Column({ type: 'timestamptz', precision: 3, nullable: true, default: () => 'now()' }) created!: Date;${i === 0 ? '\n  @Column({ nullable: true }) extra!: string;' : ''}
}
`);
    }
    writeFileSync(path.join(dir, 'entities', `group${pad(f)}.ts`), `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'migrator/decorators';\n\n${classes.join('\n')}`);
  }
  return ['entities/*.ts'];
}

/** One Prisma schema of 2,000 models; the first gains a field. */
function prismaModels(dir) {
  const models = [];
  for (let i = 0; i < TABLES; i++) {
    models.push(`model t${pad(i)} {
  id      Int       @id @default(autoincrement())
  name    String    @db.VarChar(100)
  qty     Int       @default(0)
  created DateTime? @default(now()) @db.Timestamptz(3)${i === 0 ? '\n  extra   String?' : ''}

  @@index([name], map: "t${pad(i)}_name_idx")
}
`);
  }
  writeFileSync(path.join(dir, 'schema.prisma'), `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n${models.join('\n')}`);
  return ['schema.prisma'];
}

const url = freshDatabase(DB);
try {
  // The database: 2,000 tables of four columns and an index each.
  const setup = tempDir('autogenerate-db');
  const ddl = [];
  for (let i = 0; i < TABLES; i++) {
    const t = `t${pad(i)}`;
    ddl.push(
      `CREATE TABLE "${t}" ("id" SERIAL NOT NULL, "name" character varying(100) NOT NULL, "qty" integer NOT NULL DEFAULT 0, ` +
        `"created" TIMESTAMP(3) WITH TIME ZONE DEFAULT now(), CONSTRAINT "${t}_pkey" PRIMARY KEY ("id"));`,
      `CREATE INDEX "${t}_name_idx" ON "${t}" ("name");`,
    );
  }
  writeFileSync(path.join(setup, 'schema.sql'), ddl.join('\n'));
  psql(url, ['-f', path.join(setup, 'schema.sql')]);
  removeDir(setup);
  const pgDump = () => measure('pg_dump', ['--schema-only', '-f', '/dev/null', url]);

  for (const [name, write, expected] of [
    ['TypeScript entities', typescriptModels, 'add column t0000.extra'],
    ['a Prisma schema', prismaModels, 'add column t0000.extra'],
  ]) {
    const dir = tempDir('autogenerate');
    try {
      const models = write(dir);
      writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, models: ${JSON.stringify(models)}, versions: 'versions' };\n`);
      const versions = path.join(dir, 'versions');
      const result = pairs(RUNS, () => {
        rmSync(versions, { recursive: true, force: true });
        const m = measure(process.execPath, [CLI, 'makemigrations', '-m', 'add extra', '--rev-id', 'bench00000001'], { cwd: dir });
        const written = readdirSync(versions);
        if (written.length !== 1 || !m.stdout.includes(expected) || m.stdout.split('\n').filter((l) => l.startsWith('  - ')).length !== 1) {
          throw new Error(`makemigrations (${name}) did not find exactly the new column:\n${m.stdout}`);
        }
        return m;
      }, pgDump);
      reportPairs(`makemigrations, ${TABLES} tables, ${name} (PostgreSQL)`, result, 'pg_dump --schema-only', 1.0);
    } finally {
      if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
      else removeDir(dir);
    }
  }
} finally {
  if (!process.env.BENCH_KEEP) dropDatabase(DB);
}
