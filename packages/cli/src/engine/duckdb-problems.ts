/**
 * The values of the wrong type in `rubric score --engine duckdb`: the rows whose values the
 * JavaScript engine reports as "treated as missing", found by DuckDB and reported exactly as the
 * JavaScript engine reports them (same lines, columns, fields, values, messages and order).
 *
 * DuckDB finds them: one query ({@link emitDuckdbSuspects}, the SQL target's own value reading)
 * returns the rows holding a value that is present but unreadable, plus the rows the JavaScript
 * engine reports for another reason (an `events` value that is not a list, a lead without an id
 * when events come from `--events`). A clean file costs that one query, which returns no rows.
 * Each of the (few) rows it returns is then checked by the JavaScript engine's own code
 * (`leadFromRow`, the scorer's `validate` and `validateEvent`), which decides what is reported
 * and words it: the DuckDB test is a superset of the rows with problems, never a subset.
 *
 * Line numbers: the JavaScript reader's rows carry their line (`rubric_line`); rows of a plain
 * CSV file read by DuckDB get theirs from one pass of the JavaScript reader over the file, made
 * only when some row has a problem.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { emitDuckdbSuspects, type CompiledScorer, type LeadEvent, type SqlMapping, type SqlSuspectValue } from '@rubric/core';
import type { CommandContext } from '../context.js';
import { readItemBatches } from '../commands/score.js';
import { idText } from '../input/events-join.js';
import { columnRoles, emptyRecord, EventRowReader, leadFromRow, type Schema } from '../input/leads.js';
import { openInput } from '../input/source.js';
import { describeInvalid, type RowProblem } from '../output/problems.js';
import { jsTrim, sqlText, type EngineInputFormat, type LoadedInput, type RejectedRecord } from './duckdb-input.js';

/** A loaded file, as the problem finder needs it. */
export interface LoadedFile {
  /** The table the file was loaded into (its records are the view `{table}_rows`). */
  readonly table: string;
  readonly loaded: LoadedInput;
  readonly format: EngineInputFormat;
  /** The path as given, and as shown in messages. */
  readonly path: string;
  readonly shown: string;
}

/** What the leads file's values of the wrong type come to. */
export interface ValueProblems {
  /** The file's problems in file order: its rejected records and its wrong-typed values, merged by line. */
  readonly problems: readonly RowProblem[];
  /** Leads with at least one value treated as missing (the summary's `N rows had values treated as missing`). */
  readonly rowsWithInvalidValues: number;
}

type Row = Readonly<Record<string, unknown>>;

/** Runs `sql` and returns its rows as plain objects (only ever the suspect rows: few). */
async function rowsOf(connection: DuckDBConnection, sql: string): Promise<Row[]> {
  const result = await connection.runAndReadAll(sql);
  return result.getRowObjectsJS() as Row[];
}

/** The rejected records of a file as problems (`action`: what was done about them). */
function rejectedProblems(file: LoadedFile, action: 'row skipped' | 'event skipped'): RowProblem[] {
  return file.loaded.rejected.map((record: RejectedRecord) => ({
    file: file.shown,
    line: record.line,
    ...(record.column !== undefined ? { column: record.column } : {}),
    ...(record.field !== undefined ? { field: record.field } : {}),
    ...(record.text !== undefined ? { value: record.text } : {}),
    message: record.message,
    action,
    ...(record.lead !== undefined ? { lead: record.lead } : {}),
  }));
}

/** Two lists of problems, each in file order, merged by line (the first list first on a tie). */
function mergeByLine(a: readonly RowProblem[], b: readonly RowProblem[]): RowProblem[] {
  const out: RowProblem[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].line <= b[j].line)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/**
 * The lines of the records at `rows` (`rubric_row` values, ascending) of a loaded file: read
 * from `rubric_line` when the JavaScript reader loaded it, else by one pass of that reader over
 * the file (a plain CSV file has no rejected records: its rows are the reader's rows, in order).
 */
async function linesOf(context: CommandContext, connection: DuckDBConnection, file: LoadedFile, records: readonly Row[]): Promise<number[]> {
  if (file.loaded.reader === 'javascript') return records.map((record) => Number(record.rubric_line));
  if (records.length === 0) return [];
  const list = records.map((record) => String(Number(record.rubric_row))).join(', ');
  const ranked = await rowsOf(
    connection,
    `SELECT rubric_rank FROM (SELECT rubric_row, row_number() OVER (ORDER BY rubric_row) - 1 AS rubric_rank FROM ${file.table}_rows) WHERE rubric_row IN (${list}) ORDER BY rubric_row`,
  );
  const ranks = ranked.map((row) => Number(row.rubric_rank));
  if (file.format !== 'csv') return ranks.map((rank) => rank + 1);
  const lines: number[] = [];
  const input = await openInput(context, file.path);
  try {
    let seen = 0;
    outer: for await (const batch of readItemBatches(input, 'csv', file.loaded.delimiter)) {
      for (const item of batch) {
        if (item.kind !== 'row') continue;
        while (lines.length < ranks.length && ranks[lines.length] === seen) lines.push(item.line);
        seen += 1;
        if (lines.length === ranks.length) break outer;
      }
    }
  } finally {
    await input.close();
  }
  if (lines.length !== ranks.length) throw new Error(`some rows of \`${file.shown}\` were not found again`);
  return lines;
}

