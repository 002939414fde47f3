/**
 * `rubric score --accounts` on files a new user would bring (issue 17 review): a French CRM export
 * (semicolon CSV with a byte order mark and CRLF, `from "N° SIRET"` key columns, decimal commas,
 * day-first dates, padded and differently cased keys, leading zeros, an empty key, an account
 * without contacts, a duplicate account, an unreadable JSON Lines record, a too-wide CSV row,
 * hostile keys) and a plain CSV with blank rows. Both engines must account for every record and
 * write the same bytes: a record the reader rejects (or a blank row it skips) must not shift the
 * DuckDB engine's results onto the next record.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli, runRubric, TempDir } from './support.js';

const NOW = ['--now', '2026-03-01T00:00:00Z'];
const CRM = path.join(REPO_ROOT, 'test/cli/fixtures/accounts-french-crm');

const PLAIN_RULES = `lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  size: number
}
when job = ceo add 10
when account.size >= 100 add 5
score accounts {
  when size >= 100 add 3
  when count contacts where (job = ceo) >= 1 add 20
}
`;

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('plain.rubric', PLAIN_RULES);
  // Plain CSV (read by DuckDB directly) with a blank row in each file: skipped by both readers.
  tmp.write('blank-accounts.csv', 'id,size\nA1,150\n,\nA2,10\nA3,500\n');
  tmp.write('staged.rubric', PLAIN_RULES.replace('score accounts', 'stage warm at 5\nstage hot at 15\nstage unused at 99\n\nscore accounts'));
  tmp.write('staged-contacts.csv', 'id,job,company.id\n1,ceo,A1\n2,cto,A1\n3,cto,\n');
  tmp.write('no-contacts.csv', 'id,job,company.id\n');
  // A number key in a decimal-comma export: `1 200` and `1.200` are 1200, `12,0` is 12 (a
  // duplicate of `012`); `abc` and `1e3` are no number and `n/c` is a placeholder: no key.
  tmp.write(
    'siren.rubric',
    `lead {\n  poste: text from "Fonction"\n  siren: number from "N° SIREN"\n}\naccount siren = siren {\n  siren: number from "SIREN"\n  effectif: number from "Effectif"\n}\ndata {\n  numbers: decimal comma\n  missing: ["n/c"]\n}\nwhen poste = PDG add 10\nwhen account.effectif >= 100 add 5\nscore accounts {\n  when effectif >= 100 add 3\n  when count contacts where (poste = PDG) >= 1 add 20\n}\n`,
  );
  tmp.write('siren-accounts.csv', 'SIREN;Effectif\n012;150\n1 200;10\nabc;500\n1e3;7\n12,0;9\nn/c;3\n');
  tmp.write('siren-contacts.csv', 'id;Fonction;N° SIREN\n1;PDG;12\n2;PDG;1200\n3;PDG;abc\n4;PDG;1e3\n5;PDG;n/c\n6;PDG;1.200\n');
  tmp.write('blank-contacts.csv', 'id,job,company.id\n1,ceo,A1\n,,\n2,cto,A3\n3,ceo,A2\n');
});
afterAll(() => tmp.remove());

/** Runs both engines; returns each one's contacts output, accounts output and stderr. */
async function bothEngines(rules: string, args: readonly string[]): Promise<Array<{ contacts: string; accounts: string; stderr: string }>> {
  const outputs = [];
  for (const engine of ['js', 'duckdb']) {
    const result = await runRubric(['score', rules, ...args, ...NOW, '--engine', engine, '--out', `r-${engine}.csv`, '--accounts-out', `r-${engine}-accounts.csv`], tmp.dir, {
      env: { NO_COLOR: '1' },
    });
    expect(result.code, `${engine}: ${result.stderr}`).toBe(0);
    outputs.push({ contacts: tmp.read(`r-${engine}.csv`), accounts: tmp.read(`r-${engine}-accounts.csv`), stderr: result.stderr.replace(/r-(js|duckdb)/g, 'r-ENGINE') });
  }
  return outputs;
}

