/**
 * Moving a database between revisions: online (each revision and its version-table change in one
 * transaction, under the dialect's lock) or offline (the same SQL as text, for `--sql`).
 */
import { StatementError, type Connection, type Dialect } from '../dialects/dialect.js';
import { MigratorError, messageOf } from '../errors.js';
import { applyOperations } from '../operations/apply.js';
import type { Operation } from '../operations/operation.js';
import type { HeadChange, RevisionGraph, Step } from '../revisions/graph.js';
import type { Schema } from '../schema/schema.js';
import { recordRevision } from '../script/load.js';
import type { VersionTable } from './version-table.js';

export interface PlannedStep {
  step: Step;
  changes: HeadChange[];
}

export interface StepResult {
  direction: 'up' | 'down';
  revision: string;
  message?: string;
  statements: number;
}

function stepLabel(step: Step): string {
  const r = step.revision;
  const from = step.direction === 'up' ? r.downRevisions.join(', ') || '<base>' : r.id;
  const to = step.direction === 'up' ? r.id : r.downRevisions.join(', ') || '<base>';
  return `${step.direction === 'up' ? 'upgrade' : 'downgrade'} ${from} -> ${to}`;
}

/** The steps to move from the version table's heads to `target`. */
export function plan(graph: RevisionGraph, direction: 'up' | 'down', current: string[], target: string): PlannedStep[] {
  const targets = graph.resolveTarget(target, current);
  return direction === 'up' ? graph.upgradePlan(current, targets) : graph.downgradePlan(current, targets);
}

/** Applies planned steps online, one transaction per revision. */
export async function runSteps(conn: Connection, versions: VersionTable, steps: readonly PlannedStep[], onStep?: (r: StepResult) => void): Promise<StepResult[]> {
  const dialect = conn.dialect;
  const results: StepResult[] = [];
  let versionTableReady = false;
  for (const { step, changes } of steps) {
    const ops = await recordRevision(step.revision, step.direction);
    const schema: Schema = dialect.needsSchema(ops) ? await conn.introspect({ exclude: [versions.name] }) : { tables: [] };
    const compiled = compileFor(dialect, ops, schema, step);
    // The version table is created with the first revision, so a failed run leaves nothing behind.
    const statements = [...(versionTableReady ? [] : [versions.createSql()]), ...compiled.statements];
    const versionSql = changes.map((c) => versions.changeSql(c));
    try {
      await conn.transaction(
        async () => {
          const counts = await conn.runAll([...statements, ...versionSql]);
          versions.checkCounts(changes, counts.slice(counts.length - versionSql.length));
        },
        { foreignKeysOff: compiled.foreignKeysOff },
      );
    } catch (error) {
      const failed = error instanceof StatementError && error.statement === undefined ? await locateFailure(conn, [...statements, ...versionSql], compiled.foreignKeysOff) : error;
      const where = `revision ${step.revision.id} (${step.revision.path ?? 'unknown file'})`;
      const detail = failed instanceof StatementError && failed.statement ? `${failed.message} (in statement: ${abbreviate(failed.statement)})` : messageOf(failed);
      throw new MigratorError(`${stepLabel(step)} failed; ${where} was rolled back: ${detail}`, { cause: error });
    }
    versionTableReady = true;
    const result = { direction: step.direction, revision: step.revision.id, message: step.revision.message, statements: compiled.statements.length };
    results.push(result);
    onStep?.(result);
  }
  return results;
}

/**
 * Which statement of a batch that failed as a whole was the culprit: the statements run again
 * one by one in a transaction that is always rolled back.
 */
async function locateFailure(conn: Connection, statements: readonly string[], foreignKeysOff: boolean): Promise<unknown> {
  const rollback = new Error('rollback');
  let found: unknown = rollback;
  await conn
    .transaction(
      async () => {
        for (const sql of statements) {
          try {
            await conn.runAll([sql]);
          } catch (error) {
            found = error instanceof StatementError ? new StatementError(sql, error.cause) : error;
            break;
          }
        }
        throw rollback;
      },
      { foreignKeysOff },
    )
    .catch(() => undefined);
  return found === rollback ? new Error('the batch failed, and running it statement by statement did not') : found;
}

function abbreviate(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

function compileFor(dialect: Dialect, ops: readonly Operation[], schema: Schema, step: Step) {
  try {
    return dialect.compile(ops, schema);
  } catch (error) {
    throw new MigratorError(`revision ${step.revision.id} (${step.revision.path ?? 'unknown file'}): ${messageOf(error)}`, { cause: error });
  }
}

/**
 * The schema the revisions below `heads` build, replayed in memory from their operations (for
 * offline SQL that needs a table's shape). Raw SQL (`op.execute`) is not replayed.
 */
export async function replaySchema(graph: RevisionGraph, heads: readonly string[]): Promise<Schema> {
  const schema: Schema = { tables: [] };
  for (const r of graph.topological(graph.ancestors(heads))) {
    applyOperations(schema, await recordRevision(r, 'up'));
  }
  return schema;
}

/** Offline SQL for planned steps: what an online run would execute, as a script. */
export async function renderSteps(
  dialect: Dialect,
  versions: VersionTable,
  graph: RevisionGraph,
  steps: readonly PlannedStep[],
  options: { startHeads: readonly string[]; createVersionTable: boolean },
): Promise<string> {
  const out: string[] = [];
  if (options.createVersionTable) out.push(`${versions.createSql()};`, '');
  let schema: Schema | undefined;
  for (const { step, changes } of steps) {
    const ops = await recordRevision(step.revision, step.direction);
    if (!schema && dialect.needsSchema(ops)) {
      // The schema just before this step: replayed from the start heads, then the steps so far.
      schema = await replaySchema(graph, options.startHeads);
      for (const prior of steps) {
        if (prior.step === step) break;
        applyOperations(schema, await recordRevision(prior.step.revision, prior.step.direction));
      }
    }
    const compiled = compileFor(dialect, ops, schema ?? { tables: [] }, step);
    out.push(`-- Running ${stepLabel(step)}`);
    if (step.revision.message) out.push(`-- ${step.revision.message}`);
    const fk = compiled.foreignKeysOff ? dialect.foreignKeysOffScript : { before: [], beforeCommit: [], after: [] };
    const statement = (sql: string): string => `${sql.trimEnd().replace(/;$/, '')};`;
    out.push(...fk.before.map(statement));
    if (dialect.capabilities.transactionalDdl) out.push('BEGIN;');
    out.push(...compiled.statements.map(statement));
    out.push(...changes.map((change) => statement(versions.changeSql(change))));
    out.push(...fk.beforeCommit.map(statement));
    if (dialect.capabilities.transactionalDdl) out.push('COMMIT;');
    out.push(...fk.after.map(statement));
    out.push('');
    if (schema) applyOperations(schema, ops);
  }
  return out.join('\n');
}
