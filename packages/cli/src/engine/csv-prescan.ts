/**
 * A structural pre-scan of a CSV file's raw bytes that tells whether DuckDB's strict RFC 4180
 * reader may read the file directly for `--engine duckdb`: when it says `plain`, the file is in a
 * form both DuckDB and the JavaScript reader read field for field alike, with no record either
 * would reject. Anything else (a quote that never closes, a quote inside an unquoted field, a
 * character after a closing quote, a record with another number of fields than the header, a
 * lone CR, both LF and CRLF line ends, a NUL, bytes that are not valid UTF-8, a byte order mark, a very long record, blank
 * lines before the header) makes the file not plain, and the engine reads it with the JavaScript reader instead,
 * so what is rejected, and why, is decided by one piece of code for both engines.
 *
 * The scan is deliberately stricter than either reader: a false "not plain" costs speed only,
 * a false "plain" would cost correctness.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';

/**
 * A record longer than this (in bytes) is not plain: well under DuckDB's default `max_line_size`
 * (2 MB) and the JavaScript reader's record limit, so neither reader can refuse a plain record.
 */
export const PLAIN_RECORD_BYTES = 512 * 1024;

/** What the pre-scan found. */
export interface CsvPrescan {
  /** Whether DuckDB may read the file directly (see the module comment). */
  readonly plain: boolean;
  /** Why the file is not plain (for tests and debugging); undefined when it is. */
  readonly reason?: string;
  /** Fields of the first record (the header). */
  readonly headerFields: number;
  /** Records after the header, empty lines not counted. */
  readonly records: number;
  /** Empty lines after the header (DuckDB skips them when the header has several fields). */
  readonly emptyLines: number;
  /**
   * Records after the header that may be blank (every field empty or white space, which the
   * JavaScript reader skips): those without a printable ASCII byte outside the delimiters. Zero
   * means no record is blank, so the rows need no blank test.
   */
  readonly maybeBlank: number;
  /** Whether some record spans several lines (a quoted field holding a line end). */
  readonly multiLine: boolean;
  /** Whether some field is quoted (otherwise no field holds the delimiter, a quote, CR or LF). */
  readonly quoted: boolean;
  /**
   * By column (of the header), over the fields after the header: `quoted`, whether some quoted
   * field holds the delimiter, a quote (`""`), CR or LF (its value then needs quotes when written
   * as CSV); `spaced`, whether some field may start or end with a space (an unquoted field that
   * does, or any other quoted field: its ends are not looked at). A column with neither has no
   * cell that needs quotes when written as CSV; one that is only `spaced` needs the test of the
   * spaces at its ends only. (A field quoted in the file needs no quotes in the output when its
   * value holds none of those characters: the output quotes by value, as `encodeCsvLine` does.)
   */
  readonly columns: ReadonlyArray<{ readonly quoted: boolean; readonly spaced: boolean }>;
}

const QUOTE = 0x22;
const SPACE = 0x20;
/** Bits of {@link Cursor.care}: a field may start or end with a space; a quoted field holds the delimiter, a quote, CR or LF. */
const SPACED = 1;
const QUOTED = 2;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  /** Outside quotes: at the start of a field or inside an unquoted one ({@link Cursor.atFieldStart}). */
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either it closes the field or it is the first of `""`. */
  QuoteSeen,
  /** A CR outside quotes: only `\r\n` is plain. */
  AfterCr,
}

/** Where the scan is in the current record. */
interface Cursor {
  fields: number;
  atFieldStart: boolean;
  /** The record has a byte other than its line end. */
  content: boolean;
  /** The record has a printable ASCII byte (0x21-0x7e) that is not the delimiter: it is not blank. */
  solid: boolean;
  /** The first byte of the unquoted field under way, when it began in an earlier chunk (0: none). */
  first: number;
  /** The last byte so far of the unquoted field under way, when it began in an earlier chunk (0: none). */
  prev: number;
  /** Past the header: columns with a quoted field or a space at a field's end are marked in `care`. */
  data: boolean;
  /** By column: bit {@link SPACED} when some field may have a space at either end, {@link QUOTED} when some quoted field holds the delimiter, a quote, CR or LF. */
  care: number[];
}

class NotPlain extends Error {}

/**
 * Scans the file at `absolutePath` (read in chunks: memory stays flat). `delimiter` is the one
 * the JavaScript reader uses for the file; one that is not a single ASCII character (other than
 * a quote, CR or LF) makes the file not plain.
 */
