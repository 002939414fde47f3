/**
 * The result of profiling a data file against a rule file (`rubric profile`, the language
 * server's data hints). Plain data: it serialises to the JSON `rubric profile --format json`
 * prints, key for key.
 */
import type { DataDialect } from '../checker/model.js';

/** A value as written (trimmed, shortened when long) and how often it occurs. */
export interface ValueCount {
  readonly value: string;
  readonly count: number;
}

/** A value that looks like a placeholder for "no value" and is not declared as one. */
export interface PlaceholderCount extends ValueCount {
  /**
   * How the scorer reads it today: `value` (a real value: `N/A` is a phone number) or `invalid`
   * (reported and treated as missing: `N/A` in a number field). Never a declared placeholder.
   */
  readonly readAs: 'value' | 'invalid';
  /** `word` (`N/A`, `inconnu`), `zeros` (`0000`) or `symbols` (`**`, seen more than once). */
  readonly kind: 'word' | 'zeros' | 'symbols';
}

/** Values that point at one reading (a number format, a date order), with a few examples. */
export interface HintCount {
  readonly count: number;
  /** Up to 3 distinct values as written. */
  readonly examples: readonly string[];
}

/** The number formats a `number` field's text values point at. */
export interface NumberFormatEvidence {
  /** `1 200`, `1.200`, `8,5`, `1.200,50`. */
  readonly decimalComma: HintCount;
  /** `1,200.5`, `1,200,000`. */
  readonly decimalPoint: HintCount;
  /** `1,200` (1200 or 1.2). */
  readonly ambiguous: HintCount;
}

/** The date orders a `date` field's text values point at. */
export interface DateOrderEvidence {
  /** `20/02/2026`: the first part cannot be a month. */
  readonly dayFirst: HintCount;
  /** `02/20/2026`: the second part cannot be a month. */
  readonly monthFirst: HintCount;
  /** `01/02/2026`: either order; never guessed. */
  readonly ambiguous: HintCount;
  /** `20/02/26`: two-digit years are never read. */
  readonly twoDigitYear: HintCount;
}

/** A word of another language written in a `bool` field, and what it probably means. */
export interface BoolWordCount extends ValueCount {
  readonly means: boolean;
}

/** The profile of one lead field or event property. */
export interface FieldProfile {
  /** `company.size` for a lead field, `page_view.url` for an event property, `page_view.at` for an event's instant. */
  readonly name: string;
  readonly source: 'lead' | 'event';
  /** The event type, for event properties and `at`. */
  readonly event?: string;
  /** The column (CSV header, JSON key) the value is read from: the `from` column or the name. */
  readonly column: string;
  /** Whether the data has that column (for JSON, whether any record had the key). */
  readonly hasColumn: boolean;
  /** `text`, `number`, `bool`, `date`, `list of text` or `one of [...]`. */
  readonly type: string;
  /** Records looked at: leads, or events of this type. `filled + missing + invalid = rows`. */
  readonly rows: number;
  /** Values the scorer reads as a value. */
  readonly filled: number;
  /** Absent, blank, or a declared placeholder (see `declaredPlaceholders`). */
  readonly missing: number;
  /** Values of the wrong type (or outside the `one of` set): reported, and read as missing. */
  readonly invalid: number;
  /** Suspected placeholders that are not declared in the rule file, most frequent first. */
  readonly placeholders: readonly PlaceholderCount[];
  /** Placeholders the rule file's `missing` lists already declare (counted in `missing`). */
  readonly declaredPlaceholders: readonly ValueCount[];
  /** Up to 5 distinct invalid values as written, in the order met. */
  readonly examples: readonly string[];
  /** The most frequent invalid values (up to 10). For a `one of` field: the values outside the set. */
  readonly invalidValues: readonly ValueCount[];
  /**
   * Invalid values that no hint explains (not a suspected placeholder, a number format, a date
   * order or a bool word): the values that are simply wrong.
   */
  readonly unexplainedInvalid: number;
  /** The most frequent of those (up to 10). */
  readonly unexplainedValues: readonly ValueCount[];
  /** `number` fields with text values: the formats they point at. */
  readonly numberFormats?: NumberFormatEvidence;
  /** `date` fields (and event `at`) with text values: the orders they point at. */
  readonly dateOrders?: DateOrderEvidence;
  /** `bool` fields: words of other languages met among the invalid values. */
  readonly boolWords?: readonly BoolWordCount[];
  /** The most frequent values as written (up to 10), whatever their reading. */
  readonly topValues: readonly ValueCount[];
  /** Distinct values counted (at most `maxDistinct`: then `distinctAtLeast` is true). */
  readonly distinct: number;
  /**
   * True when the field had more distinct values than the profile keeps: `distinct` and the
   * counts of `topValues` are then lower bounds ("at least").
   */
  readonly distinctAtLeast: boolean;
}

