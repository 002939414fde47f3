/**
 * Score bounds and stages: the lowest and highest value each group and the total can take
 * (positive points summed, `each` without `up to` unbounded, group and score-range clamps
 * applied), and the stage checks built on them: a threshold no lead can reach, a stage that is
 * never chosen, a threshold below an earlier stage's.
 */
import type { Range, StageDecl } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import type { Cond, RuleInfo, StageInfo } from './model.js';
import { fieldIsSet, neverHolds, scoreAtLeast, type Atom, type Interval, type Knowledge } from './never-fires.js';
import type { GroupDraft } from './rules.js';
import { formatName } from './source-text.js';

export interface Reach {
  readonly groups: ReadonlyMap<string, Interval>;
  /** Reachable total before the `score range` clamp, and after it. */
  readonly unclamped: Interval;
  readonly score: Interval;
  /** The most rules outside any group can add. */
  readonly ungroupedHigh: number;
}

/** What one rule can add: [most it takes away, most it gives]. */
function ruleReach(rule: RuleInfo): Interval {
  const p = rule.points;
  if (!Number.isFinite(p) || p === 0) return { lo: 0, hi: 0 };
  const most = rule.kind === 'each' ? (rule.cap !== undefined && rule.cap > 0 ? rule.cap : Infinity) : Math.abs(p);
  return p > 0 ? { lo: 0, hi: most } : { lo: -most, hi: 0 };
}

function clamp(x: number, min: number | null, max: number | null): number {
  let v = x;
  if (max !== null) v = Math.min(v, max);
  if (min !== null) v = Math.max(v, min);
  return v;
}

/** Exact to the hundredth, so sums of point literals print as written. */
function tidy(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : x;
}

export function computeReach(rules: readonly RuleInfo[], groups: readonly GroupDraft[], scoreRange: { min: number; max: number } | null): Reach {
  const groupReach = new Map<string, Interval>();
  let lo = 0;
  let hi = 0;
  for (const group of groups) {
    let groupLo = 0;
    let groupHi = 0;
    for (let i = 0; i < group.rules.length; i++) {
      const r = ruleReach(group.rules[i]);
      groupLo += r.lo;
      groupHi += r.hi;
    }
    const interval = { lo: tidy(clamp(groupLo, group.min, group.max)), hi: tidy(clamp(groupHi, group.min, group.max)) };
    groupReach.set(group.name, interval);
    lo += interval.lo;
    hi += interval.hi;
  }
  let ungroupedHigh = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.group !== null) continue;
    const r = ruleReach(rule);
    lo += r.lo;
    hi += r.hi;
    ungroupedHigh += r.hi;
  }
  const unclamped = { lo: tidy(lo), hi: tidy(hi) };
  const score = scoreRange === null ? unclamped : { lo: tidy(clamp(lo, scoreRange.min, scoreRange.max)), hi: tidy(clamp(hi, scoreRange.min, scoreRange.max)) };
  return { groups: groupReach, unclamped, score, ungroupedHigh: tidy(ungroupedHigh) };
}

/** A stage with whether its `when` resolved completely. */
export interface StageDraft {
  readonly info: StageInfo;
  readonly complete: boolean;
}

function thresholdRange(decl: StageDecl): Range {
  return decl.threshold?.range ?? decl.name.range;
}

// The same for every stage of a check: worked out once.
const MAXIMUM_TEXT = new WeakMap<Reach, string>();

/** Where the highest score comes from, for the "lower the threshold" help. */
function describeMaximum(reach: Reach, groups: readonly GroupDraft[], scoreRange: { min: number; max: number } | null): string {
  let text = MAXIMUM_TEXT.get(reach);
  if (text === undefined) {
    text = maximumText(reach, groups, scoreRange);
    MAXIMUM_TEXT.set(reach, text);
  }
  return text;
}

