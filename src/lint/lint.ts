/**
 * Running the lint rules: over one revision's operations (pure), over the revisions of a range
 * (loading each file, replaying the schema before it, applying ignore comments), and adding row
 * counts from a database to the findings whose harm depends on the rows there are.
 */
import type { Connection, Dialect } from '../dialects/dialect.js';
import { dialectNamed } from '../dialects/index.js';
import { applyOperation } from '../operations/apply.js';
import { describeOperation, type Operation } from '../operations/operation.js';
import type { Revision, RevisionGraph } from '../revisions/graph.js';
import { cloneSchema, findColumn, type Schema, type Table } from '../schema/schema.js';
import { recordRevisionCalls, type RecordedCalls } from '../script/load.js';
import { parseIgnores } from './ignores.js';
import { scanSql } from './raw-sql.js';
import { ALL_CODES, IGNORE_RULES, isNewTable, rulesFor, type LintContext, type LintLevel, type RuleFinding } from './rules.js';

/** A finding as printed and as `--json` gives it. */
export interface LintFinding {
  revision: string;
  /** The revision file (as the graph knows it: an absolute path). */
  file: string;
  line: number | null;
  /** The operation found at fault (for an ignore comment, the one it sits on), if any. */
  operation: string | null;
  code: string;
  level: LintLevel;
  /** The rule's reason with the finding's detail in parentheses (and the rows counted). */
  message: string;
  /** Rows counted in the database: the table's, or for add-not-null those holding NULL. */
  rows?: number;
}

/** What the rules found about one operation of a list. */
export interface OperationFinding extends RuleFinding {
  /** The operation's position in the list. */
  index: number;
  code: string;
  level: LintLevel;
  reason: string;
}

export interface LintOptions {
  /** The dialect's name: rules for another dialect do not run; none, only the common rules run. */
  dialect?: string;
  /** The schema before the first operation. */
  schema: Schema;
  normalizeType?: (type: string) => string;
}

/** Whether the rules read the schema for these operations: old column types, defaults and checks. */
function readsSchema(ops: readonly Operation[]): boolean {
  return ops.some((op) => op.kind === 'alterColumn' || op.kind === 'execute');
}

/** Applies what can be applied: raw SQL may have made tables the replay does not know. */
function replay(schema: Schema, op: Operation): void {
  try {
    applyOperation(schema, op);
  } catch {
    // Unknown to the replay: rules treat what is missing as unknown, not as absent.
  }
}

/** Runs every rule of the dialect over the operations of one revision, in order. */
export function lintOperations(ops: readonly Operation[], options: LintOptions): OperationFinding[] {
  const rules = rulesFor(options.dialect);
  const rewrites = options.dialect === undefined ? undefined : dialectNamed(options.dialect).tableRewrites;
  const schema = cloneSchema(options.schema);
  const newTables = new Set<string>();
  const newColumns = new Set<string>();
  const out: OperationFinding[] = [];
  ops.forEach((op, index) => {
    const statements = op.kind === 'execute' ? scanSql(op.sql) : [];
    const ctx: LintContext = {
      dialect: options.dialect,
      newTables,
      newColumns,
      schema,
      earlier: ops.slice(0, index),
      statements,
      normalizeType: options.normalizeType ?? ((t) => t),
      ...(rewrites ? { rewrites } : {}),
    };
    for (const rule of rules) {
      for (const f of rule.check(op, ctx)) out.push({ index, code: rule.code, level: rule.level, reason: rule.reason, ...f });
    }
    // What this operation creates is new for the ones after it.
    if (op.kind === 'createTable') newTables.add(op.table.name);
    if (op.kind === 'renameTable' && isNewTable(ctx, op.from)) newTables.add(op.to);
    if (op.kind === 'addColumn') newColumns.add(`${op.table}.${op.column.name}`);
    if (op.kind === 'renameColumn' && newColumns.has(`${op.table}.${op.from}`)) newColumns.add(`${op.table}.${op.to}`);
    for (const s of statements) {
      if (s.kind === 'createTable') newTables.add(s.table);
      if (s.kind === 'renameTable' && isNewTable(ctx, s.table)) newTables.add(s.to);
    }
    replay(schema, op);
  });
  return out;
}

