/**
 * The scoring IR: what every target (the JavaScript emitter, the SQL emitters) compiles from.
 * It is lowered once from the checked {@link Model} by `lowerModel` (lower.ts) and holds the
 * whole meaning of a rule file in a flat, numbered, target-neutral form, so targets share one
 * semantics and differ only in syntax.
 *
 * ## Contract (what a target must implement)
 *
 * **Units.** Points, group bounds, score bounds, stage thresholds and every value compared with
 * a group or `score` are integer HUNDREDTHS (`add 2.5` is 250); sums, clamps and comparisons of
 * points happen on these exact integers and the result is divided by 100 only when returned.
 * Instants (date slots, event `at`, `now`, date constants) are integer epoch MILLISECONDS (UTC)
 * and windows are milliseconds, so every time comparison is exact (SQL: `epoch_ms(ts)`); the
 * only other durations are half-lives, in seconds (linear decay periods and run-limit periods
 * are milliseconds).
 *
 * **Value slots** ({@link ValueSlot}). Each lead field and each event property is read and
 * coerced once into a typed value or MISSING, as runtime-source.ts documents (own properties
 * only; a literal dotted key wins over the nested path; a slot read `from` a column has one
 * literal key and no path). "Trimmed" below is folding's trim set. First, a string whose folded
 * form is in {@link ValueSlot.missing} is MISSING and never reported (any type). Then, with the
 * file's {@link ScorerIR.dialect}: number = finite number or text, trimmed, matching
 * `[+-]?\d+(\.\d+)?` (plain), `[+-]?(\d{1,3}([ \u00A0\u202F.]\d{3})+|\d+)(,\d+)?` (decimal
 * comma) or `[+-]?(\d{1,3}([ ,\u00A0\u202F]\d{3})+|\d+)(\.\d+)?` (decimal point), separators
 * dropped, finite; bool = boolean or text folding to true/yes/1 or a true word (checked first),
 * else false/no/0 or a false word; date = Date or text, trimmed: ISO 8601 (a space allowed for
 * the `T`), and with day-first / month-first `D/M/YYYY` (`/`, `-` or `.`, the same twice; 1-2
 * digit D and M) optionally followed by ` HH:MM[:SS]` or `T...`, UTC, the date existing; text =
 * a string, folded, blank = missing; one-of = folded and in the set; list = an array of strings,
 * folded, placeholder items dropped, or a string split on `;`/`|` (items folded, blank and
 * placeholder items dropped), empty = missing. An event's `at` is read as a date in the same
 * order (no placeholders). Wrong-typed values are missing, and reported unless absent (null,
 * undefined, blank text), a placeholder, or a list written as one string. SQL targets may read
 * typed columns but must give missing (NULL) in the same cases. Text comparisons compare folded
 * values with the folded literals the IR holds (folding: `runtime/fold.ts`). A slot
 * {@link ValueSlot.derived} from another by a synonym table ({@link TableIR}) is not read: it is
 * computed from its input slot's folded text once that is read (lead slots after the lead, event
 * slots per event before its queries), and is then a `one-of` slot like any other.
 *
 * **Events.** An event counts when its `type` equals a declared event name exactly, its `at`
 * is a valid instant, and `at <= now`. Each {@link EventQueryIR} aggregates, over the counting
 * events of its type that satisfy `where` (over that event's property slots) and, when
 * `withinMilliseconds` is set, `now - withinMilliseconds <= at`:
 * `count` (number of occurrences), `latest` (greatest `at`, only when `needsLatest`), and for
 * each {@link WeightedSumIR} the sum over occurrences of `decayed(points, now - at, decay)`.
 * A query with a {@link RunLimitIR} (`at most K per PERIOD`) first KEEPS, of those occurrences,
 * in each bucket `b = floor((now - at) / periodMilliseconds)` (whole periods counted back from
 * now; no calendar, no time zone) only the `count` with the greatest `at` (ties: which ones is
 * immaterial, they weigh the same); `count`, `latest` and the weighted sums are over the kept
 * ones (SQL: `row_number() OVER (PARTITION BY lead, bucket ORDER BY at DESC) <= count` over the
 * matching events). `days-since` is `floor((now - latest) / 86400000)` and is missing when
 * `count = 0`. Each {@link DistinctCountIR} of the query is the number of distinct values its
 * property slot holds over those same occurrences, MISSING values not counted: text and one-of
 * compare folded (the slot's value), numbers by value (`0` and `-0` are one value), dates by
 * instant (epoch milliseconds), bools as true/false. It is never missing (0 without values).
 *
 * **Decay** ({@link DecayIR}), `decayed(points, ageMilliseconds, decay)` in integer hundredths,
 * `points` in hundredths, `age >= 0`:
 * - `half-life`: `w = sign(x) * floor(|x| + 0.5)` with `x = points * 0.5 ^ (ageSeconds /
 *   halfLifeSeconds)` and `ageSeconds = age / 1000` (in SQL `sign(x) * floor(abs(x) + 0.5)`,
 *   never `round()`). Scaling to hundredths BEFORE decaying keeps decimal halves exact (1.15 at
 *   one half-life is 57.5 -> 58 hundredths; `1.15 * 0.5 * 100` would be 57.4999... -> 57).
 * - `linear`: `k = floor(age / periodMilliseconds)`, `f = max(0, 10000 - percentHundredths *
 *   min(k, 10000))`, `w = sign(points) * floor((|points| * f + 5000) / 10000)`: integers only,
 *   half a hundredth away from zero; computed as `q * f + floor((r * f + 5000) / 10000)` with
 *   `|points| = q * 10000 + r` so every product is exact in doubles and BIGINT.
 *
 * **Expressions** ({@link Expr}) are two-valued: every test whose operand is missing is FALSE,
 * including `!=`, `not in` and negated tests; `not` then negates that boolean (SQL:
 * `coalesce(test, false)` per atomic test). `is-set`/`is-missing` test missingness itself.
 * Groups, `score` and `count` are never missing.
 *
 * **Program.** Evaluate {@link ScorerIR.program} in order. `segment` steps store a segment's
 * boolean. `rule` steps add the rule's contribution to its group's raw sum (or to the ungrouped
 * sum): a `when` rule contributes `points` if its condition holds, decayed by the age of its decay
 * query's `latest` when it has a {@link WhenRuleIR.decay} (the query has `count > 0` whenever the
 * condition holds); an `each` rule contributes `count * points`, or its weighted sum when it has one, then clamped to `[-cap, cap]` when it
 * has a cap; it fires when `count > 0`. `group` steps clamp the group's raw sum to `[min, max]`
 * (either may be null) giving the group's value, which later steps may read. Every group's step
 * comes after all its rules and before any reader. Then `rawScore = sum(group values) +
 * ungrouped sum`, `score = clamp(rawScore, scoreRange)`.
 *
 * **Stage** = the LAST stage in file order whose `threshold <= score`, whose `requires` slots
 * are all set, whose `requires` conditions all hold and whose `when` holds; none: null.
 * `whenParts` only explain which part of a `when` failed. **Tier** = the FIRST tier whose condition
 * holds; none: null. Stage and tier conditions may read `score`.
 *
 * **Probes** (issue 17, accounts; {@link ScorerIR.probes}). A contact model (a file with an
 * `account` block) has one {@link ProbeIR} per aggregate over contacts with a `where`. A probe's
 * condition is evaluated per contact AFTER its score, stage and tier, on the same state (it may
 * read `score`, groups, segments (a segment no rule reads is evaluated for it), the contact's
 * event queries, and the contact's stage and tier through `result-in` / `result-set`:
 * `result-in` holds when a stage (tier) is reached and its index is (negated: is not) one of
 * `values`, and is FALSE when none is reached, negated or not; `result-set` tests whether one is
 * reached). Probes are only evaluated for accounts: a plain lead's score never evaluates them.
 * The `account.*` slots ({@link ValueSlot.synthetic}) are read like lead fields from the keys the
 * account scorer sets (the contact's account's raw field values, `account.score` as a number,
 * `account.stage`/`account.tier` as names, absent = missing) and never reported. The account
 * itself is scored by the IR of `Model.account.scoring` (its aggregates are number fields
 * `contacts#N`); the order of the three steps is `AccountModel`'s.
 */
