// Lowering a checked model to the IR: numbered slots, shared event queries, exact hundredths
// and milliseconds, and an evaluation order where every value is computed before it is read.
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/compiler/ir.js';
import { LoweringError, lowerModel, toHundredths } from '../../src/compiler/lower.js';
import { designExampleModel } from './design-model.js';
import { buildModel, cmp, daysAgo, field, group, prop, query, score, when } from './model-builder.js';

const describeStep = (step: Step, names: { rules: string[]; groups: string[]; segments: string[] }): string =>
  step.kind === 'rule' ? names.rules[step.rule] : step.kind === 'group' ? `=${names.groups[step.group]}` : `?${names.segments[step.segment]}`;

describe('lowerModel', () => {
  it('lowers the design example: slots, one query per distinct (event, where, within), hundredths', () => {
    const ir = lowerModel(designExampleModel());
    expect(ir.slots.map((s) => `${s.name}:${s.type}${s.used ? '' : ' (unused)'}`)).toEqual([
      'job:text',
      'email:text',
      'phone:text',
      'company.size:number',
      'company.industry:text',
      'country:text',
      'revenue:number (unused)',
      'student:bool',
      'budget_validated:bool',
      'decision_date:date (unused)',
      'page_view.url:text',
      'download.asset:text',
    ]);
    expect(ir.slots[3]).toMatchObject({ key: 'company.size', path: ['company', 'size'], source: 'lead' });
    expect(ir.slots[10]).toMatchObject({ key: 'url', path: ['url'], source: 'event', event: 2 });
    expect(ir.queries.map((q) => [ir.events[q.event].name, q.withinMilliseconds, q.where !== null])).toEqual([
      ['download', null, true],
      ['page_view', 2592000000, true],
      ['email_open', 7776000000, false],
      ['email_click', null, false],
      ['unsubscribe', null, false],
    ]);
    expect(ir.weightedSums).toEqual([{ id: 0, query: 3, points: 200, decay: { kind: 'half-life', halfLifeSeconds: 2592000 } }]);
    expect(ir.rules.map((r) => r.points)).toEqual([1500, 1000, -500, -10000, -1000, 2000, 2500, 500, 200, -3000]);
    expect(ir.rules[8]).toMatchObject({ kind: 'each', query: 3, weightedSum: 0, cap: 1000 });
    expect(ir.groups.map((g) => [g.name, g.min, g.max, g.rules])).toEqual([
      ['fit', null, 6000, [0, 1, 2, 3, 4]],
      ['engagement', null, 8000, [5, 6, 7, 8, 9]],
    ]);
    expect(ir.stages.map((s) => [s.name, s.threshold, s.requires])).toEqual([
      ['discovery', 0, []],
      ['evaluation', 2000, []],
      ['purchase', 4000, []],
      ['sales_ready', 4000, [1, 2]],
    ]);
  });

  it('shares one query between rules reading the same events', () => {
    const visit = () => query('visit', { where: when.starts(prop('visit', 'url'), '/pricing'), withinDays: 7 });
    const ir = lowerModel(
      buildModel({
        events: { visit: { url: 'text' } },
        rules: [
          { when: when.any(visit()), points: 1 },
          { when: when.count(visit(), cmp('>=', 3)), points: 1 },
          { when: when.daysSince(visit(), cmp('<', 2)), points: 1 },
          { each: visit(), points: 1 },
          { each: visit(), points: 1, halfLifeDays: 3 },
          { each: visit(), points: 1, halfLifeDays: 3, cap: 2 },
          { when: when.any(query('visit', { withinDays: 7 })), points: 1 },
        ],
      }),
    );
    expect(ir.queries).toHaveLength(2);
    expect(ir.queries[0]).toMatchObject({ needsLatest: true, weightedSums: [0] });
    expect(ir.rules.slice(3, 6).map((r) => (r.kind === 'each' ? r.weightedSum : 'when'))).toEqual([null, 0, 0]);
  });

  it('converts dates and relative times to milliseconds and group constants to hundredths', () => {
    const ir = lowerModel(
      buildModel({
        fields: { signup: 'date' },
        groups: [{ name: 'fit' }],
        rules: [
          { group: 'fit', when: when.compare(field('signup'), '>', daysAgo(30)), points: 0.5 },
          { when: when.compare(group('fit'), '>=', 40.5), points: 1 },
        ],
        stages: [{ name: 'hot', at: 12.25, when: when.compare(score, '<', 99.99) }],
      }),
    );
    expect(ir.rules[0]).toMatchObject({
      points: 50,
      condition: { kind: 'compare', operand: { kind: 'slot', slot: 0 }, value: { kind: 'now-offset', milliseconds: -2592000000 } },
    });
    expect(ir.rules[1]).toMatchObject({ condition: { operand: { kind: 'group', group: 0 }, value: { kind: 'const', value: 4050 } } });
    expect(ir.stages[0]).toMatchObject({ threshold: 1225, when: { operand: { kind: 'score' }, value: { value: 9999 } } });
  });

  it('orders the program: segments before their first reader, groups after the groups they read', () => {
    const model = buildModel({
      fields: { size: 'number' },
      segments: {
        big: when.compare(field('size'), '>', 100),
        strong_fit: when.compare(group('fit'), '>=', 10),
        late: when.isSet(field('size')),
      },
      groups: [{ name: 'bonus' }, { name: 'fit' }],
      // The checker's order; lowering must respect it (and would compute it if it were wrong).
      groupOrder: ['fit', 'bonus'],
      rules: [
        { group: 'bonus', when: when.segment('strong_fit'), points: 5, label: 'bonus-1' },
        { group: 'fit', when: when.segment('big'), points: 10, label: 'fit-1' },
        { when: when.compare(group('bonus'), '>', 0), points: 1, label: 'total-1' },
      ],
      tiers: [{ name: 'A', when: when.segment('late') }],
    });
    const ir = lowerModel(model);
    const names = { rules: ir.rules.map((r) => r.label), groups: ir.groups.map((g) => g.name), segments: ir.segments.map((s) => s.name) };
    expect(ir.program.map((step) => describeStep(step, names))).toEqual(['?big', 'fit-1', '=fit', '?strong_fit', 'bonus-1', '=bonus', 'total-1', '?late']);
    const reordered = lowerModel({ ...model, groupOrder: ['bonus', 'fit'] });
    expect(reordered.program.map((step) => describeStep(step, names))).toEqual(ir.program.map((step) => describeStep(step, names)));
  });

  it.each([
    [
      'a group cycle',
      buildModel({
        groups: [{ name: 'a' }, { name: 'b' }],
        rules: [
          { group: 'a', when: when.compare(group('b'), '>', 1), points: 1 },
          { group: 'b', when: when.compare(group('a'), '>', 1), points: 1 },
        ],
      }),
      /read each other/,
    ],
    ['`score` in a rule', buildModel({ rules: [{ when: when.compare(score, '>', 1), points: 1 }] }), /reads `score`/],
    ['an unknown field', buildModel({ rules: [{ when: when.isSet(field('nope')), points: 1 }] }), /unknown field `nope`/],
    ['points with 3 decimals', buildModel({ fields: { a: 'text' }, rules: [{ when: when.isSet(field('a')), points: 1.005 }] }), /at most 2 decimals/],
    [
      'a lead field inside `where`',
      buildModel({ fields: { a: 'text' }, events: { e: {} }, rules: [{ when: when.any(query('e', { where: when.isSet(field('a')) })), points: 1 }] }),
      /`where` reads lead field `a`/,
    ],
  ])('refuses %s with a LoweringError', (_name, model, message) => {
    expect(() => lowerModel(model)).toThrow(LoweringError);
    expect(() => lowerModel(model)).toThrow(message);
  });

  it('toHundredths is exact for 2 decimals', () => {
    expect([0.29, 1.15, -0.07, 1e6, 0.1 + 0.2].map((v) => toHundredths(v, 'x'))).toEqual([29, 115, -7, 1e8, 30]);
    expect(() => toHundredths(NaN, 'x')).toThrow(LoweringError);
  });
});
