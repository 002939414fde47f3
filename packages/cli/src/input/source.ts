import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { isUtf8 } from 'node:buffer';
import { CliError, type CommandContext } from '../context.js';
import { describeFileError } from '../files.js';
import { Utf8Decoder } from './utf8.js';

/**
 * The text encodings a data file is read in (`--encoding`). UTF-8 is the default; a byte order
 * mark at the start of a file decides over it (see {@link decodeChunks}).
 */
export type InputEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** The names `--encoding` accepts (lowercase), and the encoding each means. */
const ENCODING_NAMES: ReadonlyMap<string, InputEncoding> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['windows-1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  // As in every browser (the WHATWG Encoding standard), Latin-1 is read as Windows-1252: the two
  // differ only in bytes 0x80-0x9F, control characters in ISO-8859-1 that real files do not hold,
  // and `€`, `œ`, `’`... in Windows-1252, which files labelled Latin-1 very often do.
  ['latin1', 'windows-1252'],
  ['latin-1', 'windows-1252'],
  ['iso-8859-1', 'windows-1252'],
  ['iso8859-1', 'windows-1252'],
  ['utf-16le', 'utf-16le'],
  ['utf16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
  ['utf16be', 'utf-16be'],
]);

/** What `--encoding` says in its help. */
export const ENCODING_HELP = 'text encoding of the data (and events) file: utf-8 (default), windows-1252, latin1 (read as windows-1252), utf-16le or utf-16be; a byte order mark at the start of a file decides over it';

/**
 * What `--accounts-encoding` says in its help (issue 17): the accounts file is often exported
 * apart from the contacts (a Windows-1252 companies export beside a UTF-8 contacts export).
 */
export const ACCOUNTS_ENCODING_HELP = 'text encoding of the accounts file, as --encoding names them (default: what --encoding says); a byte order mark at its start decides over it';

/**
 * What `--events-encoding` says in its help: the events file is often exported apart from the
 * leads (a Windows-1252 activity export beside a UTF-8 leads export without a BOM).
 */
export const EVENTS_ENCODING_HELP = 'text encoding of the events file, as --encoding names them (default: what --encoding says); a byte order mark at its start decides over it';

/** The encoding `--encoding NAME` names (any case); throws a {@link CliError} for another name. */
export function parseEncoding(name: string): InputEncoding {
  return encodingNamed(name, '--encoding');
}

/** The encoding `--accounts-encoding NAME` names, as {@link parseEncoding} (the error names this option). */
export function parseAccountsEncoding(name: string): InputEncoding {
  return encodingNamed(name, '--accounts-encoding');
}

/** The encoding `--events-encoding NAME` names, as {@link parseEncoding} (the error names this option). */
export function parseEventsEncoding(name: string): InputEncoding {
  return encodingNamed(name, '--events-encoding');
}

/**
 * How the events file is read: `--events-encoding` when given, else `--encoding`'s (a byte order
 * mark decides over both); its notices name `--events-encoding`.
 */
export function eventsReadOptions(encoding: InputEncoding | undefined, eventsEncoding: InputEncoding | undefined): ReadOptions {
  const chosen = eventsEncoding ?? encoding;
  return { ...(chosen === undefined ? {} : { encoding: chosen }), encodingOption: '--events-encoding' };
}

function encodingNamed(name: string, option: string): InputEncoding {
  const encoding = ENCODING_NAMES.get(name.trim().toLowerCase());
  if (encoding === undefined) {
    throw new CliError(`unknown ${option} \`${name}\``, { help: 'use utf-8, windows-1252, latin1 (iso-8859-1), utf-16le or utf-16be' });
  }
  return encoding;
}

/** How a data file is read (options of {@link openInput}). */
export interface ReadOptions {
  /** The encoding when the file has no byte order mark (default UTF-8). */
  readonly encoding?: InputEncoding;
  /**
   * The option that sets this file's encoding, named in the notices that suggest another one
   * (default `--encoding`; `--accounts-encoding` for an accounts file, issue 17).
   */
  readonly encodingOption?: string;
}

/** A byte order mark found (and dropped) at the start of a file. */
export type ByteOrderMark = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The record formats `rubric score` reads. */
export type InputFormat = 'csv' | 'jsonl' | 'json';

export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'jsonl', 'json'];

