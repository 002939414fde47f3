/**
 * Text folding: the one definition of "equal text" in Rubric, shared by every target.
 *
 * 1. Trim space, tab, CR, LF and U+00A0 at both ends.
 * 2. Map each character 1:1: A–Z and the letters of Latin-1 Supplement and Latin Extended-A to
 *    their lowercase unaccented letter (`É`→`e`, `ç`→`c`, `Ø`→`o`, `Ł`→`l`); other letters to
 *    their lowercase form where that is one character; anything else unchanged.
 *
 * The SQL target emits {@link foldTable} as `translate()` arguments, so it must stay the single
 * source of the mapping.
 */

/** The characters trimmed at both ends of text before comparing. */
export const FOLD_TRIM_CHARACTERS = ' \t\r\n\u00a0';

// Latin letters with no canonical decomposition whose unaccented base is still obvious.
const LATIN_BASE_OVERRIDES: Readonly<Record<string, string>> = {
  Ø: 'o', ø: 'o', Đ: 'd', đ: 'd', Ð: 'd', ð: 'd', Ħ: 'h', ħ: 'h', Ł: 'l', ł: 'l',
  Ŧ: 't', ŧ: 't', ı: 'i', ſ: 's', Ŀ: 'l', ŀ: 'l',
};

const LETTER = /^\p{L}$/u;

function foldCodePoint(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if ((cp >= 0xc0 && cp <= 0xff) || (cp >= 0x100 && cp <= 0x17f)) {
    if (!LETTER.test(ch)) return ch;
    const override = LATIN_BASE_OVERRIDES[ch];
    if (override !== undefined) return override;
    const base = ch.normalize('NFD')[0].toLowerCase();
    if (base >= 'a' && base <= 'z') return base;
  }
  // Outside those ranges a letter maps to its one-character lowercase: text that lowercasing
  // leaves alone maps to itself whether or not it is a letter, so the letter test (the costly
  // part of building the tables, at every start) is only made for the few it changes.
  const lower = ch.toLowerCase();
  if (lower === ch || !LETTER.test(ch)) return ch;
  return [...lower].length === 1 ? lower : ch;
}

let bmpTable: Uint16Array | undefined;
let table: ReadonlyArray<readonly [string, string]> | undefined;

/** What folding maps BMP unit `cp` to (itself for a surrogate, or when the result is astral). */
function bmpFold(cp: number): number {
  const toCp = cp >= 0xd800 && cp <= 0xdfff ? cp : (foldCodePoint(cp).codePointAt(0) as number);
  return toCp < 0x10000 ? toCp : cp;
}

/** Every character that folding changes, as `[from, to]` pairs (one character each). */
export function foldTable(): ReadonlyArray<readonly [string, string]> {
  if (table === undefined) {
    const pairs: Array<readonly [string, string]> = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const to = foldCodePoint(cp);
      if (to.codePointAt(0) !== cp) pairs.push([String.fromCodePoint(cp), to]);
    }
    table = pairs;
  }
  return table;
}

function isTrimmed(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a || code === 0xa0;
}

/** Fold text for comparison (see the module comment). Blank text folds to `''`. */
export function fold(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmed(text.charCodeAt(start))) start++;
  while (end > start && isTrimmed(text.charCodeAt(end - 1))) end--;
  const trimmed = start === 0 && end === text.length ? text : text.slice(start, end);
  let ascii = true;
  for (let i = 0; i < trimmed.length; i++) {
    if (trimmed.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  // For ASCII, toLowerCase is exactly the A–Z mapping and much faster than a table walk.
  if (ascii) return trimmed.toLowerCase();
  // Each unit's mapping is found the first time it is met (0: not yet; only U+0000 maps to 0,
  // and it is found again each time): filling all 65,536 at once cost 4 ms of every start of
  // `rubric` whose rule file or data holds one character beyond ASCII.
  const bmp = (bmpTable ??= new Uint16Array(0x10000));
  let out = '';
  for (let i = 0; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    const next = i + 1 < trimmed.length ? trimmed.charCodeAt(i + 1) : 0;
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      const cp = trimmed.codePointAt(i) as number;
      out += foldCodePoint(cp);
      i++;
    } else {
      let mapped = bmp[code];
      if (mapped === 0) mapped = bmp[code] = bmpFold(code);
      out += String.fromCharCode(mapped);
    }
  }
  return out;
}
