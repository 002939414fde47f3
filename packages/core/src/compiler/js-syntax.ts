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
  return escapeUnsafe(dataJson(value));
}

/**
 * `value` as JSON text, refused (RangeError) when it holds a `__proto__` key or a number that is
 * not finite. Plain data (what the emitters pass: no `toJSON`, no cycles, shallow) is checked by
 * a walk and then given to `JSON.stringify` without a replacer: a replacer is called for every
 * value, and it made this most of the time of emitting a 10,000-rule file's rule table (`META`).
 * Anything else takes the replacer's path, so the text and the errors are the same either way.
 */
function dataJson(value: unknown): string {
  if (isPlainData(value, 0)) return JSON.stringify(value);
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === '__proto__') throw new RangeError('jsData: `__proto__` key');
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`cannot emit the number ${v}`);
    return v;
  });
}

/** Depth past which {@link isPlainData} leaves the value to the replacer (a cycle, or data not ours). */
const MAX_PLAIN_DEPTH = 64;

/**
 * Whether `value` is data `JSON.stringify` writes the same with or without `dataJson`'s replacer
 * that the replacer would not refuse: no `__proto__` key, finite numbers, no `toJSON`, not deeper
 * than {@link MAX_PLAIN_DEPTH}. False sends the value to the replacer, which decides (and throws).
 */
function isPlainData(value: unknown, depth: number): boolean {
  if (typeof value !== 'object') return typeof value !== 'number' || Number.isFinite(value);
  if (value === null) return true;
  if (depth > MAX_PLAIN_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' ? item !== null && !isPlainData(item, depth + 1) : typeof item === 'number' && !Number.isFinite(item)) return false;
    }
    return true;
  }
  // Inherited enumerable keys are looked at too (JSON.stringify skips them): one of them that
  // would be refused only sends the value to the replacer, which writes it exactly.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (key === '__proto__') return false;
    const field = record[key];
    if (typeof field === 'object' ? field !== null && !isPlainData(field, depth + 1) : typeof field === 'number' && !Number.isFinite(field)) return false;
  }
  return true;
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
