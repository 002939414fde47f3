/**
 * `rubric score RULES CONTACTS --accounts ACCOUNTS --accounts-out FILE` (issue 17): scores the
 * accounts of the accounts file from their contacts, and the contacts with their account.
 *
 * Every record is accounted for in the summary: accounts read = scored + rejected (no key, a key
 * an earlier record has: the second is rejected with its line, an unreadable record); contacts
 * read = written + rejected, and of those written: matched to an account, without an account
 * key (scored alone), with a key naming no account (scored alone, counted and listed).
 *
 * The accounts are held in memory. Each contact is scored with its account's fields and written
 * as it is read, its account keeping only what the account level reads of it
 * (`AccountScorer.beginAccounts`: the accounts' tallies by number), unless its final result
 * needs its account's (contact rules reading `account.stage|score|tier`), or --explain,
 * --engine duckdb, JSON or an `events` column, or --out to stdout: then the contacts are held
 * too (read-accounts.ts: about 1 KB per contact) and written in their input order once their
 * accounts are scored. --max-contacts bounds both either way.
 */
import type { CompiledScorer, Explanation, InvalidValue, Lead, LeadEvent, Model, ScoreResult } from '@rubric/core';
import { scoreAccountFilesInDuckdb, type EngineResult } from '../engine/duckdb-accounts.js';
import { usesDuckdb } from '../engine/duckdb-score.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, type CommandContext } from '../context.js';
import { accountScorerOf, type AccountScorer } from '../accounts/api.js';
import type { AccountEventPlan, AccountEventRows, AccountRowScorer, AccountRowTallies, AccountTallies, RowPlan } from '@rubric/core';
import {
  accountSideOf,
  contactSchemaOf,
  DEFAULT_MAX_CONTACTS,
  describeUnknownKeys,
  readAccountsFile,
  readContactsFile,
  type AccountRow,
  type AccountSide,
  type AccountsFile,
  type ContactRow,
  type ContactsFile,
} from '../accounts/read-accounts.js';
import { EventsJoin, compareIds, OUT_OF_ORDER_HELP, type CellReading, type EventsJoinStats } from '../input/events-join.js';
import { readItemBatches } from '../input/data-file.js';
import { refuseDuplicateColumns } from '../input/blank-columns.js';
import { columnOfField, inputColumnNotices, setOwn, type LeadRowReader, type Schema } from '../input/leads.js';
import { eventsReadOptions, formatFromExtension, openInput, writesByteOrderMark, type InputFormat, type InputSource, type ReadOptions } from '../input/source.js';
import { describeInvalid, eventCellsHandling, eventsProblemHandling, ProblemReporter, type RowProblem } from '../output/problems.js';
import { ScoreProgress } from '../output/progress.js';
import { StageCounts } from '../output/stage-counts.js';
import { groupColumnsOf, resultColumns, resultValues, ScoredRecordWriter } from '../output/scored-records.js';
import { CsvWriter, csvCell, encodeCsvLine, JsonLinesWriter, type OutputFormat } from '../output/writers.js';
import { accountLineEncoder } from '../output/account-lines.js';
import { plural } from '../render/code-frame.js';
import { renderWhy } from '../render/explanation.js';
import { terminalText } from '../render/terminal-text.js';
import { loadScorer } from '../rules.js';
import { resolveNow } from '../time.js';
import { dataFormat, flattenKeys, openDestination, outputFormatFromPath, parseDelimiter, warningLine, type Destination, type ScoreCommandOptions } from './score.js';
import { wholeNumber } from '../whole-number.js';

/** What `--accounts` adds to `rubric score` (the help says it). */
export const ACCOUNTS_HELP = `With --accounts FILE (CSV, JSON Lines or a JSON array, read like the data: encodings, byte
order marks, \`from\` columns), the rule file's \`account\` block is used: each account (a record of
FILE, found by its key field) is scored from its own fields, its contacts (the data's leads whose
key field names it) and all its contacts' events, and each contact is scored with its account's
fields (and stage, score, tier when its rules read them). The contacts are written as without
--accounts (same columns); the accounts go to --accounts-out (CSV or JSON Lines, by extension,
\`-\` for stdout when --out is a file) with the columns KEY, score, stage, tier, one per account
group and \`contacts\` (how many). A contact with no key, or a key naming no account, is scored
alone; an account record with no key or a key seen before is rejected (the first one counts).
The accounts are held in memory; each contact is scored and written as it is read (CSV contacts,
--out FILE, no --explain, no contact rule reading the account's stage, score or tier), else the
contacts are held too, about 1 KB each. --max-contacts (default 1,000,000) bounds both files,
and a bigger file stops the run with a message (split it by account). With
--engine duckdb the scores come from the SQL target's queries in DuckDB (files only, no
--explain); the outputs are the same.`;

/** `--max-contacts`, parsed. */
export function parseMaxContacts(value: string): number {
  const number = wholeNumber(value);
  if (number === undefined || number < 1) {
    throw new CliError(`invalid --max-contacts \`${value}\`: expected a whole number, 1 or more`, { help: `for example --max-contacts 2000000 (default ${DEFAULT_MAX_CONTACTS})` });
  }
  return number;
}

interface AccountStats {
  readonly stages: Map<string | null, number>;
  readonly contactStages: Map<string | null, number>;
  contactsWithProblems: number;
  accountsWithProblems: number;
  emptyAccounts: number;
}

