/**
 * A streaming CSV reader (RFC 4180) that reports every unreadable record with its line and
 * column and carries on with the next one. Both engines read CSV with these rules (the DuckDB
 * engine reads a file that is not plain with this very reader).
 *
 * Why not csv-parse: after a malformed quote, csv-parse's `skip_records_with_error` keeps reading
 * in the wrong quoting state and silently drops the good rows that follow; here a bad record
 * costs exactly that record.
 *
 * Reading rules:
 * - Text: decoded by `decodeChunks` (source.ts): UTF-8 unless `--encoding` or a byte order mark
 *   says otherwise; the mark at the very start of the file is dropped, a U+FEFF anywhere else is
 *   data.
 * - Lines: a line ends at `\n`, `\r\n` or a `\r` alone, everywhere (also inside a quoted field).
 *   Lines are numbered from 1; columns count UTF-16 code units from 1. A row is on the line it
 *   starts on; rejections by rules 1 and 4 below name that line, rules 2, 3 and 5 the line and
 *   column of the character at fault (rules 2 and 3 name the record's first line, and the other
 *   line in the message, when that character is on a later line).
 * - Records: a record ends at the first line end outside quotes, or at the end of the file (a
 *   last record needs no line end; a final line end makes no empty record). A field is quoted
 *   when it starts with `"`; inside, `""` is a quote and line ends are data. A `"` inside an
 *   unquoted field is kept literally (`5" screen`).
 * - Blank: a record whose fields are all empty or white space (a blank line, `,,`) is skipped and
 *   not counted at all: it is neither read nor rejected (unless it is too long: rule 1).
 * - Header: the first record that is not blank. It is not a row. Its delimiter (`,`, `;` or tab,
 *   the most frequent outside quotes in its first line) is used for the whole file, and its line
 *   break is given with it (writers keep it: a CRLF file stays CRLF). A header with invalid UTF-8
 *   is still the header (U+FFFD shown for the bad bytes), with the notice of rule 5.
 * - Every other record is either one row or one rejected row (`bad`), so rows read = written +
 *   rejected holds, and the rows read are the records of the file. A record is rejected:
 *   1. when it is longer than MAX_RECORD_BYTES (8 MiB) in bytes of the file, its line end not
 *      counted ("record longer than 8 MiB (8388608 bytes): ..."), whatever else is wrong with it;
 *      reading resumes after the first line end of the record (for a one-line record, right after
 *      it). The record is never held in memory: once it is known to be too long, the rest of its
 *      line is skipped while scanning;
 *   2. on a character after a closing quote (`"a"b,`): reading resumes after the line end of the
 *      line holding that character, or, when the quoted field began on an earlier line, after the
 *      record's first line (its lines are read again as records);
 *   3. on a quote that never closes (end of file): reported at the quote; reading resumes after
 *      the record's first line (the lines after it are read again). A quote that stays open past
 *      8 MiB is rule 1;
 *   4. when it has more or fewer fields than the header ("N fields, but the header has M"): a
 *      one-line record is skipped; one over several lines (a stray quote) is skipped up to its
 *      first line end, and the lines it swallowed are read again;
 *   5. when it holds bytes that are not valid UTF-8, reported at the first one ("bytes that are
 *      not valid UTF-8 (at column C)"); reading resumes after the record (its structure is
 *      sound). Such a record is rejected rather than read with U+FFFD in place of its bytes: a
 *      Windows-1252 file read as UTF-8 would otherwise be scored with `G\ufffdn\ufffdral`, silently
 *      missing every rule on those values. The first invalid byte of the file (header or record)
 *      also gives one notice, before its record, saying where it is and to try
 *      `--encoding windows-1252` (`invalidUtf8Notice`).
 *   The first rule that applies, in this order, gives the message.
 */
import { detectCsvDelimiter, MAX_RECORD_BYTES } from '@rubric/core';
import type { InputItem } from './source.js';
import { excerpt } from './source.js';
import { findLoneSurrogate, invalidUtf8Message, invalidUtf8Notice, replaceLoneSurrogates, utf8ByteLength } from './utf8.js';

