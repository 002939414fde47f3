/**
 * The statistics of the back-test against known values. Reference numbers were computed
 * independently (SciPy: `norm.ppf`, `mannwhitneyu`, `minimize` on the same penalised
 * likelihood) and by hand where the case is small enough.
 */
import { describe, expect, it } from 'vitest';
import {
  calibrationBands,
  denseDesign,
  fitLogistic,
  histogramLayout,
  median,
  quantileSorted,
  rateOf,
  rocAuc,
  seededRandom,
  twoProportionZ,
  wilsonInterval,
} from '../../src/backtest/index.js';

describe('wilsonInterval', () => {
  it.each([
    // positives, trials, low, high
    [0, 10, 0, 0.2775327999],
    [5, 10, 0.2365930905, 0.7634069095],
    [81, 263, 0.2552885199, 0.366209577],
    [10, 10, 0.7224672001, 1],
    [1, 1000, 0.0001765464, 0.0056425586],
  ])('%i of %i is [%f, %f]', (positives, trials, low, high) => {
    const interval = wilsonInterval(positives, trials);
    expect(interval?.low).toBeCloseTo(low, 9);
    expect(interval?.high).toBeCloseTo(high, 9);
  });

  it('is exactly 0 and 1 at the ends, never outside [0, 1]', () => {
    expect(wilsonInterval(0, 3)?.low).toBe(0);
    expect(wilsonInterval(3, 3)?.high).toBe(1);
  });

  it('has no interval without trials, and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(4, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 3)).toThrow(RangeError);
  });

  it('rateOf carries the counts, the rate and the interval', () => {
    expect(rateOf(3, 12)).toEqual({ leads: 12, positives: 3, rate: 0.25, interval: wilsonInterval(3, 12) });
    expect(rateOf(0, 0)).toEqual({ leads: 0, positives: 0, rate: null, interval: null });
  });
});

describe('rocAuc', () => {
  it('counts a tie between a positive and a negative as one half', () => {
    // Positives score 2 and 4; negatives 1, 2, 3. Pairs: (2,1)=1 (2,2)=½ (2,3)=0 (4,*)=3 -> 4.5 of 6.
    const result = rocAuc([1, 2, 2, 3, 4], [false, false, true, false, true]);
    expect(result?.auc).toBe(0.75);
    expect(result).toMatchObject({ positives: 2, negatives: 3 });
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ when every score ties', () => {
    expect(rocAuc([1, 2, 3, 4], [false, false, true, true])?.auc).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [false, false, true, true])?.auc).toBe(0);
    expect(rocAuc([7, 7, 7, 7, 7], [true, false, true, false, false])?.auc).toBe(0.5);
  });

  it('does not depend on the input order', () => {
    const scores = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const outcomes = [true, false, true, false, true, true, false, true, false, false, true];
    const forward = rocAuc(scores, outcomes)?.auc;
    const reversed = rocAuc([...scores].reverse(), [...outcomes].reverse())?.auc;
    expect(forward).toBe(reversed);
    // By hand: 6 positives (3,4,5,9,6,5) x 5 negatives (1,1,2,5,3).
    // 3: 1,1,2 beat, tie 3 -> 3.5; 4: 4; 5: 4 + ½ (tie 5) = 4.5, twice; 9: 5; 6: 5 -> 26.5 / 30.
    expect(forward).toBeCloseTo(26.5 / 30, 12);
  });

  it('gives a Hanley-McNeil interval around the AUC', () => {
    const result = rocAuc([1, 2, 2, 3, 4], [false, false, true, false, true]);
    expect(result?.interval.low).toBeLessThan(0.75);
    expect(result?.interval.high).toBeLessThanOrEqual(1);
    expect(result?.standardError).toBeGreaterThan(0);
  });

  it('is undefined (null) without both outcomes, and refuses NaN', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
    expect(() => rocAuc([1, Number.NaN], [true, false])).toThrow(RangeError);
  });
});

describe('twoProportionZ', () => {
  it('is about 2.54 for 30/100 against 15/100', () => {
    // pooled 0.225, se = sqrt(0.225 * 0.775 * 0.02) = 0.05906; z = 0.15 / 0.05906
    expect(twoProportionZ(rateOf(30, 100), rateOf(15, 100))).toBeCloseTo(2.5399, 3);
  });

  it('is 0 when a group is empty or nobody (everybody) converted', () => {
    expect(twoProportionZ(rateOf(0, 0), rateOf(3, 10))).toBe(0);
    expect(twoProportionZ(rateOf(0, 10), rateOf(0, 10))).toBe(0);
  });
});

