import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { ACME_RULES, BROKEN_RULES, FAILING_TEST_RULES } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  ws.write('failing.rubric', FAILING_TEST_RULES);
  ws.write('broken.rubric', BROKEN_RULES);
});
afterEach(() => ws.remove());

describe('rubric test', () => {
  it('runs the tests of a file and closes with `N passed, N failed`', async () => {
    const args = ['test', 'acme.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expectGolden('test-pass', args, result, ws);
  });

  it('shows expected and actual with the location of each failed expectation; exit 1', async () => {
    const args = ['test', 'failing.rubric', 'acme.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('3 passed, 1 failed');
    expect(result.stdout).toContain('failing.rubric:54:3  expect score 70');
    expectGolden('test-fail', args, result, ws);
  });

  it('--coverage lists the rules no test made fire, with file:line and label', async () => {
    const args = ['test', 'acme.rubric', '--coverage'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('acme.rubric:26  fit: Personal address');
    expect(result.stdout).not.toContain('fit: Ideal company profile');
    expectGolden('test-coverage', args, result, ws);
  });

  it('a file with errors runs no test, shows the diagnostics and exits 1', async () => {
    const args = ['test', 'broken.rubric'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expectGolden('test-errors', args, result, ws);
  });

  it('--filter runs only the matching tests', async () => {
    const result = await ws.run(['test', 'acme.rubric', '--filter', 'STUDENT']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('students never get a stage');
    expect(result.stdout).not.toContain('SMB services firm');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
  });

  it('--format json gives every test and expectation', async () => {
    const result = await ws.run(['test', 'failing.rubric', '--format', 'json', '--coverage']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      passed: number;
      failed: number;
      files: { tests: { name: string; passed: boolean; expectations: { expected: string; actual: string; passed: boolean }[] }[]; coverage: { uncovered: unknown[] } }[];
    };
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    const failed = report.files[0].tests.find((t) => !t.passed);
    expect(failed?.expectations.find((e) => !e.passed)).toMatchObject({ expected: '70', actual: '55', passed: false });
    expect(report.files[0].coverage.uncovered.length).toBeGreaterThan(0);
  });

  it('exits 2 when a file cannot be read', async () => {
    const result = await ws.run(['test', 'acme.rubric', 'missing.rubric']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read `missing.rubric`: no such file or directory');
  });
});
