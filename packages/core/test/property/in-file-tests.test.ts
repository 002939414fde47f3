/**
 * In-file tests against the oracle: random `test` blocks (literal lead values, events `at` a date
 * or `N days ago`) whose expectations are computed by the reference interpreter must all pass in
 * the project's test runner. This checks how the runner turns test literals into lead data, as
 * well as the scorer it runs them with. RUBRIC_PROPERTY_RUNS / RUBRIC_PROPERTY_SEED as in
 * compiled-vs-interpreted.test.ts (this property runs a fifth as many files).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { runTests } from '../../src/testing/run-tests.js';
import { interpret } from '../oracle/interpret.js';
import { arbitraryFileSpec, arbitraryTestFor, renderRuleFile, testLeadCase, type ExpectSpec, type FileSpec, type TestSpec } from '../support/arbitrary.js';

const RUNS = Math.max(10, Math.round(Number(process.env.RUBRIC_PROPERTY_RUNS ?? 250) / 5));
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20260301);

/** The test with every expectation the interpreter gives for its lead. */
function withOracleExpectations(spec: FileSpec, test: TestSpec): TestSpec {
  const model = analyze(renderRuleFile(spec)).model;
  const leadCase = testLeadCase(test);
  const result = interpret(model, leadCase.lead, { now: leadCase.now, events: leadCase.events ?? [] });
  const expectations: ExpectSpec[] = [
    { kind: 'score', op: '=', hundredths: Math.round(result.score * 100) },
    { kind: 'stage', name: result.stage },
    { kind: 'tier', name: result.tier },
    ...Object.entries(result.groups).map(([name, value]): ExpectSpec => ({ kind: 'group', name, op: '=', hundredths: Math.round(value * 100) })),
  ];
  return { ...test, expectations };
}

it(`in-file tests with the interpreter's expectations pass (${RUNS} files)`, () => {
  const arbitrary = arbitraryFileSpec({ tests: false }).chain((spec) =>
    fc.uniqueArray(arbitraryTestFor(spec), { minLength: 1, maxLength: 3, selector: (t) => t.name }).map((tests) => ({ spec, tests })),
  );
  const details = fc.check(
    fc.property(arbitrary, ({ spec, tests }) => {
      const file: FileSpec = { ...spec, tests: tests.map((test) => withOracleExpectations(spec, test)) };
      const text = renderRuleFile(file);
      const run = runTests(text, 'generated.rubric');
      const errors = run.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
      const failures = run.results.flatMap((r) =>
        r.error !== undefined ? [`${r.name}: ${r.error}`] : r.expectations.filter((e) => !e.passed).map((e) => `${r.name}: expect ${e.description}, got ${e.actual}`),
      );
      if (errors.length > 0 || failures.length > 0 || run.results.length !== tests.length) {
        throw new Error(`${[...errors, ...failures].join('\n')}\n--- file ---\n${text}`);
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  expect(details.failed, details.failed ? String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance) : '').toBe(false);
});
