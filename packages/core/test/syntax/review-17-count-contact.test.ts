/**
 * Review 17: `count contact where acheteur >= 1 add 5` (the singular, with a `where`) was read as
 * the count of an event `contact` whose `where` is `acheteur >= 1`, and reported "expected a
 * comparison such as `>= 3`, found `add`" at `add`, which says nothing of the slip. (Without
 * `where`, the checker already says "counted with `count contacts` (plural)".) Now the syntax
 * error says so, with a fix to `contacts` that parses.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { parse } from '../../src/syntax/parse.js';

const HEAD = 'lead {\n  job: text\n  c: text\n}\naccount id = c {\n  id: text\n}\nsegment buyer = job = DAF\n';

function applyFix(text: string): { message: string; help: string | undefined; fixed: string } {
  const diagnostics = parse(text).diagnostics;
  expect(diagnostics).toHaveLength(1);
  const [d] = diagnostics;
  const fix = d.fixes?.[0];
  if (fix === undefined) throw new Error(`no fix for: ${d.message}`);
  let fixed = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
    fixed = fixed.slice(0, edit.range.start.offset) + edit.newText + fixed.slice(edit.range.end.offset);
  }
  return { message: d.message, help: d.help, fixed };
}

describe('`count contact where ...` (singular)', () => {
  it.each([
    ['when count contact where buyer >= 1 add 5', 'when count contacts where buyer >= 1 add 5'],
    ['tier big when count contact where buyer >= 2', 'tier big when count contacts where buyer >= 2'],
  ])('%s', (statement, repaired) => {
    const text = `${HEAD}score accounts {\n  ${statement}\n}\n`;
    const { message, help, fixed } = applyFix(text);
    expect(message).toBe("an account's contacts are counted with `count contacts` (plural)");
    expect(help).toContain('count contacts [where C] >= N');
    expect(fixed).toBe(`${HEAD}score accounts {\n  ${repaired}\n}\n`);
    expect(parse(fixed).diagnostics).toEqual([]);
  });

  it('with a `where` that is not a comparison it parses, and the checker says the same (R011)', () => {
    const text = `${HEAD}score accounts {\n  when count contact where job in [DAF, CEO] >= 2 add 5\n}\n`;
    expect(parse(text).diagnostics).toEqual([]);
    const d = analyze(text).diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => `${x.code} ${x.message}`)).toEqual(["R011 unknown event `contact`; an account's contacts are counted with `count contacts` (plural)"]);
  });

  it('an event named `contact` counted with a `where` on its properties stays an event count', () => {
    const text = 'lead {\n  job: text\n}\nevent contact { via: text }\nwhen count contact where via = phone >= 2 add 5\n';
    expect(parse(text).diagnostics).toEqual([]);
  });
});
