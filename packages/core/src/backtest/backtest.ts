/**
 * The back-test: a rule file's scores against what really happened to the leads (won or lost,
 * opportunity or not). Per stage, the outcome rate with its Wilson interval; the MQL stage's rate
 * against a target (about 30% of MQLs become opportunities in B2B: far below means the threshold
 * is too low, no MQL at all means it is too high); the score's ROC AUC and calibration by score
 * band; per rule, how often it fires and how the outcome differs when it does; and per stage, the
 * threshold that would reach the target rate.
 */
import type { ScoredHistory } from './history.js';
import type { RuleFiring } from './summary.js';
import { rateOf, rocAuc, twoProportionZ, Z_95, type AucResult, type Rate } from './statistics.js';

/** Below either count the history is "small" (HubSpot asks for 500 won and 1,000 lost contacts). */
export const SMALL_DATA_POSITIVES = 500;
export const SMALL_DATA_NEGATIVES = 1000;

export interface BacktestOptions {
  /** The outcome rate a stage should reach (default 0.3). */
  readonly targetRate?: number;
  /** The stage handing leads to sales (default: the last stage of the file). */
  readonly mqlStage?: string;
  /** Calibration bands (default 10, equal numbers of leads, ties kept together). */
  readonly bands?: number;
  /** A suggested threshold must pass at least this many leads (default 10). */
  readonly minimumPassed?: number;
}

export interface StageOutcome {
  /** Null: no stage. */
  readonly stage: string | null;
  readonly threshold: number | null;
  /** Leads whose stage is this one. */
  readonly at: Rate;
  /** Leads whose stage is this one or a later one in the file (for no stage: the same as `at`). */
  readonly reached: Rate;
}

/**
 * For one stage: the leads its gate passes now, and the lowest threshold at which the leads
 * passing it reach the target rate. A lead passes a stage's gate at threshold T when its score
 * is >= T, the stage's `requires` items hold (fields set, conditions true) and its `when` holds.
 */
export interface ThresholdAdvice {
  readonly stage: string;
  readonly threshold: number;
  /** Leads meeting the stage's `requires` and `when` (whatever their score). */
  readonly eligible: number;
  /** Leads passing the gate at the current threshold, and their outcome rate. */
  readonly current: Rate;
  /** The lowest threshold (a score some lead has) whose passing leads reach the target; null when none does. */
  readonly suggested: number | null;
  readonly atSuggested: Rate | null;
  /** When no threshold reaches the target: the one with the highest rate (with enough leads). */
  readonly best: { readonly threshold: number; readonly outcome: Rate } | null;
}

export type MqlVerdict =
  /** No lead reached the stage: its threshold or requirements are too strict. */
  | 'none'
  /** The rate's interval is entirely below the target: the threshold is probably too low. */
  | 'below'
  /** The interval contains the target. */
  | 'on-target'
  /** The interval is entirely above the target: sales could take more leads. */
  | 'above';

export interface MqlAssessment {
  readonly stage: string;
  readonly threshold: number;
  /** Leads whose stage is this one or a later one, and their outcome rate. */
  readonly reached: Rate;
  readonly verdict: MqlVerdict;
  readonly advice: ThresholdAdvice;
}

export interface CalibrationBand {
  /** Lowest and highest score in the band. */
  readonly low: number;
  readonly high: number;
  readonly meanScore: number;
  readonly outcome: Rate;
}

export type RuleFlag =
  /** Fired for nobody. */
  | 'never'
  /** Fired for fewer than 1% of the leads. */
  | 'rare'
  /** Fired for more than 99% of the leads: it moves every score alike and separates nothing. */
  | 'almost-all'
  /** The outcome rate is not clearly different (5% level) when it fires and when it does not. */
  | 'no-effect'
  /** A clear difference, but the other way round from its points (adds points, yet fewer wins). */
  | 'opposite';

export interface RuleOutcome extends RuleFiring {
  readonly whenFires: Rate;
  readonly whenNot: Rate;
  /** Outcome rate when it fires / overall outcome rate (null when it never fires). */
  readonly lift: number | null;
  /** Two-proportion z statistic of (rate when it fires − rate when not). */
  readonly z: number;
  readonly flags: readonly RuleFlag[];
}

