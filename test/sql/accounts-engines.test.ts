/**
 * Issue 17, account scoring on DuckDB and PostgreSQL: random accounts with random contacts and
 * events (seeded), scored by the JavaScript account scorer and by both engines' contact and
 * account queries: every account's score, stage, tier, groups and aggregate values and every
 * contact's result must agree exactly. Keys and column names are hostile (`__proto__`, quotes,
 * `'); drop table`, `contacts#1`, padded and differently cased keys).
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../packages/core/src/compiler/compile.js';
import type { Cond, Model } from '../../packages/core/src/checker/model.js';
import type { SqlMapping } from '../../packages/core/src/compiler/sql/index.js';
import { handAccountModel } from '../../packages/core/test/accounts/hand-model.js';
import { accountTables, expectEngineAgrees, expectedResults, type AccountData, type AccountShape, type ContactRow } from './support/accounts.js';
import { random } from './support/cases.js';
import { enginesForFile } from './support/agree.js';

const NOW = '2026-03-01T00:00:00Z';
const { engines, counted } = enginesForFile('issue 17 accounts SQL');

const JOB = "Job'); drop table acc_leads; --";
const INDUSTRY = '__proto__';
const CONTACT = `
lead {
  job: text from "${JOB.replace(/"/g, '\\"')}"
  company.id: text
  account.employees: number
  account.industry: one of [logiciel, industrie, services]
}
event page_view { url: text }
event email_click { campaign: text }
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
`;

const ACCOUNT = `
lead {
  id: text
  industry: one of [logiciel, industrie, services] from "${INDUSTRY}"
  employees: number
  contacts_1: number
  contacts_2: number
  contacts_3: number
  contacts_4: number
  contacts_5: number
  contacts_6: number
  contacts_7: number
}
event page_view { url: text }
event email_click { campaign: text }
group committee max 60 {
  when contacts_1 >= 1 add 20
  when contacts_2 >= 2 add 20
}
when industry in [logiciel, services] add 10
when employees between 50 and 2000 add 10
when contacts_3 >= 40 add 15
when contacts_4 >= 60 add 10
when contacts_5 >= 15 add 5
when contacts_6 >= 1 add 10
when contacts_7 >= 20.5 add 3
when any page_view where url starts "/tarifs" within 30 days add 10
each email_click within 90 days add 1 up to 10
stage target at 0
stage engaged at 30
stage buying at 60 when employees >= 50
tier strategic when employees >= 1000
`;

const RANGE = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };
/** The contact's stage in `names` (what the checker makes of `stage >= mql`). */
const stageIn = (names: string[]): Cond =>
  ({
    kind: 'test',
    subject: { kind: 'stage', type: { kind: 'one-of', values: ['mql', 'sql'], written: ['mql', 'sql'] } },
    test: { kind: 'text-in', values: names, negated: false },
    range: RANGE,
  }) as unknown as Cond;

function fullModel(): Model {
  return handAccountModel({
    contact: CONTACT,
    account: ACCOUNT,
    key: { accountField: 'id', leadField: 'company.id' },
    aggregates: [
      { kind: 'count', where: 'decision', text: 'count contacts where job in dm' },
      { kind: 'count', where: 'engaged', text: 'count contacts where engaged' },
      { kind: 'best', of: 'score', text: 'best score of contacts' },
      { kind: 'sum', of: 'score', top: 2, text: 'sum score of top 2 contacts' },
      { kind: 'average', of: 'fit', where: 'decision', text: 'average fit of contacts where decision' },
      { kind: 'count', where: stageIn(['mql', 'sql']), text: 'count contacts where stage >= mql' },
      { kind: 'average', of: 'score', top: 3, text: 'average score of top 3 contacts' },
    ],
  });
}

/** The same contacts reading their account's result (no aggregate reads contact results: R065). */
function readingModel(): Model {
  const contact = CONTACT.replace(
    'account.industry: one of [logiciel, industrie, services]\n}',
    'account.industry: one of [logiciel, industrie, services]\n  account.score: number\n  account.stage: one of [target, engaged, buying]\n  account.tier: one of [strategic]\n}',
  ).concat('\nwhen account.stage in [buying] add 5\nwhen account.score >= 30 add 2.5\nwhen account.tier is set add 1\n');
  const account = ACCOUNT.replace('when contacts_3 >= 40 add 15\nwhen contacts_4 >= 60 add 10\nwhen contacts_5 >= 15 add 5\nwhen contacts_6 >= 1 add 10\nwhen contacts_7 >= 20.5 add 3\n', 'when contacts_3 >= 3 add 15\n')
    .replace(/  contacts_[4-7]: number\n/g, '');
  return handAccountModel({
    contact,
    account,
    key: { accountField: 'id', leadField: 'company.id' },
    aggregates: [
      { kind: 'count', where: 'decision', text: 'count contacts where job in dm' },
      { kind: 'count', where: 'engaged', text: 'count contacts where engaged' },
      { kind: 'count', text: 'count contacts' },
    ],
  });
}

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

async function agreeOn(scorer: CompiledScorer, data: AccountData, label: string): Promise<void> {
  const expected = expectedResults(scorer, SHAPE, data, NOW, 'id');
  expect(expected.accounts.size).toBeGreaterThan(0);
  for (const engine of engines) {
    for (const table of accountTables(SHAPE, data)) await engine.load(table);
    const n = await expectEngineAgrees(engine, scorer, MAPPING, expected, NOW, label);
    counted[engine.name] += n.contacts;
  }
}

function compiled(model: Model): CompiledScorer {
  const { scorer } = compile(model);
  if (scorer === null) throw new Error('does not compile');
  return scorer;
}

describe('accounts on DuckDB and PostgreSQL = JavaScript', () => {
  it('aggregates (count, best, sum top N, average), where on segments, events and stage', async () => {
    const scorer = compiled(fullModel());
    for (const seed of [1, 2, 3, 4, 5]) await agreeOn(scorer, dataSet(seed, 24), `seed ${seed}`);
  });

  it('contacts reading their account stage, score and tier', async () => {
    const scorer = compiled(readingModel());
    for (const seed of [11, 12, 13]) await agreeOn(scorer, dataSet(seed, 24), `seed ${seed}`);
  });
});