describe('rubric score --accounts on a French CRM export', () => {
  it('accounts for every record, and both engines write the same bytes despite rejected records', async () => {
    const args = [path.join(CRM, 'contacts.csv'), '--accounts', path.join(CRM, 'comptes.jsonl'), '--events', path.join(CRM, 'evenements.csv'), '--id', 'Identifiant'];
    const [js, duckdb] = await bothEngines(path.join(CRM, 'crm.rubric'), args);
    expect(js.stderr).toContain('accounts: 11 read = 8 scored + 3 rejected; 1 account with no contact; 1 account had values treated as missing');
    expect(js.stderr).toContain('comptes.jsonl:7:39: invalid JSON');
    expect(js.stderr).toContain('comptes.jsonl:5: duplicate account key `44306184100047` (first on line 1, which is the account)');
    expect(js.stderr).toContain('contacts.csv:14: 6 fields, but the header has 5');
    expect(js.stderr).toContain('rows: 15 read = 14 written + 1 rejected');
    expect(js.stderr).toContain('contacts: 14 = 10 in an account + 1 without account key + 3 naming no account (`12345600011` line 6, `acme-sa` line 7, `99999999999999` line 13)');
    // Worked out by hand: 10 (logiciel) + 10 (1 200 employees) + 3 (created 2012) + 40 (comite)
    // + 7 (best 55) + 4 (top 2: 110) + 6 (decision makers' average profil 35) + 8 (/tarifs) + 2 clicks.
    expect(js.accounts).toContain('44306184100047,90,achat,strategique,40,4\n');
    // The last account and contact come after the rejected records: their own results.
    expect(js.accounts).toContain('"O""Neil & Fils",20,cible,,20,1\n');
    expect(js.contacts).toContain('C15;o@x.fr;n/c;44306184100047;N/A;15;;;15\r\n');
    expect(duckdb.accounts).toBe(js.accounts);
    expect(duckdb.contacts).toBe(js.contacts);
    expect(duckdb.stderr).toBe(js.stderr);
  });

  it('a plain CSV with blank rows: both engines skip them and give each record its own result', async () => {
    const [js, duckdb] = await bothEngines('plain.rubric', ['blank-contacts.csv', '--accounts', 'blank-accounts.csv']);
    expect(js.accounts).toBe('id,score,stage,tier,contacts\nA1,23,,,1\nA2,20,,,1\nA3,3,,,1\n');
    expect(duckdb.accounts).toBe(js.accounts);
    expect(duckdb.contacts).toBe(js.contacts);
    expect(duckdb.stderr).toBe(js.stderr);
  });

  it('the contacts\' stage counts read as those of rubric score: every stage in file order, 0 included', async () => {
    {
      const contacts = 'no-contacts.csv';
      const alone = await runRubric(['score', 'staged.rubric', contacts, ...NOW, '--out', 'alone.csv'], tmp.dir, { env: { NO_COLOR: '1' } });
      const withAccounts = await runRubric(['score', 'staged.rubric', contacts, '--accounts', 'blank-accounts.csv', ...NOW, '--out', 'with.csv', '--accounts-out', 'with-accounts.csv'], tmp.dir, {
        env: { NO_COLOR: '1' },
      });
      const stagesLine = (stderr: string): string | undefined => stderr.split('\n').find((line) => line.startsWith('stages: '));
      expect(stagesLine(alone.stderr)).toBe('stages: warm 0, hot 0, unused 0, no stage 0');
      expect(stagesLine(withAccounts.stderr)).toBe(stagesLine(alone.stderr));
    }
    const scored = await runRubric(['score', 'staged.rubric', 'staged-contacts.csv', '--accounts', 'blank-accounts.csv', ...NOW, '--out', 'with.csv', '--accounts-out', 'with-accounts.csv'], tmp.dir, {
      env: { NO_COLOR: '1' },
    });
    // Contact 1: ceo 10 + A1's size 150 gives 5 = 15 (hot); contact 2: 5 (warm); contact 3, alone: 0.
    expect(scored.stderr).toContain('stages: warm 1, hot 1, unused 0, no stage 1\n');
  });

  it('a number key is read in the file\'s number format, and a key that is no number or a placeholder is no key, in both engines', async () => {
    const [js, duckdb] = await bothEngines('siren.rubric', ['siren-contacts.csv', '--accounts', 'siren-accounts.csv']);
    expect(js.stderr).toContain('accounts: 6 read = 2 scored + 4 rejected');
    expect(js.stderr).toContain('siren-accounts.csv:6:1: duplicate account key `12` (first on line 2, which is the account)');
    expect(js.stderr).toContain('siren-accounts.csv:4:1: no account key in `SIREN`: `abc` is not a number: "abc"; row skipped');
    expect(js.stderr).toContain('siren-accounts.csv:7:1: no account key in `SIREN`: "n/c"; row skipped');
    expect(js.stderr).toContain('contacts: 6 = 3 in an account + 3 without account key + 0 naming no account');
    // 012 (150 employees): a PDG, 3 + 20; 1 200 (10 employees): two PDGs (`1200`, `1.200`), 20.
    // The key column holds the key as matched (the number), as for every number key.
    expect(js.accounts).toBe('SIREN;score;stage;tier;contacts\n12;23;;;1\n1200;20;;;2\n');
    expect(duckdb.accounts).toBe(js.accounts);
    expect(duckdb.contacts).toBe(js.contacts);
    expect(duckdb.stderr).toBe(js.stderr);
  });

  it('explain --account: an account without contacts, an unknown key, and a number key written as the export writes it', async () => {
    const files = ['--accounts', path.join(CRM, 'comptes.jsonl'), '--leads', path.join(CRM, 'contacts.csv'), '--events', path.join(CRM, 'evenements.csv'), '--id-field', 'Identifiant', ...NOW];
    const empty = await runRubric(['explain', path.join(CRM, 'crm.rubric'), '--account', '80000000000000', ...files], tmp.dir, { env: { NO_COLOR: '1' } });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('score 23   stage cible   tier none');
    expect(empty.stdout).toContain('best score of contacts                               missing  0 of 0 contacts');
    expect(empty.stdout).toContain('contacts (0)  none: scored from its own fields');
    const unknown = await runRubric(['explain', path.join(CRM, 'crm.rubric'), '--account', 'NOPE', ...files], tmp.dir, { env: { NO_COLOR: '1' } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: no account `NOPE` in');
    expect(unknown.stderr).toContain('(key `N° SIRET`, 8 accounts read)');
    const siren = await runRubric(['explain', 'siren.rubric', '--account', '1.200', '--accounts', 'siren-accounts.csv', '--leads', 'siren-contacts.csv', ...NOW], tmp.dir, { env: { NO_COLOR: '1' } });
    expect(siren.code, siren.stderr).toBe(0);
    expect(siren.stdout).toContain('account 1200: siren-accounts.csv line 3 (row 2)');
    expect(siren.stdout).toContain('contacts (2)');
  });
});
