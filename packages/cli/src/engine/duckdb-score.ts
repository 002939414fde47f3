/**
 * `rubric score --engine duckdb`: scoring in SQL, for Parquet in and out, events files that are
 * not sorted by lead, and checking the SQL target against the JavaScript scorer on real files. It
 * is not the faster engine: on CSV files and a 2-core machine it takes about 1.4x the JavaScript
 * engine's wall time on a quiet machine (more on a shared one) and about 2.5x its CPU time
 * (1,000,000 leads + 12.9 M events; docs/sql.md, "Performance").
 *
 * The leads (CSV, JSON Lines, a JSON array or Parquet) and their events are loaded into an
 * in-process DuckDB, scored there by the SQL target's query (the same IR as the JavaScript
 * scorer, with the same results), and written
 * with the JavaScript path's own writers, so the output has the same columns and the same text:
 * every input column, then `score`, `stage`, `tier` and one column per group. `--out x.parquet`
 * writes Parquet straight from DuckDB.
 *
 * Records are read, rejected and counted exactly as the JavaScript engine does (see `loadFile`):
 * the same rows scored, the same rows rejected with the same lines, columns and messages, the
 * same `N read = W written + R rejected`; and values of the wrong type are reported alike too
 * (`duckdb-problems.ts`: the same rows with values treated as missing, the same `--errors` rows
 * and messages, the same `--strict`). Differences from the JavaScript engine, all refused or
 * stated: no `--explain` (the `why` text); no stdin; the events file need not be sorted; with
 * `--events`, the leads file's problems are reported before the events file's.
 */
import { mkdtemp, realpath, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { compile, emitSql, emitSqlEventTotals, sqlOutputColumns, SqlEmitError, type ScoreResult, type SqlMapping } from '@rubric/core';
import type { ScoreCommandOptions } from '../commands/score.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, type CommandContext } from '../context.js';
import { AtomicOutputFile } from '../files.js';
import { writeWithBackpressure } from '../io.js';
import { idText } from '../input/events-join.js';
import { isBlankColumn } from '../input/blank-columns.js';
import { columnRoles, inputColumnNotices, leadFromRow, schemaOf, type ColumnRole, type Schema } from '../input/leads.js';
import { eventsReadOptions, formatFromExtension } from '../input/source.js';
import { ProblemReporter } from '../output/problems.js';
import { flattenRecord, groupColumnsOf, resultColumns, resultValues, ScoredRecordWriter } from '../output/scored-records.js';
import { csvCell, encodeCsvCell, encodeCsvLine, PLAIN_CSV_STYLE, type CsvStyle, type OutputFormat } from '../output/writers.js';
import { loadScorer } from '../rules.js';
import { resolveNow } from '../time.js';
import { plural } from '../render/code-frame.js';
import { listNames } from '../render/names.js';
import { terminalText } from '../render/terminal-text.js';
import {
  eventKeyCheck,
  eventsFileView,
  leadsView,
  loadFile,
  mayHoldRefusedJson,
  ownEventsView,
  recordLine,
  sqlName,
  sqlText,
  type EngineInputFormat,
  type LoadedInput,
  type RecordCheck,
  ENGINE_ALLOCATOR_SETTINGS,
} from './duckdb-input.js';
import { eventValueProblems, leadValueProblems } from './duckdb-problems.js';

/** The engines of `rubric score`. */
export const SCORE_ENGINES = ['js', 'duckdb'] as const;

/** Adds `--engine js|duckdb` to `rubric score`. */
export function addEngineOption(command: Command): void {
  command.addOption(
    new Option('--engine <engine>', 'js: stream through the JavaScript scorer (default, and the faster one on CSV); duckdb: load the files into DuckDB and score there in SQL (Parquet in and out, unsorted events files; slower than js on CSV files: 1.3x to 1.8x its wall time and about 2.5x its CPU time on 2 cores)')
      .choices([...SCORE_ENGINES])
      .default('js'),
  );
}

/** Whether the options ask for the DuckDB engine. */
export function usesDuckdb(options: object): boolean {
  return (options as { engine?: unknown }).engine === 'duckdb';
}

function inputFormatOf(userPath: string, option: string | undefined): EngineInputFormat | undefined {
  if (option !== undefined) return option as EngineInputFormat;
  if (path.extname(userPath).toLowerCase() === '.parquet') return 'parquet';
  return formatFromExtension(userPath);
}

type EngineOutput = OutputFormat | 'parquet';

function outputFormatOf(options: ScoreCommandOptions, input: EngineInputFormat): EngineOutput {
  if (options.format !== undefined) return options.format;
  if (options.out !== undefined && options.out !== '-') {
    if (path.extname(options.out).toLowerCase() === '.parquet') return 'parquet';
    const byName = formatFromExtension(options.out);
    if (byName === 'csv') return 'csv';
    if (byName === 'jsonl' || byName === 'json') return 'jsonl';
  }
  return input === 'csv' ? 'csv' : 'jsonl';
}

function refuse(option: string, why: string): never {
  throw new CliError(`${option} is not available with --engine duckdb: ${why}`, { help: 'use --engine js (the default) for it' });
}

/** A DuckDB value as the JavaScript path would hold it (numbers, text, lists, JSON values). */
function plainValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return String(value);
}

