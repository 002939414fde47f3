/**
 * Issue 15's `count distinct` and synonym tables on the SQL targets: hand-written rule files and
 * leads whose values are built to trip a naive translation (text equal only once folded, `-0`
 * and `0`, the same instant written two ways, quotes, backslashes, `%`, `_`, `'); drop table`),
 * scored by the compiled JavaScript scorer, by DuckDB and by a real PostgreSQL: score, stage,
 * tier, every group and every rule's points must agree exactly, and each file's expected scores
 * are also written here by hand.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LeadCase } from '../../packages/core/test/support/arbitrary.js';
import { arbTableCase, tableRuleFile } from '../../packages/core/test/support/arbitrary-tables.js';
import { agreeOnEngines, enginesForFile } from './support/agree.js';

const NOW = '2026-03-01T00:00:00Z';
const { engines, counted } = enginesForFile('issue 15 tables SQL');

/** Every engine agrees with JavaScript on `leads` (see agreeOnEngines); the JavaScript scores. */
const agree = (text: string, leads: readonly LeadCase[], seeds?: readonly number[]): Promise<number[]> => agreeOnEngines(engines, text, leads, { now: NOW, counted, seeds });

const lead = (events: readonly Record<string, unknown>[], fields: Record<string, unknown> = {}): LeadCase => ({ now: NOW, lead: fields, events });

describe('count distinct on DuckDB and PostgreSQL', () => {
  it('counts distinct folded texts, numbers by value, instants, bools', async () => {
    const text = [
      'lead {',
      '  job: text',
      '}',
      'event page_view {',
      '  url: text',
      '  amount: number',
      '  slot: date',
      '  ok: bool',
      '  plan: one of [Free, "Pro \\"x\\""]',
      '}',
      'when count distinct page_view.url >= 2 add 1',
      'when count distinct page_view.url >= 3 add 2',
      'when count distinct page_view.amount = 2 add 4',
      'when count distinct page_view.slot = 1 add 8',
      'when count distinct page_view.ok = 2 add 16',
      'when count distinct page_view.plan = 2 add 32',
      'when count distinct page_view.url within 7 days = 1 add 64',
    ].join('\n');
    const hostile = ["'); drop table leads; --", '%', '_', '\\', '"', "it's", '50%_off\\'];
    const scores = await agree(text, [
      // Five spellings of one page (case, accents, spaces), -0 and 0, the same instant twice.
      lead([
        { type: 'page_view', at: '2026-02-28', url: '/Tarifs Été', amount: 0, slot: '2026-03-10T10:00:00Z', ok: true, plan: 'free' },
        { type: 'page_view', at: '2026-02-27', url: ' /tarifs ete ', amount: '-0', slot: '2026-03-10T11:00:00+01:00', ok: 'yes', plan: 'FREE' },
        { type: 'page_view', at: '2026-02-26', url: '/TARIFS ÉTÉ', amount: 2.5, slot: '2026-03-10T10:00:00Z', ok: false, plan: 'Pro "x"' },
      ]),
      // Hostile texts: each a distinct value; two differ only by `%` vs `_`.
      lead(hostile.map((url, i) => ({ type: 'page_view', at: `2026-02-${String(10 + i).padStart(2, '0')}`, url }))),
      // Missing values are not counted; an old visit is outside `within`.
      lead([
        { type: 'page_view', at: '2026-02-28', url: '/a' },
        { type: 'page_view', at: '2026-02-27', url: '   ' },
        { type: 'page_view', at: '2026-02-27', url: 42 },
        { type: 'page_view', at: '2026-01-01', url: '/b' },
      ]),
      lead([]),
    ]);
    // 1: one page, {0, 2.5}, one instant, {true, false}, {free, pro "x"}, one page this week.
    // 2: seven pages. 3: /a and /b; /a alone this week. 4: nothing.
    expect(scores).toEqual([4 + 8 + 16 + 32 + 64, 1 + 2, 1 + 64, 0]);
  }, 120_000);
});

