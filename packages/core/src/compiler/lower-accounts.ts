/**
 * Lowering of the account side (issue 17) that lives in the CONTACT model's IR: one
 * {@link ProbeIR} per aggregate over contacts with a `where`, and the contact's own stage and
 * tier as operands of those conditions (`result-in` / `result-set`). The account's own scoring
 * IR is `lowerModel(model.account.scoring)`, unchanged (it reads each aggregate as a number
 * field); see {@link AccountModel}.
 */
import type { AccountModel, AtomicTest, Cond } from '../checker/model.js';
import { fold } from '../runtime/fold.js';
import type { Expr, ProbeIR } from './ir.js';
import { LoweringError } from './lower.js';

/**
 * `stage OP NAMES` / `tier OP NAMES` as the checker resolved it (`text-in` of folded names, or
 * `is-set` / `is-missing`) -> `result-in` / `result-set` over indexes into the stages (tiers)
 * in file order. `names` are the stage (tier) names as declared.
 */
export function lowerResultTest(which: 'stage' | 'tier', test: AtomicTest, names: readonly string[]): Expr {
  switch (test.kind) {
    case 'is-set':
      return { kind: 'result-set', which, set: true };
    case 'is-missing':
      return { kind: 'result-set', which, set: false };
    case 'text-in': {
      const byFolded = new Map<string, number>();
      names.forEach((name, i) => {
        const key = fold(name);
        if (!byFolded.has(key)) byFolded.set(key, i);
      });
      const values: number[] = [];
      for (const value of test.values) {
        const index = byFolded.get(value) ?? byFolded.get(fold(value));
        if (index === undefined) throw new LoweringError(`unknown ${which} \`${value}\``);
        if (!values.includes(index)) values.push(index);
      }
      values.sort((a, b) => a - b);
      return { kind: 'result-in', which, values, negated: test.negated };
    }
    default:
      throw new LoweringError(`\`${test.kind}\` on the contact's ${which}`);
  }
}

/**
 * The probes of a contact model: for each aggregate of `account` with a `where`, in aggregate
 * order, its condition lowered in the contact scope by `lowerCondition` (the contact model's own
 * lowering, so slots, segments, groups and event queries are the contact IR's).
 */
export function lowerProbes(account: AccountModel, lowerCondition: (cond: Cond) => Expr): ProbeIR[] {
  const probes: ProbeIR[] = [];
  account.aggregates.forEach((aggregate, index) => {
    if (aggregate.where !== null) probes.push({ aggregate: index, condition: lowerCondition(aggregate.where) });
  });
  return probes;
}