/** The CSV cells of a fetched record, as the JavaScript reader holds them (a NULL cell is empty). */
function fieldsOf(record: Row, columns: readonly string[]): string[] {
  return columns.map((_, i) => {
    const cell = record[`c${i}`];
    return cell === null || cell === undefined ? '' : String(cell);
  });
}

/** The JSON record of a fetched row, as the JavaScript reader parsed it. */
function objectOf(record: Row): Readonly<Record<string, unknown>> {
  const value: unknown = JSON.parse(String(record.rubric_json));
  return value as Readonly<Record<string, unknown>>;
}

/**
 * Finds and words the leads file's values of the wrong type (see the module comment), merged by
 * line with its rejected records. `join`: events come from `--events` (a lead's own events are
 * then not read, and a lead without an id is reported).
 */
export async function leadValueProblems(
  context: CommandContext,
  connection: DuckDBConnection,
  file: LoadedFile,
  setup: {
    readonly scorer: CompiledScorer;
    readonly schema: Schema;
    readonly mapping: NonNullable<SqlMapping['leads']>;
    readonly idColumn: string;
    readonly join: boolean;
    /** The mapping of the leads' own events (`ownEventsView`), when they have any. */
    readonly ownEvents: NonNullable<SqlMapping['events']> | undefined;
  },
): Promise<ValueProblems> {
  const rejected = rejectedProblems(file, 'row skipped');
  // Parquet has no JavaScript reading to match: its typed columns are read as typed.
  if (file.format === 'parquet') return { problems: rejected, rowsWithInvalidValues: 0 };
  const { scorer, schema, mapping, idColumn, join } = setup;
  const suspects: string[] = [];
  const fields = mapping.fields ?? {};
  const leadValues: SqlSuspectValue[] = [];
  for (const slot of scorer.ir.slots) {
    if (slot.source !== 'lead') continue;
    const spec = fields[slot.name];
    if (spec === undefined || typeof spec === 'string') continue;
    if (file.format === 'csv' && !file.loaded.columns.includes(slot.name)) continue;
    leadValues.push({ column: spec.column, format: spec.format ?? 'text', type: slot.type, oneOf: slot.oneOf });
  }
  const leads = emitDuckdbSuspects({ from: 'rubric_leads', keep: ['rubric_row'], values: leadValues });
  if (leads !== undefined) suspects.push(`SELECT rubric_row FROM (${leads})`);
  if (join) {
    suspects.push('SELECT rubric_row FROM rubric_leads WHERE rubric_id IS NULL');
  } else if (setup.ownEvents !== undefined) {
    // An element that is not an object with a text `type` is reported too.
    const events = emitDuckdbSuspects({ from: 'rubric_events', keep: ['rubric_lead'], values: eventValues(scorer, 'json', 'p.rubric_type', propertyColumns(setup.ownEvents)), also: 'p.rubric_type IS NULL' });
    if (events !== undefined) suspects.push(`SELECT rubric_lead FROM (${events})`);
    if (file.format === 'csv') {
      const cell = `c${file.loaded.columns.indexOf('events')}`;
      suspects.push(`SELECT rubric_row FROM ${file.table}_rows WHERE ${jsTrim(`coalesce(${cell}, '')`)} <> '' AND json_type(TRY_CAST(${cell} AS JSON)) IS DISTINCT FROM 'ARRAY'`);
    } else {
      const events = `json_extract(rubric_json, '/events')`;
      suspects.push(`SELECT rubric_row FROM ${file.table}_rows WHERE json_type(${events}) IS NOT NULL AND json_type(${events}) NOT IN ('ARRAY', 'NULL')`);
    }
  }
  if (suspects.length === 0) return { problems: rejected, rowsWithInvalidValues: 0 };
  const records = await rowsOf(connection, `SELECT * FROM ${file.table}_rows WHERE rubric_row IN (${suspects.join(' UNION ')}) ORDER BY rubric_row`);
  if (records.length === 0) return { problems: rejected, rowsWithInvalidValues: 0 };
  const lines = await linesOf(context, connection, file, records);

  // The JavaScript engine's own steps (ScoreRun.scoreRow, scoreObject and evaluate), reporting only.
  const columns = file.loaded.columns;
  const roles = columnRoles(columns, schema);
  const idIndex = columns.indexOf(idColumn);
  const found: RowProblem[] = [];
  let rowsWithInvalidValues = 0;
  records.forEach((record, r) => {
    const line = lines[r];
    const before = found.length;
    let lead: Readonly<Record<string, unknown>>;
    let events: readonly LeadEvent[] | undefined;
    let id: string | undefined;
    if (file.format === 'csv') {
      const cells = fieldsOf(record, columns);
      const built = leadFromRow(columns, roles, cells);
      lead = built.lead;
      events = built.events;
      id = idIndex === -1 ? undefined : idText(cells[idIndex]);
      for (const problem of built.problems) {
        found.push({ file: file.shown, line, column: problem.column, field: problem.field, value: problem.value, message: problem.message, action: 'treated as missing', ...(id !== undefined ? { lead: id } : {}) });
      }
    } else {
      lead = objectOf(record);
      id = idText(lead[idColumn]);
    }
    if (join) {
      events = [];
      if (id === undefined) found.push({ file: file.shown, line, field: idColumn, message: 'no lead id, so no events from --events', action: 'treated as missing' });
    }
    let invalid = scorer.validate(lead, events === undefined ? {} : { events });
    // Events from --events are checked (and reported with their own line) on their own.
    if (join) invalid = invalid.filter((value) => schema.fields.has(value.field));
    for (const value of invalid) {
      const column = columns.indexOf(value.field);
      found.push({ file: file.shown, line, ...(column !== -1 ? { column: column + 1 } : {}), ...describeInvalid(value), action: 'treated as missing', ...(id !== undefined ? { lead: id } : {}) });
    }
    if (found.length > before) rowsWithInvalidValues += 1;
  });
  return { problems: mergeByLine(rejected, found), rowsWithInvalidValues };
}

