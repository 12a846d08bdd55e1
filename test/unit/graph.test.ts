import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linearRange, RevisionError, RevisionGraph, type HeadChange, type Revision } from '../../src/revisions/graph.js';

function rev(id: string, downRevisions: string[] = [], extra: Partial<Revision> = {}): Revision {
  return { id, downRevisions, branchLabels: [], dependsOn: [], ...extra };
}

const ids = (revs: readonly Revision[]): string[] => revs.map((r) => r.id);

// a -> b -> c
const A = 'aaaa0001';
const B = 'bbbb0002';
const C = 'cccc0003';
const linear = (): RevisionGraph => new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B])]);

// a -> b1, a -> b2, (b1, b2) -> m
const B1 = 'b1b1b1b1';
const B2 = 'b2b2b2b2';
const M = 'eeee0004';
const diamond = (): RevisionGraph => new RevisionGraph([rev(A), rev(B1, [A]), rev(B2, [A]), rev(M, [B1, B2])]);

// a -> b (main line); a -> x -> y (branch labelled "feature" at x)
const X = 'dddd0005';
const Y = 'ffff0006';
const branched = (): RevisionGraph =>
  new RevisionGraph([rev(A), rev(B, [A]), rev(X, [A], { branchLabels: ['feature'] }), rev(Y, [X])]);

/** The plan as "up:<id>" / "down:<id>" strings, for compact assertions. */
function steps(plan: { step: { direction: string; revision: Revision } }[]): string[] {
  return plan.map((p) => `${p.step.direction}:${p.step.revision.id}`);
}
function changes(plan: { changes: HeadChange[] }[]): HeadChange[][] {
  return plan.map((p) => p.changes);
}

describe('RevisionGraph: heads and bases', () => {
  const cases: { name: string; graph: () => RevisionGraph; heads: string[]; bases: string[] }[] = [
    { name: 'linear chain', graph: linear, heads: [C], bases: [A] },
    { name: 'diamond (branch and merge)', graph: diamond, heads: [M], bases: [A] },
    { name: 'two branches', graph: branched, heads: [B, Y], bases: [A] },
    { name: 'two independent roots', graph: () => new RevisionGraph([rev(A), rev(B), rev(C, [B])]), heads: [A, C], bases: [A, B] },
    { name: 'empty', graph: () => new RevisionGraph([]), heads: [], bases: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const g = c.graph();
      assert.deepEqual(ids(g.heads), c.heads);
      assert.deepEqual(ids(g.bases), c.bases);
    });
  }

  it('head() returns the single head, or undefined with no revisions', () => {
    assert.equal(linear().head()?.id, C);
    assert.equal(new RevisionGraph([]).head(), undefined);
  });

  it('head() with two heads is an error naming both', () => {
    assert.throws(() => branched().head(), (e: Error) => {
      assert.ok(e instanceof RevisionError);
      assert.match(e.message, /2 heads/);
      assert.ok(e.message.includes(B) && e.message.includes(Y), e.message);
      return true;
    });
  });
});

describe('RevisionGraph.unjoinedHeads', () => {
  const cases: { name: string; graph: () => RevisionGraph; unjoined: string[] }[] = [
    { name: 'one head', graph: linear, unjoined: [] },
    { name: 'heads joined by a merge', graph: diamond, unjoined: [] },
    { name: 'two unlabelled siblings', graph: () => new RevisionGraph([rev(A), rev(B1, [A]), rev(B2, [A])]), unjoined: [B1, B2] },
    { name: 'two unlabelled roots', graph: () => new RevisionGraph([rev(A), rev(B)]), unjoined: [A, B] },
    { name: 'a main line and a labelled branch of its own', graph: branched, unjoined: [] },
    {
      name: 'two heads on one labelled branch',
      graph: () => new RevisionGraph([rev(A, [], { branchLabels: ['main'] }), rev(B1, [A]), rev(B2, [A])]),
      unjoined: [B1, B2],
    },
    {
      name: 'two labelled roots',
      graph: () => new RevisionGraph([rev(A, [], { branchLabels: ['core'] }), rev(B, [], { branchLabels: ['crm'] })]),
      unjoined: [],
    },
    {
      name: 'a head another revision depends on',
      graph: () => new RevisionGraph([rev(A), rev(B, [A]), rev(X), rev(Y, [X], { dependsOn: [B] })]),
      unjoined: [],
    },
    {
      name: 'three heads, one labelled',
      graph: () => new RevisionGraph([rev(A), rev(B1, [A]), rev(B2, [A]), rev(X, [A], { branchLabels: ['feature'] })]),
      unjoined: [B1, B2],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(ids(c.graph().unjoinedHeads()), c.unjoined));
  }
});

