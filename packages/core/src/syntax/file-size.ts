/**
 * The size limit on a rule file (R040): a file over {@link MAX_RULE_FILE_BYTES} is refused as a
 * whole, before it is lexed, so no text can make the parser or the checker run for minutes or
 * hold gigabytes. Checked by `parse` (and so by `analyze` and `format`); the CLI checks the size
 * on disk before reading, so it never reads an unbounded file into memory.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_RULE_FILE_BYTES } from '../limits.js';
import type { RubricFile } from './ast.js';

/** The size of `text` in UTF-8 bytes (a lone surrogate counts 3, as the replacement character). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `12345678` as `12,345,678` (no locale: the same in every environment). */
function grouped(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? String(mb) : mb.toFixed(1)} MB`;
}

/**
 * The R040 diagnostic for a rule file of `bytes` bytes (`exact` false: at least that many, when
 * the file was read only up to the limit). Reported at 1:1; the file is not parsed.
 */
export function ruleFileTooLarge(bytes: number, exact = true): Diagnostic {
  const at = { offset: 0, line: 1, column: 1 };
  const size = exact ? `${grouped(bytes)} bytes (${megabytes(bytes)})` : `more than ${grouped(MAX_RULE_FILE_BYTES)} bytes`;
  return {
    code: 'R040',
    severity: 'error',
    message: `this rule file is ${size}; a rule file can be at most ${grouped(MAX_RULE_FILE_BYTES)} bytes (${megabytes(MAX_RULE_FILE_BYTES)}), so it was not read`,
    help: `split the rules into several files of at most ${megabytes(MAX_RULE_FILE_BYTES)} each; the limit keeps checking a file, and re-checking it in the editor, within seconds and bounded memory`,
    range: { start: at, end: at },
  };
}

/** The tree of a refused file: no statements, no comments. */
export function refusedFile(uri: string, text: string): RubricFile {
  const at = { offset: 0, line: 1, column: 1 };
  return { kind: 'RubricFile', uri, text, statements: [], comments: [], range: { start: at, end: at } };
}

/** The size of `text` when it is over {@link MAX_RULE_FILE_BYTES}, else undefined. */
export function oversizeOf(text: string): number | undefined {
  // Every UTF-16 unit is at most three bytes, so most texts need no count.
  if (text.length * 3 <= MAX_RULE_FILE_BYTES) return undefined;
  const bytes = utf8ByteLength(text);
  return bytes > MAX_RULE_FILE_BYTES ? bytes : undefined;
}
