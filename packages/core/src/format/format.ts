/**
 * The canonical formatter: `rubric fmt`, and format-on-save in the editor.
 *
 * It prints the syntax tree (never rewrites text by pattern), so a formatted file always parses
 * to the same tree, and it is idempotent. Statements are never reordered (order is meaning for
 * stages and tiers) and columns are never aligned; comments stay next to the token they were
 * written next to. See ./print.ts for the layout and ./comments.ts for comments and blank lines.
 */
import { hasErrors, type Diagnostic, type TextEdit } from '../diagnostics/diagnostic.js';
import type { Position, Range, RubricFile } from '../syntax/ast.js';
import { parse } from '../syntax/parse.js';
import { blankLinesBefore, placeComments, renderLine, SourceLines } from './comments.js';
import { LineWriter, type Container, type Entry, type OutputLine } from './layout.js';
import { AstPrinter } from './print.js';
import { astShape, sameShape } from './shape.js';

export interface FormatOptions {
  /**
   * Line endings of the result: `lf`, `crlf`, or `auto` (the default): the file's first line
   * ending, `lf` when it has none.
   */
  readonly lineEnding?: 'lf' | 'crlf' | 'auto';
  /** The file's name, for diagnostics. */
  readonly uri?: string;
}

export interface FormatResult {
  /** The formatted text; the input untouched when it has syntax errors. */
  readonly text: string;
  /** Whether `text` differs from the input. */
  readonly changed: boolean;
  /** The syntax errors that stopped formatting (empty when formatted). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Set when the formatter could not print the file without changing its meaning or losing a
   * comment (a bug in the formatter, never in the file): `text` is then the input untouched.
   */
  readonly internalError?: string;
}

/** A span of the text to format, as a {@link Range} or as offsets. */
export type FormatSpan = Range | { readonly start: number; readonly end: number };

export interface FormatRangeResult {
  /** Zero or one edit replacing the whole lines of the statements the span touches. */
  readonly edits: readonly TextEdit[];
  readonly diagnostics: readonly Diagnostic[];
  /** As in {@link FormatResult}: no edits are given when set. */
  readonly internalError?: string;
}

/**
 * Formats a whole rule file in the canonical layout. Never throws. With syntax errors the text
 * is returned untouched together with the errors (formatting guesses at broken code would lose
 * what the user wrote).
 */
export function format(text: string, options: FormatOptions = {}): FormatResult {
  const parsed = parse(text, options.uri);
  if (hasErrors(parsed.diagnostics)) {
    return { text, changed: false, diagnostics: parsed.diagnostics.filter((d) => d.severity === 'error') };
  }
  const layout = layoutFile(parsed.ast);
  const eol = lineEnding(text, options.lineEnding);
  const formatted = layout.render(0, layout.lines.length - 1, eol, true);
  const problem = verify(parsed.ast, formatted, options.uri);
  if (problem !== null) return { text, changed: false, diagnostics: [], internalError: problem };
  return { text: formatted, changed: formatted !== text, diagnostics: [] };
}

/**
 * Formats the top-level statements that `span` touches (for the editor's "format selection").
 * The edit replaces whole source lines, from the first line of the first statement touched to
 * the last line of the last one, so text outside them is never changed. Never throws.
 */
