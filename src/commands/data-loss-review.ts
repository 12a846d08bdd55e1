/**
 * Before a revision is written: the counts of what its operations would destroy or fail on, taken
 * from the live database, and the user's consent — a question on a terminal, `--accept-data-loss`
 * elsewhere. Without either, nothing is written.
 */
import { dataLossProbes, unevaluatedFinding, type Finding, type Probe } from '../diff/data-loss.js';
import type { Connection } from '../dialects/dialect.js';
import { MigratorError, messageOf } from '../errors.js';
import type { Operation } from '../operations/operation.js';
import type { Project } from '../project.js';
import type { Schema } from '../schema/schema.js';

export interface DataLossOptions {
  /** Write the revision whatever it would destroy or fail on (`--accept-data-loss`). */
  acceptDataLoss?: boolean;
  /**
   * Asks the user whether to write it anyway (on a terminal); resolves to the answer. Without it
   * (no terminal), findings refuse the revision unless `acceptDataLoss`.
   */
  confirm?: (findings: readonly Finding[]) => Promise<boolean>;
}

export interface DataLossReview {
  /** Every finding, in operation order. */
  findings: Finding[];
  /** Whether the user was asked (and so has seen the findings). */
  asked: boolean;
  /** Comment lines for the revision file, by operation position. */
  comments: string[][];
}

const ROLLBACK = Symbol('rollback');

/**
 * One count. The query may hold a model's text (a CHECK expression, an index predicate, a type):
 * it runs in a read-only transaction that is rolled back, and a text holding a semicolon — the
 * only way to a second statement — is never sent.
 */
async function countRows(conn: Connection, probe: Probe): Promise<{ n: number; detail?: string }> {
  if (probe.sql.includes(';')) throw new Error('the text holds a semicolon, which is never sent to the database');
  let row: { n?: unknown; detail?: unknown } | undefined;
  try {
    await conn.transaction(async () => {
      row = (await conn.query<{ n: unknown; detail?: unknown }>(probe.sql))[0];
      throw ROLLBACK;
    }, { readOnly: true });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return { n: Number(row?.n ?? 0), ...(typeof row?.detail === 'string' ? { detail: row.detail } : {}) };
}

/** The findings of `ops` against the database's rows, consented to; throws when they are not. */
export async function reviewDataLoss(project: Project, database: Schema, ops: readonly Operation[], options: DataLossOptions): Promise<DataLossReview> {
  const dialect = project.dialect;
  const probes = dataLossProbes(ops, database, {
    dialect: dialect.name,
    quoteIdentifier: dialect.quoteIdentifier,
    quoteLiteral: dialect.quoteLiteral,
    normalizeType: dialect.compareOptions.normalizeType,
    valueSql: dialect.valueSql,
    implicitDefaults: dialect.capabilities.implicitDefaults,
  });
  const findings: Finding[] = [];
  if (probes.length) {
    await project.withConnection(async (conn) => {
      for (const probe of probes) {
        try {
          const { n, detail } = await countRows(conn, probe);
          if (n > 0) findings.push(probe.finding(n, detail));
        } catch (error) {
          // A lost connection is not a finding; anything the database refused to count is.
          if (conn.lost) throw error;
          findings.push(unevaluatedFinding(probe, messageOf(error)));
        }
      }
    }, { readOnly: true });
  }
  const blocking = findings.filter((f) => f.kind !== 'unevaluated');
  let asked = false;
  if (blocking.length && !options.acceptDataLoss) {
    if (!options.confirm) {
      throw new MigratorError(
        `this revision would lose data or fail at migrate: ${blocking.map((f) => `${f.kind}: ${f.text}`).join('; ')}; nothing was written. ` +
          'Pass --accept-data-loss to generate it anyway (on a terminal you are asked instead)',
        { code: 'DATA_LOSS' },
      );
    }
    asked = true;
    if (!(await options.confirm(findings))) throw new MigratorError('not generated: the answer was no; nothing was written', { code: 'DATA_LOSS' });
  }
  const comments: string[][] = ops.map(() => []);
  for (const f of findings) if (f.comment) comments[f.operation].push(f.comment);
  return { findings, asked, comments };
}