export interface CsvOptions {
  /** Field delimiter; detected from the header line (`,`, `;` or tab) when not given. */
  readonly delimiter?: string;
  /** The size limit of one record in bytes (default {@link MAX_RECORD_BYTES}; smaller in tests). */
  readonly maxRecordBytes?: number;
  /**
   * Give each row whose text can be written back unchanged its `raw` text (see {@link InputItem}):
   * for writers that copy the input cells through instead of encoding them again.
   */
  readonly keepRaw?: boolean;
  /** The file as shown in messages, for the notice about invalid UTF-8 (else it names the line only). */
  readonly path?: string;
  /** The option that sets the file's encoding, named by that notice (default `--encoding`). */
  readonly encodingOption?: string;
  /**
   * Reading resumes inside a file whose header was read already (a piece of it, see
   * {@link CsvResume}): its records are all rows, numbered from `resume.line`.
   */
  readonly resume?: CsvResume;
  /**
   * The chunks are a piece of the text, which goes on after them: the last record is read only
   * when its line end is there, and `onPieceEnd` is told where reading stopped (no record is
   * taken as ending where the chunks end).
   */
  readonly onPieceEnd?: (end: CsvPieceEnd) => void;
}

/**
 * Where a reader of a piece of a file starts: the state reading the file up to there left (what
 * {@link CsvPieceEnd} gives), so that reading on from there decides every record as reading the
 * whole file does.
 */
export interface CsvResume {
  /** The header's columns, once read (the piece's records are then all rows). */
  readonly columns: readonly string[] | undefined;
  /** The delimiter, once known (else detected from the header line). */
  readonly delimiter: string | undefined;
  /** The line the piece starts on (1-based). */
  readonly line: number;
  /** Whether the notice about invalid UTF-8 was given already. */
  readonly noticedInvalid: boolean;
  /** Skipping what is left of a rejected record's line; `skippedCr`: that skip ended at a CR (a LF after it is the same line break). */
  readonly skipping: boolean;
  readonly skippedCr: boolean;
}

/** Where reading a piece stopped (see `CsvOptions.onPieceEnd`): a {@link CsvResume} for the text after it, less `rest`. */
export interface CsvPieceEnd extends CsvResume {
  /** UTF-16 units at the end of the piece not read: the start of a record whose end is not in the piece. */
  readonly rest: number;
}

type Parsed =
  | {
      readonly kind: 'record';
      readonly fields: string[];
      /**
       * No field is quoted and none starts or ends with a space (a `"` inside an unquoted field
       * is not looked for here: the caller knows where the quotes are).
       */
      readonly plain: boolean;
      /** Where the record's text ends (its line break, or the end of the text). */
      readonly contentEnd: number;
      /** Where the next record starts (after the line break). */
      readonly end: number;
      /** The line breaks in the record with its own, when known (a record of one line). */
      readonly lineBreaks?: number;
    }
  | { readonly kind: 'incomplete' }
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly at: number;
      /** Where the record is known to be wrong: its size up to here decides whether it is too long. */
      readonly decided: number;
      readonly resume: number;
    };

/** Units kept of a bad record whose end is not read yet before reporting it (the excerpt needs 120). */
const EXCERPT_UNITS = 4096;

