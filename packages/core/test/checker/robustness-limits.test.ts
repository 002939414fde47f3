// Hostile and very large rule files (issue 12): expansion bombs are R039 errors computed from
// sizes, never by expanding; ordinary large files check in time proportional to their size;
// long chains of declarations do not overflow the call stack. Every input is generated here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { check } from '../../src/checker/check.js';
import { editDistance, editDistanceWithin, Suggester, type SuggestBudget } from '../../src/checker/suggest.js';
import { compile } from '../../src/compiler/compile.js';
import { emitSql } from '../../src/compiler/sql/index.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { MAX_CONDITION_NODES, MAX_LIST_VALUES, MAX_LIST_VALUES_PER_FILE } from '../../src/limits.js';
import { parse } from '../../src/syntax/parse.js';

/** `let l0 = [a, b]`, then `let lN = [lN-1, lN-1]` up to `last`: lN holds 2^(N+1) values. */
function listBomb(last: number): string {
  const lines = ['lead { job: text }', 'let l0 = [a, b]'];
  for (let i = 1; i <= last; i++) lines.push(`let l${i} = [l${i - 1}, l${i - 1}]`);
  lines.push(`when job in l${last} add 1`);
  return `${lines.join('\n')}\n`;
}

/** `segment sN = sN-1 and sN-1` up to `last`: sN has 2^N - 1 nodes written out. */
function segmentBomb(last: number, test = 'company.size > 10'): string {
  const lines = ['lead {\n  company.size: number\n  email: text\n}', `segment s1 = ${test}`];
  for (let i = 2; i <= last; i++) lines.push(`segment s${i} = s${i - 1} and s${i - 1}`);
  lines.push(`when s${last} add 1`);
  return `${lines.join('\n')}\n`;
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** The check alone (not the parse, which another part of the code owns), in milliseconds. */
function timeCheck(text: string): { ms: number; diagnostics: readonly Diagnostic[] } {
  const { ast } = parse(text);
  const start = performance.now();
  const { diagnostics } = check(ast);
  return { ms: performance.now() - start, diagnostics };
}

describe('expansion bombs are R039, computed without expanding', () => {
  it('a list `let` doubled forty times (849 bytes) is reported at the first list past the limit', () => {
    const text = listBomb(40);
    expect(text.length).toBeLessThan(1000);
    const start = performance.now();
    const analysis = analyze(text);
    expect(performance.now() - start).toBeLessThan(2000);
    const r039 = analysis.diagnostics.filter((d) => d.code === 'R039');
    expect(r039).toHaveLength(1);
    // l16 = 2^17 = 131,072 values: the first past 100,000 (its line: lead, l0, then l1 on line 3).
    expect(r039[0].range.start.line).toBe(18);
    expect(r039[0].message).toBe(`the list \`l16\` would hold 131,072 values once its \`let\`s are expanded; the limit is ${MAX_LIST_VALUES.toLocaleString('en-US')}`);
    expect(r039[0].severity).toBe('error');
    // What builds on it is broken, not built: no list in the model holds more than the limit.
    for (const info of analysis.model.lets.values()) if (info.value.kind === 'list') expect(info.value.values.length).toBeLessThanOrEqual(MAX_LIST_VALUES);
    expect(analysis.model.lets.has('l16')).toBe(false);
    expect(compile(text).scorer).toBeNull();
  });

  it('a list at the limit is fine', () => {
    // l15 holds 65,536 values, within the limit.
    const analysis = analyze(listBomb(15));
    expect(codes(analysis.diagnostics)).toEqual([]);
    expect(analysis.model.lets.get('l15')?.value).toMatchObject({ kind: 'list' });
  });

  it('copies of a large list `let` in many conditions count against the file', () => {
    const lines = ['lead { job: text }', 'let l0 = [a, b]'];
    for (let i = 1; i <= 15; i++) lines.push(`let l${i} = [l${i - 1}, l${i - 1}]`);
    const firstRule = lines.length + 1;
    for (let i = 0; i < 40; i++) lines.push(`when job in l15 and job != x${i} add 1`);
    const analysis = analyze(`${lines.join('\n')}\n`);
    const r039 = analysis.diagnostics.filter((d) => d.code === 'R039');
    expect(r039).toHaveLength(1);
    // l1..l15 copy 2^2 + ... + 2^16 values out of `let`s; each use of l15 copies 2^16 more.
    const uses = Math.floor((MAX_LIST_VALUES_PER_FILE - (2 ** 17 - 4)) / 2 ** 16);
    expect(r039[0].range.start.line).toBe(firstRule + uses);
    expect(r039[0].message).toContain('the lists of this file would hold more than 2,000,000 values copied from `let`s');
  });

  it('17 lines of `segment s2 = s1 and s1` are reported at the first segment past the limit, quickly', () => {
    const text = segmentBomb(40);
    const start = performance.now();
    const analysis = analyze(text);
    expect(performance.now() - start).toBeLessThan(2000);
    const r039 = analysis.diagnostics.filter((d) => d.code === 'R039');
    expect(r039).toHaveLength(1);
    expect(r039[0].range.start.line).toBe(5 + 17 - 1);
    expect(r039[0].message).toMatch(/^segment `s17` would have 131,071 parts/);
    expect(compile(text).scorer).toBeNull();
  });

  it('a condition is R039 when it is too large only because it uses a segment twice', () => {
    const lines = segmentBomb(16).trimEnd().split('\n');
    lines.push('when s16 and not s16 add 2');
    const analysis = analyze(`${lines.join('\n')}\n`);
    const r039 = analysis.diagnostics.filter((d) => d.code === 'R039');
    expect(r039.map((d) => d.range.start.line)).toEqual([lines.length]);
    expect(r039[0].message).toMatch(/^this condition would have 131,072 parts .* the limit is 100,000$/);
    expect(2 * 65_535 + 2).toBeGreaterThan(MAX_CONDITION_NODES);
  });

  it('segments just within the limit compile, to a scorer and SQL of the written size', () => {
    // With a test of three nodes, sN has 2^(N+1) - 1: s16 is over the limit, s15 (65,535) is
    // within it, and analysed for "never holds" too.
    expect(codes(analyze(segmentBomb(16, 'email starts "a" and email starts "b"')).diagnostics)).toContain('R039');
    const text = segmentBomb(15, 'email starts "a" and email starts "b"');
    const analysis = analyze(text);
    expect(codes(analysis.diagnostics).filter((c) => c !== 'R020' && c !== 'R026')).toEqual([]);
    const result = compile(text);
    expect(result.scorer).not.toBeNull();
    // Segments are computed once each, not written out: the outputs grow with the file.
    expect(result.scorer?.javascript.length).toBeLessThan(50 * text.length + 100_000);
    const sql = emitSql(analysis.model, { dialect: 'duckdb' });
    expect(JSON.stringify(sql).length).toBeLessThan(50 * text.length + 100_000);
  });

  it('never-fires inside a large written-out segment is found in linear time', () => {
    // 32,768 and-ed `starts` tests: checked pair by pair, they took seconds.
    const start = performance.now();
    const analysis = analyze(segmentBomb(15, 'email starts "ab"'));
    expect(performance.now() - start).toBeLessThan(3000);
    expect(codes(analysis.diagnostics)).toEqual(['R026']);
    const conflicting = segmentBomb(14, 'email starts "ab" and email starts "b"');
    const found = analyze(conflicting).diagnostics.filter((d) => d.code === 'R020');
    // Every segment and the rule can never hold.
    expect(found).toHaveLength(15);
  });
});

describe('ordinary large files are checked in time proportional to their size', () => {
  it('1,000 misspelt field names among 1,000 fields get their suggestions', () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `  field_number_${i}: number`);
    const rules = Array.from({ length: 1000 }, (_, i) => `when fielt_numbr_${i} > 1 add 1`);
    const { ms, diagnostics } = timeCheck(['lead {', ...fields, '}', ...rules].join('\n'));
    // It took 14 s (a full edit distance to every field for every name).
    expect(ms).toBeLessThan(6000);
    expect(diagnostics).toHaveLength(1000);
    diagnostics.forEach((d, i) => expect(d.message).toBe(`unknown field \`fielt_numbr_${i}\`; did you mean \`field_number_${i}\`?`));
  });

  it('did-you-mean does bounded work: a memo per name, length buckets, a budget per check', () => {
    const candidates = Array.from({ length: 20_000 }, (_, i) => `field_number_${i}`);
    const budget: SuggestBudget = { comparisons: 1_000_000 };
    const suggester = new Suggester(candidates, budget);
    expect(suggester.suggest('fielt_numbr_7')).toBe('field_number_7');
    const used = 1_000_000 - budget.comparisons;
    expect(used).toBeLessThanOrEqual(5_000);
    expect(suggester.suggest('fielt_numbr_7')).toBe('field_number_7');
    expect(1_000_000 - budget.comparisons).toBe(used);
    // Names far from every length compare with nothing.
    expect(suggester.suggest('x')).toBeUndefined();
    expect(1_000_000 - budget.comparisons).toBe(used);
  });

  it('suggestions keep their meaning: nearest, ties to the first declared, last part of a dotted name', () => {
    expect(new Suggester(['company.size', 'company.sise', 'job']).suggest('company.sze')).toBe('company.size');
    expect(new Suggester(['abcd', 'abce']).suggest('abcf')).toBe('abcd');
    expect(new Suggester(['company.size', 'job']).suggest('size')).toBe('company.size');
    expect(new Suggester(['company.size', 'person.size']).suggest('size')).toBeUndefined();
    expect(new Suggester(['Éva', 'job']).suggest('eve')).toBe('Éva');
    expect(new Suggester(['ab']).suggest('xy')).toBeUndefined();
  });

  it('the banded edit distance equals the full one up to its bound', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é'), maxLength: 10 });
    fc.assert(
      fc.property(text, text, fc.nat(4), (a, b, max) => {
        const full = editDistance(a, b);
        expect(editDistanceWithin([...a], [...b], max)).toBe(full <= max ? full : max + 1);
      }),
      { numRuns: 3000, seed: 12 },
    );
  });

  it('20,000 fields, with parents and children among them', () => {
    const fields = Array.from({ length: 20_000 }, (_, i) => `  f${i}: number`);
    fields.push('  f7.size: number');
    // Every field is read by one rule (a rule per field doubles the parse; no R026 about them).
    const rules = [`when ${Array.from({ length: 20_000 }, (_, i) => `f${i} > 1`).join(' or ')} add 1`];
    const { ms, diagnostics } = timeCheck(['lead {', ...fields, '}', ...rules].join('\n'));
    // It took 6 s (each field compared with every other for "a field cannot also be a parent").
    expect(ms).toBeLessThan(2000);
    expect(diagnostics.map((d) => `${d.code} ${d.range.start.line}`)).toEqual(['R026 20002', 'R028 20002']);
  });

  it('10,000 chained groups, in file order and reversed', () => {
    const chain = ['lead { x: number }', 'group g0 { when x > 1 add 1 }'];
    for (let i = 1; i < 10_000; i++) chain.push(`group g${i} { when g${i - 1} >= 1 and g0 >= 1 add 1 }`);
    const forward = timeCheck(chain.join('\n'));
    expect(forward.ms).toBeLessThan(2000);
    expect(forward.diagnostics).toEqual([]);
    const reversed = ['lead { x: number }'];
    for (let i = 0; i < 9_999; i++) reversed.push(`group g${i} { when g${i + 1} >= 1 add 1 }`);
    reversed.push('group g9999 { when x > 1 add 1 }');
    const text = reversed.join('\n');
    const backward = timeCheck(text);
    expect(backward.ms).toBeLessThan(2000);
    expect(backward.diagnostics).toEqual([]);
    const model = analyze(text).model;
    expect(model.groupOrder[0]).toBe('g9999');
    expect(model.groupOrder[9_999]).toBe('g0');
    const start = performance.now();
    expect(compile(model).scorer).not.toBeNull();
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('long chains of declarations do not overflow the call stack', () => {
  it('12,000 `let`s each naming the next', () => {
    const lines = ['lead { job: text }'];
    for (let i = 0; i < 11_999; i++) lines.push(`let l${i} = [l${i + 1}]`);
    lines.push('let l11999 = [a]', 'when job in l0 add 1');
    const analysis = analyze(lines.join('\n'));
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.model.lets.get('l0')?.value).toEqual({ kind: 'list', values: ['a'], folded: ['a'] });
  });

  it('a cycle through 12,000 `let`s is one R018 with a shortened path', () => {
    const lines = ['lead { job: text }'];
    for (let i = 0; i < 12_000; i++) lines.push(`let l${i} = [l${(i + 1) % 12_000}, v${i}]`);
    lines.push('when job in l0 add 1');
    const r018 = analyze(lines.join('\n')).diagnostics.filter((d) => d.code === 'R018');
    expect(r018).toHaveLength(1);
    expect(r018[0].message).toBe('`let l0` refers to itself: `l0` -> `l1` -> `l2` -> `l3` -> `l4` -> ... (11991 more) -> `l11996` -> `l11997` -> `l11998` -> `l11999` -> `l0`');
  });

  it('10,000 segments each using the next, checked and compiled', () => {
    const lines = ['lead { x: number }'];
    for (let i = 0; i < 9_999; i++) lines.push(`segment s${i} = s${i + 1} and x > ${i}`);
    lines.push('segment s9999 = x > 1', 'group g { when s0 add 1 }');
    const text = lines.join('\n');
    expect(analyze(text).diagnostics).toEqual([]);
    const result = compile(text);
    expect(result.scorer).not.toBeNull();
    expect(result.scorer?.score({ x: 100_000 }, { now: '2026-03-01' }).score).toBe(1);
    expect(result.scorer?.score({ x: 50 }, { now: '2026-03-01' }).score).toBe(0);
  });
});
