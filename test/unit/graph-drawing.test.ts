/**
 * Drawing the revision graph: as `git log --graph` in the terminal (newest first, branches,
 * merges, labels, marks), and as Mermaid and DOT text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dotGraph, drawGraph, mermaidGraph, RevisionGraph, type Revision } from '../../src/revisions/graph.js';

function rev(id: string, downRevisions: string[] = [], extra: Partial<Revision> = {}): Revision {
  return { id, downRevisions, branchLabels: [], dependsOn: [], ...extra };
}

const A = 'aaaa0001';
const B = 'bbbb0002';
const C = 'cccc0003';
const B1 = 'b1b1b1b1';
const B2 = 'b2b2b2b2';
const M = 'eeee0004';

describe('drawGraph', () => {
  it('a line: one column, newest first, messages after the ids', () => {
    const g = new RevisionGraph([rev(A, [], { message: 'first' }), rev(B, [A], { message: 'second' }), rev(C, [B])]);
    assert.deepEqual(drawGraph(g), [`* ${C}`, `* ${B}  second`, `* ${A}  first`]);
  });

  it('a branch: two columns that meet at the branch point', () => {
    const g = new RevisionGraph([rev(A), rev(B1, [A]), rev(B2, [A])]);
    assert.deepEqual(drawGraph(g), [`* ${B2}`, `| * ${B1}`, '|/', `* ${A}`]);
  });

  it('a merge: its parents part below it, and meet again at the branch point', () => {
    const g = new RevisionGraph([rev(A), rev(B1, [A]), rev(B2, [A]), rev(M, [B1, B2]), rev(C, [M])]);
    assert.deepEqual(drawGraph(g), [`* ${C}`, `* ${M}`, '|\\', `| * ${B2}`, `* | ${B1}`, '|/', `* ${A}`]);
  });

  it('a second base is set apart from the line above it', () => {
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(C, [], { branchLabels: ['crm'] })]);
    assert.deepEqual(drawGraph(g, { describe: (r) => `${r.id}${r.branchLabels.length ? ` (${r.branchLabels.join(', ')})` : ''}` }), [
      `* ${C} (crm)`,
      '',
      `* ${B}`,
      `* ${A}`,
    ]);
  });

  it('labels and marks come from the caller: o for a revision not applied', () => {
    const g = new RevisionGraph([rev(A, [], { branchLabels: ['core'] }), rev(B, [A])]);
    const applied = new Set([A]);
    const lines = drawGraph(g, { describe: (r) => `${r.id}${r.branchLabels.length ? ` (${r.branchLabels.join(', ')})` : ''}`, mark: (r) => (applied.has(r.id) ? '*' : 'o') });
    assert.deepEqual(lines, [`o ${B}`, `* ${A} (core)`]);
  });

  it('a range: only the revisions in it', () => {
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B])]);
    assert.deepEqual(drawGraph(g, { only: new Set([B, C]) }), [`* ${C}`, `* ${B}`]);
  });

  it('a squash stands for the revisions it replaces', () => {
    const S = 'ssss0005';
    const g = new RevisionGraph([rev(A), rev(B, [A]), rev(C, [B]), rev(S, [], { replaces: [A, B] })]);
    assert.deepEqual(drawGraph(g), [`* ${C}`, `* ${S}`]);
  });
});

describe('mermaidGraph and dotGraph', () => {
  const g = (): RevisionGraph =>
    new RevisionGraph([rev(A, [], { branchLabels: ['core'], message: 'create "users"' }), rev(B1, [A]), rev(B2, [A]), rev(M, [B1, B2], { message: 'merge' }), rev(C, [], { dependsOn: [M] })]);

  it('mermaid: a flowchart, parent to child, dependencies dotted, heads marked', () => {
    assert.equal(
      mermaidGraph(g()),
      [
        'flowchart TD',
        `  r0["${A} (core)<br/>create #34;users#34;"]`,
        `  r1["${B1}"]`,
        `  r2["${B2}"]`,
        `  r3["${M}<br/>merge"]`,
        `  r4["${C}"]`,
        '  r0 --> r1',
        '  r0 --> r2',
        '  r1 --> r3',
        '  r2 --> r3',
        '  r3 -.->|depends on| r4',
        '  classDef head stroke-width:3px',
        // The merge is a head too: the revision that depends on it does not revise it.
        '  class r3,r4 head',
        '',
      ].join('\n'),
    );
  });

  it('dot: a digraph, parent to child, dependencies dashed, heads bold; line breaks as \\n', () => {
    assert.equal(
      dotGraph(g()),
      [
        'digraph revisions {',
        '  rankdir=TB;',
        '  node [shape=box, fontname="monospace"];',
        `  "${A}" [label="${A} (core)\\ncreate \\"users\\""];`,
        `  "${B1}" [label="${B1}"];`,
        `  "${B2}" [label="${B2}"];`,
        `  "${M}" [label="${M}\\nmerge", style=bold];`,
        `  "${C}" [label="${C}", style=bold];`,
        `  "${A}" -> "${B1}";`,
        `  "${A}" -> "${B2}";`,
        `  "${B1}" -> "${M}";`,
        `  "${B2}" -> "${M}";`,
        `  "${M}" -> "${C}" [style=dashed, label="depends on"];`,
        '}',
        '',
      ].join('\n'),
    );
  });
});