/** Runs `rubric score` with `--accounts`; returns the exit code. */
export async function runScoreAccounts(context: CommandContext, rulesPath: string, dataPath: string, options: ScoreCommandOptions & { readonly accounts: string }): Promise<number> {
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const delimiter = parseDelimiter(options.delimiter);
  const inputFormat = dataFormat(context, dataPath, options.inputFormat);
  const accountsFormat = options.accountsFormat ?? (options.accounts === '-' ? undefined : formatFromExtension(options.accounts));
  if (accountsFormat === undefined) {
    throw new CliError(`cannot tell the format of the accounts file \`${options.accounts === '-' ? 'stdin' : context.displayPath(options.accounts)}\``, {
      help: 'pass --accounts-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)',
    });
  }
  const accountsOut = options.accountsOut;
  if (accountsOut === undefined) {
    throw new CliError('--accounts needs --accounts-out FILE: where the scored accounts go', {
      help: 'for example --out contacts.csv --accounts-out accounts.csv (`--accounts-out -` prints them, when --out is a file)',
    });
  }
  if (accountsOut === '-' && (options.out === undefined || options.out === '-')) {
    throw new CliError('the contacts and the accounts cannot both go to stdout', { help: 'give --out FILE for the contacts, or --accounts-out FILE' });
  }
  const sources = [dataPath, options.accounts, options.events].filter((file) => file === '-');
  if (sources.length > 1) throw new CliError('only one of the data, the accounts and the events can come from stdin', { help: 'give the others as files' });
  for (const out of [options.out, accountsOut]) {
    if (out !== undefined && out !== '-' && formatFromExtension(out) === 'json' && (out !== options.out || options.format === undefined)) {
      throw new CliError(`cannot write a JSON array to \`${context.displayPath(out)}\`: the output is CSV or JSON Lines`, { help: 'name it .jsonl' });
    }
  }
  const eventsFormat = options.events === undefined ? undefined : (options.eventsFormat ?? formatFromExtension(options.events));
  if (options.events !== undefined && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, {
      help: 'pass --events-format csv or jsonl (or use a .csv or .jsonl file name)',
    });
  }
  const duckdb = usesDuckdb(options);
  if (duckdb) {
    if (options.explain === true) throw new CliError('--engine duckdb cannot --explain: the `why` text is written by the JavaScript explainer', { help: 'leave --engine out to explain' });
    if (sources.length > 0) throw new CliError('--engine duckdb reads files, not stdin', { help: 'give the data, the accounts and the events as files' });
  }
  const outputFormat: OutputFormat = options.format ?? outputFormatFromPath(options.out) ?? (inputFormat === 'csv' ? 'csv' : 'jsonl');
  const accountsOutputFormat: OutputFormat = outputFormatFromPath(accountsOut) ?? (accountsFormat === 'csv' ? 'csv' : 'jsonl');

  // With the row entry (issue 17): streamed contacts and their events are scored from their cells.
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'scoring', { rows: !usesDuckdb(options) && options.explain !== true });
  const side = accountSideOf(rules.analysis.model);
  if (side === null) {
    throw new CliError(`\`${rules.path}\` has no \`account\` block, so --accounts has nothing to score`, {
      help: 'declare the accounts in the rule file (`account id = company.id { ... }`, see docs/language.md "Accounts"), or leave --accounts out',
    });
  }
  const accountScorer = accountScorerOf(scorer);
  if (accountScorer === null) throw new Error(`the compiler gave no account scorer for \`${rules.path}\``);
  const explain = options.explain === true;
  const contactGroups = rules.analysis.model.groups.map((group) => group.name);
  const contactGroupColumns = groupColumnsOf(contactGroups, options.groupPrefix ?? '', explain);
  const accountGroupColumns = groupColumnsOf(side.groups, options.groupPrefix ?? '', explain);
  const accountColumns = [side.accountKey.column, ...resultColumns(accountGroupColumns, false), 'contacts', ...(explain ? ['why'] : [])];
  const clash = accountColumns.find((column, index) => accountColumns.indexOf(column) !== index);
  if (clash !== undefined) {
    throw new CliError(`the accounts output would have two \`${clash}\` columns (the key, score, stage, tier, the account groups and \`contacts\`)`, {
      help: 'rename the account group (or the key field), or pass --group-prefix group_',
    });
  }

  const maxContacts = options.maxContacts ?? DEFAULT_MAX_CONTACTS;
  const readOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
  // --accounts-encoding (issue 17): the accounts file's own, else --encoding's.
  const accountsEncoding = options.accountsEncoding ?? options.encoding;
  const accountsReadOptions = accountsEncoding === undefined ? {} : { encoding: accountsEncoding };
  const opened: InputSource[] = [];
  let reporter: ProblemReporter | undefined;
  let progress: ScoreProgress | undefined;
  let progressAsked = false;
  const destinations: Destination[] = [];
  let succeeded = false;
  try {
    reporter = await ProblemReporter.open(context, options.errors);
    const report = reporter;
    const warn = (message: string): void => report.print(warningLine(context, message));
    const contactsOut = await openDestination(context, options);
    destinations.push(contactsOut);
    const accountsDestination = await openDestination(context, { out: accountsOut, ...(options.strict !== undefined ? { strict: options.strict } : {}) });
    destinations.push(accountsDestination);

    const accounts = await readAccountsFile(
      context,
      options.accounts,
      side,
      { format: accountsFormat, ...accountsReadOptions, maxAccounts: maxContacts },
      (problem) => report.report(problem),
      warn,
    );
    if (accounts.read === 0) warn(`\`${accounts.path}\` holds no accounts: every contact is scored alone`);

    const schema = contactSchemaOf(rules.analysis.model);
    const eventsInput = options.events === undefined ? undefined : await openInput(context, options.events, eventsReadOptions(options.encoding, options.eventsEncoding));
    if (eventsInput !== undefined) opened.push(eventsInput);
    const hasJoin = eventsInput !== undefined && eventsFormat !== undefined;
    const scoring = new AccountScoring(scorer, accountScorer, side, schema, { now, explain, hasJoin, contactStages: rules.analysis.model.stages.map((stage) => stage.name) }, report);
    const join =
      eventsInput === undefined || eventsFormat === undefined
        ? undefined
        : new EventsJoin(readItemBatches(eventsInput, eventsFormat, undefined), {
            path: eventsInput.path,
            key: options.eventsKey,
            schema,
            ...eventsProblemHandling(eventsInput.path, scorer, report),
            onNotice: warn,
            // Events as cells when the contacts are streamed by rows (AccountScoring.stream).
            cells: () => scoring.eventCells(),
          });
    const events = new ContactEvents(join, options, report, warn);
    const computed = resultColumns(contactGroupColumns, explain);
    // Each contact scored as it is read, its row written then, and not kept (AccountScoring.stream):
    // when its final result does not wait for its account's (no contact rule reads the account's
    // stage, score or tier), with the JavaScript engine, no `why`, and the contacts going to a
    // file or a --strict spool (stdout gets nothing from a run that fails midway, as before).
    const streams =
      !duckdb && !explain && !accountScorer.contactsReadAccountResult && scoring.onePass && ((options.out !== undefined && options.out !== '-') || options.strict === true);
    let streamed: ScoredRecordWriter | undefined;
    const contacts = await readContactsFile(context, dataPath, schema, accounts, side, { format: inputFormat, ...readOptions, ...(delimiter !== undefined ? { delimiter } : {}), maxContacts, idColumn: options.id, keepRaw: outputFormat === 'csv', sortedIds: join !== undefined }, {
      report: (problem) => report.report(problem),
      notice: warn,
      header: (columns, shown, header) => {
        refuseDuplicateColumns(shown, columns);
        if (join !== undefined && !columns.includes(options.id)) {
          throw new CliError(`\`${shown}\` has no \`${options.id}\` column to join the events on`, { help: 'name the lead id column with --id COLUMN' });
        }
        const notices = inputColumnNotices(columns, schema, computed, options.id, { input: shown, rules: rules.path }, outputFormat === 'csv' ? 'kept' : 'left-out');
        for (const notice of notices) warn(notice);
        if (header.streams) {
          // As writeContacts starts the output for a CSV file.
          streamed = new ScoredRecordWriter(contactsOut.stream, outputFormat, computed);
          streamed.setInputColumns(columns, header.delimiter, { lineBreak: header.lineBreak === '\r\n' ? '\r\n' : '\n', bom: writesByteOrderMark(header.input) });
          scoring.startStream(accounts, streamed, columns, contactGroups, contactGroupColumns, schema);
        }
      },
      ...(streams ? { stream: (contact: ContactRow, account: number, reader: LeadRowReader) => scoring.stream(contact, account, reader) } : {}),
      withEvents: (contact, own, shown) => events.attach(contact, own, shown),
      // The progress bar (on a terminal only) follows the contacts file, the part read as a stream.
      onRecord: (input, read) => {
        if (progress === undefined && !progressAsked) {
          progressAsked = true;
          progress = ScoreProgress.create(context, input.size, options.progress);
          report.attach(progress);
        }
        progress?.update(read, input.bytesRead);
      },
    });
    progress?.stop();
    report.attach(undefined);
    progress = undefined;
    const eventsStats = join === undefined ? undefined : await join.finish();
    if (contacts.read === 0) warn(`\`${contacts.path}\` holds no contacts: the accounts are scored from their own fields`);

    // --engine duckdb: the same files scored in SQL (engine/duckdb-accounts.ts), results by record
    // number; reading, counting, validating and writing stay here, so both engines say the same.
    const engine = duckdb ? await duckdbResults(context, rules.analysis.model, dataPath, inputFormat, accountsFormat, options, now, delimiter, readOptions, accountsReadOptions) : undefined;
    let accountResults: readonly Scored[];
    let contactCounts: readonly number[];
    let stats: AccountStats;
    if (streamed !== undefined) {
      // Every contact is scored and written: the accounts now, from what each kept of its contacts.
      ({ accountResults, contactCounts, stats } = await scoring.finishStream(accounts, contacts));
      await streamed.finish();
    } else {
      let contactResults: readonly Scored[];
      ({ contactResults, accountResults, stats } = await scoring.run(accounts, contacts, engine));
      contactCounts = accounts.rows.map((account) => account.contacts.length);
      await writeContacts(contactsOut, outputFormat, contacts, contactResults, computed, contactGroups, contactGroupColumns, warn);
    }
    await writeAccounts(accountsDestination, accountsOutputFormat, accounts, accountResults, contactCounts, accountColumns, side.groups, accountGroupColumns);

    await report.finish();
    const failedStrict = options.strict === true && report.count > 0;
    for (const destination of destinations) {
      if (failedStrict) await destination.discard();
      else await destination.release();
    }
    succeeded = true;
    writeAccountsSummary(context, { accounts, contacts, stats, eventsStats, now, nowSource, problems: report.count, options, failedStrict, accountsOut });
    return failedStrict ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    progress?.stop();
    if (!succeeded) {
      for (const destination of destinations) await destination.discard();
      await reporter?.abort();
    }
    for (const input of opened) await input.close();
  }
}

