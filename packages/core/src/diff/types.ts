/**
 * What changed in meaning between two versions of a rule file ({@link SemanticDiff}) and how
 * that moves real leads ({@link ImpactReport}). Plain data: the CLI renders it as text, markdown
 * or JSON; the language server can show it as is.
 */

/** An old and a new value. */
export interface ValueChange<T> {
  readonly old: T;
  readonly new: T;
}

/** A rule as the diff shows it. */
export interface RuleSummary {
  /** Position among the file's rules (`Model.rules`), in its own version. */
  readonly index: number;
  readonly kind: 'when' | 'each';
  /** The group the rule is in; null for a rule that adds to the total directly. */
  readonly group: string | null;
  /** The label as written, or null when the rule has none. */
  readonly label: string | null;
  /** Signed points per firing (or occurrence): `sub 5` is -5. */
  readonly points: number;
  /** 1-based line in its own version. */
  readonly line: number;
  /** The whole rule on one line, in canonical layout. */
  readonly source: string;
  /**
   * The rule's condition in canonical layout; for an `each` rule, what it counts
   * (`page_view where url starts "/pricing" within 30 days`).
   */
  readonly condition: string;
}

/** How an old rule was paired with a new one. */
export type RuleMatch = 'label' | 'condition' | 'position';

export interface RuleChanged {
  readonly kind: 'rule-changed';
  /** See {@link SemanticChange}. */
  readonly level?: 'account';
  readonly old: RuleSummary;
  readonly new: RuleSummary;
  readonly matchedBy: RuleMatch;
  readonly points?: ValueChange<number>;
  /** Canonical source texts of the condition (or of what an `each` rule counts). */
  readonly condition?: ValueChange<string>;
  /** Moved between groups (null: outside any group). */
  readonly group?: ValueChange<string | null>;
  /** null: no label (explanations show the rule's text). */
  readonly label?: ValueChange<string | null>;
  /** `up to` cap of an `each` rule (null: none). */
  readonly cap?: ValueChange<number | null>;
  /** `half-life` of an `each` rule as written (null: none). */
  readonly halfLife?: ValueChange<string | null>;
  /**
   * The decay the rule follows, its own or its group's (`decay 25% per month (group \`g\`)`), as
   * written (null: none); set when its meaning changed (also with `halfLife`).
   */
  readonly decay?: ValueChange<string | null>;
  /** `at most K per PERIOD` of an `each` rule as written (null: none). */
  readonly limit?: ValueChange<string | null>;
  /** `when` became `each` or the reverse (matched by label). */
  readonly ruleKind?: ValueChange<'when' | 'each'>;
}

export interface GroupSummary {
  readonly name: string;
  readonly min: number | null;
  readonly max: number | null;
}

export interface StageSummary {
  readonly name: string;
  readonly threshold: number;
  /** Its `requires` items: the bare fields, then the conditions as written (one line). */
  readonly requires: readonly string[];
  /** Canonical text of its `when` condition (null: none). */
  readonly condition: string | null;
}

/**
 * One change in meaning. `kind` says which; see each member. `level: 'account'` (issue 17) marks
 * a change inside the account side (the `account` block's fields and the `score accounts` block's
 * segments, groups, score range, rules, stages and tiers; a rule's `index` then counts the
 * account rules); absent for the file's own (contact) rules.
 */
export type SemanticChange = SemanticChangeBody & { readonly level?: 'account' };

