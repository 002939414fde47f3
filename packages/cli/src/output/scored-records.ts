/**
 * The shape of `rubric score` output: every input column, then `score`, `stage`, `tier`, one
 * column per group and, with `--explain`, `why`. An input column with one of those names is
 * replaced by the computed value (so scoring a scored file again gives the same columns).
 */
import type { Writable } from 'node:stream';
import type { ScoreResult } from '@rubric/core';
import { CliError } from '../context.js';
import { emptyRecord } from '../input/leads.js';
import { isBlankColumn } from '../input/blank-columns.js';
import { csvCell, CsvWriter, encodeCsvCell, encodeCsvLine, JsonLinesWriter, PLAIN_CSV_STYLE, type CsvStyle, type OutputFormat } from './writers.js';

/**
 * The output column of each group: `prefix` + the group's name. Throws a {@link CliError} (before
 * anything is read) when one would have the name of a computed column (`score`, `stage`,
 * `tier`, `why` with --explain): both would be written in one column, and one lost.
 */
export function groupColumnsOf(groups: readonly string[], prefix: string, explain: boolean): string[] {
  const computed = new Map([
    ['score', 'the score'],
    ['stage', 'the stage'],
    ['tier', 'the tier'],
    ...(explain ? [['why', 'the explanation'] as const] : []),
  ]);
  return groups.map((group) => {
    const column = `${prefix}${group}`;
    const taken = computed.get(column);
    if (taken !== undefined) {
      throw new CliError(`group \`${group}\` would be written in the column \`${column}\`, which holds ${taken}`, {
        help: `rename the group, or pass --group-prefix group_ to name the group columns \`group_${group}\` and so on`,
      });
    }
    return column;
  });
}

/** The computed columns, in order (`groupColumns` from {@link groupColumnsOf}). */
export function resultColumns(groupColumns: readonly string[], explain: boolean): string[] {
  return ['score', 'stage', 'tier', ...groupColumns, ...(explain ? ['why'] : [])];
}

/**
 * The computed values of one lead, by column: `groups` are the group names (keys of
 * `result.groups`), `groupColumns` their columns, in the same order.
 */
export function resultValues(
  result: ScoreResult,
  groups: readonly string[],
  groupColumns: readonly string[],
  why: string | undefined,
): Map<string, unknown> {
  const values = new Map<string, unknown>([
    ['score', result.score],
    ['stage', result.stage],
    ['tier', result.tier],
  ]);
  groups.forEach((group, i) => values.set(groupColumns[i], result.groups[group] ?? 0));
  if (why !== undefined) values.set('why', why);
  return values;
}

/**
 * A nested JSON lead as flat columns: nested objects become dotted names (`company.size`);
 * `events` is left out (it is not a column).
 */
export function flattenRecord(value: Readonly<Record<string, unknown>>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const key of Object.keys(value)) {
    if (prefix === '' && key === 'events') continue;
    const name = prefix === '' ? key : `${prefix}.${key}`;
    const child = value[key];
    if (typeof child === 'object' && child !== null && !Array.isArray(child) && !(child instanceof Date)) {
      flattenRecord(child as Readonly<Record<string, unknown>>, name, out);
    } else {
      out.set(name, child);
    }
  }
  return out;
}

/** Integers below this (in absolute value) have their text made once. */
const SMALL_INTEGERS = 1024;
const SMALL_INTEGER_TEXTS: readonly string[] = Array.from({ length: 2 * SMALL_INTEGERS - 1 }, (_, i) => String(i - SMALL_INTEGERS + 1));

/** Scores whose computed line end {@link ScoredRecordWriter} keeps. */
const MAX_CACHED_SUFFIXES = 4096;

function smallInteger(value: number): string {
  return SMALL_INTEGER_TEXTS[value + SMALL_INTEGERS - 1];
}

/** Writes scored records in the chosen format, from CSV rows or JSON objects. */
export class ScoredRecordWriter {
  private csv: CsvWriter | undefined;
  private readonly jsonl: JsonLinesWriter | undefined;
  private columns: string[] | undefined;
  private columnIndex = new Map<string, number>();
  private delimiter = ',';
  /** CSV output's line break (the input's: see `CsvStyle`). */
  private lineBreak: '\n' | '\r\n' = '\n';
  /**
   * CSV output whose computed columns all come after the input's (none replaces an input column,
   * no two share a name): a row is its input cells, then the computed cells, so the input part
   * can be copied through (see {@link pushScored}).
   */
  private appendOnly = false;
  /** Encoded stage and tier cells by name (a handful of names, encoded once). */
  private readonly nameCells = new Map<string, string>();
  /** Whether a number's text may hold the delimiter (then it is encoded like any cell). */
  private numbersNeedEncoding = false;
  /**
   * The computed part of a CSV line (delimiter, score, stage, tier, line break) for results
   * without groups or `why`, by score, with the stage and tier it was made for: a run gives a
   * few hundred distinct results at most, and a score mostly comes with one stage and tier, so
   * each row's line is its input text and one cached string instead of eight concatenations
   * (see {@link computedSuffix}).
   */
  private readonly suffixes = new Map<number, { readonly stage: string | null; readonly tier: string | null; readonly text: string }>();
  /** Input columns replaced by computed values (for the one-time warning). */
  replaced: string[] = [];
  /**
   * Positions of the input columns with no name (blank-columns.ts): JSON Lines output leaves
   * them out (one object cannot hold several empty keys); CSV output keeps them as read.
   */
  private unnamed: ReadonlySet<number> = new Set();

