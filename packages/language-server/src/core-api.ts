// The core functions the server uses beyond `analyze`, behind small local shapes so the features
// do not depend on the exact result types of `compile` and `runTests`.
import { compile, hasErrors, runTests, type AccountScorer, type Analysis, type Range, type Scorer } from '@rubric/core';

/** One `expect` line of a test, evaluated. */
export interface ExpectationOutcome {
  readonly range: Range;
  readonly description: string;
  readonly expected: string;
  readonly actual: string;
  readonly passed: boolean;
  /** Why it failed, in a sentence (`purchase needs 40; the score is 35`). */
  readonly help?: string;
}

/** One `test` block, run. */
export interface TestOutcome {
  readonly name: string;
  readonly range: Range;
  readonly passed: boolean;
  readonly expectations: readonly ExpectationOutcome[];
  /** Labels of the rules that fired for the test's lead. */
  readonly firedRules: readonly string[];
  /** Why the test could not run, when it could not. */
  readonly error?: string;
}

/** The file's tests, run; `error` when they could not run (the file has errors). */
export interface TestRun {
  readonly results: readonly TestOutcome[];
  readonly error?: string;
}

/** A compiled file: the lead scorer and, for a file with an `account` block, the account scorer. */
export type CompiledFile = Scorer & { readonly accounts: AccountScorer | null };

/** Compiles a checked file to a scorer; undefined when the file has errors. */
export function compileScorer(analysis: Analysis): CompiledFile | undefined {
  if (hasErrors(analysis.diagnostics)) return undefined;
  return compile(analysis.model).scorer ?? undefined;
}

/** Runs the file's `test` blocks. */
export function runFileTests(text: string, uri: string, analysis: Analysis): TestRun {
  if (analysis.model.tests.length === 0) return { results: [] };
  if (hasErrors(analysis.diagnostics)) return { results: [], error: 'the file has errors; fix them to run its tests' };
  const run = runTests(text, uri);
  const rules = analysis.model.rules;
  return {
    results: run.results.map((result) => {
      const outcome: TestOutcome = {
        name: result.name,
        range: result.range,
        passed: result.passed,
        expectations: result.expectations.map((expectation) => {
          const base = {
            range: expectation.range,
            description: expectation.description,
            expected: expectation.expected,
            actual: expectation.actual,
            passed: expectation.passed,
          };
          return expectation.help === undefined ? base : { ...base, help: expectation.help };
        }),
        firedRules: result.firedRules.map((index) => rules[index]?.label ?? `rule ${index + 1}`),
      };
      return result.error === undefined ? outcome : { ...outcome, error: result.error };
    }),
  };
}

