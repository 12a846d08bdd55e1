#!/usr/bin/env node
/**
 * The `migrator` command line: commander wiring, output and exit codes.
 * Exit codes: 0 done; 1 `check` found differences, `lint` an error-level finding, `verify` a
 * revision that does not undo itself (or revisions that do not build the models), `status` a
 * database that is not up to date; 2 an error (message on stderr, one line; under it, what the
 * database said about a statement it refused; with --json, one JSON document
 * `{"error": {"code", "message"}}`).
 */
import path from 'node:path';
import v8 from 'node:v8';
import { Command, CommanderError } from 'commander';
import type { RevisionInfo } from '../commands/inspect.js';
import { parseDuration } from '../config/config.js';
import { redact } from '../config/secrets.js';
import { errorCode, errorData, MigratorError, suppressedOf } from '../errors.js';
import { Project } from '../project.js';
import { packageVersion } from '../version.js';
import { diagnosticLines } from './diagnostics.js';
import { checkFleetFlags, fleetCheck, fleetMove, fleetOptions, fleetStatus, type FleetFlags } from './fleet.js';
import { activity, colouredDiff, colours, shownDuration, stdoutIsTerminal } from './output.js';
import { terminalQuestions } from './prompt.js';
import { safety } from './confirm.js';
import type { StepResult } from '../runner/runner.js';
import type { RenameAnswers } from '../commands/renames.js';
import type { GenerateResult } from '../commands/generate.js';
import type { RevisionVerdict, VerifyDirection, VerifyResult } from '../commands/verify.js';

// Parsing model files allocates many short-lived objects: a larger young generation spares
// most of the garbage collector's work (a third off reading 2,000 entities).
v8.setFlagsFromString('--max-semi-space-size=32');

export const EXIT_DIFFERENCES = 1;
export const EXIT_ERROR = 2;

interface GlobalOptions {
  config?: string;
  database?: string;
  verbose?: boolean;
}

/** Each command's module loads when that command runs: start-up stays small. */
const load = {
  init: () => import('../commands/init.js'),
  generate: () => import('../commands/generate.js'),
  migrate: () => import('../commands/migrate.js'),
  inspect: () => import('../commands/inspect.js'),
  lint: () => import('../commands/lint.js'),
  history: () => import('../commands/history.js'),
  squash: () => import('../commands/squash.js'),
  verify: () => import('../commands/verify.js'),
};

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const c = colours.out;

/** A line to take note of (`! …`), yellow on a terminal. */
const warn = (line: string): void => out(c.yellow(line));

/** Set when the command line asks for --json: errors are then one JSON document on stderr. */
let jsonErrors = false;
/** What commander would have printed about a command line it refused, kept for the JSON error. */
let commanderMessage = '';

