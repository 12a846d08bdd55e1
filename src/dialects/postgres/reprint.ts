/**
 * Asking PostgreSQL how it stores a model's expressions: the columns, defaults, checks and
 * partial indexes in question are created on a scratch temporary table, read back from the
 * catalog, and the transaction is rolled back.
 */
import type { ReprintRequest, ReprintResponse } from '../../diff/settle.js';
import { quoteIdentifier as q } from '../dialect.js';
import { checkExpression } from './introspector.js';

export interface ReprintRow {
  defaults: Record<string, string> | null;
  checks: Record<string, string> | null;
  predicates: Record<string, string> | null;
}

/** The statements that build the scratch table and read it back (the last one returns one row, `r`). */
export function reprintSql(request: ReprintRequest, table: string): string[] {
  const t = q(table);
  const columns = request.columns.map(
    (c) => `${q(c.name)} ${c.type}${c.generated !== undefined ? ` GENERATED ALWAYS AS (${c.generated}) STORED` : c.default !== undefined ? ` DEFAULT ${c.default}` : ''}`,
  );
  const checks = request.checks.map((e, i) => `CONSTRAINT ${q(`c${i}`)} CHECK (${e})`);
  return [
    `CREATE TEMPORARY TABLE ${t} (${[...columns, ...checks].join(', ')}) ON COMMIT DROP`,
    ...request.predicates.map((p, i) => `CREATE INDEX ${q(`${table}_p${i}`)} ON ${t} (${q(p.column)}) WHERE ${p.where}`),
    `SELECT json_build_object(
       'defaults', (SELECT json_object_agg(a.attname, pg_get_expr(d.adbin, d.adrelid)) FROM pg_attrdef d
                      JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'pg_temp.${table}'::regclass),
       'checks', (SELECT json_object_agg(conname, pg_get_constraintdef(oid)) FROM pg_constraint WHERE conrelid = 'pg_temp.${table}'::regclass AND contype = 'c'),
       'predicates', (SELECT json_object_agg(c.relname, pg_get_expr(i.indpred, i.indrelid)) FROM pg_index i
                      JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'pg_temp.${table}'::regclass)) AS r`,
  ];
}

/** The re-printed texts of `request`, from the row `reprintSql(request, table)` returned. */
export function reprintResponse(request: ReprintRequest, row: ReprintRow, table: string): ReprintResponse {
  return {
    defaults: Object.fromEntries(request.columns.filter((c) => c.default !== undefined).map((c) => [c.name, row.defaults?.[c.name]])),
    // A generated column's expression is kept where a default is (pg_attrdef).
    generated: Object.fromEntries(request.columns.filter((c) => c.generated !== undefined).map((c) => [c.name, row.defaults?.[c.name]])),
    checks: request.checks.map((_e, i) => {
      const def = row.checks?.[`c${i}`];
      return def === undefined ? undefined : checkExpression(def);
    }),
    predicates: request.predicates.map((_p, i) => row.predicates?.[`${table}_p${i}`]),
  };
}