import type { CompareOperator } from '../syntax/ast.js';

export type ValueType = 'number' | 'date' | 'bool' | 'text' | 'one-of' | 'list';

/** A lead field or an event property, read and coerced once per lead (per event). */
export interface ValueSlot {
  /** Position in {@link ScorerIR.slots}. */
  readonly id: number;
  readonly source: 'lead' | 'event';
  /** For event properties: index into {@link ScorerIR.events}; null for lead fields. */
  readonly event: number | null;
  /** Report name: `company.size` for lead fields, `page_view.url` for event properties. */
  readonly name: string;
  /** The own property tried first: the full dotted field name, or the event property name. */
  readonly key: string;
  /** The nested path tried when `key` is absent (`['company', 'size']`). */
  readonly path: readonly string[];
  readonly type: ValueType;
  /** `one-of`: the folded allowed values; empty otherwise. */
  readonly oneOf: readonly string[];
  /** Human description of the expected type (`number`, `one of [a, b]`), for reports. */
  readonly expected: string;
  /** Whether any condition or `requires` reads it (unused slots are only validated). */
  readonly used: boolean;
  /**
   * Folded text values that mean missing here (the `data` block's `missing` and the field's
   * own): a string whose folded form is one of them is MISSING and not reported as invalid; in
   * a list, such items are dropped. Empty without a dialect.
   */
  readonly missing: readonly string[];
  /**
   * A synonym table's value, computed from another slot instead of read from the data: the
   * folded value of the first line of {@link ScorerIR.tables}[table] with a pattern matching
   * the (folded) text of slot `input` (same source and event), MISSING when none matches or the
   * input is missing. Its type is `one-of` (the table's values); `key`/`path` are empty and it
   * is never validated or reported. Absent: a slot read from the data.
   */
  readonly derived?: { readonly table: number; readonly input: number };
  /**
   * Issue 17: an `account.*` field of a contact model (the account's field, stage, score or
   * tier), given by the account scorer under {@link key} (`account.industry`): read like any
   * lead field, but never reported as invalid (the account's own values are reported by the
   * account's validation). Absent: a field of the lead itself.
   */
  readonly synthetic?: true;
}