/** One item read from an input: a CSV header or row, a JSON object, or a record that is unreadable. */
export type InputItem =
  | {
      readonly kind: 'header';
      readonly line: number;
      readonly columns: readonly string[];
      readonly delimiter: string;
      /**
       * The header line's break: `\r\n` or `\r` when it ends so, else `\n` (also for a header
       * with no line break at all). CSV output uses it, so a CRLF file stays CRLF.
       */
      readonly lineBreak: '\n' | '\r\n' | '\r';
    }
  | {
      readonly kind: 'row';
      readonly line: number;
      readonly fields: readonly string[];
      /**
       * Only from a CSV reader asked to keep it (`keepRaw`): the record's text without its line
       * break, when writing its fields again with the same delimiter gives exactly this text (a
       * one-line record, a one-unit delimiter, each field quoted exactly when `encodeCsvCell`
       * quotes it). Absent otherwise: the fields must then be encoded.
       */
      readonly raw?: string;
    }
  | { readonly kind: 'object'; readonly line: number; readonly value: Readonly<Record<string, unknown>> }
  /** Something to tell the user that is not a record (a truncated file). */
  | { readonly kind: 'notice'; readonly message: string }
  | {
      readonly kind: 'bad';
      readonly line: number;
      /** 1-based character column of the problem in its line, when known. */
      readonly column?: number;
      readonly message: string;
      /** The record's text as read (shortened), for the error report. */
      readonly text: string;
    };

/** An opened input: where it comes from, its size when known, and how much has been read. */
export interface InputSource {
  /** As shown in messages (`-` is `stdin`). */
  readonly path: string;
  /** Size in bytes, when it is a regular file (for the progress bar's ETA). */
  readonly size?: number;
  /** Bytes read so far (updated while reading). */
  bytesRead: number;
  /**
   * The encoding the text is decoded from: the byte order mark's, else the one asked for, else
   * UTF-8. Known once `chunks()` has given its first chunk (the asked-for one until then).
   */
  encoding: InputEncoding;
  /** The byte order mark the file starts with (dropped from the text), known like `encoding`. */
  bom: ByteOrderMark | undefined;
  /**
   * Read in another encoding than UTF-8 (`--encoding windows-1252`), its first chunk holds
   * non-ASCII bytes that are all valid UTF-8: most likely a UTF-8 file, whose accents would
   * come out as `Ã©` (see {@link encodingNotice}). Known like `encoding`.
   */
  looksLikeUtf8: boolean;
  /**
   * Read in UTF-8 or Windows-1252 with no byte order mark, its first bytes are UTF-16 text (every
   * other byte NUL): the encoding that reads it (see {@link encodingNotice}). Known like `encoding`.
   */
  looksLikeUtf16: 'utf-16le' | 'utf-16be' | undefined;
  /** The option that sets this file's encoding, for notices (`ReadOptions.encodingOption`); `--encoding` when absent. */
  readonly encodingOption?: string;
  /**
   * The text in chunks (a character never split between two; from UTF-8, invalid bytes as lone
   * surrogates: see {@link decodeChunks}).
   */
  chunks(): AsyncGenerator<string>;
  close(): Promise<void>;
}

/**
 * Opens a data file (or stdin for `-`) for streaming, decoded as `options.encoding` says (see
 * {@link decodeChunks}); throws a {@link CliError} when it cannot.
 */
export async function openInput(context: CommandContext, userPath: string, options: ReadOptions = {}): Promise<InputSource> {
  const encoding = options.encoding;
  const option = options.encodingOption ?? '--encoding';
  if (userPath === '-') return streamSource('stdin', context.io.stdin, undefined, async () => undefined, encoding, option);
  const absolute = context.resolvePath(userPath);
  const shown = context.displayPath(userPath);
  try {
    const handle = await open(absolute, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    }
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return streamSource(shown, fileChunks(handle, info.isFile(), close), info.isFile() ? info.size : undefined, close, encoding, option);
  } catch (error) {
    throw new CliError(`cannot read \`${shown}\`: ${describeFileError(error)}`);
  }
}

/** Bytes read at a time from a file. */
const FILE_CHUNK_BYTES = 64 * 1024;

