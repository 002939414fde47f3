/** The semantic diff of two versions of a rule file, and its impact on leads. */
export { diffModels } from './diff-models.js';
export { diffImpact, type ImpactOptions, type ImpactScorer } from './impact.js';
export type * from './types.js';
