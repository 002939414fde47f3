import { Option, type Command } from 'commander';
import { MAX_VALUE_DEPTH, type Explanation, type LeadEvent, type Scorer, type ScoreOptions } from '@rubric/core';
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { readTextFile } from '../files.js';
import { addExamples, addHelpSection } from '../help.js';
import { jsonValueProblem } from '../input/json.js';
import { EventsJoin, idText } from '../input/events-join.js';
import { emptyRecord, eventFromRow, schemaOf, type Schema } from '../input/leads.js';
import { readItemBatches, readItems } from '../input/data-file.js';
import {
  describeJsonError,
  ACCOUNTS_ENCODING_HELP,
  ENCODING_HELP,
  EVENTS_ENCODING_HELP,
  eventsReadOptions,
  formatFromExtension,
  INPUT_FORMATS,
  openInput,
  parseAccountsEncoding,
  parseEncoding,
  parseEventsEncoding,
  type InputEncoding,
  type InputFormat,
  type InputItem,
  type InputSource,
} from '../input/source.js';
import { renderExplanation, type ExplainedRecord } from '../render/explanation.js';
import { DataLeadFinder, duplicatesWarning, type DataLead, type LeadQuery } from './explain-data.js';
import { dataFormat, parseDelimiter } from './score.js';
import { loadScorer } from '../rules.js';
import { wholeNumber } from '../whole-number.js';
import { EXPLAIN_ACCOUNT_HELP, runExplainAccount } from './explain-account.js';
import { resolveNow } from '../time.js';

