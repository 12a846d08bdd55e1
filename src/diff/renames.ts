/**
 * Rename detection. Where the differ drops a column and adds one of the same definition in the
 * same table, or drops a table and creates one with the same columns, the pair may be one thing
 * under a new name: a rename candidate. Renames chosen among them (by a hint in the models, a
 * flag, or an answer) become `renameTable`/`renameColumn` operations, followed by the diff of
 * whatever else differs. Pure: asking whoever can answer is the caller's business.
 */
import { MigratorError } from '../errors.js';
import { applyOperation } from '../operations/apply.js';
import type { Operation } from '../operations/operation.js';
import { cloneSchema, compareNames, type Column, type EnumType, type Schema, type Table } from '../schema/schema.js';
import { compareSchemas, enumOf, type CompareOptions } from './compare.js';

/** A table or a column renamed. */
export type Rename = { kind: 'table'; from: string; to: string } | { kind: 'column'; table: string; from: string; to: string };

/** A pair the differ drops and adds that may be a rename, with what the question shows of it. */
export type RenameCandidate =
  | { kind: 'table'; from: string; to: string; columns: string[] }
  | { kind: 'column'; table: string; from: string; to: string; type: string };

/** A rename someone stated: a hint in the models or a flag, named for messages. */
export interface StatedRename {
  rename: Rename;
  /** How it was stated, e.g. `--rename posts.a=b` or `@renamedFrom a on posts.b`. */
  source: string;
  /** A flag must name a candidate; a hint whose pair is no candidate is left alone. */
  mustMatch: boolean;
}

const identity = (s: string): string => s;

/** `posts.authorName` for a column, `posts` for a table: the old side of a rename. */
export function renameOld(r: Rename): string {
  return r.kind === 'table' ? r.from : `${r.table}.${r.from}`;
}

/** The new side of a rename, spelled as its old side. */
export function renameNew(r: Rename): string {
  return r.kind === 'table' ? r.to : `${r.table}.${r.to}`;
}

/** The flag that states a rename: `posts.authorName=commenterName`, `posts=comments`. */
export function renameFlag(r: Rename): string {
  return `${renameOld(r)}=${r.to}`;
}

function sameRename(a: Rename, b: Rename): boolean {
  return a.kind === b.kind && a.from === b.from && a.to === b.to && (a.kind === 'table' || (b.kind === 'column' && a.table === b.table));
}

/** Whether two renames take the same dropped or the same added table or column. */
function overlaps(a: Rename, b: Rename): boolean {
  return a.kind === b.kind && (renameOld(a) === renameOld(b) || renameNew(a) === renameNew(b));
}

/**
 * Types as rename detection compares them: an enum type that goes and one that comes with the
 * same values are one. TypeORM names a column's enum type after its table and column
 * (`account_role_enum`), so renaming either renames the type; the rename then converts the
 * column to the new type, its values kept.
 */
function renameTypes(gone: readonly EnumType[], come: readonly EnumType[], type: (t: string) => string): (t: string) => string {
  const keys = new Map<string, string>();
  for (const e of [...gone, ...come]) keys.set(e.name, `enum ${JSON.stringify(e.values)}`);
  if (!keys.size) return type;
  return (t) => {
    const key = keys.get(enumOf(t));
    return key === undefined ? type(t) : `${key}${/(\s*\[\s*\d*\s*\])+$/.exec(t.trim())?.[0].replace(/\s+/g, '') ?? ''}`;
  };
}

/** Two column definitions equal apart from the name, nullability, default and comment. */
function compatibleColumns(was: Column, now: Column, type: (t: string) => string): boolean {
  return type(was.type) === type(now.type) && !!was.autoincrement === !!now.autoincrement && (was.identity ?? null) === (now.identity ?? null);
}

/**
 * The old column each column of `now` is, where the two tables have the same columns and types:
 * by name, or by a name the column's hint gives (`renamedFrom`: a junction table named after an
 * entity renamed, say); undefined where they differ.
 */
