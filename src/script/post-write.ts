/**
 * The config's `postWrite` commands (Alembic's `post_write_hooks`): each is run on a revision
 * file just written, with the file's path appended — `prettier --write` formats it. Commands
 * run without a shell, from the config's folder, with its node_modules/.bin on the PATH as npm
 * scripts have it. A failing command is an error naming it and what it printed; the revision
 * file stays written.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { MigratorError } from '../errors.js';

/**
 * A command line split into words as a shell would for simple cases: spaces separate, and
 * '…' or "…" quote (with \ escaping inside "…" and outside quotes). No variables, globs or pipes.
 */
export function splitCommand(command: string, where: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < command.length && (quote === '"' ? '"\\$`'.includes(command[i + 1]) : true)) {
      word = (word ?? '') + command[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) throw new MigratorError(`${where}: the command ${JSON.stringify(command)} has an unclosed ${quote} quote`);
  if (word !== undefined) words.push(word);
  if (words.length === 0) throw new MigratorError(`${where}: a command is empty; write one such as 'prettier --write'`);
  return words;
}

/** Runs each command on `file` in turn, from `dir`; throws at the first that fails. */
export function runPostWrite(commands: readonly string[], file: string, dir: string, configFile = 'migrator.config.ts'): void {
  const shown = path.relative(dir, file) || file;
  for (const command of commands) {
    const [program, ...args] = splitCommand(command, `${configFile}: "postWrite"`);
    const bin = path.join(dir, 'node_modules', '.bin');
    const r = spawnSync(program, [...args, file], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    const how = r.error
      ? (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${program} was not found (install it, or fix "postWrite" in ${configFile})`
        : r.error.message
      : r.signal
        ? `killed by ${r.signal}`
        : r.status !== 0
          ? `exit ${r.status}`
          : undefined;
    if (how === undefined) continue;
    throw new MigratorError(
      `postWrite command \`${command}\` failed on ${shown}: ${how}; the revision file is written as generated — fix the command in ${configFile}, or run it on the file yourself${output ? `\n${output}` : ''}`,
    );
  }
}
