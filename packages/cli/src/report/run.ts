/**
 * What `rubric backtest` and `rubric report` do once their arguments are parsed: load the rules,
 * read and score the history, analyse it, fit weights when asked, and write the text, JSON or
 * HTML. The commands load this module lazily (it carries the statistics and the HTML builder).
 */
import picocolors from 'picocolors';
import { analyze, hasErrors } from '@rubric/core';
import { CliError, EXIT_FINDINGS, EXIT_OK, type CommandContext } from '../context.js';
import { AtomicOutputFile } from '../files.js';
import { writeWithBackpressure } from '../io.js';
import type { InputEncoding, InputFormat } from '../input/source.js';
import { countSummary, shownDiagnostics } from '../render/code-frame.js';
import { loadScorer, writeWarningSummary } from '../rules.js';
import { resolveNow } from '../time.js';
import { renderBacktestText, smallDataNote } from './backtest-text.js';
import { analyzeBacktest, fitRuleWeights, proposeRuleFile, summarizeScores, type FitScale } from './core-backtest.js';
import type { FitSection, ReportDocument, ScoredAt } from './document.js';
import { readAccountHistory } from './account-history.js';
import { readHistory } from './history-input.js';
import { renderReportHtml } from './html.js';

/** Options shared by both commands (as commander gives them). */
export interface HistoryCommandOptions {
  readonly events?: string;
  /** `--accounts`: the units are the accounts of this file (HISTORY = their contacts); --outcome is its column. */
  readonly accounts?: string;
  readonly eventsKey: string;
  readonly id: string;
  readonly outcome?: string;
  readonly asOf?: string;
  readonly now?: string;
  readonly targetRate: string;
  readonly mqlStage?: string;
  readonly out?: string;
  readonly inputFormat?: InputFormat;
  /** `--encoding` (backtest), parsed: of the history and events files. */
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  /** `--accounts-encoding`, parsed: of the --accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
  readonly errors?: string;
  readonly strict?: boolean;
}

export interface BacktestCommandOptions extends HistoryCommandOptions {
  readonly format: 'text' | 'json' | 'html';
  readonly fit?: boolean;
  readonly fitOut?: string;
  readonly fitScale: FitScale;
  readonly fitL2: string;
}

export type ReportCommandOptions = HistoryCommandOptions;

/** `0.3`, `.3` or `30%` -> 0.3; a CliError for anything outside (0, 1). */
export function parseTargetRate(text: string): number {
  const trimmed = text.trim();
  const match = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(trimmed);
  const value = match === null ? Number.NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value > 0 && value < 1)) {
    throw new CliError(`invalid --target-rate \`${text}\`: expected a rate between 0 and 1`, {
      help: 'for example --target-rate 0.3 or --target-rate 30% (about 30% of MQLs become opportunities in B2B)',
    });
  }
  return value;
}

function parseL2(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new CliError(`invalid --fit-l2 \`${text}\`: expected a number of 0 or more`, { help: 'for example --fit-l2 1 (the default); larger values pull weights towards 0' });
  }
  return value;
}

