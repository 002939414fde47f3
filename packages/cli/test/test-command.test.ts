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

  it('shows control characters of test names, labels, values and paths escaped (no window title, no fake "0 failed")', async () => {
    ws.write(
      'hostile\u001b[2J.rubric',
      [
        'lead {',
        '  job: text',
        '}',
        'group fit max 60 {',
        '  when job = "\\u{1b}[2Jceo" add 10 "Decision maker\\u{1b}]0;pwned\\u{7}"',
        '  when job = cto add 5',
        '  when job = cfo add 1 "\\u{202e}evil\\u{d}\\u{9b}31m fake"',
        '}',
        'stage evaluation at 5',
        'test "title\\u{1b}]0;pwned\\u{7}\\u{d}1 passed, 0 failed\\u{7f}" {',
        '  lead { job: "\\u{1b}[2Jceo" }',
        '  expect score 99',
        '}',
        'test "ok" {',
        '  lead { job: cto }',
        '  expect score 5',
        '}',
        '',
      ].join('\n'),
    );
    const args = ['test', 'hostile\u001b[2J.rubric', '--coverage'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toContain('✗ title\\x1b]0;pwned\\x07\\r1 passed, 0 failed\\x7f  hostile\\x1b[2J.rubric:10:1');
    expect(result.stdout).toContain('rules that fired: Decision maker\\x1b]0;pwned\\x07 (line 5)');
    expect(result.stdout).toContain('hostile\\x1b[2J.rubric:7  fit: \\u202eevil\\r\\x9b31m fake');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');
    expectGolden('test-hostile', args.map((arg) => arg.replace('\u001b', '\\x1b')), result, ws);
    // JSON stays exact: the names are the rule file's, escaped only by JSON itself.
    const json = await ws.run(['test', 'hostile\u001b[2J.rubric', '--format', 'json']);
    const report = JSON.parse(json.stdout) as { files: { path: string; tests: { name: string }[] }[] };
    expect(report.files[0].path).toBe('hostile\u001b[2J.rubric');
    expect(report.files[0].tests[0].name).toBe('title\u001b]0;pwned\u0007\r1 passed, 0 failed\u007f');
  });
});