function matchedColumns(was: Table, now: Table, type: (t: string) => string): Map<string, string> | undefined {
  if (was.columns.length !== now.columns.length) return undefined;
  const before = new Map(was.columns.map((c) => [c.name, c]));
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const c of now.columns) {
    const old = [c.name, ...(c.renamedFrom ?? [])].find((n) => before.has(n) && !taken.has(n) && type(before.get(n)!.type) === type(c.type));
    if (old === undefined) return undefined;
    taken.add(old);
    out.set(c.name, old);
  }
  return out;
}

/**
 * Whether each column's foreign key points, in the new table, where it pointed in the old one:
 * at the same table, or from a table that goes to one that comes (itself a rename, perhaps).
 * A column that points elsewhere means something else under its old name — Prisma's implicit
 * many-to-many table `_CategoryToPost` (A → Category, B → Post) becomes `_PostToTopic` (A → Post,
 * B → Topic) when Category is renamed Topic: renamed as it is, every link would swap its ends.
 */
function sameReferences(was: Table, now: Table, dropped: ReadonlySet<string>, created: ReadonlySet<string>, columns: ReadonlyMap<string, string>): boolean {
  const target = (t: Table, column: string): string | undefined => t.foreignKeys.find((f) => f.columns.includes(column))?.referencedTable;
  return now.columns.every((c) => {
    const before = target(was, columns.get(c.name) ?? c.name);
    const after = target(now, c.name);
    if (before === undefined || after === undefined) return before === after;
    return before === after || (dropped.has(before) && created.has(after));
  });
}

/** Tables before columns; then by table, old name and new name. */
function compareRenames(a: Rename, b: Rename): number {
  if (a.kind !== b.kind) return a.kind === 'table' ? -1 : 1;
  const table = a.kind === 'column' && b.kind === 'column' ? compareNames(a.table, b.table) : 0;
  return table || compareNames(a.from, b.from) || compareNames(a.to, b.to);
}

/**
 * The rename candidates among the differ's operations, tables first, then columns by table, old
 * name and new name. One dropped column may pair with several added ones and the other way round:
 * every compatible pair is a candidate, and choosing one rules out the others that share a side.
 */
export function renameCandidates(ops: readonly Operation[], options: CompareOptions = {}): RenameCandidate[] {
  const type = renameTypes(
    ops.flatMap((op) => (op.kind === 'dropEnum' && op.definition ? [op.definition] : [])),
    ops.flatMap((op) => (op.kind === 'createEnum' ? [op.enum] : [])),
    options.normalizeType ?? identity,
  );
  const out: RenameCandidate[] = [];
  const droppedTables: Table[] = [];
  const droppedColumns = new Map<string, Column[]>();
  for (const op of ops) {
    if (op.kind === 'dropTable' && op.definition) droppedTables.push(op.definition);
    if (op.kind === 'dropColumn' && op.definition) {
      const list = droppedColumns.get(op.table) ?? [];
      list.push(op.definition);
      droppedColumns.set(op.table, list);
    }
  }
  const dropped = new Set(droppedTables.map((t) => t.name));
  const created = new Set(ops.flatMap((op) => (op.kind === 'createTable' ? [op.table.name] : [])));
  for (const op of ops) {
    if (op.kind === 'createTable') {
      for (const was of droppedTables) {
        const columns = matchedColumns(was, op.table, type);
        if (columns && sameReferences(was, op.table, dropped, created, columns)) out.push({ kind: 'table', from: was.name, to: op.table.name, columns: op.table.columns.map((c) => c.name) });
      }
    }
    if (op.kind === 'addColumn') {
      for (const was of droppedColumns.get(op.table) ?? []) {
        if (compatibleColumns(was, op.column, type)) out.push({ kind: 'column', table: op.table, from: was.name, to: op.column.name, type: op.column.type });
      }
    }
  }
  return out.sort(compareRenames);
}

/**
 * The renames the models' hints state (`renamedFrom` on an added column or a created table) for
 * pairs that are candidates. A hint whose old name the database no longer has is inert; one whose
 * old table or column is being dropped but does not match the new one is an error, since dropping
 * it is exactly what the hint is there to prevent.
 */
