/**
 * Streaming readers for JSON Lines (one object per line) and for a JSON array of objects. Both
 * hold one record in memory at a time; an unreadable record is reported with its line (and
 * column when known) and reading goes on with the next.
 */
import { MAX_RECORD_BYTES, MAX_VALUE_DEPTH } from '@rubric/core';
import { CliError } from '../context.js';
import { describeJsonError, excerpt, type InputItem } from './source.js';
import { findLoneSurrogate, invalidUtf8Message, invalidUtf8Notice, utf8ByteLength } from './utf8.js';

/** Options of the JSON readers. */
export interface JsonReadOptions {
  /** The size limit of one record in bytes (default {@link MAX_RECORD_BYTES}; smaller in tests). */
  readonly maxRecordBytes?: number;
  /** The option that sets the file's encoding, named by the invalid-UTF-8 notice (default `--encoding`). */
  readonly encodingOption?: string;
}

/** Units kept of a record that is too long, for its excerpt in the report. */
const EXCERPT_UNITS = 4096;

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

/** What is wrong with a JSON value that parsed, and where in its text (0-based). */
export interface JsonValueProblem {
  readonly message: string;
  readonly offset: number;
}

/**
 * What makes a parsed JSON value unusable although it is valid JSON, or undefined when nothing
 * does: arrays and objects nested more than {@link MAX_VALUE_DEPTH} levels (the value itself is
 * level 1; `outerDepth` levels are around it, 1 for the `events` value of a lead given on its
 * own), then a `\uD800`-style escape that is half of a surrogate pair (it is no character).
 * A value of any depth is safe: the walk stops at the limit, the text scans are loops.
 */
export function jsonValueProblem(value: unknown, text: string, outerDepth = 0): JsonValueProblem | undefined {
  const limit = MAX_VALUE_DEPTH - outerDepth;
  if (nestsDeeper(value, limit)) {
    return { message: `value nests deeper than ${MAX_VALUE_DEPTH} levels`, offset: depthOffset(text, limit) };
  }
  const escape = unpairedSurrogateEscape(text);
  if (escape !== undefined) return { message: `text with an unpaired surrogate \`${escape.text}\``, offset: escape.offset };
  return undefined;
}

/**
 * Whether `value` holds a container deeper than `limit` (itself at level 1). Recursive, but never
 * more than `limit` + 1 calls deep: it stops as soon as a container would pass the limit.
 */
function nestsDeeper(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value as readonly unknown[]) if (typeof item === 'object' && item !== null && nestsDeeper(item, limit - 1)) return true;
    return false;
  }
  const record = value as Readonly<Record<string, unknown>>;
  for (const key in record) {
    const child = record[key];
    if (typeof child === 'object' && child !== null && nestsDeeper(child, limit - 1)) return true;
  }
  return false;
}

/** The index in valid JSON `text` of the bracket that opens level `limit + 1` (0 if none). */
function depthOffset(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth > limit) return i;
    } else if (ch === ']' || ch === '}') depth -= 1;
  }
  return 0;
}

/** The first `\uXXXX` escape in valid JSON `text` that is a lone half of a surrogate pair. */
function unpairedSurrogateEscape(text: string): { readonly text: string; readonly offset: number } | undefined {
  // In valid JSON every backslash starts an escape (they only occur inside strings).
  for (let i = text.indexOf('\\'); i !== -1; ) {
    if (text[i + 1] !== 'u') {
      i = text.indexOf('\\', i + 2);
      continue;
    }
    const code = Number.parseInt(text.slice(i + 2, i + 6), 16);
    if (code >= 0xd800 && code <= 0xdbff && text[i + 6] === '\\' && text[i + 7] === 'u') {
      const low = Number.parseInt(text.slice(i + 8, i + 12), 16);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i = text.indexOf('\\', i + 12);
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) return { text: text.slice(i, i + 6), offset: i };
    i = text.indexOf('\\', i + 6);
  }
  return undefined;
}

/** Line and column of `text[offset]`, where `text` starts at `line`, `column`. */
function positionIn(text: string, offset: number, line: number, column: number): { line: number; column: number } {
  let lines = 0;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    lines += 1;
    lineStart = i;
  }
  return lines === 0 ? { line, column: column + offset } : { line: line + lines, column: offset - lineStart };
}

function tooLongMessage(maxBytes: number): string {
  const size = maxBytes % (1 << 20) === 0 ? `${maxBytes / (1 << 20)} MiB (${maxBytes} bytes)` : `${maxBytes} bytes`;
  return `record longer than ${size}`;
}

/**
 * A record's text as an item: a lead object, or why it is rejected. `column`: where the text
 * starts on `line`. `onInvalid`: told where the first invalid byte is when the record holds one.
 */
