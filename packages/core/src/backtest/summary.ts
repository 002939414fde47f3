/**
 * What a rule file does to a set of leads, outcome or not: the score distribution by stage, the
 * stage funnel, how often each rule fires and what each group contributes. The report's charts
 * are drawn from this.
 */
import type { ScoredHistory } from './history.js';
import { median } from './statistics.js';

/** Leads per stage. `stage` null is "no stage"; stages come in file order, then null. */
export interface StageCount {
  readonly stage: string | null;
  readonly threshold: number | null;
  /** Leads whose stage is this one. */
  readonly leads: number;
  /**
   * Leads whose stage is this one or one later in the file (the funnel: the stage that wins is
   * the last one reached). For "no stage": the same as `leads`.
   */
  readonly reachedOrLater: number;
}

/** One bar of the score histogram: scores in `[low, high)` (the last bin includes `high`). */
export interface HistogramBin {
  readonly low: number;
  readonly high: number;
  /** Leads in the bin per stage, aligned with {@link ScoreSummary.stages}. */
  readonly counts: readonly number[];
}

/** A rule and how often it fired: what every per-rule report row starts with. */
export interface RuleFiring {
  /** Index in `model.rules`. */
  readonly index: number;
  readonly kind: 'when' | 'each';
  /** The label, or the rule's source text when it has none. */
  readonly label: string;
  readonly hasLabel: boolean;
  readonly group: string | null;
  /** Points per firing (per occurrence for `each`), signed. */
  readonly points: number;
  readonly line: number;
  /** Leads it fired for. */
  readonly fires: number;
  /** fires / leads (0 when there are no leads). */
  readonly fireRate: number;
}

export interface RuleActivity extends RuleFiring {
  /** Mean points it gave to the leads it fired for (before group clamps); 0 when it never fired. */
  readonly meanPoints: number;
}

export interface GroupActivity {
  readonly name: string;
  readonly min: number | null;
  readonly max: number | null;
  /** Mean clamped value over all leads. */
  readonly mean: number;
  /** Mean clamped value over the leads of each stage, aligned with {@link ScoreSummary.stages} (null: no lead). */
  readonly meanByStage: readonly (number | null)[];
  /** Leads whose group sum was cut by `max` / raised by `min`. */
  readonly clampedAtMax: number;
  readonly clampedAtMin: number;
}

export interface ScoreSummary {
  readonly leads: number;
  /** Null when there are no leads. */
  readonly score: { readonly min: number; readonly max: number; readonly mean: number; readonly median: number } | null;
  readonly stages: readonly StageCount[];
  readonly histogram: readonly HistogramBin[];
  readonly rules: readonly RuleActivity[];
  readonly groups: readonly GroupActivity[];
}

export interface SummaryOptions {
  /** About how many histogram bins to aim for (default 25); the width is a round number. */
  readonly bins?: number;
}

/** Summarises a scored history (every lead, whatever its outcome). */
export function summarizeScores(history: ScoredHistory, options: SummaryOptions = {}): ScoreSummary {
  const { model } = history;
  const n = history.size;
  const stageCount = model.stages.length;
  // Slot `stageCount` is "no stage".
  const slot = (lead: number): number => {
    const stage = history.stage(lead);
    return stage === -1 ? stageCount : stage;
  };

  const perStage = new Array<number>(stageCount + 1).fill(0);
  const scores: number[] = new Array<number>(n);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const score = history.score(i);
    scores[i] = score;
    sum += score;
    if (score < min) min = score;
    if (score > max) max = score;
    perStage[slot(i)]++;
  }
  const stages: StageCount[] = [];
  let later = 0;
  const reached = new Array<number>(stageCount).fill(0);
  for (let s = stageCount - 1; s >= 0; s--) {
    later += perStage[s];
    reached[s] = later;
  }
  model.stages.forEach((stage, s) => stages.push({ stage: stage.name, threshold: stage.threshold, leads: perStage[s], reachedOrLater: reached[s] }));
  stages.push({ stage: null, threshold: null, leads: perStage[stageCount], reachedOrLater: perStage[stageCount] });

  const histogram: HistogramBin[] = [];
  if (n > 0) {
    const { start, width, count } = histogramLayout(min, max, options.bins ?? 25);
    const counts = Array.from({ length: count }, () => new Array<number>(stageCount + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const bin = Math.min(count - 1, Math.max(0, Math.floor((scores[i] - start) / width + 1e-9)));
      counts[bin][slot(i)]++;
    }
    for (let b = 0; b < count; b++) histogram.push({ low: roundTo(start + b * width), high: roundTo(start + (b + 1) * width), counts: counts[b] });
  }

  const fires = new Array<number>(model.rules.length).fill(0);
  const points = new Array<number>(model.rules.length).fill(0);
  for (let i = 0; i < n; i++) {
    history.forEachHit(i, (rule, amount) => {
      fires[rule]++;
      points[rule] += amount * model.rules[rule].points;
    });
  }
  const rules: RuleActivity[] = model.rules.map((rule) => ({
    index: rule.index,
    kind: rule.kind,
    label: rule.label,
    hasLabel: rule.hasLabel,
    group: rule.group,
    points: rule.points,
    line: rule.line,
    fires: fires[rule.index],
    fireRate: n === 0 ? 0 : fires[rule.index] / n,
    meanPoints: fires[rule.index] === 0 ? 0 : roundTo(points[rule.index] / fires[rule.index]),
  }));

  const groups: GroupActivity[] = model.groups.map((group, g) => {
    let total = 0;
    let atMax = 0;
    let atMin = 0;
    const byStage = new Array<number>(stageCount + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const value = history.groupValue(i, g);
      total += value;
      byStage[slot(i)] += value;
      const clamp = history.groupClamp(i, g);
      if (clamp === 1) atMax++;
      else if (clamp === -1) atMin++;
    }
    return {
      name: group.name,
      min: group.min,
      max: group.max,
      mean: n === 0 ? 0 : roundTo(total / n),
      meanByStage: byStage.map((value, s) => (perStage[s] === 0 ? null : roundTo(value / perStage[s]))),
      clampedAtMax: atMax,
      clampedAtMin: atMin,
    };
  });

  return {
    leads: n,
    score: n === 0 ? null : { min, max, mean: roundTo(sum / n), median: median(scores) ?? 0 },
    stages,
    histogram,
    rules,
    groups,
  };
}

/**
 * Bins of a round width (1, 2, 2.5 or 5 times a power of ten) starting at a multiple of the
 * width, about `target` of them, covering [min, max].
 */
export function histogramLayout(min: number, max: number, target: number): { start: number; width: number; count: number } {
  if (!(max > min)) {
    const width = 1;
    return { start: Math.floor(min), width, count: 1 };
  }
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * power).find((w) => w >= raw - 1e-12) ?? 10 * power;
  const start = Math.floor(min / width + 1e-9) * width;
  const count = Math.max(1, Math.ceil((max - start) / width - 1e-9));
  return { start, width, count };
}

/** Rounds to 1e-9 so reports do not show floating-point noise (0.30000000000000004). */
function roundTo(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