/**
 * The leads the JavaScript engine rejects after reading them (`leadFromRow`'s `rejected`: a CSV
 * `events` cell nested too deep, or with an unpaired surrogate escape), reported as it reports
 * them. JSON leads are checked by the reader itself.
 */
function leadRowCheck(schema: Schema, idColumn: string): RecordCheck {
  let roles: { columns: readonly string[]; roles: readonly ColumnRole[] } | undefined;
  const rolesOf = (columns: readonly string[]): readonly ColumnRole[] => {
    if (roles?.columns !== columns) roles = { columns, roles: columnRoles(columns, schema) };
    return roles.roles;
  };
  const eventCells = (columns: readonly string[]) => rolesOf(columns).flatMap((role, i) => (role.kind === 'events' ? [i] : []));
  return {
    suspectRows(columns) {
      const cells = eventCells(columns);
      return cells.length === 0 ? undefined : cells.map((i) => mayHoldRefusedJson(`c${i}`)).join(' OR ');
    },
    rejectRow(columns, fields) {
      // Only an events cell can reject a row: rows without one skip building the lead.
      if (!eventCells(columns).some((i) => fields[i].trim() !== '')) return undefined;
      const { rejected } = leadFromRow(columns, rolesOf(columns), fields);
      if (rejected === undefined) return undefined;
      const index = columns.indexOf(idColumn);
      const lead = index === -1 ? undefined : idText(fields[index]);
      return { column: rejected.column, field: rejected.field, message: rejected.message, text: rejected.value, ...(lead !== undefined ? { lead } : {}) };
    },
    rejectObject: () => undefined,
  };
}

