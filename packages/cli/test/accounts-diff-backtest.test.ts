/**
 * Issue 17: `rubric diff --leads CONTACTS --accounts ACCOUNTS` (account stage moves beside the
 * contacts') and `rubric backtest CONTACTS --accounts ACCOUNTS --outcome COLUMN` (accounts as the
 * units, the outcome on the accounts file), on the ABM example. The transcripts are golden
 * (golden/diff-accounts-*.txt, golden/backtest-accounts-*.txt; `UPDATE_GOLDEN=1` rewrites them);
 * the numbers are checked against the account scorer of @rubric/core run on the example's JSON
 * sample (the same accounts, contacts and events), so a wrong grouping or a wrong version fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compile, type Lead } from '@rubric/core';
import { expectGolden, Workspace } from './support/cli.js';

// As diff.test.ts: the semantic diff from the core's sources (same functions once exported).
vi.mock('@rubric/core', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  ...(await import('../../core/src/format/index.js')),
  ...(await import('../../core/src/diff/index.js')),
}));

const here = path.dirname(fileURLToPath(import.meta.url));
const ABM = path.resolve(here, '../../../examples/abm');
const NOW = '2026-03-01T00:00:00Z';
const OLD_RULES = readFileSync(path.join(ABM, 'abm.rubric'), 'utf8');
// The new version: a lower `engaged` threshold (account stage), a lower `mql` (contact stage)
// and more points for a target industry (an account rule).
const NEW_RULES = OLD_RULES.replace('stage engaged at 30', 'stage engaged at 20')
  .replace('stage mql at 50 requires email', 'stage mql at 40 requires email')
  .replace('when industry in target_industries add 10 "Secteur cible"', 'when industry in target_industries add 20 "Secteur cible"');

interface SampleAccount extends Lead {
  readonly id: string;
  readonly contacts: Lead[];
}
const SAMPLE = readFileSync(path.join(ABM, 'abm.sample.accounts.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as SampleAccount);

/** Each account's stage by key, from the core's account scorer on the JSON sample. */
function stagesOf(text: string): Map<string, string | null> {
  const { scorer } = compile(text, { uri: 'abm.rubric' });
  const accounts = scorer?.accounts;
  if (accounts === null || accounts === undefined) throw new Error('no account scorer');
  return new Map(SAMPLE.map((account) => [account.id, accounts.scoreAccount(account, account.contacts, { now: NOW }).stage]));
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  for (const file of ['accounts.csv', 'contacts.csv', 'events.csv']) ws.write(file, readFileSync(path.join(ABM, file), 'utf8'));
  ws.write('old.rubric', OLD_RULES);
  ws.write('new.rubric', NEW_RULES);
});
afterEach(() => ws.remove());

const DIFF = ['diff', 'old.rubric', 'new.rubric', '--leads', 'contacts.csv', '--accounts', 'accounts.csv', '--events', 'events.csv', '--now', NOW, '--top', '5'];