function label(r: RevisionInfo, current: readonly string[] = []): string {
  const tags = [
    ...r.branchLabels,
    r.isHead ? 'head' : '',
    r.isBranchPoint ? 'branchpoint' : '',
    r.isMerge ? 'mergepoint' : '',
    r.isBase ? 'base' : '',
    current.includes(r.id) ? 'current' : '',
    r.replacedBy ? `replaced by squash ${r.replacedBy}` : '',
  ].filter(Boolean);
  return `${r.id}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

/** `--depends-on a,b --depends-on c` → [a, b, c]. */
function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/**
 * `--rename <old=new>` (repeatable) and `--no-rename` on an autogenerating command. Commander
 * keeps both under one key, where the second would erase the first: each is collected apart.
 */
function renameOptions(command: Command): () => { rename: string[]; noRename: boolean } {
  const rename: string[] = [];
  let noRename = false;
  command
    .option('--rename <old=new>', 'answer a rename candidate: table.old_column=new_column, or old_table=new_table (repeatable)', (value: string) => {
      rename.push(value);
      return rename;
    })
    .option('--no-rename', 'answer every other rename candidate with drop and create (its data is lost)')
    .on('option:no-rename', () => {
      noRename = true;
    });
  return () => ({ rename: [...rename], noRename });
}

/** Runs an autogenerating command with rename answers: the flags, and the terminal when there is one. */
async function withRenameAnswers<T>(flags: { rename: string[]; noRename: boolean }, body: (answers: RenameAnswers) => Promise<T>): Promise<T> {
  const questions = terminalQuestions();
  try {
    return await body({ ...flags, ask: questions?.ask });
  } finally {
    questions?.close();
  }
}

/**
 * The line of one step. On a terminal it starts with the step's place in the run (`[2/5]`) and
 * ends with how long it took; off one it is the plain line scripts have always read.
 */
function stepLine(s: StepResult, place?: { n: number; of: number }): string {
  const plain = s.stamped
    ? `${c.cyan('Stamped ')} ${s.stamped.to}${s.message ? `  ${s.message}` : ''} (in place of ${s.stamped.from}: nothing to run)`
    : `${s.direction === 'up' ? c.green('Applied ') : c.yellow('Reverted')} ${c.bold(s.revision)}${s.message ? `  ${s.message}` : ''}`;
  if (!stdoutIsTerminal || !place) return plain;
  const width = String(place.of).length;
  return `${c.dim(`[${String(place.n).padStart(width)}/${place.of}]`)} ${plain} ${c.dim(`(${shownDuration(s.durationMs)})`)}`;
}

/** A move of a revision, as `verify` names it. */
const MOVES: Record<VerifyDirection, string> = { upgrade: 'its upgrade', downgrade: 'its downgrade', 'upgrade-again': 'its upgrade after its downgrade' };

/** What `verify` prints about one revision: `ok` or `FAIL` and, under a failure, what went wrong. */
function verdictLines(v: RevisionVerdict, file: string | undefined): string[] {
  const head = `${v.ok ? c.green('ok  ') : c.red('FAIL')}  ${v.revision}${v.message ? `  ${v.message}` : ''}`;
  const p = v.problem;
  if (!p) return [head];
  if ('error' in p) return [head, `  ${p.direction === 'upgrade-again' ? 'upgrading it again after its downgrade: ' : ''}${p.error}`];
  const where = file ? ` (${file})` : '';
  const what =
    p.direction === 'downgrade'
      ? `its downgrade${where} does not restore the schema from before its upgrade; to restore it, the downgrade would also have to:`
      : `upgrading it again after its downgrade${where} does not give the schema its first upgrade gave; to give it, it would also have to:`;
  return [head, `  ${what}`, ...p.differences.map((d) => `    - ${d}`)];
}

/** What `verify` prints once every revision is through: what was not done, heads, models, verdict. */
function verifySummary(r: VerifyResult): string[] {
  const lines: string[] = [];
  if (r.below.length) lines.push(`Upgraded without verifying, below the range: ${r.below.join(', ')}`);
  if (r.notRun.length) lines.push(`Not verified, after the failure: ${r.notRun.join(', ')}`);
  if (!r.heads.checked) lines.push(`Heads and models not checked: ${r.heads.reason}.`);
  else if (!r.heads.ok) lines.push(`! the revision files have ${r.heads.unjoined.length} heads (${r.heads.unjoined.join(', ')}) that no merge joins; run \`migrator merge heads -m "merge"\``);
  if (r.models.checked) {
    lines.push(...r.models.notices);
    if (r.models.ok) lines.push("The revisions build the models' schema.");
    else lines.push("! the revisions do not produce the models' schema; run `migrator makemigrations`:", ...r.models.differences.map((d) => `  - ${d}`));
  } else if (r.heads.checked) lines.push(`Models not compared: ${r.models.reason}.`);
  const verified = r.revisions.filter((v) => v.ok).length;
  const on = `${count(verified, 'revision')} verified${r.range !== undefined ? ` (range ${r.range})` : ''} on scratch database ${r.scratch}`;
  const failed = r.revisions.find((v) => !v.ok);
  if (r.ok) lines.push(`OK: ${on}.`);
  else if (failed?.problem) lines.push(`FAILED at revision ${failed.revision} (${MOVES[failed.problem.direction]}); ${on}.`);
  else {
    const wrong = [r.heads.checked && !r.heads.ok ? 'heads no merge joins' : '', r.models.checked && !r.models.ok ? "revisions that do not build the models' schema" : ''];
    lines.push(`FAILED: ${on}, with ${wrong.filter(Boolean).join(' and ')}.`);
  }
  return lines;
}

function json(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** `3 warnings`, `1 error`. */
function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** What the wiring of every command shares. */
interface Cli {
  program: Command;
  /** The folder the command runs in; paths are printed relative to it. */
  cwd: string;
  /** The project, loaded with the global options of the command line. */
  project: () => Promise<Project>;
  /** Prints a line about waits and retries. */
  onNotice: (line: string) => void;
}

/** The JSON of a revision written (or not) by `revision` or `merge`. */
function generatedJson(r: GenerateResult, cwd: string): object {
  return r.written
    ? { written: true, id: r.id, path: path.relative(cwd, r.path), operations: r.operations, notices: r.notices ?? [] }
    : { written: false, reason: r.reason, notices: r.notices ?? [] };
}

/** `--lock-timeout 5s` → milliseconds. */
const lockTimeout = (value: string): number => parseDuration(value, '--lock-timeout');

/** The `migrator` program with its global options, before any command is added. */
function newProgram(): Command {
  const program = new Command('migrator')
    .description('Versioned schema migrations for TypeScript projects')
    .option('-V, --version', 'print the version of migrator')
    .option('-c, --config <file>', 'config file (default: migrator.config.ts in the current folder)')
    .option('--database <url>', 'database URL, overriding the config and DATABASE_URL')
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => {
        // With --json, the refusal is printed as the JSON error instead.
        if (jsonErrors) commanderMessage += s;
        else process.stderr.write(s);
      },
    });
  // As commander's own .version() does, but the file is read only when the version is asked for.
  program.on('option:version', () => {
    out(packageVersion());
    throw new CommanderError(0, 'commander.version', 'version printed');
  });
  return program;
}

/** Adds `init`. */
function addInit(cli: Cli): void {
  const { program, cwd } = cli;
  program
    .command('init')
    .description('write migrator.config.ts, versions/ and templates/ into the current folder')
    .action(async () => {
      const init = await load.init();
      for (const f of init.init(cwd)) out(`Created ${path.relative(cwd, f) || f}`);
      out(`\nPoint models at your entity files in migrator.config.ts, then:\n${init.NEXT_STEPS.map((c) => `  ${c}`).join('\n')}`);
    });
}