type PropertyColumns = Readonly<Record<string, { column: string; format: SqlSuspectValue['format'] }>>;

/** The property columns of an events mapping, by property name. */
function propertyColumns(mapping: NonNullable<SqlMapping['events']>): PropertyColumns {
  const out: Record<string, { column: string; format: SqlSuspectValue['format'] }> = Object.create(null) as Record<string, { column: string; format: SqlSuspectValue['format'] }>;
  for (const [name, spec] of Object.entries(mapping.properties ?? {})) {
    out[name] = typeof spec === 'string' ? { column: spec, format: 'text' } : { column: spec.column, format: spec.format ?? 'text' };
  }
  return out;
}

/** The `at` and the declared properties of every declared event, each read where the event's type (`type`, SQL) is that event. */
function eventValues(scorer: CompiledScorer, atFormat: 'json' | 'csv', type: string, properties: PropertyColumns): SqlSuspectValue[] {
  const values: SqlSuspectValue[] = [];
  const { ir } = scorer;
  for (const event of ir.events) {
    const when = `${type} = ${sqlText(event.name)}`;
    values.push({ column: 'rubric_at', format: atFormat, type: 'date', eventAt: true, when });
    for (const slotId of event.properties) {
      const slot = ir.slots[slotId];
      const column = properties[slot.key];
      if (column !== undefined) values.push({ column: column.column, format: column.format, type: slot.type, oneOf: slot.oneOf, when });
    }
  }
  return values;
}

/**
 * Finds and words the values of the wrong type of an `--events` file (reported with the events
 * file's line, as the JavaScript join reports them), merged by line with its rejected events.
 */
export async function eventValueProblems(
  context: CommandContext,
  connection: DuckDBConnection,
  file: LoadedFile,
  setup: { readonly scorer: CompiledScorer; readonly schema: Schema; readonly mapping: NonNullable<SqlMapping['events']>; readonly key: string },
): Promise<readonly RowProblem[]> {
  const rejected = rejectedProblems(file, 'event skipped');
  if (file.format === 'parquet') return rejected;
  const { scorer, schema, key } = setup;
  const csv = file.format === 'csv';
  // The join reads `type` trimmed from a CSV file; a JSON event's `type` is its text as is.
  const type = csv ? jsTrim('p.rubric_type') : 'p.rubric_type';
  const values = eventValues(scorer, csv ? 'csv' : 'json', type, propertyColumns(setup.mapping));
  const sql = emitDuckdbSuspects({ from: 'rubric_events', keep: ['rubric_event_row'], values });
  if (sql === undefined) return rejected;
  const records = await rowsOf(connection, `SELECT * FROM ${file.table}_rows WHERE rubric_row IN (SELECT rubric_event_row FROM (${sql})) ORDER BY rubric_row`);
  if (records.length === 0) return rejected;
  const lines = await linesOf(context, connection, file, records);
  const columns = file.loaded.columns;
  const reader = new EventRowReader(columns, schema, new Set([columns.indexOf(key)]));
  const found: RowProblem[] = [];
  records.forEach((record, r) => {
    let event: Record<string, unknown>;
    if (csv) {
      event = reader.read(fieldsOf(record, columns));
    } else {
      const value = objectOf(record);
      event = emptyRecord();
      for (const name of Object.keys(value)) if (name !== key) event[name] = value[name];
    }
    // As `EventsJoin`: only events of a declared type are checked.
    const eventType = typeof event.type === 'string' ? event.type : '';
    if (!schema.events.has(eventType)) return;
    for (const invalid of scorer.validateEvent(event as unknown as LeadEvent)) {
      found.push({ file: file.shown, line: lines[r], ...describeInvalid(invalid), action: 'treated as missing' });
    }
  });
  return mergeByLine(rejected, found);
}
