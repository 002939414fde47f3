// The runtime's readers of the data dialect (issue 14), value by value, against the reference
// reading (test/oracle/values.ts, regular expressions written from the design) and against the
// expectation written here from docs/language.md §4. Both runtimes: in-process and the
// standalone one the generated modules inline (same source text, table-driven fold).
import { describe, expect, it } from 'vitest';
import { runtimeHelpers, standaloneRuntimeHelpers, type RuntimeDialect, type RuntimeHelpers, type ValueDescriptor } from '../../src/runtime/runtime.js';
import type { InvalidValue } from '../../src/runtime/types.js';
import { parseDataDate, readBool, readList, readNumber, type Reading } from '../oracle/values.js';

const runtimes: Array<[string, RuntimeHelpers]> = [
  ['in-process', runtimeHelpers()],
  ['standalone', standaloneRuntimeHelpers()],
];

const FORMATS = { plain: 0, 'decimal-comma': 1, 'decimal-point': 2 } as const;
const ORDERS = { iso: 0, 'day-first': 1, 'month-first': 2 } as const;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h, mi, s);

/** [text, plain, decimal comma, decimal point]: the number read, or null for missing. */
const NUMBERS: ReadonlyArray<readonly [string, number | null, number | null, number | null]> = [
  ['1200', 1200, 1200, 1200],
  [' 45 ', 45, 45, 45],
  ['\u00a0+12\t', 12, 12, 12],
  ['-3.5', -3.5, null, -3.5],
  ['8,5', null, 8.5, null],
  ['1 200', null, 1200, 1200],
  ['1\u00a0200', null, 1200, 1200],
  ['1\u202f200', null, 1200, 1200],
  ['1.200', 1.2, 1200, 1.2],
  ['1,200', null, 1.2, 1200],
  ['1.200,5', null, 1200.5, null],
  ['1,200.5', null, null, 1200.5],
  ['-1 234 567,25', null, -1234567.25, null],
  ['12.5', 12.5, null, 12.5],
  ['1200.5', 1200.5, null, 1200.5],
  ['1 2345', null, null, null],
  ['1234 567', null, null, null],
  ['12 34', null, null, null],
  ['1,20', null, 1.2, null],
  ['+-5', null, null, null],
  ['+', null, null, null],
  ['-', null, null, null],
  [',5', null, null, null],
  ['5,', null, null, null],
  ['1e3', null, null, null],
  ['0x10', null, null, null],
  ['1\u2003200', null, null, null],
  [' 12\u2003', null, null, null],
  ['9'.repeat(400), null, null, null],
  ['1 200 300,5', null, 1200300.5, null],
  ['1.200 300,5', null, 1200300.5, null],
  ['', null, null, null],
];

// Date.UTC maps years 0-99 to 1900-1999: the year 0000 is set by hand.
const YEAR_ZERO = new Date(0).setUTCFullYear(0, 0, 1);

