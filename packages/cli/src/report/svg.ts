/**
 * Plain SVG charts, generated as text: no script, no external font or stylesheet, every text
 * escaped (labels come from rule files and data and may contain `<script>`). Each chart is a
 * `<figure>` with an accessible `<svg role="img">` (a `<title>` and a `<desc>`), axis labels, a
 * legend when colours mean something, a tooltip (`<title>`) on every mark, and its data as a
 * table in a `<details>` for screen readers and for copying. Data marks carry `class="mark"`.
 */

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const esc = escapeHtml;

/** Colour-blind-safe colours (Okabe & Ito), for stages and groups in file order. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#7A6A00', '#332288', '#882255', '#44AA99'];
/** Groups: the same family without the blue and vermillion that mean "adds" and "takes away". */
export const GROUP_PALETTE = ['#CC79A7', '#56B4E9', '#009E73', '#E69F00', '#7A6A00', '#332288', '#882255', '#44AA99'];
/** "No stage" and other neutral marks. */
export const NEUTRAL = '#9AA0A6';
export const POSITIVE = '#0072B2';
export const NEGATIVE = '#D55E00';

const WIDTH = 760;
const FONT = 12;

/** A number with at most 2 decimals, no trailing zeros, for SVG coordinates and labels. */
function n(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/**
 * About `target` round tick values; the first is at most `min` and the last at least `max`.
 * `integer` (counts of leads): whole-number steps only.
 */
export function niceTicks(min: number, max: number, target = 5, integer = false): number[] {
  if (!(max > min)) return [min, min + 1];
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw - 1e-12) ?? 10 * power;
  if (integer) step = Math.max(1, Math.ceil(step));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Math.round(k * step * 1e9) / 1e9);
  return ticks;
}

function scale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Shortens a label to `max` code points (the full text stays in the tooltip). */
function clip(text: string, max: number): string {
  const points = [...text.replace(/\s+/g, ' ')];
  return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}

export interface TableData {
  readonly caption: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns holding numbers (right-aligned). */
  readonly numeric?: readonly number[];
}

