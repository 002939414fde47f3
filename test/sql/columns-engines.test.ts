/**
 * Issue 14, column names, both engines: fields and event properties declared with
 * `from "COLUMN"` are read from that CSV column / JSON key by `--engine duckdb` exactly as by the
 * JavaScript engine (leads CSV and JSON Lines, an events file in CSV and JSON Lines, a lead's own
 * events): the same output, the same problems at the same columns, the same warnings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../packages/cli/test/support/cli.js';

const duckdbLoads = await import('@duckdb/node-api').then(
  () => true,
  () => false,
);

const RULES = `lead {
  id: text
  job: text from "Job Title"
  email: text from "Email Address"
  company.size: number from "Company size"
  tags: list of text from "Tags (CRM)"
  country: text
}
event page_view { url: text from "Page URL" }
event download { url: text }

group fit {
  when job in [CEO, "Directeur Général"] add 10 "Decision maker"
  when company.size >= 50 add 5 "Size"
  when email ends "@acme.fr" add 1 "Acme address"
  when tags has vip add 3 "VIP"
}
group engagement {
  when any page_view where url starts "/pricing" add 20 "Saw pricing"
  when any download where url contains "guide" add 7 "Read a guide"
}
stage mql at 20 requires id
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('crm.rubric', RULES);
});
afterEach(() => ws.remove());

/** Both engines: the same exit code, stdout, --errors file and warnings; returns the JavaScript run's stdout and stderr. */
async function sameOnBoth(data: string, extra: readonly string[] = []): Promise<{ stdout: string; stderr: string }> {
  const runs = [];
  for (const engine of ['js', 'duckdb'] as const) {
    const result = await ws.run(['score', 'crm.rubric', data, '--now', '2026-03-01', '--engine', engine, '--errors', `errors-${engine}.jsonl`, ...extra]);
    runs.push({ ...result, errors: ws.read(`errors-${engine}.jsonl`), warnings: result.stderr.split('\n').filter((line) => line.startsWith('warning: column') || line.startsWith('warning: lead field')) });
  }
  const [js, duck] = runs;
  expect(duck.code, duck.stderr).toBe(js.code);
  expect(duck.stdout).toBe(js.stdout);
  expect(duck.errors).toBe(js.errors);
  expect(duck.warnings).toEqual(js.warnings);
  return js;
}

describe.skipIf(!duckdbLoads)('both engines read fields and properties from their `from` columns (issue 14)', () => {
  it('a CSV export with CRM column names and an events file (CSV)', async () => {
    ws.write('crm.csv', 'id,Job Title,Email Address,Company size,Tags (CRM),country,job\n1,CEO,ana@acme.fr,120,vip;x,FR,Intern\n2,Intern,bob@x.io,abc,,FR,CEO\n3,Directeur Général,c@acme.fr,+7,x|vip,BE,\n');
    ws.write('events.csv', 'lead_id,type,at,Page URL,url\n1,page_view,2026-02-20,/pricing/a,/blog\n1,download,2026-02-21,/x,/guide.pdf\n2,page_view,2026-02-20,/blog,/pricing\n3,download,2026-02-21,/guide,/y\n');
    const js = await sameOnBoth('crm.csv', ['--events', 'events.csv']);
    expect(js.stdout).toBe(
      'id,Job Title,Email Address,Company size,Tags (CRM),country,job,score,stage,tier,fit,engagement\n' +
        '1,CEO,ana@acme.fr,120,vip;x,FR,Intern,46,mql,,19,27\n' +
        '2,Intern,bob@x.io,abc,,FR,CEO,0,,,0,0\n' +
        '3,Directeur Général,c@acme.fr,+7,x|vip,BE,,14,,,14,0\n',
    );
    expect(js.stderr).toContain('column 4 `company.size`: expected number, got "abc"');
  });

  it('an events file in JSON Lines, and a missing mapped column named in the warning', async () => {
    ws.write('crm.csv', 'id,Job Title,Company size\n1,CEO,120\n2,CTO,10\n');
    ws.write('events.jsonl', '{"lead_id":"1","type":"page_view","at":"2026-02-20","Page URL":"/pricing","url":"/no"}\n{"lead_id":"2","type":"download","at":"2026-02-20","url":"/guide"}\n');
    const js = await sameOnBoth('crm.csv', ['--events', 'events.jsonl']);
    expect(js.stdout).toBe('id,Job Title,Company size,score,stage,tier,fit,engagement\n1,CEO,120,35,mql,,15,20\n2,CTO,10,7,,,0,7\n');
    expect(js.stderr).toContain('lead fields `email` (column `Email Address`), `tags` (column `Tags (CRM)`), `country` of `crm.rubric` have no column in `crm.csv`: always missing');
  });

  it('JSON Lines leads with their own events: keys are the columns', async () => {
    ws.write(
      'crm.jsonl',
      '{"id":"1","Job Title":"CEO","Company size":120,"Tags (CRM)":["vip"],"events":[{"type":"page_view","at":"2026-02-20","Page URL":"/pricing"},{"type":"download","at":"2026-02-20","url":"/guide"}]}\n{"id":"2","job":"CEO","company":{"size":500},"Email Address":"a@acme.fr","Company size":"12"}\n',
    );
    const js = await sameOnBoth('crm.jsonl');
    expect(js.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line).score)).toEqual([45, 1]);
  });

  it('a CSV leads file with an `events` column of JSON events', async () => {
    ws.write('own.csv', 'id,Job Title,events\n1,CEO,"[{""type"":""page_view"",""at"":""2026-02-20"",""Page URL"":""/pricing""}]"\n2,CEO,"[{""type"":""page_view"",""at"":""2026-02-20"",""url"":""/pricing""}]"\n');
    const js = await sameOnBoth('own.csv');
    expect(js.stdout).toBe('id,Job Title,events,score,stage,tier,fit,engagement\n1,CEO,"[{""type"":""page_view"",""at"":""2026-02-20"",""Page URL"":""/pricing""}]",30,mql,,10,20\n2,CEO,"[{""type"":""page_view"",""at"":""2026-02-20"",""url"":""/pricing""}]",10,,,10,0\n');
  });
});
