// Issue 17: AccountScorer.beginAccount (addContact / finish), the entry `rubric score --accounts`
// streams contacts through: the same results as scoreAccountAndValidate, the contacts' events folded
// into the account (instants known or read, not a date, after `now`, at the edges of every window),
// run limits and distinct counts included; the TypeError when contacts read the account's result.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import type { CompiledScorer } from '../../src/compiler/compile.js';
import type { Lead, LeadEvent } from '../../src/runtime/types.js';

function compiled(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return scorer;
}

const NOW = '2026-03-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;

const WINDOWS = `lead {
  job: text
  company.id: text
}
event page_view { url: text }
event demo_request
event unsubscribe
account id = company.id {
  id: text
  employees: number
}
when job = ceo add 10
each page_view within 7 days add 1 up to 5
score accounts {
  when count contacts where job = ceo >= 1 add 20
  when sum score of top 2 contacts >= 11 add 3
  when any page_view where url starts "/pricing" within 30 days add 5
  when any page_view within 2 days add 7
  each demo_request within 1 day add 2 up to 10
  each page_view add 0.5 up to 100 at most 3 per day
  each demo_request add 1 up to 9 half-life 7 days
  when count distinct page_view.url within 30 days >= 2 add 11
  when days since last page_view <= 1 add 0.25
  when any unsubscribe add 100
  when employees >= 10 add 1
  stage target at 0
  stage hot at 30
}
`;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Events around every edge: each window's bound (exactly, 1 ms inside and outside), now, after now, no date. */
function edgeEvents(): LeadEvent[] {
  const events: LeadEvent[] = [];
  for (const age of [0, 1, 2 * DAY - 1, 2 * DAY, 2 * DAY + 1, DAY - 1, DAY, DAY + 1, 30 * DAY - 1, 30 * DAY, 30 * DAY + 1, 400 * DAY, -1, -DAY]) {
    events.push({ type: 'page_view', at: iso(NOW_MS - age), url: age % 2 === 0 ? '/pricing/plans' : '/docs' });
    events.push({ type: 'demo_request', at: iso(NOW_MS - age) });
  }
  events.push({ type: 'page_view', at: 'garbage', url: '/pricing' });
  events.push({ type: 'unsubscribe', at: iso(NOW_MS - 900 * DAY) });
  events.push({ type: 'mystery', at: iso(NOW_MS) } as LeadEvent);
  return events;
}