/** Runs `rubric score --engine duckdb`; returns the exit code. */
export async function runScoreDuckdb(context: CommandContext, rulesPath: string, dataPath: string, options: ScoreCommandOptions): Promise<number> {
  if (dataPath === '-') refuse('reading stdin', 'DuckDB reads files');
  if (options.events === '-') refuse('reading events from stdin', 'DuckDB reads files');
  if (options.explain) refuse('--explain', 'the `why` text is written by the JavaScript explainer');
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const inputFormat = inputFormatOf(dataPath, options.inputFormat);
  if (inputFormat === undefined) {
    throw new CliError(`cannot tell the format of \`${context.displayPath(dataPath)}\``, { help: 'pass --input-format csv, jsonl or json (or use a .csv, .jsonl, .json or .parquet file name)' });
  }
  const eventsFormat = options.events === undefined ? undefined : inputFormatOf(options.events, options.eventsFormat);
  if (options.events !== undefined && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, { help: 'pass --events-format csv or jsonl (or use a .csv, .jsonl or .parquet file name)' });
  }
  const outputFormat = outputFormatOf(options, inputFormat);
  if (outputFormat === 'parquet' && (options.out === undefined || options.out === '-')) {
    throw new CliError('Parquet output needs --out FILE.parquet');
  }

  const { source: rules } = await loadScorer(context, rulesPath, 'scoring');
  if (rules.analysis.model.account !== null) {
    // Issue 17: the contact query of an account file reads its account's fields from the accounts.
    throw new CliError(`\`${rules.path}\` scores accounts: --engine duckdb scores its contacts with their accounts only`, {
      help: 'give the accounts with --accounts FILE --accounts-out FILE, or leave --engine out to score each contact alone',
    });
  }
  const compiled = compile(rules.analysis.model).scorer;
  if (compiled === null) throw new Error(`the compiler returned no scorer for \`${rules.path}\``);
  const schema = schemaOf(rules.analysis.model);
  const groups = rules.analysis.model.groups.map((group) => group.name);
  // The output's group columns; refuses a group named like a computed column, as the JS engine does.
  const groupColumns = groupColumnsOf(groups, options.groupPrefix ?? '', false);
  const computed = resultColumns(groupColumns, false);

  // Loaded only when `--engine duckdb` is asked for: the native module costs every other command
  // about half a second and 50 MB at start-up.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // What does not fit in DuckDB's memory spills to a folder of our own under the system's temp
  // folder (TMPDIR), removed after the run: an in-memory DuckDB's default is `.tmp` in the
  // user's working folder, left behind.
  const spill = await mkdtemp(path.join(tmpdir(), 'rubric-duckdb-'));
  let instance: Awaited<ReturnType<typeof DuckDBInstance.create>>;
  try {
    instance = await DuckDBInstance.create(':memory:', { temp_directory: spill, ...ENGINE_ALLOCATOR_SETTINGS });
  } catch (error) {
    await rm(spill, { recursive: true, force: true });
    throw error;
  }
  let connection: DuckDBConnection;
  let reporter: ProblemReporter;
  try {
    connection = await instance.connect();
    reporter = await ProblemReporter.open(context, options.errors);
  } catch (error) {
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
    throw error;
  }
  let scoringConnection: DuckDBConnection | undefined;
  let scored: Promise<void> | undefined;
  let summary: Promise<string> | undefined;
  let succeeded = false;
  try {
    const delimiter = options.delimiter;
    // `--encoding` for the data, `--events-encoding` (default `--encoding`) for the events file (a
    // byte order mark decides over either), as in the JavaScript engine.
    const readOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
    const leads = await loadFile(context, connection, 'rubric_input', dataPath, inputFormat, delimiter, leadRowCheck(schema, options.id), readOptions);
    const inputPath = context.displayPath(dataPath);
    for (const notice of leads.notices) context.warn(notice);
    const leadPart = await leadsView(connection, 'rubric_input', inputFormat, leads, schema, options.id);
    if (inputFormat === 'csv' || inputFormat === 'parquet') {
      for (const notice of inputColumnNotices(leads.columns, schema, computed, options.id, { input: inputPath, rules: rules.path }, outputFormat === 'csv' ? 'kept' : 'left-out')) context.warn(notice);
    } else if (leadPart.absent.length > 0) {
      const one = leadPart.absent.length === 1;
      context.warn(`lead ${one ? 'field' : 'fields'} ${listNames(leadPart.absent)} of \`${rules.path}\` ${one ? 'has' : 'have'} no column in \`${inputPath}\`: always missing`);
    }
    if (options.events !== undefined && (inputFormat === 'csv' || inputFormat === 'parquet') && !leads.columns.includes(options.id)) {
      throw new CliError(`\`${inputPath}\` has no \`${options.id}\` column to join the events on`, { help: 'name the lead id column with --id COLUMN' });
    }

    let eventsPart: NonNullable<SqlMapping['events']> | undefined;
    let leadMapping = leadPart.mapping;
    let eventsFile: { path: string; format: EngineInputFormat; loaded: LoadedInput } | undefined;
    let ownEvents: NonNullable<SqlMapping['events']> | undefined;
    if (options.events !== undefined && eventsFormat !== undefined) {
      const loadedEvents = await loadFile(context, connection, 'rubric_events_input', options.events, eventsFormat, undefined, eventKeyCheck(options.eventsKey), eventsReadOptions(options.encoding, options.eventsEncoding));
      for (const notice of loadedEvents.notices) context.warn(notice);
      eventsPart = await eventsFileView(connection, 'rubric_events_input', eventsFormat, loadedEvents, schema, options.eventsKey);
      eventsFile = { path: options.events, format: eventsFormat, loaded: loadedEvents };
      await warnUndeclaredEventTypes(context, connection, eventsFile, [...schema.events.keys()]);
    } else if (leadPart.ownEvents !== undefined) {
      eventsPart = await ownEventsView(connection, leadPart.ownEvents, schema);
      ownEvents = eventsPart;
      leadMapping = { ...leadMapping, eventKey: 'rubric_row' };
    } else {
      // No events anywhere: an empty events relation of the right shape.
      eventsPart = await ownEventsView(connection, 'SELECT CAST(NULL AS BIGINT) AS rubric_lead, CAST(NULL AS JSON) AS rubric_event WHERE false', schema);
      leadMapping = { ...leadMapping, eventKey: 'rubric_row' };
    }

    // The inputs are loaded (their `rowid` is their file order, which the loads keep): every later
    // statement that needs an order says it (ORDER BY), so DuckDB may skip keeping insertion order,
    // which costs memory and time in the big CREATE TABLE ... AS statements (1 M leads + 12.9 M
    // events, replayed in one process: the scores' table 2.0 -> 1.2 s, 1.3 s less system time).
    await connection.run('SET preserve_insertion_order = false');

    // Group columns of the scored table get an internal prefix, so no group name can meet `score`,
    // `stage`, `tier` or the row key there; the output names them `groupColumns`.
    const sqlOptions = { dialect: 'duckdb' as const, mapping: { leads: leadMapping, events: eventsPart }, select: true, now, groupPrefix: 'rubric_group_' };
    let scoring: string;
    let names: ReturnType<typeof sqlOutputColumns>;
    // With an events file, the scoring is two statements: the per-lead event totals first (a
    // table, which also lists the events holding a value of the wrong type, found in the same pass
    // that reads them: the problem finder then reads that list instead of reading every event
    // again), then the scores over them.
    let totalsSql: string | undefined;
    try {
      totalsSql = eventsFile === undefined ? undefined : emitSqlEventTotals(compiled.ir, { ...sqlOptions, suspectRow: 'rubric_event_row' });
      scoring = emitSql(compiled.ir, totalsSql === undefined ? sqlOptions : { ...sqlOptions, eventTotals: 'rubric_event_totals' });
      names = sqlOutputColumns(compiled.ir, sqlOptions);
    } catch (error) {
      if (error instanceof SqlEmitError) throw new CliError(`cannot score \`${rules.path}\` in DuckDB: ${error.message}`, error.help === undefined ? {} : { help: error.help });
      throw error;
    }
    // Scoring does not depend on the problems: it runs on a second connection while they are
    // found, so the JavaScript checks of the suspect rows overlap DuckDB's work. Awaited before
    // any output (an error surfaces there, after the problems, as before).
    const second = await instance.connect();
    scoringConnection = second;
    const totals = totalsSql === undefined ? undefined : second.run(`CREATE TABLE rubric_event_totals AS ${totalsSql}`).then(() => undefined);
    totals?.catch(() => undefined);
    scored = (totals ?? Promise.resolve()).then(() => second.run(`CREATE TABLE rubric_scored AS ${scoring}`)).then(() => undefined);
    scored.catch(() => undefined);

    // Every problem, before any output: the rejected records and the values of the wrong type,
    // in file order for each file (the leads file's, then the events file's; the JavaScript
    // engine interleaves the two files' problems as it reads them side by side).
    const rowsWithInvalidValues = await leadValueProblems(context, connection, { table: 'rubric_input', loaded: leads, format: inputFormat, path: dataPath, shown: inputPath }, {
      scorer: compiled,
      schema,
      mapping: leadPart.mapping,
      idColumn: options.id,
      join: eventsFile !== undefined,
      ownEvents,
    }, (problem) => reporter.report(problem));
    if (eventsFile !== undefined && eventsPart !== undefined) {
      const shown = context.displayPath(eventsFile.path);
      const loadedFile = { table: 'rubric_events_input', loaded: eventsFile.loaded, format: eventsFile.format, path: eventsFile.path, shown };
      await eventValueProblems(
        context,
        connection,
        loadedFile,
        { scorer: compiled, schema, mapping: eventsPart, key: options.eventsKey, ...(totals === undefined ? {} : { totals: { table: 'rubric_event_totals', ready: totals } }) },
        (problem) => reporter.report(problem),
      );
    }
    // --strict: any problem, and no output is written at all.
    const failedStrict = options.strict === true && reporter.count > 0;
    await scored;
    // The `events:` summary reads the events and the leads, not the scores: it runs on the scoring
    // connection (free now) while this one writes the output, instead of after it (a pass over
    // the events: 0.4 s at 1 M leads + 12.9 M events).
    if (eventsFile !== undefined) {
      summary = eventsSummary(context, second, eventsFile);
      summary.catch(() => undefined);
    }

    const stats = { written: 0, stages: new Map<string | null, number>() };
    for (const stage of rules.analysis.model.stages) stats.stages.set(stage.name, 0);
    stats.stages.set(null, 0);
    const stageRows = await connection.runAndReadAll('SELECT stage, count(*) AS n FROM rubric_scored GROUP BY stage');
    for (const row of stageRows.getRowObjectsJS()) stats.stages.set(row.stage === null ? null : String(row.stage), Number(row.n));

    const scoreColumns = [names.score, names.stage, names.tier, ...names.groups].map(sqlName);
    const inputColumns = inputFormat === 'json' || inputFormat === 'jsonl' ? ['i.rubric_json'] : leads.columns.map((column, i) => (inputFormat === 'csv' ? `i.c${i}` : `i.${sqlName(column)}`));
    const joined = `SELECT ${[...inputColumns, ...scoreColumns.map((c) => `s.${c}`)].join(', ')} FROM rubric_input_rows AS i JOIN rubric_scored AS s ON s.${sqlName(names.id)} = i.rubric_row ORDER BY i.rubric_row`;

    if (failedStrict) {
      const count = await connection.runAndReadAll('SELECT count(*) FROM rubric_scored');
      stats.written = Number(count.getRows()[0][0]);
    } else if (outputFormat === 'parquet') {
      stats.written = await writeParquet(context, connection, options.out as string, leads.columns, inputFormat, names, groupColumns, computed);
    } else if (outputFormat === 'csv' && inputFormat === 'csv') {
      const texts = { stage: rules.analysis.model.stages.map((stage) => stage.name), tier: rules.analysis.model.tiers.map((tier) => tier.name) };
      stats.written = await writeCsvLines(context, connection, options, leads.columns, leads.delimiter, csvStyleOf(leads), names, groupColumns, computed, leads.cellQuoting, texts);
    } else {
      stats.written = await writeRecords(context, connection, joined, options, outputFormat, inputFormat, leads.columns, leads.delimiter, csvStyleOf(leads), groups, groupColumns, computed);
    }
    if (stats.written + leads.rejected.length === 0) {
      // As the JavaScript engine says it.
      context.warn(inputFormat === 'csv' && leads.columns.length > 0 ? `\`${inputPath}\` has a header but no leads` : `\`${inputPath}\` is empty: no leads to score`);
    }
    const eventsLine = summary === undefined ? undefined : await summary;
    await reporter.finish();
    succeeded = true;

    // The JavaScript engine's summary, line for line; names and paths escaped for the terminal.
    const c = context.colors('stderr');
    const lines = [
      `${c.bold('now')}: ${now.toISOString()} (${nowSource})`,
      `${c.bold('rows')}: ${stats.written + leads.rejected.length} read = ${stats.written} written + ${leads.rejected.length} rejected${rowsWithInvalidValues > 0 ? `; ${plural(rowsWithInvalidValues, 'row')} had values treated as missing` : ''} (engine: duckdb)`,
      `${c.bold('stages')}: ${[...stats.stages].map(([stage, count]) => `${stage === null ? 'no stage' : terminalText(stage)} ${count}`).join(', ')}`,
    ];
    if (eventsLine !== undefined) lines.push(`${c.bold('events')}: ${eventsLine}`);
    if (reporter.count > 0) lines.push(`${c.bold('problems')}: ${reporter.count}${options.errors !== undefined ? ` (all in ${terminalText(context.displayPath(options.errors))})` : ''}`);
    if (failedStrict) {
      // As the JavaScript engine says it.
      const target = options.out !== undefined && options.out !== '-' ? `\`${terminalText(context.displayPath(options.out))}\` was not written` : 'no rows were printed';
      lines.push(c.red(`--strict: ${plural(reporter.count, 'problem')}, so ${target}`));
    } else if (options.out !== undefined && options.out !== '-') {
      lines.push(`${c.bold('wrote')}: ${terminalText(context.displayPath(options.out))}`);
    }
    context.io.stderr.write(`${lines.join('\n')}\n`);
    return failedStrict ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    if (!succeeded) await reporter.abort();
    if (scored !== undefined && !succeeded) {
      // A failure before the scoring query (or the events summary) was awaited: stop it before closing.
      scoringConnection?.interrupt();
      await scored.catch(() => undefined);
      await summary?.catch(() => undefined);
    }
    scoringConnection?.closeSync();
    connection.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}

