/**
 * Scoring one piece of a CSV file (a run of whole lines) as `rubric score` scores its rows, for a
 * worker thread: the piece's output text, its problems and its counts, all plain data, which the
 * main thread writes and reports in the file's order (see worker-pool.ts and `rubric score`).
 */
import { Buffer } from 'node:buffer';
import { Writable } from 'node:stream';
import { instantiateScorer, type InvalidValue, type RowPlan, type RowScorer, type Scorer, type ScoreOptions, type ScoreResult } from '@rubric/core';
import { readCsvBatches, type CsvPieceEnd } from '../input/csv.js';
import { idText } from '../input/events-join.js';
import { LeadRowReader, type ColumnRole } from '../input/leads.js';
import { renderWhy } from '../render/explanation.js';
import { ScoredRecordWriter } from '../output/scored-records.js';
import { StageCounts } from '../output/stage-counts.js';
import type { OutputFormat } from '../output/writers.js';

/** What every piece of one run shares: the scorer and the header read by the main thread. */
export interface PieceSetup {
  /** The compiled scorer's code with its row entry (`CompiledScorer.javascript`, compiled with `rows`). */
  readonly javascript: string;
  /** The header's columns, and the ones the scorer reads by index ('' for the others: `RowScorer.rowPlan`). */
  readonly columns: readonly string[];
  readonly plannedColumns: readonly string[];
  readonly delimiter: string;
  readonly lineBreak: '\n' | '\r\n';
  readonly outputFormat: OutputFormat;
  /** The writer's computed columns, the groups and their columns (`ScoredRecordWriter`). */
  readonly computedColumns: readonly string[];
  readonly groups: readonly string[];
  readonly groupColumns: readonly string[];
  /** The lead id column's index, or -1. */
  readonly idColumn: number;
  /** `--now` in epoch milliseconds. */
  readonly now: number;
  /** Rows written back as read when they need no quoting (CSV output). */
  readonly keepRaw: boolean;
  /** The file as messages name it, and the option that sets its encoding (the invalid UTF-8 notice). */
  readonly path: string;
  readonly encodingOption: string | undefined;
  /**
   * With `--explain`, the columns' roles (`columnRoles`): each row is read as a lead and
   * explained, its `why` written; undefined: each row is scored from its cells (`plannedColumns`).
   */
  readonly explainRoles: readonly ColumnRole[] | undefined;
}

/** One piece: its text (in chunks), starting with a record on `line`; `last` when the file ends with it. */
export interface PieceJob {
  readonly seq: number;
  readonly chunks: readonly string[];
  readonly line: number;
  readonly last: boolean;
}

/** A problem of a piece, in the order reading meets it. */
export type PieceProblem =
  | { readonly kind: 'notice'; readonly message: string }
  | { readonly kind: 'bad'; readonly line: number; readonly column: number | undefined; readonly text: string; readonly message: string }
  | { readonly kind: 'invalid'; readonly line: number; readonly lead: string | undefined; readonly invalid: readonly InvalidValue[] };

export interface PieceResult {
  readonly seq: number;
  /** The piece's output rows, as the run's writer writes them (no header), in UTF-8. */
  readonly output: Uint8Array;
  readonly problems: readonly PieceProblem[];
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsWithInvalidValues: number;
  /** Leads per stage (null: no stage). */
  readonly stages: ReadonlyArray<readonly [string | null, number]>;
  /** Where reading stopped, for a piece that is not the last (`rest` 0 when it read every record). */
  readonly end: CsvPieceEnd | undefined;
}

/** Output lines encoded at once (about 50 KB of the benchmark's rows). */
const LINES_PER_SLICE = 512;

/** Scores pieces of one file, one at a time. */
export class PieceScorer {
  private readonly scorer: Scorer & RowScorer;
  /** How rows are read: by column index, or (with `--explain`) as lead objects. */
  private readonly rows: { readonly kind: 'cells'; readonly plan: RowPlan } | { readonly kind: 'leads'; readonly reader: LeadRowReader };
  private readonly writer: ScoredRecordWriter;
  private readonly scoreOptions: ScoreOptions;

  constructor(private readonly setup: PieceSetup) {
    this.scorer = instantiateScorer(setup.javascript) as Scorer & RowScorer;
    if (setup.explainRoles === undefined) {
      this.rows = { kind: 'cells', plan: this.scorer.rowPlan(setup.plannedColumns) };
    } else {
      const reader = LeadRowReader.plan(setup.columns, setup.explainRoles);
      // The main thread sends no piece of a file whose rows it cannot read as leads (an `events` column).
      if (reader === undefined) throw new Error('a piece scorer for --explain needs rows without an events column');
      this.rows = { kind: 'leads', reader };
    }
    // The lines are taken (takeLines) and sent to the main thread: nothing is written here.
    const nowhere = new Writable({ write: (_chunk, _encoding, done) => done(new Error('a piece scorer writes nothing itself')) });
    this.writer = new ScoredRecordWriter(nowhere, setup.outputFormat, setup.computedColumns);
    this.writer.setInputColumns(setup.columns, setup.delimiter, { lineBreak: setup.lineBreak, bom: false }, false);
    this.scoreOptions = { now: new Date(setup.now) };
  }