  constructor(
    private readonly stream: Writable,
    readonly format: OutputFormat,
    private readonly computed: readonly string[],
  ) {
    if (format === 'jsonl') this.jsonl = new JsonLinesWriter(stream);
  }

  /**
   * Fixes the output columns from the input's columns (CSV header, or the first JSON lead); CSV
   * output uses the input's delimiter, so a `;` file stays a `;` file, and `style`: its line
   * break and byte order mark.
   */
  setInputColumns(inputColumns: readonly string[], delimiter = ',', style: CsvStyle = PLAIN_CSV_STYLE, writeHeader = true): void {
    if (this.columns !== undefined) return;
    const computed = new Set(this.computed);
    this.replaced = inputColumns.filter((column) => computed.has(column));
    this.unnamed = new Set(inputColumns.flatMap((column, index) => (isBlankColumn(column) ? [index] : [])));
    const columns = [...inputColumns];
    for (const column of this.computed) if (!inputColumns.includes(column)) columns.push(column);
    this.columns = columns;
    this.columnIndex = new Map(columns.map((column, index) => [column, index]));
    this.delimiter = delimiter;
    this.lineBreak = style.lineBreak;
    if (this.format === 'csv') this.csv = new CsvWriter(this.stream, columns, delimiter, style, writeHeader);
    this.appendOnly = this.format === 'csv' && this.replaced.length === 0 && new Set(this.computed).size === this.computed.length;
    // The only characters the text of a number can hold (`-1.5e-7`, `Infinity`, `NaN`).
    this.numbersNeedEncoding = /[-+.0-9eEInfityNa]/.test(delimiter);
  }

  get hasColumns(): boolean {
    return this.columns !== undefined;
  }

  /** Writes a CSV input row (raw cells kept as read) with its computed values. */
  async writeRow(inputColumns: readonly string[], fields: readonly string[], values: ReadonlyMap<string, unknown>): Promise<void> {
    if (this.csv !== undefined) {
      const row: unknown[] = [...fields];
      for (const [column, value] of values) row[this.columnIndex.get(column) ?? row.length] = value;
      await this.csv.writeRow(row);
      return;
    }
    const record = emptyRecord();
    for (let i = 0; i < inputColumns.length; i++) if (!this.unnamed.has(i)) record[inputColumns[i]] = fields[i];
    for (const [column, value] of values) record[column] = value;
    await this.jsonl?.writeObject(record);
  }

  /**
   * Adds a CSV input row and its result to the output without writing it yet (call
   * {@link flushIfFull} between batches): the same text as
   * `writeRow(inputColumns, fields, resultValues(result, groups, groupColumns, why))`, built without the map
   * and, when `raw` is given (the row's text, see `InputItem`), without encoding the input cells
   * again. The writer's computed columns must be `resultColumns(groupColumns, why !== undefined)`.
   */
  pushScored(
    inputColumns: readonly string[],
    fields: readonly string[],
    raw: string | undefined,
    result: ScoreResult,
    groups: readonly string[],
    groupColumns: readonly string[],
    why: string | undefined,
  ): void {
    if (this.csv !== undefined && this.appendOnly && this.computed.length === 3 + groups.length + (why === undefined ? 0 : 1)) {
      if (groups.length === 0 && why === undefined && fields.length > 0) {
        this.csv.pushLine((raw ?? this.encodedCells(fields)) + this.computedSuffix(result));
        return;
      }
      const delimiter = this.delimiter;
      let line = raw ?? this.encodedCells(fields);
      if (fields.length > 0) line += delimiter;
      line += this.numberCell(result.score);
      line += delimiter;
      line += this.nameCell(result.stage);
      line += delimiter;
      line += this.nameCell(result.tier);
      for (let i = 0; i < groups.length; i++) {
        line += delimiter;
        line += this.numberCell(result.groups[groups[i]] ?? 0);
      }
      if (why !== undefined) {
        line += delimiter;
        line += encodeCsvCell(why, delimiter);
      }
      this.csv.pushLine(line + this.lineBreak);
      return;
    }
    const values = resultValues(result, groups, groupColumns, why);
    if (this.csv !== undefined) {
      const row: unknown[] = [...fields];
      for (const [column, value] of values) row[this.columnIndex.get(column) ?? row.length] = value;
      this.csv.pushLine(encodeCsvLine(row.map(csvCell), this.delimiter, this.lineBreak));
      return;
    }
    const record = emptyRecord();
    for (let i = 0; i < inputColumns.length; i++) if (!this.unnamed.has(i)) record[inputColumns[i]] = fields[i];
    for (const [column, value] of values) record[column] = value;
    this.jsonl?.pushObject(record);
  }

