/**
 * The scoring runtime, instantiated in-process from {@link RUNTIME_SOURCE} (the same text the
 * standalone modules inline), with `fold` from `fold.ts`.
 */
import { fold, foldTable } from './fold.js';
import { RUNTIME_SOURCE, TABLE_FOLD_SOURCE } from './runtime-source.js';
import type { Explanation, InvalidValue, Lead, ScoreOptions, StageExplanation } from './types.js';

/** How a compiled scorer reads one lead field or event property. */
export interface ValueDescriptor {
  /** Own property tried first: the full dotted name (`company.size`) or the property name. */
  readonly key: string;
  /** Nested path tried when `key` is not an own property (only used when it has 2+ parts). */
  readonly parts: readonly string[];
  /** Name used in reports: `company.size`, `page_view.url`, `page_view.at`. */
  readonly name: string;
  /** What was expected, for reports: `number`, `one of [a, b]`. */
  readonly expected: string;
  /** Folded allowed values of a `one of` field. */
  readonly set?: ReadonlySet<string>;
  /** Folded placeholders: a string folding to one of them is missing and never reported. */
  readonly missing?: ReadonlySet<string>;
  /** How text is read as numbers, bools and dates (the file's `data` block); plain when absent. */
  readonly dialect?: RuntimeDialect;
}

/**
 * The file's `data` dialect as the runtime takes it (see `ReadDialectIR`): `numbers` 0 plain,
 * 1 decimal comma, 2 decimal point; `dates` 0 ISO only, 1 day first, 2 month first; the extra
 * bool words folded.
 */
export interface RuntimeDialect {
  readonly numbers: 0 | 1 | 2;
  readonly dates: 0 | 1 | 2;
  readonly trueWords: ReadonlySet<string>;
  readonly falseWords: ReadonlySet<string>;
}

/** The evaluation state of one call: numeric slots, text slots, list slots, fired rules. */
export interface EvaluationState {
  readonly n: Float64Array;
  readonly t: string[];
  readonly l: string[][];
  readonly f: Int32Array;
  fc: number;
  /** Raw lead values found by the generated reader's one pass over the lead's keys. */
  readonly r: unknown[];
  /** The report list scoreAndValidate and validateEvent reuse (copied out when not empty). */
  readonly inv: InvalidValue[];
}

/** Static facts about a compiled file that explanations need (slot numbers are into `n`). */
export interface ExplanationMeta {
  readonly rules: ReadonlyArray<{
    readonly index: number;
    readonly label: string;
    readonly group: string | null;
    readonly line: number;
    readonly each: boolean;
    /** When rules: points in hundredths. */
    readonly points: number;
    /** Each rules: slots of the rule's value (hundredths), occurrence count and capped flag. */
    readonly value: number;
    readonly count: number;
    readonly capped: number;
  }>;
  readonly groups: ReadonlyArray<{
    readonly name: string;
    readonly min: number | null;
    readonly max: number | null;
    readonly raw: number;
    readonly value: number;
  }>;
  readonly rawScore: number;
  readonly score: number;
}

type ReportSink = InvalidValue[] | null;

/** The state of one field's fold memo (opaque to callers; see `createTextMemo`). */
export interface TextMemo {
  /** The code of the last folded value (see `memoFold`). */
  readonly code: number;
}

