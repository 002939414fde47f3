// Review of issue 14: `data` is no keyword, so an event named `data` stays usable. In a test's
// `events` block its line starts with `data {` (an event with properties): that is not the start
// of a `data` block, and must not cut the test in two.
import { describe, expect, it } from 'vitest';
import { analyze, compile, runCompiledTests } from '../src/index.js';

const RULES = [
  'lead { job: text }',
  'event data { kind: text }',
  'when any data where kind = "x" add 5',
  'test "a data event" {',
  '  now 2026-03-01T00:00:00Z',
  '  lead { job: "CEO" }',
  '  events {',
  '    data { kind: "x" } 2 days ago',
  '  }',
  '  expect score 5',
  '}',
  '',
].join('\n');

describe('an event named data in a test', () => {
  it('parses, checks and passes', () => {
    expect(analyze(RULES).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const { scorer } = compile(RULES);
    if (scorer === null) throw new Error('did not compile');
    const run = runCompiledTests(scorer);
    expect(run.map((r) => r.passed)).toEqual([true]);
  });

  it('still ends an unclosed block at a data block that starts a line outside a test', () => {
    const text = 'lead {\n  job: text\ndata {\n  numbers: decimal comma\n}\nwhen job = "x" add 1\n';
    const { model } = analyze(text);
    expect(model.dialect.numbers).toBe('decimal-comma');
  });
});
