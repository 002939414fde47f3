/**
 * `rubric backtest RULES CONTACTS --accounts ACCOUNTS --outcome COLUMN` (issue 17): the accounts
 * are the units of the back-test. Both files (and --events) are read as `rubric score --accounts`
 * reads them; each account is explained with all its contacts and added, with the outcome read
 * from ITS row of the accounts file, to a {@link ScoredHistory} of the account scoring model
 * (`model.account.scoring`, whose rules the account explanation's hits index), so the core's
 * back-test statistics (rates per stage with intervals, AUC, calibration, lift per rule,
 * threshold advice) apply unchanged. An account row without a valid outcome is reported with
 * its line and left out; an unreadable or rejected account row (no key, a duplicate key) too.
 */
import type { CompiledScorer, Model } from '@rubric/core';
import { CliError, type CommandContext } from '../context.js';
import { contactLeadsOf, readAccountData } from '../accounts/account-data.js';
import { valueAt } from '../accounts/read-accounts.js';
import { columnOfField } from '../input/leads.js';
import type { InputEncoding, InputFormat } from '../input/source.js';
import { describeInvalid, ProblemReporter, showValue } from '../output/problems.js';
import { readOutcome, ScoredHistory } from './core-backtest.js';
import type { HistoryInput } from './history-input.js';

export interface AccountHistoryOptions {
  readonly contacts: string;
  readonly contactsFormat?: InputFormat;
  readonly accounts: string;
  readonly events?: string;
  readonly eventsKey: string;
  /** The contacts' id column (joins their events). */
  readonly id: string;
  /** The column of the ACCOUNTS file holding each account's outcome (none: `rubric report` without --outcome). */
  readonly outcome?: string;
  readonly now: Date;
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  /** `--accounts-encoding`: of the accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
  readonly errors?: string;
}

const OUTCOME_HELP = 'an outcome is won/lost, yes/no, 1/0 or true/false (also opportunity, converted, oui/non, gagné/perdu), in any case';

/** Reads, scores and collects every account of `options.accounts`; `dataPath` is the accounts file. */
export async function readAccountHistory(context: CommandContext, model: Model, scorer: CompiledScorer, rulesPath: string, options: AccountHistoryOptions): Promise<HistoryInput> {
  const accountScorer = scorer.accounts;
  if (model.account === null || accountScorer === null) {
    throw new CliError(`\`${rulesPath}\` has no \`account\` block, so --accounts has no account to back-test`, {
      help: 'declare the accounts in the rule file (see docs/language.md "Accounts"), or leave --accounts out to back-test the leads',
    });
  }
  const reporter = await ProblemReporter.open(context, options.errors);
  let succeeded = false;
  try {
    const data = await readAccountData(
      context,
      model,
      scorer,
      {
        accounts: options.accounts,
        contacts: options.contacts,
        ...(options.contactsFormat !== undefined ? { contactsFormat: options.contactsFormat } : {}),
        ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
        ...(options.eventsEncoding !== undefined ? { eventsEncoding: options.eventsEncoding } : {}),
        ...(options.accountsEncoding !== undefined ? { accountsEncoding: options.accountsEncoding } : {}),
        ...(options.events !== undefined ? { events: options.events } : {}),
        eventsKey: options.eventsKey,
        idColumn: options.id,
      },
      { report: (problem) => reporter.report(problem), warn: (message) => context.warn(message), noAccountBlock: new CliError(`\`${rulesPath}\` has no \`account\` block`) },
    );
    const { accounts, contacts, side } = data;
    const outcome = options.outcome;
    const outcomeColumn = outcome === undefined ? -1 : accounts.columns.indexOf(outcome);
    // A CSV accounts file has a header: a missing outcome column is a wrong name, not data.
    if (outcome !== undefined && accounts.columns.length > 0 && outcomeColumn === -1) {
      throw new CliError(`\`${accounts.path}\` has no \`${options.outcome}\` column: with --accounts, --outcome names a column of the accounts file`, {
        help: `its columns are ${accounts.columns.slice(0, 12).map((c) => `\`${c}\``).join(', ')}`,
      });
    }
    if (accounts.read === 0) throw new CliError(`\`${accounts.path}\` has no accounts`, { help: 'give a file with one account per row (CSV) or per line (JSON Lines)' });
    const history = new ScoredHistory(model.account.scoring);
    let missingOutcome = 0;
    let invalidOutcome = 0;
    let withInvalid = 0;
    const scoreOptions = { now: options.now };
    for (const account of accounts.rows) {
      let positive: boolean | undefined;
      if (outcome !== undefined) {
        const value = account.fields !== undefined ? account.fields[outcomeColumn] : valueAt(account.record, outcome, true);
        const reading = readOutcome(value);
        if (reading.kind !== 'known') {
          if (reading.kind === 'missing') missingOutcome++;
          else invalidOutcome++;
          await reporter.report({
            file: accounts.path,
            line: account.line,
            ...(outcomeColumn !== -1 ? { column: outcomeColumn + 1 } : {}),
            field: outcome,
            ...(reading.kind === 'invalid' ? { value: typeof value === 'string' ? value : showValue(value) } : {}),
            message:
              reading.kind === 'missing'
                ? `no outcome in \`${outcome}\` for account \`${account.key}\``
                : `\`${outcome}\` is not an outcome (expected won/lost, yes/no, 1/0 or true/false)`,
            action: 'row skipped',
          });
          continue;
        }
        positive = reading.positive;
      }
      const explanation = accountScorer.explainAccount(account.record, contactLeadsOf(account, contacts), scoreOptions);
      const invalid = accountScorer.validateAccount(account.record);
      for (const item of invalid) {
        const column = accounts.columns.indexOf(columnOfField(side.schema, item.field));
        await reporter.report({ file: accounts.path, line: account.line, ...(column !== -1 ? { column: column + 1 } : {}), ...describeInvalid(item), action: 'treated as missing' });
      }
      if (invalid.length > 0) withInvalid++;
      history.add(explanation, positive);
    }
    if (history.size === 0 && accounts.rows.length > 0) {
      const none = missingOutcome === accounts.rows.length && accounts.rows.length > 0;
      throw new CliError(none ? `no account of \`${accounts.path}\` has a \`${options.outcome}\` value` : `no account of \`${accounts.path}\` could be used: every row was excluded (see above)`, {
        help: `name the accounts file's outcome column with --outcome COLUMN; ${OUTCOME_HELP}`,
      });
    }
    await reporter.finish();
    succeeded = true;
    const at = options.now.toISOString();
    return {
      history,
      dataPath: accounts.path,
      accounting: {
        read: accounts.read,
        scored: history.size,
        excluded: accounts.read - history.size,
        unreadable: accounts.rejected,
        missingOutcome,
        invalidOutcome,
        missingAsOf: 0,
        invalidAsOf: 0,
        rowsWithInvalidValues: withInvalid,
        problems: reporter.count,
        scoredFrom: at,
        scoredTo: at,
        ...(data.eventsStats !== undefined ? { events: data.eventsStats } : {}),
      },
    };
  } finally {
    if (!succeeded) await reporter.abort();
  }
}
