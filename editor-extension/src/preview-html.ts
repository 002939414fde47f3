// Renders a `rubric/preview` result as HTML for the preview webview: a summary, a histogram of
// scores per stage as inline SVG, and the scored table. Pure (no `vscode`), so it is unit-tested;
// every value from the sample or the rule file is escaped.
import type { PreviewResult, StageHistogram } from '@rubric/language-server';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

const BAR_AREA = { width: 320, height: 90 };

/** One stage's histogram as an SVG bar chart (bins shared by every stage). */
export function histogramSvg(result: PreviewResult, histogram: StageHistogram): string {
  const bins = result.bins;
  const max = Math.max(1, ...result.histograms.flatMap((h) => h.counts));
  const barWidth = bins.length === 0 ? 0 : BAR_AREA.width / bins.length;
  const bars = histogram.counts
    .map((count, i) => {
      const height = Math.round((count / max) * BAR_AREA.height);
      const bin = bins[i];
      const title = `${formatNumber(bin.from)}–${formatNumber(bin.to)}: ${count} lead${count === 1 ? '' : 's'}`;
      return (
        `<rect class="bar" x="${(i * barWidth + 1).toFixed(1)}" y="${BAR_AREA.height - height}" ` +
        `width="${Math.max(1, barWidth - 2).toFixed(1)}" height="${height}"><title>${escapeHtml(title)}</title></rect>`
      );
    })
    .join('');
  const first = bins[0];
  const last = bins[bins.length - 1];
  const axis =
    first === undefined
      ? ''
      : `<text class="axis" x="0" y="${BAR_AREA.height + 14}">${escapeHtml(formatNumber(first.from))}</text>` +
        `<text class="axis" x="${BAR_AREA.width}" y="${BAR_AREA.height + 14}" text-anchor="end">${escapeHtml(formatNumber(last.to))}</text>`;
  const label = histogram.stage === null ? 'no stage' : histogram.stage;
  return (
    `<svg class="histogram" role="img" aria-label="${escapeHtml(`score histogram for ${label}`)}" ` +
    `width="${BAR_AREA.width}" height="${BAR_AREA.height + 18}" viewBox="0 0 ${BAR_AREA.width} ${BAR_AREA.height + 18}">` +
    `${bars}<line class="baseline" x1="0" y1="${BAR_AREA.height}" x2="${BAR_AREA.width}" y2="${BAR_AREA.height}"/>${axis}</svg>`
  );
}

function summary(result: PreviewResult): string {
  const sample = result.sample;
  if (sample === undefined) return '';
  const parts = [
    `<strong>${escapeHtml(sample.path)}</strong>`,
    `${result.totalRows} lead${result.totalRows === 1 ? '' : 's'} scored`,
    result.now !== undefined ? `at ${escapeHtml(result.now)} (${escapeHtml(result.nowSource ?? '')})` : '',
  ].filter(Boolean);
  const stats = result.stats;
  const statsLine =
    stats === undefined
      ? ''
      : `<p class="stats">min ${formatNumber(stats.min)} · median ${formatNumber(stats.median)} · mean ${formatNumber(stats.mean)} · max ${formatNumber(stats.max)}</p>`;
  // A sample read only in part (too large, too many leads, scoring out of time) says so, with why.
  const limited =
    sample.coverage !== undefined
      ? `<p class="warning">Preview of the ${escapeHtml(sample.coverage)}${(sample.notes ?? []).map((note) => `; ${escapeHtml(note)}`).join('')}.</p>`
      : sample.truncated > 0
        ? `<p class="warning">${sample.truncated} more leads were left out of the preview.</p>`
        : '';
  const problems =
    sample.problems.length === 0
      ? ''
      : `<details class="problems"><summary>${sample.problems.length} line${sample.problems.length === 1 ? '' : 's'} skipped</summary><ul>` +
        sample.problems.map((p) => `<li>line ${p.line}: ${escapeHtml(p.message)}</li>`).join('') +
        '</ul></details>';
  return `<p class="summary">${parts.join(' · ')}</p>${statsLine}${limited}${problems}`;
}

function histograms(result: PreviewResult): string {
  if (result.histograms.length === 0) return '';
  const cells = result.histograms
    .map((h) => {
      const name = h.stage === null ? '<em>no stage</em>' : `<code>${escapeHtml(h.stage)}</code>`;
      const threshold = h.threshold === null ? '' : ` at ${formatNumber(h.threshold)}`;
      return `<figure class="stage"><figcaption>${name}${threshold}: ${h.count} lead${h.count === 1 ? '' : 's'}</figcaption>${histogramSvg(result, h)}</figure>`;
    })
    .join('');
  return `<h2>Scores by stage</h2><div class="histograms">${cells}</div>`;
}

function table(result: PreviewResult): string {
  if (result.rows.length === 0) return '';
  const groupHeads = result.groups.map((g) => `<th class="num">${escapeHtml(g)}</th>`).join('');
  const rows = result.rows
    .map((row) => {
      const groups = result.groups.map((g) => `<td class="num">${escapeHtml(formatNumber(row.groups[g] ?? 0))}</td>`).join('');
      return (
        `<tr><td class="num">${row.line}</td><td>${escapeHtml(row.label)}</td><td class="num score">${escapeHtml(formatNumber(row.score))}</td>` +
        `<td>${row.stage === null ? '<em>none</em>' : escapeHtml(row.stage)}</td><td>${row.tier === null ? '' : escapeHtml(row.tier)}</td>${groups}</tr>`
      );
    })
    .join('');
  const more = result.totalRows > result.rows.length ? `<p class="more">First ${result.rows.length} of ${result.totalRows} leads.</p>` : '';
  return (
    `<h2>Leads</h2><table><thead><tr><th class="num">line</th><th>lead</th><th class="num">score</th><th>stage</th><th>tier</th>${groupHeads}</tr></thead>` +
    `<tbody>${rows}</tbody></table>${more}`
  );
}

/** The preview's body HTML (no `<html>` shell). */
export function renderPreviewBody(result: PreviewResult): string {
  if (result.status !== 'ok') {
    return `<p class="message">${escapeHtml(result.message ?? result.status)}</p>${summary(result)}`;
  }
  return `${summary(result)}${histograms(result)}${table(result)}`;
}

/**
 * The webview's page: a strict content security policy (only this page's nonce'd style and script
 * run), and a script that swaps the body when the extension posts a new rendering.
 */
export function renderPreviewShell(nonce: string, cspSource: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${escapeHtml(cspSource)} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
  h2 { font-size: 1.1em; margin-top: 1.4em; }
  .histograms { display: flex; flex-wrap: wrap; gap: 1em 2em; }
  figure { margin: 0; }
  figcaption { margin-bottom: 0.3em; }
  .bar { fill: var(--vscode-charts-blue, #3794ff); }
  .baseline { stroke: var(--vscode-foreground); stroke-opacity: 0.4; }
  .axis { fill: var(--vscode-descriptionForeground); font-size: 10px; }
  table { border-collapse: collapse; }
  th, td { padding: 2px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, #8884); text-align: left; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  .score { font-weight: bold; }
  .message, .warning { color: var(--vscode-editorWarning-foreground); }
  .stats, .more { color: var(--vscode-descriptionForeground); }
</style>
</head>
<body>
<div id="root"><p>Scoring the sample…</p></div>
<script nonce="${nonce}">
  const root = document.getElementById('root');
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'render' && typeof event.data.html === 'string') root.innerHTML = event.data.html;
  });
</script>
</body>
</html>`;
}
