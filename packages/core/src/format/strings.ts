import type { StringLiteral } from '../syntax/ast.js';

/**
 * A string literal in canonical form: double quotes, unless the text holds more `"` than `'`
 * (switching would need more escapes than it removes). Every escape other than `\'` is kept as
 * written, so the decoded value never changes.
 */
export function canonicalString(literal: StringLiteral): string {
  if (literal.quote === '"') return literal.raw;
  const inner = literal.raw.slice(1, -1);
  let out = '';
  let removed = 0;
  let added = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\\') {
      const next = inner[i + 1] ?? '';
      if (next === "'") {
        removed++;
        out += "'";
      } else {
        out += ch + next;
      }
      i++;
    } else if (ch === '"') {
      added++;
      out += '\\"';
    } else {
      out += ch;
    }
  }
  return added > removed ? literal.raw : `"${out}"`;
}
