/**
 * Reading a data file (leads, history or events) exactly as `rubric score` reads it: one place
 * for the decoding (`--encoding`, byte order marks), the format's reader and, for leads, the
 * lead each record becomes. `score`, `backtest`, `diff --leads`, the DuckDB engine's JavaScript
 * path, `explain` and `profile` read through here, so a record is read the same by all of them.
 */
import type { LeadEvent } from '@rubric/core';
import type { CommandContext } from '../context.js';
import { readCsv, readCsvBatches } from './csv.js';
import { readJsonArray, readJsonLines } from './json.js';
import { columnRoles, LeadRowReader, leadFromRow, type CellProblem, type ColumnRole, type Schema } from './leads.js';
import { encodingNotice, openInput, type InputFormat, type InputItem, type InputSource, type ReadOptions } from './source.js';

/**
 * The items of an opened input (see {@link InputItem}), one at a time. `delimiter`: the CSV
 * delimiter (detected from the header when undefined). A file read as `--encoding` says but
 * that looks like UTF-8 gives a notice first (`encodingNotice`).
 */
export async function* readItems(input: InputSource, format: InputFormat, delimiter?: string): AsyncGenerator<InputItem> {
  let checked = false;
  for await (const item of formatItems(input, format, delimiter)) {
    if (!checked) {
      // The decoder has seen the first bytes by the time the first item comes.
      checked = true;
      const notice = encodingNotice(input);
      if (notice !== undefined) yield { kind: 'notice', message: notice };
    }
    yield item;
  }
}

function formatItems(input: InputSource, format: InputFormat, delimiter: string | undefined): AsyncGenerator<InputItem> {
  const named = input.encodingOption === undefined ? {} : { encodingOption: input.encodingOption };
  if (format === 'csv') return readCsv(input.chunks(), { ...(delimiter === undefined ? {} : { delimiter }), path: input.path, ...named });
  if (format === 'jsonl') return readJsonLines(input.chunks(), input.path, named);
  return readJsonArray(input.chunks(), input.path, named);
}

/**
 * The input's items in batches: a chunk's CSV rows at once (one await per chunk, not per row).
 * `--engine duckdb` reads with it too whenever a file needs the JavaScript reader's rules.
 * `keepRaw`: CSV rows carry their text when it can be written back as it is (`InputItem.raw`).
 */
export async function* readItemBatches(
  input: InputSource,
  format: InputFormat,
  delimiter: string | undefined,
  keepRaw = false,
): AsyncGenerator<readonly InputItem[]> {
  if (format === 'csv') {
    let checked = false;
    for await (const batch of readCsvBatches(input.chunks(), { ...(delimiter === undefined ? {} : { delimiter }), keepRaw, path: input.path, ...(input.encodingOption === undefined ? {} : { encodingOption: input.encodingOption }) })) {
      if (!checked) {
        checked = true;
        const notice = encodingNotice(input);
        if (notice !== undefined) yield [{ kind: 'notice', message: notice }];
      }
      yield batch;
    }
    return;
  }
  for await (const item of readItems(input, format, delimiter)) yield [item];
}

/** One record of a leads file as `rubric score` reads it (see {@link readLeadRecords}). */
export type LeadRecord =
  /** The CSV header: its columns as written (the lead's keys), its delimiter and line break. */
  | { readonly kind: 'header'; readonly line: number; readonly columns: readonly string[]; readonly delimiter: string; readonly lineBreak: '\n' | '\r\n' | '\r' }
  | {
      readonly kind: 'lead';
      /** The record's 1-based position among the records read (rejected ones count too). */
      readonly row: number;
      readonly line: number;
      /**
       * The lead as the scorer is given it: a CSV row's field columns by column name (cells as
       * `rubric score` passes them), or the JSON object itself.
       */
      readonly lead: Readonly<Record<string, unknown>>;
      /** The events of a CSV row's `events` column (a JSON lead's own are in `lead.events`). */
      readonly events?: readonly LeadEvent[];
      /** Cells that could not be read (an `events` cell that is not a JSON array): treated as missing. */
      readonly problems: readonly CellProblem[];
      /** A CSV row's cells as read, in column order. */
      readonly fields?: readonly string[];
    }
  /** A record that is not scored (the reader's reason, or a cell that cannot be used at all). */
  | { readonly kind: 'rejected'; readonly row: number; readonly line: number; readonly column?: number; readonly field?: string; readonly message: string; readonly text: string }
  /** Something to tell the user that is not a record (invalid UTF-8 met, a truncated JSON array). */
  | { readonly kind: 'notice'; readonly message: string };