describe('rubric diff --accounts: account stage moves', () => {
  it('reports the contacts and the accounts that change stage, as text (golden)', async () => {
    const result = await ws.run(DIFF);
    expect(result.code, result.stderr).toBe(0);
    expect(NEW_RULES).not.toBe(OLD_RULES);
    expect(result.stdout).toContain('Impact on 60 accounts from accounts.csv');
    expectGolden('diff-accounts-text', DIFF, result, ws);
  });

  it('as markdown (golden)', async () => {
    const args = [...DIFF, '--format', 'markdown'];
    const result = await ws.run(args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('#### Impact on 60 accounts from `accounts.csv`');
    expect(result.stdout).toContain('| Stage before | Stage after | Accounts |');
    expectGolden('diff-accounts-markdown', args, result, ws);
  });

  it('as JSON: every account moves as the core account scorer says', async () => {
    const result = await ws.run([...DIFF, '--format', 'json', '--top', '100']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      impact: { leads: number };
      accountImpact: {
        leads: number;
        accountsFile: string;
        leadsChangingStage: number;
        stageMoves: { from: string | null; to: string | null; leads: number }[];
        movers: { id: string; oldStage: string | null; newStage: string | null }[];
      };
    };
    expect(report.impact.leads).toBe(285);
    const impact = report.accountImpact;
    expect(impact.accountsFile).toBe('accounts.csv');
    expect(impact.leads).toBe(SAMPLE.length);
    const before = stagesOf(OLD_RULES);
    const after = stagesOf(NEW_RULES);
    const expected = new Map<string, number>();
    for (const [key, stage] of before) {
      const to = after.get(key) ?? null;
      if (stage !== to) expected.set(`${stage} -> ${to}`, (expected.get(`${stage} -> ${to}`) ?? 0) + 1);
    }
    expect(expected.size).toBeGreaterThan(0);
    expect(new Map(impact.stageMoves.map((m) => [`${m.from} -> ${m.to}`, m.leads]))).toEqual(expected);
    expect(impact.leadsChangingStage).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    for (const mover of impact.movers) {
      expect(mover.oldStage, mover.id).toBe(before.get(mover.id));
      expect(mover.newStage, mover.id).toBe(after.get(mover.id));
    }
  });

  it('documents --accounts in `diff --help` (golden)', async () => {
    const result = await ws.run(['diff', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--accounts <file>');
    expectGolden('diff-help', ['diff', '--help'], result, ws);
  });

  it('refuses --accounts without --leads, and a version without an account block', async () => {
    const noLeads = await ws.run(['diff', 'old.rubric', 'new.rubric', '--accounts', 'accounts.csv']);
    expect(noLeads.code).toBe(2);
    expect(noLeads.stderr).toContain('--accounts needs --leads');
    ws.write('plain.rubric', 'lead { job: text\n company.id: text }\nwhen job = CEO add 10\nstage mql at 10\n');
    const plain = await ws.run(['diff', 'plain.rubric', 'new.rubric', '--leads', 'contacts.csv', '--accounts', 'accounts.csv', '--now', NOW]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('`plain.rubric` has no `account` block');
  });
});

const BACKTEST = ['backtest', 'new.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--outcome', 'won', '--events', 'events.csv', '--now', NOW];

describe('rubric backtest --accounts: outcome rate per account stage', () => {
  it('back-tests the accounts, rows without an outcome reported with their line (golden)', async () => {
    const result = await ws.run(BACKTEST);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/accounts\.csv:\d+:8: no outcome in `won` for account `ACC-\d+`; row skipped/);
    expectGolden('backtest-accounts-text', BACKTEST, result, ws);
  });

  it('as JSON: accounts per stage and won per stage as the core account scorer and the won column say', async () => {
    const result = await ws.run([...BACKTEST, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as {
      dataPath: string;
      contactsPath: string;
      accounting: { read: number; scored: number; missingOutcome: number };
      backtest: { report: { leads: number; positives: number; stages: { stage: string | null; at: { leads: number; positives: number } }[] } };
    };
    expect(document.dataPath).toBe('accounts.csv');
    expect(document.contactsPath).toBe('contacts.csv');
    // The outcomes as the accounts file says (its last column; names hold no comma here).
    const won = new Map(
      readFileSync(path.join(ABM, 'accounts.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => [line.split(',')[0], line.split(',').at(-1) ?? ''] as const),
    );
    const stages = stagesOf(NEW_RULES);
    const expected = new Map<string | null, { leads: number; positives: number }>();
    let known = 0;
    for (const [key, stage] of stages) {
      const outcome = won.get(key);
      if (outcome !== 'yes' && outcome !== 'no') continue;
      known++;
      const row = expected.get(stage) ?? { leads: 0, positives: 0 };
      row.leads++;
      if (outcome === 'yes') row.positives++;
      expected.set(stage, row);
    }
    expect(document.accounting.read).toBe(60);
    expect(document.accounting.scored).toBe(known);
    expect(document.accounting.missingOutcome).toBe(60 - known);
    expect(known).toBeGreaterThan(40);
    const report = document.backtest.report;
    expect(report.leads).toBe(known);
    for (const row of report.stages) {
      expect(row.at, String(row.stage)).toMatchObject(expected.get(row.stage) ?? { leads: 0, positives: 0 });
    }
  });

  it('reports an unreadable outcome with its line and leaves the account out; a missing column is an error', async () => {
    ws.write('bad.csv', 'id,name,industry,employees,country,revenue,plan,won\nACC-0001,A,logiciel,100,FR,,client,maybe\nACC-0002,B,logiciel,100,FR,,client,yes\nACC-0002,B,logiciel,100,FR,,client,no\n');
    const result = await ws.run(['backtest', 'new.rubric', 'contacts.csv', '--accounts', 'bad.csv', '--outcome', 'won', '--now', NOW, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('bad.csv:2:8: `won` is not an outcome (expected won/lost, yes/no, 1/0 or true/false)');
    expect(result.stderr).toContain('bad.csv:4:1: duplicate account key `ACC-0002`');
    const document = JSON.parse(result.stdout) as { accounting: { read: number; scored: number; invalidOutcome: number; unreadable: number } };
    expect(document.accounting).toMatchObject({ read: 3, scored: 1, invalidOutcome: 1, unreadable: 1 });
    const missing = await ws.run(['backtest', 'new.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--outcome', 'signed', '--now', NOW]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('`accounts.csv` has no `signed` column: with --accounts, --outcome names a column of the accounts file');
  });

  it('refuses --as-of and --fit with --accounts, and names account stages for --mql-stage', async () => {
    const asOf = await ws.run([...BACKTEST, '--as-of', 'date']);
    expect(asOf.stderr).toContain('--as-of cannot be used with --accounts');
    const fit = await ws.run([...BACKTEST, '--fit']);
    expect(fit.stderr).toContain('--fit cannot be used with --accounts');
    const mql = await ws.run([...BACKTEST, '--mql-stage', 'mql']);
    expect(mql.code).toBe(2);
    expect(mql.stderr).toContain('has no account stage `mql`');
    const buying = await ws.run([...BACKTEST, '--mql-stage', 'engaged', '--format', 'json']);
    expect(buying.code, buying.stderr).toBe(0);
    expect((JSON.parse(buying.stdout) as { backtest: { report: { mql: { stage: string } } } }).backtest.report.mql.stage).toBe('engaged');
  });

  it('`rubric report --accounts` draws the accounts: their stages, not the contacts\'', async () => {
    const result = await ws.run(['report', 'new.rubric', 'contacts.csv', '--accounts', 'accounts.csv', '--outcome', 'won', '--events', 'events.csv', '--now', NOW, '--out', 'report.html']);
    expect(result.code, result.stderr).toBe(0);
    const html = ws.read('report.html');
    for (const stage of ['target', 'engaged', 'buying']) expect(html).toContain(stage);
    expect(html).not.toContain('interested');
  });
});