type SemanticChangeBody =
  // Accounts (issue 17); `key` as written: `id = company.id`
  | { readonly kind: 'account-added'; readonly key: string; readonly fields: readonly string[] }
  | { readonly kind: 'account-removed'; readonly key: string }
  | { readonly kind: 'account-key-changed'; readonly key: ValueChange<string> }
  // Schema
  | { readonly kind: 'field-added'; readonly name: string; readonly type: string }
  | { readonly kind: 'field-removed'; readonly name: string; readonly type: string }
  | { readonly kind: 'field-retyped'; readonly name: string; readonly type: ValueChange<string> }
  | { readonly kind: 'event-added'; readonly name: string; readonly properties: readonly string[] }
  | { readonly kind: 'event-removed'; readonly name: string }
  | { readonly kind: 'property-added'; readonly event: string; readonly name: string; readonly type: string }
  | { readonly kind: 'property-removed'; readonly event: string; readonly name: string; readonly type: string }
  | { readonly kind: 'property-retyped'; readonly event: string; readonly name: string; readonly type: ValueChange<string> }
  /**
   * Where or how a field (or, with `event`, an event property) both versions have is read: its
   * column (`from "..."`; null: its own name) or its own placeholders (`missing [...]`, folded).
   */
  | {
      readonly kind: 'field-reading-changed';
      readonly name: string;
      readonly event?: string;
      readonly column?: ValueChange<string | null>;
      readonly missing?: { readonly added: readonly string[]; readonly removed: readonly string[] };
    }
  /**
   * A setting of the `data` block (how the data writes values) changed. `numbers` and `dates`
   * hold the setting as written (`decimal comma`); the lists hold folded words that came and went.
   */
  | { readonly kind: 'data-setting-changed'; readonly setting: 'numbers' | 'dates'; readonly value: ValueChange<string> }
  | {
      readonly kind: 'data-words-changed';
      readonly setting: 'missing' | 'true' | 'false';
      readonly added: readonly string[];
      readonly removed: readonly string[];
    }
  // Named constants and conditions
  | { readonly kind: 'let-added'; readonly name: string; readonly value: string }
  | { readonly kind: 'let-removed'; readonly name: string; readonly value: string }
  | { readonly kind: 'let-changed'; readonly name: string; readonly value: ValueChange<string> }
  /** A synonym table (issue 15); `lines` as the diff writes them (`"ceo", "pdg" -> executive`). */
  | { readonly kind: 'table-added'; readonly name: string; readonly lines: readonly string[] }
  | { readonly kind: 'table-removed'; readonly name: string; readonly lines: readonly string[] }
  | {
      readonly kind: 'table-changed';
      readonly name: string;
      /** Values no line gave before / no line gives any more. */
      readonly values: { readonly added: readonly string[]; readonly removed: readonly string[] };
      /** By value: patterns that now give it / no longer give it (compared folded). */
      readonly patterns: ReadonlyArray<{ readonly value: string; readonly added: readonly string[]; readonly removed: readonly string[] }>;
      /** Only the order of the lines changed (the first matching line wins). */
      readonly reordered: boolean;
      readonly lines: ValueChange<readonly string[]>;
    }
  | { readonly kind: 'segment-added'; readonly name: string; readonly condition: string }
  | { readonly kind: 'segment-removed'; readonly name: string; readonly condition: string }
  | { readonly kind: 'segment-changed'; readonly name: string; readonly condition: ValueChange<string> }
  // Groups and the total
  | { readonly kind: 'group-added'; readonly group: GroupSummary }
  | { readonly kind: 'group-removed'; readonly group: GroupSummary }
  | {
      readonly kind: 'group-bounds-changed';
      readonly name: string;
      readonly min?: ValueChange<number | null>;
      readonly max?: ValueChange<number | null>;
    }
  | {
      readonly kind: 'score-range-changed';
      readonly range: ValueChange<{ readonly min: number; readonly max: number } | null>;
    }
  // Rules
  | { readonly kind: 'rule-added'; readonly rule: RuleSummary }
  | { readonly kind: 'rule-removed'; readonly rule: RuleSummary }
  | RuleChanged
  // Stages and tiers
  | { readonly kind: 'stage-added'; readonly stage: StageSummary }
  | { readonly kind: 'stage-removed'; readonly stage: StageSummary }
  | {
      readonly kind: 'stage-changed';
      readonly name: string;
      readonly threshold?: ValueChange<number>;
      readonly requires?: { readonly added: readonly string[]; readonly removed: readonly string[] };
      readonly condition?: ValueChange<string | null>;
    }
  /** The file order of the stages both versions have changed (the last stage reached wins). */
  | { readonly kind: 'stages-reordered'; readonly order: ValueChange<readonly string[]> }
  | { readonly kind: 'tier-added'; readonly name: string; readonly condition: string }
  | { readonly kind: 'tier-removed'; readonly name: string; readonly condition: string }
  | { readonly kind: 'tier-changed'; readonly name: string; readonly condition: ValueChange<string> }
  /** The file order of the tiers both versions have changed (the first match wins). */
  | { readonly kind: 'tiers-reordered'; readonly order: ValueChange<readonly string[]> };

export type SemanticChangeKind = SemanticChange['kind'];

/**
 * The changes in meaning from an old to a new version, in a stable order: schema, lets,
 * segments, groups, score range, rules (in the new file's order, removed rules where they were),
 * stages, tiers. Empty when the versions mean the same (a formatting-only change).
 */
export interface SemanticDiff {
  readonly changes: readonly SemanticChange[];
}

// ---------------------------------------------------------------------------------------------
// Impact on leads

/** How many leads went from one stage to another (null: no stage). */
export interface StageMove {
  readonly from: string | null;
  readonly to: string | null;
  readonly leads: number;
}

/** A lead whose score or stage changed. */
export interface LeadMove {
  /** The lead's id (its `idField` value), or its 1-based position in the input. */
  readonly id: string;
  readonly oldScore: number;
  readonly newScore: number;
  /** newScore − oldScore. */
  readonly change: number;
  readonly oldStage: string | null;
  readonly newStage: string | null;
}

export interface ScoreStatistics {
  readonly mean: number;
  readonly median: number;
}

/** How many leads one changed rule treats differently (fires for one version only, or for other points). */
export interface RuleImpact {
  readonly change: 'rule-added' | 'rule-removed' | 'rule-changed';
  /** The rule in the new version (the old one for a removed rule). */
  readonly rule: RuleSummary;
  readonly leads: number;
}

export interface ImpactReport {
  /** Leads scored with both versions. */
  readonly leads: number;
  /** The instant both versions scored at (ISO 8601). */
  readonly now: string;
  /** Stage transitions with at least one lead, most leads first (unchanged stages left out). */
  readonly stageMoves: readonly StageMove[];
  /** Leads per stage in each version, in the new file's stage order (then removed stages, then no stage). */
  readonly stageCounts: readonly { readonly stage: string | null; readonly old: number; readonly new: number }[];
  readonly leadsChangingStage: number;
  readonly leadsChangingScore: number;
  readonly scoreUp: number;
  readonly scoreDown: number;
  readonly old: ScoreStatistics;
  readonly new: ScoreStatistics;
  /** new − old of the mean and of the median (to hundredths). */
  readonly change: ScoreStatistics;
  /** The leads whose score moved most (then stage changes), largest first. */
  readonly movers: readonly LeadMove[];
  /** Per changed rule (when a diff was given), how many leads it treats differently. */
  readonly rules: readonly RuleImpact[];
}
