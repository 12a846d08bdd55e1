/**
 * The lint rules: each a stable code, a level, a one-line reason and a pure check of one
 * operation in its revision. "Existing" tables are those the revision did not create itself:
 * what a revision does to a table it has just created cannot hurt rows or running code.
 */
import { describeOperation, type Operation } from '../operations/operation.js';
import { findColumn, findTable, type Column, type Schema } from '../schema/schema.js';
import { narrows } from '../sql/column-types.js';
import { scanSql, type RawStatement } from './raw-sql.js';
import { dialectNamed } from '../dialects/index.js';
import type { TableRewrites } from '../dialects/dialect.js';

export type LintLevel = 'error' | 'warning';

/** What kind of harm a rule is about; destructive and data-dependent findings get row counts. */
export type RuleCategory = 'destructive' | 'backward-incompatible' | 'data-dependent' | 'locking';

/** Where an operation stands, as a rule needs to know it. */
export interface LintContext {
  /** The dialect's name (`sqlite`, `postgres`); undefined when no database is configured. */
  dialect?: string;
  /** Tables created earlier in the same revision (by an operation or by raw CREATE TABLE). */
  newTables: ReadonlySet<string>;
  /** Columns added earlier in the same revision, as `table.column`. */
  newColumns: ReadonlySet<string>;
  /**
   * The schema just before the operation, replayed from the revisions' operations. Raw SQL is
   * not replayed, so a table or column missing here is unknown rather than absent. Built only
   * for revisions with alterColumn or execute operations (lint.ts `readsSchema`): a rule that
   * reads it for another kind must be added there.
   */
  schema: Schema;
  /** The revision's operations before this one. */
  earlier: readonly Operation[];
  /** The statements of an `execute` operation's SQL (empty for other operations). */
  statements: readonly RawStatement[];
  /** The dialect's spelling of a type, so that `varchar(20)` and `character varying(20)` compare. */
  normalizeType: (type: string) => string;
  /** The changes that rewrite a table under a lock on this dialect (rules that read it need `tableRewrites`). */
  rewrites?: TableRewrites;
}

/** One thing a rule found about an operation. */
export interface RuleFinding {
  /** What exactly: the operation, the types, the column. */
  detail: string;
  /** The rows to count when a database is at hand: all of the table's, or those NULL in a column. */
  count?: { table: string; nullIn?: string };
}

export interface Rule {
  /** Stable kebab-case code, used in output and in ignore comments. */
  code: string;
  level: LintLevel;
  category: RuleCategory;
  /** Why it matters, in one line. */
  reason: string;
  /**
   * The capability a dialect must have for the rule to apply (the locking rules are about online
   * DDL; narrowing a type matters where types are enforced); every dialect when absent.
   */
  needs?: 'onlineDdl' | 'enforcedTypes' | 'tableRewrites';
  check(op: Operation, ctx: LintContext): RuleFinding[];
}

const same = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase();

/** Whether the revision created `table` itself before this operation. */
export function isNewTable(ctx: LintContext, table: string): boolean {
  for (const t of ctx.newTables) if (same(t, table)) return true;
  return false;
}

function isNewColumn(ctx: LintContext, table: string, column: string): boolean {
  return isNewTable(ctx, table) || ctx.newColumns.has(`${table}.${column}`);
}

function column(ctx: LintContext, table: string, name: string): Column | undefined {
  const t = findTable(ctx.schema, table);
  return t ? findColumn(t, name) : undefined;
}

/** Raw statements of one kind on tables the revision did not create. */
function raw<K extends RawStatement['kind']>(ctx: LintContext, kind: K): Extract<RawStatement, { kind: K }>[] {
  return ctx.statements.filter((s): s is Extract<RawStatement, { kind: K }> => s.kind === kind && (!('table' in s) || !isNewTable(ctx, s.table)));
}

const rows = (table: string): RuleFinding['count'] => ({ table });

