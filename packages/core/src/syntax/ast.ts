/**
 * The Rubric abstract syntax tree: plain, readonly, typed data.
 *
 * Every node has a `kind` (the discriminant) and a `range` in the source text. The tree keeps
 * everything the formatter needs to print the file back (raw number and string text, quote
 * style, parentheses as written); comments are kept on the {@link RubricFile} in source order.
 *
 * Parsing with errors still yields a tree: nodes the parser could not complete are left out of
 * their parent's lists, and optional parts are `undefined`.
 */

/** A place in the text. `line` and `column` are 1-based; `column` counts UTF-16 code units. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A half-open span `[start, end)` of the text. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

// ---------------------------------------------------------------------------------------------
// Names and literals

/**
 * A name as written: a plain word, a backticked word, or a dotted path (`company.size`).
 * `name` is the joined text without backticks (`company.size`, `Lead Source`).
 */
export interface Identifier {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly parts: readonly IdentifierPart[];
  readonly range: Range;
}

export interface IdentifierPart {
  readonly text: string;
  /** True when written in backticks. */
  readonly quoted: boolean;
  readonly range: Range;
}

export interface NumberLiteral {
  readonly kind: 'NumberLiteral';
  readonly value: number;
  /** As written (`1_000_000`, `-5`, `0.50`). */
  readonly raw: string;
  readonly range: Range;
}

export interface StringLiteral {
  readonly kind: 'StringLiteral';
  /** The value after escapes are decoded. */
  readonly value: string;
  readonly quote: '"' | "'";
  readonly raw: string;
  readonly range: Range;
}

export interface BooleanLiteral {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
  readonly range: Range;
}

/**
 * `2026-03-01` or `2026-03-01T09:30:00Z`. `epochSeconds` is NaN when the text is not a real
 * date (`2026-02-30`); the checker reports it.
 */
export interface DateLiteral {
  readonly kind: 'DateLiteral';
  readonly raw: string;
  readonly epochSeconds: number;
  readonly range: Range;
}

/**
 * A bare word in value position (inside `[ ]`, after `=`, `!=`, `has`, as a `let` value, in a
 * test's lead). The checker resolves it: a `let` of that name if one exists, else text.
 */
export interface WordValue {
  readonly kind: 'WordValue';
  readonly name: Identifier;
  readonly range: Range;
}

export type DurationUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

/** `30 days`. `seconds` is exact (month = 30 days, year = 365 days). */
export interface Duration {
  readonly kind: 'Duration';
  readonly amount: NumberLiteral;
  readonly unit: DurationUnit;
  /** The unit as written (`day` or `days`). */
  readonly unitRaw: string;
  readonly seconds: number;
  readonly range: Range;
}

/**
 * The period of a linear decay or of a run limit: `30 days`, or a bare unit (`day` is 1 day,
 * `amount` absent). `seconds` as for {@link Duration}.
 */
export interface Period {
  readonly kind: 'Period';
  readonly amount?: NumberLiteral;
  readonly unit: DurationUnit;
  /** The unit as written (`day` or `days`). */
  readonly unitRaw: string;
  readonly seconds: number;
  readonly range: Range;
}

/** `decay P% per PERIOD`: points lose P% of their value per whole period of age. */
export interface LinearDecay {
  readonly kind: 'LinearDecay';
  readonly percent: NumberLiteral;
  readonly period: Period;
  /** From `decay` to the end of the period. */
  readonly range: Range;
}

/** `at most K per PERIOD` / `at most once per PERIOD` (`count` absent: once). */
export interface RunLimit {
  readonly kind: 'RunLimit';
  readonly count?: NumberLiteral;
  readonly period: Period;
  /** From `at` to the end of the period. */
  readonly range: Range;
}

/** `30 days ago` / `90 days from now`: an instant relative to `now`. */
export interface RelativeTime {
  readonly kind: 'RelativeTime';
  readonly duration: Duration;
  readonly direction: 'ago' | 'from now';
  readonly range: Range;
}

