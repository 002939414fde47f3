/**
 * Number formatting and plain-text tables shared by the back-test's text output and the HTML
 * report, so both say the same thing the same way.
 */
import type { Interval, Rate } from './core-backtest.js';

/** `0.2333` -> `23.3%`; null -> `-`. */
export function percent(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${(value * 100).toFixed(decimals)}%`;
}

/** A rate's Wilson interval: `21.8-24.8%`; `-` without leads. */
export function percentInterval(interval: Interval | null | undefined): string {
  if (interval === null || interval === undefined) return '-';
  return `${(interval.low * 100).toFixed(1)}-${(interval.high * 100).toFixed(1)}%`;
}

/** `23.3% (95% 21.8-24.8%)`; `no leads` (`no accounts`: `units` names them) without any. */
export function rateWithInterval(rate: Rate, units = 'leads'): string {
  return rate.rate === null ? `no ${units}` : `${percent(rate.rate)} (95% ${percentInterval(rate.interval)})`;
}

/** Points with their sign: `+10`, `-5`, `+2.5`. */
export function signedPoints(value: number): string {
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

/** A number without floating-point noise: at most `decimals` decimals, trailing zeros dropped. */
export function formatNumber(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** `1 lead`, `2 leads`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

export type Align = 'left' | 'right';

/**
 * A plain-text table: a header row, then rows, columns padded to their widest cell (by code
 * points), two spaces apart, each line indented by `indent`. Trailing spaces are trimmed.
 */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[], indent = '  '): string {
  const width = (text: string): number => [...text].length;
  const widths = headers.map((header, c) => Math.max(width(header), ...rows.map((row) => width(row[c] ?? ''))));
  const line = (cells: readonly string[]): string =>
    (
      indent +
      cells
        .map((cell, c) => {
          const pad = ' '.repeat(Math.max(0, widths[c] - width(cell)));
          return align[c] === 'right' ? pad + cell : cell + pad;
        })
        .join('  ')
    ).trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Shortens a label to `max` code points with an ellipsis. */
export function shorten(text: string, max: number): string {
  const points = [...text.replace(/\s+/g, ' ')];
  return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}