/**
 * A synonym table (`table NAME { ... }`), folded. A pattern matches a folded text as a whole:
 * `*` is any run of characters (possibly empty), every other character is itself (`?`, `%`,
 * `_`, `\\` included); lines are tried in order.
 */
export interface TableIR {
  readonly id: number;
  readonly name: string;
  readonly lines: ReadonlyArray<{ readonly patterns: readonly string[]; readonly value: string }>;
}

/** How text is read as numbers, bools and dates (the file's `data` block; see the contract). */
export interface ReadDialectIR {
  readonly numbers: 'plain' | 'decimal-comma' | 'decimal-point';
  readonly dates: 'iso' | 'day-first' | 'month-first';
  /** Folded extra true words (beyond true/yes/1). */
  readonly trueWords: readonly string[];
  /** Folded extra false words (beyond false/no/0). */
  readonly falseWords: readonly string[];
}

/** A declared event. */
export interface EventIR {
  readonly id: number;
  readonly name: string;
  /** Its property slots, in declaration order. */
  readonly properties: readonly number[];
  /** The queries over this event, in {@link ScorerIR.queries} order. */
  readonly queries: readonly number[];
}

/**
 * How points decay with age (see the contract). Group decay is resolved into each rule by
 * lowering: targets only ever see a rule's own decay.
 */
export type DecayIR =
  | { readonly kind: 'half-life'; readonly halfLifeSeconds: number }
  /** `decay P% per PERIOD`: `percentHundredths` = P * 100, in 1..10000. */
  | { readonly kind: 'linear'; readonly percentHundredths: number; readonly periodMilliseconds: number };

/** `at most K per PERIOD` of an `each` rule's query (see the contract). */
export interface RunLimitIR {
  /** K, a positive integer. */
  readonly count: number;
  readonly periodMilliseconds: number;
}

/** Per-occurrence decayed points of one decaying `each` rule (see the contract). */
export interface WeightedSumIR {
  /** Position in {@link ScorerIR.weightedSums}. */
  readonly id: number;
  readonly query: number;
  /** Signed points per occurrence in hundredths (`sub 2` is -200). */
  readonly points: number;
  readonly decay: DecayIR;
}

