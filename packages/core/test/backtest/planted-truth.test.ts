/**
 * The back-test against a history whose truth is known: examples/history/history.sample.jsonl is
 * made by a seeded generator from planted log-odds (generate-history.mjs, PLANTED), and
 * history.rubric weighs the same behaviours wrongly on purpose. The back-test must find the
 * strong and the useless rules, and the fit must put the planted weights back in order.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type Lead } from '@rubric/core';
import { analyzeBacktest, fitRuleWeights, proposeRuleFile, readOutcome, ScoredHistory, type BacktestReport, type WeightFit } from '../../src/backtest/index.js';

const DIR = fileURLToPath(new URL('../../../../examples/history/', import.meta.url));
const GENERATOR = `${DIR}generate-history.mjs`;

interface Planted {
  readonly intercept: number;
  readonly traits: Readonly<Record<string, { readonly weight: number; readonly prevalence: number | null }>>;
}

function isPlanted(value: unknown): value is Planted {
  return typeof value === 'object' && value !== null && 'intercept' in value && 'traits' in value && typeof value.traits === 'object';
}

/** The planted truth, read from the generator itself (so the test follows it). */
function readPlanted(): Planted {
  const script = `import(${JSON.stringify(new URL(`file://${GENERATOR}`).href)}).then((m) => process.stdout.write(JSON.stringify(m.PLANTED)))`;
  const parsed: unknown = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  if (!isPlanted(parsed)) throw new Error('the generator exports no PLANTED truth');
  return parsed;
}

const STRONG = ['Demande de démo (60 jours)', 'Page tarifs (30 jours)'];
const USELESS = ['Inscrit à un webinar (90 jours)', 'Newsletter ouverte (90 jours)'];

let planted: Planted;
let report: BacktestReport;
let fit: WeightFit;
let proposedText: string;
let excluded = 0;

beforeAll(() => {
  planted = readPlanted();
  const rules = readFileSync(`${DIR}history.rubric`, 'utf8');
  const { scorer } = compile(rules);
  if (scorer === null) throw new Error('history.rubric does not compile');
  const history = new ScoredHistory(scorer.model);
  for (const line of readFileSync(`${DIR}history.sample.jsonl`, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const lead = JSON.parse(line) as Lead & { outcome?: unknown; as_of: string };
    const outcome = readOutcome(lead.outcome);
    if (outcome.kind !== 'known') {
      excluded++;
      continue;
    }
    // Scored as of the hand-over date: the sales cycle's later demos and pricing visits do not count.
    history.add(scorer.explain(lead, { now: lead.as_of }), outcome.positive);
  }
  report = analyzeBacktest(history);
  fit = fitRuleWeights(history);
  proposedText = proposeRuleFile(scorer.model, fit).text;
});

describe('the planted history', () => {
  it('is exactly what the seeded generator writes', () => {
    execFileSync(process.execPath, [GENERATOR, '--check'], { stdio: 'pipe' });
  });

  it('has about 3,000 leads, a few without a usable outcome, and a file under 1.5 MB', () => {
    expect(report.leads + excluded).toBe(3000);
    expect(excluded).toBe(6);
    expect(readFileSync(`${DIR}history.sample.jsonl`).length).toBeLessThan(1_500_000);
    expect(report.smallData).toBe(false);
  });

  it('plants a weight for every rule of history.rubric, by label', () => {
    expect(Object.keys(planted.traits).sort()).toEqual(fit.rules.map((rule) => rule.label).sort());
  });
});

describe('the back-test finds the planted truth', () => {
  const rule = (label: string) => {
    const found = report.rules.find((r) => r.label === label);
    if (found === undefined) throw new Error(`no rule ${label}`);
    return found;
  };

  it('shows the strong rules with a high, clear lift', () => {
    for (const label of STRONG) {
      expect(rule(label).lift, label).toBeGreaterThan(1.8);
      expect(rule(label).z, label).toBeGreaterThan(5);
      expect(rule(label).flags, label).toEqual([]);
    }
  });

  it('shows the useless rules with a lift near 1, the e-mail rule as firing for almost all', () => {
    for (const label of USELESS) {
      expect(rule(label).lift, label).toBeGreaterThan(0.8);
      expect(rule(label).lift, label).toBeLessThan(1.2);
    }
    expect(rule('Newsletter ouverte (90 jours)').flags).toContain('no-effect');
    expect(rule('E-mail connu').flags).toContain('almost-all');
    expect(rule('Stagiaire').flags).toContain('rare');
  });

  it('finds the mis-weighted score weak and its MQL stage below the 30% target', () => {
    expect(report.auc?.auc).toBeLessThan(0.7);
    expect(report.mql?.verdict).toBe('below');
    expect(report.mql?.advice.suggested).toBeGreaterThan(report.mql?.threshold ?? Infinity);
    expect(report.mql?.advice.atSuggested?.rate).toBeGreaterThanOrEqual(0.3);
  });
});

describe('--fit recovers the planted weights', () => {
  const weightOf = (label: string) => {
    const found = fit.rules.find((r) => r.label === label);
    if (found === undefined) throw new Error(`no rule ${label}`);
    return found;
  };

  it('fits each weighable rule within three standard errors of its planted log-odds', () => {
    for (const weight of fit.rules) {
      if (weight.change === 'kept') continue;
      const truth = planted.traits[weight.label].weight;
      expect(Math.abs((weight.coefficient ?? NaN) - truth), weight.label).toBeLessThan(3 * (weight.standardError ?? 0));
    }
    // The rare and the almost-always rules cannot be weighed: they keep their points.
    expect(weightOf('Stagiaire').change).toBe('kept');
    expect(weightOf('E-mail connu').change).toBe('kept');
  });

  it('ranks the rules in the planted order', () => {
    const fitted = fit.rules.filter((weight) => weight.change !== 'kept');
    for (const a of fitted) {
      for (const b of fitted) {
        const plantedGap = planted.traits[a.label].weight - planted.traits[b.label].weight;
        // Pairs planted at least 0.5 log-odds apart come out in the same order.
        if (plantedGap >= 0.5) expect(a.coefficient ?? NaN, `${a.label} > ${b.label}`).toBeGreaterThan(b.coefficient ?? NaN);
      }
    }
    const order = [...fitted].sort((x, y) => (y.coefficient ?? 0) - (x.coefficient ?? 0)).map((w) => w.label);
    expect(order.slice(0, 3)).toEqual(['Demande de démo (60 jours)', 'Page tarifs (30 jours)', 'Décideur (directeur ou dirigeant)']);
  });

  it('proposes to remove the useless rules and to weigh demo and pricing most', () => {
    for (const label of USELESS) expect(weightOf(label).change, label).toBe('remove');
    const points = fit.rules.filter((w) => w.change !== 'kept' && w.change !== 'remove').map((w) => [w.label, w.suggestedPoints] as const);
    const top = [...points].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([label]) => label);
    expect(top).toEqual(STRONG);
    expect(proposedText).toContain('# when any webinar_registration within 90 days add 20');
    expect(proposedText).toMatch(/demo_request within 60 days add (\d+)/);
  });

  it('ranks leads much better with the fitted points, also on held-out leads', () => {
    expect(fit.crossValidatedAuc).toBeGreaterThan((fit.currentAuc ?? 1) + 0.1);
  });
});
