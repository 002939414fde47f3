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
import { readItemBatches } from '../input/data-file.js';
import { idText } from '../input/events-join.js';
import { columnOfField, columnRoles, emptyRecord, EventRowReader, leadFromRow, type Schema } from '../input/leads.js';
import { openInput } from '../input/source.js';
import { cellProblemReport, describeInvalid, type RowProblem } from '../output/problems.js';
import { jsTrim, mayBeLaxJson, sqlText, type EngineInputFormat, type LoadedInput, type RejectedRecord } from './duckdb-input.js';

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

type Row = Readonly<Record<string, unknown>>;

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

/** Where problems go, in the order found. */
export type ProblemSink = (problem: RowProblem) => Promise<void>;

/**
 * Passes on a file's problems in file order: its rejected records (known from reading it) merged
 * by line with the problems found afterwards, which arrive in file order too.
 */
class ProblemMerger {
  private next = 0;

  constructor(
    private readonly rejected: readonly RowProblem[],
    private readonly sink: ProblemSink,
  ) {}

  async push(problem: RowProblem): Promise<void> {
    while (this.next < this.rejected.length && this.rejected[this.next].line <= problem.line) await this.sink(this.rejected[this.next++]);
    await this.sink(problem);
  }

  async finish(): Promise<void> {
    while (this.next < this.rejected.length) await this.sink(this.rejected[this.next++]);
  }
}

/** The line of each row the JavaScript reader reads from a CSV file, in order. */
async function* csvRowLines(context: CommandContext, file: LoadedFile): AsyncGenerator<number> {
  const input = await openInput(context, file.path);
  try {
    for await (const batch of readItemBatches(input, 'csv', file.loaded.delimiter)) {
      for (const item of batch) if (item.kind === 'row') yield item.line;
    }
  } finally {
    await input.close();
  }
}

/**
 * The records of a loaded file whose `rubric_row` the query `suspects` (one column) returns, in
 * file order, each with its line, streamed. A clean file costs the one query. Lines: the
 * JavaScript reader's rows carry theirs (`rubric_line`); a plain CSV file read by DuckDB has no
 * rejected records, so its rows are the reader's rows in order, and one pass of that reader
 * over the file gives the line of each row by its rank.
 */
