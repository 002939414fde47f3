/**
 * Review 16b: a run limit or a cap written after the decay (`add 1 half-life 3 days at most once
 * per day`) was reported as an unquoted label, with a fix quoting "at most once per day"; two
 * decays on one rule said "unexpected `half-life` after the end of the statement ... put each
 * statement on its own line". Now each says what is wrong, with a fix that parses.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';

const HEAD = 'lead {\n  job: text\n}\nevent e\n';

function applyFix(text: string): { message: string; fixed: string } {
  const diagnostics = parse(text).diagnostics;
  expect(diagnostics).toHaveLength(1);
  const [d] = diagnostics;
  const fix = d.fixes?.[0];
  if (fix === undefined) throw new Error(`no fix for: ${d.message}`);
  let fixed = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
    fixed = fixed.slice(0, edit.range.start.offset) + edit.newText + fixed.slice(edit.range.end.offset);
  }
  return { message: d.message, fixed };
}

describe('rule tail out of order, or with two decays', () => {
  it.each([
    ['each e add 1 half-life 3 days at most once per day "x"', 'before the decay', 'each e add 1 at most once per day half-life 3 days "x"'],
    ['each e add 1 decay 10% per day up to 5', 'before the decay', 'each e add 1 up to 5 decay 10% per day'],
    ['each e add 1 at most 2 per week up to 5', '`up to` goes before', 'each e add 1 up to 5 at most 2 per week'],
    ['each e add 1 decay 10% per day half-life 3 days', 'decays one way', 'each e add 1 decay 10% per day'],
    ['when any e add 1 half-life 3 days decay 5% per week "y"', 'decays one way', 'when any e add 1 half-life 3 days "y"'],
  ])('%s', (statement, message, repaired) => {
    const { message: got, fixed } = applyFix(HEAD + statement);
    expect(got).toContain(message);
    expect(got).not.toContain('labels go in quotes');
    expect(fixed).toBe(HEAD + repaired);
    expect(parse(fixed).diagnostics).toEqual([]);
  });
});