  /**
   * Writes rows as another writer of the same columns made them ({@link takeLines}), encoded as
   * UTF-8, after what was pushed before (and the header, when this writer writes one).
   */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.csv !== undefined) await this.csv.writeBytes(bytes);
    else await this.jsonl?.writeBytes(bytes);
  }

  /** The rows pushed so far as text, taken instead of written: a piece's rows, written by {@link writeBytes} elsewhere. */
  takeLines(): string {
    return this.csv?.take() ?? this.jsonl?.take() ?? '';
  }

  /** Writes what {@link pushScored} gathered once there is a batch of it. */
  async flushIfFull(): Promise<void> {
    await this.csv?.flushIfFull();
    await this.jsonl?.flushIfFull();
  }

  private encodedCells(fields: readonly string[]): string {
    let text = '';
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) text += this.delimiter;
      text += encodeCsvCell(fields[i], this.delimiter);
    }
    return text;
  }

  /**
   * What the general path of {@link pushScored} appends to a row's input cells for `result`
   * (no groups, no `why`): the same text, from the cache when the score was last met with the
   * same stage and tier (at most {@link MAX_CACHED_SUFFIXES} scores are kept; past that the text
   * of a new score is made for each row).
   */
  private computedSuffix(result: ScoreResult): string {
    const { score, stage, tier } = result;
    const cached = this.suffixes.get(score);
    if (cached !== undefined && cached.stage === stage && cached.tier === tier) return cached.text;
    const delimiter = this.delimiter;
    const text = delimiter + this.numberCell(score) + delimiter + this.nameCell(stage) + delimiter + this.nameCell(tier) + this.lineBreak;
    // The last stage and tier met with this score replace the ones before.
    if (cached !== undefined || this.suffixes.size < MAX_CACHED_SUFFIXES) this.suffixes.set(score, { stage, tier, text });
    return text;
  }

  /** A number as `csvCell` and `encodeCsvLine` write it. */
  private numberCell(value: number): string {
    // -0 is written `0` (=== 0 holds for it); scores and group values are mostly small integers.
    const text = value === 0 ? '0' : (value | 0) === value && value > -SMALL_INTEGERS && value < SMALL_INTEGERS ? smallInteger(value) : String(value);
    return this.numbersNeedEncoding ? encodeCsvCell(text, this.delimiter) : text;
  }

  /** A stage or tier (or none) as `csvCell` and `encodeCsvLine` write it. */
  private nameCell(name: string | null): string {
    if (name === null) return '';
    let cell = this.nameCells.get(name);
    if (cell === undefined) {
      cell = encodeCsvCell(name, this.delimiter);
      if (this.nameCells.size < 1000) this.nameCells.set(name, cell);
    }
    return cell;
  }

  /**
   * Writes a JSON input lead with its computed values. In CSV, the columns were fixed by the
   * first lead: returns the keys of this lead that have no column (they are not written).
   */
  async writeObject(value: Readonly<Record<string, unknown>>, values: ReadonlyMap<string, unknown>): Promise<string[]> {
    if (this.jsonl !== undefined) {
      const record = emptyRecord();
      for (const key of Object.keys(value)) record[key] = value[key];
      for (const [column, computed] of values) record[column] = computed;
      await this.jsonl.writeObject(record);
      return [];
    }
    const flat = flattenRecord(value);
    const row: unknown[] = new Array<unknown>(this.columns?.length ?? 0).fill('');
    const dropped: string[] = [];
    for (const [name, cell] of flat) {
      const index = this.columnIndex.get(name);
      if (index === undefined) dropped.push(name);
      else row[index] = cell;
    }
    for (const [column, computed] of values) row[this.columnIndex.get(column) ?? row.length] = computed;
    await this.csv?.writeRow(row);
    return dropped;
  }

  async finish(): Promise<void> {
    await this.csv?.finish();
    await this.jsonl?.finish();
  }
}
