/**
 * Reading values in SQL exactly as the JavaScript runtime reads them (runtime-source.ts): each
 * lead field and event property becomes a typed value or NULL (missing) through a few steps,
 * one per CTE stage so every intermediate value is computed once.
 *
 * Representations: `number` DOUBLE, `date` BIGINT epoch milliseconds, `bool` INTEGER 1/0,
 * `text`/`one of` the folded non-blank text, `list` a non-empty list of folded texts.
 *
 * Text folding is the design's one table (`foldTable()`), written once per query as two lists
 * of characters in the constants CTE; a character is looked up in it (ASCII characters, which
 * the table maps A–Z to a–z only, are lowered directly). Whole ASCII texts are lowered in one
 * call: ASCII case mapping is the same in every Unicode version, and DuckDB's `lower` and
 * PostgreSQL's `lower(x COLLATE "C")` change A–Z and nothing else there.
 *
 * Text is read as the runtime reads a string under the rule file's `data` block (design14.md,
 * docs/language.md §4): a placeholder (its fold in the slot's `missing`) is NULL; numbers, bools
 * and dates are read in the dialect's number format, words and date order. The columns formats
 * `text` and `csv` read alike (the CLI passes CSV cells to the scorer as they are).
 */
import { FOLD_TRIM_CHARACTERS, foldTable } from '../../runtime/fold.js';
import type { ReadDialectIR, ValueType } from '../ir.js';
import type { SqlDialect } from './dialect.js';
import type { SqlColumnFormat } from './mapping.js';

/** One computed column of a stage: `name` is internal ASCII, `expression` safe SQL. */
export interface StepColumn {
  readonly name: string;
  readonly expression: string;
}

/** Columns per stage: stage k may read the columns of stages before it as `p.name`. */
export type ReadPlan = StepColumn[][];

/** The constants every stage can read (`p.rubric_...`), defined once per query. */
export const CONSTANTS = {
  foldFrom: 'rubric_fold_from',
  foldTo: 'rubric_fold_to',
  foldTrim: 'rubric_fold_trim',
  jsTrim: 'rubric_js_trim',
  jsTrimAscii: 'rubric_js_trim_ascii',
  numberMax: 'rubric_number_max',
  numberMin: 'rubric_number_min',
  now: 'rubric_now',
} as const;

const ref = (name: string): string => `p.${name}`;

/** The characters JavaScript's `String.prototype.trim` removes (what the CLI trims CSV cells with). */
export function jsTrimCharacters(): string {
  let out = '';
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCharCode(cp);
    if (ch.trim() === '') out += ch;
  }
  return out;
}

/** A set of characters as `chr(9) || chr(10) || ...` (readable, and no raw control characters). */
export function characterSet(characters: string): string {
  return [...characters].map((ch) => `chr(${ch.codePointAt(0) as number})`).join(' || ');
}

/** The folding table as two texts of one character per entry (`from[i]` folds to `to[i]`). */
export function foldTableTexts(): { from: string; to: string } {
  const table = foldTable();
  return { from: table.map(([from]) => from).join(''), to: table.map(([, to]) => to).join('') };
}

/**
 * Decimal digits of the smallest positive decimal that overflows to Infinity when read as a
 * double (2^1024 − 2^970, the midpoint above the largest double; ties round to even, here up).
 */
export function numberOverflowDigits(): string {
  return (2n ** 1024n - 2n ** 970n).toString();
}

/**
 * The 1075 fraction digits of 2^-1075: positive decimals at or below it read as 0 (half of the
 * smallest subnormal; the tie rounds to even, here down).
 */
export function numberUnderflowDigits(): string {
  return (5n ** 1075n).toString().padStart(1075, '0');
}

const NUMBER = '-?[0-9]+([.][0-9]+)?';
/**
 * Numbers as written in text, by the dialect's `numbers` (design14.md), after U+00A0 and U+202F
 * were turned into spaces (so the patterns are ASCII, and RE2 and PostgreSQL read them alike).
 */
const TEXT_NUMBER: Readonly<Record<ReadDialectIR['numbers'], string>> = {
  plain: '[+-]?[0-9]+([.][0-9]+)?',
  'decimal-comma': '[+-]?([0-9]{1,3}([ .][0-9]{3})+|[0-9]+)(,[0-9]+)?',
  'decimal-point': '[+-]?([0-9]{1,3}([ ,][0-9]{3})+|[0-9]+)([.][0-9]+)?',
};
/** `D/M/YYYY`, `D-M-YYYY` or `D.M.YYYY` (one separator, twice: no backreference in RE2), then a time. */
const ORDERED_DATE = '([0-9]{1,2}/[0-9]{1,2}/|[0-9]{1,2}-[0-9]{1,2}-|[0-9]{1,2}[.][0-9]{1,2}[.])[0-9]{4}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?';
const ISO_DATE = '[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?';
const ZONE = 'Z|[+-][0-9]{2}(:?[0-9]{2})?';

