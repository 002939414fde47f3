/**
 * Issue 17 (real CRM exports): the accounts file's own encoding, `--accounts-encoding`. A
 * Windows-1252 companies export (Excel) beside a UTF-8 contacts export with no byte order mark:
 * `--encoding` cannot read both, `--accounts-encoding windows-1252` does, on both engines and in
 * every command that reads an accounts file (score, explain --account, diff, backtest, report).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runRubric, TempDir } from './support.js';

const RULES = `lead {
  email: text
  job: text
  company.name: text from "Company"
}

account name = company.name {
  name: text from "Name"
  industry: text from "Industry"
}

when job in [CEO, CTO] add 30 "Décideur"
when email ends any ["@gmail.com"] sub 10 "Adresse perso"
stage mql at 30

score accounts {
  when industry in ["Santé", "Agroalimentaire"] add 20 "Secteur cible"
  when count contacts where stage >= mql >= 1 add 30 "Un décideur"
  stage engaged at 20
  stage buying at 50
}
`;

const CONTACTS = 'id,email,job,Company\n1,amelie@sg.fr,CEO,Société Générale\n2,zoe@sante.fr,CTO,Clinique Santé Plus\n3,jerome@agro.fr,Acheteur,Coopérative Agroalimentaire\n';
const ACCOUNTS = 'Name,Industry,Won\nSociété Générale,Banque,non\nClinique Santé Plus,Santé,oui\nCoopérative Agroalimentaire,Agroalimentaire,oui\n';
/** The accounts output: UTF-8 with a byte order mark (the input was Windows-1252, as Excel reads it). */
const SCORED_ACCOUNTS = '\ufeffName,score,stage,tier,contacts\nSociété Générale,30,engaged,,1\nClinique Santé Plus,50,buying,,1\nCoopérative Agroalimentaire,20,engaged,,1\n';
const NOW = ['--now', '2026-03-01T00:00:00Z'];

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('abm.rubric', RULES);
  writeBytes('contacts.csv', Buffer.from(CONTACTS, 'utf8'));
  writeBytes('accounts.csv', Buffer.from(ACCOUNTS, 'latin1'));
});
afterAll(() => tmp.remove());

function writeBytes(name: string, bytes: Buffer): void {
  writeFileSync(path.join(tmp.dir, name), bytes);
}

function bytes(name: string): Buffer {
  return readFileSync(path.join(tmp.dir, name));
}

