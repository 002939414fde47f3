// How the runtime reads and coerces lead and event values (LANGUAGE.md, "Values in lead and
// event data", "Missing"). Both runtimes are checked: in-process and the standalone one the
// generated modules inline (same source text, table-driven fold).
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/runtime/fold.js';
import {
  createTableFold,
  runtimeHelpers,
  standaloneRuntimeHelpers,
  type RuntimeHelpers,
  type ValueDescriptor,
} from '../../src/runtime/runtime.js';
import type { InvalidValue } from '../../src/runtime/types.js';

const runtimes: Array<[string, RuntimeHelpers]> = [
  ['in-process', runtimeHelpers()],
  ['standalone', standaloneRuntimeHelpers()],
];

const descriptor = (key: string, expected = 'x', set?: string[]): ValueDescriptor => ({
  key,
  parts: key.split('.'),
  name: key,
  expected,
  ...(set ? { set: new Set(set) } : {}),
});

describe.each(runtimes)('values (%s runtime)', (_name, rt) => {
  it.each<[unknown, number | 'missing']>([
    [42, 42],
    [-3.5, -3.5],
    [0, 0],
    ['50', 50],
    ['-7', -7],
    ['12.25', 12.25],
    ['007', 7],
    [1e308, 1e308],
    // Not numbers: the wrong type, hence missing.
    [NaN, 'missing'],
    [Infinity, 'missing'],
    [-Infinity, 'missing'],
    ['9'.repeat(400), 'missing'],
    // Trimmed, and a leading `+`, as CSV cells always were (issue 14).
    [' 50', 50],
    ['50 ', 50],
    ['+5', 5],
    ['+-5', 'missing'],
    ['+', 'missing'],
    ['1e3', 'missing'],
    ['1,5', 'missing'],
    ['1_000', 'missing'],
    ['.5', 'missing'],
    ['5.', 'missing'],
    ['0x10', 'missing'],
    ['', 'missing'],
    [true, 'missing'],
    [[5], 'missing'],
    [{ valueOf: () => 5 }, 'missing'],
    [10n, 'missing'],
    [null, 'missing'],
    [undefined, 'missing'],
  ])('number %o -> %s', (value, expected) => {
    const result = rt.toNumber(value);
    if (expected === 'missing') expect(result).toBeNaN();
    else expect(result).toBe(expected);
  });

  it.each<[unknown, 1 | 0 | 'missing']>([
    [true, 1],
    [false, 0],
    ['true', 1],
    ['TRUE', 1],
    [' Yes ', 1],
    ['1', 1],
    ['false', 0],
    ['No', 0],
    ['0', 0],
    // Decision: numbers are the wrong type for bool, as for text (the spec lists text forms).
    [1, 'missing'],
    [0, 'missing'],
    ['y', 'missing'],
    ['oui', 'missing'],
    ['', 'missing'],
    [null, 'missing'],
    [[true], 'missing'],
  ])('bool %j -> %s', (value, expected) => {
    const result = rt.toBool(value);
    if (expected === 'missing') expect(result).toBeNaN();
    else expect(result).toBe(expected);
  });

  it.each<[string, string | null]>([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-03-01T09:30', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:15', '2026-03-01T09:30:15.000Z'],
    ['2026-03-01T09:30:15Z', '2026-03-01T09:30:15.000Z'],
    ['2026-03-01T09:30:15.5Z', '2026-03-01T09:30:15.500Z'],
    ['2026-03-01T09:30:15.123456789Z', '2026-03-01T09:30:15.123Z'],
    ['2026-03-01T09:30:15+02:00', '2026-03-01T07:30:15.000Z'],
    ['2026-03-01T09:30:15-0530', '2026-03-01T15:00:15.000Z'],
    ['2026-03-01T01:00+05', '2026-02-28T20:00:00.000Z'],
    ['1969-12-31T23:59:59Z', '1969-12-31T23:59:59.000Z'],
    ['0001-01-01', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    // The 20- and 10-character forms parseIsoDate reads in straight-line code: leap days, the
    // last day of each month length, the extremes of every field.
    ['2000-02-29T23:59:59Z', '2000-02-29T23:59:59.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-04-30T00:00:00Z', '2026-04-30T00:00:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ['0000-02-29', '0000-02-29T00:00:00.000Z'],
    ['1600-02-29T12:00:00Z', '1600-02-29T12:00:00.000Z'],
    // Not instants.
    ['2026-02-29', null],
    ['1900-02-29', null],
    ['2100-02-29T00:00:00Z', null],
    ['2026-02-29T10:00:00Z', null],
    ['2026-04-31T10:00:00Z', null],
    ['2026-06-31', null],
    ['2026-00-01T10:00:00Z', null],
    ['2026-13-01T10:00:00Z', null],
    ['2026-01-00T10:00:00Z', null],
    ['2026-01-32', null],
    ['2026-03-01T24:00:00Z', null],
    ['2026-03-01T23:60:00Z', null],
    ['2026-03-01T23:59:60Z', null],
    ['2026-03-01T10:00:00z', null],
    ['2026-03-01 10:00:00Z', null],
    ['2026-03-01T10:00:0QZ', null],
    ['2026/03/01', null],
    ['2026-03-0a', null],
    ['+026-03-01', null],
    ['2026-03-01T10:00+0100', '2026-03-01T09:00:00.000Z'],
    ['2026-13-01', null],
    ['2026-04-31', null],
    ['2026-00-10', null],
    ['2026-03-01T24:00', null],
    ['2026-03-01T10:60', null],
    ['2026-03-01T10:00:60', null],
    ['2026-03-01 10:00', null],
    ['2026-03-01t10:00', null],
    ['2026-03-01T10:00z', null],
    ['2026-03-01T10', null],
    ['2026-03-01T10:00:00.', null],
    ['2026-03-01T10:00:00.1234567890Z', null],
    ['2026-03-01T10:00+24:00', null],
    ['2026-3-1', null],
    ['26-03-01', null],
    ['2026-03-01Z', null],
    ['2026-03-01 ', null],
    ['March 1, 2026', null],
    ['', null],
  ])('date %j -> %s', (text, expected) => {
    const millis = rt.parseIsoDate(text);
    if (expected === null) expect(millis).toBeNaN();
    else expect(new Date(millis).toISOString()).toBe(expected);
  });

  it('reads Dates (also from other realms) and refuses invalid ones', () => {
    expect(rt.toEpochMillis(new Date('2026-03-01T00:00:00.250Z'))).toBe(Date.UTC(2026, 2, 1, 0, 0, 0, 250));
    expect(rt.toEpochMillis(new Date(NaN))).toBeNaN();
    expect(rt.toEpochMillis({ getTime: () => 0 })).toBeNaN();
    expect(rt.toEpochMillis(Object.create(Date.prototype))).toBeNaN();
    expect(rt.toEpochMillis(1772323200000)).toBeNaN();
  });

  it('gives every day of years 0 to 9999 the day number of the Date built-ins (integer day arithmetic)', () => {
    // dayNumber counts leap days in int32 arithmetic from 400 years before (issue 13); the Date
    // built-ins are the independent reference, for the date-only, the 20-character and the
    // general (offset) readings, and the day after each month's last is not a date.
    const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    const date = new Date(0);
    let checked = 0;
    for (let y = 0; y <= 9999; y++) {
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      for (let m = 1; m <= 12; m++) {
        const last = m === 2 && leap ? 29 : lengths[m - 1];
        for (let d = 1; d <= last; d++) {
          date.setUTCFullYear(y, m - 1, d);
          date.setUTCHours(0, 0, 0, 0);
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const millis = rt.parseIsoDate(text);
          if (millis !== date.getTime()) expect([text, millis]).toEqual([text, date.getTime()]);
          checked++;
        }
        const after = `${pad(y, 4)}-${pad(m, 2)}-${pad(last + 1, 2)}`;
        if (!Number.isNaN(rt.parseIsoDate(after))) expect(after).toBe('not a date');
        // Spot checks of the other two readings on the first and the last day of the month.
        date.setUTCFullYear(y, m - 1, last);
        date.setUTCHours(23, 59, 59, 0);
        expect(rt.parseIsoDate(`${pad(y, 4)}-${pad(m, 2)}-${pad(last, 2)}T23:59:59Z`)).toBe(date.getTime());
        date.setUTCFullYear(y, m - 1, 1);
        date.setUTCHours(0, 30, 0, 0);
        expect(rt.parseIsoDate(`${pad(y, 4)}-${pad(m, 2)}-01T01:30+01:00`)).toBe(date.getTime());
      }
    }
    expect(checked).toBe(3_652_425);
  });

  it('agrees with Date.parse on zoned ISO instants', () => {
    for (let i = 0; i < 2000; i++) {
      const millis = Math.floor(((i * 7919) % 10007) * 86400000 * 3.3 + i * 1234567);
      const iso = new Date(millis).toISOString();
      expect(rt.parseIsoDate(iso)).toBe(Date.parse(iso));
    }
  });

  describe('reading fields', () => {
    it.each<[string, Record<string, unknown>, unknown]>([
      ['nested path', { company: { size: 5 } }, 5],
      ['literal dotted key', { 'company.size': 7 }, 7],
      ['dotted key wins over nested', { 'company.size': 7, company: { size: 5 } }, 7],
      ['dotted key wins even when null', { 'company.size': null, company: { size: 5 } }, null],
      ['inherited dotted key ignored', Object.create({ 'company.size': 9 }) as Record<string, unknown>, undefined],
      ['inherited nested ignored', { company: Object.create({ size: 9 }) as unknown }, undefined],
      ['array in the path', { company: [{ size: 5 }] }, undefined],
      ['null in the path', { company: null }, undefined],
      ['text in the path', { company: 'acme' }, undefined],
    ])('%s', (_case, lead, expected) => {
      expect(rt.readRaw(lead, descriptor('company.size'))).toBe(expected);
    });

    it('reads only own properties, never the prototype chain', () => {
      for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
        expect(rt.readRaw({}, descriptor(key))).toBeUndefined();
        expect(rt.readText({}, descriptor(key), null)).toBe('');
      }
      const polluted = JSON.parse('{"__proto__": "ceo", "constructor": "cto"}') as Record<string, unknown>;
      expect(rt.readText(polluted, descriptor('__proto__'), null)).toBe('ceo');
      expect(rt.readText(polluted, descriptor('constructor'), null)).toBe('cto');
      const bare = Object.create(null) as Record<string, unknown>;
      bare.job = 'CEO';
      expect(rt.readText(bare, descriptor('job'), null)).toBe('ceo');
    });

    it('a throwing getter or proxy trap is a missing value, not an exception', () => {
      const getter = Object.defineProperty({}, 'size', {
        get() {
          throw new Error('boom');
        },
        enumerable: true,
      });
      const trap = new Proxy(
        {},
        {
          getOwnPropertyDescriptor() {
            throw new Error('trap');
          },
          has() {
            throw new Error('trap');
          },
          get() {
            throw new Error('trap');
          },
        },
      );
      const sink: InvalidValue[] = [];
      for (const lead of [getter, trap, { company: trap }]) {
        expect(rt.readNumber(lead, descriptor('size'), sink)).toBeNaN();
        expect(rt.readText(lead, descriptor('size'), sink)).toBe('');
        expect(rt.readDate(lead, descriptor('company.size'), sink)).toBeNaN();
        const out: string[] = ['stale'];
        rt.readList(lead, descriptor('size'), sink, out);
        expect(out).toEqual([]);
      }
      expect(sink).toEqual([]);
    });

    it('reports wrong-typed values, never absent or blank ones', () => {
      const sink: InvalidValue[] = [];
      const lead = { a: 'fifty', b: null, c: '  ', d: 12, e: ['x', 3], f: 'Gold', g: 'purple', h: '' };
      expect(rt.readNumber(lead, descriptor('a', 'number'), sink)).toBeNaN();
      expect(rt.readNumber(lead, descriptor('b', 'number'), sink)).toBeNaN();
      expect(rt.readNumber(lead, descriptor('c', 'number'), sink)).toBeNaN();
      expect(rt.readText(lead, descriptor('d', 'text'), sink)).toBe('');
      const out: string[] = [];
      rt.readList(lead, descriptor('e', 'list of text'), sink, out);
      expect(out).toEqual([]);
      expect(rt.readOneOf(lead, descriptor('f', 'one of', ['gold', 'silver']), sink)).toBe('gold');
      expect(rt.readOneOf(lead, descriptor('g', 'one of', ['gold', 'silver']), sink)).toBe('');
      expect(rt.readOneOf(lead, descriptor('h', 'one of', ['gold', 'silver']), sink)).toBe('');
      expect(rt.readNumber(lead, descriptor('missing', 'number'), sink)).toBeNaN();
      expect(sink).toEqual([
        { field: 'a', value: 'fifty', expected: 'number' },
        { field: 'd', value: 12, expected: 'text' },
        { field: 'e', value: ['x', 3], expected: 'list of text' },
        { field: 'g', value: 'purple', expected: 'one of' },
      ]);
    });

    it('lists: folded strings; a string split on ; and |; empty is missing; a non-string element is the wrong type', () => {
      const out: string[] = [];
      rt.readList({ tags: ['VIP', ' Été '] }, descriptor('tags'), null, out);
      expect(out).toEqual(['vip', 'ete']);
      rt.readList({ tags: [] }, descriptor('tags'), null, out);
      expect(out).toEqual([]);
      rt.readList({ tags: 'vip' }, descriptor('tags'), null, out);
      expect(out).toEqual(['vip']);
      rt.readList({ tags: ' VIP ;| Été|' }, descriptor('tags'), null, out);
      expect(out).toEqual(['vip', 'ete']);
      rt.readList({ tags: 5 }, descriptor('tags'), null, out);
      expect(out).toEqual([]);
      // A sparse hostile array stops at the first hole instead of walking 4 billion slots.
      const sparse: unknown[] = [];
      sparse.length = 4294967295;
      rt.readList({ tags: sparse }, descriptor('tags'), null, out);
      expect(out).toEqual([]);
    });
  });

  it('weighs decayed occurrences in hundredths, half away from zero', () => {
    const day = 86400;
    expect(rt.decayedHundredths(200, 0, 30 * day)).toBe(200);
    expect(rt.decayedHundredths(200, 30 * day, 30 * day)).toBe(100);
    expect(rt.decayedHundredths(200, 60 * day, 30 * day)).toBe(50);
    expect(rt.decayedHundredths(-200, 30 * day, 30 * day)).toBe(-100);
    // 0.01 at one half-life = 0.005 -> 0.01 (half away from zero), and -0.005 -> -0.01.
    expect(rt.decayedHundredths(1, 30 * day, 30 * day)).toBe(1);
    expect(rt.decayedHundredths(-1, 30 * day, 30 * day)).toBe(-1);
    // 1.15 at one half-life = 0.575 -> 0.58 (1.15 * 0.5 * 100 would be 57.4999... in floats).
    expect(rt.decayedHundredths(115, 30 * day, 30 * day)).toBe(58);
    expect(rt.decayedHundredths(-115, 30 * day, 30 * day)).toBe(-58);
    // 0.01 at two half-lives = 0.0025 -> 0.
    expect(rt.decayedHundredths(1, 60 * day, 30 * day)).toBe(0);
  });

  it('resolves now: a Date, ISO text, or the current time; refuses anything else', () => {
    expect(rt.resolveNow({ now: '2026-03-01' })).toBe(Date.UTC(2026, 2, 1));
    expect(rt.resolveNow({ now: new Date(Date.UTC(2026, 2, 1, 12)) })).toBe(Date.UTC(2026, 2, 1, 12));
    const before = Date.now();
    const now = rt.resolveNow(undefined);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    expect(() => rt.resolveNow({ now: 'yesterday' })).toThrow(/invalid `now` option "yesterday"/);
  });
});

describe('the standalone table fold', () => {
  it('folds every code point exactly like fold()', () => {
    const tableFold = createTableFold();
    const mismatches: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const text = `X${String.fromCodePoint(cp)}`;
      if (tableFold(text) !== fold(text)) mismatches.push(cp.toString(16));
    }
    expect(mismatches).toEqual([]);
  });

  it.each(['  Directeur Général\u00a0', 'ÉCOLE', 'Łódź', 'İstanbul', 'ß', '🚀 Rocket', '', ' \t ', 'already folded'])(
    'folds %j like fold()',
    (text) => {
      expect(createTableFold()(text)).toBe(fold(text));
      expect(runtimeHelpers().fold(text)).toBe(fold(text));
    },
  );
});
