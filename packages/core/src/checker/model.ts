/**
 * The checked model: what the checker makes of a {@link RubricFile}. Every name is resolved,
 * every literal is typed and folded, lets and segments are known, and conditions are in one
 * small resolved form ({@link Cond}). The compiler (to JS and SQL), the reference interpreter,
 * the language server and the semantic diff all read this, never the raw AST.
 *
 * The model is built even when the file has errors (best effort: unresolved parts are left out)
 * so the editor can still hover and complete; `compile` refuses a model whose check had errors.
 */
import type {
  AccountDecl,
  AccountScoringDecl,
  CompareOperator,
  EachRule,
  EventDecl,
  FieldDecl,
  GroupDecl,
  LetDecl,
  Range,
  RubricFile,
  SegmentDecl,
  StageDecl,
  TableDecl,
  TestDecl,
  TierDecl,
  WhenRule,
} from '../syntax/ast.js';

// ---------------------------------------------------------------------------------------------
// Types

/** A declared value type. `one-of` values are kept folded (for matching) and as written. */
export type FieldType =
  | { readonly kind: 'text' }
  | { readonly kind: 'number' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'date' }
  | { readonly kind: 'list' }
  | { readonly kind: 'one-of'; readonly values: readonly string[]; readonly written: readonly string[] };

export interface FieldInfo {
  /** Full dotted name (`company.size`) for lead fields; the property name for event properties. */
  readonly name: string;
  readonly type: FieldType;
  readonly decl: FieldDecl;
  /**
   * The column (CSV header, JSON key, SQL column) the field is read from when it is not the
   * field's own name: `job: text from "Job Title"`. Read as one literal key,
   * never as a nested path. Event properties may name their column too.
   */
  readonly column?: string;
  /** Folded values that mean missing in this field only (`phone: text missing ["0000"]`). */
  readonly missing?: readonly string[];
  /**
   * Fields the checker adds (issue 17), never read from a lead's own columns by name alone:
   * - `account-field`: `account.NAME` in the contact model, the contact's account's field
   *   (`decl` is the account field's declaration);
   * - `account-result`: `account.stage`, `account.score`, `account.tier` in the contact model,
   *   the account's result (`decl` is a declaration made up at the `score accounts` words);
   * - `aggregate`: a value over contacts in {@link AccountModel.scoring} (see
   *   {@link ContactAggregate.field}; `decl` is made up at the aggregate's range).
   * Absent for declared fields.
   */
  readonly synthetic?: 'account-field' | 'account-result' | 'aggregate';
}

/** How numbers written as text separate decimals (and thousands). See docs/language.md §4. */
export type NumberFormat = 'plain' | 'decimal-comma' | 'decimal-point';

/** How dates written as text order day and month (ISO 8601 is always read). */
export type DateOrder = 'iso' | 'day-first' | 'month-first';

/**
 * How the data writes its values: the file's `data` block. Honoured by every reader (the
 * compiled scorer, the SQL targets, the CLI, the language server's previews).
 */
export interface DataDialect {
  /** Folded values that mean missing in every lead field and event property. */
  readonly missing: readonly string[];
  readonly numbers: NumberFormat;
  readonly dates: DateOrder;
  /** Folded words read as true, beyond `true`, `yes` and `1`. */
  readonly trueWords: readonly string[];
  /** Folded words read as false, beyond `false`, `no` and `0`. */
  readonly falseWords: readonly string[];
}

/** The dialect of a file with no `data` block: what Rubric reads without being told. */
export const PLAIN_DIALECT: DataDialect = Object.freeze({
  missing: Object.freeze([]) as readonly string[],
  numbers: 'plain',
  dates: 'iso',
  trueWords: Object.freeze([]) as readonly string[],
  falseWords: Object.freeze([]) as readonly string[],
});

export interface EventInfo {
  readonly name: string;
  readonly properties: ReadonlyMap<string, FieldInfo>;
  readonly decl: EventDecl;
}

