/**
 * Positions, slices and names in the source text: what the checker needs to point at a part of
 * the text the tree has no node for (an operator, the keyword `lead`) and to write quick fixes.
 */
import type { Comment, Identifier, Position, Range } from '../syntax/ast.js';

/** Every keyword of the language (a name that is one must be written in backticks). */
export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'lead event let segment group max min score range to when each where within half-life up add sub stage at ' +
    'requires tier test now expect and or not in is set missing true false any no count days since last ' +
    'between starts ends contains has of one list text number bool date from ago hours day days week weeks ' +
    'month months year years hour'
  ).split(' '),
);

const PLAIN_NAME_PART = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** How to write `name` (a dotted name as joined text) in source: backticks where needed. */
export function formatName(name: string): string {
  const parts = name.split('.');
  return parts
    .map((part, i) => {
      const plain = PLAIN_NAME_PART.test(part) && (i > 0 || !KEYWORDS.has(part));
      return plain ? part : `\`${part}\``;
    })
    .join('.');
}

/** A text value as a double-quoted string literal. */
export function quoteText(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

// Two white-space characters in a row, or one that is not a plain space.
const NEEDS_COLLAPSING = /\s\s|[^\S ]/;

/** The text of a file with a line index, so offsets become positions. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    private readonly comments: readonly Comment[] = [],
  ) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** The position of `offset` (clamped to the text). */
  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return { offset: at, line: low + 1, column: at - this.lineStarts[low] + 1 };
  }

  rangeAt(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    const position = this.positionAt(offset);
    return position.offset - (position.column - 1);
  }

  /** The offset of the end of the line holding `offset` (before its newline). */
  lineEnd(offset: number): number {
    const next = this.text.indexOf('\n', offset);
    return next === -1 ? this.text.length : next;
  }

  slice(range: Range): string {
    return this.text.slice(range.start.offset, range.end.offset);
  }

  /**
   * The text of `range` as one line: comments inside it dropped, runs of white space collapsed
   * to one space. Used for rule labels and for quoting conditions in messages.
   */
  collapsed(range: Range): string {
    let out = '';
    let from = range.start.offset;
    // Comments are in source order: start at the first one inside the range.
    const comments = this.comments;
    let low = 0;
    let high = comments.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (comments[mid].range.start.offset < range.start.offset) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < comments.length && comments[i].range.start.offset < range.end.offset; i++) {
      const comment = comments[i];
      if (comment.range.end.offset > range.end.offset) continue;
      out += this.text.slice(from, comment.range.start.offset);
      from = comment.range.end.offset;
    }
    out += this.text.slice(from, range.end.offset);
    // Most slices are one line with single spaces: skip the replace (it copies the string).
    return (NEEDS_COLLAPSING.test(out) ? out.replace(/\s+/g, ' ') : out).trim();
  }

  /**
   * The range of the words between two offsets, white space and comments trimmed: the operator
   * between an operand and its value (`>=`, `ends any`, `is true`). Undefined when empty.
   */
  wordsBetween(from: number, to: number): Range | undefined {
    if (!(from <= to)) return undefined;
    let start = from;
    let end = to;
    const hash = this.text.slice(start, end).indexOf('#');
    if (hash !== -1) end = start + hash;
    while (start < end && /\s/.test(this.text[start])) start++;
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    return start < end ? this.rangeAt(start, end) : undefined;
  }

  /** The leading white space of the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    const match = /^[ \t]*/.exec(this.text.slice(start, this.lineEnd(start)));
    return match === null ? '' : match[0];
  }

  /** True when only white space precedes `offset` on its line. */
  startsLine(offset: number): boolean {
    return this.text.slice(this.lineStart(offset), offset).trim() === '';
  }

  /** How `identifier` is written (with its backticks). */
  written(identifier: Identifier): string {
    return this.slice(identifier.range);
  }
}

/** The range spanning `a` to `b`. */
export function spanRanges(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

/** The 1-based line of a range, for messages. */
export function lineOf(range: Range): number {
  return range.start.line;
}