/**
 * The JavaScript join's notices about an events file's events of a type the rules do not
 * declare (or with no type): one per type, in the order of their first event, at most 100,
 * worded alike. Parquet files are left out (the JavaScript engine does not read them).
 */
async function warnUndeclaredEventTypes(
  context: CommandContext,
  connection: DuckDBConnection,
  file: { path: string; format: EngineInputFormat; loaded: LoadedInput },
  declared: readonly string[],
): Promise<void> {
  if (file.format === 'parquet') return;
  const undeclared = declared.length === 0 ? 'true' : `rubric_type IS NULL OR rubric_type NOT IN (${declared.map(sqlText).join(', ')})`;
  const result = await connection.runAndReadAll(
    `SELECT coalesce(rubric_type, '') AS type, min(rubric_event_row) AS first_row FROM rubric_events WHERE ${undeclared} GROUP BY 1 ORDER BY 2 LIMIT 100`,
  );
  const shown = context.displayPath(file.path);
  for (const [type, row] of result.getRows()) {
    const line = await recordLine(context, connection, 'rubric_events_input', file.loaded, file.path, file.format, Number(row));
    context.warn(
      type === ''
        ? `\`${shown}\` line ${line}: an event without a \`type\` is ignored`
        : `\`${shown}\`: event type \`${String(type)}\` (first on line ${line}) is not declared in the rules; its events are ignored`,
    );
  }
}

