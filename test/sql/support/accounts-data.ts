/**
 * Issue 17: the rule files and the seeded random data sets of the account tests on the SQL
 * targets (test/sql/accounts-engines.test.ts, accounts-duckdb-engine.test.ts).
 */
import type { SqlMapping } from '../../../packages/core/src/compiler/sql/index.js';
import type { AccountData, AccountShape, ContactRow } from './accounts.js';
import { random } from './cases.js';

export const NOW = '2026-03-01T00:00:00Z';

export const JOB = "Job'); drop table acc_leads; --";
export const INDUSTRY = '__proto__';

/** Every kind of aggregate, `top N`, `where` on segments, own events, score, stage and tier. */
export const FULL = `
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
export const READING = `
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

export const SHAPE: AccountShape = {
  accountColumns: ['id', INDUSTRY, 'employees'],
  accountKey: 'id',
  contactColumns: [JOB, 'company.id'],
  contactKey: 'company.id',
  eventColumns: ['url', 'campaign'],
};
export const MAPPING: SqlMapping = {
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
export function dataSet(seed: number, accounts: number): AccountData {
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

