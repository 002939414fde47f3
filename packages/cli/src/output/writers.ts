/**
 * Record writers for scored output (CSV with a header, or JSON Lines). Writes are batched and
 * awaited with backpressure, so output never piles up in memory when the destination is slow.
 */
import type { Writable } from 'node:stream';
import { writeWithBackpressure } from '../io.js';

export type OutputFormat = 'csv' | 'jsonl';

/**
 * How CSV output ends its lines and whether it starts with a UTF-8 byte order mark: as the input
 * did (`rubric score` keeps a CRLF file CRLF, and a file with a mark, which Excel needs to read
 * UTF-8, keeps one). The output is always UTF-8.
 */
export interface CsvStyle {
  readonly lineBreak: '\n' | '\r\n';
  readonly bom: boolean;
}

/** LF and no byte order mark. */
export const PLAIN_CSV_STYLE: CsvStyle = { lineBreak: '\n', bom: false };

/**
 * Text gathered before one write: large enough that writing costs little per row, small enough
 * that a slow stream of leads (stdin) sees its scored rows soon.
 */
const BATCH_CHARACTERS = 64 * 1024;

/**
 * Bytes a stream may hold unwritten before a batch waits for it to drain. File streams say
 * "wait" above 16 KiB, so waiting whenever they do would leave the program idle during every
 * write of a 64 KiB batch; with this allowance the file is written while the next rows are
 * scored, and memory still stays bounded when the destination is slow.
 */
const MAX_QUEUED_BYTES = 256 * 1024;

/**
 * Accumulates text and writes it in batches, waiting for the stream to drain. `push` is
 * synchronous for callers that write many rows between awaits; they call `flushIfFull` (or
 * `flush`) at their own pace, so at most one batch of theirs is held on top of `BATCH_CHARACTERS`.
 */
export class BatchedText {
  private pending = '';

  constructor(private readonly stream: Writable) {}

  /** Adds text; nothing is written until `flushIfFull` or `flush`. */
  push(text: string): void {
    // One growing string: V8 concatenates into a rope, flattened once when written.
    this.pending += text;
  }

  async add(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= BATCH_CHARACTERS) await this.flush();
  }

  /** Writes the gathered text once there is a batch of it. */
  async flushIfFull(): Promise<void> {
    if (this.pending.length >= BATCH_CHARACTERS) await this.flush();
  }

  /** Writes the gathered text, then `bytes` (UTF-8 text made elsewhere), waiting as {@link flush} does. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (bytes.length === 0) return;
    const stream = this.stream;
    if (stream.writableLength + bytes.length >= MAX_QUEUED_BYTES || (stream.errored !== null && stream.errored !== undefined)) {
      await writeWithBackpressure(stream, bytes);
      return;
    }
    stream.write(bytes);
  }

  /** The gathered text, taken instead of written (for a writer whose text is written elsewhere). */
  take(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    const stream = this.stream;
    if (stream.writableLength + text.length >= MAX_QUEUED_BYTES || (stream.errored !== null && stream.errored !== undefined)) {
      await writeWithBackpressure(stream, text);
      return;
    }
    // Below the allowance: queued without waiting, even when the stream is past its own mark
    // (its `drain` comes later, for whoever waits next).
    stream.write(text);
  }
}

/** A cell's text in CSV output: numbers as is, null as empty, lists joined with `;`. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return value.map((item) => csvCell(item)).join(';');
  }
  return JSON.stringify(value) ?? '';
}

/**
 * One CSV line (RFC 4180, ending with `lineBreak`, `\n` by default): a field is quoted when it
 * contains the delimiter, a quote, CR or LF, or starts or ends with a space; quotes are doubled.
 * (Encoded here rather than with csv-stringify's per-call API, whose option handling cost a
 * quarter of scoring time.)
 */
export function encodeCsvLine(cells: readonly string[], delimiter: string, lineBreak = '\n'): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += delimiter;
    line += encodeCsvCell(cells[i], delimiter);
  }
  return line + lineBreak;
}

