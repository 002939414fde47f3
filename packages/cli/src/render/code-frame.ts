/**
 * Diagnostics as code frames, for people reading a terminal:
 *
 *     rules.rubric:12:8: error R010: unknown field `compnay.size`
 *        |
 *     12 |   when compnay.size > 50 add 5
 *        |        ^^^^^^^^^^^^
 *        = help: did you mean `company.size`?
 *
 * The first line is `file:line:col: severity CODE: message` so editors and CI log viewers link it.
 */
import type { Diagnostic, Range, Severity } from '@rubric/core';
import type { Colors } from '../context.js';
import { escapeTerminalChar, terminalText } from './terminal-text.js';

/** A rule file's text as the renderer needs it. */
export interface SourceFile {
  /** The path as shown to the user. */
  readonly path: string;
  readonly text: string;
}

const TAB_WIDTH = 4;
/** Lines of a multi-line range shown before eliding the middle. */
const MAX_FRAME_LINES = 4;
/**
 * Terminal columns of a frame line, gutter included: a longer source line is cut around the
 * caret (`…` marks each cut), so a 6,000-character line does not flood the terminal.
 */
export const MAX_FRAME_WIDTH = 120;
/** Columns of source text always shown, however wide the gutter. */
const MIN_FRAME_TEXT_WIDTH = 40;
/** The mark of a cut in a long line (one column). */
const CUT = '…';

/** Splits text into lines the way positions count them (`\n` or `\r\n` ends a line). */
export function sourceLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Diagnostics in reading order: by position, errors before warnings at the same place. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort(
    (a, b) => a.range.start.offset - b.range.start.offset || rank[a.severity] - rank[b.severity] || a.range.end.offset - b.range.end.offset,
  );
}

/** `file:line:col` of a position (1-based line and column). */
export function formatLocation(path: string, range: Range): string {
  return `${path}:${range.start.line}:${range.start.column}`;
}

function severityColor(c: Colors, severity: Severity): (text: string) => string {
  if (severity === 'error') return (text) => c.bold(c.red(text));
  if (severity === 'warning') return (text) => c.bold(c.yellow(text));
  return (text) => c.bold(c.cyan(text));
}

