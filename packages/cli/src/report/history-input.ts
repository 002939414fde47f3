/**
 * Reads a file of leads (CSV, JSON Lines or a JSON array, with the same readers and coercions as
 * `rubric score`), optionally joined with an events file, scores each lead — at its own `as_of`
 * date when asked, so events after it do not leak into the score — and collects the scores and
 * outcomes into a {@link ScoredHistory} for `rubric backtest` and `rubric report`.
 *
 * Every row is accounted for: read = scored + excluded. A row is excluded (and reported with its
 * line) when it cannot be read, or when an outcome or as-of column is asked for and its value is
 * missing or unreadable. Values of the wrong type are reported and count as missing, as in
 * `rubric score`.
 */
import type { LeadEvent, Model, Scorer, ScoreOptions } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { readItems } from '../input/data-file.js';
import { compareIds, EventsJoin, idText, OUT_OF_ORDER_HELP, type EventsJoinStats } from '../input/events-join.js';
import { columnOfField, columnRoles, leadFromRow, schemaOf, type ColumnRole, type Schema } from '../input/leads.js';
import { blankColumnsNotice, refuseDuplicateColumns } from '../input/blank-columns.js';
import { eventsReadOptions, formatFromExtension, openInput, type InputEncoding, type InputFormat, type InputItem, type InputSource } from '../input/source.js';
import { cellProblemReport, describeInvalid, eventsProblemHandling, ProblemReporter, showValue } from '../output/problems.js';
import { readOutcome, ScoredHistory } from './core-backtest.js';

export interface HistoryInputOptions {
  /** The leads file (`-` for stdin). */
  readonly data: string;
  readonly inputFormat?: InputFormat;
  /** `--encoding` of the data and events files (a byte order mark decides over it; default UTF-8). */
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  readonly events?: string;
  readonly eventsKey: string;
  readonly id: string;
  /** The column holding the outcome (won/lost, yes/no, 1/0, true/false); none for a plain report. */
  readonly outcome?: string;
  /** The column holding the date each lead is scored at; else every lead is scored at `now`. */
  readonly asOf?: string;
  readonly now: Date;
  /** Where to write every problem (`--errors FILE`). */
  readonly errors?: string;
}

/** How the rows of the input were used. `read = scored + excluded`. */
export interface HistoryAccounting {
  readonly read: number;
  readonly scored: number;
  readonly excluded: number;
  readonly unreadable: number;
  readonly missingOutcome: number;
  readonly invalidOutcome: number;
  readonly missingAsOf: number;
  readonly invalidAsOf: number;
  /** Rows scored with at least one value treated as missing. */
  readonly rowsWithInvalidValues: number;
  /** Problems reported (excluded rows, invalid values, bad events). */
  readonly problems: number;
  /** The earliest and latest instant leads were scored at (ISO 8601); null when none was scored. */
  readonly scoredFrom: string | null;
  readonly scoredTo: string | null;
  readonly events?: EventsJoinStats;
}

export interface HistoryInput {
  readonly history: ScoredHistory;
  readonly accounting: HistoryAccounting;
  /** The data file as shown in messages. */
  readonly dataPath: string;
}

/** Reads, scores and collects every lead of `options.data`. */
export async function readHistory(context: CommandContext, model: Model, scorer: Scorer, options: HistoryInputOptions): Promise<HistoryInput> {
  const format = options.inputFormat ?? (options.data === '-' ? undefined : formatFromExtension(options.data));
  if (format === undefined) {
    throw new CliError(`cannot tell the format of \`${options.data === '-' ? 'stdin' : context.displayPath(options.data)}\``, {
      help: 'pass --input-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)',
    });
  }
  const eventsFormat = options.events === undefined ? undefined : formatFromExtension(options.events);
  if (options.events !== undefined && (eventsFormat === undefined || eventsFormat === 'json')) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, {
      help: 'an events file is CSV or JSON Lines: use a .csv or .jsonl file name',
    });
  }
  if (options.events === '-' && options.data === '-') {
    throw new CliError('the data and the events cannot both come from stdin', { help: 'give one of them as a file' });
  }

  const opened: InputSource[] = [];
  const reporter = await ProblemReporter.open(context, options.errors);
  let succeeded = false;
  try {
    const readOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
    const input = await openInput(context, options.data, readOptions);
    opened.push(input);
    const eventsInput = options.events === undefined ? undefined : await openInput(context, options.events, eventsReadOptions(options.encoding, options.eventsEncoding));
    if (eventsInput !== undefined) opened.push(eventsInput);
    const reader = new HistoryReader(context, model, scorer, options, input, reporter);
    const events = eventsInput === undefined || eventsFormat === undefined ? undefined : { input: eventsInput, format: eventsFormat };
    const accounting = await reader.read(format, events);
    await reporter.finish();
    succeeded = true;
    return { history: reader.history, accounting, dataPath: input.path };
  } finally {
    if (!succeeded) await reporter.abort();
    for (const input of opened) await input.close();
  }
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** An as-of value as an instant: ISO 8601 (date-only = 00:00Z, no zone = UTC) or a Date; else undefined. */
export function parseAsOf(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = ISO_INSTANT.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) return undefined;
  const normalized = hour === undefined ? `${text.slice(0, 10)}T00:00:00Z` : `${text.slice(0, 10)}T${text.slice(11)}${zone === undefined ? 'Z' : ''}`;
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A value of a JSON lead by key: a literal (dotted) key first, then the nested path. */
function valueAt(record: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(record, key)) return record[key];
  let current: unknown = record;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const OUTCOME_HELP = `an outcome is won/lost, yes/no, 1/0 or true/false (also opportunity, converted, oui/non, gagné/perdu), in any case`;