/** Reads, scores and analyses the history; the document every renderer draws from. */
async function buildDocument(
  context: CommandContext,
  rulesPath: string,
  dataPath: string,
  options: HistoryCommandOptions,
  purpose: string,
  fit: { readonly scale: FitScale; readonly l2: number; readonly out: string | undefined } | null,
): Promise<ReportDocument> {
  const targetRate = parseTargetRate(options.targetRate);
  if (options.asOf !== undefined && options.now !== undefined) {
    context.warn('--now is not used: with --as-of each lead is scored at its own date');
  }
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const { source, scorer } = await loadScorer(context, rulesPath, purpose);
  const model = source.analysis.model;
  const accountsPath = options.accounts;
  if (accountsPath !== undefined) {
    if (options.asOf !== undefined) throw new CliError('--as-of cannot be used with --accounts: the accounts are all scored at --now', { help: 'leave --as-of out and give --now' });
    if (fit !== null) throw new CliError('--fit cannot be used with --accounts yet: it fits the points of the contact rules', { help: 'back-test the accounts without --fit, or fit the leads without --accounts' });
  }
  // With --accounts the units are accounts: their stages are the `score accounts` stages.
  const unitStages = accountsPath !== undefined && model.account !== null ? model.account.scoring.stages : model.stages;
  if (options.mqlStage !== undefined && !unitStages.some((stage) => stage.name === options.mqlStage)) {
    const names = unitStages.map((stage) => `\`${stage.name}\``).join(', ');
    throw new CliError(`\`${source.path}\` has no ${accountsPath !== undefined ? 'account ' : ''}stage \`${options.mqlStage}\``, {
      help: unitStages.length === 0 ? 'the file declares no stage' : `its stages are ${names}`,
    });
  }

  const input = accountsPath !== undefined
    ? await readAccountHistory(context, model, scorer, source.path, {
        contacts: dataPath,
        ...(options.inputFormat !== undefined ? { contactsFormat: options.inputFormat } : {}),
        accounts: accountsPath,
        ...(options.events !== undefined ? { events: options.events } : {}),
        eventsKey: options.eventsKey,
        id: options.id,
        ...(options.outcome !== undefined ? { outcome: options.outcome } : {}),
        now,
        ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
        ...(options.eventsEncoding !== undefined ? { eventsEncoding: options.eventsEncoding } : {}),
        ...(options.accountsEncoding !== undefined ? { accountsEncoding: options.accountsEncoding } : {}),
        ...(options.errors !== undefined ? { errors: options.errors } : {}),
      })
    : await readHistory(context, model, scorer, {
    data: dataPath,
    ...(options.inputFormat !== undefined ? { inputFormat: options.inputFormat } : {}),
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    ...(options.eventsEncoding !== undefined ? { eventsEncoding: options.eventsEncoding } : {}),
    ...(options.events !== undefined ? { events: options.events } : {}),
    eventsKey: options.eventsKey,
    id: options.id,
    ...(options.outcome !== undefined ? { outcome: options.outcome } : {}),
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
    now,
    ...(options.errors !== undefined ? { errors: options.errors } : {}),
  });
  const { history, accounting } = input;
  const scoredAt: ScoredAt =
    options.asOf !== undefined
      ? { kind: 'as-of', column: options.asOf, from: accounting.scoredFrom, to: accounting.scoredTo }
      : { kind: 'now', now: now.toISOString(), source: nowSource };
  const summary = summarizeScores(history);
  const backtest =
    options.outcome === undefined
      ? null
      : { outcomeColumn: options.outcome, report: analyzeBacktest(history, { targetRate, ...(options.mqlStage !== undefined ? { mqlStage: options.mqlStage } : {}) }) };

  let fitSection: FitSection | null = null;
  if (fit !== null && backtest !== null) {
    const { known, positive } = history.outcomeCounts;
    if (positive === 0 || positive === known) {
      throw new CliError(`cannot fit points: every lead of \`${input.dataPath}\` was ${positive === 0 ? 'lost' : 'won'}`, {
        help: 'the fit learns from the difference between won and lost leads; give a history with both',
      });
    }
    const weights = fitRuleWeights(history, { scale: fit.scale, l2: fit.l2 });
    const proposed = proposeRuleFile(model, weights);
    const check = analyze(proposed.text, source.path);
    if (hasErrors(check.diagnostics)) {
      const first = check.diagnostics.find((d) => d.severity === 'error');
      throw new Error(`the proposed rule file does not check: ${first?.message ?? 'unknown error'}`);
    }
    let proposedPath: string | null = null;
    if (fit.out !== undefined) {
      await writeFile(context, fit.out, proposed.text);
      proposedPath = context.displayPath(fit.out);
    }
    const warnings = shownDiagnostics(check.diagnostics).filter((d) => d.severity !== 'error');
    if (warnings.length > 0 && proposedPath !== null) {
      context.warn(`the proposed file has ${countSummary(warnings)} (\`rubric check ${proposedPath}\` shows why and how to fix them):`);
      writeWarningSummary(context, proposedPath, warnings);
    }
    fitSection = { weights, proposed, proposedPath, proposedWarnings: warnings.length };
  }

  return {
    rulesPath: source.path,
    dataPath: input.dataPath,
    ...(accountsPath !== undefined ? { contactsPath: context.displayPath(dataPath) } : {}),
    eventsPath: options.events === undefined ? null : context.displayPath(options.events),
    scoredAt,
    accounting,
    summary,
    backtest,
    fit: fitSection,
  };
}

