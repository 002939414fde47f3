// Lowering the account side of a contact model (issue 17): one probe per aggregate with a
// `where`, the contact's stage and tier as `result-in` / `result-set`, `account.*` slots given
// under their full name and never reported.
import { describe, expect, it } from 'vitest';
import { lowerModel, LoweringError } from '../../src/compiler/lower.js';
import { lowerResultTest } from '../../src/compiler/lower-accounts.js';
import type { Cond } from '../../src/checker/model.js';
import { handAccountModel } from './hand-model.js';

const CONTACT = `
lead {
  job: text
  company.id: text
  account.employees: number
}
event page_view { url: text }
segment engaged = any page_view within 30 days
segment dm = job in [ceo, cfo]
group fit max 40 { when job in [ceo] add 20 }
when account.employees >= 200 add 5
stage mql at 10
stage sql at 30
tier a when score >= 10
tier b when score >= 0
`;
const ACCOUNT = `
lead { id: text  contacts_1: number  contacts_2: number }
when contacts_1 >= 1 add 10
when contacts_2 >= 1 add 10
`;

const stageTest = (values: string[], negated = false): Cond => ({
  kind: 'test',
  subject: { kind: 'stage', type: { kind: 'one-of', values: ['mql', 'sql'], written: ['mql', 'sql'] } },
  test: { kind: 'text-in', values, negated },
  range: { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } },
} as unknown as Cond);

describe('lowering probes', () => {
  it('gives one probe per aggregate with a where, in aggregate order, in the contact scope', () => {
    const model = handAccountModel({
      contact: CONTACT,
      account: ACCOUNT,
      key: { accountField: 'id', leadField: 'company.id' },
      aggregates: [{ kind: 'count', where: 'dm' }, { kind: 'sum', top: 3 }, { kind: 'count', where: stageTest(['sql']) }, { kind: 'best', of: 'fit', where: 'engaged' }],
    });
    const ir = lowerModel(model);
    expect(ir.probes.map((p) => p.aggregate)).toEqual([0, 2, 3]);
    expect(ir.probes[1].condition).toEqual({ kind: 'result-in', which: 'stage', values: [1], negated: false });
    // `engaged` is read by no rule: its query exists (for the probe) but no program step does.
    expect(ir.probes[2].condition).toMatchObject({ kind: 'event-exists', negated: false });
    expect(ir.program.some((s) => s.kind === 'segment')).toBe(false);
    const synthetic = ir.slots.filter((s) => s.synthetic === true);
    expect(synthetic.map((s) => [s.key, s.path])).toEqual([['account.employees', ['account', 'employees']]]);
    // The account's own IR: the scoring model unchanged, no probes.
    const accountIR = lowerModel(model.account!.scoring);
    expect(accountIR.probes).toEqual([]);
    expect(accountIR.slots.map((s) => s.key)).toEqual(['id', 'contacts#1', 'contacts#2']);
  });

  it('lowers stage and tier tests to indexes in file order', () => {
    const names = ['target', 'engaged', 'buying'];
    expect(lowerResultTest('stage', { kind: 'text-in', values: ['buying', 'engaged'], negated: true }, names)).toEqual({
      kind: 'result-in',
      which: 'stage',
      values: [1, 2],
      negated: true,
    });
    expect(lowerResultTest('tier', { kind: 'is-set' }, names)).toEqual({ kind: 'result-set', which: 'tier', set: true });
    expect(lowerResultTest('tier', { kind: 'is-missing' }, names)).toEqual({ kind: 'result-set', which: 'tier', set: false });
    expect(() => lowerResultTest('stage', { kind: 'text-in', values: ['nope'], negated: false }, names)).toThrow(LoweringError);
    expect(() => lowerResultTest('stage', { kind: 'is-true' }, names)).toThrow(LoweringError);
  });

  it('gives no probes without an account side', () => {
    expect(lowerModel(handAccountModel({ contact: CONTACT, account: ACCOUNT, key: { accountField: 'id', leadField: 'company.id' }, aggregates: [] })).probes).toEqual([]);
  });
});