/** A constant after resolution. Text values are kept folded and as written. */
export type ConstValue =
  | { readonly kind: 'text'; readonly value: string; readonly folded: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'date'; readonly epochSeconds: number }
  | { readonly kind: 'list'; readonly values: readonly string[]; readonly folded: readonly string[] };

export interface LetInfo {
  readonly name: string;
  readonly value: ConstValue;
  readonly decl: LetDecl;
}

export interface SegmentInfo {
  readonly name: string;
  readonly condition: Cond;
  readonly decl: SegmentDecl;
}

// ---------------------------------------------------------------------------------------------
// Conditions

/**
 * What an atomic test reads. `field` is a lead field, `property` an event property (only inside
 * an event's `where`), `group` a group's clamped value, `score` the clamped total (stage and tier
 * conditions only). Groups and score are numbers and are never missing.
 */
export type Subject =
  | { readonly kind: 'field'; readonly name: string; readonly type: FieldType }
  | { readonly kind: 'property'; readonly event: string; readonly name: string; readonly type: FieldType }
  /**
   * `TABLE(INPUT)`: the folded value of the first line of the table with a pattern matching the
   * folded text of `input` (a text or one-of field, or property inside `where`); missing when
   * none matches or the input is missing. `type` is a `one of` the table's values.
   */
  | { readonly kind: 'table'; readonly table: string; readonly input: TableInput; readonly type: FieldType }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'score' }
  /**
   * A contact's stage or tier name (issue 17), only in {@link ContactAggregate.where}: type `one
   * of` the stage (tier) names, folded; missing when none is reached. `stage >= mql` is resolved
   * to `text-in` of `mql` and the stages after it in file order.
   */
  | { readonly kind: 'stage'; readonly type: FieldType }
  | { readonly kind: 'tier'; readonly type: FieldType };

/** What a synonym table reads: a text or one-of lead field, or event property inside `where`. */
export type TableInput =
  | { readonly kind: 'field'; readonly name: string; readonly type: FieldType }
  | { readonly kind: 'property'; readonly event: string; readonly name: string; readonly type: FieldType };

/** A pattern of a table line: `*` is any run of characters; `folded` is matched against folded text. */
export interface TablePatternInfo {
  readonly written: string;
  readonly folded: string;
  readonly range: Range;
}

/** `table NAME { ... }`: lines in file order (the first line with a matching pattern wins). */
export interface TableInfo {
  readonly name: string;
  readonly lines: ReadonlyArray<{
    /** Its non-empty patterns, in order. */
    readonly patterns: readonly TablePatternInfo[];
    /** The value as written, and folded (what the lookup gives). */
    readonly output: string;
    readonly folded: string;
    readonly range: Range;
    readonly line: number;
  }>;
  /** Its distinct values as first written, and folded (the `one of` of a lookup). */
  readonly outputs: readonly string[];
  readonly folded: readonly string[];
  readonly decl: TableDecl;
}

/**
 * A number to compare with: a constant (dates are epoch seconds) or an instant relative to
 * `now` (`30 days ago` is `{kind: 'relative', offsetSeconds: -2592000}`).
 */
export type NumValue =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'relative'; readonly offsetSeconds: number };

/** A numeric check: on numbers, dates (epoch seconds), group values, score, counts, days. */
export type NumericCheck =
  | { readonly kind: 'compare'; readonly operator: CompareOperator; readonly value: NumValue }
  | { readonly kind: 'between'; readonly low: NumValue; readonly high: NumValue };

/**
 * A test on one subject. Every test is false when the subject is missing (absent, null, wrong
 * type, blank text, empty list), except `is-missing`, which is true exactly then.
 * Text values are folded (see `fold`) at compile time.
 */
