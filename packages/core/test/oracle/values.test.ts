/**
 * The oracle's reading of data, tested on its own (it must be right before it can judge the
 * compiler). Every expectation is a sentence of the spec.
 */
import { describe, expect, it } from 'vitest';
import { roundHalfAwayFromZero, toHundredths } from './interpret.js';
import { parseIsoInstant, readBool, readDateMillis, readList, readNumber, readOneOf, readPath, readText } from './values.js';

describe('readPath: dotted keys, nested paths, own properties only', () => {
  it('reads a nested path', () => {
    expect(readPath({ company: { size: 5 } }, 'company.size')).toBe(5);
    expect(readPath({ company: { hq: { country: 'FR' } } }, 'company.hq.country')).toBe('FR');
  });
  it('a literal dotted key wins over the nested path, even when it holds null', () => {
    expect(readPath({ 'company.size': 500, company: { size: 5 } }, 'company.size')).toBe(500);
    expect(readPath({ 'company.size': null, company: { size: 5 } }, 'company.size')).toBeNull();
  });
  it('never reads inherited properties', () => {
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath({}, 'toString')).toBeUndefined();
    expect(readPath(Object.create({ job: 'CEO' }) as object, 'job')).toBeUndefined();
    expect(readPath({ company: Object.create({ size: 5 }) as object }, 'company.size')).toBeUndefined();
    expect(readPath({}, '__proto__')).toBeUndefined();
    expect(readPath(JSON.parse('{"__proto__": "x"}') as object, '__proto__')).toBe('x');
  });
  it('a path through a non-object is absent', () => {
    expect(readPath({ company: 'Acme' }, 'company.size')).toBeUndefined();
    expect(readPath({ company: [{ size: 5 }] }, 'company.size')).toBeUndefined();
    expect(readPath({ company: null }, 'company.size')).toBeUndefined();
    expect(readPath(null, 'job')).toBeUndefined();
  });
});

describe('readNumber: a finite number or a string matching -?\\d+(\\.\\d+)?', () => {
  it.each([
    [5, 5],
    [-0.5, -0.5],
    ['50', 50],
    ['-3.5', -3.5],
    ['007', 7],
    ['12.50', 12.5],
  ])('%j is %j', (input, expected) => expect(readNumber(input)).toBe(expected));
  it.each([
    [' 50', 50],
    ['50\u00a0', 50],
    ['+5', 5],
  ])('%j is %j: trimmed, a leading + (issue 14)', (input, expected) => expect(readNumber(input)).toBe(expected));
  it.each(['1e3', '+-5', '+', '5.', '.5', '1,5', '0x10', '', NaN, Infinity, -Infinity, true, null, [5], {}])(
    '%j is missing',
    (input) => expect(readNumber(input)).toBeUndefined(),
  );
});

describe('readBool: a boolean or folded true/false/yes/no/1/0', () => {
  it.each([
    [true, true],
    [false, false],
    ['yes', true],
    ['YES', true],
    [' True ', true],
    ['1', true],
    ['no', false],
    ['No\t', false],
    ['0', false],
    ['FALSE', false],
  ])('%j is %j', (input, expected) => expect(readBool(input)).toBe(expected));
  it.each(['y', 'oui', '', ' ', 'on', 2, 1, 0, null, {}, []])('%j is missing', (input) => expect(readBool(input)).toBeUndefined());
});

describe('readText, readOneOf, readList: folded; blank and empty are missing', () => {
  it('folds text and treats blank as missing', () => {
    expect(readText('  Directeur Général')).toBe('directeur general');
    expect(readText(' \t\r\n\u00a0')).toBeUndefined();
    expect(readText(42)).toBeUndefined();
  });
  it('a one of value outside its set is missing', () => {
    expect(readOneOf('Sérvices', ['services', 'retail'])).toBe('services');
    expect(readOneOf('banking', ['services', 'retail'])).toBeUndefined();
  });
  it('a list is a non-empty array of strings, or a string split on ; and | (issue 14)', () => {
    expect(readList([' VIP ', 'Partner'])).toEqual(['vip', 'partner']);
    expect(readList([])).toBeUndefined();
    expect(readList('vip')).toEqual(['vip']);
    expect(readList(' VIP ; Partner| |')).toEqual(['vip', 'partner']);
    expect(readList(';|')).toBeUndefined();
    expect(readList(['vip', 5])).toBeUndefined();
    expect(readList(5)).toBeUndefined();
  });
});

describe('dates: ISO 8601 (date-only = 00:00Z, no zone = UTC) or a valid Date', () => {
  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00.250Z', '2026-03-01T09:30:00.250Z'],
    ['2026-03-01T09:30:00+02:00', '2026-03-01T07:30:00.000Z'],
    ['2026-03-01T00:30:00-01:30', '2026-03-01T02:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (input, iso) => expect(parseIsoInstant(input)).toBe(Date.parse(iso)));
  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-3-1', '2026-03-01T25:00:00Z', 'yesterday', '', '2026-03-01T09:30:00+24:00'])(
    '%j is not a date',
    (input) => expect(parseIsoInstant(input)).toBeUndefined(),
  );
  it('reads Dates and rejects everything else', () => {
    expect(readDateMillis(new Date('2026-03-01T00:00:00Z'))).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(readDateMillis(new Date(NaN))).toBeUndefined();
    expect(readDateMillis(1_772_323_200)).toBeUndefined();
  });
});

describe('hundredths', () => {
  it('rounds half away from zero', () => {
    expect(roundHalfAwayFromZero(0.5)).toBe(1);
    expect(roundHalfAwayFromZero(-0.5)).toBe(-1);
    expect(roundHalfAwayFromZero(57.5)).toBe(58);
    expect(roundHalfAwayFromZero(-57.5)).toBe(-58);
    expect(roundHalfAwayFromZero(57.49)).toBe(57);
  });
  it('turns points into exact integers', () => {
    expect(toHundredths(1.15)).toBe(115);
    expect(toHundredths(0.29)).toBe(29);
    expect(toHundredths(-0.07)).toBe(-7);
  });
});
