/**
 * Issue 17, account scoring on DuckDB and PostgreSQL: random accounts with random contacts and
 * events (seeded), scored by the JavaScript account scorer and by both engines' contact and
 * account queries: every account's score, stage, tier, groups and aggregate values and every
 * contact's result must agree exactly. Keys and column names are hostile (`__proto__`, quotes,
 * `'); drop table`, `contacts#1`, padded and differently cased keys).
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../packages/core/src/compiler/compile.js';
import type { SqlMapping } from '../../packages/core/src/compiler/sql/index.js';
import { accountTables, expectEngineAgrees, expectedResults, type AccountData, type AccountShape, type ContactRow } from './support/accounts.js';
import { random } from './support/cases.js';
import { enginesForFile } from './support/agree.js';

const NOW = '2026-03-01T00:00:00Z';
const { engines, counted } = enginesForFile('issue 17 accounts SQL');

const JOB = "Job'); drop table acc_leads; --";
const INDUSTRY = '__proto__';

/** Every kind of aggregate, `top N`, `where` on segments, own events, score, stage and tier. */
const FULL = `
lead {
  job: text from "${JOB.replace(/"/g, '\\"')}"
  company.id: text
}
event page_view { url: text }
event email_click { campaign: text }
account id = company.id {
  id: text
  industry: one of [logiciel, industrie, services] from "${INDUSTRY}"
  employees: number
}
let dm = [ceo, cfo, cto, "directeur général", daf]
segment engaged = any email_click within 30 days or any page_view within 30 days
segment decision = job in dm
segment pricing = any page_view where url starts "/tarifs" within 14 days
group fit max 40 {
  when job in dm add 20
  when account.employees >= 200 add 10.5
  when account.industry in [logiciel] add 2.25
}
group activity max 30 {
  each page_view within 60 days add 3.33 up to 20
  each email_click within 30 days add 5
}
when pricing add 7.5
stage mql at 20
stage sql at 40
tier hot when score >= 45
tier warm when score >= 15

score accounts {
  group committee max 60 {
    when count contacts where decision >= 1 add 20
    when count contacts where engaged >= 2 add 20
  }
  when industry in [logiciel, services] add 10
  when employees between 50 and 2000 add 10
  when best score of contacts >= 40 add 15
  when sum score of top 2 contacts >= 60 add 10
  when average fit of contacts where decision >= 15 add 5
  when count contacts where (stage >= mql) >= 1 add 10
  when average score of top 3 contacts >= 20.5 add 3
  when count contacts where (tier in [hot]) >= 1 add 4
  when best activity of contacts where (score >= 30) >= 10 add 2
  when count contacts where (stage is missing) >= 2 sub 1
  when sum fit of top 1 contacts where (tier != warm) >= 20 add 1.5
  when any page_view where url starts "/tarifs" within 30 days add 10
  each email_click within 90 days add 1 up to 10
  stage target at 0
  stage warming at 30
  stage buying at 60 when count contacts where decision >= 1
  tier strategic when employees >= 1000
}
`;

/** Contacts reading their account's stage, score and tier (no account rule reads contact results: R065). */
const READING = `
lead {
  job: text from "${JOB.replace(/"/g, '\\"')}"
  company.id: text
}
event page_view { url: text }
event email_click { campaign: text }
account id = company.id {
  id: text
  industry: one of [logiciel, industrie, services] from "${INDUSTRY}"
  employees: number
}
let dm = [ceo, cfo, cto, "directeur général", daf]
segment engaged = any email_click within 30 days or any page_view within 30 days
segment decision = job in dm
group fit max 40 {
  when job in dm add 20
  when account.employees >= 200 add 10.5
}
each page_view within 60 days add 3.33 up to 20
when account.stage in [buying] add 5
when account.score >= 30 add 2.5
when account.tier is set add 1
stage mql at 20
tier hot when score >= 30 and account.stage = buying

score accounts {
  group committee max 60 {
    when count contacts where decision >= 1 add 20
    when count contacts where engaged >= 2 add 20
  }
  when industry in [logiciel, services] add 10
  when count contacts >= 3 add 15
  when any page_view within 30 days add 10
  stage target at 0
  stage warming at 30
  stage buying at 50 when count contacts where decision >= 1
  tier strategic when employees >= 1000
}
`;

const SHAPE: AccountShape = {
  accountColumns: ['id', INDUSTRY, 'employees'],
  accountKey: 'id',
  contactColumns: [JOB, 'company.id'],
  contactKey: 'company.id',
  eventColumns: ['url', 'campaign'],
};
const MAPPING: SqlMapping = {
  leads: { table: 'acc_leads' },
  events: { table: 'acc_events' },
  accounts: { table: 'acc_accounts', order: 'n' },
};