/**
 * A file's bytes, a chunk at a time, each read into the same buffer: decodeChunks copies what it
 * keeps of a chunk before asking for the next. A regular file is read synchronously: its reads
 * come from the page cache in microseconds, and an asynchronous read made the loop wait for the
 * thread pool once per chunk. Anything else (a named pipe, a device) is read asynchronously, as
 * it may block. Closes the file at its end (`close` may be called again).
 *
 * Measured (`rubric score` of 1,000,000 leads, bench/workloads/simple-fit.rubric, 5 interleaved
 * runs, load ~1): 1.81 s with a read stream (a new 64 KB buffer per chunk, out of the pool),
 * 1.81 s with asynchronous reads into one buffer, 1.73 s with these.
 */
async function* fileChunks(handle: FileHandle, regular: boolean, close: () => Promise<void>): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
  try {
    for (;;) {
      const bytesRead = regular ? readSync(handle.fd, buffer, 0, FILE_CHUNK_BYTES, null) : (await handle.read(buffer, 0, FILE_CHUNK_BYTES, null)).bytesRead;
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await close();
  }
}

function streamSource(shown: string, stream: AsyncIterable<Uint8Array | string>, size: number | undefined, close: () => Promise<void>, requested: InputEncoding | undefined, encodingOption: string): InputSource {
  const encoding = requested ?? 'utf-8';
  const source: InputSource = {
    path: shown,
    encodingOption,
    size,
    bytesRead: 0,
    encoding,
    bom: undefined,
    looksLikeUtf8: false,
    looksLikeUtf16: undefined,
    async *chunks() {
      yield* decodeChunks(
        stream,
        (bytes) => {
          source.bytesRead += bytes;
        },
        encoding,
        (decided) => {
          if (decided.binary !== undefined) {
            throw new CliError(`\`${shown}\` is ${decided.binary.kind}, not a text file: its rows cannot be read`, { help: decided.binary.help });
          }
          source.encoding = decided.encoding;
          source.bom = decided.bom;
          source.looksLikeUtf8 = decided.looksLikeUtf8;
          source.looksLikeUtf16 = decided.looksLikeUtf16;
        },
      );
    },
    close,
  };
  return source;
}

/**
 * Whether a CSV output written from `input` starts with a UTF-8 byte order mark. The output is
 * always UTF-8; it gets a mark when the input had one (UTF-8 or UTF-16), and when the input was
 * Windows-1252: the Excel that saved such a file reads UTF-8 without a mark as Windows-1252, so
 * the scored `Général` would open as `GÃ©nÃ©ral`.
 */
export function writesByteOrderMark(input: { readonly encoding: InputEncoding; readonly bom: ByteOrderMark | undefined }): boolean {
  return input.bom !== undefined || input.encoding === 'windows-1252';
}

/** What the start of a file decided: the encoding its text is read in, and its byte order mark. */
export interface DecodingStart {
  readonly encoding: InputEncoding;
  readonly bom: ByteOrderMark | undefined;
  /** Read in another encoding, the first bytes look like UTF-8 (see `InputSource.looksLikeUtf8`). */
  readonly looksLikeUtf8: boolean;
  /** With no mark, read in a one-byte encoding, the first bytes look like UTF-16 (see `InputSource.looksLikeUtf16`). */
  readonly looksLikeUtf16: 'utf-16le' | 'utf-16be' | undefined;
  /** The first bytes are those of a file that is no text at all (see {@link binaryFileKind}). */
  readonly binary: BinaryFile | undefined;
}

/** A file that is no text, found by its first bytes, and what to do with it. */
export interface BinaryFile {
  readonly kind: string;
  readonly help: string;
}

/** File signatures of what is most often given for a CSV export by mistake. */
const BINARY_SIGNATURES: ReadonlyArray<{ readonly bytes: readonly number[]; readonly file: BinaryFile }> = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    file: { kind: 'a ZIP archive (an Excel .xlsx workbook is one)', help: 'in Excel, File > Save As > CSV UTF-8 (comma delimited); for a zipped export, unzip it first' },
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    file: { kind: 'an Excel 97-2003 workbook (.xls)', help: 'in Excel, File > Save As > CSV UTF-8 (comma delimited)' },
  },
  { bytes: [0x1f, 0x8b], file: { kind: 'gzip-compressed', help: 'decompress it first (`gunzip -k FILE`, or `gunzip -c FILE | rubric ... -` to read it from stdin)' } },
];