/** Adds `makemigrations`: a revision of what the models add to the database. */
function addMakemigrations(cli: Cli): void {
  const { program, cwd, project } = cli;
  const makemigrations = program
    .command('makemigrations')
    .description('compare models with the database and write a revision of the difference')
    .option('-m, --message <message>', 'what the revision does')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .option('--accept-data-loss', 'write the revision even if it drops rows or fails on them at migrate')
    .option('--allow-empty', 'write the revision even if the models describe no table')
    .option('--json', 'print the result as one JSON document');
  const makemigrationsRenames = renameOptions(makemigrations);
  makemigrations.action(async (o: { message?: string; revId?: string; acceptDataLoss?: boolean; allowEmpty?: boolean; json?: boolean }) => {
    const p = await project();
    const generate = await load.generate();
    const result = await withRenameAnswers(makemigrationsRenames(), (renames) => generate.makemigrations(p, { message: o.message, revId: o.revId, renames, ...safety(o) }));
    if (!result.written) {
      if (o.json) return json({ written: false, reason: result.reason, notices: result.notices ?? [] });
      for (const line of result.notices ?? []) out(line);
      return out(result.reason);
    }
    // What lint says about the new revision is advice here: it never changes the exit code.
    let findings: { level: string; code: string; message: string; operation: string | null; line: number | null }[] = [];
    let notLinted: string | undefined;
    try {
      findings = (await (await load.lint()).lint(p, { range: result.id })).findings;
    } catch (error) {
      notLinted = error instanceof Error ? error.message : String(error);
    }
    if (o.json) {
      return json({
        written: true,
        id: result.id,
        path: path.relative(cwd, result.path),
        operations: result.operations,
        notices: result.notices ?? [],
        warnings: findings.map((f) => ({ level: f.level, code: f.code, message: f.message, operation: f.operation, line: f.line })),
        ...(notLinted ? { notLinted } : {}),
      });
    }
    for (const line of result.notices ?? []) out(line);
    out(`Generated ${c.green(path.relative(cwd, result.path))}`);
    for (const op of result.operations) out(`  - ${op}`);
    for (const f of findings) out(`  ${(f.level === 'error' ? c.red : c.yellow)(`! ${f.level} ${f.code}`)}: ${f.message}`);
    if (notLinted !== undefined) warn(`  ! not linted: ${notLinted}`);
  });
}

/** Adds `revision`: an empty revision, or with --autogenerate the model changes. */
function addRevision(cli: Cli): void {
  const { program, cwd, project } = cli;
  const revision = program
    .command('revision')
    .description('write a new revision file (empty, or with --autogenerate the model changes)')
    .requiredOption('-m, --message <message>', 'what the revision does')
    .option('--autogenerate', 'fill the revision with the difference between models and database')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .option('--head <revision>', 'build on this head (e.g. crm@head), or "base" for a new root')
    .option('--splice', 'allow --head to be a revision that is not a head, starting a branch')
    .option('--branch-label <labels>', 'name the branch this revision starts (comma-separated, repeatable)', list)
    .option('--depends-on <revisions>', 'revisions or branch labels this one depends on (comma-separated, repeatable)', list)
    .option('--version-path <dir>', 'write into this version folder')
    .option('--accept-data-loss', 'with --autogenerate: write the revision even if it drops rows or fails on them at migrate')
    .option('--allow-empty', 'with --autogenerate: write the revision even if the models describe no table')
    .option('--json', 'print the result as one JSON document');
  const revisionRenames = renameOptions(revision);
  revision.action(async (o: { message: string; autogenerate?: boolean; revId?: string; versionPath?: string; head?: string; splice?: boolean; branchLabel?: string[]; dependsOn?: string[]; acceptDataLoss?: boolean; allowEmpty?: boolean; json?: boolean }) => {
    const p = await project();
    const generate = await load.generate();
    const result = await withRenameAnswers(revisionRenames(), (renames) =>
      generate.revision(p, {
        message: o.message,
        autogenerate: o.autogenerate,
        revId: o.revId,
        versionPath: o.versionPath ? path.resolve(cwd, o.versionPath) : undefined,
        head: o.head,
        splice: o.splice,
        branchLabels: o.branchLabel,
        dependsOn: o.dependsOn,
        renames,
        ...safety(o),
      }),
    );
    if (o.json) return json(generatedJson(result, cwd));
    for (const line of result.notices ?? []) out(line);
    if (result.written) out(`Generated ${c.green(path.relative(cwd, result.path))}`);
  });
}