function maximumText(reach: Reach, groups: readonly GroupDraft[], scoreRange: { min: number; max: number } | null): string {
  const most = (x: number): string => (Number.isFinite(x) ? `at most ${x}` : 'without limit (an `each` rule without `up to`)');
  // Every group up to a dozen; past that the ten that give the most (a breakdown of 10,000
  // groups in each message would be megabytes).
  const shown = groups.length <= 12 ? groups : [...groups].sort((a, b) => (reach.groups.get(b.name)?.hi ?? 0) - (reach.groups.get(a.name)?.hi ?? 0)).slice(0, 10);
  const parts = shown.map((g) => `\`${g.name}\` gives ${most(reach.groups.get(g.name)?.hi ?? 0)}`);
  if (shown.length < groups.length) parts.push(`${groups.length - shown.length} more groups give the rest`);
  if (reach.ungroupedHigh > 0 || groups.length === 0) parts.push(`rules outside groups give ${most(reach.ungroupedHigh)}`);
  let text = parts.length === 0 ? '' : parts.join(', ');
  if (scoreRange !== null && reach.unclamped.hi > scoreRange.max) text += `${text === '' ? '' : '; '}\`score range\` caps the total at ${scoreRange.max}`;
  return text;
}

/**
 * For each stage, the first later stage with no `when` and no `requires` whose threshold is as
 * low (it is reached whenever this one is), in O(n log n): going backwards, a stack of such
 * stages where each is earlier and has a higher threshold than the one below it (a later stage
 * with a threshold at least as high is never the first match), searched by threshold.
 */
function laterShadows(stages: readonly StageDraft[]): (StageDraft | undefined)[] {
  const result: (StageDraft | undefined)[] = new Array<StageDraft | undefined>(stages.length).fill(undefined);
  // Bottom: latest, lowest threshold; top: earliest, highest threshold.
  const stack: StageDraft[] = [];
  for (let i = stages.length - 1; i >= 0; i--) {
    const threshold = stages[i].info.threshold;
    // The first (top-most) entry whose threshold is <= this one: thresholds fall toward the bottom.
    let low = 0;
    let high = stack.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (stack[mid].info.threshold <= threshold) low = mid + 1;
      else high = mid;
    }
    result[i] = low > 0 ? stack[low - 1] : undefined;
    const info = stages[i].info;
    // A stage without a threshold (NaN) matches nothing, as `<=` says.
    if (info.decl.when === undefined && (info.decl.requirements ?? info.decl.requires ?? []).length === 0 && !Number.isNaN(info.threshold)) {
      while (stack.length > 0 && stack[stack.length - 1].info.threshold >= info.threshold) stack.pop();
      stack.push(stages[i]);
    }
  }
  return result;
}

export function checkStages(ctx: CheckContext, stages: readonly StageDraft[], reach: Reach, groups: readonly GroupDraft[], scoreRange: { min: number; max: number } | null, knowledge: Knowledge): void {
  // First, which stages can be reached at all; then the order of those that can.
  const shadows = laterShadows(stages);
  const reachable = stages.map((draft, i) => checkReachable(ctx, stages, i, reach, groups, scoreRange, knowledge, shadows[i]));
  let highestEarlier: { threshold: number; name: string; range: Range } | undefined;
  stages.forEach((draft, i) => {
    const stage = draft.info;
    if (!reachable[i]) return;
    if (highestEarlier !== undefined && stage.threshold < highestEarlier.threshold) {
      ctx.report('R033', thresholdRange(stage.decl), `stage \`${stage.name}\` (at ${stage.threshold}) comes after \`${highestEarlier.name}\` (at ${highestEarlier.threshold}) but has a lower threshold`, {
        help: `the last stage reached in file order wins, so \`${stage.name}\` takes over leads that reached \`${highestEarlier.name}\`; if that is not meant, list stages from the lowest threshold to the highest`,
        related: [{ message: `\`${highestEarlier.name}\` is at ${highestEarlier.threshold}`, range: highestEarlier.range }],
      });
    }
    if (highestEarlier === undefined || stage.threshold > highestEarlier.threshold) highestEarlier = { threshold: stage.threshold, name: stage.name, range: thresholdRange(stage.decl) };
  });
}

