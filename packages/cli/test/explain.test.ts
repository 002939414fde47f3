import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { ACME_RULES, BROKEN_RULES, EVENTS_CSV } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  ws.write('events.csv', EVENTS_CSV);
});
afterEach(() => ws.remove());

const LEAD = JSON.stringify({
  id: '1',
  job: 'CEO',
  email: 'ana@acme.fr',
  company: { size: 50, industry: 'services' },
  country: 'FR',
  tags: ['partner'],
  budget_validated: true,
  student: 'perhaps',
});

describe('rubric explain', () => {
  it('shows the rules that fired with points and lines, clamps, stages and invalid values', async () => {
    const args = ['explain', 'acme.rubric', '--lead', LEAD, '--events', 'events.csv', '--now', '2026-03-01'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('explain-text', args, result, ws);
    expect(result.stdout).toContain('capped at max 40; rules gave 47');
    expect(result.stdout).toMatch(/✗ sales_ready\s+at 40\s+`phone` is missing/);
    expect(result.stdout).toContain('`student`: expected bool');
  });

  it('says why higher stages were not reached ("needs 40, has N")', async () => {
    const args = ['explain', 'acme.rubric', '--lead', '{"job": "CTO", "country": "FR"}', '--now', '2026-03-01'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✗ evaluation\s+at 20\s+needs 20, has 10/);
    expect(result.stdout).toMatch(/✗ sales_ready\s+at 40\s+needs 40, has 10; `email` and `phone` are missing; its `when` fails at `budget_validated`/);
  });

  it('names the `requires` condition and the parts of `when` that fail, in explain and score --explain (issue 15)', async () => {
    ws.write(
      'mql.rubric',
      [
        'lead {',
        '  email: text',
        '  phone: text',
        '  country: text',
        '}',
        'let personal_domains = ["gmail.com", "yahoo.fr"]',
        'when phone is set add 62',
        'stage mql at 50 requires phone, email not ends any personal_domains when country in [FR, BE] and (email contains "." or phone starts "+33")',
        '',
      ].join('\n'),
    );
    const lead = '{"id": "7", "email": "ana@gmail.com", "phone": "06", "country": "DE"}';
    const explained = await ws.run(['explain', 'mql.rubric', '--lead', lead, '--now', '2026-03-01']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/✗ mql\s+at 50\s+`email not ends any personal_domains` does not hold; its `when` fails at `country in \[FR, BE\]`/);
    ws.write('leads.jsonl', `${lead}\n`);
    const scored = await ws.run(['score', 'mql.rubric', 'leads.jsonl', '--explain', '--format', 'jsonl', '--now', '2026-03-01']);
    expect(scored.code).toBe(0);
    const why = (JSON.parse(scored.stdout.trim().split('\n')[0]) as { why: string }).why;
    expect(why).toBe('score 62: when phone is set add 62 +62; no stage; not mql: `email not ends any personal_domains` does not hold, its `when` fails at `country in [FR, BE]`');
  });

  it('reads the lead from a file and only its own rows of an events file', async () => {
    ws.write('lead.json', JSON.stringify({ id: 3, job: 'VP Sales', country: 'BE' }));
    const result = await ws.run(['explain', 'acme.rubric', '--lead', 'lead.json', '--events', 'events.csv', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\+4\s+Opens e-mails \(2 occurrences\)/);
    expect(result.stdout).not.toContain('Read a guide');
  });

  it('--format json gives the explanation as data', async () => {
    const result = await ws.run(['explain', 'acme.rubric', '--lead', LEAD, '--now', '2026-03-01', '--format', 'json']);
    expect(result.code).toBe(0);
    const explanation = JSON.parse(result.stdout) as { rules: string; score: number; hits: { label: string; line: number }[]; now: string };
    expect(explanation.rules).toBe('acme.rubric');
    expect(explanation.now).toBe('2026-03-01T00:00:00.000Z');
    expect(explanation.hits.map((hit) => hit.label)).toEqual(['Ideal company profile', 'Decision maker', 'Partner']);
  });

  it('exits 2 on a lead that is not JSON, 1 on a rule file with errors', async () => {
    const notJson = await ws.run(['explain', 'acme.rubric', '--lead', '{job: CEO}']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('error: --lead is not valid JSON');
    expect(notJson.stderr).toContain('help: give one lead as a JSON object');

    const missing = await ws.run(['explain', 'acme.rubric', '--lead', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read `nope.json`');

    ws.write('broken.rubric', BROKEN_RULES);
    const broken = await ws.run(['explain', 'broken.rubric', '--lead', '{}']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('error: `broken.rubric` has 3 errors; not explaining');
  });

  it('shows control characters of labels, values and field names escaped; --format json keeps them exact', async () => {
    ws.write(
      'hostile.rubric',
      [
        'lead {',
        '  job: text',
        '  size: number',
        '}',
        'group fit max 60 {',
        '  when job = "\\u{1b}[2Jceo" add 10 "Decision maker\\u{1b}]0;pwned\\u{7}\\u{d}score 100"',
        '  when job ends "ceo" add 5 "\\u{202e}evil\\u{2066}"',
        '}',
        'stage evaluation at 5 requires size',
        '',
      ].join('\n'),
    );
    const lead = JSON.stringify({ job: '\u001b[2Jceo', size: 'big\u009b2J\u0007' });
    const args = ['explain', 'hostile.rubric', '--lead', lead, '--now', '2026-03-01'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toContain('Decision maker\\x1b]0;pwned\\x07\\rscore 100');
    expect(result.stdout).toContain('\\u202eevil\\u2066');
    expect(result.stdout).toContain('`size`: expected number, got "big\\x9b2J\\u0007"');
    expectGolden('explain-hostile', ['explain', 'hostile.rubric', '--lead', JSON.stringify({ job: '\\x1b[2Jceo', size: 'big\\x9b2J\\x07' }), '--now', '2026-03-01'], result, ws);
    const json = await ws.run([...args, '--format', 'json']);
    const explanation = JSON.parse(json.stdout) as { hits: { label: string }[] };
    expect(explanation.hits.map((hit) => hit.label)).toEqual(['Decision maker\u001b]0;pwned\u0007\rscore 100', '\u202eevil\u2066']);
  });
});