/** A finding before rows are counted: what to count, if anything. */
export interface DraftFinding extends Omit<LintFinding, 'message' | 'rows'> {
  reason: string;
  detail: string;
  count?: RuleFinding['count'];
}

export interface RevisionInput {
  revision: Revision;
  recorded: RecordedCalls;
  /** The schema before the revision. */
  schema: Schema;
}

/** Lints one revision's upgrade and applies its ignore comments. */
export function lintRevision(input: RevisionInput, options: Omit<LintOptions, 'schema'>): { findings: DraftFinding[]; ignored: number } {
  const { revision, recorded } = input;
  const file = revision.path ?? revision.id;
  const lineOf = (index: number): number | null => recorded.lines[index] ?? null;
  const opAt = (line: number): string | null => {
    const i = recorded.operations.findIndex((_, k) => recorded.lines[k] === line);
    return i < 0 ? null : describeOperation(recorded.operations[i]);
  };
  const base = { revision: revision.id, file };
  const findings: DraftFinding[] = [];
  const silenced = new Map<number, Set<string>>();
  for (const ignore of parseIgnores(recorded.source)) {
    const where = { ...base, line: ignore.line, operation: opAt(ignore.covers) };
    const unknown = ignore.codes.filter((c) => !ALL_CODES.includes(c));
    if (ignore.codes.length === 0 || unknown.length) {
      const r = IGNORE_RULES.unknownCode;
      findings.push({ ...where, code: r.code, level: r.level, reason: r.reason, detail: ignore.codes.length ? unknown.join(', ') : 'no code given' });
    }
    if (!ignore.reason) {
      // Not honoured: the finding it meant to silence stays.
      const r = IGNORE_RULES.withoutReason;
      findings.push({ ...where, code: r.code, level: r.level, reason: r.reason, detail: `migrator-lint-ignore ${ignore.codes.join(', ')}`.trim() });
      continue;
    }
    const codes = silenced.get(ignore.covers) ?? new Set<string>();
    for (const c of ignore.codes) codes.add(c);
    silenced.set(ignore.covers, codes);
  }
  let ignored = 0;
  for (const f of lintOperations(recorded.operations, { ...options, schema: input.schema })) {
    const line = lineOf(f.index);
    if (line !== null && silenced.get(line)?.has(f.code)) {
      ignored++;
      continue;
    }
    findings.push({ ...base, line, operation: describeOperation(recorded.operations[f.index]), code: f.code, level: f.level, reason: f.reason, detail: f.detail, ...(f.count ? { count: f.count } : {}) });
  }
  // By line; operations called from the same line keep their order, unknown lines go last.
  findings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  return { findings, ignored };
}

export interface LintRangeOptions {
  /** Unknown (no database configured): only the rules common to all dialects run. */
  dialect?: Dialect;
  /** A database to count rows in, for the revisions it has not applied. */
  database?: { conn: Connection; applied: ReadonlySet<string>; exclude: string[] };
}

export interface LintReport {
  findings: LintFinding[];
  /** Findings silenced by ignore comments. */
  ignored: number;
}