/** Joins each contact's events from --events (the contacts sorted by lead id, as `rubric score` needs). */
export class ContactEvents {
  private previousId: string | undefined;
  private previousLine = 0;
  private warnedOwn = false;

  constructor(
    private readonly join: EventsJoin | undefined,
    private readonly options: Pick<ScoreCommandOptions, 'id'>,
    private readonly reporter: Pick<ProblemReporter, 'report'>,
    private readonly warn: (message: string) => void,
  ) {}

  /** Joins the contact's events; a promise only when it has to wait (a report, more events to read). */
  attach(contact: ContactRow, own: readonly LeadEvent[] | undefined, path: string): Promise<void> | undefined {
    const join = this.join;
    if (join === undefined) return undefined;
    if (!this.warnedOwn && own !== undefined) {
      this.warnedOwn = true;
      this.warn(`\`${path}\` line ${contact.line}: leads' own \`events\` are ignored: events come from --events`);
    }
    const id = contact.id;
    if (id === undefined) {
      contact.hadProblem = true;
      contact.events = [];
      return this.reporter.report({ file: path, line: contact.line, field: this.options.id, message: 'no lead id, so no events from --events', action: 'treated as missing' });
    }
    const previous = this.previousId;
    if (previous !== undefined && previous !== id && compareIds(id, previous) < 0) {
      throw new CliError(`\`${path}\` is not sorted by lead id: lead \`${id}\` on line ${contact.line} comes after lead \`${previous}\` (line ${this.previousLine})`, {
        help: OUT_OF_ORDER_HELP,
      });
    }
    // Two fields, not an object per contact.
    this.previousId = id;
    this.previousLine = contact.line;
    const ready = join.eventsReady(id);
    if (ready !== undefined) {
      contact.events = ready;
      contact.eventTimes = join.lastTimes;
      if (join.readsCells) contact.eventRows = join.lastEventRows;
      return undefined;
    }
    return ContactEvents.whenRead(join, id, contact);
  }