export type AtomicTest =
  | NumericCheck
  /** text/one-of `=`, `!=`, `in`, `not in`: folded value is (not) one of `values`. */
  | { readonly kind: 'text-in'; readonly values: readonly string[]; readonly negated: boolean }
  /** `starts`, `ends`, `contains` (and their `any` forms): matches at least one of `values`. */
  | { readonly kind: 'text-match'; readonly operator: 'starts' | 'ends' | 'contains'; readonly values: readonly string[] }
  /** list `has X` / `has any [..]`: some folded element equals one of `values`. */
  | { readonly kind: 'has'; readonly values: readonly string[] }
  | { readonly kind: 'is-set' }
  | { readonly kind: 'is-missing' }
  | { readonly kind: 'is-true' }
  | { readonly kind: 'is-false' };

/** Which occurrences of an event count: its type, an optional `where` and `within` window. */
export interface EventQuery {
  readonly event: string;
  /** A condition over the event's properties only (subjects of kind `property`). */
  readonly where?: Cond;
  /** Keep occurrences with now − within <= at <= now. */
  readonly withinSeconds?: number;
}

export type Cond =
  | { readonly kind: 'and'; readonly operands: readonly Cond[]; readonly range: Range }
  | { readonly kind: 'or'; readonly operands: readonly Cond[]; readonly range: Range }
  | { readonly kind: 'not'; readonly operand: Cond; readonly range: Range }
  /** A named segment's condition (see {@link Model.segments}). */
  | { readonly kind: 'segment'; readonly name: string; readonly range: Range }
  | { readonly kind: 'test'; readonly subject: Subject; readonly test: AtomicTest; readonly range: Range }
  /** `any` / `no` EVENT: whether at least one (any) or no (no) occurrence matches. */
  | { readonly kind: 'event-exists'; readonly quantifier: 'any' | 'no'; readonly query: EventQuery; readonly range: Range }
  /**
   * The number of matching occurrences, or with `distinct` the number of distinct non-missing
   * values of that property (a declared, non-list property of the query's event) among them.
   */
  | { readonly kind: 'event-count'; readonly query: EventQuery; readonly check: NumericCheck; readonly range: Range; readonly distinct?: string }
  /** Whole days since the latest matching occurrence; false when there is none. */
  | { readonly kind: 'days-since'; readonly query: EventQuery; readonly check: NumericCheck; readonly range: Range };

// ---------------------------------------------------------------------------------------------
// Rules, groups, stages, tiers

/**
 * How a rule's points decay with the age of an occurrence (ms, `now - at`): half-life
 * (`points * 0.5^(age / half-life)`) or linear (`points * max(0, 100 - percent * floor(age /
 * period)) / 100`), rounded to hundredths (see the IR contract).
 */
export type DecayInfo =
  | { readonly kind: 'half-life'; readonly halfLifeSeconds: number }
  /** `percent`: 0 < percent <= 100, at most 2 decimals. */
  | { readonly kind: 'linear'; readonly percent: number; readonly periodSeconds: number };

/** `at most K per PERIOD`: per whole period of age counted back from now, the K latest count. */
export interface RunLimitInfo {
  /** A whole number, 1 or more (`once` is 1). */
  readonly count: number;
  readonly periodSeconds: number;
}

interface RuleBase {
  /** Position among all rules of the file, in file order (0-based). Stable id: `r${index}`. */
  readonly index: number;
  /** The group the rule is in, or null for a rule that adds to the total directly. */
  readonly group: string | null;
  /** The label as written, or the rule's own source text (whitespace collapsed). */
  readonly label: string;
  readonly hasLabel: boolean;
  /** Signed points per firing (or per occurrence): `sub 5` is -5. At most 2 decimals. */
  readonly points: number;
  /** 1-based line of the rule, for explanations. */
  readonly line: number;
  readonly range: Range;
}

export interface WhenRuleInfo extends RuleBase {
  readonly kind: 'when';
  readonly condition: Cond;
  /** Its own decay (`half-life D` / `decay P% per PERIOD`); the group's is on {@link GroupInfo}. */
  readonly decay?: DecayInfo;
  /**
   * When the rule or its group decays: the query of the condition's one `any EVENT` conjunct,
   * whose latest occurrence gives the age. Absent: the rule does not decay (R052/R053).
   */
  readonly decayEvent?: EventQuery;
  readonly decl: WhenRule;
}

