/**
 * A scored history: what the back-test and the report need to keep of each lead after scoring it
 * (its score, stage, group values, which rules fired and by how much, which stage gates it met,
 * and its outcome), in compact columns so a history of a million leads fits in memory.
 */
import type { Model, RuleInfo } from '../checker/model.js';
import type { Explanation } from '../runtime/types.js';

/** A growable column of numbers backed by a typed array. */
class Column<T extends Float64Array | Int32Array | Int8Array | Uint8Array> {
  private data: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }

  /** A view of the filled part (valid until the next push). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * Scored leads, in the order they were added. Build it with the checked {@link Model} the scorer
 * was compiled from, then {@link add} each lead's explanation (and outcome, for a back-test).
 *
 * A rule's *amount* for a lead is how many times its points applied: 1 for a `when` rule that
 * fired, the (decayed, capped) number of occurrences for an `each` rule (its contribution divided
 * by its points per occurrence), 0 when it did not fire.
 */
export class ScoredHistory {
  readonly model: Model;
  private readonly scores = new Column((n) => new Float64Array(n));
  /** Index into `model.stages`; -1 when no stage is reached. */
  private readonly stages = new Column((n) => new Int32Array(n));
  /** 1 won, 0 lost, -1 unknown. */
  private readonly outcomes = new Column((n) => new Int8Array(n));
  /** Compressed sparse rows of rule amounts. */
  private readonly hitStart = new Column((n) => new Int32Array(n));
  private readonly hitRule = new Column((n) => new Int32Array(n));
  private readonly hitAmount = new Column((n) => new Float64Array(n));
  /** Per lead, one value per group (row-major). */
  private readonly groupValues = new Column((n) => new Float64Array(n));
  /** Per lead and group: 1 clamped by max, -1 by min, 0 not clamped. */
  private readonly groupClamps = new Column((n) => new Int8Array(n));
  /** Per lead and stage: 1 when the stage's `requires` items hold (fields set, conditions true) and its `when` holds. */
  private readonly stageGates = new Column((n) => new Uint8Array(n));
  private readonly stageIndex: ReadonlyMap<string, number>;
  private readonly groupIndex: ReadonlyMap<string, number>;
  private knownOutcomes = 0;
  private positiveOutcomes = 0;

  constructor(model: Model) {
    this.model = model;
    this.stageIndex = new Map(model.stages.map((stage, index) => [stage.name, index]));
    this.groupIndex = new Map(model.groups.map((group, index) => [group.name, index]));
    this.hitStart.push(0);
  }

  /** Leads added so far. */
  get size(): number {
    return this.scores.length;
  }

  /** Leads added with a known outcome, and how many of them were positive (won). */
  get outcomeCounts(): { readonly known: number; readonly positive: number } {
    return { known: this.knownOutcomes, positive: this.positiveOutcomes };
  }

  /**
   * Adds one scored lead: `explanation` from the scorer compiled from this history's model, and
   * its outcome (true won, false lost; undefined when not known).
   */
  add(explanation: Explanation, outcome?: boolean): void {
    const { model } = this;
    this.scores.push(explanation.score);
    this.stages.push(explanation.stage === null ? -1 : (this.stageIndex.get(explanation.stage) ?? -1));
    this.outcomes.push(outcome === undefined ? -1 : outcome ? 1 : 0);
    if (outcome !== undefined) {
      this.knownOutcomes++;
      if (outcome) this.positiveOutcomes++;
    }
    // A rule fires at most once per explanation; keep its amount (not the points) so a change of
    // points does not change the data.
    for (const hit of explanation.hits) {
      const rule = model.rules[hit.rule];
      if (rule === undefined || rule.points === 0 || hit.points === 0) continue;
      this.hitRule.push(hit.rule);
      this.hitAmount.push(hit.points / rule.points);
    }
    this.hitStart.push(this.hitRule.length);
    const groups = new Float64Array(model.groups.length);
    const clamps = new Int8Array(model.groups.length);
    for (const detail of explanation.groupDetails) {
      const index = this.groupIndex.get(detail.name);
      if (index === undefined) continue;
      groups[index] = detail.value;
      clamps[index] = detail.clampedBy === 'max' ? 1 : detail.clampedBy === 'min' ? -1 : 0;
    }
    for (let g = 0; g < groups.length; g++) {
      this.groupValues.push(groups[g]);
      this.groupClamps.push(clamps[g]);
    }
    const gates = new Uint8Array(model.stages.length);
    for (const stage of explanation.stages) {
      const index = this.stageIndex.get(stage.name);
      if (index !== undefined) gates[index] = stage.missing.length === 0 && stage.failedRequirements.length === 0 && stage.conditionHolds ? 1 : 0;
    }
    for (let s = 0; s < gates.length; s++) this.stageGates.push(gates[s]);
  }

  score(lead: number): number {
    return this.scores.get(lead);
  }

  /** Index of the lead's stage in `model.stages`, or -1 for no stage. */
  stage(lead: number): number {
    return this.stages.get(lead);
  }

  /** True won, false lost, undefined unknown. */
  outcome(lead: number): boolean | undefined {
    const value = this.outcomes.get(lead);
    return value === -1 ? undefined : value === 1;
  }

  /** Calls `visit(rule, amount)` for each rule that fired for the lead, in file order. */
  forEachHit(lead: number, visit: (rule: number, amount: number) => void): void {
    const end = this.hitStart.get(lead + 1);
    for (let k = this.hitStart.get(lead); k < end; k++) visit(this.hitRule.get(k), this.hitAmount.get(k));
  }

  /** The clamped value of group `group` (index in `model.groups`) for the lead. */
  groupValue(lead: number, group: number): number {
    return this.groupValues.get(lead * this.model.groups.length + group);
  }

  /** 1 when the group was clamped by its `max`, -1 by its `min`, else 0. */
  groupClamp(lead: number, group: number): number {
    return this.groupClamps.get(lead * this.model.groups.length + group);
  }

  /** Whether the lead meets stage `stage`'s `requires` and `when` (whatever its score). */
  meetsStageGate(lead: number, stage: number): boolean {
    return this.stageGates.get(lead * this.model.stages.length + stage) === 1;
  }

  /**
   * The rule amounts of every lead as a sparse design matrix (rows: leads; columns: rules in file
   * order). Views into the history: valid until the next {@link add}.
   */
  design(): { rowStart: Int32Array; columnIndex: Int32Array; values: Float64Array } {
    return { rowStart: this.hitStart.view(), columnIndex: this.hitRule.view(), values: this.hitAmount.view() };
  }

  /** The rules of the model, in file order (a shortcut for reports). */
  get rules(): readonly RuleInfo[] {
    return this.model.rules;
  }
}
