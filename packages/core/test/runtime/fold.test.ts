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
