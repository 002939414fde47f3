/**
 * The words of account scoring (issue 17) that the lexer reads as names: `account` (the schema,
 * a test's `account { }`, `expect account`), `accounts` of `score accounts`, `contacts`, `best`,
 * `sum`, `average`, `top` and a test's `contact`. Only where the tree says they are words of the
 * language: `industry in [account, contacts]` keeps them values.
 */
import type { Range, RubricFile } from '@rubric/core';

/** A range of `length` characters at `offset` (positions are recomputed from offsets by the caller). */
function at(offset: number, length: number): Range {
  const position = { line: 0, column: 0 };
  return { start: { ...position, offset }, end: { ...position, offset: offset + length } };
}

/** The ranges of the account words in `file`, walking the tree with an explicit stack. */
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
    const rangeOf = (key: string): Range | undefined => {
      const value = record[key] as { readonly range?: Range } | undefined;
      return value?.range;
    };
    switch (record.kind) {
      case 'AccountDecl': {
        const keyword = rangeOf('keyword');
        if (keyword !== undefined) out.push(keyword);
        break;
      }
      case 'AccountScoringDecl': {
        // `score` is a lexer keyword; `accounts` ends the keyword range.
        const keyword = rangeOf('keyword');
        if (keyword !== undefined && keyword.end.offset - keyword.start.offset >= 8) out.push(at(keyword.end.offset - 8, 8));
        break;
      }
      case 'ContactCount': {
        const contacts = rangeOf('contacts');
        if (contacts !== undefined) out.push(contacts);
        break;
      }
      case 'ContactAggregate': {
        const aggregate = record.aggregateRange as Range | undefined;
        if (aggregate !== undefined) out.push(aggregate);
        const contacts = rangeOf('contacts');
        if (contacts !== undefined) out.push(contacts);
        const top = record.top as { readonly range?: Range } | undefined;
        const value = record.value as { readonly range?: Range } | undefined;
        if (top?.range !== undefined && value?.range !== undefined) {
          const between = text.slice(value.range.end.offset, top.range.start.offset);
          const index = between.search(/(?<![\p{L}\p{N}_])top(?![\p{L}\p{N}_])/u);
          if (index >= 0) out.push(at(value.range.end.offset + index, 3));
        }
        break;
      }
      case 'TestContact': {
        const range = record.range as Range | undefined;
        if (range !== undefined && text.startsWith('contact', range.start.offset)) out.push(at(range.start.offset, 7));
        break;
      }
      case 'TestDecl': {
        // `account {`: just before the block's first field (an empty block is left to the grammar).
        const fields = record.account as readonly { readonly range: Range }[] | undefined;
        const first = fields?.[0];
        if (first !== undefined) {
          const index = text.lastIndexOf('account', first.range.start.offset);
          if (index >= 0 && /^\s*\{\s*$/.test(text.slice(index + 7, first.range.start.offset))) out.push(at(index, 7));
        }
        break;
      }
      default: {
        // An expectation written `expect account ...`.
        const account = record.account as { readonly range?: Range } | undefined;
        if (typeof record.kind === 'string' && record.kind.startsWith('Expect') && account?.range !== undefined) out.push(account.range);
      }
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'range' && value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return out.sort((a, b) => a.start.offset - b.start.offset);
}
