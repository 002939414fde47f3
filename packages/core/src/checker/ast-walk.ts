import type { Range, Statement } from '../syntax/ast.js';

/** Whether `range` holds one of `sortedOffsets` (ascending), by binary search. */
function holdsOffset(sortedOffsets: readonly number[], range: Range): boolean {
  let low = 0;
  let high = sortedOffsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sortedOffsets[mid] < range.start.offset) low = mid + 1;
    else high = mid;
  }
  return low < sortedOffsets.length && sortedOffsets[low] < range.end.offset;
}

/**
 * Walks, depth first, every node of the statements whose text holds one of `sortedOffsets`
 * (ascending offsets of what the caller looks for, found cheaply in the text: a whole-file check
 * then costs nothing on statements that cannot hold it). `visit` returns true when it has dealt
 * with a node, so its children are not walked; ranges, texts and comments are never walked into.
 */
export function walkStatementsHolding(
  statements: readonly Statement[],
  sortedOffsets: readonly number[],
  visit: (node: Readonly<Record<string, unknown>>) => boolean,
): void {
  if (sortedOffsets.length === 0) return;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (visit(record)) return;
    // Iterating keys without allocating entry arrays keeps this walk small next to parsing.
    for (const key in record) {
      if (key === 'range' || key === 'text' || key === 'comments') continue;
      const value = record[key];
      if (value !== null && typeof value === 'object') walk(value);
    }
  };
  for (const statement of statements) if (statement.range === undefined || holdsOffset(sortedOffsets, statement.range)) walk(statement);
}
