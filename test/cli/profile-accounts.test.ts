/**
 * Issue 17 follow-up: `rubric profile RULES CONTACTS --accounts ACCOUNTS` profiles a HubSpot-style
 * companies export (`;`, `Company ID`, French numbers `1 200 000,50`, `n/c` placeholders,
 * Windows-1252, or UTF-8 with a byte order mark; one record without a key, one repeating a key)
 * beside a UTF-8 contacts export, against a rule file written before any `data` block: the
 * account part reports the accounts' own findings, and the one suggested `data` block weighs both
 * files (the decimal comma is only in the companies, day-first dates only in the contacts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, semicolonCsv, TempDir } from './support.js';

/** The rule file as first written: no `data` block, and `annual_revenue` with no `from`. */
const RULES = `lead {
  email: text from "Email"
  job: text from "Job Title"
  company.id: text from "Associated Company ID"
  last_activity: date from "Last Activity Date"
}

account id = company.id {
  id: text from "Company ID"
  industry: text from "Industry"
  employees: number from "Number of Employees"
  annual_revenue: number
}

group fit max 50 {
  when job in [PDG, DAF, CTO] add 30 "Décideur"
  when account.employees >= 100 add 10 "Grand compte"
}
when email is set add 1
when last_activity >= 30 days ago add 10 "Actif (30 jours)"
stage mql at 30

score accounts {
  when industry in [logiciel, services] add 10 "Secteur cible"
  when employees between 50 and 5000 add 10 "Taille cible"
  when annual_revenue >= 1000000 add 10 "CA ≥ 1 M€"
  when count contacts where job in [PDG, DAF, CTO] >= 1 add 20 "Un décideur"
  stage target at 10
}
`;

const LEADS_ONLY = `lead {
  email: text
}
when email is set add 1
`;

const COMPANIES = semicolonCsv([
  ['Company ID', 'Company name', 'Industry', 'Number of Employees', 'Annual Revenue', 'Create Date', 'Won'],
  ['1001', "Société Générale d'Équipement", 'Logiciel', '1 200', '1 200 000,50', '12/01/2025', 'oui'],
  ['1002', 'Boulangerie Müller SARL', 'Agroalimentaire', 'n/c', 'n/c', '03/02/2025', 'non'],
  ['1003', 'Transports Fils', 'Transport', '45', '350 000', '15/03/2025', ''],
  ['1004', 'Café "Le Zinc"', 'Restauration', '8', '95 000,00', '01/04/2025', 'non'],
  ['1005', 'Acme; Inc.', 'Logiciel', 'n/c', '12 500 000', '20/05/2025', 'oui'],
  ['', 'Sans clé', 'Services', '12', '', '21/05/2025', 'non'],
  ['1001', 'Doublon', 'Services', '3', '', '22/05/2025', 'non'],
]);

/** UTF-8, no byte order mark, commas: a contacts export from another tool. */
const CONTACTS = [
  'Record ID,Email,Job Title,Associated Company ID,Last Activity Date',
  '1,amelie@sge.fr,PDG,1001,20/02/2026',
  '2,jerome@sge.fr,DAF,1001,25/02/2026',
  '3,zoe@gmail.com,Acheteuse,1002,n/c',
  '4,francois@fils.fr,Gérant,1003,13/02/2026',
].join('\n') + '\n';

const FILES = ['hub.rubric', 'contacts.csv', '--id', 'Record ID', '--accounts', 'companies.csv'];

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('hub.rubric', RULES);
  tmp.write('leads-only.rubric', LEADS_ONLY);
  tmp.write('contacts.csv', CONTACTS);
  // As French Excel saves it (Windows-1252), and as HubSpot does (UTF-8 with a byte order mark).
  writeFileSync(path.join(tmp.dir, 'companies.csv'), Buffer.from(COMPANIES, 'latin1'));
  writeFileSync(path.join(tmp.dir, 'companies-bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(COMPANIES, 'utf8')]));
});
afterAll(() => tmp.remove());