/** Renders one diagnostic as a code frame (ends with a newline). */
export function renderDiagnostic(diagnostic: Diagnostic, source: SourceFile, c: Colors, lines = sourceLines(source.text)): string {
  const paint = severityColor(c, diagnostic.severity);
  const out: string[] = [];
  // The path, the message and the notes quote the rule file (names, values): escaped once here.
  const path = terminalText(source.path);
  out.push(`${c.bold(formatLocation(path, diagnostic.range))}: ${paint(`${diagnostic.severity} ${diagnostic.code}`)}: ${c.bold(terminalText(diagnostic.message))}`);
  const frame = frameLines(diagnostic.range, lines);
  const gutterWidth = Math.max(...frame.map((entry) => (entry.kind === 'line' ? String(entry.line).length : 1)), 1);
  const gutter = (label: string): string => c.blue(`${label.padStart(gutterWidth)} |`);
  const blankGutter = c.blue(`${' '.repeat(gutterWidth)} |`);
  // `N | ` before the text: what is left of the frame width is the text's.
  const textWidth = Math.max(MIN_FRAME_TEXT_WIDTH, MAX_FRAME_WIDTH - gutterWidth - 3);
  out.push(blankGutter);
  for (const entry of frame) {
    if (entry.kind === 'elision') {
      out.push(`${blankGutter} ${c.dim('...')}`);
      continue;
    }
    const shown = frameLineView(entry.text, entry.startIndex, entry.endIndex, textWidth);
    out.push(`${gutter(String(entry.line))}${shown.text.length > 0 ? ` ${shown.text}` : ''}`);
    out.push(`${blankGutter} ${' '.repeat(shown.caretColumn)}${paint('^'.repeat(shown.caretWidth))}`);
  }
  const notePrefix = `${' '.repeat(gutterWidth)} ${c.blue('=')}`;
  if (diagnostic.help !== undefined && diagnostic.help !== '') {
    out.push(`${notePrefix} ${c.bold(c.cyan('help'))}: ${terminalText(diagnostic.help)}`);
  }
  for (const related of diagnostic.related ?? []) {
    out.push(`${notePrefix} ${c.bold('note')}: ${formatLocation(path, related.range)}: ${terminalText(related.message)}`);
  }
  for (const fix of diagnostic.fixes ?? []) {
    out.push(`${notePrefix} ${c.bold('fix')}: ${terminalText(fix.title)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The diagnostics a person is shown: all but the warnings a `# rubric: allow` comment accepts
 * (`allowed`), which only `rubric check --format json` reports. Every text output, SARIF and
 * every warning count (hence `--strict`) go through this.
 */
export function shownDiagnostics(diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  return diagnostics.some((d) => d.allowed === true) ? diagnostics.filter((d) => d.allowed !== true) : diagnostics;
}

/** Renders diagnostics of one file in reading order (allowed warnings left out), separated by blank lines. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], source: SourceFile, c: Colors): string {
  const lines = sourceLines(source.text);
  return sortDiagnostics(shownDiagnostics(diagnostics))
    .map((diagnostic) => renderDiagnostic(diagnostic, source, c, lines))
    .join('\n');
}

/** `2 errors, 1 warning` (only the non-zero counts; `no problems` when all are zero). */
export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const shown = shownDiagnostics(diagnostics);
  const errors = shown.filter((d) => d.severity === 'error').length;
  const warnings = shown.filter((d) => d.severity === 'warning').length;
  const infos = shown.filter((d) => d.severity === 'info').length;
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  if (infos > 0) parts.push(plural(infos, 'note'));
  return parts.length === 0 ? 'no problems' : parts.join(', ');
}

/** `1 file`, `3 files`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

type FrameEntry =
  | { readonly kind: 'line'; readonly line: number; readonly text: string; readonly startIndex: number; readonly endIndex: number }
  | { readonly kind: 'elision' };

/** The source lines a range covers, with the covered part of each (UTF-16 indices). */
function frameLines(range: Range, lines: readonly string[]): FrameEntry[] {
  const startLine = clamp(range.start.line, 1, Math.max(lines.length, 1));
  let endLine = clamp(range.end.line, startLine, Math.max(lines.length, 1));
  let endColumn = range.end.column;
  // A range ending at the very start of a line really ends with the previous line.
  if (endLine > startLine && endColumn <= 1) {
    endLine -= 1;
    endColumn = (lines[endLine - 1] ?? '').length + 1;
  }
  const entries: FrameEntry[] = [];
  const lineNumbers: number[] = [];
  for (let line = startLine; line <= endLine; line++) lineNumbers.push(line);
  const shown =
    lineNumbers.length <= MAX_FRAME_LINES
      ? lineNumbers
      : [...lineNumbers.slice(0, MAX_FRAME_LINES - 1), -1, lineNumbers[lineNumbers.length - 1]];
  for (const line of shown) {
    if (line === -1) {
      entries.push({ kind: 'elision' });
      continue;
    }
    const text = lines[line - 1] ?? '';
    const startIndex = line === startLine ? clamp(range.start.column - 1, 0, text.length) : firstNonSpace(text);
    const endIndex = line === endLine ? clamp(endColumn - 1, startIndex, text.length) : text.length;
    entries.push({ kind: 'line', line, text, startIndex, endIndex });
  }
  return entries;
}

function firstNonSpace(text: string): number {
  const match = /\S/.exec(text);
  return match === null ? 0 : match.index;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** One character of a source line as the frame shows it. */
interface Cell {
  /** What is printed: the character, spaces for a tab, an escape for a control character. */
  readonly text: string;
  /** Terminal columns it takes. */
  readonly width: number;
  /** Its UTF-16 index in the line. */
  readonly index: number;
}

/** A source line as printed in a frame, and where its carets go (in columns of `text`). */
export interface FrameLineView {
  readonly text: string;
  readonly caretColumn: number;
  /** At least 1 (an empty range still gets one caret). */
  readonly caretWidth: number;
}

/**
 * How a source line shows in a frame, with carets under UTF-16 indices [startIndex, endIndex):
 * tabs are {@link TAB_WIDTH} spaces, control characters and bidirectional overrides are escaped
 * (`\x1b`, `\u202e`: the carets count the escape's columns), wide characters take two columns.
 * A line wider than `maxWidth` columns is cut around the caret, each cut marked with `…`: some
 * context before the caret, as much of the range as fits, never half a character.
 */
export function frameLineView(line: string, startIndex: number, endIndex: number, maxWidth: number): FrameLineView {
  // Only a stretch around the caret is looked at: a line of megabytes costs what a short one does.
  // Every shown character takes at least one column except zero-width ones, so a few widths
  // either side of the caret is always enough text.
  const radius = maxWidth * 4;
  let lo = Math.max(0, startIndex - radius);
  if (lo > 0 && isLowSurrogate(line.charCodeAt(lo))) lo++;
  let hi = Math.min(line.length, startIndex + radius);
  if (hi < line.length && isLowSurrogate(line.charCodeAt(hi))) hi++;
  const cutBefore = lo > 0;
  const cutAfter = hi < line.length;
  const cells = lineCells(line.slice(lo, hi), lo);
  const starts: number[] = [];
  let total = 0;
  for (const cell of cells) {
    starts.push(total);
    total += cell.width;
  }
  /** The column of UTF-16 index `index` (past the stretch: one column past its end). */
  const columnAt = (index: number): number => {
    if (index > hi) return total + 1;
    let column = 0;
    for (let i = 0; i < cells.length && cells[i].index < index; i++) column = starts[i] + cells[i].width;
    return column;
  };
  const startColumn = columnAt(startIndex);
  const endColumn = Math.max(startColumn + 1, columnAt(endIndex));
  // An empty range at the end of the line puts its caret one column past the text.
  const needed = Math.max(total, endColumn);
  if (!cutBefore && !cutAfter && needed <= maxWidth) {
    return { text: cells.map((cell) => cell.text).join(''), caretColumn: startColumn, caretWidth: endColumn - startColumn };
  }
  // Start a third of the width before the caret, or earlier when the rest of the line is short,
  // then move to the next whole character.
  const margin = Math.floor(maxWidth / 3);
  const wanted = Math.max(0, cutAfter ? startColumn - margin : Math.min(startColumn - margin, needed - maxWidth + 1));
  let first = 0;
  while (first < cells.length && starts[first] < wanted) first++;
  const from = first < cells.length ? starts[first] : total;
  const leftMark = from > 0 || cutBefore ? 1 : 0;
  let to = from;
  let last = first;
  // Take whole cells while they fit, keeping a column for the right mark if anything remains.
  while (last < cells.length) {
    const more = last + 1 < cells.length || cutAfter ? 1 : 0;
    if (leftMark + (to - from) + cells[last].width + more > maxWidth) break;
    to += cells[last].width;
    last++;
  }
  const rightMark = last < cells.length || cutAfter ? 1 : 0;
  const shown = cells
    .slice(first, last)
    .map((cell) => cell.text)
    .join('');
  const text = `${leftMark === 1 ? CUT : ''}${shown}${rightMark === 1 ? CUT : ''}`;
  const caretColumn = leftMark + startColumn - from;
  // The carets stop where the shown text stops (before a `…`), or one column past its end.
  const caretEnd = leftMark + Math.min(endColumn, rightMark === 1 ? to : to + 1) - from;
  return { text, caretColumn, caretWidth: Math.max(1, caretEnd - caretColumn) };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The cells of `text`, a stretch of a line starting at UTF-16 index `offset`. */
function lineCells(text: string, offset: number): Cell[] {
  const cells: Cell[] = [];
  let index = offset;
  for (const ch of text) {
    if (ch === '\t') cells.push({ text: ' '.repeat(TAB_WIDTH), width: TAB_WIDTH, index });
    else {
      const escaped = escapeTerminalChar(ch);
      cells.push({ text: escaped, width: escaped === ch ? charWidth(ch) : escaped.length, index });
    }
    index += ch.length;
  }
  return cells;
}

/**
 * Terminal columns of one code point: 0 for combining marks and zero-width characters, 2 for East
 * Asian wide and fullwidth characters and most emoji, else 1 (what terminals do, closely enough
 * for carets; a character sequence a terminal draws as one glyph may still shift them).
 */
function charWidth(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (/[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]/u.test(ch)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}