const HOSTILE_KEYS = ['acme', "o'brien", '__proto__', 'contacts#1', "'); drop table acc_accounts; --", 'Été & Cie', '%_\\', 'ACME'];
const JOBS = ['CEO', 'cfo', 'Directeur Général', 'dev', 'intern', 'DAF', '  cto ', '', 'sales'];
const INDUSTRIES = ['logiciel', 'Industrie', 'services', 'other', '', 'LOGICIEL'];
const URLS = ['/tarifs', '/Tarifs/pro', '/blog', '/tarifs-x', ''];

function day(offset: number): string {
  return new Date(Date.parse(NOW) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A seeded data set: accounts (some keys duplicated, blank, padded), contacts and events. */
function dataSet(seed: number, accounts: number): AccountData {
  const r = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)];
  const keys: string[] = [];
  const rows: Array<Record<string, string | null>> = [];
  for (let i = 0; i < accounts; i++) {
    let key = i < HOSTILE_KEYS.length ? HOSTILE_KEYS[i] : `acc-${seed}-${i}`;
    const roll = r();
    if (roll < 0.05 && keys.length > 0) key = pick(keys); // a duplicate (the first row wins)
    else if (roll < 0.08) key = '  ';
    keys.push(key);
    const employees = pick(['10', '75', '250', '1500', '5000', 'x', '', ' 300 ', '1999.5']);
    rows.push({ id: r() < 0.1 ? ` ${key} ` : key, [INDUSTRY]: pick(INDUSTRIES), employees: r() < 0.1 ? null : employees });
  }
  const contacts: ContactRow[] = [];
  const n = accounts * 3;
  for (let i = 0; i < n; i++) {
    let key: string | null = pick(keys);
    const roll = r();
    if (roll < 0.05) key = null;
    else if (roll < 0.1) key = `unknown-${i}`;
    else if (roll < 0.15) key = ` ${key}\t`;
    const events: Array<Record<string, string>> = [];
    const count = Math.floor(r() * 5);
    for (let e = 0; e < count; e++) {
      const at = day(-Math.floor(r() * 100) + (r() < 0.05 ? 30 : 0));
      if (r() < 0.5) events.push({ type: 'page_view', at, url: pick(URLS) });
      else events.push({ type: 'email_click', at, campaign: pick(['spring', 'fall']) });
    }
    contacts.push({ id: `c${i}`, cells: { [JOB]: pick(JOBS), 'company.id': key }, events });
  }
  return { accounts: rows, contacts };
}

/** What the data sets reached, so the comparison is known to cover something. */
const seen = { accountStages: new Set<unknown>(), contactStages: new Set<unknown>(), emptyAccounts: 0, nullAverages: 0, accountScores: new Set<unknown>() };

async function agreeOn(scorer: CompiledScorer, data: AccountData, label: string): Promise<void> {
  const expected = expectedResults(scorer, SHAPE, data, NOW, 'id');
  for (const account of expected.accounts.values()) {
    seen.accountStages.add(account.stage);
    seen.accountScores.add(account.score);
    if (account['contacts#3'] === null) seen.emptyAccounts += 1;
    if (account['contacts#5'] === null) seen.nullAverages += 1;
  }
  for (const contact of expected.contacts.values()) seen.contactStages.add(contact.stage);
  expect(expected.accounts.size).toBeGreaterThan(0);
  for (const engine of engines) {
    for (const table of accountTables(SHAPE, data)) await engine.load(table);
    const n = await expectEngineAgrees(engine, scorer, MAPPING, expected, NOW, label);
    counted[engine.name] += n.contacts;
  }
}

function compiled(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return scorer;
}

describe('accounts on DuckDB and PostgreSQL = JavaScript', () => {
  it('aggregates (count, best, sum top N, average), where on segments, events and stage', async () => {
    const scorer = compiled(FULL);
    expect(scorer.ir.probes.length).toBe(8);
    for (const seed of [1, 2, 3, 4, 5]) await agreeOn(scorer, dataSet(seed, 24), `seed ${seed}`);
    // The data reach every account stage, accounts without contacts, and many scores.
    expect([...seen.accountStages].sort()).toEqual(['buying', 'target', 'warming']);
    expect(new Set(seen.contactStages)).toEqual(new Set(['mql', 'sql', null]));
    expect(seen.emptyAccounts).toBeGreaterThan(0);
    expect(seen.nullAverages).toBeGreaterThan(seen.emptyAccounts);
    expect(seen.accountScores.size).toBeGreaterThan(20);
  });

  it('contacts reading their account stage, score and tier', async () => {
    const scorer = compiled(READING);
    expect(scorer.model.account?.contactsReadAccountResult).toBe(true);
    for (const seed of [11, 12, 13]) await agreeOn(scorer, dataSet(seed, 24), `seed ${seed}`);
  });
});
