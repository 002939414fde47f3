/**
 * The impact of a change on real leads: both versions score the same leads at the same instant,
 * and the report says who changes stage, how scores move, and which changed rule does it.
 */
import type { Explanation, Lead, LeadEvent, Scorer } from '../runtime/types.js';
import type { ImpactReport, LeadMove, RuleImpact, SemanticDiff, StageMove } from './types.js';

export interface ImpactOptions {
  /** The instant both versions score at (required: an impact must be reproducible). */
  readonly now: Date | string;
  /**
   * Each lead's events, by lead id. A lead without an entry uses its own `events`.
   * Without this map every lead uses its own `events`.
   */
  readonly events?: ReadonlyMap<string, readonly LeadEvent[]>;
  /** The lead property holding its id (default `id`); a lead without one is named by its 1-based position. */
  readonly idField?: string;
  /** The diff of the two versions: with it, the report counts the leads each changed rule affects. */
  readonly diff?: SemanticDiff;
  /** How many leads `movers` lists (default 10). */
  readonly top?: number;
}

/** Rounds to hundredths, half away from zero (the language's arithmetic). */
function hundredths(x: number): number {
  return (Math.sign(x) * Math.floor(Math.abs(x) * 100 + 0.5)) / 100;
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return hundredths(sum / values.length);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return hundredths(sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

function leadId(lead: Lead, position: number, idField: string): string {
  const value = Object.prototype.hasOwnProperty.call(lead, idField) ? lead[idField] : undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return `#${position}`;
}

/** Points each rule contributed, by rule index. */
function pointsByRule(explanation: Explanation): Map<number, number> {
  const points = new Map<number, number>();
  for (const hit of explanation.hits) points.set(hit.rule, hit.points);
  return points;
}

/**
 * Scores `leads` with both versions at `options.now` and reports what changes. Never throws on
 * any lead (scorers never do); `leads` is read once, so it may be a generator over a big file.
 */
/**
 * What {@link diffImpact} calls of a scorer: only `explain`. A caller may give any object that
 * explains its units this way (the CLI's account adapter explains accounts, issue 17).
 */
export type ImpactScorer = Pick<Scorer, 'explain'>;

export function diffImpact(oldScorer: ImpactScorer, newScorer: ImpactScorer, leads: Iterable<Lead>, options: ImpactOptions): ImpactReport {
  const idField = options.idField ?? 'id';
  const top = options.top ?? 10;
  const ruleChanges = (options.diff?.changes ?? []).flatMap((c) =>
    c.kind === 'rule-added' || c.kind === 'rule-removed' || c.kind === 'rule-changed' ? [c] : [],
  );
  const ruleCounts = ruleChanges.map(() => 0);
  const oldScores: number[] = [];
  const newScores: number[] = [];
  const moves = new Map<string, { from: string | null; to: string | null; leads: number }>();
  const oldStageCounts = new Map<string | null, number>();
  const newStageCounts = new Map<string | null, number>();
  const changed: LeadMove[] = [];
  let scoreUp = 0;
  let scoreDown = 0;
  let stageChanges = 0;
  let nowIso = '';
  let position = 0;

  for (const lead of leads) {
    position++;
    const id = leadId(lead, position, idField);
    const events = options.events?.get(id);
    const scoreOptions = events === undefined ? { now: options.now } : { now: options.now, events };
    const before = oldScorer.explain(lead, scoreOptions);
    const after = newScorer.explain(lead, scoreOptions);
    nowIso = after.now;
    oldScores.push(before.score);
    newScores.push(after.score);
    oldStageCounts.set(before.stage, (oldStageCounts.get(before.stage) ?? 0) + 1);
    newStageCounts.set(after.stage, (newStageCounts.get(after.stage) ?? 0) + 1);
    const change = hundredths(after.score - before.score);
    if (change > 0) scoreUp++;
    if (change < 0) scoreDown++;
    if (before.stage !== after.stage) {
      stageChanges++;
      const key = JSON.stringify([before.stage, after.stage]);
      const move = moves.get(key);
      if (move === undefined) moves.set(key, { from: before.stage, to: after.stage, leads: 1 });
      else move.leads++;
    }
    if (change !== 0 || before.stage !== after.stage) {
      changed.push({ id, oldScore: before.score, newScore: after.score, change, oldStage: before.stage, newStage: after.stage });
    }
    if (ruleChanges.length > 0) {
      const oldPoints = pointsByRule(before);
      const newPoints = pointsByRule(after);
      ruleChanges.forEach((c, i) => {
        const was = c.kind === 'rule-added' ? 0 : (oldPoints.get(c.kind === 'rule-removed' ? c.rule.index : c.old.index) ?? 0);
        const is = c.kind === 'rule-removed' ? 0 : (newPoints.get(c.kind === 'rule-added' ? c.rule.index : c.new.index) ?? 0);
        if (was !== is) ruleCounts[i]++;
      });
    }
  }

  const oldStats = { mean: mean(oldScores), median: median(oldScores) };
  const newStats = { mean: mean(newScores), median: median(newScores) };
  const movers = changed
    .sort(
      (a, b) =>
        Math.abs(b.change) - Math.abs(a.change) ||
        Number(b.oldStage !== b.newStage) - Number(a.oldStage !== a.newStage) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, top);
  const rules: RuleImpact[] = ruleChanges.map((c, i) => ({
    change: c.kind,
    rule: c.kind === 'rule-changed' ? c.new : c.rule,
    leads: ruleCounts[i],
  }));

  return {
    leads: position,
    now: nowIso === '' ? new Date(options.now).toISOString() : nowIso,
    stageMoves: [...moves.values()].sort((a, b) => b.leads - a.leads || stageOrder(a.from, b.from) || stageOrder(a.to, b.to)),
    stageCounts: stageCounts(oldStageCounts, newStageCounts, newScorer, oldScorer),
    leadsChangingStage: stageChanges,
    leadsChangingScore: scoreUp + scoreDown,
    scoreUp,
    scoreDown,
    old: oldStats,
    new: newStats,
    change: { mean: hundredths(newStats.mean - oldStats.mean), median: hundredths(newStats.median - oldStats.median) },
    movers,
    rules,
  };
}

function stageOrder(a: string | null, b: string | null): number {
  return (a ?? '\uffff').localeCompare(b ?? '\uffff');
}

/** Stages in the new version's order (from a scorer's explanation), then old-only stages, then none. */
function stageCounts(
  oldCounts: ReadonlyMap<string | null, number>,
  newCounts: ReadonlyMap<string | null, number>,
  newScorer: ImpactScorer,
  oldScorer: ImpactScorer,
): ImpactReport['stageCounts'] {
  const order: (string | null)[] = [];
  const add = (stage: string | null): void => {
    if (!order.includes(stage)) order.push(stage);
  };
  for (const s of stageNames(newScorer)) add(s);
  for (const s of stageNames(oldScorer)) add(s);
  for (const s of [...newCounts.keys(), ...oldCounts.keys()]) if (s !== null) add(s);
  add(null);
  return order
    .map((stage) => ({ stage, old: oldCounts.get(stage) ?? 0, new: newCounts.get(stage) ?? 0 }))
    .filter((row) => row.old > 0 || row.new > 0 || row.stage !== null);
}

/** A scorer's stages in file order (every explanation lists them all). */
function stageNames(scorer: ImpactScorer): string[] {
  return scorer.explain({}, { now: '1970-01-01T00:00:00Z', events: [] }).stages.map((s) => s.name);
}
