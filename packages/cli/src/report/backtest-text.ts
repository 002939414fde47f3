/**
 * The back-test as text, for a terminal or a file: what was read, the outcome rate per stage, the
 * MQL stage against the target, the score's AUC and calibration, per-rule lift with flags,
 * threshold advice and, with --fit, the fitted points.
 */
import type { Colors } from '../context.js';
import type { BacktestReport, MqlAssessment, RuleFlag, RuleOutcome, RuleWeight, ThresholdAdvice } from './core-backtest.js';
import { SMALL_DATA_NEGATIVES, SMALL_DATA_POSITIVES } from './core-backtest.js';
import type { FitSection, ReportDocument } from './document.js';
import { terminalData } from '../render/terminal-text.js';
import { count, formatNumber, percent, percentInterval, rateWithInterval, shorten, signedPoints, textTable } from './format.js';
import { LEAD_UNITS, unitsOf, type Units } from './units.js';

/**
 * Renders a back-test document (one with `backtest`) as text; its names, labels and paths come
 * from the rule file and the data, so their control characters are escaped first.
 */
export function renderBacktestText(input: ReportDocument, c: Colors): string {
  const document = terminalData(input);
  const backtest = document.backtest;
  if (backtest === null) throw new Error('renderBacktestText needs a back-test');
  const report = backtest.report;
  const u = unitsOf(document);
  const out: string[] = [];
  out.push(c.bold(`back-test of \`${document.rulesPath}\` on \`${document.dataPath}\`, outcome \`${backtest.outcomeColumn}\``));
  out.push(...headerLines(document));
  out.push(`outcome: ${report.positives} won of ${report.leads} = ${rateWithInterval(report.overall, u.many)}`);
  if (report.smallData) out.push(c.yellow(smallDataNote(report.positives, report.negatives, u)));
  out.push('');
  out.push(c.bold('Stages'), stagesTable(report, u), '');
  if (report.mql !== null) out.push(...mqlLines(report.mql, report.targetRate, c, u), '');
  out.push(c.bold('Score'), ...scoreLines(report, u), '');
  out.push(c.bold('Rules'), rulesTable(report.rules), ...flagLegend(report.rules, u), '');
  out.push(c.bold(`Thresholds for a ${percent(report.targetRate, 0)} rate`), ...thresholdLines(report, u), '');
  if (document.fit !== null) out.push(...fitLines(document, document.fit, c));
  return `${out.join('\n').trimEnd()}\n`;
}

/** What was read and how it was scored (shared with the report command's text summary). */
export function headerLines(document: ReportDocument): string[] {
  const a = document.accounting;
  const u = unitsOf(document);
  const reasons: string[] = [];
  if (a.unreadable > 0) reasons.push(`${a.unreadable} unreadable`);
  if (a.missingOutcome > 0) reasons.push(`${a.missingOutcome} missing outcome`);
  if (a.invalidOutcome > 0) reasons.push(`${a.invalidOutcome} invalid outcome`);
  if (a.missingAsOf > 0) reasons.push(`${a.missingAsOf} missing as-of date`);
  if (a.invalidAsOf > 0) reasons.push(`${a.invalidAsOf} invalid as-of date`);
  const used = document.backtest === null ? 'scored' : 'back-tested';
  let rows = `rows: ${a.read} read = ${a.scored} ${used} + ${a.excluded} excluded${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`;
  if (a.rowsWithInvalidValues > 0) rows += `; ${count(a.rowsWithInvalidValues, 'row')} had values treated as missing`;
  const lines = [rows];
  if (document.contactsPath !== undefined) lines.push(`units: the accounts (each scored with its contacts from \`${document.contactsPath}\`), their \`score accounts\` stages and rules`);
  const at = document.scoredAt;
  if (at.kind === 'as-of') {
    const range = at.from === null || at.to === null ? '' : ` (${shortDate(at.from)} to ${shortDate(at.to)})`;
    lines.push(`scored at: each ${u.one}'s \`${at.column}\`${range}, so later events do not count`);
  } else {
    lines.push(`scored at: ${at.now} (${at.source})`);
  }
  if (a.events !== undefined) {
    lines.push(`events: ${a.events.eventsRead} read, ${a.events.eventsUsed} joined to ${u.eventOwners}${a.events.eventsRejected > 0 ? `, ${a.events.eventsRejected} rejected` : ''}`);
  }
  return lines;
}

