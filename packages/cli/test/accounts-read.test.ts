/**
 * How `rubric score --accounts` matches contacts to accounts (issue 17): keys as trimmed text,
 * number keys by value, dotted key fields read from a literal dotted key or a nested JSON object,
 * hostile keys as plain text; and how the summary lists keys naming no account.
 */
import { describe, expect, it } from 'vitest';
import { describeUnknownKeys, keyText, valueAt, type KeyReading } from '../src/accounts/read-accounts.js';

const PLAIN: KeyReading = { numbers: 'plain', missing: new Set() };
const COMMA: KeyReading = { numbers: 'decimal-comma', missing: new Set(['n/a']) };

describe('account keys', () => {
  it('compares text keys trimmed and case-sensitive, number keys by value', () => {
    expect(keyText('  ACC-1 ', { kind: 'text' }, PLAIN)).toBe('ACC-1');
    expect(keyText('acc-1', { kind: 'text' }, PLAIN)).not.toBe(keyText('ACC-1', { kind: 'text' }, PLAIN));
    expect(keyText('', { kind: 'text' }, PLAIN)).toBeUndefined();
    expect(keyText('   ', { kind: 'text' }, PLAIN)).toBeUndefined();
    expect(keyText(undefined, { kind: 'text' }, PLAIN)).toBeUndefined();
    expect(keyText(null, { kind: 'number' }, PLAIN)).toBeUndefined();
    expect(keyText(12, { kind: 'number' }, PLAIN)).toBe('12');
    expect(keyText('12.0', { kind: 'number' }, PLAIN)).toBe('12');
    expect(keyText(' 12 ', { kind: 'number' }, PLAIN)).toBe('12');
    // Read in the file's number format (as the scorer and the SQL targets read it); text that is
    // no number in it, or a placeholder, is no key (the SQL targets match it with nothing either).
    expect(keyText('1e3', { kind: 'number' }, PLAIN)).toBeUndefined();
    expect(keyText('12 000', { kind: 'number' }, PLAIN)).toBeUndefined();
    expect(keyText('0x10', { kind: 'number' }, PLAIN)).toBeUndefined();
    expect(keyText('12 000', { kind: 'number' }, COMMA)).toBe('12000');
    expect(keyText('1.200,5', { kind: 'number' }, COMMA)).toBe('1200.5');
    expect(keyText('12,0', { kind: 'number' }, COMMA)).toBe('12');
    expect(keyText(' N/A ', { kind: 'text' }, COMMA)).toBeUndefined();
    expect(keyText('n/a', { kind: 'number' }, COMMA)).toBeUndefined();
    // A text key is never read as a number: `012` and `12` are two accounts.
    expect(keyText('012', { kind: 'text' }, PLAIN)).toBe('012');
    // Objects, lists and booleans are no key.
    expect(keyText({ id: 1 }, { kind: 'text' }, PLAIN)).toBeUndefined();
    expect(keyText(['A'], { kind: 'text' }, PLAIN)).toBeUndefined();
    expect(keyText(true, { kind: 'text' }, PLAIN)).toBeUndefined();
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
