import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { compile } from '../../src/compiler/compile.js';
import { diffImpact, diffModels } from '../../src/diff/index.js';
import type { Lead, Scorer } from '../../src/runtime/types.js';

const OLD = `lead { job: text; company.size: number }
event demo
group fit max 30 {
  when job in [CEO] add 20 "CEO"
  when company.size > 50 add 10 "Big"
}
stage cold at 0
stage warm at 20
stage hot at 30
`;
const NEW = OLD.replace('add 20 "CEO"', 'add 25 "CEO"')
  .replace('company.size > 50', 'company.size > 100')
  .replace('stage cold at 0', 'when any demo add 10 "Demo"\n\nstage cold at 0');

function scorer(text: string): Scorer {
  const { scorer: compiled, diagnostics } = compile(text);
  if (compiled === null) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return compiled;
}

const LEADS: Lead[] = [
  { id: 'a', job: 'CEO', company: { size: 60 } },
  { id: 'b', job: 'CTO', company: { size: 200 } },
  { id: 'c', job: 'ceo', company: { size: 10 }, events: [{ type: 'demo', at: '2026-02-01' }] },
  { job: 'nobody' },
];

describe('diffImpact', () => {
  const diff = diffModels(analyze(OLD).model, analyze(NEW).model);
  const report = diffImpact(scorer(OLD), scorer(NEW), LEADS, { now: '2026-03-01', diff });

  it('counts stage moves from -> to', () => {
    expect(report.leads).toBe(4);
    expect(report.now).toBe('2026-03-01T00:00:00.000Z');
    expect(report.leadsChangingStage).toBe(2);
    expect(report.stageMoves).toEqual([
      { from: 'hot', to: 'warm', leads: 1 },
      { from: 'warm', to: 'hot', leads: 1 },
    ]);
    expect(report.stageCounts).toEqual([
      { stage: 'cold', old: 2, new: 2 },
      { stage: 'warm', old: 1, new: 1 },
      { stage: 'hot', old: 1, new: 1 },
    ]);
  });

  it('gives mean and median scores before and after', () => {
    // old scores 30, 10, 20, 0; new 25, 10, 35, 0
    expect(report.old).toEqual({ mean: 15, median: 15 });
    expect(report.new).toEqual({ mean: 17.5, median: 17.5 });
    expect(report.change).toEqual({ mean: 2.5, median: 2.5 });
    expect([report.leadsChangingScore, report.scoreUp, report.scoreDown]).toEqual([2, 1, 1]);
  });

  it('lists the leads that move most, by id (or position)', () => {
    expect(report.movers).toEqual([
      { id: 'c', oldScore: 20, newScore: 35, change: 15, oldStage: 'warm', newStage: 'hot' },
      { id: 'a', oldScore: 30, newScore: 25, change: -5, oldStage: 'hot', newStage: 'warm' },
    ]);
    const unnamed = diffImpact(scorer(OLD), scorer(NEW), [{ job: 'CEO' }], { now: '2026-03-01', top: 1 });
    expect(unnamed.movers.map((m) => m.id)).toEqual(['#1']);
  });

  it('counts, per changed rule, the leads it treats differently', () => {
    expect(report.rules.map((r) => [r.change, r.rule.label, r.leads])).toEqual([
      ['rule-changed', 'CEO', 2],
      ['rule-changed', 'Big', 1],
      ['rule-added', 'Demo', 1],
    ]);
  });

  it('takes events by lead id, in place of the lead\u2019s own', () => {
    const events = new Map([['a', [{ type: 'demo', at: '2026-02-15' }]]]);
    const withEvents = diffImpact(scorer(OLD), scorer(NEW), LEADS, { now: '2026-03-01', diff, events });
    expect(withEvents.movers.find((m) => m.id === 'a')?.newScore).toBe(35);
    // Lead c has no entry in the map: its own events still count.
    expect(withEvents.movers.find((m) => m.id === 'c')?.newScore).toBe(35);
  });

  it('reports nothing moving for the same rules, and handles no leads', () => {
    const same = diffImpact(scorer(OLD), scorer(OLD), LEADS, { now: '2026-03-01' });
    expect([same.leadsChangingStage, same.leadsChangingScore, same.movers.length, same.stageMoves.length]).toEqual([0, 0, 0, 0]);
    const none = diffImpact(scorer(OLD), scorer(NEW), [], { now: '2026-03-01' });
    expect(none.leads).toBe(0);
    expect(none.old).toEqual({ mean: 0, median: 0 });
  });

  it('never throws on hostile lead values', () => {
    const hostile: Lead[] = [
      JSON.parse('{"__proto__": {"job": "CEO"}, "id": "x"}') as Lead,
      { id: "'); drop table leads; --", job: '${process.exit()}', company: 'not an object' },
      { id: 12, job: null, company: { size: 'NaN' } },
    ];
    const result = diffImpact(scorer(OLD), scorer(NEW), hostile, { now: '2026-03-01', diff });
    expect(result.leads).toBe(3);
  });
});