/** [text, iso, day first, month first]: epoch milliseconds, or null for missing. */
const DATES: ReadonlyArray<readonly [string, number | null, number | null, number | null]> = [
  ['2026-02-20', utc(2026, 2, 20), utc(2026, 2, 20), utc(2026, 2, 20)],
  [' 2026-02-20T09:30:00Z ', utc(2026, 2, 20, 9, 30), utc(2026, 2, 20, 9, 30), utc(2026, 2, 20, 9, 30)],
  ['2026-02-20 09:30', utc(2026, 2, 20, 9, 30), utc(2026, 2, 20, 9, 30), utc(2026, 2, 20, 9, 30)],
  ['2026-02-20 09:30:15+01:00', utc(2026, 2, 20, 8, 30, 15), utc(2026, 2, 20, 8, 30, 15), utc(2026, 2, 20, 8, 30, 15)],
  ['2026-02-20  09:30', null, null, null],
  ['20/02/2026', null, utc(2026, 2, 20), null],
  ['02/20/2026', null, null, utc(2026, 2, 20)],
  ['5/3/2026', null, utc(2026, 3, 5), utc(2026, 5, 3)],
  ['05.03.2026', null, utc(2026, 3, 5), utc(2026, 5, 3)],
  ['05-03-2026', null, utc(2026, 3, 5), utc(2026, 5, 3)],
  ['20/02/2026 09:30', null, utc(2026, 2, 20, 9, 30), null],
  ['20/02/2026T09:30:59', null, utc(2026, 2, 20, 9, 30, 59), null],
  ['20/02/2026 23:59:60', null, null, null],
  ['20/02/2026 24:00', null, null, null],
  ['20/02/2026 9:30', null, null, null],
  ['20/02/2026 09:30Z', null, null, null],
  ['20/02/2026 ', null, utc(2026, 2, 20), null],
  ['31/02/2026', null, null, null],
  ['29/02/2025', null, null, null],
  ['29/02/2024', null, utc(2024, 2, 29), null],
  ['02/29/2024', null, null, utc(2024, 2, 29)],
  ['29/02/1900', null, null, null],
  ['29/02/2000', null, utc(2000, 2, 29), null],
  ['00/01/2026', null, null, null],
  ['13/13/2026', null, null, null],
  ['20/02/26', null, null, null],
  ['20/02-2026', null, null, null],
  ['20//2026', null, null, null],
  ['020/02/2026', null, null, null],
  ['20/02/20261', null, null, null],
  ['1/1/0000', null, YEAR_ZERO, YEAR_ZERO],
  ['hier', null, null, null],
];

const descriptor = (extra: Partial<ValueDescriptor> = {}): ValueDescriptor => ({ key: 'v', parts: ['v'], name: 'v', expected: 'x', ...extra });
const dialect = (numbers: 0 | 1 | 2, dates: 0 | 1 | 2, trueWords: string[] = [], falseWords: string[] = []): RuntimeDialect => ({
  numbers,
  dates,
  trueWords: new Set(trueWords),
  falseWords: new Set(falseWords),
});