describe('synonym tables on DuckDB and PostgreSQL', () => {
  const hostile = ["'); drop table leads; --", '50%_off', '50xyoff', '50%xoff', 'a_c', 'abc', 'back\\slash', 'backxslash', 'it\'s "quoted"', '__proto__', '${1+1}', 'Dir. Général', 'DG', 'Directeur Général', 'CEO', 'PDG', 'directeur commercial', 'VP Sales', 'stagiaire marketing', '', '   '];

  it('gives the first matching line, with `%`, `_`, `\\` and quotes literal in patterns', async () => {
    const text = [
      'lead {',
      '  job: text',
      '}',
      'event page_view {',
      '  url: text',
      '}',
      'table seniority {',
      '  "ceo", "pdg", dg, "dir* g*n*ral*" -> executive',
      '  "vp *", "head of *", "directeur *" -> manager',
      '  "*stagiaire*", "*intern*" -> intern # rubric: allow R056',
      '}',
      'table odd {',
      '  "50%_off", "a_c", "back\\\\slash", "it\'s \\"quoted\\"", "\'); drop table leads; --" -> literal',
      '  "__proto__", "${1+1}" -> "it\'s \\"odd\\""',
      '  "*%*", "*_*" -> "50%"',
      '}',
      'when seniority(job) = executive add 15',
      'when seniority(job) = manager add 5',
      'when seniority(job) = intern sub 10',
      'when seniority(job) is missing add 0.01',
      'when odd(job) = literal add 100',
      'when odd(job) = "it\'s \\"odd\\"" add 200',
      'when odd(job) = "50%" add 400',
      'when count page_view where seniority(url) = executive >= 1 add 1000',
      'when count distinct page_view.url where odd(url) is set >= 2 add 2000',
    ].join('\n');
    const leads = hostile.map((job) =>
      lead(
        [
          { type: 'page_view', at: '2026-02-20', url: job },
          { type: 'page_view', at: '2026-02-21', url: '50%_off' },
        ],
        { job },
      ),
    );
    const scores = await agree(text, leads);
    const byJob = new Map(hostile.map((job, i) => [job, scores[i]]));
    expect(byJob.get('50%_off')).toBe(100 + 0.01);
    expect(byJob.get('50xyoff')).toBe(0.01);
    expect(byJob.get('50%xoff')).toBe(400 + 0.01 + 2000);
    expect(byJob.get('a_c')).toBe(100 + 0.01 + 2000);
    expect(byJob.get('abc')).toBe(0.01);
    expect(byJob.get('back\\slash')).toBe(100 + 0.01 + 2000);
    expect(byJob.get('backxslash')).toBe(0.01);
    expect(byJob.get("'); drop table leads; --")).toBe(100 + 0.01 + 2000);
    expect(byJob.get('__proto__')).toBe(200 + 0.01 + 2000);
    expect(byJob.get('Dir. Général')).toBe(15 + 1000);
    expect(byJob.get('DG')).toBe(15 + 1000);
    expect(byJob.get('Directeur Général')).toBe(15 + 1000);
    expect(byJob.get('directeur commercial')).toBe(5);
    expect(byJob.get('stagiaire marketing')).toBe(-10);
    expect(byJob.get('')).toBe(0.01);
  }, 120_000);
});

describe('synonym tables cannot make a database backtrack', () => {
  // DuckDB's LIKE backtracks: `a%a%...%b` against 30,000 `a`s ran for minutes. Each engine must
  // answer as fast as the JavaScript matcher (no timing assertion: the test's timeout is the bound).
  it('answers many-star patterns on a 30,000-character value at once', async () => {
    const stars = `"${'a*'.repeat(12)}b"`;
    const text = ['lead {', '  job: text', '}', 'table t {', `  ${stars} -> x`, '  "*a*a*a*a*a*a*c*" -> y # rubric: allow R056', '}', 'when t(job) = x add 1', 'when t(job) = y add 2'].join('\n');
    const long = 'a'.repeat(30_000);
    const scores = await agree(text, [lead([], { job: long }), lead([], { job: `${long}b` }), lead([], { job: `${long}c${long}` })], [1]);
    expect(scores).toEqual([0, 1, 2]);
  }, 60_000);
});

describe('random synonym tables on DuckDB and PostgreSQL', () => {
  const RUNS = Number(process.env.RUBRIC_SQL_TABLE_RUNS ?? 40);
  it(`agree with JavaScript on ${RUNS} random tables (patterns with *, %, _, \\, quotes; texts made to match)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbTableCase, async (c) => {
        const events = c.texts.map((title, i) => ({ type: 'page_view', at: `2026-02-${String(10 + i).padStart(2, '0')}`, title }));
        await agree(tableRuleFile(c), c.texts.map((job) => lead(events, { job })), [7]);
      }),
      { numRuns: RUNS, seed: 20261203, endOnFailure: true },
    );
  }, 300_000);
});

describe('half-life weights far past their half-lives', () => {
  it('are 0 on PostgreSQL too, which raised "value out of range: underflow" for 0.5^x beyond 1074', async () => {
    const text = ['lead {', '  job: text', '}', 'event email_click', 'each email_click add 3 half-life 1 hour'].join('\n');
    // 2 years is 17,520 half-lives; 1 day is 24; now is 0.
    const scores = await agree(text, [lead([{ type: 'email_click', at: '2024-03-01' }]), lead([{ type: 'email_click', at: '2026-02-28' }]), lead([{ type: 'email_click', at: NOW }])]);
    expect(scores).toEqual([0, 0, 3]);
  }, 60_000);
});