export interface EachRuleInfo extends RuleBase {
  readonly kind: 'each';
  readonly query: EventQuery;
  /** `up to CAP`: the rule's total is at most CAP in absolute value. */
  readonly cap?: number;
  /** Each occurrence weighs 0.5^(age / halfLife), rounded to hundredths (its own `half-life`). */
  readonly halfLifeSeconds?: number;
  /** Its own decay (half-life or linear); the group's is on {@link GroupInfo}. */
  readonly decay?: DecayInfo;
  /** `at most K per PERIOD`: only the kept occurrences count (count, sum, cap, explanations). */
  readonly limit?: RunLimitInfo;
  readonly decl: EachRule;
}

export type RuleInfo = WhenRuleInfo | EachRuleInfo;

export interface GroupInfo {
  readonly name: string;
  readonly min: number | null;
  readonly max: number | null;
  /** Decay of every rule without its own (`when` rules: only those with one `any` test). */
  readonly decay?: DecayInfo;
  readonly rules: readonly RuleInfo[];
  /** Groups whose values this group's rules read. */
  readonly dependsOn: readonly string[];
  readonly decl: GroupDecl;
}

export interface StageInfo {
  readonly name: string;
  readonly threshold: number;
  /** Lead fields that must be set (not missing): the `requires` items that are a field's bare name. */
  readonly requires: readonly string[];
  /** The other `requires` items: conditions the lead must meet, in source order. */
  readonly conditions: readonly StagePart[];
  readonly when?: Cond;
  /**
   * The top-level conjuncts of `when` (`and` and parentheses flattened), for explanations that
   * say which part failed; empty without `when`. Together they hold exactly when `when` does.
   */
  readonly whenParts: readonly StagePart[];
  readonly decl: StageDecl;
}

/** A part of a stage's conditions with its source text (one line, comments dropped). */
export interface StagePart {
  readonly text: string;
  readonly cond: Cond;
  /** When `cond` is an `or`: its alternatives (nested `or`s flattened); else empty. */
  readonly alternatives: readonly StagePart[];
}

export interface TierInfo {
  readonly name: string;
  readonly condition: Cond;
  readonly decl: TierDecl;
}

// ---------------------------------------------------------------------------------------------
// Accounts (issue 17)

/**
 * A value over an account's contacts that the account's rules read, as the number field
 * {@link field} of {@link AccountModel.scoring}:
 * - `count`: how many contacts meet `where` (all without it); never missing;
 * - `best`: the highest `of` among them (missing when none);
 * - `sum`: the total of `of` among them (0 when none);
 * - `average`: their mean, rounded half away from zero to the hundredth (missing when none).
 * With `top`, only the `top` highest values of the contacts meeting `where` are kept first.
 * `of` is the contact's clamped total (`score`) or a contact group's clamped value, as the contact
 * scorer gives them (before any `account.*` result is known; see {@link AccountModel}).
 */
export interface ContactAggregate {
  /** The synthetic field name in {@link AccountModel.scoring}: `contacts#1`, `contacts#2`, ... */
  readonly field: string;
  readonly kind: 'count' | 'best' | 'sum' | 'average';
  /** `null` for `count`. */
  readonly of: { readonly kind: 'score' } | { readonly kind: 'group'; readonly name: string } | null;
  readonly top: number | null;
  /** In the contact's scope (lead fields, contact segments and groups, own events, score, stage, tier). */
  readonly where: Cond | null;
  /** Source text of the whole aggregate test without its numeric test (`count contacts where job in dm`). */
  readonly text: string;
  readonly range: Range;
}

