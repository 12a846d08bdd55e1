/**
 * The revision graph, scenario by scenario, against Alembic 1.20.
 *
 * Each scenario is a set of revisions (id, down revisions, branch labels, dependencies) and a
 * sequence of `upgrade <target>` / `downgrade <target>` commands starting at base. For each
 * command the table gives the steps Alembic ran and the rows of Alembic's version table
 * afterwards, or that Alembic refused the command. The expectations were recorded by building
 * the same graphs as Alembic script directories (files loaded in the order listed here) and
 * running `alembic.command.upgrade` / `downgrade` on SQLite, with each revision's
 * upgrade()/downgrade() logging its id; they agree with alembic/script/revision.py
 * (_collect_upgrade_revisions, _collect_downgrade_revisions, _walk, _parse_*_target) and with
 * alembic/runtime/migration.py (HeadMaintainer.update_to_step, RevisionStep).
 *
 * Every command starts from the rows the table expects after the previous one, so that one
 * difference does not cascade into the rest of the scenario.
 *
 * What is checked for a command that succeeds:
 *   - the same revisions are applied or reverted as Alembic did, each in a valid order (parents
 *     and dependencies before a revision going up, after it going down). Alembic's own order is
 *     listed; where independent branches interleave, any valid topological order is accepted,
 *     as the reference notes say;
 *   - the version-table change of every step is the one Alembic's HeadMaintainer makes in that
 *     state (a port of update_to_step below), touching exactly one existing row per UPDATE and
 *     DELETE, as Alembic's online rowcount check requires;
 *   - the rows afterwards are Alembic's rows, and they are the effective heads of exactly the
 *     revisions applied (a revision implied by another head's dependsOn has no row).
 * For a command Alembic refuses, the plan must throw a RevisionError; the message is matched
 * loosely (migrator words its errors its own way).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RevisionError, RevisionGraph, type HeadChange, type PlannedStep, type Revision } from '../../src/revisions/graph.js';

function rev(id: string, downRevisions: string[] = [], branchLabels: string[] = [], dependsOn: string[] = [], path?: string): Revision {
  return { id, downRevisions, branchLabels, dependsOn, ...(path ? { path } : {}) };
}

interface Command {
  /** `upgrade <target>` or `downgrade <target>`. */
  run: string;
  /** Alembic's steps, `up:<id>` / `down:<id>`, in Alembic's order. */
  steps?: string[];
  /** Alembic's version-table rows afterwards, sorted. */
  rows?: string[];
  /** Alembic refused the command; the rows stay as they were. */
  error?: RegExp;
}

const ok = (run: string, steps: string[], rows: string[]): Command => ({ run, steps, rows });
const err = (run: string, error: RegExp): Command => ({ run, error });

interface Scenario {
  name: string;
  revisions: Revision[];
  /** RevisionMap.heads, ._real_heads (heads --resolve-dependencies), .bases, and the revisions with is_branch_point. */
  heads: string[];
  resolvedHeads: string[];
  bases: string[];
  branchPoints: string[];
  commands: Command[];
}

