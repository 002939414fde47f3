/**
 * Data profiling: how a data file reads against a rule file (`rubric profile`, the language
 * server's data hints). Pure: records in, a {@link DataProfile} out.
 */
export type * from './types.js';
export { DataProfiler, profileData, readSlotValue, showValue, MAX_PROFILE_DISTINCT, type ProfileScorer, type ProfileOptions } from './profiler.js';
export { suggestDialect, rubricString, looseName, type ProfileEvidence, type SharedEvidence } from './suggest.js';
export { describeFindings } from './findings.js';
export { accountProfileScorer } from './account-scorer.js';
export { placeholderKind, numberFormatHint, dateOrderHint, boolWordHint, type PlaceholderKind, type NumberFormatHint, type DateOrderHint } from './value-hints.js';
