// Hand-worked aggregates over contacts (issue 17), on a hand-built account model (no account
// syntax needed): count / best / sum / average, `top N`, `where`, empty accounts, `top N` larger
// than the contacts, missing values, half-away rounding, hostile keys. Each case is checked on
// the compiled account scorer AND on the oracle (test/oracle/interpret-accounts.ts).
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import type { Model } from '../../src/checker/model.js';
import type { AccountScorer, Lead } from '../../src/runtime/types.js';
import { aggregateValue, interpretAccount } from '../oracle/interpret-accounts.js';
import { handAccountModel, type HandAggregate } from './hand-model.js';

const CONTACT = `
lead {
  job: text
  bonus: number
  company.id: text
  account.employees: number
  account.\`__proto__\`: text
}
event page_view { url: text }
segment dm = job in [ceo, cfo]
group \`__proto__\` { when job = ceo add 30; when job = cfo add 20 }
when job = dev add 5.5
when bonus >= 0 add 0.01
when bonus >= 1 add 0.01
when bonus < 0 sub 0.02
when account.employees >= 200 add 1
when account.\`__proto__\` = "x" add 100
stage mql at 20
stage sql at 30
`;

/** Every aggregate of the account model as `contacts_N` fields; the account rules read them all. */
function model(aggregates: readonly HandAggregate[]): Model {
  const fields = aggregates.map((_, i) => `contacts_${i + 1}: number`).join('\n  ');
  return handAccountModel({
    contact: CONTACT,
    account: `
lead {
  id: text
  employees: number
  \`__proto__\`: text
  ${fields}
}
event page_view { url: text }
when contacts_1 >= 1 add 1
when any page_view add 2
`,
    aggregates,
    key: { accountField: 'id', leadField: 'company.id' },
  });
}

const NOW = '2026-03-01T00:00:00Z';

function both(m: Model, account: Lead, contacts: Lead[]) {
  const scorer = compile(m).scorer;
  if (scorer === null || scorer.accounts === null) throw new Error('no account scorer');
  const accounts: AccountScorer = scorer.accounts;
  const explained = accounts.explainAccount(account, contacts, { now: NOW });
  const oracle = interpretAccount(m, account, contacts, { now: NOW });
  // The compiled scorer and the oracle agree on everything compared here.
  expect(explained.aggregates.map((a) => [a.value, a.contacts])).toEqual(oracle.aggregates.map((a) => [a.value, a.contacts]));
  expect(explained.score).toBe(oracle.account.score);
  expect(explained.contacts.map((c) => c.score)).toEqual(oracle.contacts.map((c) => c.score));
  const scored = accounts.scoreAccount(account, contacts, { now: NOW });
  expect(scored.score).toBe(explained.score);
  expect(scored.contacts.map((c) => c.score)).toEqual(oracle.contacts.map((c) => c.score));
  return { explained, scored, values: explained.aggregates.map((a) => a.value), counts: explained.aggregates.map((a) => a.contacts) };
}

const ALL: HandAggregate[] = [
  { kind: 'count' },
  { kind: 'best' },
  { kind: 'sum' },
  { kind: 'average' },
  { kind: 'count', where: 'dm' },
  { kind: 'sum', top: 2 },
  { kind: 'average', top: 5 },
  { kind: 'best', of: '__proto__', where: 'dm' },
  { kind: 'average', of: '__proto__' },
];

