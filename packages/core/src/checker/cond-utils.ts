/**
 * Small helpers over resolved conditions: walking them, a formatting-independent key (for
 * duplicate rules), and what they read (segments, groups).
 */
import type { Cond, EventQuery } from './model.js';

/** Calls `visit` on `cond` and every condition inside it, `where`s included. */
export function walkCond(cond: Cond, visit: (c: Cond) => void): void {
  visit(cond);
  switch (cond.kind) {
    case 'and':
    case 'or':
      for (const operand of cond.operands) walkCond(operand, visit);
      return;
    case 'not':
      walkCond(cond.operand, visit);
      return;
    case 'event-exists':
    case 'event-count':
    case 'days-since':
      if (cond.query.where !== undefined) walkCond(cond.query.where, visit);
      return;
    default:
      return;
  }
}

// Dropping `range` in the replacer (rather than copying each object without it) keeps this cheap
// enough to run on every rule of a 10,000-rule file.
function withoutRanges(key: string, value: unknown): unknown {
  return key === 'range' ? undefined : value;
}

/** A key equal for two conditions that mean the same, however they are written. */
export function conditionKey(cond: Cond | EventQuery): string {
  return JSON.stringify(cond, withoutRanges);
}

/** The segments and groups a condition reads directly (segments not expanded). */
export function directReads(cond: Cond | undefined): { readonly segments: Set<string>; readonly groups: Set<string> } {
  const segments = new Set<string>();
  const groups = new Set<string>();
  if (cond !== undefined) {
    walkCond(cond, (c) => {
      if (c.kind === 'segment') segments.add(c.name);
      if (c.kind === 'test' && c.subject.kind === 'group') groups.add(c.subject.name);
    });
  }
  return { segments, groups };
}
