import { Option, type Command } from 'commander';
import picocolors from 'picocolors';
import { accountProfileScorer, compile, DataProfiler, type CompiledScorer, type DataProfile, type ProfileScorer } from '@rubric/core';
import { accountSideOf, keyText, valueAt, type AccountSide } from '../accounts/read-accounts.js';
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { AtomicOutputFile } from '../files.js';
import { addExamples, addHelpSection } from '../help.js';
import { readItemBatches, readLeadRecords } from '../input/data-file.js';
import { idText } from '../input/events-join.js';
import { emptyRecord, EventRowReader, schemaOf, type Schema } from '../input/leads.js';
import { blankColumnsNotice, duplicateColumnName } from '../input/blank-columns.js';
import { ACCOUNTS_ENCODING_HELP, ENCODING_HELP, EVENTS_ENCODING_HELP, eventsReadOptions, formatFromExtension, INPUT_FORMATS, openInput, parseAccountsEncoding, parseEncoding, parseEventsEncoding, type InputEncoding, type InputFormat, type InputSource } from '../input/source.js';
import { renderProfileHtml } from '../render/profile-html.js';
import { renderProfileJson } from '../render/profile-json.js';
import type { ProfiledAccounts, ProfiledFile, ProfileReport } from '../render/profile-report.js';
import { renderProfileText } from '../render/profile-text.js';
import { loadRuleFile, refuseOnErrors, reportWarningCount } from '../rules.js';
import { dataFormat, parseDelimiter } from './score.js';

/** The options of `rubric profile`, as commander parses them (see `registerProfileCommand`). */
export interface ProfileCommandOptions {
  readonly events?: string;
  readonly eventsKey: string;
  readonly eventsFormat?: InputFormat;
  readonly id: string;
  readonly inputFormat?: InputFormat;
  readonly delimiter?: string;
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  readonly format: 'text' | 'json' | 'html';
  readonly out?: string;
  /** `--accounts` (issue 17): the accounts file of the rule file's `account` block, profiled too. */
  readonly accounts?: string;
  readonly accountsFormat?: InputFormat;
  /** `--accounts-encoding`, parsed: of the accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
}

const PROFILE_HELP = `For every lead field and event property the rule file declares: how many values are filled,
missing and invalid (exactly as \`rubric score\` reads them: same decoding, same reader, the
compiled rules' own checks), the values that look like placeholders for "no value" (N/A, -, ?,
inconnu, 0000...), numbers written with a locale's separators (1 200, 8,5, 1,200.5), dates
written day or month first (20/02/2026; 01/02/2026 is ambiguous and said so, never guessed),
bool words of other languages (oui/non, ja/nein), and the most frequent values. Then the data
columns no field reads and the fields with no column. The text output ends with a suggested
\`data { }\` block (and \`from\` lines for columns that clearly are a field) to review and paste
into the rule file. Memory stays bounded: at most 10,000 distinct values are counted per field
(past that, counts say "at least").`;

const ACCOUNTS_HELP = `The accounts file of the rule file's \`account\` block is profiled too, in a part of its own:
the declared account fields, read exactly as \`rubric score --accounts\` reads them (encoding
from --accounts-encoding, else --encoding; delimiter detected; records without an account key,
or repeating one, left out as score leaves them out). The suggested \`data { }\` block weighs
the values of both files (a rule file has one), and \`from\` lines for account fields go into
the \`account\` block. A rule file without an \`account\` block is a usage error.`;

/** `rubric profile RULES DATA`: how a data file reads against a rule file, and what to declare. */
export function registerProfileCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('profile')
    .description('how a data file reads against a rule file (placeholders, number and date formats, columns) and the `data` block to declare')
    .argument('<rules>', 'the rule file')
    .argument('<data>', 'the leads (the contacts, with --accounts): a .csv, .jsonl or .json file, or - for stdin')
    .option('--events <file>', 'events in a separate CSV or JSON Lines file (any order)')
    .option('--events-key <column>', 'the events file column holding the lead id', 'lead_id')
    .addOption(new Option('--events-format <format>', 'format of the events file (default: by extension)').choices(INPUT_FORMATS))
    .option('--id <field>', 'the data column holding the lead id (not reported as unused)', 'id')
    .addOption(new Option('--input-format <format>', 'input format (default: by extension)').choices(INPUT_FORMATS))
    .option('--delimiter <char>', 'CSV delimiter of the data (default: detected from the header)')
    .option('--encoding <name>', ENCODING_HELP, parseEncoding)
    .option('--events-encoding <name>', EVENTS_ENCODING_HELP, parseEventsEncoding)
    .option('--accounts <file>', 'profile the accounts file too (CSV, JSON Lines or JSON) against the rule file\'s `account` block')
    .addOption(new Option('--accounts-format <format>', 'format of the accounts file (default: by extension)').choices(INPUT_FORMATS))
    .option('--accounts-encoding <name>', ACCOUNTS_ENCODING_HELP, parseAccountsEncoding)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--out <file>', 'write the profile to this file instead of stdout')
    .action(async (rules: string, data: string, options: ProfileCommandOptions) => {
      context.setExitCode(await runProfile(context, rules, data, options));
    });
  addExamples(command, [
    { command: 'rubric profile rules/acme.rubric export.csv', description: 'what the export looks like to the rules, and a `data` block to declare' },
    { command: 'rubric profile rules/acme.rubric export.csv --encoding windows-1252 --events events.csv', description: 'an Excel export, with its events' },
    { command: 'rubric profile rules/acme.rubric export.csv --format html --out profile.html', description: 'as one HTML page' },
    { command: 'rubric profile rules/abm.rubric contacts.csv --accounts companies.csv --accounts-encoding windows-1252', description: 'the contacts and the companies export of an `account` block, one `data` block for both' },
  ]);
  addHelpSection(command, 'What it reports', PROFILE_HELP);
  addHelpSection(command, 'With --accounts', ACCOUNTS_HELP);
  addHelpSection(command, 'Exit codes', '0 profiled (whatever the data holds); 1 rule file errors; 2 usage or I/O error');
}

