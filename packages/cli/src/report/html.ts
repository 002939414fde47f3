/**
 * The report as ONE self-contained HTML page: inline CSS, inline SVG, no script, no font, no
 * network (a Content-Security-Policy forbids them), readable on screen and on paper. Every text
 * that comes from a rule file or the data is escaped.
 */
import type { BacktestReport, ScoreSummary } from './core-backtest.js';
import type { ReportDocument } from './document.js';
import { count, formatNumber, percent, percentInterval, rateWithInterval, signedPoints } from './format.js';
import { calibrationCurve, divergingStack, dumbbell, escapeHtml, GROUP_PALETTE, horizontalBars, htmlTable, NEGATIVE, NEUTRAL, PALETTE, POSITIVE, stackedHistogram } from './svg.js';
import { headerLines, signedTenths, smallDataNote } from './backtest-text.js';
import { unitsOf, type Units } from './units.js';

const esc = escapeHtml;

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --paper: #ffffff; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 960px; padding: 24px 20px 48px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; padding-top: 8px; border-top: 1px solid var(--rule); }
p, li { max-width: 75ch; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; background: var(--band); padding: 0 3px; border-radius: 3px; }
.meta { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.cards li { flex: 1 1 160px; border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; background: var(--band); }
.cards .value { display: block; font-size: 1.45em; font-weight: 600; }
.cards .label { color: var(--muted); font-size: 0.9em; }
.verdict { border-left: 4px solid ${POSITIVE}; padding: 6px 12px; background: var(--band); }
.verdict.below, .verdict.none { border-color: ${NEGATIVE}; }
.note { border-left: 4px solid #bf8700; padding: 6px 12px; background: #fff8c5; }
figure.chart { margin: 16px 0 28px; break-inside: avoid; }
h3, .chart-title { font-size: 1.05em; margin: 18px 0 2px; }
.chart-description { color: var(--muted); font-size: 0.92em; margin: 0 0 6px; }
figure.chart svg { width: 100%; height: auto; max-width: 760px; display: block; }
svg text { fill: var(--ink); font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .tick, svg .value { fill: var(--muted); }
svg .axis-label { fill: var(--ink); font-weight: 600; }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: #8c959f; }
svg .marker { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .marker-label { font-size: 11px; fill: var(--muted); }
svg .reference { stroke: #57606a; stroke-width: 1; stroke-dasharray: 3 3; }
svg .target { stroke: ${NEGATIVE}; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .overall { stroke: ${NEUTRAL}; stroke-width: 1.5; stroke-dasharray: 2 3; }
svg .curve { stroke-width: 2.5; }
svg .whisker { stroke: #24292f; stroke-width: 1.2; fill: none; }
svg .link { stroke: #8c959f; stroke-width: 2; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 6px 0; font-size: 0.9em; color: var(--muted); }
.legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; background: var(--swatch); border-radius: 2px; }
.legend .swatch.dashed { height: 0; border-top: 3px dashed var(--swatch); background: none; vertical-align: 3px; }
figcaption { color: var(--muted); font-size: 0.92em; margin-top: 4px; max-width: 75ch; }
details { margin-top: 6px; font-size: 0.92em; }
summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
th[scope="row"] { font-weight: normal; max-width: 340px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { display: inline-block; font-size: 0.85em; border: 1px solid var(--rule); border-radius: 10px; padding: 0 7px; margin: 0 3px 2px 0; white-space: nowrap; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.9em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  details { display: none; }
  .cards li { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The stages in file order then "no stage", with their colours. */
function stageSeries(summary: ScoreSummary): { name: string; color: string }[] {
  return summary.stages.map((stage, i) => ({ name: stage.stage ?? 'no stage', color: stage.stage === null ? NEUTRAL : PALETTE[i % PALETTE.length] }));
}

/** Renders the whole page. */
export function renderReportHtml(document: ReportDocument): string {
  const { summary } = document;
  const backtest = document.backtest?.report ?? null;
  const u = unitsOf(document);
  const title = backtest === null ? `Score report: ${document.rulesPath}` : `Back-test: ${document.rulesPath}`;
  const sections: string[] = [];
  sections.push(`<header><h1>${esc(title)}</h1>`);
  sections.push(`<p class="meta">Rules <code>${esc(document.rulesPath)}</code> on <code>${esc(document.dataPath)}</code>${document.eventsPath === null ? '' : ` with events <code>${esc(document.eventsPath)}</code>`}${document.backtest === null ? '' : `, outcome <code>${esc(document.backtest.outcomeColumn)}</code>`}.</p>`);
  for (const line of headerLines(document)) sections.push(`<p class="meta">${esc(line)}</p>`);
  sections.push('</header>');
  sections.push(cards(document, backtest, u));
  if (backtest?.smallData === true) sections.push(`<p class="note" role="note">${esc(smallDataNote(backtest.positives, backtest.negatives, u))}</p>`);
  if (backtest?.mql !== null && backtest !== null) sections.push(mqlParagraph(backtest, u));

  sections.push('<section aria-labelledby="scores"><h2 id="scores">Scores</h2>');
  sections.push(scoreHistogram(document));
  sections.push(stageFunnel(summary, backtest, u));
  sections.push('</section>');

  if (backtest !== null) {
    sections.push(`<section aria-labelledby="calibration"><h2 id="calibration">Does a higher score mean a better ${u.one}?</h2>`);
    sections.push(aucParagraph(backtest, u));
    sections.push(calibration(backtest, u));
    sections.push(thresholdTable(backtest, u));
    sections.push('</section>');
  }

  sections.push('<section aria-labelledby="rules"><h2 id="rules">Rules</h2>');
  sections.push(hitRates(summary, u));
  if (backtest !== null && summary.rules.length > 0) sections.push(lift(backtest, u), ruleTable(backtest, u));
  sections.push('</section>');

  sections.push('<section aria-labelledby="groups"><h2 id="groups">Group contributions</h2>');
  sections.push(groups(summary, u));
  sections.push('</section>');

  if (document.fit !== null) sections.push(fitSection(document));

  sections.push(
    `<footer>Made by <code>rubric ${backtest === null ? 'report' : 'backtest'}</code>. Rates come with 95% Wilson intervals; a rate on few ${u.many} has a wide one.</footer>`,
  );

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function cards(document: ReportDocument, backtest: BacktestReport | null, u: Units): string {
  const { summary } = document;
  const items: [string, string][] = [[String(summary.leads), backtest === null ? `${u.many} scored` : `${u.many} with an outcome`]];
  if (summary.score !== null) items.push([`${formatNumber(summary.score.median)}`, `median score (${formatNumber(summary.score.min)} to ${formatNumber(summary.score.max)})`]);
  if (backtest !== null) {
    items.push([percent(backtest.overall.rate), `won overall (95% ${percentInterval(backtest.overall.interval)})`]);
    if (backtest.auc !== null) items.push([backtest.auc.auc.toFixed(3), 'ROC AUC of the score (0.5 = chance)']);
    if (backtest.mql !== null) items.push([percent(backtest.mql.reached.rate), `won at \`${backtest.mql.stage}\` or later (target ${percent(backtest.targetRate, 0)})`]);
  } else {
    const last = summary.stages.filter((stage) => stage.stage !== null).at(-1);
    if (last !== undefined) items.push([String(last.leads), `at the last stage, \`${last.stage}\``]);
  }
  return `<ul class="cards">${items.map(([value, label]) => `<li><span class="value">${esc(value)}</span><span class="label">${esc(label)}</span></li>`).join('')}</ul>`;
}

function mqlParagraph(backtest: BacktestReport, u: Units): string {
  const mql = backtest.mql;
  if (mql === null) return '';
  const target = percent(backtest.targetRate, 0);
  const advice = mql.advice;
  let text: string;
  switch (mql.verdict) {
    case 'none':
      text = `No ${u.one} reached the MQL stage \`${mql.stage}\` (at ${formatNumber(mql.threshold)}): its threshold or its requirements are too strict.`;
      break;
    case 'below':
      text = `At the MQL stage \`${mql.stage}\` (at ${formatNumber(mql.threshold)}), ${rateWithInterval(mql.reached, u.many)} of ${mql.reached.leads} ${u.many} were won: below the ${target} target, so the threshold looks too low.`;
      break;
    case 'above':
      text = `At the MQL stage \`${mql.stage}\` (at ${formatNumber(mql.threshold)}), ${rateWithInterval(mql.reached, u.many)} of ${mql.reached.leads} ${u.many} were won: above the ${target} target, so sales could take more ${u.many}.`;
      break;
    case 'on-target':
      text = `At the MQL stage \`${mql.stage}\` (at ${formatNumber(mql.threshold)}), ${rateWithInterval(mql.reached, u.many)} of ${mql.reached.leads} ${u.many} were won: in line with the ${target} target.`;
      break;
  }
  if (mql.verdict !== 'on-target' && advice.suggested !== null && advice.atSuggested !== null && advice.suggested !== mql.threshold) {
    text += ` At ${formatNumber(advice.suggested)}, ${advice.atSuggested.leads} ${u.many} would pass and ${rateWithInterval(advice.atSuggested, u.many)} of them were won.`;
  } else if (mql.verdict === 'below' && advice.best !== null) {
    text += ` No threshold reaches ${target}; the best, ${formatNumber(advice.best.threshold)}, gives ${rateWithInterval(advice.best.outcome, u.many)}: the points themselves need work.`;
  }
  return `<p class="verdict ${mql.verdict}" role="note">${esc(text)}</p>`;
}

function scoreHistogram(document: ReportDocument): string {
  const { summary } = document;
  const u = unitsOf(document);
  if (summary.histogram.length === 0) return `<p>No ${u.one} was scored.</p>`;
  const series = stageSeries(summary);
  return stackedHistogram({
    id: 'score-histogram',
    title: 'Score distribution, coloured by stage',
    description: `How many ${u.many} got each score, in bins of ${formatNumber(summary.histogram[0].high - summary.histogram[0].low)} points, each bar split by the stage the ${u.many} reached. Dashed lines mark the stage thresholds.`,
    xLabel: 'score',
    yLabel: u.many,
    series,
    bins: summary.histogram,
    markers: summary.stages
      .map((stage, i) => ({ stage, color: series[i].color }))
      .filter(({ stage }) => stage.threshold !== null)
      .map(({ stage, color }) => ({ at: stage.threshold ?? 0, label: `${stage.stage ?? ''} ${formatNumber(stage.threshold ?? 0)}`, color })),
  });
}

function stageFunnel(summary: ScoreSummary, backtest: BacktestReport | null, u: Units): string {
  const series = stageSeries(summary);
  const total = Math.max(1, summary.leads);
  const rows = summary.stages.map((stage, i) => {
    const outcome = backtest?.stages[i];
    const reached = stage.reachedOrLater;
    const won = outcome === undefined ? '' : `, ${percent(outcome.reached.rate)} won`;
    return {
      label: stage.stage === null ? 'no stage' : `${stage.stage} (at ${formatNumber(stage.threshold ?? 0)})`,
      value: reached,
      color: series[i].color,
      text: `${reached} (${percent(reached / total, 0)})${won}`,
      tooltip:
        stage.stage === null
          ? `${reached} ${u.many} reached no stage${outcome === undefined ? '' : `; ${rateWithInterval(outcome.at, u.many)} won`}`
          : `${reached} ${u.many} at ${stage.stage} or a later stage (${stage.leads} exactly at it)${outcome === undefined ? '' : `; ${rateWithInterval(outcome.reached, u.many)} won`}`,
      cells: [String(stage.leads), String(reached), ...(outcome === undefined ? [] : [percent(outcome.reached.rate), percentInterval(outcome.reached.interval)])],
    };
  });
  return horizontalBars({
    id: 'stage-funnel',
    title: 'Stage funnel',
    description: `For each stage in file order, the ${u.many} whose stage is that one or a later one (the last stage reached wins), and ${u.many} with no stage.`,
    xLabel: u.many,
    domain: [0, Math.max(1, ...rows.map((r) => r.value))],
    format: (v) => formatNumber(v, 0),
    integer: true,
    rows,
    tableHeaders: ['stage', `${u.many} at it`, 'at it or later', ...(backtest === null ? [] : ['won', '95% interval'])],
  });
}

function hitRates(summary: ScoreSummary, u: Units): string {
  if (summary.rules.length === 0) return '<p>The file has no rules.</p>';
  const rows = summary.rules.map((rule) => ({
    label: `${rule.label} (${signedPoints(rule.points)}${rule.kind === 'each' ? ' each' : ''})`,
    value: rule.fireRate,
    color: rule.points >= 0 ? POSITIVE : NEGATIVE,
    text: `${percent(rule.fireRate)} (${rule.fires})`,
    tooltip: `line ${rule.line}: fires for ${rule.fires} of ${summary.leads} ${u.many} (${percent(rule.fireRate)}), ${formatNumber(rule.meanPoints)} points on average when it does`,
    cells: [String(rule.line), signedPoints(rule.points), String(rule.fires), percent(rule.fireRate), formatNumber(rule.meanPoints)],
  }));
  return horizontalBars({
    id: 'rule-hit-rates',
    title: 'How often each rule fires',
    description: `The share of ${u.many} each rule gives points to (or takes points from), in file order.`,
    xLabel: `share of ${u.many}`,
    domain: [0, 1],
    format: (v) => percent(v, 0),
    rows,
    legend: [
      { label: 'adds points', color: POSITIVE },
      { label: 'takes points away', color: NEGATIVE },
    ],
    tableHeaders: ['rule', 'line', 'points', 'fires', 'share', 'mean points when it fires'],
  });
}

function aucParagraph(backtest: BacktestReport, u: Units): string {
  if (backtest.auc === null) return `<p>Every ${u.one} has the same outcome, so the score cannot be compared with it.</p>`;
  const auc = backtest.auc;
  return `<p>ROC AUC <strong>${esc(auc.auc.toFixed(3))}</strong> (95% ${esc(auc.interval.low.toFixed(3))} to ${esc(auc.interval.high.toFixed(3))}): the chance that a won ${u.one} scores higher than a lost one. 0.5 is a coin toss, 1 a perfect ranking.${
    backtest.calibrationInversions > 0 ? ` ${esc(String(backtest.calibrationInversions))} score band(s) won clearly less often than the band below.` : ''
  }</p>`;
}

function calibration(backtest: BacktestReport, u: Units): string {
  if (backtest.calibration.length === 0 || backtest.overall.rate === null) return '';
  return calibrationCurve({
    id: 'calibration',
    title: 'Calibration: outcome rate by score band',
    description: `The ${u.many} split into ${count(backtest.calibration.length, 'band')} of about equal size by score; for each, the share that was won, with its 95% interval. A good score rises from left to right. The dashed lines are the target and the overall rate.`,
    points: backtest.calibration.map((band) => {
      const range = band.low === band.high ? formatNumber(band.low) : `${formatNumber(band.low)} to ${formatNumber(band.high)}`;
      return {
        x: band.meanScore,
        rate: band.outcome.rate ?? 0,
        low: band.outcome.interval?.low ?? 0,
        high: band.outcome.interval?.high ?? 0,
        label: `score ${range}: ${band.outcome.positives} won of ${band.outcome.leads} = ${rateWithInterval(band.outcome, u.many)}`,
        cells: [range, formatNumber(band.meanScore), String(band.outcome.leads), String(band.outcome.positives), percent(band.outcome.rate), percentInterval(band.outcome.interval)],
      };
    }),
    target: backtest.targetRate,
    overall: backtest.overall.rate,
    tableHeaders: ['score band', 'mean score', u.many, 'won', 'rate', '95% interval'],
  });
}

function thresholdTable(backtest: BacktestReport, u: Units): string {
  if (backtest.thresholds.length === 0) return '<p>The file declares no stage, so there is no threshold to advise on.</p>';
  return htmlTable({
    caption: `Threshold advice: the lowest threshold at which the ${u.many} passing each stage reach ${percent(backtest.targetRate, 0)}`,
    headers: ['stage', 'now at', 'passes now', 'won now', 'threshold for the target', 'would pass', 'won', '95% interval'],
    rows: backtest.thresholds.map((advice) => [
      advice.stage,
      formatNumber(advice.threshold),
      String(advice.current.leads),
      percent(advice.current.rate),
      advice.suggested === null ? (advice.best === null ? 'none' : `none (best ${formatNumber(advice.best.threshold)}: ${percent(advice.best.outcome.rate)})`) : formatNumber(advice.suggested),
      advice.atSuggested === null ? '' : String(advice.atSuggested.leads),
      advice.atSuggested === null ? '' : percent(advice.atSuggested.rate),
      advice.atSuggested === null ? '' : percentInterval(advice.atSuggested.interval),
    ]),
    numeric: [1, 2, 3, 4, 5, 6, 7],
  });
}

function lift(backtest: BacktestReport, u: Units): string {
  const overall = backtest.overall.rate ?? 0;
  const rules = backtest.rules.filter((rule) => rule.lift !== null);
  if (rules.length === 0 || overall === 0) return '';
  const rows = rules.map((rule) => {
    const value = rule.lift ?? 0;
    const interval = rule.whenFires.interval;
    const color = rule.flags.includes('opposite') ? NEGATIVE : rule.flags.includes('no-effect') ? NEUTRAL : POSITIVE;
    return {
      label: rule.label,
      value,
      from: 1,
      color,
      text: `${value.toFixed(2)}${rule.flags.length > 0 ? ` ${rule.flags.join(', ')}` : ''}`,
      tooltip: `line ${rule.line}: won ${percent(rule.whenFires.rate)} when it fires (${rule.fires} ${u.many}) vs ${percent(rule.whenNot.rate)} when not; lift ${value.toFixed(2)}`,
      ...(interval !== null ? { whisker: { low: interval.low / overall, high: interval.high / overall } } : {}),
      cells: [signedPoints(rule.points), String(rule.fires), percent(rule.whenFires.rate), percent(rule.whenNot.rate), value.toFixed(2), rule.flags.join(' ')],
    };
  });
  const high = Math.max(2, ...rows.map((row) => Math.max(row.value, row.whisker?.high ?? 0)));
  return horizontalBars({
    id: 'rule-lift',
    title: 'Lift of each rule',
    description: 'The outcome rate when the rule fires divided by the overall rate: 1 means no difference, 2 twice as often won. Whiskers: the 95% interval of the rate when it fires, over the overall rate.',
    xLabel: 'lift (1 = no difference)',
    domain: [0, Math.ceil(high * 2) / 2],
    format: (v) => formatNumber(v, 2),
    rows,
    reference: { at: 1, label: `lift 1: as often won as any ${u.one}` },
    legend: [
      { label: 'clear effect', color: POSITIVE },
      { label: 'no clear effect', color: NEUTRAL },
      { label: 'clearly the other way round from its points', color: NEGATIVE },
    ],
    tableHeaders: ['rule', 'points', 'fires', 'won if fires', 'won if not', 'lift', 'flags'],
  });
}

function ruleTable(backtest: BacktestReport, u: Units): string {
  const flagged = backtest.rules.filter((rule) => rule.flags.length > 0);
  if (flagged.length === 0) return '<p>No rule is flagged.</p>';
  const meaning: Record<string, string> = {
    never: `fires for no ${u.one}`,
    rare: `fires for fewer than 1% of the ${u.many}`,
    'almost-all': `fires for more than 99% of the ${u.many}: it moves every score alike`,
    'no-effect': 'no clear difference (95%) in the outcome rate when it fires',
    opposite: 'clearly the other way round from its points',
  };
  const items = flagged.map(
    (rule) =>
      `<li>line ${esc(String(rule.line))}, <strong>${esc(rule.label)}</strong> (${esc(signedPoints(rule.points))}): ${rule.flags
        .map((flag) => `<span class="flag">${esc(flag)}</span>${esc(meaning[flag] ?? '')}`)
        .join('; ')}</li>`,
  );
  return `<h3>Flagged rules</h3><ul>${items.join('\n')}</ul>`;
}

function groups(summary: ScoreSummary, u: Units): string {
  if (summary.groups.length === 0) return '<p>The file has no groups: every rule adds to the total directly.</p>';
  const series = summary.groups.map((group, i) => ({ name: group.name, color: GROUP_PALETTE[i % GROUP_PALETTE.length] }));
  const rows = summary.stages
    .map((stage, s) => ({ label: stage.stage ?? 'no stage', values: summary.groups.map((group) => group.meanByStage[s]), leads: stage.leads }))
    .filter((row) => row.leads > 0);
  const chart = divergingStack({
    id: 'group-contributions',
    title: 'Mean points from each group, by stage',
    description: `For the ${u.many} of each stage, the average value of each group after its clamp: positive groups stack to the right of 0, negative ones to the left.`,
    xLabel: 'mean points',
    series,
    rows: [{ label: `all ${u.many}`, values: summary.groups.map((group) => group.mean) }, ...rows],
    format: (v) => formatNumber(v, 1),
  });
  const table = htmlTable({
    caption: 'Groups: mean value and clamps',
    headers: ['group', 'min', 'max', 'mean', 'cut by max', 'raised by min'],
    rows: summary.groups.map((group) => [
      group.name,
      group.min === null ? '-' : formatNumber(group.min),
      group.max === null ? '-' : formatNumber(group.max),
      formatNumber(group.mean, 1),
      String(group.clampedAtMax),
      String(group.clampedAtMin),
    ]),
    numeric: [1, 2, 3, 4, 5],
  });
  return `${chart}\n${table}`;
}

function fitSection(document: ReportDocument): string {
  const fit = document.fit;
  if (fit === null) return '';
  const w = fit.weights;
  const u = unitsOf(document);
  const parts: string[] = ['<section aria-labelledby="fit"><h2 id="fit">Fitted points</h2>'];
  parts.push(
    `<p>An L2-regularised logistic regression of the outcome on each rule (1 when it fires; for an <code>each</code> rule, per occurrence) over ${esc(String(w.leads))} ${u.many}, rescaled to the file's points (1 unit of log-odds = ${esc(formatNumber(w.scale.pointsPerLogOdds, 1))} points). AUC of the current points ${esc(w.currentAuc?.toFixed(3) ?? '-')}; of the fitted points ${esc(w.fittedAuc?.toFixed(3) ?? '-')} on the same ${u.many} and ${esc(w.crossValidatedAuc?.toFixed(3) ?? '-')} on held-out ${u.many}.</p>`,
  );
  if (w.smallData) parts.push(`<p class="note" role="note">${esc(smallDataNote(w.positives, w.negatives, u))}</p>`);
  parts.push(
    dumbbell({
      id: 'fitted-points',
      title: 'Points now and fitted',
      description: 'For each rule, its current points (grey) and the points the fit suggests (blue). Rules kept as they are have no blue dot.',
      fromLabel: 'points now',
      toLabel: 'fitted points',
      rows: w.rules.map((rule) => ({
        label: rule.label,
        from: rule.currentPoints,
        to: rule.change === 'kept' ? null : rule.suggestedPoints,
        tooltip: `fitted ${formatNumber(rule.suggestedPoints)}${rule.suggestedInterval === null ? '' : ` (95% ${signedTenths(rule.suggestedInterval.low)} to ${signedTenths(rule.suggestedInterval.high)})`}`,
        cells: [
          signedPoints(rule.currentPoints),
          rule.change === 'kept' ? '-' : signedPoints(rule.suggestedPoints),
          rule.suggestedInterval === null ? '-' : `${signedTenths(rule.suggestedInterval.low)} to ${signedTenths(rule.suggestedInterval.high)}`,
          rule.change,
          rule.reason ?? '',
        ],
      })),
      tableHeaders: ['rule', 'now', 'fitted', '95% interval', 'change', 'note'],
    }),
  );
  if (fit.proposedPath !== null) {
    parts.push(`<p>The proposed rule file is <code>${esc(fit.proposedPath)}</code>. Review it with <code>rubric diff ${esc(document.rulesPath)} ${esc(fit.proposedPath)}</code>.</p>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}
