/**
 * Runs every language case (`*.json` next to this file) against both the reference interpreter
 * and the compiled scorer (`score` and `explain`). A case pins down one sentence of the spec; its
 * expected result is written by hand from the spec, never produced by either engine.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { compile } from '../../src/compiler/compile.js';
import type { ScoreOptions, ScoreResult } from '../../src/runtime/types.js';
import { interpret } from '../oracle/interpret.js';
import { loadLanguageCases, type ExpectedResult, type LanguageCase } from '../support/language-cases.js';

const cases = loadLanguageCases(dirname(fileURLToPath(import.meta.url)));

function checked(c: LanguageCase) {
  const analysis = analyze(c.rules, 'case.rubric');
  const errors = analysis.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
  expect(errors, `the case's rules must check without errors:\n${c.rules}`).toEqual([]);
  return analysis.model;
}

function options(c: LanguageCase): ScoreOptions {
  return c.events === undefined ? { now: c.now } : { now: c.now, events: c.events as ScoreOptions['events'] };
}

/** The four results a case pins down (explain's extra detail is not compared here). */
function project(result: ScoreResult): ExpectedResult {
  return { score: result.score, stage: result.stage, tier: result.tier, groups: { ...result.groups } };
}

it('has at least 60 language cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(60);
  expect(new Set(cases.map((c) => c.id)).size, 'case names are unique within a file').toBe(cases.length);
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  it('reference interpreter', () => {
    const model = checked(c);
    expect(project(interpret(model, c.lead, { now: c.now, ...(c.events ? { events: c.events } : {}) }))).toEqual(c.expected);
  });

  it('compiled scorer', () => {
    const model = checked(c);
    const { scorer } = compile(model);
    expect(scorer, 'compile gives a scorer').not.toBeNull();
    if (scorer === null) return;
    expect(project(scorer.score(c.lead, options(c))), 'score()').toEqual(c.expected);
    expect(project(scorer.explain(c.lead, options(c))), 'explain()').toEqual(c.expected);
  });
});