/** The helpers generated scorers call. Never throw on any lead value. */
export interface RuntimeHelpers {
  fold(text: string): string;
  /** Whether `text` folds to `''` (only trimmed characters). */
  isBlank(text: string): boolean;
  isNumeric(text: string): boolean;
  /** ISO 8601 text to epoch milliseconds, or NaN. */
  parseIsoDate(text: string): number;
  /** A valid Date or ISO text to epoch milliseconds, or NaN. */
  toEpochMillis(value: unknown): number;
  /** A `number` value, or NaN when missing or of the wrong type. */
  toNumber(value: unknown): number;
  /** A `bool` value as 1 or 0, or NaN when missing or of the wrong type. */
  toBool(value: unknown): number;
  /** A `number` value read with a number format (`RuntimeDialect.numbers`), or NaN. */
  toNumberAs(value: unknown, format: 0 | 1 | 2): number;
  /** A `bool` value with extra (folded) true and false words, as 1 or 0, or NaN. */
  toBoolAs(value: unknown, trueWords: ReadonlySet<string>, falseWords: ReadonlySet<string>): number;
  /** Date text (ISO 8601, trimmed, space for `T`; D/M/YYYY with `order` 1, M/D/YYYY with 2) to epoch milliseconds, or NaN. */
  textDate(text: string, order: 0 | 1 | 2): number;
  /** `textDate` for text `parseIsoDate` did not read (NaN): trimmed, a space for `T`, the date order. */
  looseDate(text: string, order: 0 | 1 | 2): number;
  /** A `date` value (a valid Date, or text read by `textDate`) to epoch milliseconds, or NaN. */
  toInstant(value: unknown, order: 0 | 1 | 2): number;
  /** Whether `value` is a string folding to one of the descriptor's placeholders. */
  isPlaceholder(descriptor: ValueDescriptor, value: unknown): boolean;
  readRaw(object: unknown, descriptor: ValueDescriptor): unknown;
  readNumber(object: unknown, descriptor: ValueDescriptor, sink: ReportSink): number;
  readBool(object: unknown, descriptor: ValueDescriptor, sink: ReportSink): number;
  readDate(object: unknown, descriptor: ValueDescriptor, sink: ReportSink): number;
  readEventAt(object: unknown, descriptor: ValueDescriptor, sink: ReportSink): number;
  /** Folded text, `''` when missing. */
  readText(object: unknown, descriptor: ValueDescriptor, sink: ReportSink): string;
  readOneOf(object: unknown, descriptor: ValueDescriptor, sink: ReportSink): string;
  readList(object: unknown, descriptor: ValueDescriptor, sink: ReportSink, out: string[]): void;
  /** `readList` on a value already read (the generated readers read fields themselves). */
  listValue(value: unknown, descriptor: ValueDescriptor, sink: ReportSink, out: string[]): void;
  /** Reports `value` (a number, bool or date that did not coerce) unless it is absent. */
  reportUnlessAbsent(sink: InvalidValue[], descriptor: ValueDescriptor, value: unknown): void;
  /** As `reportUnlessAbsent`, but a placeholder of the descriptor is not reported either. */
  reportUnlessMissing(sink: InvalidValue[], descriptor: ValueDescriptor, value: unknown): void;
  /** Reports `value` (text that is not a string) unless it is undefined or null. */
  reportUnlessNullish(sink: InvalidValue[], descriptor: ValueDescriptor, value: unknown): void;
  /** Reports `value` unconditionally (an event's `at` that is not a date, even when absent). */
  report(sink: InvalidValue[], descriptor: ValueDescriptor, value: unknown): void;
  /** A bounded memo of `fold` for one text field; `codes` maps folded values to small integers. */
  createTextMemo(codes: ReadonlyMap<string, number> | null): TextMemo;
  /** `fold(text)`, memoised in `memo`; sets `memo.code` to the folded value's code (0: none). */
  memoFold(memo: TextMemo, text: string): string;
  /** How many raw strings `memo` holds (bounded). */
  memoSize(memo: TextMemo): number;
  /** `Object.prototype.hasOwnProperty`, for the generated own-property reads. */
  readonly hasOwn: (this: unknown, key: PropertyKey) => boolean;
  readonly isArray: (value: unknown) => boolean;
  readonly getPrototypeOf: (value: object) => object | null;
  listHasAny(list: readonly string[], values: ReadonlySet<string>): boolean;
  textMatchAny(text: string, operator: 0 | 1 | 2, values: readonly string[]): boolean;
  decayedHundredths(pointsHundredths: number, ageSeconds: number, halfLifeSeconds: number): number;
  /** `decay P% per PERIOD` of one occurrence, integer hundredths (see the IR contract). */
  linearDecayedHundredths(pointsHundredths: number, ageMilliseconds: number, percentHundredths: number, periodMilliseconds: number): number;
  /** The instants `at most K per PERIOD` keeps, latest first (sorts `ats` in place). */
  keepLatestPerPeriod(ats: number[], now: number, periodMilliseconds: number, count: number): number[];
  resolveNow(options: ScoreOptions | undefined): number;
  eventsOf(lead: Lead, options: ScoreOptions | undefined, sink: ReportSink): readonly unknown[];
  /** `options.eventTimes` when it applies (given with `options.events`), else null. */
  eventTimesOf(options: ScoreOptions | undefined): ArrayLike<unknown> | null;
  eventType(event: unknown): string | undefined;
  eventCount(events: readonly unknown[]): number;
  eventAt(events: readonly unknown[], index: number): unknown;
  toIso(epochMillis: number): string;
  buildExplanation(
    meta: ExplanationMeta,
    state: EvaluationState,
    now: number,
    base: { score: number; stage: string | null; tier: string | null; groups: Record<string, number> },
    stages: StageExplanation[],
    sink: InvalidValue[],
  ): Explanation;
  /** The shared empty (frozen) list returned when a lead or event has no invalid value. */
  readonly NO_INVALID: readonly InvalidValue[];
}

function instantiate(fn: (text: string) => string): RuntimeHelpers {
  // The runtime text is ours (no user input); evaluating it is how one text serves both targets.
  const create = new Function(`${RUNTIME_SOURCE}\nreturn createRuntime;`)() as (f: typeof fn) => RuntimeHelpers;
  return create(fn);
}

let shared: RuntimeHelpers | undefined;

/** The in-process runtime (created on first use). */
export function runtimeHelpers(): RuntimeHelpers {
  return (shared ??= instantiate(fold));
}

/** {@link foldTable} as the one string `createTableFold` takes. */
export function foldTableString(): string {
  let text = '';
  for (const [from, to] of foldTable()) text += from + to;
  return text;
}

/** The standalone table-driven fold, in-process (for tests comparing it with `fold`). */
export function createTableFold(): (text: string) => string {
  const create = new Function(`${TABLE_FOLD_SOURCE}\nreturn createTableFold;`)() as (table: string) => (text: string) => string;
  return create(foldTableString());
}

/** The runtime as the standalone modules build it (table fold), for tests. */
export function standaloneRuntimeHelpers(): RuntimeHelpers {
  return instantiate(createTableFold());
}