  // Apart from attach: a closure there made every call allocate a context for what it captures.
  private static async whenRead(join: EventsJoin, id: string, contact: ContactRow): Promise<void> {
    contact.events = await join.eventsFor(id);
    contact.eventTimes = join.lastTimes;
    if (join.readsCells) contact.eventRows = join.lastEventRows;
  }
}

/**
 * The streamed contacts' row entry (issue 17): the contacts file's plan and, once the events
 * file's header is read as cells, the one view of a contact's event rows with the plan of both
 * levels (changed for each contact, read by the tally during its call only).
 */
interface RowScoring {
  readonly scorer: AccountRowScorer;
  readonly plan: RowPlan;
  /** The accounts' tallies (the same object as AccountScoring's `tallies`). */
  readonly tallies: AccountRowTallies;
  events: { readonly plan: AccountEventPlan; rows: AccountEventRows['rows']; types: AccountEventRows['types']; times: AccountEventRows['times'] } | undefined;
}

/** The DuckDB engine's results, by record number (from 0, rejected records counted). */
interface EngineResults {
  readonly contacts: ReadonlyMap<number, ScoreResult>;
  readonly accounts: ReadonlyMap<number, ScoreResult>;
}

/** Scores the files with `--engine duckdb` (engine/duckdb-accounts.ts). */
async function duckdbResults(
  context: CommandContext,
  model: Model,
  dataPath: string,
  inputFormat: InputFormat,
  accountsFormat: InputFormat,
  options: ScoreCommandOptions & { readonly accounts: string },
  now: Date,
  delimiter: string | undefined,
  readOptions: ReadOptions,
  accountsReadOptions: ReadOptions,
): Promise<EngineResults> {
  const eventsFormat = options.events === undefined ? undefined : (options.eventsFormat ?? formatFromExtension(options.events));
  const result = await scoreAccountFilesInDuckdb(context, model, {
    contacts: { path: dataPath, format: inputFormat },
    accounts: { path: options.accounts, format: accountsFormat },
    ...(options.events !== undefined && eventsFormat !== undefined ? { events: { path: options.events, format: eventsFormat, key: options.eventsKey } } : {}),
    idColumn: options.id,
    now,
    ...(delimiter !== undefined ? { delimiter } : {}),
    readOptions,
    accountsReadOptions,
    eventsReadOptions: eventsReadOptions(options.encoding, options.eventsEncoding),
  });
  const byRow = (results: readonly EngineResult[]): Map<number, ScoreResult> => new Map(results.map((r) => [r.row, { score: r.score, stage: r.stage, tier: r.tier, groups: r.groups }]));
  return { contacts: byRow(result.contacts), accounts: byRow(result.accounts) };
}

/** The engine's result of a record; a record it has none for is a disagreement between the readers (a bug). */
function engineResult(results: ReadonlyMap<number, ScoreResult>, row: number, file: string, line: number): ScoreResult {
  const result = results.get(row);
  if (result === undefined) throw new Error(`internal: --engine duckdb gave no result for \`${file}\` line ${line} (record ${row + 1})`);
  return result;
}

interface Scored {
  readonly result: ScoreResult;
  readonly why: string | undefined;
}

/** Scores every account with its contacts, then every contact without an account, and reports invalid values. */
class AccountScoring {
  private readonly stats: AccountStats = { stages: new Map(), contactStages: new Map(), contactsWithProblems: 0, accountsWithProblems: 0, emptyAccounts: 0 };
  private readonly scoreOptions: { readonly now: Date };
  /**
   * Validating a contact: with --events, its events were checked (with their own line) as the
   * join read them, so only its fields are (`events: []`); else its own events too.
   */
  private readonly validateOptions: { readonly now: Date; readonly events?: readonly LeadEvent[] };

  /**
   * Whether a contact is scored and validated in one evaluation. Not when --events is joined and
   * a lead field is named like an event's value (`visit.page` for event `visit`'s `page`): its
   * invalid values could not be told from the events' then, so it is validated apart (`events: []`).
   */
  readonly onePass: boolean;