  async score(job: PieceJob): Promise<PieceResult> {
    const { setup, writer } = this;
    const problems: PieceProblem[] = [];
    const stages = new StageCounts();
    // The output, encoded a slice at a time: a piece's lines held as strings until its end would
    // outlive the young generation, and collecting them there cost a sixth of scoring.
    const encoded: Buffer[] = [];
    let encodedBytes = 0;
    let sinceTaken = 0;
    let rowsRead = 0;
    let rowsRejected = 0;
    let rowsWithInvalidValues = 0;
    let end: CsvPieceEnd | undefined;
    const batches = readCsvBatches(eachChunk(job.chunks), {
      keepRaw: setup.keepRaw,
      path: setup.path,
      ...(setup.encodingOption === undefined ? {} : { encodingOption: setup.encodingOption }),
      resume: { columns: setup.columns, delimiter: setup.delimiter, line: job.line, noticedInvalid: false, skipping: false, skippedCr: false },
      ...(job.last ? {} : { onPieceEnd: (pieceEnd: CsvPieceEnd) => (end = pieceEnd) }),
    });
    for await (const batch of batches) {
      for (const item of batch) {
        switch (item.kind) {
          case 'row': {
            rowsRead += 1;
            const { result, invalid, why } = this.scoreRow(item.fields);
            writer.pushScored(setup.columns, item.fields, item.raw, result, setup.groups, setup.groupColumns, why);
            if (++sinceTaken === LINES_PER_SLICE) {
              sinceTaken = 0;
              const slice = Buffer.from(writer.takeLines(), 'utf8');
              encoded.push(slice);
              encodedBytes += slice.length;
            }
            stages.count(result.stage);
            if (invalid.length > 0) {
              rowsWithInvalidValues += 1;
              const lead = setup.idColumn === -1 ? undefined : idText(item.fields[setup.idColumn]);
              // Copied: the values go to another thread, and a scorer may reuse its objects.
              problems.push({ kind: 'invalid', line: item.line, lead, invalid: invalid.map(({ field, value, expected }) => ({ field, value, expected })) });
            }
            break;
          }
          case 'bad':
            rowsRead += 1;
            rowsRejected += 1;
            problems.push({ kind: 'bad', line: item.line, column: item.column, text: item.text, message: item.message });
            break;
          case 'notice':
            problems.push({ kind: 'notice', message: item.message });
            break;
          default:
            // The header was read by the main thread, and CSV gives no objects.
            throw new Error(`a piece of a CSV file gave a ${item.kind} item`);
        }
      }
    }
    const tail = Buffer.from(writer.takeLines(), 'utf8');
    encoded.push(tail);
    encodedBytes += tail.length;
    // A buffer of its own (not one from Buffer's shared pool): it is transferred to the main thread.
    const output = new Uint8Array(encodedBytes);
    let at = 0;
    for (const slice of encoded) {
      output.set(slice, at);
      at += slice.length;
    }
    const stageTotals = new Map<string | null, number>();
    stages.addTo(stageTotals);
    return {
      seq: job.seq,
      output,
      problems,
      rowsRead,
      rowsWritten: rowsRead - rowsRejected,
      rowsRejected,
      rowsWithInvalidValues,
      stages: [...stageTotals],
      end,
    };
  }

  /** A row's result, its invalid values and (with `--explain`) its `why`, as `rubric score` on one thread gives them. */
  private scoreRow(fields: readonly string[]): { result: ScoreResult; invalid: readonly InvalidValue[]; why: string | undefined } {
    if (this.rows.kind === 'cells') {
      const { result, invalid } = this.scorer.scoreRowAndValidate(fields, this.rows.plan, this.scoreOptions, undefined);
      return { result, invalid, why: undefined };
    }
    const explanation = this.scorer.explain(this.rows.reader.read(fields), this.scoreOptions);
    return { result: explanation, invalid: explanation.invalidValues, why: renderWhy(explanation) };
  }
}

/** Units of a piece given to the CSV reader at a time: as a file's chunks are read on one thread (64 KiB). */
const CHUNK_UNITS = 64 * 1024;

/**
 * The chunks of a piece as the CSV reader takes them: in slices of about {@link CHUNK_UNITS},
 * none ending between the two halves of a surrogate pair (as a decoded file's chunks). The reader
 * yields one batch of rows per chunk, and a piece's rows in one batch would all live until its
 * end (past the young generation: collecting them there cost a sixth of scoring).
 */
export async function* eachChunk(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) {
    for (let start = 0; start < chunk.length; ) {
      let end = Math.min(start + CHUNK_UNITS, chunk.length);
      const last = chunk.charCodeAt(end - 1);
      if (end < chunk.length && last >= 0xd800 && last <= 0xdbff) end += 1;
      yield chunk.slice(start, end);
      start = end;
    }
  }
}