/** The dialect of a file without a `data` block. */
export const PLAIN_READ_DIALECT: ReadDialectIR = Object.freeze({ numbers: 'plain', dates: 'iso', trueWords: [], falseWords: [] });

/** What {@link ValueReader.plan} reads: a value's type, where it is, and what means missing. */
export interface ReadSpec {
  readonly type: ValueType;
  readonly format: SqlColumnFormat;
  /** `one of`: the folded allowed values. */
  readonly oneOf?: readonly string[];
  /** Folded placeholders (the slot's `missing`): text folding to one of them is NULL. */
  readonly missing?: readonly string[];
}

/** JavaScript Dates hold instants within ±8.64e15 ms; a timestamp beyond is an invalid Date. */
const MAX_DATE_MILLIS = 8_640_000_000_000_000;

/** The ASCII characters of JavaScript's white space (`\t \n \v \f \r` and space). */
const JS_TRIM_ASCII = '\t\n\u000b\u000c\r ';

/** Shapes of ISO 8601 text DuckDB's TIMESTAMP cast reads exactly as `parseIsoDate` (hours below 24 checked apart). */
const FAST_DATE_GLOBS = [
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]',
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z',
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z',
];

/**
 * Builds the SQL of value reading for one dialect.
 *
 * DuckDB fast paths: most values are plain (`acme`, `120`, `2026-03-01T10:00:00Z`), and the
 * exact reading (trimming with character sets, regular expressions, date arithmetic) costs far
 * more than a quick test. For DuckDB each plan first computes a fast value with DuckDB's own
 * functions (lower, an integer cast, the TIMESTAMP cast) where a cheap test proves that value is
 * the exact one, and runs the exact stages only on the rows where that test fails (their columns
 * are NULL elsewhere). The fast paths only accept text whose exact reading is known to give the
 * same value (test/sql/fast-paths.test.ts compares them on random text).
 */
export class ValueReader {
  private readonly dialect: ReadDialectIR;
  private readonly fastPaths: boolean;

  /**
   * `dialect`: the rule file's number format, bool words and date order (default: none, the
   * plain reading). `fastPaths: false` leaves the DuckDB fast paths out of {@link plan} (for the
   * tests comparing the two).
   */
  constructor(
    private readonly d: SqlDialect,
    options: { readonly dialect?: ReadDialectIR; readonly fastPaths?: boolean } = {},
  ) {
    this.dialect = options.dialect ?? PLAIN_READ_DIALECT;
    this.fastPaths = options.fastPaths ?? true;
  }

  /** Literals of the folded `values` the engine can hold (others never occur in its data). */
  private literals(values: readonly string[]): string[] {
    return [...new Set(values)].filter((value) => this.d.canHold(value)).map((value) => this.d.text(value));
  }

  /**
   * Whether folded text (a column or expression) is one of `missing`: false when there are none
   * (NULL for NULL).
   */
  isPlaceholder(folded: string, missing: readonly string[]): string {
    const literals = this.literals(missing);
    return literals.length === 0 ? 'false' : `${this.d.binary(folded)} IN (${literals.join(', ')})`;
  }

  /**
   * Whether text already trimmed (`trimmed`, a column) folds to one of `missing`. Folding maps
   * each character to one character, so only texts of a placeholder's length are folded (a
   * number or a date rarely is, and folding non-ASCII text is the costly part).
   */
  trimmedIsPlaceholder(trimmed: string, missing: readonly string[]): string {
    const held = missing.filter((value) => this.d.canHold(value));
    if (held.length === 0) return 'false';
    const lengths = [...new Set(held.map((value) => [...value].length))].sort((a, b) => a - b);
    return `CASE WHEN ${this.d.length(trimmed)} IN (${lengths.join(', ')}) THEN ${this.isPlaceholder(this.foldTrimmed(trimmed), held)} ELSE false END`;
  }

  /** Trims folding's white space. */
  foldTrim(expression: string): string {
    // DuckDB: the set written in place (a constant), so no row carries it and filters stay local.
    if (this.d.name === 'duckdb') return this.d.trim(expression, characterSet(FOLD_TRIM_CHARACTERS));
    return this.d.trim(expression, ref(CONSTANTS.foldTrim));
  }