describe('--accounts-encoding', () => {
  it('reads a Windows-1252 accounts file beside UTF-8 contacts, byte-identically on both engines', async () => {
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--accounts-encoding', 'windows-1252', '--engine', engine, ...NOW, '--out', `c-${engine}.csv`, '--accounts-out', `a-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('accounts: 3 read = 3 scored + 0 rejected');
      expect(result.stderr).toContain('contacts: 3 = 3 in an account');
      expect(result.stderr).not.toContain('valid UTF-8');
    }
    expect(tmp.read('a-js.csv')).toBe(SCORED_ACCOUNTS);
    expect(bytes('a-duckdb.csv').equals(bytes('a-js.csv'))).toBe(true);
    expect(bytes('c-duckdb.csv').equals(bytes('c-js.csv'))).toBe(true);
    // The UTF-8 contacts are not garbled (as `--encoding windows-1252` for both files would).
    expect(tmp.read('c-js.csv')).toContain('1,amelie@sg.fr,CEO,Société Générale,30,mql,');
  });

  it('without it, the accounts are rejected and the hint names --accounts-encoding', async () => {
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--engine', engine, ...NOW, '--out', `n-${engine}.csv`, '--accounts-out', `na-${engine}.csv`], tmp.dir);
      expect(result.stderr).toContain('`accounts.csv` line 2: bytes that are not valid UTF-8 (at column 5); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --accounts-encoding windows-1252');
      expect(result.stderr).toContain('accounts: 3 read = 0 scored + 3 rejected');
    }
  });

  it('--encoding still applies to the accounts when --accounts-encoding is not given (as before)', async () => {
    writeBytes('contacts-1252.csv', Buffer.from(CONTACTS, 'latin1'));
    const result = await runRubric(['score', 'abm.rubric', 'contacts-1252.csv', '--accounts', 'accounts.csv', '--encoding', 'windows-1252', ...NOW, '--out', 'e.csv', '--accounts-out', 'ea.csv'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(tmp.read('ea.csv')).toBe(SCORED_ACCOUNTS);
    // And the other way round: Windows-1252 contacts, UTF-8 accounts without a byte order mark.
    writeBytes('accounts-utf8.csv', Buffer.from(ACCOUNTS, 'utf8'));
    for (const engine of ['js', 'duckdb']) {
      const mixed = await runRubric(['score', 'abm.rubric', 'contacts-1252.csv', '--accounts', 'accounts-utf8.csv', '--encoding', 'windows-1252', '--accounts-encoding', 'utf-8', '--engine', engine, ...NOW, '--out', `m-${engine}.csv`, '--accounts-out', `ma-${engine}.csv`], tmp.dir);
      expect(mixed.code, mixed.stderr).toBe(0);
      expect(mixed.stderr).not.toContain('valid UTF-8');
      expect(tmp.read(`ma-${engine}.csv`)).toBe(SCORED_ACCOUNTS.slice(1));
    }
  });

  it('says when a UTF-8 accounts file is read as --accounts-encoding windows-1252', async () => {
    const result = await runRubric(['score', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts-utf8.csv', '--accounts-encoding', 'windows-1252', ...NOW, '--out', 'w.csv', '--accounts-out', 'wa.csv'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('`accounts-utf8.csv` is read as windows-1252 (--accounts-encoding), but its first bytes are valid UTF-8: if accented letters come out as `Ã©`, it is UTF-8: pass --accounts-encoding utf-8');
  });

  it('a byte order mark decides over --accounts-encoding, as over --encoding (no warning)', async () => {
    writeBytes('accounts-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ACCOUNTS, 'utf8')]));
    for (const engine of ['js', 'duckdb']) {
      const result = await runRubric(['score', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts-bom.csv', '--accounts-encoding', 'windows-1252', '--engine', engine, ...NOW, '--out', `b-${engine}.csv`, '--accounts-out', `ba-${engine}.csv`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('--accounts-encoding');
      expect(tmp.read(`ba-${engine}.csv`)).toBe(SCORED_ACCOUNTS);
    }
  });

  it('refuses an unknown encoding, naming the option', async () => {
    const result = await runRubric(['score', 'abm.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--accounts-encoding', 'ebcdic', ...NOW, '--accounts-out', 'x.csv'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown --accounts-encoding `ebcdic`');
  });

  it('explain --account reads the accounts file in its own encoding', async () => {
    const result = await runRubric(['explain', 'abm.rubric', '--account', 'Clinique Santé Plus', '--accounts', 'accounts.csv', '--leads', 'contacts.csv', '--accounts-encoding', 'windows-1252', ...NOW], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Clinique Santé Plus');
    expect(result.stdout).toContain('score 50   stage buying');
    expect(result.stdout).toContain('Secteur cible');
    const missing = await runRubric(['explain', 'abm.rubric', '--account', 'Clinique Santé Plus', '--accounts', 'accounts.csv', '--leads', 'contacts.csv', ...NOW], tmp.dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('try --accounts-encoding windows-1252');
  });

  it('diff --accounts, backtest --accounts and report --accounts take it too', async () => {
    tmp.write('abm2.rubric', RULES.replace('add 20 "Secteur cible"', 'add 30 "Secteur cible"'));
    const files = ['contacts.csv', '--accounts', 'accounts.csv', '--accounts-encoding', 'windows-1252'];
    const diff = await runRubric(['diff', 'abm.rubric', 'abm2.rubric', '--leads', ...files, ...NOW], tmp.dir);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('Impact on 3 accounts from accounts.csv');
    expect(diff.stdout).toMatch(/Coopérative Agroalimentaire +20 → 30/);
    const backtest = await runRubric(['backtest', 'abm.rubric', ...files, '--outcome', 'Won', ...NOW], tmp.dir);
    expect(backtest.code, backtest.stderr).toBe(0);
    expect(backtest.stdout).toContain('outcome: 2 won of 3');
    const report = await runRubric(['report', 'abm.rubric', ...files, ...NOW, '--out', 'report.html'], tmp.dir);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).not.toContain('valid UTF-8');
    expect(tmp.read('report.html')).toContain('3 accounts');
  });
});
