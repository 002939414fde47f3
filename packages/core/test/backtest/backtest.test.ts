/**
 * The back-test on small, hand-checked histories: stage rates, rule lift and flags, threshold
 * advice, the MQL verdict, the score summary, fitted weights and the proposed rule file.
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer, type Lead, type LeadEvent } from '@rubric/core';
import {
  analyzeBacktest,
  fitRuleWeights,
  formatPoints,
  proposeRuleFile,
  readOutcome,
  roundHalfAway,
  ScoredHistory,
  seededRandom,
  summarizeScores,
  wilsonInterval,
  type WeightFit,
} from '../../src/backtest/index.js';

const RULES = `lead {
  job: text
  size: number
  email: text
}

event demo

group fit max 30 {
  when job in [CEO, CTO] add 10 "Decision maker"
  when size >= 50 add 5 "Big company"
  when job = Astronaut add 7 "Astronaut"
}

when any demo add 20 "Asked for a demo"
each demo add 2 up to 6 "Demos"
when email is set add 1 "Has an e-mail"

stage warm at 10
stage mql at 25 requires email
`;

const NOW = '2026-03-01T00:00:00Z';

function scorerOf(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return scorer;
}

interface Case {
  readonly lead: Lead;
  readonly demos?: number;
  readonly won?: boolean;
}

function historyOf(scorer: CompiledScorer, cases: readonly Case[]): ScoredHistory {
  const history = new ScoredHistory(scorer.model);
  for (const c of cases) {
    const events: LeadEvent[] = Array.from({ length: c.demos ?? 0 }, (_, i) => ({ type: 'demo', at: `2026-02-${String(10 + i).padStart(2, '0')}` }));
    history.add(scorer.explain(c.lead, { now: NOW, events }), c.won);
  }
  return history;
}

// Ten leads. Scores: CEO+big+demo(1)+email = 10+5+20+2+1 = 38 (mql), etc.
const CASES: readonly Case[] = [
  { lead: { job: 'CEO', size: 80, email: 'a@x.fr' }, demos: 1, won: true }, // 38 mql
  { lead: { job: 'CTO', size: 10, email: 'b@x.fr' }, demos: 2, won: true }, // 10+20+4+1 = 35 mql
  { lead: { job: 'CEO', size: 10 }, demos: 1, won: false }, // 10+20+2 = 32, no email: warm
  { lead: { job: 'Intern', size: 60, email: 'c@x.fr' }, demos: 1, won: true }, // 5+20+2+1 = 28 mql
  { lead: { job: 'Intern', size: 60, email: 'd@x.fr' }, demos: 0, won: false }, // 6: no stage
  { lead: { job: 'CTO', size: 60, email: 'e@x.fr' }, demos: 0, won: false }, // 16 warm
  { lead: { job: 'CEO', size: 5, email: 'f@x.fr' }, demos: 0, won: true }, // 11 warm
  { lead: { job: 'Sales', size: 5, email: 'g@x.fr' }, demos: 0, won: false }, // 1 no stage
  { lead: { job: 'Sales', size: 5, email: 'h@x.fr' }, demos: 4, won: false }, // 20+6+1 = 27 mql
  { lead: { job: 'Sales', size: 500, email: 'i@x.fr' }, demos: 0, won: false }, // 6 no stage
];

describe('ScoredHistory and summarizeScores', () => {
  const scorer = scorerOf(RULES);
  const history = historyOf(scorer, CASES);

  it('keeps each lead’s score, stage, outcome and rule amounts', () => {
    expect(history.size).toBe(10);
    expect([0, 1, 2, 3, 4].map((i) => history.score(i))).toEqual([38, 35, 32, 28, 6]);
    expect(history.stage(0)).toBe(1); // mql
    expect(history.stage(2)).toBe(0); // warm: no e-mail for mql
    expect(history.stage(4)).toBe(-1);
    expect(history.meetsStageGate(2, 1)).toBe(false);
    expect(history.outcomeCounts).toEqual({ known: 10, positive: 4 });
    const hits: [number, number][] = [];
    history.forEachHit(8, (rule, amount) => hits.push([rule, amount]));
    // `each demo add 2 up to 6`: 4 demos capped at 6 points = 3 occurrences' worth.
    expect(hits).toEqual([
      [3, 1],
      [4, 3],
      [5, 1],
    ]);
  });

  it('a stage gate needs its `requires` conditions too (issue 15)', () => {
    const scorer = scorerOf(RULES.replace('stage mql at 25 requires email', 'stage mql at 25 requires email, email not ends "@x.fr", any demo'));
    const history = historyOf(scorer, [
      { lead: { job: 'CEO', size: 80, email: 'a@x.fr' }, demos: 1 },
      { lead: { job: 'CEO', size: 80, email: 'a@acme.fr' }, demos: 1 },
      { lead: { job: 'CEO', size: 80, email: 'a@acme.fr' }, demos: 0 },
    ]);
    expect([0, 1, 2].map((lead) => history.meetsStageGate(lead, 1))).toEqual([false, true, false]);
  });

  it('summarizes stages, the funnel, rule activity and groups', () => {
    const summary = summarizeScores(history);
    expect(summary.leads).toBe(10);
    expect(summary.score).toEqual({ min: 1, max: 38, mean: 20, median: 21.5 });
    expect(summary.stages.map((s) => [s.stage, s.leads, s.reachedOrLater])).toEqual([
      ['warm', 3, 7],
      ['mql', 4, 4],
      [null, 3, 3],
    ]);
    const byLabel = new Map(summary.rules.map((r) => [r.label, r]));
    expect(byLabel.get('Decision maker')).toMatchObject({ fires: 5, fireRate: 0.5, meanPoints: 10 });
    expect(byLabel.get('Demos')).toMatchObject({ fires: 5, meanPoints: 3.2 });
    expect(byLabel.get('Astronaut')?.fires).toBe(0);
    expect(summary.groups[0]).toMatchObject({ name: 'fit', mean: 7.5, clampedAtMax: 0, clampedAtMin: 0 });
    const binned = summary.histogram.reduce((sum, bin) => sum + bin.counts.reduce((a, b) => a + b, 0), 0);
    expect(binned).toBe(10);
  });
});

describe('analyzeBacktest', () => {
  const scorer = scorerOf(RULES);
  const history = historyOf(scorer, CASES);
  const report = analyzeBacktest(history, { targetRate: 0.5, minimumPassed: 2, bands: 3 });

  it('gives the outcome rate of each stage, exactly at it and at it or later', () => {
    expect(report).toMatchObject({ leads: 10, positives: 4, negatives: 6 });
    expect(report.overall.rate).toBe(0.4);
    const warm = report.stages[0];
    expect(warm.at).toMatchObject({ leads: 3, positives: 1 });
    expect(warm.reached).toMatchObject({ leads: 7, positives: 4 });
    expect(report.stages[1].at).toMatchObject({ leads: 4, positives: 3, rate: 0.75 });
    expect(report.stages[1].at.interval).toEqual(wilsonInterval(3, 4));
    expect(report.stages[2]).toMatchObject({ stage: null, at: { leads: 3, positives: 0 } });
  });

  it('judges the MQL stage against the target with its interval', () => {
    // 3 of 4 won (95% 30.1%-95.4%) contains 50%.
    expect(report.mql).toMatchObject({ stage: 'mql', verdict: 'on-target' });
    const easy = analyzeBacktest(history, { targetRate: 0.2 });
    expect(easy.mql?.verdict).toBe('above');
    const below = analyzeBacktest(history, { targetRate: 0.97 });
    expect(below.mql?.verdict).toBe('below');
  });

  it('advises the lowest threshold whose passing leads reach the target', () => {
    const mql = report.thresholds[1];
    // Leads with an e-mail by score: 38 W, 35 W, 28 W, 27 L, 16 L, 11 W, 6 L, 6 L, 1 L.
    // At 11: 6 pass, 4 won = 67%; at 6: 8 pass, 4 won = 50% (>= 50%); at 1: 9 pass, 44%.
    expect(mql).toMatchObject({ stage: 'mql', threshold: 25, eligible: 9, suggested: 6 });
    expect(mql.atSuggested).toMatchObject({ leads: 8, positives: 4 });
    expect(mql.current).toMatchObject({ leads: 4, positives: 3 });
    const unreachable = analyzeBacktest(history, { targetRate: 0.99, minimumPassed: 4 }).thresholds[1];
    expect(unreachable.suggested).toBeNull();
    // The best rate with at least 4 leads passing: 38, 35, 28 won and 27 lost at 27.
    expect(unreachable.best).toMatchObject({ threshold: 27, outcome: { leads: 4, positives: 3 } });
  });

  it('gives each rule its firing rate, rates when it fires and not, lift and flags', () => {
    const byLabel = new Map(report.rules.map((r) => [r.label, r]));
    const demo = byLabel.get('Asked for a demo');
    expect(demo).toMatchObject({ fires: 5, fireRate: 0.5, whenFires: { leads: 5, positives: 3 }, whenNot: { leads: 5, positives: 1 } });
    expect(demo?.lift).toBeCloseTo(0.6 / 0.4, 12);
    expect(demo?.flags).toEqual(['no-effect']); // 3/5 vs 1/5 on ten leads is no evidence
    expect(byLabel.get('Astronaut')?.flags).toEqual(['never']);
    expect(byLabel.get('Astronaut')?.lift).toBeNull();
  });

  it('flags rules that fire for almost everybody, rarely, or the other way round', () => {
    const cases: Case[] = [];
    for (let i = 0; i < 300; i++) {
      const ceo = i % 3 === 0;
      // Decision makers win far LESS often here, although the rule adds points.
      cases.push({ lead: { job: ceo ? 'CEO' : 'Sales', size: i === 7 ? 80 : 5, email: `x${i}@x.fr` }, won: ceo ? i % 30 === 0 : i % 2 === 0 });
    }
    const flagged = analyzeBacktest(historyOf(scorer, cases));
    const byLabel = new Map(flagged.rules.map((r) => [r.label, r]));
    expect(byLabel.get('Has an e-mail')?.flags).toEqual(['almost-all']);
    expect(byLabel.get('Big company')?.flags).toContain('rare');
    expect(byLabel.get('Decision maker')?.flags).toEqual(['opposite']);
    expect(flagged.smallData).toBe(true);
  });

  it('computes the AUC and calibration bands of the score', () => {
    // Scores of won: 38, 35, 28, 11; lost: 32, 6, 16, 1, 27, 6.
    // Pairs won>lost: 38:6, 35:6, 28:5, 11:3 = 20 of 24.
    expect(report.auc?.auc).toBeCloseTo(20 / 24, 12);
    expect(report.calibration.reduce((sum, band) => sum + band.outcome.leads, 0)).toBe(10);
    expect(report.calibration[0].low).toBe(1);
  });

  it('leaves out leads without an outcome, and refuses a bad target or stage', () => {
    const mixed = historyOf(scorer, [...CASES, { lead: { job: 'CEO' } }]);
    expect(analyzeBacktest(mixed).leads).toBe(10);
    expect(() => analyzeBacktest(history, { targetRate: 1.5 })).toThrow(RangeError);
    expect(() => analyzeBacktest(history, { mqlStage: 'nope' })).toThrow(/no stage `nope`/);
  });
});

describe('readOutcome', () => {
  it.each([
    [true, true],
    ['Won', true],
    [' OUI ', true],
    ['Gagné', true],
    ['closed won', true],
    [1, true],
    ['yes', true],
    [false, false],
    ['lost', false],
    ['Perdu', false],
    ['0', false],
    [0, false],
  ])('%j is %s', (value, positive) => {
    expect(readOutcome(value)).toEqual({ kind: 'known', positive });
  });

  it.each([[undefined], [null], [''], ['   ']])('%j is missing', (value) => {
    expect(readOutcome(value)).toEqual({ kind: 'missing' });
  });

  it.each([['pending'], [2], [{}], [['won']], ['__proto__']])('%j is invalid', (value) => {
    expect(readOutcome(value)).toEqual({ kind: 'invalid' });
  });
});

describe('fitRuleWeights', () => {
  const FIT_RULES = `lead {
  job: text
}

event pricing
event webinar
event click

when job in [CEO, CTO] add 10 "Decision maker"
when any pricing add 5 "Pricing page"
when any webinar add 20 "Webinar"
each click add 2 up to 10 "Clicks"
`;
  const TRUTH = { intercept: -2, 'Decision maker': 0.8, 'Pricing page': 2, Webinar: 0, Clicks: 0.3 };

  function synthetic(leads: number, seed: number): ScoredHistory {
    const scorer = scorerOf(FIT_RULES);
    const random = seededRandom(seed);
    const history = new ScoredHistory(scorer.model);
    for (let i = 0; i < leads; i++) {
      const decision = random() < 0.3;
      const pricing = random() < 0.25;
      const webinar = random() < 0.3;
      const clicks = Math.floor(random() * 8); // the rule counts at most 5 (10 / 2)
      const events: LeadEvent[] = [];
      if (pricing) events.push({ type: 'pricing', at: '2026-02-01' });
      if (webinar) events.push({ type: 'webinar', at: '2026-02-01' });
      for (let k = 0; k < clicks; k++) events.push({ type: 'click', at: '2026-02-01' });
      const eta =
        TRUTH.intercept + (decision ? TRUTH['Decision maker'] : 0) + (pricing ? TRUTH['Pricing page'] : 0) + (webinar ? TRUTH.Webinar : 0) + TRUTH.Clicks * Math.min(clicks, 5);
      const won = random() < 1 / (1 + Math.exp(-eta));
      history.add(scorer.explain({ job: decision ? 'CEO' : 'Sales' }, { now: NOW, events }), won);
    }
    return history;
  }

  it('recovers the planted log-odds per firing (per occurrence for `each`)', () => {
    const fit = fitRuleWeights(synthetic(6000, 11));
    expect(fit.converged).toBe(true);
    expect(fit.smallData).toBe(false);
    expect(fit.intervals).toBe('wald');
    for (const rule of fit.rules) {
      const truth = TRUTH[rule.label as keyof typeof TRUTH];
      expect(Math.abs((rule.coefficient ?? NaN) - truth), rule.label).toBeLessThan(3 * (rule.standardError ?? 0));
    }
    const byLabel = new Map(fit.rules.map((r) => [r.label, r]));
    // The useless webinar: its interval contains 0 and it keeps at most a point.
    const webinar = byLabel.get('Webinar');
    expect(webinar?.interval?.low).toBeLessThan(0);
    expect(webinar?.interval?.high).toBeGreaterThan(0);
    expect(Math.abs(webinar?.suggestedPoints ?? 99)).toBeLessThanOrEqual(1);
    expect(byLabel.get('Pricing page')?.change).toBe('changed');
    expect(byLabel.get('Pricing page')?.suggestedPoints).toBeGreaterThan(byLabel.get('Decision maker')?.suggestedPoints ?? 99);
    // Out of sample, the fitted weights rank leads about as well as in sample.
    expect(fit.crossValidatedAuc).toBeGreaterThan((fit.currentAuc ?? 1) - 0.01);
    expect(Math.abs((fit.fittedAuc ?? 0) - (fit.crossValidatedAuc ?? 0))).toBeLessThan(0.02);
  });

  it('rescales so the fitted rules keep their sum of absolute points, rounded like the file', () => {
    const fit = fitRuleWeights(synthetic(6000, 11));
    expect(fit.scale).toMatchObject({ mode: 'sum', decimals: 0 });
    const coefficients = fit.rules.map((r) => Math.abs(r.coefficient ?? 0));
    expect(fit.scale.pointsPerLogOdds).toBeCloseTo(37 / coefficients.reduce((a, b) => a + b, 0), 9);
    for (const rule of fit.rules) expect(rule.suggestedPoints).toBe(roundHalfAway((rule.coefficient ?? 0) * fit.scale.pointsPerLogOdds, 0));
    const max = fitRuleWeights(synthetic(6000, 11), { scale: 'max' });
    expect(Math.max(...max.rules.map((r) => Math.abs(r.suggestedPoints)))).toBe(20);
  });

  it('uses bootstrap intervals on a small history, the same on every run', () => {
    const small = synthetic(400, 5);
    const first = fitRuleWeights(small, { bootstrap: 60 });
    const second = fitRuleWeights(small, { bootstrap: 60 });
    expect(first.smallData).toBe(true);
    expect(first.intervals).toBe('bootstrap');
    expect(first.bootstrapResamples).toBe(60);
    expect(first.rules.map((r) => r.interval)).toEqual(second.rules.map((r) => r.interval));
    for (const rule of first.rules) {
      expect(rule.interval?.low).toBeLessThan(rule.coefficient ?? NaN);
      expect(rule.interval?.high).toBeGreaterThan(rule.coefficient ?? NaN);
    }
    // By default a small history gets resampled intervals too.
    expect(fitRuleWeights(small).intervals).toBe('bootstrap');
  });

  it('keeps rules that fire too rarely to weigh, and refuses a one-sided history', () => {
    const scorer = scorerOf(FIT_RULES);
    const history = new ScoredHistory(scorer.model);
    for (let i = 0; i < 200; i++) history.add(scorer.explain({ job: i % 2 === 0 ? 'CEO' : 'Sales' }, { now: NOW, events: [] }), i % 4 === 0);
    const fit = fitRuleWeights(history);
    const pricing = fit.rules.find((r) => r.label === 'Pricing page');
    expect(pricing).toMatchObject({ change: 'kept', suggestedPoints: 5, coefficient: null });
    expect(pricing?.reason).toMatch(/fires for 0 of 200 leads/);
    const allLost = new ScoredHistory(scorer.model);
    allLost.add(scorer.explain({ job: 'CEO' }, { now: NOW }), false);
    expect(() => fitRuleWeights(allLost)).toThrow(/every lead with an outcome is negative/);
  });
});

describe('proposeRuleFile', () => {
  const TEXT = [
    '# header comment stays',
    'lead {',
    '  job: text',
    '}',
    '',
    'event click',
    'event demo',
    '',
    'group g max 50 {',
    '  when job = CEO add 10 "CEO" # trailing comment',
    '  when job = Intern',
    '    and job != CEO sub 5 "Intern"',
    '  each click add 2 up to 10 half-life 30 days "Clicks"',
    '  when any demo add 20',
    '}',
    'when job = CTO add 1; when job = CFO add 3 "CFO"',
    '',
  ].join('\n');

  function fitFor(scorer: CompiledScorer, suggestions: Record<string, number | 'kept'>): WeightFit {
    const rules = scorer.model.rules.map((rule) => {
      const suggestion = suggestions[rule.label];
      const base = { index: rule.index, kind: rule.kind, label: rule.label, group: rule.group, line: rule.line, currentPoints: rule.points, fires: 100 };
      if (suggestion === 'kept' || suggestion === undefined) {
        return { ...base, coefficient: null, standardError: null, interval: null, suggestedPoints: rule.points, suggestedInterval: null, change: 'kept' as const };
      }
      const change = suggestion === 0 ? ('remove' as const) : suggestion === rule.points ? ('same' as const) : Math.sign(suggestion) !== Math.sign(rule.points) ? ('flipped' as const) : ('changed' as const);
      return {
        ...base,
        coefficient: suggestion / 10,
        standardError: 0.1,
        interval: { low: suggestion / 10 - 0.2, high: suggestion / 10 + 0.2 },
        suggestedPoints: suggestion,
        suggestedInterval: { low: suggestion - 2, high: suggestion + 2 },
        change,
      };
    });
    return {
      rules,
      intercept: -1,
      scale: { mode: 'sum', pointsPerLogOdds: 10, decimals: 0 },
      leads: 1000,
      positives: 300,
      negatives: 700,
      smallData: false,
      intervals: 'wald',
      bootstrapResamples: 0,
      converged: true,
      iterations: 5,
      currentAuc: 0.6,
      fittedAuc: 0.7,
      crossValidatedAuc: 0.69,
      l2: 1,
    };
  }

  it('changes only the points: literals, the add/sub keyword on a flip, `up to` in proportion', () => {
    const scorer = scorerOf(TEXT);
    const proposed = proposeRuleFile(scorer.model, fitFor(scorer, { CEO: 14, Intern: 3, Clicks: 3, 'when any demo add 20': 'kept', 'when job = CTO add 1': 1, CFO: 'kept' }));
    expect(proposed.text).toBe(
      TEXT.replace('add 10 "CEO"', 'add 14 "CEO"')
        .replace('!= CEO sub 5', '!= CEO add 3')
        .replace('add 2 up to 10 half-life', 'add 3 up to 15 half-life'),
    );
    expect(proposed.edits.map((e) => [e.label, e.oldPoints, e.newPoints, e.removed])).toEqual([
      ['CEO', 10, 14, false],
      ['Intern', -5, 3, false],
      ['Clicks', 2, 3, false],
    ]);
    // It is still a valid rule file with the new points.
    const again = scorerOf(proposed.text);
    expect(again.model.rules.map((r) => r.points)).toEqual([14, 3, 3, 20, 1, 3]);
    expect(again.model.rules[2].kind === 'each' && again.model.rules[2].cap).toBe(15);
  });

  it('comments out a rule fitted to 0, saying why, and keeps the file valid', () => {
    const scorer = scorerOf(TEXT);
    const proposed = proposeRuleFile(scorer.model, fitFor(scorer, { Intern: 0, 'when any demo add 20': 0 }));
    expect(proposed.text).toContain(
      [
        '  # rubric backtest --fit: about 0 points (95% interval -2 to +2 points), no clear effect on the outcome; removed',
        '  # when job = Intern',
        '  #   and job != CEO sub 5 "Intern"',
      ].join('\n'),
    );
    expect(proposed.text).toContain('  # when any demo add 20\n}');
    expect(proposed.edits.filter((e) => e.removed).map((e) => e.label)).toEqual(['Intern', 'when any demo add 20']);
    expect(scorerOf(proposed.text).model.rules.map((r) => r.label)).toEqual(['CEO', 'Clicks', 'when job = CTO add 1', 'CFO']);
  });

  it('gives a rule that shares its line the smallest step instead of removing it', () => {
    const scorer = scorerOf(TEXT);
    const proposed = proposeRuleFile(scorer.model, fitFor(scorer, { CFO: 0 }));
    expect(proposed.text).toContain('when job = CTO add 1; when job = CFO add 1 "CFO"');
  });

  it('keeps CRLF line endings', () => {
    const crlf = TEXT.replace(/\n/g, '\r\n');
    const scorer = scorerOf(crlf);
    const proposed = proposeRuleFile(scorer.model, fitFor(scorer, { CEO: 12, Intern: 0 }));
    expect(proposed.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(proposed.text).toContain('  when job = CEO add 12 "CEO" # trailing comment\r\n');
    expect(proposed.text).toContain('  #   and job != CEO sub 5 "Intern"\r\n');
  });

  it('formats points without noise', () => {
    expect(formatPoints(12)).toBe('12');
    expect(formatPoints(2.5)).toBe('2.5');
    expect(formatPoints(0.1 + 0.2)).toBe('0.3');
    expect(roundHalfAway(-2.5, 0)).toBe(-3);
    expect(roundHalfAway(2.675, 2)).toBe(2.68);
    expect(Object.is(roundHalfAway(-0.2, 0), 0)).toBe(true);
  });
});