  /**
   * DuckDB: whether the text (an expression, read several times) is ASCII and neither starts nor
   * ends with white space, so that trimming (JavaScript's or folding's) leaves it as it is and
   * folding only lowercases it. NULL for NULL. Undefined for PostgreSQL (no fast paths there).
   */
  plainText(expression: string): string | undefined {
    const d = this.d;
    if (d.name !== 'duckdb') return undefined;
    // Byte order: a first or last character from `!` on is not white space (for ASCII text; a
    // control character at either end is not plain either and takes the exact reading, which
    // reads every text). The last character: `substr` counts characters, `strlen` bytes, the
    // same for ASCII text (one comparison instead of six suffix tests: ~40% less time for the test).
    const last = `substr(${expression}, strlen(${expression}))`;
    return `(${d.isAscii(expression)} AND ${d.binary(expression)} >= '!' AND ${d.binary(last)} >= '!')`;
  }

  /** Trims JavaScript's white space (as `String.prototype.trim`). */
  jsTrim(expression: string, alias = 'p'): string {
    if (this.d.name === 'duckdb') {
      // Plain text is left as is; ASCII text needs only the six ASCII characters of the set
      // (trimming cost grows with the set); the sets are constants written in place.
      const ascii = this.d.trim(expression, characterSet(JS_TRIM_ASCII));
      const all = this.d.trim(expression, characterSet(jsTrimCharacters()));
      return `CASE WHEN ${this.plainText(expression) as string} THEN ${expression} WHEN ${this.d.isAscii(expression)} THEN ${ascii} ELSE ${all} END`;
    }
    // Trimming cost grows with the set: ASCII text only needs the six ASCII characters of it.
    const ascii = this.d.trim(expression, `${alias}.${CONSTANTS.jsTrimAscii}`);
    return `CASE WHEN ${this.d.isAscii(expression)} THEN ${ascii} ELSE ${this.d.trim(expression, `${alias}.${CONSTANTS.jsTrim}`)} END`;
  }

  /**
   * DuckDB: the number of text that is an integer written the canonical way (what it reads back
   * as), at most 15 characters: exact as a double, and `+text` in JavaScript. NULL otherwise.
   */
  fastNumber(text: string): string {
    const integer = `TRY_CAST(${text} AS BIGINT)`;
    return `CASE WHEN strlen(${text}) <= 15 AND ${this.d.binary(`CAST(${integer} AS VARCHAR)`)} = ${text} THEN CAST(${integer} AS DOUBLE) END`;
  }

  /**
   * DuckDB: epoch milliseconds of ISO text in one of {@link FAST_DATE_GLOBS} (digits where digits
   * go, so no sign, space or other letter), hours below 24, read by the TIMESTAMP cast; NULL
   * otherwise (and for dates that do not exist, which the cast refuses as `parseIsoDate` does).
   */
  fastDate(text: string): string {
    // One pattern tried, chosen by the length (cheaper than trying each).
    const shapes = FAST_DATE_GLOBS.map((glob) => `WHEN ${glob.replace(/\[0-9\]/g, '0').length} THEN ${text} GLOB '${glob}'`).join(' ');
    return `CASE WHEN CASE strlen(${text}) ${shapes} ELSE false END AND substr(${text}, 12, 2) < '24' THEN epoch_ms(TRY_CAST(${text} AS TIMESTAMP)) END`;
  }

  /**
   * DuckDB, with a day-first or month-first date order: epoch milliseconds of text in the common
   * fixed-width shapes `DD/MM/YYYY`, `DD/MM/YYYY HH:MM`, `DD/MM/YYYY HH:MM:SS` (`-` or `.` for
   * `/`, the same twice; `T` for the space), hours below 24, rewritten to ISO text and read by the
   * TIMESTAMP cast (which refuses a date that does not exist, and minutes or seconds of 60, as
   * the runtime does); NULL otherwise (the exact reading then decides).
   */
  fastOrderedDate(text: string): string {
    const date = '[0-9][0-9][-/.][0-9][0-9][-/.][0-9][0-9][0-9][0-9]';
    const time = '[ T][0-9][0-9]:[0-9][0-9]';
    const shapes = `CASE strlen(${text}) WHEN 10 THEN ${text} GLOB '${date}' WHEN 16 THEN ${text} GLOB '${date}${time}' WHEN 19 THEN ${text} GLOB '${date}${time}:[0-9][0-9]' ELSE false END`;
    const [first, second] = [`substr(${text}, 1, 2)`, `substr(${text}, 4, 2)`];
    const [dd, mm] = this.dialect.dates === 'day-first' ? [first, second] : [second, first];
    const iso = `substr(${text}, 7, 4) || '-' || ${mm} || '-' || ${dd} || CASE WHEN strlen(${text}) > 10 THEN ' ' || substr(${text}, 12) ELSE '' END`;
    return `CASE WHEN ${shapes} AND substr(${text}, 3, 1) = substr(${text}, 6, 1) AND (strlen(${text}) = 10 OR substr(${text}, 12, 2) < '24') THEN epoch_ms(TRY_CAST(${iso} AS TIMESTAMP)) END`;
  }

