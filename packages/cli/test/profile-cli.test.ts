import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';

/** A French CRM's rules as first written: no `data` block, no `from`, no `missing`. */
const RULES = `lead {
  job: text
  phone: text
  company.size: number
  newsletter: bool
  created_at: date
  sector: one of [services, industrie, commerce]
}

event page_view { url: text }

when job in [PDG, "Directeur Général"] add 15 "Décideur"
when phone is set add 5 "Téléphone connu"
when company.size between 10 and 500 add 10 "PME"
when newsletter add 5 "Newsletter"
when created_at >= 90 days ago add 5 "Récent"
when sector = services add 10 "Secteur cible"
when any page_view where url starts "/tarifs" add 20 "Page tarifs"
stage mql at 40 requires phone
`;

/** The export: `;`, French values, placeholders, a column no field reads, a field with no column. */
const EXPORT = [
  'id;job;phone;company.size;newsletter;created_at;Origine',
  '1;PDG;N/A;1 200;oui;20/02/2026;Webinar',
  '2;Directeur Général;01 23 45 67 89;45;non;01/02/2026;Salon',
  '3;N/A;N/A;8,5;oui;15/01/2026;Webinar',
  '4;Gérant;0000000000;inconnu;n;2026-01-10;',
  '5;-;06 11 22 33 44;12;yes;31/12/2025;Salon',
].join('\r\n');

/** The same text as Windows-1252 bytes (what French Excel saves). */
function windows1252(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const code = ch.codePointAt(0) as number;
    if (code < 0x100) return code;
    throw new Error(`not in the test's Latin-1 subset: ${ch}`);
  }));
}

const EVENTS = ['lead_id,type,at,url', '1,page_view,2026-02-01T10:00:00Z,/tarifs', '1,page_view,20/02/2026 10:00,(not set)', '3,email_open,2026-02-02T10:00:00Z,'].join('\n');

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('crm.rubric', RULES);
  writeFileSync(ws.path('export.csv'), windows1252(EXPORT));
  ws.write('events.csv', EVENTS);
});
afterEach(() => ws.remove());