export interface BacktestReport {
  readonly leads: number;
  readonly positives: number;
  readonly negatives: number;
  readonly overall: Rate;
  readonly targetRate: number;
  readonly stages: readonly StageOutcome[];
  /** Null when the file has no stage. */
  readonly mql: MqlAssessment | null;
  /** Null when every lead has the same outcome. */
  readonly auc: AucResult | null;
  readonly calibration: readonly CalibrationBand[];
  /** Adjacent bands whose rate goes down while the score goes up, beyond both intervals. */
  readonly calibrationInversions: number;
  readonly rules: readonly RuleOutcome[];
  readonly thresholds: readonly ThresholdAdvice[];
  /** Fewer than {@link SMALL_DATA_POSITIVES} positives or {@link SMALL_DATA_NEGATIVES} negatives. */
  readonly smallData: boolean;
}

/**
 * Back-tests the leads of `history` that have an outcome (the others are left out). Throws a
 * RangeError for a target rate outside (0, 1) or an `mqlStage` the file does not declare.
 */
export function analyzeBacktest(history: ScoredHistory, options: BacktestOptions = {}): BacktestReport {
  const { model } = history;
  const targetRate = options.targetRate ?? 0.3;
  if (!(targetRate > 0 && targetRate < 1)) throw new RangeError(`the target rate must be between 0 and 1, got ${targetRate}`);
  const minimumPassed = options.minimumPassed ?? 10;
  const stageCount = model.stages.length;
  let mqlIndex = stageCount - 1;
  if (options.mqlStage !== undefined) {
    mqlIndex = model.stages.findIndex((stage) => stage.name === options.mqlStage);
    if (mqlIndex === -1) throw new RangeError(`the file has no stage \`${options.mqlStage}\``);
  }

  const leads: number[] = [];
  for (let i = 0; i < history.size; i++) if (history.outcome(i) !== undefined) leads.push(i);
  const won = (lead: number): boolean => history.outcome(lead) === true;
  const positives = leads.filter(won).length;
  const negatives = leads.length - positives;
  const overall = rateOf(positives, leads.length);

  // Stages: exactly at, and at or later.
  const atCount = new Array<number>(stageCount + 1).fill(0);
  const atWon = new Array<number>(stageCount + 1).fill(0);
  for (const lead of leads) {
    const stage = history.stage(lead);
    const slot = stage === -1 ? stageCount : stage;
    atCount[slot]++;
    if (won(lead)) atWon[slot]++;
  }
  const stages: StageOutcome[] = [];
  let laterCount = 0;
  let laterWon = 0;
  const reachedRates: Rate[] = new Array<Rate>(stageCount);
  for (let s = stageCount - 1; s >= 0; s--) {
    laterCount += atCount[s];
    laterWon += atWon[s];
    reachedRates[s] = rateOf(laterWon, laterCount);
  }
  model.stages.forEach((stage, s) =>
    stages.push({ stage: stage.name, threshold: stage.threshold, at: rateOf(atWon[s], atCount[s]), reached: reachedRates[s] }),
  );
  const none = rateOf(atWon[stageCount], atCount[stageCount]);
  stages.push({ stage: null, threshold: null, at: none, reached: none });

  const thresholds = model.stages.map((stage, s) => adviseThreshold(history, leads, s, stage.name, stage.threshold, targetRate, minimumPassed));

  let mql: MqlAssessment | null = null;
  if (mqlIndex >= 0) {
    const stage = model.stages[mqlIndex];
    const reached = reachedRates[mqlIndex];
    mql = { stage: stage.name, threshold: stage.threshold, reached, verdict: verdictOf(reached, targetRate), advice: thresholds[mqlIndex] };
  }

  const scores = leads.map((lead) => history.score(lead));
  const outcomes = leads.map(won);
  const auc = rocAuc(scores, outcomes);
  const calibration = calibrationBands(scores, outcomes, options.bands ?? 10);

  return {
    leads: leads.length,
    positives,
    negatives,
    overall,
    targetRate,
    stages,
    mql,
    auc,
    calibration,
    calibrationInversions: countInversions(calibration),
    rules: ruleOutcomes(history, leads, overall),
    thresholds,
    smallData: positives < SMALL_DATA_POSITIVES || negatives < SMALL_DATA_NEGATIVES,
  };
}

function verdictOf(reached: Rate, target: number): MqlVerdict {
  if (reached.leads === 0 || reached.interval === null) return 'none';
  if (reached.interval.high < target) return 'below';
  if (reached.interval.low > target) return 'above';
  return 'on-target';
}

