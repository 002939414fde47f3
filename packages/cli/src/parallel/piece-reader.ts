/**
 * Cutting a CSV text into pieces of whole records, for scoring them on several threads
 * (worker-pool.ts). A cut goes after a line end outside quotes, which a scan of the quotes finds
 * as the CSV reader reads them (csv.ts): a `"` opens a quoted field only at the start of a field
 * (`5" screen` is a literal quote), and inside one `""` is a quote and any other `"` closes it.
 * The scan follows well-formed quoting only: where the reader recovers from an error (text after
 * a closing quote, a quote that never closes) it can cut inside a record, and the reader of that
 * piece then stops short of its end (`CsvPieceEnd.rest`), which tells the caller to read on
 * from there on the main thread.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The quoting state where a chunk starts, and what the chunk holds. */
interface ChunkScan {
  /** Inside a quoted field at the chunk's start. */
  readonly inside: boolean;
  /** The previous chunk ended with a `"` inside a quoted field: a `"` first in this one makes it `""`. */
  readonly quoteBefore: boolean;
  /** The unit before the chunk (NaN at the start of the text): whether a `"` first in it starts a field. */
  readonly before: number;
  /** Where the chunk's last record boundary is (after a line end outside quotes), or -1. */
  readonly lastBoundary: number;
  /** The state after the chunk. */
  readonly insideAfter: boolean;
  readonly quoteAfter: boolean;
}

/** Scans `text[0..end)` from a state; gives the last boundary and the state at `end`. */
function scanQuotes(
  text: string,
  end: number,
  state: { readonly inside: boolean; readonly quoteBefore: boolean; readonly before: number },
  isFieldStart: (code: number) => boolean,
): { lastBoundary: number; inside: boolean; quoteAfter: boolean } {
  let inside = state.inside;
  let position = 0;
  let lastBoundary = -1;
  if (state.quoteBefore) {
    // The quote that ended the previous chunk: `""` with this one's first, else it closed the field.
    if (end > 0 && text.charCodeAt(0) === QUOTE) position = 1;
    else inside = false;
  }
  for (;;) {
    const quote = text.indexOf('"', position);
    const stop = quote === -1 || quote >= end ? end : quote;
    if (!inside) {
      const newline = stop > position ? text.lastIndexOf('\n', stop - 1) : -1;
      if (newline >= position) lastBoundary = newline + 1;
      if (stop === end) return { lastBoundary, inside: false, quoteAfter: false };
      const previous = quote === 0 ? state.before : text.charCodeAt(quote - 1);
      if (isFieldStart(previous)) inside = true;
      position = quote + 1;
    } else {
      if (stop === end) return { lastBoundary, inside: true, quoteAfter: false };
      if (quote + 1 === end) return { lastBoundary, inside: true, quoteAfter: true };
      if (text.charCodeAt(quote + 1) === QUOTE) {
        position = quote + 2;
      } else {
        inside = false;
        position = quote + 1;
      }
    }
  }
}

/**
 * A piece of the text, as the chunks it was read in (joining them would cost the main thread a
 * copy of every piece): whole records, unless the scan of its quotes was fooled (see above) or
 * no record ends in `MAX_PIECE_SIZES` pieces' worth.
 */
export interface TextPiece {
  readonly chunks: readonly string[];
  /** Its length in UTF-16 units. */
  readonly units: number;
  /**
   * The text ends with it, as far as the reader knows: a piece cut where the text happens to end,
   * before its source said so, is not `last` (its reader then reads it as a piece; nothing
   * follows).
   */
  readonly last: boolean;
}

/** The text of a piece, joined. */
export function pieceText(chunks: readonly string[]): string {
  return chunks.length === 1 ? chunks[0] : chunks.join('');
}

/** A piece with no record boundary is given once it is this many times the piece size. */
const MAX_PIECE_SIZES = 8;

/** Cuts text chunks into pieces that end where a record ends. */
export class PieceReader {
  /** The chunks read and not given yet, and the scan of each. */
  private chunks: string[] = [];
  private scans: ChunkScan[] = [];
  private units = 0;
  private ended = false;
  private isFieldStart: (code: number) => boolean = fieldStartTest(undefined);

  constructor(private readonly source: AsyncIterator<string>) {}

  /** The CSV delimiter, once the header gave it (before, a quote after `,` `;` tab or `|` starts a field). */
  setDelimiter(delimiter: string): void {
    this.isFieldStart = fieldStartTest(delimiter);
    this.rescan();
  }

  /**
   * Puts `text` back before the text not given yet, as the start of a record: what was left of a
   * piece read on the main thread after a cut that was no record boundary.
   */
  unread(text: string): void {
    if (text.length === 0) return;
    this.chunks.unshift(text);
    this.units += text.length;
    this.rescan();
  }

