import { describe, expect, it } from 'vitest';
import { boolWordHint, dateOrderHint, fold, numberFormatHint, placeholderKind } from '../../src/index.js';

describe('placeholderKind', () => {
  it('knows the words exports write for "no value", after folding', () => {
    for (const value of ['N/A', 'n/a', ' NA ', 'n/c', '-', '--', '?', '.', 'None', 'NULL', 'unknown', 'Inconnu', 'test', 'XXX', 'tbd', '(not set)', 'non renseigné']) {
      expect(placeholderKind(fold(value), 'text'), value).toBe('word');
    }
  });

  it('suspects zeros everywhere, but a lone 0 only in text (it is a real number or false)', () => {
    expect(placeholderKind('0000', 'number')).toBe('zeros');
    expect(placeholderKind('00 00 00 00 00', 'text')).toBe('zeros');
    expect(placeholderKind('0000-00-00', 'date')).toBe('zeros');
    expect(placeholderKind('0', 'text')).toBe('zeros');
    expect(placeholderKind('0', 'number')).toBeUndefined();
    expect(placeholderKind('0', 'bool')).toBeUndefined();
  });

  it('suspects short symbol-only tokens, and nothing that has a letter or a digit', () => {
    expect(placeholderKind('**', 'text')).toBe('symbols');
    expect(placeholderKind('//', 'text')).toBe('symbols');
    expect(placeholderKind('******', 'text')).toBeUndefined();
    for (const value of ['ceo', 'paris', 'n/a/b', '12', '0612345678', 'x', 'na-1']) expect(placeholderKind(value, 'text'), value).toBeUndefined();
  });
});

describe('numberFormatHint', () => {
  it('reads spaces and dots between groups of three, and a decimal comma, as decimal comma', () => {
    for (const value of ['1 200', '1\u00a0200', '1\u202f200', '12 500 000', '1 200,5', '1.200', '1.200.000', '1.200,50', '8,5', '1234,56', '-3,25']) {
      expect(numberFormatHint(value), value).toBe('decimal-comma');
    }
  });

  it('reads commas between groups with a decimal point as decimal point', () => {
    for (const value of ['1,200.5', '1,200,000', '12,345,678.90', '1 200.5']) expect(numberFormatHint(value), value).toBe('decimal-point');
  });

  it('says one comma group (1,200) is ambiguous, and plain numbers or words are not a hint', () => {
    expect(numberFormatHint('1,200')).toBe('ambiguous');
    for (const value of ['12', '12.5', '1200.5', 'abc', '1 20', '1,2,3', '']) expect(numberFormatHint(value), value).toBeUndefined();
  });
});

describe('dateOrderHint', () => {
  it('is day first when the first part cannot be a month, month first when the second cannot', () => {
    expect(dateOrderHint('20/02/2026')).toBe('day-first');
    expect(dateOrderHint('20.02.2026')).toBe('day-first');
    expect(dateOrderHint('20-2-2026 09:30')).toBe('day-first');
    expect(dateOrderHint('02/20/2026')).toBe('month-first');
    expect(dateOrderHint('2/20/2026T09:30:15')).toBe('month-first');
  });

  it('never guesses: both parts 12 or less is ambiguous; a two-digit year is said', () => {
    expect(dateOrderHint('01/02/2026')).toBe('ambiguous');
    expect(dateOrderHint('12/12/2026')).toBe('ambiguous');
    expect(dateOrderHint('20/02/26')).toBe('two-digit-year');
  });

  it('ignores what is not a D/M/Y text', () => {
    for (const value of ['2026-02-20', '20/02-2026', '40/40/2026', '00/01/2026', 'hier', '20/02/2026 9h']) expect(dateOrderHint(value), value).toBeUndefined();
  });
});

describe('boolWordHint', () => {
  it('knows oui/non, vrai/faux, ja/nein, si, o/n, and not the words Rubric reads already', () => {
    expect(boolWordHint('oui')).toBe(true);
    expect(boolWordHint('non')).toBe(false);
    expect(boolWordHint('vrai')).toBe(true);
    expect(boolWordHint('faux')).toBe(false);
    expect(boolWordHint('ja')).toBe(true);
    expect(boolWordHint('nein')).toBe(false);
    expect(boolWordHint(fold('sí'))).toBe(true);
    expect(boolWordHint('o')).toBe(true);
    expect(boolWordHint('n')).toBe(false);
    for (const word of ['yes', 'no', 'true', 'false', '1', '0', 'maybe']) expect(boolWordHint(word), word).toBeUndefined();
  });
});