describe('aggregates over contacts', () => {
  it('an account without contacts: count 0, best and average missing, sum 0', () => {
    const r = both(model(ALL), { id: 'a' }, []);
    expect(r.values).toEqual([0, null, 0, null, 0, 0, null, null, null]);
    expect(r.counts).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.scored.contacts).toEqual([]);
    expect(r.scored.score).toBe(0);
  });

  it('three contacts: each aggregate as worked by hand', () => {
    // Scores: ceo 30 + 0.01 + 1 (employees) = 31.01; cfo 20 + 0.01 + 0.01 + 1 = 21.02; dev 5.5 - 0.02 + 1 = 6.48.
    const contacts = [
      { job: 'CEO', bonus: 0 },
      { job: 'cfo', bonus: 5 },
      { job: 'dev', bonus: -1, events: [{ type: 'page_view', at: '2026-02-01', url: '/' }] },
    ];
    const r = both(model(ALL), { id: 'a', employees: 250 }, contacts);
    expect(r.scored.contacts.map((c) => c.score)).toEqual([31.01, 21.02, 6.48]);
    expect(r.values).toEqual([
      3,
      31.01,
      58.51,
      19.5, // 58.51 / 3 = 19.5033.. -> 19.50
      2,
      52.03, // top 2: 31.01 + 21.02
      19.5, // top 5 of 3: all
      30, // best `__proto__` group among decision makers
      16.67, // (30 + 20 + 0) / 3 = 16.666.. -> 16.67
    ]);
    expect(r.counts).toEqual([3, 3, 3, 3, 2, 3, 3, 2, 3]);
    // contacts_1 >= 1 (1) and an event of the third contact (2).
    expect(r.scored.score).toBe(3);
    expect(r.explained.hits.map((h) => h.rule)).toEqual([0, 1]);
  });

  it('top N by bounded insertion (small N) and by sort (large N) keep the N highest, ties included', () => {
    const m = model([{ kind: 'sum', top: 3 }, { kind: 'average', top: 20 }, { kind: 'sum', top: 16 }, { kind: 'sum', top: 17 }, { kind: 'best', top: 1 }]);
    const jobs = ['ceo', 'cfo', 'dev', 'x'];
    const contacts = Array.from({ length: 41 }, (_, i) => ({ job: jobs[(i * 7) % 4], bonus: (i % 5) - 2 }));
    const r = both(m, { id: 'a', employees: 10 }, contacts);
    const scores = r.scored.contacts.map((c) => Math.round(c.score * 100)).sort((a, b) => b - a);
    const top = (n: number): number => scores.slice(0, n).reduce((a, b) => a + b, 0);
    expect(r.values).toEqual([top(3) / 100, Math.round(top(20) / 20) / 100, top(16) / 100, top(17) / 100, scores[0] / 100]);
  });

  it('average rounds half away from zero, also below zero', () => {
    const m = model([{ kind: 'average' }, { kind: 'sum' }]);
    // 0.01 and 0.02: 0.015 -> 0.02.
    expect(both(m, { id: 'a' }, [{ bonus: 0 }, { bonus: 1 }]).values).toEqual([0.02, 0.03]);
    // -0.02 and 0.01 (bonus 0): -0.005 -> -0.01; -0.02 twice and 0.01: -0.01.
    expect(both(m, { id: 'a' }, [{ bonus: -1 }, { bonus: 0 }]).values).toEqual([-0.01, -0.01]);
    expect(both(m, { id: 'a' }, [{ bonus: -1 }, { bonus: -1 }, { bonus: 0 }]).values).toEqual([-0.01, -0.03]);
  });

  it('contacts read the account fields, never their own `account` keys (hostile keys too)', () => {
    const account = JSON.parse('{"id": "a", "employees": "300", "__proto__": "x"}') as Lead;
    const contact = JSON.parse('{"job": "dev", "account": {"employees": 1, "__proto__": "y"}, "account.employees": 2}') as Lead;
    const r = both(model([{ kind: 'best' }]), account, [contact]);
    // 5.5 + 1 (the account's 300 employees) + 100 (the account's `__proto__` is "x").
    expect(r.scored.contacts[0].score).toBe(106.5);
    // Without an account value the contact's own `account.*` keys are still not read.
    expect(both(model([{ kind: 'best' }]), { id: 'a' }, [contact]).scored.contacts[0].score).toBe(5.5);
  });

  it('never throws on hostile accounts and contacts', () => {
    const m = model(ALL);
    const scorer = compile(m).scorer!;
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = Object.defineProperty({}, 'job', { get: () => { throw new Error('boom'); }, enumerable: true });
    for (const account of [null, undefined, 42, 'x', [], revoked.proxy, throwing]) {
      const trapped = new Proxy([{ job: 'ceo' }], { get: () => { throw new Error('trap'); } });
      const contactLists = [[], [null, 42, 'x', [], revoked.proxy, throwing, { job: 'ceo' }], null, 'abc', { length: 2 }, { length: 1e12 }, trapped];
      for (const contacts of contactLists) {
        const r = scorer.accounts!.scoreAccount(account as Lead, contacts as Lead[], { now: NOW });
        expect(typeof r.score).toBe('number');
        expect(() => scorer.accounts!.explainAccount(account as Lead, contacts as Lead[], { now: NOW })).not.toThrow();
      }
      expect(() => scorer.accounts!.validateAccount(account as Lead)).not.toThrow();
    }
  });

  it('validateAccount reports the account\'s wrong-typed fields, not the aggregates', () => {
    const scorer = compile(model([{ kind: 'count' }])).scorer!;
    expect(scorer.accounts!.validateAccount({ id: 'a', employees: 'many', 'contacts#1': 'x' })).toEqual([
      { field: 'employees', value: 'many', expected: 'number' },
    ]);
    // A contact's `account.*` values are never reported by `validate` either.
    expect(scorer.validate({ job: 'x', account: { employees: 'many' } })).toEqual([]);
  });

  it('the oracle\'s aggregate arithmetic on its own', () => {
    expect(aggregateValue('count', [], null)).toBe(0);
    expect(aggregateValue('best', [], 3)).toBeNull();
    expect(aggregateValue('sum', [], null)).toBe(0);
    expect(aggregateValue('average', [], null)).toBeNull();
    expect(aggregateValue('sum', [100, 300, 200], 2)).toBe(5);
    expect(aggregateValue('average', [1, 2], null)).toBe(0.02);
    expect(aggregateValue('average', [-1, -2], null)).toBe(-0.02);
    expect(aggregateValue('average', [100, 200, 300], 10)).toBe(2);
  });
});
