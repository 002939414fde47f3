import { describe, expect, it } from 'vitest';
import { fold, foldTable } from '../../src/runtime/fold.js';

describe('fold', () => {
  it.each([
    ['  Directeur Général\u00a0', 'directeur general'],
    ['ÇA VA', 'ca va'],
    ['Øre Łódź Đakovo', 'ore lodz dakovo'],
    ['ÆSIR', 'æsir'],
    ['ΣΟΦΙΑ', 'σοφια'],
    ['\t\r\n', ''],
    ['İstanbul', 'istanbul'],
    ['𐐀x', '𐐨x'],
    ['\uD800A', '\uD800a'],
    ['A\uDC00', 'a\uDC00'],
  ])('folds %j to %j', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('lists every changed character once, one character to one character', () => {
    const table = foldTable();
    expect(new Set(table.map(([from]) => from)).size).toBe(table.length);
    for (const [from, to] of table) {
      expect([...from]).toHaveLength(1);
      expect([...to]).toHaveLength(1);
      expect(fold(from)).toBe(to);
    }
  });
});

describe('fold table (issue 13: the letter test made only where lowercasing changes text)', () => {
  // The mapping as first written (one letter test per code point): the table must not move.
  const overrides: Readonly<Record<string, string>> = {
    Ø: 'o', ø: 'o', Đ: 'd', đ: 'd', Ð: 'd', ð: 'd', Ħ: 'h', ħ: 'h', Ł: 'l', ł: 'l',
    Ŧ: 't', ŧ: 't', ı: 'i', ſ: 's', Ŀ: 'l', ŀ: 'l',
  };
  const letter = /^\p{L}$/u;
  const original = (cp: number): string => {
    const ch = String.fromCodePoint(cp);
    if (!letter.test(ch)) return ch;
    if ((cp >= 0xc0 && cp <= 0xff) || (cp >= 0x100 && cp <= 0x17f)) {
      const override = overrides[ch];
      if (override !== undefined) return override;
      const base = ch.normalize('NFD')[0].toLowerCase();
      if (base >= 'a' && base <= 'z') return base;
    }
    const lower = ch.toLowerCase();
    return [...lower].length === 1 ? lower : ch;
  };

  it('is the table of the original definition, over every code point', () => {
    const expected: Array<readonly [string, string]> = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const to = original(cp);
      if (to.codePointAt(0) !== cp) expected.push([String.fromCodePoint(cp), to]);
    }
    expect(foldTable()).toEqual(expected);
    // Lowercased by toLowerCase but not letters: left as they are.
    expect(fold('Ⅻ Ⓐ')).toBe('Ⅻ Ⓐ');
  });
});
