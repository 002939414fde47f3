/**
 * Everything a back-test or a report says, as plain data: what was read, how the leads were
 * scored, the score summary, the back-test and the fit. The text, JSON and HTML renderers all
 * draw from this one value, so they never disagree.
 */
import type { BacktestReport, ProposedFile, ScoreSummary, WeightFit } from './core-backtest.js';
import type { HistoryAccounting } from './history-input.js';

/** When the leads were scored: each at its own date, or all at one instant. */
export type ScoredAt =
  | { readonly kind: 'as-of'; readonly column: string; readonly from: string | null; readonly to: string | null }
  | { readonly kind: 'now'; readonly now: string; readonly source: string };

export interface FitSection {
  readonly weights: WeightFit;
  readonly proposed: ProposedFile;
  /** Where the proposed rule file was written (as shown), or null when it was not. */
  readonly proposedPath: string | null;
  /** Diagnostics of the proposed file (it always compiles; warnings may appear, e.g. caps). */
  readonly proposedWarnings: number;
}

export interface ReportDocument {
  /** The rule file as shown. */
  readonly rulesPath: string;
  readonly dataPath: string;
  /**
   * With --accounts (issue 17): the contacts file as shown; the units are then the accounts of
   * `dataPath`, each scored with its contacts, and the stages are the account stages.
   */
  readonly contactsPath?: string;
  readonly eventsPath: string | null;
  readonly scoredAt: ScoredAt;
  readonly accounting: HistoryAccounting;
  readonly summary: ScoreSummary;
  /** With an outcome column. */
  readonly backtest: { readonly outcomeColumn: string; readonly report: BacktestReport } | null;
  readonly fit: FitSection | null;
}