describe('RevisionGraph.lookup', () => {
  const g = new RevisionGraph([
    rev('abcd1111'),
    rev('abcd2222', ['abcd1111']),
    rev('9f8e7d6c5b4a', ['abcd2222'], { branchLabels: ['billing'] }),
  ]);

  const found: [string, string][] = [
    ['abcd1111', 'abcd1111'], // full id
    ['9f8e7d6c5b4a', '9f8e7d6c5b4a'], // full id
    ['9f8e', '9f8e7d6c5b4a'], // unique 4-character prefix
    ['abcd2', 'abcd2222'], // unique longer prefix
    ['billing', '9f8e7d6c5b4a'], // branch label
  ];
  for (const [ref, id] of found) {
    it(`finds ${id} by "${ref}"`, () => assert.equal(g.lookup(ref).id, id));
  }

  it('an ambiguous prefix is an error listing the candidates', () => {
    assert.throws(() => g.lookup('abcd'), (e: Error) => {
      assert.ok(e instanceof RevisionError);
      assert.match(e.message, /ambiguous/);
      assert.ok(e.message.includes('abcd1111') && e.message.includes('abcd2222'), e.message);
      assert.ok(!e.message.includes('9f8e7d6c5b4a'), 'lists only the matching revisions');
      return true;
    });
  });

  it('a prefix shorter than 4 characters is refused even when it is unique', () => {
    assert.throws(() => g.lookup('9f8'), /no revision "9f8"; a partial id needs at least 4 characters/);
  });

  it('an unknown id is an error naming it', () => {
    assert.throws(() => g.lookup('ffff0000'), (e: Error) => e instanceof RevisionError && /no revision "ffff0000"/.test(e.message));
  });
});