export interface ExplainOptions {
  readonly lead?: string;
  /** With DATA: the id of the lead to explain. */
  readonly id?: string;
  /** With DATA: the data row to explain (1-based, as text until checked). */
  readonly row?: string;
  readonly idField: string;
  readonly inputFormat?: InputFormat;
  readonly delimiter?: string;
  /** `--encoding`, parsed: of DATA and the events file (as `rubric score`). */
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  readonly events?: string;
  readonly eventsKey: string;
  readonly eventsFormat?: InputFormat;
  readonly now?: string;
  readonly format: 'text' | 'json';
  /** Issue 17: explain this account (explain-account.ts) instead of a lead. */
  readonly account?: string;
  readonly accounts?: string;
  readonly accountsFormat?: InputFormat;
  /** `--accounts-encoding`, parsed: of the accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
  readonly leads?: string;
}

const DATA_HELP = `With DATA (a CSV, JSON Lines or JSON file, or - for stdin), the lead is one record of
it, read exactly as \`rubric score\` reads it: the same decoding (--encoding, byte order
marks), delimiter detection, values and rejected rows. --id ID takes the first record whose id
field (--id-field, default \`id\`) is ID, and prints it at once; the rest of the file is then
read (streamed) to warn about another record with the same id. --row N takes the Nth data row:
counted from 1, the header line is not a row, unreadable rows count; reading stops there.
With --events, the lead's events come from the events file as \`rubric score --events\` joins
them (its rows in --events-key; the file sorted by lead id). --lead values are read as the
same values in a CSV cell are.`;

/** `rubric explain RULES (--lead ... | DATA --id ID | DATA --row N)`: why one lead has its score, stage and tier. */
export function registerExplainCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('explain')
    .description("explain one lead's score: the rules that fired, caps, group totals, and why each stage was or was not reached")
    .argument('<rules>', 'the rule file')
    .argument('[data]', 'a data file (.csv, .jsonl, .json, or - for stdin) to take the lead from, with --id or --row')
    .option('--lead <json|file>', 'the lead: a JSON object, or a file holding one (- for stdin)')
    .option('--id <id>', 'with DATA: explain the lead whose id field (--id-field) is ID')
    .option('--row <n>', 'with DATA: explain the Nth data row (1-based; the header is not a row)')
    .option('--id-field <field>', 'the field holding lead ids (for --id, and to pick the lead\'s rows of an events file)', 'id')
    .addOption(new Option('--input-format <format>', 'format of DATA (default: by extension)').choices(INPUT_FORMATS))
    .option('--delimiter <char>', 'CSV delimiter of DATA (default: detected from the header)')
    .option('--encoding <name>', ENCODING_HELP, parseEncoding)
    .option('--events-encoding <name>', EVENTS_ENCODING_HELP, parseEventsEncoding)
    .option('--events <json|file>', 'its events: a JSON array, or a CSV, JSON Lines or JSON file (default: the lead\'s `events`)')
    .option('--events-key <column>', 'in an events file, the column of the lead id: only rows for this lead are used', 'lead_id')
    .addOption(new Option('--events-format <format>', 'format of the events file (default: by extension)').choices(INPUT_FORMATS))
    .option('--now <iso>', 'the instant to score at, ISO 8601 (default: the current time, printed)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--account <id>', 'explain the account whose key is ID (with --accounts and --leads; see below)')
    .option('--accounts <file>', 'with --account: the accounts file (CSV, JSON Lines or JSON)')
    .addOption(new Option('--accounts-format <format>', 'format of the accounts file (default: by extension)').choices(INPUT_FORMATS))
    .option('--accounts-encoding <name>', ACCOUNTS_ENCODING_HELP, parseAccountsEncoding)
    .option('--leads <file>', 'with --account: the contacts (leads) file, read like DATA')
    .action(async (rules: string, data: string | undefined, options: ExplainOptions) => {
      context.setExitCode(await runExplain(context, rules, options, data));
    });
  addExamples(command, [
    { command: 'rubric explain rules/acme.rubric leads.csv --id 4711 --now 2026-03-01', description: 'explain lead 4711 of a data file, as `score` reads it' },
    { command: 'rubric explain rules/acme.rubric leads.jsonl --row 12 --events events.csv', description: 'the 12th lead of a file, with its events' },
    {
      command: `rubric explain rules/acme.rubric --lead '{"job": "CEO", "company": {"size": 50}, "email": "ana@acme.fr"}' --now 2026-03-01`,
      description: 'explain an inline lead',
    },
    { command: 'rubric explain rules/acme.rubric --lead lead-4711.json --events events-4711.csv', description: 'a lead and its events from files' },
    { command: 'rubric explain rules/acme.rubric --lead lead.json --format json', description: 'the explanation as JSON' },
    {
      command: 'rubric explain examples/abm/abm.rubric --account ACC-0001 --accounts examples/abm/accounts.csv --leads examples/abm/contacts.csv --events examples/abm/events.csv --now 2026-03-01',
      description: 'explain an account: its rules, the values over its contacts, its contacts',
    },
  ]);
  addHelpSection(command, 'Data file', DATA_HELP);
  addHelpSection(command, 'Accounts', EXPLAIN_ACCOUNT_HELP);
}

/** Explains one lead (from `--lead`, or from DATA with `--id`/`--row`); returns the exit code. */
export async function runExplain(context: CommandContext, rulesPath: string, options: ExplainOptions, dataPath?: string): Promise<number> {
  if (options.account !== undefined) {
    if (options.lead !== undefined || options.id !== undefined || options.row !== undefined) {
      // `rubric score --id COLUMN` names the id column; here `--id` picks a lead: say which option names the column.
      throw new CliError('--account explains an account: --lead, --id and --row pick a lead, give one or the other', {
        help:
          options.id !== undefined
            ? `to name the column holding the contacts' ids (what \`rubric score --id COLUMN\` does), write --id-field ${JSON.stringify(options.id)}`
            : 'leave --lead and --row out: the account is explained with all its contacts',
      });
    }
    return runExplainAccount(context, rulesPath, { ...options, account: options.account }, dataPath);
  }
  if (options.accounts !== undefined || options.leads !== undefined) {
    throw new CliError('--accounts and --leads go with --account ID: which account to explain', {
      help: 'for example rubric explain rules.rubric --account acme --accounts accounts.csv --leads contacts.csv',
    });
  }
  const source = leadSource(options, dataPath);
  if (source.kind === 'data') return explainFromData(context, rulesPath, options, source.path, source.query);
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'explaining');
  const lead = await readLead(context, source.lead);
  const events =
    options.events === undefined
      ? undefined
      : await readEvents(context, options, schemaOf(rules.analysis.model), idText(lead[options.idField]));
  const scoreOptions: ScoreOptions = events === undefined ? { now } : { now, events };
  writeExplanation(context, scorer.explain(lead, scoreOptions), { rulesPath: rules.path, nowSource }, options.format);
  return EXIT_OK;
}