export interface ListLiteral {
  readonly kind: 'ListLiteral';
  readonly items: readonly Value[];
  readonly range: Range;
}

/** A scalar value as written. */
export type Value = NumberLiteral | StringLiteral | BooleanLiteral | DateLiteral | WordValue;

// ---------------------------------------------------------------------------------------------
// Conditions

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type TextOperator = 'starts' | 'ends' | 'contains';

/**
 * A reference in subject position: a lead field, an event property (inside `where`), a group,
 * a segment, a `let` or a boolean field used alone. The checker decides which.
 */
export interface NameRef {
  readonly kind: 'NameRef';
  readonly name: Identifier;
  readonly range: Range;
}

/** The keyword `score` (the clamped total), allowed in stage and tier conditions only. */
export interface ScoreRef {
  readonly kind: 'ScoreRef';
  readonly range: Range;
}

/**
 * `seniority(job)`: the value the synonym table `seniority` gives the text of `job` (a lead field,
 * or an event property inside `where`). The checker resolves both names.
 */
export interface TableLookup {
  readonly kind: 'TableLookup';
  readonly table: Identifier;
  readonly input: NameRef;
  readonly range: Range;
}

/**
 * The word `stage` or `tier` as an operand (issue 17): a contact's stage or tier, only inside
 * `count contacts where` and the other aggregates over contacts of a `score accounts` block.
 * `stage >= mql` means "reached `mql` or a later stage" (stages in file order).
 */
export interface StageRef {
  readonly kind: 'StageRef';
  readonly which: 'stage' | 'tier';
  readonly range: Range;
}

/** What a comparison compares: a reference or a literal value. */
export type Operand = NameRef | ScoreRef | StageRef | Value | RelativeTime | TableLookup;

/** `left OP right`. After `=`/`!=` a bare word on the right is a {@link WordValue}. */
export interface CompareCondition {
  readonly kind: 'Compare';
  readonly left: Operand;
  readonly operator: CompareOperator;
  readonly right: Operand;
  readonly range: Range;
}

/** `subject between low and high` (inclusive). */
export interface BetweenCondition {
  readonly kind: 'Between';
  readonly subject: Operand;
  readonly low: Operand;
  readonly high: Operand;
  readonly range: Range;
}

/** `subject in [..]`, `subject not in NAME`. */
export interface InCondition {
  readonly kind: 'In';
  readonly subject: Operand;
  readonly negated: boolean;
  readonly list: ListLiteral | NameRef;
  readonly range: Range;
}

/** `subject starts S`, `subject ends any [..]`, `subject contains NAME`. */
export interface TextCondition {
  readonly kind: 'Text';
  readonly subject: Operand;
  readonly operator: TextOperator;
  /** True for the `any [..]` form. */
  readonly any: boolean;
  readonly values: Value | ListLiteral | NameRef;
  /**
   * `email not ends any [..]`: true when the value is set and the test does not hold (false
   * when it is missing, like `not in`). Absent when written without `not`.
   */
  readonly negated?: true;
  readonly range: Range;
}

/** `tags has X`, `tags has any [..]`. */
export interface HasCondition {
  readonly kind: 'Has';
  readonly subject: Operand;
  readonly any: boolean;
  readonly values: Value | ListLiteral | NameRef;
  /** `tags not has x`: the list is set and holds none of the values. Absent without `not`. */
  readonly negated?: true;
  readonly range: Range;
}

/** `FIELD is set|missing|true|false`. */
export interface IsCondition {
  readonly kind: 'Is';
  readonly subject: Operand;
  readonly test: 'set' | 'missing' | 'true' | 'false';
  readonly range: Range;
}

/** A name used alone as a condition: a segment, or a bool field (meaning `is true`). */
export interface RefCondition {
  readonly kind: 'Ref';
  readonly ref: NameRef;
  readonly range: Range;
}

