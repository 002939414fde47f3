/**
 * `rubric test --coverage` and `--format json` on a file with accounts (issue 17): the account
 * rules of `score accounts`, its stages and tiers are covered by the account tests; the contact
 * stages reached by the contacts of an account test count as reached; the JSON output holds each
 * account test's account rules that fired and the account coverage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, TempDir } from './support.js';

const RULES = `lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  employees: number
}
when job = ceo add 30 "CEO"
when job = intern sub 5 "Intern"
stage mql at 20
stage sql at 60
score accounts {
  when employees >= 100 add 10 "Large"
  when employees < 10 add 1 "Tiny"
  when count contacts where stage >= mql >= 1 add 20 "An MQL"
  stage engaged at 10
  stage buying at 30
  stage never at 500
  tier strategic when employees >= 1000
  tier small when employees < 10
}

test "a large account with a CEO" {
  account { id: "a", employees: 2000 }
  contact { job: ceo }
  expect account score 30
  expect account stage buying
  expect account tier strategic
}
test "a lead alone" {
  lead { job: intern }
  expect score -5
}
`;

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('abm.rubric', RULES);
});
afterAll(() => tmp.remove());

describe('rubric test --coverage with accounts', () => {
  it('counts the account rules, stages and tiers, and the contact stages reached in account tests', async () => {
    const run = await runRubric(['test', 'abm.rubric', '--coverage'], tmp.dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Contact rules: `CEO` fired for the account test's contact, `Intern` for the lead test.
    expect(run.stdout).toContain('coverage: 2 of 2 rules fired in a test (100%)');
    // `mql` and `sql` are reached by the account test's CEO contact (score 30: mql).
    expect(run.stdout).toContain('stages: 1 of 2 stages reached by a test');
    expect(run.stdout).toMatch(/abm\.rubric:12 {2}stage sql/);
    expect(run.stdout).toContain('account coverage: 2 of 3 account rules fired in a test (66%)');
    expect(run.stdout).toMatch(/abm\.rubric:15 {2}Tiny/);
    expect(run.stdout).toContain('account stages: 1 of 3 account stages reached by a test');
    expect(run.stdout).toMatch(/abm\.rubric:17 {2}account stage engaged/);
    expect(run.stdout).toMatch(/abm\.rubric:19 {2}account stage never/);
    expect(run.stdout).toContain('account tiers: 1 of 2 account tiers reached by a test');
    expect(run.stdout).toMatch(/abm\.rubric:21 {2}account tier small/);
  });

  it('writes the account rules that fired and the account coverage in JSON', async () => {
    const run = await runRubric(['test', 'abm.rubric', '--coverage', '--format', 'json'], tmp.dir);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as {
      files: {
        tests: { name: string; firedRules: number[]; accountFiredRules?: number[]; account?: { score: number; stage: string | null; tier: string | null } }[];
        coverage: {
          rules: number;
          stages: { name: string; reached: boolean }[];
          account?: {
            rules: number;
            uncovered: { rule: number; line: number; label: string }[];
            stages: { name: string; line: number; reached: boolean }[];
            tiers: { name: string; line: number; reached: boolean }[];
          };
        };
      }[];
    };
    const [file] = document.files;
    const accountTest = file.tests.find((t) => t.name === 'a large account with a CEO');
    expect(accountTest?.firedRules).toEqual([0]);
    expect(accountTest?.accountFiredRules).toEqual([0, 2]);
    expect(accountTest?.account).toEqual({ score: 30, stage: 'buying', tier: 'strategic' });
    const leadTest = file.tests.find((t) => t.name === 'a lead alone');
    expect(leadTest?.accountFiredRules).toBeUndefined();
    expect(leadTest?.account).toBeUndefined();
    expect(file.coverage.stages).toEqual([
      { name: 'mql', line: 11, reached: true },
      { name: 'sql', line: 12, reached: false },
    ]);
    expect(file.coverage.account).toEqual({
      rules: 3,
      uncovered: [{ rule: 1, line: 15, group: null, label: 'Tiny' }],
      stages: [
        { name: 'engaged', line: 17, reached: false },
        { name: 'buying', line: 18, reached: true },
        { name: 'never', line: 19, reached: false },
      ],
      tiers: [
        { name: 'strategic', line: 20, reached: true },
        { name: 'small', line: 21, reached: false },
      ],
    });
  });

  it('leaves the output of a file without accounts as it was (no account keys)', async () => {
    tmp.write('plain.rubric', 'lead { job: text }\nwhen job = ceo add 10\nstage a at 5\ntest "t" {\n  lead { job: ceo }\n  expect score 10\n}\n');
    const text = await runRubric(['test', 'plain.rubric', '--coverage'], tmp.dir);
    expect(text.stdout).not.toContain('account');
    const json = JSON.parse((await runRubric(['test', 'plain.rubric', '--coverage', '--format', 'json'], tmp.dir)).stdout) as { files: { coverage: object; tests: object[] }[] };
    expect(Object.keys(json.files[0].coverage)).toEqual(['rules', 'uncovered', 'stages', 'tiers']);
    expect(Object.keys(json.files[0].tests[0])).not.toContain('accountFiredRules');
  });
});
