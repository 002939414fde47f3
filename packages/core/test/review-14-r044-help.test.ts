// Review of issue 14: R044 on a `one of` value that is a placeholder both of the field and of the
// data block must not say that removing it from the field's own list is enough.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';

describe('R044 help on a one-of value that is a placeholder twice', () => {
  it('names both lists', () => {
    const text = 'lead { level: one of [gold, "n/c"] missing ["n/c"] }\ndata { missing: ["N/C"] }\nwhen level = gold add 1\n';
    const r044 = analyze(text).diagnostics.filter((d) => d.code === 'R044');
    expect(r044.map((d) => d.help)).toEqual([
      "remove it from the `one of` set, or from both the `missing` of `level` and the `data` block's `missing` values",
    ]);
  });

  it('names the one list it is in otherwise', () => {
    const own = analyze('lead { level: one of [gold, "n/c"] missing ["n/c"] }\nwhen level = gold add 1\n').diagnostics.filter((d) => d.code === 'R044');
    expect(own.map((d) => d.help)).toEqual(['remove it from the `one of` set, or from the `missing` of `level`']);
    const block = analyze('lead { level: one of [gold, "n/c"] }\ndata { missing: ["n/c"] }\nwhen level = gold add 1\n').diagnostics.filter((d) => d.code === 'R044');
    expect(block.map((d) => d.help)).toEqual(["remove it from the `one of` set, or from the `data` block's `missing` values"]);
  });
});
