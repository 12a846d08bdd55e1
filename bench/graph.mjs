// The revision graph: `heads` over 10,000 revisions (linear, with branches and merges), and
// `migrate` with 2,000 revisions and nothing to do, against Alembic's `upgrade head` on the same
// chain (Alembic 1.20 from this machine's local wheels, in a venv made here; without it, our
// figure alone is printed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, ROOT, measure, median, removeDir, tempDir } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const HEADS_REVISIONS = Number(process.env.BENCH_GRAPH_REVISIONS || 10000);
const NOOP_REVISIONS = Number(process.env.BENCH_REVISIONS || 2000);

const id = (i) => `g${String(i).padStart(11, '0')}`;

function revisionFile(rev, down, message) {
  const downLiteral = down.length === 0 ? 'null' : down.length === 1 ? `'${down[0]}'` : `[${down.map((d) => `'${d}'`).join(', ')}]`;
  return `/**
 * ${message}
 */
import type { Operations } from 'migrator';

export const revision = '${rev}';
export const downRevision: string | string[] | null = ${downLiteral};

export async function upgrade(op: Operations): Promise<void> {
  await op.execute('SELECT 1');
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('SELECT 1');
}
`;
}

/** A mostly linear history; every 50th revision opens a short side branch merged 3 steps later. */
function writeGraph(dir, count) {
  mkdirSync(path.join(dir, 'versions'), { recursive: true });
  // A project has its node_modules (where migrator keeps its cache of transformed files).
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  let head = [];
  let side;
  for (let i = 0; i < count; i++) {
    const rev = id(i);
    let down = head;
    if (side && i % 50 === 3) {
      down = [...head, side];
      side = undefined;
    }
    writeFileSync(path.join(dir, 'versions', `${rev}_step.ts`), revisionFile(rev, down, `step ${i}`));
    if (i % 50 === 0 && i > 0) {
      side = `s${String(i).padStart(11, '0')}`;
      writeFileSync(path.join(dir, 'versions', `${side}_side.ts`), revisionFile(side, head, `side ${i}`));
    }
    head = [rev];
  }
}

const dir = tempDir('graph');
try {
  writeGraph(dir, HEADS_REVISIONS);
  writeFileSync(path.join(dir, 'migrator.config.ts'), `export default { database: 'sqlite:./graph.db', versions: 'versions' };\n`);
  const heads = median(RUNS, () => {
    const m = measure(process.execPath, [CLI, 'heads'], { cwd: dir });
    if (!m.stdout.includes(id(HEADS_REVISIONS - 1))) throw new Error(`heads did not find the head:\n${m.stdout}`);
    return m;
  });
  const verdict = heads.seconds <= 0.3 ? 'meets' : 'misses';
  console.log(`heads, ${HEADS_REVISIONS} revisions: ${heads.seconds.toFixed(3)} s (peak ${heads.peakMiB.toFixed(0)} MiB); target <= 0.3 s: ${verdict}`);
} finally {
  removeDir(dir);
}

// migrate with nothing to do: the same linear chain of 2,000 revisions for both tools.
const noop = tempDir('noop');
try {
  mkdirSync(path.join(noop, 'versions'));
  mkdirSync(path.join(noop, 'node_modules'));
  for (let i = 0; i < NOOP_REVISIONS; i++) {
    writeFileSync(path.join(noop, 'versions', `${id(i)}_step.ts`), revisionFile(id(i), i ? [id(i - 1)] : [], `step ${i}`));
  }
  writeFileSync(path.join(noop, 'migrator.config.ts'), `export default { database: 'sqlite:./noop.db', versions: 'versions' };\n`);
  measure(process.execPath, [CLI, 'stamp', 'heads'], { cwd: noop });
  const ours = median(RUNS, () => {
    const m = measure(process.execPath, [CLI, 'migrate'], { cwd: noop });
    if (!m.stdout.includes('Nothing to do')) throw new Error(`migrate was not a no-op:\n${m.stdout}`);
    return m;
  });

  const venv = path.join(ROOT, '.bench', 'alembic-venv');
  const python = path.join(venv, 'bin', 'python');
  if (!existsSync(path.join(venv, 'bin', 'alembic'))) {
    mkdirSync(path.dirname(venv), { recursive: true });
    const made = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
    const pip = made.status === 0 ? spawnSync(path.join(venv, 'bin', 'pip'), ['install', '-q', 'alembic==1.20.0', 'sqlalchemy==2.0.54'], { encoding: 'utf8' }) : made;
    if (pip.status !== 0) {
      console.log(`migrate with nothing to do, ${NOOP_REVISIONS} revisions (SQLite): ${ours.seconds.toFixed(2)} s (peak ${ours.peakMiB.toFixed(0)} MiB); Alembic could not be installed (${(pip.stderr || '').trim().split('\n').pop()}), no ratio`);
      process.exit(0);
    }
  }
  const al = path.join(noop, 'alembic');
  mkdirSync(path.join(al, 'versions'), { recursive: true });
  writeFileSync(path.join(al, 'alembic.ini'), `[alembic]\nscript_location = ${al}\nsqlalchemy.url = sqlite:///${path.join(noop, 'alembic.db')}\n`);
  writeFileSync(
    path.join(al, 'env.py'),
    `from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
`,
  );
  writeFileSync(path.join(al, 'script.py.mako'), '');
  for (let i = 0; i < NOOP_REVISIONS; i++) {
    writeFileSync(
      path.join(al, 'versions', `${id(i)}_step.py`),
      `"""step ${i}"""
from alembic import op

revision = '${id(i)}'
down_revision = ${i ? `'${id(i - 1)}'` : 'None'}
branch_labels = None
depends_on = None


def upgrade():
    op.execute('SELECT 1')


def downgrade():
    op.execute('SELECT 1')
`,
    );
  }
  const alembic = (args) => measure(python, ['-m', 'alembic', '-c', path.join(al, 'alembic.ini'), ...args], { cwd: al });
  alembic(['stamp', 'head']);
  const reference = median(RUNS, () => alembic(['upgrade', 'head']));
  const ratio = ours.seconds / reference.seconds;
  console.log(
    `migrate with nothing to do, ${NOOP_REVISIONS} revisions (SQLite): migrator ${ours.seconds.toFixed(2)} s (peak ${ours.peakMiB.toFixed(0)} MiB), ` +
      `alembic upgrade head ${reference.seconds.toFixed(2)} s (peak ${reference.peakMiB.toFixed(0)} MiB) -> ratio ${ratio.toFixed(2)}x; target <= 0.3x: ${ratio <= 0.3 ? 'meets' : 'misses'}`,
  );
} finally {
  removeDir(noop);
}