/** Reads CSV text chunks into a header item, then row items and bad-record items. */
export async function* readCsv(chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<InputItem> {
  for await (const batch of readCsvBatches(chunks, options)) yield* batch;
}

/**
 * {@link readCsv}'s items, in one batch per text chunk: for readers of millions of rows, where an
 * await per row costs more than parsing it.
 */
export async function* readCsvBatches(chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<InputItem[]> {
  const maxBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  let buffer = '';
  let position = 0;
  const resume = options.resume;
  let line = resume?.line ?? 1;
  let delimiter = resume?.delimiter ?? options.delimiter;
  let header: readonly string[] | undefined = resume?.columns;
  /** Skipping what is left of a rejected record's line, up to and including its line break. */
  let skipping = resume?.skipping ?? false;
  /** The skipped text ended with a CR: a LF right after it is part of the same line break. */
  let skippedCr = resume?.skippedCr ?? false;
  // The next CR and the next lone surrogate (an invalid byte) in the buffer, or -1: found
  // once (each chunk is searched once as it arrives), so most records cost no search at all.
  // Either may fall behind `position`; it is then searched again from there.
  let nextCr = -1;
  let badAt = -1;
  // The next `"` in the buffer, or -1, kept like nextCr: a line without one is split at its
  // delimiters (`quickRecord`), and with keepRaw a row is written back as it is only
  // when it holds none (a quote inside an unquoted field is quoted on output).
  const keepRaw = options.keepRaw === true;
  let nextQuote = -1;
  // The next delimiter at or after `delimiterSearch` in the buffer, or -1 (none there): a line's
  // last field finds the next line's first delimiter, which the next line reuses, so a file
  // whose lines hold no delimiter (one column) is not searched to its end at every line.
  let nextDelimiter = -1;
  let delimiterSearch = Number.POSITIVE_INFINITY; // not searched in this buffer yet
  /** Whether the notice about invalid UTF-8 was given (once per file). */
  let noticedInvalid = resume?.noticedInvalid ?? false;
  // The unfinished record at `position`: its first `measuredUnits` units are `measuredBytes`
  // bytes of the file (counted once as it grows, not again for every chunk).
  let measuredUnits = 0;
  let measuredBytes = 0;
  /** Its length when last parsed: it is parsed again once it has doubled (linear time on long records). */
  let parsedUnits = 0;

  const moveTo = (to: number, lineBreaks: number): void => {
    line += lineBreaks;
    position = to;
    measuredUnits = 0;
    measuredBytes = 0;
    parsedUnits = 0;
  };
  /** Moves past the text up to `end`; `knownBreaks`: its line breaks, when the caller knows them. */
  const consume = (end: number, knownBreaks?: number): void => {
    // The next CR is left behind then: it is searched again from `position` where it is needed.
    if (knownBreaks !== undefined) return moveTo(end, knownBreaks);
    let breaks = countLineBreaks(buffer, position, end, false);
    if (nextCr !== -1 && nextCr < position) nextCr = buffer.indexOf('\r', position);
    for (; nextCr !== -1 && nextCr < end; nextCr = buffer.indexOf('\r', nextCr + 1)) {
      if (buffer.charCodeAt(nextCr + 1) !== LF) breaks += 1; // a CR alone ends a line; CRLF is one break
    }
    moveTo(end, breaks);
  };

  /** Starts a new buffer from what is left of the old one and `chunk`, carrying the searches over. */
  const refill = (chunk: string): void => {
    const kept = buffer.length - position;
    if (nextCr !== -1 && nextCr < position) nextCr = buffer.indexOf('\r', position);
    if (badAt !== -1 && badAt < position) badAt = findLoneSurrogate(buffer, position);
    if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf('"', position);
    // Joined into one flat string, not concatenated: `+` makes a rope, which stays one after
    // V8 flattens it for the first search, and every charCodeAt, indexOf and slice of the
    // buffer then goes through it (reading 200,000 simple-fit leads in process: 116 -> 104 ms).
    buffer = [buffer.slice(position), chunk].join('');
    delimiterSearch = Number.POSITIVE_INFINITY; // positions moved, and the chunk may hold one
    nextCr = nextCr === -1 ? buffer.indexOf('\r', kept) : nextCr - position;
    nextQuote = nextQuote === -1 ? buffer.indexOf('"', kept) : nextQuote - position;
    // From one unit back: a surrogate pair split between chunks looked lone at the end.
    badAt = findLoneSurrogate(buffer, badAt === -1 ? Math.max(0, kept - 1) : badAt - position);
    position = 0;
  };

  /**
   * The record at `position` when it is its line (most lines of most files): its fields are
   * the line split at the delimiter, whole quoted fields unquoted, exactly what
   * {@link parseRecord} finds in such a line. Undefined when a quote needs the full parser
   * (see unquoteWholeFields), or the line's end is not read yet.
   */
  // What quickRecord found, besides the fields (no object per record on this path).
  let quickLine = '';
  let quickContentEnd = 0;
  let quickEnd = 0;
  let quickPlain = false;
  const quickRecord = (atEnd: boolean): string[] | undefined => {
    if (delimiter === undefined || delimiter.length !== 1) return undefined;
    const newline = buffer.indexOf('\n', position);
    if (nextCr !== -1 && nextCr < position) nextCr = buffer.indexOf('\r', position);
    let contentEnd: number;
    let end: number;
    if (nextCr !== -1 && (newline === -1 || nextCr < newline)) {
      contentEnd = nextCr;
      if (nextCr + 1 < buffer.length) end = buffer.charCodeAt(nextCr + 1) === LF ? nextCr + 2 : nextCr + 1;
      else if (atEnd) end = nextCr + 1;
      else return undefined; // a CR at the end of the buffer: a LF may follow
    } else if (newline !== -1) {
      contentEnd = newline;
      end = newline + 1;
    } else if (atEnd) {
      contentEnd = buffer.length;
      end = contentEnd;
    } else {
      return undefined;
    }
    if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf('"', position);
    // The fields are cut from the buffer between delimiters: what `split` on the line gives,
    // without making the line first (a quarter quicker than split). A line with quotes, most
    // often whole quoted fields (`"Smith, Inc"` aside), is cut too, each whole quoted field
    // unquoted, unless a field needs the full parser: as `unquoteWholeFields` on the pieces.
    let quote = nextQuote !== -1 && nextQuote < contentEnd ? nextQuote : -1;
    if (quote !== -1 && delimiter === '"') return undefined;
    const fields: string[] = [];
    // Whether encoding the fields again gives the line back: each field is what
    // `encodeCsvCell` writes for it (quoted only for a space at one end of a value free of
    // quotes, delimiters and line breaks; unquoted with no quote and no space at either end).
    // Only asked for with keepRaw (the events file's rows are never written back).
    let plain = keepRaw;
    for (let start = position; ; ) {
      const next = delimiterFrom(start);
      const stop = next === -1 || next > contentEnd ? contentEnd : next;
      if (quote !== -1 && quote < start) quote = buffer.indexOf('"', start);
      if (quote === -1 || quote >= stop) {
        fields.push(buffer.slice(start, stop));
        // A field starting or ending with a space is quoted on output (encodeCsvLine).
        if (plain && stop > start && (buffer.charCodeAt(start) === SPACE || buffer.charCodeAt(stop - 1) === SPACE)) plain = false;
      } else if (quote > start) {
        // A quote inside an unquoted field: kept as written, and quoted on output.
        fields.push(buffer.slice(start, stop));
        plain = false;
      } else {
        // A whole quoted field (`"` first and last, no other), or the full parser's to read.
        const close = buffer.indexOf('"', start + 1);
        if (close !== stop - 1) return undefined;
        fields.push(buffer.slice(start + 1, close));
        // Written back as read only when quoted for a space at one end of a non-empty value.
        if (plain && !(close - start >= 2 && (buffer.charCodeAt(start + 1) === SPACE || buffer.charCodeAt(close - 1) === SPACE))) plain = false;
      }
      if (stop === contentEnd) break;
      start = stop + 1;
    }
    quickLine = plain ? buffer.slice(position, contentEnd) : '';
    quickContentEnd = contentEnd;
    quickEnd = end;
    quickPlain = plain;
    return fields;
  };

  /** The first delimiter at or after `from` (`delimiter` is one unit here), or -1. */
  const delimiterFrom = (from: number): number => {
    if (from >= delimiterSearch && (nextDelimiter === -1 || nextDelimiter >= from)) return nextDelimiter;
    nextDelimiter = buffer.indexOf(delimiter as string, from);
    delimiterSearch = from;
    return nextDelimiter;
  };

  /** Whether the unfinished record at `position` is already longer than the limit (+1 for a CR awaiting its LF). */
  const pendingTooLong = (): boolean => {
    let end = buffer.length;
    if ((end - position) * 3 <= maxBytes + 1) return false; // a unit is at most 3 bytes
    if (isHighSurrogate(buffer.charCodeAt(end - 1))) end -= 1; // count a pair once it is whole
    if (position + measuredUnits < end) {
      measuredBytes += utf8ByteLength(buffer, position + measuredUnits, end);
      measuredUnits = end - position;
    }
    return measuredBytes > maxBytes + 1;
  };

  /** Skips to after the next line break; false when the text ends first and more is needed. */
  const skip = (atEnd: boolean): boolean => {
    if (!skippedCr) {
      const newline = buffer.indexOf('\n', position);
      const limit = newline === -1 ? buffer.length : newline;
      if (nextCr !== -1 && nextCr < position) nextCr = buffer.indexOf('\r', position);
      const cr = nextCr !== -1 && nextCr < limit ? nextCr - position : -1;
      if (cr === -1 && newline !== -1) {
        moveTo(newline + 1, 1);
        skipping = false;
        return true;
      }
      moveTo(cr === -1 ? buffer.length : position + cr + 1, 0);
      if (cr === -1) {
        if (atEnd) skipping = false;
        return atEnd;
      }
      skippedCr = true;
    }
    if (position >= buffer.length && !atEnd) return false;
    moveTo(position < buffer.length && buffer.charCodeAt(position) === LF ? position + 1 : position, 1);
    skippedCr = false;
    skipping = false;
    return true;
  };

  function drain(atEnd: boolean, out: InputItem[]): void {
    for (;;) {
      if (skipping && !skip(atEnd)) return;
      if (position >= buffer.length) return;
      if (delimiter === undefined) {
        const lineBreak = firstLineBreak(buffer, position);
        if (lineBreak === -1 && !atEnd && buffer.length - position < 64 * 1024) return;
        delimiter = detectCsvDelimiter(buffer.slice(position, Math.min(lineBreak === -1 ? buffer.length : lineBreak, position + 64 * 1024)));
      }
      const startLine = line;
      const pending = buffer.length - position;
      // Parsed before and not twice as long yet: wait for more, unless it may be too long now.
      if (!atEnd && parsedUnits > 0 && pending < 2 * parsedUnits && !pendingTooLong()) return;
      const quick = quickRecord(atEnd);
      if (
        quick !== undefined &&
        header !== undefined &&
        quick.length === header.length &&
        (quickContentEnd - position) * 3 <= maxBytes &&
        !isBlankRecord(quick)
      ) {
        // The usual row, decided here as below (not too long, not blank, not the header, as
        // many fields as the header) unless it holds invalid bytes.
        if (badAt !== -1 && badAt < position) badAt = findLoneSurrogate(buffer, position);
        if (badAt === -1 || badAt >= quickContentEnd) {
          const raw = keepRaw && quickPlain ? quickLine : undefined;
          moveTo(quickEnd, quickEnd > quickContentEnd ? 1 : 0);
          out.push(raw === undefined ? { kind: 'row', line: startLine, fields: quick } : { kind: 'row', line: startLine, fields: quick, raw });
          continue;
        }
      }
      const parsed: Parsed =
        quick !== undefined
          ? { kind: 'record', fields: quick, plain: quickPlain, contentEnd: quickContentEnd, end: quickEnd, lineBreaks: quickEnd > quickContentEnd ? 1 : 0 }
          : parseRecord(buffer, position, atEnd, delimiter);
      if (parsed.kind === 'incomplete') {
        parsedUnits = pending;
        if (!pendingTooLong()) return;
        // Too long, and not finished: rejected now, and the rest of its line skipped
        // without being kept (memory stays bounded whatever the line's length).
        out.push({ kind: 'bad', line: startLine, message: tooLongMessage(maxBytes), text: excerpt(buffer.slice(position, position + EXCERPT_UNITS)) });
        skipping = true;
        continue;
      }
      const decided = parsed.kind === 'record' ? parsed.contentEnd : parsed.decided;
      if ((decided - position) * 3 > maxBytes && utf8ByteLength(buffer, position, decided) > maxBytes) {
        // Rejected whatever else is wrong with it; reading resumes after its first line (its
        // end, for a one-line record), as it would when it is found too long before its end.
        const resume = afterLine(buffer, position, atEnd);
        out.push({
          kind: 'bad',
          line: startLine,
          message: tooLongMessage(maxBytes),
          text: excerpt(buffer.slice(position, resume < 0 ? position + EXCERPT_UNITS : resume)),
        });
        if (resume < 0) skipping = true;
        else consume(resume);
        continue;
      }
      if (parsed.kind === 'error') {
        const { line: errorLine, column } = locate(buffer, position, startLine, parsed.at);
        if (parsed.resume < 0) {
          // The end of its line is not read yet: report it once enough is known for the
          // excerpt, then skip the rest of the line without keeping it.
          if (pending < EXCERPT_UNITS) return;
          out.push({ kind: 'bad', line: errorLine, column, message: parsed.message, text: excerpt(buffer.slice(position)) });
          skipping = true;
          continue;
        }
        if (errorLine > startLine) {
          // The record ran over several lines (a quote opened on its first line and closed
          // later): reject it from its first line and read the following lines again.
          const resume = afterLine(buffer, position, true);
          const text = buffer.slice(position, resume);
          consume(resume);
          out.push({
            kind: 'bad',
            line: startLine,
            message: `${parsed.message} on line ${errorLine}: is a quote on line ${startLine} not closed?`,
            text: excerpt(text),
          });
          continue;
        }
        const text = buffer.slice(position, parsed.resume);
        consume(parsed.resume);
        out.push({ kind: 'bad', line: errorLine, column, message: parsed.message, text: excerpt(text) });
        continue;
      }
      const { fields, end, lineBreaks } = parsed;
      if (isBlankRecord(fields)) {
        consume(end, lineBreaks);
        continue;
      }
      if (badAt !== -1 && badAt < position) badAt = findLoneSurrogate(buffer, position);
      const invalidAt = badAt !== -1 && badAt < parsed.contentEnd ? badAt : -1;
      if (header === undefined) {
        if (invalidAt !== -1) {
          const { line: badLine, column } = locate(buffer, position, startLine, invalidAt);
          noticedInvalid = true;
          out.push({ kind: 'notice', message: invalidUtf8Notice(options.path, badLine, column, true, options.encodingOption) });
        }
        header = invalidAt === -1 ? fields : fields.map(replaceLoneSurrogates);
        const lineBreak = buffer.slice(parsed.contentEnd, end);
        consume(end, lineBreaks);
        out.push({ kind: 'header', line: startLine, columns: header, delimiter, lineBreak: lineBreak === '\r\n' || lineBreak === '\r' ? lineBreak : '\n' });
        continue;
      }
      if (fields.length !== header.length) {
        const multiLine = countLineBreaks(buffer, position, parsed.contentEnd, true) > 0;
        const resume = multiLine ? afterLine(buffer, position, true) : end;
        const text = buffer.slice(position, resume);
        consume(resume);
        out.push({
          kind: 'bad',
          line: startLine,
          message: `${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, but the header has ${header.length}`,
          text: excerpt(text),
        });
        continue;
      }
      if (invalidAt !== -1) {
        const { line: badLine, column } = locate(buffer, position, startLine, invalidAt);
        const text = buffer.slice(position, end);
        consume(end);
        if (!noticedInvalid) {
          noticedInvalid = true;
          out.push({ kind: 'notice', message: invalidUtf8Notice(options.path, badLine, column, false, options.encodingOption) });
        }
        out.push({ kind: 'bad', line: badLine, column, message: invalidUtf8Message(column), text: excerpt(text) });
        continue;
      }
      let raw: string | undefined;
      if (keepRaw && parsed.plain) {
        if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf('"', position);
        // The delimiter is one unit: an unquoted field cannot hold it (a longer one never splits).
        if ((nextQuote === -1 || nextQuote >= parsed.contentEnd) && delimiter.length === 1) raw = buffer.slice(position, parsed.contentEnd);
      }
      consume(end, lineBreaks);
      out.push(raw === undefined ? { kind: 'row', line: startLine, fields } : { kind: 'row', line: startLine, fields, raw });
    }
  }

  for await (const chunk of chunks) {
    refill(chunk);
    const batch: InputItem[] = [];
    drain(false, batch);
    if (batch.length > 0) yield batch;
  }
  if (options.onPieceEnd !== undefined) {
    options.onPieceEnd({ rest: buffer.length - position, line, columns: header, delimiter, noticedInvalid, skipping, skippedCr });
    return;
  }
  refill('');
  const batch: InputItem[] = [];
  drain(true, batch);
  if (batch.length > 0) yield batch;
}

/**
 * Replaces, in place, each piece of a line split at the delimiter that is a whole quoted field
 * (`"` first and last, no other `"`) with its value, and returns true: then the pieces are the
 * fields {@link parseRecord} gives for that line (a field not starting with `"` is taken as
 * written by both, quotes inside included). False, with some pieces already replaced, when a
 * piece starts with `"` but is not such a field (a doubled `""` inside, the delimiter or a line
 * break inside the quotes, text after the closing quote): then only the full parser can tell.
 * The reader's quick path (`quickRecord`) makes the same decision field by field as it cuts a
 * line; this is its definition on pieces (csv-quoted-lines.test.ts holds the two together).
 */
export function unquoteWholeFields(pieces: string[]): boolean {
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.charCodeAt(0) !== QUOTE) continue;
    const last = piece.length - 1;
    if (last < 1 || piece.indexOf('"', 1) !== last) return false;
    pieces[i] = piece.slice(1, last);
  }
  return true;
}