/** `count distinct EVENT.PROPERTY`: distinct non-missing values of a property over a query. */
export interface DistinctCountIR {
  /** Position in {@link ScorerIR.distinctCounts}. */
  readonly id: number;
  readonly query: number;
  /** A property slot of the query's event (never a list). */
  readonly slot: number;
}

/** One distinct (event, where, within), aggregated in one pass over the events. */
export interface EventQueryIR {
  readonly id: number;
  readonly event: number;
  /** Over this event's property slots only. */
  readonly where: Expr | null;
  readonly withinMilliseconds: number | null;
  /** Only the latest `count` occurrences per period of age are kept; null: all. */
  readonly limit: RunLimitIR | null;
  /** Whether `latest` (hence `days-since`, or a `when` rule's decay) is read. */
  readonly needsLatest: boolean;
  readonly weightedSums: readonly number[];
  /** Its {@link DistinctCountIR}s, by id. */
  readonly distinctCounts: readonly number[];
}

/** A number a test reads. Units: group/score hundredths; dates epoch milliseconds; days; counts. */
export type NumOperand =
  /** A number, date or bool (1/0) slot; may be missing. */
  | { readonly kind: 'slot'; readonly slot: number }
  /** A group's clamped value, hundredths. */
  | { readonly kind: 'group'; readonly group: number }
  /** The clamped total, hundredths (stage and tier conditions only). */
  | { readonly kind: 'score' }
  | { readonly kind: 'count'; readonly query: number }
  /** A {@link DistinctCountIR}'s value (never missing). */
  | { readonly kind: 'count-distinct'; readonly distinct: number }
  /** Whole days since the query's latest occurrence; missing when there is none. */
  | { readonly kind: 'days-since'; readonly query: number };

/** A constant in the operand's unit, or an instant relative to now (`now + milliseconds`). */
export type NumConst =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'now-offset'; readonly milliseconds: number };

/** A boolean expression. See the contract for missing values. */
export type Expr =
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'and'; readonly operands: readonly Expr[] }
  | { readonly kind: 'or'; readonly operands: readonly Expr[] }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'segment'; readonly segment: number }
  | { readonly kind: 'compare'; readonly operand: NumOperand; readonly operator: CompareOperator; readonly value: NumConst }
  /** Inclusive. */
  | { readonly kind: 'between'; readonly operand: NumOperand; readonly low: NumConst; readonly high: NumConst }
  /** Folded text slot is (not) one of `values` (folded); false when missing. */
  | { readonly kind: 'text-in'; readonly slot: number; readonly values: readonly string[]; readonly negated: boolean }
  /** Folded text slot starts with / ends with / contains at least one of `values`. */
  | { readonly kind: 'text-match'; readonly slot: number; readonly operator: 'starts' | 'ends' | 'contains'; readonly values: readonly string[] }
  /** Some element of a list slot equals one of `values`. */
  | { readonly kind: 'list-has'; readonly slot: number; readonly values: readonly string[] }
  | { readonly kind: 'is-set'; readonly slot: number }
  | { readonly kind: 'is-missing'; readonly slot: number }
  /** A bool slot is true (`value: true`) or false; false when missing. */
  | { readonly kind: 'bool-is'; readonly slot: number; readonly value: boolean }
  /** `any` (count > 0) or `no` (count = 0). */
  | { readonly kind: 'event-exists'; readonly query: number; readonly negated: boolean }
  /**
   * Issue 17, only in {@link ProbeIR.condition}: the lead's stage (tier) is (not) one of these
   * indexes into {@link ScorerIR.stages} ({@link ScorerIR.tiers}); false when none is reached
   * (also when negated).
   */
  | { readonly kind: 'result-in'; readonly which: 'stage' | 'tier'; readonly values: readonly number[]; readonly negated: boolean }
  /** Issue 17, only in {@link ProbeIR.condition}: a stage (tier) is reached (`set: true`) or not. */
  | { readonly kind: 'result-set'; readonly which: 'stage' | 'tier'; readonly set: boolean };

/**
 * Issue 17: the `where` of an aggregate over contacts ({@link ContactAggregate}), evaluated per
 * lead AFTER its score, stage and tier (it may read `score`, groups, stage and tier as stage
 * conditions do, plus `result-in` / `result-set`). The account side counts or filters contacts
 * by it.
 */
export interface ProbeIR {
  /** Index into `Model.account.aggregates`. */
  readonly aggregate: number;
  readonly condition: Expr;
}