export async function prescanCsv(absolutePath: string, delimiter: string): Promise<CsvPrescan> {
  let headerFields = -1;
  let records = 0;
  let emptyLines = 0;
  let maybeBlank = 0;
  let multiLine = false;
  let quoted = false;
  const cursor: Cursor = { fields: 1, atFieldStart: true, content: false, solid: false, first: 0, prev: 0, data: false, care: [] };
  const columnsSeen = () => Array.from({ length: Math.max(headerFields, 0) }, (_, i) => ({ quoted: ((cursor.care[i] ?? 0) & QUOTED) !== 0, spaced: ((cursor.care[i] ?? 0) & SPACED) !== 0 }));
  const notPlain = (reason: string): CsvPrescan => ({ plain: false, reason, headerFields, records, emptyLines, maybeBlank, multiLine, quoted, columns: columnsSeen() });
  const delim = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  if (delim < 0 || delim >= 0x80 || delim === QUOTE || delim === CR || delim === LF || delim === 0) return notPlain('the delimiter is not one plain ASCII character');

  // The bytes that end a run of an unquoted field's bytes.
  const stops = new Uint8Array(256);
  for (const byte of [delim, QUOTE, CR, LF]) stops[byte] = 1;
  const handle = await open(absolutePath, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let state = State.Unquoted;
    let recordStart = 0; // file offset of the record's first byte
    let offset = 0; // file offset of buffer[0]
    let carry: Buffer = Buffer.alloc(0); // an unfinished UTF-8 sequence at the end of the last chunk
    let first = true;

    let lineEnd: 'LF' | 'CRLF' | undefined;

    /** Ends the record whose line end (`ending`, none at the end of the file) is just before file offset `next`. */
    const endRecord = (next: number, ending: 'LF' | 'CRLF' | undefined): void => {
      if (next - recordStart > PLAIN_RECORD_BYTES) throw new NotPlain('a very long record');
      // DuckDB takes the first line end for all of them and stops at another kind.
      if (ending !== undefined && ending !== (lineEnd ??= ending)) throw new NotPlain('both LF and CRLF line ends');
      recordStart = next;
      if (headerFields < 0) {
        if (!cursor.content) throw new NotPlain('the file does not start with its header');
        headerFields = cursor.fields;
      } else if (!cursor.content) {
        emptyLines += 1;
      } else if (cursor.fields !== headerFields) {
        throw new NotPlain(`a record has ${cursor.fields} fields, the header ${headerFields}`);
      } else {
        records += 1;
        if (!cursor.solid) maybeBlank += 1;
      }
      cursor.fields = 1;
      cursor.atFieldStart = true;
      cursor.content = false;
      cursor.solid = false;
      cursor.data = headerFields >= 0;
    };

    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        let i = 0;
        if (first) {
          first = false;
          // A file with a byte order mark (UTF-8's; UTF-16's are not UTF-8 anyway) is read by the
          // JavaScript reader, which decodes it and notes the mark for the output (issue 14).
          if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) throw new NotPlain('a byte order mark');
        }
        if (chunk.indexOf(0) !== -1) throw new NotPlain('a NUL byte');
        // UTF-8 is checked up to the start of the chunk's last multi-byte sequence, which may be
        // cut by the chunk's end: it is checked with the next chunk.
        let cut = chunk.length;
        while (cut > 0 && chunk.length - cut < 3 && (chunk[cut - 1] & 0xc0) === 0x80) cut -= 1;
        if (cut === 0 || chunk[cut - 1] < 0xc0) cut = chunk.length;
        else cut -= 1;
        const checked = carry.length === 0 ? chunk.subarray(0, cut) : Buffer.concat([carry, chunk.subarray(0, cut)]);
        if (!isUtf8(checked)) throw new NotPlain('bytes that are not valid UTF-8');
        carry = Buffer.from(chunk.subarray(cut));

        // One step per quote or line end (the bytes between are skipped in a small hot loop).
        const length = chunk.length;
        while (i < length) {
          if (state === State.Unquoted) {
            i = scanUnquoted(chunk, i, delim, cursor, stops);
            if (i === length) break;
            const byte = chunk[i];
            if (byte === LF) endRecord(offset + i + 1, 'LF');
            else if (byte === CR) state = State.AfterCr;
            else {
              if (!cursor.atFieldStart) throw new NotPlain('a quote inside an unquoted field');
              cursor.content = true;
              quoted = true;
              // Its ends are not looked at: it may start or end with a space (QUOTED below when it
              // holds a character that needs quotes whatever its ends).
              if (cursor.data) cursor.care[cursor.fields - 1] |= SPACED;
              state = State.Quoted;
            }
            i += 1;
            continue;
          }
          if (state === State.Quoted) {
            const close = chunk.indexOf(QUOTE, i);
            const end = close === -1 ? length : close;
            // Quoted bytes: rare enough to look at (a line end makes a record of several lines).
            let special = false;
            for (let j = i; j < end; j++) {
              const byte = chunk[j];
              if (byte === LF || byte === CR) {
                multiLine = true;
                special = true;
              } else if (byte > 0x20 && byte < 0x7f) {
                cursor.solid = true;
                if (byte === delim) special = true;
              } else if (byte === delim) special = true;
            }
            if (special && cursor.data) cursor.care[cursor.fields - 1] |= QUOTED;
            if (close === -1) {
              i = length;
              break;
            }
            i = close + 1;
            state = State.QuoteSeen;
            continue;
          }
          const byte = chunk[i];
          if (state === State.QuoteSeen) {
            if (byte === QUOTE) {
              // `""` inside a quoted field is a quote: a printable character, which needs quotes.
              cursor.solid = true;
              if (cursor.data) cursor.care[cursor.fields - 1] |= QUOTED;
              state = State.Quoted;
            } else if (byte === delim) {
              cursor.fields += 1;
              cursor.atFieldStart = true;
              state = State.Unquoted;
            } else if (byte === LF) {
              endRecord(offset + i + 1, 'LF');
              state = State.Unquoted;
            } else if (byte === CR) state = State.AfterCr;
            else throw new NotPlain('a character after a closing quote');
          } else {
            if (byte !== LF) throw new NotPlain('a CR that does not end a line');
            endRecord(offset + i + 1, 'CRLF');
            state = State.Unquoted;
          }
          i += 1;
        }
        offset += bytesRead;
        if (offset - recordStart > PLAIN_RECORD_BYTES) throw new NotPlain('a very long record');
      }
      if (carry.length > 0 && !isUtf8(carry)) throw new NotPlain('bytes that are not valid UTF-8');
      if (state === State.Quoted) throw new NotPlain('a quote that is not closed');
      if (state === State.AfterCr) throw new NotPlain('a CR that does not end a line');
      if (cursor.content) endRecord(offset, undefined);
      if (headerFields < 0) return notPlain('no header');
      return { plain: true, headerFields, records, emptyLines, maybeBlank, multiLine, quoted, columns: columnsSeen() };
    } catch (error) {
      if (error instanceof NotPlain) return notPlain(error.message);
      throw error;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Skips the bytes of unquoted fields from `i` on, counting delimiters into `cursor`; returns the
 * index of the first quote or line-end byte (the end of `chunk` when none). A small loop, so that
 * it is optimised at once: nearly every byte of a plain file goes through it; what is noted about
 * a field (a space at either end, a printable byte) is looked at once per field, when it ends.
 */
function scanUnquoted(chunk: Buffer, i: number, delim: number, cursor: Cursor, stops: Uint8Array): number {
  const length = chunk.length;
  let { fields, atFieldStart, content } = cursor;
  let fieldStart = i;
  for (;;) {
    // A field's other bytes: one table load per byte (`stops` marks the delimiter, quote, CR, LF).
    const from = i;
    while (i < length && stops[chunk[i]] === 0) i++;
    if (i > from) {
      atFieldStart = false;
      content = true;
    }
    if (i === length || chunk[i] !== delim) break;
    endField(cursor, chunk, fieldStart, i, fields);
    fields += 1;
    atFieldStart = true;
    content = true;
    i += 1;
    fieldStart = i;
  }
  if (i < length) {
    // A line end ends the record's last field; a quote starts a quoted field (nothing before it).
    if (chunk[i] !== QUOTE) endField(cursor, chunk, fieldStart, i, fields);
  } else if (i > fieldStart) {
    // The field goes on in the next chunk: its first and last bytes so far are kept.
    if (cursor.first === 0) cursor.first = chunk[fieldStart];
    cursor.prev = chunk[i - 1];
  }
  cursor.fields = fields;
  cursor.atFieldStart = atFieldStart;
  cursor.content = content;
  return i;
}

/**
 * Notes an unquoted field that ends at `end` (its bytes in this chunk from `start`; earlier ones
 * are in `cursor.first` and `cursor.prev`): a space at either end marks its column (past the
 * header), a printable first or last byte makes the record not blank.
 */
function endField(cursor: Cursor, chunk: Buffer, start: number, end: number, fields: number): void {
  const first = cursor.first !== 0 ? cursor.first : end > start ? chunk[start] : 0;
  const last = end > start ? chunk[end - 1] : cursor.prev;
  cursor.first = 0;
  cursor.prev = 0;
  if (first === 0) return;
  if (cursor.data && (first === SPACE || last === SPACE)) cursor.care[fields - 1] |= SPACED;
  if ((first > 0x20 && first < 0x7f) || (last > 0x20 && last < 0x7f)) cursor.solid = true;
}
