/**
 * `rubric explain RULES --account ID --accounts ACCOUNTS --leads CONTACTS [--events EVENTS]`
 * (issue 17): why one account has its score, stage and tier. Both files are read as
 * `rubric score --accounts` reads them (the same readers, key matching, events join), and the
 * account is explained with all its contacts.
 */
import type { LeadEvent } from '@rubric/core';
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { accountScorerOf } from '../accounts/api.js';
import { accountSideOf, contactSchemaOf, DEFAULT_MAX_CONTACTS, keyText, readAccountsFile, readContactsFile } from '../accounts/read-accounts.js';
import { EventsJoin } from '../input/events-join.js';
import { readItemBatches } from '../input/data-file.js';
import { formatFromExtension, openInput, type InputEncoding, type InputFormat, type InputSource } from '../input/source.js';
import { formatProblem, type RowProblem } from '../output/problems.js';
import { renderAccountExplanation, type ContactWhere } from '../render/account-explanation.js';
import { loadScorer } from '../rules.js';
import { resolveNow } from '../time.js';
import { ContactEvents, scoringLead } from './score-accounts.js';
import { dataFormat, parseDelimiter } from './score.js';

export interface ExplainAccountOptions {
  readonly account: string;
  readonly accounts?: string;
  readonly accountsFormat?: InputFormat;
  readonly leads?: string;
  readonly idField: string;
  readonly inputFormat?: InputFormat;
  readonly delimiter?: string;
  readonly encoding?: InputEncoding;
  readonly events?: string;
  readonly eventsKey: string;
  readonly eventsFormat?: InputFormat;
  readonly now?: string;
  readonly format: 'text' | 'json';
}

export const EXPLAIN_ACCOUNT_HELP = `With --account ID (a file with an \`account\` block), the account whose key is ID in
--accounts FILE is explained: its rules that fired, its stages and why, each value over its
contacts that its rules read (\`count contacts where ...\`, \`best score of contacts\`...) with how
many contacts met it, then its contacts (the leads of --leads, or DATA, whose key field names
it) in brief. Both files, and --events, are read as \`rubric score --accounts\` reads them.`;

export async function runExplainAccount(context: CommandContext, rulesPath: string, options: ExplainAccountOptions, dataPath: string | undefined): Promise<number> {
  const contactsPath = options.leads ?? dataPath;
  if (options.leads !== undefined && dataPath !== undefined) {
    throw new CliError('give the contacts either as DATA or with --leads, not both');
  }
  if (options.accounts === undefined || contactsPath === undefined) {
    throw new CliError('--account ID needs the accounts and their contacts: --accounts ACCOUNTS.csv --leads CONTACTS.csv', {
      help: 'for example rubric explain rules.rubric --account acme --accounts accounts.csv --leads contacts.csv --events events.csv',
    });
  }
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const delimiter = parseDelimiter(options.delimiter);
  const contactsFormat = dataFormat(context, contactsPath, options.inputFormat);
  const accountsFormat = options.accountsFormat ?? formatFromExtension(options.accounts);
  if (accountsFormat === undefined) {
    throw new CliError(`cannot tell the format of the accounts file \`${context.displayPath(options.accounts)}\``, { help: 'pass --accounts-format csv, jsonl or json' });
  }
  const eventsFormat = options.events === undefined ? undefined : (options.eventsFormat ?? formatFromExtension(options.events));
  if (options.events !== undefined && eventsFormat === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(options.events)}\``, { help: 'pass --events-format csv or jsonl' });
  }
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'explaining');
  const side = accountSideOf(rules.analysis.model);
  if (side === null) {
    throw new CliError(`\`${rules.path}\` has no \`account\` block, so there is no account to explain`, { help: 'explain a lead with --lead, or DATA --id ID' });
  }
  const accountScorer = accountScorerOf(scorer);
  if (accountScorer === null) throw new Error(`the compiler gave no account scorer for \`${rules.path}\``);
  const key = keyText(options.account, side.accountKey.type, side.accountKey.reading);
  if (key === undefined) throw new CliError('--account is blank: give the key of the account to explain');

  const readOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
  const report = async (problem: RowProblem): Promise<void> => {
    context.io.stderr.write(`${formatProblem(problem, context)}\n`);
  };
  const warn = (message: string): void => context.warn(message);
  const accounts = await readAccountsFile(context, options.accounts, side, { format: accountsFormat, ...readOptions, maxAccounts: DEFAULT_MAX_CONTACTS }, report, warn);
  const account = accounts.byKey.get(key);
  if (account === undefined) {
    const some = accounts.rows.slice(0, 5).map((row) => `\`${row.key}\``).join(', ');
    throw new CliError(`no account \`${key}\` in \`${accounts.path}\` (key \`${side.accountKey.column}\`, ${accounts.rows.length} accounts read)`, {
      help: accounts.rows.length === 0 ? 'the accounts file holds no account' : `its first keys: ${some}`,
    });
  }
  const opened: InputSource[] = [];
  try {
    const schema = contactSchemaOf(rules.analysis.model);
    const eventsInput = options.events === undefined ? undefined : await openInput(context, options.events, readOptions);
    if (eventsInput !== undefined) opened.push(eventsInput);
    const join =
      eventsInput === undefined || eventsFormat === undefined
        ? undefined
        : new EventsJoin(readItemBatches(eventsInput, eventsFormat, undefined), {
            path: eventsInput.path,
            key: options.eventsKey,
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
    // Only this account's contacts are kept: the others are read (and their events joined) and let go.
    const events = new ContactEvents(join, { id: options.idField }, { report: async () => undefined }, warn);
    const contacts = await readContactsFile(
      context,
      contactsPath,
      schema,
      { ...accounts, byKey: new Map([[key, account]]) },
      side,
      { format: contactsFormat, ...readOptions, ...(delimiter !== undefined ? { delimiter } : {}), maxContacts: DEFAULT_MAX_CONTACTS, idColumn: options.idField, onlyMatched: true },
      { report, notice: warn, header: () => undefined, withEvents: (contact, own, shown) => events.attach(contact, own, shown) },
    );
    await join?.finish();
    const members = account.contacts.map((index) => contacts.contacts[index]);
    const explanation = accountScorer.explainAccount(account.record, members.map((contact) => scoringLead(contact, contacts.leadOf)), { now });
    const where: ContactWhere[] = members.map((contact) => ({ file: contacts.path, line: contact.line, ...(contact.id !== undefined ? { id: contact.id } : {}) }));
    const data = { file: accounts.path, line: account.line, row: account.row, id: account.key };
    if (options.format === 'json') {
      context.io.stdout.write(`${JSON.stringify({ rules: rules.path, data, contactsData: where, ...explanation }, null, 2)}\n`);
    } else {
      context.io.stdout.write(renderAccountExplanation(explanation, { rulesPath: rules.path, nowSource, data, contacts: where }, context.colors('stdout')));
    }
  } finally {
    for (const input of opened) await input.close();
  }
  return EXIT_OK;
}
