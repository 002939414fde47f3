// `scoreAndValidate` is `score` + `validate` in one evaluation, and `validateEvent` is
// `validate({}, {events: [event]})` without scoring: both must give exactly what the two slow
// calls give, on generated files and messy, wrong-typed and hostile leads and events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import type { Lead, LeadEvent, ScoreOptions } from '../../src/runtime/types.js';
import { arbitraryFileWithLeads, type LeadCase } from '../support/arbitrary.js';
import { HOSTILE_STRINGS } from '../support/hostile.js';

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  return scorer;
}

function optionsOf(leadCase: LeadCase): ScoreOptions {
  return leadCase.events === undefined ? { now: leadCase.now } : { now: leadCase.now, events: leadCase.events as LeadEvent[] };
}

/** Every event a lead case carries (in the options or the lead), as validateEvent would see them. */
function eventsIn(leadCase: LeadCase): readonly unknown[] {
  if (leadCase.events !== undefined) return leadCase.events;
  const own = Object.getOwnPropertyDescriptor(leadCase.lead, 'events')?.value as unknown;
  return Array.isArray(own) ? own : [];
}

const FILE = `
lead {
  job: text
  employees: number
  email: text
  opted_in: bool
  signed_up: date
  region: one of [emea, amer, apac]
  tags: list of text
  unused_score: number
}

event page_view { url: text, seconds: number }
event download { asset: text, pages: number, at_home: bool }
event ignored_event { note: text, weight: number }

when job in [CEO, CTO] add 10
when employees >= 50 add 5
when email ends "@gmail.com" sub 5
when opted_in add 2
when signed_up >= 2026-01-01 add 1
when region = emea add 1
when tags has any [vip] add 3
each page_view within 30 days add 1 up to 10
each download where pages > 3 add 4

stage mql at 10
`;

const HOSTILE_VALUES: readonly unknown[] = [
  ...HOSTILE_STRINGS,
  42,
  -0,
  Number.NaN,
  Infinity,
  true,
  null,
  {},
  [],
  ['vip', 3],
  new Date(Number.NaN),
  new Date(Date.UTC(2026, 0, 1)),
  '2026-02-30',
  '  ',
  Object.create(null) as object,
];

const FIELDS = ['job', 'employees', 'email', 'opted_in', 'signed_up', 'region', 'tags', 'unused_score'] as const;

describe('scoreAndValidate', () => {
  it('equals score and validate on generated files and leads', () => {
    fc.assert(
      fc.property(arbitraryFileWithLeads({ leads: 6 }), ({ text, leads }) => {
        const scorer = compileText(text);
        for (const leadCase of leads) {
          const options = optionsOf(leadCase);
          const both = scorer.scoreAndValidate(leadCase.lead, options);
          expect(both.result).toEqual(scorer.score(leadCase.lead, options));
          expect(both.invalid).toEqual(scorer.validate(leadCase.lead, options));
        }
      }),
      { numRuns: 60, seed: 20260301 },
    );
  });

  it('equals score and validate with a wrong-typed or hostile value in every field', () => {
    const scorer = compileText(FILE);
    const now = '2026-03-01T00:00:00Z';
    for (const field of FIELDS) {
      for (const value of HOSTILE_VALUES) {
        const lead: Lead = { job: 'CEO', employees: '120', [field]: value };
        const events = [
          { type: 'page_view', at: '2026-02-20', url: value, seconds: value },
          { type: 'download', at: value, asset: 'guide', pages: 7 },
        ] as unknown as LeadEvent[];
        for (const options of [{ now }, { now, events }]) {
          const both = scorer.scoreAndValidate(lead, options);
          expect(both.result).toEqual(scorer.score(lead, options));
          expect(both.invalid).toEqual(scorer.validate(lead, options));
        }
      }
    }
  });

  it('reports nothing with a shared frozen empty list, and a fresh list when something is wrong', () => {
    const scorer = compileText(FILE);
    const clean = scorer.scoreAndValidate({ job: 'CEO', employees: 80 }, { now: '2026-03-01' });
    expect(clean.invalid).toEqual([]);
    expect(Object.isFrozen(clean.invalid)).toBe(true);
    expect(scorer.scoreAndValidate({}, { now: '2026-03-01' }).invalid).toBe(clean.invalid);
    const bad = scorer.scoreAndValidate({ employees: 'many', unused_score: 'x' }, { now: '2026-03-01' });
    expect(bad.invalid).toEqual([
      { field: 'employees', value: 'many', expected: 'number' },
      { field: 'unused_score', value: 'x', expected: 'number' },
    ]);
    expect(bad.result).toEqual(scorer.score({ employees: 'many' }, { now: '2026-03-01' }));
  });

  it('gives the right answer when a getter on the lead scores another lead mid-evaluation', () => {
    const scorer = compileText(FILE);
    const now = '2026-03-01';
    const inner: Lead = { job: 'CTO', employees: 'lots', opted_in: true };
    let innerResult: unknown;
    const lead = {
      job: 'intern',
      get employees(): unknown {
        innerResult = scorer.scoreAndValidate(inner, { now });
        return 60;
      },
    };
    const outer = scorer.scoreAndValidate(lead, { now });
    expect(outer.result).toEqual(scorer.score({ job: 'intern', employees: 60 }, { now }));
    expect(outer.invalid).toEqual([]);
    expect(innerResult).toEqual({ result: scorer.score(inner, { now }), invalid: scorer.validate(inner, { now }) });
  });

  it('rejects an invalid `now` like score does', () => {
    const scorer = compileText(FILE);
    expect(() => scorer.scoreAndValidate({}, { now: 'yesterday' })).toThrow(/invalid `now` option/);
  });
});