describe('RevisionGraph.resolveTarget', () => {
  const cases: { name: string; graph: () => RevisionGraph; target: string; current: string[]; expected: string[] }[] = [
    { name: 'head', graph: linear, target: 'head', current: [A], expected: [C] },
    { name: 'heads', graph: linear, target: 'heads', current: [], expected: [C] },
    { name: 'heads with two branches', graph: branched, target: 'heads', current: [], expected: [B, Y] },
    { name: 'base', graph: linear, target: 'base', current: [C], expected: [] },
    { name: '+1 from a revision', graph: linear, target: '+1', current: [A], expected: [B] },
    { name: '+1 from base', graph: linear, target: '+1', current: [], expected: [A] },
    { name: '+2', graph: linear, target: '+2', current: [A], expected: [C] },
    { name: '-1', graph: linear, target: '-1', current: [C], expected: [B] },
    { name: '-1 from the first revision is base', graph: linear, target: '-1', current: [A], expected: [] },
    { name: '-2', graph: linear, target: '-2', current: [C], expected: [A] },
    { name: '<rev>+1 (full id)', graph: linear, target: `${A}+1`, current: [], expected: [B] },
    { name: '<prefix>+2', graph: linear, target: 'aaaa+2', current: [C], expected: [C] },
    { name: '<rev>-1', graph: linear, target: `${C}-1`, current: [], expected: [B] },
    { name: 'head-1', graph: linear, target: 'head-1', current: [], expected: [B] },
    { name: 'a prefix', graph: linear, target: 'bbbb', current: [], expected: [B] },
    { name: 'label@head', graph: branched, target: 'feature@head', current: [], expected: [Y] },
    { name: 'label@+1 starts from the current head of that branch', graph: branched, target: 'feature@+1', current: [B, X], expected: [Y] },
    { name: 'merge revision head', graph: diamond, target: 'head', current: [], expected: [M] },
  ];
  for (const c of cases) {
    it(`${c.name}: "${c.target}" from [${c.current.join(', ')}]`, () => {
      assert.deepEqual(c.graph().resolveTarget(c.target, c.current), c.expected);
    });
  }

  it('"-1" from a merge is ambiguous, as in Alembic', () => {
    assert.throws(() => diamond().resolveTarget('-1', [M]), /ambiguous.*merge/);
  });

  it('"+2" beyond the last revision is an error ("didn\'t produce")', () => {
    assert.throws(() => linear().resolveTarget('+2', [B]), (e: Error) => {
      assert.ok(e instanceof RevisionError);
      assert.match(e.message, /relative revision \+2 didn't produce 2 migrations/);
      return true;
    });
  });

  it('"+2" beyond the end counts the revisions above where it started', () => {
    // From bbbb0002 there is exactly one revision above (cccc0003); the message should say so
    // about the starting revision, as the "-n" message does ("only N below <start>").
    assert.throws(() => linear().resolveTarget('+2', [B]), (e: Error) => {
      assert.match(e.message, new RegExp(`there are only 1 above ${B}`));
      return true;
    });
  });

  it('"-2" below base is an error ("didn\'t produce")', () => {
    assert.throws(() => linear().resolveTarget('-2', [A]), /relative revision -2 didn't produce 2 migrations; there are only 1 below aaaa0001/);
  });

  it('"head" with two heads is an error naming both', () => {
    assert.throws(() => branched().resolveTarget('head', []), (e: Error) => {
      assert.ok(e instanceof RevisionError);
      assert.ok(e.message.includes(B) && e.message.includes(Y), e.message);
      return true;
    });
  });

  it('"+1" at a branch point is ambiguous and names the candidates', () => {
    assert.throws(() => branched().resolveTarget('+1', [A]), (e: Error) => {
      assert.match(e.message, /ambiguous/);
      assert.ok(e.message.includes(B) && e.message.includes(X), e.message);
      return true;
    });
  });

  it('a relative step from several current heads is ambiguous', () => {
    assert.throws(() => branched().resolveTarget('+1', [B, Y]), /ambiguous.*several heads/);
  });

  it('an unknown revision is an error', () => {
    assert.throws(() => linear().resolveTarget('9999', []), RevisionError);
  });
});

describe('RevisionGraph.upgradePlan / downgradePlan', () => {
  it('linear upgrade from base: parents first, insert then updates', () => {
    const plan = linear().upgradePlan([], [C]);
    assert.deepEqual(steps(plan), [`up:${A}`, `up:${B}`, `up:${C}`]);
    assert.deepEqual(changes(plan), [
      [{ kind: 'insert', version: A }],
      [{ kind: 'update', from: A, to: B }],
      [{ kind: 'update', from: B, to: C }],
    ]);
  });

  it('linear partial upgrade applies only what is missing', () => {
    const plan = linear().upgradePlan([A], [B]);
    assert.deepEqual(steps(plan), [`up:${B}`]);
    assert.deepEqual(changes(plan), [[{ kind: 'update', from: A, to: B }]]);
  });

  it('upgrading to where we already are is an empty plan', () => {
    assert.deepEqual(linear().upgradePlan([C], [C]), []);
    assert.deepEqual(linear().upgradePlan([C], [A]), []);
  });

  it('linear downgrade to base: children first, updates then a delete', () => {
    const plan = linear().plan('down', [C], 'base');
    assert.deepEqual(steps(plan), [`down:${C}`, `down:${B}`, `down:${A}`]);
    assert.deepEqual(changes(plan), [
      [{ kind: 'update', from: C, to: B }],
      [{ kind: 'update', from: B, to: A }],
      [{ kind: 'delete', version: A }],
    ]);
  });

  it('diamond upgrade: the second branch is an insert, the merge a delete + update', () => {
    const plan = diamond().upgradePlan([], [M]);
    assert.deepEqual(steps(plan), [`up:${A}`, `up:${B1}`, `up:${B2}`, `up:${M}`]);
    assert.deepEqual(changes(plan), [
      [{ kind: 'insert', version: A }],
      [{ kind: 'update', from: A, to: B1 }],
      [{ kind: 'insert', version: B2 }],
      [
        { kind: 'delete', version: B2 },
        { kind: 'update', from: B1, to: M },
      ],
    ]);
  });

  it('diamond upgrade from one branch head to the merge', () => {
    const plan = diamond().upgradePlan([B1], [M]);
    assert.deepEqual(steps(plan), [`up:${B2}`, `up:${M}`]);
    assert.deepEqual(changes(plan), [
      [{ kind: 'insert', version: B2 }],
      [
        { kind: 'delete', version: B2 },
        { kind: 'update', from: B1, to: M },
      ],
    ]);
  });

  it('diamond downgrade: unmerging is an update + insert, then branch heads go one by one', () => {
    const plan = diamond().plan('down', [M], A);
    assert.deepEqual(steps(plan), [`down:${M}`, `down:${B2}`, `down:${B1}`]);
    assert.deepEqual(changes(plan), [
      [
        { kind: 'update', from: M, to: B1 },
        { kind: 'insert', version: B2 },
      ],
      [{ kind: 'delete', version: B2 }],
      [{ kind: 'update', from: B1, to: A }],
    ]);
  });

  it('diamond downgrade to one branch head removes only what is above it (the merge), as Alembic does', () => {
    const plan = diamond().plan('down', [M], B1);
    assert.deepEqual(steps(plan), [`down:${M}`]);
    assert.deepEqual(changes(plan), [
      [
        { kind: 'update', from: M, to: B1 },
        { kind: 'insert', version: B2 },
      ],
    ]);
    assert.deepEqual(diamond().headsAfter([B1]), [B1]);
  });

  it('upgrading a second branch inserts a new head row', () => {
    const plan = branched().upgradePlan([B], [Y]);
    assert.deepEqual(steps(plan), [`up:${X}`, `up:${Y}`]);
    assert.deepEqual(changes(plan), [[{ kind: 'insert', version: X }], [{ kind: 'update', from: X, to: Y }]]);
  });

  it('a revision depending on another branch\'s head takes over its row (as Alembic does)', () => {
    // Alembic's RevisionStep counts dependencies among the down revisions when maintaining heads,
    // so applying X (depends on B) updates B's row; B stays applied as an ancestor of X.
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(X, [], { dependsOn: [B] })]);
    const plan = g.upgradePlan([], [B, X]);
    assert.deepEqual(steps(plan), [`up:${A}`, `up:${B}`, `up:${X}`]);
    assert.deepEqual(changes(plan)[2], [{ kind: 'update', from: B, to: X }]);
    assert.deepEqual(g.headsAfter([B, X]), [X]);
    assert.ok(g.ancestors([X]).has(B));
  });

  it('downgrading to a revision that is not below the current one is refused', () => {
    assert.throws(() => branched().plan('down', [B], Y), /cannot downgrade to ffff0006: it is not below/);
  });

  it('headsAfter gives the effective heads of a target set', () => {
    assert.deepEqual(diamond().headsAfter([B1, B2]), [B1, B2]);
    assert.deepEqual(diamond().headsAfter([M, B1]), [M]);
  });
});

