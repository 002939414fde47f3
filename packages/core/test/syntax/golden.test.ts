import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parse } from '../../src/syntax/parse.js';
import { goldenCases, matchGolden, renderDiagnostics, treeWithoutRanges } from './support.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('syntax errors (golden)', () => {
  for (const c of goldenCases(`${here}golden/errors`, 'expected')) {
    it(c.name, () => {
      const { diagnostics } = parse(c.input, `${c.name}.rubric`);
      const { actual, expected } = matchGolden(renderDiagnostics(diagnostics), c.expectedPath, c.expected);
      expect(actual).toBe(expected);
      expect(diagnostics.length).toBeGreaterThan(0);
    });
  }
});

describe('trees (golden)', () => {
  for (const c of goldenCases(`${here}golden/trees`, 'ast.json')) {
    it(c.name, () => {
      const { ast, diagnostics } = parse(c.input, `${c.name}.rubric`);
      expect(renderDiagnostics(diagnostics)).toBe('\n');
      const { actual, expected } = matchGolden(treeWithoutRanges(ast.statements), c.expectedPath, c.expected);
      expect(actual).toBe(expected);
    });
  }
});
