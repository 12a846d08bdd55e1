/**
 * The revision graph: revisions linked by `downRevision` (and `dependsOn`), with heads, bases,
 * branch labels, target resolution and the steps between two states — Alembic's semantics.
 * Pure: no files, no database.
 *
 * Squashes, after Django's squashmigrations: a revision S that says `replaces = [r1, …, rn]`
 * stands for that linear range. S revises r1's parent; revisions written after the squash
 * revise S, and those written before it that revise rn are read as revising S (rn is an alias
 * of S: the graph never shows r1…rn as heads, bases or branch points). Whether or not the files
 * of r1…rn are still there:
 *   - a fresh database, and one below the range, runs S alone;
 *   - a database whose version table holds rn counts as at S: a plan from there starts with a
 *     step that runs nothing and moves the row from rn to S (`Step.stampOnly`), in either
 *     direction; `current` shows the row as it is, marked replaced by S;
 *   - a database holding ri (i < n) is halfway through the range. While the old files are there
 *     the plan is made on the graph without S, where they are ordinary revisions (Django uses the
 *     replaced migrations when only some are applied): it runs r(i+1)…rn, then moves the row
 *     from rn to S as above, then goes on (a revision built on S is, on that graph, built on rn);
 *     a downgrade from there runs the old downgrades. Once the old files are gone, such a
 *     database is an error naming the revision and saying to restore the files and migrate —
 *     which is why they must stay until every database is past the range;
 *   - targets: rn names S; an id inside the range is refused (S is applied and reverted as a
 *     whole), except on the graph without S used for a database halfway;
 *   - `downgrade` below S runs S's downgrade; `stamp` reads rn as S and ri as S's parent;
 *     offline `--sql` from rn or ri (`rn:head`) writes the same steps as an online run.
 * Squashes do not nest: a squash replacing a squash, or a revision replaced by two, is an error.
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
  /** For a squash: the revisions it replaces, oldest first (a linear range). */
  replaces?: string[];
}

export class RevisionError extends MigratorError {
  constructor(message: string, code?: string, data?: Record<string, unknown>) {
    super(message, { code, ...(data ? { data } : {}) });
    this.name = 'RevisionError';
  }
}

/**
 * One step of a plan: apply (`up`) or revert (`down`) one revision. `stampOnly`: run nothing,
 * only make the step's version-table change — the row of a range's last revision becomes the
 * squash that replaces the range (or, to rebuild a state, the other way).
 */
export interface Step {
  direction: 'up' | 'down';
  revision: Revision;
  stampOnly?: true;
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
/** No dependencies: shared, never changed. */
const NONE: readonly string[] = Object.freeze([]);
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

export class RevisionGraph {
  private readonly byId = new Map<string, Revision>();
  private readonly children = new Map<string, string[]>();
  private readonly dependents = new Map<string, string[]>();
  private readonly labels = new Map<string, string>();
  /** `dependsOn` of each revision as revision ids: branch labels resolved. */
  private readonly dependencies = new Map<string, readonly string[]>();
  /** File order of each revision, for deterministic walks. */
  private readonly order = new Map<string, number>();
  /** Revisions in the order they were given (file order). */
  readonly revisions: readonly Revision[];

  /** Every revision file, replaced ones included, as read. */
  private readonly files: readonly Revision[];
  /** Replaced revision id → the squash that replaces it. */
  private readonly squashOf = new Map<string, string>();
  /** The files of replaced revisions that are still there. */
  private readonly replacedFiles = new Map<string, Revision>();
  /** Ids that stand for another revision: a squash's id on the graph without it (its range's last). */
  private readonly aliases: ReadonlyMap<string, string>;