  /** Folds text already trimmed; `text` is a column or variable (read several times). */
  foldTrimmed(text: string): string {
    const d = this.d;
    const character = (ch: string): string =>
      `CASE WHEN ${d.isAscii(ch)} THEN ${d.asciiLower(ch)} ELSE coalesce(${d.listElement(ref(CONSTANTS.foldTo), d.listPosition(ref(CONSTANTS.foldFrom), ch))}, ${ch}) END`;
    return `CASE WHEN ${d.isAscii(text)} THEN ${d.asciiLower(text)} ELSE ${d.joinList(d.mapList(d.characters(text), character, 'rubric_c'))} END`;
  }

  /** Folds every element of a list (a column). */
  foldList(list: string): string {
    return this.d.mapList(list, (element) => this.foldTrimmed(this.foldTrim(element)), 'rubric_e');
  }

  /** `-?\d+(\.\d+)?` text (a column) to its double, exactly as JavaScript's `+text`; else NULL. */
  numberFromText(text: string): string {
    const d = this.d;
    if (d.name === 'duckdb') {
      // TRY_CAST reads decimal text correctly rounded (underflow gives 0); what overflows to an
      // infinity is missing, as JavaScript's Infinity is.
      const number = `TRY_CAST(${text} AS DOUBLE)`;
      return `CASE WHEN ${d.fullMatch(text, NUMBER)} AND isfinite(${number}) THEN ${number} END`;
    }
    // PostgreSQL's float8 input is correctly rounded but raises an error where JavaScript gives
    // Infinity (missing) or 0: decide those cases on the digits first.
    const integer = `ltrim(split_part(ltrim(${text}, '-'), '.', 1), '0')`;
    const fraction = `split_part(${text}, '.', 2)`;
    const padded = `(rpad(${fraction}, 1075, '0') COLLATE "C")`;
    const overflow = `(length(${integer}) > 309 OR (length(${integer}) = 309 AND (${integer} COLLATE "C") >= ${ref(CONSTANTS.numberMax)}))`;
    const underflow = `(${integer} = '' AND (${padded} < ${ref(CONSTANTS.numberMin)} OR (${padded} = ${ref(CONSTANTS.numberMin)} AND ltrim(substr(${fraction}, 1076), '0') = '')))`;
    return `CASE WHEN ${d.fullMatch(text, NUMBER)} THEN CASE WHEN ${overflow} THEN NULL WHEN ${underflow} THEN CAST(0 AS double precision) ELSE CAST(${text} AS double precision) END END`;
  }

  /**
   * Folded text (a column) to 1 for true/yes/1 and the dialect's true words, 0 for false/no/0
   * and its false words; else NULL. (The checker refuses a word in both lists.)
   */
  boolFromFolded(folded: string): string {
    const f = this.d.binary(folded);
    const trueWords = this.literals(['true', 'yes', '1', ...this.dialect.trueWords]);
    const falseWords = this.literals(['false', 'no', '0', ...this.dialect.falseWords]);
    return `CASE WHEN ${f} IN (${trueWords.join(', ')}) THEN 1 WHEN ${f} IN (${falseWords.join(', ')}) THEN 0 END`;
  }

  /**
   * Text already trimmed (a column) as `-?\d+(\.\d+)?` text of the same number when it is a
   * number in the dialect's format (design14.md: the separators dropped, a decimal comma as a
   * point, no `+`); else NULL.
   */
  normalNumber(trimmed: string): string {
    const d = this.d;
    const numbers = this.dialect.numbers;
    if (numbers === 'plain') return `CASE WHEN ${d.fullMatch(trimmed, TEXT_NUMBER.plain)} THEN ltrim(${trimmed}, '+') END`;
    // U+00A0 and U+202F separate thousands as a space does.
    const spaced = `translate(${trimmed}, chr(160) || chr(8239), '  ')`;
    // translate() drops the characters it has no replacement for: the group separators.
    const normal = numbers === 'decimal-comma' ? `translate(${spaced}, ', .', '.')` : `translate(${spaced}, ' ,', '')`;
    return `CASE WHEN ${d.fullMatch(spaced, TEXT_NUMBER[numbers])} THEN ltrim(${normal}, '+') END`;
  }

