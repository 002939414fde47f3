// Review 17: a failed `expect account rule "LABEL" fired` said "the rule on line N did not fire
// for this lead"; an account test scores an account, and the rule is an account rule.
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/testing/run-tests.js';

const FILE = `lead {
  job: text
  c: number
}
account id = c {
  id: number
}
when job = CEO add 10
score accounts {
  when count contacts >= 5 add 1 "five"
}
test "a small account" {
  account { id: 1 }
  contact { job: CEO }
  expect account rule "five" fired
}
`;

describe('a failed `expect account rule`', () => {
  it('speaks of the account', () => {
    const run = runTests(FILE);
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [expectation] = run.results[0]?.expectations ?? [];
    expect(expectation).toMatchObject({ description: 'account rule "five" fired', expected: 'fired', actual: 'not fired', passed: false });
    expect(expectation?.help).toBe('the rule on line 10 did not fire for this account');
  });
});