describe.each(runtimes)('dialect readers (%s runtime)', (_name, rt) => {
  describe.each(Object.entries(FORMATS))('numbers: %s', (format, code) => {
    it.each(NUMBERS.map((row) => [row[0], row[1 + code]] as const))('%j -> %s', (text, expected) => {
      const got = rt.toNumberAs(text, code);
      expect(Number.isNaN(got) ? null : got).toBe(expected);
      expect(readNumber(text, format as Reading['numbers']) ?? null, 'the oracle agrees').toBe(expected);
      if (code === 0) expect(Number.isNaN(rt.toNumber(text)) ? null : rt.toNumber(text)).toBe(expected);
    });
  });

  describe.each(Object.entries(ORDERS))('dates: %s', (order, code) => {
    it.each(DATES.map((row) => [row[0], row[1 + code]] as const))('%j -> %s', (text, expected) => {
      const got = rt.toInstant(text, code);
      expect(Number.isNaN(got) ? null : got).toBe(expected);
      expect(Number.isNaN(rt.textDate(text, code)) ? null : rt.textDate(text, code)).toBe(expected);
      expect(parseDataDate(text, order as Reading['dates']) ?? null, 'the oracle agrees').toBe(expected);
    });
  });

  it('`now` stays strict ISO 8601 (not data): no trimming, no space for the T', () => {
    expect(rt.resolveNow({ now: '2026-03-01T00:00:00Z' })).toBe(utc(2026, 3, 1));
    expect(() => rt.resolveNow({ now: ' 2026-03-01' })).toThrow(RangeError);
    expect(() => rt.resolveNow({ now: '2026-03-01 10:00' })).toThrow(RangeError);
  });

  it('bool words: built-in true words and the true words first, then the false ones; blank is missing', () => {
    const t = new Set(['oui', 'vrai', 'si']);
    const f = new Set(['non', 'faux']);
    const cases: Array<[unknown, 1 | 0 | null]> = [
      [' Oui ', 1],
      ['VRAI', 1],
      ['Sí', 1],
      ['yes', 1],
      ['1', 1],
      ['NON', 0],
      ['faux\u00a0', 0],
      ['0', 0],
      ['no', 0],
      [true, 1],
      [false, 0],
      ['peut-être', null],
      ['', null],
      [' ', null],
      [1, null],
    ];
    for (const [value, expected] of cases) {
      const got = rt.toBoolAs(value, t, f);
      expect(Number.isNaN(got) ? null : got, JSON.stringify(value)).toBe(expected);
      const oracle = readBool(value, [...t], [...f]);
      expect(oracle === undefined ? null : oracle ? 1 : 0).toBe(expected);
    }
    expect(rt.toBoolAs('', new Set(['']), new Set()), 'a blank word never makes blank text true').toBeNaN();
  });

  it('read* helpers honour the descriptor: placeholders are missing and never reported', () => {
    const missing = new Set(['n/a', '-', '0']);
    const d = descriptor({ missing, dialect: dialect(1, 1, ['oui'], ['non']) });
    const sink: InvalidValue[] = [];
    expect(rt.readNumber({ v: ' N/A ' }, d, sink)).toBeNaN();
    expect(rt.readNumber({ v: '0' }, d, sink), 'a placeholder that would read as a number').toBeNaN();
    expect(rt.readNumber({ v: 0 }, d, sink), 'placeholders are text only').toBe(0);
    expect(rt.readNumber({ v: '1 200,5' }, d, sink)).toBe(1200.5);
    expect(rt.readBool({ v: 'Oui' }, d, sink)).toBe(1);
    expect(rt.readBool({ v: '-' }, d, sink)).toBeNaN();
    expect(rt.readDate({ v: '20/02/2026' }, d, sink)).toBe(utc(2026, 2, 20));
    expect(rt.readDate({ v: 'n/a' }, d, sink)).toBeNaN();
    expect(rt.readText({ v: 'N/A' }, d, sink)).toBe('');
    expect(rt.readText({ v: 'Acme' }, d, sink)).toBe('acme');
    expect(rt.readOneOf({ v: 'N/A' }, { ...d, set: new Set(['gold', 'n/a']) }, sink), 'a placeholder wins over the set').toBe('');
    expect(sink).toEqual([]);
    expect(rt.readNumber({ v: '12.5' }, d, sink)).toBeNaN();
    expect(rt.readBool({ v: 'peut-être' }, d, sink)).toBeNaN();
    expect(rt.readDate({ v: '02/20/2026' }, d, sink)).toBeNaN();
    expect(rt.readEventAt({ v: 'n/a' }, d, sink), "an event's at has no placeholders").toBeNaN();
    expect(rt.readEventAt({ v: '25/02/2026' }, d, sink)).toBe(utc(2026, 2, 25));
    expect(sink.map((i) => i.value)).toEqual(['12.5', 'peut-être', '02/20/2026', 'n/a']);
    expect(rt.isPlaceholder(d, ' - ')).toBe(true);
    expect(rt.isPlaceholder(d, 0)).toBe(false);
    expect(rt.isPlaceholder(descriptor(), 'n/a')).toBe(false);
  });

  it('lists: placeholder items dropped from arrays and strings; a string split on ; and |', () => {
    const d = descriptor({ missing: new Set(['n/a', '-', 'a;b']) });
    const out: string[] = [];
    const sink: InvalidValue[] = [];
    const read = (v: unknown) => {
      rt.readList({ v }, d, sink, out);
      return [...out];
    };
    expect(read(['VIP', ' n/a ', '', 'Partner'])).toEqual(['vip', '', 'partner']);
    expect(read(['-', 'N/A'])).toEqual([]);
    expect(read('VIP; -|partner ;; ')).toEqual(['vip', 'partner']);
    expect(read('A;B'), 'a placeholder as a whole').toEqual([]);
    expect(read('a;c')).toEqual(['a', 'c']);
    expect(read(';|')).toEqual([]);
    expect(sink).toEqual([]);
    expect(read(['vip', 3])).toEqual([]);
    expect(read(5)).toEqual([]);
    expect(sink.map((i) => i.value)).toEqual([['vip', 3], 5]);
    for (const v of [['VIP', ' n/a ', 'Partner'], ['-', 'N/A'], 'VIP; -|partner ;; ', 'A;B', 'a;c', ';|', ['vip', 3]]) {
      rt.readList({ v }, d, null, out);
      expect(readList(v, [...(d.missing ?? [])]) ?? [], `the oracle agrees on ${JSON.stringify(v)}`).toEqual(out);
    }
  });
});
