/**
 * Random text as CRM exports write it, for the SQL target's data-dialect tests: numbers with
 * every thousands and decimal separator, dates in both orders (impossible ones, two-digit years,
 * times out of range included), bool words, placeholders in any case and accent, lists split on
 * `;` and `|`; each padded now and then with white space folding trims (read through) or does
 * not (the value is then wrong). Deterministic for a given `next`.
 */
import { fold } from '../../../packages/core/src/runtime/fold.js';
import type { ValueType } from '../../../packages/core/src/compiler/ir.js';

export type Next = () => number;

export const pick = <T>(next: Next, values: readonly T[]): T => values[Math.floor(next() * values.length)];

export const digits = (next: Next, n: number): string => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');

/** Padding: folding's trim set (read), other white space (not trimmed: the value is wrong). */
const PADS = ['', '', '', ' ', '  ', '\t', '\u00a0', '\r\n', '\u202f', '\u3000', '\u2003'];

export const pad = (next: Next, text: string): string => (next() < 0.3 ? `${pick(next, PADS)}${text}${pick(next, PADS)}` : text);

/** Placeholders as a rule file gives them (before folding). */
export const PLACEHOLDER_WORDS = ['N/A', '-', '?', 'Inconnu', 'non renseigné', '0', '0000000000', '00 00 00 00 00', '1900-01-01', 'a;b', "'); drop table x; --", "it's", 'a\\b', '__proto__', '(not set)'];

/** A placeholder as data writes it: any case, accents back, padded; sometimes almost one. */
export function placeholderText(next: Next): string {
  const written = pick(next, ['N/A', 'n/a', 'N/a', '-', '?', 'INCONNU', 'Inconnu', 'ïnconnu', 'Non renseigné', 'NON RENSEIGNE', '0', '0000000000', '00 00 00 00 00', '1900-01-01', '1900-01-01T00:00:00Z', 'A;B', "'); DROP TABLE x; --", "IT'S", 'a\\B', '__PROTO__', '(Not Set)', 'n/a.', 'n / a']);
  return pad(next, written);
}

export function numberText(next: Next): string {
  const sign = pick(next, ['', '', '', '-', '+', '+-', '--', '−']);
  let integer: string;
  if (next() < 0.5) {
    integer = digits(next, 1 + Math.floor(next() * (next() < 0.05 ? 400 : 16)));
  } else {
    const separator = pick(next, [' ', '\u00a0', '\u202f', '.', ',', '_', "'", '  ']);
    integer = digits(next, 1 + Math.floor(next() * 4));
    const groups = 1 + Math.floor(next() * 4);
    for (let i = 0; i < groups; i++) integer += (next() < 0.85 ? separator : pick(next, [' ', '.', ',', '\u00a0'])) + digits(next, next() < 0.85 ? 3 : pick(next, [2, 4]));
  }
  const fraction = next() < 0.5 ? '' : `${pick(next, [',', '.', '.', ','])}${digits(next, Math.floor(next() * 6))}`;
  const exponent = next() < 0.03 ? 'e5' : '';
  return pad(next, `${sign}${integer}${fraction}${exponent}`);
}

/** A time after a date (`separator` first), sometimes out of range or in another shape; or none. */
function timeText(next: Next, separator: string): string {
  if (next() < 0.5) return '';
  const hour = next() < 0.9 ? Math.floor(next() * 24) : pick(next, [24, 25, 99]);
  const minute = next() < 0.9 ? Math.floor(next() * 60) : 60;
  const second = next() < 0.5 ? '' : `:${String(next() < 0.9 ? Math.floor(next() * 60) : 60).padStart(2, '0')}`;
  const extra = next() < 0.1 ? pick(next, ['Z', '.5', '+01:00', ' ']) : '';
  const h = next() < 0.9 ? String(hour).padStart(2, '0') : String(hour);
  return `${separator}${h}:${String(minute).padStart(2, '0')}${second}${extra}`;
}

/** A date written as `order` says (`D/M/YYYY` day first, `M/D/YYYY` month first, or ISO). */
export function writeDate(next: Next, year: string, month: number, day: number, order: 'iso' | 'day-first' | 'month-first'): string {
  if (order === 'iso') return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}${timeText(next, pick(next, ['T', ' ', ' ', '  ', 't']))}`;
  const two = (n: number) => (next() < 0.5 ? String(n).padStart(2, '0') : String(n));
  const separator = pick(next, ['/', '/', '-', '.']);
  const second = next() < 0.9 ? separator : pick(next, ['/', '-', '.', ' ']);
  const [a, b] = order === 'day-first' ? [day, month] : [month, day];
  return `${two(a)}${separator}${two(b)}${second}${year}${timeText(next, pick(next, [' ', ' ', 'T', '  ', 't']))}`;
}

export function dateText(next: Next): string {
  const year = next() < 0.9 ? pick(next, ['2026', '2025', '2024', '2000', '2100', '1900', '0000', digits(next, 4)]) : pick(next, ['26', '02026', '999']);
  const day = next() < 0.85 ? 1 + Math.floor(next() * 31) : pick(next, [0, 32, 99]);
  const month = next() < 0.85 ? 1 + Math.floor(next() * 12) : pick(next, [0, 13]);
  return pad(next, writeDate(next, year, month, day, pick(next, ['iso', 'day-first', 'day-first', 'month-first'] as const)));
}

export function boolText(next: Next): string {
  return pad(next, pick(next, ['true', 'TRUE', 'Yes', 'no', 'NO', '1', '0', 'oui', 'OUI', 'Oui', 'non', 'Vrai', 'FAUX', 'o', 'N', 'sí', 'SÍ', 'ja', 'nein', "It's True", 'A\\B FALSE', 'y', 'ok', 'oui!', '']));
}

export function wordText(next: Next): string {
  return pad(next, pick(next, ['acme', 'ACME', 'Société', 'services', 'Santé', 'x', '', ' ', 'n/a', "'); drop table x; --", 'a\\b', '__proto__', 'café', 'ﬁ', 'VIP', 'Directeur Général']));
}

export function listText(next: Next): string {
  const items = Array.from({ length: Math.floor(next() * 5) }, () => (next() < 0.3 ? placeholderText(next) : wordText(next)));
  let text = '';
  items.forEach((item, i) => (text += (i === 0 ? '' : pick(next, [';', '|', ' ; ', ';;', ' | '])) + item));
  return next() < 0.1 ? pick(next, ['a;b', 'A;B', ' a;b ', ';', '|', '']) : text;
}

/** Texts for a type: mostly its own forms, some placeholders, some of the other types' forms. */
export function textFor(type: ValueType, next: Next): string {
  const own = { number: numberText, date: dateText, bool: boolText, text: wordText, 'one-of': wordText, list: listText }[type];
  const r = next();
  return r < 0.7 ? own(next) : r < 0.85 ? placeholderText(next) : pick(next, [numberText, dateText, boolText, wordText, listText])(next);
}

/** The folded placeholders of {@link PLACEHOLDER_WORDS}, as the IR holds them. */
export const PLACEHOLDERS: readonly string[] = PLACEHOLDER_WORDS.map(fold);