class HistoryReader {
  readonly history: ScoredHistory;
  private readonly schema: Schema;
  private columns: readonly string[] = [];
  private roles: readonly ColumnRole[] = [];
  private idColumn = -1;
  private outcomeColumn = -1;
  private asOfColumn = -1;
  private join: EventsJoin | undefined;
  private previousId: { id: string; line: number } | undefined;
  private rowsRead = 0;
  private scored = 0;
  private unreadable = 0;
  private missingOutcome = 0;
  private invalidOutcome = 0;
  private missingAsOf = 0;
  private invalidAsOf = 0;
  private rowsWithInvalidValues = 0;
  private scoredFrom = Infinity;
  private scoredTo = -Infinity;
  private firstKeys: readonly string[] | undefined;
  private warnedOwnEvents = false;

  constructor(
    private readonly context: CommandContext,
    model: Model,
    private readonly scorer: Scorer,
    private readonly options: HistoryInputOptions,
    private readonly input: InputSource,
    private readonly reporter: ProblemReporter,
  ) {
    this.history = new ScoredHistory(model);
    this.schema = schemaOf(model);
  }

  async read(format: InputFormat, events: { input: InputSource; format: InputFormat } | undefined): Promise<HistoryAccounting> {
    if (events !== undefined) this.join = this.openJoin(events.input, events.format);
    for await (const item of readItems(this.input, format)) await this.handle(item);
    const eventsStats = this.join === undefined ? undefined : await this.join.finish();
    this.refuseUnusable();
    const excluded = this.rowsRead - this.scored;
    return {
      read: this.rowsRead,
      scored: this.scored,
      excluded,
      unreadable: this.unreadable,
      missingOutcome: this.missingOutcome,
      invalidOutcome: this.invalidOutcome,
      missingAsOf: this.missingAsOf,
      invalidAsOf: this.invalidAsOf,
      rowsWithInvalidValues: this.rowsWithInvalidValues,
      problems: this.reporter.count,
      scoredFrom: this.scored === 0 ? null : new Date(this.scoredFrom).toISOString(),
      scoredTo: this.scored === 0 ? null : new Date(this.scoredTo).toISOString(),
      ...(eventsStats !== undefined ? { events: eventsStats } : {}),
    };
  }