function shortDate(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

export function smallDataNote(positives: number, negatives: number, u: Units = LEAD_UNITS): string {
  return (
    `note: only ${positives} won and ${negatives} lost ${u.many}; with fewer than ${SMALL_DATA_POSITIVES.toLocaleString('en-US')} won or ` +
    `${SMALL_DATA_NEGATIVES.toLocaleString('en-US')} lost (what HubSpot asks for before predictive scoring) the rates and fitted points are uncertain: read the intervals`
  );
}

function stagesTable(report: BacktestReport, u: Units): string {
  const rows = report.stages.map((stage) => [
    stage.stage ?? 'no stage',
    stage.threshold === null ? '-' : formatNumber(stage.threshold),
    String(stage.at.leads),
    String(stage.at.positives),
    percent(stage.at.rate),
    percentInterval(stage.at.interval),
    stage.stage === null ? '' : String(stage.reached.leads),
    stage.stage === null ? '' : percent(stage.reached.rate),
  ]);
  return textTable(
    ['stage', 'at', u.many, 'won', 'rate', '95% interval', 'at or later', 'rate'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function mqlLines(mql: MqlAssessment, target: number, c: Colors, u: Units): string[] {
  const head = `MQL stage \`${mql.stage}\` (at ${formatNumber(mql.threshold)})`;
  const targetText = `the ${percent(target, 0)} target`;
  const advice = mql.advice;
  const at = (threshold: number, leads: number, rateText: string): string => `at ${formatNumber(threshold)}, ${count(leads, u.one)} would pass and ${rateText} of them won`;
  switch (mql.verdict) {
    case 'none': {
      const lines = [`${head}: no ${u.one} with an outcome reached it; its threshold or its \`requires\`/\`when\` are too strict`];
      if (advice.suggested !== null && advice.atSuggested !== null) lines.push(`  ${at(advice.suggested, advice.atSuggested.leads, rateWithInterval(advice.atSuggested, u.many))}`);
      return lines;
    }
    case 'below': {
      const lines = [`${head}: ${rateWithInterval(mql.reached, u.many)} of ${count(mql.reached.leads, u.one)} won, ${c.red(`below ${targetText}`)}: the threshold looks too low`];
      if (advice.suggested !== null && advice.atSuggested !== null) {
        const fewer = mql.reached.leads - advice.atSuggested.leads;
        lines.push(`  ${at(advice.suggested, advice.atSuggested.leads, rateWithInterval(advice.atSuggested, u.many))}${fewer > 0 ? ` (${fewer} fewer)` : ''}`);
      } else if (advice.best !== null) {
        lines.push(
          `  no threshold reaches ${targetText}: the best, ${formatNumber(advice.best.threshold)}, gives ${rateWithInterval(advice.best.outcome, u.many)} on ${count(advice.best.outcome.leads, u.one)}; the points themselves need work (try --fit)`,
        );
      }
      return lines;
    }
    case 'above': {
      const lines = [`${head}: ${rateWithInterval(mql.reached, u.many)} of ${count(mql.reached.leads, u.one)} won, ${c.green(`above ${targetText}`)}: sales could take more ${u.many}`];
      if (advice.suggested !== null && advice.atSuggested !== null && advice.suggested < mql.threshold) {
        lines.push(`  ${at(advice.suggested, advice.atSuggested.leads, rateWithInterval(advice.atSuggested, u.many))} (${advice.atSuggested.leads - mql.reached.leads} more)`);
      }
      return lines;
    }
    case 'on-target':
      return [`${head}: ${rateWithInterval(mql.reached, u.many)} of ${count(mql.reached.leads, u.one)} won, in line with ${targetText}`];
  }
}

function scoreLines(report: BacktestReport, u: Units): string[] {
  const lines: string[] = [];
  if (report.auc === null) lines.push(`  ROC AUC: undefined (every ${u.one} has the same outcome)`);
  else {
    lines.push(
      `  ROC AUC ${report.auc.auc.toFixed(3)} (95% ${report.auc.interval.low.toFixed(3)}-${report.auc.interval.high.toFixed(3)}): ` +
        `the chance a won ${u.one} outscores a lost one (0.5 is a coin toss, 1 a perfect ranking)`,
    );
  }
  lines.push(`  calibration: the outcome rate by score band (${count(report.calibration.length, 'band')} of about equal size)`);
  const rows = report.calibration.map((band) => [
    band.low === band.high ? formatNumber(band.low) : `${formatNumber(band.low)} to ${formatNumber(band.high)}`,
    String(band.outcome.leads),
    String(band.outcome.positives),
    percent(band.outcome.rate),
    percentInterval(band.outcome.interval),
  ]);
  lines.push(textTable(['score', u.many, 'won', 'rate', '95% interval'], rows, ['left', 'right', 'right', 'right', 'right'], '    '));
  if (report.calibrationInversions > 0) {
    lines.push(`  ${count(report.calibrationInversions, 'band')} won clearly less often than the band below it: a higher score does not always mean a better ${u.one}`);
  }
  return lines;
}

/** A rule as shown in tables: its label, or its source text, shortened. */
export function ruleName(rule: { readonly label: string }, max = 44): string {
  return shorten(rule.label, max);
}

function rulesTable(rules: readonly RuleOutcome[]): string {
  const rows = rules.map((rule) => [
    String(rule.line),
    ruleName(rule),
    signedPoints(rule.points) + (rule.kind === 'each' ? ' each' : ''),
    percent(rule.fireRate),
    percent(rule.whenFires.rate),
    percent(rule.whenNot.rate),
    rule.lift === null ? '-' : rule.lift.toFixed(2),
    rule.flags.join(' '),
  ]);
  return textTable(
    ['line', 'rule', 'points', 'fires', 'won if fires', 'won if not', 'lift', 'flags'],
    rows,
    ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}

/** What each rule flag means, said of `u`'s units. */
function flagMeanings(u: Units): Readonly<Record<RuleFlag, string>> {
  return {
    never: `fires for no ${u.one}`,
    rare: `fires for fewer than 1% of the ${u.many}`,
    'almost-all': `fires for more than 99% of the ${u.many}: it moves every score alike`,
    'no-effect': 'the outcome rate is not clearly different (95%) when it fires and when it does not',
    opposite: 'clearly the other way round from its points',
  };
}

function flagLegend(rules: readonly RuleOutcome[], u: Units): string[] {
  const used = new Set(rules.flatMap((rule) => rule.flags));
  const lines = ['  lift: the outcome rate when the rule fires divided by the overall rate (1 = no difference)'];
  const meanings = flagMeanings(u);
  for (const flag of Object.keys(meanings) as RuleFlag[]) if (used.has(flag)) lines.push(`  ${flag}: ${meanings[flag]}`);
  return lines;
}

function thresholdLines(report: BacktestReport, u: Units): string[] {
  if (report.thresholds.length === 0) return ['  the file declares no stage'];
  const rows = report.thresholds.map((advice: ThresholdAdvice) => {
    const suggested = advice.suggested === null || advice.atSuggested === null ? null : advice;
    return [
      advice.stage,
      formatNumber(advice.threshold),
      String(advice.current.leads),
      percent(advice.current.rate),
      suggested === null ? (advice.best === null ? 'none' : `none (best ${formatNumber(advice.best.threshold)}: ${percent(advice.best.outcome.rate)})`) : formatNumber(suggested.suggested ?? 0),
      suggested === null ? '' : String(suggested.atSuggested?.leads ?? 0),
      suggested === null ? '' : percent(suggested.atSuggested?.rate),
      suggested === null ? '' : percentInterval(suggested.atSuggested?.interval),
    ];
  });
  return [
    `  the lowest threshold whose passing ${u.many} (score at least it, \`requires\` and \`when\` met) reach ${percent(report.targetRate, 0)}`,
    textTable(
      ['stage', 'now at', 'passes', 'rate', 'for the target', 'passes', 'rate', '95% interval'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
}

function changeWord(weight: RuleWeight): string {
  switch (weight.change) {
    case 'kept':
      return 'kept';
    case 'same':
      return 'same';
    case 'remove':
      return 'remove';
    case 'flipped':
      return 'flip';
    case 'changed':
      return Math.abs(weight.suggestedPoints) > Math.abs(weight.currentPoints) ? 'more' : 'less';
  }
}

function pointsInterval(weight: RuleWeight): string {
  const interval = weight.suggestedInterval;
  if (interval === null) return '-';
  return `${signedTenths(interval.low)} to ${signedTenths(interval.high)}`;
}

/** `+4.4`, `-0.7`, `+9.0`: one decimal, always signed (0 is `0.0`). */
export function signedTenths(value: number): string {
  const text = Math.abs(value).toFixed(1);
  if (text === '0.0') return '0.0';
  return `${value < 0 ? '-' : '+'}${text}`;
}

function fitLines(document: ReportDocument, fit: FitSection, c: Colors): string[] {
  const w = fit.weights;
  const u = unitsOf(document);
  const fittedRules = w.rules.filter((rule) => rule.change !== 'kept');
  const sumCurrent = fittedRules.reduce((sum, rule) => sum + Math.abs(rule.currentPoints), 0);
  const maxCurrent = Math.max(0, ...fittedRules.map((rule) => Math.abs(rule.currentPoints)));
  const scaleText =
    w.scale.mode === 'sum'
      ? `scaled so the fitted rules keep their sum of absolute points (${formatNumber(sumCurrent)})`
      : `scaled so the strongest rule gets the largest current points (${formatNumber(maxCurrent)})`;
  const lines: string[] = [c.bold('Fitted points (--fit)')];
  lines.push(
    `  an L2-regularised logistic regression (lambda ${formatNumber(w.l2)}) of the outcome on each rule (1 when it fires; for \`each\`, per occurrence) over ${w.leads} ${u.many},`,
    `  ${scaleText}: 1 unit of log-odds = ${formatNumber(w.scale.pointsPerLogOdds, 1)} points; 95% intervals ${
      w.intervals === 'bootstrap' ? `from ${w.bootstrapResamples} bootstrap resamples` : '(Wald)'
    }`,
  );
  if (w.smallData) {
    lines.push(c.yellow(`  warning: with ${w.positives} won and ${w.negatives} lost ${u.many} the fitted points are uncertain: read their intervals before using them`));
  }
  if (!w.converged) lines.push(c.yellow(`  warning: the fit did not converge in ${w.iterations} iterations; the weights are approximate`));
  const rows = w.rules.map((rule) => [
    String(rule.line),
    ruleName(rule, 40),
    signedPoints(rule.currentPoints),
    rule.change === 'kept' ? '-' : rule.change === 'remove' ? '0' : signedPoints(rule.suggestedPoints),
    pointsInterval(rule),
    changeWord(rule),
  ]);
  lines.push(textTable(['line', 'rule', 'now', 'fitted', '95% interval', 'change'], rows, ['right', 'left', 'right', 'right', 'right', 'left']));
  for (const rule of w.rules) if (rule.change === 'kept' && rule.reason !== undefined) lines.push(`  kept \`${ruleName(rule, 40)}\`: ${rule.reason}`);
  const auc = (value: number | null): string => (value === null ? '-' : value.toFixed(3));
  lines.push(
    `  AUC: current points ${auc(w.currentAuc)}; fitted ${auc(w.fittedAuc)} on the same ${u.many}, ${auc(w.crossValidatedAuc)} on held-out ${u.many} (5-fold cross-validation)`,
  );
  const changed = fit.proposed.edits.filter((edit) => !edit.removed).length;
  const removed = fit.proposed.edits.filter((edit) => edit.removed).length;
  const summary = `${count(changed, 'rule')} with new points${removed > 0 ? `, ${removed} removed` : ''}`;
  if (fit.proposedPath !== null) {
    lines.push(`  proposed rule file: ${fit.proposedPath} (${summary}); review it with`);
    lines.push(`    rubric diff ${document.rulesPath} ${fit.proposedPath}`);
  } else {
    lines.push(`  ${summary}; write the proposed rule file with --fit-out FILE and review it with \`rubric diff\``);
  }
  return lines;
}
