/**
 * The revision graph: revisions linked by `downRevision` (and `dependsOn`), with heads, bases,
 * target resolution and the steps between two states. Pure: no files, no database.
 */
import { MigratorError } from '../errors.js';

export interface Revision {
  id: string;
  /** Parents; several for a merge revision, none for a base. */
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  /** Where the revision was read from, for messages. */
  path?: string;
  message?: string;
}

export class RevisionError extends MigratorError {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionError';
  }
}

/** One step of a plan: apply (`up`) or revert (`down`) one revision. */
export interface Step {
  direction: 'up' | 'down';
  revision: Revision;
}

/** A change to the version table's rows that a step makes. */
export type HeadChange =
  | { kind: 'insert'; version: string }
  | { kind: 'delete'; version: string }
  | { kind: 'update'; from: string; to: string };

export const REVISION_ID = /^[^@\-+:\s]+$/;
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

export class RevisionGraph {
  private readonly byId = new Map<string, Revision>();
  private readonly children = new Map<string, string[]>();
  private readonly labels = new Map<string, string>();
  /** Revisions in the order they were given (file order), for deterministic walks. */
  readonly revisions: readonly Revision[];

  constructor(revisions: readonly Revision[]) {
    this.revisions = revisions;
    for (const r of revisions) {
      if (!REVISION_ID.test(r.id)) throw new RevisionError(`revision id "${r.id}"${where(r)} may not contain @, -, +, : or spaces`);
      const dup = this.byId.get(r.id);
      if (dup) throw new RevisionError(`duplicate revision id ${r.id}${where(dup)} and${where(r)}; give one of them a new id`);
      this.byId.set(r.id, r);
      this.children.set(r.id, []);
    }
    for (const r of revisions) {
      for (const parent of [...r.downRevisions, ...r.dependsOn]) {
        if (parent === r.id) throw new RevisionError(`revision ${r.id}${where(r)} names itself as its parent`);
        if (!this.byId.has(parent)) {
          const what = r.downRevisions.includes(parent) ? 'revises' : 'depends on';
          throw new RevisionError(`revision ${r.id}${where(r)} ${what} ${parent}, which no revision file defines`);
        }
      }
      for (const parent of r.downRevisions) this.children.get(parent)!.push(r.id);
      for (const label of r.branchLabels) {
        const other = this.labels.get(label);
        if (other) throw new RevisionError(`branch label "${label}" is used by both ${other}${where(this.byId.get(other)!)} and ${r.id}${where(r)}`);
        this.labels.set(label, r.id);
      }
    }
    this.checkCycles();
  }

  private checkCycles(): void {
    const state = new Map<string, 1 | 2>();
    for (const start of this.revisions) {
      if (state.has(start.id)) continue;
      const stack: { id: string; parents: string[] }[] = [{ id: start.id, parents: this.parentsOf(start.id) }];
      state.set(start.id, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const next = top.parents.shift();
        if (next === undefined) {
          state.set(top.id, 2);
          stack.pop();
          continue;
        }
        const s = state.get(next);
        if (s === 1) {
          const cycle = stack.slice(stack.findIndex((f) => f.id === next)).map((f) => f.id);
          throw new RevisionError(`revisions form a cycle: ${[...cycle, next].join(' -> ')}`);
        }
        if (s === undefined) {
          state.set(next, 1);
          stack.push({ id: next, parents: this.parentsOf(next) });
        }
      }
    }
  }

  get(id: string): Revision | undefined {
    return this.byId.get(id);
  }

  private parentsOf(id: string): string[] {
    const r = this.byId.get(id)!;
    return [...r.downRevisions, ...r.dependsOn];
  }

  /** Revisions that no other revision revises, in file order. */
  get heads(): Revision[] {
    return this.revisions.filter((r) => this.children.get(r.id)!.length === 0);
  }

  get bases(): Revision[] {
    return this.revisions.filter((r) => r.downRevisions.length === 0);
  }

  childrenOf(id: string): Revision[] {
    return (this.children.get(id) ?? []).map((c) => this.byId.get(c)!);
  }