export function hintedRenames(ops: readonly Operation[], candidates: readonly RenameCandidate[]): StatedRename[] {
  const out: StatedRename[] = [];
  const droppedTables = new Set(ops.flatMap((op) => (op.kind === 'dropTable' ? [op.table] : [])));
  const droppedColumns = new Set(ops.flatMap((op) => (op.kind === 'dropColumn' ? [`${op.table}\u0000${op.column}`] : [])));
  for (const op of ops) {
    if (op.kind === 'createTable' && op.table.renamedFrom?.length) {
      const to = op.table.name;
      const found = candidates.find((c) => c.kind === 'table' && c.to === to && op.table.renamedFrom!.includes(c.from));
      const dropped = op.table.renamedFrom.find((n) => droppedTables.has(n));
      if (found) out.push({ rename: { kind: 'table', from: found.from, to }, source: `@renamedFrom ${found.from} on table ${to}`, mustMatch: false });
      else if (dropped !== undefined) {
        throw new MigratorError(
          `table ${to} is marked @renamedFrom ${dropped}, but their columns differ, so it cannot be renamed as it is; rename it in a revision of its own before changing its columns, or remove the hint to drop ${dropped} and create ${to} (its rows are lost)`,
        );
      }
    }
    if (op.kind === 'addColumn' && op.column.renamedFrom?.length) {
      const to = op.column.name;
      const names = op.column.renamedFrom;
      const found = candidates.find((c) => c.kind === 'column' && c.table === op.table && c.to === to && names.includes(c.from));
      const dropped = names.find((n) => droppedColumns.has(`${op.table}\u0000${n}`));
      if (found) out.push({ rename: { kind: 'column', table: op.table, from: found.from, to }, source: `@renamedFrom ${found.from} on ${op.table}.${to}`, mustMatch: false });
      else if (dropped !== undefined) {
        const was = ops.find((x): x is Extract<Operation, { kind: 'dropColumn' }> => x.kind === 'dropColumn' && x.table === op.table && x.column === dropped)?.definition;
        throw new MigratorError(
          `${op.table}.${to} is marked @renamedFrom ${dropped}, but ${op.table}.${dropped} is ${describeColumn(was)} and ${op.table}.${to} ${describeColumn(op.column)}; rename the column in a revision of its own before changing its type, or remove the hint to drop and add it (the column's data is lost)`,
        );
      }
    }
  }
  return out;
}

function describeColumn(c: Column | undefined): string {
  if (!c) return 'another column';
  return `${c.type}${c.autoincrement ? ' autoincrement' : ''}${c.identity ? ` identity (${c.identity})` : ''}`;
}

/**
 * `posts.authorName=commenterName` (a column), `posts=comments` (a table) → the rename it states.
 * The new column may also be written with its table: `posts.authorName=posts.commenterName`.
 */
export function parseRename(text: string): Rename {
  const m = /^([^=\s]+)=([^=\s]+)$/.exec(text.trim());
  const bad = (): never => {
    throw new MigratorError(`--rename ${text} is not old=new; write --rename table.old_column=new_column for a column, or --rename old_table=new_table for a table`);
  };
  if (!m) return bad();
  const [, left, right] = m;
  const dot = left.indexOf('.');
  if (dot === -1) return right.includes('.') ? bad() : { kind: 'table', from: left, to: right };
  const table = left.slice(0, dot);
  const from = left.slice(dot + 1);
  const to = right.startsWith(`${table}.`) ? right.slice(table.length + 1) : right;
  if (!table || !from || !to || to.includes('.')) return bad();
  return { kind: 'column', table, from, to };
}

/** Candidates spelled for a message: `posts.a → posts.b, posts → comments`. */
export function listCandidates(candidates: readonly RenameCandidate[]): string {
  return candidates.map((c) => `${renameOld(c)} → ${renameNew(c)}`).join(', ');
}

/**
 * Takes the stated renames (hints, flags) as answers: each must be a candidate (a flag) or is
 * dropped (a hint that is none), and no two may take the same table or column. Returns the renames
 * chosen and the candidates still open: neither chosen nor ruled out by a chosen one.
 */