export function formatRange(text: string, span: FormatSpan, options: FormatOptions = {}): FormatRangeResult {
  const parsed = parse(text, options.uri);
  if (hasErrors(parsed.diagnostics)) {
    return { edits: [], diagnostics: parsed.diagnostics.filter((d) => d.severity === 'error') };
  }
  const whole = layoutFile(parsed.ast);
  const problem = verify(parsed.ast, whole.render(0, whole.lines.length - 1, '\n', true), options.uri);
  if (problem !== null) return { edits: [], diagnostics: [], internalError: problem };

  const from = typeof span.start === 'number' ? span.start : span.start.offset;
  const to = typeof span.end === 'number' ? span.end : span.end.offset;
  const source = whole.source;
  const top = whole.entries.filter((e) => e.container === 0);
  let first = top.findIndex((e) => e.start <= Math.max(from, to) && e.end >= Math.min(from, to));
  if (first === -1) return { edits: [], diagnostics: [] };
  let last = first;
  while (last + 1 < top.length && top[last + 1].start <= Math.max(from, to)) last++;
  // Whole lines: take in statements that share a line with the ones touched (`a; b`).
  while (first > 0 && source.lineOf(top[first - 1].end - 1) >= source.lineOf(top[first].start)) first--;
  while (last + 1 < top.length && source.lineOf(top[last + 1].start) <= source.lineOf(top[last].end - 1)) last++;
  const startLine = source.lineOf(top[first].start);
  const endLine = source.lineOf(top[last].end - 1);
  const spanStart = source.lineStart(startLine);
  const spanEnd = source.lineEnd(endLine);

  const chosen = new Set(top.slice(first, last + 1).map((e) => e.id));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  whole.lines.forEach((l, i) => {
    const inside =
      l.comment !== null ? l.commentOffset >= spanStart && l.commentOffset < spanEnd : chosen.has(whole.topEntryOf(l));
    if (inside) {
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
    }
  });
  const eol = lineEnding(text, options.lineEnding);
  const newText = whole.render(lo, hi, eol, false);
  if (newText === text.slice(spanStart, spanEnd)) return { edits: [], diagnostics: [] };
  return {
    edits: [{ range: { start: positionAt(text, source, spanStart), end: positionAt(text, source, spanEnd) }, newText }],
    diagnostics: [],
  };
}

// ---------------------------------------------------------------------------------------------

interface FileLayout {
  readonly lines: readonly OutputLine[];
  readonly entries: readonly Entry[];
  readonly source: SourceLines;
  /** The top-level statement a line belongs to (-1 for a comment between statements). */
  topEntryOf(line: OutputLine): number;
  /** Lines `from..to` as text; with `finalNewline`, the text ends with one line ending. */
  render(from: number, to: number, eol: string, finalNewline: boolean): string;
}

function layoutFile(ast: RubricFile): FileLayout {
  const writer = new LineWriter();
  new AstPrinter(writer, ast, true).file(ast);
  writer.finish();
  const source = new SourceLines(ast.text);
  const containers: readonly Container[] = writer.containers;
  const entries: readonly Entry[] = writer.entries;
  const lines = placeComments(writer.lines, containers, ast.comments, ast.text, source);
  const blanks = blankLinesBefore(lines, entries, source);
  const topOfEntry = (entry: number): number => {
    let e = entry;
    while (e >= 0 && entries[e].container !== 0) e = containers[entries[e].container].owner;
    return e;
  };
  return {
    lines,
    entries,
    source,
    topEntryOf(line) {
      if (line.entry >= 0) return topOfEntry(line.entry);
      return line.container === 0 ? -1 : topOfEntry(containers[line.container].owner);
    },
    render(from, to, eol, finalNewline) {
      const parts: string[] = [];
      for (let i = from; i <= to; i++) {
        if (i > from && blanks[i]) parts.push('');
        parts.push(renderLine(lines[i]));
      }
      if (parts.length === 0) return '';
      return parts.join(eol) + (finalNewline ? eol : '');
    },
  };
}

function lineEnding(text: string, option: FormatOptions['lineEnding']): string {
  if (option === 'lf') return '\n';
  if (option === 'crlf') return '\r\n';
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/** Why `formatted` does not mean what `original` means, or null when it does. */
function verify(original: RubricFile, formatted: string, uri: string | undefined): string | null {
  const again = parse(formatted, uri);
  if (hasErrors(again.diagnostics)) {
    const first = again.diagnostics[0];
    return `the formatted text does not parse (line ${first.range.start.line}: ${first.message})`;
  }
  if (!sameShape(astShape(original), astShape(again.ast))) return 'the formatted text parses to a different tree';
  const before = original.comments.map((c) => c.text.trimEnd()).sort();
  const after = again.ast.comments.map((c) => c.text.trimEnd()).sort();
  if (before.join('\n') !== after.join('\n')) return 'a comment would be lost';
  return null;
}

function positionAt(text: string, source: SourceLines, offset: number): Position {
  const line = source.lineOf(offset);
  return { offset, line: line + 1, column: offset - source.lineStart(line) + 1 };
}