/**
 * Where the lead comes from: `--lead`, or one record of DATA (`--id`/`--row`); throws a
 * {@link CliError} on options that do not name exactly one lead.
 */
function leadSource(
  options: ExplainOptions,
  dataPath: string | undefined,
): { readonly kind: 'lead'; readonly lead: string } | { readonly kind: 'data'; readonly path: string; readonly query: LeadQuery } {
  if (dataPath === undefined) {
    if (options.id !== undefined) {
      throw new CliError('`--id` picks a lead from a data file: rubric explain RULES DATA --id 4711; the id field is --id-field', {
        help: 'give the data file after the rule file, or the lead itself with --lead',
      });
    }
    if (options.row !== undefined) {
      throw new CliError('`--row` picks a lead from a data file: rubric explain RULES DATA --row 12', {
        help: 'give the data file after the rule file, or the lead itself with --lead',
      });
    }
    if (options.lead === undefined) {
      throw new CliError('which lead? give it with --lead, or take it from a data file: rubric explain RULES DATA --id ID', {
        help: `for example --lead '{"job": "CEO"}', or rubric explain RULES leads.csv --row 1`,
      });
    }
    return { kind: 'lead', lead: options.lead };
  }
  if (options.lead !== undefined) {
    throw new CliError('give the lead either with --lead or from DATA with --id/--row, not both', {
      help: `rubric explain RULES --lead '{...}', or rubric explain RULES DATA --id ID`,
    });
  }
  if (options.id !== undefined && options.row !== undefined) {
    throw new CliError('give --id or --row, not both: each picks one lead of DATA');
  }
  if (options.row !== undefined) {
    const row = wholeNumber(options.row);
    if (row === undefined || row < 1) {
      throw new CliError(`invalid --row \`${options.row}\`: expected a data row number, 1 or more`, {
        help: '--row counts data rows from 1 (the header line is not a row)',
      });
    }
    return { kind: 'data', path: dataPath, query: { kind: 'row', row } };
  }
  if (options.id !== undefined) {
    const id = idText(options.id);
    if (id === undefined) throw new CliError('--id is blank: give the id of the lead to explain');
    return { kind: 'data', path: dataPath, query: { kind: 'id', id } };
  }
  throw new CliError(`which lead of \`${dataPath === '-' ? 'stdin' : dataPath}\`? give --id ID (its id field, --id-field) or --row N`, {
    help: 'for example --id 4711, or --row 1 for the first data row',
  });
}

/** The explanation on stdout, as text or as JSON (`data`: where in DATA the lead was read). */
function writeExplanation(
  context: CommandContext,
  explanation: Explanation,
  where: { rulesPath: string; nowSource: string; data?: ExplainedRecord },
  format: 'text' | 'json',
): void {
  if (format === 'json') {
    const data = where.data === undefined ? {} : { data: where.data };
    context.io.stdout.write(`${JSON.stringify({ rules: where.rulesPath, ...data, ...explanation }, null, 2)}\n`);
  } else {
    context.io.stdout.write(renderExplanation(explanation, where, context.colors('stdout')));
  }
}

