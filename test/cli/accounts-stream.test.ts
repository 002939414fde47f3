/**
 * `rubric score --accounts` scores each contact as it is read when it can (CSV contacts, --out
 * FILE, contact rules not reading the account's result: AccountScorer.beginAccount), and holds
 * the contacts otherwise (contacts on stdout). Both paths must write the same bytes: the same
 * files run both ways give the same contacts, accounts, --errors report and summary, on the ABM
 * example's generated data (contacts without account, keys naming no account, empty accounts,
 * accounts with invalid values) and on a small file with every kind of problem (rejected rows,
 * contacts' invalid values, a contact listed twice in one account and one in two accounts, events
 * with a bad `at` or no lead id, CRLF line ends, a byte order mark).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, requireBuiltCli, runRubric, TempDir } from './support.js';

const NOW = ['--now', '2026-03-01T00:00:00Z'];

const RULES = `lead {
  job: text
  seats: number
  company.id: text
}

event visit { url: text, seconds: number }

account id = company.id {
  id: text
  size: number
}

group fit {
  when job = ceo add 10 "CEO"
  when seats >= 5 add 3 "Seats"
  when account.size >= 100 add 5 "Big company"
}
each visit within 30 days add 1 up to 4

stage known at 0
stage warm at 5

score accounts {
  when count contacts where (job = ceo) >= 1 add 20 "Has a CEO"
  when sum score of top 2 contacts >= 12 add 5 "Two good contacts"
  when average fit of contacts where stage >= warm >= 8 add 2
  when any visit where seconds >= 10 within 30 days add 7 "Visited"
  each visit within 7 days add 1 up to 3 at most 2 per day
  stage cold at 0
  stage hot at 20
}
`;

/** examples/abm/generate.mjs (plain JavaScript, imported by URL: its values are typed here). */
interface AbmGenerator {
  generateAbm(options: { seed: number; accounts: number; contactsPerAccount: number; unattached: number; strays: number }): unknown;
  abmCsv(data: unknown): { accounts: string; contacts: string; events: string };
}

let tmp: TempDir;
beforeAll(async () => {
  const { abmCsv, generateAbm } = (await import(pathToFileURL(path.join(REPO_ROOT, 'examples/abm/generate.mjs')).href)) as AbmGenerator;
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('rules.rubric', RULES);
  tmp.write('accounts.csv', '\ufeffid,size\r\nA1,150\r\nA2,lots\r\nA3,5\r\nA1,999\r\n,5\r\nEMPTY,1000\r\n');
  tmp.write(
    'contacts.csv',
    '\ufeffid,job,seats,company.id\r\n1,ceo,7,A1\r\n1,ceo,7,A1\r\n2,cto,many,A1\r\n3,ceo,2,A2\r\n3,ceo,2,A3\r\n4,ceo,,\r\n5,cto,9,ZZ\r\n6,"bad"x,1,A3\r\n,ceo,3,A3\r\n7,ceo,5,A3\r\n8,cto,12,A2\r\n',
  );
  tmp.write(
    'events.csv',
    'lead_id,type,at,url,seconds\n1,visit,2026-02-27,/a,30\n1,visit,2026-02-27T10:00:00Z,/b,5\n1,visit,2026-02-26,/c,11\n2,visit,garbage,/x,40\n2,visit,2026-02-20,/y,ten\n3,visit,2026-02-28,/z,12\n5,visit,2026-02-28,/z,12\n7,visit,2026-04-01,/future,50\n8,visit,2025-01-01,/old,50\n8,visit,2026-02-28,/new,3\n',
  );
  const abm = abmCsv(generateAbm({ seed: 17, accounts: 40, contactsPerAccount: 6, unattached: 0.1, strays: 0.1 }));
  tmp.write('abm-accounts.csv', abm.accounts);
  tmp.write('abm-contacts.csv', abm.contacts);
  tmp.write('abm-events.csv', abm.events);
});

afterAll(() => tmp?.remove());

/** Runs the files twice: contacts to a file (streamed) and to stdout (held). */
async function bothWays(rules: string, files: { accounts: string; contacts: string; events: string }, label: string): Promise<void> {
  const common = ['score', rules, files.contacts, '--events', files.events, '--accounts', files.accounts, ...NOW, '--no-progress'];
  const streamed = await runRubric([...common, '--out', `${label}-streamed.csv`, '--accounts-out', `${label}-streamed-accounts.csv`, '--errors', `${label}-streamed-errors.csv`], tmp.dir);
  const held = await runRubric([...common, '--out', '-', '--accounts-out', `${label}-held-accounts.csv`, '--errors', `${label}-held-errors.csv`], tmp.dir);
  expect(streamed.code, streamed.stderr).toBe(0);
  expect(held.code, held.stderr).toBe(0);
  expect(tmp.read(`${label}-streamed.csv`)).toBe(held.stdout);
  expect(tmp.read(`${label}-streamed-accounts.csv`)).toBe(tmp.read(`${label}-held-accounts.csv`));
  expect(tmp.read(`${label}-streamed-errors.csv`)).toBe(tmp.read(`${label}-held-errors.csv`));
  const summary = (stderr: string): string[] => stderr.split('\n').filter((line) => !line.startsWith('wrote') && !line.includes('(all in'));
  expect(summary(streamed.stderr)).toEqual(summary(held.stderr));
  expect(held.stdout.length).toBeGreaterThan(0);
}

describe('score --accounts: streamed and held contacts give the same outputs', () => {
  it('on a file with every kind of problem', async () => {
    await bothWays('rules.rubric', { accounts: 'accounts.csv', contacts: 'contacts.csv', events: 'events.csv' }, 'small');
    const errors = tmp.read('small-streamed-errors.csv');
    // The problems the comparison covers: rejected rows, invalid values of contacts and accounts, events.
    for (const text of ['row skipped', 'many', 'lots', 'garbage', 'ten', 'no lead id', 'counted twice', 'scored in both accounts']) expect(errors).toContain(text);
    const accounts = tmp.read('small-streamed-accounts.csv');
    expect(accounts).toContain('EMPTY,');
  });

  it('on the ABM example', async () => {
    await bothWays(path.join(REPO_ROOT, 'examples/abm/abm.rubric'), { accounts: 'abm-accounts.csv', contacts: 'abm-contacts.csv', events: 'abm-events.csv' }, 'abm');
  });
});