export function chooseRenames(candidates: readonly RenameCandidate[], stated: readonly StatedRename[]): { chosen: Rename[]; open: RenameCandidate[] } {
  const chosen: { rename: Rename; source: string }[] = [];
  for (const s of stated) {
    const candidate = candidates.find((c) => sameRename(c, s.rename));
    if (!candidate) {
      if (!s.mustMatch) continue;
      const list = candidates.length ? `the candidates are ${listCandidates(candidates)}` : 'this change has none';
      throw new MigratorError(`${s.source} names no rename candidate (a ${s.rename.kind} dropped and one of the same definition added); ${list}`);
    }
    const same = chosen.find((c) => sameRename(c.rename, s.rename));
    if (same) continue;
    const clash = chosen.find((c) => overlaps(c.rename, s.rename));
    if (clash) {
      throw new MigratorError(`${clash.source} and ${s.source} both rename ${renameOld(clash.rename) === renameOld(s.rename) ? renameOld(s.rename) : `to ${renameNew(s.rename)}`}; keep one`);
    }
    chosen.push({ rename: candidate, source: s.source });
  }
  const renames = chosen.map((c) => c.rename);
  return { chosen: renames, open: candidates.filter((c) => !isRuledOut(c, renames)) };
}

/** Whether a candidate is chosen already, or shares a side with a chosen rename. */
export function isRuledOut(candidate: RenameCandidate, chosen: readonly Rename[]): boolean {
  return chosen.some((r) => overlaps(r, candidate));
}

/** The operation that performs a rename. */
export function renameOperation(r: Rename): Operation {
  return r.kind === 'table' ? { kind: 'renameTable', from: r.from, to: r.to } : { kind: 'renameColumn', table: r.table, from: r.from, to: r.to };
}

/**
 * The operations turning `database` into `models` with the chosen renames: the renames first
 * (tables, then columns, in name order), then the diff of the renamed database against the models
 * — nullability or a default that changed with the name, and the indexes and constraints whose
 * names derive from the old name, dropped and created under the new one.
 */
export function operationsWithRenames(database: Schema, models: Schema, renames: readonly Rename[], options: CompareOptions = {}): Operation[] {
  // A table renamed whose columns' keys would point elsewhere than they did, once the other
  // tables chosen are renamed too: its rows would mean something else.
  const tableRenames = new Map(renames.flatMap((r) => (r.kind === 'table' ? [[r.from, r.to] as const] : [])));
  const [before, after] = [database.enums ?? [], models.enums ?? []];
  const type = renameTypes(
    before.filter((e) => !after.some((x) => x.name === e.name)),
    after.filter((e) => !before.some((x) => x.name === e.name)),
    options.normalizeType ?? identity,
  );
  for (const r of renames) {
    if (r.kind !== 'table') continue;
    const was = database.tables.find((t) => t.name === r.from);
    const now = models.tables.find((t) => t.name === r.to);
    if (!was || !now) continue;
    const columns = new Map([...(matchedColumns(was, now, type) ?? new Map<string, string>())].map(([to, from]) => [from, to]));
    for (const fk of was.foreignKeys) {
      for (const column of fk.columns) {
        const before = tableRenames.get(fk.referencedTable) ?? fk.referencedTable;
        const after = now.foreignKeys.find((f) => f.columns.includes(columns.get(column) ?? column))?.referencedTable;
        if (after !== undefined && after !== before) {
          throw new MigratorError(
            `${r.from} → ${r.to} cannot be a rename: its column ${column} points to ${fk.referencedTable} (${before} after the renames chosen) and would point to ${after}, so every row would mean something else; answer --no-rename for it (the table is dropped and created, its rows lost), or move the rows in a revision of your own`,
          );
        }
      }
    }
  }
  // A table renamed takes its columns' hinted renames with it (they matched it to the old one).
  const hinted: Rename[] = [];
  for (const [from, to] of tableRenames) {
    const was = database.tables.find((t) => t.name === from);
    const now = models.tables.find((t) => t.name === to);
    const columns = was && now ? matchedColumns(was, now, type) : undefined;
    for (const [column, old] of columns ?? []) {
      if (column !== old && !renames.some((r) => r.kind === 'column' && r.table === to && r.to === column)) hinted.push({ kind: 'column', table: to, from: old, to: column });
    }
  }
  const ordered = [...renames, ...hinted].sort(compareRenames).map(renameOperation);
  const renamed = cloneSchema(database);
  for (const op of ordered) applyOperation(renamed, op);
  return [...ordered, ...compareSchemas(renamed, models, options)];
}
