// The in-file test runner: `test "..." { now  lead {..}  events {..}  expect .. }`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/testing/run-tests.js';
import { DESIGN_EXAMPLE_TEXT } from '../compiler/design-model.js';

const HEADER = `lead {
  job: text
  phone: text
  size: number
  signup: date
  tags: list of text
  plan: one of [free, pro]
}
event visit { url: text }
let bosses = [CEO, CTO]
let vip_tag = vip
group fit max 20 {
  when job in bosses add 15 "Boss"
  when size > 10 add 10 "Sized"
}
group activity {
  when count visit within 7 days >= 2 add 5 "Two recent visits"
  when any visit where url starts "/pricing" add 10
}
when tags has vip_tag add 1
when signup < 2026-01-01 add 2
when plan = pro add 4
stage warm at 10
stage hot at 30 requires phone when activity >= 10
tier A when fit >= 20
`;

describe('runTests', () => {
  it('passes the design example test and records the fired rules', () => {
    const run = runTests(DESIGN_EXAMPLE_TEXT, 'design.rubric');
    expect(run.passed).toBe(1);
    expect(run.failed).toBe(0);
    const [test] = run.results;
    expect(test.name).toBe('SMB services firm that read the guide and saw pricing');
    expect(test.passed).toBe(true);
    expect(test.firedRules).toEqual([0, 5, 6]);
    expect(test.expectations.map((e) => [e.description, e.expected, e.actual, e.passed])).toEqual([
      ['score 60', '60', '60', true],
      ['stage purchase', 'purchase', 'purchase', true],
    ]);
    expect(test.result?.score).toBe(60);
    expect(test.range.start.line).toBe(46);
  });

  it('builds the lead from the schema: lets, lists, dates, one-of values and relative events', () => {
    const run = runTests(`${HEADER}
test "everything" {
  now 2026-03-01
  lead { job: CEO, size: 50, tags: [vip, other], signup: 2025-12-31, plan: Pro, phone: "+33" }
  events {
    visit { url: "/pricing" } 2 days ago
    visit { url: "/blog" } 6 days ago
    visit { url: "/blog" } 8 days ago
    visit at 2026-03-02
  }
  expect score 42
  expect score >= 40
  expect group fit 20
  expect group activity 15
  expect stage hot
  expect tier A
}
`);
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run.results[0].expectations.filter((e) => !e.passed)).toEqual([]);
    expect(run.passed).toBe(1);
  });

  it('reports failures with what was expected, what happened and why', () => {
    const run = runTests(`${HEADER}
test "not hot yet" {
  now 2026-03-01
  lead { job: CTO, size: 50 }
  events {
    visit { url: "/pricing" } at 2026-02-27
  }
  expect score 40
  expect score < 20
  expect group fit 25
  expect stage hot
  expect no tier
}

test "nothing" {
  lead { }
  expect no stage
}
`);
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run.passed).toBe(1);
    expect(run.failed).toBe(1);
    const [failing, passing] = run.results;
    expect(passing.passed).toBe(true);
    expect(failing.passed).toBe(false);
    expect(failing.expectations.map((e) => [e.description, e.expected, e.actual, e.passed, e.help])).toEqual([
      ['score 40', '40', '30', false, undefined],
      ['score < 20', '< 20', '30', false, undefined],
      ['group fit 25', '25', '20', false, '`fit` adds up to 25, clamped to 20 by its max'],
      ['stage hot', 'hot', 'warm', false, '`hot` is not reached: `phone` is missing'],
      ['no tier', 'no tier', 'A', false, undefined],
    ]);
    expect(failing.expectations[0].range.start.line).toBeGreaterThan(failing.range.start.line);
  });

  it('explains why a stage is missed: score, requires, `when`, or a later stage', () => {
    const run = runTests(`${HEADER}
test "low" {
  lead { job: CEO, phone: "1" }
  expect stage hot
}
test "later stage wins" {
  now 2026-03-01
  lead { job: CEO, size: 20, phone: "1" }
  events {
    visit { url: "/pricing" } 1 day ago
  }
  expect stage warm
}
`);
    expect(run.results.map((r) => r.expectations[0].help)).toEqual([
      '`hot` is not reached: it needs a score of 30 and the score is 15; its `when` fails at `activity >= 10`',
      '`warm` is reached, but `hot` comes later in the file and is reached too',
    ]);
  });

  it('names the `requires` condition and the part of `when` that failed (issue 15)', () => {
    const run = runTests(`lead {
  email: text
  country: text
}
when email is set add 50
stage mql at 50 requires email not ends "@gmail.com" when country in [FR, BE] and email contains "."
test "personal address" {
  lead { email: "ana@gmail.com", country: DE }
  expect stage mql
}
`);
    expect(run.results.map((r) => r.expectations[0].help)).toEqual([
      '`mql` is not reached: `email not ends "@gmail.com"` does not hold; its `when` fails at `country in [FR, BE]`',
    ]);
  });

  it('runs no test in a file with errors and returns its diagnostics', () => {
    const run = runTests(`${HEADER}
when sise > 3 add 1
test "t" {
  lead { job: CEO }
  expect score 15
}
`);
    expect(run.results).toEqual([]);
    expect(run.passed + run.failed).toBe(0);
    expect(run.diagnostics.some((d) => d.code === 'R010')).toBe(true);
  });
});

describe('the examples shipped with Rubric', () => {
  const root = fileURLToPath(new URL('../../../../examples/', import.meta.url));
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rubric'));

  it.each(files.map((f) => [f]))('%s: every in-file test passes', (file) => {
    const run = runTests(readFileSync(join(root, file), 'utf8'), file);
    expect(run.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const failures = run.results.flatMap((r) =>
      r.expectations.filter((e) => !e.passed).map((e) => `${r.name}: expected ${e.description}, got ${e.actual}`),
    );
    expect(failures).toEqual([]);
    expect(run.results.length).toBeGreaterThan(0);
  });
});