async function* suspectRecords(context: CommandContext, connection: DuckDBConnection, file: LoadedFile, suspects: string): AsyncGenerator<{ record: Row; line: number }> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE rubric_suspects AS SELECT DISTINCT * FROM (${suspects}) AS s(r)`);
  const counted = await connection.runAndReadAll('SELECT count(*) FROM rubric_suspects');
  if (Number(counted.getRows()[0][0]) === 0) return;
  // A plain CSV file with one line per record: the line follows from the row (no ranking).
  const offset = file.loaded.rowLineOffset;
  const ranked = file.loaded.reader === 'duckdb' && offset === undefined;
  const source = ranked ? `(SELECT *, row_number() OVER (ORDER BY rubric_row) - 1 AS rubric_rank FROM ${file.table}_rows)` : `${file.table}_rows`;
  const result = await connection.stream(`SELECT * FROM ${source} AS t WHERE t.rubric_row IN (SELECT r FROM rubric_suspects) ORDER BY t.rubric_row`);
  const names = result.columnNames();
  const lines = ranked && file.format === 'csv' ? csvRowLines(context, file) : undefined;
  let seen = 0;
  let line = 0;
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      for (const record of chunk.getRowObjects(names) as Row[]) {
        if (offset !== undefined) {
          yield { record, line: Number(record.rubric_row) + offset };
          continue;
        }
        if (!ranked) {
          yield { record, line: Number(record.rubric_line) };
          continue;
        }
        const rank = Number(record.rubric_rank);
        if (lines === undefined) {
          yield { record, line: rank + 1 };
          continue;
        }
        while (seen <= rank) {
          const next = await lines.next();
          if (next.done === true) throw new Error(`row ${rank + 1} of \`${file.shown}\` was not found again`);
          line = next.value;
          seen += 1;
        }
        yield { record, line };
      }
    }
  } finally {
    await lines?.return(undefined);
    await connection.run('DROP TABLE IF EXISTS rubric_suspects');
  }
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
 * Finds and words the leads file's values of the wrong type (see the module comment) and passes
 * them to `sink` merged by line with the file's rejected records, in file order; returns the
 * number of leads with a value treated as missing (the summary's `N rows had values treated as
 * missing`). `join`: events come from `--events` (a lead's own events are then not read, and a
 * lead without an id is reported).
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
  sink: ProblemSink,
): Promise<number> {
  const merger = new ProblemMerger(rejectedProblems(file, 'row skipped'), sink);
  const rows = await findLeadProblems(context, connection, file, setup, merger);
  await merger.finish();
  return rows;
}

async function findLeadProblems(
  context: CommandContext,
  connection: DuckDBConnection,
  file: LoadedFile,
  setup: Parameters<typeof leadValueProblems>[3],
  merger: ProblemMerger,
): Promise<number> {
  // Parquet has no JavaScript reading to match: its typed columns are read as typed.
  if (file.format === 'parquet') return 0;
  const { scorer, schema, mapping, idColumn, join } = setup;
  const suspects: string[] = [];
  const fields = mapping.fields ?? {};
  const leadValues: SqlSuspectValue[] = [];
  for (const slot of scorer.ir.slots) {
    if (slot.source !== 'lead') continue;
    const spec = fields[slot.name];
    if (spec === undefined || typeof spec === 'string') continue;
    if (file.format === 'csv' && !file.loaded.columns.includes(columnOfField(schema, slot.name))) continue;
    // Its placeholders: such text is missing, never a suspect (as the scorer reads it).
    leadValues.push({ column: spec.column, format: spec.format ?? 'text', type: slot.type, oneOf: slot.oneOf, missing: slot.missing });
  }
  // Read in the rule file's data dialect (decimal comma, day-first dates, bool words), as the scorer does.
  const dialect = scorer.ir.dialect;
  const leads = emitDuckdbSuspects({ from: 'rubric_leads', keep: ['rubric_row'], values: leadValues, dialect });
  if (leads !== undefined) suspects.push(`SELECT rubric_row FROM (${leads})`);
  if (join) {
    suspects.push('SELECT rubric_row FROM rubric_leads WHERE rubric_id IS NULL');
  } else if (setup.ownEvents !== undefined) {
    // An element that is not an object with a text `type` is reported too.
    const events = emitDuckdbSuspects({ from: 'rubric_events', keep: ['rubric_lead'], values: eventValues(scorer, 'json', 'p.rubric_type', propertyColumns(setup.ownEvents)), also: 'p.rubric_type IS NULL', dialect });
    if (events !== undefined) suspects.push(`SELECT rubric_row FROM (${events}) AS e(rubric_row)`);
    if (file.format !== 'csv') {
      const events = `json_extract(rubric_json, '/events')`;
      suspects.push(`SELECT rubric_row FROM ${file.table}_rows WHERE json_type(${events}) IS NOT NULL AND json_type(${events}) NOT IN ('ARRAY', 'NULL')`);
    }
  }
  const eventsColumn = file.format === 'csv' && !schema.fieldOfColumn.has('events') ? file.loaded.columns.indexOf('events') : -1;
  if (eventsColumn !== -1) {
    // A CSV `events` cell that is not a JSON array is reported, with --events too. DuckDB's JSON
    // reader takes a trailing comma, NaN and Infinity, which JSON.parse refuses: such cells are
    // suspect too.
    const cell = `c${eventsColumn}`;
    suspects.push(
      `SELECT rubric_row FROM ${file.table}_rows WHERE ${jsTrim(`coalesce(${cell}, '')`)} <> '' AND (json_type(TRY_CAST(${cell} AS JSON)) IS DISTINCT FROM 'ARRAY' OR ${mayBeLaxJson(cell)})`,
    );
  }
  if (suspects.length === 0) return 0;

  // The JavaScript engine's own steps (ScoreRun.scoreRow, scoreObject and evaluate), reporting only.
  const columns = file.loaded.columns;
  const roles = columnRoles(columns, schema);
  const idIndex = columns.indexOf(idColumn);
  let rowsWithInvalidValues = 0;
  for await (const { record, line } of suspectRecords(context, connection, file, suspects.join(' UNION ALL '))) {
    const found: RowProblem[] = [];
    let lead: Readonly<Record<string, unknown>>;
    let events: readonly LeadEvent[] | undefined;
    let id: string | undefined;
    if (file.format === 'csv') {
      const cells = fieldsOf(record, columns);
      const built = leadFromRow(columns, roles, cells);
      lead = built.lead;
      events = built.events;
      id = idIndex === -1 ? undefined : idText(cells[idIndex]);
      for (const problem of built.problems) found.push(cellProblemReport(file.shown, line, problem, 'treated as missing', id));
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
      const column = columns.indexOf(columnOfField(schema, value.field));
      found.push({ file: file.shown, line, ...(column !== -1 ? { column: column + 1 } : {}), ...describeInvalid(value), action: 'treated as missing', ...(id !== undefined ? { lead: id } : {}) });
    }
    if (found.length > 0) rowsWithInvalidValues += 1;
    for (const problem of found) await merger.push(problem);
  }
  return rowsWithInvalidValues;
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

/**
 * The values the scoring pass already tests when its event totals list suspects
 * (`emitSqlEventTotals` with `suspectRow`): the `at` of the events of a queried type, and the
 * used properties of those events.
 */
function coveredByTotals(scorer: CompiledScorer): { readonly events: ReadonlySet<string>; readonly slots: ReadonlySet<number> } {
  const queried = scorer.ir.events.filter((event) => event.queries.length > 0);
  return {
    events: new Set(queried.map((event) => event.name)),
    slots: new Set(queried.flatMap((event) => event.properties.filter((slot) => scorer.ir.slots[slot].used))),
  };
}

/**
 * The `at` and the declared properties of every declared event, each read where the event's
 * type (`type`, SQL) is that event; `covered`: those left out (tested elsewhere).
 */
function eventValues(scorer: CompiledScorer, atFormat: 'json' | 'csv', type: string, properties: PropertyColumns, covered?: ReturnType<typeof coveredByTotals>): SqlSuspectValue[] {
  const values: SqlSuspectValue[] = [];
  const { ir } = scorer;
  // One `at` for the events of every declared type (it is read alike whatever the type).
  const atTypes = ir.events.filter((event) => covered?.events.has(event.name) !== true);
  if (atTypes.length > 0) {
    values.push({ column: 'rubric_at', format: atFormat, type: 'date', eventAt: true, when: `${type} IN (${atTypes.map((event) => sqlText(event.name)).join(', ')})` });
  }
  for (const event of ir.events) {
    const when = `${type} = ${sqlText(event.name)}`;
    for (const slotId of event.properties) {
      if (covered?.slots.has(slotId) === true) continue;
      const slot = ir.slots[slotId];
      // The views' mappings name a property `event.property` (see duckdb-input.ts), or `property`.
      const property = slot.name.slice(event.name.length + 1);
      const column = properties[`${event.name}.${property}`] ?? properties[property];
      if (column !== undefined) values.push({ column: column.column, format: column.format, type: slot.type, oneOf: slot.oneOf, missing: slot.missing, when });
    }
  }
  return values;
}

/**
 * Finds and words the values of the wrong type of an `--events` file (with the events file's
 * line, as the JavaScript join reports them) and passes them to `sink` merged by line with its
 * rejected events, in file order.
 */
export async function eventValueProblems(
  context: CommandContext,
  connection: DuckDBConnection,
  file: LoadedFile,
  setup: {
    readonly scorer: CompiledScorer;
    readonly schema: Schema;
    readonly mapping: NonNullable<SqlMapping['events']>;
    readonly key: string;
    /**
     * The table of event totals the scoring pass is making with its suspect events listed
     * (`emitSqlEventTotals` with `suspectRow: 'rubric_event_row'`), and when it is made: those
     * events are taken from it, and only the values it does not test are tested here.
     */
    readonly totals?: { readonly table: string; readonly ready: Promise<void> };
  },
  sink: ProblemSink,
): Promise<void> {
  const merger = new ProblemMerger(rejectedProblems(file, 'event skipped'), sink);
  await findEventProblems(context, connection, file, setup, merger);
  await merger.finish();
}

async function findEventProblems(
  context: CommandContext,
  connection: DuckDBConnection,
  file: LoadedFile,
  setup: Parameters<typeof eventValueProblems>[3],
  merger: ProblemMerger,
): Promise<void> {
  if (file.format === 'parquet') return;
  const { scorer, schema, key } = setup;
  const csv = file.format === 'csv';
  // The view has the type as the join reads it (trimmed from a CSV file; a JSON event's text as is).
  const type = 'p.rubric_type';
  const values = eventValues(scorer, csv ? 'csv' : 'json', type, propertyColumns(setup.mapping), setup.totals === undefined ? undefined : coveredByTotals(scorer));
  const sql = emitDuckdbSuspects({ from: 'rubric_events', keep: ['rubric_event_row'], values, dialect: scorer.ir.dialect });
  const suspects = sql === undefined ? [] : [`SELECT rubric_event_row FROM (${sql})`];
  if (setup.totals !== undefined) {
    await setup.totals.ready;
    suspects.push(`SELECT unnest(rubric_event_suspects) FROM ${setup.totals.table}`);
  }
  if (suspects.length === 0) return;
  const columns = file.loaded.columns;
  const reader = new EventRowReader(columns, schema, new Set([columns.indexOf(key)]));
  for await (const { record, line } of suspectRecords(context, connection, file, suspects.join(' UNION ALL '))) {
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
    if (!schema.events.has(eventType)) continue;
    for (const invalid of scorer.validateEvent(event as unknown as LeadEvent)) {
      await merger.push({ file: file.shown, line, ...describeInvalid(invalid), action: 'treated as missing' });
    }
  }
}