  constructor(
    private readonly scorer: CompiledScorer,
    private readonly accounts: AccountScorer,
    private readonly side: AccountSide,
    private readonly schema: Schema,
    private readonly settings: { readonly now: Date; readonly explain: boolean; readonly hasJoin: boolean; readonly contactStages: readonly string[] },
    private readonly reporter: ProblemReporter,
  ) {
    this.scoreOptions = { now: settings.now };
    this.validateOptions = settings.hasJoin ? { now: settings.now, events: [] } : this.scoreOptions;
    this.onePass = !settings.hasJoin || ![...schema.events].some(([type, properties]) => schema.fields.has(`${type}.at`) || [...properties.keys()].some((name) => schema.fields.has(`${type}.${name}`)));
    for (const stage of side.stages) this.stats.stages.set(stage, 0);
    this.stats.stages.set(null, 0);
    // As `rubric score` counts them: every contact stage in file order, 0 included.
    for (const stage of settings.contactStages) this.stats.contactStages.set(stage, 0);
    this.stats.contactStages.set(null, 0);
  }

  async run(accounts: AccountsFile, contacts: ContactsFile, engine?: EngineResults): Promise<{ contactResults: readonly Scored[]; accountResults: readonly Scored[]; stats: AccountStats }> {
    const { settings } = this;
    const list = contacts.contacts;
    const contactResults: (Scored | undefined)[] = new Array<Scored | undefined>(list.length);
    // Contacts' invalid values by index (few), reported in file order once all are scored.
    const invalids = new Map<number, readonly InvalidValue[]>();
    const accountResults: Scored[] = [];
    const leads: Lead[] = [];
    for (const account of accounts.rows) {
      leads.length = 0;
      for (const index of account.contacts) leads.push(scoringLead(list[index], contacts.leadOf));
      if (account.contacts.length === 0) this.stats.emptyAccounts += 1;
      let scored: Scored;
      if (engine !== undefined) {
        scored = { result: engineResult(engine.accounts, account.row - 1, accounts.path, account.line), why: undefined };
        for (const index of account.contacts) contactResults[index] = { result: engineResult(engine.contacts, list[index].row, contacts.path, list[index].line), why: undefined };
      } else if (settings.explain) {
        const explanation = this.accounts.explainAccount(account.record, leads, this.scoreOptions);
        scored = { result: explanation, why: renderWhy(explanation) };
        for (let k = 0; k < explanation.contacts.length; k++) contactResults[account.contacts[k]] = { result: explanation.contacts[k], why: renderWhy(explanation.contacts[k]) };
      } else if (this.onePass) {
        // Scored and validated in one evaluation per contact (see keepInvalid for --events).
        const { result, invalid } = this.accounts.scoreAccountAndValidate(account.record, leads, this.scoreOptions);
        scored = { result, why: undefined };
        for (let k = 0; k < result.contacts.length; k++) {
          contactResults[account.contacts[k]] = { result: result.contacts[k], why: undefined };
          this.keepInvalid(invalid[k], account.contacts[k], invalids);
        }
      } else {
        const result = this.accounts.scoreAccount(account.record, leads, this.scoreOptions);
        scored = { result, why: undefined };
        for (let k = 0; k < result.contacts.length; k++) contactResults[account.contacts[k]] = { result: result.contacts[k], why: undefined };
      }
      // The same lead objects are validated now, while they are young (the cells are what is kept).
      if (engine !== undefined || settings.explain || !this.onePass) for (let k = 0; k < leads.length; k++) this.validateContact(leads[k], account.contacts[k], invalids);
      accountResults.push(scored);
      await this.accountScored(accounts, account, scored);
    }
    // Contacts without an account: scored alone, every `account.*` missing (the account scorer
    // never reads a contact's own `account` keys).
    for (let i = 0; i < list.length; i++) {
      if (contactResults[i] !== undefined) continue;
      const lead = scoringLead(list[i], contacts.leadOf);
      if (engine !== undefined) {
        contactResults[i] = { result: engineResult(engine.contacts, list[i].row, contacts.path, list[i].line), why: undefined };
      } else if (settings.explain) {
        const explanation: Explanation = this.accounts.explainContact(lead, this.scoreOptions);
        contactResults[i] = { result: explanation, why: renderWhy(explanation) };
      } else if (this.onePass) {
        const { result, invalid } = this.accounts.scoreContactAndValidate(lead, this.scoreOptions);
        contactResults[i] = { result, why: undefined };
        this.keepInvalid(invalid, i, invalids);
        continue;
      } else {
        contactResults[i] = { result: this.accounts.scoreContact(lead, this.scoreOptions), why: undefined };
      }
      this.validateContact(lead, i, invalids);
    }
    for (let i = 0; i < list.length; i++) {
      const contact = list[i];
      const invalid = invalids.get(i);
      if (invalid !== undefined || contact.hadProblem) this.stats.contactsWithProblems += 1;
      if (invalid !== undefined) await this.reportInvalid(contacts.path, contacts.columns, this.schema, contact.line, invalid, contact.id);
      const stage = (contactResults[i] as Scored).result.stage;
      this.stats.contactStages.set(stage, (this.stats.contactStages.get(stage) ?? 0) + 1);
    }
    return { contactResults: contactResults as Scored[], accountResults, stats: this.stats };
  }

  /** Counts an account's stage and reports its invalid values (`validated`: already known), after all contacts are read. */
  // A promise only when there is something to report (no await per account otherwise).
  private accountScored(accounts: AccountsFile, account: AccountRow, scored: Scored, validated?: readonly InvalidValue[]): Promise<void> | undefined {
    this.stats.stages.set(scored.result.stage, (this.stats.stages.get(scored.result.stage) ?? 0) + 1);
    const invalid = validated ?? this.accounts.validateAccount(account.record);
    if (invalid.length === 0) return undefined;
    this.stats.accountsWithProblems += 1;
    // The account's key is not a lead id: not in the report's `lead`.
    return this.reportInvalid(accounts.path, accounts.columns, this.side.schema, account.line, invalid, undefined);
  }