function adviseThreshold(
  history: ScoredHistory,
  leads: readonly number[],
  stageIndex: number,
  stage: string,
  threshold: number,
  target: number,
  minimumPassed: number,
): ThresholdAdvice {
  const eligible = leads.filter((lead) => history.meetsStageGate(lead, stageIndex));
  eligible.sort((a, b) => history.score(b) - history.score(a));
  let passed = 0;
  let passedWon = 0;
  let currentPassed = 0;
  let currentWon = 0;
  let suggested: { threshold: number; passed: number; won: number } | null = null;
  let best: { threshold: number; passed: number; won: number } | null = null;
  let i = 0;
  // Walk the distinct scores from the top down: at each, the leads scoring at least that much.
  while (i < eligible.length) {
    const score = history.score(eligible[i]);
    while (i < eligible.length && history.score(eligible[i]) === score) {
      passed++;
      if (history.outcome(eligible[i]) === true) passedWon++;
      i++;
    }
    if (score >= threshold) {
      currentPassed = passed;
      currentWon = passedWon;
    }
    if (passed < minimumPassed) continue;
    if (passedWon / passed >= target) suggested = { threshold: score, passed, won: passedWon };
    if (best === null || passedWon / passed > best.won / best.passed) best = { threshold: score, passed, won: passedWon };
  }
  return {
    stage,
    threshold,
    eligible: eligible.length,
    current: rateOf(currentWon, currentPassed),
    suggested: suggested?.threshold ?? null,
    atSuggested: suggested === null ? null : rateOf(suggested.won, suggested.passed),
    best: suggested !== null || best === null ? null : { threshold: best.threshold, outcome: rateOf(best.won, best.passed) },
  };
}

/** Equal-count bands of the score (as near as ties allow), lowest scores first. */
export function calibrationBands(scores: readonly number[], outcomes: readonly boolean[], bands: number): CalibrationBand[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const n = order.length;
  const result: CalibrationBand[] = [];
  let start = 0;
  for (let band = 0; band < bands && start < n; band++) {
    // Aim for an equal share of what is left; never split a run of equal scores.
    let end = Math.min(n, start + Math.max(1, Math.round((n - start) / (bands - band))));
    while (end < n && scores[order[end]] === scores[order[end - 1]]) end++;
    let won = 0;
    let sum = 0;
    for (let k = start; k < end; k++) {
      sum += scores[order[k]];
      if (outcomes[order[k]]) won++;
    }
    result.push({
      low: scores[order[start]],
      high: scores[order[end - 1]],
      meanScore: Math.round((sum / (end - start)) * 100) / 100,
      outcome: rateOf(won, end - start),
    });
    start = end;
  }
  return result;
}

function countInversions(bands: readonly CalibrationBand[]): number {
  let inversions = 0;
  for (let b = 1; b < bands.length; b++) {
    const lower = bands[b - 1].outcome.interval;
    const higher = bands[b].outcome.interval;
    if (lower !== null && higher !== null && higher.high < lower.low) inversions++;
  }
  return inversions;
}

function ruleOutcomes(history: ScoredHistory, leads: readonly number[], overall: Rate): RuleOutcome[] {
  const { model } = history;
  const fires = new Array<number>(model.rules.length).fill(0);
  const firesWon = new Array<number>(model.rules.length).fill(0);
  for (const lead of leads) {
    const won = history.outcome(lead) === true;
    history.forEachHit(lead, (rule) => {
      fires[rule]++;
      if (won) firesWon[rule]++;
    });
  }
  const n = leads.length;
  return model.rules.map((rule) => {
    const whenFires = rateOf(firesWon[rule.index], fires[rule.index]);
    const whenNot = rateOf(overall.positives - firesWon[rule.index], n - fires[rule.index]);
    const fireRate = n === 0 ? 0 : fires[rule.index] / n;
    const z = twoProportionZ(whenFires, whenNot);
    const flags: RuleFlag[] = [];
    if (fires[rule.index] === 0) flags.push('never');
    else if (fireRate < 0.01) flags.push('rare');
    if (fireRate > 0.99) flags.push('almost-all');
    if (fires[rule.index] > 0 && whenNot.leads > 0) {
      if (Math.abs(z) < Z_95) flags.push('no-effect');
      else if (Math.sign(z) !== Math.sign(rule.points)) flags.push('opposite');
    }
    return {
      index: rule.index,
      kind: rule.kind,
      label: rule.label,
      hasLabel: rule.hasLabel,
      group: rule.group,
      points: rule.points,
      line: rule.line,
      fires: fires[rule.index],
      fireRate,
      whenFires,
      whenNot,
      lift: whenFires.rate === null || overall.rate === null || overall.rate === 0 ? null : whenFires.rate / overall.rate,
      z,
      flags,
    };
  });
}