/** The numeric test after `count ...` or `days since last ...`: `>= 3` or `between 1 and 5`. */
export type NumericTest =
  | { readonly kind: 'CompareTest'; readonly operator: CompareOperator; readonly value: Operand; readonly range: Range }
  | { readonly kind: 'BetweenTest'; readonly low: Operand; readonly high: Operand; readonly range: Range };

/** `any EVENT [where C] [within D]` and `no EVENT [where C] [within D]`. */
export interface EventExistsCondition {
  readonly kind: 'EventExists';
  readonly quantifier: 'any' | 'no';
  readonly event: Identifier;
  readonly where?: Condition;
  readonly within?: Duration;
  readonly range: Range;
}

/**
 * `count EVENT [where C] [within D] OP N`, or `count distinct EVENT.PROPERTY ...` (the number of
 * distinct values of that property among the matching occurrences).
 */
export interface EventCountCondition {
  readonly kind: 'EventCount';
  /** The event alone (`page_view`), also with `distinct`. */
  readonly event: Identifier;
  /** The word `distinct`, when written (`distinct` is not a keyword). */
  readonly distinct?: { readonly range: Range };
  /**
   * With `distinct`: the property after the event's dot (`url`); absent when none was written
   * (the checker reports it).
   */
  readonly property?: Identifier;
  readonly where?: Condition;
  readonly within?: Duration;
  readonly test: NumericTest;
  readonly range: Range;
}

/** `days since last EVENT [where C] OP N`. */
export interface DaysSinceCondition {
  readonly kind: 'DaysSince';
  readonly event: Identifier;
  readonly where?: Condition;
  readonly test: NumericTest;
  readonly range: Range;
}

/**
 * `count contacts [where C] OP N` (issue 17, only inside `score accounts`): how many of the
 * account's contacts meet `C` (a condition in the contact's scope: lead fields, contact segments,
 * the contact's own events, its `score`, groups, `stage` and `tier`).
 */
export interface ContactCountCondition {
  readonly kind: 'ContactCount';
  /** The word `contacts`. */
  readonly contacts: { readonly range: Range };
  readonly where?: Condition;
  readonly test: NumericTest;
  readonly range: Range;
}

/** The aggregate words of {@link ContactAggregateCondition}. */
export type ContactAggregateKind = 'best' | 'sum' | 'average';

/**
 * `best|sum|average score|GROUP of [top N] contacts [where C] OP N` (issue 17, only inside
 * `score accounts`): the highest, total or mean of the contacts' scores (or of a contact group's
 * value), over the contacts meeting `C`, keeping the `top N` highest when written.
 */
export interface ContactAggregateCondition {
  readonly kind: 'ContactAggregate';
  readonly aggregate: ContactAggregateKind;
  /** The aggregate word as written. */
  readonly aggregateRange: Range;
  /** `score` (the contact's total) or a contact group's name. */
  readonly value: ScoreRef | NameRef;
  readonly top?: NumberLiteral;
  /** The word `contacts`. */
  readonly contacts: { readonly range: Range };
  readonly where?: Condition;
  readonly test: NumericTest;
  readonly range: Range;
}

export interface AndCondition {
  readonly kind: 'And';
  /** Two or more operands, in source order. */
  readonly operands: readonly Condition[];
  readonly range: Range;
}

export interface OrCondition {
  readonly kind: 'Or';
  readonly operands: readonly Condition[];
  readonly range: Range;
}

export interface NotCondition {
  readonly kind: 'Not';
  readonly operand: Condition;
  readonly range: Range;
}

/** Parentheses as written (kept so the formatter prints them back). */
export interface ParenCondition {
  readonly kind: 'Paren';
  readonly inner: Condition;
  readonly range: Range;
}

