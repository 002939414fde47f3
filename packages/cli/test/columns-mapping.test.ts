/**
 * Issue 14, column names: a field declared `job: text from "Job Title"` is read from the CSV
 * column (JSON key) `Job Title`, and so is an event property with `from`. The column warnings
 * name the mapped columns; values of the wrong type are reported at their column; the computed
 * output columns are unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '@rubric/core';
import { columnRoles, EventRowReader, inputColumnNotices, LeadRowReader, leadFromRow, schemaOf, unknownKeys } from '../src/input/leads.js';
import { Workspace } from './support/cli.js';

const RULES = `lead {
  id: text
  job: text from "Job Title"
  email: text from "Email Address"
  company.size: number from "Company size"
  company.industry: text
  country: text
}
event page_view { url: text from "Page URL" }
event download { url: text }

group fit {
  when job in [CEO, "Directeur Général"] add 10 "Decision maker"
  when company.size >= 50 add 5 "Size"
  when email ends "@acme.fr" add 1 "Acme address"
  when company.industry = services add 2 "Services"
}
group engagement {
  when any page_view where url starts "/pricing" add 20 "Saw pricing"
  when any download where url contains "guide" add 7 "Read a guide"
}
stage mql at 20 requires id
`;

const model = () => {
  const compiled = compile(RULES);
  if (compiled.scorer === null) throw new Error(JSON.stringify(compiled.diagnostics));
  return compiled.scorer.model;
};

describe('the schema reads each field from its column', () => {
  it('columnRoles: a mapped column is its field\'s; a column named like a mapped field is not', () => {
    const schema = schemaOf(model());
    const columns = ['id', 'Job Title', 'job', 'Company size', 'company.size', 'events', 'Notes'];
    expect(columnRoles(columns, schema)).toEqual([
      { kind: 'field', field: 'id', type: { kind: 'text' }, digits: false },
      { kind: 'field', field: 'job', type: { kind: 'text' }, digits: false },
      { kind: 'other' },
      { kind: 'field', field: 'company.size', type: { kind: 'number' }, digits: true },
      { kind: 'other' },
      { kind: 'events' },
      { kind: 'other' },
    ]);
  });

  it('a CSV row\'s lead is keyed by column (the scorer reads the column), by both lead readers', () => {
    const schema = schemaOf(model());
    const columns = ['id', 'Job Title', 'job', 'Company size'];
    const roles = columnRoles(columns, schema);
    const fields = ['7', 'CEO', 'Intern', '120'];
    const built = leadFromRow(columns, roles, fields).lead;
    expect(Object.keys(built)).toEqual(['id', 'Job Title', 'Company size']);
    expect(built['Job Title']).toBe('CEO');
    expect(built['Company size']).toBe(120);
    const planned = LeadRowReader.plan(columns, roles)?.read(fields);
    expect(planned?.['Job Title']).toBe('CEO');
    expect(planned && 'job' in planned).toBe(false);
  });

  it('the column warnings use the mapped names', () => {
    const schema = schemaOf(model());
    const notices = inputColumnNotices(['id', 'Job Title', 'job', 'company.size', 'score'], schema, ['score', 'stage', 'tier', 'fit', 'engagement'], 'id', { input: 'crm.csv', rules: 'r.rubric' });
    expect(notices).toEqual([
      'input column `score` is replaced by the computed value',
      'columns `job`, `company.size`, `score` of `crm.csv` are not lead fields in `r.rubric`: kept in the output, not scored',
      'lead fields `email` (column `Email Address`), `company.size` (column `Company size`), `company.industry`, `country` of `r.rubric` have no column in `crm.csv`: always missing',
    ]);
  });

  it('JSON keys: the mapped columns are known; a nested object under a mapped field\'s name is not', () => {
    const schema = schemaOf(model());
    const lead = { id: '1', 'Job Title': 'CEO', 'Company size': 5, company: { size: 3, industry: 'services' }, job: 'x', events: [] };
    expect(unknownKeys(lead, schema, new Set(['id']))).toEqual(['company.size', 'job']);
  });

  it('an events file row: a property with `from` is read from (and keyed by) its column', () => {
    const schema = schemaOf(model());
    const reader = new EventRowReader(['lead_id', 'type', 'at', 'Page URL', 'url'], schema, new Set([0]));
    expect(reader.read(['1', 'page_view', '2026-02-01', '/pricing', '/other'])).toEqual({ type: 'page_view', at: '2026-02-01', 'Page URL': '/pricing', url: '/other' });
    expect(schema.eventColumns.get('page_view')?.get('url')).toBe('Page URL');
    expect(schema.eventColumns.get('download')?.get('url')).toBe('url');
  });
});

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('crm.rubric', RULES);
});
afterEach(() => ws.remove());

describe('rubric score with CRM column names', () => {
  it('scores a CSV export whose header is the CRM\'s, with its events file', async () => {
    ws.write('crm.csv', 'id,Job Title,Email Address,Company size,company.industry,country,job\n1,CEO,ana@acme.fr,120,services,FR,Intern\n2,Intern,bob@x.io,abc,retail,FR,CEO\n');
    ws.write('events.csv', 'lead_id,type,at,Page URL,url\n1,page_view,2026-02-20,/pricing/a,/blog\n1,download,2026-02-21,/x,/guide.pdf\n2,page_view,2026-02-20,/blog,/pricing\n');
    const result = await ws.run(['score', 'crm.rubric', 'crm.csv', '--events', 'events.csv', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'id,Job Title,Email Address,Company size,company.industry,country,job,score,stage,tier,fit,engagement\n' +
        '1,CEO,ana@acme.fr,120,services,FR,Intern,45,mql,,18,27\n' +
        '2,Intern,bob@x.io,abc,retail,FR,CEO,0,,,0,0\n',
    );
    expect(result.stderr).toContain('warning: column `job` of `crm.csv` is not a lead field in `crm.rubric`: kept in the output, not scored');
    // The wrong value is reported at its column (4, `Company size`), named by its field.
    expect(result.stderr).toContain('crm.csv:3 (lead 2): column 4 `company.size`: expected number, got "abc"; treated as missing');
    expect(result.stderr).not.toContain('have no column');
  });

  it('JSON Lines: keys are the columns; a lead\'s own events read their property columns', async () => {
    ws.write(
      'crm.jsonl',
      '{"id":"1","Job Title":"CEO","Company size":120,"events":[{"type":"page_view","at":"2026-02-20","Page URL":"/pricing"}]}\n{"id":"2","job":"CEO","Email Address":"a@acme.fr"}\n',
    );
    const result = await ws.run(['score', 'crm.rubric', 'crm.jsonl', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').map((line) => (line === '' ? line : JSON.parse(line).score))).toEqual([35, 1, '']);
    expect(result.stderr).toContain('key `job` is not a lead field');
  });
});
