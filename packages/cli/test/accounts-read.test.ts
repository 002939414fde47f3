/**
 * How `rubric score --accounts` matches contacts to accounts (issue 17): keys as trimmed text,
 * number keys by value, dotted key fields read from a literal dotted key or a nested JSON object,
 * hostile keys as plain text; and how the summary lists keys naming no account.
 */
import { describe, expect, it } from 'vitest';
import { describeUnknownKeys, keyText, valueAt } from '../src/accounts/read-accounts.js';

describe('account keys', () => {
  it('compares text keys trimmed and case-sensitive, number keys by value', () => {
    expect(keyText('  ACC-1 ', { kind: 'text' })).toBe('ACC-1');
    expect(keyText('acc-1', { kind: 'text' })).not.toBe(keyText('ACC-1', { kind: 'text' }));
    expect(keyText('', { kind: 'text' })).toBeUndefined();
    expect(keyText('   ', { kind: 'text' })).toBeUndefined();
    expect(keyText(undefined, { kind: 'text' })).toBeUndefined();
    expect(keyText(null, { kind: 'number' })).toBeUndefined();
    expect(keyText(12, { kind: 'number' })).toBe('12');
    expect(keyText('12.0', { kind: 'number' })).toBe('12');
    expect(keyText(' 12 ', { kind: 'number' })).toBe('12');
    expect(keyText('1e3', { kind: 'number' })).toBe('1000');
    // Text that is no number stays itself (and matches only the same text).
    expect(keyText('12 000', { kind: 'number' })).toBe('12 000');
    expect(keyText('0x10', { kind: 'number' })).toBe('0x10');
    // A text key is never read as a number: `012` and `12` are two accounts.
    expect(keyText('012', { kind: 'text' })).toBe('012');
    // Objects, lists and booleans are no key.
    expect(keyText({ id: 1 }, { kind: 'text' })).toBeUndefined();
    expect(keyText(['A'], { kind: 'text' })).toBeUndefined();
    expect(keyText(true, { kind: 'text' })).toBeUndefined();
  });

  it('reads a dotted key field from the literal key first, then from nested objects (not with `from`)', () => {
    expect(valueAt({ 'company.id': 'A', company: { id: 'B' } }, 'company.id', true)).toBe('A');
    expect(valueAt({ company: { id: 'B' } }, 'company.id', true)).toBe('B');
    expect(valueAt({ company: { id: 'B' } }, 'company.id', false)).toBeUndefined();
    expect(valueAt({ company: 'B' }, 'company.id', true)).toBeUndefined();
    expect(valueAt({ company: ['B'] }, 'company.id', true)).toBeUndefined();
    // Inherited properties are never read: `__proto__`, `constructor`, `toString`.
    expect(valueAt({}, 'constructor', true)).toBeUndefined();
    expect(valueAt({ a: {} }, 'a.toString', true)).toBeUndefined();
    expect(valueAt(JSON.parse('{"__proto__": "P"}') as Record<string, unknown>, '__proto__', true)).toBe('P');
  });

  it('lists keys naming no account once each, first line first, then how many more', () => {
    const unknown = [
      { key: 'Z1', line: 3 },
      { key: 'Z2', line: 4 },
      { key: 'Z1', line: 9 },
    ];
    expect(describeUnknownKeys(unknown)).toBe('`Z1` line 3, `Z2` line 4');
    const many = Array.from({ length: 8 }, (_, i) => ({ key: `K${i}`, line: i + 2 }));
    expect(describeUnknownKeys(many)).toBe('`K0` line 2, `K1` line 3, `K2` line 4, `K3` line 5, `K4` line 6 and 3 more keys');
  });
});