/** Rejected records shown by example. */
const MAX_REJECTED_EXAMPLES = 5;
const INVALID_UTF8 = /not valid UTF-8/;

/** What reading one file learnt beyond its records. */
class FileTally {
  rejected = 0;
  readonly rejectedExamples: { line: number; message: string }[] = [];
  readonly notices: string[] = [];
  invalidUtf8 = false;
  delimiter: string | undefined;

  reject(line: number, message: string): void {
    this.rejected++;
    if (INVALID_UTF8.test(message)) this.invalidUtf8 = true;
    if (this.rejectedExamples.length < MAX_REJECTED_EXAMPLES) this.rejectedExamples.push({ line, message });
  }

  /**
   * A CSV header: its delimiter, and what `rubric score` would say of its columns. Two columns of
   * one name make score refuse the file (a field would read one of the two): said, then profiled
   * anyway; columns with no name are no duplicates: read as no field, said once (as by score).
   */
  header(columns: readonly string[], delimiter: string, shown: string): void {
    this.delimiter = delimiter;
    const duplicate = duplicateColumnName(columns);
    if (duplicate !== undefined) this.notice(`\`${shown}\` has two columns named \`${duplicate}\`: \`rubric score\` refuses the file; rename one of them`);
    const unnamed = blankColumnsNotice(columns, shown, 'read');
    if (unnamed !== undefined) this.notice(unnamed);
  }

  notice(message: string): void {
    if (INVALID_UTF8.test(message)) this.invalidUtf8 = true;
    if (this.notices.length < 20) this.notices.push(message);
  }

  file(path: string, format: InputFormat, encoding: string, bom: string | undefined): ProfiledFile {
    return {
      path,
      format,
      encoding,
      ...(bom !== undefined ? { bom } : {}),
      ...(this.delimiter !== undefined ? { delimiter: this.delimiter } : {}),
      rejected: this.rejected,
      rejectedExamples: this.rejectedExamples,
      notices: this.notices,
      invalidUtf8: this.invalidUtf8,
    };
  }
}

