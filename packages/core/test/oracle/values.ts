/**
 * The reference reading of lead and event data, written straight from the spec ("Values in lead
 * and event data", "Missing", "Evaluation"). Independent of the compiler and the runtime: only
 * `fold` is shared, because folding is defined by its one table.
 *
 * Every reader returns `undefined` for a missing value (absent, null, wrong type, blank text,
 * empty list, a `one of` value outside its set); there is no other way to be missing.
 */
import { fold } from '../../src/runtime/fold.js';

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

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** A `number`: a finite number, or a string matching `-?\d+(\.\d+)?` exactly (no spaces). */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value);
  return undefined;
}

const BOOL_TEXT: Readonly<Record<string, boolean>> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };

/** A `bool`: a boolean, or a string whose folded form is one of `true/false/yes/no/1/0`. */
export function readBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const folded = fold(value);
    return hasOwn(BOOL_TEXT, folded) ? BOOL_TEXT[folded] : undefined;
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

/** A `list of text`: a non-empty array whose elements are all strings. Returns the folded elements. */
export function readList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((item) => typeof item === 'string')) return undefined;
  return value.map((item: string) => fold(item));
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

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

/** A `date`: a valid Date or an ISO 8601 string (see {@link parseIsoInstant}). Epoch milliseconds. */
export function readDateMillis(value: unknown): number | undefined {
  if (isDate(value)) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (typeof value === 'string') return parseIsoInstant(value);
  return undefined;
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

/** Reads `raw` as `type`; `undefined` when missing. */
export function readTyped(raw: unknown, type: DeclaredType): TypedValue | undefined {
  switch (type.kind) {
    case 'number': {
      const value = readNumber(raw);
      return value === undefined ? undefined : { kind: 'number', value };
    }
    case 'date': {
      const millis = readDateMillis(raw);
      return millis === undefined ? undefined : { kind: 'date', millis };
    }
    case 'bool': {
      const value = readBool(raw);
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
      const folded = readList(raw);
      return folded === undefined ? undefined : { kind: 'list', folded };
    }
  }
}
