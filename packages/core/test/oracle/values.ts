/**
 * The reference reading of lead and event data, written straight from the spec ("Values in lead
 * and event data", "Missing", "Evaluation") and the reading semantics of the `data` dialect
 * (docs/language.md §4; the issue 14 design): regular expressions, not character scanners.
 * Independent of the compiler and the runtime: only `fold` is shared, because folding is
 * defined by its one table.
 *
 * Every reader returns `undefined` for a missing value (absent, null, wrong type, blank text,
 * empty list, a `one of` value outside its set, a placeholder); there is no other way to be
 * missing.
 */
import { fold } from '../../src/runtime/fold.js';

/** How text is read as numbers, bools and dates (a structural copy of the model's `DataDialect`). */
export interface Reading {
  readonly numbers: 'plain' | 'decimal-comma' | 'decimal-point';
  readonly dates: 'iso' | 'day-first' | 'month-first';
  /** Folded. */
  readonly trueWords: readonly string[];
  readonly falseWords: readonly string[];
}

/** The reading of a file without a `data` block. */
export const PLAIN_READING: Reading = { numbers: 'plain', dates: 'iso', trueWords: [], falseWords: [] };

/** Folding's trim: space, tab, CR, LF and U+00A0 at both ends. */
export function trimFold(text: string): string {
  return text.replace(/^[ \t\r\n\u00a0]+|[ \t\r\n\u00a0]+$/g, '');
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The raw value at `path` (`company.size`) in `data`, reading own properties only. A literal
 * dotted key (`{"company.size": 5}`) wins over the nested path (`{company: {size: 5}}`) whenever
 * it is present, whatever its value. `undefined` when neither exists.
 */
export function readPath(data: unknown, path: string): unknown {
  if (!isPlainObjectLike(data)) return undefined;
  if (hasOwn(data, path)) return data[path];
  const parts = path.split('.');
  if (parts.length === 1) return undefined;
  let current: unknown = data;
  for (const part of parts) {
    if (!isPlainObjectLike(current) || !hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** The number patterns of each format: the text (trimmed) must match; `separators` are then dropped. */
/**
 * The raw value of a declared field or event property: the column it names (`from "Job
 * Title"`), an own property read as one literal key, never a nested path; else {@link readPath}
 * of its name.
 */
export function readDeclared(data: unknown, name: string, column: string | undefined): unknown {
  if (column === undefined) return readPath(data, name);
  return isPlainObjectLike(data) && hasOwn(data, column) ? data[column] : undefined;
}

const NUMBER_FORMATS = {
  plain: { pattern: /^[+-]?\d+(\.\d+)?$/, separators: /(?:)/g, comma: false },
  'decimal-comma': { pattern: /^[+-]?(\d{1,3}([ \u00A0\u202F.]\d{3})+|\d+)(,\d+)?$/, separators: /[ \u00A0\u202F.]/g, comma: true },
  'decimal-point': { pattern: /^[+-]?(\d{1,3}([ ,\u00A0\u202F]\d{3})+|\d+)(\.\d+)?$/, separators: /[ ,\u00A0\u202F]/g, comma: false },
} as const;

/**
 * A `number`: a finite number, or a string that, trimmed, matches the format's pattern (plain:
 * `[+-]?\d+(\.\d+)?`), read with its thousands separators dropped and its decimal comma as a
 * point, and finite.
 */
export function readNumber(value: unknown, format: Reading['numbers'] = 'plain'): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = trimFold(value);
  const { pattern, separators, comma } = NUMBER_FORMATS[format];
  if (!pattern.test(text)) return undefined;
  let normalised = format === 'plain' ? text : text.replace(separators, '');
  if (comma) normalised = normalised.replace(',', '.');
  const number = Number(normalised);
  return Number.isFinite(number) ? number : undefined;
}

const TRUE_TEXT = ['true', 'yes', '1'];
const FALSE_TEXT = ['false', 'no', '0'];

/**
 * A `bool`: a boolean, or a string whose folded form is one of `true/yes/1` or the extra true
 * words (true), else `false/no/0` or the extra false words (false). Blank text is missing.
 */
export function readBool(value: unknown, trueWords: readonly string[] = [], falseWords: readonly string[] = []): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const folded = fold(value);
    if (folded === '') return undefined;
    if (TRUE_TEXT.includes(folded) || trueWords.includes(folded)) return true;
    if (FALSE_TEXT.includes(folded) || falseWords.includes(folded)) return false;
  }
  return undefined;
}

/** A `text`: a string that is not blank (blank = nothing left after folding's trim). Returns it folded. */
export function readText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const folded = fold(value);
  return folded === '' ? undefined : folded;
}

/** A `one of`: a text whose folded form is in `foldedSet`. Returns it folded. */
export function readOneOf(value: unknown, foldedSet: readonly string[]): string | undefined {
  const folded = readText(value);
  return folded !== undefined && foldedSet.includes(folded) ? folded : undefined;
}

/**
 * A `list of text`: an array whose elements are all strings, folded, placeholder items dropped;
 * or a string split on `;` and `|`, items folded, blank and placeholder items dropped (a string
 * that is a placeholder as a whole is missing). Missing when no item is left.
 */