/** Runs `rubric profile`; returns the exit code. */
export async function runProfile(context: CommandContext, rulesPath: string, dataPath: string, options: ProfileCommandOptions): Promise<number> {
  const delimiter = parseDelimiter(options.delimiter);
  const format = dataFormat(context, dataPath, options.inputFormat);
  if (options.events === '-' && dataPath === '-') {
    throw new CliError('the data and the events cannot both come from stdin', { help: 'give one of them as a file' });
  }
  // The profile is written once the data is read: `--out` naming an input would replace it.
  if (options.out !== undefined && options.out !== '-') {
    const out = context.resolvePath(options.out);
    for (const [input, what] of [[rulesPath, 'the rule file'], [dataPath, 'the data file'], [options.events, 'the events file'], [options.accounts, 'the accounts file']] as const) {
      if (input !== undefined && input !== '-' && context.resolvePath(input) === out) {
        throw new CliError(`\`--out ${context.displayPath(options.out)}\` is ${what}: the profile would replace it`, {
          help: 'write the profile to another file, e.g. --out profile.txt',
        });
      }
    }
  }
  const eventsFormat = options.events === undefined ? undefined : (options.eventsFormat ?? formatFromExtension(options.events));
  if (options.events !== undefined && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, {
      help: 'pass --events-format csv or jsonl (or use a .csv or .jsonl file name)',
    });
  }
  if (options.accounts === '-' && (dataPath === '-' || options.events === '-')) {
    throw new CliError('the accounts and the other data cannot both come from stdin', { help: 'give the accounts as a file' });
  }
  const accountsFormat = options.accounts === undefined ? undefined : (options.accountsFormat ?? (options.accounts === '-' ? undefined : formatFromExtension(options.accounts)));
  if (options.accounts !== undefined && accountsFormat === undefined) {
    throw new CliError(`cannot tell the format of the accounts file \`${options.accounts === '-' ? 'stdin' : context.displayPath(options.accounts)}\``, {
      help: 'pass --accounts-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)',
    });
  }
  const source = await loadRuleFile(context, rulesPath);
  refuseOnErrors(context, source, 'profiling');
  const side = options.accounts === undefined ? null : accountSideOf(source.analysis.model);
  if (options.accounts !== undefined && side === null) {
    throw new CliError(`\`${source.path}\` has no \`account\` block, so --accounts has nothing to profile`, {
      help: 'declare the accounts in the rule file (`account id = company.id { ... }`, see docs/language.md "Accounts"), or leave --accounts out',
    });
  }
  const { scorer } = compile(source.analysis.model);
  if (scorer === null) throw new Error(`the compiler returned no scorer for \`${source.path}\``);
  reportWarningCount(context, source);

  const schema = schemaOf(source.analysis.model);
  const profiler = new DataProfiler(scorer, { idColumn: options.id, eventsKey: options.eventsKey });
  const readOptions = { format, ...(delimiter !== undefined ? { delimiter } : {}), ...(options.encoding !== undefined ? { encoding: options.encoding } : {}) };

  // The leads, read exactly as `rubric score` reads them. Their own events are profiled too,
  // unless the events come from --events (score ignores the leads' own then).
  const leads = new FileTally();
  const withOwnEvents = options.events === undefined;
  // The encoding and mark the data was read in, from the reader's own input (opening the file
  // again to look would read stdin or a pipe a second time, or wait forever for a FIFO's writer).
  let dataInput: InputSource | undefined;
  const records = readLeadRecords(context, dataPath, schema, {
    ...readOptions,
    onOpen: (input) => {
      dataInput = input;
    },
  });
  for await (const record of records) {
    switch (record.kind) {
      case 'header': {
        leads.header(record.columns, record.delimiter, dataPath === '-' ? 'stdin' : context.displayPath(dataPath));
        profiler.addColumns(record.columns);
        break;
      }
      case 'notice':
        leads.notice(record.message);
        break;
      case 'rejected':
        leads.reject(record.line, record.message);
        break;
      case 'lead':
        // A cell that could not be read (an `events` cell that is not a JSON array) is missing, as in score.
        for (const problem of record.problems) leads.notice(`line ${record.line}: \`${problem.field}\`: ${problem.message}; treated as missing`);
        profiler.addLead(record.lead, withOwnEvents);
        if (withOwnEvents && record.events !== undefined) for (const event of record.events) profiler.addEvent(event);
        break;
    }
  }
  const dataEncoding = { encoding: dataInput?.encoding ?? options.encoding ?? 'utf-8', bom: dataInput?.bom };

  let eventsFile: ProfiledFile | undefined;
  if (options.events !== undefined && eventsFormat !== undefined) {
    eventsFile = await profileEvents(context, options.events, eventsFormat, options, schema, profiler);
  }

  let accounts: ProfiledAccounts | undefined;
  let profile: DataProfile;
  if (options.accounts !== undefined && accountsFormat !== undefined && side !== null) {
    // One `data` block for the rule file: each file's suggestions weigh the other's values too.
    const read = await profileAccounts(context, options.accounts, accountsFormat, options, side, scorer);
    const accountModel = read.scorer.model;
    profile = profiler.finish([{ profile: read.profiler.evidence(), model: accountModel }]);
    const accountProfile = read.profiler.finish([{ profile: profiler.evidence(), model: source.analysis.model }]);
    accounts = { file: read.file, profile: accountProfile, keyColumn: side.accountKey.column };
  } else {
    profile = profiler.finish();
  }
  const report: ProfileReport = {
    rules: source.path,
    data: leads.file(dataPath === '-' ? 'stdin' : context.displayPath(dataPath), format, dataEncoding.encoding, dataEncoding.bom),
    ...(eventsFile !== undefined ? { events: eventsFile } : {}),
    profile,
    ...(accounts !== undefined ? { accounts } : {}),
  };
  // A file never gets colour; stdout only when it is a terminal (and colour is not turned off).
  const colors = options.out === undefined || options.out === '-' ? context.colors('stdout') : picocolors.createColors(false);
  const text = options.format === 'json' ? renderProfileJson(report) : options.format === 'html' ? renderProfileHtml(report) : renderProfileText(report, colors);
  await writeOutput(context, options.out, text);
  return EXIT_OK;
}

