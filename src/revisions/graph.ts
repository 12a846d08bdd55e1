/**
 * The revision graph: revisions linked by `downRevision` (and `dependsOn`), with heads, bases,
 * branch labels, target resolution and the steps between two states — Alembic's semantics.
 * Pure: no files, no database.
 */
import { MigratorError } from '../errors.js';

export interface Revision {
  id: string;
  /** Parents; several for a merge revision, none for a base. */
  downRevisions: string[];
  branchLabels: string[];
  /** As written in the file: revision ids or branch labels (see `RevisionGraph.dependenciesOf`). */
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

export interface PlannedStep {
  step: Step;
  changes: HeadChange[];
}

/**
 * Where a downgrade goes: the revisions that stay as heads of the affected lineage (`targets`,
 * empty for its base), and the revisions whose descendants are affected (`roots`).
 */
export interface DowngradeTarget {
  targets: string[];
  roots: string[];
}

/**
 * What a revision id (and a branch label) may be. Alembic forbids `@ - + :` (they build targets);
 * an id also names its file and fills `version_num varchar(32)`, so it is short printable ASCII
 * that cannot leave the version folder, hide as a dot file, or be refused as a file name.
 */
export const REVISION_ID = /^(?!\.)(?:(?![@\-+:/\\*?"<>|])[!-~]){1,32}$/;
/** REVISION_ID in words, for messages. */
export const REVISION_ID_RULE = '1 to 32 printable ASCII characters, with no spaces, no leading dot, and none of @ - + : / \\ * ? " < > |';
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

export class RevisionGraph {
  private readonly byId = new Map<string, Revision>();
  private readonly children = new Map<string, string[]>();
  private readonly dependents = new Map<string, string[]>();
  private readonly labels = new Map<string, string>();
  /** `dependsOn` of each revision as revision ids: branch labels resolved. */
  private readonly dependencies = new Map<string, string[]>();
  /** File order of each revision, for deterministic walks. */
  private readonly order = new Map<string, number>();
  /** Revisions in the order they were given (file order). */
  readonly revisions: readonly Revision[];

  constructor(revisions: readonly Revision[]) {
    this.revisions = revisions;
    revisions.forEach((r, i) => {
      if (!REVISION_ID.test(r.id)) throw new RevisionError(`revision id ${JSON.stringify(r.id)}${where(r)} is not valid: use ${REVISION_ID_RULE}`);
      const dup = this.byId.get(r.id);
      if (dup) throw new RevisionError(`duplicate revision id ${r.id} in${where(dup)} and${where(r)}; give one of them a new id`);
      this.byId.set(r.id, r);
      this.children.set(r.id, []);
      this.dependents.set(r.id, []);
      this.order.set(r.id, i);
    });
    for (const r of revisions) {
      for (const label of r.branchLabels) {
        if (!REVISION_ID.test(label)) throw new RevisionError(`branch label ${JSON.stringify(label)} of revision ${r.id}${where(r)} is not valid: use ${REVISION_ID_RULE}`);
        const other = this.labels.get(label);
        if (other) throw new RevisionError(`branch label "${label}" is used by both ${other}${where(this.byId.get(other)!)} and ${r.id}${where(r)}`);
        if (this.byId.has(label)) throw new RevisionError(`branch label "${label}" of revision ${r.id}${where(r)} is also a revision id`);
        this.labels.set(label, r.id);
      }
    }
    for (const r of revisions) {
      for (const parent of r.downRevisions) {
        if (parent === r.id) throw new RevisionError(`revision ${r.id}${where(r)} names itself as its parent`);
        if (!this.byId.has(parent)) throw new RevisionError(`revision ${r.id}${where(r)} revises ${parent}, which no revision file defines`);
      }
      // As Alembic's depends_on: a full revision id, or a branch label, which stands for the
      // revision that carries the label (not the head of its branch) — Alembic resolves each
      // name through its revision map, where a label maps to its labelled revision.
      const deps = r.dependsOn.map((dep) => {
        const id = this.byId.has(dep) ? dep : this.labels.get(dep);
        if (id === undefined) throw new RevisionError(`revision ${r.id}${where(r)} depends on ${dep}, which is neither a revision id nor a branch label of any revision file`);
        if (id === r.id) throw new RevisionError(`revision ${r.id}${where(r)} names itself as its dependency${id === dep ? '' : ` (through its branch label "${dep}")`}`);
        return id;
      });
      this.dependencies.set(r.id, [...new Set(deps)]);
      for (const parent of new Set(r.downRevisions)) this.children.get(parent)!.push(r.id);
      for (const dep of new Set(deps)) this.dependents.get(dep)!.push(r.id);
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
          const files = [...new Set(cycle.map((id) => this.byId.get(id)!.path).filter(Boolean))];
          throw new RevisionError(`revisions form a cycle: ${[...cycle, next].join(' -> ')}${files.length ? ` (${files.join(', ')})` : ''}`);
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

  private rev(id: string): Revision {
    return this.byId.get(id)!;
  }

  /** Down revisions first, then dependencies (as revision ids, branch labels resolved). */
  parentsOf(id: string): string[] {
    return [...this.rev(id).downRevisions, ...this.dependenciesOf(id)];
  }

  /** The revisions `id` depends on: its `dependsOn`, a branch label given as the revision that carries it. */
  dependenciesOf(id: string): string[] {
    return this.dependencies.get(id) ?? [];
  }

  /** Revisions that no other revision revises, in file order. */
  get heads(): Revision[] {
    return this.revisions.filter((r) => this.children.get(r.id)!.length === 0);
  }

  /** Heads, less those that another revision depends on (Alembic's `--resolve-dependencies`). */
  get resolvedHeads(): Revision[] {
    return this.heads.filter((r) => this.dependents.get(r.id)!.length === 0);
  }

  get bases(): Revision[] {
    return this.revisions.filter((r) => r.downRevisions.length === 0);
  }

  /** Revisions with more than one child: where branches start. */
  get branchPoints(): Revision[] {
    return this.revisions.filter((r) => this.children.get(r.id)!.length > 1);
  }

  childrenOf(id: string): Revision[] {
    return (this.children.get(id) ?? []).map((c) => this.rev(c));
  }

  /** A revision by full id, unique prefix (4+ characters) or branch label. */
  lookup(ref: string): Revision {
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const labelled = this.labels.get(ref);
    if (labelled) return this.rev(labelled);
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
      throw new RevisionError(
        `there are ${heads.length} heads (${describeRevisions(heads)}); name one (e.g. <label>@head), use "heads", or join them with \`migrator merge heads -m <message>\``,
      );
    }
    return heads[0];
  }

  /**
   * Heads that no merge joins and no branch label sets apart — none unless there are two or more.
   * A head alone on a labelled branch (an independent branch, as in Alembic) does not count, nor
   * does a head another revision depends on.
   */
  unjoinedHeads(): Revision[] {
    const heads = this.resolvedHeads;
    if (heads.length < 2) return [];
    const apart = new Set<string>();
    for (const labelled of new Set(this.labels.values())) {
      const members = this.branchMembers(labelled);
      const on = heads.filter((h) => members.has(h.id));
      if (on.length === 1) apart.add(on[0].id);
    }
    const unjoined = heads.filter((h) => !apart.has(h.id));
    return unjoined.length > 1 ? unjoined : [];
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

  /** Ids of the given revisions and everything above them (children and dependents). */
  descendants(ids: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.children.get(id)!, ...this.dependents.get(id)!);
    }
    return seen;
  }

  /**
   * The revisions a branch label names: the labelled revision's lineage — everything below it
   * (through down revisions) and everything above it.
   */
  branchMembers(labelledId: string): Set<string> {
    const members = new Set<string>();
    const walk = (start: string, next: (id: string) => readonly string[]): void => {
      const stack = [start];
      while (stack.length) {
        const id = stack.pop()!;
        if (members.has(id) && id !== start) continue;
        members.add(id);
        stack.push(...next(id).filter((n) => !members.has(n)));
      }
    };
    walk(labelledId, (id) => this.children.get(id)!);
    walk(labelledId, (id) => this.rev(id).downRevisions);
    return members;
  }

  /** The bases a label's lineage grows from. */
  private branchBases(labelledId: string): string[] {
    const members = this.branchMembers(labelledId);
    return this.revisions.filter((r) => members.has(r.id) && r.downRevisions.length === 0).map((r) => r.id);
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
      out.push(this.rev(id));
    };
    for (const r of this.revisions) visit(r.id);
    return out;
  }

  /** Heads of the state in which exactly `applied` (closed under ancestors) is applied. */
  headsOf(applied: Set<string>): string[] {
    const implied = new Set<string>();
    for (const id of applied) for (const p of this.parentsOf(id)) implied.add(p);
    return this.revisions.filter((r) => applied.has(r.id) && !implied.has(r.id)).map((r) => r.id);
  }

  private labelled(label: string): Revision {
    const id = this.labels.get(label);
    if (id) return this.rev(id);
    // `<rev>@head` works as well, as in Alembic.
    return this.lookup(label);
  }

  /**
   * Resolves an upgrade target (or any revision reference) to the revisions that should be
   * heads afterwards (empty for `base`).
   */
  resolveTarget(target: string, current: readonly string[]): string[] {
    if (target === 'base') return [];
    if (target === 'heads') return this.heads.map((h) => h.id);
    if (target === 'head') {
      const h = this.head();
      return h ? [h.id] : [];
    }
    const rel = RELATIVE.exec(target);
    if (rel && !this.byId.has(target) && !this.labels.has(target)) return this.resolveRelative(target, rel[1], rel[2], Number(rel[3]), current).targets;
    const at = /^(.+)@(.+)$/.exec(target);
    if (at) {
      const root = this.labelled(at[1]);
      const members = this.branchMembers(root.id);
      if (at[2] === 'base') return [];
      if (at[2] === 'head' || at[2] === 'heads') {
        const heads = this.heads.filter((h) => members.has(h.id));
        if (at[2] === 'head' && heads.length > 1) throw new RevisionError(`"${target}" has several heads: ${heads.map((h) => h.id).join(', ')}; name one`);
        return heads.map((h) => h.id);
      }
      const rev = this.lookup(at[2]);
      if (!members.has(rev.id)) throw new RevisionError(`revision ${rev.id} is not on branch "${at[1]}"`);
      return [rev.id];
    }
    return [this.lookup(target).id];
  }

  /**
   * `+N`, `-N`, `<rev>+N`, `<rev>-N`, `label@+N`, `label@-N`, `label@head-N`, `base+N`.
   * Steps from the current heads (`-N`, `label@-N`) go down by the revisions they walk; steps from
   * a named revision name a target.
   */
  private resolveRelative(target: string, label: string | undefined, from: string | undefined, n: number, current: readonly string[]): DowngradeTarget {
    const members = label ? this.branchMembers(this.labelled(label).id) : undefined;
    let start: string[];
    if (from === 'head' || from === 'heads') start = label ? this.resolveTarget(`${label}@head`, current) : this.resolveTarget(from, current);
    else if (from === 'base') start = [];
    else if (from) start = [this.lookup(from).id];
    else if (members) {
      // The branch's applied part: its current head, or where its lineage meets what is applied.
      const onBranch = current.filter((c) => members.has(c));
      start = onBranch.length ? onBranch : this.headsOf(new Set([...this.ancestors(current)].filter((id) => members.has(id))));
    } else start = [...current];
    if (start.length > 1) throw new RevisionError(`"${target}" is ambiguous: it starts from several heads (${start.join(', ')}); name a revision or a branch (label@${n > 0 ? '+' : '-'}${Math.abs(n)})`);
    let at: string[] = start;
    let walked: string | undefined;
    for (let i = 0; i < Math.abs(n); i++) {
      if (n > 0) {
        let next = at.length ? this.childrenOf(at[0]).map((c) => c.id) : this.bases.map((b) => b.id);
        if (members) next = next.filter((x) => members.has(x));
        if (next.length !== 1) {
          if (next.length === 0) throw new RevisionError(`relative revision ${target} didn't produce ${n} migrations; there are only ${i} above ${start[0] ?? 'base'}`);
          throw new RevisionError(`relative revision ${target} is ambiguous: ${at[0] ?? 'base'} has several next revisions (${next.join(', ')}); name one`);
        }
        at = next;
      } else {
        if (at.length === 0) throw new RevisionError(`relative revision ${target} didn't produce ${-n} migrations; there are only ${i} below ${start[0] ?? 'base'}`);
        const down = this.rev(at[0]).downRevisions;
        if (down.length > 1) throw new RevisionError(`relative revision ${target} is ambiguous: ${at[0]} is a merge of ${down.join(', ')}; name the revision to go to`);
        walked = at[0];
        at = [...down];
      }
    }
    const fromCurrent = from === undefined;
    return { targets: at, roots: n < 0 && fromCurrent && walked ? [walked] : at };
  }

  /** Resolves a downgrade target: what stays, and whose descendants go. */
  resolveDowngrade(target: string, current: readonly string[]): DowngradeTarget {
    if (target === 'base') return { targets: [], roots: this.bases.map((b) => b.id) };
    const rel = RELATIVE.exec(target);
    if (rel && !this.byId.has(target) && !this.labels.has(target)) return this.resolveRelative(target, rel[1], rel[2], Number(rel[3]), current);
    const at = /^(.+)@(.+)$/.exec(target);
    if (at?.[2] === 'base') return { targets: [], roots: this.branchBases(this.labelled(at[1]).id) };
    const targets = this.resolveTarget(target, current);
    if (at && at[2] !== 'head' && at[2] !== 'heads') {
      // label@<rev> takes only that branch down to <rev>: of the children of <rev>, those on the
      // label's lineage go, with whatever builds on them; another branch growing from <rev>
      // keeps its head. Alembic narrows the same way (_collect_downgrade_revisions), to children
      // that are ancestors of the labelled revision; where the branch forks above the labelled
      // revision it finds none and refuses, while this takes every fork of the branch down.
      const members = this.branchMembers(this.labelled(at[1]).id);
      return { targets, roots: this.children.get(targets[0])!.filter((id) => members.has(id)) };
    }
    return { targets, roots: targets };
  }

  /** The steps from `current` heads up to `targets`, with the version-table change of each. */
  upgradePlan(current: readonly string[], targets: readonly string[]): PlannedStep[] {
    const have = this.ancestors(current);
    const toApply = new Set([...this.ancestors(targets)].filter((id) => !have.has(id)));
    const heads = new Set(current);
    return this.topological(toApply).map((revision) => ({ step: { direction: 'up' as const, revision }, changes: this.applyUp(heads, revision) }));
  }

  /**
   * The steps from `current` heads down to a target: every applied revision above the target's
   * roots (dependents included) that the targets do not need — as Alembic does, nothing of
   * another lineage. Children first.
   */
  downgradePlan(current: readonly string[], target: DowngradeTarget): PlannedStep[] {
    const applied = this.ancestors(current);
    for (const t of target.targets) {
      if (!applied.has(t)) throw new RevisionError(`cannot downgrade to ${t}: it is not below the current revision(s) ${current.join(', ') || '(base)'}; use upgrade`);
    }
    const keep = this.ancestors(target.targets);
    // A root that stays (a target) takes down what grows from its children, as Alembic's roots
    // are the target's children: a revision that only depends on the target stays with it.
    const from = target.roots.flatMap((r) => (keep.has(r) ? this.children.get(r)! : [r]));
    const remove = new Set([...this.descendants(from)].filter((id) => applied.has(id) && !keep.has(id)));
    const heads = new Set(current);
    const remaining = new Set(applied);
    return this.topological(remove)
      .reverse()
      .map((revision) => {
        remaining.delete(revision.id);
        return { step: { direction: 'down' as const, revision }, changes: this.applyDown(heads, revision, remaining) };
      });
  }

  /** The steps to move from `current` to `target` in a direction. */
  plan(direction: 'up' | 'down', current: readonly string[], target: string): PlannedStep[] {
    if (direction === 'up') {
      const rel = RELATIVE.exec(target);
      if (rel && !rel[2] && Number(rel[3]) < 0 && !this.byId.has(target)) {
        throw new RevisionError(`relative revision ${target} didn't produce ${-Number(rel[3])} migrations: an upgrade goes up; use downgrade ${target}`);
      }
      return this.upgradePlan(current, this.resolveTarget(target, current));
    }
    const down = this.resolveDowngrade(target, current);
    const steps = this.downgradePlan(current, down);
    // As Alembic: a target that is applied but not a current head, yet takes nothing down (a
    // `label@<rev>` whose branch has nothing applied above <rev>, a revision applied only as
    // another's dependency), is refused rather than passed over.
    const below = down.targets.filter((t) => !current.includes(t));
    if (steps.length === 0 && below.length > 0) {
      const branch = /^(.+)@/.exec(target)?.[1];
      throw new RevisionError(
        `cannot downgrade to ${target}: nothing above ${below.join(', ')} is applied${branch ? ` on branch "${branch}"` : ''} (the database is at ${current.join(', ')})`,
      );
    }
    return steps;
  }

  /** Version-table maintenance for applying `r`, as Alembic's HeadMaintainer does it. */
  private applyUp(heads: Set<string>, r: Revision): HeadChange[] {
    const parentHeads = [...new Set(this.parentsOf(r.id))].filter((p) => heads.has(p));
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
    const restored = [...new Set(this.parentsOf(r.id))].filter((p) => remaining.has(p) && !others.has(p));
    for (const p of restored) heads.add(p);
    if (restored.length === 0) return [{ kind: 'delete', version: r.id }];
    return [{ kind: 'update', from: r.id, to: restored[0] }, ...restored.slice(1).map((v) => ({ kind: 'insert' as const, version: v }))];
  }

  /** Effective heads once exactly `targets` and their ancestors are applied. */
  headsAfter(targets: readonly string[]): string[] {
    return this.headsOf(this.ancestors(targets));
  }
}

/** `abc123 "add x", def456 "add y"`: revisions named with their messages, for messages. */
export function describeRevisions(revisions: readonly Revision[]): string {
  return revisions.map((r) => (r.message ? `${r.id} "${r.message}"` : r.id)).join(', ');
}

function where(r: Revision): string {
  return r.path ? ` (${r.path})` : '';
}