describe('median, quantiles, seeded random', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('quantiles interpolate like R type 7', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantileSorted([10], 0.9)).toBe(10);
  });

  it('the PRNG repeats with its seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('calibration bands and histogram layout', () => {
  it('splits into equal-count bands without splitting ties', () => {
    const scores = [0, 0, 0, 0, 10, 10, 20, 30, 40, 50];
    const outcomes = [false, false, false, true, false, true, true, false, true, true];
    const bands = calibrationBands(scores, outcomes, 5);
    // The four zeros stay together; the six leads left share the four bands left.
    expect(bands.map((b) => [b.low, b.high, b.outcome.leads, b.outcome.positives])).toEqual([
      [0, 0, 4, 1],
      [10, 10, 2, 1],
      [20, 20, 1, 1],
      [30, 40, 2, 1],
      [50, 50, 1, 1],
    ]);
    expect(bands[3].meanScore).toBe(35);
    expect(bands.reduce((sum, b) => sum + b.outcome.leads, 0)).toBe(scores.length);
  });

  it('uses round bin widths covering the range', () => {
    expect(histogramLayout(0, 100, 20)).toEqual({ start: 0, width: 5, count: 20 });
    expect(histogramLayout(-12, 37, 20)).toEqual({ start: -12.5, width: 2.5, count: 20 });
    expect(histogramLayout(5, 5, 20)).toEqual({ start: 5, width: 1, count: 1 });
  });
});

describe('fitLogistic', () => {
  it('matches an independent optimiser on a small data set (l2 = 1)', () => {
    const x = [
      [1, 0], [1, 1], [0, 1], [0, 0], [1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [0, 0], [1, 1], [0, 1],
    ];
    const y = [1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0].map(Boolean);
    const fit = fitLogistic(denseDesign(x), y, { l2: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-0.93958081, 6);
    expect(fit.coefficients[0]).toBeCloseTo(0.87556118, 6);
    expect(fit.coefficients[1]).toBeCloseTo(0.29495675, 6);
    expect(fit.interceptStandardError).toBeCloseTo(0.8306346, 5);
    expect(fit.standardErrors[0]).toBeCloseTo(0.76944568, 5);
    expect(fit.standardErrors[1]).toBeCloseTo(0.76865392, 5);
  });

  it('recovers known coefficients from synthetic data', () => {
    const truth = { intercept: -1, coefficients: [2, 0, -1.5, 0.7] };
    const random = seededRandom(7);
    const rows: number[][] = [];
    const outcomes: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Three indicators and one count (0..4), as rule amounts are.
      const row = [random() < 0.3 ? 1 : 0, random() < 0.5 ? 1 : 0, random() < 0.2 ? 1 : 0, Math.floor(random() * 5)];
      const eta = truth.intercept + row.reduce((sum, value, j) => sum + value * truth.coefficients[j], 0);
      rows.push(row);
      outcomes.push(random() < 1 / (1 + Math.exp(-eta)));
    }
    const fit = fitLogistic(denseDesign(rows), outcomes, { l2: 1 });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.intercept - truth.intercept)).toBeLessThan(3 * fit.interceptStandardError);
    truth.coefficients.forEach((beta, j) => {
      expect(Math.abs(fit.coefficients[j] - beta)).toBeLessThan(3 * fit.standardErrors[j]);
    });
    expect(fit.standardErrors.every((se) => se > 0 && se < 0.1)).toBe(true);
  });

  it('converges under perfect separation and a column that never varies, thanks to the penalty', () => {
    const x = [[1, 0], [1, 0], [1, 0], [0, 0], [0, 0], [0, 0]];
    const y = [true, true, true, false, false, false];
    const fit = fitLogistic(denseDesign(x), y, { l2: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(1);
    expect(fit.coefficients[1]).toBe(0);
    expect(Number.isFinite(fit.standardErrors[1])).toBe(true);
  });

  it('weights rows (a weight of 2 is the row twice; 0 leaves it out)', () => {
    const x = [[1], [1], [0], [0], [1], [0]];
    const y = [true, false, false, true, true, false];
    const twice = fitLogistic(denseDesign([...x, x[0]]), [...y, y[0]], { l2: 1 });
    const weighted = fitLogistic(denseDesign(x), y, { l2: 1, rowWeights: [2, 1, 1, 1, 1, 1] });
    expect(weighted.coefficients[0]).toBeCloseTo(twice.coefficients[0], 9);
    const dropped = fitLogistic(denseDesign(x.slice(1)), y.slice(1), { l2: 1 });
    const zero = fitLogistic(denseDesign(x), y, { l2: 1, rowWeights: [0, 1, 1, 1, 1, 1] });
    expect(zero.coefficients[0]).toBeCloseTo(dropped.coefficients[0], 9);
  });

  it('refuses sizes that disagree and a negative penalty', () => {
    expect(() => fitLogistic(denseDesign([[1], [0]]), [true], {})).toThrow(RangeError);
    expect(() => fitLogistic(denseDesign([[1], [0]]), [true, false], { l2: -1 })).toThrow(RangeError);
  });
});
