/**
 * Expressions a model writes one way and the database stores re-printed another — a default
 * `floor(random()*10)::int` read back as `(floor((random() * (10)::double precision)))::integer`,
 * a check `status IN ('a','b')` as `status = ANY (ARRAY[…])` — are settled by asking the database
 * to re-print the model's text too: where both print alike, they are the same, and the model takes
 * the database's spelling so that nothing is diffed. Pure: the re-printing comes in as a function.
 */
import type { Schema, Table } from '../schema/schema.js';
import type { CompareOptions } from './compare.js';
import { collapseSpaces } from '../sql/text.js';

/** What to re-print for one table: its columns (with the defaults in question), checks, predicates. */
export interface ReprintRequest {
  table: string;
  columns: { name: string; type: string; default?: string; generated?: string }[];
  checks: string[];
  /** Partial-index predicates, with a column the index can be built on. */
  predicates: { column: string; where: string }[];
}

/** The database's spelling of each requested text (undefined where it could not say). */
export interface ReprintResponse {
  defaults: Record<string, string | undefined>;
  /** Generated columns' expressions, by column. */
  generated: Record<string, string | undefined>;
  checks: (string | undefined)[];
  predicates: (string | undefined)[];
}

interface Pending {
  request: ReprintRequest;
  model: Table;
  current: Table;
  /** Column names whose default or generation is in question; model check and index positions. */
  defaults: string[];
  generated: string[];
  checks: number[];
  indexes: number[];
}

function normalizers(options: CompareOptions) {
  return {
    type: options.normalizeType ?? ((t: string) => t),
    default: options.normalizeDefault ?? ((d: string | undefined) => d),
    expression: options.normalizeExpression ?? collapseSpaces,
  };
}

/** The defaults, checks and predicates of `models` that differ from the database's only in spelling, perhaps. */
export function unsettled(database: Schema, models: Schema, options: CompareOptions): Pending[] {
  const n = normalizers(options);
  const byName = new Map(database.tables.map((t) => [t.name, t]));
  const out: Pending[] = [];
  for (const model of models.tables) {
    const current = byName.get(model.name);
    if (!current) continue;
    const pending: Pending = { request: { table: model.name, columns: [], checks: [], predicates: [] }, model, current, defaults: [], generated: [], checks: [], indexes: [] };
    for (const c of model.columns) {
      const was = c.generated !== undefined ? current.columns.find((x) => x.name === c.name)?.generated : undefined;
      if (c.generated !== undefined && was !== undefined && n.expression(c.generated) !== n.expression(was)) pending.generated.push(c.name);
      if (c.default === undefined) continue;
      const d = current.columns.find((x) => x.name === c.name);
      const inQuestion =
        d && d.default !== undefined && c.default !== d.default && n.type(c.type) === n.type(d.type) && n.default(c.default, c) !== n.default(d.default, d);
      if (inQuestion) pending.defaults.push(c.name);
    }
    if (model.checks.length) {
      const currentChecks = new Set(current.checks.map((c) => n.expression(c.expression)));
      model.checks.forEach((c, i) => {
        if (currentChecks.has(n.expression(c.expression))) return;
        pending.checks.push(i);
        pending.request.checks.push(c.expression);
      });
    }
    model.indexes.forEach((ix, i) => {
      const was = current.indexes.find((x) => x.name === ix.name);
      if (!ix.where || !was?.where || n.expression(ix.where) === n.expression(was.where)) return;
      const key = ix.columns.find((k) => typeof k === 'string') as string | undefined;
      const column = key ?? model.columns[0]?.name;
      if (!column) return;
      pending.indexes.push(i);
      pending.request.predicates.push({ column, where: ix.where });
    });
    if (pending.defaults.length || pending.generated.length || pending.checks.length || pending.indexes.length) {
      const inQuestion = new Set(pending.defaults);
      const generated = new Set(pending.generated);
      pending.request.columns = model.columns.map((c) => ({
        name: c.name,
        type: c.type,
        ...(inQuestion.has(c.name) ? { default: c.default } : {}),
        ...(generated.has(c.name) ? { generated: c.generated } : {}),
      }));
      out.push(pending);
    }
  }
  return out;
}

/**
 * Takes the database's spelling into the models wherever the database re-prints the model's text
 * the way it printed its own; everything else is left for the differ to report.
 */
export function settle(pending: Pending[], responses: (ReprintResponse | undefined)[], options: CompareOptions): void {
  const n = normalizers(options);
  pending.forEach((p, i) => {
    const r = responses[i];
    if (!r) return;
    for (const name of p.defaults) {
      const c = p.model.columns.find((x) => x.name === name)!;
      const d = p.current.columns.find((x) => x.name === name)!;
      const printed = r.defaults[name];
      if (printed !== undefined && n.default(printed, c) === n.default(d.default, d)) c.default = d.default;
    }
    for (const name of p.generated) {
      const c = p.model.columns.find((x) => x.name === name)!;
      const d = p.current.columns.find((x) => x.name === name)!;
      const printed = r.generated[name];
      if (printed !== undefined && n.expression(printed) === n.expression(d.generated!)) c.generated = d.generated;
    }
    p.checks.forEach((index, k) => {
      const printed = r.checks[k];
      if (printed === undefined) return;
      const same = p.current.checks.find((x) => n.expression(x.expression) === n.expression(printed));
      if (same) p.model.checks[index].expression = same.expression;
    });
    p.indexes.forEach((index, k) => {
      const printed = r.predicates[k];
      const ix = p.model.indexes[index];
      const was = p.current.indexes.find((x) => x.name === ix.name);
      if (printed !== undefined && was?.where !== undefined && n.expression(printed) === n.expression(was.where)) ix.where = was.where;
    });
  });
}

export type { Pending as UnsettledTable };