/**
 * What the start of a file says it is when it is no text (a workbook, an archive): every record
 * of it would be rejected as invalid UTF-8, so it is refused at once. Undefined for anything
 * else, and for a start too short to tell.
 */
export function binaryFileKind(head: Uint8Array): BinaryFile | undefined {
  for (const { bytes, file } of BINARY_SIGNATURES) {
    if (head.length >= bytes.length && bytes.every((byte, i) => head[i] === byte)) return file;
  }
  return undefined;
}

/**
 * The UTF-16 that `bytes` (the start of a file with no byte order mark) are, or undefined: text
 * (CSV, JSON) is mostly ASCII, which UTF-16 writes as the byte and a NUL; at least half the
 * code units of the first KiB having their NUL on the same side says so, where a UTF-8 or
 * Windows-1252 file has a NUL rarely if ever.
 */
export function looksLikeUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = Math.min(bytes.length, 1024) >> 1;
  if (units < 2) return undefined;
  let le = 0;
  let be = 0;
  for (let i = 0; i < units; i++) {
    const first = bytes[2 * i];
    const second = bytes[2 * i + 1];
    if (first !== 0 && second === 0) le++;
    else if (first === 0 && second !== 0) be++;
  }
  if (2 * le >= units) return 'utf-16le';
  if (2 * be >= units) return 'utf-16be';
  return undefined;
}

/**
 * Whether `bytes` hold a byte above 0x7F and are valid UTF-8 (a sequence cut by the end of the
 * chunk aside): text in another encoding (Windows-1252 `é` is one byte 0xE9 between letters)
 * almost never is.
 */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  let high = -1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      high = i;
      break;
    }
  }
  if (high === -1) return false;
  // Leave out a sequence cut by the end of the chunk: at most 3 bytes, from its lead byte.
  let cut = bytes.length;
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back];
    if (byte < 0x80) break;
    if (byte >= 0xc0) {
      cut = bytes.length - back;
      break;
    }
  }
  return cut > high && isUtf8(bytes.subarray(0, cut));
}

/**
 * The notice for a file read as `--encoding` says although it looks like UTF-8 (undefined when it
 * does not): said once, before its first record. (A byte order mark that overrules `--encoding`
 * is not worth one: `--encoding` is for both files of a run, and a file with a mark says plainly
 * what it is, e.g. a UTF-8 events file beside a Windows-1252 leads file.)
 */
export function encodingNotice(source: InputSource): string | undefined {
  const option = source.encodingOption ?? '--encoding';
  if (source.looksLikeUtf16 !== undefined) {
    const name = source.looksLikeUtf16 === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE';
    return `\`${source.path}\` looks like ${name} without a byte order mark (every other byte is NUL), but is read as ${source.encoding}: run again with ${option} ${source.looksLikeUtf16}`;
  }
  if (!source.looksLikeUtf8 || source.encoding === 'utf-8') return undefined;
  return `\`${source.path}\` is read as ${source.encoding} (${option}), but its first bytes are valid UTF-8: if accented letters come out as \`Ã©\`, it is UTF-8: ${option === '--encoding' ? 'leave --encoding out' : `pass ${option} utf-8`}`;
}

/** Decodes a byte stream chunk by chunk; a character split across chunks is decoded whole. */
interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

/** Node's TextDecoder (full ICU) for the encodings other than UTF-8, streaming. */
class StreamingTextDecoder implements ChunkDecoder {
  private readonly decoder: TextDecoder;

  constructor(encoding: Exclude<InputEncoding, 'utf-8'>) {
    // ignoreBOM: the mark is found and dropped by decodeChunks (a later U+FEFF is data).
    this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
  }

  write(bytes: Uint8Array): string {
    return this.decoder.decode(bytes, { stream: true });
  }

  end(): string {
    return this.decoder.decode();
  }
}

/**
 * The byte order mark `head` starts with and its length; `undefined` when `head` is too short to
 * tell (it may be the start of one) and more bytes may come.
 */