/** Lints the upgrades of `revisions` (in graph order), each against the schema its ancestors build. */
export async function lintRevisions(graph: RevisionGraph, revisions: readonly Revision[], options: LintRangeOptions): Promise<LintReport> {
  const loaded = new Map<string, Promise<RecordedCalls>>();
  const load = (r: Revision): Promise<RecordedCalls> => {
    let p = loaded.get(r.id);
    if (!p) loaded.set(r.id, (p = recordRevisionCalls(r, 'up')));
    return p;
  };
  const db = options.database;
  let live: Promise<Schema> | undefined;
  const liveSchema = (conn: Connection, exclude: string[]): Promise<Schema> => (live ??= conn.introspect({ exclude }));
  const linted = new Set(revisions.map((r) => r.id));
  // Schemas are built only when a revision's rules read one: a revision that only adds tables,
  // columns or indexes (most of what makemigrations writes) costs no introspection or replay.
  const afterMemo = new Map<string, Promise<Schema>>();
  const before = async (revision: Revision): Promise<Schema> => {
    const parents = graph.parentsOf(revision.id);
    if (parents.length === 1 && linted.has(parents[0])) return cloneSchema(await after(graph.get(parents[0])!));
    const below = graph.ancestors(parents);
    // Where the database is exactly where the revision starts, its catalog is the truth, raw SQL included.
    if (db && below.size === db.applied.size && [...below].every((id) => db.applied.has(id))) return cloneSchema(await liveSchema(db.conn, db.exclude));
    const schema: Schema = { tables: [] };
    for (const r of graph.topological(below)) for (const op of (await load(r)).operations) replay(schema, op);
    return schema;
  };
  const after = (revision: Revision): Promise<Schema> => {
    let schema = afterMemo.get(revision.id);
    if (!schema) {
      schema = before(revision).then(async (s) => {
        for (const op of (await load(revision)).operations) replay(s, op);
        return s;
      });
      afterMemo.set(revision.id, schema);
    }
    return schema;
  };
  const drafts: DraftFinding[] = [];
  let ignored = 0;
  const lintOptions = { dialect: options.dialect?.name, normalizeType: options.dialect?.compareOptions.normalizeType };
  for (const revision of graph.topological(linted)) {
    const recorded = await load(revision);
    const schema = readsSchema(recorded.operations) ? await before(revision) : { tables: [] };
    const result = lintRevision({ revision, recorded, schema }, lintOptions);
    drafts.push(...result.findings);
    ignored += result.ignored;
  }
  const counted = db ? drafts.filter((d) => d.count && !db.applied.has(d.revision)) : [];
  const counts = db && counted.length ? await countRows(db.conn, counted, await liveSchema(db.conn, db.exclude)) : new Map<DraftFinding, number>();
  return { findings: drafts.map((d) => finish(d, counts.get(d))), ignored };
}

/**
 * Counts the rows each finding names, in the database as it is (`schema` is its catalog). A
 * table or column the database does not have (yet) gets no count.
 */
export async function countRows(conn: Connection, drafts: readonly DraftFinding[], schema: Schema): Promise<Map<DraftFinding, number>> {
  const counts = new Map<DraftFinding, number>();
  const q = (name: string): string => conn.dialect.quoteIdentifier(name);
  const byQuery = new Map<string, Promise<number>>();
  for (const d of drafts) {
    const table = tableNamed(schema, d.count!.table);
    if (!table) continue;
    let sql = `SELECT count(*) AS n FROM ${q(table.name)}`;
    if (d.count!.nullIn !== undefined) {
      const column = findColumn(table, d.count!.nullIn);
      if (!column) continue;
      sql += ` WHERE ${q(column.name)} IS NULL`;
    }
    let n = byQuery.get(sql);
    if (!n) byQuery.set(sql, (n = conn.query<{ n: unknown }>(sql).then((rows) => Number(rows[0]?.n ?? 0))));
    counts.set(d, await n);
  }
  return counts;
}

/** A table by name; raw SQL may spell an unquoted name in another case. */
function tableNamed(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name === name) ?? schema.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

const NUMBER = new Intl.NumberFormat('en-US');

function plural(n: number, what: string): string {
  return `${NUMBER.format(n)} ${what}${n === 1 ? '' : 's'}`;
}

/** The finding with its message, and the rows counted if any. */
function finish(d: DraftFinding, rows: number | undefined): LintFinding {
  let detail = d.detail;
  if (rows !== undefined && d.count) {
    detail += d.count.nullIn !== undefined ? `; ${d.count.table}.${d.count.nullIn} is NULL in ${plural(rows, 'row')}` : `; table ${d.count.table} holds ${plural(rows, 'row')}`;
  }
  return {
    revision: d.revision,
    file: d.file,
    line: d.line,
    operation: d.operation,
    code: d.code,
    level: d.level,
    message: `${d.reason} (${detail})`,
    ...(rows !== undefined ? { rows } : {}),
  };
}
