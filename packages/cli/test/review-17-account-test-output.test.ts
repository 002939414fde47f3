// Review 17: a failed account test (`account { }` ... `expect account ...`) printed "rules that
// fired:" with the CONTACT rules only, so the user checking `expect account rule "one" fired`
// saw no account rule at all, though "one" had fired. Now the account rules that fired are
// listed, then the contact rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

const RULES = `lead {
  job: text
  c: number
}
account id = c {
  id: number
}
when job = CEO add 10 "CEO"
score accounts {
  when count contacts >= 1 add 1 "one"
  when count contacts >= 5 add 1 "five"
}
test "a small account" {
  account { id: 42 }
  contact { job: CEO }
  expect account rule "five" fired
}
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('abm.rubric', RULES);
});
afterEach(() => ws.remove());

describe('rubric test on a failed account test', () => {
  it('lists the account rules that fired, then the contact rules', async () => {
    const result = await ws.run(['test', 'abm.rubric']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('help: the rule on line 11 did not fire for this account');
    expect(result.stdout).toContain('account rules that fired: one (line 10)\n');
    expect(result.stdout).toContain('contact rules that fired: CEO (line 8)\n');
  });
});
