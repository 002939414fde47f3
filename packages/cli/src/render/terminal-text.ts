/**
 * Text from outside the program — a rule file (labels, test and stage names, source lines), a
 * data file (field values, ids, column names), a file name, a command-line argument — made safe
 * to print on a terminal. A terminal obeys control characters wherever they come from, so a label
 * holding `ESC ] 0 ;` sets the window title, `ESC [ 2 J` clears the screen and a carriage return
 * lets a test name overwrite its own line with a fake `0 failed`. Every text rendering (never
 * JSON, SARIF or CSV: their formats escape what they must) passes such text through
 * {@link terminalText} once, where it is put into the output, and adds its own colours and line
 * breaks after; the renderer's own escapes are thus the only ones that reach the terminal.
 */

/**
 * What is escaped: C0 controls (including tab, line feed and carriage return: in a value they are
 * data, not layout), DEL, C1 controls (U+0080–U+009F: `U+009B` is a one-character CSI on many
 * terminals), and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) that make a terminal show text in another order than it is (Trojan Source).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * How one unsafe character is shown: `\n`, `\r`, `\t`, `\xHH` below U+0100 (`\x1b`, `\x7f`,
 * `\x9b`), else `\uHHHH` (`\u202e`), the way JavaScript writes them; any other character is
 * returned as it is.
 */
export function escapeTerminalChar(ch: string): string {
  if (!UNSAFE.test(ch)) return ch;
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Whether `text` holds a character {@link terminalText} would escape. */
export function hasTerminalControls(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * `text` with every control character, DEL, C1 control and bidirectional override written as an
 * escape (`\x1b`, `\r`, `\u202e`), everything else unchanged. Apply it once, to the text taken
 * from outside, before colouring it or joining it with the renderer's own line breaks.
 */
export function terminalText(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeTerminalChar) : text;
}

/**
 * A copy of plain data (arrays, plain objects, Maps, Sets, nested) with every string — values
 * and Map keys and object keys alike — passed through {@link terminalText}; numbers, booleans,
 * null and non-plain objects (Dates, class instances) are kept as they are. For a text renderer
 * that prints many fields of a document from the data (a back-test, a diff): escaping the
 * document once where it enters the renderer leaves no field to forget. Data without any
 * character to escape is returned as it is, not copied.
 */
export function terminalData<T>(value: T): T {
  return escapeData(value, new Map()) as T;
}

function escapeData(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return terminalText(value);
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  // Reference cycles (none in the documents rendered) end at the original, not in a stack overflow.
  seen.set(value, value);
  let copy: unknown = value;
  let changed = false;
  const escape = (item: unknown): unknown => {
    const escaped = escapeData(item, seen);
    if (escaped !== item) changed = true;
    return escaped;
  };
  if (Array.isArray(value)) {
    const items = value.map(escape);
    if (changed) copy = items;
  } else if (value instanceof Map) {
    const entries = [...value].map(([key, item]) => [escape(key), escape(item)] as const);
    if (changed) copy = new Map(entries);
  } else if (value instanceof Set) {
    const items = [...value].map(escape);
    if (changed) copy = new Set(items);
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const entries = Object.entries(value).map(([key, item]) => [escape(key) as string, escape(item)] as const);
    // fromEntries defines each key (a `__proto__` key stays a key); the prototype is set after.
    if (changed) copy = prototype === null ? Object.setPrototypeOf(Object.fromEntries(entries), null) : Object.fromEntries(entries);
  }
  seen.set(value, copy);
  return copy;
}