/** Whether every field is empty or white space (a blank record: skipped, not counted). */
function isBlankRecord(fields: readonly string[]): boolean {
  for (let i = 0; i < fields.length; i++) if (fields[i].trim() !== '') return false;
  return true;
}

/** `record longer than 8 MiB (8388608 bytes)...`: the size limit in both units when it is whole MiB. */
function tooLongMessage(maxBytes: number): string {
  const size = maxBytes % (1 << 20) === 0 ? `${maxBytes / (1 << 20)} MiB (${maxBytes} bytes)` : `${maxBytes} bytes`;
  return `record longer than ${size}: is a quote not closed, or are line breaks missing?`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}


/** Parses one record starting at `start`. */
function parseRecord(text: string, start: number, atEnd: boolean, delimiter: string): Parsed {
  const fields: string[] = [];
  const length = text.length;
  // One UTF-16 unit; a delimiter beyond the BMP never matches a unit (as when comparing strings).
  const delimiterCode = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  let plain = true;
  let i = start;
  for (;;) {
    if (text[i] === '"') {
      plain = false;
      const quoteAt = i;
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close === -1) {
          if (!atEnd) return { kind: 'incomplete' };
          return { kind: 'error', message: 'quote not closed', at: quoteAt, decided: text.length, resume: afterLine(text, start, true) };
        }
        value += text.slice(j, close);
        if (close + 1 >= text.length && !atEnd) return { kind: 'incomplete' };
        if (text[close + 1] === '"') {
          value += '"';
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i >= text.length) return atEnd ? { kind: 'record', fields, plain, contentEnd: i, end: i } : { kind: 'incomplete' };
      const next = text[i];
      if (next === delimiter) {
        i += 1;
        continue;
      }
      const end = lineEnd(text, i, atEnd);
      if (end === -2) return { kind: 'incomplete' };
      if (end >= 0) return { kind: 'record', fields, plain, contentEnd: i, end };
      return {
        kind: 'error',
        message: `unexpected ${describeCharacter(text, i)} after a closing quote`,
        at: i,
        decided: i,
        resume: afterLine(text, i, atEnd),
      };
    }
    let stop = i;
    for (; stop < length; stop++) {
      const code = text.charCodeAt(stop);
      if (code === delimiterCode || code === LF || code === CR) break;
    }
    // A field starting or ending with a space is quoted on output (encodeCsvLine).
    if (stop > i && (text.charCodeAt(i) === SPACE || text.charCodeAt(stop - 1) === SPACE)) plain = false;
    if (stop >= text.length) {
      if (!atEnd) return { kind: 'incomplete' };
      fields.push(text.slice(i, stop));
      return { kind: 'record', fields, plain, contentEnd: stop, end: stop };
    }
    fields.push(text.slice(i, stop));
    if (text[stop] === delimiter) {
      i = stop + 1;
      continue;
    }
    const end = lineEnd(text, stop, atEnd);
    if (end === -2) return { kind: 'incomplete' };
    return { kind: 'record', fields, plain, contentEnd: stop, end };
  }
}