  /** A revision by full id, unique prefix (4+ characters) or branch label. */
  lookup(ref: string): Revision {
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const labelled = this.labels.get(ref);
    if (labelled) return this.byId.get(labelled)!;
    if (ref.length < 4) throw new RevisionError(`no revision "${ref}"; a partial id needs at least 4 characters`);
    const matches = this.revisions.filter((r) => r.id.startsWith(ref));
    if (matches.length === 0) throw new RevisionError(`no revision "${ref}"; see \`migrator history\` for the revisions there are`);
    if (matches.length > 1) throw new RevisionError(`revision prefix "${ref}" is ambiguous: ${matches.map((m) => m.id).join(', ')}`);
    return matches[0];
  }

  /** The single head; an error naming the heads when there are several. */
  head(): Revision | undefined {
    const heads = this.heads;
    if (heads.length > 1) {
      throw new RevisionError(`there are ${heads.length} heads (${heads.map((h) => h.id).join(', ')}); name one, use "heads", or merge them with \`migrator merge heads -m <message>\``);
    }
    return heads[0];
  }

  /** Ids of the given revisions and everything below them (down revisions and dependencies). */
  ancestors(ids: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.parentsOf(id));
    }
    return seen;
  }

  /** Ids of the given revisions and everything above them. */
  descendants(ids: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.children.get(id)!);
      for (const r of this.revisions) if (r.dependsOn.includes(id)) stack.push(r.id);
    }
    return seen;
  }

  /**
   * `ids` in an order where every revision comes after its parents: a depth-first walk from the
   * members in file order, parents in their listed order. Deterministic for the same files.
   */
  topological(ids: Set<string>): Revision[] {
    const out: Revision[] = [];
    const done = new Set<string>();
    const visit = (id: string): void => {
      if (done.has(id) || !ids.has(id)) return;
      done.add(id);
      for (const p of this.parentsOf(id)) visit(p);
      out.push(this.byId.get(id)!);
    };
    for (const r of this.revisions) visit(r.id);
    return out;
  }

  /** Heads of the state after which `ids` (a set closed under ancestors) is applied. */
  private headsOf(applied: Set<string>): string[] {
    const implied = new Set<string>();
    for (const id of applied) for (const p of this.parentsOf(id)) implied.add(p);
    return this.revisions.filter((r) => applied.has(r.id) && !implied.has(r.id)).map((r) => r.id);
  }

  /**
   * Resolves an upgrade or downgrade target, given the current heads, to the set of revisions
   * that should be heads afterwards (empty for `base`).
   */
  resolveTarget(target: string, current: readonly string[]): string[] {
    if (target === 'base') return [];
    if (target === 'heads') return this.heads.map((h) => h.id);
    if (target === 'head') {
      const h = this.head();
      return h ? [h.id] : [];
    }
    const rel = RELATIVE.exec(target);
    if (rel && !this.byId.has(target)) return this.resolveRelative(target, rel[1], rel[2], Number(rel[3]), current);
    const at = /^(.+)@(head|base)$/.exec(target);
    if (at) {
      const root = this.lookup(at[1]);
      if (at[2] === 'base') return root.downRevisions.length ? [...root.downRevisions] : [];
      const heads = this.heads.filter((h) => this.ancestors([h.id]).has(root.id));
      if (heads.length > 1) throw new RevisionError(`"${target}" has several heads: ${heads.map((h) => h.id).join(', ')}`);
      return heads.map((h) => h.id);
    }
    return [this.lookup(target.includes('@') ? target.slice(target.indexOf('@') + 1) : target).id];
  }

  private resolveRelative(target: string, label: string | undefined, from: string | undefined, n: number, current: readonly string[]): string[] {
    let start: string[];
    if (from === 'head' || from === 'heads') start = label ? this.resolveTarget(`${label}@head`, current) : this.resolveTarget(from, current);
    else if (from === 'base') start = [];
    else if (from) start = [this.lookup(from).id];
    else if (label) start = current.filter((c) => this.ancestors([c]).has(this.lookup(label).id) || this.descendants([this.lookup(label).id]).has(c));
    else start = [...current];
    if (start.length > 1) throw new RevisionError(`"${target}" is ambiguous: it starts from several heads (${start.join(', ')}); name a revision instead`);
    let at: string[] = start;
    for (let i = 0; i < Math.abs(n); i++) {
      if (n > 0) {
        const next = at.length ? this.childrenOf(at[0]).map((c) => c.id) : this.bases.map((b) => b.id);
        if (next.length !== 1) {
          if (next.length === 0) throw new RevisionError(`relative revision ${target} didn't produce ${n} migrations; there are only ${i} above ${start[0] ?? 'base'}`);
          throw new RevisionError(`relative revision ${target} is ambiguous: ${at[0] ?? 'base'} has several next revisions (${next.join(', ')})`);
        }
        at = next;
      } else {
        if (at.length === 0) throw new RevisionError(`relative revision ${target} didn't produce ${-n} migrations; there are only ${i} below ${start[0] ?? 'base'}`);
        if (at.length > 1) throw new RevisionError(`relative revision ${target} is ambiguous: it passes a merge point (${at.join(', ')})`);
        at = [...this.byId.get(at[0])!.downRevisions];
      }
    }
    return at;
  }

  /** The steps from `current` heads up to `targets`, with the version-table change of each. */
  upgradePlan(current: readonly string[], targets: readonly string[]): { step: Step; changes: HeadChange[] }[] {
    const have = this.ancestors(current);
    const want = this.ancestors(targets);
    const toApply = new Set([...want].filter((id) => !have.has(id)));
    const heads = new Set(current);
    return this.topological(toApply).map((revision) => ({ step: { direction: 'up' as const, revision }, changes: this.applyUp(heads, revision) }));
  }

  /** The steps from `current` heads down to `targets`, with the version-table change of each. */
  downgradePlan(current: readonly string[], targets: readonly string[]): { step: Step; changes: HeadChange[] }[] {
    const have = this.ancestors(current);
    const keep = this.ancestors(targets);
    for (const t of targets) {
      if (!have.has(t)) throw new RevisionError(`cannot downgrade to ${t}: it is not below the current revision(s) ${current.join(', ') || '(base)'}; use upgrade`);
    }
    const toRemove = new Set([...have].filter((id) => !keep.has(id)));
    const heads = new Set(current);
    const order = this.topological(toRemove).reverse();
    const remaining = new Set(have);
    return order.map((revision) => {
      remaining.delete(revision.id);
      return { step: { direction: 'down' as const, revision }, changes: this.applyDown(heads, revision, remaining) };
    });
  }

  /** Version-table maintenance for applying `r`, as Alembic's HeadMaintainer does it. */
  private applyUp(heads: Set<string>, r: Revision): HeadChange[] {
    const parentHeads = this.parentsOf(r.id).filter((p) => heads.has(p));
    const changes: HeadChange[] = [];
    if (parentHeads.length === 0) {
      changes.push({ kind: 'insert', version: r.id });
    } else {
      for (const extra of parentHeads.slice(1)) changes.push({ kind: 'delete', version: extra });
      changes.push({ kind: 'update', from: parentHeads[0], to: r.id });
    }
    for (const p of parentHeads) heads.delete(p);
    heads.add(r.id);
    return changes;
  }

  private applyDown(heads: Set<string>, r: Revision, remaining: Set<string>): HeadChange[] {
    heads.delete(r.id);
    const others = this.ancestors(heads);
    const restored = this.parentsOf(r.id).filter((p) => remaining.has(p) && !others.has(p));
    const unique = [...new Set(restored)];
    for (const p of unique) heads.add(p);
    if (unique.length === 0) return [{ kind: 'delete', version: r.id }];
    return [{ kind: 'update', from: r.id, to: unique[0] }, ...unique.slice(1).map((v) => ({ kind: 'insert' as const, version: v }))];
  }

  /** Current heads after an upgrade or downgrade to `targets` (effective heads). */
  headsAfter(targets: readonly string[]): string[] {
    return this.headsOf(this.ancestors(targets));
  }
}

function where(r: Revision): string {
  return r.path ? ` (${r.path})` : '';
}
