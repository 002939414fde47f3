/**
 * Issue 12, the parser's side: every rule file up to MAX_RULE_FILE_BYTES is read in time and
 * memory proportional to its size, whatever it holds, and a larger one is refused with R040.
 * Each pathological input is generated here; the time bounds are generous (a loaded 2-core
 * machine), and each test names what it took before the fix that made it pass.
 */
import { describe, expect, it } from 'vitest';
import { analyze, format, MAX_RULE_FILE_BYTES, parse } from '../../src/index.js';
import { utf8ByteLength } from '../../src/syntax/file-size.js';

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('R040: rule file too large', () => {
  const overLimit = 'when job = "abc\n'.repeat(Math.ceil((MAX_RULE_FILE_BYTES + 1) / 16)).slice(0, MAX_RULE_FILE_BYTES + 1);

  it('analyze refuses a text over the limit with one R040 at 1:1, without parsing it', () => {
    const { value, ms } = timed(() => analyze(overLimit, 'big.rubric'));
    expect(value.diagnostics.map((d) => d.code)).toEqual(['R040']);
    const [d] = value.diagnostics;
    expect(d.severity).toBe('error');
    expect(d.range.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(d.message).toBe(
      'this rule file is 10,485,761 bytes (10.0 MB); a rule file can be at most 10,485,760 bytes (10 MB), so it was not read',
    );
    expect(d.help).toContain('split the rules into several files');
    expect(value.ast.statements).toEqual([]);
    expect(value.model.rules).toEqual([]);
    expect(ms).toBeLessThan(2000);
  });

  it('parse and format refuse it too', () => {
    expect(parse(overLimit).diagnostics.map((d) => d.code)).toEqual(['R040']);
    const formatted = format(overLimit);
    expect(formatted.changed).toBe(false);
    expect(formatted.diagnostics.map((d) => d.code)).toEqual(['R040']);
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    // 3.5 M `é` are 7 MB in UTF-8 though 3.5 M units: under the limit; 5.3 M of them are over.
    const head = 'lead { job: text }\n# ';
    expect(parse(head + 'é'.repeat(3_500_000)).diagnostics).toEqual([]);
    const over = parse(head + 'é'.repeat(5_300_000));
    expect(over.diagnostics.map((d) => d.code)).toEqual(['R040']);
    expect(utf8ByteLength('aé€😀\ud800')).toBe(1 + 2 + 3 + 4 + 3);
  });

  it('an edit that makes an open file too large, then small again, re-parses right', () => {
    const small = 'lead { job: text }\nwhen job = CEO add 1\n';
    const first = analyze(small);
    const big = analyze(small + '#'.repeat(MAX_RULE_FILE_BYTES), 'x.rubric', first);
    expect(big.diagnostics.map((d) => d.code)).toEqual(['R040']);
    const again = analyze(small, 'x.rubric', big);
    expect(again.diagnostics).toEqual([]);
    expect(again.model.rules).toHaveLength(1);
  });
});
