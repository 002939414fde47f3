/**
 * What a single raw value SUGGESTS about how an export writes its data: a placeholder that
 * probably means "missing", a number written with a locale's separators, a date written day or
 * month first, a bool written as a word of another language. These are guesses for a human to
 * confirm (`rubric profile` prints them as suggestions); they never change how a value is read.
 * Reading is the compiled scorer's job alone.
 *
 * Every function takes text already folded (see `runtime/fold.ts`) or trimmed, as documented.
 */

/**
 * Folded tokens that exports commonly write for "no value". Checked after folding, so `N/A`,
 * `n/a` and ` N/A ` are one token. `0`-like tokens are handled by {@link isZeroToken}.
 */
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'n/a',
  'na',
  'n.a.',
  'n.a',
  '#n/a',
  'n/c',
  'nc',
  'n.c.',
  'n/r',
  '-',
  '--',
  '---',
  '?',
  '??',
  '???',
  '.',
  '..',
  '...',
  'none',
  '(none)',
  'null',
  '(null)',
  'nil',
  'nan',
  'undefined',
  'unknown',
  'inconnu',
  'inconnue',
  'non renseigne',
  'non communique',
  'aucun',
  'aucune',
  'vide',
  'empty',
  'test',
  'xxx',
  'xxxx',
  'tbd',
  'tba',
  '(not set)',
  'not set',
]);

/** A token made only of zeros, possibly grouped (`0000`, `00 00 00 00 00`, `0000-00-00`). */
const ZERO_TOKEN = /^0+(?:[ ./:\-]0+)*$/;

/** At most this many characters, none a letter or digit (`*`, `//`, `-/-`): a filler if repeated. */
const SYMBOL_TOKEN = /^[^\p{L}\p{N}]{1,5}$/u;

/** How a suspected placeholder was recognised. */
export type PlaceholderKind =
  /** A word exports use for "no value" (`N/A`, `inconnu`, `tbd`). */
  | 'word'
  /** Only zeros (`0000`, `00 00 00 00 00`): often a filler in one field (a phone, a SIRET). */
  | 'zeros'
  /** A short token of symbols only (`*`, `//`); suspected only when it occurs more than once. */
  | 'symbols';

/**
 * Whether a folded, non-blank value looks like a placeholder for a field of type `type`, and how.
 * `0` alone is a real value of a number (zero) or a bool (false), so it is suspected only in
 * text fields; several zeros (`0000`) are suspected everywhere.
 */
export function placeholderKind(folded: string, type: string): PlaceholderKind | undefined {
  if (PLACEHOLDER_WORDS.has(folded)) return 'word';
  if (ZERO_TOKEN.test(folded)) {
    if (folded === '0' && (type === 'number' || type === 'bool')) return undefined;
    return 'zeros';
  }
  if (SYMBOL_TOKEN.test(folded)) return 'symbols';
  return undefined;
}

/** The number formats a value's separators point at (see {@link numberFormatHint}). */
export type NumberFormatHint = 'decimal-comma' | 'decimal-point' | 'ambiguous';

const SPACE_GROUPS = /^[+-]?\d{1,3}(?:[ \u00A0\u202F]\d{3})+(?:,\d+)?$/;
const SPACE_GROUPS_POINT = /^[+-]?\d{1,3}(?:[ \u00A0\u202F]\d{3})+\.\d+$/;
const DOT_GROUPS_COMMA = /^[+-]?\d{1,3}(?:\.\d{3})+,\d+$/;
const DOT_GROUPS = /^[+-]?\d{1,3}(?:\.\d{3})+$/;
const COMMA_GROUPS_POINT = /^[+-]?\d{1,3}(?:,\d{3})+\.\d+$/;
const COMMA_GROUPS = /^[+-]?\d{1,3}(?:,\d{3}){2,}$/;
const ONE_COMMA_GROUP = /^[+-]?\d{1,3},\d{3}$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/**
 * Which number format a trimmed text written in a `number` field suggests:
 * - `decimal-comma`: space (or no-break space) thousands (`1 200`, `1 200,5`), `.` thousands
 *   (`1.200`, `1.200.000`, `1.200,50`), or a decimal comma (`8,5`, `1234,56`);
 * - `decimal-point`: `,` thousands with a decimal point (`1,200.5`), several `,` groups
 *   (`1,200,000`), or space thousands with a decimal point (`1 200.5`);
 * - `ambiguous`: one `,` group of three digits (`1,200`: 1200, or 1.2 with a decimal comma);
 * - undefined: plain digits (`12`, `12.5`) or not a number at all.
 * `1.200` is valid plain text (1.2); it is counted as a decimal comma hint because exports that
 * write `.` before exactly three digits almost always mean thousands.
 */
export function numberFormatHint(text: string): NumberFormatHint | undefined {
  if (SPACE_GROUPS.test(text) || DOT_GROUPS_COMMA.test(text) || DOT_GROUPS.test(text)) return 'decimal-comma';
  if (SPACE_GROUPS_POINT.test(text) || COMMA_GROUPS_POINT.test(text) || COMMA_GROUPS.test(text)) return 'decimal-point';
  if (ONE_COMMA_GROUP.test(text)) return 'ambiguous';
  if (DECIMAL_COMMA.test(text)) return 'decimal-comma';
  return undefined;
}

/** The date orders a value points at (see {@link dateOrderHint}). */
export type DateOrderHint = 'day-first' | 'month-first' | 'ambiguous' | 'two-digit-year';

const SLASH_DATE = /^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Which date order a trimmed text written in a `date` field suggests: `20/02/2026` (first part
 * above 12) is `day-first`, `02/20/2026` `month-first`, `01/02/2026` (both parts 12 or less)
 * `ambiguous` (never guessed), `20/02/26` `two-digit-year` (never read, whatever the order);
 * undefined when it is not a `D/M/Y`-like text (`/`, `-` or `.`, optionally with a time), or
 * neither part can be a month.
 */
export function dateOrderHint(text: string): DateOrderHint | undefined {
  const match = SLASH_DATE.exec(text);
  if (match === null) return undefined;
  const first = Number(match[1]);
  const second = Number(match[3]);
  if (first === 0 || second === 0 || (first > 12 && second > 12) || first > 31 || second > 31) return undefined;
  if (match[4].length === 2) return 'two-digit-year';
  if (first > 12) return 'day-first';
  if (second > 12) return 'month-first';
  return 'ambiguous';
}

/**
 * Folded words of other languages (and single letters) that exports write for a bool, and what
 * they mean. Only suggested for a `bool` field where the scorer reports them as invalid.
 */
const BOOL_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['oui', true],
  ['non', false],
  ['vrai', true],
  ['faux', false],
  ['o', true],
  ['n', false],
  ['ja', true],
  ['nein', false],
  ['j', true],
  ['wahr', true],
  ['falsch', false],
  ['si', true],
  ['sim', true],
  ['nao', false],
  ['y', true],
  ['t', true],
  ['f', false],
  ['v', true],
  ['on', true],
  ['off', false],
]);

/** What a folded word means as a bool in some language, when it is one Rubric does not read by default. */
export function boolWordHint(folded: string): boolean | undefined {
  return BOOL_WORDS.get(folded);
}
