/**
 * Issue 17, reviewed as a new user: account scoring on a HubSpot-style export made outside this
 * repository's examples — `companies.csv` (UTF-8 with a byte order mark, `;`, CRLF, `Company ID`,
 * French numbers `1 200 000,50`, `n/c` placeholders, a name holding `;` and quotes) and
 * `contacts.csv` (Windows-1252, `Associated Company ID`, accented job titles, a contact without a
 * company id, one naming an unknown company, a duplicate contact row). Both engines, `explain
 * --account`, `diff --leads --accounts` and `backtest --accounts` with a `Won` (oui/non) column.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, semicolonCsv, TempDir } from './support.js';

const RULES = `# ABM scoring for a HubSpot export (companies + contacts)
data {
  missing: ["n/c"]
  numbers: decimal comma
  dates: day first
}

lead {
  email: text from "Email"
  job: text from "Job Title"
  company.id: text from "Associated Company ID"
  last_activity: date from "Last Activity Date"
}

account id = company.id {
  id: text from "Company ID"
  industry: text from "Industry"
  employees: number from "Number of Employees"
  revenue: number from "Annual Revenue"
}

let decision_makers = ["Directrice Générale", "Directeur Général", PDG, DAF, "Directeur Administratif et Financier", CTO, CEO]

group fit max 50 {
  when job in decision_makers add 30 "Décideur"
  when account.employees >= 100 add 10 "Grand compte"
}
when email ends any ["@gmail.com", "@yahoo.fr"] sub 10 "Adresse perso"
when last_activity >= 30 days ago add 10 "Actif (30 jours)"
stage mql at 30

score accounts {
  when industry in [logiciel, services] add 10 "Secteur cible"
  when employees between 50 and 5000 add 10 "Taille cible"
  when revenue >= 1000000 add 10 "CA ≥ 1 M€"
  when count contacts where job in decision_makers >= 1 add 20 "Un décideur"
  when count contacts where stage >= mql >= 2 add 20 "Deux MQL"
  when best score of contacts >= 40 add 10
  stage target at 10
  stage engaged at 30
  stage buying at 60
}

test "Société Générale d'Équipement" {
  now 2026-03-01
  account { id: "1001", industry: logiciel, employees: 1200, revenue: 1200000.5 }
  contact { job: "Directrice Générale", email: "amelie@sge.fr", last_activity: 2026-02-20 }
  contact { job: DAF, last_activity: 2026-02-25 }
  expect account score 80
  expect account stage buying
}
`;

const COMPANIES = semicolonCsv([
  ['Company ID', 'Company name', 'Industry', 'Number of Employees', 'Annual Revenue', 'Create Date', 'Won'],
  ['1001', "Société Générale d'Équipement", 'Logiciel', '1 200', '1 200 000,50', '12/01/2025', 'oui'],
  ['1002', 'Boulangerie Müller SARL', 'Agroalimentaire', 'n/c', 'n/c', '03/02/2025', 'non'],
  ['1003', 'Transports Ørsted & Fils', 'Transport', '45', '350 000', '15/03/2025', ''],
  ['1004', 'Café "Le Zinc"', 'Restauration', '8', '95 000,00', '01/04/2025', 'non'],
  ['1005', 'Acme; Inc.', 'Logiciel', '250', '12 500 000', '20/05/2025', 'oui'],
  ['1006', 'Compte vide', 'Services', '12', '', '21/05/2025', 'non'],
]);

const CONTACTS = semicolonCsv([
  ['Record ID', 'First Name', 'Last Name', 'Email', 'Job Title', 'Associated Company ID', 'Last Activity Date'],
  ['1', 'Amélie', 'Durand', 'amelie@sge.fr', 'Directrice Générale', '1001', '20/02/2026'],
  ['2', 'Jérôme', 'Lefèvre', 'jerome@sge.fr', 'Directeur Administratif et Financier', '1001', '25/02/2026'],
  ['3', 'Zoé', 'Müller', 'zoe@gmail.com', 'Responsable des achats', '1002', 'n/c'],
  ['4', 'François', 'Ørsted', 'f@orsted.fr', 'Gérant', '1003', '01/12/2025'],
  ['5', 'Noémie', 'Sans-Société', 'noemie@example.fr', 'Chargée de marketing', '', '15/02/2026'],
  ['6', 'Hélène', 'Inconnue', 'helene@ghost.fr', 'PDG', '9999', '28/02/2026'],
  ['2', 'Jérôme', 'Lefèvre', 'jerome@sge.fr', 'Directeur Administratif et Financier', '1001', '25/02/2026'],
  ['7', 'Paul', 'Acme', 'paul@acme.com', 'CTO', '1005', '27/02/2026'],
  ['8', 'Inès', 'Acme', 'ines@acme.com', 'Développeuse', '1005', '26/02/2026'],
]);

const NOW = ['--now', '2026-03-01T00:00:00Z'];
const FILES = ['contacts.csv', '--accounts', 'companies.csv', '--encoding', 'windows-1252'];

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('hub.rubric', RULES);
  tmp.write('hub2.rubric', RULES.replace('stage engaged at 30', 'stage engaged at 20').replace('add 20 "Deux MQL"', 'add 30 "Deux MQL"'));
  // The files as HubSpot (companies: UTF-8 with a byte order mark) and Excel (contacts: Windows-1252) save them.
  writeBytes('companies.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(COMPANIES, 'utf8')]));
  writeBytes('contacts.csv', Buffer.from(CONTACTS, 'latin1'));
});
afterAll(() => tmp.remove());

function writeBytes(name: string, bytes: Buffer): void {
  writeFileSync(path.join(tmp.dir, name), bytes);
}

describe('a HubSpot export, scored with --accounts', () => {
  it('checks and passes its test', async () => {
    const result = await runRubric(['test', 'hub.rubric'], tmp.dir);
    expect(result.stdout).toContain('1 passed, 0 failed');
  });

  it('reads the French numbers, the placeholders and both encodings, on both engines alike', async () => {
    const outputs: { contacts: string; accounts: string; stderr: string }[] = [];
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'hub.rubric', ...FILES, '--id', 'Record ID', '--engine', engine, ...NOW, '--out', `c-${engine}.csv`, '--accounts-out', `a-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      outputs.push({ contacts: tmp.read(`c-${engine}.csv`), accounts: tmp.read(`a-${engine}.csv`), stderr: result.stderr.replace(/(c|a)-(js|duckdb)/g, '$1-ENGINE') });
    }
    const [js, duckdb] = outputs;
    expect(duckdb).toEqual(js);
    // UTF-8 out, the accounts file's byte order mark and `;` kept.
    expect(js.accounts).toBe('\ufeffCompany ID;score;stage;tier;contacts\n1001;80;buying;;3\n1002;0;;;1\n1003;0;;;1\n1004;0;;;0\n1005;60;buying;;2\n1006;10;target;;0\n');
    expect(js.contacts).toContain('1;Amélie;Durand;amelie@sge.fr;Directrice Générale;1001;20/02/2026;50;mql;;40');
    expect(js.contacts).toContain('3;Zoé;Müller;zoe@gmail.com;Responsable des achats;1002;n/c;-10;;;0');
    // No value of the files is reported: `n/c` is a placeholder, `1 200 000,50` a number.
    expect(js.stderr).not.toMatch(/expected (a )?number/);
    expect(js.stderr).toContain('accounts: 6 read = 6 scored + 0 rejected; 2 accounts with no contact');
    expect(js.stderr).toContain('contacts: 9 = 7 in an account + 1 without account key + 1 naming no account (`9999` line 7); those are scored alone');
  });

  it("--delimiter names the contacts file's: a comma accounts file is still read (both engines)", async () => {
    // The companies as a comma CSV (UTF-8 with its byte order mark), the contacts with --delimiter ';'.
    const comma = [
      'Company ID,Company name,Industry,Number of Employees,Annual Revenue,Create Date,Won',
      "1001,Société Générale d'Équipement,Logiciel,1 200,\"1 200 000,50\",12/01/2025,oui",
      '1002,Boulangerie Müller SARL,Agroalimentaire,n/c,n/c,03/02/2025,non',
      '1003,Transports Ørsted & Fils,Transport,45,350 000,15/03/2025,',
      '1004,Café Le Zinc,Restauration,8,"95 000,00",01/04/2025,non',
      '1005,Acme Inc.,Logiciel,250,12 500 000,20/05/2025,oui',
      '1006,Compte vide,Services,12,,21/05/2025,non',
    ].join('\n');
    writeBytes('companies-comma.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${comma}\n`, 'utf8')]));
    const accounts: string[] = [];
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'hub.rubric', 'contacts.csv', '--accounts', 'companies-comma.csv', '--encoding', 'windows-1252', '--delimiter', ';', '--engine', engine, ...NOW, '--out', `d-${engine}.csv`, '--accounts-out', `da-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      accounts.push(tmp.read(`da-${engine}.csv`));
    }
    expect(accounts[0]).toBe('\ufeffCompany ID,score,stage,tier,contacts\n1001,80,buying,,3\n1002,0,,,1\n1003,0,,,1\n1004,0,,,0\n1005,60,buying,,2\n1006,10,target,,0\n');
    expect(accounts[1]).toBe(accounts[0]);
  });

  it('reports a contact listed twice in its account (same id): counted, not silent', async () => {
    const result = await runRubric(['score', 'hub.rubric', ...FILES, '--id', 'Record ID', ...NOW, '--out', 'c.csv', '--accounts-out', 'a.csv', '--errors', 'errors.csv'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('contacts.csv:8 (lead 2): the contact `Record ID` `2` is also on line 3, in the same account `1001`: the account counts it twice (remove one of the rows); counted twice');
    expect(result.stderr).toContain('problems: 1');
    expect(tmp.read('errors.csv')).toContain('counted twice');
    const strict = await runRubric(['score', 'hub.rubric', ...FILES, '--id', 'Record ID', ...NOW, '--out', 's.csv', '--accounts-out', 'sa.csv', '--strict'], tmp.dir);
    expect(strict.code).toBe(1);
  });

  it('reports one contact in two accounts', async () => {
    const moved = CONTACTS.replace('2;Jérôme;Lefèvre;jerome@sge.fr;Directeur Administratif et Financier;1001;25/02/2026\r\n7;', '2;Jérôme;Lefèvre;jerome@sge.fr;Directeur Administratif et Financier;1005;25/02/2026\r\n7;');
    writeBytes('moved.csv', Buffer.from(moved, 'latin1'));
    const result = await runRubric(['score', 'hub.rubric', 'moved.csv', '--accounts', 'companies.csv', '--encoding', 'windows-1252', '--id', 'Record ID', ...NOW, '--out', 'm.csv', '--accounts-out', 'ma.csv'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('moved.csv:8 (lead 2): the contact `Record ID` `2` is in account `1001` on line 3 and in account `1005` here: one contact in two accounts (fix its account key on one of the rows); scored in both accounts');
  });

  it('explains an account; --id says which option names the contacts\' id column', async () => {
    const explained = await runRubric(['explain', 'hub.rubric', '--account', '1001', '--accounts', 'companies.csv', '--leads', 'contacts.csv', '--encoding', 'windows-1252', '--id-field', 'Record ID', ...NOW], tmp.dir);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('score 80   stage buying');
    expect(explained.stdout).toMatch(/count contacts where job in decision_makers +3 +3 of 3 contacts/);
    expect(explained.stdout).toMatch(/lead 2 +score 50 .*contacts\.csv line 8/);
    const wrongOption = await runRubric(['explain', 'hub.rubric', '--account', '1001', '--accounts', 'companies.csv', '--leads', 'contacts.csv', '--id', 'Record ID', ...NOW], tmp.dir);
    expect(wrongOption.code).toBe(2);
    expect(wrongOption.stderr).toContain("to name the column holding the contacts' ids (what `rubric score --id COLUMN` does), write --id-field \"Record ID\"");
  });

  it('diff shows the account that moves; backtest reads the oui/non outcome of the companies file', async () => {
    const diff = await runRubric(['diff', 'hub.rubric', 'hub2.rubric', '--leads', ...FILES, ...NOW], tmp.dir);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('Impact on 6 accounts from companies.csv');
    expect(diff.stdout).toMatch(/1001 +80 → 90 +\(\+10\) +buying/);
    const backtest = await runRubric(['backtest', 'hub.rubric', ...FILES, '--outcome', 'Won', ...NOW], tmp.dir);
    expect(backtest.code, backtest.stderr).toBe(0);
    expect(backtest.stderr).toContain('companies.csv:4:7: no outcome in `Won` for account `1003`; row skipped');
    expect(backtest.stdout).toContain('outcome: 2 won of 5 = 40.0%');
    expect(backtest.stdout).toMatch(/^ {2}buying +60 +2 +2 +100\.0%/m);
  });
});