/** Writes `text` to a file atomically (it appears only when complete). */
async function writeFile(context: CommandContext, userPath: string, text: string): Promise<void> {
  const file = await AtomicOutputFile.open(context, userPath);
  try {
    await writeWithBackpressure(file.stream, text);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Writes the output to --out (atomically) or stdout; HTML is never dumped on a terminal. */
async function writeOutput(context: CommandContext, out: string | undefined, text: string, what: 'html' | 'text' | 'json'): Promise<void> {
  if (out !== undefined && out !== '-') {
    await writeFile(context, out, text);
    context.io.stderr.write(`wrote ${context.displayPath(out)}\n`);
    return;
  }
  if (what === 'html' && context.io.isTTY.stdout) {
    throw new CliError('the report is an HTML page: give --out FILE (or redirect stdout to a file)', { help: 'for example --out report.html, then open it in a browser' });
  }
  await writeWithBackpressure(context.io.stdout, text);
}

/** The exit code: 1 with --strict when a row was excluded or a value was treated as missing. */
function exitCode(context: CommandContext, document: ReportDocument, strict: boolean | undefined): number {
  const problems = document.accounting.problems;
  if (strict === true && problems > 0) {
    context.io.stderr.write(`--strict: ${problems} ${problems === 1 ? 'problem' : 'problems'} in the data (see above)\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** `rubric backtest`: returns the exit code. */
export async function runBacktest(context: CommandContext, rulesPath: string, dataPath: string, options: BacktestCommandOptions): Promise<number> {
  if (options.outcome === undefined) {
    throw new CliError('`rubric backtest` needs --outcome COLUMN: the column that says whether each lead was won', {
      help: 'for example --outcome won (values won/lost, yes/no, 1/0 or true/false); for a report without outcomes use `rubric report`',
    });
  }
  const fitWanted = options.fit === true || options.fitOut !== undefined;
  const l2 = parseL2(options.fitL2);
  if (options.format === 'html' && options.out === undefined && context.io.isTTY.stdout) {
    throw new CliError('the report is an HTML page: give --out FILE (or redirect stdout to a file)', { help: 'for example --format html --out backtest.html' });
  }
  const document = await buildDocument(context, rulesPath, dataPath, options, 'back-testing', fitWanted ? { scale: options.fitScale, l2, out: options.fitOut } : null);
  const report = document.backtest?.report;
  if (report?.smallData === true && options.format !== 'text') context.warn(smallDataNote(report.positives, report.negatives).replace(/^note: /, ''));
  let text: string;
  if (options.format === 'json') text = `${JSON.stringify(documentJson(document), null, 2)}\n`;
  else if (options.format === 'html') text = renderReportHtml(document);
  // Colour only for a terminal: a file never gets colour codes.
  else text = renderBacktestText(document, options.out === undefined || options.out === '-' ? context.colors('stdout') : picocolors.createColors(false));
  await writeOutput(context, options.out, text, options.format);
  return exitCode(context, document, options.strict);
}

/** `rubric report`: returns the exit code. */
export async function runReport(context: CommandContext, rulesPath: string, dataPath: string, options: ReportCommandOptions): Promise<number> {
  if (options.out === undefined && context.io.isTTY.stdout) {
    throw new CliError('the report is an HTML page: give --out FILE (or redirect stdout to a file)', { help: 'for example --out report.html, then open it in a browser' });
  }
  const document = await buildDocument(context, rulesPath, dataPath, options, 'reporting', null);
  await writeOutput(context, options.out, renderReportHtml(document), 'html');
  return exitCode(context, document, options.strict);
}

/** The JSON output: the document with a format version. */
export function documentJson(document: ReportDocument): unknown {
  return { version: 1, ...document };
}