/** Reads the events file as `rubric score --events` reads its rows (without the join: order does not matter here). */
async function profileEvents(
  context: CommandContext,
  userPath: string,
  format: InputFormat,
  options: ProfileCommandOptions,
  schema: Schema,
  profiler: DataProfiler,
): Promise<ProfiledFile> {
  const tally = new FileTally();
  const input = await openInput(context, userPath, eventsReadOptions(options.encoding, options.eventsEncoding));
  const key = options.eventsKey;
  let rows: EventRowReader | undefined;
  let keyIndex = -1;
  try {
    for await (const batch of readItemBatches(input, format, undefined)) {
      for (const item of batch) {
        switch (item.kind) {
          case 'notice':
            tally.notice(item.message);
            break;
          case 'header':
            tally.delimiter = item.delimiter;
            keyIndex = item.columns.indexOf(key);
            if (keyIndex === -1) {
              throw new CliError(`\`${input.path}\` has no \`${key}\` column`, { help: 'name the events file\'s lead id column with --events-key' });
            }
            rows = new EventRowReader(item.columns, schema, new Set([keyIndex]));
            profiler.addEventColumns(item.columns);
            break;
          case 'bad':
            tally.reject(item.line, item.message);
            break;
          case 'row': {
            // As the events join: a row with no lead id is skipped.
            if (rows === undefined || idText(item.fields[keyIndex]) === undefined) {
              tally.reject(item.line, `no lead id in \`${key}\``);
              break;
            }
            profiler.addEvent(rows.read(item.fields));
            break;
          }
          case 'object': {
            if (idText(item.value[key]) === undefined) {
              tally.reject(item.line, `no lead id in \`${key}\``);
              break;
            }
            // As the events join builds it: every key but the lead id.
            const event = emptyRecord();
            for (const name of Object.keys(item.value)) if (name !== key) event[name] = item.value[name];
            profiler.addEvent(event);
            break;
          }
        }
      }
    }
    return tally.file(input.path, format, input.encoding, input.bom);
  } finally {
    await input.close();
  }
}

