/**
 * Every string the generators can put in a rule file means exactly itself: a literal rendered
 * with escapes (`renderString`) parses back to the same value, with either quote. Hostile strings
 * first, then random Unicode text with the characters that need escaping mixed in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';
import type { CompareCondition, WhenRule } from '../../src/syntax/ast.js';
import { HOSTILE_STRINGS, renderString } from '../support/arbitrary.js';

function parsedValue(literal: string): unknown {
  const { ast, diagnostics } = parse(`lead {\n  a: text\n}\nwhen a = ${literal} add 1 ${literal}\n`);
  if (diagnostics.length > 0) return { diagnostics: diagnostics.map((d) => `${d.code} ${d.message}`) };
  const rule = ast.statements[1] as WhenRule;
  const right = (rule.condition as CompareCondition).right;
  return { value: right.kind === 'StringLiteral' ? right.value : right.kind, label: rule.label?.value };
}

const tricky = fc.constantFrom('\\', '"', "'", '\n', '\t', '\r', '\u2028', '\u2029', '\u0000', '`', '${', '}', '#', ';', '\u00a0', '🚀');
const text = fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join(''));

describe('string literals round-trip through the parser', () => {
  it.each(HOSTILE_STRINGS.map((s) => [JSON.stringify(s), s] as const))('hostile %s', (_, s) => {
    expect(parsedValue(renderString(s, '"'))).toEqual({ value: s, label: s });
    expect(parsedValue(renderString(s, "'"))).toEqual({ value: s, label: s });
  });

  it('random text', () => {
    fc.assert(
      fc.property(text, fc.constantFrom<'"' | "'">('"', "'"), (s, quote) => {
        expect(parsedValue(renderString(s, quote))).toEqual({ value: s, label: s });
      }),
      { numRuns: 300, seed: Number(process.env.RUBRIC_PROPERTY_SEED ?? 20260301) },
    );
  });
});