/**
 * What to do about `earlier` (at `threshold`), shadowed by the condition-free `later` (at
 * `laterThreshold` <= `threshold`). Moving `earlier` after `later` helps only when `later`'s
 * threshold is lower: at one threshold, it leaves `later` unreachable instead, so the help asks
 * for what separates the two (a higher threshold or a condition on `later`), or for one stage.
 */
function shadowHelp(earlier: string, threshold: number, later: string, laterThreshold: number): string {
  const a = `\`${formatName(earlier)}\``;
  const b = `\`${formatName(later)}\``;
  if (laterThreshold === threshold) {
    return (
      `the last stage reached in file order wins, and swapping them would leave ${b} unreachable instead: ` +
      `give ${b} a threshold above ${threshold} (${a} then holds the leads from ${threshold} up to it), ` +
      `or a \`when\` or \`requires\` that ${a} lacks (${a} then holds the leads that do not meet it); ` +
      `if both mean the same, remove one`
    );
  }
  return (
    `the last stage reached in file order wins; list stages from the lowest threshold to the highest ` +
    `(move ${a} after ${b}), or give ${b} a threshold above ${threshold}, or a \`when\` or \`requires\` that ${a} lacks`
  );
}

/** Reports (and returns false for) a stage no lead can reach. */
function checkReachable(
  ctx: CheckContext,
  stages: readonly StageDraft[],
  i: number,
  reach: Reach,
  groups: readonly GroupDraft[],
  scoreRange: { min: number; max: number } | null,
  knowledge: Knowledge,
  shadow: StageDraft | undefined,
): boolean {
  const draft = stages[i];
  const stage = draft.info;
  const decl = stage.decl;
  const threshold = stage.threshold;
  if (!Number.isFinite(threshold)) return false;

  if (threshold > reach.score.hi) {
    const capped = scoreRange !== null && reach.unclamped.hi > scoreRange.max;
    const breakdown = describeMaximum(reach, groups, scoreRange);
    ctx.report('R024', thresholdRange(decl), `\`${stage.name}\` needs ${threshold}; the most any lead can score is ${reach.score.hi}`, {
      help: capped
        ? `\`score range\` caps the total at ${scoreRange.max}: lower the threshold or raise the maximum of \`score range\``
        : `lower the threshold to ${reach.score.hi} or less, or give more points (${breakdown})`,
    });
    return false;
  }

  // A later stage with no conditions and a threshold as low is reached whenever this one is.
  if (shadow !== undefined) {
    ctx.report('R025', decl.name.range, `stage \`${stage.name}\` can never be reached: \`${shadow.info.name}\` (at ${shadow.info.threshold}) comes later and is reached whenever \`${stage.name}\` is`, {
      help: shadowHelp(stage.name, threshold, shadow.info.name, shadow.info.threshold),
      related: [{ message: `\`${shadow.info.name}\` is declared here`, range: shadow.info.decl.name.range }],
    });
    return false;
  }
  // The `requires` conditions hold with the `when` (bare fields are the `extra` atoms below).
  const conditions = (stage.conditions ?? []).map((part) => part.cond);
  const when: Cond | undefined =
    conditions.length === 0 ? stage.when : { kind: 'and', operands: stage.when === undefined ? conditions : [...conditions, stage.when], range: decl.range };
  if (!draft.complete || when === undefined) return true;
  const extra: Atom[] = [scoreAtLeast(threshold, `its threshold (\`score >= ${threshold}\`)`)];
  for (const name of stage.requires) {
    const field = ctx.fields.get(name);
    if (field !== undefined) extra.push(fieldIsSet(name, field.type, `\`requires ${name}\``));
  }
  if (!knowledge.guard.admit(when)) return true;
  const reason = neverHolds(when, knowledge, extra);
  if (reason === undefined) return true;
  ctx.report('R025', decl.name.range, `stage \`${stage.name}\` can never be reached: ${reason}`, {
    help: conditions.length === 0 ? 'change its `when` or its threshold so both can hold' : 'change its `requires`, its `when` or its threshold so they can hold together',
  });
  return false;
}
