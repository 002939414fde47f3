/**
 * The account scorer as the CLI calls it (issue 17, design17 "Runtime API"): until the runtime
 * exports these types, the CLI reads `scorer.accounts` through this one narrow view.
 */
import type { CompiledScorer, Explanation, InvalidValue, Lead, ScoreResult } from '@rubric/core';

export interface AccountScoreOptions {
  readonly now?: Date | string;
}
export interface AccountResult extends ScoreResult {
  readonly contacts: readonly ScoreResult[];
}
export interface AggregateValue {
  readonly text: string;
  readonly value: number | null;
  readonly contacts: number;
}
export interface AccountExplanation extends Explanation {
  readonly aggregates: readonly AggregateValue[];
  readonly contacts: readonly Explanation[];
}
export interface AccountScorer {
  scoreAccount(account: Lead, contacts: readonly Lead[], options?: AccountScoreOptions): AccountResult;
  explainAccount(account: Lead, contacts: readonly Lead[], options?: AccountScoreOptions): AccountExplanation;
  validateAccount(account: Lead): readonly InvalidValue[];
}

/** The compiled file's account scorer: null for a file without an `account` block. */
export function accountScorerOf(scorer: CompiledScorer): AccountScorer | null {
  const accounts = (scorer as CompiledScorer & { readonly accounts?: AccountScorer | null }).accounts;
  return accounts ?? null;
}