  /**
   * Text already trimmed (a column) as ISO 8601 text of the same instant: `D/M/YYYY[ HH:MM[:SS]]`
   * (or `-`, `.`; `T` for the space) in the dialect's date order rewritten as
   * `YYYY-MM-DDTHH:MM[:SS]`, and `YYYY-MM-DD HH:MM...` with its `T`; other text unchanged (the
   * ISO reading then checks the date exists and refuses the rest).
   */
  isoText(trimmed: string): string {
    const d = this.d;
    const spacedIso = `CASE WHEN substr(${trimmed}, 11, 1) = ' ' THEN substr(${trimmed}, 1, 10) || 'T' || substr(${trimmed}, 12) ELSE ${trimmed} END`;
    if (this.dialect.dates === 'iso') return spacedIso;
    const parts = `replace(${trimmed}, 'T', ' ')`;
    const day = `translate(split_part(${parts}, ' ', 1), '/.', '--')`;
    const time = `split_part(${parts}, ' ', 2)`;
    const [first, second] = [`split_part(${day}, '-', 1)`, `split_part(${day}, '-', 2)`];
    const [dd, mm] = this.dialect.dates === 'day-first' ? [first, second] : [second, first];
    const iso = `split_part(${day}, '-', 3) || '-' || lpad(${mm}, 2, '0') || '-' || lpad(${dd}, 2, '0') || CASE WHEN ${time} = '' THEN '' ELSE 'T' || ${time} END`;
    return `CASE WHEN ${d.fullMatch(trimmed, ORDERED_DATE)} THEN ${iso} ELSE ${spacedIso} END`;
  }

