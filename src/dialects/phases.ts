/**
 * Phases: how a revision's statements split into transactions. Most revisions are one phase, one
 * transaction. Online DDL splits them: `CREATE INDEX CONCURRENTLY` runs outside any transaction,
 * `VALIDATE CONSTRAINT` in a transaction of its own (so that the lock the constraint's creation
 * took is released before the scan), the rest in transactions between them.
 */

/** How a group of statements stands to the revision's transaction. */
export type Placement =
  /** In the current transaction, with the statements around it. */
  | 'inline'
  /** In a transaction of its own, committed before what follows starts. */
  | 'own'
  /** Outside any transaction, each statement alone. */
  | 'none';

/**
 * What a rerun does with a statement outside a transaction that an earlier run started and may
 * not have finished (killed, or timed out waiting for a lock).
 */
export interface Resume {
  /**
   * A query returning one row whose one column is `done` (the statement completed: skip it),
   * `redo` (it left something half-made: run `cleanup`, then the statement) or `run`.
   */
  state: string;
  cleanup: string[];
}

export interface Phase {
  /** The phase's statements: `statements.slice(from, to)` of the compiled revision. */
  from: number;
  to: number;
  /** False: each statement runs alone, outside any transaction. */
  transaction: boolean;
  /** For a statement outside a transaction: how a rerun finds out how far it got. */
  resume?: Resume;
}

/** Collects statements with their placement; consecutive inline statements share a transaction. */
export class PhaseBuilder {
  readonly statements: string[] = [];
  private readonly phases: Phase[] = [];
  /** Whether the last phase takes more inline statements. */
  private open = false;

  add(statements: readonly string[], placement: Placement = 'inline', resume?: Resume): void {
    if (statements.length === 0) return;
    const from = this.statements.length;
    this.statements.push(...statements);
    if (placement === 'none') {
      statements.forEach((_, i) => this.phases.push({ from: from + i, to: from + i + 1, transaction: false, ...(resume ? { resume } : {}) }));
      this.open = false;
    } else if (placement === 'inline' && this.open) {
      this.phases[this.phases.length - 1].to = this.statements.length;
    } else {
      this.phases.push({ from, to: this.statements.length, transaction: true });
      this.open = placement === 'inline';
    }
  }

  /** Whether a phase has a question for a rerun (`resume`). */
  asks(): boolean {
    return this.phases.some((p) => p.resume);
  }

  /** The phases, or undefined when every statement shares one transaction (the usual case). */
  result(): Phase[] | undefined {
    const single = this.phases.length === 0 || (this.phases.length === 1 && this.phases[0].transaction);
    return single ? undefined : this.phases.map((p) => ({ ...p }));
  }
}

/** Where an operation's statements go, before the dialect's own online forms are considered. */
export function placementOf(op: { kind: string; transaction?: false }): Placement {
  if (op.transaction !== false) return 'inline';
  return op.kind === 'execute' ? 'none' : 'own';
}
