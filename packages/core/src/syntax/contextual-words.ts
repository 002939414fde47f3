/**
 * Where the file uses a word of the language that is not a lexer keyword (issue 15: `distinct`
 * in `count distinct`, `table` opening a synonym table): editors colour these as keywords, which
 * the lexer alone cannot tell from names.
 */
import type { Range, RubricFile } from './ast.js';

/**
 * The ranges of `distinct` and `table` used as words of the language, in source order. Walks the
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
    if (record.kind === 'TableDecl') {
      const keyword = record.keyword as { range?: Range } | undefined;
      if (keyword?.range !== undefined) out.push(keyword.range);
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'range' && value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return out.sort((a, b) => a.start.offset - b.start.offset);
}
