/** `withThousands` (number-range.ts) writes numbers in messages as `toLocaleString('en-US')` does. */
import { describe, expect, it } from 'vitest';
import { MAX_NUMBER_TEXT, withThousands } from '../../src/checker/number-range.js';
import { MAX_DURATION_SECONDS, MAX_NUMBER } from '../../src/limits.js';

describe('withThousands', () => {
  it('matches toLocaleString for the limits and a spread of values', () => {
    const values = [0, 1, 12, 999, 1000, 1234.5, 1234.56, 100_000, 999_999.99, 1_000_000, MAX_NUMBER, MAX_DURATION_SECONDS / 86_400, 2_777_777, 14_285_714];
    for (const value of values) expect(withThousands(value)).toBe(value.toLocaleString('en-US', { maximumFractionDigits: 2 }));
    expect(MAX_NUMBER_TEXT).toBe('9,999,999,999,999.99');
  });
});
