import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { ACME_RULES } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
});
afterEach(() => ws.remove());

describe('rubric test --coverage: stages and tiers (issue 15)', () => {
  it('lists the stages and tiers no test reaches, with file:line', async () => {
    const args = ['test', 'acme.rubric', '--coverage'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    // The acme tests end in `purchase` with tier B, and in no stage.
    expect(result.stdout).toContain('stages: 1 of 4 stages reached by a test');
    expect(result.stdout).toContain('acme.rubric:39  stage discovery');
    expect(result.stdout).toContain('acme.rubric:42  stage sales_ready');
    expect(result.stdout).not.toContain('stage purchase\n');
    expect(result.stdout).toContain('tiers: 1 of 2 tiers reached by a test');
    expect(result.stdout).toContain('acme.rubric:44  tier A');
    expect(result.stdout).not.toContain('tier B\n');
    expectGolden('issue-15-test-coverage-outcomes', args, result, ws);
  });

  it('a stage is reached only when a test ends in it; --filter narrows the tests that count', async () => {
    const result = await ws.run(['test', 'acme.rubric', '--coverage', '--filter', 'student']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stages: 0 of 4 stages reached by a test');
    expect(result.stdout).toContain('tiers: 0 of 2 tiers reached by a test');
  });

  it('--format json gives every stage and tier with its line and whether a test reached it', async () => {
    const result = await ws.run(['test', 'acme.rubric', '--coverage', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      files: { coverage: { stages: { name: string; line: number; reached: boolean }[]; tiers: { name: string; line: number; reached: boolean }[] } }[];
    };
    const coverage = report.files[0].coverage;
    expect(coverage.stages).toEqual([
      { name: 'discovery', line: 39, reached: false },
      { name: 'evaluation', line: 40, reached: false },
      { name: 'purchase', line: 41, reached: true },
      { name: 'sales_ready', line: 42, reached: false },
    ]);
    expect(coverage.tiers).toEqual([
      { name: 'A', line: 44, reached: false },
      { name: 'B', line: 45, reached: true },
    ]);
  });
});
