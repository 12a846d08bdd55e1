// makemigrations against a MySQL/MariaDB database of 2,000 tables whose entity classes match but
// for one new column, against `mysqldump --no-data` of the same database.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, dropMysqlDatabase, freshMysqlDatabase, measure, mysqlArgs, mysqlClient, pairs, removeDir, reportPairs, tempDir } from './lib.mjs';

const TABLES = Number(process.env.BENCH_TABLES || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const DB = 'migrator_bench_autogenerate';
const pad4 = (i) => String(i).padStart(4, '0');

const url = freshMysqlDatabase(DB);
const dir = tempDir('mysql-autogenerate');
try {
  const ddl = [];
  for (let i = 0; i < TABLES; i++) {
    const t = `t${pad4(i)}`;
    ddl.push(
      `CREATE TABLE \`${t}\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`qty\` int NOT NULL DEFAULT 0, ` +
        `\`created\` datetime(3) NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`id\`), INDEX \`${t}_name_idx\` (\`name\`));`,
    );
  }
  writeFileSync(path.join(dir, 'schema.sql'), ddl.join('\n'));
  mysqlClient(DB, ['-e', `source ${path.join(dir, 'schema.sql')}`]);

  mkdirSync(path.join(dir, 'entities'));
  for (let f = 0; f < TABLES / 100; f++) {
    const classes = [];
    for (let i = f * 100; i < Math.min((f + 1) * 100, TABLES); i++) {
      classes.push(`@Entity('t${pad4(i)}')
export class T${pad4(i)} {
  @PrimaryGeneratedColumn() id!: number;
  @Index('t${pad4(i)}_name_idx') @Column({ length: 100 }) name!: string;
  @Column({ default: 0 }) qty!: number;
  @Column({ type: 'datetime', precision: 3, nullable: true, default: () => 'CURRENT_TIMESTAMP(3)' }) created!: Date;${i === 0 ? '\n  @Column({ nullable: true }) extra!: string;' : ''}
}
`);
    }
    writeFileSync(path.join(dir, 'entities', `group${pad4(f)}.ts`), `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'migrator/decorators';\n\n${classes.join('\n')}`);
  }
  writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: ${JSON.stringify(url)}, models: ['entities/*.ts'], versions: 'versions' };\n`);
  const versions = path.join(dir, 'versions');
  const mysqldump = () => measure('sh', ['-c', `exec mysqldump --no-data ${mysqlArgs(DB).map((a) => `'${a}'`).join(' ')} > /dev/null`]);
  const result = pairs(
    RUNS,
    () => {
      rmSync(versions, { recursive: true, force: true });
      const m = measure(process.execPath, [CLI, 'makemigrations', '-m', 'add extra', '--rev-id', 'bench00000001'], { cwd: dir });
      const written = readdirSync(versions);
      if (written.length !== 1 || !m.stdout.includes('add column t0000.extra') || m.stdout.split('\n').filter((l) => l.startsWith('  - ')).length !== 1) {
        throw new Error(`makemigrations did not find exactly the new column:\n${m.stdout}`);
      }
      return m;
    },
    mysqldump,
  );
  reportPairs(`makemigrations, ${TABLES} tables, TypeScript entities (MySQL)`, result, 'mysqldump --no-data', 1.0);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else removeDir(dir);
  if (!process.env.BENCH_KEEP) dropMysqlDatabase(DB);
}
