/**
 * The shape of `rubric score` output: every input column, then `score`, `stage`, `tier`, one
 * column per group and, with `--explain`, `why`. An input column with one of those names is
 * replaced by the computed value (so scoring a scored file again gives the same columns).
 */
import type { Writable } from 'node:stream';
import type { ScoreResult } from '@rubric/core';
import { emptyRecord } from '../input/leads.js';
import { CsvWriter, JsonLinesWriter, type OutputFormat } from './writers.js';

/** The computed columns, in order. */
export function resultColumns(groups: readonly string[], explain: boolean): string[] {
  return ['score', 'stage', 'tier', ...groups, ...(explain ? ['why'] : [])];
}

/** The computed values of one lead, by column. */
export function resultValues(result: ScoreResult, groups: readonly string[], why: string | undefined): Map<string, unknown> {
  const values = new Map<string, unknown>([
    ['score', result.score],
    ['stage', result.stage],
    ['tier', result.tier],
  ]);
  for (const group of groups) values.set(group, result.groups[group] ?? 0);
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

/** Writes scored records in the chosen format, from CSV rows or JSON objects. */
export class ScoredRecordWriter {
  private csv: CsvWriter | undefined;
  private readonly jsonl: JsonLinesWriter | undefined;
  private columns: string[] | undefined;
  private columnIndex = new Map<string, number>();
  /** Input columns replaced by computed values (for the one-time warning). */
  replaced: string[] = [];

  constructor(
    private readonly stream: Writable,
    readonly format: OutputFormat,
    private readonly computed: readonly string[],
  ) {
    if (format === 'jsonl') this.jsonl = new JsonLinesWriter(stream);
  }

  /**
   * Fixes the output columns from the input's columns (CSV header, or the first JSON lead); CSV
   * output uses the input's delimiter, so a `;` file stays a `;` file.
   */
  setInputColumns(inputColumns: readonly string[], delimiter = ','): void {
    if (this.columns !== undefined) return;
    const computed = new Set(this.computed);
    this.replaced = inputColumns.filter((column) => computed.has(column));
    const columns = [...inputColumns];
    for (const column of this.computed) if (!inputColumns.includes(column)) columns.push(column);
    this.columns = columns;
    this.columnIndex = new Map(columns.map((column, index) => [column, index]));
    if (this.format === 'csv') this.csv = new CsvWriter(this.stream, columns, delimiter);
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
    for (let i = 0; i < inputColumns.length; i++) record[inputColumns[i]] = fields[i];
    for (const [column, value] of values) record[column] = value;
    await this.jsonl?.writeObject(record);
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