const SCENARIOS: Scenario[] = [
  {
    // 1a0001aa <- 1a0002bb <- 3c0003cc <- 4d0004dd
    name: 'linear',
    revisions: [rev('1a0001aa'), rev('1a0002bb', ['1a0001aa']), rev('3c0003cc', ['1a0002bb']), rev('4d0004dd', ['3c0003cc'])],
    heads: ['4d0004dd'],
    resolvedHeads: ['4d0004dd'],
    bases: ['1a0001aa'],
    branchPoints: [],
    commands: [
      ok('upgrade +1', ['up:1a0001aa'], ['1a0001aa']),
      ok('upgrade +2', ['up:1a0002bb', 'up:3c0003cc'], ['3c0003cc']),
      ok('downgrade -1', ['down:3c0003cc'], ['1a0002bb']),
      ok('upgrade 3c00', ['up:3c0003cc'], ['3c0003cc']),
      ok('upgrade head', ['up:4d0004dd'], ['4d0004dd']),
      ok('downgrade 1a0002bb', ['down:4d0004dd', 'down:3c0003cc'], ['1a0002bb']),
      ok('downgrade base', ['down:1a0002bb', 'down:1a0001aa'], []),
      ok('upgrade 1a0001aa+2', ['up:1a0001aa', 'up:1a0002bb', 'up:3c0003cc'], ['3c0003cc']),
      ok('downgrade 3c0003cc-2', ['down:3c0003cc', 'down:1a0002bb'], ['1a0001aa']),
      err('upgrade +5', /didn't produce 5/), // Relative revision +5 didn't produce 5 migrations
      err('downgrade -3', /didn't produce 3/), // Relative revision -3 didn't produce 3 migrations
      ok('upgrade heads', ['up:1a0002bb', 'up:3c0003cc', 'up:4d0004dd'], ['4d0004dd']),
      // _parse_upgrade_target: "Upgrading to current - n is not valid."
      err('upgrade -1', /didn't produce 1/), // Relative revision -1 didn't produce 1 migrations
      // _parse_downgrade_target: "Downgrading to current + n is not valid."
      err('downgrade +1', /didn't produce 1/), // Relative revision +1 didn't produce 1 migrations
      ok('downgrade 4d0004dd', [], ['4d0004dd']),
      ok('upgrade 1a0001aa', [], ['4d0004dd']),
      err('downgrade 1a00', /ambiguous/i), // Multiple revisions start with '1a00'
      err('downgrade zzzz', /zzzz/), // Can't locate revision identified by 'zzzz'
      ok('downgrade 3c00-1', ['down:4d0004dd', 'down:3c0003cc'], ['1a0002bb']),
      // _revision_for_ident: a partial id resolves when exactly one revision id (of 4+
      // characters) starts with it; the prefix itself may be shorter than 4 characters.
      // Deliberately stricter than Alembic (which accepts any unique prefix): migrator's contract
      // is a prefix of at least 4 characters, so a 3-character one is an error.
      err('upgrade 4d0', /at least 4 characters/),
      ok('upgrade 4d00', ['up:3c0003cc', 'up:4d0004dd'], ['4d0004dd']),
      ok('downgrade 1a0002bb', ['down:4d0004dd', 'down:3c0003cc'], ['1a0002bb']),
      ok('downgrade 3c00-1', [], ['1a0002bb']),
      ok('downgrade base', ['down:1a0002bb', 'down:1a0001aa'], []),
      ok('upgrade base+2', ['up:1a0001aa', 'up:1a0002bb'], ['1a0002bb']),
      ok('upgrade +1', ['up:3c0003cc'], ['3c0003cc']),
      err('downgrade 4d0004dd', /not below/), // Destination 4d0004dd is not a valid downgrade target from current head(s)
      ok('downgrade -2', ['down:3c0003cc', 'down:1a0002bb'], ['1a0001aa']),
      err('upgrade 4d0004dd+1', /./), // Alembic fails with an AssertionError in _walk; any RevisionError will do
      ok('downgrade base', ['down:1a0001aa'], []),
    ],
  },
  {
    // aaaa01 <- bbbb01, aaaa01 <- bbbb02, (bbbb01, bbbb02) <- mmmm01 <- nnnn01
    name: 'diamond',
    revisions: [rev('aaaa01'), rev('bbbb01', ['aaaa01']), rev('bbbb02', ['aaaa01']), rev('mmmm01', ['bbbb01', 'bbbb02']), rev('nnnn01', ['mmmm01'])],
    heads: ['nnnn01'],
    resolvedHeads: ['nnnn01'],
    bases: ['aaaa01'],
    branchPoints: ['aaaa01'],
    commands: [
      ok('upgrade bbbb01', ['up:aaaa01', 'up:bbbb01'], ['bbbb01']),
      ok('upgrade heads', ['up:bbbb02', 'up:mmmm01', 'up:nnnn01'], ['nnnn01']),
      // Downgrading to a revision reverts its descendants only (roots = its children): the
      // other parent of the merge stays applied.
      ok('downgrade bbbb02', ['down:nnnn01', 'down:mmmm01'], ['bbbb01', 'bbbb02']),
      ok('upgrade heads', ['up:mmmm01', 'up:nnnn01'], ['nnnn01']),
      ok('downgrade -1', ['down:nnnn01'], ['mmmm01']),
      // _walk one step down from a merge point finds two revisions: "Ambiguous walk".
      err('downgrade -1', /ambiguous/i),
      ok('upgrade +1', ['up:nnnn01'], ['nnnn01']),
      ok('upgrade head', [], ['nnnn01']),
      ok('downgrade aaaa01', ['down:nnnn01', 'down:mmmm01', 'down:bbbb01', 'down:bbbb02'], ['aaaa01']),
      ok('upgrade bbbb02', ['up:bbbb02'], ['bbbb02']),
      ok('upgrade mmmm01', ['up:bbbb01', 'up:mmmm01'], ['mmmm01']),
      ok('downgrade bbbb01', ['down:mmmm01'], ['bbbb01', 'bbbb02']),
      ok('upgrade heads', ['up:mmmm01', 'up:nnnn01'], ['nnnn01']),
      ok('downgrade base', ['down:nnnn01', 'down:mmmm01', 'down:bbbb01', 'down:bbbb02', 'down:aaaa01'], []),
    ],
  },
  {
    // r0r0r0 <- s1s1s1 <- s2s2s2, r0r0r0 <- t1t1t1: two heads, no merge, no labels
    name: 'sibling branches',
    revisions: [rev('r0r0r0'), rev('s1s1s1', ['r0r0r0']), rev('s2s2s2', ['s1s1s1']), rev('t1t1t1', ['r0r0r0'])],
    heads: ['s2s2s2', 't1t1t1'],
    resolvedHeads: ['s2s2s2', 't1t1t1'],
    bases: ['r0r0r0'],
    branchPoints: ['r0r0r0'],
    commands: [
      err('upgrade head', /s2s2s2.*t1t1t1/), // Multiple head revisions are present for given argument 'head'
      ok('upgrade s2s2s2', ['up:r0r0r0', 'up:s1s1s1', 'up:s2s2s2'], ['s2s2s2']),
      err('upgrade +1', /didn't produce 1/),
      ok('upgrade t1t1t1', ['up:t1t1t1'], ['s2s2s2', 't1t1t1']),
      err('upgrade +1', /ambiguous/i), // Ambiguous upgrade from multiple current revisions
      ok('upgrade heads', [], ['s2s2s2', 't1t1t1']),
      ok('downgrade s1s1s1', ['down:s2s2s2'], ['s1s1s1', 't1t1t1']),
      ok('downgrade r0r0r0', ['down:s1s1s1', 'down:t1t1t1'], ['r0r0r0']),
      err('upgrade r0r0r0+1', /ambiguous/i), // Ambiguous walk
      ok('upgrade heads', ['up:t1t1t1', 'up:s1s1s1', 'up:s2s2s2'], ['s2s2s2', 't1t1t1']),
      ok('downgrade t1t1t1', [], ['s2s2s2', 't1t1t1']),
      ok('downgrade s2s2s2-1', ['down:s2s2s2'], ['s1s1s1', 't1t1t1']),
      ok('downgrade base', ['down:s1s1s1', 'down:t1t1t1', 'down:r0r0r0'], []),
    ],
  },
  {
    // r0r0r0 <- x1x1x1 (label x) <- x2x2x2 <- x3x3x3, r0r0r0 <- y1y1y1 (label y) <- y2y2y2
    name: 'labelled branches',
    revisions: [rev('r0r0r0'), rev('x1x1x1', ['r0r0r0'], ['x']), rev('x2x2x2', ['x1x1x1']), rev('x3x3x3', ['x2x2x2']), rev('y1y1y1', ['r0r0r0'], ['y']), rev('y2y2y2', ['y1y1y1'])],
    heads: ['x3x3x3', 'y2y2y2'],
    resolvedHeads: ['x3x3x3', 'y2y2y2'],
    bases: ['r0r0r0'],
    branchPoints: ['r0r0r0'],
    commands: [
      ok('upgrade x@head', ['up:r0r0r0', 'up:x1x1x1', 'up:x2x2x2', 'up:x3x3x3'], ['x3x3x3']),
      // label@+1 with no current revision on the branch: Alembic starts from the tips of the
      // applied revisions that share the branch's lineage (here r0r0r0) and walks up inside it.
      ok('upgrade y@+1', ['up:y1y1y1'], ['x3x3x3', 'y1y1y1']),
      ok('upgrade y@head', ['up:y2y2y2'], ['x3x3x3', 'y2y2y2']),
      ok('downgrade x@-1', ['down:x3x3x3'], ['x2x2x2', 'y2y2y2']),
      ok('upgrade x@x3x3x3', ['up:x3x3x3'], ['x3x3x3', 'y2y2y2']),
      err('upgrade x@y2y2y2', /y2y2y2.*not .*branch/), // Revision y2y2y2 is not a member of branch 'x'
      // label@base is `base` for that label: the roots are all real bases, and they are
      // narrowed to the label's ancestors only when there are several. With one shared root,
      // everything goes (as `downgrade base` would).
      ok('downgrade x@base', ['down:x3x3x3', 'down:x2x2x2', 'down:x1x1x1', 'down:y2y2y2', 'down:y1y1y1', 'down:r0r0r0'], []),
      ok('upgrade heads', ['up:r0r0r0', 'up:y1y1y1', 'up:y2y2y2', 'up:x1x1x1', 'up:x2x2x2', 'up:x3x3x3'], ['x3x3x3', 'y2y2y2']),
      ok('downgrade y@base', ['down:x3x3x3', 'down:x2x2x2', 'down:x1x1x1', 'down:y2y2y2', 'down:y1y1y1', 'down:r0r0r0'], []),
      ok('upgrade y@y1y1y1', ['up:r0r0r0', 'up:y1y1y1'], ['y1y1y1']),
      err('downgrade x@x1x1x1', /not below/), // Destination x@x1x1x1 is not a valid downgrade target from current head(s)
      ok('upgrade x@+1', ['up:x1x1x1'], ['x1x1x1', 'y1y1y1']),
      ok('downgrade y@-1', ['down:y1y1y1'], ['x1x1x1']),
      ok('upgrade heads', ['up:y1y1y1', 'up:y2y2y2', 'up:x2x2x2', 'up:x3x3x3'], ['x3x3x3', 'y2y2y2']),
      ok('downgrade base', ['down:x3x3x3', 'down:x2x2x2', 'down:x1x1x1', 'down:y2y2y2', 'down:y1y1y1', 'down:r0r0r0'], []),
      ok('upgrade y@head', ['up:r0r0r0', 'up:y1y1y1', 'up:y2y2y2'], ['y2y2y2']),
      ok('upgrade x@+2', ['up:x1x1x1', 'up:x2x2x2'], ['x2x2x2', 'y2y2y2']),
      err('downgrade x@-5', /didn't produce 5/),
      ok('downgrade base', ['down:x2x2x2', 'down:x1x1x1', 'down:y2y2y2', 'down:y1y1y1', 'down:r0r0r0'], []),
    ],
  },
  {
    // Two independent bases, module-style: a1a1a1 (label a) <- a2a2a2 <- a3a3a3, b1b1b1 (label b) <- b2b2b2
    name: 'forest',
    revisions: [rev('a1a1a1', [], ['a']), rev('a2a2a2', ['a1a1a1']), rev('a3a3a3', ['a2a2a2']), rev('b1b1b1', [], ['b']), rev('b2b2b2', ['b1b1b1'])],
    heads: ['a3a3a3', 'b2b2b2'],
    resolvedHeads: ['a3a3a3', 'b2b2b2'],
    bases: ['a1a1a1', 'b1b1b1'],
    branchPoints: [],
    commands: [
      ok('upgrade a@head', ['up:a1a1a1', 'up:a2a2a2', 'up:a3a3a3'], ['a3a3a3']),
      ok('upgrade b@+1', ['up:b1b1b1'], ['a3a3a3', 'b1b1b1']),
      ok('upgrade b@head', ['up:b2b2b2'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade a@base', ['down:a3a3a3', 'down:a2a2a2', 'down:a1a1a1'], ['b2b2b2']),
      err('downgrade a@-1', /./), // nothing of a is applied; Alembic fails with an AssertionError
      ok('upgrade a@a2a2a2', ['up:a1a1a1', 'up:a2a2a2'], ['a2a2a2', 'b2b2b2']),
      ok('downgrade b@base', ['down:b2b2b2', 'down:b1b1b1'], ['a2a2a2']),
      err('upgrade head', /a3a3a3.*b2b2b2/), // Multiple head revisions are present for given argument 'head'
      ok('upgrade heads', ['up:b1b1b1', 'up:b2b2b2', 'up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade a@-1', ['down:a3a3a3'], ['a2a2a2', 'b2b2b2']),
      ok('upgrade a@+1', ['up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade base', ['down:a3a3a3', 'down:a2a2a2', 'down:a1a1a1', 'down:b2b2b2', 'down:b1b1b1'], []),
      ok('upgrade a@+2', ['up:a1a1a1', 'up:a2a2a2'], ['a2a2a2']),
      err('upgrade a@b1b1b1', /b1b1b1.*not .*branch/), // Revision b1b1b1 is not a member of branch 'a'
      // As an upgrade target, label@base is `base` (get_revisions gives nothing): a no-op.
      ok('upgrade b@base', [], ['a2a2a2']),
      ok('downgrade b@base', [], ['a2a2a2']),
      ok('downgrade base', ['down:a2a2a2', 'down:a1a1a1'], []),
    ],
  },
  {
    // r0r0r0 <- lo1lo1 (label long) <- lo2lo2 <- lo3lo3 <- lo4lo4, r0r0r0 <- sh1sh1 (label short)
    name: 'long and short branches',
    revisions: [rev('r0r0r0'), rev('lo1lo1', ['r0r0r0'], ['long']), rev('lo2lo2', ['lo1lo1']), rev('lo3lo3', ['lo2lo2']), rev('lo4lo4', ['lo3lo3']), rev('sh1sh1', ['r0r0r0'], ['short'])],
    heads: ['lo4lo4', 'sh1sh1'],
    resolvedHeads: ['lo4lo4', 'sh1sh1'],
    bases: ['r0r0r0'],
    branchPoints: ['r0r0r0'],
    commands: [
      ok('upgrade long@+2', ['up:r0r0r0', 'up:lo1lo1'], ['lo1lo1']),
      ok('upgrade short@head', ['up:sh1sh1'], ['lo1lo1', 'sh1sh1']),
      ok('upgrade long@head', ['up:lo2lo2', 'up:lo3lo3', 'up:lo4lo4'], ['lo4lo4', 'sh1sh1']),
      ok('downgrade long@-3', ['down:lo4lo4', 'down:lo3lo3', 'down:lo2lo2'], ['lo1lo1', 'sh1sh1']),
      // One shared root: label@base reverts everything (see "labelled branches").
      ok('downgrade short@base', ['down:lo1lo1', 'down:sh1sh1', 'down:r0r0r0'], []),
      ok('upgrade heads', ['up:r0r0r0', 'up:sh1sh1', 'up:lo1lo1', 'up:lo2lo2', 'up:lo3lo3', 'up:lo4lo4'], ['lo4lo4', 'sh1sh1']),
      ok('downgrade long@base', ['down:lo4lo4', 'down:lo3lo3', 'down:lo2lo2', 'down:lo1lo1', 'down:sh1sh1', 'down:r0r0r0'], []),
      ok('downgrade base', [], []),
      ok('upgrade short@+1', ['up:r0r0r0'], ['r0r0r0']),
      // From r0r0r0, the branch point, long@+1 walks into the long branch.
      ok('upgrade long@+1', ['up:lo1lo1'], ['lo1lo1']),
      ok('upgrade +1', ['up:lo2lo2'], ['lo2lo2']),
      ok('downgrade -1', ['down:lo2lo2'], ['lo1lo1']),
      ok('upgrade heads', ['up:sh1sh1', 'up:lo2lo2', 'up:lo3lo3', 'up:lo4lo4'], ['lo4lo4', 'sh1sh1']),
      ok('downgrade lo1lo1', ['down:lo4lo4', 'down:lo3lo3', 'down:lo2lo2'], ['lo1lo1', 'sh1sh1']),
      ok('downgrade base', ['down:lo1lo1', 'down:sh1sh1', 'down:r0r0r0'], []),
    ],
  },
  {
    // r0r0r0 <- lo1lo1 <- lo2lo2 <- lo3lo3, r0r0r0 <- sh1sh1, (lo3lo3, sh1sh1) <- mg1mg1
    name: 'long and short branches merged',
    revisions: [rev('r0r0r0'), rev('lo1lo1', ['r0r0r0']), rev('lo2lo2', ['lo1lo1']), rev('lo3lo3', ['lo2lo2']), rev('sh1sh1', ['r0r0r0']), rev('mg1mg1', ['lo3lo3', 'sh1sh1'])],
    heads: ['mg1mg1'],
    resolvedHeads: ['mg1mg1'],
    bases: ['r0r0r0'],
    branchPoints: ['r0r0r0'],
    commands: [
      ok('upgrade lo2lo2', ['up:r0r0r0', 'up:lo1lo1', 'up:lo2lo2'], ['lo2lo2']),
      ok('upgrade sh1sh1', ['up:sh1sh1'], ['lo2lo2', 'sh1sh1']),
      ok('upgrade head', ['up:lo3lo3', 'up:mg1mg1'], ['mg1mg1']),
      err('downgrade -1', /ambiguous/i), // Ambiguous walk (mg1mg1 is a merge point)
      ok('downgrade sh1sh1', ['down:mg1mg1'], ['lo3lo3', 'sh1sh1']),
      ok('downgrade lo1lo1', ['down:lo3lo3', 'down:lo2lo2'], ['lo1lo1', 'sh1sh1']),
      ok('upgrade heads', ['up:lo2lo2', 'up:lo3lo3', 'up:mg1mg1'], ['mg1mg1']),
      ok('downgrade lo3lo3', ['down:mg1mg1'], ['lo3lo3', 'sh1sh1']),
      ok('upgrade heads', ['up:mg1mg1'], ['mg1mg1']),
      ok('downgrade r0r0r0', ['down:mg1mg1', 'down:lo3lo3', 'down:lo2lo2', 'down:lo1lo1', 'down:sh1sh1'], ['r0r0r0']),
      ok('downgrade base', ['down:r0r0r0'], []),
    ],
  },
  {
    // Modules a and b; b2b2b2 (in b) also depends on a2a2a2 (in a).
    // a1a1a1 (label a) <- a2a2a2 <- a3a3a3, b1b1b1 (label b) <- b2b2b2 (dependsOn a2a2a2)
    name: 'cross-base dependsOn',
    revisions: [rev('a1a1a1', [], ['a']), rev('a2a2a2', ['a1a1a1']), rev('a3a3a3', ['a2a2a2']), rev('b1b1b1', [], ['b']), rev('b2b2b2', ['b1b1b1'], [], ['a2a2a2'])],
    heads: ['a3a3a3', 'b2b2b2'],
    resolvedHeads: ['a3a3a3', 'b2b2b2'],
    bases: ['a1a1a1', 'b1b1b1'],
    branchPoints: [],
    commands: [
      // The dependency comes along, and has no row of its own.
      ok('upgrade b@head', ['up:a1a1a1', 'up:a2a2a2', 'up:b1b1b1', 'up:b2b2b2'], ['b2b2b2']),
      ok('upgrade a@head', ['up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      // Uninstalling a takes b2b2b2 (which depends on a2a2a2) with it, but not b1b1b1.
      ok('downgrade a@base', ['down:a3a3a3', 'down:b2b2b2', 'down:a2a2a2', 'down:a1a1a1'], ['b1b1b1']),
      ok('upgrade heads', ['up:a1a1a1', 'up:a2a2a2', 'up:b2b2b2', 'up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade b@base', ['down:b2b2b2', 'down:b1b1b1'], ['a3a3a3']),
      ok('upgrade b@head', ['up:b1b1b1', 'up:b2b2b2'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade a@-2', ['down:a3a3a3', 'down:b2b2b2', 'down:a2a2a2'], ['a1a1a1', 'b1b1b1']),
      ok('upgrade heads', ['up:a2a2a2', 'up:b2b2b2', 'up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade a1a1a1', ['down:a3a3a3', 'down:b2b2b2', 'down:a2a2a2'], ['a1a1a1', 'b1b1b1']),
      ok('upgrade b@b1b1b1', [], ['a1a1a1', 'b1b1b1']),
      ok('upgrade heads', ['up:a2a2a2', 'up:b2b2b2', 'up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade base', ['down:a3a3a3', 'down:b2b2b2', 'down:b1b1b1', 'down:a2a2a2', 'down:a1a1a1'], []),
      ok('upgrade heads', ['up:a1a1a1', 'up:a2a2a2', 'up:a3a3a3', 'up:b1b1b1', 'up:b2b2b2'], ['a3a3a3', 'b2b2b2']),
      // Down to a2a2a2: what grows from its children goes; b2b2b2, which only depends on it, stays.
      ok('downgrade a2a2a2', ['down:a3a3a3'], ['b2b2b2']),
      // a2a2a2 is applied (b2b2b2 needs it) but nothing above it: not a valid downgrade target.
      err('downgrade a2a2a2', /nothing above a2a2a2/),
      ok('upgrade heads', ['up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade a3a3a3-1', ['down:a3a3a3'], ['b2b2b2']),
      err('downgrade a@a2a2a2', /nothing above a2a2a2 is applied on branch "a"/),
      ok('upgrade heads', ['up:a3a3a3'], ['a3a3a3', 'b2b2b2']),
      ok('downgrade a@a2a2a2', ['down:a3a3a3'], ['b2b2b2']),
      ok('downgrade base', ['down:b2b2b2', 'down:b1b1b1', 'down:a2a2a2', 'down:a1a1a1'], []),
    ],
  },
  {
    // r0r0r0 <- pppp01, r0r0r0 <- qqqq01, (pppp01, qqqq01) <- mmmm02; xxxx01 (label x, a base) dependsOn mmmm02
    name: 'dependsOn into a merge',
    revisions: [rev('r0r0r0'), rev('pppp01', ['r0r0r0']), rev('qqqq01', ['r0r0r0']), rev('mmmm02', ['pppp01', 'qqqq01']), rev('xxxx01', [], ['x'], ['mmmm02'])],
    heads: ['mmmm02', 'xxxx01'],
    resolvedHeads: ['xxxx01'],
    bases: ['r0r0r0', 'xxxx01'],
    branchPoints: ['r0r0r0'],
    commands: [
      ok('upgrade x@head', ['up:r0r0r0', 'up:qqqq01', 'up:pppp01', 'up:mmmm02', 'up:xxxx01'], ['xxxx01']),
      ok('downgrade pppp01', ['down:xxxx01', 'down:mmmm02'], ['pppp01', 'qqqq01']),
      ok('upgrade heads', ['up:mmmm02', 'up:xxxx01'], ['xxxx01']),
      // Two real bases: x@base narrows to x's own base, and only x goes; its dependency stays.
      ok('downgrade x@base', ['down:xxxx01'], ['mmmm02']),
      ok('upgrade x@head', ['up:xxxx01'], ['xxxx01']),
      ok('downgrade r0r0r0', ['down:xxxx01', 'down:mmmm02', 'down:pppp01', 'down:qqqq01'], ['r0r0r0']),
      ok('upgrade mmmm02', ['up:qqqq01', 'up:pppp01', 'up:mmmm02'], ['mmmm02']),
      ok('upgrade heads', ['up:xxxx01'], ['xxxx01']),
      ok('downgrade base', ['down:xxxx01', 'down:mmmm02', 'down:pppp01', 'down:qqqq01', 'down:r0r0r0'], []),
    ],
  },
  {
    // r0r0r0 <- x1x1x1 (label x) <- x2x2x2, x1x1x1 <- x3x3x3; r0r0r0 <- y1y1y1 (label y) <- y2y2y2
    name: 'target forms',
    revisions: [rev('r0r0r0'), rev('x1x1x1', ['r0r0r0'], ['x']), rev('x2x2x2', ['x1x1x1']), rev('x3x3x3', ['x1x1x1']), rev('y1y1y1', ['r0r0r0'], ['y']), rev('y2y2y2', ['y1y1y1'])],
    heads: ['x2x2x2', 'x3x3x3', 'y2y2y2'],
    resolvedHeads: ['x2x2x2', 'x3x3x3', 'y2y2y2'],
    bases: ['r0r0r0'],
    branchPoints: ['r0r0r0', 'x1x1x1'],
    commands: [
      err('upgrade x@head', /x2x2x2.*x3x3x3/), // Multiple head revisions are present for given argument 'x@head'
      ok('upgrade x@heads', ['up:r0r0r0', 'up:x1x1x1', 'up:x3x3x3', 'up:x2x2x2'], ['x2x2x2', 'x3x3x3']),
      ok('upgrade y', ['up:y1y1y1'], ['x2x2x2', 'x3x3x3', 'y1y1y1']), // a branch label alone names its revision
      ok('upgrade y@head-1', [], ['x2x2x2', 'x3x3x3', 'y1y1y1']),
      ok('upgrade heads', ['up:y2y2y2'], ['x2x2x2', 'x3x3x3', 'y2y2y2']),
      ok('downgrade y@-1', ['down:y2y2y2'], ['x2x2x2', 'x3x3x3', 'y1y1y1']),
      ok('downgrade y@head-1', [], ['x2x2x2', 'x3x3x3', 'y1y1y1']),
      ok('upgrade y@y2y2y2', ['up:y2y2y2'], ['x2x2x2', 'x3x3x3', 'y2y2y2']),
      // <rev>-N names a revision (x3x3x3-1 = x1x1x1); downgrading to it reverts all its
      // descendants, x2x2x2 included.
      ok('downgrade x3x3x3-1', ['down:x2x2x2', 'down:x3x3x3'], ['x1x1x1', 'y2y2y2']),
      ok('downgrade x@-1', ['down:x1x1x1'], ['y2y2y2']),
      ok('upgrade x@+1', ['up:x1x1x1'], ['x1x1x1', 'y2y2y2']),
      ok('downgrade base', ['down:x1x1x1', 'down:y2y2y2', 'down:y1y1y1', 'down:r0r0r0'], []),
      err('upgrade x@x1x1x1+1', /ambiguous/i), // Ambiguous walk
      ok('upgrade y@base+1', ['up:r0r0r0'], ['r0r0r0']),
      err('downgrade y@y1y1y1', /not below/),
      err('downgrade y', /not below/),
      ok('upgrade r0r0', [], ['r0r0r0']),
      ok('upgrade x2x2', ['up:x1x1x1', 'up:x2x2x2'], ['x2x2x2']),
      // label@<rev> accepts any revision sharing the label's lineage: r0r0r0 is an ancestor of x1x1x1.
      ok('downgrade x@r0r0r0', ['down:x2x2x2', 'down:x1x1x1'], ['r0r0r0']),
      ok('upgrade heads', ['up:y1y1y1', 'up:y2y2y2', 'up:x1x1x1', 'up:x3x3x3', 'up:x2x2x2'], ['x2x2x2', 'x3x3x3', 'y2y2y2']),
      err('downgrade head', /x2x2x2.*x3x3x3.*y2y2y2/),
      ok('downgrade base', ['down:x2x2x2', 'down:x3x3x3', 'down:x1x1x1', 'down:y2y2y2', 'down:y1y1y1', 'down:r0r0r0'], []),
      ok('upgrade x@r0r0r0', ['up:r0r0r0'], ['r0r0r0']),
      err('upgrade x@y2y2y2', /y2y2y2.*not .*branch/),
      ok('downgrade base', ['down:r0r0r0'], []),
    ],
  },
  {
    // Two labelled branches growing from one line:
    // aaaa <- bbbb <- c100 (label c1branch) <- d100, bbbb <- c200 (label c2branch) <- d200
    name: 'branch-scoped downgrades',
    revisions: [rev('aaaa'), rev('bbbb', ['aaaa']), rev('c100', ['bbbb'], ['c1branch']), rev('d100', ['c100']), rev('c200', ['bbbb'], ['c2branch']), rev('d200', ['c200'])],
    heads: ['d100', 'd200'],
    resolvedHeads: ['d100', 'd200'],
    bases: ['aaaa'],
    branchPoints: ['bbbb'],
    commands: [
      ok('upgrade heads', ['up:aaaa', 'up:bbbb', 'up:c100', 'up:d100', 'up:c200', 'up:d200'], ['d100', 'd200']),
      // label@<rev>: only that branch goes down to <rev>; c1branch keeps its head.
      ok('downgrade c2branch@bbbb', ['down:d200', 'down:c200'], ['d100']),
      // Nothing of c2branch is applied above bbbb any more: "not a valid downgrade target".
      err('downgrade c2branch@bbbb', /nothing above bbbb/),
      ok('upgrade c2branch@head', ['up:c200', 'up:d200'], ['d100', 'd200']),
      ok('downgrade c1branch@bbbb', ['down:d100', 'down:c100'], ['d200']),
      ok('upgrade heads', ['up:c100', 'up:d100'], ['d100', 'd200']),
      ok('downgrade c2branch@c200', ['down:d200'], ['c200', 'd100']),
      ok('downgrade c1branch@c100', ['down:d100'], ['c100', 'c200']),
      ok('downgrade c2branch@bbbb', ['down:c200'], ['c100']),
      err('downgrade c2branch@c200', /not below/), // Destination c2branch@c200 is not a valid downgrade target from current head(s)
      ok('upgrade heads', ['up:d100', 'up:c200', 'up:d200'], ['d100', 'd200']),
      // Alembic does not check that a downgrade's <rev> is on the branch (it runs nothing here);
      // migrator refuses it as it refuses `upgrade c2branch@d100`.
      err('downgrade c2branch@d100', /d100.*not .*branch/),
      // Below the fork the branch's lineage is the shared line: bbbb goes, and with it
      // everything built on it, c1branch included.
      ok('downgrade c2branch@aaaa', ['down:d200', 'down:c200', 'down:d100', 'down:c100', 'down:bbbb'], ['aaaa']),
      ok('upgrade heads', ['up:bbbb', 'up:c100', 'up:d100', 'up:c200', 'up:d200'], ['d100', 'd200']),
      // Without a label, both branches go down to bbbb.
      ok('downgrade bbbb', ['down:d200', 'down:c200', 'down:d100', 'down:c100'], ['bbbb']),
      ok('upgrade c2branch@head', ['up:c200', 'up:d200'], ['d200']),
      err('downgrade c1branch@bbbb', /nothing above bbbb/), // not a valid downgrade target
      // The last revision of a branch going leaves its fork point as the row.
      ok('downgrade c2branch@bbbb', ['down:d200', 'down:c200'], ['bbbb']),
      ok('upgrade heads', ['up:c100', 'up:d100', 'up:c200', 'up:d200'], ['d100', 'd200']),
      ok('downgrade c2branch@-1', ['down:d200'], ['c200', 'd100']),
      ok('downgrade c2branch@base', ['down:c200', 'down:d100', 'down:c100', 'down:bbbb', 'down:aaaa'], []),
    ],
  },
  {
    // A labelled branch that forks above its labelled revision:
    // r0r0r0 <- x1x1x1 (label x) <- x2x2x2, x1x1x1 <- x3x3x3; r0r0r0 <- y1y1y1 (label y) <- y2y2y2
    name: 'branch-scoped downgrades, the branch forking',
    revisions: [rev('r0r0r0'), rev('x1x1x1', ['r0r0r0'], ['x']), rev('x2x2x2', ['x1x1x1']), rev('x3x3x3', ['x1x1x1']), rev('y1y1y1', ['r0r0r0'], ['y']), rev('y2y2y2', ['y1y1y1'])],
    heads: ['x2x2x2', 'x3x3x3', 'y2y2y2'],
    resolvedHeads: ['x2x2x2', 'x3x3x3', 'y2y2y2'],
    bases: ['r0r0r0'],
    branchPoints: ['r0r0r0', 'x1x1x1'],
    commands: [
      ok('upgrade heads', ['up:r0r0r0', 'up:x1x1x1', 'up:y1y1y1', 'up:y2y2y2', 'up:x3x3x3', 'up:x2x2x2'], ['x2x2x2', 'x3x3x3', 'y2y2y2']),
      // Deliberately not Alembic: it narrows the children of x1x1x1 to ancestors of the
      // labelled revision, finds none and refuses ("Not a valid downgrade target from current
      // heads"). Both forks of x are on its lineage above x1x1x1, and go; y stays.
      ok('downgrade x@x1x1x1', ['down:x2x2x2', 'down:x3x3x3'], ['x1x1x1', 'y2y2y2']),
      ok('downgrade x@r0r0r0', ['down:x1x1x1'], ['y2y2y2']),
      ok('upgrade heads', ['up:x1x1x1', 'up:x3x3x3', 'up:x2x2x2'], ['x2x2x2', 'x3x3x3', 'y2y2y2']),
      ok('downgrade y@r0r0r0', ['down:y2y2y2', 'down:y1y1y1'], ['x2x2x2', 'x3x3x3']),
      ok('downgrade x@x2x2x2', [], ['x2x2x2', 'x3x3x3']), // a current head: nothing to do
      err('downgrade y@y2y2y2', /not below/),
      ok('downgrade base', ['down:x2x2x2', 'down:x3x3x3', 'down:x1x1x1', 'down:r0r0r0'], []),
    ],
  },
  {
    // dependsOn naming a branch label: the revision carrying the label, not its branch's head.
    // l1l1l1 (label lib) <- l2l2l2 (label c1lib) <- l3l3l3; a1a1a1 (label app) <- a2a2a2 (dependsOn c1lib) <- a3a3a3
    name: 'dependsOn a branch label',
    revisions: [
      rev('l1l1l1', [], ['lib']),
      rev('l2l2l2', ['l1l1l1'], ['c1lib']),
      rev('l3l3l3', ['l2l2l2']),
      rev('a1a1a1', [], ['app']),
      rev('a2a2a2', ['a1a1a1'], [], ['c1lib']),
      rev('a3a3a3', ['a2a2a2']),
    ],
    heads: ['l3l3l3', 'a3a3a3'],
    resolvedHeads: ['l3l3l3', 'a3a3a3'],
    bases: ['l1l1l1', 'a1a1a1'],
    branchPoints: [],
    commands: [
      // l2l2l2 comes first, l3l3l3 (lib's head) does not come along; l2l2l2 has no row.
      ok('upgrade app@head', ['up:l1l1l1', 'up:l2l2l2', 'up:a1a1a1', 'up:a2a2a2', 'up:a3a3a3'], ['a3a3a3']),
      ok('upgrade lib@head', ['up:l3l3l3'], ['a3a3a3', 'l3l3l3']),
      ok('downgrade c1lib@base', ['down:l3l3l3', 'down:a3a3a3', 'down:a2a2a2', 'down:l2l2l2', 'down:l1l1l1'], ['a1a1a1']),
      ok('upgrade heads', ['up:l1l1l1', 'up:l2l2l2', 'up:a2a2a2', 'up:a3a3a3', 'up:l3l3l3'], ['a3a3a3', 'l3l3l3']),
      // Taking lib below c1lib takes app's dependent revisions with it.
      ok('downgrade lib@l1l1l1', ['down:l3l3l3', 'down:a3a3a3', 'down:a2a2a2', 'down:l2l2l2'], ['a1a1a1', 'l1l1l1']),
      ok('upgrade app@head', ['up:l2l2l2', 'up:a2a2a2', 'up:a3a3a3'], ['a3a3a3']),
      ok('downgrade app@base', ['down:a3a3a3', 'down:a2a2a2', 'down:a1a1a1'], ['l2l2l2']),
      ok('downgrade base', ['down:l2l2l2', 'down:l1l1l1'], []),
      ok('upgrade a2a2a2', ['up:l1l1l1', 'up:l2l2l2', 'up:a1a1a1', 'up:a2a2a2'], ['a2a2a2']),
      ok('upgrade heads', ['up:a3a3a3', 'up:l3l3l3'], ['a3a3a3', 'l3l3l3']),
      ok('downgrade l2l2l2', ['down:l3l3l3'], ['a3a3a3']),
      ok('downgrade base', ['down:a3a3a3', 'down:a2a2a2', 'down:a1a1a1', 'down:l2l2l2', 'down:l1l1l1'], []),
      ok('upgrade c1lib@head', ['up:l1l1l1', 'up:l2l2l2', 'up:l3l3l3'], ['l3l3l3']),
      ok('upgrade app@+2', ['up:a1a1a1', 'up:a2a2a2'], ['a2a2a2', 'l3l3l3']),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// A model of the revisions, independent of RevisionGraph, and Alembic's HeadMaintainer.

class Model {
  readonly byId: Map<string, Revision>;

  constructor(revisions: readonly Revision[]) {
    // RevisionMap._add_depends_on: a name in depends_on is looked up in the map of revision ids
    // and branch labels, where a label stands for the revision that carries it.
    const labelled = new Map(revisions.flatMap((r) => r.branchLabels.map((l) => [l, r.id] as const)));
    this.byId = new Map(revisions.map((r) => [r.id, { ...r, dependsOn: r.dependsOn.map((d) => labelled.get(d) ?? d) }]));
  }

  /** Down revisions and dependencies. */
  all(id: string): string[] {
    const r = this.byId.get(id)!;
    return [...new Set([...r.downRevisions, ...r.dependsOn])];
  }

  /**
   * Revision._normalized_down_revisions: down revisions plus the dependencies that no ancestor
   * (through down revisions) declares as well.
   */
  normalizedDown(id: string): string[] {
    const r = this.byId.get(id)!;
    const inherited = new Set<string>();
    const stack = [...r.downRevisions];
    const seen = new Set<string>();
    while (stack.length) {
      const a = stack.pop()!;
      if (seen.has(a)) continue;
      seen.add(a);
      for (const d of this.byId.get(a)!.dependsOn) inherited.add(d);
      stack.push(...this.byId.get(a)!.downRevisions);
    }
    return [...new Set([...r.downRevisions, ...r.dependsOn.filter((d) => !inherited.has(d))])];
  }

  /** The revisions and everything below them, dependencies included (Alembic's _get_ancestor_nodes). */
  closure(ids: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.normalizedDown(id));
    }
    return seen;
  }

  /**
   * HeadMaintainer.update_to_step for one RevisionStep, on `heads` (changed in place). Where
   * Alembic picks among a Python set (which parent a merge UPDATEs, which an unmerge INSERTs),
   * the choice is arbitrary there too: compare the rows afterwards, not the pick.
   */
  headMaintainer(heads: Set<string>, id: string, up: boolean): HeadChange[] {
    const down = this.normalizedDown(id);
    const changes: HeadChange[] = [];
    const del = (v: string): void => {
      assert.ok(heads.delete(v), `HeadMaintainer: DELETE ${v} would match no row`);
      changes.push({ kind: 'delete', version: v });
    };
    const ins = (v: string): void => {
      assert.ok(!heads.has(v), `HeadMaintainer: INSERT ${v} is already a row`);
      heads.add(v);
      changes.push({ kind: 'insert', version: v });
    };
    const upd = (from: string, to: string): void => {
      assert.ok(heads.delete(from), `HeadMaintainer: UPDATE ${from} -> ${to} would match no row`);
      assert.ok(!heads.has(to), `HeadMaintainer: UPDATE to ${to}, which is already a row`);
      heads.add(to);
      changes.push({ kind: 'update', from, to });
    };
    const unmergeTo = (): string[] => {
      const others = [...heads].filter((h) => h !== id);
      if (others.length) {
        const below = this.closure(others);
        return down.filter((d) => !below.has(d));
      }
      const below = new Set<string>();
      for (const t of down) for (const a of this.closure([t])) if (a !== t) below.add(a);
      return down.filter((d) => !below.has(d));
    };
    if (!up) {
      if (heads.has(id) && (down.length === 0 || unmergeTo().length === 0)) {
        del(id); // should_delete_branch
      } else if (heads.has(id) && down.length > 1) {
        const to = unmergeTo(); // should_unmerge_branches
        for (const v of to.slice(0, -1)) ins(v);
        upd(id, to[to.length - 1]);
      } else {
        upd(id, this.scalarDown(heads, id, down));
      }
    } else if (down.length === 0 || !down.some((d) => heads.has(d))) {
      ins(id); // should_create_branch
    } else if (down.length > 1 && down.filter((d) => heads.has(d)).length > 1) {
      const others = [...heads].filter((h) => !down.includes(h)); // should_merge_branches
      const below = others.length ? this.closure(others) : new Set<string>();
      const from = down.filter((d) => !below.has(d));
      for (const v of from.slice(0, -1)) del(v);
      upd(from[from.length - 1], id);
    } else {
      upd(this.scalarDown(heads, id, down), id);
    }
    return changes;
  }

  /** RevisionStep.update_version_num's down revision. */
  private scalarDown(heads: Set<string>, id: string, down: string[]): string {
    if (down.length === 1) return down[0];
    const present = down.filter((d) => heads.has(d));
    assert.equal(present.length, 1, `HeadMaintainer: can't do an UPDATE for ${id} because its down revision is ambiguous`);
    return present[0];
  }
}

/** Applies version-table changes as the database would, refusing any that would not touch exactly one row. */
function applyChanges(rows: Set<string>, changes: readonly HeadChange[], where: string): void {
  for (const c of changes) {
    if (c.kind === 'insert') {
      assert.ok(!rows.has(c.version), `${where}: INSERT ${c.version}, which is already a row`);
      rows.add(c.version);
    } else if (c.kind === 'delete') {
      assert.ok(rows.delete(c.version), `${where}: DELETE ${c.version} matches no row (rows: ${[...rows].join(', ')})`);
    } else {
      assert.ok(rows.has(c.from), `${where}: UPDATE ${c.from} -> ${c.to} matches no row (rows: ${[...rows].join(', ')})`);
      assert.ok(!rows.has(c.to), `${where}: UPDATE to ${c.to}, which is already a row`);
      rows.delete(c.from);
      rows.add(c.to);
    }
  }
}

const stepName = (p: PlannedStep): string => `${p.step.direction}:${p.step.revision.id}`;
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const kinds = (changes: readonly HeadChange[]): string[] => changes.map((c) => c.kind).sort();

/**
 * Checks a plan from `current` rows: valid order, Alembic's version-table change at each step,
 * and returns the rows afterwards.
 */
function checkPlan(model: Model, current: readonly string[], plan: readonly PlannedStep[], direction: 'up' | 'down'): string[] {
  const applied = model.closure(current);
  const rows = new Set(current);
  const alembicRows = new Set(current);
  for (const [i, p] of plan.entries()) {
    const id = p.step.revision.id;
    const where = `step ${i + 1} (${stepName(p)})`;
    assert.equal(p.step.direction, direction, `${where}: an ${direction === 'up' ? 'upgrade' : 'downgrade'} runs only ${direction} steps`);
    if (direction === 'up') {
      assert.ok(!applied.has(id), `${where}: ${id} is already applied`);
      for (const parent of model.all(id)) assert.ok(applied.has(parent), `${where}: applies ${id} before ${parent}, which it revises or depends on`);
      applied.add(id);
    } else {
      assert.ok(applied.has(id), `${where}: ${id} is not applied`);
      for (const other of applied) {
        assert.ok(other === id || !model.all(other).includes(id), `${where}: reverts ${id} while ${other}, which revises or depends on it, is still applied`);
      }
      applied.delete(id);
    }
    const expected = model.headMaintainer(alembicRows, id, direction === 'up');
    applyChanges(rows, p.changes, where);
    assert.deepEqual(kinds(p.changes), kinds(expected), `${where}: version-table changes ${JSON.stringify(p.changes)}; Alembic's HeadMaintainer makes ${JSON.stringify(expected)}`);
    assert.deepEqual(sorted(rows), sorted(alembicRows), `${where}: rows after the step`);
  }
  assert.deepEqual(sorted(model.closure(rows)), sorted(applied), 'the rows are the heads of exactly the revisions applied');
  return sorted(rows);
}

function parseCommand(run: string): { direction: 'up' | 'down'; target: string } {
  const [verb, target] = run.split(' ');
  assert.ok(verb === 'upgrade' || verb === 'downgrade', run);
  return { direction: verb === 'upgrade' ? 'up' : 'down', target };
}

const ids = (revs: readonly Revision[]): string[] => revs.map((r) => r.id);

for (const scenario of SCENARIOS) {
  describe(`scenario: ${scenario.name}`, () => {
    const model = new Model(scenario.revisions);
    const graph = (): RevisionGraph => new RevisionGraph(scenario.revisions);

    it('heads, heads --resolve-dependencies, bases and branch points', () => {
      const g = graph();
      assert.deepEqual(ids(g.heads), scenario.heads, 'heads');
      assert.deepEqual(ids(g.resolvedHeads), scenario.resolvedHeads, 'resolvedHeads');
      assert.deepEqual(ids(g.bases), scenario.bases, 'bases');
      assert.deepEqual(ids(g.branchPoints), scenario.branchPoints, 'branchPoints');
    });

    let rows: string[] = [];
    scenario.commands.forEach((command, i) => {
      const current = rows;
      if (command.rows) rows = command.rows;
      it(`${String(i + 1).padStart(2)}. ${command.run}  [${current.join(', ') || 'base'}]${command.error ? ' -> error' : ` -> [${command.rows!.join(', ') || 'base'}]`}`, () => {
        const { direction, target } = parseCommand(command.run);
        const g = graph();
        if (command.error) {
          assert.throws(
            () => g.plan(direction, current, target),
            (e: Error) => {
              assert.ok(e instanceof RevisionError, `expected a RevisionError, got ${e}`);
              assert.match(e.message, command.error!);
              return true;
            },
            `${command.run} from [${current.join(', ')}] should be refused, as Alembic refuses it`,
          );
          return;
        }
        const plan = g.plan(direction, current, target);
        const got = plan.map(stepName);
        assert.deepEqual(sorted(got), sorted(command.steps!), `steps of \`${command.run}\` from [${current.join(', ')}]: got ${JSON.stringify(got)}, Alembic ran ${JSON.stringify(command.steps)}`);
        const after = checkPlan(model, current, plan, direction);
        assert.deepEqual(after, command.rows, `version table after \`${command.run}\``);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe('version-table changes per step (HeadMaintainer), as recorded from Alembic', () => {
  const change = (p: PlannedStep): HeadChange[] => p.changes;
  const diamond = (): RevisionGraph => new RevisionGraph(SCENARIOS[1].revisions);

  it('a base is an INSERT, the next revision an UPDATE; going down an UPDATE, then a DELETE', () => {
    const g = new RevisionGraph([rev('r1r1r1'), rev('r2r2r2', ['r1r1r1'])]);
    assert.deepEqual(g.plan('up', [], 'r2r2r2').map(change), [[{ kind: 'insert', version: 'r1r1r1' }], [{ kind: 'update', from: 'r1r1r1', to: 'r2r2r2' }]]);
    assert.deepEqual(g.plan('down', ['r2r2r2'], 'base').map(change), [[{ kind: 'update', from: 'r2r2r2', to: 'r1r1r1' }], [{ kind: 'delete', version: 'r1r1r1' }]]);
  });

  it('a revision whose parent is not a row starts a new branch: INSERT', () => {
    const g = new RevisionGraph(SCENARIOS[2].revisions);
    assert.deepEqual(g.plan('up', ['s2s2s2'], 't1t1t1').map(change), [[{ kind: 'insert', version: 't1t1t1' }]]);
  });

  it('a merge whose parents are both rows: DELETE one, UPDATE the other', () => {
    const [step] = diamond().plan('up', ['bbbb01', 'bbbb02'], 'mmmm01');
    assert.deepEqual(kinds(step.changes), ['delete', 'update']);
    const rows = new Set(['bbbb01', 'bbbb02']);
    applyChanges(rows, step.changes, 'merge');
    assert.deepEqual(sorted(rows), ['mmmm01']);
  });

  it('reverting a merge: UPDATE to one parent, INSERT the other', () => {
    const [step] = diamond().plan('down', ['mmmm01'], 'aaaa01');
    assert.equal(step.step.revision.id, 'mmmm01');
    assert.deepEqual(kinds(step.changes), ['insert', 'update']);
    const rows = new Set(['mmmm01']);
    applyChanges(rows, step.changes, 'unmerge');
    assert.deepEqual(sorted(rows), ['bbbb01', 'bbbb02']);
  });

  it('reverting a branch whose parent another row implies: DELETE; the last one: UPDATE to the parent', () => {
    const plan = new RevisionGraph(SCENARIOS[2].revisions).plan('down', ['s1s1s1', 't1t1t1'], 'r0r0r0');
    assert.equal(plan.length, 2);
    assert.deepEqual(plan[0].changes, [{ kind: 'delete', version: plan[0].step.revision.id }]);
    assert.deepEqual(plan[1].changes, [{ kind: 'update', from: plan[1].step.revision.id, to: 'r0r0r0' }]);
  });

  it('label@<rev> beside another branch: UPDATE down the branch, then DELETE its last row', () => {
    const g = new RevisionGraph(SCENARIOS.find((sc) => sc.name === 'branch-scoped downgrades')!.revisions);
    const plan = g.plan('down', ['d100', 'd200'], 'c2branch@bbbb');
    assert.deepEqual(plan.map(stepName), ['down:d200', 'down:c200']);
    assert.deepEqual(plan.map(change), [[{ kind: 'update', from: 'd200', to: 'c200' }], [{ kind: 'delete', version: 'c200' }]]);
    // Alone, the branch hands its row to the fork point.
    assert.deepEqual(g.plan('down', ['d200'], 'c2branch@bbbb').map(change), [[{ kind: 'update', from: 'd200', to: 'c200' }], [{ kind: 'update', from: 'c200', to: 'bbbb' }]]);
  });

  describe('dependsOn across bases: a1a1a1 (a) <- a2a2a2; b1b1b1 (b, a base) dependsOn a1a1a1', () => {
    const g = (): RevisionGraph => new RevisionGraph([rev('a1a1a1', [], ['a']), rev('a2a2a2', ['a1a1a1']), rev('b1b1b1', [], ['b'], ['a1a1a1'])]);

    it('the dependency a row: the dependent takes the row over (UPDATE)', () => {
      assert.deepEqual(g().plan('up', ['a1a1a1'], 'b@head').map(change), [[{ kind: 'update', from: 'a1a1a1', to: 'b1b1b1' }]]);
    });

    it('the dependency implied by another row: INSERT', () => {
      assert.deepEqual(g().plan('up', ['a2a2a2'], 'b@head').map(change), [[{ kind: 'insert', version: 'b1b1b1' }]]);
    });

    it('from base: the dependency is applied first and gives its row to the dependent', () => {
      assert.deepEqual(g().plan('up', [], 'b@head').map(change), [[{ kind: 'insert', version: 'a1a1a1' }], [{ kind: 'update', from: 'a1a1a1', to: 'b1b1b1' }]]);
    });

    it('uninstalling b gives the row back to its dependency, which stays applied', () => {
      const plan = g().plan('down', ['b1b1b1'], 'b@base');
      assert.deepEqual(plan.map(stepName), ['down:b1b1b1']);
      assert.deepEqual(plan.map(change), [[{ kind: 'update', from: 'b1b1b1', to: 'a1a1a1' }]]);
    });

    it('uninstalling a takes the dependent revision with it', () => {
      const plan = g().plan('down', ['a2a2a2', 'b1b1b1'], 'a@base');
      assert.deepEqual(sorted(plan.map(stepName)), ['down:a1a1a1', 'down:a2a2a2', 'down:b1b1b1']);
      assert.equal(plan[plan.length - 1].step.revision.id, 'a1a1a1');
      const rows = new Set(['a2a2a2', 'b1b1b1']);
      for (const p of plan) applyChanges(rows, p.changes, stepName(p));
      assert.deepEqual(sorted(rows), []);
    });
  });
});

describe('target resolution', () => {
  const g = (): RevisionGraph => new RevisionGraph(SCENARIOS[9].revisions);

  const cases: { target: string; current?: string[]; heads: string[] }[] = [
    { target: 'x2x2x2', heads: ['x2x2x2'] }, // full id
    { target: 'x2x2', heads: ['x2x2x2'] }, // unique prefix
    { target: 'heads', heads: ['x2x2x2', 'x3x3x3', 'y2y2y2'] },
    { target: 'base', heads: [] },
    { target: 'y@head', heads: ['y2y2y2'] },
    { target: 'x@heads', heads: ['x2x2x2', 'x3x3x3'] },
    { target: 'y', heads: ['y1y1y1'] }, // a label alone
    { target: 'x@x3x3x3', heads: ['x3x3x3'] },
    { target: 'y@+1', current: ['y1y1y1'], heads: ['y2y2y2'] },
    { target: '+1', current: ['y1y1y1'], heads: ['y2y2y2'] },
    { target: 'y1y1y1+1', heads: ['y2y2y2'] },
    { target: 'y2y2y2-2', heads: ['r0r0r0'] },
    { target: 'base+1', heads: ['r0r0r0'] },
  ];
  for (const c of cases) {
    it(`"${c.target}"${c.current ? ` from [${c.current.join(', ')}]` : ''} -> [${c.heads.join(', ')}]`, () => {
      assert.deepEqual(sorted(g().resolveTarget(c.target, c.current ?? [])), c.heads);
    });
  }

  it('"head" with several heads is an error naming every head', () => {
    assert.throws(() => g().resolveTarget('head', []), (e: Error) => {
      assert.ok(e instanceof RevisionError);
      for (const h of ['x2x2x2', 'x3x3x3', 'y2y2y2']) assert.ok(e.message.includes(h), `"${e.message}" should name ${h}`);
      return true;
    });
  });

  it('an unknown label is an error naming it', () => {
    assert.throws(() => g().resolveTarget('nosuch@head', []), (e: Error) => e instanceof RevisionError && /nosuch/.test(e.message));
  });

  it('lookup: full id, unique prefix, label; an ambiguous prefix names the candidates', () => {
    const graph = new RevisionGraph(SCENARIOS[0].revisions);
    assert.equal(graph.lookup('3c0003cc').id, '3c0003cc');
    assert.equal(graph.lookup('3c00').id, '3c0003cc');
    assert.equal(g().lookup('x').id, 'x1x1x1');
    assert.throws(() => graph.lookup('1a00'), (e: Error) => e instanceof RevisionError && e.message.includes('1a0001aa') && e.message.includes('1a0002bb'));
  });
});

describe('integrity errors', () => {
  const cases: { name: string; revisions: Revision[]; message: RegExp; mentions: string[] }[] = [
    {
      name: 'a cycle hanging off a base',
      revisions: [rev('r0r0r0'), rev('aaaa01', ['r0r0r0', 'cccc01']), rev('bbbb01', ['aaaa01']), rev('cccc01', ['bbbb01'])],
      message: /cycle/i,
      mentions: ['aaaa01', 'bbbb01', 'cccc01'],
    },
    { name: 'a cycle with no base', revisions: [rev('aaaa01', ['bbbb01']), rev('bbbb01', ['aaaa01'])], message: /cycle/i, mentions: ['aaaa01', 'bbbb01'] },
    { name: 'a self-loop', revisions: [rev('r0r0r0'), rev('aaaa01', ['aaaa01'])], message: /itself|loop/i, mentions: ['aaaa01'] },
    {
      name: 'a dependency cycle',
      revisions: [rev('aaaa01'), rev('bbbb01', ['aaaa01'], [], ['cccc01']), rev('cccc01', [], [], ['bbbb01'])],
      message: /cycle/i,
      mentions: ['bbbb01', 'cccc01'],
    },
    { name: 'a dependency self-loop', revisions: [rev('aaaa01', [], [], ['aaaa01'])], message: /itself|loop/i, mentions: ['aaaa01'] },
    {
      name: 'a duplicate id (names both files)',
      revisions: [rev('aaaa01', [], [], [], 'core/aaaa01_first.ts'), rev('aaaa01', [], [], [], 'crm/aaaa01_copy.ts')],
      message: /duplicate/i,
      mentions: ['aaaa01', 'core/aaaa01_first.ts', 'crm/aaaa01_copy.ts'],
    },
    {
      name: 'a missing parent',
      revisions: [rev('aaaa01'), rev('bbbb01', ['zzzz99'], [], [], 'core/bbbb01_b.ts')],
      message: /zzzz99/,
      mentions: ['bbbb01', 'core/bbbb01_b.ts'],
    },
    { name: 'a missing dependency', revisions: [rev('aaaa01'), rev('bbbb01', ['aaaa01'], [], ['zzzz99'])], message: /zzzz99/, mentions: ['bbbb01'] },
    {
      name: 'a duplicate branch label',
      revisions: [rev('aaaa01', [], ['core']), rev('bbbb01', [], ['core'])],
      message: /core/,
      mentions: ['aaaa01', 'bbbb01'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => new RevisionGraph(c.revisions),
        (e: Error) => {
          assert.ok(e instanceof RevisionError, `expected a RevisionError, got ${e}`);
          assert.match(e.message, c.message);
          for (const m of c.mentions) assert.ok(e.message.includes(m), `"${e.message}" should mention ${m}`);
          return true;
        },
      );
    });
  }
});

describe('determinism', () => {
  const copy = (revs: readonly Revision[]): Revision[] => revs.map((r) => ({ ...r, downRevisions: [...r.downRevisions], branchLabels: [...r.branchLabels], dependsOn: [...r.dependsOn] }));
  const describePlan = (g: RevisionGraph, direction: 'up' | 'down', current: string[], target: string): string => {
    try {
      return JSON.stringify(g.plan(direction, current, target).map((p) => [stepName(p), p.changes]));
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the same files give the same plans, every time`, () => {
      const first = new RevisionGraph(copy(scenario.revisions));
      const second = new RevisionGraph(copy(scenario.revisions));
      let rows: string[] = [];
      for (const command of scenario.commands) {
        const { direction, target } = parseCommand(command.run);
        const a = describePlan(first, direction, rows, target);
        assert.equal(describePlan(second, direction, rows, target), a, `${command.run}: another graph from the same files`);
        assert.equal(describePlan(first, direction, rows, target), a, `${command.run}: the same graph again`);
        if (!a.startsWith('error:')) assert.equal(describePlan(first, direction, [...rows].reverse(), target), a, `${command.run}: the rows in another order`);
        if (command.rows) rows = command.rows;
      }
      assert.deepEqual(ids(first.topological(new Set(ids(scenario.revisions)))), ids(second.topological(new Set(ids(scenario.revisions)))));
    });
  }
});
