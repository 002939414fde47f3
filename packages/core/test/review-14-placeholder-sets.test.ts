// Review of issue 14: the data block's placeholders hold in every field, but the generated
// scorer must not copy them into every field: with F fields and P placeholders that was F x P
// strings of code (5,000 x 5,000 in a 232 KB rule file: 25 s and over 2 GB to compile). Each
// distinct list is one Set; the code grows with F + P.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { compile } from '../src/compiler/compile.js';
import { emitScorerBody } from '../src/compiler/emit-js.js';
import { lowerModel } from '../src/compiler/lower.js';

function file(fields: number, placeholders: number, own = false): string {
  const types = ['text', 'number', 'bool', 'date', 'one of [a, b]', 'list of text'];
  const decls = Array.from({ length: fields }, (_, i) => `  f${i}: ${types[i % types.length]}${own && i % 2 === 0 ? ` missing ["own${i}"]` : ''}`).join('\n');
  const list = Array.from({ length: placeholders }, (_, i) => `"p${i}"`).join(', ');
  const rules = Array.from({ length: fields }, (_, i) => `when f${i} is set add 1`).join('\n');
  return `lead {\n${decls}\n}\n${placeholders > 0 ? `data { missing: [${list}] }\n` : ''}${rules}\n`;
}

function codeSize(text: string): number {
  const { model } = analyze(text);
  return emitScorerBody(lowerModel(model)).length;
}

describe('placeholders of the data block in the generated scorer', () => {
  it('cost code in proportion to fields + placeholders, not their product', () => {
    const base = codeSize(file(300, 0));
    const withList = codeSize(file(300, 300));
    // 300 placeholders once (~2 KB) plus a few words per field; F x P would be ~600 KB.
    expect(withList - base).toBeLessThan(40_000);
  });

  it('still reads every placeholder, of the block and of the field, in every field', () => {
    const { scorer } = compile(file(12, 20, true));
    if (scorer === null) throw new Error('did not compile');
    for (let i = 0; i < 12; i++) {
      const hits = (value: unknown) => scorer.score({ [`f${i}`]: value }, { now: '2026-03-01T00:00:00Z' }).score;
      expect(hits('P19'), `f${i}: a placeholder of the block`).toBe(0);
      if (i % 2 === 0) expect(hits(' OWN' + i), `f${i}: its own placeholder`).toBe(0);
      // Another field's own placeholder is a value here (f0 and f6 are text).
      if (i % 6 === 0) expect(hits(`own${(i + 2) % 12}`), `f${i}: another field's placeholder`).toBe(1);
    }
  });
});
