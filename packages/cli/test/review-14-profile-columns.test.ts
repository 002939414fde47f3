import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

/**
 * Review of issue 14: `rubric profile` reads "exactly as `rubric score` reads the data", but a
 * CSV with two columns of one name, which `rubric score` refuses, was profiled without a word
 * (the field read the last of the two).
 */
const RULES = `lead { job: text from "Job Title" }
when job = CEO add 10 "CEO"
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('r.rubric', RULES);
  ws.write('dup.csv', 'id,Job Title,Job Title\n1,CEO,Dev\n');
});
afterEach(() => ws.remove());

describe('rubric profile on a CSV with two columns of one name', () => {
  it('says that rubric score refuses it', async () => {
    const score = await ws.run(['score', 'r.rubric', 'dup.csv']);
    expect(score.code).toBe(2);
    expect(score.stderr).toContain('has two columns named `Job Title`');
    const profile = await ws.run(['profile', 'r.rubric', 'dup.csv']);
    expect(profile.code).toBe(0);
    expect(profile.stdout).toContain('`dup.csv` has two columns named `Job Title`: `rubric score` refuses the file; rename one of them');
    const json = await ws.run(['profile', 'r.rubric', 'dup.csv', '--format', 'json']);
    const report = JSON.parse(json.stdout) as { files: { data: { notices: string[] } } };
    expect(report.files.data.notices).toContain('`dup.csv` has two columns named `Job Title`: `rubric score` refuses the file; rename one of them');
  });
});
