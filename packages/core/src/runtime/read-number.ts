import { runtimeHelpers } from './runtime.js';

/**
 * `value` read as a `number` field reads it in a file whose `data` block says `numbers: format`
 * (`1 200,5` under `decimal-comma`), by the very runtime compiled scorers call; NaN when it is not
 * a number in that format. For callers that match values outside a scorer, such as the CLI
 * matching a number account key in both files as the scorer and the SQL targets read it.
 */
export function readNumberInFormat(value: unknown, format: 'plain' | 'decimal-comma' | 'decimal-point'): number {
  return runtimeHelpers().toNumberAs(value, format === 'plain' ? 0 : format === 'decimal-comma' ? 1 : 2);
}
