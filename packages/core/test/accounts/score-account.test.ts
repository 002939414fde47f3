// Issue 17: the account scorer from account syntax: the order of scoring (contacts, aggregates,
// account, contacts again when they read the account's result), contacts without an account,
// explanations, probes lowered from `where` with `stage` / `tier`.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import type { CompiledScorer } from '../../src/compiler/compile.js';
import { interpretAccount } from '../oracle/interpret-accounts.js';

function compiled(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return scorer;
}

const NOW = '2026-03-01T00:00:00Z';

const READS_RESULT = `lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  employees: number
}
when job = ceo add 10
when account.employees >= 100 add 5
when account.stage = buying add 100 "Buying account"
when account.score >= 20 add 1
when account.tier is set add 1000
stage mql at 10
score accounts {
  when count contacts where job = ceo >= 1 add 20
  when employees >= 100 add 5
  stage target at 0
  stage buying at 25
  tier strategic when employees >= 1000
}
`;

describe('scoreAccount', () => {
  it('scores contacts again with the account stage, score and tier when they read them (step 3)', () => {
    const scorer = compiled(READS_RESULT);
    expect(scorer.model.account?.contactsReadAccountResult).toBe(true);
    const accounts = scorer.accounts!;
    const result = accounts.scoreAccount({ id: 'a', employees: 150 }, [{ job: 'CEO' }, { job: 'dev', account: { stage: 'target', score: 0 } }], { now: NOW });
    // Account: 20 + 5 = 25 -> buying, no tier. Contacts: the first read (ceo: 10 + 5) gave the
    // account's count; the final scores add 100 (buying) and 1 (score 25 >= 20).
    expect({ score: result.score, stage: result.stage, tier: result.tier }).toEqual({ score: 25, stage: 'buying', tier: null });
    expect(result.contacts.map((c) => c.score)).toEqual([116, 106]);
    const explained = accounts.explainAccount({ id: 'a', employees: 5000 }, [{ job: 'dev' }], { now: NOW });
    expect(explained.contacts[0].hits.map((h) => h.label)).toEqual(['when account.employees >= 100 add 5', 'when account.tier is set add 1000']);
    expect(explained.contacts[0].score).toBe(1005);
    expect(explained.tier).toBe('strategic');
    expect(explained.aggregates).toEqual([{ text: 'count contacts where job = ceo', value: 0, contacts: 0 }]);
    const oracle = interpretAccount(scorer.model, { id: 'a', employees: 5000 }, [{ job: 'dev' }], { now: NOW });
    expect(oracle.contacts.map((c) => c.score)).toEqual([1005]);
  });

  it('a contact without an account: scoreContact scores it alone, every account.* missing', () => {
    const scorer = compiled(READS_RESULT);
    const contact = { job: 'ceo', 'account.employees': 500, account: { stage: 'buying', tier: 'strategic' } };
    // Its own account keys are never read.
    expect(scorer.accounts!.scoreContact(contact, { now: NOW }).score).toBe(10);
    expect(scorer.accounts!.explainContact(contact, { now: NOW }).hits.map((h) => h.rule)).toEqual([0]);
    // While plain score() reads account.* from the lead like any dotted field.
    expect(scorer.score(contact, { now: NOW }).score).toBe(1115);
  });

  it('lowers `stage` / `tier` tests of a where to result-in over file order', () => {
    const scorer = compiled(`lead { job: text  company.id: text }
account id = company.id { id: text }
when job = ceo add 50
when job = cto add 20
stage a at 10
stage b at 20
stage c at 50
tier gold when score >= 50
tier silver when score >= 20
score accounts {
  when count contacts where stage >= b >= 2 add 1
  when count contacts where stage < c >= 1 add 10
  when count contacts where tier not in [gold] >= 1 add 100
  when count contacts where (stage is missing) >= 1 add 1000
}
`);
    expect(scorer.ir.probes.map((p) => p.condition)).toEqual([
      { kind: 'result-in', which: 'stage', values: [1, 2], negated: false },
      { kind: 'result-in', which: 'stage', values: [0, 1], negated: false },
      { kind: 'result-in', which: 'tier', values: [0], negated: true },
      { kind: 'result-set', which: 'stage', set: false },
    ]);
    const score = (jobs: string[]): number => scorer.accounts!.scoreAccount({}, jobs.map((job) => ({ job })), { now: NOW }).score;
    expect(score(['ceo', 'cto'])).toBe(1 + 10 + 100); // c and b reached; cto is silver
    expect(score(['ceo', 'ceo'])).toBe(1); // both at c, gold
    expect(score(['x'])).toBe(1000); // no stage, no tier: `tier not in [gold]` is false
    // Plain score() evaluates no probe: the generated code calls probesOf only from the account
    // scorer's entries scoreWith and scoreWithChecked (its definition is the third).
    expect(scorer.javascript.match(/probesOf\(/g)).toHaveLength(3);
  });
});
