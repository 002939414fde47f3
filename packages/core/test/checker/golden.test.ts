// One generic runner for the checker's golden cases: each golden/NAME.rubric is checked and its
// diagnostics compared with golden/NAME.expected. Regenerate with UPDATE_GOLDEN=1 and review the diff.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/diagnostic.js';
import { checkText, goldenCases, matchGolden, renderDiagnostics } from './support.js';

const dir = fileURLToPath(new URL('./golden', import.meta.url));
const cases = goldenCases(dir);

describe('checker diagnostics (golden: golden/NAME.rubric -> golden/NAME.expected)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { diagnostics } = checkText(c.input);
      // The cases are about the checker: their text must parse cleanly.
      expect(diagnostics.filter((d) => /^R00/.test(d.code)).map((d) => d.message)).toEqual([]);
      const { actual, expected } = matchGolden(renderDiagnostics(diagnostics), c);
      expect(expected, `missing ${c.expectedPath}; run with UPDATE_GOLDEN=1`).toBeDefined();
      expect(actual).toBe(expected);
    });
  }

  it('covers every checker code with at least one case', () => {
    const seen = new Set<string>();
    for (const c of cases) for (const d of checkText(c.input).diagnostics) seen.add(d.code);
    // R040 (a file or statement too large) comes from the parser, and its cases are megabytes:
    // packages/core/test/syntax/limits.test.ts generates them.
    const checkerCodes = Object.keys(DIAGNOSTIC_CODES).filter((code) => !/^R00/.test(code) && code !== 'R040');
    expect(checkerCodes.filter((code) => !seen.has(code))).toEqual([]);
  });

  it('gives every diagnostic the default severity of its code and a help text', () => {
    for (const c of cases) {
      for (const d of checkText(c.input).diagnostics) {
        // R043 has one documented lesser case (docs/language.md): a word listed twice is a warning.
        const lesser = d.code === 'R043' && d.severity === 'warning' && /listed twice|already a `missing` value/.test(d.message);
        expect(d.severity, `${c.name}: ${d.code}`).toBe(lesser ? 'warning' : DIAGNOSTIC_CODES[d.code].severity);
        expect(d.help, `${c.name}: ${d.code} ${d.message}`).toBeTruthy();
      }
    }
  });
});
