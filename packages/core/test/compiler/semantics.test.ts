// The compiled scorer's meaning at the edges, as data: each case is rules, a lead, events and the
// expected result. (test/cases/*.json holds the shared language cases run by every engine; these
// pin the boundaries the compiler's own arithmetic and time handling must get exactly right.)
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import type { LeadEvent } from '../../src/runtime/types.js';

const NOW = '2026-03-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);
const ago = (ms: number): string => new Date(NOW_MS - ms).toISOString();
const DAY = 86_400_000;

interface Case {
  readonly name: string;
  readonly rules: string;
  readonly lead?: Record<string, unknown>;
  readonly events?: ReadonlyArray<Record<string, unknown>>;
  readonly score: number;
  readonly stage?: string | null;
  readonly tier?: string | null;
  readonly groups?: Record<string, number>;
}

const NUMBERS = 'lead {\n  size: number\n  job: text\n  vip: bool\n  signup: date\n}\n';
const VISITS = 'lead {\n  job: text\n}\nevent visit { url: text }\n';

const CASES: Case[] = [
  // Missing values.
  { name: '!= is false on a missing value', rules: `${NUMBERS}when size != 5 add 1`, score: 0 },
  { name: '!= is true on another value', rules: `${NUMBERS}when size != 5 add 1`, lead: { size: 6 }, score: 1 },
  { name: 'not (>) is true on a missing value', rules: `${NUMBERS}when not (size > 50) add 1`, score: 1 },
  { name: 'not in is false on blank text', rules: `${NUMBERS}when job not in [a, b] add 1`, lead: { job: ' \u00a0' }, score: 0 },
  { name: 'is false is not missing', rules: `${NUMBERS}when vip is false add 1\nwhen vip is missing add 10`, score: 10 },
  { name: 'is false on "no"', rules: `${NUMBERS}when vip is false add 1\nwhen vip is missing add 10`, lead: { vip: 'NO' }, score: 1 },
  { name: 'not vip is true when missing', rules: `${NUMBERS}when not vip add 1`, score: 1 },
  { name: 'wrong type is missing', rules: `${NUMBERS}when size is missing add 1`, lead: { size: '12 people' }, score: 1 },
  // Numbers and dates.
  { name: 'between is inclusive', rules: `${NUMBERS}when size between 10 and 250 add 1`, lead: { size: '250' }, score: 1 },
  { name: 'decimal text compares exactly', rules: `${NUMBERS}when size > 0.1 add 1`, lead: { size: '0.10' }, score: 0 },
  { name: 'date-only literal is 00:00Z', rules: `${NUMBERS}when signup >= 2026-02-01 add 1`, lead: { signup: '2026-02-01' }, score: 1 },
  { name: 'a millisecond before is before', rules: `${NUMBERS}when signup >= 2026-02-01 add 1`, lead: { signup: '2026-01-31T23:59:59.999Z' }, score: 0 },
  { name: 'offsets are honoured', rules: `${NUMBERS}when signup >= 2026-02-01 add 1`, lead: { signup: '2026-02-01T00:30:00+01:00' }, score: 0 },
  { name: 'N days ago is relative to now', rules: `${NUMBERS}when signup > 30 days ago add 1`, lead: { signup: ago(30 * DAY - 1) }, score: 1 },
  { name: 'N days ago excludes the instant itself for >', rules: `${NUMBERS}when signup > 30 days ago add 1`, lead: { signup: ago(30 * DAY) }, score: 0 },
  { name: 'N days from now', rules: `${NUMBERS}when signup <= 90 days from now add 1`, lead: { signup: new Date(NOW_MS + 90 * DAY) }, score: 1 },
  // Windows and now.
  { name: 'within includes now - D exactly', rules: `${VISITS}when any visit within 30 days add 1`, events: [{ type: 'visit', at: ago(30 * DAY) }], score: 1 },
  { name: 'within excludes a millisecond earlier', rules: `${VISITS}when any visit within 30 days add 1`, events: [{ type: 'visit', at: ago(30 * DAY + 1) }], score: 0 },
  { name: 'an event at now counts', rules: `${VISITS}when any visit add 1`, events: [{ type: 'visit', at: NOW }], score: 1 },
  { name: 'an event after now is ignored', rules: `${VISITS}when any visit add 1\nwhen no visit add 10`, events: [{ type: 'visit', at: ago(-1) }], score: 10 },
  { name: 'count with where', rules: `${VISITS}when count visit where url contains pric >= 2 add 1`, events: [{ type: 'visit', at: NOW, url: '/PRICING' }, { type: 'visit', at: NOW, url: '/x' }, { type: 'visit', at: NOW, url: 'pric' }], score: 1 },
  { name: 'days since last: whole days, floored', rules: `${VISITS}when days since last visit = 2 add 1`, events: [{ type: 'visit', at: ago(3 * DAY - 1) }, { type: 'visit', at: ago(5 * DAY) }], score: 1 },
  { name: 'days since last is false with no event', rules: `${VISITS}when days since last visit >= 0 add 1\nwhen not (days since last visit < 5) add 10`, score: 10 },
  // Each rules, decay, caps.
  { name: 'each adds per occurrence', rules: `${VISITS}each visit add 1.5`, events: [{ type: 'visit', at: NOW }, { type: 'visit', at: ago(DAY) }], score: 3 },
  { name: 'each sub up to caps in absolute value', rules: `${VISITS}each visit sub 2 up to 5`, events: [1, 2, 3].map((d) => ({ type: 'visit', at: ago(d * DAY) })), score: -5 },
  { name: 'half-life halves per period', rules: `${VISITS}each visit add 8 half-life 1 day`, events: [0, 1, 2, 3].map((d) => ({ type: 'visit', at: ago(d * DAY) })), score: 15 },
  { name: 'decay rounds each occurrence half away from zero', rules: `${VISITS}each visit add 1.15 half-life 10 days`, events: [{ type: 'visit', at: ago(10 * DAY) }, { type: 'visit', at: ago(10 * DAY) }], score: 1.16 },
  { name: 'negative decay rounds away from zero', rules: `${VISITS}each visit sub 0.01 half-life 1 day`, events: [{ type: 'visit', at: ago(DAY) }], score: -0.01 },
  { name: 'decayed to nothing', rules: `${VISITS}each visit add 0.01 half-life 1 day`, events: [{ type: 'visit', at: ago(2 * DAY) }], score: 0 },
  // Groups, clamps, totals.
  { name: 'group max clamps', rules: `${NUMBERS}group g max 10 {\n  when size > 1 add 8\n  when size > 2 add 8\n}`, lead: { size: 5 }, score: 10, groups: { g: 10 } },
  { name: 'group min clamps', rules: `${NUMBERS}group g min -3 {\n  when size > 1 sub 8\n}`, lead: { size: 5 }, score: -3, groups: { g: -3 } },
  { name: 'ungrouped rules add to the total', rules: `${NUMBERS}group g max 1 {\n  when size > 1 add 8\n}\nwhen size > 1 add 0.5`, lead: { size: 5 }, score: 1.5, groups: { g: 1 } },
  { name: 'score range clamps the total', rules: `${NUMBERS}when size > 1 add 80\nwhen size > 2 add 80\nscore range 0 to 100`, lead: { size: 5 }, score: 100 },
  { name: 'score range lifts a negative total', rules: `${NUMBERS}when size > 1 sub 80\nscore range 0 to 100`, lead: { size: 5 }, score: 0 },
  { name: 'sums are exact in hundredths', rules: `${NUMBERS}when size > 1 add 0.1\nwhen size > 1 add 0.2`, lead: { size: 5 }, score: 0.3 },
  { name: 'a group reads another group', rules: `${NUMBERS}group a {\n  when size > 1 add 5\n}\ngroup b {\n  when a >= 5 add 1\n}`, lead: { size: 5 }, score: 6, groups: { a: 5, b: 1 } },
  // Stages and tiers.
  {
    name: 'the last reached stage wins, even below an earlier threshold',
    rules: `${NUMBERS}when size > 1 add 50\nstage big at 40\nstage qualified at 10 requires job`,
    lead: { size: 5, job: 'x' },
    score: 50,
    stage: 'qualified',
  },
  { name: 'requires blocks a stage', rules: `${NUMBERS}when size > 1 add 50\nstage big at 40\nstage qualified at 10 requires job`, lead: { size: 5 }, score: 50, stage: 'big' },
  { name: 'when blocks a stage', rules: `${NUMBERS}when size > 1 add 50\nstage a at 0\nstage b at 40 when vip`, lead: { size: 5 }, score: 50, stage: 'a' },
  { name: 'no stage reached is null', rules: `${NUMBERS}stage a at 1`, score: 0, stage: null },
  { name: 'stage reads score exactly', rules: `${NUMBERS}when size > 1 add 0.1\nwhen size > 1 add 0.2\nstage a at 0.3`, lead: { size: 5 }, score: 0.3, stage: 'a' },
  { name: 'first matching tier wins', rules: `${NUMBERS}when size > 1 add 5\ntier A when score >= 10\ntier B when score >= 5\ntier C when score >= 0`, lead: { size: 5 }, score: 5, tier: 'B' },
  { name: 'no tier matched is null', rules: `${NUMBERS}tier A when size > 1`, score: 0, tier: null },
];

describe('compiled semantics at the edges', () => {
  it.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => {
    const { scorer, diagnostics } = compile(c.rules);
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    if (scorer === null) return;
    const options = { now: NOW, events: (c.events ?? []) as LeadEvent[] };
    const result = scorer.score(c.lead ?? {}, options);
    expect(result.score).toBe(c.score);
    if (c.stage !== undefined) expect(result.stage).toBe(c.stage);
    if (c.tier !== undefined) expect(result.tier).toBe(c.tier);
    if (c.groups !== undefined) expect(result.groups).toEqual(c.groups);
    const explanation = scorer.explain(c.lead ?? {}, options);
    expect({ score: explanation.score, stage: explanation.stage, tier: explanation.tier }).toEqual({
      score: result.score,
      stage: result.stage,
      tier: result.tier,
    });
    // The hits add up to the raw total when nothing is clamped.
    if (explanation.groupDetails.every((g) => g.clampedBy === null) && explanation.scoreClampedBy === null) {
      const sum = explanation.hits.reduce((total, hit) => total + Math.round(hit.points * 100), 0);
      expect(sum / 100).toBe(result.score);
    }
  });
});
