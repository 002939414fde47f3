/**
 * Syntax hints for decay and run limits (issue 15): a misspelt contextual word (`mots`, `decy`,
 * `pr`), a missing `%`, `at least`: the message says what to write and its quick fix, applied,
 * gives a statement that parses.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';

const HEAD = 'lead {\n  job: text\n}\nevent e\n';

function applyFix(text: string): { message: string; fixed: string } {
  const diagnostics = parse(text).diagnostics;
  expect(diagnostics).toHaveLength(1);
  const [d] = diagnostics;
  const edit = d.fixes?.[0]?.edits[0];
  if (edit === undefined) throw new Error(`no fix for: ${d.message}`);
  return { message: d.message, fixed: text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset) };
}

describe('syntax hints for decay and run limits', () => {
  it.each([
    ['each e add 2 at mots once per day', 'did you mean `most`?', 'each e add 2 at most once per day'],
    ['each e add 2 decy 25% per day', 'did you mean `decay`?', 'each e add 2 decay 25% per day'],
    ['each e add 2 at most once pr day', 'did you mean `per`?', 'each e add 2 at most once per day'],
    ['each e add 2 decay 25 per month', 'write `decay 25% per ...`', 'each e add 2 decay 25% per month'],
    ['each e add 2 at least once per day', 'write `at most`', 'each e add 2 at most once per day'],
    ['each e add 2 decay 25% each month', 'write `per`', 'each e add 2 decay 25% per month'],
    ['group g max 5 dcay 10% per week {\n  each e add 1\n}', 'did you mean `decay`?', 'group g max 5 decay 10% per week {\n  each e add 1\n}'],
  ])('%s', (statement, message, repaired) => {
    const { message: got, fixed } = applyFix(HEAD + statement);
    expect(got).toContain(message);
    expect(fixed).toBe(HEAD + repaired);
    expect(parse(fixed).diagnostics).toEqual([]);
  });

  it('leaves an unquoted label after the points to its own hint (not taken for a decay)', () => {
    const [d] = parse(HEAD + 'when job = x add 10 Décideur').diagnostics;
    expect(d.message).toBe('labels go in quotes: "Décideur"');
  });
});
