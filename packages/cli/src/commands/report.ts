import { Option, type Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addExamples, addHelpSection } from '../help.js';
import { ACCOUNTS_ENCODING_HELP, ENCODING_HELP, EVENTS_ENCODING_HELP, INPUT_FORMATS, parseAccountsEncoding, parseEncoding, parseEventsEncoding } from '../input/source.js';
import type { ReportCommandOptions } from '../report/run.js';

const REPORT_HELP = `One self-contained HTML file (no network, no script, no external font): the score histogram
coloured by stage, the stage funnel, how often each rule fires and what each group contributes.
With --outcome COLUMN (won/lost, yes/no, 1/0, true/false) it is a back-test: outcome rates per
stage, the calibration curve, per-rule lift and threshold advice (see \`rubric backtest --help\`).
LEADS is read like \`rubric score\` reads its data; every row is accounted for. With --accounts
ACCOUNTS the units are the accounts (LEADS holds their contacts, --outcome is a column of
ACCOUNTS), as in \`rubric backtest --accounts\`.`;

/** `rubric report RULES LEADS`: an HTML report of what the rules do to a set of leads. */
export function registerReportCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('report')
    .description('write an HTML report of what a rule file does to a set of leads (and, with --outcome, a back-test)')
    .argument('<rules>', 'the rule file')
    .argument('<leads>', 'the leads: a .csv, .jsonl or .json file, or - for stdin')
    .option('--out <file>', 'the HTML file to write (default: stdout, when it is not a terminal)')
    .option('--events <file>', 'events in a separate CSV or JSON Lines file, sorted like the leads')
    .option('--accounts <file>', 'report on the accounts of this file (LEADS holds their contacts; --outcome is its column)')
    .option('--events-key <column>', 'the events file column holding the lead id', 'lead_id')
    .option('--id <field>', 'the field holding the lead id (to join events and in messages)', 'id')
    .option('--now <iso>', 'the instant to score at, ISO 8601 (default: the current time)')
    .option('--outcome <column>', 'a won/lost column: add the back-test (calibration, lift, thresholds)')
    .option('--as-of <column>', 'score each lead at the date in this column instead of --now')
    .option('--target-rate <rate>', 'with --outcome: the rate the MQL stage should reach', '0.3')
    .option('--mql-stage <name>', 'with --outcome: the stage that hands leads to sales (default: the last)')
    .addOption(new Option('--input-format <format>', 'format of LEADS (default: by extension)').choices(INPUT_FORMATS))
    .option('--encoding <name>', ENCODING_HELP, parseEncoding)
    .option('--events-encoding <name>', EVENTS_ENCODING_HELP, parseEventsEncoding)
    .option('--accounts-encoding <name>', ACCOUNTS_ENCODING_HELP, parseAccountsEncoding)
    .option('--errors <file>', 'write every excluded row and bad value to this file')
    .option('--strict', 'exit 1 when any row is excluded or any value is treated as missing')
    .action(async (rules: string, leads: string, options: ReportCommandOptions) => {
      const { runReport } = await import('../report/run.js');
      context.setExitCode(await runReport(context, rules, leads, options));
    });
  addExamples(command, [
    { command: 'rubric report rules/acme.rubric leads.csv --now 2026-03-01 --out report.html', description: 'what the rules do to these leads' },
    {
      command: 'rubric report rules/acme.rubric history.jsonl --outcome outcome --as-of as_of --out backtest.html',
      description: 'with the back-test of won/lost history',
    },
  ]);
  addHelpSection(command, 'Report', REPORT_HELP);
  addHelpSection(command, 'Exit codes', '0 written; 1 rule file errors, or problems in the data with --strict; 2 usage or I/O error');
}
