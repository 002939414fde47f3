/**
 * Where the file uses a word of the language that is not a lexer keyword (issue 15: `distinct`
 * in `count distinct`, `table` opening a synonym table): editors colour these as keywords, which
 * the lexer alone cannot tell from names.
 */
import type { Range, RubricFile } from './ast.js';

/**
 * The ranges of `distinct` and `table` used as words of the language, and those of the account
 * constructs (issue 17: `account` of `account KEY = ...`, `score accounts`, `contacts`, `best`,
 * `sum`, `average`, `contact` of a test and `account` of `expect account`), in source order. Walks the
 * tree with an explicit stack (a deep condition never deepens the call stack).
 */
export function contextualWordRanges(file: RubricFile): Range[] {
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
    if (record.kind === 'EventCount') {
      const distinct = record.distinct as { range?: Range } | undefined;
      if (distinct?.range !== undefined) out.push(distinct.range);
    }
    if (record.kind === 'TableDecl' || record.kind === 'AccountDecl') {
      const keyword = record.keyword as { range?: Range } | undefined;
      if (keyword?.range !== undefined) out.push(keyword.range);
    }
    if (record.kind === 'AccountScoringDecl') {
      // `score` is a keyword of the lexer already: only `accounts`.
      const end = (record.keyword as { range?: Range } | undefined)?.range?.end;
      if (end !== undefined) out.push({ start: { offset: end.offset - 'accounts'.length, line: end.line, column: end.column - 'accounts'.length }, end });
    }
    if (record.kind === 'ContactCount' || record.kind === 'ContactAggregate') {
      const contacts = record.contacts as { range?: Range } | undefined;
      if (contacts?.range !== undefined) out.push(contacts.range);
      const aggregate = record.aggregateRange as Range | undefined;
      if (aggregate !== undefined) out.push(aggregate);
    }
    if (record.kind === 'TestContact') {
      // `contact` is the first word of the item.
      const range = record.range as Range | undefined;
      if (range !== undefined) out.push({ start: range.start, end: { offset: range.start.offset + 'contact'.length, line: range.start.line, column: range.start.column + 'contact'.length } });
    }
    if (typeof record.kind === 'string' && record.kind.startsWith('Expect')) {
      const account = record.account as { range?: Range } | undefined;
      if (account?.range !== undefined) out.push(account.range);
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'range' && value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return out.sort((a, b) => a.start.offset - b.start.offset);
}
