/**
 * Issue 17: every account case (`accounts/*.json`, worked by hand from docs/language.md §14) on
 * the oracle (test/oracle/interpret-accounts.ts) and on the compiled account scorer
 * (`scoreAccount` and `explainAccount`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { compile } from '../../src/compiler/compile.js';
import type { Lead, ScoreResult } from '../../src/runtime/types.js';
import { interpretAccount } from '../oracle/interpret-accounts.js';
import { loadAccountCases, type AccountCase } from '../support/account-cases.js';
import type { ExpectedResult } from '../support/language-cases.js';

const cases = loadAccountCases(join(dirname(fileURLToPath(import.meta.url)), 'accounts'));

function project(result: ScoreResult): ExpectedResult {
  return { score: result.score, stage: result.stage, tier: result.tier, groups: { ...result.groups } };
}

function expectedOf(c: AccountCase) {
  const { aggregates, contacts, ...account } = c.expected;
  return { account, aggregates, contacts: contacts.map((r) => ({ ...r, groups: { ...r.groups } })) };
}

function modelOf(c: AccountCase) {
  const analysis = analyze(c.rules, 'case.rubric');
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
  expect(errors, `the case's rules must check without errors:\n${c.rules}`).toEqual([]);
  return analysis.model;
}

it('has account cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(10);
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  it('the oracle', () => {
    const oracle = interpretAccount(modelOf(c), c.account as Lead, c.contacts as Lead[], { now: c.now });
    expect({ account: project(oracle.account), aggregates: oracle.aggregates.map((a) => a.value), contacts: oracle.contacts.map(project) }).toEqual(expectedOf(c));
  });

  it('the compiled account scorer', () => {
    const { scorer } = compile(modelOf(c));
    const accounts = scorer?.accounts;
    if (accounts === null || accounts === undefined) throw new Error('no account scorer');
    const scored = accounts.scoreAccount(c.account as Lead, c.contacts as Lead[], { now: c.now });
    const explained = accounts.explainAccount(c.account as Lead, c.contacts as Lead[], { now: c.now });
    const { contacts: _c, ...result } = scored;
    expect({ account: project(result), aggregates: explained.aggregates.map((a) => a.value), contacts: scored.contacts.map(project) }).toEqual(expectedOf(c));
    expect({ account: project(explained), contacts: explained.contacts.map(project) }).toEqual({ account: expectedOf(c).account, contacts: expectedOf(c).contacts });
  });
});