  constructor(files: readonly Revision[], options: { aliases?: ReadonlyMap<string, string> } = {}) {
    this.files = files;
    this.aliases = options.aliases ?? new Map();
    const all = new Map<string, Revision>();
    for (const r of files) {
      if (!REVISION_ID.test(r.id)) throw new RevisionError(`revision id ${JSON.stringify(r.id)}${where(r)} is not valid: use ${REVISION_ID_RULE}`);
      const dup = all.get(r.id);
      if (dup) throw new RevisionError(`duplicate revision id ${r.id} in${where(dup)} and${where(r)}; give one of them a new id`);
      all.set(r.id, r);
    }
    this.readSquashes(all);
    const revisions = files.filter((r) => !this.squashOf.has(r.id)).map((r) => this.throughSquashes(r));
    this.revisions = revisions;
    revisions.forEach((r, i) => {
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
      if (r.dependsOn.length === 0 && r.downRevisions.length === 1) {
        // The common case, without the sets below.
        this.dependencies.set(r.id, NONE);
        this.children.get(r.downRevisions[0])!.push(r.id);
        continue;
      }
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

  /**
   * Reads the `replaces` lists: each replaced id belongs to one squash; the files still there
   * form one line, oldest first, starting at the squash's parent.
   */
  private readSquashes(all: ReadonlyMap<string, Revision>): void {
    for (const s of this.files) {
      const ids = s.replaces ?? [];
      for (const id of ids) {
        if (!REVISION_ID.test(id)) throw new RevisionError(`squash ${s.id}${where(s)} replaces ${JSON.stringify(id)}, which is not a valid revision id: use ${REVISION_ID_RULE}`);
        if (id === s.id) throw new RevisionError(`squash ${s.id}${where(s)} names itself in its replaces list`);
        const other = this.squashOf.get(id);
        if (other !== undefined) {
          throw new RevisionError(
            other === s.id
              ? `squash ${s.id}${where(s)} names ${id} twice in its replaces list`
              : `revision ${id} is replaced by two squashes, ${other}${where(all.get(other)!)} and ${s.id}${where(s)}; a revision is squashed once: take it out of one replaces list`,
          );
        }
        this.squashOf.set(id, s.id);
      }
    }
    for (const s of this.files) {
      const ids = s.replaces ?? [];
      if (ids.length === 0) continue;
      if (this.squashOf.has(s.id)) {
        throw new RevisionError(`squash ${s.id}${where(s)} is itself replaced by squash ${this.squashOf.get(s.id)}${where(all.get(this.squashOf.get(s.id)!)!)}; squashes do not nest: squash the original revisions`);
      }
      const inside = s.downRevisions.find((d) => ids.includes(d));
      if (inside) throw new RevisionError(`squash ${s.id}${where(s)} revises ${inside}, which it replaces; it must revise the parent of ${ids[0]}`);
      ids.forEach((id, k) => {
        const r = all.get(id);
        if (!r) return;
        this.replacedFiles.set(id, r);
        if ((r.replaces ?? []).length) throw new RevisionError(`squash ${s.id}${where(s)} replaces ${id}${where(r)}, which is itself a squash; squashes do not nest: squash the original revisions`);
        // The range's parent as the graph reads it: the last of another squash's range is that squash.
        const canon = (d: string): string => {
          const other = this.squashOf.get(d);
          return other !== undefined && isLast(all.get(other)!, d) ? other : d;
        };
        const expected = k === 0 ? s.downRevisions.map(canon) : [ids[k - 1]];
        const parents = k === 0 ? r.downRevisions.map(canon) : r.downRevisions;
        const same = parents.length === expected.length && parents.every((d) => expected.includes(d));
        if (same) return;
        const revises = r.downRevisions.join(', ') || 'nothing (it is a base)';
        if (k === 0) {
          throw new RevisionError(
            `squash ${s.id}${where(s)} revises ${s.downRevisions.join(', ') || 'nothing'}, but the first revision it replaces, ${id}${where(r)}, revises ${revises}; a squash revises the parent of its range`,
          );
        }
        throw new RevisionError(`squash ${s.id}${where(s)} replaces ${ids.join(', ')}, which is not one line: ${id}${where(r)} revises ${revises}, not ${ids[k - 1]}`);
      });
    }
  }

  /**
   * A revision as the graph reads it: a parent or dependency that is the last revision of a
   * squashed range is the squash. One inside a range is an error: nothing may build on it.
   */
  private throughSquashes(r: Revision): Revision {
    if (this.squashOf.size === 0) return r;
    const map = (id: string, what: string): string => {
      const s = this.squashOf.get(id);
      if (s === undefined) return id;
      const squash = this.files.find((f) => f.id === s)!;
      const ids = squash.replaces!;
      if (id === ids[ids.length - 1]) return s;
      throw new RevisionError(
        `revision ${r.id}${where(r)} ${what} ${id}, which squash ${s}${where(squash)} replaces in the middle of its range; only the last (${ids[ids.length - 1]}) may be built on: ${what === 'revises' ? 'revise' : 'depend on'} ${s} instead`,
      );
    };
    const downRevisions = r.downRevisions.map((d) => map(d, 'revises'));
    const dependsOn = r.dependsOn.map((d) => map(d, 'depends on'));
    const changed = downRevisions.some((d, i) => d !== r.downRevisions[i]) || dependsOn.some((d, i) => d !== r.dependsOn[i]);
    return changed ? { ...r, downRevisions, dependsOn } : r;
  }

  /** The squash that replaces revision `id`, if one does. */
  replacedBy(id: string): Revision | undefined {
    const s = this.squashOf.get(id);
    return s === undefined ? undefined : this.byId.get(s);
  }

  /** The file of a replaced revision, while it is still there. */
  replacedRevision(id: string): Revision | undefined {
    return this.replacedFiles.get(id);
  }

  /** Whether a version-table row names a revision this graph knows: a revision, or one a squash replaces. */
  knows(id: string): boolean {
    return this.byId.has(id) || this.squashOf.has(id);
  }

  /**
   * Version-table rows as heads of this graph: the last revision of a squashed range as its
   * squash; one inside a range as the squash's parents (what is wholly applied below it).
   */
  effectiveHeads(rows: readonly string[]): string[] {
    const out: string[] = [];
    for (const h of rows) {
      const s = this.replacedBy(h);
      if (!s) out.push(h);
      else if (isLast(s, h)) out.push(s.id);
      else out.push(...s.downRevisions);
    }
    return this.headsOf(this.ancestors([...new Set(out)]));
  }

  /** The graph a database halfway through squash `id`'s range migrates on: the old files, without the squash. */
  private withoutSquash(id: string): RevisionGraph {
    const squash = this.rev(id);
    const last = squash.replaces![squash.replaces!.length - 1];
    const swap = (x: string): string => (x === id ? last : x);
    const files = this.files
      .filter((r) => r.id !== id)
      .map((r) => (r.downRevisions.includes(id) || r.dependsOn.includes(id) ? { ...r, downRevisions: r.downRevisions.map(swap), dependsOn: r.dependsOn.map(swap) } : r));
    return new RevisionGraph(files, { aliases: new Map([...this.aliases, [id, last]]) });
  }

  /**
   * Whether some revisions lie on a cycle: Kahn's walk from the bases, in which a revision is
   * reached once each of its parents is; one never reached is on a cycle or above one.
   */
  private hasCycle(): boolean {
    const waiting = new Map<string, number>();
    const ready: string[] = [];
    for (const r of this.revisions) {
      const parents = (r.downRevisions.length < 2 ? r.downRevisions.length : new Set(r.downRevisions).size) + this.dependencies.get(r.id)!.length;
      if (parents === 0) ready.push(r.id);
      else waiting.set(r.id, parents);
    }
    let reached = 0;
    const release = (id: string): void => {
      const left = waiting.get(id)! - 1;
      if (left === 0) ready.push(id);
      waiting.set(id, left);
    };
    while (ready.length) {
      const id = ready.pop()!;
      reached++;
      for (const c of this.children.get(id)!) release(c);
      for (const d of this.dependents.get(id)!) release(d);
    }
    return reached !== this.revisions.length;
  }

  /** Refuses a cycle, naming the revisions on it (found by a depth-first walk, only when there is one). */
  private checkCycles(): void {
    if (!this.hasCycle()) return;
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

  /** A revision the graph holds; an id it does not (a version-table row no file defines) is an error naming it, not a crash. */
  private rev(id: string): Revision {
    const r = this.byId.get(id);
    if (r === undefined) throw new RevisionError(`no revision file defines revision ${id}`, 'UNKNOWN_REVISION', { ref: id });
    return r;
  }

  /** Down revisions first, then dependencies (as revision ids, branch labels resolved). */
  parentsOf(id: string): string[] {
    const s = this.replacedBy(id);
    if (s) {
      // A replaced revision, as a version-table row: the one before it in the range, or the squash's parents.
      const at = s.replaces!.indexOf(id);
      return at === 0 ? [...s.downRevisions] : [s.replaces![at - 1]];
    }
    return [...this.rev(id).downRevisions, ...this.dependenciesOf(id)];
  }

  /** The revisions `id` depends on: its `dependsOn`, a branch label given as the revision that carries it. */
  dependenciesOf(id: string): readonly string[] {
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
    const alias = this.aliases.get(ref);
    if (alias) return this.rev(alias);
    const squash = this.replacedBy(ref);
    if (squash) {
      if (isLast(squash, ref)) return squash;
      throw new RevisionError(
        `revision ${ref} is one of those squash ${squash.id}${where(squash)} replaces, which is applied and reverted as a whole; name ${squash.id}, or a revision below or above it`,
      );
    }
    const labelled = this.labels.get(ref);
    if (labelled) return this.rev(labelled);
    if (ref.length < 4) throw new RevisionError(`no revision "${ref}"; a partial id needs at least 4 characters`, 'UNKNOWN_REVISION', { ref });
    const matches = this.revisions.filter((r) => r.id.startsWith(ref));
    if (matches.length === 0) throw new RevisionError(`no revision "${ref}"; see \`migrator history\` for the revisions there are`, 'UNKNOWN_REVISION', { ref });
    if (matches.length > 1) throw new RevisionError(`revision prefix "${ref}" is ambiguous: ${matches.map((m) => m.id).join(', ')}`);
    return matches[0];
  }

  /** The single head; an error naming the heads when there are several. */
  head(): Revision | undefined {
    const heads = this.heads;
    if (heads.length > 1) {
      throw new RevisionError(
        `there are ${heads.length} heads (${describeRevisions(heads)}); name one (e.g. <label>@head), use "heads", or join them with \`migrator merge heads -m <message>\``,
        'MULTIPLE_HEADS',
        { heads: heads.map((h) => h.id) },
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
        if (at[2] === 'head' && heads.length > 1) throw new RevisionError(`"${target}" has several heads: ${heads.map((h) => h.id).join(', ')}; name one`, 'MULTIPLE_HEADS');
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

  /**
   * The steps to move from `current` (the version table's rows) to `target` in a direction. A
   * row inside a squashed range plans on the old files (see the top of this file); a row that
   * is a range's last revision is first moved to its squash.
   */
  plan(direction: 'up' | 'down', current: readonly string[], target: string): PlannedStep[] {
    const halfway = current.find((h) => {
      const s = this.replacedBy(h);
      return s !== undefined && !isLast(s, h);
    });
    if (halfway !== undefined) return this.planHalfway(halfway, direction, current, target);
    const prelude: PlannedStep[] = [];
    const heads: string[] = [];
    for (const h of current) {
      const s = this.replacedBy(h);
      if (s) prelude.push(stampStep(s, h));
      if (!heads.includes(s?.id ?? h)) heads.push(s?.id ?? h);
    }
    const steps = this.planOnGraph(direction, heads, target);
    // Going up, the row is moved even when nothing else is to be done; going down, only on the way.
    return direction === 'down' && steps.length === 0 ? [] : [...prelude, ...steps];
  }

  /** A database at `row`, inside the range a squash replaces: the plan on the old files. */
  private planHalfway(row: string, direction: 'up' | 'down', current: readonly string[], target: string): PlannedStep[] {
    const squash = this.replacedBy(row)!;
    const ids = squash.replaces!;
    const missing = ids.filter((id) => !this.replacedFiles.has(id));
    if (missing.length) {
      throw new RevisionError(
        `the database is at revision ${row}, inside the range that squash ${squash.id}${where(squash)} replaces, and the files of ${missing.join(', ')} are gone: ` +
          `restore them (from version control) and run \`migrator migrate\`; the replaced files must stay until every database is past ${ids[ids.length - 1]}`,
      );
    }
    const steps = this.withoutSquash(squash.id).plan(direction, current, target);
    // A database that ends at the range's last revision is recorded at the squash.
    const rows = new Set(current);
    for (const { changes } of steps) applyChanges(rows, changes);
    const last = ids[ids.length - 1];
    if (direction === 'up' && rows.has(last)) steps.push(stampStep(squash, last));
    return steps;
  }

  /**
   * The steps that take an empty database to exactly the version-table rows `rows` (ids of
   * replaced revisions included): how a scratch copy of a database is built.
   */
  stepsFromBase(rows: readonly string[]): PlannedStep[] {
    const halfway = rows.find((h) => {
      const s = this.replacedBy(h);
      return s !== undefined && !isLast(s, h);
    });
    if (halfway !== undefined) {
      this.planHalfway(halfway, 'up', rows, halfway); // the files must be there
      return this.withoutSquash(this.replacedBy(halfway)!.id).stepsFromBase(rows);
    }
    const heads = [...new Set(rows.map((h) => this.replacedBy(h)?.id ?? h))];
    const steps = this.upgradePlan([], heads);
    for (const h of rows) {
      const s = this.replacedBy(h);
      if (s) steps.push({ step: { direction: 'up', revision: s, stampOnly: true }, changes: [{ kind: 'update', from: s.id, to: h }] });
    }
    return steps;
  }

  /** The steps to move from `current` heads of this graph to `target` in a direction. */
  private planOnGraph(direction: 'up' | 'down', current: readonly string[], target: string): PlannedStep[] {
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

  /**
   * The version table's rows once every revision is applied, sorted: the heads, less those another
   * revision depends on (they have no row of their own).
   */
  headRows(): string[] {
    return this.headsAfter(this.heads.map((h) => h.id)).sort();
  }

  /** Ids of the revisions a database with these version-table rows has applied; rows this graph does not know are left out. */
  appliedBelow(rows: readonly string[]): Set<string> {
    return this.ancestors(this.effectiveHeads(rows.filter((h) => this.knows(h))));
  }

  /** The upgrades a database at these rows has still to run to reach the heads (stamps of squashes left out). */
  pending(rows: readonly string[]): PlannedStep[] {
    return this.plan('up', rows, 'heads').filter((p) => p.step.direction === 'up' && !p.step.stampOnly);
  }

  /**
   * The revisions of `range`, oldest first: `a:b` with both ends included, either left out (or
   * `base`, `heads`) for no bound; `a` alone is `a` and what is above it. Without a range, all.
   */
  inRange(range?: string): Revision[] {
    let ids = new Set(this.revisions.map((r) => r.id));
    if (range) {
      const [lower, upper] = range.includes(':') ? range.split(':', 2) : [range, ''];
      if (upper && upper !== 'heads') ids = this.ancestors(this.resolveTarget(upper, []));
      if (lower && lower !== 'base') {
        const above = this.descendants(this.resolveTarget(lower, []));
        ids = new Set([...ids].filter((id) => above.has(id)));
      }
    }
    return this.topological(ids);
  }

  /**
   * The version-table rows of a database at `ref`, as an offline range's start names it: none for
   * `base` (or no start); a revision a squash replaces as the row it is.
   */
  rowsAt(ref: string | undefined): string[] {
    return ref === undefined || ref === 'base' ? [] : this.replacedBy(ref) ? [ref] : this.resolveTarget(ref, []);
  }

  /**
   * The heads after stamping `targets` onto `current`, branch by branch as Alembic does: a target
   * replaces the heads of its own lineage; `base` clears the rows, `label@base` that branch's.
   */
  stampedHeads(current: readonly string[], targets: readonly string[]): string[] {
    // A row a squash replaces: its range's last as the squash, one inside as the squash's parent.
    let heads = this.effectiveHeads(current);
    for (const target of targets) {
      if (target === 'base') {
        heads = [];
        continue;
      }
      const down = /@base$/.test(target) ? this.resolveDowngrade(target, heads) : undefined;
      if (down) {
        const gone = this.descendants(down.roots);
        heads = [...heads.filter((h) => !gone.has(h)), ...down.targets];
        continue;
      }
      for (const t of this.resolveTarget(target, heads)) {
        const below = this.ancestors([t]);
        const above = this.descendants([t]);
        heads = [...heads.filter((h) => !below.has(h) && !above.has(h)), t];
      }
    }
    return this.headsAfter(heads);
  }
}

/**
 * The revisions from `first` to `last`, oldest first: one line, with no merge above `first`, no
 * branch starting below `last`, and nothing outside depending on a revision below `last`.
 */
export function linearRange(graph: RevisionGraph, first: Revision, last: Revision): Revision[] {
  const file = (r: Revision): string => (r.path ? ` (${r.path})` : '');
  if (first.id === last.id) throw new MigratorError(`squash needs two different revisions; ${first.id} to ${last.id} is one`);
  const range: Revision[] = [last];
  for (let r = last; r.id !== first.id; ) {
    if (r.downRevisions.length === 0) throw new MigratorError(`${first.id} is not below ${last.id}: going down from ${last.id} reaches the base ${r.id}${file(r)} first; give the older revision first`);
    if (r.downRevisions.length > 1) throw new MigratorError(`the range is not one line: revision ${r.id}${file(r)} merges ${r.downRevisions.join(', ')}; squash up to it, or from it`);
    r = graph.get(r.downRevisions[0])!;
    range.unshift(r);
  }
  for (const r of range) {
    if ((r.replaces ?? []).length) throw new MigratorError(`revision ${r.id}${file(r)} is itself a squash; squashes do not nest: squash a range without it`);
  }
  const inside = new Set(range.slice(0, -1).map((r) => r.id));
  for (const r of range.slice(0, -1)) {
    const others = graph.childrenOf(r.id).filter((c) => !range.includes(c));
    if (others.length) {
      throw new MigratorError(`the range is not one line: revision ${r.id}${file(r)} is a branch point, ${others.map((c) => `${c.id}${file(c)}`).join(', ')} also revises it; squash up to ${r.id}, or merge first`);
    }
  }
  for (const r of graph.revisions) {
    if (range.includes(r)) continue;
    const dep = graph.dependenciesOf(r.id).find((d) => inside.has(d));
    if (dep) throw new MigratorError(`revision ${r.id}${file(r)} depends on ${dep}, inside the range; only the last revision of a squashed range may be depended on: squash up to ${dep}, or from above it`);
  }
  return range;
}

/** `abc123 "add x", def456 "add y"`: revisions named with their messages, for messages. */
export function describeRevisions(revisions: readonly Revision[]): string {
  return revisions.map((r) => (r.message ? `${r.id} "${r.message}"` : r.id)).join(', ');
}

/** Whether `id` is the last revision squash `s` replaces: the one its id stands for. */
function isLast(s: Revision, id: string): boolean {
  const ids = s.replaces ?? [];
  return ids[ids.length - 1] === id;
}

/** The step that moves the row of a squashed range's last revision to the squash, running nothing. */
function stampStep(squash: Revision, last: string): PlannedStep {
  return { step: { direction: 'up', revision: squash, stampOnly: true }, changes: [{ kind: 'update', from: last, to: squash.id }] };
}

/** Version-table rows after `changes`. */
function applyChanges(rows: Set<string>, changes: readonly HeadChange[]): void {
  for (const c of changes) {
    if (c.kind === 'insert') rows.add(c.version);
    else if (c.kind === 'delete') rows.delete(c.version);
    else {
      rows.delete(c.from);
      rows.add(c.to);
    }
  }
}

function where(r: Revision): string {
  return r.path ? ` (${r.path})` : '';
}

/** How `drawGraph` shows each revision. */
export interface GraphDrawingOptions {
  /** Only these revisions (a range); edges to others are left out. Default: every revision. */
  only?: ReadonlySet<string>;
  /** The text after a revision's node. Default: its id and message. */
  describe?: (r: Revision) => string;
  /** The node's mark. Default `*`. */
  mark?: (r: Revision) => string;
}

/**
 * The revision graph as `git log --graph` draws commits: newest first, one column per line of
 * descent, `|\` where a merge's parents part, `|/` where branches meet at their branch point.
 * Replaced revisions are not shown: their squash stands for them. Edges are parents (down
 * revisions); dependencies are not drawn.
 */
export function drawGraph(graph: RevisionGraph, options: GraphDrawingOptions = {}): string[] {
  const describe = options.describe ?? ((r: Revision) => `${r.id}${r.message ? `  ${r.message}` : ''}`);
  const mark = options.mark ?? (() => '*');
  const shown = options.only ?? new Set(graph.revisions.map((r) => r.id));
  const order = graph.topological(new Set(shown)).reverse();
  /** What each column waits for: the parent its line of descent reaches next. */
  const lanes: (string | null)[] = [];
  const lines: string[] = [];
  const emit = (chars: string[]): void => void lines.push(chars.join('').trimEnd());
  const blank = (): string[] => Array.from({ length: lanes.length * 2 }, () => ' ');
  /** The column a base ended on the row before: a head that starts there is set apart by a gap. */
  let ended: number | undefined;
  for (const r of order) {
    const waiting = lanes.flatMap((id, i) => (id === r.id ? [i] : []));
    let col: number;
    if (waiting.length === 0) {
      // A head: the first free column.
      col = lanes.indexOf(null);
      if (col < 0) col = lanes.length;
      if (col === ended) {
        const gap = blank();
        lanes.forEach((id, i) => void (id !== null && (gap[i * 2] = '|')));
        emit(gap);
      }
      lanes[col] = r.id;
    } else {
      col = waiting[0];
      if (waiting.length > 1) {
        // Branches meet: the later columns lean into this one, and the columns after them move left.
        const chars = blank();
        const first = waiting[1];
        lanes.forEach((id, i) => {
          if (id === null) return;
          if (i < first) chars[i * 2] = '|';
          else chars[i * 2 - 1] = '/';
        });
        emit(chars);
        for (const i of waiting.slice(1).reverse()) lanes.splice(i, 1);
      }
    }
    const node = blank();
    lanes.forEach((id, i) => {
      if (i === col) node[i * 2] = mark(r);
      else if (id !== null) node[i * 2] = '|';
    });
    lines.push(`${node.join('').trimEnd().padEnd(lanes.length * 2 - 1)} ${describe(r)}`);
    const parents = r.downRevisions.filter((p) => shown.has(p));
    ended = undefined;
    if (parents.length === 0) {
      lanes[col] = null;
      ended = col;
    } else {
      lanes[col] = parents[0];
      const extra = parents.slice(1);
      if (extra.length) {
        // A merge: its other parents take new columns to the right; the columns after move right.
        const before = lanes.length;
        lanes.splice(col + 1, 0, ...extra);
        const chars = Array.from({ length: lanes.length * 2 }, () => ' ');
        for (let i = 0; i <= col; i++) if (lanes[i] !== null) chars[i * 2] = '|';
        for (let k = 1; k <= extra.length; k++) chars[col * 2 + 2 * k - 1] = '\\';
        for (let i = col + 1; i < before; i++) if (lanes[i + extra.length] !== null) chars[i * 2 + 1] = '\\';
        emit(chars);
      }
    }
    while (lanes.length && lanes[lanes.length - 1] === null) lanes.pop();
  }
  return lines;
}

/** A revision's label for a diagram: id, branch labels, message. */
function diagramLabel(r: Revision): string[] {
  return [`${r.id}${r.branchLabels.length ? ` (${r.branchLabels.join(', ')})` : ''}`, ...(r.message ? [r.message] : [])];
}

/**
 * The graph as a Mermaid flowchart, oldest at the top: parent → child edges, dependencies
 * dotted, heads and merges marked. Replaced revisions are not shown.
 */
export function mermaidGraph(graph: RevisionGraph): string {
  const name = new Map(graph.revisions.map((r, i) => [r.id, `r${i}`]));
  const text = (s: string): string => s.replace(/[&"<>#]/g, (c) => `#${c.charCodeAt(0)};`);
  const lines = ['flowchart TD'];
  for (const r of graph.topological(new Set(name.keys()))) {
    lines.push(`  ${name.get(r.id)}["${diagramLabel(r).map(text).join('<br/>')}"]`);
  }
  for (const r of graph.topological(new Set(name.keys()))) {
    for (const p of r.downRevisions) if (name.has(p)) lines.push(`  ${name.get(p)} --> ${name.get(r.id)}`);
    for (const d of graph.dependenciesOf(r.id)) if (name.has(d)) lines.push(`  ${name.get(d)} -.->|depends on| ${name.get(r.id)}`);
  }
  const heads = graph.heads.map((h) => name.get(h.id)!);
  if (heads.length) lines.push('  classDef head stroke-width:3px', `  class ${heads.join(',')} head`);
  return `${lines.join('\n')}\n`;
}

/** The graph in Graphviz's DOT language, oldest at the top; dependencies dashed, heads bold. */
export function dotGraph(graph: RevisionGraph): string {
  const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const heads = new Set(graph.heads.map((h) => h.id));
  const ids = new Set(graph.revisions.map((r) => r.id));
  const lines = ['digraph revisions {', '  rankdir=TB;', '  node [shape=box, fontname="monospace"];'];
  const ordered = graph.topological(ids);
  // A line break in a label is DOT's own \n, not a newline in the file.
  const label = (r: Revision): string => `"${diagramLabel(r).map((l) => quote(l).slice(1, -1)).join('\\n')}"`;
  for (const r of ordered) lines.push(`  ${quote(r.id)} [label=${label(r)}${heads.has(r.id) ? ', style=bold' : ''}];`);
  for (const r of ordered) {
    for (const p of r.downRevisions) if (ids.has(p)) lines.push(`  ${quote(p)} -> ${quote(r.id)};`);
    for (const d of graph.dependenciesOf(r.id)) if (ids.has(d)) lines.push(`  ${quote(d)} -> ${quote(r.id)} [style=dashed, label="depends on"];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
