import type { DocumentState } from '../document-state.js';
import { toLspRange } from '../text.js';
import type { Range } from 'vscode-languageserver';

/** The `rubric/runTests` request: runs the document's `test` blocks. */
export const RUN_TESTS_REQUEST = 'rubric/runTests';

export interface RunTestsParams {
  readonly textDocument: { readonly uri: string };
  /** Only the test of this name; all tests when absent. */
  readonly name?: string;
}

export interface RunTestsResult {
  readonly uri: string;
  readonly version: number;
  /** Set when the tests could not run (the file has errors). */
  readonly error?: string;
  readonly passed: number;
  readonly failed: number;
  readonly tests: readonly {
    readonly name: string;
    readonly range: Range;
    readonly passed: boolean;
    readonly expectations: readonly {
      readonly range: Range;
      readonly description: string;
      readonly expected: string;
      readonly actual: string;
      readonly passed: boolean;
    }[];
    readonly firedRules: readonly string[];
  }[];
}

/** Runs the file's tests (all, or the one named) and reports each expectation. */
export function runTests(state: DocumentState, params: RunTestsParams): RunTestsResult {
  const run = state.testRun();
  const selected = run.results.filter((r) => params.name === undefined || r.name === params.name);
  const tests = selected.map((r) => ({
    name: r.name,
    range: toLspRange(r.range, state.lines),
    passed: r.passed,
    expectations: r.expectations.map((e) => ({ ...e, range: toLspRange(e.range, state.lines) })),
    firedRules: r.firedRules,
  }));
  const result = {
    uri: state.uri,
    version: state.version,
    passed: tests.filter((t) => t.passed).length,
    failed: tests.filter((t) => !t.passed).length,
    tests,
  };
  return run.error === undefined ? result : { ...result, error: run.error };
}