  /** A back-test with no usable outcome (or as-of) at all is a wrong column name, not data to report on. */
  private refuseUnusable(): void {
    const { outcome, asOf } = this.options;
    const shown = this.input.path;
    const keys = this.firstKeys === undefined ? '' : ` (the first lead has ${this.firstKeys.slice(0, 12).map((k) => `\`${k}\``).join(', ')})`;
    if (this.rowsRead === 0) {
      throw new CliError(`\`${shown}\` has no leads`, { help: 'give a file with one lead per row (CSV) or per line (JSON Lines)' });
    }
    if (outcome !== undefined && this.missingOutcome === this.rowsRead - this.unreadable && this.rowsRead > this.unreadable) {
      throw new CliError(`no lead of \`${shown}\` has a \`${outcome}\` value${keys}`, {
        help: `name the column holding the outcome with --outcome COLUMN; ${OUTCOME_HELP}`,
      });
    }
    if (asOf !== undefined && this.missingAsOf === this.rowsRead - this.unreadable && this.rowsRead > this.unreadable) {
      throw new CliError(`no lead of \`${shown}\` has a \`${asOf}\` value${keys}`, {
        help: 'name the column holding the date to score each lead at with --as-of COLUMN, or leave it out to score every lead at --now',
      });
    }
    if (this.scored === 0) {
      throw new CliError(`no lead of \`${shown}\` could be used: every row was excluded (see above)`, {
        help: outcome !== undefined ? OUTCOME_HELP : 'fix the rows reported above',
      });
    }
  }

  private openJoin(eventsInput: InputSource, format: InputFormat): EventsJoin {
    const { options, schema, scorer, reporter } = this;
    return new EventsJoin(readItems(eventsInput, format), {
      path: eventsInput.path,
      key: options.eventsKey,
      schema,
      ...eventsProblemHandling(eventsInput.path, scorer, reporter),
      onNotice: (message) => this.context.warn(message),
    });
  }

  private async handle(item: InputItem): Promise<void> {
    switch (item.kind) {
      case 'notice':
        this.context.warn(item.message);
        return;
      case 'header':
        this.startCsv(item.columns);
        return;
      case 'bad':
        this.rowsRead++;
        this.unreadable++;
        await this.reporter.report({
          file: this.input.path,
          line: item.line,
          ...(item.column !== undefined ? { column: item.column } : {}),
          value: item.text,
          message: item.message,
          action: 'row skipped',
        });
        return;
      case 'row': {
        this.rowsRead++;
        const { lead, events, problems, rejected } = leadFromRow(this.columns, this.roles, item.fields);
        const id = this.idColumn === -1 ? undefined : idText(item.fields[this.idColumn]);
        if (rejected !== undefined) {
          // A value the reader cannot use (nested too deep): the row is skipped, as `score` skips it.
          this.unreadable++;
          await this.reporter.report(cellProblemReport(this.input.path, item.line, rejected, 'row skipped', id));
          return;
        }
        const outcome = this.outcomeColumn === -1 ? undefined : item.fields[this.outcomeColumn];
        const asOf = this.asOfColumn === -1 ? undefined : item.fields[this.asOfColumn];
        for (const problem of problems) await this.reporter.report(cellProblemReport(this.input.path, item.line, problem, 'treated as missing', id));
        await this.score(item.line, lead, events, id, outcome, asOf, problems.length > 0);
        return;
      }
      case 'object': {
        this.rowsRead++;
        this.firstKeys ??= Object.keys(item.value);
        const { options } = this;
        const id = idText(item.value[options.id]);
        const outcome = options.outcome === undefined ? undefined : valueAt(item.value, options.outcome);
        const asOf = options.asOf === undefined ? undefined : valueAt(item.value, options.asOf);
        await this.score(item.line, item.value, undefined, id, outcome, asOf, false);
        return;
      }
    }
  }

  private startCsv(columns: readonly string[]): void {
    const { options, input } = this;
    refuseDuplicateColumns(input.path, columns);
    const unnamed = blankColumnsNotice(columns, input.path, 'read');
    if (unnamed !== undefined) this.context.warn(unnamed);
    this.columns = columns;
    this.firstKeys = columns;
    this.roles = columnRoles(columns, this.schema);
    this.idColumn = columns.indexOf(options.id);
    const need = (name: string | undefined, option: string): number => {
      if (name === undefined) return -1;
      const index = columns.indexOf(name);
      if (index === -1) {
        throw new CliError(`\`${input.path}\` has no \`${name}\` column`, {
          help: `give the column with ${option} COLUMN; the columns are ${columns.slice(0, 20).map((c) => `\`${c}\``).join(', ')}`,
        });
      }
      return index;
    };
    this.outcomeColumn = need(options.outcome, '--outcome');
    this.asOfColumn = need(options.asOf, '--as-of');
    if (this.join !== undefined && this.idColumn === -1) {
      throw new CliError(`\`${input.path}\` has no \`${options.id}\` column to join the events on`, { help: 'name the lead id column with --id COLUMN' });
    }
  }

  /** Reads the outcome and as-of, then scores and collects the lead (or reports why it is excluded). */
  private async score(
    line: number,
    lead: Readonly<Record<string, unknown>>,
    ownEvents: readonly LeadEvent[] | undefined,
    id: string | undefined,
    outcomeValue: unknown,
    asOfValue: unknown,
    hadProblem: boolean,
  ): Promise<void> {
    const { options, reporter, input } = this;
    const where = { file: input.path, line, ...(id !== undefined ? { lead: id } : {}) };
    let outcome: boolean | undefined;
    if (options.outcome !== undefined) {
      const reading = readOutcome(outcomeValue);
      if (reading.kind !== 'known') {
        if (reading.kind === 'missing') this.missingOutcome++;
        else this.invalidOutcome++;
        await reporter.report({
          ...where,
          ...this.columnOf(this.outcomeColumn),
          field: options.outcome,
          ...(reading.kind === 'invalid' ? { value: typeof outcomeValue === 'string' ? outcomeValue : showValue(outcomeValue) } : {}),
          message:
            reading.kind === 'missing'
              ? `no outcome in \`${options.outcome}\``
              : `\`${options.outcome}\` is not an outcome (expected won/lost, yes/no, 1/0 or true/false)`,
          action: 'row skipped',
        });
        await this.skipEvents(id, line);
        return;
      }
      outcome = reading.positive;
    }
    let now = options.now;
    if (options.asOf !== undefined) {
      const blank = asOfValue === undefined || asOfValue === null || (typeof asOfValue === 'string' && asOfValue.trim() === '');
      const parsed = blank ? undefined : parseAsOf(asOfValue);
      if (parsed === undefined) {
        if (blank) this.missingAsOf++;
        else this.invalidAsOf++;
        await reporter.report({
          ...where,
          ...this.columnOf(this.asOfColumn),
          field: options.asOf,
          ...(blank ? {} : { value: typeof asOfValue === 'string' ? asOfValue : showValue(asOfValue) }),
          message: blank
            ? `no date in \`${options.asOf}\` to score the lead at`
            : `\`${options.asOf}\` is not a date (expected ISO 8601: 2025-06-01 or 2025-06-01T09:30:00Z)`,
          action: 'row skipped',
        });
        await this.skipEvents(id, line);
        return;
      }
      now = parsed;
    }

    let events: readonly LeadEvent[] | undefined = ownEvents;
    let problem = hadProblem;
    if (this.join !== undefined) {
      if (!this.warnedOwnEvents && (ownEvents !== undefined || Array.isArray(lead.events))) {
        this.warnedOwnEvents = true;
        this.context.warn(`\`${input.path}\` line ${line}: leads' own \`events\` are ignored: events come from --events`);
      }
      if (id === undefined) {
        problem = true;
        events = [];
        await reporter.report({ ...where, field: options.id, message: 'no lead id, so no events from --events', action: 'treated as missing' });
      } else {
        events = await this.eventsFor(id, line);
      }
    }
    const scoreOptions: ScoreOptions = events === undefined ? { now } : { now, events };
    const explanation = this.scorer.explain(lead, scoreOptions);
    let invalid = explanation.invalidValues;
    // Events from --events were checked (and reported with their own line) as they were read.
    if (this.join !== undefined) invalid = invalid.filter((value) => this.schema.fields.has(value.field));
    for (const value of invalid) {
      const column = this.columns.indexOf(columnOfField(this.schema, value.field));
      await reporter.report({
        ...where,
        ...(column !== -1 ? { column: column + 1 } : {}),
        ...describeInvalid(value),
        action: 'treated as missing',
      });
    }
    if (invalid.length > 0 || problem) this.rowsWithInvalidValues++;
    this.history.add(explanation, outcome);
    this.scored++;
    const time = now.getTime();
    if (time < this.scoredFrom) this.scoredFrom = time;
    if (time > this.scoredTo) this.scoredTo = time;
  }

  private columnOf(index: number): { column?: number } {
    return index === -1 ? {} : { column: index + 1 };
  }

  /** Keeps the events join in step when a row is excluded (its events are read and dropped). */
  private async skipEvents(id: string | undefined, line: number): Promise<void> {
    if (this.join !== undefined && id !== undefined) await this.eventsFor(id, line);
  }

  private async eventsFor(id: string, line: number): Promise<readonly LeadEvent[]> {
    const join = this.join;
    if (join === undefined) return [];
    if (this.previousId !== undefined && compareIds(id, this.previousId.id) < 0) {
      throw new CliError(
        `\`${this.input.path}\` is not sorted by lead id: lead \`${id}\` on line ${line} comes after lead \`${this.previousId.id}\` (line ${this.previousId.line})`,
        { help: OUT_OF_ORDER_HELP },
      );
    }
    this.previousId = { id, line };
    return join.eventsFor(id);
  }
}
