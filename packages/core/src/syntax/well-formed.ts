/**
 * Whether text is Unicode text a file can hold: JavaScript strings may carry a UTF-16 surrogate
 * that is not part of a pair (an editor's buffer, a string built in code), which no UTF-8 file,
 * CSV header or SQL identifier can.
 */

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const LONE_SURROGATE_TEST = new RegExp(LONE_SURROGATE);
const UNHOLDABLE_CHARACTERS = new RegExp(`${LONE_SURROGATE}|\\u0000`, 'g');

/** Whether `text` holds a UTF-16 surrogate that is not part of a pair (not valid in UTF-8). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE_TEST.test(text);
}

/**
 * What in `name` no column can be named with, or undefined: half of a surrogate pair (no file,
 * CSV header or SQL identifier holds one) or a NUL character (no SQL identifier holds one).
 */
export function unholdableInName(name: string): 'lone surrogate' | 'NUL' | undefined {
  if (hasLoneSurrogate(name)) return 'lone surrogate';
  if (name.includes('\u0000')) return 'NUL';
  return undefined;
}

/** `text` with its NUL characters and lone surrogates written as `\u{...}` escapes, for a message. */
export function visibleText(text: string): string {
  return text.replace(UNHOLDABLE_CHARACTERS, (ch) => `\\u{${ch.charCodeAt(0).toString(16).toUpperCase()}}`);
}
