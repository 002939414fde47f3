/**
 * Reports bad input rows and values of `rubric score`: on stderr (the first
 * {@link MAX_SHOWN} in full, then a count) and, with `--errors FILE`, every one of them as CSV or
 * JSON Lines with file, line, column, field, value, problem and what was done about it.
 */
import path from 'node:path';
import type { InvalidValue, LeadEvent, RowScorer, Scorer } from '@rubric/core';
import type { CommandContext } from '../context.js';
import type { CellReading, EventsJoinOptions } from '../input/events-join.js';
import type { CellProblem } from '../input/leads.js';
import { AtomicOutputFile } from '../files.js';
import { DataHints } from './data-hints.js';
import { terminalText } from '../render/terminal-text.js';
import type { ScoreProgress } from './progress.js';
import { CsvWriter, JsonLinesWriter } from './writers.js';

/** Problems printed in full on stderr; the rest are counted (all go to `--errors`). */
export const MAX_SHOWN = 20;

export type ProblemAction =
  | 'treated as missing'
  | 'row skipped'
  | 'event skipped'
  // Issue 17: a contact id seen twice is a data error, reported; the rows are scored as written.
  | 'counted twice'
  | 'scored in both accounts';

export interface RowProblem {
  /** The file as shown in messages. */
  readonly file: string;
  readonly line: number;
  /** CSV: the 1-based field number; unreadable records: the character column. */
  readonly column?: number;
  /** The field (column name or dotted path). */
  readonly field?: string;
  /** The offending value (or the unreadable record's text). */
  readonly value?: string;
  readonly message: string;
  readonly action: ProblemAction;
  /** The lead's id, when known. */
  readonly lead?: string;
}

/**
 * The report of a problem with one cell of a CSV row (`leadFromRow`'s problems, or the cell that
 * made it reject the row), in every command that reads rows: the same fields in the same order.
 */
export function cellProblemReport(file: string, line: number, cell: CellProblem, action: ProblemAction, lead: string | undefined): RowProblem {
  return { file, line, column: cell.column, field: cell.field, value: cell.value, message: cell.message, action, ...(lead !== undefined ? { lead } : {}) };
}

/** What `checkEvent` returns for an event without problems (most of them): shared, never changed. */
const NO_PROBLEMS: readonly ReturnType<typeof describeInvalid>[] = Object.freeze([]);

const ERROR_COLUMNS = ['file', 'line', 'column', 'field', 'value', 'problem', 'action', 'lead'] as const;

/** A value as it reads in a message: strings quoted, others as JSON. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A value of the wrong type as the `field`, `value` and `message` of a problem. */
export function describeInvalid(invalid: InvalidValue): { field: string; value: string; message: string } {
  return {
    field: invalid.field,
    value: typeof invalid.value === 'string' ? invalid.value : showValue(invalid.value),
    message: `expected ${invalid.expected}, got ${showValue(invalid.value)}`,
  };
}

/**
 * How an events file's problems are checked and reported, the same for every command that joins
 * one (`score`, `backtest`, `report`): each event is checked on its own (no scoring) so its
 * problems carry the events file's line.
 */
export function eventsProblemHandling(
  eventsPath: string,
  scorer: Scorer,
  reporter: ProblemReporter,
): Pick<EventsJoinOptions, 'onProblem' | 'countProblem' | 'checkEvent'> {
  return {
    countProblem: () => {
      if (!reporter.countsOnly) return false;
      reporter.countOnly(1);
      return true;
    },
    onProblem: (problem) =>
      reporter.report({
        file: eventsPath,
        line: problem.line,
        ...(problem.column !== undefined ? { column: problem.column } : {}),
        ...(problem.field !== undefined ? { field: problem.field } : {}),
        ...(problem.value !== undefined ? { value: problem.value } : {}),
        message: problem.message,
        action: problem.skipped ? 'event skipped' : 'treated as missing',
      }),
    checkEvent: (event, out) => {
      const invalid = scorer.validateEvent(event as unknown as LeadEvent, out);
      return invalid.length === 0 ? NO_PROBLEMS : invalid.map(describeInvalid);
    },
  };
}

/** {@link eventsProblemHandling}'s check for events kept as cells (`EventsJoinOptions.cells`). */
export function eventCellsHandling(scorer: RowScorer): CellReading {
  return {
    plan: (columns) => scorer.eventPlan(columns),
    checkEvent: (cells, type, plan, out) => {
      const invalid = scorer.validateEventRow(cells, type, plan, out);
      return invalid.length === 0 ? NO_PROBLEMS : invalid.map(describeInvalid);
    },
  };
}