function sniffBom(head: Uint8Array, atEnd: boolean): { bom: ByteOrderMark | undefined; length: number } | undefined {
  const [a, b, c] = head;
  if (head.length >= 3 && a === 0xef && b === 0xbb && c === 0xbf) return { bom: 'utf-8', length: 3 };
  if (head.length >= 2 && a === 0xff && b === 0xfe) return { bom: 'utf-16le', length: 2 };
  if (head.length >= 2 && a === 0xfe && b === 0xff) return { bom: 'utf-16be', length: 2 };
  if (!atEnd) {
    // A prefix of a mark: wait for more.
    if (head.length === 0) return undefined;
    if (head.length === 1 && (a === 0xef || a === 0xff || a === 0xfe)) return undefined;
    if (head.length === 2 && a === 0xef && b === 0xbb) return undefined;
  }
  return { bom: undefined, length: 0 };
}

/**
 * Byte chunks as text chunks, a character split between chunks decoded whole:
 * - a byte order mark at the very start decides the encoding and is dropped (UTF-8 `EF BB BF`,
 *   UTF-16 LE `FF FE`, UTF-16 BE `FE FF`), whatever `encoding` says (as the WHATWG Encoding
 *   standard's decode does: a file starting with one of those is not Windows-1252 text);
 * - else the text is `encoding` (UTF-8 by default);
 * - UTF-8 is decoded with each invalid byte kept as a lone surrogate (see `utf8.ts`; the readers
 *   reject the record holding one, and say once that `--encoding windows-1252` may be the
 *   cure); the other encodings by Node's TextDecoder, streaming (Windows-1252 maps every byte;
 *   UTF-16 that is cut or holds unpaired surrogates gives U+FFFD, as TextDecoder does).
 * `onStart` is told the encoding and the mark once they are known (before the first text).
 */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array | string>,
  onBytes?: (count: number) => void,
  encoding: InputEncoding = 'utf-8',
  onStart?: (start: DecodingStart) => void,
): AsyncGenerator<string> {
  let decoder: ChunkDecoder | undefined;
  /** The first bytes, while they may still be the start of a byte order mark. */
  let head: Uint8Array = new Uint8Array(0);
  /** The decoder `head` decides on, and the bytes after its mark; undefined while it cannot tell. */
  const start = (atEnd: boolean): { decoder: ChunkDecoder; rest: Uint8Array } | undefined => {
    const sniffed = sniffBom(head, atEnd);
    if (sniffed === undefined) return undefined;
    const used = sniffed.bom ?? encoding;
    const utf16 = sniffed.bom === undefined && (used === 'utf-8' || used === 'windows-1252') ? looksLikeUtf16(head) : undefined;
    const binary = sniffed.bom === undefined ? binaryFileKind(head) : undefined;
    onStart?.({ encoding: used, bom: sniffed.bom, looksLikeUtf8: used !== 'utf-8' && sniffed.bom === undefined && looksLikeUtf8(head), looksLikeUtf16: utf16, binary });
    const rest = head.subarray(sniffed.length);
    head = new Uint8Array(0);
    return { decoder: used === 'utf-8' ? new Utf8Decoder() : new StreamingTextDecoder(used), rest };
  };
  for await (const chunk of chunks) {
    let bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(bytes.length);
    if (decoder === undefined) {
      // Copied: a stream may reuse the memory of the chunk it handed over.
      head = head.length === 0 ? Uint8Array.from(bytes) : Buffer.concat([head, bytes]);
      const started = start(false);
      if (started === undefined) continue;
      decoder = started.decoder;
      bytes = started.rest;
    }
    const text = decoder.write(bytes);
    if (text.length > 0) yield text;
  }
  let last = '';
  if (decoder === undefined) {
    // A file shorter than a byte order mark: decided now (at the end, sniffBom always decides).
    const started = start(true) as { decoder: ChunkDecoder; rest: Uint8Array };
    decoder = started.decoder;
    last = decoder.write(started.rest);
  }
  last += decoder.end();
  if (last.length > 0) yield last;
}

/** The format named by a file's extension (`.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`), if any. */
export function formatFromExtension(userPath: string): InputFormat | undefined {
  const extension = path.extname(userPath).toLowerCase();
  if (extension === '.csv' || extension === '.tsv' || extension === '.txt') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.json') return 'json';
  return undefined;
}

/** Shortens a record's text for messages. */
export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\r?\n$/, '');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** `Unexpected token ...` -> a lowercase phrase and the 1-based column (from `position N`). */
export function describeJsonError(error: unknown, columnBase = 1): { message: string; column?: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(raw);
  let message = raw
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  message = message.charAt(0).toLowerCase() + message.slice(1);
  return position === null ? { message } : { message, column: Number(position[1]) + columnBase };
}