/**
 * Reads the accounts file as `rubric score --accounts` reads it (the same reader, schema,
 * encoding option and delimiter detection; a record without an account key, or with a key an
 * earlier record has, is left out and said as score says it) and profiles its records.
 */
async function profileAccounts(
  context: CommandContext,
  userPath: string,
  format: InputFormat,
  options: ProfileCommandOptions,
  side: AccountSide,
  compiled: CompiledScorer,
): Promise<{ readonly file: ProfiledFile; readonly profiler: DataProfiler; readonly scorer: ProfileScorer }> {
  const scorer = accountProfileScorer(compiled);
  if (scorer === null) throw new Error('the compiler gave no account scorer for a file with an `account` block');
  const { column: keyColumn, field: keyField, type: keyType, reading } = side.accountKey;
  const profiler = new DataProfiler(scorer, { idColumn: keyColumn, dataName: 'the accounts file' });
  const tally = new FileTally();
  const encoding = options.accountsEncoding ?? options.encoding;
  const shown = userPath === '-' ? 'stdin' : context.displayPath(userPath);
  const nested = side.schema.fromFields?.has(keyField) !== true;
  // Keys met, to leave out a second record of a key as score does (the first one is the account).
  const keys = new Map<string, number>();
  // Without the key column score refuses the file: said, and every record profiled anyway.
  let keyless = false;
  let input: InputSource | undefined;
  const records = readLeadRecords(context, userPath, side.schema, {
    format,
    ...(encoding !== undefined ? { encoding } : {}),
    encodingOption: '--accounts-encoding',
    onOpen: (opened) => {
      input = opened;
    },
  });
  for await (const record of records) {
    switch (record.kind) {
      case 'header': {
        tally.header(record.columns, record.delimiter, shown);
        if (!record.columns.includes(keyColumn)) {
          keyless = true;
          tally.notice(`\`${shown}\` has no \`${keyColumn}\` column, the account key (\`account ${keyField} = ...\`): \`rubric score --accounts\` refuses the file; name the column, or read the key field from another one with \`${keyField}: ... from "COLUMN"\` in the account block`);
        }
        profiler.addColumns(record.columns);
        break;
      }
      case 'notice':
        tally.notice(record.message);
        break;
      case 'rejected':
        tally.reject(record.line, record.message);
        break;
      case 'lead': {
        if (!keyless) {
          const key = keyText(valueAt(record.lead, keyColumn, nested), keyType, reading);
          if (key === undefined) {
            tally.reject(record.line, `no account key in \`${keyColumn}\``);
            break;
          }
          const first = keys.get(key);
          if (first !== undefined) {
            tally.reject(record.line, `duplicate account key \`${key}\` (first on line ${first}, which is the account)`);
            break;
          }
          keys.set(key, record.line);
        }
        for (const problem of record.problems) tally.notice(`line ${record.line}: \`${problem.field}\`: ${problem.message}; treated as missing`);
        profiler.addLead(record.lead, false);
        break;
      }
    }
  }
  const file = tally.file(input?.path ?? shown, format, input?.encoding ?? encoding ?? 'utf-8', input?.bom);
  return { file, profiler, scorer };
}

/** Writes the rendered profile to `--out` (atomically) or stdout. */
async function writeOutput(context: CommandContext, out: string | undefined, text: string): Promise<void> {
  if (out === undefined || out === '-') {
    context.io.stdout.write(text);
    return;
  }
  const file = await AtomicOutputFile.open(context, out);
  try {
    file.stream.write(text);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}
