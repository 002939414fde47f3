import type { Range as CoreRange } from '@rubric/core';
import type { Position, Range } from 'vscode-languageserver';

/**
 * Offsets to LSP positions and back for one text: the one place where the server converts between
 * the core's ranges and the client's positions. Lines end at `\n`, `\r\n` or a lone `\r`, as LSP
 * defines them; characters are UTF-16 code units (string offsets). The core does not end a line at
 * a lone `\r` (it reports R002), so its line and column can disagree with the client's: features
 * convert through the core's offsets, never through its line and column.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The offset of an LSP position, clamped to the text (a character past the line end is the end). */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  /**
   * The LSP position of an offset, clamped to the text. An offset between the `\r` and `\n` of a
   * `\r\n` (no position can name it) is the end of its line.
   */
  positionAt(offset: number): Position {
    let clamped = Math.max(0, Math.min(offset, this.text.length));
    if (clamped > 0 && this.text.charCodeAt(clamped - 1) === 13 && this.text.charCodeAt(clamped) === 10) clamped--;
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /** The offset just before the line break of `line` (0-based). */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of a 0-based line, without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.lineStarts.length) return '';
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** The LSP range of the offsets `start` to `end`. */
  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The 0-based LSP line an offset is on. */
  lineAt(offset: number): number {
    return this.positionAt(offset).line;
  }
}

/**
 * A core range as an LSP range of the text `lines` indexes, converted through the range's offsets
 * (its line and column count a lone `\r` as part of the line, the client does not).
 */
export function toLspRange(range: CoreRange, lines: LineIndex): Range {
  return lines.rangeOf(range.start.offset, range.end.offset);
}

/** Whether `offset` lies in `[range.start, range.end]` (the end counts: a cursor just after a name is on it). */
export function containsOffset(range: CoreRange, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/** The source text a core range covers. */
export function sliceRange(text: string, range: CoreRange): string {
  return text.slice(range.start.offset, range.end.offset);
}

/** Whether two LSP ranges are equal. */
export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
