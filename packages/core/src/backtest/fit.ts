/**
 * Suggested points per rule, fitted to history: an L2-regularised logistic regression of the
 * outcome on each rule's amount (1 when a `when` rule fires; the decayed, capped number of
 * occurrences for an `each` rule), rescaled to the file's own point scale and rounded to its
 * precision. Predictive scoring tools fit such weights and explain nothing; here every weight
 * lands on a rule a person wrote, and the result is a rule file to review as a diff.
 */
import type { ScoredHistory } from './history.js';
import { fitLogistic, type LogisticFit, type SparseDesign } from './logistic.js';
import { SMALL_DATA_NEGATIVES, SMALL_DATA_POSITIVES } from './backtest.js';
import { quantileSorted, rocAuc, seededRandom, Z_95, type Interval } from './statistics.js';

/**
 * How fitted log-odds become points. `sum`: the suggested points have the same sum of absolute
 * values as the current points of the fitted rules (the overall scale is kept). `max`: the
 * rule with the largest weight gets the largest current absolute points.
 */
export type FitScale = 'sum' | 'max';

export interface FitOptions {
  /** Ridge penalty λ (default 1): shrinks weights of rules with little data towards 0. */
  readonly l2?: number;
  readonly scale?: FitScale;
  /**
   * A rule is fitted only when it fires for at least this many leads, and at least 1% of them, and
   * misses as many (default 10). Others keep their points.
   */
  readonly minimumFires?: number;
  /**
   * Bootstrap resamples for the intervals: default 200 when the history is small (fewer than 500
   * positives or 1,000 negatives), else 0 (Wald intervals only).
   */
  readonly bootstrap?: number;
  /** Cross-validation folds for the out-of-sample AUC (default 5; 0 or 1: none). */
  readonly folds?: number;
  /** Seed of the resampling and the folds (default 1): the same data gives the same numbers. */
  readonly seed?: number;
}

/** What the fit suggests for one rule. */
export type WeightChange =
  /** Fitted; the suggested points equal the current ones. */
  | 'same'
  /** Fitted; new points, same direction. */
  | 'changed'
  /**
   * Fitted, clearly (95% interval excluding 0) the other way: `add` becomes `sub` or the reverse.
   */
  | 'flipped'
  /**
   * Fitted to about 0 (rounds to 0 points), or to the opposite sign with an interval containing 0:
   * the rule carries no measurable signal; the proposal removes it.
   */
  | 'remove'
  /** Not fitted (fires for too few or too many leads): kept as it is. */
  | 'kept';

export interface RuleWeight {
  readonly index: number;
  readonly kind: 'when' | 'each';
  readonly label: string;
  readonly group: string | null;
  readonly line: number;
  readonly currentPoints: number;
  readonly fires: number;
  /** Log-odds per firing (per occurrence); null when not fitted. */
  readonly coefficient: number | null;
  /** Wald standard error of the coefficient; null when not fitted. */
  readonly standardError: number | null;
  /** 95% interval of the coefficient: bootstrap percentiles when resampled, else Wald. */
  readonly interval: Interval | null;
  /** Suggested points (rounded to the file's precision); the current points when kept. */
  readonly suggestedPoints: number;
  /** The interval in points (same scale, not rounded). */
  readonly suggestedInterval: Interval | null;
  readonly change: WeightChange;
  /** Why a kept rule was not fitted. */
  readonly reason?: string;
}

export interface WeightFit {
  readonly rules: readonly RuleWeight[];
  /** Log-odds of the outcome for a lead no fitted rule fires for. */
  readonly intercept: number;
  readonly scale: {
    readonly mode: FitScale;
    /** Points per unit of log-odds. */
    readonly pointsPerLogOdds: number;
    /** Decimals of the suggested points (the most any point literal of the file has). */
    readonly decimals: number;
  };
  readonly leads: number;
  readonly positives: number;
  readonly negatives: number;
  readonly smallData: boolean;
  /** 'bootstrap' when the intervals come from resampling, else 'wald'. */
  readonly intervals: 'bootstrap' | 'wald';
  readonly bootstrapResamples: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** AUC of the current score on the same leads. */
  readonly currentAuc: number | null;
  /** AUC of the fitted weights, in sample (optimistic). */
  readonly fittedAuc: number | null;
  /** AUC of the fitted weights on held-out folds (honest); null without folds. */
  readonly crossValidatedAuc: number | null;
  readonly l2: number;
}

/**
 * Fits suggested points for the rules of `history` from the leads that have an outcome. Throws a
 * RangeError when there is no positive or no negative outcome (nothing to learn).
 */