/** Adds the commands that write revision files: makemigrations, revision, merge, squash. */
function addRevisionWriters(cli: Cli): void {
  const { program, cwd, project } = cli;
  addMakemigrations(cli);
  addRevision(cli);

  program
    .command('merge')
    .description('write a revision that joins several heads')
    .argument('<revisions...>', 'revisions to join, or "heads"')
    .requiredOption('-m, --message <message>', 'what the merge is')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .option('--json', 'print the result as one JSON document')
    .action(async (revs: string[], o: { message: string; revId?: string; json?: boolean }) => {
      const result = await (await load.generate()).merge(await project(), revs, { message: o.message, revId: o.revId });
      if (o.json) return json(generatedJson(result, cwd));
      if (result.written) out(`Generated ${c.green(path.relative(cwd, result.path))}`);
    });

  program
    .command('squash')
    .description('write one revision that replaces a linear range of revisions (both ends included)')
    .argument('<from>', 'the oldest revision of the range')
    .argument('<to>', 'the newest revision of the range')
    .requiredOption('-m, --message <message>', 'what the squashed revision does')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .option('--json', 'print the result as one JSON document')
    .action(async (from: string, to: string, o: { message: string; revId?: string; json?: boolean }) => {
      const result = await (await load.squash()).squash(await project(), from, to, { message: o.message, revId: o.revId });
      if (o.json) return json({ ...result, path: path.relative(cwd, result.path) });
      for (const line of result.notices) warn(`! ${line}`);
      out(`Generated ${c.green(path.relative(cwd, result.path))}`);
      out(`  replaces ${result.replaces.join(', ')}`);
      for (const op of result.operations) out(`  - ${op}`);
    });
}

/** The flags of migrate, upgrade and downgrade. */
type MoveFlags = { sql?: boolean; singleTransaction?: boolean; lockTimeout?: number; json?: boolean } & FleetFlags;

/** The action of migrate and upgrade (`up`) or downgrade (`down`): over the fleet, as SQL, or on the database. */
function moveAction(cli: Cli, direction: 'up' | 'down') {
  return async (target: string | undefined, o: MoveFlags) => {
    checkFleetFlags(o);
    const p = await cli.project();
    if (o.all) return moveFleet(cli, p, direction, target, o);
    if (o.sql) {
      const sql = await (await load.migrate()).moveSql(p, direction, target ?? 'heads', { singleTransaction: o.singleTransaction, lockTimeout: o.lockTimeout });
      if (o.json) return json({ sql });
      process.stdout.write(sql);
      return;
    }
    return moveDatabase(cli, p, direction, target, o);
  };
}

/** Moves every target of the config (`--all`), with a line per target. */
async function moveFleet(cli: Cli, p: Project, direction: 'up' | 'down', target: string | undefined, o: MoveFlags): Promise<void> {
  const { onNotice } = cli;
  const m = await load.migrate();
  // Files with heads no merge joins would fail every target alike: refused before any runs.
  if (direction === 'up' && target === undefined) m.refuseUnjoinedHeads(p.graph);
  const verb = direction === 'up' ? { doing: 'Migrating', done: 'migrated' } : { doing: 'Downgrading', done: 'downgraded' };
  const failed = await fleetMove(
    p,
    o,
    verb,
    async (tp, t, progress) => {
      const options = {
        onStart: (from: readonly string[]) => void (progress.from = [...from]),
        onStepStart: (s: { revision: { id: string } }) => void (progress.revision = s.revision.id),
        onStep: () => void (progress.steps += 1),
        onNotice: (line: string) => onNotice(`${t.name}: ${line}`),
        singleTransaction: o.singleTransaction,
        lockTimeout: o.lockTimeout,
      };
      const r = direction === 'up' ? await m.upgrade(tp, target, options) : await m.downgrade(tp, target!, options);
      progress.to = r.to;
      progress.steps = r.steps.length;
      delete progress.revision;
    },
    out,
  );
  if (failed) process.exitCode = EXIT_ERROR;
}

/** Moves the database, a line per step as it is done and a spinner on the step under way. */
async function moveDatabase(cli: Cli, p: Project, direction: 'up' | 'down', target: string | undefined, o: MoveFlags): Promise<void> {
  const { onNotice } = cli;
  // The run's size is known once planned: each step is counted against it, and while one
  // runs the spinner (on a terminal, after a second) names it.
  let total = 0;
  let done = 0;
  /** Each planned revision's place in the run, counted from 1. */
  const place = new Map<string, number>();
  /** The phase of the revision under way, for the spinner. */
  let running: string | undefined;
  const finished = (): void => {
    if (running) activity.end(running);
    running = undefined;
  };
  const options = {
    onPlan: (steps: readonly { revision: { id: string } }[]) => {
      total = steps.length;
      steps.forEach((s, i) => place.set(s.revision.id, i + 1));
    },
    onStepStart: (s: { direction: 'up' | 'down'; revision: { id: string } }) => {
      // In one transaction for the whole run, a revision is done once the next one starts.
      finished();
      running = `${s.direction === 'up' ? 'applying' : 'reverting'} ${s.revision.id} [${place.get(s.revision.id) ?? done + 1}/${total}]`;
      activity.start(running);
    },
    onStep: (s: StepResult) => {
      finished();
      done += 1;
      if (!o.json) out(stepLine(s, { n: done, of: total }));
    },
    onNotice,
    singleTransaction: o.singleTransaction,
    lockTimeout: o.lockTimeout,
  };
  const result = direction === 'up' ? await (await load.migrate()).upgrade(p, target, options) : await (await load.migrate()).downgrade(p, target!, options);
  if (o.json) return json(result);
  if (result.steps.length === 0) out(`Nothing to do: the database is at ${result.to.join(', ') || 'base'}.`);
  else out(`Database is now at ${c.bold(result.to.join(', ') || 'base')}.`);
}