describe('rubric profile --accounts on a HubSpot companies export', () => {
  it('reports the accounts in a part of their own, and one data block for both files (text)', async () => {
    const result = await runRubric(['profile', ...FILES, '--accounts-encoding', 'windows-1252'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('rubric profile: 4 leads in `contacts.csv` (CSV, utf-8, comma-separated)');
    // The contacts part is what it was: the contacts' findings, no account field among them.
    const [contactsPart, accountsPart] = out.split('\nAccounts: ');
    expect(contactsPart).toContain('! 3 of 4 `last_activity` values are written day first');
    expect(contactsPart).not.toContain('employees');
    expect(contactsPart).toContain('every column of the data is read by a field');
    expect(accountsPart).toBeDefined();
    // Read as score reads it: Windows-1252, `;`, the keyless and the repeated record left out.
    expect(accountsPart).toMatch(/^5 accounts in `companies\.csv` \(CSV, windows-1252, semicolon-separated\), key column `Company ID`/);
    expect(accountsPart).toContain('warning: 2 records of `companies.csv` could not be read and are not profiled');
    expect(accountsPart).toContain('line 7: no account key in `Company ID`');
    expect(accountsPart).toContain('line 8: duplicate account key `1001` (first on line 2, which is the account)');
    expect(accountsPart).toMatch(/employees +number +← "Number of Employees" +2 +40\.0% +0 +3/);
    expect(accountsPart).toMatch(/annual_revenue +number +0 +0\.0% +5 +0 +no column/);
    // Its findings: the placeholder, the decimal comma, the field with no column and its column.
    expect(accountsPart).toContain('! 2 of 5 `employees` values are `n/c`, reported as invalid today; if that means no employees, add `missing: ["n/c"]` to a `data` block');
    expect(accountsPart).toContain('! 1 of 5 `employees` values are written like `1 200`');
    expect(accountsPart).toContain(
      '! `annual_revenue` has no column in the accounts file (it reads `annual_revenue`), so it is always missing; the column `Annual Revenue` looks like it: `annual_revenue: number from "Annual Revenue"`',
    );
    // Its columns: the key column is read; the ones nobody reads are named.
    expect(accountsPart).toContain('columns no field reads: `Company name`, `Annual Revenue`, `Create Date`, `Won`');
    expect(accountsPart).not.toContain('U+FFFD');
    // Last, one data block: `n/c` (both files), the decimal comma (companies), day first (contacts).
    expect(out).toContain('SUGGESTED data block');
    expect(out).toContain('data {\n  missing: ["n/c"]\n  numbers: decimal comma\n  dates: day first\n}\n');
    expect(out).toMatch(/SUGGESTED account field declarations \(in the `account` block[^\n]*\n\n {2}annual_revenue: number from "Annual Revenue"\n$/);
  });

  it('says the same in JSON: the accounts profile, its file, and the data block of both', async () => {
    const result = await runRubric(['profile', ...FILES, '--accounts-encoding', 'windows-1252', '--format', 'json'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      rows: number;
      fields: { name: string }[];
      suggestions: { block: string; numbers?: string; dates?: string; missing: string[] };
      files: { accounts: { path: string; encoding: string; delimiter: string; rejected: number } };
      accounts: {
        rows: number;
        keyColumn: string;
        fields: { name: string; invalid: number; hasColumn: boolean }[];
        unusedColumns: string[];
        missingColumns: string[];
        findings: { field: string; kind: string }[];
        suggestions: { block: string; from: { field: string; column: string }[]; declarations: string[] };
      };
    };
    expect(json.rows).toBe(4);
    expect(json.fields.map((field) => field.name)).toEqual(['email', 'job', 'company.id', 'last_activity']);
    expect(json.suggestions).toMatchObject({ missing: ['n/c'], numbers: 'decimal-comma', dates: 'day-first' });
    expect(json.files.accounts).toMatchObject({ path: 'companies.csv', encoding: 'windows-1252', delimiter: ';', rejected: 2 });
    const accounts = json.accounts;
    expect(accounts.rows).toBe(5);
    expect(accounts.keyColumn).toBe('Company ID');
    // The declared account fields only: never the `contacts#N` aggregates nor the contacts' events.
    expect(accounts.fields.map((field) => [field.name, field.invalid, field.hasColumn])).toEqual([
      ['id', 0, true],
      ['industry', 0, true],
      ['employees', 3, true],
      ['annual_revenue', 0, false],
    ]);
    expect(accounts.unusedColumns).toEqual(['Company name', 'Annual Revenue', 'Create Date', 'Won']);
    expect(accounts.missingColumns).toEqual(['annual_revenue']);
    expect(accounts.findings.map((finding) => `${finding.field}:${finding.kind}`)).toEqual([
      'employees:placeholder',
      'employees:number-format',
      'annual_revenue:no-column',
    ]);
    expect(accounts.suggestions.from).toEqual([{ field: 'annual_revenue', column: 'Annual Revenue', line: 'annual_revenue: number from "Annual Revenue"' }]);
    expect(accounts.suggestions.declarations).toEqual(['annual_revenue: number from "Annual Revenue"']);
    // One `data` block for the rule file, whichever part it is read from.
    expect(accounts.suggestions.block).toBe(json.suggestions.block);
  });

  it('pasting the suggestions gives a rule file under which both files read cleanly, and score agrees', async () => {
    const first = JSON.parse((await runRubric(['profile', ...FILES, '--accounts-encoding', 'windows-1252', '--format', 'json'], tmp.dir)).stdout) as {
      suggestions: { block: string };
      accounts: { suggestions: { declarations: string[] } };
    };
    const fixed = `${first.suggestions.block}\n\n${RULES.replace('  annual_revenue: number\n', `  ${first.accounts.suggestions.declarations.join('\n  ')}\n`)}`;
    tmp.write('fixed.rubric', fixed);
    const again = await runRubric(['profile', 'fixed.rubric', ...FILES.slice(1), '--accounts-encoding', 'windows-1252', '--format', 'json'], tmp.dir);
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout) as {
      fields: { name: string; invalid: number }[];
      suggestions: { block: string; declarations: string[] };
      accounts: { fields: { name: string; invalid: number; filled: number; hasColumn: boolean }[]; unusedColumns: string[]; suggestions: { block: string; declarations: string[] } };
    };
    expect(json.fields.filter((field) => field.invalid > 0)).toEqual([]);
    expect(json.accounts.fields.map((field) => [field.name, field.filled, field.invalid, field.hasColumn])).toEqual([
      ['id', 5, 0, true],
      ['industry', 5, 0, true],
      ['employees', 3, 0, true],
      ['annual_revenue', 4, 0, true],
    ]);
    expect(json.accounts.unusedColumns).toEqual(['Company name', 'Create Date', 'Won']);
    expect([json.suggestions.block, json.accounts.suggestions.block, json.accounts.suggestions.declarations]).toEqual(['', '', []]);
    // `rubric score --accounts` reads the files the same way: no value reported.
    const score = await runRubric(['score', 'fixed.rubric', 'contacts.csv', '--id', 'Record ID', '--accounts', 'companies.csv', '--accounts-encoding', 'windows-1252', '--now', '2026-03-01T00:00:00Z', '--out', 'c.csv', '--accounts-out', 'a.csv'], tmp.dir);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stderr).not.toMatch(/expected (a )?number|not a number/);
    expect(tmp.read('a.csv')).toContain('1001;50;target;;2');
  });

  it('profiles the contacts alone as before: their data block does not know the decimal comma', async () => {
    const result = await runRubric(['profile', 'hub.rubric', 'contacts.csv', '--id', 'Record ID', '--format', 'json'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { suggestions: { block: string }; accounts?: unknown };
    expect(json.accounts).toBeUndefined();
    expect(json.suggestions.block).toBe('data {\n  missing: ["n/c"]\n  dates: day first\n}');
  });

  it('reads a byte order mark over --encoding, and names --accounts-encoding when the bytes are not UTF-8', async () => {
    const bom = await runRubric(['profile', 'hub.rubric', 'contacts.csv', '--id', 'Record ID', '--accounts', 'companies-bom.csv'], tmp.dir);
    expect(bom.code, bom.stderr).toBe(0);
    expect(bom.stdout).toContain('Accounts: 5 accounts in `companies-bom.csv` (CSV, utf-8 with a byte order mark, semicolon-separated)');
    expect(bom.stdout).toContain('data {\n  missing: ["n/c"]\n  numbers: decimal comma\n  dates: day first\n}\n');
    const wrong = await runRubric(['profile', ...FILES], tmp.dir);
    expect(wrong.code, wrong.stderr).toBe(0);
    expect(wrong.stdout).toContain('--accounts-encoding windows-1252');
  });

  it('renders the accounts part in HTML, escaped', async () => {
    const result = await runRubric(['profile', ...FILES, '--accounts-encoding', 'windows-1252', '--format', 'html'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    const html = result.stdout;
    expect(html).toContain('<h2>Accounts: 5 accounts</h2>');
    expect(html).toContain('<h3>Account fields</h3>');
    expect(html).toContain('<h2>Account findings</h2>');
    expect(html).toContain('<p>Columns no field reads: <code>Company name</code>, <code>Annual Revenue</code>, <code>Create Date</code>, <code>Won</code></p>');
    expect(html).toContain('<pre>data {\n  missing: [&quot;n/c&quot;]\n  numbers: decimal comma\n  dates: day first\n}</pre>');
    expect(html).toContain('<p>In the <code>account</code> block, in place of these fields’ lines:</p>');
    expect(html).not.toContain('<script');
  });

  it('refuses --accounts for a rule file without an account block (a usage error)', async () => {
    const result = await runRubric(['profile', 'leads-only.rubric', 'contacts.csv', '--accounts', 'companies.csv'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('`leads-only.rubric` has no `account` block, so --accounts has nothing to profile');
    expect(result.stderr).toContain('docs/language.md "Accounts"');
  });

  it('reads JSON Lines accounts (--accounts-format) as score does: keys collected, a keyless record left out', async () => {
    tmp.write(
      'companies.data',
      [
        { 'Company ID': 'A1', Industry: 'logiciel', 'Number of Employees': '1 200', annual_revenue: 'n/c', Owner: 'Ana' },
        { 'Company ID': 'A2', Industry: 'services', 'Number of Employees': 40, annual_revenue: 2500000 },
        { Industry: 'services', 'Number of Employees': 3 },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n') + '\n',
    );
    const result = await runRubric(['profile', 'hub.rubric', 'contacts.csv', '--id', 'Record ID', '--accounts', 'companies.data', '--accounts-format', 'jsonl', '--format', 'json'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      files: { accounts: { format: string; rejected: number; rejectedExamples: { line: number; message: string }[] } };
      accounts: { rows: number; fields: { name: string; filled: number; invalid: number; hasColumn: boolean }[]; unusedColumns: string[] };
    };
    expect(json.files.accounts).toMatchObject({ format: 'jsonl', rejected: 1, rejectedExamples: [{ line: 3, message: 'no account key in `Company ID`' }] });
    expect(json.accounts.rows).toBe(2);
    expect(json.accounts.fields.map((field) => [field.name, field.filled, field.invalid, field.hasColumn])).toEqual([
      ['id', 2, 0, true],
      ['industry', 2, 0, true],
      ['employees', 1, 1, true],
      ['annual_revenue', 1, 1, true],
    ]);
    expect(json.accounts.unusedColumns).toEqual(['Owner']);
  });

  it('refuses the accounts from stdin beside stdin data', async () => {
    const result = await runRubric(['profile', 'hub.rubric', '-', '--input-format', 'csv', '--accounts', '-', '--accounts-format', 'csv'], tmp.dir, { input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the accounts and the other data cannot both come from stdin');
  });

  it('refuses an accounts file whose format it cannot tell, and --out naming it', async () => {
    tmp.write('companies.dat', 'x');
    const format = await runRubric(['profile', 'hub.rubric', 'contacts.csv', '--accounts', 'companies.dat'], tmp.dir);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('cannot tell the format of the accounts file `companies.dat`');
    const out = await runRubric(['profile', ...FILES, '--out', 'companies.csv'], tmp.dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('is the accounts file: the profile would replace it');
  });
});