export function readList(value: unknown, missing: readonly string[] = []): string[] | undefined {
  let items: string[];
  if (typeof value === 'string') {
    if (missing.includes(fold(value))) return undefined;
    items = value
      .split(/[;|]/)
      .map((item) => fold(item))
      .filter((item) => item !== '');
  } else if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === 'string')) return undefined;
    items = value.map((item: string) => fold(item));
  } else {
    return undefined;
  }
  const kept = items.filter((item) => !missing.includes(item));
  return kept.length === 0 ? undefined : kept;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** D/M/YYYY (or M/D/YYYY), the same separator twice, then optionally ` HH:MM[:SS]` (or `T`). */
const ORDERED_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Epoch milliseconds of date text in a data file: trimmed, ISO 8601 (with a space allowed for
 * the `T`), or with a day-first / month-first order `D/M/YYYY` forms (UTC). The date must exist.
 */
export function parseDataDate(text: string, order: Reading['dates'] = 'iso'): number | undefined {
  const trimmed = trimFold(text);
  const iso = /^\d{4}-\d{2}-\d{2} /.test(trimmed) ? `${trimmed.slice(0, 10)}T${trimmed.slice(11)}` : trimmed;
  const instant = parseIsoInstant(iso);
  if (instant !== undefined || order === 'iso') return instant;
  const m = ORDERED_DATE.exec(trimmed);
  if (m === null) return undefined;
  const [, a, , b, y, h, mi, s] = m;
  const day = Number(order === 'day-first' ? a : b);
  const month = Number(order === 'day-first' ? b : a);
  const year = Number(y);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Epoch milliseconds of an ISO 8601 string: `YYYY-MM-DD` (00:00Z) or `YYYY-MM-DDTHH:MM[:SS[.f]]`
 * with `Z`, an offset, or no zone (UTC). `undefined` for anything else, including dates that do
 * not exist (`2026-02-30`). Milliseconds beyond the third fraction digit are dropped.
 */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-9);
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/**
 * A `date` (or an event's `at`): a valid Date or date text (see {@link parseDataDate}, read in
 * `order`). Epoch milliseconds.
 */
export function readDateMillis(value: unknown, order: Reading['dates'] = 'iso'): number | undefined {
  if (isDate(value)) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (typeof value === 'string') return parseDataDate(value, order);
  return undefined;
}

/** The `now` option: a valid Date or an ISO 8601 string exactly (not data: no dialect, no trim). */
export function readNowMillis(value: unknown): number | undefined {
  if (isDate(value)) return readDateMillis(value);
  return typeof value === 'string' ? parseIsoInstant(value) : undefined;
}

/** A value read for its declared type, or `undefined` when it is missing. */
export type TypedValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'date'; readonly millis: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'text'; readonly folded: string }
  | { readonly kind: 'list'; readonly folded: readonly string[] };

/** The declared types the oracle knows (a structural copy of the model's `FieldType`). */
export type DeclaredType =
  | { readonly kind: 'text' | 'number' | 'bool' | 'date' | 'list' }
  | { readonly kind: 'one-of'; readonly values: readonly string[] };

/**
 * Reads `raw` as `type` with the file's `reading` and the slot's placeholders (`missing`,
 * folded: a string folding to one of them is missing whatever the type); `undefined` when
 * missing.
 */
export function readTyped(raw: unknown, type: DeclaredType, reading: Reading = PLAIN_READING, missing: readonly string[] = []): TypedValue | undefined {
  if (typeof raw === 'string' && missing.includes(fold(raw))) return undefined;
  switch (type.kind) {
    case 'number': {
      const value = readNumber(raw, reading.numbers);
      return value === undefined ? undefined : { kind: 'number', value };
    }
    case 'date': {
      const millis = readDateMillis(raw, reading.dates);
      return millis === undefined ? undefined : { kind: 'date', millis };
    }
    case 'bool': {
      const value = readBool(raw, reading.trueWords, reading.falseWords);
      return value === undefined ? undefined : { kind: 'bool', value };
    }
    case 'text': {
      const folded = readText(raw);
      return folded === undefined ? undefined : { kind: 'text', folded };
    }
    case 'one-of': {
      const folded = readOneOf(raw, type.values.map((v) => fold(v)));
      return folded === undefined ? undefined : { kind: 'text', folded };
    }
    case 'list': {
      const folded = readList(raw, missing);
      return folded === undefined ? undefined : { kind: 'list', folded };
    }
  }
}

/**
 * Whether `validate`/`explain` report `raw` as a value of the wrong type for `type`: it did not
 * read as a value, and it is not simply absent (undefined, null, blank text), not a placeholder,
 * and not a list written as one string (whose items are only ever kept or dropped).
 */
export function isReported(raw: unknown, type: DeclaredType, reading: Reading = PLAIN_READING, missing: readonly string[] = []): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'string' && (fold(raw) === '' || missing.includes(fold(raw)))) return false;
  switch (type.kind) {
    case 'text':
      return typeof raw !== 'string';
    case 'list':
      if (typeof raw === 'string') return false;
      return !Array.isArray(raw) || !raw.every((item) => typeof item === 'string');
    default:
      return readTyped(raw, type, reading, missing) === undefined;
  }
}