export class ProblemReporter {
  private shown = 0;
  private total = 0;
  private progress: ScoreProgress | undefined;
  private readonly hints = new DataHints();

  private constructor(
    private readonly context: CommandContext,
    private readonly file: AtomicOutputFile | undefined,
    private readonly writer: CsvWriter | JsonLinesWriter | undefined,
  ) {}

  /** Opens the `--errors` file (CSV, or JSON Lines for `.jsonl`/`.ndjson`/`.json`), if asked for. */
  static async open(context: CommandContext, errorsPath: string | undefined): Promise<ProblemReporter> {
    if (errorsPath === undefined) return new ProblemReporter(context, undefined, undefined);
    const file = await AtomicOutputFile.open(context, errorsPath);
    const extension = path.extname(errorsPath).toLowerCase();
    const writer =
      extension === '.jsonl' || extension === '.ndjson' || extension === '.json'
        ? new JsonLinesWriter(file.stream)
        : new CsvWriter(file.stream, ERROR_COLUMNS);
    return new ProblemReporter(context, file, writer);
  }

  /** Routes stderr lines above the progress bar while it shows. */
  attach(progress: ScoreProgress | undefined): void {
    this.progress = progress;
  }

  get count(): number {
    return this.total;
  }

  /**
   * Whether a report would only be counted: {@link MAX_SHOWN} problems were shown already and
   * there is no --errors file. Then callers with many problems count them with
   * {@link countOnly} instead of building each report (and awaiting it): the count, and so the
   * summary and --strict, are the same.
   */
  get countsOnly(): boolean {
    return this.writer === undefined && this.shown >= MAX_SHOWN;
  }

  /** Counts `count` problems that need no report (only while {@link countsOnly} holds). */
  countOnly(count: number): void {
    this.total += count;
  }

  async report(problem: RowProblem): Promise<void> {
    this.total += 1;
    this.hints.observe(problem);
    if (this.shown < MAX_SHOWN) {
      this.shown += 1;
      this.print(formatProblem(problem, this.context));
    }
    if (this.writer instanceof CsvWriter) {
      await this.writer.writeRow([
        problem.file,
        problem.line,
        problem.column,
        problem.field,
        problem.value,
        problem.message,
        problem.action,
        problem.lead,
      ]);
    } else if (this.writer !== undefined) {
      await this.writer.writeObject({
        file: problem.file,
        line: problem.line,
        column: problem.column ?? null,
        field: problem.field ?? null,
        value: problem.value ?? null,
        problem: problem.message,
        action: problem.action,
        lead: problem.lead ?? null,
      });
    }
  }

  /** Prints a line on stderr (above the progress bar when it shows). */
  print(line: string): void {
    if (this.progress !== undefined) this.progress.log(line);
    else this.context.io.stderr.write(`${line}\n`);
  }

  /** Says how many problems were not printed, and writes the `--errors` file. */
  async finish(): Promise<void> {
    if (this.total > this.shown) {
      const where = this.file === undefined ? ' (write them all with --errors FILE)' : '';
      this.print(`... and ${this.total - this.shown} more problems${where}`);
    }
    const hint = this.hints.line();
    if (hint !== undefined) this.print(hint);
    if (this.writer !== undefined && this.file !== undefined) {
      await this.writer.finish();
      await this.file.commit();
    }
  }

  async abort(): Promise<void> {
    await this.file?.abort();
  }
}

/** `leads.csv:12: column 3 `company.size`: expected number, got "fifty"; treated as missing`. */
export function formatProblem(problem: RowProblem, context: CommandContext): string {
  const c = context.colors('stderr');
  let where = `${problem.file}:${problem.line}`;
  let what = '';
  if (problem.action === 'row skipped' || problem.action === 'event skipped') {
    if (problem.column !== undefined) where += `:${problem.column}`;
  } else if (problem.column !== undefined && problem.field !== undefined) {
    what = `column ${problem.column} \`${problem.field}\`: `;
  } else if (problem.field !== undefined) {
    what = `\`${problem.field}\`: `;
  }
  const lead = problem.lead !== undefined ? c.dim(` (lead ${terminalText(problem.lead)})`) : '';
  const skipped = problem.action !== 'treated as missing' && problem.value !== undefined && problem.value !== '';
  const text = skipped ? `: ${showValue(problem.value)}` : '';
  // File names, fields, values and messages quoting them come from the data: escaped for the
  // terminal (JSON.stringify in showValue leaves DEL, C1 controls and bidi overrides as they are).
  return `${c.bold(terminalText(where))}${lead}: ${terminalText(`${what}${problem.message}${text}`)}; ${c.yellow(problem.action)}`;
}
