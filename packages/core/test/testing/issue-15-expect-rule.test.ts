// `expect rule "LABEL" fired` / `not fired` (issue 15): parser, checker, runner and formatter.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { format } from '../../src/format/format.js';
import { astShape, sameShape } from '../../src/format/shape.js';
import { parse } from '../../src/syntax/parse.js';
import { runTests } from '../../src/testing/run-tests.js';

const RULES = `lead {
  job: text
  rule: text
  fired: bool
}
group fit max 60 {
  when job = ceo add 10 "Décideur"
  when job = cto add 5 "Tech"
  when rule = strict and fired add 2 "Rule field"
}
when job = intern sub 5 "Intern"
`;

function expectations(body: string): { description: string; expected: string; actual: string; passed: boolean; help?: string }[] {
  const run = runTests(`${RULES}test "t" {\n  lead { job: ceo }\n${body}}\n`);
  expect(run.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return run.results[0].expectations.map(({ description, expected, actual, passed, help }) => ({ description, expected, actual, passed, ...(help !== undefined ? { help } : {}) }));
}

describe('expect rule "LABEL" fired / not fired', () => {
  it('passes when the rule fired (or did not) for the test lead, and shows the actual value when not', () => {
    expect(expectations('  expect rule "Décideur" fired\n  expect rule "Tech" not fired\n  expect rule "Tech" fired\n  expect rule "Décideur" not fired\n')).toEqual([
      { description: 'rule "Décideur" fired', expected: 'fired', actual: 'fired', passed: true },
      { description: 'rule "Tech" not fired', expected: 'not fired', actual: 'not fired', passed: true },
      { description: 'rule "Tech" fired', expected: 'fired', actual: 'not fired', passed: false, help: 'the rule on line 8 did not fire for this lead' },
      { description: 'rule "Décideur" not fired', expected: 'not fired', actual: 'fired', passed: false, help: 'the rule on line 7 fired and contributed 10 points' },
    ]);
  });

  it('a rule that subtracts points fired too; a failing expectation fails the test', () => {
    const run = runTests(`${RULES}test "intern" {\n  lead { job: intern }\n  expect rule "Intern" not fired\n}\n`);
    expect(run.failed).toBe(1);
    expect(run.results[0].expectations[0]).toMatchObject({ actual: 'fired', passed: false, help: 'the rule on line 11 fired and contributed -5 points' });
  });

  it('keeps `rule` and `fired` usable as field names (they are not keywords)', () => {
    expect(expectations('  expect rule "Rule field" not fired\n')).toEqual([
      { description: 'rule "Rule field" not fired', expected: 'not fired', actual: 'not fired', passed: true },
    ]);
    const run = runTests(`${RULES}test "fields" {\n  lead { rule: strict, fired: true }\n  expect rule "Rule field" fired\n  expect score 2\n}\n`);
    expect(run.failed).toBe(0);
    expect(run.passed).toBe(1);
  });

  it('is a syntax error without the label string or with another word than `fired`', () => {
    for (const body of ['expect rule Tech fired', 'expect rule "Tech" fird', 'expect rule "Tech" not', 'expect rule "Tech"']) {
      const diagnostics = analyze(`${RULES}test "t" {\n  lead { job: ceo }\n  ${body}\n}\n`).diagnostics;
      expect(diagnostics.some((d) => /^R00/.test(d.code) && d.severity === 'error'), body).toBe(true);
    }
    const misspelt = analyze(`${RULES}test "t" {\n  lead { job: ceo }\n  expect rule "Tech" fird\n}\n`).diagnostics[0];
    expect(misspelt).toMatchObject({ code: 'R001', message: 'expected `fired` or `not fired`, found `fird`', help: 'write `expect rule "LABEL" fired` or `expect rule "LABEL" not fired`' });
  });

  it('unknown and shared labels are checker errors (did you mean; make labels unique)', () => {
    const text = `${RULES}when job = cfo add 1 "Tech"\ntest "t" {\n  lead { job: ceo }\n  expect rule "Decideur" fired\n  expect rule "Tech" fired\n}\n`;
    const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.message])).toEqual([
      ['R013', 'no rule has the label "Decideur"; did you mean "Décideur"?'],
      ['R036', '2 rules have the label "Tech" (lines 8, 12); a test cannot tell which one it means'],
    ]);
    expect(errors[0].fixes?.[0].edits[0].newText).toBe('"Décideur"');
    expect(runTests(text).results).toEqual([]);
  });

  it('formats canonically, and `fired` / `not fired` are different meanings to the formatter check', () => {
    const text = `${RULES}test "t" {\n  lead { job: ceo }\n  expect   rule  'Tech'   not    fired\n}\n`;
    const formatted = format(text);
    expect(formatted.internalError).toBeUndefined();
    expect(formatted.text).toContain('  expect rule "Tech" not fired\n');
    expect(sameShape(astShape(parse(text).ast), astShape(parse(formatted.text).ast))).toBe(true);
    const positive = formatted.text.replace('not fired', 'fired');
    expect(sameShape(astShape(parse(formatted.text).ast), astShape(parse(positive).ast))).toBe(false);
  });
});
