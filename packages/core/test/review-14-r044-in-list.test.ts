// Review of issue 14: R044 said `job in ["CTO", "-"]` (with "-" a placeholder) "is never true",
// and `job not in ["CTO", "-"]` "is only `job is set`": both wrong, the other value still counts.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';

function r044(condition: string): string[] {
  const text = `lead { job: text }\ndata { missing: ["-"] }\nwhen ${condition} add 1\n`;
  return analyze(text).diagnostics.filter((d) => d.code === 'R044').map((d) => d.message);
}

describe('R044 on a comparison with a placeholder among other values', () => {
  it('says the test is never true, or only is set, when the placeholder is all it compares with', () => {
    expect(r044('job = "-"')).toEqual(['`job` is compared with `"-"`, a `missing` value: the data never holds it, so this is never true']);
    expect(r044('job != "-"')).toEqual(['`job` is compared with `"-"`, a `missing` value: the data never holds it, so this test is only `job is set`']);
  });

  it('says only that value never matches when the list holds others', () => {
    expect(r044('job in ["CTO", "-"]')).toEqual(['`job` is compared with `"-"`, a `missing` value: the data never holds it, so that value never matches']);
    expect(r044('job not in ["CTO", "-"]')).toEqual(['`job` is compared with `"-"`, a `missing` value: the data never holds it, so that value never matches']);
  });
});