describe('beginAccount', () => {
  const scorer = compiled(WINDOWS);
  const accounts = scorer.accounts;
  if (accounts === null) throw new Error('no account scorer');

  it('gives scoreAccountAndValidate results, events at every window edge, given apart with their instants or in the lead', () => {
    const all = edgeEvents();
    // Each single event alone (so one wrongly dropped or kept changes the account), then all together.
    const cases: LeadEvent[][] = [...all.map((event) => [event]), all];
    for (const events of cases) {
      const contacts: Lead[] = [
        { job: 'ceo', 'company.id': 'A', events },
        { job: 'cto', 'company.id': 'A', events: events.slice().reverse() },
      ];
      const account = events === all ? { id: 'A', employees: 'many' } : { id: 'A', employees: 12 };
      const expected = accounts.scoreAccountAndValidate(account, contacts, { now: NOW });
      for (const apart of [false, true]) {
        const tally = accounts.beginAccount(account, { now: NOW });
        const results = contacts.map((contact) => {
          const own = contact.events as LeadEvent[];
          if (!apart) return tally.addContact(contact);
          const out = { at: Number.NaN };
          const eventTimes = own.map((event) => {
            scorer.validateEvent(event, out);
            return out.at;
          });
          return tally.addContact({ job: contact.job, 'company.id': 'A' }, { events: own, eventTimes, eventsChecked: true });
        });
        expect(tally.contacts).toBe(2);
        const accountResult = { score: expected.result.score, stage: expected.result.stage, tier: expected.result.tier, groups: expected.result.groups };
        if (apart) expect(tally.finish()).toEqual(accountResult);
        else expect(tally.finishAndValidate()).toEqual({ result: accountResult, invalid: accounts.validateAccount(account) });
        expect(results.map((r) => r.result)).toEqual(expected.result.contacts);
        // eventsChecked: the contacts' own values only (the events' were checked apart).
        expect(results.map((r) => r.invalid)).toEqual(apart ? contacts.map((contact) => scorer.validate(contact, { now: NOW, events: [] })) : expected.invalid);
      }
    }
  });

  it('keeps each tally at the instant it began with, given as Dates (tallies of one instant share one), whatever the caller does with its Date', () => {
    const events = edgeEvents();
    const contacts: Lead[] = [{ job: 'ceo', 'company.id': 'A', events }];
    const first = new Date(NOW_MS);
    const second = new Date(NOW_MS + 2 * DAY);
    // Begun interleaved: one at the first instant, one at the second, one at the first again.
    const tallies = [first, second, new Date(NOW_MS)].map((now) => ({ now: now.getTime(), tally: accounts.beginAccount({ id: 'A', employees: 12 }, { now }) }));
    first.setTime(NOW_MS + 400 * DAY);
    for (const { tally } of tallies) tally.addContact(contacts[0]);
    for (const { now, tally } of tallies) {
      const { contacts: _scored, ...expected } = accounts.scoreAccount({ id: 'A', employees: 12 }, contacts, { now: new Date(now) });
      expect(tally.finish()).toEqual(expected);
    }
    // The two instants score the account differently (a test that could not tell them apart proves nothing).
    const at = (ms: number) => accounts.scoreAccount({ id: 'A', employees: 12 }, contacts, { now: new Date(ms) }).score;
    expect(at(NOW_MS)).not.toBe(at(NOW_MS + 2 * DAY));
  });

  it('scores an empty account as scoreAccount does, and refuses a second finish or a contact after it', () => {
    const tally = accounts.beginAccount({ id: 'B' }, { now: NOW });
    const { contacts: _none, ...expected } = accounts.scoreAccount({ id: 'B' }, [], { now: NOW });
    expect(tally.finish()).toEqual(expected);
    expect(() => tally.finish()).toThrow(TypeError);
    expect(() => tally.finishAndValidate()).toThrow(TypeError);
    expect(() => tally.addContact({ job: 'ceo' })).toThrow(TypeError);
  });

  it('is refused when contacts read the account result', () => {
    const reading = compiled(WINDOWS.replace('when job = ceo add 10', 'when job = ceo add 10\nwhen account.stage = hot add 1').replace('  when sum score of top 2 contacts >= 11 add 3\n', ''));
    expect(reading.accounts?.contactsReadAccountResult).toBe(true);
    expect(() => reading.accounts?.beginAccount({ id: 'A' }, { now: NOW })).toThrow(TypeError);
    expect(accounts.contactsReadAccountResult).toBe(false);
  });
});

// The tally streams each aggregate (a count, the best, a running sum, the N highest for `top N`
// up to 16, a list past that) where scoreAccount aggregates every contact's value at once: the
// same values on ladders of thresholds over many contacts with close, tied and negative scores.
describe('AccountTally aggregates = scoreAccount aggregates', () => {
  const aggregates = [
    'sum score of top 3 contacts',
    'sum score of top 20 contacts',
    'average score of top 3 contacts',
    'average score of top 17 contacts',
    'average score of contacts',
    'sum score of contacts',
    'best score of top 2 contacts',
    'best score of contacts where job = ceo',
    'average fit of top 5 contacts where job = ceo',
    'count contacts where score >= 4',
  ];
  const ladder = [-3.7, -0.01, 0, 0.5, 1.37, 2.74, 4.11, 5.005, 6.85, 13.7, 27.4, 41.1, 68.5, 137, 274];
  const rules = aggregates.flatMap((aggregate, a) => ladder.map((k, i) => `  when ${aggregate} >= ${k} add ${(a + 1) * 100 + i}`));
  const text = `lead {
  job: text
  company.id: text
}
event page_view
account id = company.id {
  id: text
}
group fit {
  when job = ceo add 2.5
}
each page_view add 1.37 up to 1000
when job = intern sub 3.2
score accounts {
${rules.join('\n')}
}
`;
  const scorer = compiled(text);
  const accounts = scorer.accounts;
  if (accounts === null) throw new Error('no account scorer');

  it('on 300 accounts of 0 to 40 contacts', () => {
    let seed = 17;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const all: Lead[][] = [];
    for (let a = 0; a < 300; a++) {
      const contacts: Lead[] = [];
      const count = random(41);
      for (let c = 0; c < count; c++) {
        const views = random(4) === 0 ? 0 : random(30);
        contacts.push({ job: ['ceo', 'intern', 'cfo'][random(3)], 'company.id': 'A', events: Array.from({ length: views }, () => ({ type: 'page_view', at: NOW })) });
      }
      all.push(contacts);
    }
    // The same accounts in one table (beginAccounts), their contacts added round robin (as a
    // contacts file mixes them): each account as its own tally.
    const table = accounts.beginAccounts(all.map(() => ({ id: 'A' })), { now: NOW });
    const longest = Math.max(...all.map((contacts) => contacts.length));
    for (let c = 0; c < longest; c++) all.forEach((contacts, a) => c < contacts.length && table.addContact(a, contacts[c]));
    all.forEach((contacts, a) => {
      const { contacts: _contacts, ...expected } = accounts.scoreAccount({ id: 'A' }, contacts, { now: NOW });
      const tally = accounts.beginAccount({ id: 'A' }, { now: NOW });
      for (const contact of contacts) tally.addContact(contact);
      expect(tally.finish(), `account ${a} (${contacts.length} contacts)`).toEqual(expected);
      expect(table.contacts(a)).toBe(contacts.length);
      expect(table.finish(a), `account ${a} in the table`).toEqual(expected);
    });
  });
});

