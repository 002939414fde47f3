/**
 * A French CRM export scored without a `data` block: after its problems, `rubric score` says once
 * which values a `data` block would read and points to `rubric profile`, the same on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, TempDir } from './support.js';

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('rules.rubric', 'lead {\n  revenue: number\n  created: date\n}\nwhen revenue > 1000 add 10\nwhen created >= 30 days ago add 5\n');
  tmp.write('leads.csv', 'id;revenue;created\n1;1 200 000,50;15/03/2026\n2;n/c;2026-03-20\n3;800;\n');
});
afterAll(() => tmp?.remove());

describe('the data-block hint of rubric score', () => {
  it('follows the problems, names each kind once, and is the same on both engines', async () => {
    const hints: string[] = [];
    for (const engine of ['js', 'duckdb']) {
      const run = await runRubric(['score', 'rules.rubric', 'leads.csv', '--now', '2026-04-01T00:00:00Z', '--engine', engine, '--out', `${engine}.csv`, '--no-progress'], tmp.dir);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stderr.split('\n');
      const at = lines.findIndex((line) => line.startsWith('hint: '));
      expect(at, run.stderr).toBeGreaterThan(0);
      expect(lines.slice(0, at).filter((line) => line.includes('treated as missing'))).toHaveLength(3);
      expect(lines[at + 1]).toMatch(/^now: /);
      hints.push(lines[at]);
    }
    expect(hints[0]).toBe(hints[1]);
    expect(hints[0]).toContain('"1 200 000,50" in `revenue` looks like a number with a decimal comma');
    expect(hints[0]).toContain('"15/03/2026" in `created` looks like a day-first or month-first date');
    expect(hints[0]).toContain('"n/c" in `revenue` looks like a placeholder');
    expect(hints[0]).toContain('`rubric profile RULES DATA`');
  });

  it('is gone once the data block the profile suggests is pasted', async () => {
    tmp.write('fixed.rubric', `data {\n  missing: ["n/c"]\n  numbers: decimal comma\n  dates: day first\n}\n${tmp.read('rules.rubric')}`);
    const run = await runRubric(['score', 'fixed.rubric', 'leads.csv', '--now', '2026-04-01T00:00:00Z', '--out', 'fixed.csv', '--no-progress'], tmp.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('hint:');
    expect(run.stderr).not.toContain('treated as missing');
  });
});
