/**
 * Safe JavaScript literals. Everything the emitters take from a rule file or a model goes
 * through these: no user text ever becomes an identifier, a key of an object literal written
 * with `__proto__` semantics, or unescaped source.
 */

// Inside JSON text these characters can only occur in string literals, so replacing them with
// `\uXXXX` escapes keeps the meaning while making the output ASCII-only and inert in every
// embedding: no U+2028/2029 line breaks, no `</script>` or `<!--`, no backtick or `${`.
const UNSAFE_IN_JSON = /[\u007f-\uffff<>`$]/g;

function escapeUnsafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JavaScript string literal (double-quoted, ASCII-only) whose value is exactly `text`. */
export function jsString(text: string): string {
  return escapeUnsafe(JSON.stringify(text));
}

/** A JavaScript numeric literal for a finite number (parenthesised when negative). */
export function jsNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot emit the number ${value}`);
  if (value === 0) return '0';
  const text = String(value);
  return value < 0 ? `(${text})` : text;
}

/**
 * A JavaScript expression for plain data (strings, finite numbers, booleans, null, arrays and
 * objects whose keys are ours). Never emits a `__proto__` key with prototype semantics.
 */
export function jsData(value: unknown): string {
  const json = JSON.stringify(value, (key, v: unknown) => {
    if (key === '__proto__') throw new RangeError('jsData: `__proto__` key');
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`cannot emit the number ${v}`);
    return v;
  });
  return escapeUnsafe(json);
}

/**
 * An object literal key for arbitrary text: a computed key for `__proto__` (a plain
 * `"__proto__":` key would set the prototype instead of creating a property).
 */
export function jsKey(name: string): string {
  return name === '__proto__' ? `[${jsString(name)}]` : jsString(name);
}

/** A TypeScript/JavaScript comment-safe rendering of text (for generated comments). */
export function commentText(text: string): string {
  return escapeUnsafe(JSON.stringify(text)).replace(/\*\//g, '*\\/');
}
