/**
 * End-to-end tests of the built `rubric` command: real processes, real files, real pipes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_RULES, BROKEN_RULES, EVENTS_CSV, generatedLeadsCsv, LEADS_CSV } from '../../packages/cli/test/support/fixtures.js';
import { requireBuiltCli, runRubric, startRubric, TempDir } from './support.js';

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('acme.rubric', ACME_RULES);
  tmp.write('broken.rubric', BROKEN_RULES);
  tmp.write('leads.csv', LEADS_CSV);
  tmp.write('events.csv', EVENTS_CSV);
});
afterAll(() => tmp.remove());

const NOW = ['--now', '2026-03-01'];

function summaryRows(stderr: string): { read: number; written: number; rejected: number } {
  const match = /rows: (\d+) read = (\d+) written \+ (\d+) rejected/.exec(stderr);
  if (match === null) throw new Error(`no row summary in:\n${stderr}`);
  return { read: Number(match[1]), written: Number(match[2]), rejected: Number(match[3]) };
}

describe('the rubric command', () => {
  it('prints its version and help', async () => {
    const version = await runRubric(['--version'], tmp.dir);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runRubric(['--help'], tmp.dir);
    expect(help.code).toBe(0);
    for (const command of ['check', 'test', 'score', 'explain', 'build']) expect(help.stdout).toContain(`  ${command} `);
  });

  it('exits 0, 1 and 2 for clean, broken and missing rule files, never with a stack trace', async () => {
    expect((await runRubric(['check', 'acme.rubric'], tmp.dir)).code).toBe(0);
    const broken = await runRubric(['check', 'broken.rubric'], tmp.dir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('broken.rubric:6:6: error R010: unknown field `compnay.size`');
    const missing = await runRubric(['check', 'missing.rubric'], tmp.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: cannot read `missing.rubric`: no such file or directory\n');
    const usage = await runRubric(['score'], tmp.dir);
    expect(usage.code).toBe(2);
    for (const result of [broken, missing, usage]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs in-file tests and closes with `N passed, N failed`', async () => {
    const result = await runRubric(['test', 'acme.rubric'], tmp.dir);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('colours only when asked on a pipe (FORCE_COLOR) and never with NO_COLOR', async () => {
    const forced = await runRubric(['check', 'broken.rubric'], tmp.dir, { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const disabled = await runRubric(['check', 'broken.rubric'], tmp.dir, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(disabled.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('rubric score (end to end)', () => {
  it('streams a CSV of 20,000 rows: every row read is written, no progress bar on a pipe', async () => {
    const rows = 20_000;
    tmp.write('big.csv', generatedLeadsCsv(rows));
    const result = await runRubric(['score', 'acme.rubric', 'big.csv', ...NOW, '--out', 'big-scored.csv'], tmp.dir);
    expect(result.code).toBe(0);
    expect(summaryRows(result.stderr)).toEqual({ read: rows, written: rows, rejected: 0 });
    const out = tmp.read('big-scored.csv').trimEnd().split('\n');
    expect(out).toHaveLength(rows + 1);
    expect(out[0].endsWith(',score,stage,tier,fit,engagement')).toBe(true);
    expect(result.stderr).not.toMatch(/\u001b\[|scoring \|/);
  });

  it('writes scored rows while stdin is still open (streams, does not slurp)', async () => {
    const child = startRubric(['score', 'acme.rubric', '-', '--input-format', 'jsonl', ...NOW], tmp.dir);
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstRow = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('"id":"first"')) resolve();
      });
    });
    child.stdin.write(`${JSON.stringify({ id: 'first', job: 'CEO' })}\n`);
    // The output batch is flushed at the end, or when it is full: send enough rows to fill it.
    for (let i = 0; i < 1000; i++) child.stdin.write(`${JSON.stringify({ id: `r${i}`, job: 'CTO', country: 'FR' })}\n`);
    await firstRow;
    expect(child.exitCode).toBeNull();
    child.stdin.end(`${JSON.stringify({ id: 'last', job: 'CEO' })}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1002);
  });

  it('--strict never leaves a half-written output file', async () => {
    tmp.write('typed.csv', 'id,job,company.size\n1,CEO,fifty\n2,CTO,20\n');
    const result = await runRubric(['score', 'acme.rubric', 'typed.csv', ...NOW, '--strict', '--out', 'strict.csv'], tmp.dir);
    expect(result.code).toBe(1);
    expect(tmp.exists('strict.csv')).toBe(false);
    expect(result.stderr).toContain('--strict: 1 problem, so `strict.csv` was not written');
  });

  it('joins an events file and refuses one out of order (exit 2)', async () => {
    const joined = await runRubric(['score', 'acme.rubric', 'leads.csv', '--events', 'events.csv', ...NOW], tmp.dir);
    expect(joined.code).toBe(0);
    expect(joined.stderr).toContain('events: 6 read, 6 joined to leads');
    tmp.write('events-unsorted.csv', 'lead_id,type,at\n3,email_open,2026-02-01\n1,email_open,2026-02-01\n');
    const unsorted = await runRubric(['score', 'acme.rubric', 'leads.csv', '--events', 'events-unsorted.csv', ...NOW], tmp.dir);
    expect(unsorted.code).toBe(2);
    expect(unsorted.stderr).toContain('is not sorted like the data: lead `1` on line 3 comes after lead `3` (line 2)');
  });
});