/** Adds the commands that run revisions: migrate, upgrade, downgrade. */
function addRunCommands(cli: Cli): void {
  const { program } = cli;
  const move = (direction: 'up' | 'down') => moveAction(cli, direction);
  program
    .command('migrate')
    .description('apply revisions up to the target (default: heads, unless several are left unmerged)')
    .argument('[target]', 'revision, head, heads, +N (default: heads)')
    .option('--sql', 'print the SQL instead of running it (target may be start:end)')
    .option('--single-transaction', 'run all revisions in one transaction')
    .option('--lock-timeout <duration>', 'how long a statement may wait for a table lock, e.g. 5s (default: the config\'s lockTimeout)', lockTimeout)
    .option('--json', 'print the run as one JSON document: steps with their durations, heads before and after (with --all: per target)')
    .action(move('up'));
  program
    .command('upgrade')
    .description('apply revisions up to the target')
    .argument('<target>', 'revision, head, heads, +N')
    .option('--sql', 'print the SQL instead of running it (target may be start:end)')
    .option('--single-transaction', 'run all revisions in one transaction')
    .option('--lock-timeout <duration>', 'how long a statement may wait for a table lock, e.g. 5s (default: the config\'s lockTimeout)', lockTimeout)
    .option('--json', 'print the run as one JSON document: steps with their durations, heads before and after (with --all: per target)')
    .action(move('up'));
  program
    .command('downgrade')
    .description('revert revisions down to the target')
    .argument('<target>', 'revision, -N, base')
    .option('--sql', 'print the SQL instead of running it (target must be start:end)')
    .option('--single-transaction', 'run all revisions in one transaction')
    .option('--lock-timeout <duration>', 'how long a statement may wait for a table lock, e.g. 5s (default: the config\'s lockTimeout)', lockTimeout)
    .option('--json', 'print the run as one JSON document: steps with their durations, heads before and after (with --all: per target)')
    .action(move('down'));
}

/** Adds the commands that show where the files and the database stand: current, heads, branches. */
function addHeadCommands(cli: Cli): void {
  const { program, project } = cli;
  program
    .command('current')
    .description('show the revision(s) the database is at')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const revs = await (await load.inspect()).current(await project());
      if (o.json) return json(revs.map((r) => r.id));
      if (revs.length === 0) return out('(base): no revisions applied');
      for (const r of revs) out(`${label(r)}${r.message ? `  ${r.message}` : ''}`);
    });

  program
    .command('heads')
    .description('show the head revisions of the version files')
    .option('--resolve-dependencies', 'leave out heads that another revision depends on')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean; resolveDependencies?: boolean }) => {
      const revs = (await load.inspect()).heads(await project(), { resolveDependencies: o.resolveDependencies });
      if (o.json) return json(revs);
      for (const r of revs) out(`${label(r)}${r.message ? `  ${r.message}` : ''}`);
    });

  program
    .command('branches')
    .description('show branch points: revisions with more than one child')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const points = (await load.inspect()).branches(await project());
      if (o.json) return json(points);
      if (points.length === 0) return out('(no branch points)');
      for (const b of points) {
        out(`${label(b)}${b.message ? `  ${b.message}` : ''}`);
        for (const c of b.children) out(`  -> ${label(c)}${c.message ? `  ${c.message}` : ''}`);
      }
    });
}

/** Adds `history`: revisions newest first, or drawn as a graph. */
function addHistory(cli: Cli): void {
  const { program, project } = cli;
  program
    .command('history')
    .description('list revisions, newest first')
    .option('-r, --rev-range <range>', 'only revisions in a:b')
    .option('-i, --indicate-current', 'mark the revisions the database is at (with --graph: o for a revision not applied)')
    .option('--graph', 'draw the revision graph: branches, merges, labels')
    .option('--json', 'print JSON')
    .action(async (o: { revRange?: string; json?: boolean; indicateCurrent?: boolean; graph?: boolean }) => {
      const p = await project();
      const revs = (await load.inspect()).history(p, o.revRange);
      // A row that is the last revision a squash replaces stands for the squash.
      const rows = o.indicateCurrent ? await (await load.inspect()).appliedHeads(p) : [];
      const current = rows.map((h) => {
        const squash = p.graph.replacedBy(h);
        return squash && squash.replaces!.at(-1) === h ? squash.id : h;
      });
      if (o.json) return json(o.indicateCurrent ? revs.map((r) => ({ ...r, isCurrent: current.includes(r.id) })) : revs);
      if (o.graph) {
        const { drawGraph } = await import('../revisions/graph.js');
        const byId = new Map(revs.map((r) => [r.id, r]));
        const applied = o.indicateCurrent ? p.graph.ancestors(current) : undefined;
        const lines = drawGraph(p.graph, {
          // Replaced revisions are left out: their squash stands for them.
          only: new Set([...byId.keys()].filter((id) => p.graph.get(id))),
          describe: (r) => {
            const info = byId.get(r.id)!;
            const text = label(info, current);
            return `${current.includes(r.id) ? c.green(text) : info.isHead ? c.yellow(text) : text}${info.message ? `  ${info.message}` : ''}`;
          },
          mark: (r) => (!applied || applied.has(r.id) ? '*' : 'o'),
        });
        for (const line of lines) out(line);
        return;
      }
      for (const r of revs) out(`${r.downRevisions.join(', ') || '<base>'} -> ${label(r, current)}${r.message ? `, ${r.message}` : ''}`);
    });
}

