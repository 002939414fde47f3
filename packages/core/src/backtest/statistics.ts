/**
 * Small, exact statistics for back-testing rule files against won/lost history: proportions with
 * Wilson intervals, the ROC AUC of a score (ties counted as half), a two-proportion z statistic.
 * Pure functions of plain numbers; nothing here knows about rule files.
 */

/** The 97.5th percentile of the standard normal distribution: 95% two-sided intervals. */
export const Z_95 = 1.959963984540054;

/** A closed interval `[low, high]`. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** A proportion: how many of `leads` had the outcome, the rate and its 95% Wilson interval. */
export interface Rate {
  readonly leads: number;
  readonly positives: number;
  /** positives / leads; null when there are no leads. */
  readonly rate: number | null;
  /** The 95% Wilson score interval of the rate; null when there are no leads. */
  readonly interval: Interval | null;
}

/**
 * The Wilson score interval of a proportion `positives / trials` at normal quantile `z`
 * (default: 95%). Unlike the textbook `p ± z·sqrt(p(1-p)/n)` it stays inside [0, 1] and is
 * honest for small `trials` and for rates near 0 or 1 (0 of 10 gives [0, 0.278], not [0, 0]).
 * Returns null when `trials` is 0. Throws a RangeError for impossible counts.
 */
export function wilsonInterval(positives: number, trials: number, z: number = Z_95): Interval | null {
  if (!Number.isInteger(positives) || !Number.isInteger(trials) || positives < 0 || trials < 0 || positives > trials) {
    throw new RangeError(`wilsonInterval: need whole numbers 0 <= positives <= trials, got ${positives} of ${trials}`);
  }
  if (trials === 0) return null;
  const p = positives / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At p = 0 or 1 one bound is exactly 0 or 1; floating point would give 1e-17.
  return {
    low: positives === 0 ? 0 : Math.max(0, center - half),
    high: positives === trials ? 1 : Math.min(1, center + half),
  };
}

/** A {@link Rate} of `positives` out of `leads`, with its Wilson interval. */
export function rateOf(positives: number, leads: number): Rate {
  return {
    leads,
    positives,
    rate: leads === 0 ? null : positives / leads,
    interval: wilsonInterval(positives, leads),
  };
}

/** The area under the ROC curve of a score, with its standard error and 95% interval. */
export interface AucResult {
  /** P(score of a random positive > score of a random negative) + ½ P(equal scores). */
  readonly auc: number;
  /** Hanley & McNeil (1982) standard error. */
  readonly standardError: number;
  /** auc ± 1.96 standard errors, clipped to [0, 1]. */
  readonly interval: Interval;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * The ROC AUC of `scores` against `outcomes` (true = positive), computed exactly as the
 * Mann-Whitney statistic with mid-ranks: every positive/negative pair counts 1 when the positive
 * scores higher, ½ when they tie, 0 otherwise. O(n log n). Returns null when there is no positive
 * or no negative (the AUC is undefined). NaN scores are not allowed (RangeError).
 */
export function rocAuc(scores: ArrayLike<number>, outcomes: ArrayLike<boolean>): AucResult | null {
  const n = scores.length;
  if (outcomes.length !== n) throw new RangeError('rocAuc: scores and outcomes differ in length');
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`rocAuc: score ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    // Ranks i+1 .. j+1 share their mean rank.
    const midRank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++) {
      if (outcomes[order[k]]) {
        positives++;
        positiveRankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  const auc = u / (positives * negatives);
  const standardError = hanleyMcNeilError(auc, positives, negatives);
  return {
    auc,
    standardError,
    interval: { low: Math.max(0, auc - Z_95 * standardError), high: Math.min(1, auc + Z_95 * standardError) },
    positives,
    negatives,
  };
}

/** The Hanley & McNeil (1982) standard error of an AUC. */
function hanleyMcNeilError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}

/**
 * The z statistic of the difference between two proportions (`a` minus `b`) with the pooled
 * standard error; 0 when either group is empty or the pooled rate is 0 or 1 (no evidence either
 * way). |z| >= 1.96 is a difference at the 5% level.
 */
export function twoProportionZ(a: Rate, b: Rate): number {
  if (a.leads === 0 || b.leads === 0) return 0;
  const pooled = (a.positives + b.positives) / (a.leads + b.leads);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.leads + 1 / b.leads));
  if (se === 0) return 0;
  return (a.positives / a.leads - b.positives / b.leads) / se;
}

/** The median of `values` (mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The `q`-quantile (0..1) of already sorted values, by linear interpolation between order
 * statistics (type 7, the default of R and NumPy). Throws on an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantileSorted: no values');
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * mulberry32: a tiny, fast, seeded 32-bit PRNG returning numbers in [0, 1). Used for bootstrap
 * resampling and cross-validation folds, so a back-test gives the same numbers on every run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
