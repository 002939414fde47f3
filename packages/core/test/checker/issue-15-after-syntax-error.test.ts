// Issue 15: after a syntax error, a declaration that the broken statement's text mentions is not
// reported unused (R026): the statement did not parse, so the checker cannot see the use. Golden
// cases in golden-issue-15-after-syntax-error/: NAME.rubric -> NAME.expected holds the checker's
// diagnostics only (the parser's messages are another golden's business). UPDATE_GOLDEN=1 rewrites.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze.js';
import { check } from '../../src/checker/check.js';
import { parse } from '../../src/syntax/parse.js';
import { goldenCases, matchGolden, renderDiagnostics } from './support.js';

const dir = fileURLToPath(new URL('./golden-issue-15-after-syntax-error', import.meta.url));

describe('unused declarations after a syntax error (golden)', () => {
  for (const c of goldenCases(dir)) {
    it(c.name, () => {
      const { diagnostics } = analyze(c.input, 'test.rubric');
      // The cases are about broken statements: each must have a syntax error.
      expect(diagnostics.some((d) => /^R00/.test(d.code))).toBe(true);
      const checker = diagnostics.filter((d) => !/^R00/.test(d.code));
      const { actual, expected } = matchGolden(renderDiagnostics(checker), c);
      expect(expected, `missing ${c.expectedPath}; run with UPDATE_GOLDEN=1`).toBeDefined();
      expect(actual).toBe(expected);
    });
  }

  it('without the syntax errors the checker reports the same names unused (the use is really unread)', () => {
    const text = goldenCases(dir).find((c) => c.name === 'unused-after-broken-rule')?.input ?? '';
    const parsed = parse(text, 'test.rubric');
    const unused = check(parsed.ast).diagnostics.filter((d) => d.code === 'R026').map((d) => d.message);
    expect(unused).toEqual(
      expect.arrayContaining(['field `email` is never used', 'event `page_view` is never used', 'event `demo_request` is never used', 'segment `big` is never used']),
    );
  });

  it('a file that parses is checked as before: an unused name stays reported', () => {
    const { diagnostics } = analyze('lead {\n  job: text\n  email: text\n}\nwhen job = CEO add 1\n', 'test.rubric');
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['R026 field `email` is never used']);
  });
});
