/**
 * Whether text is Unicode text a file can hold: JavaScript strings may carry a UTF-16 surrogate
 * that is not part of a pair (an editor's buffer, a string built in code), which no UTF-8 file,
 * CSV header or SQL identifier can.
 */

/** Whether `text` holds a UTF-16 surrogate that is not part of a pair (not valid in UTF-8). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
