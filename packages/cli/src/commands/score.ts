import { statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import type { InvalidValue, LeadEvent, RowPlan, RowScorer, Scorer, ScoreOptions, ScoreResult } from '@rubric/core';
import { CliError, EXIT_FINDINGS, EXIT_OK, type CommandContext } from '../context.js';
import { AtomicOutputFile, SpoolFile } from '../files.js';
import { addExamples, addHelpSection } from '../help.js';
import { readItemBatches } from '../input/data-file.js';
import { compareIds, EventsJoin, idText, OUT_OF_ORDER_HELP, type EventsJoinStats } from '../input/events-join.js';
import { readJsonArray, readJsonLines } from '../input/json.js';
import { columnOfField, columnRoles, inputColumnNotices, LeadRowReader, replacedColumnsNotice, leadFromRow, schemaOf, setOwn, unknownKeys, type ColumnRole, type Schema } from '../input/leads.js';
import { refuseDuplicateColumns } from '../input/blank-columns.js';
import { ACCOUNTS_ENCODING_HELP, ENCODING_HELP, EVENTS_ENCODING_HELP, eventsReadOptions, formatFromExtension, INPUT_FORMATS, openInput, parseAccountsEncoding, parseEncoding, parseEventsEncoding, writesByteOrderMark, type InputEncoding, type InputFormat, type InputItem, type InputSource } from '../input/source.js';
import { cellProblemReport, describeInvalid, eventCellsHandling, eventsProblemHandling, ProblemReporter } from '../output/problems.js';
import { ScoreProgress } from '../output/progress.js';
import { StageCounts } from '../output/stage-counts.js';
import { groupColumnsOf, resultColumns, resultValues, ScoredRecordWriter } from '../output/scored-records.js';
import type { OutputFormat } from '../output/writers.js';
import { plural } from '../render/code-frame.js';
import { listNames } from '../render/names.js';
import { renderWhy } from '../render/explanation.js';
import { terminalText } from '../render/terminal-text.js';
import { loadScorer, type RuleSource } from '../rules.js';
import { resolveNow } from '../time.js';
import { wholeNumber } from '../whole-number.js';
import { addEngineOption, runScoreDuckdb, usesDuckdb } from '../engine/duckdb-score.js';
import { lineBreaksIn, readCsvBatches, type CsvOptions, type CsvPieceEnd, type CsvResume } from '../input/csv.js';
import { encodingNotice } from '../input/source.js';
import { eachChunk, PieceScorer, type PieceJob, type PieceResult, type PieceSetup } from '../parallel/piece-scorer.js';
import { PieceReader, pieceText } from '../parallel/piece-reader.js';
import { defaultThreads, pieceUnits, ScoreWorkers } from '../parallel/worker-pool.js';
import { ACCOUNTS_HELP, parseMaxContacts, runScoreAccounts } from './score-accounts.js';
import { DEFAULT_MAX_CONTACTS } from '../accounts/read-accounts.js';

export interface ScoreCommandOptions {
  readonly events?: string;
  readonly eventsKey: string;
  readonly eventsFormat?: InputFormat;
  readonly id: string;
  readonly now?: string;
  readonly out?: string;
  readonly format?: OutputFormat;
  readonly inputFormat?: InputFormat;
  readonly delimiter?: string;
  /** `--encoding`, parsed (see `parseEncoding`): of the data and the events file. */
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  readonly explain?: boolean;
  readonly groupPrefix?: string;
  readonly errors?: string;
  readonly strict?: boolean;
  readonly progress: boolean;
  /** `--accounts FILE` (issue 17): score accounts from their contacts (score-accounts.ts). */
  readonly accounts?: string;
  readonly accountsOut?: string;
  readonly accountsFormat?: InputFormat;
  /** `--accounts-encoding`, parsed: of the accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
  /** `--max-contacts`, parsed: contacts (and accounts) held in memory at most with --accounts. */
  readonly maxContacts?: number;
  /** `--threads`, parsed: threads scoring a CSV file's rows (default: `defaultThreads()`). */
  readonly threads?: number;
}

const INPUT_HELP = `DATA is CSV, JSON Lines or a JSON array, by extension (.csv .tsv .jsonl .ndjson .json) or
--input-format; \`-\` reads stdin. CSV: the first line names the columns (lead fields, dotted
for nested ones: company.size); the delimiter (, ; or tab) is detected from it. Cells are
coerced by the declared type: numbers (12, -5, 0.5), bool (true/false/yes/no/1/0),
ISO dates (2026-03-01, 2026-03-01T09:30:00Z), lists split on ; or | (CEO;CTO). An empty cell
is missing. A lead's events can be a JSON array in an \`events\` column (or key), or come from
--events. Text is UTF-8 unless --encoding says otherwise (windows-1252 is what Excel saves in
Western Europe); a byte order mark (UTF-8, UTF-16) is recognised. A record with bytes that are
not valid UTF-8 is rejected, and the first one is pointed out with its line.`;

const EVENTS_HELP = `--events FILE is CSV or JSON Lines with one event per row: \`lead_id\` (or --events-key),
\`type\`, \`at\` (ISO 8601) and the event's properties. Both files are read once, side by
side, so memory stays flat: the data and the events file MUST be sorted by lead id in the
same order (whole-number ids by value, other ids character by character: \`LC_ALL=C sort\`,
\`ORDER BY id\`). Leads without events need no rows. An out-of-order file stops the run
with the two lines involved.`;

const OUTPUT_HELP = `Output (stdout, or --out FILE written atomically) keeps every input column and adds
score, stage, tier, one column per group and, with --explain, a readable \`why\`. It is
UTF-8; CSV output keeps the input's CRLF line ends and its byte order mark, if it had them.
A bad row (unreadable line) is skipped and reported; a wrong-typed value is reported and
counts as missing, the row is still scored. Reports go to stderr (and all of them to
--errors FILE). With --strict any problem fails the run (exit 1) and no output is written.
The summary on stderr accounts for every row: read = written + rejected.`;

const THREADS_HELP = `A CSV file of more than a megabyte is scored on --threads threads (default: one per core
the process may use, a container's CPU quota included, at most 8): worker threads and the
main thread score pieces of whole lines, and the main thread writes them in the file's
order, so the output, the problems and the summary are the same for every number of
threads (the summary adds a \`threads:\` line). --threads 1 scores on the main thread
alone; so do JSON input and --events.`;

/** \`--threads N\`: 1 or more (at most 64). */
export function parseThreads(value: string): number {
  const number = wholeNumber(value);
  if (number === undefined || number < 1 || number > 64) {
    throw new CliError(`invalid --threads \`${value}\`: expected a whole number from 1 to 64`, { help: `for example --threads 4 (default: one per core, here ${defaultThreads()})` });
  }
  return number;
}

/** `rubric score RULES DATA`: scores a file of leads, streaming. */
export function registerScoreCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('score')
    .description('score a file of leads (CSV, JSON Lines or a JSON array), streaming')
    .argument('<rules>', 'the rule file')
    .argument('<data>', 'the leads: a .csv, .jsonl or .json file, or - for stdin')
    .option('--events <file>', 'events in a separate CSV or JSON Lines file, sorted like the data (see below)')
    .option('--events-key <column>', 'the events file column holding the lead id', 'lead_id')
    .addOption(new Option('--events-format <format>', 'format of the events file (default: by extension)').choices(INPUT_FORMATS))
    .option('--id <field>', 'the data field holding the lead id (to join events and in messages)', 'id')
    .option('--now <iso>', 'the instant to score at, ISO 8601 (default: the current time, printed)')
    .option('--out <file>', 'write the scored leads to this file instead of stdout')
    .addOption(new Option('--format <format>', 'output format (default: from --out, else like the input)').choices(['csv', 'jsonl']))
    .addOption(new Option('--input-format <format>', 'input format (default: by extension)').choices(INPUT_FORMATS))
    .option('--delimiter <char>', 'CSV delimiter of the data (default: detected from the header)')
    .option('--encoding <name>', ENCODING_HELP, parseEncoding)
    .option('--events-encoding <name>', EVENTS_ENCODING_HELP, parseEventsEncoding)
    .option('--explain', 'add a `why` column explaining each score')
    .option('--group-prefix <prefix>', 'prefix of the group columns (default none): `--group-prefix group_` writes `group_fit`')
    .option('--errors <file>', 'write every bad row and value to this file (CSV, or JSON Lines for .jsonl)')
    .option('--strict', 'fail (exit 1) on any bad row or value, and write no output')
    .option('--no-progress', 'no progress bar (it only shows on a terminal anyway)')
    .option('--accounts <file>', 'score accounts too: the accounts (CSV, JSON Lines or JSON) of the rule file\'s `account` block (see below)')
    .option('--accounts-out <file>', 'with --accounts: write the scored accounts to this file (CSV or JSON Lines; - for stdout)')
    .addOption(new Option('--accounts-format <format>', 'format of the accounts file (default: by extension)').choices(INPUT_FORMATS))
    .option('--accounts-encoding <name>', ACCOUNTS_ENCODING_HELP, parseAccountsEncoding)
    .option('--max-contacts <n>', `with --accounts: contacts (and accounts) held in memory at most (default ${DEFAULT_MAX_CONTACTS})`, parseMaxContacts)
    .option('--threads <n>', 'threads scoring the rows of a CSV file (default: one per core, at most 8; see below)', parseThreads);
  addEngineOption(command);
  command
    .action(async (rules: string, data: string, options: ScoreCommandOptions) => {
      context.setExitCode(await runScore(context, rules, data, options));
    });
  addExamples(command, [
    { command: 'rubric score rules/acme.rubric leads.csv --out scored.csv', description: 'score a CSV into a new CSV' },
    {
      command: 'rubric score rules/acme.rubric leads.csv --events events.csv --now 2026-03-01 --explain --out scored.csv',
      description: 'with events from another file (both sorted by lead id), at a fixed instant, explained',
    },
    { command: 'crm-export | rubric score rules/acme.rubric - --input-format jsonl > scored.jsonl', description: 'stream JSON Lines through' },
    { command: 'rubric score rules/acme.rubric leads.csv --strict --errors problems.csv --out scored.csv', description: 'refuse any bad data' },
    {
      command: 'rubric score examples/abm/abm.rubric examples/abm/contacts.csv --accounts examples/abm/accounts.csv --events examples/abm/events.csv --now 2026-03-01 --out contacts-scored.csv --accounts-out accounts-scored.csv',
      description: 'score accounts from their contacts (ABM)',
    },
  ]);
  addHelpSection(command, 'Input', INPUT_HELP);
  addHelpSection(command, 'Events file', EVENTS_HELP);
  addHelpSection(command, 'Output', OUTPUT_HELP);
  addHelpSection(command, 'Threads', THREADS_HELP);
  addHelpSection(command, 'Accounts', ACCOUNTS_HELP);
  addHelpSection(command, 'Exit codes', '0 scored; 1 rule file errors, or problems with --strict; 2 usage or I/O error');
}