export type Condition =
  | CompareCondition
  | BetweenCondition
  | InCondition
  | TextCondition
  | HasCondition
  | IsCondition
  | RefCondition
  | EventExistsCondition
  | EventCountCondition
  | DaysSinceCondition
  | ContactCountCondition
  | ContactAggregateCondition
  | AndCondition
  | OrCondition
  | NotCondition
  | ParenCondition;

// ---------------------------------------------------------------------------------------------
// Declarations

export type TypeExpr =
  | { readonly kind: 'PrimitiveType'; readonly name: 'text' | 'number' | 'bool' | 'date'; readonly range: Range }
  | { readonly kind: 'ListType'; readonly element: 'text'; readonly range: Range }
  | { readonly kind: 'OneOfType'; readonly values: ListLiteral; readonly range: Range };

/**
 * `name: type [from "COLUMN"] [missing [..]]` in a `lead` block or an event's property block.
 * `from` names the column (CSV header, JSON key, SQL column) the value is read from; `missing`
 * lists values that mean missing in this field only. Each is written at most once, in any order
 * (a repeated one is a syntax error).
 */
export interface FieldDecl {
  readonly kind: 'FieldDecl';
  readonly name: Identifier;
  readonly type: TypeExpr;
  readonly from?: StringLiteral;
  readonly missing?: ListLiteral;
  readonly range: Range;
}

export interface LeadDecl {
  readonly kind: 'LeadDecl';
  readonly fields: readonly FieldDecl[];
  readonly range: Range;
}

/**
 * `account KEY = LEAD_FIELD { fields }` (issue 17): the account schema. `KEY` is one of the
 * account fields (text or number) and `LEAD_FIELD` the lead field holding the same value on each
 * contact. `account` is contextual (a statement starting with the word `account` followed by a
 * name and `=`).
 */
export interface AccountDecl {
  readonly kind: 'AccountDecl';
  /** The word `account`. */
  readonly keyword: { readonly range: Range };
  readonly key: Identifier;
  readonly leadKey: Identifier;
  readonly fields: readonly FieldDecl[];
  readonly range: Range;
}

/** What a `score accounts` block holds. */
export type AccountStatement = SegmentDecl | GroupDecl | WhenRule | EachRule | StageDecl | TierDecl | ScoreRangeDecl;

/**
 * `score accounts { ... }` (issue 17): the account's own rules, groups, segments, stages, tiers
 * and score range. `accounts` is contextual after `score`.
 */
export interface AccountScoringDecl {
  readonly kind: 'AccountScoringDecl';
  /** The words `score accounts`. */
  readonly keyword: { readonly range: Range };
  readonly statements: readonly AccountStatement[];
  readonly range: Range;
}

export interface EventDecl {
  readonly kind: 'EventDecl';
  readonly name: Identifier;
  readonly properties: readonly FieldDecl[];
  readonly range: Range;
}

/**
 * The words of a `data` setting's value when it is not a list: `decimal comma`, `day first`.
 * Keywords count as words here (`day`, `month`).
 */
export interface DataWords {
  readonly kind: 'DataWords';
  readonly words: readonly IdentifierPart[];
  /** The words joined by one space (`decimal comma`). */
  readonly text: string;
  readonly range: Range;
}

/**
 * `NAME: VALUE` inside a `data` block. The name is any word as written (the checker knows the
 * settings and reports an unknown one); the value is a list (`missing`, `true`, `false`) or
 * words (`numbers`, `dates`).
 */
export interface DataSetting {
  readonly kind: 'DataSetting';
  readonly name: IdentifierPart;
  readonly value: ListLiteral | DataWords;
  readonly range: Range;
}

/**
 * `data { setting: value ... }`: how the data the rules read writes its values. `data` is not a
 * keyword: the block is the word `data` followed by `{` at the start of a statement.
 */
export interface DataDecl {
  readonly kind: 'DataDecl';
  readonly settings: readonly DataSetting[];
  /** From the word `data` to the closing `}`. */
  readonly range: Range;
}

