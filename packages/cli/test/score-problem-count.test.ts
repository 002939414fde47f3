/**
 * Issue 13: once the first 20 problems are shown and there is no --errors file, `rubric score`
 * only counts the next ones (ProblemReporter.countsOnly: no report built, no wait per problem,
 * for a lead's invalid values and for invalid event values). The count, the lines shown, the
 * output and --strict must be what reporting every problem gives: here the same file is scored
 * with --errors (every problem reported and written) and without.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';
import { ACME_RULES } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  const leads = ['id,job,email,phone,company.size,company.industry,country,tags,student,budget_validated,signup'];
  const events = ['lead_id,type,at,asset,url'];
  for (let i = 1; i <= 60; i++) {
    // Every third lead has a size that is not a number, every fifth a bad date; events with bad instants.
    leads.push(`${i},CEO,a${i}@acme.fr,,${i % 3 === 0 ? 'big' : String(i)},services,FR,,no,yes,${i % 5 === 0 ? 'soon' : '2026-02-20'}`);
    events.push(`${i},page_view,${i % 4 === 0 ? 'yesterday' : '2026-02-27'},,/pricing`);
    events.push(`${i},email_open,2026-02-01,,`);
  }
  ws.write('leads.csv', `${leads.join('\n')}\n`);
  ws.write('events.csv', `${events.join('\n')}\n`);
});
afterEach(() => ws.remove());

const ARGS = ['score', 'acme.rubric', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01'];

function problemCount(stderr: string): number {
  const match = /problems: (\d+)/.exec(stderr);
  if (match === null) throw new Error(`no problem count in:\n${stderr}`);
  return Number(match[1]);
}

describe('rubric score: problems past the first 20 are counted, not reported', () => {
  it('gives the count, the shown lines and the output of a run that writes every problem', async () => {
    const quiet = await ws.run(ARGS);
    const full = await ws.run([...ARGS, '--errors', 'problems.csv']);
    expect(quiet.code).toBe(0);
    expect(full.code).toBe(0);
    expect(quiet.stdout).toBe(full.stdout);
    const written = ws.read('problems.csv').trimEnd().split('\n').length - 1;
    // 20 bad sizes, 12 bad dates, 15 bad event instants.
    expect(written).toBe(47);
    expect(problemCount(quiet.stderr)).toBe(written);
    expect(problemCount(full.stderr)).toBe(written);
    const shown = (stderr: string): string[] => stderr.split('\n').filter((line) => /^(leads|events)\.csv:\d+/.test(line));
    expect(shown(quiet.stderr)).toHaveLength(20);
    expect(shown(quiet.stderr)).toEqual(shown(full.stderr));
    expect(quiet.stderr).toContain('... and 27 more problems (write them all with --errors FILE)');
  });

  it('fails --strict on the counted problems too', async () => {
    const strict = await ws.run([...ARGS, '--strict']);
    expect(strict.code).toBe(1);
    expect(problemCount(strict.stderr)).toBe(47);
  });
});