describe('RevisionGraph: dependsOn naming a branch label', () => {
  // a -> b (label "lib") -> c; x -> y, y depends on "lib"
  const g = (): RevisionGraph =>
    new RevisionGraph([rev(A), rev(B, [A], { branchLabels: ['lib'] }), rev(C, [B]), rev(X), rev(Y, [X], { dependsOn: ['lib'] })]);

  it('stands for the revision that carries the label, not the head of its branch', () => {
    assert.deepEqual(g().dependenciesOf(Y), [B]);
    assert.deepEqual(g().parentsOf(Y), [X, B]);
    assert.deepEqual([...g().ancestors([Y])].sort(), [A, B, X, Y].sort());
    assert.deepEqual(steps(g().upgradePlan([], [Y])), [`up:${A}`, `up:${B}`, `up:${X}`, `up:${Y}`]);
  });

  it('is kept as written on the revision', () => {
    assert.deepEqual(g().get(Y)?.dependsOn, ['lib']);
  });

  it('a full id keeps working, and names the same revision as its label', () => {
    const both = new RevisionGraph([rev(A, [], { branchLabels: ['lib'] }), rev(X, [], { dependsOn: ['lib', A] })]);
    assert.deepEqual(both.dependenciesOf(X), [A]);
  });

  it('the labelled revision counts as depended on: not a resolved head', () => {
    const lone = new RevisionGraph([rev(A, [], { branchLabels: ['lib'] }), rev(X, [], { dependsOn: ['lib'] })]);
    assert.deepEqual(ids(lone.resolvedHeads), [X]);
  });

  const errors: { name: string; revisions: Revision[]; message: RegExp }[] = [
    {
      name: 'a name that is neither an id nor a label',
      revisions: [rev(A, [], { branchLabels: ['lib'] }), rev(X, [], { dependsOn: ['libs'], path: 'versions/x.ts' })],
      message: /revision dddd0005 \(versions\/x\.ts\) depends on libs, which is neither a revision id nor a branch label of any revision file/,
    },
    { name: 'its own label', revisions: [rev(A, [], { branchLabels: ['lib'], dependsOn: ['lib'] })], message: /aaaa0001 names itself as its dependency \(through its branch label "lib"\)/ },
    {
      name: 'the label of a revision built on it',
      revisions: [rev(A, [], { dependsOn: ['later'] }), rev(B, [A], { branchLabels: ['later'] })],
      message: /cycle/,
    },
    { name: 'a partial id (only full ids and labels, as in Alembic)', revisions: [rev(A), rev(X, [], { dependsOn: ['aaaa'] })], message: /depends on aaaa/ },
  ];
  for (const c of errors) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => new RevisionGraph(c.revisions), (e: Error) => e instanceof RevisionError && c.message.test(e.message));
    });
  }
});