  // Scoring the contacts as they are read (see `streams` in runScoreAccounts): the same results,
  // counts, output rows and reports, in the same order, as run() and writeContacts give them.
  private streamOut: { readonly writer: ScoredRecordWriter; readonly columns: readonly string[]; readonly groups: readonly string[]; readonly groupColumns: readonly string[] } | undefined;
  /** Contacts' invalid values in file order (few): reported after the accounts', as run() does. */
  private readonly streamInvalid: { readonly line: number; readonly id: string | undefined; readonly invalid: readonly InvalidValue[] }[] = [];
  private streamedCount = 0;
  /** The streamed contacts' stages (added to `stats.contactStages` by finishStream). */
  private readonly streamStages = new StageCounts();

  /**
   * The row entry (issue 17, as `rubric score` reads rows): the contacts file's plan, the events
   * file's plan for both levels (set at its header when read as cells), and the one view of a
   * contact's event rows handed to the tally. Undefined when the scorer has no row entry.
   */
  private rows: RowScoring | undefined;
  /**
   * The accounts' tallies, by number (AccountRow.index), begun together when the contacts
   * start: a contact's row reaches its account's state in flat arrays, with no object of the
   * account (contacts come in random account order, and every object reached is memory the
   * processor's caches miss once the accounts are many).
   */
  private tallies: AccountTallies | undefined;

  /**
   * Where the streamed contacts' rows go (the contacts file's header is read, and says they are
   * streamed), and every account's tally begun. (Begun while the first contacts read are held:
   * the CLI turns V8's allocation-site pretenuring off, which otherwise could judge the CSV
   * reader's objects long-lived from that; packages/cli/bin/rubric.js.)
   */
  startStream(accounts: AccountsFile, writer: ScoredRecordWriter, columns: readonly string[], groups: readonly string[], groupColumns: readonly string[], schema: Schema): void {
    this.streamOut = { writer, columns, groups, groupColumns };
    const records = accounts.rows.map((account) => account.record);
    const rowScorer = this.scorer.accountRows;
    if (rowScorer !== null) {
      // Only the lead fields' columns are planned (a column named like `account.NAME` is the
      // data's, never read: the account's values come from its account), as `rubric score` plans them.
      const planned = columns.map((column) => (schema.fieldOfColumn.has(column) ? column : ''));
      const tallies = rowScorer.beginAccounts(records, this.scoreOptions);
      this.tallies = tallies;
      this.rows = { scorer: rowScorer, plan: rowScorer.rowPlan(planned), tallies, events: undefined };
    } else {
      this.tallies = this.accounts.beginAccounts(records, this.scoreOptions);
    }
  }

  /**
   * The join's reading of events as cells (`EventsJoinOptions.cells`): when the contacts are
   * streamed by rows, each contact's events go to the tally as rows (no object per event).
   */
  eventCells(): CellReading | undefined {
    const rows = this.rows;
    if (rows === undefined) return undefined;
    const handling = eventCellsHandling(this.scorer);
    return {
      plan: (columns) => {
        rows.events = { plan: rows.scorer.eventPlan(columns), rows: [], types: [], times: [] };
        return handling.plan(columns);
      },
      checkEvent: handling.checkEvent,
    };
  }

