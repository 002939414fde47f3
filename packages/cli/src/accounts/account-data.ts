/**
 * Reading an accounts file, its contacts and their events into memory, grouped by account, as
 * `rubric score --accounts` reads them (the same readers, key matching and events join): shared
 * by `rubric explain --account`, `rubric diff --accounts` and `rubric backtest --accounts`, which
 * then score each account with all its contacts.
 */
import type { CompiledScorer, Lead, LeadEvent, Model } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { EventsJoin, type EventsJoinStats } from '../input/events-join.js';
import { readItemBatches } from '../input/data-file.js';
import { eventsReadOptions, formatFromExtension, openInput, type InputEncoding, type InputFormat, type InputSource } from '../input/source.js';
import type { RowProblem } from '../output/problems.js';
import { ContactEvents, scoringLead } from '../commands/score-accounts.js';
import { dataFormat } from '../commands/score.js';
import { accountSideOf, contactSchemaOf, DEFAULT_MAX_CONTACTS, readAccountsFile, readContactsFile, type AccountRow, type AccountSide, type AccountsFile, type ContactsFile } from './read-accounts.js';

/** The files to read and how (as the commands' options give them). */
export interface AccountDataFiles {
  readonly accounts: string;
  readonly accountsFormat?: InputFormat;
  readonly contacts: string;
  readonly contactsFormat?: InputFormat;
  readonly delimiter?: string;
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  /** `--accounts-encoding`: of the accounts file (default: `encoding`, as before issue 17's option). */
  readonly accountsEncoding?: InputEncoding;
  readonly events?: string;
  readonly eventsFormat?: InputFormat;
  readonly eventsKey: string;
  /** The contacts' id column (`--id`): joins their events. */
  readonly idColumn: string;
}

export interface AccountData {
  readonly side: AccountSide;
  readonly accounts: AccountsFile;
  readonly contacts: ContactsFile;
  readonly eventsStats: EventsJoinStats | undefined;
}

/**
 * Reads both files (and --events) for `model`'s account block. `select` may narrow the accounts
 * whose contacts are kept (`rubric explain --account`: one; it may throw a usage error); the
 * others' contacts are read, counted and let go. Problems go to `report`, notices to `warn`.
 * A file without an `account` block is a usage error naming `what` the command wanted to do.
 */
export async function readAccountData(
  context: CommandContext,
  model: Model,
  scorer: CompiledScorer,
  files: AccountDataFiles,
  hooks: {
    readonly report: (problem: RowProblem) => Promise<void>;
    readonly warn: (message: string) => void;
    readonly select?: (accounts: AccountsFile) => ReadonlyMap<string, AccountRow>;
    readonly noAccountBlock: CliError;
  },
): Promise<AccountData> {
  const contactsFormat = dataFormat(context, files.contacts, files.contactsFormat);
  const accountsFormat = files.accountsFormat ?? formatFromExtension(files.accounts);
  if (accountsFormat === undefined) {
    throw new CliError(`cannot tell the format of the accounts file \`${context.displayPath(files.accounts)}\``, { help: 'pass --accounts-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)' });
  }
  const eventsFormat = files.events === undefined ? undefined : (files.eventsFormat ?? formatFromExtension(files.events));
  if (files.events !== undefined && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(files.events)}\``, { help: 'pass --events-format csv or jsonl (or use a .csv or .jsonl file name)' });
  }
  const side = accountSideOf(model);
  if (side === null) throw hooks.noAccountBlock;
  const { report, warn } = hooks;
  const readOptions = files.encoding === undefined ? {} : { encoding: files.encoding };
  const accountsEncoding = files.accountsEncoding ?? files.encoding;
  const accounts = await readAccountsFile(context, files.accounts, side, { format: accountsFormat, ...(accountsEncoding === undefined ? {} : { encoding: accountsEncoding }), maxAccounts: DEFAULT_MAX_CONTACTS, keepCells: true }, report, warn);
  const kept = hooks.select === undefined ? accounts : { ...accounts, byKey: hooks.select(accounts) };
  const opened: InputSource[] = [];
  try {
    const schema = contactSchemaOf(model);
    const eventsInput = files.events === undefined ? undefined : await openInput(context, files.events, eventsReadOptions(files.encoding, files.eventsEncoding));
    if (eventsInput !== undefined) opened.push(eventsInput);
    const join =
      eventsInput === undefined || eventsFormat === undefined
        ? undefined
        : new EventsJoin(readItemBatches(eventsInput, eventsFormat, undefined), {
            path: eventsInput.path,
            key: files.eventsKey,
            schema,
            onProblem: async (problem) => {
              if (problem.skipped) warn(`${eventsInput.path}:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}: ${problem.message}; event skipped`);
            },
            checkEvent: (event, out) => {
              scorer.validateEvent(event as unknown as LeadEvent, out);
              return [];
            },
            onNotice: warn,
          });
    const events = new ContactEvents(join, { id: files.idColumn }, { report: async () => undefined }, warn);
    const contacts = await readContactsFile(
      context,
      files.contacts,
      schema,
      kept,
      side,
      {
        format: contactsFormat,
        ...readOptions,
        ...(files.delimiter !== undefined ? { delimiter: files.delimiter } : {}),
        maxContacts: DEFAULT_MAX_CONTACTS,
        idColumn: files.idColumn,
        ...(hooks.select !== undefined ? { onlyMatched: true } : {}),
      },
      { report, notice: warn, header: () => undefined, withEvents: (contact, own, shown) => events.attach(contact, own, shown) },
    );
    const eventsStats = join === undefined ? undefined : await join.finish();
    return { side, accounts, contacts, eventsStats };
  } finally {
    for (const input of opened) await input.close();
  }
}

/** The account's contacts as the account scorer takes them (leads carrying their events), in file order. */
export function contactLeadsOf(account: AccountRow, contacts: ContactsFile): Lead[] {
  return account.contacts.map((index) => scoringLead(contacts.contacts[index], contacts.leadOf));
}