export function fitRuleWeights(history: ScoredHistory, options: FitOptions = {}): WeightFit {
  const { model } = history;
  const l2 = options.l2 ?? 1;
  const minimumFires = options.minimumFires ?? 10;
  const mode = options.scale ?? 'sum';
  const seed = options.seed ?? 1;

  const leads: number[] = [];
  for (let i = 0; i < history.size; i++) if (history.outcome(i) !== undefined) leads.push(i);
  const outcomes = leads.map((lead) => history.outcome(lead) === true);
  const positives = outcomes.filter(Boolean).length;
  const negatives = leads.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(
      `cannot fit weights: every lead with an outcome is ${positives === 0 ? 'negative' : 'positive'} (${leads.length} leads)`,
    );
  }
  const smallData = positives < SMALL_DATA_POSITIVES || negatives < SMALL_DATA_NEGATIVES;

  // Which rules to fit: those that fire for enough leads and miss enough (at least
  // `minimumFires`, and at least 1% either way: a rule flagged rare or almost-all by the
  // back-test has too little contrast to weigh).
  const fires = new Array<number>(model.rules.length).fill(0);
  for (const lead of leads) history.forEachHit(lead, (rule) => fires[rule]++);
  const enough = Math.max(minimumFires, Math.ceil(leads.length * 0.01));
  const column = new Array<number>(model.rules.length).fill(-1);
  const fitted: number[] = [];
  const reasons = new Map<number, string>();
  for (const rule of model.rules) {
    const count = fires[rule.index];
    if (count < enough) reasons.set(rule.index, `fires for ${count} of ${leads.length} leads: too few to weigh`);
    else if (leads.length - count < enough) reasons.set(rule.index, `fires for all but ${leads.length - count} of ${leads.length} leads: too few without it to weigh`);
    else {
      column[rule.index] = fitted.length;
      fitted.push(rule.index);
    }
  }

  const design = buildDesign(history, leads, column, fitted.length);
  const fit = fitLogistic(design, outcomes, { l2 });

  const resamples = options.bootstrap ?? (smallData ? defaultResamples(leads.length) : 0);
  const bootstrap = resamples > 0 ? bootstrapIntervals(design, outcomes, fit, l2, resamples, seed) : null;

  // Points per unit of log-odds, so the suggestions keep the file's scale.
  const current = fitted.map((rule) => Math.abs(model.rules[rule].points));
  const weights = fit.coefficients.map(Math.abs);
  let pointsPerLogOdds = 0;
  if (mode === 'sum') {
    const sumWeights = weights.reduce((a, b) => a + b, 0);
    if (sumWeights > 0) pointsPerLogOdds = current.reduce((a, b) => a + b, 0) / sumWeights;
  } else {
    const maxWeight = Math.max(0, ...weights);
    if (maxWeight > 0) pointsPerLogOdds = Math.max(0, ...current) / maxWeight;
  }
  const decimals = Math.max(0, ...model.rules.map((rule) => decimalsOf(rule.points)));
  const round = (value: number): number => roundHalfAway(value, decimals);

  const rules: RuleWeight[] = model.rules.map((rule) => {
    const base = { index: rule.index, kind: rule.kind, label: rule.label, group: rule.group, line: rule.line, currentPoints: rule.points, fires: fires[rule.index] };
    const j = column[rule.index];
    if (j === -1) {
      return {
        ...base,
        coefficient: null,
        standardError: null,
        interval: null,
        suggestedPoints: rule.points,
        suggestedInterval: null,
        change: 'kept',
        reason: reasons.get(rule.index) ?? 'not fitted',
      };
    }
    const coefficient = fit.coefficients[j];
    const standardError = fit.standardErrors[j];
    const interval = bootstrap?.[j] ?? { low: coefficient - Z_95 * standardError, high: coefficient + Z_95 * standardError };
    const rounded = round(coefficient * pointsPerLogOdds);
    const againstCurrent = Math.sign(rounded) !== 0 && Math.sign(rounded) !== Math.sign(rule.points);
    const clear = interval.low > 0 || interval.high < 0;
    // Never turn a rule around without evidence: an opposite sign whose interval contains 0
    // says the rule does nothing measurable, so it is proposed for removal.
    const suggestedPoints = againstCurrent && !clear ? 0 : rounded;
    const change: WeightChange =
      suggestedPoints === 0 ? 'remove' : suggestedPoints === rule.points ? 'same' : againstCurrent ? 'flipped' : 'changed';
    return {
      ...base,
      coefficient,
      standardError,
      interval,
      suggestedPoints,
      suggestedInterval: { low: interval.low * pointsPerLogOdds, high: interval.high * pointsPerLogOdds },
      change,
    };
  });

  const currentAuc = rocAuc(leads.map((lead) => history.score(lead)), outcomes)?.auc ?? null;
  const fittedAuc = rocAuc(linearPredictor(design, fit), outcomes)?.auc ?? null;
  const folds = options.folds ?? 5;
  const crossValidatedAuc = folds >= 2 ? crossValidate(design, outcomes, l2, folds, seed) : null;

  return {
    rules,
    intercept: fit.intercept,
    scale: { mode, pointsPerLogOdds, decimals },
    leads: leads.length,
    positives,
    negatives,
    smallData,
    intervals: bootstrap === null ? 'wald' : 'bootstrap',
    bootstrapResamples: bootstrap === null ? 0 : resamples,
    converged: fit.converged,
    iterations: fit.iterations,
    currentAuc,
    fittedAuc,
    crossValidatedAuc,
    l2,
  };
}