describe('RevisionGraph integrity errors', () => {
  const cases: { name: string; revisions: Revision[]; message: RegExp; mentions?: string[] }[] = [
    {
      name: 'duplicate id (names both paths)',
      revisions: [rev(A, [], { path: 'versions/aaaa0001_first.ts' }), rev(A, [], { path: 'versions/aaaa0001_copy.ts' })],
      message: /duplicate revision id aaaa0001/,
      mentions: ['versions/aaaa0001_first.ts', 'versions/aaaa0001_copy.ts'],
    },
    {
      name: 'missing parent',
      revisions: [rev(A), rev(B, ['zzzz9999'], { path: 'versions/b.ts' })],
      message: /revision bbbb0002 \(versions\/b\.ts\) revises zzzz9999, which no revision file defines/,
    },
    {
      name: 'missing dependency',
      revisions: [rev(A), rev(B, [A], { dependsOn: ['zzzz9999'] })],
      message: /depends on zzzz9999/,
    },
    { name: 'self-loop', revisions: [rev(A, [A])], message: /revision aaaa0001 names itself as its parent/ },
    {
      name: 'cycle',
      revisions: [rev(A), rev(B, [A, C]), rev(C, [B])],
      message: /revisions form a cycle: .*->/,
      mentions: [B, C],
    },
    {
      name: 'duplicate branch label',
      revisions: [rev(A, [], { branchLabels: ['core'] }), rev(B, [A], { branchLabels: ['core'] })],
      message: /branch label "core" is used by both aaaa0001 and bbbb0002/,
    },
    { name: 'id with a forbidden character', revisions: [rev('abc-123')], message: /revision id "abc-123" is not valid: use 1 to 32 printable ASCII characters/ },
    { name: 'id with a path separator', revisions: [rev('sub/dir', [], { path: 'versions/x.ts' })], message: /revision id "sub\/dir" \(versions\/x\.ts\) is not valid/ },
    { name: 'id with a backslash', revisions: [rev('a\\b')], message: /revision id "a\\\\b" is not valid/ },
    { name: 'id starting with a dot', revisions: [rev('.hidden')], message: /revision id "\.hidden" is not valid: .*no leading dot/ },
    { name: 'id with a space', revisions: [rev('a b')], message: /revision id "a b" is not valid: .*no spaces/ },
    { name: 'id outside printable ASCII', revisions: [rev('caf\u00e9')], message: /revision id "café" is not valid: .*printable ASCII/ },
    { name: 'id of 33 characters', revisions: [rev('a'.repeat(33))], message: /is not valid: use 1 to 32 /, mentions: ['a'.repeat(33)] },
    { name: 'branch label with a path separator', revisions: [rev(A, [], { branchLabels: ['../x'] })], message: /branch label "\.\.\/x" of revision aaaa0001 is not valid/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(() => new RevisionGraph(c.revisions), (e: Error) => {
        assert.ok(e instanceof RevisionError, `expected RevisionError, got ${e}`);
        assert.match(e.message, c.message);
        for (const m of c.mentions ?? []) assert.ok(e.message.includes(m), `"${e.message}" should mention ${m}`);
        return true;
      });
    });
  }
});

