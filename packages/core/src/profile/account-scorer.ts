/**
 * Issue 17: the account side of a compiled rule file as the profiler needs it, to profile an
 * accounts file (`rubric profile --accounts`) against the declared account fields.
 */
import type { CompiledScorer } from '../compiler/compile.js';
import type { ProfileScorer } from './profiler.js';

/**
 * A {@link ProfileScorer} for the accounts of `scorer`'s `account` block, or null for a file
 * without one. Its model is `model.account.scoring`; a value is invalid exactly when the account
 * scorer's own `validateAccount` reports it (what `rubric score --accounts` reports). The IR is
 * the account scoring's without its events: those are the contacts' events, profiled with the
 * contacts, never read from the accounts file. The synthetic `contacts#N` aggregate fields are
 * computed from the contacts, not columns: the profiler leaves them out (as every synthetic field).
 */
export function accountProfileScorer(scorer: CompiledScorer): ProfileScorer | null {
  const model = scorer.model.account?.scoring;
  const ir = scorer.accountIR;
  const accounts = scorer.accounts;
  if (model === undefined || ir === null || accounts === null) return null;
  return {
    model,
    ir: { ...ir, slots: ir.slots.filter((slot) => slot.source === 'lead'), events: [] },
    validate: (account) => accounts.validateAccount(account),
    validateEvent: () => [],
  };
}
