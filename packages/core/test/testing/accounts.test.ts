// Issue 17: in-file account tests (`account { }`, `contact { } events { }`, `expect account ...`)
// run through the account scorer; a failure says what happened (the aggregates, why a stage is
// not reached, which rule did or did not fire).
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/testing/run-tests.js';
import type { AccountExplanation } from '../../src/runtime/types.js';

const RULES = `lead {
  job: text
  company.id: text
}
event email_click { campaign: text }
account id = company.id {
  id: text
  industry: one of [logiciel, industrie, services]
  employees: number
}
let decision_makers = [CEO, CFO, CTO, "Directeur Général", DAF]
segment engaged_30 = any email_click within 30 days
group fit max 40 {
  when job in decision_makers add 20
  when account.employees >= 200 add 10 "Large account"
}
when engaged_30 add 15
stage mql at 40
score accounts {
  when industry in [logiciel, services] add 10 "Target industry"
  group committee max 60 {
    when count contacts where job in decision_makers >= 1 add 20 "A decision maker"
    when count contacts where engaged_30 >= 2 add 20
  }
  when best score of contacts >= 40 add 15 "A hot contact"
  when average fit of top 2 contacts >= 25 add 5
  each email_click within 90 days add 1 up to 10
  stage target at 0
  stage buying at 50 when count contacts where stage >= mql >= 1
  tier strategic when employees >= 1000
}
`;

type Outcome = { description: string; expected: string; actual: string; passed: boolean; help?: string };

function run(body: string): { passed: boolean; error?: string; expectations: Outcome[]; result?: AccountExplanation; firedRules: readonly number[]; accountFiredRules?: readonly number[] } {
  const result = runTests(`${RULES}test "t" {\n  now 2026-03-01\n${body}}\n`);
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const first = result.results[0];
  return {
    passed: first.passed,
    ...(first.error === undefined ? {} : { error: first.error }),
    expectations: first.expectations.map(({ description, expected, actual, passed, help }) => ({ description, expected, actual, passed, ...(help === undefined ? {} : { help }) })),
    ...(first.result === undefined ? {} : { result: first.result as AccountExplanation }),
    firedRules: first.firedRules,
    ...(first.accountFiredRules === undefined ? {} : { accountFiredRules: first.accountFiredRules }),
  };
}

const COMMITTEE = `  account { id: "acme", industry: logiciel, employees: 300 }
  contact { job: CEO, company.id: "acme" } events { email_click at 2026-02-25
    email_click 2 days ago }
  contact { job: dev, company.id: "acme" } events { email_click at 2026-02-20 }
`;

describe('in-file account tests', () => {
  it('score the account from its fields, its contacts and their events', () => {
    // CEO: 20 + 10 (300 employees) + 15 (engaged) = 45 -> mql; dev: 10 + 15 = 25.
    // Account: 10 (logiciel) + committee 40 (a decision maker, 2 engaged) + 15 (best 45) + 3 clicks
    // = 68; the average fit of the top 2 is (30 + 10) / 2 = 20 < 25.
    const r = run(`${COMMITTEE}  expect account score 68\n  expect account group committee 40\n  expect account stage buying\n  expect account no tier\n  expect account rule "A hot contact" fired\n`);
    expect(r.expectations).toEqual([
      { description: 'account score 68', expected: '68', actual: '68', passed: true },
      { description: 'account group committee 40', expected: '40', actual: '40', passed: true },
      { description: 'account stage buying', expected: 'buying', actual: 'buying', passed: true },
      { description: 'account no tier', expected: 'no tier', actual: 'no tier', passed: true },
      { description: 'account rule "A hot contact" fired', expected: 'fired', actual: 'fired', passed: true },
    ]);
    expect(r.passed).toBe(true);
    expect(r.result?.contacts.map((c) => c.score)).toEqual([45, 25]);
    expect(r.result?.aggregates.map((a) => [a.text, a.value, a.contacts])).toEqual([
      ['count contacts where job in decision_makers', 1, 1],
      ['count contacts where engaged_30', 2, 2],
      ['best score of contacts', 45, 2],
      ['average fit of top 2 contacts', 20, 2],
      ['count contacts where stage >= mql', 1, 1],
    ]);
    // Coverage: the contact rules that fired for some contact, the account rules that fired.
    expect(r.firedRules).toEqual([0, 1, 2]);
    expect(r.accountFiredRules).toEqual([0, 1, 2, 3, 5]);
  });

  it('a failed account expectation says what the account read from its contacts', () => {
    const r = run(`${COMMITTEE}  expect account score >= 80\n  expect account tier strategic\n  expect account rule "Target industry" not fired\n`);
    expect(r.passed).toBe(false);
    expect(r.expectations).toEqual([
      {
        description: 'account score >= 80',
        expected: '>= 80',
        actual: '68',
        passed: false,
        help:
          "the account's 2 contacts scored 45, 25; `count contacts where job in decision_makers` is 1 (1 contact); `count contacts where engaged_30` is 2 (2 contacts); " +
          '`best score of contacts` is 45 (2 contacts); `average fit of top 2 contacts` is 20 (2 contacts); `count contacts where stage >= mql` is 1 (1 contact)',
      },
      { description: 'account tier strategic', expected: 'strategic', actual: 'no tier', passed: false },
      {
        description: 'account rule "Target industry" not fired',
        expected: 'not fired',
        actual: 'fired',
        passed: false,
        help: 'the rule on line 20 fired and contributed 10 points',
      },
    ]);
  });

  it('an account without contacts, and a stage failure explained', () => {
    const r = run(`  account { id: "solo", industry: industrie }\n  expect account score 0\n  expect account stage buying\n`);
    expect(r.expectations).toEqual([
      { description: 'account score 0', expected: '0', actual: '0', passed: true },
      {
        description: 'account stage buying',
        expected: 'buying',
        actual: 'target',
        passed: false,
        help: '`buying` is not reached: it needs a score of 50 and the score is 0; its `when` fails at `count contacts where stage >= mql >= 1`',
      },
    ]);
    expect(r.result?.aggregates.map((a) => a.value)).toEqual([0, 0, null, null, 0]);
  });
});