describe('RevisionGraph topological order', () => {
  it('parents come before children even when files list children first', () => {
    const g = new RevisionGraph([rev(M, [B1, B2]), rev(B2, [A]), rev(B1, [A]), rev(A)]);
    const order = ids(g.topological(new Set([A, B1, B2, M])));
    assert.deepEqual(order, [A, B1, B2, M]);
  });

  it('is the same on every run for the same files', () => {
    const build = (): string[] => {
      const g = new RevisionGraph([rev(A), rev(B2, [A]), rev(B1, [A]), rev(M, [B1, B2]), rev(C, [M])]);
      return ids(g.topological(new Set(g.revisions.map((r) => r.id))));
    };
    const first = build();
    // Siblings follow file order.
    assert.deepEqual(first, [A, B2, B1, M, C]);
    for (let i = 0; i < 5; i++) assert.deepEqual(build(), first);
  });

  it('upgrade plans follow the same order', () => {
    const g = new RevisionGraph([rev(A), rev(B2, [A]), rev(B1, [A]), rev(M, [B1, B2])]);
    assert.deepEqual(steps(g.upgradePlan([], g.resolveTarget('heads', []))), [
      `up:${A}`,
      `up:${B2}`,
      `up:${B1}`,
      `up:${M}`,
    ]);
  });

  it('topological restricts to the given ids', () => {
    assert.deepEqual(ids(linear().topological(new Set([C, B]))), [B, C]);
  });
});

describe('RevisionGraph: what a database at given rows has and lacks', () => {
  const S = 'ssss0007';
  // S squashes b and c: a -> S, with the old files still there.
  const squashed = (): RevisionGraph => new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B]), rev(S, [A], { replaces: [B, C] })]);

  it('headRows: the rows once every revision is applied, sorted', () => {
    assert.deepEqual(linear().headRows(), [C]);
    assert.deepEqual(diamond().headRows(), [M]);
    assert.deepEqual(branched().headRows(), [B, Y]);
    // A head another revision depends on has no row of its own.
    assert.deepEqual(new RevisionGraph([rev(A), rev(B, [A]), rev(X, [], { dependsOn: [B] })]).headRows(), [X]);
  });

  it('appliedBelow: the rows and their ancestors; unknown rows left out, squashed rows read through the squash', () => {
    assert.deepEqual([...branched().appliedBelow([Y, 'zzzz9999'])].sort(), [A, X, Y].sort());
    assert.deepEqual([...linear().appliedBelow([])], []);
    assert.deepEqual([...squashed().appliedBelow([B])], [A]);
    assert.deepEqual([...squashed().appliedBelow([C])].sort(), [A, S].sort());
  });

  it('a row no file defines, asked about directly: an UNKNOWN_REVISION error naming it, not a TypeError', () => {
    const unknown = (e: unknown): boolean => {
      assert.ok(e instanceof RevisionError, `a RevisionError, not ${String(e)}`);
      assert.equal(e.code, 'UNKNOWN_REVISION');
      assert.deepEqual(e.data, { ref: 'zzzz9999' });
      assert.match(e.message, /no revision file defines revision zzzz9999/);
      return true;
    };
    assert.throws(() => linear().effectiveHeads(['zzzz9999']), unknown);
    assert.throws(() => linear().ancestors([B, 'zzzz9999']), unknown);
    assert.throws(() => linear().parentsOf('zzzz9999'), unknown);
    // Known rows still read as before.
    assert.deepEqual(linear().effectiveHeads([B]), [B]);
  });

  it('pending: the upgrades still to run up to the heads', () => {
    assert.deepEqual(ids(linear().pending([A]).map((p) => p.step.revision)), [B, C]);
    assert.deepEqual(linear().pending([C]), []);
    assert.deepEqual(ids(diamond().pending([B1]).map((p) => p.step.revision)), [B2, M]);
    // Halfway through a squashed range: the old files' steps, the squash's stamp left out.
    assert.deepEqual(ids(squashed().pending([B]).map((p) => p.step.revision)), [C]);
  });

  it('rowsAt: none for base or no start; a revision a squash replaces as the row it is', () => {
    assert.deepEqual(linear().rowsAt(undefined), []);
    assert.deepEqual(linear().rowsAt('base'), []);
    assert.deepEqual(linear().rowsAt(B.slice(0, 4)), [B]);
    assert.deepEqual(squashed().rowsAt(B), [B]);
    assert.deepEqual(squashed().rowsAt(S), [S]);
  });
});