  /**
   * Epoch milliseconds of ISO 8601 text (the column `text`), exactly as the runtime's
   * `parseIsoDate`, in stages so each part is read once: the shape and the zone suffix, then the
   * parts as integers, then the day number (NULL for a date that does not exist), then the
   * instant. `n(suffix)` names the intermediate columns; the last stage writes `value`.
   */
  isoStages(text: string, n: (suffix: string) => string, value: string): ReadPlan {
    const d = this.d;
    const int = (expression: string): string => `CAST(${expression} AS INTEGER)`;
    const ok = ref(n('ok'));
    const zone = ref(n('z'));
    const part = (name: string) => ref(n(name));
    const hasTime = `${d.length(text)} > 10`;
    const partsStage: StepColumn[] = [
      { name: n('y'), expression: `CASE WHEN ${ok} THEN ${int(`substr(${text}, 1, 4)`)} END` },
      { name: n('mo'), expression: `CASE WHEN ${ok} THEN ${int(`substr(${text}, 6, 2)`)} END` },
      { name: n('d'), expression: `CASE WHEN ${ok} THEN ${int(`substr(${text}, 9, 2)`)} END` },
      { name: n('h'), expression: `CASE WHEN ${ok} AND ${hasTime} THEN ${int(`substr(${text}, 12, 2)`)} ELSE 0 END` },
      { name: n('mi'), expression: `CASE WHEN ${ok} AND ${hasTime} THEN ${int(`substr(${text}, 15, 2)`)} ELSE 0 END` },
      { name: n('se'), expression: `CASE WHEN ${ok} AND substr(${text}, 17, 1) = ':' THEN ${int(`substr(${text}, 18, 2)`)} ELSE 0 END` },
      // Milliseconds: the first three fraction digits (more are allowed and ignored).
      { name: n('ms'), expression: `CASE WHEN ${ok} AND substr(${text}, 20, 1) = '.' THEN ${int(d.rightPad(d.leadingDigits(`substr(${text}, 21, 3)`), 3, '0'))} ELSE 0 END` },
      { name: n('oh'), expression: `CASE WHEN ${d.length(zone)} >= 3 THEN ${int(`substr(${zone}, 2, 2)`)} ELSE 0 END` },
      { name: n('om'), expression: `CASE WHEN ${d.length(zone)} >= 5 THEN ${int(`right(${zone}, 2)`)} ELSE 0 END` },
      { name: n('sg'), expression: `CASE substr(${zone}, 1, 1) WHEN '+' THEN 1 WHEN '-' THEN -1 ELSE 0 END` },
    ];
    const [year, month, day] = [part('y'), part('mo'), part('d')];
    const leap = `((${year} % 4 = 0 AND ${year} % 100 <> 0) OR ${year} % 400 = 0)`;
    const daysInMonth = `CASE WHEN ${month} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
    const valid = [
      `${month} BETWEEN 1 AND 12`,
      `${day} >= 1`,
      `${day} <= ${daysInMonth}`,
      `${part('h')} <= 23`,
      `${part('mi')} <= 59`,
      `${part('se')} <= 59`,
      `${part('oh')} <= 23`,
      `${part('om')} <= 59`,
    ].join(' AND ');
    // H. Hinnant's days_from_civil, as the runtime: March-based years, 400-year eras.
    const marchYear = `(${year} - CASE WHEN ${month} <= 2 THEN 1 ELSE 0 END)`;
    const era = `CASE WHEN ${marchYear} >= 0 THEN ${d.divide(marchYear, '400')} ELSE -1 END`;
    const yearOfEra = `(${marchYear} - (${era}) * 400)`;
    const marchMonth = `((${month} + 9) % 12)`;
    const dayOfYear = `(${d.divide(`153 * ${marchMonth} + 2`, '5')} + ${day} - 1)`;
    const dayOfEra = `(${yearOfEra} * 365 + ${d.divide(yearOfEra, '4')} - ${d.divide(yearOfEra, '100')} + ${dayOfYear})`;
    const days = `CAST(${era} AS BIGINT) * 146097 + ${dayOfEra} - 719468`;
    const offset = `CAST(${part('sg')} * (${part('oh')} * 60 + ${part('om')}) AS BIGINT) * 60000`;
    const millis = `${part('days')} * 86400000 + CAST(${part('h')} AS BIGINT) * 3600000 + CAST(${part('mi')} AS BIGINT) * 60000 + CAST(${part('se')} AS BIGINT) * 1000 + ${part('ms')} - ${offset}`;
    return [
      [
        { name: n('ok'), expression: `coalesce(${d.fullMatch(text, ISO_DATE)}, false)` },
        { name: n('z'), expression: `CASE WHEN ${d.length(text)} > 10 THEN ${d.suffixMatch(text, ZONE)} ELSE '' END` },
      ],
      partsStage,
      [{ name: n('days'), expression: `CASE WHEN ${ok} AND ${valid} THEN ${days} END` }],
      [{ name: value, expression: millis }],
    ];
  }

  /**
   * The stages reading one value (`spec`) from the raw column `raw` (a `p.` column of the stage
   * before), ending with the column `v{id}`.
   */
  plan(id: string, spec: ReadSpec, raw: string): ReadPlan {
    const exact = this.exactPlan(id, spec, raw);
    const d = this.d;
    const { type, format } = spec;
    if (!this.fastPaths || d.name !== 'duckdb' || (format !== 'csv' && format !== 'text')) return exact;
    const n = (suffix: string): string => `x${id}_${suffix}`;
    const value = `v${id}`;
    const text = d.castText(raw);
    const gate = (test: string, column: StepColumn): StepColumn => ({ name: column.name, expression: `CASE WHEN ${test} THEN ${column.expression} END` });
    switch (type) {
      case 'number':
      case 'date': {
        // The fast value, else the exact stages (run only where the fast value is NULL). The fast
        // forms are ASCII with nothing to trim: such a text is a placeholder when its lowercase is.
        const ordered = type === 'date' && this.dialect.dates !== 'iso';
        const fastValue = type === 'number' ? this.fastNumber(text) : ordered ? `coalesce(${this.fastDate(text)}, ${this.fastOrderedDate(text)})` : this.fastDate(text);
        // The placeholders a fast value could be (digits, and for dates the ISO `t` and `z`).
        const placeholders = (spec.missing ?? []).filter((value) => (type === 'number' ? /^-?[0-9]+$/ : /^[0-9][0-9tz :./-]*$/).test(value));
        const fastExpression = placeholders.length === 0 ? fastValue : `CASE WHEN ${this.isPlaceholder(d.asciiLower(text), placeholders)} THEN NULL ELSE ${fastValue} END`;
        const fast = ref(n('q'));
        const exactValue = n('e');
        const gated = exact.map((stage) => stage.map((column) => gate(`${fast} IS NULL`, column.name === value ? { name: exactValue, expression: column.expression } : column)));
        return [[{ name: n('q'), expression: fastExpression }], ...gated, [{ name: value, expression: `coalesce(${fast}, ${ref(exactValue)})` }]];
      }
      case 'text':
      case 'one-of':
      case 'bool': {
        // Plain text folds to its lowercase: the stages before the folded column `f` run only
        // for the other values; the stages after it read `f` either way.
        const plain = ref(n('p'));
        const folded = n('f');
        let before = true;
        const stages = exact.map((stage) =>
          stage.map((column) => {
            if (column.name === folded) {
              before = false;
              return { name: folded, expression: `CASE WHEN ${plain} THEN ${d.asciiLower(text)} ELSE ${column.expression} END` };
            }
            return before ? gate(`NOT ${plain}`, column) : column;
          }),
        );
        // A NULL takes the fast path too (lower(NULL) is NULL, as the exact reading gives): the
        // exact folding costs as much on a NULL as on text.
        return [[{ name: n('p'), expression: `coalesce(${this.plainText(text) as string}, ${raw} IS NULL)` }], ...stages];
      }
      default:
        return exact;
    }
  }

  /** {@link plan} without the DuckDB fast paths: the exact reading, as the runtime does it. */
  private exactPlan(id: string, spec: ReadSpec, raw: string): ReadPlan {
    const d = this.d;
    const { type, format } = spec;
    const missing = spec.missing ?? [];
    const n = (suffix: string): string => `x${id}_${suffix}`;
    const value = `v${id}`;
    const col = (name: string, expression: string): StepColumn => ({ name, expression });
    const text = d.castText(raw);

    /**
     * Stages producing the JavaScript-level string in the column `s` (NULL when the value is not
     * a string): a text or csv column as it is, or a JSON string.
     */
    const stringStages = (): ReadPlan => {
      switch (format) {
        case 'text':
        case 'csv':
          return [[col(n('s'), text)]];
        case 'json':
          return [[col(n('j'), d.castJson(raw))], [col(n('s'), d.jsonString(ref(n('j'))))]];
        default:
          throw new Error(`internal: format ${format} has no text`);
      }
    };
    // The string trimmed, then folded (`t`, `f`); a placeholder is NULL from `f` on.
    const foldStages = (): ReadPlan => [
      ...stringStages(),
      [col(n('t'), this.foldTrim(ref(n('s'))))],
      [col(n('f'), this.foldTrimmed(ref(n('t'))))],
    ];
    const unlessPlaceholder = (folded: string, expression: string): string =>
      missing.length === 0 ? expression : `CASE WHEN ${this.isPlaceholder(folded, missing)} THEN NULL ELSE ${expression} END`;

    switch (type) {
      case 'number': {
        if (format === 'number') return [[col(value, d.finiteDouble(d.castDouble(raw)))]];
        const stages = stringStages();
        const trimmed = ref(n('t'));
        const normal = this.normalNumber(trimmed);
        stages.push([col(n('t'), this.foldTrim(ref(n('s'))))]);
        stages.push([col(n('n'), missing.length === 0 ? normal : `CASE WHEN ${this.trimmedIsPlaceholder(trimmed, missing)} THEN NULL ELSE ${normal} END`)]);
        const fromText = this.numberFromText(ref(n('n')));
        if (format !== 'json') return [...stages, [col(value, fromText)]];
        const json = ref(n('j'));
        if (d.name === 'postgres') {
          // jsonb prints a JSON number as plain decimal text, read like any number text.
          stages[1].push(col(n('k'), d.jsonNumberText(json)));
          return [...stages, [col(value, `coalesce(${fromText}, ${this.numberFromText(ref(n('k')))})`)]];
        }
        stages[1].push(col(n('k'), `CASE WHEN ${d.jsonIsNumber(json)} THEN ${d.jsonNumber(json)} END`));
        return [...stages, [col(value, `coalesce(${fromText}, ${d.finiteDouble(ref(n('k')))})`)]];
      }
      case 'bool': {
        if (format === 'bool') {
          const b = `CAST(${raw} AS BOOLEAN)`;
          return [[col(value, `CASE WHEN ${b} THEN 1 WHEN NOT ${b} THEN 0 END`)]];
        }
        const stages = foldStages();
        const fromText = unlessPlaceholder(ref(n('f')), this.boolFromFolded(ref(n('f'))));
        if (format === 'json') {
          const json = ref(n('j'));
          stages[1].push(col(n('b'), `CASE WHEN ${d.jsonIsBoolean(json)} THEN CASE WHEN ${d.jsonBoolean(json)} THEN 1 ELSE 0 END END`));
          return [...stages, [col(value, `coalesce(${fromText}, ${ref(n('b'))})`)]];
        }
        return [...stages, [col(value, fromText)]];
      }
      case 'date': {
        if (format === 'timestamp') {
          const millis = ref(n('m'));
          return [
            [col(n('m'), d.timestampMillis(raw))],
            [col(value, `CASE WHEN ${millis} BETWEEN -${MAX_DATE_MILLIS} AND ${MAX_DATE_MILLIS} THEN ${millis} END`)],
          ];
        }
        const trimmed = ref(n('t'));
        const iso = this.isoText(trimmed);
        return [
          ...stringStages(),
          [col(n('t'), this.foldTrim(ref(n('s'))))],
          [col(n('i'), missing.length === 0 ? iso : `CASE WHEN ${this.trimmedIsPlaceholder(trimmed, missing)} THEN NULL ELSE ${iso} END`)],
          ...this.isoStages(ref(n('i')), n, value),
        ];
      }
      case 'text':
      case 'one-of': {
        const stages = foldStages();
        const folded = ref(n('f'));
        if (type === 'text') return [...stages, [col(value, unlessPlaceholder(folded, `NULLIF(${folded}, '')`))]];
        const allowed = this.literals(spec.oneOf ?? []).filter((literal) => literal !== "''");
        const member = allowed.length === 0 ? 'false' : `${d.binary(folded)} IN (${allowed.join(', ')})`;
        return [...stages, [col(value, unlessPlaceholder(folded, `CASE WHEN ${member} THEN ${folded} END`))]];
      }
      case 'list':
        return this.listPlan(n, value, format, raw, missing);
    }
  }

  /**
   * A list: an array of strings (a `list` column, a JSON array), each folded, placeholders
   * dropped; or text (a text or csv column, a JSON string) split on `;` and `|`, each item
   * trimmed and folded, blank items and placeholders dropped. Nothing left: NULL.
   */
  private listPlan(n: (suffix: string) => string, value: string, format: SqlColumnFormat, raw: string, missing: readonly string[]): ReadPlan {
    const d = this.d;
    const col = (name: string, expression: string): StepColumn => ({ name, expression });
    const literals = this.literals(missing);
    const keep = (extra: (element: string) => string[]) => (element: string) =>
      [...extra(element), ...(literals.length === 0 ? [] : [`NOT (${d.binary(element)} IN (${literals.join(', ')}))`])].join(' AND ') || 'true';
    const nonEmpty = (list: string) => `CASE WHEN ${d.listLength(list)} > 0 THEN ${list} END`;
    // Items of an array, folded, placeholders dropped (blank items stay, as the runtime keeps them).
    const fromArray = (list: string) => (literals.length === 0 ? this.foldList(list) : d.filterList(this.foldList(list), keep(() => []), 'rubric_r'));
    // Text split into folded items, blank ones and placeholders dropped.
    const fromText = (textColumn: string) =>
      d.filterList(
        d.mapList(d.splitText(textColumn, '[;|]'), (item) => this.foldTrimmed(this.foldTrim(item)), 'rubric_p'),
        keep((item) => [`${item} <> ''`]),
        'rubric_q',
      );
    // Text that is one placeholder as a whole (one holding `;` or `|`, which splitting would cut).
    const whole = missing.filter((placeholder) => /[;|]/.test(placeholder));
    const splitSource = (textColumn: string): string =>
      whole.length === 0 ? textColumn : `CASE WHEN ${this.isPlaceholder(this.foldTrimmed(this.foldTrim(textColumn)), whole)} THEN NULL ELSE ${textColumn} END`;
    switch (format) {
      case 'list': {
        const list = ref(n('l'));
        return [
          [col(n('l'), d.castTextList(raw))],
          [col(n('s'), `CASE WHEN ${d.listLength(list)} > 0 AND NOT ${d.listHasNull(list)} THEN ${list} END`)],
          [col(n('a'), fromArray(ref(n('s'))))],
          [col(value, nonEmpty(ref(n('a'))))],
        ];
      }
      case 'json': {
        const json = ref(n('j'));
        return [
          [col(n('j'), d.castJson(raw))],
          [col(n('s'), d.jsonTextList(json)), col(n('u'), d.jsonString(json))],
          [col(n('a'), fromArray(ref(n('s')))), col(n('w'), splitSource(ref(n('u'))))],
          [col(n('b'), fromText(ref(n('w'))))],
          [col(value, `coalesce(${nonEmpty(ref(n('a')))}, ${nonEmpty(ref(n('b')))})`)],
        ];
      }
      default:
        return [
          [col(n('w'), splitSource(d.castText(raw)))],
          [col(n('l'), fromText(ref(n('w'))))],
          [col(value, nonEmpty(ref(n('l'))))],
        ];
    }
  }
}

/** The constants CTE's columns for this query. */
export function constantColumns(d: SqlDialect, needs: { fold: boolean; jsTrim: boolean; numbers: boolean }, now: string): StepColumn[] {
  const columns: StepColumn[] = [];
  if (needs.fold) {
    const { from, to } = foldTableTexts();
    columns.push({ name: CONSTANTS.foldFrom, expression: d.characters(d.text(from)) });
    columns.push({ name: CONSTANTS.foldTo, expression: d.characters(d.text(to)) });
    // DuckDB writes the trimming sets in place (ValueReader.foldTrim and jsTrim).
    if (d.name !== 'duckdb') columns.push({ name: CONSTANTS.foldTrim, expression: characterSet(FOLD_TRIM_CHARACTERS) });
  }
  if (needs.jsTrim && d.name !== 'duckdb') {
    const characters = jsTrimCharacters();
    columns.push({ name: CONSTANTS.jsTrim, expression: characterSet(characters) });
    columns.push({ name: CONSTANTS.jsTrimAscii, expression: characterSet([...characters].filter((ch) => ch < '\u0080').join('')) });
  }
  if (needs.numbers && d.name === 'postgres') {
    columns.push({ name: CONSTANTS.numberMax, expression: `'${numberOverflowDigits()}' COLLATE "C"` });
    columns.push({ name: CONSTANTS.numberMin, expression: `'${numberUnderflowDigits()}' COLLATE "C"` });
  }
  columns.push({ name: CONSTANTS.now, expression: now });
  return columns;
}
