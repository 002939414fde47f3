import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { check } from '../../src/checker/check.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { RubricFile } from '../../src/syntax/ast.js';
import { arbitraryRuleFile } from '../support/arbitrary.js';

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./golden/${name}.rubric`, import.meta.url)), 'utf8');

function expectWellFormed(text: string, diagnostics: readonly Diagnostic[]): void {
  let previous = -1;
  for (const d of diagnostics.filter((x) => !/^R00/.test(x.code))) {
    expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
    expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.range.start.offset).toBeGreaterThanOrEqual(previous);
    previous = d.range.start.offset;
    for (const fix of d.fixes ?? []) for (const edit of fix.edits) expect(edit.range.end.offset).toBeLessThanOrEqual(text.length);
  }
}

describe('the checker never throws', () => {
  it('on every prefix of real files (the holes a recovered parse leaves)', () => {
    for (const name of ['clean', 'wrong-type']) {
      const text = golden(name);
      // Every line end (a statement cut short) and every 29th character (a token cut short).
      const ends = new Set<number>([text.length]);
      for (let i = 0; i < text.length; i++) if (text[i] === '\n' || i % 29 === 0) ends.add(i);
      for (const end of ends) {
        const prefix = text.slice(0, end);
        const analysis = analyze(prefix);
        expectWellFormed(prefix, analysis.diagnostics);
      }
    }
  });

  it('on files with lines dropped or repeated', () => {
    const lines = golden('clean').split('\n');
    fc.assert(
      fc.property(fc.array(fc.nat(lines.length - 1), { maxLength: 6 }), fc.array(fc.nat(lines.length - 1), { maxLength: 3 }), (dropped, repeated) => {
        const text = lines.flatMap((line, i) => (dropped.includes(i) ? [] : repeated.includes(i) ? [line, line] : [line])).join('\n');
        expectWellFormed(text, analyze(text).diagnostics);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('on trees with missing parts', () => {
    const range = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
    const holes = {
      kind: 'RubricFile',
      uri: 'holes.rubric',
      text: '',
      comments: [],
      range,
      statements: [
        { kind: 'LeadDecl', range, fields: [{ kind: 'FieldDecl', range, name: { kind: 'Identifier', name: 'x', parts: [], range } }] },
        { kind: 'EventDecl', range, name: { kind: 'Identifier', name: 'e', parts: [], range } },
        { kind: 'WhenRule', range, sign: 'add' },
        { kind: 'EachRule', range, sign: 'add', points: { kind: 'NumberLiteral', value: 1, raw: '1', range } },
        { kind: 'GroupDecl', range, name: { kind: 'Identifier', name: 'g', parts: [], range }, rules: [{ kind: 'WhenRule', range, sign: 'sub', condition: { kind: 'And', range } }] },
        { kind: 'StageDecl', range, name: { kind: 'Identifier', name: 's', parts: [], range } },
        { kind: 'TierDecl', range, name: { kind: 'Identifier', name: 't', parts: [], range }, condition: { kind: 'Compare', range, operator: '>' } },
        { kind: 'SegmentDecl', range, name: { kind: 'Identifier', name: 'seg', parts: [], range }, condition: { kind: 'Not', range } },
        { kind: 'LetDecl', range, name: { kind: 'Identifier', name: 'l', parts: [], range } },
        { kind: 'TestDecl', range, name: { kind: 'StringLiteral', value: 't', quote: '"', raw: '"t"', range }, lead: [], events: [{ kind: 'TestEvent', range }], expectations: [{ kind: 'ExpectStage', range }] },
        { kind: 'ScoreRangeDecl', range },
      ],
    } as unknown as RubricFile;
    expect(() => check(holes)).not.toThrow();
  });
});

describe('valid files', () => {
  it('check without errors (generated files covering every construct, hostile names and strings)', () => {
    fc.assert(
      fc.property(arbitraryRuleFile(), ({ text }) => {
        const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => `${d.code} ${d.message} at ${d.range.start.line}:${d.range.start.column}`)).toEqual([]);
      }),
      { numRuns: 80, seed: 20260301 },
    );
  });
});