/**
 * The `events:` summary of an events file, as the JavaScript join counts it: events read (rejected
 * ones too), joined to a scored lead, rejected, and those for leads not in the data (with the
 * first one's lead and line).
 */
async function eventsSummary(context: CommandContext, connection: DuckDBConnection, file: { path: string; format: EngineInputFormat; loaded: LoadedInput }): Promise<string> {
  // One pass over the events: each joined (or not) to the distinct lead ids.
  const counts = await connection.runAndReadAll(
    `SELECT count(*) AS n, count(l.rubric_id) AS used, count(*) FILTER (WHERE l.rubric_id IS NULL) AS unmatched, count(DISTINCT e.rubric_lead) FILTER (WHERE l.rubric_id IS NULL) AS leads, arg_min(e.rubric_lead, e.rubric_event_row) FILTER (WHERE l.rubric_id IS NULL) AS first_lead, min(e.rubric_event_row) FILTER (WHERE l.rubric_id IS NULL) AS first_row FROM rubric_events AS e LEFT JOIN (SELECT DISTINCT rubric_id FROM rubric_leads WHERE rubric_id IS NOT NULL) AS l ON l.rubric_id = e.rubric_lead`,
  );
  const row = counts.getRowObjectsJS()[0];
  const rejected = file.loaded.rejected.length;
  let line = `${Number(row.n) + rejected} read, ${Number(row.used)} joined to leads`;
  if (rejected > 0) line += `, ${rejected} rejected`;
  if (Number(row.unmatched) > 0 && row.first_lead !== null) {
    const at = await recordLine(context, connection, 'rubric_events_input', file.loaded, file.path, file.format, Number(row.first_row));
    const where = file.format === 'parquet' ? 'row' : 'line';
    line += `, ${Number(row.unmatched)} for ${plural(Number(row.leads), 'lead')} not in the data (first: lead \`${terminalText(String(row.first_lead))}\`, ${where} ${at})`;
  }
  return line;
}

