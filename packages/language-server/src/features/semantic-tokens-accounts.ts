/**
 * The account words (issue 17) that core's `contextualWordRanges` leaves out: `top` of
 * `best|sum|average X of top N contacts` and `account` opening a test's `account { }` block (the
 * tree keeps no range for either). The others (`account`, `accounts`, `contacts`, `best`, `sum`,
 * `average`, `contact`, `expect account`) come from `contextualWordRanges`. Only where the tree
 * says they are words of the language: `industry in [top, account]` keeps them values.
 */
import type { Range, RubricFile } from '@rubric/core';

/** A range of `length` characters at `offset` (the caller positions tokens from offsets). */
function at(offset: number, length: number): Range {
  const position = { line: 0, column: 0 };
  return { start: { ...position, offset }, end: { ...position, offset: offset + length } };
}

/** The ranges of `top` and of a test's `account {` in `file`, walking the tree with an explicit stack. */
export function accountWordRanges(file: RubricFile): Range[] {
  const text = file.text;
  const out: Range[] = [];
  const stack: unknown[] = [...(file.statements ?? [])];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (record.kind === 'ContactAggregate') {
      // `top` lies between the value (`score`, a group) and the number.
      const top = record.top as { readonly range?: Range } | undefined;
      const value = record.value as { readonly range?: Range } | undefined;
      if (top?.range !== undefined && value?.range !== undefined) {
        const between = text.slice(value.range.end.offset, top.range.start.offset);
        const index = between.search(/(?<![\p{L}\p{N}_])top(?![\p{L}\p{N}_])/u);
        if (index >= 0) out.push(at(value.range.end.offset + index, 3));
      }
    }
    if (record.kind === 'TestDecl') {
      // `account {` just before the block's first field (an empty block is left to the grammar).
      const first = (record.account as readonly { readonly range: Range }[] | undefined)?.[0];
      if (first !== undefined) {
        const index = text.lastIndexOf('account', first.range.start.offset);
        if (index >= 0 && /^\s*\{\s*$/.test(text.slice(index + 'account'.length, first.range.start.offset))) out.push(at(index, 'account'.length));
      }
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'range' && value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return out.sort((a, b) => a.start.offset - b.start.offset);
}