/** Adds the commands that show revisions: graph, show, showmigrations. */
function addRevisionViews(cli: Cli): void {
  const { program, cwd, project } = cli;
  program
    .command('graph')
    .description('write the revision graph as a Mermaid flowchart or a Graphviz DOT digraph, for pull requests and docs; needs no database')
    .option('--format <format>', 'mermaid, dot or text', 'mermaid')
    .action(async (o: { format: string }) => {
      const g = (await project()).graph;
      const { drawGraph, dotGraph, mermaidGraph } = await import('../revisions/graph.js');
      if (o.format === 'mermaid') return void process.stdout.write(mermaidGraph(g));
      if (o.format === 'dot') return void process.stdout.write(dotGraph(g));
      if (o.format === 'text') return drawGraph(g).forEach((line) => out(line));
      throw new MigratorError(`--format must be mermaid, dot or text, not ${JSON.stringify(o.format)}`);
    });

  program
    .command('show')
    .description('show one revision')
    .argument('<revision>', 'revision id, prefix, head')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      const r = (await load.inspect()).show(await project(), ref);
      if (o.json) return json({ ...r, path: r.path ? path.relative(cwd, r.path) : null });
      out(`Rev: ${label(r)}`);
      out(`Parent: ${r.downRevisions.join(', ') || '<base>'}`);
      if (r.branchLabels.length) out(`Branch names: ${r.branchLabels.join(', ')}`);
      if (r.dependsOn.length) out(`Also depends on: ${r.dependsOn.join(', ')}`);
      if (r.replaces.length) out(`Replaces: ${r.replaces.join(', ')}`);
      out(`Path: ${r.path ? path.relative(cwd, r.path) : '?'}`);
      if (r.message) out(`\n    ${r.message}`);
    });

  program
    .command('showmigrations')
    .description('list revisions, oldest first, [X] where applied')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const revs = await (await load.inspect()).showmigrations(await project());
      if (o.json) return json(revs);
      if (revs.length === 0) return out('(no revisions)');
      // Oldest first; a revision that does not follow the line above says where it branches from.
      let previous: string | undefined;
      for (const r of revs) {
        const from = r.downRevisions.length && !(r.downRevisions.length === 1 && r.downRevisions[0] === previous) ? `  <- ${r.downRevisions.join(' + ')}` : '';
        out(`[${r.applied ? 'X' : ' '}] ${label(r)}${r.message ? `  ${r.message}` : ''}${from}`);
        previous = r.id;
      }
    });
}

/** Adds `stamp`: the version table set without running revisions. */
function addStamp(cli: Cli): void {
  const { program, project, onNotice } = cli;
  program
    .command('stamp')
    .description('set the version table to the target(s) without running revisions')
    .argument('<targets...>', 'revision(s), heads, base')
    .option('--purge', 'empty the version table first')
    .option('--sql', 'print the SQL instead of running it (from an empty version table)')
    .option('--json', 'print the result as one JSON document')
    .action(async (targets: string[], o: { purge?: boolean; sql?: boolean; json?: boolean } & FleetFlags) => {
      checkFleetFlags(o);
      if (o.all) {
        const m = await load.migrate();
        const failed = await fleetMove(
          await project(),
          o,
          { doing: 'Stamping', done: 'stamped' },
          async (tp, t, progress) => void Object.assign(progress, await m.stamp(tp, targets, { purge: o.purge, onNotice: (line) => onNotice(`${t.name}: ${line}`) })),
          out,
        );
        if (failed) process.exitCode = EXIT_ERROR;
        return;
      }
      if (o.sql) {
        const sql = (await load.migrate()).stampSql(await project(), targets, { purge: o.purge });
        return o.json ? json({ sql }) : void process.stdout.write(sql);
      }
      const r = await (await load.migrate()).stamp(await project(), targets, { purge: o.purge, onNotice });
      if (o.json) return json(r);
      out(`Stamped ${r.from.join(', ') || 'base'} -> ${r.to.join(', ') || 'base'}`);
    });
}