/** A check that already proves a column NOT NULL, which PostgreSQL 12+ uses to skip the scan. */
function provenNotNull(ctx: LintContext, table: string, col: string): boolean {
  const name = col.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\(*\\s*"?${name}"?\\s+IS\\s+NOT\\s+NULL\\s*\\)*$`, 'i');
  return (findTable(ctx.schema, table)?.checks ?? []).some((c) => pattern.test(c.expression.trim()));
}

/** Whether an earlier statement of the revision UPDATEs `table` (a backfill before NOT NULL). */
function backfilled(ctx: LintContext, table: string): boolean {
  return ctx.earlier.some((op) => op.kind === 'execute' && scanSql(op.sql).some((s) => s.kind === 'update' && same(s.table, table)));
}

/**
 * The column type change an alterColumn makes, when the old type is known: both types in the
 * dialect's spelling (to judge) and as written (to show).
 */
function typeChange(op: Operation, ctx: LintContext): { from: string; to: string; shown: string } | undefined {
  if (op.kind !== 'alterColumn' || op.changes.type === undefined || isNewTable(ctx, op.table)) return undefined;
  const was = column(ctx, op.table, op.column)?.type ?? op.existing?.type;
  if (was === undefined) return undefined;
  const from = ctx.normalizeType(was);
  const to = ctx.normalizeType(op.changes.type);
  return from === to ? undefined : { from, to, shown: `${op.table}.${op.column}: ${was} -> ${op.changes.type}` };
}

export const RULES: readonly Rule[] = [
  {
    code: 'drop-table',
    level: 'error',
    category: 'destructive',
    reason: 'dropping a table destroys its rows',
    check(op, ctx) {
      if (op.kind === 'dropTable' && !isNewTable(ctx, op.table)) return [{ detail: describeOperation(op), count: rows(op.table) }];
      return raw(ctx, 'dropTable').map((s) => ({ detail: `DROP TABLE ${s.table} in raw SQL`, count: rows(s.table) }));
    },
  },
  {
    code: 'drop-column',
    level: 'error',
    category: 'destructive',
    reason: "dropping a column destroys its values, and running code that reads it fails",
    check(op, ctx) {
      if (op.kind === 'dropColumn' && !isNewColumn(ctx, op.table, op.column)) return [{ detail: describeOperation(op), count: rows(op.table) }];
      return raw(ctx, 'dropColumn').map((s) => ({ detail: `DROP COLUMN ${s.table}.${s.column} in raw SQL`, count: rows(s.table) }));
    },
  },
  {
    code: 'rename-table',
    level: 'warning',
    category: 'backward-incompatible',
    reason: 'running code that uses the old table name fails until the new code is deployed',
    check(op, ctx) {
      if (op.kind === 'renameTable' && !isNewTable(ctx, op.from)) return [{ detail: describeOperation(op) }];
      return raw(ctx, 'renameTable').map((s) => ({ detail: `RENAME ${s.table} TO ${s.to} in raw SQL` }));
    },
  },
  {
    code: 'rename-column',
    level: 'warning',
    category: 'backward-incompatible',
    reason: 'running code that uses the old column name fails until the new code is deployed',
    check(op, ctx) {
      if (op.kind === 'renameColumn' && !isNewColumn(ctx, op.table, op.from)) return [{ detail: describeOperation(op) }];
      return raw(ctx, 'renameColumn').map((s) => ({ detail: `RENAME ${s.table}.${s.column} TO ${s.to} in raw SQL` }));
    },
  },
  {
    code: 'narrow-type',
    level: 'warning',
    category: 'backward-incompatible',
    reason: 'the new type holds less than the old: stored values and what running code writes may no longer fit',
    // SQLite neither enforces lengths nor integer widths, and converts a value only when nothing is lost.
    needs: 'enforcedTypes',
    check(op, ctx) {
      const change = typeChange(op, ctx);
      // A column added by this revision holds nothing a running release wrote.
      if (!change || op.kind !== 'alterColumn' || isNewColumn(ctx, op.table, op.column) || !narrows(change.from, change.to)) return [];
      return [{ detail: change.shown }];
    },
  },
  {
    code: 'add-not-null',
    level: 'error',
    category: 'data-dependent',
    reason: 'NOT NULL without a default leaves existing rows with no value: the change fails, or the database puts in one no one chose',
    check(op, ctx) {
      if (op.kind === 'addColumn' && !isNewTable(ctx, op.table)) {
        const c = op.column;
        if (c.nullable || c.default !== undefined || c.autoincrement || c.identity) return [];
        // MySQL does not fail: it gives every row the type's implicit value, which no one chose.
        const filled = ctx.dialect !== undefined && dialectNamed(ctx.dialect).capabilities.implicitDefaults;
        const detail = `new column ${op.table}.${c.name} is NOT NULL with no default${filled ? `, which ${dialectNamed(ctx.dialect!).title} fills with the type's implicit value ('' or 0) in every row instead` : ''}`;
        return [{ detail, count: rows(op.table) }];
      }
      if (op.kind === 'alterColumn' && op.changes.nullable === false && !isNewTable(ctx, op.table)) {
        const was = column(ctx, op.table, op.column);
        if (was && !was.nullable) return [];
        // A generated column made plain keeps the values its expression gave every row.
        if (op.changes.generated === null) return [];
        // A default fills the NULLs before NOT NULL is set (both dialects' ALTER does), and so does a backfill.
        const fill = op.changes.default !== undefined ? op.changes.default : was?.default;
        if ((fill !== undefined && fill !== null) || backfilled(ctx, op.table)) return [];
        return [{ detail: `${op.table}.${op.column} becomes NOT NULL with no default`, count: { table: op.table, nullIn: op.column } }];
      }
      return [];
    },
  },
  {
    code: 'add-unique',
    level: 'warning',
    category: 'data-dependent',
    reason: 'duplicate values in existing rows make the unique index or constraint fail',
    check(op, ctx) {
      const unique = (op.kind === 'createIndex' && op.index.unique) || (op.kind === 'addConstraint' && op.constraint.type === 'unique') || (op.kind === 'alterPrimaryKey' && !!op.primaryKey);
      if (!unique || isNewTable(ctx, op.table)) return [];
      return [{ detail: describeOperation(op), count: rows(op.table) }];
    },
  },
  {
    code: 'add-foreign-key',
    level: 'warning',
    category: 'data-dependent',
    reason: 'existing rows that reference no row of the other table make the foreign key fail',
    check(op, ctx) {
      if (op.kind !== 'addConstraint' || op.constraint.type !== 'foreignKey' || isNewTable(ctx, op.table)) return [];
      // Over columns this revision adds, nullable and with no default or backfill, every row holds
      // NULL, which references nothing and fails nothing.
      const { columns } = op.constraint;
      const allNull = !backfilled(ctx, op.table) && columns.every((name) => {
        const c = column(ctx, op.table, name);
        return isNewColumn(ctx, op.table, name) && c !== undefined && c.nullable && c.default === undefined && !c.generated;
      });
      if (allNull) return [];
      return [{ detail: describeOperation(op), count: rows(op.table) }];
    },
  },
  {
    code: 'add-check',
    level: 'warning',
    category: 'data-dependent',
    reason: 'existing rows that do not pass the check make it fail',
    check(op, ctx) {
      if (op.kind !== 'addConstraint' || op.constraint.type !== 'check' || isNewTable(ctx, op.table)) return [];
      return [{ detail: `${describeOperation(op)}: ${op.constraint.expression}`, count: rows(op.table) }];
    },
  },
  {
    code: 'index-not-concurrent',
    level: 'warning',
    category: 'locking',
    reason: 'CREATE INDEX blocks writes to the table until the index is built; createIndex with concurrently: true does not',
    needs: 'onlineDdl',
    check(op, ctx) {
      if (op.kind === 'createIndex' && !op.concurrently && !isNewTable(ctx, op.table)) return [{ detail: describeOperation(op) }];
      return raw(ctx, 'createIndex')
        .filter((s) => !s.concurrently)
        .map((s) => ({ detail: `CREATE INDEX on ${s.table} in raw SQL` }));
    },
  },
  {
    code: 'concurrently-in-transaction',
    level: 'error',
    category: 'locking',
    reason: 'CONCURRENTLY cannot run inside a transaction block: pass { transaction: false } to op.execute',
    needs: 'onlineDdl',
    check(op, ctx) {
      if (op.kind === 'execute' && op.transaction === false) return [];
      return [
        ...ctx.statements.filter((s) => s.kind === 'createIndex' && s.concurrently).map(() => ({ detail: 'CREATE INDEX CONCURRENTLY in raw SQL' })),
        ...raw(ctx, 'concurrently').map((s) => ({ detail: `${s.statement} in raw SQL` })),
      ];
    },
  },
  {
    code: 'foreign-key-not-valid',
    level: 'warning',
    category: 'locking',
    reason: 'a new foreign key is validated over every row while writes to both tables are blocked; add it with { validate: false }, then op.validateConstraint',
    needs: 'onlineDdl',
    check(op, ctx) {
      if (op.kind === 'addConstraint' && op.constraint.type === 'foreignKey' && op.validate !== false && !isNewTable(ctx, op.table)) return [{ detail: describeOperation(op) }];
      return raw(ctx, 'addConstraint')
        .filter((s) => s.constraint === 'foreignKey' && !s.notValid)
        .map((s) => ({ detail: `FOREIGN KEY on ${s.table} without NOT VALID in raw SQL` }));
    },
  },
  {
    code: 'check-not-valid',
    level: 'warning',
    category: 'locking',
    reason: 'a new check is validated over every row while reads and writes are blocked; add it with { validate: false }, then op.validateConstraint',
    needs: 'onlineDdl',
    check(op, ctx) {
      if (op.kind === 'addConstraint' && op.constraint.type === 'check' && op.validate !== false && !isNewTable(ctx, op.table)) return [{ detail: describeOperation(op) }];
      return raw(ctx, 'addConstraint')
        .filter((s) => s.constraint === 'check' && !s.notValid)
        .map((s) => ({ detail: `CHECK on ${s.table} without NOT VALID in raw SQL` }));
    },
  },
  {
    code: 'type-change-rewrite',
    level: 'warning',
    category: 'locking',
    reason: 'the type change rewrites the table and its indexes under a lock held until it ends',
    needs: 'tableRewrites',
    check(op, ctx) {
      const change = typeChange(op, ctx);
      if (!change || op.kind !== 'alterColumn' || !ctx.rewrites?.typeChange(change.from, change.to)) return [];
      return [{ detail: `${change.shown}; ${ctx.rewrites.blocks} blocked` }];
    },
  },
  {
    code: 'set-not-null-scan',
    level: 'warning',
    category: 'locking',
    reason: 'SET NOT NULL scans the whole table while reads and writes are blocked; alterColumn with { throughCheck: true } does not',
    needs: 'onlineDdl',
    check(op, ctx) {
      if (op.kind === 'alterColumn' && op.changes.nullable === false && !op.throughCheck && !isNewTable(ctx, op.table)) {
        const was = column(ctx, op.table, op.column);
        if ((was && !was.nullable) || provenNotNull(ctx, op.table, op.column)) return [];
        return [{ detail: `${op.table}.${op.column}` }];
      }
      return raw(ctx, 'setNotNull')
        .filter((s) => !provenNotNull(ctx, s.table, s.column))
        .map((s) => ({ detail: `SET NOT NULL on ${s.table}.${s.column} in raw SQL` }));
    },
  },
  {
    code: 'volatile-default',
    level: 'warning',
    category: 'locking',
    reason: 'a value computed for every existing row (a volatile default, a numbering, a generated column) rewrites the table under a lock held until it ends',
    needs: 'tableRewrites',
    check(op, ctx) {
      // A column made generated, or given another expression, is added anew.
      const added =
        op.kind === 'addColumn'
          ? { table: op.table, column: op.column, shown: 'new column' }
          : op.kind === 'alterColumn' && typeof op.changes.generated === 'string'
            ? { table: op.table, column: { name: op.column, type: '', nullable: true, ...column(ctx, op.table, op.column), generated: op.changes.generated }, shown: 'column' }
            : undefined;
      if (!added || isNewTable(ctx, added.table)) return [];
      const why = ctx.rewrites?.addedColumn(added.column);
      return why ? [{ detail: `${added.shown} ${added.table}.${added.column.name} ${why}; ${ctx.rewrites!.blocks} blocked` }] : [];
    },
  },
];

/** Findings about ignore comments themselves; they cannot be ignored. */
export const IGNORE_RULES = {
  withoutReason: { code: 'ignore-without-reason', level: 'error', reason: 'an ignore comment needs a reason after a colon' },
  unknownCode: { code: 'ignore-unknown-code', level: 'warning', reason: 'an ignore comment names a code no rule has' },
} as const satisfies Record<string, { code: string; level: LintLevel; reason: string }>;

/** Every code a finding may carry, rules first. */
export const ALL_CODES: readonly string[] = [...RULES.map((r) => r.code), ...Object.values(IGNORE_RULES).map((r) => r.code)];

/** The rules that apply on a dialect (by name); without one, those common to all dialects. */
export function rulesFor(dialect: string | undefined): Rule[] {
  const d = dialect === undefined ? undefined : dialectNamed(dialect);
  const has = (need: NonNullable<Rule['needs']>): boolean => (need === 'tableRewrites' ? !!d?.tableRewrites : !!d?.capabilities[need]);
  return RULES.filter((r) => !r.needs || has(r.needs));
}