/** One `from` line the profile suggests: a field with no column and a column that clearly is it. */
export interface FromSuggestion {
  readonly field: string;
  readonly column: string;
  /** The declaration line to paste in the `lead` (or event) block, `company.size: number from "Company size"`. */
  readonly line: string;
}

/** What the profile suggests declaring. */
export interface ProfileSuggestions {
  /** Folded-equivalent values (as first written) for the `data` block's `missing`, in order of frequency. */
  readonly missing: readonly string[];
  /** Per-field placeholders (zeros), for `FIELD: TYPE missing [...]`. */
  readonly fieldMissing: readonly { readonly field: string; readonly values: readonly string[] }[];
  /** A `numbers` setting, when the evidence points one way only (or the current one). */
  readonly numbers?: 'decimal-comma' | 'decimal-point';
  /** A `dates` setting, when the evidence points one way only (or the current one). */
  readonly dates?: 'day-first' | 'month-first';
  readonly trueWords: readonly string[];
  readonly falseWords: readonly string[];
  readonly from: readonly FromSuggestion[];
  /**
   * Lead field declarations to paste over the current ones (in the `lead` block): each field
   * with a suggested `from` or per-field `missing`, with what it already declares kept.
   */
  readonly declarations: readonly string[];
  /** Things the user must decide (ambiguous dates, mixed number formats): one sentence each. */
  readonly notes: readonly string[];
  /**
   * The `data { ... }` block to paste in place of the file's own (its settings kept as written,
   * the suggestions added). Empty when the suggestions add nothing to what the file declares.
   */
  readonly block: string;
}

/** One finding about one field, in words (the CLI's text output and the editor hints). */
export interface ProfileFinding {
  /** The field or event property (`company.size`, `page_view.url`). */
  readonly field: string;
  readonly source: 'lead' | 'event';
  readonly event?: string;
  /** `placeholder`, `invalid`, `number-format`, `date-order`, `bool-words`, `no-column`, `declared`. */
  readonly kind: 'placeholder' | 'invalid' | 'number-format' | 'date-order' | 'bool-words' | 'no-column' | 'declared';
  /** One sentence, with its suggestion: "36 of 200 `phone` values are `N/A`; ...". */
  readonly message: string;
}

/** The event side of a profile (with `--events`, or events inside the leads). */
export interface EventsProfile {
  /** Events read (every type). */
  readonly rows: number;
  /** Events per type, most frequent first (at most 100 types; `declared` says whether the rules know it). */
  readonly types: readonly { readonly type: string; readonly count: number; readonly declared: boolean }[];
  /** Columns (keys) of events of declared types that no property reads (`type`, `at` and the lead key excepted). */
  readonly unusedColumns: readonly string[];
}

/** The whole profile. */
export interface DataProfile {
  /** Leads read. */
  readonly rows: number;
  /** Lead fields (declaration order), then event properties and `at` of each declared event. */
  readonly fields: readonly FieldProfile[];
  /** Data columns no lead field reads (the id column and `events` excepted), in data order. */
  readonly unusedColumns: readonly string[];
  /** Columns lead fields read that the data does not have, in declaration order. */
  readonly missingColumns: readonly string[];
  /** The rule file's data dialect, as the scorer applies it. */
  readonly dialect: DataDialect;
  readonly events?: EventsProfile;
  readonly findings: readonly ProfileFinding[];
  readonly suggestions: ProfileSuggestions;
}