describe('RevisionGraph.inRange', () => {
  it('a:b with both ends included, either left out; oldest first', () => {
    assert.deepEqual(ids(linear().inRange()), [A, B, C]);
    assert.deepEqual(ids(linear().inRange(`${B}:`)), [B, C]);
    assert.deepEqual(ids(linear().inRange(`:${B}`)), [A, B]);
    assert.deepEqual(ids(linear().inRange(`${A}:${B}`)), [A, B]);
    assert.deepEqual(ids(linear().inRange('base:heads')), [A, B, C]);
  });

  it('one revision alone: it and what is above it', () => {
    assert.deepEqual(ids(linear().inRange(B)), [B, C]);
  });

  it('on a branch: only the lineage between the ends', () => {
    assert.deepEqual(ids(branched().inRange(`${A}:${Y}`)), [A, X, Y]);
    assert.deepEqual(ids(diamond().inRange(`${B1}:`)), [B1, M]);
  });
});

describe('RevisionGraph.stampedHeads', () => {
  it('a target replaces the heads of its own lineage only', () => {
    assert.deepEqual(linear().stampedHeads([], [C]), [C]);
    assert.deepEqual(linear().stampedHeads([C], [A]), [A]);
    assert.deepEqual(diamond().stampedHeads([B1], [B2]), [B1, B2]);
    assert.deepEqual(diamond().stampedHeads([M], [B1]), [B1]);
  });

  it('base clears the rows; later targets start from none', () => {
    assert.deepEqual(branched().stampedHeads([B], ['base', Y]), [Y]);
  });

  it('label@base clears that branch only', () => {
    // Two bases: a -> b, and x (labelled feature) -> y.
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(X, [], { branchLabels: ['feature'] }), rev(Y, [X])]);
    assert.deepEqual(g.stampedHeads([B, Y], ['feature@base']), [B]);
  });

  it('a row a squash replaces is read through the squash', () => {
    const S = 'ssss0007';
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B]), rev(S, [A], { replaces: [B, C] })]);
    assert.deepEqual(g.stampedHeads([C], []), [S]);
    assert.deepEqual(g.stampedHeads([C], [A]), [A]);
  });
});

describe('linearRange', () => {
  const range = (g: RevisionGraph, first: string, last: string): string[] => ids(linearRange(g, g.lookup(first), g.lookup(last)));

  it('the revisions from first to last, oldest first', () => {
    assert.deepEqual(range(linear(), A, C), [A, B, C]);
    assert.deepEqual(range(linear(), B, C), [B, C]);
  });

  it('one revision, or first not below last, is refused', () => {
    assert.throws(() => range(linear(), B, B), /two different revisions/);
    assert.throws(() => range(linear(), C, A), /not below/);
  });

  it('a merge inside, a branch point below last, or a dependency on a revision below last is refused', () => {
    assert.throws(() => range(diamond(), A, M), /not one line: revision eeee0004 merges/);
    assert.throws(() => range(branched(), A, B), /is a branch point, dddd0005 also revises it/);
    const dependent = new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B]), rev(X, [], { dependsOn: [A] })]);
    assert.throws(() => range(dependent, A, C), /dddd0005 depends on aaaa0001, inside the range/);
    // The last revision of the range may be depended on.
    assert.deepEqual(range(new RevisionGraph([rev(A), rev(B, [A]), rev(X, [], { dependsOn: [B] })]), A, B), [A, B]);
  });

  it('a squash inside the range is refused: squashes do not nest', () => {
    const S = 'ssss0007';
    const D = 'dddd0008';
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B]), rev(S, [A], { replaces: [B, C] }), rev(D, [S])]);
    assert.throws(() => range(g, S, D), /ssss0007 is itself a squash/);
  });
});