  /**
   * One contact read (its events joined): scored with its account's fields (`addContact`, which
   * keeps what the account needs of it) or alone, counted and written; a promise only when the
   * output has to drain. `account`: the number of its account (AccountRow.index), -1 for none.
   */
  stream(contact: ContactRow, account: number, reader: LeadRowReader): Promise<void> | undefined {
    const out = this.streamOut;
    if (out === undefined || contact.fields === undefined) throw new Error('internal: a contact streamed before the header');
    let scored: { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] };
    const rows = this.rows;
    // By rows when its events, if any, are rows too (events as objects: the join did not read cells).
    if (rows !== undefined && (contact.events === undefined || contact.events.length === 0)) {
      scored = this.streamRow(contact, account, rows);
    } else if (account >= 0) {
      const lead = reader.read(contact.fields);
      const tallies = this.startedTallies();
      // Events from --events were checked (and reported with their own line) as the join read
      // them: scored without reporting them again (`eventsChecked`), as `rubric score` does.
      const events = contact.events;
      const eventsChecked = this.settings.hasJoin;
      scored = events === undefined ? tallies.addContact(account, lead) : tallies.addContact(account, lead, contact.eventTimes === undefined ? { events, eventsChecked } : { events, eventTimes: contact.eventTimes, eventsChecked });
    } else {
      const lead = reader.read(contact.fields);
      if (contact.events !== undefined) lead.events = contact.events;
      scored = this.accounts.scoreContactAndValidate(lead, this.scoreOptions);
    }
    let invalid = scored.invalid;
    if (this.settings.hasJoin && invalid.length > 0) invalid = invalid.filter((value) => this.schema.fields.has(value.field));
    if (invalid.length > 0) this.streamInvalid.push({ line: contact.line, id: contact.id, invalid });
    if (invalid.length > 0 || contact.hadProblem) this.stats.contactsWithProblems += 1;
    this.streamStages.count(scored.result.stage);
    out.writer.pushScored(out.columns, contact.fields, contact.raw, scored.result, out.groups, out.groupColumns, undefined);
    this.streamedCount += 1;
    return this.streamedCount % 512 === 0 ? out.writer.flushIfFull() : undefined;
  }

  private startedTallies(): AccountTallies {
    if (this.tallies === undefined) throw new Error('internal: a contact streamed before the header');
    return this.tallies;
  }

  /**
   * {@link stream}'s scoring of a contact from its cells (and its events' cells): the same result
   * and invalid values as from its lead with the events as objects (the tally's and the scorer's
   * row entries; packages/core/test/property/accounts-rows.test.ts).
   */
  private streamRow(contact: ContactRow, account: number, rows: RowScoring): { readonly result: ScoreResult; readonly invalid: readonly InvalidValue[] } {
    const cells = contact.fields as readonly string[];
    const eventRows = contact.eventRows;
    if (account < 0) {
      // No account: every `account.*` missing, as the plan reads no such column.
      return this.scorer.scoreRowAndValidate(cells, rows.plan, this.scoreOptions, eventRows);
    }
    if (eventRows === undefined) return rows.tallies.addContactRow(account, cells, rows.plan);
    const view = rows.events;
    if (view === undefined) throw new Error("internal: events as cells without the accounts' event plan");
    view.rows = eventRows.rows;
    view.types = eventRows.types;
    view.times = eventRows.times;
    return rows.tallies.addContactRow(account, cells, rows.plan, view);
  }

  /** After the contacts file: every account scored (in file order) from its tally, then the contacts' invalid values reported. */
  async finishStream(accounts: AccountsFile, contacts: ContactsFile): Promise<{ accountResults: readonly Scored[]; contactCounts: readonly number[]; stats: AccountStats }> {
    const accountResults: Scored[] = [];
    const contactCounts: number[] = [];
    const tallies = this.startedTallies();
    for (const account of accounts.rows) {
      const count = tallies.contacts(account.index);
      if (count === 0) this.stats.emptyAccounts += 1;
      contactCounts.push(count);
      // Scored and validated in one evaluation (finishAndValidate = finish + validateAccount).
      const { result, invalid } = tallies.finishAndValidate(account.index);
      const scored: Scored = { result, why: undefined };
      accountResults.push(scored);
      const reported = this.accountScored(accounts, account, scored, invalid);
      if (reported !== undefined) await reported;
    }
    for (const { line, id, invalid } of this.streamInvalid) await this.reportInvalid(contacts.path, contacts.columns, this.schema, line, invalid, id);
    this.streamStages.addTo(this.stats.contactStages);
    return { accountResults, contactCounts, stats: this.stats };
  }

  /** A contact's invalid values, kept by index when it has some. */
  private validateContact(lead: Lead, index: number, invalids: Map<number, readonly InvalidValue[]>): void {
    this.keepInvalid(this.scorer.validate(lead, this.validateOptions), index, invalids);
  }

  /**
   * Keeps a contact's invalid values by index when it has some. With --events, its events were
   * checked (and reported with their own line) as the join read them: only its own fields' values
   * are kept (validating with `events: []` gives exactly those; scoring-and-validating with the
   * events reports the events' values too, named `EVENT.property` or `EVENT.at`, dropped here:
   * see {@link onePass} for a lead field of such a name).
   */
  private keepInvalid(found: readonly InvalidValue[], index: number, invalids: Map<number, readonly InvalidValue[]>): void {
    let invalid = found;
    if (this.settings.hasJoin && invalid.length > 0) invalid = invalid.filter((value) => this.schema.fields.has(value.field));
    if (invalid.length > 0) invalids.set(index, invalid);
  }

  private async reportInvalid(file: string, columns: readonly string[], schema: Schema, line: number, invalid: readonly InvalidValue[], id: string | undefined): Promise<void> {
    for (const value of invalid) {
      const column = columns.indexOf(columnOfField(schema, value.field));
      const problem: RowProblem = {
        file,
        line,
        ...(column !== -1 ? { column: column + 1 } : {}),
        ...describeInvalid(value),
        action: 'treated as missing',
        ...(id !== undefined ? { lead: id } : {}),
      };
      await this.reporter.report(problem);
    }
  }
}

/**
 * The lead a contact is scored as: its own record with its events in `events` (design17: the
 * account scorer takes contacts as leads carrying their events). A CSV row's lead is built for
 * the row alone and takes them in place; a JSON record (written out as read) is copied.
 */
export function scoringLead(contact: ContactRow, leadOf: (contact: ContactRow) => Record<string, unknown>): Lead {
  const events = contact.events;
  if (contact.lead === undefined) {
    // A new lead from the row's cells, with an `events` slot in its shape (LeadRowReader).
    const lead = leadOf(contact);
    if (events !== undefined) lead.events = events;
    return lead;
  }
  if (events === undefined) return contact.lead;
  if (contact.fields !== undefined) {
    // A lead built for this row alone (it has an `events` column): it takes the events in place.
    if (contact.lead.events !== events) contact.lead.events = events;
    return contact.lead;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(contact.lead)) setOwn(copy, key, contact.lead[key]);
  setOwn(copy, 'events', events);
  return copy;
}

