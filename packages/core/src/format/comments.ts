/**
 * Puts comments back into the printed lines and lays out blank lines.
 *
 * Each comment is attached to the nearest printed token by source position:
 * - a comment with code before it on its line (a trailing comment) stays at the end of the
 *   output line that holds the token just before it; if that line already has one, it goes on
 *   its own line just above that line;
 * - a comment alone on its line goes on its own line just above the output line that holds the
 *   token just after it, at that line's indentation (inside the block when that token is a
 *   closing `}` or `]`); comments after the last token end the file.
 *
 * Blank lines: at most one, only between entries of one container (never right after `{`/`[`,
 * before `}`/`]` or inside a statement), kept where the source had one, and always one between
 * top-level statements of different kinds or where either takes several lines.
 */
import type { Comment } from '../syntax/ast.js';
import { commentLine, type Container, type Entry, type OutputLine } from './layout.js';

interface PlacedAnchor {
  readonly start: number;
  readonly line: number;
}

/** Source line numbers (0-based) by offset. */
export class SourceLines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.starts[line];
  }

  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  isBlank(line: number): boolean {
    return this.text.slice(this.lineStart(line), this.lineEnd(line)).trim() === '';
  }

  get count(): number {
    return this.starts.length;
  }
}

/** Returns the lines with every comment placed (as a trailing comment or a comment line). */
export function placeComments(
  lines: readonly OutputLine[],
  containers: readonly Container[],
  comments: readonly Comment[],
  text: string,
  source: SourceLines,
): OutputLine[] {
  const anchors: PlacedAnchor[] = [];
  lines.forEach((l, i) => {
    for (const a of l.anchors) anchors.push({ start: a.start, line: i });
  });
  anchors.sort((a, b) => a.start - b.start);

  const before = new Map<number, Comment[]>();
  const atEnd: Comment[] = [];
  const putBefore = (line: number, c: Comment): void => {
    const list = before.get(line);
    if (list === undefined) before.set(line, [c]);
    else list.push(c);
  };

  for (const comment of comments) {
    const offset = comment.range.start.offset;
    const lineStart = source.lineStart(source.lineOf(offset));
    const trailing = text.slice(lineStart, offset).trim() !== '';
    if (trailing) {
      const previous = lastAnchorBefore(anchors, offset);
      if (previous !== undefined) {
        const line = lines[previous.line];
        if (line.trailing === null) {
          line.trailing = comment.text.trimEnd();
          line.trailingOffset = offset;
        } else {
          putBefore(previous.line, comment);
        }
        continue;
      }
    }
    const next = firstAnchorFrom(anchors, comment.range.end.offset);
    if (next === undefined) atEnd.push(comment);
    else putBefore(next.line, comment);
  }

  const out: OutputLine[] = [];
  lines.forEach((l, i) => {
    for (const c of before.get(i) ?? []) {
      const text = c.text.trimEnd();
      const offset = c.range.start.offset;
      if (l.closes !== null) {
        const inside = containers[l.closes];
        out.push(commentLine(text, offset, inside.indent, -1, inside.id, true));
      } else if (l.first) {
        out.push(commentLine(text, offset, l.indent, -1, l.container, true));
      } else {
        out.push(commentLine(text, offset, l.indent, l.entry, l.container, false));
      }
    }
    out.push(l);
  });
  for (const c of atEnd) out.push(commentLine(c.text.trimEnd(), c.range.start.offset, 0, -1, 0, true));
  return out;
}

function lastAnchorBefore(anchors: readonly PlacedAnchor[], offset: number): PlacedAnchor | undefined {
  let lo = 0;
  let hi = anchors.length - 1;
  let found: PlacedAnchor | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid].start < offset) {
      found = anchors[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function firstAnchorFrom(anchors: readonly PlacedAnchor[], offset: number): PlacedAnchor | undefined {
  let lo = 0;
  let hi = anchors.length - 1;
  let found: PlacedAnchor | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid].start >= offset) {
      found = anchors[mid];
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return found;
}

/** For each line, whether a blank line goes before it. */
export function blankLinesBefore(lines: readonly OutputLine[], entries: readonly Entry[], source: SourceLines): boolean[] {
  const span = lines.map((l) => sourceSpan(l, source));
  return lines.map((b, j) => {
    if (j === 0) return false;
    const a = lines[j - 1];
    if (b.closes !== null || a.opens !== null || !b.first) return false;
    if (forcedBlank(lines, entries, j)) return true;
    const from = span[j - 1]?.last;
    const to = span[j]?.first;
    if (from === undefined || to === undefined) return false;
    for (let line = from + 1; line < to; line++) if (source.isBlank(line)) return true;
    return false;
  });
}

/** One blank line always separates top-level statements of different kinds, or blocks. */
function forcedBlank(lines: readonly OutputLine[], entries: readonly Entry[], j: number): boolean {
  const a = lines[j - 1];
  const b = lines[j];
  if (a.comment !== null || b.container !== 0) return false;
  const previous = entries[a.entry];
  if (previous === undefined || previous.container !== 0) return false;
  let k = j;
  while (k < lines.length && lines[k].comment !== null && lines[k].container === 0) k++;
  const following = lines[k];
  if (following === undefined || following.comment !== null || !following.first || following.container !== 0) return false;
  const next = entries[following.entry];
  return previous.group !== next.group || previous.multiLine || next.multiLine;
}

function sourceSpan(l: OutputLine, source: SourceLines): { first: number; last: number } | undefined {
  if (l.comment !== null) {
    const line = source.lineOf(l.commentOffset);
    return { first: line, last: line };
  }
  if (l.anchors.length === 0) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const a of l.anchors) {
    first = Math.min(first, source.lineOf(a.start));
    last = Math.max(last, source.lineOf(Math.max(a.start, a.end - 1)));
  }
  if (l.trailingOffset >= 0) last = Math.max(last, source.lineOf(l.trailingOffset));
  return { first, last };
}

/** The text of one output line, without its line ending. */
export function renderLine(l: OutputLine): string {
  const pad = ' '.repeat(l.indent);
  if (l.comment !== null) return `${pad}#${l.comment}`;
  return l.trailing === null ? pad + l.text : `${pad}${l.text} #${l.trailing}`;
}