/** The events of a lead while none are given (the shared options object holds no lead's list). */
const NO_EVENTS: readonly LeadEvent[] = Object.freeze([]);

/** Readings on the main thread after a cut that was no record boundary before the rest of the file is read there (see readCsvInPieces). */
const MAX_RESYNCS = 16;

/** UTF-16 units of a CSV file read on the main thread first, for its header (see readCsvInPieces). */
const HEAD_UNITS = 64 * 1024;

/** Names accepted by `--delimiter` for characters that are awkward to type. */
const DELIMITER_NAMES: Readonly<Record<string, string>> = { tab: '\t', '\\t': '\t', semicolon: ';', comma: ',', pipe: '|' };

/** Counters for the closing summary. */
interface ScoreStats {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  rowsWithInvalidValues: number;
  readonly stages: Map<string | null, number>;
  /** Threads that scored rows, when worker threads scored some (`--threads`): for the summary. */
  threads?: number;
  /** Pieces scored on worker threads or beside them. */
  pieces?: number;
}

/** Runs `rubric score`; returns the exit code. */
export async function runScore(context: CommandContext, rulesPath: string, dataPath: string, options: ScoreCommandOptions): Promise<number> {
  if (options.accounts !== undefined) {
    return runScoreAccounts(context, rulesPath, dataPath, { ...options, accounts: options.accounts });
  }
  if (options.accountsOut !== undefined) {
    throw new CliError('--accounts-out writes the scored accounts of --accounts FILE, which is missing', { help: 'give the accounts with --accounts FILE' });
  }
  if (usesDuckdb(options)) return runScoreDuckdb(context, rulesPath, dataPath, options);
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const delimiter = parseDelimiter(options.delimiter);
  const inputFormat = dataFormat(context, dataPath, options.inputFormat);
  if (options.format === undefined && options.out !== undefined && formatFromExtension(options.out) === 'json') {
    throw new CliError(`cannot write a JSON array to \`${context.displayPath(options.out)}\`: the output is CSV or JSON Lines`, {
      help: 'name it .jsonl (or pass --format jsonl to write JSON Lines anyway)',
    });
  }
  const outputFormat: OutputFormat = options.format ?? outputFormatFromPath(options.out) ?? (inputFormat === 'csv' ? 'csv' : 'jsonl');
  if (options.events === '-' && dataPath === '-') {
    throw new CliError('the data and the events cannot both come from stdin', { help: 'give one of them as a file' });
  }
  const eventsFormat = options.events === undefined ? undefined : (options.eventsFormat ?? formatFromExtension(options.events));
  if (options.events !== undefined && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, {
      help: 'pass --events-format csv or jsonl (or use a .csv or .jsonl file name)',
    });
  }

  const threads = options.threads ?? defaultThreads();
  // Started now, so that their start-up runs beside the rule file's compiling; the run may still
  // score on this thread alone (a header that needs it, a file of one piece), and stops them.
  const workers = threads > 1 && inputFormat === 'csv' && options.events === undefined && isLargeFile(context, dataPath) ? ScoreWorkers.spawn(threads - 1) : undefined;
  try {
    return await scoreWith(context, rulesPath, dataPath, options, { now, nowSource, delimiter, inputFormat, outputFormat, eventsFormat, threads, workers });
  } finally {
    await workers?.close();
  }
}

