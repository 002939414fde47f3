/**
 * `rubric explain RULES DATA --id ID | --row N`: one lead of a data file, read exactly as
 * `rubric score` reads it (issue 14).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { ACME_RULES, EVENTS_CSV, LEADS_CSV } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  ws.write('leads.csv', LEADS_CSV);
  ws.write('events.csv', EVENTS_CSV);
});
afterEach(() => ws.remove());

interface ExplainJson {
  readonly score: number;
  readonly stage: string | null;
  readonly tier: string | null;
  readonly groups: Record<string, number>;
  readonly hits: readonly { label: string }[];
  readonly invalidValues: readonly unknown[];
  readonly data?: { file: string; line: number; row: number; id?: string };
}

/** `rubric explain ... --format json` at 2026-03-01; `stderr`: what it must say there (default nothing). */
async function explainJson(args: readonly string[], stderr: RegExp | '' = ''): Promise<ExplainJson> {
  const result = await ws.run([...args, '--format', 'json', '--now', '2026-03-01']);
  if (stderr === '') expect(result.stderr).toBe('');
  else expect(result.stderr).toMatch(stderr);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ExplainJson;
}

function withoutData(explanation: ExplainJson): Omit<ExplainJson, 'data'> {
  const { data: _data, ...rest } = explanation;
  return rest;
}

/** The `score`, `stage` and `tier` columns `rubric score` writes for each lead of a CSV. */
async function scoredRows(data: string, extra: readonly string[] = []): Promise<Map<string, { score: string; stage: string; tier: string }>> {
  const result = await ws.run(['score', 'acme.rubric', data, '--now', '2026-03-01', '--format', 'jsonl', ...extra]);
  expect(result.code).toBe(0);
  const rows = new Map<string, { score: string; stage: string; tier: string }>();
  for (const line of result.stdout.trim().split('\n')) {
    const row = JSON.parse(line) as { id: unknown; score: unknown; stage: unknown; tier: unknown };
    rows.set(String(row.id), { score: String(row.score), stage: String(row.stage), tier: String(row.tier) });
  }
  return rows;
}