/**
 * When `text[i]` ends a line (`\n`, `\r\n`, `\r`), the index after it; -2 when more text is needed
 * to tell (`\r` at the end of the buffer); -1 when it does not end a line.
 */
function lineEnd(text: string, i: number, atEnd: boolean): number {
  if (text[i] === '\n') return i + 1;
  if (text[i] === '\r') {
    if (i + 1 >= text.length) return atEnd ? i + 1 : -2;
    return text[i + 1] === '\n' ? i + 2 : i + 1;
  }
  return -1;
}

/**
 * The index after the first line break (`\n`, `\r\n` or `\r`) at or after `i`; the end of the
 * text when there is none and it is the end; -1 when that is not known yet.
 */
function afterLine(text: string, i: number, atEnd: boolean): number {
  const newline = text.indexOf('\n', i);
  const limit = newline === -1 ? text.length : newline;
  // Only the stretch before the `\n` is searched for a `\r`: most files have none at all.
  const cr = limit > i ? text.slice(i, limit).indexOf('\r') : -1;
  if (cr !== -1) {
    const at = i + cr;
    if (at + 1 < text.length) return text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
    return atEnd ? at + 1 : -1;
  }
  if (newline !== -1) return newline + 1;
  return atEnd ? text.length : -1;
}

/** The index of the first `\n` or `\r` at or after `from`, or -1. */
function firstLineBreak(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  const cr = text.slice(from, newline === -1 ? text.length : newline).indexOf('\r');
  return cr !== -1 ? from + cr : newline;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;

/**
 * The line breaks in a text given in chunks, as the reader counts them (`\n`, `\r\n` and a `\r`
 * alone are one each; a `\r\n` split between two chunks is one).
 */
export function lineBreaksIn(chunks: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    count += countLineBreaks(chunk, 0, chunk.length, true);
    // Counted as a CR alone above; the LF that starts the next chunk is counted with it.
    if (chunk.charCodeAt(chunk.length - 1) === CR && i + 1 < chunks.length && chunks[i + 1].charCodeAt(0) === LF) count -= 1;
  }
  return count;
}