// beginAccounts: many accounts by number, each as its own tally; numbers checked.
describe('AccountTallies', () => {
  const scorer = compiled(WINDOWS);
  const accounts = scorer.accounts;
  if (accounts === null) throw new Error('no account scorer');

  it('scores each account as its own tally, whatever the order of their contacts', () => {
    const table = accounts.beginAccounts([{ id: 'A', employees: 12 }, { id: 'B' }, { id: 'C', employees: 3 }], { now: NOW });
    expect(table.size).toBe(3);
    const contacts = [{ job: 'ceo', events: edgeEvents() }, { job: 'intern' }, { job: 'ceo', events: edgeEvents().slice(0, 9) }];
    for (const contact of contacts) for (const a of [2, 0]) table.addContact(a, contact);
    const { contacts: _a, ...a } = accounts.scoreAccount({ id: 'A', employees: 12 }, contacts, { now: NOW });
    const { contacts: _b, ...b } = accounts.scoreAccount({ id: 'B' }, [], { now: NOW });
    const { contacts: _c, ...c } = accounts.scoreAccount({ id: 'C', employees: 3 }, contacts, { now: NOW });
    expect(table.finish(1)).toEqual(b);
    expect(table.finishAndValidate(0)).toEqual({ result: a, invalid: [] });
    expect(table.finish(2)).toEqual(c);
    expect([table.contacts(0), table.contacts(1), table.contacts(2)]).toEqual([3, 0, 3]);
  });

  it('refuses a number that is not one of its accounts, a finished account, and what is not an array', () => {
    const table = accounts.beginAccounts([{ id: 'A' }], { now: NOW });
    for (const index of [1, -1, 0.5, Number.NaN, '0', undefined]) {
      expect(() => table.addContact(index as number, { job: 'ceo' }), String(index)).toThrow(/addContact: no account .* here \(1 accounts, numbered from 0\)/);
      expect(() => table.finish(index as number)).toThrow(TypeError);
      expect(() => table.contacts(index as number)).toThrow(TypeError);
    }
    table.finish(0);
    expect(() => table.addContact(0, { job: 'ceo' })).toThrow('addContact: the account is finished');
    expect(() => table.finishAndValidate(0)).toThrow('finish: the account is finished');
    expect(table.contacts(0)).toBe(0);
    expect(() => accounts.beginAccounts({ length: 1, 0: { id: 'A' } } as unknown as Lead[])).toThrow('beginAccounts: expected an array of accounts');
    expect(accounts.beginAccounts([], { now: NOW }).size).toBe(0);
  });

  it('is refused when contacts read the account result', () => {
    const reading = compiled(WINDOWS.replace('when job = ceo add 10', 'when job = ceo add 10\nwhen account.stage = hot add 1').replace('  when sum score of top 2 contacts >= 11 add 3\n', ''));
    expect(() => reading.accounts?.beginAccounts([{ id: 'A' }], { now: NOW })).toThrow(/beginAccounts: the contact rules read the account's stage/);
  });
});