  /**
   * The next piece: the text up to the last record boundary within `size` units, or when there
   * is none, the first chunk's last one after (the rest of the text when it ends first);
   * undefined at the end.
   */
  async next(size: number): Promise<TextPiece | undefined> {
    while (!this.ended && this.units < size) await this.pull();
    for (;;) {
      if (this.ended && this.units <= size) return this.units === 0 ? undefined : this.take(this.chunks.length, 0, true);
      // The chunk that holds the `size`th unit, and where in it.
      let at = 0;
      let offset = size;
      while (at < this.chunks.length - 1 && offset > this.chunks[at].length) {
        offset -= this.chunks[at].length;
        at += 1;
      }
      const within = offset >= this.chunks[at].length ? this.scans[at].lastBoundary : scanQuotes(this.chunks[at], offset, this.scans[at], this.isFieldStart).lastBoundary;
      if (within > 0) return this.take(at, within, false);
      for (let i = at - 1; i >= 0; i--) if (this.scans[i].lastBoundary > 0) return this.take(i, this.scans[i].lastBoundary, false);
      for (let i = at; i < this.chunks.length; i++) if (this.scans[i].lastBoundary > 0) return this.take(i, this.scans[i].lastBoundary, false);
      if (this.ended) return this.take(this.chunks.length, 0, true);
      if (this.units >= MAX_PIECE_SIZES * size) return this.take(this.chunks.length, 0, false);
      await this.pull();
    }
  }

  /** `prefix`, then the text not given as pieces yet: for reading the rest on this thread. */
  async *rest(prefix: string): AsyncGenerator<string> {
    const first = prefix + pieceText(this.chunks);
    this.chunks = [];
    this.scans = [];
    this.units = 0;
    if (first.length > 0) yield first;
    while (!this.ended) {
      const next = await this.source.next();
      if (next.done === true) this.ended = true;
      else yield next.value;
    }
  }

  private async pull(): Promise<void> {
    const next = await this.source.next();
    if (next.done === true) {
      this.ended = true;
      return;
    }
    const chunk = next.value;
    const previous = this.chunks.length === 0 ? undefined : this.chunks[this.chunks.length - 1];
    this.chunks.push(chunk);
    this.scans.push(this.scanAfter(chunk, previous, this.scans[this.scans.length - 1]));
    this.units += chunk.length;
  }

  /** The scan of `chunk` after `previous` and its scan (none: the chunk starts a record). */
  private scanAfter(chunk: string, previous: string | undefined, previousScan: ChunkScan | undefined): ChunkScan {
    const state =
      previous === undefined || previousScan === undefined
        ? { inside: false, quoteBefore: false, before: Number.NaN }
        : { inside: previousScan.insideAfter, quoteBefore: previousScan.quoteAfter, before: previous.charCodeAt(previous.length - 1) };
    const scanned = scanQuotes(chunk, chunk.length, state, this.isFieldStart);
    return { ...state, lastBoundary: scanned.lastBoundary, insideAfter: scanned.inside, quoteAfter: scanned.quoteAfter };
  }

  /** Scans the chunks kept again from the first (which starts a record). */
  private rescan(): void {
    const scans: ChunkScan[] = [];
    this.chunks.forEach((chunk, i) => scans.push(this.scanAfter(chunk, i === 0 ? undefined : this.chunks[i - 1], scans[i - 1])));
    this.scans = scans;
  }

  /** Gives the chunks before `index` and `cut` units of chunk `index` as a piece, keeping the rest. */
  private take(index: number, cut: number, last: boolean): TextPiece {
    const given = this.chunks.slice(0, index);
    let kept = this.chunks.slice(index);
    let keptScans = this.scans.slice(index);
    if (cut > 0) {
      given.push(kept[0].slice(0, cut));
      kept[0] = kept[0].slice(cut);
      // A cut is a record boundary, where the scan was outside quotes: the rest of the chunk it
      // cut is scanned again from a record's start; the chunks after it keep their scans.
      keptScans[0] = this.scanAfter(kept[0], undefined, undefined);
      if (kept[0].length === 0) {
        kept = kept.slice(1);
        keptScans = keptScans.slice(1);
      }
    }
    let units = 0;
    for (const chunk of given) units += chunk.length;
    this.chunks = kept;
    this.scans = keptScans;
    this.units -= units;
    // Cut where the text ends: nothing is left after it (when the source said so already).
    return { chunks: given, units, last: last || (this.ended && this.units === 0) };
  }
}

/** Whether a `"` after a unit of this code starts a field. */
function fieldStartTest(delimiter: string | undefined): (code: number) => boolean {
  if (delimiter === undefined) {
    return (code) => Number.isNaN(code) || code === LF || code === CR || code === 44 || code === 59 || code === 9 || code === 124;
  }
  const last = delimiter.charCodeAt(delimiter.length - 1);
  return (code) => Number.isNaN(code) || code === LF || code === CR || code === last;
}
