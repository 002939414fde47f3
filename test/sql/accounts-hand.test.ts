/**
 * Issue 17, a hand-worked account file on DuckDB and PostgreSQL: every number below was worked
 * out by hand from the rules (the comments show the sums), and the JavaScript account scorer,
 * the reference interpreter and both engines must give exactly them. Keys: padded (matched),
 * differently cased (not matched: scored alone), hostile, `__proto__`, blank, a number key.
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../packages/core/src/compiler/compile.js';
import { emitSql, emitSqlAccounts } from '../../packages/core/src/compiler/sql/index.js';
import { accountTables, expectEngineAgrees, expectedResults, type AccountData, type AccountShape } from './support/accounts.js';
import { enginesForFile } from './support/agree.js';

const NOW = '2026-03-01T00:00:00Z';
const { engines, counted } = enginesForFile('issue 17 hand-worked accounts SQL');

const RULES = `
lead {
  job: text
  company.id: text
}
event email_click { campaign: text }
event page_view { url: text }
account id = company.id {
  id: text
  industry: one of [logiciel, industrie, services]
  employees: number
}
let decision_makers = [CEO, CFO, CTO, "Directeur Général", DAF]
segment engaged_30 = any email_click within 30 days or any page_view within 30 days
group fit max 40 {
  when job in decision_makers add 20
  when account.employees >= 200 add 10 "Large account"
}
when engaged_30 add 25
stage mql at 40

score accounts {
  when industry in [logiciel, services] add 10 "Target industry"
  when employees between 50 and 2000 add 10
  group committee max 30 {
    when count contacts where job in decision_makers >= 1 add 20 "A decision maker"
    when count contacts where engaged_30 >= 2 add 20
  }
  when best score of contacts >= 50 add 15
  when sum score of top 2 contacts >= 80 add 10
  when average fit of contacts where job in decision_makers >= 25 add 5
  when count contacts where (stage >= mql) >= 2 add 10
  when any page_view where url starts "/tarifs" within 30 days add 10
  each email_click within 90 days add 1 up to 3
  stage target at 0
  stage engaged at 30
  stage buying at 60 when count contacts where (job in decision_makers and engaged_30) >= 1
  tier strategic when employees >= 1000
}
`;

const HOSTILE = "'); drop table acc_accounts; --";
const SHAPE: AccountShape = { accountColumns: ['id', 'industry', 'employees'], accountKey: 'id', contactColumns: ['job', 'company.id', 'account.employees'], contactKey: 'company.id', eventColumns: ['url', 'campaign'] };
const MAPPING = { leads: { table: 'acc_leads' }, events: { table: 'acc_events' }, accounts: { table: 'acc_accounts', order: 'n' } };

const DATA: AccountData = {
  accounts: [
    { id: 'acme', industry: 'logiciel', employees: '300' },
    { id: 'globex', industry: 'industrie', employees: '5000' },
    { id: 'empty', industry: 'services', employees: '50' },
    { id: HOSTILE, industry: 'LOGICIEL', employees: '1 000' },
    { id: '__proto__', industry: 'services', employees: '2000' },
    // A second row of the key `acme`: the first row is the account, this one is left out.
    { id: ' acme ', industry: 'industrie', employees: '10' },
    // No key: left out.
    { id: '  ', industry: 'logiciel', employees: '100' },
  ],
  contacts: [
    // Its own `account.employees` never wins over its account's (300).
    { id: 'c1', cells: { job: 'CEO', 'company.id': 'acme', 'account.employees': '1' }, events: [{ type: 'email_click', at: '2026-02-25', campaign: 'spring' }] },
    { id: 'c2', cells: { job: 'CFO', 'company.id': 'acme' }, events: [] },
    { id: 'c3', cells: { job: 'dev', 'company.id': 'acme' }, events: [{ type: 'page_view', at: '2026-02-20', url: '/tarifs/pro' }] },
    {
      id: 'c4',
      cells: { job: 'Directeur Général', 'company.id': ' globex ' },
      events: [
        { type: 'email_click', at: '2026-01-15', campaign: 'x' },
        { type: 'email_click', at: '2025-12-10', campaign: 'y' },
      ],
    },
    // Its own `account.employees` is never read (the SQL reads no such column; JavaScript ignores it).
    { id: 'c5', cells: { job: 'CTO', 'company.id': 'GLOBEX', 'account.employees': '5000' }, events: [] },
    { id: 'c6', cells: { job: 'ceo', 'company.id': HOSTILE }, events: [{ type: 'page_view', at: '2026-02-28', url: '/TARIFS' }] },
    { id: 'c7', cells: { job: 'intern', 'company.id': '__proto__' }, events: [] },
    { id: 'c8', cells: { job: 'CEO', 'company.id': ' ' }, events: [] },
  ],
};

const aggregates = (values: ReadonlyArray<number | null>) => Object.fromEntries(values.map((v, i) => [`contacts#${i + 1}`, v]));

/** By hand. Aggregates: dm count, engaged count, best score, sum top 2, average fit of dm, mql count, (dm and engaged) count. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  // 10 industry + 10 employees + committee min(20 + 20, 30) + 15 best 55 + 10 sum 55+35 + 5 average 30 + 10 /tarifs + 1 email
  acme: { score: 91, stage: 'buying', tier: null, 'group committee': 30, ...aggregates([2, 2, 55, 90, 30, 1, 1]) },
  // committee 20 (a decision maker) + 5 average 30 + 2 emails in 90 days (45 and 81 days old)
  globex: { score: 27, stage: 'target', tier: 'strategic', 'group committee': 20, ...aggregates([1, 0, 30, 30, 30, 0, 0]) },
  // 10 industry + 10 employees, nothing from contacts
  empty: { score: 20, stage: 'target', tier: null, 'group committee': 0, ...aggregates([0, 0, null, 0, null, 0, 0]) },
  // 10 industry (LOGICIEL folds) + committee 20 + 10 /TARIFS; "1 000" is not a plain number
  [HOSTILE]: { score: 40, stage: 'engaged', tier: null, 'group committee': 20, ...aggregates([1, 1, 45, 45, 20, 1, 1]) },
  // 10 industry + 10 employees (2000 is in the inclusive range)
  ['__proto__']: { score: 20, stage: 'target', tier: 'strategic', 'group committee': 0, ...aggregates([0, 0, 10, 10, null, 0, 0]) },
};

const CONTACTS: Record<string, Record<string, unknown>> = {
  c1: { score: 55, stage: 'mql', tier: null, 'group fit': 30 }, // 20 + 10 (300 employees) + 25 engaged
  c2: { score: 30, stage: null, tier: null, 'group fit': 30 },
  c3: { score: 35, stage: null, tier: null, 'group fit': 10 }, // 10 + 25 engaged
  c4: { score: 30, stage: null, tier: null, 'group fit': 30 }, // padded key matched; emails too old for engaged_30
  c5: { score: 20, stage: null, tier: null, 'group fit': 20 }, // GLOBEX names no account: scored alone
  c6: { score: 45, stage: 'mql', tier: null, 'group fit': 20 }, // employees missing
  c7: { score: 10, stage: null, tier: null, 'group fit': 10 },
  c8: { score: 20, stage: null, tier: null, 'group fit': 20 }, // no key
};

function compiled(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return scorer;
}

function own(record: Record<string, Record<string, unknown>>): Map<string, Record<string, unknown>> {
  return new Map(Object.getOwnPropertyNames(record).map((k) => [k, record[k]]));
}

describe('a hand-worked account file', () => {
  it('JavaScript and the oracle give the numbers worked out by hand', () => {
    const expected = expectedResults(compiled(RULES), SHAPE, DATA, NOW, 'id');
    const withoutRules = new Map([...expected.accounts].map(([id, account]) => [id, Object.fromEntries(Object.entries(account).filter(([k]) => !/^r\d+$/.test(k)))]));
    expect(withoutRules).toEqual(own(ACCOUNTS));
    // acme rule by rule: industry, employees, the committee's two, best, sum, average, mql count, /tarifs, emails.
    expect(Object.entries(expected.accounts.get('acme') ?? {}).filter(([k]) => /^r\d+$/.test(k))).toEqual(
      [10, 10, 20, 20, 15, 10, 5, 0, 10, 1].map((points, i) => [`r${i}`, points]),
    );
    expect(expected.contacts).toEqual(own(CONTACTS));
  });

  it('DuckDB and PostgreSQL give them too', async () => {
    const scorer = compiled(RULES);
    const acme = { ...ACCOUNTS.acme, ...Object.fromEntries([10, 10, 20, 20, 15, 10, 5, 0, 10, 1].map((points, i) => [`r${i}`, points])) };
    const expected = { accounts: new Map([...own(ACCOUNTS), ['acme', acme]]), contacts: own(CONTACTS) };
    for (const engine of engines) {
      for (const table of accountTables(SHAPE, DATA)) await engine.load(table);
      const n = await expectEngineAgrees(engine, scorer, MAPPING, expected, NOW, 'hand-worked');
      counted[engine.name] += n.contacts;
    }
  });

  it('creates both views, which give them too', async () => {
    const scorer = compiled(RULES);
    for (const engine of engines) {
      for (const table of accountTables(SHAPE, DATA)) await engine.load(table);
      await engine.run(emitSql(scorer.model, { dialect: engine.name, mapping: MAPPING, now: NOW, view: 'acc hand scores' }));
      const accounts = await engine.query('SELECT * FROM "acc hand scores_accounts"');
      const contacts = await engine.query('SELECT * FROM "acc hand scores"');
      expect(new Map(accounts.map((row) => [String(row.id), [row.score, row.stage, row.tier]]))).toEqual(
        new Map(Object.getOwnPropertyNames(ACCOUNTS).map((id) => [id, [ACCOUNTS[id].score, ACCOUNTS[id].stage, ACCOUNTS[id].tier]])),
      );
      expect(new Map(contacts.map((row) => [String(row.id), [row.score, row.stage]]))).toEqual(new Map(Object.entries(CONTACTS).map(([id, c]) => [id, [c.score, c.stage]])));
      await engine.run('DROP VIEW "acc hand scores"; DROP VIEW "acc hand scores_accounts"');
    }
  });

  it('takes `now` as the bind parameter $1 in both queries', async () => {
    const scorer = compiled(RULES);
    for (const engine of engines) {
      for (const table of accountTables(SHAPE, DATA)) await engine.load(table);
      const options = { dialect: engine.name, mapping: MAPPING, select: true, now: 'parameter' } as const;
      const millis = Date.parse(NOW);
      const accounts = await engine.query(emitSqlAccounts(scorer.model, options), [millis]);
      const contacts = await engine.query(emitSql(scorer.model, options), [millis]);
      expect(new Map(accounts.map((row) => [String(row.id), row.score]))).toEqual(new Map(Object.getOwnPropertyNames(ACCOUNTS).map((id) => [id, ACCOUNTS[id].score])));
      expect(new Map(contacts.map((row) => [String(row.id), row.score]))).toEqual(new Map(Object.entries(CONTACTS).map(([id, c]) => [id, c.score])));
    }
  });

  it('scores every account 0 without `score accounts`, and contacts with their account', async () => {
    const text = `
lead { job: text  company.id: text }
account id = company.id { id: text  size: number }
when account.size >= 10 add 2
when job = ceo add 1
`;
    const shape: AccountShape = { accountColumns: ['id', 'size'], accountKey: 'id', contactColumns: ['job', 'company.id'], contactKey: 'company.id', eventColumns: [] };
    const data: AccountData = {
      accounts: [{ id: 'a', size: '10' }, { id: 'b', size: '3' }],
      contacts: [
        { id: 'x', cells: { job: 'CEO', 'company.id': 'a' }, events: [] },
        { id: 'y', cells: { job: 'ceo', 'company.id': 'b' }, events: [] },
        { id: 'z', cells: { job: 'dev', 'company.id': 'c' }, events: [] },
      ],
    };
    const scorer = compiled(text);
    const expected = expectedResults(scorer, shape, data, NOW, 'id');
    expect(expected.accounts).toEqual(new Map([['a', { score: 0, stage: null, tier: null }], ['b', { score: 0, stage: null, tier: null }]]));
    expect([...expected.contacts].map(([id, c]) => [id, c.score])).toEqual([['x', 3], ['y', 1], ['z', 0]]);
    for (const engine of engines) {
      for (const table of accountTables(shape, data)) await engine.load(table);
      const n = await expectEngineAgrees(engine, scorer, { leads: { table: 'acc_leads' }, events: { table: 'acc_events' }, accounts: { table: 'acc_accounts', order: 'n' } }, expected, NOW, 'no score accounts');
      counted[engine.name] += n.contacts;
    }
  });

  it('reads the account stage as contacts read a text: a placeholder of the data block is missing', async () => {
    const text = `
data {
  missing: [inconnu, froid]
}
lead { job: text  company.id: text }
account id = company.id { id: text  size: number }
when account.stage is set add 1
when account.stage = chaud add 2
when account.tier is missing add 8
when job = ceo add 16
score accounts {
  when size >= 10 add 10
  stage inconnu at 0
  stage chaud at 10
  tier froid when size >= 5
}
`;
    const shape: AccountShape = { accountColumns: ['id', 'size'], accountKey: 'id', contactColumns: ['job', 'company.id'], contactKey: 'company.id', eventColumns: [] };
    const data: AccountData = {
      accounts: [{ id: 'a', size: '10' }, { id: 'b', size: '5' }, { id: 'c', size: '1' }],
      contacts: [
        { id: 'x', cells: { job: 'CEO', 'company.id': 'a' }, events: [] },
        { id: 'y', cells: { job: 'ceo', 'company.id': 'b' }, events: [] },
        { id: 'z', cells: { job: 'dev', 'company.id': 'c' }, events: [] },
      ],
    };
    const scorer = compiled(text);
    const expected = expectedResults(scorer, shape, data, NOW, 'id');
    // x: stage chaud (1 + 2), tier froid read as missing (8), a CEO (16); y: stage inconnu read as
    // missing, tier froid missing (8), a CEO (16); z: stage inconnu missing, no tier (8).
    expect([...expected.contacts].map(([id, c]) => [id, c.score])).toEqual([['x', 27], ['y', 24], ['z', 8]]);
    for (const engine of engines) {
      for (const table of accountTables(shape, data)) await engine.load(table);
      const n = await expectEngineAgrees(engine, scorer, { leads: { table: 'acc_leads' }, events: { table: 'acc_events' }, accounts: { table: 'acc_accounts', order: 'n' } }, expected, NOW, 'placeholder stage');
      counted[engine.name] += n.contacts;
    }
  });

  it('matches a text key held in a JSON column as rubric score does: strings trimmed, whole numbers as written', async () => {
    const text = `
lead { company.id: text }
account id = company.id { id: text }
score accounts { when count contacts >= 1 add 1  when count contacts >= 2 add 2 }
`;
    const shape: AccountShape = { accountColumns: ['id'], accountKey: 'id', contactColumns: ['company.id'], contactKey: 'company.id', eventColumns: [] };
    const data: AccountData = {
      accounts: [{ id: '"12"' }, { id: '" acme "' }, { id: '12.5' }],
      contacts: [
        { id: 'a', cells: { 'company.id': '12' }, events: [] },
        { id: 'b', cells: { 'company.id': '12.0' }, events: [] },
        { id: 'c', cells: { 'company.id': '"acme"' }, events: [] },
        { id: 'd', cells: { 'company.id': '12.5' }, events: [] },
      ],
    };
    const mapping = {
      leads: { table: 'acc_leads', fields: { 'company.id': { column: 'company.id', format: 'json' as const } } },
      events: { table: 'acc_events' },
      accounts: { table: 'acc_accounts', order: 'n', fields: { id: { column: 'id', format: 'json' as const } } },
    };
    // "12" has the contacts 12 and 12.0 (3); " acme " has "acme" (1); 12.5 has 12.5 (1).
    const expected = {
      accounts: new Map([['"12"', { score: 3 }], ['" acme "', { score: 1 }], ['12.5', { score: 1 }]]),
      contacts: new Map(['a', 'b', 'c', 'd'].map((id) => [id, { score: 0 }])),
    };
    const scorer = compiled(text);
    for (const engine of engines) {
      for (const table of accountTables(shape, data)) await engine.load(table);
      const n = await expectEngineAgrees(engine, scorer, mapping, expected, NOW, 'JSON keys');
      counted[engine.name] += n.contacts;
    }
  });

  it('matches a number key by value', async () => {
    const text = `
lead { job: text  company.num: number }
account num = company.num { num: number  size: number }
group fit { when job = ceo add 5  when account.size >= 10 add 1 }
score accounts {
  when count contacts >= 2 add 3
  when sum fit of contacts >= 11 add 1
}
`;
    const shape: AccountShape = { accountColumns: ['num', 'size'], accountKey: 'num', contactColumns: ['job', 'company.num'], contactKey: 'company.num', eventColumns: [], numberKey: true };
    const data: AccountData = {
      accounts: [{ num: '12', size: '10' }, { num: '7.5', size: '1' }, { num: 'x', size: '99' }],
      contacts: [
        { id: 'a', cells: { job: 'CEO', 'company.num': '12.0' }, events: [] },
        { id: 'b', cells: { job: 'ceo', 'company.num': ' 12 ' }, events: [] },
        { id: 'c', cells: { job: 'dev', 'company.num': '7.50' }, events: [] },
        { id: 'd', cells: { job: 'ceo', 'company.num': '13' }, events: [] },
      ],
    };
    const scorer = compiled(text);
    const expected = expectedResults(scorer, shape, data, NOW, 'num');
    // 12: two contacts (3) whose fit is 6 + 6 (1); 7.5: one contact, fit 0.
    expect(expected.accounts).toEqual(
      new Map([
        ['12', { score: 4, stage: null, tier: null, 'contacts#1': 2, 'contacts#2': 12, r0: 3, r1: 1 }],
        ['7.5', { score: 0, stage: null, tier: null, 'contacts#1': 1, 'contacts#2': 0, r0: 0, r1: 0 }],
      ]),
    );
    for (const engine of engines) {
      for (const table of accountTables(shape, data)) await engine.load(table);
      const n = await expectEngineAgrees(engine, scorer, { leads: { table: 'acc_leads' }, events: { table: 'acc_events' }, accounts: { table: 'acc_accounts', order: 'n' } }, expected, NOW, 'number key');
      counted[engine.name] += n.contacts;
    }
  });
});
