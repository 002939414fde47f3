/**
 * Back-testing a rule file against won/lost history, and fitting suggested points. Pure: the
 * caller scores the leads (each at its own `now`) and adds the explanations to a
 * {@link ScoredHistory}; everything here is statistics on that.
 */
export { ScoredHistory } from './history.js';
export { summarizeScores, histogramLayout } from './summary.js';
export type { ScoreSummary, StageCount, HistogramBin, RuleActivity, GroupActivity, SummaryOptions } from './summary.js';
export { analyzeBacktest, calibrationBands, SMALL_DATA_POSITIVES, SMALL_DATA_NEGATIVES } from './backtest.js';
export type {
  BacktestOptions,
  BacktestReport,
  StageOutcome,
  ThresholdAdvice,
  MqlVerdict,
  MqlAssessment,
  CalibrationBand,
  RuleFlag,
  RuleOutcome,
} from './backtest.js';
export { fitRuleWeights, roundHalfAway } from './fit.js';
export type { FitOptions, FitScale, RuleWeight, WeightChange, WeightFit } from './fit.js';
export { proposeRuleFile, formatPoints } from './propose.js';
export type { ProposedEdit, ProposedFile } from './propose.js';
export { fitLogistic, denseDesign, solveSymmetric, invertSymmetric } from './logistic.js';
export type { LogisticFit, LogisticOptions, SparseDesign } from './logistic.js';
export { wilsonInterval, rateOf, rocAuc, twoProportionZ, median, quantileSorted, seededRandom, Z_95 } from './statistics.js';
export type { Interval, Rate, AucResult } from './statistics.js';
export { readOutcome, POSITIVE_OUTCOMES, NEGATIVE_OUTCOMES } from './outcome.js';
export type { OutcomeReading } from './outcome.js';
