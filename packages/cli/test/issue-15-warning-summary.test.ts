/**
 * Issue 15: a command that produces scores lists the rule file's warnings one per line (not only
 * their count), so an unreachable stage is visible where the scores are made.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LISTED_WARNINGS } from '../src/rules.js';
import { expectGolden, Workspace } from './support/cli.js';

/** Two stages at one threshold (the earlier, `mql`, is never reached: `sql` wins) and an unused event. */
const UNREACHABLE_MQL = `lead {
  job: text
  company.size: number
}
event demo_request
when job = CEO add 10 "CEO"
when company.size > 50 add 20 "Big"
stage cold at 0
stage mql at 20
stage sql at 20
`;

const LEADS = 'job,company.size\nCEO,100\nIntern,5\n';

/** A file with `count` unused events: one R026 warning each. */
function unusedEvents(count: number): string {
  const events = Array.from({ length: count }, (_, i) => `event unused_${String(i + 1).padStart(2, '0')}`).join('\n');
  return `lead {\n  job: text\n  company.size: number\n}\n${events}\nwhen job = CEO add 10\nwhen company.size > 50 add 20\n`;
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('leads.csv', LEADS);
});
afterEach(() => ws.remove());

describe('warnings listed where scores are produced', () => {
  it('rubric score prints each warning with its location, code and message', async () => {
    ws.write('mql.rubric', UNREACHABLE_MQL);
    const args = ['score', 'mql.rubric', 'leads.csv', '--now', '2026-03-01'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('issue-15-score-warnings', args, result, ws);
    expect(result.stderr).toMatch(/^ {2}mql\.rubric:9:\d+: warning R025: stage `mql` can never be reached/m);
    expect(result.stderr).toMatch(/^ {2}mql\.rubric:5:\d+: warning R026: /m);
  });

  it('lists at most MAX_LISTED_WARNINGS, then says how many more', async () => {
    const count = MAX_LISTED_WARNINGS + 3;
    ws.write('many.rubric', unusedEvents(count));
    const result = await ws.run(['score', 'many.rubric', 'leads.csv', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
    const listed = result.stderr.split('\n').filter((line) => /^ {2}many\.rubric:\d+:\d+: warning R026: /.test(line));
    expect(listed).toHaveLength(MAX_LISTED_WARNINGS);
    // Reading order: the first event line is listed first.
    expect(listed[0]).toContain('many.rubric:5:');
    expect(result.stderr).toContain(`has ${count} warnings`);
    expect(result.stderr).toContain('\n  and 3 more\n');
  });

  it('rubric explain lists them too', async () => {
    ws.write('mql.rubric', UNREACHABLE_MQL);
    const result = await ws.run(['explain', 'mql.rubric', '--lead', '{"job": "CEO", "company.size": 100}', '--now', '2026-03-01']);
    expect(result.stderr).toMatch(/^ {2}mql\.rubric:9:\d+: warning R025: stage `mql` can never be reached/m);
  });

  it('a file without warnings prints nothing about warnings', async () => {
    ws.write('clean.rubric', 'lead {\n  job: text\n  company.size: number\n}\nwhen job = CEO add 10\nwhen company.size > 50 add 20\n');
    const result = await ws.run(['score', 'clean.rubric', 'leads.csv', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('warning');
  });
});
