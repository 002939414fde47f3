/**
 * Decay and run limits (issue 15) in the IR and the JavaScript target: group decay resolved into
 * each rule by lowering, a run limit making its own query, a decaying `when` rule reading its
 * `any` query's latest occurrence, and explanations (points after decay; `occurrences` = kept).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { compile } from '../../src/compiler/compile.js';
import { lowerModel } from '../../src/compiler/lower.js';

const FILE = `lead {
  job: text
}
event email_click
event demo_request

when any demo_request within 90 days add 25 half-life 30 days "Demo"
each email_click add 2 at most once per day "Daily clicks"
each email_click add 1 "All clicks"

group engagement max 60 decay 25% per month {
  each email_click add 3 "Engaged clicks"
  when any demo_request add 10 "Demo in group"
  when job = cto add 5 "CTO"
  each email_click add 1 half-life 7 days "Own decay"
}
`;

function model() {
  const analysis = analyze(FILE);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(analysis.diagnostics.map((d) => d.code)).toEqual(['R053']);
  return analysis.model;
}

describe('lowering decay and run limits', () => {
  it('resolves group decay into each rule; a rule keeps its own', () => {
    const ir = lowerModel(model());
    const byLabel = new Map(ir.rules.map((r) => [r.label, r]));
    const engaged = byLabel.get('Engaged clicks');
    const own = byLabel.get('Own decay');
    if (engaged?.kind !== 'each' || own?.kind !== 'each') throw new Error('each rules expected');
    expect(ir.weightedSums[engaged.weightedSum ?? -1].decay).toEqual({ kind: 'linear', percentHundredths: 2500, periodMilliseconds: 30 * 86_400_000 });
    expect(ir.weightedSums[own.weightedSum ?? -1].decay).toEqual({ kind: 'half-life', halfLifeSeconds: 7 * 86_400 });
    const demoInGroup = byLabel.get('Demo in group');
    const cto = byLabel.get('CTO');
    if (demoInGroup?.kind !== 'when' || cto?.kind !== 'when') throw new Error('when rules expected');
    expect(demoInGroup.decay?.decay).toEqual({ kind: 'linear', percentHundredths: 2500, periodMilliseconds: 30 * 86_400_000 });
    expect(ir.queries[demoInGroup.decay?.query ?? -1].needsLatest).toBe(true);
    // No `any` test: the group's decay does not apply (R053).
    expect(cto.decay).toBeNull();
  });

  it('gives a run-limited rule its own query, shared by nothing unlimited', () => {
    const ir = lowerModel(model());
    const daily = ir.rules.find((r) => r.label === 'Daily clicks');
    const all = ir.rules.find((r) => r.label === 'All clicks');
    if (daily?.kind !== 'each' || all?.kind !== 'each') throw new Error('each rules expected');
    expect(daily.query).not.toBe(all.query);
    expect(ir.queries[daily.query].limit).toEqual({ count: 1, periodMilliseconds: 86_400_000 });
    expect(ir.queries[all.query].limit).toBeNull();
  });
});

describe('explanations', () => {
  const { scorer } = compile(FILE);
  if (scorer === null) throw new Error('compiles');
  const now = '2026-03-01T00:00:00Z';
  const events = [
    { type: 'email_click', at: '2026-02-28T23:00:00Z' },
    { type: 'email_click', at: '2026-02-28T20:00:00Z' },
    { type: 'email_click', at: '2026-01-20T00:00:00Z' },
    { type: 'demo_request', at: '2026-01-30T00:00:00Z' },
  ];
  const hits = new Map(scorer.explain({ job: 'CTO' }, { now, events }).hits.map((h) => [h.label, h]));

  it('reports points after decay, for when rules too', () => {
    // 30 days old: 25 × 0.5 = 12.5; in the group, one whole month: 10 × 75% = 7.5.
    expect(hits.get('Demo')?.points).toBe(12.5);
    expect(hits.get('Demo in group')?.points).toBe(7.5);
    expect(hits.get('CTO')?.points).toBe(5);
    // 3 + 3 + 3 × 75% (40 days old) = 8.25.
    expect(hits.get('Engaged clicks')).toMatchObject({ points: 8.25, occurrences: 3 });
  });

  it('counts the kept occurrences under a run limit', () => {
    // Two clicks within the last day keep one; the one 40 days ago is alone in its bucket.
    expect(hits.get('Daily clicks')).toMatchObject({ points: 4, occurrences: 2 });
    expect(hits.get('All clicks')).toMatchObject({ points: 3, occurrences: 3 });
  });
});
