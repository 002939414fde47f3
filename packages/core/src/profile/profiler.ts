/**
 * Profiling a data file against a rule file: per lead field and event property, how many values
 * are filled, missing and invalid, which values look like placeholders, number formats, date
 * orders and bool words, the top values, and the columns nobody reads.
 *
 * "Valid", "invalid" and "missing" are the compiled scorer's own verdicts, never re-derived:
 * a value is invalid exactly when `validate` (`validateEvent` for events) reports it, and a
 * declared placeholder is exactly a string whose folded form is in the slot's `missing` list
 * (step 1 of the reading contract), so `rubric profile` and `rubric score` cannot disagree. The
 * hints (placeholders, locales, bool words) are guesses about values, layered on top.
 *
 * Pure and streaming: feed records one at a time ({@link DataProfiler.addLead},
 * {@link DataProfiler.addEvent}); memory is bounded by the number of fields times `maxDistinct`.
 */
import type { Model } from '../checker/model.js';
import type { ScorerIR, ValueSlot } from '../compiler/ir.js';
import { fold } from '../runtime/fold.js';
import type { InvalidValue, Lead, LeadEvent, ScoreOptions } from '../runtime/types.js';
import { BoundedCounter } from './bounded-counter.js';
import { describeFindings } from './findings.js';
import { suggestDialect, type ProfileEvidence, type SharedEvidence } from './suggest.js';
import type {
  BoolWordCount,
  DataProfile,
  DateOrderEvidence,
  FieldProfile,
  HintCount,
  NumberFormatEvidence,
  PlaceholderCount,
  ValueCount,
} from './types.js';
import { boolWordHint, dateOrderHint, numberFormatHint, placeholderKind, type PlaceholderKind } from './value-hints.js';

/** What the profiler needs of a compiled rule file (a `CompiledScorer` has all of it). */
export interface ProfileScorer {
  readonly model: Model;
  readonly ir: ScorerIR;
  validate(lead: Lead, options?: ScoreOptions): readonly InvalidValue[];
  validateEvent(event: LeadEvent): readonly InvalidValue[];
}

export interface ProfileOptions {
  /** Distinct values counted per field (default 10,000); past it, counts are lower bounds. */
  readonly maxDistinct?: number;
  /** The lead id column, never reported as unused (default `id`). */
  readonly idColumn?: string;
  /** The events' lead id column, never reported as unused (default `lead_id`). */
  readonly eventsKey?: string;
  /** How findings name the file of the records (default `the data`; `the accounts file`, issue 17). */
  readonly dataName?: string;
}

/** Default of {@link ProfileOptions.maxDistinct}. */
export const MAX_PROFILE_DISTINCT = 10_000;
/** Columns (keys) remembered per side; a file with more reports the first ones. */
const MAX_COLUMNS = 1_000;
/** Suspected placeholders, bool words and hint examples kept per field. */
const MAX_HINT_VALUES = 200;
/** Event types counted. */
const MAX_EVENT_TYPES = 100;
/** A value is shown with at most this many characters. */
const MAX_SHOWN = 60;
const MAX_EXAMPLES = 5;
/** Distinct first characters counted per field for {@link FieldAccumulator}'s symbol roots. */
const MAX_SYMBOL_STARTS = 64;
/** A first character that is neither a letter nor a digit (as SYMBOL_TOKEN in value-hints.ts). */
const SYMBOL_START = /^[^\p{L}\p{N}]$/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const TOP_VALUES = 10;

/** `validate` with no events: the lead's events are profiled on their own. */
const NO_EVENTS: ScoreOptions = Object.freeze({ events: Object.freeze([]) });

const hasOwn = Object.prototype.hasOwnProperty;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The raw value the scorer reads for a slot: the own property `key`, else (for a path of 2+
 * parts) the nested own properties. Same rule as the runtime's `readRaw`; a getter that throws
 * reads as absent, as it does there.
 */
