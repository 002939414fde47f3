/**
 * The fuzzer's own parts: inputs are a pure function of (seed, index), shrinking finds the
 * minimal failing text, failures group by class whatever names and numbers they mention, and the
 * checks pass on a clean file and catch malformed diagnostics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './campaign.js';
import { checkInput, STAGES } from './check-input.js';
import { loadSeedFiles, REPOSITORY_ROOT, rubricBlocks } from './corpus.js';
import { InputSource } from './inputs.js';
import { shrinkText } from './shrink.js';
import { FuzzWorker } from './supervisor.js';

describe('fuzz inputs', () => {
  const seeds = loadSeedFiles();

  it('reads the examples, the golden files and the documentation blocks', () => {
    expect(seeds.filter((s) => s.name.startsWith('examples/')).length).toBeGreaterThanOrEqual(3);
    expect(seeds.filter((s) => s.name.startsWith('packages/core/test/checker/golden/')).length).toBeGreaterThan(10);
    expect(seeds.filter((s) => s.name.startsWith('docs/language.md#')).length).toBeGreaterThan(20);
    expect(rubricBlocks('x\n```rubric\nlead {}\n```\n```js\n1\n```\n```rubric\nwhen\n```\n')).toEqual(['lead {}\n', 'when\n']);
  });

  it('are a pure function of the seed and the index', () => {
    const a = new InputSource(7, seeds);
    const b = new InputSource(7, seeds);
    const indexes = [0, 1, 2, 50, 3, 99];
    expect(indexes.map((i) => b.input(i).text)).toEqual(indexes.map((i) => a.input(i).text));
    expect(new InputSource(8, seeds).input(0).text).not.toBe(a.input(0).text);
    expect(new Set(indexes.map((i) => a.input(i).text)).size).toBe(indexes.length);
  });
});

describe('shrinking', () => {
  it('finds the smallest text that still fails, lines first then characters', async () => {
    const text = 'lead {\n  a: text\n}\nwhen a = x add 1\nstage s at 5 # BOOM here\nwhen a = y add 2\n';
    const fails = async (candidate: string): Promise<boolean> => candidate.includes('BOOM');
    const result = await shrinkText(text, fails, { deadline: performance.now() + 10_000, maxChecks: 5000 });
    expect(result.text).toBe('BOOM');
    expect(result.exhausted).toBe(false);
  });

  it('stops at its budget with the smallest text found so far', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const result = await shrinkText(text, async (c) => c.includes('line 1'), { deadline: performance.now() + 10_000, maxChecks: 5 });
    expect(result.exhausted).toBe(true);
    expect(result.checks).toBe(5);
    expect(result.text.length).toBeLessThan(text.length);
    expect(result.text).toContain('line 1');
  });
});

describe('failure classes', () => {
  it('ignore the names, strings and numbers a message mentions', () => {
    expect(normalizeMessage('unknown field `job` on line 12: "CEO"')).toBe(normalizeMessage('unknown field `size` on line 3: "x"'));
    expect(normalizeMessage('$.ast.statements.4.kind: "EachRule" vs "StageDecl"')).toBe(normalizeMessage('$.ast.statements.17.kind: "WhenRule" vs "Let"'));
    expect(normalizeMessage('TypeError: x (a.ts)')).not.toBe(normalizeMessage('RangeError: x (a.ts)'));
  });
});

describe('checkInput', () => {
  it('passes a clean example through every stage', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'examples/smb-software/smb-software.rubric'), 'utf8');
    const report = checkInput(text);
    expect(report.failures).toEqual([]);
    expect(report.hasErrors).toBe(false);
    const ran = Object.keys(report.timings);
    expect(STAGES.filter((s) => s !== 'lower-with-errors').filter((s) => !ran.includes(s))).toEqual([]);
  });

  it('runs the stages a text with errors reaches, and lowers its model only with documented errors', () => {
    const report = checkInput('lead {\n  job: text\n}\nwhen jobb = CEO add 10\n');
    expect(report.hasErrors).toBe(true);
    expect(report.failures).toEqual([]);
    expect(Object.keys(report.timings)).toContain('lower-with-errors');
    expect(Object.keys(report.timings)).not.toContain('compile');
  });
});

describe('the supervised worker', () => {
  it('reports a hang, a crash and running out of memory, and checks the next input in a new process', async () => {
    process.env.RUBRIC_FUZZ_WORKER_SELF_TEST = '1';
    // The hang is given its own 1.5 s limit; the other inputs get 20 s, far above their time on a
    // loaded machine, so that a slow answer there is never taken for a hang.
    const worker = new FuzzWorker({ inputTimeoutMs: 20_000, memoryMb: 64, check: {} });
    try {
      const hang = await worker.check('\u0000hang', 1500);
      expect(hang).toMatchObject({ kind: 'died', failure: { kind: 'hang', message: 'no answer within 1500 ms' } });
      const exit = await worker.check('\u0000exit');
      expect(exit).toMatchObject({ kind: 'died', failure: { kind: 'crash', message: expect.stringContaining('exit code 3') } });
      const oom = await worker.check('\u0000oom', 30_000);
      expect(oom).toMatchObject({ kind: 'died', failure: { kind: 'crash', message: expect.stringContaining('out of memory') } });
      const clean = await worker.check('lead {\n  job: text\n}\nwhen job = CEO add 10\n');
      expect(clean).toMatchObject({ kind: 'report', report: { failures: [], hasErrors: false } });
      expect(worker.restarts).toBe(3);
    } finally {
      worker.close();
      delete process.env.RUBRIC_FUZZ_WORKER_SELF_TEST;
    }
  }, 90_000);
});