/** A pattern or the value of a synonym table line: a quoted text, a bare word or a number. */
export type TableText = StringLiteral | WordValue | NumberLiteral;

/** `"ceo", "pdg", "dir* g*n*ral*" -> executive`: patterns (`*` = any run of characters) and the value. */
export interface TableLine {
  readonly kind: 'TableLine';
  /** One or more, in source order. */
  readonly patterns: readonly TableText[];
  readonly output: TableText;
  readonly range: Range;
}

/**
 * `table NAME { LINE ... }`: a synonym table (issue 15). `table` is not a keyword: the statement
 * is the word `table` and a name at the start of a statement.
 */
export interface TableDecl {
  readonly kind: 'TableDecl';
  /** The word `table`. */
  readonly keyword: { readonly range: Range };
  readonly name: Identifier;
  readonly lines: readonly TableLine[];
  readonly range: Range;
}

export interface LetDecl {
  readonly kind: 'LetDecl';
  readonly name: Identifier;
  readonly value: ListLiteral | Value;
  readonly range: Range;
}

export interface SegmentDecl {
  readonly kind: 'SegmentDecl';
  readonly name: Identifier;
  readonly condition: Condition;
  readonly range: Range;
}

export type PointsSign = 'add' | 'sub';

/** `when CONDITION add|sub N [half-life D | decay P% per PERIOD] ["label"]`. */
export interface WhenRule {
  readonly kind: 'WhenRule';
  readonly condition: Condition;
  readonly sign: PointsSign;
  readonly points: NumberLiteral;
  /** Decay from the latest occurrence of the condition's one `any EVENT` conjunct. */
  readonly halfLife?: Duration;
  readonly linearDecay?: LinearDecay;
  /** Parsed only to be reported (R054): a limit applies to `each`. */
  readonly limit?: RunLimit;
  readonly label?: StringLiteral;
  readonly range: Range;
}

/**
 * `each EVENT [where C] [within D] add|sub N [up to CAP] [at most K per PERIOD]
 * [half-life D | decay P% per PERIOD] ["label"]`.
 */
export interface EachRule {
  readonly kind: 'EachRule';
  readonly event: Identifier;
  readonly where?: Condition;
  readonly within?: Duration;
  readonly sign: PointsSign;
  readonly points: NumberLiteral;
  readonly upTo?: NumberLiteral;
  readonly limit?: RunLimit;
  readonly halfLife?: Duration;
  readonly linearDecay?: LinearDecay;
  readonly label?: StringLiteral;
  readonly range: Range;
}

export type Rule = WhenRule | EachRule;

export interface GroupDecl {
  readonly kind: 'GroupDecl';
  readonly name: Identifier;
  readonly max?: NumberLiteral;
  readonly min?: NumberLiteral;
  /** Decay of every rule of the group that has none of its own. */
  readonly halfLife?: Duration;
  readonly linearDecay?: LinearDecay;
  readonly rules: readonly Rule[];
  readonly range: Range;
}

export interface ScoreRangeDecl {
  readonly kind: 'ScoreRangeDecl';
  readonly min: NumberLiteral;
  readonly max: NumberLiteral;
  readonly range: Range;
}

export interface StageDecl {
  readonly kind: 'StageDecl';
  readonly name: Identifier;
  readonly threshold: NumberLiteral;
  /** The `requires` items that are a bare name (a field that must be set), in source order. */
  readonly requires: readonly Identifier[];
  /**
   * Every `requires` item in source order: a bare name is a {@link RefCondition} (also in
   * `requires`), anything else a condition the lead must meet (`email not ends any [..]`).
   */
  readonly requirements: readonly Condition[];
  readonly when?: Condition;
  readonly range: Range;
}