/** intercept + x·beta of row `row`: the fitted log-odds. */
function linearPredictorOf(design: SparseDesign, fit: Pick<LogisticFit, 'intercept' | 'coefficients'>, row: number): number {
  let eta = fit.intercept;
  for (let k = design.rowStart[row]; k < design.rowStart[row + 1]; k++) eta += fit.coefficients[design.columnIndex[k]] * design.values[k];
  return eta;
}

function linearPredictor(design: SparseDesign, fit: LogisticFit): Float64Array {
  const result = new Float64Array(design.rows);
  for (let i = 0; i < design.rows; i++) result[i] = linearPredictorOf(design, fit, i);
  return result;
}

/** The rows of `leads`, the columns of the fitted rules. */
function buildDesign(history: ScoredHistory, leads: readonly number[], column: readonly number[], columns: number): SparseDesign {
  const rowStart: number[] = [0];
  const columnIndex: number[] = [];
  const values: number[] = [];
  for (const lead of leads) {
    history.forEachHit(lead, (rule, amount) => {
      const j = column[rule];
      if (j === -1) return;
      columnIndex.push(j);
      values.push(amount);
    });
    rowStart.push(columnIndex.length);
  }
  return { rows: leads.length, columns, rowStart, columnIndex, values };
}

/** Enough resamples for stable 95% percentiles, fewer on large data to bound the work. */
function defaultResamples(rows: number): number {
  return Math.max(50, Math.min(200, Math.floor(2_000_000 / Math.max(1, rows))));
}

/** Percentile 95% intervals of each coefficient over `resamples` bootstrap resamples of the rows. */
function bootstrapIntervals(design: SparseDesign, outcomes: readonly boolean[], fit: LogisticFit, l2: number, resamples: number, seed: number): Interval[] {
  const random = seededRandom(seed);
  const samples = fit.coefficients.map(() => new Float64Array(resamples));
  const weights = new Float64Array(design.rows);
  for (let b = 0; b < resamples; b++) {
    weights.fill(0);
    for (let i = 0; i < design.rows; i++) weights[Math.floor(random() * design.rows)]++;
    const refit = fitLogistic(design, outcomes, { l2, rowWeights: weights, start: { intercept: fit.intercept, coefficients: fit.coefficients } });
    refit.coefficients.forEach((value, j) => (samples[j][b] = value));
  }
  return samples.map((values) => {
    values.sort();
    return { low: quantileSorted(values, 0.025), high: quantileSorted(values, 0.975) };
  });
}

/** The AUC of out-of-fold predictions: each lead is predicted by a fit that did not see it. */
function crossValidate(design: SparseDesign, outcomes: readonly boolean[], l2: number, folds: number, seed: number): number | null {
  const random = seededRandom(seed ^ 0x9e3779b9);
  const order = Array.from({ length: design.rows }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Int32Array(design.rows);
  order.forEach((row, position) => (fold[row] = position % folds));
  const predictions = new Float64Array(design.rows);
  const weights = new Float64Array(design.rows);
  for (let f = 0; f < folds; f++) {
    for (let i = 0; i < design.rows; i++) weights[i] = fold[i] === f ? 0 : 1;
    const fit = fitLogistic(design, outcomes, { l2, rowWeights: weights });
    for (let i = 0; i < design.rows; i++) {
      if (fold[i] !== f) continue;
      predictions[i] = linearPredictorOf(design, fit, i);
    }
  }
  return rocAuc(predictions, outcomes)?.auc ?? null;
}

/** How many decimals a point value has (0, 1 or 2: points have at most 2). */
function decimalsOf(value: number): number {
  for (let d = 0; d < 2; d++) if (Math.abs(Math.round(value * 10 ** d) - value * 10 ** d) < 1e-9) return d;
  return 2;
}

/** Rounds half away from zero to `decimals` (so -2.5 becomes -3, like 2.5 becomes 3). */
export function roundHalfAway(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.floor(Math.abs(value) * factor + 0.5 + 1e-9)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0
}