describe('validateEvent', () => {
  it('equals validate of a lead with only that event, on generated files and events', () => {
    fc.assert(
      fc.property(arbitraryFileWithLeads({ leads: 6 }), ({ text, leads }) => {
        const scorer = compileText(text);
        for (const leadCase of leads) {
          for (const event of eventsIn(leadCase)) {
            expect(scorer.validateEvent(event as LeadEvent)).toEqual(scorer.validate({}, { now: leadCase.now, events: [event as LeadEvent] }));
          }
        }
      }),
      { numRuns: 60, seed: 20260302 },
    );
  });

  it('checks `at` and the declared properties, with the `EVENT.at` and `EVENT.prop` names', () => {
    const scorer = compileText(FILE);
    const check = (event: unknown) => {
      const found = scorer.validateEvent(event as LeadEvent);
      expect(found).toEqual(scorer.validate({}, { now: '2026-03-01', events: [event as LeadEvent] }));
      return found;
    };
    expect(check({ type: 'page_view', at: '2026-02-01', url: '/pricing', seconds: '12' })).toEqual([]);
    expect(check({ type: 'page_view', at: 'yesterday', url: 7, seconds: 'long' })).toEqual([
      { field: 'page_view.at', value: 'yesterday', expected: 'date (ISO 8601 text or Date)' },
      { field: 'page_view.url', value: 7, expected: 'text' },
      { field: 'page_view.seconds', value: 'long', expected: 'number' },
    ]);
    // An event with no rule is still checked; an undeclared type is not; a non-event is reported.
    expect(check({ type: 'ignored_event', at: '2026-02-01', weight: 'heavy' })).toEqual([
      { field: 'ignored_event.weight', value: 'heavy', expected: 'number' },
    ]);
    expect(check({ type: 'mystery', at: 'never', anything: {} })).toEqual([]);
    expect(check({ at: '2026-02-01' })).toHaveLength(1);
    expect(check(null)[0]?.field).toBe('events');
    // An event in the future is checked too (scoring ignores it, validation does not).
    expect(check({ type: 'download', at: '2999-01-01', pages: 'ten', at_home: 'maybe' })).toEqual([
      { field: 'download.pages', value: 'ten', expected: 'number' },
      { field: 'download.at_home', value: 'maybe', expected: 'bool (true or false, or the text true/false/yes/no/1/0)' },
    ]);
  });

  it('equals validate with hostile values in every property, and leaves scoring untouched', () => {
    const scorer = compileText(FILE);
    const now = '2026-03-01';
    const lead: Lead = { job: 'CEO', employees: 80, tags: ['vip'] };
    const events = [{ type: 'page_view', at: '2026-02-25', url: '/a', seconds: 3 }] as LeadEvent[];
    const before = scorer.score(lead, { now, events });
    for (const value of HOSTILE_VALUES) {
      for (const event of [
        { type: 'page_view', at: value, url: value, seconds: value },
        { type: 'download', at: '2026-02-01', asset: value, pages: value, at_home: value },
        { type: value, at: value },
      ]) {
        expect(scorer.validateEvent(event as unknown as LeadEvent)).toEqual(scorer.validate({}, { now, events: [event as unknown as LeadEvent] }));
      }
    }
    expect(scorer.score(lead, { now, events })).toEqual(before);
  });

  it('is exported by the standalone module, with the same answers', async () => {
    const scorer = compileText(FILE);
    const source = emitModule(scorer.model);
    const module = (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as {
      scoreAndValidate: CompiledScorer['scoreAndValidate'];
      validateEvent: CompiledScorer['validateEvent'];
      default: { scoreAndValidate: unknown; validateEvent: unknown };
    };
    const lead: Lead = { job: 'CEO', employees: 'x' };
    const event = { type: 'page_view', at: 'soon', seconds: '5' } as LeadEvent;
    expect(module.scoreAndValidate(lead, { now: '2026-03-01' })).toEqual(scorer.scoreAndValidate(lead, { now: '2026-03-01' }));
    expect(module.validateEvent(event)).toEqual(scorer.validateEvent(event));
    expect(module.default.scoreAndValidate).toBe(module.scoreAndValidate);
    expect(module.default.validateEvent).toBe(module.validateEvent);
    expect(emitModule(scorer.model, { format: 'cjs' })).toContain('exports.validateEvent = scorer.validateEvent;');
  });
});
