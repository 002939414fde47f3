/**
 * `rubric score` writes one column per group, named after the group (with `--group-prefix`
 * before it). A group whose column would be a computed column (`score`, `stage`, `tier`, `why`
 * with --explain) is refused before anything is read, by both engines, with the way out; it used
 * to crash the JavaScript engine with an internal error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, TempDir } from './support.js';

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  const rules = (group: string) => `lead {\n  id: text\n  job: text\n}\ngroup ${group} max 10 {\n  when job = ceo add 5\n}\nwhen job = cto add 3\nstage a at 0\n`;
  tmp.write('tier.rubric', rules('`tier`'));
  tmp.write('why.rubric', rules('`why`'));
  tmp.write('fit.rubric', rules('fit'));
  tmp.write('leads.csv', 'id,job\n1,CEO\n2,CTO\n');
  tmp.write('columns.rubric', 'lead {\n  id: text\n  job: text\n  country: text\n}\nwhen job = ceo add 5\nstage a at 0\n');
  tmp.write('columns.csv', 'id,job,extra,score\n1,CEO,x,4\n2,CTO,y,5\n');
});
afterAll(() => tmp.remove());

const NOW = ['--now', '2026-03-01'];

describe.each(['js', 'duckdb'])('group columns (--engine %s)', (engine) => {
  const score = (...args: string[]) => runRubric(['score', ...args, ...NOW, '--engine', engine], tmp.dir);

  it('refuses a group that would overwrite the tier, and says how to keep both', async () => {
    const result = await score('tier.rubric', 'leads.csv');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: group `tier` would be written in the column `tier`, which holds the tier');
    expect(result.stderr).toContain('help: rename the group, or pass --group-prefix group_');
    expect(result.stderr).not.toContain('internal error');
  });

  it('--group-prefix names the group columns and keeps the computed ones', async () => {
    const result = await score('tier.rubric', 'leads.csv', '--group-prefix', 'group_');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('id,job,score,stage,tier,group_tier\n1,CEO,5,a,,5\n2,CTO,3,a,,0\n');
    const plain = await score('fit.rubric', 'leads.csv');
    expect(plain.stdout).toBe('id,job,score,stage,tier,fit\n1,CEO,5,a,,5\n2,CTO,3,a,,0\n');
  });

  it('a group named `why` is only refused when --explain writes a `why` column', async () => {
    const result = await score('why.rubric', 'leads.csv');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('id,job,score,stage,tier,why');
    if (engine === 'js') {
      const explained = await score('why.rubric', 'leads.csv', '--explain');
      expect(explained.code).toBe(2);
      expect(explained.stderr).toContain('error: group `why` would be written in the column `why`, which holds the explanation');
    }
  });
});

describe('column warnings', () => {
  it('both engines say which input columns are replaced, kept unscored, or missing', async () => {
    const js = await runRubric(['score', 'columns.rubric', 'columns.csv', ...NOW], tmp.dir);
    const duckdb = await runRubric(['score', 'columns.rubric', 'columns.csv', ...NOW, '--engine', 'duckdb'], tmp.dir);
    const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('warning: ') && !line.includes('rubric check'));
    expect(warnings(js.stderr)).toEqual([
      'warning: input column `score` is replaced by the computed value',
      'warning: columns `extra`, `score` of `columns.csv` are not lead fields in `columns.rubric`: kept in the output, not scored',
      'warning: lead field `country` of `columns.rubric` has no column in `columns.csv`: always missing',
    ]);
    expect(warnings(duckdb.stderr)).toEqual(warnings(js.stderr));
    expect(duckdb.stdout).toBe(js.stdout);
  });
});