/** Adds the commands about the database's records: log, repair, status. */
function addDatabaseRecords(cli: Cli): void {
  const { program, cwd, project, onNotice } = cli;
  program
    .command('log')
    .description('list the steps run on the database (applied, reverted, stamped, repaired), newest first')
    .option('-n, --limit <count>', 'only the newest rows', (v: string) => {
      if (!/^\d+$/.test(v)) throw new MigratorError(`--limit must be a whole number, not ${JSON.stringify(v)}`);
      return Number(v);
    })
    .option('--json', 'print JSON')
    .action(async (o: { limit?: number; json?: boolean }) => {
      const rows = await (await load.history()).log(await project(), { limit: o.limit });
      if (o.json) return json(rows);
      if (rows.length === 0) return out('(no history: nothing has run since the history table was created)');
      const { shownTime } = await import('../runner/history.js');
      for (const r of rows) {
        const took = r.durationMs === null ? '' : `  ${(r.durationMs / 1000).toFixed(3)} s`;
        out(`${shownTime(r.finishedAt)}  ${r.direction.padEnd(6)}  ${r.revision}${took}  ${r.appliedBy}@${r.host}  checksum ${r.checksum ? r.checksum.slice(0, 12) : '-'}  migrator ${r.migratorVersion}`);
      }
    });

  program
    .command('repair')
    .description('record the current checksums of applied revision files after a deliberate edit')
    .argument('[revisions...]', 'the revisions to record (default: every applied revision whose file changed)')
    .option('--json', 'print the result as one JSON document')
    .action(async (refs: string[], o: { json?: boolean }) => {
      const repaired = await (await load.history()).repair(await project(), refs, { onNotice });
      if (o.json) return json({ repaired: repaired.map((r) => ({ ...r, file: path.relative(cwd, r.file) || r.file })) });
      if (repaired.length === 0) return out('Nothing to repair: every applied revision file matches its recorded checksum.');
      for (const r of repaired) out(`Recorded ${r.revision} (${path.relative(cwd, r.file) || r.file}): checksum ${r.from ? r.from.slice(0, 12) : '(none)'} -> ${r.to.slice(0, 12)}`);
    });

  program
    .command('status')
    .description('where the database is: heads, pending revisions, changed files, drift from the models; exit 0 when up to date, 1 when not')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean } & FleetFlags) => {
      checkFleetFlags(o);
      if (o.all) {
        const r = await fleetStatus(await project(), o, out);
        process.exitCode = r.failed ? EXIT_ERROR : r.behind ? EXIT_DIFFERENCES : 0;
        return;
      }
      const s = await (await load.history()).status(await project());
      if (!s.upToDate) process.exitCode = EXIT_DIFFERENCES;
      if (o.json) return json({ ...s, pending: s.pending.map((p) => ({ ...p, file: p.file && (path.relative(cwd, p.file) || p.file) })) });
      out(`Database: ${s.database}`);
      out(`Current: ${s.current.join(', ') || 'base (no revisions applied)'}`);
      out(`Head: ${s.heads.join(', ') || '(no revisions)'}`);
      for (const u of s.unknownRevisions) out(`! the database is at ${u}, which no revision file defines`);
      for (const h of s.halfway) out(`! ${h.message}`);
      if (s.pending.length) {
        out(`Pending: ${count(s.pending.length, 'revision')}`);
        for (const p of s.pending) out(`  ${p.revision}${p.message ? `  ${p.message}` : ''}`);
      }
      const { shownTime } = await import('../runner/history.js');
      for (const m of s.checksumMismatches) {
        out(`! ${m.revision} (${m.file ? path.relative(cwd, m.file) : 'no file'}) ${m.current ? 'changed' : 'is gone'} since it was applied on ${shownTime(m.appliedAt)}`);
      }
      if (s.drift) {
        for (const t of s.drift.missingTables) out(`! table ${t} is in the models, not in the database`);
        for (const t of s.drift.extraTables) out(`! table ${t} is in the database, in no model`);
        for (const t of s.drift.changedTables) for (const c of t.changes) out(`! ${c}`);
      }
      out(s.upToDate ? c.green('Up to date.') : c.yellow(s.needsMigration ? 'Needs migration: run `migrator migrate`.' : 'Not up to date.'));
    });
}

/** Adds the commands that check revisions and models: sqlmigrate, check, lint, verify. */
function addCheckers(cli: Cli): void {
  const { program, cwd, project } = cli;
  program
    .command('sqlmigrate')
    .description('print the SQL of one revision; never connects (the database URL picks the dialect)')
    .argument('<revision>', 'revision id or prefix')
    .option('--downgrade', 'the SQL of its downgrade')
    .option('--json', 'print the SQL as one JSON document')
    .action(async (ref: string, o: { downgrade?: boolean; json?: boolean }) => {
      const sql = await (await load.generate()).sqlmigrate(await project(), ref, { downgrade: o.downgrade });
      if (o.json) return json({ revision: ref, direction: o.downgrade ? 'down' : 'up', sql });
      process.stdout.write(sql);
    });

  program
    .command('check')
    .description('exit 0 when models, database and revisions agree; otherwise 1 and a diff')
    .option('--json', 'print the differences as one JSON document')
    .action(async (o: { json?: boolean } & FleetFlags) => {
      checkFleetFlags(o);
      if (o.all) {
        const r = await fleetCheck(await project(), o, out);
        process.exitCode = r.failed ? EXIT_ERROR : r.differs ? EXIT_DIFFERENCES : 0;
        return;
      }
      const r = await (await load.generate()).check(await project());
      if (!r.clean) process.exitCode = EXIT_DIFFERENCES;
      if (o.json) return json({ clean: r.clean, problems: r.problems, differences: r.differences, notices: r.notices, diff: r.diff });
      for (const line of r.notices) out(line);
      if (r.clean) return out(c.green('No changes detected: models, database and revisions agree.'));
      for (const p of r.problems) warn(`! ${p}`);
      if (r.operations.length) {
        out('Models and database differ:');
        for (const op of r.operations) out(`  - ${op}`);
        out();
        process.stdout.write(colouredDiff(r.diff));
      }
    });

  program
    .command('lint')
    .description('flag revisions that destroy data, break running code, fail on existing rows or lock a live PostgreSQL')
    .argument('[range]', 'a:b (both included), a revision or heads; default: the revisions the database has not applied, or without one the heads')
    .option('--offline', 'leave the database alone: the default range is the heads, and no rows are counted')
    .option('--json', 'print the findings as a JSON array')
    .action(async (range: string | undefined, o: { offline?: boolean; json?: boolean }) => {
      const r = await (await load.lint()).lint(await project(), { range, offline: o.offline });
      const errors = r.findings.filter((f) => f.level === 'error').length;
      if (errors) process.exitCode = EXIT_DIFFERENCES;
      const findings = r.findings.map((f) => ({ ...f, file: path.relative(cwd, f.file) || f.file }));
      if (o.json) return json(findings);
      if (r.revisions.length === 0) return out(`No revisions to lint (${r.scope}).`);
      for (const f of findings) out(`${f.file}${f.line !== null ? `:${f.line}` : ''}  ${f.level}  ${f.code}  ${f.message}`);
      const warnings = r.findings.length - errors;
      const found = r.findings.length ? [errors ? count(errors, 'error') : '', warnings ? count(warnings, 'warning') : ''].filter(Boolean).join(', ') : 'No findings';
      out(`${found} in ${count(r.revisions.length, 'revision')} (${r.scope})${r.ignored ? `; ${r.ignored} ignored by comments` : ''}.`);
    });

  program
    .command('verify')
    .description("prove on a scratch database that each revision's downgrade undoes its upgrade, and that the revisions build the models' schema")
    .argument('[range]', 'a:b, a: or :b, both ends included (as history -r); default: every revision')
    .option('--scratch-url <url>', 'an empty database to verify on instead of a temporary one; emptied again afterwards')
    .option('--json', 'print the result as one JSON document')
    .action(async (range: string | undefined, o: { scratchUrl?: string; json?: boolean }) => {
      const rel = (f: string | undefined): string | undefined => (f === undefined ? undefined : path.relative(cwd, f) || f);
      const onRevision = o.json ? undefined : (v: RevisionVerdict) => verdictLines(v, rel(v.file)).forEach((line) => out(line));
      const r = await (await load.verify()).verify(await project(), { range, scratchUrl: o.scratchUrl, cwd, onRevision });
      if (!r.ok) process.exitCode = EXIT_DIFFERENCES;
      if (o.json) return json({ ...r, revisions: r.revisions.map((v) => ({ ...v, ...(v.file ? { file: rel(v.file) } : {}) })) });
      for (const line of verifySummary(r)) out(line);
    });
}

