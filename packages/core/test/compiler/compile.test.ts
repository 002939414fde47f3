// compile(): text or model -> in-process scorer; score / explain / validate behaviour that the
// language cases (test/cases) do not pin down: explanations, reports, options, robustness.
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { RULES_PER_FUNCTION } from '../../src/compiler/emit-js.js';
import type { Lead, LeadEvent, ScoreOptions } from '../../src/runtime/types.js';
import { DESIGN_EXAMPLE_TEXT, DESIGN_TEST_EVENTS, DESIGN_TEST_LEAD, DESIGN_TEST_NOW, designExampleModel } from './design-model.js';
import { buildModel, field, group, when } from './model-builder.js';

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text, { uri: 'test.rubric' });
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}: ${d.code} ${d.message}`);
  expect(errors).toEqual([]);
  if (scorer === null) throw new Error('no scorer');
  return scorer;
}

const NOW = '2026-03-01T00:00:00Z';
const daysAgo = (days: number): string => new Date(Date.parse(NOW) - days * 86400000).toISOString();

describe('the design example (LANGUAGE.md, "A file")', () => {
  const options: ScoreOptions = { now: DESIGN_TEST_NOW, events: DESIGN_TEST_EVENTS as LeadEvent[] };

  it('scores its test lead 60, stage purchase, from the text and from a hand-built model', () => {
    const expected = { score: 60, stage: 'purchase', tier: null, groups: { fit: 15, engagement: 45 } };
    expect(compileText(DESIGN_EXAMPLE_TEXT).score(DESIGN_TEST_LEAD, options)).toEqual(expected);
    const fromModel = compile(designExampleModel()).scorer;
    expect(fromModel?.score(DESIGN_TEST_LEAD, options)).toEqual(expected);
  });

  it('keeps warnings and still compiles', () => {
    const { scorer, diagnostics } = compile(DESIGN_EXAMPLE_TEXT);
    expect(scorer).not.toBeNull();
    expect(diagnostics.every((d) => d.severity !== 'error')).toBe(true);
  });

  it('explains: hits with labels and lines, groups, stages and why sales_ready is not reached', () => {
    const explanation = compileText(DESIGN_EXAMPLE_TEXT).explain(DESIGN_TEST_LEAD, options);
    expect(explanation.hits).toEqual([
      { rule: 0, label: 'Ideal company profile', points: 15, group: 'fit', line: 26 },
      { rule: 5, label: 'when any download where asset contains "guide" add 20', points: 20, group: 'engagement', line: 34 },
      {
        rule: 6,
        label: 'when any page_view where url starts "/pricing" within 30 days add 25',
        points: 25,
        group: 'engagement',
        line: 35,
      },
    ]);
    expect(explanation.groupDetails).toEqual([
      { name: 'fit', raw: 15, value: 15, min: null, max: 60, clampedBy: null },
      { name: 'engagement', raw: 45, value: 45, min: null, max: 80, clampedBy: null },
    ]);
    expect(explanation.rawScore).toBe(60);
    expect(explanation.scoreClampedBy).toBeNull();
    expect(explanation.stages.map((s) => [s.name, s.isStage, s.reached])).toEqual([
      ['discovery', false, true],
      ['evaluation', false, true],
      ['purchase', true, true],
      ['sales_ready', false, false],
    ]);
    expect(explanation.stages[3]).toEqual({
      name: 'sales_ready',
      threshold: 40,
      isStage: false,
      reached: false,
      scoreReached: true,
      missing: ['phone'],
      failedRequirements: [],
      conditionHolds: false,
      failedWhen: [{ text: 'budget_validated', alternatives: [] }],
    });
    expect(explanation.invalidValues).toEqual([]);
    expect(explanation.now).toBe('2026-03-01T00:00:00.000Z');
  });

  it('reaches sales_ready once phone is set and the budget validated', () => {
    const lead = { ...DESIGN_TEST_LEAD, phone: '+33 1 23', budget_validated: 'yes' };
    expect(compileText(DESIGN_EXAMPLE_TEXT).score(lead, options).stage).toBe('sales_ready');
  });

  it('explains `each` rules: occurrences, decayed points and the cap', () => {
    const scorer = compileText(DESIGN_EXAMPLE_TEXT);
    const clicks = (ages: number[]) => ages.map((days) => ({ type: 'email_click', at: daysAgo(days) }));
    const hit = (events: LeadEvent[]) => scorer.explain({}, { now: NOW, events }).hits.find((h) => h.rule === 8);
    // 2 + 1 (one half-life) + 0.5 (two) = 3.5
    expect(hit(clicks([0, 30, 60]))).toMatchObject({ points: 3.5, occurrences: 3, capped: false });
    // Ten fresh clicks: 20 points, capped at 10.
    expect(hit(clicks(new Array<number>(10).fill(0)))).toMatchObject({ points: 10, occurrences: 10, capped: true });
    expect(hit([])).toBeUndefined();
  });
});

describe('explain and validate report wrong-typed values', () => {
  const scorer = compileText(`lead {
  size: number
  signup: date
  student: bool
  level: one of [gold, silver]
  tags: list of text
  job: text
}
event visit { url: text, seconds: number }
when size > 10 add 1
when signup > 2026-01-01 add 1
when student add 1
when level = gold add 1
when tags has vip add 1
when job = ceo add 1
when any visit where seconds > 5 add 1
`);

  it('lists every wrong-typed lead and event value, in reading order; scoring treats them as missing', () => {
    const lead: Lead = {
      size: 'fifty',
      signup: '2026-02-30',
      student: 'maybe',
      level: 'bronze',
      tags: ['vip', 7],
      job: 42,
      events: [
        { type: 'visit', at: 'yesterday', url: '/a', seconds: 9 },
        { type: 'visit', at: '2026-02-01', url: ['/b'], seconds: 'long' },
        'not an event',
        { type: 'unknown', at: '2026-02-01' },
      ],
    };
    const expected = [
      { field: 'size', value: 'fifty', expected: 'number' },
      { field: 'signup', value: '2026-02-30', expected: 'date (ISO 8601 text or Date)' },
      { field: 'student', value: 'maybe', expected: 'bool (true or false, or the text true/false/yes/no/1/0)' },
      { field: 'level', value: 'bronze', expected: 'one of [gold, silver]' },
      { field: 'tags', value: ['vip', 7], expected: 'list of text' },
      { field: 'job', value: 42, expected: 'text' },
      { field: 'visit.at', value: 'yesterday', expected: 'date (ISO 8601 text or Date)' },
      { field: 'visit.url', value: ['/b'], expected: 'text' },
      { field: 'visit.seconds', value: 'long', expected: 'number' },
      { field: 'events', value: 'not an event', expected: 'an event: an object with a text `type` and an `at` date' },
    ];
    expect(scorer.validate(lead, { now: NOW })).toEqual(expected);
    const explanation = scorer.explain(lead, { now: NOW });
    expect(explanation.invalidValues).toEqual(expected);
    expect(explanation.score).toBe(0);
    expect(scorer.score(lead, { now: NOW }).score).toBe(0);
  });

  it('reports an `events` value that is not a list', () => {
    expect(scorer.validate({ events: { type: 'visit' } }, { now: NOW })).toEqual([
      { field: 'events', value: { type: 'visit' }, expected: 'list of events' },
    ]);
  });

  it('reports nothing for a clean lead', () => {
    const lead = { size: '12', signup: new Date('2026-02-01'), student: 'Yes', level: ' GOLD ', tags: ['VIP'], job: 'CEO' };
    expect(scorer.validate(lead, { now: NOW })).toEqual([]);
    expect(scorer.score(lead, { now: NOW }).score).toBe(6);
  });
});

describe('options and events', () => {
  const scorer = compileText(`lead {
  job: text
}
event visit
when count visit >= 1 add 1
when count visit >= 2 add 10
`);

  it('options.events replaces lead.events', () => {
    const lead = { events: [{ type: 'visit', at: NOW }] };
    expect(scorer.score(lead, { now: NOW }).score).toBe(1);
    expect(scorer.score(lead, { now: NOW, events: [] }).score).toBe(0);
    expect(scorer.score(lead, { now: NOW, events: [{ type: 'visit', at: NOW }, { type: 'visit', at: NOW }] }).score).toBe(11);
  });

  it('ignores events after now and events with an invalid `at`', () => {
    const events = [
      { type: 'visit', at: '2026-03-01T00:00:01Z' },
      { type: 'visit', at: 'soon' },
      { type: 'visit' },
      { type: 'visit', at: NOW },
    ] as unknown as LeadEvent[];
    expect(scorer.score({}, { now: NOW, events }).score).toBe(1);
    expect(scorer.validate({}, { now: NOW, events }).map((v) => v.field)).toEqual(['visit.at', 'visit.at']);
  });

  it('defaults now to the current time', () => {
    const recent = { type: 'visit', at: new Date(Date.now() - 1000) };
    const future = { type: 'visit', at: new Date(Date.now() + 3_600_000) };
    expect(scorer.score({}, { events: [recent, future] }).score).toBe(1);
    const explanation = scorer.explain({});
    expect(Math.abs(Date.parse(explanation.now) - Date.now())).toBeLessThan(60_000);
  });

  it('throws a clear error for an invalid `now` option', () => {
    expect(() => scorer.score({}, { now: 'tomorrow' })).toThrow(RangeError);
    expect(() => scorer.score({}, { now: new Date(NaN) })).toThrow(/invalid `now` option/);
  });

  it('event types match exactly (they are names, not text)', () => {
    expect(scorer.score({}, { now: NOW, events: [{ type: 'Visit', at: NOW }] }).score).toBe(0);
  });
});

describe('robustness', () => {
  const scorer = compileText(`lead {
  job: text
  size: number
  signup: date
  vip: bool
  tags: list of text
  plan: one of [free, pro]
}
event visit { url: text }
when job = ceo add 1
when size > 10 add 2
when signup > 30 days ago add 4
when vip add 8
when tags has x add 16
when plan = pro add 32
when any visit where url starts "/" add 64
when job is missing add 128
`);

  const throwing = (): never => {
    throw new Error('getter');
  };
  const revokedProxy = (): object => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const hostileValues: unknown[] = [
    null,
    undefined,
    NaN,
    Infinity,
    -Infinity,
    Number.MAX_VALUE,
    -0,
    1e21,
    '',
    '   ',
    '__proto__',
    '${process.exit(1)}',
    "'); drop table leads; --",
    [],
    ['a', 1],
    [[]],
    {},
    Object.create(null),
    new Date(NaN),
    Symbol('s'),
    10n,
    () => 1,
    new Proxy({}, { get: throwing, getPrototypeOf: throwing, has: throwing, ownKeys: throwing, getOwnPropertyDescriptor: throwing }),
    { toString: throwing, valueOf: throwing },
    revokedProxy(),
    [revokedProxy()],
  ];

  it('never throws on any lead value; scores, explanations and reports agree', () => {
    for (const value of hostileValues) {
      const leads: unknown[] = [
        { job: value, size: value, signup: value, vip: value, tags: value, plan: value },
        { job: value, events: value },
        { events: [value, { type: 'visit', at: value, url: value }, { type: value, at: NOW }] },
        value,
      ];
      for (const lead of leads) {
        const result = scorer.score(lead as Lead, { now: NOW });
        expect(Number.isFinite(result.score)).toBe(true);
        expect(scorer.explain(lead as Lead, { now: NOW }).score).toBe(result.score);
        expect(Array.isArray(scorer.validate(lead as Lead, { now: NOW }))).toBe(true);
      }
    }
  });

  it('hostile values that are not valid data are missing', () => {
    const invalid = hostileValues.filter((v) => typeof v !== 'number' || !Number.isFinite(v));
    for (const value of invalid) {
      const lead = { job: value, size: value, signup: value, vip: value, tags: value, plan: value };
      const expected = typeof value === 'string' && value.trim() !== '' ? 0 : 128;
      expect(scorer.score(lead as Lead, { now: NOW }).score, String(typeof value)).toBe(expected);
    }
  });

  it('getters that throw count as missing; the rest of the lead still scores', () => {
    const lead = Object.defineProperties({ size: 50 } as Record<string, unknown>, {
      job: { get: throwing, enumerable: true },
      events: { get: throwing, enumerable: true },
    });
    expect(scorer.score(lead, { now: NOW }).score).toBe(2 + 128);
    const events = [Object.defineProperty({ type: 'visit' }, 'at', { get: throwing }), { type: 'visit', at: NOW, url: '/x' }];
    expect(scorer.score({ job: 'CEO' }, { now: NOW, events: events as LeadEvent[] }).score).toBe(65);
    expect(scorer.score({ job: 'CEO' }, { now: NOW, events: revokedProxy() as LeadEvent[] }).score).toBe(1);
    expect(scorer.score({ job: 'CEO', events: revokedProxy() }, { now: NOW }).score).toBe(1);
  });

  it('a prototype-polluted environment changes nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.job = 'ceo';
    proto['size'] = 99;
    try {
      expect(scorer.score({}, { now: NOW }).score).toBe(128);
      expect(scorer.score(JSON.parse('{"__proto__": {"job": "ceo"}}') as Lead, { now: NOW }).score).toBe(128);
    } finally {
      delete proto.job;
      delete proto['size'];
    }
  });

  it('a getter that scores another lead while being read does not disturb the outer call', () => {
    const inner = { job: 'ceo', size: 50 };
    let innerScore = -1;
    const outer = Object.defineProperty({ vip: true } as Record<string, unknown>, 'job', {
      get() {
        innerScore = scorer.score(inner, { now: NOW }).score;
        return 'CEO';
      },
      enumerable: true,
    });
    expect(scorer.score(outer, { now: NOW }).score).toBe(9);
    expect(innerScore).toBe(3);
    expect(scorer.score(inner, { now: NOW }).score).toBe(3);
  });
});

describe('code generation', () => {
  it(`chunks rules into functions of ${RULES_PER_FUNCTION} and sums them exactly`, () => {
    const lines = ['lead {', '  size: number', '}', 'group g max 1000 {'];
    for (let i = 0; i < 250; i++) lines.push(`  when size >= ${i} add 0.01 "r${i}"`);
    lines.push('}');
    const scorer = compileText(lines.join('\n'));
    expect(scorer.javascript.match(/^function C\d+\(/gm)).toHaveLength(Math.ceil(250 / RULES_PER_FUNCTION));
    expect(scorer.score({ size: 249 }).score).toBe(2.5);
    expect(scorer.score({ size: 99 }).score).toBe(1);
    expect(scorer.explain({ size: 2 }).hits.map((h) => h.label)).toEqual(['r0', 'r1', 'r2']);
  });

  it('uses a Set for long lists and a loop for long `any` lists; same answers as short ones', () => {
    const many = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const scorer = compileText(`lead {
  job: text
  email: text
  tags: list of text
}
when job in [${many.join(', ')}] add 1
when job not in [${many.join(', ')}] add 2
when email ends any [${many.map((v) => `"@${v}.com"`).join(', ')}] add 4
when tags has any [${many.join(', ')}] add 8
`);
    expect(scorer.javascript).toContain('new Set(');
    expect(scorer.javascript).toContain('textMatchAny(');
    expect(scorer.javascript).toContain('listHasAny(');
    expect(scorer.score({ job: 'V39', email: 'a@V7.COM', tags: ['x', 'v20'] }).score).toBe(13);
    expect(scorer.score({ job: 'other', email: 'a@v7.org', tags: ['x'] }).score).toBe(2);
    expect(scorer.score({}).score).toBe(0);
  });

  it('result groups keep user names as data, even `__proto__`', () => {
    const model = buildModel({
      fields: { size: 'number' },
      groups: [{ name: '__proto__', max: 5 }, { name: 'constructor' }],
      rules: [
        { group: '__proto__', when: when.compare(field('size'), '>', 1), points: 10 },
        { group: 'constructor', when: when.compare(group('__proto__'), '=', 5), points: 1 },
      ],
    });
    const scorer = compile(model).scorer;
    const result = scorer?.score({ size: 2 });
    expect(result?.score).toBe(6);
    expect(Object.getPrototypeOf(result?.groups)).toBe(Object.prototype);
    expect(Object.keys(result?.groups ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(result?.groups, '__proto__')?.value).toBe(5);
  });

  it('a file with errors gives no scorer and every diagnostic', () => {
    const { scorer, diagnostics } = compile('lead {\n  size: number\n}\nwhen sise > 3 add 1\nwhen size ends "x" add 1\n');
    expect(scorer).toBeNull();
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['R010', 'R014']);
  });
});