export interface SegmentIR {
  readonly id: number;
  readonly name: string;
  readonly condition: Expr;
}

interface RuleIRBase {
  /** Index among the file's rules (= `Model.rules` index). */
  readonly index: number;
  /** Index into {@link ScorerIR.groups}, or null for an ungrouped rule. */
  readonly group: number | null;
  /** Signed points per firing or per occurrence, hundredths. */
  readonly points: number;
  readonly label: string;
  readonly line: number;
}

export interface WhenRuleIR extends RuleIRBase {
  readonly kind: 'when';
  readonly condition: Expr;
  /**
   * Points decay with the age of `query`'s latest occurrence (the condition's one `any` test;
   * its query has `needsLatest`); null: the rule gives `points` undecayed.
   */
  readonly decay: { readonly query: number; readonly decay: DecayIR } | null;
}

export interface EachRuleIR extends RuleIRBase {
  readonly kind: 'each';
  readonly query: number;
  /** The decayed sum when the rule decays; null: the total is `count * points`. */
  readonly weightedSum: number | null;
  /** `up to`, hundredths (positive); null: uncapped. */
  readonly cap: number | null;
}

export type RuleIR = WhenRuleIR | EachRuleIR;

export interface GroupIR {
  readonly id: number;
  readonly name: string;
  /** Hundredths, or null. */
  readonly min: number | null;
  readonly max: number | null;
  /** Its rules' indexes, in file order. */
  readonly rules: readonly number[];
}

export type Step =
  | { readonly kind: 'segment'; readonly segment: number }
  | { readonly kind: 'rule'; readonly rule: number }
  /** Clamp the group's raw sum into its value (after its last rule). */
  | { readonly kind: 'group'; readonly group: number };

export interface StageIR {
  readonly name: string;
  /** Hundredths. */
  readonly threshold: number;
  /** Lead slots that must be set (the `requires` items that are a field's bare name). */
  readonly requires: readonly number[];
  /** The other `requires` items: conditions that must all hold, with their source text. */
  readonly conditions: readonly StagePartIR[];
  readonly when: Expr | null;
  /**
   * For explanations only (never evaluated to score): the top-level conjuncts of `when`, which
   * all hold exactly when `when` does, so an explanation can say which one failed. Empty
   * without `when`.
   */
  readonly whenParts: readonly StagePartIR[];
}

/** A part of a stage's conditions and its source text (one line, comments dropped). */
export interface StagePartIR {
  readonly text: string;
  readonly expr: Expr;
  /**
   * For an `or`: the source text of its alternatives (nested `or`s flattened), which all fail
   * when it does, so an explanation lists them; else empty.
   */
  readonly alternatives: readonly string[];
}

export interface TierIR {
  readonly name: string;
  readonly condition: Expr;
}

/** A whole rule file, lowered. */
export interface ScorerIR {
  /**
   * Lead fields (declaration order), then event properties (event by event), then the slots
   * {@link ValueSlot.derived} from them by synonym tables (computed after their input is read).
   */
  readonly slots: readonly ValueSlot[];
  /** Synonym tables the conditions use (by {@link TableIR.id}). */
  readonly tables: readonly TableIR[];
  readonly events: readonly EventIR[];
  readonly queries: readonly EventQueryIR[];
  readonly weightedSums: readonly WeightedSumIR[];
  readonly distinctCounts: readonly DistinctCountIR[];
  readonly segments: readonly SegmentIR[];
  /** In file order (results list groups in this order). */
  readonly groups: readonly GroupIR[];
  /** In file order; `rules[i].index === i`. */
  readonly rules: readonly RuleIR[];
  /** Evaluation order (see the contract). Segments nothing reads are left out. */
  readonly program: readonly Step[];
  /** Hundredths, or null. */
  readonly scoreRange: { readonly min: number; readonly max: number } | null;
  readonly stages: readonly StageIR[];
  readonly tiers: readonly TierIR[];
  /** How text values are read; every slot and every event `at` follows it. */
  readonly dialect: ReadDialectIR;
  /**
   * Issue 17: one per aggregate with a `where` of the file's account side, in aggregate order;
   * empty for a file without one (and for an account's own scoring IR).
   */
  readonly probes: readonly ProbeIR[];
}