describe('rubric explain RULES DATA --id', () => {
  it('explains the lead of a CSV with that id, as `rubric score` scores it (golden)', async () => {
    const args = ['explain', 'acme.rubric', 'leads.csv', '--id', '3', '--events', 'events.csv', '--now', '2026-03-01'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('explain-data-id', args, result, ws);
    expect(result.stdout).toContain('lead 3: leads.csv line 4 (row 3)');

    const scored = await scoredRows('leads.csv', ['--events', 'events.csv']);
    for (const id of ['1', '2', '3', '4']) {
      const explained = await explainJson(['explain', 'acme.rubric', 'leads.csv', '--id', id, '--events', 'events.csv']);
      const row = scored.get(id);
      expect({ score: String(explained.score), stage: String(explained.stage), tier: String(explained.tier) }).toEqual(row);
      expect(explained.data).toEqual({ file: 'leads.csv', line: Number(id) + 1, row: Number(id), id });
    }
  });

  it('reads JSON Lines, JSON arrays and stdin by the same id; numeric ids match their text', async () => {
    ws.write('leads.jsonl', `{"id": 7, "job": "CEO", "country": "FR"}\n\n{"id": "8", "job": "CTO", "country": "BE", "company": {"size": 50, "industry": "retail"}}\n`);
    ws.write('leads.json', `[{"id": 7, "job": "CEO", "country": "FR"}, {"id": "8", "job": "CTO", "country": "BE", "company": {"size": 50, "industry": "retail"}}]`);
    const jsonl = await explainJson(['explain', 'acme.rubric', 'leads.jsonl', '--id', '8']);
    expect(jsonl.data).toEqual({ file: 'leads.jsonl', line: 3, row: 2, id: '8' });
    expect(jsonl.hits.map((hit) => hit.label)).toEqual(['Ideal company profile', 'Decision maker']);
    const json = await explainJson(['explain', 'acme.rubric', 'leads.json', '--id', '8']);
    expect(withoutData(json)).toEqual(withoutData(jsonl));
    const numeric = await explainJson(['explain', 'acme.rubric', 'leads.jsonl', '--id', '7']);
    expect(numeric.data?.row).toBe(1);
    // Keys no field reads are said, as `rubric score` says them.
    ws.write('extra.jsonl', '{"id": 1, "job": "CEO", "first_name": "Ana", "company": {"size": 5, "name": "Acme"}}\n');
    await explainJson(['explain', 'acme.rubric', 'extra.jsonl', '--row', '1'], /^warning: `extra\.jsonl` line 1: keys `first_name`, `company\.name` are not lead fields in `acme\.rubric`: not scored\n$/);

    const stdin = await ws.run(['explain', 'acme.rubric', '-', '--input-format', 'jsonl', '--id', '8', '--format', 'json', '--now', '2026-03-01'], {
      stdin: ws.read('leads.jsonl'),
    });
    expect(stdin.code).toBe(0);
    expect(withoutData(JSON.parse(stdin.stdout) as ExplainJson)).toEqual(withoutData(jsonl));
    expect((JSON.parse(stdin.stdout) as ExplainJson).data?.file).toBe('stdin');
  });

  it('uses --id-field, --delimiter and the detected delimiter as `score` does', async () => {
    // `tags` quoted: its `;` is the delimiter here. `id` is a lead field of acme.rubric, `lead_ref` is not.
    ws.write('semi.csv', LEADS_CSV.replace('partner;vip', '"partner;vip"').replaceAll(',', ';').replace(/^id;/, 'lead_ref;'));
    const byRef = await explainJson(['explain', 'acme.rubric', 'semi.csv', '--id', '4', '--id-field', 'lead_ref'], /^warning: lead field `id` of `acme\.rubric` has no column in `semi\.csv`: always missing\n$/);
    const byId = await explainJson(['explain', 'acme.rubric', 'leads.csv', '--id', '4']);
    expect(byRef.score).toBe(byId.score);
    expect(byRef.hits).toEqual(byId.hits);

    ws.write('tabs.txt', LEADS_CSV.replaceAll(',', '\t'));
    // Detected from the header as `score` detects it (`;` here), or given.
    const detected = await explainJson(['explain', 'acme.rubric', 'semi.csv', '--id', '1', '--id-field', 'lead_ref'], /always missing/);
    expect(detected.hits.map((hit) => hit.label)).toContain('Partner');
    const tabs = await explainJson(['explain', 'acme.rubric', 'tabs.txt', '--id', '4', '--delimiter', 'tab']);
    expect(withoutData(tabs)).toEqual(withoutData(byId));
  });

  it('exits 2 when no lead has the id, saying how many rows were read and what ids look like', async () => {
    const result = await ws.run(['explain', 'acme.rubric', 'leads.csv', '--id', '4711']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: no lead with id `4711` in `leads.csv` (4 rows read; ids look like `1`, `2`, `3`)');
    expect(result.stderr).toContain('the id field is --id-field');
    expect(result.stdout).toBe('');

    const noColumn = await ws.run(['explain', 'acme.rubric', 'leads.csv', '--id', '1', '--id-field', 'ref']);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toContain('error: `leads.csv` has no `ref` column to find lead `1` by');

    ws.write('noid.jsonl', '{"job": "CEO"}\n{"job": "CTO"}\n');
    const noIds = await ws.run(['explain', 'acme.rubric', 'noid.jsonl', '--id', '1']);
    expect(noIds.code).toBe(2);
    expect(noIds.stderr).toContain('no lead with id `1` in `noid.jsonl` (2 rows read; none has an `id`)');
  });

  it('shows ids from the data escaped on the terminal, and long ones cut in the "not found" message', async () => {
    ws.write('hostile.csv', `id,job\n"\u001b[31mred",CEO\n${'x'.repeat(100)},CTO\n`);
    const found = await ws.run(['explain', 'acme.rubric', 'hostile.csv', '--row', '1', '--now', '2026-03-01']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('lead \\x1b[31mred: hostile.csv line 2 (row 1)');
    expect(found.stdout).not.toContain('\u001b');
    const missing = await ws.run(['explain', 'acme.rubric', 'hostile.csv', '--id', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`ids look like \`\\x1b[31mred\`, \`${'x'.repeat(39)}…\`)`);
    expect(missing.stderr).not.toContain('\u001b');
  });

  it('explains the first of two leads with the same id and warns about the other', async () => {
    ws.write('twice.csv', `${LEADS_CSV}1,Intern,x@gmail.com,,1,retail,US,,yes,no,\n`);
    const result = await ws.run(['explain', 'acme.rubric', 'twice.csv', '--id', '1', '--now', '2026-03-01', '--format', 'json']);
    expect(result.code).toBe(0);
    const explained = JSON.parse(result.stdout) as ExplainJson;
    expect(explained.data).toEqual({ file: 'twice.csv', line: 2, row: 1, id: '1' });
    expect(explained.hits.map((hit) => hit.label)).toContain('Decision maker');
    expect(result.stderr).toContain('warning: `twice.csv` has 2 leads with id `1` (line 2, line 6): the first is explained');
  });

  it('reports a bad row with the reader\'s line and column, and still finds a later lead', async () => {
    ws.write('bad.jsonl', '{"id": 1, "job": "CEO"}\n{"id": 2, "job": \n{"id": 3, "job": "CTO"}\n');
    const later = await ws.run(['explain', 'acme.rubric', 'bad.jsonl', '--id', '3', '--now', '2026-03-01']);
    expect(later.code).toBe(0);
    expect(later.stderr).toBe('warning: `bad.jsonl` line 2: invalid JSON: unexpected end of JSON input; row skipped\n');
    expect(later.stdout).toContain('lead 3: bad.jsonl line 3 (row 3)');

    const missing = await ws.run(['explain', 'acme.rubric', 'bad.jsonl', '--id', '2']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no lead with id `2` in `bad.jsonl` (3 rows read');
    expect(missing.stderr).toContain('help: 1 row could not be read (first: `bad.jsonl` line 2: invalid JSON: unexpected end of JSON input): the lead may be on that row');

    const row = await ws.run(['explain', 'acme.rubric', 'bad.jsonl', '--row', '2']);
    expect(row.code).toBe(2);
    expect(row.stderr).toContain('error: row 2 of `bad.jsonl` cannot be read: `bad.jsonl` line 2: invalid JSON: unexpected end of JSON input');
    // A JSON value problem has a column: the reader's, as `score` reports it.
    ws.write('deep.jsonl', `{"id": 1, "job": "CEO"}\n{"id": 2, "job": ${'['.repeat(300)}${']'.repeat(300)}}\n`);
    const deep = await ws.run(['explain', 'acme.rubric', 'deep.jsonl', '--row', '2']);
    expect(deep.code).toBe(2);
    expect(deep.stderr).toMatch(/error: row 2 of `deep\.jsonl` cannot be read: `deep\.jsonl` line 2, column \d+: /);

    ws.write('quote.csv', 'id,job\n1,"CEO\n');
    const csv = await ws.run(['explain', 'acme.rubric', 'quote.csv', '--row', '1']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/error: row 1 of `quote\.csv` cannot be read: `quote\.csv` line 2/);
  });
});

describe('rubric explain RULES DATA --row', () => {
  it('takes the Nth data row (the header is not a row) and says when there is none', async () => {
    const second = await explainJson(['explain', 'acme.rubric', 'leads.csv', '--row', '2']);
    const byId = await explainJson(['explain', 'acme.rubric', 'leads.csv', '--id', '2']);
    expect(second).toEqual(byId);
    expect(second.data).toEqual({ file: 'leads.csv', line: 3, row: 2, id: '2' });

    const past = await ws.run(['explain', 'acme.rubric', 'leads.csv', '--row', '5']);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('error: no row 5 in `leads.csv`: it has only 4 data rows');
    expect(past.stderr).toContain('help: --row counts data rows from 1 (the header line is not a row)');

    for (const bad of ['0', '-1', '1.5', 'x']) {
      const invalid = await ws.run(['explain', 'acme.rubric', 'leads.csv', '--row', bad]);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain(`invalid --row \`${bad}\``);
    }
  });

  it('a CSV row equals --lead with the same values as JSON (the row\'s cells are the JSON\'s values)', async () => {
    const fromRow = await explainJson(['explain', 'acme.rubric', 'leads.csv', '--row', '1', '--events', 'events.csv']);
    const lead = {
      id: '1',
      job: 'CEO',
      email: 'ana@acme.fr',
      phone: '+33 1 23 45 67 89',
      'company.size': 50,
      'company.industry': 'services',
      country: 'FR',
      tags: ['partner', 'vip'],
      student: 'no',
      budget_validated: 'yes',
      signup: '2026-02-20',
    };
    const fromLead = await explainJson(['explain', 'acme.rubric', '--lead', JSON.stringify(lead), '--events', 'events.csv']);
    expect(withoutData(fromRow)).toEqual(fromLead);
  });

  it('--lead JSON strings read as the same CSV cells do: `" 45 "`, `"+45"`, `"2026-02-20 03:00"`, `"yes"`, `"a; b"` (the issue\'s example)', async () => {
    ws.write('cells.csv', 'id,job,company.size,company.industry,signup,budget_validated,tags\n9," CEO "," 45 ",services,2026-02-20 03:00, yes ,partner; vip\n10,CEO,+45,services, 2026-02-20T03:00 ,1,partner|vip\n');
    const fromCsv = await explainJson(['explain', 'acme.rubric', 'cells.csv', '--row', '1'], /have no column in `cells\.csv`: always missing\n$/);
    expect(fromCsv.invalidValues).toEqual([]);
    expect(fromCsv.hits.map((hit) => hit.label)).toEqual(['Ideal company profile', 'Decision maker', 'Partner', 'Recent signup']);
    const strings = {
      id: '9',
      job: ' CEO ',
      'company.size': ' 45 ',
      'company.industry': 'services',
      signup: '2026-02-20 03:00',
      budget_validated: ' yes ',
      tags: 'partner; vip',
    };
    expect(await explainJson(['explain', 'acme.rubric', '--lead', JSON.stringify(strings)])).toEqual(withoutData(fromCsv));
    const second = await explainJson(['explain', 'acme.rubric', 'cells.csv', '--row', '2'], /always missing/);
    const typed = { id: '10', job: 'CEO', company: { size: 45, industry: 'services' }, signup: ' 2026-02-20T03:00 ', budget_validated: true, tags: ['partner', 'vip'] };
    const plus = { ...strings, id: '10', job: 'CEO', 'company.size': '+45', signup: ' 2026-02-20T03:00 ', budget_validated: '1', tags: 'partner|vip' };
    expect(await explainJson(['explain', 'acme.rubric', '--lead', JSON.stringify(plus)])).toEqual(withoutData(second));
    expect((await explainJson(['explain', 'acme.rubric', '--lead', JSON.stringify(typed)])).score).toBe(second.score);
  });

  it('uses a CSV row\'s own `events` column, and ignores it (with a warning) when --events is given', async () => {
    ws.write('own.csv', 'id,job,country,events\n1,CEO,FR,"[{""type"": ""download"", ""asset"": ""guide"", ""at"": ""2026-02-20""}]"\n');
    const own = await explainJson(['explain', 'acme.rubric', 'own.csv', '--row', '1'], /have no column in `own\.csv`: always missing\n$/);
    expect(own.hits.map((hit) => hit.label)).toContain('Read a guide');

    const joined = await ws.run(['explain', 'acme.rubric', 'own.csv', '--row', '1', '--events', 'events.csv', '--now', '2026-03-01']);
    expect(joined.code).toBe(0);
    expect(joined.stderr).toContain("warning: `own.csv` line 2: the lead's own `events` are ignored: events come from --events");
    expect(joined.stdout).toContain('Read a guide'); // lead 1's download in events.csv (process-guide)
    expect(joined.stdout).toContain('Saw pricing');
  });
});

describe('rubric explain: which lead', () => {
  it('--help says how DATA is read and how --row counts (golden)', async () => {
    const args = ['explain', '--help'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('explain-data-help', args, result, ws);
    expect(result.stdout).toContain('--row <n>');
    expect(result.stdout).toContain('the header is not a row');
  });

  it('a lead that is not there (golden)', async () => {
    const args = ['explain', 'acme.rubric', 'leads.csv', '--id', 'crm-4711'];
    const result = await ws.run(args);
    expect(result.code).toBe(2);
    expectGolden('explain-data-not-found', args, result, ws);
  });

  it('says what --id means when there is no data file', async () => {
    const result = await ws.run(['explain', 'acme.rubric', '--lead', '{"id": "1"}', '--id', 'id']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: `--id` picks a lead from a data file: rubric explain RULES DATA --id 4711; the id field is --id-field',
    );
  });

  it('refuses DATA with --lead, DATA without --id/--row, --id with --row, and no lead at all', async () => {
    const both = await ws.run(['explain', 'acme.rubric', 'leads.csv', '--lead', '{}', '--id', '1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give the lead either with --lead or from DATA with --id/--row, not both');

    const which = await ws.run(['explain', 'acme.rubric', 'leads.csv']);
    expect(which.code).toBe(2);
    expect(which.stderr).toContain('which lead of `leads.csv`? give --id ID');

    const idAndRow = await ws.run(['explain', 'acme.rubric', 'leads.csv', '--id', '1', '--row', '1']);
    expect(idAndRow.code).toBe(2);
    expect(idAndRow.stderr).toContain('give --id or --row, not both');

    const none = await ws.run(['explain', 'acme.rubric']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('which lead? give it with --lead');
  });

  it('--id-field picks the lead\'s rows of an events file with --lead too', async () => {
    const result = await explainJson(['explain', 'acme.rubric', '--lead', '{"ref": 3, "job": "VP Sales", "country": "BE"}', '--id-field', 'ref', '--events', 'events.csv']);
    expect(result.hits.map((hit) => hit.label)).toContain('Opens e-mails');
  });
});