export function readSlotValue(record: unknown, key: string, path: readonly string[]): unknown {
  try {
    if (!isRecord(record)) return undefined;
    if (hasOwn.call(record, key)) return record[key];
    if (path.length < 2) return undefined;
    let current: unknown = record;
    for (const part of path) {
      if (!isRecord(current) || !hasOwn.call(current, part)) return undefined;
      current = current[part];
    }
    return current;
  } catch {
    return undefined;
  }
}

function isTrimmed(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a || code === 0xa0;
}

/** The text without the fold trim set at its ends, as `fold` trims (for showing and classifying values as written). */
function trimmed(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmed(text.charCodeAt(start))) start++;
  while (end > start && isTrimmed(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function shorten(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 1)}…`;
}

/** A raw value as shown in a profile: trimmed text, numbers and bools as written, other values as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return shorten(trimmed(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    const json = JSON.stringify(value);
    return shorten(json === undefined ? String(value) : json);
  } catch {
    return shorten(Object.prototype.toString.call(value));
  }
}

/** Counts with up to 3 examples. */
class HintTally {
  count = 0;
  private readonly examples: string[] = [];

  add(shown: string): void {
    this.count++;
    if (this.examples.length < 3 && !this.examples.includes(shown)) this.examples.push(shown);
  }

  result(): HintCount {
    return { count: this.count, examples: [...this.examples] };
  }
}

/** What an accumulator needs to know about the value it profiles. */
interface SlotSpec {
  readonly name: string;
  readonly source: 'lead' | 'event';
  readonly event?: string;
  readonly key: string;
  readonly path: readonly string[];
  readonly kind: ValueSlot['type'];
  /** The type as written in the rule file (`list of text`, `one of [a, b]`). */
  readonly typeText: string;
  readonly oneOf: ReadonlySet<string>;
  readonly missing: ReadonlySet<string>;
}

/** The profile of one field being built. */
class FieldAccumulator {
  rows = 0;
  filled = 0;
  missing = 0;
  invalid = 0;
  private readonly declared = new BoundedCounter(MAX_HINT_VALUES);
  private readonly suspected = new Map<string, { value: string; count: number; invalid: number; kind: PlaceholderKind }>();
  private readonly examples: string[] = [];
  private readonly invalidValues: BoundedCounter;
  /** Invalid values no hint explains (not a placeholder, a locale's number or date, a bool word). */
  private unexplained = 0;
  private readonly unexplainedValues: BoundedCounter;
  private readonly top: BoundedCounter;
  private readonly decimalComma = new HintTally();
  private readonly decimalPoint = new HintTally();
  private readonly ambiguousNumber = new HintTally();
  private readonly dayFirst = new HintTally();
  private readonly monthFirst = new HintTally();
  private readonly ambiguousDate = new HintTally();
  private readonly twoDigitYear = new HintTally();
  private readonly boolWords = new Map<string, { value: string; count: number; means: boolean }>();
  /** Whether any text value was met (number and date evidence is shown only then). */
  private sawText = false;
  /**
   * Filled values that start with a symbol and hold a letter or digit, by that first character
   * (at most {@link MAX_SYMBOL_STARTS} of them): a symbol token that begins at least as many
   * longer values is their root (`/` among `/tarifs` and `/blog`), not a filler.
   */
  private readonly symbolStarts = new Map<string, number>();

  constructor(
    readonly spec: SlotSpec,
    maxDistinct: number,
  ) {
    this.top = new BoundedCounter(maxDistinct);
    this.invalidValues = new BoundedCounter(maxDistinct);
    this.unexplainedValues = new BoundedCounter(maxDistinct);
  }

  /** One record's raw value; `reported` when the scorer reported it invalid. */
  add(raw: unknown, reported: boolean): void {
    this.rows++;
    const { spec } = this;
    // Folded once: the placeholder test, the blank test and the hints all need it.
    const folded = typeof raw === 'string' ? fold(raw) : undefined;
    if (folded !== undefined && folded !== '' && spec.missing.has(folded)) {
      // Step 1 of the reading contract: a declared placeholder is missing, never invalid.
      this.missing++;
      const shown = showValue(raw);
      this.declared.add(shown);
      this.top.add(shown);
      return;
    }
    if (reported) {
      this.invalid++;
      const shown = showValue(raw);
      if (this.examples.length < MAX_EXAMPLES && !this.examples.includes(shown)) this.examples.push(shown);
      this.invalidValues.add(shown);
      this.top.add(shown);
      if (!this.hint(raw, folded, true)) {
        this.unexplained++;
        this.unexplainedValues.add(shown);
      }
      return;
    }
    if (raw === undefined || raw === null || folded === '') {
      this.missing++;
      return;
    }
    if (spec.kind === 'list' && this.listIsEmpty(raw)) {
      this.missing++;
      this.top.add(showValue(raw));
      return;
    }
    this.filled++;
    this.top.add(showValue(raw));
    if (folded !== undefined && folded.length > 1) this.countSymbolStart(folded);
    this.hint(raw, folded, false);
  }

  private countSymbolStart(folded: string): void {
    const first = String.fromCodePoint(folded.codePointAt(0) as number);
    // Only values with a letter or digit after it (`/tarifs`; not `**`, itself a filler).
    if (first.length === folded.length || !SYMBOL_START.test(first) || !LETTER_OR_DIGIT.test(folded)) return;
    const count = this.symbolStarts.get(first);
    if (count !== undefined) this.symbolStarts.set(first, count + 1);
    else if (this.symbolStarts.size < MAX_SYMBOL_STARTS) this.symbolStarts.set(first, 1);
  }

  /** Whether a suspected symbol token begins at least as many longer values of the field as it occurs itself. */
  private isRootOfValues(folded: string, count: number): boolean {
    const first = String.fromCodePoint(folded.codePointAt(0) as number);
    return (this.symbolStarts.get(first) ?? 0) >= count;
  }

  /** Whether a list value has no item left once blank items and placeholders are dropped (then it is missing). */
  private listIsEmpty(raw: unknown): boolean {
    const items = listItems(raw);
    if (items === undefined) return false;
    // A text is split and its blank items dropped; an array's blank items are kept (as the
    // scorer reads them), only its placeholders dropped.
    const array = Array.isArray(raw);
    for (const item of items) {
      const folded = fold(item);
      if ((array || folded !== '') && !this.spec.missing.has(folded)) return false;
    }
    return true;
  }

  /**
   * Looks at a value for placeholders, number formats, date orders and bool words; returns
   * whether one of them explains it.
   */
  private hint(raw: unknown, folded: string | undefined, invalid: boolean): boolean {
    const { spec } = this;
    if (spec.kind === 'list') {
      const items = listItems(raw);
      if (items === undefined) return false;
      let explained = false;
      for (const item of items) {
        const foldedItem = fold(item);
        if (foldedItem === '') continue;
        if (spec.missing.has(foldedItem)) this.declared.add(showValue(item));
        else if (this.suspect(item, foldedItem, invalid)) explained = true;
      }
      return explained;
    }
    if (typeof raw !== 'string' || folded === undefined) return false;
    if (this.suspect(raw, folded, invalid)) return true;
    const text = trimmed(raw);
    if (spec.kind === 'number') {
      this.sawText = true;
      const format = numberFormatHint(text);
      if (format === 'decimal-comma') this.decimalComma.add(showValue(raw));
      else if (format === 'decimal-point') this.decimalPoint.add(showValue(raw));
      else if (format === 'ambiguous') this.ambiguousNumber.add(showValue(raw));
      return format !== undefined;
    }
    if (spec.kind === 'date') {
      this.sawText = true;
      const order = dateOrderHint(text);
      if (order === 'day-first') this.dayFirst.add(showValue(raw));
      else if (order === 'month-first') this.monthFirst.add(showValue(raw));
      else if (order === 'ambiguous') this.ambiguousDate.add(showValue(raw));
      else if (order === 'two-digit-year') this.twoDigitYear.add(showValue(raw));
      return order !== undefined;
    }
    if (spec.kind === 'bool' && invalid) {
      const means = boolWordHint(folded);
      if (means === undefined) return false;
      const entry = this.boolWords.get(folded);
      if (entry !== undefined) entry.count++;
      else if (this.boolWords.size < MAX_HINT_VALUES) this.boolWords.set(folded, { value: showValue(raw), count: 1, means });
      return true;
    }
    return false;
  }

  /** Counts a suspected placeholder; returns whether the value is one. */
  private suspect(raw: string, folded: string, invalid: boolean): boolean {
    // A value of the field's own `one of` set is a real value, whatever it looks like.
    if (this.spec.oneOf.has(folded)) return false;
    const kind = placeholderKind(folded, this.spec.kind);
    if (kind === undefined) return false;
    const entry = this.suspected.get(folded);
    if (entry !== undefined) {
      entry.count++;
      if (invalid) entry.invalid++;
    } else if (this.suspected.size < MAX_HINT_VALUES) {
      this.suspected.set(folded, { value: showValue(raw), count: 1, invalid: invalid ? 1 : 0, kind });
    }
    return true;
  }

  result(hasColumn: boolean): FieldProfile {
    const { spec } = this;
    const placeholders: PlaceholderCount[] = [...this.suspected]
      // A lone symbol (`.` once, `/` once) is noise; repeated, it is a filler, unless it is the
      // root of the field's values (`/`, the home page, among `/tarifs` and `/blog`).
      .filter(([folded, entry]) => entry.kind !== 'symbols' || (entry.count > 1 && !this.isRootOfValues(folded, entry.count)))
      .map(([, entry]) => entry)
      .sort((a, b) => b.count - a.count)
      .map((entry) => ({ value: entry.value, count: entry.count, readAs: entry.invalid * 2 >= entry.count ? 'invalid' : 'value', kind: entry.kind }));
    const declaredPlaceholders: ValueCount[] = this.declared.top(MAX_HINT_VALUES);
    const profile: FieldProfile = {
      name: spec.name,
      source: spec.source,
      ...(spec.event !== undefined ? { event: spec.event } : {}),
      column: spec.key,
      hasColumn,
      type: spec.typeText,
      rows: this.rows,
      filled: this.filled,
      missing: this.missing,
      invalid: this.invalid,
      placeholders,
      declaredPlaceholders,
      examples: [...this.examples],
      invalidValues: this.invalidValues.top(TOP_VALUES),
      unexplainedInvalid: this.unexplained,
      unexplainedValues: this.unexplainedValues.top(TOP_VALUES),
      ...(spec.kind === 'number' && this.sawText ? { numberFormats: this.numberEvidence() } : {}),
      ...(spec.kind === 'date' && this.sawText ? { dateOrders: this.dateEvidence() } : {}),
      ...(spec.kind === 'bool' ? { boolWords: this.boolWordCounts() } : {}),
      topValues: this.top.top(TOP_VALUES),
      distinct: this.top.size,
      distinctAtLeast: this.top.full,
    };
    return profile;
  }

  private numberEvidence(): NumberFormatEvidence {
    return { decimalComma: this.decimalComma.result(), decimalPoint: this.decimalPoint.result(), ambiguous: this.ambiguousNumber.result() };
  }

  private dateEvidence(): DateOrderEvidence {
    return {
      dayFirst: this.dayFirst.result(),
      monthFirst: this.monthFirst.result(),
      ambiguous: this.ambiguousDate.result(),
      twoDigitYear: this.twoDigitYear.result(),
    };
  }

  private boolWordCounts(): BoolWordCount[] {
    return [...this.boolWords.values()].sort((a, b) => b.count - a.count).map((entry) => ({ ...entry }));
  }
}

/**
 * The items of a list value as the scorer splits them: an array's string items (undefined when
 * an item is not a string: the whole value is then of the wrong type), or a text split on `;`
 * and `|`.
 */
function listItems(raw: unknown): string[] | undefined {
  if (Array.isArray(raw)) {
    const items: string[] = [];
    for (const item of raw as unknown[]) {
      if (typeof item !== 'string') return undefined;
      items.push(item);
    }
    return items;
  }
  if (typeof raw === 'string') return raw.split(/[;|]/);
  return undefined;
}

/** Column (key) names met, in order, bounded. */
class ColumnSet {
  readonly names: string[] = [];
  private readonly seen = new Set<string>();
  /** Set once a header was given: keys of records are then not collected. */
  fixed = false;

  add(name: string): void {
    if (this.seen.has(name) || this.seen.size >= MAX_COLUMNS) return;
    this.seen.add(name);
    this.names.push(name);
  }

  has(name: string): boolean {
    return this.seen.has(name);
  }
}

/**
 * Profiles data against a compiled rule file, record by record.
 *
 * Usage: `addColumns(header)` for a CSV (JSON records' keys are collected as they come),
 * `addLead(lead)` for each lead as `rubric score` hands it to the scorer, `addEvent(event)` for
 * each event (from an events file or a lead's own `events`), then `finish()`.
 */
export class DataProfiler {
  private readonly leadFields: FieldAccumulator[] = [];
  private readonly eventFields = new Map<string, FieldAccumulator[]>();
  private readonly leadColumns = new ColumnSet();
  private readonly eventColumns = new ColumnSet();
  /** Keys of events of declared types (a CSV header counts for every type). */
  private readonly eventKeysByType = new Map<string, ColumnSet>();
  private readonly eventTypes = new Map<string, number>();
  private leads = 0;
  private events = 0;
  private readonly idColumn: string;
  private readonly eventsKey: string;
  private readonly dataName: string;

  constructor(
    private readonly scorer: ProfileScorer,
    options: ProfileOptions = {},
  ) {
    const maxDistinct = Math.max(1, options.maxDistinct ?? MAX_PROFILE_DISTINCT);
    this.idColumn = options.idColumn ?? 'id';
    this.eventsKey = options.eventsKey ?? 'lead_id';
    this.dataName = options.dataName ?? 'the data';
    const { ir, model } = scorer;
    const text = model.file.text;
    const typeTextOf = (slot: ValueSlot): string => {
      const eventName = slot.source === 'event' ? (ir.events[slot.event ?? 0]?.name ?? '') : '';
      const info = slot.source === 'lead' ? model.fields.get(slot.name) : model.events.get(eventName)?.properties.get(slot.name.slice(eventName.length + 1));
      const range = info?.decl?.type?.range;
      if (range !== undefined && typeof text === 'string') return text.slice(range.start.offset, range.end.offset);
      return slot.type === 'list' ? 'list of text' : slot.type === 'one-of' ? slot.expected : slot.type;
    };
    // One Set per distinct list: the fields without a list of their own share the block's.
    const placeholderSets = new Map<readonly string[], ReadonlySet<string>>();
    const placeholdersOf = (list: readonly string[]): ReadonlySet<string> => {
      let set = placeholderSets.get(list);
      if (set === undefined) placeholderSets.set(list, (set = new Set(list)));
      return set;
    };
    for (const slot of ir.slots) {
      // A synonym table's value is computed, not a column of the data.
      if (slot.derived !== undefined) continue;
      // Issue 17: `account.NAME`, `account.stage|score|tier` come from the contact's account
      // (the accounts file, or its scoring), never from a column of the leads.
      if (slot.source === 'lead' && model.fields.get(slot.name)?.synthetic !== undefined) continue;
      const spec: SlotSpec = {
        name: slot.name,
        source: slot.source,
        ...(slot.source === 'event' ? { event: ir.events[slot.event ?? 0]?.name ?? '' } : {}),
        key: slot.key,
        path: slot.path,
        kind: slot.type,
        typeText: typeTextOf(slot),
        oneOf: new Set(slot.oneOf),
        missing: placeholdersOf(slot.missing),
      };
      const accumulator = new FieldAccumulator(spec, maxDistinct);
      if (slot.source === 'lead') this.leadFields.push(accumulator);
      else this.eventAccumulators(spec.event ?? '').push(accumulator);
    }
    for (const event of ir.events) {
      // The instant: read as a date in the dialect's order, reported (even when absent) when not one.
      const spec: SlotSpec = {
        name: `${event.name}.at`,
        source: 'event',
        event: event.name,
        key: 'at',
        path: ['at'],
        kind: 'date',
        typeText: 'date',
        oneOf: new Set(),
        missing: new Set(),
      };
      this.eventAccumulators(event.name).push(new FieldAccumulator(spec, maxDistinct));
    }
  }

  private eventAccumulators(event: string): FieldAccumulator[] {
    let list = this.eventFields.get(event);
    if (list === undefined) {
      list = [];
      this.eventFields.set(event, list);
    }
    return list;
  }

  /** The lead data's columns (a CSV header); without it, the keys of the leads are collected. */
  addColumns(columns: readonly string[]): void {
    this.leadColumns.fixed = true;
    for (const column of columns) this.leadColumns.add(column);
  }

  /** The events file's columns (a CSV header); without it, the keys of the events are collected. */
  addEventColumns(columns: readonly string[]): void {
    this.eventColumns.fixed = true;
    for (const column of columns) this.eventColumns.add(column);
  }

  /**
   * One lead, exactly as the scorer is given it. Its own `events` (a JSON array) are profiled
   * too unless `withOwnEvents` is false (events come from elsewhere).
   */
  addLead(lead: Lead, withOwnEvents = true): void {
    this.leads++;
    if (!this.leadColumns.fixed && isRecord(lead)) for (const key of Object.keys(lead)) this.leadColumns.add(key);
    const invalid = this.scorer.validate(lead, NO_EVENTS);
    const reported = invalid.length === 0 ? undefined : new Set(invalid.map((value) => value.field));
    for (const field of this.leadFields) {
      const { spec } = field;
      field.add(readSlotValue(lead, spec.key, spec.path), reported !== undefined && reported.has(spec.name));
    }
    if (withOwnEvents) {
      const own = readSlotValue(lead, 'events', ['events']);
      if (Array.isArray(own)) for (const event of own as unknown[]) this.addEvent(event);
    }
  }

  /** One event, exactly as the scorer is given it (`{type, at, ...properties}`). */
  addEvent(event: unknown): void {
    this.events++;
    const type = readSlotValue(event, 'type', ['type']);
    const name = typeof type === 'string' ? type : '';
    const count = this.eventTypes.get(name);
    if (count !== undefined) this.eventTypes.set(name, count + 1);
    else if (this.eventTypes.size < MAX_EVENT_TYPES) this.eventTypes.set(name, 1);
    const fields = this.eventFields.get(name);
    if (fields === undefined || !isRecord(event)) return;
    let keys = this.eventKeysByType.get(name);
    if (keys === undefined) {
      keys = new ColumnSet();
      this.eventKeysByType.set(name, keys);
    }
    if (!this.eventColumns.fixed) {
      for (const key of Object.keys(event)) {
        keys.add(key);
        this.eventColumns.add(key);
      }
    }
    const invalid = this.scorer.validateEvent(event as LeadEvent);
    const reported = invalid.length === 0 ? undefined : new Set(invalid.map((value) => value.field));
    for (const field of fields) {
      const { spec } = field;
      field.add(readSlotValue(event, spec.key, spec.path), reported !== undefined && reported.has(spec.name));
    }
  }

  /**
   * The profile of everything added, without its findings and suggestions: what another file's
   * profile needs of this one when both are read against one rule file (see {@link finish}).
   */
  evidence(): ProfileEvidence {
    const leadColumns = this.leadColumns;
    const usedLead = new Set<string>();
    const fields: FieldProfile[] = [];
    const missingColumns: string[] = [];
    for (const field of this.leadFields) {
      const { key, path } = field.spec;
      usedLead.add(key);
      // A dotted field reads a nested object too (`company: {size}`): its root key is used.
      if (path.length >= 2) usedLead.add(path[0]);
      const hasColumn = leadColumns.has(key) || (path.length >= 2 && leadColumns.has(path[0]));
      if (!hasColumn) missingColumns.push(key);
      fields.push(field.result(hasColumn));
    }
    const unusedColumns = leadColumns.names.filter((column) => !usedLead.has(column) && column !== this.idColumn && column !== 'events');
    const usedEvent = new Set<string>(['type', 'at', this.eventsKey]);
    for (const [event, accumulators] of this.eventFields) {
      const keys = this.eventColumns.fixed ? this.eventColumns : this.eventKeysByType.get(event);
      const seen = (this.eventTypes.get(event) ?? 0) > 0;
      for (const field of accumulators) {
        usedEvent.add(field.spec.key);
        fields.push(field.result(seen && keys !== undefined && keys.has(field.spec.key)));
      }
    }
    const declared = new Set(this.scorer.ir.events.map((event) => event.name));
    const profileWithoutAdvice = {
      rows: this.leads,
      fields,
      unusedColumns,
      missingColumns,
      dialect: this.scorer.model.dialect,
      ...(this.events > 0 || this.eventColumns.fixed
        ? {
            events: {
              rows: this.events,
              types: [...this.eventTypes]
                .sort((a, b) => b[1] - a[1])
                .map(([type, count]) => ({ type, count, declared: declared.has(type) })),
              unusedColumns: this.eventColumns.names.filter((column) => !usedEvent.has(column)),
            },
          }
        : {}),
    };
    return profileWithoutAdvice;
  }

  /**
   * The profile of everything added. `shared`: the evidence of the other files read against the
   * same rule file (issue 17: the accounts file beside the contacts, each with the model its
   * fields belong to): the rule file has one `data` block, so its suggested settings (`missing`,
   * `numbers`, `dates`, bool words), the notes and the findings that point at them weigh every
   * file's values; `from` lines and per-field declarations stay this file's own.
   */
  finish(shared: readonly SharedEvidence[] = []): DataProfile {
    const profileWithoutAdvice = this.evidence();
    const suggestions = suggestDialect(profileWithoutAdvice, this.scorer.model, this.leadColumns.names, shared);
    const findings = describeFindings(profileWithoutAdvice, suggestions, this.dataName);
    return { ...profileWithoutAdvice, findings, suggestions };
  }
}

/**
 * Profiles `leads` (and `events`) in one call; see {@link DataProfiler}. `columns`: the data's
 * header, when it has one.
 */
export function profileData(
  scorer: ProfileScorer,
  leads: Iterable<Lead>,
  options: ProfileOptions & { readonly columns?: readonly string[]; readonly events?: Iterable<unknown>; readonly eventColumns?: readonly string[] } = {},
): DataProfile {
  const profiler = new DataProfiler(scorer, options);
  if (options.columns !== undefined) profiler.addColumns(options.columns);
  if (options.eventColumns !== undefined) profiler.addEventColumns(options.eventColumns);
  for (const lead of leads) profiler.addLead(lead, options.events === undefined);
  if (options.events !== undefined) for (const event of options.events) profiler.addEvent(event);
  return profiler.finish();
}
