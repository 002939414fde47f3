/**
 * `rubric score --accounts` and `rubric explain --account` with the built command (issue 17):
 * every record accounted for (accounts read = scored + rejected; contacts in an account, without
 * a key, with a key naming no account), duplicate and missing keys rejected with their line,
 * hostile keys matched as plain text, CSV and JSON Lines alike, the ABM example scored exactly
 * as the account scorer of @rubric/core scores its JSON sample, and the account explanation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Lead } from '@rubric/core';
import { REPO_ROOT, requireBuiltCli, runRubric, TempDir } from './support.js';

const NOW = ['--now', '2026-03-01T00:00:00Z'];
const ABM = path.join(REPO_ROOT, 'examples/abm');

const RULES = `lead {
  job: text
  company.id: text
}

event visit { url: text }

account id = company.id {
  id: text
  size: number
}

group fit {
  when job = ceo add 10 "CEO"
  when account.size >= 100 add 5 "Big company"
}

stage known at 0

score accounts {
  when count contacts where (job = ceo) >= 1 add 20 "Has a CEO"
  when sum score of contacts >= 20 add 5 "Contacts total 20"
  when any visit within 30 days add 7 "Visited"
  stage cold at 0
  stage warm at 20
}
`;

/** Account keys that must stay plain text: prototype names, SQL and template injection, quotes, backslashes, LIKE wildcards. */
const HOSTILE_KEYS = ['__proto__', 'constructor', "'); drop table accounts; --", '${process.exit(1)}', 'a"b', 'c\\d', '%_'];

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('acme.rubric', RULES);
  tmp.write('accounts.csv', 'id,size\nA1,150\nA2,10\nA1,999\n,5\n');
  tmp.write('contacts.csv', 'id,job,company.id\n1,ceo,A1\n2,cto,A1\n3,ceo,A2\n4,ceo,\n5,cto,ZZ\n');
  tmp.write('events.csv', 'lead_id,type,at,url\n2,visit,2026-02-20,/x\n');
  tmp.write('accounts.jsonl', '{"id": "A1", "size": 150}\n{"id": "A2", "size": "10"}\n');
  tmp.write('contacts.jsonl', '{"id": 1, "job": "CEO", "company": {"id": "A1"}, "events": [{"type": "visit", "at": "2026-02-27"}]}\n{"id": 2, "job": "cto", "company.id": "A2"}\n');
  tmp.write('own-contacts.csv', 'id,job,company.id,account.size\n1,ceo,A2,500\n2,ceo,,500\n3,ceo,ZZ,500\n');
  tmp.write('own-contacts.jsonl', '{"id": 1, "job": "ceo", "company.id": "A2", "account": {"size": 500}}\n{"id": 2, "job": "ceo", "account.size": 500}\n');
  const csvCell = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  tmp.write('hostile-accounts.csv', `id,size\n${HOSTILE_KEYS.map((key, i) => `${csvCell(key)},${100 + i}`).join('\n')}\n`);
  tmp.write('hostile-contacts.csv', `id,job,company.id\n${HOSTILE_KEYS.map((key, i) => `${i + 1},ceo,${csvCell(key)}`).join('\n')}\n`);
});
afterAll(() => tmp.remove());

function csvRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

function readJsonLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('rubric score --accounts', () => {
  it('scores accounts from their contacts and contacts with their account, every record counted', async () => {
    const result = await runRubric(
      ['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--events', 'events.csv', ...NOW, '--out', 'out.csv', '--accounts-out', 'acc.csv'],
      tmp.dir,
      { env: { NO_COLOR: '1' } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('accounts: 4 read = 2 scored + 2 rejected');
    expect(result.stderr).toContain('account stages: cold 0, warm 2, no stage 0');
    expect(result.stderr).toContain('rows: 5 read = 5 written + 0 rejected');
    expect(result.stderr).toContain('contacts: 5 = 3 in an account + 1 without account key + 1 naming no account (`ZZ` line 6); those are scored alone');
    // The duplicate key and the record without a key are reported with their line, the first A1 is the account.
    expect(result.stderr).toMatch(/accounts\.csv:4:1: duplicate account key `A1` \(first on line 2, which is the account\): "A1"; row skipped/);
    expect(result.stderr).toMatch(/accounts\.csv:5:1: no account key in `id`; row skipped/);
    expect(csvRows(tmp.read('acc.csv'))).toEqual([
      ['id', 'score', 'stage', 'tier', 'contacts'],
      ['A1', '32', 'warm', '', '2'],
      ['A2', '20', 'warm', '', '1'],
    ]);
    expect(csvRows(tmp.read('out.csv'))).toEqual([
      ['id', 'job', 'company.id', 'score', 'stage', 'tier', 'fit'],
      ['1', 'ceo', 'A1', '15', 'known', '', '15'],
      ['2', 'cto', 'A1', '5', 'known', '', '5'],
      ['3', 'ceo', 'A2', '10', 'known', '', '10'],
      ['4', 'ceo', '', '10', 'known', '', '10'],
      ['5', 'cto', 'ZZ', '0', 'known', '', '0'],
    ]);
  });

  it('reads accounts and contacts from JSON Lines (nested keys) and writes JSON Lines', async () => {
    const result = await runRubric(['score', 'acme.rubric', 'contacts.jsonl', '--accounts', 'accounts.jsonl', ...NOW, '--out', 'out.jsonl', '--accounts-out', 'acc.jsonl'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('contacts: 2 = 2 in an account + 0 without account key + 0 naming no account');
    expect(readJsonLines(path.join(tmp.dir, 'acc.jsonl'))).toEqual([
      { id: 'A1', score: 27, stage: 'warm', tier: null, contacts: 1 },
      { id: 'A2', score: 0, stage: 'cold', tier: null, contacts: 1 },
    ]);
    const contacts = readJsonLines(path.join(tmp.dir, 'out.jsonl'));
    expect(contacts.map((c) => [c.id, c.score])).toEqual([
      [1, 15],
      [2, 0],
    ]);
    // The contact's own events are written back as read (not the joined ones, not duplicated).
    expect(contacts[0].events).toEqual([{ type: 'visit', at: '2026-02-27' }]);
  });

  it('matches hostile keys as plain text, never as code or object keys', async () => {
    const keys = HOSTILE_KEYS;
    const result = await runRubric(['score', 'acme.rubric', 'hostile-contacts.csv', '--accounts', 'hostile-accounts.csv', ...NOW, '--out', 'h.csv', '--accounts-out', 'h-acc.jsonl'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`accounts: ${keys.length} read = ${keys.length} scored + 0 rejected`);
    expect(result.stderr).toContain(`contacts: ${keys.length} = ${keys.length} in an account`);
    const accounts = readJsonLines(path.join(tmp.dir, 'h-acc.jsonl'));
    expect(accounts.map((a) => a.id)).toEqual(keys);
    // Each account has its one CEO contact (20) whose score, 15 with a big account, makes no 20.
    for (const account of accounts) expect(account).toMatchObject({ score: 20, stage: 'warm', contacts: 1 });
    expect(Object.getPrototypeOf(accounts[0])).toBe(Object.prototype);
  });

  it("never reads a contact's own `account.*` columns: the account's values or, without one, missing", async () => {
    for (const [data, out] of [
      ['own-contacts.csv', 'own.csv'],
      ['own-contacts.jsonl', 'own.jsonl'],
    ]) {
      const result = await runRubric(['score', 'acme.rubric', data, '--accounts', 'accounts.csv', ...NOW, '--out', out, '--accounts-out', `acc-${out}`], tmp.dir);
      expect(result.code, result.stderr).toBe(0);
      // A2 has 10 employees: no "Big company" for its contact; the others have no account.
      const scores = out.endsWith('.csv') ? csvRows(tmp.read(out)).slice(1).map((row) => row[4]) : readJsonLines(path.join(tmp.dir, out)).map((row) => String(row.score));
      expect(scores.every((score) => score === '10'), scores.join(' ')).toBe(true);
    }
  });

  it('without --accounts, scores each contact alone: warned, its own `account.*` never read, --engine duckdb refused', async () => {
    for (const data of ['own-contacts.csv', 'own-contacts.jsonl']) {
      const result = await runRubric(['score', 'acme.rubric', data, ...NOW, '--format', 'csv'], tmp.dir, { env: { NO_COLOR: '1' } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('scores accounts: without --accounts FILE each lead is scored as a contact alone');
      const scores = csvRows(result.stdout).slice(1).map((row) => row[row.length - 4]);
      expect(scores, data).toEqual(data.endsWith('.csv') ? ['10', '10', '10'] : ['10', '10']);
    }
    const duckdb = await runRubric(['score', 'acme.rubric', 'contacts.csv', ...NOW, '--engine', 'duckdb'], tmp.dir);
    expect(duckdb.code).toBe(2);
    expect(duckdb.stderr).toContain('--engine duckdb scores its contacts with their accounts only');
  });

  it('matches number keys by value (12 and 12.0 are one account)', async () => {
    tmp.write('num.rubric', RULES.replace('company.id: text', 'company.id: number').replace('  id: text\n  size', '  id: number\n  size'));
    tmp.write('num-accounts.csv', 'id,size\n12,500\n7,1\n');
    tmp.write('num-contacts.csv', 'id,job,company.id\n1,ceo,12.0\n2,ceo, 12\n3,cto,7\n');
    const result = await runRubric(['score', 'num.rubric', 'num-contacts.csv', '--accounts', 'num-accounts.csv', ...NOW, '--out', 'n.csv', '--accounts-out', 'n-acc.csv'], tmp.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(csvRows(tmp.read('n-acc.csv')).slice(1)).toEqual([
      ['12', '25', 'warm', '', '2'],
      ['7', '0', 'cold', '', '1'],
    ]);
  });

  it('refuses what it cannot do, with a message saying what to do', async () => {
    tmp.write('plain.rubric', 'lead {\n  job: text\n}\nwhen job = ceo add 10\n');
    const plain = await runRubric(['score', 'plain.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--accounts-out', 'x.csv'], tmp.dir);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('has no `account` block, so --accounts has nothing to score');
    const noOut = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv'], tmp.dir);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--accounts needs --accounts-out FILE');
    const bothStdout = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--accounts-out', '-'], tmp.dir);
    expect(bothStdout.code).toBe(2);
    expect(bothStdout.stderr).toContain('cannot both go to stdout');
    const orphan = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts-out', 'x.csv'], tmp.dir);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain('--accounts-out writes the scored accounts of --accounts FILE');
    const limit = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--accounts-out', 'x.csv', '--out', 'y.csv', '--max-contacts', '3'], tmp.dir);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('holds more than 3 contacts');
    expect(limit.stderr).toContain('--max-contacts');
    const noKey = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'events.csv', '--accounts-out', 'x.csv', '--out', 'y.csv'], tmp.dir);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('has no `id` column: the account key');
  });

  it('prints the contacts on stdout when the accounts go to a file, and --strict writes nothing on a problem', async () => {
    const printed = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', ...NOW, '--accounts-out', 'p-acc.csv'], tmp.dir);
    expect(printed.code).toBe(0);
    expect(csvRows(printed.stdout)).toHaveLength(6);
    const strict = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', ...NOW, '--out', 's.csv', '--accounts-out', 's-acc.csv', '--strict'], tmp.dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('--strict: 2 problems, so nothing was written');
    expect(tmp.exists('s.csv')).toBe(false);
    expect(tmp.exists('s-acc.csv')).toBe(false);
  });
});

describe('rubric score --accounts --engine duckdb', () => {
  it('writes the same contacts, accounts and summary as the default engine', async () => {
    const cases: Array<{ name: string; args: string[] }> = [
      { name: 'duplicates and missing keys, events file', args: ['contacts.csv', '--accounts', 'accounts.csv', '--events', 'events.csv'] },
      { name: 'JSON Lines', args: ['contacts.jsonl', '--accounts', 'accounts.jsonl'] },
      { name: 'hostile keys', args: ['hostile-contacts.csv', '--accounts', 'hostile-accounts.csv'] },
      {
        name: 'the ABM example',
        args: [path.join(ABM, 'contacts.csv'), '--accounts', path.join(ABM, 'accounts.csv'), '--events', path.join(ABM, 'events.csv')],
      },
    ];
    for (const { name, args } of cases) {
      const rules = name === 'the ABM example' ? path.join(ABM, 'abm.rubric') : 'acme.rubric';
      const outputs: string[] = [];
      for (const engine of ['js', 'duckdb']) {
        const result = await runRubric(['score', rules, ...args, ...NOW, '--engine', engine, '--out', `e-${engine}.out`, '--accounts-out', `e-${engine}.acc`, '--format', 'csv'], tmp.dir, {
          env: { NO_COLOR: '1' },
        });
        expect(result.code, `${name} (${engine}): ${result.stderr}`).toBe(0);
        outputs.push([tmp.read(`e-${engine}.out`), tmp.read(`e-${engine}.acc`), result.stderr.replace(/e-(js|duckdb)/g, 'e-ENGINE')].join('\n---\n'));
      }
      expect(outputs[1], name).toBe(outputs[0]);
    }
    const explain = await runRubric(['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--engine', 'duckdb', '--explain', '--out', 'x.csv', '--accounts-out', 'y.csv'], tmp.dir);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toContain('--engine duckdb cannot --explain');
  });
});

describe('the ABM example', () => {
  const rulesPath = path.join(ABM, 'abm.rubric');
  const args = ['score', rulesPath, path.join(ABM, 'contacts.csv'), '--accounts', path.join(ABM, 'accounts.csv'), '--events', path.join(ABM, 'events.csv'), ...NOW];

  it('scores every account as the core account scorer scores the JSON sample, every contact counted', async () => {
    const result = await runRubric([...args, '--out', 'abm-contacts.csv', '--accounts-out', 'abm-accounts.jsonl'], tmp.dir, { env: { NO_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const sample = readJsonLines(path.join(ABM, 'abm.sample.accounts.jsonl'));
    const contactLines = readFileSync(path.join(ABM, 'contacts.csv'), 'utf8').split('\n').filter((line) => line !== '').length - 1;
    expect(result.stderr).toContain(`accounts: ${sample.length} read = ${sample.length} scored + 0 rejected`);
    expect(result.stderr).toContain(`rows: ${contactLines} read = ${contactLines} written + 0 rejected`);
    const matched = sample.reduce((sum, account) => sum + (account.contacts as unknown[]).length, 0);
    const counted = /contacts: (\d+) = (\d+) in an account \+ (\d+) without account key \+ (\d+) naming no account/.exec(result.stderr);
    expect(counted?.slice(1).map(Number)).toEqual([contactLines, matched, expect.any(Number), expect.any(Number)]);
    expect(Number(counted?.[3]) + Number(counted?.[4])).toBe(contactLines - matched);

    const { scorer } = compile(readFileSync(rulesPath, 'utf8'), { uri: rulesPath });
    const accounts = scorer?.accounts;
    if (accounts === null || accounts === undefined) throw new Error('the example has no account scorer');
    const written = readJsonLines(path.join(tmp.dir, 'abm-accounts.jsonl'));
    expect(written).toHaveLength(sample.length);
    const stages = new Map<string, number>();
    sample.forEach((account, i) => {
      const { contacts, ...fields } = account;
      const expected = accounts.scoreAccount(fields as Lead, contacts as Lead[], { now: NOW[1] });
      expect(written[i]).toMatchObject({ id: account.id, score: expected.score, stage: expected.stage, tier: expected.tier, contacts: (contacts as unknown[]).length });
      stages.set(String(expected.stage), (stages.get(String(expected.stage)) ?? 0) + 1);
    });
    // The sample says something: several account stages, buying among them.
    expect(stages.get('buying') ?? 0).toBeGreaterThan(0);
    expect(stages.size).toBeGreaterThanOrEqual(3);
  });

  it('prints the summary examples/abm/README.md shows', async () => {
    const readme = readFileSync(path.join(ABM, 'README.md'), 'utf8');
    const block = /The summary accounts for every record:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const result = await runRubric([...args, '--out', path.join(tmp.dir, 'r.csv'), '--accounts-out', path.join(tmp.dir, 'r-acc.csv')], REPO_ROOT, { env: { NO_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split('\n');
    for (const line of (block ?? '').split('\n').filter((l) => l !== '')) expect(lines).toContain(line);
  });

  it('explains an account: rules, values over contacts, stages and contacts (golden)', async () => {
    const result = await runRubric(
      ['explain', rulesPath, '--account', 'ACC-0057', '--accounts', path.join(ABM, 'accounts.csv'), '--leads', path.join(ABM, 'contacts.csv'), '--events', path.join(ABM, 'events.csv'), ...NOW],
      REPO_ROOT,
      { env: { NO_COLOR: '1' } },
    );
    expect(result.code, result.stderr).toBe(0);
    const golden = readFileSync(path.join(REPO_ROOT, 'test/cli/golden/explain-account.txt'), 'utf8');
    expect(result.stdout).toBe(golden);
  });

  it('explains an account as JSON with the same numbers, and refuses an unknown one', async () => {
    const common = ['explain', rulesPath, '--accounts', path.join(ABM, 'accounts.csv'), '--leads', path.join(ABM, 'contacts.csv'), '--events', path.join(ABM, 'events.csv'), ...NOW];
    const json = await runRubric([...common, '--account', 'ACC-0001', '--format', 'json'], REPO_ROOT);
    expect(json.code, json.stderr).toBe(0);
    const explained = JSON.parse(json.stdout) as { score: number; aggregates: Array<{ text: string; value: number | null; contacts: number }>; contacts: unknown[] };
    const scored = await runRubric([...args, '--out', path.join(tmp.dir, 'e.csv'), '--accounts-out', path.join(tmp.dir, 'e-acc.jsonl')], REPO_ROOT);
    expect(scored.code).toBe(0);
    const first = readJsonLines(path.join(tmp.dir, 'e-acc.jsonl'))[0];
    expect(explained.score).toBe(first.score);
    expect(explained.contacts).toHaveLength(Number(first.contacts));
    expect(explained.aggregates.length).toBeGreaterThan(0);
    const unknown = await runRubric([...common, '--account', 'ACC-9999'], REPO_ROOT);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no account `ACC-9999`');
  });
});
