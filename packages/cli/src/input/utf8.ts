/**
 * UTF-8 decoding for data files that keeps invalid bytes visible, so that a record holding
 * them can be rejected on its own (with its line and column) instead of being scored with
 * replacement characters, or failing the whole file.
 *
 * Each byte that is not part of a valid UTF-8 sequence becomes one lone low surrogate,
 * U+DC80 to U+DCFF (U+DC00 plus the byte, Python's "surrogateescape"). Valid UTF-8 never
 * decodes to a lone surrogate (UTF-8-encoded surrogates are themselves invalid), so a lone
 * surrogate in the decoded text always marks an invalid byte, and counts as one byte.
 */
import { Buffer, isUtf8 } from 'node:buffer';

const EMPTY = new Uint8Array(0);

/** Decodes a byte stream chunk by chunk; a character split across chunks is decoded whole. */
export class Utf8Decoder {
  /** Up to 3 bytes at the end of the last chunk that begin a valid but unfinished sequence. */
  private pending: Uint8Array = EMPTY;

  /** The text of `bytes` (plus any sequence left unfinished by the previous chunk). */
  write(bytes: Uint8Array): string {
    let data = bytes;
    if (this.pending.length > 0) {
      data = Buffer.concat([this.pending, bytes]);
      this.pending = EMPTY;
    }
    const cut = completeLength(data);
    // Copied: a stream may reuse the memory of the chunk it handed over.
    if (cut < data.length) this.pending = Uint8Array.from(data.subarray(cut));
    return decodeUtf8(data, 0, cut);
  }

  /** The rest at the end of the stream: an unfinished sequence is invalid bytes. */
  end(): string {
    const rest = this.pending;
    this.pending = EMPTY;
    return decodeUtf8(rest, 0, rest.length);
  }
}

/** `bytes[from, to)` as text, each invalid byte as a lone surrogate (see the module comment). */
export function decodeUtf8(bytes: Uint8Array, from: number, to: number): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer.subarray(from, to))) return buffer.toString('utf8', from, to);
  const parts: string[] = [];
  let runStart = from;
  let i = from;
  while (i < to) {
    if (buffer[i] < 0x80) {
      i += 1;
      continue;
    }
    const length = sequenceLength(buffer, i, to);
    if (length > 0) {
      i += length;
      continue;
    }
    if (runStart < i) parts.push(buffer.toString('utf8', runStart, i));
    parts.push(String.fromCharCode(0xdc00 + buffer[i]));
    i += 1;
    runStart = i;
  }
  if (runStart < to) parts.push(buffer.toString('utf8', runStart, to));
  return parts.join('');
}

/**
 * The length of the valid UTF-8 sequence starting with a non-ASCII byte at `bytes[i]`, or 0
 * when it is not one (bad lead byte, bad or missing continuation, overlong form, surrogate,
 * beyond U+10FFFF).
 */
function sequenceLength(bytes: Uint8Array, i: number, to: number): number {
  const lead = bytes[i];
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > to) return 0;
  const second = bytes[i + 1];
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k];
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/**
 * The length of `bytes` without a trailing sequence that is valid so far but unfinished (it
 * may be completed by the next chunk); the whole length when there is none.
 */
function completeLength(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const at = length - back;
    const byte = bytes[at];
    if (byte < 0x80) return length;
    if (byte <= 0xbf) continue; // a continuation byte: look further back for its lead
    const needed = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (needed <= back) return length;
    // Valid so far? Pad with the smallest continuation the lead allows and check it.
    const probe = new Uint8Array(needed);
    probe.set(bytes.subarray(at));
    const low = byte === 0xe0 ? 0xa0 : byte === 0xf0 ? 0x90 : 0x80;
    for (let k = back; k < needed; k++) probe[k] = k === 1 ? low : 0x80;
    return sequenceLength(probe, 0, needed) > 0 ? at : length;
  }
  return length;
}

/** A lone surrogate: an invalid byte from {@link decodeUtf8}, or one in text given directly. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `String.prototype.isWellFormed` (Node 20): native, many times quicker than the regular expression. */
const isWellFormed: ((text: string) => boolean) | undefined =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : undefined;

/** The index of the first lone surrogate in `text` at or after `from`, or -1. */
export function findLoneSurrogate(text: string, from: number): number {
  // Most text has none: the quick check first (a pair split at `from` only costs the slow path).
  if (isWellFormed !== undefined && isWellFormed(from === 0 ? text : text.slice(from))) return -1;
  LONE_SURROGATE.lastIndex = from;
  const match = LONE_SURROGATE.exec(text);
  return match === null ? -1 : match.index;
}

/**
 * The size in bytes of `text[from, to)` in the file it was decoded from: its UTF-8 length, with
 * each lone surrogate (an invalid byte) counting one.
 */
export function utf8ByteLength(text: string, from: number, to: number): number {
  const part = text.slice(from, to);
  let bytes = Buffer.byteLength(part, 'utf8');
  // Buffer.byteLength counts a lone surrogate as the 3 bytes of U+FFFD.
  for (let at = findLoneSurrogate(part, 0); at !== -1; at = findLoneSurrogate(part, at + 1)) bytes -= 2;
  return bytes;
}

/** Text without invalid bytes: each lone surrogate becomes U+FFFD (for names shown to the user). */
export function replaceLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * The message for a record that holds invalid UTF-8 (agreed with the DuckDB engine; the report
 * puts `FILE:LINE:COLUMN:` in front of it). Short: what to do about it is said once, by
 * {@link invalidUtf8Notice}, not on every rejected row.
 */
export function invalidUtf8Message(column: number): string {
  return `bytes that are not valid UTF-8 (at column ${column})`;
}

/**
 * The notice a reader gives once, at the first byte of a file that is not valid UTF-8 (in the
 * header, or in a record, which is rejected): where it is, what happens to such bytes, and the
 * likely cure (a Windows-1252 file, what Excel saves in Western Europe, read as UTF-8).
 * `sourcePath`: the file as shown in messages, when the reader knows it; `encodingOption`: the
 * option that sets this file's encoding (`--accounts-encoding` for an accounts file).
 */
export function invalidUtf8Notice(sourcePath: string | undefined, line: number, column: number, inHeader: boolean, encodingOption = '--encoding'): string {
  const where = sourcePath === undefined ? `line ${line}` : `\`${sourcePath}\` line ${line}`;
  const what = inHeader ? `the header has bytes that are not valid UTF-8 (at column ${column}, shown as \ufffd)` : `bytes that are not valid UTF-8 (at column ${column})`;
  return `${where}: ${what}; every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try ${encodingOption} windows-1252`;
}