/** Where a leads file is and how to read it (see {@link readLeadRecords}). */
export interface LeadFileOptions extends ReadOptions {
  readonly format: InputFormat;
  /** The CSV delimiter (default: detected from the header). */
  readonly delimiter?: string;
  /**
   * Told the opened input, whose `encoding` and `bom` are known once the first record came (for
   * a caller that reports them: the file, a pipe or stdin, is not opened twice).
   */
  readonly onOpen?: (input: InputSource) => void;
}

/**
 * Reads a leads file (or stdin for `-`) into leads exactly as `rubric score` reads and scores
 * them: the same decoding (`options.encoding`, byte order marks), the same reader (the same
 * records read, the same ones rejected with the same lines and messages), and for CSV the same
 * lead per row (`LeadRowReader`, or `leadFromRow` when there is an `events` column). Records are
 * numbered in `row` from 1 as `rubric score` counts them (`rows: N read`), rejected ones too.
 * Memory stays flat: one batch of records at a time. Throws a `CliError` when the file cannot be
 * opened. The caller validates and scores (`scorer.explain(record.lead, {now, events})`).
 */
export async function* readLeadRecords(context: CommandContext, userPath: string, schema: Schema, options: LeadFileOptions): AsyncGenerator<LeadRecord> {
  for await (const batch of readLeadRecordBatches(context, userPath, schema, options)) yield* batch;
}

/**
 * {@link readLeadRecords} a batch of records at a time (the input's batches): the same records in
 * the same order, for a caller that reads many (one promise per batch, not per record).
 */
export async function* readLeadRecordBatches(context: CommandContext, userPath: string, schema: Schema, options: LeadFileOptions): AsyncGenerator<readonly LeadRecord[]> {
  const input = await openInput(context, userPath, options);
  options.onOpen?.(input);
  let row = 0;
  let columns: readonly string[] = [];
  let roles: readonly ColumnRole[] = [];
  let reader: LeadRowReader | undefined;
  try {
    for await (const batch of readItemBatches(input, options.format, options.delimiter)) {
      const records: LeadRecord[] = [];
      for (const item of batch) {
        switch (item.kind) {
          case 'header':
            columns = item.columns;
            roles = columnRoles(columns, schema);
            reader = LeadRowReader.plan(columns, roles);
            records.push(item);
            break;
          case 'notice':
            records.push(item);
            break;
          case 'bad':
            row += 1;
            records.push({ kind: 'rejected', row, line: item.line, ...(item.column !== undefined ? { column: item.column } : {}), message: item.message, text: item.text });
            break;
          case 'object':
            row += 1;
            records.push({ kind: 'lead', row, line: item.line, lead: item.value, problems: NO_CELL_PROBLEMS });
            break;
          case 'row': {
            row += 1;
            if (reader !== undefined) {
              records.push({ kind: 'lead', row, line: item.line, lead: reader.read(item.fields), problems: NO_CELL_PROBLEMS, fields: item.fields });
              break;
            }
            const built = leadFromRow(columns, roles, item.fields);
            if (built.rejected !== undefined) {
              const { column, field, message, value } = built.rejected;
              records.push({ kind: 'rejected', row, line: item.line, column, field, message, text: value });
              break;
            }
            records.push({
              kind: 'lead',
              row,
              line: item.line,
              lead: built.lead,
              ...(built.events !== undefined ? { events: built.events } : {}),
              problems: built.problems,
              fields: item.fields,
            });
            break;
          }
        }
      }
      yield records;
    }
  } finally {
    await input.close();
  }
}

const NO_CELL_PROBLEMS: readonly CellProblem[] = Object.freeze([]);