export interface TierDecl {
  readonly kind: 'TierDecl';
  readonly name: Identifier;
  readonly condition: Condition;
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------
// Tests inside the file

/** `key: value` inside a test's `lead { }` or an event's `{ }`. */
export interface TestField {
  readonly kind: 'TestField';
  readonly name: Identifier;
  readonly value: Value | ListLiteral;
  readonly range: Range;
}

/** `NAME [{props}] at DATE` or `NAME [{props}] N days ago`. */
export interface TestEvent {
  readonly kind: 'TestEvent';
  readonly event: Identifier;
  readonly properties: readonly TestField[];
  readonly at: DateLiteral | RelativeTime;
  readonly range: Range;
}

/**
 * `contact { fields } [events { ... }]` inside a test with an `account { }` (issue 17): one of the
 * account's contacts, in source order.
 */
export interface TestContact {
  readonly kind: 'TestContact';
  readonly fields: readonly TestField[];
  readonly events: readonly TestEvent[];
  readonly range: Range;
}

/**
 * Every expectation may be written `expect account ...` (issue 17): it then checks the account's
 * result (score, group, stage, tier, rule) instead of the lead's. `account` holds the word's range.
 */
export type Expectation =
  | {
      readonly kind: 'ExpectScore';
      readonly account?: { readonly range: Range };
      readonly operator: CompareOperator;
      readonly value: NumberLiteral;
      readonly range: Range;
    }
  | {
      readonly kind: 'ExpectGroup';
      readonly account?: { readonly range: Range };
      readonly group: Identifier;
      readonly operator: CompareOperator;
      readonly value: NumberLiteral;
      readonly range: Range;
    }
  | {
      readonly kind: 'ExpectStage';
      readonly account?: { readonly range: Range };
      /** `undefined` for `expect no stage`. */
      readonly stage?: Identifier;
      readonly range: Range;
    }
  | {
      readonly kind: 'ExpectTier';
      readonly account?: { readonly range: Range };
      /** `undefined` for `expect no tier`. */
      readonly tier?: Identifier;
      readonly range: Range;
    }
  | {
      /** `expect rule "LABEL" fired` (`fired: true`) or `expect rule "LABEL" not fired`. */
      readonly kind: 'ExpectRule';
      readonly account?: { readonly range: Range };
      /** The label of the one rule written with it. */
      readonly label: StringLiteral;
      readonly fired: boolean;
      readonly range: Range;
    };

export interface TestDecl {
  readonly kind: 'TestDecl';
  readonly name: StringLiteral;
  readonly now?: DateLiteral;
  readonly lead: readonly TestField[];
  readonly events: readonly TestEvent[];
  /** `account { fields }` (issue 17): the test scores this account with {@link contacts}. */
  readonly account?: readonly TestField[];
  /** The account's contacts (only with {@link account}). */
  readonly contacts?: readonly TestContact[];
  readonly expectations: readonly Expectation[];
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------
// The file

export type Statement =
  | LeadDecl
  | EventDecl
  | LetDecl
  | SegmentDecl
  | GroupDecl
  | ScoreRangeDecl
  | WhenRule
  | EachRule
  | StageDecl
  | TierDecl
  | TestDecl
  | DataDecl
  | TableDecl
  | AccountDecl
  | AccountScoringDecl;

export interface Comment {
  readonly kind: 'Comment';
  /** The text after `#`, as written. */
  readonly text: string;
  readonly range: Range;
}

export interface RubricFile {
  readonly kind: 'RubricFile';
  readonly uri: string;
  /** The source text the tree was parsed from (ranges index into it). */
  readonly text: string;
  readonly statements: readonly Statement[];
  /** Every comment in source order; the formatter puts them back by position. */
  readonly comments: readonly Comment[];
  readonly range: Range;
}

export type Node =
  | RubricFile
  | Statement
  | Condition
  | Identifier
  | Value
  | ListLiteral
  | Duration
  | RelativeTime
  | NameRef
  | ScoreRef
  | StageRef
  | TableLookup
  | TableLine
  | TestContact
  | FieldDecl
  | DataSetting
  | DataWords
  | TestField
  | TestEvent
  | Expectation
  | Comment;
