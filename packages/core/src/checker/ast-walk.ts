import type { Range, Statement } from '../syntax/ast.js';

/** Where a pattern matches in a text: match `i` is from `starts[i]` to `ends[i]` (exclusive), in order, none overlapping. */
export interface TextMatches {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** Every match of `pattern` (a global RegExp) in `text`. */
export function matchesIn(text: string, pattern: RegExp): TextMatches {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of text.matchAll(pattern)) {
    starts.push(match.index);
    ends.push(match.index + match[0].length);
  }
  return { starts, ends };
}

/** Whether `range` overlaps one of `matches`, by binary search. */
function overlaps(matches: TextMatches, range: Range): boolean {
  const { starts, ends } = matches;
  const from = range.start.offset;
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ends[mid] <= from) low = mid + 1;
    else high = mid;
  }
  return low < ends.length && starts[low] < range.end.offset;
}

function isRange(value: unknown): value is Range {
  if (value === null || typeof value !== 'object') return false;
  const { start, end } = value as { start?: { offset?: unknown }; end?: { offset?: unknown } };
  return typeof start?.offset === 'number' && typeof end?.offset === 'number';
}

/**
 * Walks, depth first, every node of `statements` whose text overlaps one of `matches` (of what
 * the caller looks for, found cheaply in the text: a whole-file check then costs nothing on the
 * statements, rules and conditions that cannot hold it). A node's range spans its children's,
 * so a node that overlaps no match has none inside it. `visit` returns true when it has dealt
 * with a node, so its children are not walked; ranges, texts and comments are never walked into.
 */
export function walkNodesOverlapping(
  statements: readonly Statement[],
  matches: TextMatches,
  visit: (node: Readonly<Record<string, unknown>>) => boolean,
): void {
  if (matches.starts.length === 0) return;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    // A node without a readable range is walked (a tree made by hand may lack one).
    if (isRange(record.range) && !overlaps(matches, record.range)) return;
    if (visit(record)) return;
    // Iterating keys without allocating entry arrays keeps this walk small next to parsing.
    for (const key in record) {
      if (key === 'range' || key === 'text' || key === 'comments') continue;
      const value = record[key];
      if (value !== null && typeof value === 'object') walk(value);
    }
  };
  for (const statement of statements) walk(statement);
}