/** An accessible HTML table; every cell escaped. */
export function htmlTable(table: TableData, className = 'data'): string {
  const numeric = new Set(table.numeric ?? []);
  const head = table.headers.map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${esc(cell)}</th>` : `<td${numeric.has(i) ? ' class="num"' : ''}>${esc(cell)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}"><caption>${esc(table.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

interface FigureParts {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly height: number;
  readonly body: string;
  readonly legend?: readonly { readonly label: string; readonly color: string; readonly dashed?: boolean }[];
  readonly table: TableData;
  readonly caption?: string;
}

function figure(parts: FigureParts): string {
  const legend =
    parts.legend === undefined || parts.legend.length === 0
      ? ''
      : `<ul class="legend" aria-hidden="true">${parts.legend
          .map((item) => `<li><span class="swatch${item.dashed === true ? ' dashed' : ''}" style="--swatch:${item.color}"></span>${esc(item.label)}</li>`)
          .join('')}</ul>`;
  return [
    `<figure class="chart" id="${esc(parts.id)}">`,
    `<h3 class="chart-title">${esc(parts.title)}</h3>`,
    `<p class="chart-description">${esc(parts.description)}</p>`,
    `<svg data-chart="${esc(parts.id)}" role="img" aria-labelledby="${esc(parts.id)}-title ${esc(parts.id)}-desc" viewBox="0 0 ${WIDTH} ${n(parts.height)}" width="${WIDTH}" height="${n(parts.height)}" xmlns="http://www.w3.org/2000/svg" font-size="${FONT}">`,
    `<title id="${esc(parts.id)}-title">${esc(parts.title)}</title>`,
    `<desc id="${esc(parts.id)}-desc">${esc(parts.description)}</desc>`,
    parts.body,
    '</svg>',
    legend,
    parts.caption === undefined ? '' : `<figcaption>${esc(parts.caption)}</figcaption>`,
    `<details><summary>Data of this chart</summary>${htmlTable(parts.table)}</details>`,
    '</figure>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** A horizontal axis with ticks, grid lines and a label. */
function xAxis(ticks: readonly number[], x: (v: number) => number, top: number, bottom: number, label: string, format: (v: number) => string): string {
  const parts = ticks.map(
    (t) =>
      `<line class="grid" x1="${n(x(t))}" x2="${n(x(t))}" y1="${n(top)}" y2="${n(bottom)}"/><text class="tick" x="${n(x(t))}" y="${n(bottom + 16)}" text-anchor="middle">${esc(format(t))}</text>`,
  );
  const middle = (x(ticks[0] ?? 0) + x(ticks[ticks.length - 1] ?? 0)) / 2;
  parts.push(`<line class="axis" x1="${n(x(ticks[0] ?? 0))}" x2="${n(x(ticks[ticks.length - 1] ?? 0))}" y1="${n(bottom)}" y2="${n(bottom)}"/>`);
  parts.push(`<text class="axis-label" x="${n(middle)}" y="${n(bottom + 34)}" text-anchor="middle">${esc(label)}</text>`);
  return parts.join('\n');
}

/** A vertical axis with ticks, grid lines and a (rotated) label. */
function yAxis(ticks: readonly number[], y: (v: number) => number, left: number, right: number, label: string, format: (v: number) => string): string {
  const parts = ticks.map(
    (t) =>
      `<line class="grid" x1="${n(left)}" x2="${n(right)}" y1="${n(y(t))}" y2="${n(y(t))}"/><text class="tick" x="${n(left - 6)}" y="${n(y(t) + 4)}" text-anchor="end">${esc(format(t))}</text>`,
  );
  const top = y(ticks[ticks.length - 1] ?? 0);
  const bottom = y(ticks[0] ?? 0);
  parts.push(`<line class="axis" x1="${n(left)}" x2="${n(left)}" y1="${n(top)}" y2="${n(bottom)}"/>`);
  parts.push(`<text class="axis-label" transform="translate(${n(left - 44)} ${n((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(label)}</text>`);
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Stacked histogram

export interface StackedHistogramData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Series in stacking order (bottom first), each with a colour. */
  readonly series: readonly { readonly name: string; readonly color: string }[];
  /** Bins: `[low, high)` and one count per series. */
  readonly bins: readonly { readonly low: number; readonly high: number; readonly counts: readonly number[] }[];
  /** Vertical reference lines (stage thresholds). */
  readonly markers?: readonly { readonly at: number; readonly label: string; readonly color: string }[];
}

export function stackedHistogram(data: StackedHistogramData): string {
  const height = 320;
  const margin = { left: 64, right: 16, top: 44, bottom: 48 };
  const xTicks = niceTicks(
    Math.min(...data.bins.map((b) => b.low), ...(data.markers ?? []).map((m) => m.at)),
    Math.max(...data.bins.map((b) => b.high), ...(data.markers ?? []).map((m) => m.at)),
    8,
  );
  const low = xTicks[0];
  const high = xTicks[xTicks.length - 1];
  const x = scale([low, high], [margin.left, WIDTH - margin.right]);
  const totals = data.bins.map((b) => b.counts.reduce((s, c) => s + c, 0));
  const yTicks = niceTicks(0, Math.max(1, ...totals), 5, true);
  const yMax = Math.max(yTicks[yTicks.length - 1], 1);
  const y = scale([0, yMax], [height - margin.bottom, margin.top]);
  const marks: string[] = [];
  data.bins.forEach((bin, b) => {
    let base = 0;
    const x0 = x(bin.low);
    const width = Math.max(1, x(bin.high) - x(bin.low) - 1);
    const breakdown = data.series
      .map((s, i) => (bin.counts[i] > 0 ? `${s.name} ${bin.counts[i]}` : ''))
      .filter((t) => t !== '')
      .join(', ');
    data.series.forEach((series, i) => {
      const value = bin.counts[i];
      if (value === 0) return;
      const top = y(base + value);
      marks.push(
        `<rect class="mark" x="${n(x0)}" y="${n(top)}" width="${n(width)}" height="${n(y(base) - top)}" fill="${series.color}"><title>${esc(
          `score ${n(bin.low)} to ${n(bin.high)}: ${totals[b]} ${data.yLabel} (${breakdown})`,
        )}</title></rect>`,
      );
      base += value;
    });
  });
  const markers = (data.markers ?? []).map(
    (m, i) =>
      `<line class="marker" x1="${n(x(m.at))}" x2="${n(x(m.at))}" y1="${n(12 + (i % 3) * 12)}" y2="${n(height - margin.bottom)}" stroke="${m.color}"/><text class="marker-label" x="${n(x(m.at) + 3)}" y="${n(10 + (i % 3) * 12)}">${esc(m.label)}</text>`,
  );
  const body = [
    yAxis(yTicks, y, margin.left, WIDTH - margin.right, data.yLabel, (v) => n(v)),
    xAxis(xTicks, x, margin.top, height - margin.bottom, data.xLabel, (v) => n(v)),
    ...marks,
    ...markers,
  ].join('\n');
  return figure({
    id: data.id,
    title: data.title,
    description: data.description,
    height,
    body,
    legend: data.series.map((s) => ({ label: s.name, color: s.color })),
    table: {
      caption: data.title,
      headers: ['score', ...data.series.map((s) => s.name), 'total'],
      rows: data.bins.map((bin, b) => [`${n(bin.low)} to ${n(bin.high)}`, ...bin.counts.map(String), String(totals[b])]),
      numeric: data.series.map((_, i) => i + 1).concat([data.series.length + 1]),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Horizontal bars (funnel, hit rates, lift)

export interface BarRow {
  readonly label: string;
  /** The bar runs from `from` (default: the axis origin) to `value`. */
  readonly value: number;
  readonly from?: number;
  readonly color: string;
  /** Text printed after the bar. */
  readonly text: string;
  readonly tooltip: string;
  /** An interval drawn as a whisker. */
  readonly whisker?: { readonly low: number; readonly high: number };
  /** Cells of the data table after the label. */
  readonly cells: readonly string[];
}

export interface HorizontalBarsData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly xLabel: string;
  readonly domain: readonly [number, number];
  readonly format: (value: number) => string;
  /** The axis counts whole things (leads): whole-number ticks. */
  readonly integer?: boolean;
  readonly rows: readonly BarRow[];
  /** A vertical reference line (lift 1, the overall rate). */
  readonly reference?: { readonly at: number; readonly label: string };
  readonly legend?: readonly { readonly label: string; readonly color: string; readonly dashed?: boolean }[];
  readonly tableHeaders: readonly string[];
  readonly caption?: string;
}

export function horizontalBars(data: HorizontalBarsData): string {
  const rowHeight = 24;
  const margin = { left: 300, right: 150, top: 16, bottom: 48 };
  const height = margin.top + margin.bottom + Math.max(1, data.rows.length) * rowHeight;
  const ticks = niceTicks(data.domain[0], data.domain[1], 6, data.integer === true);
  const domain: [number, number] = [ticks[0], ticks[ticks.length - 1]];
  const x = scale(domain, [margin.left, WIDTH - margin.right]);
  const origin = Math.max(domain[0], Math.min(domain[1], 0));
  const marks: string[] = [];
  data.rows.forEach((row, i) => {
    const top = margin.top + i * rowHeight;
    const from = row.from ?? origin;
    const x0 = x(Math.min(from, row.value));
    const x1 = x(Math.max(from, row.value));
    marks.push(`<text class="row-label" x="${n(margin.left - 8)}" y="${n(top + rowHeight / 2 + 4)}" text-anchor="end">${esc(clip(row.label, 44))}<title>${esc(row.label)}</title></text>`);
    marks.push(
      `<rect class="mark" x="${n(x0)}" y="${n(top + 4)}" width="${n(Math.max(1, x1 - x0))}" height="${n(rowHeight - 8)}" fill="${row.color}"><title>${esc(row.tooltip)}</title></rect>`,
    );
    if (row.whisker !== undefined) {
      const middle = top + rowHeight / 2;
      const w0 = x(Math.max(domain[0], row.whisker.low));
      const w1 = x(Math.min(domain[1], row.whisker.high));
      marks.push(
        `<path class="whisker" d="M${n(w0)} ${n(middle)}H${n(w1)}M${n(w0)} ${n(middle - 5)}V${n(middle + 5)}M${n(w1)} ${n(middle - 5)}V${n(middle + 5)}"><title>${esc(`95% interval ${data.format(row.whisker.low)} to ${data.format(row.whisker.high)}`)}</title></path>`,
      );
    }
    const textX = Math.max(x1, row.whisker === undefined ? x1 : x(Math.min(domain[1], row.whisker.high))) + 6;
    marks.push(`<text class="value" x="${n(textX)}" y="${n(top + rowHeight / 2 + 4)}">${esc(row.text)}</text>`);
  });
  const bottom = height - margin.bottom;
  const reference =
    data.reference === undefined
      ? ''
      : `<line class="reference" x1="${n(x(data.reference.at))}" x2="${n(x(data.reference.at))}" y1="${n(margin.top - 4)}" y2="${n(bottom)}"><title>${esc(data.reference.label)}</title></line>`;
  const body = [xAxis(ticks, x, margin.top, bottom, data.xLabel, data.format), reference, ...marks].join('\n');
  return figure({
    id: data.id,
    title: data.title,
    description: data.description,
    height,
    body,
    ...(data.legend !== undefined ? { legend: data.legend } : {}),
    ...(data.caption !== undefined ? { caption: data.caption } : {}),
    table: {
      caption: data.title,
      headers: data.tableHeaders,
      rows: data.rows.map((row) => [row.label, ...row.cells]),
      numeric: data.tableHeaders.map((_, i) => i).slice(1),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Stacked horizontal bars around 0 (group contributions per stage)

export interface DivergingStackData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly xLabel: string;
  readonly series: readonly { readonly name: string; readonly color: string }[];
  /** One row per category; `values[i]` for series i (positive stack right of 0, negative left). */
  readonly rows: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
  readonly format: (value: number) => string;
}

export function divergingStack(data: DivergingStackData): string {
  const rowHeight = 28;
  const margin = { left: 140, right: 24, top: 16, bottom: 48 };
  const height = margin.top + margin.bottom + Math.max(1, data.rows.length) * rowHeight;
  const positive = data.rows.map((row) => row.values.reduce<number>((s, v) => s + Math.max(0, v ?? 0), 0));
  const negative = data.rows.map((row) => row.values.reduce<number>((s, v) => s + Math.min(0, v ?? 0), 0));
  const ticks = niceTicks(Math.min(0, ...negative), Math.max(1, ...positive), 6);
  const x = scale([ticks[0], ticks[ticks.length - 1]], [margin.left, WIDTH - margin.right]);
  const marks: string[] = [];
  data.rows.forEach((row, r) => {
    const top = margin.top + r * rowHeight;
    marks.push(`<text class="row-label" x="${n(margin.left - 8)}" y="${n(top + rowHeight / 2 + 4)}" text-anchor="end">${esc(clip(row.label, 20))}<title>${esc(row.label)}</title></text>`);
    let right = 0;
    let left = 0;
    data.series.forEach((series, i) => {
      const value = row.values[i];
      if (value === null || value === 0) return;
      const start = value > 0 ? right : left + value;
      if (value > 0) right += value;
      else left += value;
      const x0 = x(start);
      const x1 = x(start + Math.abs(value));
      marks.push(
        `<rect class="mark" x="${n(x0)}" y="${n(top + 5)}" width="${n(Math.max(1, x1 - x0))}" height="${n(rowHeight - 10)}" fill="${series.color}"><title>${esc(
          `${row.label}: ${series.name} ${data.format(value)} on average`,
        )}</title></rect>`,
      );
    });
  });
  const bottom = height - margin.bottom;
  const zero = `<line class="reference" x1="${n(x(0))}" x2="${n(x(0))}" y1="${n(margin.top - 4)}" y2="${n(bottom)}"/>`;
  const body = [xAxis(ticks, x, margin.top, bottom, data.xLabel, data.format), zero, ...marks].join('\n');
  return figure({
    id: data.id,
    title: data.title,
    description: data.description,
    height,
    body,
    legend: data.series.map((s) => ({ label: s.name, color: s.color })),
    table: {
      caption: data.title,
      headers: ['', ...data.series.map((s) => s.name)],
      rows: data.rows.map((row) => [row.label, ...row.values.map((v) => (v === null ? '-' : data.format(v)))]),
      numeric: data.series.map((_, i) => i + 1),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Calibration curve

export interface CalibrationCurveData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly points: readonly {
    readonly x: number;
    readonly rate: number;
    readonly low: number;
    readonly high: number;
    readonly label: string;
    readonly cells: readonly string[];
  }[];
  readonly target: number;
  readonly overall: number;
  readonly tableHeaders: readonly string[];
}

export function calibrationCurve(data: CalibrationCurveData): string {
  const height = 320;
  const margin = { left: 64, right: 24, top: 20, bottom: 48 };
  const xs = data.points.map((p) => p.x);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1), 8);
  const x = scale([xTicks[0], xTicks[xTicks.length - 1]], [margin.left, WIDTH - margin.right]);
  const yTicks = niceTicks(0, Math.min(1, Math.max(data.target, ...data.points.map((p) => p.high)) + 0.05), 5);
  const y = scale([0, yTicks[yTicks.length - 1]], [height - margin.bottom, margin.top]);
  const pct = (v: number): string => `${Math.round(v * 1000) / 10}%`;
  const path = data.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(x(p.x))} ${n(y(p.rate))}`).join('');
  const marks = [
    `<path class="mark curve" d="${path}" fill="none" stroke="${POSITIVE}"><title>${esc('outcome rate by score band')}</title></path>`,
    ...data.points.map(
      (p) =>
        `<path class="whisker" d="M${n(x(p.x))} ${n(y(p.low))}V${n(y(p.high))}M${n(x(p.x) - 4)} ${n(y(p.low))}H${n(x(p.x) + 4)}M${n(x(p.x) - 4)} ${n(y(p.high))}H${n(x(p.x) + 4)}"/>` +
        `<circle class="mark" cx="${n(x(p.x))}" cy="${n(y(p.rate))}" r="4.5" fill="${POSITIVE}"><title>${esc(p.label)}</title></circle>`,
    ),
  ];
  const right = WIDTH - margin.right;
  const lines = [
    `<line class="target" x1="${n(margin.left)}" x2="${n(right)}" y1="${n(y(data.target))}" y2="${n(y(data.target))}"><title>${esc(`target ${pct(data.target)}`)}</title></line>`,
    `<text class="marker-label" x="${n(right - 4)}" y="${n(y(data.target) - 5)}" text-anchor="end">${esc(`target ${pct(data.target)}`)}</text>`,
    `<line class="overall" x1="${n(margin.left)}" x2="${n(right)}" y1="${n(y(data.overall))}" y2="${n(y(data.overall))}"><title>${esc(`overall ${pct(data.overall)}`)}</title></line>`,
    `<text class="marker-label" x="${n(right - 4)}" y="${n(y(data.overall) + 14)}" text-anchor="end">${esc(`overall ${pct(data.overall)}`)}</text>`,
  ];
  const body = [
    yAxis(yTicks, y, margin.left, right, 'won (outcome rate)', pct),
    xAxis(xTicks, x, margin.top, height - margin.bottom, 'score (mean of the band)', (v) => n(v)),
    ...lines,
    ...marks,
  ].join('\n');
  return figure({
    id: data.id,
    title: data.title,
    description: data.description,
    height,
    body,
    legend: [
      { label: 'outcome rate per band, with its 95% interval', color: POSITIVE },
      { label: 'target rate', color: NEGATIVE, dashed: true },
      { label: 'overall rate', color: NEUTRAL, dashed: true },
    ],
    table: {
      caption: data.title,
      headers: data.tableHeaders,
      rows: data.points.map((p) => [...p.cells]),
      numeric: data.tableHeaders.map((_, i) => i).slice(1),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Dumbbell (current vs fitted points)

export interface DumbbellData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly { readonly label: string; readonly from: number; readonly to: number | null; readonly tooltip: string; readonly cells: readonly string[] }[];
  readonly fromLabel: string;
  readonly toLabel: string;
  readonly tableHeaders: readonly string[];
}

export function dumbbell(data: DumbbellData): string {
  const rowHeight = 24;
  const margin = { left: 300, right: 40, top: 16, bottom: 48 };
  const height = margin.top + margin.bottom + Math.max(1, data.rows.length) * rowHeight;
  const values = data.rows.flatMap((row) => (row.to === null ? [row.from] : [row.from, row.to]));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(1, ...values), 6);
  const x = scale([ticks[0], ticks[ticks.length - 1]], [margin.left, WIDTH - margin.right]);
  const marks: string[] = [];
  data.rows.forEach((row, i) => {
    const middle = margin.top + i * rowHeight + rowHeight / 2;
    marks.push(`<text class="row-label" x="${n(margin.left - 8)}" y="${n(middle + 4)}" text-anchor="end">${esc(clip(row.label, 44))}<title>${esc(row.label)}</title></text>`);
    if (row.to !== null) marks.push(`<line class="link" x1="${n(x(row.from))}" x2="${n(x(row.to))}" y1="${n(middle)}" y2="${n(middle)}"/>`);
    marks.push(`<circle class="mark current" cx="${n(x(row.from))}" cy="${n(middle)}" r="5" fill="${NEUTRAL}"><title>${esc(`${data.fromLabel}: ${n(row.from)}`)}</title></circle>`);
    if (row.to !== null) {
      marks.push(`<circle class="mark fitted" cx="${n(x(row.to))}" cy="${n(middle)}" r="5" fill="${POSITIVE}"><title>${esc(row.tooltip)}</title></circle>`);
    }
  });
  const bottom = height - margin.bottom;
  const zero = `<line class="reference" x1="${n(x(0))}" x2="${n(x(0))}" y1="${n(margin.top - 4)}" y2="${n(bottom)}"/>`;
  const body = [xAxis(ticks, x, margin.top, bottom, 'points', (v) => n(v)), zero, ...marks].join('\n');
  return figure({
    id: data.id,
    title: data.title,
    description: data.description,
    height,
    body,
    legend: [
      { label: data.fromLabel, color: NEUTRAL },
      { label: data.toLabel, color: POSITIVE },
    ],
    table: {
      caption: data.title,
      headers: data.tableHeaders,
      rows: data.rows.map((row) => [row.label, ...row.cells]),
      numeric: data.tableHeaders.map((_, i) => i).slice(1),
    },
  });
}
