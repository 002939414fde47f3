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

/** A rule file's text as the renderer needs it. */
export interface SourceFile {
  /** The path as shown to the user. */
  readonly path: string;
  readonly text: string;
}

const TAB_WIDTH = 4;
/** Lines of a multi-line range shown before eliding the middle. */
const MAX_FRAME_LINES = 4;

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
  out.push(
    `${c.bold(formatLocation(source.path, diagnostic.range))}: ${paint(`${diagnostic.severity} ${diagnostic.code}`)}: ${c.bold(diagnostic.message)}`,
  );
  const frame = frameLines(diagnostic.range, lines);
  const gutterWidth = Math.max(...frame.map((entry) => (entry.kind === 'line' ? String(entry.line).length : 1)), 1);
  const gutter = (label: string): string => c.blue(`${label.padStart(gutterWidth)} |`);
  const blankGutter = c.blue(`${' '.repeat(gutterWidth)} |`);
  out.push(blankGutter);
  for (const entry of frame) {
    if (entry.kind === 'elision') {
      out.push(`${blankGutter} ${c.dim('...')}`);
      continue;
    }
    const shown = expandTabs(entry.text);
    out.push(`${gutter(String(entry.line))}${shown.length > 0 ? ` ${shown}` : ''}`);
    const startWidth = displayWidth(entry.text.slice(0, entry.startIndex));
    const endWidth = displayWidth(entry.text.slice(0, entry.endIndex));
    const carets = '^'.repeat(Math.max(1, endWidth - startWidth));
    out.push(`${blankGutter} ${' '.repeat(startWidth)}${paint(carets)}`);
  }
  const notePrefix = `${' '.repeat(gutterWidth)} ${c.blue('=')}`;
  if (diagnostic.help !== undefined && diagnostic.help !== '') {
    out.push(`${notePrefix} ${c.bold(c.cyan('help'))}: ${diagnostic.help}`);
  }
  for (const related of diagnostic.related ?? []) {
    out.push(`${notePrefix} ${c.bold('note')}: ${formatLocation(source.path, related.range)}: ${related.message}`);
  }
  for (const fix of diagnostic.fixes ?? []) {
    out.push(`${notePrefix} ${c.bold('fix')}: ${fix.title}`);
  }
  return `${out.join('\n')}\n`;
}

/** Renders diagnostics of one file in reading order, separated by blank lines. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], source: SourceFile, c: Colors): string {
  const lines = sourceLines(source.text);
  return sortDiagnostics(diagnostics)
    .map((diagnostic) => renderDiagnostic(diagnostic, source, c, lines))
    .join('\n');
}

/** `2 errors, 1 warning` (only the non-zero counts; `no problems` when all are zero). */
export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const infos = diagnostics.filter((d) => d.severity === 'info').length;
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

function expandTabs(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '\t' ? ' '.repeat(TAB_WIDTH) : ch;
  return out;
}

/** Terminal columns of `text`: code points, tabs expanded (wide characters count as one). */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch === '\t' ? TAB_WIDTH : 1;
  return width;
}