/** Whether `dataPath` is a file of more than one piece (see worker-pool.ts); false for stdin or a file that cannot be read (reported later). */
function isLargeFile(context: CommandContext, dataPath: string): boolean {
  if (dataPath === '-') return false;
  try {
    const info = statSync(context.resolvePath(dataPath));
    return info.isFile() && info.size > pieceUnits(context.io.env);
  } catch {
    return false;
  }
}

/** {@link runScore} once the options are checked. */
async function scoreWith(
  context: CommandContext,
  rulesPath: string,
  dataPath: string,
  options: ScoreCommandOptions,
  resolved: {
    readonly now: Date;
    readonly nowSource: ReturnType<typeof resolveNow>['source'];
    readonly delimiter: string | undefined;
    readonly inputFormat: InputFormat;
    readonly outputFormat: OutputFormat;
    readonly eventsFormat: InputFormat | undefined;
    readonly threads: number;
    readonly workers: ScoreWorkers | undefined;
  },
): Promise<number> {
  const { now, nowSource, delimiter, inputFormat, outputFormat, eventsFormat, threads, workers } = resolved;
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'scoring', { rows: true });
  if (rules.analysis.model.account !== null) {
    context.warn(`\`${rules.path}\` scores accounts: without --accounts FILE each lead is scored as a contact alone (its account's fields missing); give the accounts with --accounts and --accounts-out`);
  }
  const opened: InputSource[] = [];
  let reporter: ProblemReporter | undefined;
  let progress: ScoreProgress | undefined;
  let destination: Destination | undefined;
  let succeeded = false;
  try {
    const readOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
    const input = await openInput(context, dataPath, readOptions);
    opened.push(input);
    const eventsInput = options.events === undefined ? undefined : await openInput(context, options.events, eventsReadOptions(options.encoding, options.eventsEncoding));
    if (eventsInput !== undefined) opened.push(eventsInput);
    reporter = await ProblemReporter.open(context, options.errors);
    destination = await openDestination(context, options);
    progress = ScoreProgress.create(context, input.size, options.progress);
    reporter.attach(progress);

    const run = new ScoreRun(context, {
      rules,
      scorer,
      schema: schemaOf(rules.analysis.model),
      now,
      options,
      input,
      inputFormat,
      outputFormat,
      reporter,
      destination: destination.stream,
      delimiter,
      threads,
      workers,
    });
    const { stats, eventsStats } = await run.execute(
      eventsInput === undefined || eventsFormat === undefined ? undefined : { input: eventsInput, format: eventsFormat },
      progress,
    );
    progress?.stop();
    progress = undefined;
    reporter.attach(undefined);
    await reporter.finish();

    const failedStrict = options.strict === true && reporter.count > 0;
    if (failedStrict) await destination.discard();
    else await destination.release();
    succeeded = true;
    writeSummary(context, { stats, eventsStats, now, nowSource, problems: reporter.count, options, failedStrict });
    return failedStrict ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    progress?.stop();
    if (!succeeded) {
      await destination?.discard();
      await reporter?.abort();
    }
    for (const input of opened) await input.close();
  }
}

/** `--delimiter` as the CSV reader takes it (names such as `tab` accepted); shared with `rubric explain`. */
export function parseDelimiter(value: string | undefined): string | undefined {
  const delimiter = value === undefined ? undefined : (DELIMITER_NAMES[value.toLowerCase()] ?? value);
  if (delimiter !== undefined && ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    throw new CliError(`invalid --delimiter \`${value}\`: expected one character`, { help: 'for example --delimiter ";" or --delimiter tab' });
  }
  return delimiter;
}

/** The data's format: `--input-format`, else the extension (stdin needs the option); shared with `rubric explain`. */
export function dataFormat(context: CommandContext, dataPath: string, inputFormat: InputFormat | undefined): InputFormat {
  const format = inputFormat ?? (dataPath === '-' ? undefined : formatFromExtension(dataPath));
  if (format === undefined) {
    throw new CliError(`cannot tell the format of \`${dataPath === '-' ? 'stdin' : context.displayPath(dataPath)}\``, {
      help: 'pass --input-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)',
    });
  }
  return format;
}

export function outputFormatFromPath(out: string | undefined): OutputFormat | undefined {
  if (out === undefined) return undefined;
  const format = formatFromExtension(out);
  if (format === 'csv') return 'csv';
  if (format === 'jsonl') return 'jsonl';
  return undefined;
}

/** Where scored rows go, and what happens to them at the end of the run. */
export interface Destination {
  readonly stream: Writable;
  /** Makes the output visible: renames `--out` into place, or copies the strict spool to stdout. */
  release(): Promise<void>;
  /** Throws the output away: `--out` is left as it was, nothing more reaches stdout. */
  discard(): Promise<void>;
}

/** An atomic `--out` file, a spool (with `--strict` and no `--out`), or stdout. */
export async function openDestination(context: CommandContext, options: Pick<ScoreCommandOptions, 'out' | 'strict'>): Promise<Destination> {
  if (options.out !== undefined && options.out !== '-') {
    const file = await AtomicOutputFile.open(context, options.out);
    return { stream: file.stream, release: () => file.commit(), discard: () => file.abort() };
  }
  if (options.strict === true) {
    const spool = await SpoolFile.open();
    return { stream: spool.stream, release: () => spool.release(context.io.stdout), discard: () => spool.discard() };
  }
  return { stream: context.io.stdout, release: async () => undefined, discard: async () => undefined };
}

interface ScoreRunSetup {
  readonly rules: RuleSource;
  /** With its code (`CompiledScorer.javascript`), which worker threads compile again. */
  readonly scorer: Scorer & RowScorer & { readonly javascript: string };
  readonly schema: Schema;
  readonly now: Date;
  readonly options: ScoreCommandOptions;
  readonly input: InputSource;
  readonly inputFormat: InputFormat;
  readonly outputFormat: OutputFormat;
  readonly reporter: ProblemReporter;
  readonly destination: Writable;
  readonly delimiter: string | undefined;
  /** Threads scoring a CSV file's rows, this one included (`--threads`), and the workers started for them before the rule file was compiled (undefined: none started yet). */
  readonly threads: number;
  readonly workers: ScoreWorkers | undefined;
}