/** One field as {@link encodeCsvLine} writes it: quoted (quotes doubled) only when it must be. */
export function encodeCsvCell(cell: string, delimiter: string): string {
  return needsQuotes(cell, delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Whether a field holds the delimiter, a quote, CR or LF, or starts or ends with a space. One
 * pass over the (short) text for a one-unit delimiter: cheaper than four searches.
 */
function needsQuotes(cell: string, delimiter: string): boolean {
  const length = cell.length;
  if (length === 0) return false;
  if (cell.charCodeAt(0) === 32 || cell.charCodeAt(length - 1) === 32) return true;
  if (delimiter.length !== 1) return cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r');
  const delimiterCode = delimiter.charCodeAt(0);
  for (let i = 0; i < length; i++) {
    const code = cell.charCodeAt(i);
    // 34 `"`, 10 LF, 13 CR: one comparison rules out every character above them.
    if (code === delimiterCode || (code <= 34 && (code === 34 || code === 10 || code === 13))) return true;
  }
  return false;
}

/**
 * Writes CSV: the header first (even when no row follows; after a byte order mark when the style
 * asks for one), then one line per row, each ended as the style says.
 */
export class CsvWriter {
  private readonly out: BatchedText;
  private headerWritten = false;

  constructor(
    stream: Writable,
    private readonly columns: readonly string[],
    private readonly delimiter = ',',
    private readonly style: CsvStyle = PLAIN_CSV_STYLE,
    /** False for lines that go after a header written by another writer (`rubric score` in pieces). */
    writeHeader = true,
  ) {
    this.out = new BatchedText(stream);
    this.headerWritten = !writeHeader;
  }

  /** The lines pushed so far, taken instead of written (see {@link BatchedText.take}). */
  take(): string {
    return this.out.take();
  }

  /** Writes lines made by another writer of the same columns, as UTF-8 (after the header, first). */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.writeHeader();
    await this.out.writeBytes(bytes);
  }

  async writeRow(values: readonly unknown[]): Promise<void> {
    await this.writeHeader();
    await this.out.add(encodeCsvLine(values.map(csvCell), this.delimiter, this.style.lineBreak));
  }

  /**
   * Adds one line already encoded (ending with the style's line break) without writing it yet:
   * for callers that add many rows between awaits and then call {@link flushIfFull}.
   */
  pushLine(line: string): void {
    if (!this.headerWritten) {
      this.headerWritten = true;
      if (this.columns.length > 0) this.out.push(this.headerText());
    }
    this.out.push(line);
  }

  /** The header line, after the byte order mark when the style has one. */
  private headerText(): string {
    const header = encodeCsvLine(this.columns, this.delimiter, this.style.lineBreak);
    return this.style.bom ? `\ufeff${header}` : header;
  }

  /** Writes what {@link pushLine} gathered once there is a batch of it. */
  async flushIfFull(): Promise<void> {
    await this.out.flushIfFull();
  }

  async finish(): Promise<void> {
    await this.writeHeader();
    await this.out.flush();
  }

  private async writeHeader(): Promise<void> {
    if (this.headerWritten) return;
    this.headerWritten = true;
    if (this.columns.length > 0) await this.out.add(this.headerText());
  }
}

/** Writes JSON Lines: one object per line. */
export class JsonLinesWriter {
  private readonly out: BatchedText;

  constructor(stream: Writable) {
    this.out = new BatchedText(stream);
  }

  async writeObject(value: Readonly<Record<string, unknown>>): Promise<void> {
    await this.out.add(`${JSON.stringify(value)}\n`);
  }

  /** Adds one object without writing it yet (see {@link CsvWriter.pushLine}). */
  pushObject(value: Readonly<Record<string, unknown>>): void {
    this.out.push(`${JSON.stringify(value)}\n`);
  }

  /** The lines pushed so far, taken instead of written (see {@link BatchedText.take}). */
  take(): string {
    return this.out.take();
  }

  /** Writes lines made by another writer, as UTF-8. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.out.writeBytes(bytes);
  }

  /** Writes what {@link pushObject} gathered once there is a batch of it. */
  async flushIfFull(): Promise<void> {
    await this.out.flushIfFull();
  }

  async finish(): Promise<void> {
    await this.out.flush();
  }
}