/**
 * The line breaks in `text[from, to)`: each `\n`, and each `\r` not followed by `\n` (a
 * `\r\n` is one). `crs`: whether the text may hold a `\r` at all (when not, only `\n` is looked for).
 */
function countLineBreaks(text: string, from: number, to: number, crs: boolean): number {
  let count = 0;
  // Stop at `to`: a record usually ends with its only newline, and searching on from there
  // would scan the whole next line for nothing.
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = i + 1 < to ? text.indexOf('\n', i + 1) : -1) count += 1;
  if (crs && to > from) {
    const part = text.slice(from, to);
    for (let i = part.indexOf('\r'); i !== -1; i = part.indexOf('\r', i + 1)) {
      if (text.charCodeAt(from + i + 1) !== LF) count += 1;
    }
  }
  return count;
}

/** The 1-based line and column (in UTF-16 units) of `text[at]`, in a record starting at `recordStart` on `recordLine`. */
function locate(text: string, recordStart: number, recordLine: number, at: number): { line: number; column: number } {
  const line = recordLine + countLineBreaks(text, recordStart, at, true);
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1) + 1, text.lastIndexOf('\r', at - 1) + 1, recordStart);
  return { line, column: at - lineStart + 1 };
}

/** The character at `text[i]` for a message: whole (a pair is one character), and visible. */
function describeCharacter(text: string, i: number): string {
  const code = text.codePointAt(i);
  if (code === undefined) return 'end of text';
  if (code === 0x20) return 'space';
  if (code === 0x09) return 'tab';
  // An invalid byte kept by the decoder (utf8.ts), or a lone surrogate given as text.
  if (code >= 0xdc80 && code <= 0xdcff) return `byte 0x${(code - 0xdc00).toString(16).toUpperCase()} (not valid UTF-8)`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfeff || code === 0x200b) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `\`${String.fromCodePoint(code)}\``;
}
