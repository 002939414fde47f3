import { Option, type Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addExamples, addHelpSection } from '../help.js';
import { ACCOUNTS_ENCODING_HELP, ENCODING_HELP, EVENTS_ENCODING_HELP, INPUT_FORMATS, parseAccountsEncoding, parseEncoding, parseEventsEncoding } from '../input/source.js';
import type { BacktestCommandOptions } from '../report/run.js';

const HISTORY_HELP = `HISTORY is leads (CSV, JSON Lines or a JSON array, read like \`rubric score\` reads them;
\`-\` is stdin) with an outcome column (--outcome): won/lost, yes/no, 1/0, true/false (also
opportunity, converted, oui/non, gagné/perdu; any case). Rows with a missing or unreadable
outcome are reported with their line and left out. --as-of COLUMN scores each lead at that date
(ISO 8601), as it was when it was handed over, so events after it do not leak into the score;
without it every lead is scored at --now. --events FILE joins events as \`rubric score\` does
(both files sorted by lead id).
With --accounts ACCOUNTS (a rule file with an \`account\` block), the units are the accounts:
HISTORY holds their contacts, --outcome is a column of ACCOUNTS, and each account is scored
at --now with all its contacts (and --events), read as \`rubric score --accounts\` reads them.
The report is the same, per account stage and account rule (--mql-stage names an account
stage). An account row with a missing or unreadable outcome, no key or a duplicate key is
reported with its line and left out. Not with --as-of or --fit.`;

const REPORT_HELP = `Per stage: leads and outcome rate with a 95% Wilson interval. The MQL stage (the last stage, or
--mql-stage) against --target-rate (default 30%: about the usual B2B rate from MQL to
opportunity; far below means the threshold is too low, no MQL at all that it is too high).
The score's ROC AUC and its calibration by score band. Per rule: how often it fires, the
outcome rate when it fires and when not, the lift, and flags (rare: < 1%, almost-all: > 99%,
no-effect, opposite). Per stage: the lowest threshold whose passing leads reach the target.`;

const FIT_HELP = `--fit fits an L2-regularised logistic regression of the outcome on the rules (1 when a rule
fires; for \`each\`, per occurrence) and rescales the weights to the file's points: by default
the fitted rules keep their sum of absolute points (--fit-scale max: the strongest rule gets the
largest current points). --fit-out FILE writes the rule file with only the points changed (a
rule fitted to about 0 is commented out): review it with \`rubric diff RULES FILE\`. Below 500
won or 1,000 lost leads the report warns and gives bootstrap intervals.`;

/** `rubric backtest RULES HISTORY`: checks rules against won/lost history. */
export function registerBacktestCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('backtest')
    .description('check a rule file against won/lost history: rates per stage, AUC, lift per rule, threshold advice, fitted points')
    .argument('<rules>', 'the rule file')
    .argument('<history>', 'leads with an outcome: a .csv, .jsonl or .json file, or - for stdin')
    .option('--outcome <column>', 'the column saying whether the lead was won (required)')
    .option('--as-of <column>', 'score each lead at the date in this column (default: all at --now)')
    .option('--events <file>', 'events in a separate CSV or JSON Lines file, sorted like the history')
    .option('--accounts <file>', 'back-test the accounts of this file (HISTORY holds their contacts; --outcome is its column)')
    .option('--events-key <column>', 'the events file column holding the lead id', 'lead_id')
    .option('--id <field>', 'the field holding the lead id (to join events and in messages)', 'id')
    .option('--now <iso>', 'the instant to score at without --as-of, ISO 8601 (default: the current time)')
    .option('--target-rate <rate>', 'the outcome rate the MQL stage should reach: 0.3 or 30%', '0.3')
    .option('--mql-stage <name>', 'the stage that hands leads to sales (default: the last stage)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--fit', 'fit points per rule from the history (logistic regression) and show them')
    .option('--fit-out <file>', 'write the rule file with the fitted points (implies --fit)')
    .addOption(new Option('--fit-scale <mode>', 'how fitted weights become points').choices(['sum', 'max']).default('sum'))
    .option('--fit-l2 <lambda>', 'ridge penalty of the fit (larger: weights pulled towards 0)', '1')
    .addOption(new Option('--input-format <format>', 'format of HISTORY (default: by extension)').choices(INPUT_FORMATS))
    .option('--encoding <name>', ENCODING_HELP, parseEncoding)
    .option('--events-encoding <name>', EVENTS_ENCODING_HELP, parseEventsEncoding)
    .option('--accounts-encoding <name>', ACCOUNTS_ENCODING_HELP, parseAccountsEncoding)
    .option('--errors <file>', 'write every excluded row and bad value to this file (CSV, or JSON Lines for .jsonl)')
    .option('--strict', 'exit 1 when any row is excluded or any value is treated as missing')
    .action(async (rules: string, history: string, options: BacktestCommandOptions) => {
      const { runBacktest } = await import('../report/run.js');
      context.setExitCode(await runBacktest(context, rules, history, options));
    });
  addExamples(command, [
    {
      command: 'rubric backtest rules/acme.rubric history.jsonl --outcome outcome --as-of as_of',
      description: 'back-test against history, each lead scored as of its hand-over date',
    },
    {
      command: 'rubric backtest rules/acme.rubric history.jsonl --outcome won --as-of as_of --fit --fit-out proposed.rubric',
      description: 'and propose new points, then review them with `rubric diff rules/acme.rubric proposed.rubric`',
    },
    { command: 'rubric backtest rules/acme.rubric history.csv --outcome won --now 2026-03-01 --format html --out backtest.html', description: 'as an HTML report' },
    {
      command: 'rubric backtest abm.rubric contacts.csv --accounts accounts.csv --outcome won --events events.csv --now 2026-03-01',
      description: 'back-test the accounts: outcome rate per account stage',
    },
  ]);
  addHelpSection(command, 'History', HISTORY_HELP);
  addHelpSection(command, 'Report', REPORT_HELP);
  addHelpSection(command, 'Fit', FIT_HELP);
  addHelpSection(command, 'Exit codes', '0 back-tested; 1 rule file errors, or problems in the data with --strict; 2 usage or I/O error\n(a missing column, no usable row)');
}
