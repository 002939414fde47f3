/**
 * A streaming CSV reader (RFC 4180) that reports every unreadable record with its line and
 * column and carries on with the next one.
 *
 * Why not csv-parse: after a malformed quote, csv-parse's `skip_records_with_error` keeps reading
 * in the wrong quoting state and silently drops the good rows that follow; here a bad record
 * costs exactly that record. Records are re-synchronised at line starts:
 * - a character after a closing quote (`"a"b,`) rejects the record, reading resumes at the next line
 *   (or, when the quoted field began on an earlier line, at the line after the record's first);
 * - a quote that never closes (end of file, or more than {@link MAX_RECORD_LENGTH} characters)
 *   rejects the record at the quote, and reading resumes at the line after the record's first line;
 * - a record with a different number of fields than the header is rejected; when it spans several
 *   lines (a stray quote) reading resumes at its second line, so the rows it swallowed are read.
 *
 * Quotes inside an unquoted field are kept literally (`5" screen`). Blank lines and rows whose
 * fields are all empty are skipped. The first non-blank record is the header.
 */
import type { InputItem } from './source.js';
import { excerpt } from './source.js';

/** A record (even one with an unclosed quote) longer than this is rejected. */
export const MAX_RECORD_LENGTH = 1 << 20;

export interface CsvOptions {
  /** Field delimiter; detected from the header line (`,`, `;` or tab) when not given. */
  readonly delimiter?: string;
}

type Parsed =
  | { readonly kind: 'record'; readonly fields: string[]; readonly end: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'error'; readonly message: string; readonly at: number; readonly resume: number };

