/** The account scorer as the CLI calls it (issue 17; the runtime's `AccountScorer`). */
import type { AccountScorer, CompiledScorer } from '@rubric/core';

export type { AccountExplanation, AccountResult, AccountScorer, AggregateValue } from '@rubric/core';

/** The compiled file's account scorer: null for a file without an `account` block. */
export function accountScorerOf(scorer: CompiledScorer): AccountScorer | null {
  return scorer.accounts;
}