/**
 * The CSV output's line break and byte order mark: a CSV input's (CRLF kept, a mark kept), as the
 * JavaScript engine writes them; LF and no mark for other inputs.
 */
function csvStyleOf(loaded: LoadedInput): CsvStyle {
  return loaded.lineBreak === '\r\n' || loaded.bom ? { lineBreak: loaded.lineBreak === '\r\n' ? '\r\n' : '\n', bom: loaded.bom } : PLAIN_CSV_STYLE;
}

/** Streams the joined rows through the JavaScript path's writers; returns the rows written. */
async function writeRecords(
  context: CommandContext,
  connection: DuckDBConnection,
  sql: string,
  options: ScoreCommandOptions,
  outputFormat: OutputFormat,
  inputFormat: EngineInputFormat,
  inputColumns: readonly string[],
  delimiter: string,
  style: CsvStyle,
  groups: readonly string[],
  groupColumns: readonly string[],
  computed: readonly string[],
): Promise<number> {
  const file = options.out !== undefined && options.out !== '-' ? await AtomicOutputFile.open(context, options.out) : undefined;
  const stream = file?.stream ?? context.io.stdout;
  const writer = new ScoredRecordWriter(stream, outputFormat, computed);
  const json = inputFormat === 'json' || inputFormat === 'jsonl';
  if (!json) writer.setInputColumns(inputColumns, delimiter, inputFormat === 'csv' ? style : PLAIN_CSV_STYLE);
  let written = 0;
  try {
    const result = await connection.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) {
        const offset = json ? 1 : inputColumns.length;
        const scored: ScoreResult = {
          score: row[offset] as number,
          stage: (row[offset + 1] as string | null) ?? null,
          tier: (row[offset + 2] as string | null) ?? null,
          groups: Object.fromEntries(groups.map((name, g) => [name, row[offset + 3 + g] as number])),
        };
        const values = resultValues(scored, groups, groupColumns, undefined);
        if (json) {
          const value = JSON.parse(String(row[0])) as Record<string, unknown>;
          const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value };
          if (!writer.hasColumns) writer.setInputColumns(outputFormat === 'csv' ? [...flattenRecord(record).keys()] : []);
          await writer.writeObject(record, values);
        } else {
          const fields = row.slice(0, inputColumns.length).map((cell) => (inputFormat === 'csv' ? (cell === null ? '' : String(cell)) : csvCell(plainValue(cell))));
          await writer.writeRow(inputColumns, fields, values);
        }
        written += 1;
      }
    }
    if (!writer.hasColumns) writer.setInputColumns([]);
    await writer.finish();
    await file?.commit();
  } catch (error) {
    await file?.abort();
    throw error;
  }
  return written;
}

