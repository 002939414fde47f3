import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

/**
 * Real CRM / Excel exports: a header with columns that have no name (trailing separators
 * `id;job;email;;`, an unnamed column in the middle). Such a column is no lead field: every
 * command that reads lead CSVs accepts any number of them, keeps their cells as read in CSV
 * output, and says once how many there are and where (1-based positions). Two columns of one
 * real name are still refused.
 */
const RULES = `lead {
  id: text
  job: text
  email: text
}
when job = CEO add 10 "CEO"
when email ends "@acme.fr" add 5 "Acme"
stage mql at 10
`;

// Columns 2 and 5 (`;;` at the end: two unnamed columns at 4 and 5 in the second file).
const MIDDLE = 'id; ;job;email;\n1;a;CEO;x@acme.fr;z\n2;;Dev;y@b.io;\n';
const TRAILING = 'id;job;email;;\n1;CEO;x@acme.fr;;\n2;Dev;y@b.io;p;"q;r"\n';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('r.rubric', RULES);
  ws.write('middle.csv', MIDDLE);
  ws.write('trailing.csv', TRAILING);
  ws.write('history.csv', 'id,job,email,,won,\n1,CEO,x@acme.fr,,yes,\n2,Dev,y@b.io,q,no,w\n3,CEO,z@b.io,,yes,\n');
});
afterEach(() => ws.remove());

describe('columns with no name (blank header cells)', () => {
  it('rubric score keeps them as read in CSV output and warns once with their positions', async () => {
    const trailing = await ws.run(['score', 'r.rubric', 'trailing.csv']);
    expect(trailing.stderr).not.toContain('two columns named');
    expect(trailing.code).toBe(0);
    expect(trailing.stdout).toBe('id;job;email;;;score;stage;tier\n1;CEO;x@acme.fr;;;15;mql;\n2;Dev;y@b.io;p;"q;r";0;;\n');
    expect(trailing.stderr).toContain('warning: columns 4 and 5 of `trailing.csv` have no name: they are kept as they are and read as no field');
    expect(trailing.stderr.match(/no name/g)).toHaveLength(1);
    expect(trailing.stderr).not.toContain('``');

    const middle = await ws.run(['score', 'r.rubric', 'middle.csv']);
    expect(middle.code).toBe(0);
    expect(middle.stdout).toBe('id;" ";job;email;;score;stage;tier\n1;a;CEO;x@acme.fr;z;15;mql;\n2;;Dev;y@b.io;;0;;\n');
    expect(middle.stderr).toContain('warning: columns 2 and 5 of `middle.csv` have no name: they are kept as they are and read as no field');
  });

  it('one column with no name is said in the singular, with no empty name in the other warnings', async () => {
    ws.write('one.csv', 'id,job,,email,extra\n1,CEO,?,x@acme.fr,e\n');
    const one = await ws.run(['score', 'r.rubric', 'one.csv']);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('id,job,,email,extra,score,stage,tier\n1,CEO,?,x@acme.fr,e,15,mql,\n');
    expect(one.stderr).toContain('warning: column 3 of `one.csv` has no name: it is kept as it is and read as no field');
    expect(one.stderr).toContain('column `extra` of `one.csv` is not a lead field');
    expect(one.stderr).not.toContain('``');
  });

  it('JSON Lines output leaves them out (a JSON object has one key per name), and says so', async () => {
    const jsonl = await ws.run(['score', 'r.rubric', 'trailing.csv', '--format', 'jsonl']);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { id: '1', job: 'CEO', email: 'x@acme.fr', score: 15, stage: 'mql', tier: null },
      { id: '2', job: 'Dev', email: 'y@b.io', score: 0, stage: null, tier: null },
    ]);
    expect(jsonl.stderr).toContain('warning: columns 4 and 5 of `trailing.csv` have no name: they are left out of the output and read as no field');
  });

  it('many columns with no name are listed up to 8, then counted', async () => {
    ws.write('many.csv', `id,job${',' .repeat(10)}\n1,CEO${',' .repeat(10)}\n`);
    const many = await ws.run(['score', 'r.rubric', 'many.csv']);
    expect(many.code).toBe(0);
    expect(many.stderr).toContain('warning: columns 3, 4, 5, 6, 7, 8, 9, 10 and 2 more of `many.csv` have no name: they are kept as they are and read as no field');
    expect(many.stdout).toBe(`id,job${','.repeat(10)},score,stage,tier\n1,CEO${','.repeat(10)},10,mql,\n`);
  });

  it('two columns of one real name are still refused', async () => {
    ws.write('dup.csv', 'id,job,job,,\n1,CEO,Dev,,\n');
    const dup = await ws.run(['score', 'r.rubric', 'dup.csv']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('has two columns named `job`');
  });

  it('rubric explain --row reads such a file and warns', async () => {
    const explain = await ws.run(['explain', 'r.rubric', 'trailing.csv', '--row', '1']);
    expect(explain.stderr).not.toContain('two columns named');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('15');
    expect(explain.stderr).toContain('columns 4 and 5 of `trailing.csv` have no name: they are read as no field');
  });

  it('rubric profile gives the notice, not the refusal', async () => {
    const profile = await ws.run(['profile', 'r.rubric', 'trailing.csv', '--format', 'json']);
    expect(profile.code).toBe(0);
    const report = JSON.parse(profile.stdout) as { files: { data: { notices: string[] } } };
    expect(report.files.data.notices.join('\n')).not.toContain('two columns named');
    expect(report.files.data.notices).toContain('columns 4 and 5 of `trailing.csv` have no name: they are read as no field');
  });

  it('rubric backtest and rubric report read such a history', async () => {
    const backtest = await ws.run(['backtest', 'r.rubric', 'history.csv', '--outcome', 'won']);
    expect(backtest.stderr).not.toContain('two columns named');
    expect(backtest.code).toBe(0);
    expect(backtest.stderr).toContain('columns 4 and 6 of `history.csv` have no name: they are read as no field');
    const report = await ws.run(['report', 'r.rubric', 'history.csv', '--outcome', 'won', '--out', 'r.html']);
    expect(report.stderr).not.toContain('two columns named');
    expect(report.code).toBe(0);
  });

  it('rubric diff --leads reads such a file, warns, and refuses a real duplicate as score does', async () => {
    ws.write('new.rubric', RULES.replace('add 10', 'add 20'));
    const diff = await ws.run(['diff', 'r.rubric', 'new.rubric', '--leads', 'trailing.csv']);
    expect(diff.code).toBe(0);
    expect(diff.stderr).toContain('columns 4 and 5 of `trailing.csv` have no name: they are read as no field');
    ws.write('dup.csv', 'id,job,job\n1,CEO,Dev\n');
    const dup = await ws.run(['diff', 'r.rubric', 'new.rubric', '--leads', 'dup.csv']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('has two columns named `job`');
  });
});
