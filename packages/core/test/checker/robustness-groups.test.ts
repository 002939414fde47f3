// Groups that read groups (issue 12): chains of 10,000 groups, directly or through segments, are
// ordered and checked for cycles in time proportional to the file. No test asserts a time (the
// machine's load would decide it): the quadratic versions these guard against took over 10 s and
// a gigabyte at 4,000 groups, so the tests' own timeouts catch a return of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { check } from '../../src/checker/check.js';
import { compile } from '../../src/compiler/compile.js';
import type { Model } from '../../src/checker/model.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parse } from '../../src/syntax/parse.js';

/** The check alone (not the parse, which another part of the code owns). */
function checkText(text: string): { diagnostics: readonly Diagnostic[]; model: Model } {
  return check(parse(text).ast);
}

/** Far above the linear check's time on a loaded machine, far below the quadratic one's. */
const LINEAR_TIMEOUT = 30_000;

describe('groups that read groups', () => {
  it('10,000 chained groups, in file order and reversed', () => {
    const chain = ['lead { x: number }', 'group g0 { when x > 1 add 1 }'];
    for (let i = 1; i < 10_000; i++) chain.push(`group g${i} { when g${i - 1} >= 1 and g0 >= 1 add 1 }`);
    const forward = checkText(chain.join('\n'));
    expect(forward.diagnostics).toEqual([]);
    const reversed = ['lead { x: number }'];
    for (let i = 0; i < 9_999; i++) reversed.push(`group g${i} { when g${i + 1} >= 1 add 1 }`);
    reversed.push('group g9999 { when x > 1 add 1 }');
    const backward = checkText(reversed.join('\n'));
    expect(backward.diagnostics).toEqual([]);
    const model = backward.model;
    expect(model.groupOrder[0]).toBe('g9999');
    expect(model.groupOrder[9_999]).toBe('g0');
    expect(compile(model).scorer).not.toBeNull();
  }, LINEAR_TIMEOUT);

  it('5,000 groups each reading all the earlier ones through a chain of segments', () => {
    const lines = ['lead { x: number }', 'group g0 { when x > 1 add 1 }', 'segment s0 = g0 >= 1'];
    for (let i = 1; i < 5_000; i++) lines.push(`segment s${i} = s${i - 1} and g${i - 1} >= 1`, `group g${i} { when s${i - 1} add 1 }`);
    lines.push('when s4999 add 1');
    const { diagnostics, model } = checkText(lines.join('\n'));
    // A set of groups per segment was built up front: 4,000 took 11 s and a gigabyte.
    expect(diagnostics).toEqual([]);
    expect(model.groupOrder.slice(0, 3)).toEqual(['g0', 'g1', 'g2']);
    expect(model.groups[4_999].dependsOn).toHaveLength(4_998);
    expect(model.groups[1].dependsOn).toEqual(['g0']);
  }, LINEAR_TIMEOUT);

  it('order, reads and cycles match the closure of reads, on random files', () => {
    const file = fc.record({
      // Each group's rules: reads of groups (g) or segments (s) by number.
      groups: fc.array(fc.array(fc.record({ kind: fc.constantFrom('g', 's'), to: fc.nat(5) }), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
      // Each segment reads groups, and segments declared before it (no segment cycles).
      segments: fc.array(fc.array(fc.record({ kind: fc.constantFrom('g', 's'), to: fc.nat(5) }), { minLength: 1, maxLength: 3 }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(file, ({ groups, segments }) => {
        const n = groups.length;
        const m = segments.length;
        const condition = (reads: { kind: string; to: number }[], segmentLimit: number): string => {
          const parts = reads.filter((r) => (r.kind === 'g' ? r.to < n : r.to < segmentLimit)).map((r) => (r.kind === 'g' ? `g${r.to} >= 1` : `s${r.to}`));
          return parts.length === 0 ? 'x > 1' : parts.join(' and ');
        };
        const lines = ['lead { x: number }'];
        segments.forEach((reads, j) => lines.push(`segment s${j} = ${condition(reads, j)}`));
        groups.forEach((rules, i) => lines.push(`group g${i} { ${rules.length === 0 ? 'when x > 1 add 1' : rules.map((r) => `when ${condition([r], m)} add 1`).join('\n')} }`));
        lines.push(`when ${[...Array(m).keys()].map((j) => `s${j}`).join(' or ') || 'x > 2'} add 1`);
        // The closure: groups a segment reads, through the segments it uses.
        const segmentGroups: Set<number>[] = [];
        segments.forEach((reads, j) => {
          const found = new Set<number>();
          for (const r of reads) {
            if (r.kind === 'g' && r.to < n) found.add(r.to);
            if (r.kind === 's' && r.to < j) for (const g of segmentGroups[r.to]) found.add(g);
          }
          segmentGroups.push(found);
        });
        const deps = groups.map((rules) => {
          const found = new Set<number>();
          for (const r of rules) {
            if (r.kind === 'g' && r.to < n) found.add(r.to);
            if (r.kind === 's' && r.to < m) for (const g of segmentGroups[r.to]) found.add(g);
          }
          return [...found].sort((a, b) => a - b);
        });
        // A group cycle: some group reaches itself.
        const reaches = (from: number, to: number): boolean => {
          const seen = new Set<number>();
          const stack = [...deps[from]];
          while (stack.length > 0) {
            const g = stack.pop() as number;
            if (g === to) return true;
            if (seen.has(g)) continue;
            seen.add(g);
            stack.push(...deps[g]);
          }
          return false;
        };
        const cyclic = groups.some((_, i) => reaches(i, i));
        const analysis = analyze(lines.join('\n'));
        const r018 = analysis.diagnostics.filter((d) => d.code === 'R018');
        expect(r018.length > 0).toBe(cyclic);
        analysis.model.groups.forEach((group, i) => expect(group.dependsOn).toEqual(deps[i].map((g) => `g${g}`)));
        if (!cyclic) {
          // The first group in file order whose reads are all placed, each time.
          const placed: number[] = [];
          while (placed.length < n) {
            const next = groups.findIndex((_, i) => !placed.includes(i) && deps[i].every((d) => d === i || placed.includes(d)));
            placed.push(next);
          }
          expect(analysis.model.groupOrder).toEqual(placed.map((g) => `g${g}`));
        }
      }),
      { numRuns: 400, seed: 21 },
    );
  });
});

