/** The canonical formatter. */
export {
  format,
  formatRange,
  type FormatOptions,
  type FormatRangeResult,
  type FormatResult,
  type FormatSpan,
} from './format.js';