/** Reads CSV text chunks into a header item, then row items and bad-record items. */
export async function* readCsv(chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<InputItem> {
  for await (const batch of readCsvBatches(chunks, options)) yield* batch;
}

/**
 * {@link readCsv}'s items, in one batch per text chunk: for readers of millions of rows, where an
 * await per row costs more than parsing it.
 */
export async function* readCsvBatches(chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<InputItem[]> {
  let buffer = '';
  let position = 0;
  let line = 1;
  let delimiter = options.delimiter;
  let header: readonly string[] | undefined;

  const consume = (end: number): void => {
    line += countNewlines(buffer, position, end);
    position = end;
  };

  function* drain(atEnd: boolean): Generator<InputItem> {
    if (delimiter === undefined) {
      const newline = buffer.indexOf('\n', position);
      if (newline === -1 && !atEnd && buffer.length - position < 64 * 1024) return;
      delimiter = detectDelimiter(buffer.slice(position, newline === -1 ? buffer.length : newline));
    }
    while (position < buffer.length) {
      let parsed = parseRecord(buffer, position, atEnd, delimiter);
      if (parsed.kind === 'incomplete') {
        if (atEnd || buffer.length - position <= MAX_RECORD_LENGTH) return;
        parsed = {
          kind: 'error',
          message: `record longer than ${MAX_RECORD_LENGTH} characters (is a quote not closed?)`,
          at: position,
          resume: afterLine(buffer, position, true),
        };
      }
      const startLine = line;
      if (parsed.kind === 'error') {
        if (parsed.resume < 0) return; // need more text to find where the next line starts
        const { line: errorLine, column } = locate(buffer, position, startLine, parsed.at);
        if (errorLine > startLine) {
          // The record ran over several lines (a quote opened on its first line and closed
          // later): reject it from its first line and read the following lines again.
          const resume = afterLine(buffer, position, true);
          const text = buffer.slice(position, resume);
          consume(resume);
          yield {
            kind: 'bad',
            line: startLine,
            message: `${parsed.message} on line ${errorLine}: is a quote on line ${startLine} not closed?`,
            text: excerpt(text),
          };
          continue;
        }
        const text = buffer.slice(position, parsed.resume);
        consume(parsed.resume);
        yield { kind: 'bad', line: errorLine, column, message: parsed.message, text: excerpt(text) };
        continue;
      }
      const { fields, end } = parsed;
      if (fields.every((field) => field.trim() === '')) {
        consume(end);
        continue;
      }
      if (header === undefined) {
        header = fields;
        consume(end);
        yield { kind: 'header', line: startLine, columns: fields, delimiter };
        continue;
      }
      if (fields.length !== header.length) {
        const body = buffer.slice(position, end).replace(/\r?\n$|\r$/, '');
        const multiLine = body.includes('\n');
        const resume = multiLine ? afterLine(buffer, position, true) : end;
        const text = buffer.slice(position, resume);
        consume(resume);
        yield {
          kind: 'bad',
          line: startLine,
          message: `${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, but the header has ${header.length}`,
          text: excerpt(text),
        };
        continue;
      }
      consume(end);
      yield { kind: 'row', line: startLine, fields };
    }
  }

  for await (const chunk of chunks) {
    buffer = buffer.slice(position) + chunk;
    position = 0;
    const batch = [...drain(false)];
    if (batch.length > 0) yield batch;
  }
  buffer = buffer.slice(position);
  position = 0;
  const batch = [...drain(true)];
  if (batch.length > 0) yield batch;
}

/** The delimiter that occurs most in the header line outside quotes (`,` on a tie or none). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [candidate, count] of counts) if (count > (counts.get(best) ?? 0)) best = candidate;
  return best;
}

/** Parses one record starting at `start`. */
function parseRecord(text: string, start: number, atEnd: boolean, delimiter: string): Parsed {
  const fields: string[] = [];
  const length = text.length;
  // One UTF-16 unit; a delimiter beyond the BMP never matches a unit (as when comparing strings).
  const delimiterCode = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  let i = start;
  for (;;) {
    if (text[i] === '"') {
      const quoteAt = i;
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close === -1) {
          if (!atEnd) return { kind: 'incomplete' };
          return { kind: 'error', message: 'quote not closed', at: quoteAt, resume: afterLine(text, start, true) };
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
      if (i >= text.length) return atEnd ? { kind: 'record', fields, end: i } : { kind: 'incomplete' };
      const next = text[i];
      if (next === delimiter) {
        i += 1;
        continue;
      }
      const end = lineEnd(text, i, atEnd);
      if (end === -2) return { kind: 'incomplete' };
      if (end >= 0) return { kind: 'record', fields, end };
      return {
        kind: 'error',
        message: `unexpected ${describeCharacter(next)} after a closing quote`,
        at: i,
        resume: afterLine(text, i, atEnd),
      };
    }
    let stop = i;
    for (; stop < length; stop++) {
      const code = text.charCodeAt(stop);
      if (code === delimiterCode || code === LF || code === CR) break;
    }
    if (stop >= text.length) {
      if (!atEnd) return { kind: 'incomplete' };
      fields.push(text.slice(i, stop));
      return { kind: 'record', fields, end: stop };
    }
    fields.push(text.slice(i, stop));
    if (text[stop] === delimiter) {
      i = stop + 1;
      continue;
    }
    const end = lineEnd(text, stop, atEnd);
    if (end === -2) return { kind: 'incomplete' };
    return { kind: 'record', fields, end };
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

/** The index after the line containing `i` (after its `\n`); the end of text at the end; -1 if unknown yet. */
function afterLine(text: string, i: number, atEnd: boolean): number {
  const newline = text.indexOf('\n', i);
  if (newline !== -1) return newline + 1;
  return atEnd ? text.length : -1;
}

const LF = 10;
const CR = 13;

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  // Stop at `to`: a record usually ends with its only newline, and searching on from there
  // would scan the whole next line for nothing.
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = i + 1 < to ? text.indexOf('\n', i + 1) : -1) count += 1;
  return count;
}

function locate(text: string, recordStart: number, recordLine: number, at: number): { line: number; column: number } {
  const line = recordLine + countNewlines(text, recordStart, at);
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1) + 1, recordStart);
  return { line, column: at - lineStart + 1 };
}

function describeCharacter(ch: string | undefined): string {
  if (ch === undefined) return 'end of text';
  if (ch === ' ') return 'space';
  if (ch === '\t') return 'tab';
  return `\`${ch}\``;
}