/** One scoring pass over the input: reads, validates, scores and writes each record in turn. */
class ScoreRun {
  private readonly stats: ScoreStats = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, rowsWithInvalidValues: 0, stages: new Map() };
  private readonly groups: string[];
  /** The output column of each group (`--group-prefix` + its name), in the order of `groups`. */
  private readonly groupColumns: string[];
  /** The computed output columns: score, stage, tier, the group columns and (with --explain) why. */
  private readonly computedColumns: string[];
  private readonly writer: ScoredRecordWriter;
  private columns: readonly string[] = [];
  private roles: readonly ColumnRole[] = [];
  /** The rows' lead reader, planned from the header (none when there is an `events` column). */
  private leadReader: LeadRowReader | undefined;
  /**
   * The scorer's plan for reading the rows by column index (`scoreRowAndValidate`), when the
   * lead reader applies and no `why` is asked for: then no lead object is built per row.
   */
  private rowPlan: RowPlan | undefined;
  /** The columns `rowPlan` was made for ('' for a column that is no lead field), and the output's line break. */
  private plannedColumns: readonly string[] = [];
  private lineBreak: '\n' | '\r\n' = '\n';
  private idColumn = -1;
  /** The next piece's number (unique in the run: a dropped piece's late result is told apart). */
  private pieceSeq = 0;
  private join: EventsJoin | undefined;
  private previousId: { id: string; line: number } | undefined;
  private readonly nowOnly: ScoreOptions;
  private readonly withEvents: { now: Date; events: readonly LeadEvent[]; eventTimes: readonly number[] | undefined };
  private readonly warnedKeys = new Set<string>();
  private warnedOwnEvents = false;
  /** Leads per stage so far (added to `stats.stages` by stageTotals). */
  private readonly stageCounts = new StageCounts();

  constructor(
    private readonly context: CommandContext,
    private readonly setup: ScoreRunSetup,
  ) {
    this.groups = setup.rules.analysis.model.groups.map((group) => group.name);
    this.groupColumns = groupColumnsOf(this.groups, setup.options.groupPrefix ?? '', setup.options.explain === true);
    for (const stage of setup.rules.analysis.model.stages) this.stats.stages.set(stage.name, 0);
    this.stats.stages.set(null, 0);
    this.computedColumns = resultColumns(this.groupColumns, setup.options.explain === true);
    this.writer = new ScoredRecordWriter(setup.destination, setup.outputFormat, this.computedColumns);
    this.nowOnly = { now: setup.now };
    this.withEvents = { now: setup.now, events: NO_EVENTS, eventTimes: undefined };
  }

  /** A warning line on stderr (above the progress bar when it shows). */
  private warn(message: string): void {
    this.setup.reporter.print(warningLine(this.context, message));
  }

  /** Reads and scores every record (joining the events file when given). */
  async execute(
    events: { input: InputSource; format: InputFormat } | undefined,
    progress: ScoreProgress | undefined,
  ): Promise<{ stats: ScoreStats; eventsStats?: EventsJoinStats }> {
    const { input, inputFormat, delimiter, outputFormat } = this.setup;
    if (events !== undefined) this.join = this.openJoin(events.input, events.format);
    const { threads } = this.setup;
    if (inputFormat === 'csv' && this.join === undefined && threads > 1) {
      await this.readCsvInPieces(threads, progress);
    } else {
      // CSV to CSV: rows that need no quoting are copied through as read (`InputItem.raw`).
      for await (const batch of readItemBatches(input, inputFormat, delimiter, outputFormat === 'csv')) await this.readBatch(batch, progress);
    }
    if (this.stats.rowsRead === 0) {
      this.warn(
        this.writer.hasColumns && inputFormat === 'csv' ? `\`${input.path}\` has a header but no leads` : `\`${input.path}\` is empty: no leads to score`,
      );
    }
    // A CSV with no header (empty, or only a byte order mark) still keeps its mark, as --engine duckdb does.
    if (!this.writer.hasColumns) this.writer.setInputColumns([], ',', { lineBreak: '\n', bom: inputFormat === 'csv' && input.bom !== undefined });
    await this.writer.finish();
    this.stageTotals();
    const eventsStats = this.join === undefined ? undefined : await this.join.finish();
    return { stats: this.stats, ...(eventsStats !== undefined ? { eventsStats } : {}) };
  }

  /** Scores a batch of items read on this thread, in order. */
  private async readBatch(batch: readonly InputItem[], progress: ScoreProgress | undefined): Promise<void> {
    // Rows are scored without an await unless one has to wait (a problem to report, more
    // events to read): a promise per row cost more than reading it.
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
      if (item.kind === 'row') {
        this.stats.rowsRead += 1;
        const pending = this.scoreRow(item.line, item.fields, item.raw);
        if (pending !== undefined) await pending;
      } else {
        await this.handle(item);
      }
    }
    await this.writer.flushIfFull();
    progress?.update(this.stats.rowsRead, this.setup.input.bytesRead);
  }

  /** The CSV reader's options for the data file (`resume`, `onPieceEnd` for a piece of it). */
  private csvOptions(more: Pick<CsvOptions, 'resume' | 'onPieceEnd'>): CsvOptions {
    const { input, delimiter, outputFormat } = this.setup;
    return {
      ...(delimiter === undefined ? {} : { delimiter }),
      keepRaw: outputFormat === 'csv',
      path: input.path,
      ...(input.encodingOption === undefined ? {} : { encodingOption: input.encodingOption }),
      ...more,
    };
  }

  /**
   * Reads a CSV file as `readItemBatches` does, its rows scored on `threads` threads when there
   * is more than one piece (parallel/): the first piece (with the header) is read here, then the
   * pieces are scored by the workers and this thread ({@link scorePieces}), and written and
   * reported here in order. Where a piece does not end between two records (a cut fooled by
   * broken quoting), its rest and the text after it are read here up to the next piece's end,
   * and the pieces go on from where that reading stopped; after {@link MAX_RESYNCS} such
   * readings, or when the rows need this thread (an `events` column: a lead object per row),
   * the rest of the file is read here.
   */
  private async readCsvInPieces(threads: number, progress: ScoreProgress | undefined): Promise<void> {
    const { input } = this.setup;
    const pieces = new PieceReader(input.chunks()[Symbol.asyncIterator]());
    const units = pieceUnits(this.context.io.env);
    // A small first piece: the workers start on the second one once this one's header is read.
    const head = await pieces.next(Math.min(units, HEAD_UNITS));
    if (head === undefined) return;
    let first = true;
    const headText = pieceText(head.chunks);
    const headEnd = await this.readPieceHere(headText, head.last, undefined, () => {
      // As readItemBatches: the decoder has seen the first bytes by now.
      if (!first) return undefined;
      first = false;
      const notice = encodingNotice(input);
      return notice === undefined ? undefined : this.handle({ kind: 'notice', message: notice });
    }, progress);
    if (headEnd === undefined) return; // the whole file was the one piece
    let resume: CsvResume = headEnd;
    pieces.unread(headText.slice(headText.length - headEnd.rest));
    // Rows read by column index, or (--explain) as leads: not with an `events` column (a lead object per row, with problems).
    const parallel = headEnd.delimiter !== undefined && headEnd.columns !== undefined && (this.rowPlan !== undefined || (this.setup.options.explain === true && this.leadReader !== undefined));
    if (parallel && this.setup.workers === undefined) {
      // Workers not started yet (stdin, or a file that looked small): only for more than one piece.
      const second = await pieces.next(units);
      if (second === undefined) return;
      if (second.last) {
        await this.readPieceHere(pieceText(second.chunks), true, resume, () => undefined, progress);
        return;
      }
      pieces.unread(pieceText(second.chunks));
    }
    const workers = parallel ? (this.setup.workers ?? ScoreWorkers.spawn(threads - 1)) : undefined;
    if (workers !== undefined && headEnd.delimiter !== undefined) {
      pieces.setDelimiter(headEnd.delimiter);
      const setup = this.pieceSetup(headEnd.delimiter);
      workers.configure(setup);
      const here = new PieceScorer(setup);
      try {
        for (let resyncs = 0; resyncs <= MAX_RESYNCS; resyncs++) {
          if (!resume.skipping && !resume.skippedCr) {
            const stopped = await this.scorePieces(pieces, resume, units, workers, here, progress);
            if (stopped === undefined) return;
            resume = stopped.resume;
            pieces.unread(stopped.prefix);
            if (resyncs === MAX_RESYNCS) break;
          }
          // Read on here from where the pieces stopped, through the end of the next piece.
          const next = await pieces.next(units);
          if (next === undefined) break;
          const text = pieceText(next.chunks);
          const end = await this.readPieceHere(text, next.last, resume, () => undefined, progress);
          if (end === undefined) return;
          resume = end;
          pieces.unread(text.slice(text.length - end.rest));
          // Not one record ended in it (a quote that never closes): the rest is read here.
          if (end.rest === text.length) break;
        }
      } finally {
        if (this.setup.workers === undefined) await workers.close();
      }
    }
    for await (const batch of readCsvBatches(pieces.rest(''), this.csvOptions({ resume }))) await this.readBatch(batch, progress);
  }

  /**
   * Reads `text` on this thread from `resume` (the file's start when undefined), as a piece when
   * it is not the `last`: returns where reading stopped (`CsvPieceEnd`), undefined after the last.
   * `beforeFirst` runs before the first batch is scored.
   */
  private async readPieceHere(
    text: string,
    last: boolean,
    resume: CsvResume | undefined,
    beforeFirst: () => Promise<void> | undefined,
    progress: ScoreProgress | undefined,
  ): Promise<CsvPieceEnd | undefined> {
    let end: CsvPieceEnd | undefined;
    const options = this.csvOptions({ ...(resume === undefined ? {} : { resume }), ...(last ? {} : { onPieceEnd: (pieceEnd: CsvPieceEnd) => (end = pieceEnd) }) });
    for await (const batch of readCsvBatches(eachChunk([text]), options)) {
      const pending = beforeFirst();
      if (pending !== undefined) await pending;
      await this.readBatch(batch, progress);
    }
    return end;
  }

  /**
   * Scores pieces from `start` on the workers and on this thread: each worker is given up to two
   * pieces ahead of the one written, and this thread, which reads, writes and reports, scores
   * the last piece read that no worker has while the next one in order is not back (on 2 cores,
   * two workers beside an idle main thread would be three threads on two cores, and each thread
   * compiles and collects its own heap). Results are applied in the file's order. Returns
   * undefined once every piece is scored, or, after a piece that did not end between two
   * records, where reading stopped in it and the text from there (already taken from `pieces`;
   * the pieces after it are dropped).
   */
  private async scorePieces(
    pieces: PieceReader,
    start: CsvResume,
    units: number,
    workers: ScoreWorkers,
    here: PieceScorer,
    progress: ScoreProgress | undefined,
  ): Promise<{ resume: CsvResume; prefix: string } | undefined> {
    interface Entry {
      readonly job: PieceJob;
      readonly nextLine: number;
      /** Given to a worker: its result, and whether it came back. */
      sent: Promise<PieceResult> | undefined;
      back: boolean;
      /** Its result, once known. */
      scored: PieceResult | undefined;
    }
    const entries: Entry[] = [];
    const readAhead = 2 * workers.size + 2;
    let line = start.line;
    let readAll = false;
    let noticed = start.noticedInvalid;
    for (;;) {
      while (!readAll && entries.length < readAhead) {
        const piece = await pieces.next(units);
        if (piece === undefined) {
          readAll = true;
          break;
        }
        const job: PieceJob = { seq: this.pieceSeq++, chunks: piece.chunks, line, last: piece.last };
        line += lineBreaksIn(piece.chunks);
        entries.push({ job, nextLine: line, sent: undefined, back: false, scored: undefined });
        if (piece.last) readAll = true;
      }
      let busy = entries.filter((entry) => entry.sent !== undefined && !entry.back).length;
      for (const entry of entries) {
        if (busy >= 2 * workers.size) break;
        if (entry.sent !== undefined || entry.scored !== undefined) continue;
        const sent = workers.run(entry.job);
        entry.sent = sent;
        busy += 1;
        sent.then(
          () => (entry.back = true),
          () => undefined,
        );
      }
      const next = entries[0];
      if (next === undefined) return undefined;
      if (next.scored === undefined) {
        if (next.sent === undefined) {
          next.scored = await here.score(next.job);
        } else if (!next.back) {
          // Waiting for a worker: meanwhile score the last piece no worker was given, when there is one.
          let spare: Entry | undefined;
          for (let i = entries.length - 1; i > 0 && spare === undefined; i--) if (entries[i].sent === undefined && entries[i].scored === undefined) spare = entries[i];
          if (spare !== undefined) {
            spare.scored = await here.score(spare.job);
            continue;
          }
          next.scored = await next.sent;
        } else {
          next.scored = await next.sent;
        }
      }
      entries.shift();
      const result = next.scored;
      noticed = await this.applyPiece(result, noticed);
      this.stats.threads = workers.size + 1;
      this.stats.pieces = (this.stats.pieces ?? 0) + 1;
      progress?.update(this.stats.rowsRead, this.setup.input.bytesRead);
      const end = result.end;
      if (end !== undefined && (end.rest > 0 || end.skipping || end.skippedCr || end.line !== next.nextLine)) {
        // The pieces after it started at a cut that was no record boundary: their results are dropped.
        const text = pieceText(next.job.chunks);
        const rest = text.slice(text.length - end.rest);
        return { resume: { ...end, noticedInvalid: noticed }, prefix: rest + entries.map((entry) => pieceText(entry.job.chunks)).join('') };
      }
    }
  }

  /** What the worker threads need to score rows as {@link scoreCells} does here. */
  private pieceSetup(delimiter: string): PieceSetup {
    const { scorer, input, now, outputFormat } = this.setup;
    return {
      javascript: scorer.javascript,
      columns: this.columns,
      plannedColumns: this.plannedColumns,
      delimiter,
      lineBreak: this.lineBreak,
      outputFormat,
      computedColumns: this.computedColumns,
      groups: this.groups,
      groupColumns: this.groupColumns,
      idColumn: this.idColumn,
      now: now.getTime(),
      keepRaw: outputFormat === 'csv',
      path: input.path,
      encodingOption: input.encodingOption,
      explainRoles: this.setup.options.explain === true ? this.roles : undefined,
    };
  }

  /**
   * Writes a piece's rows and reports its problems as reading it here would have (the first
   * notice about invalid UTF-8 of the file only); returns whether that notice was given.
   */
  private async applyPiece(result: PieceResult, noticed: boolean): Promise<boolean> {
    const { reporter } = this.setup;
    this.stats.rowsRead += result.rowsRead;
    this.stats.rowsWritten += result.rowsWritten;
    this.stats.rowsRejected += result.rowsRejected;
    this.stats.rowsWithInvalidValues += result.rowsWithInvalidValues;
    for (const [stage, leads] of result.stages) this.stageCounts.countMany(stage, leads);
    await this.writer.writeBytes(result.output);
    let given = noticed;
    for (const problem of result.problems) {
      switch (problem.kind) {
        case 'notice':
          if (!given) reporter.print(warningLine(this.context, problem.message));
          given = true;
          break;
        case 'bad':
          await this.reportBadRecord(problem);
          break;
        case 'invalid': {
          const pending = this.reportInvalid(problem.line, problem.invalid, problem.lead);
          if (pending !== undefined) await pending;
          break;
        }
      }
    }
    return given;
  }

  /** Reports a record the reader rejected (read here or in a piece). */
  private async reportBadRecord(record: { readonly line: number; readonly column?: number | undefined; readonly text: string; readonly message: string }): Promise<void> {
    await this.setup.reporter.report({
      file: this.setup.input.path,
      line: record.line,
      ...(record.column !== undefined ? { column: record.column } : {}),
      value: record.text,
      message: record.message,
      action: 'row skipped',
    });
  }

  private openJoin(eventsInput: InputSource, format: InputFormat): EventsJoin {
    const { options, schema, scorer, reporter } = this.setup;
    return new EventsJoin(readItemBatches(eventsInput, format, undefined), {
      path: eventsInput.path,
      key: options.eventsKey,
      schema,
      ...eventsProblemHandling(eventsInput.path, scorer, reporter),
      onNotice: (message) => reporter.print(warningLine(this.context, message)),
      // Events as cells only when every lead with an id is scored by scoreCells (rowPlan).
      cells: () => (this.rowPlan === undefined ? undefined : eventCellsHandling(scorer)),
    });
  }

  private async handle(item: InputItem): Promise<void> {
    const { reporter } = this.setup;
    switch (item.kind) {
      case 'notice':
        reporter.print(warningLine(this.context, item.message));
        return;
      case 'header':
        this.startCsv(item.columns, item.delimiter, item.lineBreak);
        return;
      case 'bad':
        this.stats.rowsRead += 1;
        this.stats.rowsRejected += 1;
        await this.reportBadRecord(item);
        return;
      case 'row':
        this.stats.rowsRead += 1;
        await this.scoreRow(item.line, item.fields, item.raw);
        return;
      case 'object':
        this.stats.rowsRead += 1;
        await this.scoreObject(item.line, item.value);
        return;
    }
  }

  private startCsv(columns: readonly string[], delimiter: string, lineBreak: '\n' | '\r\n' | '\r'): void {
    const { input, options, schema, rules } = this.setup;
    refuseDuplicateColumns(input.path, columns);
    this.columns = columns;
    this.roles = columnRoles(columns, schema);
    this.leadReader = LeadRowReader.plan(columns, this.roles);
    // Only the lead fields' columns are planned: a column named like a synthetic `account.*`
    // field (issue 17) is the data's, not the account's, and is not read (as without a plan).
    const planned = columns.map((column) => (schema.fieldOfColumn.has(column) ? column : ''));
    this.plannedColumns = planned;
    this.rowPlan = this.leadReader !== undefined && options.explain !== true ? this.setup.scorer.rowPlan(planned) : undefined;
    this.idColumn = columns.indexOf(options.id);
    if (this.join !== undefined && this.idColumn === -1) {
      throw new CliError(`\`${input.path}\` has no \`${options.id}\` column to join the events on`, {
        help: 'name the lead id column with --id COLUMN',
      });
    }
    // CSV output keeps the input's line ends (CRLF or LF) and its byte order mark, if any (a
    // UTF-16 file's too), and gets one for a Windows-1252 input: the output is UTF-8, and Excel
    // needs the mark to see it as such (writesByteOrderMark).
    this.lineBreak = lineBreak === '\r\n' ? '\r\n' : '\n';
    this.writer.setInputColumns(columns, delimiter, { lineBreak: this.lineBreak, bom: writesByteOrderMark(input) });
    for (const notice of inputColumnNotices(columns, schema, this.computedColumns, options.id, { input: input.path, rules: rules.path }, this.writer.format === 'csv' ? 'kept' : 'left-out')) this.warn(notice);
  }

  private warnReplaced(): void {
    const notice = replacedColumnsNotice(this.writer.replaced);
    if (notice !== undefined) this.warn(notice);
  }

  /**
   * Scores one CSV row and adds it to the output. Returns a promise only when the row has to
   * wait (problems to report, events still to read); most rows finish without one.
   */
  private scoreRow(line: number, fields: readonly string[], raw: string | undefined): Promise<void> | undefined {
    const reader = this.leadReader;
    const plan = this.rowPlan;
    // Without --events the row's id only names it in a report: read then (scoreCells).
    if (plan !== undefined && this.join === undefined) return this.scoreCells(line, fields, raw, plan, undefined, undefined, undefined);
    const id = this.idColumn === -1 ? undefined : idText(fields[this.idColumn]);
    if (plan !== undefined) {
      // The usual row: scored from its cells, no lead object (a row with no id and --events
      // takes the path below, which reports it).
      const join = this.join;
      if (join !== undefined && id !== undefined) {
        this.checkOrder(id, line);
        const events = join.eventsReady(id);
        if (events === undefined) return join.eventsFor(id).then((read) => this.scoreCells(line, fields, raw, plan, read, join.lastTimes, id));
        return this.scoreCells(line, fields, raw, plan, events, join.lastTimes, id);
      }
    }
    let lead: Record<string, unknown>;
    let ownEvents: LeadEvent[] | undefined;
    if (reader !== undefined) {
      // No `events` column: no cell problem is possible.
      lead = reader.read(fields);
    } else {
      const built = leadFromRow(this.columns, this.roles, fields);
      if (built.rejected !== undefined || built.problems.length > 0) return this.scoreRowReporting(line, fields, raw, built, id);
      lead = built.lead;
      ownEvents = built.events;
    }
    const join = this.join;
    if (join === undefined) return this.scoreLead(line, fields, raw, lead, ownEvents, undefined, id, false);
    if (id === undefined || (!this.warnedOwnEvents && (ownEvents !== undefined || Array.isArray(lead.events)))) {
      return this.scoreRowReporting(line, fields, raw, { lead, ...(ownEvents !== undefined ? { events: ownEvents } : {}), problems: [] }, id);
    }
    this.checkOrder(id, line);
    const events = join.eventsReady(id);
    if (events === undefined) return join.eventsFor(id).then((read) => this.scoreLead(line, fields, raw, lead, read, join.lastTimes, id, false));
    return this.scoreLead(line, fields, raw, lead, events, join.lastTimes, id, false);
  }

  /** {@link scoreRow} for a row with problems (reported in order before its invalid values). */
  private async scoreRowReporting(line: number, fields: readonly string[], raw: string | undefined, built: ReturnType<typeof leadFromRow>, id: string | undefined): Promise<void> {
    const { input } = this.setup;
    const { lead, events, problems, rejected } = built;
    if (rejected !== undefined) {
      // A value that cannot be scored (nested too deep): the row is not written, as a bad record.
      this.stats.rowsRejected += 1;
      await this.setup.reporter.report(cellProblemReport(input.path, line, rejected, 'row skipped', id));
      return;
    }
    for (const problem of problems) {
      await this.setup.reporter.report(cellProblemReport(input.path, line, problem, 'treated as missing', id));
    }
    const { reporter, options } = this.setup;
    let joined: readonly LeadEvent[] | undefined = events;
    let times: readonly number[] | undefined;
    if (this.join !== undefined) {
      if (!this.warnedOwnEvents && (events !== undefined || Array.isArray(lead.events))) {
        this.warnedOwnEvents = true;
        this.warn(`\`${input.path}\` line ${line}: leads' own \`events\` are ignored: events come from --events`);
      }
      joined = id === undefined ? [] : await this.eventsFromFile(this.join, id, line);
      if (id !== undefined) times = this.join.lastTimes;
      if (id === undefined) {
        await reporter.report({ file: input.path, line, field: options.id, message: 'no lead id, so no events from --events', action: 'treated as missing' });
      }
    }
    await this.scoreLead(line, fields, raw, lead, joined, times, id, problems.length > 0 || (this.join !== undefined && id === undefined));
  }

  /**
   * Scores a CSV row's lead and adds the row to the output; returns a promise only when it has
   * invalid values to report.
   */
  private scoreLead(
    line: number,
    fields: readonly string[],
    raw: string | undefined,
    lead: Readonly<Record<string, unknown>>,
    events: readonly LeadEvent[] | undefined,
    times: readonly number[] | undefined,
    id: string | undefined,
    hadProblem: boolean,
  ): Promise<void> | undefined {
    const { result, invalid, why } = this.scoreOnly(lead, events, times);
    this.writer.pushScored(this.columns, fields, raw, result, this.groups, this.groupColumns, why);
    this.stats.rowsWritten += 1;
    this.countResult(result, invalid.length > 0 || hadProblem);
    return invalid.length === 0 ? undefined : this.reportInvalid(line, invalid, id);
  }

  /**
   * {@link scoreLead} for a row read by column index (`scoreRowAndValidate`): the same result,
   * output and reports. Events from --events were validated as the join read them, and the row
   * entry does not report them again (scoreOnly filters those reports out of `scoreAndValidate`'s).
   */
  private scoreCells(
    line: number,
    fields: readonly string[],
    raw: string | undefined,
    plan: RowPlan,
    events: readonly LeadEvent[] | undefined,
    times: readonly number[] | undefined,
    id: string | undefined,
  ): Promise<void> | undefined {
    const scoreOptions = this.optionsFor(events, times);
    // Events kept as cells by the join (else `events` has them as objects).
    const eventRows = events === undefined ? undefined : this.join?.lastEventRows;
    const { result, invalid } = this.setup.scorer.scoreRowAndValidate(fields, plan, scoreOptions, eventRows);
    this.withEvents.events = NO_EVENTS;
    this.withEvents.eventTimes = undefined;
    this.writer.pushScored(this.columns, fields, raw, result, this.groups, this.groupColumns, undefined);
    this.stats.rowsWritten += 1;
    this.countResult(result, invalid.length > 0);
    if (invalid.length === 0) return undefined;
    return this.reportInvalid(line, invalid, id ?? (this.idColumn === -1 ? undefined : idText(fields[this.idColumn])));
  }

  /**
   * The options of one scorer call: one object per run (the scorer reads it during the call and
   * keeps nothing), holding `events` and their instants until the caller empties it again.
   */
  private optionsFor(events: readonly LeadEvent[] | undefined, times: readonly number[] | undefined): ScoreOptions {
    if (events === undefined) return this.nowOnly;
    this.withEvents.events = events;
    this.withEvents.eventTimes = times;
    return this.withEvents;
  }

  /** One lead scored: with --explain through the explainer (and its `why`), else in one call with its problems. */
  private scoreOne(lead: Readonly<Record<string, unknown>>, scoreOptions: ScoreOptions): { result: ScoreResult; invalid: readonly InvalidValue[]; why: string | undefined } {
    const { scorer, options } = this.setup;
    if (options.explain === true) {
      const explanation = scorer.explain(lead, scoreOptions);
      return { result: explanation, invalid: explanation.invalidValues, why: renderWhy(explanation) };
    }
    const { result, invalid } = scorer.scoreAndValidate(lead, scoreOptions);
    return { result, invalid, why: undefined };
  }

  /**
   * The scorer's result (and `why` with --explain) and the lead's invalid values to report.
   * `times`: the events' instants as the join's `validateEvent` gave them (`at` not parsed again).
   */
  private scoreOnly(
    lead: Readonly<Record<string, unknown>>,
    events: readonly LeadEvent[] | undefined,
    times: readonly number[] | undefined,
  ): { result: ScoreResult; invalid: readonly InvalidValue[]; why: string | undefined } {
    const { schema } = this.setup;
    const scoreOptions = this.optionsFor(events, times);
    const scored = this.scoreOne(lead, scoreOptions);
    const { result, why } = scored;
    let invalid = scored.invalid;
    this.withEvents.events = NO_EVENTS;
    this.withEvents.eventTimes = undefined;
    // Events from --events were checked (and reported with their own line) as they were read.
    if (this.join !== undefined && invalid.length > 0) invalid = invalid.filter((value) => schema.fields.has(value.field));
    return { result, invalid, why };
  }

  private countResult(result: ScoreResult, hadProblem: boolean): void {
    if (hadProblem) this.stats.rowsWithInvalidValues += 1;
    this.stageCounts.count(result.stage);
  }

  /** Adds the stage counts to `stats.stages` (which lists every stage, in order). */
  private stageTotals(): void {
    this.stageCounts.addTo(this.stats.stages);
  }

  /** Reports a lead's invalid values; only counts them when the reporter needs no more (no promise then). */
  private reportInvalid(line: number, invalid: readonly InvalidValue[], id: string | undefined): Promise<void> | undefined {
    const { reporter } = this.setup;
    if (reporter.countsOnly) {
      reporter.countOnly(invalid.length);
      return undefined;
    }
    return this.reportInvalidValues(line, invalid, id);
  }

  private async reportInvalidValues(line: number, invalid: readonly InvalidValue[], id: string | undefined): Promise<void> {
    const { reporter, input } = this.setup;
    for (const value of invalid) {
      const column = this.columns.indexOf(columnOfField(this.setup.schema, value.field));
      await reporter.report({
        file: input.path,
        line,
        ...(column !== -1 ? { column: column + 1 } : {}),
        ...describeInvalid(value),
        action: 'treated as missing',
        ...(id !== undefined ? { lead: id } : {}),
      });
    }
  }

  private async scoreObject(line: number, value: Readonly<Record<string, unknown>>): Promise<void> {
    const { options, schema, input, rules } = this.setup;
    if (!this.writer.hasColumns) {
      this.writer.setInputColumns(this.setup.outputFormat === 'csv' ? flattenKeys(value) : []);
      this.warnReplaced();
    }
    const unknown = unknownKeys(value, schema, new Set([options.id])).filter((key) => !this.warnedKeys.has(key));
    if (unknown.length > 0 && this.warnedKeys.size < 100) {
      for (const key of unknown) this.warnedKeys.add(key);
      const one = unknown.length === 1;
      this.warn(
        `\`${input.path}\` line ${line}: ${one ? 'key' : 'keys'} ${listNames(unknown)} ${one ? 'is not a lead field' : 'are not lead fields'} in \`${rules.path}\`: kept in the output, not scored (warned once)`,
      );
    }
    const id = idText(value[options.id]);
    // Issue 17: a contact's own `account` / `account.*` keys are not its account's values.
    const lead = rules.analysis.model.account === null ? value : withoutAccountKeys(value);
    const values = await this.evaluate(line, lead, undefined, id, false);
    const dropped = (await this.writer.writeObject(value, values)).filter((key) => !this.warnedKeys.has(`dropped:${key}`));
    if (dropped.length > 0 && this.warnedKeys.size < 200) {
      for (const key of dropped) this.warnedKeys.add(`dropped:${key}`);
      this.warn(
        `\`${input.path}\` line ${line}: ${listNames(dropped)} not in the CSV columns (taken from the first lead), left out; --format jsonl keeps every key`,
      );
    }
    this.stats.rowsWritten += 1;
  }

  /** Joins events, validates, scores and reports invalid values; returns the computed columns. */
  private async evaluate(
    line: number,
    lead: Readonly<Record<string, unknown>>,
    ownEvents: readonly LeadEvent[] | undefined,
    id: string | undefined,
    alreadyInvalid: boolean,
  ): Promise<Map<string, unknown>> {
    const { reporter, input, options, schema, now } = this.setup;
    let events: readonly LeadEvent[] | undefined = ownEvents;
    let hadProblem = alreadyInvalid;
    if (this.join !== undefined) {
      if (!this.warnedOwnEvents && (ownEvents !== undefined || Array.isArray(lead.events))) {
        this.warnedOwnEvents = true;
        this.warn(`\`${input.path}\` line ${line}: leads' own \`events\` are ignored: events come from --events`);
      }
      events = id === undefined ? [] : await this.eventsFromFile(this.join, id, line);
      if (id === undefined) {
        hadProblem = true;
        await reporter.report({ file: input.path, line, field: options.id, message: 'no lead id, so no events from --events', action: 'treated as missing' });
      }
    }
    const scoreOptions: ScoreOptions = events === undefined ? { now } : { now, events };
    const scored = this.scoreOne(lead, scoreOptions);
    const { result, why } = scored;
    let invalid = scored.invalid;
    // Events from --events were checked (and reported with their own line) as they were read.
    if (this.join !== undefined) invalid = invalid.filter((value) => schema.fields.has(value.field));
    for (const value of invalid) {
      const column = this.columns.indexOf(columnOfField(this.setup.schema, value.field));
      await reporter.report({
        file: input.path,
        line,
        ...(column !== -1 ? { column: column + 1 } : {}),
        ...describeInvalid(value),
        action: 'treated as missing',
        ...(id !== undefined ? { lead: id } : {}),
      });
    }
    if (invalid.length > 0 || hadProblem) this.stats.rowsWithInvalidValues += 1;
    this.stageCounts.count(result.stage);
    return resultValues(result, this.groups, this.groupColumns, why);
  }

  private async eventsFromFile(join: EventsJoin, id: string, line: number): Promise<readonly LeadEvent[]> {
    this.checkOrder(id, line);
    return join.eventsFor(id);
  }

  /** Stops the run when the data is not sorted by lead id (the events join needs it). */
  private checkOrder(id: string, line: number): void {
    const previous = this.previousId;
    if (previous !== undefined && previous.id !== id && compareIds(id, previous.id) < 0) {
      throw new CliError(
        `\`${this.setup.input.path}\` is not sorted by lead id: lead \`${id}\` on line ${line} comes after lead \`${previous.id}\` (line ${previous.line})`,
        { help: OUT_OF_ORDER_HELP },
      );
    }
    if (previous === undefined) this.previousId = { id, line };
    else {
      previous.id = id;
      previous.line = line;
    }
  }
}

