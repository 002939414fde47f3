import { describe, expect, it } from 'vitest';
import { DataHints } from '../src/output/data-hints.js';

const problem = (field: string, value: string, expected: string) => ({ field, value, message: `expected ${expected}, got ${JSON.stringify(value)}`, action: 'treated as missing' });

describe('the data-block hint after a run\'s problems', () => {
  it('names the first value of each kind a data block reads, in a fixed order', () => {
    const hints = new DataHints();
    hints.observe(problem('ok', 'Oui', 'bool (true or false, or the text true/false/yes/no/1/0)'));
    hints.observe(problem('revenue', '1.200,50', 'number'));
    hints.observe(problem('revenue', '3,5', 'number'));
    hints.observe(problem('created', '15/03/2026 09:30', 'date (ISO 8601 text or Date)'));
    hints.observe(problem('phone', 'N/C', 'number'));
    hints.observe(problem('size', 'Non communiqué', 'number'));
    hints.observe({ field: 'job', value: 'n/c', message: 'expected one of [ceo, cto], got "n/c"', action: 'treated as missing' });
    expect(hints.line()).toBe(
      'hint: "1.200,50" in `revenue` looks like a number with a decimal comma or spaced thousands (`numbers: decimal comma`); ' +
        '"15/03/2026 09:30" in `created` looks like a day-first or month-first date (`dates: day first`); ' +
        '"Oui" in `ok` looks like a yes/no word of another language (`true: [...]`, `false: [...]`); ' +
        '"N/C" in `phone` looks like a placeholder for "unknown" (`missing: [...]`). ' +
        'A `data` block in the rule file reads such values; `rubric profile RULES DATA` suggests one from the data (docs/data.md)',
    );
  });

  it('says nothing for values no data block would read, rows skipped, or other checks', () => {
    const hints = new DataHints();
    hints.observe(problem('size', 'fifty', 'number'));
    hints.observe(problem('size', '12,345,678.9', 'number'));
    hints.observe(problem('created', 'yesterday', 'date (ISO 8601 text or Date)'));
    hints.observe(problem('ok', 'maybe', 'bool'));
    hints.observe({ field: 'size', value: '1 200', message: 'expected number, got "1 200"', action: 'row skipped' });
    hints.observe({ field: 'job', value: 'autre', message: 'expected one of [ceo, cto], got "autre"', action: 'treated as missing' });
    hints.observe({ field: 'job', value: 'n/c', message: 'unknown event type "n/c"', action: 'treated as missing' });
    expect(hints.line()).toBeUndefined();
  });

  it('escapes what the data holds for the terminal', () => {
    const hints = new DataHints();
    hints.observe(problem('size\u001b[31m', '1 200', 'number'));
    expect(hints.line()).not.toContain('\u001b');
  });
});
