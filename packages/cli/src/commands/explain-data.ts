/**
 * `rubric explain RULES DATA --id ID | --row N`: finds one lead of a data file, read exactly as
 * `rubric score` reads it: through `readLeadRecords` (the decoding, `--encoding`, the reader and
 * its delimiter detection, the rejected records, the lead each CSV row becomes), with the same
 * header checks and the same lead id (`idText` of the id field). The file is streamed: only the
 * current batch of records is held, whatever its size.
 */
import type { LeadEvent } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { readLeadRecords, type LeadFileOptions, type LeadRecord } from '../input/data-file.js';
import { idText } from '../input/events-join.js';
import { inputColumnNotices, unknownKeys, type Schema } from '../input/leads.js';
import { refuseDuplicateColumns } from '../input/blank-columns.js';
import { listNames } from '../render/names.js';

/** Which lead of the file: the first whose id field is `id` (as `idText` gives it), or data row `row` (1-based). */
export type LeadQuery = { readonly kind: 'id'; readonly id: string } | { readonly kind: 'row'; readonly row: number };

/** A lead found in a data file, as `rubric score` would have scored it. */
export interface DataLead {
  /** The lead as the scorer gets it (CSV: the declared fields' cells; JSON: the object). */
  readonly lead: Readonly<Record<string, unknown>>;
  /** A CSV row's `events` column (JSON leads carry `events` in the lead). */
  readonly ownEvents?: readonly LeadEvent[];
  /** Its id (the id field as text), when it has one. */
  readonly id: string | undefined;
  /** Its line in the file (a CSV record's first line; a JSON array's object: where it starts). */
  readonly line: number;
  /** Its data row number, 1-based (the header not counted; unreadable records counted). */
  readonly row: number;
}

export interface DataLeadSetup {
  /** The data file as given (`-` for stdin). */
  readonly path: string;
  /** Its format, `--encoding` and `--delimiter`. */
  readonly read: LeadFileOptions;
  readonly schema: Schema;
  /** The field holding lead ids (`--id-field`). */
  readonly idField: string;
  /** The rule file as shown in messages (for the column notices). */
  readonly rulesPath: string;
}

/** Ids quoted in the "not found" message, to show what the file's ids look like. */
const SAMPLE_IDS = 3;
/** Lines of duplicate leads listed in the warning (the rest are counted). */
const SHOWN_DUPLICATES = 5;
/** Characters of an example id quoted in the "not found" message. */
const MAX_SHOWN_ID = 40;

/**
 * Reads a data file up to the lead asked for ({@link find}), then on demand to its end to see
 * whether another record has the same id ({@link duplicates}). Reading is lazy and streamed.
 */
export class DataLeadFinder {
  private readonly records: AsyncGenerator<LeadRecord>;
  /** The file as shown in messages. */
  readonly shown: string;
  private ended = false;
  private rows = 0;
  private idColumn = -1;
  private readonly sampleIds: string[] = [];
  private badRows = 0;
  private firstBad: string | undefined;

  constructor(
    private readonly context: CommandContext,
    private readonly setup: DataLeadSetup,
  ) {
    this.records = readLeadRecords(context, setup.path, setup.schema, setup.read);
    this.shown = setup.path === '-' ? 'stdin' : context.displayPath(setup.path);
  }

  /** The next record of the file, or undefined at its end. */
  private async nextRecord(): Promise<LeadRecord | undefined> {
    if (this.ended) return undefined;
    const step = await this.records.next();
    if (step.done === true) {
      this.ended = true;
      return undefined;
    }
    return step.value;
  }

  /** The lead asked for; throws a {@link CliError} (exit 2) when there is none or it cannot be read. */
  async find(query: LeadQuery): Promise<DataLead> {
    const { idField } = this.setup;
    for (let record = await this.nextRecord(); record !== undefined; record = await this.nextRecord()) {
      switch (record.kind) {
        case 'notice':
          this.context.warn(record.message);
          break;
        case 'header':
          this.startCsv(record.columns, query);
          break;
        case 'rejected': {
          this.rows = record.row;
          const column = record.column !== undefined ? `, column ${record.column}` : '';
          const field = record.field !== undefined ? ` (\`${record.field}\`)` : '';
          const where = `\`${this.shown}\` line ${record.line}${column}${field}`;
          if (query.kind === 'row' && query.row === record.row) {
            throw new CliError(`row ${record.row} of \`${this.shown}\` cannot be read: ${where}: ${record.message}`, {
              help: '`rubric score` skips this row too (a bad row); fix the line, or pick another lead',
            });
          }
          this.badRows += 1;
          this.firstBad ??= `${where}: ${record.message}`;
          // Only while looking for an id: the unreadable row may be the lead asked for.
          if (query.kind === 'id') this.context.warn(`${where}: ${record.message}; row skipped`);
          break;
        }
        case 'lead': {
          this.rows = record.row;
          const id = this.idOf(record);
          if (!this.matches(query, record.row, id)) break;
          for (const problem of record.problems) {
            this.context.warn(`\`${this.shown}\` line ${record.line}, column ${problem.column} (\`${problem.field}\`): ${problem.message}; treated as missing`);
          }
          if (record.fields === undefined) this.warnUnknownKeys(record.lead, record.line);
          return {
            lead: record.lead,
            ...(record.events !== undefined ? { ownEvents: record.events } : {}),
            id,
            line: record.line,
            row: record.row,
          };
        }
      }
    }
    throw this.notFound(query);
  }