/**
 * The account side of a file with an `account` block. Scoring an account, in this order:
 * 1. each contact is scored by the file's own (contact) model, with its account's fields as the
 *    `account.NAME` fields and `account.stage`/`score`/`tier` missing;
 * 2. the aggregates are computed from those results, and the account is scored by
 *    {@link scoring} from its own fields, the aggregates and the events of all its contacts;
 * 3. when {@link contactsReadAccountResult}, each contact is scored again with `account.stage`,
 *    `account.score` and `account.tier` set; the checker (R065) guarantees the account read
 *    nothing this can change.
 */
export interface AccountModel {
  readonly decl: AccountDecl;
  /** The account field holding the key, and the lead field holding it on each contact. */
  readonly key: { readonly accountField: string; readonly leadField: string };
  /** Declared account fields, in declaration order. */
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /**
   * The account's scoring as a model of its own, read by every target unchanged: its "lead" is
   * the account record (declared account fields plus one synthetic number field per aggregate),
   * its events are all its contacts' events, and its segments, groups, rules, stages, tiers and
   * score range are those of `score accounts`. `tests` is empty and `account` null. Without a
   * `score accounts` block it has no rules (every account scores 0).
   */
  readonly scoring: Model;
  readonly aggregates: readonly ContactAggregate[];
  /** True when some contact rule, segment, stage or tier reads `account.stage`, `.score` or `.tier`. */
  readonly contactsReadAccountResult: boolean;
  readonly scoringDecl: AccountScoringDecl | null;
}

/** The whole checked file. Maps iterate in declaration order. */
export interface Model {
  readonly file: RubricFile;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  readonly events: ReadonlyMap<string, EventInfo>;
  readonly lets: ReadonlyMap<string, LetInfo>;
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  /** Groups in file order. */
  readonly groups: readonly GroupInfo[];
  /** Group names in an order where every group comes after the groups it reads. */
  readonly groupOrder: readonly string[];
  /** Every rule (grouped or not) in file order; `rules[i].index === i`. */
  readonly rules: readonly RuleInfo[];
  readonly scoreRange: { readonly min: number; readonly max: number } | null;
  readonly stages: readonly StageInfo[];
  readonly tiers: readonly TierInfo[];
  readonly tests: readonly TestDecl[];
  /** How the data writes its values ({@link PLAIN_DIALECT} without a `data` block). */
  readonly dialect: DataDialect;
  /** Synonym tables, in declaration order. */
  readonly tables: ReadonlyMap<string, TableInfo>;
  /**
   * Issue 17: the account side, or null without an `account` block. When set, {@link fields}
   * also holds the synthetic `account.NAME`, `account.stage`, `account.score` and `account.tier`
   * fields (see {@link FieldInfo.synthetic}).
   */
  readonly account: AccountModel | null;
}

// ---------------------------------------------------------------------------------------------
// Symbols (for definition, references, rename, hover, outline)

/** `account-field` (issue 17): `account-field:industry`; account segments, groups, stages and tiers use their own kinds (names are unique across both levels). */
export type SymbolKind = 'field' | 'event' | 'property' | 'let' | 'segment' | 'group' | 'stage' | 'tier' | 'test' | 'table' | 'account-field';

export interface SymbolDeclaration {
  /** Unique within a file: `field:company.size`, `property:page_view.url`, `group:fit`. */
  readonly key: string;
  readonly kind: SymbolKind;
  readonly name: string;
  /** For properties, the event they belong to. */
  readonly container?: string;
  /** The range of the name in the declaration. */
  readonly nameRange: Range;
  /** The range of the whole declaration. */
  readonly range: Range;
  /** A short description for hover and completion (`number`, `one of [a, b]`, `max 60`). */
  readonly detail: string;
}

export interface SymbolReference {
  readonly key: string;
  /** The range of the name at the reference. */
  readonly range: Range;
}

export interface SymbolTable {
  readonly declarations: readonly SymbolDeclaration[];
  /** Every resolved reference (not the declarations themselves), in source order. */
  readonly references: readonly SymbolReference[];
}
