/**
 * The differential property: on random valid rule files and random leads (with events and a
 * `now`), the compiled scorer and the reference interpreter agree on the score (to the
 * hundredth), the stage, the tier and every group, for `score()` and `explain()`, and on
 * `explain()`'s hits. The generated files must also check without
 * errors, which keeps the generator honest.
 *
 * RUBRIC_PROPERTY_RUNS sets the number of files (default 250, 8 leads each: 2,000 cases);
 * RUBRIC_PROPERTY_SEED replays a run (default: a fixed seed, so CI is reproducible). On failure
 * fast-check shrinks, then a greedy pass drops every statement, branch, lead key and event it
 * can, and the test prints the small file and lead with the seed to replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Model } from '../../src/checker/model.js';
import { compile } from '../../src/compiler/compile.js';
import type { Hit, ScoreOptions, ScoreResult, Scorer } from '../../src/runtime/types.js';
import { interpret } from '../oracle/interpret.js';
import {
  arbitraryFileWithLeads,
  arbitraryRuleFile,
  describeLeadCase,
  renderRuleFile,
  type FileSpec,
  type LeadCase,
} from '../support/arbitrary.js';
import { minimizeCounterexample } from '../support/minimize.js';

const RUNS = Number(process.env.RUBRIC_PROPERTY_RUNS ?? 250);
const SEED = Number(process.env.RUBRIC_PROPERTY_SEED ?? 20260301);
const LEADS_PER_FILE = 8;

function checkErrors(text: string): string[] {
  return analyze(text, 'generated.rubric')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
}

interface Comparable {
  readonly score: number;
  readonly stage: string | null;
  readonly tier: string | null;
  readonly groups: Readonly<Record<string, number>>;
}

/** Scores to the hundredth (what the spec makes exact); groups likewise. */
function comparable(result: ScoreResult): Comparable {
  const groups: Record<string, number> = {};
  for (const [name, value] of Object.entries(result.groups)) groups[name] = Math.round(value * 100);
  return { score: Math.round(result.score * 100), stage: result.stage, tier: result.tier, groups };
}

/** What `explain` adds that the interpreter also computes: which rules hit, for how much. */
function hitsOf(hits: readonly Hit[]): string[] {
  return hits.map((h) => {
    const each = h.occurrences === undefined ? '' : ` x${h.occurrences}${h.capped === true ? ' capped' : ''}`;
    return `r${h.rule} ${Math.round(h.points * 100)}${each}`;
  });
}

/**
 * The difference between the two engines on one lead, or undefined when they agree: `score()`
 * against the interpreter on score, stage, tier and groups, and `explain()` on the same plus
 * its hits (rule, points, occurrences, capped).
 */
function disagreement(model: Model, scorer: Scorer, leadCase: LeadCase): string | undefined {
  const options: ScoreOptions =
    leadCase.events === undefined ? { now: leadCase.now } : { now: leadCase.now, events: leadCase.events as ScoreOptions['events'] };
  const oracle = interpret(model, leadCase.lead, { now: leadCase.now, ...(leadCase.events ? { events: leadCase.events } : {}) });
  const expected = { score: comparable(oracle), explain: { ...comparable(oracle), hits: hitsOf(oracle.hits), stageFailures: oracle.stageFailures } };
  let got: typeof expected;
  try {
    const explained = scorer.explain(leadCase.lead, options);
    got = {
      score: comparable(scorer.score(leadCase.lead, options)),
      explain: {
        ...comparable(explained),
        hits: hitsOf(explained.hits),
        stageFailures: explained.stages.map((st) => ({
          name: st.name,
          failedRequirements: st.failedRequirements.map((f) => f.text),
          failedWhen: st.failedWhen.map((f) => f.text),
        })),
      },
    };
  } catch (error) {
    return `the compiled scorer threw: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
  }
  try {
    expect(got).toEqual(expected);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function modelOf(text: string): Model {
  const errors = checkErrors(text);
  if (errors.length > 0) throw new Error(`a generated file does not check:\n  ${errors.join('\n  ')}\n--- file ---\n${text}`);
  return analyze(text, 'generated.rubric').model;
}

/** Whether (spec, lead) still shows a disagreement; false for files that no longer check. */
function stillFails(spec: FileSpec, leadCase: LeadCase): boolean {
  const text = renderRuleFile(spec);
  if (checkErrors(text).length > 0) return false;
  const model = analyze(text).model;
  const { scorer } = compile(model);
  try {
    return scorer !== null && disagreement(model, scorer, leadCase) !== undefined;
  } catch {
    return false;
  }
}

function fail(details: { numRuns: number; numShrinks: number; seed: number }, body: string): never {
  throw new Error(
    `property failed after ${details.numRuns} runs and ${details.numShrinks} shrinks ` +
      `(replay: RUBRIC_PROPERTY_SEED=${details.seed} RUBRIC_PROPERTY_RUNS=${RUNS}):\n${body}`,
  );
}

describe('compiled scorer vs reference interpreter', () => {
  it('generated rule files check without errors', () => {
    const details = fc.check(fc.property(arbitraryRuleFile(), ({ text }) => void modelOf(text)), { numRuns: RUNS, seed: SEED });
    if (details.failed) fail(details, String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance));
  });

  it(`agree on ${RUNS} files x ${LEADS_PER_FILE} leads: score, stage, tier, groups`, () => {
    let compared = 0;
    const property = fc.property(arbitraryFileWithLeads({ leads: LEADS_PER_FILE }), ({ text, leads }) => {
      const model = modelOf(text);
      const { scorer } = compile(model);
      if (scorer === null) throw new Error(`compile gave no scorer:\n${text}`);
      for (const leadCase of leads) {
        compared++;
        const difference = disagreement(model, scorer, leadCase);
        if (difference !== undefined) throw new Error(difference);
      }
    });
    const details = fc.check(property, { numRuns: RUNS, seed: SEED });
    if (details.failed && details.counterexample !== null) {
      const [{ spec, leads }] = details.counterexample;
      const failing = leads.find((leadCase) => stillFails(spec, leadCase));
      if (failing === undefined) fail(details, String(details.errorInstance));
      const small = minimizeCounterexample(spec, failing, stillFails);
      const text = renderRuleFile(small.spec);
      const model = analyze(text).model;
      const { scorer } = compile(model);
      const difference = scorer === null ? 'no scorer' : disagreement(model, scorer, small.leadCase);
      fail(
        details,
        `compiled (received) != interpreter (expected), scores and groups in hundredths\n${difference ?? ''}\n` +
          `--- file ---\n${text}--- lead ---\n${describeLeadCase(small.leadCase)}`,
      );
    }
    expect(details.failed, String(details.errorInstance)).toBe(false);
    expect(compared).toBeGreaterThanOrEqual(RUNS * LEADS_PER_FILE);
  });
});