/** Explains a lead of DATA found by id or row, read and joined to its events as `rubric score` does. */
async function explainFromData(context: CommandContext, rulesPath: string, options: ExplainOptions, dataPath: string, query: LeadQuery): Promise<number> {
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const delimiter = parseDelimiter(options.delimiter);
  const format = dataFormat(context, dataPath, options.inputFormat);
  if (options.events === '-' && dataPath === '-') {
    throw new CliError('the data and the events cannot both come from stdin', { help: 'give one of them as a file' });
  }
  const inlineEvents = options.events?.trimStart().startsWith('[') === true;
  const eventsFormat = options.events === undefined || inlineEvents ? undefined : (options.eventsFormat ?? formatFromExtension(options.events));
  if (options.events !== undefined && !inlineEvents && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, {
      help: 'pass --events-format csv or jsonl (or use a .csv or .jsonl file name)',
    });
  }
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'explaining');
  const schema = schemaOf(rules.analysis.model);
  const readOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
  const opened: InputSource[] = [];
  const finder = new DataLeadFinder(context, {
    path: dataPath,
    read: { format, ...readOptions, ...(delimiter !== undefined ? { delimiter } : {}) },
    schema,
    idField: options.idField,
    rulesPath: rules.path,
  });
  const shown = finder.shown;
  try {
    const found = await finder.find(query);
    let scoreOptions: ScoreOptions;
    if (options.events === undefined) {
      scoreOptions = found.ownEvents === undefined ? { now } : { now, events: found.ownEvents };
    } else {
      if (found.ownEvents !== undefined || Array.isArray(found.lead.events)) {
        context.warn(`\`${shown}\` line ${found.line}: the lead's own \`events\` are ignored: events come from --events`);
      }
      if (inlineEvents) {
        scoreOptions = { now, events: await readEvents(context, options, schema, found.id) };
      } else {
        const eventsInput = await openInput(context, options.events, eventsReadOptions(options.encoding, options.eventsEncoding));
        opened.push(eventsInput);
        scoreOptions = await joinedEvents(context, { input: eventsInput, format: eventsFormat ?? 'csv', key: options.eventsKey, schema, scorer }, found, now, options.idField, shown);
      }
    }
    const record: ExplainedRecord = { file: shown, line: found.line, row: found.row, ...(found.id !== undefined ? { id: found.id } : {}) };
    writeExplanation(context, scorer.explain(found.lead, scoreOptions), { rulesPath: rules.path, nowSource, data: record }, options.format);
    if (query.kind === 'id' && found.id !== undefined) {
      const warning = duplicatesWarning(shown, found, await finder.duplicates(found.id));
      if (warning !== undefined) context.warn(warning);
    }
  } finally {
    await finder.close();
    for (const input of opened) await input.close();
  }
  return EXIT_OK;
}

/**
 * The lead's events from an events file, joined as `rubric score --events` joins them (the same
 * {@link EventsJoin}: the file sorted by lead id, read up to the lead's rows). Unreadable events
 * rows are warned about; invalid values are not (the explanation lists them).
 */
async function joinedEvents(
  context: CommandContext,
  events: { input: InputSource; format: InputFormat; key: string; schema: Schema; scorer: Scorer },
  found: DataLead,
  now: Date,
  idField: string,
  dataPath: string,
): Promise<ScoreOptions> {
  if (found.id === undefined) {
    context.warn(`\`${dataPath}\` line ${found.line}: no lead id in \`${idField}\`, so no events from --events`);
    return { now, events: [] };
  }
  const { input, format, key, schema, scorer } = events;
  const join = new EventsJoin(readItemBatches(input, format, undefined), {
    path: input.path,
    key,
    schema,
    onProblem: async (problem) => {
      if (!problem.skipped) return;
      context.warn(`${input.path}:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}: ${problem.message}; event skipped`);
    },
    checkEvent: (event, out) => {
      scorer.validateEvent(event as unknown as LeadEvent, out);
      return [];
    },
    onNotice: (message) => context.warn(message),
  });
  const joined = await join.eventsFor(found.id);
  return { now, events: joined, eventTimes: join.lastTimes };
}