/** --all, --parallel and the rest on the commands that run over the config's targets. */
function addFleetOptions(program: Command): void {
  for (const name of ['migrate', 'upgrade', 'downgrade', 'stamp']) fleetOptions(program.commands.find((cmd) => cmd.name() === name)!, 'run');
  for (const name of ['status', 'check']) fleetOptions(program.commands.find((cmd) => cmd.name() === name)!, 'read');
}

export function buildProgram(cwd: string): Command {
  const program = newProgram();
  const cli: Cli = {
    program,
    cwd,
    project: async (): Promise<Project> => {
      const g = program.opts<GlobalOptions>();
      return Project.load({ cwd, config: g.config, database: g.database });
    },
    // Waits and retries go to stderr: stdout stays the record of what was done.
    onNotice: (line: string): void => void process.stderr.write(redact(`${line}\n`)),
  };
  // In the order `migrator --help` lists them.
  addInit(cli);
  addRevisionWriters(cli);
  addRunCommands(cli);
  addHeadCommands(cli);
  addHistory(cli);
  addRevisionViews(cli);
  addStamp(cli);
  addDatabaseRecords(cli);
  addCheckers(cli);
  addFleetOptions(program);
  return program;
}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  const program = buildProgram(cwd);
  const verbose = argv.includes('--verbose');
  jsonErrors = argv.includes('--json');
  activity.listen();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    activity.stop();
    if (error instanceof CommanderError) {
      // commander has printed its own message (kept, with --json); help and version are not errors.
      if (error.exitCode === 0) return 0;
      if (jsonErrors) process.stderr.write(`${JSON.stringify({ error: { code: 'USAGE', message: (commanderMessage.trim() || error.message).replace(/^error: /, '') } })}\n`);
      return EXIT_ERROR;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (jsonErrors) {
      const data = errorData(error);
      const details = diagnosticLines(error).map((l) => l.trim());
      process.stderr.write(redact(`${JSON.stringify({ error: { code: errorCode(error), message, ...(data ? { data } : {}), ...(details.length ? { details } : {}) } })}\n`));
      return EXIT_ERROR;
    }
    // Under the one line, what the database said about a statement it refused (psql's LINE with
    // a caret, DETAIL, HINT, QUERY, CONTEXT). Every line passes through redaction: a driver
    // message or a stack trace may echo a password.
    const lines = [`${colours.err.red('error:')} ${message.split('\n').join('\n  ')}`, ...diagnosticLines(error)];
    process.stderr.write(redact(`${lines.join('\n')}\n`));
    if (verbose && error instanceof Error) {
      process.stderr.write(redact(`${error.stack ?? ''}\n`));
      for (const later of suppressedOf(error)) process.stderr.write(redact(`while cleaning up after it: ${later instanceof Error ? (later.stack ?? later.message) : String(later)}\n`));
    }
    else if (!(error instanceof MigratorError)) process.stderr.write('  (run with --verbose for details)\n');
    return EXIT_ERROR;
  }
}

// Output piped into `head` and the like: a closed pipe ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then((code) => {
  activity.stop();
  process.exitCode = code;
});
