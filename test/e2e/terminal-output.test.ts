/**
 * Output for people on a terminal (a pseudo-terminal, test/support/terminal.ts) against output
 * through pipes: colour and `[n/N]` with times on a terminal, none with NO_COLOR; piped output
 * is plain text without a control character, unless FORCE_COLOR asks for colour; a spinner on
 * stderr names a phase that lasts over a second, on a terminal only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInTerminal } from '../support/terminal.ts';
import { CLI, explain, projects, sqlRevision, type TempProject } from './helpers.ts';

const newProject = projects();

const A = 'aaaa11110000';
const B = 'bbbb22220000';
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/** Two revisions of raw SQL; with `slow`, the second takes two seconds to load. */
function twoRevisions(p: TempProject, slow = false): void {
  p.writeConfig();
  p.write(`versions/${A}_one.ts`, sqlRevision(A, null, 'create one', ['CREATE TABLE one (id integer)'], ['DROP TABLE one']));
  let second = sqlRevision(B, A, 'create two', ['CREATE TABLE two (id integer)'], ['DROP TABLE two']);
  if (slow) second = second.replace('export async function upgrade(op: Operations): Promise<void> {', 'export async function upgrade(op: Operations): Promise<void> {\n  await new Promise((resolve) => setTimeout(resolve, 2000));');
  p.write(`versions/${B}_two.ts`, second);
}

const terminal = (p: TempProject, args: string[], env: Record<string, string | undefined> = {}) => runInTerminal([process.execPath, CLI, ...args], p.dir, [], { DATABASE_URL: '', ...env });

describe('migrate on a terminal', () => {
  it('counts each step against the run, with its time, in colour', () => {
    const p = newProject();
    twoRevisions(p);
    const r = terminal(p, ['migrate']);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`^\\[1/2\\] Applied  ${A}  create one \\(\\d+ ms\\)$`, 'm'));
    assert.match(r.output, new RegExp(`^\\[2/2\\] Applied  ${B}  create two \\(\\d+ ms\\)$`, 'm'));
    assert.match(r.output, new RegExp(`^Database is now at ${B}\\.$`, 'm'));
    assert.match(r.raw, SGR, 'colour on a terminal');
    assert.match(r.raw, /\x1b\[32mApplied /);
    const down = terminal(p, ['downgrade', 'base']);
    assert.match(down.output, new RegExp(`^\\[1/2\\] Reverted ${B}  create two \\(\\d+ ms\\)$`, 'm'));
  });

  it('NO_COLOR: the same lines without colour', () => {
    const p = newProject();
    twoRevisions(p);
    const r = terminal(p, ['migrate'], { NO_COLOR: '1' });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`^\\[2/2\\] Applied  ${B}  create two \\(\\d+ ms\\)$`, 'm'));
    assert.doesNotMatch(r.raw, SGR);
  });

  it('an error: `error:` in red on a terminal, plain with NO_COLOR', () => {
    const p = newProject();
    twoRevisions(p);
    const r = terminal(p, ['upgrade', 'ffff99990000']);
    assert.equal(r.status, 2);
    assert.match(r.raw, /\x1b\[31merror:\x1b\[39m no revision "ffff99990000"/);
    assert.match(terminal(p, ['upgrade', 'ffff99990000'], { NO_COLOR: '1' }).raw, /^error: no revision/m);
  });

  it('a spinner on stderr names a revision that takes over a second', () => {
    const p = newProject();
    twoRevisions(p, true);
    // The spinner stays off under CI (see the next test); here the terminal is a person's.
    const r = terminal(p, ['migrate'], { CI: undefined });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`applying ${B} \\[2/2\\]`));
    // The spinner's line is cleared before the step's own line is written.
    assert.match(r.output, new RegExp(`\\[2/2\\] Applied  ${B}  create two \\(2\\.\\d s\\)$`, 'm'));
  });

  it('under CI the spinner stays off, the counted lines stay', () => {
    const p = newProject();
    twoRevisions(p, true);
    const r = terminal(p, ['migrate'], { CI: 'true' });
    assert.equal(r.status, 0, r.output);
    assert.doesNotMatch(r.output, /applying /);
    assert.match(r.output, new RegExp(`\\[2/2\\] Applied  ${B}  create two \\(2\\.\\d s\\)$`, 'm'));
  });
});

describe('piped output', () => {
  it('migrate: the plain lines, no count, no control character, no spinner', () => {
    const p = newProject();
    twoRevisions(p, true);
    const r = p.run(['migrate']);
    assert.equal(r.status, 0, explain(r, 'to exit 0'));
    assert.equal(r.stdout, `Applied  ${A}  create one\nApplied  ${B}  create two\nDatabase is now at ${B}.\n`);
    assert.equal(r.stderr, '');
  });

  it('check: the diff without colour; FORCE_COLOR colours it', () => {
    const p = newProject();
    p.writeConfig();
    p.writeEntity('thing', `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';\n\n@Entity()\nexport class Thing {\n  @PrimaryGeneratedColumn()\n  id!: number;\n\n  @Column({ type: 'text' })\n  name!: string;\n}\n`);
    const plain = p.run(['check']);
    assert.equal(plain.status, 1, explain(plain, 'to exit 1'));
    assert.match(plain.stdout, /^\+CREATE TABLE|^\+.*thing/m);
    assert.doesNotMatch(plain.stdout, CONTROL);
    const forced = p.run(['check'], { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\x1b\[32m\+/);
    const tty = terminal(p, ['check']);
    assert.match(tty.raw, /\x1b\[32m\+/);
    assert.match(tty.raw, /\x1b\[36m@@/);
  });
});

describe('the revision graph', () => {
  const C = 'cccc33330000';

  /** A, then B and C both on A; the database at B. */
  function branched(p: TempProject): void {
    p.writeConfig();
    p.write(`versions/${A}_one.ts`, sqlRevision(A, null, 'one', ['CREATE TABLE one (id integer)'], ['DROP TABLE one']));
    p.write(`versions/${B}_two.ts`, sqlRevision(B, A, 'two', ['CREATE TABLE two (id integer)'], ['DROP TABLE two']));
    p.write(`versions/${C}_three.ts`, sqlRevision(C, A, 'three', ['CREATE TABLE three (id integer)'], ['DROP TABLE three']));
    p.ok(['upgrade', B]);
  }

  it('history --graph -i: branches as git log --graph draws them, o where not applied', () => {
    const p = newProject();
    branched(p);
    const r = p.ok(['history', '--graph', '-i']);
    assert.equal(r.stdout, [`o ${C} (head)  three`, `| * ${B} (head, current)  two`, '|/', `* ${A} (branchpoint, base)  one`, ''].join('\n'));
    assert.equal(p.ok(['history', '--graph']).stdout.split('\n')[0], `* ${C} (head)  three`);
  });

  it('graph: mermaid by default, dot on demand, without a database', () => {
    const p = newProject();
    branched(p);
    const mermaid = p.ok(['graph', '--database', 'sqlite:./nowhere/none.db']).stdout;
    assert.match(mermaid, /^flowchart TD\n/);
    assert.match(mermaid, /r0 --> r1\n {2}r0 --> r2\n/);
    const dot = p.ok(['graph', '--format', 'dot']).stdout;
    assert.match(dot, new RegExp(`"${A}" -> "${C}";`));
    const bad = p.run(['graph', '--format', 'png']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be mermaid, dot or text/);
  });
});