/** The lead from `--lead`: inline JSON (starts with `{`), `-` for stdin, or a JSON file. */
async function readLead(context: CommandContext, value: string): Promise<Record<string, unknown>> {
  const inline = value.trimStart().startsWith('{');
  let text: string;
  let where: string;
  if (inline) {
    text = value;
    where = '--lead';
  } else if (value === '-') {
    text = await readAll(context);
    where = 'stdin';
  } else {
    text = await readTextFile(context, value);
    where = `\`${context.displayPath(value)}\``;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const { message, column } = describeJsonError(error);
    throw new CliError(`${where} is not valid JSON: ${message}${column !== undefined ? ` (at character ${column})` : ''}`, {
      help: `give one lead as a JSON object, e.g. --lead '{"job": "CEO", "company": {"size": 50}}'`,
    });
  }
  // Checked before any use: a value nested thousands deep would overflow the stack later on.
  const problem = jsonValueProblem(parsed, text);
  if (problem !== undefined) {
    throw new CliError(`${where} cannot be explained: ${problem.message} (at character ${problem.offset + 1})`, {
      help: `a lead's values may nest at most ${MAX_VALUE_DEPTH} levels of arrays and objects, and its text must be valid Unicode`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${where} is not a lead: expected a JSON object`, {
      help: Array.isArray(parsed) ? 'explain takes one lead; to score many, use `rubric score`' : 'give one lead as a JSON object',
    });
  }
  return parsed as Record<string, unknown>;
}

async function readAll(context: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of context.io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The events from `--events`: an inline JSON array, or a CSV / JSON Lines / JSON array file.
 * In a file with a lead id column (`--events-key`), only the rows of the lead's id are kept.
 */
async function readEvents(context: CommandContext, options: ExplainOptions, schema: Schema, leadId: string | undefined): Promise<LeadEvent[]> {
  const value = options.events ?? '';
  const key = options.eventsKey;
  if (value.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new CliError(`--events is not valid JSON: ${describeJsonError(error).message}`, {
        help: `give a JSON array of events, e.g. --events '[{"type": "email_open", "at": "2026-02-01"}]'`,
      });
    }
    if (!Array.isArray(parsed)) throw new CliError('--events must be a JSON array of events');
    const problem = jsonValueProblem(parsed, value, 1);
    if (problem !== undefined) throw new CliError(`--events cannot be used: ${problem.message} (at character ${problem.offset + 1})`);
    return parsed as LeadEvent[];
  }
  const resolved = options.eventsFormat ?? formatFromExtension(value);
  if (resolved === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(value)}\``, {
      help: 'pass --events-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)',
    });
  }
  const input = await openInput(context, value, eventsReadOptions(options.encoding, options.eventsEncoding));
  const events: LeadEvent[] = [];
  let keyed = false;
  try {
    const items: AsyncGenerator<InputItem> = readItems(input, resolved);
    let columns: readonly string[] = [];
    let keyIndex = -1;
    const matches = (id: unknown): boolean => {
      keyed ||= id !== undefined;
      return id === undefined || leadId === undefined || idText(id) === leadId;
    };
    for await (const item of items) {
      if (item.kind === 'header') {
        columns = item.columns;
        keyIndex = columns.indexOf(key);
      } else if (item.kind === 'row') {
        if (!matches(keyIndex === -1 ? undefined : item.fields[keyIndex])) continue;
        events.push(eventFromRow(columns, item.fields, schema, new Set([keyIndex])) as unknown as LeadEvent);
      } else if (item.kind === 'object') {
        if (!matches(item.value[key])) continue;
        const event: Record<string, unknown> = emptyRecord();
        for (const name of Object.keys(item.value)) if (name !== key) event[name] = item.value[name];
        events.push(event as unknown as LeadEvent);
      } else if (item.kind === 'bad') {
        context.warn(`${input.path}:${item.line}${item.column !== undefined ? `:${item.column}` : ''}: ${item.message}; event skipped`);
      } else {
        context.warn(item.message);
      }
    }
  } finally {
    await input.close();
  }
  if (keyed && leadId === undefined) {
    context.warn(`the lead has no \`${options.idField}\`, so every event of \`${input.path}\` is used; give the lead its id to pick its rows`);
  }
  return events;
}