function toItem(text: string, line: number, column: number, mayHaveInvalidBytes = true, onInvalid?: (line: number, column: number) => void): InputItem {
  const invalid = mayHaveInvalidBytes ? findLoneSurrogate(text, 0) : -1;
  if (invalid !== -1) {
    const where = positionIn(text, invalid, line, column);
    onInvalid?.(where.line, where.column);
    return { kind: 'bad', ...where, message: invalidUtf8Message(where.column), text: excerpt(text) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { message, column: errorColumn } = describeJsonError(error, column);
    return { kind: 'bad', line, ...(errorColumn !== undefined ? { column: errorColumn } : {}), message: `invalid JSON: ${message}`, text: excerpt(text) };
  }
  const problem = jsonValueProblem(value, text);
  if (problem !== undefined) {
    return { kind: 'bad', ...positionIn(text, problem.offset, line, column), message: problem.message, text: excerpt(text) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'bad', line, message: `expected a lead (a JSON object), found ${describeKind(value)}`, text: excerpt(text) };
  }
  return { kind: 'object', line, value: value as Record<string, unknown> };
}

/**
 * Reads JSON Lines: each line (ended by `\n`) that is not blank is one JSON object. A line
 * longer than the limit is one rejected record; the rest of it is skipped without being kept.
 * (`sourcePath` is not needed: no problem of a JSON Lines file stops the reading.)
 */
export async function* readJsonLines(chunks: AsyncIterable<string>, sourcePath: string, options: JsonReadOptions = {}): AsyncGenerator<InputItem> {
  const maxBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  let pending = '';
  let line = 0; // lines finished
  let skipping = false; // the rest of line `line + 1` is too long: skipped up to its `\n`
  let sawInvalid = false; // a lone surrogate (invalid byte) was seen: lines are checked for one
  let measuredUnits = 0;
  let measuredBytes = 0;
  // The notice about the file's first invalid byte, given once (before its record).
  let invalidNotice: InputItem | undefined;
  let noticedInvalid = false;
  const onInvalid = (where: number, column: number): void => {
    if (noticedInvalid) return;
    noticedInvalid = true;
    invalidNotice = { kind: 'notice', message: invalidUtf8Notice(sourcePath, where, column, false, options.encodingOption) };
  };

  const lineItem = (text: string, number: number): InputItem | undefined => {
    const content = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (content.length * 3 > maxBytes && utf8ByteLength(content, 0, content.length) > maxBytes) {
      return { kind: 'bad', line: number, message: tooLongMessage(maxBytes), text: excerpt(content.slice(0, EXCERPT_UNITS)) };
    }
    if (content.trim() === '') return undefined;
    return toItem(content, number, 1, sawInvalid, onInvalid);
  };

  for await (const chunk of chunks) {
    if (!sawInvalid && findLoneSurrogate(chunk, 0) !== -1) sawInvalid = true;
    const searchFrom = pending.length;
    pending += chunk;
    let start = 0;
    for (let newline = pending.indexOf('\n', searchFrom); newline !== -1; newline = pending.indexOf('\n', start)) {
      line += 1;
      if (skipping) skipping = false;
      else {
        const item = lineItem(pending.slice(start, newline), line);
        if (invalidNotice !== undefined) {
          yield invalidNotice;
          invalidNotice = undefined;
        }
        if (item !== undefined) yield item;
      }
      start = newline + 1;
      measuredUnits = 0;
      measuredBytes = 0;
    }
    pending = skipping ? '' : pending.slice(start);
    if (skipping || pending.length * 3 <= maxBytes + 1) continue;
    let end = pending.length;
    const last = pending.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1; // count a surrogate pair once it is whole
    measuredBytes += utf8ByteLength(pending, measuredUnits, end);
    measuredUnits = end;
    // +1: a `\r` before the `\n` is not part of the line.
    if (measuredBytes > maxBytes + 1) {
      yield { kind: 'bad', line: line + 1, message: tooLongMessage(maxBytes), text: excerpt(pending.slice(0, EXCERPT_UNITS)) };
      skipping = true;
      pending = '';
      measuredUnits = 0;
      measuredBytes = 0;
    }
  }
  if (!skipping) {
    const item = lineItem(pending, line + 1);
    if (invalidNotice !== undefined) yield invalidNotice;
    if (item !== undefined) yield item;
  }
}

/**
 * Reads a JSON array of objects (`[{...}, {...}]`) element by element, without holding the
 * array. The text must start with `[`; an empty file is an empty input.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>, sourcePath: string, options: JsonReadOptions = {}): AsyncGenerator<InputItem> {
  const maxBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  let buffer = '';
  let index = 0;
  let line = 1;
  let started = false;
  let ended = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementStart = -1;
  let elementLine = 0;
  let elementColumn = 0;
  let lineStart = 0; // index in buffer where the current line starts (may be negative after trimming)
  // The element being read is longer than the limit: it is scanned to its end but not kept.
  let elementTooLong = false;
  let sawInvalid = false; // a lone surrogate (invalid byte) was seen: elements are checked for one
  // Its first `measuredUnits` units (from elementStart) are `measuredBytes` bytes of the file.
  let measuredUnits = 0;
  let measuredBytes = 0;
  // The notice about the file's first invalid byte, given once (before its record).
  let noticedInvalid = false;
  let invalidNotice: InputItem | undefined;
  const onInvalid = (where: number, column: number): void => {
    if (noticedInvalid) return;
    noticedInvalid = true;
    invalidNotice = { kind: 'notice', message: invalidUtf8Notice(sourcePath, where, column, false, options.encodingOption) };
  };

  /** The element's item, after the notice about invalid UTF-8 when it is the first to hold some. */
  const elementItems = (text: string): InputItem[] => {
    if (elementTooLong || (text.length * 3 > maxBytes && utf8ByteLength(text, 0, text.length) > maxBytes)) {
      return [{ kind: 'bad', line: elementLine, column: elementColumn, message: tooLongMessage(maxBytes), text: excerpt(text.slice(0, EXCERPT_UNITS)) }];
    }
    const item = toItem(text, elementLine, elementColumn, sawInvalid, onInvalid);
    if (invalidNotice === undefined) return [item];
    const notice = invalidNotice;
    invalidNotice = undefined;
    return [notice, item];
  };

  function* scan(): Generator<InputItem> {
    for (; index < buffer.length; index++) {
      const ch = buffer[index];
      if (ch === '\n') {
        line += 1;
        lineStart = index + 1;
      }
      if (ended) {
        if (/\s/.test(ch)) continue;
        throw new CliError(`\`${sourcePath}\` has text after the array's closing \`]\` (line ${line})`, {
          help: 'a JSON input is one array of leads; for one object per line use --input-format jsonl',
        });
      }
      if (!started) {
        if (/\s/.test(ch)) continue;
        if (ch !== '[') {
          throw new CliError(`\`${sourcePath}\` is not a JSON array: line ${line} starts with \`${ch}\``, {
            help: 'give an array of leads ([{...}, {...}]), or use --input-format jsonl for one object per line',
          });
        }
        started = true;
        continue;
      }
      if (elementStart === -1) {
        if (/\s/.test(ch)) continue;
        if (ch === ']') {
          ended = true;
          continue;
        }
        if (ch === ',') {
          yield { kind: 'bad', line, column: index - lineStart + 1, message: 'invalid JSON: empty array element', text: ',' };
          continue;
        }
        elementStart = index;
        elementLine = line;
        elementColumn = index - lineStart + 1;
        elementTooLong = false;
        measuredUnits = 0;
        measuredBytes = 0;
        depth = 0;
        inString = false;
        escaped = false;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth += 1;
      else if ((ch === '}' || ch === ']') && depth > 0) depth -= 1;
      else if ((ch === ',' || ch === ']') && depth === 0) {
        const text = elementTooLong ? '' : buffer.slice(elementStart, index);
        elementStart = -1;
        if (ch === ']') ended = true;
        yield* elementItems(text);
      }
    }
  }

  for await (const chunk of chunks) {
    if (!sawInvalid && findLoneSurrogate(chunk, 0) !== -1) sawInvalid = true;
    buffer += chunk;
    yield* scan();
    if (elementStart !== -1 && !elementTooLong && (buffer.length - elementStart) * 3 > maxBytes) {
      let end = buffer.length;
      const last = buffer.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end -= 1; // count a surrogate pair once it is whole
      measuredBytes += utf8ByteLength(buffer, elementStart + measuredUnits, end);
      measuredUnits = end - elementStart;
      // Too long already: scanned on to its end, but no longer kept (memory stays bounded).
      if (measuredBytes > maxBytes) elementTooLong = true;
    }
    // Keep only what the current element still needs.
    const keepFrom = elementStart === -1 || elementTooLong ? index : elementStart;
    buffer = buffer.slice(keepFrom);
    index -= keepFrom;
    lineStart -= keepFrom;
    if (elementStart !== -1) elementStart = 0;
  }
  if (started && !ended) {
    if (elementStart !== -1) {
      for (const item of elementItems(elementTooLong ? '' : buffer.slice(elementStart))) {
        yield item.kind === 'bad' ? { ...item, message: `${item.message} (the file ends inside this element)` } : item;
      }
    }
    yield { kind: 'notice', message: `\`${sourcePath}\` ends before the array's closing \`]\` (is the file truncated?)` };
  }
}