/**
 * A JSON lead without its own `account` and `account.*` keys (a file with an `account` block reads
 * the account's values there; scored without --accounts, a contact has none): a shallow copy,
 * only when it has such a key.
 */
function withoutAccountKeys(lead: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const keys = Object.keys(lead);
  if (!keys.some((key) => key === 'account' || key.startsWith('account.'))) return lead;
  const copy: Record<string, unknown> = {};
  for (const key of keys) if (key !== 'account' && !key.startsWith('account.')) setOwn(copy, key, lead[key]);
  return copy;
}

/** Kept here for the callers that import it from `rubric score` (it moved to input/data-file.ts). */
export { readItemBatches };

export function flattenKeys(value: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  const keys: string[] = [];
  for (const key of Object.keys(value)) {
    if (prefix === '' && key === 'events') continue;
    const name = prefix === '' ? key : `${prefix}.${key}`;
    const child = value[key];
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) keys.push(...flattenKeys(child as Record<string, unknown>, name));
    else keys.push(name);
  }
  return keys;
}


export function warningLine(context: CommandContext, message: string): string {
  const c = context.colors('stderr');
  return `${c.yellow(c.bold('warning'))}: ${terminalText(message)}`;
}

function writeSummary(
  context: CommandContext,
  summary: {
    stats: ScoreStats;
    eventsStats: EventsJoinStats | undefined;
    now: Date;
    nowSource: string;
    problems: number;
    options: ScoreCommandOptions;
    failedStrict: boolean;
  },
): void {
  const { stats, eventsStats, options } = summary;
  const c = context.colors('stderr');
  const lines: string[] = [];
  lines.push(`${c.bold('now')}: ${summary.now.toISOString()} (${summary.nowSource})`);
  let rows = `${c.bold('rows')}: ${stats.rowsRead} read = ${stats.rowsWritten} written + ${stats.rowsRejected} rejected`;
  if (stats.rowsWithInvalidValues > 0) rows += `; ${plural(stats.rowsWithInvalidValues, 'row')} had values treated as missing`;
  lines.push(rows);
  // Stage names, lead ids and paths come from the rule file and the data: escaped for the terminal.
  const stageCounts = [...stats.stages].map(([stage, count]) => `${stage === null ? 'no stage' : terminalText(stage)} ${count}`);
  lines.push(`${c.bold('stages')}: ${stageCounts.join(', ')}`);
  if (stats.threads !== undefined) lines.push(`${c.bold('threads')}: ${stats.threads} (${plural(stats.pieces ?? 0, 'piece')} of the file scored in parallel)`);
  if (eventsStats !== undefined) {
    let events = `${c.bold('events')}: ${eventsStats.eventsRead} read, ${eventsStats.eventsUsed} joined to leads`;
    if (eventsStats.eventsRejected > 0) events += `, ${eventsStats.eventsRejected} rejected`;
    if (eventsStats.unmatchedEvents > 0 && eventsStats.firstUnmatched !== undefined) {
      events += `, ${eventsStats.unmatchedEvents} for ${plural(eventsStats.unmatchedLeads, 'lead')} not in the data (first: lead \`${terminalText(eventsStats.firstUnmatched.key)}\`, line ${eventsStats.firstUnmatched.line})`;
    }
    lines.push(events);
  }
  if (summary.problems > 0) {
    const where = options.errors !== undefined ? ` (all in ${terminalText(context.displayPath(options.errors))})` : '';
    lines.push(`${c.bold('problems')}: ${summary.problems}${where}`);
  }
  if (summary.failedStrict) {
    const target = options.out !== undefined && options.out !== '-' ? `\`${terminalText(context.displayPath(options.out))}\` was not written` : 'no rows were printed';
    lines.push(c.red(`--strict: ${plural(summary.problems, 'problem')}, so ${target}`));
  } else if (options.out !== undefined && options.out !== '-') {
    lines.push(`${c.bold('wrote')}: ${terminalText(context.displayPath(options.out))}`);
  }
  context.io.stderr.write(`${lines.join('\n')}\n`);
}
