/**
 * Streaming readers for JSON Lines (one object per line) and for a JSON array of objects. Both
 * hold one record in memory at a time; an unreadable record is reported with its line (and
 * column when known) and reading goes on with the next.
 */
import { CliError } from '../context.js';
import { describeJsonError, excerpt, type InputItem } from './source.js';

/** A single record (line or array element) longer than this is an error. */
export const MAX_JSON_RECORD_LENGTH = 16 * (1 << 20);

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

function toItem(text: string, line: number, columnBase: number): InputItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { message, column } = describeJsonError(error, columnBase);
    return { kind: 'bad', line, ...(column !== undefined ? { column } : {}), message: `invalid JSON: ${message}`, text: excerpt(text) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'bad', line, message: `expected a lead (a JSON object), found ${describeKind(value)}`, text: excerpt(text) };
  }
  return { kind: 'object', line, value: value as Record<string, unknown> };
}

/** Reads JSON Lines: each non-blank line is one JSON object. */
export async function* readJsonLines(chunks: AsyncIterable<string>, sourcePath: string): AsyncGenerator<InputItem> {
  let pending = '';
  let line = 0;
  for await (const chunk of chunks) {
    pending += chunk;
    let newline = pending.indexOf('\n');
    let start = 0;
    while (newline !== -1) {
      line += 1;
      const text = pending.slice(start, newline);
      if (text.trim() !== '') yield toItem(text, line, 1);
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (pending.length > MAX_JSON_RECORD_LENGTH) {
      throw new CliError(`\`${sourcePath}\` line ${line + 1} is longer than ${MAX_JSON_RECORD_LENGTH} characters`, {
        help: 'JSON Lines needs one lead per line; for one JSON document use --input-format json',
      });
    }
  }
  if (pending.trim() !== '') yield toItem(pending, line + 1, 1);
}

/**
 * Reads a JSON array of objects (`[{...}, {...}]`) element by element, without holding the
 * array. The text must start with `[`; an empty file is an empty input.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>, sourcePath: string): AsyncGenerator<InputItem> {
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
        const text = buffer.slice(elementStart, index);
        elementStart = -1;
        if (ch === ']') ended = true;
        yield toItem(text, elementLine, elementColumn);
      }
    }
  }

  for await (const chunk of chunks) {
    buffer += chunk;
    yield* scan();
    // Keep only what the current element still needs.
    const keepFrom = elementStart === -1 ? index : elementStart;
    buffer = buffer.slice(keepFrom);
    index -= keepFrom;
    lineStart -= keepFrom;
    if (elementStart !== -1) elementStart = 0;
    if (buffer.length > MAX_JSON_RECORD_LENGTH) {
      throw new CliError(`\`${sourcePath}\`: the array element starting at line ${elementLine} is longer than ${MAX_JSON_RECORD_LENGTH} characters`, {
        help: 'is a bracket or quote not closed?',
      });
    }
  }
  if (started && !ended) {
    if (elementStart !== -1) {
      const item = toItem(buffer.slice(elementStart), elementLine, elementColumn);
      yield item.kind === 'bad' ? { ...item, message: `${item.message} (the file ends inside this element)` } : item;
    }
    yield { kind: 'notice', message: `\`${sourcePath}\` ends before the array's closing \`]\` (is the file truncated?)` };
  }
}
