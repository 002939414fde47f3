/**
 * The back-test API of the core, in one place for the CLI. `@rubric/core` does not export it yet:
 * once packages/core/src/index.ts has `export * from './backtest/index.js';`, this line becomes
 * `export * from '@rubric/core';` (the built CLI needs that: a path into the core's sources only
 * resolves under the test runner). Commands load this lazily, so nothing else depends on it.
 */
export * from '../../../core/src/backtest/index.js';
