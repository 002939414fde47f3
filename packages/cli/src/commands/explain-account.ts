/**
 * `rubric explain RULES --account ID --accounts ACCOUNTS --leads CONTACTS [--events EVENTS]`
 * (issue 17): why one account has its score, stage and tier. Both files are read as
 * `rubric score --accounts` reads them (the same readers, key matching, events join), and the
 * account is explained with all its contacts.
 */
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { accountScorerOf } from '../accounts/api.js';
import { contactLeadsOf, readAccountData } from '../accounts/account-data.js';
import { accountSideOf, keyText } from '../accounts/read-accounts.js';
import type { InputEncoding, InputFormat } from '../input/source.js';
import { formatProblem, type RowProblem } from '../output/problems.js';
import { renderAccountExplanation, type ContactWhere } from '../render/account-explanation.js';
import { loadScorer } from '../rules.js';
import { resolveNow } from '../time.js';
import { parseDelimiter } from './score.js';

export interface ExplainAccountOptions {
  readonly account: string;
  readonly accounts?: string;
  readonly accountsFormat?: InputFormat;
  readonly leads?: string;
  readonly idField: string;
  readonly inputFormat?: InputFormat;
  readonly delimiter?: string;
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  /** `--accounts-encoding`: of the accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
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
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'explaining');
  const accountScorer = accountScorerOf(scorer);
  const report = async (problem: RowProblem): Promise<void> => {
    context.io.stderr.write(`${formatProblem(problem, context)}\n`);
  };
  let key = '';
  // Only this account's contacts are kept: the others are read (and their events joined) and let go.
  const data = await readAccountData(
    context,
    rules.analysis.model,
    scorer,
    {
      accounts: options.accounts,
      ...(options.accountsFormat !== undefined ? { accountsFormat: options.accountsFormat } : {}),
      contacts: contactsPath,
      ...(options.inputFormat !== undefined ? { contactsFormat: options.inputFormat } : {}),
      ...(delimiter !== undefined ? { delimiter } : {}),
      ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
      ...(options.eventsEncoding !== undefined ? { eventsEncoding: options.eventsEncoding } : {}),
      ...(options.accountsEncoding !== undefined ? { accountsEncoding: options.accountsEncoding } : {}),
      ...(options.events !== undefined ? { events: options.events } : {}),
      ...(options.eventsFormat !== undefined ? { eventsFormat: options.eventsFormat } : {}),
      eventsKey: options.eventsKey,
      idColumn: options.idField,
    },
    {
      report,
      warn: (message) => context.warn(message),
      noAccountBlock: new CliError(`\`${rules.path}\` has no \`account\` block, so there is no account to explain`, { help: 'explain a lead with --lead, or DATA --id ID' }),
      select: (accounts) => {
        const side = accountSideOf(rules.analysis.model);
        const text = side === null ? undefined : keyText(options.account, side.accountKey.type, side.accountKey.reading);
        if (text === undefined || side === null) throw new CliError('--account is blank: give the key of the account to explain');
        key = text;
        const account = accounts.byKey.get(key);
        if (account === undefined) {
          const some = accounts.rows.slice(0, 5).map((row) => `\`${row.key}\``).join(', ');
          throw new CliError(`no account \`${key}\` in \`${accounts.path}\` (key \`${side.accountKey.column}\`, ${accounts.rows.length} accounts read)`, {
            help: accounts.rows.length === 0 ? 'the accounts file holds no account' : `its first keys: ${some}`,
          });
        }
        return new Map([[key, account]]);
      },
    },
  );
  if (accountScorer === null) throw new Error(`the compiler gave no account scorer for \`${rules.path}\``);
  const { accounts, contacts } = data;
  const account = accounts.byKey.get(key);
  if (account === undefined) throw new Error(`internal: account \`${key}\` selected but not found`);
  const explanation = accountScorer.explainAccount(account.record, contactLeadsOf(account, contacts), { now });
  const where: ContactWhere[] = account.contacts.map((index) => contacts.contacts[index]).map((contact) => ({ file: contacts.path, line: contact.line, ...(contact.id !== undefined ? { id: contact.id } : {}) }));
  const shown = { file: accounts.path, line: account.line, row: account.row, id: account.key };
  if (options.format === 'json') {
    context.io.stdout.write(`${JSON.stringify({ rules: rules.path, data: shown, contactsData: where, ...explanation }, null, 2)}\n`);
  } else {
    context.io.stdout.write(renderAccountExplanation(explanation, { rulesPath: rules.path, nowSource, data: shown, contacts: where }, context.colors('stdout')));
  }
  return EXIT_OK;
}
