/**
 * The CI fuzz run: a fixed seed, a fixed number of inputs (mutated real rule files, generated
 * files, expansion chains, big inputs; see inputs.ts), every invariant of check-input.ts on each,
 * in a supervised worker process. On failure the message lists every distinct failure class with
 * its first input, a replay command and the shrunk input, and the inputs are written under
 * test-artifacts/fuzz/ci/. `npm run fuzz -- --seconds 600 --seed N` runs longer (cli.ts).
 *
 * RUBRIC_FUZZ_SEED and RUBRIC_FUZZ_INPUTS change the seed and the number of inputs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport, runCampaign, writeFindings, type FailureClass } from './campaign.js';
import { REPOSITORY_ROOT } from './corpus.js';
import { CI_MIX } from './inputs.js';
import { KNOWN_FAILURES, type KnownFailure } from './known-failures.js';

const SEED = Number(process.env.RUBRIC_FUZZ_SEED ?? 20261203);
const INPUTS = Number(process.env.RUBRIC_FUZZ_INPUTS ?? 1500);

function knownEntry(failureClass: FailureClass): KnownFailure | undefined {
  return KNOWN_FAILURES.find((k) => k.stage === failureClass.stage && k.kind === failureClass.kind && k.message.test(failureClass.message));
}

describe('fuzz', () => {
  it(`${INPUTS} seeded inputs (seed ${SEED}): nothing throws, hangs or breaks an invariant`, async () => {
    const report = await runCampaign({
      seed: SEED,
      inputs: INPUTS,
      stageLimitMs: 2000,
      inputTimeoutMs: 8000,
      maxDeaths: 3,
      shrinkSeconds: 4,
      shrinkTotalSeconds: 20,
      mix: CI_MIX,
    });
    const unknown = report.classes.filter((c) => knownEntry(c) === undefined);
    const stale = KNOWN_FAILURES.filter((k) => !report.classes.some((c) => knownEntry(c) === k));
    if (unknown.length > 0 || stale.length > 0) {
      const dir = join(REPOSITORY_ROOT, 'test-artifacts', 'fuzz', 'ci');
      if (report.classes.length > 0) writeFindings(report, dir);
      const staleText = stale.map((k) => `known failure no longer seen (fixed? remove it from known-failures.ts): [${k.stage}] ${k.kind} ${k.message}`);
      throw new Error([formatReport(report), ...staleText, `inputs and report written under ${dir}`].join('\n\n'));
    }
    if (report.stoppedEarly === undefined) expect(report.inputs).toBe(INPUTS);
    // The generator must keep reaching the compiler, the SQL, the module and the oracle.
    expect(report.withoutErrors).toBeGreaterThan(INPUTS * 0.1);
  }, 240_000);
});
