/**
 * Answering autogenerate's rename questions: hints in the models and `--rename` first, then
 * `--no-rename` for the rest, or a question per candidate on a terminal. Without a terminal and
 * without answers it never waits: it refuses, naming each candidate and how to answer it.
 */
import type { CompareOptions } from '../diff/compare.js';
import {
  chooseRenames,
  hintedRenames,
  isRuledOut,
  operationsWithRenames,
  parseRename,
  renameCandidates,
  renameFlag,
  renameNew,
  renameOld,
  type RenameCandidate,
  type StatedRename,
} from '../diff/renames.js';
import { MigratorError } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import type { Schema } from '../schema/schema.js';

/** How rename candidates are answered. */
export interface RenameAnswers {
  /** `--rename` values: `table.old=new` for a column, `old_table=new_table` for a table. */
  rename?: string[];
  /** `--no-rename`: every candidate not answered otherwise is dropped and created. */
  noRename?: boolean;
  /** Asks a yes/no question on a terminal; resolves undefined when no answer can come (input closed). */
  ask?: (question: string) => Promise<boolean | undefined>;
}

/** `Was posts.authorName renamed to posts.commenterName (a varchar(100) column)? [y/N]` */
export function renameQuestion(c: RenameCandidate): string {
  if (c.kind === 'table') return `Was table ${c.from} renamed to ${c.to} (the same ${c.columns.length} column${c.columns.length === 1 ? '' : 's'})? [y/N]`;
  return `Was ${renameOld(c)} renamed to ${renameNew(c)} (a ${c.type} column)? [y/N]`;
}

/** Both ways to answer a candidate without a terminal. */
function howToAnswer(c: RenameCandidate): string {
  const loss = c.kind === 'table' ? "drop and create (the table's rows are lost)" : "drop and add (the column's data is lost)";
  return `answer with --rename ${renameFlag(c)}, or --no-rename to ${loss}`;
}

/**
 * The operations of a revision once its rename candidates are answered: `ops` as the differ gave
 * them when no rename is chosen, else the renames and the diff of what is left.
 */
export async function answerRenames(ops: Operation[], database: Schema, models: Schema, options: CompareOptions, answers: RenameAnswers = {}): Promise<Operation[]> {
  const candidates = renameCandidates(ops, options);
  const flags: StatedRename[] = (answers.rename ?? []).map((text) => ({ rename: parseRename(text), source: `--rename ${text}`, mustMatch: true }));
  const { chosen, open } = chooseRenames(candidates, [...hintedRenames(ops, candidates), ...flags]);
  if (open.length && !answers.noRename) {
    if (!answers.ask) throw new MigratorError(open.map((c) => `${renameOld(c)} → ${renameNew(c)} may be a rename; ${howToAnswer(c)}`).join('; '));
    for (const c of open) {
      // A yes to an earlier candidate rules out the others sharing its table or column.
      if (isRuledOut(c, chosen)) continue;
      const yes = await answers.ask(renameQuestion(c));
      if (yes === undefined) throw new MigratorError(`no answer whether ${renameOld(c)} → ${renameNew(c)} is a rename (the input was closed or interrupted); ${howToAnswer(c)}`);
      if (yes) chosen.push(c);
    }
  }
  return chosen.length ? operationsWithRenames(database, models, chosen, options) : ops;
}