describe('rubric profile', () => {
  it('points at every problem of a French export before any declaration, and ends with a data block to paste', async () => {
    const args = ['profile', 'crm.rubric', 'export.csv', '--encoding', 'windows-1252', '--events', 'events.csv'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('profile-text', args, result, ws);
    const out = result.stdout;
    expect(out).toContain('2 of 5 `phone` values are `N/A`, read as a real value today; if that means no phone, add `missing: ["N/A"]` to a `data` block');
    expect(out).toContain('add `numbers: decimal comma`');
    expect(out).toContain('add `dates: day first`');
    expect(out).toContain('add `true: ["oui"]` and `false: ["non", "n"]`');
    expect(out).toContain('no field reads: `Origine`');
    expect(out.trimEnd().split('\n').slice(-3).join('\n')).toContain('phone: text missing ["0000000000"]');
    expect(out).toMatch(/data \{\n {2}missing: \["N\/A", "-", "inconnu", "\(not set\)"\]\n {2}numbers: decimal comma\n {2}dates: day first\n {2}true: \["oui"\]\n {2}false: \["non", "n"\]\n\}/);
  });

  it('says when the file is not UTF-8 and suggests --encoding windows-1252', async () => {
    const args = ['profile', 'crm.rubric', 'export.csv'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('profile-not-utf8', args, result, ws);
    expect(result.stdout).toContain('try --encoding windows-1252');
    expect(result.stdout.match(/--encoding windows-1252/g)).toHaveLength(1);
  });

  it('says "1 record ... is not profiled" for one unreadable record (text and HTML)', async () => {
    ws.write('one-bad.csv', 'id;job\n1;PDG\n2;"Gérant\n');
    for (const format of ['text', 'html']) {
      const result = await ws.run(['profile', 'crm.rubric', 'one-bad.csv', '--format', format]);
      expect(result.code).toBe(0);
      const out = result.stdout.replace(/<[^>]+>/g, '');
      expect(out).toMatch(/1 record of `?one-bad\.csv`? could not be read and is not profiled/);
      expect(out).not.toContain('record(s)');
    }
  });

  it('--format json has the documented shape and the exact values', async () => {
    const args = ['profile', 'crm.rubric', 'export.csv', '--encoding', 'windows-1252', '--format', 'json'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('profile-json', args, result, ws);
    const json = JSON.parse(result.stdout) as {
      rows: number;
      fields: { name: string; type: string; filled: number; missing: number; invalid: number; placeholders: { value: string; count: number }[]; examples: string[] }[];
      unusedColumns: string[];
      missingColumns: string[];
      suggestions: { block: string };
      files: { data: { encoding: string; delimiter: string; rejected: number } };
    };
    expect(json.rows).toBe(5);
    expect(json.unusedColumns).toEqual(['Origine']);
    expect(json.missingColumns).toEqual(['sector']);
    const phone = json.fields.find((field) => field.name === 'phone');
    expect(phone).toMatchObject({ type: 'text', filled: 5, missing: 0, invalid: 0, placeholders: [{ value: 'N/A', count: 2 }, { value: '0000000000', count: 1 }] });
    const size = json.fields.find((field) => field.name === 'company.size');
    expect(size).toMatchObject({ type: 'number', filled: 2, invalid: 3, examples: ['1 200', '8,5', 'inconnu'] });
    expect(json.suggestions.block).toContain('numbers: decimal comma');
    expect(json.files.data).toMatchObject({ encoding: 'windows-1252', delimiter: ';', rejected: 0 });
  });

  it('--format html is one page with every data text escaped', async () => {
    ws.write('hostile.csv', 'job,phone,company.size,<b>x</b>\nCEO,N/A,<script>alert(1)</script>,1\nCTO,N/A,12,2\n');
    const result = await ws.run(['profile', 'crm.rubric', 'hostile.csv', '--format', 'html', '--out', 'profile.html']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const html = ws.read('profile.html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain("Content-Security-Policy");
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).toContain('<code>&lt;b&gt;x&lt;/b&gt;</code>');
    expect(html).toContain('<pre>data {\n  missing: [&quot;N/A&quot;]\n}</pre>');
  });

  it('says "nothing to declare" once the suggestions are pasted', async () => {
    const first = await ws.run(['profile', 'crm.rubric', 'export.csv', '--encoding', 'windows-1252', '--format', 'json']);
    const { suggestions } = JSON.parse(first.stdout) as { suggestions: { block: string; declarations: string[] } };
    let rules = RULES;
    for (const line of suggestions.declarations) rules = rules.replace(new RegExp(`^  ${line.split(':')[0].replace('.', '\\.')}: .*$`, 'm'), `  ${line}`);
    ws.write('declared.rubric', `${rules}\n${suggestions.block}\n`);
    const result = await ws.run(['profile', 'declared.rubric', 'export.csv', '--encoding', 'windows-1252']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/reported, and read as missing|read as a real value today/);
    expect(result.stdout).toContain('are declared placeholders, read as missing');
  });

  it('profiles the events of an `events` column, and says which cells could not be read', async () => {
    const events = JSON.stringify([{ type: 'page_view', at: '2026-02-01', url: 'N/A' }]).replace(/"/g, '""');
    ws.write('with-events.csv', `job,events\nCEO,"${events}"\nCTO,[not json\n`);
    const result = await ws.run(['profile', 'crm.rubric', 'with-events.csv', '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      rows: number;
      fields: { name: string; filled: number; placeholders: { value: string }[] }[];
      events: { rows: number };
      files: { data: { notices: string[] } };
    };
    expect(json.rows).toBe(2);
    expect(json.events.rows).toBe(1);
    expect(json.fields.find((field) => field.name === 'page_view.url')?.placeholders.map((p) => p.value)).toEqual(['N/A']);
    expect(json.files.data.notices).toEqual(['line 3: `events`: expected a JSON array of events; treated as missing']);
  });

  it('reads JSON Lines leads as score does: nested objects, `from` keys, their own events', async () => {
    ws.write('from.rubric', 'lead {\n  size: number from "Company Size"\n  company.name: text\n}\nwhen size > 1 add 1\nwhen company.name = "x" add 1\n');
    ws.write('leads.jsonl', ['{"id": 1, "Company Size": "1 200", "company": {"name": "N/A"}, "extra": 1}', '{"id": 2, "Company Size": 12}'].join('\n'));
    const result = await ws.run(['profile', 'from.rubric', 'leads.jsonl', '--format', 'json']);
    const json = JSON.parse(result.stdout) as { fields: { name: string; filled: number; invalid: number; column: string }[]; unusedColumns: string[] };
    expect(json.fields.map((field) => [field.name, field.column, field.filled, field.invalid])).toEqual([
      ['size', 'Company Size', 1, 1],
      ['company.name', 'company.name', 1, 0],
    ]);
    expect(json.unusedColumns).toEqual(['extra']);
  });

  it('asks for the columns first when no field found one, naming every column of the data', async () => {
    ws.write('crm-names.csv', 'Fonction;Effectif;Pays;Date de création;Abonné;Origine;Société;Nom;Prénom\nPDG;1 200;FR;20/02/2026;oui;Salon;Acme;Roux;Léa\n');
    const result = await ws.run(['profile', 'crm.rubric', 'crm-names.csv']);
    expect(result.stdout).toContain('columns no field reads: `Fonction`, `Effectif`, `Pays`, `Date de création`, `Abonné`, `Origine`, `Société`, `Nom`, `Prénom`\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'No field found its column in the data: say which column each one reads (`job: text from "Job Title"`), then profile again to see how the values are written.',
    );
  });

  it('refuses an --out that is one of its inputs, and leaves the file as it was', async () => {
    ws.write('keep.csv', 'job\nCEO\n');
    const result = await ws.run(['profile', 'crm.rubric', 'keep.csv', '--out', './keep.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`--out keep.csv` is the data file: the profile would replace it');
    expect(ws.read('keep.csv')).toBe('job\nCEO\n');
  });

  it('says there is nothing to profile in an empty file, or one with only a header', async () => {
    ws.write('empty.csv', '');
    ws.write('header-only.csv', 'job,company.size\n');
    for (const file of ['empty.csv', 'header-only.csv']) {
      const result = await ws.run(['profile', 'crm.rubric', file]);
      expect(result.stdout).not.toContain('Nothing to declare');
      expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('No lead was read, so there is nothing to profile: check the file (and the warnings above).');
    }
    expect((await ws.run(['profile', 'crm.rubric', 'empty.csv'])).stdout).toContain('the data has no columns');
  });

  it('does not pick a date order for ambiguous dates: it asks', async () => {
    ws.write('ambiguous.csv', 'created_at\n01/02/2026\n03/04/2026\n');
    const result = await ws.run(['profile', 'crm.rubric', 'ambiguous.csv']);
    expect(result.stdout).toContain('Rubric never guesses; add `dates: day first` or `dates: month first`');
    expect(result.stdout).not.toContain('SUGGESTED data block');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Nothing more to declare for sure: settle the points under "To decide" first.');
  });

  it('refuses a rule file with errors (exit 1) and an unknown format (exit 2)', async () => {
    ws.write('broken.rubric', 'lead { job: txt }\n');
    const broken = await ws.run(['profile', 'broken.rubric', 'export.csv']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('not profiling');
    const format = await ws.run(['profile', 'crm.rubric', 'export.data']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('cannot tell the format');
  });
});
