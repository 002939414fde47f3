// Issue 15: `when job = [CEO, DAF]` is R032 with the `in` quick fix (golden: golden/issue-15-equals-list).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

function applyFirstFix(text: string, d: Diagnostic): string {
  const edits = [...(d.fixes?.[0]?.edits ?? [])].sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.range.start.offset) + edit.newText + out.slice(edit.range.end.offset);
  return out;
}

const HEAD = 'lead {\n  job: text\n  company.size: number\n}\n';

describe('`=` with a list literal', () => {
  it('its quick fix gives a file that checks cleanly', () => {
    const text = `${HEAD}when job = [CEO, DAF] add 10\nwhen company.size > 5 add 1\n`;
    const [d, ...rest] = analyze(text).diagnostics;
    expect(rest).toEqual([]);
    expect(d.code).toBe('R032');
    const fixed = applyFirstFix(text, d);
    expect(fixed).toContain('when job in [CEO, DAF] add 10');
    expect(analyze(fixed).diagnostics).toEqual([]);
  });

  it('`!=` becomes `not in`', () => {
    const text = `${HEAD}when job != [CEO] add 10\nwhen company.size > 5 add 1\n`;
    const [d] = analyze(text).diagnostics;
    expect(d.message).toBe('`!=` compares with one value; to test a list write `job not in [CEO]`');
    expect(analyze(applyFirstFix(text, d)).diagnostics).toEqual([]);
  });

  it('a number field keeps the syntax error: `in` does not take numbers', () => {
    const text = `${HEAD}when company.size = [10, 20] add 10\nwhen job = CEO add 1\n`;
    const codes = analyze(text).diagnostics.map((d) => d.code);
    expect(codes).toContain('R001');
    expect(codes).not.toContain('R032');
  });

  it('a `[` after other words keeps the syntax error', () => {
    const text = `${HEAD}when job ends [x] add 10\nwhen company.size > 5 add 1\n`;
    expect(analyze(text).diagnostics.map((d) => d.code)).not.toContain('R032');
  });
});