/** Writes Parquet straight from DuckDB (input columns, computed ones replacing same-named ones). */
async function writeParquet(
  context: CommandContext,
  connection: DuckDBConnection,
  out: string,
  inputColumns: readonly string[],
  inputFormat: EngineInputFormat,
  names: ReturnType<typeof sqlOutputColumns>,
  groups: readonly string[],
  computed: readonly string[],
): Promise<number> {
  const sources = new Map<string, string>([
    ['score', `s.${sqlName(names.score)}`],
    ['stage', `s.${sqlName(names.stage)}`],
    ['tier', `s.${sqlName(names.tier)}`],
    ...groups.map((group, g): [string, string] => [group, `s.${sqlName(names.groups[g])}`]),
  ]);
  const select: string[] = [];
  const json = inputFormat === 'json' || inputFormat === 'jsonl';
  if (json) select.push('i.rubric_json AS "lead"');
  else {
    inputColumns.forEach((column, i) => {
      // A column with no name has no Parquet name either (several would clash): left out, as in JSON Lines.
      if (isBlankColumn(column)) return;
      const value = sources.get(column) ?? (inputFormat === 'csv' ? `i.c${i}` : `i.${sqlName(column)}`);
      select.push(`${value} AS ${sqlName(column)}`);
    });
  }
  for (const column of computed) if (json || !inputColumns.includes(column)) select.push(`${sources.get(column) as string} AS ${sqlName(column)}`);
  const requested = context.resolvePath(out);
  const existing = await stat(requested).catch(() => undefined);
  // As AtomicOutputFile: a device or a pipe is written directly (a rename would replace it with a
  // file), a symbolic link is followed.
  const direct = existing !== undefined && !existing.isFile() && !existing.isDirectory();
  const target = existing === undefined ? requested : await realpath(requested);
  const temporary = direct ? target : path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp.parquet`);
  try {
    await connection.run(
      `COPY (SELECT ${select.join(', ')} FROM rubric_input_rows AS i JOIN rubric_scored AS s ON s.${sqlName(names.id)} = i.rubric_row ORDER BY i.rubric_row) TO ${sqlText(temporary)} (FORMAT parquet)`,
    );
    if (!direct) await rename(temporary, target);
  } catch (error) {
    if (!direct) await rm(temporary, { force: true });
    throw new CliError(`cannot write \`${context.displayPath(out)}\`: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const count = await connection.runAndReadAll('SELECT count(*) FROM rubric_scored');
  return Number(count.getRows()[0][0]);
}

/**
 * A number of hundredths (`value` is hundredths / 100, a DOUBLE) as JavaScript's `String()`
 * writes it: `60`, `12.5`, `-0.05` (exact: the hundredths are an integer).
 */
function numberText(value: string): string {
  const hundredths = `CAST(round(${value} * 100) AS BIGINT)`;
  const magnitude = `abs(${hundredths})`;
  const fraction = `(${magnitude} % 100)`;
  const digits = `CASE WHEN ${fraction} = 0 THEN '' WHEN ${fraction} % 10 = 0 THEN '.' || CAST(${fraction} // 10 AS VARCHAR) ELSE '.' || lpad(CAST(${fraction} AS VARCHAR), 2, '0') END`;
  return `CASE WHEN ${value} IS NULL THEN '' ELSE CASE WHEN ${hundredths} < 0 THEN '-' ELSE '' END || CAST(${magnitude} // 100 AS VARCHAR) || ${digits} END`;
}

/**
 * A CSV cell as `encodeCsvLine` writes it: quoted when it holds the delimiter, a quote, CR or LF,
 * or starts or ends with a space. `tests`: what the text may hold (see `LoadedInput.cellQuoting`):
 * `none` writes it as it is, `spaces` only tests the spaces at its ends.
 */
function csvCellSql(text: string, delimiter: string, tests: 'none' | 'spaces' | 'all' = 'all'): string {
  if (tests === 'none') return text;
  const spaces = [`starts_with(${text}, ' ')`, `suffix(${text}, ' ')`];
  const quoted = (tests === 'spaces' ? spaces : [`contains(${text}, ${sqlText(delimiter)})`, `contains(${text}, '"')`, `contains(${text}, chr(10))`, `contains(${text}, chr(13))`, ...spaces]).join(' OR ');
  return `CASE WHEN ${quoted} THEN '"' || replace(${text}, '"', '""') || '"' ELSE ${text} END`;
}

/**
 * CSV in, CSV out: DuckDB builds each output line exactly as the JavaScript writer would (same
 * columns, cells, quoting and number text). To a file, DuckDB writes the lines itself (`COPY`, in
 * a temporary file renamed over the target, as {@link AtomicOutputFile} does); to stdout or a
 * file that is not a regular one (a pipe, a device), Node copies them out. The tests compare the
 * bytes with the JavaScript path.
 */
async function writeCsvLines(
  context: CommandContext,
  connection: DuckDBConnection,
  options: ScoreCommandOptions,
  inputColumns: readonly string[],
  delimiter: string,
  style: CsvStyle,
  names: ReturnType<typeof sqlOutputColumns>,
  groups: readonly string[],
  computed: readonly string[],
  cellQuoting: LoadedInput['cellQuoting'],
  texts: { readonly stage: readonly string[]; readonly tier: readonly string[] },
): Promise<number> {
  // Number text is digits, `-` and `.`: it needs quotes only when the delimiter is one of them.
  const plainNumbers = !/[0-9.\- ]/.test(delimiter);
  const numberColumns = new Set(['score', ...groups]);
  const sources = new Map<string, string>([
    ['score', numberText(`s.${sqlName(names.score)}`)],
    ['stage', `coalesce(s.${sqlName(names.stage)}, '')`],
    ['tier', `coalesce(s.${sqlName(names.tier)}, '')`],
    ...groups.map((group, g): [string, string] => [group, numberText(`s.${sqlName(names.groups[g])}`)]),
  ]);
  // `stage` and `tier` hold a name of the rule file or nothing: when none of those needs quotes
  // (encodeCsvCell writes it as it is), their cells are written without a test.
  const plainTexts = new Set(Object.entries(texts).flatMap(([column, values]) => (values.every((value) => encodeCsvCell(value, delimiter) === value) ? [column] : [])));
  const columns = [...inputColumns, ...computed.filter((column) => !inputColumns.includes(column))];
  // By position: several input columns may have no name (blank-columns.ts), each its own cells.
  const cells = columns.map((column, position) => {
    const index = position < inputColumns.length ? position : -1;
    const text = sources.get(column) ?? `coalesce(i.c${index}, '')`;
    if (sources.has(column) && numberColumns.has(column) && plainNumbers) return `(${text})`;
    const tests = sources.has(column) ? (plainTexts.has(column) ? 'none' : 'all') : (cellQuoting?.[index] ?? 'all');
    return `(${csvCellSql(`(${text})`, delimiter, tests)})`;
  });
  // One concat() builds the line in one piece (a chain of || copies it once per cell).
  const cellsJoined = `concat(${cells.join(`, ${sqlText(delimiter)}, `)})`;
  const crlf = style.lineBreak === '\r\n';
  const line = `concat(${cellsJoined}, ${crlf ? 'chr(13), ' : ''}chr(10))`;
  const file = options.out !== undefined && options.out !== '-' ? await AtomicOutputFile.open(context, options.out) : undefined;
  // The header after the input's byte order mark, if it had one (DuckDB writes U+FEFF as UTF-8).
  const header = (style.bom ? '\ufeff' : '') + encodeCsvLine(columns, delimiter, style.lineBreak);
  if (file?.temporaryPath !== undefined && !header.includes('\u0000')) {
    // One text column of whole lines (the header first), written as they are: no quoting, no
    // delimiter (the column's own text never gets a separator: there is one column). DuckDB ends
    // each with LF: a CRLF line holds its CR.
    const headerLine = header.slice(0, -1);
    const bodyLine = crlf ? `concat(${cellsJoined}, chr(13))` : cellsJoined;
    const lines = `SELECT ${sqlText(headerLine)} AS line, -1 AS rubric_row UNION ALL SELECT ${bodyLine}, i.rubric_row FROM rubric_input_rows AS i JOIN rubric_scored AS s ON s.${sqlName(names.id)} = i.rubric_row`;
    try {
      await file.close();
      await connection.run(`COPY (SELECT line FROM (${lines}) ORDER BY rubric_row) TO ${sqlText(file.temporaryPath)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER chr(1))`);
      await file.commit();
    } catch (error) {
      await file.abort();
      if (error instanceof CliError) throw error;
      throw new CliError(`cannot write \`${context.displayPath(options.out as string)}\`: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    const count = await connection.runAndReadAll('SELECT count(*) FROM rubric_scored');
    return Number(count.getRows()[0][0]);
  }
  const stream = file?.stream ?? context.io.stdout;
  let written = 0;
  try {
    await writeWithBackpressure(stream, header);
    // Each line comes prefixed with `.`: the client would drop a line's leading U+FEFF.
    const result = await connection.stream(`SELECT '.' || ${line} AS line FROM rubric_input_rows AS i JOIN rubric_scored AS s ON s.${sqlName(names.id)} = i.rubric_row ORDER BY i.rubric_row`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const lines = chunk.getColumnVector(0);
      let text = '';
      for (let r = 0; r < chunk.rowCount; r++) text += (lines.getItem(r) as string).slice(1);
      await writeWithBackpressure(stream, text);
      written += chunk.rowCount;
    }
    await file?.commit();
  } catch (error) {
    await file?.abort();
    throw error;
  }
  return written;
}