  /**
   * The lines of the records after the found one that have its id: reads the rest of the file
   * (streamed, nothing kept but the lines shown). Unreadable records are not looked at.
   */
  async duplicates(id: string): Promise<{ readonly count: number; readonly lines: readonly number[] }> {
    const lines: number[] = [];
    let count = 0;
    for (let record = await this.nextRecord(); record !== undefined; record = await this.nextRecord()) {
      if (record.kind !== 'lead' || this.idOf(record) !== id) continue;
      count += 1;
      if (lines.length < SHOWN_DUPLICATES) lines.push(record.line);
    }
    return { count, lines };
  }

  /** Stops reading and closes the file. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.records.return(undefined);
    }
  }

  /** A lead's id as `rubric score` takes it: a CSV row's id column (the lead holds field columns only), a JSON lead's key. */
  private idOf(record: Extract<LeadRecord, { kind: 'lead' }>): string | undefined {
    if (record.fields !== undefined) return this.idColumn === -1 ? undefined : idText(record.fields[this.idColumn]);
    return idText(record.lead[this.setup.idField]);
  }

  private matches(query: LeadQuery, row: number, id: string | undefined): boolean {
    if (query.kind === 'row') return query.row === row;
    if (id === undefined) return false;
    if (this.sampleIds.length < SAMPLE_IDS && !this.sampleIds.includes(id)) this.sampleIds.push(id);
    return id === query.id;
  }

  /** A CSV header: the checks and the column warnings of `rubric score`. */
  private startCsv(columns: readonly string[], query: LeadQuery): void {
    const { schema, idField, rulesPath } = this.setup;
    refuseDuplicateColumns(this.shown, columns);
    this.idColumn = columns.indexOf(idField);
    if (query.kind === 'id' && this.idColumn === -1) {
      throw new CliError(`\`${this.shown}\` has no \`${idField}\` column to find lead \`${query.id}\` by`, {
        help: `name the id column with --id-field COLUMN (its columns: ${listNames(columns)}), or pick the lead by position with --row N`,
      });
    }
    // What `rubric score` says about the columns, except the output's replaced columns (explain
    // writes no output file, so nothing is "kept in the output" either).
    for (const notice of inputColumnNotices(columns, schema, [], idField, { input: this.shown, rules: rulesPath }, 'read')) {
      this.context.warn(notice.replace(': kept in the output, not scored', ': not scored'));
    }
  }

  /** A JSON lead's keys that no field reads, as `rubric score` warns about them (a CSV's columns are warned about at its header). */
  private warnUnknownKeys(lead: Readonly<Record<string, unknown>>, line: number): void {
    const unknown = unknownKeys(lead, this.setup.schema, new Set([this.setup.idField]));
    if (unknown.length === 0) return;
    const one = unknown.length === 1;
    this.context.warn(
      `\`${this.shown}\` line ${line}: ${one ? 'key' : 'keys'} ${listNames(unknown)} ${one ? 'is not a lead field' : 'are not lead fields'} in \`${this.setup.rulesPath}\`: not scored`,
    );
  }

  private notFound(query: LeadQuery): CliError {
    const { idField } = this.setup;
    const skipped =
      this.badRows === 0 ? undefined : `${this.badRows === 1 ? '1 row' : `${this.badRows} rows`} could not be read (first: ${this.firstBad ?? ''})`;
    if (query.kind === 'row') {
      const has = this.rows === 0 ? 'no data rows' : `only ${this.rows === 1 ? '1 data row' : `${this.rows} data rows`}`;
      return new CliError(`no row ${query.row} in \`${this.shown}\`: it has ${has}`, {
        help: '--row counts data rows from 1 (the header line is not a row)',
      });
    }
    const rows = `${this.rows} ${this.rows === 1 ? 'row' : 'rows'} read`;
    const ids = this.sampleIds.length === 0 ? `none has an \`${idField}\`` : `ids look like ${this.sampleIds.map((id) => `\`${shortId(id)}\``).join(', ')}`;
    const help = [`the id field is --id-field (here \`${idField}\`); --row N picks a lead by position`];
    if (skipped !== undefined) help.unshift(`${skipped}: the lead may be on that row`);
    return new CliError(`no lead with id \`${query.id}\` in \`${this.shown}\` (${rows}; ${ids})`, { help: help.join('; ') });
  }
}

/** An id of the file as the "not found" message quotes it: a long one is cut (it is only an example). */
function shortId(id: string): string {
  return id.length <= MAX_SHOWN_ID ? id : `${id.slice(0, MAX_SHOWN_ID - 1)}…`;
}

/** The warning for records after the explained one that have its id. */
export function duplicatesWarning(path: string, found: DataLead, duplicates: { readonly count: number; readonly lines: readonly number[] }): string | undefined {
  if (duplicates.count === 0 || found.id === undefined) return undefined;
  const more = duplicates.count - duplicates.lines.length;
  const lines = `${duplicates.lines.length === 1 ? 'line' : 'lines'} ${duplicates.lines.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  return `\`${path}\` has ${duplicates.count + 1} leads with id \`${found.id}\` (line ${found.line}, ${lines}): the first is explained`;
}
