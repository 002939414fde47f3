/**
 * Synonym tables, by property (issue 15): on random tables whose patterns hold `*`, `%`, `_`,
 * `\`, quotes, case and accents, and texts made to match them (or not), the compiled scorer and
 * the reference interpreter (its own quadratic matcher) agree; and the checker's glob decisions
 * are right: its matcher is the oracle's, an inclusion it claims (R057) holds for every text,
 * an overlap it finds (R056) is a text both patterns match, and where it finds none no text
 * matches both. RUBRIC_TABLE_RUNS sets the number of runs (default 300).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { globIncludes, globMatches, globOverlap } from '../../src/checker/tables.js';
import { compile } from '../../src/compiler/compile.js';
import { fold } from '../../src/runtime/fold.js';
import { interpret, wildcardMatch } from '../oracle/interpret.js';
import { arbTableCase, tableRuleFile } from '../support/arbitrary-tables.js';

const RUNS = Number(process.env.RUBRIC_TABLE_RUNS ?? 300);
const NOW = '2026-03-01T00:00:00Z';
const pattern = fc.array(fc.constantFrom('a', 'b', '*', '%', '_'), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
const text = fc.array(fc.constantFrom('a', 'b', '%', '_'), { maxLength: 7 }).map((cs) => cs.join(''));

describe('synonym tables: compiled vs interpreted', () => {
  it(`agree on ${RUNS} random tables and texts, on a field and inside where`, () => {
    const seen = { looked: 0, found: 0 };
    fc.assert(
      fc.property(arbTableCase, (c) => {
        const source = tableRuleFile(c);
        const analysis = analyze(source);
        expect(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), source).toEqual([]);
        const { scorer } = compile(source);
        if (scorer === null) throw new Error(source);
        const events = c.texts.map((title, i) => ({ type: 'page_view', at: `2026-02-${String(10 + i).padStart(2, '0')}`, title }));
        for (const job of c.texts) {
          const lead = { job };
          const compiled = scorer.score(lead, { now: NOW, events });
          const oracle = interpret(analysis.model, lead, { now: NOW, events });
          expect(compiled.score, `${source}\njob: ${JSON.stringify(job)}`).toBe(oracle.score);
          seen.looked += 1;
          // Half a point: no line matched; anything else is a value found.
          if (oracle.score % 1 === 0) seen.found += 1;
        }
      }),
      { numRuns: RUNS, seed: 20261203 },
    );
    // The texts are made to match: most lookups find a value, some do not.
    expect(seen.found).toBeGreaterThan(seen.looked / 3);
    expect(seen.found).toBeLessThan(seen.looked);
  });
});

describe("the checker's glob decisions", () => {
  it('matches like the oracle', () => {
    fc.assert(fc.property(pattern, text, (p, t) => {
      expect(globMatches(t, p)).toBe(wildcardMatch(t, p));
    }), { numRuns: 2000, seed: 1 });
  });

  it('claims an inclusion only when every text of the inner pattern matches the outer one', () => {
    fc.assert(
      fc.property(pattern, pattern, fc.array(text, { minLength: 20, maxLength: 20 }), (outer, inner, texts) => {
        if (globIncludes(outer, inner) !== true) return;
        for (const t of texts) if (wildcardMatch(t, inner)) expect(wildcardMatch(t, outer), `${outer} ⊇ ${inner} on ${t}`).toBe(true);
        // And the inner pattern with its stars filled by `%`s (a fresh character) too.
        expect(wildcardMatch(inner.replace(/\*/g, '%%'), outer)).toBe(true);
      }),
      { numRuns: 2000, seed: 2 },
    );
  });

  it('finds an inclusion whenever the inner pattern, its stars made a fresh character, matches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('')),
        fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('')),
        (outer, inner) => {
          // `%` appears in neither: a star of `inner` read as `%%%` can only be matched by a star of `outer`.
          expect(globIncludes(outer, inner)).toBe(wildcardMatch(inner.replace(/\*/g, '%%%%%%'), outer));
        },
      ),
      { numRuns: 3000, seed: 3 },
    );
  });

  it('gives an overlap that both patterns match, and finds none only when no text matches both', () => {
    fc.assert(
      fc.property(pattern, pattern, fc.array(text, { minLength: 30, maxLength: 30 }), (a, b, texts) => {
        const overlap = globOverlap(a, b);
        if (overlap !== undefined) {
          expect(wildcardMatch(overlap, a) && wildcardMatch(overlap, b), `${a} & ${b}: ${overlap}`).toBe(true);
          return;
        }
        for (const t of texts) expect(wildcardMatch(t, a) && wildcardMatch(t, b), `${a} & ${b} both match ${t}`).toBe(false);
      }),
      { numRuns: 3000, seed: 4 },
    );
  });

  it('stays linear-ish on hostile patterns (no backtracking blow-up)', () => {
    const p = `${'a*'.repeat(2000)}b`;
    const t = 'a'.repeat(20_000);
    expect(globMatches(t, p)).toBe(false);
    expect(wildcardMatch('a'.repeat(50), `${'a*'.repeat(30)}b`)).toBe(false);
    expect(fold('A*B')).toBe('a*b');
  });
});
