import type { RubricFile } from '../syntax/ast.js';
import { PLAIN_DIALECT, type Model } from './model.js';

/**
 * A model with nothing declared, for `file`: what a file that does not exist yet (in a diff) or
 * could not be checked (in the editor) means — no rules, no stages, every lead scores 0.
 */
export function emptyModel(file: RubricFile): Model {
  return {
    file,
    fields: new Map(),
    events: new Map(),
    lets: new Map(),
    segments: new Map(),
    groups: [],
    groupOrder: [],
    rules: [],
    scoreRange: null,
    stages: [],
    tiers: [],
    tests: [],
    dialect: PLAIN_DIALECT,
    tables: new Map(),
    account: null,
  };
}