/** The contacts in their input order, each with its final result (the columns of `rubric score`). */
async function writeContacts(
  destination: Destination,
  format: OutputFormat,
  contacts: ContactsFile,
  results: readonly Scored[],
  computed: readonly string[],
  groups: readonly string[],
  groupColumns: readonly string[],
  warn: (message: string) => void,
): Promise<void> {
  const writer = new ScoredRecordWriter(destination.stream, format, computed);
  const input = contacts.input;
  if (contacts.columns.length > 0 || (contacts.contacts.length === 0 && contacts.rejected === 0)) {
    writer.setInputColumns(contacts.columns, contacts.delimiter, { lineBreak: contacts.lineBreak === '\r\n' ? '\r\n' : '\n', bom: writesByteOrderMark(input) });
  }
  for (let i = 0; i < contacts.contacts.length; i++) {
    const contact = contacts.contacts[i];
    const { result, why } = results[i];
    if (contact.fields !== undefined) {
      writer.pushScored(contacts.columns, contact.fields, contact.raw, result, groups, groupColumns, why);
      if (i % 512 === 511) await writer.flushIfFull();
      continue;
    }
    const lead = contacts.leadOf(contact);
    if (!writer.hasColumns) {
      writer.setInputColumns(format === 'csv' ? flattenKeys(lead) : []);
      if (writer.replaced.length > 0) warn(`input ${writer.replaced.length === 1 ? 'column' : 'columns'} ${writer.replaced.map((c) => `\`${c}\``).join(', ')} replaced by the computed values`);
    }
    await writer.writeObject(lead, resultValues(result, groups, groupColumns, why));
  }
  if (!writer.hasColumns) writer.setInputColumns([]);
  await writer.finish();
}

/** The accounts in their input order: key, score, stage, tier, account groups, contacts (and why). */
async function writeAccounts(
  destination: Destination,
  format: OutputFormat,
  accounts: AccountsFile,
  results: readonly Scored[],
  contactCounts: readonly number[],
  columns: readonly string[],
  groups: readonly string[],
  groupColumns: readonly string[],
): Promise<void> {
  const input = accounts.input;
  const style = { lineBreak: '\n' as const, bom: format === 'csv' && input !== undefined && writesByteOrderMark(input) };
  const csv = format === 'csv' ? new CsvWriter(destination.stream, columns, accounts.delimiter, style) : undefined;
  const jsonl = format === 'jsonl' ? new JsonLinesWriter(destination.stream) : undefined;
  const line = csv === undefined ? undefined : accountLineEncoder(accounts.delimiter, groups, style.lineBreak);
  for (let i = 0; i < accounts.rows.length; i++) {
    const account = accounts.rows[i];
    const { result, why } = results[i];
    // Gathered and written a batch at a time (one await per 512 accounts, not per account).
    if (csv !== undefined && line !== undefined && why === undefined) {
      csv.pushLine(line(account.key, result, contactCounts[i]));
    } else {
      const values: unknown[] = [account.key, result.score, result.stage, result.tier, ...groups.map((group) => result.groups[group] ?? 0), contactCounts[i]];
      if (why !== undefined) values.push(why);
      if (csv !== undefined) csv.pushLine(encodeCsvLine(values.map(csvCell), accounts.delimiter, style.lineBreak));
      else if (jsonl !== undefined) {
        const record: Record<string, unknown> = {};
        columns.forEach((column, index) => setOwn(record, column, values[index]));
        jsonl.pushObject(record);
      }
    }
    if (i % 512 === 511) await (csv ?? jsonl)?.flushIfFull();
  }
  await csv?.finish();
  await jsonl?.finish();
}

function writeAccountsSummary(
  context: CommandContext,
  summary: {
    accounts: AccountsFile;
    contacts: ContactsFile;
    stats: AccountStats;
    eventsStats: EventsJoinStats | undefined;
    now: Date;
    nowSource: string;
    problems: number;
    options: ScoreCommandOptions;
    failedStrict: boolean;
    accountsOut: string;
  },
): void {
  const { accounts, contacts, stats, eventsStats, options } = summary;
  const c = context.colors('stderr');
  const counts = (map: ReadonlyMap<string | null, number>): string => [...map].map(([stage, count]) => `${stage === null ? 'no stage' : terminalText(stage)} ${count}`).join(', ');
  const lines: string[] = [];
  lines.push(`${c.bold('now')}: ${summary.now.toISOString()} (${summary.nowSource})`);
  let accountLine = `${c.bold('accounts')}: ${accounts.read} read = ${accounts.rows.length} scored + ${accounts.rejected} rejected`;
  if (stats.emptyAccounts > 0) accountLine += `; ${plural(stats.emptyAccounts, 'account')} with no contact`;
  if (stats.accountsWithProblems > 0) accountLine += `; ${plural(stats.accountsWithProblems, 'account')} had values treated as missing`;
  lines.push(accountLine);
  lines.push(`${c.bold('account stages')}: ${counts(stats.stages)}`);
  const written = contacts.contacts.length + contacts.streamed;
  let rows = `${c.bold('rows')}: ${contacts.read} read = ${written} written + ${contacts.rejected} rejected`;
  if (stats.contactsWithProblems > 0) rows += `; ${plural(stats.contactsWithProblems, 'row')} had values treated as missing`;
  lines.push(rows);
  const unknown = contacts.unknownKeys.length;
  let contactLine = `${c.bold('contacts')}: ${written} = ${contacts.matched} in an account + ${contacts.withoutKey} without account key + ${unknown} naming no account`;
  if (unknown > 0) contactLine += ` (${terminalText(describeUnknownKeys(contacts.unknownKeys))})`;
  if (contacts.withoutKey + unknown > 0) contactLine += '; those are scored alone';
  lines.push(contactLine);
  lines.push(`${c.bold('stages')}: ${counts(stats.contactStages)}`);
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
  const files = [options.out, summary.accountsOut].filter((file): file is string => file !== undefined && file !== '-').map((file) => terminalText(context.displayPath(file)));
  if (summary.failedStrict) {
    lines.push(c.red(`--strict: ${plural(summary.problems, 'problem')}, so nothing was written${files.length > 0 ? ` (${files.join(', ')} left as they were)` : ''}`));
  } else if (files.length > 0) {
    lines.push(`${c.bold('wrote')}: ${files.join(', ')}`);
  }
  context.io.stderr.write(`${lines.join('\n')}\n`);
}

